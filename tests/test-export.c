/* test-export.c: every export format written and read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <archive.h>
#include <archive_entry.h>

#include "galley-export.h"

/* Test data */

static void
test_change_free (gpointer data)
{
  GalleyChange *change = data;

  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

static GalleyChange *
make_change (GalleyRule       rule,
             GalleyChangeKind kind,
             gsize            start,
             const char      *before,
             const char      *after,
             double           confidence)
{
  GalleyChange *change = g_new0 (GalleyChange, 1);

  change->rule = rule;
  change->kind = kind;
  change->orig_start = start;
  change->orig_end = start + strlen (before);
  change->clean_start = start;
  change->clean_end = start + strlen (after);
  change->before = g_strdup (before);
  change->after = g_strdup (after);
  change->confidence = confidence;
  return change;
}

static void
set_strv (char       ***field,
          const char   *first,
          ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_strv_builder_add (builder, s);
  va_end (args);
  g_strfreev (*field);
  *field = g_strv_builder_end (builder);
}

static void
set_str (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static GPtrArray *
make_articles (void)
{
  GPtrArray *articles = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_article_data_free);
  GalleyArticleData *a;
  GalleyChangeState states[] = { GALLEY_CHANGE_ACCEPTED, GALLEY_CHANGE_PENDING };

  a = galley_article_data_new ();
  a->id = 1;
  a->position = 0;
  set_str (&a->source_file, "000_sample.txt");
  set_str (&a->kicker, "济宁高新区");
  set_str (&a->title, "他说：“A<B & C>D” 'x'");
  set_str (&a->subtitle, "副题 \"引号\" \\ 反斜杠");
  set_str (&a->byline, "本报济宁讯（记者 刘菲 曹俐 通讯员 段亚洲）");
  set_str (&a->place, "济宁");
  set_strv (&a->reporters, "刘菲", "曹俐", NULL);
  set_strv (&a->correspondents, "段亚洲", NULL);
  set_str (&a->date, "2023-04-10");
  set_str (&a->body,
           "本报济宁讯（记者 刘菲 曹俐 通讯员 段亚洲）4月10日，“营商环境再提升”发布会举行，A<B&C。\n"
           "“一件事”创新举措\n"
           "# 不是标题，1. 不是列表\n"
           "1. 编号段落：*星号* _下划线_ [链接](x) `代码` \\ 反斜杠 <b>不是标签</b> &amp;\n"
           "- 横线开头、+ 加号、> 大于号、= 等号、| 竖线 ~波浪~ !感叹\n"
           "He said \"yes\", 'no'; 171.42亿元，1,000。");
  set_strv (&a->intertitles, "“一件事”创新举措", NULL);
  set_strv (&a->captions, "高新政务服务大厅。", NULL);
  set_strv (&a->tags, "经济", "科技", NULL);
  set_strv (&a->tag_codes, "medtop:04000000", "medtop:13000000", NULL);
  set_str (&a->status, "proofread");
  set_str (&a->original, "本报济宁讯(记者 刘菲 曹俐 通讯员 段亚洲)4月10日,\n原文");
  a->imported = g_date_time_new_utc (2024, 5, 1, 8, 0, 0);
  a->modified = g_date_time_new_utc (2024, 5, 2, 9, 30, 0);
  a->changes = g_ptr_array_new_with_free_func (test_change_free);
  g_ptr_array_add (a->changes, make_change (GALLEY_RULE_PUNCTUATION, GALLEY_CHANGE_EDIT, 15, "(", "（", 1.0));
  g_ptr_array_add (a->changes, make_change (GALLEY_RULE_CONFUSION, GALLEY_CHANGE_SUSPECT, 40, "人区", "入区", 0.75));
  a->change_states = g_array_new (FALSE, FALSE, sizeof (GalleyChangeState));
  g_array_append_vals (a->change_states, states, G_N_ELEMENTS (states));
  g_ptr_array_add (articles, a);

  /* NULL date, no kicker or subtitle, a hostile title. */
  a = galley_article_data_new ();
  a->id = 2;
  a->position = 1;
  set_str (&a->source_file, "001_other.txt");
  set_str (&a->title, "../etc/passwd 标题\t换行\n第二行");
  set_str (&a->body, "只有一段，没有日期。");
  set_strv (&a->tags, "社会", NULL);
  set_strv (&a->tag_codes, "medtop:14000000", NULL);
  g_ptr_array_add (articles, a);

  /* The same title and date as the first: its file gets a suffix. */
  a = galley_article_data_new ();
  a->id = 3;
  a->position = 2;
  set_str (&a->source_file, "000_sample.txt");
  set_str (&a->title, "他说：“A<B & C>D” 'x'");
  set_str (&a->date, "2023-04-10");
  set_str (&a->byline, "■本报记者 刘菲");
  set_str (&a->body, "第一段。\n\n第三段，前面是空段落。");
  set_str (&a->status, "approved");
  g_ptr_array_add (articles, a);

  /* No title at all. */
  a = galley_article_data_new ();
  a->id = 4;
  a->position = 3;
  set_str (&a->source_file, "002_x.txt");
  set_str (&a->body, "无题文章。");
  g_ptr_array_add (articles, a);

  return articles;
}

static GalleyArticleData *
article (GPtrArray *articles,
         guint      i)
{
  return g_ptr_array_index (articles, i);
}

/* Helpers */

typedef struct {
  char      *dir;
  GPtrArray *articles;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("galley-export-XXXXXX", &error);
  g_assert_no_error (error);
  f->articles = make_articles ();
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->articles);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Sorted names in `dir`, as one string "a|b|c". */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  return contents;
}

