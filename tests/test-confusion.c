/* test-confusion.c: look-alike suspects and known corrections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests that need the look-alike cache read it from $GALLEY_DATA_DIR
 * (the build generates it there) and are skipped when it is missing.
 */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "galley-clean.h"
#include "galley-confusion.h"

/* The library's galley_change_free lives in galley-clean.c; this test
 * links only the confusion finder. */
static void
change_free (gpointer data)
{
  GalleyChange *change = data;

  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

static GPtrArray *
scan (GalleyConfusions *confusions,
      const char       *text)
{
  GPtrArray *suspects = g_ptr_array_new_with_free_func (change_free);

  galley_confusions_scan (confusions, text, strlen (text), suspects);
  return suspects;
}

static void
assert_suspect (GPtrArray  *suspects,
                guint       i,
                const char *text,
                const char *before,
                const char *after)
{
  GalleyChange *change;

  g_assert_cmpuint (i, <, suspects->len);
  change = g_ptr_array_index (suspects, i);
  g_assert_cmpint (change->rule, ==, GALLEY_RULE_CONFUSION);
  g_assert_cmpint (change->kind, ==, GALLEY_CHANGE_SUSPECT);
  g_assert_cmpstr (change->before, ==, before);
  g_assert_cmpstr (change->after, ==, after);
  g_assert_cmpuint (change->orig_start, ==, change->clean_start);
  g_assert_cmpuint (change->orig_end, ==, change->clean_end);
  g_assert_cmpuint (change->orig_end - change->orig_start, ==, strlen (before));
  g_assert_true (strncmp (text + change->orig_start, before, strlen (before)) == 0);
  g_assert_cmpfloat (change->confidence, >, 0.0);
  g_assert_cmpfloat (change->confidence, <=, 1.0);
}

static void
assert_ordered (GPtrArray *suspects)
{
  for (guint i = 1; i < suspects->len; i++)
    {
      GalleyChange *a = g_ptr_array_index (suspects, i - 1);
      GalleyChange *b = g_ptr_array_index (suspects, i);

      g_assert_cmpuint (a->orig_end, <=, b->orig_start);
    }
}

static GalleyConfusions *
load_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  GalleyConfusions *confusions;

  if (g_getenv ("GALLEY_DATA_DIR") == NULL)
    {
      g_test_skip ("GALLEY_DATA_DIR is not set: no look-alike cache to test");
      return NULL;
    }

  confusions = galley_confusions_new_default (&error);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("no look-alike cache: %s", error->message);

      g_test_skip (message);
      galley_confusions_unref (confusions);
      return NULL;
    }

  g_assert_true (galley_confusions_has_data (confusions));
  return confusions;
}

static char *
read_test_file (const char *dir,
                const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
list_test_files (const char *dir,
                 const char *suffix)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, NULL);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  d = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);

  return names;
}

/* Appends the article text of a gold file (titles, kickers, subtitles,
 * body paragraphs, captions), one line each.  A small reader for the
 * gold files' plain JSON: string values after these keys. */
