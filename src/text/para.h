/* Paragraph layout: styled text segments → shaped glyphs → lines, broken for the whole
 * paragraph at once (Knuth–Plass style) with the Chinese rules of breaks.c, punctuation
 * compression and justification by inter-character spacing. */
#ifndef NB_PARA_H
#define NB_PARA_H

#include "base/diag.h"
#include "content/model.h"
#include "style/style.h"
#include "text/font.h"

typedef struct nb_textctx {
  nb_fontdb *db;
  const nb_style *style;
  nb_diags *d;
  nb_lang lang;
  /* bilingual (zh-en) edition: English lines follow the Chinese, in these roles (the
   * roles of the layout with the Latin face and size of its `english` role); else NULL */
  const nb_role *en_roles;
  /* English hyphenation (text/hyphen.h), or NULL: Latin words then never break */
  struct nb_hyphenator *hyph;
  /* font lists already reported as falling back (one warning per list) */
  const nb_fontlist *warned[16];
  int nwarned;
} nb_textctx;

/* One run of input: text in one role, optionally bold and/or a link. */
typedef struct nb_textseg {
  const char *text; /* UTF-8 */
  size_t len;
  const nb_role *role;
  int bold;         /* bold on top of the role's own setting */
  const char *link; /* URI or NULL */
  nb_pos pos;       /* where the text came from, for messages */
} nb_textseg;

typedef struct nb_parastyle {
  double width;  /* the measure, pt */
  double indent; /* first-line indent, pt */
  double right_indent;
  nb_align align;
  int last_justify; /* stretch the last line too (rarely wanted) */
} nb_parastyle;

typedef struct nb_pglyph {
  nb_font *font;
  float size;
  uint32_t gid;
  float x;     /* from the line's left edge */
  float y;     /* offset from the baseline, up positive */
  uint32_t t0; /* text[t0 .. t0+tn) is what this glyph stands for (tn = 0: nothing) */
  uint16_t tn;
  uint8_t synth_bold;
  uint16_t seg; /* index of the input segment */
} nb_pglyph;

typedef struct nb_pline {
  size_t g0, g1;          /* glyphs[g0 .. g1) */
  double x0, x1;          /* ink extent from the line's left edge */
  double size;            /* largest font size on the line */
  double ascent, descent; /* pt, from the fonts on the line (descent positive) */
  double ratio;           /* adjustment ratio used (for tests and debugging) */
} nb_pline;

typedef struct nb_para {
  nb_pglyph *glyphs;
  size_t nglyphs;
  uint32_t *text;
  size_t ntext;
  nb_pline *lines;
  size_t nlines;
  const nb_textseg *segs; /* borrowed from the caller */
  size_t nsegs;
  int tag;       /* the structure element it belongs to (nb_pages.elems index + 1); 0: none, an
                  * artifact such as a running header or a page number */
  int tag2;      /* when not 0: the segments from seg2 on belong to this element instead (a
                  * run-in heading's paragraph, on the heading's lines) */
  uint16_t seg2; /* first segment of tag2 */
} nb_para;

/* Lays out the segments; never NULL. Characters no font has are errors (each character and
 * its source position once) and are dropped. */
nb_para *nb_para_layout(nb_textctx *tc, const nb_textseg *segs, size_t nsegs,
                        const nb_parastyle *ps);
void nb_para_free(nb_para *p);
/* The natural width of the segments on one line (no breaking), for table column sizing;
 * `min_width` gets the widest unbreakable piece. */
double nb_para_measure(nb_textctx *tc, const nb_textseg *segs, size_t nsegs, double *min_width);

#endif
