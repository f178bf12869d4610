/* The table engine with the default layout (gbt9704): number cells, column widths from
 * content, wide tables set smaller, rows taller than a page cut between lines, and every
 * cell drawn inside the type area (never over the footer). Tables come from content YAML. */
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout/flow.h"
#include "pages/paginate.h"
#include "text/hyphen.h"

static nb_textctx tc;
static nb_style *style;
static nb_diags diags;

static nb_doc *load(const char *body) {
  nb_buf b = {0};
  nb_buf_printf(&b, "meta: {issuer: a, title: b, year: 2021, format: 2021}\nbody:\n%s", body);
  nb_doc *doc = nb_content_load_text("t.yaml", b.s, b.n, &diags);
  nb_buf_free(&b);
  return doc;
}

static void test_numbers(void) {
  const char *yes[] = {"62",  "-2",   "+3",     "0",     "1,234",   "1,234.5", "585313万元",
                       "66%", "3.2%", "128.36", "12 km", "\u22122", "50件",    "66\uFF05"};
  const char *no[] = {"",   "规章", "22（其中修订16件）", "1.5.3",
                      "1,", ",12",  "12万元整数的",       "-",
                      "1.", "abc",  "12 abcde",           "2019年1月"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (!nb_table_is_number(yes[i])) fprintf(stderr, "not a number: %s\n", yes[i]);
    CHECK(nb_table_is_number(yes[i]));
  }
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
    if (nb_table_is_number(no[i])) fprintf(stderr, "a number: %s\n", no[i]);
    CHECK(!nb_table_is_number(no[i]));
  }
}

typedef struct laid {
  nb_doc *doc;
  nb_flow flow;
  nb_pages pages;
  struct nb_tlayout *tl;
} laid;

static void lay(laid *L, const char *body) {
  memset(L, 0, sizeof *L);
  L->doc = load(body);
  CHECK(L->doc != NULL);
  if (!L->doc) return;
  nb_flow_build(&L->flow, L->doc, &tc, &L->pages);
  CHECK(L->flow.tables.n == 1);
  L->tl = L->flow.tables.n ? L->flow.tables.v[0] : NULL;
}

static void unlay(laid *L) {
  nb_flow_free(&L->flow);
  nb_pages_free(&L->pages);
  nb_doc_free(L->doc);
}

static double width_sum(const struct nb_tlayout *tl) {
  double w = 0;
  for (int j = 0; j < nb_table_ncols(tl); j++) w += nb_table_col_width(tl, j);
  return w;
}

/* Glyphs and rules all lie inside the type area (between its top and bottom). */
static int inside_area(const nb_pages *ps) {
  double bottom = style->margin_bottom, top = style->page_h - style->margin_top;
  double left = style->margin_inner, right = style->page_w - style->margin_outer;
  int ok = 1;
  for (size_t p = 0; p < ps->pages.n; p++)
    for (size_t i = 0; i < ps->pages.v[p].items.n; i++) {
      const nb_item *it = &ps->pages.v[p].items.v[i];
      if (it->kind == NB_ITEM_LINE) {
        double y0 = NB_MIN(it->y, it->y2), y1 = NB_MAX(it->y, it->y2);
        double x0 = NB_MIN(it->x, it->x2), x1 = NB_MAX(it->x, it->x2);
        if (y0 < bottom - 1 || y1 > top + 1 || x0 < left - 1 || x1 > right + 1) {
          fprintf(stderr, "page %zu: rule (%.1f %.1f)-(%.1f %.1f) outside the type area\n", p + 1,
                  x0, y0, x1, y1);
          ok = 0;
        }
      } else if (it->kind == NB_ITEM_GLYPHS && it->y > 80 && it->y < bottom - 1) {
        /* page numbers sit lower (y < 80); a body glyph that low is over the footer */
        fprintf(stderr, "page %zu: text at y = %.1f below the type area\n", p + 1, it->y);
        ok = 0;
      }
    }
  return ok;
}

