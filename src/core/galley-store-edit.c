/* galley-store-edit.c: editing an article in the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-store-edit"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "galley-store-edit.h"
#include "galley-store-private.h"

/* Tracked changes */

GalleyTrackedChange *
galley_tracked_change_copy (const GalleyTrackedChange *tracked)
{
  GalleyTrackedChange *copy = g_new0 (GalleyTrackedChange, 1);

  copy->id = tracked->id;
  copy->state = tracked->state;
  copy->change = galley_change_copy (tracked->change);
  return copy;
}

void
galley_tracked_change_free (GalleyTrackedChange *tracked)
{
  if (tracked == NULL)
    return;
  galley_change_free (tracked->change);
  g_free (tracked);
}

const char *
galley_tracked_change_expected (const GalleyTrackedChange *tracked,
                                GalleyChangeState          state)
{
  const GalleyChange *c = tracked->change;

  if (c->kind == GALLEY_CHANGE_SUSPECT)
    return state == GALLEY_CHANGE_ACCEPTED ? c->after : c->before;
  return state == GALLEY_CHANGE_REJECTED ? c->before : c->after;
}

void
galley_tracked_changes_replace (GString    *body,
                                GPtrArray  *changes,
                                gsize       start,
                                gsize       end,
                                const char *text)
{
  gsize len = strlen (text);
  gssize delta = (gssize) len - (gssize) (end - start);

  g_return_if_fail (start <= end && end <= body->len);

  g_string_erase (body, start, end - start);
  g_string_insert (body, start, text);

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      GalleyChange *c = ((GalleyTrackedChange *) g_ptr_array_index (changes, i))->change;

      if (c->clean_end <= start)
        continue;                                   /* before */
      if (c->clean_start >= end)
        {
          c->clean_start += delta;                  /* after */
          c->clean_end += delta;
          continue;
        }
      /* Overlapping: stretched over the new text. */
      c->clean_start = MIN (c->clean_start, start);
      c->clean_end = MAX (c->clean_end, end) + delta;
    }
}

static gboolean
span_holds (const char         *body,
            gsize               body_len,
            const GalleyChange *c,
            const char         *text)
{
  gsize len = strlen (text);

  return c->clean_start <= c->clean_end && c->clean_end <= body_len &&
         c->clean_end - c->clean_start == len &&
         memcmp (body + c->clean_start, text, len) == 0;
}

gboolean
galley_tracked_changes_resolve (GString          *body,
                                GPtrArray        *changes,
                                guint             index,
                                GalleyChangeState state)
{
  GalleyTrackedChange *t;
  const char *old, *new;
  gsize start;

  g_return_val_if_fail (body != NULL && changes != NULL, FALSE);
  g_return_val_if_fail (index < changes->len, FALSE);

  t = g_ptr_array_index (changes, index);
  old = galley_tracked_change_expected (t, t->state);
  new = galley_tracked_change_expected (t, state);
  if (!span_holds (body->str, body->len, t->change, old))
    return FALSE;
  if (old != new && strcmp (old, new) != 0)
    {
      start = t->change->clean_start;
      galley_tracked_changes_replace (body, changes, start, t->change->clean_end, new);
      t->change->clean_start = start;
      t->change->clean_end = start + strlen (new);
    }
  t->state = state;
  return TRUE;
}

/* Snapshots of the changes in a revision: one change a line, fields
 * separated by tabs, with \, tab and newline escaped in the texts. */

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      default:
        g_string_append_c (out, *p);
      }
}

static char *
unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, *p == 't' ? '\t' : *p == 'n' ? '\n' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
snapshot_changes (GPtrArray *changes)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);
      GalleyChange *c = t->change;

      g_string_append_printf (out, "%s\t%s\t%" G_GSIZE_FORMAT "\t%" G_GSIZE_FORMAT
                              "\t%" G_GSIZE_FORMAT "\t%" G_GSIZE_FORMAT "\t%.6g\t%s\t",
                              galley_rule_to_id (c->rule),
                              c->kind == GALLEY_CHANGE_SUSPECT ? "suspect" : "edit",
                              c->orig_start, c->orig_end, c->clean_start, c->clean_end,
                              c->confidence, galley_store_state_to_string (t->state));
      append_escaped (out, c->before);
      g_string_append_c (out, '\t');
      append_escaped (out, c->after);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
