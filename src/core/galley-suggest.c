/* galley-suggest.c: topic suggestions learnt from the archive's tagged articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-suggest"

#include "galley-suggest.h"

/* The untagged articles the model also learns from (see
 * galley_classifier_add_untagged()): the newest, as those are the ones
 * the editors work on, as many as the classifier takes. */
#define MAX_UNTAGGED 2000

struct _GalleySuggestModel
{
  gatomicrefcount   ref_count;
  GalleyClassifier *classifier;
  guint             n_articles;
  guint             n_tags;
};

typedef struct {
  GalleyClassifier *classifier;
  GHashTable       *tags;     /* names seen */
  gboolean          full;     /* of untagged articles */
  gint64            last_id;
  guint             n_articles;
  GCancellable     *cancellable;
} Collect;

static void
collect_example (gint64      article_id,
                 const char *text,
                 const char *tag,
                 gpointer    user_data)
{
  Collect *c = user_data;

  if (g_cancellable_is_cancelled (c->cancellable) || text == NULL)
    return;
  if (tag == NULL)
    {
      c->full = c->full || !galley_classifier_add_untagged (c->classifier, text);
      return;
    }
  galley_classifier_add (c->classifier, text, tag);
  g_hash_table_add (c->tags, g_strdup (tag));
  if (article_id != c->last_id)
    c->n_articles++;
  c->last_id = article_id;
}

GalleySuggestModel *
galley_suggest_model_new_from_store (GalleyStore   *store,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  g_autoptr(GalleySuggestModel) self = g_new0 (GalleySuggestModel, 1);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Collect c = { 0 };

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);

  g_atomic_ref_count_init (&self->ref_count);
  self->classifier = galley_classifier_new ();
  c.classifier = self->classifier;
  c.tags = tags;
  c.cancellable = cancellable;
  if (!galley_store_foreach_example (store, collect_example, &c, error) ||
      !galley_store_foreach_recent_untagged (store, MAX_UNTAGGED, collect_example, &c, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self->n_articles = c.n_articles;
  self->n_tags = g_hash_table_size (tags);
  galley_classifier_train (self->classifier);
  return g_steal_pointer (&self);
}

GalleySuggestModel *
galley_suggest_model_ref (GalleySuggestModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
galley_suggest_model_unref (GalleySuggestModel *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->classifier, galley_classifier_unref);
  g_free (self);
}

guint
galley_suggest_model_get_n_articles (GalleySuggestModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_articles;
}

guint
galley_suggest_model_get_n_guessed (GalleySuggestModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return galley_classifier_get_n_guessed (self->classifier);
}

guint
galley_suggest_model_get_n_tags (GalleySuggestModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_tags;
}

GPtrArray *
galley_suggest_model_suggest (GalleySuggestModel *self,
                              const char         *text,
                              guint               max_suggestions)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  /* With one tag, it would be sure of it for every article. */
  if (self->n_tags < 2)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) galley_suggestion_free);
  return galley_classifier_suggest (self->classifier, text, max_suggestions);
}

typedef struct {
  GalleySuggestModel *model;
  double              min_confidence;
  GPtrArray          *labels;   /* of the plan, parallel to plan */
  GArray             *plan;
  GCancellable       *cancellable;
} Plan;

static void
plan_article (gint64      article_id,
              const char *text,
              const char *tag,
              gpointer    user_data)
{
  Plan *p = user_data;
  g_autoptr(GPtrArray) suggestions = NULL;
  GalleySuggestion *best;
  GalleyTagging tagging = { article_id, 0, 0 };

  if (text == NULL || g_cancellable_is_cancelled (p->cancellable))
    return;
  suggestions = galley_suggest_model_suggest (p->model, text, 1);
  if (suggestions->len == 0)
    return;
  best = g_ptr_array_index (suggestions, 0);
  if (best->confidence < p->min_confidence)
    return;
  /* Below 1: a tag applied from a suggestion, never taken for an editor's */
  tagging.confidence = MIN (best->confidence, 0.999);
  g_array_append_val (p->plan, tagging);
  g_ptr_array_add (p->labels, g_strdup (best->label));
}

