/* galley-import.c: a file of OCR'd page text into the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-import"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "galley-import.h"
#include "galley-segment.h"
#include "galley-text.h"

void
galley_import_result_free (GalleyImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->path);
  g_free (result->name);
  g_free (result->duplicate_of);
  g_clear_error (&result->error);
  g_free (result);
}

static GalleyImportResult *
result_new (GFile *file)
{
  GalleyImportResult *result = g_new0 (GalleyImportResult, 1);

  result->path = g_file_get_path (file);
  if (result->path == NULL)
    result->path = g_file_get_uri (file);
  result->name = g_file_get_basename (file);
  result->status = GALLEY_IMPORT_FAILED;
  return result;
}

static gint
compare_files (gconstpointer a,
               gconstpointer b)
{
  g_autofree char *pa = g_file_get_path (*(GFile **) a);
  g_autofree char *pb = g_file_get_path (*(GFile **) b);

  return g_strcmp0 (pa, pb);
}

static void
collect (GFile        *file,
         GFileType     type,
         GCancellable *cancellable,
         GPtrArray    *files,
         GPtrArray    *failures)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GFileInfo *info;

  if (type != G_FILE_TYPE_DIRECTORY)
    {
      g_ptr_array_add (files, g_object_ref (file));
      return;
    }

  children = g_file_enumerate_children (file,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, &error);
  if (children == NULL)
    {
      if (failures != NULL)
        {
          GalleyImportResult *result = result_new (file);

          result->error = g_steal_pointer (&error);
          g_ptr_array_add (failures, result);
        }
      return;
    }

  found = g_ptr_array_new_with_free_func (g_object_unref);
  while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
    {
      GFileType child_type = g_file_info_get_file_type (info);

      if (!g_file_info_get_is_hidden (info) &&
          (child_type == G_FILE_TYPE_REGULAR || child_type == G_FILE_TYPE_DIRECTORY))
        {
          GFile *child = g_file_get_child (file, g_file_info_get_name (info));

          g_object_set_data (G_OBJECT (child), "galley-is-dir",
                             GINT_TO_POINTER (child_type == G_FILE_TYPE_DIRECTORY));
          g_ptr_array_add (found, child);
        }
      g_object_unref (info);
    }
  g_ptr_array_sort (found, compare_files);
  for (guint i = 0; i < found->len; i++)
    {
      GFile *child = g_ptr_array_index (found, i);
      gboolean is_dir = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "galley-is-dir"));

      collect (child, is_dir ? G_FILE_TYPE_DIRECTORY : G_FILE_TYPE_REGULAR,
               cancellable, files, failures);
    }
}

GPtrArray *
galley_import_collect (GFile * const *files,
                       guint          n_files,
                       GCancellable  *cancellable,
                       GPtrArray     *failures)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_files; i++)
    {
      GFileType type = g_file_query_file_type (files[i], G_FILE_QUERY_INFO_NONE, cancellable);

      collect (files[i], type, cancellable, out, failures);
    }
  return out;
}

static gboolean
store_page (GalleyStore               *store,
            GalleyImportResult        *result,
            const char                *text,
            const char                *sha256,
            const GalleyImportOptions *options,
            GError                   **error)
{
  g_autoptr(GalleyPage) page = galley_segment_page (text, -1, result->name, options->year);

  result->source_id = galley_store_add_source (store, result->name, result->path, sha256,
                                               result->encoding, text,
                                               page->headline_position, error);
  if (result->source_id == 0)
    return FALSE;

  for (guint i = 0; i < page->segments->len; i++)
    {
      const GalleySegment *segment = g_ptr_array_index (page->segments, i);
      g_autoptr(GalleyCleanResult) clean =
        galley_clean (segment->body, -1, options->rules, options->confusions);

      if (galley_store_add_article (store, result->source_id, i, segment, clean,
                                    error) == 0)
        return FALSE;
      result->n_articles++;
    }
  return TRUE;
}

/* Whether a file with this checksum was imported before; also TRUE with
 * result->error set when the archive could not say. */
static gboolean
is_duplicate (GalleyStore        *store,
              const char         *sha256,
              GalleyImportResult *result)
{
  g_autofree char *existing = NULL;
  gint64 found = galley_store_find_source (store, sha256, &existing, &result->error);

  if (found > 0)
    {
      result->status = GALLEY_IMPORT_DUPLICATE;
      result->source_id = found;
      result->duplicate_of = g_steal_pointer (&existing);
    }
  return found != 0;
}

