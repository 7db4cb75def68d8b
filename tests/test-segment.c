/* test-segment.c: page segmentation against the gold pages, slice coverage,
 * metadata and the editor operations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "galley-cjk.h"
#include "galley-segment.h"

#define PAGE_000 "000_633e285ed10be693"
#define PAGE_001 "001_f737bf2f8b1f8a2a"
#define PAGE_002 "002_ef9c8de5fc9873ff"
#define PAGE_003 "003_c1254725e93ffd7e"
#define PAGE_004 "004_58c0054395c95171"

static const char *all_pages[] = { PAGE_000, PAGE_001, PAGE_002, PAGE_003, PAGE_004 };

static char *
load_page (const char *name, gsize *len)
{
  g_autofree char *file = g_strconcat (name, ".txt", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", file, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, len, &error);
  g_assert_no_error (error);
  return text;
}

static GalleyPage *
segment_named (const char *name, char **text, gsize *len)
{
  g_autofree char *file = g_strconcat (name, ".txt", NULL);

  *text = load_page (name, len);
  return galley_segment_page (*text, *len, file, 0);
}

/* The invariants every result must keep: slices in page order, no overlap,
 * covering the page; lines covering each slice; body = its body lines. */
static void
check_invariants (const char *text, gsize len, const GalleyPage *page)
{
  gsize pos = 0;

  g_assert_nonnull (page);
  g_assert_nonnull (page->segments);
  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *s = page->segments->pdata[i];
      g_autoptr(GString) body = g_string_new (NULL);
      gsize line_pos = s->start;

      g_assert_cmpuint (s->start, ==, pos);
      g_assert_cmpuint (s->end, >, s->start);
      g_assert_nonnull (s->kicker);
      g_assert_nonnull (s->title);
      g_assert_nonnull (s->subtitle);
      g_assert_nonnull (s->byline);
      g_assert_nonnull (s->place);
      g_assert_nonnull (s->reporters);
      g_assert_nonnull (s->correspondents);
      g_assert_nonnull (s->date_text);
      g_assert_nonnull (s->captions);
      g_assert_nonnull (s->intertitles);
      g_assert_nonnull (s->body);
      g_assert_true (g_utf8_validate (s->body, -1, NULL));
      g_assert_true (g_utf8_validate (s->title, -1, NULL));
      for (guint j = 0; j < s->lines->len; j++)
        {
          const GalleyLine *l = &g_array_index (s->lines, GalleyLine, j);

          g_assert_cmpuint (l->start, ==, line_pos);
          g_assert_cmpuint (l->end, >, l->start);
          if (l->role == GALLEY_LINE_BODY)
            g_string_append_len (body, text + l->start, l->end - l->start);
          line_pos = l->end;
        }
      g_assert_cmpuint (line_pos, ==, s->end);
      g_assert_cmpstr (body->str, ==, s->body);
      pos = s->end;
    }
  g_assert_cmpuint (pos, ==, len);
}

/* ---------------------------------------------------------------------- */
/* Scoring against gold, as unseen pages are scored */

/* Han character pairs of a text, line breaks and spaces ignored. */
static GHashTable *
bigrams (const char *text)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *prev = NULL;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == ' ' || c == 0x3000)
        continue;
      if (!galley_cjk_is_han (c))
        {
          prev = NULL;
          continue;
        }
      if (prev)
        g_hash_table_add (set, g_strndup (prev, g_utf8_next_char (p) - prev));
      prev = p;
    }
  return set;
}

/* A pair split by a line break spans "\n": rebuild without breaks first. */
static GHashTable *
bigrams_joined (const char *text)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != '\n' && *p != ' ')
      g_string_append_c (joined, *p);
  return bigrams (joined->str);
}

static guint
shared (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (b, key))
      n++;
  return n;
}

typedef struct {
  guint n_gold;
  guint n_one;    /* found as exactly one segment */
  guint n_title;  /* title equal to the gold title */
  gboolean position_ok;
} Score;

/* Drop every blank line: the split must not depend on them. */
static void
squeeze_blank_lines (char *text, gsize *len)
{
  gsize out = 0;

  for (gsize i = 0; i < *len; i++)
    {
      if (text[i] == '\n' && (out == 0 || text[out - 1] == '\n'))
        continue;
      text[out++] = text[i];
    }
  text[out] = '\0';
  *len = out;
}

