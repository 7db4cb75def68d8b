/* galley-article-view.c: the article editor
 *
 * The body is a GtkSourceBuffer. Each change of the clean-up is tracked as
 * a character span in the buffer (ViewChange) that follows the editor's
 * typing: insertions and deletions move the spans; an insertion at an
 * empty span stays outside it, except during undo/redo when it is one of
 * the change's texts (an accept or reject put back). After every edit the
 * states are reconciled with the text, so undoing a reject makes the change
 * pending again; a save reconciles first. See galley-store-edit.h for the model the store keeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-article-view"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "galley-article-ops.h"
#include "galley-article-view.h"
#include "galley-history-dialog.h"
#include "galley-store-edit.h"
#include "galley-text.h"
#include "galley-ui-util.h"

/* Autosave this long after the last keystroke. */
#define AUTOSAVE_MS 600

typedef struct {
  GalleyTrackedChange *tracked;
  int                  start;   /* character offsets in the buffer */
  int                  end;
} ViewChange;

struct _GalleyArticleView
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkStack        *detail_stack;
  GtkEntry        *kicker_entry;
  GtkEntry        *title_entry;
  GtkEntry        *subtitle_entry;
  GtkEntry        *byline_entry;
  GtkEntry        *date_entry;
  GtkDropDown     *status_dropdown;
  GtkLabel        *change_label;
  GtkLabel        *save_label;
  GtkToggleButton *compare_button;
  GtkSourceView   *body_view;
  GtkWidget       *original_scroller;
  GtkTextView     *original_view;
  GtkPopover      *change_popover;
  GtkLabel        *popover_rule;
  GtkLabel        *popover_text;

  /* Owned */
  GalleyStore     *store;
  GalleyRule       clean_rules; /* for the text a split or a new title cleans again */
  gint64           article_id;
  char            *status;
  char            *saved_body;   /* the body as last saved */
  char            *saved_date;   /* the date as last saved, "" for none */
  GArray          *changes;      /* of ViewChange, in text order */
  int              current;      /* index into changes, -1 for none */
  guint            autosave_id;
  guint            undo_idle_id;
  GtkCssProvider  *font_css;
  gboolean         loading;
  gboolean         syncing;     /* one side of the comparison scrolls the other */
  gboolean         dirty;
  gboolean         in_undo;
};

G_DEFINE_FINAL_TYPE (GalleyArticleView, galley_article_view, GTK_TYPE_WIDGET)

enum {
  ARTICLE_CHANGED,
  PAGE_CHANGED,
  CORRECTION_MADE,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const statuses[] = { "to-proofread", "proofread", "approved" };

static GtkTextBuffer *
get_buffer (GalleyArticleView *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view));
}

static ViewChange *
view_change (GalleyArticleView *self,
             int                i)
{
  return &g_array_index (self->changes, ViewChange, i);
}

static void
view_change_clear (ViewChange *vc)
{
  g_clear_pointer (&vc->tracked, galley_tracked_change_free);
}

static char *
span_text (GalleyArticleView *self,
           ViewChange        *vc)
{
  GtkTextIter s, e;

  gtk_text_buffer_get_iter_at_offset (get_buffer (self), &s, vc->start);
  gtk_text_buffer_get_iter_at_offset (get_buffer (self), &e, vc->end);
  return gtk_text_buffer_get_text (get_buffer (self), &s, &e, FALSE);
}

static guint
count_pending (GalleyArticleView *self)
{
  guint n = 0;

  for (guint i = 0; i < self->changes->len; i++)
    n += view_change (self, i)->tracked->state == GALLEY_CHANGE_PENDING;
  return n;
}

static const char *
tag_for (const GalleyChange *c)
{
  if (c->kind == GALLEY_CHANGE_SUSPECT)
    return "change-suspect";
  switch (c->rule)
    {
    case GALLEY_RULE_LINE_JOIN:
    case GALLEY_RULE_PARAGRAPH_JOIN:
      return "change-join";
    case GALLEY_RULE_DUPLICATE:
      return "change-duplicate";
    case GALLEY_RULE_PUNCTUATION:
      return "change-punctuation";
    case GALLEY_RULE_SPACES:
    case GALLEY_RULE_CONFUSION:
    default:
      return "change-spaces";
    }
}

/* The text a change marks: its span, or for an empty span (a removed line
 * break or duplicate) the character after it. */
static void
mark_range (GalleyArticleView *self,
            ViewChange        *vc,
            GtkTextIter       *s,
            GtkTextIter       *e)
{
  GtkTextBuffer *buffer = get_buffer (self);

  gtk_text_buffer_get_iter_at_offset (buffer, s, vc->start);
  gtk_text_buffer_get_iter_at_offset (buffer, e, vc->end);
  if (vc->start == vc->end && !gtk_text_iter_forward_char (e))
    gtk_text_iter_backward_char (s);
}

static void
update_marks (GalleyArticleView *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
  static const char * const tags[] = { "change-join", "change-duplicate", "change-punctuation",
                                       "change-spaces", "change-suspect", "change-current" };
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    gtk_text_buffer_remove_tag_by_name (buffer, tags[i], &start, &end);
  for (guint i = 0; i < self->changes->len; i++)
    {
      ViewChange *vc = view_change (self, i);

      if (vc->tracked->state != GALLEY_CHANGE_PENDING)
        continue;
      mark_range (self, vc, &start, &end);
      gtk_text_buffer_apply_tag_by_name (buffer, tag_for (vc->tracked->change), &start, &end);
      if ((int) i == self->current)
        gtk_text_buffer_apply_tag_by_name (buffer, "change-current", &start, &end);
    }
}

