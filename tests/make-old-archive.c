/* make-old-archive.c: an archive in an older schema, for the tests of the
 * update (migration) of an archive
 *
 *   make-old-archive VERSION ARCHIVE COPIES FILE...
 *
 * imports the page files into a new archive of schema VERSION, then adds
 * COPIES - 1 more copies of their articles (as other sources), to make a
 * large archive quickly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "galley-import.h"
#include "galley-segment.h"
#include "galley-store-private.h"

static void
import_done (GalleyImportResult *result,
             gpointer            user_data)
{
  if (result->status == GALLEY_IMPORT_FAILED)
    g_error ("%s: %s", result->name, result->error->message);
  galley_import_result_free (result);
}

/* Stores the page's articles again as copy number copy of it. */
static gboolean
add_copy (GalleyStore  *store,
          const char   *path,
          int           copy,
          GError      **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf ("%d-%s", copy, base);
  g_autofree char *salted = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GalleyPage) page = NULL;
  gint64 source;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  salted = g_strdup_printf ("%s\n%d", text, copy);
  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, salted, -1);
  page = galley_segment_page (text, -1, base, 0);
  source = galley_store_add_source (store, name, NULL, sha256, "UTF-8", text,
                                    page->headline_position, error);
  if (source == 0)
    return FALSE;
  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *segment = g_ptr_array_index (page->segments, i);
      g_autoptr(GalleyCleanResult) clean = galley_clean (segment->body, -1, GALLEY_RULES_ALL, NULL);

      if (galley_store_add_article (store, source, i, segment, clean, error) == 0)
        return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GalleyImportOptions options = { GALLEY_RULES_ALL, NULL, 0 };
  int version, copies;

  if (argc < 5)
    {
      g_printerr ("usage: %s VERSION ARCHIVE COPIES FILE...\n", argv[0]);
      return 2;
    }
  version = atoi (argv[1]);
  copies = atoi (argv[3]);
  if (version < 1 || version >= GALLEY_STORE_SCHEMA_VERSION || copies < 1)
    {
      g_printerr ("VERSION must be 1 to %d and COPIES at least 1\n", GALLEY_STORE_SCHEMA_VERSION - 1);
      return 2;
    }
  store = galley_store_open_at_version (argv[2], version, &error);
  if (store == NULL)
    g_error ("%s: %s", argv[2], error->message);

  for (int i = 4; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));
  galley_import_files (store, files, &options, NULL, import_done, NULL);

  for (int copy = 1; copy < copies; copy++)
    {
      if (!galley_store_begin (store, &error))
        g_error ("%s", error->message);
      for (int i = 4; i < argc; i++)
        if (!add_copy (store, argv[i], copy, &error))
          g_error ("%s: %s", argv[i], error->message);
      if (!galley_store_commit (store, &error))
        g_error ("%s", error->message);
    }
  return 0;
}
