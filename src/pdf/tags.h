/* The tagged PDF (ISO 32000-1 14.7–14.8): marked content in the page streams and the
 * structure tree that gives it meaning and reading order — headings, paragraphs, lists,
 * figures with their alternate text, tables with their header cells and spans — for screen
 * readers, reflow, and PDF/A level A. The layout builds the elements (nb_pages.elems);
 * this module numbers the marked content (MCIDs) as the pages are written and writes the
 * tree, its parent tree and the catalog's /MarkInfo. A link's text is a Link element
 * inside its paragraph's, with an object reference to the annotation. What carries no
 * element — running
 * headers and footers, page numbers, rules, shading, the draft mark, and text drawn a second
 * time (a table's header rows repeated on the next page) — is an /Artifact. */
#ifndef NB_PDF_TAGS_H
#define NB_PDF_TAGS_H

#include <hpdf.h>

#include "base/util.h"
#include "pages/page.h"

typedef struct nb_tags nb_tags;

nb_tags *nb_tags_new(const nb_pages *ps);
void nb_tags_free(nb_tags *t);

/* A glyph line on page `page` (0-based): content the first time the line is drawn, else an
 * /Artifact, opened here. */
void nb_tags_open_text(nb_tags *t, nb_buf *cs, int page, const nb_item *it);
/* Called before each run of glyphs (of segment `seg`) of the open line: opens the marked
 * content of the run's element with the next MCID when it differs from the one open (the
 * line's paragraph; a link's text, which is its Link element's; the paragraph a run-in
 * heading opens). Runs must not span two of them. */
void nb_tags_text_seg(nb_tags *t, nb_buf *cs, int page, const nb_para *p, int seg);
/* Closes what the line opened. */
void nb_tags_close_text(nb_tags *t, nb_buf *cs);
/* The same for an image (its Figure element). */
void nb_tags_open_image(nb_tags *t, nb_buf *cs, int page, const nb_item *it);
/* Opens an artifact; every open is closed by nb_tags_close. */
void nb_tags_open_artifact(nb_buf *cs);
void nb_tags_close(nb_buf *cs);

/* A link annotation on page `page` over the text of segment `seg` of paragraph `p`: an
 * object reference to it in that text's Link element. */
void nb_tags_link(nb_tags *t, HPDF_Annotation a, int page, const nb_para *p, int seg);

/* Writes the structure tree into `pdf`, whose pages are the ones written, in order.
 * Returns 0 when libharu fails. */
int nb_tags_write(nb_tags *t, HPDF_Doc pdf);

#endif
