/* galley-export.c: streaming writers for clean copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sink writes each article as it is added: per-article files are
 * complete when galley_export_sink_add() returns, a combined file grows
 * and is renamed into place by galley_export_sink_finish(). Every format
 * is produced by three text writers (file header, one article, file
 * footer) appending to a GString; the sink moves that text to a file, or
 * for DOCX into the word/document.xml entry of a zip archive.
 */
#define G_LOG_DOMAIN "galley-export"

#include "galley-export.h"

#include <errno.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>

#define FLUSH_SIZE (64 * 1024)
#define MAX_NAME_BYTES 150
#define TXT_SEPARATOR "────────────────────"

/* Output: one file under a temporary name in its target folder */

typedef struct {
  GFile         *final;  /* NULL for scratch files */
  GFile         *tmp;
  GOutputStream *stream;
  GString       *buf;
  GError        *error;  /* deferred, from the archive write callback */
} Output;

static void
output_free (Output *out)
{
  if (out == NULL)
    return;

  /* Not committed: remove the partial file. */
  if (out->stream != NULL)
    g_output_stream_close (out->stream, NULL, NULL);
  if (out->tmp != NULL)
    g_file_delete (out->tmp, NULL, NULL);
  g_clear_object (&out->stream);
  g_clear_object (&out->tmp);
  g_clear_object (&out->final);
  g_string_free (out->buf, TRUE);
  g_clear_error (&out->error);
  g_free (out);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Output, output_free)

static gboolean
check_not_exists (GFile   *file,
                  GError **error)
{
  if (g_file_query_exists (file, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   /* Translators: %s is a file name */
                   _("The file “%s” already exists"), name);
      return FALSE;
    }
  return TRUE;
}

static Output *
output_open (GFile         *folder,
             GFile         *final,
             gboolean       overwrite,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(Output) out = g_new0 (Output, 1);

  out->buf = g_string_sized_new (FLUSH_SIZE + 4096);
  out->final = final != NULL ? g_object_ref (final) : NULL;
  if (final != NULL && !overwrite && !check_not_exists (final, error))
    return NULL;

  for (guint attempt = 0; out->stream == NULL; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = g_strdup_printf (".galley-export-%08x.part", g_random_int ());
      g_autoptr(GFile) tmp = g_file_get_child (folder, name);
      GFileOutputStream *stream;

      stream = g_file_create (tmp, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream == NULL)
        {
          if (attempt < 16 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      out->stream = G_OUTPUT_STREAM (stream);
      out->tmp = g_steal_pointer (&tmp);
    }

  return g_steal_pointer (&out);
}

static gboolean
output_flush (Output        *out,
              GCancellable  *cancellable,
              GError       **error)
{
  if (out->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&out->error));
      return FALSE;
    }
  if (out->buf->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (out->stream, out->buf->str, out->buf->len,
                                  NULL, cancellable, error))
    return FALSE;
  g_string_truncate (out->buf, 0);
  return TRUE;
}

static gboolean
output_write (Output        *out,
              const char    *data,
              gsize          len,
              GCancellable  *cancellable,
              GError       **error)
{
  g_string_append_len (out->buf, data, len);
  if (out->buf->len >= FLUSH_SIZE || out->error != NULL)
    return output_flush (out, cancellable, error);
  return TRUE;
}

static gboolean
output_close (Output        *out,
              GCancellable  *cancellable,
              GError       **error)
{
  if (!output_flush (out, cancellable, error))
    return FALSE;
  if (!g_output_stream_close (out->stream, cancellable, error))
    return FALSE;
  g_clear_object (&out->stream);
  return TRUE;
}

/* Closes and renames the file into place; on failure the caller frees
 * `out`, which removes the temporary file. */
static gboolean
output_commit (Output        *out,
               gboolean       overwrite,
               GCancellable  *cancellable,
               GError       **error)
{
  g_assert (out->final != NULL);

  if (!output_close (out, cancellable, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!overwrite && !check_not_exists (out->final, error))
    return FALSE;
  if (!g_file_move (out->tmp, out->final,
                    overwrite ? G_FILE_COPY_OVERWRITE : G_FILE_COPY_NONE,
                    NULL, NULL, NULL, error))
    return FALSE;
  g_clear_object (&out->tmp);
  return TRUE;
}

/* Formats */

typedef struct {
  const char *id;
  const char *label;
  const char *extension;
  gboolean    can_combine;
  gboolean    can_split;
} FormatInfo;

static const FormatInfo formats[GALLEY_EXPORT_N_FORMATS + 1] = {
  [GALLEY_EXPORT_FORMAT_TXT] = { "txt", N_("Plain text"), "txt", TRUE, TRUE },
  [GALLEY_EXPORT_FORMAT_MARKDOWN] = { "markdown", N_("Markdown"), "md", FALSE, TRUE },
  [GALLEY_EXPORT_FORMAT_HTML] = { "html", N_("Web page (HTML)"), "html", TRUE, TRUE },
  [GALLEY_EXPORT_FORMAT_JSONL] = { "jsonl", N_("JSON Lines"), "jsonl", TRUE, FALSE },
  [GALLEY_EXPORT_FORMAT_CSV] = { "csv", N_("Spreadsheet (CSV)"), "csv", TRUE, FALSE },
  [GALLEY_EXPORT_FORMAT_NEWSML] = { "newsml", N_("NewsML-G2"), "xml", TRUE, TRUE },
  [GALLEY_EXPORT_FORMAT_DOCX] = { "docx", N_("Word document (DOCX)"), "docx", TRUE, TRUE },
};

static gboolean
format_is_valid (GalleyExportFormat format)
{
  return format > GALLEY_EXPORT_FORMAT_UNKNOWN && format <= GALLEY_EXPORT_N_FORMATS;
}

GalleyExportFormat
galley_export_format_from_id (const char *id)
{
  g_return_val_if_fail (id != NULL, GALLEY_EXPORT_FORMAT_UNKNOWN);

  for (guint i = 1; i <= GALLEY_EXPORT_N_FORMATS; i++)
    if (g_str_equal (id, formats[i].id))
      return (GalleyExportFormat) i;
  return GALLEY_EXPORT_FORMAT_UNKNOWN;
}

const char *
galley_export_format_to_id (GalleyExportFormat format)
{
  g_return_val_if_fail (format_is_valid (format), NULL);
  return formats[format].id;
}

const char *
galley_export_format_get_label (GalleyExportFormat format)
{
  g_return_val_if_fail (format_is_valid (format), NULL);
  return _(formats[format].label);
}

const char *
galley_export_format_get_extension (GalleyExportFormat format)
{
  g_return_val_if_fail (format_is_valid (format), NULL);
  return formats[format].extension;
}

gboolean
galley_export_format_can_combine (GalleyExportFormat format)
{
  g_return_val_if_fail (format_is_valid (format), FALSE);
  return formats[format].can_combine;
}

gboolean
galley_export_format_can_split (GalleyExportFormat format)
{
  g_return_val_if_fail (format_is_valid (format), FALSE);
  return formats[format].can_split;
}

/* File names */

static gboolean
is_name_trim_char (char c)
{
  return c == '.' || c == ' ' || c == '-' || c == '_';
}

/* Makes `raw` safe as one path component: no separators, no control or
 * reserved characters, no "..", no leading dot, at most MAX_NAME_BYTES
 * bytes cut at a character boundary. May return an empty string. */
static char *
sanitize_name (const char *raw)
{
  g_autoptr(GString) s = g_string_sized_new (strlen (raw));
  const char *p = raw;
  gsize start, end;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (s, '_');
          p++;
          continue;
        }
      p = g_utf8_next_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || g_unichar_isspace (c))
        {
          if (s->len > 0 && s->str[s->len - 1] != ' ')
            g_string_append_c (s, ' ');
        }
      else if (strchr ("/\\:*?\"<>|", (int) c) != NULL && c < 0x80)
        g_string_append_c (s, '_');
      else if (c == '.' && s->len > 0 && s->str[s->len - 1] == '.')
        continue;
      else
        g_string_append_unichar (s, c);
    }

  if (s->len > MAX_NAME_BYTES)
    {
      const char *cut = g_utf8_find_prev_char (s->str, s->str + MAX_NAME_BYTES + 1);

      g_string_truncate (s, cut - s->str);
    }

  start = 0;
  end = s->len;
  while (start < end && is_name_trim_char (s->str[start]))
    start++;
  while (end > start && is_name_trim_char (s->str[end - 1]))
    end--;

  return g_strndup (s->str + start, end - start);
}

