/* Font embedding: shape a string, embed the subset through libharu, and check the PDF
 * with poppler: extracted text, pdffonts' view, and the rendered glyphs against
 * FreeType's rendering of the full font (which catches wrong codes, i.e. wrong CIDs,
 * and wrong widths). NB_KEEP=1 keeps the PDFs (for pdfcheck by hand). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <ft2build.h>
#include FT_CID_H

#include "base/util.h"
#include "harness.h"
#include "pdf/fontembed.h"

/* Glyphs are big (SIZE pt = pixels at 72 dpi) so that poppler placing a glyph up to a
 * pixel off (it rounds positions) changes the comparison little. The page leaves room
 * for Noto's 1.8 em font box: MuPDF drops text whose box leaves the page. */
#define PAGE_W 2400
#define PAGE_H 400
#define SIZE 96
#define X0 36    /* pen start */
#define BASE 150 /* baseline, from the bottom of the page */

static FT_Library ftlib;
static char tmpdir[64];
static int have_poppler;

typedef struct {
  const char *label, *path;
  int index;
  const char *text;
  const char *type; /* as pdffonts prints it */
  int size;         /* font size in pt; 0 for SIZE, and only then the rendering is checked */
} font_case;

typedef struct {
  unsigned n;
  uint32_t gid[256], start[256], len[256];
  int32_t adv[256]; /* nominal advance in font units: what Tj moves by, no kerning */
  uint32_t *text;
  size_t ntext;
} shaped;

static int file_exists(const char *p) { return access(p, R_OK) == 0; }

static void shape(hb_face_t *face, const char *s, shaped *out) {
  hb_font_t *font = hb_font_create(face);
  hb_buffer_t *buf = hb_buffer_create();
  out->text = nb_utf8_to_u32(s, strlen(s), &out->ntext);
  hb_buffer_add_utf32(buf, out->text, (int)out->ntext, 0, -1);
  hb_buffer_guess_segment_properties(buf);
  hb_shape(font, buf, NULL, 0);
  unsigned n;
  hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(buf, &n);
  if (n > 256) n = 256;
  out->n = n;
  for (unsigned i = 0; i < n; i++) {
    out->gid[i] = gi[i].codepoint;
    out->adv[i] = hb_font_get_glyph_h_advance(font, gi[i].codepoint);
    /* LTR: a cluster's text runs up to the next glyph's cluster; glyphs after the first
     * in a cluster stand for nothing. */
    uint32_t c = gi[i].cluster, end = (uint32_t)out->ntext;
    for (unsigned j = i + 1; j < n; j++)
      if (gi[j].cluster != c) {
        end = gi[j].cluster;
        break;
      }
    int first = i == 0 || gi[i - 1].cluster != c;
    out->start[i] = c;
    out->len[i] = first ? end - c : 0;
  }
  hb_buffer_destroy(buf);
  hb_font_destroy(font);
}

/* Runs a shell command and returns its stdout (caller frees), NULL if it failed. */
static char *run(const char *cmd) {
  FILE *p = popen(cmd, "r");
  if (!p) return NULL;
  nb_buf b = {0};
  char tmp[4096];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, p)) > 0) nb_buf_add(&b, tmp, k);
  int rc = pclose(p);
  if (rc != 0) {
    nb_buf_free(&b);
    return NULL;
  }
  if (!b.s) nb_buf_add(&b, "", 1), b.n = 0;
  return b.s;
}