static void test_widths(void) {
  double W = nb_style_text_width(style);
  laid L;
  /* room to spare: columns take the whole width; the short table keeps 小四 */
  lay(&L,
      "  - table:\n      rows:\n        - [序号, 名称, 数量]\n        - [1, 政府信息公开, 62]\n");
  if (L.tl) {
    CHECK(fabs(width_sum(L.tl) - W) < 0.01);
    CHECK(fabs(nb_table_text_size(L.tl) - 12) < 0.01);
    CHECK_INT(nb_table_nbands(L.tl), 2);
  }
  unlay(&L);
  /* 15 columns of 5-digit numbers: too wide in 小四 and 五号, set in 小五 */
  nb_buf b = {0};
  nb_buf_adds(&b, "  - table:\n      header: 1\n      rows:\n        - [");
  for (int c = 0; c < 15; c++) nb_buf_printf(&b, "%s列%d", c ? ", " : "", c + 1);
  nb_buf_adds(&b, "]\n");
  for (int r = 0; r < 3; r++) {
    nb_buf_adds(&b, "        - [");
    for (int c = 0; c < 15; c++)
      nb_buf_printf(&b, "%s%d", c ? ", " : "", 10000 + 7919 * (r * 15 + c) % 89999);
    nb_buf_adds(&b, "]\n");
  }
  lay(&L, b.s);
  if (L.tl) {
    CHECK(fabs(width_sum(L.tl) - W) < 0.01);
    CHECK(fabs(nb_table_text_size(L.tl) - 9) < 0.01);
  }
  unlay(&L);
  nb_buf_free(&b);
  /* header text wraps first: the body's 4-character names keep their width */
  lay(&L, "  - table:\n      header: 1\n      rows:\n"
          "        - [地区名称, 本年新收政府信息公开申请数量（件）, "
          "上年结转政府信息公开申请数量（件）, "
          "本年度办理结果予以公开的数量（件）, 本年度办理结果不予公开的数量（件）]\n"
          "        - [城区街道, 1, 2, 3, 4]\n");
  if (L.tl) {
    CHECK(nb_table_col_width(L.tl, 0) >= 4 * 12);
    CHECK(fabs(width_sum(L.tl) - W) < 0.01);
  }
  unlay(&L);
}

static void test_tall_row(void) {
  nb_buf b = {0};
  nb_buf_adds(&b, "  - table:\n      header: 1\n      rows:\n        - [类别, 说明, 备注]\n"
                  "        - [{text: 依申请公开, rowspan: 2}, \"");
  for (int i = 0; i < 80; i++)
    nb_buf_adds(&b, "本机关对申请人提出的政府信息公开申请逐项登记、逐项审查、逐项答复，");
  nb_buf_adds(&b, "完。\", 见附件]\n        - [第二行, 无]\n");
  laid L;
  lay(&L, b.s);
  if (L.tl) {
    /* the tall row became one band per line; the other rows are whole */
    CHECK(nb_table_nbands(L.tl) > 20);
    double H = nb_style_text_height(style);
    for (size_t i = 0; i < L.flow.boxes.n; i++) CHECK(L.flow.boxes.v[i].h < H);
    nb_arena *a = nb_arena_new();
    nb_paginate(&L.flow, L.doc, &tc, &L.pages, a, 0);
    CHECK(L.pages.pages.n >= 3);
    CHECK(inside_area(&L.pages));
    nb_arena_free(a);
  }
  unlay(&L);
  nb_buf_free(&b);
}

static void test_long_table(void) {
  /* 200 rows in rowspan groups of 5 and one of 50: nothing below the type area */
  nb_buf b = {0};
  nb_buf_adds(
      &b,
      "  - table:\n      header: 2\n      rows:\n"
      "        - [{text: 部门, rowspan: 2}, {text: 序号, rowspan: 2}, {text: 数量, colspan: 2}]\n"
      "        - [主动, 依申请]\n");
  int row = 0;
  for (int g = 0; row < 200; g++) {
    int n = g == 7 ? 50 : 5;
    for (int i = 0; i < n; i++, row++) {
      if (i == 0)
        nb_buf_printf(&b, "        - [{text: 部门%d, rowspan: %d}, %d, %d, %d]\n", g, n, row + 1,
                      row * 3 % 97, row % 13);
      else
        nb_buf_printf(&b, "        - [%d, %d, %d]\n", row + 1, row * 3 % 97, row % 13);
    }
  }
  laid L;
  lay(&L, b.s);
  if (L.tl) {
    CHECK_INT(nb_table_nbands(L.tl), row + 2);
    nb_arena *a = nb_arena_new();
    nb_paginate(&L.flow, L.doc, &tc, &L.pages, a, 0);
    CHECK(L.pages.pages.n >= 6);
    CHECK(inside_area(&L.pages));
    /* a group of 5 rows is never split: its rows share a page */
    const nb_vbox *bx = &L.flow.boxes.v[0];
    size_t first = 0;
    while (first < L.flow.boxes.n && bx[first].kind != NB_VB_ROW) first++;
    int split = 0;
    for (int r = 2; r + 5 <= 2 + 35; r += 5) /* groups 0..6 */
      split += bx[first + r].page != bx[first + r + 4].page;
    CHECK_INT(split, 0);
    nb_arena_free(a);
  }
  unlay(&L);
  nb_buf_free(&b);
}

