/* galley-ui-util.c: small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "galley-ui-util.h"

void
galley_stack_show_page (GtkStack   *stack,
                        const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (stack, name);

  g_return_if_fail (page != NULL);

  gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child (stack, page);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != page)
      gtk_widget_set_visible (child, FALSE);
}
