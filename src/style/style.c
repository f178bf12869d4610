#include "style/style.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content/ytree.h"
#include "style/fields.h"

static const struct {
  const char *name;
  double pt;
} zihao[] = {{"初号", 42},  {"小初", 36},  {"一号", 26},   {"小一", 24},
             {"二号", 22},  {"小二", 18},  {"三号", 16},   {"小三", 15},
             {"四号", 14},  {"小四", 12},  {"五号", 10.5}, {"小五", 9},
             {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5},  {"八号", 5}};

static const char *role_names[NB_ROLE_COUNT] = {
    "body",   "title",   "h1",       "h2",         "h3",          "h4",
    "lead",   "caption", "table",    "table_head", "page_number", "signature",
    "header", "footer",  "masthead", "watermark",  "english"};

int nb_parse_font_size(const char *s, double *out) {
  for (size_t i = 0; i < sizeof zihao / sizeof zihao[0]; i++)
    if (!strcmp(s, zihao[i].name)) {
      *out = zihao[i].pt;
      return 1;
    }
  return nb_parse_length(s, 0, out) && *out > 0;
}

int nb_parse_length(const char *s, double em, double *out) {
  char *end;
  double v = strtod(s, &end);
  if (end == s) return 0;
  if (!*end || !strcmp(end, "pt"))
    *out = v;
  else if (!strcmp(end, "mm"))
    *out = v * NB_MM;
  else if (!strcmp(end, "cm"))
    *out = v * NB_MM * 10;
  else if (!strcmp(end, "in"))
    *out = v * 72;
  else if (!strcmp(end, "em") && em > 0)
    *out = v * em;
  else
    return 0;
  return 1;
}

typedef struct {
  nb_arena *arena;
  nb_diags *d;
  nb_style *s;
  /* the named font lists of every file loaded so far, bases first: a layout that extends
   * another uses the lists of its base and may redefine some */
  const nb_ynode *fonts[8];
  int nfonts;
  nb_pos page_pos, grid_pos; /* the last `page:` and `grid:` read, for geometry errors */
  int depth;
} ctx;

static int want_length(ctx *c, const nb_ynode *n, double em, double *out) {
  if (n && n->kind == NB_Y_SCALAR && nb_parse_length(n->str, em, out)) return 1;
  nb_error(c->d, n->pos, "expected a length such as 37mm, 12pt%s, found '%s'",
           em > 0 ? " or 2em" : "", n->kind == NB_Y_SCALAR ? n->str : nb_ykind_name(n));
  return 0;
}

static int want_int(ctx *c, const nb_ynode *n, int lo, int hi, int *out) {
  long v;
  if (nb_y_int(n, &v) && v >= lo && v <= hi) {
    *out = (int)v;
    return 1;
  }
  nb_error(c->d, n->pos, "expected an integer from %d to %d", lo, hi);
  return 0;
}

static int want_bool(ctx *c, const nb_ynode *n, int *out) {
  if (nb_y_bool(n, out)) return 1;
  nb_error(c->d, n->pos, "expected true or false");
  return 0;
}

static const char *want_str(ctx *c, const nb_ynode *n) {
  if (n->kind == NB_Y_SCALAR) return n->str;
  nb_error(c->d, n->pos, "expected a string, found %s", nb_ykind_name(n));
  return NULL;
}

/* One of the NULL-terminated `names`: its index, or -1 after an error that lists them (and
 * suggests the closest of a misspelling). */
static int want_choice(ctx *c, const nb_ynode *n, const char *const *names, const char *what) {
  const char *s = want_str(c, n);
  if (!s) return -1;
  nb_buf all = {0};
  for (int i = 0; names[i]; i++) {
    if (!strcmp(s, names[i])) {
      nb_buf_free(&all);
      return i;
    }
    nb_buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
  }
  const char *best = nb_suggest(s, names);
  if (best)
    nb_error(c->d, n->pos, "unknown %s '%s'; did you mean '%s'? (one of: %s)", what, s, best,
             all.s);
  else
    nb_error(c->d, n->pos, "unknown %s '%s'; expected one of: %s", what, s, all.s);
  nb_buf_free(&all);
  return -1;
}

