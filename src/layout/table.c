/* Tables: cells resolved onto a grid, column widths from content (minimum and preferred
 * widths, as HTML auto layout), rows as boxes for the page builder, and drawing of every
 * cell on the page(s) its rows landed on. Looks come from the layout's `table:` settings
 * (nb_tablestyle). See docs/tables.md.
 *
 * A row is one box, so the page builder never splits it; only a row taller than the type
 * area is cut into slices between text lines, each a box of its own. A rowspanned cell
 * split by a page break is drawn on each page, its text repeated, as printed reports do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow.h"

typedef struct tcell {
  const nb_cell *src;
  int r, c, rs, cs;
  nb_para *para;
  double text_h; /* height of its text */
  nb_align align;
  nb_valign valign;
  int head;  /* set in the header role */
  int shade; /* filled with the layout's header gray */
} tcell;

/* One box of the flow: a whole row, or one line of a row taller than the type area (the
 * page builder then breaks between its lines as between a paragraph's). */
typedef struct tband {
  int row;
  int line0, line1; /* a slice shows lines [line0, line1) of the row's own cells; -1: a row */
  double pad_top;   /* the cell padding above a slice's text: only on the first slice */
  double h;
} tband;

typedef struct nb_tlayout {
  int repeat_header; /* continuation pages get 续表 and the header rows again (not when the
                        header alone would fill most of a page) */
  int nrows, ncols, header_rows;
  double *colw, *colx, *rowh;
  VEC(tcell) cells;
  VEC(tband) bands;
  int *band0;       /* first band of each row; band0[nrows] = number of bands */
  size_t first_box; /* index in flow->boxes of band 0 */
  double width;
  double pad_x, pad_y, rule, frame, gray;
  double line_h;    /* line pitch inside cells */
  nb_role roles[2]; /* table and table_head, at the size the table is set in */
  nb_role en[2];    /* the same for the English of a bilingual edition */
  int has_en;
  const char *blank; /* what a blank statutory cell prints */
  int turned;        /* on landscape pages: rows are broken by the type area's width */
  int whole_words;   /* the columns hold every Latin word whole: no hyphenation in cells */
} nb_tlayout;

int nb_table_header_rows(const nb_tlayout *tl) { return tl->header_rows; }
int nb_table_repeats_header(const nb_tlayout *tl) { return tl->repeat_header; }
double nb_table_row_height(const nb_tlayout *tl, int row) { return tl->rowh[row]; }

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* A number as tables print it: an optional sign, digits (with thousands commas), optional
 * decimals, then optionally a unit: %, ‰, up to 4 ASCII letters or up to 3 Hanzi
 * ("585313万元", "-2", "1,234.5", "66%"). Such cells are aligned per the layout. */
int nb_table_is_number(const char *s) {
  if (!s) return 0;
  while (*s == ' ') s++;
  if (*s == '+' || *s == '-')
    s++;
  else if (!strncmp(s, "\u2212", 3) || !strncmp(s, "\uFF0D", 3))
    s += 3;
  int digits = 0;
  while (is_digit(*s) || (*s == ',' && digits && is_digit(s[1]))) digits += is_digit(*s++);
  if (!digits) return 0;
  if (*s == '.') {
    if (!is_digit(*++s)) return 0;
    while (is_digit(*s)) s++;
  }
  while (*s == ' ') s++;
  if (!*s || !strcmp(s, "%") || !strcmp(s, "\uFF05") || !strcmp(s, "\u2030")) return 1;
  int n = 0;
  if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') {
    while ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') s++, n++;
    return !*s && n <= 4;
  }
  while (*s) { /* Hanzi of the basic block: 3 bytes from E4 B8 80 (U+4E00) to E9 BF BF */
    unsigned char c = (unsigned char)*s;
    if (c < 0xE4 || c > 0xE9 || (c == 0xE4 && (unsigned char)s[1] < 0xB8)) return 0;
    if (((unsigned char)s[1] & 0xC0) != 0x80 || ((unsigned char)s[2] & 0xC0) != 0x80) return 0;
    s += 3;
    n++;
  }
  return n <= 3;
}

