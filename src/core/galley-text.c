/* galley-text.c: decoding OCR output into clean UTF-8 lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-text"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "galley-text.h"

G_DEFINE_QUARK (galley-text-error-quark, galley_text_error)

void
galley_text_common_ends (const char *a,
                         const char *b,
                         gsize      *prefix,
                         gsize      *suffix)
{
  gsize la = strlen (a), lb = strlen (b), pre = 0, suf = 0;

  while (pre < la && pre < lb && a[pre] == b[pre])
    pre++;
  while (pre > 0 && pre < la && (a[pre] & 0xc0) == 0x80)
    pre--;
  while (suf < la - pre && suf < lb - pre && a[la - 1 - suf] == b[lb - 1 - suf])
    suf++;
  while (suf > 0 && (a[la - suf] & 0xc0) == 0x80)
    suf--;
  *prefix = pre;
  *suffix = suf;
}

gsize
galley_text_normalize_newlines (char  *text,
                                gsize  len)
{
  gsize out = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\r')
        {
          text[out++] = '\n';
          if (i + 1 < len && text[i + 1] == '\n')
            i++;
        }
      else
        text[out++] = text[i];
    }
  if (out < len)
    text[out] = '\0';
  return out;
}

/* Text has few control characters; binary data has many. */
static gboolean
looks_like_text (const char *utf8,
                 gsize       len)
{
  gsize controls = 0, chars = 0;

  for (const char *p = utf8; p < utf8 + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      chars++;
      if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ||
          (c >= 0x7F && c < 0xA0) || c == 0xFFFD)
        controls++;
    }
  return controls * 100 <= chars;
}

static gboolean
is_blank (const char *utf8,
          gsize       len)
{
  for (const char *p = utf8; p < utf8 + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0xFEFF && c != 0x3000)
        return FALSE;
    }
  return TRUE;
}

/* UTF-16 without a BOM: the NUL bytes of ASCII characters (newlines,
 * digits, spaces) fall on one parity; those of CJK characters (U+4E00 is
 * 00 4E in UTF-16BE) are much rarer. Returns "UTF-16LE", "UTF-16BE" or NULL. */
static const char *
guess_utf16 (const char *data,
             gsize       len)
{
  gsize even = 0, odd = 0;

  if (len < 2 || len % 2 != 0)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\0')
      {
        if (i % 2 == 0)
          even++;
        else
          odd++;
      }
  if (odd > 4 * even)
    return "UTF-16LE";
  if (even > 4 * odd)
    return "UTF-16BE";
  return NULL;
}

static char *
convert (const char  *data,
         gsize        len,
         const char  *from,
         gsize       *out_len)
{
  g_autoptr(GError) error = NULL;
  gsize read = 0;
  char *out = g_convert (data, len, "UTF-8", from, &read, out_len, &error);

  /* A last character cut short: convert what comes before it. */
  if (out == NULL && g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_PARTIAL_INPUT) &&
      len - read < 4)
    return convert (data, read, from, out_len);
  if (out != NULL && read != len)
    g_clear_pointer (&out, g_free);
  return out;
}

char *
galley_text_decode (const char   *data,
                    gsize         len,
                    const char  **encoding,
                    GError      **error)
{
  const char *enc = NULL;
  g_autofree char *utf8 = NULL;
  gsize utf8_len = 0;
  gboolean valid = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > GALLEY_TEXT_MAX_SIZE)
    {
      g_set_error (error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_TOO_LARGE,
                   /* Translators: %s is a size such as "256 MB" */
                   _("The file is larger than %s; split it into pages first"),
                   GALLEY_TEXT_MAX_SIZE_TEXT);
      return NULL;
    }

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      enc = "UTF-8";
      data += 3;
      len -= 3;
    }
  else if (len >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
    {
      enc = "UTF-16LE";
      data += 2;
      len -= 2;
    }
  else if (len >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
    {
      enc = "UTF-16BE";
      data += 2;
      len -= 2;
    }

  if (len == 0)
    {
      g_set_error_literal (error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }

  if (enc == NULL && memchr (data, '\0', len) != NULL)
    {
      enc = guess_utf16 (data, len);
      if (enc == NULL)
        {
          g_set_error_literal (error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_BINARY,
                               _("The file is not text: it holds binary data"));
          return NULL;
        }
    }

  if (enc == NULL)
    {
      const char *end = NULL;

      valid = g_utf8_validate_len (data, len, &end);
      /* UTF-8 whose last character was cut short */
      if (!valid && end + 4 > data + len &&
          g_utf8_get_char_validated (end, data + len - end) == (gunichar) -2)
        {
          len = end - data;
          valid = TRUE;
        }
      if (valid)
        {
          enc = "UTF-8";
          utf8 = g_strndup (data, len);
          utf8_len = len;
        }
      else
        {
          enc = "GB18030";
          utf8 = convert (data, len, enc, &utf8_len);
        }
    }
  else if (g_str_equal (enc, "UTF-8"))
    {
      valid = g_utf8_validate_len (data, len, NULL);
      if (valid)
        {
          utf8 = g_strndup (data, len);
          utf8_len = len;
        }
    }
  else
    utf8 = convert (data, len, enc, &utf8_len);

  /* A converted text is checked here; UTF-8 was checked above (where
   * a nul byte makes it invalid too). */
  if (utf8 == NULL ||
      (!valid && (!g_utf8_validate_len (utf8, utf8_len, NULL) || memchr (utf8, '\0', utf8_len) != NULL)))
    {
      g_set_error_literal (error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_ENCODING,
                           _("The file is neither UTF-8, UTF-16 nor GB18030 text"));
      return NULL;
    }

  if (!looks_like_text (utf8, utf8_len))
    {
      g_set_error_literal (error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_BINARY,
                           _("The file is not text: it holds binary data"));
      return NULL;
    }

  if (is_blank (utf8, utf8_len))
    {
      g_set_error_literal (error, GALLEY_TEXT_ERROR, GALLEY_TEXT_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }

  utf8_len = galley_text_normalize_newlines (utf8, utf8_len);
  utf8[utf8_len] = '\0';
  if (encoding != NULL)
    *encoding = enc;
  return g_steal_pointer (&utf8);
}