/* Reads and decodes a file. Returns NULL with *text and *sha256 set when
 * the file is to be stored, else its final result (failed or duplicate). */
static GalleyImportResult *
read_file (GalleyStore         *store,
           GFile               *file,
           GCancellable        *cancellable,
           GalleyImportResult **out,
           char               **text,
           char               **sha256)
{
  g_autoptr(GalleyImportResult) result = result_new (file);
  g_autofree char *bytes = NULL;
  g_autoptr(GFileInfo) info = NULL;
  gsize len = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &result->error);
  if (info == NULL)
    return g_steal_pointer (&result);
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (&result->error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("Not a regular file"));
      return g_steal_pointer (&result);
    }
  if ((gsize) g_file_info_get_size (info) > GALLEY_TEXT_MAX_SIZE)
    {
      g_set_error (&result->error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_TOO_LARGE,
                   /* Translators: %s is a size such as "32 MB" */
                   _("The file is larger than %s; split it into pages first"),
                   GALLEY_TEXT_MAX_SIZE_TEXT);
      return g_steal_pointer (&result);
    }

  if (!g_file_load_contents (file, cancellable, &bytes, &len, NULL, &result->error))
    return g_steal_pointer (&result);

  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, len);
  if (is_duplicate (store, *sha256, result))
    return g_steal_pointer (&result);

  *text = galley_text_decode (bytes, len, &result->encoding, &result->error);
  if (*text == NULL || g_cancellable_set_error_if_cancelled (cancellable, &result->error))
    return g_steal_pointer (&result);
  /* A page saved in another encoding (or with other line ends) is the
   * same page: it is known by the checksum of its text. */
  if (strlen (*text) != len || memcmp (*text, bytes, len) != 0)
    {
      g_free (*sha256);
      *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, *text, -1);
      if (is_duplicate (store, *sha256, result))
        {
          g_clear_pointer (text, g_free);
          return g_steal_pointer (&result);
        }
    }

  *out = g_steal_pointer (&result);
  return NULL;
}

/* Marks a result as failed, with nothing of its file stored. */
static void
result_fail (GalleyImportResult *result)
{
  result->status = GALLEY_IMPORT_FAILED;
  result->n_articles = 0;
  result->source_id = 0;
}

/* Stores a read file in the open transaction. */
static gboolean
store_file (GalleyStore               *store,
            GalleyImportResult        *result,
            const char                *text,
            const char                *sha256,
            const GalleyImportOptions *options)
{
  g_clear_error (&result->error);
  result_fail (result);
  if (!store_page (store, result, text, sha256, options, &result->error))
    {
      result_fail (result);
      return FALSE;
    }
  result->status = GALLEY_IMPORT_IMPORTED;
  return TRUE;
}

/* Stores a read file in a transaction of its own. */
static void
store_file_alone (GalleyStore               *store,
                  GalleyImportResult        *result,
                  const char                *text,
                  const char                *sha256,
                  const GalleyImportOptions *options)
{
  g_clear_error (&result->error);
  if (galley_store_begin (store, &result->error) &&
      store_file (store, result, text, sha256, options) &&
      galley_store_commit (store, &result->error))
    return;
  galley_store_rollback (store);
  result_fail (result);
}

GalleyImportResult *
galley_import_file (GalleyStore               *store,
                    GFile                     *file,
                    const GalleyImportOptions *options,
                    GCancellable              *cancellable)
{
  GalleyImportResult *result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sha256 = NULL;
  GalleyImportResult *final;

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if ((final = read_file (store, file, cancellable, &result, &text, &sha256)) != NULL)
    return final;
  store_file_alone (store, result, text, sha256, options);
  return result;
}

/* A batch of files sharing one transaction: FTS5 indexes the text of a
 * transaction at once, which costs half as much as file by file. A tenth
 * of a second of work gets all of that gain, and another program (or the
 * window's own saving) waits no longer than that for the archive. */
#define BATCH_FILES 500
#define BATCH_BYTES (16 * 1024 * 1024)
#define BATCH_USEC (G_USEC_PER_SEC / 10)

typedef struct {
  GalleyImportResult *result;
  char               *text;   /* NULL when the result is final */
  char               *sha256;
} Pending;

