/* galley-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GALLEY_TYPE_APPLICATION (galley_application_get_type ())

G_DECLARE_FINAL_TYPE (GalleyApplication, galley_application, GALLEY, APPLICATION, AdwApplication)

GalleyApplication *galley_application_new (void);

G_END_DECLS
