/* The statutory tables: drawn as general tables from the format description in
 * statutory_data.c, and the data section checked against it (statutory-tables.md §2–4, §8). */
#include "layout/statutory.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/dataref.h"

const char *nb_statutory_label(const char *key, int english) {
  const nb_stat_label *l = nb_stat_label_find(key);
  return l ? (english ? l->en : l->zh) : NULL;
}

static int format_mask(int format) {
  return format == 2019 ? NB_STAT_F2019 : format == 2021 ? NB_STAT_F2021 : 0;
}

/* The data section is small (≤ 200 values), so a linear scan beats keeping an index. */
static const nb_datum *find_datum(const nb_doc *doc, const char *path) {
  for (size_t i = 0; i < doc->ndata; i++)
    if (doc->data[i].path && !strcmp(doc->data[i].path, path)) return &doc->data[i];
  return NULL;
}

static const char *zh(const char *key) {
  const char *s = nb_statutory_label(key, 0);
  return s ? s : key;
}

static const nb_stat_t2_group *t2_groups(int mask, size_t *n) {
  if (mask == NB_STAT_F2021) {
    *n = nb_stat_t2_2021_n;
    return nb_stat_t2_2021;
  }
  *n = nb_stat_t2_2019_n;
  return nb_stat_t2_2019;
}

static const nb_stat_t2_group *t2_group(int mask, const char *key) {
  size_t n;
  const nb_stat_t2_group *g = t2_groups(mask, &n);
  for (size_t i = 0; i < n; i++)
    if (!strcmp(g[i].key, key)) return &g[i];
  return NULL;
}

static size_t t2_ncols(const nb_stat_t2_group *g) {
  size_t n = 0;
  while (n < 4 && g->cols[n].key) n++;
  return n;
}

static int t3_has_data(const nb_stat_t3_row *r) {
  return r->kind == NB_T3_TOP || r->kind == NB_T3_ITEM || r->kind == NB_T3_SUB;
}

/* The group (（三）…) a SUB row at index i belongs to, for naming it in messages. */
static const char *t3_group_of(size_t i, int mask) {
  while (i-- > 0) {
    const nb_stat_t3_row *r = &nb_stat_t3_rows[i];
    if (!(r->formats & mask) || r->kind == NB_T3_SUB) continue;
    return r->kind == NB_T3_GROUP ? r->key : NULL;
  }
  return NULL;
}

/* "（七）总计", or "（三）不予公开 1.属于国家秘密" for a sub-row, whose own label is ambiguous. */
static void t3_row_name(size_t i, int mask, char *buf, size_t size) {
  const char *g = nb_stat_t3_rows[i].kind == NB_T3_SUB ? t3_group_of(i, mask) : NULL;
  if (g)
    snprintf(buf, size, "%s %s", zh(g), zh(nb_stat_t3_rows[i].key));
  else
    snprintf(buf, size, "%s", zh(nb_stat_t3_rows[i].key));
}

/* ---- drawing ---- */

enum { MAX_ROWS = 40, MAX_CELLS = 16 };

typedef struct builder {
  const nb_doc *doc;
  nb_row rows[MAX_ROWS];
  size_t nrows;
  nb_cell cells[MAX_CELLS];
  size_t ncells;
} builder;

static nb_cell *add_cell(builder *b, int cs, int rs) {
  if (b->ncells == MAX_CELLS) abort(); /* the formats are fixed; overflow is a bug here */
  nb_cell *c = &b->cells[b->ncells++];
  memset(c, 0, sizeof *c);
  c->colspan = cs;
  c->rowspan = rs;
  c->valign = NB_VALIGN_MIDDLE;
  c->pos = b->doc->data_pos;
  return c;
}

/* A label cell: column headers are centred; row labels take their column's alignment. */
static void label(builder *b, const char *key, int cs, int rs, nb_align align) {
  const nb_stat_label *l = nb_stat_label_find(key);
  nb_cell *c = add_cell(b, cs, rs);
  c->text.zh.s = l ? l->zh : key;
  c->text.en.s = l ? l->en : NULL;
  c->text.zh.pos = c->text.en.pos = c->pos;
  c->align = align;
  c->header = 1;
}

/* A data cell: the scalar as written; "" when absent (blank is not 0). */
static void value(builder *b, const char *path, int cs) {
  const nb_datum *dt = find_datum(b->doc, path);
  nb_cell *c = add_cell(b, cs, 1);
  c->text.zh.s = dt && dt->text.s ? dt->text.s : "";
  c->blank = !dt || !dt->text.s || !*dt->text.s;
  if (dt) c->pos = dt->pos;
  c->text.zh.pos = c->pos;
}

static void end_row(builder *b) {
  if (b->nrows == MAX_ROWS) abort();
  nb_row *r = &b->rows[b->nrows++];
  r->n = b->ncells;
  r->cells = nb_arena_alloc(b->doc->arena, b->ncells * sizeof *r->cells);
  memcpy(r->cells, b->cells, b->ncells * sizeof *r->cells);
  r->pos = b->doc->data_pos;
  b->ncells = 0;
}

/* nlabel left-aligned label columns of the given widths, then ndata data columns
 * sharing what is left of the width. */
