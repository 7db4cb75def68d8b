/* galley-store-tags.c: the archive's topic tags and the articles' tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-store"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "galley-store-private.h"
#include "galley-store-tags.h"
#include "galley-taxonomy.h"

/* The start of the body the classifier reads; it reads no further. */
#define TEXT_SQL "a.title || char (10) || substr (a.body, 1, 3000)"
/* An editor's own tag, not one applied from the suggestions. */
#define EXAMPLE_SQL "at.origin = 'manual' AND at.confidence >= 1"

void
galley_tag_free (GalleyTag *tag)
{
  if (tag == NULL)
    return;
  g_free (tag->name);
  g_free (tag->code);
  g_free (tag->label_en);
  g_free (tag);
}

static gboolean
fail (GError    **error,
      const char *message)
{
  g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED, message);
  return FALSE;
}

static gboolean
tag_not_found (gint64   id,
               GError **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND,
               /* Translators: %s is the number of a tag */
               _("There is no tag %s"), number);
  return FALSE;
}

/* Runs a statement that returns one integer; -1 on error. */
static gint64
query_int (GalleyStore  *self,
           sqlite3_stmt *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);
  gint64 value = 0;

  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      value = -1;
    }
  sqlite3_reset (stmt);
  return value;
}

/* Checks a tag name and returns it without surrounding space. */
static char *
clean_name (const char  *name,
            GError     **error)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      fail (error, _("A tag name must be text"));
      return NULL;
    }
  stripped = g_strstrip (g_strdup (name));
  if (stripped[0] == '\0')
    {
      fail (error, _("A tag name cannot be empty"));
      return NULL;
    }
  for (const char *p = stripped; *p != '\0'; p++)
    if (*p == '/' || (guchar) *p < 0x20 || *p == 0x7f)
      {
        /* Translators: %s is a tag name */
        g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                     _("“%s”: a tag name cannot contain '/', tabs or line breaks"), stripped);
        return NULL;
      }
  if (stripped[0] == '#')
    {
      g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                   _("“%s”: a tag name cannot start with '#'"), stripped);
      return NULL;
    }
  return g_steal_pointer (&stripped);
}

/* Whether another tag than `except` has this name, in any case: "Sport"
 * next to "sport" would be two tags a reader takes for one. */
static gboolean
name_taken (GalleyStore  *self,
            const char   *name,
            gint64        except,
            GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "SELECT name FROM tags"
                                             " WHERE name = ? COLLATE NOCASE AND id != ?",
                                             error);
  g_autofree char *taken = NULL;
  int rc;

  if (stmt == NULL)
    return TRUE;
  galley_store_bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, except);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    taken = galley_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return TRUE;
    }
  if (taken != NULL)
    {
      g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                   /* Translators: %s is a tag name */
                   _("There is already a tag “%s”"), taken);
      return TRUE;
    }
  return FALSE;
}

static gint64
get_parent (GalleyStore  *self,
            gint64        id,
            GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "SELECT coalesce (parent_id, 0) FROM tags WHERE id = ?",
                                             error);
  int rc;
  gint64 parent;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  parent = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return tag_not_found (id, error) ? 0 : -1;
  if (rc != SQLITE_ROW)
    return galley_store_set_error (self, rc, error) ? 0 : -1;
  return parent;
}

/* TRUE when `ancestor` is `id` or one of its ancestors; -1 on error. */
static int
is_ancestor (GalleyStore  *self,
             gint64        ancestor,
             gint64        id,
             GError      **error)
{
  for (guint steps = 0; id != 0 && steps < 10000; steps++)
    {
      if (id == ancestor)
        return TRUE;
      if ((id = get_parent (self, id, error)) < 0)
        return -1;
    }
  return FALSE;
}

