/* galley-store-private.h: for the store's own tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "galley-store.h"

G_BEGIN_DECLS

/* Opens and migrates up to `version` only, to make an older archive. */
GalleyStore *galley_store_open_at_version (const char  *path,
                                           int          version,
                                           GError     **error);

G_END_DECLS
