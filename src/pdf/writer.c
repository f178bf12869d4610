#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* M_PI */
#include "pdf/writer.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_pages.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include FT_OUTLINE_H

#include "pdf/flate.h"
#include "pdf/fontembed.h"
#include "pdf/image.h"
#include "pdf/pdfa.h"
#include "pdf/save.h"
#include "pdf/tags.h"

#define CREATOR_TOOL "nianbao " NB_VERSION

typedef struct wctx {
  HPDF_Doc pdf;
  nb_diags *d;
  int failed;
  nb_embfont **emb;    /* per font id */
  HPDF_Dict *fontdict; /* per font id */
  size_t nfonts;
  char fill[128]; /* the colour operators in force in the current content stream */
  /* text state in force in the current text object, so that it is set only when it changes */
  const char *tf_name;
  double tf_size, tc;
  nb_pdfa pdfa;
  nb_cache *cache; /* NULL: none */
  HPDF_Array cmyk; /* [/ICCBased profile] for CMYK JPEGs under an sRGB intent, made once */
  nb_tags *tags;   /* the marked content and structure tree */
  VEC(struct img {
    const char *path;
    HPDF_Image img;
  })
  images;
} wctx;

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user) {
  wctx *w = user;
  if (!w->failed)
    nb_error(w->d, ((nb_pos){0}), "PDF writer: libharu error 0x%04X (detail %u)", (unsigned)err,
             (unsigned)detail);
  w->failed = 1;
}

/* The draft mark (a grey glyph line): drawn as outlines, not as text. */
static int is_mark(const nb_item *it) { return it->kind == NB_ITEM_GLYPHS && it->fill_gray > 0; }

/* Operands: each number followed by a space, ready for the operator. */
static void nums(nb_buf *b, int n, const double *v) {
  for (int i = 0; i < n; i++) {
    nb_buf_num(b, v[i]);
    nb_buf_addc(b, ' ');
  }
}

/* pass 1: every glyph drawn, with the text it stands for, per font */
static void collect(wctx *w, const nb_pages *ps) {
  for (size_t p = 0; p < ps->pages.n; p++) {
    const nb_page *pg = &ps->pages.v[p];
    for (size_t i = 0; i < pg->items.n; i++) {
      const nb_item *it = &pg->items.v[i];
      if (it->kind != NB_ITEM_GLYPHS || is_mark(it)) continue; /* marks are outlines */
      const nb_pline *ln = &it->para->lines[it->line];
      for (size_t g = ln->g0; g < ln->g1; g++) {
        const nb_pglyph *G = &it->para->glyphs[g];
        nb_font *f = G->font;
        if (!w->emb[f->id]) {
          w->emb[f->id] = nb_embfont_new(f->face, f->ft);
          nb_embfont_cache(w->emb[f->id], w->cache, f->path, f->index);
        }
        nb_embfont_use(w->emb[f->id], G->gid, it->para->text + G->t0, G->tn);
      }
    }
  }
}

static double pdf_advance(const nb_font *f, uint32_t gid) {
  return hb_font_get_glyph_h_advance(f->hb, gid) * 1000.0 / f->upem;
}

/* Four hex digits: per glyph, where printf's cost showed in profiles. */
static void hex4(nb_buf *b, unsigned v) {
  static const char digits[] = "0123456789ABCDEF";
  char t[4] = {digits[v >> 12 & 15], digits[v >> 8 & 15], digits[v >> 4 & 15], digits[v & 15]};
  nb_buf_add(b, t, 4);
}

/* Whether the ToUnicode map gives a glyph the text it stands for here. */
static int maps_to(const wctx *w, const nb_para *p, const nb_pglyph *G) {
  return nb_embfont_maps_to(w->emb[G->font->id], G->gid, p->text + G->t0, G->tn);
}

/* UTF-16BE hex of code points, for a text string (surrogates and values past U+10FFFF,
 * which UTF-16 cannot hold, are left out). */
