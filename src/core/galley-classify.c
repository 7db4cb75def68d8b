/* galley-classify.c: topic suggestions learnt from the articles editors tagged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Features are character unigrams, bigrams and trigrams (plus Latin words)
 * of the NFKC-normalised, lower-cased text, with digit runs folded to one
 * symbol and start/end markers, and, when the word list is installed (see
 * galley-words.h), word unigrams and bigrams of the runs of Han characters
 * cut into words. The title adds its layout: its length, and the lengths
 * of its first and last parts when spaces cut it up. A desk writes its
 * headlines to a pattern (one part or two, short or long), and on the
 * headlines of news sections that tells much (5-fold CV 87.7 % -> 88.9 %,
 * mean of four shuffles; 20 headlines per label 62 % -> 65.2 %). Each
 * feature is a 31-bit hash, the 32nd bit telling the layout from the
 * text; train() indexes the distinct hashes of the examples, keeping at
 * most MODEL_BUDGET / labels of them (the rarest go first), and features
 * the model never saw are ignored. Each example becomes a sublinear-tf x
 * idf vector, the text's features of unit length and the layout's of
 * length LAYOUT_WEIGHT x n / (n + LAYOUT_EXAMPLES), n the examples: a
 * pattern shows in many headlines, in a few it is chance (with 6 articles
 * tagged, it had made the untagged ones surer of the wrong tag). Two
 * models read it: naive Bayes over the text's weights (the layout is no
 * bag of independent words), and a softmax regression
 * fitted by averaged stochastic gradient descent on top of it: the
 * regression's scores start from the naive Bayes log-likelihoods (scaled
 * by NB_WEIGHT), so that it learns what naive Bayes gets wrong. While it
 * is fitted, each example sees the naive Bayes of all the other examples
 * (leave-one-out, exact and cheap for naive Bayes), or there would be
 * nothing left to learn on the training examples. Each feature's steps in
 * the regression are scaled by how much it tells one label from the others
 * (see feature_scales()), which keeps common, uninformative features from
 * soaking up the corrections (5-fold CV 87.35 % -> 87.7 %, mean of four
 * shuffles of the folds; 20 headlines per label 60.9 % -> 62 %). The
 * constants were chosen by cross-validation within the training part of
 * each fold of 10,000 labelled headlines (see bench/bench-classify.c),
 * which also shows that the confidences read as probabilities: of the
 * suggestions at 0.9 or more, about 96 % are right when trained on
 * 10,000 headlines. A label learnt from few examples has its confidence
 * lowered (x n / (n + FEW_EXAMPLES)): an archive holds topics no one has
 * tagged yet, and the softmax over the tagged ones cannot see them. With
 * 2 or 5 headlines of each of 3 labels tagged, it had put a tenth of the
 * other headlines at 0.9 or more, half of them wrongly; now none reach
 * 0.8. The price is caution with 20 headlines of every label: 6 % of the
 * suggestions at 0.9 or more instead of 21 %, right 99 % of the time.
 *
 * Untagged texts (the archive's articles no one has tagged yet) teach it
 * too, by self-training: once fitted to the tagged examples, the model
 * guesses their labels, and those it is sure of (GUESS_MIN, of a label
 * with GUESS_MIN_EXAMPLES tagged) become examples worth GUESS_WEIGHT of a
 * tagged one; the model is fitted again to both. The guesses bring the
 * words the tagged texts lack (given 2,000 untagged headlines, 5-fold CV
 * 88.7 % -> 89.1 %; 20 tagged headlines per label and the other 9,800
 * untagged, 65 % -> 72.8 %). A text the model learnt from as a guess
 * would be told its own guess again when suggested for: its counts are
 * left out of the naive Bayes of its guessed label (see confidences()),
 * and the softmax is less sharp (GUESS_SHARPNESS), which keeps the
 * confidences honest (right 97.6 % of the time at 0.9 or more; log loss
 * 0.389 -> 0.369).
 *
 * Tried on the same headlines without gain (5-fold CV within 0.1 point of
 * the above, or lower): part-of-speech tags, skip-grams, character
 * 4-grams, word clusters from a pinyin input method's bigrams, dictionary
 * glosses and radicals of the characters, bagging, nearest neighbours,
 * complement naive Bayes; the parts of spaced titles, or copies with a
 * part or a word dropped, as extra examples; feature dropout; test-time
 * averaging over a title's parts; second models for the most confused
 * pairs of labels; per-type feature weights; label smoothing; and a
 * fastText-like model of dense feature vectors added to the scores (alone
 * 86 %, and right where this one is wrong on 181 headlines against 459
 * the other way).
 */
#define G_LOG_DOMAIN "galley-classify"

#include "galley-classify.h"
#include "galley-cjk.h"
#include "galley-words.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define TITLE_WEIGHT   2.0f
#define MAX_BODY_BYTES 6000        /* about 2,000 Chinese characters */
#define MODEL_BUDGET   (3u << 20)  /* floats in the table of each model */
#define UNTAGGED_BUDGET (3u << 19) /* features of the untagged texts: 12 MB, 20 MB more while training */
#define NB_ALPHA       0.03
#define NB_WEIGHT      0.5         /* of the naive Bayes log-likelihoods in the scores */
#define LR_EPOCHS      15
#define LR_RATE        1.0
#define SCALE_ALPHA    0.1         /* smoothing of P(label | feature) in the feature scales */
#define SCALE_FLOOR    0.1         /* scale of a feature that tells no label from another */
#define LR_BIAS_RATE   0.1
#define SHARPNESS      1.1         /* scores x this before the softmax, for calibration */
#define FEW_EXAMPLES   2.0         /* a label's confidence x n / (n + this), n its examples */
#define GUESS_MIN      0.7         /* the confidence at which an untagged text is learnt from */
#define GUESS_MIN_EXAMPLES 10      /* ... as an example of a label with at least this many */
#define GUESS_WEIGHT   0.5         /* what such a guessed example weighs against a tagged one */
#define GUESS_SHARPNESS 0.9        /* SHARPNESS of a model that learnt from guesses */
#define LAYOUT_WEIGHT  0.3         /* length of the layout part of a vector (see vectorise ()) */
#define LAYOUT_EXAMPLES 100.0      /* ... x n / (n + this), n the examples */
#define LAYOUT_BUCKET  2           /* characters per step of the lengths in the layout */
#define LAYOUT         0x80000000u /* the hash bit of layout features */
#define BOUNDARY       ((gunichar) 1)
#define DIGIT          ((gunichar) '0')