static Score
score_page (const char *name,
            gboolean    squeeze)
{
  g_autofree char *text = NULL;
  g_autofree char *gold_file = g_strconcat (name, ".json", NULL);
  g_autofree char *gold_path = g_test_build_filename (G_TEST_DIST, "data", "gold", gold_file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyPage) page = NULL;
  g_autoptr(GPtrArray) seg_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GArray) owner = NULL;
  JsonObject *root;
  JsonArray *articles;
  const char *position;
  Score score = { 0, };
  gsize len;

  text = load_page (name, &len);
  if (squeeze)
    squeeze_blank_lines (text, &len);
  page = galley_segment_page (text, len, NULL, 0);
  check_invariants (text, len, page);

  json_parser_load_from_file (parser, gold_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  articles = json_object_get_array_member (root, "articles");
  position = json_object_get_string_member (root, "headline_position");
  score.position_ok = (g_strcmp0 (position, "after") == 0) ==
                      (page->headline_position == GALLEY_HEADLINES_AFTER);

  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *s = page->segments->pdata[i];

      g_ptr_array_add (seg_sets, bigrams_joined (s->body));
    }

  /* how many gold articles each segment is paired with */
  owner = g_array_sized_new (FALSE, TRUE, sizeof (guint), page->segments->len);
  g_array_set_size (owner, page->segments->len);

  score.n_gold = json_array_get_length (articles);
  {
    g_autofree guint *best_of = g_new0 (guint, score.n_gold);
    g_autofree gboolean *whole = g_new0 (gboolean, score.n_gold);

    for (guint g = 0; g < score.n_gold; g++)
      {
        JsonObject *article = json_array_get_object_element (articles, g);
        JsonArray *paragraphs = json_object_get_array_member (article, "body");
        g_autoptr(GString) body = g_string_new (NULL);
        g_autoptr(GHashTable) gold_set = NULL;
        guint best = 0, best_shared = 0, gold_size;

        for (guint p = 0; p < json_array_get_length (paragraphs); p++)
          g_string_append (body, json_array_get_string_element (paragraphs, p));
        gold_set = bigrams (body->str);
        gold_size = g_hash_table_size (gold_set);
        for (guint i = 0; i < seg_sets->len; i++)
          {
            guint n = shared (gold_set, seg_sets->pdata[i]);

            if (n > best_shared)
              {
                best_shared = n;
                best = i;
              }
          }
        best_of[g] = best;
        g_array_index (owner, guint, best)++;
        /* the segment holds nearly all of the gold article, and little else */
        whole[g] = best_shared * 10 >= gold_size * 9 &&
                   best_shared * 10 >= g_hash_table_size (seg_sets->pdata[best]) * 8;

        if (g_strcmp0 (((GalleySegment *) page->segments->pdata[best])->title,
                       json_object_get_string_member (article, "title")) == 0)
          score.n_title++;
        else
          g_test_message ("%s: title \"%s\", gold \"%s\"", name,
                          ((GalleySegment *) page->segments->pdata[best])->title,
                          json_object_get_string_member (article, "title"));
      }
    for (guint g = 0; g < score.n_gold; g++)
      if (whole[g] && g_array_index (owner, guint, best_of[g]) == 1)
        score.n_one++;
      else
        g_test_message ("%s: gold article %u not found as one segment", name, g);
  }

  g_test_message ("%s: %u/%u articles as one segment, %u/%u titles", name,
                  score.n_one, score.n_gold, score.n_title, score.n_gold);
  return score;
}

static void
test_gold (gconstpointer data)
{
  Score score = score_page (data, FALSE);

  g_assert_cmpuint (score.n_gold, >, 0);
  g_assert_true (score.position_ok);
  g_assert_cmpuint (score.n_one * 100, >=, score.n_gold * 95);
  g_assert_cmpuint (score.n_title * 100, >=, score.n_gold * 90);
}

static void
test_gold_no_blank_lines (gconstpointer data)
{
  Score score = score_page (data, TRUE);

  g_assert_true (score.position_ok);
  g_assert_cmpuint (score.n_one * 100, >=, score.n_gold * 90);
  g_assert_cmpuint (score.n_title * 100, >=, score.n_gold * 90);
}

