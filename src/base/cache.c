#define _POSIX_C_SOURCE 200809L
#include "base/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

/* Entry file: magic, key length (u32), value length (u64), CRC-32 of key and value (u32),
 * the key, the value. Little-endian. A new magic invalidates every older entry. */
static const char MAGIC[8] = {'N', 'B', 'C', 'A', 'C', 'H', 'E', '1'};
#define HEADER 24
#define MAX_ENTRY (256u << 20) /* larger is damage, not data */
#ifndef NB_CACHE_MAX_TOTAL     /* the folder is trimmed to 3/4 of this, oldest first */
#define NB_CACHE_MAX_TOTAL (128ull << 20)
#endif
#define MAX_TOTAL ((unsigned long long)NB_CACHE_MAX_TOTAL)

struct nb_cache {
  char *dir;
  unsigned seq; /* temporary file names */
  int wrote;    /* trim the folder when closing */
};

static atomic_ulong n_hits, n_misses, n_puts;

nb_cache_stats nb_cache_get_stats(void) {
  return (nb_cache_stats){atomic_load(&n_hits), atomic_load(&n_misses), atomic_load(&n_puts)};
}

/* mkdir -p; the last component with `mode` (earlier ones as the umask allows). */
static int make_dirs(const char *path, mode_t mode) {
  struct stat st;
  if (stat(path, &st) == 0) return S_ISDIR(st.st_mode);
  char *p = nb_xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      free(p);
      return 0;
    }
    *s = '/';
  }
  int ok = mkdir(p, mode) == 0 || errno == EEXIST;
  free(p);
  return ok && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

nb_cache *nb_cache_open_dir(const char *dir) {
  if (!dir || !*dir || !strcmp(dir, "off")) return NULL;
  /* 0700: the glyph sets stored here tell which characters a report uses */
  if (!make_dirs(dir, 0700) || access(dir, R_OK | W_OK | X_OK) != 0) return NULL;
  nb_cache *c = nb_xcalloc(1, sizeof *c);
  c->dir = nb_xstrdup(dir);
  return c;
}

nb_cache *nb_cache_open(void) {
  const char *env = getenv("NIANBAO_CACHE");
  if (env && *env) return nb_cache_open_dir(env);
  nb_buf b = {0};
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  if (xdg && xdg[0] == '/')
    nb_buf_printf(&b, "%s/nianbao", xdg); /* relative: ignored (XDG) */
  else if (home && home[0] == '/')
    nb_buf_printf(&b, "%s/.cache/nianbao", home);
  nb_cache *c = b.s ? nb_cache_open_dir(b.s) : NULL;
  nb_buf_free(&b);
  return c;
}

static void trim(nb_cache *c);

void nb_cache_close(nb_cache *c) {
  if (!c) return;
  if (c->wrote) trim(c); /* once per handle: it reads the whole folder */
  free(c->dir);
  free(c);
}

const char *nb_cache_dir(const nb_cache *c) { return c ? c->dir : NULL; }

/* ---- records ---------------------------------------------------------------------- */

static void put_le(unsigned char *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

void nb_rec_u32(nb_buf *b, uint32_t v) {
  unsigned char t[4];
  put_le(t, v, 4);
  nb_buf_add(b, t, 4);
}

void nb_rec_u64(nb_buf *b, uint64_t v) {
  unsigned char t[8];
  put_le(t, v, 8);
  nb_buf_add(b, t, 8);
}

void nb_rec_bytes(nb_buf *b, const void *p, size_t n) {
  nb_rec_u64(b, n);
  nb_buf_add(b, p, n);
}

void nb_rec_str(nb_buf *b, const char *s) { nb_rec_bytes(b, s ? s : "", s ? strlen(s) : 0); }

int nb_rec_file_stamp(nb_buf *b, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  nb_rec_u64(b, (uint64_t)st.st_size);
  nb_rec_u64(b, (uint64_t)st.st_mtim.tv_sec);
  nb_rec_u64(b, (uint64_t)st.st_mtim.tv_nsec);
  nb_rec_u64(b, (uint64_t)st.st_ino);
  nb_rec_u64(b, (uint64_t)st.st_dev);
  return 1;
}

static const unsigned char *take(nb_rec *r, size_t n) {
  if (r->bad || (size_t)(r->end - r->p) < n) {
    r->bad = 1;
    return NULL;
  }
  const unsigned char *p = r->p;
  r->p += n;
  return p;
}

uint32_t nb_rec_get_u32(nb_rec *r) {
  const unsigned char *p = take(r, 4);
  return p ? (uint32_t)get_le(p, 4) : 0;
}

uint64_t nb_rec_get_u64(nb_rec *r) {
  const unsigned char *p = take(r, 8);
  return p ? get_le(p, 8) : 0;
}

const void *nb_rec_get_bytes(nb_rec *r, size_t *n) {
  uint64_t len = nb_rec_get_u64(r);
  *n = 0;
  if (r->bad || len > (uint64_t)(r->end - r->p)) {
    r->bad = 1;
    return NULL;
  }
  *n = (size_t)len;
  return take(r, (size_t)len);
}

/* ---- entries ---------------------------------------------------------------------- */

/* FNV-1a over kind and key, for the file name only: entries hold their whole key. */
static void entry_path(const nb_cache *c, const char *kind, const void *key, size_t klen,
                       nb_buf *out) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const char *s = kind; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  h = (h ^ 0xff) * 0x100000001b3ull;
  const unsigned char *k = key;
  for (size_t i = 0; i < klen; i++) h = (h ^ k[i]) * 0x100000001b3ull;
  out->n = 0;
  nb_buf_printf(out, "%s/%s-%016llx", c->dir, kind, (unsigned long long)h);
}

