/* Typographic rules of paragraph layout (docs/typography.md), with the default layout's
 * fonts: line-edge marks, adjacent-mark compression, ——/……, Latin and digits, URLs, the
 * paragraph-wide breaker (loose lines, the stretch cap, the last line), hanging punctuation,
 * and that layout time grows linearly with the text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "text/breaks.h"
#include "text/para.h"
#include "text/words.h"

static nb_textctx tc;
static nb_style *style;
static double W, pitch;

static nb_para *lay_role(const char *text, double width, double indent, nb_align align,
                         nb_role_id role) {
  static nb_textseg seg;
  seg = (nb_textseg){text, strlen(text), &style->roles[role], 0, NULL, {"t", 1, 1}};
  nb_parastyle ps = {.width = width, .indent = indent, .align = align};
  return nb_para_layout(&tc, &seg, 1, &ps);
}
static nb_para *lay(const char *text, double width, double indent, nb_align align) {
  return lay_role(text, width, indent, align, NB_ROLE_BODY);
}
/* Body paragraph on the full measure with the 2-character indent, justified. */
static nb_para *body(const char *text) { return lay(text, W, 2 * pitch, NB_ALIGN_JUSTIFY); }

/* The line's text, UTF-8. */
static const char *line_text(const nb_para *p, size_t l) {
  static char buf[4096];
  size_t k = 0;
  for (size_t g = p->lines[l].g0; g < p->lines[l].g1; g++)
    for (size_t i = 0; i < p->glyphs[g].tn && k + 5 < sizeof buf; i++)
      k += (size_t)nb_utf8_encode(p->text[p->glyphs[g].t0 + i], buf + k);
  buf[k] = 0;
  return buf;
}

/* x of the glyph standing for the n-th (0-based) occurrence of character c. */
static double gx(const nb_para *p, uint32_t c, int n) {
  for (size_t g = 0; g < p->nglyphs; g++)
    if (p->glyphs[g].tn && p->text[p->glyphs[g].t0] == c && n-- == 0) return p->glyphs[g].x;
  return NAN;
}
static const nb_pglyph *glyph_of(const nb_para *p, uint32_t c) {
  for (size_t g = 0; g < p->nglyphs; g++)
    if (p->glyphs[g].tn && p->text[p->glyphs[g].t0] == c) return &p->glyphs[g];
  return NULL;
}
static size_t line_of(const nb_para *p, uint32_t c) {
  for (size_t l = 0; l < p->nlines; l++)
    for (size_t g = p->lines[l].g0; g < p->lines[l].g1; g++)
      if (p->glyphs[g].tn && p->text[p->glyphs[g].t0] == c) return l;
  return (size_t)-1;
}
static double max_x(const nb_para *p) {
  double m = -1e9;
  for (size_t g = 0; g < p->nglyphs; g++) m = fmax(m, p->glyphs[g].x);
  return m;
}
static uint32_t first_cp(const nb_para *p, size_t l) {
  const nb_pline *ln = &p->lines[l];
  return ln->g1 > ln->g0 ? p->text[p->glyphs[ln->g0].t0] : 0;
}

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static const char *H26 = "政府信息公开工作年度报告政府信息公开工作年度报告政府"; /* 26 Hanzi */

