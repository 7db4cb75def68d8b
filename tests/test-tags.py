#!/usr/bin/python3
# Tagging in the window: toggle a tag, accept a suggestion (the panel stays
# still, the focus near), add a new tag, tag several articles at once, filter
# the list by tag, find the tags again after a restart; the details follow
# the editor's changes; the suggestions learn from sure guesses too, also
# after an import; driven through the accessibility tree.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from galley_a11y import App, find, find_all, labels, press, set_text, text_of, wait_for  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
args = parser.parse_args()

import tap
from tap import check, failures


def cli(database, *argv):
    return subprocess.run([args.cli, '--database', database] + list(argv), check=True,
                          capture_output=True, text=True).stdout


def click(acc):
    """Clicks a button; a check box (no action in GTK 4.8) takes focus and Space."""
    try:
        acc.queryAction().doAction(0)
    except Exception:
        acc.queryComponent().grabFocus()
        wait_for(lambda: acc.getState().contains(pyatspi.STATE_FOCUSED), 5, 'focus')
        press('space')


def pointer_click(app, acc):
    """Clicks acc with the mouse, as a user does: a button takes the focus."""
    x, y, width, height = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    windows = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(app.proc.pid)],
                             check=True, capture_output=True, text=True).stdout.split()
    subprocess.run(['xdotool', 'mousemove', '--window', windows[0], str(x + width // 2),
                    str(y + height // 2), 'click', '1'], check=True)


def focused(root):
    """The names of the focused widgets."""
    return [n.name for n in find_all(root) if n.getState().contains(pyatspi.STATE_FOCUSED)]


def top(acc):
    return acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[1]


def detail(window, title):
    """The value an Article Details row shows."""
    row = find(window, role='list item', name=title)
    return [n for n in labels(row) if n != title][0]


def checked(acc):
    state = acc.getState()
    return state.contains(pyatspi.STATE_CHECKED) or state.contains(pyatspi.STATE_PRESSED)


def toggles(tag_list):
    """The tags' toggles (the other buttons are their counts)."""
    return [n for n in find_all(tag_list, role='push button') if not n.name.startswith('Show ')]


def tags_of(database, article_id):
    for line in cli(database, 'show', str(article_id)).splitlines():
        if line.startswith('Tags: '):
            return set(line[len('Tags: '):].split('; '))
    return set()


def start(database):
    app = App(args.galley, database)
    try:
        return app.start()
    except RuntimeError:
        print('\n'.join('# ' + line for line in app.output().splitlines()[-20:]))
        raise


def open_first_article(window):
    press('f', ('ctrl',))
    press('Down')
    press('Return')
    # On a window too narrow for three panes the sidebar folds away: show it,
    # as a user would.
    toggle = find(window, role='push button', name='Show Article Details')
    if not checked(toggle):
        click(toggle)
        wait_for(lambda: checked(toggle), 5, 'the sidebar')
    return find(window, role='text', name='Add a tag')


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    cli(db, 'import', args.pages)
    rows = [line.split('\t') for line in cli(db, 'list').splitlines()]
    ids = [int(r[0]) for r in rows]
    first = ids[0]
    # Editors tagged a few articles before: the classifier learns from them.
    for i, tag in ((1, '经济'), (3, '安全生产'), (5, '经济'), (10, '经济'), (8, '安全生产')):
        cli(db, 'tag', str(ids[i]), tag)

    app = start(db)
    try:
        window = app.window()
        entry = open_first_article(window)
        tag_list = find(window, role='list', name='Tags')
        check(len(toggles(tag_list)) >= 19,
              'the sidebar lists the IPTC tags and the local ones')

        # The details count the changes to review as the editor does.
        pending = int([r for r in rows if int(r[0]) == first][0][4])
        check(detail(window, 'Changes to Review') == str(pending),
              'the details count %d changes to review' % pending)
        press('F8')
        press('Return', ('alt',))
        check(bool(wait_for(lambda: detail(window, 'Changes to Review') == str(pending - 1), 5,
                            'the new count')),
              'accepting a change in the editor counts one fewer in the details: %s'
              % detail(window, 'Changes to Review'))

        # Accept a suggestion.
        accept = find(window, role='push button', contains='Accept suggestion ', timeout=30)
        suggested = accept.name[len('Accept suggestion '):]
        check(suggested in ('经济', '安全生产'), 'a suggestion learnt from the tagged articles: ' + suggested)
        near = [n for n in labels(window) if re.fullmatch(r'\d+% sure', n)]
        check(bool(near), 'the suggestion says how sure it is: %s' % near[:3])
        entry_top = top(entry)
        pointer_click(app, accept)
        box = find(tag_list, role='push button', name=suggested)
        check(wait_for(lambda: checked(box), 5, 'accepted'), 'accepting the suggestion tags the article')

        # The clicked row went away: the panel stays, the focus stays near.
        def near_suggestions():
            return [n for n in focused(window) if n == 'Add a tag' or n.startswith('Accept suggestion ')]
        check(bool(wait_for(near_suggestions, 5, 'the focus')),
              'the focus goes to the tag field or the next suggestion: %s' % focused(window))
        check(top(entry) == entry_top, 'the panel does not scroll (%d, was %d)' % (top(entry), entry_top))
        # Learning again makes the suggestions again: the same.
        wait_for(lambda: 'Suggestions learnt from 6 tagged articles' in labels(window), 20, 'learnt')
        check(bool(near_suggestions()) and top(entry) == entry_top,
              'nor after learning from the new tag: %s' % focused(window))

        # Toggle a tag.
        education = find(tag_list, role='push button', name='教育')
        check(not checked(education), 'the article has no tag 教育 yet')
        click(education)
        check(wait_for(lambda: checked(education), 5, 'checked'), 'clicking 教育 tags the article')
        check(wait_for(lambda: '教育' in tags_of(db, first), 5, 'saved'), 'the tag is saved at once')

        # A new tag with the entry.
        set_text(entry, '营商环境')
        click(find(window, role='push button', name='Add the tag'))
        new = find(tag_list, role='push button', name='营商环境')
        check(wait_for(lambda: checked(new), 5, 'new tag'), 'a new tag is made and given to the article')

        # The entry finds tags as one types (name, English label or code).
        set_text(entry, 'sport')
        wait_for(lambda: len(toggles(tag_list)) == 1, 5, 'filtered')
        check([n.name for n in toggles(tag_list)] == ['体育'],
              'typing "sport" finds 体育')
        pointer_click(app, entry)
        wait_for(lambda: 'Add a tag' in focused(window), 5, 'the field focused')
        press('Down')
        check(wait_for(lambda: focused(window) == ['体育'], 5, 'the found tag focused'),
              'Down goes from the field to the tag it found: %s' % focused(window))
        press('Tab')
        check(wait_for(lambda: focused(window) == ['Show the articles tagged 体育'], 5, 'its count'),
              'Tab goes from a tag to its count (the row takes no focus): %s' % focused(window))
        press('Up')
        check(wait_for(lambda: focused(window) == ['Add a tag'], 5, 'the field'),
              'Up from the first tag goes back to the field: %s' % focused(window))
        pointer_click(app, entry)
        wait_for(lambda: 'Add a tag' in focused(window), 5, 'the field focused')
        press('Return')
        sport = find(tag_list, role='push button', name='体育')
        check(wait_for(lambda: checked(sport), 5, 'tagged 体育'),
              'Enter gives the article the one tag the field found')
        check('sport' not in cli(db, 'tags') and '体育' in tags_of(db, first),
              'and makes no tag "sport": %s' % sorted(tags_of(db, first)))
        check(wait_for(lambda: len(toggles(tag_list)) > 1, 5, 'every tag again'),
              'the field is empty again and shows every tag')
        click(sport)
        check(wait_for(lambda: '体育' not in tags_of(db, first), 5, 'untagged'), 'clicking 体育 again takes it off')
        check(not find(window, role='push button', name='Add the tag').getState().contains(pyatspi.STATE_SENSITIVE),
              'with the field empty, the add button is off')

        # Filter the list by a tag: its count.
        click(find(tag_list, role='push button', name='Show the articles tagged 教育'))
        check(bool(wait_for(lambda: '1 article' in labels(window), 10, 'filtered list')),
              'the count of 教育 lists its one article')
        check('Tagged 教育' in labels(window), 'the list says it is filtered')
        click(find(window, role='push button', name='Clear the tag filter'))
        check(bool(wait_for(lambda: '%d articles' % len(ids) in labels(window), 10, 'all')),
              'clearing the filter lists every article again')

        # Tag every untagged article above a confidence: preview, apply, undo.
        untagged = len(cli(db, 'classify', '--min', '0').splitlines())
        click(find(window, role='push button', contains='ntagged Articles'))
        apply = find(app.root, role='push button', contains='Tag the articles')
        # Learnt from a handful of articles, no suggestion is sure enough
        # for the default minimum: the archive holds untagged topics.
        check(bool(wait_for(lambda: 'No untagged article has a suggestion this sure.' in labels(app.root),
                            20, 'nothing sure')), 'six tagged articles make no suggestion 80 % sure')
        find(app.root, name='Minimum confidence').queryValue().currentValue = 50
        summary = wait_for(lambda: [n for n in labels(app.root) if 'will be tagged' in n], 20, 'preview')
        planned = int(summary[0].split()[0])
        preview = find(app.root, role='list', name='Articles to tag')
        check(0 < planned < untagged and len(find_all(preview, role='list item')) == planned,
              'the preview lists what it will do: %s (%d untagged)' % (summary[0], untagged))
        wait_for(lambda: apply.getState().contains(pyatspi.STATE_SENSITIVE), 10, 'apply enabled')
        click(apply)
        check(wait_for(lambda: len(cli(db, 'classify', '--min', '0').splitlines()) == untagged - planned,
                       10, 'applied'), 'the %d articles are tagged' % planned)
        check(bool(wait_for(lambda: 'Tagged %d articles' % planned in labels(window), 10, 'toast')),
              'a toast says so')
        click(find(window, role='push button', contains='Undo'))
        check(wait_for(lambda: len(cli(db, 'classify', '--min', '0').splitlines()) == untagged, 10, 'undone'),
              'undo untags them again')

        # Several selected articles are tagged together, one of them already.
        cli(db, 'tag', str(first), '人性')
        press('f', ('ctrl',))
        press('Down')
        press('a', ('ctrl',))
        check(bool(wait_for(lambda: 'Tags for %d selected articles' % len(ids) in labels(window), 10,
                            'multi')), 'selecting every article shows their tags together')
        human = find(tag_list, role='push button', name='人性')
        had = len(cli(db, 'list', '--tag', '人性').splitlines())
        click(human)
        check(wait_for(lambda: len(cli(db, 'list', '--tag', '人性').splitlines()) == len(ids), 10, 'all'),
              'one click tags every selected article')
        given = '“人性” given to %d articles' % (len(ids) - had)
        check(bool(wait_for(lambda: given in labels(window), 10, 'the toast')), 'a toast says: ' + given)
        click(find(window, role='push button', contains='Undo'))
        check(wait_for(lambda: len(cli(db, 'list', '--tag', '人性').splitlines()) == had, 10, 'undone'),
              'its Undo takes the tag from those that had it not, and only from them (%d keep it)' % had)

        # Taken from them all, its Undo gives each article the tag back as
        # it was: the editor's, or applied from the suggestions with its
        # confidence (as "tag all untagged" leaves it: here written in).
        click(human)
        wait_for(lambda: len(cli(db, 'list', '--tag', '人性').splitlines()) == len(ids), 10, 'all')
        applied = ids[-1]

        def confidences():
            with sqlite3.connect(db) as archive:
                rows = dict(archive.execute("SELECT article_id, confidence FROM article_tags"
                                            " WHERE tag_id = (SELECT id FROM tags WHERE name = '人性')"))
            archive.close()
            return rows
        with sqlite3.connect(db) as archive:
            archive.execute("UPDATE article_tags SET confidence = 0.7 WHERE article_id = ?"
                            " AND tag_id = (SELECT id FROM tags WHERE name = '人性')", (applied,))
        archive.close()
        click(human)
        taken = '“人性” taken from %d articles' % len(ids)
        check(bool(wait_for(lambda: taken in labels(window), 10, 'the toast')), 'a toast says: ' + taken)
        undo = wait_for(lambda: [b for b in find_all(window, role='push button') if 'Undo' in (b.name or '')]
                        if len([n for n in labels(window) if n.startswith('“人性”')]) == 1 else None,
                        10, 'the toast before gone')
        check(len(undo) == 1, 'the Undo of the change before has gone: %s' % [
            n for n in labels(window) if n.startswith('“人性”')])
        click(undo[0])
        check(wait_for(lambda: len(confidences()) == len(ids), 10, 'undone'),
              'its Undo gives the tag back to the %d articles' % len(ids))
        back = confidences()
        check(back[applied] == 0.7 and all(c == 1 for i, c in back.items() if i != applied),
              'each as it was: the one applied from the suggestions at its confidence, the others '
              'the editor\'s: %s' % sorted(set(back.values())))
    finally:
        status = app.stop()
        if failures or status != 0 or sys.exc_info()[0] is not None:
            print('\n'.join('# ' + line for line in app.output().splitlines()[-20:]))
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])
    saved = tags_of(db, first)
    check({'教育', suggested, '营商环境', '人性'} <= saved, 'the tags are saved: %s' % sorted(saved))

    # After a restart the article shows its tags.
    app = start(db)
    try:
        window = app.window()
        open_first_article(window)
        tag_list = find(window, role='list', name='Tags')
        ticked = wait_for(lambda: {n.name for n in toggles(tag_list) if checked(n)},
                          10, 'ticked tags')
        check(ticked == saved, 'after a restart the article shows its tags: %s' % sorted(ticked))

        # The taxonomy editor: add, move, rename, merge, delete.
        click(find(window, role='push button', contains='Edit Tags'))
        taxonomy = find(app.root, role='list', name='Taxonomy')
        name = find(app.root, role='text', name='Tag name')
        other = find(app.root, role='text', name='Parent or target tag')

        def select(tag):
            items = find_all(taxonomy, role='list item')
            index = [i for i, item in enumerate(items) if tag in labels(item)][0]
            taxonomy.querySelection().selectChild(index)

        def tree():
            return [line.split('\t')[1] for line in cli(db, 'tags').splitlines()]

        set_text(name, '项目建设')
        set_text(other, '经济')
        click(find(app.root, role='push button', name='Add'))
        check(wait_for(lambda: '  项目建设' in tree(), 5, 'added'), 'Add makes a subtag: %s' % tree()[-4:])
        select('营商环境')
        check(wait_for(lambda: text_of(name) == '营商环境', 5, 'the name'),
              'selecting a tag puts its name in the name field, for Rename: %r' % text_of(name))
        click(find(app.root, role='push button', name='Move'))
        check(wait_for(lambda: '  营商环境' in tree(), 5, 'moved'), 'Move puts a tag under another')
        set_text(name, '营商')
        click(find(app.root, role='push button', name='Rename'))
        check(wait_for(lambda: '  营商' in tree(), 5, 'renamed'), 'Rename renames it')
        check(bool(wait_for(lambda: find_all(tag_list, role='push button', name='营商'), 5, 'sidebar')),
              'the sidebar shows the new name')
        def confirm(action):
            buttons = wait_for(lambda: [b for b in find_all(app.root, role='push button', contains=action)
                                        if b.name != action], 5, 'the confirmation')
            # The message dialog keeps a wide and a narrow row of buttons; one is shown.
            for button in buttons:
                try:
                    click(button)
                except Exception:
                    pass

        select('营商')
        click(find(app.root, role='push button', name='Merge'))
        check(bool(wait_for(lambda: [n for n in labels(app.root) if 'Merge “营商” into “经济”?' in n], 5, 'asked')),
              'Merge asks first')
        check('  营商' in tree(), 'and merges nothing before the answer')
        confirm('Merge')
        check(wait_for(lambda: '  营商' not in tree() and '经济' in tags_of(db, first), 5, 'merged'),
              'Merge, once confirmed, moves its articles to the target: %s' % sorted(tags_of(db, first)))
        select('项目建设')
        click(find(app.root, role='push button', name='Delete'))
        check(bool(wait_for(lambda: [n for n in labels(app.root) if 'Delete “项目建设”?' in n], 5, 'asked')),
              'Delete asks first')
        confirm('Delete')
        check(wait_for(lambda: '  项目建设' not in tree(), 5, 'deleted'), 'Delete, once confirmed, deletes it')

        # Closing the editor with a tag selected says nothing on the log
        # (its list once told the buttons about a selection it no longer had).
        select('经济')
        rename = find(app.root, role='push button', name='Rename')
        wait_for(lambda: rename.getState().contains(pyatspi.STATE_SENSITIVE), 5, 'a tag selected')
        press('Escape')
        wait_for(lambda: not find_all(app.root, role='list', name='Taxonomy'), 5, 'the editor closed')
        bad = app.warnings()
        check(app.proc.poll() is None and not bad,
              'closing Edit Tags with a tag selected logs no warnings: %s' % bad[:3])
        click(find(window, role='push button', contains='Edit Tags'))
        taxonomy = find(app.root, role='list', name='Taxonomy')
        select('经济')
        editor = wait_for(lambda: [w for w in (app.root.getChildAtIndex(i) for i in range(app.root.childCount))
                                   if w is not None and w.name == 'Tags'], 5, 'the editor window')[0]
        click(find(editor, role='push button', name='Close'))
        wait_for(lambda: not find_all(app.root, role='list', name='Taxonomy'), 5, 'the editor closed')
        bad = app.warnings()
        check(app.proc.poll() is None and not bad,
              'closing Edit Tags with its close button logs no warnings: %s' % bad[:3])
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly after the restart (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

    # With ten articles of each of two tags, the suggestions also learn from
    # the untagged articles whose tags they are sure of, say so, and learn
    # again from the articles an import brings.
    db = os.path.join(tmp, 'guesses.db')
    pages = sorted(os.path.join(args.pages, name) for name in os.listdir(args.pages))
    later = [pages[1], pages[4]]
    cli(db, 'import', *[page for page in pages if page not in later])
    ids = [int(line.split('\t')[0]) for line in cli(db, 'list').splitlines()]
    for i, article_id in enumerate(ids[-20:]):
        cli(db, 'tag', str(article_id), '经济' if i < 10 else '安全生产')
    # A subtag of 经济 with two articles of its own, one also tagged 经济.
    taxonomy = os.path.join(tmp, 'local.tsv')
    with open(taxonomy, 'w') as f:
        f.write('path\tcode\tlabel_en\n经济\n经济/营商环境\n')
    cli(db, 'tags', '--import', taxonomy)
    cli(db, 'tag', str(ids[-20]), '营商环境')
    cli(db, 'tag', str(ids[-21]), '营商环境')
    untagged = len(ids) - 21

    def guessed(window):
        found = [re.search(r'21 tagged articles, and from Galley’s sure guesses for (\d+) other', n)
                 for n in labels(window)]
        return [int(m.group(1)) for m in found if m is not None]

    app = start(db)
    try:
        window = app.window()
        # With no article selected the sidebar lists the tags, to filter by
        # their counts, but gives none.
        toggle = find(window, role='push button', name='Show Article Details')
        if not checked(toggle):
            click(toggle)
        tag_list = find(window, role='list', name='Tags')
        economy = find(tag_list, role='push button', name='经济')
        check(not economy.getState().contains(pyatspi.STATE_SENSITIVE),
              'with no article selected the tags are listed but cannot be given')
        check(bool(wait_for(lambda: 'Learning from the tagged articles…' not in labels(window), 30, 'learnt')),
              'and the note that it is learning goes once it has learnt')
        economy_count = find(tag_list, role='push button', name='Show the articles tagged 经济')
        check('11' in labels(economy_count),
              'a tag counts the articles of its subtags too, each once: %s' % labels(economy_count))
        click(economy_count)
        check(bool(wait_for(lambda: '11 articles' in labels(window), 10, 'filtered')),
              'and its count lists them')
        check('Tagged 经济' in labels(window), 'the list says it is filtered by the tag')
        click(find(tag_list, role='push button', name='Show the articles without a tag'))
        check(bool(wait_for(lambda: '%d articles' % untagged in labels(window), 10, 'untagged')),
              'the Untagged count lists the %d articles no editor tagged' % untagged)
        check('Untagged' in labels(window), 'the list says it shows the untagged articles')
        click(find(window, role='push button', name='Clear the tag filter'))
        check(bool(wait_for(lambda: '%d articles' % len(ids) in labels(window), 10, 'all')),
              'clearing the filter lists every article again')
        open_first_article(window)
        check(find(tag_list, role='push button', name='经济').getState().contains(pyatspi.STATE_SENSITIVE),
              'with an article open the tags can be given')
        find(window, role='push button', contains='Accept suggestion ', timeout=30)
        before = wait_for(lambda: guessed(window), 20, 'the note')
        check(bool(before) and before[0] > 0, 'the suggestions say they learnt from untagged articles too: %s'
              % [n for n in labels(window) if 'learnt' in n])
        subprocess.run([args.galley, '--database', db] + later, env=app.env, check=True, timeout=30)
        after = wait_for(lambda: [n for n in guessed(window) if n not in before], 30, 'learning again')
        check(bool(after), 'after an import they learn from its articles too: %s, then %s' % (before, after))
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

tap.done()
