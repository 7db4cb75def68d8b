# Archives damaged behind Galley's back, for the tests of its check.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sqlite3


def put_out_of_step(database, title='从未有过的标题'):
    """Miscounts the first article's changes to review and gives it a new
    title that its search index does not know. Returns the article's id."""
    con = sqlite3.connect(database)
    (article,) = con.execute('SELECT min(id) FROM articles').fetchone()
    con.execute('UPDATE articles SET pending = pending + 1 WHERE id = ?', (article,))
    for (trigger,) in con.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'"
                                  " AND sql LIKE '%UPDATE OF title%'").fetchall():
        con.execute('DROP TRIGGER %s' % trigger)
    con.execute('UPDATE articles SET title = ? WHERE id = ?', (title, article))
    con.commit()
    con.close()
    return article
