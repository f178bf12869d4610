/* Inline markup: spans are rendered as a small HTML-like string to compare whole results. */
#include <stdlib.h>
#include <time.h>

#include "content/model.h"
#include "harness.h"

static nb_diags diags;

/* <b>…</b> for bold, <a href=URI>…</a> for links, plain text as is. */
static char *render(const char *s) {
  static char out[4096];
  nb_arena *a = nb_arena_new();
  nb_spans sp = nb_inline_parse(a, s, (nb_pos){"t.yaml", 3, 7}, &diags);
  nb_buf b = {0};
  nb_buf_add(&b, "", 0);
  for (size_t i = 0; i < sp.n; i++) {
    const nb_span *x = &sp.v[i];
    if (strlen(x->text) != x->len) nb_buf_adds(&b, "[BAD LEN]");
    if (x->link) nb_buf_printf(&b, "<a href=%s>", x->link);
    if (x->bold) nb_buf_adds(&b, "<b>");
    nb_buf_adds(&b, x->text);
    if (x->bold) nb_buf_adds(&b, "</b>");
    if (x->link) nb_buf_adds(&b, "</a>");
  }
  snprintf(out, sizeof out, "%s", b.s);
  nb_buf_free(&b);
  nb_arena_free(a);
  return out;
}

/* Renders and checks that exactly `warnings` warnings were reported. */
#define CHECK_RENDER(src, want, nwarn)                                                             \
  do {                                                                                             \
    int w0_ = diags.warnings;                                                                      \
    CHECK_STR(render(src), want);                                                                  \
    CHECK_INT(diags.warnings - w0_, nwarn);                                                        \
  } while (0)

static void test_plain_and_bold(void) {
  CHECK_RENDER("", "", 0);
  CHECK_RENDER("普通文本，没有标记。", "普通文本，没有标记。", 0);
  CHECK_RENDER("一是**人大建议**办理情况", "一是<b>人大建议</b>办理情况", 0);
  CHECK_RENDER("**a** and **b**", "<b>a</b> and <b>b</b>", 0);
  CHECK_RENDER("**未闭合", "**未闭合", 1);
  CHECK_RENDER("**a** **b", "<b>a</b> **b", 1);
  CHECK_RENDER("3 * 4 = 12", "3 * 4 = 12", 0);
}

static void test_escapes(void) {
  CHECK_RENDER("\\*\\*不是粗体\\*\\*", "**不是粗体**", 0);
  CHECK_RENDER("\\[a](b)", "[a](b)", 0);
  CHECK_RENDER("a\\\\b", "a\\b", 0);
  CHECK_RENDER("C:\\Users\\图1.jpg", "C:\\Users\\图1.jpg", 0); /* not punctuation: kept */
  CHECK_RENDER("end\\", "end\\", 0);
}

