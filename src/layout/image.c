#include <stdio.h>
#include <string.h>

#include "layout/flow.h"

/* Reads only the header: PNG IHDR, or the first JPEG SOFn marker. */
int nb_image_size(const char *path, int *w, int *h) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  unsigned char b[32];
  int ok = 0;
  if (fread(b, 1, 24, f) == 24) {
    if (!memcmp(b, "\x89PNG\r\n\x1a\n", 8)) {
      *w = (b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19];
      *h = (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23];
      ok = *w > 0 && *h > 0;
    } else if (b[0] == 0xFF && b[1] == 0xD8) {
      long off = 2;
      for (int guard = 0; guard < 1000 && !ok; guard++) {
        if (fseek(f, off, SEEK_SET) || fread(b, 1, 9, f) != 9 || b[0] != 0xFF) break;
        int m = b[1], len = (b[2] << 8) | b[3];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
          *h = (b[5] << 8) | b[6];
          *w = (b[7] << 8) | b[8];
          ok = *w > 0 && *h > 0;
        }
        off += 2 + len;
      }
    }
  }
  fclose(f);
  return ok;
}

#include <png.h>
#include <stdlib.h>

#include "base/cache.h"

/* A PNG whose data is damaged makes libharu's reader abort the process (it returns from
 * libpng's error callback), so every PNG is decoded once here, where a failure can still
 * be reported at the figure's position. libpng's simplified API reports, never aborts. */
int nb_image_check(const char *path, char *err, size_t errlen) {
  int w, h;
  if (!nb_image_size(path, &w, &h)) {
    snprintf(err, errlen, "not a JPEG or PNG file, or its header is damaged");
    return 0;
  }
  FILE *f = fopen(path, "rb");
  unsigned char sig[8] = {0};
  size_t got = f ? fread(sig, 1, 8, f) : 0;
  if (f) fclose(f);
  if (got < 8 || png_sig_cmp(sig, 0, 8)) return 1; /* JPEG: libharu only copies its data */
  /* A PNG that decoded completely before, unchanged since (path, size, mtime, inode), need
   * not be decoded again: that is a quarter of a warm build. */
  nb_cache *cache = nb_cache_open();
  nb_buf key = {0};
  nb_rec_u32(&key, png_access_version_number());
  nb_rec_str(&key, path);
  int stamped = nb_rec_file_stamp(&key, path);
  void *hit = NULL;
  size_t hitlen = 0;
  if (cache && stamped && nb_cache_get(cache, "pngok", key.s, key.n, &hit, &hitlen)) {
    free(hit);
    nb_buf_free(&key);
    nb_cache_close(cache);
    return 1;
  }
  png_image img;
  memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, path)) {
    snprintf(err, errlen, "damaged PNG: %s", img.message);
    return 0;
  }
  img.format = PNG_FORMAT_RGBA;
  size_t size = PNG_IMAGE_SIZE(img);
  void *buf = malloc(size ? size : 1);
  int ok = buf && png_image_finish_read(&img, NULL, buf, 0, NULL);
  if (!ok)
    snprintf(err, errlen, "damaged PNG: %s", img.message);
  else if (cache && stamped)
    nb_cache_put(cache, "pngok", key.s, key.n, "ok", 2);
  free(buf);
  png_image_free(&img);
  nb_buf_free(&key);
  nb_cache_close(cache);
  return ok;
}
