/* galley-export-dialog.c: export articles to files, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog gathers a scope (some articles by id, the articles a query
 * lists, or the whole archive), a format and where to write; a worker
 * thread with its own database connection feeds the articles one at a time
 * to a GalleyExportSink. An existing file is only replaced after asking.
 */
#define G_LOG_DOMAIN "galley-export-dialog"

#include <string.h>
#include <glib/gi18n.h>

#include "galley-article.h"
#include "galley-export.h"
#include "galley-export-dialog.h"

typedef enum {
  SCOPE_ARTICLES,
  SCOPE_LIST,
  SCOPE_ARCHIVE,
} Scope;

struct _GalleyExportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *cancel_button;
  GtkWidget            *export_button;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress_bar;
  GtkWidget            *page;
  AdwComboRow          *scope_row;
  GtkSwitch            *approved_switch;
  AdwComboRow          *format_row;
  GtkWidget            *split_row;
  GtkSwitch            *split_switch;
  GtkSwitch            *provenance_switch;
  AdwPreferencesGroup  *files_group;
  AdwEntryRow          *folder_row;
  AdwEntryRow          *name_row;
  GtkLabel             *extension_label;
  AdwEntryRow          *pattern_row;
  AdwActionRow         *preview_row;

  /* Borrowed (weak pointer) */
  AdwToastOverlay      *toasts;

  /* Owned */
  GalleyStore          *store;
  GSettings            *settings;
  GArray               *ids;          /* gint64: "This article" / "Selected articles" */
  GalleyArticleQuery   *list_query;   /* "Articles in the list" */
  guint                 n_list;
  gint64                first_in_list;
  guint                 n_archive;
  Scope                 scopes[3];
  guint                 n_scopes;
  GalleyArticleData    *sample;       /* for the example file name */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  gboolean              want_split;
  gboolean              updating;
  gboolean              close_when_done;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (GalleyExportDialog, galley_export_dialog, ADW_TYPE_WINDOW)

static void
dialog_toast (GalleyExportDialog *self,
              const char         *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static GalleyExportFormat
selected_format (GalleyExportDialog *self)
{
  return (GalleyExportFormat) (adw_combo_row_get_selected (self->format_row) + 1);
}

static Scope
selected_scope (GalleyExportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->scope_row);

  return i < self->n_scopes ? self->scopes[i] : SCOPE_ARCHIVE;
}

static gboolean
is_split (GalleyExportDialog *self)
{
  GalleyExportFormat format = selected_format (self);

  if (!galley_export_format_can_combine (format))
    return TRUE;
  if (!galley_export_format_can_split (format))
    return FALSE;
  return self->want_split;
}

/* The folder as typed: "~" is the home folder, a relative path is taken
 * from the home folder. NULL when empty. */
static char *
dup_folder_path (GalleyExportDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->folder_row))));

  if (text[0] == '\0')
    return NULL;
  if (text[0] == '~' && (text[1] == '\0' || text[1] == G_DIR_SEPARATOR))
    return g_build_filename (g_get_home_dir (), text + 1, NULL);
  return g_canonicalize_filename (text, g_get_home_dir ());
}

static char *
dup_pattern (GalleyExportDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pattern_row))));

  return text[0] != '\0' ? g_steal_pointer (&text) : g_strdup (GALLEY_EXPORT_DEFAULT_PATTERN);
}

/* The file name of a combined export, with its extension. NULL when empty. */
static char *
dup_combined_name (GalleyExportDialog *self)
{
  const char *extension = galley_export_format_get_extension (selected_format (self));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *suffix = g_strconcat (".", extension, NULL);

  if (text[0] == '\0' || strchr (text, G_DIR_SEPARATOR) != NULL)
    return NULL;
  if (g_str_has_suffix (text, suffix))
    return g_steal_pointer (&text);
  return g_strconcat (text, suffix, NULL);
}

static gint64
sample_id (GalleyExportDialog *self)
{
  if (selected_scope (self) == SCOPE_ARTICLES && self->ids != NULL && self->ids->len > 0)
    return g_array_index (self->ids, gint64, 0);
  if (self->first_in_list != 0)
    return self->first_in_list;
  if (self->ids != NULL && self->ids->len > 0)
    return g_array_index (self->ids, gint64, 0);
  return 0;
}

