#include "pdf/flate.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <zlib.h>

unsigned char *nb_deflate(const void *data, size_t len, size_t *out_len) {
  if (len > UINT_MAX / 2) return NULL;
  z_stream z = {0};
  /* memLevel 9: a little smaller than the default 8, and still deterministic */
  if (deflateInit2(&z, 9, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
  uLong cap = deflateBound(&z, (uLong)len);
  unsigned char *out = malloc(cap ? cap : 1);
  if (!out) {
    deflateEnd(&z);
    return NULL;
  }
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  *out_len = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    free(out);
    return NULL;
  }
  return out;
}

/* The stream's data is already compressed: declare it, since libharu writes no /Filter for
 * a stream whose filter it does not apply itself. */
static HPDF_STATUS write_filter(HPDF_Dict d, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

void nb_pdf_mark_flated(HPDF_Dict d) {
  d->filter = HPDF_STREAM_FILTER_NONE;
  d->write_fn = write_filter;
}

static HPDF_STATUS recompress(HPDF_Dict d) {
  d->before_write_fn = NULL; /* once, even if the document were saved twice */
  HPDF_Stream s = d->stream;
  HPDF_UINT32 size = HPDF_Stream_Size(s);
  if (!size || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE) return HPDF_OK;
  unsigned char *raw = malloc(size);
  if (!raw) return HPDF_OK; /* libharu compresses it as usual */
  size_t n = 0;
  HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(s);
  for (HPDF_UINT i = 0; i < nbuf && n < size; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &len);
    if (!p) break;
    if (len > size - n) len = (HPDF_UINT)(size - n);
    memcpy(raw + n, p, len);
    n += len;
  }
  size_t zlen = 0;
  unsigned char *z = n == size ? nb_deflate(raw, n, &zlen) : NULL;
  free(raw);
  if (!z) return HPDF_OK;
  HPDF_MemStream_FreeData(s);
  HPDF_STATUS st = HPDF_Stream_Write(s, z, (HPDF_UINT)zlen);
  free(z);
  if (st != HPDF_OK) return st;
  nb_pdf_mark_flated(d);
  return HPDF_OK;
}

void nb_pdf_flate_best(HPDF_Doc pdf) {
  for (HPDF_Xref x = pdf->xref; x; x = x->prev)
    for (HPDF_UINT i = 0; i < x->entries->count; i++) {
      HPDF_XrefEntry e = HPDF_Xref_GetEntry(x, i);
      HPDF_Obj_Header *h = e ? e->obj : NULL;
      if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT) continue;
      HPDF_Dict d = (HPDF_Dict)h;
      /* only plain memory streams that no libharu hook writes */
      if (!d->stream || d->stream->type != HPDF_STREAM_MEMORY ||
          d->filter != HPDF_STREAM_FILTER_FLATE_DECODE || d->before_write_fn || d->write_fn)
        continue;
      d->before_write_fn = recompress;
    }
}
