#!/usr/bin/python3
# The window on a hostile archive, driven through the accessibility tree:
# a read-only one (on a read-only bind mount) opens with a notice and its
# articles; a damaged one is refused with a clear message and left as it is;
# one whose search index and counts are out of step is repaired from the
# main menu's Check the Archive.
#
#   test-robust-window.py --galley galley --cli galley-cli --pages DIR
#   test-robust-window.py --galley galley --time DATABASE   (start to first row)
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from damage import put_out_of_step  # noqa: E402
from galley_a11y import App, Timeout, find, find_all, labels, press, refusal, wait_for  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli')
parser.add_argument('--pages')
parser.add_argument('--time', help='print the time from start to the first row on this archive')
args = parser.parse_args()

import tap
from tap import check, skip


def first_row(app):
    article_list = find(app.window(), role='list', name='Articles', timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if find_all(article_list, role='list item'):
            return True
        time.sleep(0.02)
    return False


if args.time:
    t = time.monotonic()
    app = App(args.galley, args.time).start()
    shown = first_row(app)
    print('window start to first row: %.2f s%s' % (time.monotonic() - t, '' if shown else ' (no row)'))
    app.stop()
    sys.exit(0 if shown else 1)

with tempfile.TemporaryDirectory() as tmp:
    rw = os.path.join(tmp, 'rw')
    ro = os.path.join(tmp, 'ro')
    os.makedirs(rw)
    os.makedirs(ro)
    subprocess.run([args.cli, '--database', os.path.join(rw, 'archive.db'), 'import', args.pages],
                   check=True, capture_output=True)

    if subprocess.run(['mount', '--bind', '-o', 'ro', rw, ro], capture_output=True).returncode == 0:
        try:
            # (a link beside it: the test's log is written next to the path)
            link = os.path.join(tmp, 'read-only.db')
            os.symlink(os.path.join(ro, 'archive.db'), link)
            app = App(args.galley, link).start()
            try:
                window = app.window()
                notice = find(window, contains='read-only', timeout=10)
                check(notice is not None, 'a read-only archive opens with a notice: %s'
                      % (notice.name if notice is not None else None))
                check(first_row(app), 'and shows its articles')
                time.sleep(7)
                check(bool(find_all(window, contains='read-only')),
                      'the notice stays (a toast would be gone by now)')
                # An open article offers nothing that would change it.
                press('f', ('ctrl',))
                press('Down')
                press('Return')
                body = find(window, role='text', name='Article text')
                title = find(window, name='Title')
                check(not body.getState().contains(pyatspi.STATE_EDITABLE) and
                      not title.getState().contains(pyatspi.STATE_EDITABLE),
                      'the text and the fields of a read-only archive cannot be edited')
                press('F8')
                accept = [b for b in find_all(window, role='push button') if 'Accept' in (b.name or '')]
                check(accept and not accept[0].getState().contains(pyatspi.STATE_SENSITIVE),
                      'nor can a change be accepted')
                # (the sidebar may be folded away: hidden widgets count too)
                toggle = [b for b in find_all(window, role='push button', showing_only=False)
                          if b.name == '教育']
                add = [e for e in find_all(window, role='text', showing_only=False) if e.name == 'Add a tag']
                check(toggle and not toggle[0].getState().contains(pyatspi.STATE_SENSITIVE) and
                      add and not add[0].getState().contains(pyatspi.STATE_SENSITIVE),
                      'nor can it be tagged')
            finally:
                check(app.stop() == 0, 'the app quits cleanly')
            check(not app.warnings(), 'no warnings: %s' % app.warnings()[:3])
        finally:
            subprocess.run(['umount', ro])
    else:
        skip('read-only: mount --bind -o ro is not allowed here')

    damaged = os.path.join(tmp, 'damaged.db')
    with open(os.path.join(rw, 'archive.db'), 'rb') as f:
        data = f.read()
    with open(damaged, 'wb') as f:
        f.write(data[:4096] + bytes(len(data) - 4096))
    before = hashlib.sha256(open(damaged, 'rb').read()).hexdigest()
    app = App(args.galley, damaged).start()
    try:
        window = app.window()
        reason = refusal(window, 'damaged')
        check(reason, 'a damaged archive is refused with a clear message: %s' % reason[:1])
    finally:
        app.stop()
    check(hashlib.sha256(open(damaged, 'rb').read()).hexdigest() == before and
          not [p for p in os.listdir(tmp) if p.startswith('damaged.db.backup')],
          'the damaged file is left as it was, no copy written')

    # Out of step: Check the Archive lists the problems and offers to repair them.
    stale = os.path.join(tmp, 'stale.db')
    shutil.copyfile(os.path.join(rw, 'archive.db'), stale)
    put_out_of_step(stale)
    app = App(args.galley, stale).start()

    def dialog_saying(text):
        def look():
            windows = [app.root.getChildAtIndex(i) for i in range(app.root.childCount)]
            return [w for w in windows if w is not None and text in ' '.join(labels(w))]
        try:
            return wait_for(look, 30, text)[0]
        except Timeout:
            return None
    try:
        first_row(app)
        press('F10')
        find(app.root, contains='Check the Archive').queryAction().doAction(0)
        problems = dialog_saying('1 article counts its changes to review wrongly')
        check(problems is not None and 'Problems in the Archive' in labels(problems),
              'Check the Archive lists the wrong count in its dialog')
        find(problems, role='push button', contains='Repair').queryAction().doAction(0)
        check(dialog_saying('The Archive Is Repaired') is not None, 'Repair repairs the archive')
        press('Escape')
    finally:
        check(app.stop() == 0, 'the app quits cleanly')
    check(not app.warnings(), 'no warnings: %s' % app.warnings()[:3])
    run = subprocess.run([args.cli, '--database', stale, 'check'], capture_output=True, text=True)
    check(run.returncode == 0, 'galley-cli finds the repaired archive sound: %s' % run.stderr.strip())

tap.done()
