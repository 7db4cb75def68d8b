/* galley-taxonomy.c: the hierarchy of topic tags and its shared file format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-taxonomy"

#include "galley-taxonomy.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define GALLEY_HEADER "path\tcode\tlabel_en"
#define IPTC_HEADER   "code\ten\tzh-Hans"

G_DEFINE_QUARK (galley-taxonomy-error-quark, galley_taxonomy_error)

static char *
dup_or_null (const char *s)
{
  return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

GalleyTaxonomyEntry *
galley_taxonomy_entry_new (const char *name,
                           const char *parent,
                           const char *code,
                           const char *label_en)
{
  GalleyTaxonomyEntry *entry;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  entry = g_new (GalleyTaxonomyEntry, 1);
  entry->name = g_strdup (name);
  entry->parent = dup_or_null (parent);
  entry->code = dup_or_null (code);
  entry->label_en = dup_or_null (label_en);
  return entry;
}

GalleyTaxonomyEntry *
galley_taxonomy_entry_copy (const GalleyTaxonomyEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return galley_taxonomy_entry_new (entry->name, entry->parent, entry->code, entry->label_en);
}

void
galley_taxonomy_entry_free (GalleyTaxonomyEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->parent);
  g_free (entry->code);
  g_free (entry->label_en);
  g_free (entry);
}

gboolean
galley_taxonomy_entry_equal (const GalleyTaxonomyEntry *a,
                             const GalleyTaxonomyEntry *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->parent, b->parent) == 0 &&
         g_strcmp0 (a->code, b->code) == 0 &&
         g_strcmp0 (a->label_en, b->label_en) == 0;
}

/* ------------------------------------------------------------------ parsing */

typedef enum {
  FORMAT_NONE,
  FORMAT_GALLEY,
  FORMAT_IPTC,
} Format;

typedef struct {
  GPtrArray  *entries;     /* of GalleyTaxonomyEntry* */
  GArray     *lines;       /* of guint, parallel to entries */
  GPtrArray  *paths;       /* of GStrv: the path components as written, parallel */
  GHashTable *by_name;     /* name (borrowed) -> index + 1 */
} Parser;

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->entries, g_ptr_array_unref);
  g_clear_pointer (&p->lines, g_array_unref);
  g_clear_pointer (&p->paths, g_ptr_array_unref);
  g_clear_pointer (&p->by_name, g_hash_table_unref);
}

/* Takes path (the names as written). */
static gboolean
add_entry (Parser      *p,
           guint        line_no,
           char       **owned_path,
           const char  *code,
           const char  *label_en,
           GError     **error)
{
  g_auto(GStrv) path = owned_path;
  guint depth = g_strv_length (path);
  gboolean empty = depth == 0;
  const char *name;
  guint previous;
  GalleyTaxonomyEntry *entry;

  for (guint i = 0; i < depth; i++)
    empty = empty || *g_strstrip (path[i]) == '\0';
  if (empty)
    {
      g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_SYNTAX,
                   /* Translators: %u is a line number */
                   _("Line %u: a tag name is empty"), line_no);
      return FALSE;
    }

  name = path[depth - 1];
  previous = GPOINTER_TO_UINT (g_hash_table_lookup (p->by_name, name));
  if (previous != 0)
    {
      g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_DUPLICATE,
                   /* Translators: the first %u is a line number, %s a tag name, the second %u another line number */
                   _("Line %u: the tag “%s” is already defined on line %u"),
                   line_no, name, g_array_index (p->lines, guint, previous - 1));
      return FALSE;
    }

  entry = galley_taxonomy_entry_new (name, depth > 1 ? path[depth - 2] : NULL, code, label_en);
  g_ptr_array_add (p->entries, entry);
  g_array_append_val (p->lines, line_no);
  g_ptr_array_add (p->paths, g_steal_pointer (&path));
  g_hash_table_insert (p->by_name, entry->name, GUINT_TO_POINTER (p->entries->len));
  return TRUE;
}

/* Every parent exists, no tag is its own ancestor, and each path agrees
 * with its parent's path; linear in the size of the file. */
