/* galley-segment.c: split an OCR'd page into articles and read their metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without coordinates, a page is a list of lines. Articles start at a
 * dateline (本报X讯（记者 …）) or at a byline on its own line (通讯员 X Y).
 * The headline block of an article is the run of short lines without
 * sentence-final punctuation that sits right before such a start; on some
 * pages it belongs to the following body, on others to the preceding one,
 * which is decided once per page. Every pass over the text is linear.
 */

#define G_LOG_DOMAIN "galley-segment"

#include "galley-segment.h"

#include <string.h>

#include "galley-cjk.h"

#define HEADLINE_MAX_CHARS 60
#define HEADLINE_MAX_LINES 4
#define CAPTION_MAX_CHARS  40
#define BYLINE_MAX_CHARS   30
#define INTERTITLE_MAX_CHARS 32

enum {
  F_BLANK    = 1 << 0,
  F_DATELINE = 1 << 1,
  F_BYLINE   = 1 << 2,
  F_CAND     = 1 << 3, /* could be a headline line */
  F_CAPTION  = 1 << 4,
  F_SENTENCE = 1 << 5, /* ends a sentence */
};

typedef struct {
  gsize start;   /* first byte of the line */
  gsize next;    /* first byte of the next line ('\n' included) */
  gsize tstart;  /* the text without surrounding white space */
  gsize tend;
  guint nchars;  /* characters in [tstart, tend) */
  guint flags;
} Line;

/* ---------------------------------------------------------------------- */
/* Characters */

static inline gboolean
is_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0;
}

static inline gboolean
is_digit (gunichar c)
{
  return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static inline int
digit_value (gunichar c)
{
  return c <= '9' ? (int) (c - '0') : (int) (c - 0xFF10);
}

/* Marks that may precede a byline or a dateline. */
static inline gboolean
is_lead_mark (gunichar c)
{
  return c == 0x25A0 /* ■ */ || c == 0x25A1 /* □ */ || c == 0x25CF /* ● */ ||
         c == 0x25C6 /* ◆ */ || c == 0x25B2 /* ▲ */ || c == 0x3010 /* 【 */ ||
         c == 0x2605 /* ★ */ || c == 0x2606 /* ☆ */;
}

static inline gboolean
is_intertitle_mark (gunichar c)
{
  return c == 0x25C6 /* ◆ */ || c == 0x25C7 /* ◇ */ || c == 0x25A0 /* ■ */ ||
         c == 0x25CF /* ● */ || c == 0x25B2 /* ▲ */ || c == 0x2605 /* ★ */ ||
         c == 0x25B6 /* ▶ */ || c == 0x2606 /* ☆ */;
}

static inline gboolean
is_cn_numeral (gunichar c)
{
  return c != 0 && g_utf8_strchr ("一二三四五六七八九十", -1, c) != NULL;
}

/* Last character of [start, end), 0 when empty. */
static gunichar
last_char (const char *text, gsize start, gsize end)
{
  const char *p;

  if (end <= start)
    return 0;
  p = g_utf8_find_prev_char (text + start, text + end);
  return p ? g_utf8_get_char (p) : 0;
}

static gboolean
has_prefix_at (const char *text, gsize pos, gsize end, const char *prefix)
{
  gsize n = strlen (prefix);

  return pos + n <= end && memcmp (text + pos, prefix, n) == 0;
}

/* ---------------------------------------------------------------------- */
/* Roles in a byline */

typedef enum {
  ROLE_NONE,
  ROLE_REPORTER,
  ROLE_CORRESPONDENT,
} BylineRole;

static const struct {
  const char *word;
  BylineRole  role;
} byline_words[] = {
  /* longest first: the first match wins */
  { "本报特约记者", ROLE_REPORTER },
  { "本报见习记者", ROLE_REPORTER },
  { "本报实习记者", ROLE_REPORTER },
  { "本报通讯员", ROLE_CORRESPONDENT },
  { "本报记者", ROLE_REPORTER },
  { "特约记者", ROLE_REPORTER },
  { "见习记者", ROLE_REPORTER },
  { "实习记者", ROLE_REPORTER },
  { "特约通讯员", ROLE_CORRESPONDENT },
  { "通讯员", ROLE_CORRESPONDENT },
  { "实习生", ROLE_CORRESPONDENT },
  { "记者", ROLE_REPORTER },
  { "文/图", ROLE_REPORTER },
  { "文／图", ROLE_REPORTER },
  { "撰稿", ROLE_REPORTER },
  { "摄影", ROLE_REPORTER },
};

/* Length in bytes of the role word at text[pos], 0 if none. */
static gsize
match_role_word (const char *text, gsize pos, gsize end, BylineRole *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (byline_words); i++)
    if (has_prefix_at (text, pos, end, byline_words[i].word))
      {
        if (role)
          *role = byline_words[i].role;
        return strlen (byline_words[i].word);
      }
  return 0;
}

typedef struct {
  GPtrArray *reporters;
  GPtrArray *correspondents;
  guint      n_names;
  gboolean   ok;      /* only roles and names were seen */
} Names;

static void
names_init (Names *names)
{
  names->reporters = g_ptr_array_new_with_free_func (g_free);
  names->correspondents = g_ptr_array_new_with_free_func (g_free);
  names->n_names = 0;
  names->ok = TRUE;
}

static void
names_clear (Names *names)
{
  g_clear_pointer (&names->reporters, g_ptr_array_unref);
  g_clear_pointer (&names->correspondents, g_ptr_array_unref);
}

static char **
steal_strv (GPtrArray **array)
{
  g_ptr_array_add (*array, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (array), FALSE);
}

/* A name is 1 to 5 Han characters (a middle dot allowed), without line
 * breaks (the caller joins them). */
static gboolean
is_name (const char *s, gsize n)
{
  guint count = 0;

  for (const char *p = s; p < s + n; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!galley_cjk_is_han (c) && c != 0x00B7 && c != 0x30FB)
        return FALSE;
      count++;
    }
  return count >= 1 && count <= 5;
}

/* Read "记者 曹俐 通讯员 段亚洲 马迪" (already joined into one line). */
static void
parse_names (const char *text, gsize len, Names *names)
{
  BylineRole role = ROLE_NONE;
  gsize pos = 0;

  while (pos < len)
    {
      gunichar c = g_utf8_get_char (text + pos);
      gsize word_len, tok_end;
      BylineRole r;

      if (is_space (c) || c == 0x3001 /* 、 */ || c == 0xFF0C /* ， */ ||
          c == ',' || c == '\n' || c == 0xFF1A /* ： */ || c == ':')
        {
          pos = g_utf8_next_char (text + pos) - text;
          continue;
        }

      word_len = match_role_word (text, pos, len, &r);
      if (word_len > 0)
        {
          role = r;
          pos += word_len;
          continue;
        }

      tok_end = pos;
      while (tok_end < len)
        {
          gunichar d = g_utf8_get_char (text + tok_end);

          if (is_space (d) || d == 0x3001 || d == 0xFF0C || d == ',' || d == '\n' ||
              match_role_word (text, tok_end, len, NULL) > 0)
            break;
          tok_end = g_utf8_next_char (text + tok_end) - text;
        }

      if (role != ROLE_NONE && is_name (text + pos, tok_end - pos))
        {
          char *name = g_strndup (text + pos, tok_end - pos);

          g_ptr_array_add (role == ROLE_CORRESPONDENT ? names->correspondents
                                                      : names->reporters, name);
          names->n_names++;
        }
      else if (!(tok_end - pos == strlen ("摄") && has_prefix_at (text, pos, len, "摄")) &&
               !(tok_end - pos == strlen ("报道") && has_prefix_at (text, pos, len, "报道")))
        names->ok = FALSE;
      pos = tok_end;
    }
}