static void test_line_end_marks(void) {
  /* 25 Hanzi and ，fill the first line exactly: the mark stays full width, nothing moves */
  char t[512];
  snprintf(t, sizeof t, "%s，%s", "政府信息公开工作年度报告政府信息公开工作年度报告政", H26);
  nb_para *p = body(t);
  CHECK_STR(line_text(p, 0), "政府信息公开工作年度报告政府信息公开工作年度报告政，");
  CHECK(NEAR(p->lines[0].ratio, 0, 1e-6));
  CHECK(NEAR(gx(p, 0xFF0C, 0), 2 * pitch + 25 * pitch, 0.01));
  CHECK(NEAR(p->lines[0].x1, W, 0.01)); /* its full em box ends at the margin */
  nb_para_free(p);

  /* a line that fits only with its end mark at half width: 23 Hanzi 。” Hanzi ， (26.5) */
  snprintf(t, sizeof t, "%s。”报，%s", "政府信息公开工作年度报告政府信息公开工作年度报", H26);
  p = body(t);
  CHECK_STR(line_text(p, 0), "政府信息公开工作年度报告政府信息公开工作年度报。”报，");
  CHECK(NEAR(p->lines[0].x1, W, 0.05));
  CHECK(NEAR(W - gx(p, 0xFF0C, 0), pitch - 8, 0.3)); /* half its blank is gone */
  CHECK(fabs(p->lines[0].ratio) < 0.1);
  nb_para_free(p);

  /* a centred line keeps its end mark whole: "三、" is two characters wide, centred as
   * such (a table label cell) */
  p = lay_role("三、", 4 * 12, 0, NB_ALIGN_CENTER, NB_ROLE_TABLE);
  CHECK(NEAR(p->lines[0].x1 - p->lines[0].x0, 24, 0.01));
  CHECK(NEAR(p->lines[0].x0, 12, 0.01));
  nb_para_free(p);
  p = lay_role("三、本年度办理结果", 2 * 12 + 0.5, 0, NB_ALIGN_CENTER, NB_ROLE_TABLE);
  CHECK_STR(line_text(p, 0), "三、");
  for (size_t l = 0; l + 1 < p->nlines; l++) /* nearly full lines fill the cell */
    CHECK(NEAR(p->lines[l].x0, 0, 0.01) && NEAR(p->lines[l].x1, 24.5, 0.01));
  nb_para_free(p);
  /* a centred cell with a Latin "1." keeps straight sides; its short last line is centred */
  p = lay_role("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 8 * 12 + 0.2, 0,
               NB_ALIGN_CENTER, NB_ROLE_TABLE);
  CHECK(p->nlines == 4);
  for (size_t l = 0; l + 1 < p->nlines; l++)
    CHECK(NEAR(p->lines[l].x0, 0, 0.01) && NEAR(p->lines[l].x1, 96.2, 0.01));
  nb_para_free(p);
  p = lay_role("1.申请人无正当理由逾期不补正、行政机关", 8 * 12 + 0.2, 0, NB_ALIGN_CENTER,
               NB_ROLE_TABLE);
  CHECK(p->nlines == 3 && NEAR(p->lines[2].x0 + p->lines[2].x1, 96.2, 0.01));
  nb_para_free(p);
}

static void test_adjacent_marks(void) {
  nb_para *p = lay("报告）（报告", 10 * W, 0, NB_ALIGN_LEFT);
  CHECK(NEAR(gx(p, 0xFF08, 0) - gx(p, 0xFF09, 0), pitch - 8, 0.01)); /* ）（ = 1.5 em */
  nb_para_free(p);
  p = lay("报告（《报告》）报告", 10 * W, 0, NB_ALIGN_LEFT);
  CHECK(NEAR(gx(p, 0x300A, 0) - gx(p, 0xFF08, 0), pitch - 8, 0.01)); /* （《: 《 pulled in */
  CHECK(NEAR(gx(p, 0x62A5, 1) - gx(p, 0x300A, 0), pitch, 0.01));     /* 《 tight to its text */
  CHECK(NEAR(gx(p, 0xFF09, 0) - gx(p, 0x300B, 0), pitch - 8, 0.01)); /* 》） */
  nb_para_free(p);
  p = lay("报告，“报告”。报告", 10 * W, 0, NB_ALIGN_LEFT);
  CHECK(NEAR(gx(p, 0x201C, 0) - gx(p, 0xFF0C, 0), pitch - 8, 0.01)); /* ，“ */
  CHECK(NEAR(gx(p, 0x3002, 0) - gx(p, 0x201D, 0), pitch - 8, 0.01)); /* ”。 */
  nb_para_free(p);
  /* three closing marks: 。”） is 0.5 + 0.5 + 1 em */
  p = lay("报告。”）报告", 10 * W, 0, NB_ALIGN_LEFT);
  CHECK(NEAR(gx(p, 0x62A5, 1) - gx(p, 0x3002, 0), 3 * pitch - 16, 0.01));
  nb_para_free(p);
}

/* The layout's punctuation style. Distances between glyph origins: a mark set half width
 * takes 8 pt (half of 16) off the pitch after a closing or stop mark, and before an opening
 * mark, whose glyph moves left onto its ink. */
