/* nb_bench: how long one build of a report takes, and how much memory it needs.
 *
 *   nb_bench [-n N] [--layout NAME|FILE] [--cli PATH] [--cold] [--check] [INPUT.yaml]
 *
 * Typesets INPUT (default samples/jiyang-2019.yaml, relative to the current folder: run
 * it from the repository root) N times (default 20) to a file in /tmp, three ways:
 *
 *   process  each build in a forked child that does one nb_build and exits: the wall time
 *            of the whole child and its peak RSS (wait4). This is what the target is
 *            about: one report, one process. The child does not exec, so program loading
 *            and dynamic linking (about a millisecond) are not counted; --cli counts them.
 *   cli      with --cli PATH: the command `PATH build INPUT -o OUT` itself, fork + exec.
 *   loop     N builds one after the other in this process: the time per build once the
 *            process is warm, and the peak RSS of the whole loop (getrusage).
 *
 * The builds use the persistent cache (src/base/cache.h) as the environment says; a first,
 * unmeasured build fills it, so the figures are those of a warm cache: a report built
 * again. --cold gives every measured build a new, empty cache folder instead: a report
 * built for the first time (its font subsets and images are all new). NIANBAO_CACHE=off
 * measures without a cache.
 *
 * It prints min and median wall time per build and the peak RSS, against the targets
 * (a whole process: <= 30 ms and <= 40 MiB). The exit status is 1 if a build fails, or
 * with --check if a target is missed; 2 on a usage error. Build in Release
 * (-DCMAKE_BUILD_TYPE=Release, no sanitizers) for figures that mean anything. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cache.h"
#include "nianbao.h"

#define TARGET_MS 30.0
#define TARGET_MIB 40.0

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double min_of(const double *v, int n) {
  double m = v[0];
  for (int i = 1; i < n; i++)
    if (v[i] < m) m = v[i];
  return m;
}

/* --cold: a fresh cache folder for each build, made before and removed after it */
static int cold;
static char cold_dir[64];

static void cold_begin(void) {
  if (!cold) return;
  snprintf(cold_dir, sizeof cold_dir, "/tmp/nb-bench-cache-XXXXXX");
  if (mkdtemp(cold_dir))
    setenv("NIANBAO_CACHE", cold_dir, 1);
  else
    setenv("NIANBAO_CACHE", "off", 1); /* no cache at all: still nothing reused */
}

static void cold_end(void) {
  if (!cold || !cold_dir[0]) return;
  DIR *d = opendir(cold_dir);
  char p[400];
  for (struct dirent *e; d && (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(p, sizeof p, "%s/%s", cold_dir, e->d_name);
    remove(p);
  }
  if (d) closedir(d);
  rmdir(cold_dir);
  cold_dir[0] = 0;
}

typedef struct {
  const char *name;
  double min_ms, median_ms, peak_mib;
  int ran;
} result;

/* One build in a child process; the child's wall time and peak RSS. `argv` NULL: the
 * child calls nb_build, with its messages to `diag` (NULL: none); else it execs argv.
 * Returns the child's exit status, or -1. */
static int child_build(const char *input, const char *output, const nb_options *o,
                       char *const *argv, FILE *diag, double *ms, double *mib) {
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (argv) {
      if (!freopen("/dev/null", "w", stderr)) _exit(127);
      execv(argv[0], argv);
      _exit(127);
    }
    FILE *sink = diag ? diag : fopen("/dev/null", "w");
    int rc = nb_build(input, output, o, sink);
    if (sink) fflush(sink);
    _exit(rc ? 1 : 0);
  }
  int status = 0;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) return -1;
  *ms = now_ms() - t0;
  *mib = ru.ru_maxrss / 1024.0; /* KiB on Linux */
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int run_children(result *r, int n, const char *input, const char *output,
                        const nb_options *o, char *const *argv) {
  double *ms = calloc((size_t)n, sizeof *ms);
  if (!ms) return 0;
  r->peak_mib = 0;
  for (int i = 0; i < n; i++) {
    double mib = 0;
    cold_begin();
    int rc = child_build(input, output, o, argv, NULL, &ms[i], &mib);
    cold_end();
    if (rc != 0) {
      fprintf(stderr, "nb_bench: %s: build %d failed (status %d)\n", r->name, i + 1, rc);
      free(ms);
      return 0;
    }
    if (mib > r->peak_mib) r->peak_mib = mib;
  }
  r->min_ms = min_of(ms, n);
  r->median_ms = median(ms, n);
  r->ran = 1;
  free(ms);
  return 1;
}

