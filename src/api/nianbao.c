/* The pipeline in one place: content → style → text → blocks → pages → pdf. */
#include "nianbao.h"

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <stdlib.h>
#include <string.h>

#include "content/model.h"
#include "layout/flow.h"
#include "layout/statutory.h"
#include "pages/paginate.h"
#include "pdf/writer.h"
#include "style/style.h"
#include "text/font.h"
#include "text/hyphen.h"

const char *nb_version(void) { return NB_VERSION; }

static long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Dates come from SOURCE_DATE_EPOCH, else the publication date: never the clock. */
static long long doc_epoch(const nb_doc *doc) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  if (e && *e) {
    char *end;
    long long v = strtoll(e, &end, 10);
    if (!*end && v >= 0) return v;
  }
  int y, m, d;
  if (doc->meta.published.s && sscanf(doc->meta.published.s, "%d-%d-%d", &y, &m, &d) == 3)
    return days_from_civil(y, m, d) * 86400;
  return 0;
}

static void doc_id(const char *input, const nb_options *o, unsigned char id[16]) {
  HPDF_MD5_CTX ctx;
  HPDF_MD5Init(&ctx);
  size_t len = 0;
  char *text = nb_read_file(input, &len);
  if (text) HPDF_MD5Update(&ctx, (const HPDF_BYTE *)text, (HPDF_UINT32)len);
  free(text);
  const char *parts[] = {o->layout ? o->layout : "gbt9704", o->lang ? o->lang : "", NB_VERSION};
  for (int i = 0; i < 3; i++)
    HPDF_MD5Update(&ctx, (const HPDF_BYTE *)parts[i], (HPDF_UINT32)strlen(parts[i]) + 1);
  HPDF_MD5Final(id, &ctx);
}

static int lang_of(const nb_doc *doc, const nb_options *o, nb_diags *d, nb_lang *out, int *both) {
  const char *l = o->lang;
  if (!l) l = doc->meta.lang.s && !strncmp(doc->meta.lang.s, "en", 2) ? "en" : "zh";
  *both = 0;
  if (!strcmp(l, "zh"))
    *out = NB_LANG_ZH;
  else if (!strcmp(l, "en"))
    *out = NB_LANG_EN;
  else if (!strcmp(l, "zh-en")) {
    *out = NB_LANG_ZH;
    *both = 1;
  } else {
    nb_error(d, ((nb_pos){0}), "unknown edition '%s' (expected zh, en or zh-en)", l);
    return 0;
  }
  return 1;
}

/* The roles of the English lines of a bilingual edition: each role of the layout, in the
 * Latin face of the `english` role, scaled as `english` is to the body. */
static nb_role *english_roles(nb_arena *a, const nb_style *s) {
  nb_role *r = nb_arena_alloc(a, NB_ROLE_COUNT * sizeof *r);
  const nb_role *en = &s->roles[NB_ROLE_ENGLISH], *body = &s->roles[NB_ROLE_BODY];
  for (int i = 0; i < NB_ROLE_COUNT; i++) {
    r[i] = s->roles[i];
    r[i].latin = en->latin.n ? en->latin : en->cjk;
    r[i].size = s->roles[i].size * en->size / body->size;
  }
  return r;
}

static int run(const char *input, const char *output, const nb_options *opt, FILE *diag) {
  nb_options o = opt ? *opt : (nb_options){0};
  nb_diags d = {0};
  int ok = 0;
  nb_doc *doc = nb_content_load(input, &d);
  nb_arena *arena = nb_arena_new();
  nb_style *style = NULL;
  nb_fontdb *db = NULL;
  nb_pages pages = {0};
  nb_flow flow = {0};
  nb_lang lang = NB_LANG_ZH;
  nb_hyphenator *hyph = NULL;
  if (!doc) goto done;
  nb_statutory_check(doc, o.strict, &d);
  if (d.errors) goto done;
  style = nb_style_load(arena, o.layout, &d);
  int both = 0;
  if (!style || !lang_of(doc, &o, &d, &lang, &both)) goto done;
  /* `check` lays the report out too (fonts that lack a character, headings that number
   * themselves, …): everything a build would say, without writing a file */
  db = nb_fontdb_new();
  nb_textctx tc = {.db = db, .style = style, .d = &d, .lang = lang};
  if (both) tc.en_roles = english_roles(arena, style);
  /* English text is justified with hyphenation (TeX's US patterns); none in Chinese */
  if (both || lang == NB_LANG_EN) hyph = tc.hyph = nb_hyphen_new("en");
  nb_flow_build(&flow, doc, &tc, &pages);
  if (d.errors) goto done;
  nb_paginate(&flow, doc, &tc, &pages, arena, o.draft);
  if (d.errors) goto done;
  if (!output) {
    ok = 1;
    goto done;
  }
  nb_pdfinfo info = {0};
  const nb_str *t = nb_text_pick(&doc->meta.title, lang),
               *a = nb_text_pick(&doc->meta.issuer, lang);
  /* a title set on several lines is one line in the metadata */
  char *title = NULL;
  if (t && t->s) {
    title = nb_arena_strdup(arena, t->s);
    char *w = title;
    for (const char *r = title; *r; r++)
      if (*r != '\n') *w++ = *r;
    *w = 0;
  }
  info.title = title;
  info.author = a ? a->s : NULL;
  info.subject = lang == NB_LANG_EN ? "Annual Report on Government Information Disclosure"
                                    : "政府信息公开工作年度报告";
  info.lang = lang == NB_LANG_EN ? "en" : "zh-CN";
  info.epoch = doc_epoch(doc);
  doc_id(input, &o, info.id);
  info.source = input;
  /* level A claims what every file has: the tagged structure (pdf/tags.c) */
  if (!o.pdfa || !strcmp(o.pdfa, "2b") || !strcmp(o.pdfa, "2a"))
    info.pdfa = NB_PDFA_2B;
  else if (!strcmp(o.pdfa, "3b") || !strcmp(o.pdfa, "3a"))
    info.pdfa = NB_PDFA_3B;
  else if (!strcmp(o.pdfa, "none"))
    info.pdfa = NB_PDFA_NONE;
  else {
    nb_error(&d, ((nb_pos){0}), "unknown PDF/A level '%s' (expected 2b, 2a, 3b, 3a or none)",
             o.pdfa);
    goto done;
  }
  info.pdfa_level = o.pdfa && o.pdfa[1] == 'a' ? 'A' : 'B';
  ok = nb_pdf_write(&pages, db, &info, output, &d);
done:
  nb_diags_print(&d, diag ? diag : stderr);
  if (d.errors) ok = 0;
  nb_flow_free(&flow);
  nb_pages_free(&pages);
  nb_fontdb_free(db);
  nb_hyphen_free(hyph);
  nb_arena_free(arena);
  nb_doc_free(doc);
  nb_diags_free(&d);
  return ok ? 0 : 1;
}

int nb_build(const char *input, const char *output, const nb_options *opt, FILE *diag) {
  if (!output) return 1;
  return run(input, output, opt, diag);
}

int nb_check(const char *input, const nb_options *opt, FILE *diag) {
  return run(input, NULL, opt, diag);
}
