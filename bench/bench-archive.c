/* bench-archive.c: archive scale, import and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-archive import DATABASE PAGES_DIR
 *        bench-archive query DATABASE [N_QUERIES]
 *        bench-archive reindex DATABASE
 *
 * import: imports every page under PAGES_DIR (make them with
 * make-pages.py) as galley-cli does, with segmentation, clean-up,
 * look-alike checks when their data is installed, and indexing, on one
 * thread; prints pages/s, articles, database size and peak RSS.
 *
 * query: draws N_QUERIES (100) Chinese words of one to four characters
 * from random articles, searches each as the article list does (ids in
 * page order), and prints the median and 95th percentile latency, per
 * length and overall; then the time to list every id in each order, and
 * to show the first rows of the list (ids plus 40 summaries) as the window
 * does when it opens. With GALLEY_BENCH_WORDS set, each word, its hits and
 * its time go to standard error.
 *
 * reindex: rebuilds the search indexes (after grow-archive.py).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <gio/gio.h>

#include "galley-import.h"
#include "galley-store.h"
#include "galley-store-edit.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

static double
file_mb (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? st.st_size / 1048576.0 : 0;
}

typedef struct {
  guint pages, articles, failed;
  double started;
} Counts;

static void
count_result (GalleyImportResult *result,
              gpointer            user_data)
{
  Counts *counts = user_data;

  if (result->status == GALLEY_IMPORT_IMPORTED)
    counts->pages++, counts->articles += result->n_articles;
  else if (result->status == GALLEY_IMPORT_FAILED)
    counts->failed++, fprintf (stderr, "%s: %s\n", result->path, result->error->message);
  if ((counts->pages + counts->failed) % 10000 == 0)
    fprintf (stderr, "  %u pages, %.0f s\n", counts->pages + counts->failed, now () - counts->started);
  galley_import_result_free (result);
}

static int
import (const char *database,
        const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (database, &error);
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new_default (NULL);
  g_autoptr(GFile) root = g_file_new_for_commandline_arg (dir);
  g_autoptr(GPtrArray) files = NULL;
  GalleyImportOptions options = { GALLEY_RULES_ALL, confusions, 0 };
  Counts counts = { 0 };
  double t0, t, cpu0, cpu;

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  t0 = counts.started = now ();
  cpu0 = cpu_seconds ();
  files = galley_import_collect (&root, 1, NULL, NULL);
  galley_import_files (store, files, &options, NULL, count_result, &counts);
  t = now () - t0;
  g_clear_object (&store); /* checkpoints the WAL into the file */
  cpu = cpu_seconds () - cpu0;
  printf ("import: %u pages (%u articles, %u failed) in %.1f s (%.1f s of CPU): %.0f pages/s,"
          " %.0f articles/s per CPU second; look-alike checks %s\n",
          counts.pages, counts.articles, counts.failed, t, cpu, counts.pages / cpu,
          counts.articles / cpu,
          confusions != NULL && galley_confusions_has_data (confusions) ? "on" : "off");
  printf ("import: database %.0f MB, peak RSS %ld MB\n", file_mb (database), peak_rss_mb ());
  return counts.failed > 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *label,
        GArray     *times,
        double      hits)
{
  double *v = (double *) times->data;

  if (times->len == 0)
    return;
  g_array_sort (times, compare_doubles);
  printf ("search %-11s n=%3u  median %7.1f ms  p95 %7.1f ms  max %7.1f ms  (%.0f hits on average)\n",
          label, times->len, 1e3 * v[times->len / 2], 1e3 * v[(times->len * 95 + 99) / 100 - 1],
          1e3 * v[times->len - 1], hits / times->len);
}