static nb_table *finish(builder *b, int header_rows, const double *label_w, size_t nlabel,
                        size_t ndata) {
  nb_arena *a = b->doc->arena;
  nb_table *t = nb_arena_alloc(a, sizeof *t);
  t->header_rows = header_rows;
  t->rows = nb_arena_alloc(a, b->nrows * sizeof *t->rows);
  memcpy(t->rows, b->rows, b->nrows * sizeof *t->rows);
  t->nrows = b->nrows;
  t->ncols = nlabel + ndata;
  t->cols = nb_arena_alloc(a, t->ncols * sizeof *t->cols);
  double rest = 1;
  for (size_t i = 0; i < nlabel; i++) {
    t->cols[i] = (nb_colspec){-label_w[i], NB_ALIGN_LEFT};
    rest -= label_w[i];
  }
  /* data columns: numbers are aligned as the layout's table.numbers says */
  for (size_t i = nlabel; i < t->ncols; i++)
    t->cols[i] = (nb_colspec){-rest / (double)ndata, NB_ALIGN_DEFAULT};
  t->pos = b->doc->data_pos;
  return t;
}

/* §2: each group is a [cs 4] title, a 信息内容 header row, then its rows. The last data
 * column spans what the group leaves of the 3 data columns (（八）（九） 2019, all of 2021). */
static nb_table *build_t2(builder *b, int mask) {
  size_t n;
  const nb_stat_t2_group *gs = t2_groups(mask, &n);
  char path[128];
  for (size_t i = 0; i < n; i++) {
    const nb_stat_t2_group *g = &gs[i];
    size_t nc = t2_ncols(g);
    label(b, g->key, 4, 1, NB_ALIGN_CENTER);
    end_row(b);
    label(b, "content", 1, 1, NB_ALIGN_CENTER);
    for (size_t c = 0; c < nc; c++)
      label(b, g->cols[c].label ? g->cols[c].label : g->cols[c].key, c + 1 == nc ? 4 - (int)nc : 1,
            1, NB_ALIGN_CENTER);
    end_row(b);
    for (size_t r = 0; r < 3 && g->rows[r]; r++) {
      label(b, g->rows[r], 1, 1, NB_ALIGN_DEFAULT);
      for (size_t c = 0; c < nc; c++) {
        snprintf(path, sizeof path, "t2.%s.%s.%s", g->key, g->rows[r], g->cols[c].key);
        value(b, path, c + 1 == nc ? 4 - (int)nc : 1);
      }
      end_row(b);
    }
  }
  static const double w[] = {0.31};
  return finish(b, 0, w, 1, 3);
}

/* Rows covered by the HEAD or GROUP entry at i: the data rows up to the next TOP row
 * (HEAD), or the SUB rows that follow (GROUP). */
static int t3_span(size_t i, int mask) {
  int kind = nb_stat_t3_rows[i].kind, n = 0;
  for (size_t j = i + 1; j < nb_stat_t3_nrows; j++) {
    const nb_stat_t3_row *r = &nb_stat_t3_rows[j];
    if (!(r->formats & mask)) continue;
    if (kind == NB_T3_HEAD ? r->kind == NB_T3_TOP : r->kind != NB_T3_SUB) break;
    if (t3_has_data(r)) n++;
  }
  return n;
}

/* §3: a 3-row header, then the rows; the spanning labels (三、本年度办理结果, （三）…) are
 * emitted with the first row they cover, as HTML does. */
static nb_table *build_t3(builder *b, int mask) {
  char path[128];
  label(b, "note", 3, 3, NB_ALIGN_LEFT);
  label(b, "applicants", 7, 1, NB_ALIGN_CENTER);
  end_row(b);
  label(b, "natural_person", 1, 2, NB_ALIGN_CENTER);
  label(b, "legal_or_org", 5, 1, NB_ALIGN_CENTER);
  label(b, "total", 1, 2, NB_ALIGN_CENTER);
  end_row(b);
  for (size_t c = 1; c < 6; c++) label(b, nb_stat_t3_cols[c], 1, 1, NB_ALIGN_CENTER);
  end_row(b);

  size_t head = 0, group = 0; /* pending spanning labels, as index + 1 */
  for (size_t i = 0; i < nb_stat_t3_nrows; i++) {
    const nb_stat_t3_row *r = &nb_stat_t3_rows[i];
    if (!(r->formats & mask)) continue;
    if (r->kind == NB_T3_HEAD) head = i + 1;
    if (r->kind == NB_T3_GROUP) group = i + 1;
    if (!t3_has_data(r)) continue;
    if (head && r->kind != NB_T3_TOP) {
      label(b, nb_stat_t3_rows[head - 1].key, 1, t3_span(head - 1, mask), NB_ALIGN_DEFAULT);
      head = 0;
    }
    if (group && r->kind == NB_T3_SUB) {
      label(b, nb_stat_t3_rows[group - 1].key, 1, t3_span(group - 1, mask), NB_ALIGN_DEFAULT);
      group = 0;
    }
    label(b, r->key, r->kind == NB_T3_TOP ? 3 : r->kind == NB_T3_ITEM ? 2 : 1, 1, NB_ALIGN_DEFAULT);
    for (size_t c = 0; c < 7; c++) {
      snprintf(path, sizeof path, "t3.%s.%s", r->key, nb_stat_t3_cols[c]);
      value(b, path, 1);
    }
    end_row(b);
  }
  /* the sub-item labels carry the long texts */
  static const double w[] = {0.09, 0.12, 0.24};
  return finish(b, 3, w, 3, 7);
}

