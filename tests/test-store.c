/* test-store.c: the archive database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "galley-article-list.h"
#include "galley-import.h"
#include "galley-store-edit.h"
#include "galley-store-pages.h"
#include "galley-store-private.h"
#include "galley-text.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("galley-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "archive.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The first column of the first row of a query, read without Galley. */
static int
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static int
user_version (const char *path)
{
  return query_int (path, "PRAGMA user_version");
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes, len);
}

static GalleySegment *
segment_new (const char *title,
             const char *body)
{
  GalleySegment *segment = g_new0 (GalleySegment, 1);

  segment->end = strlen (body);
  segment->kicker = g_strdup ("");
  segment->title = g_strdup (title);
  segment->subtitle = g_strdup ("");
  segment->byline = g_strdup ("本报讯（记者 王明）");
  segment->place = g_strdup ("");
  segment->reporters = g_strsplit ("王明", ",", -1);
  segment->correspondents = g_new0 (char *, 1);
  segment->date_text = g_strdup ("");
  segment->captions = g_new0 (char *, 1);
  segment->intertitles = g_new0 (char *, 1);
  segment->body = g_strdup (body);
  return segment;
}

static gint64
add_article (GalleyStore *store,
             gint64       source,
             guint        position,
             const char  *title,
             const char  *body)
{
  g_autoptr(GalleySegment) segment = segment_new (title, body);
  g_autoptr(GalleyCleanResult) clean = g_new0 (GalleyCleanResult, 1);
  g_autoptr(GError) error = NULL;
  gint64 id;

  clean->text = g_strdup (body);
  clean->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);
  id = galley_store_add_article (store, source, position, segment, clean, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_source (GalleyStore *store,
            const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  gint64 id = galley_store_add_source (store, name, NULL, sha, "UTF-8", "raw",
                                       GALLEY_HEADLINES_UNKNOWN, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  GalleyStoreStats stats;

  g_assert_no_error (error);
  g_assert_false (galley_store_is_read_only (store));
  g_assert_true (galley_store_get_stats (store, &stats, &error));
  g_assert_cmpuint (stats.articles, ==, 0);
  g_clear_object (&store);
  g_assert_cmpint (user_version (f->path), ==, GALLEY_STORE_SCHEMA_VERSION);
  /* Pages of 16 KiB, search index blocks to match, merged eight at a time. */
  g_assert_cmpint (query_int (f->path, "PRAGMA page_size"), ==, 16384);
  g_assert_cmpint (query_int (f->path, "SELECT v FROM articles_pairs_config WHERE k = 'pgsz'"), ==, 16128);
  g_assert_cmpint (query_int (f->path, "SELECT v FROM articles_chars_config WHERE k = 'automerge'"), ==, 8);

  /* An empty file is an empty database: it is migrated too. */
  g_unlink (f->path);
  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  store = galley_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (user_version (f->path), ==, GALLEY_STORE_SCHEMA_VERSION);
}

static void
test_migrate_older (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open_at_version (f->path, 1, &error);
  g_autofree char *backup = g_strdup_printf ("%s.backup-v1", f->path);
  g_autofree char *part = g_strdup_printf ("%s.backup-v1.part", f->path);
  g_autoptr(GArray) ids = NULL;
  gint64 source, id;

  g_assert_no_error (error);
  source = add_source (store, "old.txt");
  id = add_article (store, source, 0, "旧标题", "旧档案里的文章。");
  g_clear_object (&store);
  g_assert_cmpint (user_version (f->path), ==, 1);
  /* A copy cut short by a kill during an earlier attempt */
  g_assert_true (g_file_set_contents (part, "SQLite format 3", -1, NULL));

  store = galley_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (f->path), ==, GALLEY_STORE_SCHEMA_VERSION);
  /* The old archive is kept as it was, and its articles survive. */
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_cmpint (user_version (backup), ==, 1);
  ids = galley_store_list_ids (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, id);
}

static void
test_refuse_newer (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  exec_sql (f->path, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99");
  before = file_checksum (f->path);

  store = galley_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NEWER);
  after = file_checksum (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (user_version (f->path), ==, 99);
}

static void
test_refuse_corrupt (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (f->path, garbage, sizeof garbage, NULL));
  before = file_checksum (f->path);

  store = galley_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_CORRUPT);
  after = file_checksum (f->path);
  g_assert_cmpstr (before, ==, after);
}