/* A font list is a list of names, or the name of a list under `fonts:`. */
/* The named list `name` of the most derived file that defines it, or NULL. */
static const nb_ynode *named_list(const ctx *c, const char *name) {
  for (int i = c->nfonts - 1; i >= 0; i--) {
    const nb_ynode *named = nb_ymap_get(c->fonts[i], name);
    if (named) return named;
  }
  return NULL;
}

static void fill_fontlist(ctx *c, const nb_ynode *n, nb_fontlist *out) {
  if (n->kind == NB_Y_SCALAR) {
    out->n = 1;
    out->names[0] = n->str;
    return;
  }
  if (!nb_y_want(n, NB_Y_SEQ, "a list of font names or the name of a list under 'fonts'", c->d))
    return;
  if (n->n > NB_MAX_FONTS) {
    nb_error(c->d, n->pos, "at most %d fonts in one list", NB_MAX_FONTS);
    return;
  }
  out->n = 0;
  for (size_t i = 0; i < n->n; i++) {
    const char *s = want_str(c, n->vals[i]);
    if (s) out->names[out->n++] = s;
  }
}

/* A font list is a list of names, or the name of a list under `fonts:`. */
static void parse_fontlist(ctx *c, const nb_ynode *n, nb_fontlist *out) {
  const nb_ynode *named = n->kind == NB_Y_SCALAR ? named_list(c, n->str) : NULL;
  out->ref = named ? n->str : NULL;
  fill_fontlist(c, named ? named : n, out);
}

/* Once every file is loaded: lists taken by name take the most derived definition. */
static void rebind_fontlist(ctx *c, nb_fontlist *l) {
  const nb_ynode *named = l->ref ? named_list(c, l->ref) : NULL;
  if (named) fill_fontlist(c, named, l);
}

static void parse_align(ctx *c, const nb_ynode *n, nb_align *out) {
  static const char *const names[] = {"left", "center", "right", "justify", NULL};
  int i = want_choice(c, n, names, "alignment");
  if (i >= 0) *out = (nb_align)(i + 1);
}

/* "#RRGGBB", or black / red (GB/T 9704's red for official marks) */
static void parse_color(ctx *c, const nb_ynode *n, nb_color *out) {
  const char *s = want_str(c, n);
  unsigned r, g, b;
  if (!s) return;
  if (!strcmp(s, "black"))
    *out = (nb_color){0, 0, 0};
  else if (!strcmp(s, "red"))
    *out = (nb_color){0.9f, 0.0f, 0.07f};
  else if (strlen(s) == 7 && s[0] == '#' && strspn(s + 1, "0123456789abcdefABCDEF") == 6 &&
           sscanf(s, "#%2x%2x%2x", &r, &g, &b) == 3)
    *out = (nb_color){r / 255.0f, g / 255.0f, b / 255.0f};
  else
    nb_error(c->d, n->pos, "expected a colour: #RRGGBB, black or red, found '%s'", s);
}

static void parse_role(ctx *c, const nb_ynode *n, nb_role *r) {
  static const char *keys[] = {"font",   "latin",        "size",        "leading", "bold", "align",
                               "indent", "space_before", "space_after", "color",   NULL};
  if (!nb_y_want(n, NB_Y_MAP, "a mapping of role settings", c->d)) return;
  nb_ymap_check_keys(n, keys, "role", c->d);
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "font"))) parse_fontlist(c, v, &r->cjk);
  if ((v = nb_ymap_get(n, "latin"))) parse_fontlist(c, v, &r->latin);
  if ((v = nb_ymap_get(n, "size"))) {
    if (v->kind != NB_Y_SCALAR || !nb_parse_font_size(v->str, &r->size))
      nb_error(c->d, v->pos, "expected a font size such as 三号, 小四 or 16pt");
  }
  if ((v = nb_ymap_get(n, "leading"))) want_length(c, v, r->size, &r->leading);
  if ((v = nb_ymap_get(n, "bold"))) want_bool(c, v, &r->bold);
  if ((v = nb_ymap_get(n, "align"))) parse_align(c, v, &r->align);
  if ((v = nb_ymap_get(n, "indent"))) {
    if (!nb_y_number(v, &r->indent)) nb_error(c->d, v->pos, "expected a number of characters");
  }
  if ((v = nb_ymap_get(n, "space_before"))) want_length(c, v, r->size, &r->space_before);
  if ((v = nb_ymap_get(n, "space_after"))) want_length(c, v, r->size, &r->space_after);
  if ((v = nb_ymap_get(n, "color"))) parse_color(c, v, &r->color);
}

