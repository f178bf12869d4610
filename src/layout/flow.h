/* Blocks → a vertical list of boxes the page builder can break between. A box is a line
 * of a paragraph, an image, a table row, or space; it says how tall it is and whether the
 * page may break after it. Drawing is deferred until the page builder has placed it. */
#ifndef NB_FLOW_H
#define NB_FLOW_H

#include "content/model.h"
#include "pages/page.h"
#include "style/fields.h"
#include "style/style.h"
#include "text/para.h"

typedef enum { NB_VB_LINE, NB_VB_SPACE, NB_VB_IMAGE, NB_VB_ROW, NB_VB_RULE } nb_vbox_kind;

struct nb_tlayout;

typedef struct nb_vbox {
  nb_vbox_kind kind;
  double h;         /* height */
  int keep_next;    /* no page break between this box and the next */
  int break_before; /* a forced page break before this box */
  int turned;       /* set on a turned (landscape) page of its own: a landscape table and
                       its caption, laid out in the rotated type area */
  /* line */
  const nb_para *para;
  size_t line;
  double x;        /* from the type area's left edge */
  double baseline; /* from the box top down to the baseline */
  /* image */
  const char *image;
  double img_w, img_h;
  int tag; /* its Figure element + 1 */
  /* table row */
  struct nb_tlayout *table;
  int row;
  /* rule: a line across the type area at the box's bottom edge */
  double rule_w;
  nb_color rule_color;
  int at_bottom; /* set at the foot of the page (the 版记) */
  /* a heading's first line: an outline entry */
  int outline_level;
  const char *outline_title;
  /* set by the page builder */
  int floated; /* placed out of order, at the top of a later page */
  int page;
  double top;
} nb_vbox;

typedef struct nb_flow {
  VEC(nb_vbox) boxes;
  VEC(struct nb_tlayout *) tables;
} nb_flow;

/* Lays out every block of `doc` (and the title from its meta) into `flow`; paragraphs
 * are added to `pages->paras`, which owns them. */
void nb_flow_build(nb_flow *flow, const nb_doc *doc, nb_textctx *tc, nb_pages *pages);
void nb_flow_free(nb_flow *flow);

/* table.c */
/* Lays out a table `width` wide and adds its rows to `flow` as boxes. `turned`: for a
 * landscape page, where the rows are broken by the type area's width (its height turned). */
struct nb_tlayout *nb_table_layout(const nb_table *t, nb_textctx *tc, double width, int turned,
                                   nb_flow *flow);
/* 1 when the table, at the layout's table size in `width`, would have to be set smaller
 * (its minimum widths exceed the width) or would stand text one character a line (a column
 * narrower than two characters of table text and padding, its text wrapping): the rule that
 * turns a table onto landscape pages with the layout's `table.wide: landscape`. */
int nb_table_too_wide(const nb_table *t, nb_textctx *tc, double width);
/* Draws every cell of a laid-out table on the pages its rows were placed on; repeated
 * header rows have been placed by the page builder as boxes of their own. */
void nb_table_draw(struct nb_tlayout *tl, const nb_flow *flow, nb_pages *pages, const nb_style *s);
void nb_table_free(struct nb_tlayout *tl);
int nb_table_header_rows(const struct nb_tlayout *tl);
/* Whether pages the table continues on repeat its header (not for a header taller than
 * three quarters of a page, which would leave no room for rows). */
int nb_table_repeats_header(const struct nb_tlayout *tl);
double nb_table_header_height(const struct nb_tlayout *tl);
/* Adds the table's rows and cells to the structure tree under its Table element `table`
 * (TR, then TH for header cells and TD, with their spans), and tags the cells' text. */
void nb_table_tag(struct nb_tlayout *tl, nb_pages *pages, int table);
void nb_table_draw_header(struct nb_tlayout *tl, nb_pages *pages, int page, double top,
                          const nb_style *s);
double nb_table_row_height(const struct nb_tlayout *tl, int row);
/* 1 when a cell's text is a number, possibly signed, with decimals and a unit ("-2",
 * "585313万元", "66%"): such cells are aligned per the layout's table.numbers. */
int nb_table_is_number(const char *s);
/* For tests: the text size the table was set in (after shrinking a wide table), its
 * columns and widths, the number of its boxes (rows, and slices of rows taller than a page). */
double nb_table_text_size(const struct nb_tlayout *tl);
int nb_table_ncols(const struct nb_tlayout *tl);
double nb_table_col_width(const struct nb_tlayout *tl, int col);
int nb_table_nbands(const struct nb_tlayout *tl);

/* image.c: pixel size of a JPEG or PNG file; 0 on failure. */
int nb_image_size(const char *path, int *w, int *h);
/* 1 when the image can be embedded; else 0 with a reason in `err`. */
int nb_image_check(const char *path, char *err, size_t errlen);

#endif