static void utf16_hex(nb_buf *b, const uint32_t *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t c = t[i];
    if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000)) continue;
    if (c >= 0x10000) {
      c -= 0x10000;
      hex4(b, 0xd800 + (c >> 10));
      hex4(b, 0xdc00 + (c & 0x3ff));
    } else
      hex4(b, c);
  }
}

/* A number with at most 5 decimals, the precision readers keep (ISO 32000-1 C.1) */
static void num5(nb_buf *b, double v) {
  if (fabs(v) < 5e-6) {
    nb_buf_addc(b, '0');
    return;
  }
  char t[48];
  int n = snprintf(t, sizeof t, "%.5f", v);
  while (t[n - 1] == '0') n--;
  if (t[n - 1] == '.') n--;
  nb_buf_add(b, t, (size_t)n);
}

/* The extra space (points) most common between the glyphs of a run: justification spaces
 * a line evenly, so one Tc replaces a TJ number between every two glyphs. Gaps are
 * compared at the precision Tc is written with. */
static long long gap_after(const nb_para *p, size_t k) {
  const nb_pglyph *A = &p->glyphs[k], *B = &p->glyphs[k + 1];
  return llround((B->x - A->x - pdf_advance(A->font, A->gid) * A->size / 1000.0) * 1e5);
}

typedef struct gap_at {
  long long gap;
  size_t at; /* the first glyph with this gap after it */
} gap_at;

static int by_gap(const void *a, const void *b) {
  const gap_at *x = a, *y = b;
  if (x->gap != y->gap) return x->gap < y->gap ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

/* The most common gap, the earliest on a tie; sorted, so that a run of glyphs with no
 * common gap (an overfull line of thousands of glyphs, whose float positions far from the
 * line start round differently) costs n log n, not n². */
static double run_tc(const nb_para *p, size_t g, size_t e) {
  if (e - g < 3) return 0;
  size_t n = e - g - 1;
  gap_at small[64], *a = n <= 64 ? small : nb_xmalloc(n * sizeof *a);
  for (size_t k = 0; k < n; k++) a[k] = (gap_at){gap_after(p, g + k), k};
  qsort(a, n, sizeof *a, by_gap);
  long long best = 0;
  size_t bestn = 0, best_at = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && a[j].gap == a[i].gap) j++;
    if (j - i > bestn || (j - i == bestn && a[i].at < best_at))
      best = a[i].gap, bestn = j - i, best_at = a[i].at;
    i = j;
  }
  if (a != small) free(a);
  return bestn >= 2 ? best / 1e5 : 0;
}