/* Gold metadata beyond the split: kicker, subtitle, byline, intertitles. */
static void
test_gold_metadata (gconstpointer data)
{
  const char *name = data;
  g_autofree char *text = NULL;
  g_autofree char *gold_file = g_strconcat (name, ".json", NULL);
  g_autofree char *gold_path = g_test_build_filename (G_TEST_DIST, "data", "gold", gold_file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyPage) page = NULL;
  JsonArray *articles;
  gsize len;
  guint n_ok = 0, n_fields = 0;

  page = segment_named (name, &text, &len);
  json_parser_load_from_file (parser, gold_path, &error);
  g_assert_no_error (error);
  articles = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "articles");
  /* both gold pages split one to one, in order */
  g_assert_cmpuint (page->segments->len, ==, json_array_get_length (articles));

  for (guint g = 0; g < json_array_get_length (articles); g++)
    {
      JsonObject *a = json_array_get_object_element (articles, g);
      const GalleySegment *s = page->segments->pdata[g];
      JsonArray *inter = json_object_get_array_member (a, "intertitles");
      static const char *fields[] = { "kicker", "subtitle", "byline" };
      const char *values[] = { s->kicker, s->subtitle, s->byline };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          n_fields++;
          if (g_strcmp0 (values[f], json_object_get_string_member (a, fields[f])) == 0)
            n_ok++;
          else
            g_test_message ("%s #%u %s: \"%s\", gold \"%s\"", name, g, fields[f], values[f],
                            json_object_get_string_member (a, fields[f]));
        }
      n_fields++;
      if (g_strv_length (s->intertitles) == json_array_get_length (inter))
        n_ok++;
      for (guint k = 0; k < json_array_get_length (inter) && k < g_strv_length (s->intertitles); k++)
        g_assert_cmpstr (s->intertitles[k], ==, json_array_get_string_element (inter, k));
      g_assert_cmpuint (g_strv_length (s->captions), ==,
                        json_array_get_length (json_object_get_array_member (a, "captions")));
      g_assert_true (g_str_has_prefix (s->body + strspn (s->body, " \n"), "本报"));
    }
  g_test_message ("%s: %u/%u metadata fields as gold", name, n_ok, n_fields);
  g_assert_cmpuint (n_ok * 100, >=, n_fields * 95);
}

/* 001 and 004 are single feature articles with numbered or ◆ intertitles. */
static void
test_feature_pages (void)
{
  g_autofree char *text1 = NULL, *text4 = NULL;
  g_autoptr(GalleyPage) p1 = NULL, p4 = NULL;
  const GalleySegment *s;
  gsize len1, len4;

  p1 = segment_named (PAGE_001, &text1, &len1);
  check_invariants (text1, len1, p1);
  g_assert_cmpuint (p1->segments->len, ==, 1);
  g_assert_cmpint (p1->headline_position, ==, GALLEY_HEADLINES_BEFORE);
  s = p1->segments->pdata[0];
  g_assert_cmpstr (s->title, ==, "创机制 转角色 优服务");
  g_assert_cmpstr (s->subtitle, ==, "济宁高新区营商环境“焕新升级”");
  g_assert_cmpstr (s->byline, ==, "通讯员 绪言 吴丛");
  g_assert_cmpuint (g_strv_length (s->reporters), ==, 0);
  g_assert_cmpuint (g_strv_length (s->correspondents), ==, 2);
  g_assert_cmpstr (s->correspondents[0], ==, "绪言");
  g_assert_cmpstr (s->correspondents[1], ==, "吴丛");
  g_assert_cmpuint (g_strv_length (s->captions), ==, 4);
  g_assert_cmpstr (s->captions[3], ==, "高新政务服务大厅。");
  g_assert_true (g_strv_contains ((const char * const *) s->intertitles, "1 创新机制 营造利企发展“小气候”"));
  g_assert_true (g_strv_contains ((const char * const *) s->intertitles, "3 深化改革 政务服务高效便捷"));
  g_assert_null (strstr (s->body, "高新政务服务大厅"));
  g_assert_null (strstr (s->body, "创机制 转角色"));

  p4 = segment_named (PAGE_004, &text4, &len4);
  check_invariants (text4, len4, p4);
  g_assert_cmpuint (p4->segments->len, ==, 1);
  s = p4->segments->pdata[0];
  g_assert_cmpstr (s->title, ==, "回望2023 济宁高新区高质量发展步履坚实");
  g_assert_cmpstr (s->byline, ==, "■本报记者 刘菲 曹俐");
  g_assert_cmpuint (g_strv_length (s->reporters), ==, 2);
  g_assert_cmpstr (s->reporters[1], ==, "曹俐");
  g_assert_cmpstr (s->date_text, ==, "");
  g_assert_null (s->date);
  g_assert_cmpuint (g_strv_length (s->intertitles), >=, 20);
  g_assert_true (g_strv_contains ((const char * const *) s->intertitles, "“项目建设”真抓实干"));
  g_assert_true (g_str_has_prefix (s->intertitles[1], "◆"));
}

