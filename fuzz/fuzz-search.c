/* fuzz-search.c: libFuzzer target for the search of the archive
 *
 * The input is an article's text, then, after its first NUL byte, a search
 * (both made valid UTF-8). The article is stored in an archive; the search
 * must run without error; and every word of the article (a run of
 * characters between white space), and the first one, two and three
 * characters of it, must find the article. The article is then deleted, and
 * every 64 runs FTS5 checks that its indexes hold exactly the articles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "galley-store.h"
#include "galley-store-pages.h"
#include "galley-store-private.h"

static GalleyStore *store;
static gint64 source;

static char *
valid_text (const char *data,
            gsize       len)
{
  g_autofree char *copy = g_strndup (data, len); /* ends at a NUL byte */

  return g_utf8_make_valid (copy, -1);
}

static gint64
add_article (const char *text)
{
  static guint position;
  g_autoptr(GError) error = NULL;
  GalleySegment segment = { 0 };
  GalleyCleanResult clean = { 0 };
  char *empty[] = { NULL };
  gint64 id;

  segment.end = strlen (text);
  segment.kicker = segment.title = segment.subtitle = segment.byline = "";
  segment.place = segment.date_text = "";
  segment.reporters = segment.correspondents = segment.captions = segment.intertitles = empty;
  segment.body = (char *) text;
  clean.text = (char *) text;
  clean.changes = g_ptr_array_new ();
  id = galley_store_add_article (store, source, position++, &segment, &clean, &error);
  g_ptr_array_unref (clean.changes);
  if (id == 0)
    abort ();
  return id;
}

static gboolean
finds (const char *search,
       gint64      id)
{
  g_autoptr(GError) error = NULL;
  GalleyArticleQuery query = { .search = search };
  g_autoptr(GArray) ids = galley_store_list_ids (store, &query, &error);

  if (ids == NULL)
    abort ();
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static gboolean
is_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x3000;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("galley-fuzz-search-XXXXXX", &error);
  g_autofree char *path = NULL;

  if (dir == NULL)
    abort ();
  path = g_build_filename (dir, "archive.db", NULL);
  store = galley_store_open (path, &error);
  if (store == NULL)
    abort ();
  source = galley_store_add_source (store, "fuzz.txt", NULL, "0", "UTF-8", "",
                                    GALLEY_HEADLINES_UNKNOWN, &error);
  if (source == 0)
    abort ();
  add_article ("优化营商环境 聚焦工程建设项目审批堵点难点。");
  add_article ("Latin text: OCR of AI and 5G, 171.42亿元.");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static guint runs;
  g_autoptr(GError) error = NULL;
  const char *nul = memchr (data, '\0', size);
  gsize text_len = nul != NULL ? (gsize) ((const uint8_t *) nul - data) : size;
  g_autofree char *text = valid_text ((const char *) data, text_len);
  g_autofree char *search = nul != NULL ? valid_text (nul + 1, size - text_len - 1) : NULL;
  gint64 id = add_article (text);
  const char *p = text;

  if (search != NULL)
    finds (search, id);

  /* Each word, and its first characters, find the article. */
  for (guint words = 0; *p != '\0' && words < 8; )
    {
      const char *start;
      guint n = 0;

      while (*p != '\0' && is_space (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      for (start = p; *p != '\0' && !is_space (g_utf8_get_char (p)); n++)
        p = g_utf8_next_char (p);
      if (n == 0)
        continue;
      words++;
      for (guint k = 1; k <= 4; k++)
        {
          const char *end = start;
          g_autofree char *piece = NULL;

          for (guint i = 0; i < MIN (k, n); i++)
            end = g_utf8_next_char (end);
          piece = g_strndup (start, (k == 4 ? p : end) - start);
          if (!finds (piece, id))
            abort ();
        }
    }

  if (!galley_store_delete_article (store, id, &error))
    abort ();
  if (++runs % 64 == 0 &&
      (sqlite3_exec (store->db, "INSERT INTO articles_pairs (articles_pairs, rank)"
                                " VALUES ('integrity-check', 1)", NULL, NULL, NULL) != SQLITE_OK ||
       sqlite3_exec (store->db, "INSERT INTO articles_chars (articles_chars, rank)"
                                " VALUES ('integrity-check', 1)", NULL, NULL, NULL) != SQLITE_OK))
    abort ();
  return 0;
}
