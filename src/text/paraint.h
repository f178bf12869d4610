/* Internals of paragraph layout, shared by para.c (shaping, placement), punct.c
 * (punctuation widths and the glue between units) and knuth.c (line breaking). */
#ifndef NB_PARAINT_H
#define NB_PARAINT_H

#include "text/breaks.h"
#include "text/para.h"

/* Stretch of one gap between CJK characters, in em: ratio 1 adds this much. The breaker's
 * badness grows with the cube of the ratio; placement never goes beyond NB_MAX_RATIO
 * (0.15 em a gap, where a line starts to look loose next to solid ones) and leaves the rest
 * of a line ragged instead. */
#define NB_CJK_STRETCH 0.15
#define NB_CJK_SHRINK 0.02
#define NB_MAX_RATIO 1.0
#define NB_MAX_RATIO_SPACED 3.0 /* Latin word spaces: 1/3 em grows to at most 5/6 em */

/* A unit is what the line breaker moves: one shaped cluster (one Hanzi, one mark, one Latin
 * letter or digit) or one space. */
typedef struct unit {
  size_t g0, g1;           /* its glyphs */
  double w;                /* advance inside a line: after adjacent-mark compression, with
                            * the grid's tracking */
  double cut_l, cut_r;     /* blank taken off its left / right side inside a line, because a
                            * neighbouring mark is adjacent; given back at a line edge */
  double blank_l, blank_r; /* blank on each side that may go at a line start / end when the
                            * line needs the room (opening marks left, closing and stop
                            * marks right) */
  double glue;             /* space after it when the line goes on (CJK–Latin spacing) */
  double stretch, shrink;  /* of the gap after it */
  double em;               /* its font size */
  int penalty;             /* of a break after it */
  unsigned char brk;       /* NB_BRK_* after it */
  unsigned char space;     /* a space or forced break: dropped at line edges */
  unsigned char cjk;       /* set on the CJK grid */
  unsigned char punct;     /* nb_punct class (0 when proportional in its font) */
  unsigned char hang;      /* may hang into the right margin at a line end */
  unsigned char halved;    /* a mark set half width by the layout's punctuation style */
  unsigned char boxed;     /* in a ruled table cell: keeps its em box inside at line edges */
  unsigned char url;       /* part of a URL or e-mail address (its last character is) */
  double hyph;             /* > 0: a break after it is a hyphenation point; the hyphen's width */
  double kern_r;           /* its advance as kerned against a following space ("A "), given
                            * back when the line ends at that space */
  uint32_t hyph_gid;       /* the hyphen's glyph in this unit's font */
} unit;

typedef struct builder {
  nb_textctx *tc;
  const nb_textseg *segs;
  size_t nsegs;
  uint32_t *text;
  uint16_t *seg_of;
  size_t n;
  VEC(nb_pglyph) glyphs;
  VEC(unit) units;
  size_t *ustart;         /* first character of each unit */
  double *pw, *pst, *psh; /* prefix sums over units of w + glue, stretch, shrink */
} builder;

/* How one line of units a..z (spaces at both ends already dropped) is set. */
typedef struct linefit {
  double nat;            /* natural width after the edge trims (hanging mark excluded) */
  double ratio;          /* > 0: of the stretch, < 0: of the shrink, of gaps a..z-1 */
  double trim_l, trim_r; /* blank taken off the first unit's left / the last unit's right */
  int hang;              /* the last unit hangs into the margin */
  int overfull;          /* does not fit even at full shrink */
} linefit;

/* Per-character break flags handed to nb__glue: NB_BRK_* and whether it is in a URL. */
enum { NB__BRK_MASK = 3, NB__URL_CHAR = 4, NB__HYPH = 8 };
/* TeX's \hyphenpenalty: a hyphenated line end costs a little */
#define NB_HYPHEN_PENALTY 50

/* punct.c: classes, blanks and adjacent-mark compression of punctuation, then the glue
 * between units (CJK spacing, CJK–Latin space, Latin word spaces) and break penalties. */
void nb__punct(builder *b);
void nb__glue(builder *b, const unsigned char *cb);
/* Ragged text that wraps (titles, headings, captions; not table cells) breaks between
 * words: breaks inside a Chinese word (text/words.h) cost a penalty. */
void nb__word_penalties(builder *b, const nb_parastyle *ps);

/* knuth.c: the breaks of the whole paragraph; returns the last unit of each line. */
size_t *nb__break_lines(const builder *b, const nb_parastyle *ps, size_t *nlines);
/* How a..z is set on a line of width `measure` (shared by the breaker and placement). */
linefit nb__fit(const builder *b, const nb_parastyle *ps, size_t a, size_t z, double measure,
                int last);
/* Whether the paragraph is justified. */
int nb__justified(const nb_parastyle *ps);

#endif
