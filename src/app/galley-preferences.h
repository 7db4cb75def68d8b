/* galley-preferences.h: the preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GALLEY_TYPE_PREFERENCES (galley_preferences_get_type ())

G_DECLARE_FINAL_TYPE (GalleyPreferences, galley_preferences, GALLEY, PREFERENCES, AdwPreferencesWindow)

/* Edits the clean-up rules (disabled-rules) and the editor's font
 * (editor-font) in settings, the io.galley.Galley schema. */
GalleyPreferences *galley_preferences_new (GtkWindow *parent,
                                           GSettings *settings);

G_END_DECLS
