#include "text/para.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/breaks.h"

/* A unit is what the line breaker moves: one shaped cluster (one Hanzi, one mark, one Latin
 * word piece) or one space. */
typedef struct unit {
  size_t g0, g1;      /* its glyphs */
  double w;           /* advance, pt, after punctuation compression */
  double lead_cut;    /* blank trimmed from the left (glyphs shift left by this) */
  double trail_blank; /* blank right half of a mark: squeezable, dropped at line end */
  double stretch, shrink; /* of the gap after this unit */
  double em;          /* its font size */
  unsigned char brk;  /* break after this unit */
  unsigned char space;   /* a space: discarded at line ends */
  unsigned char cjk;
  int penalty;
} unit;

typedef struct builder {
  nb_textctx *tc;
  const nb_textseg *segs;
  size_t nsegs;
  uint32_t *text;
  uint16_t *seg_of;
  size_t n;
  VEC(nb_pglyph) glyphs;
  VEC(unit) units;
} builder;

static double tracking_for(const nb_style *s, double size) {
  /* The grid's character pitch applies to text of the body size: 28 Hanzi of 16 pt fill
   * a 156 mm line only when each is set 15.79 pt apart. */
  if (s->grid_chars <= 0 || fabs(size - s->roles[NB_ROLE_BODY].size) > 0.01) return 0;
  return nb_style_char_pitch(s) - size;
}

static void decode(builder *b) {
  size_t cap = 0;
  for (size_t i = 0; i < b->nsegs; i++) cap += b->segs[i].len;
  b->text = nb_xmalloc((cap + 1) * sizeof *b->text);
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

/* Reports each character no font has, once per paragraph. */
static void report_missing(builder *b, size_t i) {
  for (size_t k = 0; k < i; k++)
    if (b->text[k] == b->text[i]) return;
  char u[5] = {0};
  nb_utf8_encode(b->text[i], u);
  nb_error(b->tc->d, b->segs[b->seg_of[i]].pos,
           "no font has the character '%s' (U+%04X); add a font that covers it to the layout",
           u, (unsigned)b->text[i]);
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
    nb_pglyph g = {.font = fp.font, .size = (float)size, .gid = info[i].codepoint,
                   .x = (float)(pos[i].x_offset * scale), .y = (float)(pos[i].y_offset * scale),
                   .t0 = c0, .tn = 0, .synth_bold = (uint8_t)fp.synth_bold,
                   .seg = b->seg_of[c0]};
    if (first_of_cluster) {
      uint32_t ce = c1;
      for (unsigned k = i + 1; k < n && info[k].cluster == c0; k++) ce = (k + 1 < n) ? info[k + 1].cluster : (uint32_t)end;
      g.tn = (uint16_t)(ce - c0);
    }
    VEC_PUSH(b->glyphs, g);
    double adv = pos[i].x_advance * scale;
    if (first_of_cluster) {
      unit u = {.g0 = b->glyphs.n - 1, .g1 = b->glyphs.n, .w = adv, .em = size};
      u.cjk = (uint8_t)nb_quote_is_cjk(b->text, b->n, c0);
      if (u.cjk) u.w += track;
      u.space = b->text[c0] == ' ' || b->text[c0] == 0x3000;
      VEC_PUSH(b->units, u);
    } else {
      unit *u = &b->units.v[b->units.n - 1];
      /* later glyphs of a cluster sit after the first one's advance */
      b->glyphs.v[b->glyphs.n - 1].x += (float)(u->w);
      u->g1 = b->glyphs.n;
      u->w += adv;
    }
  }
  hb_buffer_destroy(buf);
}

typedef struct pickcache {
  const nb_fontlist *list;
  int bold;
  nb_font *primary;
} pickcache;

static void shape_all(builder *b) {
  const nb_style *s = b->tc->style;
  size_t i = 0;
  nb_fontpick prev = {0};
  size_t run_start = 0;
  double prev_size = 0;
  nb_fontpick *picks = nb_xcalloc(b->n + 1, sizeof *picks);
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
    if (!fp.font) report_missing(b, i);
    picks[i] = fp;
  }
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

/* Break opportunities per character; links are URL ranges for nb_breaks. */
static unsigned char *char_breaks(builder *b) {
  unsigned char *cb = nb_xcalloc(b->n + 1, 1);
  VEC(range) urls = {0};
  for (size_t i = 0; i < b->n;) {
    const char *link = b->segs[b->seg_of[i]].link;
    size_t j = i + 1;
    while (j < b->n && b->segs[b->seg_of[j]].link == link) j++;
    if (link) VEC_PUSH(urls, ((range){{i, j}}));
    i = j;
  }
  /* range is a struct holding size_t[2]: the same layout as the array type */
  if (b->n) nb_breaks(b->text, b->n, (const size_t(*)[2])(void *)urls.v, urls.n, cb);
  free(urls.v);
  return cb;
}

