/* galley-clean.h: the OCR clean-up rule pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "galley-confusion.h"

G_BEGIN_DECLS

/* Each rule can be switched on and off on its own. */
typedef enum {
  GALLEY_RULE_LINE_JOIN      = 1 << 0, /* join hard line breaks inside a paragraph */
  GALLEY_RULE_PARAGRAPH_JOIN = 1 << 1, /* rejoin paragraphs cut by a column/page break */
  GALLEY_RULE_DUPLICATE      = 1 << 2, /* remove doubled fragments / repeated line starts */
  GALLEY_RULE_PUNCTUATION    = 1 << 3, /* half-width -> full-width in Chinese context, paired quotes */
  GALLEY_RULE_SPACES         = 1 << 4, /* stray spaces in Chinese text */
  GALLEY_RULE_CONFUSION      = 1 << 5, /* flag OCR character confusions (never applied) */
} GalleyRule;

#define GALLEY_RULES_ALL ((GalleyRule) 0x3f)
#define GALLEY_N_RULES 6

typedef enum {
  GALLEY_CHANGE_EDIT,    /* applied: `before` in the original became `after` in the clean text */
  GALLEY_CHANGE_SUSPECT, /* flagged only: the clean text still holds `before`; `after` is the suggestion */
} GalleyChangeKind;

typedef struct {
  GalleyRule       rule;
  GalleyChangeKind kind;
  gsize            orig_start;  /* byte span in the original text */
  gsize            orig_end;
  gsize            clean_start; /* byte span in the clean text */
  gsize            clean_end;
  char            *before;      /* original[orig_start, orig_end) */
  char            *after;       /* clean[clean_start, clean_end) for edits; the suggested reading for suspects */
  double           confidence;  /* 1.0 for edits; 0..1 for suspects */
} GalleyChange;

typedef struct {
  char      *text;    /* the clean text, valid UTF-8, paragraphs separated by a single '\n' */
  GPtrArray *changes; /* of GalleyChange*, sorted by orig_start, spans never overlap */
} GalleyCleanResult;

/* Stable, untranslated identifiers ("line-join", "paragraph-join",
 * "duplicate", "punctuation", "spaces", "confusion") used in the database,
 * the CLI flags and GSettings. */
const char        *galley_rule_to_id         (GalleyRule rule);
GalleyRule         galley_rule_from_id       (const char *id); /* 0 if unknown */
/* Translated, human-readable rule name for the window. */
const char        *galley_rule_get_label     (GalleyRule rule);

/* Cleans an article body (usually starting with its dateline).
 *
 * text must be valid UTF-8 with '\n' line ends: the caller validates
 * (g_utf8_validate, or g_utf8_make_valid on import); invalid text is
 * refused with a critical warning and NULL. len may be -1 when text is
 * nul-terminated. confusions may be NULL (then GALLEY_RULE_CONFUSION finds
 * nothing); suspects are looked for in the clean text and reported with
 * their span in both texts (a suspect that straddles an edit is dropped).
 *
 * The clean text holds one paragraph per line, separated by a single
 * '\n', with no blank lines and no leading or trailing whitespace.
 * Cleaning a clean text changes nothing. Runs in linear time. */
GalleyCleanResult *galley_clean              (const char       *text,
                                              gssize            len,
                                              GalleyRule        rules,
                                              GalleyConfusions *confusions);
void               galley_clean_result_free  (GalleyCleanResult *result);

/* Cleans one headline line (kicker, title or subtitle): line breaks are
 * joined, punctuation is made full-width, doubled fragments are removed,
 * stray spaces are removed, but single spaces separating the parts of the
 * headline ("优服务 解难题 求突破") stay. Same contract as galley_clean(),
 * GALLEY_RULE_PARAGRAPH_JOIN and GALLEY_RULE_CONFUSION are ignored. */
GalleyCleanResult *galley_clean_headline     (const char       *text,
                                              gssize            len,
                                              GalleyRule        rules);

/* The changes galley_clean() returns may keep before and after in the
 * same allocation as the struct: free them only with galley_change_free(),
 * and to replace a string, work on a galley_change_copy(). */
GalleyChange      *galley_change_copy        (const GalleyChange *change);
void               galley_change_free        (GalleyChange *change);

/* Rebuilds a text from the original, applying only the edits for which
 * accepted[i] is TRUE (i indexes result->changes; suspects are applied when
 * accepted, as their suggestion). With every edit accepted this returns
 * result->text; with none, the original byte for byte. accepted may be
 * NULL: every edit accepted, no suspect. Changes must be sorted by
 * orig_start and must not overlap (as galley_clean() returns them). */
char              *galley_clean_apply        (const char         *original,
                                              const GPtrArray    *changes,
                                              const gboolean     *accepted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyCleanResult, galley_clean_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyChange, galley_change_free)

G_END_DECLS
