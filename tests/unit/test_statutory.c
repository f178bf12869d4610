/* The statutory tables: grid shapes and merges of tables 二 三 四 in both formats, cell
 * contents, and the findings of nb_statutory_check on the Jiyang 2019 seed
 * (shared/seed/jiyang-2019-report.txt; statutory-tables.md §6). Documents are built by
 * hand so that the test does not depend on the YAML loader. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout/statutory.h"

/* ---- documents ---- */

enum { MAX_DATA = 256 };

static nb_doc *new_doc(int format) {
  nb_arena *a = nb_arena_new();
  nb_doc *doc = nb_arena_alloc(a, sizeof *doc);
  doc->arena = a;
  doc->path = "seed.yaml";
  doc->meta.format = format;
  doc->meta.pos = (nb_pos){"seed.yaml", 1, 1};
  doc->data = nb_arena_alloc(a, MAX_DATA * sizeof *doc->data);
  doc->data_pos = (nb_pos){"seed.yaml", 40, 1};
  return doc;
}

/* One datum on its own line (line = 100 + index), as the loader would flatten it. */
static nb_datum *add(nb_doc *doc, const char *path, const char *text) {
  if (doc->ndata == MAX_DATA) abort();
  nb_datum *d = &doc->data[doc->ndata];
  d->path = nb_arena_strdup(doc->arena, path);
  d->text.s = nb_arena_strdup(doc->arena, text);
  d->pos = d->text.pos = (nb_pos){"seed.yaml", 100 + (int)doc->ndata, 7};
  char *end;
  d->num = strtod(text, &end);
  d->is_number = *text && !*end;
  doc->ndata++;
  return d;
}

static nb_datum *find(nb_doc *doc, const char *path) {
  for (size_t i = 0; i < doc->ndata; i++)
    if (!strcmp(doc->data[i].path, path)) return &doc->data[i];
  return NULL;
}

static void add_row(nb_doc *doc, const char *prefix, const char *const *cols, const char **v) {
  char path[128];
  for (size_t i = 0; cols[i]; i++) {
    if (!v[i]) continue;
    snprintf(path, sizeof path, "%s.%s", prefix, cols[i]);
    add(doc, path, v[i]);
  }
}

static const char *const T3C[] = {"natural_person", "commercial", "research", "public_welfare",
                                  "legal_service",  "other_org",  "total",    NULL};
static const char *const T4C[] = {"upheld", "corrected", "other_result", "pending", "total", NULL};

/* The seed's table 三: only 自然人 and 总计 are filled, and only where a row has a value. */
static void add_t3_np(nb_doc *doc, const char *row, const char *n) {
  char path[128];
  snprintf(path, sizeof path, "t3.%s", row);
  add_row(doc, path, T3C, (const char *[]){n, NULL, NULL, NULL, NULL, NULL, n});
}

static nb_doc *seed_doc(void) {
  nb_doc *doc = new_doc(2019);
  static const char *const t2_1[] = {"made", "published", "published_total", NULL};
  static const char *const t2_5[] = {"items_prev", "change", "decisions", NULL};
  add_row(doc, "t2.art20_1.rules", t2_1, (const char *[]){"0", "0", "0"});
  add_row(doc, "t2.art20_1.norm_docs", t2_1, (const char *[]){"6", "6", "6"});
  add_row(doc, "t2.art20_5.licensing", t2_5, (const char *[]){"243", "0", "13348"});
  add_row(doc, "t2.art20_5.other_services", t2_5, (const char *[]){"1610", "0", "5227"});
  add_row(doc, "t2.art20_6.penalty", t2_5, (const char *[]){"2401", "0", "6547"});
  add_row(doc, "t2.art20_6.coercion", t2_5, (const char *[]){"220", "0", "157"});
  add(doc, "t2.art20_8.fees.items_prev", "25");
  add(doc, "t2.art20_8.fees.change", "-2");
  add(doc, "t2.art20_9.procurement.projects", "2360");
  add(doc, "t2.art20_9.procurement.amount", "585313万元");
  add_t3_np(doc, "new_received", "62");
  add_t3_np(doc, "disclosed", "41");
  add_t3_np(doc, "partly", "2");
  add_t3_np(doc, "refused_process", "1");
  add_t3_np(doc, "refused_inquiry", "2");
  add_t3_np(doc, "unable_not_held", "11");
  add_t3_np(doc, "unable_create", "2");
  add_t3_np(doc, "other", "3");
  add_row(doc, "t4.reconsideration", T4C, (const char *[]){"0", "0", "3", "0", "3"});
  add_row(doc, "t4.direct_suit", T4C, (const char *[]){"0", "0", "0", "0", "0"});
  add_row(doc, "t4.suit_after", T4C, (const char *[]){"1", "0", "0", "0", "1"});
  return doc;
}

