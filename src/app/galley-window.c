/* galley-window.c: the main window: article list, article, details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-window"

#include <glib/gi18n.h>

#include "galley-article-list.h"
#include "galley-confusion.h"
#include "galley-corrections-dialog.h"
#include "galley-export-dialog.h"
#include "galley-import.h"
#include "galley-store-edit.h"
#include "galley-store-pages.h"
#include "galley-article-view.h"
#include "galley-bulk-tag-dialog.h"
#include "galley-replace-dialog.h"
#include "galley-sidebar.h"
#include "galley-store-tags.h"
#include "galley-suggest.h"
#include "galley-taxonomy-dialog.h"
#include "galley-ui-util.h"
#include "galley-window.h"

/* More failures than this are listed in a dialog rather than as toasts. */
#define MAX_FAILURE_TOASTS 3

struct _GalleyWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  GtkWidget            *empty_buttons;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *read_only_bar;
  AdwWindowTitle       *list_title;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *status_filter;
  GtkDropDown          *source_filter;
  GtkDropDown          *sort_dropdown;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *import_progress;
  GtkRevealer          *check_revealer; /* "Checking the archive…" while it is */
  GtkLabel             *check_label;
  GtkRevealer          *tag_filter_revealer;
  GtkLabel             *tag_filter_label;
  GtkStack             *list_stack;
  GtkListView          *article_list;
  AdwFlap              *flap;
  AdwWindowTitle       *detail_title;
  GalleyArticleView    *article_view;
  GalleySidebar        *sidebar;

  /* Owned */
  GalleyStore          *store;
  GSettings            *settings;
  char                 *database;
  GalleyArticleList    *articles;
  GtkMultiSelection    *selection;
  GalleySuggester      *suggester;
  char                 *tag_filter;
  gboolean              untagged_filter;
  GArray               *bulk_tagged; /* GalleyTagging: what the last bulk tagging can undo */
  gboolean              checking;    /* the archive is being checked */
  GCancellable         *import_cancellable;
  GCancellable         *reload_cancellable;
  struct _ListConnection *list_connection;
  GtkFileChooserNative *chooser;
  GArray               *source_ids;   /* gint64, the source filter's items after "any" */
  gboolean              filling_sources;
  gint64                shown_id;     /* the article shown last, shown again when a
                                       * list without it gives way to one with it */

  /* Start-up and frame timing, for the debug log */
  gboolean              listed;       /* the list has had its first ids */
  gboolean              rows_pending; /* ... and its first rows are not drawn yet */
  gint64                frame_begin;
  gint64                last_paint;
  guint                 heartbeat_id;
  gint64                heartbeat_due;
};

G_DEFINE_FINAL_TYPE (GalleyWindow, galley_window, ADW_TYPE_APPLICATION_WINDOW)

/* Start-up and frame timing go to the debug log (G_MESSAGES_DEBUG=galley-window,
 * read by bench/bench-window.py), at no cost while it is off. Times are
 * g_get_monotonic_time (): microseconds of the monotonic clock. */
static gint64 start_time;

void
galley_window_mark_start (void)
{
  start_time = g_get_monotonic_time ();
}

static double
ms_since_start (void)
{
  return (g_get_monotonic_time () - start_time) / 1000.0;
}

/* A frame begins to be drawn (input is handled before, in flush-events,
 * also when nothing is drawn after it). */
static void
frame_begin_cb (GdkFrameClock *clock,
                GalleyWindow  *self)
{
  self->frame_begin = g_get_monotonic_time ();
}

static void
frame_painted_cb (GdkFrameClock *clock,
                  GalleyWindow  *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 work = self->frame_begin > self->last_paint ? now - self->frame_begin : 0;

  if (self->rows_pending)
    g_debug ("First rows drawn: %.1f ms after start", ms_since_start ());
  self->rows_pending = FALSE;
  if (self->last_paint != 0)
    g_debug ("Frame at %" G_GINT64_FORMAT ": %.1f ms after the last, %.1f ms of work",
             now, (now - self->last_paint) / 1000.0, work / 1000.0);
  self->last_paint = now;
}

/* A timer due every few milliseconds, at high priority: how late it runs
 * is how long the main thread was busy with something else (input, a
 * frame, a query) and could not have drawn a frame. */
#define HEARTBEAT_MS 4
#define BUSY_LOGGED_US 10000

static gboolean
heartbeat_cb (gpointer data)
{
  GalleyWindow *self = data;
  gint64 now = g_get_monotonic_time ();

  if (now - self->heartbeat_due > BUSY_LOGGED_US)
    g_debug ("Busy until %" G_GINT64_FORMAT ": %.1f ms", now, (now - self->heartbeat_due) / 1000.0);
  self->heartbeat_due = now + HEARTBEAT_MS * 1000;
  return G_SOURCE_CONTINUE;
}

static void
realize_cb (GalleyWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_signal_connect_object (clock, "before-paint", G_CALLBACK (frame_begin_cb), self, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (frame_painted_cb), self, 0);
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) && self->heartbeat_id == 0)
    {
      self->heartbeat_due = g_get_monotonic_time () + HEARTBEAT_MS * 1000;
      self->heartbeat_id = g_timeout_add_full (G_PRIORITY_HIGH, HEARTBEAT_MS, heartbeat_cb, self, NULL);
    }
}

