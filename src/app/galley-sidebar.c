/* galley-sidebar.c: the selected articles' tags, suggestions and details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-sidebar"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "galley-article.h"
#include "galley-sidebar.h"
#include "galley-store-tags.h"

/* Suggestions shown for an article */
#define MAX_SUGGESTIONS 3

struct _GalleySidebar
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkWidget       *tags_group;
  GtkEntry        *tag_entry;
  GtkWidget       *add_button;
  GtkListBox      *suggestion_list;
  GtkLabel        *suggestion_note;
  GtkListBox      *tag_list;
  GtkWidget       *info_group;
  GtkWidget       *empty_label;     /* shown while no article is selected */
  AdwActionRow    *source_row;
  AdwActionRow    *position_row;
  AdwActionRow    *date_row;
  AdwActionRow    *status_row;
  AdwActionRow    *changes_row;
  AdwActionRow    *tags_row;
  AdwActionRow    *encoding_row;
  AdwActionRow    *imported_row;

  /* Owned */
  GalleyStore     *store;
  GalleySuggester *suggester;
  GArray          *articles;  /* ids of the selected articles */
  GHashTable      *rows;      /* tag id -> TagRow* */
  GtkWidget       *untagged_row;   /* the last row: the articles without a tag */
  GtkLabel        *untagged_count; /* ... their count */
  gboolean         updating;  /* setting check buttons, not the user */
  AdwToast        *undo_toast; /* weak: the last change's Undo, while shown */
};

G_DEFINE_FINAL_TYPE (GalleySidebar, galley_sidebar, GTK_TYPE_WIDGET)

/* Tags can be changed: a read-only archive shows them, nothing more. */
static gboolean
is_writable (GalleySidebar *self)
{
  return self->store != NULL && !galley_store_is_read_only (self->store);
}

/* Tags can be given: the archive is writable and articles are selected. */
static gboolean
can_tag (GalleySidebar *self)
{
  return is_writable (self) && self->articles->len > 0;
}

enum {
  TAGS_CHANGED,
  FILTER_TAG,
  FILTER_UNTAGGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One tag of the taxonomy in the list: a toggle (a check mark when all
 * selected articles have the tag, a dash when some have it) and a count. */
typedef struct {
  GalleySidebar   *sidebar;
  gint64           id;
  char            *name;
  char            *search;   /* lower-case name, English label and code */
  GtkWidget       *row;
  GtkToggleButton *toggle;
  GtkImage        *mark;
  GtkButton       *count;
  GtkLabel        *count_label;
} TagRow;

static void
set_mark (TagRow   *row,
          gboolean  active,
          gboolean  some)
{
  gtk_toggle_button_set_active (row->toggle, active);
  gtk_image_set_from_icon_name (row->mark, active ? "object-select-symbolic"
                                           : some ? "list-remove-symbolic" : NULL);
}

static void
tag_row_free (TagRow *row)
{
  g_free (row->name);
  g_free (row->search);
  g_free (row);
}

static void
show_error (GalleySidebar *self,
            GError        *error)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));

  /* The window shows it as a toast (win.show-error), else the log. */
  if (root == NULL ||
      !gtk_widget_activate_action (root, "win.show-error", "s", error->message))
    g_warning ("%s", error->message);
}

static void
emit_tags_changed (GalleySidebar *self)
{
  g_signal_emit (self, signals[TAGS_CHANGED], 0);
}

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && value[0] != '\0' ? value : "—");
}