static void
update_preview (GalleyExportDialog *self)
{
  gint64 id = sample_id (self);
  g_autofree char *pattern = NULL;
  g_autofree char *name = NULL;

  if (id == 0)
    g_clear_pointer (&self->sample, galley_article_data_free);
  else if (self->sample == NULL || self->sample->id != id)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&self->sample, galley_article_data_free);
      self->sample = galley_store_get_article (self->store, id, FALSE, &error);
      if (self->sample == NULL)
        g_debug ("No example for the file names: %s", error->message);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->preview_row), is_split (self) && self->sample != NULL);
  if (self->sample == NULL)
    return;
  pattern = dup_pattern (self);
  name = galley_export_dup_file_name (pattern, self->sample, selected_format (self));
  adw_action_row_set_subtitle (self->preview_row, name);
}

static void
update (GalleyExportDialog *self)
{
  GalleyExportFormat format = selected_format (self);
  gboolean running = self->cancellable != NULL;
  gboolean split;
  g_autofree char *folder = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *name = NULL;

  if (format == GALLEY_EXPORT_FORMAT_UNKNOWN)
    return;
  split = is_split (self);
  self->updating = TRUE;
  gtk_switch_set_active (self->split_switch, split);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->split_row, galley_export_format_can_combine (format) &&
                                             galley_export_format_can_split (format));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->split_row),
                               !galley_export_format_can_combine (format)
                               ? _("This format always writes one file per article")
                               : !galley_export_format_can_split (format)
                               ? _("This format always holds all the articles in one file")
                               : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), !split);
  gtk_widget_set_visible (GTK_WIDGET (self->pattern_row), split);
  adw_preferences_group_set_description (self->files_group,
                                         split ? _("Placeholders in the pattern: {date}, {title}, "
                                                   "{kicker}, {id}, {source}, {position}")
                                               : NULL);
  extension = g_strconcat (".", galley_export_format_get_extension (format), NULL);
  gtk_label_set_label (self->extension_label, extension);
  update_preview (self);

  folder = dup_folder_path (self);
  name = dup_combined_name (self);
  gtk_widget_set_sensitive (self->export_button,
                            !running && folder != NULL && (split || name != NULL));
  gtk_widget_set_sensitive (self->page, !running);
}

static void
options_changed_cb (GalleyExportDialog *self)
{
  if (!self->updating)
    update (self);
}

static void
split_changed_cb (GalleyExportDialog *self)
{
  if (self->updating)
    return;
  self->want_split = gtk_switch_get_active (self->split_switch);
  update (self);
}

static void
rebuild_scopes (GalleyExportDialog *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  self->n_scopes = 0;
  if (self->ids != NULL && self->ids->len > 0)
    {
      g_autofree char *label = NULL;

      if (self->ids->len == 1)
        label = g_strdup (_("This article"));
      else
        /* Translators: an export scope, with the number of articles */
        label = g_strdup_printf (_("Selected articles (%u)"), self->ids->len);
      gtk_string_list_append (model, label);
      self->scopes[self->n_scopes++] = SCOPE_ARTICLES;
    }
  /* The list as searched or filtered; unfiltered it is the whole archive. */
  if (self->list_query != NULL &&
      (self->list_query->search != NULL || self->list_query->status != NULL ||
       self->list_query->tag != NULL || self->list_query->untagged ||
       self->list_query->source_id != 0))
    {
      /* Translators: an export scope (what the search or filter lists), with the number of articles */
      g_autofree char *label = g_strdup_printf (_("Articles in the list (%u)"), self->n_list);

      gtk_string_list_append (model, label);
      self->scopes[self->n_scopes++] = SCOPE_LIST;
    }
  {
    /* Translators: an export scope, with the number of articles */
    g_autofree char *label = g_strdup_printf (_("Whole archive (%u)"), self->n_archive);

    gtk_string_list_append (model, label);
    self->scopes[self->n_scopes++] = SCOPE_ARCHIVE;
  }

  /* The first scope, the narrowest, is what the user has pointed at. */
  self->updating = TRUE;
  adw_combo_row_set_model (self->scope_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->scope_row, 0);
  self->updating = FALSE;
  update (self);
}

/* The export, in a worker thread with its own database connection */

typedef struct {
  GApplication       *application; /* held while the job runs; may be NULL */
  char               *database;
  GArray             *ids;        /* NULL: the articles query lists */
  GalleyArticleQuery *query;
  gboolean            only_approved;
  GalleyExportFormat  format;
  char               *folder;
  char               *output;
  gboolean            combined;
  char               *pattern;
  char               *title;
  gboolean            provenance;
  gboolean            overwrite;
} ExportJob;

typedef struct {
  GWeakRef  dialog;
  guint     done;
  guint     total;
} ExportProgress;

