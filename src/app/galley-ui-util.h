/* galley-ui-util.h: small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows one page of a stack and hides the others, so that what assistive
 * technologies read is what is on screen. */
void galley_stack_show_page (GtkStack   *stack,
                             const char *name);

G_END_DECLS