static gboolean
show_details (GalleySidebar  *self,
              gint64          id,
              GError        **error)
{
  g_autoptr(GalleyArticleData) article = NULL;
  g_autoptr(GDateTime) imported = NULL;
  g_autofree char *source = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *position = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *imported_text = NULL;
  guint n_pending = 0;

  if (id == 0 || self->store == NULL ||
      (article = galley_store_get_article (self->store, id, TRUE, error)) == NULL ||
      !galley_store_get_source_info (self->store, id, &source, &encoding, &imported, error))
    {
      gtk_widget_set_visible (self->info_group, FALSE);
      return id == 0;
    }

  for (guint i = 0; i < article->change_states->len; i++)
    if (g_array_index (article->change_states, GalleyChangeState, i) == GALLEY_CHANGE_PENDING)
      n_pending++;
  /* Translators: article N on its page */
  position = g_strdup_printf (_("No. %u"), article->position + 1);
  pending = g_strdup_printf ("%u", n_pending);
  /* Translators: between the tags of an article; tag names may hold
   * commas, and the Chinese IPTC ones hold 、 */
  tags = g_strjoinv (_("; "), article->tags);
  /* Translators: a date and time format, see g_date_time_format() */
  imported_text = g_date_time_format (imported, _("%Y-%m-%d %H:%M"));

  set_row (self->source_row, article->source_file);
  set_row (self->position_row, position);
  set_row (self->date_row, article->date != NULL ? article->date : _("Not known"));
  set_row (self->status_row, galley_status_get_label (article->status));
  set_row (self->changes_row, pending);
  set_row (self->tags_row, tags);
  set_row (self->encoding_row, encoding);
  set_row (self->imported_row, imported_text);
  gtk_widget_set_visible (self->info_group, TRUE);
  return TRUE;
}

/* The check buttons show which of the selected articles have each tag. */
static gboolean
update_checks (GalleySidebar  *self,
               GError        **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  TagRow *row;

  for (guint i = 0; i < self->articles->len; i++)
    {
      GArray *ids = galley_store_get_article_tags (self->store,
                                                   g_array_index (self->articles, gint64, i),
                                                   error);
      if (ids == NULL)
        return FALSE;
      g_ptr_array_add (all, ids);
      for (guint j = 0; j < ids->len; j++)
        {
          gint64 *id = &g_array_index (ids, gint64, j);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, id));
          g_hash_table_insert (counts, id, GUINT_TO_POINTER (n + 1));
        }
    }

  self->updating = TRUE;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, &row->id));

      set_mark (row, n > 0 && n == self->articles->len, n > 0);
    }
  self->updating = FALSE;
  return TRUE;
}

static void
accept_suggestion_cb (GtkButton     *button,
                      GalleySidebar *self);

/* What the suggestions were learnt from, for the note under them. */
static char *
learnt_note (GalleySuggestModel *model)
{
  guint n_tagged = galley_suggest_model_get_n_articles (model);
  guint n_guessed = galley_suggest_model_get_n_guessed (model);
  /* Translators: %u is a number of tagged articles */
  g_autofree char *tagged = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Suggestions learnt from %u tagged article",
                                                          "Suggestions learnt from %u tagged articles",
                                                          n_tagged),
                                             n_tagged);

  const char *format;

  if (n_guessed == 0)
    return g_steal_pointer (&tagged);
  /* Translators: %s is "Suggestions learnt from N tagged articles", %u a
   * number of articles no editor tagged, whose tags Galley guessed and
   * was sure of */
  format = g_dngettext (GETTEXT_PACKAGE, "%s, and from Galley’s sure guesses for %u other article",
                        "%s, and from Galley’s sure guesses for %u other articles", n_guessed);
  return g_strdup_printf (format, tagged, n_guessed);
}

