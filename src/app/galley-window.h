/* galley-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-application.h"
#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_WINDOW (galley_window_get_type ())

G_DECLARE_FINAL_TYPE (GalleyWindow, galley_window, GALLEY, WINDOW, AdwApplicationWindow)

/* store may be NULL when it could not be opened; open_error then says why. */
GalleyWindow *galley_window_new    (GalleyApplication *application,
                                    GalleyStore       *store,
                                    GSettings         *settings,
                                    const char        *database,
                                    const GError      *open_error);
/* Imports files and folders in a worker thread, with progress. */
void          galley_window_import (GalleyWindow      *self,
                                    GFile            **files,
                                    guint              n_files);
/* Marks the start of the process, for the timing in the debug log. */
void          galley_window_mark_start (void);

G_END_DECLS