static char *
visible (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  if (s->len == 0)
    return g_strdup (_("(nothing)"));
  g_string_replace (s, "\n", "↵", 0);
  g_string_replace (s, " ", "␣", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
describe_change (const GalleyChange *c)
{
  g_autofree char *before = visible (c->before);
  g_autofree char *after = visible (c->after);

  if (c->kind == GALLEY_CHANGE_SUSPECT)
    /* Translators: a suspected misreading: the text, then the suggested reading */
    return g_strdup_printf (_("“%s” may be a misreading; suggested: “%s”"), before, after);
  /* Translators: a change of the clean-up: the OCR text → the clean text */
  return g_strdup_printf (_("“%s” → “%s”"), before, after);
}

static void
update_review (GalleyArticleView *self)
{
  guint pending = count_pending (self);
  gboolean has_current = self->current >= 0 && (guint) self->current < self->changes->len &&
                         view_change (self, self->current)->tracked->state == GALLEY_CHANGE_PENDING;
  gboolean writable = self->store != NULL && !galley_store_is_read_only (self->store);
  g_autofree char *text = NULL;

  if (has_current)
    {
      GalleyChange *c = view_change (self, self->current)->tracked->change;
      g_autofree char *what = describe_change (c);

      /* Translators: rule name: description of the change (N changes left) */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %s (%u left)", "%s: %s (%u left)",
                                           pending),
                              galley_rule_get_label (c->rule), what, pending);
      gtk_label_set_text (self->popover_rule, galley_rule_get_label (c->rule));
      gtk_label_set_text (self->popover_text, what);
    }
  else if (pending > 0)
    /* Translators: the clean-up's changes still to review in this article */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change to review (F8)",
                                         "%u changes to review (F8)", pending),
                            pending);
  else
    text = g_strdup (_("No changes left to review"));
  gtk_label_set_text (self->change_label, text);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "article.accept", has_current && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "article.reject", has_current && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "article.accept-rule", has_current && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "article.next-change", pending > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "article.previous-change", pending > 0);
  if (!has_current)
    gtk_popover_popdown (self->change_popover);
  update_marks (self);
}

/* Saving */

static char *
get_entry (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static gboolean
valid_date (const char *date)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *iso = NULL;

  if (date[0] == '\0')
    return TRUE;
  if (strlen (date) != 10)
    return FALSE;
  iso = g_strconcat (date, "T00:00:00Z", NULL);
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  return dt != NULL;
}

/* A short correction between two texts (one run of at most four characters
 * replaced by another), widened to at least two characters so that it is
 * worth remembering; FALSE when the edit is anything else. */
