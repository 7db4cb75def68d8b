/* galley-clean.c: the OCR clean-up rule pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clean-up runs in two passes over the text, each recording its edits
 * as spans in its input and its output:
 *
 *  1. layout: the text is cut into lines; for each line break the pass
 *     decides whether it joins two lines of one paragraph, rejoins a
 *     paragraph cut by a column break, or ends a paragraph, and drops
 *     lines that repeat the start of the next one. Its output has one
 *     paragraph per line.
 *  2. inline: within each paragraph, half-width punctuation and stray
 *     spaces are fixed, doubled fragments are removed as the output is
 *     written (see Dedup), and a sentence end followed by a short wrapped
 *     line inside a long line ends a paragraph.
 *
 * The two edit lists are then composed into one list of edits against
 * the original text. Both passes look at each byte a bounded number of
 * times, so the whole clean-up is linear in the size of the text.
 *
 * Cleaning a clean text must change nothing. The inline rules decide
 * from what cleaning leaves (the punctuation context looks past
 * full-width forms, segments of a long line end only at removed spaces,
 * the output holds no doubled fragment). The layout of a clean text can
 * still differ, since its paragraphs are judged as whole lines with other
 * widths and neighbours than the column lines they came from: a cheap
 * check (layout_is_stable()) finds such texts, rare in real pages, and
 * they are cleaned once more with the joins that cleaning them over and
 * over would make planned at once (plan_joins()), the edits composed.
 */

#define _GNU_SOURCE /* memrchr */
#define G_LOG_DOMAIN "galley-clean"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "galley-cjk.h"
#include "galley-clean.h"

/* An edit: in[in_start, in_end) became out[out_start, out_end). */
typedef struct {
  gsize      in_start;
  gsize      in_end;
  gsize      out_start;
  gsize      out_end;
  GalleyRule rule;
} Edit;

typedef struct {
  const char *in;
  GString    *out;
  GArray     *edits;     /* of Edit */
  gsize       copy_from; /* in[copy_from, …) is not yet copied to out */
} Writer;

static void
writer_init (Writer     *w,
             const char *in,
             gsize       len)
{
  w->in = in;
  w->out = g_string_sized_new (len + 16);
  w->edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  w->copy_from = 0;
}

/* Replaces in[start, end) by repl. Edits come in text order; an edit that
 * touches the previous one with the same rule extends it. */
static void
writer_edit (Writer     *w,
             gsize       start,
             gsize       end,
             const char *repl,
             gsize       repl_len,
             GalleyRule  rule)
{
  Edit *last;

  g_assert (start >= w->copy_from);
  g_assert (end > start);

  if (start > w->copy_from)
    g_string_append_len (w->out, w->in + w->copy_from, start - w->copy_from);
  w->copy_from = end;

  last = w->edits->len > 0 ? &g_array_index (w->edits, Edit, w->edits->len - 1) : NULL;
  if (last != NULL && last->rule == rule && last->in_end == start && last->out_end == w->out->len)
    {
      g_string_append_len (w->out, repl, repl_len);
      last->in_end = end;
      last->out_end = w->out->len;
      return;
    }

  {
    Edit e = { start, end, w->out->len, 0, rule };

    g_string_append_len (w->out, repl, repl_len);
    e.out_end = w->out->len;
    g_array_append_val (w->edits, e);
  }
}

/* Edits in[start, end) unless it already reads repl. */
static void
writer_replace (Writer     *w,
                gsize       start,
                gsize       end,
                const char *repl,
                GalleyRule  rule)
{
  gsize repl_len = strlen (repl);

  if (end == start)
    return;
  if (end - start == repl_len && memcmp (w->in + start, repl, repl_len) == 0)
    return;
  writer_edit (w, start, end, repl, repl_len, rule);
}

/* Removes in[start, end), taking back the edits already made in it (the
 * spaces removed inside a doubled fragment). */
static void
writer_drop (Writer     *w,
             gsize       start,
             gsize       end,
             GalleyRule  rule)
{
  if (start < w->copy_from)
    {
      gsize out_pos = start;
      guint n = w->edits->len;

      while (n > 0 && g_array_index (w->edits, Edit, n - 1).in_start >= start)
        n--;
      g_array_set_size (w->edits, n);
      if (n > 0)
        {
          Edit *e = &g_array_index (w->edits, Edit, n - 1);

          g_assert (e->in_end <= start);
          out_pos = e->out_end + (start - e->in_end);
        }
      g_string_truncate (w->out, out_pos);
      w->copy_from = start;
    }
  writer_edit (w, start, end, "", 0, rule);
}

static void
writer_finish (Writer *w,
               gsize   len)
{
  if (len > w->copy_from)
    g_string_append_len (w->out, w->in + w->copy_from, len - w->copy_from);
  w->copy_from = len;
}

/* Character classes */

/* Decodes the character at s[pos]; the text is valid UTF-8. */
static inline gunichar
char_at (const char *s,
         gsize       pos)
{
  const guchar *p = (const guchar *) s + pos;

  if (p[0] < 0x80)
    return p[0];
  if (p[0] < 0xE0)
    return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
  if (p[0] < 0xF0)
    return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

static inline gsize
char_len (const char *s,
          gsize       pos)
{
  return g_utf8_skip[(guchar) s[pos]];
}

static inline gboolean
is_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0x00A0;
}

static inline gboolean
is_han (gunichar c)
{
  return galley_cjk_is_han (c);
}

/* Full-width / CJK punctuation (the ideographic space is a space). */
static inline gboolean
is_cjk_punct (gunichar c)
{
  return c != 0x3000 && galley_cjk_is_punct (c);
}

static inline gboolean
is_chinese (gunichar c)
{
  return is_han (c) || is_cjk_punct (c);
}

static inline gboolean
is_digit (gunichar c)
{
  return c >= '0' && c <= '9';
}

static inline gboolean
is_sentence_end (gunichar c)
{
  return galley_cjk_is_sentence_end (c);
}

static inline gboolean
is_closer (gunichar c)
{
  return galley_cjk_is_closing (c) || c == '\'';
}

/* What may follow a sentence end at the end of a paragraph: closers and
 * quote marks of either direction, since the punctuation rule may turn a
 * straight quote either way once joined lines give it a Chinese context. */
static inline gboolean
is_end_closer (gunichar c)
{
  return is_closer (c) || c == 0x201C || c == 0x2018;
}

/* Punctuation that separates clauses: a line holding any is no headline. */
static inline gboolean
is_clause_punct (gunichar c)
{
  switch (c)
    {
    case 0xFF0C: /* ， */
    case 0x3002: /* 。 */
    case 0x3001: /* 、 */
    case 0xFF1B: /* ； */
    case 0xFF1A: /* ： */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    case 0x2026: /* … */
    case ',': case ';': case ':': case '!': case '?':
      return TRUE;
    default:
      return FALSE;
    }
}

/* Punctuation a quote mark before it closes, and after it opens. */
static inline gboolean
is_closing_context (gunichar c)
{
  return c == 0xFF0C || c == 0x3002 || c == 0x3001 || c == 0xFF1B || c == 0xFF1A ||
         c == 0xFF01 || c == 0xFF1F || c == 0xFF09 || c == 0x300B || c == 0x2026;
}

static inline gboolean
is_opening_context (gunichar c)
{
  return c == 0 || c == 0xFF08 || c == 0x300A || c == 0x201C || c == 0x2018 ||
         c == 0xFF1A || c == 0xFF0C || c == 0x3001 || c == 0xFF1B || c == 0x2014;
}

/* Half-width punctuation the punctuation rule may make full-width. */
static inline gboolean
is_convertible (gunichar c)
{
  return c != 0 && c < 0x80 && strchr (",;:?!()\"'", (int) c) != NULL;
}

/* What is_convertible() punctuation becomes. */
static inline gboolean
is_converted (gunichar c)
{
  switch (c)
    {
    case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0xFF1F: case 0xFF01: /* ，；：？！ */
    case 0xFF08: case 0xFF09: case 0x201C: case 0x201D: case 0x2018: case 0x2019: /* （）“”‘’ */
      return TRUE;
    default:
      return FALSE;
    }
}

/* Folds punctuation to the form the punctuation rule may give it. */
static inline gunichar
fold_punct (gunichar c)
{
  switch (c)
    {
    case ',': return 0xFF0C;
    case ';': return 0xFF1B;
    case ':': return 0xFF1A;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    case 0x201C: case 0x201D: return '"';
    case 0x2018: case 0x2019: return '\'';
    default: return c;
    }
}

static inline guint
char_width (gunichar c)
{
  return c < 0x80 ? 1 : 2;
}

static inline gboolean
is_marker (gunichar c)
{
  return c == 0x25C6 /* ◆ */ || c == 0x25A0 /* ■ */ || c == 0x25CF /* ● */ ||
         c == 0x25B2 /* ▲ */ || c == 0x2605 /* ★ */ || c == 0x25C7 /* ◇ */ ||
         c == 0x25A1 /* □ */ || c == 0x25CB /* ○ */;
}

