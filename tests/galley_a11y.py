# Drive the real Galley window through the accessibility tree.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import shlex
import subprocess
import time

import pyatspi
from gi.repository import GLib


# Slow runs (the app under valgrind, say) stretch every wait; the app's
# command may be prefixed by a program that execs it, keeping its process.
TIME_FACTOR = float(os.environ.get('GALLEY_TEST_TIME_FACTOR', '1'))
WRAP = shlex.split(os.environ.get('GALLEY_TEST_WRAP', ''))


class Timeout(Exception):
    pass


def wait_for(predicate, timeout=20.0, what='condition'):
    end = time.monotonic() + timeout * TIME_FACTOR
    while time.monotonic() < end:
        try:
            value = predicate()
        except GLib.GError:
            # A widget went away while it was being read: look again.
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise Timeout('timed out waiting for ' + what)


def walk(acc, showing_only=True):
    """All descendants of acc, depth first; hidden subtrees skipped."""
    stack = [acc]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        yield node
        try:
            children = [node.getChildAtIndex(i) for i in range(node.childCount)]
        except Exception:
            continue
        for child in reversed(children):
            if child is None:
                continue
            if showing_only:
                try:
                    if not child.getState().contains(pyatspi.STATE_VISIBLE):
                        continue
                except Exception:
                    continue
            stack.append(child)


def find_all(root, role=None, name=None, contains=None, showing_only=True):
    found = []
    for node in walk(root, showing_only):
        try:
            if role is not None and node.getRoleName() != role:
                continue
            if name is not None and node.name != name:
                continue
            if contains is not None and contains not in (node.name or ''):
                continue
        except Exception:
            continue
        found.append(node)
    return found


def find(root, role=None, name=None, contains=None, timeout=20.0):
    def look():
        nodes = find_all(root, role, name, contains)
        return nodes[0] if nodes else None
    return wait_for(look, timeout, '%s %r' % (role, name or contains))


def text_of(acc):
    text = acc.queryText()
    return text.getText(0, text.characterCount)


def _name(node):
    try:
        return node.name
    except GLib.GError:
        return None


def labels(root):
    return [name for name in map(_name, find_all(root, role='label')) if name]


def refusal(window, word, timeout=10.0):
    """The labels holding word on the window's "Could Not Open the Archive"
    page, or [] when the window does not show that page."""
    if find(window, name='Could Not Open the Archive', timeout=timeout) is None:
        return []
    return [label for label in labels(window) if word in label]


def press(key, modifiers=()):
    """Presses a key (an X keysym name: 'Down', 'Return', 'f') with modifiers ('ctrl', 'shift', 'alt')."""
    subprocess.run(['xdotool', 'key', '--clearmodifiers', '+'.join(list(modifiers) + [key])],
                   check=True)
    time.sleep(0.2)


def set_text(acc, text):
    """Puts text into an entry, as an input method would (Chinese included)."""
    acc.queryEditableText().setTextContents(text)
    time.sleep(0.2)


def type_text(text):
    """Types text on the keyboard (ASCII; use set_text for Chinese)."""
    subprocess.run(['xdotool', 'type', '--delay', '30', text], check=True)
    time.sleep(0.2)


class App:
    """The galley program on a database, found in the accessibility tree."""

    def __init__(self, program, database, env=None, args=()):
        self.env = dict(os.environ)
        self.env['G_DEBUG'] = 'fatal-criticals'
        self.env.update(env or {})
        self.program = program
        self.database = database
        self.args = list(args)  # more command-line arguments (files to open)
        self.proc = None
        self.root = None
        self.log = None

    def start(self):
        # A virtual display that has only just started may refuse the first
        # client for a moment: start again then, a few times.
        for attempt in range(5):
            self.log = open(self.database + '.log', 'w')
            self.proc = subprocess.Popen(WRAP + [self.program, '--database', self.database] + self.args,
                                         env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
            try:
                self.proc.wait(1)
            except subprocess.TimeoutExpired:
                break
            self.log.flush()
            if 'cannot open display' not in self.output():
                break
            self.log.close()
            time.sleep(1)
        else:
            raise RuntimeError('galley cannot open the display: %s' % self.output()[-500:])

        def look():
            if self.proc.poll() is not None:
                self.log.flush()
                raise RuntimeError('galley exited with %d: %s'
                                   % (self.proc.returncode, self.output()[-500:]))
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                try:
                    if app is not None and app.name == 'galley' and app.get_process_id() == self.proc.pid:
                        if find_all(app, role='frame'):
                            return app
                except Exception:
                    continue
            return None
        self.root = wait_for(look, 30, 'the galley window')
        return self

    def window(self):
        return find(self.root, role='frame')

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            press('q', ('ctrl',))
            try:
                self.proc.wait(10 * TIME_FACTOR)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not None:
            self.log.close()
        return self.proc.returncode if self.proc else None

    def output(self):
        with open(self.database + '.log') as f:
            return f.read()

    def warnings(self):
        """The GTK (or GLib) warnings and criticals the app printed."""
        return [line for line in self.output().splitlines()
                if re.search(r'(WARNING|CRITICAL)', line)]