static gboolean
check_hierarchy (Parser  *p,
                 GError **error)
{
  guint n = p->entries->len;
  g_autofree guint *parent = g_new (guint, n);  /* index + 1, 0 at the top */
  g_autofree guint *state = g_new0 (guint, n);  /* 0 unseen, i + 1 walking from i, G_MAXUINT done */

  for (guint i = 0; i < n; i++)
    {
      const GalleyTaxonomyEntry *e = g_ptr_array_index (p->entries, i);

      parent[i] = e->parent != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (p->by_name, e->parent)) : 0;
      if (e->parent != NULL && parent[i] == 0)
        {
          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_PARENT,
                       /* Translators: %u is a line number, %s a tag name */
                       _("Line %u: the parent tag “%s” is not defined"),
                       g_array_index (p->lines, guint, i), e->parent);
          return FALSE;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      guint at = i;

      while (state[at] == 0)
        {
          state[at] = i + 1;
          if (parent[at] == 0)
            break;
          at = parent[at] - 1;
        }
      if (state[at] == i + 1 && parent[at] != 0)
        {
          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_CYCLE,
                       /* Translators: %u is a line number, %s a tag name */
                       _("Line %u: the tag “%s” would be its own ancestor"),
                       g_array_index (p->lines, guint, at),
                       ((GalleyTaxonomyEntry *) g_ptr_array_index (p->entries, at))->name);
          return FALSE;
        }
      for (at = i; state[at] == i + 1; at = parent[at] - 1)
        {
          state[at] = G_MAXUINT;
          if (parent[at] == 0)
            break;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      char **path = g_ptr_array_index (p->paths, i);
      char **above;
      guint depth = g_strv_length (path);
      gboolean same;

      if (parent[i] == 0)
        continue;
      above = g_ptr_array_index (p->paths, parent[i] - 1);
      same = g_strv_length (above) == depth - 1;
      for (guint d = 0; same && d + 1 < depth; d++)
        same = strcmp (above[d], path[d]) == 0;
      if (!same)
        {
          g_autofree char *written = g_strjoinv ("/", above);

          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_PARENT,
                       /* Translators: the first %u is a line number, %s a tag path, the second %u another line number */
                       _("Line %u: the path disagrees with “%s” on line %u"),
                       g_array_index (p->lines, guint, i), written,
                       g_array_index (p->lines, guint, parent[i] - 1));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_line (Parser      *p,
            Format      *format,
            guint        line_no,
            const char  *line,
            GError     **error)
{
  g_auto(GStrv) columns = NULL;
  const char *code;
  guint n;

  if (*format == FORMAT_NONE)
    {
      if (strcmp (line, GALLEY_HEADER) == 0)
        *format = FORMAT_GALLEY;
      else if (strcmp (line, IPTC_HEADER) == 0)
        *format = FORMAT_IPTC;
      else
        {
          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_SYNTAX,
                       /* Translators: %u is a line number; keep the column names path, code, label_en untranslated */
                       _("Line %u: expected the header “path, code, label_en” separated by tabs"),
                       line_no);
          return FALSE;
        }
      return TRUE;
    }

  columns = g_strsplit (line, "\t", -1);
  n = g_strv_length (columns);
  for (guint i = 0; i < n; i++)
    g_strstrip (columns[i]);

  code = *format == FORMAT_IPTC ? columns[0] : n >= 2 ? columns[1] : NULL;
  if (code != NULL && strpbrk (code, " /") != NULL)
    {
      g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_SYNTAX,
                   /* Translators: %u is a line number, %s a code such as medtop:15000000 */
                   _("Line %u: “%s” is not a topic code"),
                   line_no, code);
      return FALSE;
    }
  if (*format == FORMAT_IPTC)
    {
      char **path;

      /* (a name starting with '#' would be written back as a comment) */
      if (n != 3 || *columns[0] == '\0' || *columns[2] == '\0' || *columns[2] == '#' ||
          strchr (columns[2], '/') != NULL)
        {
          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_SYNTAX,
                       /* Translators: %u is a line number */
                       _("Line %u: expected a code, an English label and a Chinese name separated by tabs"),
                       line_no);
          return FALSE;
        }
      path = g_new0 (char *, 2);
      path[0] = g_strdup (columns[2]);
      return add_entry (p, line_no, path, code, columns[1], error);
    }

  if (n > 3)
    {
      g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_SYNTAX,
                   /* Translators: %u is a line number */
                   _("Line %u: too many columns (expected path, code, label_en)"),
                   line_no);
      return FALSE;
    }
  return add_entry (p, line_no, g_strsplit (columns[0], "/", -1),
                    code, n >= 3 ? columns[2] : NULL, error);
}