/* A line of glyphs as text objects: one Tm per font change, TJ with the exact gaps. */
static void text_line(wctx *w, HPDF_Page page, int pno, nb_buf *cs, const nb_item *it) {
  const nb_para *p = it->para;
  const nb_pline *ln = &p->lines[it->line];
  size_t g = ln->g0;
  while (g < ln->g1) {
    const nb_pglyph *G = &p->glyphs[g];
    size_t e = g + 1;
    const nb_role *role = p->segs[G->seg].role;
    /* a hyphen added at a line end stands beyond the paragraph's text: it is its own run,
     * marked as standing for nothing, so that copying and search join the word again */
    int added = G->tn && G->t0 >= p->ntext;
    /* a glyph that the ToUnicode map gives other text (it was first drawn for another
     * character) is its own run too, with its own text, and the rest of its cluster */
    int other = !added && !maps_to(w, p, G);
    /* a run-in heading's paragraph and a link's text start runs of their own: their marked
     * content does */
    int part = p->tag2 && G->seg >= p->seg2;
    const char *link = p->segs[G->seg].link;
    while (!added && e < ln->g1 && p->glyphs[e].font == G->font && p->glyphs[e].size == G->size &&
           p->glyphs[e].synth_bold == G->synth_bold && p->glyphs[e].y == G->y &&
           p->segs[p->glyphs[e].seg].role == role && p->glyphs[e].t0 < p->ntext &&
           (other ? p->glyphs[e].tn == 0 : maps_to(w, p, &p->glyphs[e])) &&
           (!p->tag2 || (p->glyphs[e].seg >= p->seg2) == part) &&
           p->segs[p->glyphs[e].seg].link == link)
      e++;
    nb_tags_text_seg(w->tags, cs, pno, p, G->seg);
    if (added) nb_buf_adds(cs, "/Span<</ActualText()>>BDC ");
    if (other) {
      nb_buf_adds(cs, "/Span<</ActualText<FEFF");
      utf16_hex(cs, p->text + G->t0, G->tn);
      nb_buf_adds(cs, ">>>BDC ");
    }
    /* colour: black as gray (K only in print), others as RGB (the output intent is sRGB) */
    char col[128];
    nb_color c = role ? role->color : (nb_color){0, 0, 0};
    if (it->fill_gray > 0)
      snprintf(col, sizeof col, "%.3g g %.3g G", it->fill_gray, it->fill_gray);
    else if (c.r == 0 && c.g == 0 && c.b == 0)
      snprintf(col, sizeof col, "0 g 0 G");
    else
      snprintf(col, sizeof col, "%.3g %.3g %.3g rg %.3g %.3g %.3g RG", c.r, c.g, c.b, c.r, c.g,
               c.b);
    if (strcmp(col, w->fill)) {
      nb_buf_printf(cs, "%s ", col);
      snprintf(w->fill, sizeof w->fill, "%s", col);
    }
    const char *fname = HPDF_Page_GetLocalFontName(page, w->fontdict[G->font->id]);
    if (!fname) {
      w->failed = 1;
      return;
    }
    if (fname != w->tf_name || G->size != w->tf_size) {
      nb_buf_printf(cs, "/%s ", fname);
      nb_buf_num(cs, G->size);
      nb_buf_adds(cs, " Tf ");
      w->tf_name = fname;
      w->tf_size = G->size;
    }
    if (e - g > 1) {
      double tc = run_tc(p, g, e);
      if (tc != w->tc) {
        num5(cs, tc);
        nb_buf_adds(cs, " Tc ");
        w->tc = tc;
      }
    }
    if (G->synth_bold) {
      /* no bold face: fill and stroke the outline, the usual synthetic bold */
      nb_buf_adds(cs, "2 Tr ");
      nb_buf_num(cs, G->size * 0.03);
      nb_buf_adds(cs, " w ");
    }
    if (it->angle != 0) {
      /* rotated about the item's origin (the draft mark) */
      double a = it->angle * M_PI / 180, ca = cos(a), sa = sin(a);
      double m[6] = {ca, sa, -sa, ca, it->x + G->x * ca - G->y * sa, it->y + G->x * sa + G->y * ca};
      nums(cs, 6, m);
    } else {
      double m[6] = {1, 0, 0, 1, it->x + G->x, it->y + G->y};
      nums(cs, 6, m);
    }
    nb_buf_adds(cs, "Tm [<");
    double pen = G->x; /* where the viewer's pen is, from the line start */
    for (size_t k = g; k < e; k++) {
      const nb_pglyph *K = &p->glyphs[k];
      double gap = (K->x - pen) * 1000.0 / K->size;
      if (k > g && fabs(gap) > 0.05) {
        nb_buf_adds(cs, "> ");
        nb_buf_num(cs, -gap);
        nb_buf_adds(cs, " <");
        pen = K->x;
      }
      hex4(cs, nb_embfont_code(w->emb[K->font->id], K->gid));
      pen += pdf_advance(K->font, K->gid) * K->size / 1000.0 + w->tc;
    }
    nb_buf_adds(cs, ">] TJ\n");
    if (added || other) nb_buf_adds(cs, "EMC ");
    if (G->synth_bold) nb_buf_adds(cs, "0 Tr ");
    g = e;
  }
}

