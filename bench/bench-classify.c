/* bench-classify.c: accuracy, speed and memory of the topic classifier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-classify [LABELLED.tsv] [FOLDS] [SEED]
 * Reads `text<TAB>label` lines (by default the THUCNews headline sample
 * that sits next to the project, ../shared/data/thucnews-titles/train.tsv,
 * which is never part of the project), shuffles them (SEED, 42 by default,
 * picks the shuffle, so that a change can be checked on several splits),
 * then reports k-fold cross-validated accuracy (and its most frequent
 * mistakes), accuracy with 20 labelled texts per label, both again with
 * the test texts given as untagged texts (as the archive's untagged
 * articles are, for self-training), the calibration of
 * the confidences (mean confidence against accuracy, log loss, accuracy
 * of suggestions above confidence thresholds), training and suggestion time
 * (processor time, also for long articles) and model memory. Exits 77 (skipped) when the file is absent.
 */
#define G_LOG_DOMAIN "galley-bench"

#include "galley-classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_DATA "../shared/data/thucnews-titles/train.tsv"
#define FEW_PER_LABEL 20
#define FEW_DRAWS 10
#define FIRST_LABELS 3
#define FIRST_PER_LABEL 5
#define LONG_ARTICLES 200
#define LONG_CHARS 2000

typedef struct {
  GPtrArray *texts;
  GPtrArray *labels;
} Data;

static const double thresholds[] = { 0.5, 0.8, 0.9 };
#define N_THRESHOLDS G_N_ELEMENTS (thresholds)

typedef struct {
  guint   total;
  guint   correct;
  guint   above[N_THRESHOLDS];
  guint   above_correct[N_THRESHOLDS];
  double  log_loss;        /* sum of -ln (confidence in the text's label) */
  double  top_confidence;  /* sum of the first suggestions' confidences */
  double  train_s;
  double  suggest_s;
  gsize   memory;
  GHashTable *confusion; /* "label\tsuggested" -> count, or NULL */
  gboolean untagged;     /* the test texts are given as untagged texts too */
} Score;

static gboolean
load (const char *path,
      Data       *data)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  data->texts = g_ptr_array_new_with_free_func (g_free);
  data->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *tab = strrchr (lines[i], '\t');

      if (tab == NULL || !g_utf8_validate (lines[i], -1, NULL))
        continue;
      g_ptr_array_add (data->texts, g_strndup (lines[i], tab - lines[i]));
      g_ptr_array_add (data->labels, g_strdup (g_strchomp (tab + 1)));
    }
  return data->texts->len > 0;
}

/* The processor time of this (single-threaded) process: on a busy machine
 * the wall clock says more about the neighbours than about the code. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
run (const Data  *data,
     const guint *train,
     guint        n_train,
     const guint *test,
     guint        n_test,
     Score       *score)
{
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  double t0, t1, t2;

  t0 = cpu_seconds ();
  for (guint i = 0; i < n_train; i++)
    galley_classifier_add (classifier, data->texts->pdata[train[i]], data->labels->pdata[train[i]]);
  if (score->untagged)
    for (guint i = 0; i < n_test; i++)
      galley_classifier_add_untagged (classifier, data->texts->pdata[test[i]]);
  galley_classifier_train (classifier);
  t1 = cpu_seconds ();
  for (guint i = 0; i < n_test; i++)
    {
      g_autoptr(GPtrArray) top = galley_classifier_suggest (classifier, data->texts->pdata[test[i]], G_MAXUINT);
      const GalleySuggestion *best = top->pdata[0];
      gboolean ok = strcmp (best->label, data->labels->pdata[test[i]]) == 0;
      double p = 0;

      for (guint j = 0; j < top->len; j++)
        if (strcmp (((GalleySuggestion *) top->pdata[j])->label, data->labels->pdata[test[i]]) == 0)
          p = ((GalleySuggestion *) top->pdata[j])->confidence;
      score->total++;
      score->correct += ok;
      score->log_loss -= log (MAX (p, 1e-6));
      score->top_confidence += best->confidence;
      if (score->confusion != NULL && !ok)
        {
          char *pair = g_strconcat (data->labels->pdata[test[i]], "\t", best->label, NULL);
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (score->confusion, pair));

          g_hash_table_insert (score->confusion, pair, GUINT_TO_POINTER (count + 1));
        }
      for (guint j = 0; j < N_THRESHOLDS; j++)
        if (best->confidence >= thresholds[j])
          {
            score->above[j]++;
            score->above_correct[j] += ok;
          }
    }
  t2 = cpu_seconds ();
  score->train_s += t1 - t0;
  score->suggest_s += t2 - t1;
  score->memory = MAX (score->memory, galley_classifier_get_memory_size (classifier));
}

static void
shuffle (guint *v,
         guint  n,
         GRand *rand)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      guint t = v[i - 1];

      v[i - 1] = v[j];
      v[j] = t;
    }
}

static void
report (const char  *what,
        const Score *score,
        guint        runs)
{
  printf ("%s: accuracy %.4f (%u texts)\n", what, (double) score->correct / score->total, score->total);
  printf ("  mean confidence of the first suggestion %.4f, log loss %.4f\n",
          score->top_confidence / score->total, score->log_loss / score->total);
  for (guint j = 0; j < N_THRESHOLDS; j++)
    printf ("  confidence >= %.1f: %5.1f %% of texts, accuracy %.4f\n", thresholds[j],
            100.0 * score->above[j] / score->total,
            score->above[j] ? (double) score->above_correct[j] / score->above[j] : 0.0);
  printf ("  processor time: training %.3f s per run, suggestion %.1f us per text; model memory %.1f MB\n",
          score->train_s / runs, 1e6 * score->suggest_s / score->total, score->memory / 1048576.0);
}

static int
compare_counts (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  GHashTable *counts = user_data;
  guint x = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char * const *) a));
  guint y = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char * const *) b));

  return x != y ? (x > y ? -1 : 1) : strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The most frequent mistakes: label, the label suggested instead, count. */