/* Words that start a byline: "记者 刘菲", "通讯员 绪言 吴丛". */
static const struct {
  const char *word;
  gsize       len;
} role_words[] = {
#define ROLE(w) { w, sizeof (w) - 1 }
  ROLE ("本报记者"), ROLE ("本报通讯员"), ROLE ("见习记者"), ROLE ("实习记者"),
  ROLE ("特约记者"), ROLE ("首席记者"), ROLE ("特约通讯员"), ROLE ("通讯员"),
  ROLE ("记者"), ROLE ("实习生"), ROLE ("摄影"), ROLE ("摄"),
#undef ROLE
};

/* Returns the byte length of the role word at text[pos, end), or 0. */
static gsize
role_word_at (const char *text,
              gsize       pos,
              gsize       end)
{
  /* every role word starts with a three-byte character */
  if (end - pos < 3 || (guchar) text[pos] < 0xE0)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (role_words); i++)
    {
      gsize n = role_words[i].len;

      if (text[pos + 1] == role_words[i].word[1] && text[pos + 2] == role_words[i].word[2] &&
          end - pos >= n && memcmp (text + pos, role_words[i].word, n) == 0)
        return n;
    }
  return 0;
}

static gsize
skip_spaces (const char *text,
             gsize       pos,
             gsize       end)
{
  while (pos < end && is_space (char_at (text, pos)))
    pos += char_len (text, pos);
  return pos;
}

/* A byline line: a role word followed by a space ("通讯员 绪言 吴丛",
 * "■本报记者 刘菲 曹俐"). */
static gboolean
starts_byline (const char *text,
               gsize       pos,
               gsize       end)
{
  gsize n;

  if (pos < end && char_at (text, pos) == 0x25A0)
    pos += char_len (text, pos);
  n = role_word_at (text, pos, end);
  return n > 0 && pos + n < end && is_space (char_at (text, pos + n));
}

/* A dateline: 本报…讯 within the first few characters. */
static gboolean
starts_dateline (const char *text,
                 gsize       pos,
                 gsize       end)
{
  static const char benbao[] = "本报";
  static const char xun[] = "讯";
  guint n = 0;

  if (end - pos < strlen (benbao) || memcmp (text + pos, benbao, strlen (benbao)) != 0)
    return FALSE;
  for (pos += strlen (benbao); pos < end && n < 8; pos += char_len (text, pos), n++)
    if (end - pos >= strlen (xun) && memcmp (text + pos, xun, strlen (xun)) == 0)
      return TRUE;
  return FALSE;
}

static inline gboolean
is_cjk_numeral (gunichar c)
{
  switch (c)
    {
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94: /* 一二三四五 */
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: /* 六七八九十 */
      return TRUE;
    default:
      return FALSE;
    }
}

/* A numbered or marked intertitle: "◆ …", "1 创新机制 …", "一、…", "（一）…". */
static gboolean
starts_marked (const char *text,
               gsize       pos,
               gsize       end)
{
  gunichar c, d;
  gsize p = pos;
  guint digits = 0;

  if (pos >= end)
    return FALSE;
  c = char_at (text, pos);
  if (is_marker (c))
    return TRUE;
  while (p < end && is_digit (char_at (text, p)) && digits < 3)
    {
      p++;
      digits++;
    }
  if (digits > 0 && digits <= 2 && p < end)
    {
      d = char_at (text, p);
      if (d == ' ' || d == 0x3000 || d == 0x3001 /* 、 */ || d == 0xFF0E /* ． */)
        {
          p = skip_spaces (text, p + char_len (text, p), end);
          return p < end && is_han (char_at (text, p));
        }
      return FALSE;
    }
  if (c == 0xFF08 /* （ */ && pos + 3 < end)
    {
      p = pos + char_len (text, pos);
      c = char_at (text, p);
      p += char_len (text, p);
      return is_cjk_numeral (c) && p < end && char_at (text, p) == 0xFF09;
    }
  if (is_cjk_numeral (c))
    {
      p = pos + char_len (text, pos);
      return p < end && char_at (text, p) == 0x3001;
    }
  return FALSE;
}

#define DUP_MIN 3          /* shortest doubled fragment removed, in characters */
#define DUP_MAX 32         /* longest */
#define DUP_HASH_BITS 10
#define DUP_WINDOW 65536   /* characters of a Han run kept for looking back */

/* Doubled fragments are looked for in the output: as each Han character
 * is written, a run of Han characters that now ends with a fragment
 * written twice (XX, X of DUP_MIN to DUP_MAX characters, X not itself a
 * repetition of one or two characters as in 哈哈哈 or 一步一步) loses its
 * second copy. So the output holds no doubled fragment at all, also none
 * that only appears once the spaces between its halves are gone, and
 * cleaning it again finds none: the rule is idempotent by construction.
 * Each character is compared with the earlier ones of the same hash
 * within DUP_MAX characters, and removed at most once: linear time. */
typedef struct {
  gunichar c;
  guint    p1;   /* length of the longest run of c ending here (period 1) */
  guint    p2;   /* of the longest stretch of period 2 ending here */
  gsize    pos;  /* where it starts in the input of the pass */
  gsize    prev; /* index + 1 of the previous character with the same hash, 0 if none */
} DupChar;

typedef struct {
  DupChar *chars;  /* character i of the text's Han runs is chars[i - base] */
  gsize    base;
  gsize    start;  /* index of the first character of the current run */
  gsize    n;      /* index after the last character */
  gsize    last[1 << DUP_HASH_BITS]; /* index + 1 of the last character with this hash */
} Dedup;

static inline guint
dup_hash (gunichar c)
{
  return (c * 0x9E3779B1u) >> (32 - DUP_HASH_BITS);
}

/* A non-Han character (or a kept space) ends the run. */
static inline void
dedup_reset (Dedup *d)
{
  d->start = d->base = d->n;
}

/* The doubled fragment ending at character i, or 0: the earlier
 * characters of the same hash within DUP_MAX are compared. */
static guint
dedup_search (const Dedup   *d,
              const DupChar *ch,
              gsize          i,
              gsize          lo)
{
  for (gsize cand = ch->prev; cand > lo && i - (cand - 1) <= DUP_MAX; cand = d->chars[cand - 1 - d->base].prev)
    {
      gsize l = i - (cand - 1);
      const DupChar *a = d->chars + (cand - 1 - d->base); /* end of the first copy */
      gsize k;

      /* fragments that repeat one or two characters (哈哈哈, 一步一步) stay */
      if (l < DUP_MIN || i + 1 < lo + 2 * l || a->c != ch->c || l <= ch->p1 || l <= ch->p2)
        continue;
      for (k = 1; k < l && a[-(gssize) k].c == ch[-(gssize) k].c; k++)
        ;
      if (k == l)
        return (guint) l;
    }
  return 0;
}

static void
dedup_slide (Dedup *d)
{
  memmove (d->chars, d->chars + DUP_WINDOW / 2, (DUP_WINDOW / 2) * sizeof (DupChar));
  d->base += DUP_WINDOW / 2;
}

/* Adds the Han character c at pos; returns the length L of the fragment
 * that the run now ends with twice, or 0. */
G_ALWAYS_INLINE static inline guint
dedup_push (Dedup    *d,
            gunichar  c,
            gsize     pos)
{
  gsize i = d->n, lo;
  DupChar *ch;
  guint h = dup_hash (c);

  if (G_UNLIKELY (d->chars == NULL))
    d->chars = g_new (DupChar, DUP_WINDOW);
  if (G_UNLIKELY (i - d->base == DUP_WINDOW))
    dedup_slide (d);
  ch = &d->chars[i - d->base];
  ch->c = c;
  ch->pos = pos;
  ch->prev = d->last[h];
  d->last[h] = i + 1;
  d->n = i + 1;

  lo = MAX (d->start, d->base);
  if (i > lo)
    {
      const DupChar *p = ch - 1;

      ch->p1 = p->c == c ? MIN (p->p1 + 1, DUP_MAX + 1) : 1;
      ch->p2 = i - 1 > lo && p[-1].c == c ? MIN (p->p2 + 1, DUP_MAX + 1) : 2;
    }
  else
    ch->p1 = ch->p2 = 1;
  if (ch->prev <= lo || i - (ch->prev - 1) > DUP_MAX || ch->p1 > DUP_MAX || ch->p2 > DUP_MAX)
    return 0;
  return dedup_search (d, ch, i, lo);
}

/* Takes back the last l characters; returns where the first of them
 * started in the input. */
static gsize
dedup_pop (Dedup *d,
           guint  l)
{
  gsize pos = d->chars[d->n - l - d->base].pos;

  for (guint k = 0; k < l; k++)
    {
      DupChar *ch = &d->chars[--d->n - d->base];

      d->last[dup_hash (ch->c)] = ch->prev;
    }
  return pos;
}

/* ---------------------------------------------------------------------
 * Pass 1: layout
 */