GPtrArray *
galley_store_list_tags (GalleyStore  *self,
                        GError      **error)
{
  g_autoptr(GPtrArray) flat = g_ptr_array_new (); /* borrowed from `tags` once reached */
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GHashTable) children = NULL; /* parent id -> GPtrArray of GalleyTag (borrowed) */
  g_autoptr(GArray) stack = NULL;
  g_autoptr(GArray) depth = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *top;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self,
                               "SELECT t.id, coalesce (t.parent_id, 0), t.name, t.code, t.label_en,"
                               " (SELECT count(*) FROM article_tags at"
                               "  WHERE at.tag_id = t.id AND at.origin = 'manual'),"
                               " (WITH RECURSIVE tree(id) AS (SELECT t.id"
                               "   UNION SELECT c.id FROM tags c JOIN tree ON c.parent_id = tree.id)"
                               "  SELECT count(DISTINCT at.article_id) FROM article_tags at"
                               "  WHERE at.tag_id IN tree AND at.origin = 'manual')"
                               " FROM tags t ORDER BY t.name COLLATE galley_locale",
                               error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GalleyTag *tag = g_new0 (GalleyTag, 1);
      const char *code = (const char *) sqlite3_column_text (stmt, 3);

      tag->id = sqlite3_column_int64 (stmt, 0);
      tag->parent_id = sqlite3_column_int64 (stmt, 1);
      tag->name = galley_store_column_dup (stmt, 2);
      tag->code = code != NULL && code[0] != '\0' ? g_strdup (code) : NULL;
      tag->label_en = galley_store_column_dup (stmt, 4);
      tag->n_articles = sqlite3_column_int (stmt, 5);
      tag->n_in_tree = sqlite3_column_int (stmt, 6);
      tag->depth = G_MAXUINT; /* not reached yet */
      g_ptr_array_add (flat, tag);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      for (guint i = 0; i < flat->len; i++)
        galley_tag_free (g_ptr_array_index (flat, i));
      galley_store_set_error (self, rc, error);
      return NULL;
    }

  /* Tree order: depth first, siblings by name. A tag whose parent is
   * missing counts as top level. */
  children = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                    (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < flat->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (flat, i);
      g_hash_table_insert (children, &tag->id, g_ptr_array_new ());
    }
  top = g_ptr_array_new ();
  for (guint i = 0; i < flat->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (flat, i);
      GPtrArray *siblings = tag->parent_id != 0 ? g_hash_table_lookup (children, &tag->parent_id) : NULL;

      if (siblings == NULL)
        {
          tag->parent_id = 0;
          siblings = top;
        }
      g_ptr_array_add (siblings, tag);
    }

  tags = g_ptr_array_new_full (flat->len, (GDestroyNotify) galley_tag_free);
  stack = g_array_new (FALSE, FALSE, sizeof (GalleyTag *));
  depth = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = top->len; i > 0; i--)
    {
      guint d = 0;
      g_array_append_val (stack, g_ptr_array_index (top, i - 1));
      g_array_append_val (depth, d);
    }
  g_ptr_array_unref (top);
  while (stack->len > 0)
    {
      GalleyTag *tag = g_array_index (stack, GalleyTag *, stack->len - 1);
      guint d = g_array_index (depth, guint, depth->len - 1);
      GPtrArray *kids = g_hash_table_lookup (children, &tag->id);

      g_array_set_size (stack, stack->len - 1);
      g_array_set_size (depth, depth->len - 1);
      tag->depth = d++;
      g_ptr_array_add (tags, tag);
      for (guint i = kids->len; i > 0; i--)
        {
          g_array_append_val (stack, g_ptr_array_index (kids, i - 1));
          g_array_append_val (depth, d);
        }
    }
  /* A cycle (only in a damaged archive) leaves tags unreached. */
  for (guint i = 0; i < flat->len; i++)
    if (((GalleyTag *) g_ptr_array_index (flat, i))->depth == G_MAXUINT)
      galley_tag_free (g_ptr_array_index (flat, i));
  return g_steal_pointer (&tags);
}

guint
galley_store_count_untagged (GalleyStore  *self,
                             GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), G_MAXUINT);

  return galley_store_count (self,
                             "SELECT (SELECT count(*) FROM articles)"
                             " - (SELECT count(DISTINCT article_id) FROM article_tags"
                             "    WHERE origin = 'manual')",
                             error);
}