/* ---------------------------------------------------------------------- */
/* Readable text: headline parts and bylines */

static gboolean
is_chinese_at (const char *s, gsize len, gsize pos)
{
  return pos < len && galley_cjk_is_chinese (g_utf8_get_char (s + pos));
}

/* Collapse white space (line breaks included) to single spaces, trim, make
 * ASCII punctuation next to Chinese text full width, pair straight quotes. */
static char *
readable_text (const char *s, gsize len)
{
  GString *out = g_string_sized_new (len + 8);
  gboolean pending_space = FALSE;
  gboolean open_quote = TRUE;
  gunichar prev = 0;
  gsize pos = 0;

  while (pos < len)
    {
      gunichar c = g_utf8_get_char (s + pos);
      gsize next = g_utf8_next_char (s + pos) - s;
      gboolean cn_next = is_chinese_at (s, len, next);
      gboolean cn_prev = prev != 0 && galley_cjk_is_chinese (prev);
      const char *repl = NULL;

      if (is_space (c) || c == '\n')
        {
          pending_space = out->len > 0;
          pos = next;
          continue;
        }

      switch (c)
        {
        case '(': if (cn_prev || cn_next) repl = "（"; break;
        case ')': if (cn_prev || cn_next) repl = "）"; break;
        case ',': if (cn_prev || cn_next) repl = "，"; break;
        case ';': if (cn_prev || cn_next) repl = "；"; break;
        case ':': if (cn_prev || cn_next) repl = "："; break;
        case '?': if (cn_prev) repl = "？"; break;
        case '!': if (cn_prev) repl = "！"; break;
        case '"':
          repl = open_quote ? "“" : "”";
          open_quote = !open_quote;
          break;
        case 0x201C: open_quote = FALSE; break;
        case 0x201D: open_quote = TRUE; break;
        default: break;
        }

      if (pending_space)
        {
          gunichar r = repl ? g_utf8_get_char (repl) : c;

          /* no space just inside brackets or before punctuation */
          if (!(prev == 0xFF08 || prev == '(' || r == 0xFF09 || r == ')' ||
                (galley_cjk_is_punct (r) && r != 0x201C && r != 0x300A && r != 0xFF08) ||
                (galley_cjk_is_punct (prev) && prev != 0x201D && prev != 0x300B && prev != 0xFF09)))
            g_string_append_c (out, ' ');
          pending_space = FALSE;
        }

      if (repl)
        {
          g_string_append (out, repl);
          prev = g_utf8_get_char (repl);
        }
      else
        {
          g_string_append_len (out, s + pos, next - pos);
          prev = c;
        }
      pos = next;
    }

  return g_string_free (out, FALSE);
}

/* "加速推进加速推进" -> "加速推进": a space-separated part that is the same
 * run of three or more characters twice over is an OCR doubling; so is a
 * line whose parts repeat. Real reduplication (看看, 一步一步) is shorter. */
static char *
undouble (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, " ", -1);
  guint n = g_strv_length (parts);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      char *part = parts[i];
      glong chars = g_utf8_strlen (part, -1);
      gsize bytes = strlen (part);

      if (chars >= 6 && chars % 2 == 0 && bytes % 2 == 0)
        {
          const char *half = g_utf8_offset_to_pointer (part, chars / 2);

          if ((gsize) (half - part) * 2 == bytes && memcmp (part, half, bytes / 2) == 0)
            part[bytes / 2] = '\0';
        }
    }

  /* "甲 乙 甲 乙" -> "甲 乙" */
  if (n >= 2 && n % 2 == 0)
    {
      gboolean same = TRUE;

      for (guint i = 0; i < n / 2 && same; i++)
        same = strcmp (parts[i], parts[i + n / 2]) == 0;
      if (same)
        n /= 2;
    }

  for (guint i = 0; i < n; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
headline_text (const char *s, gsize len)
{
  g_autofree char *readable = readable_text (s, len);

  return undouble (readable);
}

/* ---------------------------------------------------------------------- */
/* Lines */

static GArray *
split_lines (const char *text, gsize len)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  gsize pos = 0;

  while (pos < len)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      gsize end = nl ? (gsize) (nl - text) : len;
      Line line = { pos, nl ? end + 1 : len, pos, end, 0, 0 };

      while (line.tstart < line.tend)
        {
          gunichar c = g_utf8_get_char (text + line.tstart);

          if (!is_space (c))
            break;
          line.tstart = g_utf8_next_char (text + line.tstart) - text;
        }
      while (line.tend > line.tstart)
        {
          const char *p = g_utf8_find_prev_char (text + line.tstart, text + line.tend);
          gunichar c = g_utf8_get_char (p);

          if (!is_space (c))
            break;
          line.tend = p - text;
        }
      line.nchars = g_utf8_strlen (text + line.tstart, line.tend - line.tstart);
      g_array_append_val (lines, line);
      pos = line.next;
    }

  return lines;
}

