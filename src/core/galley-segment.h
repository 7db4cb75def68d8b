/* galley-segment.h: split an OCR'd page into articles and read their metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  GALLEY_HEADLINES_UNKNOWN,
  GALLEY_HEADLINES_BEFORE, /* headline block precedes its body */
  GALLEY_HEADLINES_AFTER,  /* headline block follows its body */
} GalleyHeadlinePosition;

typedef struct {
  /* The article's slice of the page: page[start, end). Slices are in page
   * order, never overlap, and together cover the whole page. */
  gsize   start;
  gsize   end;

  char   *kicker;          /* "" when absent, never NULL */
  char   *title;
  char   *subtitle;
  char   *byline;          /* the dateline/byline prefix, e.g. "本报济宁讯（记者 刘菲）" */
  char   *place;           /* dateline place ("济宁"), "" when absent */
  char  **reporters;       /* NULL-terminated, may be empty */
  char  **correspondents;
  char   *date_text;       /* as printed ("4月10日"), "" when absent */
  char   *date;            /* ISO 8601 "YYYY-MM-DD", NULL when the year is unknown */
  char  **captions;        /* photo captions, raw OCR text */
  char  **intertitles;     /* intertitles, raw OCR text */

  /* The body as raw OCR text: the slice without its headline lines and
   * captions, exactly as printed (hard line breaks kept). This is what the
   * clean-up runs on. */
  char   *body;
} GalleySegment;

typedef struct {
  GalleyHeadlinePosition headline_position;
  GPtrArray             *segments; /* of GalleySegment*, in page order */
} GalleyPage;

/* page: valid UTF-8 with '\n' line ends. year: the year to resolve dates
 * with (from the text, the file name or the user), 0 when unknown; a year
 * printed on the page wins. file_name may be NULL; a year in it is used
 * when year is 0. */
GalleyPage *galley_segment_page      (const char *page,
                                      gssize      len,
                                      const char *file_name,
                                      int         year);
void        galley_page_free         (GalleyPage *page);
void        galley_segment_free      (GalleySegment *segment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyPage, galley_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleySegment, galley_segment_free)

G_END_DECLS