typedef struct {
  guint32 hash;
  float   count;
} Feature;

typedef struct {
  Feature *features;
  guint    n_features;
  guint    label;
  float    weight;    /* 1 for a tagged text, less for a guessed one */
  guint64  text_hash;
} Example;

struct _GalleyClassifier {
  /* owned */
  GPtrArray  *labels;      /* of char*, index = label id */
  GHashTable *label_ids;   /* label (borrowed from labels) -> id + 1 */
  GArray     *examples;    /* of Example */
  GArray     *untagged;    /* of Example, label unused: texts to learn from by guessing */
  gsize       n_untagged_features; /* in all of them */
  guint      *label_count; /* examples per label id, labels->len long */

  /* the fitted model, valid when trained */
  gboolean    trained;
  guint       n_labels;    /* labels->len at the time of train() */
  guint       n_features;  /* distinct features of the examples */
  guint32    *slot_hash;   /* [slot_mask + 1] feature hashes, 0 for none */
  guint32    *slot_id;     /* [slot_mask + 1] their index in the tables below */
  guint32     slot_mask;
  float      *idf;         /* [n_features] */
  float      *nb;          /* [n_features * n_labels] NB_WEIGHT x log P(feature | label) */
  float      *nb_prior;    /* [n_labels] NB_WEIGHT x log P(label), -INFINITY for labels without examples */
  double     *nb_total;    /* [n_labels] the denominators of P(feature | label), alpha included */
  GHashTable *guessed;     /* text hash of an untagged text learnt from -> its index in untagged + 1 */
  guint       n_guessed;   /* untagged texts learnt from */
  float      *weights;     /* [n_features * n_labels] */
  float      *bias;        /* [n_labels] */
  double      sharpness;
  double      layout_weight; /* of the layout part of the vectors, see vectorise () */
};

G_DEFINE_QUARK (galley-classify-error-quark, galley_classify_error)

void
galley_suggestion_free (GalleySuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->label);
  g_free (suggestion);
}

/* ---------------------------------------------------------------- features */