static void test_punct_styles(void) {
  const char *t = "报告，报告。报告（报告）报告！报告“报告”报告。”报告";
  for (int st = NB_PUNCT_QUANJIAO; st <= NB_PUNCT_BANJIAO; st++) {
    style->punct_style = st;
    nb_para *p = lay(t, 10 * W, 0, NB_ALIGN_LEFT);
    CHECK_INT(p->nlines, 1);
    double half = st == NB_PUNCT_QUANJIAO ? 0 : 8, stop = st == NB_PUNCT_BANJIAO ? 8 : 0;
    CHECK(NEAR(gx(p, 0x62A5, 1) - gx(p, 0xFF0C, 0), pitch - half, 0.01)); /* ，报 */
    CHECK(NEAR(gx(p, 0x62A5, 2) - gx(p, 0x3002, 0), pitch - stop, 0.01)); /* 。报 */
    CHECK(NEAR(gx(p, 0xFF08, 0) - gx(p, 0x544A, 2), pitch - half, 0.01)); /* 告（ */
    CHECK(NEAR(gx(p, 0x62A5, 3) - gx(p, 0xFF08, 0), pitch, 0.01));        /* （报: tight */
    CHECK(NEAR(gx(p, 0xFF09, 0) - gx(p, 0x544A, 3), pitch, 0.01));        /* 告） */
    CHECK(NEAR(gx(p, 0x62A5, 4) - gx(p, 0xFF09, 0), pitch - half, 0.01)); /* ）报 */
    CHECK(NEAR(gx(p, 0x62A5, 5) - gx(p, 0xFF01, 0), pitch - stop, 0.01)); /* ！报 */
    CHECK(NEAR(gx(p, 0x201C, 0) - gx(p, 0x544A, 5), pitch - half, 0.01)); /* 告“ */
    CHECK(NEAR(gx(p, 0x62A5, 7) - gx(p, 0x201D, 0), pitch - half, 0.01)); /* ”报 */
    /* 。” : adjacent-mark compression in quanjiao (1.5 em), none needed once halved */
    double pair = gx(p, 0x62A5, 8) - gx(p, 0x3002, 1);
    CHECK(NEAR(pair,
               st == NB_PUNCT_QUANJIAO  ? 2 * pitch - 8
               : st == NB_PUNCT_KAIMING ? 2 * pitch - 8
                                        : 2 * pitch - 16,
               0.01));
    nb_para_free(p);
    /* a half-width mark stays half at a line end: nothing is given back there */
    p = lay("报告，", 10 * W, 0, NB_ALIGN_LEFT);
    const nb_pglyph *comma = glyph_of(p, 0xFF0C);
    CHECK(comma && NEAR(comma->x, 2 * pitch, 0.01));
    nb_para_free(p);
  }
  style->punct_style = NB_PUNCT_QUANJIAO;
}

/* A title that wraps by itself: balanced lines (GB/T 9704 7.3.3: symmetric), broken between
 * words; left-aligned ragged text still fills its first line; table cells keep filling. */
