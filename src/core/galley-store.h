/* galley-store.h: the archive database, the only place that speaks SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "galley-article-data.h"
#include "galley-clean.h"
#include "galley-segment.h"

G_BEGIN_DECLS

#define GALLEY_STORE_ERROR (galley_store_error_quark ())

typedef enum {
  GALLEY_STORE_ERROR_FAILED,
  GALLEY_STORE_ERROR_NEWER,     /* made by a newer Galley */
  GALLEY_STORE_ERROR_CORRUPT,   /* not a database, or damaged */
  GALLEY_STORE_ERROR_READ_ONLY,
  GALLEY_STORE_ERROR_FULL,      /* the disk is full */
  GALLEY_STORE_ERROR_BUSY,
  GALLEY_STORE_ERROR_NOT_FOUND,
} GalleyStoreError;

#define GALLEY_STORE_SCHEMA_VERSION 9

GQuark galley_store_error_quark (void);

typedef enum {
  GALLEY_SORT_PAGE_ORDER,   /* source, then position on the page */
  GALLEY_SORT_DATE,         /* newest first, undated last */
  GALLEY_SORT_CHANGES_LEFT, /* most changes to review first */
} GalleySort;

/* What the article list shows: a filter and an order. Strings may be NULL
 * or empty for "any". */
typedef struct {
  const char *search;   /* full-text search, words separated by spaces */
  const char *status;   /* "to-proofread", "proofread", "approved" */
  const char *tag;      /* tag name: articles with it or one of its subtags */
  gboolean    untagged; /* only the articles no editor tagged */
  gint64      source_id;/* 0 for any */
  GalleySort  sort;
} GalleyArticleQuery;

/* A copy of a query that owns its strings, for another thread (an empty
 * string becomes NULL: no filter either way). */
GalleyArticleQuery *galley_article_query_copy (const GalleyArticleQuery *query);
void                galley_article_query_free (GalleyArticleQuery       *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyArticleQuery, galley_article_query_free)

/* One row of the article list, cheap to load. */
typedef struct {
  gint64  id;
  char   *title;
  char   *kicker;
  char   *date;        /* NULL when unresolved */
  char   *source_name;
  guint   position;
  char   *status;
  guint   pending;     /* changes left to review */
} GalleyArticleSummary;

typedef struct {
  guint  sources;
  guint  articles;
  guint  to_proofread;
  guint  proofread;
  guint  approved;
  guint  pending_changes;
  guint  tags;
  guint  untagged;     /* articles no editor tagged */
} GalleyStoreStats;

#define GALLEY_TYPE_STORE (galley_store_get_type ())

G_DECLARE_FINAL_TYPE (GalleyStore, galley_store, GALLEY, STORE, GObject)

/* Opens (creating and migrating as needed) the database at path. A
 * database from a newer Galley, or a damaged one, is refused and left as
 * it is; a read-only one opens read-only. Before a migration the old file
 * is copied to PATH.backup-vN. One GalleyStore is one connection: use it
 * from one thread at a time (open another for a worker thread). */
GalleyStore *galley_store_open           (const char        *path,
                                          GError           **error);
/* galley_store_open(), where a cancel stops a migration (or the backup
 * before it) and leaves the archive as it was (G_IO_ERROR_CANCELLED). */
GalleyStore *galley_store_open_cancellable (const char    *path,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Whether opening the archive at path will migrate it to this version's
 * format, which rebuilds its search indexes: open it in a worker thread
 * then. FALSE for a missing, new, current, newer or unreadable file;
 * TRUE for one another program holds locked. */
gboolean     galley_store_needs_migration (const char       *path);
const char  *galley_store_get_path       (GalleyStore       *self);
gboolean     galley_store_is_read_only   (GalleyStore       *self);

gboolean     galley_store_begin          (GalleyStore       *self,
                                          GError           **error);
gboolean     galley_store_commit         (GalleyStore       *self,
                                          GError           **error);
void         galley_store_rollback       (GalleyStore       *self);

/* Import. Returns the id of the source with these bytes, 0 when none. */
gint64       galley_store_find_source    (GalleyStore       *self,
                                          const char        *sha256,
                                          char             **name,
                                          GError           **error);
gint64       galley_store_add_source     (GalleyStore       *self,
                                          const char        *name,
                                          const char        *path,
                                          const char        *sha256,
                                          const char        *encoding,
                                          const char        *raw_text,
                                          GalleyHeadlinePosition headlines,
                                          GError           **error);
/* Adds an article from its page segment (whose slice of the source's text
 * is the article's OCR original) and the clean-up of its body; records the
 * OCR and clean revisions and the clean-up's changes. */
gint64       galley_store_add_article    (GalleyStore       *self,
                                          gint64             source_id,
                                          guint              position,
                                          const GalleySegment *segment,
                                          const GalleyCleanResult *clean,
                                          GError           **error);

/* Queries */
GArray      *galley_store_list_ids       (GalleyStore       *self,
                                          const GalleyArticleQuery *query,
                                          GError           **error);
gboolean     galley_store_get_summary    (GalleyStore       *self,
                                          gint64             id,
                                          GalleyArticleSummary *summary,
                                          GError           **error);
/* The summaries of several articles at once, summaries[i] for ids[i];
 * one not found keeps id 0. Returns how many were found (all, unless an
 * article was deleted or error is set). */
guint        galley_store_get_summaries  (GalleyStore       *self,
                                          const gint64      *ids,
                                          guint              n_ids,
                                          GalleyArticleSummary *summaries,
                                          GError           **error);
void         galley_article_summary_clear (GalleyArticleSummary *summary);
GalleyArticleData *galley_store_get_article (GalleyStore    *self,
                                          gint64             id,
                                          gboolean           with_changes,
                                          GError           **error);
gboolean     galley_store_get_stats      (GalleyStore       *self,
                                          GalleyStoreStats  *stats,
                                          GError           **error);

/* Checks the archive: the database's own check, both search indexes
 * against the articles' text, and each article's count of changes to
 * review (the search indexes only when the archive is writable). Returns
 * the problems found (translated sentences; empty when the archive is
 * sound), NULL with error set when it could not check. repairable (may be
 * NULL) is set to TRUE when there are problems and galley_store_repair()
 * mends them all: the database itself is sound and writable.
 * Reads the whole archive: run it in a worker thread. */
GPtrArray   *galley_store_check         (GalleyStore       *self,
                                          gboolean          *repairable,
                                          GError           **error);

/* Rebuilds the search indexes from the articles' text and counts each
 * article's changes to review again, in one transaction (after a bulk
 * load, or to mend what galley_store_check() found). Slow on a large
 * archive: run it in a worker thread. */
gboolean     galley_store_repair        (GalleyStore       *self,
                                          GError           **error);

/* Source information for the article's sidebar. */
gboolean     galley_store_get_source_info (GalleyStore      *self,
                                          gint64             article_id,
                                          char             **name,
                                          char             **encoding,
                                          GDateTime        **imported,
                                          GError           **error);

G_END_DECLS
