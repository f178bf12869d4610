#include "text/para.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/hyphen.h"
#include "text/paraint.h"

typedef VEC(uint32_t) u32vec;

static double tracking_for(const nb_style *s, double size) {
  /* The grid's character pitch applies to text of the body size: 28 Hanzi of 16 pt fill
   * a 156 mm line only when each is set 15.79 pt apart. */
  if (s->grid_chars <= 0 || fabs(size - s->roles[NB_ROLE_BODY].size) > 0.01) return 0;
  return nb_style_char_pitch(s) - size;
}

static void decode(builder *b) {
  size_t cap = 0;
  for (size_t i = 0; i < b->nsegs; i++) cap += b->segs[i].len;
  /* one more than the text: a hyphen for the glyphs that hyphenation adds to stand for */
  b->text = nb_xmalloc((cap + 2) * sizeof *b->text);
  b->seg_of = nb_xmalloc((cap + 1) * sizeof *b->seg_of);
  for (size_t i = 0; i < b->nsegs; i++) {
    const char *p = b->segs[i].text, *e = p + b->segs[i].len;
    while (p < e) {
      uint32_t c = nb_utf8_next(&p, e);
      if (c == '\r' || c == '\t') c = ' ';
      b->seg_of[b->n] = (uint16_t)i;
      b->text[b->n++] = c;
    }
  }
}

/* Reports each character no font has, once per paragraph (`seen` lists those reported). */
static void report_missing(builder *b, size_t i, u32vec *seen) {
  for (size_t k = 0; k < seen->n; k++)
    if (seen->v[k] == b->text[i]) return;
  VEC_PUSH(*seen, b->text[i]);
  char u[5] = {0};
  nb_utf8_encode(b->text[i], u);
  nb_error(b->tc->d, b->segs[b->seg_of[i]].pos,
           "no font has the character '%s' (U+%04X); add a font that covers it to the layout", u,
           (unsigned)b->text[i]);
}

/* Default-ignorable characters (zero-width space and joiners, soft hyphen, word joiner,
 * BOM, variation selectors, bidi controls): invisible, shaped with their neighbours' font,
 * never "missing". */
static int ignorable(uint32_t c) {
  return c == 0xAD || c == 0x34F || c == 0x61C || (c >= 0x115F && c <= 0x1160) ||
         (c >= 0x17B4 && c <= 0x17B5) || (c >= 0x180B && c <= 0x180F) ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) ||
         c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFF8) ||
         (c >= 0xE0000 && c <= 0xE0FFF);
}

static void shape_run(builder *b, size_t start, size_t end, nb_fontpick fp, double size) {
  hb_buffer_t *buf = hb_buffer_create();
  hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
  for (size_t i = start; i < end; i++) hb_buffer_add(buf, b->text[i], (unsigned)i);
  hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_UNICODE);
  hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
  hb_buffer_guess_segment_properties(buf);
  hb_buffer_set_language(buf, hb_language_from_string("zh-Hans", -1));
  hb_shape(fp.font->hb, buf, NULL, 0);
  unsigned n;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
  double scale = size / fp.font->upem;
  double track = tracking_for(b->tc->style, size);
  for (unsigned i = 0; i < n; i++) {
    uint32_t c0 = info[i].cluster;
    uint32_t c1 = (i + 1 < n) ? info[i + 1].cluster : (uint32_t)end;
    int first_of_cluster = (i == 0 || info[i - 1].cluster != c0);
    nb_pglyph g = {.font = fp.font,
                   .size = (float)size,
                   .gid = info[i].codepoint,
                   .x = (float)(pos[i].x_offset * scale),
                   .y = (float)(pos[i].y_offset * scale),
                   .t0 = c0,
                   .tn = 0,
                   .synth_bold = (uint8_t)fp.synth_bold,
                   .seg = b->seg_of[c0]};
    if (first_of_cluster) {
      uint32_t ce = c1;
      for (unsigned k = i + 1; k < n && info[k].cluster == c0; k++)
        ce = (k + 1 < n) ? info[k + 1].cluster : (uint32_t)end;
      g.tn = (uint16_t)(ce - c0);
    }
    VEC_PUSH(b->glyphs, g);
    double adv = pos[i].x_advance * scale;
    /* Latin fonts kern a letter against a space ("A ", "T "): at a line end the space
     * goes, and the letter needs its own advance back */
    double kern_r = 0;
    if (c1 < end && b->text[c1] == ' ' && (i + 1 == n || info[i + 1].cluster != c0))
      kern_r = hb_font_get_glyph_h_advance(fp.font->hb, info[i].codepoint) * scale - adv;
    if (first_of_cluster) {
      unit u = {.g0 = b->glyphs.n - 1, .g1 = b->glyphs.n, .w = adv, .em = size};
      u.cjk = (uint8_t)nb_quote_is_cjk(b->text, b->n, c0);
      if (u.cjk) u.w += track * NB_MAX(1, g.tn); /* a ligature ("——") spans its characters */
      u.kern_r = kern_r;
      u.space = b->text[c0] == ' ' || b->text[c0] == 0x3000 || ignorable(b->text[c0]);
      VEC_PUSH(b->units, u);
    } else {
      unit *u = &b->units.v[b->units.n - 1];
      /* later glyphs of a cluster sit after the first one's advance */
      b->glyphs.v[b->glyphs.n - 1].x += (float)(u->w);
      u->g1 = b->glyphs.n;
      u->w += adv;
      u->kern_r = kern_r;
    }
  }
  hb_buffer_destroy(buf);
}

