/* galley-sidebar.c: the selected article's details and tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-sidebar"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "galley-article.h"
#include "galley-sidebar.h"

struct _GalleySidebar
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkWidget    *info_group;
  AdwActionRow *source_row;
  AdwActionRow *position_row;
  AdwActionRow *date_row;
  AdwActionRow *status_row;
  AdwActionRow *changes_row;
  AdwActionRow *tags_row;
  AdwActionRow *encoding_row;
  AdwActionRow *imported_row;

  /* Owned */
  GalleyStore  *store;
};

G_DEFINE_FINAL_TYPE (GalleySidebar, galley_sidebar, GTK_TYPE_WIDGET)

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && value[0] != '\0' ? value : "—");
}

gboolean
galley_sidebar_set_article (GalleySidebar  *self,
                            gint64          id,
                            GError        **error)
{
  g_autoptr(GalleyArticleData) article = NULL;
  g_autoptr(GDateTime) imported = NULL;
  g_autofree char *source = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *position = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *imported_text = NULL;
  guint n_pending = 0;

  g_return_val_if_fail (GALLEY_IS_SIDEBAR (self), FALSE);

  if (id == 0 || self->store == NULL ||
      (article = galley_store_get_article (self->store, id, TRUE, error)) == NULL ||
      !galley_store_get_source_info (self->store, id, &source, &encoding, &imported, error))
    {
      gtk_widget_set_visible (self->info_group, FALSE);
      return id == 0;
    }

  for (guint i = 0; i < article->change_states->len; i++)
    if (g_array_index (article->change_states, GalleyChangeState, i) == GALLEY_CHANGE_PENDING)
      n_pending++;
  /* Translators: article N on its page */
  position = g_strdup_printf (_("No. %u"), article->position + 1);
  pending = g_strdup_printf ("%u", n_pending);
  tags = g_strjoinv (_(", "), article->tags);
  /* Translators: a date and time format, see g_date_time_format() */
  imported_text = g_date_time_format (imported, _("%Y-%m-%d %H:%M"));

  set_row (self->source_row, article->source_file);
  set_row (self->position_row, position);
  set_row (self->date_row, article->date != NULL ? article->date : _("Not known"));
  set_row (self->status_row, galley_status_get_label (article->status));
  set_row (self->changes_row, pending);
  set_row (self->tags_row, tags);
  set_row (self->encoding_row, encoding);
  set_row (self->imported_row, imported_text);
  gtk_widget_set_visible (self->info_group, TRUE);
  return TRUE;
}

void
galley_sidebar_set_store (GalleySidebar *self,
                          GalleyStore   *store)
{
  g_return_if_fail (GALLEY_IS_SIDEBAR (self));

  g_set_object (&self->store, store);
  galley_sidebar_set_article (self, 0, NULL);
}

static void
galley_sidebar_dispose (GObject *object)
{
  GalleySidebar *self = GALLEY_SIDEBAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_sidebar_parent_class)->dispose (object);
}

static void
galley_sidebar_class_init (GalleySidebarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_sidebar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-sidebar.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, GalleySidebar, name)
  BIND (info_group);
  BIND (source_row);
  BIND (position_row);
  BIND (date_row);
  BIND (status_row);
  BIND (changes_row);
  BIND (tags_row);
  BIND (encoding_row);
  BIND (imported_row);
#undef BIND
}

static void
galley_sidebar_init (GalleySidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