static void free_doc(nb_doc *doc) { nb_arena_free(doc->arena); }

/* ---- the grid ---- */

enum { GR = 40, GC = 16 };

typedef struct grid {
  const nb_cell *at[GR][GC]; /* the cell covering each slot */
  int rows, cols;
} grid;

/* Places the cells as HTML does (skipping slots covered from above); 0 when a cell
 * overlaps another or sticks out, or a row does not fill exactly `cols` slots. */
static int place(const nb_table *t, int cols, grid *g) {
  memset(g, 0, sizeof *g);
  g->rows = (int)t->nrows, g->cols = cols;
  if (t->nrows > GR || cols > GC) return 0;
  int ok = 1;
  for (int r = 0; r < g->rows; r++) {
    int c = 0;
    for (size_t i = 0; i < t->rows[r].n; i++) {
      const nb_cell *cell = &t->rows[r].cells[i];
      while (c < cols && g->at[r][c]) c++;
      if (cell->colspan < 1 || cell->rowspan < 1 || c + cell->colspan > cols ||
          r + cell->rowspan > g->rows) {
        fprintf(stderr, "row %d cell %zu: does not fit\n", r, i);
        return 0;
      }
      for (int rr = r; rr < r + cell->rowspan; rr++)
        for (int cc = c; cc < c + cell->colspan; cc++) {
          if (g->at[rr][cc]) ok = 0;
          g->at[rr][cc] = cell;
        }
      c += cell->colspan;
    }
    for (c = 0; c < cols; c++)
      if (!g->at[r][c]) {
        fprintf(stderr, "row %d: slot %d empty\n", r, c);
        ok = 0;
      }
  }
  return ok;
}

static const char *text_at(const grid *g, int r, int c) {
  if (r >= g->rows || c >= g->cols || !g->at[r][c]) return NULL;
  return g->at[r][c]->text.zh.s;
}

/* The top-left slot of a cell and its spans, to check merges. */
static int is_cell(const grid *g, int r, int c, const char *zh, int cs, int rs) {
  const nb_cell *x = g->at[r][c];
  if (!x || strcmp(x->text.zh.s, zh) || x->colspan != cs || x->rowspan != rs) return 0;
  return (r == 0 || g->at[r - 1][c] != x) && (c == 0 || g->at[r][c - 1] != x);
}

static int table_has(const nb_table *t, const char *s, int english) {
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t i = 0; i < t->rows[r].n; i++) {
      const nb_str *x = english ? &t->rows[r].cells[i].text.en : &t->rows[r].cells[i].text.zh;
      if (x->s && !strcmp(x->s, s)) return 1;
    }
  return 0;
}

static int count_blank(const grid *g, int r0, int c0) {
  int n = 0;
  for (int r = r0; r < g->rows; r++)
    for (int c = c0; c < g->cols; c++) n += !strcmp(text_at(g, r, c), "");
  return n;
}

/* ---- tables ---- */

static grid G;

