/* galley-article.c: one row of the article list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-article"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "galley-article.h"

struct _GalleyArticle
{
  GObject              parent_instance;
  GalleyArticleSummary summary;
  char                *subtitle; /* "date · page" line of the row */
};

G_DEFINE_FINAL_TYPE (GalleyArticle, galley_article, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_KICKER,
  PROP_DATE,
  PROP_SOURCE_NAME,
  PROP_POSITION,
  PROP_STATUS,
  PROP_PENDING,
  PROP_DETAILS,
  PROP_STATUS_LABEL,
  PROP_PENDING_LABEL,
  PROP_HAS_KICKER,
  PROP_HAS_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
galley_article_finalize (GObject *object)
{
  GalleyArticle *self = GALLEY_ARTICLE (object);

  galley_article_summary_clear (&self->summary);
  g_free (self->subtitle);
  G_OBJECT_CLASS (galley_article_parent_class)->finalize (object);
}

static void
galley_article_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GalleyArticle *self = GALLEY_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->summary.id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->summary.title);
      break;
    case PROP_KICKER:
      g_value_set_string (value, self->summary.kicker);
      break;
    case PROP_DATE:
      g_value_set_string (value, self->summary.date);
      break;
    case PROP_SOURCE_NAME:
      g_value_set_string (value, self->summary.source_name);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->summary.position);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->summary.status);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->summary.pending);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, galley_status_get_label (self->summary.status));
      break;
    case PROP_PENDING_LABEL:
      if (self->summary.pending == 0)
        g_value_set_string (value, "");
      else
        g_value_take_string (value, g_strdup_printf (
          /* Translators: changes of the clean-up still to review */
          g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", self->summary.pending),
          self->summary.pending));
      break;
    case PROP_HAS_KICKER:
      g_value_set_boolean (value, self->summary.kicker != NULL && self->summary.kicker[0] != '\0');
      break;
    case PROP_HAS_PENDING:
      g_value_set_boolean (value, self->summary.pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
galley_article_class_init (GalleyArticleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = galley_article_finalize;
  object_class->get_property = galley_article_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_KICKER] = g_param_spec_string ("kicker", NULL, NULL, NULL, flags);
  properties[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE_NAME] = g_param_spec_string ("source-name", NULL, NULL, NULL, flags);
  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* The second line of a list row: date, page and position. */
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, flags);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  properties[PROP_PENDING_LABEL] = g_param_spec_string ("pending-label", NULL, NULL, NULL, flags);
  properties[PROP_HAS_KICKER] = g_param_spec_boolean ("has-kicker", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_PENDING] = g_param_spec_boolean ("has-pending", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
galley_article_init (GalleyArticle *self)
{
}

GalleyArticle *
galley_article_new_take (GalleyArticleSummary *summary)
{
  GalleyArticle *self = g_object_new (GALLEY_TYPE_ARTICLE, NULL);

  self->summary = *summary;
  memset (summary, 0, sizeof *summary);
  self->subtitle = g_strdup_printf (
    /* Translators: article list row: article number on the page, date, source file */
    _("No. %u · %s · %s"), self->summary.position + 1,
    self->summary.date != NULL ? self->summary.date : _("undated"),
    self->summary.source_name);
  return self;
}

const char *
galley_status_get_label (const char *status)
{
  if (g_strcmp0 (status, "proofread") == 0)
    return _("Proofread");
  if (g_strcmp0 (status, "approved") == 0)
    return _("Approved");
  return _("To Proofread");
}

gint64
galley_article_get_id (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), 0);
  return self->summary.id;
}

const char *
galley_article_get_title (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), NULL);
  return self->summary.title;
}

const char *
galley_article_get_source_name (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), NULL);
  return self->summary.source_name;
}

const char *
galley_article_get_kicker (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), NULL);
  return self->summary.kicker;
}

const char *
galley_article_get_date (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), NULL);
  return self->summary.date;
}

const char *
galley_article_get_status (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), NULL);
  return self->summary.status;
}

guint
galley_article_get_pending (GalleyArticle *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE (self), 0);
  return self->summary.pending;
}
