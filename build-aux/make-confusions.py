#!/usr/bin/env python3
# make-confusions.py: build the OCR look-alike cache read by galley-confusion.c
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-confusions.py DICTIONARY_LIKE_DATA IRG_SOURCES WORDS OUTPUT
#
#   DICTIONARY_LIKE_DATA  Unihan_DictionaryLikeData.txt(.bz2), for kFourCornerCode
#   IRG_SOURCES           Unihan_IRGSources.txt(.bz2), for kTotalStrokes
#   WORDS                 a word list, one "word frequency [tag]" a line
#                         (the jieba dictionary, dict.txt)
#   OUTPUT                the cache to write (confusions.bin)
#
# Look-alike groups: common characters (in GB 2312 and frequent in the word
# list) that share a four-corner code (its four digits) and a stroke count,
# plus a few classic OCR confusions that the four-corner code splits
# (EXTRA_GROUPS).  Only what the scan needs is kept: the groups, per-character
# counts, and the words (2 to 4 characters) holding a confusable character.
#
# File format, all integers little-endian:
#
#   offset  size            field
#   0       8               magic "GLYCONF\0"
#   8       4               format version (1)
#   12      4               n_chars: confusable characters
#   16      4               n_alts: look-alike entries in total
#   20      4               n_slots: hash slots
#   24      8               start_total: summed frequency of all words
#   32      12 * n_chars    characters, ascending by code point:
#                             u32 code point, u32 first alternative, u32 count
#   ..      4 * n_alts      alternatives: u32 code point
#   ..      0 or 4          padding to a multiple of 8
#   ..      8 * n_slots     hash table, open addressing with linear probing
#
# A hash key is a tag and a sequence of code points:
#   h = (0xcbf29ce484222325 ^ tag) * 0x100000001b3;
#   for each cp: h = (h ^ cp) * 0x100000001b3
#   then MurmurHash3's fmix64 (all arithmetic modulo 2^64).
# The first slot tried is ((h & 0xffffffff) * n_slots) >> 32.  A slot holds
# (h & ~0xffff) | value, 0 when empty.  Values are counts as
# 1 + round (log2 (count) * 1024), or 0 for "present, no count".  Tags:
#   'W' + a word: its frequency; also a bare "present" entry for every
#       bigram inside a kept word that touches a confusable character
#   'N' + char:   summed frequency of the words holding the char (per use)
#   'E' + char:   summed frequency of the words ending in the char
#   'S' + char:   summed frequency of the words starting with the char

import bz2
import collections
import math
import struct
import sys

EXTRA_GROUPS = ['大太犬', '干千于', '己已巳', '戊戌戍']
MIN_CHAR_MASS = 500   # a look-alike must be this frequent in the word list
MIN_WORD_FREQ = 5     # words below this are mostly names and misspellings
MAX_WORD_LEN = 4
MIN_STAT_MASS = 50    # per-character counts kept for characters this frequent
LOAD = 0.7

MASK64 = (1 << 64) - 1


def open_text (path):
  if path.endswith ('.bz2'):
    return bz2.open (path, 'rt', encoding='utf-8')
  return open (path, encoding='utf-8')


def read_unihan (path, field):
  values = {}
  with open_text (path) as f:
    for line in f:
      if line.startswith ('U+'):
        cp, name, value = line.rstrip ('\n').split ('\t', 2)
        if name == field:
          values[chr (int (cp[2:], 16))] = value.split ()
  return values


def is_common (c):
  if not '\u4e00' <= c <= '\u9fff':
    return False
  try:
    return len (c.encode ('gb2312')) == 2
  except UnicodeEncodeError:
    return False


def key_hash (tag, text):
  h = ((0xcbf29ce484222325 ^ ord (tag)) * 0x100000001b3) & MASK64
  for c in text:
    h = ((h ^ ord (c)) * 0x100000001b3) & MASK64
  h ^= h >> 33
  h = (h * 0xff51afd7ed558ccd) & MASK64
  h ^= h >> 33
  h = (h * 0xc4ceb9fe1a85ec53) & MASK64
  h ^= h >> 33
  return h