static gboolean
ends_sentence (const char *text, gsize start, gsize end)
{
  while (end > start)
    {
      const char *p = g_utf8_find_prev_char (text + start, text + end);
      gunichar c = g_utf8_get_char (p);

      if (galley_cjk_is_sentence_end (c))
        return TRUE;
      if (!galley_cjk_is_closing (c))
        return FALSE;
      end = p - text;
    }
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Datelines and bylines */

typedef struct {
  gsize  end;            /* page offset right after the dateline prefix */
  char  *byline;
  char  *place;
  Names  names;
} Dateline;

static void
dateline_clear (Dateline *d)
{
  g_clear_pointer (&d->byline, g_free);
  g_clear_pointer (&d->place, g_free);
  names_clear (&d->names);
}

/* Join the lines of a wrapped byline: a break inside a name or a role word
 * joins with nothing, a break before a role word with a space. */
static char *
join_wrapped (const char *text, gsize start, gsize end)
{
  GString *out = g_string_sized_new (end - start);

  for (gsize pos = start; pos < end; pos++)
    {
      if (text[pos] == '\n')
        {
          gsize next = pos + 1;

          while (next < end && (text[next] == ' ' || text[next] == '\t'))
            next++;
          if (match_role_word (text, next, end, NULL) > 0)
            g_string_append_c (out, ' ');
          pos = next - 1;
          continue;
        }
      g_string_append_c (out, text[pos]);
    }
  return g_string_free (out, FALSE);
}

/* 本报济宁讯（记者 刘菲）, 本报讯, 新华社北京4月10日电（记者 …） at pos. */
static gboolean
match_dateline (const char *text, gsize len, gsize pos, Dateline *out)
{
  gsize begin, p, place_start, place_end;
  guint count = 0;

  while (pos < len && is_lead_mark (g_utf8_get_char (text + pos)))
    pos = g_utf8_next_char (text + pos) - text;
  begin = pos;

  if (has_prefix_at (text, pos, len, "本报"))
    {
      p = place_start = pos + strlen ("本报");
      while (p < len && count <= 6 && !has_prefix_at (text, p, len, "讯"))
        {
          if (!galley_cjk_is_han (g_utf8_get_char (text + p)))
            return FALSE;
          p = g_utf8_next_char (text + p) - text;
          count++;
        }
      if (!has_prefix_at (text, p, len, "讯"))
        return FALSE;
      place_end = p;
      p += strlen ("讯");
    }
  else
    {
      /* an agency: 2 to 4 Han characters and 社, then place and date, then 电 */
      p = pos;
      while (p < len && count < 4 && !has_prefix_at (text, p, len, "社") &&
             galley_cjk_is_han (g_utf8_get_char (text + p)))
        {
          p = g_utf8_next_char (text + p) - text;
          count++;
        }
      if (count < 2 || !has_prefix_at (text, p, len, "社"))
        return FALSE;
      p = place_start = place_end = p + strlen ("社");
      count = 0;
      while (p < len && count < 16 && !has_prefix_at (text, p, len, "电"))
        {
          gunichar c = g_utf8_get_char (text + p);

          if (is_digit (c) || has_prefix_at (text, p, len, "月") || has_prefix_at (text, p, len, "日"))
            ;
          else if (galley_cjk_is_han (c) && place_end == p)
            place_end = g_utf8_next_char (text + p) - text;
          else if (!is_space (c))
            return FALSE;
          p = g_utf8_next_char (text + p) - text;
          count++;
        }
      if (!has_prefix_at (text, p, len, "电") || place_end == place_start)
        return FALSE;
      p += strlen ("电");
    }

  if (out)
    {
      gsize q = p, open_end = 0, close = 0, close_start = 0;
      g_autofree char *joined = NULL;

      /* the bracket with the names, possibly wrapped over lines */
      while (q < len && (text[q] == ' ' || text[q] == '\t'))
        q++;
      if (has_prefix_at (text, q, len, "（") || text[q] == '(')
        {
          gsize r = q + (text[q] == '(' ? 1 : strlen ("（"));

          open_end = r;

          for (count = 0; r < len && count < 80; count++)
            {
              gunichar c = g_utf8_get_char (text + r);

              if (c == 0xFF09 || c == ')')
                {
                  close_start = r;
                  close = g_utf8_next_char (text + r) - text;
                  break;
                }
              if (c == 0x3002 || c == 0xFF08 || c == '(')
                break;
              r = g_utf8_next_char (text + r) - text;
            }
        }

      memset (out, 0, sizeof *out);
      names_init (&out->names);
      out->end = close ? close : p;
      out->place = g_strndup (text + place_start, place_end - place_start);
      joined = join_wrapped (text, begin, out->end);
      out->byline = readable_text (joined, strlen (joined));
      if (close)
        {
          g_autofree char *inner = join_wrapped (text, open_end, close_start);

          parse_names (inner, strlen (inner), &out->names);
        }
    }
  return TRUE;
}

/* A byline on its own line: "通讯员 绪言 吴丛", "■本报记者 刘菲 曹俐". */
static gboolean
match_byline_line (const char *text, const Line *line, Dateline *out)
{
  gsize pos = line->tstart;
  Names names;
  gboolean ok;

  if (line->nchars == 0 || line->nchars > BYLINE_MAX_CHARS)
    return FALSE;
  while (pos < line->tend && is_lead_mark (g_utf8_get_char (text + pos)))
    pos = g_utf8_next_char (text + pos) - text;
  if (match_role_word (text, pos, line->tend, NULL) == 0)
    return FALSE;

  names_init (&names);
  parse_names (text + pos, line->tend - pos, &names);
  ok = names.ok && names.n_names > 0;
  if (ok && out)
    {
      memset (out, 0, sizeof *out);
      out->end = line->tend;
      out->byline = readable_text (text + line->tstart, line->tend - line->tstart);
      out->place = g_strdup ("");
      out->names = names;
    }
  else
    names_clear (&names);
  return ok;
}

void
galley_byline_parse (const char   *byline,
                      char        **place,
                      char       ***reporters,
                      char       ***correspondents)
{
  gsize len = strlen (byline), pos = 0;
  Dateline d = { 0 };

  if (match_dateline (byline, len, 0, &d))
    {
      *place = g_steal_pointer (&d.place);
      *reporters = steal_strv (&d.names.reporters);
      *correspondents = steal_strv (&d.names.correspondents);
      dateline_clear (&d);
      return;
    }
  *place = g_strdup ("");
  names_init (&d.names);
  while (pos < len && is_lead_mark (g_utf8_get_char (byline + pos)))
    pos = g_utf8_next_char (byline + pos) - byline;
  if (match_role_word (byline, pos, len, NULL) > 0)
    parse_names (byline + pos, len - pos, &d.names);
  *reporters = steal_strv (&d.names.reporters);
  *correspondents = steal_strv (&d.names.correspondents);
}

/* ---------------------------------------------------------------------- */
/* Dates and years */

/* Read digits at *pos (line breaks and spaces between them allowed). */
static int
read_number (const char *text, gsize end, gsize *pos, guint max_digits)
{
  int value = 0;
  guint n = 0;
  gsize p = *pos;

  while (p < end && n < max_digits)
    {
      gunichar c = g_utf8_get_char (text + p);

      if (is_digit (c))
        {
          value = value * 10 + digit_value (c);
          n++;
        }
      else if (!(n > 0 && (is_space (c) || c == '\n')))
        break;
      p = g_utf8_next_char (text + p) - text;
    }
  if (n == 0)
    return -1;
  /* give back trailing white space */
  while (p > *pos && (text[p - 1] == ' ' || text[p - 1] == '\n' || text[p - 1] == '\t'))
    p--;
  *pos = p;
  return value;
}

static gsize
skip_white (const char *text, gsize end, gsize p)
{
  while (p < end && (text[p] == ' ' || text[p] == '\n' || text[p] == '\t' || text[p] == '\r'))
    p++;
  return p;
}

/* The first "M月D日" in text[start, end) before the end of the first sentence. */
static gboolean
find_date (const char *text, gsize start, gsize end, int *month, int *day)
{
  guint count = 0;

  for (gsize p = start; p < end && count < 400; count++)
    {
      gunichar c = g_utf8_get_char (text + p);

      if (c == 0x3002 /* 。 */)
        return FALSE;
      if (is_digit (c) && (p == start || !is_digit (last_char (text, start, p))))
        {
          gsize q = p;
          int m = read_number (text, end, &q, 2), d;

          q = skip_white (text, end, q);
          if (m >= 1 && m <= 12 && has_prefix_at (text, q, end, "月"))
            {
              q = skip_white (text, end, q + strlen ("月"));
              d = read_number (text, end, &q, 2);
              q = skip_white (text, end, q);
              if (d >= 1 && d <= 31 && (has_prefix_at (text, q, end, "日") ||
                                        has_prefix_at (text, q, end, "号")))
                {
                  *month = m;
                  *day = d;
                  return TRUE;
                }
            }
        }
      p = g_utf8_next_char (text + p) - text;
    }
  return FALSE;
}

/* The latest year printed as "YYYY年" on the page, ranges (2023—2027年) and
 * targets (到2035年) left out; 0 when none. */
static int
year_in_text (const char *text, gsize len)
{
  int best = 0;

  for (gsize p = 0; p + 4 < len; p++)
    {
      int y;
      gunichar before;

      if (!((text[p] == '1' && text[p + 1] == '9') || (text[p] == '2' && text[p + 1] == '0')))
        continue;
      if (!g_ascii_isdigit (text[p + 2]) || !g_ascii_isdigit (text[p + 3]) ||
          !has_prefix_at (text, p + 4, len, "年"))
        continue;
      before = last_char (text, 0, p);
      if (is_digit (before) || g_ascii_isalpha (before) || before == 0x2014 || before == '-' ||
          before == 0xFF5E || before == '~' || before == 0x5230 /* 到 */ ||
          (before == 0x81F3 /* 至 */ && !(p >= 6 && has_prefix_at (text, p - 6, len, "截至"))))
        continue;
      y = (text[p] - '0') * 1000 + (text[p + 1] - '0') * 100 + (text[p + 2] - '0') * 10 + (text[p + 3] - '0');
      best = MAX (best, y);
    }
  return best;
}

/* A year 19xx/20xx standing alone in a file name (or starting a YYYYMMDD run). */
static int
year_in_file_name (const char *name)
{
  g_autofree char *base = NULL;
  gsize n;

  if (name == NULL)
    return 0;
  base = g_path_get_basename (name);
  n = strlen (base);
  for (gsize p = 0; p + 4 <= n; p++)
    {
      gsize run = 0;

      if (p > 0 && g_ascii_isalnum (base[p - 1]))
        continue;
      while (p + run < n && g_ascii_isdigit (base[p + run]))
        run++;
      if ((run == 4 || run == 8) && (p + run == n || !g_ascii_isalpha (base[p + run])) &&
          (strncmp (base + p, "19", 2) == 0 || strncmp (base + p, "20", 2) == 0))
        return (base[p] - '0') * 1000 + (base[p + 1] - '0') * 100 +
               (base[p + 2] - '0') * 10 + (base[p + 3] - '0');
      p += run > 0 ? run - 1 : 0;
    }
  return 0;
}

static char *
iso_date (int year, int month, int day)
{
  if (year <= 0 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* ---------------------------------------------------------------------- */
/* Headline lines */

static gboolean
ends_with_any (const char *s, const char * const *words)
{
  gsize n = strlen (s);

  for (guint i = 0; words[i]; i++)
    {
      gsize m = strlen (words[i]);

      if (m <= n && memcmp (s + n - m, words[i], m) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A subtitle often reports the event: "…会议召开", "…举行". */
static gboolean
is_event_line (const char *s)
{
  static const char * const words[] = {
    "召开", "举行", "举办", "开幕", "闭幕", "启动", "揭牌", "签约", "开班",
    "成立", "落幕", "揭晓", "发布", "开工", "竣工", "开业", "亮相", NULL
  };

  return ends_with_any (s, words);
}

/* A kicker names a place or an organisation: "济宁高新区", "黄屯街道",
 * "…组织部（人力资源部）". */
static gboolean
is_place_line (const char *s)
{
  static const char * const words[] = {
    "区", "县", "市", "省", "州", "镇", "乡", "村", "街道", "社区", "局", "部", "委",
    "办", "厅", "院", "所", "校", "站", "中心", "公司", "集团", "基地", "园", "馆",
    "队", "处", "科", "室", "厂", "行", NULL
  };
  g_autofree char *copy = g_strdup (s);
  gsize n = strlen (copy);

  /* drop a trailing bracket: "组织部（人力资源部）" */
  if (g_str_has_suffix (copy, "）"))
    {
      char *open = g_strrstr (copy, "（");

      if (open && open > copy)
        *open = '\0';
    }
  n = strlen (copy);
  return n > 0 && g_utf8_strlen (copy, -1) <= 20 && ends_with_any (copy, words);
}

static glong
count_chars (const char *s)
{
  glong n = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (*p != ' ')
      n++;
  return n;
}

/* Which line of a headline block is kicker, title, subtitle. texts are the
 * readable lines; separated[i]: a blank line stands between line i-1 and i. */
static void
classify_block (char **texts, const gboolean *separated, guint n, GalleyLineRole *roles)
{
  guint lo = 0, hi = n;

  for (guint i = 0; i < n; i++)
    roles[i] = GALLEY_LINE_TITLE;
  if (n < 2)
    return;

  /* the last line is a subtitle when it reports an event or is clearly
   * longer than the line above (but a place name above a longer line is a
   * kicker, not a title) */
  {
    const char *a = texts[n - 2], *b = texts[n - 1];
    glong na = count_chars (a), nb = count_chars (b);
    gboolean longer = na >= 6 && nb * 10 >= na * 13;

    if (is_event_line (b) || g_str_has_prefix (b, "—") ||
        (longer && !(n == 2 && is_place_line (a))))
      {
        roles[n - 1] = GALLEY_LINE_SUBTITLE;
        hi--;
      }
  }

  if (hi - lo >= 2 && (is_place_line (texts[0]) || separated[1]))
    {
      roles[0] = GALLEY_LINE_KICKER;
      lo++;
    }
}

/* Join readable headline lines of one role. */
static void
append_headline (GString *out, const char *piece)
{
  if (*piece == '\0')
    return;
  if (out->len > 0 && g_ascii_isalnum (out->str[out->len - 1]) && g_ascii_isalnum (piece[0]))
    g_string_append_c (out, ' ');
  g_string_append (out, piece);
}

/* ---------------------------------------------------------------------- */
/* Intertitles */

static gboolean
has_any_char (const char *text, gsize start, gsize end, const char *chars)
{
  for (gsize p = start; p < end; p = g_utf8_next_char (text + p) - text)
    if (g_utf8_strchr (chars, -1, g_utf8_get_char (text + p)))
      return TRUE;
  return FALSE;
}

/* "一、" "（一）" "1." "1、" "1 创新…" */
static gboolean
is_numbered (const char *text, const Line *l)
{
  gsize p = l->tstart, end = l->tend;
  gunichar c = g_utf8_get_char (text + p);

  if (c == 0xFF08 || c == '(')
    {
      gsize q = g_utf8_next_char (text + p) - text;
      guint n = 0;

      while (q < end && is_cn_numeral (g_utf8_get_char (text + q)) && n < 3)
        {
          q = g_utf8_next_char (text + q) - text;
          n++;
        }
      return n > 0 && q < end && (text[q] == ')' || has_prefix_at (text, q, end, "）"));
    }
  if (is_cn_numeral (c))
    {
      guint n = 0;

      while (p < end && is_cn_numeral (g_utf8_get_char (text + p)) && n < 3)
        {
          p = g_utf8_next_char (text + p) - text;
          n++;
        }
      return has_prefix_at (text, p, end, "、");
    }
  if (is_digit (c))
    {
      guint n = 0;

      while (p < end && is_digit (g_utf8_get_char (text + p)) && n < 3)
        {
          p = g_utf8_next_char (text + p) - text;
          n++;
        }
      if (p >= end || n > 2)
        return FALSE;
      c = g_utf8_get_char (text + p);
      if (c == '.' || c == 0xFF0E || c == 0x3001 /* 、 */ || is_space (c))
        {
          p = g_utf8_next_char (text + p) - text;
          while (p < end && is_space (g_utf8_get_char (text + p)))
            p = g_utf8_next_char (text + p) - text;
          return p < end && galley_cjk_is_chinese (g_utf8_get_char (text + p));
        }
    }
  return FALSE;
}

/* Intertitles among the body lines: marked (◆) or numbered lines, and short
 * lines without sentence-final punctuation that stand between paragraphs.
 * Wide text has a paragraph per line; narrow column text is hard-wrapped
 * at a width W, where a line clearly shorter than W ends its paragraph. */
static char **
find_intertitles (const char *text, const Line *lines, guint n)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint hist[64] = { 0 };
  guint width = 0, best = 0, n_long = 0, n_text = 0;
  gboolean wide, para_start = TRUE;

  for (guint i = 0; i < n; i++)
    {
      if (lines[i].nchars == 0)
        continue;
      n_text++;
      if (lines[i].nchars > 40)
        n_long++;
      else if (lines[i].nchars >= 8)
        hist[lines[i].nchars]++;
    }
  wide = n_long * 3 >= n_text;
  for (guint w = 8; w < G_N_ELEMENTS (hist); w++)
    if (hist[w] > best)
      {
        best = hist[w];
        width = w;
      }

  for (guint i = 0; i < n; i++)
    {
      const Line *l = &lines[i];
      gboolean sentence, hit = FALSE;
      gunichar first;
      guint j;

      if (l->nchars == 0)
        continue;
      if (l->flags & (F_DATELINE | F_BYLINE))
        {
          para_start = TRUE;
          continue;
        }
      sentence = (l->flags & F_SENTENCE) != 0;
      first = g_utf8_get_char (text + l->tstart);

      if (is_intertitle_mark (first) && l->nchars <= 60)
        hit = TRUE;
      else if (is_numbered (text, l) && l->nchars <= 40 && !sentence)
        hit = TRUE;
      else if (para_start && !sentence &&
               !has_any_char (text, l->tstart, l->tend, "，,、；;。：:"))
        {
          if (wide && l->nchars <= 30)
            hit = TRUE;
          else if (!wide && width > 0 && l->nchars + 4 <= width)
            hit = TRUE;
          else if (!wide && width > 0)
            {
              /* wrapped over two lines: a full line, then a short one */
              for (j = i + 1; j < n && lines[j].nchars == 0; j++)
                ;
              if (j < n && lines[j].nchars + 4 <= width &&
                  l->nchars + lines[j].nchars <= INTERTITLE_MAX_CHARS &&
                  !(lines[j].flags & F_SENTENCE) &&
                  !has_any_char (text, lines[j].tstart, lines[j].tend, "，,、；;。：:"))
                {
                  g_ptr_array_add (out, g_strdup_printf ("%.*s%.*s",
                                                         (int) (l->tend - l->tstart), text + l->tstart,
                                                         (int) (lines[j].tend - lines[j].tstart),
                                                         text + lines[j].tstart));
                  i = j;
                  para_start = TRUE;
                  continue;
                }
            }
        }

      if (hit)
        g_ptr_array_add (out, g_strndup (text + l->tstart, l->tend - l->tstart));
      para_start = hit || sentence;
    }

  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Building a segment from its lines and their roles */

static Line
measure_line (const char *text, gsize start, gsize end)
{
  Line l = { start, end, start, end, 0, 0 };

  if (l.tend > l.tstart && text[l.tend - 1] == '\n')
    l.tend--;
  while (l.tstart < l.tend && is_space (g_utf8_get_char (text + l.tstart)))
    l.tstart = g_utf8_next_char (text + l.tstart) - text;
  while (l.tend > l.tstart)
    {
      const char *p = g_utf8_find_prev_char (text + l.tstart, text + l.tend);

      if (!is_space (g_utf8_get_char (p)))
        break;
      l.tend = p - text;
    }
  l.nchars = g_utf8_strlen (text + l.tstart, l.tend - l.tstart);
  if (l.nchars == 0)
    l.flags |= F_BLANK;
  else if (ends_sentence (text, l.tstart, l.tend))
    l.flags |= F_SENTENCE;
  return l;
}

/* Blank lines inside the body belong to it; those before or after it do not. */
static void
fix_blank_roles (const char *text, GArray *glines)
{
  gint first = -1, last = -1;

  for (guint i = 0; i < glines->len; i++)
    {
      GalleyLine *gl = &g_array_index (glines, GalleyLine, i);
      Line l = measure_line (text, gl->start, gl->end);

      if (l.nchars == 0 && (gl->role == GALLEY_LINE_BODY || gl->role == GALLEY_LINE_BLANK))
        gl->role = GALLEY_LINE_BLANK;
      else if (gl->role == GALLEY_LINE_BODY)
        {
          if (first < 0)
            first = i;
          last = i;
        }
    }
  for (gint i = MAX (first, 0); i < last; i++)
    {
      GalleyLine *gl = &g_array_index (glines, GalleyLine, i);

      if (gl->role == GALLEY_LINE_BLANK)
        gl->role = GALLEY_LINE_BODY;
    }
}

/* Takes glines. */
static GalleySegment *
assemble (const char *text, GArray *glines, int year)
{
  GalleySegment *seg = g_new0 (GalleySegment, 1);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) kicker = g_string_new (NULL);
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GPtrArray) captions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) body_lines = g_array_new (FALSE, FALSE, sizeof (Line));
  Dateline d = { 0, };
  gboolean have_byline = FALSE, is_dateline = FALSE;
  int month, day;

  fix_blank_roles (text, glines);
  seg->lines = glines;
  if (glines->len > 0)
    {
      seg->start = g_array_index (glines, GalleyLine, 0).start;
      seg->end = g_array_index (glines, GalleyLine, glines->len - 1).end;
    }

  for (guint i = 0; i < glines->len; i++)
    {
      const GalleyLine *gl = &g_array_index (glines, GalleyLine, i);
      Line l = measure_line (text, gl->start, gl->end);
      g_autofree char *h = NULL;

      switch (gl->role)
        {
        case GALLEY_LINE_BODY:
          g_string_append_len (body, text + gl->start, gl->end - gl->start);
          g_array_append_val (body_lines, l);
          break;
        case GALLEY_LINE_KICKER:
        case GALLEY_LINE_TITLE:
        case GALLEY_LINE_SUBTITLE:
          h = headline_text (text + l.tstart, l.tend - l.tstart);
          append_headline (gl->role == GALLEY_LINE_KICKER ? kicker :
                           gl->role == GALLEY_LINE_TITLE ? title : subtitle, h);
          break;
        case GALLEY_LINE_CAPTION:
          if (l.nchars > 0)
            g_ptr_array_add (captions, g_strndup (text + l.tstart, l.tend - l.tstart));
          break;
        case GALLEY_LINE_BLANK:
        default:
          break;
        }
    }

  /* the dateline or byline opens the body */
  for (guint i = 0; i < body_lines->len; i++)
    {
      Line *l = &g_array_index (body_lines, Line, i);

      if (l->nchars == 0)
        continue;
      if (match_dateline (text, seg->end, l->tstart, &d))
        {
          have_byline = is_dateline = TRUE;
          l->flags |= F_DATELINE;
        }
      else if (match_byline_line (text, l, &d))
        {
          have_byline = TRUE;
          l->flags |= F_BYLINE;
        }
      break;
    }

  seg->kicker = g_string_free (g_steal_pointer (&kicker), FALSE);
  seg->title = g_string_free (g_steal_pointer (&title), FALSE);
  seg->subtitle = g_string_free (g_steal_pointer (&subtitle), FALSE);
  if (have_byline)
    {
      seg->byline = g_steal_pointer (&d.byline);
      seg->place = g_steal_pointer (&d.place);
      seg->reporters = steal_strv (&d.names.reporters);
      seg->correspondents = steal_strv (&d.names.correspondents);
    }
  else
    {
      seg->byline = g_strdup ("");
      seg->place = g_strdup ("");
      seg->reporters = g_new0 (char *, 1);
      seg->correspondents = g_new0 (char *, 1);
    }
  if (is_dateline && find_date (text, d.end, seg->end, &month, &day))
    {
      seg->date_text = g_strdup_printf ("%d月%d日", month, day);
      seg->date = iso_date (year, month, day);
    }
  else
    seg->date_text = g_strdup ("");
  dateline_clear (&d);

  g_ptr_array_add (captions, NULL);
  seg->captions = (char **) g_ptr_array_free (g_steal_pointer (&captions), FALSE);
  seg->intertitles = find_intertitles (text, (const Line *) body_lines->data, body_lines->len);
  seg->body = g_string_free (g_steal_pointer (&body), FALSE);
  return seg;
}

/* ---------------------------------------------------------------------- */
/* The page */

static gboolean
is_caption_marked (const char *text, const Line *l)
{
  if (l->nchars > 120)
    return FALSE;
  if (has_prefix_at (text, l->tstart, l->tend, "图为") ||
      has_prefix_at (text, l->tstart, l->tend, "▲") ||
      has_prefix_at (text, l->tstart, l->tend, "△") ||
      has_prefix_at (text, l->tstart, l->tend, "↑") ||
      has_prefix_at (text, l->tstart, l->tend, "图："))
    return TRUE;
  /* "（记者 张三 摄）" at the end */
  for (gsize p = l->tstart; p < l->tend; p = g_utf8_next_char (text + p) - text)
    if (has_prefix_at (text, p, l->tend, "摄）") || has_prefix_at (text, p, l->tend, "摄)"))
      return TRUE;
  return FALSE;
}

static gboolean
is_headline_candidate (const char *text, const Line *l)
{
  gunichar first, last;
  guint han = 0;

  if (l->nchars == 0 || l->nchars > HEADLINE_MAX_CHARS ||
      (l->flags & (F_DATELINE | F_BYLINE | F_CAPTION | F_SENTENCE)))
    return FALSE;
  first = g_utf8_get_char (text + l->tstart);
  last = last_char (text, l->tstart, l->tend);
  if ((first == 0xFF08 || first == '(') && (last == 0xFF09 || last == ')'))
    return FALSE; /* a note: （完）, （记者 张三） */
  if (galley_cjk_is_closing (first) || g_utf8_strchr ("，,、；;。：:", -1, first) ||
      g_utf8_strchr ("，,、；;：:", -1, last) || is_intertitle_mark (first))
    return FALSE;
  for (gsize p = l->tstart; p < l->tend; p = g_utf8_next_char (text + p) - text)
    {
      gunichar c = g_utf8_get_char (text + p);

      if (c == 0x3002 /* 。 */ || c == 0xFF1B /* ； */)
        return FALSE;
      if (galley_cjk_is_han (c))
        han++;
    }
  return han >= 2;
}

typedef struct {
  gint first; /* line indices, -1 when there is no block */
  gint last;
} Block;

/* The headline block right above line s, not reaching line floor. */
static Block
scan_block (const char *text, const Line *lines, guint s, gint floor)
{
  Block b = { -1, -1 };
  guint count = 0;
  gint j;

  for (j = (gint) s - 1; j > floor; j--)
    {
      if (lines[j].flags & F_BLANK)
        continue;
      if (!(lines[j].flags & F_CAND) || count == HEADLINE_MAX_LINES)
        break;
      if (b.last < 0)
        b.last = j;
      b.first = j;
      count++;
    }

  /* a line glued to an unfinished column line above continues it (a wide
   * line above is a paragraph of its own that lost its full stop) */
  while (b.first >= 0 && b.first - 1 > floor &&
         !(lines[b.first - 1].flags & (F_BLANK | F_SENTENCE | F_CAND)) &&
         lines[b.first - 1].nchars <= HEADLINE_MAX_CHARS)
    {
      gint k = b.first + 1;

      while (k <= b.last && (lines[k].flags & F_BLANK))
        k++;
      if (k > b.last)
        b.first = b.last = -1;
      else
        b.first = k;
    }
  return b;
}

static gboolean
block_empty (Block b)
{
  return b.first < 0;
}

static void
add_bigrams (GHashTable *set, const char *text, gsize start, gsize end)
{
  gunichar prev = 0;

  for (gsize p = start; p < end; p = g_utf8_next_char (text + p) - text)
    {
      gunichar c = g_utf8_get_char (text + p);

      if (!galley_cjk_is_han (c))
        {
          prev = 0;
          continue;
        }
      if (prev)
        g_hash_table_add (set, GUINT_TO_POINTER (((prev & 0xFFFF) << 16) | (c & 0xFFFF)));
      prev = c;
    }
}

/* How many of the headline's character pairs the lines [from, to) hold. */
static guint
count_shared (GHashTable *set, const char *text, const Line *lines, gint from, gint to)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (gint i = MAX (from, 0); i < to; i++)
    {
      gunichar prev = 0;

      for (gsize p = lines[i].tstart; p < lines[i].tend; p = g_utf8_next_char (text + p) - text)
        {
          gunichar c = g_utf8_get_char (text + p);
          gpointer key;

          if (!galley_cjk_is_han (c))
            {
              prev = 0;
              continue;
            }
          key = GUINT_TO_POINTER (((prev & 0xFFFF) << 16) | (c & 0xFFFF));
          if (prev && g_hash_table_contains (set, key))
            g_hash_table_add (seen, key);
          prev = c;
        }
    }
  return g_hash_table_size (seen);
}

typedef struct {
  gint  begin; /* lines [begin, end) */
  gint  end;
  Block head;
} Piece;

static void
add_segment (GalleyPage *result, const char *text, const Line *lines, const Piece *piece)
{
  GArray *glines = g_array_sized_new (FALSE, FALSE, sizeof (GalleyLine), piece->end - piece->begin);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) separated = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autoptr(GArray) index = g_array_new (FALSE, FALSE, sizeof (guint));
  GalleyLineRole roles[HEADLINE_MAX_LINES];
  gboolean gap = FALSE;

  for (gint i = piece->begin; i < piece->end; i++)
    {
      GalleyLine gl = { lines[i].start, lines[i].next, GALLEY_LINE_BODY };

      if (lines[i].flags & F_CAPTION)
        gl.role = GALLEY_LINE_CAPTION;
      g_array_append_val (glines, gl);
    }

  if (!block_empty (piece->head))
    {
      for (gint i = piece->head.first; i <= piece->head.last; i++)
        {
          guint k = i - piece->begin;

          if (lines[i].flags & F_BLANK)
            {
              gap = TRUE;
              continue;
            }
          g_ptr_array_add (texts, headline_text (text + lines[i].tstart,
                                                 lines[i].tend - lines[i].tstart));
          g_array_append_val (separated, gap);
          g_array_append_val (index, k);
          gap = FALSE;
        }
      g_assert (texts->len <= HEADLINE_MAX_LINES);
      classify_block ((char **) texts->pdata, (gboolean *) separated->data, texts->len, roles);
      for (guint i = 0; i < index->len; i++)
        g_array_index (glines, GalleyLine, g_array_index (index, guint, i)).role = roles[i];
    }

  g_ptr_array_add (result->segments, assemble (text, glines, result->year));
}

GalleyPage *
galley_segment_page (const char *page,
                     gssize      len,
                     const char *file_name,
                     int         year)
{
  g_autoptr(GalleyPage) result = NULL;
  g_autoptr(GArray) line_array = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  Line *lines;
  gsize ulen;
  guint n, ns, blank_run = 0;
  gint first_text = -1, last_text = -1;
  gboolean virtual_start = FALSE, spaced_captions;
  Block tail;
  int before = 0, after = 0;

  g_return_val_if_fail (page != NULL || len == 0, NULL);

  ulen = len < 0 ? strlen (page) : (gsize) len;
  g_return_val_if_fail (g_utf8_validate (page, ulen, NULL), NULL);

  result = g_new0 (GalleyPage, 1);
  result->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_segment_free);
  result->headline_position = GALLEY_HEADLINES_UNKNOWN;
  if (ulen == 0)
    return g_steal_pointer (&result);

  result->year = year_in_text (page, ulen);
  if (result->year == 0)
    result->year = year_in_file_name (file_name);
  if (result->year == 0 && year > 0)
    result->year = year;

  line_array = split_lines (page, ulen);
  lines = (Line *) line_array->data;
  n = line_array->len;

  /* what each line could be */
  for (guint i = 0; i < n; i++)
    {
      Line *l = &lines[i];

      if (l->nchars == 0)
        {
          l->flags |= F_BLANK;
          continue;
        }
      if (first_text < 0)
        first_text = i;
      last_text = i;
      if (match_dateline (page, MIN (ulen, l->tend + 256), l->tstart, NULL))
        l->flags |= F_DATELINE;
      else if (match_byline_line (page, l, NULL))
        l->flags |= F_BYLINE;
      if (ends_sentence (page, l->tstart, l->tend))
        l->flags |= F_SENTENCE;
    }
  if (first_text < 0)
    {
      Piece all = { 0, n, { -1, -1 } };

      add_segment (result, page, lines, &all);
      return g_steal_pointer (&result);
    }

  /* captions: marked lines, and short sentences set apart by two blank
   * lines or more where paragraphs are otherwise one blank line apart */
  {
    guint single = 0, multiple = 0;

    for (guint i = 0; i < n; i++)
      {
        if (lines[i].flags & F_BLANK)
          blank_run++;
        else
          {
            if (blank_run == 1)
              single++;
            else if (blank_run >= 2 && (gint) i != first_text)
              multiple++;
            blank_run = 0;
          }
      }
    spaced_captions = multiple < single;
    blank_run = 0;
  }
  for (guint i = 0; i < n; i++)
    {
      Line *l = &lines[i];

      if (l->flags & F_BLANK)
        {
          blank_run++;
          continue;
        }
      if (!(l->flags & (F_DATELINE | F_BYLINE)) && (gint) i != first_text)
        {
          guint after_run = 0, j;

          for (j = i + 1; j < n && (lines[j].flags & F_BLANK) && after_run < 2; j++)
            after_run++;
          if (is_caption_marked (page, l) ||
              (spaced_captions && l->nchars <= CAPTION_MAX_CHARS && blank_run >= 2 &&
               (after_run >= 2 || j >= n) &&
               ((l->flags & F_SENTENCE) || has_any_char (page, l->tstart, l->tend, "，,"))))
            l->flags |= F_CAPTION;
        }
      blank_run = 0;
    }
  for (guint i = 0; i < n; i++)
    if (is_headline_candidate (page, &lines[i]))
      lines[i].flags |= F_CAND;

  /* article starts; a byline right above a dateline starts the same article */
  {
    gint last_start = -1;
    gboolean text_since = FALSE;

    for (guint i = 0; i < n; i++)
      {
        if ((lines[i].flags & (F_DATELINE | F_BYLINE)) && !(last_start >= 0 && !text_since))
          {
            g_array_append_val (starts, i);
            last_start = i;
            text_since = FALSE;
          }
        else if (!(lines[i].flags & F_BLANK))
          text_since = TRUE;
      }
  }
  if (starts->len == 0)
    {
      /* no dateline: the body starts at its first line that is no headline */
      for (guint i = first_text; i < n; i++)
        if (!(lines[i].flags & (F_BLANK | F_CAND | F_CAPTION)))
          {
            g_array_append_val (starts, i);
            virtual_start = TRUE;
            break;
          }
    }
  if (starts->len == 0)
    {
      Piece all = { 0, n, { -1, -1 } };

      add_segment (result, page, lines, &all);
      return g_steal_pointer (&result);
    }
  ns = starts->len;

  for (guint k = 0; k < ns; k++)
    {
      guint s = g_array_index (starts, guint, k);
      Block b = scan_block (page, lines, s, k > 0 ? (gint) g_array_index (starts, guint, k - 1) : -1);

      g_array_append_val (blocks, b);
    }
  tail = scan_block (page, lines, n, g_array_index (starts, guint, ns - 1));
  if (tail.first >= 0 && tail.last != last_text)
    tail.first = tail.last = -1;

  /* before or after? */
  {
    guint s0 = g_array_index (starts, guint, 0);
    Block b0 = g_array_index (blocks, Block, 0);

    if (!virtual_start && (gint) s0 == first_text)
      after += 2;
    if (!block_empty (b0) && b0.first == first_text)
      before += 2;
    if (!block_empty (tail))
      after += 1;

    if (before == after)
      {
        /* a headline shares words with its own body */
        for (guint k = 1; k < ns; k++)
          {
            Block b = g_array_index (blocks, Block, k);
            g_autoptr(GHashTable) set = NULL;
            gint prev_from, next_to;
            guint shared_prev, shared_next;

            if (block_empty (b))
              continue;
            set = g_hash_table_new (g_direct_hash, g_direct_equal);
            for (gint i = b.first; i <= b.last; i++)
              add_bigrams (set, page, lines[i].tstart, lines[i].tend);
            prev_from = g_array_index (starts, guint, k - 1);
            next_to = k + 1 < ns ? g_array_index (blocks, Block, k + 1).first : -1;
            if (next_to < 0)
              next_to = k + 1 < ns ? (gint) g_array_index (starts, guint, k + 1) : (gint) n;
            shared_prev = count_shared (set, page, lines, prev_from, b.first);
            shared_next = count_shared (set, page, lines, g_array_index (starts, guint, k), next_to);
            if (shared_prev > shared_next)
              after++;
            else if (shared_next > shared_prev)
              before++;
          }
      }
    result->headline_position = after > before ? GALLEY_HEADLINES_AFTER : GALLEY_HEADLINES_BEFORE;
  }

  /* cut the page into pieces */
  if (result->headline_position == GALLEY_HEADLINES_AFTER)
    {
      for (guint k = 0; k < ns; k++)
        {
          Block b = g_array_index (blocks, Block, k);
          gint s = g_array_index (starts, guint, k);
          gint begin = block_empty (b) ? s : b.last + 1;
          Piece p;

          if (k == 0)
            {
              if (first_text < s)
                {
                  Piece lead = { 0, begin, b };

                  g_array_append_val (pieces, lead);
                }
              else
                begin = 0;
            }
          p.begin = begin;
          if (k + 1 < ns)
            {
              Block nb = g_array_index (blocks, Block, k + 1);

              p.end = block_empty (nb) ? (gint) g_array_index (starts, guint, k + 1) : nb.last + 1;
              p.head = nb;
            }
          else
            {
              p.end = n;
              p.head = tail;
            }
          g_array_append_val (pieces, p);
        }
    }
  else
    {
      for (guint k = 0; k < ns; k++)
        {
          Block b = g_array_index (blocks, Block, k);
          gint begin = block_empty (b) ? (gint) g_array_index (starts, guint, k) : b.first;
          Piece p = { begin, n, b };

          if (k == 0)
            {
              if (first_text < begin)
                {
                  Piece lead = { 0, begin, { -1, -1 } };

                  g_array_append_val (pieces, lead);
                }
              else
                p.begin = 0;
            }
          if (k + 1 < ns)
            {
              Block nb = g_array_index (blocks, Block, k + 1);

              p.end = block_empty (nb) ? (gint) g_array_index (starts, guint, k + 1) : nb.first;
            }
          g_array_append_val (pieces, p);
        }
    }

  for (guint i = 0; i < pieces->len; i++)
    {
      const Piece *p = &g_array_index (pieces, Piece, i);

      if (p->end > p->begin)
        add_segment (result, page, lines, p);
    }

  return g_steal_pointer (&result);
}