/* The number of colour components in a JPEG's frame header; 0 when there is none. */
static int jpeg_components(const char *path) {
  size_t n = 0;
  unsigned char *j = (unsigned char *)nb_read_file(path, &n);
  int comps = 0;
  for (size_t i = 2; j && i + 9 < n && j[i] == 0xFF;) {
    unsigned mk = j[i + 1];
    if (mk == 0xFF) { /* fill byte */
      i++;
      continue;
    }
    if (mk >= 0xC0 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 && mk != 0xCC) {
      comps = j[i + 9];
      break;
    }
    i += 2 + ((size_t)j[i + 2] << 8 | j[i + 3]);
  }
  free(j);
  return comps;
}

/* PDF/A with an sRGB output intent allows no DeviceCMYK (ISO 19005-2 6.2.4.3), but an
 * ICCBased colour space with its own CMYK profile is fine: Ghostscript's generic CMYK
 * profile (libgs-common), embedded once per document. NULL when it is not installed. */
static HPDF_Array cmyk_space(wctx *w) {
  static const char *const paths[] = {"/usr/share/color/icc/ghostscript/default_cmyk.icc",
                                      "/usr/share/ghostscript/iccprofiles/default_cmyk.icc"};
  if (w->cmyk) return w->cmyk;
  size_t n = 0;
  char *icc = NULL;
  for (size_t i = 0; i < sizeof paths / sizeof *paths && !icc; i++)
    icc = nb_read_file(paths[i], &n);
  /* an ICC profile whose data colour space is 'CMYK' */
  if (!icc || n < 132 || memcmp(icc + 36, "acsp", 4) || memcmp(icc + 16, "CMYK", 4)) {
    free(icc);
    return NULL;
  }
  HPDF_Dict prof = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
  size_t zn = 0;
  unsigned char *z = prof ? nb_deflate(icc, n, &zn) : NULL;
  if (z) {
    HPDF_Stream_Write(prof->stream, z, (HPDF_UINT)zn);
    HPDF_Dict_AddNumber(prof, "N", 4);
    nb_pdf_mark_flated(prof);
    w->cmyk = HPDF_Array_New(w->pdf->mmgr);
    HPDF_Array_AddName(w->cmyk, "ICCBased");
    HPDF_Array_Add(w->cmyk, prof);
  }
  free(z);
  free(icc);
  return w->cmyk;
}

static HPDF_Image image(wctx *w, const char *path) {
  for (size_t i = 0; i < w->images.n; i++)
    if (!strcmp(w->images.v[i].path, path)) return w->images.v[i].img;
  FILE *f = fopen(path, "rb");
  unsigned char m[4] = {0};
  if (f) {
    if (fread(m, 1, 4, f) != 4) m[0] = 0;
    fclose(f);
  }
  HPDF_Image img = NULL;
  int reported = 0;
  if (m[0] == 0x89 && m[1] == 'P') {
    img = nb_pdf_load_png(w->pdf, path, w->cache, w->d);
    reported = 1;
  } else if (m[0] == 0xFF && m[1] == 0xD8) {
    /* libharu passes the JPEG through: a CMYK one would be DeviceCMYK, which an sRGB
     * output intent does not allow (ISO 19005-2 6.2.4.3) */
    int cmyk = w->pdfa != NB_PDFA_NONE && jpeg_components(path) == 4;
    HPDF_Array space = cmyk ? cmyk_space(w) : NULL;
    if (cmyk && !space) {
      nb_error(w->d, ((nb_pos){path, 0, 0}),
               "CMYK JPEG in a PDF/A file whose output intent is sRGB, and no CMYK ICC profile "
               "to describe it (install libgs-common, convert the image to RGB, or build with "
               "--pdfa none)");
      reported = 1;
    } else {
      img = HPDF_LoadJpegImageFromFile(w->pdf, path);
      if (img && space) HPDF_Dict_Add(img, "ColorSpace", space); /* was DeviceCMYK */
    }
  }
  if (!img) {
    if (!reported)
      nb_error(w->d, ((nb_pos){path, 0, 0}), "cannot embed this image (JPEG or PNG expected)");
    w->failed = 1;
  }
  struct img e = {path, img};
  VEC_PUSH(w->images, e);
  return img;
}

