/* Paragraph layout with the default layout's fonts: the grid, justification, the line
 * start/end prohibitions, punctuation compression, numbers kept whole. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "text/breaks.h"
#include "text/para.h"

static nb_textctx tc;
static nb_style *style;

static nb_para *lay(const char *text, double width, double indent, nb_align align) {
  static nb_textseg seg;
  seg = (nb_textseg){text, strlen(text), &style->roles[NB_ROLE_BODY], 0, NULL, {"t", 1, 1}};
  nb_parastyle ps = {.width = width, .indent = indent, .align = align};
  return nb_para_layout(&tc, &seg, 1, &ps);
}

static uint32_t first_char(const nb_para *p, size_t line) {
  const nb_pline *l = &p->lines[line];
  for (size_t g = l->g0; g < l->g1; g++)
    if (p->glyphs[g].tn) return p->text[p->glyphs[g].t0];
  return 0;
}

static uint32_t last_char(const nb_para *p, size_t line) {
  const nb_pline *l = &p->lines[line];
  for (size_t g = l->g1; g > l->g0; g--)
    if (p->glyphs[g - 1].tn) return p->text[p->glyphs[g - 1].t0 + p->glyphs[g - 1].tn - 1];
  return 0;
}

static size_t count_chars(const nb_para *p, size_t line) {
  size_t n = 0;
  for (size_t g = p->lines[line].g0; g < p->lines[line].g1; g++) n += p->glyphs[g].tn;
  return n;
}

int main(void) {
  nb_arena *a = nb_arena_new();
  nb_diags d = {0};
  style = nb_style_load(a, "gbt9704", &d);
  CHECK(style != NULL);
  if (!style) TEST_MAIN_END();
  tc = (nb_textctx){.db = nb_fontdb_new(), .style = style, .d = &d};
  double W = nb_style_text_width(style), pitch = nb_style_char_pitch(style);

  /* 56 Hanzi with a 2-character indent: 26 + 28 + 2 on the 28-character grid */
  const char *han = "政府信息公开工作年度报告政府信息公开工作年度报告政府信息公开工作年度报告"
                    "政府信息公开工作年度报告政府信息公开工作";
  nb_para *p = lay(han, W, 2 * pitch, NB_ALIGN_JUSTIFY);
  CHECK_INT(p->nlines, 3);
  CHECK_INT(count_chars(p, 0), 26);
  CHECK_INT(count_chars(p, 1), 28);
  CHECK(fabs(p->lines[1].x1 - W) < 0.01);         /* a full line fills the measure */
  CHECK(fabs(p->lines[0].ratio) < 1e-6);          /* and needs no adjustment */
  CHECK(fabs(p->lines[2].x1 - 2 * pitch) < 0.01); /* the last line is not stretched */
  nb_para_free(p);

  /* kinsoku: a mark that would start a line moves a character down with it */
  const char *k = "政府信息公开工作年度报告政府信息公开工作年度报告政府信，息公开工作";
  p = lay(k, W, 0, NB_ALIGN_JUSTIFY);
  CHECK(p->nlines == 2);
  for (size_t l = 0; l < p->nlines; l++) {
    CHECK(!nb_no_line_start(first_char(p, l)));
    CHECK(!nb_no_line_end(last_char(p, l)));
  }
  CHECK(fabs(p->lines[0].x1 - W) < 0.05); /* still justified */
  nb_para_free(p);

  /* opening marks never end a line; numbers never split */
  const char *q = "政府信息公开工作年度报告政府信息公开工作年度报告政府“信息公开”工作；"
                  "全年发布197条解读信息，电话0531-84232793。";
  p = lay(q, W, 0, NB_ALIGN_JUSTIFY);
  for (size_t l = 0; l < p->nlines; l++) {
    CHECK(!nb_no_line_start(first_char(p, l)));
    CHECK(!nb_no_line_end(last_char(p, l)));
    uint32_t f = first_char(p, l), e = last_char(p, l);
    CHECK(!(f >= '0' && f <= '9' && l > 0 && last_char(p, l - 1) >= '0' &&
            last_char(p, l - 1) <= '9'));
    (void)e;
  }
  nb_para_free(p);

  /* punctuation compression: 。” is 1.5 em, not 2 */
  p = lay("报告。”报告", 10 * W, 0, NB_ALIGN_LEFT);
  CHECK_INT(p->nlines, 1);
  {
    const nb_pline *l = &p->lines[0];
    double x_quote = 0, x_after = 0;
    for (size_t g = l->g0; g < l->g1; g++) {
      if (p->text[p->glyphs[g].t0] == 0x201D) x_quote = p->glyphs[g].x;
      if (g > l->g0 && p->text[p->glyphs[g].t0] == 0x62A5 && x_quote > 0) x_after = p->glyphs[g].x;
    }
    double em = 16;
    CHECK(x_quote > 0 && fabs(x_quote - (2 * pitch + 0.5 * em + (pitch - em))) < 0.3);
    CHECK(fabs(x_after - x_quote - pitch) < 0.3);
  }
  nb_para_free(p);

  /* a character no font has is an error naming it, not a blank box */
  nb_diags before = d;
  (void)before;
  int errs = d.errors;
  p = lay("公开\xF0\x9F\x80\x80", W, 0, NB_ALIGN_JUSTIFY); /* U+1F000 MAHJONG TILE EAST WIND */
  CHECK_INT(d.errors, errs + 1);
  CHECK(d.n > 0 && strstr(d.v[d.n - 1].msg, "U+1F000"));
  nb_para_free(p);

  /* a role whose fonts are all absent falls back, with one warning for the list */
  {
    nb_role r = style->roles[NB_ROLE_BODY];
    r.cjk.n = 1;
    r.cjk.names[0] = "NoSuchFontAnywhere";
    nb_textseg s2 = {"公开公开", 12, &r, 0, NULL, {"t", 3, 4}};
    nb_parastyle ps2 = {.width = W, .align = NB_ALIGN_LEFT};
    int warns = d.warnings;
    nb_para *fq = nb_para_layout(&tc, &s2, 1, &ps2);
    CHECK_INT(d.warnings, warns + 1);
    CHECK(fq->nglyphs == 4 && fq->glyphs[0].font != NULL);
    nb_para_free(fq);
    fq = nb_para_layout(&tc, &s2, 1, &ps2); /* said once per list */
    CHECK_INT(d.warnings, warns + 1);
    nb_para_free(fq);
  }

  /* centred text is centred */
  p = lay("报告", W, 0, NB_ALIGN_CENTER);
  CHECK(fabs((p->lines[0].x0 + p->lines[0].x1) / 2 - W / 2) < 0.5);
  nb_para_free(p);

  /* measuring for table columns: the natural width keeps edge marks whole; the widest
   * unbreakable piece trims them in running text, not in cells (their em box stays in) */
  {
    nb_textseg sg = {
        "三、本年度办理结果", strlen("三、本年度办理结果"), &style->roles[NB_ROLE_BODY], 0, NULL,
        {"t", 1, 1}};
    double mn, tot = nb_para_measure(&tc, &sg, 1, &mn);
    CHECK(fabs(tot - 9 * pitch) < 0.01 && fabs(mn - (2 * pitch - 8)) < 0.01);
    sg.role = &style->roles[NB_ROLE_TABLE];
    tot = nb_para_measure(&tc, &sg, 1, &mn);
    CHECK(fabs(tot - 9 * 12) < 0.01 && fabs(mn - 24) < 0.01);
    sg = (nb_textseg){"网站www.jiyang.gov.cn",
                      strlen("网站www.jiyang.gov.cn"),
                      &style->roles[NB_ROLE_BODY],
                      0,
                      NULL,
                      {"t", 1, 1}};
    double whole;
    nb_para_measure(&tc, &sg, 1, &mn);
    sg.text = "www.jiyang.";
    sg.len = strlen(sg.text);
    whole = nb_para_measure(&tc, &sg, 1, NULL);
    CHECK(fabs(mn - whole) < 0.01); /* an address breaks after its dots */
  }

  {
    /* a URL with a token longer than the line: broken inside the token as a last resort,
     * not run off the page (its letters are not a word that must stay whole) */
    nb_buf u = {0};
    nb_buf_adds(&u, "网址https://www.example.gov.cn/");
    for (int i = 0; i < 150; i++) nb_buf_addc(&u, (char)('a' + i % 26));
    nb_buf_adds(&u, ".html。");
    p = lay(u.s, W, 0, NB_ALIGN_JUSTIFY);
    CHECK(p->nlines >= 3);
    for (size_t l = 0; l < p->nlines; l++) CHECK(p->lines[l].x1 <= W + 0.01);
    size_t chars = 0;
    for (size_t l = 0; l < p->nlines; l++) chars += count_chars(p, l);
    CHECK_INT(chars, nb_utf8_count(u.s, u.n));
    nb_para_free(p);
    nb_buf_free(&u);
  }

  nb_fontdb_free(tc.db);
  nb_diags_free(&d);
  nb_arena_free(a);
  TEST_MAIN_END();
}
