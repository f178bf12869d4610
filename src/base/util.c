#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void) {
  fputs("nianbao: out of memory\n", stderr);
  abort();
}

void *nb_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom();
  return p;
}

void *nb_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom();
  return p;
}

void *nb_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) oom();
  return p;
}

char *nb_xstrdup(const char *s) { return nb_xstrndup(s, strlen(s)); }

char *nb_xstrndup(const char *s, size_t n) {
  char *p = nb_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void nb_buf_add(nb_buf *b, const void *p, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t c = b->cap ? b->cap : 64;
    while (c < b->n + n + 1) c *= 2;
    b->s = nb_xrealloc(b->s, c);
    b->cap = c;
  }
  if (n) memcpy(b->s + b->n, p, n);
  b->n += n;
  b->s[b->n] = 0;
}

void nb_buf_adds(nb_buf *b, const char *s) { nb_buf_add(b, s, strlen(s)); }
void nb_buf_addc(nb_buf *b, char c) { nb_buf_add(b, &c, 1); }

void nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  nb_buf_add(b, NULL, 0);
  if (b->n + (size_t)n + 1 > b->cap) {
    size_t c = b->cap;
    while (c < b->n + (size_t)n + 1) c *= 2;
    b->s = nb_xrealloc(b->s, c);
    b->cap = c;
  }
  vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
  b->n += (size_t)n;
}

void nb_buf_printf(nb_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nb_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void nb_buf_free(nb_buf *b) {
  free(b->s);
  b->s = NULL;
  b->n = b->cap = 0;
}

void nb_buf_num(nb_buf *b, double v) {
  char tmp[64];
  /* PDF reals are small; clamp what no drawing needs, so the conversion below is defined */
  if (v != v) v = 0;
  if (v > 1e12) v = 1e12;
  if (v < -1e12) v = -1e12;
  long long m = (long long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
  if (m == 0) {
    nb_buf_addc(b, '0');
    return;
  }
  int neg = m < 0;
  unsigned long long u = neg ? (unsigned long long)(-m) : (unsigned long long)m;
  unsigned long long ip = u / 1000, fp = u % 1000;
  int len;
  if (fp == 0)
    len = snprintf(tmp, sizeof tmp, "%s%llu", neg ? "-" : "", ip);
  else {
    len = snprintf(tmp, sizeof tmp, "%s%llu.%03llu", neg ? "-" : "", ip, fp);
    while (tmp[len - 1] == '0') len--;
  }
  nb_buf_add(b, tmp, (size_t)len);
}

uint32_t nb_utf8_next(const char **pp, const char *end) {
  const unsigned char *p = (const unsigned char *)*pp;
  uint32_t c = *p;
  int n;
  if (c < 0x80) {
    *pp += 1;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    n = 1;
    c &= 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2;
    c &= 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3;
    c &= 0x07;
  } else {
    *pp += 1;
    return 0xFFFD;
  }
  if ((const char *)p + n >= end) { /* truncated sequence */
    *pp += 1;
    return 0xFFFD;
  }
  for (int i = 1; i <= n; i++) {
    if ((p[i] & 0xC0) != 0x80) {
      *pp += 1;
      return 0xFFFD;
    }
    c = (c << 6) | (p[i] & 0x3F);
  }
  *pp += n + 1;
  /* overlong forms (C0 80 for U+0000 …) hide characters from checks: not valid UTF-8 */
  static const uint32_t least[] = {0, 0x80, 0x800, 0x10000};
  if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
  return c;
}

int nb_utf8_encode(uint32_t c, char o[4]) {
  if (c < 0x80) {
    o[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (char)(0xC0 | (c >> 6));
    o[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    o[0] = (char)(0xE0 | (c >> 12));
    o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (c >> 18));
  o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  o[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

size_t nb_utf8_count(const char *s, size_t n) {
  size_t k = 0;
  const char *e = s + n;
  while (s < e) {
    nb_utf8_next(&s, e);
    k++;
  }
  return k;
}

uint32_t *nb_utf8_to_u32(const char *s, size_t n, size_t *out_n) {
  uint32_t *u = nb_xmalloc((n + 1) * sizeof *u);
  size_t k = 0;
  const char *e = s + n;
  while (s < e) u[k++] = nb_utf8_next(&s, e);
  u[k] = 0;
  *out_n = k;
  return u;
}

/* ---- arena ---- */
typedef struct chunk {
  struct chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
} chunk;

struct nb_arena {
  chunk *head;
};

nb_arena *nb_arena_new(void) { return nb_xcalloc(1, sizeof(nb_arena)); }

void *nb_arena_alloc(nb_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  chunk *c = a->head;
  if (!c || c->used + n > c->size) {
    size_t size = n > 65536 ? n : 65536;
    c = nb_xmalloc(sizeof(chunk) + size);
    c->size = size;
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

char *nb_arena_strndup(nb_arena *a, const char *s, size_t n) {
  char *p = nb_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *nb_arena_strdup(nb_arena *a, const char *s) { return nb_arena_strndup(a, s, strlen(s)); }

void nb_arena_free(nb_arena *a) {
  if (!a) return;
  chunk *c = a->head;
  while (c) {
    chunk *n = c->next;
    free(c);
    c = n;
  }
  free(a);
}

char *nb_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  nb_buf b = {0};
  char tmp[65536];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) nb_buf_add(&b, tmp, k);
  int err = ferror(f);
  fclose(f);
  if (err) {
    nb_buf_free(&b);
    errno = EIO;
    return NULL;
  }
  nb_buf_add(&b, NULL, 0);
  *len = b.n;
  return b.s;
}

int nb_edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return 99;
  int d[65][65];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      c = NB_MIN(c, d[i - 1][j] + 1);
      c = NB_MIN(c, d[i][j - 1] + 1);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        c = NB_MIN(c, d[i - 2][j - 2] + 1);
      d[i][j] = c;
    }
  return d[la][lb];
}

/* t5 is as near to t2 as to t3, so neither is suggested. */
const char *nb_suggest(const char *s, const char *const *names) {
  size_t len = strlen(s);
  int limit = len < 5 ? 1 : len < 9 ? 2 : 3, best = limit + 1, ties = 0;
  const char *hit = NULL;
  for (; *names; names++) {
    int dist = nb_edit_distance(s, *names);
    if (dist == best) ties++;
    if (dist < best) best = dist, hit = *names, ties = 0;
  }
  return ties ? NULL : hit;
}
