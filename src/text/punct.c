/* Punctuation widths and the glue between units (chinese-typography.md §4–§7):
 * - full-width marks have a blank half (opening marks on the left, closing and stop marks
 *   on the right), found from the glyph's ink, not assumed, so a font whose ？ is centred
 *   keeps it whole;
 * - adjacent marks lose one blank half (。” ）、 ，“ （《: 1.5 em for the pair, jlreq/clreq);
 * - the blank half at a line edge goes only when the line needs the room (knuth.c);
 * - gaps between CJK characters stretch and shrink a little, except inside ——/…… and next
 *   to a solidus; Latin words and numbers are never letter-spaced; Latin word spaces stretch;
 *   Hanzi next to Latin letters or digits get the layout's cjk_latin_space.
 * - 、，。 alone (never after another mark) may hang into the margin when the layout says so;
 * - the layout's punctuation style may set marks half width everywhere (kaiming: all but
 *   。．！？; banjiao: all), and those take no further compression. */
#include <math.h>
#include <string.h>

#include "text/paraint.h"
#include "text/words.h"

/* A break inside a URL or e-mail address costs this: it is taken only when keeping the
 * address whole would leave a line visibly loose (ratio above ~0.6). A break after a
 * slash (between path segments) costs less, one inside a query string more. */
#define URL_PENALTY 30
#define URL_PENALTY_SLASH 20
#define URL_PENALTY_QUERY 45
#define INK_TOLERANCE 0.03 /* em: ink may reach this far into the half that is cut */

static int is_latin_alnum(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* Characters next to which no space is added or stretched: —— and …… stay solid, a solidus
 * or a wave dash joins its neighbours ("公里/小时", "9:00～12:00"). */
static int joiner(uint32_t c) { return c == '/' || c == 0xFF0F || c == 0xFF5E || c == 0x301C; }

static int role_in(const nb_textctx *tc, const nb_role *r, const nb_role_id *ids, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (r == &tc->style->roles[ids[i]] || (tc->en_roles && r == &tc->en_roles[ids[i]])) return 1;
  return 0;
}

/* Running text (body, headings, leads) may hang a mark into the margin; table cells and
 * captions keep inside their measure. */
static int role_may_hang(const nb_textctx *tc, const nb_role *r) {
  static const nb_role_id ok[] = {NB_ROLE_BODY, NB_ROLE_H1, NB_ROLE_H2,
                                  NB_ROLE_H3,   NB_ROLE_H4, NB_ROLE_LEAD};
  return role_in(tc, r, ok, sizeof ok / sizeof *ok);
}

/* Text in table cells: a cell's padding is narrower than half an em, so a mark trimmed at a
 * line edge would push its em box across the cell's rule, into the next cell's text. */
static int role_in_cell(const nb_textctx *tc, const nb_role *r) {
  (void)tc;
  return r->boxed; /* by a flag, not by identity: tables shrink copies of their roles */
}

static uint32_t unit_char(const builder *b, size_t k) {
  return b->ustart[k] < b->n ? b->text[b->ustart[k]] : 0;
}

void nb__punct(builder *b) {
  size_t nu = b->units.n;
  unit *U = b->units.v;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &U[k];
    if (!u->cjk || u->g1 <= u->g0 || u->space) continue;
    nb_punct p = nb_punct_class(unit_char(b, k));
    if (p == NB_PUNCT_NONE) continue;
    u->boxed = (unsigned char)role_in_cell(b->tc, b->segs[b->seg_of[b->ustart[k]]].role);
    if (p == NB_PUNCT_DASH) {
      u->punct = (unsigned char)p;
      continue;
    }
    const nb_pglyph *g = &b->glyphs.v[u->g0];
    double scale = g->size / g->font->upem;
    double adv = hb_font_get_glyph_h_advance(g->font->hb, g->gid) * scale;
    if (u->g1 - u->g0 != 1 || adv < 0.9 * u->em) continue; /* proportional in this font */
    u->punct = (unsigned char)p;
    hb_glyph_extents_t e;
    if (!hb_font_get_glyph_extents(g->font->hb, g->gid, &e)) continue;
    double ink_l = (e.x_bearing * scale + g->x) / u->em, ink_r = ink_l + e.width * scale / u->em;
    double half = 0.5 * u->em, tol = INK_TOLERANCE;
    switch (p) {
    case NB_PUNCT_OPEN:
      if (ink_l >= 0.5 - tol) u->blank_l = half;
      break;
    case NB_PUNCT_CLOSE:
    case NB_PUNCT_STOP:
    case NB_PUNCT_EXCL:
      if (ink_r <= 0.5 + tol) u->blank_r = half;
      break;
    case NB_PUNCT_MIDDLE:
      if (ink_l >= 0.25 - tol && ink_r <= 0.75 + tol) u->blank_l = u->blank_r = 0.25 * u->em;
      break;
    default:
      break;
    }
  }
  /* the layout's style: kaiming and banjiao take the blank off for good (an opening mark's
   * glyph moves left onto its ink), everywhere, at line edges too */
  int style = b->tc->style->punct_style;
  for (size_t k = 0; k < nu && style != NB_PUNCT_QUANJIAO; k++) {
    unit *u = &U[k];
    uint32_t c = unit_char(b, k);
    if (!u->punct || u->punct == NB_PUNCT_DASH || u->blank_l + u->blank_r <= 0) continue;
    if (style == NB_PUNCT_KAIMING && (u->punct == NB_PUNCT_EXCL || c == 0x3002 || c == 0xFF0E))
      continue; /* sentence ends stay full width */
    for (size_t g = u->g0; g < u->g1; g++) b->glyphs.v[g].x -= (float)u->blank_l;
    u->w -= u->blank_l + u->blank_r;
    u->blank_l = u->blank_r = 0;
    u->halved = 1;
  }
  /* adjacent marks: the first loses its blank right half (。” ）（ ，“); failing that, an
   * opening mark loses its blank left half (（《 ！（); not when the style halved either */
  for (size_t k = 0; k + 1 < nu; k++) {
    unit *u = &U[k], *v = &U[k + 1];
    if (!u->punct || !v->punct || u->punct == NB_PUNCT_DASH || v->punct == NB_PUNCT_DASH ||
        u->punct == NB_PUNCT_MIDDLE || v->punct == NB_PUNCT_MIDDLE || u->halved || v->halved)
      continue;
    if (u->blank_r > 0 && u->cut_r == 0) {
      u->cut_r = u->blank_r;
      u->w -= u->cut_r;
    } else if (v->blank_l > 0 && v->punct == NB_PUNCT_OPEN) {
      v->cut_l = v->blank_l;
      v->w -= v->cut_l;
    }
  }
  /* hanging: only 、，。, full width, and not after another mark (never a sequence) */
  if (!b->tc->style->hanging_punct) return;
  for (size_t k = 1; k < nu; k++) {
    uint32_t c = unit_char(b, k);
    if ((c != 0x3001 && c != 0xFF0C && c != 0x3002) || U[k].blank_r <= 0) continue;
    if (U[k - 1].space || nb_punct_class(unit_char(b, k - 1)) != NB_PUNCT_NONE) continue;
    const nb_textseg *sg = &b->segs[b->seg_of[b->ustart[k]]];
    if (role_may_hang(b->tc, sg->role)) U[k].hang = 1;
  }
}

