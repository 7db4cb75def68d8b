/* galley-resegment.c: split an imported page into articles again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-resegment"

#include "galley-resegment.h"
#include "galley-segment.h"

static gboolean
overlaps_kept (const GalleySegment *segment,
               GPtrArray           *kept)
{
  for (guint i = 0; i < kept->len; i++)
    {
      const GalleyStoredSlice *slice = g_ptr_array_index (kept, i);

      if (segment->start < slice->end && slice->start < segment->end)
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  gsize start;
  gsize end;
} Span;

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* Adds the articles of text[start, end), a stretch of the page that no
 * article holds, segmented on its own; returns how many. */
static gint
add_stretch (GalleyStore               *store,
             gint64                     source_id,
             const char                *text,
             Span                       stretch,
             const char                *name,
             int                        year,
             const GalleyImportOptions *options,
             GError                   **error)
{
  g_autoptr(GalleyPage) page = NULL;
  gsize i = stretch.start;
  gint n = 0;

  while (i < stretch.end && g_ascii_isspace (text[i]))
    i++;
  if (i == stretch.end)
    return 0; /* blank: nothing to hold */
  page = galley_segment_page (text + stretch.start, stretch.end - stretch.start, name, year);
  for (guint k = 0; k < page->segments->len; k++)
    {
      GalleySegment *segment = g_ptr_array_index (page->segments, k);
      g_autoptr(GalleyCleanResult) clean = NULL;

      segment->start += stretch.start;
      segment->end += stretch.start;
      for (guint l = 0; l < segment->lines->len; l++)
        {
          g_array_index (segment->lines, GalleyLine, l).start += stretch.start;
          g_array_index (segment->lines, GalleyLine, l).end += stretch.start;
        }
      clean = galley_clean (segment->body, -1, options->rules, options->confusions);
      if (galley_store_add_article (store, source_id, G_MAXINT, segment, clean, error) == 0)
        return -1;
      n++;
    }
  return n;
}

/* A new article that overlaps a kept one is left out, and the part of it
 * outside the kept one (the second half of a split, say) would be in no
 * article: the stretches of the page between the articles (spans) become
 * articles of their own. Returns how many it added. */
static gint
fill_gaps (GalleyStore               *store,
           gint64                     source_id,
           const char                *text,
           const char                *name,
           int                        year,
           GArray                    *spans,
           const GalleyImportOptions *options,
           GError                   **error)
{
  gsize len = strlen (text), covered = 0;
  gint n = 0;

  g_array_sort (spans, compare_spans);
  for (guint i = 0; i <= spans->len; i++)
    {
      gsize next = i < spans->len ? g_array_index (spans, Span, i).start : len;
      gint added;

      if (next > covered)
        {
          added = add_stretch (store, source_id, text, (Span) { covered, next }, name, year,
                               options, error);
          if (added < 0)
            return -1;
          n += added;
        }
      if (i < spans->len)
        covered = MAX (covered, g_array_index (spans, Span, i).end);
    }
  return n;
}

static gint
resegment (GalleyStore               *store,
           gint64                     source_id,
           const GalleyImportOptions *options,
           GPtrArray                 *kept,
           GError                   **error)
{
  g_autofree char *name = NULL;
  g_autofree char *text = galley_store_dup_source_text (store, source_id, &name, error);
  g_autoptr(GPtrArray) slices = NULL;
  g_autoptr(GalleyPage) page = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  gint n = 0, added;

  if (text == NULL ||
      (slices = galley_store_list_source_articles (store, source_id, error)) == NULL)
    return -1;

  for (guint i = 0; i < slices->len; i++)
    {
      GalleyStoredSlice *slice = g_ptr_array_index (slices, i);

      if (slice->edited)
        {
          Span span = { slice->start, slice->end };

          g_array_append_val (spans, span);
          g_ptr_array_add (kept, g_steal_pointer (&g_ptr_array_index (slices, i)));
        }
      else if (!galley_store_delete_article (store, slice->id, error))
        return -1;
    }

  page = galley_segment_page (text, -1, name, options->year);
  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *segment = g_ptr_array_index (page->segments, i);
      g_autoptr(GalleyCleanResult) clean = NULL;

      if (overlaps_kept (segment, kept))
        continue;
      clean = galley_clean (segment->body, -1, options->rules, options->confusions);
      if (galley_store_add_article (store, source_id, i, segment, clean, error) == 0)
        return -1;
      g_array_append_val (spans, ((Span) { segment->start, segment->end }));
      n++;
    }
  if ((added = fill_gaps (store, source_id, text, name, page->year, spans, options, error)) < 0 ||
      !galley_store_renumber_source (store, source_id, error))
    return -1;
  return n + added + kept->len;
}

gint
galley_resegment_source (GalleyStore               *store,
                         gint64                     source_id,
                         const GalleyImportOptions *options,
                         GPtrArray                **kept,
                         GError                   **error)
{
  g_autoptr(GPtrArray) kept_slices =
    g_ptr_array_new_with_free_func ((GDestroyNotify) galley_stored_slice_free);
  gint n;

  g_return_val_if_fail (GALLEY_IS_STORE (store), -1);
  g_return_val_if_fail (options != NULL, -1);

  if (!galley_store_begin (store, error))
    return -1;
  n = resegment (store, source_id, options, kept_slices, error);
  if (n < 0 || !galley_store_commit (store, error))
    {
      galley_store_rollback (store);
      return -1;
    }
  if (kept != NULL)
    *kept = g_steal_pointer (&kept_slices);
  return n;
}
