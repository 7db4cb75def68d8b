/* galley-resegment.h: split an imported page into articles again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "galley-import.h"
#include "galley-store-pages.h"

G_BEGIN_DECLS

/* Segments a source's page again, in one transaction. Articles an editor
 * has changed, reviewed or tagged are kept as they are (and listed in
 * `kept`, of GalleyStoredSlice*, when not NULL); the others are replaced
 * by the new segmentation, cleaned with options; new articles that would
 * overlap a kept one are left out. Returns the number of articles of the
 * source afterwards, or -1 with error set. */
gint galley_resegment_source (GalleyStore               *store,
                              gint64                     source_id,
                              const GalleyImportOptions *options,
                              GPtrArray                **kept,
                              GError                   **error);

G_END_DECLS
