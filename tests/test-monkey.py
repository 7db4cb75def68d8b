#!/usr/bin/python3
# The real window under a stream of random keys a proofreader uses (next
# and previous change, accept, reject, accept a rule, undo, redo, typing,
# line breaks, status up and down, next article to review, split, merge,
# line to title, the history opened and closed), seeded: no GTK warning, a
# clean quit, and an archive that passes `galley-cli check`. Not the
# comparison with the OCR text (Ctrl+D): for a second or two after it
# opens, the text is wrapped again at half the width, and moving the
# cursor meanwhile makes GTK 4.8 warn ("Trying to snapshot GtkGizmo
# without a current allocation").
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from galley_a11y import App, find, press, text_of, type_text, wait_for  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
parser.add_argument('--steps', type=int, default=150)
parser.add_argument('--seed', type=int, default=None)
args = parser.parse_args()

import tap  # noqa: E402
from tap import check  # noqa: E402

seed = args.seed if args.seed is not None else random.randrange(1 << 30)
rng = random.Random(seed)
print('# seed %d (run again with --seed %d)' % (seed, seed), flush=True)

KEYS = [
    (6, lambda: press('F8')),
    (2, lambda: press('F8', ('shift',))),
    (5, lambda: press('Return', ('alt',))),
    (5, lambda: press('BackSpace', ('alt',))),
    (1, lambda: press('Return', ('alt', 'shift'))),
    (4, lambda: press('z', ('ctrl',))),
    (3, lambda: press('z', ('ctrl', 'shift'))),
    (4, lambda: type_text(rng.choice(['a', 'ok', ' x ']))),
    (2, lambda: press('Return')),
    (2, lambda: press('BackSpace')),
    (2, lambda: press(rng.choice(['Left', 'Right', 'Up', 'Down', 'Home', 'End']))),
    (2, lambda: press('End', ('ctrl',))),
    (2, lambda: press('m', ('ctrl',))),
    (1, lambda: press('m', ('ctrl', 'shift'))),
    (3, lambda: press('Page_Down', ('ctrl',))),
    (1, lambda: press('Page_Up', ('ctrl',))),
    (1, lambda: press('S', ('ctrl', 'shift'))),
    (1, lambda: press('J', ('ctrl', 'shift'))),
    (1, lambda: press('T', ('ctrl', 'shift'))),
    (1, lambda: (press('h', ('ctrl', 'shift')), time.sleep(0.5), press('Escape'))),
]
WEIGHTS = [w for w, _ in KEYS]


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    subprocess.run([args.cli, '--database', db, 'import', args.pages], check=True,
                   capture_output=True)
    app = App(args.galley, db).start()
    try:
        window = app.window()
        # Open the first article: the cursor goes into its text.
        press('f', ('ctrl',))
        press('Down')
        press('Return')
        body = find(window, role='text', name='Article text')
        wait_for(lambda: text_of(body) != '', 10, 'the article text')
        steps = 0
        for steps in range(1, args.steps + 1):
            index = rng.choices(range(len(KEYS)), WEIGHTS)[0]
            now = time.time()  # (the time to match GTK's warnings with the keys)
            print('# step %d: key %d at %s.%03d' % (steps, index, time.strftime('%H:%M:%S', time.localtime(now)),
                                                   now % 1 * 1000), flush=True)
            KEYS[index][1]()
            if app.proc.poll() is not None:
                break
        time.sleep(1.5)  # the last autosave
        alive = app.proc.poll() is None
        check(alive, 'the window is still there after %d random keys' % steps)
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

    run = subprocess.run([args.cli, '--database', db, 'check'], capture_output=True, text=True)
    check(run.returncode == 0, 'the archive passes galley-cli check: %s' % (run.stdout + run.stderr).strip())

tap.done()
