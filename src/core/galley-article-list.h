/* galley-article-list.h: a lazy list model over the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "galley-article.h"
#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_ARTICLE_LIST (galley_article_list_get_type ())

G_DECLARE_FINAL_TYPE (GalleyArticleList, galley_article_list, GALLEY, ARTICLE_LIST, GObject)

/* Holds only the ids of the articles the query lists; a GalleyArticle is
 * made when a row asks for it, so 100,000 articles cost 800 KB. */
GalleyArticleList *galley_article_list_new     (GalleyStore              *store);
/* Runs the query again (on the calling thread) and tells the views. */
gboolean           galley_article_list_reload  (GalleyArticleList        *self,
                                                const GalleyArticleQuery *query,
                                                GError                  **error);
/* Replaces the ids (e.g. from a query run in a worker thread). Takes ids. */
void               galley_article_list_set_ids (GalleyArticleList        *self,
                                                GArray                   *ids);
/* Drops the cached row of this article so that it is loaded again. */
void               galley_article_list_refresh (GalleyArticleList        *self,
                                                gint64                    id);
/* The position of an article, or G_MAXUINT. */
guint              galley_article_list_find    (GalleyArticleList        *self,
                                                gint64                    id);

G_END_DECLS
