/* galley-bulk-tag-dialog.h: tag every untagged article above a confidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-suggest.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_BULK_TAG_DIALOG (galley_bulk_tag_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GalleyBulkTagDialog, galley_bulk_tag_dialog, GALLEY, BULK_TAG_DIALOG, AdwWindow)

/* Shows what it would do at the chosen confidence (worked out in a worker
 * thread with its own connection to database); "applied" (a GArray of
 * GalleyTagging, for undo) once the user tagged the articles. */
GalleyBulkTagDialog *galley_bulk_tag_dialog_new (GtkWindow          *parent,
                                                 const char         *database,
                                                 GalleySuggestModel *model);

G_END_DECLS