/* Places cells on the grid as HTML does: a cell covered by a rowspan from above is skipped. */
static int resolve(nb_tlayout *tl, const nb_table *t, nb_diags *d) {
  int ncols = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    int w = 0;
    for (size_t k = 0; k < t->rows[r].n; k++) w += NB_MAX(1, t->rows[r].cells[k].colspan);
    ncols = NB_MAX(ncols, w);
  }
  if (t->nrows == 0 || ncols == 0) return 0;
  int nrows = (int)t->nrows;
  unsigned char *occ = nb_xcalloc((size_t)nrows * (size_t)ncols + 1, 1);
  for (int r = 0; r < nrows; r++) {
    int c = 0;
    for (size_t k = 0; k < t->rows[r].n; k++) {
      const nb_cell *cell = &t->rows[r].cells[k];
      while (c < ncols && occ[r * ncols + c]) c++;
      int rs = NB_MAX(1, cell->rowspan), cs = NB_MAX(1, cell->colspan);
      if (r + rs > nrows) rs = nrows - r;
      if (c + cs > ncols) {
        nb_error(d, cell->pos, "this cell does not fit in the table's %d columns", ncols);
        cs = ncols - c;
        if (cs <= 0) break;
      }
      for (int i = r; i < r + rs; i++)
        for (int j = c; j < c + cs; j++) occ[i * ncols + j] = 1;
      tcell tc = {.src = cell, .r = r, .c = c, .rs = rs, .cs = cs};
      tc.head = r < t->header_rows || cell->header;
      VEC_PUSH(tl->cells, tc);
      c += cs;
    }
  }
  free(occ);
  tl->nrows = nrows;
  tl->ncols = ncols;
  /* header shading: the header rows, and rows made only of header cells (the group titles
   * and column heads inside table 二) */
  unsigned char *plain = nb_xcalloc((size_t)nrows + 1, 1);
  for (size_t i = 0; i < tl->cells.n; i++)
    if (!tl->cells.v[i].head) plain[tl->cells.v[i].r] = 1;
  for (size_t i = 0; i < tl->cells.n; i++) {
    tcell *c = &tl->cells.v[i];
    c->shade = c->r < t->header_rows || !plain[c->r];
  }
  free(plain);
  return 1;
}

static const nb_str *cell_text(const nb_tlayout *tl, nb_textctx *tc, const tcell *c, nb_str *tmp) {
  if (c->src->blank) {
    *tmp = (nb_str){tl->blank, c->src->pos};
    return tmp;
  }
  return nb_text_pick(&c->src->text, tc->lang);
}

static void cell_segs(nb_tlayout *tl, nb_textctx *tc, const tcell *c, nb_arena *a, nb_textseg **out,
                      size_t *n) {
  nb_str tmp;
  const nb_str *s = cell_text(tl, tc, c, &tmp);
  const nb_role *r = &tl->roles[c->head];
  *n = 0;
  *out = NULL;
  if (!s || !s->s || !*s->s) return;
  nb_spans sp;
  if (c->src->blank) { /* the layout's text: no markup */
    nb_span one = {s->s, strlen(s->s), 0, NULL};
    sp = (nb_spans){nb_arena_alloc(a, sizeof one), 1};
    sp.v[0] = one;
  } else
    sp = nb_inline_parse(a, s->s, s->pos, NULL); /* the loader warned already */
  /* a bilingual edition puts the English beneath the Chinese, in a smaller Latin face */
  const nb_str *en = tl->has_en && !c->src->blank ? &c->src->text.en : NULL;
  nb_spans ep = {0};
  if (en && en->s && *en->s && en != s) ep = nb_inline_parse(a, en->s, en->pos, NULL);
  *out = nb_arena_alloc(a, (sp.n + ep.n + 2) * sizeof **out);
  for (size_t i = 0; i < sp.n; i++)
    (*out)[(*n)++] = (nb_textseg){sp.v[i].text, sp.v[i].len, r, sp.v[i].bold, sp.v[i].link, s->pos};
  if (ep.n) {
    const nb_role *er = &tl->en[c->head];
    (*out)[(*n)++] = (nb_textseg){"\n", 1, er, 0, NULL, en->pos};
    for (size_t i = 0; i < ep.n; i++)
      (*out)[(*n)++] =
          (nb_textseg){ep.v[i].text, ep.v[i].len, er, ep.v[i].bold, ep.v[i].link, en->pos};
  }
}

/* Minimum and preferred widths of the columns, padding included: single-column cells
 * first, then spanning cells widen what they span. `bx` gets the preferred widths of the
 * body rows alone: header text is the first to wrap when room is short. */
