/* fuzz-clean.c: libFuzzer target for the clean-up rules
 *
 *   clang -fsanitize=fuzzer,address,undefined …
 *
 * The input is made valid UTF-8 and cleaned with every rule, as a body and
 * as a headline; the change lists must rebuild the clean text with every
 * edit accepted and the input with none. With GALLEY_FUZZ_IDEMPOTENT set,
 * cleaning the clean text (body and headline) must change nothing too;
 * a counterexample is printed before the abort.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "galley-clean.h"

static void
not_idempotent (const char *what,
                const char *input,
                const char *once,
                const char *twice)
{
  g_autofree char *a = g_strescape (input, NULL);
  g_autofree char *b = g_strescape (once, NULL);
  g_autofree char *c = g_strescape (twice, NULL);

  fprintf (stderr, "%s not idempotent:\n  input: \"%s\"\n  clean: \"%s\"\n  again: \"%s\"\n", what, a, b, c);
  abort ();
}

static void
check (const char        *input,
       GalleyCleanResult *r)
{
  guint n = r->changes->len;
  g_autofree gboolean *accepted = g_new0 (gboolean, n + 1);
  g_autofree char *none = NULL;
  g_autofree char *all = NULL;
  gsize pos = 0;

  if (!g_utf8_validate (r->text, -1, NULL))
    abort ();
  for (guint i = 0; i < n; i++)
    {
      GalleyChange *ch = g_ptr_array_index (r->changes, i);

      if (ch->orig_start < pos || ch->orig_end < ch->orig_start)
        abort ();
      pos = ch->orig_end;
      accepted[i] = ch->kind == GALLEY_CHANGE_EDIT;
    }
  all = galley_clean_apply (input, r->changes, accepted);
  if (strcmp (all, r->text) != 0)
    abort ();
  memset (accepted, 0, n * sizeof (gboolean));
  none = galley_clean_apply (input, r->changes, accepted);
  if (strcmp (none, input) != 0)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_utf8_make_valid ((const char *) data, size);
  g_autoptr(GalleyCleanResult) body = NULL;
  g_autoptr(GalleyCleanResult) headline = NULL;

  /* the text stops at the first nul, as for any C string */
  body = galley_clean (text, -1, GALLEY_RULES_ALL, NULL);
  check (text, body);
  headline = galley_clean_headline (text, -1, GALLEY_RULES_ALL);
  check (text, headline);

  if (g_getenv ("GALLEY_FUZZ_IDEMPOTENT") != NULL)
    {
      g_autoptr(GalleyCleanResult) again = galley_clean (body->text, -1, GALLEY_RULES_ALL, NULL);
      g_autoptr(GalleyCleanResult) again_headline = galley_clean_headline (headline->text, -1, GALLEY_RULES_ALL);

      if (strcmp (again->text, body->text) != 0 || again->changes->len != 0)
        not_idempotent ("body", text, body->text, again->text);
      if (strcmp (again_headline->text, headline->text) != 0)
        not_idempotent ("headline", text, headline->text, again_headline->text);
    }
  return 0;
}