static void
append_gold_text (GString    *out,
                  const char *json)
{
  g_autofree char *key = NULL;
  const char *p = json;

  while ((p = strchr (p, '"')) != NULL)
    {
      GString *s = g_string_new (NULL);
      const char *q;

      for (p++; *p != '\0' && *p != '"'; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            {
              p++;
              if (*p == 'n')
                g_string_append_c (s, '\n');
              else if (*p == 'u')
                {
                  g_autofree char *hex = g_strndup (p + 1, 4);

                  g_string_append_unichar (s, (gunichar) g_ascii_strtoull (hex, NULL, 16));
                  p += 4;
                }
              else
                g_string_append_c (s, *p);
            }
          else
            g_string_append_c (s, *p);
        }
      g_assert_true (*p == '"');
      p++;

      for (q = p; *q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'; q++)
        ;
      if (*q == ':')
        {
          g_free (key);
          key = g_string_free (s, FALSE);
          continue;
        }

      if (key != NULL && s->len > 0 &&
          (strcmp (key, "title") == 0 || strcmp (key, "kicker") == 0 ||
           strcmp (key, "subtitle") == 0 || strcmp (key, "body") == 0 ||
           strcmp (key, "captions") == 0))
        {
          g_string_append_len (out, s->str, s->len);
          g_string_append_c (out, '\n');
        }
      g_string_free (s, TRUE);
    }
}

static void
test_empty (void)
{
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new ();
  g_autoptr(GPtrArray) suspects = NULL;

  g_assert_false (galley_confusions_has_data (confusions));
  suspects = scan (confusions, "企业从建区之初的26家人区企业发展到今天");
  g_assert_cmpuint (suspects->len, ==, 0);

  g_ptr_array_unref (scan (confusions, ""));
}

static void
test_known (void)
{
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new ();
  g_autoptr(GPtrArray) suspects = NULL;
  const char *text = "讲解了人户政策，数据资产人表。人户人区";

  galley_confusions_add_known (confusions, "人户", "入户");
  galley_confusions_add_known (confusions, "资产人表", "资产入表");
  galley_confusions_add_known (confusions, "人区", "人区"); /* no change: ignored */
  galley_confusions_add_known (confusions, "人区", "入区");
  galley_confusions_add_known (confusions, "人区", "入园"); /* a later correction replaces */

  suspects = scan (confusions, text);
  g_assert_cmpuint (suspects->len, ==, 4);
  assert_suspect (suspects, 0, text, "人户", "入户");
  assert_suspect (suspects, 1, text, "资产人表", "资产入表");
  assert_suspect (suspects, 2, text, "人户", "入户");
  assert_suspect (suspects, 3, text, "人区", "入园");
  for (guint i = 0; i < suspects->len; i++)
    g_assert_cmpfloat (((GalleyChange *) g_ptr_array_index (suspects, i))->confidence, ==, 1.0);
  g_assert_cmpuint (((GalleyChange *) g_ptr_array_index (suspects, 0))->orig_start, ==, strlen ("讲解了"));
  assert_ordered (suspects);
}

static void
test_known_overlap (void)
{
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new ();
  g_autoptr(GPtrArray) suspects = NULL;
  const char *text = "甲乙丙丁戊己庚";

  /* Of overlapping corrections the leftmost wins, then the longest. */
  galley_confusions_add_known (confusions, "乙丙", "A");
  galley_confusions_add_known (confusions, "乙丙丁", "B");
  galley_confusions_add_known (confusions, "丙丁戊", "C");
  galley_confusions_add_known (confusions, "己", "D");
  galley_confusions_add_known (confusions, "戊己庚辛", "E"); /* not in the text */

  suspects = scan (confusions, text);
  g_assert_cmpuint (suspects->len, ==, 2);
  assert_suspect (suspects, 0, text, "乙丙丁", "B");
  assert_suspect (suspects, 1, text, "己", "D");
  assert_ordered (suspects);
}

/* Many corrections sharing their first characters, and a text full of
 * near misses: the scan must stay linear. */
static void
test_known_many (void)
{
  g_autoptr(GalleyConfusions) confusions = galley_confusions_new ();
  g_autoptr(GPtrArray) suspects = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 start;
  double seconds;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *wrong = g_strdup_printf ("人人人人人人人人%u", i);
      g_autofree char *right = g_strdup_printf ("入%u", i);

      galley_confusions_add_known (confusions, wrong, right);
    }
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "人");
  g_string_append (text, "人人人人人人人人1999");

  start = g_get_monotonic_time ();
  suspects = scan (confusions, text->str);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("300 kB against 2000 corrections: %.3f s", seconds);

  g_assert_cmpuint (suspects->len, ==, 1);
  assert_suspect (suspects, 0, text->str, "人人人人人人人人1999", "入1999");
  g_assert_cmpfloat (seconds, <, 2.0);
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GPtrArray) suspects = NULL;
  g_autofree char *dir = g_dir_make_tmp ("galley-confusion-XXXXXX", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("GALLEY_DATA_DIR"));

  g_assert_nonnull (dir);
  g_setenv ("GALLEY_DATA_DIR", dir, TRUE);
  confusions = galley_confusions_new_default (&error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (confusions);
  g_assert_false (galley_confusions_has_data (confusions));

  /* Known corrections still work without the cache. */
  galley_confusions_add_known (confusions, "人区", "入区");
  suspects = scan (confusions, "26家人区企业");
  g_assert_cmpuint (suspects->len, ==, 1);

  g_rmdir (dir);
  if (saved != NULL)
    g_setenv ("GALLEY_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("GALLEY_DATA_DIR");
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint8 header[40] = "GLYCONF";
  struct {
    const char *data;
    gsize len;
  } files[] = {
    { "", 0 },
    { "GLYCONF", 7 },
    { "not a cache at all, just some text that is long enough", 54 },
    { (const char *) header, 32 }, /* version 0 */
    { (const char *) header, 40 }, /* version 1, one slot, no counts */
  };
  int fd;

  header[8] = 1;  /* version */
  header[20] = 1; /* n_slots */

  fd = g_file_open_tmp ("galley-confusion-XXXXXX.bin", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GalleyConfusions *confusions;

      if (i == 3)
        header[8] = 0;
      else if (i == 4)
        header[8] = 1;
      g_file_set_contents (path, files[i].data, files[i].len, &error);
      g_assert_no_error (error);
      confusions = galley_confusions_new_from_file (path, &error);
      g_assert_null (confusions);
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
      g_clear_error (&error);
    }

  g_unlink (path);
}

typedef struct
{
  const char *text;
  const char *before; /* NULL: no suspect expected */
  const char *after;
} Case;

static void
test_data_classic (void)
{
  g_autoptr(GalleyConfusions) confusions = load_or_skip ();
  static const Case cases[] = {
    { "他说自已的事情自已做。", "已", "己" },
    { "博土后科研工作站", "土", "士" },
    { "一切都己经准备好了", "己", "已" },
    { "末来五年", "末", "未" },
    { "我们已经进入新时代，未来可期。", NULL, NULL },
    { "自己的事情自己做，周末休息。", NULL, NULL },
    { "博士后科研工作站，人民群众。", NULL, NULL },
  };

  if (confusions == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) suspects = scan (confusions, cases[i].text);

      if (cases[i].before == NULL)
        {
          g_assert_cmpuint (suspects->len, ==, 0);
          continue;
        }

      g_assert_cmpuint (suspects->len, >=, 1);
      for (guint k = 0; k < suspects->len; k++)
        assert_suspect (suspects, k, cases[i].text, cases[i].before, cases[i].after);
      assert_ordered (suspects);
    }
}

