/* Inline markup of one text string (see model.h): **bold**, [label](target), bare URLs
 * and email addresses, backslash escapes. Chinese prose runs into URLs without spaces,
 * so a bare URL or address is ASCII only and ends at the first character that cannot
 * belong to it. */
#include "content/model.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct ip {
  nb_arena *a;
  nb_diags *d;
  nb_pos pos;
  VEC(nb_span) out;
  nb_buf run; /* text of the span being built, with the attributes below */
  int run_bold;
  const char *run_link;
  /* matching brackets, found once: per byte of the string, 0 when not looked up yet, 1 when
   * that [ or ( has no match, else 2 + the offset of its match. A scan from one bracket
   * settles every bracket it passes, so that text full of unmatched [ stays linear. */
  const char *base;
  size_t len, *match;
} ip;

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static int is_punct(int c) { return c > 32 && c < 127 && !is_alnum(c); }
static int host_char(int c) { return is_alnum(c) || c == '.' || c == '-'; }
static int local_char(int c) { return is_alnum(c) || (c && strchr("._%+-", c)); }

/* Path characters of a bare URL: printable ASCII but for delimiters that end a URL in
 * prose; '*' is left out so that **www.example.cn** stays bold markup. */
static int path_char(int c) { return c > 32 && c < 127 && !strchr("<>\"\\`{}|^*", c); }

static void warn(ip *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(ip *P, const char *fmt, ...) {
  if (!P->d) return;
  nb_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  nb_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  nb_warn(P->d, P->pos, "%s", b.s);
  nb_buf_free(&b);
}

static void flush(ip *P) {
  if (!P->run.n) return;
  nb_span s = {nb_arena_strndup(P->a, P->run.s, P->run.n), P->run.n, P->run_bold, P->run_link};
  VEC_PUSH(P->out, s);
  P->run.n = 0;
}

static void put(ip *P, const char *s, size_t n, int bold, const char *link) {
  if (P->run.n && (bold != P->run_bold || link != P->run_link)) flush(P);
  P->run_bold = bold;
  P->run_link = link;
  nb_buf_add(&P->run, s, n);
}

/* ---- link targets ---- */

/* Percent-encodes what may not stand in a URI (non-ASCII bytes, spaces, delimiters). */
static const char *make_uri(nb_arena *a, const char *prefix, const char *s, size_t n) {
  nb_buf b = {0};
  nb_buf_adds(&b, prefix);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 32 || c >= 127 || strchr("\"<>\\^`{|}", c))
      nb_buf_printf(&b, "%%%02X", c);
    else
      nb_buf_addc(&b, (char)c);
  }
  const char *r = nb_arena_strdup(a, b.s);
  nb_buf_free(&b);
  return r;
}

/* label(.label)+ with an alphabetic top-level label of two letters or more. */
static int domain_ok(const char *s, const char *e) {
  int labels = 0;
  const char *p = s, *last = s;
  while (p <= e) {
    const char *q = p;
    while (q < e && *q != '.') q++;
    if (q == p) return 0;
    for (const char *r = p; r < q; r++)
      if (!host_char(*r)) return 0;
    labels++;
    last = p;
    p = q + 1;
  }
  if (labels < 2 || e - last < 2) return 0;
  for (const char *r = last; r < e; r++)
    if (!is_alpha(*r)) return 0;
  return 1;
}

static int is_email(const char *s, const char *e) {
  const char *at = s;
  while (at < e && local_char(*at)) at++;
  return at > s && *s != '.' && at < e && *at == '@' && domain_ok(at + 1, e);
}

/* A scheme of two letters or more ("C:\x" is a file name, not a URI). */
static int has_scheme(const char *s, const char *e) {
  const char *p = s;
  while (p < e && (is_alnum(*p) || *p == '+' || *p == '.' || *p == '-')) p++;
  return p - s >= 2 && is_alpha(*s) && p < e && *p == ':' && p + 1 < e;
}

/* The URI of an explicit [label](target), or NULL when the target is none of a URL with a
 * scheme, an email address, or a host name (www.x.cn, x.gov.cn/page). */
