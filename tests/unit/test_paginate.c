/* The page builder on boxes made by hand: pages fill to the type area's height; a page
 * breaks only where keep-with-next allows (a chain longer than a page breaks anyway); a
 * forced break starts a page; space at a page top goes; a figure that does not fit floats
 * to the next page's top while the text after it fills this one; the 版记 boxes sit at the
 * foot of the last page; every page gets its number. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "layout/flow.h"
#include "pages/paginate.h"

static nb_textctx tc;
static nb_diags diags;
static nb_doc *doc;
static double H, top;

/* A box of content: a thin rule is the simplest thing a box can draw. */
static nb_vbox space(double h, int keep) {
  return (nb_vbox){.kind = NB_VB_RULE, .h = h, .keep_next = keep, .rule_w = 0.1};
}

/* Paginates `n` boxes; returns the number of pages. */
static int run(nb_vbox *boxes, size_t n, nb_flow *flow, nb_pages *pages, nb_arena *a) {
  memset(flow, 0, sizeof *flow);
  memset(pages, 0, sizeof *pages);
  for (size_t i = 0; i < n; i++) VEC_PUSH(flow->boxes, boxes[i]);
  nb_paginate(flow, doc, &tc, pages, a, 0);
  return (int)pages->pages.n;
}

int main(void) {
  nb_arena *a = nb_arena_new();
  nb_style *s = nb_style_load(a, "gbt9704", &diags);
  CHECK(s != NULL);
  if (!s) TEST_MAIN_END();
  const char *y = "meta: {issuer: a, title: b, year: 2021, format: 2021}\nbody: []\n";
  doc = nb_content_load_text("t.yaml", y, strlen(y), &diags);
  CHECK(doc != NULL);
  tc = (nb_textctx){.db = nb_fontdb_new(), .style = s, .d = &diags};
  H = nb_style_text_height(s);
  top = nb_style_top(s);
  double L = nb_style_line_pitch(s);
  nb_flow f;
  nb_pages p;

  /* 50 lines of a 22-line grid: 22 + 22 + 6, each page filled from its top */
  nb_vbox b[64];
  for (int i = 0; i < 50; i++) b[i] = space(L, 0);
  CHECK_INT(run(b, 50, &f, &p, a), 3);
  CHECK_INT(f.boxes.v[21].page, 0);
  CHECK_INT(f.boxes.v[22].page, 1);
  CHECK(fabs(f.boxes.v[23].top - (top - L)) < 0.01);
  CHECK_INT(f.boxes.v[49].page, 2);
  for (size_t i = 0; i < p.pages.n; i++) CHECK(p.pages.v[i].items.n >= 1); /* a number */
  nb_flow_free(&f);
  nb_pages_free(&p);

  /* keep-with-next: boxes 19..22 hold together, so the page breaks before 19 */
  for (int i = 0; i < 30; i++) b[i] = space(L, i >= 19 && i < 22);
  run(b, 30, &f, &p, a);
  CHECK_INT(f.boxes.v[18].page, 0);
  CHECK_INT(f.boxes.v[19].page, 1);
  CHECK(fabs(f.boxes.v[19].top - top) < 0.01);
  nb_flow_free(&f);
  nb_pages_free(&p);

  /* a chain longer than a page still breaks */
  for (int i = 0; i < 30; i++) b[i] = space(L, 1);
  CHECK_INT(run(b, 30, &f, &p, a), 2);
  nb_flow_free(&f);
  nb_pages_free(&p);

  /* a forced break; the space at the new page's top takes no room */
  for (int i = 0; i < 6; i++) b[i] = space(L, 0);
  b[3] = (nb_vbox){.kind = NB_VB_SPACE, .h = L, .break_before = 1};
  CHECK_INT(run(b, 6, &f, &p, a), 2);
  CHECK_INT(f.boxes.v[2].page, 0);
  CHECK_INT(f.boxes.v[4].page, 1);
  CHECK(fabs(f.boxes.v[4].top - top) < 0.01);
  nb_flow_free(&f);
  nb_pages_free(&p);

  /* a figure 10 lines high after 15 lines floats to the next page's top; the 5 lines after
   * it fill this page first */
  for (int i = 0; i < 30; i++) b[i] = space(L, 0);
  b[15] = (nb_vbox){
      .kind = NB_VB_IMAGE, .h = 10 * L, .img_w = 10, .img_h = 10 * L - 4, .image = "none"};
  run(b, 30, &f, &p, a);
  CHECK_INT(f.boxes.v[15].page, 1);
  CHECK(f.boxes.v[15].floated && fabs(f.boxes.v[15].top - top) < 0.01);
  CHECK_INT(f.boxes.v[16].page, 0);
  CHECK_INT(f.boxes.v[22].page, 0);
  CHECK_INT(f.boxes.v[23].page, 1);
  CHECK(fabs(f.boxes.v[23].top - (top - 10 * L)) < 0.01);
  nb_flow_free(&f);
  nb_pages_free(&p);

  /* the 版记 boxes: at the foot of the last page, the last one on the type area's bottom */
  for (int i = 0; i < 5; i++) b[i] = space(L, 0);
  b[5] = (nb_vbox){.kind = NB_VB_SPACE, .h = L, .at_bottom = 1, .keep_next = 1};
  b[6] = (nb_vbox){.kind = NB_VB_SPACE, .h = L, .at_bottom = 1};
  CHECK_INT(run(b, 7, &f, &p, a), 1);
  CHECK(fabs(f.boxes.v[6].top - f.boxes.v[6].h - (top - H)) < 0.01);
  nb_flow_free(&f);
  nb_pages_free(&p);

  nb_doc_free(doc);
  nb_fontdb_free(tc.db);
  nb_diags_free(&diags);
  nb_arena_free(a);
  TEST_MAIN_END();
}