void
galley_segment_free (GalleySegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->kicker);
  g_free (segment->title);
  g_free (segment->subtitle);
  g_free (segment->byline);
  g_free (segment->place);
  g_strfreev (segment->reporters);
  g_strfreev (segment->correspondents);
  g_free (segment->date_text);
  g_free (segment->date);
  g_strfreev (segment->captions);
  g_strfreev (segment->intertitles);
  g_free (segment->body);
  g_clear_pointer (&segment->lines, g_array_unref);
  g_free (segment);
}

void
galley_page_free (GalleyPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->segments, g_ptr_array_unref);
  g_free (page);
}

/* ---------------------------------------------------------------------- */
/* Editor operations */

static GArray *
copy_lines (const GalleySegment *segment)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (GalleyLine), segment->lines->len);

  g_array_append_vals (copy, segment->lines->data, segment->lines->len);
  return copy;
}

gboolean
galley_segment_split (const char           *page,
                      gssize                len,
                      const GalleySegment  *segment,
                      gsize                 body_offset,
                      int                   year,
                      GalleySegment       **first,
                      GalleySegment       **second)
{
  gsize ulen, acc = 0, cut = G_MAXSIZE;
  GArray *a, *b;

  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (segment != NULL && segment->lines != NULL, FALSE);
  g_return_val_if_fail (first != NULL && second != NULL, FALSE);

  ulen = len < 0 ? strlen (page) : (gsize) len;
  g_return_val_if_fail (segment->end <= ulen, FALSE);

  for (guint i = 0; i < segment->lines->len && cut == G_MAXSIZE; i++)
    {
      const GalleyLine *gl = &g_array_index (segment->lines, GalleyLine, i);
      gsize n = gl->end - gl->start;

      if (gl->role != GALLEY_LINE_BODY)
        continue;
      if (body_offset < acc + n)
        cut = gl->start + (body_offset - acc);
      acc += n;
    }
  if (body_offset == 0 || cut == G_MAXSIZE)
    return FALSE;
  while (cut > segment->start && (page[cut] & 0xC0) == 0x80)
    cut--;
  if (cut <= segment->start || cut >= segment->end)
    return FALSE;

  a = g_array_new (FALSE, FALSE, sizeof (GalleyLine));
  b = g_array_new (FALSE, FALSE, sizeof (GalleyLine));
  for (guint i = 0; i < segment->lines->len; i++)
    {
      GalleyLine gl = g_array_index (segment->lines, GalleyLine, i);

      if (gl.end <= cut)
        g_array_append_val (a, gl);
      else if (gl.start >= cut)
        g_array_append_val (b, gl);
      else
        {
          GalleyLine head = { gl.start, cut, gl.role }, rest = { cut, gl.end, gl.role };

          g_array_append_val (a, head);
          g_array_append_val (b, rest);
        }
    }

  *first = assemble (page, a, year);
  *second = assemble (page, b, year);
  return TRUE;
}

