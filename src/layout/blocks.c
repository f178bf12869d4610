/* Document blocks → boxes: numbering, roles, paragraphs line by line, figures, tables,
 * the signature. Pagination rules that belong to a block (keep a heading with what
 * follows, no widows or orphans, a figure with its caption) are set here as keep_next. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow.h"
#include "layout/statutory.h"

typedef struct ctx {
  nb_flow *flow;
  const nb_doc *doc;
  nb_textctx *tc;
  nb_pages *pages;
  const nb_style *s;
  double width, pitch;
  int counters[5];
  /* the language being set: both, one after the other, in a bilingual edition */
  nb_lang lang;
  const nb_role *roles;
  int parent;       /* the structure element new elements go under (pages->elems) */
  size_t runin_seg; /* the next paragraph's run-in text starts at this segment (0: none) */
} ctx;

static const nb_role *role(ctx *c, nb_role_id id) { return &c->roles[id]; }

/* Up to 9999 in Chinese numerals: 一千零一, 一百一十; `lead_ten` writes 10–19 as 十… */
static void chinese_section(nb_buf *b, int n, int lead_ten) {
  static const char *d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  static const char *unit[] = {"千", "百", "十", ""};
  const int digit[] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  int written = 0, zero = 0;
  for (int i = 0; i < 4; i++) {
    if (!digit[i]) {
      zero = written; /* a gap inside the number reads 零, once */
      continue;
    }
    if (zero) nb_buf_adds(b, d[0]);
    if (!(i == 2 && digit[i] == 1 && !written && lead_ten)) nb_buf_adds(b, d[digit[i]]);
    nb_buf_adds(b, unit[i]);
    written = 1;
    zero = 0;
  }
}

/* 一 … 十、十一 … 九十九、一百、一百零一 … 一万, as official documents count. */
static void chinese_numeral(nb_buf *b, int n) {
  if (n <= 0 || n >= 100000000) {
    nb_buf_printf(b, "%d", n);
    return;
  }
  if (n >= 10000) {
    chinese_section(b, n / 10000, 1);
    nb_buf_adds(b, "万");
    if (n % 10000 && n % 10000 < 1000) nb_buf_adds(b, "零");
    if (n % 10000) chinese_section(b, n % 10000, 0);
  } else
    chinese_section(b, n, 1);
}

/* (a) … (z), (aa), (ab) …: letters as spreadsheet columns count. */
static void letters(nb_buf *b, int n) {
  char s[16];
  int k = (int)sizeof s - 1;
  s[k] = 0;
  for (; n > 0 && k > 0; n = (n - 1) / 26) s[--k] = (char)('a' + (n - 1) % 26);
  nb_buf_adds(b, s + k);
}