parse_snapshot (const char *snapshot)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);
  g_auto(GStrv) lines = g_strsplit (snapshot, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      GalleyTrackedChange *t;

      if (g_strv_length (f) != 10)
        continue;
      t = g_new0 (GalleyTrackedChange, 1);
      t->change = g_new0 (GalleyChange, 1);
      t->change->rule = galley_rule_from_id (f[0]);
      t->change->kind = strcmp (f[1], "suspect") == 0 ? GALLEY_CHANGE_SUSPECT : GALLEY_CHANGE_EDIT;
      t->change->orig_start = g_ascii_strtoull (f[2], NULL, 10);
      t->change->orig_end = g_ascii_strtoull (f[3], NULL, 10);
      t->change->clean_start = g_ascii_strtoull (f[4], NULL, 10);
      t->change->clean_end = g_ascii_strtoull (f[5], NULL, 10);
      t->change->confidence = g_ascii_strtod (f[6], NULL);
      t->state = galley_store_state_from_string (f[7]);
      t->change->before = unescape (f[8]);
      t->change->after = unescape (f[9]);
      g_ptr_array_add (changes, t);
    }
  return changes;
}

/* Reading */

GPtrArray *
galley_store_get_changes (GalleyStore  *self,
                          gint64        article_id,
                          GError      **error)
{
  g_autoptr(GPtrArray) changes =
    g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self,
                               "SELECT id, rule, kind, orig_start, orig_end, clean_start,"
                               " clean_end, before, after, confidence, state FROM changes"
                               " WHERE article_id = ? ORDER BY clean_start, seq",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, article_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GalleyTrackedChange *t = g_new0 (GalleyTrackedChange, 1);

      t->id = sqlite3_column_int64 (stmt, 0);
      t->change = galley_store_change_from_row (stmt, 1, &t->state);
      g_ptr_array_add (changes, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&changes);
}

typedef struct {
  char *kicker, *title, *subtitle, *byline, *date, *body, *body_original;
} Stored;

static void
stored_clear (Stored *s)
{
  g_free (s->kicker);
  g_free (s->title);
  g_free (s->subtitle);
  g_free (s->byline);
  g_free (s->date);
  g_free (s->body);
  g_free (s->body_original);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stored, stored_clear)

static gboolean
load_stored (GalleyStore  *self,
             gint64        id,
             Stored       *s,
             GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "SELECT kicker, title, subtitle, byline, date, body,"
                                             " body_original FROM articles WHERE id = ?",
                                             error);
  int rc;

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
  s->kicker = galley_store_column_dup (stmt, 0);
  s->title = galley_store_column_dup (stmt, 1);
  s->subtitle = galley_store_column_dup (stmt, 2);
  s->byline = galley_store_column_dup (stmt, 3);
  s->date = galley_store_column_dup_nullable (stmt, 4);
  s->body = galley_store_column_dup (stmt, 5);
  s->body_original = galley_store_column_dup (stmt, 6);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Writing; the callers hold a transaction. */

static const char *
nonempty (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static gboolean
add_revision (GalleyStore               *self,
              gint64                     id,
              const GalleyArticleFields *f,
              GPtrArray                 *changes,
              GError                   **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "INSERT INTO revisions (article_id, origin, created_at,"
                                             " kicker, title, subtitle, byline, date, body, changes)"
                                             " VALUES (?, 'editor', ?, ?, ?, ?, ?, ?, ?, ?)",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  galley_store_bind_text (stmt, 3, f->kicker);
  galley_store_bind_text (stmt, 4, f->title);
  galley_store_bind_text (stmt, 5, f->subtitle);
  galley_store_bind_text (stmt, 6, f->byline);
  galley_store_bind_text (stmt, 7, nonempty (f->date));
  galley_store_bind_text (stmt, 8, f->body);
  sqlite3_bind_text (stmt, 9, snapshot_changes (changes), -1, g_free);
  return galley_store_step_done (self, stmt, error);
}

static gboolean
update_pending (GalleyStore  *self,
                gint64        id,
                GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "UPDATE articles SET pending = (SELECT count(*) FROM"
                                             " changes WHERE article_id = ?1 AND state = 'pending')"
                                             " WHERE id = ?1",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return galley_store_step_done (self, stmt, error);
}

static gboolean
delete_change (GalleyStore  *self,
               gint64        change_id,
               GError      **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self, "DELETE FROM changes WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change_id);
  return galley_store_step_done (self, stmt, error);
}

/* Writes the article's fields and body, and when it was changed. */
static gboolean
update_fields (GalleyStore               *self,
               gint64                     id,
               const GalleyArticleFields *f,
               GError                   **error)
{
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "UPDATE articles SET kicker = ?, title = ?,"
                                             " subtitle = ?, byline = ?, date = ?, body = ?,"
                                             " modified_at = ? WHERE id = ?",
                                             error);

  if (stmt == NULL)
    return FALSE;
  galley_store_bind_text (stmt, 1, f->kicker);
  galley_store_bind_text (stmt, 2, f->title);
  galley_store_bind_text (stmt, 3, f->subtitle);
  galley_store_bind_text (stmt, 4, f->byline);
  galley_store_bind_text (stmt, 5, nonempty (f->date));
  galley_store_bind_text (stmt, 6, f->body);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 8, id);
  return galley_store_step_done (self, stmt, error);
}

