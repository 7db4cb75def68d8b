/* galley-text.h: decoding OCR output into clean UTF-8 lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GALLEY_TEXT_ERROR (galley_text_error_quark ())

typedef enum {
  GALLEY_TEXT_ERROR_EMPTY,    /* no bytes, or only white space */
  GALLEY_TEXT_ERROR_BINARY,   /* NUL bytes or control characters: not text */
  GALLEY_TEXT_ERROR_ENCODING, /* not valid in any encoding Galley reads */
  GALLEY_TEXT_ERROR_TOO_LARGE,
} GalleyTextError;

/* The largest file Galley imports as one page (a page is some 20 KB;
 * importing one this large takes about a minute and 200 MB of memory). */
#define GALLEY_TEXT_MAX_SIZE ((gsize) 32 * 1024 * 1024)
#define GALLEY_TEXT_MAX_SIZE_TEXT "32 MB"

GQuark  galley_text_error_quark (void);

/* Detects the encoding (UTF-8 with or without BOM, UTF-16 LE/BE with a BOM
 * or recognisable without one, GB18030 which covers GBK and GB2312),
 * converts to UTF-8, drops the BOM and turns CRLF and CR into LF. A last
 * character cut short (a truncated copy) is dropped.
 * encoding (out, nullable) receives a static name such as "UTF-8". */
char   *galley_text_decode      (const char   *data,
                                 gsize         len,
                                 const char  **encoding,
                                 GError      **error);

/* Turns CRLF and lone CR into LF in place; returns the new length. */
gsize   galley_text_normalize_newlines (char  *text,
                                        gsize  len);

/* The bytes two UTF-8 texts share at their start (*prefix) and, after
 * that, at their end (*suffix), in whole characters: what lies between is
 * the one run that changed. */
void    galley_text_common_ends (const char  *a,
                                 const char  *b,
                                 gsize       *prefix,
                                 gsize       *suffix);

G_END_DECLS
