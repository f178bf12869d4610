/* Blocks to boxes: the official heading numbering, read back from the bookmark titles of
 * the heading lines, in Chinese (一、 （一） 1. （1）) and English (I. (1) 1. (a)), past
 * ten, past ninety-nine and from a restarted counter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "layout/flow.h"
#include "pages/paginate.h"

static nb_textctx tc;
static nb_diags diags;

/* The bookmark titles of the headings of `level` in a report whose body is `body`. */
static char **titles(const char *body, nb_lang lang, int level, size_t *n) {
  nb_buf b = {0};
  nb_buf_printf(&b, "meta: {issuer: a, title: b, year: 2021, format: 2021}\nbody:\n%s", body);
  nb_doc *doc = nb_content_load_text("t.yaml", b.s, b.n, &diags);
  nb_buf_free(&b);
  *n = 0;
  CHECK(doc != NULL);
  if (!doc) return NULL;
  nb_flow flow = {0};
  nb_pages pages = {0};
  tc.lang = lang;
  nb_flow_build(&flow, doc, &tc, &pages);
  char **out = calloc(flow.boxes.n + 1, sizeof *out);
  for (size_t i = 0; i < flow.boxes.n; i++)
    if (flow.boxes.v[i].outline_level == level)
      out[(*n)++] = nb_xstrdup(flow.boxes.v[i].outline_title);
  nb_flow_free(&flow);
  nb_pages_free(&pages);
  nb_doc_free(doc);
  return out;
}

static void free_titles(char **t, size_t n) {
  for (size_t i = 0; i < n; i++) free(t[i]);
  free(t);
}

static void test_many_headings(void) {
  nb_buf b = {0};
  for (int i = 0; i < 112; i++) nb_buf_adds(&b, "  - h1: 标题\n  - h4: x\n");
  size_t n;
  char **t = titles(b.s, NB_LANG_ZH, 1, &n);
  CHECK_INT(n, 112);
  if (n == 112) {
    CHECK_STR(t[0], "一、标题");
    CHECK_STR(t[9], "十、标题");
    CHECK_STR(t[10], "十一、标题");
    CHECK_STR(t[19], "二十、标题");
    CHECK_STR(t[98], "九十九、标题");
    CHECK_STR(t[99], "一百、标题");
    CHECK_STR(t[100], "一百零一、标题");
    CHECK_STR(t[109], "一百一十、标题");
    CHECK_STR(t[111], "一百一十二、标题");
  }
  free_titles(t, n);
  t = titles(b.s, NB_LANG_EN, 1, &n);
  CHECK(n == 112 && !strcmp(t[99], "C. 标题") && !strcmp(t[111], "CXII. 标题"));
  free_titles(t, n);
  nb_buf_free(&b);

  /* 30 items of the fourth level: (z), then (aa) */
  nb_buf_adds(&b, "  - h1: x\n");
  for (int i = 0; i < 30; i++) nb_buf_adds(&b, "  - h4: item\n");
  t = titles(b.s, NB_LANG_EN, 4, &n);
  CHECK_INT(n, 30);
  if (n == 30) {
    CHECK_STR(t[0], "(a) item");
    CHECK_STR(t[25], "(z) item");
    CHECK_STR(t[26], "(aa) item");
    CHECK_STR(t[29], "(ad) item");
  }
  free_titles(t, n);
  nb_buf_free(&b);
}