/* An edited byline: its place and names as the segmentation would read them. */
static gboolean
update_byline_names (GalleyStore  *self,
                     gint64        id,
                     const char   *byline,
                     GError      **error)
{
  g_autofree char *place = NULL;
  g_auto(GStrv) reporters = NULL;
  g_auto(GStrv) correspondents = NULL;
  sqlite3_stmt *stmt = galley_store_prepare (self,
                                             "UPDATE articles SET place = ?, reporters = ?,"
                                             " correspondents = ? WHERE id = ?",
                                             error);

  if (stmt == NULL)
    return FALSE;
  galley_byline_parse (byline, &place, &reporters, &correspondents);
  galley_store_bind_text (stmt, 1, place);
  galley_store_bind_list (stmt, 2, (const char * const *) reporters);
  galley_store_bind_list (stmt, 3, (const char * const *) correspondents);
  sqlite3_bind_int64 (stmt, 4, id);
  return galley_store_step_done (self, stmt, error);
}

static gboolean
insert_change (GalleyStore         *self,
               gint64               article_id,
               guint                seq,
               GalleyTrackedChange *t,
               GError             **error)
{
  return galley_store_insert_change (self, article_id, seq, t->change, t->state, &t->id, error);
}

/* The changes as they were at an import revision: in the clean text every
 * edit pending, in the OCR text every edit rejected; spans follow from the
 * original spans, sorted. */
static void
changes_at_import (GPtrArray  *changes,
                   gboolean    ocr)
{
  gssize shift = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);
      GalleyChange *c = t->change;

      t->state = ocr && c->kind == GALLEY_CHANGE_EDIT ? GALLEY_CHANGE_REJECTED : GALLEY_CHANGE_PENDING;
      c->clean_start = c->orig_start + shift;
      if (!ocr && c->kind == GALLEY_CHANGE_EDIT)
        shift += (gssize) strlen (c->after) - (gssize) strlen (c->before);
      c->clean_end = c->clean_start + strlen (galley_tracked_change_expected (t, t->state));
    }
}

static int
compare_orig (gconstpointer a,
              gconstpointer b)
{
  const GalleyChange *x = (*(GalleyTrackedChange * const *) a)->change;
  const GalleyChange *y = (*(GalleyTrackedChange * const *) b)->change;

  return x->orig_start < y->orig_start ? -1 : x->orig_start > y->orig_start;
}

/* The import's revisions keep no snapshot of their changes while the
 * article's changes are still the import's own (see changes_at_import());
 * a write can drop a change (the editor typed over it), and without it
 * the spans of the later ones could not be worked out again. So before
 * the first write, the import's revisions get their snapshots. */