/* The gold texts are correct: every suspect there is a false one. */
static void
test_data_gold (void)
{
  g_autoptr(GalleyConfusions) confusions = load_or_skip ();
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) suspects = NULL;
  double per_10k;

  if (confusions == NULL)
    return;

  names = list_test_files ("gold", ".json");
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *json = read_test_file ("gold", g_ptr_array_index (names, i));

      append_gold_text (text, json);
    }

  suspects = scan (confusions, text->str);
  per_10k = suspects->len * 10000.0 / g_utf8_strlen (text->str, text->len);
  for (guint i = 0; i < suspects->len; i++)
    {
      GalleyChange *change = g_ptr_array_index (suspects, i);

      g_test_message ("false suspect %s -> %s (%.2f)", change->before, change->after, change->confidence);
    }
  g_test_message ("%u false suspects in %ld characters: %.2f per 10,000",
                  suspects->len, g_utf8_strlen (text->str, text->len), per_10k);
  g_assert_cmpfloat (per_10k, <, 2.0);
}

/* The raw pages: few suspects from the look-alike model, and the real
 * confusions found once an editor has corrected them. */
static void
test_data_pages (void)
{
  g_autoptr(GalleyConfusions) confusions = load_or_skip ();
  g_autoptr(GPtrArray) names = NULL;
  glong n_chars = 0;
  guint n_suspects = 0;
  guint n_known = 0;

  if (confusions == NULL)
    return;

  galley_confusions_add_known (confusions, "人区企业", "入区企业");
  galley_confusions_add_known (confusions, "人户政策", "入户政策");
  galley_confusions_add_known (confusions, "资产人表", "资产入表");

  names = list_test_files ("pages", ".txt");
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *text = read_test_file ("pages", g_ptr_array_index (names, i));
      g_autoptr(GPtrArray) suspects = scan (confusions, text);

      assert_ordered (suspects);
      n_chars += g_utf8_strlen (text, -1);
      for (guint k = 0; k < suspects->len; k++)
        {
          GalleyChange *change = g_ptr_array_index (suspects, k);

          if (change->confidence == 1.0 && g_utf8_strlen (change->before, -1) == 4)
            n_known++;
          else
            n_suspects++;
          g_test_message ("%s: %s -> %s (%.2f)", (char *) g_ptr_array_index (names, i),
                          change->before, change->after, change->confidence);
        }
    }

  g_test_message ("%u look-alike suspects in %ld characters", n_suspects, n_chars);
  g_assert_cmpuint (n_known, ==, 3);
  g_assert_cmpfloat (n_suspects * 10000.0 / n_chars, <, 3.0);
}