static void
toast (GalleyWindow *self,
       const char   *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
update_actions (GalleyWindow *self)
{
  gboolean writable = self->store != NULL && !galley_store_is_read_only (self->store);
  gboolean importing = self->import_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", writable && !importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-folder", writable && !importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-samples", writable && !importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.tag-untagged", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-tags", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-tag-untagged",
                                 writable && self->bulk_tagged != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find-replace", writable && !importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.known-corrections", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-archive",
                                 self->store != NULL && !self->checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-unreviewed", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-unreviewed", self->store != NULL);
}

static void
show_article (GalleyWindow  *self,
              GalleyArticle *article)
{
  g_autoptr(GError) error = NULL;
  gint64 id = article != NULL ? galley_article_get_id (article) : 0;

  if (!galley_article_view_set_article (self->article_view, id, &error) ||
      !galley_sidebar_set_article (self->sidebar, id, &error))
    {
      toast (self, error->message);
      id = 0;
    }
  if (id != 0)
    self->shown_id = id;
  adw_window_title_set_title (self->detail_title, id != 0 ? galley_article_get_title (article) : "");
  adw_window_title_set_subtitle (self->detail_title,
                                 id != 0 ? galley_article_get_source_name (article) : "");
}

static void selection_changed_cb (GalleyWindow *self);

static void
update_count (GalleyWindow *self)
{
  g_autofree char *count = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->articles));

  /* Translators: the number of articles the list shows */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u article", "%u articles", n), n);
  adw_window_title_set_subtitle (self->list_title, count);
}

/* The article view saved an article: its row shows the new state. */
static void
article_changed_cb (GalleyWindow *self,
                    gint64        id)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  guint position = galley_article_list_find (self->articles, id);
  gboolean selected = position != G_MAXUINT && gtk_selection_model_is_selected (selection, position);

  /* The row is made again: keep it selected without showing it again. */
  g_signal_handlers_block_by_func (self->selection, selection_changed_cb, self);
  galley_article_list_refresh (self->articles, id);
  if (selected)
    gtk_selection_model_select_item (selection, position, FALSE);
  g_signal_handlers_unblock_by_func (self->selection, selection_changed_cb, self);
  galley_sidebar_article_changed (self->sidebar, id);
  if (selected)
    {
      g_autoptr(GalleyArticle) article = g_list_model_get_item (G_LIST_MODEL (self->articles),
                                                                position);

      adw_window_title_set_title (self->detail_title, galley_article_get_title (article));
    }
}

static void reload (GalleyWindow *self);

static void
page_changed_cb (GalleyWindow *self)
{
  reload (self);
}

static void
article_message_cb (GalleyWindow *self,
                    const char   *text)
{
  toast (self, text);
}

/* The ids of the selected articles, in list order. */
static GArray *
selected_ids (GalleyWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(GalleyArticle) article = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      gint64 id = galley_article_get_id (article);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* The first selected article is shown; the sidebar tags them all. */
static void
selection_changed_cb (GalleyWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GArray) ids = selected_ids (self);
  g_autoptr(GalleyArticle) first = NULL;
  g_autoptr(GError) error = NULL;

  if (!gtk_bitset_is_empty (selected))
    first = g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_minimum (selected));
  show_article (self, first);
  if (ids->len > 1 &&
      !galley_sidebar_set_articles (self->sidebar, (gint64 *) ids->data, ids->len, &error))
    toast (self, error->message);
}

static void
article_activated_cb (GalleyWindow *self,
                      guint         position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  galley_article_view_focus_body (self->article_view);
}

static gboolean
open_clicked_row (gpointer data)
{
  GalleyWindow *self = data;
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (adw_leaflet_get_folded (self->leaflet) && gtk_bitset_get_size (selected) == 1)
    article_activated_cb (self, gtk_bitset_get_minimum (selected));
  return G_SOURCE_REMOVE;
}

/* With the panes folded, one click on a row opens its article, as a
 * double click or Return do (a click with Ctrl or Shift only selects).
 * The row selects itself after this handler: open it once it has. */
static void
list_released_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  GalleyWindow    *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *list = GTK_WIDGET (self->article_list);
  GtkWidget *picked = gtk_widget_pick (list, x, y, GTK_PICK_DEFAULT);

  /* A row, not the scroll bar or the space below the rows */
  if (picked == NULL || picked == list || gtk_widget_get_ancestor (picked, GTK_TYPE_SCROLLBAR) != NULL)
    return;
  if (n_press == 1 && adw_leaflet_get_folded (self->leaflet) &&
      (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)) == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, open_clicked_row, g_object_ref (self), g_object_unref);
}