static void content_widths(nb_tlayout *tl, nb_textctx *tc, nb_arena *a, double *mn, double *mx,
                           double *bx) {
  int nc = tl->ncols;
  for (int j = 0; j < nc; j++) mn[j] = mx[j] = bx[j] = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < tl->cells.n; i++) {
      tcell *c = &tl->cells.v[i];
      if ((pass == 0) != (c->cs == 1)) continue;
      nb_textseg *segs;
      size_t ns;
      cell_segs(tl, tc, c, a, &segs, &ns);
      double cmin = 0, cmax = ns ? nb_para_measure(tc, segs, ns, &cmin) : 0;
      cmin += 2 * tl->pad_x + 0.5; /* half a point for rounding and the rule */
      cmax += 2 * tl->pad_x + 0.5;
      double smin = 0, smax = 0, sbody = 0;
      for (int j = c->c; j < c->c + c->cs; j++) smin += mn[j], smax += mx[j], sbody += bx[j];
      int body = c->r >= tl->header_rows;
      for (int j = c->c; j < c->c + c->cs; j++) {
        if (cmin > smin) mn[j] += (cmin - smin) / c->cs;
        if (cmax > smax) mx[j] += (cmax - smax) / c->cs;
        if (body && cmax > sbody) bx[j] += (cmax - sbody) / c->cs;
      }
    }
  for (int j = 0; j < nc; j++) {
    if (bx[j] < mn[j]) bx[j] = mn[j];
    if (mx[j] < bx[j]) mx[j] = bx[j];
  }
}

/* Column widths for a table W wide. Each column has four widths, L0 ≤ L1 ≤ L2 ≤ L3:
 *   automatic column: its minimum, its minimum, the preferred width of its body text,
 *                     its preferred width (with the header text);
 *   given width (content, statutory format): its minimum, then the given width (never less
 *                     than the minimum) three times.
 * The widest level whose sum fits is widened towards the next, as HTML auto layout does:
 * so header text wraps first, then automatic columns narrow to their minimum, then the
 * given ones. Room to spare goes to the automatic columns (else to all). Returns 0 when
 * even the minimum widths exceed W (the caller shrinks the font). */
static int widths(nb_tlayout *tl, const nb_table *t, const double *mn, const double *mx,
                  const double *bx, double W) {
  int nc = tl->ncols;
  double *L = nb_xcalloc(4 * (size_t)nc + 1, sizeof *L), sum[4] = {0}, auto3 = 0;
  for (int j = 0; j < nc; j++) {
    double g = (size_t)j < t->ncols ? t->cols[j].width : 0, *l = &L[4 * j];
    if (g != 0) {
      l[0] = mn[j];
      l[1] = l[2] = l[3] = NB_MAX(g > 0 ? g : -g * W, mn[j]);
    } else {
      l[0] = l[1] = mn[j];
      l[2] = bx[j];
      l[3] = mx[j];
      auto3 += l[3];
    }
    for (int k = 0; k < 4; k++) sum[k] += l[k];
  }
  int k = 3;
  while (k >= 0 && sum[k] > W) k--;
  for (int j = 0; j < nc; j++) {
    const double *l = &L[4 * j];
    double g = (size_t)j < t->ncols ? t->cols[j].width : 0;
    if (k == 3) /* room to spare */
      tl->colw[j] = l[3] + (W - sum[3]) * (auto3 > 0 ? (g == 0) * l[3] / auto3 : l[3] / sum[3]);
    else if (k >= 0)
      tl->colw[j] = l[k] + (l[k + 1] - l[k]) * (W - sum[k]) / NB_MAX(sum[k + 1] - sum[k], 1e-9);
    else
      tl->colw[j] = l[0] * W / sum[0]; /* too narrow even so: text will cross rules */
  }
  tl->colx[0] = 0;
  for (int j = 0; j < nc; j++) tl->colx[j + 1] = tl->colx[j] + tl->colw[j];
  tl->colx[nc] = W; /* no rounding gap at the right frame */
  free(L);
  return k >= 0;
}

/* Sets the table's roles, padding and line pitch for text `scale` times the layout's. */
static void set_size(nb_tlayout *tl, nb_textctx *tc, double scale) {
  const nb_style *s = tc->style;
  const nb_tablestyle *ts = &s->table;
  for (int h = 0; h < 2; h++) {
    tl->roles[h] = s->roles[h ? NB_ROLE_TABLE_HEAD : NB_ROLE_TABLE];
    tl->roles[h].size *= scale;
    tl->roles[h].leading *= scale;
    if (tl->has_en) {
      tl->en[h] = tc->en_roles[h ? NB_ROLE_TABLE_HEAD : NB_ROLE_TABLE];
      tl->en[h].size *= scale;
      tl->en[h].leading *= scale;
    }
  }
  double size = NB_MAX(tl->roles[0].size, tl->roles[1].size);
  tl->pad_x = ts->pad_x * tl->roles[0].size;
  tl->pad_y = ts->pad_y * tl->roles[0].size;
  tl->line_h = size * (ts->line_spacing > 0 ? ts->line_spacing : 1.3);
}

