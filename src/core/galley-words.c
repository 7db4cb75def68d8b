/* galley-words.c: a Chinese word list with frequencies, and word segmentation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The words sit in an open-addressing hash table keyed by 46 bits of a
 * 64-bit hash of their code points (two of jieba's half a million words
 * and prefixes share a key with odds of about 1 in 500), next to their log
 * probability in steps of 1/2048. The proper prefixes of
 * the words are in the table too, so that a word has a flag telling
 * whether longer words start with it, and a prefix that is no word has a
 * log probability of -INFINITY: the search for the words starting at a
 * character stops as soon as no longer one can follow. Segmentation is
 * the classic dynamic programme over those words, from the end of the run
 * back to its start.
 */
#define G_LOG_DOMAIN "galley-words"

#include "galley-words.h"
#include "galley-cjk.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef GALLEY_PKGDATADIR
# error "GALLEY_PKGDATADIR must name the installed data directory"
#endif

#define FNV_BASIS  0xcbf29ce484222325ULL
#define LONGER     1u /* in Slot.key: longer words start with this one */
#define COST_SCALE 2048.0
#define NO_WORD    G_MAXUINT16

typedef struct {
  guint32 key;   /* see key_of (), | LONGER; 0 marks an empty slot */
  guint16 check; /* more bits of the hash */
  guint16 cost;  /* -log probability x COST_SCALE, NO_WORD for a mere prefix */
} Slot;

struct _GalleyWords {
  gatomicrefcount ref_count;
  Slot           *slots;
  guint32         mask;
  guint           n_used;
  guint           n_words;
  double          unknown_log_p; /* of a character not in the list */
};

static inline guint64
hash_step (guint64  state,
           gunichar c)
{
  return (state ^ c) * 0x100000001b3ULL;
}

/* The hash of a word from the hash_step () state after its last character. */
static inline guint64
hash_of (guint64 state)
{
  state ^= state >> 33;
  state *= 0xff51afd7ed558ccdULL;
  state ^= state >> 33;
  state *= 0xc4ceb9fe1a85ec53ULL;
  state ^= state >> 33;
  return state;
}

/* Never 0, LONGER clear. */
static inline guint32
key_of (guint64 h)
{
  return ((guint32) h | 2u) & ~LONGER;
}

static inline guint16
check_of (guint64 h)
{
  return (guint16) (h >> 32);
}

static const Slot *
find_slot (const GalleyWords *self,
           guint64            h)
{
  guint32 key = key_of (h);
  guint16 check = check_of (h);
  guint32 s = (key >> 2) & self->mask;

  while (self->slots[s].key != 0 &&
         ((self->slots[s].key & ~LONGER) != key || self->slots[s].check != check))
    s = (s + 1) & self->mask;
  return &self->slots[s];
}

static inline double
log_p_of (const Slot *slot)
{
  return slot->key == 0 || slot->cost == NO_WORD ? -INFINITY : -slot->cost / COST_SCALE;
}

/* The slot of hash h, made (as a mere prefix) when missing; keeps the
 * table at most 70 % full. */
static Slot *
insert (GalleyWords *self,
        guint64      h)
{
  Slot *slot = (Slot *) find_slot (self, h);

  if (slot->key != 0)
    return slot;
  if ((self->n_used + 1) * 10 > (self->mask + 1) * 7)
    {
      g_autofree Slot *old = self->slots;
      guint32 old_size = self->mask + 1;

      self->mask = 2 * old_size - 1;
      self->slots = g_new0 (Slot, 2 * old_size);
      for (guint32 s = 0; s < old_size; s++)
        if (old[s].key != 0)
          {
            guint32 t = (old[s].key >> 2) & self->mask;

            while (self->slots[t].key != 0)
              t = (t + 1) & self->mask;
            self->slots[t] = old[s];
          }
      slot = (Slot *) find_slot (self, h);
    }
  slot->key = key_of (h);
  slot->check = check_of (h);
  slot->cost = NO_WORD;
  self->n_used++;
  return slot;
}

/* Reads the word at the start of line[0, end): returns its length in
 * characters, with the hash of each of its prefixes (up to
 * GALLEY_WORDS_MAX_LENGTH characters) in hashes and the frequency after
 * it in freq, 0 when there is none. */
static guint
parse_line (const char *line,
            const char *end,
            guint64    *hashes,
            double     *freq)
{
  guint64 state = FNV_BASIS;
  guint n_chars = 0;
  const char *p = line;

  while (p < end && *p != ' ' && *p != '\t')
    {
      if (n_chars < GALLEY_WORDS_MAX_LENGTH)
        {
          state = hash_step (state, g_utf8_get_char (p));
          hashes[n_chars] = hash_of (state);
        }
      n_chars++;
      p = g_utf8_next_char (p);
    }
  *freq = p < end ? g_ascii_strtod (p, NULL) : 0;
  if (!(*freq > 0 && *freq < G_MAXDOUBLE)) /* NaN and infinity too */
    *freq = 0;
  return n_chars;
}