static inline guint64
mix (guint64 h,
     guint64 x)
{
  h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

/* The 31 bits of a feature hash; the last one tells layout features. */
static inline guint32
fold (guint64 h)
{
  guint32 r = (guint32) (h ^ (h >> 32)) & ~LAYOUT;

  return r != 0 ? r : 1; /* 0 marks an empty slot below */
}

/* Appends the normalised code points of text[0, len) to chars, between
 * boundary markers. */
static void
normalise (const char *text,
           gsize       len,
           GArray     *chars)
{
  g_autofree char *norm = g_utf8_normalize (text, len, G_NORMALIZE_ALL_COMPOSE);
  gunichar boundary = BOUNDARY;
  gunichar last = BOUNDARY;

  g_array_append_val (chars, boundary);
  if (norm != NULL)
    {
      for (const char *p = norm; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_unichar_tolower (g_utf8_get_char (p));

          if (g_unichar_isdigit (c))
            c = DIGIT;
          else if (g_unichar_isspace (c) || c < 0x20)
            c = ' ';
          if ((c == DIGIT || c == ' ') && c == last)
            continue;
          g_array_append_val (chars, c);
          last = c;
        }
    }
  g_array_append_val (chars, boundary);
}

static inline void
emit (GArray  *out,
      guint64  h,
      float    weight)
{
  Feature f = { fold (h), weight };

  g_array_append_val (out, f);
}

static inline void
emit_layout_feature (GArray  *out,
                     guint64  h,
                     float    weight)
{
  Feature f = { fold (h) | LAYOUT, weight };

  g_array_append_val (out, f);
}

static void
emit_ngrams (const gunichar *c,
             guint           n,
             float           weight,
             GArray         *out)
{
  for (guint i = 0; i < n; i++)
    {
      if (c[i] != ' ' && c[i] != BOUNDARY)
        emit (out, mix (1, c[i]), weight);
      if (i + 1 < n)
        emit (out, mix (mix (2, c[i]), c[i + 1]), weight);
      if (i + 2 < n)
        emit (out, mix (mix (mix (3, c[i]), c[i + 1]), c[i + 2]), weight);
    }

  /* Latin words and numbers as wholes: "nba", "iphone", "0g" */
  for (guint i = 0; i < n;)
    {
      guint j = i;
      guint64 h = 4;

      while (j < n && c[j] < 0x80 && g_ascii_isalnum (c[j]))
        h = mix (h, c[j++]);
      if (j - i > 1)
        emit (out, h, weight);
      i = j > i ? j : i + 1;
    }
}

/* The layout of a title: its length and, when spaces cut it into parts,
 * the lengths of the first and the last part, in steps of LAYOUT_BUCKET
 * characters. c[0] and c[n - 1] are the boundary markers. */
static void
emit_layout (const gunichar *c,
             guint           n,
             float           weight,
             GArray         *out)
{
  guint n_parts = 0, first = 0, last = 0;

  for (guint i = 1; i + 1 < n;)
    {
      guint j = i;

      while (j + 1 < n && c[j] != ' ')
        j++;
      if (j > i)
        {
          if (n_parts++ == 0)
            first = j - i;
          last = j - i;
        }
      i = j + 1;
    }
  emit_layout_feature (out, mix (8, (n - 2) / LAYOUT_BUCKET), weight);
  if (n_parts > 1)
    {
      emit_layout_feature (out, mix (9, first / LAYOUT_BUCKET), weight);
      emit_layout_feature (out, mix (10, last / LAYOUT_BUCKET), weight);
    }
}

/* Word unigrams and bigrams of the runs of Han characters, cut into words
 * with the word list; nothing without one. */
static void
emit_words (const gunichar *c,
            guint           n,
            float           weight,
            GArray         *out)
{
  GalleyWords *words = galley_words_get_default ();
  g_autofree guint *ends = NULL;
  guint64 prev = 6;

  if (words == NULL)
    return;
  ends = g_new (guint, n);
  for (guint i = 0; i < n;)
    {
      guint j = i;
      guint n_words;

      if (!galley_cjk_is_han (c[i]))
        {
          if (c[i] == ' ' || c[i] == BOUNDARY)
            prev = 6;
          i++;
          continue;
        }
      while (j < n && galley_cjk_is_han (c[j]))
        j++;
      n_words = galley_words_segment (words, c + i, j - i, ends);
      for (guint w = 0, start = i; w < n_words; start = i + ends[w], w++)
        {
          guint64 h = 6;

          for (guint k = start; k < i + ends[w]; k++)
            h = mix (h, c[k]);
          emit (out, h, weight);
          emit (out, mix (mix (7, prev), h), weight);
          prev = h;
        }
      i = j;
    }
}

/* Fills out with the distinct features of text, summing their weights.
 * Linear in the length of the text. */
static void
extract (const char *text,
         GArray     *out,
         guint64    *text_hash)
{
  const char *nl = strchr (text, '\n');
  gsize title_len = nl != NULL ? (gsize) (nl - text) : strlen (text);
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (Feature));
  g_autofree guint32 *slots = NULL;
  guint n_slots;

  normalise (text, title_len, chars);
  emit_layout ((gunichar *) (void *) chars->data, chars->len, TITLE_WEIGHT, raw);
  emit_ngrams ((gunichar *) (void *) chars->data, chars->len, TITLE_WEIGHT, raw);
  emit_words ((gunichar *) (void *) chars->data, chars->len, TITLE_WEIGHT, raw);

  if (nl != NULL)
    {
      const char *body = nl + 1;
      gsize body_len = strlen (body);

      if (body_len > MAX_BODY_BYTES)
        body_len = (gsize) (g_utf8_find_prev_char (body, body + MAX_BODY_BYTES + 1) - body);
      g_array_set_size (chars, 0);
      normalise (body, body_len, chars);
      if (chars->len > 2)
        {
          emit_ngrams ((gunichar *) (void *) chars->data, chars->len, 1.0f, raw);
          emit_words ((gunichar *) (void *) chars->data, chars->len, 1.0f, raw);
        }
    }

  if (text_hash != NULL)
    {
      guint64 h = 5;

      for (guint i = 0; i < raw->len; i++)
        h = mix (h, g_array_index (raw, Feature, i).hash);
      *text_hash = h;
    }

  /* merge duplicates through a small open-addressing table */
  n_slots = 16;
  while (n_slots < 2 * raw->len)
    n_slots *= 2;
  slots = g_new0 (guint32, n_slots); /* index into out + 1 */
  g_array_set_size (out, 0);
  for (guint i = 0; i < raw->len; i++)
    {
      Feature *f = &g_array_index (raw, Feature, i);
      guint s = f->hash & (n_slots - 1);

      while (slots[s] != 0 && g_array_index (out, Feature, slots[s] - 1).hash != f->hash)
        s = (s + 1) & (n_slots - 1);
      if (slots[s] != 0)
        g_array_index (out, Feature, slots[s] - 1).count += f->count;
      else
        {
          g_array_append_val (out, *f);
          slots[s] = out->len;
        }
    }
}

/* The slot of a feature hash: its own, or the empty one where it would go. */
static inline guint32
find_feature (const GalleyClassifier *self,
              guint32                 hash)
{
  guint32 s = (hash * 0x9e3779b1u) & self->slot_mask;

  while (self->slot_hash[s] != 0 && self->slot_hash[s] != hash)
    s = (s + 1) & self->slot_mask;
  return s;
}

/* Rebuilds the index of features, with self->idf holding the number of
 * examples of each: keeps at most max_features of them, dropping the
 * rarest first (the last seen among equally rare ones), renumbered in
 * order, in as few slots as keep the index at most 70 % full. */