static void test_balanced_titles(void) {
  static const char *titles[] = {
      "示范市新区管理委员会2023年度政府信息公开工作年度报告",
      "济南市济阳区人民政府关于做好政策文件解读工作的通知",
      "因政府信息公开工作被申请行政复议、提起行政诉讼情况的说明及相关统计数据",
  };
  for (size_t t = 0; t < sizeof titles / sizeof *titles; t++) {
    nb_para *p = lay_role(titles[t], W, 0, NB_ALIGN_CENTER, NB_ROLE_TITLE);
    CHECK(p->nlines >= 2);
    double lo = 1e9, hi = 0, em = style->roles[NB_ROLE_TITLE].size;
    for (size_t l = 0; l < p->nlines; l++) {
      double w = p->lines[l].x1 - p->lines[l].x0;
      lo = NB_MIN(lo, w), hi = NB_MAX(hi, w);
    }
    if (hi - lo > 3 * em)
      fprintf(stderr, "unbalanced: %s / %s\n", line_text(p, 0), line_text(p, 1));
    CHECK(hi - lo <= 3 * em); /* not 19 characters and 1 */
    unsigned char *starts = malloc(p->ntext + 1);
    nb_word_starts(p->text, p->ntext, starts);
    for (size_t l = 1; l < p->nlines; l++) {
      const nb_pglyph *g = &p->glyphs[p->lines[l].g0];
      if (!starts[g->t0])
        fprintf(stderr, "inside a word: %s|%s\n", line_text(p, l - 1), line_text(p, l));
      CHECK(starts[g->t0]);
    }
    free(starts);
    nb_para_free(p);
  }
  nb_para *p = lay_role(titles[0], W, 0, NB_ALIGN_CENTER, NB_ROLE_TITLE);
  CHECK_STR(line_text(p, 0), "示范市新区管理委员会2023年度");
  CHECK_STR(line_text(p, 1), "政府信息公开工作年度报告");
  nb_para_free(p);
  /* left-aligned: the first line is as full as the rules allow */
  p = lay_role(titles[0], W, 0, NB_ALIGN_LEFT, NB_ROLE_TITLE);
  CHECK(p->nlines == 2 &&
        p->lines[0].x1 - p->lines[0].x0 > W - 3 * style->roles[NB_ROLE_TITLE].size);
  nb_para_free(p);
}

static void test_line_start_brackets(void) {
  /* after the 2-character indent an opening bracket keeps its full width (the grid) */
  char t[512];
  snprintf(t, sizeof t, "（一）%s%s", H26, H26);
  nb_para *p = body(t);
  CHECK(NEAR(gx(p, 0xFF08, 0), 2 * pitch, 0.01));
  CHECK(NEAR(p->lines[0].x0, 2 * pitch, 0.01));
  nb_para_free(p);
}

static void test_dashes(void) {
  /* —— is solid (no added space inside) in a stretched line and never starts a line */
  nb_para *p = body("政府——信息公开工作年度报告政府信息公开工作年度报"
                    "12345678901234567890123456789012345678");
  CHECK(p->nlines == 2 && p->lines[0].ratio > 0.05);
  CHECK(NEAR(gx(p, 0x2014, 1) - gx(p, 0x2014, 0), pitch, 0.01));
  CHECK(gx(p, 0x4FE1, 0) - gx(p, 0x2014, 1) > pitch + 0.1); /* the gap after it stretches */
  nb_para_free(p);
  /* 黑体 (Noto Sans CJK) sets —— as one 2-em ligature: it still takes two grid cells */
  p = lay_role("政府——信息", W, 0, NB_ALIGN_LEFT, NB_ROLE_H1);
  CHECK(NEAR(gx(p, 0x4FE1, 0) - gx(p, 0x5E9C, 0), 3 * pitch, 0.01));
  nb_para_free(p);
  char t[512];
  for (int k = 0; k < 2; k++) {
    snprintf(t, sizeof t, "%s%s%s", H26, k ? "……" : "——", H26);
    p = body(t);
    for (size_t l = 0; l < p->nlines; l++) CHECK(!nb_no_line_start(first_cp(p, l)));
    uint32_t d = k ? 0x2026 : 0x2014;
    size_t l0 = line_of(p, d);
    int n = 0;
    for (size_t g = p->lines[l0].g0; g < p->lines[l0].g1; g++)
      n += p->glyphs[g].tn && p->text[p->glyphs[g].t0] == d;
    CHECK_INT(n, 2); /* both halves on one line */
    nb_para_free(p);
  }
}

