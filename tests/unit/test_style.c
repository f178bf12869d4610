/* Layout resolution: sizes, geometry of the default layout, errors with positions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "style/style.h"

static const char *write_tmp(const char *name, const char *text) {
  static char path[256];
  snprintf(path, sizeof path, "/tmp/nb_test_style_%s", name);
  nb_write_file(path, text, strlen(text));
  return path;
}

int main(void) {
  double v;
  CHECK(nb_parse_font_size("三号", &v) && v == 16);
  CHECK(nb_parse_font_size("小四", &v) && v == 12);
  CHECK(nb_parse_font_size("10.5pt", &v) && v == 10.5);
  CHECK(!nb_parse_font_size("三號", &v));
  CHECK(nb_parse_length("37mm", 0, &v) && fabs(v - 104.882) < 0.01);
  CHECK(nb_parse_length("2em", 16, &v) && v == 32);
  CHECK(!nb_parse_length("2em", 0, &v));

  nb_arena *a = nb_arena_new();
  nb_diags d = {0};
  nb_style *s = nb_style_load(a, "gbt9704", &d);
  CHECK(s != NULL);
  if (s) {
    /* GB/T 9704: type area 156 × 225 mm, 22 lines × 28 characters */
    CHECK(fabs(nb_style_text_width(s) - 156 * NB_MM) < 0.01);
    CHECK(fabs(nb_style_text_height(s) - 225 * NB_MM) < 0.01);
    CHECK(fabs(nb_style_line_pitch(s) - 28.991) < 0.001);
    CHECK(fabs(nb_style_char_pitch(s) - 15.793) < 0.001);
    CHECK(fabs(nb_style_top(s) - 737.008) < 0.01);
    CHECK(s->roles[NB_ROLE_BODY].size == 16);
    CHECK(s->roles[NB_ROLE_TITLE].size == 22);
    CHECK(s->roles[NB_ROLE_PAGENUM].size == 14);
    CHECK_STR(s->roles[NB_ROLE_BODY].latin.names[1], "Liberation Serif");
  }
  CHECK_INT(d.errors, 0);
  nb_diags_free(&d);

  /* a layout that extends the default and overrides a few keys */
  const char *p = write_tmp(
      "ext.yaml", "extends: gbt9704\nroles:\n  body: {size: 小三}\ngrid: {chars: 0, lines: 0}\n");
  nb_diags d2 = {0};
  s = nb_style_load(a, p, &d2);
  CHECK(s && s->roles[NB_ROLE_BODY].size == 15 && s->grid_chars == 0);
  CHECK(s && s->roles[NB_ROLE_TITLE].size == 22);
  nb_diags_free(&d2);

  /* a misspelt key: an error at its position, with a suggestion */
  p = write_tmp("bad.yaml", "extends: gbt9704\nroles:\n  body: {szie: 三号}\n");
  nb_diags d3 = {0};
  s = nb_style_load(a, p, &d3);
  CHECK(s == NULL);
  CHECK(d3.n >= 1 && d3.v[0].pos.line == 3 && d3.v[0].pos.col == 10);
  CHECK(d3.n >= 1 && strstr(d3.v[0].msg, "did you mean 'size'"));
  nb_diags_free(&d3);

  p = write_tmp("bad2.yaml",
                "page: {size: a4, margin: {top: 37}}\nroles: {body: {font: [X], size: huge}}\n");
  nb_diags d4 = {0};
  s = nb_style_load(a, p, &d4);
  CHECK(s == NULL && d4.errors == 1 && d4.v[0].pos.line == 2);
  nb_diags_free(&d4);

  /* header variants for even and first pages; an unknown field is an error */
  p = write_tmp("band.yaml", "extends: gbt9704\nheader:\n  text: \"{title}\"\n  even: "
                             "[\"{issuer}\", \"{page}\"]\n  first: \"\"\n  align: outer\n");
  nb_diags d6 = {0};
  s = nb_style_load(a, p, &d6);
  CHECK(s && s->header.present && s->header.outer && s->header.first_page);
  CHECK(s && s->header.nlines == 1 && s->header.even.nlines == 2 && s->header.first.nlines == 1);
  CHECK(s && !strcmp(s->header.even.lines[1], "{page}"));
  nb_diags_free(&d6);
  p = write_tmp("badfield.yaml",
                "extends: gbt9704\nfooter:\n  text: [\"ok {page}\", \"{pgae}\"]\n");
  nb_diags d7 = {0};
  CHECK(nb_style_load(a, p, &d7) == NULL);
  CHECK(d7.n == 1 && d7.v[0].pos.line == 3 && strstr(d7.v[0].msg, "{pgae}"));
  nb_diags_free(&d7);

  /* named font lists come from the base too, and a redefinition wins */
  p = write_tmp("fonts.yaml", "extends: gbt9704\nfonts:\n  song: [MySong]\nroles:\n  body: {font: "
                              "song, latin: times}\n  h2: {font: kai}\n");
  nb_diags d8 = {0};
  s = nb_style_load(a, p, &d8);
  CHECK(s && !strcmp(s->roles[NB_ROLE_BODY].cjk.names[0], "MySong"));
  CHECK(s && !strcmp(s->roles[NB_ROLE_BODY].latin.names[0], "Times New Roman"));
  CHECK(s && !strcmp(s->roles[NB_ROLE_H2].cjk.names[0], "楷体_GB2312"));
  nb_diags_free(&d8);

  /* redefining a named list changes the roles of the base that use it by name */
  p = write_tmp("refonts.yaml",
                "extends: gbt9704\nfonts:\n  fangsong: [MyFang, Noto Serif CJK SC]\n");
  nb_diags d9 = {0};
  s = nb_style_load(a, p, &d9);
  CHECK(s && s->roles[NB_ROLE_BODY].cjk.n == 2 &&
        !strcmp(s->roles[NB_ROLE_BODY].cjk.names[0], "MyFang"));
  CHECK(s && !strcmp(s->roles[NB_ROLE_H3].cjk.names[0], "MyFang")); /* h3 is fangsong too */
  CHECK(s && !strcmp(s->roles[NB_ROLE_H1].cjk.names[0], "黑体"));   /* hei untouched */
  nb_diags_free(&d9);

  /* geometry that leaves no room for text is an error at the page or grid it comes from */
  {
    static const char *bad[][2] = {
        {"geo1.yaml", "extends: gbt9704\npage:\n  margin: {top: 200mm, bottom: 150mm}\n"},
        {"geo2.yaml", "extends: gbt9704\npage: {width: -10mm}\n"},
        {"geo3.yaml", "extends: gbt9704\ngrid: {chars: 60, lines: 22}\n"},
        {"geo4.yaml", "extends: gbt9704\ngrid: {chars: 28, lines: 80}\n"}};
    static const int line[] = {3, 2, 2, 2};
    for (int i = 0; i < 4; i++) {
      nb_diags dg = {0};
      CHECK(nb_style_load(a, write_tmp(bad[i][0], bad[i][1]), &dg) == NULL);
      CHECK(dg.errors == 1 && dg.v[0].pos.line == line[i]);
      nb_diags_free(&dg);
    }
  }

  /* texts with a Chinese and an English wording: a string sets both, {zh, en} each, an
   * unknown language key is an error with a suggestion */
  CHECK(s && !strcmp(s->table_continued.zh, "续表") &&
        !strcmp(s->table_continued.en, "(continued)"));
  nb_diags d10 = {0};
  s = nb_style_load(a,
                    write_tmp("cont.yaml", "extends: gbt9704\ntable: {continued: 接上表}\n"
                                           "watermark: {zh: 草稿, en: Draft}\n"),
                    &d10);
  CHECK(s && !strcmp(s->table_continued.zh, "接上表") && !strcmp(s->table_continued.en, "接上表"));
  CHECK(s && !strcmp(s->watermark.zh, "草稿") && !strcmp(s->watermark.en, "Draft"));
  nb_diags_free(&d10);
  nb_diags d11 = {0};
  CHECK(nb_style_load(a,
                      write_tmp("cont2.yaml", "extends: gbt9704\ntable:\n  continued: {zh: "
                                              "续表, eng: Continued}\n"),
                      &d11) == NULL);
  CHECK(d11.n == 1 && d11.v[0].pos.line == 3 && strstr(d11.v[0].msg, "did you mean 'en'"));
  nb_diags_free(&d11);

  /* the punctuation style, and a choice misspelt: the closest is suggested */
  CHECK(s && s->punct_style == NB_PUNCT_QUANJIAO);
  nb_diags d12 = {0};
  s = nb_style_load(a, write_tmp("punct.yaml", "extends: gbt9704\npunctuation: kaiming\n"), &d12);
  CHECK(s && s->punct_style == NB_PUNCT_KAIMING);
  CHECK(nb_style_load(a, write_tmp("punct2.yaml", "extends: gbt9704\npunctuation: banjaio\n"),
                      &d12) == NULL);
  CHECK(d12.n == 1 && d12.v[0].pos.line == 2 && strstr(d12.v[0].msg, "did you mean 'banjiao'"));
  nb_diags_free(&d12);

  nb_diags d5 = {0};
  CHECK(nb_style_load(a, "no-such-layout", &d5) == NULL && d5.errors == 1);
  nb_diags_free(&d5);
  nb_arena_free(a);
  TEST_MAIN_END();
}