static int write_pdf(const char *out, int size, hb_face_t *face, FT_Face ft, const shaped *sh,
                     char *psname_out, size_t *count, uint16_t *codes) {
  nb_embfont *e = nb_embfont_new(face, ft);
  /* n=0 first must not block the real mapping that comes later; gid 0 is ignored. */
  if (sh->n) nb_embfont_use(e, sh->gid[0], NULL, 0);
  nb_embfont_use(e, 0, sh->text, 1);
  for (unsigned i = 0; i < sh->n; i++)
    nb_embfont_use(e, sh->gid[i], sh->text + sh->start[i], sh->len[i]);
  /* A later, different mapping for a gid loses. */
  if (sh->n) nb_embfont_use(e, sh->gid[0], (const uint32_t[]){'X'}, 1);
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetWidth(page, PAGE_W);
  HPDF_Page_SetHeight(page, PAGE_H);
  nb_diags d = {0};
  HPDF_Dict font = nb_embfont_write(e, pdf, &d);
  nb_diags_print(&d, stderr);
  CHECK(font != NULL);
  CHECK_INT(d.errors, 0);
  nb_diags_free(&d);
  int ok = 0;
  if (font) {
    const char *fn = HPDF_Page_GetLocalFontName(page, font);
    CHECK(fn != NULL);
    nb_buf cs = {0};
    nb_buf_printf(&cs, "BT /%s %d Tf %d %d Td <", fn ? fn : "F1", size, X0, BASE);
    for (unsigned i = 0; i < sh->n; i++) {
      codes[i] = nb_embfont_code(e, sh->gid[i]);
      nb_buf_printf(&cs, "%04X", codes[i]);
    }
    nb_buf_adds(&cs, "> Tj ET\n");
    HPDF_Stream_WriteStr(((HPDF_PageAttr)page->attr)->stream, cs.s);
    nb_buf_free(&cs);
    ok = HPDF_SaveToFile(pdf, out) == HPDF_OK;
    CHECK(ok);
  }
  *count = nb_embfont_glyph_count(e);
  const char *ps = FT_Get_Postscript_Name(ft);
  snprintf(psname_out, 64, "%s", ps ? ps : "");
  HPDF_Free(pdf);
  nb_embfont_free(e);
  return ok;
}

static unsigned char *read_pgm(const char *path, int *w, int *h) {
  size_t len;
  char *data = nb_read_file(path, &len);
  if (!data) return NULL;
  int maxv, off = 0;
  if (sscanf(data, "P5 %d %d %d%n", w, h, &maxv, &off) != 3 || maxv != 255 ||
      (size_t)off + 1 + (size_t)*w * *h > len) {
    free(data);
    return NULL;
  }
  unsigned char *px = nb_xmalloc((size_t)*w * *h);
  memcpy(px, data + off + 1, (size_t)*w * *h);
  free(data);
  return px;
}

/* Renders the shaped line with FreeType (full font, unhinted, like poppler's default)
 * and compares each glyph's cell with poppler's rendering of the PDF: normalized
 * cross-correlation of ink. Returns the worst value over glyphs with ink. */
