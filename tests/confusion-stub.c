/* confusion-stub.c: a stand-in for galley-confusion.c, for building the
 * clean-up tests alone. It knows only the corrections added with
 * galley_confusions_add_known().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "galley-clean.h"

struct _GalleyConfusions {
  gint       ref;
  GPtrArray *wrong;
  GPtrArray *right;
};

GalleyConfusions *
galley_confusions_new (void)
{
  GalleyConfusions *self = g_new0 (GalleyConfusions, 1);

  self->ref = 1;
  self->wrong = g_ptr_array_new_with_free_func (g_free);
  self->right = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
galley_confusions_unref (GalleyConfusions *self)
{
  if (--self->ref > 0)
    return;
  g_ptr_array_unref (self->wrong);
  g_ptr_array_unref (self->right);
  g_free (self);
}

void
galley_confusions_add_known (GalleyConfusions *self,
                             const char       *wrong,
                             const char       *right)
{
  g_ptr_array_add (self->wrong, g_strdup (wrong));
  g_ptr_array_add (self->right, g_strdup (right));
}

void
galley_confusions_scan (GalleyConfusions *self,
                        const char       *text,
                        gsize             len,
                        GPtrArray        *suspects)
{
  for (gsize pos = 0; pos < len; pos++)
    for (guint i = 0; i < self->wrong->len; i++)
      {
        const char *w = g_ptr_array_index (self->wrong, i);
        gsize n = strlen (w);

        if (n > 0 && pos + n <= len && memcmp (text + pos, w, n) == 0)
          {
            GalleyChange *ch = g_new0 (GalleyChange, 1);

            ch->rule = GALLEY_RULE_CONFUSION;
            ch->kind = GALLEY_CHANGE_SUSPECT;
            ch->orig_start = ch->clean_start = pos;
            ch->orig_end = ch->clean_end = pos + n;
            ch->before = g_strndup (text + pos, n);
            ch->after = g_strdup (g_ptr_array_index (self->right, i));
            ch->confidence = 1.0;
            g_ptr_array_add (suspects, ch);
            pos += n - 1;
            break;
          }
      }
}
