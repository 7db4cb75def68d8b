/* fuzz-text.c: libFuzzer target for decoding imported bytes
 *
 * Any bytes either decode to valid UTF-8 without NUL bytes or CR, and with
 * an encoding name, or fail with a GalleyTextError.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "galley-text.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  const char *encoding = NULL;
  g_autofree char *text = galley_text_decode ((const char *) data, size, &encoding, &error);

  if (text == NULL)
    {
      if (error == NULL || error->domain != GALLEY_TEXT_ERROR)
        abort ();
      return 0;
    }
  if (error != NULL || encoding == NULL ||
      !g_utf8_validate (text, -1, NULL) || strchr (text, '\r') != NULL)
    abort ();
  return 0;
}
