/* galley-import.h: a file of OCR'd page text into the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "galley-clean.h"
#include "galley-confusion.h"
#include "galley-store.h"

G_BEGIN_DECLS

typedef struct {
  GalleyRule        rules;      /* clean-up rules to run */
  GalleyConfusions *confusions; /* nullable */
  int               year;       /* year for dates without one, 0 when unknown */
} GalleyImportOptions;

typedef enum {
  GALLEY_IMPORT_IMPORTED,
  GALLEY_IMPORT_DUPLICATE, /* the same bytes are in the archive already */
  GALLEY_IMPORT_FAILED,
} GalleyImportStatus;

typedef struct {
  char              *path;
  char              *name;         /* file name shown to the user */
  GalleyImportStatus status;
  const char        *encoding;     /* static, set when decoded */
  guint              n_articles;
  gint64             source_id;    /* the new source, or the one it duplicates */
  char              *duplicate_of; /* name of the source already imported */
  GError            *error;        /* set when failed */
} GalleyImportResult;

void        galley_import_result_free (GalleyImportResult *result);

/* Expands folders (recursively, hidden files skipped) into the files they
 * hold, in name order. Unreadable folders are reported as failed results. */
GPtrArray  *galley_import_collect     (GFile * const  *files,
                                       guint           n_files,
                                       GCancellable   *cancellable,
                                       GPtrArray      *failures);

/* Decodes, segments, cleans and stores one file in one transaction: on any
 * failure nothing of it is written. Always returns a result. */
GalleyImportResult *galley_import_file (GalleyStore               *store,
                                        GFile                     *file,
                                        const GalleyImportOptions *options,
                                        GCancellable              *cancellable);

/* Called with each result (to free) once it is final: when the file's
 * articles are committed, or it was skipped or failed. */
typedef void (*GalleyImportFunc) (GalleyImportResult *result,
                                  gpointer            user_data);

/* Imports files as galley_import_file() does, in order, several to a
 * transaction (a file is still all or nothing: when a transaction fails,
 * its files are stored again one by one). Stops between files when
 * cancelled, keeping the files done. */
void        galley_import_files       (GalleyStore               *store,
                                       GPtrArray                 *files,
                                       const GalleyImportOptions *options,
                                       GCancellable              *cancellable,
                                       GalleyImportFunc           done,
                                       gpointer                   user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyImportResult, galley_import_result_free)

G_END_DECLS
