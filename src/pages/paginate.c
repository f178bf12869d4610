#include "pages/paginate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cont {
  struct nb_tlayout *table;
  int page;
  double top; /* of the continuation caption */
  double caption_h;
} cont;

typedef struct pb {
  nb_flow *flow;
  const nb_doc *doc;
  int draft;
  nb_textctx *tc;
  nb_pages *pages;
  nb_arena *arena;
  const nb_style *s;
  double H, top, pitch;
  double W; /* the type area's width: the height of a turned page's rotated type area */
  VEC(cont) conts;
} pb;

static int table_started_before(const nb_flow *f, size_t i) {
  const nb_vbox *b = &f->boxes.v[i];
  return b->kind == NB_VB_ROW && b->row >= nb_table_header_rows(b->table) && b->row > 0 &&
         nb_table_repeats_header(b->table);
}

static void new_page(pb *P, int *page, double *cur) {
  (*page)++;
  nb_pages_add(P->pages, P->s->page_w, P->s->page_h);
  *cur = 0;
}

/* A figure (image and the caption kept with it) that does not fit where it stands floats
 * to the top of the next page; the text after it fills this page first. */
static size_t figure_group_end(const nb_flow *f, size_t i) {
  size_t e = i + 1;
  while (e < f->boxes.n && f->boxes.v[e - 1].keep_next && f->boxes.v[e].kind == NB_VB_LINE) e++;
  return e;
}

/* Places the boxes [k0, k1) of a floated figure at `*cur` on `page`. */
static void place_float(pb *P, size_t k0, size_t k1, int page, double *cur) {
  for (size_t k = k0; k < k1; k++) {
    nb_vbox *b = &P->flow->boxes.v[k];
    b->page = page;
    b->floated = 1;
    b->top = P->top - *cur;
    *cur += b->h;
  }
}

/* Places boxes page by page: sets page and top of every box. */
static void place(pb *P) {
  nb_flow *f = P->flow;
  size_t n = f->boxes.n;
  size_t i = 0, page_first = 0;
  size_t def0 = (size_t)-1, def1 = 0; /* a floating figure waiting for the next page */
  int page = 0;
  double cur = 0;
  nb_pages_add(P->pages, P->s->page_w, P->s->page_h);
  while (i < n || def0 != (size_t)-1) {
    if (i >= n || (i == page_first && def0 != (size_t)-1 && cur == 0 && i > def0)) {
      if (i >= n && cur > 0) new_page(P, &page, &cur);
      place_float(P, def0, def1, page, &cur);
      def0 = (size_t)-1;
      if (i >= n) break;
    }
    if (i == def0) {
      i = def1;
      continue;
    }
    nb_vbox *b = &f->boxes.v[i];
    int at_top = (i == page_first) && cur == 0;
    if (b->break_before && !at_top) {
      new_page(P, &page, &cur);
      page_first = i;
      continue;
    }
    nb_page *pg = &P->pages->pages.v[page];
    if (b->turned != pg->turned) {
      /* a landscape table has pages of its own; a figure still waiting for the next page
       * goes there first, upright */
      if (b->turned && def0 != (size_t)-1) {
        if (cur > 0) new_page(P, &page, &cur);
        place_float(P, def0, def1, page, &cur);
        def0 = (size_t)-1;
      }
      if (cur > 0) {
        new_page(P, &page, &cur);
        page_first = i;
        at_top = 1;
      }
      pg = &P->pages->pages.v[page];
      pg->turned = b->turned;
    }
    /* a turned page's boxes stand in its rotated type area, as high as the area is wide */
    double top = pg->turned ? P->W : P->top, H = pg->turned ? P->W : P->H;
    /* (a figure floated to this page's top does not count: the table still continues) */
    if (i == page_first && table_started_before(f, i) &&
        (P->conts.n == 0 || P->conts.v[P->conts.n - 1].page != page)) {
      /* a table continues here: caption 续表 and its header rows first */
      cont c = {.table = b->table, .page = page, .top = top - cur, .caption_h = P->pitch};
      VEC_PUSH(P->conts, c);
      cur += c.caption_h + nb_table_header_height(b->table);
    }
    if (b->at_bottom) {
      /* the 版记: its last rule on the type area's bottom edge */
      size_t e = i;
      double gh = 0;
      while (e < n && f->boxes.v[e].at_bottom) gh += f->boxes.v[e++].h;
      if (cur + gh > P->H + 0.01 && !at_top) {
        new_page(P, &page, &cur);
        page_first = i;
        continue;
      }
      cur = P->H - gh;
      for (; i < e; i++) {
        f->boxes.v[i].page = page;
        f->boxes.v[i].floated = 0;
        f->boxes.v[i].top = P->top - cur;
        cur += f->boxes.v[i].h;
      }
      continue;
    }
    double h = (at_top && b->kind == NB_VB_SPACE) ? 0 : b->h;
    if (cur + h > H + 0.01 && !at_top) {
      if (b->kind == NB_VB_IMAGE && def0 == (size_t)-1) {
        size_t e = figure_group_end(f, i);
        double gh = 0;
        for (size_t k = i; k < e; k++) gh += f->boxes.v[k].h;
        if (gh <= P->H) {
          def0 = i;
          def1 = e;
          i = e;
          continue;
        }
      }
      /* break after the last box of this page that allows it */
      size_t j = i;
      for (;;) {
        if (j > page_first && def0 != (size_t)-1 && j == def1 && def0 > page_first)
          j = def0; /* look through the floating figure: a heading before it keeps with
                       the text after it */
        else if (j > page_first && f->boxes.v[j - 1].keep_next)
          j--;
        else
          break;
      }
      if (j > page_first) i = j;                              /* move j..i-1 to the next page */
      if (def0 != (size_t)-1 && i <= def0) def0 = (size_t)-1; /* the figure moves too */
      new_page(P, &page, &cur);
      page_first = i;
      continue;
    }
    b->page = page;
    b->floated = 0;
    b->top = top - cur;
    cur += h;
    i++;
  }
}

