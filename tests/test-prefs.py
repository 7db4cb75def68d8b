#!/usr/bin/python3
# Preferences, the keyboard shortcuts window and the known corrections,
# driven through the accessibility tree: switch a clean-up rule off and
# choose a font (the settings are read back from a keyfile), find a
# shortcut in the shortcuts window, add a known correction and see the
# next import flag it; give dates printed without a year a default year and
# see the window's import use it.
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


def checked(acc):
    states = acc.getState()
    return states.contains(pyatspi.STATE_CHECKED) or states.contains(pyatspi.STATE_PRESSED)


def switch(root, name):
    """A switch by its accessible name (GTK 4.8 shows it as a check box
    named "Label Label")."""
    def look():
        for node in find_all(root, role='check box'):
            if node.name == name or (node.name or '').endswith(' ' + name):
                return node
        return None
    try:
        return wait_for(look, 10, 'the switch %r' % name)
    except Exception:
        print([(n.getRoleName(), n.name) for n in find_all(root)])
        raise


def focused(acc):
    return acc.getState().contains(pyatspi.STATE_FOCUSED)


def toggle(root, acc, name):
    """Tab to the switch or its row, then Space, as a user would (GTK 4.8
    check boxes have no action)."""
    rows = [n for n in find_all(root, role='list item') if n.name == name]
    for _ in range(40):
        if focused(acc) or any(focused(r) for r in rows):
            press('space')
            return
        press('Tab')
    raise AssertionError('Tab never reached %r' % name)


def window_named(app, title, also=None):
    """A top-level window of the app by its title (or by another name:
    GTK 4.8 names the shortcuts window by its class)."""
    def look():
        windows = [app.root.getChildAtIndex(i) for i in range(app.root.childCount)]
        return [w for w in windows if w is not None and w.name in (title, also)]
    try:
        return wait_for(look, 10, 'the window %r' % title)[0]
    except Exception:
        print([(app.root.getChildAtIndex(i).getRoleName(), app.root.getChildAtIndex(i).name)
               for i in range(app.root.childCount)])
        raise


WRONG, RIGHT = '济宁', '济南'

