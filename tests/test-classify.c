/* test-classify.c: the topic classifier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "galley-classify.h"
#include "galley-words.h"

#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <string.h>

static const struct {
  const char *text;
  const char *label;
} examples[] = {
  { "市足球队主场两球击败对手", "体育" },
  { "全民健身长跑比赛周末开跑", "体育" },
  { "篮球联赛半决赛今晚打响", "体育" },
  { "乒乓球少年组比赛圆满落幕", "体育" },
  { "游泳健儿省运会夺得三枚金牌", "体育" },
  { "全市一季度生产总值同比增长", "经济" },
  { "高新区招商引资签约项目总投资百亿元", "经济" },
  { "小微企业贷款余额持续增长", "经济" },
  { "工业园区新建厂房投产 企业产值攀升", "经济" },
  { "外贸进出口总额创历史新高", "经济" },
  { "明天全市有中到大雨 气温下降", "天气" },
  { "寒潮来袭 最低气温零下八度", "天气" },
  { "今年入汛以来降雨偏多", "天气" },
  { "高温橙色预警 午后有雷阵雨", "天气" },
  { "大风降温天气将持续三天", "天气" },
};

static GalleyClassifier *
make_classifier (void)
{
  GalleyClassifier *classifier = galley_classifier_new ();

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    galley_classifier_add (classifier, examples[i].text, examples[i].label);
  return classifier;
}

static const char *
top_label (GalleyClassifier *classifier,
           const char       *text)
{
  g_autoptr(GPtrArray) top = galley_classifier_suggest (classifier, text, 1);
  static char label[64];

  g_assert_cmpuint (top->len, ==, 1);
  g_strlcpy (label, ((GalleySuggestion *) top->pdata[0])->label, sizeof label);
  return label;
}

static void
test_classify_empty (void)
{
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  g_autoptr(GPtrArray) none = galley_classifier_suggest (classifier, "足球比赛", 5);

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (galley_classifier_get_n_examples (classifier), ==, 0);
}

static void
test_classify_learns (void)
{
  g_autoptr(GalleyClassifier) classifier = make_classifier ();

  galley_classifier_train (classifier);
  g_assert_true (galley_classifier_is_trained (classifier));
  g_assert_cmpstr (top_label (classifier, "女子篮球比赛我市队夺冠"), ==, "体育");
  g_assert_cmpstr (top_label (classifier, "企业投资增长 产值创新高"), ==, "经济");
  g_assert_cmpstr (top_label (classifier, "周末降雨 气温回升"), ==, "天气");
  /* the title counts more than the body */
  g_assert_cmpstr (top_label (classifier, "足球联赛开幕\n今年投资增长"), ==, "体育");
}

static void
test_classify_confidence (void)
{
  g_autoptr(GalleyClassifier) classifier = make_classifier ();
  g_autoptr(GPtrArray) all = galley_classifier_suggest (classifier, "足球比赛 金牌", 10);
  g_autoptr(GPtrArray) two = galley_classifier_suggest (classifier, "足球比赛 金牌", 2);
  g_autoptr(GPtrArray) vague = galley_classifier_suggest (classifier, "本报讯", 1);
  double sum = 0;

  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpuint (two->len, ==, 2);
  for (guint i = 0; i < all->len; i++)
    {
      GalleySuggestion *s = all->pdata[i];

      g_assert_cmpfloat (s->confidence, >=, 0.0);
      g_assert_cmpfloat (s->confidence, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (s->confidence, <=, ((GalleySuggestion *) all->pdata[i - 1])->confidence);
      sum += s->confidence;
    }
  /* Five examples of each label: 5 / (5 + 2) of the probability is given
   * out, the rest is for the topics no one has tagged. */
  g_assert_cmpfloat_with_epsilon (sum, 5.0 / 7.0, 1e-6);
  g_assert_cmpstr (((GalleySuggestion *) all->pdata[0])->label, ==, "体育");
  g_assert_cmpfloat (((GalleySuggestion *) all->pdata[0])->confidence, >, 0.6);
  /* a text with nothing to go on is less sure than a clear one */
  g_assert_cmpfloat (((GalleySuggestion *) vague->pdata[0])->confidence, <,
                     ((GalleySuggestion *) all->pdata[0])->confidence);
}

/* A headline of n words drawn from one pool. */
static char *
pool_headline (GRand *rand,
               guint  n)
{
  static const char *const pool[] = {
    "城市", "发展", "项目", "会议", "工作", "群众", "服务", "建设", "活动", "推进",
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (text, pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))]);
  return g_string_free (text, FALSE);
}