static void
update_suggestions (GalleySidebar *self)
{
  GalleySuggestModel *model = self->suggester != NULL ? galley_suggester_get_model (self->suggester)
                                                      : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double scrolled = gtk_adjustment_get_value (vadjustment);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;
  int focus_index = -1;
  guint shown = 0;

  /* The focus is on a suggestion that goes away (accepted, or the
   * suggestions were made again): it moves to the tag field for now, not
   * to whatever widget comes next in the panel, which would scroll it. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->suggestion_list)))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);

      focus_index = row != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : 0;
      gtk_entry_grab_focus_without_selecting (self->tag_entry);
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestion_list))) != NULL)
    gtk_list_box_remove (self->suggestion_list, child);

  if (model == NULL || galley_suggest_model_get_n_tags (model) < 2)
    {
      note = g_strdup (model == NULL && self->suggester != NULL &&
                       galley_suggester_is_training (self->suggester)
                       ? _("Learning from the tagged articles…")
                       : _("Tag a few articles with different tags: Galley learns from them to suggest tags."));
    }
  else if (self->articles->len == 1)
    {
      gint64 id = g_array_index (self->articles, gint64, 0);

      if ((text = galley_store_dup_article_text (self->store, id, &error)) == NULL)
        {
          show_error (self, error);
          return;
        }
      suggestions = galley_suggest_model_suggest (model, text, MAX_SUGGESTIONS + 4);
      for (guint i = 0; i < suggestions->len && shown < MAX_SUGGESTIONS; i++)
        {
          GalleySuggestion *s = g_ptr_array_index (suggestions, i);
          gint64 tag_id = galley_store_find_tag (self->store, s->label, NULL);
          TagRow *row = tag_id > 0 ? g_hash_table_lookup (self->rows, &tag_id) : NULL;
          g_autofree char *percent = NULL;
          g_autofree char *accessible = NULL;
          GtkWidget *action_row, *button;

          /* Tags the article has, or that were deleted, are not suggested. */
          if (row == NULL || gtk_toggle_button_get_active (row->toggle) || s->confidence < 0.05)
            continue;
          action_row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), s->label);
          /* Translators: how sure a suggestion is, e.g. "83% sure" */
          percent = g_strdup_printf (_("%.0f%% sure"), s->confidence * 100);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), percent);
          button = gtk_button_new_from_icon_name ("list-add-symbolic");
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (button, "flat");
          /* Translators: %s is a tag name */
          accessible = g_strdup_printf (_("Accept suggestion %s"), s->label);
          gtk_widget_set_tooltip_text (button, _("Tag the Article"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
          g_object_set_data_full (G_OBJECT (button), "tag-name", g_strdup (s->label), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (accept_suggestion_cb), self);
          gtk_widget_set_sensitive (button, is_writable (self));
          adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), button);
          g_object_set_data (G_OBJECT (action_row), "accept-button", button);
          gtk_list_box_append (self->suggestion_list, action_row);
          shown++;
        }
      note = learnt_note (model);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_list), shown > 0);
  gtk_label_set_text (self->suggestion_note, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_note), note != NULL);

  /* Then to the suggestion now in its place, else the last one; the panel
   * stays where it was. */
  if (focus_index >= 0 && shown > 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->suggestion_list,
                                                         MIN ((guint) focus_index, shown - 1));

      gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "accept-button"));
    }
  if (focus_index >= 0)
    gtk_adjustment_set_value (vadjustment, scrolled);
}

/* Tags (active) or untags the articles, in one transaction; those whose
 * tags changed go to changed (may be NULL) as GalleyTagging, with the
 * confidence of the tag they had. */
static gboolean
store_tag (GalleySidebar  *self,
           GArray         *articles,
           gint64          tag_id,
           gboolean        active,
           GArray         *changed,
           GError        **error)
{
  if (!galley_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < articles->len; i++)
    {
      GalleyTagging had = { g_array_index (articles, gint64, i), tag_id, 0 };

      if (changed != NULL &&
          !galley_store_get_tagging (self->store, had.article_id, tag_id, &had.confidence, error))
        goto failed;
      if (!(active ? galley_store_tag_article (self->store, had.article_id, tag_id, error)
                   : galley_store_untag_article (self->store, had.article_id, tag_id, error)))
        goto failed;
      if (changed != NULL && (had.confidence > 0) != active)
        g_array_append_val (changed, had);
    }
  if (galley_store_commit (self->store, error))
    return TRUE;

failed:
  galley_store_rollback (self->store);
  return FALSE;
}

static void
tags_stored (GalleySidebar *self)
{
  if (self->suggester != NULL)
    galley_suggester_schedule (self->suggester, 1500);
  emit_tags_changed (self);
}