static void test_t3_2019(void) {
  nb_doc *doc = seed_doc();
  nb_diags d = {0};
  nb_table *t = nb_statutory_table(doc, 3, &d);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_INT(d.n, 0);
  CHECK_INT(t->nrows, 26);
  CHECK_INT(t->ncols, 10);
  CHECK_INT(t->header_rows, 3);
  CHECK(t->caption.zh.s == NULL);
  CHECK(place(t, 10, &G));
  /* header */
  CHECK(is_cell(&G, 0, 0, nb_statutory_label("note", 0), 3, 3));
  CHECK(is_cell(&G, 0, 3, "申请人情况", 7, 1));
  CHECK(is_cell(&G, 1, 3, "自然人", 1, 2));
  CHECK(is_cell(&G, 1, 4, "法人或其他组织", 5, 1));
  CHECK(is_cell(&G, 1, 9, "总计", 1, 2));
  CHECK(is_cell(&G, 2, 4, "商业企业", 1, 1));
  CHECK(is_cell(&G, 2, 8, "其他", 1, 1));
  /* body labels and merges */
  CHECK(is_cell(&G, 3, 0, "一、本年新收政府信息公开申请数量", 3, 1));
  CHECK(is_cell(&G, 4, 0, "二、上年结转政府信息公开申请数量", 3, 1));
  CHECK(is_cell(&G, 5, 0, "三、本年度办理结果", 1, 20));
  CHECK(is_cell(&G, 5, 1, "（一）予以公开", 2, 1));
  CHECK(is_cell(&G, 6, 1, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1));
  CHECK(is_cell(&G, 7, 1, "（三）不予公开", 1, 8));
  CHECK(is_cell(&G, 7, 2, "1.属于国家秘密", 1, 1));
  CHECK(is_cell(&G, 9, 2, "3.危及“三安全一稳定”", 1, 1));
  CHECK(is_cell(&G, 14, 2, "8.属于行政查询事项", 1, 1));
  CHECK(is_cell(&G, 15, 1, "（四）无法提供", 1, 3));
  CHECK(is_cell(&G, 18, 1, "（五）不予处理", 1, 5));
  CHECK(is_cell(&G, 22, 2, "5.要求行政机关确认或重新出具已获取信息", 1, 1));
  CHECK(is_cell(&G, 23, 1, "（六）其他处理", 2, 1));
  CHECK(is_cell(&G, 24, 1, "（七）总计", 2, 1));
  CHECK(is_cell(&G, 25, 0, "四、结转下年度继续办理", 3, 1));
  /* numbers in their cells; blank stays blank */
  CHECK_STR(text_at(&G, 3, 3), "62");
  CHECK_STR(text_at(&G, 3, 9), "62");
  CHECK_STR(text_at(&G, 3, 4), "");
  CHECK_STR(text_at(&G, 5, 3), "41");
  CHECK_STR(text_at(&G, 5, 9), "41");
  CHECK_STR(text_at(&G, 6, 3), "2");
  CHECK_STR(text_at(&G, 12, 3), "1");  /* 6.属于四类过程性信息 */
  CHECK_STR(text_at(&G, 14, 9), "2");  /* 8.属于行政查询事项 */
  CHECK_STR(text_at(&G, 15, 3), "11"); /* 1.本机关不掌握 */
  CHECK_STR(text_at(&G, 16, 9), "2");
  CHECK_STR(text_at(&G, 23, 3), "3");
  CHECK_STR(text_at(&G, 24, 3), ""); /* the seed's blank （七）总计 */
  CHECK_STR(text_at(&G, 24, 9), "");
  CHECK_INT(count_blank(&G, 3, 3), 161 - 16); /* §6: 145 of 161 blank */
  /* the data cell carries the datum's position; a blank one the data section's */
  CHECK_INT(G.at[5][3]->pos.line, find(doc, "t3.disclosed.natural_person")->pos.line);
  CHECK_INT(G.at[24][3]->pos.line, 40);
  /* a blank cell is marked, so that the layout's table.blank prints there */
  CHECK_INT(G.at[24][3]->blank, 1);
  CHECK_INT(G.at[5][3]->blank, 0);
  /* English labels, column specs */
  CHECK(table_has(t, "(1) Disclosed", 1));
  CHECK(table_has(t, "(7) Total", 1));
  CHECK(table_has(t, "(In each column: items I + II = items III + IV)", 1));
  CHECK_INT(t->cols[0].align, NB_ALIGN_LEFT);
  CHECK_INT(t->cols[2].align, NB_ALIGN_LEFT);
  /* data columns leave number alignment to the layout (table.numbers) */
  CHECK_INT(t->cols[3].align, NB_ALIGN_DEFAULT);
  CHECK_INT(t->cols[9].align, NB_ALIGN_DEFAULT);
  double sum = 0;
  for (size_t i = 0; i < t->ncols; i++) sum += t->cols[i].width;
  CHECK(sum > -1.0001 && sum < -0.9999);
  CHECK(t->cols[2].width < t->cols[3].width); /* the sub-item column is the widest */
  nb_diags_free(&d);
  free_doc(doc);
}

static void test_t3_2021(void) {
  nb_doc *doc = new_doc(2021);
  add_t3_np(doc, "other_unpaid_fee", "4");
  nb_diags d = {0};
  nb_table *t = nb_statutory_table(doc, 3, &d);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_INT(t->nrows, 28);
  CHECK(place(t, 10, &G));
  CHECK(is_cell(&G, 5, 0, "三、本年度办理结果", 1, 22));
  CHECK(is_cell(&G, 23, 1, "（六）其他处理", 1, 3));
  CHECK(is_cell(&G, 24, 2, nb_statutory_label("other_unpaid_fee", 0), 1, 1));
  CHECK(is_cell(&G, 25, 2, "3.其他", 1, 1));
  CHECK(is_cell(&G, 26, 1, "（七）总计", 2, 1));
  CHECK(is_cell(&G, 27, 0, "四、结转下年度继续办理", 3, 1));
  CHECK_STR(text_at(&G, 24, 3), "4");
  CHECK_STR(text_at(&G, 24, 9), "4");
  CHECK_INT(count_blank(&G, 3, 3), 175 - 2);
  nb_diags_free(&d);
  free_doc(doc);
}