gint64
galley_store_find_tag (GalleyStore  *self,
                       const char   *name,
                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  stmt = galley_store_prepare (self, "SELECT id FROM tags WHERE name = ?", error);
  if (stmt == NULL)
    return -1;
  galley_store_bind_text (stmt, 1, name);
  return query_int (self, stmt, error);
}

GalleyTag *
galley_store_get_tag (GalleyStore  *self,
                      gint64        id,
                      GError      **error)
{
  g_autoptr(GPtrArray) tags = NULL;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  if ((tags = galley_store_list_tags (self, error)) == NULL)
    return NULL;
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);

      if (tag->id == id)
        return g_ptr_array_steal_index (tags, i);
    }
  tag_not_found (id, error);
  return NULL;
}

gint64
galley_store_add_tag (GalleyStore  *self,
                      const char   *name,
                      gint64        parent_id,
                      const char   *code,
                      const char   *label_en,
                      GError      **error)
{
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), 0);

  if ((clean = clean_name (name, error)) == NULL || name_taken (self, clean, 0, error))
    return 0;
  if (parent_id != 0 && get_parent (self, parent_id, error) < 0)
    return 0;
  stmt = galley_store_prepare (self,
                               "INSERT INTO tags (name, parent_id, code, label_en)"
                               " VALUES (?, nullif (?, 0), nullif (?, ''), ?)",
                               error);
  if (stmt == NULL)
    return 0;
  galley_store_bind_text (stmt, 1, clean);
  sqlite3_bind_int64 (stmt, 2, parent_id);
  galley_store_bind_text (stmt, 3, code);
  galley_store_bind_text (stmt, 4, label_en != NULL ? label_en : "");
  if (!galley_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
galley_store_rename_tag (GalleyStore  *self,
                         gint64        id,
                         const char   *name,
                         GError      **error)
{
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if ((clean = clean_name (name, error)) == NULL || name_taken (self, clean, id, error) ||
      get_parent (self, id, error) < 0)
    return FALSE;
  stmt = galley_store_prepare (self, "UPDATE tags SET name = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  galley_store_bind_text (stmt, 1, clean);
  sqlite3_bind_int64 (stmt, 2, id);
  return galley_store_step_done (self, stmt, error);
}

/* Runs a statement whose two parameters are ids. */
static gboolean
exec_ids (GalleyStore  *self,
          const char   *sql,
          gint64        first,
          gint64        second,
          GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, second);
  return galley_store_step_done (self, stmt, error);
}

static gboolean
set_parent (GalleyStore  *self,
            gint64        id,
            gint64        parent_id,
            GError      **error)
{
  return exec_ids (self, "UPDATE tags SET parent_id = nullif (?, 0) WHERE id = ?", parent_id, id, error);
}

gboolean
galley_store_move_tag (GalleyStore  *self,
                       gint64        id,
                       gint64        parent_id,
                       GError      **error)
{
  int cycle;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (get_parent (self, id, error) < 0 ||
      (parent_id != 0 && get_parent (self, parent_id, error) < 0))
    return FALSE;
  if ((cycle = is_ancestor (self, id, parent_id, error)) < 0)
    return FALSE;
  if (cycle)
    return fail (error, _("A tag cannot be moved under itself or one of its own subtags"));
  return set_parent (self, id, parent_id, error);
}

/* Moves the children of `from` under `to`. */
static gboolean
reparent_children (GalleyStore  *self,
                   gint64        from,
                   gint64        to,
                   GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "UPDATE tags SET parent_id = nullif (?, 0)"
                                             " WHERE parent_id = ? AND id != ?",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, to);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  return galley_store_step_done (self, stmt, error);
}

static gboolean
delete_row (GalleyStore  *self,
            gint64        id,
            GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, "DELETE FROM tags WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return galley_store_step_done (self, stmt, error);
}