/* 003 has trailing headlines, some wrapped over two lines. */
static void
test_page_003 (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GalleyPage) page = NULL;
  gsize len;
  static const char *titles[] = {
    "泗水县党政考察团来高新区考察参观",
    "加强政金企合作提供优质金融服务",
    "统筹做好春管春耕各项工作",
    "推动各项工作争先进位和高质量发展",
    "济宁高新区排名连续五年进位",
    "推动创建工作全面提档升级",
    "确保各项帮扶政策应享尽享",
  };
  static const char *dates[] = {
    "2023-02-20", "2023-02-21", "2023-02-20", "2023-02-21", NULL, "2023-02-22", "2023-02-22",
  };

  page = segment_named (PAGE_003, &text, &len);
  check_invariants (text, len, page);
  g_assert_cmpint (page->headline_position, ==, GALLEY_HEADLINES_AFTER);
  g_assert_cmpint (page->year, ==, 2023);
  g_assert_cmpuint (page->segments->len, ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *s = page->segments->pdata[i];

      g_assert_cmpstr (s->title, ==, titles[i]);
      g_assert_cmpstr (s->date, ==, dates[i]);
      g_assert_true (g_str_has_prefix (s->body + strspn (s->body, " \n"), "本报济宁讯"));
      /* no line of the headline is left in the body */
      {
        g_auto(GStrv) lines = g_strsplit (s->body, "\n", -1);

        for (guint k = 0; lines[k]; k++)
          {
            g_strstrip (lines[k]);
            g_assert_false (strlen (lines[k]) >= 6 && strstr (titles[i], lines[k]) != NULL);
          }
      }
    }
  /* "2月\n21日上午" read across the line break */
  g_assert_cmpstr (((GalleySegment *) page->segments->pdata[1])->date_text, ==, "2月21日");
  g_assert_cmpstr (((GalleySegment *) page->segments->pdata[3])->subtitle, ==, "济宁高新区党工委会议召开");
  g_assert_cmpstr (((GalleySegment *) page->segments->pdata[4])->kicker, ==, "2022年度国家高新区综合评价结果出炉");
}

/* ---------------------------------------------------------------------- */
/* Metadata */

static void
test_dateline (void)
{
  const char *page =
    "本报济宁讯（记者 曹俐 通讯\n员 段亚洲 马迪）2月\n21日上午，某会议召开。\n";
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, NULL, 2024);
  const GalleySegment *s;

  check_invariants (page, strlen (page), p);
  g_assert_cmpuint (p->segments->len, ==, 1);
  s = p->segments->pdata[0];
  g_assert_cmpstr (s->byline, ==, "本报济宁讯（记者 曹俐 通讯员 段亚洲 马迪）");
  g_assert_cmpstr (s->place, ==, "济宁");
  g_assert_cmpuint (g_strv_length (s->reporters), ==, 1);
  g_assert_cmpstr (s->reporters[0], ==, "曹俐");
  g_assert_cmpuint (g_strv_length (s->correspondents), ==, 2);
  g_assert_cmpstr (s->correspondents[1], ==, "马迪");
  g_assert_cmpstr (s->date_text, ==, "2月21日");
  g_assert_cmpstr (s->date, ==, "2024-02-21");
  g_assert_cmpint (p->year, ==, 2024);
}

static void
test_dateline_variants (void)
{
  struct {
    const char *page;
    const char *byline;
    const char *place;
    const char *date_text;
  } cases[] = {
    { "本报讯 近日，某地开展活动。\n", "本报讯", "", "" },
    { "本报讯(记者 王五)3月5日,某地开展活动。\n", "本报讯（记者 王五）", "", "3月5日" },
    { "■本报北京讯（记者 李四）１２月３日，某事。\n", "本报北京讯（记者 李四）", "北京", "12月3日" },
    { "新华社北京4月10日电（记者 张三）某事。\n", "新华社北京4月10日电（记者 张三）", "北京", "" },
    { "本报济宁讯（记者 刘菲）为落实会议精神，8月20日下午，召开会议。\n", "本报济宁讯（记者 刘菲）", "济宁", "8月20日" },
    { "本报济宁讯（记者 刘菲）近日召开会议。9月1日另有活动。\n", "本报济宁讯（记者 刘菲）", "济宁", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GalleyPage) p = galley_segment_page (cases[i].page, -1, NULL, 0);
      const GalleySegment *s;

      check_invariants (cases[i].page, strlen (cases[i].page), p);
      g_assert_cmpuint (p->segments->len, ==, 1);
      s = p->segments->pdata[0];
      g_assert_cmpstr (s->byline, ==, cases[i].byline);
      g_assert_cmpstr (s->place, ==, cases[i].place);
      g_assert_cmpstr (s->date_text, ==, cases[i].date_text);
      g_assert_null (s->date);
    }
}

static void
test_year (void)
{
  const char *page = "本报济宁讯（记者 刘菲）4月10日，会议召开。\n";
  const char *page_with_year =
    "本报济宁讯（记者 刘菲）4月10日，会议召开。2022年成绩突出，2023年以来持续推进，"
    "到2035年建成，2023—2027年规划编制中。\n";
  struct {
    const char *page;
    const char *file;
    int year;
    const char *date;
  } cases[] = {
    { page, NULL, 0, NULL },
    { page, "000_633e285ed10be693.txt", 0, NULL },
    { page, "a2023b.txt", 0, NULL },
    { page, "page-2021-04-10.txt", 0, "2021-04-10" },
    { page, "dir/20190410_p3.txt", 0, "2019-04-10" },
    { page, NULL, 2020, "2020-04-10" },
    { page, "page-2021.txt", 2020, "2021-04-10" },
    { page_with_year, "page-2021.txt", 2020, "2023-04-10" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GalleyPage) p = galley_segment_page (cases[i].page, -1, cases[i].file, cases[i].year);
      const GalleySegment *s = p->segments->pdata[0];

      g_assert_cmpstr (s->date_text, ==, "4月10日");
      g_assert_cmpstr (s->date, ==, cases[i].date);
    }
}

