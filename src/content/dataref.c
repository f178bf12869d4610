/* Data references in text (dataref.h): resolved once, when the content is loaded, so that
 * every later stage (layout, bookmarks, the prose checks, the English edition) sees the
 * figures as if they had been typed. */
#include "content/dataref.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/statutory.h"

/* ---- positions ---- */

static size_t utf8_step(const char *s, size_t i, size_t n) {
  if (i >= n) return n;
  i++;
  while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  return i;
}

static const char *find_bytes(const char *h, size_t hn, const char *nd, size_t nn) {
  if (nn == 0 || hn < nn) return NULL;
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == nd[0] && !memcmp(h + i, nd, nn)) return h + i;
  return NULL;
}

nb_pos nb_source_pos(const char *src, size_t srclen, nb_pos scalar, const char *s, size_t off,
                     size_t len) {
  if (!src || !s || scalar.line < 1 || scalar.col < 1) return scalar;
  size_t slen = strlen(s);
  if (off >= slen) return scalar;
  if (len > slen - off) len = slen - off;
  for (size_t i = 0; i < len; i++)
    if (s[off + i] == '\n') len = i;
  if (len == 0) return scalar;
  /* the scalar's first byte in the source */
  size_t p = 0;
  for (int line = 1; p < srclen && line < scalar.line; p++)
    if (src[p] == '\n') line++;
  for (int col = 1; col < scalar.col && p < srclen && src[p] != '\n'; col++)
    p = utf8_step(src, p, srclen);
  /* the k-th occurrence in the value is taken to be the k-th after that point */
  int k = 0;
  for (const char *q = s; (q = find_bytes(q, (size_t)(s + off - q), s + off, len)); q++) k++;
  size_t end = NB_MIN(srclen, p + 4 * slen + 256);
  const char *f = src + p;
  for (;;) {
    f = find_bytes(f, (size_t)(src + end - f), s + off, len);
    if (!f) return scalar;
    if (k-- == 0) break;
    f++;
  }
  nb_pos r = scalar;
  size_t at = (size_t)(f - src), bol = p;
  for (size_t i = p; i < at; i++)
    if (src[i] == '\n') r.line++, bol = i + 1;
  r.col = (bol == p ? scalar.col : 1) + (int)nb_utf8_count(src + bol, at - bol);
  return r;
}

/* ---- references ---- */

typedef struct ctx {
  nb_doc *doc;
  nb_diags *d;
  int errors;
} ctx;

/* Where a reference stands: its byte range in a scalar's value. The source position is
 * only worked out for a message (finding it means reading the file up to the scalar,
 * which for every reference of a long report would take time quadratic in its length). */
typedef struct where {
  const nb_doc *doc;
  nb_pos scalar;
  const char *s;
  size_t off, len;
} where;

typedef struct num {
  double v;
  int dec; /* decimals as written */
} num;