/* Rows of a long table in small rowspan groups are kept together group by group, and the
 * layout takes time in proportion to the rows (it once looked at every cell for every row,
 * and at every cell for every repeated header). */
static double time_rows(int nrows, int check_keep) {
  nb_buf b = {0};
  nb_buf_adds(&b, "  - table:\n      header: 1\n      rows:\n        - [a, b, c, d, e, f]\n");
  for (int r = 0; r < nrows; r++)
    nb_buf_adds(&b, r % 3 == 0 ? "        - [{text: x, rowspan: 3}, '', '', '', '', '']\n"
                               : "        - ['', '', '', '', '']\n");
  laid L;
  clock_t t0 = clock();
  lay(&L, b.s);
  double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (L.tl && check_keep) {
    const nb_vbox *bx = L.flow.boxes.v;
    size_t first = 0;
    while (first < L.flow.boxes.n && bx[first].kind != NB_VB_ROW) first++;
    int wrong = 0;
    for (int r = 1; r <= nrows; r++) /* body row r: the last of its group keeps nothing */
      wrong += bx[first + (size_t)r].keep_next != ((r - 1) % 3 != 2);
    CHECK_INT(wrong, 0);
    CHECK(bx[first].keep_next); /* the header row */
  }
  unlay(&L);
  nb_buf_free(&b);
  return dt;
}

static void test_linear_rows(void) {
  time_rows(30, 1); /* warm the font caches; the keep flags */
  double t1 = time_rows(768, 0), t8 = time_rows(12288, 1);
  CHECK(t8 < 32 * t1 + 0.1); /* 16× the rows: about 16× the time, never 256× */
}

/* The rule of `table.wide: landscape`: a table is turned when it would be set smaller, or
 * when a column would stand its text one character a line. */
static void test_too_wide(void) {
  double W = nb_style_text_width(style);
  struct {
    const char *rows;
    int wide;
  } cases[] = {
      /* room to spare */
      {"        - [序号, 名称, 数量]\n        - [1, 政府信息公开, 62]\n", 0},
      /* long headers over short numbers: the headers wrap, two characters a line or more */
      {"        - [地区名称, 本年新收政府信息公开申请数量（件）, "
       "上年结转政府信息公开申请数量（件）, "
       "本年度办理结果予以公开的数量（件）, 本年度办理结果不予公开的数量（件）]\n"
       "        - [城区街道, 1, 2, 3, 4]\n",
       0},
      /* 15 columns headed 结果维持 (table 四): 29 pt a column, one character a line */
      {NULL, 1},
      /* 15 columns of 5-digit numbers: would be set smaller */
      {NULL, 1},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    nb_buf b = {0};
    nb_buf_adds(&b, "  - table:\n      header: 1\n      rows:\n");
    if (cases[k].rows)
      nb_buf_adds(&b, cases[k].rows);
    else {
      nb_buf_adds(&b, "        - [");
      for (int c = 0; c < 15; c++) nb_buf_printf(&b, "%s结果维持", c ? ", " : "");
      nb_buf_adds(&b, "]\n        - [");
      for (int c = 0; c < 15; c++)
        nb_buf_printf(&b, "%s%d", c ? ", " : "", k == 2 ? c % 3 : 10000 + 7919 * c % 89999);
      nb_buf_adds(&b, "]\n");
    }
    nb_doc *doc = load(b.s);
    CHECK(doc && doc->nblocks == 1);
    if (doc && doc->nblocks == 1) {
      int got = nb_table_too_wide(doc->blocks[0].table, &tc, W);
      if (got != cases[k].wide) fprintf(stderr, "too wide, case %zu: %d\n", k, got);
      CHECK_INT(got, cases[k].wide);
      /* in the type area's height (a landscape page) table 四's heads fit */
      if (k == 2) CHECK(!nb_table_too_wide(doc->blocks[0].table, &tc, nb_style_text_height(style)));
    }
    nb_doc_free(doc);
    nb_buf_free(&b);
  }
}

