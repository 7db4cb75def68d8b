/* galley-suggest.h: topic suggestions learnt from the archive's tagged articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "galley-classify.h"
#include "galley-store-tags.h"

G_BEGIN_DECLS

/* A classifier trained on the articles editors tagged, and on the newest
 * untagged ones whose tags it is sure of (galley_classifier_add_untagged()),
 * read-only once made: suggest() may run from several threads.
 * Reference-counted. */
typedef struct _GalleySuggestModel GalleySuggestModel;

/* Reads the editors' tags and the newest untagged articles and trains
 * (slow on a big archive: call it in a worker thread with its own store
 * connection). */
GalleySuggestModel *galley_suggest_model_new_from_store (GalleyStore        *store,
                                                         GCancellable       *cancellable,
                                                         GError            **error);
GalleySuggestModel *galley_suggest_model_ref            (GalleySuggestModel *self);
void                galley_suggest_model_unref          (GalleySuggestModel *self);
/* Tagged articles and distinct tags it learnt from, and the untagged
 * articles it learnt from as sure guesses. */
guint               galley_suggest_model_get_n_articles (GalleySuggestModel *self);
guint               galley_suggest_model_get_n_tags     (GalleySuggestModel *self);
guint               galley_suggest_model_get_n_guessed  (GalleySuggestModel *self);
/* GalleySuggestion* (label: a tag name), best first; empty until the
 * editors have tagged articles with at least two different tags. */
GPtrArray          *galley_suggest_model_suggest        (GalleySuggestModel *self,
                                                         const char         *text,
                                                         guint               max_suggestions);

/* The plan of "tag every untagged article whose best suggestion is at
 * least min_confidence sure": GalleyTagging items, in page order. */
GArray             *galley_suggest_plan_untagged        (GalleyStore        *store,
                                                         GalleySuggestModel *model,
                                                         double              min_confidence,
                                                         GCancellable       *cancellable,
                                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleySuggestModel, galley_suggest_model_unref)

/* Keeps a model of one archive up to date: schedule() after tags changed
 * retrains in a worker thread (with its own connection) a little later,
 * then swaps the new model in and emits "changed". */
#define GALLEY_TYPE_SUGGESTER (galley_suggester_get_type ())

G_DECLARE_FINAL_TYPE (GalleySuggester, galley_suggester, GALLEY, SUGGESTER, GObject)

GalleySuggester    *galley_suggester_new                (const char         *database);
/* Retrains after delay_ms without another call (0: at once). */
void                galley_suggester_schedule           (GalleySuggester    *self,
                                                         guint               delay_ms);
/* The current model, NULL before the first training ended. */
GalleySuggestModel *galley_suggester_get_model          (GalleySuggester    *self);
gboolean            galley_suggester_is_training        (GalleySuggester    *self);

G_END_DECLS
