/* test-article-ops.c: split, merge and line to title keep the page covered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "galley-article-ops.h"
#include "galley-resegment.h"
#include "galley-store-edit.h"
#include "galley-store-pages.h"
#include "check-changes.h"

typedef struct {
  char               *dir;
  char               *db;
  GalleyStore        *store;
  gint64              source_id;
  char               *page;
  GalleyImportOptions options;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyImportResult) result = NULL;

  f->options.rules = GALLEY_RULES_ALL;
  result = open_sample_archive ("galley-ops-XXXXXX", &f->options, &f->dir, &f->db, &f->store);
  f->source_id = result->source_id;
  f->page = galley_store_dup_source_text (f->store, f->source_id, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_archive (f->dir, f->db);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->page);
}

/* The articles of the page in order: their originals make the page. */
static GArray *
check_covered (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GalleyArticleQuery query = { .source_id = f->source_id };
  GArray *ids = galley_store_list_ids (f->store, &query, &error);
  g_autoptr(GString) all = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GalleyArticleData) data =
        galley_store_get_article (f->store, g_array_index (ids, gint64, i), TRUE, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (data->position, ==, i);
      g_string_append (all, data->original);
    }
  g_assert_cmpstr (all->str, ==, f->page);
  return ids;
}

static guint
n_pending (const GalleyArticleData *data)
{
  guint n = 0;

  for (guint i = 0; i < data->change_states->len; i++)
    n += g_array_index (data->change_states, GalleyChangeState, i) == GALLEY_CHANGE_PENDING;
  return n;
}

static GalleyArticleData *
get (Fixture *f,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  GalleyArticleData *data = galley_store_get_article (f->store, id, TRUE, &error);

  g_assert_no_error (error);
  return data;
}

/* The index of the first article with at least two paragraphs. */
static guint
pick_article (Fixture *f,
              GArray  *ids)
{
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GalleyArticleData) data = get (f, g_array_index (ids, gint64, i));

      if (strchr (data->body, '\n') != NULL)
        return i;
    }
  g_assert_not_reached ();
}

static void
restore_first_revision (Fixture    *f,
                        gint64      id,
                        const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = galley_store_list_revisions (f->store, id, &error);
  g_autoptr(GalleyArticleData) data = NULL;
  gint64 earlier = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < revisions->len && earlier == 0; i++)
    {
      GalleyRevision *r = g_ptr_array_index (revisions, i);

      if (g_strcmp0 (r->body, body) == 0)
        earlier = r->id;
    }
  g_assert_cmpint (earlier, !=, 0);
  g_assert_true (galley_store_restore_revision (f->store, id, earlier, &error));
  g_assert_no_error (error);
  data = get (f, id);
  g_assert_cmpstr (data->body, ==, body);
}

