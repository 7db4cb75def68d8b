/* galley-cjk.h: character classes for Chinese newspaper text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Han ideographs (CJK Unified Ideographs and their extensions, compatibility ideographs). */
static inline gboolean
galley_cjk_is_han (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3134F) ||
         c == 0x3007; /* 〇 */
}

/* Full-width / CJK punctuation: 。，、；：？！“”‘’（）《》〈〉【】「」『』…—·～ and friends. */
static inline gboolean
galley_cjk_is_punct (gunichar c)
{
  return (c >= 0x3000 && c <= 0x303F && c != 0x3007) ||
         (c >= 0xFF01 && c <= 0xFF0F) ||
         (c >= 0xFF1A && c <= 0xFF20) ||
         (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65) ||
         c == 0x2014 || c == 0x2015 || c == 0x2026 || c == 0x00B7 ||
         (c >= 0x2018 && c <= 0x201F);
}

/* Characters that end a sentence, and so may end a paragraph. */
static inline gboolean
galley_cjk_is_sentence_end (gunichar c)
{
  return c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */ ||
         c == 0x2026 /* … */ || c == '!' || c == '?';
}

/* Closing quotes and brackets that may follow a sentence end. */
static inline gboolean
galley_cjk_is_closing (gunichar c)
{
  return c == 0x201D /* ” */ || c == 0x2019 /* ’ */ || c == 0xFF09 /* ） */ ||
         c == 0x300D /* 」 */ || c == 0x300F /* 』 */ || c == 0x300B /* 》 */ ||
         c == 0x3011 /* 】 */ || c == ')' || c == '"';
}

/* Text that belongs to Chinese context: Han characters and CJK punctuation. */
static inline gboolean
galley_cjk_is_chinese (gunichar c)
{
  return galley_cjk_is_han (c) || galley_cjk_is_punct (c);
}

G_END_DECLS