static void test_t2(void) {
  nb_doc *doc = seed_doc();
  nb_diags d = {0};
  nb_table *t = nb_statutory_table(doc, 2, &d);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_INT(t->nrows, 18);
  CHECK_INT(t->ncols, 4);
  CHECK_INT(t->header_rows, 0);
  CHECK(place(t, 4, &G));
  CHECK(is_cell(&G, 0, 0, "第二十条第（一）项", 4, 1));
  CHECK(is_cell(&G, 1, 0, "信息内容", 1, 1));
  CHECK(is_cell(&G, 1, 2, "本年新公开数量", 1, 1));
  CHECK(is_cell(&G, 3, 0, "规范性文件", 1, 1));
  CHECK_STR(text_at(&G, 3, 1), "6");
  CHECK(is_cell(&G, 5, 3, "处理决定数量", 1, 1));
  CHECK_STR(text_at(&G, 6, 3), "13348");
  CHECK_STR(text_at(&G, 7, 1), "1610");
  CHECK(is_cell(&G, 8, 0, "第二十条第（六）项", 4, 1));
  CHECK_STR(text_at(&G, 11, 3), "157");
  /* （八）（九）: 2 values over 3 data columns, the last spanning 2 */
  CHECK(is_cell(&G, 13, 2, "本年增/减", 2, 1));
  CHECK(is_cell(&G, 14, 0, "行政事业性收费", 1, 1));
  CHECK_STR(text_at(&G, 14, 1), "25");
  CHECK_STR(text_at(&G, 14, 2), "-2");
  CHECK_INT(G.at[14][2]->colspan, 2);
  CHECK(is_cell(&G, 16, 2, "采购总金额", 2, 1));
  CHECK_STR(text_at(&G, 17, 1), "2360");
  CHECK_STR(text_at(&G, 17, 3), "585313万元");
  CHECK(table_has(t, "Change this year (+/\u2212)", 1));
  CHECK_INT(t->cols[0].align, NB_ALIGN_LEFT);
  CHECK_INT(t->cols[1].align, NB_ALIGN_DEFAULT);
  free_doc(doc);

  /* 2021: 10 values, （五）（六）（八） one value over 3 columns, no （九） */
  doc = new_doc(2021);
  add(doc, "t2.art20_1.admin_norm_docs.in_force", "55");
  add(doc, "t2.art20_6.coercion.decisions", "157");
  add(doc, "t2.art20_8.fees.fee_amount", "12.35");
  t = nb_statutory_table(doc, 2, &d);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_INT(t->nrows, 14);
  CHECK(place(t, 4, &G));
  CHECK(is_cell(&G, 1, 1, "本年制发件数", 1, 1));
  CHECK(is_cell(&G, 3, 0, "行政规范性文件", 1, 1));
  CHECK_STR(text_at(&G, 3, 3), "55");
  CHECK(is_cell(&G, 5, 1, "本年处理决定数量", 3, 1));
  CHECK(is_cell(&G, 6, 0, "行政许可", 1, 1));
  CHECK(is_cell(&G, 9, 1, "", 3, 1)); /* 行政处罚: blank over 3 columns */
  CHECK_STR(text_at(&G, 10, 0), "行政强制");
  CHECK_STR(text_at(&G, 10, 2), "157");
  CHECK(is_cell(&G, 12, 1, "本年收费金额（单位：万元）", 3, 1));
  CHECK_STR(text_at(&G, 13, 0), "行政事业性收费");
  CHECK(is_cell(&G, 13, 1, "12.35", 3, 1));
  CHECK(!table_has(t, "第二十条第（九）项", 0));
  CHECK(!table_has(t, "其他对外管理服务事项", 0));
  CHECK_INT(d.n, 0);
  nb_diags_free(&d);
  free_doc(doc);
}

