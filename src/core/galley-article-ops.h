/* galley-article-ops.h: the editor's operations on an article's place on
 * its page: split it, merge it with the next one, move a line into the title
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "galley-import.h"
#include "galley-store.h"

G_BEGIN_DECLS

/* Each operation runs in one transaction, writes an 'editor' revision of
 * every article it rewrites (so the earlier text can be restored from the
 * history), and keeps the page covered: the slices of a source's articles
 * stay in page order, without gaps or overlap.
 *
 * `cursor` is a byte offset in the article's current body.
 *
 * An article's body is *derived* when it is exactly its raw OCR body with
 * its changes in their current states (no typing by hand). Then the cursor
 * maps back to the raw body through the changes' spans and onto the page,
 * and the operation works on the page segment: the halves (or the new
 * title) are cut from the OCR text and cleaned again; reviewed changes
 * that are found again keep their state.
 *
 * A body typed in by hand is worked on as text instead: a split cuts the
 * current body at the cursor (changes on either side are kept, one that
 * straddles the cursor is dropped), and the slice of the page is cut where
 * the cursor maps to through the changes when that falls inside the body,
 * otherwise the second article gets an empty slice at the end of the
 * first one's; "line to title" moves the paragraph under the cursor. */

/* Splits the article at cursor; the first half keeps the id, status, tags
 * and fields, the second is a new article (returned), to be proofread. 0
 * and an error when the cursor is at the start or the end of the body. */
gint64   galley_article_split         (GalleyStore               *store,
                                       gint64                     id,
                                       gsize                      cursor,
                                       const GalleyImportOptions *options,
                                       GError                   **error);
/* Appends the next article of the same page: slices and raw bodies
 * joined, bodies joined with '\n', the changes and tags of both kept; the
 * next article is deleted. Returns its id, 0 and an error when the article
 * is the last of its page. */
gint64   galley_article_merge_next    (GalleyStore               *store,
                                       gint64                     id,
                                       GError                   **error);
/* Makes the line under the cursor the title; an earlier title goes back
 * into the body as its first line. */
gboolean galley_article_line_to_title (GalleyStore               *store,
                                       gint64                     id,
                                       gsize                      cursor,
                                       const GalleyImportOptions *options,
                                       GError                   **error);

G_END_DECLS
