/* test-store-tags.c: the archive's tags, the articles' tags, suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "galley-import.h"
#include "galley-store-tags.h"
#include "galley-suggest.h"
#include "galley-taxonomy.h"

typedef struct {
  char        *dir;
  char        *path;
  GalleyStore *store;
  GArray      *articles; /* ids of the imported sample page's articles */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("galley-tags-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "archive.db", NULL);
  f->store = galley_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (f->store);
  g_clear_pointer (&f->articles, g_array_unref);
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

static void
import_sample (Fixture *f)
{
  g_autofree char *page = g_test_build_filename (G_TEST_DIST, "data", "pages",
                                                 "002_ef9c8de5fc9873ff.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (page);
  GalleyImportOptions options = { .rules = GALLEY_RULES_ALL };
  g_autoptr(GalleyImportResult) result = galley_import_file (f->store, file, &options, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_no_error (result->error);
  f->articles = galley_store_list_ids (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->articles->len, >=, 4);
}

static gint64
article (Fixture *f,
         guint    i)
{
  return g_array_index (f->articles, gint64, i);
}

static gint64
add (Fixture    *f,
     const char *name,
     gint64      parent)
{
  g_autoptr(GError) error = NULL;
  gint64 id = galley_store_add_tag (f->store, name, parent, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
tag (Fixture *f,
     gint64   article_id,
     gint64   tag_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (galley_store_tag_article (f->store, article_id, tag_id, &error));
  g_assert_no_error (error);
}

static GalleyTag *
get (Fixture *f,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  GalleyTag *t = galley_store_get_tag (f->store, id, &error);

  g_assert_no_error (error);
  return t;
}

/* "name:depth" of every tag, in list order. */
static char *
tree (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = galley_store_list_tags (f->store, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *t = g_ptr_array_index (tags, i);
      g_string_append_printf (s, "%s%s:%u", i > 0 ? " " : "", t->name, t->depth);
    }
  return g_string_free (s, FALSE);
}

static guint
count_listed (Fixture    *f,
              const char *tag_name)
{
  GalleyArticleQuery query = { .tag = tag_name };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = galley_store_list_ids (f->store, &query, &error);

  g_assert_no_error (error);
  return ids->len;
}

static void
test_hierarchy (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *t1 = NULL;
  gint64 economy, business, projects, safety;

  economy = add (f, "经济", 0);
  business = add (f, " 营商环境 ", economy);
  projects = add (f, "项目建设", economy);
  safety = add (f, "安全生产", 0);
  t1 = tree (f);
  g_assert_cmpstr (t1, ==, "安全生产:0 经济:0 营商环境:1 项目建设:1");
  g_assert_cmpint (galley_store_find_tag (f->store, "营商环境", &error), ==, business);
  g_assert_cmpint (galley_store_find_tag (f->store, "没有", &error), ==, 0);
  g_assert_no_error (error);

  /* Bad names and duplicates (in any case) are refused. */
  g_assert_cmpint (galley_store_add_tag (f->store, "经济", 0, NULL, NULL, &error), ==, 0);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (add (f, "Sport", 0), >, 0);
  g_assert_cmpint (galley_store_add_tag (f->store, "sport", 0, NULL, NULL, &error), ==, 0);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“Sport”"));
  g_clear_error (&error);
  g_assert_false (galley_store_rename_tag (f->store, safety, "SPORT", &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (galley_store_rename_tag (f->store, galley_store_find_tag (f->store, "Sport", NULL),
                                          "sport", &error));
  g_assert_no_error (error);
  g_assert_true (galley_store_delete_tag (f->store, galley_store_find_tag (f->store, "sport", NULL),
                                          NULL, &error));
  g_assert_cmpint (galley_store_add_tag (f->store, "a/b", 0, NULL, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (galley_store_add_tag (f->store, "  ", 0, NULL, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (galley_store_add_tag (f->store, "x", 9999, NULL, NULL, &error), ==, 0);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Move: under another tag, to the top, never under itself. */
  g_assert_true (galley_store_move_tag (f->store, projects, safety, &error));
  g_assert_no_error (error);
  {
    g_autofree char *t = tree (f);
    g_assert_cmpstr (t, ==, "安全生产:0 项目建设:1 经济:0 营商环境:1");
  }
  g_assert_false (galley_store_move_tag (f->store, safety, projects, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (galley_store_move_tag (f->store, safety, safety, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (galley_store_move_tag (f->store, projects, 0, &error));
  {
    g_autofree char *t = tree (f);
    g_assert_cmpstr (t, ==, "安全生产:0 经济:0 营商环境:1 项目建设:0");
  }

  /* Rename, keeping the article tags. */
  import_sample (f);
  tag (f, article (f, 0), business);
  g_assert_true (galley_store_rename_tag (f->store, business, "营商", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_listed (f, "营商"), ==, 1);
  g_assert_false (galley_store_rename_tag (f->store, business, "经济", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (galley_store_rename_tag (f->store, 9999, "新", &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
}

static void
test_article_tags (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyArticleData) a = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GalleyTag) t = NULL;
  gint64 economy, sport;

  import_sample (f);
  economy = add (f, "经济", 0);
  sport = add (f, "体育", 0);
  tag (f, article (f, 0), economy);
  tag (f, article (f, 0), economy); /* twice is once */
  tag (f, article (f, 0), sport);
  tag (f, article (f, 1), economy);

  t = get (f, economy);
  g_assert_cmpuint (t->n_articles, ==, 2);
  g_assert_cmpuint (count_listed (f, "经济"), ==, 2);
  g_assert_cmpuint (count_listed (f, "体育"), ==, 1);

  a = galley_store_get_article (f->store, article (f, 0), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (a->tags), ==, 2);
  ids = galley_store_get_article_tags (f->store, article (f, 0), &error);
  g_assert_cmpuint (ids->len, ==, 2);

  g_assert_true (galley_store_untag_article (f->store, article (f, 0), sport, &error));
  g_assert_cmpuint (count_listed (f, "体育"), ==, 0);
  g_assert_false (galley_store_tag_article (f->store, 99999, sport, &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (galley_store_tag_article (f->store, article (f, 0), 99999, &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
}

static guint
count_untagged (Fixture *f)
{
  GalleyArticleQuery query = { .untagged = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = galley_store_list_ids (f->store, &query, &error);
  GalleyStoreStats stats;

  g_assert_no_error (error);
  g_assert_true (galley_store_get_stats (f->store, &stats, &error));
  g_assert_cmpuint (stats.untagged, ==, ids->len);
  return ids->len;
}

/* A tag's filter and its count in the tree take in its subtags, each
 * article once; the untagged filter takes only articles with no editor's
 * tag. */
static void
test_subtags_and_untagged (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyTag) top = NULL;
  g_autoptr(GalleyTag) sub = NULL;
  g_autoptr(GArray) taggings = g_array_new (FALSE, FALSE, sizeof (GalleyTagging));
  GalleyTagging applied;
  gint64 economy, business, local, sport;
  double confidence;
  guint n;

  import_sample (f);
  n = f->articles->len;
  g_assert_cmpuint (count_untagged (f), ==, n);
  economy = add (f, "经济", 0);
  business = add (f, "营商环境", economy);
  local = add (f, "本地企业", business);
  sport = add (f, "体育", 0);
  tag (f, article (f, 0), economy);
  tag (f, article (f, 0), business); /* counted once under 经济 */
  tag (f, article (f, 1), business);
  tag (f, article (f, 2), local);
  tag (f, article (f, 3), sport);

  g_assert_cmpuint (count_listed (f, "经济"), ==, 3);
  g_assert_cmpuint (count_listed (f, "营商环境"), ==, 3);
  g_assert_cmpuint (count_listed (f, "本地企业"), ==, 1);
  g_assert_cmpuint (count_listed (f, "体育"), ==, 1);
  top = get (f, economy);
  g_assert_cmpuint (top->n_articles, ==, 1);
  g_assert_cmpuint (top->n_in_tree, ==, 3);
  sub = get (f, business);
  g_assert_cmpuint (sub->n_articles, ==, 2);
  g_assert_cmpuint (sub->n_in_tree, ==, 3);
  g_assert_cmpuint (count_untagged (f), ==, n - 4);

  /* A tag applied by "tag all untagged above X" is a tag: its article is
   * no longer untagged (and counts under the tag). */
  applied = (GalleyTagging) { .article_id = article (f, 4), .tag_id = sport, .confidence = 0.9 };
  g_array_append_val (taggings, applied);
  g_assert_true (galley_store_apply_taggings (f->store, taggings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_untagged (f), ==, n - 4 - taggings->len);
  g_assert_true (galley_store_get_tagging (f->store, article (f, 4), sport, &confidence, &error));
  g_assert_cmpfloat (confidence, ==, 0.9);
  g_assert_true (galley_store_get_tagging (f->store, article (f, 3), sport, &confidence, &error));
  g_assert_cmpfloat (confidence, ==, 1);
  g_assert_true (galley_store_get_tagging (f->store, article (f, 2), sport, &confidence, &error));
  g_assert_cmpfloat (confidence, ==, 0);
  g_assert_no_error (error);

  /* Moving the subtree elsewhere moves its articles out of 经济's list. */
  g_assert_true (galley_store_move_tag (f->store, business, sport, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_listed (f, "经济"), ==, 1);
  g_assert_cmpuint (count_listed (f, "体育"), ==, 4 + taggings->len);
  g_assert_true (galley_store_untag_article (f->store, article (f, 3), sport, &error));
  g_assert_cmpuint (count_untagged (f), ==, n - 3 - taggings->len);
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autoptr(GalleyTag) merged = NULL;
  gint64 sport, sports, football, basketball;

  import_sample (f);
  sport = add (f, "体育", 0);
  sports = add (f, "运动", 0);
  football = add (f, "足球", sports);
  tag (f, article (f, 0), sport);
  tag (f, article (f, 1), sports);
  tag (f, article (f, 0), sports); /* both: counted once after the merge */

  g_assert_true (galley_store_merge_tags (f->store, sports, sport, &error));
  g_assert_no_error (error);
  t1 = tree (f);
  g_assert_cmpstr (t1, ==, "体育:0 足球:1");
  merged = get (f, sport);
  g_assert_cmpuint (merged->n_articles, ==, 2);
  g_assert_cmpint (galley_store_find_tag (f->store, "运动", &error), ==, 0);
  g_assert_false (galley_store_merge_tags (f->store, sport, sport, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Into one of its own subtags: the subtag takes its place. */
  basketball = add (f, "篮球", sport);
  tag (f, article (f, 2), football);
  g_assert_true (galley_store_merge_tags (f->store, sport, football, &error));
  g_assert_no_error (error);
  t2 = tree (f);
  g_assert_cmpstr (t2, ==, "足球:0 篮球:1");
  g_assert_cmpuint (count_listed (f, "足球"), ==, 3);
  (void) basketball;
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *t1 = NULL;
  g_autoptr(GalleyArticleData) a = NULL;
  gint64 economy, business, deep;
  guint n = 0;

  import_sample (f);
  economy = add (f, "经济", 0);
  business = add (f, "营商环境", economy);
  deep = add (f, "优化", business);
  tag (f, article (f, 0), business);
  tag (f, article (f, 1), business);
  tag (f, article (f, 1), economy);

  g_assert_true (galley_store_delete_tag (f->store, business, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  t1 = tree (f);
  g_assert_cmpstr (t1, ==, "经济:0 优化:1");
  a = galley_store_get_article (f->store, article (f, 1), FALSE, &error);
  g_assert_cmpuint (g_strv_length (a->tags), ==, 1);
  g_assert_cmpstr (a->tags[0], ==, "经济");
  g_assert_false (galley_store_delete_tag (f->store, business, NULL, &error));
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND);
  (void) deep;
}

static void
test_taxonomy_round_trip (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exported = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GalleyStore) other = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GalleyTag) sport = NULL;
  gint64 economy, id;
  guint added = 0;

  economy = galley_store_add_tag (f->store, "经济", 0, "medtop:04000000", "economy, business and finance",
                                  &error);
  g_assert_no_error (error);
  add (f, "营商环境", economy);
  add (f, "项目建设", economy);
  add (f, "安全生产", 0);

  exported = galley_store_export_taxonomy (f->store, &error);
  g_assert_no_error (error);
  text = galley_taxonomy_write (exported);
  g_assert_nonnull (strstr (text, "经济/营商环境"));
  g_assert_nonnull (strstr (text, "medtop:04000000\teconomy, business and finance"));
  parsed = galley_taxonomy_parse (text, strlen (text), &error);
  g_assert_no_error (error);

  /* Another archive with a tag of its own and one that moves. */
  other = galley_store_open (other_path, &error);
  g_assert_no_error (error);
  id = galley_store_add_tag (other, "体育", 0, NULL, NULL, &error);
  g_assert_cmpint (galley_store_add_tag (other, "项目建设", id, NULL, NULL, &error), >, 0);
  g_assert_true (galley_store_import_taxonomy (other, parsed, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 3);
  again = galley_store_export_taxonomy (other, &error);
  g_assert_cmpuint (again->len, ==, 5);
  g_ptr_array_remove_index (again, 0); /* 体育 sorts first */
  text2 = galley_taxonomy_write (again);
  g_assert_cmpstr (text2, ==, text);
  sport = galley_store_get_tag (other, id, &error);
  g_assert_cmpstr (sport->name, ==, "体育");

  /* An entry whose parent is missing changes nothing. */
  g_ptr_array_add (parsed, galley_taxonomy_entry_new ("孤儿", "没有", NULL, NULL));
  g_assert_false (galley_store_import_taxonomy (other, parsed, &added, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (galley_store_find_tag (other, "孤儿", NULL), ==, 0);
}

static void
test_default_tags (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GalleyTag) t = NULL;
  gint64 id;

  g_assert_true (galley_store_add_default_tags (f->store, &error));
  g_assert_no_error (error);
  tags = galley_store_list_tags (f->store, &error);
  g_assert_cmpuint (tags->len, ==, 17);
  id = galley_store_find_tag (f->store, "体育", &error);
  g_assert_cmpint (id, >, 0);
  t = galley_store_get_tag (f->store, id, &error);
  g_assert_cmpstr (t->code, ==, "medtop:15000000");
  g_assert_cmpstr (t->label_en, ==, "sport");

  /* Only a new archive: deleted defaults do not come back. */
  g_assert_true (galley_store_delete_tag (f->store, id, NULL, &error));
  g_assert_true (galley_store_add_default_tags (f->store, &error));
  g_assert_cmpint (galley_store_find_tag (f->store, "体育", &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_suggest (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleySuggestModel) empty = NULL;
  g_autoptr(GalleySuggestModel) model = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(GArray) plan = NULL;
  g_autofree char *text = NULL;
  gint64 a, b;

  import_sample (f);
  a = add (f, "甲", 0);
  b = add (f, "乙", 0);

  empty = galley_suggest_model_new_from_store (f->store, NULL, &error);
  g_assert_no_error (error);
  text = galley_store_dup_article_text (f->store, article (f, 0), &error);
  g_assert_nonnull (text);
  suggestions = galley_suggest_model_suggest (empty, text, 3);
  g_assert_cmpuint (suggestions->len, ==, 0);
  g_clear_pointer (&suggestions, g_ptr_array_unref);

  /* Learns from the first two tagged articles and knows them again. */
  tag (f, article (f, 0), a);
  tag (f, article (f, 1), b);
  model = galley_suggest_model_new_from_store (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (galley_suggest_model_get_n_articles (model), ==, 2);
  g_assert_cmpuint (galley_suggest_model_get_n_tags (model), ==, 2);
  suggestions = galley_suggest_model_suggest (model, text, 3);
  g_assert_cmpuint (suggestions->len, ==, 2);
  g_assert_cmpstr (((GalleySuggestion *) g_ptr_array_index (suggestions, 0))->label, ==, "甲");
  /* surer of it than of the other, and no surer than one example allows */
  g_assert_cmpfloat (((GalleySuggestion *) g_ptr_array_index (suggestions, 0))->confidence, >,
                     ((GalleySuggestion *) g_ptr_array_index (suggestions, 1))->confidence);
  g_assert_cmpfloat (((GalleySuggestion *) g_ptr_array_index (suggestions, 0))->confidence, <=, 1.0 / 3.0);

  /* Tag every untagged article: applied, counted, not learnt from, undone. */
  plan = galley_suggest_plan_untagged (f->store, model, 0.0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->len, ==, f->articles->len - 2);
  g_assert_true (galley_store_apply_taggings (f->store, plan, &error));
  g_assert_cmpuint (count_listed (f, "甲") + count_listed (f, "乙"), ==, f->articles->len);
  {
    g_autoptr(GalleySuggestModel) after = galley_suggest_model_new_from_store (f->store, NULL, &error);
    g_assert_cmpuint (galley_suggest_model_get_n_articles (after), ==, 2);
  }
  /* An editor confirms one of them: undo keeps it. */
  tag (f, g_array_index (plan, GalleyTagging, 0).article_id, g_array_index (plan, GalleyTagging, 0).tag_id);
  g_assert_true (galley_store_undo_taggings (f->store, plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_listed (f, "甲") + count_listed (f, "乙"), ==, 3);
}

static void
collect_untagged_cb (gint64      article_id,
                     const char *text,
                     const char *tag,
                     gpointer    user_data)
{
  g_assert_nonnull (text);
  g_assert_null (tag);
  g_array_append_val ((GArray *) user_data, article_id);
}

static int
compare_ids_down (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

/* The articles the suggestions also learn from by guessing: the newest
 * first, as many as asked, without those an editor tagged (a tag applied
 * from the suggestions does not count: it teaches nothing). */
static void
test_recent_untagged (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) newest = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) applied = g_array_new (FALSE, FALSE, sizeof (GalleyTagging));
  gint64 a;

  import_sample (f);
  a = add (f, "甲", 0);
  newest = g_array_copy (f->articles);
  g_array_sort (newest, compare_ids_down);
  tag (f, g_array_index (newest, gint64, 0), a);
  {
    GalleyTagging t = { g_array_index (newest, gint64, 1), a, 0.9 };

    g_array_append_val (applied, t);
    g_assert_true (galley_store_apply_taggings (f->store, applied, &error));
  }

  g_assert_true (galley_store_foreach_recent_untagged (f->store, 3, collect_untagged_cb, seen, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (g_array_index (seen, gint64, i), ==, g_array_index (newest, gint64, i + 1));

  g_array_set_size (seen, 0);
  g_assert_true (galley_store_foreach_recent_untagged (f->store, 1000, collect_untagged_cb, seen, &error));
  g_assert_cmpuint (seen->len, ==, f->articles->len - 1);
}

/* The taxonomy's invariants: every parent exists, no tag is its own
 * ancestor (tree order, each tag after its parent and one deeper), each
 * article's tags exist, and each count is the number of articles that
 * have the tag. Returns the tags. */
static GPtrArray *
check_taxonomy (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tags = galley_store_list_tags (f->store, &error);
  g_autoptr(GPtrArray) article_tags = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_assert_no_error (error);
  for (guint i = 0; i < f->articles->len; i++)
    {
      g_ptr_array_add (article_tags, galley_store_get_article_tags (f->store, article (f, i), &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *t = g_ptr_array_index (tags, i);
      guint n = 0;

      if (t->parent_id == 0)
        g_assert_cmpuint (t->depth, ==, 0);
      else
        {
          GalleyTag *parent = g_hash_table_lookup (seen, &t->parent_id);

          g_assert_nonnull (parent);
          g_assert_cmpuint (t->depth, ==, parent->depth + 1);
        }
      g_hash_table_insert (seen, &t->id, t);
      for (guint a = 0; a < article_tags->len; a++)
        {
          GArray *ids = g_ptr_array_index (article_tags, a);

          for (guint k = 0; k < ids->len; k++)
            n += g_array_index (ids, gint64, k) == t->id;
        }
      g_assert_cmpuint (t->n_articles, ==, n);
    }
  for (guint a = 0; a < article_tags->len; a++)
    {
      GArray *ids = g_ptr_array_index (article_tags, a);

      for (guint k = 0; k < ids->len; k++)
        g_assert_true (g_hash_table_contains (seen, &g_array_index (ids, gint64, k)));
    }
  return g_steal_pointer (&tags);
}

/* Whether the article has the tag. */
static gboolean
has_tag (Fixture *f,
         gint64   article_id,
         gint64   tag_id)
{
  g_autoptr(GArray) ids = galley_store_get_article_tags (f->store, article_id, NULL);

  for (guint k = 0; k < ids->len; k++)
    if (g_array_index (ids, gint64, k) == tag_id)
      return TRUE;
  return FALSE;
}

/* Adding, renaming, moving, merging and deleting tags, tagging articles
 * by hand and in bulk, undoing the bulk, at random (seeded): the
 * taxonomy stays a tree with the right counts, a merge gives the merged
 * tag's articles the other tag, and a move under its own branch is
 * refused. */
static void
test_random_walk (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint named = 0;

  import_sample (f);
  for (guint step = 0; step < 300; step++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) tags = check_taxonomy (f);
      GalleyTag *a = tags->len > 0 ? g_ptr_array_index (tags, g_rand_int_range (rand, 0, tags->len)) : NULL;
      GalleyTag *b = tags->len > 0 ? g_ptr_array_index (tags, g_rand_int_range (rand, 0, tags->len)) : NULL;
      gint64 id = article (f, g_rand_int_range (rand, 0, f->articles->len));
      guint op = g_rand_int_range (rand, 0, 9);

      g_test_message ("step %u: op %u", step, op);
      if (op == 0 || a == NULL)
        {
          g_autofree char *name = g_strdup_printf ("标签%u", named++);

          g_assert_cmpint (galley_store_add_tag (f->store, name,
                                                 a != NULL && g_rand_boolean (rand) ? a->id : 0,
                                                 NULL, "", &error), >, 0);
          g_assert_no_error (error);
          continue;
        }
      switch (op)
        {
        case 1:
          {
            g_autofree char *name = g_strdup_printf ("改名%u", named++);

            g_assert_true (galley_store_rename_tag (f->store, a->id, name, &error));
          }
          break;
        case 2:
          {
            gint64 parent = g_rand_boolean (rand) ? b->id : 0;
            gboolean own_branch = FALSE;

            /* b is in a's branch when a is among b's ancestors */
            for (GalleyTag *t = b; t != NULL && parent != 0;)
              {
                own_branch |= t->id == a->id;
                t = t->parent_id != 0 ? galley_store_get_tag (f->store, t->parent_id, NULL) : NULL;
                if (t != NULL)
                  g_ptr_array_add (tags, t); /* freed with the list */
              }
            g_assert_true (galley_store_move_tag (f->store, a->id, parent, &error) == !own_branch);
            g_clear_error (&error);
          }
          break;
        case 3:
          if (a->id != b->id)
            {
              g_autoptr(GArray) had = g_array_new (FALSE, FALSE, sizeof (gint64));

              for (guint i = 0; i < f->articles->len; i++)
                if (has_tag (f, article (f, i), a->id))
                  g_array_append_val (had, g_array_index (f->articles, gint64, i));
              if (galley_store_merge_tags (f->store, a->id, b->id, &error))
                {
                  for (guint i = 0; i < had->len; i++)
                    g_assert_true (has_tag (f, g_array_index (had, gint64, i), b->id));
                  g_assert_null (galley_store_get_tag (f->store, a->id, NULL));
                }
              g_test_message ("  merge: %s", error != NULL ? error->message : "done");
              g_clear_error (&error);
            }
          break;
        case 4:
          g_assert_true (galley_store_delete_tag (f->store, a->id, NULL, &error));
          break;
        case 5:
        case 6:
          g_assert_true (galley_store_tag_article (f->store, id, a->id, &error));
          g_assert_true (has_tag (f, id, a->id));
          break;
        case 7:
          g_assert_true (galley_store_untag_article (f->store, id, a->id, &error));
          g_assert_false (has_tag (f, id, a->id));
          break;
        default:
          {
            g_autoptr(GArray) taggings = g_array_new (FALSE, FALSE, sizeof (GalleyTagging));
            GalleyTagging t = { id, a->id, 0.9 };
            gboolean had = has_tag (f, id, a->id);

            g_array_append_val (taggings, t);
            g_assert_true (galley_store_apply_taggings (f->store, taggings, &error));
            g_assert_true (has_tag (f, id, a->id));
            if (g_rand_boolean (rand))
              {
                g_assert_true (galley_store_undo_taggings (f->store, taggings, &error));
                /* An editor's own tag stays. */
                g_assert_true (has_tag (f, id, a->id) == had);
              }
          }
          break;
        }
      g_assert_no_error (error);
    }
  g_ptr_array_unref (check_taxonomy (f));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store-tags/hierarchy", test_hierarchy);
  ADD ("/store-tags/article-tags", test_article_tags);
  ADD ("/store-tags/subtags-and-untagged", test_subtags_and_untagged);
  ADD ("/store-tags/merge", test_merge);
  ADD ("/store-tags/delete", test_delete);
  ADD ("/store-tags/taxonomy-round-trip", test_taxonomy_round_trip);
  ADD ("/store-tags/default-tags", test_default_tags);
  ADD ("/store-tags/suggest", test_suggest);
  ADD ("/store-tags/recent-untagged", test_recent_untagged);
  ADD ("/store-tags/random-walk", test_random_walk);
#undef ADD

  return g_test_run ();
}