static void
undo_cb (AdwToast      *toast,
         GalleySidebar *self)
{
  g_autoptr(GError) error = NULL;
  GArray *changed = g_object_get_data (G_OBJECT (toast), "changed");
  gint64 tag_id = *(gint64 *) g_object_get_data (G_OBJECT (toast), "tag-id");
  gboolean active = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toast), "active"));
  g_autoptr(GArray) again = NULL;
  g_autoptr(GArray) ids = NULL;
  gboolean ok;

  if (self->store == NULL)
    return;
  if (active)
    {
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), changed->len);
      for (guint i = 0; i < changed->len; i++)
        g_array_append_val (ids, g_array_index (changed, GalleyTagging, i).article_id);
      ok = store_tag (self, ids, tag_id, FALSE, NULL, &error);
    }
  else
    {
      /* A tag taken away comes back as it was: the editor's, or applied
       * from the suggestions with its confidence (a copy: applying keeps
       * in it only what it added). */
      again = g_array_copy (changed);
      ok = galley_store_apply_taggings (self->store, again, &error);
    }
  if (!ok)
    show_error (self, error);
  tags_stored (self);
}

/* With several articles selected, says what changed, with Undo: the
 * articles that had the tag and those that had not are all one now. */
static void
offer_undo (GalleySidebar *self,
            const char    *name,
            gint64         tag_id,
            gboolean       active,
            GArray        *changed)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (overlay == NULL || changed->len == 0)
    return;
  text = g_strdup_printf (active
                          /* Translators: %s is a tag name, %u a number of articles */
                          ? g_dngettext (GETTEXT_PACKAGE, "“%s” given to %u article",
                                         "“%s” given to %u articles", changed->len)
                          /* Translators: %s is a tag name, %u a number of articles */
                          : g_dngettext (GETTEXT_PACKAGE, "“%s” taken from %u article",
                                         "“%s” taken from %u articles", changed->len),
                          name, changed->len);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Undo"));
  /* Only the last change can be undone: the Undo of one before would
   * work on articles this one changed again. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_set_weak_pointer (&self->undo_toast, toast);
  g_object_set_data_full (G_OBJECT (toast), "changed", g_array_ref (changed), (GDestroyNotify) g_array_unref);
  g_object_set_data_full (G_OBJECT (toast), "tag-id", g_memdup2 (&tag_id, sizeof tag_id), g_free);
  g_object_set_data (G_OBJECT (toast), "active", GINT_TO_POINTER (active));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_cb), self, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Tags or untags every selected article. */
static gboolean
set_tag (GalleySidebar *self,
         TagRow        *row,
         gboolean       active)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) changed = self->articles->len > 1 ? g_array_new (FALSE, FALSE, sizeof (GalleyTagging)) : NULL;
  g_autofree char *name = g_strdup (row->name); /* the rows may be made anew below */
  gint64 tag_id = row->id;

  if (!store_tag (self, self->articles, tag_id, active, changed, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  tags_stored (self);
  if (changed != NULL)
    offer_undo (self, name, tag_id, active, changed);
  return TRUE;
}

static void
toggled_cb (GtkToggleButton *toggle,
            TagRow          *row)
{
  GalleySidebar *self = row->sidebar;
  gboolean active = gtk_toggle_button_get_active (toggle);

  if (self->updating)
    return;
  self->updating = TRUE;
  set_mark (row, active, FALSE);
  self->updating = FALSE;
  set_tag (self, row, active);
}

static void
count_clicked_cb (GtkButton *button,
                  TagRow    *row)
{
  g_signal_emit (row->sidebar, signals[FILTER_TAG], 0, row->name);
}

static void
untagged_clicked_cb (GalleySidebar *self)
{
  g_signal_emit (self, signals[FILTER_UNTAGGED], 0);
}

/* A flat button showing a count, which lists the articles it counts. */
static GtkButton *
count_button_new (guint        n,
                  const char  *description,
                  GtkLabel   **label)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  GtkButton *button = GTK_BUTTON (gtk_button_new ());

  /* A label of its own: the button's accessible name stays. */
  *label = GTK_LABEL (gtk_label_new (count));
  gtk_button_set_child (button, GTK_WIDGET (*label));
  gtk_widget_add_css_class (GTK_WIDGET (button), "flat");
  gtk_widget_set_valign (GTK_WIDGET (button), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  return button;
}

/* A row of the tag list: box, and the widget Up and Down move to. */
static GtkWidget *
list_row_new (GtkWidget *box,
              GtkWidget *focus)
{
  GtkWidget *row = gtk_list_box_row_new ();

  g_object_set_data (G_OBJECT (row), "focus", focus);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkWidget *
row_box_new (guint depth)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_margin_start (box, 2 + 18 * MIN (depth, 6));
  gtk_widget_set_margin_end (box, 2);
  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);
  return box;
}

