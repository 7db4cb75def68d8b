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
  if ((rules & GALLEY_RULE_LINE_JOIN) && (rules & GALLEY_RULE_SPACES) &&
      (rules & GALLEY_RULE_PARAGRAPH_JOIN))
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


static void
assert_clean (const char *in,
              const char *want)
{
  g_autofree char *got = clean (in, GALLEY_RULES_ALL);

  g_assert_cmpstr (got, ==, want);
  check_all (in, GALLEY_RULES_ALL);
}

static void
assert_headline (const char *in,
                 const char *want)
{
  g_autoptr(GalleyCleanResult) r = galley_clean_headline (in, -1, GALLEY_RULES_ALL);
  g_autoptr(GalleyCleanResult) again = NULL;

  g_assert_cmpstr (r->text, ==, want);
  check_result (in, r);
  again = galley_clean_headline (r->text, -1, GALLEY_RULES_ALL);
  g_assert_cmpstr (again->text, ==, r->text);
}

static void
test_line_join (void)
{
  assert_clean ("新闻发布会举行。发布会向与\n会媒体代表介绍了情况。", "新闻发布会举行。发布会向与会媒体代表介绍了情况。");
  assert_clean ("  减少73.1%；审批时\n限由20个工作日缩短至5个工作日，缩短\n75%。  \n", "减少73.1%；审批时限由20个工作日缩短至5个工作日，缩短75%。");
  /* Latin keeps a space only where the source had one */
  assert_clean ("open \nsource", "open source");
  assert_clean ("hyphen-\nated", "hyphen-ated");
  /* a byline broken inside and between names */
  assert_clean ("本报济宁讯（记者 曹俐 通讯\n员 朱玉显）近日，基地封顶。", "本报济宁讯（记者 曹俐 通讯员 朱玉显）近日，基地封顶。");
  assert_clean ("本报济宁讯（记者 曹俐\n通讯员 朱玉显）近日，基地封顶。", "本报济宁讯（记者 曹俐 通讯员 朱玉显）近日，基地封顶。");
}

static void
test_paragraph_join (void)
{
  /* a blank line inside a sentence */
  assert_clean ("其中两项创新改\n\n革取得丰硕成果。\n\n今后，将持续推进。", "其中两项创新改革取得丰硕成果。\n今后，将持续推进。");
  /* an intertitle wrapped over a blank line, then a paragraph cut by a blank line */
  assert_clean ("一直以来，试点工作取得丰硕成果。\n“工程建设项目开工建设一件事”创\n\n新举措\n济宁高新区大力推行工程建设项目\n\n开工建设“一件事”，将建筑工程施工许\n可、建筑垃圾处置核准等10个开工前审\n批事项纳入服务场景。",
                "一直以来，试点工作取得丰硕成果。\n“工程建设项目开工建设一件事”创新举措\n济宁高新区大力推行工程建设项目开工建设“一件事”，将建筑工程施工许可、建筑垃圾处置核准等10个开工前审批事项纳入服务场景。");
  /* a short intertitle before the indented first line of a paragraph */
  assert_clean ("这是上一段的最后一句话。\n“商品房现售一件事”创新举措\n为提振房地产市场消费，解决房产\n企业促销促售的迫切需求，高新区创新\n推出服务。",
                "这是上一段的最后一句话。\n“商品房现售一件事”创新举措\n为提振房地产市场消费，解决房产企业促销促售的迫切需求，高新区创新推出服务。");
  /* a wrapped line that happens to end a sentence */
  assert_clean ("业创新基地首批厂房圆满封顶封\n顶仪式在园区举行，项目正式封顶。\n随着最后一立方米混凝土浇筑完成。",
                "业创新基地首批厂房圆满封顶封顶仪式在园区举行，项目正式封顶。随着最后一立方米混凝土浇筑完成。");
  /* a dateline, a byline line and marked intertitles start paragraphs */
  assert_clean ("通讯员 绪言 吴丛\n营商环境是生命线。\n1 创新机制 营造利企发展“小气候”\n企业是发展的主体。",
                "通讯员 绪言 吴丛\n营商环境是生命线。\n1 创新机制 营造利企发展“小气候”\n企业是发展的主体。");
  assert_clean ("◆ 举办上海、青岛等重点地区招商活动 招大引强\n\n2023年6月16日,签约仪式在上海举行。",
                "◆ 举办上海、青岛等重点地区招商活动 招大引强\n2023年6月16日，签约仪式在上海举行。");
  /* wrapped lines joined by spaces inside one long line */
  assert_clean ("会议指出,要围绕社会治安、居住 环境、医疗保险、看病就医、基础教育 和社会帮扶开展走访调研活动,广泛 听取社情民意。 会议要求,全体干部要统一思想。",
                "会议指出，要围绕社会治安、居住环境、医疗保险、看病就医、基础教育和社会帮扶开展走访调研活动，广泛听取社情民意。\n会议要求，全体干部要统一思想。");
  assert_clean ("抓项目落地,突出高效投资引领。 2023年高新区聚焦重点项目建设。", "抓项目落地，突出高效投资引领。2023年高新区聚焦重点项目建设。");
}

