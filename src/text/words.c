#include "text/words.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utf16.h>

#include "base/util.h"

int nb_word_starts(const uint32_t *text, size_t n, unsigned char *starts) {
  memset(starts, 1, n + 1);
  if (n == 0 || n > INT32_MAX / 2) return n == 0;
  /* UTF-16 for ICU, and back from its code-unit offsets to characters */
  UChar *u = nb_xmalloc(2 * n * sizeof *u);
  size_t *char_at = nb_xmalloc((2 * n + 1) * sizeof *char_at);
  int32_t len = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = text[i] <= 0x10FFFF && (text[i] < 0xD800 || text[i] > 0xDFFF) ? text[i] : 0xFFFD;
    char_at[len] = i;
    if (c > 0xFFFF) char_at[len + 1] = i;
    U16_APPEND_UNSAFE(u, len, c);
  }
  char_at[len] = n;
  UErrorCode e = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", u, len, &e);
  int ok = U_SUCCESS(e);
  if (ok) {
    memset(starts + 1, 0, n - 1);
    for (int32_t p = ubrk_first(bi); p != UBRK_DONE; p = ubrk_next(bi))
      if (p >= 0 && p <= len) starts[char_at[p]] = 1;
  }
  ubrk_close(bi);
  free(u);
  free(char_at);
  return ok;
}