/* URIs are 7-bit ASCII (ISO 32000-1 12.6.4.7): bytes of non-ASCII characters, spaces and
 * controls are percent-encoded, as RFC 3987 maps an IRI to a URI. */
static void uri_ascii(nb_buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
    if (*p <= 32 || *p >= 127)
      nb_buf_printf(b, "%%%02X", *p);
    else
      nb_buf_addc(b, (char)*p);
}

/* ---- the draft mark as outlines ----
 * Drawn as filled glyph outlines, not text: copying, search and screen readers get the
 * report's text without 征求意见稿 in the middle of it, and text checks see no glyphs
 * colliding with the mark under them. */
typedef struct outline_ctx {
  nb_buf *b;
  FT_Vector last;
} outline_ctx;

static void pt(nb_buf *b, const FT_Vector *v) {
  nums(b, 2, (double[]){(double)v->x, (double)v->y});
}

static int o_move(const FT_Vector *to, void *u) {
  outline_ctx *o = u;
  pt(o->b, to);
  nb_buf_adds(o->b, "m ");
  o->last = *to;
  return 0;
}

static int o_line(const FT_Vector *to, void *u) {
  outline_ctx *o = u;
  pt(o->b, to);
  nb_buf_adds(o->b, "l ");
  o->last = *to;
  return 0;
}

static int o_conic(const FT_Vector *c, const FT_Vector *to, void *u) {
  outline_ctx *o = u;
  /* a quadratic Bézier as the cubic with the same curve */
  FT_Vector c1 = {o->last.x + 2 * (c->x - o->last.x) / 3, o->last.y + 2 * (c->y - o->last.y) / 3};
  FT_Vector c2 = {to->x + 2 * (c->x - to->x) / 3, to->y + 2 * (c->y - to->y) / 3};
  pt(o->b, &c1);
  pt(o->b, &c2);
  pt(o->b, to);
  nb_buf_adds(o->b, "c ");
  o->last = *to;
  return 0;
}

static int o_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *u) {
  outline_ctx *o = u;
  pt(o->b, c1);
  pt(o->b, c2);
  pt(o->b, to);
  nb_buf_adds(o->b, "c ");
  o->last = *to;
  return 0;
}