static void parse_page(ctx *c, const nb_ynode *n) {
  static const char *keys[] = {"size", "width", "height", "margin", "mirror", NULL};
  static const char *mkeys[] = {"top", "bottom", "inner", "outer", "left", "right", NULL};
  if (!nb_y_want(n, NB_Y_MAP, "a mapping", c->d)) return;
  nb_ymap_check_keys(n, keys, "page", c->d);
  nb_style *s = c->s;
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "size"))) {
    const char *sz = want_str(c, v);
    if (sz && !strcmp(sz, "a4"))
      s->page_w = 210 * NB_MM, s->page_h = 297 * NB_MM;
    else if (sz && !strcmp(sz, "a5"))
      s->page_w = 148 * NB_MM, s->page_h = 210 * NB_MM;
    else if (sz)
      nb_error(c->d, v->pos, "expected a4 or a5 (or give width and height)");
  }
  if ((v = nb_ymap_get(n, "width"))) want_length(c, v, 0, &s->page_w);
  if ((v = nb_ymap_get(n, "height"))) want_length(c, v, 0, &s->page_h);
  if ((v = nb_ymap_get(n, "mirror"))) want_bool(c, v, &s->mirror);
  if ((v = nb_ymap_get(n, "margin"))) {
    if (!nb_y_want(v, NB_Y_MAP, "a mapping of margins", c->d)) return;
    nb_ymap_check_keys(v, mkeys, "margin", c->d);
    const nb_ynode *m;
    if ((m = nb_ymap_get(v, "top"))) want_length(c, m, 0, &s->margin_top);
    if ((m = nb_ymap_get(v, "bottom"))) want_length(c, m, 0, &s->margin_bottom);
    if ((m = nb_ymap_get(v, "inner"))) want_length(c, m, 0, &s->margin_inner);
    if ((m = nb_ymap_get(v, "left"))) want_length(c, m, 0, &s->margin_inner);
    if ((m = nb_ymap_get(v, "outer"))) want_length(c, m, 0, &s->margin_outer);
    if ((m = nb_ymap_get(v, "right"))) want_length(c, m, 0, &s->margin_outer);
  }
}

static void parse_pagenum(ctx *c, const nb_ynode *n) {
  static const char *keys[] = {"format", "font",     "latin",      "size", "offset",
                               "indent", "position", "first_page", NULL};
  if (nb_y_is_null(n) || (n->kind == NB_Y_SCALAR && !strcmp(n->str, "none"))) {
    c->s->pagenum_format = NULL; /* no page numbers (a footer may carry {page}) */
    return;
  }
  if (!nb_y_want(n, NB_Y_MAP, "a mapping or none", c->d)) return;
  nb_ymap_check_keys(n, keys, "page_number", c->d);
  nb_style *s = c->s;
  nb_role *r = &s->roles[NB_ROLE_PAGENUM];
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "format"))) s->pagenum_format = want_str(c, v);
  if ((v = nb_ymap_get(n, "font"))) parse_fontlist(c, v, &r->cjk);
  if ((v = nb_ymap_get(n, "latin"))) parse_fontlist(c, v, &r->latin);
  if ((v = nb_ymap_get(n, "size")) &&
      (v->kind != NB_Y_SCALAR || !nb_parse_font_size(v->str, &r->size)))
    nb_error(c->d, v->pos, "expected a font size such as 四号 or 14pt");
  if ((v = nb_ymap_get(n, "offset"))) want_length(c, v, 0, &s->pagenum_offset);
  if ((v = nb_ymap_get(n, "indent")) && !nb_y_number(v, &s->pagenum_indent))
    nb_error(c->d, v->pos, "expected a number of characters");
  if ((v = nb_ymap_get(n, "first_page"))) want_bool(c, v, &s->pagenum_first);
  if ((v = nb_ymap_get(n, "position"))) {
    const char *p = want_str(c, v);
    if (p && !strcmp(p, "outer"))
      s->pagenum_outer = 1;
    else if (p && !strcmp(p, "center"))
      s->pagenum_outer = 0;
    else if (p)
      nb_error(c->d, v->pos, "expected outer or center");
  }
}

