/* Line breaking for the whole paragraph at once (Knuth–Plass): every feasible set of breaks
 * is weighed by the looseness of its lines, the penalties of its breaks (inside a URL) and
 * jumps in looseness between neighbouring lines (fitness classes), and the cheapest wins.
 * Linear in the number of units times the units per line. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "text/paraint.h"

enum { NCLASS = 4 };           /* very loose, loose, decent, tight */
#define LINE_PENALTY 10.0      /* per line: fewer lines when all else is equal */
#define ADJ_DEMERITS 10000.0   /* neighbouring lines two fitness classes apart */
#define BIG_RATIO 100.0        /* a line with nothing to stretch that falls short */
#define INF_BAD 1e5            /* "infinitely bad": very loose lines are all alike */
#define EMERGENCY_PENALTY 3000 /* a break inside a word or number longer than the line */

int nb__justified(const nb_parastyle *ps) {
  return ps->align == NB_ALIGN_JUSTIFY || ps->align == NB_ALIGN_DEFAULT;
}

static double badness(double r) {
  double a = fabs(r);
  return a > 10 ? INF_BAD : NB_MIN(INF_BAD, 100.0 * a * a * a);
}

/* Natural width nat0 with both edge marks at full width. A mark at a line edge is set full
 * width or half width, nothing between (so its ink or its em box lines up with the margin):
 * of the four ways, the one that needs the least adjustment of the gaps wins, and on a tie
 * the one that trims less, the line end before the line start (GB/T 15834 half-width
 * line-end marks). */
static linefit settle(double nat0, double st, double sh, double room_l, double room_r,
                      double measure, int stretch) {
  linefit best = {0};
  double best_bad = DBL_MAX;
  for (int opt = 0; opt < 4; opt++) {
    linefit f = {.trim_r = (opt & 1) ? room_r : 0, .trim_l = (opt & 2) ? room_l : 0};
    if ((opt & 1 && room_r <= 0) || (opt & 2 && room_l <= 0)) continue;
    f.nat = nat0 - f.trim_l - f.trim_r;
    double slack = measure - f.nat;
    if (slack >= -1e-6) {
      if (stretch) f.ratio = st > 1e-9 ? slack / st : (slack > 0.01 ? BIG_RATIO : 0);
    } else {
      f.ratio = sh > 1e-9 ? slack / sh : -BIG_RATIO;
      f.overfull = f.ratio < -1 - 1e-9;
    }
    double bad = f.overfull ? DBL_MAX / 2 - f.ratio : badness(f.ratio);
    if (bad + 1e-9 < best_bad) {
      best = f;
      best_bad = bad;
    }
  }
  return best;
}

linefit nb__fit(const builder *b, const nb_parastyle *ps, size_t a, size_t z, double measure,
                int last) {
  const unit *U = b->units.v;
  const double *pw = b->pw, *st = b->pst, *sh = b->psh;
  /* centred lines get a ratio too: placement fills the nearly full ones (para.c) */
  int stretch = (nb__justified(ps) || ps->align == NB_ALIGN_CENTER) && (!last || ps->last_justify);
  if (a > z) return (linefit){0}; /* an empty line (two forced breaks in a row) */
  /* a line that ends at a hyphenation point carries the hyphen (never the last line) */
  double nat0 = pw[z + 1] - pw[a] - U[z].glue + U[a].cut_l + U[z].cut_r + (last ? 0 : U[z].hyph) +
                (z + 1 < b->units.n && U[z + 1].space ? U[z].kern_r : 0);
  double room_l = U[a].boxed ? 0 : U[a].blank_l, room_r = U[z].boxed ? 0 : U[z].blank_r;
  linefit f = settle(nat0, st[z] - st[a], sh[z] - sh[a], room_l, room_r, measure, stretch);
  if (U[z].hang && z > a) {
    /* the mark outside the measure, right after the last character: no gap before it */
    double nat_h = pw[z] - pw[a] - U[z - 1].glue + U[a].cut_l;
    linefit h = settle(nat_h, st[z - 1] - st[a], sh[z - 1] - sh[a], room_l, 0, measure, stretch);
    h.hang = 1;
    double bf = f.overfull ? DBL_MAX : badness(f.ratio),
           bh = h.overfull ? DBL_MAX : badness(h.ratio);
    if (bh + 1e-9 < bf) f = h;
  }
  return f;
}