static void test_latin(void) {
  nb_para *p = lay("公开2019年（2019）", 10 * W, 0, NB_ALIGN_LEFT);
  const nb_pglyph *g = glyph_of(p, '2');
  CHECK(g && strstr(g->font->family, "Liberation") && NEAR(g->size, 16, 1e-6));
  CHECK(NEAR(gx(p, '2', 0) - gx(p, 0x5F00, 0), pitch, 0.01)); /* official style: no gap */
  nb_para_free(p);
  double keep = style->cjk_latin_space;
  style->cjk_latin_space = 0.25;
  p = lay("公开2019年（2019）", 10 * W, 0, NB_ALIGN_LEFT);
  CHECK(NEAR(gx(p, '2', 0) - gx(p, 0x5F00, 0), pitch + 4, 0.01)); /* 开 2 */
  CHECK(NEAR(gx(p, 0x5E74, 0) - gx(p, '9', 0), 8 + 4, 0.01));     /* 9 年 */
  CHECK(NEAR(gx(p, '2', 1) - gx(p, 0xFF08, 0), pitch, 0.01));     /* none after （ */
  CHECK(NEAR(gx(p, 0xFF09, 0) - gx(p, '9', 1), 8, 0.01));         /* none before ） */
  nb_para_free(p);
  /* none at a line end: the gap between 9 and 年 goes with the break */
  p = lay("公开公开公开2019年", 6 * pitch + 36 + 2, 0, NB_ALIGN_LEFT);
  CHECK_STR(line_text(p, 0), "公开公开公开2019");
  CHECK(NEAR(p->lines[0].x1, 6 * pitch + 4 + 32, 0.01)); /* one gap only, before 2 */
  nb_para_free(p);
  style->cjk_latin_space = keep;
}

/* Whether every line break inside text that matches `url` comes after / . @ - etc. */
static int url_breaks_ok(const nb_para *p, const char *url, int *nbreaks) {
  size_t n;
  uint32_t *u = nb_utf8_to_u32(url, strlen(url), &n);
  int ok = 1;
  *nbreaks = 0;
  for (size_t s = 0; s + n <= p->ntext; s++) {
    if (memcmp(p->text + s, u, n * sizeof *u)) continue;
    for (size_t l = 0; l + 1 < p->nlines; l++) {
      const nb_pglyph *lg = &p->glyphs[p->lines[l].g1 - 1];
      size_t end = lg->t0 + lg->tn; /* the next line starts at text[end] */
      if (end > s && end < s + n) {
        ++*nbreaks;
        if (!strchr("/.@-?&=#", (int)p->text[end - 1])) ok = 0;
      }
    }
  }
  free(u);
  return ok;
}

static void test_invisible(void) {
  /* zero-width and format characters pasted from word processors are invisible and never
   * "missing"; a character no font has is reported once */
  int errs = tc.d->errors;
  nb_para *p = body("\xEF\xBB\xBF政府\xE2\x80\x8B信息\xC2\xAD公开\xE2\x81\xA0工作"
                    "\xE2\x80\x8D年度\xEF\xB8\x80报告");
  CHECK_INT(tc.d->errors, errs);
  CHECK(NEAR(gx(p, 0x62A5, 0) - gx(p, 0x653F, 0), 10 * pitch, 0.01));
  nb_para_free(p);
  p = body("公开\xF0\x9F\x80\x80\xF0\x9F\x80\x80\xF0\x9F\x80\x80");
  CHECK_INT(tc.d->errors, errs + 1);
  nb_para_free(p);
}

static void test_urls(void) {
  int nb;
  /* a URL that fits is not broken, though it could be */
  const char *url = "www.example.gov.cn";
  nb_para *p = body("本报告在示范市新区门户网站（www.example.gov.cn）对外公布，欢迎监督。");
  CHECK(url_breaks_ok(p, url, &nb) && nb == 0);
  nb_para_free(p);
  /* a long URL breaks, after a / or a dot, rather than leave the line before it loose */
  url = "https://www.example.gov.cn/col/col1234/index.html";
  p = body("电子版可在示范市新区门户网站（https://www.example.gov.cn/col/col1234/index.html）"
           "“政府信息公开年报”栏目下载（PDF格式，约2.5MB），也可以发送电子邮件至"
           "open-gov.service@example.gov.cn索取纸质文本。");
  CHECK(url_breaks_ok(p, url, &nb) && nb == 1);
  CHECK(url_breaks_ok(p, "open-gov.service@example.gov.cn", &nb));
  for (size_t l = 0; l + 1 < p->nlines; l++) {
    CHECK(p->lines[l].ratio <= 1.0);
    CHECK(NEAR(p->lines[l].x1, W, 0.3));
  }
  nb_para_free(p);
}

