#include "pdf/fontembed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hpdf_doc.h>
#include <zlib.h>
#include FT_CID_H
#include FT_TRUETYPE_TABLES_H

#include "base/util.h"
#include "pdf/flate.h"
#include "pdf/hpdfx.h"

/* A ToUnicode destination is at most 512 bytes (ISO 32000-1 9.10.3): 256 UTF-16 units. */
#define MAX_TEXT 256

typedef struct {
  uint32_t gid;      /* in the full font */
  uint32_t text_off; /* into nb_embfont.text */
  uint32_t text_n;
  uint16_t code; /* set by nb_embfont_write */
  int32_t adv;   /* advance in font units, set by nb_embfont_write */
  int implicit;  /* added by nb_embfont_write, not by a caller */
} emb_glyph;

struct nb_embfont {
  hb_face_t *face;
  FT_Face ft;
  unsigned num_glyphs;
  hb_map_t *index; /* gid -> position in glyphs */
  VEC(emb_glyph) glyphs;
  VEC(uint32_t) text;
  nb_cache *cache; /* borrowed; with the font file's path and face index for the key */
  char *src_path;
  int src_index;
};

nb_embfont *nb_embfont_new(hb_face_t *face, FT_Face ft) {
  nb_embfont *e = nb_xcalloc(1, sizeof *e);
  e->face = face;
  e->ft = ft;
  e->num_glyphs = hb_face_get_glyph_count(face);
  e->index = hb_map_create();
  return e;
}

void nb_embfont_free(nb_embfont *e) {
  if (!e) return;
  hb_map_destroy(e->index);
  free(e->glyphs.v);
  free(e->text.v);
  free(e->src_path);
  free(e);
}

size_t nb_embfont_glyph_count(const nb_embfont *e) {
  size_t n = 0;
  for (size_t i = 0; e && i < e->glyphs.n; i++) n += !e->glyphs.v[i].implicit;
  return n;
}

static void set_text(nb_embfont *e, emb_glyph *g, const uint32_t *text, size_t n) {
  if (n > MAX_TEXT) n = MAX_TEXT;
  g->text_off = (uint32_t)e->text.n;
  g->text_n = (uint32_t)n;
  VEC_GROW(e->text, e->text.n + n);
  memcpy(e->text.v + e->text.n, text, n * sizeof *text);
  e->text.n += n;
}

void nb_embfont_use(nb_embfont *e, uint32_t gid, const uint32_t *text, size_t n) {
  if (!e || gid == 0 || gid >= e->num_glyphs) return;
  if (!text) n = 0;
  hb_codepoint_t i = hb_map_get(e->index, gid);
  if (i != HB_MAP_VALUE_INVALID) {
    emb_glyph *g = &e->glyphs.v[i];
    if (g->text_n == 0 && n) set_text(e, g, text, n);
    return;
  }
  emb_glyph g = {gid, 0, 0, 0, 0, 0};
  if (n) set_text(e, &g, text, n);
  hb_map_set(e->index, gid, (hb_codepoint_t)e->glyphs.n);
  if (!hb_map_allocation_successful(e->index)) {
    fputs("nianbao: out of memory\n", stderr);
    abort();
  }
  VEC_PUSH(e->glyphs, g);
}

int nb_embfont_maps_to(const nb_embfont *e, uint32_t gid, const uint32_t *text, size_t n) {
  if (!e || !text || !n) return 1;
  hb_codepoint_t i = hb_map_get(e->index, gid);
  if (i == HB_MAP_VALUE_INVALID) return 1;
  const emb_glyph *g = &e->glyphs.v[i];
  size_t m = n > MAX_TEXT ? MAX_TEXT : n;
  return g->text_n == m && !memcmp(e->text.v + g->text_off, text, m * sizeof *text);
}

uint16_t nb_embfont_code(const nb_embfont *e, uint32_t gid) {
  if (!e) return 0;
  hb_codepoint_t i = hb_map_get(e->index, gid);
  return i == HB_MAP_VALUE_INVALID ? 0 : e->glyphs.v[i].code;
}

