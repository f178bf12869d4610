/* Data references in text ({{path}}, sum, diff, pct, yoy): values, rounding, errors and
 * their positions, through the content loader; and nb_source_pos on its own. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "content/dataref.h"
#include "harness.h"
#include "layout/statutory.h"

static const char *DATA = "data:\n"
                          "  t3:\n"
                          "    new_received: {natural_person: 62, total: 62}\n"
                          "    disclosed: {natural_person: 41, total: 41}\n"
                          "    partly: {natural_person: 2, total: 2}\n"
                          "    unable_not_held: {total: 11}\n"
                          "    unable_create: {total: 2}\n"
                          "  t2:\n"
                          "    art20_8:\n"
                          "      fees: {items_prev: 25, change: -2}\n"
                          "    art20_9:\n"
                          "      procurement: {projects: 2360, amount: 585313万元}\n";

static nb_diags d;

/* Loads a one-paragraph document whose paragraph line is `p` (a YAML value, at line 4). */
static nb_doc *load(const char *p) {
  nb_buf b = {0};
  nb_buf_printf(&b,
                "meta: {issuer: a, title: b, year: 2019, format: 2019}\nbody:\n  - h1: x\n"
                "  - p: %s\n%s",
                p, DATA);
  nb_diags_free(&d);
  memset(&d, 0, sizeof d);
  nb_doc *doc = nb_content_load_text("r.yaml", b.s, b.n, &d);
  nb_buf_free(&b);
  return doc;
}

static const char *para(const char *p) {
  static char out[1024];
  nb_doc *doc = load(p);
  if (!doc) return "(error)";
  snprintf(out, sizeof out, "%s", doc->blocks[1].text.zh.s ? doc->blocks[1].text.zh.s : "");
  nb_doc_free(doc);
  return out;
}

/* The first message of loading `p`, as "LINE:COL: message". */
static const char *error_of(const char *p) {
  static char out[1024];
  nb_doc *doc = load(p);
  nb_doc_free(doc);
  if (!d.n) return "(none)";
  snprintf(out, sizeof out, "%d:%d: %s", d.v[0].pos.line, d.v[0].pos.col, d.v[0].msg);
  return out;
}

static void test_values(void) {
  CHECK_STR(para("收到{{t3.new_received.total}}件"), "收到62件");
  CHECK_STR(para("\"{{ t3.new_received.total }}\""), "62");
  CHECK_STR(para("\"{{t2.art20_9.procurement.amount}}\""), "585313万元"); /* as written */
  CHECK_STR(para("\"{{t2.art20_8.fees.change}}\""), "-2");
  CHECK_STR(para("\"{{sum t3.disclosed.total t3.partly.total}}\""), "43");
  CHECK_STR(para("\"{{sum t3.unable_not_held.total t3.unable_create.total 0.5}}\""), "13.5");
  CHECK_STR(para("\"{{diff t3.new_received.total t3.disclosed.total}}\""), "21");
  /* the seed's shares: 41 66%, 2 3%, 3 5%, 13 21% of 62 — half up */
  CHECK_STR(para("\"{{pct t3.disclosed.total t3.new_received.total}}\""), "66%");
  CHECK_STR(para("\"{{pct t3.partly.total t3.new_received.total}}\""), "3%");
  CHECK_STR(para("\"{{pct 3 t3.new_received.total}}\""), "5%");
  CHECK_STR(para("\"{{pct 13 62}}\""), "21%");
  CHECK_STR(para("\"{{pct 1 8}}\""), "13%"); /* 12.5 rounds up */
  CHECK_STR(para("\"{{pct 1 8 1}}\""), "12.5%");
  CHECK_STR(para("\"{{pct 2 62 1}}\""), "3.2%");
  CHECK_STR(para("\"{{pct 1 3 2}}\""), "33.33%");
  CHECK_STR(para("\"{{yoy t3.new_received.total 50}}\""), "24%");
  CHECK_STR(para("\"{{yoy 45 50}}\""), "-10%");
  CHECK_STR(para("\"{{yoy 50 50}}\""), "0%");
  CHECK_STR(para("\"a \\\\{{b}} c\""), "a \\{{b}} c"); /* \{{ is text */
  CHECK_STR(para("没有引用"), "没有引用");
  /* a sum of many values adds them all (only the first 15 were added) */
  CHECK_STR(para("\"{{sum 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1}}\""), "20");
  CHECK_STR(
      para("\"{{sum t3.disclosed.total 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 t3.partly.total}}\""),
      "61");
}

