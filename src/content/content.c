/* Loads a content file (docs/content.md) into the document model. Every check reports the
 * node's position and carries on, so that one run lists all the errors of a file. */
#include "content/model.h"
#include "content/dataref.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ld {
  nb_doc *doc;
  nb_arena *a;
  nb_diags *d;
  nb_arena *scratch; /* spans of the markup check, dropped at the end */
} ld;

typedef VEC(nb_datum) datum_vec;

enum { MAX_SPAN = 1000 }; /* bounds the table grid, so a typo cannot allocate gigabytes */

static void *arena_copy(nb_arena *a, const void *p, size_t n) {
  if (!n) return NULL;
  void *q = nb_arena_alloc(a, n);
  memcpy(q, p, n);
  return q;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- typed reads: each names the field, as a flow mapping puts many on one line ---- */

static int want(ld *L, const nb_ynode *n, nb_ykind k, const char *what, const char *field) {
  if (n->kind == k) return 1;
  nb_error(L->d, n->pos, "%s: expected %s, found %s", field, what, nb_ykind_name(n));
  return 0;
}

/* A quoted "" is as empty as ~ where a value is required. */
static int is_empty(const nb_ynode *n) {
  return nb_y_is_null(n) || (n->kind == NB_Y_SCALAR && n->len == 0);
}

/* A required value: absent and empty are both "missing". */
static const nb_ynode *need(ld *L, const nb_ynode *map, const char *key, const char *ctx) {
  const nb_ynode *v = nb_ymap_get(map, key);
  if (!v)
    nb_error(L->d, map->pos, "missing '%s' in %s", key, ctx);
  else if (is_empty(v))
    nb_error(L->d, v->pos, "'%s' in %s is empty", key, ctx);
  return is_empty(v) ? NULL : v;
}

static nb_str str_of(const nb_ynode *n) { return (nb_str){n->str, n->pos}; }

/* How a wrong value is quoted in a message: the scalar itself, else its kind. */
static const char *shown(ld *L, const nb_ynode *n) {
  if (n->kind != NB_Y_SCALAR || nb_y_is_null(n)) return nb_ykind_name(n);
  int cut = n->len > 40 ? 40 : (int)n->len;
  while (cut > 0 && (n->str[cut] & 0xC0) == 0x80) cut--; /* whole UTF-8 characters only */
  nb_buf b = {0};
  nb_buf_printf(&b, "'%.*s%s'", cut, n->str, (size_t)cut < n->len ? "…" : "");
  const char *s = nb_arena_strdup(L->scratch, b.s);
  nb_buf_free(&b);
  return s;
}

static int read_str(ld *L, const nb_ynode *n, const char *field, nb_str *out) {
  if (nb_y_is_null(n)) return 1;
  if (!want(L, n, NB_Y_SCALAR, "a string", field)) return 0;
  *out = str_of(n);
  return 1;
}

/* Markup problems are found here, once, so that `check` reports them. */
static void check_markup(ld *L, const nb_str *s) {
  if (s->s) nb_inline_parse(L->scratch, s->s, s->pos, L->d);
}

static void read_variant(ld *L, const nb_ynode *n, const char *field, nb_str *out) {
  if (nb_y_is_null(n)) return;
  if (n->kind != NB_Y_SCALAR) {
    nb_error(L->d, n->pos, "%s: expected a string, found %s", field, nb_ykind_name(n));
    return;
  }
  *out = str_of(n);
  check_markup(L, out);
}

static int is_text_map(const nb_ynode *n) {
  return n && n->kind == NB_Y_MAP && (nb_ymap_get(n, "zh") || nb_ymap_get(n, "en"));
}

/* A text field: a scalar, or {zh, en}. Empty stays absent; callers decide if it is needed. */
static void read_text(ld *L, const nb_ynode *n, const char *field, nb_text *out) {
  static const char *const keys[] = {"zh", "en", NULL};
  if (nb_y_is_null(n)) return;
  if (n->kind == NB_Y_SCALAR) {
    out->zh = str_of(n);
    check_markup(L, &out->zh);
    return;
  }
  if (n->kind != NB_Y_MAP) {
    nb_error(L->d, n->pos, "%s: expected a string or {zh, en}, found %s", field, nb_ykind_name(n));
    return;
  }
  nb_ymap_check_keys(n, keys, field, L->d);
  read_variant(L, nb_ymap_get(n, "zh"), field, &out->zh);
  read_variant(L, nb_ymap_get(n, "en"), field, &out->en);
  if (!nb_text_present(out)) nb_error(L->d, n->pos, "%s: give at least one of zh and en", field);
}

static void need_text(ld *L, const nb_ynode *map, const char *key, const char *ctx, nb_text *out) {
  const nb_ynode *v = need(L, map, key, ctx);
  if (v) read_text(L, v, key, out);
}

static int read_int(ld *L, const nb_ynode *n, const char *field, long lo, long hi, long *out) {
  long v;
  if (!nb_y_int(n, &v)) {
    nb_error(L->d, n->pos, "%s: expected a whole number, found %s", field, shown(L, n));
    return 0;
  }
  if (v < lo || v > hi) {
    nb_error(L->d, n->pos, "%s: %ld is out of range (%ld to %ld)", field, v, lo, hi);
    return 0;
  }
  *out = v;
  return 1;
}

static void read_bool(ld *L, const nb_ynode *n, const char *field, int *out) {
  if (nb_y_is_null(n)) return;
  if (!nb_y_bool(n, out))
    nb_error(L->d, n->pos, "%s: expected true or false, found %s", field, shown(L, n));
}

static void join_names(nb_buf *b, const char *const *names) {
  for (const char *const *p = names; *p; p++) nb_buf_printf(b, "%s%s", p == names ? "" : ", ", *p);
}

/* Index of the scalar in `names`, or -1 after an error with a suggestion. */
static int read_enum(ld *L, const nb_ynode *n, const char *field, const char *const *names) {
  if (n->kind == NB_Y_SCALAR)
    for (int i = 0; names[i]; i++)
      if (!strcmp(n->str, names[i])) return i;
  nb_buf b = {0};
  join_names(&b, names);
  const char *s = n->kind == NB_Y_SCALAR ? nb_suggest(n->str, names) : NULL;
  if (s)
    nb_error(L->d, n->pos, "%s: unknown value '%s'; did you mean '%s'?", field, n->str, s);
  else
    nb_error(L->d, n->pos, "%s: expected one of %s, found %s", field, b.s, shown(L, n));
  nb_buf_free(&b);
  return -1;
}

/* ---- dates and lengths ---- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* 0: not YYYY-MM-DD; -1: the right shape but no such day; 1: fine. */
static int check_date(const char *s) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i])) return 0;
  if (s[10]) return 0;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  if (m < 1 || m > 12 || d < 1) return -1;
  return d <= days[m - 1] + (m == 2 && leap(y)) ? 1 : -1;
}

