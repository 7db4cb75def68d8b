#!/usr/bin/python3
# The window in Chinese, as our users see it: with LANGUAGE=zh_CN and the
# build's translations, the main window (an article open, its changes
# marked, the tags sidebar shown), its menu and every dialog are opened and
# every name in their accessibility trees is read; none may be an English
# text of po/zh_CN.po (a string shown without gettext, or from the wrong
# catalogue), nor English words that are in no catalogue at all (a string
# never marked for translation). The command line speaks Chinese too.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import gettext
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyatspi  # noqa: E402
from galley_a11y import App, find, find_all, press, wait_for  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--galley', required=True)
parser.add_argument('--cli', required=True)
parser.add_argument('--pages', required=True)
parser.add_argument('--locale-dir', required=True)
args = parser.parse_args()

import tap  # noqa: E402
from tap import check  # noqa: E402

ENV = {'LC_ALL': 'C.UTF-8', 'LANGUAGE': 'zh_CN', 'GALLEY_LOCALE_DIR': args.locale_dir}
with open(os.path.join(args.locale_dir, 'zh_CN', 'LC_MESSAGES', 'galley.mo'), 'rb') as f:
    catalog = gettext.GNUTranslations(f)


def tr(text):
    return catalog.gettext(text)


def dgettext(domain, text):
    """text in Chinese from another installed catalogue (GTK's, libadwaita's)."""
    return gettext.translation(domain, '/usr/share/locale', ['zh_CN'], fallback=True).gettext(text)


def shown(text):
    """A label as shown: without its mnemonic underline."""
    return text.replace('_', '')


def english_patterns():
    """A pattern for each English message whose translation differs from it
    (printf conversions match any text)."""
    patterns = []
    for key, value in catalog._catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split('\x04')[-1]
        text = value if isinstance(value, str) else value
        if not re.search(r'[A-Za-z]{3}', msgid) or shown(text) == shown(msgid):
            continue
        parts = re.split(r"%(?:\d+\$)?'?[-+ #0]*\d*(?:\.\d+)?(?:l|ll|h|z|j|t|L|I64|G_GINT64_MODIFIER)?[diouxXeEfgGsc]",
                         shown(msgid))
        patterns.append(re.compile('.+'.join(map(re.escape, parts)), re.S))
    return patterns


ENGLISH = english_patterns()
# English words a Chinese window shows on purpose: names, formats, standards.
KEPT = {'Galley', 'IPTC', 'Media', 'Topics', 'NewsML', 'Markdown', 'HTML', 'JSON', 'Lines', 'CSV',
        'Word', 'YYYY', 'MM', 'DD', 'GNU', 'General', 'Public', 'License', 'GPL', 'CC', 'BY', 'Ctrl',
        'Shift', 'Alt', 'Page', 'Up', 'Down', 'Return', 'Backspace', 'Enter', 'Tab', 'Esc', 'txt',
        'medtop', 'md', 'html', 'jsonl', 'csv', 'xml', 'docx', 'OCR', 'UTF', 'GB', 'Unicode',
        'Sans', 'Serif', 'Monospace'}  # font names


def names_of(root):
    """Every accessible name and description under root (shown or not)."""
    out = set()
    for node in find_all(root, showing_only=False):
        for value in (getattr(node, 'name', None), getattr(node, 'description', None)):
            if value:
                out.add(value)
    return out


def stray_english(names, where, article_texts):
    found = []
    for name in names:
        # GTK 4.8 names a widget without a label by its type.
        if name in article_texts or re.fullmatch(r'(Gtk|Adw|Galley)[A-Z]\w+', name):
            continue
        if any(p.fullmatch(name) for p in ENGLISH):
            found.append(name)
            continue
        words = [w for w in re.findall(r'[A-Za-z]{3,}', name) if w not in KEPT]
        # A file name (a page of the archive, a path) is not English text.
        if words and not re.search(r'[/\\.]\w+$|^\w+\.\w+$', name):
            found.append(name)
    check(not found, '%s: no English text in the Chinese window: %s' % (where, sorted(found)[:8]))


def cli(database, *argv, env=None):
    return subprocess.run([args.cli, '--database', database] + list(argv), capture_output=True,
                          text=True, env=dict(os.environ, **(env or {})))


def opened(app, before, title):
    """The window that opened after there were before, checked to carry
    the translated title (libadwaita titles its about window, GTK 4.8
    names the shortcuts window by its type)."""
    window = wait_for(lambda: app.root.childCount > before and app.root.getChildAtIndex(before),
                      10, 'the window %r' % title)
    check(window.name in (tr(title), 'GtkShortcutsWindow', dgettext('libadwaita', 'About')),
          'the window %r is titled in Chinese: %r' % (title, window.name))
    return window


def close(app, before):
    press('Escape')
    wait_for(lambda: app.root.childCount == before, 10, 'the window closed')