static void
report_confusion (GHashTable *confusion,
                  guint       max_pairs)
{
  g_autofree gpointer *pairs = NULL;
  guint n;

  pairs = g_hash_table_get_keys_as_array (confusion, &n);
  g_qsort_with_data (pairs, (gint) n, sizeof (gpointer), compare_counts, confusion);
  printf ("  most frequent mistakes (label -> suggested):");
  for (guint i = 0; i < n && i < max_pairs; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "\t", 2);

      printf ("%s %s->%s %u", i % 6 == 0 ? "\n   " : ",", pair[0], pair[1],
              GPOINTER_TO_UINT (g_hash_table_lookup (confusion, pairs[i])));
    }
  printf ("\n");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* FEW_DRAWS runs, each trained on per_label random texts of each of
 * n_labels random labels (0: of every label) and tested on all the others. */
static void
few_texts (const Data *data,
           GHashTable *by_label,
           guint       n_labels,
           guint       per_label,
           guint      *train,
           guint      *test,
           Score      *score,
           GRand      *rand)
{
  guint n = data->texts->len, n_keys;
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (by_label, &n_keys);

  g_qsort_with_data (keys, (gint) n_keys, sizeof (gpointer), compare_strings, NULL);
  for (guint draw = 0; draw < FEW_DRAWS; draw++)
    {
      g_autofree gboolean *chosen = g_new0 (gboolean, n);
      guint n_train = 0, n_test = 0;

      for (guint k = n_keys; k > 1; k--)
        {
          guint j = g_rand_int_range (rand, 0, (gint32) k);
          gpointer t = keys[k - 1];

          keys[k - 1] = keys[j];
          keys[j] = t;
        }
      for (guint k = 0; k < n_keys && (n_labels == 0 || k < n_labels); k++)
        {
          GArray *ids = g_hash_table_lookup (by_label, keys[k]);

          shuffle ((guint *) (void *) ids->data, ids->len, rand);
          for (guint i = 0; i < ids->len && i < per_label; i++)
            chosen[g_array_index (ids, guint, i)] = TRUE;
        }
      for (guint i = 0; i < n; i++)
        {
          if (chosen[i])
            train[n_train++] = i;
          else
            test[n_test++] = i;
        }
      run (data, train, n_train, test, n_test, score);
    }
}

/* Suggestions for whole articles: a title and a body of other texts joined
 * up to LONG_CHARS characters, from a classifier trained on all texts. */