static void
append_pattern_field (GString                 *s,
                    const char              *name,
                    gsize                    len,
                    const GalleyArticleData *data)
{
#define IS(str) (len == strlen (str) && strncmp (name, str, len) == 0)
  if (IS ("title"))
    g_string_append (s, data->title);
  else if (IS ("date"))
    g_string_append (s, data->date != NULL ? data->date : "");
  else if (IS ("kicker"))
    g_string_append (s, data->kicker);
  else if (IS ("id"))
    g_string_append_printf (s, "%" G_GINT64_FORMAT, data->id);
  else if (IS ("position"))
    g_string_append_printf (s, "%u", data->position + 1);
  else if (IS ("source"))
    {
      const char *dot = strrchr (data->source_file, '.');

      g_string_append_len (s, data->source_file,
                           dot != NULL ? dot - data->source_file : (gssize) strlen (data->source_file));
    }
  else
    {
      g_string_append_c (s, '{');
      g_string_append_len (s, name, len);
      g_string_append_c (s, '}');
    }
#undef IS
}

static char *
dup_base_name (const char              *pattern,
               const GalleyArticleData *data)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  char *name;

  if (pattern == NULL || *pattern == '\0')
    pattern = GALLEY_EXPORT_DEFAULT_PATTERN;

  for (const char *p = pattern; *p != '\0'; p++)
    {
      const char *close;

      if (*p == '{' && (close = strchr (p + 1, '}')) != NULL)
        {
          append_pattern_field (raw, p + 1, close - p - 1, data);
          p = close;
        }
      else
        g_string_append_c (raw, *p);
    }

  name = sanitize_name (raw->str);
  if (*name == '\0')
    {
      g_free (name);
      name = g_strdup_printf ("article-%" G_GINT64_FORMAT, data->id);
    }
  return name;
}

char *
galley_export_dup_file_name (const char              *pattern,
                             const GalleyArticleData *data,
                             GalleyExportFormat       format)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (format_is_valid (format), NULL);

  base = dup_base_name (pattern, data);
  return g_strconcat (base, ".", formats[format].extension, NULL);
}

/* Escaping */

/* Appends text valid in XML 1.0 and HTML: markup characters escaped,
 * characters XML forbids (C0 controls but tab and newline, U+FFFE,
 * U+FFFF) dropped. */
static void
append_xml (GString    *s,
            const char *text)
{
  const char *run = text;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      const guchar c = (guchar) *p;
      const char *rep = NULL;

      switch (c)
        {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\t': case '\n': case '\r': break;
        case 0xef:
          if ((guchar) p[1] == 0xbf && ((guchar) p[2] == 0xbe || (guchar) p[2] == 0xbf))
            {
              g_string_append_len (s, run, p - run);
              p += 2;
              run = p + 1;
            }
          break;
        default:
          if (c < 0x20)
            rep = "";
          break;
        }

      if (rep != NULL)
        {
          g_string_append_len (s, run, p - run);
          g_string_append (s, rep);
          run = p + 1;
        }
    }
  g_string_append_len (s, run, p - run);
}

static void
append_yaml_string (GString    *s,
                    const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      const guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, c);
        }
      else if (c == '\n')
        g_string_append (s, "\\n");
      else if (c == '\t')
        g_string_append (s, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (s, "\\x%02x", c);
      else
        g_string_append_c (s, c);
    }
  g_string_append_c (s, '"');
}

static void
append_yaml_list (GString            *s,
                  const char * const *items)
{
  g_string_append_c (s, '[');
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      append_yaml_string (s, items[i]);
    }
  g_string_append_c (s, ']');
}

/* One paragraph of Markdown: characters Markdown would take as markup
 * are backslash-escaped, so a renderer shows the text as it is. */
static void
append_markdown_paragraph (GString    *s,
                           const char *text)
{
  const char *p = text;

  /* Block markers at the start of the line: headings, quotes, lists,
   * setext underlines, ordered lists ("1." / "1)"), indented code. */
  while (*p == ' ')
    {
      g_string_append (s, "&#32;");
      p++;
    }
  if (*p == '#' || *p == '>' || *p == '-' || *p == '+' || *p == '=')
    {
      g_string_append_c (s, '\\');
      g_string_append_c (s, *p++);
    }
  else if (g_ascii_isdigit (*p))
    {
      const char *q = p;

      while (g_ascii_isdigit (*q))
        q++;
      if (*q == '.' || *q == ')')
        {
          g_string_append_len (s, p, q - p);
          g_string_append_c (s, '\\');
          g_string_append_c (s, *q);
          p = q + 1;
        }
    }

  /* Backslash escapes for what every Markdown dialect lets one escape;
   * character references for the rest. */
  for (; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '<': g_string_append (s, "&lt;"); break;
        case '&': g_string_append (s, "&amp;"); break;
        case '|': g_string_append (s, "&#124;"); break;
        case '~': g_string_append (s, "&#126;"); break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '>': case '!':
          g_string_append_c (s, '\\');
          G_GNUC_FALLTHROUGH;
        default:
          g_string_append_c (s, *p);
        }
    }
}