/* A string for both languages, or {zh, en}. */
static void parse_langtext(ctx *c, const nb_ynode *n, const char *what, nb_langtext *t) {
  static const char *keys[] = {"zh", "en", NULL};
  if (n->kind == NB_Y_SCALAR) {
    t->zh = t->en = n->str;
    return;
  }
  if (!nb_y_want(n, NB_Y_MAP, "a string or {zh, en}", c->d)) return;
  nb_ymap_check_keys(n, keys, what, c->d);
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "zh"))) t->zh = want_str(c, v);
  if ((v = nb_ymap_get(n, "en"))) t->en = want_str(c, v);
}

static void parse_table(ctx *c, const nb_ynode *n) {
  static const char *keys[] = {"continued",   "padding", "rule",  "frame", "line_spacing",
                               "header_fill", "numbers", "blank", "wide",  NULL};
  if (!nb_y_want(n, NB_Y_MAP, "a mapping of table settings", c->d)) return;
  nb_ymap_check_keys(n, keys, "table", c->d);
  nb_tablestyle *t = &c->s->table;
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "continued"))) parse_langtext(c, v, "continued", &c->s->table_continued);
  if ((v = nb_ymap_get(n, "padding"))) {
    if (v->kind == NB_Y_SEQ && v->n == 2 && nb_y_number(v->vals[0], &t->pad_x) &&
        nb_y_number(v->vals[1], &t->pad_y))
      ;
    else
      nb_error(c->d, v->pos, "expected [horizontal, vertical] padding in em, e.g. [0.3, 0.25]");
  }
  if ((v = nb_ymap_get(n, "rule"))) want_length(c, v, 0, &t->rule);
  if ((v = nb_ymap_get(n, "frame"))) want_length(c, v, 0, &t->frame);
  if ((v = nb_ymap_get(n, "line_spacing")) && !nb_y_number(v, &t->line_spacing))
    nb_error(c->d, v->pos, "expected a number (line pitch as a multiple of the font size)");
  if ((v = nb_ymap_get(n, "header_fill"))) {
    if (nb_y_is_null(v) || (v->kind == NB_Y_SCALAR && !strcmp(v->str, "none")))
      t->header_gray = 1;
    else if (!nb_y_number(v, &t->header_gray) || t->header_gray < 0 || t->header_gray > 1)
      nb_error(c->d, v->pos, "expected none or a grey level from 0 (black) to 1 (white)");
  }
  if ((v = nb_ymap_get(n, "numbers"))) parse_align(c, v, &t->numbers);
  if ((v = nb_ymap_get(n, "blank"))) t->blank = want_str(c, v);
  if ((v = nb_ymap_get(n, "wide"))) {
    static const char *const wide[] = {"shrink", "landscape", NULL};
    int k = want_choice(c, v, wide, "wide-table setting");
    if (k >= 0) t->wide = k ? NB_WIDE_LANDSCAPE : NB_WIDE_SHRINK;
  }
}