static void
prune_index (GalleyClassifier *self,
             guint             max_features)
{
  g_autofree guint32 *old_hash = self->slot_hash;
  g_autofree guint32 *old_id = self->slot_id;
  g_autofree guint32 *new_id = g_new (guint32, MAX (self->n_features, 1));
  guint32 old_mask = self->slot_mask;
  guint histogram[64] = { 0 };
  guint n_above = self->n_features; /* features of more than `rare` examples */
  guint rare = 0;
  guint quota, n_kept = 0;
  guint n_slots = 1024;

  for (guint f = 0; f < self->n_features; f++)
    histogram[MIN ((guint) self->idf[f], G_N_ELEMENTS (histogram) - 1)]++;
  while (n_above > max_features && rare + 1 < G_N_ELEMENTS (histogram) - 1)
    n_above -= histogram[++rare];
  quota = n_above < max_features ? max_features - n_above : 0;

  for (guint f = 0; f < self->n_features; f++)
    {
      guint n = (guint) self->idf[f];

      new_id[f] = G_MAXUINT32;
      if (n == rare && quota > 0)
        quota--;
      else if (n <= rare)
        continue;
      new_id[f] = n_kept;
      self->idf[n_kept++] = self->idf[f];
    }
  self->n_features = n_kept;

  while (n_slots * 7 < 10 * n_kept)
    n_slots *= 2;
  self->slot_mask = n_slots - 1;
  self->slot_hash = g_new0 (guint32, n_slots);
  self->slot_id = g_new (guint32, n_slots);
  for (guint32 s = 0; s <= old_mask; s++)
    if (old_hash[s] != 0 && new_id[old_id[s]] != G_MAXUINT32)
      {
        guint32 t = find_feature (self, old_hash[s]);

        self->slot_hash[t] = old_hash[s];
        self->slot_id[t] = new_id[old_id[s]];
      }
}

/* The sublinear tf x idf vector of the features the model knows, as
 * feature indices and values; returns how many. The text's features are
 * of unit length, the layout's of length self->layout_weight, apart. */
static guint
vectorise (const GalleyClassifier *self,
           const Feature          *features,
           guint                   n,
           guint32                *ids,
           float                  *values)
{
  double norm[2] = { 0, 0 };
  guint m = 0;

  for (guint i = 0; i < n; i++)
    {
      guint32 s = find_feature (self, features[i].hash);

      if (self->slot_hash[s] == 0)
        continue;
      ids[m] = self->slot_id[s];
      values[m] = (1.0f + logf (features[i].count)) * self->idf[ids[m]];
      norm[(features[i].hash & LAYOUT) != 0] += (double) values[m] * values[m];
      ids[m] |= features[i].hash & LAYOUT; /* taken off below */
      m++;
    }
  norm[0] = norm[0] > 0 ? 1 / sqrt (norm[0]) : 0;
  norm[1] = norm[1] > 0 ? self->layout_weight / sqrt (norm[1]) : 0;
  for (guint i = 0; i < m; i++)
    {
      values[i] *= (float) norm[(ids[i] & LAYOUT) != 0];
      ids[i] &= ~LAYOUT;
    }
  return m;
}

/* In place: scores -> probabilities; entries at -INFINITY get 0. */
static void
softmax (double *s,
         guint   n)
{
  double max = -INFINITY;
  double sum = 0;

  for (guint k = 0; k < n; k++)
    max = MAX (max, s[k]);
  for (guint k = 0; k < n; k++)
    {
      s[k] = isinf (s[k]) && s[k] < 0 ? 0 : exp (s[k] - max);
      sum += s[k];
    }
  for (guint k = 0; k < n; k++)
    s[k] /= sum;
}

/* ------------------------------------------------------------------ object */

static void
clear_example (gpointer data)
{
  Example *ex = data;

  g_free (ex->features);
}

static void
clear_model (GalleyClassifier *self)
{
  self->trained = FALSE;
  self->n_labels = 0;
  self->n_features = 0;
  self->slot_mask = 0;
  g_clear_pointer (&self->slot_hash, g_free);
  g_clear_pointer (&self->slot_id, g_free);
  g_clear_pointer (&self->idf, g_free);
  g_clear_pointer (&self->nb, g_free);
  g_clear_pointer (&self->nb_prior, g_free);
  g_clear_pointer (&self->nb_total, g_free);
  g_clear_pointer (&self->guessed, g_hash_table_unref);
  self->n_guessed = 0;
  g_clear_pointer (&self->weights, g_free);
  g_clear_pointer (&self->bias, g_free);
}

static void
classifier_clear (gpointer data)
{
  GalleyClassifier *self = data;

  clear_model (self);
  g_clear_pointer (&self->label_ids, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->examples, g_array_unref);
  g_clear_pointer (&self->untagged, g_array_unref);
  g_clear_pointer (&self->label_count, g_free);
}

GalleyClassifier *
galley_classifier_new (void)
{
  GalleyClassifier *self = g_atomic_rc_box_new0 (GalleyClassifier);

  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->label_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->examples = g_array_new (FALSE, FALSE, sizeof (Example));
  g_array_set_clear_func (self->examples, clear_example);
  self->untagged = g_array_new (FALSE, FALSE, sizeof (Example));
  g_array_set_clear_func (self->untagged, clear_example);
  return self;
}

GalleyClassifier *
galley_classifier_ref (GalleyClassifier *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
galley_classifier_unref (GalleyClassifier *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, classifier_clear);
}

static guint
intern_label (GalleyClassifier *self,
              const char       *label)
{
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (self->label_ids, label));
  char *copy;

  if (id != 0)
    return id - 1;
  copy = g_strdup (label);
  g_ptr_array_add (self->labels, copy);
  g_hash_table_insert (self->label_ids, copy, GUINT_TO_POINTER (self->labels->len));
  self->label_count = g_renew (guint, self->label_count, self->labels->len);
  self->label_count[self->labels->len - 1] = 0;
  return self->labels->len - 1;
}

void
galley_classifier_add (GalleyClassifier *self,
                       const char       *text,
                       const char       *label)
{
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (Feature));
  Example ex;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL && g_utf8_validate (text, -1, NULL));
  g_return_if_fail (label != NULL && *label != '\0');

  extract (text, features, &ex.text_hash);
  ex.n_features = features->len;
  ex.features = (Feature *) (void *) g_array_free (g_steal_pointer (&features), FALSE);
  ex.label = intern_label (self, label);
  ex.weight = 1;
  self->label_count[ex.label]++;
  g_array_append_val (self->examples, ex);
  self->trained = FALSE;
}

