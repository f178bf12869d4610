/* The persistent cache (src/base/cache.c): hits and misses, keys compared in full, damaged
 * and truncated entries ignored and replaced, the folder chosen from the environment,
 * "off" and unusable folders; then whole builds of the sample with a fresh cache folder:
 * the same bytes on a miss, on a hit, with damaged entries and without a cache. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cache.h"
#include "base/util.h"
#include "harness.h"
#include "nianbao.h"
#include "pdf/image.h"

static char tmpdir[64];

/* The entry files of a cache folder, in readdir order (at most 64). */
static int entries(const char *dir, char names[][256], int max) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d)) && n < max;)
    if (e->d_name[0] != '.') snprintf(names[n++], 256, "%s", e->d_name);
  if (d) closedir(d);
  return n;
}

/* dir/name into out (cut short if too long, which the test's paths never are) */
static void join(char *out, size_t cap, const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  if (a + b + 2 > cap) a = b = 0;
  memcpy(out, dir, a);
  out[a] = '/';
  memcpy(out + a + 1, name, b);
  out[a + 1 + b] = 0;
}

static void rm_tree(const char *dir) {
  char names[64][256], p[512];
  int n = entries(dir, names, 64);
  for (int i = 0; i < n; i++) {
    join(p, sizeof p, dir, names[i]);
    remove(p);
  }
  rmdir(dir);
}

static int get_str(nb_cache *c, const char *kind, const char *key, char *out, size_t cap) {
  void *v;
  size_t n;
  if (!nb_cache_get(c, kind, key, strlen(key), &v, &n)) return 0;
  snprintf(out, cap, "%.*s", (int)n, (const char *)v);
  free(v);
  return 1;
}

static void put_str(nb_cache *c, const char *kind, const char *key, const char *val) {
  nb_cache_put(c, kind, key, strlen(key), val, strlen(val));
}

static void test_records(void) {
  nb_buf b = {0};
  nb_rec_u32(&b, 0xdeadbeef);
  nb_rec_u64(&b, 0x0123456789abcdefull);
  nb_rec_str(&b, "字");
  nb_rec_str(&b, NULL);
  nb_rec_bytes(&b, "\0x", 2);
  CHECK_INT(b.n, 4 + 8 + 8 + 3 + 8 + 8 + 2);
  CHECK_INT((unsigned char)b.s[0], 0xef); /* little-endian */
  nb_rec r = {(const unsigned char *)b.s, (const unsigned char *)b.s + b.n, 0};
  CHECK(nb_rec_get_u32(&r) == 0xdeadbeef);
  CHECK(nb_rec_get_u64(&r) == 0x0123456789abcdefull);
  size_t n;
  const char *s = nb_rec_get_bytes(&r, &n);
  CHECK(n == 3 && !memcmp(s, "字", 3));
  nb_rec_get_bytes(&r, &n);
  CHECK_INT(n, 0);
  s = nb_rec_get_bytes(&r, &n);
  CHECK(n == 2 && s[0] == 0 && s[1] == 'x');
  CHECK(!r.bad && r.p == r.end);
  CHECK_INT(nb_rec_get_u32(&r), 0); /* past the end */
  CHECK(r.bad);
  /* a length that claims more than there is */
  b.n = 0;
  nb_rec_u64(&b, 1000);
  nb_buf_adds(&b, "abc");
  r = (nb_rec){(const unsigned char *)b.s, (const unsigned char *)b.s + b.n, 0};
  CHECK(nb_rec_get_bytes(&r, &n) == NULL && r.bad && n == 0);
  nb_buf_free(&b);
  b.n = 0;
  CHECK(nb_rec_file_stamp(&b, "samples/jiyang-2019.yaml") && b.n == 40);
  CHECK(!nb_rec_file_stamp(&b, "/nonexistent/file") && b.n == 40);
  nb_buf_free(&b);
}