static void
test_headline_text (void)
{
  const char *page =
    "\n"
    "清控智运济宁产业创新基地\n"
    "\n"
    "加速推进加速推进 首批厂房圆满封顶首批厂房圆满封顶\n"
    "本报济宁讯（记者 曹俐）近日，项目开工。\n"
    "\n"
    "积极推动项目建设提质提速提效\n"
    "济宁高新区\"才聚蓼河 企望有你\"活动举办\n"
    "\n"
    "本报济宁讯(记者 胡碧源)近日，活动举办。\n"
    "\n"
    "党工委组织部(人力资源部)\n"
    "\n"
    "开展大走访  推动任务走深走实\n"
    "\n"
    "本报讯（记者 张三）近日，某事。\n";
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, NULL, 0);
  const GalleySegment *s;

  check_invariants (page, strlen (page), p);
  g_assert_cmpint (p->headline_position, ==, GALLEY_HEADLINES_BEFORE);
  g_assert_cmpuint (p->segments->len, ==, 3);
  s = p->segments->pdata[0];
  g_assert_cmpstr (s->kicker, ==, "清控智运济宁产业创新基地");
  g_assert_cmpstr (s->title, ==, "加速推进 首批厂房圆满封顶");
  s = p->segments->pdata[1];
  /* real reduplication stays */
  g_assert_cmpstr (s->title, ==, "积极推动项目建设提质提速提效");
  g_assert_cmpstr (s->subtitle, ==, "济宁高新区“才聚蓼河 企望有你”活动举办");
  g_assert_cmpstr (s->byline, ==, "本报济宁讯（记者 胡碧源）");
  s = p->segments->pdata[2];
  g_assert_cmpstr (s->kicker, ==, "党工委组织部（人力资源部）");
  g_assert_cmpstr (s->title, ==, "开展大走访 推动任务走深走实");
}

static void
test_headlines_after (void)
{
  const char *page =
    "本报讯（记者 甲乙）近日，第一件事发生。\n"
    "更多的内容在这里。\n"
    "\n"
    "第一件事\n"
    "\n"
    "本报讯（记者 丙丁）近日，第二件事发生。\n"
    "\n"
    "统筹做好\n"
    "春管春耕各项工作\n"
    "\n";
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, NULL, 0);
  const GalleySegment *s;

  check_invariants (page, strlen (page), p);
  g_assert_cmpint (p->headline_position, ==, GALLEY_HEADLINES_AFTER);
  g_assert_cmpuint (p->segments->len, ==, 2);
  s = p->segments->pdata[0];
  g_assert_cmpstr (s->title, ==, "第一件事");
  g_assert_cmpstr (s->body, ==, "本报讯（记者 甲乙）近日，第一件事发生。\n更多的内容在这里。\n");
  s = p->segments->pdata[1];
  g_assert_cmpstr (s->title, ==, "统筹做好春管春耕各项工作");
  g_assert_cmpstr (s->body, ==, "本报讯（记者 丙丁）近日，第二件事发生。\n");
}


/* Notes are no headline lines, a dash line is a subtitle, and where every
 * paragraph is two blank lines apart short paragraphs are no captions. */
static void
test_notes_and_spacing (void)
{
  const char *page =
    "\n"
    "第一篇的标题\n"
    "\n"
    "本报讯（记者 张三）近日，第一件事发生，有关部门组织人员前往现场开展工作，确保各项工作顺利推进。\n"
    "\n"
    "\n"
    "会议还研究了其他事项。\n"
    "\n"
    "\n"
    "（完）\n"
    "\n"
    "\n"
    "扎根基层二十年\n"
    "——记优秀共产党员李四\n"
    "\n"
    "\n"
    "本报讯（通讯员 王五）二十年来，李四始终扎根基层，为群众办实事，赢得了广泛赞誉和群众的好评。\n"
    "\n"
    "\n"
    "群众纷纷点赞。\n";
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, NULL, 0);
  const GalleySegment *s;

  check_invariants (page, strlen (page), p);
  g_assert_cmpint (p->headline_position, ==, GALLEY_HEADLINES_BEFORE);
  g_assert_cmpuint (p->segments->len, ==, 2);
  s = p->segments->pdata[0];
  g_assert_cmpstr (s->title, ==, "第一篇的标题");
  g_assert_nonnull (strstr (s->body, "会议还研究了其他事项。"));
  g_assert_nonnull (strstr (s->body, "（完）"));
  g_assert_cmpuint (g_strv_length (s->captions), ==, 0);
  s = p->segments->pdata[1];
  g_assert_cmpstr (s->title, ==, "扎根基层二十年");
  g_assert_cmpstr (s->subtitle, ==, "——记优秀共产党员李四");
  g_assert_cmpstr (s->correspondents[0], ==, "王五");
  g_assert_nonnull (strstr (s->body, "群众纷纷点赞。"));
  g_assert_cmpuint (g_strv_length (s->captions), ==, 0);
}