static int in_url(const builder *b, size_t ci) { return b->segs[b->seg_of[ci]].link != NULL; }

static void set_glue(builder *b, const unsigned char *cb, const size_t *ustart) {
  const nb_style *s = b->tc->style;
  size_t nu = b->units.n;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b->units.v[k];
    size_t c_end = (k + 1 < nu) ? ustart[k + 1] : b->n;
    size_t c_last = c_end ? c_end - 1 : 0;
    u->brk = (unsigned char)(b->n ? cb[c_last] : NB_BRK_MUST);
    if (k + 1 == nu) u->brk = NB_BRK_MUST;
    u->penalty = (u->brk == NB_BRK_ALLOW && in_url(b, c_last) && k + 1 < nu &&
                  in_url(b, ustart[k + 1]))
                     ? 800
                     : 0;
    /* a break inside a number or Latin word was already excluded by nb_breaks */
    if (k + 1 == nu) break;
    unit *v = &b->units.v[k + 1];
    double em = NB_MAX(u->em, v->em);
    if (u->space || v->space) {
      u->stretch = 0;
      u->shrink = 0;
    } else if (u->cjk && v->cjk) {
      u->stretch = 0.25 * em;
      u->shrink = 0.02 * em;
    } else if (u->cjk != v->cjk) {
      /* Hanzi next to Latin or digits: the layout's gap, stretchable like CJK spacing */
      double gap = s->cjk_latin_space * em;
      u->w += gap;
      u->stretch = 0.25 * em;
      u->shrink = gap * 0.5;
    } else {
      u->stretch = 0;
      u->shrink = 0;
    }
  }
  /* spaces stretch and shrink like Latin word spaces */
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b->units.v[k];
    if (u->space && u->w > 0 && k > 0) {
      b->units.v[k - 1].stretch += u->w * 0.5;
      b->units.v[k - 1].shrink += u->w * 0.33;
    }
  }
}

/* Punctuation compression: the blank half of full-width marks (chinese-typography.md §4). */
static void compress_punct(builder *b, const size_t *ustart) {
  size_t nu = b->units.n;
  nb_punct *cls = nb_xcalloc(nu + 1, sizeof *cls);
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b->units.v[k];
    if (!u->cjk || u->g1 - u->g0 != 1) continue;
    uint32_t c = b->text[ustart[k]];
    nb_punct p = nb_punct_class(c);
    double adv = u->w - tracking_for(b->tc->style, u->em);
    if (adv < 0.9 * u->em) continue; /* already proportional in this font */
    cls[k] = p;
    if (p == NB_PUNCT_CLOSE || p == NB_PUNCT_STOP) u->trail_blank = 0.5 * u->em;
  }
  for (size_t k = 0; k + 1 < nu; k++) {
    unit *u = &b->units.v[k], *v = &b->units.v[k + 1];
    nb_punct a = cls[k], c = cls[k + 1];
    if (!a || !c || a == NB_PUNCT_DASH || c == NB_PUNCT_DASH) continue;
    if (u->trail_blank > 0) {
      /* 。” ）、 ，“ : the first mark loses its blank half */
      u->w -= u->trail_blank;
      u->trail_blank = 0;
    } else if (c == NB_PUNCT_OPEN) {
      /* （“ ！（ : the opening mark loses its blank left half */
      double cut = 0.5 * v->em;
      v->lead_cut = cut;
      v->w -= cut;
    }
  }
  /* blank halves also shrink inside a line, before any Hanzi spacing does */
  for (size_t k = 0; k < nu; k++) b->units.v[k].shrink += b->units.v[k].trail_blank * 0.8;
  free(cls);
}

typedef struct node {
  double demerits;
  long prev; /* index of the unit ending the previous line, -1 for the paragraph start */
  double ratio;
} node;

static double line_badness(double ratio) {
  double a = fabs(ratio);
  double bad = 100.0 * a * a * a;
  return bad > 10000 ? 10000 : bad;
}

/* Chooses the breaks of the whole paragraph (Knuth–Plass, without fitness classes): the
 * sum over lines of (1 + badness)² + penalty² is minimal. O(units × units per line). */