static gboolean
keep_import_changes (GalleyStore  *self,
                     gint64        article_id,
                     GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ocr = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GPtrArray) changes = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = galley_store_prepare (self,
                               "SELECT id, origin = 'ocr' FROM revisions WHERE article_id = ?"
                               " AND origin IN ('ocr', 'clean') AND changes IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gboolean is_ocr = sqlite3_column_int (stmt, 1) != 0;

      g_array_append_val (ids, id);
      g_array_append_val (ocr, is_ocr);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return galley_store_set_error (self, rc, error);
  if (ids->len == 0)
    return TRUE;

  if ((changes = galley_store_get_changes (self, article_id, error)) == NULL)
    return FALSE;
  g_ptr_array_sort (changes, compare_orig);
  for (guint i = 0; i < ids->len; i++)
    {
      changes_at_import (changes, g_array_index (ocr, gboolean, i));
      stmt = galley_store_prepare (self, "UPDATE revisions SET changes = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, snapshot_changes (changes), -1, g_free);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      if (!galley_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fields_equal (const GalleyArticleFields *f,
              const Stored              *s)
{
  return g_strcmp0 (f->kicker, s->kicker) == 0 && g_strcmp0 (f->title, s->title) == 0 &&
         g_strcmp0 (f->subtitle, s->subtitle) == 0 && g_strcmp0 (f->byline, s->byline) == 0 &&
         g_strcmp0 (nonempty (f->date), s->date) == 0 && g_strcmp0 (f->body, s->body) == 0;
}

/* The core of a save: see galley_store_save_article(). force writes a
 * revision even when nothing differs (a restore). */
static gboolean
save_locked (GalleyStore               *self,
             gint64                     id,
             const GalleyArticleFields *f,
             GPtrArray                 *changes,
             gboolean                   force,
             GError                   **error)
{
  g_auto(Stored) stored = { 0 };
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GPtrArray) owned = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(GHashTable) old_states = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean differ;
  sqlite3_stmt *stmt;
  gsize body_len = strlen (f->body);

  if (!keep_import_changes (self, id, error) || !load_stored (self, id, &stored, error) ||
      (old = galley_store_get_changes (self, id, error)) == NULL)
    return FALSE;
  if (changes == NULL)
    changes = owned = g_ptr_array_ref (old);
  for (guint i = 0; i < old->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (old, i);

      g_hash_table_insert (old_states, &t->id, GINT_TO_POINTER (t->state + 1));
    }

  differ = force || !fields_equal (f, &stored);
  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);
      GalleyChange *c = t->change;
      gboolean fits = c->clean_start <= c->clean_end && c->clean_end <= body_len;
      gpointer old_state = g_hash_table_lookup (old_states, &t->id);

      if (t->id == 0 || old_state == NULL)
        {
          t->id = 0;
          continue;
        }
      if (!fits || (t->state == GALLEY_CHANGE_PENDING &&
                    !span_holds (f->body, body_len, c, galley_tracked_change_expected (t, t->state))))
        {
          if (!delete_change (self, t->id, error))
            return FALSE;
          t->id = 0;
          differ = TRUE;
          continue;
        }
      if (GPOINTER_TO_INT (old_state) != (int) t->state + 1)
        differ = TRUE;
      stmt = galley_store_prepare (self,
                                   "UPDATE changes SET state = ?, clean_start = ?, clean_end = ?"
                                   " WHERE id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      galley_store_bind_text (stmt, 1, galley_store_state_to_string (t->state));
      sqlite3_bind_int64 (stmt, 2, c->clean_start);
      sqlite3_bind_int64 (stmt, 3, c->clean_end);
      sqlite3_bind_int64 (stmt, 4, t->id);
      if (!galley_store_step_done (self, stmt, error))
        return FALSE;
      g_ptr_array_add (kept, t);
    }

  if (!differ)
    return TRUE;

  if (!update_fields (self, id, f, error) ||
      (g_strcmp0 (f->byline, stored.byline) != 0 && !update_byline_names (self, id, f->byline, error)))
    return FALSE;
  return update_pending (self, id, error) && add_revision (self, id, f, kept, error);
}

static gboolean
in_transaction (GalleyStore  *self,
                gboolean      ok,
                GError      **error)
{
  if (!ok)
    {
      galley_store_rollback (self);
      return FALSE;
    }
  return galley_store_commit (self, error);
}

static void
check_fields (const GalleyArticleFields *f)
{
  g_assert (f->kicker != NULL && f->title != NULL && f->subtitle != NULL &&
            f->byline != NULL && f->body != NULL);
}

gboolean
galley_store_save_article (GalleyStore               *self,
                           gint64                     article_id,
                           const GalleyArticleFields *fields,
                           GPtrArray                 *changes,
                           GError                   **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  check_fields (fields);
  if (!galley_store_begin (self, error))
    return FALSE;
  return in_transaction (self, save_locked (self, article_id, fields, changes, FALSE, error),
                         error);
}