static void
test_captions (void)
{
  const char *page =
    "标题在这里\n"
    "\n"
    "本报讯（记者 张三）近日，某事发生，有关部门组织人员前往现场开展工作，确保各项工作顺利推进。\n"
    "\n"
    "会议要求，各单位高度重视，认真落实各项措施，切实做好相关工作，取得实效，推动发展。\n"
    "\n"
    "图为活动现场。\n"
    "\n"
    "会议指出，要坚持问题导向，明确工作目标，迅速进入状态，确保取得优异成绩和实际效果。\n"
    "\n"
    "\n"
    "\n"
    "主动服务，为企业发展解难题。\n"
    "\n"
    "\n"
    "\n"
    "李四（左）在车间查看生产情况（记者 张三 摄）\n";
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, NULL, 0);
  const GalleySegment *s;

  check_invariants (page, strlen (page), p);
  g_assert_cmpuint (p->segments->len, ==, 1);
  s = p->segments->pdata[0];
  g_assert_cmpuint (g_strv_length (s->captions), ==, 3);
  g_assert_cmpstr (s->captions[0], ==, "图为活动现场。");
  g_assert_cmpstr (s->captions[1], ==, "主动服务，为企业发展解难题。");
  g_assert_null (strstr (s->body, "图为"));
  g_assert_null (strstr (s->body, "摄）"));
}

/* ---------------------------------------------------------------------- */
/* Coverage on odd and random input */

static void
check_text (const char *text)
{
  g_autoptr(GalleyPage) p = galley_segment_page (text, -1, NULL, 0);

  check_invariants (text, strlen (text), p);
}

static void
test_edge_cases (void)
{
  static const char *texts[] = {
    "", "\n", "\n\n\n", " ", "a", "本报讯", "本报讯（", "本报讯（记者", "本报讯（记者 张三",
    "本报讯（）", "本报济宁讯(记者 刘菲", "（记者 张三）", "标题\n", "标题\n\n本报讯",
    "本报讯\n本报讯\n本报讯\n", "通讯员 甲 乙\n", "■\n◆\n", "2023年\n", "1 \n",
    "一、\n（一）\n", "标题\n本报讯 正文。\n标题二\n", "no newline at end",
    "本报济宁讯（记者 曹俐）2月", "本报济宁讯（记者 曹俐）2月\n", "本报济宁讯（记者 曹俐）12月3",
  };
  g_autoptr(GalleyPage) empty = galley_segment_page ("", 0, NULL, 0);

  g_assert_cmpuint (empty->segments->len, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    check_text (texts[i]);
}

/* Pages made of real lines in random order, cut at random places, with
 * random bytes of text in between. */
static void
test_fuzz (void)
{
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  static const char *bits[] = {
    "本报", "讯", "（", "）", "(", ")", "记者 ", "通讯员", "\n", "\n\n", " ", "。", "，",
    "■", "◆", "1", "2023年", "月", "日", "摄）", "图为", "\"", "加速加速", "a", "\xe3\x80\x80",
  };
  guint n_runs = g_test_perf () || g_test_thorough () ? 5000 : 500;

  for (guint i = 0; i < G_N_ELEMENTS (all_pages); i++)
    {
      gsize len;
      g_autofree char *text = load_page (all_pages[i], &len);
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint j = 0; lines[j]; j++)
        g_ptr_array_add (pool, g_strdup (lines[j]));
    }

  for (guint run = 0; run < n_runs; run++)
    {
      g_autoptr(GString) page = g_string_new (NULL);
      guint n = g_test_rand_int_range (0, 60);

      for (guint k = 0; k < n; k++)
        {
          if (g_test_rand_bit ())
            {
              const char *line = pool->pdata[g_test_rand_int_range (0, pool->len)];
              glong chars = g_utf8_strlen (line, -1);
              glong cut = g_test_rand_bit () ? chars : g_test_rand_int_range (0, chars + 1);

              g_string_append_len (page, line, g_utf8_offset_to_pointer (line, cut) - line);
              if (g_test_rand_int_range (0, 4) > 0)
                g_string_append_c (page, '\n');
            }
          else
            g_string_append (page, bits[g_test_rand_int_range (0, G_N_ELEMENTS (bits))]);
        }
      check_text (page->str);
    }
}

/* ---------------------------------------------------------------------- */
/* Editor operations */