/* A template line: every {field} must be one the pages know. */
static const char *want_template(ctx *c, const nb_ynode *n) {
  const char *t = want_str(c, n);
  char bad[64];
  if (t && !nb_fields_known(t, bad, sizeof bad)) {
    nb_error(c->d, n->pos,
             "unknown field {%s}; fields are {issuer} {title} {year} {published} {page} {pages} "
             "{office} {address} {postcode} {phone} {email} {website}",
             bad);
    return NULL;
  }
  return t;
}

/* One line of text or a list of lines. */
static void parse_lines(ctx *c, const nb_ynode *v, const char **lines, int *nlines) {
  *nlines = 0;
  if (v->kind == NB_Y_SCALAR) {
    const char *t = want_template(c, v);
    if (t) lines[(*nlines)++] = t;
  } else if (v->kind == NB_Y_SEQ && v->n <= NB_BAND_LINES) {
    for (size_t i = 0; i < v->n; i++) {
      const char *t = want_template(c, v->vals[i]);
      if (t) lines[(*nlines)++] = t;
    }
  } else
    nb_error(c->d, v->pos, "expected a line of text or a list of at most %d lines", NB_BAND_LINES);
}

static void parse_band(ctx *c, const nb_ynode *n, nb_band *b, const char *what) {
  static const char *keys[] = {"text",   "even", "first",      "align",
                               "offset", "rule", "first_page", NULL};
  if (nb_y_is_null(n) || (n->kind == NB_Y_SCALAR && !strcmp(n->str, "none"))) {
    b->present = 0;
    return;
  }
  if (!nb_y_want(n, NB_Y_MAP, "a mapping {text, align, offset, rule, first_page} or none", c->d))
    return;
  nb_ymap_check_keys(n, keys, what, c->d);
  b->present = 1;
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "text"))) parse_lines(c, v, b->lines, &b->nlines);
  if ((v = nb_ymap_get(n, "even"))) parse_lines(c, v, b->even.lines, &b->even.nlines);
  if ((v = nb_ymap_get(n, "first"))) {
    parse_lines(c, v, b->first.lines, &b->first.nlines);
    b->first_page = 1;
  }
  if ((v = nb_ymap_get(n, "align"))) {
    if (v->kind == NB_Y_SCALAR && !strcmp(v->str, "outer"))
      b->outer = 1;
    else {
      b->outer = 0;
      parse_align(c, v, &b->align);
    }
  }
  if ((v = nb_ymap_get(n, "offset"))) want_length(c, v, 0, &b->offset);
  if ((v = nb_ymap_get(n, "rule"))) want_length(c, v, 0, &b->rule);
  if ((v = nb_ymap_get(n, "first_page"))) want_bool(c, v, &b->first_page);
}

static void parse_masthead(ctx *c, const nb_ynode *n) {
  static const char *keys[] = {"text", "top", "rule", "rule_gap", "space_after", NULL};
  nb_style *s = c->s;
  if (nb_y_is_null(n) || (n->kind == NB_Y_SCALAR && !strcmp(n->str, "none"))) {
    s->masthead.present = 0;
    return;
  }
  if (!nb_y_want(n, NB_Y_MAP, "a mapping {text, top, rule, rule_gap, space_after} or none", c->d))
    return;
  nb_ymap_check_keys(n, keys, "masthead", c->d);
  s->masthead.present = 1;
  const nb_ynode *v;
  if ((v = nb_ymap_get(n, "text"))) s->masthead.text = want_template(c, v);
  if ((v = nb_ymap_get(n, "top"))) want_length(c, v, 0, &s->masthead.top);
  if ((v = nb_ymap_get(n, "rule"))) want_length(c, v, 0, &s->masthead.rule);
  if ((v = nb_ymap_get(n, "rule_gap"))) want_length(c, v, 0, &s->masthead.rule_gap);
  if ((v = nb_ymap_get(n, "space_after"))) want_length(c, v, 0, &s->masthead.space_after);
}

static int load_file(ctx *c, const char *name_or_path, nb_pos from);

