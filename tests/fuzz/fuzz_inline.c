/* Fuzz target: inline markup (bold, links, bare URLs and e-mail addresses, escapes). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = 0; /* the parser reads NUL-terminated YAML scalars */
  nb_arena *a = nb_arena_new();
  nb_diags d = {0};
  nb_inline_parse(a, s, (nb_pos){"fuzz", 1, 1}, &d);
  nb_diags_free(&d);
  nb_arena_free(a);
  free(s);
  return 0;
}
