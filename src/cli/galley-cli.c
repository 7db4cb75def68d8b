/* galley-cli.c: Galley's archive from scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "galley-cli"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "galley-article.h"
#include "galley-clean.h"
#include "galley-confusion.h"
#include "galley-export.h"
#include "galley-import.h"
#include "galley-resegment.h"
#include "galley-store-edit.h"
#include "galley-store.h"
#include "galley-store-tags.h"
#include "galley-suggest.h"
#include "galley-taxonomy.h"
#include "galley-text.h"

typedef struct {
  const char *database;
} Globals;

typedef int (*CommandFunc) (const Globals *globals,
                            int            argc,
                            char         **argv);

typedef struct {
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

static void
print_error (const char *context,
             GError     *error)
{
  if (context != NULL)
    /* Translators: an error on the command line: "FILE: reason" */
    g_printerr (_("%s: %s\n"), context, error->message);
  else
    g_printerr ("%s\n", error->message);
}

static GalleyStore *
open_store (const Globals *globals)
{
  g_autoptr(GError) error = NULL;
  GalleyStore *store = galley_store_open (globals->database, &error);

  if (store == NULL)
    print_error (globals->database, error);
  else if (!galley_store_add_default_tags (store, &error))
    /* Translators: %s says why the default tags are missing */
    g_printerr (_("Note: %s\n"), error->message);
  return store;
}

/* Parses a command's options; prints its usage on error. */
static gboolean
parse_options (const char         *command,
               const char         *args,
               const GOptionEntry *entries,
               int                *argc,
               char             ***argv)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", command, args);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error (command, error);
      return FALSE;
    }
  return TRUE;
}

/* --rules and --no-rule options shared by import and clean */
typedef struct {
  char  *only;
  char **disabled;
} RuleOptions;

#define RULE_OPTION_ENTRIES(o) \
    { "rules", 0, 0, G_OPTION_ARG_STRING, &(o).only, \
      N_("Run only these clean-up rules (comma-separated)"), N_("RULES") }, \
    { "no-rule", 0, 0, G_OPTION_ARG_STRING_ARRAY, &(o).disabled, \
      N_("Do not run this clean-up rule (repeatable)"), N_("RULE") }

static gboolean
rules_from_options (const RuleOptions *options,
                    GalleyRule        *rules)
{
  *rules = GALLEY_RULES_ALL;
  if (options->only != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (options->only, ",", -1);

      *rules = 0;
      for (guint i = 0; ids[i] != NULL; i++)
        {
          GalleyRule rule = galley_rule_from_id (g_strstrip (ids[i]));

          if (rule == 0)
            {
              /* Translators: %s is a rule name the user typed */
              g_printerr (_("Unknown clean-up rule “%s”\n"), ids[i]);
              return FALSE;
            }
          *rules |= rule;
        }
    }
  for (guint i = 0; options->disabled != NULL && options->disabled[i] != NULL; i++)
    {
      GalleyRule rule = galley_rule_from_id (options->disabled[i]);

      if (rule == 0)
        {
          g_printerr (_("Unknown clean-up rule “%s”\n"), options->disabled[i]);
          return FALSE;
        }
      *rules &= ~rule;
    }
  return TRUE;
}

static GalleyConfusions *
load_confusions (GalleyRule rules)
{
  g_autoptr(GError) error = NULL;
  GalleyConfusions *confusions;

  if (!(rules & GALLEY_RULE_CONFUSION))
    return NULL;
  confusions = galley_confusions_new_default (&error);
  if (error != NULL)
    /* Translators: %s says why look-alike characters are not flagged */
    g_printerr (_("Note: %s\n"), error->message);
  return confusions;
}

/* The look-alike data and the editors' own known corrections, which
 * imports flag as suspects. */