static gboolean
find_correction (const char  *old,
                 const char  *new,
                 char       **wrong,
                 char       **right)
{
  gsize lo = strlen (old), ln = strlen (new), pre, suf;
  const char *os, *oe, *ns, *ne;

  galley_text_common_ends (old, new, &pre, &suf);
  os = old + pre;
  oe = old + lo - suf;
  ns = new + pre;
  ne = new + ln - suf;
  if (oe <= os || ne <= ns || g_utf8_strlen (os, oe - os) > 4 || g_utf8_strlen (ns, ne - ns) > 4)
    return FALSE;
  for (const char *p = os; p < oe; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      return FALSE;
  for (const char *p = ns; p < ne; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      return FALSE;
  /* Widen to two characters with the next one, or the one before. */
  if (g_utf8_strlen (os, oe - os) < 2 && g_utf8_strlen (ns, ne - ns) < 2)
    {
      if (*oe != '\0' && *oe != '\n')
        {
          gsize n = g_utf8_next_char (oe) - oe;

          oe += n, ne += n;
        }
      else if (os > old && os[-1] != '\n')
        {
          const char *p = g_utf8_prev_char (os);

          ns -= os - p, os = p;
        }
      else
        return FALSE;
    }
  *wrong = g_strndup (os, oe - os);
  *right = g_strndup (ns, ne - ns);
  return TRUE;
}

static void reconcile (GalleyArticleView *self);

gboolean
galley_article_view_save (GalleyArticleView  *self,
                          GError            **error)
{
  g_autoptr(GPtrArray) tracked = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_tracked_change_free);
  g_autofree char *kicker = NULL, *title = NULL, *subtitle = NULL, *byline = NULL, *date = NULL;
  g_autofree char *body = NULL;
  g_autofree char *wrong = NULL, *right = NULL;
  GalleyArticleFields fields;
  GtkTextIter start, end;
  gboolean corrected, bad_date;

  g_return_val_if_fail (GALLEY_IS_ARTICLE_VIEW (self), FALSE);

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  /* The states an undo put back are reconciled when idle; a save due
   * first (on a busy main loop) would take an undone reject for an
   * overwritten change and drop it. */
  if (self->undo_idle_id != 0)
    {
      g_clear_handle_id (&self->undo_idle_id, g_source_remove);
      reconcile (self);
    }
  if (!self->dirty || self->article_id == 0 || self->store == NULL)
    return TRUE;

  kicker = get_entry (self->kicker_entry);
  title = get_entry (self->title_entry);
  subtitle = get_entry (self->subtitle_entry);
  byline = get_entry (self->byline_entry);
  date = get_entry (self->date_entry);
  /* A date not written right keeps the one saved; the rest is saved. */
  bad_date = !valid_date (date);
  if (bad_date)
    {
      g_free (date);
      date = g_strdup (self->saved_date);
      gtk_widget_add_css_class (GTK_WIDGET (self->date_entry), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->date_entry), "error");
  gtk_text_buffer_get_bounds (get_buffer (self), &start, &end);
  body = gtk_text_buffer_get_text (get_buffer (self), &start, &end, FALSE);

  /* Character spans to byte spans. */
  for (guint i = 0; i < self->changes->len; i++)
    {
      ViewChange *vc = view_change (self, i);
      GalleyTrackedChange *t = galley_tracked_change_copy (vc->tracked);

      t->change->clean_start = g_utf8_offset_to_pointer (body, vc->start) - body;
      t->change->clean_end = g_utf8_offset_to_pointer (body, vc->end) - body;
      g_ptr_array_add (tracked, t);
    }

  fields = (GalleyArticleFields) { kicker, title, subtitle, byline, date, body };
  if (!galley_store_save_article (self->store, self->article_id, &fields, tracked, error))
    {
      gtk_label_set_text (self->save_label, _("Not saved"));
      return FALSE;
    }

  /* Forget the changes the editor overwrote. */
  for (guint i = self->changes->len; i-- > 0;)
    if (((GalleyTrackedChange *) g_ptr_array_index (tracked, i))->id == 0)
      {
        g_array_remove_index (self->changes, i);
        if (self->current >= (int) i)
          self->current--;
      }
  self->dirty = FALSE;
  corrected = self->saved_body != NULL && find_correction (self->saved_body, body, &wrong, &right);
  g_free (self->saved_body);
  self->saved_body = g_steal_pointer (&body);
  g_free (self->saved_date);
  self->saved_date = g_steal_pointer (&date);
  gtk_label_set_text (self->save_label, bad_date ? _("Saved, but not the date") : _("Saved"));
  update_review (self);
  g_signal_emit (self, signals[ARTICLE_CHANGED], 0, self->article_id);
  if (corrected)
    g_signal_emit (self, signals[CORRECTION_MADE], 0, wrong, right);
  if (bad_date)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The date must be written as YYYY-MM-DD; the rest of the article is saved"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
autosave_cb (gpointer data)
{
  GalleyArticleView *self = data;
  g_autoptr(GError) error = NULL;

  self->autosave_id = 0;
  if (!galley_article_view_save (self, &error))
    g_signal_emit (self, signals[MESSAGE], 0, error->message);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (GalleyArticleView *self)
{
  if (self->loading || self->article_id == 0)
    return;
  self->dirty = TRUE;
  gtk_label_set_text (self->save_label, _("Editing…"));
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->autosave_id = g_timeout_add (AUTOSAVE_MS, autosave_cb, self);
}

/* Tracking the spans through edits */

/* Whether text is one of the change's two texts: during undo or redo,
 * such an insertion at its empty span puts an accept or reject back;
 * any other is typing undone next to it. */
static gboolean
puts_back (const ViewChange *vc,
           const char       *text,
           int               len)
{
  const GalleyChange *c = vc->tracked->change;

  return (strlen (c->before) == (gsize) len && memcmp (c->before, text, len) == 0) ||
         (strlen (c->after) == (gsize) len && memcmp (c->after, text, len) == 0);
}

static void
insert_text_cb (GalleyArticleView *self,
                GtkTextIter       *location,
                const char        *text,
                int                len)
{
  int n = g_utf8_strlen (text, len);
  int pos = gtk_text_iter_get_offset (location) - n; /* after the insertion */

  for (guint i = 0; i < self->changes->len; i++)
    {
      ViewChange *vc = view_change (self, i);

      if (pos < vc->start || (pos == vc->start && vc->start < vc->end))
        vc->start += n, vc->end += n;
      else if (pos < vc->end ||
               (pos == vc->start && vc->start == vc->end && self->in_undo && puts_back (vc, text, len)))
        vc->end += n;
    }
}

static void
delete_range_cb (GalleyArticleView *self,
                 GtkTextIter       *start,
                 GtkTextIter       *end)
{
  int s = gtk_text_iter_get_offset (start), e = gtk_text_iter_get_offset (end);
  int n = e - s;

  for (guint i = 0; i < self->changes->len; i++)
    {
      ViewChange *vc = view_change (self, i);

      if (vc->end <= s)
        continue;
      if (vc->start >= e)
        {
          vc->start -= n, vc->end -= n;
          continue;
        }
      vc->start = MIN (vc->start, s);
      vc->end = vc->end > e ? vc->end - n : s;
    }
}

/* Undo and redo of an accept or reject put a text back; its state follows. */
static void
reconcile (GalleyArticleView *self)
{
  for (guint i = 0; i < self->changes->len; i++)
    {
      ViewChange *vc = view_change (self, i);
      GalleyTrackedChange *t = vc->tracked;
      GalleyChange *c = t->change;
      g_autofree char *text = NULL;

      if (strcmp (c->before, c->after) == 0)
        continue;
      text = span_text (self, vc);
      if (c->kind == GALLEY_CHANGE_EDIT)
        {
          if (t->state == GALLEY_CHANGE_REJECTED && strcmp (text, c->after) == 0)
            t->state = GALLEY_CHANGE_PENDING;
          else if (t->state != GALLEY_CHANGE_REJECTED && strcmp (text, c->before) == 0)
            t->state = GALLEY_CHANGE_REJECTED;
        }
      else
        {
          if (t->state == GALLEY_CHANGE_ACCEPTED && strcmp (text, c->before) == 0)
            t->state = GALLEY_CHANGE_PENDING;
          else if (t->state == GALLEY_CHANGE_PENDING && strcmp (text, c->after) == 0)
            t->state = GALLEY_CHANGE_ACCEPTED;
        }
    }
}

static void
buffer_changed_cb (GalleyArticleView *self)
{
  /* An edit made from a key press is drawn in the same frame, in which
   * GTK 4.8 would not lay out the text again before drawing it: the new
   * lines' heights would then change the scrollbar while it is drawn
   * ("Trying to snapshot GtkGizmo without a current allocation"). */
  gtk_widget_queue_resize (GTK_WIDGET (self->body_view));
  if (self->loading)
    return;
  /* Undo and redo are finished by undo_after_cb(). */
  if (!self->in_undo)
    update_review (self);
  schedule_save (self);
}

static void
undo_cb (GalleyArticleView *self)
{
  self->in_undo = TRUE;
}

static gboolean
undone_cb (gpointer data)
{
  GalleyArticleView *self = data;

  self->undo_idle_id = 0;
  reconcile (self);
  update_review (self);
  return G_SOURCE_REMOVE;
}

/* The marks change once the text view has taken the undone text in. */
static void
undo_after_cb (GalleyArticleView *self)
{
  self->in_undo = FALSE;
  if (self->undo_idle_id == 0)
    self->undo_idle_id = g_idle_add (undone_cb, self);
}

static void
field_changed_cb (GalleyArticleView *self)
{
  schedule_save (self);
}

/* Reviewing */

static void
show_popover (GalleyArticleView *self)
{
  ViewChange *vc = view_change (self, self->current);
  GtkTextIter s, e;
  GdkRectangle rect;
  double x, y;

  mark_range (self, vc, &s, &e);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self->body_view), &s, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self->body_view), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x, rect.y, &rect.x, &rect.y);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->body_view), GTK_WIDGET (self),
                                         rect.x, rect.y, &x, &y))
    return;
  rect.x = x, rect.y = y;
  gtk_popover_set_pointing_to (self->change_popover, &rect);
  gtk_popover_popup (self->change_popover);
}