static guint
search_count (GalleyStore *store,
              const char  *words)
{
  g_autoptr(GError) error = NULL;
  GalleyArticleQuery query = { .search = words };
  g_autoptr(GArray) ids = galley_store_list_ids (store, &query, &error);

  g_assert_no_error (error);
  return ids->len;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  gint64 source;

  g_assert_no_error (error);
  source = add_source (store, "page.txt");
  add_article (store, source, 0, "优化营商环境", "聚焦工程建设项目审批堵点难点。");
  add_article (store, source, 1, "重视学生心理健康教育", "学校开展心理健康教育活动。");
  add_article (store, source, 2, "Latin text", "OCR of AI and 5G, 171.42亿元.");

  g_assert_cmpuint (search_count (store, "营商环境"), ==, 1);   /* pairs index */
  g_assert_cmpuint (search_count (store, "审批堵点"), ==, 1);   /* body */
  g_assert_cmpuint (search_count (store, "教育"), ==, 1);       /* two characters */
  g_assert_cmpuint (search_count (store, "心"), ==, 1);         /* one character */
  g_assert_cmpuint (search_count (store, "心理 活动"), ==, 1);  /* all words */
  g_assert_cmpuint (search_count (store, "营商 活动"), ==, 0);
  g_assert_cmpuint (search_count (store, "不存在的词"), ==, 0);
  g_assert_cmpuint (search_count (store, "171.42"), ==, 1);
  g_assert_cmpuint (search_count (store, ""), ==, 3);
  /* FTS syntax typed by a user is searched for, never an error. */
  g_assert_cmpuint (search_count (store, "\"AND* NEAR( OR"), ==, 0);
  g_assert_cmpuint (search_count (store, "' OR 1=1 --"), ==, 0);
  /* Short words: the pair index, case-folded, across a line break */
  g_assert_cmpuint (search_count (store, "ai"), ==, 1);
  g_assert_cmpuint (search_count (store, "5g"), ==, 1);
  g_assert_cmpuint (search_count (store, "康教"), ==, 1);
  g_assert_cmpuint (search_count (store, "教康"), ==, 0);
  g_assert_cmpuint (search_count (store, "审批\u3000堵点"), ==, 1);
  add_article (store, source, 3, "", "一件\n事，已办成。");
  g_assert_cmpuint (search_count (store, "件事"), ==, 1);
  g_assert_cmpuint (search_count (store, "一件事"), ==, 1); /* a line break inside a word */
  g_assert_cmpuint (search_count (store, "一件\u3000办成"), ==, 1);
  /* Any white space parts words, as it parts them in the text */
  add_article (store, source, 4, "", "甲乙\u00a0丙丁\t戊己");
  g_assert_cmpuint (search_count (store, "乙\u00a0丙"), ==, 1);
  g_assert_cmpuint (search_count (store, "丁\u2003戊"), ==, 1);
  g_assert_cmpuint (search_count (store, "乙丙"), ==, 0);
  /* A search of bytes that are not UTF-8 is searched for, not an error */
  g_assert_cmpuint (search_count (store, "\xff\xfe乙"), ==, 0);
}

/* Searches combine with the filters and keep the list's order; what another
 * connection or this one adds is found by the next search. */
static void
test_search_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  g_autoptr(GalleyStore) other = galley_store_open (f->path, &error);
  GalleyArticleQuery query = { .search = "教育" };
  g_autoptr(GArray) ids = NULL;
  gint64 first, second, a, b, c;

  g_assert_no_error (error);
  second = add_source (store, "second.txt");
  first = add_source (store, "first.txt");
  a = add_article (store, second, 1, "教育新闻", "正文。");
  b = add_article (store, first, 0, "体育", "教育局。");
  c = add_article (store, second, 0, "其他", "教育。");

  /* page order: by source, then position */
  ids = galley_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, c);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, a);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, b);
  g_clear_pointer (&ids, g_array_unref);

  query.source_id = first;
  ids = galley_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, b);
  g_clear_pointer (&ids, g_array_unref);
  query.source_id = 0;

  g_assert_true (galley_store_set_status (store, a, "approved", &error));
  g_assert_no_error (error);
  query.status = "approved";
  g_assert_cmpuint (search_count (store, "教育"), ==, 3);
  ids = galley_store_list_ids (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, a);
  g_clear_pointer (&ids, g_array_unref);

  /* added after a search: by this connection, then by another */
  add_article (store, first, 1, "教育二", "");
  g_assert_cmpuint (search_count (store, "教育"), ==, 4);
  add_article (other, first, 2, "教育三", "");
  g_assert_cmpuint (search_count (store, "教育"), ==, 5);
  g_assert_cmpuint (search_count (store, "教 育"), ==, 5);
  g_assert_cmpuint (search_count (store, "教育 局"), ==, 1);

  /* The same search again, after another connection took an article out
   * (the connection keeps the hits of its last search). */
  g_assert_cmpuint (search_count (store, "教育"), ==, 5);
  g_assert_true (galley_store_delete_article (other, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (store, "教育"), ==, 4);
  g_assert_cmpuint (search_count (store, "教育 局"), ==, 0);
}