gboolean
galley_store_rewrite_article (GalleyStore               *self,
                              gint64                     article_id,
                              const GalleyArticleSlice  *slice,
                              const GalleyArticleFields *fields,
                              GPtrArray                 *changes,
                              GError                   **error)
{
  const GalleySegment *meta = slice != NULL ? slice->segment : NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (fields != NULL && changes != NULL, FALSE);

  check_fields (fields);
  if (!keep_import_changes (self, article_id, error))
    return FALSE;
  if (slice != NULL)
    {
      stmt = galley_store_prepare (self,
                                   "UPDATE articles SET slice_start = ?, slice_end = ?,"
                                   " original = NULL, body_original = ? WHERE id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, slice->start);
      sqlite3_bind_int64 (stmt, 2, slice->end);
      galley_store_bind_text (stmt, 3, slice->body_original);
      sqlite3_bind_int64 (stmt, 4, article_id);
      if (!galley_store_step_done (self, stmt, error))
        return FALSE;
    }
  if (meta != NULL)
    {
      stmt = galley_store_prepare (self,
                                   "UPDATE articles SET place = ?, reporters = ?, correspondents = ?,"
                                   " date_text = ?, captions = ?, intertitles = ? WHERE id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      galley_store_bind_text (stmt, 1, meta->place);
      galley_store_bind_list (stmt, 2, (const char * const *) meta->reporters);
      galley_store_bind_list (stmt, 3, (const char * const *) meta->correspondents);
      galley_store_bind_text (stmt, 4, meta->date_text);
      galley_store_bind_list (stmt, 5, (const char * const *) meta->captions);
      galley_store_bind_list (stmt, 6, (const char * const *) meta->intertitles);
      sqlite3_bind_int64 (stmt, 7, article_id);
      if (!galley_store_step_done (self, stmt, error))
        return FALSE;
    }

  stmt = galley_store_prepare (self, "DELETE FROM changes WHERE article_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  if (!galley_store_step_done (self, stmt, error))
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    if (!insert_change (self, article_id, i, g_ptr_array_index (changes, i), error))
      return FALSE;

  if (!update_fields (self, article_id, fields, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return galley_store_not_found (article_id, error);
  return update_pending (self, article_id, error) &&
         add_revision (self, article_id, fields, changes, error);
}

static void
fields_from_stored (GalleyArticleFields *f,
                    const Stored        *s)
{
  f->kicker = s->kicker;
  f->title = s->title;
  f->subtitle = s->subtitle;
  f->byline = s->byline;
  f->date = s->date;
  f->body = s->body;
}

gboolean
galley_store_resolve_change (GalleyStore        *self,
                             gint64              article_id,
                             gint64              change_id,
                             GalleyChangeState   state,
                             GError            **error)
{
  g_auto(Stored) stored = { 0 };
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GString) body = NULL;
  GalleyArticleFields f;
  gboolean ok = FALSE;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  if (!load_stored (self, article_id, &stored, error) ||
      (changes = galley_store_get_changes (self, article_id, error)) == NULL)
    return in_transaction (self, FALSE, error);

  body = g_string_new (stored.body);
  for (guint i = 0; i < changes->len; i++)
    if (((GalleyTrackedChange *) g_ptr_array_index (changes, i))->id == change_id)
      {
        if (!galley_tracked_changes_resolve (body, changes, i, state))
          {
            g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                                 _("The text of this change was edited since"));
            return in_transaction (self, FALSE, error);
          }
        ok = TRUE;
      }
  if (!ok)
    {
      g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND,
                           _("There is no such change"));
      return in_transaction (self, FALSE, error);
    }
  fields_from_stored (&f, &stored);
  f.body = body->str;
  return in_transaction (self, save_locked (self, article_id, &f, changes, FALSE, error), error);
}

const char *
galley_status_step (const char *status,
                    gboolean    up)
{
  if (g_strcmp0 (status, "approved") == 0)
    return up ? "approved" : "proofread";
  if (g_strcmp0 (status, "proofread") == 0)
    return up ? "approved" : "to-proofread";
  return up ? "proofread" : "to-proofread";
}

gboolean
galley_store_set_status (GalleyStore  *self,
                         gint64        article_id,
                         const char   *status,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (g_strcmp0 (status, "to-proofread") != 0 && g_strcmp0 (status, "proofread") != 0 &&
      g_strcmp0 (status, "approved") != 0)
    {
      g_set_error (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                   /* Translators: %s is what was given as a review status */
                   _("Unknown review status “%s”"), status);
      return FALSE;
    }
  if (galley_store_is_read_only (self))
    {
      g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_READ_ONLY,
                           _("The archive is read-only; nothing was changed"));
      return FALSE;
    }
  stmt = galley_store_prepare (self,
                               "UPDATE articles SET status = ?, modified_at = ? WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  galley_store_bind_text (stmt, 1, status);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 3, article_id);
  if (!galley_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return galley_store_not_found (article_id, error);
  return TRUE;
}

/* Revisions */

void
galley_revision_free (GalleyRevision *revision)
{
  if (revision == NULL)
    return;
  g_free (revision->origin);
  g_clear_pointer (&revision->created, g_date_time_unref);
  g_free (revision->kicker);
  g_free (revision->title);
  g_free (revision->subtitle);
  g_free (revision->byline);
  g_free (revision->date);
  g_free (revision->body);
  g_free (revision);
}

/* An import revision's body is NULL until the article's changes (see the
 * schema's migration 7 -> 8): the article's OCR body or body. */
#define REVISION_BODY \
  "coalesce (r.body, CASE r.origin WHEN 'ocr' THEN a.body_original ELSE a.body END)"

GPtrArray *
galley_store_list_revisions (GalleyStore  *self,
                             gint64        article_id,
                             GError      **error)
{
  g_autoptr(GPtrArray) revisions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) galley_revision_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self,
                               "SELECT r.id, r.origin, r.created_at, r.kicker, r.title, r.subtitle,"
                               " r.byline, r.date, " REVISION_BODY " FROM revisions r"
                               " JOIN articles a ON a.id = r.article_id"
                               " WHERE r.article_id = ? ORDER BY r.id DESC",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, article_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GalleyRevision *r = g_new0 (GalleyRevision, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->origin = galley_store_column_dup (stmt, 1);
      r->created = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 2));
      r->kicker = galley_store_column_dup (stmt, 3);
      r->title = galley_store_column_dup (stmt, 4);
      r->subtitle = galley_store_column_dup (stmt, 5);
      r->byline = galley_store_column_dup (stmt, 6);
      r->date = galley_store_column_dup_nullable (stmt, 7);
      r->body = galley_store_column_dup (stmt, 8);
      g_ptr_array_add (revisions, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

gint64
galley_store_get_last_revision (GalleyStore  *self,
                                gint64        article_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), 0);

  stmt = galley_store_prepare (self, "SELECT max (id) FROM revisions WHERE article_id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, article_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    galley_store_set_error (self, rc, error);
  sqlite3_reset (stmt);
  if (id == 0 && rc == SQLITE_ROW)
    galley_store_not_found (article_id, error);
  return id;
}

static gboolean
restore_locked (GalleyStore  *self,
                gint64        article_id,
                gint64        revision_id,
                GError      **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  GalleyArticleFields f = { 0 };
  g_auto(Stored) r = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  if (!keep_import_changes (self, article_id, error))
    return FALSE;
  stmt = galley_store_prepare (self,
                               "SELECT r.kicker, r.title, r.subtitle, r.byline, r.date,"
                               " " REVISION_BODY ", r.changes FROM revisions r"
                               " JOIN articles a ON a.id = r.article_id"
                               " WHERE r.id = ? AND r.article_id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revision_id);
  sqlite3_bind_int64 (stmt, 2, article_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return galley_store_set_error (self, rc, error);
      g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_NOT_FOUND,
                           _("There is no such revision of this article"));
      return FALSE;
    }
  r.kicker = galley_store_column_dup (stmt, 0);
  r.title = galley_store_column_dup (stmt, 1);
  r.subtitle = galley_store_column_dup (stmt, 2);
  r.byline = galley_store_column_dup (stmt, 3);
  r.date = galley_store_column_dup_nullable (stmt, 4);
  r.body = galley_store_column_dup (stmt, 5);
  changes = parse_snapshot (sqlite3_column_type (stmt, 6) != SQLITE_NULL
                            ? (const char *) sqlite3_column_text (stmt, 6) : "");
  sqlite3_reset (stmt);

  /* Put the changes back as they were, under new ids. */
  stmt = galley_store_prepare (self, "DELETE FROM changes WHERE article_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, article_id);
  if (!galley_store_step_done (self, stmt, error))
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    if (!insert_change (self, article_id, i, g_ptr_array_index (changes, i), error))
      return FALSE;

  fields_from_stored (&f, &r);
  return save_locked (self, article_id, &f, changes, TRUE, error);
}

gboolean
galley_store_restore_revision (GalleyStore  *self,
                               gint64        article_id,
                               gint64        revision_id,
                               GError      **error)
{
  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  return in_transaction (self, restore_locked (self, article_id, revision_id, error), error);
}

/* Find and replace */

void
galley_hit_free (GalleyHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->title);
  g_free (hit->before);
  g_free (hit->match);
  g_free (hit->after);
  g_free (hit->replacement);
  g_free (hit);
}

static GRegex *
make_regex (const char  *pattern,
            gboolean     regex,
            GError     **error)
{
  g_autofree char *escaped = NULL;

  if (pattern == NULL || pattern[0] == '\0')
    {
      g_set_error_literal (error, G_REGEX_ERROR, G_REGEX_ERROR_COMPILE, _("Nothing to find"));
      return NULL;
    }
  if (!regex)
    pattern = escaped = g_regex_escape_string (pattern, -1);
  return g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_MULTILINE, 0, error);
}

static char *
context (const char *text,
         gsize       from,
         gsize       to,
         gboolean    backwards)
{
  const char *p;
  guint n = 0;

  if (backwards)
    {
      for (p = text + to; p > text + from && n < 12 && p[-1] != '\n'; n++)
        p = g_utf8_prev_char (p);
      return g_strndup (p, text + to - p);
    }
  for (p = text + from; p < text + to && n < 12 && *p != '\n'; n++)
    p = g_utf8_next_char (p);
  return g_strndup (text + from, p - (text + from));
}

/* The text of a field of a stored article. */
static char **
stored_field (Stored      *s,
              GalleyField  field)
{
  switch (field)
    {
    case GALLEY_FIELD_KICKER:
      return &s->kicker;
    case GALLEY_FIELD_TITLE:
      return &s->title;
    case GALLEY_FIELD_SUBTITLE:
      return &s->subtitle;
    case GALLEY_FIELD_BYLINE:
      return &s->byline;
    case GALLEY_FIELD_BODY:
    default:
      return &s->body;
    }
}

typedef gboolean (*HitFunc) (gint64       id,
                             const char  *title,
                             GalleyField  field,
                             const char  *text,
                             GMatchInfo  *match,
                             gpointer     data);

/* Runs func on every match in the archive, in list order. */
static gboolean
scan_archive (GalleyStore  *self,
              GRegex       *regex,
              gboolean      plain,
              const char   *pattern,
              HitFunc       func,
              gpointer      data,
              GCancellable *cancellable,
              GError      **error)
{
  g_autoptr(GArray) ids = NULL;
  sqlite3_stmt *stmt;

  /* Plain text narrows the scan down in SQL first. */
  stmt = galley_store_prepare (self,
                               plain ? "SELECT id FROM articles WHERE instr (title, ?1) OR"
                                       " instr (body, ?1) OR instr (kicker, ?1) OR"
                                       " instr (subtitle, ?1) OR instr (byline, ?1)"
                                       " ORDER BY source_id, position"
                                     : "SELECT id FROM articles WHERE ?1 IS NOT NULL"
                                       " ORDER BY source_id, position",
                               error);
  if (stmt == NULL)
    return FALSE;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  galley_store_bind_text (stmt, 1, pattern);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_auto(Stored) s = { 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!load_stored (self, id, &s, error))
        return FALSE;
      for (int field = GALLEY_FIELD_KICKER; field <= GALLEY_FIELD_BODY; field++)
        {
          const char *text = *stored_field (&s, field);
          g_autoptr(GMatchInfo) match = NULL;

          g_regex_match (regex, text, 0, &match);
          while (g_match_info_matches (match))
            {
              int start, end;

              g_match_info_fetch_pos (match, 0, &start, &end);
              if (end > start && !func (id, s.title, field, text, match, data))
                return TRUE;
              if (!g_match_info_next (match, NULL))
                break;
            }
        }
    }
  return TRUE;
}