GArray *
galley_suggest_plan_untagged (GalleyStore        *store,
                              GalleySuggestModel *model,
                              double              min_confidence,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) plan = g_array_new (FALSE, FALSE, sizeof (GalleyTagging));
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  Plan p = { model, min_confidence, labels, plan, cancellable };

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  if (!galley_store_foreach_article_text (store, FALSE, plan_article, &p, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < plan->len; i++)
    {
      const char *label = g_ptr_array_index (labels, i);
      gint64 *id = g_hash_table_lookup (ids, label);

      if (id == NULL)
        {
          gint64 found = galley_store_find_tag (store, label, error);

          if (found < 0)
            return NULL;
          id = g_memdup2 (&found, sizeof found);
          g_hash_table_insert (ids, (gpointer) label, id);
        }
      g_array_index (plan, GalleyTagging, i).tag_id = *id;
    }
  /* A tag deleted since the model learnt it is left out. */
  for (guint i = plan->len; i > 0; i--)
    if (g_array_index (plan, GalleyTagging, i - 1).tag_id == 0)
      g_array_remove_index (plan, i - 1);
  return g_steal_pointer (&plan);
}

/* GalleySuggester */

struct _GalleySuggester
{
  GObject             parent_instance;

  char               *database;
  GalleySuggestModel *model;
  GCancellable       *cancellable;
  guint               timeout_id;
  gboolean            training;
  gboolean            again;    /* tags changed while training */
};

G_DEFINE_FINAL_TYPE (GalleySuggester, galley_suggester, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_training (GalleySuggester *self);

static void
train_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *database = task_data;
  g_autoptr(GalleyStore) store = NULL;
  GalleySuggestModel *model;
  GError *error = NULL;

  if ((store = galley_store_open (database, &error)) == NULL ||
      (model = galley_suggest_model_new_from_store (store, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, model, (GDestroyNotify) galley_suggest_model_unref);
}

static void
train_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GalleySuggester *self = GALLEY_SUGGESTER (source);
  g_autoptr(GError) error = NULL;
  GalleySuggestModel *model = g_task_propagate_pointer (G_TASK (result), &error);

  self->training = FALSE;
  if (model == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not learn from the tagged articles: %s", error->message);
      return;
    }
  g_clear_pointer (&self->model, galley_suggest_model_unref);
  self->model = model;
  g_debug ("Learnt from %u articles, %u tags", model->n_articles, model->n_tags);
  if (self->again)
    start_training (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
start_training (GalleySuggester *self)
{
  g_autoptr(GTask) task = NULL;

  self->again = FALSE;
  self->training = TRUE;
  task = g_task_new (self, self->cancellable, train_done_cb, NULL);
  g_task_set_source_tag (task, start_training);
  g_task_set_task_data (task, g_strdup (self->database), g_free);
  g_task_run_in_thread (task, train_thread);
}

static gboolean
timeout_cb (gpointer data)
{
  GalleySuggester *self = data;

  self->timeout_id = 0;
  if (self->training)
    self->again = TRUE;
  else
    start_training (self);
  return G_SOURCE_REMOVE;
}

void
galley_suggester_schedule (GalleySuggester *self,
                           guint            delay_ms)
{
  g_return_if_fail (GALLEY_IS_SUGGESTER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (delay_ms == 0)
    timeout_cb (self);
  else
    self->timeout_id = g_timeout_add (delay_ms, timeout_cb, self);
}

GalleySuggestModel *
galley_suggester_get_model (GalleySuggester *self)
{
  g_return_val_if_fail (GALLEY_IS_SUGGESTER (self), NULL);
  return self->model;
}

gboolean
galley_suggester_is_training (GalleySuggester *self)
{
  g_return_val_if_fail (GALLEY_IS_SUGGESTER (self), FALSE);
  return self->training || self->timeout_id != 0;
}

static void
galley_suggester_dispose (GObject *object)
{
  GalleySuggester *self = GALLEY_SUGGESTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  G_OBJECT_CLASS (galley_suggester_parent_class)->dispose (object);
}

static void
galley_suggester_finalize (GObject *object)
{
  GalleySuggester *self = GALLEY_SUGGESTER (object);

  g_clear_pointer (&self->model, galley_suggest_model_unref);
  g_clear_object (&self->cancellable);
  g_free (self->database);
  G_OBJECT_CLASS (galley_suggester_parent_class)->finalize (object);
}

static void
galley_suggester_class_init (GalleySuggesterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = galley_suggester_dispose;
  object_class->finalize = galley_suggester_finalize;

  /* A new model was swapped in. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
galley_suggester_init (GalleySuggester *self)
{
  self->cancellable = g_cancellable_new ();
}

GalleySuggester *
galley_suggester_new (const char *database)
{
  GalleySuggester *self;

  g_return_val_if_fail (database != NULL, NULL);

  self = g_object_new (GALLEY_TYPE_SUGGESTER, NULL);
  self->database = g_strdup (database);
  return self;
}