static void outlined_line(nb_buf *cs, const nb_item *it) {
  static const FT_Outline_Funcs funcs = {o_move, o_line, o_conic, o_cubic, 0, 0};
  const nb_pline *ln = &it->para->lines[it->line];
  double a = it->angle * M_PI / 180, ca = cos(a), sa = sin(a);
  nb_buf_printf(cs, "q %.3g g\n", it->fill_gray);
  for (size_t g = ln->g0; g < ln->g1; g++) {
    const nb_pglyph *G = &it->para->glyphs[g];
    FT_Face ft = G->font->ft;
    if (FT_Load_Glyph(ft, G->gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) ||
        ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
      continue;
    double sc = G->size / G->font->upem;
    nb_buf_adds(cs, "q ");
    double m[6] = {sc * ca,
                   sc * sa,
                   -sc * sa,
                   sc * ca,
                   it->x + G->x * ca - G->y * sa,
                   it->y + G->x * sa + G->y * ca};
    nums(cs, 6, m);
    nb_buf_adds(cs, "cm ");
    outline_ctx o = {cs, {0, 0}};
    FT_Outline_Decompose(&ft->glyph->outline, &funcs, &o);
    nb_buf_adds(cs, "f Q\n");
  }
  nb_buf_adds(cs, "Q\n");
}

static void write_page(wctx *w, const nb_page *pg, int pno) {
  HPDF_Page page = HPDF_AddPage(w->pdf);
  HPDF_Page_SetWidth(page, (HPDF_REAL)pg->w);
  HPDF_Page_SetHeight(page, (HPDF_REAL)pg->h);
  nb_buf cs = {0};
  /* the draft mark, shading and rules are artifacts, not content */
  nb_tags_open_artifact(&cs);
  /* the draft mark under everything */
  for (size_t i = 0; i < pg->items.n; i++)
    if (is_mark(&pg->items.v[i])) outlined_line(&cs, &pg->items.v[i]);
  /* filled rectangles (table header shading) under everything else, in their gray */
  for (size_t i = 0; i < pg->items.n; i++) {
    const nb_item *it = &pg->items.v[i];
    if (it->kind != NB_ITEM_RECT) continue;
    nb_buf_printf(&cs, "q %.3g g ", it->gray);
    nums(&cs, 4, (double[]){it->x, it->y, it->w, it->h});
    nb_buf_adds(&cs, "re f Q\n");
  }
  /* rules first, text over them */
  int any_rule = 0;
  for (size_t i = 0; i < pg->items.n; i++) {
    const nb_item *it = &pg->items.v[i];
    if (it->kind != NB_ITEM_LINE) continue;
    if (!any_rule) nb_buf_adds(&cs, "0 G 0 J\n");
    any_rule = 1;
    nb_color c = it->color;
    int coloured = c.r != 0 || c.g != 0 || c.b != 0;
    if (coloured) nb_buf_printf(&cs, "q %.3g %.3g %.3g RG ", c.r, c.g, c.b);
    nums(&cs, 1, &it->width);
    nb_buf_adds(&cs, "w ");
    nums(&cs, 2, (double[]){it->x, it->y});
    nb_buf_adds(&cs, "m ");
    nums(&cs, 2, (double[]){it->x2, it->y2});
    nb_buf_adds(&cs, coloured ? "l S Q\n" : "l S\n");
  }
  nb_tags_close(&cs);
  nb_buf_adds(&cs, "BT 0 g 0 G\n");
  snprintf(w->fill, sizeof w->fill, "0 g 0 G");
  w->tf_name = NULL;
  w->tc = 0;
  for (size_t i = 0; i < pg->items.n; i++)
    if (pg->items.v[i].kind == NB_ITEM_GLYPHS && !is_mark(&pg->items.v[i])) {
      nb_tags_open_text(w->tags, &cs, pno, &pg->items.v[i]);
      text_line(w, page, pno, &cs, &pg->items.v[i]);
      nb_tags_close_text(w->tags, &cs);
    }
  nb_buf_adds(&cs, "ET\n");
  HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
  HPDF_Stream_Write(st, (const HPDF_BYTE *)cs.s, (HPDF_UINT)cs.n);
  for (size_t i = 0; i < pg->items.n; i++) {
    const nb_item *it = &pg->items.v[i];
    if (it->kind != NB_ITEM_IMAGE) continue;
    HPDF_Image img = image(w, it->image);
    if (!img) continue;
    cs.n = 0;
    nb_tags_open_image(w->tags, &cs, pno, it);
    HPDF_Stream_Write(st, (const HPDF_BYTE *)cs.s, (HPDF_UINT)cs.n);
    HPDF_Page_DrawImage(page, img, (HPDF_REAL)it->x, (HPDF_REAL)it->y, (HPDF_REAL)it->w,
                        (HPDF_REAL)it->h);
    HPDF_Stream_WriteStr(st, "EMC\n");
  }
  nb_buf_free(&cs);
  for (size_t i = 0; i < pg->links.n; i++) {
    const nb_link *l = &pg->links.v[i];
    /* on the page only: an overfull line's link may reach past it, even past the ±32767
     * libharu allows for a real, and what lies off the page cannot be clicked anyway */
    double x0 = fmax(l->x0, 0), y0 = fmax(l->y0, 0), x1 = fmin(l->x1, pg->w),
           y1 = fmin(l->y1, pg->h);
    if (!(x1 > x0 && y1 > y0)) continue;
    HPDF_Rect r = {(HPDF_REAL)x0, (HPDF_REAL)y0, (HPDF_REAL)x1, (HPDF_REAL)y1};
    nb_buf uri = {0};
    uri_ascii(&uri, l->uri);
    HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, r, uri.s ? uri.s : "");
    nb_buf_free(&uri);
    if (!a) continue;
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_Dict_AddNumber(a, "F", 4); /* printable: PDF/A wants it */
    /* what the link is, for screen readers; and its place in the structure tree */
    HPDF_Dict_Add(a, "Contents",
                  HPDF_String_New(w->pdf->mmgr, l->uri, HPDF_GetEncoder(w->pdf, "UTF-8")));
    nb_tags_link(w->tags, a, pno, l->para, l->seg);
  }
}

