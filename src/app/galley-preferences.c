/* galley-preferences.c: the preferences window: the clean-up rules an
 * import applies, the year it gives dates printed without one, and the font
 * of the article text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-preferences"

#include <glib/gi18n.h>

#include "galley-clean.h"
#include "galley-preferences.h"

struct _GalleyPreferences
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *rules_group;
  GtkSpinButton        *year_spin;
  GtkSwitch            *year_switch;
  GtkSwitch            *system_font_switch;
  AdwActionRow         *font_row;
  GtkFontButton        *font_button;

  /* Owned */
  GSettings            *settings;
  GtkSwitch            *rule_switches[GALLEY_N_RULES];
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (GalleyPreferences, galley_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static GalleyRule
rule_at (guint index)
{
  return (GalleyRule) (1u << index);
}

/* The switches show the setting. */
static void
rules_changed_cb (GalleyPreferences *self)
{
  g_auto(GStrv) disabled = g_settings_get_strv (self->settings, "disabled-rules");

  self->updating = TRUE;
  for (guint i = 0; i < GALLEY_N_RULES; i++)
    gtk_switch_set_active (self->rule_switches[i],
                           !g_strv_contains ((const char * const *) disabled,
                                             galley_rule_to_id (rule_at (i))));
  self->updating = FALSE;
}

/* The setting follows the switches; ids it does not know are kept. */
static void
rule_switched_cb (GalleyPreferences *self)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) disabled = NULL;

  if (self->updating)
    return;
  old = g_settings_get_strv (self->settings, "disabled-rules");
  builder = g_strv_builder_new ();
  for (guint i = 0; old[i] != NULL; i++)
    if (galley_rule_from_id (old[i]) == 0)
      g_strv_builder_add (builder, old[i]);
  for (guint i = 0; i < GALLEY_N_RULES; i++)
    if (!gtk_switch_get_active (self->rule_switches[i]))
      g_strv_builder_add (builder, galley_rule_to_id (rule_at (i)));
  disabled = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "disabled-rules", (const char * const *) disabled);
}

static void
add_rule_rows (GalleyPreferences *self)
{
  for (guint i = 0; i < GALLEY_N_RULES; i++)
    {
      const char *label = galley_rule_get_label (rule_at (i));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (self->rules_group, row);
      self->rule_switches[i] = GTK_SWITCH (toggle);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (rule_switched_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

/* The default year of dates printed without one: 0 for none. */
static void
year_changed_cb (GalleyPreferences *self)
{
  int year = g_settings_get_int (self->settings, "undated-year");

  self->updating = TRUE;
  gtk_switch_set_active (self->year_switch, year > 0);
  if (year > 0)
    gtk_spin_button_set_value (self->year_spin, year);
  gtk_widget_set_sensitive (GTK_WIDGET (self->year_spin), year > 0);
  self->updating = FALSE;
}

static void
year_edited_cb (GalleyPreferences *self)
{
  if (self->updating)
    return;
  g_settings_set_int (self->settings, "undated-year",
                      gtk_switch_get_active (self->year_switch)
                      ? gtk_spin_button_get_value_as_int (self->year_spin) : 0);
}

/* The font: the system's ('') or one the editor chose. */
static void
font_changed_cb (GalleyPreferences *self)
{
  g_autofree char *font = g_settings_get_string (self->settings, "editor-font");

  self->updating = TRUE;
  gtk_switch_set_active (self->system_font_switch, font[0] == '\0');
  if (font[0] != '\0')
    gtk_font_chooser_set_font (GTK_FONT_CHOOSER (self->font_button), font);
  gtk_widget_set_sensitive (GTK_WIDGET (self->font_row), font[0] != '\0');
  self->updating = FALSE;
}

static void
system_font_switched_cb (GalleyPreferences *self)
{
  g_autofree char *font = NULL;

  if (self->updating)
    return;
  if (!gtk_switch_get_active (self->system_font_switch))
    font = gtk_font_chooser_get_font (GTK_FONT_CHOOSER (self->font_button));
  g_settings_set_string (self->settings, "editor-font", font != NULL ? font : "");
}

static void
font_set_cb (GalleyPreferences *self)
{
  g_autofree char *font = gtk_font_chooser_get_font (GTK_FONT_CHOOSER (self->font_button));

  if (!self->updating && font != NULL)
    g_settings_set_string (self->settings, "editor-font", font);
}

static void
galley_preferences_dispose (GObject *object)
{
  GalleyPreferences *self = GALLEY_PREFERENCES (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_PREFERENCES);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (galley_preferences_parent_class)->dispose (object);
}

static void
galley_preferences_class_init (GalleyPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_preferences_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, GalleyPreferences, rules_group);
  gtk_widget_class_bind_template_child (widget_class, GalleyPreferences, year_spin);
  gtk_widget_class_bind_template_child (widget_class, GalleyPreferences, year_switch);
  gtk_widget_class_bind_template_child (widget_class, GalleyPreferences, system_font_switch);
  gtk_widget_class_bind_template_child (widget_class, GalleyPreferences, font_row);
  gtk_widget_class_bind_template_child (widget_class, GalleyPreferences, font_button);
  gtk_widget_class_bind_template_callback (widget_class, year_edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, system_font_switched_cb);
  gtk_widget_class_bind_template_callback (widget_class, font_set_cb);
}

static void
galley_preferences_init (GalleyPreferences *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Switched on, the year starts at this one. */
  gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
  self->updating = FALSE;
  add_rule_rows (self);
}

GalleyPreferences *
galley_preferences_new (GtkWindow *parent,
                        GSettings *settings)
{
  GalleyPreferences *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GALLEY_TYPE_PREFERENCES, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  rules_changed_cb (self);
  year_changed_cb (self);
  font_changed_cb (self);
  g_signal_connect_swapped (settings, "changed::undated-year", G_CALLBACK (year_changed_cb), self);
  g_signal_connect_swapped (settings, "changed::disabled-rules", G_CALLBACK (rules_changed_cb), self);
  g_signal_connect_swapped (settings, "changed::editor-font", G_CALLBACK (font_changed_cb), self);
  return self;
}