/* Whether a unit is a Hanzi-like character (CJK, not punctuation) or a Latin letter/digit,
 * for the CJK–Latin space. */
static int han_like(const builder *b, size_t k) {
  const unit *u = &b->units.v[k];
  return u->cjk && !u->space && nb_punct_class(unit_char(b, k)) == NB_PUNCT_NONE &&
         !joiner(unit_char(b, k));
}
static int latin_like(const builder *b, size_t k) {
  const unit *u = &b->units.v[k];
  uint32_t c = unit_char(b, k);
  return !u->cjk && !u->space && (is_latin_alnum(c) || c == '%');
}

void nb__glue(builder *b, const unsigned char *cb) {
  const nb_style *s = b->tc->style;
  size_t nu = b->units.n;
  unit *U = b->units.v;
  for (size_t k = 0; k < nu; k++) {
    unit *u = &U[k];
    size_t c_end = k + 1 < nu ? b->ustart[k + 1] : b->n;
    size_t c_last = c_end ? c_end - 1 : 0;
    u->brk = (unsigned char)(b->n ? (cb[c_last] & NB__BRK_MASK) : NB_BRK_MUST);
    u->url = (unsigned char)(b->n && (cb[c_last] & NB__URL_CHAR));
    if (k + 1 == nu) {
      u->brk = NB_BRK_MUST;
      break;
    }
    unit *v = &U[k + 1];
    if ((cb[c_last] & NB__HYPH) && u->brk == NB_BRK_ALLOW && u->g1 > u->g0) {
      /* a hyphenation point: the line ending here carries a hyphen from the word's font */
      const nb_pglyph *g = &b->glyphs.v[u->g1 - 1];
      hb_codepoint_t gid;
      if (hb_font_get_nominal_glyph(g->font->hb, '-', &gid) && gid) {
        u->hyph = hb_font_get_glyph_h_advance(g->font->hb, gid) * (double)g->size / g->font->upem;
        u->hyph_gid = gid;
        u->penalty = NB_HYPHEN_PENALTY;
      } else
        u->brk = NB_BRK_NONE; /* no hyphen in this font: keep the word whole */
    }
    /* cb: NB_BRK_* in the low bits, NB__URL_CHAR on characters of URLs and addresses */
    if (u->brk == NB_BRK_ALLOW && (cb[c_last] & NB__URL_CHAR) &&
        (cb[b->ustart[k + 1]] & NB__URL_CHAR)) {
      uint32_t c = b->text[c_last];
      u->penalty = c == '/'                                 ? URL_PENALTY_SLASH
                   : c < 128 && c && strchr("?&=#", (int)c) ? URL_PENALTY_QUERY
                                                            : URL_PENALTY;
    }
    double em = NB_MAX(u->em, v->em);
    uint32_t cu = unit_char(b, k), cv = unit_char(b, k + 1);
    if (u->space || v->space) continue;
    if (u->cjk && v->cjk) {
      if ((u->punct == NB_PUNCT_DASH && v->punct == NB_PUNCT_DASH) || joiner(cu) || joiner(cv))
        continue;
      u->stretch = NB_CJK_STRETCH * em;
      u->shrink = NB_CJK_SHRINK * em;
    } else if (u->cjk != v->cjk) {
      if (joiner(cu) || joiner(cv)) continue;
      /* Hanzi next to Latin letters or digits: the layout's gap (none next to marks) */
      if ((han_like(b, k) && latin_like(b, k + 1)) || (latin_like(b, k) && han_like(b, k + 1))) {
        double cjk_em = u->cjk ? u->em : v->em;
        u->glue = s->cjk_latin_space * cjk_em;
        u->shrink = u->glue * 0.5;
      }
      u->stretch = NB_CJK_STRETCH * em;
      u->shrink += NB_CJK_SHRINK * em;
    }
    /* inside Latin words, numbers and URLs: nothing */
  }
  for (size_t k = 0; k < nu; k++) {
    unit *u = &U[k];
    /* Latin word spaces stretch and shrink, as in Latin text */
    if (u->space && u->w > 0 && k > 0) {
      U[k - 1].stretch += u->w * 0.5;
      U[k - 1].shrink += u->w * 0.33;
    }
    /* blank halves of marks inside a line shrink before Hanzi spacing does */
    if (k + 1 < nu) u->shrink += 0.8 * (u->blank_r - u->cut_r);
    if (k > 0) U[k - 1].shrink += 0.8 * (u->blank_l - u->cut_l);
  }
  b->pw = nb_xmalloc((nu + 1) * sizeof *b->pw);
  b->pst = nb_xmalloc((nu + 1) * sizeof *b->pst);
  b->psh = nb_xmalloc((nu + 1) * sizeof *b->psh);
  b->pw[0] = b->pst[0] = b->psh[0] = 0;
  for (size_t k = 0; k < nu; k++) {
    b->pw[k + 1] = b->pw[k] + U[k].w + U[k].glue;
    b->pst[k + 1] = b->pst[k] + U[k].stretch;
    b->psh[k + 1] = b->psh[k] + U[k].shrink;
  }
}