static const char *target_uri(nb_arena *a, const char *s, size_t n) {
  const char *e = s + n, *h = s;
  if (has_scheme(s, e)) return make_uri(a, "", s, n);
  if (is_email(s, e)) return make_uri(a, "mailto:", s, n);
  while (h < e && *h != '/' && *h != '?' && *h != '#') h++;
  if (domain_ok(s, h)) return make_uri(a, "http://", s, n);
  return NULL;
}

/* ---- scanners: each returns the end of what it matched, or NULL ---- */

/* The matching `close` of the `open` at p, skipping escapes and nested pairs. Every open
 * bracket passed on the way gets its match (or none) recorded. */
static const char *match_close(ip *P, const char *p, const char *e, char open, char close) {
  size_t at = (size_t)(p - P->base);
  if (e != P->base + P->len) abort(); /* links are only looked for in the whole string */
  if (!P->match) P->match = nb_xcalloc(P->len + 1, sizeof *P->match);
  if (P->match[at]) return P->match[at] == 1 ? NULL : P->base + P->match[at] - 2;
  VEC(size_t) stack = {0};
  for (const char *q = p; q < e; q++) {
    if (*q == '\\' && q + 1 < e)
      q++;
    else if (*q == open)
      VEC_PUSH(stack, (size_t)(q - P->base));
    else if (*q == close && stack.n) {
      P->match[stack.v[--stack.n]] = (size_t)(q - P->base) + 2;
      if (!stack.n) break;
    }
  }
  for (size_t i = 0; i < stack.n; i++) P->match[stack.v[i]] = 1;
  free(stack.v);
  return P->match[at] == 1 ? NULL : P->base + P->match[at] - 2;
}

static int has_stars(const char *p, const char *e) {
  for (; p + 1 < e; p++) {
    if (*p == '\\')
      p++;
    else if (p[0] == '*' && p[1] == '*')
      return 1;
  }
  return 0;
}

static void parse(ip *P, const char *s, const char *e, int bold, const char *link);

/* [label](target). A bracket that is not followed by a usable target stays text: Chinese
 * documents write [2019] in file numbers. */
static const char *scan_link(ip *P, const char *p, const char *e, int bold) {
  const char *rb = match_close(P, p, e, '[', ']');
  if (!rb || rb + 1 >= e || rb[1] != '(') return NULL;
  const char *rp = match_close(P, rb + 1, e, '(', ')');
  if (!rp) {
    warn(P, "link '%.*s' has no closing ')'; kept as written", (int)(rb + 2 - p), p);
    return NULL;
  }
  nb_buf t = {0}; /* the target without escapes and surrounding spaces */
  for (const char *q = rb + 2; q < rp; q++) {
    if (*q == '\\' && q + 1 < rp && is_punct(q[1])) q++;
    if (t.n || *q != ' ') nb_buf_addc(&t, *q);
  }
  while (t.n && t.s[t.n - 1] == ' ') t.n--;
  const char *uri = t.n ? target_uri(P->a, t.s, t.n) : NULL;
  if (!uri)
    warn(P, "'%.*s' is not a link: '%.*s' is not a URL or an email address; kept as written",
         (int)(rp + 1 - p), p, (int)t.n, t.n ? t.s : "");
  else if (rb == p + 1)
    put(P, t.s, t.n, bold, uri); /* [](x): the target is its own label */
  else
    parse(P, p + 1, rb, bold, uri);
  nb_buf_free(&t);
  return uri ? rp + 1 : NULL;
}

/* Drops trailing punctuation that ends the sentence rather than the URL; a closing
 * bracket stays when the URL opened it, as in wikipedia.org/wiki/X_(Y). */
static const char *trim_url(const char *s, const char *e) {
  size_t n[128] = {0}; /* of each bracket in s..e, kept up to date as e moves back */
  for (const char *q = s; q < e; q++)
    if (*q == '(' || *q == ')' || *q == '[' || *q == ']') n[(unsigned char)*q]++;
  while (e > s) {
    char c = e[-1];
    if (c == ')' || c == ']') {
      if (n[(unsigned char)c] <= n[c == ')' ? '(' : '[']) break;
      n[(unsigned char)c]--;
    } else if (!strchr(".,;:!?'\"_~-", c))
      break;
    e--;
  }
  return e;
}