with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    config = os.path.join(tmp, 'config')
    env = {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config}
    app = App(args.galley, db, env).start()
    try:
        window = app.window()

        # Preferences: switch Punctuation off, choose a font of one's own.
        press('comma', ('ctrl',))
        prefs = window_named(app, 'Preferences')
        punctuation = switch(prefs, 'Punctuation')
        check(checked(punctuation), 'the Punctuation rule is on at first')
        toggle(prefs, punctuation, 'Punctuation')
        check(wait_for(lambda: not checked(punctuation), 5, 'switched off'), 'it switches off')
        system_font = switch(prefs, 'Use System Font')
        check(checked(system_font), 'the article text uses the system font at first')
        toggle(prefs, system_font, 'Use System Font')
        check(wait_for(lambda: not checked(system_font), 5, 'own font'), 'the own font is chosen')
        press('Escape')
        wait_for(lambda: not [w for w in find_all(app.root) if w.name == 'Preferences'], 5,
                 'the preferences closed')

        # The shortcuts window lists the review keys.
        press('question', ('ctrl',))
        shortcuts = window_named(app, 'Shortcuts', 'GtkShortcutsWindow')
        for title in ('Accept the change', 'Find and replace', 'Next article with changes to review'):
            check(title in labels(shortcuts), 'the shortcuts window lists “%s”' % title)
        press('Escape')

        # Known corrections, from the main menu.
        press('F10')
        item = find(app.root, contains='Corrections…')
        item.queryAction().doAction(0)
        dialog = window_named(app, 'Known Corrections')
        check(not [n for n in labels(dialog) if ' → ' in n], 'no known corrections at first')
        set_text(find(dialog, role='text', name='Wrong text'), WRONG)
        set_text(find(dialog, role='text', name='Right text'), RIGHT)
        add = wait_for(lambda: [b for b in find_all(dialog, role='push button')
                                if (b.name or '').endswith('Add')
                                and b.getState().contains(pyatspi.STATE_SENSITIVE)], 5, 'Add')[0]
        add.queryAction().doAction(0)
        title = '%s → %s' % (WRONG, RIGHT)
        check(bool(wait_for(lambda: title in labels(dialog), 5, 'the new row')),
              'the dialog lists the added correction')
        # A second one from the keyboard (the focus is back in the wrong
        # text), deleted again.
        set_text(find(dialog, role='text', name='Wrong text'), '人区')
        set_text(find(dialog, role='text', name='Right text'), '入区')
        press('Return')
        press('Return')
        check(bool(wait_for(lambda: '人区 → 入区' in labels(dialog), 5, 'the second row')),
              'Return, Return adds a correction too')
        find(dialog, name='Delete 人区 → 入区').queryAction().doAction(0)
        check(bool(wait_for(lambda: '人区 → 入区' not in labels(dialog), 5, 'deleted')),
              'the delete button deletes it')
        press('Escape')

        # Check the archive, from the main menu: a dialog says it is sound.
        press('F10')
        find(app.root, contains='Check the Archive').queryAction().doAction(0)

        def sound():
            windows = [app.root.getChildAtIndex(i) for i in range(app.root.childCount)]
            return [w for w in windows if w is not None and 'The Archive Is Sound' in labels(w)]
        check(bool(wait_for(sound, 30, 'the check')), 'checking the archive says it is sound')
        press('Escape')
        check(bool(wait_for(lambda: not sound(), 5, 'the dialog closed')), 'Escape closes the dialog')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])

    # The settings took.
    with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile')) as f:
        keyfile = f.read()
    check("disabled-rules=['punctuation']" in keyfile, 'the setting lists the rule switched off')
    font = re.search(r"editor-font='([^']*)'", keyfile)
    check(font is not None and font.group(1) != '', 'the setting holds the chosen font (%s)'
          % (font.group(1) if font else None))

    # The next import flags the known correction.
    cli(db, 'import', args.pages)
    exported = [json.loads(line) for line in
                cli(db, 'export', '--format', 'jsonl', '--provenance').splitlines()]
    flagged = [c for a in exported for c in a.get('changes', [])
               if c.get('kind') == 'suspect' and c.get('before') == WRONG and c.get('after') == RIGHT]
    check(len(flagged) > 0, 'the import flags %s as a suspect for %s (%d times)' % (WRONG, RIGHT, len(flagged)))

    # Accepting a suspect offers to correct it everywhere: the toast's
    # button opens find and replace with the correction filled in.
    hits = sum(sum(a[field].count(WRONG) for field in ('kicker', 'title', 'subtitle', 'byline', 'body'))
                    for a in exported)
    app = App(args.galley, db, env).start()
    try:
        window = app.window()
        press('f', ('ctrl',))
        press('Down')
        press('Return')
        wanted = '“%s” may be a misreading; suggested: “%s”' % (WRONG, RIGHT)

        def at_suspect():
            return [n for n in labels(window) if n.startswith('Look-alike characters: ' + wanted)]
        for _ in range(60):
            if at_suspect():
                break
            press('F8')
        check(bool(at_suspect()), 'F8 reaches a suspect %s' % WRONG)
        press('Return', ('alt',))
        offer = 'Correct “%s” → “%s” everywhere?' % (WRONG, RIGHT)
        check(bool(wait_for(lambda: offer in labels(window), 5, 'the offer')),
              'accepting it offers to correct it everywhere')
        preview = wait_for(lambda: [b for b in find_all(window, role='push button')
                                    if (b.name or '').endswith('Preview…')], 5, 'Preview…')[0]
        preview.queryAction().doAction(0)
        dialog = window_named(app, 'Find and Replace')
        find_entry = wait_for(lambda: [n for n in find_all(dialog, role='text')
                                       if n.name in ('Find', 'Find Find')], 5, 'the Find entry')[0]
        check(text_of(find_entry) == WRONG, 'the dialog searches %s' % WRONG)
        count = '%d matches in' % (hits - 1)
        try:
            wait_for(lambda: [n for n in labels(dialog) if n.startswith(count)], 10, 'the count')
        except Exception:
            pass
        check([n for n in labels(dialog) if n.startswith(count)],
              'and finds the %d other matches: %s' % (hits - 1, [n for n in labels(dialog) if 'match' in n]))
        press('Escape')
        # The autosave that follows does not offer the same correction again.
        time.sleep(3)
        check(offer not in labels(window), 'the correction is offered once')
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])