/* ---- helpers ---------------------------------------------------------------------- */

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static int cmp_code(const void *a, const void *b) {
  const emb_glyph *x = *(const emb_glyph *const *)a, *y = *(const emb_glyph *const *)b;
  return (x->code > y->code) - (x->code < y->code);
}

static int has_table(hb_face_t *face, const char tag[4]) {
  hb_blob_t *b = hb_face_reference_table(face, HB_TAG(tag[0], tag[1], tag[2], tag[3]));
  int r = hb_blob_get_length(b) > 0;
  hb_blob_destroy(b);
  return r;
}

/* The PostScript name, restricted to the characters PostScript allows in it (no PDF
 * delimiters, no spaces) and to its 63-byte limit, so "TAG+name" is a valid PDF name. */
static void ps_name(FT_Face ft, char out[64]) {
  const char *s = FT_Get_Postscript_Name(ft);
  if (!s || !*s) s = ft->family_name;
  if (!s || !*s) s = "Font";
  size_t n = 0;
  for (; *s && n < 63; s++) {
    unsigned char c = (unsigned char)*s;
    if (c > 32 && c < 127 && !strchr("[](){}<>/%#", c)) out[n++] = (char)c;
  }
  if (!n) memcpy(out, "Font", n = 4);
  out[n] = 0;
}

/* FNV-1a over the name and the sorted glyph set, then a final mix: the same font and
 * glyphs always give the same tag, and different subsets practically never share one. */
static void subset_tag(const char *name, const uint32_t *gids, size_t n, char tag[7]) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const char *p = name; *p; p++) h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
  h = (h ^ 0xff) * 0x100000001b3ull;
  for (size_t i = 0; i < n; i++)
    for (int k = 0; k < 32; k += 8) h = (h ^ ((gids[i] >> k) & 0xff)) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  for (int i = 0; i < 6; i++) {
    tag[i] = (char)('A' + h % 26);
    h /= 26;
  }
  tag[6] = 0;
}

/* Font units to 1/1000 em: an integer when exact, else a real (libharu prints 5
 * decimals), so widths match the font program. NULL (which libharu's Add functions
 * report as an error) when out of memory. */
static void *width_obj(HPDF_MMgr mmgr, int32_t v, unsigned upem) {
  long long m = (long long)v * 1000;
  if (m % (long long)upem == 0) return HPDF_Number_New(mmgr, (HPDF_INT32)(m / (long long)upem));
  return HPDF_Real_New(mmgr, (HPDF_REAL)((double)m / upem));
}

static HPDF_INT32 units(double v, unsigned upem) { return (HPDF_INT32)lround(v * 1000.0 / upem); }

/* Length of the run of consecutive codes with equal widths starting at s[i]. */
static size_t equal_run(emb_glyph **s, size_t n, size_t i) {
  size_t j = i + 1;
  while (j < n && s[j]->code == s[j - 1]->code + 1 && s[j]->adv == s[i]->adv) j++;
  return j - i;
}

/* W array (9.7.4.3) for the glyphs (sorted by code) whose width is not dw: runs of 2 or
 * more equal widths as "first last w", other consecutive codes as "first [w1 w2 ...]".
 * Adds nothing to `cid` when every width is dw. */
static HPDF_STATUS add_w(HPDF_Dict cid, HPDF_MMgr mmgr, emb_glyph **all, size_t nall, int32_t dw,
                         unsigned upem) {
  emb_glyph **s = nb_xmalloc((nall + 1) * sizeof *s);
  size_t n = 0;
  for (size_t i = 0; i < nall; i++)
    if (all[i]->adv != dw) s[n++] = all[i];
  HPDF_Array w = n ? HPDF_Array_New(mmgr) : NULL;
  HPDF_STATUS st = n ? HPDF_Dict_Add(cid, "W", w) : HPDF_OK; /* Dict_Add checks for NULL */
  size_t i = 0;
  while (i < n && st == HPDF_OK) {
    size_t run = equal_run(s, n, i);
    if (run >= 2) {
      st |= HPDF_Array_AddNumber(w, s[i]->code);
      st |= HPDF_Array_AddNumber(w, s[i + run - 1]->code);
      st |= HPDF_Array_Add(w, width_obj(mmgr, s[i]->adv, upem));
      i += run;
      continue;
    }
    HPDF_Array ws = HPDF_Array_New(mmgr);
    if (!ws) {
      st = HPDF_FAILD_TO_ALLOC_MEM;
      break;
    }
    st |= HPDF_Array_AddNumber(w, s[i]->code);
    st |= HPDF_Array_Add(w, ws);
    size_t start = i;
    /* Break the list where a run of 3 equal widths starts: the range form is shorter. */
    while (i < n && (i == start || s[i]->code == s[i - 1]->code + 1) &&
           (i == start || equal_run(s, n, i) < 3))
      st |= HPDF_Array_Add(ws, width_obj(mmgr, s[i++]->adv, upem));
  }
  free(s);
  return st;
}

