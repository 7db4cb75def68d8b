/* test-store-edit.c: editing articles: saves, change review, revisions,
 * find and replace, known corrections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "galley-store-edit.h"
#include "galley-store-pages.h"
#include "galley-store-private.h"
#include "check-changes.h"

#define OCR_BODY "本报讯 今天,记者来到人区。记者看到\n工人们正在施工，工地上一片繁忙景象。\n人区的道路已经修好了。"

typedef struct {
  char             *dir;
  char             *path;
  GalleyStore      *store;
  gint64            id;
  gint64            other;
  GalleyCleanResult *clean;
} Fixture;

static gint64
add_article (Fixture    *f,
             guint       position,
             const char *title,
             const char *body)
{
  g_autoptr(GalleySegment) segment = g_new0 (GalleySegment, 1);
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new ();
  g_autoptr(GError) error = NULL;
  GalleyCleanResult *clean;
  gint64 id;

  galley_confusions_add_known (confusions, "人区", "入区");
  segment->end = strlen (body);
  segment->kicker = g_strdup ("");
  segment->title = g_strdup (title);
  segment->subtitle = g_strdup ("");
  segment->byline = g_strdup ("本报讯");
  segment->place = g_strdup ("");
  segment->reporters = g_new0 (char *, 1);
  segment->correspondents = g_new0 (char *, 1);
  segment->date_text = g_strdup ("");
  segment->captions = g_new0 (char *, 1);
  segment->intertitles = g_new0 (char *, 1);
  segment->body = g_strdup (body);
  clean = galley_clean (body, -1, GALLEY_RULES_ALL, confusions);
  id = galley_store_add_article (f->store, 1, position, segment, clean, &error);
  g_assert_no_error (error);
  if (f->clean == NULL)
    f->clean = clean;
  else
    galley_clean_result_free (clean);
  return id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("galley-edit-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "archive.db", NULL);
  f->store = galley_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (galley_store_add_source (f->store, "p.txt", NULL, "00", "UTF-8", OCR_BODY,
                                            GALLEY_HEADLINES_BEFORE, &error), ==, 1);
  f->id = add_article (f, 0, "人区道路修好了", OCR_BODY);
  f->other = add_article (f, 1, "第二篇", "记者又来到工地。\n记者说,很好。");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (f->store);
  galley_clean_result_free (f->clean);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static int
query_int (Fixture    *f,
           const char *sql,
           gint64      id)
{
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_prepare_v2 (f->store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The invariants of galley-store-edit.h for every article. */
static void
assert_consistent (Fixture *f)
{
  check_changes (f->store, f->id);
  check_changes (f->store, f->other);
}

/* Two connections list the articles alike, searched or not (one of them
 * may answer from the order it kept). */
static void
assert_listed_alike (GalleyStore *store,
                     GalleyStore *other,
                     GalleySort   sort)
{
  const char *searches[] = { NULL, "记者" };

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      GalleyArticleQuery query = { .sort = sort, .search = searches[i] };
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) a = galley_store_list_ids (store, &query, &error);
      g_autoptr(GArray) b = galley_store_list_ids (other, &query, &error);

      g_assert_no_error (error);
      g_assert_cmpmem (a->data, a->len * sizeof (gint64), b->data, b->len * sizeof (gint64));
    }
}

static GalleyTrackedChange *
find_change (GPtrArray        *changes,
             GalleyChangeKind  kind,
             GalleyRule        rule)
{
  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);

      if (t->change->kind == kind && (rule == 0 || t->change->rule == rule))
        return t;
    }
  return NULL;
}

static char *
body_of (Fixture *f,
         gint64   id)
{
  g_autoptr(GalleyArticleData) article = galley_store_get_article (f->store, id, FALSE, NULL);

  return g_strdup (article->body);
}