static void
back_clicked_cb (GalleyWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The list's query: the search text, the filters and the order, as the
 * list pane shows them. The strings stay owned by the widgets. */
static void
get_query (GalleyWindow       *self,
           GalleyArticleQuery *query)
{
  static const char * const statuses[] = { NULL, "to-proofread", "proofread", "approved" };
  static const GalleySort sorts[] = { GALLEY_SORT_PAGE_ORDER, GALLEY_SORT_DATE, GALLEY_SORT_CHANGES_LEFT };
  guint status = gtk_drop_down_get_selected (self->status_filter);
  guint source = gtk_drop_down_get_selected (self->source_filter);
  guint sort = gtk_drop_down_get_selected (self->sort_dropdown);

  *query = (GalleyArticleQuery) { 0 };
  query->search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (status < G_N_ELEMENTS (statuses))
    query->status = statuses[status];
  if (self->source_ids != NULL && source >= 1 && source - 1 < self->source_ids->len)
    query->source_id = g_array_index (self->source_ids, gint64, source - 1);
  if (sort < G_N_ELEMENTS (sorts))
    query->sort = sorts[sort];
  query->tag = self->tag_filter;
  query->untagged = self->untagged_filter;
}

/* The page files of the source filter, keeping the chosen one. */
static gboolean
fill_sources (GalleyWindow  *self,
              guint          n_sources,
              GError       **error)
{
  g_autoptr(GtkStringList) model = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(GStrv) names = NULL;
  GalleyArticleQuery query;
  guint selected = 0;

  if (self->source_ids != NULL && self->source_ids->len == n_sources)
    return TRUE;
  get_query (self, &query);
  if ((names = galley_store_list_sources (self->store, &ids, error)) == NULL)
    return FALSE;
  model = gtk_string_list_new (NULL);
  gtk_string_list_append (model, _("Any page file"));
  for (guint i = 0; names[i] != NULL; i++)
    {
      gtk_string_list_append (model, names[i]);
      if (g_array_index (ids, gint64, i) == query.source_id)
        selected = i + 1;
    }
  g_clear_pointer (&self->source_ids, g_array_unref);
  self->source_ids = g_steal_pointer (&ids);
  self->filling_sources = TRUE;
  gtk_drop_down_set_model (self->source_filter, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->source_filter, selected);
  self->filling_sources = FALSE;
  return TRUE;
}

/* The list's query runs in a worker thread with its own connection: a
 * search over a large archive never holds up typing. The connection is
 * kept from one query to the next, so that a search reuses the order and
 * counts read before while the archive stays the same. */
typedef struct _ListConnection {
  GMutex       lock; /* one query at a time */
  char        *database;
  GalleyStore *store;
} ListConnection;

static void
list_connection_clear (gpointer data)
{
  ListConnection *connection = data;

  g_mutex_clear (&connection->lock);
  g_free (connection->database);
  g_clear_object (&connection->store);
}

static void
list_connection_release (ListConnection *connection)
{
  g_atomic_rc_box_release_full (connection, list_connection_clear);
}

typedef struct {
  ListConnection     *connection;
  GalleyArticleQuery *query;
  GArray          *ids;   /* out */
  GalleyStoreStats stats; /* out */
} ListJob;

static void
list_job_free (ListJob *job)
{
  list_connection_release (job->connection);
  galley_article_query_free (job->query);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListJob *job = task_data;
  ListConnection *connection = job->connection;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_mutex_lock (&connection->lock);
  if (connection->store == NULL)
    connection->store = galley_store_open (connection->database, &error);
  ok = connection->store != NULL &&
       (job->ids = galley_store_list_ids (connection->store, job->query, &error)) != NULL &&
       galley_store_get_stats (connection->store, &job->stats, &error);
  if (!ok)
    g_clear_object (&connection->store); /* open it again next time */
  g_mutex_unlock (&connection->lock);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GalleyWindow *self = GALLEY_WINDOW (object);
  ListJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GError) error = NULL;
  gint64 keep = 0;
  guint n, position;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (!fill_sources (self, job->stats.sources, &error))
    toast (self, error->message);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (!gtk_bitset_is_empty (selected))
    {
      g_autoptr(GalleyArticle) first = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                              gtk_bitset_get_minimum (selected));
      keep = galley_article_get_id (first);
    }
  else
    {
      keep = self->shown_id;
    }
  galley_article_list_set_ids (self->articles, g_steal_pointer (&job->ids));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->articles));
  if (!self->listed)
    g_debug ("First list: %u articles, %.1f ms after start", n, ms_since_start ());
  self->rows_pending = !self->listed && n > 0;
  self->listed = TRUE;
  galley_stack_show_page (self->main_stack, job->stats.articles > 0 ? "archive" : "empty");
  galley_stack_show_page (self->list_stack, n > 0 ? "list" : "no-results");
  update_count (self);
  /* Keep the shown article selected when the new list has it. */
  position = keep != 0 ? galley_article_list_find (self->articles, keep) : G_MAXUINT;
  if (position != G_MAXUINT)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  else
    selection_changed_cb (self);
}

/* Runs the list's query again; a newer reload cancels an older one. */
static void
reload (GalleyWindow *self)
{
  g_autoptr(GTask) task = NULL;
  GalleyArticleQuery query;
  ListJob *job;

  if (self->store == NULL)
    return;
  get_query (self, &query);
  if (self->list_connection == NULL)
    {
      self->list_connection = g_atomic_rc_box_new0 (ListConnection);
      g_mutex_init (&self->list_connection->lock);
      self->list_connection->database = g_strdup (self->database);
    }
  job = g_new0 (ListJob, 1);
  job->connection = g_atomic_rc_box_acquire (self->list_connection);
  job->query = galley_article_query_copy (&query);

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->reload_cancellable, reload_done_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  g_task_run_in_thread (task, list_thread);
}

/* The list shows only the articles with a tag (or one of its subtags),
 * only the untagged ones, or all (NULL, FALSE). */
static void
set_tag_filter (GalleyWindow *self,
                const char   *tag,
                gboolean      untagged)
{
  g_autofree char *text = NULL;

  g_free (self->tag_filter);
  self->tag_filter = g_strdup (tag);
  self->untagged_filter = untagged;
  if (tag != NULL || untagged)
    {
      /* Translators: %s is a tag name: the list shows only articles with it */
      text = tag != NULL ? g_strdup_printf (_("Tagged %s"), tag) : g_strdup (_("Untagged"));
      gtk_label_set_text (self->tag_filter_label, text);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
    }
  gtk_revealer_set_reveal_child (self->tag_filter_revealer, tag != NULL || untagged);
  reload (self);
}