static void test_t4(void) {
  nb_doc *doc = seed_doc();
  nb_diags d = {0};
  nb_table *t = nb_statutory_table(doc, 4, &d);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_INT(t->nrows, 4);
  CHECK_INT(t->ncols, 15);
  CHECK_INT(t->header_rows, 3);
  CHECK(place(t, 15, &G));
  CHECK(is_cell(&G, 0, 0, "行政复议", 5, 1));
  CHECK(is_cell(&G, 0, 5, "行政诉讼", 10, 1));
  CHECK(is_cell(&G, 1, 0, "结果维持", 1, 2));
  CHECK(is_cell(&G, 1, 4, "总计", 1, 2));
  CHECK(is_cell(&G, 1, 5, "未经复议直接起诉", 5, 1));
  CHECK(is_cell(&G, 1, 10, "复议后起诉", 5, 1));
  CHECK(is_cell(&G, 2, 5, "结果维持", 1, 1));
  CHECK(is_cell(&G, 2, 14, "总计", 1, 1));
  static const char *const v[] = {"0", "0", "3", "0", "3", "0", "0", "0",
                                  "0", "0", "1", "0", "0", "0", "1"};
  for (int c = 0; c < 15; c++) CHECK_STR(text_at(&G, 3, c), v[c]);
  CHECK(table_has(t, "Pending", 1));
  CHECK_INT(t->cols[0].align, NB_ALIGN_DEFAULT);
  CHECK_INT(d.n, 0);
  /* neither a table 5 nor an unknown format */
  CHECK(nb_statutory_table(doc, 5, &d) == NULL);
  CHECK_INT(d.errors, 1);
  doc->meta.format = 2020;
  CHECK(nb_statutory_table(doc, 3, &d) == NULL);
  CHECK_INT(d.errors, 2);
  nb_diags_free(&d);
  free_doc(doc);
}

static void test_labels(void) {
  CHECK_STR(nb_statutory_label("disclosed", 0), "（一）予以公开");
  CHECK_STR(nb_statutory_label("disclosed", 1), "(1) Disclosed");
  CHECK_STR(nb_statutory_label("s4", 0), "四、政府信息公开行政复议、行政诉讼情况");
  CHECK_STR(nb_statutory_label("fee_amount", 1), "Fees collected this year (unit: 10,000 yuan)");
  CHECK(nb_statutory_label("discolsed", 0) == NULL);
  CHECK(nb_statutory_label("", 1) == NULL);
}

/* ---- checks ---- */

static const nb_diag *diag_with(const nb_diags *d, const char *s) {
  for (size_t i = 0; i < d->n; i++)
    if (strstr(d->v[i].msg, s)) return &d->v[i];
  return NULL;
}

static void dump(const nb_diags *d) {
  if (getenv("NB_TEST_VERBOSE")) nb_diags_print(d, stderr);
}

static const char *const SEED_FINDINGS[] = {
    "表三 （七）总计 + 四、结转下年度继续办理 / 自然人: expected 62 (一 + 二 = 62 + blank), "
    "found 0 (（七）总计 + 四 = blank + blank)",
    "表三 （七）总计 / 自然人: expected 62 (sum of the results), found blank",
    "表三 （七）总计 + 四、结转下年度继续办理 / 总计: expected 62 (一 + 二 = 62 + blank), "
    "found 0 (（七）总计 + 四 = blank + blank)",
    "表三 （七）总计 / 总计: expected 62 (sum of the results), found blank",
};

static void test_check_seed(void) {
  nb_doc *doc = seed_doc();
  nb_diags d = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &d), 4);
  dump(&d);
  CHECK_INT(d.n, 4);
  CHECK_INT(d.warnings, 4);
  CHECK_INT(d.errors, 0);
  for (size_t i = 0; i < 4 && i < d.n; i++) {
    CHECK_STR(d.v[i].msg, SEED_FINDINGS[i]);
    CHECK_INT(d.v[i].pos.line, 40); /* the blank （七） row: the data section */
  }
  nb_diags_free(&d);

  nb_diags s = {0};
  CHECK_INT(nb_statutory_check(doc, 1, &s), 4);
  CHECK_INT(s.errors, 4);
  CHECK_INT(s.warnings, 0);
  nb_diags_free(&s);

  /* filling （七） as the result rows say clears everything */
  add_t3_np(doc, "results_total", "62");
  nb_diags f = {0};
  CHECK_INT(nb_statutory_check(doc, 1, &f), 0);
  dump(&f);
  nb_diags_free(&f);
  free_doc(doc);
}

static void test_check_changed(void) {
  nb_doc *doc = seed_doc();
  nb_datum *x = find(doc, "t3.disclosed.natural_person");
  x->text.s = "40";
  nb_diags d = {0};
  CHECK_INT(nb_statutory_check(doc, 1, &d), 5);
  dump(&d);
  const nb_diag *g = diag_with(&d, "（一）予以公开");
  CHECK(g != NULL);
  if (g) {
    CHECK_STR(g->msg, "表三 （一）予以公开 / 总计: expected 40 (sum of the six applicant "
                      "columns), found 41");
    CHECK_INT(g->pos.line, find(doc, "t3.disclosed.total")->pos.line);
    CHECK_INT(g->sev, NB_SEV_ERROR);
  }
  CHECK(diag_with(&d, "表三 （七）总计 / 自然人: expected 61 (sum of the results), found blank"));
  nb_diags_free(&d);

  /* with （七） filled, a sub-row's error and F > N + C are named by row and column */
  x->text.s = "41";
  add_t3_np(doc, "results_total", "62");
  find(doc, "t3.unable_create.total")->text.s = "3";
  add(doc, "t3.carried_forward.research", "1");
  nb_diags e = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &e), 5);
  dump(&e);
  CHECK(diag_with(&e, "表三 （四）无法提供 2.没有现成信息需要另行制作 / 总计: expected 2 (sum of "
                      "the six applicant columns), found 3"));
  CHECK(diag_with(&e, "表三 四、结转下年度继续办理 / 科研机构: expected at most 0 (一 + 二), "
                      "found 1"));
  CHECK(diag_with(&e, "表三 （七）总计 + 四、结转下年度继续办理 / 科研机构: expected 0"));
  CHECK(diag_with(&e, "表三 四、结转下年度继续办理 / 总计: expected 1 (sum of the six"));
  CHECK(diag_with(&e, "表三 （七）总计 / 总计: expected 63 (sum of the results), found 62"));
  nb_diags_free(&e);
  free_doc(doc);
}