static void test_breaker(void) {
  /* the first paragraph of samples/stress.yaml: dense marks, numbers and a URL; every line
   * solid or nearly so, none above 0.15 em a gap */
  nb_para *p = body(
      "根据《中华人民共和国政府信息公开条例》（中华人民共和国国务院令第711号，以下简称《条例》）"
      "和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报"
      "告格式〉的通知》（国办公开办函〔2021〕30号）要求，现将本区2023年度政府信息公开工作情况"
      "报告如下。本报告所列数据的统计期限为2023年1月1日至2023年12月31日（共365天），电子版可"
      "在示范市新区门户网站（https://www.example.gov.cn/col/col1234/index.html）“政府信息公开年"
      "报”栏目下载（PDF格式，约2.5MB）。");
  double worst = 0;
  for (size_t l = 0; l + 1 < p->nlines; l++) {
    worst = fmax(worst, fabs(p->lines[l].ratio));
    CHECK(NEAR(p->lines[l].x1, W, 0.3));
    CHECK(!nb_no_line_start(first_cp(p, l + 1)));
  }
  CHECK(worst < 0.5);
  /* the last line is not stretched */
  CHECK(p->lines[p->nlines - 1].ratio == 0 && p->lines[p->nlines - 1].x1 < W - pitch);
  nb_para_free(p);

  /* nothing to be done: two Hanzi before a number longer than the line. The first line
   * stretches to the limit (0.15 em a gap) and stays ragged beyond it */
  p = body("报告一二12345678901234567890123456789012345678901234567890");
  CHECK(p->nlines >= 2);
  CHECK(p->lines[0].ratio <= 1.0 + 1e-9 && p->lines[0].x1 < W - pitch);
  CHECK(NEAR(gx(p, 0x544A, 0) - gx(p, 0x62A5, 0), pitch + 0.15 * 16, 0.01));
  nb_para_free(p);
}

static void test_emergency(void) {
  /* a number wider than the whole line breaks inside rather than run into the margin; the
   * line rules still hold */
  nb_para *p = body("编号为12345678901234567890123456789012345678901234567890123456789012345678901"
                    "234567890123456789012345678901234567890。");
  CHECK(p->nlines == 3);
  for (size_t l = 0; l < p->nlines; l++) {
    CHECK(p->lines[l].x1 <= W + 0.01);
    CHECK(!nb_no_line_start(first_cp(p, l)));
  }
  nb_para_free(p);
  /* a number that fits on a line of its own is never broken */
  p = body("报告一二12345678901234567890123456789012345678901234567890");
  CHECK_STR(line_text(p, 1), "12345678901234567890123456789012345678901234567890");
  nb_para_free(p);
}

static void test_hanging(void) {
  char t[512];
  snprintf(t, sizeof t, "%s，%s%s", H26, H26, H26);
  nb_para *p = body(t);
  CHECK(max_x(p) < W - 1); /* off by default: the grid squeezes or breaks earlier */
  nb_para_free(p);
  style->hanging_punct = 1;
  p = body(t);
  CHECK_STR(line_text(p, 0), "政府信息公开工作年度报告政府信息公开工作年度报告政府，");
  CHECK(NEAR(gx(p, 0xFF0C, 0), W, 0.01)); /* in the margin, right after the last Hanzi */
  CHECK(NEAR(p->lines[0].ratio, 0, 1e-6));
  nb_para_free(p);
  /* never a sequence of marks */
  snprintf(t, sizeof t, "%s。”%s%s", H26, H26, H26);
  p = body(t);
  CHECK(max_x(p) < W - 1);
  nb_para_free(p);
  /* only 、，。 */
  snprintf(t, sizeof t, "%s；%s%s", H26, H26, H26);
  p = body(t);
  CHECK(max_x(p) < W - 1);
  nb_para_free(p);
  /* not in table cells */
  snprintf(t, sizeof t, "%s，%s", "政府信息公开工作年度", "报告");
  p = lay_role(t, 10 * 12, 0, NB_ALIGN_JUSTIFY, NB_ROLE_TABLE);
  CHECK(max_x(p) < 10 * 12 - 1);
  nb_para_free(p);
  style->hanging_punct = 0;
}

/* Random paragraphs of Hanzi, marks, digits, Latin words, spaces, addresses and forced
 * breaks in random widths: every glyph is placed once, lines start and end as the rules
 * say, and only a piece wider than the line (an address without break points) overflows. */