def quantize (count):
  if count <= 0:
    return 0
  return min (0xffff, 1 + round (math.log2 (count) * 1024))


def main (argv):
  if len (argv) != 5:
    sys.exit ('usage: make-confusions.py DICTIONARY_LIKE_DATA IRG_SOURCES WORDS OUTPUT')
  four_corner = read_unihan (argv[1], 'kFourCornerCode')
  strokes = read_unihan (argv[2], 'kTotalStrokes')

  words = {}
  with open_text (argv[3]) as f:
    for line in f:
      parts = line.split ()
      if len (parts) >= 2 and parts[1].isdigit ():
        words[parts[0]] = words.get (parts[0], 0) + int (parts[1])

  mass = collections.Counter ()
  ends = collections.Counter ()
  starts = collections.Counter ()
  for w, f in words.items ():
    for c in w:
      mass[c] += f
    ends[w[-1]] += f
    starts[w[0]] += f
  start_total = sum (starts.values ())

  groups = collections.defaultdict (set)
  for c, codes in four_corner.items ():
    if c in strokes and is_common (c) and mass[c] >= MIN_CHAR_MASS:
      for code in codes:
        groups[(code[:4], strokes[c][0])].add (c)
  alts = collections.defaultdict (set)
  for group in list (groups.values ()) + [set (g) for g in EXTRA_GROUPS]:
    for c in group:
      alts[c] |= group - {c}
  alts = {c: sorted (a) for c, a in alts.items () if a}

  entries = {}
  def put (tag, text, value):
    h = key_hash (tag, text)
    fp = h & ~0xffff & MASK64
    assert fp != 0
    old = entries.get (fp)
    assert old is None or old[0] == (tag, text), 'fingerprint clash'
    entries[fp] = ((tag, text), h, value)

  n_words = 0
  bigrams = set ()
  for w, f in words.items ():
    if 2 <= len (w) <= MAX_WORD_LEN and f >= MIN_WORD_FREQ and any (c in alts for c in w):
      put ('W', w, quantize (f))
      n_words += 1
      for k in range (len (w) - 1):
        if w[k] in alts or w[k + 1] in alts:
          bigrams.add (w[k:k + 2])
  for b in bigrams:
    if not (b in words and words[b] >= MIN_WORD_FREQ):
      put ('W', b, 0)
  n_stats = 0
  for c, m in mass.items ():
    if m >= MIN_STAT_MASS or c in alts:
      put ('N', c, quantize (m))
      put ('E', c, quantize (ends[c]))
      put ('S', c, quantize (starts[c]))
      n_stats += 1

  n_slots = int (len (entries) / LOAD) + 1
  slots = [0] * n_slots
  for fp, (_, h, value) in entries.items ():
    i = ((h & 0xffffffff) * n_slots) >> 32
    while slots[i]:
      i = (i + 1) % n_slots
    slots[i] = fp | value

  chars = sorted (alts)
  table = bytearray ()
  alt_list = []
  for c in chars:
    table += struct.pack ('<III', ord (c), len (alt_list), len (alts[c]))
    alt_list += [ord (a) for a in alts[c]]
  out = bytearray (b'GLYCONF\0')
  out += struct.pack ('<IIIIQ', 1, len (chars), len (alt_list), n_slots, start_total)
  out += table
  out += struct.pack ('<%dI' % len (alt_list), *alt_list)
  out += bytes (-len (out) % 8)
  out += struct.pack ('<%dQ' % n_slots, *slots)
  with open (argv[4], 'wb') as f:
    f.write (out)
  print ('%s: %d confusable characters, %d words, %d bigrams, %d characters counted, %d bytes'
         % (argv[4], len (chars), n_words, len (bigrams), n_stats, len (out)))


if __name__ == '__main__':
  main (sys.argv)
