/* The content loader: a full document read into the model, and each kind of bad input
 * reported with its line:col. Files go to a temporary folder, since images are looked up
 * next to the content file. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "content/model.h"
#include "harness.h"

static char dir[64];

static const char *in_dir(const char *name) {
  static char paths[8][256];
  static int k;
  char *p = paths[k++ % 8];
  snprintf(p, sizeof paths[0], "%s/%s", dir, name);
  return p;
}

static void write_file(const char *name, const void *data, size_t n) {
  nb_write_file(in_dir(name), data, n);
}

static void make_files(void) {
  static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
  static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};
  snprintf(dir, sizeof dir, "/tmp/nb_content_XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    exit(1);
  }
  write_file("fig.png", png, sizeof png);
  write_file("fig.jpg", jpg, sizeof jpg);
  write_file("fake.jpg", "GIF89a not really", 17);
}

static void remove_files(void) {
  const char *names[] = {"fig.png", "fig.jpg", "fake.jpg", "doc.yaml"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unlink(in_dir(names[i]));
  rmdir(dir);
}

static const char META[] = "meta: {issuer: 某区人民政府, title: 报告, year: 2019, format: 2019}\n";

static nb_doc *load(const char *yaml, nb_diags *d) {
  write_file("doc.yaml", yaml, strlen(yaml));
  return nb_content_load(in_dir("doc.yaml"), d);
}

/* Is there an error at line:col whose message contains `msg`? Prints all when not. */
static int has_error(const nb_diags *d, int line, int col, const char *msg) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].sev == NB_SEV_ERROR && d->v[i].pos.line == line && d->v[i].pos.col == col &&
        strstr(d->v[i].msg, msg))
      return 1;
  fprintf(stderr, "wanted %d:%d: %s; got:\n", line, col, msg);
  nb_diags_print(d, stderr);
  return 0;
}

/* Loads a body (after META) that must fail, and checks one of its errors. */
#define CHECK_BAD_BODY(body, line, col, msg)                                                       \
  do {                                                                                             \
    nb_diags d_ = {0};                                                                             \
    char text_[4096];                                                                              \
    snprintf(text_, sizeof text_, "%sbody:\n%s", META, body);                                      \
    nb_doc *doc_ = load(text_, &d_);                                                               \
    CHECK(doc_ == NULL);                                                                           \
    CHECK(has_error(&d_, line, col, msg));                                                         \
    nb_doc_free(doc_);                                                                             \
    nb_diags_free(&d_);                                                                            \
  } while (0)

static const char GOOD[] =
    "meta:\n"
    "  issuer: 济南市济阳区人民政府\n"
    "  title: {zh: 2019年度报告, en: Annual Report 2019}\n"
    "  year: 2019\n"
    "  period: {from: 2019-01-01, to: 2019-12-31}\n"
    "  published: 2020-03-31\n"
    "  format: 2019\n"
    "  contact:\n"
    "    postcode: \"251400\"\n"
    "    phone: 0531-84232793\n"
    "    email: jyqzfbgsxxk@jn.shandong.cn\n"
    "body:\n"
    "  - h1: 总体情况\n"                                                                  /* 0 */
    "  - h2: {text: 依申请公开情况。, runin: 认真贯彻落实……}\n"                           /* 1 */
    "  - h3: {text: 规范性文件。, start: 3}\n"                                            /* 2 */
    "  - h2: {text: 附：说明, number: none}\n"                                            /* 3 */
    "  - h2: {text: 特别事项, number: \"（甲）\"}\n"                                      /* 4 */
    "  - h4: {zh: 小标题, en: Subheading}\n"                                              /* 5 */
    "  - p: 正文（www.jiyang.gov.cn）\n"                                                  /* 6 */
    "  - p: {lead: 一是人大建议办理情况。, text: 区人大机关交由区政府办理的建议共88件}\n" /* 7 */
    "  - list: [第一项, 第二项]\n"                                                        /* 8 */
    "  - list: {ordered: true, items: [a, {zh: 乙, en: b}]}\n"                            /* 9 */
    "  - figure: {image: fig.png, caption: 图1 政务公开专题页面, width: 60%}\n"           /* 10 */
    "  - figure: {image: fig.jpg, width: 80mm}\n"                                         /* 11 */
    "  - figure: fig.jpg\n"                                                               /* 12 */
    "  - table:\n"                                                                        /* 13 */
    "      caption: 表1 示例\n"
    "      header: 1\n"
    "      columns: [{width: 30%, align: left}, {align: center}, 20mm]\n"
    "      rows:\n"
    "        - [信息内容, 本年新制作数量, 备注]\n"
    "        - [{text: 第二十条第（一）项, colspan: 3, align: right, valign: middle}]\n"
    "        - [{text: 规章, rowspan: 2}, 0, ~]\n"
    "        - [6, 1.5]\n"
    "  - statutory: t2\n"                                       /* 14 */
    "  - statutory: {table: t4, caption: 表四}\n"               /* 15 */
    "  - pagebreak\n"                                           /* 16 */
    "  - signature\n"                                           /* 17 */
    "  - signature: {issuer: 区政府办公室, date: 2020-04-01}\n" /* 18 */
    "  - pagebreak:\n"                                          /* 19 */
    "data:\n"
    "  t2:\n"
    "    art20_1:\n"
    "      rules: {made: 0, published: 6}\n"
    "    art20_8:\n"
    "      fees: {items_prev: 25, change: -2}\n"
    "    art20_9:\n"
    "      procurement: {amount: 585313万元, projects: }\n"
    "  t3:\n"
    "    new_received: {natural_person: 62, total: \"62\"}\n";

