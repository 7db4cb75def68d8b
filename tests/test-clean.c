/* test-clean.c: tests of the OCR clean-up rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "galley-clean.h"
#include "score.h"

static const char * const pages[] = {
  "000_633e285ed10be693",
  "001_f737bf2f8b1f8a2a",
  "002_ef9c8de5fc9873ff",
  "003_c1254725e93ffd7e",
  "004_58c0054395c95171",
};

static const char * const gold_pages[] = {
  "000_633e285ed10be693",
  "002_ef9c8de5fc9873ff",
};

static char *
load_page (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".txt", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", file, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  return contents;
}

static ScoreGold *
load_gold (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gold", file, NULL);
  g_autoptr(GError) error = NULL;
  ScoreGold *gold = score_gold_load (path, &error);

  g_assert_no_error (error);
  return gold;
}

static char *
clean (const char *text,
       GalleyRule  rules)
{
  g_autoptr(GalleyCleanResult) r = galley_clean (text, -1, rules, NULL);

  return g_strdup (r->text);
}

/* Checks the contract of a result: changes sorted and disjoint, their
 * strings match both texts, apply rebuilds both texts. */
static void
check_result (const char              *original,
              const GalleyCleanResult *r)
{
  gsize olen = strlen (original), clen = strlen (r->text);
  gsize opos = 0, cpos = 0;
  g_autofree gboolean *all = g_new0 (gboolean, r->changes->len + 1);
  g_autofree gboolean *none = g_new0 (gboolean, r->changes->len + 1);
  g_autofree char *with_all = NULL;
  g_autofree char *with_none = NULL;

  g_assert_true (g_utf8_validate (r->text, -1, NULL));
  for (guint i = 0; i < r->changes->len; i++)
    {
      GalleyChange *ch = g_ptr_array_index (r->changes, i);

      g_assert_cmpuint (ch->orig_start, >=, opos);
      g_assert_cmpuint (ch->clean_start, >=, cpos);
      g_assert_cmpuint (ch->orig_end, >=, ch->orig_start);
      g_assert_cmpuint (ch->clean_end, >=, ch->clean_start);
      g_assert_cmpuint (ch->orig_end, <=, olen);
      g_assert_cmpuint (ch->clean_end, <=, clen);
      /* the text between changes is the same in both */
      g_assert_cmpuint (ch->orig_start - opos, ==, ch->clean_start - cpos);
      g_assert_true (memcmp (original + opos, r->text + cpos, ch->orig_start - opos) == 0);
      g_assert_cmpuint (strlen (ch->before), ==, ch->orig_end - ch->orig_start);
      g_assert_true (memcmp (ch->before, original + ch->orig_start, strlen (ch->before)) == 0);
      if (ch->kind == GALLEY_CHANGE_EDIT)
        {
          g_assert_cmpuint (strlen (ch->after), ==, ch->clean_end - ch->clean_start);
          g_assert_true (memcmp (ch->after, r->text + ch->clean_start, strlen (ch->after)) == 0);
          g_assert_cmpstr (ch->before, !=, ch->after);
          all[i] = TRUE;
        }
      g_assert_true (g_utf8_validate (ch->before, -1, NULL));
      g_assert_true (g_utf8_validate (ch->after, -1, NULL));
      g_assert_nonnull (galley_rule_to_id (ch->rule));
      opos = ch->orig_end;
      cpos = ch->clean_end;
    }
  g_assert_cmpuint (olen - opos, ==, clen - cpos);

  with_all = galley_clean_apply (original, r->changes, all);
  g_assert_cmpstr (with_all, ==, r->text);
  with_none = galley_clean_apply (original, r->changes, none);
  g_assert_cmpstr (with_none, ==, original);
}

/* The output has one paragraph per line, no blank line, no spaces at the
 * ends of a paragraph. */
static void
check_layout (const char *text)
{
  const char *p = text;

  if (*text == '\0')
    return;
  for (;;)
    {
      const char *nl = strchr (p, '\n');
      gsize n = nl != NULL ? (gsize) (nl - p) : strlen (p);

      g_assert_cmpuint (n, >, 0);
      g_assert_false (g_unichar_isspace (g_utf8_get_char (p)) || g_utf8_get_char (p) == 0x3000);
      {
        const char *last = g_utf8_find_prev_char (p, p + n);

        g_assert_false (g_unichar_isspace (g_utf8_get_char (last)) || g_utf8_get_char (last) == 0x3000);
      }
      if (nl == NULL)
        break;
      p = nl + 1;
    }
}

static void
check_all (const char *text,
           GalleyRule  rules)
{
  g_autoptr(GalleyCleanResult) r = galley_clean (text, -1, rules, NULL);
  g_autoptr(GalleyCleanResult) again = NULL;

  check_result (text, r);
  again = galley_clean (r->text, -1, rules, NULL);
  if (g_strcmp0 (again->text, r->text) != 0)
    g_test_message ("not idempotent:\n[%s]\n->\n[%s]\n->\n[%s]", text, r->text, again->text);
  g_assert_cmpstr (again->text, ==, r->text);
  g_assert_cmpuint (again->changes->len, ==, 0);
  if ((rules & GALLEY_RULE_LINE_JOIN) && (rules & GALLEY_RULE_SPACES))
    check_layout (r->text);
}

