/* Tables: cells resolved onto a grid, column widths from content (minimum and preferred
 * widths, as HTML auto layout), rows as boxes for the page builder, and drawing of every
 * cell on the page(s) its rows landed on. A rowspanned cell split by a page break is drawn
 * on each page, its text repeated, as printed reports do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow.h"

typedef struct tcell {
  const nb_cell *src;
  int r, c, rs, cs;
  nb_para *para;
  double text_h;   /* height of its text */
  nb_align align;
  int head;
} tcell;

typedef struct nb_tlayout {
  int nrows, ncols, header_rows;
  double *colw, *colx, *rowh;
  VEC(tcell) cells;
  size_t first_box; /* index in flow->boxes of row 0 */
  double width;
  double pad_x, pad_y, rule;
  double line_h;    /* line pitch inside cells */
} nb_tlayout;

int nb_table_header_rows(const nb_tlayout *tl) { return tl->header_rows; }
double nb_table_row_height(const nb_tlayout *tl, int row) { return tl->rowh[row]; }

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
  return 1;
}

static const nb_role *cell_role(const nb_style *s, const tcell *c) {
  return &s->roles[c->head ? NB_ROLE_TABLE_HEAD : NB_ROLE_TABLE];
}

static void cell_segs(nb_textctx *tc, const tcell *c, nb_arena *a, nb_textseg **out, size_t *n) {
  const nb_str *s = nb_text_pick(&c->src->text, tc->lang);
  const nb_role *r = cell_role(tc->style, c);
  *n = 0;
  *out = NULL;
  if (!s || !s->s || !*s->s) return;
  nb_spans sp = nb_inline_parse(a, s->s, s->pos, NULL); /* the loader warned already */
  /* a bilingual edition puts the English beneath the Chinese, in a smaller Latin face */
  const nb_str *en = tc->en_roles ? &c->src->text.en : NULL;
  nb_spans ep = {0};
  if (en && en->s && *en->s && en != s) ep = nb_inline_parse(a, en->s, en->pos, NULL);
  *out = nb_arena_alloc(a, (sp.n + ep.n + 2) * sizeof **out);
  for (size_t i = 0; i < sp.n; i++)
    (*out)[(*n)++] = (nb_textseg){sp.v[i].text, sp.v[i].len, r, sp.v[i].bold, sp.v[i].link, s->pos};
  if (ep.n) {
    const nb_role *er = &tc->en_roles[c->head ? NB_ROLE_TABLE_HEAD : NB_ROLE_TABLE];
    (*out)[(*n)++] = (nb_textseg){"\n", 1, er, 0, NULL, en->pos};
    for (size_t i = 0; i < ep.n; i++)
      (*out)[(*n)++] = (nb_textseg){ep.v[i].text, ep.v[i].len, er, ep.v[i].bold, ep.v[i].link, en->pos};
  }
}

static void widths(nb_tlayout *tl, const nb_table *t, nb_textctx *tc, nb_arena *a, double W) {
  int nc = tl->ncols;
  double *mn = nb_xcalloc((size_t)nc, sizeof *mn), *mx = nb_xcalloc((size_t)nc, sizeof *mx);
  /* single-column cells first, then spanning cells widen what they span */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < tl->cells.n; i++) {
      tcell *c = &tl->cells.v[i];
      if ((pass == 0) != (c->cs == 1)) continue;
      nb_textseg *segs;
      size_t ns;
      cell_segs(tc, c, a, &segs, &ns);
      double cmin = 0, cmax = ns ? nb_para_measure(tc, segs, ns, &cmin) : 0;
      cmin += 2 * tl->pad_x;
      cmax += 2 * tl->pad_x;
      double smin = 0, smax = 0;
      for (int j = c->c; j < c->c + c->cs; j++) smin += mn[j], smax += mx[j];
      for (int j = c->c; j < c->c + c->cs; j++) {
        if (cmin > smin) mn[j] += (cmin - smin) / c->cs;
        if (cmax > smax) mx[j] += (cmax - smax) / c->cs;
      }
    }
  double smin = 0, smax = 0;
  for (int j = 0; j < nc; j++) {
    if (mx[j] < mn[j]) mx[j] = mn[j];
    smin += mn[j];
    smax += mx[j];
  }
  /* given widths win; the rest share what is left */
  double fixed = 0;
  int nfixed = 0;
  for (int j = 0; j < nc && (size_t)j < t->ncols; j++) {
    double w = t->cols[j].width;
    if (w != 0) {
      tl->colw[j] = w > 0 ? w : -w * W;
      fixed += tl->colw[j];
      nfixed++;
      smin -= mn[j];
      smax -= mx[j];
    }
  }
  double rest = W - fixed;
  for (int j = 0; j < nc; j++) {
    if ((size_t)j < t->ncols && t->cols[j].width != 0) continue;
    if (smax <= rest) tl->colw[j] = mx[j] + (smax > 0 ? (rest - smax) * mx[j] / smax : rest / (nc - nfixed));
    else if (smin <= rest) tl->colw[j] = mn[j] + (rest - smin) * (mx[j] - mn[j]) / (smax - smin);
    else tl->colw[j] = mn[j] * rest / smin; /* too narrow: text will be tight */
  }
  tl->colx[0] = 0;
  for (int j = 0; j < nc; j++) tl->colx[j + 1] = tl->colx[j] + tl->colw[j];
  free(mn);
  free(mx);
}