static void check_meta(const nb_doc *doc) {
  const nb_meta *m = &doc->meta;
  CHECK_STR(m->issuer.zh.s, "济南市济阳区人民政府");
  CHECK(m->issuer.en.s == NULL);
  CHECK_STR(m->title.en.s, "Annual Report 2019");
  CHECK_STR(nb_text_pick(&m->title, NB_LANG_ZH)->s, "2019年度报告");
  CHECK_STR(nb_text_pick(&m->issuer, NB_LANG_EN)->s, "济南市济阳区人民政府");
  CHECK(nb_text_pick(&m->contact.office, NB_LANG_ZH) == NULL);
  CHECK_INT(m->year, 2019);
  CHECK_INT(m->format, 2019);
  CHECK_STR(m->period_from.s, "2019-01-01");
  CHECK_STR(m->period_to.s, "2019-12-31");
  CHECK_STR(m->published.s, "2020-03-31");
  CHECK_INT(m->published.pos.line, 6);
  CHECK_INT(m->published.pos.col, 14);
  CHECK_STR(m->lang.s, "zh-CN");
  CHECK_STR(m->contact.postcode.zh.s, "251400");
  CHECK_STR(m->contact.phone.zh.s, "0531-84232793");
  CHECK(!nb_text_present(&m->contact.website));
}

static void check_headings(const nb_block *b) {
  CHECK_INT(b[0].kind, NB_BLK_HEADING);
  CHECK_INT(b[0].level, 1);
  CHECK_INT(b[0].numbering, NB_NUM_AUTO);
  CHECK_STR(b[0].text.zh.s, "总体情况");
  CHECK_INT(b[0].pos.line, 13);
  CHECK_INT(b[0].pos.col, 5);
  CHECK_INT(b[1].level, 2);
  CHECK_STR(b[1].runin.zh.s, "认真贯彻落实……");
  CHECK_INT(b[2].start, 3);
  CHECK_INT(b[3].numbering, NB_NUM_NONE);
  CHECK_INT(b[4].numbering, NB_NUM_LITERAL);
  CHECK_STR(b[4].number.zh.s, "（甲）");
  CHECK_INT(b[5].level, 4);
  CHECK_STR(b[5].text.en.s, "Subheading");
}

static void check_prose(const nb_block *b) {
  CHECK_INT(b[6].kind, NB_BLK_PARA);
  CHECK_STR(b[6].text.zh.s, "正文（www.jiyang.gov.cn）");
  CHECK_STR(b[7].lead.zh.s, "一是人大建议办理情况。");
  CHECK_STR(b[7].text.zh.s, "区人大机关交由区政府办理的建议共88件");
  CHECK_INT(b[8].kind, NB_BLK_LIST);
  CHECK_INT(b[8].nitems, 2);
  CHECK_INT(b[8].ordered, 0);
  CHECK_STR(b[8].items[1].zh.s, "第二项");
  CHECK_INT(b[9].ordered, 1);
  CHECK_STR(b[9].items[1].en.s, "b");
}