gboolean
galley_store_merge_tags (GalleyStore  *self,
                         gint64        id,
                         gint64        into,
                         GError      **error)
{
  gint64 parent;
  int below;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (id == into)
    return fail (error, _("A tag cannot be merged into itself"));
  if ((parent = get_parent (self, id, error)) < 0 || get_parent (self, into, error) < 0 ||
      (below = is_ancestor (self, id, into, error)) < 0 ||
      !galley_store_begin (self, error))
    return FALSE;

  /* A tag merged into one of its own subtags: that subtag takes its place. */
  if ((below && !set_parent (self, into, parent, error)) ||
      !reparent_children (self, id, into, error))
    goto failed;
  if (!exec_ids (self,
                 "INSERT INTO article_tags (article_id, tag_id, origin, confidence)"
                 " SELECT article_id, ?, origin, confidence FROM article_tags"
                 " WHERE tag_id = ? AND 1"
                 " ON CONFLICT (article_id, tag_id) DO UPDATE"
                 " SET confidence = max (confidence, excluded.confidence)",
                 into, id, error) ||
      !delete_row (self, id, error))
    goto failed;
  return galley_store_commit (self, error);

failed:
  galley_store_rollback (self);
  return FALSE;
}

gboolean
galley_store_delete_tag (GalleyStore  *self,
                         gint64        id,
                         guint        *n_articles,
                         GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 parent, n;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if ((parent = get_parent (self, id, error)) < 0 || !galley_store_begin (self, error))
    return FALSE;
  stmt = galley_store_prepare (self, "SELECT count(*) FROM article_tags WHERE tag_id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  if ((n = query_int (self, stmt, error)) < 0 ||
      !reparent_children (self, id, parent, error) ||
      !delete_row (self, id, error)) /* article_tags: ON DELETE CASCADE */
    goto failed;
  if (!galley_store_commit (self, error))
    return FALSE;
  if (n_articles != NULL)
    *n_articles = n;
  return TRUE;

failed:
  galley_store_rollback (self);
  return FALSE;
}

static gboolean
check_article (GalleyStore  *self,
               gint64        article_id,
               GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, "SELECT count(*) FROM articles WHERE id = ?",
                                             error);
  gint64 n;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  if ((n = query_int (self, stmt, error)) < 0)
    return FALSE;
  return n > 0 || galley_store_not_found (article_id, error);
}

gboolean
galley_store_tag_article (GalleyStore  *self,
                          gint64        article_id,
                          gint64        tag_id,
                          GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (!check_article (self, article_id, error) || get_parent (self, tag_id, error) < 0)
    return FALSE;
  /* An editor's tag (confidence 1) replaces one applied in bulk. */
  return exec_ids (self,
                   "INSERT INTO article_tags (article_id, tag_id, origin, confidence)"
                   " VALUES (?, ?, 'manual', 1)"
                   " ON CONFLICT (article_id, tag_id) DO UPDATE SET origin = 'manual', confidence = 1",
                   article_id, tag_id, error);
}

gboolean
galley_store_untag_article (GalleyStore  *self,
                            gint64        article_id,
                            gint64        tag_id,
                            GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  return exec_ids (self, "DELETE FROM article_tags WHERE article_id = ? AND tag_id = ?",
                   article_id, tag_id, error);
}

