/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <glib/gi18n.h>

#include "galley-application.h"
#include "galley-window.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GalleyApplication) app = NULL;

  galley_window_mark_start ();
  setlocale (LC_ALL, "");
  /* GALLEY_LOCALE_DIR: the translations of a build tree, for its tests */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GALLEY_LOCALE_DIR") != NULL ?
                  g_getenv ("GALLEY_LOCALE_DIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = galley_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