static void
append_csv_field (GString    *s,
                  const char *text)
{
  if (strpbrk (text, "\",\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }

  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* Body paragraphs */

typedef void (*ParagraphFunc) (GString    *s,
                               const char *text,
                               gsize       len,
                               gboolean    intertitle,
                               gpointer    user_data);

static gboolean
strv_contains_len (const char * const *strv,
                   const char         *text,
                   gsize               len)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strlen (strv[i]) == len && memcmp (strv[i], text, len) == 0)
      return TRUE;
  return FALSE;
}

static void
foreach_paragraph (GString                 *s,
                   const GalleyArticleData *data,
                   ParagraphFunc            func,
                   gpointer                 user_data)
{
  const char *p = data->body;

  if (*p == '\0')
    return;

  for (;;)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p) : strlen (p);

      func (s, p, len, strv_contains_len ((const char * const *) data->intertitles, p, len),
            user_data);
      if (nl == NULL)
        break;
      p = nl + 1;
    }
}

static const char *
change_state_to_id (const GalleyArticleData *data,
                    guint                    i)
{
  GalleyChangeState state = GALLEY_CHANGE_PENDING;

  if (data->change_states != NULL && i < data->change_states->len)
    state = g_array_index (data->change_states, GalleyChangeState, i);

  switch (state)
    {
    case GALLEY_CHANGE_ACCEPTED: return "accepted";
    case GALLEY_CHANGE_REJECTED: return "rejected";
    case GALLEY_CHANGE_PENDING:
    default: return "pending";
    }
}

/* JSON */

static void
builder_add_string (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
builder_add_strv (JsonBuilder *b,
                  const char  *name,
                  char       **strv)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
}

static void
builder_add_datetime (JsonBuilder *b,
                      const char  *name,
                      GDateTime   *dt)
{
  g_autofree char *iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

  builder_add_string (b, name, iso);
}

static void
builder_add_changes (JsonBuilder             *b,
                     const GalleyArticleData *data)
{
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; data->changes != NULL && i < data->changes->len; i++)
    {
      const GalleyChange *change = g_ptr_array_index (data->changes, i);

      json_builder_begin_object (b);
      builder_add_string (b, "rule", galley_rule_to_id (change->rule));
      builder_add_string (b, "kind", change->kind == GALLEY_CHANGE_SUSPECT ? "suspect" : "edit");
      builder_add_string (b, "before", change->before);
      builder_add_string (b, "after", change->after);
      json_builder_set_member_name (b, "orig_start");
      json_builder_add_int_value (b, change->orig_start);
      json_builder_set_member_name (b, "orig_end");
      json_builder_add_int_value (b, change->orig_end);
      json_builder_set_member_name (b, "clean_start");
      json_builder_add_int_value (b, change->clean_start);
      json_builder_set_member_name (b, "clean_end");
      json_builder_add_int_value (b, change->clean_end);
      builder_add_string (b, "state", change_state_to_id (data, i));
      json_builder_set_member_name (b, "confidence");
      json_builder_add_double_value (b, change->confidence);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
append_json_node (GString  *s,
                  JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  g_string_append_len (s, text, len);
}

static void
append_json_article (GString                 *s,
                     const GalleyArticleData *data,
                     gboolean                 provenance)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, data->id);
  builder_add_string (b, "source_file", data->source_file);
  json_builder_set_member_name (b, "position");
  json_builder_add_int_value (b, data->position);
  builder_add_string (b, "kicker", data->kicker);
  builder_add_string (b, "title", data->title);
  builder_add_string (b, "subtitle", data->subtitle);
  builder_add_string (b, "byline", data->byline);
  builder_add_string (b, "place", data->place);
  builder_add_strv (b, "reporters", data->reporters);
  builder_add_strv (b, "correspondents", data->correspondents);
  builder_add_string (b, "date", data->date);
  builder_add_string (b, "body", data->body);
  builder_add_string (b, "original", data->original);
  builder_add_strv (b, "captions", data->captions);
  builder_add_strv (b, "intertitles", data->intertitles);
  builder_add_strv (b, "tags", data->tags);
  builder_add_strv (b, "tag_codes", data->tag_codes);
  builder_add_string (b, "status", data->status);
  builder_add_datetime (b, "imported", data->imported);
  builder_add_datetime (b, "modified", data->modified);
  if (provenance)
    builder_add_changes (b, data);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  append_json_node (s, root);
}

static void
append_json_provenance (GString                 *s,
                        const GalleyArticleData *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, data->id);
  builder_add_string (b, "source_file", data->source_file);
  json_builder_set_member_name (b, "position");
  json_builder_add_int_value (b, data->position);
  builder_add_string (b, "title", data->title);
  builder_add_string (b, "original", data->original);
  builder_add_changes (b, data);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  append_json_node (s, root);
}

/* The sink */

struct _GalleyExportSink {
  GalleyExportFormat format;
  gboolean           combined;
  gboolean           provenance;
  gboolean           overwrite;
  char              *pattern;
  char              *collection_title;

  GFile             *folder;
  GFile             *output;      /* the combined file */
  Output            *main;        /* combined: the file; split: the current article */
  Output            *side;        /* provenance side file */
  Output            *scratch;     /* combined HTML: articles before the table of contents */
  GString           *toc;         /* combined HTML: table of contents */
  struct archive    *archive;     /* DOCX */
  GHashTable        *used_names;  /* casefolded base names given to per-article files */
  GString           *text;
  guint              n_written;
  gboolean           failed;
  gboolean           finished;
};

static const char *
collection_title (GalleyExportSink *self)
{
  if (self->collection_title != NULL)
    return self->collection_title;
  /* Translators: default title of an exported collection of articles */
  return _("Exported articles");
}

/* Text writers for each format */

static void
txt_paragraph (GString    *s,
               const char *text,
               gsize       len,
               gboolean    intertitle,
               gpointer    user_data)
{
  g_string_append_len (s, text, len);
  g_string_append_c (s, '\n');
}

/* The byline as copy shows it above the body: not when the body opens
 * with it, as a dateline (本报济宁讯（记者 刘菲）4月10日，…) does. */
static const char *
shown_byline (const GalleyArticleData *data)
{
  return g_str_has_prefix (data->body, data->byline) ? "" : data->byline;
}

static void
txt_article (GalleyExportSink        *self,
             GString                 *s,
             const GalleyArticleData *data)
{
  const char *head[] = { data->kicker, data->title, data->subtitle, shown_byline (data), data->date };

  if (self->combined && self->n_written > 0)
    g_string_append (s, "\n" TXT_SEPARATOR "\n\n");

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    if (head[i] != NULL && *head[i] != '\0')
      {
        g_string_append (s, head[i]);
        g_string_append_c (s, '\n');
      }
  g_string_append_c (s, '\n');
  foreach_paragraph (s, data, txt_paragraph, NULL);
}

static void
markdown_paragraph (GString    *s,
                    const char *text,
                    gsize       len,
                    gboolean    intertitle,
                    gpointer    user_data)
{
  g_autofree char *para = g_strndup (text, len);

  if (intertitle)
    {
      g_string_append (s, "## ");
      append_markdown_paragraph (s, para);
    }
  else
    append_markdown_paragraph (s, para);
  g_string_append (s, "\n\n");
}