static void test_get_put(void) {
  char dir[128], out[64], names[64][256], p[512];
  snprintf(dir, sizeof dir, "%s/c1/deeper", tmpdir);
  nb_cache *c = nb_cache_open_dir(dir); /* created with its parents */
  CHECK(c != NULL);
  if (!c) return;
  CHECK_STR(nb_cache_dir(c), dir);
  nb_cache_stats s0 = nb_cache_get_stats();
  CHECK(!get_str(c, "t", "key1", out, sizeof out));
  put_str(c, "t", "key1", "value one");
  CHECK(get_str(c, "t", "key1", out, sizeof out));
  CHECK_STR(out, "value one");
  CHECK(!get_str(c, "u", "key1", out, sizeof out)); /* another kind */
  CHECK(!get_str(c, "t", "key2", out, sizeof out));
  put_str(c, "t", "key1", "value 1 again"); /* replaced */
  CHECK(get_str(c, "t", "key1", out, sizeof out));
  CHECK_STR(out, "value 1 again");
  nb_cache_put(c, "t", "empty", 5, "", 0);
  void *v = NULL;
  size_t vn = 99;
  CHECK(nb_cache_get(c, "t", "empty", 5, &v, &vn) && vn == 0);
  free(v);
  nb_cache_stats s1 = nb_cache_get_stats();
  CHECK_INT(s1.hits - s0.hits, 3);
  CHECK_INT(s1.misses - s0.misses, 3);
  CHECK_INT(s1.puts - s0.puts, 3);
  int n = entries(dir, names, 64);
  CHECK_INT(n, 2); /* no temporary files left behind */

  /* An entry under another key's file name (a name collision) is a miss: keys are
   * compared in full. */
  put_str(c, "t", "key2", "value two");
  char f1[512], f2[512];
  n = entries(dir, names, 64);
  f1[0] = f2[0] = 0;
  for (int i = 0; i < n; i++) {
    join(p, sizeof p, dir, names[i]);
    size_t len;
    char *text = nb_read_file(p, &len);
    if (text && memmem(text, len, "value two", 9))
      snprintf(f2, sizeof f2, "%s", p);
    else if (text && memmem(text, len, "value 1 again", 13))
      snprintf(f1, sizeof f1, "%s", p);
    free(text);
  }
  CHECK(f1[0] && f2[0]);
  CHECK(rename(f1, f2) == 0);
  CHECK(!get_str(c, "t", "key2", out, sizeof out));
  CHECK(!get_str(c, "t", "key1", out, sizeof out));

  /* Damage: a flipped byte, a truncated file, garbage: misses, then replaced by a put. */
  put_str(c, "t", "key3", "the third value");
  n = entries(dir, names, 64);
  char f3[512] = "";
  for (int i = 0; i < n; i++) {
    join(p, sizeof p, dir, names[i]);
    size_t len;
    char *text = nb_read_file(p, &len);
    if (text && memmem(text, len, "the third value", 15)) snprintf(f3, sizeof f3, "%s", p);
    free(text);
  }
  CHECK(f3[0]);
  size_t len;
  char *good = nb_read_file(f3, &len);
  CHECK(good != NULL);
  if (!good) return;
  for (int kind = 0; kind < 4; kind++) {
    FILE *f = fopen(f3, "wb");
    if (kind == 0) { /* one bit of the value */
      good[len - 3] ^= 1;
      fwrite(good, 1, len, f);
      good[len - 3] ^= 1;
    } else if (kind == 1)
      fwrite(good, 1, len - 1, f); /* truncated */
    else if (kind == 2)
      fwrite(good, 1, 10, f); /* truncated in the header */
    else
      fputs("not a cache entry at all, just text", f);
    fclose(f);
    CHECK(!get_str(c, "t", "key3", out, sizeof out));
    put_str(c, "t", "key3", "the third value");
    CHECK(get_str(c, "t", "key3", out, sizeof out));
    CHECK_STR(out, "the third value");
  }
  free(good);

  /* A value larger than the caller's buffer sizes, with binary bytes. */
  size_t big = 3u << 20;
  unsigned char *b = malloc(big);
  for (size_t i = 0; i < big; i++) b[i] = (unsigned char)(i * 2654435761u >> 13);
  nb_cache_put(c, "big", "k", 1, b, big);
  CHECK(nb_cache_get(c, "big", "k", 1, &v, &vn) && vn == big && !memcmp(v, b, big));
  free(v);
  free(b);
  nb_cache_close(c);
  nb_cache_close(NULL);
}

