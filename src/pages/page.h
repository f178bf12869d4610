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
} nb_item;

typedef struct nb_link {
  double x0, y0, x1, y1;
  const char *uri;
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

typedef struct nb_pages {
  VEC(nb_page) pages;
  VEC(nb_outline) outline;
  VEC(nb_para *) paras; /* owned: every paragraph referenced by items */
} nb_pages;

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
