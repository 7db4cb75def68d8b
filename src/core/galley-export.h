/* galley-export.h: streaming writers for clean copy (text, Markdown, HTML,
 * JSON Lines, CSV, NewsML-G2, DOCX)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "galley-article-data.h"
#include "galley-store.h"

G_BEGIN_DECLS

typedef enum {
  GALLEY_EXPORT_FORMAT_UNKNOWN = 0,
  GALLEY_EXPORT_FORMAT_TXT,
  GALLEY_EXPORT_FORMAT_MARKDOWN,
  GALLEY_EXPORT_FORMAT_HTML,
  GALLEY_EXPORT_FORMAT_JSONL,
  GALLEY_EXPORT_FORMAT_CSV,
  GALLEY_EXPORT_FORMAT_NEWSML,
  GALLEY_EXPORT_FORMAT_DOCX,
} GalleyExportFormat;

#define GALLEY_EXPORT_N_FORMATS 7

/* The default pattern for per-article file names. Placeholders: {date},
 * {title}, {kicker}, {id}, {source} (imported file name without its
 * extension) and {position} (1-based order on the page). */
#define GALLEY_EXPORT_DEFAULT_PATTERN "{date}-{title}"

typedef struct {
  /* With combined TRUE: the file to write. Otherwise: an existing folder
   * that receives one file per article. */
  const char *output;
  gboolean    combined;
  /* Per-article file name, without extension; NULL for the default. */
  const char *name_pattern;
  /* Original OCR text and the changes with their review state: a field of
   * each JSON Lines object, a side file (NAME.provenance.json per article,
   * OUTPUT.provenance.jsonl for a combined file) for the other formats. */
  gboolean    provenance;
  /* Without it an existing file is never replaced: the sink fails with
   * G_IO_ERROR_EXISTS naming the file. */
  gboolean    overwrite;
  /* Heading of a combined HTML page, DOCX or NewsML message; NULL for a
   * generic one. */
  const char *collection_title;
} GalleyExportOptions;

typedef struct _GalleyExportSink GalleyExportSink;

/* Stable identifiers: "txt", "markdown", "html", "jsonl", "csv", "newsml",
 * "docx". */
GalleyExportFormat  galley_export_format_from_id       (const char *id); /* UNKNOWN if unknown */
const char         *galley_export_format_to_id         (GalleyExportFormat format);
/* Translated name for the export dialog. */
const char         *galley_export_format_get_label     (GalleyExportFormat format);
/* File extension without the dot ("txt", "md", "html", …). */
const char         *galley_export_format_get_extension (GalleyExportFormat format);
/* Whether the format can hold several articles in one file, and whether it
 * can write one file per article. */
gboolean            galley_export_format_can_combine   (GalleyExportFormat format);
gboolean            galley_export_format_can_split     (GalleyExportFormat format);

/* The sanitised file name (with extension, no folder) that `pattern` gives
 * for `data`, before collision suffixes. */
char               *galley_export_dup_file_name        (const char              *pattern,
                                                        const GalleyArticleData *data,
                                                        GalleyExportFormat       format);

/* Every file is written under a temporary name in the target folder and
 * renamed into place when complete; a sink freed before a successful
 * finish, or failed, removes what it has not completed. In per-article
 * mode each article's file is complete when add returns. After an error
 * the sink only accepts free. */
GalleyExportSink   *galley_export_sink_new             (GalleyExportFormat          format,
                                                        const GalleyExportOptions  *options,
                                                        GError                    **error);
gboolean            galley_export_sink_add             (GalleyExportSink         *sink,
                                                        const GalleyArticleData  *data,
                                                        GCancellable             *cancellable,
                                                        GError                  **error);
gboolean            galley_export_sink_finish          (GalleyExportSink  *sink,
                                                        GCancellable      *cancellable,
                                                        GError           **error);
/* Number of articles written so far. */
guint               galley_export_sink_get_n_written   (GalleyExportSink *sink);
void                galley_export_sink_free            (GalleyExportSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyExportSink, galley_export_sink_free)

typedef void (*GalleyExportProgress) (guint    done,
                                      guint    total,
                                      gpointer user_data);

/* Exports the articles a query of the archive lists, in its order, one at
 * a time (memory stays flat). progress may be NULL. Returns the number of
 * articles written, or -1 with error set. */
gint64              galley_export_store                (GalleyStore               *store,
                                                        const GalleyArticleQuery  *query,
                                                        GalleyExportFormat         format,
                                                        const GalleyExportOptions *options,
                                                        GalleyExportProgress       progress,
                                                        gpointer                   user_data,
                                                        GCancellable              *cancellable,
                                                        GError                   **error);

G_END_DECLS