static void
export_job_free (ExportJob *job)
{
  if (job->application != NULL)
    g_application_release (job->application);
  g_clear_object (&job->application);
  g_free (job->database);
  g_clear_pointer (&job->ids, g_array_unref);
  g_clear_pointer (&job->query, galley_article_query_free);
  g_free (job->folder);
  g_free (job->output);
  g_free (job->pattern);
  g_free (job->title);
  g_free (job);
}

static void
export_progress_free (ExportProgress *progress)
{
  g_weak_ref_clear (&progress->dialog);
  g_free (progress);
}

static gboolean
export_progress_cb (gpointer data)
{
  ExportProgress *progress = data;
  g_autoptr(GalleyExportDialog) self = g_weak_ref_get (&progress->dialog);
  g_autofree char *text = NULL;

  if (self == NULL || self->cancellable == NULL)
    return G_SOURCE_REMOVE;
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 progress->total > 0 ? (double) progress->done / progress->total : 0);
  /* Translators: export progress: articles done / all articles */
  text = g_strdup_printf (_("%u of %u"), progress->done, progress->total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_REMOVE;
}

static void
post_progress (GTask *task,
               guint  done,
               guint  total)
{
  ExportProgress *progress = g_new0 (ExportProgress, 1);

  g_weak_ref_init (&progress->dialog, g_task_get_source_object (task));
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, export_progress_cb, progress,
                              (GDestroyNotify) export_progress_free);
}

static GArray *
list_ids (GalleyStore  *store,
          ExportJob    *job,
          GError      **error)
{
  GalleyArticleQuery query = { 0 };

  if (job->ids != NULL)
    return g_array_ref (job->ids);

  query = *job->query;
  if (job->only_approved)
    {
      /* A list of another status has no approved article. */
      if (query.status != NULL && query.status[0] != '\0' && !g_str_equal (query.status, "approved"))
        return g_array_new (FALSE, FALSE, sizeof (gint64));
      query.status = "approved";
    }
  return galley_store_list_ids (store, &query, error);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GFile) folder = g_file_new_for_path (job->folder);
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GalleyExportSink) sink = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  GalleyExportOptions options = { 0 };
  guint shown = G_MAXUINT;
  guint n;

  if (g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, cancellable) != G_FILE_TYPE_DIRECTORY)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               /* Translators: %s is a folder name */
                               _("The folder “%s” does not exist"), job->folder);
      return;
    }

  options.output = job->combined ? job->output : job->folder;
  options.combined = job->combined;
  options.name_pattern = job->pattern;
  options.provenance = job->provenance;
  options.overwrite = job->overwrite;
  options.collection_title = job->title;

  if ((store = galley_store_open (job->database, &error)) == NULL ||
      (ids = list_ids (store, job, &error)) == NULL ||
      (sink = galley_export_sink_new (job->format, &options, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GalleyArticleData) data = NULL;
      guint percent = (guint) ((guint64) i * 100 / ids->len);

      if (percent != shown)
        {
          post_progress (task, i, ids->len);
          shown = percent;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
          (data = galley_store_get_article (store, g_array_index (ids, gint64, i), job->provenance,
                                            &error)) == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (job->only_approved && g_strcmp0 (data->status, "approved") != 0)
        continue;
      if (!galley_export_sink_add (sink, data, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if ((n = galley_export_sink_get_n_written (sink)) == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               job->only_approved ? _("None of these articles is approved")
                                                  : _("There are no articles to export"));
      return;
    }
  if (!galley_export_sink_finish (sink, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  post_progress (task, ids->len, ids->len);
  g_task_return_int (task, n);
}

static void
open_folder_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AdwToastOverlay) toasts = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      /* Translators: %s is the reason */
      g_autofree char *text = g_strdup_printf (_("Could not open the folder: %s"), error->message);

      adw_toast_overlay_add_toast (toasts, adw_toast_new (text));
    }
}

static void
open_folder_cb (AdwToast   *toast,
                const char *uri)
{
  GtkWidget *toasts = g_object_get_data (G_OBJECT (toast), "galley-toast-overlay");
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (toasts == NULL)
    return;
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (toasts));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           open_folder_done_cb, g_object_ref (toasts));
}