static void test_check_t4(void) {
  nb_doc *doc = seed_doc();
  find(doc, "t4.suit_after.total")->text.s = "2";
  nb_datum *p = find(doc, "t4.reconsideration.total");
  p->text.s = ""; /* blank total over non-zero parts */
  nb_diags d = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &d), 6);
  dump(&d);
  const nb_diag *g = diag_with(&d, "表四 行政诉讼 复议后起诉 / 总计");
  CHECK(g && strstr(g->msg, "expected 1 (结果维持 + 结果纠正 + 其他结果 + 尚未审结), found 2"));
  g = diag_with(&d, "表四 行政复议 / 总计: expected 3");
  CHECK(g && strstr(g->msg, "found blank"));
  CHECK(g && g->pos.line == p->pos.line);
  nb_diags_free(&d);
  free_doc(doc);
}

static void test_check_keys(void) {
  nb_doc *doc = seed_doc();
  nb_datum *a = add(doc, "t3.discolsed.natural_person", "1");
  nb_datum *b = add(doc, "t3.disclosed.natual_person", "0");
  add(doc, "t3.other_other.total", "0");
  add(doc, "t4.reconsideration", "3");
  add(doc, "t4.reconsideration.total.x", "3");
  add(doc, "t2.art20_9.procurement.amonut", "1");
  add(doc, "t9.x", "1");
  add(doc, "t3.zzzzzzzzzz.total", "0");
  nb_diags d = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &d), 4 + 8);
  dump(&d);
  CHECK_INT(d.errors, 8); /* key errors regardless of strict */
  const nb_diag *g = diag_with(&d, "did you mean 'disclosed'");
  CHECK(g != NULL);
  if (g) {
    CHECK_STR(g->msg, "unknown key 'discolsed' in data.t3; did you mean 'disclosed'?");
    CHECK_INT(g->pos.line, a->pos.line);
    CHECK_INT(g->sev, NB_SEV_ERROR);
  }
  g = diag_with(&d, "unknown key 'natual_person' in data.t3.disclosed; did you mean "
                    "'natural_person'?");
  CHECK(g && g->pos.line == b->pos.line);
  CHECK(diag_with(&d, "unknown key 'other_other' in data.t3 (a key of the 2021 format; "
                      "meta.format is 2019)"));
  CHECK(diag_with(
      &d, "data.t4.reconsideration: expected a mapping with keys upheld, …; found a single value"));
  CHECK(diag_with(&d, "data.t4.reconsideration.total: expected a value, found a mapping"));
  CHECK(diag_with(&d, "unknown key 'amonut' in data.t2.art20_9.procurement; did you mean "
                      "'amount'?"));
  CHECK(diag_with(&d, "unknown key 't9' in data; did you mean"));
  CHECK(diag_with(&d, "unknown key 'zzzzzzzzzz' in data.t3; expected one of: new_received"));
  nb_diags_free(&d);
  free_doc(doc);
}

