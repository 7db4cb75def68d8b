/* galley-taxonomy-dialog.h: edit, import and export the archive's tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_TAXONOMY_DIALOG (galley_taxonomy_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GalleyTaxonomyDialog, galley_taxonomy_dialog, GALLEY, TAXONOMY_DIALOG, AdwWindow)

/* Emits "changed" after each change to the tags. */
GalleyTaxonomyDialog *galley_taxonomy_dialog_new (GtkWindow   *parent,
                                                  GalleyStore *store);

G_END_DECLS
