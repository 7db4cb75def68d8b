#!/usr/bin/python3
# Bad input and a hostile disk, through galley-cli: each input of the table
# in docs/robustness.md gives a clear error or a correct import, no crash,
# bounded memory; a damaged archive is refused and left as it is; a
# read-only one opens read-only; a full disk keeps the last good state;
# concurrent imports into one archive neither fail nor corrupt it.
#
# Read-only and full-disk cases need mount (root); they are skipped, and
# say so, where it is not allowed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
parser.add_argument('--quick', action='store_true', help='1,000 files instead of 10,000')
args = parser.parse_args()

# Under AddressSanitizer memory is not Galley's own (shadow memory and
# quarantine), and everything is slower: bound only the normal build.
with open(args.cli, 'rb') as f:
    SANITIZED = b'__asan_init' in f.read()
MAX_RSS_MB = 4096 if SANITIZED else 300
if SANITIZED:
    args.quick = True
import tap
from tap import check, skip


def cli(database, *argv):
    """Runs galley-cli; returns (status, stdout, stderr, peak RSS in MB)."""
    with tempfile.TemporaryFile('w+') as out, tempfile.TemporaryFile('w+') as err:
        proc = subprocess.Popen([args.cli, '--database', database] + list(argv),
                                stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), usage.ru_maxrss / 1024


def integrity(database):
    db = sqlite3.connect(database)
    try:
        return db.execute('PRAGMA integrity_check').fetchone()[0]
    finally:
        db.close()


