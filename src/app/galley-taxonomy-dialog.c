/* galley-taxonomy-dialog.c: edit, import and export the archive's tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-taxonomy-dialog"

#include <glib/gi18n.h>

#include "galley-store-tags.h"
#include "galley-taxonomy.h"
#include "galley-taxonomy-dialog.h"

struct _GalleyTaxonomyDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkListBox           *tag_list;
  GtkEntry             *name_entry;
  GtkEntry             *other_entry;
  GtkWidget            *rename_button;
  GtkWidget            *move_button;
  GtkWidget            *merge_button;
  GtkWidget            *delete_button;
  GtkLabel             *status_label;

  /* Owned */
  GalleyStore          *store;
  GPtrArray            *tags;    /* GalleyTag*, in list order */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (GalleyTaxonomyDialog, galley_taxonomy_dialog, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_status (GalleyTaxonomyDialog *self,
             const char           *text,
             gboolean              is_error)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static GalleyTag *
selected_tag (GalleyTaxonomyDialog *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->tag_list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  return index >= 0 && (guint) index < self->tags->len ? g_ptr_array_index (self->tags, index) : NULL;
}

static void
row_selected_cb (GalleyTaxonomyDialog *self)
{
  GalleyTag *tag = selected_tag (self);

  gtk_widget_set_sensitive (self->rename_button, tag != NULL);
  gtk_widget_set_sensitive (self->move_button, tag != NULL);
  gtk_widget_set_sensitive (self->merge_button, tag != NULL);
  gtk_widget_set_sensitive (self->delete_button, tag != NULL);
  /* its name, ready to be edited for Rename */
  if (tag != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_entry), tag->name);
}

static void
reload (GalleyTaxonomyDialog *self,
        gint64                select_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tags = galley_store_list_tags (self->store, &error);
  GtkWidget *child;

  if (tags == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  self->tags = tags;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_list))) != NULL)
    gtk_list_box_remove (self->tag_list, child);
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *count = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: under a tag: how many articles have it */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u article", "%u articles",
                                            tag->n_articles), tag->n_articles);
      subtitle = tag->code != NULL ? g_strdup_printf ("%s · %s", count, tag->code) : g_strdup (count);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tag->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_margin_start (row, 24 * MIN (tag->depth, 6));
      gtk_list_box_append (self->tag_list, row);
      if (tag->id == select_id)
        gtk_list_box_select_row (self->tag_list, GTK_LIST_BOX_ROW (row));
    }
  row_selected_cb (self);
}

static void
changed (GalleyTaxonomyDialog *self,
         gint64                select_id,
         const char           *message)
{
  show_status (self, message, FALSE);
  reload (self, select_id);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The tag named in the second field: 0 for none (the top level); -1 and
 * an error shown when there is no such tag. */
static gint64
other_tag (GalleyTaxonomyDialog *self,
           gboolean              may_be_empty)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->other_entry))));
  gint64 id;

  if (name[0] == '\0')
    {
      if (!may_be_empty)
        show_status (self, _("Name the tag to merge into in the second field"), TRUE);
      return may_be_empty ? 0 : -1;
    }
  if ((id = galley_store_find_tag (self->store, name, &error)) <= 0)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a tag name */
      text = error != NULL ? g_strdup (error->message) : g_strdup_printf (_("There is no tag “%s”"), name);
      show_status (self, text, TRUE);
      return -1;
    }
  return id;
}

static const char *
name_text (GalleyTaxonomyDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
}

static void
add_clicked_cb (GalleyTaxonomyDialog *self)
{
  g_autoptr(GError) error = NULL;
  gint64 parent = other_tag (self, TRUE);
  gint64 id;

  if (parent < 0)
    return;
  if ((id = galley_store_add_tag (self->store, name_text (self), parent, NULL, NULL, &error)) == 0)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  /* selected, its name stays in the field */
  changed (self, id, NULL);
}

static void
rename_clicked_cb (GalleyTaxonomyDialog *self)
{
  g_autoptr(GError) error = NULL;
  GalleyTag *tag = selected_tag (self);
  gint64 id;

  if (tag == NULL)
    return;
  id = tag->id;
  if (!galley_store_rename_tag (self->store, id, name_text (self), &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }
  changed (self, id, NULL);
}

static void
move_clicked_cb (GalleyTaxonomyDialog *self)
{
  g_autoptr(GError) error = NULL;
  GalleyTag *tag = selected_tag (self);
  gint64 parent = other_tag (self, TRUE);
  gint64 id;

  if (tag == NULL || parent < 0)
    return;
  id = tag->id;
  if (!galley_store_move_tag (self->store, id, parent, &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }
  changed (self, id, NULL);
}

/* Asks before a change that cannot be undone: response_cb gets "confirm";
 * the dialog holds the ids as "tag-id" and "into-id" and the message to
 * show once done as "done". */
static void
confirm (GalleyTaxonomyDialog *self,
         const char           *heading,
         const char           *body,
         const char           *action,
         gint64                tag_id,
         gint64                into_id,
         char                 *done,
         GCallback             response_cb)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "confirm", action, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "tag-id", GSIZE_TO_POINTER (tag_id));
  g_object_set_data (G_OBJECT (dialog), "into-id", GSIZE_TO_POINTER (into_id));
  g_object_set_data_full (G_OBJECT (dialog), "done", done, g_free);
  g_signal_connect_object (dialog, "response", response_cb, self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
merge_response_cb (AdwMessageDialog     *dialog,
                   const char           *response,
                   GalleyTaxonomyDialog *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "tag-id"));
  gint64 into = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "into-id"));

  if (!g_str_equal (response, "confirm"))
    return;
  if (!galley_store_merge_tags (self->store, id, into, &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }
  changed (self, into, g_object_get_data (G_OBJECT (dialog), "done"));
}