static void
export_articles (GalleyExportFormat  format,
                 const char         *output,
                 gboolean            combined,
                 gboolean            provenance,
                 const char         *pattern,
                 GPtrArray          *articles)
{
  GalleyExportOptions options = {
    .output = output,
    .combined = combined,
    .name_pattern = pattern,
    .provenance = provenance,
    .collection_title = "合集 <测试> & “引号”",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyExportSink) sink = galley_export_sink_new (format, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sink);
  for (guint i = 0; i < articles->len; i++)
    {
      galley_export_sink_add (sink, article (articles, i), NULL, &error);
      g_assert_no_error (error);
    }
  galley_export_sink_finish (sink, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (galley_export_sink_get_n_written (sink), ==, articles->len);
}

static char **
body_paragraphs (const GalleyArticleData *a)
{
  if (*a->body == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (a->body, "\n", -1);
}

/* Formats and names */

static void
test_formats (void)
{
  const char *ids[] = { "txt", "markdown", "html", "jsonl", "csv", "newsml", "docx" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      GalleyExportFormat format = galley_export_format_from_id (ids[i]);

      g_assert_cmpint (format, !=, GALLEY_EXPORT_FORMAT_UNKNOWN);
      g_assert_cmpstr (galley_export_format_to_id (format), ==, ids[i]);
      g_assert_nonnull (galley_export_format_get_label (format));
      g_assert_nonnull (galley_export_format_get_extension (format));
      g_assert_true (galley_export_format_can_combine (format) ||
                     galley_export_format_can_split (format));
    }
  g_assert_cmpint (galley_export_format_from_id ("pdf"), ==, GALLEY_EXPORT_FORMAT_UNKNOWN);
  g_assert_cmpstr (galley_export_format_get_extension (GALLEY_EXPORT_FORMAT_MARKDOWN), ==, "md");
  g_assert_true (galley_export_format_can_combine (GALLEY_EXPORT_FORMAT_JSONL));
  g_assert_false (galley_export_format_can_split (GALLEY_EXPORT_FORMAT_CSV));
}

static void
test_file_names (void)
{
  g_autoptr(GalleyArticleData) a = galley_article_data_new ();
  g_autoptr(GString) long_title = g_string_new (NULL);
  char *name;

  a->id = 42;
  a->position = 2;
  set_str (&a->source_file, "003_c125.txt");
  set_str (&a->title, "颁出首张 数据知识产权存证证书");
  set_str (&a->kicker, "济宁高新区");
  set_str (&a->date, "2023-04-10");

  name = galley_export_dup_file_name (NULL, a, GALLEY_EXPORT_FORMAT_TXT);
  g_assert_cmpstr (name, ==, "2023-04-10-颁出首张 数据知识产权存证证书.txt");
  g_free (name);

  name = galley_export_dup_file_name ("{source}-{position}-{id}-{kicker}-{unknown}", a,
                                      GALLEY_EXPORT_FORMAT_DOCX);
  g_assert_cmpstr (name, ==, "003_c125-3-42-济宁高新区-{unknown}.docx");
  g_free (name);

  /* Separators, "..", control characters, leading dots. */
  set_str (&a->title, "../../etc/passwd\\x\x01y\nz:w*?\"<>|");
  name = galley_export_dup_file_name ("{title}", a, GALLEY_EXPORT_FORMAT_HTML);
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_null (strstr (name, ".."));
  g_assert_cmpint (name[0], !=, '.');
  for (const char *p = name; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  g_assert_cmpstr (name, ==, "etc_passwd_x y z_w.html");
  g_free (name);

  /* A NULL date and an empty title still give a name. */
  set_str (&a->title, "");
  g_clear_pointer (&a->date, g_free);
  name = galley_export_dup_file_name (NULL, a, GALLEY_EXPORT_FORMAT_CSV);
  g_assert_cmpstr (name, ==, "article-42.csv");
  g_free (name);

  /* Long Chinese titles are cut by bytes at a character boundary. */
  for (guint i = 0; i < 100; i++)
    g_string_append (long_title, "长");
  set_str (&a->title, long_title->str);
  name = galley_export_dup_file_name ("{title}", a, GALLEY_EXPORT_FORMAT_TXT);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (strlen (name), <=, 160);
  g_assert_true (g_str_has_prefix (name, "长长长"));
  g_assert_true (g_str_has_suffix (name, "长.txt"));
  g_free (name);
}

/* JSON Lines */

static void
assert_json_strv (JsonObject  *obj,
                  const char  *member,
                  char       **want)
{
  JsonArray *array = json_object_get_array_member (obj, member);

  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length (want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, want[i]);
}

static void
test_jsonl (Fixture       *f,
            gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "all.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  export_articles (GALLEY_EXPORT_FORMAT_JSONL, path, TRUE, TRUE, NULL, f->articles);
  contents = read_file (path);
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, f->articles->len + 1);

  for (guint i = 0; i < f->articles->len; i++)
    {
      const GalleyArticleData *a = article (f->articles, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *obj;
      JsonArray *changes;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      obj = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (obj, "id"), ==, a->id);
      g_assert_cmpstr (json_object_get_string_member (obj, "source_file"), ==, a->source_file);
      g_assert_cmpint (json_object_get_int_member (obj, "position"), ==, a->position);
      g_assert_cmpstr (json_object_get_string_member (obj, "kicker"), ==, a->kicker);
      g_assert_cmpstr (json_object_get_string_member (obj, "title"), ==, a->title);
      g_assert_cmpstr (json_object_get_string_member (obj, "subtitle"), ==, a->subtitle);
      g_assert_cmpstr (json_object_get_string_member (obj, "byline"), ==, a->byline);
      g_assert_cmpstr (json_object_get_string_member (obj, "place"), ==, a->place);
      g_assert_cmpstr (json_object_get_string_member (obj, "body"), ==, a->body);
      g_assert_cmpstr (json_object_get_string_member (obj, "original"), ==, a->original);
      g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, a->status);
      if (a->date == NULL)
        g_assert_true (json_object_get_null_member (obj, "date"));
      else
        g_assert_cmpstr (json_object_get_string_member (obj, "date"), ==, a->date);
      assert_json_strv (obj, "captions", a->captions);
      assert_json_strv (obj, "tags", a->tags);
      assert_json_strv (obj, "reporters", a->reporters);
      assert_json_strv (obj, "correspondents", a->correspondents);
      assert_json_strv (obj, "intertitles", a->intertitles);

      changes = json_object_get_array_member (obj, "changes");
      g_assert_cmpuint (json_array_get_length (changes), ==, a->changes != NULL ? a->changes->len : 0);
      for (guint j = 0; a->changes != NULL && j < a->changes->len; j++)
        {
          const GalleyChange *c = g_ptr_array_index (a->changes, j);
          JsonObject *co = json_array_get_object_element (changes, j);

          g_assert_cmpstr (json_object_get_string_member (co, "before"), ==, c->before);
          g_assert_cmpstr (json_object_get_string_member (co, "after"), ==, c->after);
          g_assert_cmpint (json_object_get_int_member (co, "orig_start"), ==, c->orig_start);
          g_assert_cmpint (json_object_get_int_member (co, "orig_end"), ==, c->orig_end);
          g_assert_cmpfloat (json_object_get_double_member (co, "confidence"), ==, c->confidence);
        }
    }

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *changes;
    JsonObject *c0, *c1;

    json_parser_load_from_data (parser, lines[0], -1, NULL);
    changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
    c0 = json_array_get_object_element (changes, 0);
    c1 = json_array_get_object_element (changes, 1);
    g_assert_cmpstr (json_object_get_string_member (c0, "rule"), ==, "punctuation");
    g_assert_cmpstr (json_object_get_string_member (c0, "kind"), ==, "edit");
    g_assert_cmpstr (json_object_get_string_member (c0, "state"), ==, "accepted");
    g_assert_cmpstr (json_object_get_string_member (c1, "rule"), ==, "confusion");
    g_assert_cmpstr (json_object_get_string_member (c1, "kind"), ==, "suspect");
    g_assert_cmpstr (json_object_get_string_member (c1, "state"), ==, "pending");
  }

  /* Without provenance there is no "changes" member, and no side file. */
  {
    g_autofree char *plain = g_build_filename (f->dir, "plain.jsonl", NULL);
    g_autofree char *text = NULL;

    export_articles (GALLEY_EXPORT_FORMAT_JSONL, plain, TRUE, FALSE, NULL, f->articles);
    text = read_file (plain);
    g_assert_null (strstr (text, "\"changes\""));
    g_assert_nonnull (strstr (text, "\"original\""));
  }
}