gboolean
galley_classifier_add_untagged (GalleyClassifier *self,
                                const char       *text)
{
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (Feature));
  Example ex = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), FALSE);

  if (self->n_untagged_features >= UNTAGGED_BUDGET)
    return FALSE;
  extract (text, features, &ex.text_hash);
  ex.n_features = features->len;
  ex.features = (Feature *) (void *) g_array_free (g_steal_pointer (&features), FALSE);
  g_array_append_val (self->untagged, ex);
  self->n_untagged_features += ex.n_features;
  self->trained = FALSE;
  return TRUE;
}

gboolean
galley_classifier_remove (GalleyClassifier *self,
                          const char       *text,
                          const char       *label)
{
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (Feature));
  guint id;
  guint64 text_hash;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  id = GPOINTER_TO_UINT (g_hash_table_lookup (self->label_ids, label));
  if (id == 0)
    return FALSE;
  extract (text, features, &text_hash);
  for (guint i = 0; i < self->examples->len; i++)
    {
      Example *ex = &g_array_index (self->examples, Example, i);

      if (ex->label == id - 1 && ex->text_hash == text_hash)
        {
          self->label_count[id - 1]--;
          g_array_remove_index_fast (self->examples, i);
          self->trained = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

void
galley_classifier_reset (GalleyClassifier *self)
{
  g_return_if_fail (self != NULL);

  clear_model (self);
  g_array_set_size (self->examples, 0);
  g_array_set_size (self->untagged, 0);
  self->n_untagged_features = 0;
  g_hash_table_remove_all (self->label_ids);
  g_ptr_array_set_size (self->labels, 0);
  g_clear_pointer (&self->label_count, g_free);
}

guint
galley_classifier_get_n_examples (GalleyClassifier *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->examples->len;
}

gboolean
galley_classifier_is_trained (GalleyClassifier *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->trained;
}

/* ---------------------------------------------------------------- training */

static void
shuffle (guint  *order,
         guint   n,
         GRand  *rand)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
}

/* The naive Bayes scores (NB_WEIGHT x log-likelihood and prior) of example
 * e from the counts of all other examples: self->nb still holds the
 * weighted counts. A label without examples gets -INFINITY. Naive Bayes
 * reads no layout features. */
static void
leave_one_out (const GalleyClassifier *self,
               const Example          *examples,
               guint                   e,
               const gsize            *offsets,
               const guint32          *ids,
               const float            *values,
               const gboolean         *layout,
               const double           *label_total,
               const double           *label_weight,
               double                  total_weight,
               float                  *out)
{
  guint L = self->n_labels;
  guint label = examples[e].label;
  double weight = examples[e].weight;
  double own = 0;

  for (gsize i = offsets[e]; i < offsets[e + 1]; i++)
    if (!layout[ids[i]])
      own += weight * values[i];
  for (guint k = 0; k < L; k++)
    {
      gboolean mine = k == label;
      double others = label_weight[k] - (mine ? weight : 0);
      double denominator = log (label_total[k] - (mine ? own : 0) + NB_ALPHA * self->n_features);
      double score;

      if (self->label_count[k] == 0)
        {
          out[k] = -INFINITY;
          continue;
        }
      score = log ((others + 1.0) / (total_weight - weight + L));
      for (gsize i = offsets[e]; i < offsets[e + 1]; i++)
        {
          double count = self->nb[(gsize) ids[i] * L + k] - (mine ? weight * values[i] : 0);

          if (!layout[ids[i]])
            score += values[i] * (log (MAX (count, 0) + NB_ALPHA) - denominator);
        }
      out[k] = (float) (NB_WEIGHT * score);
    }
}

/* How much the regression may move each feature's weights: the feature's
 * learning rate is scaled by log (labels x max P(label | feature)) (from
 * the weighted counts in self->nb, smoothed), so a feature seen evenly
 * under all labels barely moves, one seen under a single label moves
 * most; scales average 1. Like the log-count ratios of NBSVM (Wang and
 * Manning 2012), but one per feature, for the softmax. */
static float *
feature_scales (const GalleyClassifier *self)
{
  guint L = self->n_labels;
  float *scale = g_new (float, MAX (self->n_features, 1));
  double sum = 0;

  for (guint f = 0; f < self->n_features; f++)
    {
      const float *count = self->nb + (gsize) f * L;
      double total = 0, max = 0;

      for (guint k = 0; k < L; k++)
        {
          total += count[k];
          max = MAX (max, count[k]);
        }
      scale[f] = (float) (log (L * (max + SCALE_ALPHA) / (total + L * SCALE_ALPHA)) + SCALE_FLOOR);
      sum += scale[f];
    }
  for (guint f = 0; f < self->n_features; f++)
    scale[f] *= (float) (self->n_features / sum);
  return scale;
}

/* Fits the model to n_ex examples (tagged, then guessed ones): see the
 * comment at the top. */
static void
fit (GalleyClassifier *self,
     const Example    *examples,
     guint             n_ex)
{
  guint L, n_features, n_slots;
  gsize total = 0;
  g_autofree gsize *offsets = NULL;
  g_autofree guint32 *ids = NULL;
  g_autofree float *values = NULL;
  g_autofree double *label_total = NULL;
  g_autofree double *label_weight = NULL;
  g_autofree float *sum = NULL;
  g_autofree double *bias_sum = NULL;
  g_autofree guint *order = NULL;
  g_autofree double *scores = NULL;
  g_autofree float *nb_scores = NULL;
  g_autofree float *scale = NULL;
  g_autofree float *scaled = NULL;
  g_autofree gboolean *layout = NULL;
  g_autoptr(GRand) rand = NULL;
  double step = 1;
  double total_weight = 0;

  clear_model (self);
  L = self->labels->len;
  self->n_labels = L;
  for (guint e = 0; e < n_ex; e++)
    total += examples[e].n_features;

  /* index the distinct features, counting the examples holding each */
  n_slots = 1024;
  while (n_slots < 2 * total)
    n_slots *= 2;
  self->slot_mask = n_slots - 1;
  self->slot_hash = g_new0 (guint32, n_slots);
  self->slot_id = g_new (guint32, n_slots);
  self->idf = g_new0 (float, total);
  n_features = 0;
  for (guint e = 0; e < n_ex; e++)
    {
      const Example *ex = &examples[e];

      for (guint i = 0; i < ex->n_features; i++)
        {
          guint32 s = find_feature (self, ex->features[i].hash);

          if (self->slot_hash[s] == 0)
            {
              self->slot_hash[s] = ex->features[i].hash;
              self->slot_id[s] = n_features++;
            }
          self->idf[self->slot_id[s]] += 1;
        }
    }
  self->n_features = n_features;
  prune_index (self, MODEL_BUDGET / L);
  n_features = self->n_features;
  self->idf = g_renew (float, self->idf, MAX (n_features, 1));
  for (guint f = 0; f < n_features; f++)
    self->idf[f] = (float) (log ((n_ex + 1.0) / (self->idf[f] + 1.0)) + 1.0);
  layout = g_new0 (gboolean, MAX (n_features, 1));
  for (guint32 s = 0; s <= self->slot_mask; s++)
    if (self->slot_hash[s] & LAYOUT)
      layout[self->slot_id[s]] = TRUE;
  self->layout_weight = LAYOUT_WEIGHT * n_ex / (n_ex + LAYOUT_EXAMPLES);

  /* every example's vector, once */
  offsets = g_new (gsize, n_ex + 1);
  ids = g_new (guint32, total);
  values = g_new (float, total);
  offsets[0] = 0;
  for (guint e = 0; e < n_ex; e++)
    {
      const Example *ex = &examples[e];

      offsets[e + 1] = offsets[e] + vectorise (self, ex->features, ex->n_features,
                                               ids + offsets[e], values + offsets[e]);
    }

  /* naive Bayes: weighted counts first (of the layout features too, for
   * their scales), then every example's scores without its own counts,
   * then the smoothed logarithms (0 for the layout) */
  self->nb = g_new0 (float, (gsize) n_features * L);
  label_total = g_new0 (double, L);
  label_weight = g_new0 (double, L);
  for (guint e = 0; e < n_ex; e++)
    {
      guint k = examples[e].label;
      float weight = examples[e].weight;

      label_weight[k] += weight;
      total_weight += weight;
      for (gsize i = offsets[e]; i < offsets[e + 1]; i++)
        {
          self->nb[(gsize) ids[i] * L + k] += weight * values[i];
          if (!layout[ids[i]])
            label_total[k] += weight * values[i];
        }
    }
  scale = feature_scales (self);
  scaled = g_new (float, total);
  for (gsize i = 0; i < offsets[n_ex]; i++)
    scaled[i] = values[i] * scale[ids[i]];
  nb_scores = g_new (float, (gsize) n_ex * L);
  for (guint e = 0; e < n_ex; e++)
    leave_one_out (self, examples, e, offsets, ids, values, layout, label_total, label_weight,
                   total_weight, nb_scores + (gsize) e * L);
  self->nb_prior = g_new (float, L);
  self->nb_total = g_new (double, L);
  for (guint k = 0; k < L; k++)
    {
      double denominator;

      self->nb_total[k] = label_total[k] + NB_ALPHA * n_features;
      denominator = log (self->nb_total[k]);
      self->nb_prior[k] = self->label_count[k] > 0
                          ? (float) (NB_WEIGHT * log ((label_weight[k] + 1.0) / (total_weight + L)))
                          : -INFINITY;
      for (guint f = 0; f < n_features; f++)
        {
          float *count = &self->nb[(gsize) f * L + k];

          *count = layout[f] ? 0 : (float) (NB_WEIGHT * (log (*count + NB_ALPHA) - denominator));
        }
    }

  /* softmax regression over the scaled features, averaged SGD: the
   * average of the weights over all steps is weights - sum / step, where
   * sum adds step x each update; then scaled back to the plain features */
  self->weights = g_new0 (float, (gsize) n_features * L);
  self->bias = g_new0 (float, L);
  sum = g_new0 (float, (gsize) n_features * L);
  bias_sum = g_new0 (double, L);
  scores = g_new (double, L);
  order = g_new (guint, n_ex);
  for (guint e = 0; e < n_ex; e++)
    order[e] = e;
  rand = g_rand_new_with_seed (20240521);

  for (guint epoch = 0; epoch < LR_EPOCHS; epoch++)
    {
      shuffle (order, n_ex, rand);
      for (guint q = 0; q < n_ex; q++, step++)
        {
          guint e = order[q];
          guint label = examples[e].label;
          double weight = examples[e].weight;

          for (guint k = 0; k < L; k++)
            scores[k] = self->bias[k] + nb_scores[(gsize) e * L + k];
          for (gsize i = offsets[e]; i < offsets[e + 1]; i++)
            {
              const float *w = self->weights + (gsize) ids[i] * L;

              for (guint k = 0; k < L; k++)
                scores[k] += scaled[i] * w[k];
            }
          softmax (scores, L);
          scores[label] -= 1;

          for (guint k = 0; k < L; k++)
            {
              double g = LR_RATE * weight * scores[k];

              if (fabs (g) < 1e-7)
                continue;
              self->bias[k] -= (float) (LR_BIAS_RATE * g);
              bias_sum[k] -= step * LR_BIAS_RATE * g;
            }
          for (gsize i = offsets[e]; i < offsets[e + 1]; i++)
            {
              float *w = self->weights + (gsize) ids[i] * L;
              float *s = sum + (gsize) ids[i] * L;

              for (guint k = 0; k < L; k++)
                {
                  float d = (float) (LR_RATE * weight * scores[k]) * scaled[i];

                  w[k] -= d;
                  s[k] -= (float) step * d;
                }
            }
        }
    }
  for (gsize i = 0; i < (gsize) n_features * L; i++)
    self->weights[i] = (self->weights[i] - sum[i] / (float) step) * scale[i / L];
  for (guint k = 0; k < L; k++)
    self->bias[k] -= (float) (bias_sum[k] / step);
}

/* The confidence in each label of a text with these features: the
 * softmax of the scores, less the share of labels learnt from few
 * examples (see galley_classifier_suggest()). An untagged text the model
 * learnt from is left out of the naive Bayes counts of the label it was
 * given, or it would only hear its own guess again (its prior keeps it:
 * half an example against ten tagged ones or more changes it by 0.01 at
 * most). */
static void
confidences (const GalleyClassifier *self,
             const Feature          *features,
             guint                   n_features,
             guint64                 text_hash,
             double                  *out)
{
  g_autofree guint32 *ids = g_new (guint32, MAX (n_features, 1));
  g_autofree float *values = g_new (float, MAX (n_features, 1));
  guint L = self->n_labels;
  guint n = vectorise (self, features, n_features, ids, values);
  guint u = self->guessed != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->guessed, &text_hash)) : 0;
  const Example *own = u > 0 ? &g_array_index (self->untagged, Example, u - 1) : NULL;
  double own_total = 0, without = 0;

  for (guint k = 0; k < L; k++)
    out[k] = (double) self->nb_prior[k] + self->bias[k];
  for (guint i = 0; i < n; i++)
    {
      const float *w = self->weights + (gsize) ids[i] * L;
      const float *p = self->nb + (gsize) ids[i] * L;

      for (guint k = 0; k < L; k++)
        out[k] += values[i] * ((double) w[k] + p[k]);
      /* the layout's entries are 0: naive Bayes does not read it */
      if (own != NULL && p[own->label] != 0)
        own_total += own->weight * values[i];
    }
  if (own != NULL)
    {
      guint g = own->label;
      double log_total = log (self->nb_total[g]);
      double log_without = log (self->nb_total[g] - own_total);

      for (guint i = 0; i < n; i++)
        {
          double p = self->nb[(gsize) ids[i] * L + g];
          double count;

          if (p == 0)
            continue;
          count = exp (p / NB_WEIGHT + log_total) - NB_ALPHA - own->weight * values[i];
          without += values[i] * (NB_WEIGHT * (log (MAX (count, 0) + NB_ALPHA) - log_without) - p);
        }
      out[g] += without;
    }
  for (guint k = 0; k < L; k++)
    out[k] *= self->sharpness;
  softmax (out, L);
  for (guint k = 0; k < L; k++)
    out[k] = CLAMP (out[k] * self->label_count[k] / (self->label_count[k] + FEW_EXAMPLES), 0.0, 1.0);
}