static void
filter_tag_cb (GalleyWindow *self,
               const char   *tag)
{
  set_tag_filter (self, tag, FALSE);
}

static void
filter_untagged_cb (GalleyWindow *self)
{
  set_tag_filter (self, NULL, TRUE);
}

static void
clear_tag_filter_cb (GalleyWindow *self)
{
  set_tag_filter (self, NULL, FALSE);
}

static void
search_changed_cb (GalleyWindow *self)
{
  reload (self);
}

static void
filter_changed_cb (GalleyWindow *self)
{
  if (!self->filling_sources)
    reload (self);
}

/* The next (or previous) article in the list with changes left to
 * review, after the selected one, wrapping around. */
static void
next_unreviewed_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  gboolean forward = g_str_equal (action_name, "win.next-unreviewed");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->articles));
  g_autoptr(GtkBitset) selection = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint selected = gtk_bitset_is_empty (selection) ? GTK_INVALID_LIST_POSITION
                                                   : gtk_bitset_get_minimum (selection);
  guint start = selected != GTK_INVALID_LIST_POSITION ? selected : (forward ? n - 1 : 0);

  for (guint k = 1; k <= n; k++)
    {
      guint i = forward ? (start + k) % n : (start + n - k) % n;
      g_autoptr(GalleyArticle) article = g_list_model_get_item (G_LIST_MODEL (self->articles), i);

      if (article != NULL && galley_article_get_pending (article) > 0)
        {
          if (i != selected)
            {
              gtk_widget_activate_action (GTK_WIDGET (self->article_list), "list.scroll-to-item", "u", i);
              article_activated_cb (self, i);
            }
          return;
        }
    }
  toast (self, _("No article in the list has changes left to review"));
}

/* Enter in the search field opens the first article found. */
static void
search_activate_cb (GalleyWindow *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->articles)) > 0)
    article_activated_cb (self, 0);
}

/* Down in the search field moves into the list. */
static gboolean
search_key_pressed_cb (GalleyWindow    *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->article_list));
}

/* Import, in a worker thread with its own database connection */

typedef struct {
  GPtrArray  *files;      /* GFile */
  char       *database;
  GalleyRule  rules;
  int         year;       /* for dates printed without one, 0 for none */
} ImportJob;

typedef struct {
  GWeakRef  window;
  guint     done;
  guint     total;
  char     *name;
} ImportProgress;

static void
import_job_free (ImportJob *job)
{
  g_ptr_array_unref (job->files);
  g_free (job->database);
  g_free (job);
}

static void
import_progress_free (ImportProgress *progress)
{
  g_weak_ref_clear (&progress->window);
  g_free (progress->name);
  g_free (progress);
}

static gboolean
import_progress_cb (gpointer data)
{
  ImportProgress *progress = data;
  g_autoptr(GalleyWindow) self = g_weak_ref_get (&progress->window);
  g_autofree char *text = NULL;

  if (self == NULL || self->import_cancellable == NULL)
    return G_SOURCE_REMOVE;
  gtk_progress_bar_set_fraction (self->import_progress,
                                 progress->total > 0 ? (double) progress->done / progress->total : 0);
  /* Translators: import progress: files done / all files, then the file name */
  text = g_strdup_printf (_("%u of %u: %s"), progress->done, progress->total, progress->name);
  gtk_progress_bar_set_text (self->import_progress, text);
  return G_SOURCE_REMOVE;
}

typedef struct {
  gpointer   window;
  GPtrArray *results;
  guint      first; /* results before the files: folders that failed */
  guint      total;
} ImportState;