static void
test_duplicate (void)
{
  assert_headline ("加速推进加速推进 首批厂房圆满封顶首批厂房圆满封顶", "加速推进 首批厂房圆满封顶");
  assert_clean ("记者来看看，天天向上，一步一步走，提质提速提效，走深走实。", "记者来看看，天天向上，一步一步走，提质提速提效，走深走实。");
  assert_clean ("项目正在加速推进加速推进，年底竣工。", "项目正在加速推进，年底竣工。");
  /* a line repeating the start of the next one */
  assert_clean ("实现了从“0”到“1”的突破。数据知识产权是指\n\n数据知识产权是指数据资源持有人依法取得的权益。",
                "实现了从“0”到“1”的突破。\n数据知识产权是指数据资源持有人依法取得的权益。");
  assert_clean ("数据知识产权是指数据资源\n\n数据知识产权是指数据资源持有人依法取得的权益。",
                "数据知识产权是指数据资源持有人依法取得的权益。");
  /* doubled once a space is gone, or tripled */
  assert_clean ("项目加速推进 加速推进，年底竣工。", "项目加速推进，年底竣工。");
  assert_clean ("项目加速推进加速推进加速推进，年底竣工。", "项目加速推进，年底竣工。");
  assert_clean ("哈哈哈哈哈哈，一步一步一步一步。", "哈哈哈哈哈哈，一步一步一步一步。");
}

static void
test_punctuation (void)
{
  assert_clean ("总投资171.42亿元,1,000人,10:30开会;你好?好!", "总投资171.42亿元，1,000人，10:30开会；你好？好！");
  assert_clean ("按照《管理考评办法》(济高新管办字(2023)3号)执行。", "按照《管理考评办法》（济高新管办字（2023）3号）执行。");
  assert_clean ("聚焦\"又高又新\"主责,强化\"上限\"\"下限\"和\"底线\"思维,从\"0\"到\"1\"。",
                "聚焦“又高又新”主责，强化“上限”“下限”和“底线”思维，从“0”到“1”。");
  assert_clean ("他说:\"'光影秀'的组合。\"", "他说：“‘光影秀’的组合。”");
  assert_clean ("1—6月份投资完成率80%,AI预审即时出证。", "1—6月份投资完成率80%，AI预审即时出证。");
  assert_clean ("Hello, world (really): \"yes\"; it's fine!", "Hello, world (really): \"yes\"; it's fine!");
  /* a lone straight quote opens before text and closes after it */
  assert_clean ("他说:\"今天很好", "他说：“今天很好");
  assert_clean ("今天很好\"(图)", "今天很好”（图）");
  assert_clean ("今天很好\"", "今天很好”");
  assert_clean ("“今天很好\"明天\"也好", "“今天很好”明天“也好");
  assert_clean ("梦想。\"江沛说。", "梦想。”江沛说。");
  /* after a sentence, a quote with text and another quote after it opens */
  assert_clean ("奋斗历程。\"2016年我来到高新区,努力实现梦想。\"江沛说。",
                "奋斗历程。“2016年我来到高新区，努力实现梦想。”江沛说。");
}