static void apply(ctx *c, const nb_ynode *root) {
  static const char *keys[] = {"name",
                               "extends",
                               "page",
                               "grid",
                               "fonts",
                               "fallback",
                               "roles",
                               "page_number",
                               "cjk_latin_space",
                               "hanging_punctuation",
                               "punctuation",
                               "table",
                               "header",
                               "footer",
                               "masthead",
                               "colophon",
                               "watermark",
                               NULL};
  if (!nb_y_want(root, NB_Y_MAP, "a layout mapping", c->d)) return;
  nb_ymap_check_keys(root, keys, "layout", c->d);
  nb_style *s = c->s;
  const nb_ynode *v;
  if ((v = nb_ymap_get(root, "extends"))) {
    const char *base = want_str(c, v);
    if (base) load_file(c, base, v->pos);
  }
  const nb_ynode *fonts = nb_ymap_get(root, "fonts");
  if (fonts && nb_y_want(fonts, NB_Y_MAP, "a mapping of named font lists", c->d) && c->nfonts < 8)
    c->fonts[c->nfonts++] = fonts;
  if ((v = nb_ymap_get(root, "name"))) s->name = want_str(c, v);
  if ((v = nb_ymap_get(root, "page"))) {
    c->page_pos = v->pos;
    parse_page(c, v);
  }
  if ((v = nb_ymap_get(root, "grid"))) {
    c->grid_pos = v->pos;
    static const char *gkeys[] = {"chars", "lines", NULL};
    if (nb_y_want(v, NB_Y_MAP, "a mapping {chars, lines}", c->d)) {
      nb_ymap_check_keys(v, gkeys, "grid", c->d);
      const nb_ynode *g;
      if ((g = nb_ymap_get(v, "chars"))) want_int(c, g, 0, 200, &s->grid_chars);
      if ((g = nb_ymap_get(v, "lines"))) want_int(c, g, 0, 200, &s->grid_lines);
    }
  }
  if ((v = nb_ymap_get(root, "fallback"))) parse_fontlist(c, v, &s->fallback);
  if ((v = nb_ymap_get(root, "cjk_latin_space")) && !nb_y_number(v, &s->cjk_latin_space))
    nb_error(c->d, v->pos, "expected a number (em)");
  if ((v = nb_ymap_get(root, "hanging_punctuation"))) want_bool(c, v, &s->hanging_punct);
  if ((v = nb_ymap_get(root, "punctuation"))) {
    static const char *const styles[] = {"quanjiao", "kaiming", "banjiao", NULL};
    int k = want_choice(c, v, styles, "punctuation style");
    if (k >= 0) s->punct_style = k;
  }
  if ((v = nb_ymap_get(root, "table"))) parse_table(c, v);
  if ((v = nb_ymap_get(root, "roles")) && nb_y_want(v, NB_Y_MAP, "a mapping of roles", c->d)) {
    static const char *rkeys[NB_ROLE_COUNT + 1];
    for (int i = 0; i < NB_ROLE_COUNT; i++) rkeys[i] = role_names[i];
    nb_ymap_check_keys(v, rkeys, "roles", c->d);
    /* body first: roles a file does not set start from the body it sets. */
    const nb_ynode *body = nb_ymap_get(v, "body");
    if (body) parse_role(c, body, &s->roles[NB_ROLE_BODY]);
    for (int i = 1; i < NB_ROLE_COUNT; i++) {
      const nb_ynode *r = nb_ymap_get(v, role_names[i]);
      if (r) parse_role(c, r, &s->roles[i]);
    }
  }
  if ((v = nb_ymap_get(root, "page_number"))) parse_pagenum(c, v);
  if ((v = nb_ymap_get(root, "header"))) parse_band(c, v, &s->header, "header");
  if ((v = nb_ymap_get(root, "footer"))) parse_band(c, v, &s->footer, "footer");
  if ((v = nb_ymap_get(root, "masthead"))) parse_masthead(c, v);
  if ((v = nb_ymap_get(root, "watermark"))) parse_langtext(c, v, "watermark", &c->s->watermark);
  if ((v = nb_ymap_get(root, "colophon"))) {
    if (nb_y_is_null(v) || (v->kind == NB_Y_SCALAR && !strcmp(v->str, "none")))
      s->colophon.present = 0;
    else if (v->kind == NB_Y_SCALAR) {
      s->colophon.present = 1;
      s->colophon.text = want_template(c, v);
    } else
      nb_error(c->d, v->pos, "expected a line of text (with fields) or none");
  }
}