/* Column widths, shrinking the text in steps of the Chinese size ladder down to 小五
 * (9 pt) while the minimum widths exceed the width; warns when even 小五 is too wide.
 * English words are first kept whole (a column of "Com-mer-cial enter-prises" reads
 * badly, a step smaller reads well); only a table too wide for whole words even in 小五
 * is hyphenated, in 小五, where the fewest words need it. */
static void fit_width(nb_tlayout *tl, const nb_table *t, nb_textctx *tc, nb_arena *a, double W) {
  static const double ladder[] = {16, 15, 14, 12, 10.5, 9}; /* 三号 … 小五 */
  double base = tc->style->roles[NB_ROLE_TABLE].size;
  double *mn = nb_xcalloc((size_t)tl->ncols + 1, sizeof *mn);
  double *mx = nb_xcalloc((size_t)tl->ncols + 1, sizeof *mx);
  double *bx = nb_xcalloc((size_t)tl->ncols + 1, sizeof *bx);
  struct nb_hyphenator *hyph = tc->hyph;
  int fits = 0;
  double size = base;
  size_t k = 0;
  for (int round = hyph ? 0 : 1; round < 2 && !fits; round++) {
    tc->hyph = round ? hyph : NULL;
    for (;;) {
      set_size(tl, tc, size / base);
      content_widths(tl, tc, a, mn, mx, bx);
      if ((fits = widths(tl, t, mn, mx, bx, W))) break;
      while (k < sizeof ladder / sizeof *ladder && ladder[k] >= size - 0.01) k++;
      if (k == sizeof ladder / sizeof *ladder) break;
      size = ladder[k];
    }
    tl->whole_words = fits && !round && hyph;
  }
  tc->hyph = hyph;
  if (!fits) {
    double need = 0;
    for (int j = 0; j < tl->ncols; j++) need += mn[j];
    nb_warn(tc->d, t->pos,
            "table: its %d columns need %.0f pt even in 9 pt text (小五) and the type area "
            "is %.0f pt wide; text will cross cell borders (shorten the longest unbreakable "
            "words or numbers, or split the table)",
            tl->ncols, need, W);
  }
  free(mn);
  free(mx);
  free(bx);
}

/* How far the em box of a full-width mark ending a line reaches past the measure w (the
 * paragraph sets its blank half outside, as body text hangs it into the margin). */
