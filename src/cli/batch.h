#ifndef NB_CLI_BATCH_H
#define NB_CLI_BATCH_H

#include "nianbao.h"

/* Builds every input into OUTDIR/NAME.pdf, `jobs` at a time (0: one per core). 0 when all
 * were built, 1 when any failed, 2 on a usage error (no such folder, two inputs that would
 * write the same file). */
int nb_cli_batch(const char *outdir, int jobs, const nb_options *o, char **inputs, int n);

#endif
