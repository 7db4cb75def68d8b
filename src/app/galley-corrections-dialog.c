/* galley-corrections-dialog.c: list, add and delete the editors' known
 * corrections (人区 → 入区), which later imports flag as suspects
 *
 * The list is small (one row per correction an editor made): it is read
 * and written on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-corrections-dialog"

#include <glib/gi18n.h>

#include "galley-corrections-dialog.h"
#include "galley-store-edit.h"

struct _GalleyCorrectionsDialog
{
  AdwWindow     parent_instance;

  /* Template widgets */
  GtkListBox   *correction_list;
  GtkEntry     *wrong_entry;
  GtkEntry     *right_entry;
  GtkWidget    *add_button;
  GtkLabel     *status_label;

  /* Owned */
  GalleyStore  *store;
};

G_DEFINE_FINAL_TYPE (GalleyCorrectionsDialog, galley_corrections_dialog, ADW_TYPE_WINDOW)

static void
show_status (GalleyCorrectionsDialog *self,
             const char              *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void reload (GalleyCorrectionsDialog *self);

static void
delete_clicked_cb (GtkButton               *button,
                   GalleyCorrectionsDialog *self)
{
  const char *wrong = g_object_get_data (G_OBJECT (button), "galley-wrong");
  g_autoptr(GError) error = NULL;

  if (!galley_store_remove_known_correction (self->store, wrong, &error))
    {
      show_status (self, error->message);
      return;
    }
  show_status (self, NULL);
  reload (self);
}

static GtkWidget *
make_row (GalleyCorrectionsDialog *self,
          const char              *wrong,
          const char              *right)
{
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  /* Translators: a known correction: the wrong text, then the right one */
  title = g_strdup_printf (_("%s → %s"), wrong, right);
  /* Translators: the accessible name of a delete button; %s is "wrong → right" */
  name = g_strdup_printf (_("Delete %s"), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, !galley_store_is_read_only (self->store));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Delete this correction"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "galley-wrong", g_strdup (wrong), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (delete_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
reload (GalleyCorrectionsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pairs = galley_store_list_known_corrections (self->store, &error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->correction_list))) != NULL)
    gtk_list_box_remove (self->correction_list, child);
  if (pairs == NULL)
    {
      show_status (self, error->message);
      return;
    }
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    gtk_list_box_append (self->correction_list, make_row (self, pairs[i], pairs[i + 1]));
}

static void
entries_changed_cb (GalleyCorrectionsDialog *self)
{
  const char *wrong = gtk_editable_get_text (GTK_EDITABLE (self->wrong_entry));
  const char *right = gtk_editable_get_text (GTK_EDITABLE (self->right_entry));

  gtk_widget_set_sensitive (self->add_button, wrong[0] != '\0' && right[0] != '\0' &&
                                              !g_str_equal (wrong, right));
}

static void
add_clicked_cb (GalleyCorrectionsDialog *self)
{
  g_autofree char *wrong = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->wrong_entry))));
  g_autofree char *right = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->right_entry))));
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_sensitive (self->add_button))
    return;
  if (!galley_store_add_known_correction (self->store, wrong, right, &error))
    {
      show_status (self, error->message);
      return;
    }
  show_status (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->wrong_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->right_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->wrong_entry));
  reload (self);
}

/* Return in the wrong text goes on to the right one. */
static void
wrong_activate_cb (GalleyCorrectionsDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->right_entry));
}

static void
galley_corrections_dialog_dispose (GObject *object)
{
  GalleyCorrectionsDialog *self = GALLEY_CORRECTIONS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_CORRECTIONS_DIALOG);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_corrections_dialog_parent_class)->dispose (object);
}

static void
galley_corrections_dialog_class_init (GalleyCorrectionsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_corrections_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-corrections-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyCorrectionsDialog, correction_list);
  gtk_widget_class_bind_template_child (widget_class, GalleyCorrectionsDialog, wrong_entry);
  gtk_widget_class_bind_template_child (widget_class, GalleyCorrectionsDialog, right_entry);
  gtk_widget_class_bind_template_child (widget_class, GalleyCorrectionsDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, GalleyCorrectionsDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, entries_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, wrong_activate_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
galley_corrections_dialog_init (GalleyCorrectionsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GalleyCorrectionsDialog *
galley_corrections_dialog_new (GtkWindow   *parent,
                               GalleyStore *store)
{
  GalleyCorrectionsDialog *self;

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);

  self = g_object_new (GALLEY_TYPE_CORRECTIONS_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wrong_entry), !galley_store_is_read_only (store));
  gtk_widget_set_sensitive (GTK_WIDGET (self->right_entry), !galley_store_is_read_only (store));
  reload (self);
  return self;
}
