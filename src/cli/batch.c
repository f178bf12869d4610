/* nianbao batch: many reports at once, one process per report, as many at a time as the
 * machine has cores. Processes, not threads: each build then has its own font caches and
 * fontconfig state, and one report's failure cannot touch another's. */
#define _POSIX_C_SOURCE 200809L
#include "cli/batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* OUTDIR/NAME.pdf for INPUT path/NAME.yaml (or NAME.yml, or NAME) */
static char *output_for(const char *outdir, const char *input) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  size_t n = strlen(base);
  if (n > 5 && !strcmp(base + n - 5, ".yaml"))
    n -= 5;
  else if (n > 4 && !strcmp(base + n - 4, ".yml"))
    n -= 4;
  size_t len = strlen(outdir) + n + 6;
  char *out = malloc(len);
  if (out) snprintf(out, len, "%s/%.*s.pdf", outdir, (int)n, base);
  return out;
}

int nb_cli_batch(const char *outdir, int jobs, const nb_options *o, char **inputs, int n) {
  struct stat st;
  if (stat(outdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "nianbao: error: batch needs -o DIR, an existing folder: %s\n", outdir);
    return 2;
  }
  char **outs = calloc((size_t)n + 1, sizeof *outs);
  pid_t *pids = calloc((size_t)n + 1, sizeof *pids);
  if (!outs || !pids) return 1;
  int rc = 0;
  for (int i = 0; i < n && !rc; i++) {
    outs[i] = output_for(outdir, inputs[i]);
    for (int j = 0; j < i && outs[i]; j++)
      if (!strcmp(outs[i], outs[j])) {
        fprintf(stderr, "nianbao: error: %s and %s would both write %s\n", inputs[j], inputs[i],
                outs[i]);
        rc = 2;
      }
  }
  if (jobs <= 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = cores > 0 ? (int)cores : 1;
  }
  int running = 0, next = 0, built = 0, failed = 0;
  fflush(NULL); /* nothing buffered may be written twice by the children */
  while (!rc && (next < n || running > 0)) {
    if (next < n && running < jobs) {
      pid_t pid = fork();
      if (pid == 0) _exit(nb_build(inputs[next], outs[next], o, stderr) ? 1 : 0);
      if (pid < 0) {
        fprintf(stderr, "nianbao: error: cannot start a build: %s\n", strerror(errno));
        failed++;
      } else {
        pids[next] = pid;
        running++;
      }
      next++;
      continue;
    }
    int status;
    pid_t done = wait(&status);
    if (done < 0) break;
    running--;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok)
      built++;
    else {
      failed++;
      for (int i = 0; i < n; i++)
        if (pids[i] == done && !(WIFEXITED(status)))
          fprintf(stderr, "%s: error: the build crashed (signal %d)\n", inputs[i],
                  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
  }
  if (!rc) fprintf(stderr, "nianbao: %d built, %d failed\n", built, failed);
  for (int i = 0; i < n; i++) free(outs[i]);
  free(outs);
  free(pids);
  return rc ? rc : failed ? 1 : 0;
}