static void hex4(nb_buf *b, unsigned v) {
  static const char digits[] = "0123456789ABCDEF";
  char t[4] = {digits[v >> 12 & 15], digits[v >> 8 & 15], digits[v >> 4 & 15], digits[v & 15]};
  nb_buf_add(b, t, 4);
}

/* Appends the UTF-16BE hex of a glyph's text; returns the number of units written.
 * Surrogates and values beyond U+10FFFF cannot be encoded and are left out. */
static size_t utf16_hex(nb_buf *b, const uint32_t *t, size_t n) {
  size_t units = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = t[i];
    if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000)) continue;
    if (c >= 0x10000) {
      if (units + 2 > MAX_TEXT) break;
      c -= 0x10000;
      hex4(b, 0xd800 + (c >> 10));
      hex4(b, 0xdc00 + (c & 0x3ff));
      units += 2;
    } else {
      if (units + 1 > MAX_TEXT) break;
      hex4(b, c);
      units++;
    }
  }
  return units;
}

/* The ToUnicode CMap (9.10.3) in bfchar blocks of at most 100 entries. */
static void make_tounicode(nb_embfont *e, emb_glyph **s, size_t n, nb_buf *out) {
  nb_buf_adds(out, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  nb_buf entries = {0}, one = {0};
  size_t count = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n) {
      one.n = 0;
      if (!utf16_hex(&one, e->text.v + s[i]->text_off, s[i]->text_n)) continue;
      nb_buf_addc(&entries, '<');
      hex4(&entries, s[i]->code);
      nb_buf_adds(&entries, "> <");
      nb_buf_add(&entries, one.s, one.n);
      nb_buf_adds(&entries, ">\n");
      count++;
    }
    if (count == 100 || (i == n && count)) {
      nb_buf_printf(out, "%zu beginbfchar\n", count);
      nb_buf_add(out, entries.s, entries.n);
      nb_buf_adds(out, "endbfchar\n");
      entries.n = 0;
      count = 0;
    }
  }
  nb_buf_free(&entries);
  nb_buf_free(&one);
  nb_buf_adds(out, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* Codes for a CFF subset: the CIDs in the subset's own charset, which is what readers
 * map codes through. hb-subset 6.0 keeps the full font's CIDs there (Fandol: CID 22354
 * for GID 9199), but reading them back from the subset makes that an observation rather
 * than an assumption. A name-keyed CFF has no CIDs: readers then take codes as GIDs.
 * A private FT_Library keeps this safe when other threads use the caller's. */
static int cff_codes(nb_embfont *e, const hb_map_t *o2n, const char *data, unsigned len,
                     int *cid_keyed) {
  FT_Library lib;
  FT_Face sf;
  if (FT_Init_FreeType(&lib)) return 0;
  if (FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)len, 0, &sf)) {
    FT_Done_FreeType(lib);
    return 0;
  }
  FT_Bool ck = 0;
  if (FT_Get_CID_Is_Internally_CID_Keyed(sf, &ck)) ck = 0;
  *cid_keyed = ck;
  for (size_t i = 0; i < e->glyphs.n; i++) {
    emb_glyph *g = &e->glyphs.v[i];
    FT_UInt ng = hb_map_get(o2n, g->gid), cid = ng;
    if (ck && FT_Get_CID_From_Glyph_Index(sf, ng, &cid)) cid = ng;
    g->code = (uint16_t)cid;
  }
  FT_Done_Face(sf);
  FT_Done_FreeType(lib);
  return 1;
}