GalleySegment *
galley_segment_merge (const char           *page,
                      gssize                len,
                      const GalleySegment  *first,
                      const GalleySegment  *second,
                      int                   year)
{
  GArray *lines;
  gsize ulen;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (first != NULL && second != NULL, NULL);
  g_return_val_if_fail (first->end == second->start, NULL);

  ulen = len < 0 ? strlen (page) : (gsize) len;
  g_return_val_if_fail (second->end <= ulen, NULL);

  lines = copy_lines (first);
  for (guint i = 0; i < second->lines->len; i++)
    {
      GalleyLine gl = g_array_index (second->lines, GalleyLine, i);

      /* a line cut in two by a split becomes one line again */
      if (i == 0 && lines->len > 0)
        {
          GalleyLine *last = &g_array_index (lines, GalleyLine, lines->len - 1);

          if (last->end == gl.start && last->end > last->start && page[last->end - 1] != '\n')
            {
              last->end = gl.end;
              if (last->role == GALLEY_LINE_BLANK)
                last->role = gl.role;
              continue;
            }
        }
      g_array_append_val (lines, gl);
    }
  return assemble (page, lines, year);
}

GalleySegment *
galley_segment_set_line_role (const char          *page,
                              gssize               len,
                              const GalleySegment *segment,
                              gsize                page_offset,
                              GalleyLineRole       role,
                              int                  year)
{
  GArray *lines;
  gsize ulen;

  g_return_val_if_fail (page != NULL, NULL);
  g_return_val_if_fail (segment != NULL && segment->lines != NULL, NULL);
  g_return_val_if_fail (role <= GALLEY_LINE_CAPTION, NULL);

  ulen = len < 0 ? strlen (page) : (gsize) len;
  g_return_val_if_fail (segment->end <= ulen, NULL);

  if (page_offset < segment->start || page_offset >= segment->end)
    return NULL;

  lines = copy_lines (segment);
  for (guint i = 0; i < lines->len; i++)
    {
      GalleyLine *gl = &g_array_index (lines, GalleyLine, i);

      if (page_offset >= gl->start && page_offset < gl->end)
        {
          gl->role = role == GALLEY_LINE_BLANK ? GALLEY_LINE_BODY : role;
          break;
        }
    }
  return assemble (page, lines, year);
}
