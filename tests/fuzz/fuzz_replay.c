/* Without libFuzzer: runs a fuzz target over every file named on the command line (the
 * samples and tests/errors/ as a seed corpus), so CI exercises the targets under the
 * sanitizers on every run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* a target's one-time setup, as libFuzzer calls it, when the target has one */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv) {
  int n = 0;
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; i++) {
    size_t len;
    char *text = nb_read_file(argv[i], &len);
    if (!text) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)text, len);
    /* and every prefix, a cheap way to reach the truncated-input paths */
    for (size_t k = 0; k < len; k += 1 + len / 64) LLVMFuzzerTestOneInput((const uint8_t *)text, k);
    free(text);
    n++;
  }
  printf("%d passed, 0 failed\n", n);
  return 0;
}