static void
test_changes_loaded (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, f->clean->changes->len);
  g_assert_nonnull (find_change (changes, GALLEY_CHANGE_EDIT, GALLEY_RULE_PUNCTUATION));
  g_assert_nonnull (find_change (changes, GALLEY_CHANGE_EDIT, GALLEY_RULE_LINE_JOIN));
  g_assert_nonnull (find_change (changes, GALLEY_CHANGE_SUSPECT, 0));
  assert_consistent (f);
}

static void
test_resolve (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
  GalleyTrackedChange *punct = find_change (changes, GALLEY_CHANGE_EDIT, GALLEY_RULE_PUNCTUATION);
  GalleyTrackedChange *suspect = find_change (changes, GALLEY_CHANGE_SUSPECT, 0);
  int pending = query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id);
  int revisions = query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?", f->id);
  g_autofree char *body = NULL;

  /* Rejecting an edit puts the OCR text back. */
  g_assert_true (galley_store_resolve_change (f->store, f->id, punct->id, GALLEY_CHANGE_REJECTED, &error));
  g_assert_no_error (error);
  body = body_of (f, f->id);
  g_assert_nonnull (strstr (body, "今天,记者"));
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, pending - 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?"
                              " AND origin = 'editor'", f->id), ==, 1);
  assert_consistent (f);

  /* Accepting a suspect takes its suggestion; the other one stays. */
  g_assert_true (galley_store_resolve_change (f->store, f->id, suspect->id, GALLEY_CHANGE_ACCEPTED, &error));
  g_clear_pointer (&body, g_free);
  body = body_of (f, f->id);
  g_assert_nonnull (strstr (body, "来到入区"));
  g_assert_nonnull (strstr (body, "人区的道路"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?", f->id),
                   ==, revisions + 2);
  assert_consistent (f);

  /* A second resolve of the same change in another state works from the stored text. */
  g_assert_true (galley_store_resolve_change (f->store, f->id, punct->id, GALLEY_CHANGE_ACCEPTED, &error));
  g_clear_pointer (&body, g_free);
  body = body_of (f, f->id);
  g_assert_nonnull (strstr (body, "今天，记者"));
  assert_consistent (f);

  g_assert_false (galley_store_resolve_change (f->store, f->id, 99999, GALLEY_CHANGE_ACCEPTED, &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
}

static void
test_typing (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyArticleData) article = galley_store_get_article (f->store, f->id, FALSE, &error);
  g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
  g_autoptr(GString) body = g_string_new (article->body);
  GalleyArticleFields fields = { "", "新标题", "", "本报讯", "2024-04-10", NULL };
  GalleyTrackedChange *suspect;
  int pending = query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id);
  guint n = changes->len;

  /* Typing at the start moves every span. */
  galley_tracked_changes_replace (body, changes, 0, 0, "【快讯】");
  fields.body = body->str;
  g_assert_true (galley_store_save_article (f->store, f->id, &fields, changes, &error));
  g_assert_no_error (error);
  assert_consistent (f);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, pending);

  /* Overwriting a pending suspect by hand drops it. */
  suspect = find_change (changes, GALLEY_CHANGE_SUSPECT, 0);
  galley_tracked_changes_replace (body, changes, suspect->change->clean_start,
                                  suspect->change->clean_end, "入区");
  fields.body = body->str;
  g_assert_true (galley_store_save_article (f->store, f->id, &fields, changes, &error));
  g_assert_cmpint (suspect->id, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM changes WHERE article_id = ?", f->id), ==, n - 1);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, pending - 1);
  assert_consistent (f);

  g_clear_pointer (&article, galley_article_data_free);
  article = galley_store_get_article (f->store, f->id, FALSE, &error);
  g_assert_cmpstr (article->title, ==, "新标题");
  g_assert_cmpstr (article->date, ==, "2024-04-10");
  g_assert_true (g_str_has_prefix (article->body, "【快讯】"));

  /* Saving the same again writes no revision. */
  n = query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?", f->id);
  g_assert_true (galley_store_save_article (f->store, f->id, &fields, NULL, &error));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?", f->id), ==, n);

  /* The search index follows the text. */
  {
    GalleyArticleQuery query = { .search = "快讯" };
    g_autoptr(GArray) ids = galley_store_list_ids (f->store, &query, &error);

    g_assert_cmpuint (ids->len, ==, 1);
  }
}