static void
test_split_merge (Fixture       *f,
                  gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = check_covered (f);
  guint index = pick_article (f, ids);
  gint64 id = g_array_index (ids, gint64, index);
  g_autoptr(GalleyArticleData) before = get (f, id);
  g_autoptr(GalleyArticleData) first = NULL;
  g_autoptr(GalleyArticleData) second = NULL;
  g_autoptr(GalleyArticleData) merged = NULL;
  g_autoptr(GArray) after_split = NULL;
  g_autoptr(GArray) after_merge = NULL;
  gsize cursor = strchr (before->body, '\n') - before->body + 1;
  gint64 new_id, gone;

  /* nothing to split at the start */
  g_assert_cmpint (galley_article_split (f->store, id, 0, &f->options, &error), ==, 0);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_clear_error (&error);

  new_id = galley_article_split (f->store, id, cursor, &f->options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (new_id, >, 0);
  after_split = check_covered (f);
  g_assert_cmpuint (after_split->len, ==, ids->len + 1);
  g_assert_cmpint (g_array_index (after_split, gint64, index), ==, id);
  g_assert_cmpint (g_array_index (after_split, gint64, index + 1), ==, new_id);
  first = get (f, id);
  second = get (f, new_id);
  g_assert_cmpstr (first->title, ==, before->title);
  g_assert_true (g_str_has_prefix (before->body, first->body));
  g_assert_true (g_str_has_suffix (before->body, second->body));
  g_assert_cmpuint (strlen (first->body) + strlen (second->body), <, strlen (before->body));

  gone = galley_article_merge_next (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gone, ==, new_id);
  after_merge = check_covered (f);
  g_assert_cmpuint (after_merge->len, ==, ids->len);
  merged = get (f, id);
  g_assert_cmpstr (merged->body, ==, before->body);
  g_assert_cmpstr (merged->original, ==, before->original);
  g_assert_cmpuint (n_pending (merged), ==, n_pending (before));
  g_assert_cmpuint (merged->change_states->len, ==, before->change_states->len);

  /* the earlier text is in the history */
  restore_first_revision (f, id, first->body);
  restore_first_revision (f, id, before->body);
}

/* Merging keeps the second article's own headline lines (here a line of
 * its body made its title after a split), as lines of the text before
 * its body, where the page has them. */
static void
test_merge_keeps_headline (Fixture       *f,
                           gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = check_covered (f);
  gint64 id = g_array_index (ids, gint64, pick_article (f, ids));
  g_autoptr(GalleyArticleData) before = get (f, id);
  g_autoptr(GalleyArticleData) second = NULL;
  g_autoptr(GalleyArticleData) merged = NULL;
  gsize cursor = strchr (before->body, '\n') - before->body + 1;
  g_autofree char *line = NULL;
  g_autofree char *kept = NULL;
  gint64 new_id;

  new_id = galley_article_split (f->store, id, cursor, &f->options, &error);
  g_assert_no_error (error);
  second = get (f, new_id);
  line = g_strndup (second->body, strcspn (second->body, "\n"));
  g_assert_true (galley_article_line_to_title (f->store, new_id, 0, &f->options, &error));
  g_assert_no_error (error);
  g_clear_pointer (&second, galley_article_data_free);
  second = get (f, new_id);
  g_assert_cmpstr (second->title, ==, line);

  g_assert_cmpint (galley_article_merge_next (f->store, id, &error), ==, new_id);
  g_assert_no_error (error);
  check_covered (f);
  merged = get (f, id);
  kept = g_strconcat ("\n", line, "\n", NULL);
  g_assert_nonnull (strstr (merged->body, kept));
  g_assert_cmpstr (merged->title, ==, before->title);
}

/* Pending changes of an article, but those in body[from, to). */
static guint
n_pending_outside (GalleyStore *store,
                   gint64       id,
                   gsize        from,
                   gsize        to)
{
  g_autoptr(GPtrArray) changes = galley_store_get_changes (store, id, NULL);
  guint n = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      const GalleyTrackedChange *t = g_ptr_array_index (changes, i);

      n += t->state == GALLEY_CHANGE_PENDING &&
           (t->change->clean_end < from || t->change->clean_start >= to);
    }
  return n;
}

/* Splitting an article at any of its paragraph breaks and merging it back
 * gives back its text and the changes to review (some of those at the
 * break may go with neither half), and makes none up. */
static void
test_split_merge_everywhere (Fixture       *f,
                             gconstpointer  unused)
{
  g_autoptr(GArray) ids = check_covered (f);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GalleyArticleData) before = get (f, id);
      guint pending = n_pending (before);

      for (const char *nl = strchr (before->body, '\n'); nl != NULL; nl = strchr (nl + 1, '\n'))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GalleyArticleData) merged = NULL;
          gsize cut = nl - before->body;
          guint kept = n_pending_outside (f->store, id, cut, cut + 1);
          gint64 new_id = galley_article_split (f->store, id, cut + 1, &f->options, &error);

          g_assert_no_error (error);
          g_assert_cmpint (galley_article_merge_next (f->store, id, &error), ==, new_id);
          g_assert_no_error (error);
          merged = get (f, id);
          g_assert_cmpstr (merged->body, ==, before->body);
          g_assert_cmpuint (n_pending (merged), >=, kept);
          g_assert_cmpuint (n_pending (merged), <=, pending);
          pending = n_pending (merged);
          g_array_unref (check_covered (f));
        }
    }
}