static void check_figures(const nb_block *b) {
  CHECK_INT(b[10].kind, NB_BLK_FIGURE);
  CHECK_STR(b[10].image.s, "fig.png");
  CHECK_STR(b[10].text.zh.s, "图1 政务公开专题页面");
  CHECK(b[10].width > 0.5999 && b[10].width < 0.6001);
  CHECK(b[11].width > 226.77 && b[11].width < 226.78); /* 80mm */
  CHECK_STR(b[12].image.s, "fig.jpg");
  CHECK(b[12].width == 0);
}

static void check_table(const nb_block *b) {
  const nb_table *t = b[13].table;
  CHECK_INT(b[13].kind, NB_BLK_TABLE);
  CHECK(t != NULL);
  if (!t) return;
  CHECK_STR(t->caption.zh.s, "表1 示例");
  CHECK_INT(t->header_rows, 1);
  CHECK_INT(t->ncols, 3);
  CHECK(t->cols[0].width > -0.3001 && t->cols[0].width < -0.2999);
  CHECK_INT(t->cols[0].align, NB_ALIGN_LEFT);
  CHECK(t->cols[1].width == 0);
  CHECK_INT(t->cols[1].align, NB_ALIGN_CENTER);
  CHECK(t->cols[2].width > 56.69 && t->cols[2].width < 56.70);
  CHECK_INT(t->nrows, 4);
  CHECK_INT(t->rows[0].cells[0].header, 1);
  CHECK_INT(t->rows[1].cells[0].header, 0);
  CHECK_INT(t->rows[1].n, 1);
  CHECK_INT(t->rows[1].cells[0].colspan, 3);
  CHECK_INT(t->rows[1].cells[0].align, NB_ALIGN_RIGHT);
  CHECK_INT(t->rows[1].cells[0].valign, NB_VALIGN_MIDDLE);
  CHECK_INT(t->rows[2].cells[0].rowspan, 2);
  CHECK_STR(t->rows[2].cells[1].text.zh.s, "0");
  CHECK(!nb_text_present(&t->rows[2].cells[2].text));
  CHECK_INT(t->rows[3].n, 2);
  CHECK_STR(t->rows[3].cells[1].text.zh.s, "1.5");
  CHECK_INT(t->rows[3].cells[1].colspan, 1);
}

static void check_rest(const nb_block *b) {
  CHECK_INT(b[14].kind, NB_BLK_STATUTORY);
  CHECK_INT(b[14].statutory, 2);
  CHECK_INT(b[15].statutory, 4);
  CHECK_STR(b[15].text.zh.s, "表四");
  CHECK_INT(b[16].kind, NB_BLK_PAGEBREAK);
  CHECK_INT(b[17].kind, NB_BLK_SIGNATURE);
  CHECK_STR(b[17].issuer.zh.s, "济南市济阳区人民政府"); /* defaults from meta */
  CHECK_STR(b[17].date.s, "2020-03-31");
  CHECK_STR(b[18].issuer.zh.s, "区政府办公室");
  CHECK_STR(b[18].date.s, "2020-04-01");
  CHECK_INT(b[19].kind, NB_BLK_PAGEBREAK);
}

static void check_data(const nb_doc *doc) {
  const nb_datum *x = nb_doc_datum(doc, "t3.new_received.natural_person");
  CHECK(x && x->is_number && x->num == 62);
  CHECK(x && x->pos.line == 50);
  x = nb_doc_datum(doc, "t3.new_received.total");
  CHECK(x && !x->is_number && !strcmp(x->text.s, "62")); /* quoted: text */
  x = nb_doc_datum(doc, "t2.art20_8.fees.change");
  CHECK(x && x->is_number && x->num == -2);
  x = nb_doc_datum(doc, "t2.art20_9.procurement.amount");
  CHECK(x && !x->is_number && !strcmp(x->text.s, "585313万元"));
  CHECK(nb_doc_datum(doc, "t2.art20_9.procurement.projects") == NULL); /* blank */
  CHECK(nb_doc_datum(doc, "t2.art20_1.rules") == NULL);
  CHECK_INT(doc->ndata, 7);
}

