/* galley-sidebar.h: the selected article's details and tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "galley-store.h"

G_BEGIN_DECLS

#define GALLEY_TYPE_SIDEBAR (galley_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (GalleySidebar, galley_sidebar, GALLEY, SIDEBAR, GtkWidget)

void     galley_sidebar_set_store   (GalleySidebar *self,
                                     GalleyStore   *store);
/* Shows an article's details, or nothing with id 0. */
gboolean galley_sidebar_set_article (GalleySidebar *self,
                                     gint64         id,
                                     GError       **error);

G_END_DECLS
