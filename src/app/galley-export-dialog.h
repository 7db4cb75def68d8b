/* galley-export-dialog.h: export articles to files, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_EXPORT_DIALOG (galley_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GalleyExportDialog, galley_export_dialog, GALLEY, EXPORT_DIALOG, AdwWindow)

/* The export runs in a worker thread on its own connection to the
 * database of store. The result is told in toasts (a toast with an "Open
 * Folder" button when it worked). settings keeps the last format, folder
 * and file name pattern. */
GalleyExportDialog *galley_export_dialog_new          (GtkWindow                *parent,
                                                       GalleyStore              *store,
                                                       GSettings                *settings,
                                                       AdwToastOverlay          *toasts);
/* Offers "This article" (one id) or "Selected articles" (several). */
void                galley_export_dialog_set_articles (GalleyExportDialog       *self,
                                                       const gint64             *ids,
                                                       guint                     n_ids);
/* Offers "Articles in the list": what query lists; articles is the list
 * it gives now (for the count and an example file name). */
void                galley_export_dialog_set_list     (GalleyExportDialog       *self,
                                                       const GalleyArticleQuery *query,
                                                       GListModel               *articles);

G_END_DECLS