static int file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int load_file(ctx *c, const char *name_or_path, nb_pos from) {
  if (++c->depth > 8) {
    nb_error(c->d, from, "layouts extend each other more than 8 levels deep");
    return 0;
  }
  nb_buf path = {0};
  if (strchr(name_or_path, '/') || strstr(name_or_path, ".yaml"))
    nb_buf_adds(&path, name_or_path);
  else {
    const char *env = getenv("NIANBAO_LAYOUTS");
    const char *dirs[] = {env, "layouts", NB_SOURCE_DIR "/layouts"};
    for (size_t i = 0; i < 3; i++) {
      if (!dirs[i]) continue;
      path.n = 0;
      nb_buf_printf(&path, "%s/%s.yaml", dirs[i], name_or_path);
      if (file_exists(path.s)) break;
    }
  }
  if (!file_exists(path.s)) {
    nb_error(c->d, from, "layout '%s' not found (looked for %s)", name_or_path, path.s);
    nb_buf_free(&path);
    return 0;
  }
  const nb_ynode *root = nb_yaml_load(c->arena, path.s, NULL, 0, c->d);
  nb_buf_free(&path);
  if (!root) return 0;
  apply(c, root);
  c->depth--;
  return 1;
}

static void defaults(nb_style *s) {
  s->page_w = 210 * NB_MM;
  s->page_h = 297 * NB_MM;
  s->margin_top = 37 * NB_MM;
  s->margin_bottom = 35 * NB_MM;
  s->margin_inner = 28 * NB_MM;
  s->margin_outer = 26 * NB_MM;
  s->pagenum_format = "— {page} —";
  s->pagenum_offset = 7 * NB_MM;
  s->pagenum_indent = 1;
  s->pagenum_outer = 1;
  s->pagenum_first = 1;
  s->table_continued = (nb_langtext){"续表", "(continued)"};
  s->table = (nb_tablestyle){.pad_x = 0.3,
                             .pad_y = 0.25,
                             .rule = 0.5,
                             .frame = 0.5,
                             .line_spacing = 1.3,
                             .header_gray = 1,
                             .numbers = NB_ALIGN_CENTER,
                             .blank = ""};
  for (int i = 0; i < NB_ROLE_COUNT; i++) {
    s->roles[i].size = 16;
    s->roles[i].align = NB_ALIGN_JUSTIFY;
  }
  s->roles[NB_ROLE_TABLE].boxed = s->roles[NB_ROLE_TABLE_HEAD].boxed = 1;
  s->header.align = s->footer.align = NB_ALIGN_CENTER;
  s->header.offset = s->footer.offset = 5 * NB_MM;
  s->masthead.text = "{issuer}";
  s->masthead.top = 35 * NB_MM;
  s->masthead.rule = 1.5;
  s->masthead.rule_gap = 4 * NB_MM;
  s->masthead.space_after = 10 * NB_MM;
  s->watermark.zh = "征求意见稿";
  s->watermark.en = "DRAFT";
}