/* With `table.wide: landscape` a wide table of 60 rows stands on pages of its own, turned a
 * quarter turn: its glyphs at 90°, everything inside the type area, its page numbers
 * upright; the text around it stays on upright pages. */
static void test_landscape(void) {
  style->table.wide = NB_WIDE_LANDSCAPE;
  nb_buf b = {0};
  nb_buf_adds(&b,
              "  - p: 前文。\n  - table:\n      caption: 表 宽表\n      header: 1\n      rows:\n"
              "        - [");
  for (int c = 0; c < 15; c++) nb_buf_printf(&b, "%s结果维持", c ? ", " : "");
  nb_buf_adds(&b, "]\n");
  for (int r = 0; r < 60; r++) {
    nb_buf_adds(&b, "        - [");
    for (int c = 0; c < 15; c++) nb_buf_printf(&b, "%s%d", c ? ", " : "", (r * 15 + c) % 97);
    nb_buf_adds(&b, "]\n");
  }
  nb_buf_adds(&b, "  - p: 后文。\n");
  laid L;
  lay(&L, b.s);
  if (L.tl) {
    double H = nb_style_text_height(style);
    CHECK(fabs(width_sum(L.tl) - H) < 0.01); /* as wide as the type area is high */
    CHECK(fabs(nb_table_text_size(L.tl) - 12) < 0.01);
    nb_arena *a = nb_arena_new();
    nb_paginate(&L.flow, L.doc, &tc, &L.pages, a, 0);
    size_t np = L.pages.pages.n;
    CHECK(np >= 5);
    CHECK(inside_area(&L.pages));
    /* first and last pages upright, the ones between turned */
    for (size_t p = 0; p < np; p++) {
      const nb_page *pg = &L.pages.pages.v[p];
      CHECK_INT(pg->turned, p > 0 && p + 1 < np);
      int up = 0, turned = 0, cont = 0, head = 0;
      for (size_t i = 0; i < pg->items.n; i++) {
        const nb_item *it = &pg->items.v[i];
        if (it->kind != NB_ITEM_GLYPHS) continue;
        if (it->y < 80)
          CHECK(it->angle == 0); /* the page number */
        else if (it->angle == 90)
          turned++;
        else
          up++;
        const nb_para *q = it->para;
        uint32_t c0 = q->ntext ? q->text[0] : 0, c1 = q->ntext > 1 ? q->text[1] : 0;
        cont += c0 == 0x7EED && c1 == 0x8868;                  /* 续表 */
        head += c0 == 0x7ED3 && c1 == 0x679C && it->line == 0; /* 结果维持 */
      }
      CHECK(pg->turned ? turned > 15 && up == 0 : turned == 0 && up > 0);
      /* each turned page has the header; those after the first under 续表 */
      if (pg->turned) CHECK_INT(head, 15);
      if (pg->turned) CHECK_INT(cont, p > 1);
    }
    for (size_t i = 0; i < L.flow.boxes.n; i++)
      if (L.flow.boxes.v[i].kind == NB_VB_ROW) CHECK(L.flow.boxes.v[i].turned);
    nb_arena_free(a);
  }
  unlay(&L);
  nb_buf_free(&b);
  style->table.wide = NB_WIDE_SHRINK;
}

/* Hyphens that the line breaker added, in the table's cells on the pages. */
static int added_hyphens(const nb_pages *ps, int *lines) {
  int n = 0;
  *lines = 0;
  for (size_t p = 0; p < ps->pages.n; p++)
    for (size_t i = 0; i < ps->pages.v[p].items.n; i++) {
      const nb_item *it = &ps->pages.v[p].items.v[i];
      if (it->kind != NB_ITEM_GLYPHS) continue;
      const nb_pline *ln = &it->para->lines[it->line];
      (*lines)++;
      for (size_t g = ln->g0; g < ln->g1; g++)
        n += it->para->glyphs[g].tn && it->para->glyphs[g].t0 >= it->para->ntext;
    }
  return n;
}

