/* galley-article-view.h: the selected article
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_ARTICLE_VIEW (galley_article_view_get_type ())

G_DECLARE_FINAL_TYPE (GalleyArticleView, galley_article_view, GALLEY, ARTICLE_VIEW, GtkWidget)

void     galley_article_view_set_store   (GalleyArticleView *self,
                                          GalleyStore       *store);
/* Shows an article, or none with id 0. Returns FALSE with error set when
 * the article could not be loaded. */
gboolean galley_article_view_set_article (GalleyArticleView *self,
                                          gint64             id,
                                          GError           **error);
gint64   galley_article_view_get_article (GalleyArticleView *self);

G_END_DECLS
