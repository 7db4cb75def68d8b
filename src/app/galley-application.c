/* galley-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-application"

#include <glib/gi18n.h>

#include "galley-application.h"
#include "galley-preferences.h"
#include "galley-store.h"
#include "galley-store-tags.h"
#include "galley-window.h"

struct _GalleyApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GalleyStore    *store;
  char           *database;
};

G_DEFINE_FINAL_TYPE (GalleyApplication, galley_application, ADW_TYPE_APPLICATION)

static GalleyWindow *
get_window (GalleyApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (self->store == NULL)
        self->store = galley_store_open (self->database, &error);
      /* A new archive starts with the IPTC Media Topics. */
      if (self->store != NULL && !galley_store_add_default_tags (self->store, &error))
        {
          g_message ("No default tags: %s", error->message);
          g_clear_error (&error);
        }
      window = GTK_WINDOW (galley_window_new (self, self->store, self->settings, self->database,
                                              error));
    }
  return GALLEY_WINDOW (window);
}

static void
galley_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (GALLEY_APPLICATION (app))));
}

static void
galley_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  GalleyWindow *window = get_window (GALLEY_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  galley_window_import (window, files, n_files);
}

static int
galley_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  GalleyApplication *self = GALLEY_APPLICATION (app);
  g_autofree char *database = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("galley %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "database", "^ay", &database))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (database);

      g_free (self->database);
      self->database = g_file_get_path (file);
    }
  return -1;
}

static void
galley_application_startup (GApplication *app)
{
  GalleyApplication *self = GALLEY_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *import_accels[] = { "<Control>o", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "<Control>question", "<Control>slash", NULL };

  G_APPLICATION_CLASS (galley_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.import", import_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  /* The shortcuts window (gtk/help-overlay.ui) opens with Ctrl+? and Ctrl+/. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
}

static void
galley_application_shutdown (GApplication *app)
{
  GalleyApplication *self = GALLEY_APPLICATION (app);

  g_clear_object (&self->store);
  G_APPLICATION_CLASS (galley_application_parent_class)->shutdown (app);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close the windows so they save their state; then the app ends. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (GTK_WINDOW (windows->data));
      windows = next;
    }
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Galley developers", NULL };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about,
                "transient-for", gtk_application_get_active_window (app),
                "application-name", _("Galley"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "comments", _("Review, correct and tag OCR'd newspaper articles"),
                "developers", developers,
                /* Translators: put your names here */
                "translator-credits", _("translator-credits"),
                "license-type", GTK_LICENSE_GPL_3_0,
                NULL);
  /* The default taxonomy ships IPTC's vocabulary (CC BY 4.0): credit it. */
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), _("IPTC Media Topics"),
                                      _("© International Press Telecommunications Council (IPTC)"),
                                      GTK_LICENSE_CUSTOM,
                                      _("The default topic tags and their English and Chinese "
                                        "labels are the top level of the IPTC Media Topics "
                                        "vocabulary, used under the "
                                        "<a href=\"https://creativecommons.org/licenses/by/4.0/\">"
                                        "Creative Commons Attribution 4.0</a> licence."));
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GalleyApplication *self = GALLEY_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GalleyPreferences *preferences = galley_preferences_new (parent, self->settings);

  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
galley_application_finalize (GObject *object)
{
  GalleyApplication *self = GALLEY_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->database, g_free);
  G_OBJECT_CLASS (galley_application_parent_class)->finalize (object);
}

static void
galley_application_class_init (GalleyApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = galley_application_finalize;
  app_class->activate = galley_application_activate;
  app_class->open = galley_application_open;
  app_class->startup = galley_application_startup;
  app_class->shutdown = galley_application_shutdown;
  app_class->handle_local_options = galley_application_handle_local_options;
}

static void
galley_application_init (GalleyApplication *self)
{
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open this archive database instead of the default one"), N_("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL }
  };

  self->database = g_build_filename (g_get_user_data_dir (), "galley", "galley.db", NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

GalleyApplication *
galley_application_new (void)
{
  return g_object_new (GALLEY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/galley/Galley",
                       NULL);
}