/* A cancel during a migration leaves the archive as it was. */
static void
test_migrate_cancel (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) old = galley_store_open_at_version (f->path, 2, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GalleyStore) store = NULL;
  gint64 source;

  g_assert_no_error (error);
  source = add_source (old, "page.txt");
  for (guint i = 0; i < 20; i++)
    add_article (old, source, i, "重视学生心理健康教育", "学校开展活动。");
  g_clear_object (&old);

  g_cancellable_cancel (cancellable);
  store = galley_store_open_cancellable (f->path, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (store);
  g_clear_error (&error);
  g_assert_cmpint (user_version (f->path), ==, 2);
  g_assert_true (galley_store_needs_migration (f->path));

  store = galley_store_open_cancellable (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (f->path), ==, GALLEY_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (search_count (store, "心理健康"), ==, 20);
}

/* An archive of version 2 gains the short-word index of what it holds. */
static void
test_migrate_short_index (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) old = galley_store_open_at_version (f->path, 2, &error);
  g_autoptr(GalleyStore) store = NULL;
  gint64 source;

  g_assert_no_error (error);
  source = add_source (old, "page.txt");
  add_article (old, source, 0, "重视学生心理健康教育", "学校开展活动。");
  g_clear_object (&old);

  g_assert_true (galley_store_needs_migration (f->path));
  store = galley_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (galley_store_needs_migration (f->path));
  g_assert_false (galley_store_needs_migration ("/nonexistent/archive.db"));
  g_assert_cmpuint (search_count (store, "心理健康"), ==, 1);
  g_assert_cmpuint (search_count (store, "心"), ==, 1);
  g_assert_cmpuint (search_count (store, "活动"), ==, 1);
  g_assert_cmpuint (search_count (store, "动活"), ==, 0);
}

/* FTS5's own check that the indexes hold exactly the articles' text. */
static void
assert_indexes_whole (GalleyStore *store)
{
  const char *checks[] = {
    "INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('integrity-check', 1)",
    "INSERT INTO articles_chars (articles_chars, rank) VALUES ('integrity-check', 1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    g_assert_cmpint (sqlite3_exec (store->db, checks[i], NULL, NULL, NULL), ==, SQLITE_OK);
}

#define THREE_WAY_INS \
  "SELECT count (*) FROM sqlite_schema WHERE sql LIKE '%state IN (%'" \
  " OR sql LIKE '%status IN (%' OR sql LIKE '%origin IN (''ocr''%'"

/* Version 7 checks the values of states as comparisons: the same checks,
 * which SQLite makes without building a table for every row written. Its
 * character index takes a character once a text, so the migration
 * rebuilds that index. */
static void
test_migrate_checks (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) old = NULL;
  g_autoptr(GalleyStore) store = NULL;
  sqlite3 *db = NULL;
  gint64 source;

  /* An archive of before schema 7, with the pages of 4 KiB it had then. */
  exec_sql (f->path, "PRAGMA page_size = 4096; CREATE TABLE x (y); DROP TABLE x");
  old = galley_store_open_at_version (f->path, 6, &error);
  g_assert_no_error (error);
  source = add_source (old, "page.txt");
  add_article (old, source, 0, "标题", "正文写正文。");
  /* Take the article out of the character index: only a rebuild puts it back. */
  g_assert_cmpint (sqlite3_exec (old->db, "INSERT INTO articles_chars (articles_chars, rowid, title, body)"
                                          " SELECT 'delete', id, title, body FROM articles",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (search_count (old, "写"), ==, 0);
  g_clear_object (&old);
  g_assert_cmpint (query_int (f->path, THREE_WAY_INS), ==, 3);

  store = galley_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, THREE_WAY_INS), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM sqlite_schema"
                                       " WHERE sql LIKE '%state = ''rejected''%'"
                                       " OR sql LIKE '%status = ''approved''%'"
                                       " OR sql LIKE '%origin = ''editor''%'"), ==, 3);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM articles"), ==, 1);
  /* Its pages and search index blocks keep their size. */
  g_assert_cmpint (query_int (f->path, "PRAGMA page_size"), ==, 4096);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM articles_pairs_config WHERE k = 'pgsz'"), ==, 0);
  /* The character index was written again, a character once a text. */
  assert_indexes_whole (store);
  g_assert_cmpuint (search_count (store, "写"), ==, 1);

  /* The checks still refuse what they refused. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE articles SET status = 'done'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO changes (article_id, seq, rule, kind, orig_start,"
                                     " orig_end, clean_start, clean_end, before, after, state)"
                                     " SELECT id, 0, 'r', 'edit', 0, 0, 0, 0, '', '', 'maybe' FROM articles",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE revisions SET origin = 'robot'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE articles SET status = 'approved'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (query_int (f->path, "SELECT count (*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), ==, 1);
}

static void
test_rollback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  g_autoptr(GalleySegment) segment = segment_new ("标题", "正文。");
  g_autoptr(GalleyCleanResult) clean = g_new0 (GalleyCleanResult, 1);
  GalleyStoreStats stats;

  g_assert_no_error (error);
  clean->text = g_strdup ("正文。");
  clean->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);

  g_assert_true (galley_store_begin (store, &error));
  add_source (store, "half.txt");
  /* An article of a source that does not exist violates a foreign key. */
  g_assert_cmpint (galley_store_add_article (store, 12345, 0, segment, clean, &error),
                   ==, 0);
  g_assert_nonnull (error);
  galley_store_rollback (store);

  g_assert_true (galley_store_get_stats (store, &stats, NULL));
  g_assert_cmpuint (stats.sources, ==, 0);
  g_assert_cmpuint (stats.articles, ==, 0);
}