/* CSV */

/* A small RFC 4180 reader: rows of fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; ; p++)
            {
              g_assert_cmpint (*p, !=, '\0');
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else
        {
          while (*p != '\0' && *p != ',' && *p != '\r' && *p != '\n')
            {
              g_assert_cmpint (*p, !=, '"');
              g_string_append_c (field, *p++);
            }
        }

      g_strv_builder_add (row, field->str);
      g_string_truncate (field, 0);
      if (*p == ',')
        p++;
      else
        {
          g_assert_true (p[0] == '\r' && p[1] == '\n');
          p += 2;
          g_ptr_array_add (rows, g_strv_builder_end (row));
          g_strv_builder_unref (row);
          row = g_strv_builder_new ();
        }
    }
  return rows;
}

static void
test_csv (Fixture       *f,
          gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "meta.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *header = NULL;

  export_articles (GALLEY_EXPORT_FORMAT_CSV, path, TRUE, FALSE, NULL, f->articles);
  contents = read_file (path);
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf"));
  rows = parse_csv (contents + 3);
  g_assert_cmpuint (rows->len, ==, f->articles->len + 1);

  header = g_strjoinv (",", g_ptr_array_index (rows, 0));
  g_assert_cmpstr (header, ==,
                   "id,source_file,position,date,kicker,title,subtitle,byline,reporters,tags,status,characters,body");
  for (guint i = 0; i < f->articles->len; i++)
    {
      const GalleyArticleData *a = article (f->articles, i);
      char **row = g_ptr_array_index (rows, i + 1);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, a->id);
      g_autofree char *tags = g_strjoinv ("; ", a->tags);
      g_autofree char *reporters = g_strjoinv ("; ", a->reporters);
      g_autofree char *chars = NULL;
      glong n = g_utf8_strlen (a->body, -1);

      for (const char *p = a->body; *p != '\0'; p++)
        n -= *p == '\n';
      chars = g_strdup_printf ("%ld", n);

      g_assert_cmpuint (g_strv_length (row), ==, 13);
      g_assert_cmpstr (row[0], ==, id);
      g_assert_cmpstr (row[1], ==, a->source_file);
      g_assert_cmpstr (row[3], ==, a->date != NULL ? a->date : "");
      g_assert_cmpstr (row[4], ==, a->kicker);
      g_assert_cmpstr (row[5], ==, a->title);
      g_assert_cmpstr (row[6], ==, a->subtitle);
      g_assert_cmpstr (row[7], ==, a->byline);
      g_assert_cmpstr (row[8], ==, reporters);
      g_assert_cmpstr (row[9], ==, tags);
      g_assert_cmpstr (row[10], ==, a->status);
      g_assert_cmpstr (row[11], ==, chars);
      g_assert_cmpstr (row[12], ==, a->body);
    }
}

/* Plain text */

