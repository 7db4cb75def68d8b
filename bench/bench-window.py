#!/usr/bin/python3
# The window on a large archive, run by hand under a display: the time from
# the start of the process to the first rows of the article list drawn, and
# the frames while the list scrolls (mouse wheel, then Page Down held, then
# End and Home), then while typing at the end of the first article. It reads the window's debug log (G_MESSAGES_DEBUG=galley-window):
# "First list", "First rows drawn" and one "Frame" line a frame, and drives
# the window with xdotool. A frame's time is the main thread's, from the
# frame clock's before-paint to its after-paint; the time between frames adds
# what runs between them (input) and the idle time. The app opens an archive for writing: it works on
# a copy unless told --in-place.
#
#   xvfb-run -n $RANDOM -s "-screen 0 1400x900x24" dbus-run-session -- \
#     bench/bench-window.py --build _build --runs 5 --small ARCHIVE
#
# Exits 77 (skipped) without a display, xdotool, pyatspi or an archive.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

SKIP = 77
SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

parser = argparse.ArgumentParser(description='Window start and list scrolling on an archive')
parser.add_argument('archive', nargs='?', help='the archive to open (a copy of it)')
parser.add_argument('--build', default=os.path.join(SOURCE, '_build'), help='the build directory')
parser.add_argument('--runs', type=int, default=5)
parser.add_argument('--seconds', type=float, default=3.0, help='how long each scrolling phase lasts')
parser.add_argument('--small', action='store_true',
                    help='also run on an archive of the sample pages, to tell start-up from the archive')
parser.add_argument('--renderer', help='GSK_RENDERER for the app (gl, cairo); under Xvfb gl draws in software')
parser.add_argument('--no-a11y', action='store_true', help='run the app with GTK_A11Y=none')
parser.add_argument('--logs', help='keep the app\'s logs in this directory')
parser.add_argument('--in-place', action='store_true', help='open the archive itself, not a copy')
args = parser.parse_args()


def skip(why):
    print('skipped: ' + why)
    sys.exit(SKIP)


if not args.archive:
    skip('no archive given')
if not os.path.exists(args.archive):
    skip('no archive at ' + args.archive)
if not os.environ.get('DISPLAY'):
    skip('no display')
if shutil.which('xdotool') is None:
    skip('no xdotool')
try:
    import pyatspi
except ImportError:
    skip('no pyatspi')

GALLEY = os.path.join(args.build, 'src', 'app', 'galley')
CLI = os.path.join(args.build, 'src', 'cli', 'galley-cli')
if not os.access(GALLEY, os.X_OK):
    skip('no galley program in ' + args.build)

FIRST_LIST = re.compile(r'First list: (\d+) articles, ([\d.]+) ms after start')
FIRST_ROWS = re.compile(r'First rows drawn: ([\d.]+) ms after start')
FRAME = re.compile(r'Frame at (\d+): ([\d.]+) ms after the last, ([\d.]+) ms of work')
BUSY = re.compile(r'Busy until (\d+): ([\d.]+) ms')


def load():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def xdotool(*words):
    return subprocess.run(['xdotool'] + [str(w) for w in words], check=True,
                          stdout=subprocess.PIPE, text=True).stdout


class Run:
    def __init__(self, database, log):
        self.log = log
        env = dict(os.environ,
                   GSETTINGS_SCHEMA_DIR=os.path.join(args.build, 'data'),
                   GSETTINGS_BACKEND='memory',
                   GALLEY_DATA_DIR=os.path.join(args.build, 'data'),
                   G_MESSAGES_DEBUG='galley-window')
        if args.no_a11y:
            env['GTK_A11Y'] = 'none'
        if args.renderer:
            env['GSK_RENDERER'] = args.renderer
        self.out = open(log, 'w')
        self.started = time.monotonic()
        self.proc = subprocess.Popen([GALLEY, '--database', database], env=env,
                                     stdout=self.out, stderr=subprocess.STDOUT)

    def text(self):
        with open(self.log, errors='replace') as f:
            return f.read()

    def wait_for(self, pattern, timeout=120):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = pattern.search(self.text())
            if m:
                return m, time.monotonic()
            if self.proc.poll() is not None:
                raise RuntimeError('galley exited with %d: %s' % (self.proc.returncode, self.text()[-500:]))
            time.sleep(0.005)
        raise RuntimeError('timed out waiting for %r' % pattern.pattern)

    def busy(self):
        """(end in s of the monotonic clock, ms) of each time the main thread
        was busy for over 10 ms: no frame could be drawn meanwhile."""
        return [(int(m.group(1)) / 1e6, float(m.group(2))) for m in BUSY.finditer(self.text())]

    def frames(self):
        """(time in s of the monotonic clock, interval ms, work ms) of each frame."""
        return [(int(m.group(1)) / 1e6, float(m.group(2)), float(m.group(3)))
                for m in FRAME.finditer(self.text())]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