static void err(ctx *C, const where *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(ctx *C, const where *at, const char *fmt, ...) {
  nb_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  nb_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  if (C->d)
    nb_diag_add(C->d, NB_SEV_ERROR,
                nb_source_pos(at->doc->src, at->doc->srclen, at->scalar, at->s, at->off, at->len),
                "%s", b.s ? b.s : "");
  nb_buf_free(&b);
  C->errors++;
}

/* A literal number: optional sign, digits, optional decimals. */
static int parse_num(const char *s, num *out) {
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  size_t n = strspn(p, "0123456789");
  if (!n) return 0;
  p += n;
  int dec = 0;
  if (*p == '.') {
    dec = (int)strspn(++p, "0123456789");
    if (!dec) return 0;
    p += dec;
  }
  if (*p) return 0;
  out->v = strtod(s, NULL);
  out->dec = dec;
  return 1;
}

/* The closest path of the data section (or of the format), for "did you mean". */
static const char *suggest(ctx *C, const char *path, char *buf, size_t size) {
  int best = 99;
  const char *sug = NULL;
  for (size_t i = 0; i < C->doc->ndata; i++) {
    int e = nb_edit_distance(path, C->doc->data[i].path);
    if (e < best) best = e, sug = C->doc->data[i].path;
  }
  int e2 = 99;
  if (nb_statutory_suggest(C->doc->meta.format, path, buf, size)) e2 = nb_edit_distance(path, buf);
  if (e2 < best) best = e2, sug = buf;
  return sug && best <= NB_MAX(2, (int)strlen(path) / 4) ? sug : NULL;
}

/* The datum at `path`, or NULL after an error: unknown, or blank in the data section. */
static const nb_datum *datum(ctx *C, const char *path, const where *at, const char *ref) {
  const nb_datum *dt = nb_doc_datum(C->doc, path);
  if (dt && dt->text.s && *dt->text.s) return dt;
  if (nb_statutory_known_path(C->doc->meta.format, path)) {
    err(C, at,
        "%s: %s is blank in the data section; a blank cannot be quoted (give the "
        "value in data, 0 if it is zero)",
        ref, path);
    return NULL;
  }
  char buf[256];
  const char *sug = suggest(C, path, buf, sizeof buf);
  if (sug)
    err(C, at, "%s: unknown data path '%s'; did you mean '%s'?", ref, path, sug);
  else
    err(C, at,
        "%s: unknown data path '%s' (paths are like t3.new_received.total; see "
        "docs/content.md)",
        ref, path);
  return NULL;
}

static int operand(ctx *C, const char *tok, const where *at, const char *ref, num *out) {
  if (parse_num(tok, out)) return 1;
  const nb_datum *dt = datum(C, tok, at, ref);
  if (!dt) return 0;
  if (!parse_num(dt->text.s, out)) {
    err(C, at, "%s: %s is '%s', not a number", ref, tok, dt->text.s);
    return 0;
  }
  return 1;
}

/* Half away from zero at `dec` decimals, as reports round (41 of 62 = 66.13 → 66%). The
 * nudge keeps 12.5 from being 12.4999… in binary. */
static void put_rounded(nb_buf *b, double v, int dec) {
  double m = pow(10, dec), r = round(v * m * (1 + 1e-12)) / m;
  if (r == 0) r = 0; /* no "-0" */
  nb_buf_printf(b, "%.*f", dec, r);
}

/* Expands one reference (the text between the braces) into b. */
static void expand_one(ctx *C, const char *body, const where *at, nb_buf *b) {
  char ref[256];
  snprintf(ref, sizeof ref, "{{%s}}", body);
  char *copy = nb_xstrdup(body);
  VEC(char *) toks = {0}; /* every token: a sum may add up any number of values */
  for (char *p = strtok(copy, " \t"); p; p = strtok(NULL, " \t")) VEC_PUSH(toks, p);
  char **tok = toks.v;
  int nt = (int)toks.n;
  num *v = NULL;
  if (nt == 0) {
    err(C, at, "%s: empty data reference", ref);
    goto out;
  }
  const char *fn = tok[0];
  int is_fn = !strcmp(fn, "sum") || !strcmp(fn, "diff") || !strcmp(fn, "pct") || !strcmp(fn, "yoy");
  if (!is_fn) {
    if (nt > 1 || !strchr(fn, '.')) {
      err(C, at, "%s: expected a data path or one of sum, diff, pct, yoy, found '%s'", ref, fn);
      goto out;
    }
    const nb_datum *dt = datum(C, fn, at, ref);
    if (dt) nb_buf_adds(b, dt->text.s);
    goto out;
  }
  int nargs = nt - 1, dec = 0, percent = !strcmp(fn, "pct") || !strcmp(fn, "yoy");
  if (percent && nargs == 3) {
    num dn;
    if (!parse_num(tok[3], &dn) || dn.dec || dn.v < 0 || dn.v > 3) {
      err(C, at, "%s: the decimals of %s must be 0 to 3, found '%s'", ref, fn, tok[3]);
      goto out;
    }
    dec = (int)dn.v;
    nargs = 2;
  }
  if ((!strcmp(fn, "sum") && nargs < 2) || (strcmp(fn, "sum") && nargs != 2)) {
    err(C, at, "%s: %s takes %s", ref, fn,
        !strcmp(fn, "sum") ? "two values or more"
        : percent          ? "two values (and optional decimals)"
                           : "two values");
    goto out;
  }
  v = nb_xcalloc((size_t)nargs, sizeof *v);
  int ok = 1;
  for (int i = 0; i < nargs; i++) ok &= operand(C, tok[1 + i], at, ref, &v[i]);
  if (!ok) goto out;
  if (!strcmp(fn, "sum") || !strcmp(fn, "diff")) {
    double s = v[0].v;
    int d = v[0].dec;
    for (int i = 1; i < nargs; i++) {
      s += fn[0] == 's' ? v[i].v : -v[i].v;
      d = NB_MAX(d, v[i].dec);
    }
    put_rounded(b, s, d);
    goto out;
  }
  double base = v[1].v;
  if (base == 0) {
    err(C, at, "%s: %s is 0; cannot compute %s", ref, tok[2],
        fn[0] == 'p' ? "a share of it" : "a change on it");
    goto out;
  }
  put_rounded(b, fn[0] == 'p' ? v[0].v * 100 / base : (v[0].v - base) * 100 / base, dec);
  nb_buf_addc(b, '%');
out:
  free(v);
  free(toks.v);
  free(copy);
}

const char *nb_dataref_expand(nb_doc *doc, const char *s, nb_pos pos, nb_diags *d) {
  if (!s || !strstr(s, "{{")) return s;
  ctx C = {doc, d, 0};
  nb_buf b = {0};
  const char *p = s;
  for (;;) {
    const char *o = strstr(p, "{{");
    if (o && o > s && o[-1] == '\\') { /* \{{ is text; the inline escape drops the \ */
      nb_buf_add(&b, p, (size_t)(o + 2 - p));
      p = o + 2;
      continue;
    }
    if (!o) {
      nb_buf_adds(&b, p);
      break;
    }
    nb_buf_add(&b, p, (size_t)(o - p));
    const char *c = strstr(o + 2, "}}");
    where at = {doc, pos, s, (size_t)(o - s), c ? (size_t)(c + 2 - o) : 2};
    if (!c) {
      err(&C, &at, "'{{' without a closing '}}' (write \\{{ for the braces themselves)");
      nb_buf_adds(&b, o);
      break;
    }
    char *body = nb_xstrndup(o + 2, (size_t)(c - o - 2));
    /* trim, so that {{ t3.a.b }} works */
    char *t = body;
    while (*t == ' ') t++;
    size_t n = strlen(t);
    while (n && t[n - 1] == ' ') t[--n] = 0;
    size_t mark = b.n;
    expand_one(&C, t, &at, &b);
    if (b.n == mark) nb_buf_add(&b, o, (size_t)(c + 2 - o)); /* an error: keep it as written */
    free(body);
    p = c + 2;
  }
  const char *r = nb_arena_strdup(doc->arena, b.s ? b.s : "");
  nb_buf_free(&b);
  return r;
}

static int resolve_str(nb_doc *doc, nb_str *s, nb_diags *d) {
  if (!s->s || !strstr(s->s, "{{")) return 0;
  int before = d ? d->errors : 0;
  s->s = nb_dataref_expand(doc, s->s, s->pos, d);
  return d ? d->errors - before : 0;
}

static int resolve_text(nb_doc *doc, nb_text *t, nb_diags *d) {
  return resolve_str(doc, &t->zh, d) + resolve_str(doc, &t->en, d);
}

int nb_dataref_resolve(nb_doc *doc, nb_diags *d) {
  int n = 0;
  nb_meta *m = &doc->meta;
  /* a signature without an issuer holds a copy of meta.issuer: it takes the meta's
   * expansion instead of being expanded (and its errors reported) once more */
  const nb_text issuer = m->issuer;
  nb_text *meta[] = {
      &m->issuer,           &m->title,         &m->contact.office, &m->contact.address,
      &m->contact.postcode, &m->contact.phone, &m->contact.email,  &m->contact.website};
  for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) n += resolve_text(doc, meta[i], d);
  for (size_t i = 0; i < doc->nblocks; i++) {
    nb_block *b = &doc->blocks[i];
    if (b->kind == NB_BLK_SIGNATURE && b->issuer.zh.s == issuer.zh.s &&
        b->issuer.en.s == issuer.en.s)
      b->issuer = m->issuer;
    else
      n += resolve_text(doc, &b->issuer, d);
    n += resolve_text(doc, &b->number, d) + resolve_text(doc, &b->lead, d) +
         resolve_text(doc, &b->runin, d);
    for (size_t k = 0; k < b->nitems; k++) n += resolve_text(doc, &b->items[k], d);
    nb_table *t = b->table;
    if (!t) {
      n += resolve_text(doc, &b->text, d);
      continue;
    }
    n += resolve_text(doc, &t->caption, d);
    b->text = t->caption; /* the block's copy of the caption */
    for (size_t r = 0; r < t->nrows; r++)
      for (size_t c = 0; c < t->rows[r].n; c++)
        n += resolve_text(doc, &t->rows[r].cells[c].text, d);
  }
  return n;
}