/* In the import thread: keeps a result and shows the progress. */
static void
import_result_cb (GalleyImportResult *result,
                  gpointer            user_data)
{
  ImportState *state = user_data;
  ImportProgress *progress = g_new0 (ImportProgress, 1);

  g_ptr_array_add (state->results, result);
  g_weak_ref_init (&progress->window, state->window);
  progress->done = state->results->len - state->first;
  progress->total = state->total;
  progress->name = g_strdup (result->name);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, import_progress_cb, progress,
                              (GDestroyNotify) import_progress_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) galley_import_result_free);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GError) error = NULL;
  GalleyImportOptions options = { 0 };
  ImportState state;

  if ((store = galley_store_open (job->database, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->rules & GALLEY_RULE_CONFUSION)
    {
      confusions = galley_confusions_new_default (NULL);
      /* The editors' own corrections are flagged too. */
      if (!galley_store_load_known_corrections (store, confusions, &error))
        g_clear_error (&error);
    }
  options.rules = job->rules;
  options.confusions = confusions;
  options.year = job->year;

  files = galley_import_collect ((GFile **) job->files->pdata, job->files->len, cancellable,
                                 results);
  state.window = source_object;
  state.results = results;
  state.first = results->len;
  state.total = files->len;
  galley_import_files (store, files, &options, cancellable, import_result_cb, &state);
  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

static void
show_failures (GalleyWindow *self,
               GPtrArray    *failures)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < failures->len; i++)
    {
      GalleyImportResult *result = g_ptr_array_index (failures, i);

      /* Translators: FILE: reason */
      g_string_append_printf (body, _("%s: %s\n"), result->name, result->error->message);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Some Files Were Not Imported"),
                                   body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Checking the archive (galley_store_check()), and repairing it first
 * when asked (galley_store_repair()), on a connection of its own in a
 * worker thread: it reads the whole archive. */
typedef struct {
  char     *path;
  gboolean  repair;     /* repair, then check */
  gboolean  repairable; /* set by the check */
} CheckJob;

static void
check_job_free (CheckJob *job)
{
  g_free (job->path);
  g_free (job);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckJob *job = task_data;
  g_autoptr(GalleyStore) store = NULL;
  GPtrArray *problems;
  GError *error = NULL;

  if ((store = galley_store_open (job->path, &error)) == NULL ||
      (job->repair && !galley_store_repair (store, &error)) ||
      (problems = galley_store_check (store, &job->repairable, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, problems, (GDestroyNotify) g_ptr_array_unref);
}

static void check_archive (GalleyWindow *self,
                           gboolean      repair);

static void
problems_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      GalleyWindow     *self)
{
  if (g_strcmp0 (response, "repair") == 0)
    check_archive (self, TRUE);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GalleyWindow *self = GALLEY_WINDOW (object);
  CheckJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  self->checking = FALSE;
  if (self->store == NULL)
    return; /* the window was closed meanwhile (dispose let go of the store) */
  gtk_revealer_set_reveal_child (self->check_revealer, FALSE);
  update_actions (self);
  if (job->repair)
    {
      /* (the open article's text is as it was: only the list's counts and
       * the search may differ now) */
      gtk_widget_set_sensitive (GTK_WIDGET (self->article_view), TRUE);
      reload (self);
    }
  if (problems == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (body, "%s%s", i > 0 ? "\n" : "", (char *) g_ptr_array_index (problems, i));
  if (problems->len == 0)
    dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                     job->repair ? _("The Archive Is Repaired") : _("The Archive Is Sound"),
                                     _("The database, the search indexes and the counts of changes "
                                       "to review are as they should be."));
  else
    dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Problems in the Archive"), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  if (problems->len > 0 && job->repairable && !job->repair)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "repair", _("_Repair"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "repair",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "repair");
      g_signal_connect_object (dialog, "response", G_CALLBACK (problems_response_cb), self, 0);
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_archive (GalleyWindow *self,
               gboolean      repair)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  CheckJob *job;

  if (self->store == NULL || self->checking)
    return;
  /* The repair writes the whole archive in one transaction, which may take
   * minutes: what was typed is saved first, and no more is typed meanwhile. */
  if (repair && !galley_article_view_save (self->article_view, &error))
    {
      toast (self, error->message);
      return;
    }
  if (repair)
    gtk_widget_set_sensitive (GTK_WIDGET (self->article_view), FALSE);
  self->checking = TRUE;
  update_actions (self);
  /* (not a toast: it would be gone before a large archive is checked) */
  gtk_label_set_text (self->check_label, repair ? _("Repairing the archive…") : _("Checking the archive…"));
  gtk_revealer_set_reveal_child (self->check_revealer, TRUE);
  job = g_new0 (CheckJob, 1);
  job->path = g_strdup (galley_store_get_path (self->store));
  job->repair = repair;
  task = g_task_new (self, NULL, check_done_cb, NULL);
  g_task_set_source_tag (task, check_archive);
  g_task_set_task_data (task, job, (GDestroyNotify) check_job_free);
  g_task_run_in_thread (task, check_thread);
}

static void
check_archive_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  check_archive (GALLEY_WINDOW (widget), FALSE);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GalleyWindow *self = GALLEY_WINDOW (object);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) failures = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint imported = 0, articles = 0, duplicates = 0;
  gboolean stopped = g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result)));

  results = g_task_propagate_pointer (G_TASK (result), &error);
  /* The window was closed while its import stopped: nothing to show. */
  if (self->store == NULL)
    return;
  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  update_actions (self);

  if (results == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    {
      GalleyImportResult *r = g_ptr_array_index (results, i);

      if (r->status == GALLEY_IMPORT_IMPORTED)
        imported++, articles += r->n_articles;
      else if (r->status == GALLEY_IMPORT_DUPLICATE)
        duplicates++;
      else if (!g_error_matches (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_ptr_array_add (failures, r);
    }

  reload (self);
  /* The suggestions also learn from the newest untagged articles. */
  if (articles > 0)
    galley_suggester_schedule (self->suggester, 1000);

  if (stopped)
    toast (self, _("Import stopped; the files imported so far are kept"));
  if (failures->len > MAX_FAILURE_TOASTS)
    show_failures (self, failures);
  else
    for (guint i = 0; i < failures->len; i++)
      {
        GalleyImportResult *r = g_ptr_array_index (failures, i);
        g_autofree char *text = g_strdup_printf (_("%s: %s"), r->name, r->error->message);

        toast (self, text);
      }
  if (duplicates > 0)
    {
      g_autofree char *text = g_strdup_printf (
        /* Translators: files skipped because the same bytes were imported before */
        g_dngettext (GETTEXT_PACKAGE, "%u file was imported before and was skipped",
                     "%u files were imported before and were skipped", duplicates),
        duplicates);
      toast (self, text);
    }
  if (imported > 0)
    {
      g_autofree char *files = g_strdup_printf (
        /* Translators: the first half of "Imported 5 files: 43 articles" */
        g_dngettext (GETTEXT_PACKAGE, "Imported %u file", "Imported %u files", imported),
        imported);
      summary = g_strdup_printf (
        /* Translators: the whole message: "Imported 5 files: 43 articles" */
        g_dngettext (GETTEXT_PACKAGE, "%s: %u article", "%s: %u articles", articles),
        files, articles);
      if (failures->len > 0)
        {
          g_autofree char *with_failures = g_strdup_printf (
            /* Translators: "Imported 5 files: 43 articles", then how many files failed */
            g_dngettext (GETTEXT_PACKAGE, "%s; %u file failed", "%s; %u files failed", failures->len),
            summary, failures->len);

          g_free (summary);
          summary = g_steal_pointer (&with_failures);
        }
      toast (self, summary);
    }
}

static GalleyRule
enabled_rules (GalleyWindow *self)
{
  g_auto(GStrv) disabled = g_settings_get_strv (self->settings, "disabled-rules");
  GalleyRule rules = GALLEY_RULES_ALL;

  for (guint i = 0; disabled[i] != NULL; i++)
    rules &= ~galley_rule_from_id (disabled[i]);
  return rules;
}

static void
rules_changed_cb (GalleyWindow *self)
{
  galley_article_view_set_clean_rules (self->article_view, enabled_rules (self));
}

void
galley_window_import (GalleyWindow  *self,
                      GFile        **files,
                      guint          n_files)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (GALLEY_IS_WINDOW (self));

  if (self->store == NULL || galley_store_is_read_only (self->store))
    {
      toast (self, _("This archive cannot be changed: nothing was imported"));
      return;
    }
  if (self->import_cancellable != NULL)
    {
      toast (self, _("An import is running; wait for it to finish"));
      return;
    }
  if (n_files == 0)
    return;

  job = g_new0 (ImportJob, 1);
  job->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (job->files, g_object_ref (files[i]));
  job->database = g_strdup (self->database);
  job->rules = enabled_rules (self);
  job->year = g_settings_get_int (self->settings, "undated-year");

  self->import_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_progress_bar_set_text (self->import_progress, _("Looking for files…"));
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  /* The progress lives in the list pane: show it while importing. */
  galley_stack_show_page (self->main_stack, "archive");
  update_actions (self);

  task = g_task_new (self, self->import_cancellable, import_done_cb, NULL);
  /* A cancelled import still reports the files it stored. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_source_tag (task, galley_window_import);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

static void
chooser_response_cb (GalleyWindow *self,
                     int           response,
                     GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) model = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (files, g_list_model_get_item (model, i));
      if (folder != NULL && g_file_get_path (folder) != NULL)
        {
          g_autofree char *path = g_file_get_path (folder);

          g_settings_set_string (self->settings, "last-folder", path);
        }
      galley_window_import (self, (GFile **) files->pdata, files->len);
    }
  g_clear_object (&self->chooser);
}

static void
open_chooser (GalleyWindow         *self,
              GtkFileChooserAction  action,
              const char           *title)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-folder");
  g_autoptr(GtkFileFilter) text_filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all_filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                               _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
      gtk_file_filter_set_name (text_filter, _("Text Files"));
      gtk_file_filter_add_mime_type (text_filter, "text/plain");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), text_filter);
      gtk_file_filter_set_name (all_filter, _("All Files"));
      gtk_file_filter_add_pattern (all_filter, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all_filter);
    }
  if (last[0] != '\0')
    {
      g_autoptr(GFile) folder = g_file_new_for_path (last);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_chooser (GALLEY_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN, _("Import Files"));
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_chooser (GALLEY_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                _("Import a Folder"));
}

static void
open_samples_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  const char *data_dir = g_getenv ("GALLEY_DATA_DIR");
  g_autoptr(GFile) samples = g_file_new_build_filename (data_dir != NULL ? data_dir
                                                                         : GALLEY_PKGDATADIR,
                                                        "samples", NULL);

  if (!g_file_query_exists (samples, NULL))
    {
      toast (self, _("The sample pages are not installed"));
      return;
    }
  galley_window_import (self, &samples, 1);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The dialog offers the article shown, the list as searched, the archive. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  g_autoptr(GArray) ids = selected_ids (self);
  GalleyArticleQuery query = { 0 };
  GalleyExportDialog *dialog;

  get_query (self, &query);
  dialog = galley_export_dialog_new (GTK_WINDOW (self), self->store, self->settings,
                                     self->toast_overlay);
  galley_export_dialog_set_list (dialog, &query, G_LIST_MODEL (self->articles));
  if (ids->len > 0)
    galley_export_dialog_set_articles (dialog, (gint64 *) ids->data, ids->len);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tags_changed_elsewhere (GalleyWindow *self)
{
  galley_sidebar_reload_tags (self->sidebar);
  if (self->tag_filter != NULL || self->untagged_filter)
    reload (self);
}

static void
bulk_applied_cb (GalleyWindow *self,
                 GArray       *tagged)
{
  g_autofree char *text = NULL;
  AdwToast *t;

  g_clear_pointer (&self->bulk_tagged, g_array_unref);
  self->bulk_tagged = g_array_ref (tagged);
  /* Translators: after tagging in bulk */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tagged %u article", "Tagged %u articles",
                                       tagged->len), tagged->len);
  t = adw_toast_new (text);
  adw_toast_set_timeout (t, 0);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_action_name (t, "win.undo-tag-untagged");
  adw_toast_overlay_add_toast (self->toast_overlay, t);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-tag-untagged", TRUE);
  tags_changed_elsewhere (self);
}

