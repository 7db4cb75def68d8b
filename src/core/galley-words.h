/* galley-words.h: a Chinese word list with frequencies, and word segmentation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A read-only set of words (1 to GALLEY_WORDS_MAX_LENGTH characters) with
 * their frequencies, for splitting runs of Han characters into words by
 * maximum probability: of all ways to cut the run into known words (and
 * single characters), the one whose word probabilities have the highest
 * product. Thread-safe once loaded. */
typedef struct _GalleyWords GalleyWords;

#define GALLEY_WORDS_MAX_LENGTH 8

/* Reads a word list: one `word frequency` a line, separated by a space or
 * a tab; anything after the frequency is ignored (so jieba's dict.txt reads
 * as it is), as are words longer than GALLEY_WORDS_MAX_LENGTH characters. */
GalleyWords *galley_words_new_from_file (const char  *path,
                                         GError     **error);
/* The installed word list (or $GALLEY_DATA_DIR/words.txt when set), loaded
 * once per process; NULL when there is none. Do not unref. */
GalleyWords *galley_words_get_default   (void);
GalleyWords *galley_words_ref           (GalleyWords *self);
void         galley_words_unref         (GalleyWords *self);
guint        galley_words_get_n_words   (GalleyWords *self);

/* The natural logarithm of the word's share of all word occurrences (to
 * within 1/4096), or -INFINITY for a word not in the list. */
double       galley_words_log_probability (GalleyWords    *self,
                                           const gunichar *word,
                                           guint           length);

/* Cuts chars[0, n) into words: writes the end of each word (an index
 * into chars, ascending, the last one n) to ends, which must hold n
 * entries, and returns the number of words. Meant for runs of Han
 * characters; other characters become words of their own. */
guint        galley_words_segment       (GalleyWords    *self,
                                         const gunichar *chars,
                                         guint           n,
                                         guint          *ends);

/* The words of a UTF-8 text, for tests and tools. */
GStrv        galley_words_split         (GalleyWords    *self,
                                         const char     *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyWords, galley_words_unref)

G_END_DECLS
