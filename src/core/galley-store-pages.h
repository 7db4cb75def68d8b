/* galley-store-pages.h: the articles of one imported page, for re-segmenting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "galley-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  gsize     start;   /* the article's slice of the page */
  gsize     end;
  gboolean  edited;  /* an editor changed, reviewed or tagged it */
  char     *title;
} GalleyStoredSlice;

void       galley_stored_slice_free            (GalleyStoredSlice *slice);

/* The page text and file name of a source. */
char      *galley_store_dup_source_text        (GalleyStore  *self,
                                                gint64        source_id,
                                                char        **name,
                                                GError      **error);
/* The articles of a source in page order (GalleyStoredSlice*). */
GPtrArray *galley_store_list_source_articles   (GalleyStore  *self,
                                                gint64        source_id,
                                                GError      **error);
gboolean   galley_store_delete_article         (GalleyStore  *self,
                                                gint64        id,
                                                GError      **error);
/* Every imported page file, by name: their ids in ids (gint64), the
 * returned strv their names in the same order. */
GStrv      galley_store_list_sources           (GalleyStore  *self,
                                                GArray      **ids,
                                                GError      **error);
/* Numbers the articles of a source 0, 1, … in page order (by their slices). */
gboolean   galley_store_renumber_source        (GalleyStore  *self,
                                                gint64        source_id,
                                                GError      **error);

/* Where an article comes from: its source, its slice of the page and its
 * raw OCR body. body_original may be NULL when not wanted. */
gboolean   galley_store_get_article_slice      (GalleyStore  *self,
                                                gint64        id,
                                                gint64       *source_id,
                                                gsize        *start,
                                                gsize        *end,
                                                char        **body_original,
                                                GError      **error);
/* Gives article `to` the tags of article `from` it does not have yet. */
gboolean   galley_store_copy_tags              (GalleyStore  *self,
                                                gint64        from,
                                                gint64        to,
                                                GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyStoredSlice, galley_stored_slice_free)

G_END_DECLS
