#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/util.h"

void nb_diag_add(nb_diags *d, nb_severity sev, nb_pos pos, const char *fmt, ...) {
  int max = d->max_errors ? d->max_errors : 100;
  if (sev == NB_SEV_ERROR) d->errors++;
  if (sev == NB_SEV_WARNING) d->warnings++;
  if (d->errors > max && sev == NB_SEV_ERROR) return;
  nb_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  nb_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  VEC_PUSH(*d, ((nb_diag){sev, pos, b.s}));
}

void nb_diags_print(const nb_diags *d, FILE *f) {
  static const char *names[] = {"error", "warning", "note"};
  for (size_t i = 0; i < d->n; i++) {
    const nb_diag *x = &d->v[i];
    if (x->pos.file && x->pos.line)
      fprintf(f, "%s:%d:%d: %s: %s\n", x->pos.file, x->pos.line, x->pos.col, names[x->sev], x->msg);
    else if (x->pos.file)
      fprintf(f, "%s: %s: %s\n", x->pos.file, names[x->sev], x->msg);
    else
      fprintf(f, "nianbao: %s: %s\n", names[x->sev], x->msg);
  }
  int max = d->max_errors ? d->max_errors : 100;
  if (d->errors > max) fprintf(f, "nianbao: note: %d more errors not shown\n", d->errors - max);
}

void nb_diags_free(nb_diags *d) {
  for (size_t i = 0; i < d->n; i++) free(d->v[i].msg);
  free(d->v);
  *d = (nb_diags){.max_errors = d->max_errors}; /* ready for reuse: counts too */
}