/* §4: 3 header rows over 15 value columns, one value row. */
static nb_table *build_t4(builder *b) {
  char path[128];
  label(b, "reconsideration", 5, 1, NB_ALIGN_CENTER);
  label(b, "litigation", 10, 1, NB_ALIGN_CENTER);
  end_row(b);
  for (size_t c = 0; c < 5; c++) label(b, nb_stat_t4_cols[c], 1, 2, NB_ALIGN_CENTER);
  label(b, nb_stat_t4_groups[1], 5, 1, NB_ALIGN_CENTER);
  label(b, nb_stat_t4_groups[2], 5, 1, NB_ALIGN_CENTER);
  end_row(b);
  for (size_t k = 0; k < 2; k++)
    for (size_t c = 0; c < 5; c++) label(b, nb_stat_t4_cols[c], 1, 1, NB_ALIGN_CENTER);
  end_row(b);
  for (size_t g = 0; g < 3; g++)
    for (size_t c = 0; c < 5; c++) {
      snprintf(path, sizeof path, "t4.%s.%s", nb_stat_t4_groups[g], nb_stat_t4_cols[c]);
      value(b, path, 1);
    }
  end_row(b);
  return finish(b, 3, NULL, 0, 15);
}

nb_table *nb_statutory_table(const nb_doc *doc, int which, nb_diags *d) {
  int mask = format_mask(doc->meta.format);
  if (!mask) {
    if (d)
      nb_error(d, doc->meta.pos, "unknown table format %d (expected 2019 or 2021)",
               doc->meta.format);
    return NULL;
  }
  if (which < 2 || which > 4) {
    if (d) nb_error(d, doc->data_pos, "no statutory table %d (expected 2, 3 or 4)", which);
    return NULL;
  }
  builder *b = nb_xcalloc(1, sizeof *b);
  b->doc = doc;
  nb_table *t = which == 2 ? build_t2(b, mask) : which == 3 ? build_t3(b, mask) : build_t4(b);
  free(b);
  return t;
}

/* ---- checking ---- */

typedef struct checker {
  const nb_doc *doc;
  nb_diags *d;
  nb_severity sev; /* of domain and arithmetic findings */
  int mask, n;
} checker;

static void finding(checker *k, nb_severity sev, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void finding(checker *k, nb_severity sev, nb_pos pos, const char *fmt, ...) {
  nb_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  nb_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  if (k->d) nb_diag_add(k->d, sev, pos, "%s", b.s ? b.s : "");
  nb_buf_free(&b);
  k->n++;
}

enum { SEGS = 6, MAX_KEYS = 32 };

/* The valid keys after the first `depth` segments (all valid in `mask`'s format); 0 when
 * those segments already name a value, or (other format) do not exist there. */
static size_t level_keys(int mask, char **seg, size_t depth, const char **out) {
  size_t n = 0;
  if (depth == 0) {
    out[n++] = "t2", out[n++] = "t3", out[n++] = "t4";
  } else if (!strcmp(seg[0], "t2")) {
    size_t ng;
    const nb_stat_t2_group *gs = t2_groups(mask, &ng);
    const nb_stat_t2_group *g = depth > 1 ? t2_group(mask, seg[1]) : NULL;
    if (depth == 1)
      for (size_t i = 0; i < ng; i++) out[n++] = gs[i].key;
    else if (g && depth == 2)
      for (size_t i = 0; i < 3 && g->rows[i]; i++) out[n++] = g->rows[i];
    else if (g && depth == 3) {
      int row_ok = 0;
      for (size_t i = 0; i < 3 && g->rows[i]; i++) row_ok |= !strcmp(g->rows[i], seg[2]);
      for (size_t i = 0; row_ok && i < t2_ncols(g); i++) out[n++] = g->cols[i].key;
    }
  } else if (!strcmp(seg[0], "t3")) {
    if (depth == 1) {
      for (size_t i = 0; i < nb_stat_t3_nrows; i++)
        if ((nb_stat_t3_rows[i].formats & mask) && t3_has_data(&nb_stat_t3_rows[i]))
          out[n++] = nb_stat_t3_rows[i].key;
    } else if (depth == 2) {
      int row_ok = 0;
      for (size_t i = 0; i < nb_stat_t3_nrows; i++)
        row_ok |= (nb_stat_t3_rows[i].formats & mask) && t3_has_data(&nb_stat_t3_rows[i]) &&
                  !strcmp(nb_stat_t3_rows[i].key, seg[1]);
      for (size_t i = 0; row_ok && i < 7; i++) out[n++] = nb_stat_t3_cols[i];
    }
  } else if (!strcmp(seg[0], "t4")) {
    if (depth == 1)
      for (size_t i = 0; i < 3; i++) out[n++] = nb_stat_t4_groups[i];
    else if (depth == 2)
      for (size_t i = 0; i < 5; i++) out[n++] = nb_stat_t4_cols[i];
  }
  return n;
}

static int in_keys(const char *s, const char **keys, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(keys[i], s)) return 1;
  return 0;
}