static void test_random(void) {
  /* clang-format off */
  static const char *const bits[] = {
      "政", "府", "信", "息", "公", "开", "，", "。", "、", "；", "：", "“", "”", "（", "）", "《",
      "》", "——", "……", "？", "！", "2019", "12.5%", "0531-84232793", "APP", " ", "word ",
      "www.example.gov.cn/a/b", "xxgk@example.gov.cn", "\n", "·", "～", "〔", "〕"};
  /* clang-format on */
  unsigned seed = 12345;
  nb_buf b = {0};
  for (int round = 0; round < 300; round++) {
    b.n = 0;
    if (b.s) b.s[0] = 0;
    int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 120;
    for (int i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      const char *bit = bits[(seed >> 16) % (sizeof bits / sizeof *bits)];
      nb_buf_adds(&b, bit);
    }
    seed = seed * 1103515245u + 12345u;
    double width = pitch * (1 + (seed >> 16) % 28);
    nb_align al = (nb_align)((seed >> 8) % 5);
    nb_para *p = lay(b.s, width, (seed >> 4) % 2 ? 2 * pitch : 0, al);
    size_t placed = 0;
    for (size_t l = 0; l < p->nlines; l++) {
      const nb_pline *ln = &p->lines[l];
      CHECK(ln->g0 <= ln->g1 && ln->g1 <= p->nglyphs);
      placed += ln->g1 - ln->g0;
      if (ln->g1 == ln->g0) continue;
      const nb_pglyph *g0 = &p->glyphs[ln->g0], *g1 = &p->glyphs[ln->g1 - 1];
      size_t before = g0->t0;
      while (before > 0 && p->text[before - 1] == ' ') before--;
      if (l > 0 && before > 0 && p->text[before - 1] != '\n')
        CHECK(!nb_no_line_start(p->text[g0->t0]));
      size_t after = g1->t0 + g1->tn;
      while (after < p->ntext && p->text[after] == ' ') after++;
      if (l + 1 < p->nlines && (after >= p->ntext || p->text[after] != '\n'))
        CHECK(!nb_no_line_end(p->text[g1->t0 + g1->tn - 1]));
      if (width >= 10 * pitch && ln->x1 > width + 0.5) { /* only an unbreakable address */
        int url = 0;
        for (size_t g = ln->g0; g < ln->g1; g++) url |= p->text[p->glyphs[g].t0] == '/';
        CHECK(url);
      }
    }
    CHECK_INT(placed, p->nglyphs);
    nb_para_free(p);
  }
  nb_buf_free(&b);
}

static double time_layout(const char *unit_text, int reps) {
  nb_buf b = {0};
  for (int i = 0; i < reps; i++) nb_buf_adds(&b, unit_text);
  clock_t t0 = clock();
  nb_para *p = body(b.s);
  double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK(p->nlines > (size_t)reps / 4);
  nb_para_free(p);
  nb_buf_free(&b);
  return dt;
}

static void test_linear_time(void) {
  const char *u = "本报告所列数据的统计期限为2023年1月1日至2023年12月31日（共365天），"
                  "电子版见https://www.example.gov.cn/col/col1234/index.html。";
  time_layout(u, 20); /* warm the font caches */
  double t1 = time_layout(u, 100), t8 = time_layout(u, 800);
  CHECK(t8 < 20 * t1 + 0.05); /* 8× the text: about 8× the time, never 64× */
  CHECK(t1 < 0.5);
}

int main(void) {
  nb_arena *a = nb_arena_new();
  nb_diags d = {0};
  style = nb_style_load(a, "gbt9704", &d);
  CHECK(style != NULL);
  if (!style) TEST_MAIN_END();
  tc = (nb_textctx){.db = nb_fontdb_new(), .style = style, .d = &d};
  W = nb_style_text_width(style);
  pitch = nb_style_char_pitch(style);
  test_line_end_marks();
  test_adjacent_marks();
  test_punct_styles();
  test_balanced_titles();
  test_line_start_brackets();
  test_dashes();
  test_latin();
  test_invisible();
  test_urls();
  test_breaker();
  test_emergency();
  test_hanging();
  test_random();
  test_linear_time();
  nb_fontdb_free(tc.db);
  nb_diags_free(&d);
  nb_arena_free(a);
  TEST_MAIN_END();
}
