/* Fuzz target: the content loader (YAML → model, with every check) and the statutory
 * data checks on whatever loads. Built for libFuzzer with -DNB_FUZZ=ON (clang); without
 * it, fuzz_replay.c turns this into a program that runs the target over files. */
#include <stddef.h>
#include <stdint.h>

#include "content/model.h"
#include "layout/statutory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nb_diags d = {0};
  nb_doc *doc = nb_content_load_text("fuzz.yaml", (const char *)data, size, &d);
  if (doc) {
    nb_statutory_check(doc, 0, &d);
    for (int t = 2; t <= 4; t++) nb_statutory_table(doc, t, &d);
    nb_doc_free(doc);
  }
  nb_diags_free(&d);
  return 0;
}