static void
markdown_article (GalleyExportSink        *self,
                  GString                 *s,
                  const GalleyArticleData *data)
{
  const struct { const char *key; const char *value; } fields[] = {
    { "title", data->title },
    { "kicker", data->kicker },
    { "subtitle", data->subtitle },
    { "byline", data->byline },
  };

  g_string_append (s, "---\n");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_string_append_printf (s, "%s: ", fields[i].key);
      append_yaml_string (s, fields[i].value);
      g_string_append_c (s, '\n');
    }
  g_string_append (s, "date: ");
  if (data->date != NULL)
    append_yaml_string (s, data->date);
  else
    g_string_append (s, "null");
  g_string_append (s, "\nreporters: ");
  append_yaml_list (s, (const char * const *) data->reporters);
  g_string_append (s, "\ncorrespondents: ");
  append_yaml_list (s, (const char * const *) data->correspondents);
  g_string_append (s, "\ntags: ");
  append_yaml_list (s, (const char * const *) data->tags);
  g_string_append (s, "\nsource: ");
  append_yaml_string (s, data->source_file);
  g_string_append (s, "\nstatus: ");
  append_yaml_string (s, data->status);
  g_string_append (s, "\n---\n\n");

  foreach_paragraph (s, data, markdown_paragraph, NULL);
  for (guint i = 0; data->captions[i] != NULL; i++)
    {
      g_string_append_c (s, '*');
      append_markdown_paragraph (s, data->captions[i]);
      g_string_append (s, "*\n\n");
    }
}

static const char html_style[] =
  "body{margin:0;background:#f6f5f1;color:#1d1d1b;"
  "font-family:\"Noto Serif CJK SC\",\"Source Han Serif SC\",\"Songti SC\",SimSun,serif;"
  "font-size:18px;line-height:1.85;}"
  "main{max-width:42em;margin:0 auto;padding:2.5em 1.5em 4em;background:#fff;}"
  "article{margin-bottom:4em;}"
  "article+article{border-top:1px solid #ddd;padding-top:3em;}"
  "h1,h2,.kicker,.subtitle,nav{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
  "\"PingFang SC\",\"Microsoft YaHei\",sans-serif;}"
  "h1{font-size:1.8em;line-height:1.4;margin:.2em 0;}"
  "h2{font-size:1.2em;line-height:1.5;margin:1.6em 0 .6em;}"
  ".kicker,.subtitle{font-size:1.1em;color:#555;margin:.2em 0;}"
  ".meta{color:#777;font-size:.9em;margin:.6em 0 1.6em;}"
  "p{margin:0 0 .9em;text-indent:2em;text-align:justify;}"
  ".kicker,.subtitle,.meta,.caption{text-indent:0;}"
  ".caption{font-size:.9em;color:#555;border-left:3px solid #ccc;padding-left:.8em;}"
  "nav ol{padding-left:1.5em;}nav a{color:#1a4f8b;text-decoration:none;}"
  "@media print{body{background:#fff;}main{padding:0;}}";

static void
html_head (GString    *s,
           const char *title)
{
  g_string_append (s,
                   "<!DOCTYPE html>\n"
                   "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\" xml:lang=\"zh-CN\">\n"
                   "<head>\n<meta charset=\"utf-8\" />\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
                   "<meta name=\"generator\" content=\"Galley\" />\n<title>");
  append_xml (s, title);
  g_string_append (s, "</title>\n<style>");
  g_string_append (s, html_style);
  g_string_append (s, "</style>\n</head>\n<body>\n<main>\n");
}

/* user_data: the indentation before each element, or NULL */
static void
html_paragraph (GString    *s,
                const char *text,
                gsize       len,
                gboolean    intertitle,
                gpointer    user_data)
{
  g_autofree char *para = g_strndup (text, len);

  if (user_data != NULL)
    g_string_append (s, user_data);
  g_string_append (s, intertitle ? "<h2>" : "<p>");
  append_xml (s, para);
  g_string_append (s, intertitle ? "</h2>\n" : "</p>\n");
}

static void
html_line (GString    *s,
           const char *klass,
           const char *text)
{
  if (*text == '\0')
    return;
  g_string_append_printf (s, "<p class=\"%s\">", klass);
  append_xml (s, text);
  g_string_append (s, "</p>\n");
}

static void
html_article (GalleyExportSink        *self,
              GString                 *s,
              const GalleyArticleData *data)
{
  g_string_append_printf (s, "<article id=\"article-%" G_GINT64_FORMAT "\">\n<header>\n", data->id);
  html_line (s, "kicker", data->kicker);
  g_string_append (s, "<h1>");
  append_xml (s, data->title);
  g_string_append (s, "</h1>\n");
  html_line (s, "subtitle", data->subtitle);
  if (*shown_byline (data) != '\0' || data->date != NULL)
    {
      g_string_append (s, "<p class=\"meta\">");
      append_xml (s, shown_byline (data));
      if (data->date != NULL)
        {
          g_string_append (s, *shown_byline (data) != '\0' ? " <time datetime=\"" : "<time datetime=\"");
          append_xml (s, data->date);
          g_string_append (s, "\">");
          append_xml (s, data->date);
          g_string_append (s, "</time>");
        }
      g_string_append (s, "</p>\n");
    }
  g_string_append (s, "</header>\n");
  foreach_paragraph (s, data, html_paragraph, NULL);
  for (guint i = 0; data->captions[i] != NULL; i++)
    html_line (s, "caption", data->captions[i]);
  g_string_append (s, "</article>\n");

  if (self->toc != NULL)
    {
      g_string_append_printf (self->toc, "<li><a href=\"#article-%" G_GINT64_FORMAT "\">", data->id);
      append_xml (self->toc, *data->title != '\0' ? data->title : data->kicker);
      g_string_append (self->toc, "</a></li>\n");
    }
}

static void
csv_header (GString *s)
{
  g_string_append (s, "\xef\xbb\xbf"
                   "id,source_file,position,date,kicker,title,subtitle,byline,"
                   "reporters,tags,status,characters,body\r\n");
}

static void
csv_article (GalleyExportSink        *self,
             GString                 *s,
             const GalleyArticleData *data)
{
  g_autofree char *reporters = g_strjoinv ("; ", data->reporters);
  g_autofree char *tags = g_strjoinv ("; ", data->tags);
  glong characters = 0;

  for (const char *p = data->body; *p != '\0'; p = g_utf8_next_char (p))
    if (*p != '\n')
      characters++;

  g_string_append_printf (s, "%" G_GINT64_FORMAT ",", data->id);
  append_csv_field (s, data->source_file);
  g_string_append_printf (s, ",%u,", data->position);
  append_csv_field (s, data->date != NULL ? data->date : "");
  g_string_append_c (s, ',');
  append_csv_field (s, data->kicker);
  g_string_append_c (s, ',');
  append_csv_field (s, data->title);
  g_string_append_c (s, ',');
  append_csv_field (s, data->subtitle);
  g_string_append_c (s, ',');
  append_csv_field (s, data->byline);
  g_string_append_c (s, ',');
  append_csv_field (s, reporters);
  g_string_append_c (s, ',');
  append_csv_field (s, tags);
  g_string_append_c (s, ',');
  append_csv_field (s, data->status);
  g_string_append_printf (s, ",%ld,", characters);
  /* The clean text, paragraphs one a line */
  append_csv_field (s, data->body);
  g_string_append (s, "\r\n");
}