static void
merge_clicked_cb (GalleyTaxonomyDialog *self)
{
  GalleyTag *tag = selected_tag (self);
  gint64 into = other_tag (self, FALSE);
  g_autoptr(GalleyTag) target = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (tag == NULL || into < 0 || (target = galley_store_get_tag (self->store, into, NULL)) == NULL)
    return;
  /* Translators: %s are tag names */
  heading = g_strdup_printf (_("Merge “%s” into “%s”?"), tag->name, target->name);
  /* Translators: %u is a number of articles, the first %s the tag they
   * have, the second the tag it is merged into */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u article with “%s” gets “%s” instead, and the subtags move "
                                       "under it. This cannot be undone.",
                                       "%u articles with “%s” get “%s” instead, and the subtags move "
                                       "under it. This cannot be undone.",
                                       tag->n_articles),
                          tag->n_articles, tag->name, target->name);
  confirm (self, heading, body, _("_Merge"), tag->id, into,
           /* Translators: %s are tag names */
           g_strdup_printf (_("“%s” was merged into “%s”"), tag->name, target->name),
           G_CALLBACK (merge_response_cb));
}

static void
delete_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    GalleyTaxonomyDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "tag-id"));
  guint n = 0;

  if (!g_str_equal (response, "confirm"))
    return;
  if (!galley_store_delete_tag (self->store, id, &n, &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }
  /* Translators: after deleting a tag */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The tag was deleted from %u article",
                                          "The tag was deleted from %u articles", n), n);
  changed (self, 0, message);
}

static void
delete_clicked_cb (GalleyTaxonomyDialog *self)
{
  GalleyTag *tag = selected_tag (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (tag == NULL)
    return;
  /* Translators: %s is a tag name */
  heading = g_strdup_printf (_("Delete “%s”?"), tag->name);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u article loses this tag. Its subtags move up a level.",
                                       "%u articles lose this tag. Its subtags move up a level.",
                                       tag->n_articles),
                          tag->n_articles);
  confirm (self, heading, body, _("_Delete"), tag->id, 0, NULL, G_CALLBACK (delete_response_cb));
}

static void
chooser_response_cb (GalleyTaxonomyDialog *self,
                     int                   response,
                     GtkNativeDialog      *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response != GTK_RESPONSE_ACCEPT ||
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) == NULL ||
      (path = g_file_get_path (file)) == NULL)
    {
      g_clear_object (&self->chooser);
      return;
    }
  g_clear_object (&self->chooser);

  if (saving)
    {
      g_autoptr(GPtrArray) entries = galley_store_export_taxonomy (self->store, &error);
      g_autofree char *message = NULL;

      if (entries == NULL || !galley_taxonomy_save (entries, path, &error))
        {
          show_status (self, error->message, TRUE);
          return;
        }
      /* Translators: %s is a file name */
      message = g_strdup_printf (_("Saved the tags to %s"), path);
      show_status (self, message, FALSE);
    }
  else
    {
      g_autoptr(GPtrArray) entries = galley_taxonomy_load (path, &error);
      g_autofree char *message = NULL;
      guint added = 0;

      if (entries == NULL || !galley_store_import_taxonomy (self->store, entries, &added, &error))
        {
          show_status (self, error->message, TRUE);
          return;
        }
      /* Translators: N new tags from FILE */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u tag from %s",
                                              "Added %u tags from %s", added), added, path);
      changed (self, 0, message);
    }
}

static void
open_chooser (GalleyTaxonomyDialog *self,
              GtkFileChooserAction  action)
{
  gboolean saving = action == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (saving ? _("Export the Tags") : _("Import Tags"),
                                               GTK_WINDOW (self), action,
                                               saving ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Taxonomy Files"));
  gtk_file_filter_add_pattern (filter, "*.tsv");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (saving)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "taxonomy.tsv");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_clicked_cb (GalleyTaxonomyDialog *self)
{
  open_chooser (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
export_clicked_cb (GalleyTaxonomyDialog *self)
{
  open_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
galley_taxonomy_dialog_dispose (GObject *object)
{
  GalleyTaxonomyDialog *self = GALLEY_TAXONOMY_DIALOG (object);

  g_clear_object (&self->chooser);
  /* The list drops its selection as it goes: the buttons are gone by then. */
  if (self->tag_list != NULL)
    g_signal_handlers_disconnect_by_data (self->tag_list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_TAXONOMY_DIALOG);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_taxonomy_dialog_parent_class)->dispose (object);
}

static void
galley_taxonomy_dialog_class_init (GalleyTaxonomyDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_taxonomy_dialog_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-taxonomy-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, GalleyTaxonomyDialog, name)
  BIND (tag_list);
  BIND (name_entry);
  BIND (other_entry);
  BIND (rename_button);
  BIND (move_button);
  BIND (merge_button);
  BIND (delete_button);
  BIND (status_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rename_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, move_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, merge_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
galley_taxonomy_dialog_init (GalleyTaxonomyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GalleyTaxonomyDialog *
galley_taxonomy_dialog_new (GtkWindow   *parent,
                            GalleyStore *store)
{
  GalleyTaxonomyDialog *self;

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);

  self = g_object_new (GALLEY_TYPE_TAXONOMY_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  reload (self, 0);
  return self;
}