typedef struct {
  GPtrArray  *hits;
  const char *replacement;
  guint       max;
} FindData;

static gboolean
add_hit (gint64       id,
         const char  *title,
         GalleyField  field,
         const char  *text,
         GMatchInfo  *match,
         gpointer     data)
{
  FindData *find = data;
  GalleyHit *hit = g_new0 (GalleyHit, 1);
  int start, end;

  g_match_info_fetch_pos (match, 0, &start, &end);
  hit->article_id = id;
  hit->field = field;
  hit->start = start;
  hit->end = end;
  hit->title = g_strdup (title);
  hit->before = context (text, 0, start, TRUE);
  hit->match = g_strndup (text + start, end - start);
  hit->after = context (text, end, strlen (text), FALSE);
  hit->replacement = g_match_info_expand_references (match, find->replacement, NULL);
  if (hit->replacement == NULL)
    hit->replacement = g_strdup ("");
  g_ptr_array_add (find->hits, hit);
  return find->max == 0 || find->hits->len < find->max;
}

GPtrArray *
galley_store_find (GalleyStore   *self,
                   const char    *pattern,
                   gboolean       regex,
                   const char    *replacement,
                   guint          max_hits,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GRegex) re = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_hit_free);
  FindData data = { hits, replacement != NULL ? replacement : "", max_hits };
  gboolean ok;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  if ((re = make_regex (pattern, regex, error)) == NULL)
    return NULL;
  if (regex && !g_regex_check_replacement (data.replacement, NULL, error))
    return NULL;
  if (!regex)
    {
      /* Plain text: the replacement is literal too. */
      g_autoptr(GString) literal = g_string_new (data.replacement);

      g_string_replace (literal, "\\", "\\\\", 0);
      data.replacement = g_string_free (g_steal_pointer (&literal), FALSE);
    }
  ok = scan_archive (self, re, !regex, pattern, add_hit, &data, cancellable, error);
  if (!regex)
    g_free ((char *) data.replacement);
  return ok ? g_steal_pointer (&hits) : NULL;
}

