/* galley-replace-dialog.c: find and replace across the archive, with a
 * preview of every match in its context
 *
 * The search and the replacement run in a worker thread on their own
 * database connection; typing cancels the search under way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-replace-dialog"

#include <glib/gi18n.h>

#include "galley-replace-dialog.h"
#include "galley-store-edit.h"

/* Wait this long after the last keystroke before searching. */
#define SEARCH_DELAY_MS 250
/* The preview lists at most this many matches. */
#define PREVIEW_MAX 300

struct _GalleyReplaceDialog
{
  AdwWindow     parent_instance;

  /* Template widgets */
  GtkButton      *replace_button;
  GtkEntry       *find_entry;
  GtkEntry       *replace_entry;
  GtkCheckButton *regex_check;
  GtkLabel       *count_label;
  GtkListBox     *hit_list;

  /* Owned */
  char           *database;
  GCancellable   *cancellable;
  guint           search_id;
  guint           n_hits;
  gboolean        replacing;
};

G_DEFINE_FINAL_TYPE (GalleyReplaceDialog, galley_replace_dialog, ADW_TYPE_WINDOW)

static guint replaced_signal;

typedef struct {
  char     *database;
  char     *pattern;
  char     *replacement;
  gboolean  regex;
} Job;

typedef struct {
  GArray *undo;
  guint   n_replaced;
} ReplaceResult;

static void
job_free (Job *job)
{
  g_free (job->database);
  g_free (job->pattern);
  g_free (job->replacement);
  g_free (job);
}

static Job *
make_job (GalleyReplaceDialog *self)
{
  Job *job = g_new0 (Job, 1);

  job->database = g_strdup (self->database);
  job->pattern = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->find_entry)));
  job->replacement = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->replace_entry)));
  job->regex = gtk_check_button_get_active (self->regex_check);
  return job;
}

static void
update_button (GalleyReplaceDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->replace_button),
                            self->n_hits > 0 && self->search_id == 0 && !self->replacing);
}

/* Searching */

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GalleyStore) store = NULL;
  GError *error = NULL;
  GPtrArray *hits;

  if ((store = galley_store_open (job->database, &error)) == NULL ||
      (hits = galley_store_find (store, job->pattern, job->regex, job->replacement, 0,
                                 cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
make_row (GalleyHit *hit)
{
  g_autofree char *before = g_markup_escape_text (hit->before, -1);
  g_autofree char *match = g_markup_escape_text (hit->match, -1);
  g_autofree char *after = g_markup_escape_text (hit->after, -1);
  g_autofree char *replacement = g_markup_escape_text (hit->replacement, -1);
  g_autofree char *context = NULL;
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  context = g_strdup_printf ("%s<s>%s</s><b>%s</b>%s", before, match, replacement, after);
  g_strdelimit (context, "\n", ' ');
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->title);
  adw_action_row_set_subtitle (row, context);
  return GTK_WIDGET (row);
}

static void
find_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GalleyReplaceDialog) self = data;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GHashTable) articles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hits_text = NULL;
  g_autofree char *text = NULL;
  GtkWidget *child;

  hits = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hit_list))) != NULL)
    gtk_list_box_remove (self->hit_list, child);
  self->n_hits = 0;
  if (hits == NULL)
    {
      gtk_label_set_text (self->count_label, error->message);
      update_button (self);
      return;
    }

  articles = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < hits->len; i++)
    {
      GalleyHit *hit = g_ptr_array_index (hits, i);

      g_hash_table_add (articles, &hit->article_id);
      if (i < PREVIEW_MAX)
        gtk_list_box_append (self->hit_list, make_row (hit));
    }
  self->n_hits = hits->len;
  /* Translators: the first half of "N matches in M articles" */
  hits_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", hits->len),
                               hits->len);
  /* Translators: %s is "N matches"; then the number of articles */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u article", "%s in %u articles",
                                       g_hash_table_size (articles)),
                          hits_text, g_hash_table_size (articles));
  if (hits->len > PREVIEW_MAX)
    {
      g_autofree char *shown = NULL;

      /* Translators: after "N matches in M articles" when the preview is cut short */
      shown = g_strdup_printf (_("%s (the first %u shown)"), text, PREVIEW_MAX);
      g_free (text);
      text = g_steal_pointer (&shown);
    }
  gtk_label_set_text (self->count_label, hits->len > 0 ? text : _("No matches"));
  update_button (self);
}