/* ---- writing ---------------------------------------------------------------------- */

typedef struct {
  HPDF_INT32 flags, bbox[4], ascent, descent, cap, stemv;
  double italic;
} descriptor;

/* Descriptor values come only from the font's tables (never from the caller's FT_Face
 * size or hb_font settings), so output bytes depend only on the font and glyph set. */
static void describe(nb_embfont *e, hb_font_t *hf, unsigned upem, descriptor *o) {
  FT_Face ft = e->ft;
  TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
  TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
  o->italic = post ? post->italicAngle / 65536.0 : 0;
  o->italic = round(o->italic * 1000) / 1000;
  o->flags = 4; /* Symbolic: the glyphs are outside the standard Latin set */
  if (post && post->isFixedPitch) o->flags |= 1;
  if (os2 && os2->version != 0xffff) {
    int cls = os2->sFamilyClass >> 8;
    if ((cls >= 1 && cls <= 5) || cls == 7) o->flags |= 2; /* serif classes */
  }
  if (o->italic != 0 || (ft->style_flags & FT_STYLE_FLAG_ITALIC)) o->flags |= 64;
  o->bbox[0] = (HPDF_INT32)floor(ft->bbox.xMin * 1000.0 / upem);
  o->bbox[1] = (HPDF_INT32)floor(ft->bbox.yMin * 1000.0 / upem);
  o->bbox[2] = (HPDF_INT32)ceil(ft->bbox.xMax * 1000.0 / upem);
  o->bbox[3] = (HPDF_INT32)ceil(ft->bbox.yMax * 1000.0 / upem);
  o->ascent = units(ft->ascender, upem);
  o->descent = units(ft->descender, upem);
  hb_codepoint_t h;
  hb_glyph_extents_t ext;
  if (os2 && os2->version != 0xffff && os2->version >= 2 && os2->sCapHeight > 0)
    o->cap = units(os2->sCapHeight, upem);
  else if (hb_font_get_nominal_glyph(hf, 'H', &h) && hb_font_get_glyph_extents(hf, h, &ext) &&
           ext.y_bearing > 0)
    o->cap = units(ext.y_bearing, upem);
  else
    o->cap = o->ascent;
  /* Fonts carry no usable stem width (FreeType exposes no CFF Private dict for OpenType
   * and glyf has none), so estimate it from the weight class, a common heuristic. */
  double wt = os2 && os2->version != 0xffff && os2->usWeightClass ? os2->usWeightClass : 400;
  o->stemv = (HPDF_INT32)lround(50 + (wt / 65) * (wt / 65));
}

static int32_t most_common_adv(emb_glyph *g, size_t n) {
  if (!n) return 0;
  int32_t *a = nb_xmalloc(n * sizeof *a);
  for (size_t i = 0; i < n; i++) a[i] = g[i].adv;
  qsort(a, n, sizeof *a, cmp_i32);
  int32_t best = a[0];
  size_t bestn = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && a[j] == a[i]) j++;
    if (j - i > bestn) best = a[i], bestn = j - i; /* ties keep the smaller width */
    i = j;
  }
  free(a);
  return best;
}

static HPDF_Dict new_stream(HPDF_Doc pdf, const void *data, size_t len) {
  HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!s) return NULL;
  s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len) != HPDF_OK) return NULL;
  return s;
}

/* ---- the font program: subset and deflated, or from the cache ------------------------- */

typedef struct {
  unsigned char *z; /* the program, deflated (nb_deflate) */
  size_t zlen;
  uint32_t rawlen; /* its length before deflating (/Length1) */
  int cid_keyed;
  /* the ToUnicode CMap made with these codes, and deflated: reused when the glyphs stand
   * for the same text again (the CMap is then compared byte for byte) */
  unsigned char *tu, *tuz;
  size_t tulen, tuzlen;
} program;