/* The last row: how many articles no editor tagged, a button listing them. */
static void
add_untagged_row (GalleySidebar *self,
                  guint          n)
{
  GtkWidget *box = row_box_new (0);
  GtkWidget *label = gtk_label_new (_("Untagged"));
  GtkButton *count = count_button_new (n, _("Show the articles without a tag"), &self->untagged_count);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  /* In line with the names on the tags' buttons */
  gtk_widget_set_margin_start (label, 12 + 16 + 6);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  g_signal_connect_swapped (count, "clicked", G_CALLBACK (untagged_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (count));
  self->untagged_row = list_row_new (box, GTK_WIDGET (count));
  gtk_list_box_append (self->tag_list, self->untagged_row);
}

static void
accept_suggestion_cb (GtkButton     *button,
                      GalleySidebar *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "tag-name");
  gint64 tag_id = galley_store_find_tag (self->store, name, NULL);
  TagRow *row = tag_id > 0 ? g_hash_table_lookup (self->rows, &tag_id) : NULL;

  if (row != NULL)
    gtk_toggle_button_set_active (row->toggle, TRUE);
}

static void
filter_rows (GalleySidebar *self)
{
  g_autofree char *needle = g_utf8_strdown (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)), -1);
  GHashTableIter iter;
  TagRow *row;

  g_strstrip (needle);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    gtk_widget_set_visible (row->row, needle[0] == '\0' || strstr (row->search, needle) != NULL);
  if (self->untagged_row != NULL)
    gtk_widget_set_visible (self->untagged_row, needle[0] == '\0');
}

static void
clear_tags (GalleySidebar *self)
{
  GtkWidget *child;

  /* The widgets first: their handlers point to the rows. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_list))) != NULL)
    gtk_list_box_remove (self->tag_list, child);
  g_hash_table_remove_all (self->rows);
  self->untagged_row = NULL;
  self->untagged_count = NULL;
}

/* Builds the list of the taxonomy's tags (GalleyTag*) with their counts,
 * and the row of the untagged articles. A tag's count takes in its
 * subtags, as the list filtered by it does. */
static void
build_rows (GalleySidebar *self,
            GPtrArray     *tags,
            guint          untagged)
{
  clear_tags (self);

  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);
      TagRow *row = g_new0 (TagRow, 1);
      g_autofree char *count_name = NULL;
      g_autofree char *search = NULL;
      GtkWidget *box = row_box_new (tag->depth), *content, *label;

      row->sidebar = self;
      row->id = tag->id;
      row->name = g_strdup (tag->name);
      search = g_strjoin ("\n", tag->name, tag->label_en, tag->code != NULL ? tag->code : "", NULL);
      row->search = g_utf8_strdown (search, -1);

      content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      row->mark = GTK_IMAGE (gtk_image_new ());
      gtk_image_set_pixel_size (row->mark, 16);
      gtk_widget_set_size_request (GTK_WIDGET (row->mark), 16, 16);
      gtk_box_append (GTK_BOX (content), GTK_WIDGET (row->mark));
      label = gtk_label_new (tag->name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (content), label);
      row->toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
      gtk_button_set_child (GTK_BUTTON (row->toggle), content);
      gtk_widget_add_css_class (GTK_WIDGET (row->toggle), "flat");
      gtk_widget_add_css_class (GTK_WIDGET (row->toggle), "tag-toggle");
      gtk_widget_set_hexpand (GTK_WIDGET (row->toggle), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (row->toggle), can_tag (self));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->toggle),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tag->name, -1);
      if (tag->label_en[0] != '\0')
        gtk_widget_set_tooltip_text (GTK_WIDGET (row->toggle), tag->label_en);
      g_signal_connect (row->toggle, "toggled", G_CALLBACK (toggled_cb), row);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->toggle));

      /* Translators: %s is a tag name */
      count_name = g_strdup_printf (_("Show the articles tagged %s"), tag->name);
      row->count = count_button_new (tag->n_in_tree, count_name, &row->count_label);
      g_signal_connect (row->count, "clicked", G_CALLBACK (count_clicked_cb), row);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->count));

      row->row = list_row_new (box, GTK_WIDGET (row->toggle));
      gtk_list_box_append (self->tag_list, row->row);
      g_hash_table_insert (self->rows, &row->id, row);
    }
  add_untagged_row (self, untagged);
  filter_rows (self);
}