static void test_disabled(void) {
  char out[16];
  CHECK(nb_cache_open_dir("off") == NULL);
  CHECK(nb_cache_open_dir("") == NULL);
  CHECK(nb_cache_open_dir(NULL) == NULL);
  /* a folder that cannot be made: below a regular file */
  CHECK(nb_cache_open_dir("samples/jiyang-2019.yaml/cache") == NULL);
  /* NULL is a cache that never hits and stores nothing */
  CHECK(!get_str(NULL, "t", "k", out, sizeof out));
  put_str(NULL, "t", "k", "v");
  CHECK(nb_cache_dir(NULL) == NULL);

  char dir[128], want[160];
  setenv("NIANBAO_CACHE", "off", 1);
  CHECK(nb_cache_open() == NULL);
  snprintf(dir, sizeof dir, "%s/env", tmpdir);
  setenv("NIANBAO_CACHE", dir, 1);
  nb_cache *c = nb_cache_open();
  CHECK(c && !strcmp(nb_cache_dir(c), dir));
  nb_cache_close(c);
  rmdir(dir);
  unsetenv("NIANBAO_CACHE");
  snprintf(dir, sizeof dir, "%s/xdg", tmpdir);
  setenv("XDG_CACHE_HOME", dir, 1);
  snprintf(want, sizeof want, "%s/nianbao", dir);
  c = nb_cache_open();
  CHECK(c && !strcmp(nb_cache_dir(c), want));
  nb_cache_close(c);
  rm_tree(want);
  rmdir(dir);
  setenv("XDG_CACHE_HOME", "relative/path", 1); /* ignored, as the XDG spec says */
  snprintf(dir, sizeof dir, "%s/home", tmpdir);
  char *home = getenv("HOME") ? nb_xstrdup(getenv("HOME")) : NULL;
  setenv("HOME", dir, 1);
  snprintf(want, sizeof want, "%s/.cache/nianbao", dir);
  c = nb_cache_open();
  CHECK(c && !strcmp(nb_cache_dir(c), want));
  nb_cache_close(c);
  rm_tree(want);
  snprintf(want, sizeof want, "%s/.cache", dir);
  rmdir(want);
  rmdir(dir);
  unsetenv("XDG_CACHE_HOME");
  if (home)
    setenv("HOME", home, 1);
  else
    unsetenv("HOME");
  free(home);
}

static void test_memo(void) {
  char dir[128], w1[160], w2[160], w3[160];
  snprintf(dir, sizeof dir, "%s/memo", tmpdir);
  snprintf(w1, sizeof w1, "%s/witness-file", tmpdir);
  snprintf(w2, sizeof w2, "%s/witness-dir", tmpdir);
  snprintf(w3, sizeof w3, "%s/absent", tmpdir);
  FILE *f = fopen(w1, "w");
  fputs("x", f);
  fclose(f);
  mkdir(w2, 0700);
  /* witnesses changed in the last seconds are not trusted: age them */
  struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
  utimensat(AT_FDCWD, w1, old, 0);
  utimensat(AT_FDCWD, w2, old, 0);
  nb_cache *c = nb_cache_open_dir(dir);
  CHECK(nb_memo_load(NULL, "m", "k", 1) == NULL);
  const char *a;
  CHECK(!nb_memo_get(NULL, "q", &a) && a == NULL);
  nb_memo *m = nb_memo_load(c, "m", "k", 1);
  CHECK(m && !nb_memo_get(m, "family", &a));
  nb_memo_put(m, "family", "0 /path/font.otf");
  nb_memo_put(m, "missing", NULL);
  nb_memo_witness(m, w1);
  nb_memo_witness(m, w2);
  nb_memo_witness(m, w3);
  nb_memo_witness(m, w1); /* repeats are ignored */
  nb_memo_save(m);
  nb_memo_free(m);

  m = nb_memo_load(c, "m", "k", 1);
  CHECK(nb_memo_get(m, "family", &a));
  CHECK_STR(a, "0 /path/font.otf");
  CHECK(nb_memo_get(m, "missing", &a) && a == NULL);
  CHECK(!nb_memo_get(m, "other", &a));
  /* a new answer with the same witnesses keeps the old ones */
  nb_memo_put(m, "other", "1 /x.ttc");
  nb_memo_witness(m, w1);
  nb_memo_witness(m, w2);
  nb_memo_witness(m, w3);
  nb_memo_save(m);
  nb_memo_free(m);
  m = nb_memo_load(c, "m", "k", 1);
  CHECK(nb_memo_get(m, "family", &a) && nb_memo_get(m, "other", &a));
  nb_memo_free(m);
  m = nb_memo_load(c, "m", "other key", 9);
  CHECK(!nb_memo_get(m, "family", &a));
  nb_memo_free(m);

  /* a witness that appears (a font folder created) invalidates every answer */
  f = fopen(w3, "w");
  fclose(f);
  m = nb_memo_load(c, "m", "k", 1);
  CHECK(!nb_memo_get(m, "family", &a) && !nb_memo_get(m, "other", &a));
  nb_memo_free(m);
  remove(w3);
  m = nb_memo_load(c, "m", "k", 1); /* back as it was */
  CHECK(nb_memo_get(m, "family", &a));
  nb_memo_free(m);
  /* so does a file added to a witness folder (its mtime changes) */
  char inner[200];
  snprintf(inner, sizeof inner, "%s/new.ttf", w2);
  f = fopen(inner, "w");
  fclose(f);
  m = nb_memo_load(c, "m", "k", 1);
  CHECK(!nb_memo_get(m, "family", &a));
  /* a fresh answer now, with fresh witnesses: not stored while a witness is recent */
  nb_memo_put(m, "family", "2 /new.ttf");
  nb_memo_witness(m, w1);
  nb_memo_witness(m, w2);
  nb_memo_save(m);
  nb_memo_free(m);
  m = nb_memo_load(c, "m", "k", 1);
  CHECK(!nb_memo_get(m, "family", &a));
  /* once the change is old enough, it is; the answers of the stale entry are dropped */
  utimensat(AT_FDCWD, w2, old, 0);
  nb_memo_put(m, "family", "2 /new.ttf");
  nb_memo_witness(m, w1);
  nb_memo_witness(m, w2);
  nb_memo_save(m);
  nb_memo_free(m);
  m = nb_memo_load(c, "m", "k", 1);
  CHECK(nb_memo_get(m, "family", &a));
  CHECK_STR(a, "2 /new.ttf");
  CHECK(!nb_memo_get(m, "other", &a));
  nb_memo_free(m);
  /* a witness that disappears invalidates too */
  remove(inner);
  rmdir(w2);
  m = nb_memo_load(c, "m", "k", 1);
  CHECK(!nb_memo_get(m, "family", &a));
  nb_memo_free(m);
  remove(w1);
  nb_cache_close(c);
  rm_tree(dir);
}