/* A break between two Hanzi of one word, in ragged text that wraps: enough to move a break
 * a few characters to the nearest word boundary, not to add a line. */
#define WORD_PENALTY 600

void nb__word_penalties(builder *b, const nb_parastyle *ps) {
  size_t nu = b->units.n;
  unit *U = b->units.v;
  if (!nu || nb__justified(ps) || b->segs[0].role->boxed) return; /* cells fill their lines */
  /* only where text between forced breaks needs more than one line (ICU's dictionary
   * costs ~1.5 ms to load) */
  int wraps = 0;
  for (size_t k = 0, from = 0; k < nu && !wraps; k++)
    if (U[k].brk == NB_BRK_MUST || k + 1 == nu) {
      wraps = b->pw[k + 1] - b->pw[from] > ps->width - ps->indent - ps->right_indent;
      from = k + 1;
    }
  if (!wraps) return;
  unsigned char *starts = nb_xmalloc(b->n + 1);
  nb_word_starts(b->text, b->n, starts);
  for (size_t k = 0; k + 1 < nu; k++)
    if (U[k].brk == NB_BRK_ALLOW && han_like(b, k) && han_like(b, k + 1) &&
        !starts[b->ustart[k + 1]])
      U[k].penalty += WORD_PENALTY;
  free(starts);
}
