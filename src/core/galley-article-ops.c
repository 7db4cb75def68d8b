/* galley-article-ops.c: split, merge, line to title
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-ops"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "galley-article-ops.h"
#include "galley-store-edit.h"
#include "galley-store-pages.h"

/* Everything an operation needs to know of one article. */
typedef struct {
  gint64             id;
  gint64             source_id;
  gsize              start;
  gsize              end;
  char              *body_original;
  char              *page;
  GalleyArticleData *data;
  GPtrArray         *changes;  /* of GalleyTrackedChange* */
  GalleySegment     *segment;  /* NULL when the slice is no longer a segment */
  int                year;
} Loaded;

static void
loaded_clear (Loaded *l)
{
  g_free (l->body_original);
  g_free (l->page);
  g_clear_pointer (&l->data, galley_article_data_free);
  g_clear_pointer (&l->changes, g_ptr_array_unref);
  g_clear_pointer (&l->segment, galley_segment_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loaded, loaded_clear)

/* The segment of page[start, end) with this raw body: one segment of the
 * page as it splits, or a run of them merged. */
static GalleySegment *
rebuild_segment (const char *page,
                 const char *name,
                 int         year,
                 gsize       start,
                 gsize       end,
                 const char *body_original,
                 int        *page_year)
{
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, name, year);
  g_autoptr(GalleySegment) run = NULL;
  const GalleySegment *cur = NULL;
  guint first = 0;

  *page_year = p->year;
  for (guint i = 0; i < p->segments->len; i++)
    {
      const GalleySegment *s = g_ptr_array_index (p->segments, i);

      if (cur == NULL && s->start != start)
        continue;
      if (cur == NULL)
        first = i;
      else
        {
          GalleySegment *merged = galley_segment_merge (page, -1, cur, s, p->year);

          g_clear_pointer (&run, galley_segment_free);
          run = merged;
        }
      cur = run != NULL ? run : s;
      if (cur->end >= end)
        break;
    }
  if (cur == NULL || cur->end != end || g_strcmp0 (cur->body, body_original) != 0)
    return NULL;
  if (run != NULL)
    return g_steal_pointer (&run);
  return g_ptr_array_steal_index (p->segments, first);
}

static gboolean
load (GalleyStore               *store,
      gint64                     id,
      const GalleyImportOptions *options,
      Loaded                    *l,
      GError                   **error)
{
  g_autofree char *name = NULL;

  l->id = id;
  if (!galley_store_get_article_slice (store, id, &l->source_id, &l->start, &l->end,
                                       &l->body_original, error) ||
      (l->page = galley_store_dup_source_text (store, l->source_id, &name, error)) == NULL ||
      (l->data = galley_store_get_article (store, id, FALSE, error)) == NULL ||
      (l->changes = galley_store_get_changes (store, id, error)) == NULL)
    return FALSE;
  l->segment = rebuild_segment (l->page, name, options != NULL ? options->year : 0,
                                l->start, l->end, l->body_original, &l->year);
  return TRUE;
}

/* Whether the body is the raw body with the changes in their states. Not
 * when the changes' spans do not fit the raw body in order (a revision
 * from before a split or merge was restored). */
static gboolean
is_derived (const Loaded *l)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new ();
  g_autofree gboolean *accepted = g_new0 (gboolean, l->changes->len + 1);
  g_autofree char *text = NULL;
  gsize len = strlen (l->body_original), pos = 0;

  for (guint i = 0; i < l->changes->len; i++)
    {
      const GalleyTrackedChange *t = g_ptr_array_index (l->changes, i);

      if (t->change->orig_start < pos || t->change->orig_end < t->change->orig_start ||
          t->change->orig_end > len)
        return FALSE;
      pos = t->change->orig_end;
      g_ptr_array_add (changes, t->change);
      accepted[i] = t->change->kind == GALLEY_CHANGE_EDIT ? t->state != GALLEY_CHANGE_REJECTED
                                                           : t->state == GALLEY_CHANGE_ACCEPTED;
    }
  text = galley_clean_apply (l->body_original, changes, accepted);
  return g_strcmp0 (text, l->data->body) == 0;
}