static void
go_to_change (GalleyArticleView *self,
              int                index,
              gboolean           popover)
{
  ViewChange *vc;
  GtkTextIter iter;

  self->current = index;
  update_review (self);
  if (index < 0)
    return;
  vc = view_change (self, index);
  gtk_text_buffer_get_iter_at_offset (get_buffer (self), &iter, vc->start);
  gtk_text_buffer_place_cursor (get_buffer (self), &iter);
  gtk_text_view_scroll_mark_onscreen (GTK_TEXT_VIEW (self->body_view),
                                      gtk_text_buffer_get_insert (get_buffer (self)));
  if (popover)
    show_popover (self);
  /* Placing the popover lays out the lines up to the change, which may
   * change the text's height: the scrollbar is laid out again before the
   * next frame draws it (see buffer_changed_cb()). */
  gtk_widget_queue_resize (GTK_WIDGET (self->body_view));
}

/* The next pending change after (or before) the cursor, wrapping around. */
static int
find_pending (GalleyArticleView *self,
              gboolean           forward)
{
  GtkTextIter cursor;
  int offset, n = self->changes->len;

  if (n == 0)
    return -1;
  gtk_text_buffer_get_iter_at_mark (get_buffer (self), &cursor,
                                    gtk_text_buffer_get_insert (get_buffer (self)));
  offset = gtk_text_iter_get_offset (&cursor);
  for (int k = 0; k < 2 * n; k++)
    {
      int i = forward ? k % n : n - 1 - (k % n);
      ViewChange *vc = view_change (self, i);

      if (vc->tracked->state != GALLEY_CHANGE_PENDING || i == self->current)
        continue;
      if (k >= n || (forward ? vc->start > offset || (vc->start == offset && self->current < i)
                             : vc->start < offset || (vc->start == offset && self->current > i)))
        return i;
    }
  return self->current >= 0 && view_change (self, self->current)->tracked->state == GALLEY_CHANGE_PENDING
         ? self->current : -1;
}

static void
next_change_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (widget);

  go_to_change (self, find_pending (self, strcmp (action_name, "article.next-change") == 0), FALSE);
}

/* Puts the text of a new state into the buffer, as one undoable step. */
static gboolean
resolve (GalleyArticleView *self,
         int                index,
         GalleyChangeState  state)
{
  ViewChange *vc = view_change (self, index);
  GalleyTrackedChange *t = vc->tracked;
  const char *old = galley_tracked_change_expected (t, t->state);
  const char *new = galley_tracked_change_expected (t, state);
  g_autofree char *text = span_text (self, vc);
  GtkTextBuffer *buffer = get_buffer (self);

  if (strcmp (text, old) != 0)
    return FALSE;
  if (strcmp (old, new) != 0)
    {
      GtkTextIter s, e;
      int start = vc->start;

      self->loading = TRUE;
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_get_iter_at_offset (buffer, &s, vc->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &e, vc->end);
      gtk_text_buffer_delete (buffer, &s, &e);
      gtk_text_buffer_insert (buffer, &s, new, -1);
      gtk_text_buffer_end_user_action (buffer);
      self->loading = FALSE;
      vc->start = start;
      vc->end = start + g_utf8_strlen (new, -1);
    }
  t->state = state;
  return TRUE;
}