static void
assert_txt_article (const char              *text,
                    const GalleyArticleData *a)
{
  /* No title block at all leaves just the blank line. */
  const char *blank = text[0] == '\n' ? text - 1 : strstr (text, "\n\n");
  g_auto(GStrv) want = body_paragraphs (a);
  g_autoptr(GString) expected = g_string_new (NULL);

  g_assert_nonnull (blank);
  g_assert_true (g_str_has_prefix (text, *a->kicker != '\0' ? a->kicker : a->title));
  for (guint i = 0; want[i] != NULL; i++)
    g_string_append_printf (expected, "%s\n", want[i]);
  g_assert_cmpstr (blank + 2, ==, expected->str);
}

static void
test_txt (Fixture       *f,
          gconstpointer  user_data)
{
  g_autofree char *combined = g_build_filename (f->dir, "all.txt", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  g_auto(GStrv) parts = NULL;

  export_articles (GALLEY_EXPORT_FORMAT_TXT, combined, TRUE, TRUE, NULL, f->articles);
  contents = read_file (combined);
  parts = g_strsplit (contents, "\n────────────────────\n\n", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, f->articles->len);
  for (guint i = 0; i < f->articles->len; i++)
    assert_txt_article (parts[i], article (f->articles, i));
  /* A byline the body opens with (a dateline) is not repeated above it;
   * one on a line of its own is kept. */
  {
    g_autofree char *head = g_strndup (parts[0], strstr (parts[0], "\n\n") - parts[0]);

    g_assert_true (g_str_has_prefix (article (f->articles, 0)->body, article (f->articles, 0)->byline));
    g_assert_null (strstr (head, article (f->articles, 0)->byline));
    g_assert_nonnull (strstr (parts[2], "■本报记者 刘菲\n"));
  }

  /* The provenance side file holds the original text. */
  {
    g_autofree char *side = g_build_filename (f->dir, "all.provenance.jsonl", NULL);
    g_autofree char *text = read_file (side);
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *obj;

    g_assert_cmpuint (g_strv_length (lines), ==, f->articles->len + 1);
    json_parser_load_from_data (parser, lines[0], -1, &error);
    g_assert_no_error (error);
    obj = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (obj, "original"), ==, article (f->articles, 0)->original);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "changes")), ==, 2);
  }

  /* One file per article, named from date and title, collisions numbered. */
  {
    g_autofree char *folder = g_build_filename (f->dir, "split", NULL);

    g_mkdir (folder, 0700);
    export_articles (GALLEY_EXPORT_FORMAT_TXT, folder, FALSE, FALSE, NULL, f->articles);
    names = list_dir (folder);
    g_assert_cmpstr (names, ==,
                     "2023-04-10-他说：“A_B & C_D” 'x'-2.txt|"
                     "2023-04-10-他说：“A_B & C_D” 'x'.txt|"
                     "article-4.txt|"
                     "etc_passwd 标题 换行 第二行.txt");
    for (guint i = 0; i < f->articles->len; i++)
      {
        const char *file_names[] = {
          "2023-04-10-他说：“A_B & C_D” 'x'.txt", "etc_passwd 标题 换行 第二行.txt",
          "2023-04-10-他说：“A_B & C_D” 'x'-2.txt", "article-4.txt",
        };
        g_autofree char *path = g_build_filename (folder, file_names[i], NULL);
        g_autofree char *text = read_file (path);

        assert_txt_article (text, article (f->articles, i));
      }
  }
}

/* Markdown */

static char *
yaml_decode (const char *value)
{
  GString *s = g_string_new (NULL);
  const char *p;

  g_assert_cmpint (value[0], ==, '"');
  for (p = value + 1; *p != '"'; p++)
    {
      g_assert_cmpint (*p, !=, '\0');
      if (*p == '\\')
        {
          p++;
          switch (*p)
            {
            case 'n': g_string_append_c (s, '\n'); break;
            case 't': g_string_append_c (s, '\t'); break;
            case '"': case '\\': g_string_append_c (s, *p); break;
            default: g_assert_not_reached ();
            }
        }
      else
        g_string_append_c (s, *p);
    }
  g_assert_cmpstr (p + 1, ==, "");
  return g_string_free (s, FALSE);
}

static char *
markdown_unescape (const char *text)
{
  const char *refs[][2] = { { "&#32;", " " }, { "&lt;", "<" }, { "&amp;", "&" },
                            { "&#124;", "|" }, { "&#126;", "~" } };
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (refs); i++)
        if (g_str_has_prefix (p, refs[i][0]))
          break;
      if (i < G_N_ELEMENTS (refs))
        {
          g_string_append (s, refs[i][1]);
          p += strlen (refs[i][0]) - 1;
        }
      else if (*p == '\\' && g_ascii_ispunct (p[1]))
        g_string_append_c (s, *++p);
      else
        {
          /* Every markup character must have been escaped. */
          g_assert_null (strchr ("`*_[]<|~", *p));
          g_string_append_c (s, *p);
        }
    }
  return g_string_free (s, FALSE);
}