static void
test_revisions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *body = NULL;
  GalleyRevision *clean = NULL, *ocr = NULL, *editor;
  guint n = changes->len;
  gint64 edited_revision;

  /* The import's revisions are the article's texts until they change. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?"
                                 " AND body IS NULL", f->id), ==, 2);
  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);

      g_assert_true (galley_store_resolve_change (f->store, f->id, t->id,
                                                  t->change->kind == GALLEY_CHANGE_EDIT
                                                  ? GALLEY_CHANGE_REJECTED : GALLEY_CHANGE_ACCEPTED,
                                                  &error));
      g_assert_no_error (error);
    }
  edited = body_of (f, f->id);
  g_assert_nonnull (strstr (edited, "来到入区"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM revisions WHERE article_id = ?"
                                 " AND body IS NULL", f->id), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, 0);
  edited_revision = galley_store_get_last_revision (f->store, f->id, &error);

  revisions = galley_store_list_revisions (f->store, f->id, &error);
  g_assert_cmpuint (revisions->len, ==, 2 + n);
  editor = g_ptr_array_index (revisions, 0);
  g_assert_cmpstr (editor->origin, ==, "editor");
  g_assert_cmpstr (editor->body, ==, edited);
  for (guint i = 0; i < revisions->len; i++)
    {
      GalleyRevision *r = g_ptr_array_index (revisions, i);

      if (g_strcmp0 (r->origin, "clean") == 0)
        clean = r;
      else if (g_strcmp0 (r->origin, "ocr") == 0)
        ocr = r;
    }

  /* Back to the clean-up's text: every change pending again. */
  g_assert_true (galley_store_restore_revision (f->store, f->id, clean->id, &error));
  g_assert_no_error (error);
  body = body_of (f, f->id);
  g_assert_cmpstr (body, ==, f->clean->text);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, n);
  assert_consistent (f);
  after = galley_store_list_revisions (f->store, f->id, &error);
  g_assert_cmpuint (after->len, ==, revisions->len + 1);
  g_assert_cmpstr (((GalleyRevision *) g_ptr_array_index (after, 0))->origin, ==, "editor");

  /* Back to the OCR text: edits rejected, suspects pending. */
  g_assert_true (galley_store_restore_revision (f->store, f->id, ocr->id, &error));
  g_clear_pointer (&body, g_free);
  body = body_of (f, f->id);
  g_assert_cmpstr (body, ==, OCR_BODY);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, 2);
  assert_consistent (f);

  /* And to the editor's state, change states included. */
  g_assert_true (galley_store_restore_revision (f->store, f->id, edited_revision, &error));
  g_clear_pointer (&body, g_free);
  body = body_of (f, f->id);
  g_assert_cmpstr (body, ==, edited);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM changes WHERE article_id = ?", f->id), ==, n);
  assert_consistent (f);

  g_assert_false (galley_store_restore_revision (f->store, f->other, ocr->id, &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
}

/* A change the editor typed over is gone from the article, not from the
 * import's revisions: restoring the clean-up's text brings back all its
 * changes, the later ones in their places. */
static void
test_restore_overwritten (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *body = body_of (f, f->id);
  g_autoptr(GString) edited = g_string_new (body);
  GalleyArticleFields fields = { "", "人区道路修好了", "", "本报讯", "", NULL };
  GalleyTrackedChange *first = NULL;
  guint n = changes->len, later = 0;
  gint64 clean = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);

      if (first == NULL && t->change->kind == GALLEY_CHANGE_EDIT && t->change->after[0] != '\0' &&
          strlen (t->change->before) != strlen (t->change->after))
        first = t;
      else if (first != NULL)
        later++;
    }
  g_assert_nonnull (first);
  g_assert_cmpuint (later, >, 0);

  /* Typing over the first edit that changed the length (not a removal)
   * drops it. */
  galley_tracked_changes_replace (edited, changes, first->change->clean_start,
                                  first->change->clean_end, "……");
  fields.body = edited->str;
  g_assert_true (galley_store_save_article (f->store, f->id, &fields, changes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM changes WHERE article_id = ?", f->id), ==, n - 1);
  assert_consistent (f);

  revisions = galley_store_list_revisions (f->store, f->id, &error);
  for (guint i = 0; i < revisions->len; i++)
    if (g_strcmp0 (((GalleyRevision *) g_ptr_array_index (revisions, i))->origin, "clean") == 0)
      clean = ((GalleyRevision *) g_ptr_array_index (revisions, i))->id;
  g_assert_true (galley_store_restore_revision (f->store, f->id, clean, &error));
  g_assert_no_error (error);
  g_clear_pointer (&body, g_free);
  body = body_of (f, f->id);
  g_assert_cmpstr (body, ==, f->clean->text);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM changes WHERE article_id = ?", f->id), ==, n);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, n);
  assert_consistent (f);
}

/* A random walk of accepts, rejects, typing, restores, replacing all and
 * undoing it (seeded, so a failure can be run again): the invariants hold
 * after every step, the list is the same from another connection, a restore gives the revision's text, an undone replace
 * the text before it, and the clean-up's revision always brings back
 * every change of the import, pending. */
static void
test_random_walk (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const typed[] = { "", "入", "，", "\n", "。记者", " " };
  static const char * const replaced[][2] = {
    { "记者", "记着" }, { "，", "," }, { "\n", "" }, { "入区", "人区" }, { "。", "。\n" },
  };
  g_autoptr(GArray) undo = NULL;
  g_autofree char *before_replace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) start = galley_store_get_changes (f->store, f->id, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GalleyStore) checker = galley_store_open (f->path, &error);
  guint n = start->len;

  for (guint step = 0; step < 300; step++)
    {
      g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
      g_autofree char *body = body_of (f, f->id);
      guint op = g_rand_int_range (rand, 0, 12);
      GalleySort sort = g_rand_int_range (rand, 0, 3);

      /* An order kept for searches, then used after the step. */
      g_array_unref (galley_store_list_ids (f->store, &(GalleyArticleQuery) { .sort = sort }, &error));

      if (op < 4 && changes->len > 0)
        {
          GalleyTrackedChange *t = g_ptr_array_index (changes, g_rand_int_range (rand, 0, changes->len));
          GalleyChangeState state = g_rand_boolean (rand) ? GALLEY_CHANGE_ACCEPTED : GALLEY_CHANGE_REJECTED;

          /* A resolved change the editor typed over is refused. */
          if (!galley_store_resolve_change (f->store, f->id, t->id, state, &error))
            {
              g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
              g_assert_cmpint (t->state, !=, GALLEY_CHANGE_PENDING);
              g_clear_error (&error);
            }
        }
      else if (op < 8)
        {
          g_autoptr(GString) edited = g_string_new (body);
          GalleyArticleFields fields = { "", "人区道路修好了", "", "本报讯", "", NULL };
          glong chars = g_utf8_strlen (body, -1);
          glong from = g_rand_int_range (rand, 0, chars + 1);
          glong length = g_rand_int_range (rand, 0, 4);
          glong to = MIN (chars, from + length);
          gsize a = g_utf8_offset_to_pointer (body, from) - body;
          gsize b = g_utf8_offset_to_pointer (body, to) - body;

          galley_tracked_changes_replace (edited, changes, a, b,
                                          typed[g_rand_int_range (rand, 0, G_N_ELEMENTS (typed))]);
          fields.body = edited->str;
          g_assert_true (galley_store_save_article (f->store, f->id, &fields, changes, &error));
        }
      else if (op == 10)
        {
          guint k = g_rand_int_range (rand, 0, G_N_ELEMENTS (replaced));

          g_clear_pointer (&undo, g_array_unref);
          g_free (before_replace);
          before_replace = g_strdup (body);
          undo = galley_store_replace_all (f->store, replaced[k][0], FALSE, replaced[k][1], NULL,
                                           NULL, &error);
          g_assert_nonnull (undo);
        }
      else if (op == 11 && undo != NULL)
        {
          g_autofree char *undone = NULL;

          g_assert_true (galley_store_undo_replace (f->store, undo, &error));
          undone = body_of (f, f->id);
          if (undo->len > 0 && g_array_index (undo, gint64, 0) == f->id)
            g_assert_cmpstr (undone, ==, before_replace);
          g_clear_pointer (&undo, g_array_unref);
        }
      else if (op >= 8)
        {
          g_autoptr(GPtrArray) revisions = galley_store_list_revisions (f->store, f->id, &error);
          GalleyRevision *r = g_ptr_array_index (revisions, g_rand_int_range (rand, 0, revisions->len));
          g_autofree char *restored = NULL;

          g_assert_true (galley_store_restore_revision (f->store, f->id, r->id, &error));
          restored = body_of (f, f->id);
          g_assert_cmpstr (restored, ==, r->body);
          if (g_strcmp0 (r->origin, "clean") == 0)
            {
              g_assert_cmpstr (restored, ==, f->clean->text);
              g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id), ==, n);
            }
          else if (g_strcmp0 (r->origin, "ocr") == 0)
            g_assert_cmpstr (restored, ==, OCR_BODY);
        }
      g_assert_no_error (error);
      assert_consistent (f);
      assert_listed_alike (f->store, checker, sort);
      check_search_index (f->store);
    }
}