static void
time_long_articles (const Data *data,
                    GRand      *rand)
{
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  guint n = data->texts->len;
  double t0, total = 0;
  glong chars = 0;

  for (guint i = 0; i < n; i++)
    galley_classifier_add (classifier, data->texts->pdata[i], data->labels->pdata[i]);
  galley_classifier_train (classifier);
  for (guint a = 0; a < LONG_ARTICLES; a++)
    {
      g_autoptr(GString) article = g_string_new (data->texts->pdata[g_rand_int_range (rand, 0, n)]);
      g_autoptr(GPtrArray) top = NULL;

      g_string_append_c (article, '\n');
      while (g_utf8_strlen (article->str, -1) < LONG_CHARS)
        {
          g_string_append (article, data->texts->pdata[g_rand_int_range (rand, 0, n)]);
          g_string_append (article, "。");
        }
      chars += g_utf8_strlen (article->str, -1);
      t0 = cpu_seconds ();
      top = galley_classifier_suggest (classifier, article->str, 3);
      total += cpu_seconds () - t0;
    }
  printf ("articles of about %ld characters: suggestion %.1f us each\n",
          chars / LONG_ARTICLES, 1e6 * total / LONG_ARTICLES);
}

int
main (int    argc,
      char **argv)
{
  const char *path = argc > 1 ? argv[1] : DEFAULT_DATA;
  guint folds = argc > 2 ? (guint) atoi (argv[2]) : 5;
  guint32 seed = argc > 3 ? (guint32) atoi (argv[3]) : 42;
  Data data = { NULL, NULL };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GRand) same_draws = NULL; /* the untagged variant draws what the plain one drew */
  g_autofree guint *perm = NULL;
  g_autofree guint *train = NULL;
  g_autofree guint *test = NULL;
  g_autoptr(GHashTable) by_label = NULL;
  Score cv = { 0 }, few = { 0 }, first = { 0 };
  Score cv_untagged = { .untagged = TRUE }, few_untagged = { .untagged = TRUE };
  g_autofree char *title = NULL;
  guint n;

  if (!load (path, &data))
    {
      fprintf (stderr, "skipped: no labelled data at %s (give a `text<TAB>label` file)\n", path);
      return 77;
    }
  n = data.texts->len;
  if (folds < 2 || folds > n)
    folds = 5;
  perm = g_new (guint, n);
  train = g_new (guint, n);
  test = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    perm[i] = i;
  shuffle (perm, n, rand);
  cv.confusion = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint f = 0; f < folds; f++)
    {
      guint n_train = 0, n_test = 0;

      for (guint i = 0; i < n; i++)
        {
          if (i % folds == f)
            test[n_test++] = perm[i];
          else
            train[n_train++] = perm[i];
        }
      run (&data, train, n_train, test, n_test, &cv);
      run (&data, train, n_train, test, n_test, &cv_untagged);
    }
  printf ("%s, %u labelled texts\n", path, n);
  title = g_strdup_printf ("%u-fold cross-validation", folds);
  report (title, &cv, folds);
  report_confusion (cv.confusion, 18);
  g_free (title);
  title = g_strdup_printf ("%u-fold cross-validation, the test texts also given untagged", folds);
  report (title, &cv_untagged, folds);

  /* few labels: FEW_PER_LABEL random texts of each label, tested on all others */
  by_label = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n; i++)
    {
      GArray *ids = g_hash_table_lookup (by_label, data.labels->pdata[i]);

      if (ids == NULL)
        {
          ids = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_label, data.labels->pdata[i], ids);
        }
      g_array_append_val (ids, i);
    }
  same_draws = g_rand_copy (rand);
  few_texts (&data, by_label, 0, FEW_PER_LABEL, train, test, &few, rand);
  g_free (title);
  title = g_strdup_printf ("%u per label, mean of %u draws", FEW_PER_LABEL, FEW_DRAWS);
  report (title, &few, FEW_DRAWS);
  few_texts (&data, by_label, 0, FEW_PER_LABEL, train, test, &few_untagged, same_draws);
  g_free (title);
  title = g_strdup_printf ("%u per label, the others also given untagged, mean of %u draws",
                           FEW_PER_LABEL, FEW_DRAWS);
  report (title, &few_untagged, FEW_DRAWS);
  /* The first articles an editor tags: a few texts of a few labels, the
   * archive full of other topics; what would "tag all above 0.8" do? */
  few_texts (&data, by_label, FIRST_LABELS, FIRST_PER_LABEL, train, test, &first, rand);
  g_free (title);
  title = g_strdup_printf ("first tags: %u texts of %u labels, tested on all the others (all labels),"
                           " mean of %u draws", FIRST_PER_LABEL, FIRST_LABELS, FEW_DRAWS);
  report (title, &first, FEW_DRAWS);

  time_long_articles (&data, rand);

  g_hash_table_unref (cv.confusion);
  g_ptr_array_unref (data.texts);
  g_ptr_array_unref (data.labels);
  return 0;
}
