#!/usr/bin/env python3
# make-pages.py: a realistic archive of OCR'd pages made from the sample pages
#
#   make-pages.py --pages 10000 --out DIR [--seed 1] SAMPLE_PAGES_DIR
#
# Each page keeps the layout of one sample page (headlines, blank lines,
# page breaks) but its paragraphs are drawn from all the sample pages, so
# that no two pages hold the same text: long paragraphs are shuffled
# between pages, dates and numbers are varied, and a few characters per
# paragraph are swapped for others of the archive (as OCR confuses them).
# File names carry a date, as scanned issues do.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import random
import re
import sys

DATE = re.compile(r'(\d{1,2})月(\d{1,2})日')
YEAR = re.compile(r'(19|20)\d\d年')
NUMBER = re.compile(r'\d+(\.\d+)?')


def blocks_of(text):
    """The page as blocks separated by blank lines, blank runs kept."""
    return re.split(r'(\n\s*\n)', text)


def is_paragraph(block):
    return len(block) > 80 and '\n\n' not in block


def vary(block, rng, cjk, year):
    block = DATE.sub(lambda m: '%d月%d日' % (rng.randint(1, 12), rng.randint(1, 28)), block)
    block = YEAR.sub(lambda m: '%d年' % year, block)
    block = NUMBER.sub(lambda m: str(rng.randint(1, 999)) if rng.random() < 0.5 else m.group(0),
                       block)
    chars = list(block)
    for _ in range(max(1, len(chars) // 60)):
        i = rng.randrange(len(chars))
        if '\u4e00' <= chars[i] <= '\u9fff':
            chars[i] = rng.choice(cjk)
    return ''.join(chars)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--pages', type=int, required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('samples')
    args = parser.parse_args()

    rng = random.Random(args.seed)
    layouts = []
    pool = []
    for name in sorted(os.listdir(args.samples)):
        if not name.endswith('.txt'):
            continue
        with open(os.path.join(args.samples, name), encoding='utf-8') as f:
            blocks = blocks_of(f.read())
        layouts.append(blocks)
        pool.extend(b for b in blocks if is_paragraph(b))
    if not layouts:
        sys.exit('no .txt pages in %s' % args.samples)
    cjk = sorted({c for b in pool for c in b if '\u4e00' <= c <= '\u9fff'})

    os.makedirs(args.out, exist_ok=True)
    per_dir = 1000
    for n in range(args.pages):
        layout = rng.choice(layouts)
        year = rng.randint(1995, 2024)
        out = []
        for block in layout:
            if is_paragraph(block):
                block = rng.choice(pool) if rng.random() < 0.7 else block
                block = vary(block, rng, cjk, year)
            elif block.strip():
                block = vary(block, rng, cjk, year) if rng.random() < 0.5 else block
            out.append(block)
        folder = os.path.join(args.out, '%04d' % (n // per_dir))
        os.makedirs(folder, exist_ok=True)
        name = '%d-%02d-%02d_p%02d_%06d.txt' % (year, rng.randint(1, 12), rng.randint(1, 28),
                                                rng.randint(1, 16), n)
        with open(os.path.join(folder, name), 'w', encoding='utf-8') as f:
            f.write(''.join(out))


if __name__ == '__main__':
    main()
