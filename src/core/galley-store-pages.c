/* galley-store-pages.c: the articles of one imported page, for re-segmenting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-store"

#include <glib/gi18n-lib.h>

#include "galley-store-pages.h"
#include "galley-store-private.h"

/* The order of a page's articles: by their slices of the page. A split
 * whose second part has no slice of its own (its text was typed) gives it
 * the empty slice at the end of the first: it comes before the article
 * that starts there, and after the first part's later splits, which are
 * made with the first part's position + 1 and so are newer for the same
 * position. */
#define PAGE_ORDER "a.slice_start, a.slice_end, a.position, a.id DESC"

void
galley_stored_slice_free (GalleyStoredSlice *slice)
{
  if (slice == NULL)
    return;
  g_free (slice->title);
  g_free (slice);
}

char *
galley_store_dup_source_text (GalleyStore  *self,
                              gint64        source_id,
                              char        **name,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  char *text = NULL;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self, "SELECT raw_text, name FROM sources WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      text = galley_store_column_dup (stmt, 0);
      if (name != NULL)
        *name = galley_store_column_dup (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND,
                         _("There is no such imported file"));
  else
    galley_store_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return text;
}

GPtrArray *
galley_store_list_source_articles (GalleyStore  *self,
                                   gint64        source_id,
                                   GError      **error)
{
  g_autoptr(GPtrArray) slices = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_stored_slice_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  /* Edited: a revision by an editor, a review status, a reviewed change or a tag. */
  stmt = galley_store_prepare (self,
                               "SELECT a.id, a.slice_start, a.slice_end, a.title,"
                               " a.status != 'to-proofread'"
                               " OR EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id"
                               "            AND r.origin = 'editor')"
                               " OR EXISTS (SELECT 1 FROM changes c WHERE c.article_id = a.id"
                               "            AND c.state != 'pending')"
                               " OR EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id"
                               "            AND t.origin = 'manual')"
                               " FROM articles a WHERE a.source_id = ? ORDER BY " PAGE_ORDER,
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GalleyStoredSlice *slice = g_new0 (GalleyStoredSlice, 1);

      slice->id = sqlite3_column_int64 (stmt, 0);
      slice->start = sqlite3_column_int64 (stmt, 1);
      slice->end = sqlite3_column_int64 (stmt, 2);
      slice->title = galley_store_column_dup (stmt, 3);
      slice->edited = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (slices, slice);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&slices);
}

gboolean
galley_store_delete_article (GalleyStore  *self,
                             gint64        id,
                             GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  stmt = galley_store_prepare (self, "DELETE FROM articles WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return galley_store_step_done (self, stmt, error);
}

gboolean
galley_store_renumber_source (GalleyStore  *self,
                              gint64        source_id,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  stmt = galley_store_prepare (self,
                               "UPDATE articles SET position = o.n FROM"
                               " (SELECT a.id, row_number () OVER (ORDER BY " PAGE_ORDER ") - 1 AS n"
                               "  FROM articles a WHERE a.source_id = ?) AS o"
                               " WHERE articles.id = o.id AND articles.position != o.n",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  return galley_store_step_done (self, stmt, error);
}

GStrv
galley_store_list_sources (GalleyStore  *self,
                           GArray      **ids,
                           GError      **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  stmt = galley_store_prepare (self, "SELECT id, name FROM sources ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (found, id);
      g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  *ids = g_steal_pointer (&found);
  return g_strv_builder_end (names);
}

gboolean
galley_store_get_article_slice (GalleyStore  *self,
                                gint64        id,
                                gint64       *source_id,
                                gsize        *start,
                                gsize        *end,
                                char        **body_original,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  stmt = galley_store_prepare (self,
                               "SELECT source_id, slice_start, slice_end, body_original"
                               " FROM articles WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return rc == SQLITE_DONE ? galley_store_not_found (id, error)
                               : galley_store_set_error (self, rc, error);
    }
  *source_id = sqlite3_column_int64 (stmt, 0);
  *start = sqlite3_column_int64 (stmt, 1);
  *end = sqlite3_column_int64 (stmt, 2);
  if (body_original != NULL)
    *body_original = galley_store_column_dup (stmt, 3);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
galley_store_copy_tags (GalleyStore  *self,
                        gint64        from,
                        gint64        to,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  stmt = galley_store_prepare (self,
                               "INSERT OR IGNORE INTO article_tags (article_id, tag_id, origin,"
                               " confidence) SELECT ?, tag_id, origin, confidence"
                               " FROM article_tags WHERE article_id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, to);
  sqlite3_bind_int64 (stmt, 2, from);
  return galley_store_step_done (self, stmt, error);
}