static size_t *break_lines(builder *b, const nb_parastyle *ps, size_t *nlines) {
  size_t nu = b->units.n;
  unit *U = b->units.v;
  double *W = nb_xmalloc((nu + 1) * sizeof *W), *ST = nb_xmalloc((nu + 1) * sizeof *ST),
         *SH = nb_xmalloc((nu + 1) * sizeof *SH);
  int *MUST = nb_xmalloc((nu + 1) * sizeof *MUST);
  W[0] = ST[0] = SH[0] = 0;
  MUST[0] = 0;
  for (size_t k = 0; k < nu; k++) {
    W[k + 1] = W[k] + U[k].w;
    ST[k + 1] = ST[k] + U[k].stretch;
    SH[k + 1] = SH[k] + U[k].shrink;
    MUST[k + 1] = MUST[k] + (U[k].brk == NB_BRK_MUST && k + 1 < nu);
  }
  node *N = nb_xmalloc((nu + 1) * sizeof *N);
  int justify = ps->align == NB_ALIGN_JUSTIFY || ps->align == NB_ALIGN_DEFAULT;
  for (size_t j = 0; j < nu; j++) {
    N[j].demerits = DBL_MAX;
    N[j].prev = -2;
    if (U[j].brk == NB_BRK_NONE) continue;
    int last = (j + 1 == nu);
    double best_over = DBL_MAX;
    long best_over_i = -2;
    /* line = units i..j; the previous line ended at unit i-1 */
    for (long i = (long)j; i >= 0; i--) {
      if (i > 0 && (U[i - 1].brk == NB_BRK_NONE || N[i - 1].prev == -2)) {
        if (i > 0 && W[j + 1] - W[i] > ps->width * 4) break;
        continue;
      }
      if (MUST[j] - MUST[i] > 0) break; /* a forced break lies inside */
      size_t a = (size_t)i, z = j;
      while (a < z && U[a].space) a++;
      while (z > a && U[z].space) z--;
      double measure = ps->width - ps->right_indent - (i == 0 ? ps->indent : 0);
      double nat = W[z + 1] - W[a] - U[z].trail_blank;
      double st = ST[z] - ST[a], sh = SH[z] - SH[a];
      double ratio, dem;
      double prev_dem = i == 0 ? 0 : N[i - 1].demerits;
      if (nat > measure) {
        ratio = sh > 0 ? (measure - nat) / sh : -DBL_MAX;
        if (ratio < -1) {
          double over = nat - measure;
          if (over < best_over && prev_dem < DBL_MAX) {
            best_over = over;
            best_over_i = i;
          }
          if (nat - measure > ps->width) break;
          continue;
        }
      } else if (last && !ps->last_justify)
        ratio = 0;
      else if (!justify)
        ratio = 0;
      else
        ratio = st > 0 ? (measure - nat) / st : (measure - nat > 0.5 ? 10 : 0);
      double bad = line_badness(ratio);
      if (!justify && !last) { /* ragged lines: prefer even lengths */
        double slack = (measure - nat) / (U[j].em > 0 ? U[j].em : 10);
        bad = slack * slack * 10;
      }
      double pen = U[j].penalty;
      dem = (1 + bad) * (1 + bad) + pen * pen + prev_dem;
      if (dem < N[j].demerits) {
        N[j].demerits = dem;
        N[j].prev = i - 1;
        N[j].ratio = ratio;
      }
    }
    if (N[j].prev == -2 && best_over_i != -2) {
      /* nothing fits: an overfull line is better than no line (an unbreakable URL) */
      N[j].demerits = (best_over_i == 0 ? 0 : N[best_over_i - 1].demerits) + 1e12 + best_over;
      N[j].prev = best_over_i - 1;
      N[j].ratio = -1;
    }
  }
  size_t cnt = 0;
  for (long j = (long)nu - 1; j >= 0; j = N[j].prev) {
    cnt++;
    if (N[j].prev < -1) break;
  }
  size_t *ends = nb_xmalloc((cnt + 1) * sizeof *ends);
  size_t k = cnt;
  for (long j = (long)nu - 1; j >= 0 && k > 0; j = N[j].prev) {
    ends[--k] = (size_t)j;
    if (N[j].prev < -1) break;
  }
  *nlines = cnt;
  free(W);
  free(ST);
  free(SH);
  free(MUST);
  free(N);
  return ends;
}

