/* galley-corrections-dialog.h: the editors' known corrections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_CORRECTIONS_DIALOG (galley_corrections_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GalleyCorrectionsDialog, galley_corrections_dialog, GALLEY, CORRECTIONS_DIALOG, AdwWindow)

/* Lists, adds and deletes the known corrections of store, which later
 * imports flag. */
GalleyCorrectionsDialog *galley_corrections_dialog_new (GtkWindow   *parent,
                                                        GalleyStore *store);

G_END_DECLS
