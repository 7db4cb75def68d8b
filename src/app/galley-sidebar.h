/* galley-sidebar.h: the selected article's details and tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "galley-store.h"
#include "galley-suggest.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_SIDEBAR (galley_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (GalleySidebar, galley_sidebar, GALLEY, SIDEBAR, GtkWidget)

/* The suggester (may be NULL) gives the suggestions and learns when the
 * sidebar changes tags. Signals: "tags-changed" after the user changed
 * tags, "filter-tag" (tag name) when they ask for a tag's articles. */
void     galley_sidebar_set_store    (GalleySidebar   *self,
                                      GalleyStore     *store,
                                      GalleySuggester *suggester);
/* Shows an article's tags and details, or nothing with id 0. */
gboolean galley_sidebar_set_article  (GalleySidebar   *self,
                                      gint64           id,
                                      GError         **error);
/* Several selected articles: their tags together, tagging them all; the
 * details of the first. */
gboolean galley_sidebar_set_articles (GalleySidebar   *self,
                                      const gint64    *ids,
                                      guint            n_ids,
                                      GError         **error);
/* The article was saved elsewhere (the editor): its details show the new
 * state (changes left to review, status). */
void     galley_sidebar_article_changed (GalleySidebar *self,
                                         gint64         id);
/* The taxonomy changed elsewhere (taxonomy editor, bulk tagging). */
void     galley_sidebar_reload_tags  (GalleySidebar   *self);

G_END_DECLS
