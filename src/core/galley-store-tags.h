/* galley-store-tags.h: the archive's topic tags and the articles' tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tags form a tree (each may have a parent) and may carry an IPTC Media
 * Topic code. An article's tag is either given by an editor (confidence
 * 1) or applied in bulk from the classifier's suggestion (the
 * suggestion's confidence, below 1); only the editors' tags teach the
 * classifier.
 */
#pragma once

#include "galley-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  parent_id;  /* 0 at the top level */
  char   *name;
  char   *code;       /* NULL when none */
  char   *label_en;   /* "" when none */
  guint   depth;      /* 0 at the top level */
  guint   n_articles; /* articles with this tag */
  guint   n_in_tree;  /* articles with this tag or one of its subtags */
} GalleyTag;

void       galley_tag_free                 (GalleyTag *tag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyTag, galley_tag_free)

/* One article's tag, as applied in bulk (and undone). */
typedef struct {
  gint64  article_id;
  gint64  tag_id;
  double  confidence;
} GalleyTagging;

/* The taxonomy: GalleyTag* in tree order (each tag followed by its
 * children, siblings by name), with counts. */
GPtrArray *galley_store_list_tags          (GalleyStore  *self,
                                            GError      **error);
/* The articles no editor tagged (tags applied from the suggestions count
 * as tags), G_MAXUINT on error; as cheap as counting the tagged ones. */
guint      galley_store_count_untagged     (GalleyStore  *self,
                                            GError      **error);
/* A tag's id by name, 0 (and no error) when there is none. */
gint64     galley_store_find_tag           (GalleyStore  *self,
                                            const char   *name,
                                            GError      **error);
GalleyTag *galley_store_get_tag            (GalleyStore  *self,
                                            gint64        id,
                                            GError      **error);

/* Taxonomy editing. Names are unique, not empty, without '/', tab or line
 * break; surrounding space is dropped. */
gint64     galley_store_add_tag            (GalleyStore  *self,
                                            const char   *name,
                                            gint64        parent_id,
                                            const char   *code,
                                            const char   *label_en,
                                            GError      **error);
gboolean   galley_store_rename_tag         (GalleyStore  *self,
                                            gint64        id,
                                            const char   *name,
                                            GError      **error);
/* Moves a tag under parent_id (0: to the top level); not under itself or
 * one of its descendants. */
gboolean   galley_store_move_tag           (GalleyStore  *self,
                                            gint64        id,
                                            gint64        parent_id,
                                            GError      **error);
/* Merges tag `id` into `into`: its articles get `into` instead, its
 * children move under `into`, and it is deleted. */
gboolean   galley_store_merge_tags         (GalleyStore  *self,
                                            gint64        id,
                                            gint64        into,
                                            GError      **error);
/* Deletes a tag: its children move up to its parent, its articles lose
 * it. *n_articles (may be NULL) says how many articles had it. */
gboolean   galley_store_delete_tag         (GalleyStore  *self,
                                            gint64        id,
                                            guint        *n_articles,
                                            GError      **error);

/* Articles' tags */
gboolean   galley_store_tag_article        (GalleyStore  *self,
                                            gint64        article_id,
                                            gint64        tag_id,
                                            GError      **error);
gboolean   galley_store_untag_article      (GalleyStore  *self,
                                            gint64        article_id,
                                            gint64        tag_id,
                                            GError      **error);
/* The ids of an article's tags. */
GArray    *galley_store_get_article_tags   (GalleyStore  *self,
                                            gint64        article_id,
                                            GError      **error);
/* The confidence of an article's tag: 1 for an editor's, less for one
 * applied from the suggestions, 0 when the article has not the tag. */
gboolean   galley_store_get_tagging        (GalleyStore  *self,
                                            gint64        article_id,
                                            gint64        tag_id,
                                            double       *confidence,
                                            GError      **error);
/* Applies GalleyTagging items (in one transaction) with their confidence
 * (below 1 for a tag applied from a suggestion, 1 for an editor's); a tag
 * an article has already is left as it is and removed from taggings,
 * which then holds what undo_taggings() should take back. */
gboolean   galley_store_apply_taggings     (GalleyStore  *self,
                                            GArray       *taggings,
                                            GError      **error);
/* Removes the tags that apply_taggings() added, unless an editor has
 * confirmed one since. */
gboolean   galley_store_undo_taggings      (GalleyStore  *self,
                                            GArray       *taggings,
                                            GError      **error);

/* Reading articles for the classifier. func gets each article's text
 * (title, newline, the start of the body) and, for the examples, the
 * name of one tag an editor gave it. */
typedef void (*GalleyStoreTextFunc) (gint64      article_id,
                                     const char *text,
                                     const char *tag,
                                     gpointer    user_data);

gboolean   galley_store_foreach_example    (GalleyStore         *self,
                                            GalleyStoreTextFunc  func,
                                            gpointer             user_data,
                                            GError             **error);
/* Untagged articles only, or every article with all = TRUE (tag NULL). */
gboolean   galley_store_foreach_article_text (GalleyStore         *self,
                                              gboolean             all,
                                              GalleyStoreTextFunc  func,
                                              gpointer             user_data,
                                              GError             **error);
/* The max articles imported last that no editor tagged (tags applied
 * from the suggestions do not count), newest first (tag NULL). */
gboolean   galley_store_foreach_recent_untagged (GalleyStore         *self,
                                                 guint                max,
                                                 GalleyStoreTextFunc  func,
                                                 gpointer             user_data,
                                                 GError             **error);
/* One article's text as the classifier reads it. */
char      *galley_store_dup_article_text   (GalleyStore  *self,
                                            gint64        article_id,
                                            GError      **error);

/* Taxonomy files (galley-taxonomy.h): export returns GalleyTaxonomyEntry*;
 * import adds the tags that are missing, sets codes, labels and parents of
 * those that exist, all or nothing; *n_added may be NULL. */
GPtrArray *galley_store_export_taxonomy    (GalleyStore  *self,
                                            GError      **error);
gboolean   galley_store_import_taxonomy    (GalleyStore  *self,
                                            GPtrArray    *entries,
                                            guint        *n_added,
                                            GError      **error);
/* An archive without tags and articles gets the default taxonomy, the
 * top-level IPTC Media Topics (iptc-media-topics.tsv in $GALLEY_DATA_DIR
 * or Galley's data folder). Does nothing otherwise. */
gboolean   galley_store_add_default_tags   (GalleyStore  *self,
                                            GError      **error);

G_END_DECLS