/* The offset of the raw body that cursor (in the current body) stands for. */
static gsize
map_to_original (const Loaded *l,
                 gsize         cursor)
{
  gssize delta = 0;
  gsize raw;

  for (guint i = 0; i < l->changes->len; i++)
    {
      const GalleyChange *c = ((GalleyTrackedChange *) g_ptr_array_index (l->changes, i))->change;

      if (cursor <= c->clean_start)
        break;
      if (cursor < c->clean_end)
        return c->orig_start;
      delta = (gssize) c->orig_end - (gssize) c->clean_end;
    }
  raw = (gssize) cursor + delta < 0 ? 0 : cursor + delta;
  return MIN (raw, strlen (l->body_original));
}

/* The page offset of a raw body offset, through the segment's lines. */
static gsize
body_to_page (const GalleySegment *s,
              gsize                body_offset)
{
  gsize seen = 0;

  for (guint i = 0; i < s->lines->len; i++)
    {
      const GalleyLine *line = &g_array_index (s->lines, GalleyLine, i);

      if (line->role != GALLEY_LINE_BODY)
        continue;
      if (body_offset < seen + (line->end - line->start))
        return line->start + (body_offset - seen);
      seen += line->end - line->start;
    }
  return s->end;
}

/* The clean-up of a raw body as tracked changes; reviewed changes of the
 * article that are found again (orig spans shifted by orig_shift) get
 * their state back. */
static GPtrArray *
clean_tracked (const char                *raw,
               const GalleyImportOptions *options,
               GPtrArray                 *old,
               gssize                     orig_shift,
               GString                  **body)
{
  g_autoptr(GalleyCleanResult) clean = galley_clean (raw, -1, options->rules, options->confusions);
  GPtrArray *tracked = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);

  *body = g_string_new (clean->text);
  for (guint i = 0; i < clean->changes->len; i++)
    {
      GalleyTrackedChange *t = g_new0 (GalleyTrackedChange, 1);

      t->state = GALLEY_CHANGE_PENDING;
      t->change = galley_change_copy (g_ptr_array_index (clean->changes, i));
      g_ptr_array_add (tracked, t);
    }
  for (guint i = 0; orig_shift >= 0 && i < tracked->len; i++)
    {
      const GalleyChange *c = ((GalleyTrackedChange *) g_ptr_array_index (tracked, i))->change;

      for (guint j = 0; j < old->len; j++)
        {
          const GalleyTrackedChange *o = g_ptr_array_index (old, j);

          if (o->state != GALLEY_CHANGE_PENDING &&
              o->change->orig_start == c->orig_start + orig_shift &&
              o->change->orig_end == c->orig_end + orig_shift &&
              o->change->kind == c->kind &&
              g_strcmp0 (o->change->before, c->before) == 0 &&
              g_strcmp0 (o->change->after, c->after) == 0)
            {
              galley_tracked_changes_resolve (*body, tracked, i, o->state);
              break;
            }
        }
    }
  return tracked;
}

static void
fields_of (GalleyArticleFields     *f,
           const GalleyArticleData *d,
           const char              *body)
{
  f->kicker = d->kicker;
  f->title = d->title;
  f->subtitle = d->subtitle;
  f->byline = d->byline;
  f->date = d->date;
  f->body = body;
}

/* Drops pending changes whose span no longer holds their text. */
static void
drop_overwritten (GPtrArray  *changes,
                  const char *body)
{
  gsize len = strlen (body);

  for (guint i = changes->len; i-- > 0;)
    {
      const GalleyTrackedChange *t = g_ptr_array_index (changes, i);
      const GalleyChange *c = t->change;
      const char *expected = galley_tracked_change_expected (t, t->state);

      if (c->clean_end > len || c->clean_start > c->clean_end ||
          (t->state == GALLEY_CHANGE_PENDING &&
           (c->clean_end - c->clean_start != strlen (expected) ||
            memcmp (body + c->clean_start, expected, c->clean_end - c->clean_start) != 0)))
        g_ptr_array_remove_index (changes, i);
    }
}