/* The sources galley-cli counts in the archive at path. */
static guint
cli_sources (const char *path)
{
  const char *argv[] = { g_getenv ("GALLEY_TEST_CLI"), "--database", path, "stats", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  line = strstr (out, "Files: ");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("Files: "), NULL, 10);
}

/* A file chooser in the window's process opens and closes the archive's
 * files to sniff their type, which drops the process's locks on them:
 * galley-cli, run then on the same archive, must not delete the log the
 * window goes on writing to, and sees what it writes. */
static void
test_sniffed (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) window = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  const char *files[] = { f->path, wal, shm };

  if (g_getenv ("GALLEY_TEST_CLI") == NULL)
    {
      g_test_skip ("GALLEY_TEST_CLI names no galley-cli");
      return;
    }
  window = galley_store_open (f->path, &error);
  g_assert_no_error (error);
  add_source (window, "first.txt");
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      int fd = g_open (files[i], O_RDONLY, 0);

      g_assert_cmpint (fd, >=, 0);
      g_assert_true (g_close (fd, NULL));
    }
  g_assert_cmpuint (cli_sources (f->path), ==, 1);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));

  /* What the window writes next reaches the archive. */
  add_source (window, "second.txt");
  g_assert_cmpuint (cli_sources (f->path), ==, 2);
}

/* A query's copy keeps every filter (an empty string is none). */
static void
test_query_copy (Fixture       *f,
                 gconstpointer  data)
{
  GalleyArticleQuery query = { .search = "高新", .status = "", .tag = "经济", .untagged = TRUE,
                               .source_id = 7, .sort = GALLEY_SORT_DATE };
  g_autoptr(GalleyArticleQuery) copy = galley_article_query_copy (&query);

  g_assert_true (copy->search != query.search);
  g_assert_cmpstr (copy->search, ==, "高新");
  g_assert_null (copy->status);
  g_assert_cmpstr (copy->tag, ==, "经济");
  g_assert_true (copy->untagged);
  g_assert_cmpint (copy->source_id, ==, 7);
  g_assert_cmpint (copy->sort, ==, GALLEY_SORT_DATE);
}