static void
test_markdown (Fixture       *f,
               gconstpointer  user_data)
{
  GalleyExportOptions options = { .output = f->dir, .name_pattern = "{id}" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyExportSink) sink = NULL;

  sink = galley_export_sink_new (GALLEY_EXPORT_FORMAT_MARKDOWN, &(GalleyExportOptions) { .output = "x.md", .combined = TRUE }, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (sink);
  g_clear_error (&error);

  export_articles (GALLEY_EXPORT_FORMAT_MARKDOWN, options.output, FALSE, FALSE, "{id}", f->articles);
  for (guint i = 0; i < f->articles->len; i++)
    {
      const GalleyArticleData *a = article (f->articles, i);
      g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".md", a->id);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autofree char *text = read_file (path);
      g_auto(GStrv) blocks = NULL;
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) want = body_paragraphs (a);
      const char *end;
      guint n_fields = 0, n_body = 0;

      g_assert_true (g_str_has_prefix (text, "---\n"));
      end = strstr (text + 4, "\n---\n\n");
      g_assert_nonnull (end);

      lines = g_strsplit (text + 4, "\n", -1);
      for (guint j = 0; lines[j] != NULL && !g_str_equal (lines[j], "---"); j++)
        {
          const char *colon = strstr (lines[j], ": ");
          g_autofree char *key = g_strndup (lines[j], colon - lines[j]);
          const char *value = colon + 2;
          g_autofree char *decoded = NULL;

          n_fields++;
          if (g_str_equal (key, "date") && a->date == NULL)
            {
              g_assert_cmpstr (value, ==, "null");
              continue;
            }
          if (g_str_equal (key, "reporters") || g_str_equal (key, "correspondents") ||
              g_str_equal (key, "tags"))
            {
              char **names = g_str_equal (key, "reporters") ? a->reporters
                             : g_str_equal (key, "correspondents") ? a->correspondents : a->tags;

              g_assert_cmpint (value[0], ==, '[');
              for (guint k = 0; names[k] != NULL; k++)
                g_assert_nonnull (strstr (value, names[k]));
              continue;
            }
          decoded = yaml_decode (value);
          if (g_str_equal (key, "title"))
            g_assert_cmpstr (decoded, ==, a->title);
          else if (g_str_equal (key, "subtitle"))
            g_assert_cmpstr (decoded, ==, a->subtitle);
          else if (g_str_equal (key, "kicker"))
            g_assert_cmpstr (decoded, ==, a->kicker);
          else if (g_str_equal (key, "byline"))
            g_assert_cmpstr (decoded, ==, a->byline);
          else if (g_str_equal (key, "date"))
            g_assert_cmpstr (decoded, ==, a->date);
          else if (g_str_equal (key, "source"))
            g_assert_cmpstr (decoded, ==, a->source_file);
          else if (g_str_equal (key, "status"))
            g_assert_cmpstr (decoded, ==, a->status);
          else
            g_assert_not_reached ();
        }
      g_assert_cmpuint (n_fields, ==, 10);

      /* Paragraphs are blocks separated by a blank line. An empty body
       * paragraph gives an empty block. */
      blocks = g_strsplit (end + 6, "\n\n", -1);
      for (guint j = 0; blocks[j] != NULL && *blocks[j] != '\0' && blocks[j][0] != '*'; j++)
        {
          gboolean heading = g_str_has_prefix (blocks[j], "## ");
          g_autofree char *plain = markdown_unescape (blocks[j] + (heading ? 3 : 0));

          g_assert_nonnull (want[n_body]);
          g_assert_cmpstr (plain, ==, want[n_body]);
          g_assert_cmpint (heading, ==, g_strv_contains ((const char * const *) a->intertitles, plain));
          n_body++;
          /* An empty paragraph leaves a run of blank lines. */
          if (want[n_body] != NULL && *want[n_body] == '\0' && blocks[j + 1] != NULL && *blocks[j + 1] == '\0')
            {
              n_body++;
              j++;
            }
        }
      g_assert_cmpuint (n_body, ==, g_strv_length (want));
    }
}

/* HTML and XML read back with GMarkup */

typedef struct {
  GPtrArray  *texts;      /* text of each collected element */
  const char *container;  /* collect only inside this element */
  int         depth;      /* > 0 inside the container */
  GString    *current;
  gboolean    collecting;
  char       *tag_prefix; /* "w:" for DOCX */
} Collector;

static gboolean
is_collected (const Collector *c,
              const char      *element,
              const char     **names,
              const char     **values)
{
  if (c->tag_prefix != NULL)
    return g_str_equal (element, "w:p");
  if (!g_str_equal (element, "p") && !g_str_equal (element, "h2"))
    return FALSE;
  /* Body paragraphs have no class; captions and metadata do. */
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "class"))
      return FALSE;
  return TRUE;
}

static void
collect_start_cb (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  Collector *c = user_data;

  if (g_str_equal (element, c->container) || c->depth > 0)
    c->depth++;
  if (c->depth > 0 && is_collected (c, element, names, values))
    {
      g_assert_false (c->collecting);
      c->collecting = TRUE;
      g_string_truncate (c->current, 0);
    }
}