typedef struct
{
  GalleyConfusions *confusions;
  const char       *text;
  guint             n_suspects;
} ThreadData;

static gpointer
scan_thread (gpointer data)
{
  ThreadData *td = data;

  for (int i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) suspects = scan (td->confusions, td->text);

      g_assert_cmpuint (suspects->len, ==, td->n_suspects);
    }

  return NULL;
}

static void
test_data_threads (void)
{
  g_autoptr(GalleyConfusions) confusions = load_or_skip ();
  g_autofree char *text = NULL;
  GThread *threads[4];
  ThreadData td;

  if (confusions == NULL)
    return;

  galley_confusions_add_known (confusions, "人户政策", "入户政策");
  text = read_test_file ("pages", "002_ef9c8de5fc9873ff.txt");
  td.confusions = confusions;
  td.text = text;
  {
    g_autoptr(GPtrArray) suspects = scan (confusions, text);

    td.n_suspects = suspects->len;
    g_assert_cmpuint (td.n_suspects, >=, 1);
  }

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("scan", scan_thread, &td);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* Load time and throughput, for the record: run with -m perf. */
static void
test_data_speed (void)
{
  g_autoptr(GalleyConfusions) confusions = load_or_skip ();
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) pages = g_string_new (NULL);
  gint64 start;
  double seconds;

  if (confusions == NULL)
    return;

  start = g_get_monotonic_time ();
  for (int i = 0; i < 10; i++)
    galley_confusions_unref (galley_confusions_new_default (NULL));
  g_test_minimized_result ((g_get_monotonic_time () - start) / 10e3, "load: %.3f ms",
                           (g_get_monotonic_time () - start) / 10e3);

  names = list_test_files ("pages", ".txt");
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *page = read_test_file ("pages", g_ptr_array_index (names, i));

      g_string_append (pages, page);
    }
  while (text->len < 20 * 1024 * 1024)
    g_string_append_len (text, pages->str, pages->len);

  start = g_get_monotonic_time ();
  {
    g_autoptr(GPtrArray) suspects = scan (confusions, text->str);
  }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_maximized_result (text->len / 1e6 / seconds, "scan: %.1f MB/s",
                           text->len / 1e6 / seconds);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/confusion/empty", test_empty);
  g_test_add_func ("/confusion/known", test_known);
  g_test_add_func ("/confusion/known-overlap", test_known_overlap);
  g_test_add_func ("/confusion/known-many", test_known_many);
  g_test_add_func ("/confusion/invalid", test_invalid);
  g_test_add_func ("/confusion/data/classic", test_data_classic);
  g_test_add_func ("/confusion/data/gold", test_data_gold);
  g_test_add_func ("/confusion/data/pages", test_data_pages);
  g_test_add_func ("/confusion/data/threads", test_data_threads);
  g_test_add_func ("/confusion/missing", test_missing);
  if (g_test_perf ())
    g_test_add_func ("/confusion/data/speed", test_data_speed);

  return g_test_run ();
}
