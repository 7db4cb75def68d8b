/* galley-article-data.h: one article as the exporters and the CLI see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "galley-clean.h"

G_BEGIN_DECLS

typedef enum {
  GALLEY_CHANGE_PENDING,
  GALLEY_CHANGE_ACCEPTED,
  GALLEY_CHANGE_REJECTED,
} GalleyChangeState;

/* A plain snapshot of one article, filled by the store. Strings are never
 * NULL except `date` (NULL when unresolved); string arrays are
 * NULL-terminated and may be empty. */
typedef struct {
  gint64     id;
  char      *source_file;    /* file name as imported, e.g. "000_633e.txt" */
  guint      position;       /* 0-based order of the article on its page */
  char      *kicker;
  char      *title;
  char      *subtitle;
  char      *byline;
  char      *place;
  char     **reporters;
  char     **correspondents;
  char      *date;           /* ISO 8601 or NULL */
  char      *body;           /* current clean text, paragraphs separated by a single '\n' */
  char      *original;       /* the raw OCR slice of the page */
  char     **captions;
  char     **intertitles;    /* paragraphs of body that are intertitles */
  char     **tags;           /* tag names */
  char     **tag_codes;      /* IPTC Media Topic codes of those tags ("medtop:04000000"), may be empty */
  char      *status;         /* "to-proofread", "proofread" or "approved" */
  GDateTime *imported;
  GDateTime *modified;
  GPtrArray *changes;        /* of GalleyChange*; may be NULL when not loaded */
  GArray    *change_states;  /* of GalleyChangeState, parallel to changes */
} GalleyArticleData;

GalleyArticleData *galley_article_data_new  (void);
void               galley_article_data_free (GalleyArticleData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyArticleData, galley_article_data_free)

G_END_DECLS
