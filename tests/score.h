/* score.h: character error rate of exported articles against gold files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *title;
  char *body;   /* paragraphs joined by '\n' */
} ScoreGoldArticle;

typedef struct {
  char      *source;   /* the page file name */
  GPtrArray *articles; /* of ScoreGoldArticle*, in page order */
} ScoreGold;

typedef struct {
  char *source_file;
  char *title;
  char *body;
  char *original;
} ScoreExport;

typedef struct {
  guint gold_articles;
  guint found;          /* gold articles exported as exactly one article */
  guint titles_matched;
  gsize gold_chars;     /* characters of the gold texts (title + body) */
  gsize raw_distance;   /* raw OCR of the paired articles to gold */
  gsize clean_distance; /* exported text of the paired articles to gold */
} ScorePage;

/* Levenshtein distance over Unicode code points, O(min) memory. */
gsize       score_distance         (const char  *a,
                                    gssize       alen,
                                    const char  *b,
                                    gssize       blen);
/* How many character bigrams of `part` also occur in `whole`, and how
 * many bigrams `part` has. */
gsize       score_overlap          (const char  *part,
                                    const char  *whole,
                                    gsize       *n_part);

ScoreGold  *score_gold_load        (const char  *path,
                                    GError     **error);
void        score_gold_free        (ScoreGold   *gold);
/* Reads a JSON Lines export: one object per line with source_file, title,
 * body and original. Returns a GPtrArray of ScoreExport*. */
GPtrArray  *score_export_load      (const char  *path,
                                    GError     **error);
void        score_export_free      (ScoreExport *export);

/* Pairs each gold article with the exported article of the same page whose
 * body overlaps it most, and scores the page. */
void        score_page             (const ScoreGold *gold,
                                    GPtrArray       *exports,
                                    ScorePage       *page);
/* Share of the raw-to-gold distance removed, 0..1. */
double      score_removed          (const ScorePage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScoreGold, score_gold_free)

G_END_DECLS
