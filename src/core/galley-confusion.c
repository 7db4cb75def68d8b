/* galley-confusion.c: OCR character confusions and known corrections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Look-alikes (人/入/八, 己/已/巳 …) are judged with a character bigram
 * model made from a word list with frequencies: at a confusable character
 * x between neighbours L and R,
 *
 *   score (x) = P (x | L) * P (R | x)
 *   P (b | a) = (in (a b) + ends (a) * starts (b) / total) / uses (a)
 *
 * where in (a b) sums the frequencies of the words (2 to 4 characters)
 * that hold "a b" and match the text around it, ends/starts/uses count the
 * words ending with, starting with and holding a character, and total sums
 * all words (every count smoothed by one).  A look-alike is suggested when
 * its score is at least MIN_RATIO times that of the printed character,
 * with confidence 1 - 0.5 * sqrt (MIN_RATIO / ratio): 0.5 at the
 * threshold, 0.95 at a hundred times it.
 * The cache (see build-aux/make-confusions.py for its format) holds the
 * look-alike groups, the counts and the words holding a confusable
 * character, in a hash table used in place.
 *
 * Known corrections are found with an Aho-Corasick automaton over the
 * bytes of their `wrong` strings, so a scan stays linear however many an
 * editor has added.
 */

#define G_LOG_DOMAIN "galley-confusion"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "galley-clean.h"
#include "galley-confusion.h"

#ifndef GALLEY_PKGDATADIR
# error "GALLEY_PKGDATADIR must name the installed data directory"
#endif

#define CACHE_MAGIC    "GLYCONF"
#define CACHE_VERSION  1
#define HEADER_SIZE    32
#define CJK_FIRST      0x4E00
#define CJK_LAST       0x9FFF
#define MIN_RATIO      100.0 /* how much likelier a look-alike must be */
#define MAX_WORD       4     /* longest word in the cache, in characters */
#define WINDOW         (2 * MAX_WORD - 1)
#define CENTER         (MAX_WORD - 1)

typedef struct
{
  guint32 fail;
  guint32 first_child;  /* 0: none (the root is nobody's child) */
  guint32 next_sibling;
  guint32 out;          /* 1 + index of the longest correction ending here */
  guint8  byte;
} AcNode;

typedef struct
{
  double   uses;   /* words holding the character, plus one */
  double   ends;   /* words ending with it, plus one */
  double   starts; /* words starting with it, plus one */
  gboolean known;  /* counted in the cache */
} CharStats;

typedef struct
{
  gsize   start;
  gsize   end;
  guint32 index;
} KnownMatch;

struct _GalleyConfusions
{
  gatomicrefcount  ref_count;

  /* the cache, read-only once loaded */
  GMappedFile     *file;
  const guint32   *chars;       /* n_chars × (code point, first alt, n alts) */
  guint32          n_chars;
  const guint32   *alts;
  guint32          n_alts;
  const guint64   *slots;
  guint32          n_slots;
  double           start_total;
  guint16         *index;       /* CJK_FIRST..CJK_LAST -> 1 + char, 0: none */
  CharStats       *char_stats;  /* per char */
  CharStats       *alt_stats;   /* per alt */
  double          *prior;       /* per alt: the most its score ratio can be without evidence */

  /* known corrections */
  GMutex           lock;        /* guards building the automaton */
  GPtrArray       *wrong;
  GPtrArray       *right;
  GHashTable      *by_wrong;    /* wrong -> 1 + index */
  GArray          *nodes;       /* of AcNode, 0 is the root */
  guint32          root[256];
  gboolean         dirty;
};

GalleyConfusions *
galley_confusions_new (void)
{
  GalleyConfusions *self = g_new0 (GalleyConfusions, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lock);
  self->wrong = g_ptr_array_new_with_free_func (g_free);
  self->right = g_ptr_array_new_with_free_func (g_free);
  self->by_wrong = g_hash_table_new (g_str_hash, g_str_equal);
  self->nodes = g_array_new (FALSE, TRUE, sizeof (AcNode));
  self->start_total = 1.0;

  return self;
}