void
galley_classifier_train (GalleyClassifier *self)
{
  guint n_ex;
  g_autoptr(GArray) all = NULL;
  g_autofree double *p = NULL;

  g_return_if_fail (self != NULL);

  if (self->trained)
    return;
  clear_model (self);
  n_ex = self->examples->len;
  if (n_ex == 0)
    return;
  fit (self, (Example *) (void *) self->examples->data, n_ex);
  self->sharpness = SHARPNESS;

  /* self-training: the untagged texts the model is sure of become
   * examples of their best label, worth less than a tagged one */
  if (self->untagged->len > 0)
    {
      g_autoptr(GHashTable) guessed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

      all = g_array_sized_new (FALSE, FALSE, sizeof (Example), n_ex + self->untagged->len);
      g_array_append_vals (all, self->examples->data, n_ex);
      p = g_new (double, self->n_labels);
      for (guint u = 0; u < self->untagged->len; u++)
        {
          Example *ex = &g_array_index (self->untagged, Example, u);
          guint best = 0;

          confidences (self, ex->features, ex->n_features, 0, p);
          for (guint k = 1; k < self->n_labels; k++)
            if (p[k] > p[best])
              best = k;
          /* the same text twice (an article imported twice) is learnt once */
          if (p[best] < GUESS_MIN || self->label_count[best] < GUESS_MIN_EXAMPLES ||
              g_hash_table_contains (guessed, &ex->text_hash))
            continue;
          ex->label = best;
          ex->weight = GUESS_WEIGHT;
          g_array_append_val (all, *ex);
          g_hash_table_insert (guessed, g_memdup2 (&ex->text_hash, sizeof (guint64)), GUINT_TO_POINTER (u + 1));
        }
      if (all->len > n_ex)
        {
          fit (self, (Example *) (void *) all->data, all->len);
          self->sharpness = GUESS_SHARPNESS;
          self->guessed = g_steal_pointer (&guessed);
          self->n_guessed = all->len - n_ex;
        }
    }
  self->trained = TRUE;
}