/* A page that leaves room for text, on a grid whose characters and lines do not overlap. */
static int geometry_ok(ctx *c) {
  const nb_style *s = c->s;
  double body = s->roles[NB_ROLE_BODY].size, w = nb_style_text_width(s),
         h = nb_style_text_height(s);
  if (s->page_w < 3 || s->page_h < 3 || s->page_w > 14400 || s->page_h > 14400) {
    nb_error(c->d, c->page_pos,
             "the page must be 3 to 14400 pt each way (PDF's limits); it is "
             "%.0f × %.0f pt",
             s->page_w, s->page_h);
    return 0;
  }
  if (s->margin_top < 0 || s->margin_bottom < 0 || s->margin_inner < 0 || s->margin_outer < 0 ||
      w < 4 * body || h < 3 * body) {
    nb_error(c->d, c->page_pos,
             "the margins leave a type area of %.0f × %.0f pt: too small for "
             "text of %.1f pt (margins must be positive and leave at least 4 × 3 characters)",
             w, h, body);
    return 0;
  }
  if (s->grid_chars > 0 && w / s->grid_chars < 0.75 * body) {
    nb_error(c->d, c->grid_pos, "%d characters of %.1f pt do not fit a line of %.0f pt",
             s->grid_chars, body, w);
    return 0;
  }
  if (s->grid_lines > 0 && h / s->grid_lines < body) {
    nb_error(c->d, c->grid_pos, "%d lines of %.1f pt do not fit a type area %.0f pt high",
             s->grid_lines, body, h);
    return 0;
  }
  return 1;
}

/* A layout from a file (text NULL) or from text, named `name_or_path` in messages. */
static nb_style *load(nb_arena *arena, const char *name_or_path, const char *text, size_t len,
                      nb_diags *d) {
  nb_style *s = nb_arena_alloc(arena, sizeof *s);
  defaults(s);
  ctx c = {.arena = arena, .d = d, .s = s};
  int before = d->errors;
  if (text) {
    const nb_ynode *root = nb_yaml_load(arena, name_or_path, text, len, d);
    if (root) apply(&c, root);
  } else
    load_file(&c, name_or_path ? name_or_path : "gbt9704", (nb_pos){0});
  if (d->errors > before) return NULL;
  for (int i = 0; i < NB_ROLE_COUNT; i++) {
    rebind_fontlist(&c, &s->roles[i].cjk);
    rebind_fontlist(&c, &s->roles[i].latin);
  }
  rebind_fontlist(&c, &s->fallback);
  for (int i = 0; i < NB_ROLE_COUNT; i++) {
    nb_role *r = &s->roles[i];
    if (!r->cjk.n) r->cjk = s->roles[NB_ROLE_BODY].cjk;
    if (!r->latin.n) r->latin = s->roles[NB_ROLE_BODY].latin;
  }
  if (!geometry_ok(&c)) return NULL;
  if (!s->roles[NB_ROLE_BODY].cjk.n) {
    nb_error(d, (nb_pos){0}, "layout '%s' names no font for the body role",
             s->name ? s->name : "?");
    return NULL;
  }
  return s;
}

nb_style *nb_style_load(nb_arena *arena, const char *name_or_path, nb_diags *d) {
  return load(arena, name_or_path, NULL, 0, d);
}

nb_style *nb_style_load_text(nb_arena *arena, const char *name, const char *text, size_t len,
                             nb_diags *d) {
  return load(arena, name, text ? text : "", len, d);
}

double nb_style_text_width(const nb_style *s) {
  return s->page_w - s->margin_inner - s->margin_outer;
}
double nb_style_text_height(const nb_style *s) {
  return s->page_h - s->margin_top - s->margin_bottom;
}
double nb_style_left(const nb_style *s, int page_no) {
  return (s->mirror && page_no % 2 == 0) ? s->margin_outer : s->margin_inner;
}
double nb_style_top(const nb_style *s) { return s->page_h - s->margin_top; }
double nb_style_line_pitch(const nb_style *s) {
  if (s->grid_lines > 0) return nb_style_text_height(s) / s->grid_lines;
  const nb_role *b = &s->roles[NB_ROLE_BODY];
  return b->leading > 0 ? b->leading : b->size * 1.5;
}
double nb_style_char_pitch(const nb_style *s) {
  if (s->grid_chars > 0) return nb_style_text_width(s) / s->grid_chars;
  return s->roles[NB_ROLE_BODY].size;
}