static void
tag_untagged_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  GalleySuggestModel *model = self->suggester != NULL ? galley_suggester_get_model (self->suggester)
                                                      : NULL;
  GalleyBulkTagDialog *dialog;

  if (model == NULL || galley_suggest_model_get_n_tags (model) < 2)
    {
      toast (self, _("Tag a few articles with different tags first: suggestions are learnt from them"));
      return;
    }
  dialog = galley_bulk_tag_dialog_new (GTK_WINDOW (self), galley_store_get_path (self->store), model);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (bulk_applied_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
taxonomy_changed_cb (GalleyWindow *self)
{
  /* Renamed, merged or deleted tags: the suggestions learn them anew. */
  galley_suggester_schedule (self->suggester, 1000);
  tags_changed_elsewhere (self);
}

static void
edit_tags_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  GalleyTaxonomyDialog *dialog = galley_taxonomy_dialog_new (GTK_WINDOW (self), self->store);

  g_signal_connect_object (dialog, "changed", G_CALLBACK (taxonomy_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Of the application, so that its shortcuts (quit) work there too. */
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_tag_untagged_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  g_autoptr(GArray) tagged = g_steal_pointer (&self->bulk_tagged);
  g_autoptr(GError) error = NULL;

  gtk_widget_action_set_enabled (widget, "win.undo-tag-untagged", FALSE);
  if (tagged == NULL)
    return;
  if (!galley_store_undo_taggings (self->store, tagged, &error))
    toast (self, error->message);
  else
    toast (self, _("The articles tagged in bulk are untagged again"));
  tags_changed_elsewhere (self);
}

static void
show_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  toast (GALLEY_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GalleyWindow  *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  galley_window_import (self, (GFile **) files->pdata, files->len);
  return files->len > 0;
}

static gboolean
galley_window_close_request (GtkWindow *window)
{
  GalleyWindow *self = GALLEY_WINDOW (window);
  g_autoptr(GError) error = NULL;
  int width, height;

  if (!galley_article_view_save (self->article_view, &error))
    toast (self, error->message);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);

  return GTK_WINDOW_CLASS (galley_window_parent_class)->close_request (window);
}

static void
galley_window_dispose (GObject *object)
{
  GalleyWindow *self = GALLEY_WINDOW (object);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  g_clear_pointer (&self->list_connection, list_connection_release);
  g_clear_object (&self->chooser);
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_WINDOW);
  g_clear_object (&self->selection);
  if (self->suggester != NULL)
    g_object_run_dispose (G_OBJECT (self->suggester));
  g_clear_object (&self->suggester);
  g_clear_pointer (&self->tag_filter, g_free);
  g_clear_pointer (&self->bulk_tagged, g_array_unref);
  g_clear_object (&self->articles);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->source_ids, g_array_unref);

  G_OBJECT_CLASS (galley_window_parent_class)->dispose (object);
}