static gboolean
replace_in_article (GalleyStore  *self,
                    gint64        id,
                    GPtrArray    *hits,
                    guint         first,
                    guint         last,
                    GArray       *undo,
                    GError      **error)
{
  g_auto(Stored) s = { 0 };
  g_autoptr(GPtrArray) changes = NULL;
  GalleyArticleFields f;
  gint64 before;

  if (!load_stored (self, id, &s, error) ||
      (changes = galley_store_get_changes (self, id, error)) == NULL ||
      (before = galley_store_get_last_revision (self, id, error)) == 0)
    return FALSE;
  /* Backwards, so that earlier spans stay valid; only the body has
   * tracked changes. */
  for (guint i = last; i-- > first;)
    {
      GalleyHit *hit = g_ptr_array_index (hits, i);
      char **text = stored_field (&s, hit->field);
      g_autoptr(GString) replaced = g_string_new (*text);

      galley_tracked_changes_replace (replaced, hit->field == GALLEY_FIELD_BODY ? changes : NULL,
                                      hit->start, hit->end, hit->replacement);
      g_free (*text);
      *text = g_string_free (g_steal_pointer (&replaced), FALSE);
    }
  fields_from_stored (&f, &s);
  g_array_append_val (undo, id);
  g_array_append_val (undo, before);
  return save_locked (self, id, &f, changes, FALSE, error);
}

