# tap.py: the Test Anything Protocol lines of the Python tests
#
#   from tap import check, failures, skip
#   ...
#   tap.done()
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

failures = []
count = 0


def check(condition, message):
    """Prints one result; a message's line breaks become ' | ', since a
    result must stay on one line."""
    global count
    count += 1
    print(('ok %d - ' if condition else 'not ok %d - ') % count + ' | '.join(str(message).splitlines()),
          flush=True)
    if not condition:
        failures.append(message)
    return condition


def skip(message):
    global count
    count += 1
    print('ok %d - # SKIP %s' % (count, message), flush=True)


def done():
    """Prints the plan and exits, with 1 when a check failed."""
    print('1..%d' % count, flush=True)
    sys.exit(1 if failures else 0)