static gboolean
load_suspects (GalleyStore       *store,
               GalleyRule         rules,
               GalleyConfusions **confusions)
{
  g_autoptr(GError) error = NULL;

  *confusions = load_confusions (rules);
  if (*confusions != NULL && !galley_store_load_known_corrections (store, *confusions, &error))
    {
      print_error (NULL, error);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  guint imported, duplicates, failed, articles;
} ImportCounts;

static void
print_import_result (GalleyImportResult *result,
                   gpointer            user_data)
{
  ImportCounts *counts = user_data;

  switch (result->status)
    {
    case GALLEY_IMPORT_IMPORTED:
      counts->imported++;
      counts->articles += result->n_articles;
      /* Translators: FILE: N articles (ENCODING) */
      g_print (ngettext ("%s: %u article (%s)\n", "%s: %u articles (%s)\n",
                         result->n_articles),
               result->path, result->n_articles, result->encoding);
      break;
    case GALLEY_IMPORT_DUPLICATE:
      counts->duplicates++;
      /* Translators: FILE: skipped, … OTHER FILE */
      g_print (_("%s: skipped, the same file was imported as “%s”\n"),
               result->path, result->duplicate_of);
      break;
    case GALLEY_IMPORT_FAILED:
    default:
      counts->failed++;
      print_error (result->path, result->error);
    }
  galley_import_result_free (result);
}

static int
cmd_import (const Globals *globals,
            int            argc,
            char         **argv)
{
  RuleOptions rule_options = { 0 };
  int year = 0;
  const GOptionEntry entries[] = {
    { "year", 'y', 0, G_OPTION_ARG_INT, &year,
      N_("Year of dates printed without one"), N_("YEAR") },
    RULE_OPTION_ENTRIES (rule_options),
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) failures =
    g_ptr_array_new_with_free_func ((GDestroyNotify) galley_import_result_free);
  g_autoptr(GPtrArray) files = NULL;
  GalleyImportOptions options = { 0 };
  ImportCounts counts = { 0 };
  int status = 0;

  if (!parse_options ("import", _("PATH…"), entries, &argc, &argv) ||
      !rules_from_options (&rule_options, &options.rules))
    return 2;
  if (argc < 2)
    {
      g_printerr (_("import: name at least one file or folder\n"));
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;

  if (!load_suspects (store, options.rules, &confusions))
    return 1;
  options.confusions = confusions;
  options.year = year;

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (inputs, g_file_new_for_commandline_arg (argv[i]));
  files = galley_import_collect ((GFile **) inputs->pdata, inputs->len, NULL, failures);

  galley_import_files (store, files, &options, NULL, print_import_result, &counts);
  for (guint i = 0; i < failures->len; i++)
    {
      GalleyImportResult *result = g_ptr_array_index (failures, i);

      counts.failed++;
      print_error (result->path, result->error);
    }

  /* Translators: the summary of an import */
  g_print (_("Imported %u files (%u articles), skipped %u duplicates, %u failed\n"),
           counts.imported, counts.articles, counts.duplicates, counts.failed);
  if (counts.failed > 0)
    status = 1;
  g_strfreev (rule_options.disabled);
  g_free (rule_options.only);
  return status;
}

static gboolean
parse_status (const char  *text,
              const char **status)
{
  static const char * const ids[] = { "to-proofread", "proofread", "approved" };

  *status = NULL;
  if (text == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (g_str_equal (text, ids[i]))
      {
        *status = ids[i];
        return TRUE;
      }
  /* Translators: do not translate the quoted words */
  g_printerr (_("Unknown status “%s”: use to-proofread, proofread or approved\n"), text);
  return FALSE;
}

static int
print_articles (GalleyStore              *store,
                const GalleyArticleQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = galley_store_list_ids (store, query, &error);

  if (ids == NULL)
    {
      print_error (NULL, error);
      return 1;
    }
  /* A block of rows at a time, as the window's list reads them */
  for (guint first = 0; first < ids->len; first += 64)
    {
      GalleyArticleSummary summaries[64];
      guint n = MIN (64, ids->len - first);

      galley_store_get_summaries (store, &g_array_index (ids, gint64, first), n, summaries,
                                  &error);
      for (guint i = 0; i < n; i++)
        {
          const GalleyArticleSummary *s = &summaries[i];

          if (error == NULL && s->id != 0)
            g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s#%u\t%u\t%s\n",
                     s->id, s->status, s->date != NULL ? s->date : "-",
                     s->source_name, s->position, s->pending, s->title);
          galley_article_summary_clear (&summaries[i]);
        }
      if (error != NULL)
        {
          print_error (NULL, error);
          return 1;
        }
    }
  return 0;
}

static int
cmd_list (const Globals *globals,
          int            argc,
          char         **argv)
{
  g_autofree char *status = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *sort = NULL;
  gboolean untagged = FALSE;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only articles with this status (to-proofread, proofread, approved)"), N_("STATUS") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, N_("Only articles with this tag or one of its subtags"),
      N_("TAG") },
    { "untagged", 0, 0, G_OPTION_ARG_NONE, &untagged, N_("Only articles no editor tagged"), NULL },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort,
      N_("Order: page (default), date or changes"), N_("ORDER") },
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  GalleyArticleQuery query = { 0 };

  if (!parse_options ("list", "", entries, &argc, &argv) ||
      !parse_status (status, &query.status))
    return 2;
  query.tag = tag;
  query.untagged = untagged;
  if (g_strcmp0 (sort, "date") == 0)
    query.sort = GALLEY_SORT_DATE;
  else if (g_strcmp0 (sort, "changes") == 0)
    query.sort = GALLEY_SORT_CHANGES_LEFT;
  else if (sort != NULL && g_strcmp0 (sort, "page") != 0)
    {
      g_printerr (_("Unknown order “%s”: use page, date or changes\n"), sort);
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;
  if (tag != NULL)
    {
      g_autoptr(GError) error = NULL;
      gint64 tag_id = galley_store_find_tag (store, tag, &error);

      if (tag_id < 0)
        {
          print_error (NULL, error);
          return 1;
        }
      if (tag_id == 0)
        {
          /* A mistyped tag is not an empty list. */
          g_printerr (_("There is no tag “%s”\n"), tag);
          return 1;
        }
    }
  return print_articles (store, &query);
}

static int
cmd_search (const Globals *globals,
            int            argc,
            char         **argv)
{
  g_autoptr(GalleyStore) store = NULL;
  g_autofree char *words = NULL;
  GalleyArticleQuery query = { 0 };

  if (!parse_options ("search", _("WORDS…"), NULL, &argc, &argv))
    return 2;
  if (argc < 2)
    {
      g_printerr (_("search: say what to look for\n"));
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;
  words = g_strjoinv (" ", argv + 1);
  query.search = words;
  return print_articles (store, &query);
}

static void
print_field (const char *label,
             const char *value)
{
  if (value != NULL && value[0] != '\0')
    /* Translators: a field of an article and its value, as in “Title: …” */
    g_print (_("%s: %s\n"), label, value);
}

static void
print_list (const char  *label,
            char       **values,
            const char  *separator)
{
  g_autofree char *joined = NULL;

  if (values == NULL || values[0] == NULL)
    return;
  joined = g_strjoinv (separator, values);
  print_field (label, joined);
}

static int
cmd_show (const Globals *globals,
          int            argc,
          char         **argv)
{
  gboolean original = FALSE;
  const GOptionEntry entries[] = {
    { "original", 0, 0, G_OPTION_ARG_NONE, &original,
      N_("Also print the OCR original"), NULL },
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GalleyArticleData) article = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  if (!parse_options ("show", _("ID"), entries, &argc, &argv))
    return 2;
  if (argc != 2 || !g_ascii_string_to_signed (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    {
      g_printerr (_("show: give one article number\n"));
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;
  if ((article = galley_store_get_article (store, id, FALSE, &error)) == NULL)
    {
      print_error (NULL, error);
      return 1;
    }
  print_field (_("Kicker"), article->kicker);
  print_field (_("Title"), article->title);
  print_field (_("Subtitle"), article->subtitle);
  print_field (_("Byline"), article->byline);
  print_list (_("Reporters"), article->reporters, _(", "));
  print_list (_("Correspondents"), article->correspondents, _(", "));
  print_field (_("Date"), article->date);
  print_field (_("Source"), article->source_file);
  print_field (_("Status"), galley_status_get_label (article->status));
  /* Translators: between the tags of an article; tag names may hold
   * commas, and the Chinese IPTC ones hold 、 */
  print_list (_("Tags"), article->tags, _("; "));
  g_print ("\n%s\n", article->body);
  print_list (_("Captions"), article->captions, _(", "));
  if (original)
    g_print ("\n%s\n%s\n", _("OCR original:"), article->original);
  return 0;
}

static int
cmd_stats (const Globals *globals,
           int            argc,
           char         **argv)
{
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GalleyStoreStats stats = { 0 };

  if (!parse_options ("stats", "", NULL, &argc, &argv))
    return 2;
  if ((store = open_store (globals)) == NULL)
    return 1;
  if (!galley_store_get_stats (store, &stats, &error))
    {
      print_error (NULL, error);
      return 1;
    }
  g_print (_("Files: %u\n"), stats.sources);
  g_print (_("Articles: %u\n"), stats.articles);
  g_print (_("  to proofread: %u\n"), stats.to_proofread);
  g_print (_("  proofread: %u\n"), stats.proofread);
  g_print (_("  approved: %u\n"), stats.approved);
  g_print (_("Changes to review: %u\n"), stats.pending_changes);
  g_print (_("Tags: %u\n"), stats.tags);
  g_print (_("Untagged articles: %u\n"), stats.untagged);
  return 0;
}

static int
cmd_check (const Globals *globals,
           int            argc,
           char         **argv)
{
  gboolean repair = FALSE, repairable = FALSE;
  const GOptionEntry entries[] = {
    { "repair", 0, 0, G_OPTION_ARG_NONE, &repair,
      N_("Rebuild the search indexes and the counts when they are wrong"), NULL },
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  if (!parse_options ("check", "", entries, &argc, &argv))
    return 2;
  if ((store = open_store (globals)) == NULL)
    return 1;
  if ((problems = galley_store_check (store, &repairable, &error)) != NULL &&
      problems->len > 0 && repair && repairable)
    {
      for (guint i = 0; i < problems->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (problems, i));
      g_print ("%s\n", _("Repairing…"));
      g_clear_pointer (&problems, g_ptr_array_unref);
      if (galley_store_repair (store, &error))
        problems = galley_store_check (store, &repairable, &error);
    }
  if (problems == NULL)
    {
      print_error (NULL, error);
      return 1;
    }
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
  if (problems->len > 0 && repairable && !repair)
    g_printerr ("%s\n", _("“galley-cli check --repair” repairs these problems"));
  else if (problems->len > 0 && repair)
    g_printerr ("%s\n", _("Galley cannot repair a damaged or read-only archive"));
  if (problems->len > 0)
    return 1;
  g_print ("%s\n", _("The archive is sound"));
  return 0;
}

static int
cmd_clean (const Globals *globals,
           int            argc,
           char         **argv)
{
  RuleOptions rule_options = { 0 };
  gboolean changes = FALSE;
  const GOptionEntry entries[] = {
    { "changes", 'c', 0, G_OPTION_ARG_NONE, &changes,
      N_("List the changes instead of the clean text"), NULL },
    RULE_OPTION_ENTRIES (rule_options),
    { NULL }
  };
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GalleyCleanResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *text = NULL;
  GalleyRule rules;
  gsize len = 0;
  int status = 0;

  if (!parse_options ("clean", _("FILE"), entries, &argc, &argv) ||
      !rules_from_options (&rule_options, &rules))
    status = 2;
  else if (argc != 2)
    {
      g_printerr (_("clean: name one file (- for standard input)\n"));
      status = 2;
    }
  g_strfreev (rule_options.disabled);
  g_free (rule_options.only);
  if (status != 0)
    return status;

  if (g_str_equal (argv[1], "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error) < 0)
        {
          print_error ("-", error);
          return 1;
        }
      len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
      bytes = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
    }
  else if (!g_file_get_contents (argv[1], &bytes, &len, &error))
    {
      print_error (NULL, error);
      return 1;
    }
  if ((text = galley_text_decode (bytes, len, NULL, &error)) == NULL)
    {
      print_error (argv[1], error);
      return 1;
    }

  confusions = load_confusions (rules);
  result = galley_clean (text, -1, rules, confusions);
  if (!changes)
    {
      g_print ("%s\n", result->text);
      return 0;
    }
  for (guint i = 0; i < result->changes->len; i++)
    {
      const GalleyChange *change = g_ptr_array_index (result->changes, i);
      g_autofree char *before = g_strescape (change->before, "\xe2\x80\x9c\xe2\x80\x9d");
      g_autofree char *after = g_strescape (change->after, "\xe2\x80\x9c\xe2\x80\x9d");

      g_print ("%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "\t%s\t%s\t“%s” → “%s”\t%.2f\n",
               change->orig_start, change->orig_end, galley_rule_to_id (change->rule),
               change->kind == GALLEY_CHANGE_SUSPECT ? "suspect" : "edit",
               before, after, change->confidence);
    }
  return 0;
}

/* Copies a file to standard output. */
static gboolean
cat_file (const char  *path,
          GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (1, FALSE);

  return in != NULL &&
         g_output_stream_splice (out, G_INPUT_STREAM (in), G_OUTPUT_STREAM_SPLICE_NONE,
                                 NULL, error) >= 0 &&
         g_output_stream_flush (out, NULL, error);
}

static int
cmd_export (const Globals *globals,
            int            argc,
            char         **argv)
{
  g_autofree char *format_id = NULL;
  g_autofree char *output = NULL;
  g_autofree char *search = NULL;
  g_autofree char *status = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *temp_file = NULL;
  gboolean provenance = FALSE, force = FALSE, approved = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_id,
      N_("txt, markdown, html, jsonl, csv, newsml or docx"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("A file, or a folder for one file per article (default: standard output)"),
      N_("PATH") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only articles with these words"),
      N_("WORDS") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only articles with this status (to-proofread, proofread, approved)"), N_("STATUS") },
    { "approved", 0, 0, G_OPTION_ARG_NONE, &approved, N_("Only approved articles"), NULL },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, N_("Only articles with this tag or one of its subtags"),
      N_("TAG") },
    { "pattern", 0, 0, G_OPTION_ARG_STRING, &pattern,
      N_("File names for one file per article, e.g. {date}-{title}"), N_("PATTERN") },
    { "provenance", 0, 0, G_OPTION_ARG_NONE, &provenance,
      N_("Also write the OCR original and the list of changes"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace files that exist"), NULL },
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GalleyArticleQuery query = { 0 };
  GalleyExportOptions options = { 0 };
  GalleyExportFormat format;
  gint64 n;

  if (!parse_options ("export", "", entries, &argc, &argv) ||
      !parse_status (approved ? "approved" : status, &query.status))
    return 2;
  format = galley_export_format_from_id (format_id != NULL ? format_id : "jsonl");
  if (format == GALLEY_EXPORT_FORMAT_UNKNOWN)
    {
      /* Translators: do not translate the format names */
      g_printerr (_("Unknown format “%s”: use txt, markdown, html, jsonl, csv, newsml or docx\n"),
                  format_id);
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;

  query.search = search;
  query.tag = tag;
  options.name_pattern = pattern;
  options.provenance = provenance;
  options.overwrite = force;
  if (output == NULL)
    {
      /* Standard output: write a file, then copy it out. */
      if ((temp_dir = g_dir_make_tmp (NULL, &error)) == NULL)
        {
          print_error (NULL, error);
          return 1;
        }
      temp_file = g_build_filename (temp_dir, "export", NULL);
      options.output = temp_file;
      options.combined = TRUE;
    }
  else
    {
      options.output = output;
      options.combined = !g_file_test (output, G_FILE_TEST_IS_DIR);
    }

  n = galley_export_store (store, &query, format, &options, NULL, NULL, NULL, &error);
  if (n >= 0 && temp_file != NULL && !cat_file (temp_file, &error))
    n = -1;
  if (temp_file != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (temp_dir, 0, NULL);
      const char *name;

      /* The export may leave a side file (provenance) beside the main one. */
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (temp_dir, name, NULL);
          g_remove (path);
        }
      g_rmdir (temp_dir);
    }
  if (n < 0)
    {
      print_error (output, error);
      return 1;
    }
  if (output != NULL)
    /* Translators: N articles written to PATH */
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "Exported %u article to %s\n",
                             "Exported %u articles to %s\n", (guint) n),
                (guint) n, output);
  return 0;
}

/* Tags */

static gboolean
parse_article_id (const char *text,
                  gint64     *id)
{
  return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

static int
cmd_tag (const Globals *globals,
         int            argc,
         char         **argv)
{
  gboolean untag = g_str_equal (argv[0], "untag");
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new ();
  gint64 article_id = 0;

  if (!parse_options (argv[0], _("ID TAG…"), NULL, &argc, &argv))
    return 2;
  if (argc < 3 || !parse_article_id (argv[1], &article_id))
    {
      /* Translators: %s is the command, tag or untag */
      g_printerr (_("%s: give an article number and one or more tags\n"), argv[0]);
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;
  /* All the tags or none: a missing article or tag changes nothing. */
  if (!galley_store_begin (store, &error))
    goto failed;
  for (int i = 2; i < argc; i++)
    {
      gint64 tag_id = galley_store_find_tag (store, g_strstrip (argv[i]), &error);

      if (tag_id < 0)
        goto failed;
      if (untag)
        {
          if (tag_id == 0)
            {
              galley_store_rollback (store);
              /* Translators: %s is a tag name */
              g_printerr (_("There is no tag “%s”\n"), argv[i]);
              return 1;
            }
          if (!galley_store_untag_article (store, article_id, tag_id, &error))
            goto failed;
          continue;
        }
      if (tag_id == 0)
        {
          if ((tag_id = galley_store_add_tag (store, argv[i], 0, NULL, NULL, &error)) == 0)
            goto failed;
          g_ptr_array_add (made, argv[i]);
        }
      if (!galley_store_tag_article (store, article_id, tag_id, &error))
        goto failed;
    }
  if (!galley_store_commit (store, &error))
    goto failed;
  for (guint i = 0; i < made->len; i++)
    /* Translators: %s is a tag name */
    g_printerr (_("New tag “%s”\n"), (const char *) g_ptr_array_index (made, i));
  return 0;

failed:
  galley_store_rollback (store);
  print_error (NULL, error);
  return 1;
}

static int
cmd_tags (const Globals *globals,
          int            argc,
          char         **argv)
{
  g_autofree char *export_path = NULL;
  g_autofree char *import_path = NULL;
  const GOptionEntry entries[] = {
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      N_("Write the taxonomy to a file (- for the standard output)"), N_("FILE") },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &import_path,
      N_("Add the tags of a taxonomy file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options ("tags", "", entries, &argc, &argv))
    return 2;
  if (import_path != NULL && export_path != NULL)
    {
      g_printerr (_("tags: give --import or --export, not both\n"));
      return 2;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;
  if (import_path != NULL)
    {
      g_autoptr(GPtrArray) entries_read = galley_taxonomy_load (import_path, &error);
      guint added = 0;

      /* A file's own errors name it already. */
      if (entries_read == NULL ||
          !galley_store_import_taxonomy (store, entries_read, &added, &error))
        {
          print_error (entries_read == NULL ? NULL : import_path, error);
          return 1;
        }
      /* Translators: N new tags from FILE */
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Added %u tag from %s\n",
                               "Added %u tags from %s\n", added), added, import_path);
      return 0;
    }
  if (export_path != NULL)
    {
      g_autoptr(GPtrArray) entries_out = galley_store_export_taxonomy (store, &error);
      g_autofree char *text = NULL;

      if (entries_out == NULL)
        {
          print_error (NULL, error);
          return 1;
        }
      if (g_str_equal (export_path, "-"))
        {
          text = galley_taxonomy_write (entries_out);
          g_print ("%s", text);
        }
      else if (!galley_taxonomy_save (entries_out, export_path, &error))
        {
          print_error (export_path, error);
          return 1;
        }
      return 0;
    }
  if ((tags = galley_store_list_tags (store, &error)) == NULL)
    {
      print_error (NULL, error);
      return 1;
    }
  /* articles, then the name indented by its depth, then the code */
  for (guint i = 0; i < tags->len; i++)
    {
      GalleyTag *t = g_ptr_array_index (tags, i);

      g_print ("%u\t%*s%s%s%s\n", t->n_articles, (int) t->depth * 2, "", t->name,
               t->code != NULL ? "\t" : "", t->code != NULL ? t->code : "");
    }
  return 0;
}

typedef struct {
  GalleySuggestModel *model;
  GHashTable         *only;   /* article ids, or NULL for every one listed */
  double              min_confidence;
  gboolean            json;
  guint               max;
  guint               n;
} ClassifyOutput;

static void
classify_article (gint64      article_id,
                  const char *text,
                  const char *tag,
                  gpointer    user_data)
{
  ClassifyOutput *out = user_data;
  g_autoptr(GPtrArray) suggestions = NULL;

  if (text == NULL || (out->only != NULL && !g_hash_table_contains (out->only, &article_id)))
    return;
  suggestions = galley_suggest_model_suggest (out->model, text, out->max);
  if (suggestions->len == 0 ||
      ((GalleySuggestion *) g_ptr_array_index (suggestions, 0))->confidence < out->min_confidence)
    return;
  out->n++;
  if (out->json)
    {
      /* Built by hand to print confidences with four decimals. */
      g_autoptr(GString) line = g_string_new (NULL);
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (line, "{\"id\":%" G_GINT64_FORMAT ",\"suggestions\":[", article_id);
      for (guint i = 0; i < suggestions->len; i++)
        {
          GalleySuggestion *s = g_ptr_array_index (suggestions, i);
          g_autoptr(JsonNode) label = json_node_init_string (json_node_alloc (), s->label);
          g_autofree char *quoted = json_to_string (label, FALSE);

          g_ascii_formatd (number, sizeof number, "%.4f", s->confidence);
          g_string_append_printf (line, "%s{\"tag\":%s,\"confidence\":%s}",
                                  i > 0 ? "," : "", quoted, number);
        }
      g_string_append (line, "]}");
      g_print ("%s\n", line->str);
      return;
    }
  g_print ("%" G_GINT64_FORMAT, article_id);
  for (guint i = 0; i < suggestions->len; i++)
    {
      GalleySuggestion *s = g_ptr_array_index (suggestions, i);
      g_print ("\t%s %.2f", s->label, s->confidence);
    }
  g_print ("\n");
}

static int
cmd_classify (const Globals *globals,
              int            argc,
              char         **argv)
{
  gboolean json = FALSE, all = FALSE, apply = FALSE;
  double min_confidence = 0;
  int max = 3;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON Lines"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Also articles that have tags"), NULL },
    { "min", 0, 0, G_OPTION_ARG_DOUBLE, &min_confidence,
      N_("Only articles whose best suggestion is at least this sure (0 to 1)"), N_("CONFIDENCE") },
    { "max", 0, 0, G_OPTION_ARG_INT, &max, N_("Suggestions per article (default 3)"), N_("N") },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply,
      N_("Tag the untagged articles with their best suggestion (with --min)"), NULL },
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GalleySuggestModel) model = NULL;
  g_autoptr(GHashTable) only = NULL;
  g_autoptr(GError) error = NULL;
  ClassifyOutput out = { 0 };

  if (!parse_options ("classify", _("[ID…]"), entries, &argc, &argv))
    return 2;
  if (min_confidence < 0 || min_confidence > 1 || max < 1)
    {
      g_printerr (_("classify: --min is between 0 and 1, --max at least 1\n"));
      return 2;
    }
  if (apply && (argc > 1 || all || min_confidence <= 0))
    {
      g_printerr (_("classify: --apply tags the untagged articles above a confidence: give --min, no IDs\n"));
      return 2;
    }
  if (argc > 1)
    {
      only = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (int i = 1; i < argc; i++)
        {
          gint64 id;

          if (!parse_article_id (argv[i], &id))
            {
              /* Translators: %s is what the user typed */
              g_printerr (_("classify: “%s” is not an article number\n"), argv[i]);
              return 2;
            }
          g_hash_table_add (only, g_memdup2 (&id, sizeof id));
        }
      all = TRUE;
    }
  if ((store = open_store (globals)) == NULL)
    return 1;
  if (only != NULL)
    {
      GHashTableIter iter;
      gint64 *id;

      g_hash_table_iter_init (&iter, only);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        {
          g_autofree char *text = galley_store_dup_article_text (store, *id, &error);

          if (text == NULL)
            goto failed;
        }
    }
  if ((model = galley_suggest_model_new_from_store (store, NULL, &error)) == NULL)
    goto failed;
  if (galley_suggest_model_get_n_tags (model) < 2)
    g_printerr (_("Tag articles with at least two different tags first: suggestions are learnt from them\n"));

  if (apply)
    {
      g_autoptr(GArray) plan = galley_suggest_plan_untagged (store, model, min_confidence, NULL, &error);

      if (plan == NULL || !galley_store_apply_taggings (store, plan, &error))
        goto failed;
      /* Translators: N articles tagged */
      g_print (g_dngettext (GETTEXT_PACKAGE, "Tagged %u article\n", "Tagged %u articles\n",
                            plan->len), plan->len);
      return 0;
    }
  out.model = model;
  out.only = only;
  out.min_confidence = min_confidence;
  out.json = json;
  out.max = max;
  if (!galley_store_foreach_article_text (store, all, classify_article, &out, &error))
    goto failed;
  return 0;

failed:
  print_error (NULL, error);
  return 1;
}

static int
cmd_classify_eval (const Globals *globals,
                   int            argc,
                   char         **argv)
{
  g_autoptr(GError) error = NULL;
  double accuracy;

  if (!parse_options ("classify-eval", _("TRAIN TEST"), NULL, &argc, &argv))
    return 2;
  if (argc != 3)
    {
      g_printerr (_("classify-eval: give a training file and a test file of text<TAB>tag lines\n"));
      return 2;
    }
  accuracy = galley_classifier_evaluate_files (argv[1], argv[2], &error);
  if (accuracy < 0)
    {
      print_error (NULL, error);
      return 1;
    }
  /* Scripts read this last line: not translated. */
  g_print ("accuracy %.4f\n", accuracy);
  return 0;
}

static int
cmd_resegment (const Globals *globals,
               int            argc,
               char         **argv)
{
  RuleOptions rule_options = { 0 };
  int year = 0;
  const GOptionEntry entries[] = {
    { "year", 'y', 0, G_OPTION_ARG_INT, &year,
      N_("Year of dates printed without one"), N_("YEAR") },
    RULE_OPTION_ENTRIES (rule_options),
    { NULL }
  };
  g_autoptr(GalleyStore) store = NULL;
  g_autoptr(GalleyConfusions) confusions = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  GalleyImportOptions options = { 0 };
  int status = 0;

  if (!parse_options ("resegment", _("FILE…"), entries, &argc, &argv) ||
      !rules_from_options (&rule_options, &options.rules))
    status = 2;
  else if (argc < 2)
    {
      g_printerr (_("resegment: name one or more imported files (as “list” shows them)\n"));
      status = 2;
    }
  g_strfreev (rule_options.disabled);
  g_free (rule_options.only);
  if (status != 0)
    return status;
  if ((store = open_store (globals)) == NULL)
    return 1;
  if ((names = galley_store_list_sources (store, &ids, &error)) == NULL)
    {
      print_error (NULL, error);
      return 1;
    }
  if (!load_suspects (store, options.rules, &confusions))
    return 1;
  options.confusions = confusions;
  options.year = year;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) kept = NULL;
      gint64 source_id = 0;
      gint n;

      for (guint j = 0; names[j] != NULL; j++)
        if (g_str_equal (names[j], argv[i]))
          source_id = g_array_index (ids, gint64, j);
      if (source_id == 0)
        {
          /* Translators: %s is a file name */
          g_printerr (_("%s: no such imported file\n"), argv[i]);
          status = 1;
          continue;
        }
      n = galley_resegment_source (store, source_id, &options, &kept, &error);
      if (n < 0)
        {
          print_error (argv[i], error);
          g_clear_error (&error);
          status = 1;
          continue;
        }
      /* Translators: FILE: N articles */
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %d article\n", "%s: %d articles\n", n),
               argv[i], n);
      for (guint j = 0; j < kept->len; j++)
        {
          const GalleyStoredSlice *slice = g_ptr_array_index (kept, j);

          /* Translators: an article an editor changed is left as it is */
          g_print (_("  kept as edited: %s\n"), slice->title);
        }
    }
  return status;
}

static const Command commands[] = {
  { "import", N_("PATH…"), N_("Import files or folders of OCR'd pages"), cmd_import },
  { "list", "", N_("List the articles"), cmd_list },
  { "show", N_("ID"), N_("Show one article"), cmd_show },
  { "search", N_("WORDS…"), N_("Search the articles' titles and text"), cmd_search },
  { "resegment", N_("FILE…"), N_("Split imported pages into articles again, keeping edited ones"),
    cmd_resegment },
  { "export", "", N_("Write articles as txt, markdown, html, jsonl, csv, newsml or docx"),
    cmd_export },
  { "stats", "", N_("Count files, articles and changes"), cmd_stats },
  { "check", "", N_("Check the archive: the database, the search indexes and the counts; repair them"),
    cmd_check },
  { "clean", N_("FILE"), N_("Print the clean text of a file, or its changes"), cmd_clean },
  { "tag", N_("ID TAG…"), N_("Tag an article (new tags are made)"), cmd_tag },
  { "untag", N_("ID TAG…"), N_("Remove tags from an article"), cmd_tag },
  { "tags", "", N_("List the tags with their articles; import or export the taxonomy"), cmd_tags },
  { "classify", N_("[ID…]"), N_("Suggest tags for the untagged articles, learnt from the tagged ones"),
    cmd_classify },
  { "classify-eval", N_("TRAIN TEST"), N_("Train on one text<TAB>tag file, print the accuracy on another"),
    cmd_classify_eval },
};

static char *
commands_summary (void)
{
  GString *summary = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      /* gettext ("") would be the catalogue's header */
      const char *args = commands[i].args[0] != '\0' ? _(commands[i].args) : "";
      /* Pad by characters, not bytes: the arguments may be Chinese. */
      glong pad = MAX (1, 12 - g_utf8_strlen (args, -1));

      g_string_append_printf (summary, "\n  %-13s %s%*s%s", commands[i].name, args, (int) pad, "",
                              _(commands[i].summary));
    }
  return g_string_free (summary, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Globals globals = { 0 };
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The archive database (default: the one Galley opens)"), N_("PATH") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* GALLEY_LOCALE_DIR: the translations of a build tree, for its tests */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GALLEY_LOCALE_DIR") != NULL ?
                  g_getenv ("GALLEY_LOCALE_DIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);
  summary = commands_summary ();
  g_option_context_set_description (context, summary);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_error (NULL, error);
      return 2;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 2;
    }

  if (database == NULL)
    database = g_build_filename (g_get_user_data_dir (), "galley", "galley.db", NULL);
  globals.database = database;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (&globals, argc - 1, argv + 1);

  /* Translators: %s is what the user typed */
  g_printerr (_("Unknown command “%s”\n"), argv[1]);
  g_printerr ("%s\n", summary);
  return 2;
}