static gboolean
set_error (GError    **error,
           const char *message)
{
  g_set_error_literal (error, GALLEY_STORE_ERROR, GALLEY_STORE_ERROR_FAILED, message);
  return FALSE;
}

static gboolean
finish (GalleyStore *store,
        gboolean     ok,
        GError     **error)
{
  if (ok && galley_store_commit (store, error))
    return TRUE;
  galley_store_rollback (store);
  return FALSE;
}

/* Split */

static gint64
split_segment (GalleyStore               *store,
               Loaded                    *l,
               gsize                      raw,
               const GalleyImportOptions *options,
               GError                   **error)
{
  g_autoptr(GalleySegment) a = NULL;
  g_autoptr(GalleySegment) b = NULL;
  g_autoptr(GPtrArray) tracked = NULL;
  g_autoptr(GalleyCleanResult) clean_b = NULL;
  g_autoptr(GString) body = NULL;
  GalleyArticleFields f;
  GalleyArticleSlice slice;
  gint64 id;

  if (!galley_segment_split (l->page, -1, l->segment, raw, l->year, &a, &b))
    return set_error (error, _("Place the cursor inside the text to split the article there"));

  tracked = clean_tracked (a->body, options, l->changes, 0, &body);
  slice = (GalleyArticleSlice) { a->start, a->end, a->body, a };
  fields_of (&f, l->data, body->str);
  if (!galley_store_rewrite_article (store, l->id, &slice, &f, tracked, error))
    return 0;

  clean_b = galley_clean (b->body, -1, options->rules, options->confusions);
  id = galley_store_add_article (store, l->source_id, l->data->position + 1, b,
                                 clean_b, error);
  if (id != 0 && g_str_has_suffix (l->body_original, b->body))
    {
      /* Reviewed changes of the second half keep their state. */
      g_autoptr(GPtrArray) tracked_b = NULL;
      g_autoptr(GString) body_b = NULL;
      gssize shift = strlen (l->body_original) - strlen (b->body);
      gboolean reviewed = FALSE;

      tracked_b = clean_tracked (b->body, options, l->changes, shift, &body_b);
      for (guint i = 0; i < tracked_b->len; i++)
        reviewed |= ((GalleyTrackedChange *) g_ptr_array_index (tracked_b, i))->state !=
                    GALLEY_CHANGE_PENDING;
      if (reviewed)
        {
          GalleyArticleFields fb = { b->kicker, b->title, b->subtitle, b->byline, b->date,
                                     body_b->str };

          if (!galley_store_rewrite_article (store, id, NULL, &fb, tracked_b, error))
            return 0;
        }
    }
  return id;
}

/* The changes of body[from, to), moved to start at 0 (one at `to` goes
 * with the text after it). */
static GPtrArray *
changes_between (GPtrArray *changes,
                 gsize      from,
                 gsize      to)
{
  GPtrArray *part = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);

  for (guint i = 0; i < changes->len; i++)
    {
      const GalleyTrackedChange *t = g_ptr_array_index (changes, i);

      if (t->change->clean_start >= from && t->change->clean_end <= to &&
          !(t->change->clean_start == to && to > from))
        {
          GalleyTrackedChange *copy = galley_tracked_change_copy (t);

          copy->id = 0;
          copy->change->clean_start -= from;
          copy->change->clean_end -= from;
          g_ptr_array_add (part, copy);
        }
    }
  return part;
}