static void test_good(void) {
  nb_diags d = {0};
  nb_doc *doc = load(GOOD, &d);
  CHECK(doc != NULL);
  CHECK_INT(d.errors, 0);
  CHECK_INT(d.warnings, 0);
  if (d.n) nb_diags_print(&d, stderr);
  if (doc) {
    CHECK_STR(doc->dir, dir);
    CHECK_INT(doc->nblocks, 20);
    check_meta(doc);
    if (doc->nblocks == 20) {
      check_headings(doc->blocks);
      check_prose(doc->blocks);
      check_figures(doc->blocks);
      check_table(doc->blocks);
      check_rest(doc->blocks);
    }
    check_data(doc);
  }
  nb_doc_free(doc);
  nb_diags_free(&d);
}

static void test_meta_errors(void) {
  nb_diags d = {0};
  nb_doc *doc = load("meta:\n"
                     "  issuer: [a, b]\n"
                     "  year: twenty\n"
                     "  format: 2020\n"
                     "  published: 2019-02-29\n"
                     "  period: {from: 2019-12-31, to: 2019-01-01}\n"
                     "  lang: zh-cn\n"
                     "  contcat: {}\n"
                     "body: []\n",
                     &d);
  CHECK(doc == NULL);
  CHECK(has_error(&d, 2, 11, "issuer: expected a string or {zh, en}, found a list"));
  CHECK(has_error(&d, 2, 3, "missing 'title' in meta"));
  CHECK(has_error(&d, 3, 9, "year: expected a whole number, found 'twenty'"));
  CHECK(has_error(&d, 4, 11, "format: expected 2019 or 2021, found '2020'"));
  CHECK(has_error(&d, 5, 14, "'2019-02-29' is not a calendar date"));
  CHECK(has_error(&d, 6, 34, "period: ends (2019-01-01) before it starts (2019-12-31)"));
  CHECK(has_error(&d, 7, 9, "lang: unknown value 'zh-cn'; did you mean 'zh-CN'?"));
  CHECK(has_error(&d, 8, 3, "unknown key 'contcat' in meta; did you mean 'contact'?"));
  nb_diags_free(&d);

  doc = load("meta: {issuer: x, title: y, year: 2019, format: 2021, published: 2020-3-31}\n"
             "body: [p: x]\nextra: 1\n",
             &d);
  CHECK(doc == NULL);
  CHECK(has_error(&d, 1, 66, "'2020-3-31' is not a date of the form YYYY-MM-DD"));
  CHECK(has_error(&d, 3, 1, "unknown key 'extra' in the file; expected one of: meta, body, data"));
  nb_diags_free(&d);

  doc = load("body: []\n", &d);
  CHECK(doc == NULL);
  CHECK(has_error(&d, 1, 1, "missing 'meta' in the file"));
  nb_diags_free(&d);
}

static void test_block_errors(void) {
  /* misspelt key with a suggestion, at the key */
  CHECK_BAD_BODY("  - figure:\n      image: fig.png\n      captoin: 图1\n", 5, 7,
                 "unknown key 'captoin' in figure; did you mean 'caption'?");
  /* wrong type */
  CHECK_BAD_BODY("  - p: {text: [a, b]}\n", 3, 15,
                 "text: expected a string or {zh, en}, found a list");
  CHECK_BAD_BODY("  - h2: [a]\n", 3, 9, "h2: expected a string or {zh, en}, found a list");
  /* missing required fields */
  CHECK_BAD_BODY("  - h1: {runin: x}\n", 3, 9, "missing 'text' in h1");
  CHECK_BAD_BODY("  - h1:\n", 3, 8, "missing heading text in h1");
  CHECK_BAD_BODY("  - figure: {caption: x}\n", 3, 13, "missing 'image' in figure");
  /* images */
  CHECK_BAD_BODY("  - figure: {image: images/none.png}\n", 3, 21,
                 "image 'images/none.png' not found");
  CHECK_BAD_BODY("  - figure: {image: fake.jpg}\n", 3, 21,
                 "image 'fake.jpg' is not a JPEG or PNG file");
  CHECK_BAD_BODY("  - figure: {image: fig.png, width: 60}\n", 3, 37,
                 "width: expected a width like 60%, 80mm or 200pt, found '60'");
  CHECK_BAD_BODY("  - figure: {image: fig.png, width: 120%}\n", 3, 37, "out of range");
  /* block types */
  CHECK_BAD_BODY("  - figrue: {image: fig.png}\n", 3, 5,
                 "unknown block type 'figrue'; did you mean 'figure'?");
  CHECK_BAD_BODY("  - h5: 标题\n", 3, 5, "there is no heading level 'h5'; headings are h1 to h4");
  CHECK_BAD_BODY("  - p: a\n    list: [b]\n", 4, 5, "block has two type keys, 'p' and 'list'");
  CHECK_BAD_BODY("  - figure: fig.png\n    caption: 图1\n", 4, 5,
                 "'caption' is not a block type; indent it under 'figure'");
  CHECK_BAD_BODY("  - pagebrake\n", 3, 5, "unknown block 'pagebrake'; did you mean 'pagebreak'?");
  CHECK_BAD_BODY("  - 一段文字\n", 3, 5,
                 "a block must be a mapping like 'p: text', found a string");
  CHECK_BAD_BODY("  - {}\n", 3, 5, "empty block");
  CHECK_BAD_BODY("  - pagebreak: yes\n", 3, 16, "pagebreak takes no value");
  /* values */
  CHECK_BAD_BODY("  - h3: {text: x, start: 0}\n", 3, 26, "start: 0 is out of range");
  CHECK_BAD_BODY("  - statutory: t5\n", 3, 16,
                 "statutory table: expected one of t2, t3, t4, found 't5'");
  CHECK_BAD_BODY("  - signature: {date: 2020-13-01}\n", 3, 23,
                 "'2020-13-01' is not a calendar date");
  CHECK_BAD_BODY("  - list: {ordered: maybe, items: [a]}\n", 3, 21,
                 "ordered: expected true or false");
  CHECK_BAD_BODY("  - list: [a, [b]]\n", 3, 15,
                 "list item: expected a string or {zh, en}, found a list");
}

