#!/usr/bin/python3
# The export dialog: opened with Ctrl+E, a format and a folder chosen (the
# folder through the file chooser), JSON Lines and one Markdown file per
# article written and checked, the question before an existing file is
# replaced; driven through the accessibility tree.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from galley_a11y import (App, find, find_all, labels, press, set_text, text_of,  # noqa: E402
                         Timeout, type_text, wait_for)
import pyatspi  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
args = parser.parse_args()

import tap
from tap import check


def cli(database, *argv):
    return subprocess.run([args.cli, '--database', database] + list(argv), check=True,
                          capture_output=True, text=True).stdout


def top_window(app, name, timeout=20):
    """A window of the app (the main one, a dialog, the file chooser) by its title."""
    def look():
        for i in range(app.root.childCount):
            child = app.root.getChildAtIndex(i)
            try:
                if child is not None and child.name == name and \
                        child.getState().contains(pyatspi.STATE_VISIBLE):
                    return child
            except Exception:
                continue
        return None
    return wait_for(look, timeout, 'the window %r' % name)


def state(app):
    """The app's state and the end of its log, for a failure's message."""
    return '%s; its log ends:\n# %s' % (
        'it runs' if app.proc.poll() is None else 'it exited with %s' % app.proc.returncode,
        app.output()[-2000:].replace('\n', '\n# '))


def open_export(app):
    """Ctrl+E opens the export dialog. Without a window manager (as here) a
    dialog that closed may leave no window with the keyboard focus; a window
    manager would give it back to the main window, so the test does then."""
    press('e', ('ctrl',))
    try:
        return top_window(app, 'Export Articles', timeout=5)
    except Timeout:
        print('# no export dialog 5 s after Ctrl+E: %s' % state(app), flush=True)
        xids = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(app.proc.pid)],
                              check=True, capture_output=True, text=True).stdout.split()
        subprocess.run(['xdotool', 'windowfocus', '--sync', xids[0]], check=True)
        press('e', ('ctrl',))
        return top_window(app, 'Export Articles')


def gone(app, name):
    for i in range(app.root.childCount):
        child = app.root.getChildAtIndex(i)
        try:
            if child is not None and child.name == name and \
                    child.getState().contains(pyatspi.STATE_VISIBLE):
                return False
        except Exception:
            continue
    return True


def do(acc):
    """Runs a widget's first action: click a button, toggle a switch."""
    acc.queryAction().doAction(0)
    time.sleep(0.3)


def focused(acc):
    return acc.getState().contains(pyatspi.STATE_FOCUSED)


def tab_to(acc):
    """Moves the keyboard focus to a widget with Tab, as a user would."""
    for _ in range(40):
        if focused(acc):
            return
        press('Tab')
    raise AssertionError('Tab never reached %r' % acc.name)


def button(root, label, timeout=20):
    """A push button by its label ("_Export" reads as "_Export Export" in GTK 4.8)."""
    def look():
        for node in find_all(root, role='push button'):
            if node.name == label or (node.name or '').endswith(' ' + label):
                return node
        return None
    return wait_for(look, timeout, 'the button %r' % label)


def choose(dialog, combo_name, item):
    """Picks an item of a combo row from the keyboard: Tab to it, Space
    opens its list, arrows move to the item, Return takes it."""
    combo = find(dialog, role='combo box', name=combo_name)
    tab_to(combo)
    press('space')

    def popup():
        lists = [n for n in find_all(combo, role='list') if n.childCount > 1]
        return lists[0] if lists else None
    items = [[label.name for label in find_all(n, role='label')]
             for n in find_all(wait_for(popup, 10, 'the list of ' + combo_name),
                               role='list item')]
    target = [i for i, names in enumerate(items) if item in names][0]
    current = wait_for(lambda: [i for i, n in enumerate(find_all(popup(), role='list item'))
                                if focused(n)], 10, 'the chosen item of ' + combo_name)[0]
    for _ in range(abs(target - current)):
        press('Down' if target > current else 'Up')
    press('Return')
    wait_for(lambda: item in labels(combo), 10, item + ' chosen')


