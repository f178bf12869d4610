/* Diagnostics: every message carries the source position it is about. */
#ifndef NB_DIAG_H
#define NB_DIAG_H

#include <stdio.h>

typedef struct nb_pos {
  const char *file; /* not owned; lives as long as the document */
  int line, col;    /* 1-based; 0 when unknown */
} nb_pos;

typedef enum { NB_SEV_ERROR, NB_SEV_WARNING, NB_SEV_NOTE } nb_severity;

typedef struct nb_diag {
  nb_severity sev;
  nb_pos pos;
  char *msg;
} nb_diag;

typedef struct nb_diags {
  nb_diag *v;
  size_t n, cap;
  int errors, warnings;
  int max_errors; /* stop recording after this many errors (0 = 100) */
} nb_diags;

void nb_diag_add(nb_diags *d, nb_severity sev, nb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define nb_error(d, pos, ...) nb_diag_add((d), NB_SEV_ERROR, (pos), __VA_ARGS__)
#define nb_warn(d, pos, ...) nb_diag_add((d), NB_SEV_WARNING, (pos), __VA_ARGS__)
#define nb_note(d, pos, ...) nb_diag_add((d), NB_SEV_NOTE, (pos), __VA_ARGS__)
/* Prints "FILE:LINE:COL: error: msg" lines in the order they were added. */
void nb_diags_print(const nb_diags *d, FILE *f);
void nb_diags_free(nb_diags *d);

#endif
