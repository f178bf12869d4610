/* The document model: what the content file says, with no look in it.
 * Built by content.c from the YAML tree; read by every later stage.
 * Everything here lives in the document's arena. */
#ifndef NB_MODEL_H
#define NB_MODEL_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"
#include "content/ytree.h"

/* One string of source text with its position (position of the YAML scalar). */
typedef struct nb_str {
  const char *s; /* NULL when absent */
  nb_pos pos;
} nb_str;

/* A text field; given either as a plain string (then `zh` holds it, whatever its
 * language) or as {zh: …, en: …}. */
typedef struct nb_text {
  nb_str zh, en;
} nb_text;

/* Which variant of a text an edition shows: the requested one, else the other. */
typedef enum { NB_LANG_ZH, NB_LANG_EN } nb_lang;
const nb_str *nb_text_pick(const nb_text *t, nb_lang lang); /* NULL when both absent */
int nb_text_present(const nb_text *t);

typedef enum {
  NB_ALIGN_DEFAULT = 0,
  NB_ALIGN_LEFT,
  NB_ALIGN_CENTER,
  NB_ALIGN_RIGHT,
  NB_ALIGN_JUSTIFY
} nb_align;
typedef enum { NB_VALIGN_DEFAULT = 0, NB_VALIGN_TOP, NB_VALIGN_MIDDLE, NB_VALIGN_BOTTOM } nb_valign;

typedef struct nb_cell {
  nb_text text;
  int colspan, rowspan; /* >= 1 */
  nb_align align;
  nb_valign valign;
  int header; /* 1 for a row-header cell (th) */
  int blank;  /* a statutory value left blank: prints the layout's table.blank */
  nb_pos pos;
} nb_cell;

typedef struct nb_row {
  nb_cell *cells; /* cells covered by a rowspan from above are NOT listed (as in HTML) */
  size_t n;
  nb_pos pos;
} nb_row;

typedef struct nb_colspec {
  double width;   /* 0 = automatic; > 0 points; < 0: fraction of the table width (-0.2 = 20%) */
  nb_align align; /* default alignment of the column's body cells */
} nb_colspec;

typedef struct nb_table {
  nb_text caption;
  int header_rows; /* leading rows repeated on every page */
  nb_row *rows;
  size_t nrows;
  nb_colspec *cols; /* may be NULL */
  size_t ncols;     /* number of entries in cols (0 = no column specs) */
  int landscape;    /* 1: turned onto landscape pages; -1: never; 0: as the layout says */
  nb_pos pos;
} nb_table;

typedef enum {
  NB_BLK_HEADING,
  NB_BLK_PARA,
  NB_BLK_LIST,
  NB_BLK_FIGURE,
  NB_BLK_TABLE,
  NB_BLK_STATUTORY, /* one of the national tables, drawn from the data section */
  NB_BLK_PAGEBREAK,
  NB_BLK_SIGNATURE,
} nb_block_kind;

typedef enum { NB_NUM_AUTO = 0, NB_NUM_NONE, NB_NUM_LITERAL } nb_numbering;

typedef struct nb_block {
  nb_block_kind kind;
  nb_pos pos;

  /* heading */
  int level; /* 1..4 */
  nb_numbering numbering;
  nb_text number; /* NB_NUM_LITERAL: printed as given, e.g. "（二）" */
  int start;      /* > 0: the automatic counter restarts at this value here */

  nb_text text;  /* heading text; paragraph text; figure caption; table caption */
  nb_text lead;  /* paragraph: run-in lead in the "lead" style, before `text` */
  nb_text runin; /* heading: body text that continues the heading's paragraph */

  /* list */
  nb_text *items;
  size_t nitems;
  int ordered;

  /* figure */
  nb_str image; /* path as written; relative to the content file's folder */
  nb_text alt;  /* what the image shows, for screen readers (the tagged PDF's /Alt) */
  double width; /* figure width: 0 = natural; (0,1] = fraction of the type area; > 1 = points */

  /* table */
  nb_table *table;

  /* statutory table: 2, 3 or 4 (tables 二 三 四 of the national format) */
  int statutory;
  int landscape; /* statutory table: as nb_table.landscape */

  /* signature */
  nb_text issuer; /* default: meta.issuer */
  nb_str date;    /* YYYY-MM-DD; default: meta.published */
} nb_block;

typedef struct nb_contact {
  nb_text office, address, postcode, phone, email, website;
} nb_contact;

typedef struct nb_meta {
  nb_text issuer;                /* 济南市济阳区人民政府 */
  nb_text title;                 /* the report's title as printed */
  int year;                      /* the year reported on */
  nb_str period_from, period_to; /* YYYY-MM-DD */
  nb_str published;              /* YYYY-MM-DD: publication date; also the PDF's date */
  int format;                    /* 2019 or 2021: which national table format */
  nb_str lang; /* "zh-CN" (default), "en", … : the language of the plain strings */
  nb_contact contact;
  nb_pos pos;
} nb_meta;

/* A value of the data section, flattened: path "t3.new_received.natural_person". */
typedef struct nb_datum {
  const char *path;
  nb_str text;   /* the scalar as written */
  int is_number; /* plain scalar that parses as a number */
  double num;
  nb_pos pos;
} nb_datum;

typedef struct nb_doc {
  nb_arena *arena;
  const char *path; /* content file */
  const char *dir;  /* its folder, for images */
  nb_meta meta;
  nb_block *blocks;
  size_t nblocks;
  nb_datum *data;
  size_t ndata;
  nb_pos data_pos;
  const char *src; /* the content file's text (NULL if unknown): positions inside scalars */
  size_t srclen;
} nb_doc;

/* content.c: loads and validates the content file. NULL on any error (with diags).
 * The diagnostics it adds name the caller's `path` string, so keep that alive until they
 * are printed; positions inside the model live as long as the document. Inline markup is
 * checked here too (warnings), so later stages may call nb_inline_parse with d = NULL. */
nb_doc *nb_content_load(const char *path, nb_diags *d);
/* The same from text in memory (tests, fuzzing); `path` names it and locates images. */
nb_doc *nb_content_load_text(const char *path, const char *text, size_t len, nb_diags *d);
void nb_doc_free(nb_doc *doc);
const nb_datum *nb_doc_datum(const nb_doc *doc, const char *path);

/* inline.c: inline markup of a text string.
 *   **bold**          bold
 *   [label](target)   a link; target a URL or an email address
 *   bare URLs (http://, https://, www.) and email addresses become links by themselves
 *   \*  \[  \\         literal characters
 * No HTML. */
typedef struct nb_span {
  const char *text; /* UTF-8, NUL-terminated, markup removed */
  size_t len;
  int bold;
  const char *link; /* URI for a link annotation (mailto: added for emails), or NULL */
} nb_span;

typedef struct nb_spans {
  nb_span *v;
  size_t n;
} nb_spans;

/* Parses `s` into spans allocated in `arena`. Markup errors (an unclosed ** or [) are
 * reported at `pos` as warnings and the text is kept literally; `d` may be NULL. */
nb_spans nb_inline_parse(nb_arena *arena, const char *s, nb_pos pos, nb_diags *d);

#endif