static void test_restarted(void) {
  static const struct {
    int start;
    const char *want;
  } cases[] = {{1000, "一千、x"},         {1001, "一千零一、x"},  {1010, "一千零一十、x"},
               {1100, "一千一百、x"},     {10000, "一万、x"},     {10001, "一万零一、x"},
               {10100, "一万零一百、x"},  {11000, "一万一千、x"}, {100000, "十万、x"},
               {20019, "二万零一十九、x"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char body[128];
    snprintf(body, sizeof body, "  - h1: {text: x, start: %d}\n", cases[i].start);
    size_t n;
    char **t = titles(body, NB_LANG_ZH, 1, &n);
    CHECK(n == 1);
    if (n == 1) CHECK_STR(t[0], cases[i].want);
    free_titles(t, n);
  }
  /* the second level: （一百） */
  size_t n;
  char **t = titles("  - h1: x\n  - h2: {text: y, start: 100}\n", NB_LANG_ZH, 2, &n);
  CHECK(n == 1 && !strcmp(t[0], "（一百）y"));
  free_titles(t, n);
}

/* The paragraphs set for `body` in a bilingual edition, as UTF-8, one per paragraph. */
static size_t paragraphs(const char *body, char out[][64], size_t max) {
  nb_buf b = {0};
  nb_buf_printf(&b, "meta: {issuer: a, title: b, year: 2021, format: 2021}\nbody:\n%s", body);
  nb_doc *doc = nb_content_load_text("t.yaml", b.s, b.n, &diags);
  nb_buf_free(&b);
  size_t n = 0;
  if (!doc) return 0;
  nb_flow flow = {0};
  nb_pages pages = {0};
  nb_role en[NB_ROLE_COUNT];
  memcpy(en, tc.style->roles, sizeof en);
  tc.lang = NB_LANG_ZH;
  tc.en_roles = en;
  nb_flow_build(&flow, doc, &tc, &pages);
  tc.en_roles = NULL;
  const nb_para *last = NULL;
  for (size_t i = 0; i < flow.boxes.n && n < max; i++) {
    const nb_vbox *x = &flow.boxes.v[i];
    if (x->kind != NB_VB_LINE || x->para == last || x->line != 0) continue;
    last = x->para;
    nb_buf t = {0};
    for (size_t k = 0; k < x->para->ntext; k++) {
      char u[4];
      nb_buf_add(&t, u, (size_t)nb_utf8_encode(x->para->text[k], u));
    }
    snprintf(out[n++], 64, "%s", t.s ? t.s : "");
    nb_buf_free(&t);
  }
  nb_flow_free(&flow);
  nb_pages_free(&pages);
  nb_doc_free(doc);
  return n;
}

/* In the English pass of a bilingual edition, text without English is not set again. */
static void test_bilingual_passes(void) {
  char p[16][64];
  size_t n = paragraphs("  - p: 只有中文\n  - p: {zh: 中文, en: English}\n"
                        "  - list: [甲, {zh: 乙, en: B}]\n",
                        p, 16);
  /* title b, 只有中文, 中文, English, ● 甲, ● 乙, ● B */
  CHECK_INT(n, 7);
  if (n == 7) {
    CHECK_STR(p[1], "只有中文");
    CHECK_STR(p[2], "中文");
    CHECK_STR(p[3], "English");
    CHECK(strstr(p[6], "B") && !strstr(p[6], "甲"));
  }
}

/* A paragraph's own leading indent (full-width or ASCII spaces) goes: the layout indents. */
static void test_pasted_indent(void) {
  char p[4][64];
  size_t n =
      paragraphs("  - p: \"\u3000\u3000根据\"\n  - p: {lead: \"  一是\", text: \"  x\"}\n", p, 4);
  CHECK_INT(n, 3);
  if (n == 3) {
    CHECK_STR(p[1], "根据");
    CHECK_STR(p[2], "一是  x"); /* only the paragraph's start */
  }
}

/* A heading written with its own number while numbering is automatic is warned about. */
static void test_own_numbers(void) {
  static const struct {
    const char *body;
    int warns;
  } cases[] = {{"  - h1: 一、总体情况\n", 1},
               {"  - h2: （十二）情况\n", 1},
               {"  - h3: 1.聚焦\n", 1},
               {"  - h3: 3、聚焦\n", 1},
               {"  - h3: 2019年度情况\n", 0},
               {"  - h3: 2.5倍增长\n", 0},
               {"  - h1: {text: 一、总体, number: none}\n", 0},
               {"  - h1: 总体情况\n", 0}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int before = diags.warnings;
    size_t n;
    char **t = titles(cases[i].body, NB_LANG_ZH, 1, &n);
    free_titles(t, n);
    CHECK_INT(diags.warnings - before, cases[i].warns);
  }
}

int main(void) {
  nb_arena *a = nb_arena_new();
  nb_style *style = nb_style_load(a, "gbt9704", &diags);
  CHECK(style != NULL);
  if (!style) TEST_MAIN_END();
  tc = (nb_textctx){.db = nb_fontdb_new(), .style = style, .d = &diags};
  test_many_headings();
  test_restarted();
  test_bilingual_passes();
  test_own_numbers();
  test_pasted_indent();
  if (diags.errors) nb_diags_print(&diags, stderr);
  CHECK_INT(diags.errors, 0);
  nb_fontdb_free(tc.db);
  nb_diags_free(&diags);
  nb_arena_free(a);
  TEST_MAIN_END();
}
