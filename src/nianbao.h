/* nianbao: typesets government information-disclosure annual reports (YAML) into PDF.
 *
 *   nb_options o = {.layout = "gbt9704"};
 *   int rc = nb_build("report.yaml", "report.pdf", &o, stderr);
 *
 * Messages are printed to `diag` as "FILE:LINE:COL: error: …". On failure no output file
 * is created and an existing one is left untouched. */
#ifndef NIANBAO_H
#define NIANBAO_H

#include <stdio.h>

typedef struct nb_options {
  const char *layout; /* layout name (layouts/NAME.yaml) or path; NULL: "gbt9704" */
  const char *lang;   /* edition: "zh" or "en"; NULL: the content's language */
  int strict;         /* findings of the data checks stop the build */
  int draft;          /* print the draft mark (征求意见稿 / DRAFT) on every page */
  const char *pdfa;   /* "2b" (NULL: the default), "3b" (the source attached), "2a"/"3a" (the
                       * same, claiming level A: the file is tagged) or "none" */
} nb_options;

/* 0 on success, non-zero on any error. */
int nb_build(const char *input, const char *output, const nb_options *opt, FILE *diag);
/* Loads and checks the content (schema, data arithmetic) without writing anything. */
int nb_check(const char *input, const nb_options *opt, FILE *diag);
const char *nb_version(void);

#endif
