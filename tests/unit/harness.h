/* A tiny test harness (in the spirit of cmark's api_test): CHECK records a failure and
 * goes on; main() returns non-zero when any check failed. */
#ifndef NB_HARNESS_H
#define NB_HARNESS_H
#include <stdio.h>
#include <string.h>

static int nb_checks, nb_failures;
#define CHECK(cond)                                                                                \
  do {                                                                                             \
    nb_checks++;                                                                                   \
    if (!(cond)) {                                                                                 \
      nb_failures++;                                                                               \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)
#define CHECK_INT(a, b)                                                                            \
  do {                                                                                             \
    long long a_ = (long long)(a), b_ = (long long)(b);                                            \
    nb_checks++;                                                                                   \
    if (a_ != b_) {                                                                                \
      nb_failures++;                                                                               \
      fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_);       \
    }                                                                                              \
  } while (0)
#define CHECK_STR(a, b)                                                                            \
  do {                                                                                             \
    const char *a_ = (a), *b_ = (b);                                                               \
    nb_checks++;                                                                                   \
    if (!a_ || !b_ || strcmp(a_, b_)) {                                                            \
      nb_failures++;                                                                               \
      fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,            \
              a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                             \
    }                                                                                              \
  } while (0)
/* Writes n bytes to path (created or truncated). Returns 1 when all were written. */
static inline int nb_write_file(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  size_t w = fwrite(data, 1, n, f);
  return (fclose(f) == 0) & (w == n);
}
#define TEST_MAIN_END()                                                                            \
  do {                                                                                             \
    printf("%d passed, %d failed\n", nb_checks - nb_failures, nb_failures);                        \
    return nb_failures ? 1 : 0;                                                                    \
  } while (0)
#endif