static gboolean
search_cb (gpointer data)
{
  GalleyReplaceDialog *self = data;
  g_autoptr(GTask) task = NULL;

  self->search_id = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (gtk_editable_get_text (GTK_EDITABLE (self->find_entry))[0] == '\0')
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hit_list))) != NULL)
        gtk_list_box_remove (self->hit_list, child);
      self->n_hits = 0;
      gtk_label_set_text (self->count_label, "");
      update_button (self);
      return G_SOURCE_REMOVE;
    }
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->count_label, _("Searching…"));
  task = g_task_new (NULL, self->cancellable, find_done_cb, g_object_ref (self));
  g_task_set_task_data (task, make_job (self), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, find_thread);
  return G_SOURCE_REMOVE;
}

static void
pattern_changed_cb (GalleyReplaceDialog *self)
{
  g_clear_handle_id (&self->search_id, g_source_remove);
  self->search_id = g_timeout_add (SEARCH_DELAY_MS, search_cb, self);
  update_button (self);
}

/* Replacing */

static void
replace_result_free (ReplaceResult *result)
{
  g_clear_pointer (&result->undo, g_array_unref);
  g_free (result);
}

static void
replace_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GalleyStore) store = NULL;
  ReplaceResult *result = g_new0 (ReplaceResult, 1);
  GError *error = NULL;

  if ((store = galley_store_open (job->database, &error)) == NULL ||
      (result->undo = galley_store_replace_all (store, job->pattern, job->regex, job->replacement,
                                                &result->n_replaced, NULL, &error)) == NULL)
    {
      replace_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) replace_result_free);
}

static void
replace_done_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      data)
{
  g_autoptr(GalleyReplaceDialog) self = data;
  g_autoptr(GError) error = NULL;
  ReplaceResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  self->replacing = FALSE;
  if (result == NULL)
    {
      gtk_label_set_text (self->count_label, error->message);
      update_button (self);
      return;
    }
  g_signal_emit (self, replaced_signal, 0, result->undo, result->n_replaced);
  replace_result_free (result);
  gtk_window_close (GTK_WINDOW (self));
}

static void
replace_clicked_cb (GalleyReplaceDialog *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->n_hits == 0 || self->search_id != 0 || self->replacing)
    return;
  self->replacing = TRUE;
  update_button (self);
  gtk_label_set_text (self->count_label, _("Replacing…"));
  task = g_task_new (NULL, NULL, replace_done_cb, g_object_ref (self));
  g_task_set_task_data (task, make_job (self), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, replace_thread);
}

/* The dialog */

static void
galley_replace_dialog_dispose (GObject *object)
{
  GalleyReplaceDialog *self = GALLEY_REPLACE_DIALOG (object);

  g_clear_handle_id (&self->search_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_REPLACE_DIALOG);
  g_clear_pointer (&self->database, g_free);
  G_OBJECT_CLASS (galley_replace_dialog_parent_class)->dispose (object);
}

static void
galley_replace_dialog_class_init (GalleyReplaceDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_replace_dialog_dispose;
  replaced_signal = g_signal_new ("replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ARRAY, G_TYPE_UINT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-replace-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyReplaceDialog, replace_button);
  gtk_widget_class_bind_template_child (widget_class, GalleyReplaceDialog, find_entry);
  gtk_widget_class_bind_template_child (widget_class, GalleyReplaceDialog, replace_entry);
  gtk_widget_class_bind_template_child (widget_class, GalleyReplaceDialog, regex_check);
  gtk_widget_class_bind_template_child (widget_class, GalleyReplaceDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, GalleyReplaceDialog, hit_list);
  gtk_widget_class_bind_template_callback (widget_class, pattern_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, replace_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
galley_replace_dialog_init (GalleyReplaceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GalleyReplaceDialog *
galley_replace_dialog_new (GtkWindow   *parent,
                           GalleyStore *store)
{
  GalleyReplaceDialog *self;

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);

  self = g_object_new (GALLEY_TYPE_REPLACE_DIALOG, "transient-for", parent, NULL);
  self->database = g_strdup (galley_store_get_path (store));
  return self;
}

void
galley_replace_dialog_set_pattern (GalleyReplaceDialog *self,
                                   const char          *pattern,
                                   const char          *replacement)
{
  g_return_if_fail (GALLEY_IS_REPLACE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), pattern);
  if (replacement != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->replace_entry), replacement);
}