static void place_line(builder *b, const nb_parastyle *ps, size_t a, size_t z, int first,
                       int last, nb_para *out) {
  unit *U = b->units.v;
  while (a < z && U[a].space) a++;
  while (z > a && U[z].space) z--;
  double measure = ps->width - ps->right_indent - (first ? ps->indent : 0);
  double nat = 0, st = 0, sh = 0;
  for (size_t k = a; k <= z; k++) {
    nat += U[k].w;
    if (k < z) {
      st += U[k].stretch;
      sh += U[k].shrink;
    }
  }
  nat -= U[z].trail_blank;
  int justify = ps->align == NB_ALIGN_JUSTIFY || ps->align == NB_ALIGN_DEFAULT;
  double ratio = 0;
  if (nat > measure && sh > 0) ratio = NB_MAX(-1.0, (measure - nat) / sh);
  else if (nat < measure && justify && (!last || ps->last_justify) && st > 0)
    ratio = (measure - nat) / st;
  if (ratio > 3) ratio = 3; /* never more than 0.75 em between Hanzi: rather ragged */
  double used = nat + (ratio > 0 ? ratio * st : ratio * sh);
  double x = first ? ps->indent : 0;
  if (ps->align == NB_ALIGN_CENTER) x += (measure - used) / 2;
  else if (ps->align == NB_ALIGN_RIGHT) x += measure - used;
  nb_pline ln = {.g0 = out->nglyphs, .ratio = ratio};
  ln.x0 = x;
  for (size_t k = a; k <= z; k++) {
    unit *u = &U[k];
    for (size_t g = u->g0; g < u->g1; g++) {
      nb_pglyph pg = b->glyphs.v[g];
      pg.x = (float)(x + pg.x - u->lead_cut);
      out->glyphs[out->nglyphs++] = pg;
      if (pg.size > ln.size) ln.size = pg.size;
      double asc = pg.font->ascender * pg.size, desc = -pg.font->descender * pg.size;
      if (asc > ln.ascent) ln.ascent = asc;
      if (desc > ln.descent) ln.descent = desc;
    }
    x += u->w;
    if (k < z) x += ratio > 0 ? ratio * u->stretch : ratio * u->shrink;
  }
  ln.x1 = x - U[z].trail_blank;
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
  decode(&b);
  shape_all(&b);
  size_t nu = b.units.n;
  size_t *ustart = nb_xmalloc((nu + 1) * sizeof *ustart);
  /* a unit's first character: its first glyph's cluster, or for an empty unit the
   * character after the previous unit */
  size_t next = 0;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b.units.v[k];
    ustart[k] = u->g1 > u->g0 ? b.glyphs.v[u->g0].t0 : next;
    next = ustart[k] + 1;
    if (u->g1 > u->g0) {
      const nb_pglyph *g = &b.glyphs.v[u->g0];
      next = g->t0 + (g->tn ? g->tn : 1);
    }
  }
  unsigned char *cb = char_breaks(&b);
  compress_punct(&b, ustart);
  set_glue(&b, cb, ustart);
  free(cb);
  p->text = b.text;
  p->ntext = b.n;
  p->glyphs = nb_xmalloc((b.glyphs.n + 1) * sizeof *p->glyphs);
  if (nu) {
    size_t nl;
    size_t *ends = break_lines(&b, ps, &nl);
    p->lines = nb_xmalloc((nl + 1) * sizeof *p->lines);
    size_t a = 0;
    for (size_t l = 0; l < nl; l++) {
      place_line(&b, ps, a, ends[l], l == 0, l + 1 == nl, p);
      a = ends[l] + 1;
    }
    free(ends);
  } else {
    p->lines = nb_xcalloc(1, sizeof *p->lines);
  }
  free(ustart);
  free(b.seg_of);
  free(b.glyphs.v);
  free(b.units.v);
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
  decode(&b);
  shape_all(&b);
  size_t nu = b.units.n;
  size_t *ustart = nb_xmalloc((nu + 1) * sizeof *ustart);
  size_t next = 0;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b.units.v[k];
    ustart[k] = u->g1 > u->g0 ? b.glyphs.v[u->g0].t0 : next;
    next = u->g1 > u->g0 ? b.glyphs.v[u->g0].t0 + NB_MAX(1, b.glyphs.v[u->g0].tn) : ustart[k] + 1;
  }
  unsigned char *cb = char_breaks(&b);
  compress_punct(&b, ustart);
  set_glue(&b, cb, ustart);
  double total = 0, piece = 0, widest = 0;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &b.units.v[k];
    if (u->brk == NB_BRK_MUST && k + 1 < nu) {
      widest = NB_MAX(widest, piece + u->w);
      total = NB_MAX(total, piece);
    }
    total += u->w;
    piece += u->w;
    if (u->brk != NB_BRK_NONE) {
      widest = NB_MAX(widest, piece - u->trail_blank);
      piece = 0;
    }
  }
  free(cb);
  free(ustart);
  free(b.text);
  free(b.seg_of);
  free(b.glyphs.v);
  free(b.units.v);
  if (min_width) *min_width = widest;
  return total;
}