static char *build(const char *out, size_t *len) {
  FILE *sink = fopen("/dev/null", "w");
  int rc = nb_build("samples/jiyang-2019.yaml", out, NULL, sink);
  fclose(sink);
  CHECK_INT(rc, 0);
  return rc ? NULL : nb_read_file(out, len);
}

/* Whole builds: miss, hit, damaged entries, no cache: always the same bytes. */
static void test_builds(void) {
  char dir[128], out[160], names[64][256], p[512];
  snprintf(dir, sizeof dir, "%s/build", tmpdir);
  snprintf(out, sizeof out, "%s/out.pdf", tmpdir);
  setenv("NIANBAO_CACHE", dir, 1);
  size_t n1 = 0, n2 = 0, n3 = 0, n4 = 0;
  nb_cache_stats s0 = nb_cache_get_stats();
  char *cold = build(out, &n1);
  nb_cache_stats s1 = nb_cache_get_stats();
  CHECK(s1.puts > s0.puts);
  CHECK_INT(s1.hits, s0.hits);
  int nent = entries(dir, names, 64);
  CHECK(nent >= 10); /* the sample's seven faces, two PNGs, fontconfig's answers */
  char *warm = build(out, &n2);
  nb_cache_stats s2 = nb_cache_get_stats();
  CHECK_INT(s2.puts, s1.puts); /* nothing new to store */
  CHECK_INT(s2.misses, s1.misses);
  CHECK(s2.hits - s1.hits >= (unsigned long)nent);
  CHECK(cold && warm && n1 == n2 && !memcmp(cold, warm, n1));
  /* the sample's PNGs were decoded: the layout's check may rely on that */
  CHECK(nb_pdf_png_cached("samples/images/fig2.png"));
  CHECK(!nb_pdf_png_cached("samples/images/fig1.jpg"));

  /* every entry damaged (truncated by one byte): misses, the same bytes, entries rewritten */
  for (int i = 0; i < nent; i++) {
    join(p, sizeof p, dir, names[i]);
    struct stat st;
    if (stat(p, &st) == 0) CHECK(truncate(p, st.st_size - 1) == 0);
  }
  char *damaged = build(out, &n3);
  nb_cache_stats s3 = nb_cache_get_stats();
  CHECK(s3.puts - s2.puts >= (unsigned long)nent);
  CHECK(cold && damaged && n1 == n3 && !memcmp(cold, damaged, n1));

  setenv("NIANBAO_CACHE", "off", 1);
  CHECK(!nb_pdf_png_cached("samples/images/fig2.png"));
  char *none = build(out, &n4);
  nb_cache_stats s4 = nb_cache_get_stats();
  CHECK_INT(s4.hits + s4.misses + s4.puts, s3.hits + s3.misses + s3.puts);
  CHECK(cold && none && n1 == n4 && !memcmp(cold, none, n1));
  unsetenv("NIANBAO_CACHE");
  free(cold);
  free(warm);
  free(damaged);
  free(none);
  remove(out);
  rm_tree(dir);
}

int main(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/nb_cache_XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  char c1[128];
  test_records();
  test_get_put();
  snprintf(c1, sizeof c1, "%s/c1/deeper", tmpdir);
  rm_tree(c1);
  snprintf(c1, sizeof c1, "%s/c1", tmpdir);
  rmdir(c1);
  test_disabled();
  test_memo();
  test_builds();
  if (rmdir(tmpdir) != 0) fprintf(stderr, "note: %s left behind\n", tmpdir);
  TEST_MAIN_END();
}
