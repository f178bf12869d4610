/* Small helpers shared by every stage: allocation that cannot fail silently,
 * growable vectors, a byte buffer, UTF-8, an arena. */
#ifndef NB_UTIL_H
#define NB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *nb_xmalloc(size_t n);
void *nb_xcalloc(size_t n, size_t size);
void *nb_xrealloc(void *p, size_t n);
char *nb_xstrdup(const char *s);
char *nb_xstrndup(const char *s, size_t n);

/* A growable array: VEC(int) v = {0}; VEC_PUSH(v, 3); free(v.v); */
#define VEC(T)                                                                                     \
  struct {                                                                                         \
    T *v;                                                                                          \
    size_t n, cap;                                                                                 \
  }
#define VEC_GROW(vec, need)                                                                        \
  do {                                                                                             \
    if ((need) > (vec).cap) {                                                                      \
      size_t nc_ = (vec).cap ? (vec).cap * 2 : 8;                                                  \
      while (nc_ < (need)) nc_ *= 2;                                                               \
      (vec).v = nb_xrealloc((vec).v, nc_ * sizeof *(vec).v);                                       \
      (vec).cap = nc_;                                                                             \
    }                                                                                              \
  } while (0)
#define VEC_PUSH(vec, x)                                                                           \
  do {                                                                                             \
    VEC_GROW(vec, (vec).n + 1);                                                                    \
    (vec).v[(vec).n++] = (x);                                                                      \
  } while (0)

/* A byte buffer, always NUL-terminated when non-empty. */
typedef struct nb_buf {
  char *s;
  size_t n, cap;
} nb_buf;
void nb_buf_add(nb_buf *b, const void *p, size_t n);
void nb_buf_adds(nb_buf *b, const char *s);
void nb_buf_addc(nb_buf *b, char c);
void nb_buf_printf(nb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap);
void nb_buf_free(nb_buf *b);
/* Appends a number with at most 3 decimals and no trailing zeros, for PDF. */
void nb_buf_num(nb_buf *b, double v);

/* UTF-8. Decode returns the code point and advances *p; invalid bytes give U+FFFD. */
uint32_t nb_utf8_next(const char **p, const char *end);
int nb_utf8_encode(uint32_t cp, char out[4]);
size_t nb_utf8_count(const char *s, size_t n);
/* Whole-string decode into a freshly allocated array; *out_n gets the length. */
uint32_t *nb_utf8_to_u32(const char *s, size_t n, size_t *out_n);

/* An arena: many small allocations freed together. */
typedef struct nb_arena nb_arena;
nb_arena *nb_arena_new(void);
void *nb_arena_alloc(nb_arena *a, size_t n); /* zeroed, 16-byte aligned */
char *nb_arena_strndup(nb_arena *a, const char *s, size_t n);
char *nb_arena_strdup(nb_arena *a, const char *s);
void nb_arena_free(nb_arena *a);

/* Reads a whole file; returns NULL (errno set) on failure. */
char *nb_read_file(const char *path, size_t *len);

/* Levenshtein distance, for "did you mean" suggestions. */
int nb_edit_distance(const char *a, const char *b);
/* The closest of the NULL-terminated `names` to `s` when close enough to be a likely typo,
 * and not tied with another; else NULL. */
const char *nb_suggest(const char *s, const char *const *names);

#define NB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NB_MAX(a, b) ((a) > (b) ? (a) : (b))
#define NB_MM 2.834645669291339 /* points per millimetre */

#endif
