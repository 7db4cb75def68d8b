/* test-taxonomy.c: the taxonomy file format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "galley-taxonomy.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static GPtrArray *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = galley_taxonomy_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static void
assert_entry (GPtrArray  *entries,
              guint       index,
              const char *name,
              const char *parent,
              const char *code,
              const char *label_en)
{
  const GalleyTaxonomyEntry *e;

  g_assert_cmpuint (index, <, entries->len);
  e = g_ptr_array_index (entries, index);
  g_assert_cmpstr (e->name, ==, name);
  g_assert_cmpstr (e->parent, ==, parent);
  g_assert_cmpstr (e->code, ==, code);
  g_assert_cmpstr (e->label_en, ==, label_en);
}

static void
assert_same (GPtrArray *a,
             GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_true (galley_taxonomy_entry_equal (a->pdata[i], b->pdata[i]));
}

static void
assert_round_trip (GPtrArray *entries)
{
  g_autofree char *text = galley_taxonomy_write (entries);
  g_autoptr(GPtrArray) again = parse (text);
  g_autofree char *text2 = galley_taxonomy_write (again);

  assert_same (entries, again);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_taxonomy_parse (void)
{
  g_autoptr(GPtrArray) entries = parse ("\xEF\xBB\xBF# 本报分类\r\n"
                                        "\n"
                                        "path\tcode\tlabel_en\r\n"
                                        "体育\tmedtop:15000000\tsport\r\n"
                                        "体育/足球\t\tfootball\n"
                                        "体育 / 足球/中超\n"
                                        "经济\tmedtop:04000000\n"
                                        " 民生 \t\t people \n"
                                        "# comment\n"
                                        "经济/房产\t\t");
  g_autofree char *path = NULL;

  g_assert_cmpuint (entries->len, ==, 6);
  assert_entry (entries, 0, "体育", NULL, "medtop:15000000", "sport");
  assert_entry (entries, 1, "足球", "体育", NULL, "football");
  assert_entry (entries, 2, "中超", "足球", NULL, NULL);
  assert_entry (entries, 3, "经济", NULL, "medtop:04000000", NULL);
  assert_entry (entries, 4, "民生", NULL, NULL, "people");
  assert_entry (entries, 5, "房产", "经济", NULL, NULL);
  path = galley_taxonomy_dup_path (entries, 2);
  g_assert_cmpstr (path, ==, "体育/足球/中超");

  assert_round_trip (entries);
}

static void
test_taxonomy_children_first (void)
{
  /* a child may come before its parent */
  g_autoptr(GPtrArray) entries = parse ("path\tcode\tlabel_en\n"
                                        "文化/非遗\n"
                                        "文化\tmedtop:01000000\tculture\n");

  assert_entry (entries, 0, "非遗", "文化", NULL, NULL);
  assert_round_trip (entries);
}

static void
test_taxonomy_built (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_taxonomy_entry_free);
  g_autoptr(GalleyTaxonomyEntry) copy = NULL;

  g_ptr_array_add (entries, galley_taxonomy_entry_new ("教育", NULL, "medtop:05000000", "education"));
  g_ptr_array_add (entries, galley_taxonomy_entry_new ("高考", "教育", "", ""));
  g_ptr_array_add (entries, galley_taxonomy_entry_new ("Tag with spaces & “quotes”", "高考", NULL, "a, b; c"));
  assert_entry (entries, 1, "高考", "教育", NULL, NULL);
  copy = galley_taxonomy_entry_copy (entries->pdata[2]);
  g_assert_true (galley_taxonomy_entry_equal (copy, entries->pdata[2]));
  g_assert_false (galley_taxonomy_entry_equal (copy, entries->pdata[1]));
  assert_round_trip (entries);
}

static void
test_taxonomy_iptc (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "iptc-media-topics.tsv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = galley_taxonomy_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 17);
  assert_entry (entries, 4, "教育", NULL, "medtop:05000000", "education");
  assert_entry (entries, 14, "体育", NULL, "medtop:15000000", "sport");
  for (guint i = 0; i < entries->len; i++)
    g_assert_true (g_str_has_prefix (((GalleyTaxonomyEntry *) entries->pdata[i])->code, "medtop:"));
  assert_round_trip (entries);
}

