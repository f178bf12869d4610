/* Pages as display lists: what the PDF writer draws, in PDF coordinates (points, origin
 * bottom-left). Built by the page builder; read by the PDF writer and the trace dump. */
#ifndef NB_PAGE_H
#define NB_PAGE_H

#include "text/para.h"

typedef enum { NB_ITEM_GLYPHS, NB_ITEM_LINE, NB_ITEM_RECT, NB_ITEM_IMAGE } nb_item_kind;

typedef struct nb_item {
  nb_item_kind kind;
  /* glyphs: a line of a paragraph, drawn at baseline (x, y) */
  const nb_para *para;
  size_t line;
  /* line: (x, y) → (x2, y2); rect: x, y, w, h (filled); image: x, y, w, h */
  double x, y, x2, y2, w, h;
  double width;      /* stroke width */
  float gray;        /* fill/stroke gray level, 0 = black */
  nb_color color;    /* lines: stroke colour (black when all 0) */
  double angle;      /* glyphs: rotation in degrees about (x, y), for the draft mark */
  float fill_gray;   /* glyphs: when > 0, drawn in this grey instead of the role colour */
  const char *image; /* image file path */
  int tag;           /* image: its Figure element (nb_pages.elems index + 1), or 0 */
} nb_item;

typedef struct nb_link {
  double x0, y0, x1, y1;
  const char *uri;
  const nb_para *para; /* the paragraph the link's text is in */
  int seg;             /* and its segment */
} nb_link;

typedef struct nb_page {
  double w, h;
  int number; /* 1-based */
  int turned; /* its type area holds a landscape table, turned a quarter turn; the page
                 stays portrait, with its page number, header and footer upright. Until the
                 page builder turns it, its content is drawn in the type area as turned: x
                 from 0 along the area's height, y from 0 up its width */
  VEC(nb_item) items;
  VEC(nb_link) links;
} nb_page;

typedef struct nb_outline {
  int level;   /* 1-based */
  char *title; /* UTF-8, owned */
  int page;    /* index into pages */
  double y;    /* top of the heading */
} nb_outline;

/* A structure element of the tagged PDF (ISO 32000-1 14.8): what a paragraph, a table cell
 * or an image is, in reading order, for screen readers, reflow and PDF/A level A. The
 * layout builds the tree in document order; the writer adds the marked content. */
typedef struct nb_selem {
  const char *type;     /* a standard type: Document, H1…H6, P, L, LI, LBody, Caption,
                         * Figure, Table, TR, TH, TD */
  int parent;           /* index, -1 for the Document element */
  int rowspan, colspan; /* TH and TD spanning more than one row or column; else 0 */
  const char *lang;     /* "en" for English in a Chinese document, else NULL */
  const char *alt;      /* Figure: its alternate text */
} nb_selem;

typedef struct nb_pages {
  VEC(nb_page) pages;
  VEC(nb_outline) outline;
  VEC(nb_para *) paras; /* owned: every paragraph referenced by items */
  VEC(nb_selem) elems;  /* the structure tree, parents before children, in reading order */
} nb_pages;

/* Adds a structure element under `parent` (an index, or -1) and returns its index; strings
 * are borrowed. */
int nb_pages_elem(nb_pages *ps, const char *type, int parent);

nb_page *nb_pages_add(nb_pages *ps, double w, double h);
void nb_page_glyphs(nb_page *pg, const nb_para *p, size_t line, double x, double y);
void nb_page_line(nb_page *pg, double x, double y, double x2, double y2, double width);
void nb_page_rule(nb_page *pg, double x, double y, double x2, double width, nb_color color);
/* Maps the page's items and links through the affine matrix m = [a b c d e f] (x' = a x +
 * c y + e, y' = b x + d y + f), as PDF's cm would: lines and rectangles keep axis-aligned
 * under a quarter turn, glyph lines turn by the matrix's angle. An image is stretched into
 * its mapped box, not turned: none stands on a turned page. */
void nb_page_transform(nb_page *pg, const double m[6]);
void nb_pages_free(nb_pages *ps);

#endif
