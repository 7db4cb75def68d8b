#!/usr/bin/python3
# The review desk end to end, driven through the accessibility tree: open an
# article, accept and reject changes from the keyboard, type a correction,
# change the status, quit, start again and find it all saved; undo a
# reject; restore a revision; search for a Chinese word; find and replace
# one across the archive and undo it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from galley_a11y import App, find, find_all, labels, press, set_text, text_of, type_text, wait_for  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
args = parser.parse_args()

import tap
from tap import check


def cli(database, *argv):
    return subprocess.run([args.cli, '--database', database] + list(argv), check=True,
                          capture_output=True, text=True).stdout


def listing(database):
    return [line.split('\t') for line in cli(database, 'list').splitlines()]


def change_label(window):
    """The review bar's description of the current change."""
    for label in labels(window):
        if re.search(r'\d+ left\)$|\d+ changes? to review|No changes left', label):
            return label
    return ''


def left(window):
    """The number of changes left, read from the review bar."""
    m = re.search(r'(\d+) (left|changes? to review)', change_label(window))
    return int(m.group(1)) if m else 0


def open_first(window):
    press('f', ('ctrl',))
    press('Down')
    press('Return')
    body = find(window, role='text', name='Article text')
    wait_for(lambda: text_of(body) != '', 10, 'the article text')
    return body


def button(root, label, timeout=20):
    """A push button by its label ("_Restore" reads as "_Restore Restore" in GTK 4.8)."""
    def look():
        for node in find_all(root, role='push button'):
            if node.name == label or (node.name or '').endswith(' ' + label):
                return node
        return None
    return wait_for(look, timeout, 'the button %r' % label)


def focused(acc):
    return acc.getState().contains(pyatspi.STATE_FOCUSED)


def tab_to(acc):
    """Moves the keyboard focus to a widget (or the button inside it) with
    Tab, as a user would."""
    for _ in range(40):
        if focused(acc) or any(focused(n) for n in find_all(acc, role='push button')):
            return
        press('Tab')
    raise AssertionError('Tab never reached %r' % acc.name)


def choose(root, combo_name, item):
    """Picks an item of a drop-down from the keyboard: Tab to it, Space
    opens its list, arrows move to the item, Return takes it."""
    combo = find(root, role='combo box', name=combo_name)
    tab_to(combo)
    press('space')

    def popup():
        lists = [n for n in find_all(combo, role='list') if n.childCount > 1]
        return lists[0] if lists else None
    items = [[label.name for label in find_all(n, role='label')]
             for n in find_all(wait_for(popup, 10, 'the list of ' + combo_name), role='list item')]
    target = [i for i, names in enumerate(items) if item in names][0]
    current = wait_for(lambda: [i for i, n in enumerate(find_all(popup(), role='list item'))
                                if focused(n)], 10, 'the chosen item of ' + combo_name)[0]
    for _ in range(abs(target - current)):
        press('Down' if target > current else 'Up')
    press('Return')
    wait_for(lambda: item in labels(combo), 10, item + ' chosen')


def counted(window, n):
    return '%d article%s' % (n, '' if n == 1 else 's') in labels(window)


def body_text(window):
    """The article text, looked up again: the history dialog's window can
    leave an old accessible object behind."""
    try:
        return text_of(find(window, role='text', name='Article text'))
    except NotImplementedError:
        return None