static HPDF_Page page_at(HPDF_Doc pdf, int index) {
  return (HPDF_Page)HPDF_List_ItemAt(pdf->page_list, (HPDF_UINT)index);
}

static void outline(wctx *w, const nb_pages *ps) {
  HPDF_Encoder enc = HPDF_GetEncoder(w->pdf, "UTF-8");
  HPDF_Outline parents[6] = {0};
  for (size_t i = 0; i < ps->outline.n; i++) {
    const nb_outline *o = &ps->outline.v[i];
    int lv = o->level < 1 ? 1 : o->level > 5 ? 5 : o->level;
    HPDF_Outline parent = NULL;
    for (int k = lv - 1; k >= 1 && !parent; k--) parent = parents[k];
    HPDF_Outline it = HPDF_CreateOutline(w->pdf, parent, o->title, enc);
    if (!it) continue;
    HPDF_Page page = page_at(w->pdf, o->page);
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    /* [page /XYZ left top null]: keep the reader's zoom (libharu's setter insists on one) */
    HPDF_Array_Clear(dst);
    HPDF_Array_Add(dst, page);
    HPDF_Array_AddName(dst, "XYZ");
    HPDF_Array_AddNumber(dst, 0);
    HPDF_Array_AddReal(dst, (HPDF_REAL)o->y);
    HPDF_Array_Add(dst, HPDF_Null_New(w->pdf->mmgr));
    HPDF_Outline_SetDestination(it, dst);
    HPDF_Outline_SetOpened(it, HPDF_TRUE);
    parents[lv] = it;
    for (int k = lv + 1; k < 6; k++) parents[k] = NULL;
  }
}

/* The date string set directly: libharu's setter appends an offset ("Z00'00'") after Z. */
static void date_attr(HPDF_Doc pdf, const char *key, long long epoch) {
  char s[18];
  nb_pdf_date(epoch, s);
  if (pdf->info) HPDF_Dict_Add(pdf->info, key, HPDF_String_New(pdf->mmgr, s, NULL));
}