static gboolean
load_tags (GalleySidebar  *self,
           GError        **error)
{
  g_autoptr(GPtrArray) tags = galley_store_list_tags (self->store, error);
  guint untagged = tags != NULL ? galley_store_count_untagged (self->store, error) : 0;

  if (tags == NULL || untagged == G_MAXUINT)
    return FALSE;
  build_rows (self, tags, untagged);
  return TRUE;
}

/* Whether the rows show these tags, by the same names. */
static gboolean
same_rows (GalleySidebar *self,
           GPtrArray     *tags)
{
  if (tags->len != g_hash_table_size (self->rows))
    return FALSE;
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);
      TagRow *row = g_hash_table_lookup (self->rows, &tag->id);

      if (row == NULL || g_strcmp0 (row->name, tag->name) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Counts changed: new numbers, the same rows if the tags are the same. */
static gboolean
update_counts (GalleySidebar  *self,
               GError        **error)
{
  g_autoptr(GPtrArray) tags = galley_store_list_tags (self->store, error);
  guint n_untagged = tags != NULL ? galley_store_count_untagged (self->store, error) : 0;
  g_autofree char *untagged = NULL;

  if (tags == NULL || n_untagged == G_MAXUINT)
    return FALSE;
  if (!same_rows (self, tags))
    {
      build_rows (self, tags, n_untagged);
      return TRUE;
    }
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *tag = g_ptr_array_index (tags, i);
      TagRow *row = g_hash_table_lookup (self->rows, &tag->id);
      g_autofree char *count = g_strdup_printf ("%u", tag->n_in_tree);

      gtk_label_set_text (row->count_label, count);
    }
  untagged = g_strdup_printf ("%u", n_untagged);
  gtk_label_set_text (self->untagged_count, untagged);
  return TRUE;
}

static void
tag_entry_changed_cb (GalleySidebar *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));

  filter_rows (self);
  gtk_widget_set_sensitive (self->add_button, can_tag (self) && g_strstrip (text)[0] != '\0');
}

/* The row of the tag that text names (its name, English label or code, in
 * any case); else, with only_shown, the one tag the filter shows. */
static TagRow *
row_for_text (GalleySidebar *self,
              const char    *text,
              gboolean       only_shown)
{
  g_autofree char *needle = g_utf8_strdown (text, -1);
  GHashTableIter iter;
  TagRow *row, *shown = NULL;
  guint n_shown = 0;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    {
      g_auto(GStrv) names = g_strsplit (row->search, "\n", -1);

      if (g_strv_contains ((const char * const *) names, needle))
        return row;
      if (gtk_widget_get_visible (row->row))
        n_shown++, shown = row;
    }
  return only_shown && n_shown == 1 ? shown : NULL;
}