GalleyConfusions *
galley_confusions_ref (GalleyConfusions *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
galley_confusions_unref (GalleyConfusions *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->file, g_mapped_file_unref);
  g_free (self->index);
  g_free (self->char_stats);
  g_free (self->alt_stats);
  g_free (self->prior);
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->by_wrong);
  g_ptr_array_unref (self->wrong);
  g_ptr_array_unref (self->right);
  g_array_unref (self->nodes);
  g_free (self);
}

gboolean
galley_confusions_has_data (GalleyConfusions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->file != NULL;
}

/* The cache's key hash: see build-aux/make-confusions.py. */
static inline guint64
key_hash (char            tag,
          const gunichar *cps,
          guint           n)
{
  guint64 h = (G_GUINT64_CONSTANT (0xcbf29ce484222325) ^ (guchar) tag) *
              G_GUINT64_CONSTANT (0x100000001b3);

  for (guint i = 0; i < n; i++)
    h = (h ^ cps[i]) * G_GUINT64_CONSTANT (0x100000001b3);

  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;

  return h;
}

/* The stored value for a key, or -1 when the key is absent. */
static int
lookup (const GalleyConfusions *self,
        char                    tag,
        const gunichar         *cps,
        guint                   n)
{
  guint64 h;
  guint64 fingerprint;
  guint32 i;

  if (self->n_slots == 0)
    return -1;

  h = key_hash (tag, cps, n);
  fingerprint = h & ~G_GUINT64_CONSTANT (0xffff);
  i = (guint32) (((h & 0xffffffff) * self->n_slots) >> 32);

  /* At most n_slots probes, so that even a full table ends. */
  for (guint32 probes = 0; probes < self->n_slots; probes++)
    {
      guint64 slot = GUINT64_FROM_LE (self->slots[i]);

      if (slot == 0)
        return -1;
      if ((slot & ~G_GUINT64_CONSTANT (0xffff)) == fingerprint)
        return (int) (slot & 0xffff);
      if (++i == self->n_slots)
        i = 0;
    }

  return -1;
}

static inline double
count_from_value (int value)
{
  return value <= 0 ? 0.0 : exp2 ((value - 1) / 1024.0);
}

/* A per-character count, plus one. */
static double
char_count (const GalleyConfusions *self,
            char                    tag,
            gunichar                c)
{
  return 1.0 + count_from_value (lookup (self, tag, &c, 1));
}

static CharStats
char_stats (const GalleyConfusions *self,
            gunichar                c)
{
  CharStats stats = { 1.0, 1.0, 1.0, FALSE };
  int uses;

  if (c == 0)
    return stats;

  uses = lookup (self, 'N', &c, 1);
  if (uses > 0)
    {
      stats.known = TRUE;
      stats.uses = 1.0 + count_from_value (uses);
      stats.ends = char_count (self, 'E', c);
      stats.starts = char_count (self, 'S', c);
    }

  return stats;
}

static gboolean
bigram_present (const GalleyConfusions *self,
                gunichar                a,
                gunichar                b)
{
  gunichar pair[2] = { a, b };

  return a != 0 && b != 0 && lookup (self, 'W', pair, 2) >= 0;
}

/* Summed frequency of the words w[s..e] (inclusive) holding the bigram at
 * first..first+1 of the window, with x in the centre. */
static double
words_over (const GalleyConfusions *self,
            const gunichar         *w,
            gunichar                x,
            int                     first)
{
  gunichar word[MAX_WORD];
  double sum = 0.0;

  for (int s = MAX (0, first + 2 - MAX_WORD); s <= first; s++)
    for (int e = first + 1; e < WINDOW && e - s < MAX_WORD; e++)
      {
        gboolean ok = TRUE;

        for (int k = s; k <= e; k++)
          {
            word[k - s] = k == CENTER ? x : w[k];
            ok = ok && word[k - s] != 0;
          }
        if (ok)
          sum += count_from_value (lookup (self, 'W', word, e - s + 1));
      }

  return sum;
}

