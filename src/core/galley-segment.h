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

/* The role of one line of a segment's slice. */
typedef enum {
  GALLEY_LINE_BODY,     /* part of the body */
  GALLEY_LINE_BLANK,    /* a blank line outside the body (before or after it) */
  GALLEY_LINE_KICKER,
  GALLEY_LINE_TITLE,
  GALLEY_LINE_SUBTITLE,
  GALLEY_LINE_CAPTION,
} GalleyLineRole;

/* One line of a slice: page[start, end), '\n' included when present. */
typedef struct {
  gsize          start;
  gsize          end;
  GalleyLineRole role;
} GalleyLine;

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

  /* The slice line by line, in page order, covering [start, end): body is
   * the concatenation of the GALLEY_LINE_BODY lines, so body offset and
   * page offset map onto each other through it. The editor operations
   * below work on these roles. */
  GArray *lines;           /* of GalleyLine */
} GalleySegment;

typedef struct {
  GalleyHeadlinePosition headline_position;
  GPtrArray             *segments; /* of GalleySegment*, in page order */
  int                    year;     /* the year dates were resolved with, 0 if unknown */
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

/* The place and the names of a byline as the segmentation reads them
 * (本报济宁讯（记者 刘菲 通讯员 段亚洲）, ■本报记者 刘菲 曹俐), for a
 * byline an editor changed; "" and empty lists when it names nobody. */
void        galley_byline_parse      (const char   *byline,
                                      char        **place,
                                      char       ***reporters,
                                      char       ***correspondents);

/* Editor operations. They are pure: the segments passed in are left
 * unchanged and new segments are returned; `page`/`len` is the page text
 * the segments were cut from and `year` the page's year (GalleyPage.year).
 * Metadata (byline, date, intertitles, ...) is read again from the text. */

/* Split at a byte offset of segment->body (snapped back to a character
 * boundary): the first half ends and the second begins right there; headline
 * lines and captions stay with the half that holds them. FALSE (and the
 * out arguments untouched) when the offset is at the start of the body or
 * at/after its end. */
gboolean       galley_segment_split    (const char           *page,
                                        gssize                len,
                                        const GalleySegment  *segment,
                                        gsize                 body_offset,
                                        int                   year,
                                        GalleySegment       **first,
                                        GalleySegment       **second);
/* Join a segment with the one right after it (first->end == second->start). */
GalleySegment *galley_segment_merge    (const char           *page,
                                        gssize                len,
                                        const GalleySegment  *first,
                                        const GalleySegment  *second,
                                        int                   year);
/* Give the line holding page[page_offset] a new role: move a body line into
 * the headline (GALLEY_LINE_KICKER/TITLE/SUBTITLE), make it a caption, or
 * move it back into the body (GALLEY_LINE_BODY). NULL when the offset is
 * outside the slice. */
GalleySegment *galley_segment_set_line_role (const char          *page,
                                             gssize               len,
                                             const GalleySegment *segment,
                                             gsize                page_offset,
                                             GalleyLineRole       role,
                                             int                  year);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyPage, galley_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleySegment, galley_segment_free)

G_END_DECLS
