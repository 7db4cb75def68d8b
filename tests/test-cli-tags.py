#!/usr/bin/python3
# galley-cli tag, untag, tags, classify and classify-eval on the sample pages.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import re
import subprocess
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument('--cli', required=True)
parser.add_argument('--data', required=True)
args = parser.parse_args()

import tap
from tap import check


def cli(database, *argv, status=0):
    run = subprocess.run([args.cli] + (['--database', database] if database else []) + list(argv),
                         capture_output=True, text=True)
    check(run.returncode == status, 'galley-cli %s exits with %d (got %d: %s)'
          % (' '.join(argv)[:60], status, run.returncode, run.stderr.strip()[-200:]))
    return run


def tag_counts(database):
    counts = {}
    for line in cli(database, 'tags').stdout.splitlines():
        fields = line.split('\t')
        counts[fields[1].strip()] = int(fields[0])
    return counts


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    cli(db, 'import', os.path.join(args.data, 'pages'))
    ids = [int(line.split('\t')[0]) for line in cli(db, 'list').stdout.splitlines()]

    counts = tag_counts(db)
    check(len(counts) == 17 and counts.get('体育') == 0,
          'a new archive has the 17 IPTC Media Topics: %s' % sorted(counts)[:3])
    check('medtop:15000000' in cli(db, 'tags').stdout, 'the tags carry their IPTC codes')

    # Editors tag a few articles (a new tag is made on the way).
    run = cli(db, 'tag', str(ids[0]), '经济', '营商环境')
    check('营商环境' in run.stderr, 'a new tag is announced: ' + run.stderr.strip())
    cli(db, 'tag', str(ids[3]), '安全生产')
    cli(db, 'tag', str(ids[2]), '教育')
    counts = tag_counts(db)
    check(counts.get('经济') == 1 and counts.get('安全生产') == 1, 'the tags are counted')
    cli(db, 'untag', str(ids[0]), '营商环境')
    check(tag_counts(db).get('营商环境') == 0, 'untag removes the tag')
    # Tags are listed in the order of the user's language: by pinyin in a
    # Chinese locale (made here, the machine may have none).
    locales = os.path.join(tmp, 'locales')
    os.mkdir(locales)
    subprocess.run(['localedef', '-i', 'zh_CN', '-f', 'UTF-8', os.path.join(locales, 'zh_CN.UTF-8')],
                   check=True, capture_output=True)
    zh = dict(os.environ, LOCPATH=locales, LC_ALL='zh_CN.UTF-8')
    listed = subprocess.run([args.cli, '--database', db, 'tags'], env=zh, check=True,
                            capture_output=True, text=True).stdout
    names = [line.split('\t')[1] for line in listed.splitlines()]
    first = {name: i for i, name in enumerate(names)}
    check(first['安全生产'] < first['环境'] < first['教育'] < first['劳动'] < first['体育'] < first['政治'],
          'tags are in pinyin order in a Chinese locale: %s' % names[:6])
    cli(db, 'untag', str(ids[0]), '没有这个', status=1)
    cli(db, 'tag', 'x', '经济', status=2)
    cli(db, 'tag', '999999', '经济', status=1)
    # A failed command changes nothing: no new tag for a missing article,
    # no tag removed when another of the command is missing.
    cli(db, 'tag', '999999', '不该留下', status=1)
    check('不该留下' not in tag_counts(db), 'tagging a missing article makes no tag')
    cli(db, 'untag', str(ids[0]), '经济', '没有这个', status=1)
    check(tag_counts(db).get('经济') == 1, 'an untag that fails removes no tag')
    listed = cli(db, 'list', '--tag', '经济').stdout.splitlines()
    check(len(listed) == 1 and listed[0].startswith('%d\t' % ids[0]), 'list --tag lists the tagged article')
    run = cli(db, 'list', '--tag', '经济x', status=1)
    check('经济x' in run.stderr and not run.stdout, 'list --tag with no such tag says so')
    untagged = [int(line.split('\t')[0]) for line in cli(db, 'list', '--untagged').stdout.splitlines()]
    check(untagged == [i for i in ids if i not in (ids[0], ids[2], ids[3])],
          'list --untagged lists the articles no editor tagged, in page order')
    check('Untagged articles: %d\n' % (len(ids) - 3) in cli(db, 'stats').stdout,
          'stats counts the untagged articles')

    # Suggestions for the untagged articles, as JSON Lines.
    run = cli(db, 'classify', '--json')
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    tagged = {ids[0], ids[2], ids[3]}
    check(len(lines) == len(ids) - 3 and not tagged & {x['id'] for x in lines},
          'classify suggests for the %d untagged articles' % (len(ids) - 3))
    ok = all(1 <= len(x['suggestions']) <= 3 and
             x['suggestions'][0]['tag'] in ('经济', '安全生产', '教育') and
             0 < x['suggestions'][0]['confidence'] <= 1 and
             x['suggestions'] == sorted(x['suggestions'], key=lambda s: -s['confidence'])
             for x in lines)
    check(ok, 'each has its best tags with a confidence, best first: %s' % lines[0])
    one = [json.loads(line) for line in cli(db, 'classify', '--json', str(ids[3])).stdout.splitlines()]
    check(len(one) == 1 and one[0]['id'] == ids[3], 'classify ID suggests for that article')
    run = cli(db, 'classify', str(ids[3]), '999999', status=1)
    check('999999' in run.stderr and not run.stdout, 'classify names a missing article: ' + run.stderr.strip())

    # Tag every untagged article above a confidence, in bulk.
    sure = [x for x in lines if x['suggestions'][0]['confidence'] >= 0.5]
    run = cli(db, 'classify', '--min', '0.5', '--apply')
    check(('Tagged %d article' % len(sure)) in run.stdout, 'classify --apply: ' + run.stdout.strip())
    cli(db, 'classify', '--apply', status=2)

    # With ten articles of each of two tags the suggestions also learn from
    # their sure guesses for the other articles; tags applied in bulk teach
    # nothing: the same suggestions after, and a second run tags nothing.
    guesses = os.path.join(tmp, 'guesses.db')
    cli(guesses, 'import', os.path.join(args.data, 'pages'))
    all_ids = [int(line.split('\t')[0]) for line in cli(guesses, 'list').stdout.splitlines()]
    for i, article_id in enumerate(all_ids[-20:]):
        cli(guesses, 'tag', str(article_id), '经济' if i < 10 else '安全生产')

    def suggestions():
        return {x['id']: x['suggestions'] for x in map(json.loads, cli(guesses, 'classify', '--json').stdout.splitlines())}
    before = suggestions()
    run = cli(guesses, 'classify', '--min', '0.7', '--apply')
    applied = int(re.search(r'Tagged (\d+)', run.stdout).group(1))
    after = suggestions()
    check(0 < applied < len(before) and all(after[i] == before[i] for i in after) and len(after) == len(before) - applied,
          'tags applied in bulk change no suggestion (%d applied)' % applied)
    run = cli(guesses, 'classify', '--min', '0.7', '--apply')
    check('Tagged 0 articles' in run.stdout, 'a second run tags nothing: ' + run.stdout.strip())

    # The taxonomy round trip through a file.
    taxonomy = os.path.join(tmp, 'taxonomy.tsv')
    cli(db, 'tags', '--export', taxonomy)
    other = os.path.join(tmp, 'other.db')
    with open(taxonomy, encoding='utf-8') as f:
        text = f.read()
    check('营商环境' in text and 'medtop:15000000\tsport' in text, 'tags --export writes the taxonomy')
    run = cli(other, 'tags', '--import', taxonomy, '--export', '-', status=2)
    check('--import' in run.stderr and not run.stdout, 'tags --import and --export together are refused')
    broken = os.path.join(tmp, 'broken.tsv')
    with open(broken, 'w', encoding='utf-8') as f:
        f.write('x\ty\n')
    run = cli(other, 'tags', '--import', broken, status=1)
    check(run.stderr.count('broken.tsv') == 1 and 'Line 1' in run.stderr,
          'a wrong taxonomy file is named once, with its line: ' + run.stderr.strip())
    run = cli(db, 'tag', str(ids[0]), ' 空格 ')
    check('“空格”' in run.stderr and '空格' in tag_counts(db), 'a tag name is trimmed: ' + run.stderr.strip())
    run = cli(other, 'tags', '--import', taxonomy)
    check('Added 3 tags' in run.stderr, 'tags --import adds the missing tags: ' + run.stderr.strip())
    check(cli(other, 'tags', '--export', '-').stdout == text, 'the imported taxonomy is the same')

    # classify-eval: train on one file, test on another.
    train = os.path.join(tmp, 'train.tsv')
    test = os.path.join(tmp, 'test.tsv')
    with open(train, 'w', encoding='utf-8') as f:
        for i in range(5):
            f.write('足球比赛第%d轮 球队获胜\t体育\n' % i)
            f.write('全区经济增长 投资项目%d个\t经济\n' % i)
    with open(test, 'w', encoding='utf-8') as f:
        f.write('篮球比赛 球队\t体育\n经济 投资\t经济\n')
    run = cli(None, 'classify-eval', train, test)
    last = run.stdout.strip().splitlines()[-1]
    check(re.fullmatch(r'accuracy (0\.\d{4}|1\.0000)', last) is not None and float(last.split()[1]) == 1.0,
          'classify-eval prints its accuracy last: ' + last)
    run = cli(None, 'classify-eval', train, os.path.join(tmp, 'missing.tsv'), status=1)
    check('missing.tsv' in run.stderr, 'a missing file is named')

    # An article's tags in `show`: their names may hold commas and 、, so
    # a semicolon parts them.
    cli(db, 'tag', str(ids[5]), '经济、商业和金融', 'a, b')
    line = [l for l in cli(db, 'show', str(ids[5])).stdout.splitlines() if l.startswith('Tags: ')]
    check(line and sorted(line[0][len('Tags: '):].split('; ')) == ['a, b', '经济、商业和金融'],
          'show parts the tags with semicolons: %s' % line)

tap.done()