enum {
  LINE_ENDS     = 1 << 0, /* ends with a sentence end (and closers) */
  LINE_CLAUSE   = 1 << 1, /* holds clause punctuation */
  LINE_HAN      = 1 << 2,
  LINE_STARTER  = 1 << 3, /* dateline, byline line or marked intertitle: starts a paragraph */
  LINE_BYLINE   = 1 << 4, /* a byline line */
  LINE_DROP     = 1 << 5, /* repeats the start of the next line: dropped */
  LINE_OPEN_BYLINE = 1 << 6, /* ends inside a byline bracket */
  LINE_DATELINE = 1 << 7, /* starts with a dateline (本报…讯) */
  LINE_OPEN_QUOTE = 1 << 8, /* ends inside a quotation */
  LINE_MARKED   = 1 << 9, /* starts with ◆ or a number: an intertitle */
};

/* A line wider than this holds a whole paragraph, not a column line. */
#define PARAGRAPH_LINE_WIDTH 120

typedef struct {
  gsize start;     /* content, without surrounding spaces */
  gsize end;
  gsize keep_end;  /* end of the kept content; [keep_end, end) repeats the next line */
  gsize tail;      /* start of the text after the last sentence end */
  guint width;     /* of [start, keep_end), in half-width units */
  guint blanks;    /* blank lines before this one */
  guint chars;     /* characters in [start, end) */
  guint tail_chars;
  guint flags;
} Line;

typedef enum {
  GAP_BREAK,
  GAP_JOIN,
} GapKind;

typedef struct {
  GalleyRule rules;
  gboolean   byline_open; /* inside a byline bracket at the end of the last line */
  Dedup      dedup;       /* doubled fragments the inline pass will remove */
} LayoutCtx;

/* The width of a character as the inline pass leaves it: spaces vanish
 * or stay narrow, half-width punctuation may become full-width. Measured
 * so that cleaning a clean text sees the same widths. */
static inline guint
layout_width (gunichar c)
{
  if (is_space (c))
    return 0;
  if (is_convertible (c))
    return 2;
  return char_width (c);
}

static void
analyse_line (const char *text,
              Line       *line,
              LayoutCtx  *ctx)
{
  gboolean *byline_open = &ctx->byline_open;
  gboolean ends = FALSE;
  gboolean quote = FALSE;
  gsize pos = line->start;

  line->width = 0;
  line->chars = 0;
  line->tail = line->start;
  line->tail_chars = 0;
  line->flags = 0;
  dedup_reset (&ctx->dedup);

  if (starts_dateline (text, line->start, line->end))
    line->flags |= LINE_STARTER | LINE_DATELINE;
  if (starts_marked (text, line->start, line->end))
    line->flags |= LINE_STARTER | LINE_MARKED;
  if (starts_byline (text, line->start, line->end))
    line->flags |= LINE_STARTER | LINE_BYLINE;

  while (pos < line->end)
    {
      gunichar c = char_at (text, pos);
      gsize next = pos + char_len (text, pos);

      if (is_han (c))
        {
          guint l;

          line->width += 2;
          /* doubled fragments will go (spaces between Han characters too) */
          if ((ctx->rules & GALLEY_RULE_DUPLICATE) && (l = dedup_push (&ctx->dedup, c, pos)) > 0)
            {
              dedup_pop (&ctx->dedup, l);
              line->width -= 2 * l;
            }
          line->chars++;
          line->tail_chars++;
          line->flags |= LINE_HAN;
          ends = FALSE;
          pos = next;
          continue;
        }
      line->width += layout_width (c);
      if (!is_space (c))
        dedup_reset (&ctx->dedup);
      line->chars++;
      line->tail_chars++;
      if (is_han (c))
        line->flags |= LINE_HAN;
      if (is_clause_punct (c))
        line->flags |= LINE_CLAUSE;
      if (c == 0xFF08 || c == '(')
        {
          if (role_word_at (text, skip_spaces (text, next, line->end), line->end) > 0)
            *byline_open = TRUE;
        }
      else if (c == 0xFF09 || c == ')')
        *byline_open = FALSE;
      else if (c == 0x201C)
        quote = TRUE;
      else if (c == 0x201D)
        quote = FALSE;
      else if (c == '"')
        quote = !quote;

      if (is_sentence_end (c) || (ends && is_end_closer (c)))
        {
          ends = TRUE;
          line->tail = next;
          line->tail_chars = 0;
        }
      else if (!is_space (c))
        ends = FALSE;
      pos = next;
    }

  if (ends)
    line->flags |= LINE_ENDS;
  if (*byline_open)
    line->flags |= LINE_OPEN_BYLINE;
  if (quote)
    line->flags |= LINE_OPEN_QUOTE;
  line->keep_end = line->end;
}

/* Marks lines that repeat the start of the next line, and tails of lines
 * (after their last sentence end) that do. */
/* Whether the text of line a after its last sentence end (at least four
 * characters, some Han) repeats the start of line b; *fstart is where
 * that text starts. */
static gboolean
tail_repeats_next (const char *text,
                   const Line *a,
                   const Line *b,
                   gsize      *fstart)
{
  gsize flen;

  gsize p, q;
  gboolean han = FALSE;

  *fstart = skip_spaces (text, a->tail, a->end);
  flen = a->end - *fstart;
  if (a->tail_chars < 4 || flen == 0)
    return FALSE;
  /* compared as the clean-up leaves them: without spaces, with
   * punctuation full-width, so that cleaning again decides alike */
  for (p = *fstart, q = b->start; p < a->end; p += char_len (text, p))
    {
      gunichar c = char_at (text, p);

      if (is_space (c))
        continue;
      q = skip_spaces (text, q, b->end);
      if (q >= b->end || fold_punct (c) != fold_punct (char_at (text, q)))
        return FALSE;
      han = han || is_han (c);
      q += char_len (text, q);
    }
  /* b must go on after the repeated text */
  return han && skip_spaces (text, q, b->end) < b->end;
}

static void
mark_duplicates (const char *text,
                 Line       *lines,
                 guint       n_lines)
{
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      Line *a = &lines[i];
      gsize fstart;

      if (!tail_repeats_next (text, a, &lines[i + 1], &fstart))
        continue;
      if (fstart == a->start)
        a->flags |= LINE_DROP;
      else
        {
          /* the kept part ends with its sentence end */
          a->keep_end = a->tail;
          a->width = 0;
          for (gsize p = a->start; p < a->keep_end; p += char_len (text, p))
            a->width += layout_width (char_at (text, p));
          a->flags |= LINE_ENDS;
        }
    }
}

typedef struct {
  guint lines;        /* lines in the paragraph so far, the current one included */
  guint prev_width;   /* widest of the (up to three) lines before the current one */
  guint widths[3];
  gboolean clause;    /* the paragraph so far holds clause punctuation */
  guint first_flags;  /* of its first line */
} ParaState;

static void
para_reset (ParaState *p)
{
  memset (p, 0, sizeof *p);
}

static void
para_push (ParaState  *p,
           const Line *line)
{
  if (p->lines > 0)
    {
      p->prev_width = MAX (p->widths[0], MAX (p->widths[1], p->widths[2]));
    }
  else
    p->first_flags = line->flags;
  p->widths[p->lines % 3] = line->width;
  p->lines++;
  if (line->flags & LINE_CLAUSE)
    p->clause = TRUE;
}

/* Decides what the break between line a (the last line of the paragraph
 * so far) and line b becomes; c is the line after b or NULL. */
static GapKind
decide_gap (const ParaState *para,
            const Line      *a,
            const Line      *b,
            const Line      *c,
            guint            blanks)
{
  if (a->flags & LINE_OPEN_BYLINE)
    return GAP_JOIN;
  if (b->flags & LINE_STARTER)
    return GAP_BREAK;
  if (para->lines == 1 && (a->flags & LINE_BYLINE))
    return GAP_BREAK;

  if (a->flags & LINE_ENDS)
    {
      /* a full line of a wrapped paragraph that happens to end a sentence */
      if (blanks == 0 && para->lines >= 2 && a->width + 5 >= para->prev_width)
        return GAP_JOIN;
      return GAP_BREAK;
    }

  /* a marked intertitle ends where body text (with punctuation) follows */
  if ((para->first_flags & LINE_MARKED) && para->lines == 1)
    return (b->flags & (LINE_CLAUSE | LINE_ENDS)) ? GAP_BREAK : GAP_JOIN;

  /* an intertitle: a short line without clause punctuation (or one
   * marked with ◆ or a number), shorter than the lines before it, or
   * clearly shorter than the indented first line of the paragraph after
   * it. Before a blank line and a line holding a whole paragraph, a short
   * line is rather a paragraph cut by a column break. */
  if ((!para->clause || (para->first_flags & LINE_MARKED)) && (a->flags & LINE_HAN) &&
      !(a->flags & LINE_OPEN_QUOTE) && !(para->first_flags & LINE_DATELINE))
    {
      if (para->lines >= 2)
        {
          if (a->width + 6 <= para->prev_width)
            return GAP_BREAK;
        }
      else
        {
          guint ref;

          /* c only tells about b when it continues b's paragraph */
          if (c != NULL && (c->flags & LINE_STARTER))
            c = NULL;
          ref = MAX (b->width, c != NULL ? c->width : 0);

          if (blanks > 0 && b->width > PARAGRAPH_LINE_WIDTH)
            return GAP_JOIN;
          /* b is the indented first line of a paragraph */
          if (c != NULL && b->width + 3 <= c->width && a->width + 4 <= c->width)
            return GAP_BREAK;
          if (a->width + 8 <= ref && a->width * 5 <= ref * 4)
            return GAP_BREAK;
        }
    }

  return GAP_JOIN;
}

