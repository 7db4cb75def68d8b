#!/usr/bin/python3
# The first window: opens an archive, lists its articles lazily, shows the
# selected one, searches; driven through the accessibility tree.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from galley_a11y import App, find, find_all, labels, press, set_text, text_of, wait_for  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
args = parser.parse_args()

import tap
from tap import check

SIDEBAR_EMPTY = 'Select articles to tag them. A count lists the articles with the tag or its subtags.'


def files_in(database):
    """The files imported into an archive, None while it cannot be read."""
    run = subprocess.run([args.cli, '--database', database, 'stats'], capture_output=True, text=True)
    found = re.search(r'Files: (\d+)', run.stdout)
    return int(found.group(1)) if found else None


def cli(database, *argv):
    return subprocess.run([args.cli, '--database', database] + list(argv), check=True,
                          capture_output=True, text=True).stdout


def copies(folder, n):
    """A folder of n copies of each sample page, each but the first
    different by a last line."""
    os.mkdir(folder)
    for name in sorted(os.listdir(args.pages)):
        with open(os.path.join(args.pages, name), encoding='utf-8') as f:
            text = f.read()
        for copy in range(n):
            with open(os.path.join(folder, '%03d-%s' % (copy, name)), 'w', encoding='utf-8') as f:
                f.write(text + ('\n（%d）\n' % copy if copy else ''))
    return folder