/* NewsML-G2 */

static char *
dup_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%FT%T%:z");
}

static gboolean
is_iso_date (const char *date)
{
  return date != NULL && strlen (date) >= 10 &&
         g_ascii_isdigit (date[0]) && g_ascii_isdigit (date[3]) && date[4] == '-' &&
         g_ascii_isdigit (date[5]) && g_ascii_isdigit (date[6]) && date[7] == '-' &&
         g_ascii_isdigit (date[8]) && g_ascii_isdigit (date[9]);
}

static void
newsml_element (GString    *s,
                const char *indent,
                const char *open,
                const char *close,
                const char *text)
{
  if (*text == '\0')
    return;
  g_string_append_printf (s, "%s<%s>", indent, open);
  append_xml (s, text);
  g_string_append_printf (s, "</%s>\n", close);
}

static void
newsml_article (GalleyExportSink        *self,
                GString                 *s,
                const GalleyArticleData *data)
{
  g_autofree char *version_created = data->modified != NULL
    ? g_date_time_format (data->modified, "%FT%T%:z") : dup_now_iso ();

  g_string_append_printf (s,
                          "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\"\n"
                          "    guid=\"urn:galley:article:%" G_GINT64_FORMAT "\" version=\"1\"\n"
                          "    standard=\"NewsML-G2\" standardversion=\"2.35\" conformance=\"power\"\n"
                          "    xml:lang=\"zh-CN\">\n"
                          "  <catalogRef href=\"http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml\"/>\n"
                          "  <catalog>\n"
                          "    <scheme alias=\"galley-hl\" uri=\"urn:galley:headline-role:\"/>\n"
                          "  </catalog>\n"
                          "  <itemMeta>\n"
                          "    <itemClass qcode=\"ninat:text\"/>\n"
                          "    <provider literal=\"Galley\"/>\n"
                          "    <versionCreated>%s</versionCreated>\n"
                          "    <pubStatus qcode=\"stat:usable\"/>\n"
                          "  </itemMeta>\n"
                          "  <contentMeta>\n",
                          data->id, version_created);
  if (is_iso_date (data->date))
    {
      g_autofree char *day = g_strndup (data->date, 10);

      g_string_append_printf (s, "    <contentCreated>%s</contentCreated>\n", day);
    }
  if (*data->place != '\0')
    {
      g_string_append (s, "    <located>\n");
      newsml_element (s, "      ", "name", "name", data->place);
      g_string_append (s, "    </located>\n");
    }
  for (guint i = 0; data->reporters[i] != NULL; i++)
    {
      g_string_append (s, "    <creator>\n");
      newsml_element (s, "      ", "name", "name", data->reporters[i]);
      g_string_append (s, "    </creator>\n");
    }
  for (guint i = 0; data->correspondents[i] != NULL; i++)
    {
      g_string_append (s, "    <contributor>\n");
      newsml_element (s, "      ", "name", "name", data->correspondents[i]);
      g_string_append (s, "    </contributor>\n");
    }
  g_string_append (s, "    <language tag=\"zh-CN\"/>\n");
  for (guint i = 0; data->tag_codes[i] != NULL; i++)
    {
      if (*data->tag_codes[i] == '\0')
        continue;
      g_string_append (s, "    <subject qcode=\"");
      append_xml (s, data->tag_codes[i]);
      g_string_append (s, "\">\n");
      if (i < g_strv_length (data->tags))
        newsml_element (s, "      ", "name xml:lang=\"zh-CN\"", "name", data->tags[i]);
      g_string_append (s, "    </subject>\n");
    }
  /* NewsML-G2 has no kicker or subheadline element: they are headlines
   * with a role from the scheme declared in the item's own catalog. */
  newsml_element (s, "    ", "headline role=\"galley-hl:kicker\"", "headline", data->kicker);
  newsml_element (s, "    ", "headline", "headline", data->title);
  newsml_element (s, "    ", "headline role=\"galley-hl:subtitle\"", "headline", data->subtitle);
  newsml_element (s, "    ", "by", "by", data->byline);
  g_string_append (s,
                   "  </contentMeta>\n"
                   "  <contentSet>\n"
                   "    <inlineXML contenttype=\"application/xhtml+xml\">\n"
                   "      <html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">\n"
                   "        <head>\n");
  g_string_append (s, "          <title>");
  append_xml (s, data->title);
  g_string_append (s, "</title>\n        </head>\n        <body>\n");
  newsml_element (s, "          ", "h1", "h1", data->title);
  g_string_append (s, "          <div class=\"body\">\n");
  foreach_paragraph (s, data, html_paragraph, (gpointer) "            ");
  g_string_append (s, "          </div>\n");
  for (guint i = 0; data->captions[i] != NULL; i++)
    newsml_element (s, "          ", "p class=\"caption\"", "p", data->captions[i]);
  g_string_append (s,
                   "        </body>\n"
                   "      </html>\n"
                   "    </inlineXML>\n"
                   "  </contentSet>\n"
                   "</newsItem>\n");
}

/* DOCX */