/* P (x | left) * P (right | x), up to a factor shared by all candidates;
 * left and right are the stats of w[CENTER - 1] and w[CENTER + 1]. */
static double
score (const GalleyConfusions *self,
       const gunichar         *w,
       gunichar                x,
       const CharStats        *xs,
       const CharStats        *left,
       const CharStats        *right)
{
  double p_left, p_right, in;

  if (left->known)
    {
      in = bigram_present (self, w[CENTER - 1], x) ? words_over (self, w, x, CENTER - 1) : 0.0;
      p_left = (in + left->ends * xs->starts / self->start_total) / left->uses;
    }
  else
    {
      p_left = xs->starts / self->start_total;
    }

  in = bigram_present (self, x, w[CENTER + 1]) ? words_over (self, w, x, CENTER) : 0.0;
  p_right = (in + xs->ends * right->starts / self->start_total) / xs->uses;

  return p_left * p_right;
}

static guint32
read_u32 (const guint32 *p,
          gsize          i)
{
  return GUINT32_FROM_LE (p[i]);
}

static gboolean
load_cache (GalleyConfusions  *self,
            const char        *path,
            GError           **error)
{
  g_autoptr(GMappedFile) file = NULL;
  const guint8 *data;
  gsize size;
  guint32 n_chars, n_alts, n_slots;
  guint64 start_total;
  guint64 alts_at, slots_at;

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return FALSE;

  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);

  if (size < HEADER_SIZE || memcmp (data, CACHE_MAGIC, 8) != 0 ||
      GUINT32_FROM_LE (((const guint32 *) data)[2]) != CACHE_VERSION)
    goto invalid;

  n_chars = GUINT32_FROM_LE (((const guint32 *) data)[3]);
  n_alts = GUINT32_FROM_LE (((const guint32 *) data)[4]);
  n_slots = GUINT32_FROM_LE (((const guint32 *) data)[5]);
  start_total = GUINT64_FROM_LE (((const guint64 *) data)[3]);
  alts_at = HEADER_SIZE + (guint64) n_chars * 12;
  slots_at = alts_at + (guint64) n_alts * 4;
  slots_at += (8 - slots_at % 8) % 8;
  if (n_slots == 0 || start_total == 0 ||
      slots_at + (guint64) n_slots * 8 != size)
    goto invalid;

  self->chars = (const guint32 *) (data + HEADER_SIZE);
  self->n_chars = n_chars;
  self->alts = (const guint32 *) (data + alts_at);
  self->n_alts = n_alts;
  self->slots = (const guint64 *) (data + slots_at);
  self->n_slots = n_slots;
  self->start_total = (double) start_total;

  /* Check every entry the scan will trust, and index the characters. */
  self->index = g_new0 (guint16, CJK_LAST - CJK_FIRST + 1);
  self->char_stats = g_new0 (CharStats, MAX (n_chars, 1));
  self->alt_stats = g_new0 (CharStats, MAX (n_alts, 1));
  self->prior = g_new0 (double, MAX (n_alts, 1));
  for (guint32 i = 0; i < n_chars; i++)
    {
      gunichar c = read_u32 (self->chars, 3 * i);
      guint32 first = read_u32 (self->chars, 3 * i + 1);
      guint32 count = read_u32 (self->chars, 3 * i + 2);

      if (c < CJK_FIRST || c > CJK_LAST || self->index[c - CJK_FIRST] != 0 ||
          i >= G_MAXUINT16 || first > n_alts || count > n_alts - first)
        goto invalid;
      self->index[c - CJK_FIRST] = i + 1;
      self->char_stats[i] = char_stats (self, c);

      for (guint32 k = first; k < first + count; k++)
        {
          gunichar a = read_u32 (self->alts, k);
          const CharStats *cs = &self->char_stats[i];
          const CharStats *as = &self->alt_stats[k];

          if (!g_unichar_validate (a) || a == 0 || a == c)
            goto invalid;
          self->alt_stats[k] = char_stats (self, a);
          self->prior[k] = as->starts * as->ends * cs->uses / (cs->starts * cs->ends * as->uses);
        }
    }

  self->file = g_steal_pointer (&file);
  return TRUE;