/* Two labels whose headlines have the same words, short for one and long
 * for the other: only the layout of the titles tells them apart. */
static void
test_classify_layout (void)
{
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint right = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *text = pool_headline (rand, i % 2 == 0 ? 3 : 7);

      galley_classifier_add (classifier, text, i % 2 == 0 ? "简讯" : "综述");
    }
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *text = pool_headline (rand, i % 2 == 0 ? 3 : 7);

      right += strcmp (top_label (classifier, text), i % 2 == 0 ? "简讯" : "综述") == 0;
    }
  g_assert_cmpuint (right, >=, 38);
}

static double
confidence_of (GalleyClassifier *classifier,
               const char       *text,
               const char       *label)
{
  g_autoptr(GPtrArray) all = galley_classifier_suggest (classifier, text, G_MAXUINT);

  for (guint i = 0; i < all->len; i++)
    if (strcmp (((GalleySuggestion *) all->pdata[i])->label, label) == 0)
      return ((GalleySuggestion *) all->pdata[i])->confidence;
  return 0;
}

/* Self-training: 曼联 and 茅台 are in no tagged headline, but in untagged
 * ones next to the words that tell the labels; the model learns them from
 * its own sure guesses. */
static void
test_classify_untagged (void)
{
  g_autoptr(GalleyClassifier) plain = galley_classifier_new ();
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GHashTable) distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *sure = NULL;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *filler = pool_headline (rand, 3);
      g_autofree char *text = g_strconcat (i % 2 == 0 ? "足球" : "股市", filler, NULL);
      const char *label = i % 2 == 0 ? "体育" : "财经";

      galley_classifier_add (plain, text, label);
      galley_classifier_add (classifier, text, label);
    }
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *filler = pool_headline (rand, 2);
      g_autofree char *text = g_strconcat (i % 2 == 0 ? "足球 曼联" : "股市 茅台", filler, NULL);

      galley_classifier_add_untagged (classifier, text);
      g_hash_table_add (distinct, g_strdup (text));
      if (i == 0)
        sure = g_intern_string (text);
    }
  g_assert_cmpuint (galley_classifier_get_n_examples (classifier), ==, 40);
  g_assert_cmpuint (galley_classifier_get_n_guessed (classifier), ==, 0);

  g_assert_cmpfloat (fabs (confidence_of (plain, "曼联", "体育") - confidence_of (plain, "曼联", "财经")), <, 0.2);
  g_assert_cmpstr (top_label (classifier, "曼联"), ==, "体育");
  g_assert_cmpstr (top_label (classifier, "茅台"), ==, "财经");
  g_assert_cmpfloat (confidence_of (classifier, "曼联", "体育"), >, 0.7);
  g_assert_cmpfloat (confidence_of (classifier, "茅台", "财经"), >, 0.7);
  /* each text once: some of the 40 are the same */
  g_assert_cmpuint (g_hash_table_size (distinct), <, 40);
  g_assert_cmpuint (galley_classifier_get_n_guessed (classifier), ==, g_hash_table_size (distinct));
  g_assert_cmpuint (galley_classifier_get_n_guessed (plain), ==, 0);
  /* an untagged text learnt from keeps its label, but is not told its own
   * guess again: it is less sure of it than its twin with a word the
   * model never saw (1.13 times as unsure without the leave-out, 1.67
   * with it) */
  g_assert_cmpstr (top_label (classifier, sure), ==, "体育");
  {
    g_autofree char *twin = g_strconcat (sure, "前瞻", NULL);

    g_assert_cmpfloat (confidence_of (classifier, sure, "财经"), >,
                       1.4 * confidence_of (classifier, twin, "财经"));
  }

  /* untagged texts alone teach nothing, and reset() forgets them */
  galley_classifier_reset (classifier);
  galley_classifier_add_untagged (classifier, "足球 曼联");
  {
    g_autoptr(GPtrArray) none = galley_classifier_suggest (classifier, "曼联", 3);

    g_assert_cmpuint (none->len, ==, 0);
  }
}

