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
#include "galley-upgrade-window.h"
#include "galley-window.h"

struct _GalleyApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GalleyStore    *store;
  char           *database;

  /* While an older archive is updated in a worker thread (open_in_thread) */
  gboolean        opening;
  GCancellable   *open_cancellable;
  GtkWindow      *upgrade_window; /* weak: NULL once closed */
  GPtrArray      *pending_files;  /* of GFile: to import once the window is there */
};

G_DEFINE_FINAL_TYPE (GalleyApplication, galley_application, ADW_TYPE_APPLICATION)

static GalleyWindow *
find_window (GalleyApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (GALLEY_IS_WINDOW (l->data))
      return GALLEY_WINDOW (l->data);
  return NULL;
}

/* A new archive starts with the IPTC Media Topics. */
static void
add_default_tags (GalleyStore *store)
{
  g_autoptr(GError) error = NULL;

  if (!galley_store_add_default_tags (store, &error))
    g_message ("No default tags: %s", error->message);
}

/* The main window on self->store (NULL with open_error when it could not
 * be opened); then the files given meanwhile are imported. */
static void
show_window (GalleyApplication *self,
             GalleyWindow      *window,
             const GError      *open_error)
{
  if (window == NULL)
    window = galley_window_new (self, self->store, self->settings, self->database, open_error);
  gtk_window_present (GTK_WINDOW (window));
  if (self->pending_files->len > 0)
    {
      g_autoptr(GPtrArray) files = g_steal_pointer (&self->pending_files);

      self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
      galley_window_import (window, (GFile **) files->pdata, files->len);
    }
}

static gboolean
upgrade_close_request_cb (GalleyApplication *self)
{
  g_cancellable_cancel (self->open_cancellable);
  return FALSE; /* the window closes */
}

static void
show_upgrade_window (GalleyApplication *self)
{
  if (self->upgrade_window == NULL)
    {
      self->upgrade_window = GTK_WINDOW (galley_upgrade_window_new (GTK_APPLICATION (self),
                                                                    self->database));
      g_object_add_weak_pointer (G_OBJECT (self->upgrade_window),
                                 (gpointer *) &self->upgrade_window);
      g_signal_connect_object (self->upgrade_window, "close-request",
                               G_CALLBACK (upgrade_close_request_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (self->upgrade_window);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GalleyStore *store = galley_store_open_cancellable (task_data, cancellable, &error);

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  add_default_tags (store);
  /* The store is the main thread's from here on. */
  g_task_return_pointer (task, store, g_object_unref);
}

static void open_in_thread (GalleyApplication *self);

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GalleyApplication *self = GALLEY_APPLICATION (source);
  g_autoptr(GError) error = NULL;
  GtkWindow *upgrade_window = self->upgrade_window;

  self->store = g_task_propagate_pointer (G_TASK (result), &error);
  self->opening = FALSE;
  g_clear_object (&self->open_cancellable);

  /* Closed, then asked for again before the cancel took effect: again. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && upgrade_window != NULL)
    {
      open_in_thread (self);
      g_application_release (G_APPLICATION (self));
      return;
    }
  /* Closing the upgrade window stopped the update, which left the archive
   * as it was: the app ends. Otherwise the main window takes its place
   * (first, so that the app is never without a window). */
  if (upgrade_window != NULL)
    {
      show_window (self, NULL, error);
      gtk_window_destroy (upgrade_window);
    }
  g_application_release (G_APPLICATION (self));
}

/* Opening an archive of an older Galley migrates it, which rebuilds its
 * search indexes: a minute on a large archive. Do it in a worker thread
 * with a window that says so. Closing that window stops the update (one
 * transaction, rolled back); the app is held till the thread ends. */
static void
open_in_thread (GalleyApplication *self)
{
  g_autoptr(GTask) task = NULL;

  self->open_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->open_cancellable, open_done_cb, NULL);
  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  g_task_set_source_tag (task, open_in_thread);
  g_task_set_task_data (task, g_strdup (self->database), g_free);
  g_task_run_in_thread (task, open_thread);
}

static void
present (GalleyApplication *self)
{
  GalleyWindow *window = find_window (self);
  g_autoptr(GError) error = NULL;

  if (window == NULL && self->store == NULL && !self->opening &&
      galley_store_needs_migration (self->database))
    open_in_thread (self);
  if (self->opening)
    {
      show_upgrade_window (self);
      return;
    }
  if (window == NULL && self->store == NULL)
    {
      self->store = galley_store_open (self->database, &error);
      if (self->store != NULL)
        add_default_tags (self->store);
    }
  show_window (self, window, error);
}

static void
galley_application_activate (GApplication *app)
{
  present (GALLEY_APPLICATION (app));
}

static void
galley_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  GalleyApplication *self = GALLEY_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (self->pending_files, g_object_ref (files[i]));
  present (self);
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
      g_autoptr(GFile) usual = g_file_new_for_path (self->database);

      /* One Galley runs per archive: files opened with Galley on another
       * archive than the running one go to a Galley of their own. */
      if (!g_file_equal (file, usual))
        {
          g_autofree char *path = g_file_get_path (file);
          g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
          g_autofree char *id = g_strdup_printf ("%s.Archive%.16s", APP_ID, hash);

          g_application_set_application_id (app, id);
        }
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
  const char *developers[] = { _("The Galley developers"), NULL };
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
  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);
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
  self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
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
