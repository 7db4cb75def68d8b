/* test-article-view.c: the article editor keeps the clean-up's changes
 * right through typing, accepts, rejects, undo, redo and saves
 *
 * Drives the editor widget itself (no window, no accessibility): its body
 * buffer and its actions, with saves made at once or after the main loop
 * has caught up, as an autosave on a busy main loop would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "galley-article-view.h"
#include "galley-resources.h"
#include "check-changes.h"

typedef struct {
  char              *dir;
  char              *db;
  GalleyStore       *store;
  GalleyArticleView *view;
  gint64             id;
  guint              n_changes;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyImportResult) result = NULL;
  g_autoptr(GArray) ids = NULL;
  GalleyImportOptions options = { .rules = GALLEY_RULES_ALL };

  result = open_sample_archive ("galley-view-XXXXXX", &options, &f->dir, &f->db, &f->store);

  /* The article with the most changes to review. */
  ids = galley_store_list_ids (f->store, &(GalleyArticleQuery) { .sort = GALLEY_SORT_CHANGES_LEFT },
                               &error);
  g_assert_no_error (error);
  f->id = g_array_index (ids, gint64, 0);
  {
    g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);

    f->n_changes = changes->len;
  }
  g_assert_cmpuint (f->n_changes, >=, 10);

  f->view = g_object_ref_sink (g_object_new (GALLEY_TYPE_ARTICLE_VIEW, NULL));
  galley_article_view_set_store (f->view, f->store);
  g_assert_true (galley_article_view_set_article (f->view, f->id, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->view);
  g_clear_object (&f->store);
  remove_archive (f->dir, f->db);
  g_free (f->dir);
  g_free (f->db);
}

/* The only GtkSourceView of the editor is the body. */
static GtkSourceView *
find_source_view (GtkWidget *widget)
{
  if (GTK_SOURCE_IS_VIEW (widget))
    return GTK_SOURCE_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkSourceView *found = find_source_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkTextBuffer *
body_buffer (Fixture *f)
{
  GtkSourceView *view = find_source_view (GTK_WIDGET (f->view));

  g_assert_nonnull (view);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static void
catch_up (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
save_now (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (galley_article_view_save (f->view, &error));
  g_assert_no_error (error);
}

/* The stored changes in state, or all of them for state -1. */
static guint
count (Fixture *f,
       int      state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = galley_store_get_changes (f->store, f->id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);

      n += state < 0 || (int) t->state == state;
    }
  return n;
}

static void
act (Fixture    *f,
     const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
}

/* An undone reject saved before the main loop reconciled its state is
 * pending again, not a change typed over. */
static void
test_undo_then_save (Fixture       *f,
                     gconstpointer  data)
{
  GtkTextBuffer *buffer = body_buffer (f);

  act (f, "article.next-change");
  act (f, "article.reject");
  catch_up ();
  save_now (f);
  g_assert_cmpuint (count (f, GALLEY_CHANGE_REJECTED), ==, 1);

  gtk_text_buffer_undo (buffer);
  save_now (f);
  g_assert_cmpuint (count (f, -1), ==, f->n_changes);
  g_assert_cmpuint (count (f, GALLEY_CHANGE_REJECTED), ==, 0);
  check_changes (f->store, f->id);

  gtk_text_buffer_redo (buffer);
  save_now (f);
  g_assert_cmpuint (count (f, -1), ==, f->n_changes);
  g_assert_cmpuint (count (f, GALLEY_CHANGE_REJECTED), ==, 1);
  check_changes (f->store, f->id);
}

/* The entry with this placeholder. */
static GtkEditable *
find_entry (GtkWidget  *widget,
            const char *placeholder)
{
  if (GTK_IS_ENTRY (widget) &&
      g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), placeholder) == 0)
    return GTK_EDITABLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found = find_entry (child, placeholder);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A date not written right is not saved, but the rest of the article is,
 * and the saved date stays. */
static void
test_bad_date (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyArticleData) saved = NULL;
  GtkEditable *date = find_entry (GTK_WIDGET (f->view), "YYYY-MM-DD");
  GtkTextBuffer *buffer = body_buffer (f);
  GtkTextIter end;

  g_assert_nonnull (date);
  gtk_editable_set_text (date, "2023-08-17");
  save_now (f);
  gtk_editable_set_text (date, "8月17日");
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "补记一句。", -1);
  g_assert_false (galley_article_view_save (f->view, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  saved = galley_store_get_article (f->store, f->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (saved->body, "补记一句。"));
  g_assert_cmpstr (saved->date, ==, "2023-08-17");
  check_changes (f->store, f->id);
}

static void
correction_made_cb (GalleyArticleView *view,
                    const char        *wrong,
                    const char        *right,
                    GPtrArray         *offers)
{
  g_ptr_array_add (offers, g_strdup_printf ("%s→%s", wrong, right));
}

/* Accepting a look-alike suspect of one character offers to correct it
 * in the other articles with the character next to it, never alone. */
static void
test_suspect_offer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GalleyImportResult) result = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *dir = NULL, *db = NULL;
  GalleyImportOptions options = { .rules = GALLEY_RULES_ALL };
  GalleyStore *store = NULL;
  guint suspects = 0;

  /* The sample page with its look-alike checks */
  options.confusions = galley_confusions_new_default (&error);
  g_assert_no_error (error);
  result = open_sample_archive ("galley-view-XXXXXX", &options, &dir, &db, &store);
  ids = galley_store_list_ids (store, NULL, &error);
  galley_article_view_set_store (f->view, store);
  g_signal_connect (f->view, "correction-made", G_CALLBACK (correction_made_cb), offers);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GPtrArray) changes = galley_store_get_changes (store, id, &error);
      guint mine = 0;

      for (guint j = 0; j < changes->len; j++)
        {
          const GalleyChange *c = ((GalleyTrackedChange *) g_ptr_array_index (changes, j))->change;

          mine += c->kind == GALLEY_CHANGE_SUSPECT && g_utf8_strlen (c->before, -1) == 1;
        }
      if (mine == 0)
        continue;
      suspects += mine;
      g_assert_true (galley_article_view_set_article (f->view, id, &error));
      for (guint j = 0; j < changes->len; j++)
        {
          act (f, "article.next-change");
          act (f, "article.accept");
        }
      save_now (f);
    }
  g_assert_cmpuint (suspects, >, 0);
  g_assert_cmpuint (offers->len, >=, suspects);
  for (guint i = 0; i < offers->len; i++)
    g_assert_cmpint (g_utf8_strlen (g_ptr_array_index (offers, i), -1), ==, 5);
  galley_article_view_set_store (f->view, f->store);
  galley_confusions_unref (options.confusions);
  g_object_unref (store);
  remove_archive (dir, db);
}

