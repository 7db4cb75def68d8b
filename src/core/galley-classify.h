/* galley-classify.h: topic suggestions learnt from the articles editors tagged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GALLEY_CLASSIFY_ERROR (galley_classify_error_quark ())

typedef enum {
  GALLEY_CLASSIFY_ERROR_PARSE, /* a line of a labelled file is not `text<TAB>label` */
  GALLEY_CLASSIFY_ERROR_EMPTY, /* a labelled file holds no example */
} GalleyClassifyError;

GQuark galley_classify_error_quark (void);

typedef struct {
  char   *label;
  double  confidence; /* estimated probability that `label` is the article's topic, 0..1 */
} GalleySuggestion;

void galley_suggestion_free (GalleySuggestion *suggestion);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleySuggestion, galley_suggestion_free)

/* A classifier over character uni-, bi- and trigrams and, with the
 * installed word list (galley_words_get_default()), word uni- and bigrams
 * (all hashed): naive Bayes, and a softmax regression that starts from
 * the naive Bayes scores and learns their corrections.
 *
 * Article text is the title, a newline, then the body; the title counts
 * twice as much as the body, and only the first few thousand characters
 * are read.
 *
 * Threads: the object is reference-counted (ref/unref are atomic), but
 * add(), remove(), reset() and train() change it and must not run while
 * any other call on the same classifier runs. suggest() only reads the
 * model once it is trained and unchanged since (galley_classifier_is_trained()),
 * and then may run from several threads at once. The intended pattern:
 * fill and train a new classifier in a worker thread, then hand it to the
 * main thread and drop the old one. */
typedef struct _GalleyClassifier GalleyClassifier;

GalleyClassifier *galley_classifier_new             (void);
GalleyClassifier *galley_classifier_ref             (GalleyClassifier *self);
void              galley_classifier_unref           (GalleyClassifier *self);

/* Adds one labelled example; an article with several labels is added once
 * per label. Cheap: the model is fitted by train(). */
void              galley_classifier_add             (GalleyClassifier *self,
                                                     const char       *text,
                                                     const char       *label);
/* Adds a text no one has tagged: train() guesses the labels of the
 * untagged texts it is sure of and learns from them too (self-training).
 * reset() forgets them. FALSE, and the text is not added, once the
 * untagged texts fill the memory set aside for them (about 1.5 million
 * features: 25,000 headlines or 400 articles of 1,000 characters). */
gboolean          galley_classifier_add_untagged    (GalleyClassifier *self,
                                                     const char       *text);
/* Removes one example added earlier with the same text and label;
 * FALSE when there is none. */
gboolean          galley_classifier_remove          (GalleyClassifier *self,
                                                     const char       *text,
                                                     const char       *label);
void              galley_classifier_reset           (GalleyClassifier *self);
guint             galley_classifier_get_n_examples  (GalleyClassifier *self);

/* Fits the model to the examples added so far: about 0.5 s for 8,000
 * headlines, 1.1 s with 2,000 untagged ones more. Does nothing when the
 * model is already up to date. */
void              galley_classifier_train           (GalleyClassifier *self);
gboolean          galley_classifier_is_trained      (GalleyClassifier *self);

/* Returns at most max_suggestions GalleySuggestion*, highest confidence
 * first; the confidences of all labels sum to at most 1 (a label learnt
 * from n examples gives up 2 / (n + 2) of its share: the article may be of
 * a topic no one has tagged yet). Empty when no example was
 * added. Trains first if examples changed since the last train(). */
GPtrArray        *galley_classifier_suggest         (GalleyClassifier *self,
                                                     const char       *text,
                                                     guint             max_suggestions);

/* The untagged texts the model learnt from as guesses at its last train(). */
guint             galley_classifier_get_n_guessed   (GalleyClassifier *self);

/* Bytes held by the model and its examples. */
gsize             galley_classifier_get_memory_size (GalleyClassifier *self);

/* Reads `text<TAB>label` lines (blank lines skipped) into the classifier. */
gboolean          galley_classifier_add_file        (GalleyClassifier *self,
                                                     const char       *path,
                                                     GError          **error);

/* Trains a fresh classifier on train_tsv only and returns the share of
 * lines of test_tsv whose first suggestion is their label; -1 on error. */
double            galley_classifier_evaluate_files  (const char       *train_tsv,
                                                     const char       *test_tsv,
                                                     GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyClassifier, galley_classifier_unref)

G_END_DECLS