def count(database, sql):
    db = sqlite3.connect(database)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def sha(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


page_names = sorted(p for p in os.listdir(args.pages) if p.endswith('.txt'))
with open(os.path.join(args.pages, page_names[0]), encoding='utf-8') as f:
    page = f.read()

with tempfile.TemporaryDirectory() as tmp:
    # -- The table of bad inputs -----------------------------------------
    rng = random.Random(1)
    gb = page.encode('gb18030')
    cut = len(gb) - 1
    while gb[cut - 1] < 0x80:   # end inside a two-byte character
        cut -= 1
    inputs = [
        # name, bytes, expected status, text expected in the output
        ('binary.bin', bytes(rng.randrange(256) for _ in range(200000)), 1, 'binary data'),
        ('truncated-gb18030.txt', gb[:cut], 0, 'GB18030'),
        ('utf16le-no-bom.txt', page.encode('utf-16-le'), 0, 'UTF-16LE'),
        # (another page: the same text in another encoding is a duplicate)
        ('utf16be-no-bom.txt', (page + '\n（二）\n').encode('utf-16-be'), 0, 'UTF-16BE'),
        ('truncated-utf8.txt', page.encode()[:-1], 0, 'UTF-8'),
        ('one-mb-line.txt', (page.replace('\n', '') * 80).encode()[:1100000].decode(
            'utf-8', 'ignore').encode(), 0, '(UTF-8)'),
        ('nul-bytes.txt', page.encode()[:3000] + b'\0' * 4 + page.encode()[3000:], 1,
         'binary data'),
        ('mixed-encodings.txt', page.encode()[:6000] + page.encode('gb18030')[6000:], 1,
         'neither UTF-8'),
        ('empty.txt', b'', 1, 'empty'),
        ('spaces.txt', '\u3000 \n\t\n'.encode() * 100, 1, 'empty'),
    ]
    for name, data, status, expect in inputs:
        path = os.path.join(tmp, name)
        with open(path, 'wb') as f:
            f.write(data)
        db = os.path.join(tmp, 'bad.db')
        code, out, err, rss = cli(db, 'import', path)
        check(code == status and expect in out + err and rss < MAX_RSS_MB,
              '%s: status %d (want %d), %.0f MB: %s' % (name, code, status, rss,
                                                       (out + err).strip().splitlines()[0][-90:]))
    check(integrity(db) == 'ok', 'the archive passes integrity_check after the bad inputs')

    # A file of 200 MB (sparse: its size is what is checked) is refused at once.
    huge = os.path.join(tmp, 'huge.txt')
    with open(huge, 'wb') as f:
        f.truncate(200 * 1024 * 1024)
    t = time.monotonic()
    code, out, err, rss = cli(db, 'import', huge)
    check(code == 1 and 'larger than' in err and time.monotonic() - t < 5,
          'a 200 MB file is refused: ' + err.strip()[-80:])

    # A folder of 10,000 small pages imports whole, in bounded memory.
    many = os.path.join(tmp, 'many')
    n_files = 1000 if args.quick else 10000
    paragraphs = [p for p in page.split('\n\n') if len(p) > 40]
    for i in range(n_files):
        sub = os.path.join(many, '%02d' % (i // 1000))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, 'p%05d.txt' % i), 'w', encoding='utf-8') as f:
            f.write('第%d期\n\n%s\n' % (i, rng.choice(paragraphs)))
    db = os.path.join(tmp, 'many.db')
    t = time.monotonic()
    code, out, err, rss = cli(db, 'import', many)
    check(code == 0 and 'Imported %d files' % n_files in out and rss < MAX_RSS_MB,
          'a folder of %d files: %s in %.0f s, %.0f MB' % (n_files, out.strip().splitlines()[-1],
                                                           time.monotonic() - t, rss))

    # -- A damaged archive is refused and left as it is ------------------
    good = os.path.join(tmp, 'good.db')
    code, out, err, rss = cli(good, 'import', os.path.join(args.pages, page_names[0]))
    check(code == 0, 'a small archive to damage')
    for what, damage in [('not a database', lambda b: b'This is not a database. ' * 100),
                         ('garbled pages', lambda b: b[:4096] + bytes(len(b) - 4096)),
                         ('cut short', lambda b: b[:len(b) // 3])]:
        bad = os.path.join(tmp, 'damaged.db')
        with open(good, 'rb') as f:
            data = damage(f.read())
        with open(bad, 'wb') as f:
            f.write(data)
        before = sha(bad)
        code, out, err, rss = cli(bad, 'import', os.path.join(args.pages, page_names[1]))
        code2, out2, err2, _ = cli(bad, 'list')
        check(code != 0 and code2 != 0 and 'damaged' in err and code > 0,
              '%s: refused with a clear message: %s' % (what, err.strip()[-90:]))
        check(sha(bad) == before and not os.path.exists(bad + '.backup-v2'),
              '%s: the file is unchanged and no copy was written over' % what)
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(bad + suffix):
                os.remove(bad + suffix)

    # -- Read-only disk ----------------------------------------------------
    ro_dir = os.path.join(tmp, 'ro')
    os.makedirs(ro_dir)
    src_dir = os.path.join(tmp, 'rw')
    os.makedirs(src_dir)
    code, out, err, _ = cli(os.path.join(src_dir, 'a.db'), 'import',
                            os.path.join(args.pages, page_names[0]))
    mounted = subprocess.run(['mount', '--bind', '-o', 'ro', src_dir, ro_dir],
                             capture_output=True).returncode == 0
    if mounted:
        mounted = subprocess.run(['mount', '-o', 'remount,bind,ro', ro_dir],
                                 capture_output=True).returncode == 0 or True
    if mounted and not os.access(os.path.join(ro_dir, 'a.db'), os.W_OK):
        try:
            ro = os.path.join(ro_dir, 'a.db')
            code, out, err, _ = cli(ro, 'list')
            check(code == 0 and len(out.splitlines()) >= 5,
                  'a read-only archive lists its articles (%d lines)' % len(out.splitlines()))
            code, out, err, _ = cli(ro, 'search', '高新区')
            check(code == 0 and out.strip() != '', 'a read-only archive searches')
            code, out, err, _ = cli(ro, 'import', os.path.join(args.pages, page_names[1]))
            check(code == 1 and 'read-only' in err,
                  'importing into a read-only archive says why: ' + err.strip()[-90:])
        finally:
            subprocess.run(['umount', ro_dir])
        # A write-ahead log left behind by a killed program is read too.
        subprocess.run([sys.executable, '-c', """if True:
            import os, sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute('PRAGMA wal_autocheckpoint = 0')
            db.execute("UPDATE articles SET status = 'approved' WHERE id = 1")
            os._exit(0)""", os.path.join(src_dir, 'a.db')], check=True)
        wal = os.path.exists(os.path.join(src_dir, 'a.db-wal'))
        subprocess.run(['mount', '--bind', '-o', 'ro', src_dir, ro_dir], check=True)
        try:
            code, out, err, _ = cli(os.path.join(ro_dir, 'a.db'), 'stats')
            check(wal and code == 0 and 'approved: 1' in out,
                  'a read-only archive with a left-over log shows its last changes: '
                  + ' '.join(out.split())[:80])
        finally:
            subprocess.run(['umount', ro_dir])
    else:
        if mounted:
            subprocess.run(['umount', ro_dir])
        skip('read-only disk: mount --bind -o ro is not allowed here')

    # -- Full disk ---------------------------------------------------------
    full_dir = os.path.join(tmp, 'full')
    os.makedirs(full_dir)
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', full_dir],
                      capture_output=True).returncode == 0:
        try:
            db = os.path.join(full_dir, 'full.db')
            gen = os.path.join(tmp, 'fill')
            os.makedirs(gen)
            for i in range(200):
                with open(os.path.join(gen, 'f%03d.txt' % i), 'w', encoding='utf-8') as f:
                    f.write('第%d版\n\n' % i + page[i * 40:] + page[:i * 40])
            code, out, err, _ = cli(db, 'import', gen)
            imported = count(db, 'SELECT count(*) FROM sources')
            check(code == 1 and 'disk is full' in err,
                  'a full disk is reported: ' + err.strip().splitlines()[-1][-90:])
            check(integrity(db) == 'ok', 'after a full disk the archive passes integrity_check')
            per_source = count(db, 'SELECT count(*) FROM sources s WHERE NOT EXISTS'
                                   ' (SELECT 1 FROM articles a WHERE a.source_id = s.id)')
            check(imported > 0 and per_source == 0,
                  'the files imported before it are whole (%d files)' % imported)
            code, out, err, _ = cli(db, 'list')
            check(code == 0 and len(out.splitlines()) > 0, 'the archive still opens and lists')
        finally:
            subprocess.run(['umount', full_dir])
    else:
        skip('full disk: mount -t tmpfs is not allowed here')

    # -- Concurrent imports into one archive -------------------------------
    db = os.path.join(tmp, 'shared.db')
    dirs = []
    for k in range(3):
        d = os.path.join(tmp, 'batch%d' % k)
        os.makedirs(d)
        for i in range(40):
            with open(os.path.join(d, 'b%d-%02d.txt' % (k, i)), 'w', encoding='utf-8') as f:
                f.write('第%d批第%d版\n\n' % (k, i) + page[(i + k) * 50:] + page[:(i + k) * 50])
        dirs.append(d)
    procs = [subprocess.Popen([args.cli, '--database', db, 'import', d],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for d in dirs]
    results = [p.communicate() + (p.returncode,) for p in procs]
    check(all(r[2] == 0 for r in results),
          'three galley-cli imports at once all succeed: %s'
          % ' | '.join(r[0].strip().splitlines()[-1] if r[0].strip() else r[1][-80:]
                       for r in results))
    check(count(db, 'SELECT count(*) FROM sources') == 120 and integrity(db) == 'ok',
          'the shared archive holds all 120 files and passes integrity_check')

tap.done()