static void test_bare_urls(void) {
  CHECK_RENDER("门户网站（www.jiyang.gov.cn）对本报告予以公布",
               "门户网站（<a href=http://www.jiyang.gov.cn>www.jiyang.gov.cn</a>）对本报告予以公布",
               0);
  CHECK_RENDER("网址:www.jiyang.gov.cn。",
               "网址:<a href=http://www.jiyang.gov.cn>www.jiyang.gov.cn</a>。", 0);
  CHECK_RENDER("访问www.jiyang.gov.cn查询",
               "访问<a href=http://www.jiyang.gov.cn>www.jiyang.gov.cn</a>查询", 0);
  CHECK_RENDER("see https://example.org/a?b=1#c.",
               "see <a href=https://example.org/a?b=1#c>https://example.org/a?b=1#c</a>.", 0);
  CHECK_RENDER("(see http://example.org/x).",
               "(see <a href=http://example.org/x>http://example.org/x</a>).", 0);
  CHECK_RENDER(
      "https://en.wikipedia.org/wiki/A_(b)",
      "<a href=https://en.wikipedia.org/wiki/A_(b)>https://en.wikipedia.org/wiki/A_(b)</a>", 0);
  CHECK_RENDER("http://localhost:8080/x, y",
               "<a href=http://localhost:8080/x>http://localhost:8080/x</a>, y", 0);
  CHECK_RENDER("www.jiyang.gov.cn,了解",
               "<a href=http://www.jiyang.gov.cn>www.jiyang.gov.cn</a>,了解", 0);
  CHECK_RENDER("WWW.JIYANG.GOV.CN", "<a href=http://WWW.JIYANG.GOV.CN>WWW.JIYANG.GOV.CN</a>", 0);
  CHECK_RENDER("**www.jiyang.gov.cn**",
               "<a href=http://www.jiyang.gov.cn><b>www.jiyang.gov.cn</b></a>", 0);
  /* not links: no host, inside a word, no dot after www. */
  CHECK_RENDER("http:// x", "http:// x", 0);
  CHECK_RENDER("x.www.a.cn", "x.www.a.cn", 0);
  CHECK_RENDER("2019www.a.cn", "2019www.a.cn", 0);
  CHECK_RENDER("www.cn", "www.cn", 0);
  CHECK_RENDER("the www. prefix", "the www. prefix", 0);
}

static void test_bare_emails(void) {
  CHECK_RENDER(
      "电子邮箱:jyqzfbgsxxk@jn.shandong.cn)。",
      "电子邮箱:<a href=mailto:jyqzfbgsxxk@jn.shandong.cn>jyqzfbgsxxk@jn.shandong.cn</a>)。", 0);
  CHECK_RENDER("邮箱jyqzfbgsxxk@jn.shandong.cn，电话",
               "邮箱<a href=mailto:jyqzfbgsxxk@jn.shandong.cn>jyqzfbgsxxk@jn.shandong.cn</a>，电话",
               0);
  CHECK_RENDER("write to a.b+c@x-y.gov.cn.",
               "write to <a href=mailto:a.b+c@x-y.gov.cn>a.b+c@x-y.gov.cn</a>.", 0);
  CHECK_RENDER("a@b", "a@b", 0);
  CHECK_RENDER("a@b.c1", "a@b.c1", 0);
  CHECK_RENDER("@x.cn", "@x.cn", 0);
  CHECK_RENDER("电话:0531-84232793", "电话:0531-84232793", 0);
}

static void test_explicit_links(void) {
  CHECK_RENDER("[门户网站](www.jiyang.gov.cn)", "<a href=http://www.jiyang.gov.cn>门户网站</a>", 0);
  CHECK_RENDER("[门户网站](https://www.jiyang.gov.cn/x)",
               "<a href=https://www.jiyang.gov.cn/x>门户网站</a>", 0);
  CHECK_RENDER("[写信](jyqzfbgsxxk@jn.shandong.cn)",
               "<a href=mailto:jyqzfbgsxxk@jn.shandong.cn>写信</a>", 0);
  CHECK_RENDER("[写信](mailto:a@b.cn)", "<a href=mailto:a@b.cn>写信</a>", 0);
  CHECK_RENDER("[页面](https://x.cn/路径 a)",
               "<a href=https://x.cn/%E8%B7%AF%E5%BE%84%20a>页面</a>", 0);
  CHECK_RENDER("[](https://x.cn)", "<a href=https://x.cn>https://x.cn</a>", 0);
  CHECK_RENDER("[**重点**说明](x.gov.cn/a)",
               "<a href=http://x.gov.cn/a><b>重点</b></a><a href=http://x.gov.cn/a>说明</a>", 0);
  CHECK_RENDER("**[粗体](https://x.cn)**", "<a href=https://x.cn><b>粗体</b></a>", 0);
  CHECK_RENDER("[a [b] c](https://x.cn/(1))", "<a href=https://x.cn/(1)>a [b] c</a>", 0);
  CHECK_RENDER("[www.a.cn](https://b.cn)", "<a href=https://b.cn>www.a.cn</a>", 0);
  /* brackets that are not links stay text; a link-shaped one without a URL warns */
  CHECK_RENDER("济政发[2019]12号", "济政发[2019]12号", 0);
  CHECK_RENDER("[注]", "[注]", 0);
  CHECK_RENDER("济政发[2019](12)号", "济政发[2019](12)号", 1);
  CHECK_RENDER("[a](https://x.cn", "[a](<a href=https://x.cn>https://x.cn</a>", 1);
  CHECK_RENDER("[a]()", "[a]()", 1);
}

