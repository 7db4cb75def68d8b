/* galley-replace-dialog.h: find and replace across the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_REPLACE_DIALOG (galley_replace_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GalleyReplaceDialog, galley_replace_dialog, GALLEY, REPLACE_DIALOG, AdwWindow)

/* Emits "replaced" (GArray *undo, guint n_replaced) after Replace All;
 * the undo record is what galley_store_undo_replace() takes. */
GalleyReplaceDialog *galley_replace_dialog_new (GtkWindow   *parent,
                                                GalleyStore *store);
/* Fills in the search (and the replacement, may be NULL). */
void                 galley_replace_dialog_set_pattern (GalleyReplaceDialog *self,
                                                        const char          *pattern,
                                                        const char          *replacement);

G_END_DECLS