static const char docx_content_types[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
  "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
  "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
  "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
  "</Types>\n";

static const char docx_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
  "</Relationships>\n";

static const char docx_document_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
  "</Relationships>\n";

#define DOCX_FONTS(latin, cjk) \
  "<w:rFonts w:ascii=\"" latin "\" w:hAnsi=\"" latin "\" w:eastAsia=\"" cjk "\" w:cs=\"" latin "\"/>"
#define DOCX_STYLE(id, name, based, ppr, rpr) \
  "<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>" \
  "<w:basedOn w:val=\"" based "\"/><w:next w:val=\"Normal\"/><w:qFormat/>" \
  "<w:pPr>" ppr "</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"
#define DOCX_HEADING_FONTS DOCX_FONTS ("Noto Sans", "Noto Sans CJK SC")

static const char docx_styles[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
  "<w:docDefaults><w:rPrDefault><w:rPr>" DOCX_FONTS ("Noto Serif", "Noto Serif CJK SC")
  "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"zh-CN\" w:eastAsia=\"zh-CN\"/>"
  "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"360\" w:lineRule=\"auto\"/>"
  "</w:pPr></w:pPrDefault></w:docDefaults>"
  "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
  "<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
  DOCX_STYLE ("Title", "Title", "Normal",
              "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
              DOCX_HEADING_FONTS "<w:b/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>")
  DOCX_STYLE ("Subtitle", "Subtitle", "Normal",
              "<w:keepNext/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
              DOCX_HEADING_FONTS "<w:color w:val=\"555555\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
  DOCX_STYLE ("Kicker", "Kicker", "Normal",
              "<w:keepNext/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
              DOCX_HEADING_FONTS "<w:color w:val=\"555555\"/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>")
  DOCX_STYLE ("Heading2", "heading 2", "Normal",
              "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:outlineLvl w:val=\"1\"/>",
              DOCX_HEADING_FONTS "<w:b/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
  DOCX_STYLE ("Byline", "Byline", "Normal",
              "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
              "<w:color w:val=\"666666\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>")
  DOCX_STYLE ("Caption", "caption", "Normal",
              "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
              "<w:i/><w:color w:val=\"555555\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>")
  "</w:styles>\n";

static void
docx_text (GString    *s,
           const char *text,
           gsize       len)
{
  g_autofree char *copy = g_strndup (text, len);
  const char *start = copy;

  g_string_append (s, "<w:r><w:t xml:space=\"preserve\">");
  for (char *p = copy; ; p++)
    {
      if (*p == '\t' || *p == '\n' || *p == '\0')
        {
          const char c = *p;

          *p = '\0';
          append_xml (s, start);
          if (c == '\0')
            break;
          g_string_append (s, c == '\t' ? "</w:t><w:tab/><w:t xml:space=\"preserve\">"
                                        : "</w:t><w:br/><w:t xml:space=\"preserve\">");
          start = p + 1;
        }
    }
  g_string_append (s, "</w:t></w:r>");
}

static void
docx_paragraph_full (GString    *s,
                     const char *style,
                     gboolean    page_break,
                     const char *text,
                     gsize       len)
{
  g_string_append (s, "<w:p>");
  if (style != NULL || page_break)
    {
      g_string_append (s, "<w:pPr>");
      if (style != NULL)
        g_string_append_printf (s, "<w:pStyle w:val=\"%s\"/>", style);
      if (page_break)
        g_string_append (s, "<w:pageBreakBefore/>");
      g_string_append (s, "</w:pPr>");
    }
  docx_text (s, text, len);
  g_string_append (s, "</w:p>\n");
}

static void
docx_paragraph (GString    *s,
                const char *text,
                gsize       len,
                gboolean    intertitle,
                gpointer    user_data)
{
  docx_paragraph_full (s, intertitle ? "Heading2" : NULL, FALSE, text, len);
}

static void
docx_article (GalleyExportSink        *self,
              GString                 *s,
              const GalleyArticleData *data)
{
  const struct { const char *style; const char *text; } head[] = {
    { "Kicker", data->kicker },
    { "Title", data->title },
    { "Subtitle", data->subtitle },
    { "Byline", shown_byline (data) },
    { "Byline", data->date != NULL ? data->date : "" },
  };
  gboolean page_break = self->combined && self->n_written > 0;

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    {
      /* The title always gets a paragraph: it carries the page break. */
      if (*head[i].text == '\0' && i != 1)
        continue;
      docx_paragraph_full (s, head[i].style, page_break, head[i].text, strlen (head[i].text));
      page_break = FALSE;
    }
  foreach_paragraph (s, data, docx_paragraph, NULL);
  for (guint i = 0; data->captions[i] != NULL; i++)
    docx_paragraph_full (s, "Caption", FALSE, data->captions[i], strlen (data->captions[i]));
}

static la_ssize_t
archive_write_cb (struct archive *archive,
                  void           *user_data,
                  const void     *buffer,
                  size_t          length)
{
  Output *out = user_data;

  if (out->error != NULL)
    return -1;
  g_string_append_len (out->buf, buffer, length);
  if (out->buf->len >= FLUSH_SIZE)
    {
      if (!g_output_stream_write_all (out->stream, out->buf->str, out->buf->len,
                                      NULL, NULL, &out->error))
        {
          archive_set_error (archive, EIO, "%s", out->error->message);
          return -1;
        }
      g_string_truncate (out->buf, 0);
    }
  return length;
}

static gboolean
archive_check (GalleyExportSink  *self,
               int                status,
               GError           **error)
{
  if (status >= ARCHIVE_WARN)
    return TRUE;
  if (self->main != NULL && self->main->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->main->error));
      return FALSE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               /* Translators: %s is a technical error message */
               _("Could not write the document: %s"),
               archive_error_string (self->archive));
  return FALSE;
}

static gboolean
docx_add_entry (GalleyExportSink  *self,
                const char        *path,
                const char        *data,
                gssize             len,
                GError           **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, path);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, g_date_time_to_unix (now), 0);
  if (len >= 0)
    archive_entry_set_size (entry, len);
  ok = archive_check (self, archive_write_header (self->archive, entry), error);
  archive_entry_free (entry);
  if (ok && len > 0 && archive_write_data (self->archive, data, len) < 0)
    return archive_check (self, ARCHIVE_FATAL, error);
  return ok;
}

static gboolean
docx_begin (GalleyExportSink  *self,
            GError           **error)
{
  g_assert (self->archive == NULL);

  self->archive = archive_write_new ();
  archive_write_set_format_zip (self->archive);
  archive_write_zip_set_compression_deflate (self->archive);
  /* Plain 32-bit zip: document.xml is streamed without a known size. */
  archive_write_set_format_option (self->archive, "zip", "zip64", NULL);
  archive_write_set_bytes_per_block (self->archive, 0);
  if (!archive_check (self, archive_write_open (self->archive, self->main, NULL,
                                                archive_write_cb, NULL), error))
    return FALSE;

  return docx_add_entry (self, "[Content_Types].xml", docx_content_types, -1 + sizeof docx_content_types, error) &&
         docx_add_entry (self, "_rels/.rels", docx_rels, -1 + sizeof docx_rels, error) &&
         docx_add_entry (self, "word/_rels/document.xml.rels", docx_document_rels, -1 + sizeof docx_document_rels, error) &&
         docx_add_entry (self, "word/styles.xml", docx_styles, -1 + sizeof docx_styles, error) &&
         docx_add_entry (self, "word/document.xml", NULL, -1, error);
}