static void test_warning_position_and_null_diags(void) {
  nb_diags d = {0};
  nb_arena *a = nb_arena_new();
  nb_spans sp = nb_inline_parse(a, "**x", (nb_pos){"f.yaml", 9, 4}, &d);
  CHECK_INT(d.warnings, 1);
  CHECK_INT(d.errors, 0);
  CHECK(d.n == 1 && d.v[0].pos.line == 9 && d.v[0].pos.col == 4);
  CHECK(d.n == 1 && strstr(d.v[0].msg, "unclosed '**'"));
  CHECK_INT(sp.n, 1);
  sp = nb_inline_parse(a, "**x", (nb_pos){0}, NULL);
  CHECK(sp.n == 1 && !strcmp(sp.v[0].text, "**x"));
  sp = nb_inline_parse(a, NULL, (nb_pos){0}, NULL);
  CHECK_INT(sp.n, 0);
  nb_diags_free(&d);
  nb_arena_free(a);
}

/* A bracket passed over while matching another is settled then: the results are those of
 * matching each on its own. */
static void test_nested_brackets(void) {
  CHECK_RENDER("[[a](https://x.cn)", "[<a href=https://x.cn>a</a>", 0);
  CHECK_RENDER("[x] [a](https://y.cn) [", "[x] <a href=https://y.cn>a</a> [", 0);
  CHECK_RENDER("[a](b [c](https://z.cn)", "[a](b <a href=https://z.cn>c</a>", 1);
  CHECK_RENDER("[[[b]]](c.cn) [d](e.cn) [[",
               "<a href=http://c.cn>[[b]]</a> <a href=http://e.cn>d</a> [[", 0);
  CHECK_RENDER("\\\\[a](https://x.cn)]", "\\<a href=https://x.cn>a</a>]", 0);
  CHECK_RENDER("见https://x.cn/a_(b))))。",
               "见<a href=https://x.cn/a_(b)>https://x.cn/a_(b)</a>)))。", 0);
}

/* Text full of [ or ( that close nowhere, or a URL followed by many ), takes time linear in
 * its length: each bracket was once matched by a scan to the end of the text. */
static double time_parse(const char *unit, int reps) {
  nb_buf b = {0};
  if (!strcmp(unit, ")")) nb_buf_adds(&b, "http://x.cn/a");
  for (int i = 0; i < reps; i++) nb_buf_adds(&b, unit);
  nb_arena *a = nb_arena_new();
  clock_t t0 = clock();
  nb_spans sp = nb_inline_parse(a, b.s, (nb_pos){0}, NULL);
  double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK(sp.n >= 1);
  nb_arena_free(a);
  nb_buf_free(&b);
  return dt;
}

static void test_linear_time(void) {
  const char *units[] = {"[a", "[a](b", "[[", ")"};
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    double t1 = time_parse(units[i], 4000), t16 = time_parse(units[i], 64000);
    if (!(t16 < 40 * t1 + 0.1)) fprintf(stderr, "slow: %s\n", units[i]);
    CHECK(t16 < 40 * t1 + 0.1); /* 16× the text: about 16× the time, never 256× */
  }
}

int main(void) {
  test_plain_and_bold();
  test_escapes();
  test_bare_urls();
  test_bare_emails();
  test_explicit_links();
  test_warning_position_and_null_diags();
  test_nested_brackets();
  test_linear_time();
  nb_diags_free(&diags);
  TEST_MAIN_END();
}