static void metadata(wctx *w, const nb_pdfinfo *info, size_t npages) {
  HPDF_Doc pdf = w->pdf;
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  if (info->title) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, info->title);
  if (info->author) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, info->author);
  if (info->subject) HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, info->subject);
  if (info->keywords) HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, info->keywords);
  HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, CREATOR_TOOL);
  date_attr(pdf, "CreationDate", info->epoch);
  date_attr(pdf, "ModDate", info->epoch);
  HPDF_Dict cat = pdf->catalog;
  if (info->lang) HPDF_Dict_Add(cat, "Lang", HPDF_String_New(pdf->mmgr, info->lang, NULL));
  HPDF_Dict vp = HPDF_Dict_New(pdf->mmgr);
  HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
  HPDF_Dict_Add(cat, "ViewerPreferences", vp);
  HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (npages) HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
  /* the conformance level changes the bytes, so it is part of the file's identity */
  HPDF_BYTE fid[16];
  HPDF_MD5_CTX ctx;
  HPDF_MD5Init(&ctx);
  HPDF_MD5Update(&ctx, info->id, 16);
  const char *level = info->pdfa == NB_PDFA_2B   ? "pdfa-2b"
                      : info->pdfa == NB_PDFA_3B ? "pdfa-3b"
                                                 : "";
  HPDF_MD5Update(&ctx, (const HPDF_BYTE *)level, (HPDF_UINT32)strlen(level));
  if (*level && info->pdfa_level == 'A') HPDF_MD5Update(&ctx, (const HPDF_BYTE *)"a", 1);
  HPDF_MD5Final(fid, &ctx);
  HPDF_Array id = HPDF_Array_New(pdf->mmgr);
  HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, fid, 16));
  HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, fid, 16));
  HPDF_Dict_Add(pdf->trailer, "ID", id);
}

int nb_pdf_write(const nb_pages *ps, nb_fontdb *db, const nb_pdfinfo *info, const char *path,
                 nb_diags *d) {
  wctx w = {.d = d, .pdfa = info->pdfa};
  w.pdf = HPDF_New(on_error, &w);
  if (!w.pdf) {
    nb_error(d, ((nb_pos){0}), "cannot create a PDF document");
    return 0;
  }
  w.pdf->pdf_version = HPDF_VER_17;
  HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(w.pdf);
  w.cache = nb_cache_open();
  w.nfonts = nb_fontdb_count(db);
  w.emb = nb_xcalloc(w.nfonts + 1, sizeof *w.emb);
  w.fontdict = nb_xcalloc(w.nfonts + 1, sizeof *w.fontdict);
  collect(&w, ps);
  for (size_t i = 0; i < w.nfonts && !w.failed; i++)
    if (w.emb[i]) {
      w.fontdict[i] = nb_embfont_write(w.emb[i], w.pdf, d);
      if (!w.fontdict[i]) w.failed = 1;
    }
  w.tags = nb_tags_new(ps);
  for (size_t p = 0; p < ps->pages.n && !w.failed; p++) write_page(&w, &ps->pages.v[p], (int)p);
  if (!w.failed && !nb_tags_write(w.tags, w.pdf)) {
    nb_error(d, ((nb_pos){0}), "cannot write the structure tree (libharu 0x%04lX)",
             (unsigned long)HPDF_GetError(w.pdf));
    w.failed = 1;
  }
  if (!w.failed) outline(&w, ps);
  if (!w.failed) metadata(&w, info, ps->pages.n);
  if (!w.failed && !nb_pdfa_finish(w.pdf, info, CREATOR_TOOL, d)) w.failed = 1;
  if (!w.failed) nb_pdf_flate_best(w.pdf);
  int ok = 0;
  if (!w.failed) {
    /* a temporary file beside the target, renamed only when complete */
    nb_buf tmp = {0};
    nb_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp.s, "wb");
    int saved = f && nb_pdf_save(w.pdf, f);
    if (f && fclose(f) != 0) saved = 0;
    if (saved && !w.failed) {
      if (rename(tmp.s, path) == 0)
        ok = 1;
      else
        nb_error(d, ((nb_pos){path, 0, 0}), "cannot write the output: %s", strerror(errno));
    } else if (!w.failed)
      nb_error(d, ((nb_pos){path, 0, 0}), "cannot write the output");
    if (!ok) remove(tmp.s);
    nb_buf_free(&tmp);
  }
  for (size_t i = 0; i < w.nfonts; i++) nb_embfont_free(w.emb[i]);
  free(w.emb);
  free(w.fontdict);
  free(w.images.v);
  nb_tags_free(w.tags);
  nb_cache_close(w.cache);
  HPDF_Free(w.pdf);
  return ok;
}
