/* check-changes.h: the invariants of galley-store-edit.h for one article,
 * and a test's archive made from a sample page and removed again, shared
 * by the tests that edit articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib/gstdio.h>

#include "galley-import.h"
#include "galley-store-edit.h"
#include "galley-store-private.h"

/* Every stored change's span lies in the body, a pending one's holds its
 * text, and the article's count of pending changes counts them. */
static inline void
check_changes (GalleyStore *store,
               gint64       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyArticleData) data = galley_store_get_article (store, id, FALSE, &error);
  g_autoptr(GPtrArray) changes = galley_store_get_changes (store, id, &error);
  GalleyArticleSummary summary = { 0 };
  guint pending = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      const GalleyTrackedChange *t = g_ptr_array_index (changes, i);
      const char *want = galley_tracked_change_expected (t, t->state);

      g_assert_cmpuint (t->change->clean_end, <=, strlen (data->body));
      if (t->state != GALLEY_CHANGE_PENDING)
        continue;
      pending++;
      g_assert_cmpuint (t->change->clean_end - t->change->clean_start, ==, strlen (want));
      g_assert_true (memcmp (data->body + t->change->clean_start, want, strlen (want)) == 0);
    }
  g_assert_cmpuint (galley_store_get_summaries (store, &id, 1, &summary, &error), ==, 1);
  g_assert_cmpuint (summary.pending, ==, pending);
  galley_article_summary_clear (&summary);
}

/* The search indexes hold the articles' titles and bodies as they are
 * (FTS5's check against its content table). */
static inline void
check_search_index (GalleyStore *store)
{
  static const char * const checks[] = {
    "INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('integrity-check', 1)",
    "INSERT INTO articles_chars (articles_chars, rank) VALUES ('integrity-check', 1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      char *message = NULL;

      if (sqlite3_exec (store->db, checks[i], NULL, NULL, &message) != SQLITE_OK)
        g_error ("%s: %s", checks[i], message);
    }
}

/* The sample page these tests import (tests/data/pages). */
#define SAMPLE_PAGE "000_633e285ed10be693.txt"

/* A new archive, archive.db in a new temporary folder (dir_template as for
 * g_dir_make_tmp()), holding the sample page imported with options.
 * Returns the import's result. */
static inline GalleyImportResult *
open_sample_archive (const char                *dir_template,
                     const GalleyImportOptions *options,
                     char                     **dir,
                     char                     **db,
                     GalleyStore              **store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pages", SAMPLE_PAGE, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GalleyImportResult *result;

  *dir = g_dir_make_tmp (dir_template, &error);
  g_assert_no_error (error);
  *db = g_build_filename (*dir, "archive.db", NULL);
  *store = galley_store_open (*db, &error);
  g_assert_no_error (error);
  result = galley_import_file (*store, file, options, NULL);
  g_assert_no_error (result->error);
  return result;
}

/* Removes a test's archive (with its write-ahead log) and its folder. */
static inline void
remove_archive (const char *dir,
                const char *db)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}
