/* galley-upgrade-window.h: shown while an older archive is brought up to date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GALLEY_TYPE_UPGRADE_WINDOW (galley_upgrade_window_get_type ())

G_DECLARE_FINAL_TYPE (GalleyUpgradeWindow, galley_upgrade_window, GALLEY, UPGRADE_WINDOW,
                      AdwApplicationWindow)

/* A small window saying that the archive at database is being updated. */
GalleyUpgradeWindow *galley_upgrade_window_new (GtkApplication *application,
                                                const char     *database);

G_END_DECLS