static gboolean
region_has_space (const char *text,
                  gsize       start,
                  gsize       end)
{
  for (gsize p = start; p < end; p += char_len (text, p))
    {
      gunichar c = char_at (text, p);

      if (c != '\n' && is_space (c))
        return TRUE;
    }
  return FALSE;
}

static gunichar
last_char (const char *text,
           gsize       start,
           gsize       end)
{
  const char *p;

  if (end <= start)
    return 0;
  p = g_utf8_find_prev_char (text + start, text + end);
  return p != NULL ? g_utf8_get_char (p) : 0;
}

static void
replace_region (Writer     *w,
                const char *text,
                gsize       start,
                gsize       end,
                GalleyRule  rules)
{
  gboolean has_nl;

  if (end <= start)
    return;
  has_nl = memchr (text + start, '\n', end - start) != NULL;
  if (has_nl && (rules & GALLEY_RULE_LINE_JOIN))
    writer_replace (w, start, end, "", GALLEY_RULE_LINE_JOIN);
  else if (!has_nl && (rules & GALLEY_RULE_SPACES))
    writer_replace (w, start, end, "", GALLEY_RULE_SPACES);
}

static void
layout_pass (const char   *text,
             gsize         len,
             GalleyRule    rules,
             gboolean      headline,
             const GArray *forced,
             Writer       *w)
{
  guint next_forced = 0;
  g_autoptr(GArray) array = g_array_new (FALSE, FALSE, sizeof (Line));
  LayoutCtx ctx = { rules, FALSE, { 0, } };
  guint blanks = 0;
  gsize pos = 0;
  Line *lines;
  guint n, i;
  ParaState para;

  for (;;)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      gsize eol = nl != NULL ? (gsize) (nl - text) : len;
      gsize s = skip_spaces (text, pos, eol);
      gsize e = eol;

      while (e > s)
        {
          const char *p = g_utf8_find_prev_char (text + s, text + e);

          if (p == NULL || !is_space (g_utf8_get_char (p)))
            break;
          e = p - text;
        }

      if (s == e)
        blanks++;
      else
        {
          Line line = { 0, };

          line.start = s;
          line.end = e;
          line.blanks = blanks;
          blanks = 0;
          analyse_line (text, &line, &ctx);
          g_array_append_val (array, line);
        }

      if (nl == NULL)
        break;
      pos = eol + 1;
    }

  g_free (ctx.dedup.chars);
  lines = (Line *) (gpointer) array->data;
  n = array->len;

  if (n == 0)
    {
      replace_region (w, text, 0, len, rules);
      return;
    }

  if ((rules & GALLEY_RULE_DUPLICATE) && !headline)
    mark_duplicates (text, lines, n);

  /* the last line is never dropped: nothing follows it */
  for (i = 0; lines[i].flags & LINE_DROP; i++)
    ;
  replace_region (w, text, 0, lines[i].start, rules);

  para_reset (&para);
  para_push (&para, &lines[i]);

  for (;;)
    {
      Line *a = &lines[i];
      Line *b = NULL, *c = NULL;
      guint j, k, gap_blanks = 0;
      GapKind kind;
      gsize region_end;
      GalleyRule rule = 0;
      const char *repl = NULL;
      gboolean keep = FALSE;

      for (j = i + 1; j < n && (lines[j].flags & LINE_DROP); j++)
        gap_blanks += lines[j].blanks;
      if (j < n)
        {
          b = &lines[j];
          gap_blanks += b->blanks;
          for (k = j + 1; k < n && (lines[k].flags & LINE_DROP); k++)
            ;
          c = k < n ? &lines[k] : NULL;
        }

      if (a->keep_end < a->end)
        writer_replace (w, a->keep_end, a->end, "", GALLEY_RULE_DUPLICATE);

      if (b == NULL)
        {
          replace_region (w, text, a->end, len, rules);
          break;
        }

      kind = headline ? GAP_JOIN : decide_gap (&para, a, b, c, gap_blanks);
      /* joins planned for a text cleaned once (see plan_joins()) */
      while (forced != NULL && next_forced < forced->len &&
             g_array_index (forced, gsize, next_forced) < b->start)
        next_forced++;
      if (forced != NULL && next_forced < forced->len &&
          g_array_index (forced, gsize, next_forced) == b->start)
        kind = GAP_JOIN;
      if (kind == GAP_JOIN)
        {
          rule = gap_blanks > 0 ? GALLEY_RULE_PARAGRAPH_JOIN : GALLEY_RULE_LINE_JOIN;
          /* a join whose rule is off leaves the line break as it is */
          if (!(rules & rule))
            {
              kind = GAP_BREAK;
              keep = TRUE;
            }
        }

      region_end = i + 1 < j ? lines[i + 1].start : b->start;
      if (kind == GAP_JOIN)
        {
          gunichar lc = last_char (text, a->start, a->keep_end);
          gunichar fc = char_at (text, b->start);
          gboolean space;

          if (headline)
            space = !is_chinese (lc) && !is_chinese (fc);
          else
            space = (!is_chinese (lc) && !is_chinese (fc) && region_has_space (text, a->end, b->start)) ||
                    ((a->flags & LINE_OPEN_BYLINE) && role_word_at (text, b->start, b->end) > 0);
          repl = space ? " " : "";
        }
      else if ((rules & GALLEY_RULE_LINE_JOIN) && !keep)
        {
          repl = "\n";
          rule = GALLEY_RULE_LINE_JOIN;
        }

      if (repl != NULL)
        writer_replace (w, a->end, region_end, repl, rule);

      /* dropped lines, each with the line break after it */
      for (k = i + 1; k < j; k++)
        writer_replace (w, lines[k].start, k + 1 < j ? lines[k + 1].start : b->start,
                        "", GALLEY_RULE_DUPLICATE);

      if (kind == GAP_BREAK)
        para_reset (&para);
      para_push (&para, b);
      i = j;
    }
}

/* Whether a line ends with a sentence end (and closers), as
 * analyse_line() decides it. */
static gboolean
line_ends_sentence (const char *text,
                    gsize       start,
                    gsize       end)
{
  while (end > start)
    {
      const char *p = g_utf8_find_prev_char (text + start, text + end);
      gunichar c = g_utf8_get_char (p);

      if (is_sentence_end (c))
        return TRUE;
      if (!is_space (c) && !is_end_closer (c))
        return FALSE;
      end = p - text;
    }
  return FALSE;
}

/* The end of the line starting at pos. */
static inline gsize
line_end (const char *text,
          gsize       pos,
          gsize       len)
{
  const char *nl = memchr (text + pos, '\n', len - pos);

  return nl != NULL ? (gsize) (nl - text) : len;
}

/* The width analyse_line() gives text[start, end). */
static guint
line_width (const char *text,
            gsize       start,
            gsize       end,
            LayoutCtx  *ctx)
{
  guint width = 0;

  dedup_reset (&ctx->dedup);
  for (gsize pos = start; pos < end; pos += char_len (text, pos))
    {
      gunichar c = char_at (text, pos);
      guint l;

      if (!is_han (c))
        {
          width += layout_width (c);
          if (!is_space (c))
            dedup_reset (&ctx->dedup);
          continue;
        }
      width += 2;
      if ((ctx->rules & GALLEY_RULE_DUPLICATE) && (l = dedup_push (&ctx->dedup, c, pos)) > 0)
        {
          dedup_pop (&ctx->dedup, l);
          width -= 2 * l;
        }
    }
  return width;
}

/* Whether text[start, end) holds clause punctuation or ends a sentence. */
static gboolean
line_has_clause_or_end (const char *text,
                        gsize       start,
                        gsize       end)
{
  for (gsize pos = start; pos < end; pos += char_len (text, pos))
    if (is_clause_punct (char_at (text, pos)))
      return TRUE;
  return line_ends_sentence (text, start, end);
}

static void
analyse_one (const char *text,
             gsize       start,
             gsize       end,
             Line       *line,
             LayoutCtx  *ctx)
{
  memset (line, 0, sizeof *line);
  line->start = start;
  line->end = end;
  ctx->byline_open = FALSE;
  analyse_line (text, line, ctx);
}

/* Whether the layout pass would leave text as it is: every line a
 * paragraph, no blank line, no space at the ends of a line, no line
 * break that it would join and no line it would drop. Most breaks are
 * settled by the lines' ends and starts; only the lines that end without
 * a sentence end before a line that starts no paragraph are analysed
 * (each at most three times), so this is much cheaper than a pass. */
