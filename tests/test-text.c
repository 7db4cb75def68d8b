/* test-text.c: decoding OCR output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "galley-text.h"

static const char sample[] = "本报济宁讯（记者 刘菲）4月10日，\n“营商环境再提升”主题系列\n";

static char *
convert_sample (const char *to,
                gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *out = g_convert (sample, -1, to, "UTF-8", NULL, len, &error);

  g_assert_no_error (error);
  return out;
}

static void
assert_decodes (const char *data,
                gsize       len,
                const char *expected_encoding)
{
  g_autoptr(GError) error = NULL;
  const char *encoding = NULL;
  g_autofree char *text = galley_text_decode (data, len, &encoding, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, sample);
  g_assert_cmpstr (encoding, ==, expected_encoding);
}

static void
test_utf8 (void)
{
  g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", sample, NULL);

  assert_decodes (sample, strlen (sample), "UTF-8");
  assert_decodes (bom, strlen (bom), "UTF-8");
}

static void
test_gb18030 (void)
{
  gsize len = 0;
  g_autofree char *gb = convert_sample ("GB18030", &len);

  g_assert_false (g_utf8_validate_len (gb, len, NULL));
  assert_decodes (gb, len, "GB18030");
}

static void
test_utf16 (void)
{
  const char *encodings[] = { "UTF-16LE", "UTF-16BE" };

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      gsize len = 0;
      g_autofree char *raw = convert_sample (encodings[i], &len);
      g_autofree char *with_bom = g_malloc (len + 2);

      /* Without a BOM: recognised by where the NUL bytes of ASCII fall. */
      assert_decodes (raw, len, encodings[i]);
      memcpy (with_bom, i == 0 ? "\xFF\xFE" : "\xFE\xFF", 2);
      memcpy (with_bom + 2, raw, len);
      assert_decodes (with_bom, len + 2, encodings[i]);
    }
}

static void
test_newlines (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = galley_text_decode ("a\r\nb\rc\n\r\nd", 10, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "a\nb\nc\n\nd");
}

static void
assert_refused (const char *data,
                gsize       len,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = galley_text_decode (data, len, NULL, &error);

  g_assert_null (text);
  g_assert_error (error, GALLEY_TEXT_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_refusals (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
  static const char controls[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11 abc";
  guint8 random_bytes[4096];
  GRand *rand = g_rand_new_with_seed (42);

  assert_refused ("", 0, GALLEY_TEXT_ERROR_EMPTY);
  assert_refused ("\xEF\xBB\xBF", 3, GALLEY_TEXT_ERROR_EMPTY);
  assert_refused (" \n\t\r\n", 5, GALLEY_TEXT_ERROR_EMPTY);
  assert_refused ("\xE3\x80\x80\n", 4, GALLEY_TEXT_ERROR_EMPTY); /* ideographic space */
  assert_refused (png, sizeof png - 1, GALLEY_TEXT_ERROR_BINARY);
  assert_refused (controls, sizeof controls - 1, GALLEY_TEXT_ERROR_BINARY);

  for (guint i = 0; i < sizeof random_bytes; i++)
    random_bytes[i] = g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = galley_text_decode ((char *) random_bytes, sizeof random_bytes,
                                                NULL, &error);
    g_assert_null (text);
    g_assert_true (error->domain == GALLEY_TEXT_ERROR);
  }
}

/* Two texts' common start and end, in whole characters. */
static void
test_common_ends (void)
{
  struct { const char *a, *b; gsize prefix, suffix; } cases[] = {
    { "26家人区企业", "26家入区企业", 5, 9 },
    { "济宁", "济南", 3, 0 },      /* 宁 and 南 share their first byte */
    { "人们", "为们", 0, 3 },      /* 人 and 为 their first and last */
    { "同", "同", 3, 0 },
    { "ab", "abc", 2, 0 },
    { "xab", "ab", 0, 2 },
    { "", "甲", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize prefix, suffix;

      galley_text_common_ends (cases[i].a, cases[i].b, &prefix, &suffix);
      g_assert_cmpuint (prefix, ==, cases[i].prefix);
      g_assert_cmpuint (suffix, ==, cases[i].suffix);
    }
}

static void
test_sample_pages (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", NULL);
  const char *name;
  guint n = 0;

  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *bytes = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (file, &bytes, &len, NULL));
      text = galley_text_decode (bytes, len, NULL, &error);
      g_assert_no_error (error);
      g_assert_null (strchr (text, '\r'));
      n++;
    }
  g_assert_cmpuint (n, ==, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/utf8", test_utf8);
  g_test_add_func ("/text/gb18030", test_gb18030);
  g_test_add_func ("/text/utf16", test_utf16);
  g_test_add_func ("/text/newlines", test_newlines);
  g_test_add_func ("/text/common-ends", test_common_ends);
  g_test_add_func ("/text/refusals", test_refusals);
  g_test_add_func ("/text/sample-pages", test_sample_pages);
  return g_test_run ();
}