/* Gives the selected articles the tag the field names, made if new; Enter
 * also takes the one tag the field found. */
static void
use_typed_tag (GalleySidebar *self,
               gboolean       only_shown)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));
  TagRow *row;
  gint64 id;

  if (name[0] == '\0' || self->articles->len == 0)
    return;
  if ((id = galley_store_find_tag (self->store, name, &error)) == 0 &&
      (row = row_for_text (self, name, only_shown)) != NULL)
    id = row->id;
  if (id < 0 ||
      (id == 0 && (id = galley_store_add_tag (self->store, name, 0, NULL, NULL, &error)) == 0) ||
      (g_hash_table_lookup (self->rows, &id) == NULL && !load_tags (self, &error)))
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  row = g_hash_table_lookup (self->rows, &id);
  gtk_toggle_button_set_active (row->toggle, TRUE);
}

static void
tag_entry_activate_cb (GalleySidebar *self)
{
  use_typed_tag (self, TRUE);
}

static void
add_button_clicked_cb (GalleySidebar *self)
{
  use_typed_tag (self, FALSE);
}

/* Down in the tag field goes to the first tag it shows. */
static gboolean
tag_entry_key_pressed_cb (GalleySidebar         *self,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      return gtk_widget_grab_focus (g_object_get_data (G_OBJECT (child), "focus"));
  return FALSE;
}

/* Up and Down in the tag list go from tag to tag (the rows themselves
 * take no focus: Tab goes from a tag to its count, then to the next tag);
 * Up from the first goes back to the tag field. */
static gboolean
tag_list_key_pressed_cb (GalleySidebar         *self,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         GtkEventControllerKey *controller)
{
  gboolean down = keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if ((!down && keyval != GDK_KEY_Up && keyval != GDK_KEY_KP_Up) || row == NULL)
    return FALSE;
  do
    row = down ? gtk_widget_get_next_sibling (row) : gtk_widget_get_prev_sibling (row);
  while (row != NULL && !gtk_widget_get_visible (row));
  if (row != NULL)
    return gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "focus"));
  if (!down)
    return gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
  return TRUE;
}

static void
update_sensitivity (GalleySidebar *self)
{
  GHashTableIter iter;
  TagRow *row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    gtk_widget_set_sensitive (GTK_WIDGET (row->toggle), can_tag (self));
  tag_entry_changed_cb (self);
}

/* Shows the selected articles' tags, suggestions and details. With no
 * article selected the tags stay, for their counts (a count lists the
 * articles with the tag) and to be found, but cannot be given. */
static gboolean
show_articles (GalleySidebar  *self,
               GError        **error)
{
  gint64 first = self->articles->len > 0 ? g_array_index (self->articles, gint64, 0) : 0;

  gtk_widget_set_visible (self->tags_group, self->store != NULL);
  gtk_widget_set_visible (self->empty_label, self->store == NULL);
  if (self->store == NULL)
    return show_details (self, 0, error);
  update_sensitivity (self);
  if (!update_checks (self, error) || !show_details (self, first, error))
    return FALSE;
  update_suggestions (self);
  return TRUE;
}

static void
refresh (GalleySidebar *self)
{
  g_autoptr(GError) error = NULL;

  if (!show_articles (self, &error))
    show_error (self, error);
}

gboolean
galley_sidebar_set_articles (GalleySidebar  *self,
                             const gint64   *ids,
                             guint           n_ids,
                             GError        **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GALLEY_IS_SIDEBAR (self), FALSE);

  g_array_set_size (self->articles, 0);
  if (self->store != NULL && n_ids > 0)
    g_array_append_vals (self->articles, ids, n_ids);
  if (self->articles->len == 0)
    text = g_strdup (_("Select articles to tag them. A count lists the articles with the tag or its subtags."));
  else if (self->articles->len > 1)
    /* Translators: %u is the number of selected articles */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tags for %u selected article",
                                         "Tags for %u selected articles", n_ids),
                            n_ids);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->tags_group), text);
  return show_articles (self, error);
}