/* Splits a path into at most SEGS segments in `copy` (which the caller frees). */
static size_t split_path(const char *path, char **copy, char **seg) {
  *copy = nb_xstrdup(path ? path : "");
  size_t n = 0;
  for (char *p = *copy; n < SEGS;) {
    seg[n++] = p;
    p = strchr(p, '.');
    if (!p) break;
    *p++ = 0;
  }
  return n;
}

int nb_statutory_known_path(int format, const char *path) {
  int mask = format_mask(format);
  char *copy, *seg[SEGS];
  const char *keys[MAX_KEYS];
  size_t nseg = split_path(path, &copy, seg), depth = 0;
  int ok = mask != 0;
  for (; ok && depth < nseg; depth++) {
    size_t n = level_keys(mask, seg, depth, keys);
    ok = in_keys(seg[depth], keys, n);
  }
  ok = ok && level_keys(mask, seg, nseg, keys) == 0;
  free(copy);
  return ok;
}

/* Depth-first over the format's value paths, keeping the closest to `path`. */
static void closest(int mask, char **seg, size_t depth, const char *path, char *cur, int *best,
                    char *out, size_t size) {
  const char *keys[MAX_KEYS];
  size_t n = level_keys(mask, seg, depth, keys);
  if (n == 0) {
    int e = nb_edit_distance(path, cur);
    if (e < *best) {
      *best = e;
      snprintf(out, size, "%s", cur);
    }
    return;
  }
  if (depth >= SEGS - 1) return;
  size_t len = strlen(cur);
  for (size_t i = 0; i < n; i++) {
    if (len + strlen(keys[i]) + 2 > 256) continue;
    snprintf(cur + len, 256 - len, "%s%s", len ? "." : "", keys[i]);
    seg[depth] = (char *)keys[i];
    closest(mask, seg, depth + 1, path, cur, best, out, size);
    cur[len] = 0;
  }
}

int nb_statutory_suggest(int format, const char *path, char *out, size_t size) {
  int mask = format_mask(format), best = 1 << 30;
  char cur[256] = "", *seg[SEGS];
  if (!mask || !size) return 0;
  out[0] = 0;
  closest(mask, seg, 0, path, cur, &best, out, size);
  return out[0] != 0;
}

/* "data.t3.disclosed" for the first `depth` segments. */
static void where(char **seg, size_t depth, nb_buf *b) {
  nb_buf_adds(b, "data");
  for (size_t i = 0; i < depth; i++) nb_buf_printf(b, ".%s", seg[i]);
}

/* The printed name of a cell, for messages: "表三 （一）予以公开 / 自然人". */
static void cell_name(int mask, char **seg, nb_buf *b) {
  if (!strcmp(seg[0], "t2")) {
    const nb_stat_t2_group *g = t2_group(mask, seg[1]);
    const char *col = seg[3];
    for (size_t i = 0; g && i < t2_ncols(g); i++)
      if (!strcmp(g->cols[i].key, seg[3]) && g->cols[i].label) col = g->cols[i].label;
    nb_buf_printf(b, "表二 %s %s / %s", zh(seg[1]), zh(seg[2]), zh(col));
  } else if (!strcmp(seg[0], "t3")) {
    char row[512];
    snprintf(row, sizeof row, "%s", zh(seg[1]));
    for (size_t i = 0; i < nb_stat_t3_nrows; i++)
      if ((nb_stat_t3_rows[i].formats & mask) && !strcmp(nb_stat_t3_rows[i].key, seg[1]) &&
          t3_has_data(&nb_stat_t3_rows[i]))
        t3_row_name(i, mask, row, sizeof row);
    nb_buf_printf(b, "表三 %s / %s", row, zh(seg[2]));
  } else {
    nb_buf_printf(b, "表四 %s%s / %s", strcmp(seg[1], "reconsideration") ? "行政诉讼 " : "",
                  zh(seg[1]), zh(seg[2]));
  }
}

/* A count: ASCII digits only (annotations such as "22（其中修订16件）" are not counts). */
static int parse_count(const char *s, long long *v) {
  size_t n = strspn(s, "0123456789");
  if (n == 0 || s[n] || n > 15) return 0;
  *v = strtoll(s, NULL, 10);
  return 1;
}

/* 本年增/减: a count with an optional sign (ASCII, U+2212 or the full-width minus). */
static int is_signed(const char *s) {
  long long v;
  if (*s == '-' || *s == '+')
    s++;
  else if (!strncmp(s, "\u2212", 3) || !strncmp(s, "\uFF0D", 3))
    s += 3;
  return parse_count(s, &v);
}

/* An amount: digits (with thousands commas), optional decimals, optional unit. */
static int is_amount(const char *s) {
  size_t n = strspn(s, "0123456789,");
  if (n == 0 || s[0] == ',') return 0;
  s += n;
  if (*s == '.') {
    n = strspn(++s, "0123456789");
    if (n == 0) return 0;
    s += n;
  }
  while (*s == ' ') s++;
  return !*s || !strcmp(s, "元") || !strcmp(s, "万元");
}

