/* Layout resolution: a layout file (layouts/NAME.yaml, possibly extending another) becomes
 * one nb_style: page geometry, the grid, and a style per role. Lengths are points. */
#ifndef NB_STYLE_H
#define NB_STYLE_H

#include "base/diag.h"
#include "base/util.h"
#include "content/model.h"

typedef enum {
  NB_ROLE_BODY,
  NB_ROLE_TITLE,
  NB_ROLE_H1,
  NB_ROLE_H2,
  NB_ROLE_H3,
  NB_ROLE_H4,
  NB_ROLE_LEAD,
  NB_ROLE_CAPTION,
  NB_ROLE_TABLE,
  NB_ROLE_TABLE_HEAD,
  NB_ROLE_PAGENUM,
  NB_ROLE_SIGNATURE,
  NB_ROLE_HEADER,
  NB_ROLE_FOOTER,
  NB_ROLE_MASTHEAD,  /* 发文机关标志 of the letterhead */
  NB_ROLE_WATERMARK, /* the draft mark */
  NB_ROLE_ENGLISH,   /* the English lines of a bilingual (zh-en) edition */
  NB_ROLE_COUNT
} nb_role_id;

#define NB_MAX_FONTS 8

/* A fallback list of fonts: each entry a family name (resolved through the project's
 * fonts/ folder and fontconfig) or a file path, optionally "path#faceindex". */
typedef struct nb_fontlist {
  const char *names[NB_MAX_FONTS];
  int n;
  const char *ref; /* the name of the list under `fonts:` it came from, or NULL: resolved
                      again once every file is loaded, so that a layout that redefines a
                      named list changes every role of its base that uses it */
} nb_fontlist;

typedef struct nb_color {
  float r, g, b; /* 0..1; all 0 = black, written as gray */
} nb_color;

typedef struct nb_role {
  nb_fontlist cjk;   /* for Hanzi and CJK punctuation */
  nb_fontlist latin; /* for Latin letters and digits; empty: use cjk */
  double size;       /* pt */
  double leading;    /* line pitch in pt; 0 = the grid's line pitch (or 1.5 × size) */
  int bold;          /* bold: a bold face if the list has one, else synthetic */
  nb_align align;
  double indent;                    /* first-line indent, in em */
  double space_before, space_after; /* pt, rounded up to whole grid lines on a grid */
  nb_color color;
  int boxed; /* set in ruled table cells: marks at line edges keep their em box inside
                (the table roles; copies made for scaled tables keep it) */
} nb_role;

/* A running header or footer: lines of text with fields ({issuer}, {title}, {page}, …). */
#define NB_BAND_LINES 4
typedef struct nb_bandtext {
  const char *lines[NB_BAND_LINES];
  int nlines;
} nb_bandtext;

typedef struct nb_band {
  int present;
  const char *lines[NB_BAND_LINES];
  int nlines;
  nb_bandtext even;  /* on even pages, when set (nlines > 0) */
  nb_bandtext first; /* on the first page, when set */
  nb_align align;    /* left, center, right */
  int outer;         /* odd pages right, even pages left (overrides align) */
  double offset;     /* gap between the band and the type area */
  double rule;       /* a rule between the band and the type area, pt (0: none) */
  int first_page;    /* also on page 1 */
} nb_band;

/* What becomes of a table too wide for the type area (docs/tables.md, Wide tables). */
typedef enum {
  NB_WIDE_SHRINK,   /* set smaller, down to 小五 */
  NB_WIDE_LANDSCAPE /* turned 90° on pages of its own (GB/T 9704 §8) */
} nb_wide;

/* How tables look (layout key `table:`). */
typedef struct nb_tablestyle {
  double pad_x, pad_y; /* cell padding, in em of the table text */
  double rule;         /* inner rules, pt */
  double frame;        /* outer frame, pt */
  double line_spacing; /* line pitch in cells, × the font size */
  double header_gray;  /* header cell fill: 1 = none, 0.9 = light grey */
  nb_align numbers;    /* alignment of cells that hold a number */
  const char *blank;   /* what a blank statutory cell prints ("" by default) */
  nb_wide wide;        /* a table too wide for the type area */
} nb_tablestyle;

/* A layout text with a Chinese and an English wording. */
typedef struct nb_langtext {
  const char *zh, *en;
} nb_langtext;

typedef struct nb_style {
  const char *name;
  double page_w, page_h;
  double margin_top, margin_bottom, margin_inner, margin_outer; /* inner = binding side */
  int mirror;                 /* even pages mirror the margins (duplex) */
  int grid_chars, grid_lines; /* 0 = no grid */
  nb_role roles[NB_ROLE_COUNT];
  nb_fontlist fallback; /* last resort for characters no role font has */
  /* CJK/Latin spacing, in em of the CJK size (0 in official documents) */
  double cjk_latin_space;
  int hanging_punct; /* allow 、，。 to hang into the right margin */
  /* widths of full-width marks (chinese-typography.md §4): quanjiao keeps every mark a full
   * em (compressed only next to another mark or at a line edge that needs the room),
   * kaiming sets all but the sentence-ending 。．！？ half width, banjiao all of them */
  enum { NB_PUNCT_QUANJIAO, NB_PUNCT_KAIMING, NB_PUNCT_BANJIAO } punct_style;
  /* page numbers */
  const char *pagenum_format; /* "— {page} —" */
  double pagenum_offset;      /* distance of the number's baseline band below the type area */
  double pagenum_indent;      /* in em of the page-number size, from the outer edge */
  int pagenum_outer;          /* 1: odd pages right, even pages left; 0: centred */
  int pagenum_first;          /* print a number on the first page */
  /* caption over a table's continuation: zh (also in zh-en, followed by the en) and en */
  nb_langtext table_continued;
  nb_tablestyle table;
  nb_band header, footer;
  /* the letterhead's issuing-body mark (发文机关标志) and red rule on the first page */
  struct {
    int present;
    const char *text;   /* template, default "{issuer}" */
    double top;         /* from the type area's top to the mark's top edge */
    double rule;        /* rule width below it, pt */
    double rule_gap;    /* from the mark's baseline band to the rule */
    double space_after; /* from the rule to the text */
  } masthead;
  /* the 版记 at the foot of the last page: "{office} {date}印发" between rules */
  struct {
    int present;
    const char *text;
  } colophon;
  nb_langtext watermark; /* printed across every page with --draft */
} nb_style;

/* Loads a layout by name (layouts/NAME.yaml under the project's layout folders) or by path.
 * NULL with diagnostics on error. The style lives in `arena`. */
nb_style *nb_style_load(nb_arena *arena, const char *name_or_path, nb_diags *d);
/* The same from a layout's text (`extends` still reads files); `name` is the file name in
 * messages. */
nb_style *nb_style_load_text(nb_arena *arena, const char *name, const char *text, size_t len,
                             nb_diags *d);

/* Geometry helpers. */
double nb_style_text_width(const nb_style *s);
double nb_style_text_height(const nb_style *s);
double nb_style_left(const nb_style *s, int page_no); /* x of the type area on page N (1-based) */
double nb_style_top(const nb_style *s);        /* y (PDF, from bottom) of the type area top */
double nb_style_line_pitch(const nb_style *s); /* body line pitch */
double nb_style_char_pitch(const nb_style *s); /* body character pitch on the grid */

/* "三号" → 16, "12pt" → 12, "5mm" → 14.17, "2em" (relative to em) …; returns 0 on error. */
int nb_parse_length(const char *s, double em, double *out);
int nb_parse_font_size(const char *s, double *out);

#endif