GArray *
galley_store_replace_all (GalleyStore   *self,
                          const char    *pattern,
                          gboolean       regex,
                          const char    *replacement,
                          guint         *n_replaced,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GArray) undo = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint first = 0;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  if (!galley_store_begin (self, error))
    return NULL;
  if ((hits = galley_store_find (self, pattern, regex, replacement, 0, cancellable, error)) == NULL)
    {
      galley_store_rollback (self);
      return NULL;
    }
  for (guint i = 1; i <= hits->len; i++)
    {
      GalleyHit *a = g_ptr_array_index (hits, first);

      if (i < hits->len && ((GalleyHit *) g_ptr_array_index (hits, i))->article_id == a->article_id)
        continue;
      if (!replace_in_article (self, a->article_id, hits, first, i, undo, error))
        {
          galley_store_rollback (self);
          return NULL;
        }
      first = i;
    }
  if (!galley_store_commit (self, error))
    return NULL;
  if (n_replaced != NULL)
    *n_replaced = hits->len;
  return g_steal_pointer (&undo);
}

gboolean
galley_store_undo_replace (GalleyStore  *self,
                           GArray       *undo,
                           GError      **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL && undo->len % 2 == 0, FALSE);

  if (!galley_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < undo->len; i += 2)
    ok = restore_locked (self, g_array_index (undo, gint64, i),
                         g_array_index (undo, gint64, i + 1), error);
  return in_transaction (self, ok, error);
}

/* Known corrections */

gboolean
galley_store_add_known_correction (GalleyStore  *self,
                                   const char   *wrong,
                                   const char   *right,
                                   GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  if (wrong == NULL || wrong[0] == '\0' || right == NULL || g_strcmp0 (wrong, right) == 0)
    {
      g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED,
                           _("A correction needs a wrong text and a different right one"));
      return FALSE;
    }
  stmt = galley_store_prepare (self,
                               "INSERT INTO known_corrections (wrong, right, created_at)"
                               " VALUES (?, ?, ?) ON CONFLICT (wrong) DO UPDATE SET"
                               " right = excluded.right",
                               error);
  if (stmt == NULL)
    return FALSE;
  galley_store_bind_text (stmt, 1, wrong);
  galley_store_bind_text (stmt, 2, right);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  return galley_store_step_done (self, stmt, error);
}

gboolean
galley_store_remove_known_correction (GalleyStore  *self,
                                      const char   *wrong,
                                      GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);

  stmt = galley_store_prepare (self, "DELETE FROM known_corrections WHERE wrong = ?", error);
  if (stmt == NULL)
    return FALSE;
  galley_store_bind_text (stmt, 1, wrong);
  return galley_store_step_done (self, stmt, error);
}

GStrv
galley_store_list_known_corrections (GalleyStore  *self,
                                     GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (GALLEY_IS_STORE (self), NULL);

  stmt = galley_store_prepare (self, "SELECT wrong, right FROM known_corrections ORDER BY wrong",
                               error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      galley_store_set_error (self, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gboolean
galley_store_load_known_corrections (GalleyStore       *self,
                                     GalleyConfusions  *confusions,
                                     GError           **error)
{
  g_auto(GStrv) pairs = NULL;

  g_return_val_if_fail (GALLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (confusions != NULL, FALSE);

  if ((pairs = galley_store_list_known_corrections (self, error)) == NULL)
    return FALSE;
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    galley_confusions_add_known (confusions, pairs[i], pairs[i + 1]);
  return TRUE;
}