static gint64
split_text (GalleyStore               *store,
            Loaded                    *l,
            gsize                      cursor,
            gsize                      raw,
            const GalleyImportOptions *options,
            GError                   **error)
{
  const char *body = l->data->body;
  gsize len = strlen (body), end_a = cursor, start_b = cursor;
  g_autoptr(GalleySegment) a = NULL;
  g_autoptr(GalleySegment) b = NULL;
  g_autoptr(GalleySegment) empty = g_new0 (GalleySegment, 1);
  g_autoptr(GPtrArray) changes_a = NULL;
  g_autoptr(GPtrArray) changes_b = NULL;
  g_autoptr(GalleyCleanResult) clean_b = g_new0 (GalleyCleanResult, 1);
  g_autofree char *text_a = NULL;
  GalleyArticleFields f;
  GalleyArticleSlice slice;
  const GalleySegment *second;
  gint64 id;

  /* The paragraph break at the cursor goes with neither half. */
  while (end_a > 0 && body[end_a - 1] == '\n')
    end_a--;
  while (start_b < len && body[start_b] == '\n')
    start_b++;
  if (end_a == 0 || start_b >= len)
    return set_error (error, _("Place the cursor inside the text to split the article there"));

  if (l->segment == NULL || raw == 0 ||
      !galley_segment_split (l->page, -1, l->segment, raw, l->year, &a, &b))
    {
      /* No place on the page to cut: the second half gets an empty slice. */
      g_clear_pointer (&a, galley_segment_free);
      g_clear_pointer (&b, galley_segment_free);
      empty->start = empty->end = l->end;
      empty->kicker = g_strdup ("");
      empty->title = g_strdup ("");
      empty->subtitle = g_strdup ("");
      empty->byline = g_strdup ("");
      empty->place = g_strdup ("");
      empty->reporters = g_new0 (char *, 1);
      empty->correspondents = g_new0 (char *, 1);
      empty->date_text = g_strdup ("");
      empty->captions = g_new0 (char *, 1);
      empty->intertitles = g_new0 (char *, 1);
      empty->body = g_strdup ("");
    }

  text_a = g_strndup (body, end_a);
  changes_a = changes_between (l->changes, 0, end_a);
  slice = (GalleyArticleSlice) { l->start, a != NULL ? a->end : l->end,
                                 a != NULL ? a->body : l->body_original, NULL };
  fields_of (&f, l->data, text_a);
  if (!galley_store_rewrite_article (store, l->id, &slice, &f, changes_a, error))
    return 0;

  /* The second half is added with its text, then given its changes. */
  second = b != NULL ? b : empty;
  clean_b->text = g_strdup (body + start_b);
  clean_b->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);
  id = galley_store_add_article (store, l->source_id, l->data->position + 1, second,
                                 clean_b, error);
  if (id == 0)
    return 0;
  changes_b = changes_between (l->changes, start_b, G_MAXSIZE); /* with those at the end */
  {
    GalleyArticleFields fb = { second->kicker, second->title, second->subtitle, second->byline,
                               second->date, clean_b->text };

    if (!galley_store_rewrite_article (store, id, NULL, &fb, changes_b, error))
      return 0;
  }
  (void) options;
  return id;
}

gint64
galley_article_split (GalleyStore               *store,
                      gint64                     id,
                      gsize                      cursor,
                      const GalleyImportOptions *options,
                      GError                   **error)
{
  g_auto(Loaded) l = { 0 };
  gint64 new_id = 0;

  g_return_val_if_fail (GALLEY_IS_STORE (store), 0);
  g_return_val_if_fail (options != NULL, 0);

  if (!galley_store_begin (store, error))
    return 0;
  if (load (store, id, options, &l, error))
    {
      gsize raw;

      cursor = MIN (cursor, strlen (l.data->body));
      raw = map_to_original (&l, cursor);
      if (l.segment != NULL && is_derived (&l))
        new_id = split_segment (store, &l, raw, options, error);
      else
        new_id = split_text (store, &l, cursor, raw, options, error);
    }
  if (!finish (store, new_id != 0 && galley_store_renumber_source (store, l.source_id, error),
               error))
    return 0;
  return new_id;
}

