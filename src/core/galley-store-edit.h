/* galley-store-edit.h: editing an article in the archive: saves, revisions,
 * change review, find and replace, known corrections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "galley-confusion.h"
#include "galley-store.h"

G_BEGIN_DECLS

/* The change model
 * ----------------
 * Each change the clean-up made (or flagged) keeps a span in the article's
 * *current* body: GalleyChange.clean_start/clean_end, in bytes. What that
 * span holds follows from the kind and the state (see
 * galley_tracked_change_expected()):
 *
 *   edit,    pending or accepted  -> `after`  (the clean-up's text)
 *   edit,    rejected             -> `before` (the OCR text, put back)
 *   suspect, pending or rejected  -> `before` (the text as read)
 *   suspect, accepted             -> `after`  (the suggested reading)
 *
 * Accepting or rejecting a change replaces its span with the text of the
 * new state and moves the spans after it; the editor's typing moves spans
 * the same way (the window tracks them while the editor types). A save
 * checks every span against the body: a pending change whose span no longer
 * holds its text was overwritten by the editor and is dropped (the editor
 * decided by hand); a resolved change keeps its span. So a change is never
 * applied twice and the `pending` column always counts the pending rows.
 *
 * Every save that changes the text or a field writes a revision (origin
 * 'editor') with a snapshot of the changes; restoring a revision writes a
 * new revision equal to it, changes included. The import's two revisions
 * (origins 'ocr' and 'clean') are the article's own texts and changes
 * until its first write, which stores their texts and snapshots first, so
 * a change the editor later typed over still comes back with them. The
 * OCR original (body_original) is never written. */

typedef struct {
  gint64             id;     /* row id in the changes table; 0 for none */
  GalleyChangeState  state;
  GalleyChange      *change; /* clean_start/clean_end: the span in the current body */
} GalleyTrackedChange;

GalleyTrackedChange *galley_tracked_change_copy     (const GalleyTrackedChange *tracked);
void                 galley_tracked_change_free     (GalleyTrackedChange *tracked);
/* The text the span holds in this state (see above). */
const char          *galley_tracked_change_expected (const GalleyTrackedChange *tracked,
                                                     GalleyChangeState          state);

/* Replaces body[start, end) with text and moves the spans of changes (of
 * GalleyTrackedChange*, may be NULL): spans after the range shift, spans
 * that overlap it are stretched over the new text (a pending one then no
 * longer holds its text and is dropped at the next save). */
void      galley_tracked_changes_replace  (GString    *body,
                                           GPtrArray  *changes,
                                           gsize       start,
                                           gsize       end,
                                           const char *text);
/* Gives changes[index] a new state, putting the state's text into body.
 * FALSE when the span no longer holds the text of its current state. */
gboolean  galley_tracked_changes_resolve  (GString          *body,
                                           GPtrArray        *changes,
                                           guint             index,
                                           GalleyChangeState state);

/* The fields an editor changes. */
typedef struct {
  const char *kicker;
  const char *title;
  const char *subtitle;
  const char *byline;
  const char *date;   /* ISO 8601 or NULL/"" for none */
  const char *body;
} GalleyArticleFields;

/* The changes of an article with their ids, in text order. */
GPtrArray *galley_store_get_changes       (GalleyStore         *self,
                                           gint64               article_id,
                                           GError             **error);
/* Saves the fields and the changes (of GalleyTrackedChange*, spans in
 * fields->body; NULL to keep the stored ones, which must then still fit)
 * in one transaction. Writes an 'editor' revision when the text or a field
 * differs from the stored article. Drops overwritten pending changes
 * (their tracked entries get id 0) and keeps `pending` equal to the
 * number of pending changes. */
gboolean   galley_store_save_article      (GalleyStore               *self,
                                           gint64                     article_id,
                                           const GalleyArticleFields *fields,
                                           GPtrArray                 *changes,
                                           GError                   **error);
/* An article's place on its page, for the editor operations that cut
 * and join articles (galley-article-ops.h). */
typedef struct {
  gsize                start;         /* the slice of the page */
  gsize                end;
  const char          *body_original; /* the raw body the changes' orig spans point into */
  const GalleySegment *segment;       /* place, reporters, captions, ...; NULL keeps them */
} GalleyArticleSlice;

/* Rewrites an article: its slice (NULL keeps it), its fields, and all its
 * changes, replaced by `changes` (of GalleyTrackedChange*, spans in
 * fields->body, states kept; their ids are set). Always writes an 'editor'
 * revision. The caller holds a transaction. */
