/* The file structure written by nb_pdf_save, read back by hand: the header, startxref
 * pointing at a /Type /XRef stream, its entries decoded (Flate + PNG Up prediction), each
 * type-1 entry at "N 0 obj", each type-2 entry found at its index in its object stream
 * with the right number, streams' /Length values right, and the trailer keys carried. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <zlib.h>

#include "base/util.h"
#include "harness.h"
#include "pdf/save.h"

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u) {
  (void)d;
  fprintf(stderr, "libharu error 0x%04lX\n", (unsigned long)e);
  *(int *)u = 1;
}

static const char *find(const char *hay, size_t n, const char *needle) {
  size_t m = strlen(needle);
  for (size_t i = 0; i + m <= n; i++)
    if (!memcmp(hay + i, needle, m)) return hay + i;
  return NULL;
}

static long num_after(const char *dict, const char *key) {
  const char *p = strstr(dict, key);
  return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Inflates the stream of the object whose dictionary starts at p; NULL if not Flate. */
static unsigned char *stream_data(const char *p, const char *end, uLongf *out_len) {
  const char *s = find(p, (size_t)(end - p), "stream\r\n");
  long len = num_after(p, "/Length ");
  if (!s || len <= 0 || s + 8 + len > end) return NULL;
  uLongf cap = 1u << 20;
  unsigned char *out = malloc(cap);
  if (uncompress(out, &cap, (const Bytef *)s + 8, (uLong)len) != Z_OK) {
    free(out);
    return NULL;
  }
  *out_len = cap;
  return out;
}

typedef struct {
  int type;
  unsigned long f2, f3;
} entry;