/* English in narrow columns: words stay whole while some size down to 小五 holds them
 * whole; only a table too wide for that is hyphenated, from its own size. A continued
 * table's caption is the English one. */
static void test_english_words(void) {
  tc.lang = NB_LANG_EN;
  tc.hyph = nb_hyphen_new("en");
  CHECK(tc.hyph != NULL);
  static const char *heads[] = {"Natural persons",
                                "Commercial enterprises",
                                "Research institutions",
                                "Public-welfare organizations",
                                "Legal service providers",
                                "Others",
                                "Total"};
  /* columns: whole words at 小四; whole words only smaller; too many for whole words */
  static const int ncols[] = {7, 8, 14};
  for (int k = 0; k < 3 && tc.hyph; k++) {
    nb_buf b = {0};
    nb_buf_adds(&b, "  - table:\n      header: 1\n      rows:\n        - [Item");
    for (int c = 0; c < ncols[k]; c++) nb_buf_printf(&b, ", %s", heads[c % 7]);
    nb_buf_adds(&b, "]\n");
    for (int row = 0; row < 40; row++) {
      nb_buf_printf(&b, "        - [Applications received in the year %d", row);
      for (int c = 0; c < ncols[k]; c++) nb_buf_printf(&b, ", %d", (row * 7 + c) % 97);
      nb_buf_adds(&b, "]\n");
    }
    laid L;
    lay(&L, b.s);
    if (L.tl) {
      nb_arena *a = nb_arena_new();
      nb_paginate(&L.flow, L.doc, &tc, &L.pages, a, 0);
      int lines = 0, hy = added_hyphens(&L.pages, &lines);
      double size = nb_table_text_size(L.tl), base = style->roles[NB_ROLE_TABLE].size;
      fprintf(stderr, "english table, %d columns: %g pt, %d added hyphens\n", ncols[k], size, hy);
      CHECK(size >= 9 - 0.01);
      if (k == 0) CHECK(hy == 0 && fabs(size - base) < 0.01);
      if (k == 1) CHECK(hy == 0 && size < base - 0.01);
      if (k == 2) CHECK(hy > 0 && size < 9 + 0.01); /* hyphenated only in 小五 */
      CHECK(lines > 40);
      CHECK(inside_area(&L.pages));
      /* continuation pages say "(continued)", not 续表 */
      int cont_en = 0, cont_zh = 0;
      for (size_t p = 0; p < L.pages.pages.n; p++)
        for (size_t i = 0; i < L.pages.pages.v[p].items.n; i++) {
          const nb_item *it = &L.pages.pages.v[p].items.v[i];
          if (it->kind != NB_ITEM_GLYPHS || it->para->ntext < 2) continue;
          cont_en += it->para->text[0] == '(' && it->para->text[1] == 'c';
          cont_zh += it->para->text[0] == 0x7EED && it->para->text[1] == 0x8868;
        }
      CHECK(L.pages.pages.n >= 2);
      CHECK_INT(cont_en, (int)L.pages.pages.n - 1);
      CHECK_INT(cont_zh, 0);
      nb_arena_free(a);
    }
    unlay(&L);
    nb_buf_free(&b);
  }
  nb_hyphen_free(tc.hyph);
  tc.hyph = NULL;
  tc.lang = NB_LANG_ZH;
}

int main(void) {
  nb_arena *a = nb_arena_new();
  style = nb_style_load(a, "gbt9704", &diags);
  CHECK(style != NULL);
  if (!style) TEST_MAIN_END();
  tc = (nb_textctx){.db = nb_fontdb_new(), .style = style, .d = &diags};
  test_numbers();
  test_widths();
  test_tall_row();
  test_long_table();
  test_linear_rows();
  test_too_wide();
  test_landscape();
  test_english_words();
  if (diags.errors) nb_diags_print(&diags, stderr);
  CHECK_INT(diags.errors, 0);
  nb_fontdb_free(tc.db);
  nb_diags_free(&diags);
  nb_arena_free(a);
  TEST_MAIN_END();
}