gboolean   galley_store_rewrite_article   (GalleyStore               *self,
                                           gint64                     article_id,
                                           const GalleyArticleSlice  *slice,
                                           const GalleyArticleFields *fields,
                                           GPtrArray                 *changes,
                                           GError                   **error);
/* Accepts or rejects one stored change (by its row id) in the stored body. */
gboolean   galley_store_resolve_change    (GalleyStore        *self,
                                           gint64              article_id,
                                           gint64              change_id,
                                           GalleyChangeState   state,
                                           GError            **error);
/* "to-proofread", "proofread" or "approved" */
gboolean   galley_store_set_status        (GalleyStore        *self,
                                           gint64              article_id,
                                           const char         *status,
                                           GError            **error);
/* The next status up the ladder to-proofread -> proofread -> approved
 * (approved stays), or down it when up is FALSE. */
const char *galley_status_step            (const char         *status,
                                           gboolean            up);

typedef struct {
  gint64     id;
  char      *origin;  /* "ocr", "clean" or "editor" */
  GDateTime *created;
  char      *kicker;
  char      *title;
  char      *subtitle;
  char      *byline;
  char      *date;    /* NULL when none */
  char      *body;
} GalleyRevision;

void       galley_revision_free           (GalleyRevision *revision);
/* Newest first. */
GPtrArray *galley_store_list_revisions    (GalleyStore   *self,
                                           gint64         article_id,
                                           GError       **error);
gint64     galley_store_get_last_revision (GalleyStore   *self,
                                           gint64         article_id,
                                           GError       **error);
/* Makes the article what it was at that revision, as a new revision. */
gboolean   galley_store_restore_revision  (GalleyStore   *self,
                                           gint64         article_id,
                                           gint64         revision_id,
                                           GError       **error);

/* Find and replace across the archive, in the text fields of the
 * articles (in reading order). */
typedef enum {
  GALLEY_FIELD_KICKER,
  GALLEY_FIELD_TITLE,
  GALLEY_FIELD_SUBTITLE,
  GALLEY_FIELD_BYLINE,
  GALLEY_FIELD_BODY,
} GalleyField;

typedef struct {
  gint64      article_id;
  GalleyField field;
  gsize       start;   /* byte span of the match in the field */
  gsize       end;
  char       *title;   /* the article's title, for the preview */
  char       *before;  /* up to 12 characters of context */
  char       *match;
  char       *after;
  char       *replacement; /* what the match becomes */
} GalleyHit;

void       galley_hit_free                (GalleyHit *hit);
/* Every match of pattern (plain text, or a GRegex pattern when regex is
 * TRUE; an invalid pattern is an error), in list order. replacement may
 * use \0..\9 back references when regex is TRUE. At most max_hits hits
 * (0 for all); cancellable is checked between articles. */
GPtrArray *galley_store_find              (GalleyStore   *self,
                                           const char    *pattern,
                                           gboolean       regex,
                                           const char    *replacement,
                                           guint          max_hits,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* Replaces every match in one transaction; each changed article gets a
 * revision. Returns the undo record: the article ids and their revision
 * before the replacement (an array of gint64 pairs), or NULL on error. */
GArray    *galley_store_replace_all       (GalleyStore   *self,
                                           const char    *pattern,
                                           gboolean       regex,
                                           const char    *replacement,
                                           guint         *n_replaced,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* Puts back the articles of an undo record, in one transaction. */
gboolean   galley_store_undo_replace      (GalleyStore   *self,
                                           GArray        *undo,
                                           GError       **error);

/* Known corrections: an editor's fix (人区 -> 入区) that later imports flag. */
gboolean   galley_store_add_known_correction    (GalleyStore  *self,
                                                 const char   *wrong,
                                                 const char   *right,
                                                 GError      **error);
gboolean   galley_store_remove_known_correction (GalleyStore  *self,
                                                 const char   *wrong,
                                                 GError      **error);
/* Pairs wrong, right, wrong, right, ... (a NULL-terminated strv). */
GStrv      galley_store_list_known_corrections  (GalleyStore  *self,
                                                 GError      **error);
/* Adds every known correction to confusions, before an import. */
gboolean   galley_store_load_known_corrections  (GalleyStore       *self,
                                                 GalleyConfusions  *confusions,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyTrackedChange, galley_tracked_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyRevision, galley_revision_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyHit, galley_hit_free)

G_END_DECLS