static void
test_spaces (void)
{
  assert_clean ("抓协 调、抓服务,免 税 技 术,平台 229 个,增长23.12% ，AI 预审。", "抓协调、抓服务，免税技术，平台229个，增长23.12%，AI预审。");
  assert_clean ("本报济宁讯(记者 刘菲 通讯员 宁辰雨 李希香) 近日,会议召开。", "本报济宁讯（记者 刘菲 通讯员 宁辰雨 李希香）近日，会议召开。");
  assert_clean ("■本报记者 刘菲 曹俐\n岁序更替,时节如流。", "■本报记者 刘菲 曹俐\n岁序更替，时节如流。");
  assert_clean ("济宁高新区\"才聚蓼河 企望有你\"博硕开放日,研究\"教 学质量\"。", "济宁高新区“才聚蓼河 企望有你”博硕开放日，研究“教学质量”。");
  assert_clean ("open  source software", "open  source software");
}

static void
test_headline (void)
{
  assert_headline ("优服务 解难题 求突破", "优服务 解难题 求突破");
  assert_headline ("干字为先  乘势而上 高位突破", "干字为先 乘势而上 高位突破");
  assert_headline ("泗水县党政考察团\n来高新区考察参观", "泗水县党政考察团来高新区考察参观");
  assert_headline (" 济宁高新区:\"一件事一次办\" 便民利企 ", "济宁高新区：“一件事一次办”便民利企");
  assert_headline ("免 税 技 术 改革", "免税技术 改革");
}

static void
test_rules_off (void)
{
  g_autofree char *page = load_page (pages[2]);
  g_autoptr(GalleyCleanResult) r = galley_clean (page, -1, 0, NULL);

  g_assert_cmpstr (r->text, ==, page);
  g_assert_cmpuint (r->changes->len, ==, 0);

  for (guint i = 0; i < GALLEY_N_RULES - 1; i++)
    for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
      {
        g_autofree char *text = load_page (pages[p]);
        GalleyRule rule = 1 << i;
        g_autoptr(GalleyCleanResult) only = galley_clean (text, -1, rule, NULL);

        check_result (text, only);
        for (guint k = 0; k < only->changes->len; k++)
          {
            GalleyChange *ch = g_ptr_array_index (only->changes, k);

            g_assert_cmpint (ch->rule, ==, rule);
          }
        check_all (text, GALLEY_RULES_ALL & ~rule);
      }
}

static void
test_pages (void)
{
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autofree char *text = load_page (pages[p]);

      check_all (text, GALLEY_RULES_ALL);
    }
}

static void
test_apply_subsets (void)
{
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autofree char *text = load_page (pages[p]);
      g_autoptr(GalleyCleanResult) r = galley_clean (text, -1, GALLEY_RULES_ALL, NULL);

      for (guint round = 0; round < 20; round++)
        {
          g_autofree gboolean *accepted = g_new0 (gboolean, r->changes->len + 1);
          g_autofree char *applied = NULL;
          GString *want = g_string_new (NULL);
          gsize pos = 0;

          for (guint i = 0; i < r->changes->len; i++)
            {
              GalleyChange *ch = g_ptr_array_index (r->changes, i);

              accepted[i] = g_test_rand_bit ();
              g_string_append_len (want, text + pos, ch->orig_start - pos);
              g_string_append (want, accepted[i] ? ch->after : ch->before);
              pos = ch->orig_end;
            }
          g_string_append (want, text + pos);
          applied = galley_clean_apply (text, r->changes, accepted);
          g_assert_cmpstr (applied, ==, want->str);
          g_string_free (want, TRUE);
        }
    }
}

static void
test_gold_unchanged (void)
{
  for (guint p = 0; p < G_N_ELEMENTS (gold_pages); p++)
    {
      g_autoptr(ScoreGold) gold = load_gold (gold_pages[p]);
      GString *all = g_string_new (NULL);

      for (guint i = 0; i < gold->articles->len; i++)
        {
          ScoreGoldArticle *a = g_ptr_array_index (gold->articles, i);
          g_auto(GStrv) paras = g_strsplit (a->body, "\n", -1);
          g_autoptr(GalleyCleanResult) title = galley_clean_headline (a->title, -1, GALLEY_RULES_ALL);

          g_assert_cmpstr (title->text, ==, a->title);
          for (guint k = 0; paras[k] != NULL; k++)
            {
              g_autofree char *got = clean (paras[k], GALLEY_RULES_ALL);

              g_assert_cmpstr (got, ==, paras[k]);
            }
          {
            g_autofree char *got = clean (a->body, GALLEY_RULES_ALL);

            g_assert_cmpstr (got, ==, a->body);
          }
          if (all->len > 0)
            g_string_append_c (all, '\n');
          g_string_append (all, a->body);
        }
      {
        g_autofree char *got = clean (all->str, GALLEY_RULES_ALL);

        g_assert_cmpstr (got, ==, all->str);
      }
      g_string_free (all, TRUE);
    }
}