static double compare_render(const char *pdfpath, FT_Face ft, const shaped *sh) {
  char cmd[512], pgm[256];
  snprintf(pgm, sizeof pgm, "%s/render", tmpdir);
  snprintf(cmd, sizeof cmd, "pdftoppm -q -r 72 -gray -singlefile %s %s", pdfpath, pgm);
  char *o = run(cmd);
  if (!o) return -2;
  free(o);
  strcat(pgm, ".pgm");
  int w, h;
  unsigned char *img = read_pgm(pgm, &w, &h);
  remove(pgm);
  if (!img || w != PAGE_W || h != PAGE_H) {
    free(img);
    return -3;
  }
  float *ref = nb_xcalloc((size_t)w * h, sizeof *ref);
  FT_Set_Char_Size(ft, 0, SIZE * 64, 72, 72);
  unsigned upem = ft->units_per_EM;
  double pen = X0;
  double *pens = nb_xmalloc((sh->n + 1) * sizeof *pens);
  for (unsigned i = 0; i < sh->n; i++) {
    pens[i] = pen;
    double fl = floor(pen);
    FT_Vector delta = {(FT_Pos)lround((pen - fl) * 64), 0};
    FT_Set_Transform(ft, NULL, &delta);
    if (!FT_Load_Glyph(ft, sh->gid[i], FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP | FT_LOAD_RENDER)) {
      FT_Bitmap *bm = &ft->glyph->bitmap;
      int x0 = (int)fl + ft->glyph->bitmap_left, y0 = (PAGE_H - BASE) - ft->glyph->bitmap_top;
      for (unsigned r = 0; r < bm->rows; r++)
        for (unsigned c = 0; c < bm->width; c++) {
          int x = x0 + (int)c, y = y0 + (int)r;
          if (x < 0 || y < 0 || x >= w || y >= h) continue;
          float v = bm->buffer[r * bm->pitch + c] / 255.0f;
          if (v > ref[y * w + x]) ref[y * w + x] = v;
        }
    }
    pen += sh->adv[i] * (double)SIZE / upem;
  }
  pens[sh->n] = pen;
  FT_Set_Transform(ft, NULL, NULL);
  double worst = 1;
  for (unsigned i = 0; i < sh->n; i++) {
    int xa = (int)floor(pens[i]), xb = NB_MIN((int)ceil(pens[i + 1]), w - 1);
    int ya = (PAGE_H - BASE) - SIZE, yb = (PAGE_H - BASE) + SIZE / 3;
    /* Poppler places glyphs this big on whole pixels: allow a pixel either way. */
    double ncc = -1, ink_a = 0, ink_b = 0;
    for (int dx = -1; dx <= 1; dx++) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, cnt = 0;
      for (int y = ya; y < yb; y++)
        for (int x = xa; x < xb; x++) {
          double a = 1 - img[y * w + x] / 255.0, b = ref[y * w + x + dx];
          sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b, cnt++;
        }
      double va = saa - sa * sa / cnt, vb = sbb - sb * sb / cnt, cov = sab - sa * sb / cnt;
      double r = va > 0 && vb > 0 ? cov / sqrt(va * vb) : 0;
      if (r > ncc) ncc = r;
      if (dx == 0) ink_a = sa, ink_b = sb;
    }
    if (ink_a < 20 && ink_b < 20) continue; /* a space: no ink but slivers of neighbours */
    if (ncc < worst) worst = ncc;
  }
  free(pens);
  free(ref);
  free(img);
  return worst;
}