invalid:
  self->chars = NULL;
  self->alts = NULL;
  self->slots = NULL;
  self->n_chars = self->n_alts = self->n_slots = 0;
  self->start_total = 1.0;
  g_clear_pointer (&self->index, g_free);
  g_clear_pointer (&self->char_stats, g_free);
  g_clear_pointer (&self->alt_stats, g_free);
  g_clear_pointer (&self->prior, g_free);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               /* Translators: %s is a file name */
               _("“%s” is not a valid look-alike character file"), path);
  return FALSE;
}

GalleyConfusions *
galley_confusions_new_from_file (const char  *path,
                                 GError     **error)
{
  g_autoptr(GalleyConfusions) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = galley_confusions_new ();
  if (!load_cache (self, path, error))
    return NULL;

  return g_steal_pointer (&self);
}

GalleyConfusions *
galley_confusions_new_default (GError **error)
{
  const char *dir = g_getenv ("GALLEY_DATA_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  GalleyConfusions *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_build_filename (dir != NULL && *dir != '\0' ? dir : GALLEY_PKGDATADIR,
                           "confusions.bin", NULL);
  self = galley_confusions_new_from_file (path, &local_error);
  if (self != NULL)
    return self;

  g_set_error (error, local_error->domain, local_error->code,
               /* Translators: %s explains why, e.g. "No such file or directory" */
               _("Look-alike character checks are off: %s"), local_error->message);
  return galley_confusions_new ();
}

void
galley_confusions_add_known (GalleyConfusions *self,
                             const char       *wrong,
                             const char       *right)
{
  gpointer found;

  g_return_if_fail (self != NULL);
  g_return_if_fail (wrong != NULL && *wrong != '\0' && g_utf8_validate (wrong, -1, NULL));
  g_return_if_fail (right != NULL && g_utf8_validate (right, -1, NULL));

  if (strcmp (wrong, right) == 0)
    return;

  g_mutex_lock (&self->lock);
  found = g_hash_table_lookup (self->by_wrong, wrong);
  if (found != NULL)
    {
      guint i = GPOINTER_TO_UINT (found) - 1;

      g_free (g_ptr_array_index (self->right, i));
      g_ptr_array_index (self->right, i) = g_strdup (right);
    }
  else
    {
      g_ptr_array_add (self->wrong, g_strdup (wrong));
      g_ptr_array_add (self->right, g_strdup (right));
      g_hash_table_insert (self->by_wrong, g_ptr_array_index (self->wrong, self->wrong->len - 1),
                           GUINT_TO_POINTER (self->wrong->len));
      self->dirty = TRUE;
    }
  g_mutex_unlock (&self->lock);
}

static inline AcNode *
node_at (GArray  *nodes,
         guint32  i)
{
  return &g_array_index (nodes, AcNode, i);
}

static guint32
ac_child (const GalleyConfusions *self,
          guint32                 state,
          guint8                  byte)
{
  if (state == 0)
    return self->root[byte];

  for (guint32 c = node_at (self->nodes, state)->first_child; c != 0;
       c = node_at (self->nodes, c)->next_sibling)
    if (node_at (self->nodes, c)->byte == byte)
      return c;

  return 0;
}