static void test_table_errors(void) {
  /* ragged rows: row 3 has one cell too many given the rowspan from row 2 */
  CHECK_BAD_BODY("  - table:\n"
                 "      rows:\n"
                 "        - [a, b, c, d]\n"
                 "        - [{text: x, rowspan: 2}, b, c, d]\n"
                 "        - [b, c, d, e]\n",
                 7, 11, "row 3 spans 5 columns, expected 4");
  CHECK_BAD_BODY("  - table:\n"
                 "      rows:\n"
                 "        - [a, b, c]\n"
                 "        - [{text: x, colspan: 2}]\n",
                 6, 11, "row 2 spans 2 columns, expected 3");
  CHECK_BAD_BODY("  - table:\n"
                 "      columns: [auto, auto]\n"
                 "      rows:\n"
                 "        - [a, b, c]\n",
                 6, 11, "row 1 spans 3 columns, expected 2");
  CHECK_BAD_BODY("  - table:\n"
                 "      rows:\n"
                 "        - [a, b]\n"
                 "        - [{text: x, rowspan: 3}, b]\n",
                 6, 12, "rowspan 3 runs past the last row of the table");
  CHECK_BAD_BODY("  - table:\n"
                 "      rows:\n"
                 "        - [a, {text: b, colspan: 0}]\n",
                 5, 34, "colspan: 0 is out of range (1 to 1000)");
  CHECK_BAD_BODY("  - table:\n"
                 "      rows:\n"
                 "        - [a, {text: b, align: centre}]\n",
                 5, 32, "align: unknown value 'centre'; did you mean 'center'?");
  CHECK_BAD_BODY("  - table:\n"
                 "      rows: []\n",
                 4, 13, "rows: the table has no rows");
  CHECK_BAD_BODY("  - table:\n"
                 "      header: 3\n"
                 "      rows: [[a]]\n",
                 4, 15, "header: 3 is out of range (0 to 1)");
}

static void test_data_errors(void) {
  nb_diags d = {0};
  char text[1024];
  snprintf(text, sizeof text,
           "%sbody: [p: x]\n"
           "data:\n"
           "  t3:\n"
           "    disclosed: [1, 2]\n"
           "    a.b: 1\n"
           "  t9: {}\n",
           META);
  nb_doc *doc = load(text, &d);
  CHECK(doc == NULL);
  CHECK(has_error(&d, 5, 16,
                  "data t3.disclosed: expected a number, a string or a mapping, found a list"));
  CHECK(has_error(&d, 6, 5, "data key 'a.b' must be a non-empty name without '.'"));
  CHECK(has_error(&d, 7, 3, "unknown key 't9' in data"));
  nb_diags_free(&d);
}