static void
collect_end_cb (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  Collector *c = user_data;

  if (c->collecting &&
      (c->tag_prefix != NULL ? g_str_equal (element, "w:p")
                             : g_str_equal (element, "p") || g_str_equal (element, "h2")))
    {
      g_ptr_array_add (c->texts, g_strdup (c->current->str));
      c->collecting = FALSE;
    }
  if (c->collecting && c->tag_prefix != NULL && g_str_equal (element, "w:br"))
    g_string_append_c (c->current, '\n');
  if (c->collecting && c->tag_prefix != NULL && g_str_equal (element, "w:tab"))
    g_string_append_c (c->current, '\t');
  if (c->depth > 0)
    c->depth--;
}

static void
collect_text_cb (GMarkupParseContext  *context,
                 const char           *text,
                 gsize                 len,
                 gpointer              user_data,
                 GError              **error)
{
  Collector *c = user_data;

  if (!c->collecting)
    return;
  if (c->tag_prefix != NULL && !g_str_equal (g_markup_parse_context_get_element (context), "w:t"))
    return;
  g_string_append_len (c->current, text, len);
}

/* Parses `text` as XML (failing the test if it is not well-formed) and
 * returns the text of body paragraphs found inside `container`. */
static GPtrArray *
collect_paragraphs (const char *text,
                    const char *container,
                    gboolean    docx)
{
  static const GMarkupParser parser = { collect_start_cb, collect_end_cb, collect_text_cb, NULL, NULL };
  Collector c = { g_ptr_array_new_with_free_func (g_free), container, 0, g_string_new (NULL),
                  FALSE, docx ? (char *) "w:" : NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &c, NULL);
  g_autoptr(GError) error = NULL;

  g_markup_parse_context_parse (context, text, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_string_free (c.current, TRUE);
  return c.texts;
}

static void
assert_paragraphs (GPtrArray *got,
                   guint     *index,
                   char     **want)
{
  for (guint i = 0; want[i] != NULL; i++)
    {
      g_assert_cmpuint (*index, <, got->len);
      g_assert_cmpstr (g_ptr_array_index (got, *index), ==, want[i]);
      (*index)++;
    }
}

static void
test_html (Fixture       *f,
           gconstpointer  user_data)
{
  g_autofree char *combined = g_build_filename (f->dir, "all.html", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) got = NULL;
  guint index = 0;

  export_articles (GALLEY_EXPORT_FORMAT_HTML, combined, TRUE, FALSE, NULL, f->articles);
  contents = read_file (combined);
  g_assert_nonnull (strstr (contents, "lang=\"zh-CN\""));
  g_assert_nonnull (strstr (contents, "<meta charset=\"utf-8\" />"));
  g_assert_nonnull (strstr (contents, "<style>"));
  g_assert_nonnull (strstr (contents, "<nav>"));
  g_assert_nonnull (strstr (contents, "href=\"#article-3\""));
  g_assert_nonnull (strstr (contents, "<h2>“一件事”创新举措</h2>"));
  g_assert_nonnull (strstr (contents, "<p class=\"caption\">高新政务服务大厅。</p>"));
  g_assert_nonnull (strstr (contents, "合集 &lt;测试&gt; &amp; “引号”"));
  g_assert_null (strstr (contents, "<b>"));
  /* The table of contents comes before the articles. */
  g_assert_true (strstr (contents, "<nav>") < strstr (contents, "<article"));

  got = collect_paragraphs (contents, "article", FALSE);
  for (guint i = 0; i < f->articles->len; i++)
    {
      g_auto(GStrv) want = body_paragraphs (article (f->articles, i));

      assert_paragraphs (got, &index, want);
    }
  g_assert_cmpuint (index, ==, got->len);

  /* One page per article. */
  {
    g_autofree char *folder = g_build_filename (f->dir, "split", NULL);

    g_mkdir (folder, 0700);
    export_articles (GALLEY_EXPORT_FORMAT_HTML, folder, FALSE, TRUE, "{id}", f->articles);
    for (guint i = 0; i < f->articles->len; i++)
      {
        const GalleyArticleData *a = article (f->articles, i);
        g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".html", a->id);
        g_autofree char *side_name = g_strdup_printf ("%" G_GINT64_FORMAT ".provenance.json", a->id);
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_autofree char *side = g_build_filename (folder, side_name, NULL);
        g_autofree char *text = read_file (path);
        g_autoptr(GPtrArray) paras = collect_paragraphs (text, "article", FALSE);
        g_auto(GStrv) want = body_paragraphs (a);
        guint j = 0;

        assert_paragraphs (paras, &j, want);
        g_assert_cmpuint (j, ==, paras->len);
        g_assert_true (g_file_test (side, G_FILE_TEST_IS_REGULAR));
        g_assert_null (strstr (text, "<nav>"));
      }
  }
}