GArray *
galley_store_get_article_tags (GalleyStore  *self,
                               gint64        article_id,
                               GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self,
                               "SELECT tag_id FROM article_tags"
                               " WHERE article_id = ? AND origin = 'manual'",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, article_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gboolean
galley_store_get_tagging (GalleyStore  *self,
                          gint64        article_id,
                          gint64        tag_id,
                          double       *confidence,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (confidence != NULL, FALSE);

  stmt = galley_store_prepare (self,
                               "SELECT confidence FROM article_tags"
                               " WHERE article_id = ? AND tag_id = ? AND origin = 'manual'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  sqlite3_bind_int64 (stmt, 2, tag_id);
  rc = sqlite3_step (stmt);
  *confidence = rc == SQLITE_ROW ? sqlite3_column_double (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

gboolean
galley_store_apply_taggings (GalleyStore  *self,
                             GArray       *taggings,
                             GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (taggings != NULL, FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  for (guint i = taggings->len; i-- > 0;)
    {
      const GalleyTagging *t = &g_array_index (taggings, GalleyTagging, i);
      sqlite3_stmt *stmt = galley_store_prepare (self,
                                                 "INSERT INTO article_tags (article_id, tag_id, origin,"
                                                 " confidence) VALUES (?, ?, 'manual', ?)"
                                                 " ON CONFLICT (article_id, tag_id) DO NOTHING",
                                                 error);

      if (stmt == NULL)
        {
          galley_store_rollback (self);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, t->article_id);
      sqlite3_bind_int64 (stmt, 2, t->tag_id);
      sqlite3_bind_double (stmt, 3, t->confidence);
      if (!galley_store_step_done (self, stmt, error))
        {
          galley_store_rollback (self);
          return FALSE;
        }
      /* A tag the article has already stays as it is, and is not the
       * bulk's to undo. */
      if (sqlite3_changes (self->db) == 0)
        g_array_remove_index (taggings, i);
    }
  return galley_store_commit (self, error);
}

gboolean
galley_store_undo_taggings (GalleyStore  *self,
                            GArray       *taggings,
                            GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (taggings != NULL, FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < taggings->len; i++)
    {
      const GalleyTagging *t = &g_array_index (taggings, GalleyTagging, i);

      if (!exec_ids (self, "DELETE FROM article_tags WHERE article_id = ? AND tag_id = ? AND confidence < 1",
                     t->article_id, t->tag_id, error))
        goto failed;
    }
  return galley_store_commit (self, error);

failed:
  galley_store_rollback (self);
  return FALSE;
}

static gboolean
foreach_row (GalleyStore         *self,
             const char          *sql,
             GalleyStoreTextFunc  func,
             gpointer             user_data,
             GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Not cached: the callback may prepare statements of its own. */
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return galley_store_set_error (self, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
          (const char *) sqlite3_column_text (stmt, 2), user_data);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return galley_store_set_error (self, rc, error);
  return TRUE;
}

gboolean
galley_store_foreach_example (GalleyStore         *self,
                              GalleyStoreTextFunc  func,
                              gpointer             user_data,
                              GError             **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Only what editors tagged themselves: tags applied in bulk from the
   * classifier's own suggestions would teach it nothing new. */
  return foreach_row (self,
                      "SELECT a.id, " TEXT_SQL ", t.name FROM article_tags at"
                      " JOIN articles a ON a.id = at.article_id"
                      " JOIN tags t ON t.id = at.tag_id"
                      " WHERE " EXAMPLE_SQL
                      " ORDER BY a.id, t.name",
                      func, user_data, error);
}

gboolean
galley_store_foreach_article_text (GalleyStore         *self,
                                   gboolean             all,
                                   GalleyStoreTextFunc  func,
                                   gpointer             user_data,
                                   GError             **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (all)
    return foreach_row (self,
                        "SELECT a.id, " TEXT_SQL ", NULL FROM articles a"
                        " ORDER BY a.source_id, a.position",
                        func, user_data, error);
  return foreach_row (self,
                      "SELECT a.id, " TEXT_SQL ", NULL FROM articles a"
                      " WHERE " GALLEY_STORE_UNTAGGED_SQL
                      " ORDER BY a.source_id, a.position",
                      func, user_data, error);
}

gboolean
galley_store_foreach_recent_untagged (GalleyStore         *self,
                                      guint                max,
                                      GalleyStoreTextFunc  func,
                                      gpointer             user_data,
                                      GError             **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  sql = g_strdup_printf ("SELECT a.id, " TEXT_SQL ", NULL FROM articles a"
                         " WHERE NOT EXISTS (SELECT 1 FROM article_tags at"
                         "  WHERE at.article_id = a.id AND " EXAMPLE_SQL ")"
                         " ORDER BY a.id DESC LIMIT %u", max);
  return foreach_row (self, sql, func, user_data, error);
}

char *
galley_store_dup_article_text (GalleyStore  *self,
                               gint64        article_id,
                               GError      **error)
{
  sqlite3_stmt *stmt;
  char *text;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self, "SELECT " TEXT_SQL " FROM articles a WHERE a.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, article_id);
  rc = sqlite3_step (stmt);
  text = rc == SQLITE_ROW ? galley_store_column_dup (stmt, 0) : NULL;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    galley_store_not_found (article_id, error);
  else if (rc != SQLITE_ROW)
    galley_store_set_error (self, rc, error);
  return text;
}

GPtrArray *
galley_store_export_taxonomy (GalleyStore  *self,
                              GError      **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *entries;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  if ((tags = galley_store_list_tags (self, error)) == NULL)
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_taxonomy_entry_free);
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);
      const char *parent = g_hash_table_lookup (names, &tag->parent_id);

      g_hash_table_insert (names, &tag->id, tag->name);
      g_ptr_array_add (entries, galley_taxonomy_entry_new (tag->name, parent, tag->code,
                                                           tag->label_en[0] != '\0' ? tag->label_en
                                                                                    : NULL));
    }
  return entries;
}

gboolean
galley_store_import_taxonomy (GalleyStore  *self,
                              GPtrArray    *entries,
                              guint        *n_added,
                              GError      **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  sqlite3_stmt *stmt;
  guint added = 0;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      GalleyTaxonomyEntry *e = g_ptr_array_index (entries, i);
      gint64 id = galley_store_find_tag (self, e->name, error);

      if (id < 0)
        goto failed;
      if (id == 0)
        {
          if ((id = galley_store_add_tag (self, e->name, 0, e->code, e->label_en, error)) == 0)
            goto failed;
          added++;
        }
      else
        {
          stmt = galley_store_prepare (self,
                                       "UPDATE tags SET code = nullif (?, ''), label_en = ?"
                                       " WHERE id = ?",
                                       error);
          if (stmt == NULL)
            goto failed;
          galley_store_bind_text (stmt, 1, e->code);
          galley_store_bind_text (stmt, 2, e->label_en != NULL ? e->label_en : "");
          sqlite3_bind_int64 (stmt, 3, id);
          if (!galley_store_step_done (self, stmt, error))
            goto failed;
        }
      g_hash_table_insert (ids, e->name, g_memdup2 (&id, sizeof id));
    }
  /* The file has no cycle and names every ancestor of its tags, so
   * taking its parents cannot make one. */
  for (guint i = 0; i < entries->len; i++)
    {
      GalleyTaxonomyEntry *e = g_ptr_array_index (entries, i);
      gint64 *id = g_hash_table_lookup (ids, e->name);
      gint64 *parent = e->parent != NULL ? g_hash_table_lookup (ids, e->parent) : NULL;

      if (e->parent != NULL && parent == NULL)
        {
          /* Translators: %s are tag names */
          g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                       _("The parent “%s” of “%s” is not in the file"), e->parent, e->name);
          goto failed;
        }
      if (!set_parent (self, *id, parent != NULL ? *parent : 0, error))
        goto failed;
    }
  if (!galley_store_commit (self, error))
    return FALSE;
  if (n_added != NULL)
    *n_added = added;
  return TRUE;

failed:
  galley_store_rollback (self);
  return FALSE;
}

gboolean
galley_store_add_default_tags (GalleyStore  *self,
                               GError      **error)
{
  const char *data_dir = g_getenv ("GALLEY_DATA_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt;
  gint64 n;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (galley_store_is_read_only (self))
    return TRUE;
  stmt = galley_store_prepare (self,
                               "SELECT (SELECT count(*) FROM tags) + (SELECT count(*) FROM articles)",
                               error);
  if (stmt == NULL || (n = query_int (self, stmt, error)) < 0)
    return FALSE;
  if (n > 0)
    return TRUE;
  path = g_build_filename (data_dir != NULL && data_dir[0] != '\0' ? data_dir : GALLEY_PKGDATADIR,
                           "iptc-media-topics.tsv", NULL);
  if ((entries = galley_taxonomy_load (path, error)) == NULL)
    return FALSE;
  return galley_store_import_taxonomy (self, entries, NULL, error);
}