static void
test_taxonomy_files (void)
{
  g_autoptr(GPtrArray) entries = parse ("path\tcode\tlabel_en\n社会\tmedtop:14000000\tsociety\n社会/民生\n");
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("test-taxonomy-XXXXXX.tsv", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (galley_taxonomy_save (entries, path, &error));
  g_assert_no_error (error);
  loaded = galley_taxonomy_load (path, &error);
  g_assert_no_error (error);
  assert_same (entries, loaded);
  g_remove (path);

  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = galley_taxonomy_load (path, &error);
  g_assert_null (loaded);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
check_error (const char *text,
             gssize      len,
             int         code,
             const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = galley_taxonomy_parse (text, len < 0 ? strlen (text) : (gsize) len, &error);
  g_assert_null (entries);
  g_assert_error (error, GALLEY_TAXONOMY_ERROR, code);
  if (line != NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("Line %s", line);

      if (!g_str_has_prefix (error->message, prefix))
        g_error ("unexpected message: %s", error->message);
      g_assert_false (g_ascii_isdigit (error->message[strlen (prefix)]));
    }
}

#define HEADER "path\tcode\tlabel_en\n"

static void
test_taxonomy_errors (void)
{
  g_autofree char *long_line = NULL;
  g_autoptr(GString) text = g_string_new (HEADER);

  check_error ("", 0, GALLEY_TAXONOMY_ERROR_EMPTY, NULL);
  check_error ("# only a comment\n\n", -1, GALLEY_TAXONOMY_ERROR_EMPTY, NULL);
  check_error (HEADER, -1, GALLEY_TAXONOMY_ERROR_EMPTY, NULL);
  check_error ("体育\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "1");
  check_error ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, GALLEY_TAXONOMY_ERROR_ENCODING, "1");
  check_error (HEADER "体育\n\xff\xfe\n", -1, GALLEY_TAXONOMY_ERROR_ENCODING, "3");
  check_error (HEADER "体育\n足\0球\n", 31, GALLEY_TAXONOMY_ERROR_ENCODING, "3");
  check_error (HEADER "体育\t\t\tsport\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "2");
  check_error (HEADER "体育\tmedtop 15\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "2");
  check_error (HEADER "体育//足球\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "2");
  check_error (HEADER "/足球\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "2");
  check_error (HEADER "\tmedtop:15000000\tsport\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "2");
  check_error (HEADER "体育\n体育/足球\n经济\n经济/足球\n", -1, GALLEY_TAXONOMY_ERROR_DUPLICATE, "5");
  check_error (HEADER "体育\n体育\n", -1, GALLEY_TAXONOMY_ERROR_DUPLICATE, "3");
  check_error (HEADER "体育/足球\n", -1, GALLEY_TAXONOMY_ERROR_PARENT, "2");
  check_error (HEADER "体育\n经济\n经济/体育/足球\n", -1, GALLEY_TAXONOMY_ERROR_PARENT, "4");
  check_error (HEADER "足球/足球\n", -1, GALLEY_TAXONOMY_ERROR_CYCLE, "2");
  check_error (HEADER "甲/乙\n乙/甲\n", -1, GALLEY_TAXONOMY_ERROR_CYCLE, NULL);
  check_error (HEADER "丙/甲\n甲/乙\n乙/丙\n", -1, GALLEY_TAXONOMY_ERROR_CYCLE, NULL);
  check_error ("code\ten\tzh-Hans\nmedtop:01000000\tarts\n", -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "2");

  long_line = g_strnfill (GALLEY_TAXONOMY_MAX_LINE + 1, 'x');
  g_string_append_printf (text, "体育\n%s\n", long_line);
  check_error (text->str, -1, GALLEY_TAXONOMY_ERROR_SYNTAX, "3");
}

static void
test_taxonomy_deep (void)
{
  /* a long chain is checked in linear time and written back as it was */
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GPtrArray) entries = NULL;

  for (guint i = 0; i < 300; i++)
    {
      if (i > 0)
        g_string_append_c (path, '/');
      g_string_append_printf (path, "层%u", i);
      g_string_append_printf (text, "%s\n", path->str);
    }
  entries = parse (text->str);
  g_assert_cmpuint (entries->len, ==, 300);
  assert_entry (entries, 299, "层299", "层298", NULL, NULL);
  assert_round_trip (entries);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/taxonomy/parse", test_taxonomy_parse);
  g_test_add_func ("/taxonomy/children-first", test_taxonomy_children_first);
  g_test_add_func ("/taxonomy/built", test_taxonomy_built);
  g_test_add_func ("/taxonomy/iptc", test_taxonomy_iptc);
  g_test_add_func ("/taxonomy/files", test_taxonomy_files);
  g_test_add_func ("/taxonomy/errors", test_taxonomy_errors);
  g_test_add_func ("/taxonomy/deep", test_taxonomy_deep);

  return g_test_run ();
}
