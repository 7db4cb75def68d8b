#!/usr/bin/env python3
# make-words.py: build the word list read by galley-words.c
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-words.py WORDS OUTPUT
#
#   WORDS   a word list, one "word frequency [tag]" a line
#           (the jieba dictionary, dict.txt)
#   OUTPUT  the word list to write (words.txt)
#
# Output: UTF-8 text, one "word<TAB>frequency" a line, sorted by word, for
# the words of 1 to 8 characters with a positive frequency (the tags and
# longer words are dropped; a word listed twice gets the sum).

import collections
import sys

MAX_LENGTH = 8


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: make-words.py WORDS OUTPUT')
    freq = collections.Counter()
    with open(sys.argv[1], encoding='utf-8') as f:
        for line in f:
            fields = line.split()
            if len(fields) < 2 or len(fields[0]) > MAX_LENGTH:
                continue
            try:
                n = int(fields[1])
            except ValueError:
                continue
            if n > 0:
                freq[fields[0]] += n
    with open(sys.argv[2], 'w', encoding='utf-8') as out:
        for word in sorted(freq):
            out.write('%s\t%d\n' % (word, freq[word]))


if __name__ == '__main__':
    main()