/* Merge */

gint64
galley_article_merge_next (GalleyStore  *store,
                           gint64        id,
                           GError      **error)
{
  g_auto(Loaded) l = { 0 };
  g_auto(Loaded) next = { 0 };
  g_autoptr(GPtrArray) slices = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(GString) raw = NULL;
  g_autoptr(GString) heads = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  GalleyArticleFields f;
  GalleyArticleSlice slice;
  gint64 next_id = 0;
  gsize body_shift, raw_shift;
  gboolean ok = FALSE;

  g_return_val_if_fail (GALLEY_IS_STORE (store), 0);

  if (!galley_store_begin (store, error))
    return 0;
  if (!load (store, id, NULL, &l, error) ||
      (slices = galley_store_list_source_articles (store, l.source_id, error)) == NULL)
    goto out;
  for (guint i = 0; i + 1 < slices->len; i++)
    if (((GalleyStoredSlice *) g_ptr_array_index (slices, i))->id == id)
      next_id = ((GalleyStoredSlice *) g_ptr_array_index (slices, i + 1))->id;
  if (next_id == 0)
    {
      set_error (error, _("This is the last article of its page; there is none to merge with"));
      goto out;
    }
  if (!load (store, next_id, NULL, &next, error))
    goto out;

  /* The second article's headline lines go into the text before its
   * body, as they stood on the page; those the first has the same (a
   * split copies the title) are not repeated. */
  heads = g_string_new (NULL);
  {
    const char *first[] = { l.data->kicker, l.data->title, l.data->subtitle, l.data->byline };
    const char *second[] = { next.data->kicker, next.data->title, next.data->subtitle, next.data->byline };

    for (guint i = 0; i < G_N_ELEMENTS (second); i++)
      if (second[i] != NULL && second[i][0] != '\0' && g_strcmp0 (first[i], second[i]) != 0)
        g_string_append_printf (heads, "%s\n", second[i]);
  }
  if (next.data->body[0] == '\0' && heads->len > 0)
    g_string_truncate (heads, heads->len - 1);

  body = g_string_new (l.data->body);
  if (body->len > 0 && (heads->len > 0 || next.data->body[0] != '\0'))
    g_string_append_c (body, '\n');
  g_string_append (body, heads->str);
  body_shift = body->len;
  g_string_append (body, next.data->body);
  raw = g_string_new (l.body_original);
  if (raw->len > 0 && raw->str[raw->len - 1] != '\n' && (heads->len > 0 || next.body_original[0] != '\0'))
    g_string_append_c (raw, '\n');
  g_string_append (raw, heads->str);
  raw_shift = raw->len;
  g_string_append (raw, next.body_original);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);
  for (guint i = 0; i < l.changes->len; i++)
    g_ptr_array_add (changes, galley_tracked_change_copy (g_ptr_array_index (l.changes, i)));
  for (guint i = 0; i < next.changes->len; i++)
    {
      GalleyTrackedChange *t = galley_tracked_change_copy (g_ptr_array_index (next.changes, i));

      t->change->clean_start += body_shift;
      t->change->clean_end += body_shift;
      t->change->orig_start += raw_shift;
      t->change->orig_end += raw_shift;
      g_ptr_array_add (changes, t);
    }

  slice = (GalleyArticleSlice) { l.start, next.end, raw->str, NULL };
  fields_of (&f, l.data, body->str);
  ok = galley_store_copy_tags (store, next_id, id, error) &&
       galley_store_delete_article (store, next_id, error) &&
       galley_store_rewrite_article (store, id, &slice, &f, changes, error) &&
       galley_store_renumber_source (store, l.source_id, error);
out:
  if (!finish (store, ok, error))
    return 0;
  return next_id;
}

/* Line to title */