static void
test_idempotent_output (void)
{
  /* clean output of the raw bodies of the gold articles is stable */
  for (guint p = 0; p < G_N_ELEMENTS (gold_pages); p++)
    {
      g_autofree char *page = load_page (gold_pages[p]);
      g_autoptr(ScoreGold) gold = load_gold (gold_pages[p]);

      for (guint i = 0; i < gold->articles->len; i++)
        {
          ScoreGoldArticle *a = g_ptr_array_index (gold->articles, i);
          gsize s = 0, e = 0;
          g_autofree char *raw = NULL;

          g_assert_true (locate (page, a->body, &s, &e));
          raw = g_strndup (page + s, e - s);
          check_all (raw, GALLEY_RULES_ALL);
        }
    }
}

/* Inputs that once came out not idempotent: a doubled fragment that only
 * appears once a space is gone, layout decisions that change once lines
 * are whole paragraphs, punctuation whose context changes once its
 * neighbours are full-width. */
static void
test_idempotent_cases (void)
{
  static const char * const cases[] = {
    "通讯员 \n\n通讯员 \n\n通讯员 \n\n通讯员",
    "本报济宁讯） 加速推进 加速推进\n\n本报济宁讯%,——bc，甲”",
    ")a记者　(通讯员 ■:),1甲，!\"“，%丁丁)丙; bc◆，”\n",
    "。本报济宁讯,\n本报济宁讯，\n \n，——，…23乙1通讯员 \n。",
    " 本报济宁讯\n本报济宁讯\n加速推进    、!\"、”，\n\n　,。　丙通讯员 ◆!乙甲乙丙甲（a( ）bc:本报济宁讯;…记者",
    "）%甲乙丙\n \n乙\n…——,，（",
    "\"丙乙(加速推进 %　　,)1记者a记者%!（  甲",
    "甲“）(本报济宁讯，1…bc\nbc%,)",
    "丙\n◆、“甲乙丙甲乙丙23 a◆)bc\n?\n\n\n  \"本报济宁讯(“\n(1 bc?)\n\n\n",
    /* found by the fuzzer: a chain of joins, each showing only after the
     * one before; straight quotes that turn once joined lines are Chinese */
    "\357\277\275?\n\357\277\275\n\346\234\254\n\346\234\254\357\277\275\001\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275\032\n\032\357\277\275\357\277\275\346\274\245s\357\277\275'\n\346\234\254\n\357\277\275\346\234\254\n\357\277\275\357\277\275'\357\277\275\357\277\275\346\234\254A\n\n\346\234\254\357\277\275\n\357\277\275s'\357\277\275\357\277\275\357\277\275'\357\277\275\357\277\275",
    "'\357\274\210'''''\n'!'\357\277\275\357\277\275'''\t\357\277\275''\n'!'''''\n\357\277\275!'!'!'''''''''''\n\357\277\275'\n'!'''''\n\357\277\275U\357\277\275\357\277\275!\357\277\275\357\277\275'''\t\357\277\275''\n'!'''''\n\357\277\275!'!'!'''''''\n'!'''''\n\357\274\210!'!')\n)\357\277\275\n*",
    /* a space the clean-up removed ended a segment of a long line */
    "\357\274\210\357\277\275_____:\n\026\b''8\357\277\275\360\257\212\245\r\357\277\275___:\n\r'\346\234\254\346\212\245\357\277\275\357\277\275\r\n\n10i\357\274\210iiii&\357\277\275\357\277\275\357\277\275\357\277\275\357\277\275iiii!   \t'\n\357\277\275iiiiiii!   \t'\n\357\277\275\357\277\275\357\277\275\357\277\275;\n\nI",
  };

  /* a numbered line whose width crosses the limit for keeping its spaces
   * only once its commas are full-width (found by the fuzzer) */
  {
    g_autoptr(GString) wide = g_string_new ("1 甲,,,,,,,x 乙");

    for (guint i = 0; i < 45; i++)
      g_string_append (wide, "丙丁");
    check_all (wide->str, GALLEY_RULES_ALL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GalleyCleanResult) h = galley_clean_headline (cases[i], -1, GALLEY_RULES_ALL);
      g_autoptr(GalleyCleanResult) again = galley_clean_headline (h->text, -1, GALLEY_RULES_ALL);

      check_all (cases[i], GALLEY_RULES_ALL);
      check_result (cases[i], h);
      g_assert_cmpstr (again->text, ==, h->text);
    }
}