static void check_domain(checker *k, const nb_datum *dt, char **seg) {
  const char *s = dt->text.s;
  if (!s || !*s) return; /* blank */
  const char *col = !strcmp(seg[0], "t2") ? seg[3] : "";
  const char *want = NULL;
  long long v;
  if (!strcmp(col, "change")) {
    if (!is_signed(s)) want = "a whole number (may be negative)";
  } else if (!strcmp(col, "amount") || !strcmp(col, "fee_amount")) {
    if (!is_amount(s)) want = "an amount (digits, optional decimals and unit 元 or 万元)";
  } else if (!parse_count(s, &v)) {
    want = "a non-negative integer";
  }
  if (!want) return;
  nb_buf name = {0};
  cell_name(k->mask, seg, &name);
  finding(k, k->sev, dt->pos, "%s: expected %s, found '%s'", name.s, want, s);
  nb_buf_free(&name);
}

/* Unknown, misplaced and misspelt keys: always errors, since the value would be lost. */
static void check_path(checker *k, const nb_datum *dt) {
  char *copy = nb_xstrdup(dt->path ? dt->path : "");
  char *seg[SEGS];
  size_t nseg = 0;
  for (char *p = copy; nseg < SEGS;) {
    seg[nseg++] = p;
    p = strchr(p, '.');
    if (!p) break;
    *p++ = 0;
  }
  const char *keys[MAX_KEYS], *other[MAX_KEYS];
  nb_buf msg = {0};
  size_t depth = 0;
  for (;; depth++) {
    size_t n = level_keys(k->mask, seg, depth, keys);
    if (depth == nseg) {
      if (n == 0) { /* a complete path */
        check_domain(k, dt, seg);
        break;
      }
      where(seg, depth, &msg);
      nb_buf_printf(&msg, ": expected a mapping with keys %s, …; found a single value", keys[0]);
      break;
    }
    if (n == 0) {
      where(seg, depth, &msg);
      nb_buf_adds(&msg, ": expected a value, found a mapping");
      break;
    }
    if (in_keys(seg[depth], keys, n)) continue;
    nb_buf_printf(&msg, "unknown key '%s' in ", seg[depth]);
    where(seg, depth, &msg);
    int omask = k->mask ^ NB_STAT_FBOTH;
    size_t on = level_keys(omask, seg, depth, other);
    if (in_keys(seg[depth], other, on)) {
      /* the format is the explanation; a near key of this format would mislead */
      nb_buf_printf(&msg, " (a key of the %d format; meta.format is %d)",
                    omask == NB_STAT_F2019 ? 2019 : 2021, k->doc->meta.format);
      break;
    }
    int best = 99;
    const char *sug = NULL;
    for (size_t i = 0; i < n; i++) {
      int e = nb_edit_distance(seg[depth], keys[i]);
      if (e < best) best = e, sug = keys[i];
    }
    if (sug && (best <= 2 || best <= (int)strlen(seg[depth]) / 3)) {
      nb_buf_printf(&msg, "; did you mean '%s'?", sug);
    } else {
      nb_buf_adds(&msg, "; expected one of:");
      for (size_t i = 0; i < n; i++) nb_buf_printf(&msg, " %s", keys[i]);
    }
    break;
  }
  if (msg.s) finding(k, NB_SEV_ERROR, dt->pos, "%s", msg.s);
  nb_buf_free(&msg);
  free(copy);
}

/* A cell's value for the arithmetic: blank is 0; ok = 0 when it is no count (that is a
 * domain finding already, and relations through it are not checked). */
typedef struct cellv {
  const nb_datum *d;
  long long v;
  int ok, blank;
} cellv;

static cellv get(const checker *k, const char *path) {
  cellv c = {find_datum(k->doc, path), 0, 1, 1};
  if (c.d && c.d->text.s && *c.d->text.s) {
    c.blank = 0;
    c.ok = parse_count(c.d->text.s, &c.v);
  }
  return c;
}

static const char *shown(const cellv *c) { return c->blank ? "blank" : c->d->text.s; }
static nb_pos at(const checker *k, const cellv *c) { return c->d ? c->d->pos : k->doc->data_pos; }