static gboolean
docx_end (GalleyExportSink         *self,
          const GalleyArticleData  *data,
          GError                  **error)
{
  g_autoptr(GString) core = g_string_new (NULL);
  g_autofree char *now = dup_now_iso ();
  const char *title = data != NULL ? data->title : collection_title (self);
  gboolean ok;

  g_string_append (core,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
                   " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
                   " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
  append_xml (core, title);
  g_string_append (core, "</dc:title><dc:language>zh-CN</dc:language>");
  if (data != NULL && *data->byline != '\0')
    {
      g_string_append (core, "<dc:creator>");
      append_xml (core, data->byline);
      g_string_append (core, "</dc:creator>");
    }
  g_string_append (core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
  if (data != NULL && is_iso_date (data->date))
    g_string_append_len (core, data->date, 10);
  else
    g_string_append (core, now);
  g_string_append_printf (core, "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s"
                          "</dcterms:modified></cp:coreProperties>\n", now);

  ok = docx_add_entry (self, "docProps/core.xml", core->str, core->len, error) &&
       archive_check (self, archive_write_close (self->archive), error);
  g_clear_pointer (&self->archive, archive_write_free);
  return ok;
}

/* Generic header / article / footer */

static void
write_header (GalleyExportSink        *self,
              GString                 *s,
              const GalleyArticleData *data)
{
  const char *title = data != NULL ? data->title : collection_title (self);

  switch (self->format)
    {
    case GALLEY_EXPORT_FORMAT_CSV:
      csv_header (s);
      break;
    case GALLEY_EXPORT_FORMAT_HTML:
      /* The combined page gets its head and contents at finish. */
      if (data != NULL)
        html_head (s, title);
      break;
    case GALLEY_EXPORT_FORMAT_NEWSML:
      g_string_append (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      if (data == NULL)
        {
          g_autofree char *now = dup_now_iso ();

          g_string_append_printf (s,
                                  "<newsMessage xmlns=\"http://iptc.org/std/nar/2006-10-01/\">\n"
                                  "<header>\n  <sent>%s</sent>\n  <sender>Galley</sender>\n</header>\n"
                                  "<itemSet>\n", now);
        }
      break;
    case GALLEY_EXPORT_FORMAT_DOCX:
      g_string_append (s,
                       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                       "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                       "<w:body>\n");
      break;
    case GALLEY_EXPORT_FORMAT_TXT:
    case GALLEY_EXPORT_FORMAT_MARKDOWN:
    case GALLEY_EXPORT_FORMAT_JSONL:
    case GALLEY_EXPORT_FORMAT_UNKNOWN:
    default:
      break;
    }
}

static void
write_article (GalleyExportSink        *self,
               GString                 *s,
               const GalleyArticleData *data)
{
  switch (self->format)
    {
    case GALLEY_EXPORT_FORMAT_TXT:
      txt_article (self, s, data);
      break;
    case GALLEY_EXPORT_FORMAT_MARKDOWN:
      markdown_article (self, s, data);
      break;
    case GALLEY_EXPORT_FORMAT_HTML:
      html_article (self, s, data);
      break;
    case GALLEY_EXPORT_FORMAT_JSONL:
      append_json_article (s, data, self->provenance);
      g_string_append_c (s, '\n');
      break;
    case GALLEY_EXPORT_FORMAT_CSV:
      csv_article (self, s, data);
      break;
    case GALLEY_EXPORT_FORMAT_NEWSML:
      newsml_article (self, s, data);
      break;
    case GALLEY_EXPORT_FORMAT_DOCX:
      docx_article (self, s, data);
      break;
    case GALLEY_EXPORT_FORMAT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

static void
write_footer (GalleyExportSink *self,
              GString          *s)
{
  switch (self->format)
    {
    case GALLEY_EXPORT_FORMAT_HTML:
      g_string_append (s, "</main>\n</body>\n</html>\n");
      break;
    case GALLEY_EXPORT_FORMAT_NEWSML:
      if (self->combined)
        g_string_append (s, "</itemSet>\n</newsMessage>\n");
      break;
    case GALLEY_EXPORT_FORMAT_DOCX:
      g_string_append (s,
                       "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
                       "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\""
                       " w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/></w:sectPr>"
                       "</w:body></w:document>\n");
      break;
    case GALLEY_EXPORT_FORMAT_TXT:
    case GALLEY_EXPORT_FORMAT_MARKDOWN:
    case GALLEY_EXPORT_FORMAT_JSONL:
    case GALLEY_EXPORT_FORMAT_CSV:
    case GALLEY_EXPORT_FORMAT_UNKNOWN:
    default:
      break;
    }
}

/* Moves self->text to the current document: the DOCX body entry or the
 * main file (the scratch file for a combined HTML page). */
static gboolean
emit (GalleyExportSink  *self,
      GCancellable      *cancellable,
      GError           **error)
{
  gboolean ok;

  if (self->archive != NULL)
    {
      if (self->text->len > 0 &&
          archive_write_data (self->archive, self->text->str, self->text->len) < 0)
        ok = archive_check (self, ARCHIVE_FATAL, error);
      else
        ok = TRUE;
    }
  else
    ok = output_write (self->scratch != NULL ? self->scratch : self->main,
                       self->text->str, self->text->len, cancellable, error);

  g_string_truncate (self->text, 0);
  return ok;
}

static GFile *
dup_side_file (GFile      *file,
               const char *suffix)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *base = g_file_get_basename (file);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, suffix, NULL);
  return g_file_get_child (parent, name);
}

static gboolean
write_side (GalleyExportSink         *self,
            const GalleyArticleData  *data,
            GCancellable             *cancellable,
            GError                  **error)
{
  gboolean ok;

  g_string_truncate (self->text, 0);
  append_json_provenance (self->text, data);
  g_string_append_c (self->text, '\n');
  ok = output_write (self->side, self->text->str, self->text->len, cancellable, error);
  g_string_truncate (self->text, 0);
  return ok;
}

GalleyExportSink *
galley_export_sink_new (GalleyExportFormat          format,
                        const GalleyExportOptions  *options,
                        GError                    **error)
{
  g_autoptr(GalleyExportSink) self = NULL;

  g_return_val_if_fail (format_is_valid (format), NULL);
  g_return_val_if_fail (options != NULL && options->output != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (GalleyExportSink, 1);
  self->format = format;
  self->combined = options->combined;
  self->provenance = options->provenance;
  self->overwrite = options->overwrite;
  self->pattern = g_strdup (options->name_pattern);
  self->collection_title = g_strdup (options->collection_title);
  self->text = g_string_sized_new (16 * 1024);
  self->used_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (self->combined ? !formats[format].can_combine : !formats[format].can_split)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   self->combined
                   /* Translators: %s is the name of an export format */
                   ? _("%s cannot hold several articles in one file")
                   /* Translators: %s is the name of an export format */
                   : _("%s cannot write one file per article"),
                   galley_export_format_get_label (format));
      return NULL;
    }

  if (self->combined)
    {
      self->output = g_file_new_for_path (options->output);
      self->folder = g_file_get_parent (self->output);
      if (self->folder == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       _("Choose a file name for the export"));
          return NULL;
        }

      self->main = output_open (self->folder, self->output, self->overwrite, NULL, error);
      if (self->main == NULL)
        return NULL;
      if (self->provenance && format != GALLEY_EXPORT_FORMAT_JSONL)
        {
          g_autoptr(GFile) side = dup_side_file (self->output, ".provenance.jsonl");

          self->side = output_open (self->folder, side, self->overwrite, NULL, error);
          if (self->side == NULL)
            return NULL;
        }
      if (format == GALLEY_EXPORT_FORMAT_HTML)
        {
          self->scratch = output_open (self->folder, NULL, TRUE, NULL, error);
          if (self->scratch == NULL)
            return NULL;
          self->toc = g_string_new (NULL);
        }
      if (format == GALLEY_EXPORT_FORMAT_DOCX && !docx_begin (self, error))
        return NULL;

      write_header (self, self->text, NULL);
      if (!emit (self, NULL, error))
        return NULL;
    }
  else
    {
      self->folder = g_file_new_for_path (options->output);
      if (g_file_query_file_type (self->folder, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
        {
          g_autofree char *name = g_file_get_parse_name (self->folder);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                       /* Translators: %s is a folder name */
                       _("The folder “%s” does not exist"), name);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/* A unique (within this export) base name for the article's files. */
static char *
claim_base_name (GalleyExportSink        *self,
                 const GalleyArticleData *data)
{
  g_autofree char *base = dup_base_name (self->pattern, data);

  for (guint n = 1; ; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);
      g_autofree char *key = g_utf8_casefold (candidate, -1);

      if (!g_hash_table_contains (self->used_names, key))
        {
          g_hash_table_add (self->used_names, g_steal_pointer (&key));
          return g_steal_pointer (&candidate);
        }
    }
}

static gboolean
add_split (GalleyExportSink         *self,
           const GalleyArticleData  *data,
           GCancellable             *cancellable,
           GError                  **error)
{
  g_autofree char *base = claim_base_name (self, data);
  g_autofree char *name = g_strconcat (base, ".", formats[self->format].extension, NULL);
  g_autoptr(GFile) file = g_file_get_child (self->folder, name);

  self->main = output_open (self->folder, file, self->overwrite, cancellable, error);
  if (self->main == NULL)
    return FALSE;

  if (self->provenance)
    {
      g_autofree char *side_name = g_strconcat (base, ".provenance.json", NULL);
      g_autoptr(GFile) side_file = g_file_get_child (self->folder, side_name);

      self->side = output_open (self->folder, side_file, self->overwrite, cancellable, error);
      if (self->side == NULL || !write_side (self, data, cancellable, error))
        return FALSE;
    }

  if (self->format == GALLEY_EXPORT_FORMAT_DOCX && !docx_begin (self, error))
    return FALSE;

  write_header (self, self->text, data);
  write_article (self, self->text, data);
  write_footer (self, self->text);
  if (!emit (self, cancellable, error))
    return FALSE;

  if (self->format == GALLEY_EXPORT_FORMAT_DOCX && !docx_end (self, data, error))
    return FALSE;

  if (!output_commit (self->main, self->overwrite, cancellable, error))
    return FALSE;
  g_clear_pointer (&self->main, output_free);

  if (self->side != NULL)
    {
      if (!output_commit (self->side, self->overwrite, cancellable, error))
        return FALSE;
      g_clear_pointer (&self->side, output_free);
    }
  return TRUE;
}

gboolean
galley_export_sink_add (GalleyExportSink         *self,
                        const GalleyArticleData  *data,
                        GCancellable             *cancellable,
                        GError                  **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (!self->failed && !self->finished, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  else if (!self->combined)
    ok = add_split (self, data, cancellable, error);
  else
    {
      write_article (self, self->text, data);
      ok = emit (self, cancellable, error);
      if (ok && self->side != NULL)
        ok = write_side (self, data, cancellable, error);
    }

  if (!ok)
    {
      self->failed = TRUE;
      g_clear_pointer (&self->archive, archive_write_free);
      g_clear_pointer (&self->main, output_free);
      g_clear_pointer (&self->side, output_free);
      g_clear_pointer (&self->scratch, output_free);
      return FALSE;
    }

  self->n_written++;
  return TRUE;
}

/* The combined HTML page: head and table of contents, then the articles
 * gathered in the scratch file. */
static gboolean
finish_html (GalleyExportSink  *self,
             GCancellable      *cancellable,
             GError           **error)
{
  const char *title = collection_title (self);
  g_autoptr(GFileInputStream) in = NULL;

  html_head (self->text, title);
  g_string_append (self->text, "<header>\n<h1>");
  append_xml (self->text, title);
  g_string_append (self->text, "</h1>\n</header>\n<nav>\n<h2>");
  /* Translators: heading of the table of contents in an exported web page */
  append_xml (self->text, _("Contents"));
  g_string_append (self->text, "</h2>\n<ol>\n");
  g_string_append_len (self->text, self->toc->str, self->toc->len);
  g_string_append (self->text, "</ol>\n</nav>\n");

  if (!output_write (self->main, self->text->str, self->text->len, cancellable, error) ||
      !output_flush (self->main, cancellable, error) ||
      !output_close (self->scratch, cancellable, error))
    return FALSE;
  g_string_truncate (self->text, 0);

  in = g_file_read (self->scratch->tmp, cancellable, error);
  if (in == NULL ||
      g_output_stream_splice (self->main->stream, G_INPUT_STREAM (in),
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, cancellable, error) < 0)
    return FALSE;
  g_clear_pointer (&self->scratch, output_free);
  return TRUE;
}

gboolean
galley_export_sink_finish (GalleyExportSink  *self,
                           GCancellable      *cancellable,
                           GError           **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->failed && !self->finished, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->combined)
    {
      if (self->format == GALLEY_EXPORT_FORMAT_HTML)
        ok = finish_html (self, cancellable, error);

      if (ok)
        {
          write_footer (self, self->text);
          ok = emit (self, cancellable, error);
        }
      if (ok && self->format == GALLEY_EXPORT_FORMAT_DOCX)
        ok = docx_end (self, NULL, error);
      if (ok)
        ok = output_commit (self->main, self->overwrite, cancellable, error);
      if (ok && self->side != NULL)
        ok = output_commit (self->side, self->overwrite, cancellable, error);
    }

  /* Committed outputs have no temporary file left; the others are removed. */
  g_clear_pointer (&self->archive, archive_write_free);
  g_clear_pointer (&self->main, output_free);
  g_clear_pointer (&self->side, output_free);
  g_clear_pointer (&self->scratch, output_free);

  if (!ok)
    {
      self->failed = TRUE;
      return FALSE;
    }
  self->finished = TRUE;
  return TRUE;
}

guint
galley_export_sink_get_n_written (GalleyExportSink *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_written;
}

void
galley_export_sink_free (GalleyExportSink *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->archive, archive_write_free);
  g_clear_pointer (&self->main, output_free);
  g_clear_pointer (&self->side, output_free);
  g_clear_pointer (&self->scratch, output_free);
  g_clear_object (&self->folder);
  g_clear_object (&self->output);
  if (self->toc != NULL)
    g_string_free (self->toc, TRUE);
  g_string_free (self->text, TRUE);
  g_hash_table_unref (self->used_names);
  g_free (self->pattern);
  g_free (self->collection_title);
  g_free (self);
}

gint64
galley_export_store (GalleyStore               *store,
                     const GalleyArticleQuery  *query,
                     GalleyExportFormat         format,
                     const GalleyExportOptions *options,
                     GalleyExportProgress       progress,
                     gpointer                   user_data,
                     GCancellable              *cancellable,
                     GError                   **error)
{
  g_autoptr(GalleyExportSink) sink = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (GALLEY_IS_STORE (store), -1);
  g_return_val_if_fail (options != NULL, -1);

  if ((ids = galley_store_list_ids (store, query, error)) == NULL ||
      (sink = galley_export_sink_new (format, options, error)) == NULL)
    return -1;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GalleyArticleData) data =
        galley_store_get_article (store, g_array_index (ids, gint64, i), options->provenance, error);

      if (data == NULL || !galley_export_sink_add (sink, data, cancellable, error))
        return -1;
      if (progress != NULL)
        progress (i + 1, ids->len, user_data);
    }
  if (!galley_export_sink_finish (sink, cancellable, error))
    return -1;
  return ids->len;
}
