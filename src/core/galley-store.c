/* galley-store.c: the archive database, the only place that speaks SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-store"

#include <errno.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "galley-store-private.h"
#include "galley-store-tags.h"



G_DEFINE_FINAL_TYPE (GalleyStore, galley_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (galley-store-error-quark, galley_store_error)

/* Migrations: migrations[i] takes user_version i to i + 1. Append only. */
static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE sources ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  path TEXT,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  encoding TEXT NOT NULL,"
  "  raw_text TEXT NOT NULL,"
  "  headline_position TEXT NOT NULL DEFAULT 'unknown',"
  "  imported_at INTEGER NOT NULL);"
  "CREATE TABLE articles ("
  "  id INTEGER PRIMARY KEY,"
  "  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  slice_start INTEGER NOT NULL,"
  "  slice_end INTEGER NOT NULL,"
  "  kicker TEXT NOT NULL DEFAULT '',"
  "  title TEXT NOT NULL DEFAULT '',"
  "  subtitle TEXT NOT NULL DEFAULT '',"
  "  byline TEXT NOT NULL DEFAULT '',"
  "  place TEXT NOT NULL DEFAULT '',"
  "  reporters TEXT NOT NULL DEFAULT '',"
  "  correspondents TEXT NOT NULL DEFAULT '',"
  "  date TEXT,"
  "  date_text TEXT NOT NULL DEFAULT '',"
  "  captions TEXT NOT NULL DEFAULT '',"
  "  intertitles TEXT NOT NULL DEFAULT '',"
  "  body TEXT NOT NULL,"
  "  body_original TEXT NOT NULL,"
  "  original TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'to-proofread'"
  "    CHECK (status IN ('to-proofread', 'proofread', 'approved')),"
  "  pending INTEGER NOT NULL DEFAULT 0,"
  "  quality REAL,"
  "  created_at INTEGER NOT NULL,"
  "  modified_at INTEGER NOT NULL);"
  "CREATE INDEX articles_source ON articles (source_id, position);"
  "CREATE INDEX articles_date ON articles (date);"
  "CREATE INDEX articles_status ON articles (status);"
  "CREATE TABLE revisions ("
  "  id INTEGER PRIMARY KEY,"
  "  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
  "  origin TEXT NOT NULL CHECK (origin IN ('ocr', 'clean', 'editor')),"
  "  created_at INTEGER NOT NULL,"
  "  kicker TEXT NOT NULL, title TEXT NOT NULL, subtitle TEXT NOT NULL,"
  "  byline TEXT NOT NULL, date TEXT, body TEXT NOT NULL);"
  "CREATE INDEX revisions_article ON revisions (article_id, id);"
  "CREATE TABLE changes ("
  "  id INTEGER PRIMARY KEY,"
  "  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  rule TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('edit', 'suspect')),"
  "  orig_start INTEGER NOT NULL, orig_end INTEGER NOT NULL,"
  "  clean_start INTEGER NOT NULL, clean_end INTEGER NOT NULL,"
  "  before TEXT NOT NULL, after TEXT NOT NULL,"
  "  confidence REAL NOT NULL DEFAULT 1.0,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'accepted', 'rejected')));"
  "CREATE INDEX changes_article ON changes (article_id, seq);"
  "CREATE TABLE tags ("
  "  id INTEGER PRIMARY KEY,"
  "  parent_id INTEGER REFERENCES tags (id) ON DELETE SET NULL,"
  "  name TEXT NOT NULL UNIQUE,"
  "  code TEXT,"
  "  label_en TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE article_tags ("
  "  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
  "  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,"
  "  origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'suggested')),"
  "  confidence REAL NOT NULL DEFAULT 1.0,"
  "  PRIMARY KEY (article_id, tag_id)) WITHOUT ROWID;"
  "CREATE INDEX article_tags_tag ON article_tags (tag_id);"
  "CREATE VIRTUAL TABLE articles_fts USING fts5 ("
  "  title, body, content = 'articles', content_rowid = 'id', tokenize = 'trigram');"
  "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
  "  INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;"
  "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "END;"
  "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "  INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;",
  /* 1 -> 2: corrections editors made once, flagged in later imports */
  "CREATE TABLE known_corrections ("
  "  id INTEGER PRIMARY KEY,"
  "  wrong TEXT NOT NULL UNIQUE,"
  "  right TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);",
  /* 2 -> 3: a revision keeps the state of the article's changes
   * (galley-store-edit.c), so that restoring it restores them too */
  "ALTER TABLE revisions ADD COLUMN changes TEXT;",
  /* 3 -> 4: an index of single characters and pairs for searches of one
   * or two characters, which the trigram index cannot answer */
  "CREATE VIRTUAL TABLE articles_short USING fts5 ("
  "  title, body, content = 'articles', content_rowid = 'id',"
  "  tokenize = 'galley_bigram', detail = 'none');"
  "INSERT INTO articles_short (articles_short) VALUES ('rebuild');"
  "CREATE TRIGGER articles_short_insert AFTER INSERT ON articles BEGIN"
  "  INSERT INTO articles_short (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;"
  "CREATE TRIGGER articles_short_delete AFTER DELETE ON articles BEGIN"
  "  INSERT INTO articles_short (articles_short, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "END;"
  "CREATE TRIGGER articles_short_update AFTER UPDATE OF title, body ON articles BEGIN"
  "  INSERT INTO articles_short (articles_short, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "  INSERT INTO articles_short (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;"
  /* the list's orders, read from an index instead of sorted */
  "CREATE INDEX articles_date_order ON articles (date DESC, source_id, position);"
  "CREATE INDEX articles_pending_order ON articles (pending DESC, source_id, position);",
  /* 4 -> 5: search indexes that cost a third as much to write: pairs of
   * characters with their positions (a word of two characters or more is
   * the phrase of its pairs) and single characters without positions, in
   * place of trigrams and of characters and pairs without positions. A
   * new article is indexed by galley_store_add_article, not by a trigger
   * (see there); changes and deletions by triggers. */
  "DROP TRIGGER articles_fts_insert;"
  "DROP TRIGGER articles_fts_delete;"
  "DROP TRIGGER articles_fts_update;"
  "DROP TRIGGER articles_short_insert;"
  "DROP TRIGGER articles_short_delete;"
  "DROP TRIGGER articles_short_update;"
  "DROP TABLE articles_fts;"
  "DROP TABLE articles_short;"
  "CREATE VIRTUAL TABLE articles_pairs USING fts5 ("
  "  title, body, content = 'articles', content_rowid = 'id',"
  "  tokenize = 'galley_bigram pairs');"
  /* an import's batch of pages is indexed at once (galley-import.c) */
  "INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('hashsize', 16777216);"
  "INSERT INTO articles_pairs (articles_pairs) VALUES ('rebuild');"
  "CREATE TRIGGER articles_pairs_delete AFTER DELETE ON articles BEGIN"
  "  INSERT INTO articles_pairs (articles_pairs, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "END;"
  "CREATE TRIGGER articles_pairs_update AFTER UPDATE OF title, body ON articles BEGIN"
  "  INSERT INTO articles_pairs (articles_pairs, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "  INSERT INTO articles_pairs (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;"
  "CREATE VIRTUAL TABLE articles_chars USING fts5 ("
  "  title, body, content = 'articles', content_rowid = 'id',"
  "  tokenize = 'galley_bigram chars', detail = 'none');"
  "INSERT INTO articles_chars (articles_chars, rank) VALUES ('hashsize', 16777216);"
  "INSERT INTO articles_chars (articles_chars) VALUES ('rebuild');"
  "CREATE TRIGGER articles_chars_delete AFTER DELETE ON articles BEGIN"
  "  INSERT INTO articles_chars (articles_chars, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "END;"
  "CREATE TRIGGER articles_chars_update AFTER UPDATE OF title, body ON articles BEGIN"
  "  INSERT INTO articles_chars (articles_chars, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "  INSERT INTO articles_chars (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;",
  /* 5 -> 6: what a row of the article list shows, readable without the
   * article's row: its status and pending count are stored after its
   * three texts, and reaching them read several pages per row. An article
   * without a title shows the start of its body instead, kept here too
   * (the expression is the one galley_store_get_summaries asks for). */
  "CREATE INDEX articles_summary ON articles"
  "  (id, source_id, position, status, pending, date, title, kicker,"
  "   (CASE WHEN title = '' THEN substr (body, 1, 40) END));",
  /* 6 -> 7: SQLite checks `x IN (a, b, c)` through a temporary table that
   * it builds for every row written, which more than doubled the cost of
   * writing a change. The same checks as comparisons, written into the
   * schema in place (its data satisfies them: they are the same checks);
   * the table made and dropped after tells other connections to read the
   * schema again. */
  "PRAGMA writable_schema = ON;"
  "UPDATE sqlite_schema SET sql = replace (replace (replace (sql,"
  "    'status IN (''to-proofread'', ''proofread'', ''approved'')',"
  "    '(status = ''to-proofread'' OR status = ''proofread'' OR status = ''approved'')'),"
  "    'origin IN (''ocr'', ''clean'', ''editor'')',"
  "    '(origin = ''ocr'' OR origin = ''clean'' OR origin = ''editor'')'),"
  "    'state IN (''pending'', ''accepted'', ''rejected'')',"
  "    '(state = ''pending'' OR state = ''accepted'' OR state = ''rejected'')')"
  "  WHERE type = 'table' AND name IN ('articles', 'revisions', 'changes');"
  "PRAGMA writable_schema = RESET;"
  "CREATE TABLE galley_schema_changed (x);"
  "DROP TABLE galley_schema_changed;"
  /* An archive made with pages of 16 KiB (galley_store_open_full) keeps
   * its search indexes in blocks of the same size. The indexes merge
   * their segments eight at a time rather than four: an import of 10,000
   * pages writes each pair about half as many times, for a seventh less
   * work in all, and searches take as long. */
  "INSERT INTO articles_pairs (articles_pairs, rank)"
  "  SELECT 'pgsz', page_size - 256 FROM pragma_page_size WHERE page_size > 4096;"
  "INSERT INTO articles_chars (articles_chars, rank)"
  "  SELECT 'pgsz', page_size - 256 FROM pragma_page_size WHERE page_size > 4096;"
  "INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('automerge', 8);"
  "INSERT INTO articles_chars (articles_chars, rank) VALUES ('automerge', 8);"
  /* The character index takes each character once a text (see
   * bigram_tokenize): its content is the same, but FTS5's own check
   * counts the tokens of each article. */
  "INSERT INTO articles_chars (articles_chars) VALUES ('rebuild');",
  /* 7 -> 8: text stored once less. An article's OCR original is the
   * slice of its page (NULL: read from the source; older articles keep
   * their copy), and the OCR and clean revisions of an import are the
   * article's own OCR body and body until these change (NULL: read from
   * the article; the trigger copies them into the revision before the
   * article's change). Only NOT NULL is dropped from the schema's text:
   * the data satisfies the rest, and the table made and dropped after
   * tells other connections to read the schema again. */
  "PRAGMA writable_schema = ON;"
  "UPDATE sqlite_schema SET sql = replace (sql, '  original TEXT NOT NULL,', '  original TEXT,')"
  "  WHERE type = 'table' AND name = 'articles';"
  "UPDATE sqlite_schema SET sql = replace (sql, 'body TEXT NOT NULL, changes', 'body TEXT, changes')"
  "  WHERE type = 'table' AND name = 'revisions';"
  "PRAGMA writable_schema = RESET;"
  "CREATE TABLE galley_schema_changed (x);"
  "DROP TABLE galley_schema_changed;"
  "CREATE TRIGGER revisions_keep_import AFTER UPDATE OF body, body_original ON articles BEGIN"
  "  UPDATE revisions SET body = CASE origin WHEN 'ocr' THEN old.body_original ELSE old.body END"
  "    WHERE article_id = old.id AND body IS NULL;"
  "END;",
  /* 8 -> 9: a counter for each of the list's orders, moved on by every
   * change of what the order depends on, from any connection: an order
   * read once lasts through the edits that leave it as it is (typing,
   * in the window's other connection too). An article added moves them
   * all from galley_store_add_article(): a trigger on insert would make
   * each insert a statement transaction, which flushes the search
   * indexes' batch of an import (twice the import's time). */
  "CREATE TABLE list_orders (page INTEGER NOT NULL, date INTEGER NOT NULL,"
  "  pending INTEGER NOT NULL);"
  "INSERT INTO list_orders VALUES (0, 0, 0);"
  "CREATE TRIGGER list_orders_delete AFTER DELETE ON articles BEGIN"
  "  UPDATE list_orders SET page = page + 1, date = date + 1, pending = pending + 1;"
  "END;"
  "CREATE TRIGGER list_orders_place AFTER UPDATE OF source_id, position ON articles"
  "  WHEN old.source_id IS NOT new.source_id OR old.position IS NOT new.position BEGIN"
  "  UPDATE list_orders SET page = page + 1, date = date + 1, pending = pending + 1;"
  "END;"
  "CREATE TRIGGER list_orders_date AFTER UPDATE OF date ON articles"
  "  WHEN old.date IS NOT new.date BEGIN"
  "  UPDATE list_orders SET date = date + 1;"
  "END;"
  "CREATE TRIGGER list_orders_pending AFTER UPDATE OF pending ON articles"
  "  WHEN old.pending IS NOT new.pending BEGIN"
  "  UPDATE list_orders SET pending = pending + 1;"
  "END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == GALLEY_STORE_SCHEMA_VERSION);

gboolean
galley_store_set_error (GalleyStore  *self,
                   int           rc,
                   GError      **error)
{
  int code;
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = GALLEY_STORE_ERROR_FULL;
      break;
    case SQLITE_READONLY:
      code = GALLEY_STORE_ERROR_READ_ONLY;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = GALLEY_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = GALLEY_STORE_ERROR_BUSY;
      break;
    default:
      code = GALLEY_STORE_ERROR_FAILED;
    }

  switch (code)
    {
    case GALLEY_STORE_ERROR_FULL:
      g_set_error (error, GALLEY_STORE_ERROR, code,
                   _("The disk is full; nothing was changed (%s)"), message);
      break;
    case GALLEY_STORE_ERROR_READ_ONLY:
      g_set_error (error, GALLEY_STORE_ERROR, code,
                   _("The archive is read-only; nothing was changed (%s)"), message);
      break;
    case GALLEY_STORE_ERROR_CORRUPT:
      g_set_error (error, GALLEY_STORE_ERROR, code,
                   _("The archive database is damaged or is not a Galley archive (%s)"),
                   message);
      break;
    case GALLEY_STORE_ERROR_BUSY:
      g_set_error (error, GALLEY_STORE_ERROR, code,
                   _("The archive is busy in another program; try again (%s)"), message);
      break;
    default:
      /* Translators: %s is SQLite's own (English) message */
      g_set_error (error, GALLEY_STORE_ERROR, code, _("Archive database error: %s"), message);
    }
  return FALSE;
}

sqlite3_stmt *
galley_store_prepare (GalleyStore  *self,
         const char   *sql,
         GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Runs a statement that returns no rows. */
gboolean
galley_store_step_done (GalleyStore   *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

gboolean
galley_store_exec (GalleyStore  *self,
      const char   *sql,
      GError      **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

void
galley_store_bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

void
galley_store_bind_list (sqlite3_stmt      *stmt,
           int                index,
           const char * const *list)
{
  sqlite3_bind_text (stmt, index,
                     list != NULL ? g_strjoinv (LIST_SEP, (char **) list) : g_strdup (""),
                     -1, g_free);
}

char *
galley_store_column_dup (sqlite3_stmt *stmt,
            int           index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  return g_strdup (text != NULL ? text : "");
}

char *
galley_store_column_dup_nullable (sqlite3_stmt *stmt,
                     int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

char **
galley_store_column_list (sqlite3_stmt *stmt,
             int           index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  if (text == NULL || text[0] == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, LIST_SEP, -1);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
galley_store_finalize (GObject *object)
{
  GalleyStore *self = GALLEY_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->order_ids, g_array_unref);
  g_clear_pointer (&self->search_bits, g_array_unref);
  g_clear_pointer (&self->search_key, g_free);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (galley_store_parent_class)->finalize (object);
}

static void
galley_store_class_init (GalleyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = galley_store_finalize;

  /* Galley reads no memory statistics: without them an allocation by
   * SQLite takes no global lock (fails harmlessly once SQLite has
   * started, as when another library of the process uses it first). */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

static void
galley_store_init (GalleyStore *self)
{
  /* Keyed by the address of the (static) text: hashing the text on every
   * call cost as much as binding a change's twelve values. */
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
}

static gboolean
read_user_version (GalleyStore  *self,
                   int          *version,
                   GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, "PRAGMA user_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return galley_store_set_error (self, rc, error);
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
backup_before_migration (GalleyStore  *self,
                         int           version,
                         GError      **error)
{
  g_autofree char *backup = g_strdup_printf ("%s.backup-v%d", self->path, version);
  g_autofree char *part = g_strconcat (backup, ".part", NULL);
  g_autofree char *part_journal = g_strconcat (part, "-journal", NULL);
  g_autofree char *sql = NULL;
  char *escaped;

  if (g_file_test (backup, G_FILE_TEST_EXISTS))
    return TRUE;
  /* The copy is written beside and renamed when whole: a copy cut short
   * (Galley was killed while writing it) is never taken for the backup. */
  g_remove (part);
  g_remove (part_journal);
  /* VACUUM INTO writes a consistent copy, WAL content included. */
  escaped = sqlite3_mprintf ("%q", part);
  sql = g_strdup_printf ("VACUUM INTO '%s'", escaped);
  sqlite3_free (escaped);
  if (!galley_store_exec (self, sql, error))
    {
      g_remove (part);
      return FALSE;
    }
  if (g_rename (part, backup) != 0)
    {
      int saved = errno;

      g_remove (part);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s is a file, then the system's reason */
                   _("Could not write the backup copy %s: %s"), backup, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_version (GalleyStore  *self,
               int           target,
               GError      **error)
{
  int version = 0;

  if (!read_user_version (self, &version, error))
    return FALSE;
  if (version > target)
    {
      g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NEWER,
                   /* Translators: %d are schema version numbers */
                   _("This archive was made by a newer version of Galley (format %d; this "
                     "version reads up to %d). It was not changed."),
                   version, target);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate_steps (GalleyStore  *self,
               int           target,
               GError      **error)
{
  int version = 0;

  if (!read_user_version (self, &version, error))
    return FALSE;
  if (version >= target)
    return TRUE;
  if (self->read_only)
    {
      g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_READ_ONLY,
                   _("This archive needs an update but is read-only"));
      return FALSE;
    }
  if (version > 0 && !backup_before_migration (self, version, error))
    return FALSE;

  if (!galley_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* Another program may have migrated it while we waited for the lock. */
  if (!read_user_version (self, &version, error))
    {
      galley_store_rollback (self);
      return FALSE;
    }
  for (int v = version; v < target; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!galley_store_exec (self, migrations[v], error) || !galley_store_exec (self, bump, error))
        {
          galley_store_rollback (self);
          return FALSE;
        }
    }
  return galley_store_exec (self, "COMMIT", error);
}

/* The galley_bigram tokenizer. Every character but white space counts, and
 * a line break does not part neighbours (OCR lines break inside words).
 * With the argument "pairs" (articles_pairs) its tokens are the pairs of
 * neighbouring characters, so that a word of two characters or more is the
 * phrase of its pairs; with "chars" (articles_chars) the single characters,
 * each once a text (that index keeps no positions: the same index for a
 * third fewer tokens in all).
 * Without argument (the index of schema 4) both: a query of one character
 * is that character, a longer one its pairs. */

typedef enum {
  TOKENS_BOTH,
  TOKENS_PAIRS,
  TOKENS_CHARS,
} TokenMode;

static const TokenMode token_modes[] = { TOKENS_BOTH, TOKENS_PAIRS, TOKENS_CHARS };

static int
bigram_create (void            *context,
               const char     **args,
               int              n_args,
               Fts5Tokenizer  **out)
{
  const TokenMode *mode = &token_modes[TOKENS_BOTH];

  if (n_args > 0 && g_str_equal (args[0], "pairs"))
    mode = &token_modes[TOKENS_PAIRS];
  else if (n_args > 0 && g_str_equal (args[0], "chars"))
    mode = &token_modes[TOKENS_CHARS];
  else if (n_args > 0)
    return SQLITE_ERROR;
  *out = (Fts5Tokenizer *) mode; /* no state but the mode */
  return SQLITE_OK;
}

static void
bigram_delete (Fts5Tokenizer *tokenizer)
{
}

/* Reads the character at text[*i], folded to lower case; advances *i. */
static gunichar
bigram_next (const char *text,
             int         len,
             int        *i)
{
  const char *p = text + *i;
  const guchar *u = (const guchar *) p;
  gunichar c;

  /* Most of the text: ASCII, and the three bytes of a Chinese character
   * (the rest as GLib reads it, which takes a nul byte for a stray one). */
  if (u[0] < 0x80 && u[0] != 0)
    {
      (*i)++;
      return g_ascii_tolower (u[0]);
    }
  if ((u[0] & 0xF0) == 0xE0 && len - *i >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80)
    {
      c = ((u[0] & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F);
      if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF))
        {
          *i += 3;
          return c;
        }
    }

  c = g_utf8_get_char_validated (p, len - *i);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      /* SQLite hands over what was stored: skip a stray byte. */
      (*i)++;
      return 0xFFFD;
    }
  *i += g_utf8_next_char (p) - p;
  return c < 0x80 ? (gunichar) g_ascii_tolower (c) : c;
}

/* Whether c parts its neighbours: white space, the ideographic space
 * included (Chinese characters, most of the text, are looked at first). */
static inline gboolean
bigram_space (gunichar c)
{
  return (c < 0x3400 || c > 0x9FFF) && (g_unichar_isspace (c) || c == 0x3000);
}

/* Calls back with c (and prev before it, when prev is not 0) as UTF-8. */
static int
bigram_emit (int        (*token) (void *, int, const char *, int, int, int),
             void        *context,
             gunichar     prev,
             gunichar     c,
             int          start,
             int          end)
{
  char buf[12];
  int n = 0;

  if (prev != 0)
    n = g_unichar_to_utf8 (prev, buf);
  n += g_unichar_to_utf8 (c, buf + n);
  return token (context, 0, buf, n, start, end);
}

/* Whether c is not in the set seen yet (characters outside the Basic
 * Multilingual Plane always are); adds it. */
static inline gboolean
first_sight (guint64  *seen,
             gunichar  c)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << (c & 63);

  if (c >= 0x10000)
    return TRUE;
  if ((seen[c >> 6] & bit) != 0)
    return FALSE;
  seen[c >> 6] |= bit;
  return TRUE;
}

static int
bigram_tokenize (Fts5Tokenizer *tokenizer,
                 void          *context,
                 int            flags,
                 const char    *text,
                 int            len,
                 int          (*token) (void *, int, const char *, int, int, int))
{
  TokenMode mode = *(const TokenMode *) tokenizer;
  gboolean pairs = mode != TOKENS_CHARS, chars = mode != TOKENS_PAIRS;
  gunichar prev = 0;
  int prev_start = 0;
  int i = 0;
  guint64 seen[0x10000 / 64];
  gboolean once = mode == TOKENS_CHARS && (flags & FTS5_TOKENIZE_QUERY) == 0;

  if (once)
    memset (seen, 0, sizeof seen);

  if ((flags & FTS5_TOKENIZE_QUERY) != 0 && mode != TOKENS_CHARS)
    {
      /* A query of one character is that character; a longer one its
       * pairs (ANDed in the index of schema 4, which has no positions). */
      int n = 0;

      while (i < len)
        {
          gunichar c = bigram_next (text, len, &i);

          n += !bigram_space (c);
        }
      chars = n <= 1;
      pairs = n > 1;
      i = 0;
    }

  while (i < len)
    {
      int start = i, rc;
      gunichar c = bigram_next (text, len, &i);

      if (c == '\n' || c == '\r')
        continue; /* a pair spans a line break */
      if (bigram_space (c))
        {
          prev = 0;
          continue;
        }
      if (pairs && prev != 0 &&
          (rc = bigram_emit (token, context, prev, c, prev_start, i)) != SQLITE_OK)
        return rc;
      if (chars && (!once || first_sight (seen, c)) &&
          (rc = bigram_emit (token, context, 0, c, start, i)) != SQLITE_OK)
        return rc;
      prev = c;
      prev_start = start;
    }
  return SQLITE_OK;
}

/* Sets the bit of an article in the bitmap of a search (a GArray of
 * guint64). */
static void
set_hit (GArray *bits,
         gint64  id)
{
  if (id < 0)
    return;
  if ((guint64) id / 64 >= bits->len)
    g_array_set_size (bits, id / 64 + 1);
  g_array_index (bits, guint64, id / 64) |= G_GUINT64_CONSTANT (1) << (id % 64);
}

/* Keeps in bits only what other holds too. */
static void
and_bits (GArray       *bits,
          const GArray *other)
{
  g_array_set_size (bits, MIN (bits->len, other->len));
  for (guint k = 0; k < bits->len; k++)
    g_array_index (bits, guint64, k) &= g_array_index (other, guint64, k);
}

static int
mark_phrase_hit (const Fts5ExtensionApi *api,
                 Fts5Context            *fts,
                 void                   *data)
{
  set_hit (data, api->xRowid (fts));
  return SQLITE_OK;
}

/* galley_mark (table, bits): called on the first row a search finds,
 * marks in bits every article it finds, phrase by phrase (the search
 * ANDs them), with FTS5's own loop rather than a row of SQL each. */
static void
galley_mark (const Fts5ExtensionApi  *api,
             Fts5Context             *fts,
             sqlite3_context         *context,
             int                      n_values,
             sqlite3_value          **values)
{
  GArray *bits = n_values == 1 ? sqlite3_value_pointer (values[0], "galley-bits") : NULL;
  int n_phrases = api->xPhraseCount (fts);

  if (bits == NULL)
    {
      sqlite3_result_error (context, "galley_mark: no bitmap", -1);
      return;
    }
  for (int i = 0; i < n_phrases; i++)
    {
      g_autoptr(GArray) phrase = i == 0 ? g_array_ref (bits) : g_array_new (FALSE, TRUE, sizeof (guint64));
      int rc = api->xQueryPhrase (fts, i, phrase, mark_phrase_hit);

      if (rc != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      if (i > 0)
        and_bits (bits, phrase);
    }
}

/* COLLATE galley_locale: names in the order of the user's language (by
 * pinyin in a Chinese locale), for lists people read, never for indexes. */
static int
locale_compare (void       *data,
                int         len_a,
                const void *a,
                int         len_b,
                const void *b)
{
  g_autofree char *text_a = g_utf8_make_valid (a, len_a);
  g_autofree char *text_b = g_utf8_make_valid (b, len_b);
  int order = g_utf8_collate (text_a, text_b);

  /* Equal in the locale's order, different bytes: keep an order. */
  return order != 0 ? order : strcmp (text_a, text_b);
}

static gboolean
register_bigram (GalleyStore  *self,
                 GError      **error)
{
  static fts5_tokenizer tokenizer = { bigram_create, bigram_delete, bigram_tokenize };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT fts5 (?1)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return galley_store_set_error (self, rc, error);
  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (api == NULL)
    return galley_store_set_error (self, SQLITE_ERROR, error);
  rc = api->xCreateTokenizer (api, "galley_bigram", &tokenizer, &tokenizer, NULL);
  if (rc == SQLITE_OK)
    rc = api->xCreateFunction (api, "galley_mark", NULL, galley_mark, NULL);
  if (rc != SQLITE_OK)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

/* While another connection writes: try again every millisecond for up to
 * five seconds. SQLite's own timeout sleeps up to 100 ms between tries,
 * and a writer that lets go of the lock for a moment between two
 * transactions (an import between two batches) could starve it. */
#define BUSY_TIMEOUT_USEC (5 * G_USEC_PER_SEC)

static int
busy_wait (void *data,
           int   count)
{
  GalleyStore *self = data;

  if (count == 0)
    self->busy_since = g_get_monotonic_time ();
  if (g_get_monotonic_time () - self->busy_since >= BUSY_TIMEOUT_USEC)
    return 0;
  g_usleep (1000);
  return 1;
}

static gboolean
open_db (GalleyStore  *self,
         const char   *uri,
         int           flags,
         GError      **error)
{
  int rc = sqlite3_open_v2 (uri, &self->db, flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  int persist = 1;

  if (rc != SQLITE_OK)
    {
      galley_store_set_error (self, rc, error);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  /* The log and its index stay when a connection closes, or another
   * program could delete them under Galley's window: a file chooser or a
   * thumbnailer in the window's process that opens and closes the archive
   * to sniff its type drops the process's POSIX locks, so the other
   * program takes itself for the last one and would unlink them; the
   * window would then write to files no one else sees, lost at a crash. */
  sqlite3_file_control (self->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  sqlite3_busy_handler (self->db, busy_wait, self);
  sqlite3_create_collation (self->db, "galley_locale", SQLITE_UTF8, NULL, locale_compare);
  return register_bigram (self, error);
}

static char *
path_to_uri (const char *path,
             const char *query)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

  return g_strdup_printf ("file:%s%s", escaped, query);
}

static int
progress_cancelled (void *cancellable)
{
  return g_cancellable_is_cancelled (cancellable);
}

/* Migrates to target; a cancel stops the backup or the migration, which
 * then leaves the archive as it was. */
static gboolean
migrate (GalleyStore   *self,
         int            target,
         GCancellable  *cancellable,
         GError       **error)
{
  GError *local = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  /* Also called from the statements FTS5 runs to rebuild an index. */
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, 1000, progress_cancelled, cancellable);
  migrate_steps (self, target, &local);
  sqlite3_progress_handler (self->db, 0, NULL, NULL);
  if (local == NULL)
    return TRUE;
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&local);
      g_cancellable_set_error_if_cancelled (cancellable, &local);
    }
  g_propagate_error (error, local);
  return FALSE;
}

static GalleyStore *galley_store_open_full (const char    *path,
                                            int            version,
                                            GCancellable  *cancellable,
                                            GError       **error);

GalleyStore *
galley_store_open (const char  *path,
                   GError     **error)
{
  return galley_store_open_full (path, GALLEY_STORE_SCHEMA_VERSION, NULL, error);
}

GalleyStore *
galley_store_open_cancellable (const char    *path,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return galley_store_open_full (path, GALLEY_STORE_SCHEMA_VERSION, cancellable, error);
}

GalleyStore *
galley_store_open_at_version (const char  *path,
                              int          version,
                              GError     **error)
{
  return galley_store_open_full (path, version, NULL, error);
}

static GalleyStore *
galley_store_open_full (const char    *path,
                        int            version,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GalleyStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *uri = NULL;
  gboolean exists;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (GALLEY_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  dir = g_path_get_dirname (path);
  if (!exists && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s is a folder, then the system's reason */
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }

  /* A read-only file or folder: open read-only, without touching the file.
   * Immutable mode needs no -shm file but ignores the write-ahead log: when
   * one was left behind (Galley was killed), read through it instead. */
  if (exists && (g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0))
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      GStatBuf st;

      self->read_only = TRUE;
      if (g_stat (wal, &st) == 0 && st.st_size > 0)
        uri = path_to_uri (path, "?mode=ro");
      else
        uri = path_to_uri (path, "?mode=ro&immutable=1");
      if (!open_db (self, uri, SQLITE_OPEN_READONLY, error))
        return NULL;
    }
  else
    {
      uri = path_to_uri (path, "");
      if (!open_db (self, uri, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error))
        return NULL;
    }

  /* Refuse a newer or damaged archive before anything could write to it. */
  if (!galley_store_exec (self, "PRAGMA foreign_keys = ON", error) || !check_version (self, version, error))
    return NULL;
  /* Debian's SQLite zeroes all deleted content (secure_delete), which
   * writes out the pages the search indexes free as they merge: "fast"
   * still clears it from the pages that hold data, for an eighth fewer
   * pages written by an import. */
  if (!self->read_only && !galley_store_exec (self, "PRAGMA secure_delete = FAST", error))
    return NULL;
  /* Pages of 16 KiB for a new archive (an existing one keeps its own):
   * a seventh less work for an import than with 4 KiB, and half the
   * system calls. */
  if (!self->read_only &&
      (!galley_store_exec (self, "PRAGMA page_size = 16384", error) ||
       !galley_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
       !galley_store_exec (self, "PRAGMA synchronous = NORMAL", error)))
    return NULL;
  if (!migrate (self, version, cancellable, error))
    return NULL;
  self->version = version;

  return g_steal_pointer (&self);
}

gboolean
galley_store_needs_migration (const char *path)
{
  g_autofree char *uri = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = 0, rc = SQLITE_ERROR;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  uri = path_to_uri (path, "?mode=ro");
  if (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 1000);
      if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);
  /* Held by another program: better open it in a worker thread. */
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return TRUE;
  return version > 0 && version < GALLEY_STORE_SCHEMA_VERSION;
}

const char *
galley_store_get_path (GalleyStore *self)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);
  return self->path;
}

gboolean
galley_store_is_read_only (GalleyStore *self)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), TRUE);
  return self->read_only;
}

gboolean
galley_store_begin (GalleyStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_READ_ONLY,
                           _("The archive is read-only; nothing was changed"));
      return FALSE;
    }
  return galley_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
galley_store_commit (GalleyStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  if (!galley_store_exec (self, "COMMIT", error))
    {
      galley_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
galley_store_rollback (GalleyStore *self)
{
  g_return_if_fail (GALLEY_IS_STORE (self));
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gint64
galley_store_find_source (GalleyStore  *self,
                          const char   *sha256,
                          char        **name,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), 0);
  g_return_val_if_fail (sha256 != NULL, 0);

  stmt = galley_store_prepare (self, "SELECT id, name FROM sources WHERE sha256 = ?", error);
  if (stmt == NULL)
    return -1;
  galley_store_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (name != NULL)
        *name = galley_store_column_dup (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    id = -1, galley_store_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return id;
}

static const char *
headline_position_to_string (GalleyHeadlinePosition position)
{
  switch (position)
    {
    case GALLEY_HEADLINES_BEFORE:
      return "before";
    case GALLEY_HEADLINES_AFTER:
      return "after";
    case GALLEY_HEADLINES_UNKNOWN:
    default:
      return "unknown";
    }
}

gint64
galley_store_add_source (GalleyStore            *self,
                         const char             *name,
                         const char             *path,
                         const char             *sha256,
                         const char             *encoding,
                         const char             *raw_text,
                         GalleyHeadlinePosition  headlines,
                         GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), 0);

  stmt = galley_store_prepare (self,
                  "INSERT INTO sources (name, path, sha256, encoding, raw_text,"
                  " headline_position, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return 0;
  galley_store_bind_text (stmt, 1, name);
  galley_store_bind_text (stmt, 2, path);
  galley_store_bind_text (stmt, 3, sha256);
  galley_store_bind_text (stmt, 4, encoding);
  galley_store_bind_text (stmt, 5, raw_text);
  galley_store_bind_text (stmt, 6, headline_position_to_string (headlines));
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (!galley_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/* An article's OCR original: its slice of the page's text (byte offsets). */
#define GALLEY_STORE_SLICE \
  "CAST (substr (CAST (s.raw_text AS BLOB), a.slice_start + 1, a.slice_end - a.slice_start) AS TEXT)"

/* An import revision: its body is the article's (NULL) but in archives
 * made for the tests of older schemas. */
static gboolean
add_revision (GalleyStore   *self,
              gint64         article_id,
              const char    *origin,
              const GalleySegment *segment,
              const char    *body,
              GError       **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                "INSERT INTO revisions (article_id, origin, created_at, kicker,"
                                " title, subtitle, byline, date, body)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  galley_store_bind_text (stmt, 2, origin);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  galley_store_bind_text (stmt, 4, segment->kicker);
  galley_store_bind_text (stmt, 5, segment->title);
  galley_store_bind_text (stmt, 6, segment->subtitle);
  galley_store_bind_text (stmt, 7, segment->byline);
  galley_store_bind_text (stmt, 8, segment->date);
  galley_store_bind_text (stmt, 9, self->version < 8 ? body : NULL);
  return galley_store_step_done (self, stmt, error);
}

static const char * const change_states[] = { "pending", "accepted", "rejected" };

const char *
galley_store_state_to_string (GalleyChangeState state)
{
  g_assert (state < G_N_ELEMENTS (change_states));
  return change_states[state];
}

GalleyChangeState
galley_store_state_from_string (const char *state)
{
  for (guint i = 1; i < G_N_ELEMENTS (change_states); i++)
    if (g_strcmp0 (state, change_states[i]) == 0)
      return i;
  return GALLEY_CHANGE_PENDING;
}

GalleyChange *
galley_store_change_from_row (sqlite3_stmt      *stmt,
                              int                col,
                              GalleyChangeState *state)
{
  GalleyChange *change = g_new0 (GalleyChange, 1);

  change->rule = galley_rule_from_id ((const char *) sqlite3_column_text (stmt, col));
  change->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, col + 1), "suspect") == 0
                 ? GALLEY_CHANGE_SUSPECT : GALLEY_CHANGE_EDIT;
  change->orig_start = sqlite3_column_int64 (stmt, col + 2);
  change->orig_end = sqlite3_column_int64 (stmt, col + 3);
  change->clean_start = sqlite3_column_int64 (stmt, col + 4);
  change->clean_end = sqlite3_column_int64 (stmt, col + 5);
  change->before = galley_store_column_dup (stmt, col + 6);
  change->after = galley_store_column_dup (stmt, col + 7);
  change->confidence = sqlite3_column_double (stmt, col + 8);
  *state = galley_store_state_from_string ((const char *) sqlite3_column_text (stmt, col + 9));
  return change;
}

gboolean
galley_store_insert_change (GalleyStore         *self,
                            gint64               article_id,
                            guint                seq,
                            const GalleyChange  *change,
                            GalleyChangeState    state,
                            gint64              *id,
                            GError             **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "INSERT INTO changes (article_id, seq, rule, kind,"
                                             " orig_start, orig_end, clean_start, clean_end, before,"
                                             " after, confidence, state)"
                                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  sqlite3_bind_int (stmt, 2, seq);
  galley_store_bind_text (stmt, 3, galley_rule_to_id (change->rule));
  galley_store_bind_text (stmt, 4, change->kind == GALLEY_CHANGE_SUSPECT ? "suspect" : "edit");
  sqlite3_bind_int64 (stmt, 5, change->orig_start);
  sqlite3_bind_int64 (stmt, 6, change->orig_end);
  sqlite3_bind_int64 (stmt, 7, change->clean_start);
  sqlite3_bind_int64 (stmt, 8, change->clean_end);
  galley_store_bind_text (stmt, 9, change->before);
  galley_store_bind_text (stmt, 10, change->after);
  sqlite3_bind_double (stmt, 11, change->confidence);
  galley_store_bind_text (stmt, 12, galley_store_state_to_string (state));
  if (!galley_store_step_done (self, stmt, error))
    return FALSE;
  if (id != NULL)
    *id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* Adds a new article to the search indexes. Not a trigger: a statement
 * with a trigger opens a savepoint, at which FTS5 writes out the text it
 * holds, whereas without one an import of many articles in a transaction
 * is indexed at once, for a third of the cost. */
static gboolean
index_article (GalleyStore  *self,
               gint64        id,
               const char   *title,
               const char   *body,
               GError      **error)
{
  static const char * const inserts[] = {
    "INSERT INTO articles_pairs (rowid, title, body) VALUES (?, ?, ?)",
    "INSERT INTO articles_chars (rowid, title, body) VALUES (?, ?, ?)",
  };

  if (self->version < 5)
    return TRUE; /* an older schema's tests: triggers index its articles */

  for (guint i = 0; i < G_N_ELEMENTS (inserts); i++)
    {
      sqlite3_stmt *stmt = galley_store_prepare (self, inserts[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      galley_store_bind_text (stmt, 2, title);
      galley_store_bind_text (stmt, 3, body);
      if (!galley_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gint64
galley_store_add_article (GalleyStore             *self,
                          gint64                   source_id,
                          guint                    position,
                          const GalleySegment     *segment,
                          const GalleyCleanResult *clean,
                          GError                 **error)
{
  sqlite3_stmt *stmt;
  gint64 id, now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (GALLEY_IS_STORE (self), 0);
  g_return_val_if_fail (segment != NULL && clean != NULL, 0);

  /* The OCR original is read from the page (GALLEY_STORE_SLICE), but in
   * archives made for the tests of older schemas. */
  stmt = galley_store_prepare (self, self->version < 8 ?
                  "INSERT INTO articles (source_id, position, slice_start, slice_end, kicker,"
                  " title, subtitle, byline, place, reporters, correspondents, date, date_text,"
                  " captions, intertitles, body, body_original, pending, created_at,"
                  " modified_at, original) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                  " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, " GALLEY_STORE_SLICE
                  " FROM sources s, (SELECT ?3 AS slice_start, ?4 AS slice_end) a WHERE s.id = ?1" :
                  "INSERT INTO articles (source_id, position, slice_start, slice_end, kicker,"
                  " title, subtitle, byline, place, reporters, correspondents, date, date_text,"
                  " captions, intertitles, body, body_original, pending, created_at,"
                  " modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                  " ?, ?)",
                  error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int (stmt, 2, position);
  sqlite3_bind_int64 (stmt, 3, segment->start);
  sqlite3_bind_int64 (stmt, 4, segment->end);
  galley_store_bind_text (stmt, 5, segment->kicker);
  galley_store_bind_text (stmt, 6, segment->title);
  galley_store_bind_text (stmt, 7, segment->subtitle);
  galley_store_bind_text (stmt, 8, segment->byline);
  galley_store_bind_text (stmt, 9, segment->place);
  galley_store_bind_list (stmt, 10, (const char * const *) segment->reporters);
  galley_store_bind_list (stmt, 11, (const char * const *) segment->correspondents);
  galley_store_bind_text (stmt, 12, segment->date);
  galley_store_bind_text (stmt, 13, segment->date_text);
  galley_store_bind_list (stmt, 14, (const char * const *) segment->captions);
  galley_store_bind_list (stmt, 15, (const char * const *) segment->intertitles);
  galley_store_bind_text (stmt, 16, clean->text);
  galley_store_bind_text (stmt, 17, segment->body);
  sqlite3_bind_int (stmt, 18, clean->changes->len);
  sqlite3_bind_int64 (stmt, 19, now);
  sqlite3_bind_int64 (stmt, 20, now);
  if (!galley_store_step_done (self, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (self->db);

  if (self->version >= 9)
    {
      /* One row by its id: a statement that may write several rows and
       * fail opens a savepoint, at which FTS5 writes out its batch. */
      stmt = galley_store_prepare (self, "UPDATE list_orders SET page = page + 1,"
                                   " date = date + 1, pending = pending + 1 WHERE rowid = 1",
                                   error);
      if (stmt == NULL || !galley_store_step_done (self, stmt, error))
        return 0;
    }
  if (!index_article (self, id, segment->title, clean->text, error) ||
      !add_revision (self, id, "ocr", segment, segment->body, error) ||
      !add_revision (self, id, "clean", segment, clean->text, error))
    return 0;
  for (guint i = 0; i < clean->changes->len; i++)
    if (!galley_store_insert_change (self, id, i, g_ptr_array_index (clean->changes, i),
                                     GALLEY_CHANGE_PENDING, NULL, error))
      return 0;
  return id;
}

/* Splits a search into words, as FTS5 queries that AND them: a word of
 * two characters or more is a phrase of articles_pairs, a single character
 * a token of articles_chars. */
static void
split_search (const char  *search,
              GString     *pairs,
              GString     *chars)
{
  const char *p = search != NULL ? search : "";

  /* Words are parted by the white space that parts them for the
   * tokenizer (bigram_tokenize), the ideographic space included. */
  while (*p != '\0')
    {
      const char *start;
      g_autoptr(GString) quoted = NULL;
      GString *fts;
      guint n = 0;

      while (*p != '\0' && (g_unichar_isspace (g_utf8_get_char (p)) ||
                            g_utf8_get_char (p) == 0x3000))
        p = g_utf8_next_char (p);
      for (start = p; *p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)) &&
                      g_utf8_get_char (p) != 0x3000; n++)
        p = g_utf8_next_char (p);
      if (n == 0)
        continue;

      fts = n >= 2 ? pairs : chars;
      quoted = g_string_new_len (start, p - start);
      g_string_replace (quoted, "\"", "\"\"", 0);
      g_string_append_printf (fts, "%s\"%s\"", fts->len > 0 ? " " : "", quoted->str);
    }
}

/* The statement listing the articles of a query without its search. The
 * SQL is made only of fixed fragments; every value the user typed is
 * bound. */
static char *
dup_filter (const char *s)
{
  return s != NULL && s[0] != '\0' ? g_strdup (s) : NULL;
}

GalleyArticleQuery *
galley_article_query_copy (const GalleyArticleQuery *query)
{
  GalleyArticleQuery *copy = g_new (GalleyArticleQuery, 1);

  g_return_val_if_fail (query != NULL, NULL);

  *copy = *query;
  copy->search = dup_filter (query->search);
  copy->status = dup_filter (query->status);
  copy->tag = dup_filter (query->tag);
  return copy;
}

void
galley_article_query_free (GalleyArticleQuery *query)
{
  if (query == NULL)
    return;
  g_free ((char *) query->search);
  g_free ((char *) query->status);
  g_free ((char *) query->tag);
  g_free (query);
}

static sqlite3_stmt *
prepare_query (GalleyStore              *self,
               const GalleyArticleQuery *query,
               GError                  **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT a.id FROM articles a WHERE 1");
  sqlite3_stmt *stmt = NULL;
  int rc, n = 1;

  if (query != NULL && query->status != NULL && query->status[0] != '\0')
    g_string_append (sql, " AND a.status = ?");
  if (query != NULL && query->tag != NULL && query->tag[0] != '\0')
    g_string_append (sql, " AND a.id IN (WITH RECURSIVE tree(id) AS"
                          " (SELECT id FROM tags WHERE name = ?"
                          "  UNION SELECT t.id FROM tags t JOIN tree ON t.parent_id = tree.id)"
                          " SELECT at.article_id FROM article_tags at"
                          " WHERE at.tag_id IN tree AND at.origin = 'manual')");
  if (query != NULL && query->untagged)
    g_string_append (sql, " AND " GALLEY_STORE_UNTAGGED_SQL);
  if (query != NULL && query->source_id > 0)
    g_string_append (sql, " AND a.source_id = ?");

  switch (query != NULL ? query->sort : GALLEY_SORT_PAGE_ORDER)
    {
    case GALLEY_SORT_DATE:
      g_string_append (sql, " ORDER BY a.date DESC NULLS LAST, a.source_id, a.position");
      break;
    case GALLEY_SORT_CHANGES_LEFT:
      g_string_append (sql, " ORDER BY a.pending DESC, a.source_id, a.position");
      break;
    case GALLEY_SORT_PAGE_ORDER:
    default:
      g_string_append (sql, " ORDER BY a.source_id, a.position");
    }

  /* Variable queries are not cached. */
  rc = sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  if (query != NULL && query->status != NULL && query->status[0] != '\0')
    sqlite3_bind_text (stmt, n++, query->status, -1, SQLITE_TRANSIENT);
  if (query != NULL && query->tag != NULL && query->tag[0] != '\0')
    sqlite3_bind_text (stmt, n++, query->tag, -1, SQLITE_TRANSIENT);
  if (query != NULL && query->source_id > 0)
    sqlite3_bind_int64 (stmt, n++, query->source_id);
  return stmt;
}

/* Runs stmt, whose rows are one id each, into ids; finalizes it. */
static gboolean
read_ids (GalleyStore   *self,
          sqlite3_stmt  *stmt,
          GArray        *ids,
          GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

/* A stamp that changes whenever the articles may have: a commit by another
 * connection (data_version) or a change by this one. */
static gint64
data_stamp (GalleyStore *self)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, "PRAGMA data_version", NULL);
  gint64 version = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return (version << 32) ^ sqlite3_total_changes64 (self->db);
}

/* The counter of an order (see migration 8 -> 9), or the data's stamp in
 * archives made for the tests of older schemas. */
static gint64
order_stamp (GalleyStore *self,
             GalleySort   sort,
             gint64       data)
{
  static const char * const sql[] = {
    [GALLEY_SORT_PAGE_ORDER] = "SELECT page FROM list_orders",
    [GALLEY_SORT_DATE] = "SELECT date FROM list_orders",
    [GALLEY_SORT_CHANGES_LEFT] = "SELECT pending FROM list_orders",
  };
  sqlite3_stmt *stmt;
  gint64 stamp = data;

  if (self->version < 9 || (guint) sort >= G_N_ELEMENTS (sql) ||
      (stmt = galley_store_prepare (self, sql[sort], NULL)) == NULL)
    return data;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    stamp = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return stamp;
}

/* Every id in one of the orders, kept between searches while the order
 * stays the same: a search then costs its hits, not a sort of the
 * archive, even after edits. */
static GArray *
ordered_ids (GalleyStore  *self,
             GalleySort    sort,
             gint64        data,
             GError      **error)
{
  GalleyArticleQuery query = { .sort = sort };
  g_autoptr(GArray) ids = NULL;
  sqlite3_stmt *stmt;
  gint64 stamp = order_stamp (self, sort, data);

  if (self->order_ids != NULL && self->order_sort == sort && self->order_stamp == stamp)
    return g_array_ref (self->order_ids);

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if ((stmt = prepare_query (self, &query, error)) == NULL || !read_ids (self, stmt, ids, error))
    return NULL;
  g_clear_pointer (&self->order_ids, g_array_unref);
  self->order_ids = g_array_ref (ids);
  self->order_sort = sort;
  self->order_stamp = stamp;
  return g_steal_pointer (&ids);
}

/* Sets the bits of the articles the FTS5 query fts finds with sql (a
 * call of galley_mark) in the empty bits, or with and, keeps only the bits
 * of those it finds. */
static gboolean
mark_hits (GalleyStore  *self,
           const char   *sql,
           const char   *fts,
           gboolean      and,
           GArray       *bits,
           GError      **error)
{
  g_autoptr(GArray) marked = and ? g_array_new (FALSE, TRUE, sizeof (guint64)) : g_array_ref (bits);
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = galley_store_prepare (self, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_TRANSIENT);
  sqlite3_bind_pointer (stmt, 2, marked, "galley-bits", NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return galley_store_set_error (self, rc, error);
  if (and)
    and_bits (bits, marked);
  return TRUE;
}

/* The bitmap of the articles a search finds (its words split into the
 * FTS5 queries pairs and chars), kept while the archive stays the same:
 * a change of order or filter does not search again. */
static GArray *
search_hits (GalleyStore  *self,
             GString      *pairs,
             GString      *chars,
             gint64        stamp,
             GError      **error)
{
  g_autofree char *key = g_strconcat (pairs->str, "\n", chars->str, NULL);
  g_autoptr(GArray) bits = g_array_new (FALSE, TRUE, sizeof (guint64));

  if (self->search_bits != NULL && self->search_stamp == stamp &&
      g_str_equal (self->search_key, key))
    return g_array_ref (self->search_bits);

  if ((pairs->len > 0 &&
       !mark_hits (self, "SELECT galley_mark (articles_pairs, ?2) FROM articles_pairs"
                   " WHERE articles_pairs MATCH ?1 LIMIT 1",
                   pairs->str, FALSE, bits, error)) ||
      (chars->len > 0 &&
       !mark_hits (self, "SELECT galley_mark (articles_chars, ?2) FROM articles_chars"
                   " WHERE articles_chars MATCH ?1 LIMIT 1",
                   chars->str, pairs->len > 0, bits, error)))
    return NULL;
  g_clear_pointer (&self->search_bits, g_array_unref);
  g_free (self->search_key);
  self->search_bits = g_array_ref (bits);
  self->search_key = g_steal_pointer (&key);
  self->search_stamp = stamp;
  return g_steal_pointer (&bits);
}

GArray *
galley_store_list_ids (GalleyStore              *self,
                       const GalleyArticleQuery *query,
                       GError                  **error)
{
  g_autoptr(GString) pairs = g_string_new (NULL);
  g_autoptr(GString) chars = g_string_new (NULL);
  g_autoptr(GArray) bits = NULL;
  g_autoptr(GArray) all = NULL;
  g_autofree char *search = NULL;
  GArray *ids;
  gboolean filtered;
  gint64 stamp;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  /* What is kept (the order, the last search's hits) holds while this
   * stamp, read before anything else, stays the same. */
  stamp = data_stamp (self);
  /* A search typed on a command line may be any bytes. */
  if (query != NULL && query->search != NULL)
    search = g_utf8_make_valid (query->search, -1);
  split_search (search, pairs, chars);
  filtered = query != NULL && ((query->status != NULL && query->status[0] != '\0') ||
                               (query->tag != NULL && query->tag[0] != '\0') ||
                               query->untagged ||
                               query->source_id > 0);

  /* The articles in order, then those the search finds among them. */
  if (filtered)
    {
      sqlite3_stmt *stmt = prepare_query (self, query, error);

      all = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (stmt == NULL || !read_ids (self, stmt, all, error))
        return NULL;
    }
  else if ((all = ordered_ids (self, query != NULL ? query->sort : GALLEY_SORT_PAGE_ORDER,
                               stamp, error)) == NULL)
    {
      return NULL;
    }
  if (pairs->len == 0 && chars->len == 0)
    {
      /* The caller's own copy of a kept order */
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), all->len);
      g_array_append_vals (ids, all->data, all->len);
      return ids;
    }

  if ((bits = search_hits (self, pairs, chars, stamp, error)) == NULL)
    return NULL;

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < all->len; i++)
    {
      gint64 id = g_array_index (all, gint64, i);

      if (id >= 0 && (guint64) id / 64 < bits->len &&
          (g_array_index (bits, guint64, id / 64) & (G_GUINT64_CONSTANT (1) << (id % 64))) != 0)
        g_array_append_val (ids, id);
    }
  return ids;
}

gboolean
galley_store_not_found (gint64   id,
           GError **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND,
               /* Translators: %s is the number of an article */
               _("There is no article %s"), number);
  return FALSE;
}

#define SUMMARY_BATCH 32

guint
galley_store_get_summaries (GalleyStore          *self,
                            const gint64         *ids,
                            guint                 n_ids,
                            GalleyArticleSummary *summaries,
                            GError              **error)
{
  /* One statement for a batch of rows, read from the index
   * articles_summary alone (the start of the body of an article without
   * a title included: its first line stands in for the title). */
  static char *sql = NULL;
  guint found = 0;

  g_return_val_if_fail (GALLEY_IS_STORE (self), 0);
  g_return_val_if_fail (ids != NULL || n_ids == 0, 0);

  if (g_once_init_enter (&sql))
    {
      GString *text = g_string_new ("SELECT a.id, a.title, a.kicker, a.date, s.name, a.position,"
                                    " a.status, a.pending,"
                                    " CASE WHEN a.title = '' THEN substr (a.body, 1, 40) END"
                                    " FROM articles a INDEXED BY articles_summary"
                                    " JOIN sources s ON s.id = a.source_id"
                                    " WHERE a.id IN (?");

      for (guint i = 1; i < SUMMARY_BATCH; i++)
        g_string_append (text, ", ?");
      g_string_append_c (text, ')');
      g_once_init_leave (&sql, g_string_free (text, FALSE));
    }

  memset (summaries, 0, n_ids * sizeof *summaries);
  for (guint first = 0; first < n_ids; first += SUMMARY_BATCH)
    {
      guint n = MIN (SUMMARY_BATCH, n_ids - first);
      sqlite3_stmt *stmt = galley_store_prepare (self, sql, error);
      int rc;

      if (stmt == NULL)
        return found;
      for (guint i = 0; i < SUMMARY_BATCH; i++)
        sqlite3_bind_int64 (stmt, i + 1, ids[first + MIN (i, n - 1)]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          for (guint i = first; i < first + n; i++)
            {
              GalleyArticleSummary *summary = &summaries[i];

              if (ids[i] != id || summary->id != 0)
                continue;
              summary->id = id;
              summary->title = galley_store_column_dup (stmt, 1);
              if (summary->title[0] == '\0')
                {
                  g_free (summary->title);
                  summary->title = galley_store_column_dup (stmt, 8);
                  summary->title[strcspn (summary->title, "\n")] = '\0';
                }
              summary->kicker = galley_store_column_dup (stmt, 2);
              summary->date = galley_store_column_dup_nullable (stmt, 3);
              summary->source_name = galley_store_column_dup (stmt, 4);
              summary->position = sqlite3_column_int (stmt, 5);
              summary->status = galley_store_column_dup (stmt, 6);
              summary->pending = sqlite3_column_int (stmt, 7);
              found++;
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          galley_store_set_error (self, rc, error);
          return found;
        }
    }
  return found;
}

gboolean
galley_store_get_summary (GalleyStore          *self,
                          gint64                id,
                          GalleyArticleSummary *summary,
                          GError              **error)
{
  GError *local = NULL;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  if (galley_store_get_summaries (self, &id, 1, summary, &local) == 1)
    return TRUE;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return galley_store_not_found (id, error);
}

void
galley_article_summary_clear (GalleyArticleSummary *summary)
{
  g_clear_pointer (&summary->title, g_free);
  g_clear_pointer (&summary->kicker, g_free);
  g_clear_pointer (&summary->date, g_free);
  g_clear_pointer (&summary->source_name, g_free);
  g_clear_pointer (&summary->status, g_free);
}

static char **
load_tags (GalleyStore  *self,
           gint64        id,
           gboolean      codes,
           GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                "SELECT t.name, t.code FROM article_tags at"
                                " JOIN tags t ON t.id = at.tag_id"
                                " WHERE at.article_id = ? AND at.origin = 'manual'"
                                " ORDER BY t.name COLLATE galley_locale",
                                error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, codes ? 1 : 0);

      if (text != NULL && text[0] != '\0')
        g_strv_builder_add (builder, text);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static gboolean
load_changes (GalleyStore       *self,
              GalleyArticleData *data,
              GError           **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                "SELECT rule, kind, orig_start, orig_end, clean_start, clean_end,"
                                " before, after, confidence, state FROM changes"
                                " WHERE article_id = ? ORDER BY seq",
                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  data->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);
  data->change_states = g_array_new (FALSE, FALSE, sizeof (GalleyChangeState));
  sqlite3_bind_int64 (stmt, 1, data->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GalleyChangeState s;
      GalleyChange *change = galley_store_change_from_row (stmt, 0, &s);

      g_ptr_array_add (data->changes, change);
      g_array_append_val (data->change_states, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

#define ARTICLE_COLUMNS \
  "a.id, s.name, a.position, a.kicker, a.title, a.subtitle, a.byline, a.place, a.reporters," \
  " a.correspondents, a.date, a.body, coalesce (a.original, " GALLEY_STORE_SLICE ")," \
  " a.captions, a.intertitles, a.status," \
  " a.created_at, a.modified_at"

/* The new article data starts with empty values: replace, don't leak them. */
static void
replace_str (char **field,
             char  *value)
{
  g_free (*field);
  *field = value;
}

static void
replace_strv (char ***field,
              char  **value)
{
  g_strfreev (*field);
  *field = value;
}

static GalleyArticleData *
article_from_row (GalleyStore   *self,
                  sqlite3_stmt  *stmt,
                  gboolean       with_changes,
                  GError       **error)
{
  g_autoptr(GalleyArticleData) data = galley_article_data_new ();

  data->id = sqlite3_column_int64 (stmt, 0);
  replace_str (&data->source_file, galley_store_column_dup (stmt, 1));
  data->position = sqlite3_column_int (stmt, 2);
  replace_str (&data->kicker, galley_store_column_dup (stmt, 3));
  replace_str (&data->title, galley_store_column_dup (stmt, 4));
  replace_str (&data->subtitle, galley_store_column_dup (stmt, 5));
  replace_str (&data->byline, galley_store_column_dup (stmt, 6));
  replace_str (&data->place, galley_store_column_dup (stmt, 7));
  replace_strv (&data->reporters, galley_store_column_list (stmt, 8));
  replace_strv (&data->correspondents, galley_store_column_list (stmt, 9));
  replace_str (&data->date, galley_store_column_dup_nullable (stmt, 10));
  replace_str (&data->body, galley_store_column_dup (stmt, 11));
  replace_str (&data->original, galley_store_column_dup (stmt, 12));
  replace_strv (&data->captions, galley_store_column_list (stmt, 13));
  replace_strv (&data->intertitles, galley_store_column_list (stmt, 14));
  replace_str (&data->status, galley_store_column_dup (stmt, 15));
  g_clear_pointer (&data->imported, g_date_time_unref);
  g_clear_pointer (&data->modified, g_date_time_unref);
  data->imported = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 16));
  data->modified = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 17));

  g_clear_pointer (&data->tags, g_strfreev);
  g_clear_pointer (&data->tag_codes, g_strfreev);
  if ((data->tags = load_tags (self, data->id, FALSE, error)) == NULL ||
      (data->tag_codes = load_tags (self, data->id, TRUE, error)) == NULL)
    return NULL;
  if (with_changes && !load_changes (self, data, error))
    return NULL;
  return g_steal_pointer (&data);
}

GalleyArticleData *
galley_store_get_article (GalleyStore  *self,
                          gint64        id,
                          gboolean      with_changes,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  GalleyArticleData *data;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self,
                  "SELECT " ARTICLE_COLUMNS
                  " FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        galley_store_not_found (id, error);
      else
        galley_store_set_error (self, rc, error);
      return NULL;
    }
  /* Copy the row before the nested queries reuse the connection. */
  data = article_from_row (self, stmt, with_changes, error);
  sqlite3_reset (stmt);
  return data;
}

guint
galley_store_count (GalleyStore  *self,
                    const char   *sql,
                    GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, sql, error);
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return G_MAXUINT;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    n = G_MAXUINT, galley_store_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return n;
}

gboolean
galley_store_get_stats (GalleyStore       *self,
                        GalleyStoreStats  *stats,
                        GError           **error)
{
  /* Each count reads an index, not the articles' text. */
  struct { guint *out; const char *sql; } counts[] = {
    { &stats->sources, "SELECT count(*) FROM sources" },
    { &stats->articles, "SELECT count(*) FROM articles" },
    { &stats->to_proofread, "SELECT count(*) FROM articles WHERE status = 'to-proofread'" },
    { &stats->proofread, "SELECT count(*) FROM articles WHERE status = 'proofread'" },
    { &stats->approved, "SELECT count(*) FROM articles WHERE status = 'approved'" },
    { &stats->pending_changes, "SELECT coalesce (sum (pending), 0) FROM articles" },
    { &stats->tags, "SELECT count(*) FROM tags" },
  };
  gint64 stamp;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  /* The window asks at every search: answer from the last count while
   * nothing changed. */
  stamp = data_stamp (self);
  if (self->stats_valid && self->stats_stamp == stamp)
    {
      *stats = self->stats;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    if ((*counts[i].out = galley_store_count (self, counts[i].sql, error)) == G_MAXUINT)
      return FALSE;
  if ((stats->untagged = galley_store_count_untagged (self, error)) == G_MAXUINT)
    return FALSE;
  self->stats = *stats;
  self->stats_stamp = stamp;
  self->stats_valid = TRUE;
  return TRUE;
}

gboolean
galley_store_get_source_info (GalleyStore  *self,
                              gint64        article_id,
                              char        **name,
                              char        **encoding,
                              GDateTime   **imported,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  stmt = galley_store_prepare (self,
                  "SELECT s.name, s.encoding, s.imported_at FROM sources s"
                  " JOIN articles a ON a.source_id = s.id WHERE a.id = ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        return galley_store_not_found (article_id, error);
      return galley_store_set_error (self, rc, error);
    }
  *name = galley_store_column_dup (stmt, 0);
  *encoding = galley_store_column_dup (stmt, 1);
  *imported = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 2));
  sqlite3_reset (stmt);
  return TRUE;
}

