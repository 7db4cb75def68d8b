/* galley-words.c: a Chinese word list with frequencies, and word segmentation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The words sit in an open-addressing hash table keyed by a 64-bit hash of
 * their code points: the low bits pick the slot, the high 32 bits are kept
 * to tell words apart (a false match is about one in four billion probes),
 * next to the word's log probability. Segmentation is the classic dynamic
 * programme over the words that start at each character, from the end of
 * the run back to its start.
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

typedef struct {
  guint32 check; /* high half of the hash, never 0; 0 marks an empty slot */
  float   log_p;
} Slot;

struct _GalleyWords {
  gatomicrefcount ref_count;
  Slot           *slots;
  guint32         mask;
  guint           n_words;
  double          unknown_log_p; /* of a character not in the list */
};

static inline guint64
hash_word (const gunichar *word,
           guint           length)
{
  guint64 h = 0xcbf29ce484222325ULL;

  for (guint i = 0; i < length; i++)
    h = (h ^ word[i]) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

static inline guint32
check_of (guint64 h)
{
  return (guint32) (h >> 32) | 1;
}

static Slot *
find_slot (const GalleyWords *self,
           guint64            h)
{
  guint32 check = check_of (h);
  guint32 s = (guint32) h & self->mask;

  while (self->slots[s].check != 0 && self->slots[s].check != check)
    s = (s + 1) & self->mask;
  return &self->slots[s];
}

GalleyWords *
galley_words_new_from_file (const char  *path,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GArray) word = g_array_new (FALSE, FALSE, sizeof (gunichar));
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
  for (const char *p = contents; (p = memchr (p, '\n', length - (gsize) (p - contents))) != NULL; p++)
    n_lines++;
  while (n_slots * 7 < 10 * (n_lines + 1)) /* at most 70 % full */
    n_slots *= 2;

  self = g_new0 (GalleyWords, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->slots = g_new0 (Slot, n_slots);
  self->mask = n_slots - 1;

  /* first pass: frequencies into the slots; then the logarithms */
  for (char *line = contents; line < contents + length;)
    {
      char *end = memchr (line, '\n', length - (gsize) (line - contents));
      char *p = line;
      double freq;

      if (end == NULL)
        end = contents + length;
      g_array_set_size (word, 0);
      while (p < end && *p != ' ' && *p != '\t')
        {
          gunichar c = g_utf8_get_char (p);

          g_array_append_val (word, c);
          p = g_utf8_next_char (p);
        }
      freq = p < end ? g_ascii_strtod (p, NULL) : 0;
      if (word->len > 0 && word->len <= GALLEY_WORDS_MAX_LENGTH && freq > 0)
        {
          guint64 h = hash_word ((gunichar *) (void *) word->data, word->len);
          Slot *slot = find_slot (self, h);

          if (slot->check == 0)
            {
              slot->check = check_of (h);
              self->n_words++;
            }
          slot->log_p += (float) freq;
          total += freq;
        }
      line = end + 1;
    }
  for (guint s = 0; s < n_slots; s++)
    if (self->slots[s].check != 0)
      self->slots[s].log_p = (float) log (self->slots[s].log_p / total);
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
  const Slot *slot;

  g_return_val_if_fail (self != NULL, -INFINITY);

  if (length == 0 || length > GALLEY_WORDS_MAX_LENGTH)
    return -INFINITY;
  slot = find_slot (self, hash_word (word, length));
  return slot->check != 0 ? slot->log_p : -INFINITY;
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

      best[i] = self->unknown_log_p + best[i + 1];
      next[i] = i + 1;
      for (guint len = 1; len <= max_len; len++)
        {
          double log_p = galley_words_log_probability (self, chars + i, len);

          if (log_p > -INFINITY && log_p + best[i + len] >= best[i])
            {
              best[i] = log_p + best[i + len];
              next[i] = i + len;
            }
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
