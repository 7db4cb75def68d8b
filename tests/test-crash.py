#!/usr/bin/python3
# kill -9 in the middle of imports: after each kill the archive passes
# PRAGMA integrity_check, every file in it is whole (all of its articles or
# none of it), and running the import again completes it.
#
#   test-crash.py --cli galley-cli --pages DIR [--galley galley] [--rounds N]
#
# With --galley (and a display) the app's own import is killed too: the
# app is started with the pages to import, as a file manager would.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import random
import signal
import sqlite3
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
parser.add_argument('--galley')
parser.add_argument('--rounds', type=int, default=15)
args = parser.parse_args()

import tap
from tap import check, skip


def query(database, sql):
    db = sqlite3.connect(database)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def state(database):
    """integrity_check's answer and {sha256: number of articles}."""
    if not os.path.exists(database):
        return 'ok', {}
    ok = query(database, 'PRAGMA integrity_check')[0][0]
    rows = query(database, 'SELECT s.sha256, count(a.id) FROM sources s'
                           ' LEFT JOIN articles a ON a.source_id = s.id GROUP BY s.id')
    return ok, dict(rows)


def make_pages(folder, count, rng):
    names = sorted(p for p in os.listdir(args.pages) if p.endswith('.txt'))
    texts = [open(os.path.join(args.pages, p), encoding='utf-8').read() for p in names]
    paragraphs = [p for t in texts for p in t.split('\n\n') if len(p) > 60]
    os.makedirs(folder)
    for i in range(count):
        blocks = texts[i % len(texts)].split('\n\n')
        for k in range(len(blocks)):
            if len(blocks[k]) > 60 and rng.random() < 0.6:
                blocks[k] = rng.choice(paragraphs)
        with open(os.path.join(folder, 'page%03d.txt' % i), 'w', encoding='utf-8') as f:
            f.write('第%d版\n\n' % i + '\n\n'.join(blocks))


def kill_rounds(label, start, database, reference, rounds, rng, delays):
    bad = []
    for r in range(rounds):
        proc = start()
        time.sleep(rng.uniform(*delays))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        ok, files = state(database)
        partial = [s for s, c in files.items() if c != reference.get(s)]
        if ok != 'ok' or partial:
            bad.append('round %d: integrity %s, %d partial files' % (r, ok, len(partial)))
    done = len(state(database)[1])
    check(not bad, '%s: %d kills, archive whole after each (%d of %d files in at the end)%s'
          % (label, rounds, done, len(reference), '; ' + '; '.join(bad) if bad else ''))


with tempfile.TemporaryDirectory() as tmp:
    rng = random.Random(9)
    pages = os.path.join(tmp, 'pages')
    make_pages(pages, 60, rng)

    # What a clean import gives, file by file.
    ref_db = os.path.join(tmp, 'reference.db')
    run = subprocess.run([args.cli, '--database', ref_db, 'import', pages],
                         capture_output=True, text=True)
    ok, reference = state(ref_db)
    check(run.returncode == 0 and len(reference) == 60 and ok == 'ok',
          'a clean import of 60 pages: ' + run.stdout.strip().splitlines()[-1])
    t = time.monotonic()
    subprocess.run([args.cli, '--database', os.path.join(tmp, 'timing.db'), 'import', pages],
                   capture_output=True)
    full = time.monotonic() - t

    db = os.path.join(tmp, 'killed.db')
    kill_rounds('galley-cli import', lambda: subprocess.Popen(
        [args.cli, '--database', db, 'import', pages],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        db, reference, args.rounds, rng, (0.01, max(0.05, full * 0.6)))
    run = subprocess.run([args.cli, '--database', db, 'import', pages],
                         capture_output=True, text=True)
    ok, files = state(db)
    check(run.returncode == 0 and files == reference and ok == 'ok',
          'importing again completes it: ' + run.stdout.strip().splitlines()[-1])

    # Two writers at once, both killed at random.
    db = os.path.join(tmp, 'two.db')
    half = [os.path.join(tmp, 'half%d' % k) for k in range(2)]
    for k, folder in enumerate(half):
        os.makedirs(folder)
        for name in sorted(os.listdir(pages))[k::2]:
            os.link(os.path.join(pages, name), os.path.join(folder, name))
    bad = []
    for r in range(max(3, args.rounds // 3)):
        procs = [subprocess.Popen([args.cli, '--database', db, 'import', folder],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for folder in half]
        time.sleep(rng.uniform(0.05, max(0.1, full)))
        for p in procs:
            p.send_signal(signal.SIGKILL)
            p.wait()
        ok, files = state(db)
        if ok != 'ok' or any(c != reference.get(s) for s, c in files.items()):
            bad.append('round %d: %s' % (r, ok))
    check(not bad, 'two galley-cli imports killed together leave a whole archive' +
          ('; '.join(bad) if bad else ''))

    if args.galley and os.environ.get('DISPLAY'):
        db = os.path.join(tmp, 'app.db')
        env = dict(os.environ, GALLEY_TEST_NO_PERSIST='1')
        page_files = [os.path.join(pages, p) for p in sorted(os.listdir(pages))]
        kill_rounds('the app\'s import', lambda: subprocess.Popen(
            [args.galley, '--database', db] + page_files, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            db, reference, max(4, args.rounds // 2), rng, (0.5, 2.5))
        ok, files = state(db)
        check(len(files) > 0, 'the app imported files between the kills (%d)' % len(files))
    else:
        skip('the app\'s import: no --galley or no display')

tap.done()