static gboolean
layout_is_stable (const char *text,
                  gsize       len,
                  GalleyRule  rules,
                  gboolean    headline,
                  gboolean    open_byline)
{
  LayoutCtx ctx = { rules, FALSE, { 0, } };
  gsize pos = 0;
  gboolean stable = TRUE;

  if (len == 0)
    return TRUE;
  if (headline)
    return memchr (text, '\n', len) == NULL && !is_space (char_at (text, 0)) &&
           !is_space (g_utf8_get_char (g_utf8_find_prev_char (text, text + len)));
  /* a line but the last ends inside a byline bracket ("（记者 刘菲" with
   * its ")" on a later line): the layout joins there */
  if (open_byline)
    return FALSE;

  while (stable)
    {
      gsize eol = line_end (text, pos, len);
      gsize next, next_eol;
      Line a, b;
      gsize fstart;

      if (eol == pos || is_space (char_at (text, pos)) ||
          is_space (g_utf8_get_char (g_utf8_find_prev_char (text + pos, text + eol))))
        {
          stable = FALSE;
          break;
        }
      if (eol == len)
        break;
      next = eol + 1;
      next_eol = line_end (text, next, len);
      if (next_eol == next)
        {
          stable = FALSE;
          break;
        }

      /* a line that ends a sentence ends its paragraph, and repeats
       * nothing after its last sentence end */
      if (line_ends_sentence (text, pos, eol))
        {
          pos = next;
          continue;
        }
      analyse_one (text, pos, eol, &a, &ctx);
      b.start = next;
      b.end = next_eol;
      if (tail_repeats_next (text, &a, &b, &fstart))
        {
          stable = FALSE;
          break;
        }
      /* what decide_gap() settles first */
      if (starts_dateline (text, next, next_eol) || starts_marked (text, next, next_eol) ||
          starts_byline (text, next, next_eol) || starts_byline (text, pos, eol))
        {
          pos = next;
          continue;
        }
      /* decide_gap() for a paragraph of the one line a */
      if (a.flags & LINE_MARKED)
        {
          if (!line_has_clause_or_end (text, next, next_eol))
            stable = FALSE;
        }
      else if ((a.flags & (LINE_CLAUSE | LINE_OPEN_QUOTE | LINE_DATELINE)) || !(a.flags & LINE_HAN))
        stable = FALSE;
      else
        {
          /* an intertitle: clearly shorter than the line after it, or
           * than the one after that, or before an indented first line */
          guint bw = line_width (text, next, next_eol, &ctx);
          gsize c_start = next_eol + 1;
          gsize c_end = next_eol < len ? line_end (text, c_start, len) : 0;
          gboolean has_c = next_eol < len && !starts_dateline (text, c_start, c_end) &&
                           !starts_marked (text, c_start, c_end) && !starts_byline (text, c_start, c_end);
          GapKind kind;

          if (a.width + 8 <= bw && a.width * 5 <= bw * 4)
            kind = GAP_BREAK;
          else if (!has_c)
            kind = GAP_JOIN;
          else
            {
              Line c = { 0, };
              ParaState para;

              b.width = bw;
              b.flags = 0;
              c.width = line_width (text, c_start, c_end, &ctx);
              para_reset (&para);
              para_push (&para, &a);
              kind = decide_gap (&para, &a, &b, &c, 0);
            }
          if (kind == GAP_JOIN)
            stable = FALSE;
        }
      pos = next;
    }

  g_free (ctx.dedup.chars);
  return stable;
}

/* ---------------------------------------------------------------------
 * Pass 2: inline rules
 */

typedef struct {
  Writer      w;
  const char *t;
  gsize       len;
  GalleyRule  rules;
  gboolean    headline;

  /* the current paragraph */
  gboolean    protect;      /* spaces separating parts stay (headline, byline line) */
  gunichar    last;         /* last character written, 0 at the paragraph start */
  gunichar    last_ns;      /* last non-space character written */
  gboolean    sent_end;     /* the output ends with a sentence end (and closers) */
  guint       han_run;      /* Han characters ending the output */
  guint       since_cjk;    /* characters written since the last Chinese one */
  gboolean    run_after_quote;
  gboolean    letterspaced;
  gboolean    quote_open;
  gboolean    squote_open;
  gboolean    in_byline;
  guint       paren_depth;
  guint64     paren_bits;
  gsize       keep_run;     /* the space after a leading role word or number stays */
  gsize       right_end;    /* cache of right_chinese(): where its scan stopped */
  gboolean    right_value;
  gsize       para_start;
  gsize       last_quote[2]; /* + 1: the last straight " and ' of the paragraph; G_MAXSIZE: not looked for */
  guint       seg_width;    /* width since the last space */
  guint       seg_count;
  guint       segs[3];

  Dedup       dedup;

  /* as the layout pass sees the output */
  gboolean    byline_open;  /* inside a byline bracket */
  gboolean    open_at_break; /* so at the end of a line but the last */
} Inline;

static void
paragraph_begin (Inline *s,
                 gsize   pos,
                 gsize   pend)
{
  gsize p = skip_spaces (s->t, pos, pend);
  gboolean byline = starts_byline (s->t, p, pend);
  gboolean marked = !byline && starts_marked (s->t, p, pend);

  s->last = 0;
  s->last_ns = 0;
  s->sent_end = FALSE;
  s->han_run = 0;
  s->since_cjk = G_MAXUINT / 2;
  s->run_after_quote = FALSE;
  s->letterspaced = FALSE;
  s->quote_open = FALSE;
  s->squote_open = FALSE;
  s->in_byline = FALSE;
  s->paren_depth = 0;
  s->paren_bits = 0;
  s->right_end = 0;
  s->right_value = FALSE;
  s->para_start = pos;
  s->last_quote[0] = s->last_quote[1] = G_MAXSIZE;
  s->seg_width = 0;
  s->seg_count = 0;
  memset (s->segs, 0, sizeof s->segs);
  dedup_reset (&s->dedup);

  /* the space that makes the paragraph start a byline or a numbered
   * intertitle stays, so that cleaning again sees the same structure */
  s->keep_run = G_MAXSIZE;
  if (byline)
    {
      gsize q = p;

      if (char_at (s->t, q) == 0x25A0)
        q += char_len (s->t, q);
      s->keep_run = q + role_word_at (s->t, q, pend);
    }
  else if (marked && is_digit (char_at (s->t, p)))
    {
      gsize q = p;

      while (q < pend && is_digit (char_at (s->t, q)))
        q++;
      if (q < pend && is_space (char_at (s->t, q)))
        s->keep_run = q;
    }

  s->protect = s->headline;
  if (!s->protect && (byline || marked))
    {
      /* a short line without sentence end; stop looking after 100 characters */
      guint width = 0;

      s->protect = TRUE;
      for (; p < pend; p += char_len (s->t, p))
        {
          gunichar c = char_at (s->t, p);

          /* measured as cleaning leaves it, so that cleaning again agrees */
          width += layout_width (c);
          if (is_sentence_end (c) || width > 200)
            {
              s->protect = FALSE;
              break;
            }
        }
    }
}

static void
state_put (Inline   *s,
           gunichar  c)
{
  if (is_han (c))
    {
      if (s->han_run == 0)
        s->run_after_quote = s->last == 0x201C || s->last == 0x2018;
      s->han_run++;
      s->since_cjk = 0;
      s->sent_end = FALSE;
      s->last = c;
      s->last_ns = c;
      s->seg_width += 2;
      return;
    }

  dedup_reset (&s->dedup);

  if (is_space (c))
    {
      s->last = c;
      s->since_cjk = G_MAXUINT / 2;
      s->han_run = 0;
      s->letterspaced = FALSE;
      return;
    }

  s->han_run = 0;
  s->letterspaced = FALSE;

  switch (c)
    {
    case 0x201C: s->quote_open = TRUE; break;
    case 0x201D: s->quote_open = FALSE; break;
    case 0x2018: s->squote_open = TRUE; break;
    case 0x2019: s->squote_open = FALSE; break;
    case 0xFF09: case ')': s->in_byline = s->byline_open = FALSE; break;
    default: break;
    }

  if (is_cjk_punct (c))
    s->since_cjk = 0;
  else
    s->since_cjk++;

  if (is_sentence_end (c))
    s->sent_end = TRUE;
  else if (!(s->sent_end && is_closer (c)))
    s->sent_end = FALSE;

  s->last = c;
  s->last_ns = c;
  s->seg_width += char_width (c);
}

/* The Han run starting at pos, counted up to max + 1. */
static guint
han_run_at (const char *t,
            gsize       pos,
            gsize       pend,
            guint       max,
            gsize      *run_end)
{
  guint n = 0;

  while (pos < pend && n <= max && is_han (char_at (t, pos)))
    {
      pos += char_len (t, pos);
      n++;
    }
  if (run_end != NULL)
    *run_end = pos;
  return n;
}

/* A space between the two halves of a quoted slogan (“才聚蓼河 企望有你”). */
static gboolean
is_slogan_space (Inline *s,
                 gsize   next_pos,
                 gsize   pend)
{
  gsize run_end;
  guint n;
  gunichar c;

  if (!s->quote_open || !s->run_after_quote || s->han_run < 3 || s->han_run > 16)
    return FALSE;
  n = han_run_at (s->t, next_pos, pend, s->han_run, &run_end);
  if (n != s->han_run || run_end >= pend)
    return FALSE;
  c = char_at (s->t, run_end);
  return c == 0x201D || c == '"';
}

