/* galley-taxonomy.h: the hierarchy of topic tags and its shared file format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A taxonomy file is UTF-8 text, one tag per line, tab-separated:
 *
 *   # comment lines start with '#'
 *   path<TAB>code<TAB>label_en
 *   体育<TAB>medtop:15000000<TAB>sport
 *   体育/足球<TAB><TAB>football
 *
 * The first line that is not a comment or blank is the header above. A
 * path is the tag's name after the names of its ancestors, joined by '/';
 * every ancestor has a line of its own, names are unique in the file, code
 * (an IPTC Media Topic code such as "medtop:15000000") and the English
 * label may be empty, and the last columns may be left out.
 *
 * The IPTC Media Topics list shipped with Galley (header `code<TAB>en<TAB>zh-Hans`)
 * is read as well: each line becomes a top-level tag named by its zh-Hans label.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GALLEY_TAXONOMY_ERROR (galley_taxonomy_error_quark ())

typedef enum {
  GALLEY_TAXONOMY_ERROR_EMPTY,     /* no tag at all */
  GALLEY_TAXONOMY_ERROR_ENCODING,  /* binary data or not UTF-8 */
  GALLEY_TAXONOMY_ERROR_SYNTAX,    /* bad header, columns, name or overlong line */
  GALLEY_TAXONOMY_ERROR_DUPLICATE, /* a name defined twice */
  GALLEY_TAXONOMY_ERROR_PARENT,    /* a path names an undefined ancestor, or disagrees with it */
  GALLEY_TAXONOMY_ERROR_CYCLE,     /* a tag is its own ancestor */
} GalleyTaxonomyError;

GQuark galley_taxonomy_error_quark (void);

/* Longest line accepted, in bytes. */
#define GALLEY_TAXONOMY_MAX_LINE 4096

typedef struct {
  char *name;     /* never NULL or empty; no '/', tab, line break, surrounding space; no leading '#' at the top level */
  char *parent;   /* the parent's name, NULL at the top level */
  char *code;     /* IPTC Media Topic code or NULL */
  char *label_en; /* English label or NULL */
} GalleyTaxonomyEntry;

GalleyTaxonomyEntry *galley_taxonomy_entry_new   (const char                *name,
                                                  const char                *parent,
                                                  const char                *code,
                                                  const char                *label_en);
GalleyTaxonomyEntry *galley_taxonomy_entry_copy  (const GalleyTaxonomyEntry *entry);
void                 galley_taxonomy_entry_free  (GalleyTaxonomyEntry       *entry);
gboolean             galley_taxonomy_entry_equal (const GalleyTaxonomyEntry *a,
                                                  const GalleyTaxonomyEntry *b);

/* Returns a GPtrArray of GalleyTaxonomyEntry* in file order, or NULL with
 * error set; messages name the line. data need not be NUL-terminated. */
GPtrArray *galley_taxonomy_parse    (const char  *data,
                                     gsize        length,
                                     GError     **error);
GPtrArray *galley_taxonomy_load     (const char  *path,
                                     GError     **error);

/* The file text of entries (which must be valid, as parse() returns them,
 * parents before or after children), so that parse (write (x)) equals x. */
char      *galley_taxonomy_write    (GPtrArray   *entries);
gboolean   galley_taxonomy_save     (GPtrArray   *entries,
                                     const char  *path,
                                     GError     **error);

/* "体育/足球": the path of entries[index]. */
char      *galley_taxonomy_dup_path (GPtrArray   *entries,
                                     guint        index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GalleyTaxonomyEntry, galley_taxonomy_entry_free)

G_END_DECLS