static int read_date(ld *L, const nb_ynode *n, const char *field, nb_str *out) {
  if (nb_y_is_null(n)) return 1;
  if (!want(L, n, NB_Y_SCALAR, "a date (YYYY-MM-DD)", field)) return 0;
  int ok = check_date(n->str);
  if (ok == 0)
    nb_error(L->d, n->pos, "%s: '%s' is not a date of the form YYYY-MM-DD", field, n->str);
  else if (ok < 0)
    nb_error(L->d, n->pos, "%s: '%s' is not a calendar date", field, n->str);
  else
    *out = str_of(n);
  return ok > 0;
}

/* "60%" gives *frac = 0.6; "80mm", "8cm", "200pt" give *pts. Returns 0 when unreadable. */
static int parse_length(const char *s, double *pts, double *frac) {
  const char *p = s;
  if (!is_digit(*p)) return 0;
  while (is_digit(*p)) p++;
  if (*p == '.') {
    if (!is_digit(*++p)) return 0;
    while (is_digit(*p)) p++;
  }
  double v = strtod(s, NULL);
  *pts = *frac = 0;
  if (!strcmp(p, "%")) return (*frac = v / 100) > 0;
  if (!strcmp(p, "pt")) return (*pts = v) > 0;
  if (!strcmp(p, "mm")) return (*pts = v * 72 / 25.4) > 0;
  if (!strcmp(p, "cm")) return (*pts = v * 720 / 25.4) > 0;
  return 0;
}

/* A width as the model wants it: > 0 points, < 0 a fraction (figures flip the sign). */
static int read_width(ld *L, const nb_ynode *n, const char *field, double *out) {
  double pts, frac;
  if (!want(L, n, NB_Y_SCALAR, "a width like 60%, 80mm or 200pt", field)) return 0;
  if (!parse_length(n->str, &pts, &frac)) {
    nb_error(L->d, n->pos, "%s: expected a width like 60%%, 80mm or 200pt, found '%s'", field,
             n->str);
    return 0;
  }
  if (frac > 1 || (!frac && pts <= 1)) {
    nb_error(L->d, n->pos, "%s: '%s' is out of range (up to 100%%, or more than 1pt)", field,
             n->str);
    return 0;
  }
  *out = frac ? -frac : pts;
  return 1;
}

/* ---- meta ---- */

static void load_period(ld *L, const nb_ynode *n, nb_meta *m) {
  static const char *const keys[] = {"from", "to", NULL};
  if (!want(L, n, NB_Y_MAP, "{from: YYYY-MM-DD, to: YYYY-MM-DD}", "period")) return;
  nb_ymap_check_keys(n, keys, "period", L->d);
  const nb_ynode *from = need(L, n, "from", "period"), *to = need(L, n, "to", "period");
  int ok = from && read_date(L, from, "from", &m->period_from);
  ok &= to && read_date(L, to, "to", &m->period_to);
  if (ok && strcmp(m->period_from.s, m->period_to.s) > 0)
    nb_error(L->d, to->pos, "period: ends (%s) before it starts (%s)", to->str, from->str);
}