/* A character the role's own fonts lack is set from the layout's fallback list (rare
 * characters in names); said once per font list, since a whole list missing is usually a
 * misspelt or absent font. */
static void report_fallback(builder *b, size_t i, const nb_fontlist *list, const nb_font *f) {
  nb_textctx *tc = b->tc;
  for (int k = 0; k < tc->nwarned; k++)
    if (tc->warned[k] == list) return;
  if (tc->nwarned < (int)(sizeof tc->warned / sizeof *tc->warned)) tc->warned[tc->nwarned++] = list;
  char u[5] = {0};
  nb_utf8_encode(b->text[i], u);
  nb_warn(tc->d, b->segs[b->seg_of[i]].pos,
          "'%s' (U+%04X) is in none of the role's fonts (%s%s); set in %s from the layout's "
          "fallback list (later characters of this list are not reported)",
          u, (unsigned)b->text[i], list->n ? list->names[0] : "none", list->n > 1 ? ", …" : "",
          f->family);
}

static void shape_all(builder *b) {
  const nb_style *s = b->tc->style;
  size_t i = 0;
  nb_fontpick prev = {0};
  size_t run_start = 0;
  double prev_size = 0;
  nb_fontpick *picks = nb_xcalloc(b->n + 1, sizeof *picks);
  u32vec seen = {0};
  for (i = 0; i < b->n; i++) {
    const nb_textseg *sg = &b->segs[b->seg_of[i]];
    const nb_role *r = sg->role;
    uint32_t c = b->text[i];
    if (c == '\n') { /* a forced break: shaped as a space, broken by nb_breaks */
      c = ' ';
    }
    int cjk = nb_quote_is_cjk(b->text, b->n, i);
    const nb_fontlist *list = cjk ? &r->cjk : &r->latin;
    int bold = r->bold || sg->bold;
    nb_fontpick fp = nb_fontdb_pick(b->tc->db, list, &s->fallback, bold, c);
    if (!fp.font && !cjk) fp = nb_fontdb_pick(b->tc->db, &r->cjk, &s->fallback, bold, c);
    if (!fp.font && ignorable(c)) {
      fp = i > 0 ? picks[i - 1] : (nb_fontpick){0};
      if (!fp.font) fp = nb_fontdb_pick(b->tc->db, list, &s->fallback, bold, 0x4E00);
    }
    if (!fp.font)
      report_missing(b, i, &seen);
    else if (fp.fallback)
      report_fallback(b, i, list, fp.font);
    picks[i] = fp;
  }
  free(seen.v);
  for (i = 0; i <= b->n; i++) {
    nb_fontpick fp = i < b->n ? picks[i] : (nb_fontpick){0};
    double size = i < b->n ? b->segs[b->seg_of[i]].role->size : 0;
    int same = i < b->n && fp.font == prev.font && fp.synth_bold == prev.synth_bold &&
               size == prev_size && b->text[i] != '\n';
    if (i > run_start && !same) {
      if (prev.font) shape_run(b, run_start, i, prev, prev_size);
      run_start = i;
    }
    if (i < b->n && (b->text[i] == '\n' || !fp.font)) {
      /* forced breaks and missing characters become zero-width units */
      unit u = {.g0 = b->glyphs.n, .g1 = b->glyphs.n, .space = 1, .em = size};
      VEC_PUSH(b->units, u);
      run_start = i + 1;
      prev = (nb_fontpick){0};
      continue;
    }
    prev = fp;
    prev_size = size;
  }
  free(picks);
}