/* After a look-alike suspect is accepted: offers its correction for the
 * other articles. One character alone is everywhere: it goes with the one
 * next to it, as a typed correction does. */
static void
offer_correction (GalleyArticleView *self,
                  int                index,
                  const char        *before,
                  const char        *after)
{
  g_autofree char *prefix = NULL, *suffix = NULL, *old = NULL, *new = NULL;
  g_autofree char *wrong = NULL, *right = NULL;
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter s, e, from, to;

  if (g_utf8_strlen (before, -1) > 1 || g_utf8_strlen (after, -1) > 1)
    {
      g_signal_emit (self, signals[CORRECTION_MADE], 0, before, after);
      return;
    }
  gtk_text_buffer_get_iter_at_offset (buffer, &s, view_change (self, index)->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &e, view_change (self, index)->end);
  from = s, to = e;
  gtk_text_iter_backward_char (&from);
  gtk_text_iter_forward_char (&to);
  prefix = gtk_text_buffer_get_text (buffer, &from, &s, FALSE);
  suffix = gtk_text_buffer_get_text (buffer, &e, &to, FALSE);
  old = g_strconcat (prefix, before, suffix, NULL);
  new = g_strconcat (prefix, after, suffix, NULL);
  if (find_correction (old, new, &wrong, &right))
    g_signal_emit (self, signals[CORRECTION_MADE], 0, wrong, right);
}

static void
resolve_current (GalleyArticleView *self,
                 GalleyChangeState  state,
                 gboolean           whole_rule)
{
  int current = self->current;
  GalleyChange *c;

  if (current < 0)
    return;
  c = view_change (self, current)->tracked->change;
  if (c->kind == GALLEY_CHANGE_SUSPECT && state == GALLEY_CHANGE_ACCEPTED && !whole_rule)
    {
      g_autofree char *before = g_strdup (c->before);
      g_autofree char *after = g_strdup (c->after);

      if (resolve (self, current, state))
        offer_correction (self, current, before, after);
    }
  else if (whole_rule)
    {
      GalleyRule rule = c->rule;
      GalleyChangeKind kind = c->kind;

      for (guint i = 0; i < self->changes->len; i++)
        {
          ViewChange *vc = view_change (self, i);

          if (vc->tracked->state == GALLEY_CHANGE_PENDING && vc->tracked->change->rule == rule &&
              vc->tracked->change->kind == kind)
            resolve (self, i, state);
        }
    }
  else if (!resolve (self, current, state))
    g_signal_emit (self, signals[MESSAGE], 0, _("This change was edited by hand"));

  self->dirty = TRUE;
  schedule_save (self);
  self->current = -1;
  go_to_change (self, find_pending (self, TRUE), FALSE);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  resolve_current (GALLEY_ARTICLE_VIEW (widget), GALLEY_CHANGE_ACCEPTED, FALSE);
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  resolve_current (GALLEY_ARTICLE_VIEW (widget), GALLEY_CHANGE_REJECTED, FALSE);
}

static void
accept_rule_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  resolve_current (GALLEY_ARTICLE_VIEW (widget), GALLEY_CHANGE_ACCEPTED, TRUE);
}

/* A click on a marked change selects it and shows what it did. */
static void
body_clicked_cb (GalleyArticleView *self,
                 int                n_press,
                 double             x,
                 double             y)
{
  GtkTextIter cursor;
  int offset;

  gtk_text_buffer_get_iter_at_mark (get_buffer (self), &cursor,
                                    gtk_text_buffer_get_insert (get_buffer (self)));
  offset = gtk_text_iter_get_offset (&cursor);
  for (guint i = 0; i < self->changes->len; i++)
    {
      ViewChange *vc = view_change (self, i);
      GtkTextIter s, e;

      if (vc->tracked->state != GALLEY_CHANGE_PENDING)
        continue;
      mark_range (self, vc, &s, &e);
      if (gtk_text_iter_get_offset (&s) <= offset && offset <= gtk_text_iter_get_offset (&e))
        {
          self->current = i;
          update_review (self);
          show_popover (self);
          return;
        }
    }
}

/* Status */

/* The fields above the text: kicker, title, subtitle, byline, date */
#define N_ENTRIES 5

static void
get_entries (GalleyArticleView *self,
             GtkEntry          *entries[N_ENTRIES])
{
  entries[0] = self->kicker_entry;
  entries[1] = self->title_entry;
  entries[2] = self->subtitle_entry;
  entries[3] = self->byline_entry;
  entries[4] = self->date_entry;
}

static void
set_status (GalleyArticleView *self,
            const char        *status)
{
  g_autoptr(GError) error = NULL;

  if (self->article_id == 0 || g_strcmp0 (status, self->status) == 0)
    return;
  if (!galley_store_set_status (self->store, self->article_id, status, &error))
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  g_free (self->status);
  self->status = g_strdup (status);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (strcmp (statuses[i], status) == 0 && gtk_drop_down_get_selected (self->status_dropdown) != i)
      {
        self->loading = TRUE;
        gtk_drop_down_set_selected (self->status_dropdown, i);
        self->loading = FALSE;
      }
  g_signal_emit (self, signals[ARTICLE_CHANGED], 0, self->article_id);
  if (strcmp (status, "approved") == 0 && count_pending (self) > 0)
    {
      g_autofree char *text = g_strdup_printf (
        /* Translators: after an article was approved with changes of the clean-up unreviewed */
        g_dngettext (GETTEXT_PACKAGE, "Approved with %u change still to review",
                     "Approved with %u changes still to review", count_pending (self)),
        count_pending (self));

      g_signal_emit (self, signals[MESSAGE], 0, text);
    }
}