static void test_font(const font_case *fc) {
  if (!file_exists(fc->path)) {
    printf("skip %s: %s is missing\n", fc->label, fc->path);
    return;
  }
  FT_Face ft;
  if (FT_New_Face(ftlib, fc->path, fc->index, &ft)) {
    printf("skip %s: FreeType cannot open face %d\n", fc->label, fc->index);
    return;
  }
  hb_blob_t *blob = hb_blob_create_from_file(fc->path);
  hb_face_t *face = hb_face_create(blob, (unsigned)fc->index);
  shaped sh = {0};
  shape(face, fc->text, &sh);
  int notdef = 0;
  for (unsigned i = 0; i < sh.n; i++) notdef |= sh.gid[i] == 0;
  CHECK(!notdef); /* the font covers the test string */

  char pdf1[128], pdf2[128], ps[64];
  snprintf(pdf1, sizeof pdf1, "%s/%s.pdf", tmpdir, fc->label);
  snprintf(pdf2, sizeof pdf2, "%s/%s-again.pdf", tmpdir, fc->label);
  size_t count = 0, count2 = 0;
  uint16_t codes[256], codes2[256];
  int size = fc->size ? fc->size : SIZE;
  int ok = write_pdf(pdf1, size, face, ft, &sh, ps, &count, codes);
  /* Determinism: the same font and glyphs give the same bytes. */
  if (ok && write_pdf(pdf2, size, face, ft, &sh, ps, &count2, codes2)) {
    size_t l1, l2;
    char *a = nb_read_file(pdf1, &l1), *b = nb_read_file(pdf2, &l2);
    CHECK(a && b && l1 == l2 && !memcmp(a, b, l1));
    free(a);
    free(b);
    remove(pdf2);
  }
  size_t distinct = 0;
  for (unsigned i = 0; i < sh.n; i++) {
    unsigned j = 0;
    while (j < i && sh.gid[j] != sh.gid[i]) j++;
    distinct += j == i;
  }
  CHECK_INT(count, distinct);

  /* CFF codes must be the CIDs (which hb-subset keeps), not the GIDs. */
  FT_Bool cidk = 0;
  if (!FT_Get_CID_Is_Internally_CID_Keyed(ft, &cidk) && cidk)
    for (unsigned i = 0; i < sh.n; i++) {
      FT_UInt cid = 0;
      FT_Get_CID_From_Glyph_Index(ft, sh.gid[i], &cid);
      CHECK_INT(codes[i], cid);
    }

  if (ok && have_poppler) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -q -enc UTF-8 %s -", pdf1);
    char *txt = run(cmd);
    CHECK(txt != NULL);
    if (txt) {
      size_t n = strlen(txt);
      while (n && strchr(" \n\f\r", txt[n - 1])) txt[--n] = 0;
      CHECK_STR(txt, fc->text);
      free(txt);
    }
    snprintf(cmd, sizeof cmd, "pdffonts %s", pdf1);
    char *fonts = run(cmd);
    CHECK(fonts != NULL);
    if (fonts) {
      char want[96];
      snprintf(want, sizeof want, "+%s ", ps);
      char *line = strstr(fonts, want);
      CHECK(line != NULL);
      if (line) {
        while (line > fonts && line[-1] != '\n') line--;
        char *eol = strchr(line, '\n');
        if (eol) *eol = 0;
        printf("%s: %s\n", fc->label, line);
        int tag_ok = 1;
        for (int i = 0; i < 6; i++) tag_ok &= line[i] >= 'A' && line[i] <= 'Z';
        CHECK(tag_ok && line[6] == '+');
        CHECK(strstr(line, fc->type) != NULL);
        CHECK(strstr(line, "Identity-H") != NULL);
        CHECK(strstr(line, "yes yes yes") != NULL);
      }
      free(fonts);
    }
    if (!fc->size) {
      double ncc = compare_render(pdf1, ft, &sh);
      printf("%s: %zu glyphs, worst glyph correlation with FreeType %.3f\n", fc->label, count, ncc);
      CHECK(ncc > 0.9);
    }
  }
  if (!getenv("NB_KEEP")) remove(pdf1);
  free(sh.text);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  FT_Done_Face(ft);
}

/* Edge cases that need no PDF reader. */
static void test_api(void) {
  const char *path = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf";
  if (!file_exists(path)) return;
  FT_Face ft;
  if (FT_New_Face(ftlib, path, 0, &ft)) return;
  hb_blob_t *blob = hb_blob_create_from_file(path);
  hb_face_t *face = hb_face_create(blob, 0);
  nb_embfont *e = nb_embfont_new(face, ft);
  nb_embfont_use(e, 0, NULL, 0);
  nb_embfont_use(e, 1u << 20, NULL, 0);
  CHECK_INT(nb_embfont_glyph_count(e), 0);
  {
    /* one glyph drawn for two texts (a space hidden for U+200B, then a space): the
     * ToUnicode map keeps the first, and the writer must mark the other use */
    nb_embfont *s = nb_embfont_new(face, ft);
    const uint32_t zwsp[] = {0x200B}, sp[] = {' '}, two[] = {' ', ' '};
    CHECK(nb_embfont_maps_to(s, 3, sp, 1)); /* not recorded yet */
    nb_embfont_use(s, 3, zwsp, 1);
    nb_embfont_use(s, 3, sp, 1);
    CHECK(nb_embfont_maps_to(s, 3, zwsp, 1));
    CHECK(!nb_embfont_maps_to(s, 3, sp, 1));
    CHECK(!nb_embfont_maps_to(s, 3, two, 2));
    CHECK(nb_embfont_maps_to(s, 3, NULL, 0)); /* the rest of a cluster */
    nb_embfont_free(s);
  }
  /* No glyphs at all still makes a valid (tiny) font. */
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  nb_diags d = {0};
  CHECK(nb_embfont_write(e, pdf, &d) != NULL);
  CHECK_INT(d.errors, 0);
  nb_diags_free(&d);
  HPDF_Free(pdf);
  nb_embfont_free(e);
  nb_embfont_free(NULL);
  /* A face with no outlines it can embed: an error, and libharu stays usable. */
  e = nb_embfont_new(hb_face_get_empty(), ft);
  pdf = HPDF_New(NULL, NULL);
  CHECK(nb_embfont_write(e, pdf, &d) == NULL);
  CHECK_INT(d.errors, 1);
  CHECK_INT(HPDF_GetError(pdf), HPDF_OK);
  nb_diags_free(&d);
  HPDF_Free(pdf);
  nb_embfont_free(e);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  FT_Done_Face(ft);
}