/* With one example per label, the regression learns each label from the
 * naive Bayes of the other examples alone: nothing is lost or undefined. */
static void
test_classify_one_per_label (void)
{
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  g_autoptr(GPtrArray) all = NULL;
  double sum = 0;

  galley_classifier_add (classifier, "足球联赛开幕", "体育");
  galley_classifier_add (classifier, "企业投资增长", "经济");
  galley_classifier_add (classifier, "明天有大雨", "天气");
  g_assert_cmpstr (top_label (classifier, "足球联赛"), ==, "体育");
  g_assert_cmpstr (top_label (classifier, "投资增长"), ==, "经济");
  g_assert_cmpstr (top_label (classifier, "大雨"), ==, "天气");

  all = galley_classifier_suggest (classifier, "足球联赛开幕", 10);
  g_assert_cmpuint (all->len, ==, 3);
  for (guint i = 0; i < all->len; i++)
    {
      double confidence = ((GalleySuggestion *) all->pdata[i])->confidence;

      g_assert_false (isnan (confidence));
      g_assert_cmpfloat (confidence, <=, 1.0 / 3.0 + 1e-9);
      sum += confidence;
    }
  /* One example each: no label is trusted more than 1 / (1 + 2). */
  g_assert_cmpfloat_with_epsilon (sum, 1.0 / 3.0, 1e-6);
  g_assert_cmpstr (((GalleySuggestion *) all->pdata[0])->label, ==, "体育");
}

static void
test_classify_incremental (void)
{
  g_autoptr(GalleyClassifier) classifier = make_classifier ();
  const char *text = "新学期开学 学生走进新校园";

  galley_classifier_train (classifier);
  g_assert_cmpstr (top_label (classifier, text), !=, "教育");

  galley_classifier_add (classifier, "中小学开学第一课", "教育");
  galley_classifier_add (classifier, "高考考生走进考场", "教育");
  galley_classifier_add (classifier, "新建学校校园秋季招生", "教育");
  g_assert_false (galley_classifier_is_trained (classifier));
  g_assert_cmpuint (galley_classifier_get_n_examples (classifier), ==, G_N_ELEMENTS (examples) + 3);
  /* suggest() brings the model up to date */
  g_assert_cmpstr (top_label (classifier, text), ==, "教育");
  g_assert_true (galley_classifier_is_trained (classifier));

  /* an article with two labels */
  galley_classifier_add (classifier, "体育场馆建设拉动投资", "经济");
  galley_classifier_add (classifier, "体育场馆建设拉动投资", "体育");

  g_assert_true (galley_classifier_remove (classifier, "中小学开学第一课", "教育"));
  g_assert_false (galley_classifier_remove (classifier, "中小学开学第一课", "教育"));
  g_assert_false (galley_classifier_remove (classifier, "高考考生走进考场", "体育"));
  g_assert_false (galley_classifier_remove (classifier, "高考考生走进考场", "没有"));
  g_assert_true (galley_classifier_remove (classifier, "高考考生走进考场", "教育"));
  g_assert_true (galley_classifier_remove (classifier, "新建学校校园秋季招生", "教育"));
  /* a label without examples is no longer suggested */
  {
    g_autoptr(GPtrArray) all = galley_classifier_suggest (classifier, text, 10);

    g_assert_cmpuint (all->len, ==, 3);
    for (guint i = 0; i < all->len; i++)
      g_assert_cmpstr (((GalleySuggestion *) all->pdata[i])->label, !=, "教育");
  }

  galley_classifier_reset (classifier);
  g_assert_cmpuint (galley_classifier_get_n_examples (classifier), ==, 0);
  {
    g_autoptr(GPtrArray) none = galley_classifier_suggest (classifier, text, 10);

    g_assert_cmpuint (none->len, ==, 0);
  }
  galley_classifier_add (classifier, "足球", "体育");
  g_assert_cmpstr (top_label (classifier, "篮球"), ==, "体育");
}

static void
test_classify_long_text (void)
{
  g_autoptr(GalleyClassifier) classifier = make_classifier ();
  g_autoptr(GString) text = g_string_new ("篮球比赛\n");
  g_autoptr(GPtrArray) top = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (text, "降雨");
  top = galley_classifier_suggest (classifier, text->str, 3);
  g_assert_cmpuint (top->len, ==, 3);
  g_assert_cmpuint (galley_classifier_get_memory_size (classifier), >, 0);
}