def saved(window):
    return wait_for(lambda: 'Saved' in labels(window), 5, 'the autosave')


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    cli(db, 'import', args.pages)
    rows = listing(db)
    first = rows[0]
    pending = int(first[4])
    check(pending >= 3, 'the first article has changes to review (%d)' % pending)

    app = App(args.galley, db).start()
    try:
        window = app.window()
        body = open_first(window)
        original = text_of(body)
        check(left(window) == pending, 'the review bar counts %d changes' % pending)

        # Next change, accept it: one fewer, the text as it was.
        press('F8')
        check(bool(wait_for(lambda: '→' in change_label(window) or 'suggested' in change_label(window),
                            5, 'a change')), 'F8 goes to a change: %s' % change_label(window))
        press('Return', ('alt',))
        check(wait_for(lambda: left(window) == pending - 1, 5, 'accept'), 'Alt+Return accepts it')
        check(text_of(body) == original, 'accepting keeps the clean text')

        # Reject the next one: the OCR text comes back.
        press('F8')
        press('BackSpace', ('alt',))
        check(wait_for(lambda: left(window) == pending - 2, 5, 'reject'), 'Alt+Backspace rejects it')
        rejected = text_of(body)
        check(rejected != original, 'rejecting puts the OCR text back')

        # Undo the reject: the clean text and the change are back.
        press('z', ('ctrl',))
        check(wait_for(lambda: text_of(body) == original, 5, 'undo'), 'Ctrl+Z undoes the reject')
        check(wait_for(lambda: left(window) == pending - 1, 5, 'undo count'),
              'the undone change is pending again')
        press('z', ('ctrl', 'shift'))
        check(wait_for(lambda: text_of(body) == rejected, 5, 'redo'), 'Ctrl+Shift+Z redoes it')
        check(wait_for(lambda: left(window) == pending - 2, 5, 'redo count'), 'and rejects it again')

        # Type a correction at the end of the text.
        press('End', ('ctrl',))
        type_text(' OK')
        check(saved(window), 'typing is saved within a second')
        typed = text_of(body)
        check(typed.endswith(' OK'), 'the typed text is in the body')

        # The status ladder.
        press('m', ('ctrl',))
        check(bool(wait_for(lambda: 'Proofread' in labels(find(window, role='list', name='Articles')),
                            5, 'status')), 'Ctrl+M marks the article proofread')

        # The list row follows.
        check(bool(wait_for(lambda: '%d changes' % (pending - 2) in labels(window), 5, 'row')),
              'the list row shows %d changes left' % (pending - 2))
        # Approved with changes unreviewed: allowed, and said.
        press('m', ('ctrl',))
        check(bool(wait_for(lambda: 'Approved with %d changes still to review' % (pending - 2)
                            in labels(window), 5, 'the notice')),
              'approving an article with changes to review says how many are left')
        press('m', ('ctrl', 'shift'))
        check(bool(wait_for(lambda: 'Proofread' in labels(find(window, role='list', name='Articles')),
                            5, 'status down')), 'Ctrl+Shift+M steps back to proofread')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

    rows = listing(db)
    check(rows[0][1] == 'proofread', 'the status is saved (%s)' % rows[0][1])
    check(int(rows[0][4]) == pending - 2, 'the pending count is saved (%s)' % rows[0][4])
    exported = [json.loads(line) for line in cli(db, 'export', '--format', 'jsonl').splitlines()]
    check(exported[0]['body'] == typed, 'the body is saved')

    # Start again: all is there; restore the clean-up's revision.
    app = App(args.galley, db).start()
    try:
        window = app.window()
        body = open_first(window)
        check(text_of(body) == typed, 'after a restart the typed text is shown')
        check(left(window) == pending - 2, 'and the changes left')
        status_box = find(window, name='Review status')
        check('Proofread' in labels(status_box), 'and the status')

        press('h', ('ctrl', 'shift'))
        revisions = find(app.root, role='list', name='Revisions')
        rows_shown = wait_for(lambda: find_all(revisions, role='list item'), 5, 'revisions')
        # The import's two, and at least one of the editor's (autosaves
        # may take several steps in one).
        check(len(rows_shown) >= 3, 'the history lists the revisions (%d)' % len(rows_shown))
        described = [n for n in labels(revisions) if n.startswith('Current text: ')]
        check(len(described) == 1 and '“' in described[0],
              'the newest revision says what it changed in the text: %s' % described)
        # The oldest but one is the clean-up's text.
        press('End')
        press('Up')
        restore = button(app.root, 'Restore')
        restore.queryAction().doAction(0)
        check(wait_for(lambda: body_text(window) == original, 5, 'restore'),
              'restoring the clean-up revision brings its text back')
        try:
            wait_for(lambda: left(window) == pending, 15, 'restore count')
        except Exception:
            pass
        check(left(window) == pending, 'with every change pending again (%r)' % change_label(window))

        # Search a Chinese word.
        word = re.sub(r'\s+', '', rows[-1][5])[:3]
        press('f', ('ctrl',))
        entry = find(window, role='entry', name='Search articles')
        set_text(entry, word)
        want = len(cli(db, 'search', word).splitlines())
        check(bool(wait_for(lambda: '%d article%s' % (want, '' if want == 1 else 's') in labels(window),
                            10, 'search')), 'searching %s lists %d articles' % (word, want))

        # The list pane's filters and order.
        rows = listing(db)
        entry = find(window, role='entry', name='Search articles')
        set_text(entry, '')
        check(bool(wait_for(lambda: counted(window, len(rows)), 10, 'all')), 'the list shows all articles')
        press('f', ('ctrl',))
        choose(window, 'Status filter', 'Proofread')
        want = len([r for r in rows if r[1] == 'proofread'])
        check(bool(wait_for(lambda: counted(window, want), 10, 'status filter')),
              'the status filter lists the %d proofread article(s)' % want)
        choose(window, 'Status filter', 'Any status')
        source = rows[-1][3].split('#')[0]
        choose(window, 'Page file filter', source)
        want = len([r for r in rows if r[3].startswith(source + '#')])
        check(bool(wait_for(lambda: counted(window, want), 10, 'source filter')),
              'the page file filter lists the %d articles of %s' % (want, source))
        choose(window, 'Page file filter', 'Any page file')
        choose(window, 'Sort order', 'Most changes left')
        most = max(int(r[4]) for r in rows)
        articles = find(window, role='list', name='Articles')
        check(bool(wait_for(lambda: [n for n in labels(articles) if n.endswith('changes')][0] == '%d changes' % most,
                            10, 'sort')), 'sorted by changes left, the first row has %d changes' % most)
        choose(window, 'Sort order', 'Page order')

        # Ctrl+Page Down opens the next article with changes to review.
        wait_for(lambda: counted(window, len(rows)), 10, 'all again')
        press('Down')
        press('Return')
        wait_for(lambda: body_text(window) == original, 10, 'the first article again')
        second = [r for r in rows[1:] if int(r[4]) > 0][0]
        press('Page_Down', ('ctrl',))
        check(bool(wait_for(lambda: second[5] in labels(window) and body_text(window) != original, 10, 'next')),
              'Ctrl+Page Down opens the next article with changes: %s' % second[5])
        press('Page_Up', ('ctrl',))
        check(bool(wait_for(lambda: body_text(window) == original, 10, 'previous')),
              'Ctrl+Page Up goes back to the first')

    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly again (status %s)' % status)
    check(int(listing(db)[0][4]) == pending, 'the restore is saved')

    # kill -9 a moment after typing loses nothing typed more than 2 s before.
    app = App(args.galley, db).start()
    try:
        window = app.window()
        body = open_first(window)
        press('End', ('ctrl',))
        type_text(' KILL')
        time.sleep(2)
    finally:
        app.proc.kill()
        app.proc.wait()
        app.log.close()
    exported = [json.loads(line) for line in cli(db, 'export', '--format', 'jsonl').splitlines()]
    check(exported[0]['body'].endswith(' KILL'), 'kill -9 two seconds after typing keeps the typing')

    # Split at the cursor, then merge again, from the keyboard.
    n = len(listing(db))
    app = App(args.galley, db).start()
    try:
        window = app.window()
        check(bool(wait_for(lambda: counted(window, n), 10, 'the count')), 'the list has %d articles' % n)
        open_first(window)
        press('Home', ('ctrl',))
        press('Down')
        press('s', ('ctrl', 'shift'))
        check(bool(wait_for(lambda: counted(window, n + 1), 10, 'split')),
              'Ctrl+Shift+S splits the article at the cursor (%d articles)' % (n + 1))
        press('j', ('ctrl', 'shift'))
        check(bool(wait_for(lambda: counted(window, n), 10, 'merge')),
              'Ctrl+Shift+J merges it with the next again (%d articles)' % n)
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly after split and merge (status %s)' % status)
    exported = [json.loads(line) for line in cli(db, 'export', '--format', 'jsonl').splitlines()]
    page = exported[0]['source_file']
    with open(os.path.join(args.pages, page), encoding='utf-8') as f:
        text = f.read()
    check(''.join(a['original'] for a in exported if a['source_file'] == page) == text,
          'the articles of the page still make up the page')

    # Find and replace a Chinese word across the archive, then undo it.
    def export():
        return [json.loads(line) for line in cli(db, 'export', '--format', 'jsonl').splitlines()]

    def occurrences(articles, word):
        return sum(a['title'].count(word) + a['body'].count(word) for a in articles)
    before = export()
    word, replacement = '服务', '服務'
    n = occurrences(before, word)
    n_articles = len([a for a in before if word in a['title'] or word in a['body']])
    check(n > 1 and occurrences(before, replacement) == 0, 'the archive has %d matches of %s' % (n, word))
    app = App(args.galley, db).start()
    try:
        window = app.window()
        press('f', ('ctrl',))
        press('Down')
        press('h', ('ctrl',))
        dialog = wait_for(lambda: [app.root.getChildAtIndex(i) for i in range(app.root.childCount)
                                   if app.root.getChildAtIndex(i).name == 'Find and Replace'],
                          10, 'the find and replace dialog')[0]
        entries = {e.name.split(' ')[0]: e for e in find_all(dialog, role='text')}
        set_text(entries['Find'], word)
        set_text(entries['Replace'], replacement)
        count = '%d matches in %d articles' % (n, n_articles)
        check(bool(wait_for(lambda: count in labels(dialog), 10, 'the count')),
              'Ctrl+H, %s: the dialog counts %s' % (word, count))
        replace_all = button(dialog, 'Replace All')
        wait_for(lambda: replace_all.getState().contains(pyatspi.STATE_SENSITIVE), 5, 'Replace All')
        replace_all.queryAction().doAction(0)
        done = 'Replaced %d matches' % n
        check(bool(wait_for(lambda: done in labels(window), 10, 'the replacement')),
              'Replace All replaces them: %s' % done)
        after = export()
        check(occurrences(after, word) == 0 and occurrences(after, replacement) == n,
              'the archive has %s in their place' % replacement)
        button(window, 'Undo').queryAction().doAction(0)
        check(bool(wait_for(lambda: [(a['title'], a['body']) for a in export()]
                            == [(a['title'], a['body']) for a in before], 10, 'the undo')),
              'Undo puts every article back')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly after find and replace (status %s)' % status)

tap.done()