/* ------------------------------------------------------------------
 * Locating a gold article in its raw page (for measuring the clean-up
 * without the segmenter)
 */

typedef struct {
  gunichar c;
  gsize    pos;
} NormChar;

static gunichar
norm (gunichar c)
{
  switch (c)
    {
    case ',': return 0xFF0C;
    case ';': return 0xFF1B;
    case ':': return 0xFF1A;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    case 0x201C: case 0x201D: return '"';
    case 0x2018: case 0x2019: return '\'';
    default: return c;
    }
}

static GArray *
normalize (const char *s)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (NormChar));

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      NormChar n = { norm (g_utf8_get_char (p)), p - s };

      if (g_unichar_isspace (n.c) || n.c == 0x3000)
        continue;
      g_array_append_val (a, n);
    }
  return a;
}

static gssize
find_norm (GArray *hay,
           guint   from,
           GArray *needle,
           guint   nstart,
           guint   n)
{
  for (guint i = from; i + n <= hay->len; i++)
    {
      guint k;

      for (k = 0; k < n; k++)
        if (g_array_index (hay, NormChar, i + k).c != g_array_index (needle, NormChar, nstart + k).c)
          break;
      if (k == n)
        return i;
    }
  return -1;
}

/* The raw span of page holding the gold body, from its first to its last
 * characters. */
static gboolean
locate (const char *page,
        const char *body,
        gsize      *start,
        gsize      *end)
{
  g_autoptr(GArray) hay = normalize (page);
  g_autoptr(GArray) needle = normalize (body);
  guint k = MIN (24, needle->len);
  gssize s, e;

  /* datelines begin alike: match well past them */
  s = find_norm (hay, 0, needle, 0, k);
  if (s < 0)
    return FALSE;
  k = MIN (10, needle->len);
  e = find_norm (hay, s + needle->len / 2, needle, needle->len - k, k);
  if (e < 0)
    return FALSE;
  e += k - 1;
  *start = g_array_index (hay, NormChar, s).pos;
  *end = g_array_index (hay, NormChar, e).pos;
  *end = g_utf8_next_char (page + *end) - page;
  return TRUE;
}

typedef struct {
  gsize raw;
  gsize clean;
  gsize chars;
} Measure;

static void
measure_page (const char *name,
              GalleyRule  rules,
              Measure    *m,
              gboolean    verbose)
{
  g_autofree char *page = load_page (name);
  g_autoptr(ScoreGold) gold = load_gold (name);

  for (guint i = 0; i < gold->articles->len; i++)
    {
      ScoreGoldArticle *a = g_ptr_array_index (gold->articles, i);
      gsize s = 0, e = 0;
      g_autofree char *raw = NULL;
      g_autoptr(GalleyCleanResult) r = NULL;
      gsize dr, dc;

      g_assert_true (locate (page, a->body, &s, &e));
      raw = g_strndup (page + s, e - s);
      r = galley_clean (raw, -1, rules, NULL);
      dr = score_distance (raw, -1, a->body, -1);
      dc = score_distance (r->text, -1, a->body, -1);
      m->raw += dr;
      m->clean += dc;
      m->chars += g_utf8_strlen (a->body, -1);
      if (verbose && dc > 0)
        g_test_message ("%s #%u: raw %zu clean %zu\n--- clean\n%s\n--- gold\n%s", name, i, dr, dc, r->text, a->body);
    }
}

static void
test_quality (void)
{
  static const GalleyRule rules[] = {
    GALLEY_RULE_LINE_JOIN, GALLEY_RULE_PARAGRAPH_JOIN, GALLEY_RULE_DUPLICATE,
    GALLEY_RULE_PUNCTUATION, GALLEY_RULE_SPACES,
  };
  gboolean verbose = g_getenv ("GALLEY_TEST_VERBOSE") != NULL;
  Measure total = { 0, };

  for (guint p = 0; p < G_N_ELEMENTS (gold_pages); p++)
    {
      Measure m = { 0, };

      measure_page (gold_pages[p], GALLEY_RULES_ALL, &m, verbose);
      g_test_message ("%s: raw CER %.2f%%, clean CER %.2f%%, removed %.1f%%",
                      gold_pages[p], 100.0 * m.raw / m.chars, 100.0 * m.clean / m.chars,
                      100.0 * (1.0 - (double) m.clean / m.raw));
      total.raw += m.raw;
      total.clean += m.clean;
      total.chars += m.chars;
    }
  g_test_message ("all rules: raw distance %zu, clean distance %zu, removed %.1f%%",
                  total.raw, total.clean, 100.0 * (1.0 - (double) total.clean / total.raw));

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      Measure m = { 0, };

      for (guint p = 0; p < G_N_ELEMENTS (gold_pages); p++)
        measure_page (gold_pages[p], GALLEY_RULES_ALL & ~rules[i], &m, FALSE);
      g_test_message ("without %s: clean distance %zu, removed %.1f%%",
                      galley_rule_to_id (rules[i]), m.clean,
                      100.0 * (1.0 - (double) m.clean / m.raw));
    }

  g_assert_cmpfloat (1.0 - (double) total.clean / total.raw, >=, 0.85);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clean/quality", test_quality);

  return g_test_run ();
}