static void
test_newsml (Fixture       *f,
             gconstpointer  user_data)
{
  g_autofree char *combined = g_build_filename (f->dir, "all.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) got = NULL;
  guint index = 0;

  export_articles (GALLEY_EXPORT_FORMAT_NEWSML, combined, TRUE, FALSE, NULL, f->articles);
  contents = read_file (combined);
  g_assert_true (g_str_has_prefix (contents, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<newsMessage"));
  g_assert_nonnull (strstr (contents, "<subject qcode=\"medtop:04000000\">"));
  g_assert_nonnull (strstr (contents, "<language tag=\"zh-CN\"/>"));
  g_assert_nonnull (strstr (contents, "<headline>他说：“A&lt;B &amp; C&gt;D” &#39;x&#39;</headline>"));
  g_assert_nonnull (strstr (contents, "<by>本报济宁讯（记者 刘菲 曹俐 通讯员 段亚洲）</by>"));
  g_assert_nonnull (strstr (contents, "<name>济宁</name>"));

  got = collect_paragraphs (contents, "div", FALSE);
  for (guint i = 0; i < f->articles->len; i++)
    {
      g_auto(GStrv) want = body_paragraphs (article (f->articles, i));

      assert_paragraphs (got, &index, want);
    }
  g_assert_cmpuint (index, ==, got->len);

  {
    g_autofree char *folder = g_build_filename (f->dir, "split", NULL);
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;

    g_mkdir (folder, 0700);
    export_articles (GALLEY_EXPORT_FORMAT_NEWSML, folder, FALSE, FALSE, "{id}", f->articles);
    path = g_build_filename (folder, "2.xml", NULL);
    text = read_file (path);
    g_assert_nonnull (strstr (text, "<newsItem"));
    g_assert_null (strstr (text, "<contentCreated>"));
    g_ptr_array_unref (collect_paragraphs (text, "div", FALSE));
  }
}

/* DOCX */

static char *
read_zip_entry (const char *path,
                const char *entry_name)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  GString *s = NULL;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, path, 16384), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      char buf[8192];
      la_ssize_t n;

      if (!g_str_equal (archive_entry_pathname (entry), entry_name))
        continue;
      s = g_string_new (NULL);
      while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
        g_string_append_len (s, buf, n);
      g_assert_cmpint (n, ==, 0);
      break;
    }
  archive_read_free (a);
  g_assert_nonnull (s);
  return g_string_free (s, FALSE);
}

static void
test_docx (Fixture       *f,
           gconstpointer  user_data)
{
  g_autofree char *combined = g_build_filename (f->dir, "all.docx", NULL);
  g_autofree char *document = NULL;
  g_autofree char *core = NULL;
  g_autofree char *styles = NULL;
  g_autoptr(GPtrArray) got = NULL;
  guint index = 0;
  const char *parts[] = { "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels" };

  export_articles (GALLEY_EXPORT_FORMAT_DOCX, combined, TRUE, FALSE, NULL, f->articles);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *part = read_zip_entry (combined, parts[i]);

      g_ptr_array_unref (collect_paragraphs (part, "-", FALSE));
    }
  styles = read_zip_entry (combined, "word/styles.xml");
  g_ptr_array_unref (collect_paragraphs (styles, "-", FALSE));
  g_assert_nonnull (strstr (styles, "w:styleId=\"Heading2\""));
  core = read_zip_entry (combined, "docProps/core.xml");
  g_assert_nonnull (strstr (core, "<dc:title>合集 &lt;测试&gt; &amp; “引号”</dc:title>"));
  document = read_zip_entry (combined, "word/document.xml");
  g_assert_nonnull (strstr (document, "<w:pageBreakBefore/>"));

  got = collect_paragraphs (document, "w:body", TRUE);
  for (guint i = 0; i < f->articles->len; i++)
    {
      const GalleyArticleData *a = article (f->articles, i);
      g_auto(GStrv) want = body_paragraphs (a);
      const char *byline = g_str_has_prefix (a->body, a->byline) ? "" : a->byline;
      const char *head[] = { a->kicker, a->title, a->subtitle, byline, a->date != NULL ? a->date : "" };

      for (guint j = 0; j < G_N_ELEMENTS (head); j++)
        if (*head[j] != '\0' || j == 1)
          {
            g_assert_cmpstr (g_ptr_array_index (got, index), ==, head[j]);
            index++;
          }
      assert_paragraphs (got, &index, want);
      assert_paragraphs (got, &index, a->captions);
    }
  g_assert_cmpuint (index, ==, got->len);
}

/* Safety: overwrite policy, unsupported layouts, failures leave nothing */

