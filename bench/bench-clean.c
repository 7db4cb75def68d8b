/* bench-clean.c: throughput of the clean-up rules
 *
 *   bench-clean [PAGES_DIR] [MEGABYTES]
 *
 * cleans the sample pages repeated to about 50 MB with every rule on, one
 * core, and prints MB/s and the peak resident memory; then times inputs
 * that would expose quadratic behaviour, each at two sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-bench"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "galley-clean.h"

static double
time_clean (const char *text,
            gsize       len)
{
  gint64 start = g_get_monotonic_time ();
  GalleyCleanResult *r = galley_clean (text, len, GALLEY_RULES_ALL, NULL);
  double secs = (g_get_monotonic_time () - start) / 1e6;

  galley_clean_result_free (r);
  return secs;
}

static gsize
char_boundary (const char *text,
               gsize       pos)
{
  while (pos > 0 && (text[pos] & 0xC0) == 0x80)
    pos--;
  return pos;
}

/* unit repeated to size bytes, cut on a character boundary */
static char *
repeat (const char *unit,
        gsize       unit_len,
        gsize       size)
{
  GString *s = g_string_sized_new (size + unit_len);

  while (s->len < size)
    g_string_append_len (s, unit, unit_len);
  g_string_truncate (s, char_boundary (s->str, size));
  return g_string_free (s, FALSE);
}

/* Times text cut to size and to size / 2: linear code takes about twice
 * as long for twice the input. */
static void
scaling (const char *name,
         const char *unit,
         gsize       size)
{
  g_autofree char *text = repeat (unit, strlen (unit), size);
  gsize half = char_boundary (text, size / 2);
  double t_half, t_full;

  size = strlen (text);
  t_half = time_clean (text, half);
  t_full = time_clean (text, size);
  printf ("%-44s %6.1f MB %8.3f s  (half: %.3f s, ratio %.2f)\n", name, size / 1e6,
          t_full, t_half, t_half > 0 ? t_full / t_half : 0.0);
}

int
main (int   argc,
      char *argv[])
{
  const char *dir = argc > 1 ? argv[1] : "tests/data/pages";
  gsize mb = argc > 2 ? (gsize) atoi (argv[2]) : 50;
  g_autoptr(GString) pages = g_string_new (NULL);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *corpus = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *han = NULL;
  const char *name;
  struct rusage usage;
  double secs;
  gsize size = mb * 1000 * 1000;

  d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;

      if (!g_str_has_suffix (name, ".txt") || !g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      g_string_append (pages, contents);
      g_string_append (pages, "\n\n");
    }
  if (pages->len == 0)
    {
      fprintf (stderr, "no pages in %s\n", dir);
      return 1;
    }

  corpus = repeat (pages->str, pages->len, size);
  size = strlen (corpus);
  secs = time_clean (corpus, size);
  getrusage (RUSAGE_SELF, &usage);
  printf ("%-44s %6.1f MB %8.3f s  %7.1f MB/s  peak RSS %ld MB\n", "sample pages, all rules",
          size / 1e6, secs, size / 1e6 / secs, usage.ru_maxrss / 1024);

  /* the pages with no line break at all */
  flat = g_strdup (pages->str);
  for (char *p = flat; *p; p++)
    if (*p == '\n')
      *p = ' ';
  scaling ("no line breaks", flat, size);

  /* one paragraph of Han characters without punctuation */
  {
    GString *s = g_string_new (NULL);

    for (const char *p = pages->str; *p; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (c >= 0x4E00 && c <= 0x9FFF)
          g_string_append_unichar (s, c);
      }
    han = g_string_free (s, FALSE);
  }
  scaling ("1 MB paragraph without punctuation", han, 1000 * 1000);
  scaling ("10 MB of one repeated character", "好", 10 * 1000 * 1000);
  scaling ("10 MB of a repeated 3-character fragment", "一二三", 10 * 1000 * 1000);
  scaling ("10 MB of half-width commas", ",", 10 * 1000 * 1000);
  scaling ("10 MB of spaces between Han", "中 ", 10 * 1000 * 1000);
  scaling ("10 MB of blank lines", "\n", 10 * 1000 * 1000);
  scaling ("10 MB of short lines", "甲乙丙\n", 10 * 1000 * 1000);
  scaling ("10 MB of nested brackets", "(((((中", 10 * 1000 * 1000);

  getrusage (RUSAGE_SELF, &usage);
  printf ("peak RSS overall: %ld MB\n", usage.ru_maxrss / 1024);
  return 0;
}