static void load_contact(ld *L, const nb_ynode *n, nb_contact *c) {
  static const char *const keys[] = {"office", "address", "postcode", "phone",
                                     "email",  "website", NULL};
  nb_text *fields[] = {&c->office, &c->address, &c->postcode, &c->phone, &c->email, &c->website};
  if (!want(L, n, NB_Y_MAP, "a mapping", "contact")) return;
  nb_ymap_check_keys(n, keys, "contact", L->d);
  for (int i = 0; keys[i]; i++) read_text(L, nb_ymap_get(n, keys[i]), keys[i], fields[i]);
}

static void load_year_format(ld *L, const nb_ynode *n, nb_meta *m) {
  const nb_ynode *v;
  long x;
  if ((v = need(L, n, "year", "meta")) && read_int(L, v, "year", 1000, 9999, &x)) m->year = (int)x;
  if ((v = need(L, n, "format", "meta"))) {
    if (!nb_y_int(v, &x) || (x != 2019 && x != 2021))
      nb_error(L->d, v->pos, "format: expected 2019 or 2021, found %s", shown(L, v));
    else
      m->format = (int)x;
  }
}

static void load_lang(ld *L, const nb_ynode *n, nb_meta *m) {
  static const char *const langs[] = {"zh-CN", "en", NULL};
  if (!nb_y_is_null(n) && read_enum(L, n, "lang", langs) >= 0) m->lang = str_of(n);
}

static void load_meta(ld *L, const nb_ynode *n) {
  static const char *const keys[] = {"issuer", "title", "year",    "period", "published",
                                     "format", "lang",  "contact", NULL};
  nb_meta *m = &L->doc->meta;
  m->pos = n->pos;
  m->lang = (nb_str){"zh-CN", n->pos};
  if (!want(L, n, NB_Y_MAP, "a mapping", "meta")) return;
  nb_ymap_check_keys(n, keys, "meta", L->d);
  need_text(L, n, "issuer", "meta", &m->issuer);
  need_text(L, n, "title", "meta", &m->title);
  load_year_format(L, n, m);
  const nb_ynode *v;
  if (!nb_y_is_null(v = nb_ymap_get(n, "period"))) load_period(L, v, m);
  read_date(L, nb_ymap_get(n, "published"), "published", &m->published);
  load_lang(L, nb_ymap_get(n, "lang"), m);
  if (!nb_y_is_null(v = nb_ymap_get(n, "contact"))) load_contact(L, v, &m->contact);
}

/* ---- blocks ---- */

typedef void (*block_fn)(ld *L, nb_block *b, const nb_ynode *v, const char *type);