gboolean
galley_sidebar_set_article (GalleySidebar  *self,
                            gint64          id,
                            GError        **error)
{
  return galley_sidebar_set_articles (self, &id, id != 0 ? 1 : 0, error);
}

/* Also with no article selected: the note says while it learns. */
static void
suggester_changed_cb (GalleySidebar *self)
{
  if (self->store != NULL)
    update_suggestions (self);
}

void
galley_sidebar_set_store (GalleySidebar   *self,
                          GalleyStore     *store,
                          GalleySuggester *suggester)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GALLEY_IS_SIDEBAR (self));

  g_set_object (&self->store, store);
  if (self->suggester != NULL)
    g_signal_handlers_disconnect_by_data (self->suggester, self);
  g_set_object (&self->suggester, suggester);
  if (suggester != NULL)
    g_signal_connect_object (suggester, "changed", G_CALLBACK (suggester_changed_cb), self,
                             G_CONNECT_SWAPPED);
  clear_tags (self);
  if (store != NULL && !load_tags (self, &error))
    g_warning ("%s", error->message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_entry), is_writable (self));
  tag_entry_changed_cb (self);
  galley_sidebar_set_article (self, 0, NULL);
}

void
galley_sidebar_article_changed (GalleySidebar *self,
                                gint64         id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GALLEY_IS_SIDEBAR (self));

  if (self->articles->len > 0 && g_array_index (self->articles, gint64, 0) == id &&
      !show_details (self, id, &error))
    show_error (self, error);
}

void
galley_sidebar_reload_tags (GalleySidebar *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GALLEY_IS_SIDEBAR (self));

  if (self->store == NULL)
    return;
  if (!load_tags (self, &error))
    show_error (self, error);
  refresh (self);
}

static void
tags_changed_default (GalleySidebar *self)
{
  g_autoptr(GError) error = NULL;

  if (!update_counts (self, &error))
    show_error (self, error);
  refresh (self);
}

static void
galley_sidebar_dispose (GObject *object)
{
  GalleySidebar *self = GALLEY_SIDEBAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_object (&self->store);
  g_clear_object (&self->suggester);
  G_OBJECT_CLASS (galley_sidebar_parent_class)->dispose (object);
}

static void
galley_sidebar_finalize (GObject *object)
{
  GalleySidebar *self = GALLEY_SIDEBAR (object);

  g_array_unref (self->articles);
  G_OBJECT_CLASS (galley_sidebar_parent_class)->finalize (object);
}

static void
galley_sidebar_class_init (GalleySidebarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_sidebar_dispose;
  G_OBJECT_CLASS (klass)->finalize = galley_sidebar_finalize;

  /* The selected articles' tags changed (counts too). */
  signals[TAGS_CHANGED] = g_signal_new_class_handler ("tags-changed", G_TYPE_FROM_CLASS (klass),
                                                      G_SIGNAL_RUN_LAST,
                                                      G_CALLBACK (tags_changed_default),
                                                      NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The user asked for the list of the articles with this tag. */
  signals[FILTER_TAG] = g_signal_new ("filter-tag", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The user asked for the list of the articles no editor tagged. */
  signals[FILTER_UNTAGGED] = g_signal_new ("filter-untagged", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-sidebar.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, GalleySidebar, name)
  BIND (scroller);
  BIND (empty_label);
  BIND (tags_group);
  BIND (tag_entry);
  BIND (add_button);
  BIND (suggestion_list);
  BIND (suggestion_note);
  BIND (tag_list);
  BIND (info_group);
  BIND (source_row);
  BIND (position_row);
  BIND (date_row);
  BIND (status_row);
  BIND (changes_row);
  BIND (tags_row);
  BIND (encoding_row);
  BIND (imported_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_list_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_changed_cb);
}

static void
galley_sidebar_init (GalleySidebar *self)
{
  self->articles = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                      (GDestroyNotify) tag_row_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
