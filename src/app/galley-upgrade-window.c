/* galley-upgrade-window.c: shown while an older archive is brought up to date
 *
 * The application opens (and so migrates) the archive in a worker thread;
 * this window only says so, with a spinner, until the main window comes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-upgrade-window"

#include <glib/gi18n.h>

#include "galley-upgrade-window.h"

struct _GalleyUpgradeWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwStatusPage        *status_page;
};

G_DEFINE_FINAL_TYPE (GalleyUpgradeWindow, galley_upgrade_window, ADW_TYPE_APPLICATION_WINDOW)

static void
galley_upgrade_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GALLEY_TYPE_UPGRADE_WINDOW);
  G_OBJECT_CLASS (galley_upgrade_window_parent_class)->dispose (object);
}

static void
galley_upgrade_window_class_init (GalleyUpgradeWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_upgrade_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-upgrade-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyUpgradeWindow, status_page);
}

static void
galley_upgrade_window_init (GalleyUpgradeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GalleyUpgradeWindow *
galley_upgrade_window_new (GtkApplication *application,
                           const char     *database)
{
  GalleyUpgradeWindow *self;
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (database != NULL, NULL);

  self = g_object_new (GALLEY_TYPE_UPGRADE_WINDOW, "application", application, NULL);
  name = g_filename_display_basename (database);
  escaped = g_markup_escape_text (name, -1);
  /* Translators: %s is the archive's file name */
  description = g_strdup_printf (_("“%s” was made by an earlier version of Galley and is "
                                   "brought up to date once; on a large archive this takes a "
                                   "minute or so. A backup copy of it as it was is kept in the "
                                   "same folder. Closing this window stops the update and "
                                   "leaves the archive as it was."),
                                 escaped);
  adw_status_page_set_description (self->status_page, description);
  return self;
}