static void
test_split_edited (Fixture       *f,
                   gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = check_covered (f);
  guint index = pick_article (f, ids);
  gint64 id = g_array_index (ids, gint64, index);
  g_autoptr(GalleyArticleData) data = get (f, id);
  g_autoptr(GalleyArticleData) first = NULL;
  g_autoptr(GalleyArticleData) second = NULL;
  g_autoptr(GArray) after = NULL;
  g_autofree char *body = g_strconcat ("编者按。\n", data->body, NULL);
  GalleyArticleFields fields = { data->kicker, data->title, data->subtitle, data->byline,
                                 data->date, body };
  gint64 new_id;

  g_assert_true (galley_store_save_article (f->store, id, &fields, NULL, &error));
  g_assert_no_error (error);
  /* split right after the typed paragraph */
  new_id = galley_article_split (f->store, id, strlen ("编者按。\n"), &f->options, &error);
  g_assert_no_error (error);
  after = check_covered (f);
  g_assert_cmpuint (after->len, ==, ids->len + 1);
  first = get (f, id);
  second = get (f, new_id);
  g_assert_cmpstr (first->body, ==, "编者按。");
  g_assert_cmpstr (second->body, ==, data->body);
  restore_first_revision (f, id, body);
}

static void
test_merge_last (Fixture       *f,
                 gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = check_covered (f);

  g_assert_cmpint (galley_article_merge_next (f->store, g_array_index (ids, gint64, ids->len - 1),
                                              &error), ==, 0);
  g_assert_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED);
  g_array_unref (check_covered (f));
}

static void
test_line_to_title (Fixture       *f,
                    gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = check_covered (f);
  guint index = pick_article (f, ids);
  gint64 id = g_array_index (ids, gint64, index);
  g_autoptr(GalleyArticleData) before = get (f, id);
  g_autoptr(GalleyArticleData) after = NULL;
  g_autofree char *line = NULL;
  const char *nl = strchr (before->body, '\n');

  line = g_strndup (before->body, nl - before->body);
  g_assert_true (galley_article_line_to_title (f->store, id, 1, &f->options, &error));
  g_assert_no_error (error);
  g_array_unref (check_covered (f));
  after = get (f, id);
  g_test_message ("title %s -> %s", before->title, after->title);
  g_assert_cmpstr (after->title, !=, before->title);
  /* the line left the body; the old title came back as its first line */
  g_assert_null (strstr (after->body, line));
  if (before->title[0] != '\0')
    g_assert_true (g_str_has_prefix (after->body, before->title) ||
                   strstr (f->page, before->title) != NULL);
  restore_first_revision (f, id, before->body);
}

/* A byte offset of a random character boundary of text, or of a random
 * line start when lines. */
static gsize
random_cursor (GRand      *rand,
               const char *text,
               gboolean    lines)
{
  glong n = g_utf8_strlen (text, -1);
  const char *p = g_utf8_offset_to_pointer (text, g_rand_int_range (rand, 0, n + 1));

  if (lines)
    {
      const char *nl = strchr (p, '\n');

      p = nl != NULL ? nl + 1 : p;
    }
  return p - text;
}

/* Splits, merges, lines to titles, reviews, typing and restores at random
 * (seeded): the page stays covered, every article's changes agree with
 * its body, a restore gives the revision's text, and the lists are those
 * of another connection. */
