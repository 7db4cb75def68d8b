/* bench-clean.c: throughput of the clean-up rules
 *
 *   bench-clean [PAGES_DIR] [MEGABYTES] [--no-scaling]
 *
 * cleans the sample pages repeated to about 50 MB on one core, first with
 * the five text rules, then also with the confusion scan (when its data is
 * installed or $GALLEY_DATA_DIR holds it), and prints MB/s of CPU time
 * (best of three runs; the wall-clock figure suffers when the machine is
 * busy) and the peak resident memory of the first run; then times inputs
 * that would expose quadratic behaviour, each at two sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-bench"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "galley-clean.h"

#define RULES_TEXT (GALLEY_RULES_ALL & ~GALLEY_RULE_CONFUSION)

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
time_clean_with (const char       *text,
                 gsize             len,
                 GalleyRule        rules,
                 GalleyConfusions *confusions,
                 double           *wall)
{
  gint64 start_wall = g_get_monotonic_time ();
  double start = cpu_seconds ();
  GalleyCleanResult *r = galley_clean (text, len, rules, confusions);
  double secs = cpu_seconds () - start;

  if (wall != NULL)
    *wall = (g_get_monotonic_time () - start_wall) / 1e6;
  galley_clean_result_free (r);
  return secs;
}

static double
time_clean (const char *text,
            gsize       len)
{
  return time_clean_with (text, len, GALLEY_RULES_ALL, NULL, NULL);
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

/* Best of three runs, in CPU seconds */
static void
throughput (const char       *name,
            const char       *text,
            gsize             size,
            GalleyRule        rules,
            GalleyConfusions *confusions)
{
  double best = G_MAXDOUBLE, best_wall = G_MAXDOUBLE;

  for (guint i = 0; i < 3; i++)
    {
      double wall;
      double secs = time_clean_with (text, size, rules, confusions, &wall);

      best = MIN (best, secs);
      best_wall = MIN (best_wall, wall);
    }
  printf ("%-44s %6.1f MB %8.3f s  %7.1f MB/s  (wall %.1f MB/s)\n", name,
          size / 1e6, best, size / 1e6 / best, size / 1e6 / best_wall);
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
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GError) conf_error = NULL;
  gboolean scaling_runs = !(argc > 3 && strcmp (argv[3], "--no-scaling") == 0);
  const char *name;
  long rss_before;
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
  rss_before = peak_rss_mb ();
  time_clean_with (corpus, size, RULES_TEXT, NULL, NULL);
  printf ("peak RSS: %ld MB with the input loaded, %ld MB after cleaning it\n",
          rss_before, peak_rss_mb ());
  throughput ("sample pages, text rules", corpus, size, RULES_TEXT, NULL);

  confusions = galley_confusions_new_default (&conf_error);
  if (conf_error != NULL)
    printf ("confusion scan skipped: %s\n", conf_error->message);
  else
    {
      g_autoptr(GalleyCleanResult) r = galley_clean (corpus, size, RULES_TEXT, NULL);
      g_autoptr(GPtrArray) suspects = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);
      double start = cpu_seconds (), secs;

      galley_confusions_scan (confusions, r->text, strlen (r->text), suspects);
      secs = cpu_seconds () - start;
      printf ("%-44s %6.1f MB %8.3f s  %7.1f MB/s  (%u suspects)\n", "confusion scan of the clean text alone",
              strlen (r->text) / 1e6, secs, strlen (r->text) / 1e6 / secs, suspects->len);
      throughput ("sample pages, text rules + confusions", corpus, size, GALLEY_RULES_ALL, confusions);
    }
  if (!scaling_runs)
    return 0;

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

  printf ("peak RSS overall: %ld MB\n", peak_rss_mb ());
  return 0;
}
