#include "pages/page.h"

#include <math.h>
#include <stdlib.h>

nb_page *nb_pages_add(nb_pages *ps, double w, double h) {
  nb_page pg = {.w = w, .h = h, .number = (int)ps->pages.n + 1};
  VEC_PUSH(ps->pages, pg);
  return &ps->pages.v[ps->pages.n - 1];
}

void nb_page_glyphs(nb_page *pg, const nb_para *p, size_t line, double x, double y) {
  nb_item it = {.kind = NB_ITEM_GLYPHS, .para = p, .line = line, .x = x, .y = y};
  VEC_PUSH(pg->items, it);
  /* link annotations over the glyphs of each link on this line */
  const nb_pline *ln = &p->lines[line];
  for (size_t g = ln->g0; g < ln->g1;) {
    const char *uri = p->segs[p->glyphs[g].seg].link;
    if (!uri) {
      g++;
      continue;
    }
    size_t e = g + 1;
    while (e < ln->g1 && p->segs[p->glyphs[e].seg].link == uri) e++;
    double x0 = p->glyphs[g].x, x1 = e < ln->g1 ? p->glyphs[e].x : ln->x1;
    double size = ln->size;
    nb_link l = {x + x0, y - 0.2 * size, x + x1, y + 0.9 * size, uri, p, p->glyphs[g].seg};
    VEC_PUSH(pg->links, l);
    g = e;
  }
}

void nb_page_line(nb_page *pg, double x, double y, double x2, double y2, double width) {
  nb_item it = {.kind = NB_ITEM_LINE, .x = x, .y = y, .x2 = x2, .y2 = y2, .width = width};
  VEC_PUSH(pg->items, it);
}

void nb_pages_free(nb_pages *ps) {
  for (size_t i = 0; i < ps->pages.n; i++) {
    free(ps->pages.v[i].items.v);
    free(ps->pages.v[i].links.v);
  }
  for (size_t i = 0; i < ps->outline.n; i++) free(ps->outline.v[i].title);
  for (size_t i = 0; i < ps->paras.n; i++) nb_para_free(ps->paras.v[i]);
  free(ps->pages.v);
  free(ps->outline.v);
  free(ps->paras.v);
  free(ps->elems.v);
}

int nb_pages_elem(nb_pages *ps, const char *type, int parent) {
  nb_selem e = {.type = type, .parent = parent};
  VEC_PUSH(ps->elems, e);
  return (int)ps->elems.n - 1;
}

void nb_page_rule(nb_page *pg, double x, double y, double x2, double width, nb_color color) {
  nb_item it = {
      .kind = NB_ITEM_LINE, .x = x, .y = y, .x2 = x2, .y2 = y, .width = width, .color = color};
  VEC_PUSH(pg->items, it);
}

static void map(const double m[6], double *x, double *y) {
  double u = *x, v = *y;
  *x = m[0] * u + m[2] * v + m[4];
  *y = m[1] * u + m[3] * v + m[5];
}

/* The box (x0, y0)–(x1, y1) mapped, as its lower left corner and size. */
static void map_box(const double m[6], double *x, double *y, double *w, double *h) {
  double x0 = *x, y0 = *y, x1 = *x + *w, y1 = *y + *h;
  map(m, &x0, &y0);
  map(m, &x1, &y1);
  *x = fmin(x0, x1);
  *y = fmin(y0, y1);
  *w = fabs(x1 - x0);
  *h = fabs(y1 - y0);
}

void nb_page_transform(nb_page *pg, const double m[6]) {
  /* whole degrees when the turn is (the writer then writes exact 0 and 1 in Tm) */
  double turn = atan2(m[1], m[0]) * 180 / 3.14159265358979323846;
  if (fabs(turn - round(turn)) < 1e-9) turn = round(turn);
  for (size_t i = 0; i < pg->items.n; i++) {
    nb_item *it = &pg->items.v[i];
    switch (it->kind) {
    case NB_ITEM_GLYPHS:
      map(m, &it->x, &it->y);
      it->angle += turn;
      break;
    case NB_ITEM_LINE:
      map(m, &it->x, &it->y);
      map(m, &it->x2, &it->y2);
      break;
    case NB_ITEM_RECT:
    case NB_ITEM_IMAGE:
      map_box(m, &it->x, &it->y, &it->w, &it->h);
      break;
    }
  }
  for (size_t i = 0; i < pg->links.n; i++) {
    nb_link *l = &pg->links.v[i];
    double w = l->x1 - l->x0, h = l->y1 - l->y0;
    map_box(m, &l->x0, &l->y0, &w, &h);
    l->x1 = l->x0 + w;
    l->y1 = l->y0 + h;
  }
}