static void test_check_domain(void) {
  nb_doc *doc = seed_doc();
  find(doc, "t3.disclosed.natural_person")->text.s = "4.5";
  add(doc, "t3.partly.commercial", "-1");
  find(doc, "t2.art20_5.licensing.change")->text.s = "\u22123"; /* U+2212 minus: fine */
  find(doc, "t2.art20_6.penalty.change")->text.s = "三";
  find(doc, "t2.art20_1.rules.made")->text.s = "22（其中修订16件）";
  find(doc, "t2.art20_9.procurement.amount")->text.s = "5,853.13 元";
  nb_diags d = {0};
  /* 4 domain findings; relations through 4.5 and -1 are not checked (counted below) */
  int n = nb_statutory_check(doc, 1, &d);
  dump(&d);
  CHECK(diag_with(&d, "表三 （一）予以公开 / 自然人: expected a non-negative integer, found "
                      "'4.5'"));
  CHECK(diag_with(&d, "表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） / 商业企业: "
                      "expected a non-negative integer, found '-1'"));
  CHECK(diag_with(&d, "表二 第二十条第（六）项 行政处罚 / 本年增/减: expected a whole number"));
  CHECK(diag_with(&d, "表二 第二十条第（一）项 规章 / 本年新制作数量: expected a non-negative "
                      "integer, found '22（其中修订16件）'"));
  CHECK(!diag_with(&d, "行政许可"));
  CHECK(!diag_with(&d, "采购总金额"));
  /* 自然人: relation 2 skipped (4.5), relation 1 still fails; 商业企业: row 3 skipped;
   * 总计 column: relations 1 and 2 fail as in the seed */
  CHECK_INT(n, 4 + 3);
  CHECK_INT(d.errors, n);
  nb_diags_free(&d);
  free_doc(doc);
}

/* A consistent 2021 report: no findings; the 2021 keys are known, 2019's （六） is not. */
static void test_check_2021(void) {
  nb_doc *doc = new_doc(2021);
  add(doc, "t2.art20_1.admin_norm_docs.issued", "22");
  add(doc, "t2.art20_8.fees.fee_amount", "1234.56");
  add(doc, "t2.art20_5.licensing.decisions", "13348");
  add_t3_np(doc, "new_received", "10");
  add_t3_np(doc, "carried_over", "2");
  add_t3_np(doc, "disclosed", "5");
  add_t3_np(doc, "other_unpaid_fee", "1");
  add_t3_np(doc, "other_other", "4");
  add_t3_np(doc, "results_total", "10");
  add_t3_np(doc, "carried_forward", "2");
  nb_diags d = {0};
  CHECK_INT(nb_statutory_check(doc, 1, &d), 0);
  dump(&d);
  nb_diags_free(&d);
  add(doc, "t3.other.total", "1");
  add(doc, "t2.art20_1.norm_docs.issued", "1");
  add(doc, "t2.art20_9.procurement.projects", "1");
  CHECK_INT(nb_statutory_check(doc, 1, &d), 3);
  dump(&d);
  CHECK(diag_with(&d, "unknown key 'other' in data.t3 (a key of the 2019 format; meta.format "
                      "is 2021)"));
  CHECK(diag_with(&d, "unknown key 'norm_docs' in data.t2.art20_1 (a key of the 2019 format"));
  CHECK(diag_with(&d, "unknown key 'art20_9' in data.t2 (a key of the 2019 format"));
  nb_diags_free(&d);
  free_doc(doc);
}

/* The seed's paragraph on applications (its figures agree with its table 三). */
static const char *const SEED_PROSE =
    "开展依申请公开暗访活动，提高区政府所属部门实际办理能力。2019全区各单位各部门共收到信息公开"
    "申请62件,同比增长24%。其中予以公开41件，占比66%；部分公开2件，占比3%；不予公开3件，占比5%；"
    "无法提供13件，占比21%；其他处理3件，占比5%。";

/* A document with one paragraph `text`, which the source `src` holds at line 1, column 4. */
static nb_doc *prose_doc(nb_doc *doc, const char *text, const char *src) {
  nb_block *b = nb_arena_alloc(doc->arena, sizeof *b);
  b->kind = NB_BLK_PARA;
  b->text.zh = (nb_str){nb_arena_strdup(doc->arena, text), {"seed.yaml", 1, 4}};
  doc->blocks = b;
  doc->nblocks = 1;
  doc->src = src;
  doc->srclen = src ? strlen(src) : 0;
  return doc;
}

