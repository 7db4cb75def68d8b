#!/usr/bin/python3
# galley-cli end to end: import the sample pages (and bad input), export
# JSON Lines, check the contract, score the export against the gold pages.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument('--cli', required=True)
parser.add_argument('--score', required=True)
parser.add_argument('--data', required=True)
args = parser.parse_args()

import tap
from tap import check
from damage import put_out_of_step


def cli(database, *argv, status=0):
    run = subprocess.run([args.cli, '--database', database] + list(argv),
                         capture_output=True, text=True)
    check(run.returncode == status, 'galley-cli %s exits with %d (got %d: %s)'
          % (' '.join(argv)[:60], status, run.returncode, run.stderr.strip()[-200:]))
    return run


pages = os.path.join(args.data, 'pages')
gold_dir = os.path.join(args.data, 'gold')

with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')

    run = cli(db, 'import', pages)
    check('Imported 5 files' in run.stdout, 'five pages imported: ' + run.stdout.splitlines()[-1])
    run = cli(db, 'import', pages)
    check(run.stdout.count('skipped') >= 5, 'importing again skips every page')

    # Bad input: a clear error, a non-zero exit, nothing written.
    binary = os.path.join(tmp, 'scan.png')
    with open(binary, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n\0\0\0\rIHDR' + bytes(range(256)))
    empty = os.path.join(tmp, 'empty.txt')
    open(empty, 'w').close()
    run = cli(db, 'import', binary, empty, status=1)
    check('scan.png' in run.stderr and 'empty.txt' in run.stderr,
          'the failed files are named: ' + run.stderr.strip().replace('\n', ' | '))

    # Other encodings are normal input.
    with open(os.path.join(pages, '001_f737bf2f8b1f8a2a.txt'), encoding='utf-8') as f:
        text = f.read()
    gb = os.path.join(tmp, 'gb18030.txt')
    with open(gb, 'w', encoding='gb18030') as f:
        f.write(text.replace('高新区', '高新区 '))
    u16 = os.path.join(tmp, 'utf16.txt')
    with open(u16, 'w', encoding='utf-16') as f:
        f.write(text.replace('高新区', '高新区  '))
    run = cli(db, 'import', gb, u16)
    check('(GB18030)' in run.stdout and '(UTF-16LE)' in run.stdout,
          'GB18030 and UTF-16 are read: ' + run.stdout.strip().replace('\n', ' | '))
    # The same page saved in another encoding or with other line ends is
    # recognised as imported before.
    same = os.path.join(tmp, 'same-page-gb18030.txt')
    with open(same, 'w', encoding='gb18030', newline='\r\n') as f:
        f.write(text)
    run = cli(db, 'import', same)
    check('001_f737bf2f8b1f8a2a.txt' in run.stdout + run.stderr and 'Imported 0 files' in run.stdout,
          'a page saved again in GB18030 is a duplicate: ' + (run.stdout + run.stderr).strip().replace('\n', ' | '))

    run = cli(db, 'export', '--format', 'jsonl')
    articles = [json.loads(line) for line in run.stdout.splitlines()]
    check(len(articles) >= 20, '%d articles exported' % len(articles))
    fields = {'id': int, 'source_file': str, 'position': int, 'kicker': str, 'title': str,
              'subtitle': str, 'byline': str, 'body': str, 'original': str,
              'captions': list, 'tags': list, 'status': str}
    bad = [(a.get('id'), k) for a in articles for k, t in fields.items()
           if not isinstance(a.get(k), t)]
    check(not bad, 'every article has the contract fields: %s' % bad[:5])
    dates = [a['date'] for a in articles]
    check(all(d is None or re.fullmatch(r'\d{4}-\d\d-\d\d', d) for d in dates),
          'dates are ISO 8601 or null')
    check(any(d is not None for d in dates), 'some dates are resolved')
    check(all('\n\n' not in a['body'] for a in articles), 'paragraphs are separated by one newline')
    check(all(a['status'] == 'to-proofread' for a in articles), 'new articles are to proofread')
    positions = {}
    for a in articles:
        positions.setdefault(a['source_file'], []).append(a['position'])
    check(all(p == list(range(len(p))) for p in positions.values()),
          'positions count from 0 on each page')
    for name in sorted(os.listdir(pages)):
        with open(os.path.join(pages, name), encoding='utf-8') as f:
            page = f.read()
        originals = ''.join(a['original'] for a in articles if a['source_file'] == name)
        check(originals == page, '%s: the articles\' originals make up the page' % name)

    # search, show, list, stats
    run = cli(db, 'search', '营商环境')
    check(len(run.stdout.splitlines()) >= 1, 'search finds 营商环境')
    first = articles[0]
    run = cli(db, 'show', str(first['id']))
    check(first['title'] in run.stdout and first['body'] in run.stdout, 'show prints the article')
    cli(db, 'show', '999999', status=1)
    run = cli(db, 'stats')
    check('Articles: %d' % len(articles) in run.stdout, 'stats counts the articles')

    # check: sound, then a copy whose counts and search index were changed
    # behind Galley's back
    run = cli(db, 'check')
    check(run.stdout.strip() == 'The archive is sound', 'check finds the archive sound')
    damaged = os.path.join(tmp, 'damaged.db')
    shutil.copyfile(db, damaged)
    damaged_id = put_out_of_step(damaged)
    run = cli(damaged, 'check', status=1)
    check('1 article counts its changes to review wrongly' in run.stderr and
          'The search index does not match' in run.stderr,
          'check finds the wrong count and the search index out of step: ' + run.stderr.strip())
    check('check --repair' in run.stderr, 'check says how to repair them')
    run = cli(damaged, 'check', '--repair')
    check(run.stdout.strip().endswith('The archive is sound'), 'check --repair mends them: ' + run.stdout)
    run = cli(damaged, 'search', '从未有过的标题')
    check(str(damaged_id) in run.stdout, 'the repaired search index finds the new title')
    run = cli(damaged, 'check')
    check(run.stdout.strip() == 'The archive is sound', 'the repaired archive stays sound')

    # Split a page again: the articles an editor changed (here: tagged) stay.
    page = '000_633e285ed10be693.txt'
    on_page = [a for a in articles if a['source_file'] == page]
    cli(db, 'tag', str(on_page[1]['id']), '经济')
    run = cli(db, 'resegment', page)
    check(run.stdout.startswith('%s: %d articles' % (page, len(on_page))),
          'resegment splits the page the same way: ' + run.stdout.splitlines()[0])
    check('kept as edited: ' + on_page[1]['title'] in run.stdout, 'the tagged article is kept')
    again = [json.loads(line) for line in cli(db, 'export', '--format', 'jsonl').stdout.splitlines()]
    kept = [a for a in again if a['id'] == on_page[1]['id']]
    check(len(kept) == 1 and kept[0]['tags'] == ['经济'], 'it keeps its id and its tag')
    cli(db, 'resegment', 'no-such-page.txt', status=1)

    # Score the clean-up and the splitting against the gold pages.
    export = os.path.join(tmp, 'export.jsonl')
    cli(db, 'export', '--format', 'jsonl', '--output', export)
    golds = [os.path.join(gold_dir, g) for g in sorted(os.listdir(gold_dir))]
    run = subprocess.run([args.score] + golds + [export], capture_output=True, text=True)
    print('# ' + run.stdout.replace('\n', '\n# '))
    total = [line for line in run.stdout.splitlines() if line.startswith('total')]
    check(run.returncode == 0 and len(total) == 1, 'the scorer ran')
    if total:
        cols = total[0].split()
        removed = float(cols[3].rstrip('%'))
        found, gold_n = map(int, cols[4].split('/'))
        titles = int(cols[5].split('/')[0])
        check(removed >= 85.0, 'the clean-up removes %.1f%% of the raw-to-gold distance (>= 85)'
              % removed)
        check(found >= 0.95 * gold_n, '%d of %d gold articles found as one article' % (found, gold_n))
        check(titles >= 0.90 * gold_n, '%d of %d titles match' % (titles, gold_n))

tap.done()