static int fitness(double r) {
  if (r > 1) return 0;
  if (r > 0.5) return 1;
  if (r >= -0.5) return 2;
  return 3;
}

static int latin_letter(uint32_t c) {
  return ((c | 32) >= 'a' && (c | 32) <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* Breaks of last resort: inside a number, URL or run of text wider than the whole line
 * (which would otherwise run into the margin), between any two units where the line-start
 * and line-end rules allow. Latin words are left whole: they break at hyphenation points,
 * with a hyphen, or not at all; the letters of an address are not a word (a token in a
 * URL longer than the line would otherwise run off the page). Returns per unit 1 where such a break
 * may follow it. */
static unsigned char *emergency_breaks(const builder *b, const nb_parastyle *ps) {
  size_t nu = b->units.n;
  const unit *U = b->units.v;
  unsigned char *e = nb_xcalloc(nu + 1, 1);
  double width = ps->width - ps->right_indent - ps->indent;
  size_t start = 0;
  for (size_t k = 0; k < nu; k++) {
    if (U[k].brk == NB_BRK_NONE) continue;
    if (b->pw[k + 1] - b->pw[start] > width) {
      for (size_t m = start; m < k; m++) {
        size_t c = b->ustart[m + 1]; /* first character after the break */
        if (c == 0 || c >= b->n || U[m].space || U[m + 1].space) continue;
        if (latin_letter(b->text[c - 1]) && latin_letter(b->text[c]) && !(U[m].url && U[m + 1].url))
          continue;
        e[m] = !nb_no_line_start(b->text[c]) && !nb_no_line_end(b->text[c - 1]);
      }
    }
    start = k + 1;
  }
  return e;
}

typedef struct node {
  double dem;
  long prev; /* node position (unit index + 1) of the previous break; -1: none yet */
  int prev_class;
} node;

/* Keeps the cheapest overfull line from position p as a last resort. */
static void over_candidate(const node *N, size_t p, double over, double *best, long *best_p) {
  for (int c = 0; c < NCLASS; c++) {
    if (N[p * NCLASS + c].dem == DBL_MAX) continue;
    double d = N[p * NCLASS + c].dem + 1e12 + over * 1e6;
    if (d < *best) {
      *best = d;
      *best_p = (long)(p * NCLASS + c);
    }
  }
}

size_t *nb__break_lines(const builder *b, const nb_parastyle *ps, size_t *nlines) {
  size_t nu = b->units.n;
  const unit *U = b->units.v;
  int justify = nb__justified(ps);
  /* first / last non-space unit at or after / at or before each unit */
  size_t *first_ns = nb_xmalloc((nu + 1) * sizeof *first_ns);
  long *last_ns = nb_xmalloc((nu + 1) * sizeof *last_ns);
  first_ns[nu] = nu;
  for (size_t k = nu; k-- > 0;) first_ns[k] = U[k].space ? first_ns[k + 1] : k;
  for (size_t k = 0; k < nu; k++) last_ns[k] = U[k].space ? (k ? last_ns[k - 1] : -1) : (long)k;
  /* N[p * NCLASS + c]: the best way to break after unit p-1 with a last line of class c;
   * p = 0 is the paragraph's start */
  node *N = nb_xmalloc((nu + 1) * NCLASS * sizeof *N);
  for (size_t k = 0; k < (nu + 1) * NCLASS; k++) N[k] = (node){DBL_MAX, -1, 0};
  N[0 * NCLASS + 2].dem = 0; /* the start counts as a decent line */
  unsigned char *reach = nb_xcalloc(nu + 1, 1);
  unsigned char *emerg = emergency_breaks(b, ps);
  reach[0] = 1;
  size_t forced = 0; /* position after the last forced break: no line may cross it */
  for (size_t j = 0; j < nu; j++) {
    if (U[j].brk == NB_BRK_NONE && !emerg[j]) continue;
    /* ragged and centred text (titles, headings, signatures) needs no hyphens; narrow
     * table cells, centred or not, do */
    if (U[j].hyph > 0 && !justify && !b->segs[b->seg_of[b->ustart[j]]].role->boxed) continue;
    int penalty = U[j].brk == NB_BRK_NONE ? EMERGENCY_PENALTY : U[j].penalty;
    int last = j + 1 == nu || U[j].brk == NB_BRK_MUST;
    double best_over = DBL_MAX;
    long best_over_p = -1;
    size_t p = j + 1;
    while (p-- > forced) {
      /* the line holds units p..j */
      double width = ps->width - ps->right_indent - (p == 0 ? ps->indent : 0);
      if (b->pw[j + 1] - b->pw[p] - (b->psh[j + 1] - b->psh[p]) > width + 3 * U[j].em) break;
      if (!reach[p]) continue;
      size_t a = first_ns[p];
      long z = last_ns[j];
      linefit f = z < (long)a ? (linefit){0} : nb__fit(b, ps, a, (size_t)z, width, last);
      if (f.overfull) {
        over_candidate(N, p, f.nat - width, &best_over, &best_over_p);
        continue;
      }
      double bad;
      int cls;
      if (justify) {
        bad = last && !ps->last_justify ? 0 : badness(f.ratio);
        cls = last && !ps->last_justify ? 2 : fitness(f.ratio);
      } else {
        /* ragged lines: prefer even lengths, except the last; centred lines (titles:
         * GB/T 9704 7.3.3 wants them symmetric) the last too, so that they balance; not
         * in table cells, whose lines fill the cell and centre only the last */
        double em = U[j].em > 0 ? U[j].em : 10, slack = (width - f.nat) / em;
        int balance = ps->align == NB_ALIGN_CENTER && !b->segs[b->seg_of[b->ustart[j]]].role->boxed;
        bad = last && !balance ? 0 : 10 * slack * slack;
        cls = 2;
      }
      double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
      if (!last && penalty > 0) d += (double)penalty * penalty;
      node *to = &N[(j + 1) * NCLASS + cls];
      for (int c = 0; c < NCLASS; c++) {
        const node *from = &N[p * NCLASS + c];
        if (from->dem == DBL_MAX) continue;
        double t = from->dem + d + (abs(c - cls) > 1 && justify ? ADJ_DEMERITS : 0);
        if (t < to->dem) *to = (node){t, (long)p, c};
      }
    }
    if (best_over_p < 0 && p + 1 > forced) {
      /* an unbreakable piece longer than the line: overfull from the nearest break */
      while (p > forced && !reach[p]) p--;
      if (reach[p]) {
        long z = last_ns[j];
        double width = ps->width - ps->right_indent - (p == 0 ? ps->indent : 0);
        double nat =
            z < (long)first_ns[p] ? 0 : nb__fit(b, ps, first_ns[p], (size_t)z, width, last).nat;
        over_candidate(N, p, nat - width, &best_over, &best_over_p);
      }
    }
    int any = 0;
    for (int c = 0; c < NCLASS; c++) any |= N[(j + 1) * NCLASS + c].dem < DBL_MAX;
    if (!any && best_over_p >= 0) {
      /* nothing fits: an overfull line is better than no line (an unbreakable URL) */
      N[(j + 1) * NCLASS + 3] =
          (node){best_over, best_over_p / NCLASS, (int)(best_over_p % NCLASS)};
      any = 1;
    }
    reach[j + 1] = (unsigned char)any;
    if (U[j].brk == NB_BRK_MUST && any) {
      /* lines never cross a forced break: keep only the best way to reach it */
      forced = j + 1;
    }
  }
  /* back from the end */
  size_t p = nu;
  int c = 0;
  for (int k = 1; k < NCLASS; k++)
    if (N[p * NCLASS + k].dem < N[p * NCLASS + c].dem) c = k;
  size_t cnt = 0;
  for (size_t q = p; q > 0 && N[q * NCLASS + c].prev >= 0;) {
    const node *nd = &N[q * NCLASS + c];
    cnt++;
    q = (size_t)nd->prev;
    c = nd->prev_class;
  }
  size_t *ends = nb_xmalloc((cnt + 1) * sizeof *ends);
  c = 0;
  for (int k = 1; k < NCLASS; k++)
    if (N[p * NCLASS + k].dem < N[p * NCLASS + c].dem) c = k;
  size_t k = cnt;
  for (size_t q = p; q > 0 && k > 0;) {
    const node *nd = &N[q * NCLASS + c];
    ends[--k] = q - 1;
    q = (size_t)nd->prev;
    c = nd->prev_class;
  }
  *nlines = cnt;
  free(first_ns);
  free(last_ns);
  free(N);
  free(reach);
  free(emerg);
  return ends;
}
