/* The base helpers: UTF-8 decoding (invalid, truncated, overlong, surrogates), numbers for
 * PDF, byte buffers, the arena, edit distance. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "harness.h"

static uint32_t dec1(const char *s, size_t n, size_t *used) {
  const char *p = s;
  uint32_t c = nb_utf8_next(&p, s + n);
  *used = (size_t)(p - s);
  return c;
}

static const char *num(double v) {
  static nb_buf b;
  b.n = 0;
  nb_buf_num(&b, v);
  return b.s;
}

int main(void) {
  size_t used;
  CHECK_INT(dec1("A", 1, &used), 'A');
  CHECK_INT(used, 1);
  CHECK_INT(dec1("\xE6\x94\xBF", 3, &used), 0x653F); /* 政 */
  CHECK_INT(used, 3);
  CHECK_INT(dec1("\xF0\xA0\xAE\x9F", 4, &used), 0x20B9F); /* 𠮟, outside the BMP */
  CHECK_INT(dec1("\xE6\x94", 2, &used), 0xFFFD);          /* truncated */
  CHECK_INT(used, 1);
  CHECK_INT(dec1("\xC0\x80", 2, &used), 0xFFFD);         /* overlong U+0000 */
  CHECK_INT(dec1("\xE0\x80\xAF", 3, &used), 0xFFFD);     /* overlong '/' */
  CHECK_INT(dec1("\xED\xA0\x80", 3, &used), 0xFFFD);     /* a surrogate */
  CHECK_INT(dec1("\xF4\x90\x80\x80", 4, &used), 0xFFFD); /* past U+10FFFF */
  CHECK_INT(dec1("\x80", 1, &used), 0xFFFD);             /* a lone continuation byte */
  char out[4];
  CHECK_INT(nb_utf8_encode(0x20B9F, out), 4);
  CHECK(!memcmp(out, "\xF0\xA0\xAE\x9F", 4));
  CHECK_INT(nb_utf8_count("政府a", strlen("政府a")), 3);

  CHECK_STR(num(0), "0");
  CHECK_STR(num(15.793), "15.793");
  CHECK_STR(num(-2.5), "-2.5");
  CHECK_STR(num(0.0004), "0");
  CHECK_STR(num(1e300), "1000000000000");
  CHECK_STR(num(NAN), "0");

  nb_buf b = {0};
  nb_buf_printf(&b, "%d-%s", 7, "x");
  nb_buf_addc(&b, '!');
  CHECK_STR(b.s, "7-x!");
  nb_buf_free(&b);

  nb_arena *a = nb_arena_new();
  char *big = nb_arena_alloc(a, 200000); /* larger than a chunk */
  big[199999] = 1;
  char *s = nb_arena_strdup(a, "公开");
  CHECK_STR(s, "公开");
  CHECK(((uintptr_t)nb_arena_alloc(a, 3) & 15) == 0);
  nb_arena_free(a);

  CHECK_INT(nb_edit_distance("caption", "captoin"), 1);
  CHECK_INT(nb_edit_distance("", "abc"), 3);
  TEST_MAIN_END();
}