static void
test_overwrite (Fixture       *f,
                gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "all.jsonl", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GalleyExportOptions options = { .output = path, .combined = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyExportSink) sink = NULL;
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autofree char *names = NULL;

  g_file_set_contents (path, "keep me\n", -1, &error);
  g_assert_no_error (error);
  sink = galley_export_sink_new (GALLEY_EXPORT_FORMAT_JSONL, &options, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "all.jsonl"));
  g_assert_null (sink);
  g_clear_error (&error);
  before = read_file (path);
  g_assert_cmpstr (before, ==, "keep me\n");

  options.overwrite = TRUE;
  sink = galley_export_sink_new (GALLEY_EXPORT_FORMAT_JSONL, &options, &error);
  g_assert_no_error (error);
  g_assert_true (galley_export_sink_add (sink, article (f->articles, 0), NULL, &error));
  g_assert_true (galley_export_sink_finish (sink, NULL, &error));
  g_assert_no_error (error);
  after = read_file (path);
  g_assert_true (g_str_has_prefix (after, "{\"id\":1,"));

  /* Per article: the existing file stops the export at that article. */
  g_ptr_array_add (one, article (f->articles, 0));
  export_articles (GALLEY_EXPORT_FORMAT_TXT, f->dir, FALSE, FALSE, "{id}", one);
  g_clear_pointer (&sink, galley_export_sink_free);
  options = (GalleyExportOptions) { .output = f->dir, .name_pattern = "{id}" };
  sink = galley_export_sink_new (GALLEY_EXPORT_FORMAT_TXT, &options, &error);
  g_assert_no_error (error);
  g_assert_false (galley_export_sink_add (sink, article (f->articles, 0), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "1.txt"));
  g_clear_pointer (&sink, galley_export_sink_free);
  g_clear_error (&error);
  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "1.txt|all.jsonl");

  /* Layouts a format cannot write, and missing folders. */
  options = (GalleyExportOptions) { .output = f->dir };
  sink = galley_export_sink_new (GALLEY_EXPORT_FORMAT_CSV, &options, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  options = (GalleyExportOptions) { .output = "/nonexistent-galley-folder" };
  sink = galley_export_sink_new (GALLEY_EXPORT_FORMAT_TXT, &options, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_null (sink);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  user_data)
{
  for (GalleyExportFormat format = 1; format <= GALLEY_EXPORT_N_FORMATS; format++)
    for (int combined = 0; combined < 2; combined++)
      {
        g_autofree char *folder = g_strdup_printf ("%s/%s-%d", f->dir,
                                                   galley_export_format_to_id (format), combined);
        g_autofree char *output = g_build_filename (folder, "all.out", NULL);
        GalleyExportOptions options = {
          .output = combined ? output : folder, .combined = combined, .provenance = TRUE,
          .name_pattern = "{id}",
        };
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();
        g_autoptr(GError) error = NULL;
        g_autoptr(GalleyExportSink) sink = NULL;
        g_autofree char *names = NULL;
        g_autofree char *ext = NULL;

        if (combined ? !galley_export_format_can_combine (format) : !galley_export_format_can_split (format))
          continue;

        g_mkdir (folder, 0700);
        sink = galley_export_sink_new (format, &options, &error);
        g_assert_no_error (error);
        g_assert_true (galley_export_sink_add (sink, article (f->articles, 0), cancellable, &error));
        g_assert_no_error (error);
        g_cancellable_cancel (cancellable);
        g_assert_false (galley_export_sink_add (sink, article (f->articles, 1), cancellable, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        g_clear_error (&error);
        g_clear_pointer (&sink, galley_export_sink_free);

        /* Only complete files: nothing for a combined export, the first
         * article's file (and provenance) for a split one. */
        names = list_dir (folder);
        ext = g_strdup_printf ("1.%s", galley_export_format_get_extension (format));
        if (combined)
          g_assert_cmpstr (names, ==, "");
        else
          {
            g_autofree char *want = strcmp (ext, "1.provenance.json") < 0
              ? g_strconcat (ext, "|1.provenance.json", NULL)
              : g_strconcat ("1.provenance.json|", ext, NULL);

            g_assert_cmpstr (names, ==, want);
          }

        /* A sink freed without finish leaves nothing either. */
        if (combined)
          {
            sink = galley_export_sink_new (format, &options, &error);
            g_assert_no_error (error);
            g_assert_true (galley_export_sink_add (sink, article (f->articles, 0), NULL, &error));
            g_clear_pointer (&sink, galley_export_sink_free);
            g_free (names);
            names = list_dir (folder);
            g_assert_cmpstr (names, ==, "");
          }
      }
}

/* Output for the external checks (schema validation, python-docx,
 * LibreOffice) run by check-export.py. */
static void
test_external (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-export.py", NULL);
  g_autofree char *schema = g_test_build_filename (G_TEST_DIST, "data", "newsml-g2",
                                                   "NewsML-G2_2.35-spec-All-Power.xsd", NULL);
  const char *subdirs[] = { "newsml", "docx", "markdown" };
  g_autofree char *jsonl = g_build_filename (f->dir, "all.jsonl", NULL);
  g_autofree char *xml = g_build_filename (f->dir, "all.xml", NULL);
  g_autofree char *docx = g_build_filename (f->dir, "all.docx", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_file_test (script, G_FILE_TEST_EXISTS) || !g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("check-export.py or python3 not found");
      return;
    }

  export_articles (GALLEY_EXPORT_FORMAT_JSONL, jsonl, TRUE, TRUE, NULL, f->articles);
  export_articles (GALLEY_EXPORT_FORMAT_NEWSML, xml, TRUE, FALSE, NULL, f->articles);
  export_articles (GALLEY_EXPORT_FORMAT_DOCX, docx, TRUE, FALSE, NULL, f->articles);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *folder = g_build_filename (f->dir, subdirs[i], NULL);

      g_mkdir (folder, 0700);
      export_articles (galley_export_format_from_id (subdirs[i]), folder, FALSE, FALSE, "{id}", f->articles);
    }

  {
    const char *argv[] = { "/usr/bin/python3", script, f->dir, schema, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_test_message ("%s%s", out, err);
    g_spawn_check_wait_status (status, &error);
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/formats", test_formats);
  g_test_add_func ("/export/file-names", test_file_names);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export/jsonl", test_jsonl);
  ADD ("/export/csv", test_csv);
  ADD ("/export/txt", test_txt);
  ADD ("/export/markdown", test_markdown);
  ADD ("/export/html", test_html);
  ADD ("/export/newsml", test_newsml);
  ADD ("/export/docx", test_docx);
  ADD ("/export/overwrite", test_overwrite);
  ADD ("/export/cancel", test_cancel);
  ADD ("/export/external", test_external);
#undef ADD

  return g_test_run ();
}