nb_tlayout *nb_table_layout(const nb_table *t, nb_textctx *tc, double width, nb_pages *pages,
                            nb_flow *flow) {
  nb_tlayout *tl = nb_xcalloc(1, sizeof *tl);
  if (!resolve(tl, t, tc->d)) {
    free(tl->cells.v);
    free(tl);
    return NULL;
  }
  const nb_style *s = tc->style;
  double size = s->roles[NB_ROLE_TABLE].size;
  tl->pad_x = size * 0.3;
  tl->pad_y = size * 0.25;
  tl->rule = 0.5;
  tl->line_h = size * 1.3;
  tl->width = width;
  tl->header_rows = NB_MAX(0, NB_MIN(t->header_rows, tl->nrows - 1));
  tl->colw = nb_xcalloc((size_t)tl->ncols + 1, sizeof(double));
  tl->colx = nb_xcalloc((size_t)tl->ncols + 1, sizeof(double));
  tl->rowh = nb_xcalloc((size_t)tl->nrows + 1, sizeof(double));
  nb_arena *a = nb_arena_new();
  widths(tl, t, tc, a, width);
  for (size_t i = 0; i < tl->cells.n; i++) {
    tcell *c = &tl->cells.v[i];
    nb_textseg *segs0;
    size_t ns;
    cell_segs(tc, c, a, &segs0, &ns);
    /* the paragraph keeps a pointer to its segments: copy them to storage that lives on */
    nb_textseg *segs = nb_xcalloc(ns + 1, sizeof *segs);
    for (size_t k = 0; k < ns; k++) {
      segs[k] = segs0[k];
      segs[k].text = nb_xstrndup(segs0[k].text, segs0[k].len);
      segs[k].link = segs0[k].link ? nb_xstrdup(segs0[k].link) : NULL;
    }
    nb_align al = c->src->align;
    if (!al && !c->head && (size_t)c->c < t->ncols) al = t->cols[c->c].align;
    if (!al) al = c->head ? NB_ALIGN_CENTER : cell_role(s, c)->align;
    c->align = al;
    double w = tl->colx[c->c + c->cs] - tl->colx[c->c] - 2 * tl->pad_x;
    /* multi-line text in a cell is justified like body text; its last line stays ragged */
    nb_parastyle ps = {.width = w, .align = al == NB_ALIGN_LEFT ? NB_ALIGN_JUSTIFY : al};
    c->para = nb_para_layout(tc, segs, ns, &ps);
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
  (void)pages;
  /* rows become boxes; a small rowspan group stays on one page, a large one may break */
  tl->first_box = flow->boxes.n;
  double page_h = nb_style_text_height(s);
  for (int r = 0; r < tl->nrows; r++) {
    nb_vbox b = {.kind = NB_VB_ROW, .h = tl->rowh[r], .table = tl, .row = r};
    b.keep_next = r < tl->header_rows || r + 1 == tl->header_rows;
    for (size_t i = 0; i < tl->cells.n; i++) {
      tcell *c = &tl->cells.v[i];
      if (c->rs > 1 && r >= c->r && r < c->r + c->rs - 1) {
        double gh = 0;
        for (int k = c->r; k < c->r + c->rs; k++) gh += tl->rowh[k];
        if (gh < page_h / 3) b.keep_next = 1;
      }
    }
    /* the first body row stays with the header */
    if (r == tl->header_rows - 1) b.keep_next = 1;
    VEC_PUSH(flow->boxes, b);
  }
  return tl;
}

/* The part of cell c on one page: rows r0..r1 of it that were placed on `page`. */
static void draw_part(nb_tlayout *tl, tcell *c, const nb_vbox *rows, int r0, int r1,
                      nb_pages *pages, const nb_style *s, int with_text) {
  const nb_vbox *b0 = &rows[r0];
  nb_page *pg = &pages->pages.v[b0->page];
  double x0 = nb_style_left(s, pg->number) + tl->colx[c->c];
  double x1 = nb_style_left(s, pg->number) + tl->colx[c->c + c->cs];
  double top = b0->top;
  double h = 0;
  for (int r = r0; r <= r1; r++) h += rows[r].h;
  double bot = top - h;
  double lw = tl->rule;
  nb_page_line(pg, x0, top, x1, top, lw);
  nb_page_line(pg, x0, bot, x1, bot, lw);
  nb_page_line(pg, x0, top, x0, bot, lw);
  nb_page_line(pg, x1, top, x1, bot, lw);
  if (!with_text || !c->para) return;
  double y = top - (h - c->text_h) / 2; /* vertically centred */
  for (size_t l = 0; l < c->para->nlines; l++) {
    double size = c->para->lines[l].size;
    double base = y - (tl->line_h - size) / 2 - 0.88 * size;
    nb_page_glyphs(pg, c->para, l, x0 + tl->pad_x, base);
    y -= tl->line_h;
  }
}

static void draw_cell(nb_tlayout *tl, tcell *c, const nb_vbox *rows, nb_pages *pages,
                      const nb_style *s) {
  /* split the cell's rows into runs on the same page */
  int start = c->r;
  int best = -1;
  double best_h = -1;
  int nparts = 0, parts[64][2];
  for (int r = c->r; r < c->r + c->rs; r++) {
    int end = r + 1 == c->r + c->rs || rows[r + 1].page != rows[r].page;
    if (!end) continue;
    if (nparts < 64) {
      parts[nparts][0] = start;
      parts[nparts][1] = r;
      double h = 0;
      for (int k = start; k <= r; k++) h += rows[k].h;
      if (h > best_h) best_h = h, best = nparts;
      nparts++;
    }
    start = r + 1;
  }
  for (int p = 0; p < nparts; p++) {
    double h = 0;
    for (int k = parts[p][0]; k <= parts[p][1]; k++) h += rows[k].h;
    int fits = h >= c->text_h + tl->pad_y;
    draw_part(tl, c, rows, parts[p][0], parts[p][1], pages, s, fits || p == best);
  }
}

void nb_table_draw(nb_tlayout *tl, const nb_flow *flow, nb_pages *pages, const nb_style *s) {
  const nb_vbox *rows = &flow->boxes.v[tl->first_box];
  for (size_t i = 0; i < tl->cells.n; i++) draw_cell(tl, &tl->cells.v[i], rows, pages, s);
}

/* Draws the header rows again at `top` on `page` (a page the table continues on). */
void nb_table_draw_header(nb_tlayout *tl, nb_pages *pages, int page, double top,
                          const nb_style *s) {
  nb_vbox rows[64];
  int nh = NB_MIN(tl->header_rows, 64);
  double y = top;
  for (int r = 0; r < nh; r++) {
    rows[r] = (nb_vbox){.kind = NB_VB_ROW, .h = tl->rowh[r], .page = page, .top = y};
    y -= tl->rowh[r];
  }
  for (size_t i = 0; i < tl->cells.n; i++) {
    tcell *c = &tl->cells.v[i];
    if (c->r + c->rs <= nh) draw_cell(tl, c, rows, pages, s);
  }
}

double nb_table_header_height(const nb_tlayout *tl) {
  double h = 0;
  for (int r = 0; r < tl->header_rows; r++) h += tl->rowh[r];
  return h;
}

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
  free(tl->colw);
  free(tl->colx);
  free(tl->rowh);
  free(tl);
}