/* Typing, reviewing, undo and redo at random (seeded), saved at once or
 * after the main loop caught up: the store stays consistent, and a step
 * that types nothing never loses a change. */
static void
test_random_editing (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const typed[] = { "入", "，", "\n", "。记者", " " };
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  GtkTextBuffer *buffer = body_buffer (f);

  for (guint step = 0; step < 200; step++)
    {
      guint before = count (f, -1);
      guint op = g_rand_int_range (rand, 0, 7);
      GtkTextIter a, b;

      switch (op)
        {
        case 0:
          {
            int n = gtk_text_buffer_get_char_count (buffer);
            int at = g_rand_int_range (rand, 0, n + 1);
            int len = g_rand_int_range (rand, 0, 3);

            gtk_text_buffer_get_iter_at_offset (buffer, &a, at);
            gtk_text_buffer_get_iter_at_offset (buffer, &b, MIN (n, at + len));
            g_test_message ("step %u: at %d delete %d", step, at, len);
            gtk_text_buffer_begin_user_action (buffer);
            gtk_text_buffer_delete (buffer, &a, &b);
            gtk_text_buffer_insert (buffer, &a, typed[g_rand_int_range (rand, 0, G_N_ELEMENTS (typed))], -1);
            gtk_text_buffer_end_user_action (buffer);
          }
          break;
        case 1:
        case 2:
          if (gtk_widget_activate_action (GTK_WIDGET (f->view), "article.next-change", NULL))
            act (f, op == 1 ? "article.accept" : "article.reject");
          break;
        case 3:
        case 4:
          if (gtk_text_buffer_get_can_undo (buffer))
            gtk_text_buffer_undo (buffer);
          break;
        default:
          if (gtk_text_buffer_get_can_redo (buffer))
            gtk_text_buffer_redo (buffer);
          break;
        }
      g_test_message ("step %u: op %u", step, op);
      if (g_rand_boolean (rand))
        catch_up ();
      save_now (f);
      check_changes (f->store, f->id);
      check_search_index (f->store);
      {
        g_autoptr(GalleyArticleData) article = galley_store_get_article (f->store, f->id, FALSE, NULL);
        g_autofree char *text = NULL;

        gtk_text_buffer_get_bounds (buffer, &a, &b);
        text = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
        g_assert_cmpstr (article->body, ==, text);
      }
      if (op != 0 && count (f, -1) != before)
        g_error ("step %u: op %u lost a change (%u -> %u)", step, op, before, count (f, -1));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  gtk_source_init ();
  /* Links the editor's template in (the window links the whole library). */
  g_resources_register (galley_get_resource ());

  g_test_add ("/article-view/undo-then-save", Fixture, NULL, fixture_set_up,
              test_undo_then_save, fixture_tear_down);
  g_test_add ("/article-view/bad-date", Fixture, NULL, fixture_set_up,
              test_bad_date, fixture_tear_down);
  g_test_add ("/article-view/suspect-offer", Fixture, NULL, fixture_set_up,
              test_suspect_offer, fixture_tear_down);
  g_test_add ("/article-view/random-editing", Fixture, NULL, fixture_set_up,
              test_random_editing, fixture_tear_down);
  return g_test_run ();
}