static int read_all(int fd, void *p, size_t n) {
  unsigned char *q = p;
  while (n) {
    ssize_t k = read(fd, q, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return 0;
    q += k;
    n -= (size_t)k;
  }
  return 1;
}

static int write_all(int fd, const void *p, size_t n) {
  const unsigned char *q = p;
  while (n) {
    ssize_t k = write(fd, q, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return 0;
    q += k;
    n -= (size_t)k;
  }
  return 1;
}

static uLong crc_of(const void *p, size_t n, uLong crc) {
  const Bytef *b = p;
  while (n) { /* crc32 takes uInt lengths */
    uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
    crc = crc32(crc, b, k);
    b += k;
    n -= k;
  }
  return crc;
}

int nb_cache_get(nb_cache *c, const char *kind, const void *key, size_t klen, void **val,
                 size_t *vlen) {
  *val = NULL;
  *vlen = 0;
  if (!c) return 0;
  nb_buf path = {0};
  entry_path(c, kind, key, klen, &path);
  int fd = open(path.s, O_RDONLY | O_CLOEXEC);
  unsigned char h[HEADER], *kbuf = NULL, *v = NULL;
  int hit = 0;
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !read_all(fd, h, HEADER) || memcmp(h, MAGIC, 8)) goto done;
  uint64_t kl = get_le(h + 8, 4), vl = get_le(h + 12, 8);
  if (kl != klen || vl > MAX_ENTRY || (uint64_t)st.st_size != HEADER + kl + vl) goto done;
  kbuf = nb_xmalloc(klen);
  v = nb_xmalloc((size_t)vl);
  if (!read_all(fd, kbuf, klen) || memcmp(kbuf, key, klen) || !read_all(fd, v, (size_t)vl))
    goto done;
  if (crc_of(v, (size_t)vl, crc_of(kbuf, klen, crc32(0, NULL, 0))) != get_le(h + 20, 4)) goto done;
  hit = 1;
  /* the age of an entry is its last use, for trimming (at most one write an hour) */
  if (time(NULL) - st.st_mtime > 3600) utimensat(AT_FDCWD, path.s, NULL, 0);
done:
  if (fd >= 0) close(fd);
  free(kbuf);
  if (hit) {
    *val = v;
    *vlen = (size_t)vl;
  } else
    free(v);
  nb_buf_free(&path);
  atomic_fetch_add(hit ? &n_hits : &n_misses, 1);
  return hit;
}

typedef struct {
  char *name;
  time_t mtime;
  off_t size;
} dirent_info;

static int by_age(const void *a, const void *b) {
  const dirent_info *x = a, *y = b;
  if (x->mtime != y->mtime) return x->mtime < y->mtime ? -1 : 1;
  return strcmp(x->name, y->name);
}

/* Keeps the folder bounded: past MAX_TOTAL, the least recently used entries go. Only
 * files of our own naming (kind-hex, or stale temporaries) are ever removed. */
static void trim(nb_cache *c) {
  DIR *d = opendir(c->dir);
  if (!d) return;
  VEC(dirent_info) all = {0};
  unsigned long long total = 0;
  nb_buf p = {0};
  time_t now = time(NULL);
  for (struct dirent *e; (e = readdir(d));) {
    const char *dash = strrchr(e->d_name, '-');
    int temp = e->d_name[0] == '.' && strstr(e->d_name, ".tmp-");
    if (!temp && (!dash || strlen(dash + 1) != 16 || strspn(dash + 1, "0123456789abcdef") != 16))
      continue;
    p.n = 0;
    nb_buf_printf(&p, "%s/%s", c->dir, e->d_name);
    struct stat st;
    if (lstat(p.s, &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (temp) { /* left by a crashed writer */
      if (now - st.st_mtime > 3600) unlink(p.s);
      continue;
    }
    total += (unsigned long long)st.st_size;
    VEC_PUSH(all, ((dirent_info){nb_xstrdup(e->d_name), st.st_mtime, st.st_size}));
  }
  closedir(d);
  if (total > MAX_TOTAL) {
    qsort(all.v, all.n, sizeof *all.v, by_age);
    for (size_t i = 0; i < all.n && total > MAX_TOTAL / 4 * 3; i++) {
      p.n = 0;
      nb_buf_printf(&p, "%s/%s", c->dir, all.v[i].name);
      if (unlink(p.s) == 0) total -= (unsigned long long)all.v[i].size;
    }
  }
  for (size_t i = 0; i < all.n; i++) free(all.v[i].name);
  free(all.v);
  nb_buf_free(&p);
}

void nb_cache_put(nb_cache *c, const char *kind, const void *key, size_t klen, const void *val,
                  size_t vlen) {
  if (!c || klen > 0xffffffffu || vlen > MAX_ENTRY) return;
  nb_buf path = {0}, tmp = {0};
  entry_path(c, kind, key, klen, &path);
  const char *base = strrchr(path.s, '/') + 1;
  nb_buf_printf(&tmp, "%s/.%s.tmp-%ld-%u", c->dir, base, (long)getpid(), c->seq++);
  unsigned char h[HEADER];
  memcpy(h, MAGIC, 8);
  put_le(h + 8, klen, 4);
  put_le(h + 12, vlen, 8);
  put_le(h + 20, crc_of(val, vlen, crc_of(key, klen, crc32(0, NULL, 0))), 4);
  int fd = open(tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int ok =
      fd >= 0 && write_all(fd, h, HEADER) && write_all(fd, key, klen) && write_all(fd, val, vlen);
  if (fd >= 0 && close(fd) != 0) ok = 0;
  if (ok && rename(tmp.s, path.s) == 0) {
    atomic_fetch_add(&n_puts, 1);
    c->wrote = 1;
  } else if (fd >= 0)
    unlink(tmp.s);
  nb_buf_free(&path);
  nb_buf_free(&tmp);
}

/* ---- memos ------------------------------------------------------------------------ */

typedef struct {
  char *q, *a; /* a NULL: known to have no answer */
  int fresh;   /* found in this process */
} memo_answer;

struct nb_memo {
  nb_cache *c;
  char *kind;
  nb_buf key;
  nb_buf old_w, new_w; /* witness records: as loaded (valid at load), as seen by this run */
  VEC(char *) seen;    /* witness paths of new_w */
  VEC(memo_answer) answers;
  int dirty;
  time_t newest; /* the latest witness mtime of new_w */
};

/* A witness: its path, then 1 and its stamp, or 0 when it does not exist. */
static void witness_rec(nb_buf *b, const char *path, time_t *mtime) {
  nb_rec_str(b, path);
  struct stat st;
  if (stat(path, &st) != 0) {
    nb_rec_u32(b, 0);
    return;
  }
  nb_rec_u32(b, 1);
  nb_rec_file_stamp(b, path);
  if (mtime && st.st_mtime > *mtime) *mtime = st.st_mtime;
}

/* Whether every witness of a record is unchanged. */
static int witnesses_hold(const void *rec, size_t n) {
  nb_rec r = {rec, (const unsigned char *)rec + n, 0};
  nb_buf now = {0};
  int ok = 1;
  while (ok && r.p < r.end) {
    const unsigned char *start = r.p;
    size_t plen;
    const char *path = nb_rec_get_bytes(&r, &plen);
    if (!path || memchr(path, 0, plen)) {
      ok = 0;
      break;
    }
    if (nb_rec_get_u32(&r)) take(&r, 40); /* the stamp of nb_rec_file_stamp */
    if (r.bad) {
      ok = 0;
      break;
    }
    char *p = nb_xstrndup(path, plen);
    now.n = 0;
    witness_rec(&now, p, NULL);
    free(p);
    ok = now.n == (size_t)(r.p - start) && !memcmp(now.s, start, now.n);
  }
  nb_buf_free(&now);
  return ok;
}

nb_memo *nb_memo_load(nb_cache *c, const char *kind, const void *key, size_t klen) {
  if (!c) return NULL;
  nb_memo *m = nb_xcalloc(1, sizeof *m);
  m->c = c;
  m->kind = nb_xstrdup(kind);
  nb_buf_add(&m->key, key, klen);
  void *v;
  size_t vlen;
  if (!nb_cache_get(c, kind, key, klen, &v, &vlen)) return m;
  nb_rec r = {v, (const unsigned char *)v + vlen, 0};
  size_t wn;
  const void *w = nb_rec_get_bytes(&r, &wn);
  if (w && witnesses_hold(w, wn)) {
    nb_buf_add(&m->old_w, w, wn);
    uint32_t n = nb_rec_get_u32(&r);
    for (uint32_t i = 0; i < n && !r.bad; i++) {
      size_t ql, al;
      const char *q = nb_rec_get_bytes(&r, &ql);
      uint32_t has = nb_rec_get_u32(&r);
      const char *a = nb_rec_get_bytes(&r, &al);
      if (r.bad) break;
      memo_answer e = {nb_xstrndup(q, ql), has ? nb_xstrndup(a, al) : NULL, 0};
      VEC_PUSH(m->answers, e);
    }
    if (r.bad || r.p != r.end) { /* damaged: keep nothing of it */
      for (size_t i = 0; i < m->answers.n; i++) {
        free(m->answers.v[i].q);
        free(m->answers.v[i].a);
      }
      m->answers.n = 0;
      m->old_w.n = 0;
    }
  }
  free(v);
  return m;
}

int nb_memo_get(const nb_memo *m, const char *query, const char **answer) {
  *answer = NULL;
  for (size_t i = 0; m && i < m->answers.n; i++)
    if (!strcmp(m->answers.v[i].q, query)) {
      *answer = m->answers.v[i].a;
      return 1;
    }
  return 0;
}

void nb_memo_put(nb_memo *m, const char *query, const char *answer) {
  if (!m) return;
  for (size_t i = 0; i < m->answers.n; i++)
    if (!strcmp(m->answers.v[i].q, query)) {
      free(m->answers.v[i].a);
      m->answers.v[i].a = answer ? nb_xstrdup(answer) : NULL;
      m->answers.v[i].fresh = 1;
      m->dirty = 1;
      return;
    }
  memo_answer e = {nb_xstrdup(query), answer ? nb_xstrdup(answer) : NULL, 1};
  VEC_PUSH(m->answers, e);
  m->dirty = 1;
}

void nb_memo_witness(nb_memo *m, const char *path) {
  if (!m || !path) return;
  for (size_t i = 0; i < m->seen.n; i++)
    if (!strcmp(m->seen.v[i], path)) return;
  VEC_PUSH(m->seen, nb_xstrdup(path));
  witness_rec(&m->new_w, path, &m->newest);
}

void nb_memo_save(nb_memo *m) {
  if (!m || !m->dirty || !m->seen.n) return;
  /* a change in the last seconds may have happened while the answers were looked up */
  if (time(NULL) - m->newest < 3) return;
  int same = m->old_w.n == m->new_w.n && !memcmp(m->old_w.s, m->new_w.s, m->new_w.n);
  nb_buf v = {0};
  nb_rec_bytes(&v, m->new_w.s, m->new_w.n);
  uint32_t n = 0;
  for (size_t i = 0; i < m->answers.n; i++) n += same || m->answers.v[i].fresh;
  nb_rec_u32(&v, n);
  for (size_t i = 0; i < m->answers.n; i++) {
    const memo_answer *e = &m->answers.v[i];
    if (!same && !e->fresh) continue;
    nb_rec_str(&v, e->q);
    nb_rec_u32(&v, e->a != NULL);
    nb_rec_str(&v, e->a);
  }
  nb_cache_put(m->c, m->kind, m->key.s, m->key.n, v.s, v.n);
  nb_buf_free(&v);
  m->dirty = 0;
}

void nb_memo_free(nb_memo *m) {
  if (!m) return;
  for (size_t i = 0; i < m->answers.n; i++) {
    free(m->answers.v[i].q);
    free(m->answers.v[i].a);
  }
  for (size_t i = 0; i < m->seen.n; i++) free(m->seen.v[i]);
  free(m->answers.v);
  free(m->seen.v);
  nb_buf_free(&m->key);
  nb_buf_free(&m->old_w);
  nb_buf_free(&m->new_w);
  free(m->kind);
  free(m);
}
