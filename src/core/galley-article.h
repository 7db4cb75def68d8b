/* galley-article.h: one row of the article list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_ARTICLE (galley_article_get_type ())

G_DECLARE_FINAL_TYPE (GalleyArticle, galley_article, GALLEY, ARTICLE, GObject)

/* The translated name of a review status ("to-proofread", "proofread", "approved"). */
const char    *galley_status_get_label    (const char *status);

/* Takes the strings of summary; summary is cleared. */
GalleyArticle *galley_article_new_take    (GalleyArticleSummary *summary);
gint64         galley_article_get_id      (GalleyArticle *self);
const char    *galley_article_get_title   (GalleyArticle *self);
const char    *galley_article_get_kicker  (GalleyArticle *self);
const char    *galley_article_get_source_name (GalleyArticle *self);
const char    *galley_article_get_date    (GalleyArticle *self);
const char    *galley_article_get_status  (GalleyArticle *self);
guint          galley_article_get_pending (GalleyArticle *self);

G_END_DECLS
