#include "pages/page.h"

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
    nb_link l = {x + x0, y - 0.2 * size, x + x1, y + 0.9 * size, uri};
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
}

void nb_page_rule(nb_page *pg, double x, double y, double x2, double width, nb_color color) {
  nb_item it = {.kind = NB_ITEM_LINE, .x = x, .y = y, .x2 = x2, .y2 = y, .width = width,
                .color = color};
  VEC_PUSH(pg->items, it);
}