/* Whether the first character after pos that is neither a space nor
 * convertible punctuation is Chinese. Every position of a run of spaces
 * and punctuation gets the same answer, computed once. */
static gboolean
right_chinese (Inline *s,
               gsize   pos,
               gsize   pend)
{
  gsize p;

  if (pos < s->right_end)
    return s->right_value;
  p = pos;
  while (p < pend)
    {
      gunichar c = char_at (s->t, p);

      /* the rule's own full-width forms too: cleaning again sees them */
      if (!is_space (c) && !is_convertible (c) && !is_converted (c))
        break;
      p += char_len (s->t, p);
    }
  s->right_end = p;
  s->right_value = p < pend && is_chinese (char_at (s->t, p));
  return s->right_value;
}

static void
segment_end (Inline *s,
             guint   seg)
{
  s->segs[s->seg_count % 3] = seg;
  s->seg_count++;
  s->seg_width = 0;
}

static void
segments_reset (Inline *s)
{
  s->seg_count = 0;
  s->seg_width = 0;
  memset (s->segs, 0, sizeof s->segs);
}

static void
handle_spaces (Inline *s,
               gsize   rs,
               gsize   re,
               gsize   pend)
{
  gunichar prev = s->last;
  gunichar next = re < pend ? char_at (s->t, re) : 0;
  gboolean chinese_next;
  guint seg = s->seg_width;

  if (rs == s->keep_run)
    {
      state_put (s, ' ');
      return;
    }

  if (prev == 0 || next == 0)
    {
      if (s->rules & GALLEY_RULE_SPACES)
        writer_replace (&s->w, rs, re, "", GALLEY_RULE_SPACES);
      else
        state_put (s, ' ');
      return;
    }

  /* A long line holding wrapped lines separated by spaces: a sentence end
   * followed by a space after a short wrapped line ends the paragraph. */
  if ((s->rules & GALLEY_RULE_PARAGRAPH_JOIN) && !s->headline && s->sent_end &&
      s->seg_count >= 2 && s->segs[(s->seg_count - 1) % 3] >= 24 &&
      s->segs[(s->seg_count - 2) % 3] >= 24 &&
      seg + 6 <= MAX (s->segs[0], MAX (s->segs[1], s->segs[2])) &&
      !is_cjk_punct (next) && !is_clause_punct (next))
    {
      writer_replace (&s->w, rs, re, "\n", GALLEY_RULE_PARAGRAPH_JOIN);
      s->open_at_break |= s->byline_open;
      paragraph_begin (s, re, pend);
      return;
    }

  chinese_next = is_chinese (next);
  if (!chinese_next && (s->rules & GALLEY_RULE_PUNCTUATION) && is_convertible (next))
    {
      chinese_next = right_chinese (s, re, pend) || s->since_cjk <= 8;
      /* a closing bracket converted with its opening one */
      if (next == ')' && s->paren_depth > 0 && s->paren_depth <= 64 &&
          ((s->paren_bits >> (s->paren_depth - 1)) & 1))
        chinese_next = TRUE;
    }

  /* Spaces the rule removes mark where wrapped lines were joined: they
   * end a segment. A space that stays starts the count again, so that
   * cleaning again, without the removed spaces, splits nothing new. */
  if (!(is_chinese (prev) || chinese_next))
    {
      segments_reset (s);
      state_put (s, ' ');
      return;
    }

  if ((s->protect || s->in_byline || is_slogan_space (s, re, pend)) &&
      !is_cjk_punct (prev) && !is_cjk_punct (next) && !is_convertible (next))
    {
      /* letter-spaced single characters (免 税 技 术) join */
      if (is_han (prev) && is_han (next) && (s->han_run == 1 || s->letterspaced) &&
          han_run_at (s->t, re, pend, 1, NULL) == 1)
        {
          segment_end (s, seg);
          if (!(s->rules & GALLEY_RULE_SPACES))
            {
              state_put (s, ' ');
              return;
            }
          writer_replace (&s->w, rs, re, "", GALLEY_RULE_SPACES);
          s->letterspaced = TRUE;
          return;
        }
      segments_reset (s);
      if (s->rules & GALLEY_RULE_SPACES)
        writer_replace (&s->w, rs, re, " ", GALLEY_RULE_SPACES);
      state_put (s, ' ');
      return;
    }

  segment_end (s, seg);
  if (s->rules & GALLEY_RULE_SPACES)
    writer_replace (&s->w, rs, re, "", GALLEY_RULE_SPACES);
  else
    state_put (s, ' ');
}

static inline gboolean
is_word (gunichar c)
{
  return is_han (c) || (c < 0x80 && g_ascii_isalnum (c));
}

/* Whether the straight quote c at pos is the last one of its kind in the
 * paragraph (each paragraph is searched once for each kind). */
static gboolean
is_lone_quote (Inline   *s,
               gunichar  c,
               gsize     pos,
               gsize     pend)
{
  guint k = c == '"' ? 0 : 1;

  if (s->last_quote[k] == G_MAXSIZE)
    {
      const char *q = memrchr (s->t + s->para_start, (int) c, pend - s->para_start);

      s->last_quote[k] = q != NULL ? (gsize) (q - s->t) + 1 : 0;
    }
  return s->last_quote[k] == pos + 1;
}

static gunichar
convert_punct (Inline   *s,
               gunichar  c,
               gsize     pos,
               gsize     pend)
{
  gunichar prev = s->last_ns;
  gsize np = skip_spaces (s->t, pos + 1, pend);
  gunichar next = np < pend ? char_at (s->t, np) : 0;
  /* next to Chinese (past other punctuation), or in a token that follows
   * Chinese closely (80%,) */
  gboolean chinese = is_chinese (prev) || right_chinese (s, pos + 1, pend) || s->since_cjk <= 8;
  gboolean open, conv;

  switch (c)
    {
    case ',':
    case ':':
      if (is_digit (prev) && is_digit (next))
        return c;
      if (!chinese)
        return c;
      return c == ',' ? 0xFF0C : 0xFF1A;

    case ';':
      return chinese ? 0xFF1B : c;
    case '?':
      return chinese ? 0xFF1F : c;
    case '!':
      return chinese ? 0xFF01 : c;

    case '(':
      if (s->paren_depth < 64)
        {
          if (chinese)
            s->paren_bits |= G_GUINT64_CONSTANT (1) << s->paren_depth;
          else
            s->paren_bits &= ~(G_GUINT64_CONSTANT (1) << s->paren_depth);
        }
      s->paren_depth++;
      return chinese ? 0xFF08 : c;

    case ')':
      if (s->paren_depth > 0)
        {
          s->paren_depth--;
          conv = s->paren_depth < 64 ? (gboolean) ((s->paren_bits >> s->paren_depth) & 1) : chinese;
        }
      else
        conv = chinese;
      return conv ? 0xFF09 : c;

    case '"':
    case '\'':
      if (!chinese)
        return c;
      open = c == '"' ? !s->quote_open : !s->squote_open;
      /* After a sentence, a quote closes one whose opening mark was lost,
       * unless text follows and so does another quote (历程。"2016年…。") */
      if (open && is_sentence_end (prev) && !(is_word (next) && !is_lone_quote (s, c, pos, pend)))
        open = FALSE;
      else if (open && is_lone_quote (s, c, pos, pend) && (is_word (next) || is_word (prev)))
        {
          /* no partner: opening before text, else closing after text */
          open = is_word (next);
        }
      else if (open && (next == 0 || is_closing_context (next)) && !is_opening_context (prev))
        open = FALSE;
      else if (!open && is_opening_context (prev) && next != 0 && !is_closing_context (next))
        open = TRUE;
      if (c == '"')
        return open ? 0x201C : 0x201D;
      return open ? 0x2018 : 0x2019;

    default:
      return c;
    }
}

static void
inline_paragraph (Inline *s,
                  gsize   pos,
                  gsize   pend)
{
  const char *t = s->t;

  paragraph_begin (s, pos, pend);

  while (pos < pend)
    {
      gunichar c = char_at (t, pos);
      gsize next = pos + char_len (t, pos);

      if (is_space (c))
        {
          gsize re = skip_spaces (t, next, pend);

          handle_spaces (s, pos, re, pend);
          pos = re;
          continue;
        }

      if (is_han (c))
        {
          guint l;

          state_put (s, c);
          if ((s->rules & GALLEY_RULE_DUPLICATE) && (l = dedup_push (&s->dedup, c, pos)) > 0)
            {
              writer_drop (&s->w, dedup_pop (&s->dedup, l), next, GALLEY_RULE_DUPLICATE);
              s->han_run -= l;
              s->seg_width -= 2 * l;
            }
          pos = next;
          continue;
        }

      if ((s->rules & GALLEY_RULE_PUNCTUATION) && is_convertible (c))
        {
          gunichar r = convert_punct (s, c, pos, pend);

          if (r != c)
            {
              char buf[8];
              int n = g_unichar_to_utf8 (r, buf);

              writer_edit (&s->w, pos, next, buf, n, GALLEY_RULE_PUNCTUATION);
            }
          c = r;
        }

      state_put (s, c);
      if (c == 0xFF08 || c == '(')
        {
          s->in_byline = role_word_at (t, skip_spaces (t, next, pend), pend) > 0;
          s->byline_open |= s->in_byline;
        }
      pos = next;
    }
}