/* Find and replace */

static void
undo_replace_cb (AdwToast *done,
                 gpointer  data)
{
  GalleyWindow *self = data;
  GArray *undo = g_object_get_data (G_OBJECT (done), "galley-undo");
  g_autoptr(GError) error = NULL;

  if (!galley_store_undo_replace (self->store, undo, &error))
    {
      toast (self, error->message);
      return;
    }
  galley_article_view_reload (self->article_view);
  reload (self);
}

static void
replaced_cb (GalleyWindow *self,
             GArray       *undo,
             guint         n_replaced)
{
  g_autofree char *text = NULL;
  AdwToast *t;

  galley_article_view_reload (self->article_view);
  reload (self);
  /* Translators: after Replace All */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replaced %u match", "Replaced %u matches",
                                       n_replaced),
                          n_replaced);
  t = adw_toast_new (text);
  adw_toast_set_timeout (t, 10);
  adw_toast_set_button_label (t, _("_Undo"));
  g_object_set_data_full (G_OBJECT (t), "galley-undo", g_array_ref (undo), (GDestroyNotify) g_array_unref);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (undo_replace_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
find_replace_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  GalleyReplaceDialog *dialog;

  /* What the editor typed is in the archive before it is searched. */
  if (!galley_article_view_save (self->article_view, &error))
    {
      toast (self, error->message);
      return;
    }
  dialog = galley_replace_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "replaced", G_CALLBACK (replaced_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Known corrections */

static void
known_corrections_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GalleyWindow *self = GALLEY_WINDOW (widget);
  GalleyCorrectionsDialog *dialog = galley_corrections_dialog_new (GTK_WINDOW (self), self->store);

  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Correct everywhere: later imports flag the correction, and the find
 * and replace dialog previews it across the archive. */
static void
correct_everywhere_cb (AdwToast *t,
                       gpointer  data)
{
  GalleyWindow *self = data;
  const char *wrong = g_object_get_data (G_OBJECT (t), "galley-wrong");
  const char *right = g_object_get_data (G_OBJECT (t), "galley-right");
  g_autoptr(GError) error = NULL;
  GalleyReplaceDialog *dialog;

  if (!galley_store_add_known_correction (self->store, wrong, right, &error) ||
      !galley_article_view_save (self->article_view, &error))
    {
      toast (self, error->message);
      return;
    }
  dialog = galley_replace_dialog_new (GTK_WINDOW (self), self->store);
  galley_replace_dialog_set_pattern (dialog, wrong, right);
  g_signal_connect_object (dialog, "replaced", G_CALLBACK (replaced_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
correction_made_cb (GalleyWindow *self,
                    const char   *wrong,
                    const char   *right)
{
  g_autofree char *text = NULL;
  AdwToast *t;

  if (self->store == NULL || galley_store_is_read_only (self->store))
    return;
  /* Translators: after an editor's correction; the wrong text, then the right one */
  text = g_strdup_printf (_("Correct “%s” → “%s” everywhere?"), wrong, right);
  t = adw_toast_new (text);
  adw_toast_set_timeout (t, 10);
  adw_toast_set_button_label (t, _("_Preview…"));
  g_object_set_data_full (G_OBJECT (t), "galley-wrong", g_strdup (wrong), g_free);
  g_object_set_data_full (G_OBJECT (t), "galley-right", g_strdup (right), g_free);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (correct_everywhere_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* The article text's font, from the preferences. */
static void
editor_font_changed_cb (GalleyWindow *self)
{
  g_autofree char *font = g_settings_get_string (self->settings, "editor-font");

  galley_article_view_set_font (self->article_view, font);
}

static void
galley_window_class_init (GalleyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = galley_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = galley_window_close_request;

  g_type_ensure (GALLEY_TYPE_ARTICLE);
  g_type_ensure (GALLEY_TYPE_ARTICLE_VIEW);
  g_type_ensure (GALLEY_TYPE_SIDEBAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/galley/Galley/ui/galley-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, GalleyWindow, name)
  BIND (toast_overlay);
  BIND (main_stack);
  BIND (empty_page);
  BIND (empty_buttons);
  BIND (leaflet);
  BIND (read_only_bar);
  BIND (list_pane);
  BIND (list_title);
  BIND (search_entry);
  BIND (status_filter);
  BIND (source_filter);
  BIND (sort_dropdown);
  BIND (progress_revealer);
  BIND (import_progress);
  BIND (check_revealer);
  BIND (check_label);
  BIND (tag_filter_revealer);
  BIND (tag_filter_label);
  BIND (list_stack);
  BIND (article_list);
  BIND (flap);
  BIND (detail_title);
  BIND (article_view);
  BIND (sidebar);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, article_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_tag_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_untagged_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_tag_filter_cb);

  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "win.open-samples", NULL, open_samples_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.show-error", "s", show_error_action);
  gtk_widget_class_install_action (widget_class, "win.tag-untagged", NULL, tag_untagged_action);
  gtk_widget_class_install_action (widget_class, "win.edit-tags", NULL, edit_tags_action);
  gtk_widget_class_install_action (widget_class, "win.undo-tag-untagged", NULL,
                                   undo_tag_untagged_action);
  gtk_widget_class_install_action (widget_class, "win.find-replace", NULL, find_replace_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.find-replace", NULL);
  gtk_widget_class_install_action (widget_class, "win.known-corrections", NULL, known_corrections_action);
  gtk_widget_class_install_action (widget_class, "win.check-archive", NULL, check_archive_action);
  gtk_widget_class_install_action (widget_class, "win.next-unreviewed", NULL, next_unreviewed_action);
  gtk_widget_class_install_action (widget_class, "win.previous-unreviewed", NULL, next_unreviewed_action);
}

static void
galley_window_init (GalleyWindow *self)
{
  GtkDropTarget *drop;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  /* Before the text and list views, which move by pages on these keys. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Down, GDK_CONTROL_MASK),
                      gtk_named_action_new ("win.next-unreviewed")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Up, GDK_CONTROL_MASK),
                      gtk_named_action_new ("win.previous-unreviewed")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GalleyWindow *
galley_window_new (GalleyApplication *application,
                   GalleyStore       *store,
                   GSettings         *settings,
                   const char        *database,
                   const GError      *open_error)
{
  GalleyWindow *self = g_object_new (GALLEY_TYPE_WINDOW, "application", application, NULL);
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->settings = g_object_ref (settings);
  self->database = g_strdup (database);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  editor_font_changed_cb (self);
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
  g_signal_connect_object (settings, "changed::editor-font", G_CALLBACK (editor_font_changed_cb),
                           self, G_CONNECT_SWAPPED);

  if (store == NULL)
    {
      /* The archive could not be opened: say why, offer nothing that would fail. */
      adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("Could Not Open the Archive"));
      adw_status_page_set_description (self->empty_page,
                                       open_error != NULL ? open_error->message : NULL);
      gtk_widget_set_visible (self->empty_buttons, FALSE);
      update_actions (self);
      return self;
    }

  self->store = g_object_ref (store);
  galley_article_view_set_store (self->article_view, store);
  rules_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::disabled-rules",
                           G_CALLBACK (rules_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "article-changed", G_CALLBACK (article_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "page-changed", G_CALLBACK (page_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "message", G_CALLBACK (article_message_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "correction-made", G_CALLBACK (correction_made_cb),
                           self, G_CONNECT_SWAPPED);
  self->suggester = galley_suggester_new (galley_store_get_path (store));
  galley_suggester_schedule (self->suggester, 0);
  galley_sidebar_set_store (self->sidebar, store, self->suggester);
  self->articles = galley_article_list_new (store);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->articles)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  factory = gtk_builder_list_item_factory_new_from_resource (
    NULL, "/io/galley/Galley/ui/galley-article-row.ui");
  gtk_list_view_set_factory (self->article_list, factory);
  gtk_list_view_set_model (self->article_list, GTK_SELECTION_MODEL (self->selection));
  {
    GtkGesture *click = gtk_gesture_click_new ();

    /* Before the rows' own gestures, which claim the click. */
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect_object (click, "released", G_CALLBACK (list_released_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->article_list), GTK_EVENT_CONTROLLER (click));
  }

  /* Said for as long as the window shows the archive, not in a toast. */
  gtk_widget_set_visible (self->read_only_bar, galley_store_is_read_only (store));
  update_actions (self);
  reload (self);
  return self;
}