/* -------------------------------------------------------------- suggesting */

static int
compare_suggestions (gconstpointer a,
                     gconstpointer b)
{
  const GalleySuggestion *x = *(GalleySuggestion * const *) a;
  const GalleySuggestion *y = *(GalleySuggestion * const *) b;

  if (x->confidence != y->confidence)
    return x->confidence > y->confidence ? -1 : 1;
  return strcmp (x->label, y->label);
}

GPtrArray *
galley_classifier_suggest (GalleyClassifier *self,
                           const char       *text,
                           guint             max_suggestions)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_suggestion_free);
  g_autoptr(GArray) features = NULL;
  g_autofree double *scores = NULL;
  guint64 text_hash;
  guint L;

  g_return_val_if_fail (self != NULL, result);
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), result);

  galley_classifier_train (self);
  if (!self->trained || max_suggestions == 0)
    return result;

  L = self->n_labels;
  features = g_array_new (FALSE, FALSE, sizeof (Feature));
  extract (text, features, &text_hash);
  scores = g_new (double, L);
  confidences (self, (Feature *) (void *) features->data, features->len, text_hash, scores);

  for (guint k = 0; k < L; k++)
    {
      GalleySuggestion *s;

      if (self->label_count[k] == 0)
        continue;
      s = g_new (GalleySuggestion, 1);
      s->label = g_strdup (g_ptr_array_index (self->labels, k));
      s->confidence = scores[k];
      g_ptr_array_add (result, s);
    }
  g_ptr_array_sort (result, compare_suggestions);
  if (result->len > max_suggestions)
    g_ptr_array_set_size (result, max_suggestions);
  return result;
}