static void test_check_prose(void) {
  /* the seed's own prose agrees with its tables: only the 4 findings of （七） */
  nb_doc *doc = prose_doc(seed_doc(), SEED_PROSE, NULL);
  nb_diags d = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &d), 4);
  dump(&d);
  nb_diags_free(&d);
  free_doc(doc);

  /* figures changed: each contradiction is named, at its column in the source */
  const char *text = "共收到信息公开申请60件。其中予以公开42件，占比67%；部分公开2件，占比3.2%；"
                     "不予公开4件；无法提供13件，占比20%；不予处理0件；其他处理3件。"
                     "被申请行政复议2件，被提起行政诉讼1件。";
  nb_buf src = {0};
  nb_buf_printf(&src, "p: %s\n", text);
  doc = prose_doc(seed_doc(), text, src.s);
  add_t3_np(doc, "results_total", "62");
  nb_diags e = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &e), 6);
  dump(&e);
  const nb_diag *g = diag_with(&e, "收到信息公开申请60件");
  CHECK(g &&
        !strcmp(g->msg, "收到信息公开申请60件 contradicts 表三 一、本年新收政府信息公开申请数量 "
                        "/ 总计: expected 62, found 60"));
  CHECK(g && g->pos.line == 1 && g->pos.col == 4 + 9 && g->sev == NB_SEV_WARNING);
  g = diag_with(&e, "予以公开42件");
  CHECK(g && !strcmp(g->msg, "予以公开42件 contradicts 表三 （一）予以公开 / 总计: expected 41, "
                             "found 42"));
  CHECK(g && g->pos.col == 4 + 19);
  /* the share is checked against the table's 41, not the prose's 42 */
  g = diag_with(&e, "占比67%");
  CHECK(g &&
        !strcmp(g->msg, "占比67% contradicts the tables: expected 66% (41 of 62, 表三 （七）总计 "
                        "/ 总计), found 67%"));
  CHECK(g && g->pos.col == 4 + 25);
  CHECK(!diag_with(&e, "占比3.2%")); /* 2 of 62 = 3.2% at its printed precision */
  CHECK(diag_with(&e, "不予公开4件 contradicts 表三 （三）不予公开 (the sum of its items) / 总计: "
                      "expected 3, found 4"));
  CHECK(diag_with(&e, "占比20% contradicts the tables: expected 21% (13 of 62"));
  CHECK(diag_with(&e, "被提起行政诉讼1件") == NULL); /* the keyword starts at 行政诉讼 */
  CHECK(diag_with(&e, "行政复议2件 contradicts 表四 行政复议 / 总计: expected 3, found 2"));
  CHECK(!diag_with(&e, "行政诉讼1件")); /* 0 + 1 */
  nb_diags_free(&e);
  /* strict: errors */
  nb_diags f = {0};
  nb_statutory_check(doc, 1, &f);
  CHECK_INT(f.errors, 6);
  nb_diags_free(&f);
  nb_buf_free(&src);
  free_doc(doc);

  /* figures too large for any count: contradictions quoted as written, no overflow */
  doc = prose_doc(seed_doc(),
                  "收到信息公开申请99999999999999999999999件，予以公开41件，"
                  "占比99999999999999999999.5%。",
                  NULL);
  add_t3_np(doc, "results_total", "62");
  nb_diags h = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &h), 2);
  dump(&h);
  CHECK(diag_with(&h, "收到信息公开申请99999999999999999999999件 contradicts 表三 "
                      "一、本年新收政府信息公开申请数量 / 总计: expected 62, found "
                      "99999999999999999999999"));
  CHECK(diag_with(&h, "占比99999999999999999999.5% contradicts the tables: expected 66.1%"));
  nb_diags_free(&h);
  free_doc(doc);

  /* not figures of the tables: no 申请 after 收到, a decimal, another unit */
  doc = prose_doc(seed_doc(), "收到群众来信12件。予以公开1.5件。予以公开41项。", NULL);
  add_t3_np(doc, "results_total", "62");
  nb_diags n = {0};
  CHECK_INT(nb_statutory_check(doc, 0, &n), 0);
  dump(&n);
  nb_diags_free(&n);
  free_doc(doc);
}

static void test_paths(void) {
  CHECK(nb_statutory_known_path(2019, "t3.disclosed.total"));
  CHECK(nb_statutory_known_path(2021, "t3.other_unpaid_fee.research"));
  CHECK(!nb_statutory_known_path(2019, "t3.other_unpaid_fee.research"));
  CHECK(nb_statutory_known_path(2019, "t2.art20_9.procurement.amount"));
  CHECK(!nb_statutory_known_path(2021, "t2.art20_9.procurement.amount"));
  CHECK(!nb_statutory_known_path(2019, "t3.disclosed"));
  CHECK(!nb_statutory_known_path(2019, "t3.disclosed.total.x"));
  CHECK(!nb_statutory_known_path(2020, "t3.disclosed.total"));
  char buf[128];
  CHECK(nb_statutory_suggest(2019, "t3.dislcosed.totl", buf, sizeof buf));
  CHECK_STR(buf, "t3.disclosed.total");
  CHECK(nb_statutory_suggest(2021, "t4.reconsideration.totl", buf, sizeof buf));
  CHECK_STR(buf, "t4.reconsideration.total");
}

int main(void) {
  test_t3_2019();
  test_t3_2021();
  test_t2();
  test_t4();
  test_labels();
  test_check_seed();
  test_check_changed();
  test_check_t4();
  test_check_keys();
  test_check_domain();
  test_check_2021();
  test_check_prose();
  test_paths();
  TEST_MAIN_END();
}
