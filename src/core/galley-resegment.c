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
  guint n = 0;

  if (text == NULL ||
      (slices = galley_store_list_source_articles (store, source_id, error)) == NULL)
    return -1;

  for (guint i = 0; i < slices->len; i++)
    {
      GalleyStoredSlice *slice = g_ptr_array_index (slices, i);

      if (slice->edited)
        g_ptr_array_add (kept, g_steal_pointer (&g_ptr_array_index (slices, i)));
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
      n++;
    }
  if (!galley_store_renumber_source (store, source_id, error))
    return -1;
  return n + kept->len;
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