static gboolean
line_to_title_text (GalleyStore  *store,
                    Loaded       *l,
                    gsize         cursor,
                    GError      **error)
{
  g_autoptr(GString) body = g_string_new (l->data->body);
  g_autofree char *title = NULL;
  gsize start = cursor, end = cursor;
  GalleyArticleFields f;

  while (start > 0 && body->str[start - 1] != '\n')
    start--;
  while (end < body->len && body->str[end] != '\n')
    end++;
  if (end == start)
    return set_error (error, _("Place the cursor on a line of text to make it the title"));
  title = g_strndup (body->str + start, end - start);
  /* The line and its line break go; the old title becomes the first line. */
  if (end < body->len)
    end++;
  else if (start > 0)
    start--;
  galley_tracked_changes_replace (body, l->changes, start, end, "");
  if (l->data->title[0] != '\0')
    {
      g_autofree char *line = g_strconcat (l->data->title, body->len > 0 ? "\n" : "", NULL);

      galley_tracked_changes_replace (body, l->changes, 0, 0, line);
    }
  drop_overwritten (l->changes, body->str);
  fields_of (&f, l->data, body->str);
  f.title = title;
  return galley_store_rewrite_article (store, l->id, NULL, &f, l->changes, error);
}

static gboolean
line_to_title_segment (GalleyStore               *store,
                       Loaded                    *l,
                       gsize                      raw,
                       const GalleyImportOptions *options,
                       GError                   **error)
{
  g_autoptr(GalleySegment) s = NULL;
  g_autoptr(GPtrArray) tracked = NULL;
  g_autoptr(GString) body = NULL;
  g_autofree char *title = NULL;
  GalleyArticleFields f;
  GalleyArticleSlice slice;

  /* The old title lines go back into the body first. */
  for (guint i = 0; i < l->segment->lines->len; i++)
    {
      const GalleyLine *line = &g_array_index (l->segment->lines, GalleyLine, i);
      const GalleySegment *from = s != NULL ? s : l->segment;
      GalleySegment *next;

      if (line->role != GALLEY_LINE_TITLE)
        continue;
      next = galley_segment_set_line_role (l->page, -1, from, line->start, GALLEY_LINE_BODY,
                                           l->year);
      g_clear_pointer (&s, galley_segment_free);
      s = next;
    }
  {
    const GalleySegment *from = s != NULL ? s : l->segment;
    gsize page_offset = body_to_page (l->segment, raw);
    GalleySegment *next = galley_segment_set_line_role (l->page, -1, from, page_offset,
                                                        GALLEY_LINE_TITLE, l->year);

    if (next == NULL || next->title[0] == '\0')
      {
        g_clear_pointer (&next, galley_segment_free);
        return set_error (error, _("Place the cursor on a line of text to make it the title"));
      }
    g_clear_pointer (&s, galley_segment_free);
    s = next;
  }

  tracked = clean_tracked (s->body, options, l->changes,
                           g_str_has_suffix (l->body_original, s->body)
                           ? (gssize) (strlen (l->body_original) - strlen (s->body)) : -1,
                           &body);
  {
    g_autoptr(GalleyCleanResult) headline = galley_clean_headline (s->title, -1, options->rules);

    title = g_strdup (headline->text);
  }
  slice = (GalleyArticleSlice) { l->start, l->end, s->body, s };
  fields_of (&f, l->data, body->str);
  f.title = title;
  return galley_store_rewrite_article (store, l->id, &slice, &f, tracked, error);
}

gboolean
galley_article_line_to_title (GalleyStore               *store,
                              gint64                     id,
                              gsize                      cursor,
                              const GalleyImportOptions *options,
                              GError                   **error)
{
  g_auto(Loaded) l = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (GALLEY_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (!galley_store_begin (store, error))
    return FALSE;
  if (load (store, id, options, &l, error))
    {
      cursor = MIN (cursor, strlen (l.data->body));
      if (l.segment != NULL && is_derived (&l))
        ok = line_to_title_segment (store, &l, map_to_original (&l, cursor), options, error);
      else
        ok = line_to_title_text (store, &l, cursor, error);
    }
  return finish (store, ok, error);
}
