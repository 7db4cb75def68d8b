#!/usr/bin/python3
# scale.py: the archive-scale measurements on one machine in one run
#
#   bench/scale.py [--build _build] [--pages 1000,10000] [--articles 100000,1000000]
#                  [--work DIR] [--window]
#
# Makes archives of PAGES pages from the sample pages (bench/make-pages.py)
# and imports each into a new archive (bench-archive import: pages per
# second with segmentation, clean-up, look-alike checks and both search
# indexes, CPU time, peak memory, database size); grows the largest to
# each number of ARTICLES (bench/grow-archive.py, indexes rebuilt once)
# and times 100 Chinese searches on each (bench-archive query); with
# --window and a display, times the window's start and scrolling on the
# archive of 100,000 articles (bench/bench-window.py). Prints one table at
# the end. Needs about 15 GB in --work for 1,000,000 articles.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

parser = argparse.ArgumentParser(description='Archive scale, in one run')
parser.add_argument('--build', default=os.path.join(SOURCE, '_build'))
parser.add_argument('--pages', default='1000,10000', help='page counts to import')
parser.add_argument('--articles', default='100000,1000000', help='article counts to search')
parser.add_argument('--work', help='where the pages and archives go (a temporary folder by default)')
parser.add_argument('--window', action='store_true', help='also run bench-window.py (needs a display)')
args = parser.parse_args()

BENCH = os.path.join(args.build, 'bench', 'bench-archive')
if not os.access(BENCH, os.X_OK):
    sys.exit('no bench-archive in %s: build first' % args.build)
ENV = dict(os.environ, GALLEY_DATA_DIR=os.path.join(args.build, 'data'))
SAMPLES = os.path.join(SOURCE, 'tests', 'data', 'pages')


def run(*argv):
    print('$ ' + ' '.join(argv), flush=True)
    done = subprocess.run(argv, env=ENV, stdout=subprocess.PIPE, text=True, check=True)
    print(done.stdout, end='', flush=True)
    return done.stdout


def load():
    return open('/proc/loadavg').read().split()[0]


def search_rows(out):
    rows = {}
    for m in re.finditer(r'search (.+?)\s+n=\s*(\d+)\s+median\s+([\d.]+) ms\s+p95\s+([\d.]+) ms\s+max\s+([\d.]+) ms',
                         out):
        rows[m.group(1).strip()] = (float(m.group(3)), float(m.group(4)), float(m.group(5)))
    return rows


def main(work):
    table = []
    pages = [int(p) for p in args.pages.split(',') if p]
    largest = None
    for n in pages:
        folder = os.path.join(work, 'pages-%d' % n)
        db = os.path.join(work, 'archive-%d.db' % n)
        if not os.path.isdir(folder):
            run(sys.executable, os.path.join(SOURCE, 'bench', 'make-pages.py'),
                '--pages', str(n), '--out', folder, SAMPLES)
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        before = load()
        out = run(BENCH, 'import', db, folder)
        m = re.search(r'(\d+) pages \((\d+) articles, (\d+) failed\) in ([\d.]+) s \(([\d.]+) s of CPU\): (\d+) pages/s', out)
        size = re.search(r'database (\d+) MB, peak RSS (\d+) MB', out)
        table.append('| import %s pages | %s articles, %s failed | %s s of CPU (%s pages a CPU second), %s s wall | '
                     'peak %s MB | database %s MB | load %s |' % (
                         format(n, ','), format(int(m.group(2)), ','), m.group(3), m.group(5),
                         round(n / float(m.group(5))), m.group(4),
                         size.group(2), size.group(1), before))
        largest = db
    for n in [int(a) for a in args.articles.split(',') if a]:
        db = os.path.join(work, 'articles-%d.db' % n)
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        run(sys.executable, os.path.join(SOURCE, 'bench', 'grow-archive.py'), largest, db, str(n))
        run(BENCH, 'reindex', db)
        before = load()
        rows = search_rows(run(BENCH, 'query', db))
        for name in ('all', 'all, order not read yet', 'all, after an edit'):
            if name in rows:
                median, p95, most = rows[name]
                table.append('| search %s articles (%s) | 100 words | median %.1f ms | p95 %.1f ms | max %.1f ms | load %s |'
                             % (format(n, ','), name, median, p95, most, before))
        if n == 100000 and args.window and os.environ.get('DISPLAY'):
            out = run(sys.executable, os.path.join(SOURCE, 'bench', 'bench-window.py'),
                      '--build', args.build, '--runs', '3', '--renderer', 'cairo', '--no-a11y', db)
            for line in out.splitlines():
                if 'first rows drawn' in line or line.strip().startswith(('wheel', 'keys')):
                    table.append('| window, %s articles | %s |' % (format(n, ','), ' '.join(line.split())))
    print('\n== scale, %s ==' % time.strftime('%Y-%m-%d %H:%M'))
    for row in table:
        print(row)


if args.work:
    os.makedirs(args.work, exist_ok=True)
    main(args.work)
else:
    with tempfile.TemporaryDirectory(prefix='galley-scale-') as work:
        main(work)
