/* galley-score.c: scores an export against gold files
 *
 *   galley-score GOLD.json... EXPORT.jsonl
 *
 * prints, per page, the character error rate of the raw OCR and of the
 * export, the share of the raw distance the export removed, how many gold
 * articles were found as exactly one exported article, and how many
 * titles match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-score"

#include <stdio.h>
#include <stdlib.h>

#include "score.h"

static void
print_row (const char      *name,
           const ScorePage *p)
{
  double chars = MAX (p->gold_chars, 1);

  printf ("%-28s %8.2f%% %9.2f%% %8.1f%% %6u/%-3u %6u/%-3u\n", name,
          100.0 * p->raw_distance / chars, 100.0 * p->clean_distance / chars,
          100.0 * score_removed (p), p->found, p->gold_articles,
          p->titles_matched, p->gold_articles);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exports = NULL;
  ScorePage total = { 0, };

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s GOLD.json... EXPORT.jsonl\n", argv[0]);
      return 2;
    }

  exports = score_export_load (argv[argc - 1], &error);
  if (exports == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  printf ("%-28s %9s %10s %9s %10s %10s\n", "page", "raw CER", "clean CER",
          "removed", "found", "titles");
  for (int i = 1; i < argc - 1; i++)
    {
      g_autoptr(ScoreGold) gold = score_gold_load (argv[i], &error);
      ScorePage page;

      if (gold == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      score_page (gold, exports, &page);
      print_row (gold->source, &page);
      total.gold_articles += page.gold_articles;
      total.found += page.found;
      total.titles_matched += page.titles_matched;
      total.gold_chars += page.gold_chars;
      total.raw_distance += page.raw_distance;
      total.clean_distance += page.clean_distance;
    }
  if (argc > 3)
    print_row ("total", &total);
  return 0;
}