/* Random texts over an alphabet rich in the characters the rules look at. */
static void
test_random (void)
{
  static const char * const alphabet[] = {
    "甲", "乙", "丙", "丁", "甲乙丙", "本报济宁讯", "记者", "（", "）", "(", ")", "\"", "'",
    "“", "”", "，", "。", "、", ",", ":", ";", "?", "!", " ", " ", "  ", "\n", "\n", "\n\n",
    "1", "23", "a", "bc", "%", "◆", "■", "　", "…", "——", "通讯员 ", "加速推进",
  };

  guint rounds = 3000, unstable = 0;

  for (guint round = 0; round < rounds; round++)
    {
      GString *s = g_string_new (NULL);
      guint n = g_test_rand_int_range (0, 40);

      for (guint i = 0; i < n; i++)
        g_string_append (s, alphabet[g_test_rand_int_range (0, G_N_ELEMENTS (alphabet))]);
      {
        g_autoptr(GalleyCleanResult) r = galley_clean (s->str, -1, GALLEY_RULES_ALL, NULL);
        g_autoptr(GalleyCleanResult) again = galley_clean (r->text, -1, GALLEY_RULES_ALL, NULL);

        check_result (s->str, r);
        check_layout (r->text);
        if (strcmp (again->text, r->text) != 0)
          {
            unstable++;
            g_test_message ("not idempotent: [%s] -> [%s] -> [%s]", s->str, r->text, again->text);
          }
      }
      {
        g_autoptr(GalleyCleanResult) h = galley_clean_headline (s->str, -1, GALLEY_RULES_ALL);
        g_autoptr(GalleyCleanResult) again = galley_clean_headline (h->text, -1, GALLEY_RULES_ALL);

        check_result (s->str, h);
        if (strcmp (again->text, h->text) != 0)
          {
            unstable++;
            g_test_message ("headline not idempotent: [%s] -> [%s] -> [%s]", s->str, h->text, again->text);
          }
      }
      g_string_free (s, TRUE);
    }
  g_test_message ("random texts: %u of %u cleanings not idempotent", unstable, 2 * rounds);
  g_assert_cmpuint (unstable, ==, 0);
}

static void
test_confusion (void)
{
  GalleyConfusions *conf = galley_confusions_new ();
  const char *text = "企业，从26家人区\n企业发展到1147家,人区企业增加。人\n区企业";
  g_autoptr(GalleyCleanResult) r = NULL;
  guint suspects = 0;

  galley_confusions_add_known (conf, "人区", "入区");
  r = galley_clean (text, -1, GALLEY_RULES_ALL, conf);
  g_assert_cmpstr (r->text, ==, "企业，从26家人区企业发展到1147家，人区企业增加。人区企业");
  check_result (text, r);
  for (guint i = 0; i < r->changes->len; i++)
    {
      GalleyChange *ch = g_ptr_array_index (r->changes, i);

      if (ch->kind != GALLEY_CHANGE_SUSPECT)
        continue;
      suspects++;
      g_assert_cmpint (ch->rule, ==, GALLEY_RULE_CONFUSION);
      g_assert_cmpstr (ch->before, ==, "人区");
      g_assert_cmpstr (ch->after, ==, "入区");
      g_assert_true (memcmp (text + ch->orig_start, "人区", strlen ("人区")) == 0);
      g_assert_true (memcmp (r->text + ch->clean_start, "人区", strlen ("人区")) == 0);
    }
  /* the one across a line break straddles an edit and is dropped */
  g_assert_cmpuint (suspects, ==, 2);

  {
    g_autoptr(GalleyCleanResult) off = galley_clean (text, -1, GALLEY_RULES_ALL & ~GALLEY_RULE_CONFUSION, conf);
    g_autoptr(GalleyCleanResult) none = galley_clean (text, -1, GALLEY_RULES_ALL, NULL);

    g_assert_cmpuint (off->changes->len, ==, r->changes->len - suspects);
    g_assert_cmpuint (none->changes->len, ==, r->changes->len - suspects);
  }
  {
    g_autofree gboolean *accepted = g_new (gboolean, r->changes->len);
    g_autofree char *applied = NULL;

    for (guint i = 0; i < r->changes->len; i++)
      accepted[i] = TRUE;
    applied = galley_clean_apply (text, r->changes, accepted);
    g_assert_cmpstr (applied, ==, "企业，从26家入区企业发展到1147家，入区企业增加。人区企业");
  }
  galley_confusions_unref (conf);
}

