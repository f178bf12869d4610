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