static void roman(nb_buf *b, int n) {
  static const struct {
    int v;
    const char *s;
  } r[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
           {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  for (int i = 0; i < 13; i++)
    while (n >= r[i].v) {
      nb_buf_adds(b, r[i].s);
      n -= r[i].v;
    }
}

/* The official numbering of GB/T 9704 7.3.3: 一、 （一） 1. （1）; in English I. (1) 1. (a) */
static void heading_number(nb_buf *b, int level, int n, nb_lang lang) {
  if (lang == NB_LANG_EN) {
    switch (level) {
    case 1:
      roman(b, n);
      nb_buf_adds(b, ". ");
      break;
    case 2:
      nb_buf_printf(b, "(%d) ", n);
      break;
    case 3:
      nb_buf_printf(b, "%d. ", n);
      break;
    default:
      nb_buf_adds(b, "(");
      letters(b, n);
      nb_buf_adds(b, ") ");
      break;
    }
    return;
  }
  switch (level) {
  case 1:
    chinese_numeral(b, n);
    nb_buf_adds(b, "、");
    break;
  case 2:
    nb_buf_adds(b, "（");
    chinese_numeral(b, n);
    nb_buf_adds(b, "）");
    break;
  case 3:
    nb_buf_printf(b, "%d.", n);
    break;
  default:
    nb_buf_printf(b, "（%d）", n);
    break;
  }
}

static const char *pick(ctx *c, const nb_text *t, nb_pos *pos) {
  /* the English pass of a bilingual edition sets only what has English: falling back to
   * the Chinese there would print it twice */
  const nb_str *s = c->tc->en_roles && c->lang == NB_LANG_EN ? (t->en.s ? &t->en : NULL)
                                                             : nb_text_pick(t, c->lang);
  if (!s) return NULL;
  if (pos) *pos = s->pos;
  return s->s;
}

typedef VEC(nb_textseg) segvec;

/* Adds the inline spans of `text` as segments in `r`. */
static void add_text(ctx *c, segvec *v, const char *text, nb_pos pos, const nb_role *r,
                     int markup) {
  if (!text || !*text) return;
  if (!markup) {
    VEC_PUSH(*v,
             ((nb_textseg){nb_arena_strdup(c->doc->arena, text), strlen(text), r, 0, NULL, pos}));
    return;
  }
  nb_spans sp = nb_inline_parse(c->doc->arena, text, pos, NULL); /* the loader warned already */
  for (size_t i = 0; i < sp.n; i++)
    VEC_PUSH(*v, ((nb_textseg){sp.v[i].text, sp.v[i].len, r, sp.v[i].bold, sp.v[i].link, pos}));
}

/* Bilingual editions: a caption's English on the next line, in the English role. */
static void add_english(ctx *c, segvec *v, const nb_text *t, nb_role_id id) {
  if (!c->tc->en_roles || c->roles != c->s->roles || !t->en.s || !t->zh.s || !*t->en.s) return;
  const nb_role *er = &c->tc->en_roles[id];
  add_text(c, v, "\n", t->en.pos, er, 0);
  add_text(c, v, t->en.s, t->en.pos, er, 1);
}

static nb_textseg *keep_segs(ctx *c, segvec *v) {
  nb_textseg *s = nb_arena_alloc(c->doc->arena, (v->n + 1) * sizeof *s);
  if (v->n) memcpy(s, v->v, v->n * sizeof *s);
  return s;
}

static double grid_round(ctx *c, double h) {
  double n = ceil(h / c->pitch - 1e-6);
  return (n < 1 ? 1 : n) * c->pitch;
}

static nb_vbox *push_box(ctx *c, nb_vbox b) {
  VEC_PUSH(c->flow->boxes, b);
  return &c->flow->boxes.v[c->flow->boxes.n - 1];
}

static void space(ctx *c, double h) {
  if (h <= 0) return;
  push_box(c, (nb_vbox){.kind = NB_VB_SPACE, .h = grid_round(c, h)});
}

/* The English pass of a bilingual edition: English in a Chinese document. */
static int english_pass(const ctx *c) { return c->lang == NB_LANG_EN && c->tc->lang != NB_LANG_EN; }

/* A structure element under the current parent; English in a Chinese document says so. */
static int elem(ctx *c, const char *type) {
  int e = nb_pages_elem(c->pages, type, c->parent);
  if (english_pass(c)) c->pages->elems.v[e].lang = "en";
  return e;
}

/* Lays out a paragraph, a structure element of `type`, and pushes one box per line.
 * Returns the index of the first box. */
static size_t paragraph(ctx *c, segvec *v, const nb_role *r, nb_parastyle ps, int keep_all,
                        const char *type) {
  nb_textseg *segs = keep_segs(c, v);
  nb_para *p = nb_para_layout(c->tc, segs, v->n, &ps);
  VEC_PUSH(c->pages->paras, p);
  p->tag = elem(c, type) + 1;
  if (c->runin_seg && c->runin_seg < v->n) { /* the heading, then its paragraph */
    p->tag2 = elem(c, "P") + 1;
    p->seg2 = (uint16_t)c->runin_seg;
  }
  c->runin_seg = 0;
  size_t first = c->flow->boxes.n;
  size_t n = p->nlines;
  for (size_t i = 0; i < n; i++) {
    const nb_pline *ln = &p->lines[i];
    double size = ln->size > 0 ? ln->size : r->size;
    double h = r->leading > 0 ? r->leading : c->pitch;
    if (h < size * 1.15) h = grid_round(c, size * 1.15);
    nb_vbox b = {.kind = NB_VB_LINE, .h = h, .para = p, .line = i};
    b.baseline = (h - size) / 2 + 0.88 * size;
    /* no orphan (first line alone at a page foot) and no widow (last line alone on top) */
    b.keep_next = keep_all || (n >= 2 && (i == 0 || i + 2 == n));
    push_box(c, b);
  }
  return first;
}

static nb_parastyle pstyle(ctx *c, const nb_role *r) {
  nb_parastyle ps = {.width = c->width, .align = r->align};
  ps.indent = r->indent * c->s->roles[NB_ROLE_BODY].size;
  if (c->s->grid_chars > 0 && fabs(r->size - c->s->roles[NB_ROLE_BODY].size) < 0.01)
    ps.indent = r->indent * nb_style_char_pitch(c->s);
  return ps;
}

static void title(ctx *c) {
  nb_pos pos;
  const char *t = pick(c, &c->doc->meta.title, &pos);
  if (!t) return;
  const nb_role *r = role(c, NB_ROLE_TITLE);
  segvec v = {0};
  add_text(c, &v, t, pos, r, 0);
  space(c, r->space_before);
  size_t first = paragraph(c, &v, r, pstyle(c, r), 1, "H1");
  free(v.v);
  if (first == c->flow->boxes.n) return; /* an empty title ("" or {zh: ""}) sets no line */
  c->flow->boxes.v[first].outline_level = 0;
  space(c, r->space_after);
}

/* The length of an official heading number at the start of `t` (一、 （一） 1. 1、 （1） I.),
 * or 0: text written with its number while the numbering is automatic prints it twice. */
static int own_number(const char *t) {
  static const char *const han = "〇一二三四五六七八九十百";
  if (!t) return 0;
  const char *p = t, *e = t + strlen(t);
  int paren = !strncmp(p, "（", 3);
  if (paren) p += 3;
  const char *d0 = p;
  while (p < e) {
    const char *q = p;
    uint32_t ch = nb_utf8_next(&q, e);
    char u[5] = {0};
    nb_utf8_encode(ch, u);
    int digit = (ch >= '0' && ch <= '9') || (ch < 0x80 ? 0 : strstr(han, u) != NULL);
    if (!digit) break;
    p = q;
  }
  if (p == d0 || p - d0 > 12) return 0;
  if (paren) return !strncmp(p, "）", 3) ? (int)(p + 3 - t) : 0;
  if (!strncmp(p, "、", 3)) return (int)(p + 3 - t);
  if (*p == '.' && !(p[1] >= '0' && p[1] <= '9')) return (int)(p + 1 - t); /* not "2.5倍" */
  return 0;
}

static void count_heading(ctx *c, const nb_block *b) {
  int lv = b->level < 1 ? 1 : b->level > 4 ? 4 : b->level;
  if (b->numbering == NB_NUM_AUTO) {
    if (b->start > 0) c->counters[lv] = b->start - 1;
    c->counters[lv]++;
  }
  for (int k = lv + 1; k <= 4; k++) c->counters[k] = 0;
}

static void heading(ctx *c, const nb_block *b) {
  int lv = b->level < 1 ? 1 : b->level > 4 ? 4 : b->level;
  const nb_role *r = role(c, (nb_role_id)(NB_ROLE_H1 + lv - 1));
  if (c->lang == NB_LANG_EN && lv <= 2 && !r->bold) {
    /* Chinese headings differ from the body by their face (黑体, 楷体); set in the one Latin
     * face of the body, English headings of the first two levels need bold to stand out */
    nb_role *bold = nb_arena_alloc(c->doc->arena, sizeof *bold);
    *bold = *r;
    bold->bold = 1;
    r = bold;
  }
  nb_buf num = {0};
  if (b->numbering == NB_NUM_AUTO)
    heading_number(&num, lv, c->counters[lv], c->lang);
  else if (b->numbering == NB_NUM_LITERAL) {
    const char *n = pick(c, &b->number, NULL);
    if (n) nb_buf_adds(&num, n);
  }
  nb_pos pos = b->pos;
  const char *text = pick(c, &b->text, &pos);
  if (b->numbering == NB_NUM_AUTO && own_number(text))
    nb_warn(c->tc->d, pos,
            "the heading's text starts with a number of its own (\"%.*s…\") and the automatic "
            "one is added before it; drop it from the text, or give it as `number:`",
            own_number(text), text);
  segvec v = {0};
  if (num.n) add_text(c, &v, num.s, pos, r, 0);
  add_text(c, &v, text, pos, r, 1);
  nb_pos rpos = b->pos;
  const char *runin = pick(c, &b->runin, &rpos);
  int has_runin = runin && *runin;
  if (has_runin && c->lang == NB_LANG_EN) add_text(c, &v, " ", rpos, role(c, NB_ROLE_BODY), 0);
  c->runin_seg = has_runin ? v.n : 0;
  if (has_runin) add_text(c, &v, runin, rpos, role(c, NB_ROLE_BODY), 1);
  space(c, r->space_before);
  /* the title is H1: a heading of level n is H(n+1); a run-in heading is followed by a P
   * for the paragraph it opens, on the same lines */
  static const char *const htype[] = {"H2", "H3", "H4", "H5"};
  size_t first = paragraph(c, &v, r, pstyle(c, r), !has_runin, htype[lv - 1]);
  free(v.v);
  if (first == c->flow->boxes.n) { /* nothing to set: no number, an empty text */
    nb_buf_free(&num);
    return;
  }
  nb_buf title = {0};
  nb_buf_printf(&title, "%s%s", num.s ? num.s : "", text ? text : "");
  /* a run-in heading's bookmark ends at its own sentence: drop a final 。 */
  if (title.n >= 3 && !strcmp(title.s + title.n - 3, "。")) title.s[title.n -= 3] = 0;
  nb_vbox *fb = &c->flow->boxes.v[first];
  fb->outline_level = c->roles == c->s->roles ? lv : 0; /* one bookmark per heading */
  fb->outline_title = nb_arena_strdup(c->doc->arena, title.s ? title.s : "");
  nb_buf_free(&title);
  nb_buf_free(&num);
  if (!has_runin) c->flow->boxes.v[c->flow->boxes.n - 1].keep_next = 1;
  space(c, r->space_after);
}

/* Text pasted from a word processor often starts with its own indent (two full-width
 * spaces, "　　根据…"): the layout indents, so it goes. */
static const char *skip_indent(const char *t) {
  while (t && (*t == ' ' || *t == '\t' || !strncmp(t, "\u3000", 3)))
    t += *t == ' ' || *t == '\t' ? 1 : 3;
  return t;
}

static void para(ctx *c, const nb_block *b) {
  const nb_role *r = role(c, NB_ROLE_BODY);
  segvec v = {0};
  nb_pos pos = b->pos;
  const char *lead = skip_indent(pick(c, &b->lead, &pos));
  if (lead) add_text(c, &v, lead, pos, role(c, NB_ROLE_LEAD), 1);
  if (lead && c->lang == NB_LANG_EN) add_text(c, &v, " ", pos, role(c, NB_ROLE_BODY), 0);
  const char *text = pick(c, &b->text, &pos);
  add_text(c, &v, lead ? text : skip_indent(text), pos, r, 1);
  if (v.n) paragraph(c, &v, r, pstyle(c, r), 0, "P");
  free(v.v);
}

static void list(ctx *c, const nb_block *b) {
  const nb_role *r = role(c, NB_ROLE_BODY);
  int outer = c->parent, l = elem(c, "L");
  for (size_t i = 0; i < b->nitems; i++) {
    segvec v = {0};
    nb_buf m = {0};
    if (b->ordered)
      nb_buf_printf(&m, "%zu.", i + 1);
    else
      nb_buf_adds(&m, "● ");
    nb_pos pos = b->pos;
    const char *t = pick(c, &b->items[i], &pos);
    if (!t) { /* an item without English, in the English pass of a bilingual edition */
      nb_buf_free(&m);
      continue;
    }
    add_text(c, &v, m.s, pos, r, 0);
    add_text(c, &v, t, pos, r, 1);
    c->parent = l;
    int li = elem(c, "LI");
    c->parent = li;
    paragraph(c, &v, r, pstyle(c, r), 0, "LBody"); /* its marker with it: one line of text */
    c->parent = outer;
    nb_buf_free(&m);
    free(v.v);
  }
}

/* A caption paragraph (with its English beneath in a bilingual edition), its lines kept
 * together and with what follows. Returns 0 when there is no caption. */
static int caption(ctx *c, const nb_text *t) {
  nb_pos pos;
  const char *cap = pick(c, t, &pos);
  if (!cap || !*cap) return 0;
  const nb_role *r = role(c, NB_ROLE_CAPTION);
  segvec v = {0};
  add_text(c, &v, cap, pos, r, 1);
  add_english(c, &v, t, NB_ROLE_CAPTION);
  paragraph(c, &v, r, pstyle(c, r), 1, "Caption");
  free(v.v);
  return 1;
}

static void figure(ctx *c, const nb_block *b) {
  nb_buf path = {0};
  if (b->image.s[0] == '/')
    nb_buf_adds(&path, b->image.s);
  else
    nb_buf_printf(&path, "%s/%s", c->doc->dir ? c->doc->dir : ".", b->image.s);
  int iw = 0, ih = 0;
  char why[256];
  if (!nb_image_size(path.s, &iw, &ih) || !nb_image_check(path.s, why, sizeof why)) {
    nb_error(c->tc->d, b->image.pos, "cannot use the image '%s': %s", b->image.s,
             iw ? why : "expected a JPEG or PNG file");
    nb_buf_free(&path);
    return;
  }
  double w = b->width <= 0 ? iw * 0.75 : b->width <= 1 ? b->width * c->width : b->width;
  if (w > c->width) w = c->width;
  double h = w * ih / iw;
  double maxh = c->pitch * (c->s->grid_lines > 0 ? c->s->grid_lines * 0.6 : 14);
  if (h > maxh) {
    w *= maxh / h;
    h = maxh;
  }
  size_t img = c->flow->boxes.n; /* an index: the box array moves as it grows */
  int outer = c->parent, fig = elem(c, "Figure");
  /* its alternate text: the content's `alt`, else the caption, else the file's name */
  const char *alt = pick(c, &b->alt, NULL);
  if (!alt || !*alt) alt = pick(c, &b->text, NULL);
  if (!alt || !*alt) alt = b->image.s;
  c->pages->elems.v[fig].alt = alt;
  push_box(c, (nb_vbox){.kind = NB_VB_IMAGE,
                        .h = grid_round(c, h + 4),
                        .image = nb_arena_strdup(c->doc->arena, path.s),
                        .img_w = w,
                        .img_h = h,
                        .x = (c->width - w) / 2,
                        .tag = fig + 1});
  nb_buf_free(&path);
  c->parent = fig; /* the caption belongs to the figure */
  if (caption(c, &b->text)) {
    c->flow->boxes.v[img].keep_next = 1;
    c->flow->boxes.v[c->flow->boxes.n - 1].keep_next = 0;
  }
  c->parent = outer;
}

static void table(ctx *c, const nb_table *t) {
  /* a table too wide for the type area, when the layout says so, is turned onto pages of
   * its own, its caption with it: both are set to the type area's height */
  double width = c->width, height = nb_style_text_height(c->s);
  /* the table's own say first, then the layout's for tables too wide */
  int turned = height > width &&
               (t->landscape > 0 || (t->landscape == 0 && c->s->table.wide == NB_WIDE_LANDSCAPE &&
                                     nb_table_too_wide(t, c->tc, width)));
  size_t first = c->flow->boxes.n;
  if (turned) c->width = height;
  int outer = c->parent, te = elem(c, "Table");
  c->parent = te;          /* the caption belongs to the table */
  caption(c, &t->caption); /* above the table, kept with its first rows */
  c->parent = outer;
  struct nb_tlayout *tl = nb_table_layout(t, c->tc, c->width, turned, c->flow);
  c->width = width;
  if (tl) {
    VEC_PUSH(c->flow->tables, tl);
    nb_table_tag(tl, c->pages, te); /* its cells inherit the Table's /Lang */
  }
  if (turned) { /* what follows starts on the next (upright) page, on the grid */
    /* the heading kept with the table turns with it, rather than stand alone at the foot
     * of the page before */
    size_t k = first;
    while (k > 0 && c->flow->boxes.v[k - 1].keep_next &&
           c->flow->boxes.v[k - 1].kind == NB_VB_LINE && !c->flow->boxes.v[k - 1].outline_level)
      k--;
    if (k > 0 && c->flow->boxes.v[k - 1].keep_next && c->flow->boxes.v[k - 1].kind == NB_VB_LINE &&
        c->flow->boxes.v[k - 1].outline_level)
      first = k - 1;
    for (k = first; k < c->flow->boxes.n; k++) c->flow->boxes.v[k].turned = 1;
    return;
  }
  /* the text after a table goes back on the grid */
  double h = 0;
  size_t k = c->flow->boxes.n;
  while (k > 0 && c->flow->boxes.v[k - 1].kind == NB_VB_ROW) h += c->flow->boxes.v[--k].h;
  double rest = grid_round(c, h) - h;
  if (rest > 0.01) push_box(c, (nb_vbox){.kind = NB_VB_SPACE, .h = rest});
}

static void signature(ctx *c, const nb_block *b) {
  const nb_role *r = role(c, NB_ROLE_SIGNATURE);
  nb_pos pos = b->pos;
  const char *issuer =
      pick(c, nb_text_present(&b->issuer) ? &b->issuer : &c->doc->meta.issuer, &pos);
  const char *date = b->date.s ? b->date.s : c->doc->meta.published.s;
  nb_buf d = {0};
  nb_format_date(&d, date, c->lang);
  segvec vi = {0}, vd = {0};
  add_text(c, &vi, issuer, pos, r, 0);
  add_text(c, &vd, d.s, b->date.s ? b->date.pos : pos, r, 0);
  double em = r->size;
  double wi = nb_para_measure(c->tc, vi.v, vi.n, NULL),
         wd = nb_para_measure(c->tc, vd.v, vd.n, NULL);
  /* unsealed documents: the issuer 2 characters from the right edge, the date starting
   * 2 characters right of the issuer's start (GB/T 9704 7.3.5.2) */
  nb_parastyle ps = {.width = c->width, .align = NB_ALIGN_RIGHT, .right_indent = 2 * em};
  space(c, c->pitch);
  if (vi.n) paragraph(c, &vi, r, ps, 1, "P");
  ps.right_indent = NB_MAX(0, 2 * em + wi - 2 * em - wd);
  if (vd.n) paragraph(c, &vd, r, ps, 0, "P");
  nb_buf_free(&d);
  free(vi.v);
  free(vd.v);
}

/* The 发文机关标志 of the letterhead: the issuing body in red, centred, its top edge at
 * the layout's distance below the type area's top, with a red rule beneath. */
static void masthead(ctx *c) {
  const nb_role *r = role(c, NB_ROLE_MASTHEAD);
  char *t = nb_fields_expand(c->s->masthead.text, c->doc, c->lang, 1, 1);
  segvec v = {0};
  add_text(c, &v, t, c->doc->meta.pos, r, 0);
  free(t);
  nb_parastyle ps = pstyle(c, r);
  ps.align = NB_ALIGN_CENTER;
  ps.indent = 0;
  nb_textseg *segs = keep_segs(c, &v);
  nb_para *p = nb_para_layout(c->tc, segs, v.n, &ps);
  VEC_PUSH(c->pages->paras, p);
  p->tag = elem(c, "P") + 1;
  free(v.v);
  double top = c->s->masthead.top;
  for (size_t i = 0; i < p->nlines; i++) {
    double size = p->lines[i].size;
    double h = size * 1.2 + (i == 0 ? top : 0);
    push_box(c, (nb_vbox){.kind = NB_VB_LINE,
                          .h = h,
                          .para = p,
                          .line = i,
                          .keep_next = 1,
                          .baseline = h - size * 0.2 - 0.12 * size});
  }
  push_box(c, (nb_vbox){.kind = NB_VB_RULE,
                        .h = c->s->masthead.rule_gap,
                        .keep_next = 1,
                        .rule_w = c->s->masthead.rule,
                        .rule_color = r->color});
  /* back on the grid after the rule */
  double used = 0;
  for (size_t k = 0; k < c->flow->boxes.n; k++) used += c->flow->boxes.v[k].h;
  double after = grid_round(c, used + c->s->masthead.space_after) - used;
  push_box(c, (nb_vbox){.kind = NB_VB_SPACE, .h = after});
}

/* The 版记 (GB/T 9704 7.4): "{office}　{published}印发" between rules, the last rule on
 * the type area's bottom edge of the last page. */
static void colophon(ctx *c) {
  const nb_role *small = role(c, NB_ROLE_CAPTION); /* 4号 */
  char *t = nb_fields_expand(c->s->colophon.text, c->doc, c->lang, 1, 1);
  segvec v = {0};
  add_text(c, &v, t, c->doc->meta.pos, small, 0);
  free(t);
  nb_parastyle ps = {.width = c->width,
                     .align = NB_ALIGN_JUSTIFY,
                     .indent = small->size,
                     .right_indent = small->size};
  nb_textseg *segs = keep_segs(c, &v);
  nb_para *p = nb_para_layout(c->tc, segs, v.n, &ps);
  VEC_PUSH(c->pages->paras, p);
  p->tag = elem(c, "P") + 1;
  free(v.v);
  nb_color black = {0, 0, 0};
  push_box(c, (nb_vbox){.kind = NB_VB_RULE,
                        .h = 0,
                        .rule_w = 0.35 * NB_MM,
                        .rule_color = black,
                        .at_bottom = 1,
                        .keep_next = 1});
  for (size_t i = 0; i < p->nlines; i++) {
    double size = p->lines[i].size;
    push_box(c, (nb_vbox){.kind = NB_VB_LINE,
                          .h = c->pitch,
                          .para = p,
                          .line = i,
                          .keep_next = 1,
                          .at_bottom = 1,
                          .baseline = (c->pitch - size) / 2 + 0.88 * size});
  }
  push_box(
      c,
      (nb_vbox){
          .kind = NB_VB_RULE, .h = 0, .rule_w = 0.35 * NB_MM, .rule_color = black, .at_bottom = 1});
}

static int has_en(const nb_text *t) { return t->en.s && t->zh.s && t->en.s[0]; }

/* In a bilingual edition, the English of a block follows its Chinese. */
static int english_follows(ctx *c, const nb_block *b) {
  if (!c->tc->en_roles) return 0;
  switch (b->kind) {
  case NB_BLK_HEADING:
    return has_en(&b->text);
  case NB_BLK_PARA:
    return has_en(&b->text) || has_en(&b->lead);
  case NB_BLK_LIST:
    for (size_t i = 0; i < b->nitems; i++)
      if (has_en(&b->items[i])) return 1;
    return 0;
  case NB_BLK_SIGNATURE:
    return 1;
  default:
    return 0;
  }
}

static void block(ctx *c, const nb_block *b) {
  switch (b->kind) {
  case NB_BLK_HEADING:
    heading(c, b);
    break;
  case NB_BLK_PARA:
    para(c, b);
    break;
  case NB_BLK_LIST:
    list(c, b);
    break;
  case NB_BLK_FIGURE:
    figure(c, b);
    break;
  case NB_BLK_TABLE:
    table(c, b->table);
    break;
  case NB_BLK_STATUTORY: {
    nb_table *t = nb_statutory_table(c->doc, b->statutory, c->tc->d);
    if (t) {
      if (nb_text_present(&b->text)) t->caption = b->text;
      t->landscape = b->landscape;
      table(c, t);
    }
    break;
  }
  case NB_BLK_PAGEBREAK:
    push_box(c, (nb_vbox){.kind = NB_VB_SPACE, .h = 0, .break_before = 1});
    break;
  case NB_BLK_SIGNATURE:
    signature(c, b);
    break;
  }
}

void nb_flow_build(nb_flow *flow, const nb_doc *doc, nb_textctx *tc, nb_pages *pages) {
  ctx c = {.flow = flow, .doc = doc, .tc = tc, .pages = pages, .s = tc->style};
  c.parent = nb_pages_elem(pages, "Document", -1);
  c.width = nb_style_text_width(c.s);
  c.pitch = nb_style_line_pitch(c.s);
  c.lang = tc->lang;
  c.roles = c.s->roles;
  if (c.s->masthead.present) masthead(&c);
  title(&c);
  if (tc->en_roles && has_en(&doc->meta.title)) {
    c.lang = NB_LANG_EN;
    c.roles = tc->en_roles;
    title(&c);
    c.lang = tc->lang;
    c.roles = c.s->roles;
  }
  for (size_t i = 0; i < doc->nblocks; i++) {
    const nb_block *b = &doc->blocks[i];
    if (b->kind == NB_BLK_HEADING) count_heading(&c, b);
    block(&c, b);
    if (english_follows(&c, b)) {
      /* keep the Chinese heading with its English */
      if (b->kind == NB_BLK_HEADING && flow->boxes.n)
        flow->boxes.v[flow->boxes.n - 1].keep_next = 1;
      c.lang = NB_LANG_EN;
      c.roles = tc->en_roles;
      block(&c, b);
      c.lang = tc->lang;
      c.roles = c.s->roles;
    }
  }
  if (c.s->colophon.present) colophon(&c);
}

void nb_flow_free(nb_flow *flow) {
  for (size_t i = 0; i < flow->tables.n; i++) nb_table_free(flow->tables.v[i]);
  free(flow->tables.v);
  free(flow->boxes.v);
}