int main(void) {
  const char *fandol = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/";
  char fang[256];
  snprintf(fang, sizeof fang, "%sFandolFang-Regular.otf", fandol);
  /* ¥ – € are above GID 8895 in Fandol, where CID != GID; 𠮟 is outside the BMP. */
  const char *cjk = "政府信息公开，2019年（一）Office fi–€¥";
  /* 200 ideographs: ToUnicode needs two bfchar blocks of at most 100. */
  char many[800];
  size_t nmany = 0;
  for (uint32_t c = 0x4e00; c < 0x4e00 + 200; c++) nmany += nb_utf8_encode(c, many + nmany);
  many[nmany] = 0;
  font_case cases[] = {
      {"fandolfang", fang, 0, cjk, "CID Type 0C", 0},
      {"notoserifcjk", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2,
       "政府信息公开，2019年（一）Office fi–€¥𠮟", "CID Type 0C", 0},
      {"notoserifcjk-200", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, many,
       "CID Type 0C", 10},
      {"liberationserif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 0,
       "Office finance, 2019 (ffi) – naïve €¥", "CID TrueType", 0},
      /* Name-keyed CFF: no CIDs, codes are the subset's GIDs. */
      {"lmroman", "/usr/share/texmf/fonts/opentype/public/lm/lmroman10-italic.otf", 0,
       "Office finance, 2019 (ffi) – naïve €", "CID Type 0C", 0},
  };
  /* TrueType collections, if any is installed: the first one found. */
  const char *ttcs[] = {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                        "/usr/share/fonts/truetype/arphic/uming.ttc",
                        "/usr/share/fonts/truetype/arphic/ukai.ttc"};
  const char *ttc = NULL;
  for (size_t i = 0; i < sizeof ttcs / sizeof *ttcs && !ttc; i++)
    if (file_exists(ttcs[i])) ttc = ttcs[i];

  FT_Init_FreeType(&ftlib);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/nb_fontembed_XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  char *v = run("pdftotext -v 2>&1 && pdffonts -v 2>&1 && pdftoppm -v 2>&1");
  have_poppler = v != NULL;
  free(v);
  if (!have_poppler) printf("skip PDF reader checks: poppler-utils is missing\n");

  test_api();
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) test_font(&cases[i]);
  if (ttc) {
    font_case tc = {"ttc", ttc, 0, "政府信息公开，2019年（一）", "CID TrueType", 0};
    test_font(&tc);
  } else {
    printf("skip TrueType collection: none installed (wqy, arphic)\n");
  }
  if (getenv("NB_KEEP"))
    printf("PDFs kept in %s\n", tmpdir);
  else
    rmdir(tmpdir);
  FT_Done_FreeType(ftlib);
  TEST_MAIN_END();
}