def read_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    cli(db, 'import', args.pages)
    rows = cli(db, 'list').splitlines()
    check(len(rows) > 10, 'the pages were imported (%d articles)' % len(rows))
    want = cli(db, 'export', '--format', 'jsonl').splitlines()
    want_ids = [json.loads(line)['id'] for line in want]
    out = os.path.join(tmp, 'out')
    os.mkdir(out)
    target = os.path.join(out, 'export.jsonl')

    app = App(args.galley, db).start()
    try:
        window = app.window()
        find(window, role='list', name='Articles')

        # Ctrl+E opens the dialog on the whole archive.
        dialog = open_export(app)
        check(bool(wait_for(lambda: focused(button(dialog, 'Export')), 5, 'the focus')),
              'the dialog opens with the focus on Export: Enter exports, as in a GNOME dialog')
        scope = find(dialog, role='combo box', name='Export')
        check(bool(wait_for(lambda: 'Whole archive (%d)' % len(rows) in labels(scope), 10,
                            'the scope')),
              'with no article open the dialog exports the whole archive')

        choose(dialog, 'Format', 'JSON Lines')
        check(find(dialog, role='text', name='File Name') is not None,
              'JSON Lines is one file: the dialog asks for its name')

        # The folder, through the file chooser: type its path with Ctrl+L.
        do(button(dialog, 'Choose a Folder'))
        top_window(app, 'Export to a Folder')
        press('l', ('ctrl',))
        type_text(out + '/')
        time.sleep(0.5)
        press('Return')
        folder = find(dialog, role='text', name='Folder')
        check(bool(wait_for(lambda: text_of(folder) == out, 10, 'the folder')),
              'the folder chosen in the file chooser is in the dialog (%r)' % text_of(folder))

        name = find(dialog, role='text', name='File Name')
        set_text(name, 'export')
        started = time.monotonic()
        do(button(dialog, 'Export'))
        # The toast shows for 10 s from the moment the export ends: look for
        # it at once, and for the dialog to have closed after.
        toast = 'Exported %d articles' % len(rows)
        try:
            wait_for(lambda: toast in labels(window), 20, 'the toast')
        except Timeout:
            print('# no toast %.1f s after Export, the window shows %s: %s' % (
                time.monotonic() - started, labels(window)[:20], state(app)), flush=True)
        check(toast in labels(window) and gone(app, 'Export Articles'),
              'the dialog closes and a toast tells how many articles were exported')
        button(window, 'Open Folder')
        check(os.path.exists(target), 'the file was written: %s' % sorted(os.listdir(out)))
        got = read_jsonl(target)
        check([a['id'] for a in got] == want_ids,
              'the JSON Lines file parses and holds the %d articles in order' % len(want_ids))
        check(got == [json.loads(line) for line in want],
              'it is what galley-cli export writes')
        before = os.stat(target).st_mtime_ns

        # Again into the same file: the dialog asks before replacing it.
        dialog = open_export(app)
        format_row = find(dialog, role='combo box', name='Format')
        check('JSON Lines' in labels(format_row), 'the dialog remembers the format')
        folder = find(dialog, role='text', name='Folder')
        check(text_of(folder) == out, 'the dialog remembers the folder')
        set_text(find(dialog, role='text', name='File Name'), 'export')
        do(button(dialog, 'Export'))
        question = wait_for(lambda: [n for n in find_all(app.root, role='label',
                                                         name='Replace Existing Files?')] or None,
                            20, 'the question')[0]
        check(question is not None, 'exporting onto an existing file asks first')
        check(any('export.jsonl' in label and 'already exists' in label
                  for label in labels(app.root)),
              'the question names the file')
        press('Escape')
        wait_for(lambda: not find_all(app.root, role='label', name='Replace Existing Files?'),
                 10, 'the question to go')
        check(os.stat(target).st_mtime_ns == before, 'Cancel leaves the file as it was')
        check(sorted(os.listdir(out)) == ['export.jsonl'],
              'no half-written file is left: %s' % sorted(os.listdir(out)))

        # Replace this time.
        dialog = top_window(app, 'Export Articles')
        do(button(dialog, 'Export'))
        wait_for(lambda: find_all(app.root, role='label', name='Replace Existing Files?'), 20,
                 'the question')
        do(button(app.root, 'Replace'))
        wait_for(lambda: gone(app, 'Export Articles'), 30, 'the export to finish')
        check(os.stat(target).st_mtime_ns != before, 'Replace writes the file again')
        check([a['id'] for a in read_jsonl(target)] == want_ids, 'and it is complete')

        # One Markdown file per article, into a folder typed in the dialog;
        # the example shows the first file name the pattern gives.
        dialog = open_export(app)
        choose(dialog, 'Format', 'Markdown')
        pattern = find(dialog, role='text', name='File Name Pattern')
        set_text(pattern, '{id}-{title}')
        first = json.loads(want[0])
        example = '%d-%s.md' % (first['id'], first['title'])
        check(bool(wait_for(lambda: any(example.replace(' ', '') in (label or '').replace(' ', '')
                                        for label in labels(dialog)), 10, 'the example')),
              'the example file name follows the pattern (%s)' % example)
        md = os.path.join(tmp, 'markdown')
        os.mkdir(md)
        set_text(find(dialog, role='text', name='Folder'), md)
        do(button(dialog, 'Export'))
        wait_for(lambda: gone(app, 'Export Articles'), 30, 'the export to finish')
        files = sorted(os.listdir(md))
        check(len(files) == len(rows) and all(f.endswith('.md') for f in files),
              'one Markdown file per article (%d files)' % len(files))
        check(any(f.startswith('%d-' % first['id']) for f in files),
              'the files are named by the pattern')

        # Only approved articles: there are none yet, the dialog says so.
        dialog = open_export(app)
        do(find(dialog, role='check box', contains='Only Approved Articles'))
        set_text(find(dialog, role='text', name='Folder'), out)
        do(button(dialog, 'Export'))
        check(bool(wait_for(lambda: 'None of these articles is approved' in labels(dialog), 20,
                            'the message')),
              'with no approved article the dialog says so and writes nothing')
        check(sorted(os.listdir(out)) == ['export.jsonl'], 'no file was added')
        # Escape dismisses the message, then closes the dialog.
        press('Escape')
        press('Escape')
        wait_for(lambda: gone(app, 'Export Articles'), 10, 'the dialog to close')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly with Ctrl+Q (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

    # A long export shows its progress and stops on Cancel, leaving only
    # complete files: 40 copies of the pages, a DOCX file and a provenance
    # file per article.
    big = os.path.join(tmp, 'big.db')
    copies = os.path.join(tmp, 'copies')
    os.mkdir(copies)
    for name in sorted(os.listdir(args.pages)):
        with open(os.path.join(args.pages, name), encoding='utf-8') as f:
            text = f.read()
        for copy in range(80):
            with open(os.path.join(copies, '%02d-%s' % (copy, name)), 'w', encoding='utf-8') as f:
                f.write(text + '\n（%d）\n' % copy)
    cli(big, 'import', copies)
    n_big = len(cli(big, 'list').splitlines())
    docx = os.path.join(tmp, 'docx')
    os.mkdir(docx)
    app = App(args.galley, big).start()
    try:
        window = app.window()
        find(window, role='list', name='Articles')
        dialog = open_export(app)
        choose(dialog, 'Format', 'Word document (DOCX)')
        per_article = find(dialog, role='check box', contains='One File per Article')
        if not per_article.getState().contains(pyatspi.STATE_CHECKED):
            do(per_article)
        do(find(dialog, role='check box', contains='Include Provenance'))
        set_text(find(dialog, role='text', name='Folder'), docx)
        # Cancel at once: on a fast machine the whole export takes seconds.
        cancel = button(dialog, 'Cancel')
        do(button(dialog, 'Export'))
        do(cancel)
        check(bool(wait_for(lambda: 'Export cancelled' in labels(dialog), 30, 'the cancel')),
              'Cancel stops the export and says so')
        files = os.listdir(docx)
        check(0 < len(files) < 2 * n_big, 'it stopped early (%d of %d files)' % (len(files), 2 * n_big))
        check(not [f for f in files if not re.search(r'\.(docx|provenance\.json)$', f)],
              'no half-written file is left')
        check(find(dialog, role='combo box', name='Format') is not None, 'the dialog stays open')
        press('Escape')
        press('Escape')
        wait_for(lambda: gone(app, 'Export Articles'), 10, 'the dialog to close')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly after a cancelled export (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

tap.done()
