/* galley-bulk-tag-dialog.c: tag every untagged article above a confidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-bulk-tag"

#include <glib/gi18n.h>

#include "galley-bulk-tag-dialog.h"
#include "galley-store-tags.h"

/* Rows of the preview; the count covers them all. */
#define MAX_PREVIEW 200

struct _GalleyBulkTagDialog
{
  AdwWindow           parent_instance;

  /* Template widgets */
  GtkButton          *apply_button;
  GtkSpinButton      *confidence;
  GtkLabel           *summary;
  GtkListBox         *preview;

  /* Owned */
  char               *database;
  GalleySuggestModel *model;
  GArray             *plan;        /* of GalleyTagging, for the shown confidence */
  GCancellable       *cancellable; /* of the running job */
  guint               timeout_id;
};

G_DEFINE_FINAL_TYPE (GalleyBulkTagDialog, galley_bulk_tag_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  char               *database;
  GalleySuggestModel *model;
  double              min_confidence;
  GArray             *plan;  /* to apply, or NULL to make one */
} Job;

typedef struct {
  GArray    *plan;
  GPtrArray *lines;  /* "title\ttag\tconfidence" of the first ones */
} Result;

static void
job_free (Job *job)
{
  g_free (job->database);
  g_clear_pointer (&job->model, galley_suggest_model_unref);
  g_clear_pointer (&job->plan, g_array_unref);
  g_free (job);
}

static void
result_free (Result *result)
{
  g_clear_pointer (&result->plan, g_array_unref);
  g_clear_pointer (&result->lines, g_ptr_array_unref);
  g_free (result);
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_int64_hash, g_int64_equal);
  GError *error = NULL;
  Result *result;

  if ((store = galley_store_open (job->database, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->plan != NULL)
    {
      if (!galley_store_apply_taggings (store, job->plan, &error))
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  result = g_new0 (Result, 1);
  if ((result->plan = galley_suggest_plan_untagged (store, job->model, job->min_confidence,
                                                    cancellable, &error)) == NULL ||
      (tags = galley_store_list_tags (store, &error)) == NULL)
    {
      result_free (result);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);
      g_hash_table_insert (names, &tag->id, tag->name);
    }
  result->lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < result->plan->len && i < MAX_PREVIEW; i++)
    {
      GalleyTagging *t = &g_array_index (result->plan, GalleyTagging, i);
      GalleyArticleSummary summary = { 0 };

      if (!galley_store_get_summary (store, t->article_id, &summary, &error))
        {
          result_free (result);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (result->lines,
                       g_strdup_printf ("%s\t%s\t%.0f", summary.title,
                                        (char *) g_hash_table_lookup (names, &t->tag_id),
                                        t->confidence * 100));
      galley_article_summary_clear (&summary);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) result_free);
}

static void
plan_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  GalleyBulkTagDialog *self = GALLEY_BULK_TAG_DIALOG (object);
  g_autoptr(GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);
  g_autofree char *summary = NULL;
  GtkWidget *child;

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->summary, error->message);
      return;
    }
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->plan, g_array_unref);
  self->plan = g_steal_pointer (&result->plan);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview))) != NULL)
    gtk_list_box_remove (self->preview, child);
  for (guint i = 0; i < result->lines->len; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (result->lines, i), "\t", 3);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: a tag and how sure the suggestion is: "经济 · 83%" */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s%%"), fields[1], fields[2]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fields[0]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->preview, row);
    }
  if (self->plan->len == 0)
    summary = g_strdup (_("No untagged article has a suggestion this sure."));
  else
    /* Translators: the number of articles the bulk tagging would tag */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u article will be tagged:",
                                            "%u articles will be tagged:", self->plan->len),
                               self->plan->len);
  gtk_label_set_text (self->summary, summary);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), self->plan->len > 0);
  result_free (result);
}

static void
start_plan (GalleyBulkTagDialog *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->plan, g_array_unref);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), FALSE);
  gtk_label_set_text (self->summary, _("Looking at the untagged articles…"));

  job->database = g_strdup (self->database);
  job->model = galley_suggest_model_ref (self->model);
  job->min_confidence = gtk_spin_button_get_value (self->confidence) / 100;
  task = g_task_new (self, self->cancellable, plan_done_cb, NULL);
  g_task_set_source_tag (task, start_plan);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, plan_thread);
}

static gboolean
plan_timeout_cb (gpointer data)
{
  GalleyBulkTagDialog *self = data;

  self->timeout_id = 0;
  start_plan (self);
  return G_SOURCE_REMOVE;
}

static void
confidence_changed_cb (GalleyBulkTagDialog *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (300, plan_timeout_cb, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), FALSE);
}

static void
apply_done_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  GalleyBulkTagDialog *self = GALLEY_BULK_TAG_DIALOG (object);
  g_autoptr(GArray) plan = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      gtk_label_set_text (self->summary, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), TRUE);
      return;
    }
  g_signal_emit (self, signals[APPLIED], 0, plan);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
apply_clicked_cb (GalleyBulkTagDialog *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->plan == NULL || self->plan->len == 0)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confidence), FALSE);
  job = g_new0 (Job, 1);
  job->database = g_strdup (self->database);
  job->plan = g_array_ref (self->plan);
  task = g_task_new (self, NULL, apply_done_cb, g_array_ref (self->plan));
  g_task_set_source_tag (task, apply_clicked_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, plan_thread);
}

static void
galley_bulk_tag_dialog_dispose (GObject *object)
{
  GalleyBulkTagDialog *self = GALLEY_BULK_TAG_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_BULK_TAG_DIALOG);
  g_clear_pointer (&self->plan, g_array_unref);
  g_clear_pointer (&self->model, galley_suggest_model_unref);
  g_clear_pointer (&self->database, g_free);
  G_OBJECT_CLASS (galley_bulk_tag_dialog_parent_class)->dispose (object);
}

static void
galley_bulk_tag_dialog_class_init (GalleyBulkTagDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_bulk_tag_dialog_dispose;

  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-bulk-tag-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyBulkTagDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, GalleyBulkTagDialog, confidence);
  gtk_widget_class_bind_template_child (widget_class, GalleyBulkTagDialog, summary);
  gtk_widget_class_bind_template_child (widget_class, GalleyBulkTagDialog, preview);
  gtk_widget_class_bind_template_callback (widget_class, apply_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, confidence_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
galley_bulk_tag_dialog_init (GalleyBulkTagDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GalleyBulkTagDialog *
galley_bulk_tag_dialog_new (GtkWindow          *parent,
                            const char         *database,
                            GalleySuggestModel *model)
{
  GalleyBulkTagDialog *self;

  g_return_val_if_fail (database != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (GALLEY_TYPE_BULK_TAG_DIALOG, "transient-for", parent, NULL);
  self->database = g_strdup (database);
  self->model = galley_suggest_model_ref (model);
  start_plan (self);
  return self;
}