static int run_loop(result *r, int n, const char *input, const char *output, const nb_options *o) {
  double *ms = calloc((size_t)n, sizeof *ms);
  FILE *sink = fopen("/dev/null", "w");
  if (!ms || !sink) {
    free(ms);
    if (sink) fclose(sink);
    return 0;
  }
  int ok = 1;
  for (int i = 0; i < n && ok; i++) {
    cold_begin(); /* outside the timed part, as for the children */
    double t0 = now_ms();
    if (nb_build(input, output, o, sink) != 0) {
      fprintf(stderr, "nb_bench: loop: build %d failed\n", i + 1);
      ok = 0;
    }
    ms[i] = now_ms() - t0;
    cold_end();
  }
  fclose(sink);
  if (ok) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    r->peak_mib = ru.ru_maxrss / 1024.0;
    r->min_ms = min_of(ms, n);
    r->median_ms = median(ms, n);
    r->ran = 1;
  }
  free(ms);
  return ok;
}

static int usage(void) {
  fputs("usage: nb_bench [-n N] [--layout NAME|FILE] [--cli PATH] [--cold] [--check] "
        "[INPUT.yaml]\n",
        stderr);
  return 2;
}

int main(int argc, char **argv) {
  int n = 20, check = 0;
  const char *input = NULL, *cli = NULL;
  nb_options o = {0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-n") && i + 1 < argc) {
      char *end;
      long v = strtol(argv[++i], &end, 10);
      if (*end || v < 1 || v > 100000) return usage();
      n = (int)v;
    } else if (!strcmp(a, "--layout") && i + 1 < argc)
      o.layout = argv[++i];
    else if (!strcmp(a, "--cli") && i + 1 < argc)
      cli = argv[++i];
    else if (!strcmp(a, "--check"))
      check = 1;
    else if (!strcmp(a, "--cold"))
      cold = 1;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage();
      return 0;
    } else if (a[0] == '-' || input)
      return usage();
    else
      input = a;
  }
  if (!input) input = "samples/jiyang-2019.yaml";
  struct stat st;
  if (stat(input, &st) != 0) {
    fprintf(stderr, "nb_bench: %s: %s (run from the repository root, or give INPUT)\n", input,
            strerror(errno));
    return 2;
  }
  char output[64];
  snprintf(output, sizeof output, "/tmp/nb-bench-%ld.pdf", (long)getpid());

  /* one build first, with its messages, so that a broken input says why; in a child,
   * like the measured ones, so that this process is still cold for them */
  FILE *diag = tmpfile();
  double ms, mib;
  fflush(stdout);
  int rc = child_build(input, output, &o, NULL, diag ? diag : stderr, &ms, &mib);
  if (rc != 0) {
    if (diag) {
      rewind(diag);
      int c;
      while ((c = getc(diag)) != EOF) fputc(c, stderr);
    }
    fprintf(stderr, "nb_bench: the build of %s fails\n", input);
    return 1;
  }
  if (diag) fclose(diag);
  stat(output, &st);
  printf("nianbao %s: %s -> %s (%lld bytes), %d builds each\n", nb_version(), input, output,
         (long long)st.st_size, n);
  nb_cache *c = cold ? NULL : nb_cache_open();
  printf("cache: %s\n", cold ? "cold (a new, empty folder for every build)"
                        : c  ? nb_cache_dir(c)
                             : "none (NIANBAO_CACHE=off, or no usable folder)");
  nb_cache_close(c);

  result res[3] = {{.name = "process"}, {.name = "cli"}, {.name = "loop"}};
  int ok = run_children(&res[0], n, input, output, &o, NULL);
  if (ok && cli) {
    char *args[] = {(char *)cli, "build", (char *)input, "-o", output, NULL, NULL, NULL};
    if (o.layout) {
      args[5] = "--layout";
      args[6] = (char *)o.layout;
    }
    ok = run_children(&res[1], n, input, output, &o, args);
  }
  if (ok) ok = run_loop(&res[2], n, input, output, &o);
  remove(output);

  printf("%-8s %10s %10s %12s\n", "run", "min ms", "median ms", "peak RSS MiB");
  for (int i = 0; i < 3; i++)
    if (res[i].ran)
      printf("%-8s %10.1f %10.1f %12.1f\n", res[i].name, res[i].min_ms, res[i].median_ms,
             res[i].peak_mib);
  if (!ok) return 1;

  /* the target is per whole process: judge the real CLI if it was run, else the fork */
  const result *whole = res[1].ran ? &res[1] : &res[0];
  int time_ok = whole->median_ms <= TARGET_MS, mem_ok = whole->peak_mib <= TARGET_MIB;
  printf("target (one process per report): median %.1f ms <= %.0f ms: %s; peak RSS %.1f MiB "
         "<= %.0f MiB: %s\n",
         whole->median_ms, TARGET_MS, time_ok ? "met" : "MISSED", whole->peak_mib, TARGET_MIB,
         mem_ok ? "met" : "MISSED");
  return check && !(time_ok && mem_ok) ? 1 : 0;
}