static void
status_selected_cb (GalleyArticleView *self)
{
  guint i = gtk_drop_down_get_selected (self->status_dropdown);

  if (!self->loading && i < G_N_ELEMENTS (statuses))
    set_status (self, statuses[i]);
}

static void
status_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (widget);

  set_status (self, galley_status_step (self->status, strcmp (action_name, "article.status-up") == 0));
}

static GtkAdjustment *
body_adjustment (GalleyArticleView *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->body_view), GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static GtkAdjustment *
original_adjustment (GalleyArticleView *self)
{
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->original_scroller));
}

/* The two sides of the comparison scroll together, each to the same share
 * of its length (the clean text is shorter than the OCR text). */
static void
sync_scroll (GalleyArticleView *self,
             GtkAdjustment     *from,
             GtkAdjustment     *to)
{
  double range_from = gtk_adjustment_get_upper (from) - gtk_adjustment_get_page_size (from);
  double range_to = gtk_adjustment_get_upper (to) - gtk_adjustment_get_page_size (to);

  if (self->syncing || !gtk_widget_get_visible (self->original_scroller) || range_from <= 0)
    return;
  self->syncing = TRUE;
  gtk_adjustment_set_value (to, gtk_adjustment_get_value (from) / range_from * MAX (range_to, 0));
  self->syncing = FALSE;
}

static void
body_scrolled_cb (GalleyArticleView *self)
{
  sync_scroll (self, body_adjustment (self), original_adjustment (self));
}

static void
original_scrolled_cb (GalleyArticleView *self)
{
  sync_scroll (self, original_adjustment (self), body_adjustment (self));
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (widget);
  gboolean show = !gtk_widget_get_visible (self->original_scroller);

  gtk_widget_set_visible (self->original_scroller, show);
  gtk_toggle_button_set_active (self->compare_button, show);
  if (show)
    body_scrolled_cb (self);
}

static void
history_restored_cb (GalleyArticleView *self)
{
  galley_article_view_reload (self);
  g_signal_emit (self, signals[ARTICLE_CHANGED], 0, self->article_id);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (widget);
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  if (self->article_id == 0)
    return;
  if (!galley_article_view_save (self, &error))
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  dialog = GTK_WINDOW (galley_history_dialog_new (self->store, self->article_id));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "restored", G_CALLBACK (history_restored_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

/* Page operations: split, merge, line to title */

static void
page_op_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (widget);
  GtkTextBuffer *buffer = get_buffer (self);
  GalleyImportOptions options = { .rules = self->clean_rules };
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  GtkTextIter start, cursor;
  gboolean ok;

  if (self->article_id == 0)
    return;
  /* Text cleaned again is checked as an import would check it. */
  if (options.rules & GALLEY_RULE_CONFUSION)
    {
      confusions = galley_confusions_new_default (NULL);
      galley_store_load_known_corrections (self->store, confusions, NULL);
      options.confusions = confusions;
    }
  if (!galley_article_view_save (self, &error))
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  before = gtk_text_buffer_get_text (buffer, &start, &cursor, TRUE);
  if (g_str_equal (action_name, "article.split"))
    ok = galley_article_split (self->store, self->article_id, strlen (before), &options, &error) != 0;
  else if (g_str_equal (action_name, "article.merge-next"))
    ok = galley_article_merge_next (self->store, self->article_id, &error) != 0;
  else
    ok = galley_article_line_to_title (self->store, self->article_id, strlen (before), &options,
                                       &error);
  if (!ok)
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  galley_article_view_reload (self);
  g_signal_emit (self, signals[PAGE_CHANGED], 0, self->article_id);
}

/* Loading */

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

static void
clear_article (GalleyArticleView *self)
{
  self->article_id = 0;
  self->current = -1;
  self->dirty = FALSE;
  g_array_set_size (self->changes, 0);
  g_clear_pointer (&self->saved_body, g_free);
  g_clear_pointer (&self->saved_date, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  g_clear_handle_id (&self->undo_idle_id, g_source_remove);
}

static gboolean
load (GalleyArticleView  *self,
      gint64              id,
      GError            **error)
{
  g_autoptr(GalleyArticleData) article = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter start;

  clear_article (self);
  if (id == 0 || self->store == NULL ||
      (article = galley_store_get_article (self->store, id, FALSE, error)) == NULL ||
      (changes = galley_store_get_changes (self->store, id, error)) == NULL)
    {
      galley_stack_show_page (self->detail_stack, "none");
      update_review (self);
      return id == 0;
    }

  self->loading = TRUE;
  self->article_id = id;
  set_entry (self->kicker_entry, article->kicker);
  set_entry (self->title_entry, article->title);
  set_entry (self->subtitle_entry, article->subtitle);
  set_entry (self->byline_entry, article->byline);
  set_entry (self->date_entry, article->date);
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_entry), "error");
  self->status = g_strdup (article->status);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (strcmp (statuses[i], article->status) == 0)
      gtk_drop_down_set_selected (self->status_dropdown, i);

  /* A new text: what was typed in another article cannot be undone here. */
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, article->body, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->original_view), article->original, -1);
  self->saved_body = g_strdup (article->body);
  g_free (self->saved_date);
  self->saved_date = g_strdup (article->date != NULL ? article->date : "");

  for (guint i = 0; i < changes->len; i++)
    {
      GalleyTrackedChange *t = g_ptr_array_index (changes, i);
      ViewChange vc;

      if (t->change->clean_end > strlen (article->body))
        continue;
      vc.tracked = g_ptr_array_steal_index (changes, i--);
      vc.start = g_utf8_pointer_to_offset (article->body, article->body + vc.tracked->change->clean_start);
      vc.end = g_utf8_pointer_to_offset (article->body, article->body + vc.tracked->change->clean_end);
      g_array_append_val (self->changes, vc);
    }
  self->loading = FALSE;
  gtk_label_set_text (self->save_label, "");
  galley_stack_show_page (self->detail_stack, "article");
  update_review (self);
  return TRUE;
}