static void
inline_pass (Inline *s)
{
  gsize pos = 0;

  for (;;)
    {
      const char *nl = memchr (s->t + pos, '\n', s->len - pos);
      gsize pend = nl != NULL ? (gsize) (nl - s->t) : s->len;

      inline_paragraph (s, pos, pend);
      if (nl != NULL)
        s->open_at_break |= s->byline_open;
      if (nl == NULL)
        break;
      pos = pend + 1;
    }
  writer_finish (&s->w, s->len);
}

/* ---------------------------------------------------------------------
 * Composing the two passes
 */

static gboolean
overlaps (gsize start,
          gsize end,
          gsize gs,
          gsize ge)
{
  if (start == end)
    return gs < start && start < ge;
  return start < ge;
}

/* A change and its two strings in one allocation: before and after
 * follow the struct (galley_change_free() knows). */
static GalleyChange *
change_new (const char *orig,
            const char *clean,
            gsize       os,
            gsize       oe,
            gsize       cs,
            gsize       ce,
            GalleyRule  rule)
{
  gsize blen = oe - os, alen = ce - cs;
  GalleyChange *ch = g_malloc (sizeof (GalleyChange) + blen + alen + 2);
  char *strings = (char *) (ch + 1);

  ch->rule = rule;
  ch->kind = GALLEY_CHANGE_EDIT;
  ch->orig_start = os;
  ch->orig_end = oe;
  ch->clean_start = cs;
  ch->clean_end = ce;
  ch->before = strings;
  memcpy (strings, orig + os, blen);
  strings[blen] = '\0';
  ch->after = strings + blen + 1;
  memcpy (ch->after, clean + cs, alen);
  ch->after[alen] = '\0';
  ch->confidence = 1.0;
  return ch;
}

/* e1: orig -> t1, e2: t1 -> t2. Edits of both passes that touch the same
 * stretch of t1 become one edit orig -> t2, named after the later pass's
 * rule. */
static GArray *
compose (const GArray *e1,
         const GArray *e2)
{
  GArray *edits = g_array_sized_new (FALSE, FALSE, sizeof (Edit), e1->len + e2->len);
  const Edit *a1 = (const Edit *) (gconstpointer) e1->data;
  const Edit *a2 = (const Edit *) (gconstpointer) e2->data;
  guint i = 0, j = 0;
  gssize d1 = 0, d2 = 0; /* t1 - orig and t2 - t1 offsets so far */

  while (i < e1->len || j < e2->len)
    {
      guint i0 = i, j0 = j;
      gsize gs, ge, os, oe, cs, ce;
      gssize nd1 = d1, nd2 = d2;
      GalleyRule rule;

      if (i < e1->len && (j >= e2->len || a1[i].out_start <= a2[j].in_start))
        {
          gs = a1[i].out_start;
          ge = a1[i].out_end;
          i++;
        }
      else
        {
          gs = a2[j].in_start;
          ge = a2[j].in_end;
          j++;
        }

      for (;;)
        {
          if (i < e1->len && overlaps (a1[i].out_start, a1[i].out_end, gs, ge))
            {
              ge = MAX (ge, a1[i].out_end);
              i++;
            }
          else if (j < e2->len && overlaps (a2[j].in_start, a2[j].in_end, gs, ge))
            {
              ge = MAX (ge, a2[j].in_end);
              j++;
            }
          else
            break;
        }

      for (guint k = i0; k < i; k++)
        nd1 += (gssize) (a1[k].out_end - a1[k].out_start) - (gssize) (a1[k].in_end - a1[k].in_start);
      for (guint k = j0; k < j; k++)
        nd2 += (gssize) (a2[k].out_end - a2[k].out_start) - (gssize) (a2[k].in_end - a2[k].in_start);

      os = i0 < i && a1[i0].out_start == gs ? a1[i0].in_start : (gsize) ((gssize) gs - d1);
      oe = i0 < i && a1[i - 1].out_end == ge ? a1[i - 1].in_end : (gsize) ((gssize) ge - nd1);
      cs = j0 < j && a2[j0].in_start == gs ? a2[j0].out_start : (gsize) ((gssize) gs + d2);
      ce = j0 < j && a2[j - 1].in_end == ge ? a2[j - 1].out_end : (gsize) ((gssize) ge + nd2);
      rule = j0 < j ? a2[j0].rule : a1[i0].rule;

      {
        Edit e = { os, oe, cs, ce, rule };

        g_array_append_val (edits, e);
      }
      d1 = nd1;
      d2 = nd2;
    }

  return edits;
}

static GPtrArray *
changes_from_edits (const char   *orig,
                    const GArray *edits,
                    const char   *clean)
{
  GPtrArray *changes = g_ptr_array_new_full (edits->len, (GDestroyNotify) galley_change_free);

  for (guint i = 0; i < edits->len; i++)
    {
      const Edit *e = &g_array_index (edits, Edit, i);

      /* a later round may have undone an edit */
      if (e->in_end - e->in_start == e->out_end - e->out_start &&
          memcmp (orig + e->in_start, clean + e->out_start, e->in_end - e->in_start) == 0)
        continue;
      g_ptr_array_add (changes, change_new (orig, clean, e->in_start, e->in_end,
                                            e->out_start, e->out_end, e->rule));
    }
  return changes;
}

/* Adds the suspects found in the clean text, with their span in the
 * original; a suspect that overlaps an edit is dropped. */
static void
add_suspects (GalleyCleanResult *result,
              const char        *orig,
              GalleyConfusions  *confusions)
{
  g_autoptr(GPtrArray) suspects = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_change_free);
  GPtrArray *edits = result->changes;
  GPtrArray *merged;
  gssize delta = 0; /* clean - orig so far */
  gsize last_clean_end = 0;
  gsize clean_len = strlen (result->text);
  guint k = 0;

  galley_confusions_scan (confusions, result->text, clean_len, suspects);
  if (suspects->len == 0)
    return;

  merged = g_ptr_array_new_full (edits->len + suspects->len, (GDestroyNotify) galley_change_free);
  for (guint i = 0; i < suspects->len; i++)
    {
      GalleyChange *sus = g_ptr_array_index (suspects, i);
      gsize cs = sus->clean_start, ce = sus->clean_end;
      gboolean drop = FALSE;

      while (k < edits->len)
        {
          GalleyChange *e = g_ptr_array_index (edits, k);

          if (!(e->clean_start < cs || (e->clean_start == cs && e->clean_end == cs)))
            break;
          delta += (gssize) (e->clean_end - e->clean_start) - (gssize) (e->orig_end - e->orig_start);
          last_clean_end = e->clean_end;
          g_ptr_array_add (merged, g_steal_pointer (&edits->pdata[k]));
          k++;
        }
      if (last_clean_end > cs || ce <= cs || ce > clean_len)
        drop = TRUE;
      if (k < edits->len)
        {
          GalleyChange *e = g_ptr_array_index (edits, k);

          if (e->clean_start < ce)
            drop = TRUE;
        }
      if (drop)
        continue;

      sus->orig_start = (gsize) ((gssize) cs - delta);
      sus->orig_end = (gsize) ((gssize) ce - delta);
      g_free (sus->before);
      sus->before = g_strndup (orig + sus->orig_start, sus->orig_end - sus->orig_start);
      g_ptr_array_add (merged, g_steal_pointer (&suspects->pdata[i]));
    }
  for (; k < edits->len; k++)
    g_ptr_array_add (merged, g_steal_pointer (&edits->pdata[k]));

  g_ptr_array_unref (edits);
  result->changes = merged;
}

/* Runs both passes over text; returns the clean text and sets *edits to
 * the edits text -> clean text. */
#define MAX_ROUNDS 4
#define MAX_SWEEPS 16

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

/* Line b joins paragraph m: roughly what analysing them as one line gives. */
static void
merge_lines (Line       *m,
             const Line *b)
{
  guint keep = m->flags & (LINE_STARTER | LINE_BYLINE | LINE_DATELINE | LINE_MARKED);

  if (b->tail > b->start)
    {
      m->tail = b->tail;
      m->tail_chars = b->tail_chars;
    }
  else
    m->tail_chars += b->tail_chars;
  m->end = b->end;
  m->keep_end = b->keep_end;
  m->width += b->width;
  m->chars += b->chars;
  m->flags = keep | ((m->flags | b->flags) & (LINE_CLAUSE | LINE_HAN | LINE_OPEN_QUOTE)) |
             (b->flags & LINE_ENDS);
}

/* The line starts of a once-cleaned text whose breaks cleaning it again
 * and again would join: each line is judged as a paragraph of its own,
 * as the layout pass judges it on the next cleaning, and joined lines as
 * one line, as on the cleaning after that. Sorted. */