/* A word of `chars` CJK characters from the body of a random article. */
static char *
draw_word (GalleyStore *store,
           GArray      *ids,
           GRand       *rand,
           guint        chars)
{
  for (int tries = 0; tries < 100; tries++)
    {
      gint64 id = g_array_index (ids, gint64, g_rand_int_range (rand, 0, ids->len));
      g_autoptr(GalleyArticleData) data = galley_store_get_article (store, id, FALSE, NULL);
      g_autofree gunichar *text = NULL;
      glong n = 0, start;
      gboolean cjk = TRUE;

      if (data == NULL || (text = g_utf8_to_ucs4_fast (data->body, -1, &n)) == NULL ||
          n < (glong) chars)
        continue;
      start = g_rand_int_range (rand, 0, n - chars + 1);
      for (guint k = 0; k < chars; k++)
        cjk = cjk && text[start + k] >= 0x4E00 && text[start + k] <= 0x9FFF;
      if (cjk)
        return g_ucs4_to_utf8 (text + start, chars, NULL, NULL, NULL);
    }
  return NULL;
}

static int
query (const char *database,
       guint       n_queries)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *by_length[5];
  g_autoptr(GArray) selective = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) broad = g_array_new (FALSE, FALSE, sizeof (double));
  double hits[5] = { 0 }, total_hits = 0, selective_hits = 0, broad_hits = 0;
  GalleyArticleQuery q = { 0 };
  double t;

  t = now ();
  store = galley_store_open (database, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  all = galley_store_list_ids (store, &q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < MIN (all->len, 40); i++)
    {
      GalleyArticleSummary summary = { 0 };

      galley_store_get_summary (store, g_array_index (all, gint64, i), &summary, &error);
      g_assert_no_error (error);
      galley_article_summary_clear (&summary);
    }
  printf ("open + first rows: %.1f ms for %u articles (open, all ids in page order, 40 summaries)\n",
          1e3 * (now () - t), all->len);
  if (all->len == 0)
    return 1;

  {
    GalleyStoreStats stats;

    t = now ();
    galley_store_get_stats (store, &stats, &error);
    g_assert_no_error (error);
    printf ("stats (the window's counts): %.1f ms\n", 1e3 * (now () - t));
  }

  /* Page order last: the searches below are in the order the connection
   * keeps, as in the window; the first search after a change of order is
   * measured as "order not read yet". */
  for (int sort = GALLEY_SORT_CHANGES_LEFT; sort >= GALLEY_SORT_PAGE_ORDER; sort--)
    {
      g_autoptr(GArray) ids = NULL;
      GalleyArticleQuery sorted = { .sort = sort };
      static const char *names[] = { "page order", "date", "changes left" };

      t = now ();
      ids = galley_store_list_ids (store, &sorted, &error);
      g_assert_no_error (error);
      printf ("list ids (%s): %.1f ms\n", names[sort], 1e3 * (now () - t));
    }

  for (guint k = 0; k < 5; k++)
    by_length[k] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n_queries; i++)
    {
      guint chars = 1 + i % 4;
      g_autofree char *word = draw_word (store, all, rand, chars);
      g_autoptr(GArray) ids = NULL;
      GalleyArticleQuery search = { .search = word };
      double dt;

      if (word == NULL)
        continue;
      t = now ();
      ids = galley_store_list_ids (store, &search, &error);
      dt = now () - t;
      g_assert_no_error (error);
      if (g_getenv ("GALLEY_BENCH_WORDS") != NULL)
        fprintf (stderr, "%s\t%u\t%.1f\n", word, ids->len, 1e3 * dt);
      g_array_append_val (times, dt);
      g_array_append_val (by_length[chars], dt);
      hits[chars] += ids->len;
      total_hits += ids->len;
      /* A word in fewer than 1% of the articles, as most names and places
       * are in a real archive; the sample pages share their words much more. */
      if (ids->len * 100 < all->len)
        g_array_append_val (selective, dt), selective_hits += ids->len;
      else
        g_array_append_val (broad, dt), broad_hits += ids->len;
    }
  /* The same words, each on a connection that has not read the list's
   * order yet (the first search after the archive changed). */
  {
    g_autoptr(GRand) again = g_rand_new_with_seed (8);
    g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
    double cold_hits = 0;

    for (guint i = 0; i < n_queries; i++)
      {
        g_autofree char *word = draw_word (store, all, again, 1 + i % 4);
        g_autoptr(GalleyStore) fresh = NULL;
        g_autoptr(GArray) ids = NULL;
        GalleyArticleQuery search = { .search = word };

        if (word == NULL)
          continue;
        fresh = galley_store_open (database, &error);
        g_assert_no_error (error);
        t = now ();
        ids = galley_store_list_ids (fresh, &search, &error);
        t = now () - t;
        g_assert_no_error (error);
        g_array_append_val (cold, t);
        cold_hits += ids->len;
      }
    report ("all, order not read yet", cold, cold_hits);
  }
  /* The same words, each just after the editor's connection saved an
   * article (typing, then taking it back): the order read stays right,
   * the search runs again. */
  {
    g_autoptr(GRand) again = g_rand_new_with_seed (8);
    g_autoptr(GArray) edited = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GalleyStore) editor = galley_store_open (database, &error);
    gint64 id = g_array_index (all, gint64, 0);
    g_autoptr(GalleyArticleData) article = galley_store_get_article (editor, id, FALSE, &error);
    g_autofree char *typed = g_strconcat (article->body, "补", NULL);
    double edited_hits = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < n_queries; i++)
      {
        g_autofree char *word = draw_word (store, all, again, 1 + i % 4);
        GalleyArticleFields fields = { article->kicker, article->title, article->subtitle,
                                       article->byline, article->date,
                                       i % 2 == 0 ? typed : article->body };
        g_autoptr(GArray) ids = NULL;
        GalleyArticleQuery search = { .search = word };

        if (!galley_store_save_article (editor, id, &fields, NULL, &error))
          g_error ("%s", error->message);
        if (word == NULL)
          continue;
        t = now ();
        ids = galley_store_list_ids (store, &search, &error);
        t = now () - t;
        g_assert_no_error (error);
        g_array_append_val (edited, t);
        edited_hits += ids->len;
      }
    if (n_queries % 2 == 1)
      {
        GalleyArticleFields fields = { article->kicker, article->title, article->subtitle,
                                       article->byline, article->date, article->body };

        galley_store_save_article (editor, id, &fields, NULL, NULL);
      }
    report ("all, after an edit", edited, edited_hits);
  }

  for (guint k = 1; k < 5; k++)
    {
      g_autofree char *label = g_strdup_printf ("%u char%s", k, k > 1 ? "s" : "");

      report (label, by_length[k], hits[k]);
      g_array_unref (by_length[k]);
    }
  report ("all", times, total_hits);
  report ("< 1% hits", selective, selective_hits);
  report (">= 1% hits", broad, broad_hits);
  printf ("query: peak RSS %ld MB\n", peak_rss_mb ());
  return 0;
}

static int
reindex (const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = galley_store_open (database, &error);
  double t = now (), cpu = cpu_seconds ();

  if (store == NULL || !galley_store_repair (store, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("reindex: %.1f s (%.1f s of CPU), peak RSS %ld MB\n",
          now () - t, cpu_seconds () - cpu, peak_rss_mb ());
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc >= 4 && g_str_equal (argv[1], "import"))
    return import (argv[2], argv[3]);
  if (argc >= 3 && g_str_equal (argv[1], "query"))
    return query (argv[2], argc > 3 ? atoi (argv[3]) : 100);
  if (argc >= 3 && g_str_equal (argv[1], "reindex"))
    return reindex (argv[2]);
  fprintf (stderr, "usage: bench-archive import DATABASE PAGES_DIR\n"
                   "       bench-archive query DATABASE [N_QUERIES]\n"
                   "       bench-archive reindex DATABASE\n");
  return 2;
}