static void test_errors(void) {
  /* the paragraph's value starts at line 4, column 8 (text starting with { must be quoted:
   * plain YAML would read a mapping) */
  CHECK_STR(error_of("收到{{t3.new_recieved.total}}件"),
            "4:10: {{t3.new_recieved.total}}: unknown data path 't3.new_recieved.total'; did you "
            "mean 't3.new_received.total'?");
  CHECK_STR(error_of("ab{{t3.carried_over.total}}"),
            "4:10: {{t3.carried_over.total}}: t3.carried_over.total is blank in the data "
            "section; a blank cannot be quoted (give the value in data, 0 if it is zero)");
  CHECK_STR(error_of("x{{sum t2.art20_9.procurement.amount 1}}"),
            "4:9: {{sum t2.art20_9.procurement.amount 1}}: t2.art20_9.procurement.amount is "
            "'585313万元', not a number");
  CHECK_STR(error_of("x{{pct 1 t3.carried_forward.nope}}"),
            "4:9: {{pct 1 t3.carried_forward.nope}}: unknown data path 't3.carried_forward.nope'; "
            "did you mean 't3.carried_forward.total'?");
  CHECK_STR(error_of("x{{pct 1 0}}"), "4:9: {{pct 1 0}}: 0 is 0; cannot compute a share of it");
  CHECK_STR(error_of("x{{yoy 1}}"), "4:9: {{yoy 1}}: yoy takes two values (and optional decimals)");
  CHECK_STR(error_of("x{{pct 1 2 7}}"),
            "4:9: {{pct 1 2 7}}: the decimals of pct must be 0 to 3, found '7'");
  CHECK_STR(error_of("x{{avg 1 2}}"),
            "4:9: {{avg 1 2}}: expected a data path or one of sum, diff, pct, yoy, found 'avg'");
  CHECK_STR(error_of("a {{t3.x"),
            "4:10: '{{' without a closing '}}' (write \\{{ for the braces themselves)");
  /* second reference of a line; a quoted scalar (the quote is column 8) */
  CHECK_STR(error_of("\"{{t3.disclosed.total}}与{{t3.nope.total}}\""),
            "4:32: {{t3.nope.total}}: unknown data path 't3.nope.total' (paths are like "
            "t3.new_received.total; see docs/content.md)");
  /* a reference in meta.issuer is reported once, not again for each signature that
   * takes the issuer from meta; the signature shows the expansion */
  const char *sig = "meta: {issuer: \"{{t3.nope.total}}\", title: b, year: 2019, format: 2019}\n"
                    "body:\n  - signature\n  - signature\n";
  nb_diags_free(&d);
  memset(&d, 0, sizeof d);
  CHECK(nb_content_load_text("r.yaml", sig, strlen(sig), &d) == NULL);
  CHECK_INT(d.errors, 1);
  nb_buf sb = {0};
  nb_buf_printf(&sb,
                "meta: {issuer: \"{{t3.disclosed.total}}区\", title: b, year: 2019, "
                "format: 2019}\nbody:\n  - signature\n%s",
                DATA);
  nb_diags_free(&d);
  memset(&d, 0, sizeof d);
  nb_doc *sd = nb_content_load_text("r.yaml", sb.s, sb.n, &d);
  CHECK(sd && !strcmp(sd->blocks[0].issuer.zh.s, "41区") && !strcmp(sd->meta.issuer.zh.s, "41区"));
  nb_doc_free(sd);
  nb_buf_free(&sb);
  /* every error is reported, and the document is rejected */
  nb_doc *doc = load("x{{a.b}} {{c.d}}");
  CHECK(doc == NULL);
  CHECK_INT(d.errors, 2);
  nb_doc_free(doc);
}

static void test_source_pos(void) {
  const char *src = "a: 一二\n  b: \"x{{y}}\"\nc: >-\n  折行\n  文字{{z}}\n";
  nb_pos p = nb_source_pos(src, strlen(src), (nb_pos){"f", 2, 6}, "x{{y}}", 1, 5);
  CHECK_INT(p.line, 2);
  CHECK_INT(p.col, 8);
  /* a folded scalar: the value has a space where the source breaks the line */
  p = nb_source_pos(src, strlen(src), (nb_pos){"f", 3, 4}, "折行 文字{{z}}", 9, 5);
  CHECK_INT(p.line, 5);
  CHECK_INT(p.col, 5);
  /* not found (or no source): the scalar's own position */
  p = nb_source_pos(src, strlen(src), (nb_pos){"f", 2, 6}, "x{{q}}", 1, 5);
  CHECK_INT(p.line, 2);
  CHECK_INT(p.col, 6);
  p = nb_source_pos(NULL, 0, (nb_pos){"f", 2, 6}, "x{{y}}", 1, 5);
  CHECK_INT(p.col, 6);
}

/* A report with n paragraphs, each quoting the data and giving figures the prose check
 * reads: loaded and checked in time linear in n (the source position of every reference
 * and figure was once worked out from the file's start, found or not). */
static double time_refs(int n) {
  nb_buf b = {0};
  nb_buf_adds(&b, "meta: {issuer: a, title: b, year: 2019, format: 2019}\nbody:\n");
  for (int i = 0; i < n; i++)
    nb_buf_printf(
        &b, "  - p: \"第%d段：收到信息公开申请{{t3.new_received.total}}件，予以公开41件。\"\n", i);
  nb_buf_adds(&b, DATA);
  nb_diags dd = {0};
  clock_t t0 = clock();
  nb_doc *doc = nb_content_load_text("r.yaml", b.s, b.n, &dd);
  if (doc) nb_statutory_check(doc, 0, &dd);
  double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK(doc != NULL);
  char last[128];
  snprintf(last, sizeof last, "第%d段：收到信息公开申请62件，予以公开41件。", n - 1);
  CHECK_STR(doc && doc->nblocks == (size_t)n ? doc->blocks[n - 1].text.zh.s : NULL, last);
  nb_doc_free(doc);
  nb_diags_free(&dd);
  nb_buf_free(&b);
  return dt;
}

static void test_linear_time(void) {
  time_refs(10);
  double t1 = time_refs(500), t16 = time_refs(8000);
  CHECK(t16 < 40 * t1 + 0.1); /* 16× the text: about 16× the time, never 256× */
}

int main(void) {
  test_values();
  test_errors();
  test_source_pos();
  test_linear_time();
  nb_diags_free(&d);
  TEST_MAIN_END();
}