typedef struct range {
  size_t r[2];
} range;
typedef VEC(range) rangevec;

static int is_url_char(uint32_t c) { return c > 0x20 && c < 0x7F; }

static int ascii_alpha(uint32_t c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Whether text[s..e) reads as a URL or an e-mail address: ASCII without spaces, with "://",
 * a leading "www.", an "@" before a dot, or a host name of three labels or more whose last
 * label is letters ("data.example.gov.cn"; not "V3.2.1" or "12.5"). */
static int url_like(const uint32_t *t, size_t s, size_t e) {
  if (e - s < 4) return 0;
  int at = 0, dot_after_at = 0, scheme = 0, dots = 0, label_alpha = 0, host = 1;
  for (size_t i = s; i < e; i++) {
    uint32_t c = t[i];
    if (!is_url_char(c)) return 0;
    if (c == '@') at = 1;
    if (c == '.') {
      dots++;
      if (at) dot_after_at = 1;
      if (!label_alpha || i == s || t[i - 1] == '.') host = 0;
      label_alpha = 0;
    } else if (ascii_alpha(c)) {
      label_alpha = 1;
    } else if (!(c >= '0' && c <= '9') && c != '-') {
      host = 0;
    }
    if (c == ':' && i + 2 < e && t[i + 1] == '/' && t[i + 2] == '/') scheme = 1;
  }
  for (size_t i = e; i > s && t[i - 1] != '.'; i--)
    if (!ascii_alpha(t[i - 1])) host = 0;
  int www =
      (t[s] | 32) == 'w' && (t[s + 1] | 32) == 'w' && (t[s + 2] | 32) == 'w' && t[s + 3] == '.';
  return scheme || www || dot_after_at || (host && dots >= 2 && t[e - 1] != '.');
}

/* URL ranges: link segments whose text is an address, and addresses written as text (in
 * a table cell, say) found as runs of ASCII without the brackets and stops around them. */
static void find_urls(const builder *b, rangevec *urls) {
  for (size_t i = 0; i < b->n;) {
    const char *link = b->segs[b->seg_of[i]].link;
    size_t j = i + 1;
    if (link) {
      while (j < b->n && b->segs[b->seg_of[j]].link == link) j++;
      if (url_like(b->text, i, j)) VEC_PUSH(*urls, ((range){{i, j}}));
    } else if (is_url_char(b->text[i])) {
      while (j < b->n && is_url_char(b->text[j]) && !b->segs[b->seg_of[j]].link) j++;
      size_t s = i, e = j;
      while (s < e && strchr("([{<'\"", (int)b->text[s])) s++;
      while (e > s && strchr(".,;:!?)]}>'\"", (int)b->text[e - 1])) e--;
      if (e > s && url_like(b->text, s, e)) VEC_PUSH(*urls, ((range){{s, e}}));
    }
    i = j;
  }
}

static int word_letter(uint32_t c) {
  return ((c | 32) >= 'a' && (c | 32) <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* Hyphenation points of the Latin words outside URLs: breaks that add a hyphen. A word is
 * a run of letters between non-letters; an apostrophe or hyphen ends it (libhyphen's
 * patterns know no apostrophes, and a hyphenated compound breaks at its own hyphen). */
static void hyphenate(builder *b, unsigned char *cb) {
  size_t i = 0;
  nb_buf w = {0};
  unsigned char pts[64];
  while (i < b->n) {
    if (!word_letter(b->text[i]) || (cb[i] & NB__URL_CHAR)) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < b->n && word_letter(b->text[j]) && !(cb[j] & NB__URL_CHAR)) j++;
    if (j - i >= NB_HYPHEN_MINWORD && j - i < sizeof pts) {
      w.n = 0;
      for (size_t k = i; k < j; k++) {
        char u[4];
        nb_buf_add(&w, u, (size_t)nb_utf8_encode(b->text[k], u));
      }
      if (nb_hyphen_points(b->tc->hyph, w.s, w.n, pts) > 0)
        for (size_t k = i; k + 1 < j; k++)
          if (pts[k - i])
            cb[k] = (unsigned char)((cb[k] & ~NB__BRK_MASK) | NB_BRK_ALLOW | NB__HYPH);
    }
    i = j;
  }
  nb_buf_free(&w);
}

/* Break opportunities per character (NB_BRK_*), with NB__URL_CHAR on URL characters. */
static unsigned char *char_breaks(builder *b) {
  unsigned char *cb = nb_xcalloc(b->n + 1, 1);
  rangevec urls = {0};
  find_urls(b, &urls);
  /* range is a struct holding size_t[2]: the same layout as the array type */
  if (b->n) nb_breaks(b->text, b->n, (const size_t(*)[2])(void *)urls.v, urls.n, cb);
  for (size_t r = 0; r < urls.n; r++)
    for (size_t i = urls.v[r].r[0]; i < urls.v[r].r[1]; i++) cb[i] |= NB__URL_CHAR;
  free(urls.v);
  if (b->tc->hyph) hyphenate(b, cb);
  return cb;
}

/* Shapes the text into units with their punctuation widths, glue and breaks. */
static void build(builder *b) {
  decode(b);
  shape_all(b);
  size_t nu = b->units.n;
  b->ustart = nb_xmalloc((nu + 1) * sizeof *b->ustart);
  /* a unit's first character: its first glyph's cluster, or for an empty unit the
   * character after the previous unit */
  size_t next = 0;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b->units.v[k];
    b->ustart[k] = next;
    if (u->g1 > u->g0) {
      const nb_pglyph *g = &b->glyphs.v[u->g0];
      b->ustart[k] = g->t0;
      next = g->t0 + (g->tn ? g->tn : 1);
    } else {
      next++;
    }
  }
  unsigned char *cb = char_breaks(b);
  nb__punct(b);
  nb__glue(b, cb);
  free(cb);
}

static void builder_free(builder *b) {
  free(b->seg_of);
  free(b->glyphs.v);
  free(b->units.v);
  free(b->ustart);
  free(b->pw);
  free(b->pst);
  free(b->psh);
}

/* Sets units a0..z0 (spaces at the ends dropped) as one line. */
static void place_line(const builder *b, const nb_parastyle *ps, size_t a, size_t z, int first,
                       int last, nb_para *out) {
  const unit *U = b->units.v;
  while (a < z && U[a].space) a++;
  while (z > a && U[z].space) z--;
  double measure = ps->width - ps->right_indent - (first ? ps->indent : 0);
  nb_pline ln = {.g0 = out->nglyphs};
  double x = first ? ps->indent : 0;
  if (U[a].space) { /* nothing but spaces: an empty line */
    ln.x0 = ln.x1 = x;
    ln.g1 = out->nglyphs;
    ln.size = b->segs[0].role->size;
    out->lines[out->nlines++] = ln;
    return;
  }
  linefit f = nb__fit(b, ps, a, z, measure, last);
  size_t zg = f.hang ? z - 1 : z; /* the gaps that take the adjustment: a..zg-1 */
  double st = b->pst[zg] - b->pst[a], sh = b->psh[zg] - b->psh[a];
  double r = f.ratio;
  /* A centred paragraph (a table cell, say) fills the lines that the stretch limit lets it
   * fill and that fall short by less than an em, so that its block has straight sides;
   * shorter lines, and the last, are centred. */
  if (ps->align == NB_ALIGN_CENTER && (r > NB_MAX_RATIO || measure - f.nat > U[z].em)) r = 0;
  /* Rather ragged than letter-spaced; a line with word spaces may stretch them further, as
   * justified Latin text does (TeX's tolerance), before it goes ragged. */
  int spaced = 0;
  for (size_t k = a + 1; k < z && !spaced; k++) spaced = U[k].space;
  double cap = spaced ? NB_MAX_RATIO_SPACED : NB_MAX_RATIO;
  if (r > cap) r = cap;
  if (r < -1) r = -1;
  double used = f.nat + (r > 0 ? r * st : r * sh);
  if (ps->align == NB_ALIGN_CENTER)
    x += (measure - used) / 2;
  else if (ps->align == NB_ALIGN_RIGHT)
    x += measure - used;
  ln.x0 = x;
  ln.ratio = r;
  for (size_t k = a; k <= z; k++) {
    const unit *u = &U[k];
    double shift = k == a ? f.trim_l : u->cut_l;
    double w = u->w + (k == a ? u->cut_l - f.trim_l : 0) + (k == z ? u->cut_r - f.trim_r : 0);
    for (size_t g = u->g0; g < u->g1; g++) {
      nb_pglyph pg = b->glyphs.v[g];
      pg.x = (float)(x + pg.x - shift);
      out->glyphs[out->nglyphs++] = pg;
      if (pg.size > ln.size) ln.size = pg.size;
      double asc = pg.font->ascender * pg.size, desc = -pg.font->descender * pg.size;
      if (asc > ln.ascent) ln.ascent = asc;
      if (desc > ln.descent) ln.descent = desc;
    }
    x += w;
    if (k < z) x += u->glue + (k < zg ? (r > 0 ? r * u->stretch : r * u->shrink) : 0);
  }
  if (z + 1 < b->units.n && U[z + 1].space) x += U[z].kern_r;
  if (U[z].hyph > 0 && !last && U[z].g1 > U[z].g0) {
    /* a word broken at a hyphenation point: the hyphen stands for no text of its own */
    nb_pglyph pg = b->glyphs.v[U[z].g1 - 1];
    pg.gid = U[z].hyph_gid;
    pg.x = (float)x;
    pg.y = 0;
    pg.t0 = (uint32_t)b->n; /* the '-' kept after the text */
    pg.tn = 1;
    out->glyphs[out->nglyphs++] = pg;
    x += U[z].hyph;
  }
  ln.x1 = x;
  ln.g1 = out->nglyphs;
  if (ln.size == 0) ln.size = b->segs[0].role->size;
  out->lines[out->nlines++] = ln;
}

nb_para *nb_para_layout(nb_textctx *tc, const nb_textseg *segs, size_t nsegs,
                        const nb_parastyle *ps) {
  builder b = {.tc = tc, .segs = segs, .nsegs = nsegs};
  nb_para *p = nb_xcalloc(1, sizeof *p);
  p->segs = segs;
  p->nsegs = nsegs;
  build(&b);
  b.text[b.n] = '-'; /* what added hyphens stand for (beyond ntext) */
  p->text = b.text;
  p->ntext = b.n;
  if (b.units.n) {
    size_t nl;
    nb__word_penalties(&b, ps);
    size_t *ends = nb__break_lines(&b, ps, &nl);
    p->glyphs = nb_xmalloc((b.glyphs.n + nl + 1) * sizeof *p->glyphs); /* + a hyphen a line */
    p->lines = nb_xmalloc((nl + 1) * sizeof *p->lines);
    size_t a = 0;
    for (size_t l = 0; l < nl; l++) {
      place_line(&b, ps, a, ends[l], l == 0, l + 1 == nl || b.units.v[ends[l]].brk == NB_BRK_MUST,
                 p);
      a = ends[l] + 1;
    }
    free(ends);
  } else {
    p->glyphs = nb_xmalloc(sizeof *p->glyphs);
    p->lines = nb_xcalloc(1, sizeof *p->lines);
  }
  builder_free(&b);
  return p;
}

void nb_para_free(nb_para *p) {
  if (!p) return;
  free(p->glyphs);
  free(p->text);
  free(p->lines);
  free(p);
}

double nb_para_measure(nb_textctx *tc, const nb_textseg *segs, size_t nsegs, double *min_width) {
  builder b = {.tc = tc, .segs = segs, .nsegs = nsegs};
  build(&b);
  const unit *U = b.units.v;
  size_t nu = b.units.n;
  /* widest line between forced breaks, marks at the ends full width; widest unbreakable
   * piece, marks at its ends trimmed */
  double total = 0, widest = 0;
  size_t line_a = 0, piece_a = 0;
  for (size_t k = 0; k < nu; k++) {
    if (U[k].brk == NB_BRK_NONE) continue;
    for (int pass = 0; pass < 2; pass++) {
      size_t a = pass ? piece_a : line_a, z = k;
      while (a < z && U[a].space) a++;
      while (z > a && U[z].space) z--;
      if (U[a].space) continue;
      double w = b.pw[z + 1] - b.pw[a] - U[z].glue + U[a].cut_l + U[z].cut_r;
      if (pass)
        widest =
            NB_MAX(widest, w - (U[a].boxed ? 0 : U[a].blank_l) - (U[z].boxed ? 0 : U[z].blank_r));
      else if (U[k].brk == NB_BRK_MUST)
        total = NB_MAX(total, w);
    }
    piece_a = k + 1;
    if (U[k].brk == NB_BRK_MUST) line_a = k + 1;
  }
  free(b.text);
  builder_free(&b);
  if (min_width) *min_width = widest;
  return total;
}
