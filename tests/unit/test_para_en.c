/* English paragraphs: hyphenation at TeX pattern points with a hyphen glyph that stands for
 * no source text, justified lines, and a letter kerned against a space at a line end. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "text/hyphen.h"
#include "text/para.h"

int main(void) {
  nb_arena *a = nb_arena_new();
  nb_diags d = {0};
  nb_style *style = nb_style_load(a, "gbt9704", &d);
  CHECK(style != NULL);
  if (!style) TEST_MAIN_END();
  nb_textctx tc = {.db = nb_fontdb_new(), .style = style, .d = &d, .lang = NB_LANG_EN};
  tc.hyph = nb_hyphen_new("en");
  CHECK(tc.hyph != NULL);
  double W = 300;
  const char *t = "The district government comprehensively promoted the standardization, "
                  "normalization and informatization of openness in government affairs, with "
                  "remarkable results in information disclosure across the whole district.";
  nb_textseg seg = {t, strlen(t), &style->roles[NB_ROLE_BODY], 0, NULL, {"t", 1, 1}};
  nb_parastyle ps = {.width = W, .align = NB_ALIGN_JUSTIFY};
  nb_para *p = nb_para_layout(&tc, &seg, 1, &ps);
  CHECK(p->nlines >= 5);
  int hyphens = 0;
  for (size_t l = 0; l < p->nlines; l++) {
    const nb_pline *ln = &p->lines[l];
    if (l + 1 < p->nlines) CHECK(fabs(ln->x1 - W) < 0.05); /* justified */
    CHECK(ln->x1 <= W + 0.05);                             /* never past the measure */
    const nb_pglyph *last = &p->glyphs[ln->g1 - 1];
    if (last->tn == 1 && last->t0 >= p->ntext) {
      hyphens++;
      CHECK(p->text[last->t0] == '-');
      /* the character before it is a letter, and so is the first of the next line */
      const nb_pglyph *prev = &p->glyphs[ln->g1 - 2];
      uint32_t c = p->text[prev->t0];
      CHECK((c | 32) >= 'a' && (c | 32) <= 'z');
    }
  }
  CHECK(hyphens >= 1);
  /* every source character is on some line, once */
  size_t chars = 0;
  for (size_t g = 0; g < p->nglyphs; g++)
    if (p->glyphs[g].t0 < p->ntext) chars += p->glyphs[g].tn;
  size_t spaces_dropped = 0;
  for (size_t i = 0; i < p->ntext; i++) spaces_dropped += p->text[i] == ' ';
  CHECK(chars + spaces_dropped >= p->ntext && chars <= p->ntext);
  nb_para_free(p);

  /* Times kerns "A " tighter: a line that ends in "A" still ends inside the measure */
  const char *k = "Statistics on national economic and social development. A column was set up.";
  nb_textseg seg2 = {k, strlen(k), &style->roles[NB_ROLE_BODY], 0, NULL, {"t", 1, 1}};
  for (double w = 300; w < 480; w += 3) {
    nb_parastyle ps2 = {.width = w, .align = NB_ALIGN_JUSTIFY};
    p = nb_para_layout(&tc, &seg2, 1, &ps2);
    for (size_t l = 0; l < p->nlines; l++) {
      const nb_pline *ln = &p->lines[l];
      const nb_pglyph *g = &p->glyphs[ln->g1 - 1];
      double right =
          g->x + hb_font_get_glyph_h_advance(g->font->hb, g->gid) * g->size / g->font->upem;
      CHECK(right <= w + 0.05);
    }
    nb_para_free(p);
  }
  nb_hyphen_free(tc.hyph);
  nb_fontdb_free(tc.db);
  nb_diags_free(&d);
  nb_arena_free(a);
  TEST_MAIN_END();
}
