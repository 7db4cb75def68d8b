/* galley-article-view.c: the selected article
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-article-view"

#include <glib/gi18n.h>

#include "galley-article-view.h"
#include "galley-ui-util.h"

struct _GalleyArticleView
{
  GtkWidget    parent_instance;

  /* Template widgets */
  GtkStack    *detail_stack;
  GtkLabel    *kicker_label;
  GtkLabel    *title_label;
  GtkLabel    *subtitle_label;
  GtkLabel    *byline_label;
  GtkTextView *body_view;

  /* Owned */
  GalleyStore *store;
  gint64       article_id;
};

G_DEFINE_FINAL_TYPE (GalleyArticleView, galley_article_view, GTK_TYPE_WIDGET)

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

gboolean
galley_article_view_set_article (GalleyArticleView  *self,
                                 gint64              id,
                                 GError            **error)
{
  g_autoptr(GalleyArticleData) article = NULL;

  g_return_val_if_fail (GALLEY_IS_ARTICLE_VIEW (self), FALSE);

  self->article_id = 0;
  if (id == 0 || self->store == NULL ||
      (article = galley_store_get_article (self->store, id, FALSE, error)) == NULL)
    {
      galley_stack_show_page (self->detail_stack, "none");
      return id == 0;
    }

  self->article_id = id;
  set_label (self->kicker_label, article->kicker);
  set_label (self->title_label, article->title);
  set_label (self->subtitle_label, article->subtitle);
  set_label (self->byline_label, article->byline);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), article->body, -1);
  galley_stack_show_page (self->detail_stack, "article");
  return TRUE;
}

gint64
galley_article_view_get_article (GalleyArticleView *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE_VIEW (self), 0);
  return self->article_id;
}

void
galley_article_view_set_store (GalleyArticleView *self,
                               GalleyStore       *store)
{
  g_return_if_fail (GALLEY_IS_ARTICLE_VIEW (self));

  g_set_object (&self->store, store);
  galley_article_view_set_article (self, 0, NULL);
}

static void
galley_article_view_dispose (GObject *object)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_ARTICLE_VIEW);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_article_view_parent_class)->dispose (object);
}

static void
galley_article_view_class_init (GalleyArticleViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_article_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-article-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, kicker_label);
  gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, title_label);
  gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, byline_label);
  gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, body_view);
}

static void
galley_article_view_init (GalleyArticleView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