/* Length of an http://, https:// or www. prefix at p (any case), or 0. */
static size_t url_prefix(const char *p, const char *e, int *www) {
  static const char *const pre[] = {"https://", "http://", "www."};
  for (int i = 0; i < 3; i++) {
    size_t n = strlen(pre[i]), k = 0;
    while (k < n && (size_t)(e - p) > n && (is_alpha(p[k]) ? p[k] | 0x20 : p[k]) == pre[i][k]) k++;
    if (k == n) {
      *www = i == 2;
      return n;
    }
  }
  return 0;
}

/* A bare URL: the prefix, a host, an optional port, and a path only after / ? or #. */
static const char *scan_url(ip *P, const char *p, const char *e, int bold) {
  int www = 0;
  size_t pre = url_prefix(p, e, &www);
  if (!pre) return NULL;
  const char *q = p + pre;
  while (q < e && host_char(*q)) q++;
  const char *host_end = q;
  if (q + 1 < e && *q == ':' && is_digit(q[1]))
    for (q++; q < e && is_digit(*q);) q++;
  if (q < e && (*q == '/' || *q == '?' || *q == '#'))
    while (q < e && path_char(*q)) q++;
  const char *end = trim_url(p, q);
  host_end = NB_MIN(host_end, end);
  if (www ? !domain_ok(p + pre, host_end) : host_end == p + pre || !is_alnum(p[pre])) return NULL;
  put(P, p, (size_t)(end - p), bold, make_uri(P->a, www ? "http://" : "", p, (size_t)(end - p)));
  return end;
}

/* A bare email address: ASCII local@domain.tld. */
static const char *scan_email(ip *P, const char *p, const char *e, int bold) {
  const char *at = p;
  while (at < e && local_char(*at)) at++;
  if (at == p || at >= e || *at != '@' || *p == '.') return NULL;
  const char *end = at + 1;
  while (end < e && host_char(*end)) end++;
  while (end > at + 1 && (end[-1] == '.' || end[-1] == '-')) end--;
  if (!domain_ok(at + 1, end)) return NULL;
  put(P, p, (size_t)(end - p), bold, make_uri(P->a, "mailto:", p, (size_t)(end - p)));
  return end;
}

/* Bare links start only at a word boundary, so that x.www.y or 2019www are left alone. */
static int url_start(unsigned char prev) {
  return !prev || !(is_alnum(prev) || strchr("./@-_%+", prev));
}
static int email_start(unsigned char prev) {
  return !prev || !(local_char(prev) || prev == '@' || prev == '/');
}

static size_t char_len(unsigned char c) { return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

/* Emits s..e as spans; inside a link label (`link` set) links do not nest. */
static void parse(ip *P, const char *s, const char *e, int bold, const char *link) {
  const char *p = s, *q;
  while (p < e) {
    unsigned char c = (unsigned char)*p, prev = p > s ? (unsigned char)p[-1] : 0;
    if (c == '\\' && p + 1 < e && is_punct(p[1])) {
      put(P, p + 1, 1, bold, link);
      p += 2;
      continue;
    }
    if (c == '*' && p + 1 < e && p[1] == '*') {
      if (bold || has_stars(p + 2, e))
        bold = !bold;
      else {
        warn(P, "unclosed '**'; kept as written");
        put(P, p, 2, bold, link);
      }
      p += 2;
      continue;
    }
    if (!link && c == '[' && (q = scan_link(P, p, e, bold))) {
      p = q;
      continue;
    }
    if (!link && ((url_start(prev) && (q = scan_url(P, p, e, bold))) ||
                  (email_start(prev) && (q = scan_email(P, p, e, bold))))) {
      p = q;
      continue;
    }
    size_t n = NB_MIN(char_len(c), (size_t)(e - p));
    put(P, p, n, bold, link);
    p += n;
  }
}

nb_spans nb_inline_parse(nb_arena *arena, const char *s, nb_pos pos, nb_diags *d) {
  ip P = {.a = arena, .d = d, .pos = pos, .base = s, .len = s ? strlen(s) : 0};
  if (s) parse(&P, s, s + P.len, 0, NULL);
  flush(&P);
  nb_spans r = {NULL, P.out.n};
  if (P.out.n) {
    r.v = nb_arena_alloc(arena, P.out.n * sizeof *r.v);
    memcpy(r.v, P.out.v, P.out.n * sizeof *r.v);
  }
  free(P.out.v);
  free(P.match);
  nb_buf_free(&P.run);
  return r;
}