/* The left edge of the type area on a page; 0 on a turned page (see nb_page.turned). */
static double area_left(const pb *P, const nb_page *pg) {
  return pg->turned ? 0 : nb_style_left(P->s, pg->number);
}

static void draw_box(pb *P, nb_vbox *b) {
  nb_page *pg = &P->pages->pages.v[b->page];
  double left = area_left(P, pg);
  if (b->kind == NB_VB_LINE)
    nb_page_glyphs(pg, b->para, b->line, left + b->x, b->top - b->baseline);
  else if (b->kind == NB_VB_RULE)
    nb_page_rule(pg, left, b->top - b->h, left + nb_style_text_width(P->s), b->rule_w,
                 b->rule_color);
  else if (b->kind == NB_VB_IMAGE) {
    nb_item it = {.kind = NB_ITEM_IMAGE,
                  .x = left + b->x,
                  .y = b->top - 2 - b->img_h,
                  .w = b->img_w,
                  .h = b->img_h,
                  .image = b->image,
                  .tag = b->tag};
    VEC_PUSH(pg->items, it);
  }
  if (b->outline_level > 0 && b->outline_title) {
    nb_outline o = {b->outline_level, nb_xstrdup(b->outline_title), b->page, b->top};
    VEC_PUSH(P->pages->outline, o);
  }
}

/* The floated boxes by page, each page's in their own order: those of page p are
 * boxes[idx[at[p]] .. idx[at[p + 1]]). (Looking at every box for every page made a report of
 * thousands of pages quadratic.) */
typedef struct floats {
  size_t *at, *idx;
} floats;