static void program_free(program *p) {
  free(p->z);
  free(p->tu);
  free(p->tuz);
  *p = (program){0};
}

/* Everything that decides the program's bytes and the codes: the font file's version, the
 * glyph set, the subsetting options (fixed here: bump the version when they change) and
 * the versions of the libraries that compute them. */
#define PROG_FORMAT "nianbao fontprog 2: no-hinting desubroutinize drop GSUB..DSIG, zlib 9/9"

static int program_key(const nb_embfont *e, const uint32_t *gids, size_t n, nb_buf *k) {
  nb_rec_str(k, PROG_FORMAT);
  nb_rec_str(k, hb_version_string());
  nb_rec_str(k, zlibVersion());
  FT_Int maj = FREETYPE_MAJOR, min = FREETYPE_MINOR, pat = FREETYPE_PATCH;
  if (e->ft && e->ft->glyph) FT_Library_Version(e->ft->glyph->library, &maj, &min, &pat);
  nb_rec_u32(k, (uint32_t)(maj * 10000 + min * 100 + pat)); /* it reads the CIDs back */
  nb_rec_str(k, e->src_path);
  nb_rec_u32(k, (uint32_t)e->src_index);
  if (!nb_rec_file_stamp(k, e->src_path)) return 0;
  nb_rec_u32(k, e->num_glyphs);
  nb_rec_u32(k, (uint32_t)n);
  for (size_t i = 0; i < n; i++) nb_rec_u32(k, gids[i]);
  return 1;
}

static int cmp_glyph_gid(const void *a, const void *b) {
  const emb_glyph *x = *(const emb_glyph *const *)a, *y = *(const emb_glyph *const *)b;
  return (x->gid > y->gid) - (x->gid < y->gid);
}

/* The value: cid_keyed, rawlen, the codes in gid order, the deflated program, the
 * ToUnicode CMap and its deflated bytes. The glyphs come sorted by gid (by_gid), matching
 * the key. */
static void program_value(const program *p, emb_glyph **by_gid, size_t n, nb_buf *v) {
  nb_rec_u32(v, (uint32_t)p->cid_keyed);
  nb_rec_u32(v, p->rawlen);
  nb_rec_u32(v, (uint32_t)n);
  for (size_t i = 0; i < n; i++) nb_rec_u32(v, by_gid[i]->code);
  nb_rec_bytes(v, p->z, p->zlen);
  nb_rec_bytes(v, p->tu, p->tulen);
  nb_rec_bytes(v, p->tuz, p->tuzlen);
}

static unsigned char *dup_bytes(const void *p, size_t n) {
  unsigned char *q = nb_xmalloc(n);
  memcpy(q, p, n);
  return q;
}

static int program_from_value(program *p, emb_glyph **by_gid, size_t n, const void *val,
                              size_t vlen) {
  nb_rec r = {val, (const unsigned char *)val + vlen, 0};
  p->cid_keyed = (int)nb_rec_get_u32(&r);
  p->rawlen = nb_rec_get_u32(&r);
  if (nb_rec_get_u32(&r) != n) return 0;
  for (size_t i = 0; i < n && !r.bad; i++) {
    uint32_t c = nb_rec_get_u32(&r);
    if (c > 0xffff) return 0;
    by_gid[i]->code = (uint16_t)c;
  }
  size_t zlen, tulen, tuzlen;
  const void *z = nb_rec_get_bytes(&r, &zlen), *tu = nb_rec_get_bytes(&r, &tulen),
             *tuz = nb_rec_get_bytes(&r, &tuzlen);
  if (r.bad || !zlen || !tulen || !tuzlen || r.p != r.end) return 0;
  p->z = dup_bytes(z, zlen);
  p->zlen = zlen;
  p->tu = dup_bytes(tu, tulen);
  p->tulen = tulen;
  p->tuz = dup_bytes(tuz, tuzlen);
  p->tuzlen = tuzlen;
  return 1;
}

/* Subsets the font with hb-subset to the used glyphs, sets every glyph's code and deflates
 * the program. The unicode set stays empty: glyphs are what was drawn, and a cmap-driven
 * closure would pull in unused GSUB alternates. */