gboolean
galley_article_view_set_article (GalleyArticleView  *self,
                                 gint64              id,
                                 GError            **error)
{
  g_autoptr(GError) save_error = NULL;

  g_return_val_if_fail (GALLEY_IS_ARTICLE_VIEW (self), FALSE);

  if (id == self->article_id && id != 0)
    return TRUE;
  if (!galley_article_view_save (self, &save_error))
    g_signal_emit (self, signals[MESSAGE], 0, save_error->message);
  return load (self, id, error);
}

void
galley_article_view_reload (GalleyArticleView *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_return_if_fail (GALLEY_IS_ARTICLE_VIEW (self));

  id = self->article_id;
  self->dirty = FALSE;
  if (!load (self, id, &error))
    g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

void
galley_article_view_set_clean_rules (GalleyArticleView *self,
                                     GalleyRule         rules)
{
  g_return_if_fail (GALLEY_IS_ARTICLE_VIEW (self));
  self->clean_rules = rules;
}

gint64
galley_article_view_get_article (GalleyArticleView *self)
{
  g_return_val_if_fail (GALLEY_IS_ARTICLE_VIEW (self), 0);
  return self->article_id;
}

void
galley_article_view_set_store (GalleyArticleView *self,
                               GalleyStore       *store)
{
  GtkEntry *entries[N_ENTRIES];
  gboolean writable;

  g_return_if_fail (GALLEY_IS_ARTICLE_VIEW (self));

  g_set_object (&self->store, store);
  writable = store != NULL && !galley_store_is_read_only (store);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->body_view), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_dropdown), writable);
  /* A read-only archive is read: nothing here offers to change it. */
  get_entries (self, entries);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_editable_set_editable (GTK_EDITABLE (entries[i]), writable);
  for (const char * const *a = (const char * const[]) { "article.status-up", "article.status-down",
                                                         "article.split", "article.merge-next",
                                                         "article.line-to-title", NULL }; *a != NULL; a++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), *a, writable);
  galley_article_view_set_article (self, 0, NULL);
}

void
galley_article_view_set_font (GalleyArticleView *self,
                              const char        *font)
{
  g_autoptr(PangoFontDescription) desc = NULL;
  g_autoptr(GString) css = g_string_new ("textview.article-body, textview.article-body text {");

  g_return_if_fail (GALLEY_IS_ARTICLE_VIEW (self));

  if (font != NULL && font[0] != '\0')
    {
      desc = pango_font_description_from_string (font);
      if (pango_font_description_get_family (desc) != NULL)
        g_string_append_printf (css, " font-family: \"%s\";", pango_font_description_get_family (desc));
      if (pango_font_description_get_size (desc) > 0)
        g_string_append_printf (css, " font-size: %dpt;",
                                pango_font_description_get_size (desc) / PANGO_SCALE);
    }
  g_string_append (css, " }");
  gtk_css_provider_load_from_data (self->font_css, css->str, -1);
}

/* The widget */

static void
galley_article_view_dispose (GObject *object)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (object);

  if (self->dirty)
    galley_article_view_save (self, NULL);
  clear_article (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GALLEY_TYPE_ARTICLE_VIEW);
  if (self->font_css != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->font_css));
  g_clear_object (&self->font_css);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (galley_article_view_parent_class)->dispose (object);
}

static void
galley_article_view_finalize (GObject *object)
{
  GalleyArticleView *self = GALLEY_ARTICLE_VIEW (object);

  g_array_unref (self->changes);
  G_OBJECT_CLASS (galley_article_view_parent_class)->finalize (object);
}