/* Rebuilds the automaton from every known correction; call with the lock held. */
static void
ac_build (GalleyConfusions *self)
{
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_array_set_size (self->nodes, 1);
  memset (node_at (self->nodes, 0), 0, sizeof (AcNode));
  memset (self->root, 0, sizeof self->root);

  for (guint i = 0; i < self->wrong->len; i++)
    {
      const guint8 *p = g_ptr_array_index (self->wrong, i);
      guint32 state = 0;

      for (; *p != '\0'; p++)
        {
          guint32 next = ac_child (self, state, *p);

          if (next == 0)
            {
              AcNode node = { 0, };

              next = self->nodes->len;
              node.byte = *p;
              if (state == 0)
                {
                  self->root[*p] = next;
                }
              else
                {
                  node.next_sibling = node_at (self->nodes, state)->first_child;
                  node_at (self->nodes, state)->first_child = next;
                }
              g_array_append_val (self->nodes, node);
            }
          state = next;
        }
      node_at (self->nodes, state)->out = i + 1;
    }

  /* Failure links, breadth first; `out` falls back to the longest
   * correction that is a suffix of the node's string. */
  for (guint b = 0; b < 256; b++)
    if (self->root[b] != 0)
      g_array_append_val (queue, self->root[b]);

  for (guint q = 0; q < queue->len; q++)
    {
      guint32 u = g_array_index (queue, guint32, q);

      for (guint32 v = node_at (self->nodes, u)->first_child; v != 0;
           v = node_at (self->nodes, v)->next_sibling)
        {
          guint8 byte = node_at (self->nodes, v)->byte;
          guint32 f = node_at (self->nodes, u)->fail;
          guint32 target;

          while (f != 0 && ac_child (self, f, byte) == 0)
            f = node_at (self->nodes, f)->fail;
          target = ac_child (self, f, byte);
          node_at (self->nodes, v)->fail = target;
          if (node_at (self->nodes, v)->out == 0)
            node_at (self->nodes, v)->out = node_at (self->nodes, target)->out;
          g_array_append_val (queue, v);
        }
    }

  self->dirty = FALSE;
}

/* Known corrections in text order, never overlapping: of overlapping
 * matches the one that starts first wins, and of those the longest. */
static GArray *
find_known (GalleyConfusions *self,
            const char       *text,
            gsize             len)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (KnownMatch));
  guint32 state = 0;

  g_mutex_lock (&self->lock);
  if (self->dirty)
    ac_build (self);
  g_mutex_unlock (&self->lock);

  if (self->wrong->len == 0)
    return matches;

  for (gsize p = 0; p < len; p++)
    {
      guint8 byte = (guint8) text[p];
      guint32 out;

      while (state != 0 && ac_child (self, state, byte) == 0)
        state = node_at (self->nodes, state)->fail;
      state = ac_child (self, state, byte);

      out = node_at (self->nodes, state)->out;
      if (out != 0)
        {
          KnownMatch m = { 0, p + 1, out - 1 };

          m.start = m.end - strlen (g_ptr_array_index (self->wrong, m.index));
          while (matches->len > 0 &&
                 g_array_index (matches, KnownMatch, matches->len - 1).start >= m.start)
            g_array_set_size (matches, matches->len - 1);
          if (matches->len == 0 ||
              g_array_index (matches, KnownMatch, matches->len - 1).end <= m.start)
            g_array_append_val (matches, m);
        }
    }

  return matches;
}

static void
add_suspect (GPtrArray  *suspects,
             const char *text,
             gsize       start,
             gsize       end,
             char       *after,
             double      confidence)
{
  GalleyChange *change = g_new0 (GalleyChange, 1);

  change->rule = GALLEY_RULE_CONFUSION;
  change->kind = GALLEY_CHANGE_SUSPECT;
  change->orig_start = change->clean_start = start;
  change->orig_end = change->clean_end = end;
  change->before = g_strndup (text + start, end - start);
  change->after = after;
  change->confidence = confidence;
  g_ptr_array_add (suspects, change);
}

/* The likeliest look-alike of w[CENTER] if it beats the printed
 * character by MIN_RATIO, else 0. */
