#!/usr/bin/python3
# An archive made by an older Galley is brought up to date (migrated) in a
# worker thread, behind a window that says so; then its articles are listed
# and searchable, and files given on the command line are imported. Quitting
# while it works stops the update: the archive is left as it was.
# Driven through the accessibility tree.
#
#   test-upgrade-window.py --galley galley --cli galley-cli
#                          --make-old-archive make-old-archive --pages DIR
#
# To see the update state for certain, the test holds a write lock on the
# archive for a few seconds: the update waits for it (SQLite's busy timeout
# is 5 s), as it would behind a long migration.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from galley_a11y import App, find, find_all, labels, press, refusal, set_text, wait_for  # noqa: E402

OLD_VERSION = 4
LOCK_SECONDS = 3.5

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--make-old-archive', required=True)
parser.add_argument('--pages', required=True)
args = parser.parse_args()

import tap
from tap import check


def query(database, sql):
    db = sqlite3.connect('file:%s?mode=ro' % database, uri=True)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def count_label(count):
    return '%d article%s' % (count, '' if count == 1 else 's')


class Lock:
    """A write lock on the archive, let go after some seconds."""

    def __init__(self, database, seconds):
        self.db = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        self.db.execute('BEGIN IMMEDIATE')
        self.released = threading.Event()
        self.timer = threading.Timer(seconds, self.release)
        self.timer.start()

    def release(self):
        if not self.released.is_set():
            self.db.execute('ROLLBACK')
            self.db.close()
            self.released.set()


def upgrade_page(app):
    """The title of the update window, while the lock is still held; None
    when it does not show."""
    try:
        return find(app.root, role='label', name='Updating the Archive', timeout=LOCK_SECONDS)
    except Exception:
        return None


def no_warnings(app):
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'old.db')
    pages = sorted(os.path.join(args.pages, name) for name in os.listdir(args.pages))
    subprocess.run([args.make_old_archive, str(OLD_VERSION), db, '4'] + pages, check=True)
    old_count = query(db, 'SELECT count(*) FROM articles')
    check(query(db, 'PRAGMA user_version') == OLD_VERSION and old_count > 50,
          'an archive of schema %d with %d articles' % (OLD_VERSION, old_count))
    quit_db = os.path.join(tmp, 'quit.db')
    shutil.copy(db, quit_db)

    # A page given on the command line, to import once the archive is open.
    extra = os.path.join(tmp, 'extra.txt')
    with open(pages[0], encoding='utf-8') as f:
        text = f.read()
    with open(extra, 'w', encoding='utf-8') as f:
        f.write(text + '\n（补）\n')

    lock = Lock(db, LOCK_SECONDS)
    app = App(args.galley, db, args=[extra])
    try:
        app.start()
        title = upgrade_page(app)
        held = not lock.released.is_set()
        check(title is not None and held, 'the update window shows at once (lock held: %s)' % held)
        if title is not None:
            window = app.window()
            check(window.name == 'Updating the Archive', 'its title: %s' % window.name)
            check(find_all(app.root, name='Updating') != [], 'a spinner named Updating')
            check(any('old.db' in label and 'copy' in label for label in labels(window)),
                  'it names the archive and says a copy is kept: %s'
                  % [label for label in labels(window) if 'old.db' in label][:1])
            check(find_all(app.root, role='list', name='Articles') == [],
                  'no article list while the archive is updated')

        article_list = find(app.root, role='list', name='Articles', timeout=60)
        check(article_list is not None, 'then the main window lists the articles')
        frames = [frame.name for frame in find_all(app.root, role='frame')]
        check(all(name != 'Updating the Archive' for name in frames),
              'and the update window is gone: %s' % frames)
        window = app.window()
        check(query(db, 'PRAGMA user_version') > OLD_VERSION, 'the archive was updated')
        check(query(db + '.backup-v%d' % OLD_VERSION, 'PRAGMA user_version') == OLD_VERSION,
              'a copy of the old archive is kept beside it')

        # The file given on the command line is imported into it.
        wait_for(lambda: query(db, "SELECT count(*) FROM sources WHERE name = 'extra.txt'") == 1,
                 30, 'the import of extra.txt')
        total = query(db, 'SELECT count(*) FROM articles')
        check(total > old_count, 'the page given on the command line is imported (%d -> %d)'
              % (old_count, total))
        try:
            wait_for(lambda: count_label(total) in labels(window), 20, count_label(total))
            counted = True
        except Exception:
            counted = False
        check(counted, 'the header counts %s' % count_label(total))

        # The rebuilt search indexes find words of two and more characters.
        word = '心理健康'
        matching = subprocess.run([args.cli, '--database', db, 'search', word], check=True,
                                  capture_output=True, text=True).stdout.splitlines()
        press('f', ('ctrl',))
        entry = find(window, role='entry', name='Search articles')
        set_text(entry, word)
        want = count_label(len(matching))
        try:
            wait_for(lambda: want in labels(window), 20, want)
            searched = True
        except Exception:
            searched = False
        check(searched and 0 < len(matching) < total, 'searching %s lists %s' % (word, want))
        titles = labels(find(window, role='list', name='Articles'))
        check(any(word in title for title in titles), 'and the list shows them: %s' % titles[:2])
    finally:
        lock.release()
        status = app.stop()
    check(status == 0, 'galley quits cleanly with Ctrl+Q (status %s)' % status)
    no_warnings(app)

    # Quitting while the archive is updated: the window goes, the update
    # stops (one transaction, rolled back), Galley ends, and the archive is
    # as it was; the next start updates it.
    lock = Lock(quit_db, LOCK_SECONDS)
    app = App(args.galley, quit_db)
    try:
        app.start()
        title = upgrade_page(app)
        check(title is not None and not lock.released.is_set(), 'the update window shows')
        press('q', ('ctrl',))
        try:
            status = app.proc.wait(30)
        except subprocess.TimeoutExpired:
            status = None
        check(status == 0, 'after Ctrl+Q galley ends (status %s)' % status)
    finally:
        lock.release()
        app.stop()
    check(query(quit_db, 'PRAGMA user_version') == OLD_VERSION and
          query(quit_db, 'PRAGMA integrity_check') == 'ok' and
          query(quit_db, 'SELECT count(*) FROM articles') == old_count,
          'the archive is left as it was, whole, with all its articles')
    check(not os.path.exists(quit_db + '.backup-v%d.part' % OLD_VERSION),
          'no piece of a backup copy is left behind')
    matching = subprocess.run([args.cli, '--database', quit_db, 'search', '心理健康'],
                              capture_output=True, text=True).stdout.splitlines()
    check(len(matching) > 0 and query(quit_db, 'PRAGMA user_version') > OLD_VERSION,
          'the next start updates it, and it is searchable (%d hits)' % len(matching))
    no_warnings(app)

    # An archive that cannot be updated (here: locked by another program
    # past SQLite's busy timeout) opens the main window with the reason, and
    # is left as it was.
    locked_db = os.path.join(tmp, 'locked.db')
    shutil.copy(db + '.backup-v%d' % OLD_VERSION, locked_db)
    lock = Lock(locked_db, 12)
    app = App(args.galley, locked_db)
    try:
        app.start()
        window = find(app.root, role='frame', name='Galley', timeout=30)
        reason = refusal(window, 'locked', timeout=5)
        check(reason, 'an archive that cannot be updated is refused with the reason: %s' % reason[:1])
    finally:
        lock.release()
        app.stop()
    check(query(locked_db, 'PRAGMA user_version') == OLD_VERSION, 'and left at its version')
    no_warnings(app)

tap.done()