static char *
write_temp (const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("test-classify-XXXXXX.tsv", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_classify_evaluate_files (void)
{
  g_autoptr(GString) train = g_string_new (NULL);
  g_autofree char *train_path = NULL;
  g_autofree char *test_path = NULL;
  g_autoptr(GError) error = NULL;
  double accuracy;

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    g_string_append_printf (train, "%s\t%s\r\n", examples[i].text, examples[i].label);
  g_string_append (train, "\n");
  train_path = write_temp (train->str, -1);
  test_path = write_temp ("篮球比赛我市队夺冠\t体育\n企业投资增长\t经济\n"
                          "降雨气温下降\t天气\n大雨冲毁道路\t经济", -1);

  accuracy = galley_classifier_evaluate_files (train_path, test_path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (accuracy, 0.75, 1e-9);

  g_remove (test_path);
  g_remove (train_path);
}

static void
check_file_error (const char *contents,
                  gssize      len,
                  gboolean    as_train,
                  int         code,
                  const char *where)
{
  g_autofree char *good = write_temp ("足球比赛\t体育\n", -1);
  g_autofree char *bad = write_temp (contents, len);
  g_autofree char *bad_name = g_filename_display_name (bad);
  g_autofree char *expected = g_strconcat (bad_name, where, NULL);
  g_autoptr(GError) error = NULL;
  double accuracy;

  accuracy = as_train ? galley_classifier_evaluate_files (bad, good, &error)
                      : galley_classifier_evaluate_files (good, bad, &error);
  g_assert_error (error, GALLEY_CLASSIFY_ERROR, code);
  g_assert_cmpfloat (accuracy, <, 0);
  g_assert_true (g_str_has_prefix (error->message, expected));

  g_remove (good);
  g_remove (bad);
}

static void
test_classify_evaluate_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = write_temp ("足球比赛\t体育\n", -1);

  check_file_error ("足球\t体育\n没有标签\n", -1, TRUE, GALLEY_CLASSIFY_ERROR_PARSE, ":2:");
  check_file_error ("足球\t体育\n篮球\t\n", -1, FALSE, GALLEY_CLASSIFY_ERROR_PARSE, ":2:");
  check_file_error ("\n\n\t体育\n", -1, TRUE, GALLEY_CLASSIFY_ERROR_PARSE, ":3:");
  check_file_error ("足球\t体育\n\xff\xfe\t\x01\n", -1, FALSE, GALLEY_CLASSIFY_ERROR_PARSE, ":2:");
  check_file_error ("\n\r\n", -1, TRUE, GALLEY_CLASSIFY_ERROR_EMPTY, ":");
  check_file_error ("", 0, FALSE, GALLEY_CLASSIFY_ERROR_EMPTY, ":");
  check_file_error ("a\0b\tc\n", 6, TRUE, GALLEY_CLASSIFY_ERROR_PARSE, ":1:");

  g_assert_cmpfloat (galley_classifier_evaluate_files ("/nonexistent/train.tsv", good, &error), <, 0);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "train.tsv"));
  g_remove (good);
}

/* A hand-made word list in jieba's format: word, frequency, tag. */
static const char word_list[] =
  "研究 1000 vn\n"
  "研究生 100 n\n"
  "生命 1000 n\n"
  "命 10 n\n"
  "的 5000 uj\n"
  "起源 500 n\n"
  "总决赛\t200\n"
  "决赛 300 n\n"
  "中华人民共和国中央人民政府 5 nt\n" /* longer than 8 characters: ignored */
  "零 0 m\n"                         /* no frequency: ignored */
  "没有频率\n"
  "起源 100\n";                      /* listed twice: frequencies add up */