static void
show_result (GalleyExportDialog *self,
             ExportJob          *job,
             guint               n)
{
  g_autofree char *text = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (job->folder);
  AdwToast *toast;

  if (self->toasts == NULL)
    return;
  text = g_strdup_printf (
    /* Translators: the result of an export */
    g_dngettext (GETTEXT_PACKAGE, "Exported %u article", "Exported %u articles", n), n);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("Open Folder"));
  g_object_set_data (G_OBJECT (toast), "galley-toast-overlay", self->toasts);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_folder_cb),
                         g_file_get_uri (folder), (GClosureNotify) G_CALLBACK (g_free), 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
save_settings (GalleyExportDialog *self,
               ExportJob          *job)
{
  g_autofree char *pattern = dup_pattern (self);

  g_settings_set_string (self->settings, "export-format", galley_export_format_to_id (job->format));
  g_settings_set_string (self->settings, "export-folder", job->folder);
  g_settings_set_string (self->settings, "export-pattern", pattern);
  g_settings_set_boolean (self->settings, "export-split", self->want_split);
}

static void start_export (GalleyExportDialog *self,
                          gboolean            overwrite);

static void
replace_response_cb (AdwMessageDialog   *dialog,
                     const char         *response,
                     GalleyExportDialog *self)
{
  if (g_str_equal (response, "replace"))
    start_export (self, TRUE);
}