static void test_structure(void) {
  int err = 0;
  HPDF_Doc pdf = HPDF_New(on_error, &err);
  pdf->pdf_version = HPDF_VER_17;
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "save test");
  enum { PAGES = 130 }; /* more than one object stream's worth of objects */
  for (int i = 0; i < PAGES; i++) {
    HPDF_Page pg = HPDF_AddPage(pdf);
    HPDF_Page_SetWidth(pg, 200);
    HPDF_Page_SetHeight(pg, 100 + i);
    HPDF_Page_Rectangle(pg, 10, 10, 20 + i, 20);
    HPDF_Page_Fill(pg);
  }
  HPDF_Array id = HPDF_Array_New(pdf->mmgr);
  HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)"0123456789abcdef", 16));
  HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)"0123456789abcdef", 16));
  HPDF_Dict_Add(pdf->trailer, "ID", id);
  char path[] = "/tmp/nb_save_XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  CHECK(f != NULL);
  if (!f) return;
  CHECK(nb_pdf_save(pdf, f));
  CHECK(fclose(f) == 0);
  CHECK(!err);
  HPDF_Free(pdf);

  size_t n = 0;
  char *raw = nb_read_file(path, &n);
  unlink(path);
  CHECK(raw != NULL);
  if (!raw) return;
  const char *end = raw + n;
  CHECK(!memcmp(raw, "%PDF-1.7\n%\267\276\255\252\n", 15));
  CHECK(!find(raw, n, "\ntrailer") && !find(raw, n, "\nxref"));
  const char *sx = find(raw, n, "startxref\n");
  CHECK(sx != NULL);
  if (!sx) goto out;
  long xoff = strtol(sx + 10, NULL, 10);
  CHECK(!strcmp(end - 6, "%%EOF\n"));
  CHECK(xoff > 0 && (size_t)xoff < n);
  const char *xref = raw + xoff;
  long xnum = strtol(xref, NULL, 10);
  CHECK(find(xref, 40, " 0 obj\n<< /Type /XRef") != NULL);
  long size = num_after(xref, "/Size ");
  CHECK_INT(size, xnum + 1);
  CHECK(strstr(xref, "/Root ") && strstr(xref, "/Info ") && strstr(xref, "/ID ["));
  CHECK(strstr(xref, "<30313233343536373839616263646566>") != NULL);
  int w2 = 0, w3 = 0;
  const char *w = strstr(xref, "/W [ ");
  CHECK(w && sscanf(w, "/W [ 1 %d %d ]", &w2, &w3) == 2);
  CHECK(w2 >= 1 && w2 <= 4 && w3 == 2);
  uLongf xlen = 0;
  unsigned char *rows = stream_data(xref, end, &xlen);
  int cols = 1 + w2 + w3;
  CHECK(rows && xlen == (uLongf)size * (uLongf)(cols + 1));
  if (!rows || size <= 0 || w2 < 1 || w2 > 4 || w3 != 2) goto out;
  entry *e = calloc((size_t)size, sizeof *e);
  const char **text = calloc((size_t)size, sizeof *text); /* each object's text */
  unsigned char **inflated = calloc((size_t)size, sizeof *inflated);
  unsigned char last[16] = {0};
  for (long i = 0; i < size; i++) {
    unsigned char *r = rows + i * (cols + 1);
    CHECK_INT(r[0], 2); /* PNG Up */
    for (int k = 0; k < cols; k++) last[k] = (unsigned char)(last[k] + r[1 + k]);
    e[i].type = last[0];
    for (int k = 0; k < w2; k++) e[i].f2 = e[i].f2 << 8 | last[1 + k];
    for (int k = 0; k < w3; k++) e[i].f3 = e[i].f3 << 8 | last[1 + w2 + k];
  }
  CHECK(e[0].type == 0 && e[0].f3 == 65535);
  int packed = 0, direct = 0, stms = 0;
  for (long i = 1; i < size; i++) {
    if (e[i].type == 1) {
      char head[32];
      snprintf(head, sizeof head, "%ld 0 obj\n", i);
      CHECK(e[i].f2 < n && !strncmp(raw + e[i].f2, head, strlen(head)));
      direct++;
      text[i] = raw + e[i].f2 + strlen(head);
      if (!strncmp(text[i], "<< /Type /ObjStm", 16)) stms++;
    } else if (e[i].type == 2) {
      packed++;
      long s = (long)e[i].f2;
      CHECK(s > 0 && s < size && e[s].type == 1);
      if (s <= 0 || s >= size || e[s].type != 1) continue;
      const char *d = raw + e[s].f2;
      long nobj = num_after(d, "/N "), first = num_after(d, "/First ");
      uLongf dl = 0;
      if (!inflated[s]) inflated[s] = stream_data(d, end, &dl);
      unsigned char *data = inflated[s];
      CHECK(data && (long)e[i].f3 < nobj && first > 0);
      if (!data) continue;
      /* the index's pair at position f3 names this object */
      char *p = (char *)data;
      long num = -1, off = -1;
      for (unsigned long k = 0; k <= e[i].f3; k++) {
        num = strtol(p, &p, 10);
        off = strtol(p, &p, 10);
      }
      CHECK_INT(num, i);
      CHECK(off >= 0);
      text[i] = (const char *)data + first + off;
    } else
      CHECK(0);
  }
  CHECK_INT(stms, (packed + 99) / 100); /* at most 100 objects each */
  CHECK(packed > PAGES && direct > PAGES);
  /* every libharu stream's indirect /Length, resolved through the object streams, ends
   * its data right before "endstream" */
  int lengths = 0;
  for (long i = 1; i < size; i++) {
    if (e[i].type != 1 || !text[i]) continue;
    const char *st = strstr(text[i], ">>\nstream\r\n"), *l = strstr(text[i], "/Length ");
    if (!st || !l || l > st) continue;
    long ref = 0, gen = -1;
    char r = 0;
    if (sscanf(l, "/Length %ld %ld %c", &ref, &gen, &r) != 3 || r != 'R') continue;
    CHECK(ref > 0 && ref < size && e[ref].type == 2 && text[ref]);
    if (ref <= 0 || ref >= size || !text[ref]) continue;
    long len = strtol(text[ref], NULL, 10);
    const char *data = st + 11;
    CHECK(data + len + 10 <= end && !strncmp(data + len, "\nendstream", 10));
    lengths++;
  }
  CHECK_INT(lengths, PAGES);
  for (long i = 0; i < size; i++) free(inflated[i]);
  free(inflated);
  free(text);
  free(e);
  free(rows);
out:
  free(raw);
}

int main(void) {
  test_structure();
  TEST_MAIN_END();
}