static void blk_heading(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_para(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_list(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_figure(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_table(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_statutory(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_signature(ld *L, nb_block *b, const nb_ynode *v, const char *type);
static void blk_pagebreak(ld *L, nb_block *b, const nb_ynode *v, const char *type);

static const char *const HEADING_KEYS[] = {"text", "number", "start", "runin", NULL};
static const char *const PARA_KEYS[] = {"lead", "text", NULL};
static const char *const LIST_KEYS[] = {"ordered", "items", NULL};
static const char *const FIGURE_KEYS[] = {"image", "caption", "alt", "width", NULL};
static const char *const TABLE_KEYS[] = {"caption", "header", "columns", "rows", "landscape", NULL};
static const char *const STATUTORY_KEYS[] = {"table", "caption", "landscape", NULL};
static const char *const SIGNATURE_KEYS[] = {"issuer", "date", NULL};
static const char *const NO_KEYS[] = {NULL};

static const struct btype {
  const char *name;
  block_fn fn;
  const char *const *fields; /* to explain a field written beside the type key */
} BTYPES[] = {
    {"h1", blk_heading, HEADING_KEYS},
    {"h2", blk_heading, HEADING_KEYS},
    {"h3", blk_heading, HEADING_KEYS},
    {"h4", blk_heading, HEADING_KEYS},
    {"p", blk_para, PARA_KEYS},
    {"list", blk_list, LIST_KEYS},
    {"figure", blk_figure, FIGURE_KEYS},
    {"table", blk_table, TABLE_KEYS},
    {"statutory", blk_statutory, STATUTORY_KEYS},
    {"signature", blk_signature, SIGNATURE_KEYS},
    {"pagebreak", blk_pagebreak, NO_KEYS},
};
enum { NBTYPES = sizeof BTYPES / sizeof BTYPES[0] };
static const char *const BTYPE_NAMES[] = {"h1",        "h2",        "h3",        "h4",
                                          "p",         "list",      "figure",    "table",
                                          "statutory", "signature", "pagebreak", NULL};

static int btype_of(const char *k) {
  for (int i = 0; i < NBTYPES; i++)
    if (!strcmp(BTYPES[i].name, k)) return i;
  return -1;
}

static int in_list(const char *s, const char *const *names) {
  for (; *names; names++)
    if (!strcmp(s, *names)) return 1;
  return 0;
}

static void blk_heading(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  b->kind = NB_BLK_HEADING;
  b->level = type[1] - '0';
  if (nb_y_is_null(v)) {
    nb_error(L->d, v->pos, "missing heading text in %s", type);
    return;
  }
  if (v->kind != NB_Y_MAP || is_text_map(v)) {
    read_text(L, v, type, &b->text);
    return;
  }
  nb_ymap_check_keys(v, HEADING_KEYS, type, L->d);
  need_text(L, v, "text", type, &b->text);
  read_text(L, nb_ymap_get(v, "runin"), "runin", &b->runin);
  const nb_ynode *n = nb_ymap_get(v, "number");
  if (n && n->kind == NB_Y_SCALAR && n->plain && !strcmp(n->str, "none"))
    b->numbering = NB_NUM_NONE;
  else if (!nb_y_is_null(n)) {
    read_text(L, n, "number", &b->number);
    b->numbering = NB_NUM_LITERAL;
  }
  long start;
  if ((n = nb_ymap_get(v, "start")) && read_int(L, n, "start", 1, 100000, &start))
    b->start = (int)start;
}

static void blk_para(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  b->kind = NB_BLK_PARA;
  if (nb_y_is_null(v)) {
    nb_error(L->d, v->pos, "missing paragraph text in p");
    return;
  }
  if (v->kind != NB_Y_MAP || is_text_map(v)) {
    read_text(L, v, "p", &b->text);
    return;
  }
  nb_ymap_check_keys(v, PARA_KEYS, "p", L->d);
  need_text(L, v, "text", "p", &b->text);
  read_text(L, nb_ymap_get(v, "lead"), "lead", &b->lead);
}

static void load_items(ld *L, nb_block *b, const nb_ynode *v) {
  if (!want(L, v, NB_Y_SEQ, "a list of texts", "items")) return;
  if (!v->n) nb_error(L->d, v->pos, "items: the list is empty");
  b->nitems = v->n;
  b->items = nb_arena_alloc(L->a, (v->n ? v->n : 1) * sizeof *b->items);
  for (size_t i = 0; i < v->n; i++) {
    read_text(L, v->vals[i], "list item", &b->items[i]);
    if (nb_y_is_null(v->vals[i])) nb_error(L->d, v->vals[i]->pos, "list item is empty");
  }
}

static void blk_list(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  b->kind = NB_BLK_LIST;
  if (v->kind != NB_Y_MAP) {
    load_items(L, b, v);
    return;
  }
  nb_ymap_check_keys(v, LIST_KEYS, "list", L->d);
  read_bool(L, nb_ymap_get(v, "ordered"), "ordered", &b->ordered);
  const nb_ynode *items = need(L, v, "items", "list");
  if (items) load_items(L, b, items);
}

/* The image must be there now: finding out at layout time would be too late for `check`. */
static void check_image(ld *L, const nb_str *img) {
  nb_buf path = {0};
  if (img->s[0] != '/') nb_buf_printf(&path, "%s/", L->doc->dir);
  nb_buf_adds(&path, img->s);
  FILE *f = fopen(path.s, "rb");
  int err = f ? 0 : errno;
  unsigned char m[8] = {0};
  size_t k = 0;
  if (f) {
    k = fread(m, 1, sizeof m, f);
    err = ferror(f) ? EIO : 0;
    fclose(f);
  }
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (!f && err == ENOENT)
    nb_error(L->d, img->pos, "image '%s' not found (looked for %s)", img->s, path.s);
  else if (!f || err)
    nb_error(L->d, img->pos, "cannot read image '%s': %s", img->s, strerror(err ? err : EIO));
  else if (!(k >= 3 && m[0] == 0xff && m[1] == 0xd8 && m[2] == 0xff) &&
           !(k == 8 && !memcmp(m, png, 8)))
    nb_error(L->d, img->pos, "image '%s' is not a JPEG or PNG file", img->s);
  nb_buf_free(&path);
}

static void blk_figure(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  b->kind = NB_BLK_FIGURE;
  const nb_ynode *img = v, *w = NULL;
  if (v->kind == NB_Y_MAP) {
    nb_ymap_check_keys(v, FIGURE_KEYS, "figure", L->d);
    img = need(L, v, "image", "figure");
    read_text(L, nb_ymap_get(v, "caption"), "caption", &b->text);
    read_text(L, nb_ymap_get(v, "alt"), "alt", &b->alt);
    w = nb_ymap_get(v, "width");
  } else if (nb_y_is_null(v)) {
    nb_error(L->d, v->pos, "missing 'image' in figure");
    img = NULL;
  }
  if (img && read_str(L, img, "image", &b->image) && b->image.s) check_image(L, &b->image);
  double width;
  if (!nb_y_is_null(w) && read_width(L, w, "width", &width)) b->width = width < 0 ? -width : width;
}

/* ---- tables ---- */

static void load_cell(ld *L, const nb_ynode *n, nb_cell *c) {
  static const char *const keys[] = {"text", "colspan", "rowspan", "align", "valign", NULL};
  static const char *const aligns[] = {"left", "center", "right", "justify", NULL};
  static const char *const valigns[] = {"top", "middle", "bottom", NULL};
  c->colspan = c->rowspan = 1;
  c->pos = n->pos;
  if (n->kind == NB_Y_SEQ) {
    nb_error(L->d, n->pos, "table cell: expected a string, a number or a mapping, found a list");
    return;
  }
  if (n->kind == NB_Y_SCALAR || is_text_map(n)) {
    read_text(L, n, "table cell", &c->text);
    return;
  }
  nb_ymap_check_keys(n, keys, "table cell", L->d);
  read_text(L, nb_ymap_get(n, "text"), "text", &c->text);
  const nb_ynode *v;
  long span;
  if ((v = nb_ymap_get(n, "colspan")) && read_int(L, v, "colspan", 1, MAX_SPAN, &span))
    c->colspan = (int)span;
  if ((v = nb_ymap_get(n, "rowspan")) && read_int(L, v, "rowspan", 1, MAX_SPAN, &span))
    c->rowspan = (int)span;
  int i;
  if ((v = nb_ymap_get(n, "align")) && (i = read_enum(L, v, "align", aligns)) >= 0)
    c->align = (nb_align)(NB_ALIGN_LEFT + i);
  if ((v = nb_ymap_get(n, "valign")) && (i = read_enum(L, v, "valign", valigns)) >= 0)
    c->valign = (nb_valign)(NB_VALIGN_TOP + i);
}

static void load_row(ld *L, const nb_ynode *n, nb_row *row) {
  row->pos = n->pos;
  if (!want(L, n, NB_Y_SEQ, "a list of cells", "table row")) return;
  row->n = n->n;
  row->cells = nb_arena_alloc(L->a, (n->n ? n->n : 1) * sizeof *row->cells);
  for (size_t i = 0; i < n->n; i++) load_cell(L, n->vals[i], &row->cells[i]);
}

static void load_column(ld *L, const nb_ynode *n, nb_colspec *c) {
  static const char *const keys[] = {"width", "align", NULL};
  static const char *const aligns[] = {"left", "center", "right", "justify", NULL};
  const nb_ynode *w = n, *a = NULL;
  if (n->kind == NB_Y_MAP) {
    nb_ymap_check_keys(n, keys, "column", L->d);
    w = nb_ymap_get(n, "width");
    a = nb_ymap_get(n, "align");
  }
  if (!nb_y_is_null(w) && !(w->kind == NB_Y_SCALAR && !strcmp(w->str, "auto")))
    read_width(L, w, "column width", &c->width);
  int i;
  if (!nb_y_is_null(a) && (i = read_enum(L, a, "align", aligns)) >= 0)
    c->align = (nb_align)(NB_ALIGN_LEFT + i);
}

static void load_columns(ld *L, const nb_ynode *n, nb_table *t) {
  if (!want(L, n, NB_Y_SEQ, "a list of column specs", "columns")) return;
  t->ncols = n->n;
  t->cols = nb_arena_alloc(L->a, (n->n ? n->n : 1) * sizeof *t->cols);
  for (size_t i = 0; i < n->n; i++) load_column(L, n->vals[i], &t->cols[i]);
}

typedef struct grid {
  size_t n;
  int *left;            /* rows still covered below the current one, per column */
  const nb_cell **from; /* the cell whose rowspan covers the column */
} grid;

static void grid_fit(grid *g, size_t n) {
  if (n <= g->n) return;
  g->left = nb_xrealloc(g->left, n * sizeof *g->left);
  g->from = nb_xrealloc(g->from, n * sizeof *g->from);
  for (size_t i = g->n; i < n; i++) g->left[i] = 0, g->from[i] = NULL;
  g->n = n;
}

/* Places one row's cells as HTML does (each in the first column not covered from above)
 * and returns the number of columns it fills; *last gets one past the last filled column. */
static size_t place_row(ld *L, grid *g, const nb_row *row, size_t ri, size_t *last) {
  size_t covered = 0, c = 0, end = 0;
  for (size_t k = 0; k < g->n; k++)
    if (g->left[k] > 0) covered++, end = k + 1;
  int *now = nb_xcalloc(g->n + 1, sizeof *now); /* columns covered from above, this row */
  for (size_t k = 0; k < g->n; k++) now[k] = g->left[k] > 0;
  size_t nnow = g->n, filled = covered;
  for (size_t i = 0; i < row->n; i++) {
    const nb_cell *cell = &row->cells[i];
    while (c < nnow && now[c]) c++;
    grid_fit(g, c + (size_t)cell->colspan);
    for (size_t k = c; k < c + (size_t)cell->colspan; k++) {
      if (k < nnow && now[k])
        nb_error(L->d, cell->pos, "row %zu: this cell overlaps a rowspan from above", ri + 1);
      else
        filled++;
      if (g->left[k] < cell->rowspan) g->left[k] = cell->rowspan, g->from[k] = cell;
    }
    c += (size_t)cell->colspan;
    end = NB_MAX(end, c);
  }
  free(now);
  for (size_t k = 0; k < g->n; k++)
    if (g->left[k] > 0) g->left[k]--;
  *last = end;
  return filled;
}

/* Every row must fill the same columns once rowspans from above are counted. */
static void check_grid(ld *L, const nb_table *t) {
  grid g = {0};
  size_t want_cols = t->ncols;
  for (size_t r = 0; r < t->nrows; r++) {
    size_t end, filled = place_row(L, &g, &t->rows[r], r, &end);
    if (!want_cols) want_cols = end;
    if (end != want_cols)
      nb_error(L->d, t->rows[r].pos, "row %zu spans %zu columns, expected %zu", r + 1, end,
               want_cols);
    else if (filled < end)
      nb_error(L->d, t->rows[r].pos, "row %zu leaves %zu of its %zu columns empty", r + 1,
               end - filled, end);
  }
  for (size_t k = 0; k < g.n; k++)
    if (g.left[k] > 0 && (k == 0 || g.from[k] != g.from[k - 1]))
      nb_error(L->d, g.from[k]->pos, "rowspan %d runs past the last row of the table",
               g.from[k]->rowspan);
  free(g.left);
  free(g.from);
}

/* `landscape: true` turns the table onto landscape pages, `false` keeps it upright
 * whatever the layout's `table.wide` says. */
static void read_landscape(ld *L, const nb_ynode *v, int *out) {
  int on = 0;
  const nb_ynode *n = nb_ymap_get(v, "landscape");
  if (nb_y_is_null(n)) return;
  if (nb_y_bool(n, &on))
    *out = on ? 1 : -1;
  else
    nb_error(L->d, n->pos, "landscape: expected true or false, found %s", shown(L, n));
}

static void blk_table(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  b->kind = NB_BLK_TABLE;
  if (!want(L, v, NB_Y_MAP, "a mapping with rows", "table")) return;
  nb_table *t = b->table = nb_arena_alloc(L->a, sizeof *t);
  t->pos = v->pos;
  nb_ymap_check_keys(v, TABLE_KEYS, "table", L->d);
  read_text(L, nb_ymap_get(v, "caption"), "caption", &t->caption);
  read_landscape(L, v, &t->landscape);
  b->text = t->caption;
  const nb_ynode *n;
  if (!nb_y_is_null(n = nb_ymap_get(v, "columns"))) load_columns(L, n, t);
  const nb_ynode *rows = need(L, v, "rows", "table");
  if (!rows || !want(L, rows, NB_Y_SEQ, "a list of rows", "rows")) return;
  if (!rows->n) nb_error(L->d, rows->pos, "rows: the table has no rows");
  t->nrows = rows->n;
  t->rows = nb_arena_alloc(L->a, (rows->n ? rows->n : 1) * sizeof *t->rows);
  int errs = L->d->errors;
  for (size_t i = 0; i < rows->n; i++) load_row(L, rows->vals[i], &t->rows[i]);
  if (L->d->errors == errs) check_grid(L, t); /* spans are only known once the cells read */
  long h;
  if (!nb_y_is_null(n = nb_ymap_get(v, "header")) &&
      read_int(L, n, "header", 0, (long)t->nrows, &h))
    t->header_rows = (int)h;
  for (int r = 0; r < t->header_rows; r++)
    for (size_t i = 0; i < t->rows[r].n; i++) t->rows[r].cells[i].header = 1;
}

static void blk_statutory(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  static const char *const tables[] = {"t2", "t3", "t4", NULL};
  b->kind = NB_BLK_STATUTORY;
  const nb_ynode *t = v;
  if (v->kind == NB_Y_MAP) {
    nb_ymap_check_keys(v, STATUTORY_KEYS, "statutory", L->d);
    t = need(L, v, "table", "statutory");
    read_text(L, nb_ymap_get(v, "caption"), "caption", &b->text);
    read_landscape(L, v, &b->landscape);
  } else if (nb_y_is_null(v)) {
    nb_error(L->d, v->pos, "statutory: expected t2, t3 or t4");
    t = NULL;
  }
  int i;
  if (t && (i = read_enum(L, t, "statutory table", tables)) >= 0) b->statutory = 2 + i;
}

/* Defaults come from meta, which is read before the body. */
static void blk_signature(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  b->kind = NB_BLK_SIGNATURE;
  if (v && v->kind == NB_Y_MAP && !is_text_map(v)) {
    nb_ymap_check_keys(v, SIGNATURE_KEYS, "signature", L->d);
    read_text(L, nb_ymap_get(v, "issuer"), "issuer", &b->issuer);
    read_date(L, nb_ymap_get(v, "date"), "date", &b->date);
  } else if (v)
    read_text(L, v, "signature", &b->issuer);
  if (!nb_text_present(&b->issuer)) b->issuer = L->doc->meta.issuer;
  if (!b->date.s) b->date = L->doc->meta.published;
}

static void blk_pagebreak(ld *L, nb_block *b, const nb_ynode *v, const char *type) {
  (void)type;
  b->kind = NB_BLK_PAGEBREAK;
  if (v && !nb_y_is_null(v)) nb_error(L->d, v->pos, "pagebreak takes no value");
}

/* `- pagebreak` and `- signature` stand alone; any other scalar is prose missing its `p:`. */
static int bare_block(ld *L, const nb_ynode *n, nb_block *b) {
  static const char *const bare[] = {"pagebreak", "signature", NULL};
  if (!strcmp(n->str, "pagebreak") || !strcmp(n->str, "signature")) {
    BTYPES[btype_of(n->str)].fn(L, b, NULL, n->str);
    return 1;
  }
  const char *s = nb_suggest(n->str, bare);
  if (s)
    nb_error(L->d, n->pos, "unknown block '%s'; did you mean '%s'?", n->str, s);
  else
    nb_error(L->d, n->pos,
             "a block must be a mapping like 'p: text', found %s; write '- p: …' "
             "for a paragraph",
             nb_ykind_name(n));
  return 0;
}

static void no_type_error(ld *L, const nb_ynode *n) {
  if (!n->n) {
    nb_error(L->d, n->pos,
             "empty block; expected one of: h1, h2, h3, h4, p, list, figure, "
             "table, statutory, signature, pagebreak");
    return;
  }
  const nb_ynode *k = n->keys[0];
  const char *s = nb_suggest(k->str, BTYPE_NAMES);
  if (k->str[0] == 'h' && is_digit(k->str[1]) && strspn(k->str + 1, "0123456789") + 1 == k->len)
    nb_error(L->d, k->pos, "there is no heading level '%s'; headings are h1 to h4", k->str);
  else if (s)
    nb_error(L->d, k->pos, "unknown block type '%s'; did you mean '%s'?", k->str, s);
  else {
    nb_buf b = {0};
    join_names(&b, BTYPE_NAMES);
    nb_error(L->d, k->pos, "unknown block type '%s'; expected one of: %s", k->str, b.s);
    nb_buf_free(&b);
  }
}

/* A key beside the type key is usually a field that lost its indentation, or the next
 * block missing its '-'. */
static void extra_key_error(ld *L, const nb_ynode *k, int type) {
  const char *t = BTYPES[type].name, *s = nb_suggest(k->str, BTYPES[type].fields);
  if (btype_of(k->str) >= 0)
    nb_error(L->d, k->pos,
             "block has two type keys, '%s' and '%s'; start each block with its own '-'", t,
             k->str);
  else if (in_list(k->str, BTYPES[type].fields))
    nb_error(L->d, k->pos,
             "'%s' is not a block type; indent it under '%s' to make it a field of the %s", k->str,
             t, t);
  else if (s)
    nb_error(L->d, k->pos,
             "unknown key '%s' in %s; did you mean '%s'? (indent the fields under '%s')", k->str, t,
             s, t);
  else
    nb_error(L->d, k->pos, "unknown key '%s' beside block type '%s'; a block has one type key",
             k->str, t);
}

static int load_block(ld *L, const nb_ynode *n, nb_block *b) {
  b->pos = n->pos;
  if (n->kind == NB_Y_SCALAR) return bare_block(L, n, b);
  if (n->kind != NB_Y_MAP) {
    nb_error(L->d, n->pos, "a block must be a mapping like 'p: text', found %s", nb_ykind_name(n));
    return 0;
  }
  int type = -1;
  size_t at = 0;
  for (size_t i = 0; i < n->n && type < 0; i++)
    if ((type = btype_of(n->keys[i]->str)) >= 0) at = i;
  if (type < 0) {
    no_type_error(L, n);
    return 0;
  }
  int errs = L->d->errors;
  for (size_t i = 0; i < n->n; i++)
    if (i != at) extra_key_error(L, n->keys[i], type);
  if (L->d->errors != errs) return 0;
  BTYPES[type].fn(L, b, n->vals[at], BTYPES[type].name);
  return 1;
}

static void load_body(ld *L, const nb_ynode *n) {
  if (!want(L, n, NB_Y_SEQ, "a list of blocks", "body")) return;
  if (!n->n) nb_warn(L->d, n->pos, "body: the report has no blocks");
  nb_block *v = nb_arena_alloc(L->a, (n->n ? n->n : 1) * sizeof *v);
  size_t k = 0;
  for (size_t i = 0; i < n->n; i++)
    if (load_block(L, n->vals[i], &v[k])) k++;
  L->doc->blocks = v;
  L->doc->nblocks = k;
}

/* ---- data ---- */

/* Only plain scalars such as 62, -2 or 1.5 are numbers; "62" quoted and 585313万元 are text. */
static int plain_number(const nb_ynode *n, double *out) {
  const char *p = n->str;
  if (!n->plain) return 0;
  if (*p == '-' || *p == '+') p++;
  if (!is_digit(*p)) return 0;
  while (is_digit(*p)) p++;
  if (*p == '.') {
    if (!is_digit(*++p)) return 0;
    while (is_digit(*p)) p++;
  }
  if (*p) return 0;
  *out = strtod(n->str, NULL);
  return 1;
}

static void add_datum(ld *L, const nb_ynode *n, const char *path, datum_vec *out) {
  nb_datum x = {.path = nb_arena_strdup(L->a, path), .text = str_of(n), .pos = n->pos};
  x.is_number = plain_number(n, &x.num);
  VEC_PUSH(*out, x);
}

/* Keys become path segments, so they must be unique and free of dots. */
static int data_key_ok(ld *L, const nb_ynode *map, size_t i, const size_t *first) {
  const nb_ynode *k = map->keys[i];
  if (first[i] != i) {
    nb_error(L->d, k->pos, "duplicate key '%s' in data (first at line %d)", k->str,
             map->keys[first[i]]->pos.line);
    return 0;
  }
  if (!k->len || strchr(k->str, '.')) {
    nb_error(L->d, k->pos, "data key '%s' must be a non-empty name without '.'", k->str);
    return 0;
  }
  return 1;
}

static void flatten(ld *L, const nb_ynode *map, nb_buf *path, datum_vec *out) {
  size_t *first = nb_ymap_first(map); /* duplicates found in n log n, not pairwise */
  for (size_t i = 0; i < map->n; i++) {
    const nb_ynode *v = map->vals[i];
    if (!data_key_ok(L, map, i, first)) continue;
    size_t mark = path->n;
    nb_buf_printf(path, "%s%s", mark ? "." : "", map->keys[i]->str);
    if (v->kind == NB_Y_MAP)
      flatten(L, v, path, out);
    else if (v->kind == NB_Y_SEQ)
      nb_error(L->d, v->pos, "data %s: expected a number, a string or a mapping, found a list",
               path->s);
    else if (!nb_y_is_null(v)) /* blank: as if the key were absent */
      add_datum(L, v, path->s, out);
    path->n = mark;
    path->s[mark] = 0;
  }
  free(first);
}

static void load_data(ld *L, const nb_ynode *n) {
  static const char *const tables[] = {"t2", "t3", "t4", NULL};
  L->doc->data_pos = n->pos;
  if (nb_y_is_null(n) || !want(L, n, NB_Y_MAP, "a mapping", "data")) return;
  nb_ymap_check_keys(n, tables, "data", L->d);
  datum_vec v = {0};
  nb_buf path = {0};
  flatten(L, n, &path, &v);
  L->doc->data = arena_copy(L->a, v.v, v.n * sizeof *v.v);
  L->doc->ndata = v.n;
  free(v.v);
  nb_buf_free(&path);
}

/* ---- the document ---- */

static void load_root(ld *L, const nb_ynode *root) {
  static const char *const keys[] = {"meta", "body", "data", NULL};
  if (!want(L, root, NB_Y_MAP, "a mapping with meta and body", "the file")) return;
  nb_ymap_check_keys(root, keys, "the file", L->d);
  const nb_ynode *meta = need(L, root, "meta", "the file");
  const nb_ynode *body = need(L, root, "body", "the file");
  if (meta) load_meta(L, meta);
  if (body) load_body(L, body);
  const nb_ynode *data = nb_ymap_get(root, "data");
  if (data) load_data(L, data);
}

static const char *dir_of(nb_arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return ".";
  return nb_arena_strndup(a, path, slash == path ? 1 : (size_t)(slash - path));
}

nb_doc *nb_content_load_text(const char *path, const char *text, size_t len, nb_diags *d) {
  int errs = d->errors;
  size_t first = d->n;
  nb_arena *a = nb_arena_new();
  nb_doc *doc = nb_arena_alloc(a, sizeof *doc);
  doc->arena = a;
  doc->path = nb_arena_strdup(a, path);
  doc->dir = dir_of(a, path);
  ld L = {doc, a, d, nb_arena_new()};
  /* the text is kept: messages about a spot inside a scalar (a data reference, a figure in
   * prose) find their column in it */
  char *owned = text ? NULL : nb_read_file(path, &len);
  if (owned) text = owned;
  if (text) {
    doc->src = nb_arena_strndup(a, text, len);
    doc->srclen = len;
  }
  nb_ynode *root = nb_yaml_load(a, path, text, len, d);
  free(owned);
  if (root) load_root(&L, root);
  if (root) nb_dataref_resolve(doc, d); /* needs the data section: after everything else */
  nb_arena_free(L.scratch);
  /* The tree's copy of the file name dies with the arena; the caller's outlives it. */
  for (size_t i = first; i < d->n; i++)
    if (d->v[i].pos.file && !strcmp(d->v[i].pos.file, path)) d->v[i].pos.file = path;
  if (d->errors == errs) return doc;
  nb_arena_free(a);
  return NULL;
}

nb_doc *nb_content_load(const char *path, nb_diags *d) {
  return nb_content_load_text(path, NULL, 0, d);
}

void nb_doc_free(nb_doc *doc) {
  if (doc) nb_arena_free(doc->arena); /* the doc itself lives in its arena */
}

const nb_datum *nb_doc_datum(const nb_doc *doc, const char *path) {
  for (size_t i = 0; i < doc->ndata; i++)
    if (!strcmp(doc->data[i].path, path)) return &doc->data[i];
  return NULL;
}

const nb_str *nb_text_pick(const nb_text *t, nb_lang lang) {
  const nb_str *want1 = lang == NB_LANG_EN ? &t->en : &t->zh;
  const nb_str *other = lang == NB_LANG_EN ? &t->zh : &t->en;
  return want1->s ? want1 : other->s ? other : NULL;
}

int nb_text_present(const nb_text *t) { return t->zh.s || t->en.s; }