typedef struct {
  GalleyStore               *store;
  const GalleyImportOptions *options;
  GalleyImportFunc           done;
  gpointer                   user_data;
  GArray                    *pending;
  gsize                      bytes;
  gint64                     started;
  gboolean                   open;  /* a transaction is open */
} Batch;

/* Hands every result of the batch over, in order, and empties it. */
static void
batch_deliver (Batch *batch)
{
  for (guint i = 0; i < batch->pending->len; i++)
    {
      Pending *p = &g_array_index (batch->pending, Pending, i);

      g_free (p->text);
      g_free (p->sha256);
      batch->done (p->result, batch->user_data);
    }
  g_array_set_size (batch->pending, 0);
  batch->bytes = 0;
}

/* After a failure inside the batch's transaction: rolls it back and stores
 * each of its files alone, so that only the file at fault fails. */
static void
batch_replay (Batch *batch)
{
  galley_store_rollback (batch->store);
  batch->open = FALSE;
  for (guint i = 0; i < batch->pending->len; i++)
    {
      Pending *p = &g_array_index (batch->pending, Pending, i);

      if (p->text != NULL)
        store_file_alone (batch->store, p->result, p->text, p->sha256, batch->options);
    }
  batch_deliver (batch);
}

static void
batch_commit (Batch *batch)
{
  g_autoptr(GError) error = NULL;

  if (batch->open)
    {
      batch->open = FALSE;
      if (!galley_store_commit (batch->store, &error))
        {
          batch_replay (batch);
          return;
        }
    }
  batch_deliver (batch);
}

/* Files asked for ahead of their turn, see read_ahead(). */
#define READ_AHEAD 8

/* Asks the system to start reading a file that comes soon, so that its
 * reading overlaps the work on the files before it (a file that will be
 * refused as too large is left alone). */
static void
read_ahead (GFile *file)
{
  const char *path = g_file_peek_path (file);
  struct stat st;
  int fd;

  if (path == NULL || (fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
    return;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (gsize) st.st_size <= GALLEY_TEXT_MAX_SIZE)
    posix_fadvise (fd, 0, 0, POSIX_FADV_WILLNEED);
  close (fd);
}

void
galley_import_files (GalleyStore               *store,
                     GPtrArray                 *files,
                     const GalleyImportOptions *options,
                     GCancellable              *cancellable,
                     GalleyImportFunc           done,
                     gpointer                   user_data)
{
  Batch batch = { store, options, done, user_data, g_array_new (FALSE, FALSE, sizeof (Pending)) };

  g_return_if_fail (GALLEY_IS_STORE (store));
  g_return_if_fail (files != NULL);
  g_return_if_fail (options != NULL && done != NULL);

  for (guint i = 0; i < MIN (files->len, READ_AHEAD); i++)
    read_ahead (g_ptr_array_index (files, i));
  for (guint i = 0; i < files->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Pending p = { NULL, NULL, NULL };
      GalleyImportResult *final;

      if (i + READ_AHEAD < files->len)
        read_ahead (g_ptr_array_index (files, i + READ_AHEAD));

      final = read_file (store, g_ptr_array_index (files, i), cancellable,
                         &p.result, &p.text, &p.sha256);
      if (final != NULL)
        {
          g_clear_pointer (&p.text, g_free);
          g_clear_pointer (&p.sha256, g_free);
          p.result = final;
        }
      else if (!batch.open && !galley_store_begin (store, &p.result->error))
        {
          g_clear_pointer (&p.text, g_free);
          g_clear_pointer (&p.sha256, g_free);
        }
      else
        {
          batch.open = TRUE;
          if (batch.pending->len == 0)
            batch.started = g_get_monotonic_time ();
          batch.bytes += strlen (p.text);
          if (!store_file (store, p.result, p.text, p.sha256, options))
            {
              g_array_append_val (batch.pending, p);
              batch_replay (&batch);
              continue;
            }
        }
      g_array_append_val (batch.pending, p);
      if (!batch.open || batch.pending->len >= BATCH_FILES || batch.bytes >= BATCH_BYTES ||
          g_get_monotonic_time () - batch.started >= BATCH_USEC)
        batch_commit (&batch);
    }
  batch_commit (&batch);
  g_array_unref (batch.pending);
}
