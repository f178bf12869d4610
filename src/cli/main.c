/* The nianbao command: a thin shell over the library's public header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/batch.h"
#include "nianbao.h"

static int usage(FILE *f) {
  fputs("usage: nianbao build INPUT.yaml -o OUTPUT.pdf [--layout NAME|FILE] [--lang zh|en|zh-en] "
        "[--strict] [--draft]\n"
        "                      [--pdfa 2b|2a|3b|3a|none]\n"
        "       nianbao check INPUT.yaml [--layout NAME|FILE] [--strict]\n"
        "       nianbao batch -o DIR [-j N] [build options] INPUT.yaml...\n"
        "       nianbao --version\n",
        f);
  return 2;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "--version")) {
    printf("nianbao %s\n", nb_version());
    return 0;
  }
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    usage(stdout);
    return 0;
  }
  if (argc < 3) return usage(stderr);
  const char *cmd = argv[1], *input = NULL, *output = NULL;
  nb_options o = {0};
  int batch = !strcmp(cmd, "batch"), jobs = 0, ninputs = 0;
  char **inputs = argv + 2; /* batch: the inputs, gathered in place */
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-o") && i + 1 < argc)
      output = argv[++i];
    else if (!strcmp(a, "--layout") && i + 1 < argc)
      o.layout = argv[++i];
    else if (!strcmp(a, "--lang") && i + 1 < argc)
      o.lang = argv[++i];
    else if (!strcmp(a, "--strict"))
      o.strict = 1;
    else if (!strcmp(a, "--pdfa") && i + 1 < argc)
      o.pdfa = argv[++i];
    else if (!strcmp(a, "--draft"))
      o.draft = 1;
    else if (batch && !strcmp(a, "-j") && i + 1 < argc)
      jobs = atoi(argv[++i]);
    else if (batch && a[0] != '-')
      inputs[ninputs++] = argv[i];
    else if (a[0] == '-') {
      fprintf(stderr, "nianbao: error: unknown option '%s'\n", a);
      return usage(stderr);
    } else if (!input)
      input = a;
    else {
      fprintf(stderr, "nianbao: error: unexpected argument '%s'\n", a);
      return usage(stderr);
    }
  }
  if (batch) {
    if (!output || !ninputs) {
      fputs("nianbao: error: batch needs -o DIR and at least one INPUT.yaml\n", stderr);
      return usage(stderr);
    }
    return nb_cli_batch(output, jobs, &o, inputs, ninputs);
  }
  if (!input) return usage(stderr);
  if (!strcmp(cmd, "build")) {
    if (!output) {
      fputs("nianbao: error: build needs -o OUTPUT.pdf\n", stderr);
      return usage(stderr);
    }
    return nb_build(input, output, &o, stderr);
  }
  if (!strcmp(cmd, "check")) return nb_check(input, &o, stderr);
  fprintf(stderr, "nianbao: error: unknown command '%s'\n", cmd);
  return usage(stderr);
}
