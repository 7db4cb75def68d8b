/* galley-article-view.h: the article editor: fields, body with the
 * clean-up's changes to review, status, autosave
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "galley-clean.h"
#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_ARTICLE_VIEW (galley_article_view_get_type ())

G_DECLARE_FINAL_TYPE (GalleyArticleView, galley_article_view, GALLEY, ARTICLE_VIEW, GtkWidget)

/* Signals:
 *   article-changed (gint64 id): the article was saved (text, fields,
 *     changes or status), so the list can show its new state.
 *   correction-made (const char *wrong, const char *right): the editor
 *     corrected a few characters, or accepted a suggested reading; the
 *     window may offer to correct it elsewhere too.
 *   message (const char *text): something to tell the user (a toast). */

void     galley_article_view_set_store   (GalleyArticleView *self,
                                          GalleyStore       *store);
/* Saves the article shown (if it changed), then shows another one, or
 * none with id 0. Returns FALSE with error set when the article could not
 * be loaded. */
gboolean galley_article_view_set_article (GalleyArticleView *self,
                                          gint64             id,
                                          GError           **error);
gint64   galley_article_view_get_article (GalleyArticleView *self);
/* Reads the article again from the archive (after a change made elsewhere). */
void     galley_article_view_reload      (GalleyArticleView *self);
/* Saves now what autosave would save in a moment. */
gboolean galley_article_view_save        (GalleyArticleView *self,
                                          GError           **error);
void     galley_article_view_focus_body  (GalleyArticleView *self);
/* The body's font, as a Pango font description string; NULL or "" for the default. */
/* The clean-up rules for text that a split or a new title cleans again. */
void     galley_article_view_set_clean_rules (GalleyArticleView *self,
                                              GalleyRule         rules);
void     galley_article_view_set_font    (GalleyArticleView *self,
                                          const char        *font);

G_END_DECLS
