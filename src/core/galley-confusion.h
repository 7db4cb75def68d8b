/* galley-confusion.h: OCR character confusions (人/入, 己/已, 未/末 …) and
 * known corrections, flagged as suspects with a suggested reading
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GalleyConfusions GalleyConfusions;

/* An empty set: no look-alike data, no known corrections. */
GalleyConfusions *galley_confusions_new          (void);
/* Loads the compact look-alike/frequency cache made at build time
 * (build-aux/make-confusions.py); NULL and error set (G_FILE_ERROR) when
 * it cannot be read or is not such a cache. */
GalleyConfusions *galley_confusions_new_from_file (const char  *path,
                                                   GError     **error);
/* The installed cache (or $GALLEY_DATA_DIR/confusions.bin when set);
 * returns an empty set and sets error when it is missing or unreadable,
 * so callers can tell the user the rule is off. */
GalleyConfusions *galley_confusions_new_default  (GError     **error);
GalleyConfusions *galley_confusions_ref          (GalleyConfusions *self);
void              galley_confusions_unref        (GalleyConfusions *self);
gboolean          galley_confusions_has_data     (GalleyConfusions *self);

/* A correction an editor made once (人区 -> 入区): later scans flag every
 * occurrence of `wrong` with `right` as the suggestion, confidence 1.0.
 * Not thread-safe against a concurrent scan: add before sharing. */
void              galley_confusions_add_known    (GalleyConfusions *self,
                                                  const char       *wrong,
                                                  const char       *right);

/* Appends a GalleyChange (see galley-clean.h) for each suspect in
 * text[0, len), valid UTF-8: a known correction's `wrong` (where known
 * corrections overlap, the leftmost wins, then the longest), or a single
 * look-alike character when the other reading is at least 100 times as
 * likely in its context ('\n' ends the context).
 * Rule GALLEY_RULE_CONFUSION, kind GALLEY_CHANGE_SUSPECT,
 * orig_* and clean_* both set to the span in `text`, before = the span,
 * after = the suggested reading, confidence in (0, 1]. Suspects come in
 * text order and never overlap. Safe to call from several threads. */
void              galley_confusions_scan         (GalleyConfusions *self,
                                                  const char       *text,
                                                  gsize             len,
                                                  GPtrArray        *suspects);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyConfusions, galley_confusions_unref)

G_END_DECLS