static gsize
body_offset_of (const GalleySegment *s, const char *needle)
{
  const char *hit = strstr (s->body, needle);

  g_assert_nonnull (hit);
  return hit - s->body;
}

static void
test_split_merge (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GalleyPage) page = NULL;
  g_autoptr(GalleySegment) first = NULL;
  g_autoptr(GalleySegment) second = NULL;
  g_autoptr(GalleySegment) merged = NULL;
  g_autoptr(GalleySegment) bad_first = NULL;
  g_autoptr(GalleySegment) bad_second = NULL;
  const GalleySegment *s, *next;
  g_autofree char *body_before = NULL;
  gsize len, at;

  page = segment_named (PAGE_000, &text, &len);
  s = page->segments->pdata[0];
  body_before = g_strdup (s->body);

  /* split at the second paragraph */
  at = body_offset_of (s, "据济宁高新区");
  g_assert_true (galley_segment_split (text, len, s, at, page->year, &first, &second));
  g_assert_cmpstr (s->body, ==, body_before); /* the input is left alone */
  g_assert_cmpuint (first->start, ==, s->start);
  g_assert_cmpuint (first->end, ==, second->start);
  g_assert_cmpuint (second->end, ==, s->end);
  g_assert_cmpstr (first->byline, ==, "本报济宁讯（记者 刘菲）");
  g_assert_cmpstr (second->byline, ==, "");
  g_assert_true (g_str_has_prefix (second->body, "据济宁高新区"));
  /* the trailing headline stays with the half that holds it */
  g_assert_cmpstr (first->title, ==, "");
  g_assert_cmpstr (second->title, ==, "为全区项目提供优质高效服务");
  g_assert_cmpuint (g_strv_length (second->intertitles), ==, 3);

  merged = galley_segment_merge (text, len, first, second, page->year);
  g_assert_cmpuint (merged->start, ==, s->start);
  g_assert_cmpuint (merged->end, ==, s->end);
  g_assert_cmpstr (merged->body, ==, s->body);
  g_assert_cmpstr (merged->title, ==, s->title);
  g_assert_cmpstr (merged->kicker, ==, s->kicker);
  g_assert_cmpstr (merged->byline, ==, s->byline);
  g_clear_pointer (&merged, galley_segment_free);
  g_clear_pointer (&first, galley_segment_free);
  g_clear_pointer (&second, galley_segment_free);

  /* split inside a line (and inside a character: snapped back), merge back */
  at = body_offset_of (s, "营商环境再提升") + 1;
  g_assert_true (galley_segment_split (text, len, s, at, page->year, &first, &second));
  g_assert_true (g_str_has_prefix (second->body, "营商环境再提升"));
  merged = galley_segment_merge (text, len, first, second, page->year);
  g_assert_cmpstr (merged->body, ==, s->body);
  g_assert_cmpuint (merged->lines->len, ==, s->lines->len);
  g_clear_pointer (&merged, galley_segment_free);

  /* nothing to split at the very start or past the end */
  g_assert_false (galley_segment_split (text, len, s, 0, page->year, &bad_first, &bad_second));
  g_assert_false (galley_segment_split (text, len, s, strlen (s->body) + 5, page->year, &bad_first, &bad_second));
  g_assert_null (bad_first);

  /* merge two articles */
  next = page->segments->pdata[1];
  merged = galley_segment_merge (text, len, s, next, page->year);
  g_assert_cmpuint (merged->start, ==, s->start);
  g_assert_cmpuint (merged->end, ==, next->end);
  g_assert_cmpstr (merged->byline, ==, s->byline);
  g_assert_nonnull (strstr (merged->body, "清控智运济宁产业创新基地首"));
  /* both headline blocks are kept: kickers and titles joined */
  g_assert_cmpstr (merged->kicker, ==, "济宁高新区清控智运济宁产业创新基地");
}

