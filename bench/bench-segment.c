/* bench-segment.c: segmentation speed and linearity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-segment [PAGES_DIR [N_PAGES]]
 *
 * Segments the sample pages over and over (N_PAGES in all, 10000 by
 * default) on one core, then pathological pages of growing size: one long
 * line without line breaks, and many short lines. Prints the times and the
 * peak RSS; exits with 1 when doubling a page more than triples its time.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>

#include "galley-segment.h"

static const char *page_names[] = {
  "000_633e285ed10be693.txt",
  "001_f737bf2f8b1f8a2a.txt",
  "002_ef9c8de5fc9873ff.txt",
  "003_c1254725e93ffd7e.txt",
  "004_58c0054395c95171.txt",
};

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
time_page (const char *text, gsize len, guint *n_segments)
{
  double t0 = now ();
  g_autoptr(GalleyPage) page = galley_segment_page (text, len, NULL, 0);

  *n_segments = page->segments->len;
  return now () - t0;
}

/* All sample text with its line breaks dropped, repeated to `size` bytes. */
static GString *
long_line (GPtrArray *pages, gsize size)
{
  GString *out = g_string_sized_new (size + 64);

  while (out->len < size)
    for (guint i = 0; i < pages->len && out->len < size; i++)
      for (const char *p = pages->pdata[i]; *p && out->len < size; p++)
        if (*p != '\n')
          g_string_append_c (out, *p);
  /* cut back to a character boundary */
  while (out->len > 0 && (out->str[out->len - 1] & 0xC0) == 0x80)
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && (guchar) out->str[out->len - 1] >= 0xC0)
    g_string_truncate (out, out->len - 1);
  return out;
}

/* `n` short lines: the sample lines cut to at most six characters, so
 * datelines, headline-like lines and blank lines alternate quickly. */
static GString *
short_lines (GPtrArray *lines, guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *line = lines->pdata[i % lines->len];
      glong chars = MIN (g_utf8_strlen (line, -1), 6);

      g_string_append_len (out, line, g_utf8_offset_to_pointer (line, chars) - line);
      g_string_append_c (out, '\n');
    }
  return out;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint n_pages = 10000, n_segments = 0, n;
  gsize total_bytes = 0;
  double t, t_small, t_big;
  struct rusage usage;
  gboolean linear = TRUE;

  if (argc > 1)
    dir = g_strdup (argv[1]);
  else if (g_getenv ("G_TEST_SRCDIR"))
    dir = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "pages", NULL);
  else
    dir = g_strdup ("tests/data/pages");
  if (argc > 2)
    n_pages = (guint) atoi (argv[2]);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_autofree char *path = g_build_filename (dir, page_names[i], NULL);
      g_autoptr(GError) error = NULL;
      char *text;
      gsize len;

      if (!g_file_get_contents (path, &text, &len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      g_ptr_array_add (pages, text);
      g_array_append_val (lens, len);
      {
        g_auto(GStrv) split = g_strsplit (text, "\n", -1);

        for (guint j = 0; split[j]; j++)
          g_ptr_array_add (lines, g_strdup (split[j]));
      }
    }

  /* the sample pages, over and over */
  t = now ();
  for (guint i = 0; i < n_pages; i++)
    {
      guint k = i % pages->len;
      g_autoptr(GalleyPage) page = galley_segment_page (pages->pdata[k],
                                                        g_array_index (lens, gsize, k),
                                                        page_names[k], 0);

      n_segments += page->segments->len;
      total_bytes += g_array_index (lens, gsize, k);
    }
  t = now () - t;
  printf ("sample pages: %u pages, %.1f MB, %u segments in %.3f s (%.0f pages/s)\n",
          n_pages, total_bytes / 1e6, n_segments, t, n_pages / t);

  /* one long line without line breaks: 1 MB, then 2 MB */
  {
    g_autoptr(GString) one = long_line (pages, 1000000);
    g_autoptr(GString) two = long_line (pages, 2000000);

    t_small = time_page (one->str, one->len, &n);
    printf ("1 MB without line breaks: %.3f s, %u segments\n", t_small, n);
    t_big = time_page (two->str, two->len, &n);
    printf ("2 MB without line breaks: %.3f s, %u segments\n", t_big, n);
    if (t_big > 3 * t_small + 0.05)
      linear = FALSE;
  }

  /* many short lines: 100000, then 200000 */
  {
    g_autoptr(GString) one = short_lines (lines, 100000);
    g_autoptr(GString) two = short_lines (lines, 200000);

    t_small = time_page (one->str, one->len, &n);
    printf ("100000 short lines (%.1f MB): %.3f s, %u segments\n", one->len / 1e6, t_small, n);
    t_big = time_page (two->str, two->len, &n);
    printf ("200000 short lines (%.1f MB): %.3f s, %u segments\n", two->len / 1e6, t_big, n);
    if (t_big > 3 * t_small + 0.05)
      linear = FALSE;
  }

  getrusage (RUSAGE_SELF, &usage);
  printf ("peak RSS: %.1f MB\n", usage.ru_maxrss / 1024.0);
  printf ("linear: %s\n", linear ? "yes" : "NO");

  return linear ? 0 : 1;
}
