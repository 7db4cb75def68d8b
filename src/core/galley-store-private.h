/* galley-store-private.h: what the files of the store module share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "galley-store.h"

G_BEGIN_DECLS

/* Lists of strings are kept in one column, joined by the unit separator. */
#define LIST_SEP "\x1f"

struct _GalleyStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements; /* SQL text (static) -> sqlite3_stmt */
  gboolean    read_only;
  int         version;    /* of the schema */
  gint64      busy_since; /* when the last wait for a lock began */

  /* the ids of the last order listed, for searches (galley-store.c) */
  GArray     *order_ids;
  GalleySort  order_sort;
  gint64      order_stamp;
  /* the articles the last search found, as a bitmap (galley-store.c) */
  GArray     *search_bits;
  char       *search_key;
  gint64      search_stamp;
  /* the last counts (galley_store_get_stats) */
  GalleyStoreStats stats;
  gint64      stats_stamp;
  gboolean    stats_valid;
};

/* Opens and migrates up to `version` only, to make an older archive. */
GalleyStore  *galley_store_open_at_version     (const char    *path,
                                                int            version,
                                                GError       **error);

/* Sets error from SQLite's result code; always returns FALSE. */
gboolean      galley_store_set_error           (GalleyStore   *self,
                                                int            rc,
                                                GError       **error);
/* The review states as the changes table spells them. */
const char       *galley_store_state_to_string   (GalleyChangeState  state);
GalleyChangeState galley_store_state_from_string (const char        *state);
/* A change read from the columns rule, kind, orig_start, orig_end,
 * clean_start, clean_end, before, after, confidence, state at col… */
GalleyChange     *galley_store_change_from_row   (sqlite3_stmt      *stmt,
                                                  int                col,
                                                  GalleyChangeState *state);
/* Adds a change of an article (its id in *id when not NULL). */
gboolean      galley_store_insert_change       (GalleyStore        *self,
                                                gint64              article_id,
                                                guint               seq,
                                                const GalleyChange *change,
                                                GalleyChangeState   state,
                                                gint64             *id,
                                                GError            **error);
/* Sets a "there is no article N" error; always returns FALSE. */
gboolean      galley_store_not_found           (gint64         id,
                                                GError       **error);
/* A cached prepared statement, reset and unbound. sql must be static: the
 * cache knows a statement by the address of its text. */
/* SQL: article a has no tag an editor gave or confirmed (tags applied
 * from the suggestions in bulk count as given). */
#define GALLEY_STORE_UNTAGGED_SQL \
  "NOT EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.origin = 'manual')"

/* The number the query's first row gives, G_MAXUINT on error. */
guint         galley_store_count               (GalleyStore   *self,
                                                const char    *sql,
                                                GError       **error);
sqlite3_stmt *galley_store_prepare             (GalleyStore   *self,
                                                const char    *sql,
                                                GError       **error);
/* Runs a statement that returns no rows (or ignores them), then resets it. */
gboolean      galley_store_step_done           (GalleyStore   *self,
                                                sqlite3_stmt  *stmt,
                                                GError       **error);
gboolean      galley_store_exec                (GalleyStore   *self,
                                                const char    *sql,
                                                GError       **error);
void          galley_store_bind_text           (sqlite3_stmt  *stmt,
                                                int            index,
                                                const char    *text);
void          galley_store_bind_list           (sqlite3_stmt  *stmt,
                                                int            index,
                                                const char * const *list);
char         *galley_store_column_dup          (sqlite3_stmt  *stmt,
                                                int            index);
char         *galley_store_column_dup_nullable (sqlite3_stmt  *stmt,
                                                int            index);
char        **galley_store_column_list         (sqlite3_stmt  *stmt,
                                                int            index);

G_END_DECLS