def list_point(run):
    """A point inside the article list, on the screen: from the accessibility
    tree when there is one, else from the window's place and size."""
    if not args.no_a11y:
        sys.path.insert(0, os.path.join(SOURCE, 'tests'))
        from galley_a11y import find_all, wait_for

        def look():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                try:
                    if app is not None and app.get_process_id() == run.proc.pid:
                        lists = find_all(app, role='list', name='Articles')
                        if lists:
                            return lists[0]
                except Exception:
                    continue
            return None
        extents = wait_for(look, 30, 'the article list').queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        if extents.width > 0 and extents.height > 0:
            window = xdotool('search', '--sync', '--onlyvisible', '--pid', run.proc.pid).split()[0]
            geometry = xdotool('getwindowgeometry', '--shell', window)
            place = dict(line.split('=') for line in geometry.split())
            return (int(place['X']) + extents.x + extents.width // 2,
                    int(place['Y']) + extents.y + min(extents.height // 3, 200))
    window = xdotool('search', '--sync', '--onlyvisible', '--pid', run.proc.pid).split()[0]
    place = dict(line.split('=') for line in xdotool('getwindowgeometry', '--shell', window).split())
    return int(place['X']) + 160, int(place['Y']) + int(place['HEIGHT']) // 3


def phase_stats(run, begin, end):
    """Frames drawn between begin and end whose previous frame was too: while the list moved."""
    frames = [f for f in run.frames() if begin <= f[0] - f[1] / 1000 and f[0] <= end]
    if not frames:
        return None
    work = [f[2] for f in frames]
    # The longest wait for a frame, the phase's first wait included.
    times = [begin] + [f[0] for f in run.frames() if begin < f[0] <= end]
    busy = [ms for t, ms in run.busy() if begin < t <= end]
    return {
        'stall': max(b - a for a, b in zip(times, times[1:])) * 1000,
        'busy': max(busy, default=0.0),
        'frames': len(frames),
        'fps': len(frames) / (end - begin),
        'over16': sum(1 for w in work if w > 1000 / 60),
        'over33': sum(1 for w in work if w > 1000 / 30),
        'longest': max(f[1] for f in frames),
        'work': max(f[2] for f in frames),
        'work_median': statistics.median(f[2] for f in frames),
    }


def timed(run, action):
    begin = time.monotonic()
    action()
    time.sleep(0.3)  # the last frames the action asked for
    return phase_stats(run, begin, time.monotonic())


def one_run(database, log):
    run = Run(database, log)
    try:
        listed, _ = run.wait_for(FIRST_LIST)
        drawn, seen = run.wait_for(FIRST_ROWS)
        result = {
            'articles': int(listed.group(1)),
            'listed': float(listed.group(2)),
            'drawn': float(drawn.group(1)),
            'seen': (seen - run.started) * 1000,
        }
        x, y = list_point(run)
        time.sleep(2)  # what starts in the background settles
        xdotool('mousemove', x, y)
        time.sleep(0.3)
        clicks = int(args.seconds * 100)
        result['wheel'] = timed(run, lambda: xdotool('click', '--repeat', clicks, '--delay', 10, 5))
        xdotool('click', 1)  # focuses the list (and selects a row)
        time.sleep(0.5)
        # The wheel may have reached the end of the list, where Page Down
        # has nothing to do (and draws nothing): start from the top.
        xdotool('key', 'Home')
        time.sleep(1)
        keys = int(args.seconds * 25)
        result['keys'] = timed(run, lambda: xdotool('key', '--repeat', keys, '--delay', 40, 'Next'))
        result['end'] = timed(run, lambda: xdotool('key', 'End'))
        result['home'] = timed(run, lambda: xdotool('key', 'Home'))
        # Typing at the end of the first article's text (Return opens it
        # and puts the cursor in the text), 20 keys a second.
        xdotool('key', 'Return')
        time.sleep(1)
        xdotool('key', 'ctrl+End')
        time.sleep(0.5)
        letters = 'galley' * int(args.seconds * 20 / 6 + 1)
        result['typing'] = timed(run, lambda: xdotool('type', '--delay', 50, letters))
        with open('/proc/%d/status' % run.proc.pid) as status:
            result['peak'] = int(re.search(r'VmHWM:\s+(\d+) kB', status.read()).group(1)) / 1024
        return result
    finally:
        run.stop()


def spread(values, unit, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return 'n/a'
    f = '%%.%df' % digits
    return (f + ' %s (%s to %s, %d runs)') % (statistics.median(values), unit,
                                             f % min(values), f % max(values), len(values))


def report(name, results):
    print('== %s: %d articles ==' % (name, results[0]['articles']))
    print('  first ids in the list:      ' + spread([r['listed'] for r in results], 'ms'))
    print('  first rows drawn:           ' + spread([r['drawn'] for r in results], 'ms') +
          ' after main()')
    print('  process start to first rows: ' + spread([r['seen'] for r in results], 'ms') +
          ' (seen from outside)')
    print('  peak memory:                ' + spread([r['peak'] for r in results], 'MB'))
    for phase in ('wheel', 'keys', 'end', 'home', 'typing'):
        stats = [r[phase] for r in results if r[phase] is not None]
        if not stats:
            print('  %-6s no frames' % phase)
            continue
        print('  %-6s frames %s; fps %s; drawn in over 16.7 ms: %s; over 33 ms: %s; '
              'longest between frames %s; longest with no new frame %s; longest drawing %s, median %s; '
              'main thread busy at most %s' % (
                  phase,
                  spread([s['frames'] for s in stats], ''),
                  spread([s['fps'] for s in stats], ''),
                  spread([s['over16'] for s in stats], ''),
                  spread([s['over33'] for s in stats], ''),
                  spread([s['longest'] for s in stats], 'ms', 1),
                  spread([s['stall'] for s in stats], 'ms', 1),
                  spread([s['work'] for s in stats], 'ms', 1),
                  spread([s['work_median'] for s in stats], 'ms', 1),
                  spread([s['busy'] for s in stats], 'ms', 1)))


def bench(name, database, tmp):
    results = []
    if args.logs:
        os.makedirs(args.logs, exist_ok=True)
    for i in range(args.runs):
        log = os.path.join(args.logs or tmp, '%s-%d.log' % (name, i))
        try:
            results.append(one_run(database, log))
        except Exception as e:  # one failed run does not end the bench
            print('  run %d failed: %s (log: %s)' % (i + 1, e, log))
        print('  run %d done, load %s' % (i + 1, load()), flush=True)
    if results:
        report(name, results)


with tempfile.TemporaryDirectory(prefix='bench-window-') as tmp:
    print('load average before: %s; renderer: %s; accessibility: %s'
          % (load(), args.renderer or os.environ.get('GSK_RENDERER', 'default'),
             'off' if args.no_a11y else 'on'), flush=True)
    if args.small:
        small = os.path.join(tmp, 'small.db')
        subprocess.run([CLI, '--database', small, 'import', os.path.join(SOURCE, 'tests', 'data', 'pages')],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bench('sample pages', small, tmp)
    database = args.archive
    if not args.in_place:
        database = os.path.join(tmp, 'archive.db')
        shutil.copyfile(args.archive, database)
    bench(os.path.basename(args.archive), database, tmp)
    print('load average after: ' + load())
