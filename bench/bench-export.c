/* bench-export.c: stream many generated articles through an export sink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-export [N_ARTICLES] [FORMAT] [OUTPUT_DIR]
 * Defaults: 100000 articles of about 1.5 KB of body text each, "jsonl",
 * a temporary folder removed afterwards. Prints the time, the size
 * written and the peak resident set size.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "galley-export.h"

static const char *const words[] = {
  "高新区", "项目", "建设", "服务", "企业", "发展", "改革", "创新", "审批", "政务",
  "数据", "知识产权", "营商环境", "工程", "推进", "群众", "办事", "效率", "平台", "产业",
};
static const char *const punct[] = { "，", "，", "、", "。" };

/* About `bytes` of Chinese text in paragraphs ending with "。". */
static void
fill_body (GString *s,
           GRand   *rand,
           gsize    bytes)
{
  g_string_truncate (s, 0);
  while (s->len < bytes)
    {
      guint n = g_rand_int_range (rand, 8, 40);

      if (s->len > 0)
        g_string_append_c (s, '\n');
      for (guint i = 0; i < n; i++)
        {
          g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          g_string_append (s, i + 1 == n ? "。" : punct[g_rand_int_range (rand, 0, G_N_ELEMENTS (punct))]);
        }
    }
}

static void
replace (char       **field,
         char        *value)
{
  g_free (*field);
  *field = value;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  GalleyExportFormat format = galley_export_format_from_id (argc > 2 ? argv[2] : "jsonl");
  g_autofree char *dir = argc > 3 ? g_strdup (argv[3]) : g_dir_make_tmp ("galley-bench-XXXXXX", NULL);
  g_autofree char *name = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GalleyArticleData) data = galley_article_data_new ();
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyExportSink) sink = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GTimer) timer = NULL;
  GalleyExportOptions options = { 0 };
  struct rusage usage;
  GStatBuf st = { 0 };
  guint64 body_bytes = 0;

  if (format == GALLEY_EXPORT_FORMAT_UNKNOWN || dir == NULL)
    {
      g_printerr ("usage: bench-export [N] [txt|markdown|html|jsonl|csv|newsml|docx] [DIR]\n");
      return 2;
    }

  name = g_strconcat ("bench.", galley_export_format_get_extension (format), NULL);
  output = g_build_filename (dir, name, NULL);
  options.output = output;
  options.combined = TRUE;
  options.overwrite = TRUE;

  replace (&data->source_file, g_strdup ("000_bench.txt"));
  replace (&data->kicker, g_strdup ("济宁高新区"));
  replace (&data->byline, g_strdup ("本报济宁讯（记者 刘菲 通讯员 段亚洲）"));
  replace (&data->place, g_strdup ("济宁"));
  g_strfreev (data->reporters);
  data->reporters = g_strsplit ("刘菲", ",", -1);
  g_strfreev (data->tags);
  data->tags = g_strsplit ("经济,政务", ",", -1);
  g_strfreev (data->tag_codes);
  data->tag_codes = g_strsplit ("medtop:04000000,medtop:11000000", ",", -1);
  replace (&data->status, g_strdup ("proofread"));

  timer = g_timer_new ();
  sink = galley_export_sink_new (format, &options, &error);
  if (sink == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < n; i++)
    {
      data->id = i + 1;
      data->position = i % 8;
      replace (&data->title, g_strdup_printf ("为全区项目提供优质高效服务（第%u篇）", i + 1));
      replace (&data->date, i % 10 == 0 ? NULL : g_strdup_printf ("2023-%02u-%02u", 1 + i % 12, 1 + i % 28));
      fill_body (body, rand, 1500);
      replace (&data->body, g_strdup (body->str));
      replace (&data->original, g_strdup (body->str));
      body_bytes += body->len;

      if (!galley_export_sink_add (sink, data, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  if (!galley_export_sink_finish (sink, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_timer_stop (timer);

  getrusage (RUSAGE_SELF, &usage);
  g_stat (output, &st);
  g_print ("%u articles (%.1f MB of body text) to %s: %.2f s, %.1f MB written, peak RSS %.1f MB\n",
           n, body_bytes / 1e6, galley_export_format_to_id (format), g_timer_elapsed (timer, NULL),
           st.st_size / 1e6, usage.ru_maxrss / 1024.0);

  if (argc <= 3)
    {
      g_remove (output);
      g_rmdir (dir);
    }
  return 0;
}