static floats floats_by_page(const pb *P, size_t np) {
  const nb_flow *f = P->flow;
  floats F = {nb_xcalloc(np + 2, sizeof *F.at), NULL};
  size_t n = 0;
  for (size_t i = 0; i < f->boxes.n; i++)
    if (f->boxes.v[i].floated) F.at[f->boxes.v[i].page + 1]++, n++;
  for (size_t p = 0; p < np; p++) F.at[p + 1] += F.at[p];
  F.idx = nb_xmalloc((n + 1) * sizeof *F.idx);
  size_t *fill = nb_xmalloc((np + 1) * sizeof *fill);
  memcpy(fill, F.at, np * sizeof *fill);
  for (size_t i = 0; i < f->boxes.n; i++)
    if (f->boxes.v[i].floated) F.idx[fill[f->boxes.v[i].page]++] = i;
  free(fill);
  return F;
}

/* Draws the floated boxes of `page` (in their own order). */
static void draw_floats(pb *P, const floats *F, int page) {
  for (size_t k = F->at[page]; k < F->at[page + 1]; k++) draw_box(P, &P->flow->boxes.v[F->idx[k]]);
}

/* Turns what was drawn on the turned pages into place, a quarter turn anticlockwise: the
 * table's head faces the binding edge on odd pages and the outer edge on even pages (GB/T
 * 9704 §8), and with the binding on the left both are the left edge, so a reader turns
 * every such page the same way. The rotated area's top (y = W) lands on the type area's
 * left edge, its left (x = 0) on the area's bottom. */
static void turn_pages(pb *P) {
  double bottom = P->top - P->H;
  for (size_t i = 0; i < P->pages->pages.n; i++) {
    nb_page *pg = &P->pages->pages.v[i];
    if (!pg->turned) continue;
    double m[6] = {0, 1, -1, 0, nb_style_left(P->s, pg->number) + P->W, bottom};
    nb_page_transform(pg, m);
  }
}

static void draw_boxes(pb *P) {
  nb_flow *f = P->flow;
  size_t np = P->pages->pages.n;
  unsigned char *flushed = nb_xcalloc(np + 1, 1);
  floats F = floats_by_page(P, np);
  /* a floated figure is drawn where the first block that starts on its page starts, so
   * that text extraction, copying and screen readers get each paragraph in one piece */
  for (size_t i = 0; i < f->boxes.n; i++) {
    nb_vbox *b = &f->boxes.v[i];
    if (b->floated) continue;
    if (!flushed[b->page] && (b->kind != NB_VB_LINE || b->line == 0)) {
      flushed[b->page] = 1;
      draw_floats(P, &F, b->page);
    }
    draw_box(P, b);
  }
  for (size_t p = 0; p < np; p++)
    if (!flushed[p]) draw_floats(P, &F, (int)p);
  free(flushed);
  free(F.at);
  free(F.idx);
  for (size_t t = 0; t < f->tables.n; t++) nb_table_draw(f->tables.v[t], f, P->pages, P->s);
  const nb_role *r = &P->s->roles[NB_ROLE_CAPTION];
  /* 续表 / (continued); a bilingual edition gives both on the caption's one line */
  const nb_langtext *ct = &P->s->table_continued;
  const char *cont_text = P->tc->lang == NB_LANG_EN ? ct->en : ct->zh;
  if (P->tc->en_roles && P->tc->lang != NB_LANG_EN && strcmp(ct->zh, ct->en)) {
    nb_buf b = {0};
    nb_buf_printf(&b, "%s %s", ct->zh, ct->en);
    cont_text = nb_arena_strdup(P->arena, b.s);
    nb_buf_free(&b);
  }
  for (size_t k = 0; k < P->conts.n; k++) {
    cont *c = &P->conts.v[k];
    nb_textseg *seg = nb_arena_alloc(P->arena, sizeof *seg);
    *seg = (nb_textseg){cont_text, strlen(cont_text), r, 0, NULL, {0}};
    nb_page *pg = &P->pages->pages.v[c->page];
    double w = pg->turned ? P->H : nb_style_text_width(P->s);
    nb_parastyle ps = {.width = w, .align = NB_ALIGN_CENTER};
    nb_para *p = nb_para_layout(P->tc, seg, 1, &ps);
    VEC_PUSH(P->pages->paras, p);
    double size = p->nlines ? p->lines[0].size : r->size;
    nb_page_glyphs(pg, p, 0, area_left(P, pg), c->top - (c->caption_h - size) / 2 - 0.88 * size);
    nb_table_draw_header(c->table, P->pages, c->page, c->top - c->caption_h, P->s);
  }
  turn_pages(P);
}