static int make_program(nb_embfont *e, int cff, const char *name, program *out, nb_diags *d) {
  nb_pos nopos = {0};
  int ok = 0;
  hb_subset_plan_t *plan = NULL;
  hb_face_t *sub = NULL;
  hb_blob_t *prog = NULL;
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) {
    nb_error(d, nopos, "font %s: out of memory in hb-subset", name);
    return 0;
  }
  hb_set_t *gs = hb_subset_input_glyph_set(in);
  for (size_t i = 0; i < e->glyphs.n; i++) hb_set_add(gs, e->glyphs.v[i].gid);
  static const char drop[][5] = {"GSUB", "GPOS", "GDEF", "BASE", "vhea",
                                 "vmtx", "VORG", "kern", "DSIG"};
  hb_set_t *ds = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
    hb_set_add(ds, HB_TAG(drop[i][0], drop[i][1], drop[i][2], drop[i][3]));
  /* Smallest after Flate on the sample (docs/pdf.md): hints only help screen rasterizers at
   * small sizes, and desubroutinized CFF deflates better than HarfBuzz's subsetted subrs. */
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
  plan = hb_subset_plan_create_or_fail(e->face, in);
  if (plan) sub = hb_subset_plan_execute_or_fail(plan);
  if (!sub) {
    nb_error(d, nopos, "font %s: hb-subset failed for %zu glyphs", name, e->glyphs.n);
    goto done;
  }
  const hb_map_t *o2n = hb_subset_plan_old_to_new_glyph_mapping(plan);
  for (size_t i = 0; i < e->glyphs.n; i++) {
    hb_codepoint_t ng = hb_map_get(o2n, e->glyphs.v[i].gid);
    if (ng == HB_MAP_VALUE_INVALID || ng > 0xffff) {
      nb_error(d, nopos, "font %s: glyph %u is missing from the subset", name, e->glyphs.v[i].gid);
      goto done;
    }
    e->glyphs.v[i].code = (uint16_t)ng;
  }
  /* A CID-keyed CFF goes in bare (FontFile3/CIDFontType0C): poppler and PDFium ignore the
   * charset of an OpenType wrapper. TrueType goes in as the whole subset sfnt. */
  prog =
      cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' ')) : hb_face_reference_blob(sub);
  unsigned plen = 0;
  const char *pdata = hb_blob_get_data(prog, &plen);
  if (!plen) {
    nb_error(d, nopos, "font %s: hb-subset produced an empty font program", name);
    goto done;
  }
  if (cff && !cff_codes(e, o2n, pdata, plen, &out->cid_keyed)) {
    nb_error(d, nopos, "font %s: the subset CFF cannot be read back", name);
    goto done;
  }
  out->rawlen = plen;
  out->z = nb_deflate(pdata, plen, &out->zlen);
  if (!out->z) {
    nb_error(d, nopos, "font %s: cannot compress the font program", name);
    goto done;
  }
  ok = 1;
done:
  hb_blob_destroy(prog);
  hb_face_destroy(sub);
  hb_subset_plan_destroy(plan);
  hb_subset_input_destroy(in);
  return ok;
}

void nb_embfont_cache(nb_embfont *e, nb_cache *c, const char *path, int index) {
  if (!e) return;
  free(e->src_path);
  e->cache = path ? c : NULL;
  e->src_path = path ? nb_xstrdup(path) : NULL;
  e->src_index = index;
}