/* §3 relations 1, 2, 3 and F ≤ N + C. */
static void check_t3(checker *k) {
  enum { MAXR = 32 };
  cellv v[MAXR][7];
  size_t idx[MAXR], nr = 0, N = 0, C = 0, T = 0, F = 0;
  char path[128], row[512];
  for (size_t i = 0; i < nb_stat_t3_nrows && nr < MAXR; i++) {
    const nb_stat_t3_row *r = &nb_stat_t3_rows[i];
    if (!(r->formats & k->mask) || !t3_has_data(r)) continue;
    if (!strcmp(r->key, "new_received")) N = nr;
    if (!strcmp(r->key, "carried_over")) C = nr;
    if (!strcmp(r->key, "results_total")) T = nr;
    if (!strcmp(r->key, "carried_forward")) F = nr;
    for (size_t c = 0; c < 7; c++) {
      snprintf(path, sizeof path, "t3.%s.%s", r->key, nb_stat_t3_cols[c]);
      v[nr][c] = get(k, path);
    }
    idx[nr++] = i;
  }
  const char *tl = zh("results_total"), *fl = zh("carried_forward");
  for (size_t c = 0; c < 7; c++) {
    const char *col = zh(nb_stat_t3_cols[c]);
    cellv *n = &v[N][c], *cc = &v[C][c], *t = &v[T][c], *f = &v[F][c];
    if (n->ok && cc->ok && t->ok && f->ok && n->v + cc->v != t->v + f->v)
      finding(k, k->sev, t->d ? at(k, t) : at(k, f),
              "表三 %s + %s / %s: expected %lld (一 + 二 = %s + %s), found %lld "
              "(%s + 四 = %s + %s)",
              tl, fl, col, n->v + cc->v, shown(n), shown(cc), t->v + f->v, tl, shown(t), shown(f));
    /* the result rows: everything between 二 and （七） */
    long long sum = 0;
    int ok = t->ok;
    for (size_t r = C + 1; r < T; r++) ok &= v[r][c].ok, sum += v[r][c].v;
    if (ok && sum != t->v)
      finding(k, k->sev, at(k, t), "表三 %s / %s: expected %lld (sum of the results), found %s", tl,
              col, sum, shown(t));
    if (n->ok && cc->ok && f->ok && f->v > n->v + cc->v)
      finding(k, k->sev, at(k, f), "表三 %s / %s: expected at most %lld (一 + 二), found %s", fl,
              col, n->v + cc->v, shown(f));
  }
  for (size_t r = 0; r < nr; r++) {
    long long sum = 0;
    int ok = 1;
    for (size_t c = 0; c < 6; c++) ok &= v[r][c].ok, sum += v[r][c].v;
    if (!ok || !v[r][6].ok || sum == v[r][6].v) continue;
    t3_row_name(idx[r], k->mask, row, sizeof row);
    finding(k, k->sev, at(k, &v[r][6]),
            "表三 %s / %s: expected %lld (sum of the six applicant columns), found %s", row,
            zh("total"), sum, shown(&v[r][6]));
  }
}

/* §4: each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结. */
static void check_t4(checker *k) {
  char path[128];
  for (size_t g = 0; g < 3; g++) {
    cellv v[5];
    long long sum = 0;
    int ok = 1;
    for (size_t c = 0; c < 5; c++) {
      snprintf(path, sizeof path, "t4.%s.%s", nb_stat_t4_groups[g], nb_stat_t4_cols[c]);
      v[c] = get(k, path);
      ok &= v[c].ok;
      if (c < 4) sum += v[c].v;
    }
    if (!ok || sum == v[4].v) continue;
    finding(k, k->sev, at(k, &v[4]),
            "表四 %s%s / %s: expected %lld (结果维持 + 结果纠正 + 其他结果 + 尚未审结), found %s",
            g ? "行政诉讼 " : "", zh(nb_stat_t4_groups[g]), zh("total"), sum, shown(&v[4]));
  }
}

/* ---- prose against the tables (§3 relation 4, §8 "Prose ↔ table") ----
 *
 * A heuristic, documented in docs/tables.md: in the Chinese text of paragraphs, run-in
 * headings and list items, a keyword, at most 8 characters with no clause punctuation and
 * no digit, then a whole number and 件 — "收到信息公开申请62件", "予以公开41件" — is a
 * figure of the table; "占比66%" (占, at most 4 characters, a number, %) after it in the
 * same clause is its share of the applications. */

/* A table value as the prose quotes it: a row's 总计 (blank: the sum of its six columns),
 * or the sum over a group's sub-rows; `name` gets the cell's name for messages. */
static long long t3_row_total(const checker *k, const char *row) {
  char path[128];
  snprintf(path, sizeof path, "t3.%s.total", row);
  cellv t = get(k, path);
  if (!t.blank) return t.ok ? t.v : -1;
  long long sum = 0;
  for (size_t c = 0; c < 6; c++) {
    snprintf(path, sizeof path, "t3.%s.%s", row, nb_stat_t3_cols[c]);
    cellv v = get(k, path);
    if (!v.ok) return -1;
    sum += v.v;
  }
  return sum;
}

/* `key` an ITEM/TOP row (its total) or a GROUP (the sum of its sub-rows); "results_total"
 * when blank is the sum of all result rows, as （七） should be. -1: not a count. */