/* "— {page} —" → "— 3 —" */
static char *format_number(const char *fmt, int n, int total) {
  nb_buf b = {0};
  for (const char *p = fmt; *p;) {
    if (!strncmp(p, "{page}", 6)) {
      nb_buf_printf(&b, "%d", n);
      p += 6;
    } else if (!strncmp(p, "{pages}", 7)) {
      nb_buf_printf(&b, "%d", total);
      p += 7;
    } else
      nb_buf_addc(&b, *p++);
  }
  return b.s;
}

static void page_numbers(pb *P) {
  const nb_style *s = P->s;
  const nb_role *r = &s->roles[NB_ROLE_PAGENUM];
  int total = (int)P->pages->pages.n;
  double zi = s->roles[NB_ROLE_BODY].size; /* 1 字 */
  for (int i = 0; i < total; i++) {
    nb_page *pg = &P->pages->pages.v[i];
    if (i == 0 && !s->pagenum_first) continue;
    char *txt = format_number(s->pagenum_format, pg->number, total);
    char *t = nb_arena_strdup(P->arena, txt);
    free(txt);
    nb_textseg *seg = nb_arena_alloc(P->arena, sizeof *seg);
    *seg = (nb_textseg){t, strlen(t), r, 0, NULL, {0}};
    double W = nb_style_text_width(s);
    nb_parastyle ps = {.width = W, .align = NB_ALIGN_CENTER};
    if (s->pagenum_outer) {
      int odd = pg->number % 2 == 1;
      ps.align = odd ? NB_ALIGN_RIGHT : NB_ALIGN_LEFT;
      if (odd)
        ps.right_indent = s->pagenum_indent * zi;
      else
        ps.indent = s->pagenum_indent * zi;
    }
    nb_para *p = nb_para_layout(P->tc, seg, 1, &ps);
    VEC_PUSH(P->pages->paras, p);
    /* the dash line (about 0.3 em above the baseline) lies `offset` below the type area */
    double y = s->margin_bottom - s->pagenum_offset - 0.3 * r->size;
    nb_page_glyphs(pg, p, 0, nb_style_left(s, pg->number), y);
  }
}

/* One line of text in `role`, laid out to the type-area width and aligned. */
static nb_para *band_line(pb *P, const char *text, nb_role_id role, nb_align align) {
  char *t = nb_arena_strdup(P->arena, text);
  nb_textseg *seg = nb_arena_alloc(P->arena, sizeof *seg);
  *seg = (nb_textseg){t, strlen(t), &P->s->roles[role], 0, NULL, {0}};
  nb_parastyle ps = {.width = nb_style_text_width(P->s), .align = align};
  nb_para *p = nb_para_layout(P->tc, seg, 1, &ps);
  VEC_PUSH(P->pages->paras, p);
  return p;
}