/* The list's order is kept in memory through edits that leave it as it
 * is, and read again when it may have changed, here or in another
 * connection. */
static void
test_order_kept (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) other = galley_store_open (f->path, &error);
  g_autoptr(GalleyArticleData) article = galley_store_get_article (f->store, f->id, FALSE, &error);
  g_autofree char *body = g_strconcat (article->body, "补记。", NULL);
  GalleyArticleFields fields = { article->kicker, article->title, article->subtitle, article->byline,
                                 "", body };
  GalleyArticleFields other_fields = { "", "第二篇", "", "本报讯", "2024-05-01", "记者又来到工地。" };
  GalleyArticleQuery query = { .sort = GALLEY_SORT_DATE };
  g_autoptr(GArray) ids = galley_store_list_ids (f->store, &query, &error);
  g_autoptr(GArray) again = NULL;
  GArray *kept = f->store->order_ids;
  GArray *other_kept;

  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->id);

  /* Typing changes no order, for this connection or another one (the
   * window lists in a connection of its own). */
  g_array_unref (galley_store_list_ids (other, &query, &error));
  other_kept = other->order_ids;
  g_assert_true (galley_store_save_article (f->store, f->id, &fields, NULL, &error));
  again = galley_store_list_ids (f->store, &query, &error);
  g_assert_true (f->store->order_ids == kept);
  g_assert_cmpmem (again->data, again->len * sizeof (gint64), ids->data, ids->len * sizeof (gint64));
  g_clear_pointer (&again, g_array_unref);
  g_array_unref (galley_store_list_ids (other, &query, &error));
  g_assert_true (other->order_ids == other_kept);

  /* A date set by another connection does. */
  g_assert_true (galley_store_save_article (other, f->other, &other_fields, NULL, &error));
  g_assert_no_error (error);
  again = galley_store_list_ids (f->store, &query, &error);
  g_assert_true (f->store->order_ids != kept);
  g_assert_cmpint (g_array_index (again, gint64, 0), ==, f->other);
  g_clear_pointer (&again, g_array_unref);

  /* And a change reviewed, to the order by changes left. */
  query.sort = GALLEY_SORT_CHANGES_LEFT;
  g_clear_pointer (&ids, g_array_unref);
  ids = galley_store_list_ids (f->store, &query, &error);
  kept = f->store->order_ids;
  {
    g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
    GalleyTrackedChange *t = g_ptr_array_index (changes, 0);

    g_assert_true (galley_store_resolve_change (f->store, f->id, t->id, GALLEY_CHANGE_ACCEPTED, &error));
  }
  again = galley_store_list_ids (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_true (f->store->order_ids != kept);
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GalleyArticleQuery query = { .status = "proofread" };
  g_autoptr(GArray) ids = NULL;

  g_assert_cmpstr (galley_status_step ("to-proofread", TRUE), ==, "proofread");
  g_assert_cmpstr (galley_status_step ("proofread", TRUE), ==, "approved");
  g_assert_cmpstr (galley_status_step ("approved", TRUE), ==, "approved");
  g_assert_cmpstr (galley_status_step ("approved", FALSE), ==, "proofread");
  g_assert_cmpstr (galley_status_step ("to-proofread", FALSE), ==, "to-proofread");

  g_assert_true (galley_store_set_status (f->store, f->other, "proofread", &error));
  g_assert_no_error (error);
  ids = galley_store_list_ids (f->store, &query, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->other);

  g_assert_false (galley_store_set_status (f->store, f->other, "done", &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (galley_store_set_status (f->store, 999, "approved", &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
}

static void
test_find_replace (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = galley_store_find (f->store, "记者", FALSE, "记者们", 0, NULL, &error);
  g_autoptr(GPtrArray) regex_hits = NULL;
  g_autoptr(GArray) undo = NULL;
  g_autofree char *body = body_of (f, f->id);
  g_autofree char *other = body_of (f, f->other);
  g_autofree char *replaced = NULL;
  GalleyHit *hit;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 4);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpint (hit->article_id, ==, f->id);
  g_assert_cmpstr (hit->match, ==, "记者");
  g_assert_cmpstr (hit->replacement, ==, "记者们");
  g_assert_cmpstr (hit->before, ==, "本报讯今天，");

  /* A regex with a back reference; plain text is taken literally. */
  regex_hits = galley_store_find (f->store, "(工)(地|人)", TRUE, "\\2\\1", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regex_hits->len, ==, 3);
  g_assert_cmpstr (((GalleyHit *) g_ptr_array_index (regex_hits, 0))->replacement, ==, "人工");
  g_clear_pointer (&regex_hits, g_ptr_array_unref);
  regex_hits = galley_store_find (f->store, "工.", FALSE, "", 0, NULL, &error);
  g_assert_cmpuint (regex_hits->len, ==, 0);
  g_assert_null (galley_store_find (f->store, "(", TRUE, "", 0, NULL, &error));
  g_assert_true (error != NULL && error->domain == G_REGEX_ERROR);
  g_clear_error (&error);

  undo = galley_store_replace_all (f->store, "记者", FALSE, "记者们", &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (undo->len, ==, 4);
  replaced = body_of (f, f->id);
  g_assert_nonnull (strstr (replaced, "记者们来到"));
  assert_consistent (f);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = galley_store_find (f->store, "记者们", FALSE, "", 0, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 4);

  /* One undo puts both articles back, changes included. */
  g_assert_true (galley_store_undo_replace (f->store, undo, &error));
  g_assert_no_error (error);
  g_clear_pointer (&replaced, g_free);
  replaced = body_of (f, f->id);
  g_assert_cmpstr (replaced, ==, body);
  g_clear_pointer (&replaced, g_free);
  replaced = body_of (f, f->other);
  g_assert_cmpstr (replaced, ==, other);
  assert_consistent (f);
  g_assert_cmpint (query_int (f, "SELECT pending FROM articles WHERE id = ?", f->id),
                   ==, (int) f->clean->changes->len);
}

/* Find and replace reaches every text field: a name fixed in the body is
 * fixed in the byline, kicker and subtitle too. */
static void
test_find_replace_fields (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyArticleData) article = galley_store_get_article (f->store, f->other, FALSE, &error);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GArray) undo = NULL;
  GalleyArticleFields fields = {
    .kicker = "刘菲专栏", .title = article->title, .subtitle = "记者刘菲报道",
    .byline = "本报讯（记者 刘菲）", .date = article->date, .body = article->body,
  };
  static const GalleyField order[] = { GALLEY_FIELD_KICKER, GALLEY_FIELD_SUBTITLE, GALLEY_FIELD_BYLINE };
  guint n = 0;

  g_assert_true (galley_store_save_article (f->store, f->other, &fields, NULL, &error));
  hits = galley_store_find (f->store, "刘菲", FALSE, "刘霏", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < hits->len; i++)
    g_assert_cmpint (((GalleyHit *) g_ptr_array_index (hits, i))->field, ==, order[i]);

  undo = galley_store_replace_all (f->store, "刘菲", FALSE, "刘霏", &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_clear_pointer (&article, galley_article_data_free);
  article = galley_store_get_article (f->store, f->other, FALSE, &error);
  g_assert_cmpstr (article->kicker, ==, "刘霏专栏");
  g_assert_cmpstr (article->subtitle, ==, "记者刘霏报道");
  g_assert_cmpstr (article->byline, ==, "本报讯（记者 刘霏）");
  /* The names follow the byline. */
  g_assert_cmpuint (g_strv_length (article->reporters), ==, 1);
  g_assert_cmpstr (article->reporters[0], ==, "刘霏");
  assert_consistent (f);

  g_assert_true (galley_store_undo_replace (f->store, undo, &error));
  g_clear_pointer (&article, galley_article_data_free);
  article = galley_store_get_article (f->store, f->other, FALSE, &error);
  g_assert_cmpstr (article->byline, ==, "本报讯（记者 刘菲）");
  g_assert_cmpstr (article->reporters[0], ==, "刘菲");
}

static void
test_known_corrections (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new ();
  g_autoptr(GPtrArray) suspects = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);
  g_auto(GStrv) pairs = NULL;
  const char *text = "来到工地，己经完成。";

  g_assert_true (galley_store_add_known_correction (f->store, "工地", "工区", &error));
  g_assert_true (galley_store_add_known_correction (f->store, "己经", "已经", &error));
  g_assert_true (galley_store_add_known_correction (f->store, "工地", "工场", &error));
  g_assert_no_error (error);
  g_assert_false (galley_store_add_known_correction (f->store, "已", "已", &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_clear_error (&error);

  pairs = galley_store_list_known_corrections (f->store, &error);
  g_assert_cmpuint (g_strv_length (pairs), ==, 4);
  g_assert_cmpstr (pairs[0], ==, "工地");
  g_assert_cmpstr (pairs[1], ==, "工场");
  g_assert_cmpstr (pairs[2], ==, "己经");

  g_assert_true (galley_store_load_known_corrections (f->store, confusions, &error));
  galley_confusions_scan (confusions, text, strlen (text), suspects);
  g_assert_cmpuint (suspects->len, ==, 2);
  g_assert_cmpstr (((GalleyChange *) g_ptr_array_index (suspects, 1))->after, ==, "已经");

  g_assert_true (galley_store_remove_known_correction (f->store, "工地", &error));
  g_clear_pointer (&pairs, g_strfreev);
  pairs = galley_store_list_known_corrections (f->store, &error);
  g_assert_cmpuint (g_strv_length (pairs), ==, 2);
}

static void
test_replace_pure (void)
{
  g_autoptr(GString) body = g_string_new ("abcdef");
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);
  struct { gsize s, e; } spans[] = { { 0, 1 }, { 2, 2 }, { 3, 5 }, { 6, 6 } };

  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      GalleyTrackedChange *t = g_new0 (GalleyTrackedChange, 1);

      t->change = g_new0 (GalleyChange, 1);
      t->change->clean_start = spans[i].s;
      t->change->clean_end = spans[i].e;
      t->change->before = g_strdup ("");
      t->change->after = g_strdup ("");
      g_ptr_array_add (changes, t);
    }
  /* An insertion at an empty span leaves it before the new text. */
  galley_tracked_changes_replace (body, changes, 2, 2, "XY");
  g_assert_cmpstr (body->str, ==, "abXYcdef");
#define SPAN(i) ((GalleyTrackedChange *) g_ptr_array_index (changes, i))->change
  g_assert_cmpuint (SPAN (0)->clean_end, ==, 1);
  g_assert_cmpuint (SPAN (1)->clean_start, ==, 2);
  g_assert_cmpuint (SPAN (1)->clean_end, ==, 2);
  g_assert_cmpuint (SPAN (2)->clean_start, ==, 5);
  g_assert_cmpuint (SPAN (3)->clean_start, ==, 8);
  /* A replacement over part of a span stretches it. */
  galley_tracked_changes_replace (body, changes, 6, 7, "ZZ");
  g_assert_cmpstr (body->str, ==, "abXYcdZZf");
  g_assert_cmpuint (SPAN (2)->clean_start, ==, 5);
  g_assert_cmpuint (SPAN (2)->clean_end, ==, 8);
  g_assert_cmpuint (SPAN (3)->clean_start, ==, 9);
  /* An empty span at the edge of a replaced range stays outside it. */
  galley_tracked_changes_replace (body, changes, 0, 2, "");
  g_assert_cmpuint (SPAN (1)->clean_start, ==, 0);
  g_assert_cmpuint (SPAN (1)->clean_end, ==, 0);
  g_assert_cmpuint (SPAN (0)->clean_start, ==, 0);
  g_assert_cmpuint (SPAN (0)->clean_end, ==, 0);
#undef SPAN
}

/* The list pane's filters: page file, status, order. */
static void
test_list_query (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) listed = NULL;
  g_auto(GStrv) names = NULL;
  GalleyArticleQuery query = { 0 };

  g_assert_cmpint (galley_store_add_source (f->store, "a.txt", NULL, "01", "UTF-8", "x",
                                            GALLEY_HEADLINES_BEFORE, &error), ==, 2);
  names = galley_store_list_sources (f->store, &ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "a.txt");
  g_assert_cmpstr (names[1], ==, "p.txt");
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 1);

  query.source_id = 2;
  listed = galley_store_list_ids (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);
  g_clear_pointer (&listed, g_array_unref);

  query.source_id = 1;
  g_assert_true (galley_store_set_status (f->store, f->other, "proofread", &error));
  query.status = "proofread";
  listed = galley_store_list_ids (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpint (g_array_index (listed, gint64, 0), ==, f->other);
  g_clear_pointer (&listed, g_array_unref);

  /* The first article has more changes to review than the second. */
  query.status = NULL;
  query.sort = GALLEY_SORT_CHANGES_LEFT;
  listed = galley_store_list_ids (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpint (g_array_index (listed, gint64, 0), ==, f->id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store-edit/changes", test_changes_loaded);
  ADD ("/store-edit/resolve", test_resolve);
  ADD ("/store-edit/typing", test_typing);
  ADD ("/store-edit/revisions", test_revisions);
  ADD ("/store-edit/restore-overwritten", test_restore_overwritten);
  ADD ("/store-edit/random-walk", test_random_walk);
  ADD ("/store-edit/status", test_status);
  ADD ("/store-edit/find-replace", test_find_replace);
  ADD ("/store-edit/find-replace-fields", test_find_replace_fields);
  ADD ("/store-edit/known-corrections", test_known_corrections);
  ADD ("/store-edit/list-query", test_list_query);
  ADD ("/store-edit/order-kept", test_order_kept);
#undef ADD
  g_test_add_func ("/store-edit/replace", test_replace_pure);

  return g_test_run ();
}