static void
test_invalid (void)
{
  if (g_test_subprocess ())
    {
      GalleyCleanResult *r = galley_clean ("ab\xff", -1, GALLEY_RULES_ALL, NULL);

      g_assert_null (r);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*g_utf8_validate*");
}

static void
test_rule_ids (void)
{
  for (guint i = 0; i < GALLEY_N_RULES; i++)
    {
      GalleyRule rule = 1 << i;
      const char *id = galley_rule_to_id (rule);

      g_assert_nonnull (id);
      g_assert_cmpint (galley_rule_from_id (id), ==, rule);
      g_assert_nonnull (galley_rule_get_label (rule));
    }
  g_assert_cmpint (galley_rule_from_id ("nonsense"), ==, 0);
  g_assert_cmpint (GALLEY_RULES_ALL, ==, (1 << GALLEY_N_RULES) - 1);
}

static void
test_score (void)
{
  g_autoptr(ScoreGold) gold = load_gold (gold_pages[0]);
  g_autoptr(GPtrArray) exports = g_ptr_array_new_with_free_func ((GDestroyNotify) score_export_free);
  g_autofree char *page = load_page (gold_pages[0]);
  ScorePage result;

  g_assert_cmpuint (score_distance ("kitten", -1, "sitting", -1), ==, 3);
  g_assert_cmpuint (score_distance ("优服务 解难题", -1, "优服务解难题", -1), ==, 1);
  g_assert_cmpuint (score_distance ("", -1, "甲乙", -1), ==, 2);

  /* an export equal to the gold scores perfectly; raw OCR does not */
  for (guint i = 0; i < gold->articles->len; i++)
    {
      ScoreGoldArticle *a = g_ptr_array_index (gold->articles, i);
      ScoreExport *e = g_new0 (ScoreExport, 1);
      gsize s = 0, end = 0;

      g_assert_true (locate (page, a->body, &s, &end));
      e->source_file = g_strdup (gold->source);
      e->title = g_strdup (a->title);
      e->body = g_strdup (a->body);
      e->original = g_strndup (page + s, end - s);
      g_ptr_array_add (exports, e);
    }
  score_page (gold, exports, &result);
  g_assert_cmpuint (result.gold_articles, ==, gold->articles->len);
  g_assert_cmpuint (result.found, ==, gold->articles->len);
  g_assert_cmpuint (result.titles_matched, ==, gold->articles->len);
  g_assert_cmpuint (result.clean_distance, ==, 0);
  g_assert_cmpuint (result.raw_distance, >, 0);
  g_assert_cmpfloat (score_removed (&result), ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clean/line-join", test_line_join);
  g_test_add_func ("/clean/paragraph-join", test_paragraph_join);
  g_test_add_func ("/clean/duplicate", test_duplicate);
  g_test_add_func ("/clean/punctuation", test_punctuation);
  g_test_add_func ("/clean/spaces", test_spaces);
  g_test_add_func ("/clean/headline", test_headline);
  g_test_add_func ("/clean/rules-off", test_rules_off);
  g_test_add_func ("/clean/pages", test_pages);
  g_test_add_func ("/clean/apply-subsets", test_apply_subsets);
  g_test_add_func ("/clean/gold-unchanged", test_gold_unchanged);
  g_test_add_func ("/clean/idempotent-output", test_idempotent_output);
  g_test_add_func ("/clean/idempotent-cases", test_idempotent_cases);
  g_test_add_func ("/clean/random", test_random);
  g_test_add_func ("/clean/confusion", test_confusion);
  g_test_add_func ("/clean/invalid", test_invalid);
  g_test_add_func ("/clean/rule-ids", test_rule_ids);
  g_test_add_func ("/clean/score", test_score);
  g_test_add_func ("/clean/quality", test_quality);

  return g_test_run ();
}