static void
test_line_roles (void)
{
  const char *page =
    "本报讯（记者 张三）近日，某事发生，有关部门组织人员前往现场开展工作，确保各项工作顺利推进。\n"
    "\n"
    "小标题一行\n"
    "更多正文在这里，会议要求各单位高度重视，认真落实各项措施，切实做好相关工作，取得实效。\n";
  g_autoptr(GalleyPage) p = galley_segment_page (page, -1, NULL, 0);
  g_autoptr(GalleySegment) titled = NULL;
  g_autoptr(GalleySegment) kicked = NULL;
  g_autoptr(GalleySegment) back = NULL;
  g_autoptr(GalleySegment) captioned = NULL;
  const GalleySegment *s;
  gsize line_at = strstr (page, "小标题一行") - page;

  g_assert_cmpuint (p->segments->len, ==, 1);
  s = p->segments->pdata[0];
  g_assert_cmpstr (s->title, ==, "");
  g_assert_cmpuint (g_strv_length (s->intertitles), ==, 1);

  titled = galley_segment_set_line_role (page, -1, s, line_at + 3, GALLEY_LINE_TITLE, p->year);
  g_assert_cmpstr (titled->title, ==, "小标题一行");
  g_assert_null (strstr (titled->body, "小标题一行"));
  g_assert_cmpuint (g_strv_length (titled->intertitles), ==, 0);
  g_assert_cmpuint (titled->start, ==, s->start);
  g_assert_cmpuint (titled->end, ==, s->end);

  kicked = galley_segment_set_line_role (page, -1, titled, line_at, GALLEY_LINE_KICKER, p->year);
  g_assert_cmpstr (kicked->kicker, ==, "小标题一行");
  g_assert_cmpstr (kicked->title, ==, "");

  back = galley_segment_set_line_role (page, -1, kicked, line_at, GALLEY_LINE_BODY, p->year);
  g_assert_cmpstr (back->kicker, ==, "");
  g_assert_cmpstr (back->body, ==, s->body);
  g_assert_cmpuint (g_strv_length (back->intertitles), ==, 1);

  captioned = galley_segment_set_line_role (page, -1, s, line_at, GALLEY_LINE_CAPTION, p->year);
  g_assert_cmpstr (captioned->captions[0], ==, "小标题一行");

  g_assert_null (galley_segment_set_line_role (page, -1, s, strlen (page) + 1, GALLEY_LINE_TITLE, p->year));
}

/* ---------------------------------------------------------------------- */

static void
test_all_pages_invariants (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_pages); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GalleyPage) page = NULL;
      gsize len;

      page = segment_named (all_pages[i], &text, &len);
      check_invariants (text, len, page);
      /* and the same page without its file name nor a trailing newline */
      g_clear_pointer (&page, galley_page_free);
      len = g_utf8_find_prev_char (text, text + len) - text;
      text[len] = '\0';
      page = galley_segment_page (text, len, NULL, 0);
      check_invariants (text, len, page);
    }
}

/* An edited byline is read as the segmentation reads one. */
static void
test_byline_parse (void)
{
  const struct {
    const char *byline, *place, *reporters, *correspondents;
  } cases[] = {
    { "本报济宁讯（记者 刘菲 曹俐 通讯员 段亚洲）", "济宁", "刘菲|曹俐", "段亚洲" },
    { "新华社北京4月10日电（记者 王明）", "北京", "王明", "" },
    { "■本报记者 刘菲 曹俐", "", "刘菲|曹俐", "" },
    { "通讯员 绪言 吴丛", "", "", "绪言|吴丛" },
    { "本报讯", "", "", "" },
    { "", "", "", "" },
    { "not a byline", "", "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *place = NULL;
      g_auto(GStrv) reporters = NULL;
      g_auto(GStrv) correspondents = NULL;
      g_autofree char *r = NULL;
      g_autofree char *c = NULL;

      galley_byline_parse (cases[i].byline, &place, &reporters, &correspondents);
      r = g_strjoinv ("|", reporters);
      c = g_strjoinv ("|", correspondents);
      g_assert_cmpstr (place, ==, cases[i].place);
      g_assert_cmpstr (r, ==, cases[i].reporters);
      g_assert_cmpstr (c, ==, cases[i].correspondents);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/segment/gold/000", PAGE_000, test_gold);
  g_test_add_data_func ("/segment/gold/002", PAGE_002, test_gold);
  g_test_add_data_func ("/segment/gold-no-blank-lines/000", PAGE_000, test_gold_no_blank_lines);
  g_test_add_data_func ("/segment/gold-no-blank-lines/002", PAGE_002, test_gold_no_blank_lines);
  g_test_add_data_func ("/segment/gold-metadata/000", PAGE_000, test_gold_metadata);
  g_test_add_data_func ("/segment/gold-metadata/002", PAGE_002, test_gold_metadata);
  g_test_add_func ("/segment/feature-pages", test_feature_pages);
  g_test_add_func ("/segment/page-003", test_page_003);
  g_test_add_func ("/segment/invariants", test_all_pages_invariants);
  g_test_add_func ("/segment/dateline", test_dateline);
  g_test_add_func ("/segment/dateline-variants", test_dateline_variants);
  g_test_add_func ("/segment/year", test_year);
  g_test_add_func ("/segment/headline-text", test_headline_text);
  g_test_add_func ("/segment/headlines-after", test_headlines_after);
  g_test_add_func ("/segment/notes-and-spacing", test_notes_and_spacing);
  g_test_add_func ("/segment/captions", test_captions);
  g_test_add_func ("/segment/edge-cases", test_edge_cases);
  g_test_add_func ("/segment/fuzz", test_fuzz);
  g_test_add_func ("/segment/split-merge", test_split_merge);
  g_test_add_func ("/segment/line-roles", test_line_roles);
  g_test_add_func ("/segment/byline-parse", test_byline_parse);

  return g_test_run ();
}
