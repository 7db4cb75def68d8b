/* galley-history-dialog.c: the revisions of an article, to view and restore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-history-dialog"

#include <glib/gi18n.h>

#include "galley-history-dialog.h"
#include "galley-store-edit.h"
#include "galley-text.h"
#include <string.h>

struct _GalleyHistoryDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  GtkButton   *restore_button;
  GtkListBox  *revision_list;
  GtkTextView *preview;

  /* Owned */
  GalleyStore *store;
  gint64       article_id;
  GPtrArray   *revisions; /* of GalleyRevision*, newest first */
};

G_DEFINE_FINAL_TYPE (GalleyHistoryDialog, galley_history_dialog, ADW_TYPE_WINDOW)

static guint restored_signal;

static const char *
origin_label (const char *origin)
{
  if (g_strcmp0 (origin, "ocr") == 0)
    return _("OCR text");
  if (g_strcmp0 (origin, "clean") == 0)
    return _("Automatic clean-up");
  return _("Edited");
}

/* At most max characters of text on one line (a line break shows as
 * "¶"), with "…" when cut. */
static char *
excerpt (const char *text,
         gsize       len,
         glong       max)
{
  g_autofree char *whole = g_strndup (text, len);
  g_auto(GStrv) lines = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (whole, -1) > max)
    cut = g_utf8_substring (whole, 0, max);
  lines = g_strsplit (cut != NULL ? cut : whole, "\n", -1);
  joined = g_strjoinv ("¶", lines);
  return cut != NULL ? g_strconcat (joined, "…", NULL) : g_steal_pointer (&joined);
}

/* What a revision changed in the body of the one before it, as "“A” →
 * “B”" (or what it added or deleted), NULL when the body is the same. */
static char *
describe_change (const char *older,
                 const char *newer)
{
  gsize lo = strlen (older), ln = strlen (newer), pre, suf;
  g_autofree char *removed = NULL, *added = NULL;

  galley_text_common_ends (older, newer, &pre, &suf);
  if (pre == lo && pre == ln)
    return NULL;
  removed = excerpt (older + pre, lo - suf - pre, 12);
  added = excerpt (newer + pre, ln - suf - pre, 12);
  if (removed[0] == '\0')
    /* Translators: what a revision of an article's text added */
    return g_strdup_printf (_("Added “%s”"), added);
  if (added[0] == '\0')
    /* Translators: what a revision of an article's text deleted */
    return g_strdup_printf (_("Deleted “%s”"), removed);
  /* Translators: what a revision of an article's text replaced, and by what */
  return g_strdup_printf (_("“%s” → “%s”"), removed, added);
}

static GalleyRevision *
selected (GalleyHistoryDialog *self)
{
  GtkListBoxRow *row;

  /* The list unselects its row when it goes with the dialog. */
  if (self->revision_list == NULL || self->revisions == NULL)
    return NULL;
  row = gtk_list_box_get_selected_row (self->revision_list);
  if (row == NULL)
    return NULL;
  return g_ptr_array_index (self->revisions, gtk_list_box_row_get_index (row));
}

static void
row_selected_cb (GalleyHistoryDialog *self)
{
  GalleyRevision *r = selected (self);
  g_autofree char *text = NULL;

  if (r == NULL)
    {
      if (self->restore_button != NULL)
        gtk_widget_set_sensitive (GTK_WIDGET (self->restore_button), FALSE);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->restore_button),
                            gtk_list_box_row_get_index (
                              gtk_list_box_get_selected_row (self->revision_list)) > 0);
  text = g_strdup_printf ("%s%s%s\n%s%s%s\n%s\n\n%s",
                          r->kicker, r->kicker[0] != '\0' ? "\n" : "",
                          r->title, r->subtitle, r->subtitle[0] != '\0' ? "\n" : "",
                          r->byline, r->date != NULL ? r->date : "", r->body);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->preview), text, -1);
}

static void
restore_clicked_cb (GalleyHistoryDialog *self)
{
  g_autoptr(GError) error = NULL;
  GalleyRevision *r = selected (self);

  if (r == NULL)
    return;
  if (!galley_store_restore_revision (self->store, self->article_id, r->id, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Restore"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  g_signal_emit (self, restored_signal, 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
galley_history_dialog_dispose (GObject *object)
{
  GalleyHistoryDialog *self = GALLEY_HISTORY_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_HISTORY_DIALOG);
  g_clear_pointer (&self->revisions, g_ptr_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_history_dialog_parent_class)->dispose (object);
}

static void
galley_history_dialog_class_init (GalleyHistoryDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_history_dialog_dispose;
  restored_signal = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-history-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyHistoryDialog, restore_button);
  gtk_widget_class_bind_template_child (widget_class, GalleyHistoryDialog, revision_list);
  gtk_widget_class_bind_template_child (widget_class, GalleyHistoryDialog, preview);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, restore_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
galley_history_dialog_init (GalleyHistoryDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GalleyHistoryDialog *
galley_history_dialog_new (GalleyStore *store,
                           gint64       article_id)
{
  GalleyHistoryDialog *self = g_object_new (GALLEY_TYPE_HISTORY_DIALOG, NULL);
  g_autoptr(GError) error = NULL;

  self->store = g_object_ref (store);
  self->article_id = article_id;
  self->revisions = galley_store_list_revisions (store, article_id, &error);
  if (self->revisions == NULL)
    {
      g_warning ("Could not list the revisions: %s", error->message);
      self->revisions = g_ptr_array_new ();
    }
  for (guint i = 0; i < self->revisions->len; i++)
    {
      GalleyRevision *r = g_ptr_array_index (self->revisions, i);
      g_autofree char *when = g_date_time_format (r->created, "%Y-%m-%d %H:%M:%S");
      GalleyRevision *older = i + 1 < self->revisions->len ? g_ptr_array_index (self->revisions, i + 1) : NULL;
      g_autofree char *change = older != NULL ? describe_change (older->body, r->body) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      /* Translators: a revision in the history: how it was made, then when */
      title = g_strdup_printf (_("%s, %s"), origin_label (r->origin), when);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* The current text, then what each revision changed in the text */
      if (i == 0)
        subtitle = change != NULL ? g_strdup_printf (_("Current text: %s"), change) : g_strdup (_("Current text"));
      else
        subtitle = g_strdup (change != NULL ? change : r->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->revision_list, GTK_WIDGET (row));
    }
  if (self->revisions->len > 0)
    gtk_list_box_select_row (self->revision_list, gtk_list_box_get_row_at_index (self->revision_list, 0));
  return self;
}
