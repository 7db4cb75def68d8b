/* fuzz-taxonomy.c: libFuzzer target for the taxonomy file parser
 *
 * Any bytes parse or fail with an error; what parses writes back to text
 * that parses to the same entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "galley-taxonomy.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = galley_taxonomy_parse ((const char *) data, size, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *written = NULL;

  if (entries == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }
  written = galley_taxonomy_write (entries);
  again = galley_taxonomy_parse (written, strlen (written), NULL);
  if (again == NULL || again->len != entries->len)
    abort ();
  for (guint i = 0; i < entries->len; i++)
    if (!galley_taxonomy_entry_equal (g_ptr_array_index (entries, i), g_ptr_array_index (again, i)))
      abort ();
  return 0;
}