/* NUL and other control characters but tab: binary data, not a taxonomy. */
static gboolean
has_control (const char *start,
             const char *end)
{
  for (const char *p = start; p < end; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      return TRUE;
  return FALSE;
}

GPtrArray *
galley_taxonomy_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  Parser p;
  Format format = FORMAT_NONE;
  const char *line = data;
  const char *end_of_data = data + length;
  guint line_no = 0;
  GPtrArray *result;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  p.entries = g_ptr_array_new_with_free_func ((GDestroyNotify) galley_taxonomy_entry_free);
  p.lines = g_array_new (FALSE, FALSE, sizeof (guint));
  p.paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  p.by_name = g_hash_table_new (g_str_hash, g_str_equal);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    line += 3;

  while (line < end_of_data)
    {
      const char *nl = memchr (line, '\n', (gsize) (end_of_data - line));
      const char *end = nl != NULL ? nl : end_of_data;
      g_autofree char *text = NULL;
      char first;

      line_no++;
      if (end > line && end[-1] == '\r')
        end--;
      if ((gsize) (end - line) > GALLEY_TAXONOMY_MAX_LINE)
        {
          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_SYNTAX,
                       /* Translators: the first %u is a line number, the second a number of bytes */
                       _("Line %u is longer than %u bytes"),
                       line_no, (guint) GALLEY_TAXONOMY_MAX_LINE);
          goto fail;
        }
      if (has_control (line, end) || !g_utf8_validate (line, end - line, NULL))
        {
          g_set_error (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_ENCODING,
                       /* Translators: %u is a line number */
                       _("Line %u is not UTF-8 text; is this a taxonomy file?"),
                       line_no);
          goto fail;
        }
      text = g_strndup (line, (gsize) (end - line));
      line = nl != NULL ? nl + 1 : end_of_data;

      first = text[strspn (text, " \t")];
      if (first == '#' || first == '\0')
        continue;
      if (!parse_line (&p, &format, line_no, text, error))
        goto fail;
    }

  if (p.entries->len == 0)
    {
      g_set_error_literal (error, GALLEY_TAXONOMY_ERROR, GALLEY_TAXONOMY_ERROR_EMPTY,
                           _("The taxonomy defines no tags"));
      goto fail;
    }
  if (!check_hierarchy (&p, error))
    goto fail;

  result = g_steal_pointer (&p.entries);
  parser_clear (&p);
  return result;

fail:
  parser_clear (&p);
  return NULL;
}

GPtrArray *
galley_taxonomy_load (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  GPtrArray *entries;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  entries = galley_taxonomy_parse (contents, length, error);
  if (entries == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_prefix_error (error, "%s: ", display);
    }
  return entries;
}

/* ------------------------------------------------------------------ writing */

static GHashTable *
index_names (GPtrArray *entries)
{
  GHashTable *by_name = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < entries->len; i++)
    {
      GalleyTaxonomyEntry *e = g_ptr_array_index (entries, i);

      g_hash_table_insert (by_name, e->name, e);
    }
  return by_name;
}

/* Walks at most entries->len parents, so a cycle cannot hang it. */
static char *
path_of (GPtrArray                 *entries,
         GHashTable                *by_name,
         const GalleyTaxonomyEntry *e)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *path = g_string_new (NULL);

  while (e != NULL && names->len <= entries->len)
    {
      g_ptr_array_add (names, e->name);
      e = e->parent != NULL ? g_hash_table_lookup (by_name, e->parent) : NULL;
    }
  for (guint i = names->len; i-- > 0;)
    {
      g_string_append (path, g_ptr_array_index (names, i));
      if (i > 0)
        g_string_append_c (path, '/');
    }
  return g_string_free (path, FALSE);
}

char *
galley_taxonomy_dup_path (GPtrArray *entries,
                          guint      index)
{
  g_autoptr(GHashTable) by_name = NULL;

  g_return_val_if_fail (entries != NULL, NULL);
  g_return_val_if_fail (index < entries->len, NULL);

  by_name = index_names (entries);
  return path_of (entries, by_name, g_ptr_array_index (entries, index));
}

/* What parse() would read back unchanged. */
static gboolean
is_clean_field (const char *s)
{
  gsize len = s != NULL ? strlen (s) : 0;

  return s == NULL ||
         (len > 0 && strpbrk (s, "\t\r\n") == NULL && g_utf8_validate (s, -1, NULL) &&
          !g_ascii_isspace (s[0]) && !g_ascii_isspace (s[len - 1]));
}

char *
galley_taxonomy_write (GPtrArray *entries)
{
  g_autoptr(GHashTable) by_name = NULL;
  GString *out;

  g_return_val_if_fail (entries != NULL, NULL);

  by_name = index_names (entries);
  out = g_string_new ("# Galley taxonomy: tag path (names joined by '/'), IPTC Media Topic code, English label\n"
                      GALLEY_HEADER "\n");
  for (guint i = 0; i < entries->len; i++)
    {
      const GalleyTaxonomyEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *path = NULL;

      g_return_val_if_fail (is_clean_field (e->name) && strchr (e->name, '/') == NULL &&
                            (e->parent != NULL || e->name[0] != '#'),
                            g_string_free (out, TRUE));
      g_return_val_if_fail (is_clean_field (e->code) && is_clean_field (e->label_en),
                            g_string_free (out, TRUE));

      path = path_of (entries, by_name, e);
      g_string_append_printf (out, "%s\t%s\t%s\n", path,
                              e->code != NULL ? e->code : "",
                              e->label_en != NULL ? e->label_en : "");
    }
  return g_string_free (out, FALSE);
}

gboolean
galley_taxonomy_save (GPtrArray   *entries,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = galley_taxonomy_write (entries);
  g_return_val_if_fail (text != NULL, FALSE);
  return g_file_set_contents (path, text, -1, error);
}
