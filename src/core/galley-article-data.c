/* galley-article-data.c: one article as the exporters and the CLI see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-article-data"

#include "galley-article-data.h"

static char **
empty_strv (void)
{
  return g_new0 (char *, 1);
}

GalleyArticleData *
galley_article_data_new (void)
{
  GalleyArticleData *data = g_new0 (GalleyArticleData, 1);

  data->source_file = g_strdup ("");
  data->kicker = g_strdup ("");
  data->title = g_strdup ("");
  data->subtitle = g_strdup ("");
  data->byline = g_strdup ("");
  data->place = g_strdup ("");
  data->reporters = empty_strv ();
  data->correspondents = empty_strv ();
  data->body = g_strdup ("");
  data->original = g_strdup ("");
  data->captions = empty_strv ();
  data->intertitles = empty_strv ();
  data->tags = empty_strv ();
  data->tag_codes = empty_strv ();
  data->status = g_strdup ("to-proofread");

  return data;
}

void
galley_article_data_free (GalleyArticleData *data)
{
  if (data == NULL)
    return;

  g_free (data->source_file);
  g_free (data->kicker);
  g_free (data->title);
  g_free (data->subtitle);
  g_free (data->byline);
  g_free (data->place);
  g_strfreev (data->reporters);
  g_strfreev (data->correspondents);
  g_free (data->date);
  g_free (data->body);
  g_free (data->original);
  g_strfreev (data->captions);
  g_strfreev (data->intertitles);
  g_strfreev (data->tags);
  g_strfreev (data->tag_codes);
  g_free (data->status);
  g_clear_pointer (&data->imported, g_date_time_unref);
  g_clear_pointer (&data->modified, g_date_time_unref);
  /* The store creates `changes` with galley_change_free as free func. */
  g_clear_pointer (&data->changes, g_ptr_array_unref);
  g_clear_pointer (&data->change_states, g_array_unref);
  g_free (data);
}