static GArray *
plan_joins (const char *text,
            gsize       len,
            GalleyRule  rules)
{
  LayoutCtx ctx = { rules, FALSE, { 0, } };
  g_autoptr(GArray) array = g_array_new (FALSE, FALSE, sizeof (Line));
  GArray *joins = g_array_new (FALSE, FALSE, sizeof (gsize));
  gboolean changed = TRUE;
  gsize pos = 0;

  while (pos < len)
    {
      gsize eol = line_end (text, pos, len);

      if (eol > pos)
        {
          Line line;

          analyse_one (text, pos, eol, &line, &ctx);
          g_array_append_val (array, line);
        }
      pos = eol + 1;
    }
  g_free (ctx.dedup.chars);

  for (guint sweep = 0; sweep < MAX_SWEEPS && changed && array->len > 1; sweep++)
    {
      Line *lines = (Line *) (gpointer) array->data;
      Line m = lines[0];
      guint n = 0;

      changed = FALSE;
      for (guint i = 1; i < array->len; i++)
        {
          ParaState para;

          para_reset (&para);
          para_push (&para, &m);
          if (decide_gap (&para, &m, &lines[i], i + 1 < array->len ? &lines[i + 1] : NULL, 0) == GAP_JOIN)
            {
              g_array_append_val (joins, lines[i].start);
              merge_lines (&m, &lines[i]);
              changed = TRUE;
            }
          else
            {
              lines[n++] = m;
              m = lines[i];
            }
        }
      lines[n++] = m;
      g_array_set_size (array, n);
    }

  g_array_sort (joins, compare_offsets);
  return joins;
}

static GString *
run_passes (const char   *text,
            gsize         len,
            GalleyRule    rules,
            gboolean      headline,
            const GArray *forced,
            GArray      **edits,
            gboolean     *open_byline)
{
  Writer w1;
  Inline s = { 0, };

  writer_init (&w1, text, len);
  layout_pass (text, len, rules, headline, forced, &w1);
  writer_finish (&w1, len);

  s.t = w1.out->str;
  s.len = w1.out->len;
  s.rules = rules;
  s.headline = headline;
  writer_init (&s.w, s.t, s.len);
  inline_pass (&s);
  g_free (s.dedup.chars);
  *open_byline = s.open_at_break;

  *edits = compose (w1.edits, s.w.edits);
  g_string_free (w1.out, TRUE);
  g_array_unref (s.w.edits);
  g_array_unref (w1.edits);
  return s.w.out;
}

static GalleyCleanResult *
clean_internal (const char       *text,
                gsize             len,
                GalleyRule        rules,
                gboolean          headline,
                GalleyConfusions *confusions)
{
  GalleyCleanResult *result;
  GArray *edits;
  gboolean open_byline;
  GString *clean = run_passes (text, len, rules, headline, NULL, &edits, &open_byline);

  /* Cleaning the clean text must change nothing. Where the layout of the
   * clean text would still change (its paragraphs are judged as whole
   * lines now, with other widths and neighbours than the column lines
   * they came from), it is cleaned again, with the joins that cleaning
   * it over and over would make planned at once, and the edits composed.
   * Real text rarely needs this at all. */
  for (guint round = 0; round < MAX_ROUNDS && !layout_is_stable (clean->str, clean->len, rules, headline, open_byline); round++)
    {
      GArray *more;
      g_autoptr(GArray) joins = headline ? NULL : plan_joins (clean->str, clean->len, rules);
      GString *again = run_passes (clean->str, clean->len, rules, headline, joins, &more, &open_byline);
      GArray *both;

      if (more->len == 0)
        {
          g_array_unref (more);
          g_string_free (again, TRUE);
          break;
        }
      both = compose (edits, more);
      g_array_unref (edits);
      g_array_unref (more);
      g_string_free (clean, TRUE);
      edits = both;
      clean = again;
    }

  result = g_new0 (GalleyCleanResult, 1);
  result->changes = changes_from_edits (text, edits, clean->str);
  result->text = g_string_free (clean, FALSE);
  g_array_unref (edits);

  if ((rules & GALLEY_RULE_CONFUSION) && confusions != NULL && !headline)
    add_suspects (result, text, confusions);

  return result;
}

/* UTF-8 without nul bytes, as g_utf8_validate_len() checks it, faster on
 * Chinese text; on a FALSE the callers ask GLib, which names the check in
 * its critical warning. */
static gboolean
utf8_is_valid (const char *text,
               gsize       len)
{
  const guchar *p = (const guchar *) text, *end = p + len;

  while (p < end)
    {
      guchar c = *p;

      if ((c & 0xF0) == 0xE0) /* the common case: a three-byte character */
        {
          if (end - p < 3 || ((p[1] & 0xC0) ^ 0x80) | ((p[2] & 0xC0) ^ 0x80))
            return FALSE;
          if (G_UNLIKELY ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)))
            return FALSE;
          p += 3;
        }
      else if (c < 0x80)
        {
          if (c == 0)
            return FALSE;
          p++;
        }
      else if (c < 0xC2)
        return FALSE;
      else if (c < 0xE0)
        {
          if (end - p < 2 || (p[1] & 0xC0) != 0x80)
            return FALSE;
          p += 2;
        }
      else
        {
          if (c > 0xF4 || end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
              (p[3] & 0xC0) != 0x80 || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
            return FALSE;
          p += 4;
        }
    }
  return TRUE;
}

GalleyCleanResult *
galley_clean (const char       *text,
              gssize            len,
              GalleyRule        rules,
              GalleyConfusions *confusions)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (text);
  g_return_val_if_fail (utf8_is_valid (text, len) || g_utf8_validate_len (text, len, NULL), NULL);

  return clean_internal (text ? text : "", len, rules, FALSE, confusions);
}

GalleyCleanResult *
galley_clean_headline (const char *text,
                       gssize      len,
                       GalleyRule  rules)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (text);
  g_return_val_if_fail (utf8_is_valid (text, len) || g_utf8_validate_len (text, len, NULL), NULL);

  return clean_internal (text ? text : "", len, rules & ~GALLEY_RULE_PARAGRAPH_JOIN, TRUE, NULL);
}

void
galley_clean_result_free (GalleyCleanResult *result)
{
  if (result == NULL)
    return;
  g_free (result->text);
  g_clear_pointer (&result->changes, g_ptr_array_unref);
  g_free (result);
}

GalleyChange *
galley_change_copy (const GalleyChange *change)
{
  GalleyChange *copy;

  g_return_val_if_fail (change != NULL, NULL);

  copy = g_memdup2 (change, sizeof *change);
  copy->before = g_strdup (change->before);
  copy->after = g_strdup (change->after);
  return copy;
}

void
galley_change_free (GalleyChange *change)
{
  if (change == NULL)
    return;
  /* the changes galley_clean() makes hold their strings (see change_new()) */
  if (change->before != (char *) (change + 1))
    {
      g_free (change->before);
      g_free (change->after);
    }
  g_free (change);
}

char *
galley_clean_apply (const char      *original,
                    const GPtrArray *changes,
                    const gboolean  *accepted)
{
  GString *out;
  gsize len, pos = 0;

  g_return_val_if_fail (original != NULL, NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  len = strlen (original);
  out = g_string_sized_new (len + 16);
  for (guint i = 0; i < changes->len; i++)
    {
      const GalleyChange *ch = g_ptr_array_index ((GPtrArray *) changes, i);
      gboolean take;

      if (ch->orig_start < pos || ch->orig_end < ch->orig_start || ch->orig_end > len)
        {
          g_critical ("%s: change %u is out of order or out of range", G_STRFUNC, i);
          continue;
        }
      if (accepted != NULL)
        take = accepted[i];
      else
        take = ch->kind == GALLEY_CHANGE_EDIT;

      g_string_append_len (out, original + pos, ch->orig_start - pos);
      if (take)
        g_string_append (out, ch->after);
      else
        g_string_append_len (out, original + ch->orig_start, ch->orig_end - ch->orig_start);
      pos = ch->orig_end;
    }
  g_string_append_len (out, original + pos, len - pos);
  return g_string_free (out, FALSE);
}

static const struct {
  GalleyRule  rule;
  const char *id;
  const char *label;
} rule_names[] = {
  /* Translators: names of the clean-up rules, shown next to each change */
  { GALLEY_RULE_LINE_JOIN, "line-join", N_("Line breaks") },
  { GALLEY_RULE_PARAGRAPH_JOIN, "paragraph-join", N_("Paragraph breaks") },
  { GALLEY_RULE_DUPLICATE, "duplicate", N_("Duplicated text") },
  { GALLEY_RULE_PUNCTUATION, "punctuation", N_("Punctuation") },
  { GALLEY_RULE_SPACES, "spaces", N_("Spaces") },
  { GALLEY_RULE_CONFUSION, "confusion", N_("Look-alike characters") },
};

const char *
galley_rule_to_id (GalleyRule rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (rule_names[i].rule == rule)
      return rule_names[i].id;
  g_return_val_if_reached (NULL);
}

GalleyRule
galley_rule_from_id (const char *id)
{
  g_return_val_if_fail (id != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (strcmp (rule_names[i].id, id) == 0)
      return rule_names[i].rule;
  return 0;
}

const char *
galley_rule_get_label (GalleyRule rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (rule_names[i].rule == rule)
      return g_dgettext (GETTEXT_PACKAGE, rule_names[i].label);
  g_return_val_if_reached (NULL);
}
