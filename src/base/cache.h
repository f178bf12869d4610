/* A persistent cache of derived bytes (finished font programs, image streams, font
 * lookups), so that a second build of a similar report skips the slow work.
 *
 * Entries are files in one folder: $NIANBAO_CACHE, else $XDG_CACHE_HOME/nianbao, else
 * ~/.cache/nianbao. NIANBAO_CACHE=off disables the cache. An entry holds its whole key,
 * so a lookup compares keys byte for byte: a hash collision of the file names is a miss,
 * never a wrong answer. An entry is written to a temporary file and renamed (readers see
 * a whole entry or none); one that is damaged or truncated (magic, lengths, CRC) is a
 * miss, and the next put replaces it. Every failure (no home folder, a read-only or full
 * disk) just means no cache: callers must produce the same bytes with or without it. */
#ifndef NB_CACHE_H
#define NB_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

typedef struct nb_cache nb_cache;

/* The cache folder of the environment, created if missing; NULL when disabled or
 * unusable. A handle is cheap and may be used by one thread at a time. */
nb_cache *nb_cache_open(void);
/* The same for a given folder (NULL or "off": disabled). */
nb_cache *nb_cache_open_dir(const char *dir);
/* Closes the handle; when it stored something, first trims the folder to its size limit
 * (128 MiB, least recently used entries first). */
void nb_cache_close(nb_cache *c);
const char *nb_cache_dir(const nb_cache *c);

/* The value stored under `kind` (a short [a-z0-9] name: the entry's file name prefix) and
 * `key`; 1 and a malloc'd *val (to free) on a hit, 0 on a miss. c may be NULL. */
int nb_cache_get(nb_cache *c, const char *kind, const void *key, size_t klen, void **val,
                 size_t *vlen);
/* Stores (or replaces) the value; failures are silent. c may be NULL. */
void nb_cache_put(nb_cache *c, const char *kind, const void *key, size_t klen, const void *val,
                  size_t vlen);

/* A memo: answers to string queries (such as "which file is family X?") that stay valid
 * while a set of files and folders, its witnesses, keep their size, mtime and inode, or
 * stay absent. One cache entry per kind and key.
 *
 *   nb_memo_load    the entry, dropped when a witness changed; NULL when c is NULL
 *   nb_memo_get     1 and *answer (NULL: "none") when known, else 0
 *   nb_memo_put     records an answer found the slow way
 *   nb_memo_witness after the slow way was taken: a path whose change would change the
 *                   answers (called again for every path on every slow run; repeats ignored)
 *   nb_memo_save    stores new answers; answers of the loaded entry are kept only when the
 *                   witnesses are still the same. Nothing is stored when a witness changed
 *                   in the last seconds (it may have changed while the answers were found).
 */
typedef struct nb_memo nb_memo;
nb_memo *nb_memo_load(nb_cache *c, const char *kind, const void *key, size_t klen);
int nb_memo_get(const nb_memo *m, const char *query, const char **answer);
void nb_memo_put(nb_memo *m, const char *query, const char *answer);
void nb_memo_witness(nb_memo *m, const char *path);
void nb_memo_save(nb_memo *m);
void nb_memo_free(nb_memo *m);

/* Process-wide counts of lookups, for tests and benchmarks. */
typedef struct nb_cache_stats {
  unsigned long hits, misses, puts;
} nb_cache_stats;
nb_cache_stats nb_cache_get_stats(void);

/* Appends what identifies a file's version without reading it: size, modification time
 * (ns), inode and device. 0 (and nothing appended) when it cannot be stat'ed. */
int nb_rec_file_stamp(nb_buf *b, const char *path);

/* Keys and values are built and read as little-endian records. */
void nb_rec_u32(nb_buf *b, uint32_t v);
void nb_rec_u64(nb_buf *b, uint64_t v);
void nb_rec_str(nb_buf *b, const char *s);             /* length-prefixed; NULL as "" */
void nb_rec_bytes(nb_buf *b, const void *p, size_t n); /* length-prefixed */

/* A reader over a value; any read past the end sets `bad` and yields zeros. */
typedef struct nb_rec {
  const unsigned char *p, *end;
  int bad;
} nb_rec;
uint32_t nb_rec_get_u32(nb_rec *r);
uint64_t nb_rec_get_u64(nb_rec *r);
/* A length-prefixed run of bytes, pointing into the value; NULL when bad. */
const void *nb_rec_get_bytes(nb_rec *r, size_t *n);

#endif
