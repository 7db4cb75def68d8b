#!/usr/bin/env python3
# grow-archive.py: a large archive for search measurements, made from a
# smaller imported one (bench-archive import) without importing again
#
#   grow-archive.py SMALL.db BIG.db ARTICLES
#   bench-archive reindex BIG.db
#
# Copies the small archive, then adds copies of its articles until there
# are ARTICLES: each copy's paragraphs are shuffled and a few characters per
# paragraph swapped for others of the archive, so that no two are the same.
# The copies keep title and body (the search and list columns); their
# revisions and changes are not copied. New articles are not indexed by a
# trigger (Galley indexes them as it stores them): the search indexes are
# rebuilt once after the load.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import random
import shutil
import sqlite3
import sys
import time

small, big, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copyfile(small, big)
db = sqlite3.connect(big, isolation_level=None)
db.execute('PRAGMA journal_mode = WAL')
db.execute('PRAGMA synchronous = OFF')
rows = db.execute('SELECT source_id, position, title, body, date, status FROM articles').fetchall()
rng = random.Random(3)
cjk = sorted({c for r in rows[:2000] for c in r[3] if '\u4e00' <= c <= '\u9fff'})
have = len(rows)
t = time.monotonic()
db.execute('BEGIN')
now = int(time.time())
batch = []
while have < target:
    source_id, position, title, body, date, status = rows[rng.randrange(len(rows))]
    paragraphs = body.split('\n')
    rng.shuffle(paragraphs)
    chars = list('\n'.join(paragraphs))
    for _ in range(max(1, len(chars) // 60)):
        i = rng.randrange(len(chars))
        if '\u4e00' <= chars[i] <= '\u9fff':
            chars[i] = rng.choice(cjk)
    body = ''.join(chars)
    batch.append((source_id, position + 1000 + have, title, body, body, date, now, now))
    have += 1
    if len(batch) == 10000:
        db.executemany('INSERT INTO articles (source_id, position, slice_start, slice_end, title,'
                       ' body, body_original, original, date, created_at, modified_at)'
                       " VALUES (?, ?, 0, 0, ?, ?, ?, '', ?, ?, ?)", batch)
        batch = []
if batch:
    db.executemany('INSERT INTO articles (source_id, position, slice_start, slice_end, title,'
                   ' body, body_original, original, date, created_at, modified_at)'
                   " VALUES (?, ?, 0, 0, ?, ?, ?, '', ?, ?, ?)", batch)
# Galley moves the lists' order counters as it adds articles (schema 9).
if db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'list_orders'").fetchone():
    db.execute('UPDATE list_orders SET page = page + 1, date = date + 1, pending = pending + 1')
db.execute('COMMIT')
db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
print('grow: %d articles in %.0f s; now run bench-archive reindex %s' % (have, time.monotonic() - t, big))