static void
galley_article_view_class_init (GalleyArticleViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = galley_article_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = galley_article_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  signals[ARTICLE_CHANGED] = g_signal_new ("article-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT64);
  /* The articles of a page were split or merged: the list changes. */
  signals[PAGE_CHANGED] = g_signal_new ("page-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CORRECTION_MADE] = g_signal_new ("correction-made", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/galley/Galley/ui/galley-article-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, GalleyArticleView, name)
  BIND (detail_stack);
  BIND (kicker_entry);
  BIND (title_entry);
  BIND (subtitle_entry);
  BIND (byline_entry);
  BIND (date_entry);
  BIND (status_dropdown);
  BIND (change_label);
  BIND (save_label);
  BIND (compare_button);
  BIND (body_view);
  BIND (original_scroller);
  BIND (original_view);
  BIND (change_popover);
  BIND (popover_rule);
  BIND (popover_text);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, body_clicked_cb);

  gtk_widget_class_install_action (widget_class, "article.next-change", NULL, next_change_action);
  gtk_widget_class_install_action (widget_class, "article.previous-change", NULL, next_change_action);
  gtk_widget_class_install_action (widget_class, "article.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "article.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "article.accept-rule", NULL, accept_rule_action);
  gtk_widget_class_install_action (widget_class, "article.status-up", NULL, status_action);
  gtk_widget_class_install_action (widget_class, "article.status-down", NULL, status_action);
  gtk_widget_class_install_action (widget_class, "article.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "article.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "article.split", NULL, page_op_action);
  gtk_widget_class_install_action (widget_class, "article.merge-next", NULL, page_op_action);
  gtk_widget_class_install_action (widget_class, "article.line-to-title", NULL, page_op_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "article.split", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_J, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "article.merge-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "article.line-to-title", NULL);

}

/* The review keys work wherever the focus is in the window (scope global)
 * or in the popover of a change (a surface of its own: scope local), before
 * the keys of the widgets (GtkPaned takes F8, GtkSourceView Alt+Up/Down). */
static void
add_shortcuts (GtkWidget        *widget,
               GtkShortcutScope  scope)
{
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_F8, 0, "article.next-change" },
    { GDK_KEY_Down, GDK_ALT_MASK, "article.next-change" },
    { GDK_KEY_Up, GDK_ALT_MASK, "article.previous-change" },
    { GDK_KEY_F8, GDK_SHIFT_MASK, "article.previous-change" },
    { GDK_KEY_Return, GDK_ALT_MASK, "article.accept" },
    { GDK_KEY_BackSpace, GDK_ALT_MASK, "article.reject" },
    { GDK_KEY_Return, GDK_ALT_MASK | GDK_SHIFT_MASK, "article.accept-rule" },
    { GDK_KEY_m, GDK_CONTROL_MASK, "article.status-up" },
    { GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "article.status-down" },
    { GDK_KEY_d, GDK_CONTROL_MASK, "article.compare" },
    { GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "article.history" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), scope);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (widget, controller);
}

/* Closed with Escape, after an accept, or by a click elsewhere: the typing
 * goes on in the text, at the change. */
static void
popover_closed_cb (GalleyArticleView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self->body_view)))
    gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

void
galley_article_view_focus_body (GalleyArticleView *self)
{
  g_return_if_fail (GALLEY_IS_ARTICLE_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

static void
galley_article_view_init (GalleyArticleView *self)
{
  GtkTextBuffer *buffer;
  GtkEntry *entries[N_ENTRIES];
  struct { const char *name; const char *color; gboolean underline; } tags[] = {
    { "change-join", "rgba(53,132,228,0.18)", FALSE },
    { "change-duplicate", "rgba(224,27,36,0.18)", FALSE },
    { "change-punctuation", "rgba(46,194,126,0.22)", FALSE },
    { "change-spaces", "rgba(145,65,172,0.18)", FALSE },
    { "change-suspect", "rgba(229,165,10,0.30)", TRUE },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->clean_rules = GALLEY_RULES_ALL;
  self->changes = g_array_new (FALSE, TRUE, sizeof (ViewChange));
  g_array_set_clear_func (self->changes, (GDestroyNotify) view_change_clear);
  self->current = -1;

  g_signal_connect_object (body_adjustment (self), "value-changed", G_CALLBACK (body_scrolled_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (original_adjustment (self), "value-changed",
                           G_CALLBACK (original_scrolled_cb), self, G_CONNECT_SWAPPED);
  /* Tab moves on, as in the fields: an article's text holds no tabs. */
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->body_view), FALSE);
  buffer = get_buffer (self);
  gtk_text_buffer_set_enable_undo (buffer, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    gtk_text_buffer_create_tag (buffer, tags[i].name, "background", tags[i].color,
                                "underline", tags[i].underline ? PANGO_UNDERLINE_ERROR : PANGO_UNDERLINE_NONE,
                                NULL);
  /* The current change stands out by its colour and underline, not by
   * weight: bold text is wider, wraps its line again and changes the
   * text's height while GTK 4.8 draws it, and the scrollbar drawn after
   * the text then has no allocation. */
  gtk_text_buffer_create_tag (buffer, "change-current", "background", "rgba(53,132,228,0.45)",
                              "underline", PANGO_UNDERLINE_DOUBLE, NULL);
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (insert_text_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (buffer, "delete-range", G_CALLBACK (delete_range_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "undo", G_CALLBACK (undo_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "undo", G_CALLBACK (undo_after_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (buffer, "redo", G_CALLBACK (undo_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "redo", G_CALLBACK (undo_after_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  get_entries (self, entries);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect_object (entries[i], "changed", G_CALLBACK (field_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (status_selected_cb), self, G_CONNECT_SWAPPED);

  add_shortcuts (GTK_WIDGET (self), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcuts (GTK_WIDGET (self->change_popover), GTK_SHORTCUT_SCOPE_LOCAL);
  g_signal_connect_swapped (self->change_popover, "closed", G_CALLBACK (popover_closed_cb), self);
  self->font_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->font_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  update_review (self);
}