static void
check_split (GalleyWords *words,
             const char  *text,
             const char  *expected)
{
  g_auto(GStrv) split = galley_words_split (words, text);
  g_autofree char *joined = g_strjoinv ("/", split);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_words_segment (void)
{
  g_autofree char *path = write_temp (word_list, -1);
  g_autoptr(GalleyWords) words = NULL;
  g_autoptr(GError) error = NULL;
  gunichar word[] = { 0x7814, 0x7A76 }; /* 研究 */
  gunichar unknown[] = { 0x55B5 };      /* 喵 */
  gunichar prefix[] = { 0x603B, 0x51B3 }; /* 总决, only a prefix of 总决赛 */
  gunichar twice[] = { 0x8D77, 0x6E90 };  /* 起源 */
  gunichar run[] = { 0x7814, 0x7A76, 0x751F, 0x547D }; /* 研究生命 */
  guint ends[4];

  words = galley_words_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (galley_words_get_n_words (words), ==, 8);
  g_assert_cmpfloat_with_epsilon (galley_words_log_probability (words, word, 2),
                                  log (1000.0 / 8210.0), 1.0 / 4096);
  g_assert_cmpfloat_with_epsilon (galley_words_log_probability (words, twice, 2),
                                  log (600.0 / 8210.0), 1.0 / 4096);
  g_assert_cmpfloat (galley_words_log_probability (words, unknown, 1), ==, -INFINITY);
  g_assert_cmpfloat (galley_words_log_probability (words, prefix, 2), ==, -INFINITY);

  /* 研究生/命 is less likely than 研究/生命 */
  g_assert_cmpuint (galley_words_segment (words, run, 4, ends), ==, 2);
  g_assert_cmpuint (ends[0], ==, 2);
  g_assert_cmpuint (ends[1], ==, 4);
  check_split (words, "研究生命的起源", "研究/生命/的/起源");
  check_split (words, "研究生", "研究生");
  /* unknown characters stand alone; Latin and digits keep their runs */
  check_split (words, "喵喵研究", "喵/喵/研究");
  check_split (words, " NBA总决赛 G7，的 ", "NBA/总决赛/G7，/的");
  check_split (words, "中华人民共和国中央人民政府", "中/华/人/民/共/和/国/中/央/人/民/政/府");
  check_split (words, "", "");

  g_remove (path);
}

static void
test_words_errors (void)
{
  g_autofree char *bad = write_temp ("研究 10\n\xff\xfe 3\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_null (galley_words_new_from_file ("/nonexistent/words.txt", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_null (galley_words_new_from_file (bad, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_remove (bad);
}

/* The word list the build makes from jieba's dictionary, when there is one. */
static void
test_words_default (void)
{
  GalleyWords *words = galley_words_get_default ();

  if (words == NULL)
    {
      g_test_skip ("no word list was built");
      return;
    }
  g_assert_cmpuint (galley_words_get_n_words (words), >, 100000);
  check_split (words, "研究生命的起源", "研究/生命/的/起源");
  check_split (words, "我市足球队主场两球击败对手", "我市/足球队/主场/两/球/击败/对手");
}

/* Without a word list topics are still learnt, from characters alone. */
static void
test_classify_no_words (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GalleyClassifier) classifier = NULL;
      g_autoptr(GPtrArray) top = NULL;

      g_setenv ("GALLEY_DATA_DIR", "/nonexistent", TRUE);
      g_assert_null (galley_words_get_default ());
      classifier = make_classifier ();
      top = galley_classifier_suggest (classifier, "女子篮球比赛今晚开打", 1);
      g_assert_cmpstr (((GalleySuggestion *) top->pdata[0])->label, ==, "体育");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/classify/empty", test_classify_empty);
  g_test_add_func ("/classify/learns", test_classify_learns);
  g_test_add_func ("/classify/confidence", test_classify_confidence);
  g_test_add_func ("/classify/one-per-label", test_classify_one_per_label);
  g_test_add_func ("/classify/layout", test_classify_layout);
  g_test_add_func ("/classify/untagged", test_classify_untagged);
  g_test_add_func ("/classify/incremental", test_classify_incremental);
  g_test_add_func ("/classify/long-text", test_classify_long_text);
  g_test_add_func ("/classify/evaluate-files", test_classify_evaluate_files);
  g_test_add_func ("/classify/evaluate-errors", test_classify_evaluate_errors);
  g_test_add_func ("/classify/no-words", test_classify_no_words);
  g_test_add_func ("/words/segment", test_words_segment);
  g_test_add_func ("/words/errors", test_words_errors);
  g_test_add_func ("/words/default", test_words_default);

  return g_test_run ();
}