static void
test_random_walk (Fixture       *f,
                  gconstpointer  unused)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GalleyStore) checker = galley_store_open (f->db, NULL);

  for (guint step = 0; step < 400; step++)
    {
      g_autoptr(GError) error = NULL;
      GalleyArticleQuery query = { .sort = g_rand_int_range (rand, 0, 3) };
      g_autoptr(GArray) listed = galley_store_list_ids (f->store, &query, &error);
      g_autoptr(GArray) ids = check_covered (f);
      gint64 id = g_array_index (ids, gint64, g_rand_int_range (rand, 0, ids->len));
      g_autoptr(GalleyArticleData) data = get (f, id);
      g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, id, &error);
      guint op = g_rand_int_range (rand, 0, 8);

      g_test_message ("step %u: op %u on %" G_GINT64_FORMAT, step, op, id);
      switch (op)
        {
        case 0:
          galley_article_split (f->store, id, random_cursor (rand, data->body, g_rand_boolean (rand)),
                                &f->options, &error);
          break;
        case 1:
          galley_article_merge_next (f->store, id, &error);
          break;
        case 2:
          galley_article_line_to_title (f->store, id, random_cursor (rand, data->body, FALSE),
                                        &f->options, &error);
          break;
        case 3:
          if (changes->len > 0)
            {
              const GalleyTrackedChange *t = g_ptr_array_index (changes,
                                                                g_rand_int_range (rand, 0, changes->len));

              galley_store_resolve_change (f->store, id, t->id,
                                           g_rand_boolean (rand) ? GALLEY_CHANGE_ACCEPTED
                                                                 : GALLEY_CHANGE_REJECTED,
                                           &error);
            }
          break;
        case 4:
          {
            g_autoptr(GString) body = g_string_new (data->body);
            gsize at = random_cursor (rand, data->body, FALSE);
            GalleyArticleFields fields = { data->kicker, data->title, data->subtitle, data->byline,
                                           data->date, NULL };

            galley_tracked_changes_replace (body, changes, at, at, g_rand_boolean (rand) ? "。\n" : "记");
            fields.body = body->str;
            g_assert_true (galley_store_save_article (f->store, id, &fields, changes, &error));
          }
          break;
        case 7:
          {
            GalleyImportOptions options = f->options;

            /* The page segmented again, cleaned with the rules or
             * without one of them. */
            if (g_rand_boolean (rand))
              options.rules &= ~GALLEY_RULE_PUNCTUATION;
            galley_resegment_source (f->store, f->source_id, &options, NULL, &error);
          }
          break;
        default:
          {
            g_autoptr(GPtrArray) revisions = galley_store_list_revisions (f->store, id, &error);
            GalleyRevision *r = g_ptr_array_index (revisions, g_rand_int_range (rand, 0, revisions->len));
            g_autoptr(GalleyArticleData) restored = NULL;

            g_assert_true (galley_store_restore_revision (f->store, id, r->id, &error));
            restored = get (f, id);
            g_assert_cmpstr (restored->body, ==, r->body);
          }
          break;
        }
      /* Refusals (a split at an end, the last article's merge, a change
       * typed over) are errors of the store's own domain. */
      if (error != NULL)
        {
          g_test_message ("  refused: %s", error->message);
          g_assert_true (error->domain == GALLEY_STORE_ERROR);
        }
      g_clear_pointer (&ids, g_array_unref);
      ids = check_covered (f);
      for (guint i = 0; i < ids->len; i++)
        check_changes (f->store, g_array_index (ids, gint64, i));
      check_search_index (f->store);
      /* The order kept from before the step is read again if it changed:
       * as another connection lists it. */
      {
        g_autoptr(GArray) a = galley_store_list_ids (f->store, &query, &error);
        g_autoptr(GArray) b = galley_store_list_ids (checker, &query, &error);

        g_assert_cmpmem (a->data, a->len * sizeof (gint64), b->data, b->len * sizeof (gint64));
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/article-ops/split-merge", Fixture, NULL, fixture_set_up, test_split_merge,
              fixture_tear_down);
  g_test_add ("/article-ops/split-merge-everywhere", Fixture, NULL, fixture_set_up,
              test_split_merge_everywhere, fixture_tear_down);
  g_test_add ("/article-ops/split-edited", Fixture, NULL, fixture_set_up, test_split_edited,
              fixture_tear_down);
  g_test_add ("/article-ops/merge-last", Fixture, NULL, fixture_set_up, test_merge_last,
              fixture_tear_down);
  g_test_add ("/article-ops/merge-keeps-headline", Fixture, NULL, fixture_set_up,
              test_merge_keeps_headline, fixture_tear_down);
  g_test_add ("/article-ops/line-to-title", Fixture, NULL, fixture_set_up, test_line_to_title,
              fixture_tear_down);
  g_test_add ("/article-ops/random-walk", Fixture, NULL, fixture_set_up, test_random_walk,
              fixture_tear_down);
  return g_test_run ();
}