static void
ask_replace (GalleyExportDialog *self,
             const char         *reason)
{
  g_autofree char *body = g_strconcat (reason, "\n\n",
                                       _("Replacing overwrites the files of this export that "
                                         "already exist."), NULL);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Replace Existing Files?"),
                                              body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_running (GalleyExportDialog *self,
             gboolean            running)
{
  if (running)
    self->cancellable = g_cancellable_new ();
  else
    g_clear_object (&self->cancellable);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Looking for articles…"));
  gtk_revealer_set_reveal_child (self->progress_revealer, running);
  update (self);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GalleyExportDialog *self = GALLEY_EXPORT_DIALOG (object);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_task_propagate_int (G_TASK (result), &error);
  if (self->disposed)
    return;
  set_running (self, FALSE);

  if (error == NULL)
    {
      save_settings (self, job);
      show_result (self, job, n);
      gtk_window_destroy (GTK_WINDOW (self));
    }
  else if (self->close_when_done)
    gtk_window_destroy (GTK_WINDOW (self));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    dialog_toast (self, _("Export cancelled"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS) && !job->overwrite)
    ask_replace (self, error->message);
  else
    dialog_toast (self, error->message);
}

static void
start_export (GalleyExportDialog *self,
              gboolean            overwrite)
{
  g_autoptr(GTask) task = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  ExportJob *job;
  g_autofree char *name = NULL;

  if (self->cancellable != NULL)
    return;

  job = g_new0 (ExportJob, 1);
  if (parent != NULL && gtk_window_get_application (parent) != NULL)
    {
      /* The program lives until the worker has cleaned up, even when its
       * windows are closed. */
      job->application = G_APPLICATION (g_object_ref (gtk_window_get_application (parent)));
      g_application_hold (job->application);
    }
  job->database = g_strdup (galley_store_get_path (self->store));
  switch (selected_scope (self))
    {
    case SCOPE_ARTICLES:
      job->ids = g_array_ref (self->ids);
      break;
    case SCOPE_LIST:
      job->query = galley_article_query_copy (self->list_query);
      break;
    case SCOPE_ARCHIVE:
    default:
      job->query = galley_article_query_copy (&(GalleyArticleQuery) { 0 });
      break;
    }
  job->only_approved = gtk_switch_get_active (self->approved_switch);
  job->format = selected_format (self);
  job->folder = dup_folder_path (self);
  job->combined = !is_split (self);
  if (job->combined)
    {
      name = dup_combined_name (self);
      job->output = g_build_filename (job->folder, name, NULL);
      job->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
    }
  else
    job->pattern = dup_pattern (self);
  job->provenance = gtk_switch_get_active (self->provenance_switch);
  job->overwrite = overwrite;

  set_running (self, TRUE);
  task = g_task_new (self, self->cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, start_export);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_clicked_cb (GalleyExportDialog *self)
{
  start_export (self, FALSE);
}

static void
cancel_clicked_cb (GalleyExportDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
chooser_response_cb (GalleyExportDialog *self,
                     int                 response,
                     GtkNativeDialog    *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->folder_row), path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder_clicked_cb (GalleyExportDialog *self)
{
  g_autofree char *path = dup_folder_path (self);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export to a Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (path);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
galley_export_dialog_close_request (GtkWindow *window)
{
  GalleyExportDialog *self = GALLEY_EXPORT_DIALOG (window);

  if (self->cancellable != NULL)
    {
      /* Stop the export; the dialog goes when the worker has cleaned up. */
      g_cancellable_cancel (self->cancellable);
      self->close_when_done = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (galley_export_dialog_parent_class)->close_request (window);
}

static void
galley_export_dialog_dispose (GObject *object)
{
  GalleyExportDialog *self = GALLEY_EXPORT_DIALOG (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_EXPORT_DIALOG);
  if (self->toasts != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toasts), (gpointer *) &self->toasts);
  self->toasts = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->list_query, galley_article_query_free);
  g_clear_pointer (&self->sample, galley_article_data_free);

  G_OBJECT_CLASS (galley_export_dialog_parent_class)->dispose (object);
}

static void
galley_export_dialog_class_init (GalleyExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = galley_export_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = galley_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-export-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, GalleyExportDialog, name)
  BIND (toast_overlay);
  BIND (cancel_button);
  BIND (export_button);
  BIND (progress_revealer);
  BIND (progress_bar);
  BIND (page);
  BIND (scope_row);
  BIND (approved_switch);
  BIND (format_row);
  BIND (split_row);
  BIND (split_switch);
  BIND (provenance_switch);
  BIND (files_group);
  BIND (folder_row);
  BIND (name_row);
  BIND (extension_label);
  BIND (pattern_row);
  BIND (preview_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, options_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, split_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_clicked_cb);
}

static void
galley_export_dialog_init (GalleyExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 1; i <= GALLEY_EXPORT_N_FORMATS; i++)
    gtk_string_list_append (formats, galley_export_format_get_label ((GalleyExportFormat) i));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  self->updating = FALSE;
}

GalleyExportDialog *
galley_export_dialog_new (GtkWindow       *parent,
                          GalleyStore     *store,
                          GSettings       *settings,
                          AdwToastOverlay *toasts)
{
  GalleyExportDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *format_id = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *today = NULL;
  g_autofree char *name = NULL;
  GalleyStoreStats stats = { 0 };
  GalleyExportFormat format;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (ADW_IS_TOAST_OVERLAY (toasts), NULL);

  self = g_object_new (GALLEY_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->toasts = toasts;
  g_object_add_weak_pointer (G_OBJECT (toasts), (gpointer *) &self->toasts);

  if (galley_store_get_stats (store, &stats, &error))
    self->n_archive = stats.articles;
  else
    g_debug ("No article count: %s", error->message);

  format_id = g_settings_get_string (settings, "export-format");
  if ((format = galley_export_format_from_id (format_id)) == GALLEY_EXPORT_FORMAT_UNKNOWN)
    format = GALLEY_EXPORT_FORMAT_TXT;
  self->want_split = g_settings_get_boolean (settings, "export-split");
  folder = g_settings_get_string (settings, "export-folder");
  if (folder[0] == '\0')
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

      g_free (folder);
      folder = g_strdup (documents != NULL ? documents : g_get_home_dir ());
    }
  pattern = g_settings_get_string (settings, "export-pattern");
  today = g_date_time_format (now, "%F");
  /* Translators: the default name of an exported file, before its extension; %s is today's date */
  name = g_strdup_printf (_("articles-%s"), today);

  self->updating = TRUE;
  adw_combo_row_set_selected (self->format_row, format - 1);
  gtk_editable_set_text (GTK_EDITABLE (self->folder_row), folder);
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), pattern);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->updating = FALSE;
  rebuild_scopes (self);
  return self;
}

void
galley_export_dialog_set_articles (GalleyExportDialog *self,
                                   const gint64       *ids,
                                   guint               n_ids)
{
  g_return_if_fail (GALLEY_IS_EXPORT_DIALOG (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  g_clear_pointer (&self->ids, g_array_unref);
  if (n_ids > 0)
    {
      self->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
      g_array_append_vals (self->ids, ids, n_ids);
    }
  rebuild_scopes (self);
}

void
galley_export_dialog_set_list (GalleyExportDialog       *self,
                               const GalleyArticleQuery *query,
                               GListModel               *articles)
{
  g_autoptr(GalleyArticle) first = NULL;

  g_return_if_fail (GALLEY_IS_EXPORT_DIALOG (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (articles));

  g_clear_pointer (&self->list_query, galley_article_query_free);
  self->list_query = galley_article_query_copy (query);
  self->n_list = g_list_model_get_n_items (articles);
  first = self->n_list > 0 ? g_list_model_get_item (articles, 0) : NULL;
  self->first_in_list = first != NULL ? galley_article_get_id (first) : 0;
  rebuild_scopes (self);
}