static long long t3_figure(const checker *k, const char *key, nb_buf *name) {
  size_t i = 0;
  while (i < nb_stat_t3_nrows &&
         !((nb_stat_t3_rows[i].formats & k->mask) && !strcmp(nb_stat_t3_rows[i].key, key)))
    i++;
  if (i == nb_stat_t3_nrows) return -1;
  if (nb_stat_t3_rows[i].kind != NB_T3_GROUP) {
    nb_buf_printf(name, "表三 %s / 总计", zh(key));
    char path[128];
    snprintf(path, sizeof path, "t3.%s.total", key);
    if (!strcmp(key, "results_total") && get(k, path).blank) {
      long long sum = 0;
      for (size_t j = 0; j < nb_stat_t3_nrows; j++) {
        const nb_stat_t3_row *r = &nb_stat_t3_rows[j];
        if (!(r->formats & k->mask) || !t3_has_data(r) || r->kind == NB_T3_TOP ||
            !strcmp(r->key, "results_total"))
          continue;
        long long v = t3_row_total(k, r->key);
        if (v < 0) return -1;
        sum += v;
      }
      nb_buf_adds(name, " (blank; the sum of the results)");
      return sum;
    }
    return t3_row_total(k, key);
  }
  nb_buf_printf(name, "表三 %s (the sum of its items) / 总计", zh(key));
  long long sum = 0;
  for (size_t j = i + 1; j < nb_stat_t3_nrows; j++) {
    const nb_stat_t3_row *r = &nb_stat_t3_rows[j];
    if (!(r->formats & k->mask)) continue;
    if (r->kind != NB_T3_SUB) break;
    long long v = t3_row_total(k, r->key);
    if (v < 0) return -1;
    sum += v;
  }
  return sum;
}

static long long t4_figure(const checker *k, const char *group, nb_buf *name) {
  char path[128];
  long long sum = 0;
  for (size_t g = 0; g < 3; g++) {
    if (strcmp(group, "litigation") ? strcmp(group, nb_stat_t4_groups[g]) : g == 0) continue;
    snprintf(path, sizeof path, "t4.%s.total", nb_stat_t4_groups[g]);
    cellv v = get(k, path);
    if (!v.ok) return -1;
    sum += v.v;
  }
  nb_buf_printf(name, "表四 %s / 总计",
                !strcmp(group, "litigation") ? "行政诉讼 (未经复议直接起诉 + 复议后起诉)"
                                             : zh(group));
  return sum;
}

static const struct prose_kw {
  const char *kw;
  int apply; /* the words between must include 申请 (收到 and 办结 are common words) */
  const char *key;
} PROSE[] = {
    {"收到", 1, "new_received"},        {"受理", 1, "new_received"},
    {"予以公开", 0, "disclosed"},       {"部分公开", 0, "partly"},
    {"不予公开", 0, "refused"},         {"无法提供", 0, "unable"},
    {"不予处理", 0, "unhandled"},       {"其他处理", 0, "other"},
    {"办结", 1, "results_total"},       {"上年结转", 0, "carried_over"},
    {"结转下年", 0, "carried_forward"}, {"行政复议", 0, "t4:reconsideration"},
    {"行政诉讼", 0, "t4:litigation"},
};

static int is_clause_end(uint32_t c) {
  return c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == 0xFF1A || c == 0x3001 || c == 0xFF01 ||
         c == 0xFF1F || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n';
}

/* Skips at most `max` characters that are neither digits nor clause punctuation; returns
 * where the digits start, or NULL. */
static const char *skip_words(const char *p, const char *e, int max) {
  for (int n = 0; p < e; n++) {
    if (*p >= '0' && *p <= '9') return p;
    const char *q = p;
    uint32_t c = nb_utf8_next(&q, e);
    if (n == max || is_clause_end(c) || c == 0x3002) return NULL;
    p = q;
  }
  return NULL;
}

/* A number of the prose, one more digit: figures of 19 digits and more, which no table
 * holds, stay at HUGE_FIGURE instead of overflowing. */
#define HUGE_FIGURE 1000000000000000000LL
static long long digit(long long v, char d) {
  return v >= HUGE_FIGURE / 10 ? HUGE_FIGURE : v * 10 + (d - '0');
}

static int find_in(const char *p, const char *e, const char *what) {
  size_t n = strlen(what);
  for (; p + n <= e; p++)
    if (!memcmp(p, what, n)) return 1;
  return 0;
}

/* "，占比66%" after a figure: its share of the applications, at its printed precision,
 * against （七）总计 (or, blank, the sum of the results), 一 or 一 + 二. */
static void prose_share(checker *k, const nb_str *str, const char *p, const char *e,
                        long long value) {
  const char *zhan = NULL;
  for (int n = 0; p < e && n < 12; n++) {
    if (!strncmp(p, "占", 3)) {
      zhan = p;
      break;
    }
    const char *q = p;
    uint32_t c = nb_utf8_next(&q, e);
    if (c == 0x3002 || c == 0xFF1B || c == ';' || (*p >= '0' && *p <= '9')) return;
    p = q;
  }
  if (!zhan) return;
  const char *num = skip_words(zhan + 3, e, 4), *ne = num;
  if (!num) return;
  long long pv = 0, scale = 1;
  int dec = 0;
  while (ne < e && *ne >= '0' && *ne <= '9') pv = digit(pv, *ne++);
  if (ne < e && *ne == '.')
    for (ne++; ne < e && *ne >= '0' && *ne <= '9' && dec < 6; dec++) pv = digit(pv, *ne++);
  if (strncmp(ne, "%", 1) && strncmp(ne, "\uFF05", 3)) return;
  for (int i = 0; i < dec; i++) scale *= 10;
  if (value > LLONG_MAX / (200 * scale) - 1) return; /* beyond what the rounding can hold */
  size_t plen = (size_t)(ne - num) + (*ne == '%' ? 1 : 3);
  nb_buf tn = {0}, nn = {0}, cn = {0};
  long long T = t3_figure(k, "results_total", &tn), N = t3_figure(k, "new_received", &nn);
  long long C = t3_figure(k, "carried_over", &cn);
  long long dens[3] = {T, N, N >= 0 && C > 0 ? N + C : -1};
  long long first = -1, first_den = -1;
  int ok = 0, any = 0;
  for (int i = 0; i < 3; i++) {
    if (dens[i] <= 0) continue;
    long long want = (2 * value * 100 * scale + dens[i]) / (2 * dens[i]); /* half up */
    if (!any) first = want, first_den = dens[i];
    any = 1;
    ok |= want == pv;
  }
  if (any && !ok) {
    nb_pos at =
        nb_source_pos(k->doc->src, k->doc->srclen, str->pos, str->s, (size_t)(num - str->s), plen);
    char want[64];
    if (dec)
      snprintf(want, sizeof want, "%lld.%0*lld", first / scale, dec, first % scale);
    else
      snprintf(want, sizeof want, "%lld", first);
    finding(k, k->sev, at,
            "%.*s contradicts the tables: expected %s%% (%lld of %lld, %s), found %.*s",
            (int)(ne - zhan) + (*ne == '%' ? 1 : 3), zhan, want, value, first_den,
            first_den == T ? tn.s : nn.s, (int)plen, num);
  }
  nb_buf_free(&tn);
  nb_buf_free(&nn);
  nb_buf_free(&cn);
}