static void band(pb *P, const nb_band *b, int header) {
  const nb_style *s = P->s;
  const nb_role *r = &s->roles[header ? NB_ROLE_HEADER : NB_ROLE_FOOTER];
  int total = (int)P->pages->pages.n;
  double pitch = r->size * 1.3;
  double top = nb_style_top(s), bottom = s->margin_bottom, W = nb_style_text_width(s);
  for (int i = 0; i < total; i++) {
    nb_page *pg = &P->pages->pages.v[i];
    if (i == 0 && !b->first_page) continue;
    double left = nb_style_left(s, pg->number);
    nb_align al = b->align;
    if (b->outer) al = pg->number % 2 ? NB_ALIGN_RIGHT : NB_ALIGN_LEFT;
    /* a different first page, different even pages, when the layout says so */
    const char *const *lines = b->lines;
    int nlines = b->nlines;
    if (i == 0 && b->first.nlines)
      lines = b->first.lines, nlines = b->first.nlines;
    else if (pg->number % 2 == 0 && b->even.nlines)
      lines = b->even.lines, nlines = b->even.nlines;
    for (int l = 0; l < nlines; l++) {
      char *txt = nb_fields_expand(lines[l], P->doc, P->tc->lang, pg->number, total);
      nb_para *p = band_line(P, txt, header ? NB_ROLE_HEADER : NB_ROLE_FOOTER, al);
      free(txt);
      double y = header ? top + b->offset + 0.12 * r->size + (nlines - 1 - l) * pitch
                        : bottom - b->offset - 0.88 * r->size - l * pitch;
      for (size_t k = 0; k < p->nlines && k < 1; k++) nb_page_glyphs(pg, p, k, left, y);
    }
    if (b->rule > 0) {
      double y = header ? top + b->offset * 0.4 : bottom - b->offset * 0.4;
      nb_page_rule(pg, left, y, left + W, b->rule, (nb_color){0, 0, 0});
    }
  }
}

/* The draft mark: large, light grey, across the middle of every page. */
static void watermark(pb *P) {
  const char *t = P->tc->lang == NB_LANG_EN ? P->s->watermark.en : P->s->watermark.zh;
  if (!t || !*t) return;
  for (size_t i = 0; i < P->pages->pages.n; i++) {
    nb_page *pg = &P->pages->pages.v[i];
    char *txt = nb_arena_strdup(P->arena, t);
    nb_textseg *seg = nb_arena_alloc(P->arena, sizeof *seg);
    *seg = (nb_textseg){txt, strlen(txt), &P->s->roles[NB_ROLE_WATERMARK], 0, NULL, {0}};
    nb_parastyle ps = {.width = 10 * pg->w, .align = NB_ALIGN_LEFT};
    nb_para *p = nb_para_layout(P->tc, seg, 1, &ps);
    VEC_PUSH(P->pages->paras, p);
    if (!p->nlines) continue;
    double w = p->lines[0].x1 - p->lines[0].x0, size = p->lines[0].size;
    /* centred on the page centre, rotated 45°: start half the width back along the
     * diagonal, and a third of the size down across it */
    double a = 45 * 3.14159265358979 / 180;
    double cx = pg->w / 2, cy = pg->h / 2;
    double x = cx - cos(a) * w / 2 + sin(a) * size * 0.35;
    double y = cy - sin(a) * w / 2 - cos(a) * size * 0.35;
    nb_item it = {.kind = NB_ITEM_GLYPHS,
                  .para = p,
                  .line = 0,
                  .x = x,
                  .y = y,
                  .angle = 45,
                  .fill_gray = 0.82f};
    /* first in the page's list: drawn under the text */
    VEC_PUSH(pg->items, it);
    memmove(pg->items.v + 1, pg->items.v, (pg->items.n - 1) * sizeof *pg->items.v);
    pg->items.v[0] = it;
  }
}

void nb_paginate(nb_flow *flow, const nb_doc *doc, nb_textctx *tc, nb_pages *pages, nb_arena *arena,
                 int draft) {
  pb P = {.flow = flow,
          .tc = tc,
          .pages = pages,
          .arena = arena,
          .s = tc->style,
          .doc = doc,
          .draft = draft};
  P.H = nb_style_text_height(P.s);
  P.top = nb_style_top(P.s);
  P.pitch = nb_style_line_pitch(P.s);
  P.W = nb_style_text_width(P.s);
  place(&P);
  draw_boxes(&P);
  if (P.s->pagenum_format) page_numbers(&P);
  if (P.s->header.present) band(&P, &P.s->header, 1);
  if (P.s->footer.present) band(&P, &P.s->footer, 0);
  if (draft) watermark(&P);
  free(P.conts.v);
}