def count_label(n):
    return '%d article%s' % (n, '' if n == 1 else 's')


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    # Far more articles than rows on screen: each sample page, and copies
    # of it that differ by a last line.
    pages = copies(os.path.join(tmp, 'pages'), 12)
    cli(db, 'import', pages)
    rows = [line.split('\t') for line in cli(db, 'list').splitlines()]
    check(len(rows) >= 100, 'the pages were imported (%d articles)' % len(rows))
    first_title = rows[0][5]
    exported = [json.loads(line) for line in cli(db, 'export', '--format', 'jsonl').splitlines()]
    first_body = exported[0]['body']

    app = App(args.galley, db).start()
    try:
        window = app.window()
        article_list = find(window, role='list', name='Articles')
        check(wait_for(lambda: count_label(len(rows)) in labels(window), 10, 'the count'),
              'the header counts %d articles' % len(rows))
        items = find_all(article_list, role='list item')
        check(0 < len(items) < len(rows),
              'the list makes rows lazily (%d rows for %d articles)' % (len(items), len(rows)))
        check(bool(wait_for(lambda: first_title in labels(article_list), 10, 'first title')),
              'the first article is listed: %s' % first_title)

        # Keyboard: from the search field into the list, open the first article.
        press('f', ('ctrl',))
        press('Down')
        press('Return')
        body = find(window, role='text', name='Article text')
        wait_for(lambda: text_of(body) != '', 10, 'the article text')
        check(text_of(body) == first_body, 'the selected article shows its clean text')
        # Every button says what it does to a screen reader: none goes by
        # its widget type (the toolbar's icon buttons did).
        unnamed = [b.name for b in find_all(window, role='push button') + find_all(window, role='toggle button')
                   if re.fullmatch(r'(Gtk|Adw)(Image|Button|MenuButton)', b.name or '') or not b.name]
        check(not unnamed, 'every button of the window has a name: %s' % unnamed)
        # Tab leaves the text (it used to type a tab into the article).
        press('Tab')
        check(text_of(body) == first_body and not body.getState().contains(pyatspi.STATE_FOCUSED),
              'Tab moves the focus on and types nothing')

        # A click on a change opens its popover; the review keys still
        # work there, and Escape gives the text the focus back.
        press('F8')
        text = body.queryText()
        wait_for(lambda: text.caretOffset > 0, 5, 'the first change')
        at = text.caretOffset
        x, y, w, h = text.getCharacterExtents(at, pyatspi.WINDOW_COORDS)
        xid = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--pid', str(app.proc.pid)],
                             check=True, capture_output=True, text=True).stdout.split()[0]
        subprocess.run(['xdotool', 'mousemove', '--window', xid, str(x + max(w, 2) // 2), str(y + h // 2),
                        'click', '1'], check=True)
        rule = wait_for(lambda: [b for b in find_all(window, role='push button')
                                 if (b.name or '').endswith('Accept All of This Rule')], 5, 'the popover')
        check(bool(rule), 'a click on a change opens its popover')
        press('F8')
        check(bool(wait_for(lambda: text.caretOffset != at, 5, 'the next change')),
              'F8 in the popover goes to the next change (%d, was %d)' % (text.caretOffset, at))
        press('Escape')
        check(bool(wait_for(lambda: body.getState().contains(pyatspi.STATE_FOCUSED), 5, 'the text')),
              'Escape closes the popover and the text has the focus again')

        # Search for a Chinese word of a title.
        word = re.sub(r'\s+', '', rows[-1][5])[:4]
        press('f', ('ctrl',))
        entry = find(window, role='entry', name='Search articles')
        set_text(entry, word)
        matching = cli(db, 'search', word).splitlines()
        want = count_label(len(matching))
        check(bool(wait_for(lambda: want in labels(window), 10, want)),
              'searching %s lists %s' % (word, want))
        check(rows[-1][5] in labels(find(window, role='list', name='Articles')),
              'the search finds the article')

        # The shown article is not among the hits; clearing the search
        # brings the list back with that article shown again.
        check(bool(wait_for(lambda: 'No Article Selected' in labels(window), 10, 'no article')),
              'the article view is empty while the list lacks its article')
        check(SIDEBAR_EMPTY in labels(window), 'the sidebar says what it is for while no article is selected')
        set_text(entry, '')
        check(bool(wait_for(lambda: text_of(body) == first_body and
                            'No Article Selected' not in labels(window), 10, 'the article again')),
              'clearing the search shows the article shown before it')
        check(SIDEBAR_EMPTY not in labels(window), 'the sidebar shows the article\'s topics and details')

        # A narrow window folds the panes: one click on a row opens it.
        xid = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--pid', str(app.proc.pid)],
                             check=True, capture_output=True, text=True).stdout.split()[0]
        subprocess.run(['xdotool', 'windowsize', '--sync', xid, '700', '600'], check=True)
        article_list = find(window, role='list', name='Articles')
        second = wait_for(lambda: [i for i in find_all(article_list, role='list item')
                                   if rows[1][5] in labels(i)], 10, 'the second row')[0]
        x, y, w, h = second.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        geometry = dict(line.split('=') for line in subprocess.run(
            ['xdotool', 'getwindowgeometry', '--shell', xid], check=True, capture_output=True,
            text=True).stdout.split())
        subprocess.run(['xdotool', 'mousemove', str(int(geometry['X']) + x + w // 2),
                        str(int(geometry['Y']) + y + h // 2), 'click', '1'], check=True)
        # Folded, the hidden pane lies beyond the window's right edge.
        check(bool(wait_for(lambda: text_of(body) == exported[1]['body'] and
                            body.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[0] < w // 2, 10,
                            'the second article')),
              'in a narrow window one click on a row opens the article')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly with Ctrl+Q (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

    # An import stopped halfway keeps what it stored, lists it and says so.
    many = copies(os.path.join(tmp, 'many'), 400)
    other = os.path.join(tmp, 'stopped.db')
    app = App(args.galley, other).start()
    try:
        window = app.window()
        # Files opened with Galley on another archive go to a Galley of its
        # own on that archive, not to the running one.
        third = os.path.join(tmp, 'third.db')
        page = os.path.join(args.pages, sorted(os.listdir(args.pages))[0])
        second = subprocess.Popen([args.galley, '--database', third, page], env=app.env)
        try:
            check(bool(wait_for(lambda: os.path.exists(third) and files_in(third) == 1, 30,
                                'the other archive')),
                  'galley -d OTHER FILE imports the file into OTHER')
        finally:
            second.terminate()
            second.wait(10)
        check(files_in(other) == 0, 'and not into the archive of the Galley already running')
        # Files opened with the running Galley are imported by its window.
        subprocess.run([args.galley, '--database', other, many], env=app.env, check=True, timeout=30)
        # Stop a moment after the first files are stored.
        wait_for(lambda: int(re.search(r'Articles: (\d+)', cli(other, 'stats')).group(1)) > 0, 30,
                 'the import under way')
        find(window, role='push button', name='Stop Importing').queryAction().doAction(0)
        check(bool(wait_for(lambda: 'Import stopped; the files imported so far are kept' in labels(window),
                            30, 'the notice')), 'stopping an import says that what was imported is kept')
        stored = int(re.search(r'Articles: (\d+)', cli(other, 'stats')).group(1))
        check(0 < stored < 2000 * 28 // 5, 'the import stopped halfway (%d articles stored)' % stored)
        check(bool(wait_for(lambda: count_label(stored) in labels(window), 10, 'the count')),
              'the list shows the %d articles stored before the stop' % stored)
    finally:
        status = app.stop()
    check(not app.warnings(), 'no GTK warnings after the stop: %s' % app.warnings()[:3])

tap.done()