GalleyWords *
galley_words_new_from_file (const char  *path,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint n_lines = 0;
  guint n_slots = 1024;
  double total = 0;
  GalleyWords *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (!g_utf8_validate (contents, length, NULL))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   /* Translators: %s is a file name */
                   _("%s is not a UTF-8 word list"), display);
      return NULL;
    }

  self = g_new0 (GalleyWords, 1);
  g_atomic_ref_count_init (&self->ref_count);

  /* the total frequency first, then the words' costs and the prefixes */
  for (int pass = 0; pass < 2; pass++)
    {
      for (char *line = contents; line < contents + length;)
        {
          char *end = memchr (line, '\n', length - (gsize) (line - contents));
          guint64 hashes[GALLEY_WORDS_MAX_LENGTH];
          guint n_chars;
          double freq;
          Slot *slot;

          if (end == NULL)
            end = contents + length;
          n_chars = parse_line (line, end, hashes, &freq);
          line = end + 1;
          if (n_chars == 0 || n_chars > GALLEY_WORDS_MAX_LENGTH || freq == 0)
            continue;
          if (pass == 0)
            {
              total += freq;
              n_lines++;
              continue;
            }
          slot = insert (self, hashes[n_chars - 1]);
          if (slot->cost == NO_WORD)
            self->n_words++;
          else
            freq += exp (-slot->cost / COST_SCALE) * total; /* listed twice */
          slot->cost = (guint16) MIN (-log (freq / total) * COST_SCALE + 0.5, NO_WORD - 1);
          for (guint i = 0; i + 1 < n_chars; i++)
            insert (self, hashes[i])->key |= LONGER;
        }
      if (pass == 0)
        {
          while (n_slots * 7 < 15 * (n_lines + 1)) /* room for prefixes too */
            n_slots *= 2;
          self->slots = g_new0 (Slot, n_slots);
          self->mask = n_slots - 1;
        }
    }
  self->unknown_log_p = log (1.0 / MAX (total, 1.0));
  return self;
}

static GalleyWords *
load_default (gpointer data)
{
  const char *dir = g_getenv ("GALLEY_DATA_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GalleyWords *words;

  path = g_build_filename (dir != NULL && *dir != '\0' ? dir : GALLEY_PKGDATADIR,
                           "words.txt", NULL);
  words = galley_words_new_from_file (path, &error);
  if (words == NULL)
    g_debug ("No word list, topics are learnt from characters only: %s", error->message);
  return words;
}

GalleyWords *
galley_words_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, (GThreadFunc) load_default, NULL);
  return once.retval;
}

GalleyWords *
galley_words_ref (GalleyWords *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
galley_words_unref (GalleyWords *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->slots);
  g_free (self);
}

guint
galley_words_get_n_words (GalleyWords *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_words;
}

double
galley_words_log_probability (GalleyWords    *self,
                              const gunichar *word,
                              guint           length)
{
  guint64 state = FNV_BASIS;

  g_return_val_if_fail (self != NULL, -INFINITY);

  if (length == 0 || length > GALLEY_WORDS_MAX_LENGTH)
    return -INFINITY;
  for (guint i = 0; i < length; i++)
    state = hash_step (state, word[i]);
  return log_p_of (find_slot (self, hash_of (state)));
}

guint
galley_words_segment (GalleyWords    *self,
                      const gunichar *chars,
                      guint           n,
                      guint          *ends)
{
  double stack_best[128];
  guint stack_next[128];
  g_autofree double *heap_best = NULL;
  g_autofree guint *heap_next = NULL;
  double *best = stack_best;
  guint *next = stack_next;
  guint n_words = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (n + 1 > G_N_ELEMENTS (stack_best))
    {
      best = heap_best = g_new (double, n + 1);
      next = heap_next = g_new (guint, n + 1);
    }

  /* best[i]: the highest log probability of chars[i, n) cut into words;
   * ties go to the longer first word */
  best[n] = 0;
  for (guint i = n; i-- > 0;)
    {
      guint max_len = MIN (GALLEY_WORDS_MAX_LENGTH, n - i);
      guint64 state = FNV_BASIS;

      best[i] = self->unknown_log_p + best[i + 1];
      next[i] = i + 1;
      for (guint len = 1; len <= max_len; len++)
        {
          const Slot *slot;
          double log_p;

          state = hash_step (state, chars[i + len - 1]);
          slot = find_slot (self, hash_of (state));
          if (slot->key == 0)
            break;
          log_p = log_p_of (slot);
          if (log_p > -INFINITY && log_p + best[i + len] >= best[i])
            {
              best[i] = log_p + best[i + len];
              next[i] = i + len;
            }
          if (!(slot->key & LONGER))
            break;
        }
    }
  for (guint i = 0; i < n; i = next[i])
    ends[n_words++] = next[i];
  return n_words;
}

GStrv
galley_words_split (GalleyWords *self,
                    const char  *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree gunichar *chars = NULL;
  g_autofree guint *ends = NULL;
  glong n;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  chars = g_utf8_to_ucs4 (text, -1, NULL, &n, NULL);
  if (chars == NULL)
    n = 0;
  ends = g_new (guint, n + 1);
  for (guint i = 0; i < (guint) n;)
    {
      guint j = i;

      if (g_unichar_isspace (chars[i]))
        {
          i++;
          continue;
        }
      if (galley_cjk_is_han (chars[i]))
        {
          guint n_words;

          while (j < (guint) n && galley_cjk_is_han (chars[j]))
            j++;
          n_words = galley_words_segment (self, chars + i, j - i, ends);
          for (guint w = 0, start = i; w < n_words; start = i + ends[w], w++)
            g_ptr_array_add (words, g_ucs4_to_utf8 (chars + start, i + ends[w] - start,
                                                    NULL, NULL, NULL));
        }
      else
        {
          while (j < (guint) n && !galley_cjk_is_han (chars[j]) && !g_unichar_isspace (chars[j]))
            j++;
          g_ptr_array_add (words, g_ucs4_to_utf8 (chars + i, j - i, NULL, NULL, NULL));
        }
      i = j;
    }
  g_ptr_array_add (words, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}