guint
galley_classifier_get_n_guessed (GalleyClassifier *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->trained ? self->n_guessed : 0;
}

gsize
galley_classifier_get_memory_size (GalleyClassifier *self)
{
  gsize size;

  g_return_val_if_fail (self != NULL, 0);

  size = sizeof *self + self->examples->len * sizeof (Example);
  for (guint e = 0; e < self->examples->len; e++)
    size += g_array_index (self->examples, Example, e).n_features * sizeof (Feature);
  size += self->untagged->len * sizeof (Example);
  for (guint e = 0; e < self->untagged->len; e++)
    size += g_array_index (self->untagged, Example, e).n_features * sizeof (Feature);
  for (guint k = 0; k < self->labels->len; k++)
    size += strlen (g_ptr_array_index (self->labels, k)) + 1 + sizeof (guint) + 4 * sizeof (gpointer);
  if (self->trained)
    size += (self->slot_mask + 1) * 2 * sizeof (guint32) +
            self->n_features * sizeof (float) * (1 + 2 * (gsize) self->n_labels) +
            self->n_labels * (2 * sizeof (float) + sizeof (double)) +
            self->n_guessed * (sizeof (guint64) + 4 * sizeof (gpointer));
  return size;
}

/* ------------------------------------------------------------------- files */

typedef gboolean (*LineFunc) (const char *text,
                              const char *label,
                              gpointer    user_data);

static gboolean
read_labelled (const char  *path,
               LineFunc     func,
               gpointer     user_data,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = g_filename_display_name (path);
  gsize length;
  guint line_no = 0;
  guint n_examples = 0;
  char *line;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  line = contents;
  while (line < contents + length)
    {
      char *end = memchr (line, '\n', (gsize) (contents + length - line));
      char *next = end != NULL ? end + 1 : contents + length;
      char *tab;

      if (end == NULL)
        end = contents + length;
      line_no++;
      if (end > line && end[-1] == '\r')
        end--;
      *end = '\0';

      if (*line != '\0')
        {
          if (!g_utf8_validate (line, end - line, NULL))
            {
              g_set_error (error, GALLEY_CLASSIFY_ERROR, GALLEY_CLASSIFY_ERROR_PARSE,
                           /* Translators: %s is a file name, %u a line number */
                           _("%s:%u: the line is not valid UTF-8 text"),
                           display, line_no);
              return FALSE;
            }
          tab = strrchr (line, '\t');
          if (tab == NULL || tab == line || tab[1] == '\0')
            {
              g_set_error (error, GALLEY_CLASSIFY_ERROR, GALLEY_CLASSIFY_ERROR_PARSE,
                           /* Translators: %s is a file name, %u a line number */
                           _("%s:%u: expected a text, a tab and a label"),
                           display, line_no);
              return FALSE;
            }
          *tab = '\0';
          if (!func (line, tab + 1, user_data))
            return FALSE;
          n_examples++;
        }
      line = next;
    }

  if (n_examples == 0)
    {
      g_set_error (error, GALLEY_CLASSIFY_ERROR, GALLEY_CLASSIFY_ERROR_EMPTY,
                   /* Translators: %s is a file name */
                   _("%s: no labelled lines"), display);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_line_cb (const char *text,
             const char *label,
             gpointer    user_data)
{
  galley_classifier_add (user_data, text, label);
  return TRUE;
}

gboolean
galley_classifier_add_file (GalleyClassifier *self,
                            const char       *path,
                            GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return read_labelled (path, add_line_cb, self, error);
}

typedef struct {
  GalleyClassifier *classifier;
  guint             total;
  guint             correct;
} Evaluation;

static gboolean
evaluate_line_cb (const char *text,
                  const char *label,
                  gpointer    user_data)
{
  Evaluation *eval = user_data;
  g_autoptr(GPtrArray) top = galley_classifier_suggest (eval->classifier, text, 1);

  eval->total++;
  if (top->len > 0 && strcmp (((GalleySuggestion *) top->pdata[0])->label, label) == 0)
    eval->correct++;
  return TRUE;
}

double
galley_classifier_evaluate_files (const char  *train_tsv,
                                  const char  *test_tsv,
                                  GError     **error)
{
  g_autoptr(GalleyClassifier) classifier = galley_classifier_new ();
  Evaluation eval = { classifier, 0, 0 };

  g_return_val_if_fail (train_tsv != NULL, -1);
  g_return_val_if_fail (test_tsv != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!galley_classifier_add_file (classifier, train_tsv, error))
    return -1;
  galley_classifier_train (classifier);
  if (!read_labelled (test_tsv, evaluate_line_cb, &eval, error))
    return -1;
  return (double) eval.correct / eval.total;
}