static GalleyImportResult *
import_path (GalleyStore *store,
             const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GalleyImportOptions options = { .rules = GALLEY_RULES_ALL };

  return galley_import_file (store, file, &options, NULL);
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  g_autofree char *page = g_test_build_filename (G_TEST_DIST, "data", "pages",
                                                 "002_ef9c8de5fc9873ff.txt", NULL);
  g_autofree char *binary = g_build_filename (f->dir, "scan.txt", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty.txt", NULL);
  g_autoptr(GalleyImportResult) first = NULL;
  g_autoptr(GalleyImportResult) again = NULL;
  g_autoptr(GalleyImportResult) bad = NULL;
  g_autoptr(GalleyImportResult) nothing = NULL;
  GalleyStoreStats stats;

  g_assert_no_error (error);
  first = import_path (store, page);
  g_assert_no_error (first->error);
  g_assert_cmpint (first->status, ==, GALLEY_IMPORT_IMPORTED);
  g_assert_cmpuint (first->n_articles, >, 0);
  g_assert_cmpstr (first->encoding, ==, "UTF-8");

  /* The same bytes again are detected and skipped. */
  again = import_path (store, page);
  g_assert_cmpint (again->status, ==, GALLEY_IMPORT_DUPLICATE);
  g_assert_cmpint (again->source_id, ==, first->source_id);
  g_assert_cmpstr (again->duplicate_of, ==, "002_ef9c8de5fc9873ff.txt");

  g_assert_true (g_file_set_contents (binary, "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16, NULL));
  bad = import_path (store, binary);
  g_assert_cmpint (bad->status, ==, GALLEY_IMPORT_FAILED);
  g_assert_error (bad->error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_BINARY);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  nothing = import_path (store, empty);
  g_assert_error (nothing->error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_EMPTY);

  g_assert_true (galley_store_get_stats (store, &stats, NULL));
  g_assert_cmpuint (stats.sources, ==, 1);
  g_assert_cmpuint (stats.articles, ==, first->n_articles);
}

/* The list model reads its rows in blocks: every position gets its own
 * article, in any order of asking, also after a refresh or a deletion. */
static void
test_article_list (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  g_autoptr(GalleyArticleList) list = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  gint64 source, ids[100];
  guint n = G_N_ELEMENTS (ids);

  g_assert_no_error (error);
  source = add_source (store, "page.txt");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = i % 10 == 3 ? g_strdup ("") : g_strdup_printf ("标题%u", i);
      g_autofree char *body = g_strdup_printf ("正文%u第一行\n第二行", i);

      ids[i] = add_article (store, source, i, title, body);
    }
  list = galley_article_list_new (store);
  g_assert_true (galley_article_list_reload (list, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);

  for (guint k = 0; k < 3 * n; k++)
    {
      guint i = g_rand_int_range (rand, 0, n);
      g_autoptr(GalleyArticle) article = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *title = i % 10 == 3 ? g_strdup_printf ("正文%u第一行", i)
                                           : g_strdup_printf ("标题%u", i);

      g_assert_cmpint (galley_article_get_id (article), ==, ids[i]);
      g_assert_cmpstr (galley_article_get_title (article), ==, title);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));

  g_assert_true (galley_store_set_status (store, ids[5], "approved", &error));
  galley_article_list_refresh (list, ids[5]);
  {
    g_autoptr(GalleyArticle) article = g_list_model_get_item (G_LIST_MODEL (list), 5);

    g_assert_cmpstr (galley_article_get_status (article), ==, "approved");
  }

  /* Deleted behind the list's back, before its rows were read */
  g_assert_true (galley_article_list_reload (list, NULL, &error));
  g_assert_true (galley_store_delete_article (store, ids[70], &error));
  g_assert_no_error (error);
  {
    g_autoptr(GalleyArticle) gone = g_list_model_get_item (G_LIST_MODEL (list), 70);
    g_autoptr(GalleyArticle) next = g_list_model_get_item (G_LIST_MODEL (list), 71);

    g_assert_cmpint (galley_article_get_id (gone), ==, ids[70]);
    g_assert_cmpstr (galley_article_get_title (gone), ==, "");
    g_assert_cmpstr (galley_article_get_title (next), ==, "标题71");
  }
}

typedef struct {
  GPtrArray    *results;
  GCancellable *cancel_after_first;
} Collected;

static void
collect_result (GalleyImportResult *result,
                gpointer            user_data)
{
  Collected *collected = user_data;

  g_ptr_array_add (collected->results, result);
  if (collected->cancel_after_first != NULL)
    g_cancellable_cancel (collected->cancel_after_first);
}

/* Files imported several to a transaction: each result in order, each file
 * whole or not at all; a cancel keeps the files done. */
static void
test_import_files (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (f->path, &error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) galley_import_result_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *binary = g_build_filename (f->dir, "scan.txt", NULL);
  const char *pages[] = { "000_633e285ed10be693.txt", "001_f737bf2f8b1f8a2a.txt",
                          "002_ef9c8de5fc9873ff.txt", "004_58c0054395c95171.txt" };
  GalleyImportOptions options = { .rules = GALLEY_RULES_ALL };
  Collected collected = { results, NULL };
  GalleyImportResult *r;
  GalleyStoreStats stats;
  guint articles = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (binary, "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16, NULL));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", pages[i], NULL);

      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  g_ptr_array_add (files, g_file_new_for_path (binary));
  g_ptr_array_add (files, g_object_ref (g_ptr_array_index (files, 0)));
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", pages[2], NULL);

    g_ptr_array_add (files, g_file_new_for_path (path));
  }

  galley_import_files (store, files, &options, NULL, collect_result, &collected);
  g_assert_cmpuint (results->len, ==, 5);
  for (guint i = 0; i < results->len; i++)
    {
      g_autofree char *path = g_file_get_path (g_ptr_array_index (files, i));

      r = g_ptr_array_index (results, i);
      g_assert_cmpstr (r->path, ==, path);
    }
  r = g_ptr_array_index (results, 0);
  g_assert_cmpint (r->status, ==, GALLEY_IMPORT_IMPORTED);
  articles += r->n_articles;
  r = g_ptr_array_index (results, 1);
  g_assert_cmpint (r->status, ==, GALLEY_IMPORT_IMPORTED);
  articles += r->n_articles;
  r = g_ptr_array_index (results, 2);
  g_assert_cmpint (r->status, ==, GALLEY_IMPORT_FAILED);
  g_assert_error (r->error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_BINARY);
  r = g_ptr_array_index (results, 3);
  g_assert_cmpint (r->status, ==, GALLEY_IMPORT_DUPLICATE);
  g_assert_cmpint (r->source_id, ==, ((GalleyImportResult *) g_ptr_array_index (results, 0))->source_id);
  r = g_ptr_array_index (results, 4);
  g_assert_cmpint (r->status, ==, GALLEY_IMPORT_IMPORTED);
  articles += r->n_articles;
  g_assert_true (galley_store_get_stats (store, &stats, &error));
  g_assert_cmpuint (stats.sources, ==, 3);
  g_assert_cmpuint (stats.articles, ==, articles);
  assert_indexes_whole (store);

  /* An edit and a deletion reach the indexes too. */
  {
    g_autoptr(GArray) ids = galley_store_list_ids (store, NULL, &error);
    GalleyArticleFields fields = { "", "新的标题", "", "", NULL, "改过的正文。" };
    gint64 id = g_array_index (ids, gint64, 0);

    g_assert_true (galley_store_save_article (store, id, &fields, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (search_count (store, "改过的正文"), ==, 1);
    g_assert_cmpuint (search_count (store, "新的标题"), ==, 1);
    g_assert_true (galley_store_delete_article (store, g_array_index (ids, gint64, 1), &error));
    g_assert_no_error (error);
    assert_indexes_whole (store);
  }

  /* Cancelled after the first result: the rest is not imported. */
  g_ptr_array_set_size (results, 0);
  g_ptr_array_set_size (files, 0);
  /* The first result, a failure, is final at once (no open transaction). */
  g_ptr_array_add (files, g_file_new_for_path (binary));
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", pages[3], NULL);

    g_ptr_array_add (files, g_file_new_for_path (path));
  }
  collected.cancel_after_first = cancellable;
  galley_import_files (store, files, &options, cancellable, collect_result, &collected);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_true (galley_store_get_stats (store, &stats, &error));
  g_assert_cmpuint (stats.sources, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/create", test_create);
  ADD ("/store/migrate-older", test_migrate_older);
  ADD ("/store/refuse-newer", test_refuse_newer);
  ADD ("/store/refuse-corrupt", test_refuse_corrupt);
  ADD ("/store/search", test_search);
  ADD ("/store/search-order", test_search_order);
  ADD ("/store/migrate-short-index", test_migrate_short_index);
  ADD ("/store/migrate-cancel", test_migrate_cancel);
  ADD ("/store/migrate-checks", test_migrate_checks);
  ADD ("/store/rollback", test_rollback);
  ADD ("/store/sniffed", test_sniffed);
  ADD ("/store/query-copy", test_query_copy);
  ADD ("/store/import", test_import);
  ADD ("/store/import-files", test_import_files);
  ADD ("/store/article-list", test_article_list);
#undef ADD
  return g_test_run ();
}
