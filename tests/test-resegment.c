/* test-resegment.c: splitting an imported page again keeps edited articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "galley-article-ops.h"
#include "galley-resegment.h"
#include "check-changes.h"
#include "galley-store-edit.h"

static char *
joined_originals (GalleyStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = galley_store_list_ids (store, NULL, &error);
  GString *all = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GalleyArticleData) data =
        galley_store_get_article (store, g_array_index (ids, gint64, i), FALSE, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (data->position, ==, i);
      g_string_append (all, data->original);
    }
  return g_string_free (all, FALSE);
}

/* A new archive in a folder of its own, with the first sample page
 * imported. */
typedef struct {
  char               *dir;
  char               *db;
  char               *page;    /* the page's text */
  GalleyStore        *store;
  GalleyImportResult *result;
  GalleyImportOptions options;
} Archive;

static void
archive_open (Archive *a)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", SAMPLE_PAGE, NULL);

  a->options = (GalleyImportOptions) { .rules = GALLEY_RULES_ALL };
  g_assert_true (g_file_get_contents (path, &a->page, NULL, NULL));
  a->result = open_sample_archive ("galley-reseg-XXXXXX", &a->options, &a->dir, &a->db, &a->store);
}

/* Nothing of the page is lost or counted twice; then the archive goes. */
static void
archive_close (Archive *a)
{
  g_autofree char *originals = joined_originals (a->store);

  g_assert_cmpstr (originals, ==, a->page);
  g_clear_object (&a->store);
  remove_archive (a->dir, a->db);
  g_clear_pointer (&a->result, galley_import_result_free);
  g_free (a->page);
  g_free (a->db);
  g_free (a->dir);
}

static void
test_keeps_edited (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  Archive a = { 0 };
  GalleyStore *store;
  const GalleyStoredSlice *edited;
  gint n;

  archive_open (&a);
  store = a.store;
  g_assert_cmpuint (a.result->n_articles, >=, 3);
  before = galley_store_list_source_articles (store, a.result->source_id, &error);
  g_assert_no_error (error);
  g_assert_false (((GalleyStoredSlice *) g_ptr_array_index (before, 1))->edited);

  /* An editor retitles and reviews the second article. */
  {
    const GalleyStoredSlice *second = g_ptr_array_index (before, 1);
    g_autoptr(GalleyArticleData) data = galley_store_get_article (store, second->id, FALSE, &error);
    GalleyArticleFields fields = { data->kicker, "EDITED", data->subtitle, data->byline,
                                   data->date, data->body };

    g_assert_no_error (error);
    g_assert_true (galley_store_save_article (store, second->id, &fields, NULL, &error));
    g_assert_no_error (error);
  }

  n = galley_resegment_source (store, a.result->source_id, &a.options, &kept, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, a.result->n_articles);
  g_assert_cmpuint (kept->len, ==, 1);
  edited = g_ptr_array_index (kept, 0);
  g_assert_cmpstr (edited->title, ==, "EDITED");
  g_assert_cmpint (edited->id, ==, ((GalleyStoredSlice *) g_ptr_array_index (before, 1))->id);

  after = galley_store_list_source_articles (store, a.result->source_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      const GalleyStoredSlice *x = g_ptr_array_index (after, i);
      const GalleyStoredSlice *y = g_ptr_array_index (before, i);

      g_assert_cmpuint (x->start, ==, y->start);
      g_assert_cmpuint (x->end, ==, y->end);
      /* Only the edited article keeps its id; the others were made again. */
      g_assert_true ((x->id == y->id) == (i == 1));
    }
  archive_close (&a);
}

/* An editor splits an article and leaves the second half as it came:
 * segmenting the page again keeps the first half (edited), and the
 * second half's text is still in an article (the new article it was part
 * of overlaps the kept half and is left out). */
static void
test_split_half_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) slices = NULL;
  g_autoptr(GalleyArticleData) data = NULL;
  Archive a = { 0 };
  const GalleyStoredSlice *first;
  const char *cut;
  gint64 second;

  archive_open (&a);
  slices = galley_store_list_source_articles (a.store, a.result->source_id, &error);
  first = g_ptr_array_index (slices, 0);
  data = galley_store_get_article (a.store, first->id, FALSE, &error);
  g_assert_no_error (error);
  cut = strchr (data->body, '\n');
  g_assert_nonnull (cut);
  second = galley_article_split (a.store, first->id, cut + 1 - data->body, &a.options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, 0);

  g_assert_cmpint (galley_resegment_source (a.store, a.result->source_id, &a.options, NULL, &error), >, 0);
  g_assert_no_error (error);
  archive_close (&a);
}

static void
test_unknown_source (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("galley-reseg-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "archive.db", NULL);
  g_autoptr(GalleyStore) store = galley_store_open (db, &error);
  GalleyImportOptions options = { .rules = GALLEY_RULES_ALL };

  g_assert_no_error (error);
  g_assert_cmpint (galley_resegment_source (store, 42, &options, NULL, &error), ==, -1);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
  g_clear_object (&store);
  remove_archive (dir, db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/resegment/keeps-edited", test_keeps_edited);
  g_test_add_func ("/resegment/split-half-kept", test_split_half_kept);
  g_test_add_func ("/resegment/unknown-source", test_unknown_source);
  return g_test_run ();
}