static double protrusion(const nb_para *p, double w) {
  double most = 0;
  for (size_t l = 0; l < p->nlines; l++) {
    const nb_pline *ln = &p->lines[l];
    if (ln->g1 <= ln->g0) continue;
    const nb_pglyph *g = &p->glyphs[ln->g1 - 1];
    uint32_t cp = g->tn && g->t0 < p->ntext ? p->text[g->t0] : 0;
    int wide = (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
               (cp >= 0x2018 && cp <= 0x201D);
    if (wide) most = NB_MAX(most, g->x + g->size - w);
  }
  return most;
}

static nb_align cell_align(const nb_tlayout *tl, const nb_table *t, const tcell *c,
                           const nb_style *s, const char *text) {
  nb_align al = c->src->align;
  if (!al && !c->head && (size_t)c->c < t->ncols) al = t->cols[c->c].align;
  if (!al && !c->head && (c->src->blank || nb_table_is_number(text))) al = s->table.numbers;
  if (!al) al = c->head ? NB_ALIGN_CENTER : tl->roles[0].align;
  return al;
}

/* Rows become bands; a row taller than `avail` becomes one band per text line (the first
 * and last with the cell padding), so that its page breaks fall between lines wherever the
 * page ends, as a paragraph's do. */
static void make_bands(nb_tlayout *tl, double avail) {
  tl->band0 = nb_xcalloc((size_t)tl->nrows + 1, sizeof *tl->band0);
  for (int r = 0; r < tl->nrows; r++) {
    tl->band0[r] = (int)tl->bands.n;
    double h = tl->rowh[r];
    /* a header that is repeated stays whole; one too tall to repeat is cut like a row */
    if ((r < tl->header_rows && tl->repeat_header) || h <= avail + 0.01) {
      tband b = {r, -1, -1, 0, h};
      VEC_PUSH(tl->bands, b);
      continue;
    }
    /* enough lines for the row's own cells and for its height */
    int n = (int)ceil((h - 2 * tl->pad_y) / tl->line_h - 1e-6);
    for (size_t i = 0; i < tl->cells.n; i++) {
      const tcell *c = &tl->cells.v[i];
      if (c->r == r && c->rs == 1 && c->para) n = NB_MAX(n, (int)c->para->nlines);
    }
    for (int l = 0; l < n; l++) {
      tband b = {r, l, l + 1, l == 0 ? tl->pad_y : 0, tl->line_h};
      b.h += b.pad_top + (l + 1 == n ? tl->pad_y : 0);
      VEC_PUSH(tl->bands, b);
    }
  }
  tl->band0[tl->nrows] = (int)tl->bands.n;
}

/* The grid of cells and the layout's settings; no widths or text yet. NULL for a table
 * without cells. */
static nb_tlayout *prepare(const nb_table *t, nb_textctx *tc, double width, nb_diags *d) {
  nb_tlayout *tl = nb_xcalloc(1, sizeof *tl);
  if (!resolve(tl, t, d)) {
    free(tl->cells.v);
    free(tl);
    return NULL;
  }
  const nb_tablestyle *ts = &tc->style->table;
  tl->has_en = tc->en_roles != NULL;
  tl->rule = ts->rule > 0 ? ts->rule : 0.5;
  tl->frame = ts->frame > 0 ? ts->frame : tl->rule;
  tl->gray = ts->header_gray;
  tl->blank = ts->blank ? ts->blank : "";
  tl->width = width;
  tl->header_rows = NB_MAX(0, NB_MIN(t->header_rows, tl->nrows - 1));
  tl->colw = nb_xcalloc((size_t)tl->ncols + 1, sizeof(double));
  tl->colx = nb_xcalloc((size_t)tl->ncols + 1, sizeof(double));
  tl->rowh = nb_xcalloc((size_t)tl->nrows + 1, sizeof(double));
  return tl;
}

int nb_table_too_wide(const nb_table *t, nb_textctx *tc, double width) {
  nb_diags quiet = {0}; /* the layout proper reports the table's errors */
  nb_tlayout *tl = prepare(t, tc, width, &quiet);
  nb_diags_free(&quiet);
  if (!tl) return 0;
  int nc = tl->ncols;
  double *mn = nb_xcalloc((size_t)nc + 1, sizeof *mn);
  double *mx = nb_xcalloc((size_t)nc + 1, sizeof *mx);
  double *bx = nb_xcalloc((size_t)nc + 1, sizeof *bx);
  nb_arena *a = nb_arena_new();
  set_size(tl, tc, 1);
  content_widths(tl, tc, a, mn, mx, bx);
  int wide = !widths(tl, t, mn, mx, bx, width);
  /* two characters a line is what a narrow column of a printed table holds at least (结果 /
   * 维持); below that its text stands one character a line */
  double two = 2 * NB_MAX(tl->roles[0].size, tl->roles[1].size) + 2 * tl->pad_x + 0.5;
  for (int j = 0; j < nc && !wide; j++)
    wide = tl->colw[j] < two - 0.01 && mx[j] > tl->colw[j] + 0.01;
  nb_arena_free(a);
  free(mn);
  free(mx);
  free(bx);
  nb_table_free(tl);
  return wide;
}

nb_tlayout *nb_table_layout(const nb_table *t, nb_textctx *tc, double width, int turned,
                            nb_flow *flow) {
  nb_tlayout *tl = prepare(t, tc, width, tc->d);
  if (!tl) return NULL;
  const nb_style *s = tc->style;
  tl->turned = turned;
  nb_arena *a = nb_arena_new();
  fit_width(tl, t, tc, a, width);
  for (size_t i = 0; i < tl->cells.n; i++) {
    tcell *c = &tl->cells.v[i];
    nb_textseg *segs0;
    size_t ns;
    cell_segs(tl, tc, c, a, &segs0, &ns);
    /* the paragraph keeps a pointer to its segments: copy them to storage that lives on */
    nb_textseg *segs = nb_xcalloc(ns + 1, sizeof *segs);
    for (size_t k = 0; k < ns; k++) {
      segs[k] = segs0[k];
      segs[k].text = nb_xstrndup(segs0[k].text, segs0[k].len);
      segs[k].link = segs0[k].link ? nb_xstrdup(segs0[k].link) : NULL;
    }
    nb_str tmp;
    const nb_str *txt = cell_text(tl, tc, c, &tmp);
    c->align = cell_align(tl, t, c, s, txt ? txt->s : NULL);
    c->valign = c->src->valign ? c->src->valign : NB_VALIGN_MIDDLE;
    double w = tl->colx[c->c + c->cs] - tl->colx[c->c] - 2 * tl->pad_x;
    /* multi-line text in a cell is justified like body text; its last line stays ragged */
    nb_parastyle ps = {.width = w,
                       .align = c->align == NB_ALIGN_LEFT ? NB_ALIGN_JUSTIFY : c->align};
    struct nb_hyphenator *hyph = tc->hyph;
    if (tl->whole_words) tc->hyph = NULL;
    c->para = nb_para_layout(tc, segs, ns, &ps);
    /* a line-end mark whose blank half sticks out past the padding would reach over the
     * rule towards the next cell's text: set such a cell a little narrower */
    double over = protrusion(c->para, w) - (2 * tl->pad_x - 0.3 * tl->roles[c->head].size);
    if (over > 0) {
      nb_para_free(c->para);
      ps.width = w - over - 0.5;
      c->para = nb_para_layout(tc, segs, ns, &ps);
    }
    tc->hyph = hyph;
    c->para->segs = segs; /* owned by the table from here on */
    c->text_h = (double)c->para->nlines * tl->line_h;
    double need = c->text_h + 2 * tl->pad_y;
    if (c->rs == 1 && need > tl->rowh[c->r]) tl->rowh[c->r] = need;
  }
  for (int r = 0; r < tl->nrows; r++)
    if (tl->rowh[r] < tl->line_h + 2 * tl->pad_y) tl->rowh[r] = tl->line_h + 2 * tl->pad_y;
  /* a rowspanned cell taller than its rows makes its last row taller */
  for (size_t i = 0; i < tl->cells.n; i++) {
    tcell *c = &tl->cells.v[i];
    double h = 0;
    for (int r = c->r; r < c->r + c->rs; r++) h += tl->rowh[r];
    double need = c->text_h + 2 * tl->pad_y;
    if (need > h) tl->rowh[c->r + c->rs - 1] += need - h;
  }
  nb_arena_free(a);
  /* a row taller than what a continuation page holds below 续表 and the repeated header
   * is sliced; everything else is whole. A turned page holds the type area's width. */
  double page_h = turned ? nb_style_text_width(s) : nb_style_text_height(s);
  double avail = page_h;
  double repeat_h = nb_style_line_pitch(s) + nb_table_header_height(tl);
  tl->repeat_header = tl->header_rows > 0 && repeat_h <= 0.75 * page_h;
  if (tl->repeat_header) avail -= repeat_h;
  if (avail < page_h / 4) avail = page_h / 4; /* a huge header: slices must stay sensible */
  make_bands(tl, avail);
  /* rows inside a small rowspan group, where the page may not break: marked once per cell
   * (a difference array), not by looking at every cell for every row */
  int *keep = nb_xcalloc((size_t)tl->nrows + 1, sizeof *keep);
  for (size_t i = 0; i < tl->cells.n; i++) {
    const tcell *c = &tl->cells.v[i];
    if (c->rs <= 1) continue;
    double gh = 0;
    for (int q = c->r; q < c->r + c->rs; q++) gh += tl->rowh[q];
    if (gh < page_h / 3) keep[c->r]++, keep[c->r + c->rs - 1]--;
  }
  for (int r = 1; r < tl->nrows; r++) keep[r] += keep[r - 1];
  tl->first_box = flow->boxes.n;
  for (size_t k = 0; k < tl->bands.n; k++) {
    const tband *bd = &tl->bands.v[k];
    int r = bd->row;
    int last = k + 1 == tl->bands.n || tl->bands.v[k + 1].row != r; /* of its row */
    nb_vbox b = {.kind = NB_VB_ROW, .h = bd->h, .table = tl, .row = r, .turned = turned};
    /* the header rows stay together and with the first body row */
    b.keep_next = r < tl->header_rows;
    /* a sliced row: no first or last line alone on a page */
    if (bd->line0 >= 0 && !last)
      b.keep_next = bd->line0 == 0 || k + 2 >= tl->bands.n || tl->bands.v[k + 2].row != r;
    /* a small rowspan group stays on one page; a large one may break between its rows */
    if (last && keep[r] > 0) b.keep_next = 1;
    VEC_PUSH(flow->boxes, b);
  }
  free(keep);
  return tl;
}

/* ---- drawing ---- */

typedef struct dctx {
  nb_tlayout *tl;
  const nb_vbox *bx;    /* the boxes of the bands, placed */
  const double *segtop; /* per band: the top of the table's frame on its page */
  nb_pages *pages;
  const nb_style *s;
} dctx;

static void draw_lines(dctx *D, tcell *c, nb_page *pg, double x0, double y, size_t l0, size_t l1) {
  nb_tlayout *tl = D->tl;
  for (size_t l = l0; l < l1 && l < c->para->nlines; l++) {
    double size = c->para->lines[l].size;
    double base = y - (tl->line_h - size) / 2 - 0.88 * size;
    nb_page_glyphs(pg, c->para, l, x0 + tl->pad_x, base);
    y -= tl->line_h;
  }
}

/* Cell c's part on one page: bands k0..k1 (inclusive); text lines [l0, l1) of it, placed
 * per its vertical alignment (`top_aligned` for text that continues from another part;
 * then `pad` above it). */
static void draw_part(dctx *D, tcell *c, int k0, int k1, size_t l0, size_t l1, int top_aligned,
                      double pad) {
  nb_tlayout *tl = D->tl;
  const nb_vbox *b0 = &D->bx[k0];
  nb_page *pg = &D->pages->pages.v[b0->page];
  double left = pg->turned ? 0 : nb_style_left(D->s, pg->number); /* see nb_page.turned */
  double x0 = left + tl->colx[c->c], x1 = left + tl->colx[c->c + c->cs];
  double top = b0->top, h = 0;
  for (int k = k0; k <= k1; k++) h += D->bx[k].h;
  if (c->shade && tl->gray < 1) {
    nb_item it = {
        .kind = NB_ITEM_RECT, .x = x0, .y = top - h, .w = x1 - x0, .h = h, .gray = (float)tl->gray};
    VEC_PUSH(pg->items, it);
  }
  /* each cell draws its top and left edges; the frame draws the outer ones */
  if (fabs(top - D->segtop[k0]) > 0.01) nb_page_line(pg, x0, top, x1, top, tl->rule);
  if (c->c > 0) nb_page_line(pg, x0, top, x0, top - h, tl->rule);
  if (!c->para || l1 <= l0) return;
  double th = (double)(l1 - l0) * tl->line_h;
  double y = top - pad; /* top */
  if (!top_aligned && c->valign == NB_VALIGN_MIDDLE)
    y = top - (h - th) / 2;
  else if (!top_aligned && c->valign == NB_VALIGN_BOTTOM)
    y = top - h + tl->pad_y + th;
  draw_lines(D, c, pg, x0, y, l0, l1);
}

static void draw_cell(dctx *D, tcell *c, int nbands) {
  nb_tlayout *tl = D->tl;
  int k0 = tl->band0[c->r], k1 = NB_MIN(tl->band0[c->r + c->rs], nbands);
  if (k1 <= k0) return;
  /* its bands in runs on one page */
  VEC(int) starts = {0};
  for (int k = k0; k < k1; k++)
    if (k == k0 || D->bx[k].page != D->bx[k - 1].page) VEC_PUSH(starts, k);
  size_t np = starts.n, nl = c->para ? c->para->nlines : 0;
  VEC_PUSH(starts, k1);
  if (tl->bands.v[k0].line0 >= 0 && c->rs == 1) {
    /* a slice of a row taller than a page: each part shows its slices' lines */
    for (size_t p = 0; p < np; p++) {
      int a = starts.v[p], b = starts.v[p + 1] - 1;
      size_t l0 = (size_t)tl->bands.v[a].line0, l1 = (size_t)tl->bands.v[b].line1;
      if (p + 1 == np) l1 = nl; /* nothing is lost to rounding */
      draw_part(D, c, a, b, l0, l1, 1, tl->bands.v[a].pad_top);
    }
  } else {
    /* the whole text in every part it fits in (repeated); if it fits in none, its lines
     * run on from part to part */
    int any = 0;
    double need = c->text_h + 2 * tl->pad_y - 0.01;
    double *h = nb_xcalloc(np + 1, sizeof *h);
    for (size_t p = 0; p < np; p++) {
      for (int k = starts.v[p]; k < starts.v[p + 1]; k++) h[p] += D->bx[k].h;
      any |= h[p] >= need;
    }
    size_t next = 0;
    for (size_t p = 0; p < np; p++) {
      int a = starts.v[p], b = starts.v[p + 1] - 1;
      if (any) {
        draw_part(D, c, a, b, 0, h[p] >= need ? nl : 0, 0, tl->pad_y);
        continue;
      }
      size_t cap = (size_t)NB_MAX(0, floor((h[p] - 2 * tl->pad_y) / tl->line_h + 1e-6));
      size_t e = p + 1 == np ? nl : NB_MIN(nl, next + cap);
      draw_part(D, c, a, b, next, e, np > 1, tl->pad_y);
      next = e;
    }
    free(h);
  }
  free(starts.v);
}

/* The outer frame of the table's part on one page. */
static void draw_frame(dctx *D, int page, double top, double bot) {
  nb_page *pg = &D->pages->pages.v[page];
  double x0 = pg->turned ? 0 : nb_style_left(D->s, pg->number);
  double x1 = x0 + D->tl->width, w = D->tl->frame;
  nb_page_line(pg, x0 - w / 2, top, x1 + w / 2, top, w);
  nb_page_line(pg, x0 - w / 2, bot, x1 + w / 2, bot, w);
  nb_page_line(pg, x0, top, x0, bot, w);
  nb_page_line(pg, x1, top, x1, bot, w);
}

void nb_table_draw(nb_tlayout *tl, const nb_flow *flow, nb_pages *pages, const nb_style *s) {
  int nb = (int)tl->bands.n;
  const nb_vbox *bx = &flow->boxes.v[tl->first_box];
  double *segtop = nb_xcalloc((size_t)nb + 1, sizeof *segtop);
  double hh = nb_table_header_height(tl);
  dctx D = {tl, bx, segtop, pages, s};
  for (int k = 0; k < nb;) {
    int e = k;
    while (e + 1 < nb && bx[e + 1].page == bx[k].page) e++;
    /* on a page the table continues on, the page builder put the header rows above */
    int repeated = k > 0 && tl->repeat_header && tl->bands.v[k].row >= tl->header_rows;
    double top = bx[k].top + (repeated ? hh : 0);
    for (int q = k; q <= e; q++) segtop[q] = top;
    draw_frame(&D, bx[k].page, top, bx[e].top - bx[e].h);
    k = e + 1;
  }
  for (size_t i = 0; i < tl->cells.n; i++) draw_cell(&D, &tl->cells.v[i], nb);
  free(segtop);
}

/* Draws the header rows again at `top` on `page` (a page the table continues on). */
void nb_table_draw_header(nb_tlayout *tl, nb_pages *pages, int page, double top,
                          const nb_style *s) {
  int nh = tl->header_rows; /* header rows are never sliced: band k is row k */
  nb_vbox *rows = nb_xcalloc((size_t)nh + 1, sizeof *rows);
  double *segtop = nb_xcalloc((size_t)nh + 1, sizeof *segtop);
  double y = top;
  for (int r = 0; r < nh; r++) {
    rows[r] = (nb_vbox){.kind = NB_VB_ROW, .h = tl->rowh[r], .page = page, .top = y};
    segtop[r] = top;
    y -= tl->rowh[r];
  }
  dctx D = {tl, rows, segtop, pages, s};
  /* the cells are in row order: the header's come first (a long table repeats its header
   * on every page, so this must not look at every cell each time) */
  for (size_t i = 0; i < tl->cells.n && tl->cells.v[i].r < nh; i++) {
    tcell *c = &tl->cells.v[i];
    if (c->r + c->rs <= nh) draw_cell(&D, c, nh);
  }
  free(rows);
  free(segtop);
}

void nb_table_tag(nb_tlayout *tl, nb_pages *pages, int table) {
  int tr = -1, row = -1;
  for (size_t i = 0; i <= tl->cells.n; i++) { /* in row order */
    tcell *c = i < tl->cells.n ? &tl->cells.v[i] : NULL;
    /* every row has its TR, also one whose cells all come from rows above */
    for (int until = c ? c->r : tl->nrows - 1; row < until;) {
      tr = nb_pages_elem(pages, "TR", table);
      row++;
    }
    if (!c) break;
    /* header cells: the header rows', and those set in the header role further down (the
     * 2019 format's 第二十条 sub-heads) */
    int e = nb_pages_elem(pages, c->r < tl->header_rows || c->head ? "TH" : "TD", tr);
    nb_selem *el = &pages->elems.v[e];
    el->rowspan = c->rs > 1 ? c->rs : 0;
    el->colspan = c->cs > 1 ? c->cs : 0;
    if (c->para) c->para->tag = e + 1;
  }
}

double nb_table_header_height(const nb_tlayout *tl) {
  double h = 0;
  for (int r = 0; r < tl->header_rows; r++) h += tl->rowh[r];
  return h;
}

/* For tests: the table's text size after any shrinking, its column widths, its bands. */
double nb_table_text_size(const nb_tlayout *tl) { return tl->roles[0].size; }
double nb_table_col_width(const nb_tlayout *tl, int col) { return tl->colw[col]; }
int nb_table_ncols(const nb_tlayout *tl) { return tl->ncols; }
int nb_table_nbands(const nb_tlayout *tl) { return (int)tl->bands.n; }

void nb_table_free(nb_tlayout *tl) {
  if (!tl) return;
  for (size_t i = 0; i < tl->cells.n; i++) {
    nb_para *p = tl->cells.v[i].para;
    if (!p) continue;
    nb_textseg *segs = (nb_textseg *)p->segs;
    for (size_t k = 0; k < p->nsegs; k++) {
      free((char *)segs[k].text);
      free((char *)segs[k].link);
    }
    free(segs);
    nb_para_free(p);
  }
  free(tl->cells.v);
  free(tl->bands.v);
  free(tl->band0);
  free(tl->colw);
  free(tl->colx);
  free(tl->rowh);
  free(tl);
}