static void prose_text(checker *k, const nb_str *str) {
  const char *s = str->s, *e = s ? s + strlen(s) : NULL;
  if (!s) return;
  for (size_t w = 0; w < sizeof PROSE / sizeof *PROSE; w++) {
    const struct prose_kw *K = &PROSE[w];
    for (const char *p = strstr(s, K->kw); p; p = strstr(p + 1, K->kw)) {
      const char *q = p + strlen(K->kw), *num = skip_words(q, e, 8);
      if (!num) continue;
      if (K->apply && !find_in(q, num, "申请")) continue;
      const char *ne = num;
      while (ne < e && ((*ne >= '0' && *ne <= '9') || (*ne == ',' && ne[1] >= '0' && ne[1] <= '9')))
        ne++;
      if (ne < e && *ne == '.') continue; /* 1.5件: not a count */
      const char *unit = ne;
      while (unit < e && *unit == ' ') unit++;
      if (strncmp(unit, "件", 3)) continue;
      long long said = 0;
      for (const char *d = num; d < ne; d++)
        if (*d != ',') said = digit(said, *d);
      char found[64]; /* a figure too large for a count is quoted as written */
      if (said < HUGE_FIGURE)
        snprintf(found, sizeof found, "%lld", said);
      else
        snprintf(found, sizeof found, "%.*s", (int)NB_MIN(ne - num, 60), num);
      nb_buf name = {0}, alt = {0};
      long long want =
          strncmp(K->key, "t4:", 3) ? t3_figure(k, K->key, &name) : t4_figure(k, K->key + 3, &name);
      long long want2 = -1; /* 收到 may count last year's carried-over applications too */
      if (want >= 0 && !strcmp(K->key, "new_received")) {
        long long c = t3_figure(k, "carried_over", &alt);
        if (c > 0) want2 = want + c;
      }
      /* the position only for a finding: it reads the file up to the scalar */
      if (want >= 0 && said != want && said != want2)
        finding(k, k->sev,
                nb_source_pos(k->doc->src, k->doc->srclen, str->pos, s, (size_t)(num - s),
                              (size_t)(unit + 3 - num)),
                "%.*s contradicts %s: expected %lld%s, found %s", (int)(unit + 3 - p), p, name.s,
                want, want2 >= 0 ? " (or with 二 carried over)" : "", found);
      nb_buf_free(&name);
      nb_buf_free(&alt);
      if (want < 0 || strncmp(K->key, "t4:", 3) == 0) continue;
      prose_share(k, str, unit + 3, e, want);
    }
  }
}

static void check_prose(checker *k) {
  for (size_t i = 0; i < k->doc->nblocks; i++) {
    const nb_block *b = &k->doc->blocks[i];
    if (b->kind == NB_BLK_PARA) {
      prose_text(k, &b->lead.zh);
      prose_text(k, &b->text.zh);
    } else if (b->kind == NB_BLK_HEADING) {
      prose_text(k, &b->text.zh);
      prose_text(k, &b->runin.zh);
    } else if (b->kind == NB_BLK_LIST) {
      for (size_t j = 0; j < b->nitems; j++) prose_text(k, &b->items[j].zh);
    }
  }
}

int nb_statutory_check(const nb_doc *doc, int strict, nb_diags *d) {
  checker k = {doc, d, strict ? NB_SEV_ERROR : NB_SEV_WARNING, format_mask(doc->meta.format), 0};
  if (!k.mask) {
    finding(&k, NB_SEV_ERROR, doc->meta.pos, "unknown table format %d (expected 2019 or 2021)",
            doc->meta.format);
    return k.n;
  }
  for (size_t i = 0; i < doc->ndata; i++) check_path(&k, &doc->data[i]);
  check_t3(&k);
  check_t4(&k);
  check_prose(&k);
  return k.n;
}
