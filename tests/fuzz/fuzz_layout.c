/* Fuzz target: the layout parser (layout YAML → style, with every check), and a layout that
 * loads typesets a small report through blocks and pages (headings, a paragraph, a table,
 * headers, footers, page numbers), so that extreme but accepted geometry, sizes and
 * templates are exercised too. Fonts and the report are loaded once. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/model.h"
#include "layout/flow.h"
#include "pages/paginate.h"
#include "style/style.h"

static nb_fontdb *db;
static nb_doc *doc;

static const char report[] =
    "meta:\n"
    "  issuer: 某区人民政府\n"
    "  title: {zh: 年度报告, en: Annual Report}\n"
    "  year: 2019\n"
    "  published: 2020-03-31\n"
    "  format: 2019\n"
    "  contact: {office: 办公室, address: 某路1号, postcode: '251400', phone: 0531-1234567,\n"
    "            email: a@example.gov.cn, website: www.example.gov.cn}\n"
    "body:\n"
    "  - h1: 总体情况\n"
    "  - p: 本年度，全区政务公开水平取得显著成效，“四个中心”建设（2019年）进展顺利。\n"
    "  - h2: 主动公开\n"
    "  - table:\n"
    "      header: 1\n"
    "      rows:\n"
    "        - [信息内容, 本年新制作数量, 本年新公开数量]\n"
    "        - [规章, 0, 0]\n"
    "        - [{text: 规范性文件, colspan: 2}, 6]\n"
    "  - p: The English text of a bilingual report, justified and hyphenated.\n";

static void cleanup(void) {
  nb_doc_free(doc);
  nb_fontdb_free(db);
}

/* Lays the report out in `style`. */
static void typeset(nb_style *style, nb_arena *a, nb_diags *d) {
  nb_textctx tc = {.db = db, .style = style, .d = d, .lang = NB_LANG_ZH};
  nb_flow flow = {0};
  nb_pages pages = {0};
  nb_flow_build(&flow, doc, &tc, &pages);
  if (!d->errors) nb_paginate(&flow, doc, &tc, &pages, a, 1);
  nb_flow_free(&flow);
  nb_pages_free(&pages);
}

/* Fonts, the report and fontconfig, once: fontconfig starts here, in a first layout of
 * the report in the default layout, not in whichever input first names a font (its
 * process-wide state would count as that input's leak; NIANBAO_CACHE=off, since the
 * on-disk cache would spare fontconfig until then). */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  nb_diags d = {0};
  setenv("NIANBAO_CACHE", "off", 1);
  db = nb_fontdb_new();
  doc = nb_content_load_text("fuzz-report.yaml", report, strlen(report), &d);
  nb_arena *a = nb_arena_new();
  nb_style *s = db && doc ? nb_style_load(a, "gbt9704", &d) : NULL;
  if (s) typeset(s, a, &d);
  nb_arena_free(a);
  if (!s || d.errors) {
    nb_diags_print(&d, stderr);
    abort();
  }
  atexit(cleanup);
  nb_diags_free(&d);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nb_diags d = {0};
  nb_arena *a = nb_arena_new();
  nb_style *style = nb_style_load_text(a, "fuzz-layout.yaml", (const char *)data, size, &d);
  if (style) typeset(style, a, &d);
  nb_arena_free(a);
  nb_diags_free(&d);
  return 0;
}