/* An article a's changes to review, counted; and whether its count is wrong */
#define PENDING_COUNT "(SELECT count(*) FROM changes c WHERE c.article_id = a.id AND c.state = 'pending')"
#define WRONG_PENDING "a.pending != " PENDING_COUNT

GPtrArray *
galley_store_check (GalleyStore  *self,
                    gboolean     *repairable,
                    GError      **error)
{
  static const char * const indexes[] = {
    "INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('integrity-check', 1)",
    "INSERT INTO articles_chars (articles_chars, rank) VALUES ('integrity-check', 1)",
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean damaged;
  guint n;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  if ((stmt = galley_store_prepare (self, "PRAGMA integrity_check", error)) == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
      /* Translators: %s is SQLite's description of the damage */
      g_ptr_array_add (problems, g_strdup_printf (_("The database is damaged: %s"),
                                                  sqlite3_column_text (stmt, 0)));
  damaged = problems->len > 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }

  /* FTS5 checks through an INSERT, which an archive opened read-only refuses. */
  for (guint i = 0; !self->read_only && i < G_N_ELEMENTS (indexes); i++)
    {
      rc = sqlite3_exec (self->db, indexes[i], NULL, NULL, NULL);
      if (rc == SQLITE_CORRUPT_VTAB || rc == SQLITE_CORRUPT)
        {
          g_ptr_array_add (problems, g_strdup (_("The search index does not match the articles' text")));
          break;
        }
      if (rc != SQLITE_OK)
        {
          galley_store_set_error (self, rc, error);
          return NULL;
        }
    }

  n = galley_store_count (self, "SELECT count(*) FROM articles a WHERE " WRONG_PENDING, error);
  if (n == G_MAXUINT)
    return NULL;
  if (n > 0)
    {
      g_autofree char *number = g_strdup_printf ("%u", n);

      g_ptr_array_add (problems,
                       /* Translators: %s is a number of articles */
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%s article counts its changes to review wrongly",
                                                     "%s articles count their changes to review wrongly",
                                                     (gulong) n),
                                        number));
    }
  if (repairable != NULL)
    *repairable = problems->len > 0 && !damaged && !self->read_only;
  return g_steal_pointer (&problems);
}

gboolean
galley_store_repair (GalleyStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  if (!galley_store_exec (self, "INSERT INTO articles_pairs (articles_pairs) VALUES ('rebuild')", error) ||
      !galley_store_exec (self, "INSERT INTO articles_chars (articles_chars) VALUES ('rebuild')", error) ||
      !galley_store_exec (self, "UPDATE articles AS a SET pending = " PENDING_COUNT " WHERE " WRONG_PENDING,
                          error) ||
      !galley_store_commit (self, error))
    {
      galley_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}
