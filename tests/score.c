/* score.c: character error rate of exported articles against gold files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-score"

#include <string.h>

#include <json-glib/json-glib.h>

#include "score.h"

static gunichar *
to_ucs4 (const char *s,
         gssize      len,
         glong      *n)
{
  gunichar *u = g_utf8_to_ucs4_fast (s, len, n);

  return u;
}

gsize
score_distance (const char *a,
                gssize      alen,
                const char *b,
                gssize      blen)
{
  glong n, m, lo = 0;
  g_autofree gunichar *ua = to_ucs4 (a, alen, &n);
  g_autofree gunichar *ub = to_ucs4 (b, blen, &m);
  g_autofree guint32 *row = NULL;
  gunichar *x, *y;

  /* common prefix and suffix cost nothing */
  while (lo < n && lo < m && ua[lo] == ub[lo])
    lo++;
  while (n > lo && m > lo && ua[n - 1] == ub[m - 1])
    {
      n--;
      m--;
    }
  x = ua + lo;
  y = ub + lo;
  n -= lo;
  m -= lo;
  if (n < m)
    {
      gunichar *t = x;
      glong tn = n;

      x = y;
      y = t;
      n = m;
      m = tn;
    }
  if (m == 0)
    return n;

  /* row over the shorter string */
  row = g_new (guint32, m + 1);
  for (glong j = 0; j <= m; j++)
    row[j] = j;
  for (glong i = 1; i <= n; i++)
    {
      guint32 diag = row[0];

      row[0] = i;
      for (glong j = 1; j <= m; j++)
        {
          guint32 up = row[j];
          guint32 best = diag + (x[i - 1] != y[j - 1]);

          best = MIN (best, up + 1);
          best = MIN (best, row[j - 1] + 1);
          row[j] = best;
          diag = up;
        }
    }
  return row[m];
}

static guint64
bigram (gunichar a,
        gunichar b)
{
  return ((guint64) a << 32) | b;
}

static gboolean
skip_char (gunichar c)
{
  return g_unichar_isspace (c);
}

/* Bigrams of non-space characters. */
static GHashTable *
bigrams (const char *s)
{
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gunichar prev = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (skip_char (c))
        continue;
      if (prev != 0)
        {
          guint64 *key = g_new (guint64, 1);

          *key = bigram (prev, c);
          g_hash_table_add (set, key);
        }
      prev = c;
    }
  return set;
}

gsize
score_overlap (const char *part,
               const char *whole,
               gsize      *n_part)
{
  g_autoptr(GHashTable) have = bigrams (whole);
  g_autoptr(GHashTable) want = bigrams (part);
  GHashTableIter iter;
  gpointer key;
  gsize n = 0;

  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (have, key))
      n++;
  if (n_part != NULL)
    *n_part = g_hash_table_size (want);
  return n;
}

static char *
dup_member (JsonObject *o,
            const char *name)
{
  if (!json_object_has_member (o, name))
    return g_strdup ("");
  return g_strdup (json_object_get_string_member_with_default (o, name, ""));
}

ScoreGold *
score_gold_load (const char  *path,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  ScoreGold *gold;
  JsonObject *root;
  JsonArray *articles;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a gold object", path);
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  articles = json_object_get_array_member (root, "articles");

  gold = g_new0 (ScoreGold, 1);
  gold->source = dup_member (root, "source");
  gold->articles = g_ptr_array_new ();
  for (guint i = 0; articles != NULL && i < json_array_get_length (articles); i++)
    {
      JsonObject *a = json_array_get_object_element (articles, i);
      JsonArray *body = json_object_get_array_member (a, "body");
      ScoreGoldArticle *ga = g_new0 (ScoreGoldArticle, 1);
      GString *s = g_string_new (NULL);

      ga->title = dup_member (a, "title");
      for (guint k = 0; body != NULL && k < json_array_get_length (body); k++)
        {
          if (k > 0)
            g_string_append_c (s, '\n');
          g_string_append (s, json_array_get_string_element (body, k));
        }
      ga->body = g_string_free (s, FALSE);
      g_ptr_array_add (gold->articles, ga);
    }
  return gold;
}

void
score_gold_free (ScoreGold *gold)
{
  if (gold == NULL)
    return;
  for (guint i = 0; i < gold->articles->len; i++)
    {
      ScoreGoldArticle *a = g_ptr_array_index (gold->articles, i);

      g_free (a->title);
      g_free (a->body);
      g_free (a);
    }
  g_ptr_array_unref (gold->articles);
  g_free (gold->source);
  g_free (gold);
}

void
score_export_free (ScoreExport *export)
{
  if (export == NULL)
    return;
  g_free (export->source_file);
  g_free (export->title);
  g_free (export->body);
  g_free (export->original);
  g_free (export);
}

GPtrArray *
score_export_load (const char  *path,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *exports;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  exports = g_ptr_array_new_with_free_func ((GDestroyNotify) score_export_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      ScoreExport *e;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, error))
        {
          g_prefix_error (error, "%s:%u: ", path, i + 1);
          g_ptr_array_unref (exports);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      o = json_node_get_object (json_parser_get_root (parser));
      e = g_new0 (ScoreExport, 1);
      e->source_file = dup_member (o, "source_file");
      e->title = dup_member (o, "title");
      e->body = dup_member (o, "body");
      e->original = dup_member (o, "original");
      g_ptr_array_add (exports, e);
    }
  return exports;
}

static gsize
n_chars (const char *s)
{
  return g_utf8_strlen (s, -1);
}

void
score_page (const ScoreGold *gold,
            GPtrArray       *exports,
            ScorePage       *page)
{
  memset (page, 0, sizeof *page);

  for (guint i = 0; i < gold->articles->len; i++)
    {
      ScoreGoldArticle *g = g_ptr_array_index (gold->articles, i);
      g_autofree char *gold_text = g_strconcat (g->title, "\n", g->body, NULL);
      gsize gold_len = n_chars (gold_text);
      ScoreExport *best = NULL;
      gsize best_overlap = 0, n_gold = 0;

      page->gold_articles++;
      page->gold_chars += gold_len;

      for (guint k = 0; k < exports->len; k++)
        {
          ScoreExport *e = g_ptr_array_index (exports, k);
          gsize ov;

          if (gold->source != NULL && *gold->source != '\0' &&
              g_strcmp0 (e->source_file, gold->source) != 0)
            continue;
          ov = score_overlap (g->body, e->body, &n_gold);
          if (ov > best_overlap)
            {
              best_overlap = ov;
              best = e;
            }
        }

      if (best == NULL)
        {
          page->raw_distance += gold_len;
          page->clean_distance += gold_len;
          continue;
        }

      {
        g_autofree char *text = g_strconcat (best->title, "\n", best->body, NULL);
        gsize n_export = 0;
        gsize back = score_overlap (best->body, g->body, &n_export);

        page->raw_distance += score_distance (best->original, -1, gold_text, -1);
        page->clean_distance += score_distance (text, -1, gold_text, -1);
        /* found: the article holds (nearly) all of the gold body and little else */
        if (n_gold > 0 && n_export > 0 &&
            best_overlap * 10 >= n_gold * 9 && back * 10 >= n_export * 9)
          page->found++;
        if (g_strcmp0 (best->title, g->title) == 0)
          page->titles_matched++;
      }
    }
}

double
score_removed (const ScorePage *page)
{
  if (page->raw_distance == 0)
    return 1.0;
  return 1.0 - (double) page->clean_distance / (double) page->raw_distance;
}