static gunichar
best_look_alike (const GalleyConfusions *self,
                 const gunichar         *w,
                 guint16                 index,
                 double                 *confidence)
{
  gunichar c = w[CENTER];
  guint32 first = read_u32 (self->chars, 3 * (index - 1) + 1);
  guint32 count = read_u32 (self->chars, 3 * (index - 1) + 2);
  double printed = -1.0;
  double best_ratio = MIN_RATIO;
  gunichar best = 0;
  CharStats left, right;

  for (guint32 k = first; k < first + count; k++)
    {
      gunichar a = read_u32 (self->alts, k);
      double ratio;

      /* Without a bigram in the word list, the look-alike's score can
       * only come from its counts: skip it unless those alone could win. */
      if (self->prior[k] < MIN_RATIO &&
          !bigram_present (self, w[CENTER - 1], a) &&
          !bigram_present (self, a, w[CENTER + 1]))
        continue;

      if (printed < 0.0)
        {
          left = char_stats (self, w[CENTER - 1]);
          right = char_stats (self, w[CENTER + 1]);
          printed = score (self, w, c, &self->char_stats[index - 1], &left, &right);
        }
      ratio = score (self, w, a, &self->alt_stats[k], &left, &right) / printed;
      if (ratio >= best_ratio)
        {
          best_ratio = ratio;
          best = a;
        }
    }

  if (best != 0)
    *confidence = 1.0 - 0.5 * sqrt (MIN_RATIO / best_ratio);

  return best;
}

/* Decodes the character at *p in valid UTF-8 and steps over it; a line
 * break reads as 0, like the edge of the text. */
static inline gunichar
next_char (const char **p)
{
  const guchar *s = (const guchar *) *p;
  gunichar c;

  if (s[0] < 0x80)
    {
      *p += 1;
      return s[0] == '\n' ? 0 : s[0];
    }
  if (s[0] < 0xE0)
    {
      c = ((s[0] & 0x1F) << 6) | (s[1] & 0x3F);
      *p += 2;
    }
  else if (s[0] < 0xF0)
    {
      c = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
      *p += 3;
    }
  else
    {
      c = ((s[0] & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
      *p += 4;
    }

  return c;
}

void
galley_confusions_scan (GalleyConfusions *self,
                        const char       *text,
                        gsize             len,
                        GPtrArray        *suspects)
{
  g_autoptr(GArray) known = NULL;
  gunichar w[WINDOW] = { 0, };
  gsize at[WINDOW];
  const char *p = text;
  const char *end = text + len;
  guint next_known = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (suspects != NULL);
  g_return_if_fail (g_utf8_validate_len (text, len, NULL));

  known = find_known (self, text, len);
  if (self->file == NULL && known->len == 0)
    return;

  /* A window of characters around the one looked at, w[CENTER];
   * 0 stands for a line break or the edge of the text. */
  for (int k = 0; k < WINDOW; k++)
    at[k] = len;
  for (int k = CENTER; k < WINDOW && p < end; k++)
    {
      at[k] = p - text;
      w[k] = next_char (&p);
    }

  while (at[CENTER] < len)
    {
      gsize start = at[CENTER];
      gsize stop = at[CENTER + 1];
      gunichar c = w[CENTER];

      while (next_known < known->len &&
             g_array_index (known, KnownMatch, next_known).end <= start)
        next_known++;

      if (next_known < known->len &&
          g_array_index (known, KnownMatch, next_known).start <= start)
        {
          const KnownMatch *m = &g_array_index (known, KnownMatch, next_known);

          if (m->start == start)
            add_suspect (suspects, text, m->start, m->end,
                         g_strdup (g_ptr_array_index (self->right, m->index)), 1.0);
        }
      else if (c >= CJK_FIRST && c <= CJK_LAST && self->index != NULL &&
               self->index[c - CJK_FIRST] != 0)
        {
          double confidence = 0.0;
          gunichar best = best_look_alike (self, w, self->index[c - CJK_FIRST], &confidence);

          if (best != 0)
            add_suspect (suspects, text, start, stop, g_ucs4_to_utf8 (&best, 1, NULL, NULL, NULL),
                         confidence);
        }

      for (int k = 0; k < WINDOW - 1; k++)
        {
          w[k] = w[k + 1];
          at[k] = at[k + 1];
        }
      w[WINDOW - 1] = 0;
      at[WINDOW - 1] = len;
      if (p < end)
        {
          at[WINDOW - 1] = p - text;
          w[WINDOW - 1] = next_char (&p);
        }
    }
}
