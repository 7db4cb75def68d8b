/* galley-history-dialog.h: the revisions of an article, to view and restore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_HISTORY_DIALOG (galley_history_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GalleyHistoryDialog, galley_history_dialog, GALLEY, HISTORY_DIALOG, AdwWindow)

/* Signal "restored": a revision was restored (as a new revision). */
GalleyHistoryDialog *galley_history_dialog_new (GalleyStore *store,
                                                gint64       article_id);

G_END_DECLS
