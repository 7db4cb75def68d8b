/* galley-article-list.c: a lazy list model over the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-article-list"

#include "galley-article-list.h"

/* Rows made recently are kept, so that scrolling back does not query again. */
#define CACHE_SIZE 1024
/* Rows are read from the archive this many at a time: a list view asks for
 * its rows one by one, and scrolling fast asks for thousands. */
#define BLOCK 32

struct _GalleyArticleList
{
  GObject      parent_instance;

  GalleyStore *store;
  GArray      *ids;   /* gint64 */
  GHashTable  *cache; /* id -> GalleyArticle */
  GQueue       order; /* ids in the cache, oldest first */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GalleyArticleList, galley_article_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return GALLEY_TYPE_ARTICLE;
}

static guint
get_n_items (GListModel *model)
{
  return GALLEY_ARTICLE_LIST (model)->ids->len;
}

static void
cache_clear (GalleyArticleList *self)
{
  g_hash_table_remove_all (self->cache);
  while (!g_queue_is_empty (&self->order))
    g_free (g_queue_pop_head (&self->order));
}

static int
compare_ids (const gint64 *a,
             const gint64 *b)
{
  return *a == *b ? 0 : 1;
}

static void
cache_add (GalleyArticleList *self,
           GalleyArticle     *article)
{
  gint64 id = galley_article_get_id (article);

  if (g_queue_get_length (&self->order) >= CACHE_SIZE)
    {
      gint64 *old = g_queue_pop_head (&self->order);

      g_hash_table_remove (self->cache, old);
      g_free (old);
    }
  g_queue_push_tail (&self->order, g_memdup2 (&id, sizeof id));
  g_hash_table_insert (self->cache, g_memdup2 (&id, sizeof id), g_object_ref (article));
}

/* Reads the rows of the block holding position into the cache; returns
 * the one at position. */
static GalleyArticle *
load_block (GalleyArticleList *self,
            guint              position)
{
  GalleyArticle *wanted = NULL;
  g_autoptr(GError) error = NULL;
  GalleyArticleSummary summaries[BLOCK];
  gint64 ids[BLOCK] = { 0 };
  guint first = position - position % BLOCK, n = 0;

  for (guint i = first; i < MIN (first + BLOCK, self->ids->len); i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);

      if (i == position || !g_hash_table_contains (self->cache, &id))
        ids[n++] = id;
    }
  galley_store_get_summaries (self->store, ids, n, summaries, &error);
  if (error != NULL)
    g_debug ("Rows from %u: %s", first, error->message);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GalleyArticle) article = NULL;

      if (summaries[i].id == 0)
        {
          /* The row was deleted behind our back: show it empty, not crash. */
          summaries[i].id = ids[i];
          summaries[i].title = g_strdup ("");
          summaries[i].kicker = g_strdup ("");
          summaries[i].source_name = g_strdup ("");
          summaries[i].status = g_strdup ("to-proofread");
        }
      article = galley_article_new_take (&summaries[i]);
      cache_add (self, article);
      if (ids[i] == g_array_index (self->ids, gint64, position))
        wanted = g_object_ref (article);
    }
  return wanted;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  GalleyArticleList *self = GALLEY_ARTICLE_LIST (model);
  GalleyArticle *article;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;
  id = g_array_index (self->ids, gint64, position);
  article = g_hash_table_lookup (self->cache, &id);
  if (article != NULL)
    return g_object_ref (article);
  return load_block (self, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
galley_article_list_finalize (GObject *object)
{
  GalleyArticleList *self = GALLEY_ARTICLE_LIST (object);

  cache_clear (self);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_article_list_parent_class)->finalize (object);
}

static void
galley_article_list_class_init (GalleyArticleListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = galley_article_list_finalize;
}

static void
galley_article_list_init (GalleyArticleList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_queue_init (&self->order);
}

GalleyArticleList *
galley_article_list_new (GalleyStore *store)
{
  GalleyArticleList *self;

  g_return_val_if_fail (GALLEY_IS_STORE (store), NULL);

  self = g_object_new (GALLEY_TYPE_ARTICLE_LIST, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
galley_article_list_set_ids (GalleyArticleList *self,
                             GArray            *ids)
{
  guint removed;

  g_return_if_fail (GALLEY_IS_ARTICLE_LIST (self));
  g_return_if_fail (ids != NULL);

  removed = self->ids->len;
  g_array_unref (self->ids);
  self->ids = ids;
  cache_clear (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, ids->len);
}

gboolean
galley_article_list_reload (GalleyArticleList        *self,
                            const GalleyArticleQuery *query,
                            GError                  **error)
{
  GArray *ids;

  g_return_val_if_fail (GALLEY_IS_ARTICLE_LIST (self), FALSE);

  if ((ids = galley_store_list_ids (self->store, query, error)) == NULL)
    return FALSE;
  galley_article_list_set_ids (self, ids);
  return TRUE;
}

guint
galley_article_list_find (GalleyArticleList *self,
                          gint64             id)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE_LIST (self), G_MAXUINT);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      return i;
  return G_MAXUINT;
}

void
galley_article_list_refresh (GalleyArticleList *self,
                             gint64             id)
{
  guint position;

  g_return_if_fail (GALLEY_IS_ARTICLE_LIST (self));

  if (g_hash_table_remove (self->cache, &id))
    {
      GList *link = g_queue_find_custom (&self->order, &id, (GCompareFunc) compare_ids);

      g_free (link->data);
      g_queue_delete_link (&self->order, link);
    }
  position = galley_article_list_find (self, id);
  if (position != G_MAXUINT)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}