HPDF_Dict nb_embfont_write(nb_embfont *e, HPDF_Doc pdf, nb_diags *d) {
  nb_pos nopos = {0};
  char name[64], tag[7], full[72];
  ps_name(e->ft, name);
  if (HPDF_GetError(pdf) != HPDF_OK) {
    nb_error(d, nopos, "font %s: the PDF is already in an error state (libharu 0x%04lX)", name,
             (unsigned long)HPDF_GetError(pdf));
    return NULL;
  }
  int cff = has_table(e->face, "CFF ");
  if (!cff && !has_table(e->face, "glyf")) {
    nb_error(d, nopos, "font %s: only TrueType (glyf) and CFF outlines can be embedded%s", name,
             has_table(e->face, "CFF2") ? " (CFF2 variable fonts are not supported)" : "");
    return NULL;
  }
  unsigned upem = hb_face_get_upem(e->face);

  HPDF_Dict result = NULL;
  hb_font_t *hf = NULL;
  emb_glyph **by_code = NULL, **by_gid = NULL;
  uint32_t *gids = NULL;
  nb_buf cmap = {0}, key = {0}, val = {0};
  program prog = {0};
  /* The space glyph too, drawn or not (with its width in W, no ToUnicode entry): MuPDF's
   * text tracing (PyMuPDF, pdfcheck) asks for the space's advance and warns of an "invalid
   * glyph index" when the subset lacks it. */
  hb_font_t *whole = hb_font_create(e->face);
  hb_codepoint_t space;
  if (hb_font_get_nominal_glyph(whole, ' ', &space) && space &&
      hb_map_get(e->index, space) == HB_MAP_VALUE_INVALID) {
    nb_embfont_use(e, space, NULL, 0);
    if (e->glyphs.n && e->glyphs.v[e->glyphs.n - 1].gid == space)
      e->glyphs.v[e->glyphs.n - 1].implicit = 1;
  }
  hb_font_destroy(whole);
  size_t n = e->glyphs.n;
  by_gid = nb_xmalloc((n + 1) * sizeof *by_gid);
  gids = nb_xmalloc((n + 1) * sizeof *gids);
  for (size_t i = 0; i < n; i++) by_gid[i] = &e->glyphs.v[i];
  qsort(by_gid, n, sizeof *by_gid, cmp_glyph_gid);
  for (size_t i = 0; i < n; i++) gids[i] = by_gid[i]->gid;

  /* The same bytes either way: the cache holds exactly what make_program computes. */
  int cached = 0;
  if (e->cache && program_key(e, gids, n, &key)) {
    void *v;
    size_t vlen;
    if (nb_cache_get(e->cache, "font", key.s, key.n, &v, &vlen)) {
      cached = program_from_value(&prog, by_gid, n, v, vlen);
      free(v);
    }
  } else
    key.n = 0;
  if (!cached) {
    program_free(&prog);
    if (!make_program(e, cff, name, &prog, d)) goto done;
  }

  hf = hb_font_create(e->face); /* scale = upem: advances in font units */
  for (size_t i = 0; i < n; i++)
    e->glyphs.v[i].adv = hb_font_get_glyph_h_advance(hf, e->glyphs.v[i].gid);
  int32_t dw = n ? most_common_adv(e->glyphs.v, n) : (int32_t)upem;
  by_code = nb_xmalloc((n + 1) * sizeof *by_code);
  for (size_t i = 0; i < n; i++) by_code[i] = &e->glyphs.v[i];
  qsort(by_code, n, sizeof *by_code, cmp_code);
  subset_tag(name, gids, n, tag);
  snprintf(full, sizeof full, "%s+%s", tag, name);
  descriptor desc;
  describe(e, hf, upem, &desc);
  make_tounicode(e, by_code, n, &cmap);
  int cid_keyed = prog.cid_keyed;
  if (!cached || prog.tulen != cmap.n || memcmp(prog.tu, cmap.s, cmap.n)) {
    free(prog.tu);
    free(prog.tuz);
    prog.tu = dup_bytes(cmap.s, cmap.n);
    prog.tulen = cmap.n;
    prog.tuz = nb_deflate(cmap.s, cmap.n, &prog.tuzlen);
    if (!prog.tuz) {
      nb_error(d, nopos, "font %s: cannot compress the ToUnicode CMap", name);
      goto done;
    }
    if (key.n) { /* new, or the glyphs stand for other text now */
      program_value(&prog, by_gid, n, &val);
      nb_cache_put(e->cache, "font", key.s, key.n, val.s, val.n);
    }
  }

  /* The objects. Any libharu failure leaves its code in pdf's error state. */
  HPDF_Dict ff, fd, cid, tu, t0, sysinfo;
  HPDF_Array bbox, desc_arr;
  NEW(ff, new_stream(pdf, prog.z, prog.zlen));
  nb_pdf_mark_flated(ff);
  if (cff)
    TRY(HPDF_Dict_AddName(ff, "Subtype", "CIDFontType0C"));
  else
    TRY(HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)prog.rawlen));
  NEW(fd, nb_pdf_indirect(pdf));
  TRY(HPDF_Dict_AddName(fd, "Type", "FontDescriptor"));
  TRY(HPDF_Dict_AddName(fd, "FontName", full));
  TRY(HPDF_Dict_AddNumber(fd, "Flags", desc.flags));
  NEW(bbox, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(fd, "FontBBox", bbox));
  for (int i = 0; i < 4; i++) TRY(HPDF_Array_AddNumber(bbox, desc.bbox[i]));
  if (desc.italic == floor(desc.italic))
    TRY(HPDF_Dict_AddNumber(fd, "ItalicAngle", (HPDF_INT32)desc.italic));
  else
    TRY(HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)desc.italic));
  TRY(HPDF_Dict_AddNumber(fd, "Ascent", desc.ascent));
  TRY(HPDF_Dict_AddNumber(fd, "Descent", desc.descent));
  TRY(HPDF_Dict_AddNumber(fd, "CapHeight", desc.cap));
  TRY(HPDF_Dict_AddNumber(fd, "StemV", desc.stemv));
  TRY(HPDF_Dict_Add(fd, cff ? "FontFile3" : "FontFile2", ff));

  NEW(cid, nb_pdf_indirect(pdf));
  TRY(HPDF_Dict_AddName(cid, "Type", "Font"));
  TRY(HPDF_Dict_AddName(cid, "Subtype", cff ? "CIDFontType0" : "CIDFontType2"));
  TRY(HPDF_Dict_AddName(cid, "BaseFont", full));
  /* Any ROS is valid with Identity-H; keep the CFF's own, Adobe-Identity-0 otherwise. */
  const char *reg = "Adobe", *ord = "Identity";
  FT_Int sup = 0;
  if (cid_keyed && FT_Get_CID_Registry_Ordering_Supplement(e->ft, &reg, &ord, &sup))
    reg = "Adobe", ord = "Identity", sup = 0;
  NEW(sysinfo, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo));
  TRY(HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(pdf->mmgr, reg, NULL)));
  TRY(HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(pdf->mmgr, ord, NULL)));
  TRY(HPDF_Dict_AddNumber(sysinfo, "Supplement", sup));
  TRY(HPDF_Dict_Add(cid, "FontDescriptor", fd));
  TRY(HPDF_Dict_Add(cid, "DW", width_obj(pdf->mmgr, dw, upem)));
  TRY(add_w(cid, pdf->mmgr, by_code, n, dw, upem));
  if (!cff) TRY(HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity"));

  NEW(tu, new_stream(pdf, prog.tuz, prog.tuzlen));
  nb_pdf_mark_flated(tu);

  NEW(t0, nb_pdf_indirect(pdf));
  TRY(HPDF_Dict_AddName(t0, "Type", "Font"));
  TRY(HPDF_Dict_AddName(t0, "Subtype", "Type0"));
  TRY(HPDF_Dict_AddName(t0, "BaseFont", full));
  TRY(HPDF_Dict_AddName(t0, "Encoding", "Identity-H"));
  NEW(desc_arr, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(t0, "DescendantFonts", desc_arr));
  TRY(HPDF_Array_Add(desc_arr, cid));
  TRY(HPDF_Dict_Add(t0, "ToUnicode", tu));
  result = t0;
  goto done;

fail:
  nb_error(d, nopos, "font %s: libharu error 0x%04lX (detail %ld) while writing the font", name,
           (unsigned long)HPDF_GetError(pdf), (long)HPDF_GetErrorDetail(pdf));
  HPDF_ResetError(pdf);
done:
  nb_buf_free(&cmap);
  nb_buf_free(&key);
  nb_buf_free(&val);
  program_free(&prog);
  free(by_code);
  free(by_gid);
  free(gids);
  hb_font_destroy(hf);
  return result;
}