def menu_item(app, label):
    """Opens the main menu and returns its item label (translated)."""
    press('F10')
    want = re.sub(r'\(_?\w\)', '', shown(tr(label)))
    return find(app.root, role='menu item', name=None, contains=want.rstrip('…'))


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'archive.db')
    done = cli(db, 'import', args.pages, env=ENV)
    check(done.returncode == 0, 'galley-cli imports the pages')
    usage = cli(db, '--help', env=ENV).stdout
    check(re.search(r'[\u4e00-\u9fff]', usage) and 'Project-Id-Version' not in usage,
          'galley-cli --help is in Chinese')
    wrong = cli(db, 'no-such-command', env=ENV)
    check(wrong.returncode != 0 and re.search(r'[\u4e00-\u9fff]', wrong.stderr)
          and not re.search(r'[A-Za-z]{4,} [a-z]{3,}', wrong.stderr.replace('no-such-command', '')),
          'galley-cli explains a wrong command in Chinese: %r' % wrong.stderr.strip()[:80])
    articles = [line.split('\t') for line in cli(db, 'list').stdout.splitlines()]
    shown_article = cli(db, 'show', articles[0][0], env=ENV).stdout
    check(re.search('^%s：' % tr('Title'), shown_article, re.M) and 'Title' not in shown_article,
          'galley-cli show labels the fields in Chinese: %r' % shown_article[:40])
    texts = {field for row in articles for field in row}
    # The taxonomy's English labels are shown beside the Chinese ones.
    with open(os.path.join(os.environ['GALLEY_DATA_DIR'], 'iptc-media-topics.tsv')) as f:
        texts |= {field for line in f for field in line.rstrip('\n').split('\t')}
    # Tagged articles to learn from, so that there are suggestions.
    for i, tag in ((1, '经济'), (3, '安全生产'), (5, '经济'), (10, '经济'), (8, '安全生产')):
        cli(db, 'tag', articles[i][0], tag)

    app = App(args.galley, db, env=ENV)
    app.start()
    try:
        window = app.window()
        press('f', ('ctrl',))
        press('Down')
        press('Return')
        find(window, role='text', name=tr('Article text'))
        toggle = find(window, role='push button', name=tr('Show Article Details'))
        state = toggle.getState()
        if not (state.contains(pyatspi.STATE_CHECKED) or state.contains(pyatspi.STATE_PRESSED)):
            toggle.queryAction().doAction(0)
        find(window, role='list', name=tr('Tags'))
        press('F8')
        stray_english(names_of(window), 'the main window', texts)

        press('d', ('ctrl',))
        stray_english(names_of(window), 'the comparison with the OCR original', texts)
        press('d', ('ctrl',))

        item = menu_item(app, 'Known _Corrections…')
        stray_english(names_of(item.parent), 'the main menu', texts)
        before = app.root.childCount
        item.queryAction().doAction(0)
        dialog = opened(app, before, 'Known Corrections')
        stray_english(names_of(dialog), 'Known Corrections', texts)
        close(app, before)

        # Each item of the main menu has an access key of its own, in both
        # languages (Export Articles and Edit Tags once shared E).
        ui = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui', 'galley-window.ui')
        with open(ui, encoding='utf-8') as f:
            menu = re.findall(r'<attribute name="label" translatable="yes">([^<]*)</attribute>', f.read())
        for keys, language in (([re.search(r'_(\w)', m).group(1).lower() for m in menu], 'English'),
                               ([re.search(r'\(_(\w)\)', tr(m)).group(1).lower() for m in menu], 'Chinese')):
            check(len(set(keys)) == len(keys), 'the main menu\'s access keys differ in %s: %s' % (language, keys))

        for label, title in (('E_dit Tags…', 'Tags'),
                             ('_Tag Untagged Articles…', 'Tag Untagged Articles'),
                             ('_About Galley', 'About Galley'),
                             ('C_heck the Archive', 'The Archive Is Sound')):
            item = menu_item(app, label)
            before = app.root.childCount
            item.queryAction().doAction(0)
            dialog = opened(app, before, title)
            stray_english(names_of(dialog), title, texts)
            close(app, before)

        for key, modifiers, title in (('comma', ('ctrl',), 'Preferences'),
                                      ('e', ('ctrl',), 'Export Articles'),
                                      ('h', ('ctrl',), 'Find and Replace'),
                                      ('h', ('ctrl', 'shift'), 'Revision History'),
                                      ('question', ('ctrl',), 'Shortcuts')):
            before = app.root.childCount
            press(key, modifiers)
            dialog = opened(app, before, title)
            stray_english(names_of(dialog), title, texts)
            close(app, before)
        check(not app.warnings(), 'no GTK warnings: %s' % app.warnings()[:3])
    finally:
        app.stop()

tap.done()
