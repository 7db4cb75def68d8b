/* fuzz-segment.c: libFuzzer target for page segmentation
 *
 * The input is made valid UTF-8 (as the decoder delivers it, without CR)
 * and segmented; the segments must lie inside the page, in order, without
 * overlap, and each body must be the text of its body lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "galley-segment.h"
#include "galley-text.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_utf8_make_valid ((const char *) data, size);
  g_autoptr(GalleyPage) page = NULL;
  gsize len, end = 0;

  len = galley_text_normalize_newlines (text, strlen (text));
  page = galley_segment_page (text, len, "fuzz-2020.txt", 0);
  if (page == NULL || page->segments == NULL)
    abort ();
  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *s = g_ptr_array_index (page->segments, i);

      if (s->start < end || s->end < s->start || s->end > len)
        abort ();
      end = s->end;
      if (s->body == NULL || !g_utf8_validate (s->body, -1, NULL) ||
          (s->title != NULL && !g_utf8_validate (s->title, -1, NULL)))
        abort ();
    }
  return 0;
}