# The default year of dates printed without one, in Preferences: off, an
# imported page's "6月5日" stays undated; on, it gets the year chosen; off
# again, undated again (neither the page nor its file name shows a year).
YEAR = 1999


def import_page(app, window, folder, name, title):
    """Writes a year-less page and imports it through the file chooser;
    returns the details line of its row in the list."""
    path = os.path.join(folder, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('%s\n本报讯（记者 王五）6月5日，%s工作会议召开，部署下一阶段重点任务。\n'
                % (title, title))
    press('o', ('ctrl',))
    window_named(app, 'Import Files')
    press('l', ('ctrl',))
    type_text(path)
    time.sleep(0.5)
    press('Return')
    rows = wait_for(lambda: [n for n in labels(window) if n.endswith(' · ' + name)], 20,
                    'the row of ' + name)
    return rows[0]


def set_default_year(app, window, year):
    """Opens Preferences and switches the default year on (to year) or off."""
    press('comma', ('ctrl',))
    prefs = window_named(app, 'Preferences')
    on = switch(prefs, 'Default Year')
    spin = find(prefs, role='spin button', name='Year')
    if checked(on) != (year is not None):
        toggle(prefs, on, 'Default Year')
        check(wait_for(lambda: checked(on) == (year is not None), 5, 'the switch'),
              'the Default Year switch turns %s' % ('on' if year else 'off'))
    check(wait_for(lambda: spin.getState().contains(pyatspi.STATE_SENSITIVE) == (year is not None),
                   5, 'the year row'),
          'the year can be chosen only while the switch is on')
    if year is not None:
        for _ in range(40):
            if focused(spin) or any(focused(n) for n in find_all(spin)):
                break
            press('Tab', ('shift',))
        press('a', ('ctrl',))
        type_text(str(year))
        press('Tab')
        check(wait_for(lambda: spin.queryValue().currentValue == year, 5, 'the year'),
              'the year is %d' % year)
    press('Escape')
    wait_for(lambda: not [w for w in find_all(app.root) if w.name == 'Preferences'], 5,
             'the preferences closed')


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    env = {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': os.path.join(tmp, 'config')}
    app = App(args.galley, db, env).start()
    try:
        window = app.window()
        row = import_page(app, window, tmp, 'page-a.txt', '城区')
        check(' · undated · ' in row, 'with no default year the date stays empty (%s)' % row)
        set_default_year(app, window, YEAR)
        row = import_page(app, window, tmp, 'page-b.txt', '新区')
        check(' · %d-06-05 · ' % YEAR in row, 'with the default year %d, 6月5日 is %d-06-05 (%s)'
              % (YEAR, YEAR, row))
        set_default_year(app, window, None)
        row = import_page(app, window, tmp, 'page-c.txt', '开发区')
        check(' · undated · ' in row, 'switched off again, the date stays empty (%s)' % row)
    finally:
        status = app.stop()
    check(status == 0, 'galley quits cleanly (status %s)' % status)
    bad = app.warnings()
    check(not bad, 'no GTK warnings: %s' % bad[:3])
    with open(os.path.join(tmp, 'config', 'glib-2.0', 'settings', 'keyfile')) as f:
        check('undated-year=0' in f.read(), 'the setting is off again')

tap.done()