/* Every error is reported, not only the first; and the positions name the caller's path. */
static void test_many_errors_and_paths(void) {
  nb_diags d = {0};
  char path[256];
  snprintf(path, sizeof path, "%s", in_dir("doc.yaml"));
  char text[1024];
  snprintf(text, sizeof text,
           "%sbody:\n  - p: {txt: a}\n  - h9: b\n  - table: {rows: [[a], [b, c]]}\n", META);
  write_file("doc.yaml", text, strlen(text));
  nb_doc *doc = nb_content_load(path, &d);
  CHECK(doc == NULL);
  CHECK_INT(d.errors, 4); /* unknown txt, missing text, h9, ragged row */
  for (size_t i = 0; i < d.n; i++) CHECK(d.v[i].pos.file == path);
  nb_diags_free(&d);
  doc = nb_content_load(in_dir("nothing.yaml"), &d);
  CHECK(doc == NULL);
  CHECK(d.n == 1 && strstr(d.v[0].msg, "cannot read file"));
  nb_diags_free(&d);
  doc = nb_content_load_text("mem.yaml", "meta: [\n", 8, &d);
  CHECK(doc == NULL);
  CHECK(d.n >= 1 && strstr(d.v[0].msg, "invalid YAML"));
  nb_diags_free(&d);
}

/* Bold at the start of plain YAML text reads as an alias: the error says to quote it. */
static void test_star_quoting(void) {
  nb_diags d = {0};
  char text[512];
  snprintf(text, sizeof text, "%sbody:\n  - p: **一是**说明\n", META);
  nb_doc *doc = load(text, &d);
  CHECK(doc == NULL);
  CHECK(d.n == 1 && strstr(d.v[0].msg, "quote text that starts with * or &"));
  nb_diags_free(&d);
  snprintf(text, sizeof text, "%sbody:\n  - p: \"**一是**说明\"\n", META);
  doc = load(text, &d);
  CHECK(doc != NULL && d.n == 0);
  if (doc) CHECK_STR(doc->blocks[0].text.zh.s, "**一是**说明");
  nb_doc_free(doc);
  nb_diags_free(&d);
}

/* Markup problems are warnings: the document still loads. */
static void test_markup_warning(void) {
  nb_diags d = {0};
  char text[512];
  snprintf(text, sizeof text, "%sbody:\n  - p: 这是**未闭合的粗体\n", META);
  nb_doc *doc = load(text, &d);
  CHECK(doc != NULL);
  CHECK_INT(d.warnings, 1);
  CHECK(d.n == 1 && d.v[0].pos.line == 3 && d.v[0].pos.col == 8);
  nb_doc_free(doc);
  nb_diags_free(&d);
}

/* Each tests/errors file: the first line says "# expect: LINE:COL: message". */
static void test_error_files(void) {
  char edir[512];
  snprintf(edir, sizeof edir, "%s/tests/errors", NB_SOURCE_DIR);
  DIR *dp = opendir(edir);
  CHECK(dp != NULL);
  if (!dp) return;
  int files = 0;
  struct dirent *e;
  while ((e = readdir(dp))) {
    size_t n = strlen(e->d_name);
    if (n < 6 || strcmp(e->d_name + n - 5, ".yaml")) continue;
    char path[1024], first[512] = "";
    snprintf(path, sizeof path, "%s/%s", edir, e->d_name);
    FILE *f = fopen(path, "r");
    if (f && !fgets(first, sizeof first, f)) first[0] = 0;
    if (f) fclose(f);
    first[strcspn(first, "\n")] = 0;
    int line = 0, col = 0, off = 0;
    CHECK(sscanf(first, "# expect: %d:%d: %n", &line, &col, &off) == 2 && off > 0);
    nb_diags d = {0};
    nb_doc *doc = nb_content_load(path, &d);
    CHECK(doc == NULL);
    int ok = has_error(&d, line, col, first + off);
    if (!ok) fprintf(stderr, "  in %s\n", path);
    CHECK(ok);
    nb_doc_free(doc);
    nb_diags_free(&d);
    files++;
  }
  closedir(dp);
  CHECK(files >= 5);
}

int main(void) {
  make_files();
  test_good();
  test_meta_errors();
  test_block_errors();
  test_table_errors();
  test_data_errors();
  test_many_errors_and_paths();
  test_markup_warning();
  test_star_quoting();
  test_error_files();
  remove_files();
  TEST_MAIN_END();
}
