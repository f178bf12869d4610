/* Fuzz target: content → blocks → pages, the whole layout engine without the PDF writer,
 * in the default layout and in a bilingual edition (fonts and the layout loaded once). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "content/model.h"
#include "layout/flow.h"
#include "layout/statutory.h"
#include "pages/paginate.h"
#include "style/style.h"

static nb_arena *arena;
static nb_style *style;
static nb_fontdb *db;
static nb_role en[NB_ROLE_COUNT];

/* the fonts and fontconfig's caches go at exit, so that leak checks see only real leaks */
static void cleanup(void) {
  nb_fontdb_free(db);
  nb_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nb_diags d = {0};
  if (!style) {
    arena = nb_arena_new();
    style = nb_style_load(arena, "gbt9704", &d);
    db = nb_fontdb_new();
    if (!style || !db) abort();
    atexit(cleanup);
    for (int i = 0; i < NB_ROLE_COUNT; i++) en[i] = style->roles[i];
    nb_diags_free(&d);
  }
  /* as if in samples/, so that the samples' figures are found (run from the repository) */
  nb_doc *doc = nb_content_load_text("samples/fuzz.yaml", (const char *)data, size, &d);
  if (doc) {
    nb_statutory_check(doc, 0, &d);
    for (int both = 0; both < 2 && !d.errors; both++) {
      nb_textctx tc = {.db = db, .style = style, .d = &d, .lang = NB_LANG_ZH};
      if (both) tc.en_roles = en;
      nb_flow flow = {0};
      nb_pages pages = {0};
      nb_arena *pa = nb_arena_new();
      nb_flow_build(&flow, doc, &tc, &pages);
      if (!d.errors) nb_paginate(&flow, doc, &tc, &pages, pa, both);
      nb_flow_free(&flow);
      nb_pages_free(&pages);
      nb_arena_free(pa);
    }
    nb_doc_free(doc);
  }
  nb_diags_free(&d);
  return 0;
}
