#include "pdf/save.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "base/util.h"
#include "pdf/flate.h"

/* A reader inflates a whole object stream to reach one of its objects: qpdf's 100 keeps
 * that cheap and the streams still large enough to compress well. */
enum { PER_OBJSTM = 100 };

/* One cross-reference stream entry: type 0 free (f3 = generation), 1 at byte offset f2,
 * 2 the f3-th object of object stream f2. */
typedef struct {
  unsigned char type;
  uint64_t f2;
  uint32_t f3;
} xentry;

typedef struct {
  HPDF_Doc pdf;
  HPDF_Xref xref;
  HPDF_Stream out;      /* the file */
  HPDF_Stream packed_s; /* the text of the packed objects, one after another */
  nb_buf packed;
  xentry *xe;
  size_t *ids, *starts, nids; /* packed objects in order, and where each begins */
  int ok;
} saver;

static HPDF_STATUS to_file(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
  return fwrite(p, 1, n, (FILE *)s->attr) == n ? HPDF_OK : HPDF_FILE_IO_ERROR;
}

static HPDF_STATUS to_buf(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
  nb_buf_add((nb_buf *)s->attr, p, n);
  return HPDF_OK;
}

static int class_of(void *obj) { return ((HPDF_Obj_Header *)obj)->obj_class & HPDF_OCLASS_ANY; }

static int is_stream(void *obj) {
  return class_of(obj) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
}

static void put(saver *s, const void *p, size_t n) {
  if (s->ok && HPDF_Stream_Write(s->out, p, (HPDF_UINT)n) != HPDF_OK) s->ok = 0;
}

static void puts_(saver *s, const char *str) { put(s, str, strlen(str)); }

static void putf(saver *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(saver *s, const char *fmt, ...) {
  nb_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  nb_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  put(s, b.s, b.n);
  nb_buf_free(&b);
}

/* A top-level object, written by libharu as its own save would. */
static void write_direct(saver *s, size_t id, void *obj) {
  s->xe[id] = (xentry){1, s->out->size, 0};
  putf(s, "%zu 0 obj\012", id);
  if (s->ok && HPDF_Obj_WriteValue(obj, s->out, NULL) != HPDF_OK) s->ok = 0;
  puts_(s, "\012endobj\012");
}

static void pack(saver *s, size_t id, void *obj) {
  s->ids[s->nids] = id;
  s->starts[s->nids++] = s->packed.n;
  if (s->ok && (HPDF_Obj_WriteValue(obj, s->packed_s, NULL) != HPDF_OK ||
                HPDF_Stream_WriteStr(s->packed_s, "\012") != HPDF_OK))
    s->ok = 0;
}

/* A stream object of ours: the dictionary's other keys in `keys`, the data deflated. */
static void write_stream(saver *s, size_t id, const char *keys, const void *data, size_t len) {
  size_t zlen = 0;
  unsigned char *z = nb_deflate(data, len, &zlen);
  if (!z) {
    s->ok = 0;
    return;
  }
  s->xe[id] = (xentry){1, s->out->size, 0};
  putf(s, "%zu 0 obj\012<<%s /Filter /FlateDecode /Length %zu >>\012stream\015\012", id, keys,
       zlen);
  put(s, z, zlen);
  puts_(s, "\012endstream\012endobj\012");
  free(z);
}

static void write_objstms(saver *s, size_t first_id) {
  for (size_t a = 0, k = 0; a < s->nids && s->ok; a += PER_OBJSTM, k++) {
    size_t b = a + PER_OBJSTM < s->nids ? a + PER_OBJSTM : s->nids;
    size_t end = b < s->nids ? s->starts[b] : s->packed.n;
    nb_buf data = {0}, keys = {0};
    for (size_t j = a; j < b; j++) {
      nb_buf_printf(&data, "%zu %zu%c", s->ids[j], s->starts[j] - s->starts[a],
                    j + 1 < b ? ' ' : '\012');
      s->xe[s->ids[j]] = (xentry){2, first_id + k, (uint32_t)(j - a)};
    }
    size_t head = data.n;
    nb_buf_add(&data, s->packed.s + s->starts[a], end - s->starts[a]);
    nb_buf_printf(&keys, " /Type /ObjStm /N %zu /First %zu", b - a, head);
    write_stream(s, first_id + k, keys.s, data.s, data.n);
    nb_buf_free(&data);
    nb_buf_free(&keys);
  }
}

static int bytes_for(uint64_t v) {
  int n = 1;
  while (v >>= 8) n++;
  return n;
}

/* The cross-reference stream, which also carries the trailer's keys (/Root, /Info, /ID). */
static void write_xref(saver *s, size_t id) {
  size_t size = id + 1;
  s->xe[0] = (xentry){0, 0, 65535};
  s->xe[id] = (xentry){1, s->out->size, 0};
  uint64_t max2 = 0, max3 = 0;
  for (size_t i = 0; i < size; i++) {
    if (s->xe[i].f2 > max2) max2 = s->xe[i].f2;
    if (s->xe[i].f3 > max3) max3 = s->xe[i].f3;
  }
  int w2 = bytes_for(max2), w3 = bytes_for(max3), cols = 1 + w2 + w3;
  /* PNG "Up" prediction (Predictor 12): each row minus the one above, which turns the
   * ascending offsets and the runs of type-2 entries into small, repetitive bytes */
  unsigned char *rows = nb_xcalloc(size, (size_t)cols + 1), cur[24], last[24] = {0};
  for (size_t i = 0; i < size; i++) {
    int c = 0;
    cur[c++] = s->xe[i].type;
    for (int k = w2 - 1; k >= 0; k--) cur[c++] = (unsigned char)(s->xe[i].f2 >> (8 * k));
    for (int k = w3 - 1; k >= 0; k--) cur[c++] = (unsigned char)(s->xe[i].f3 >> (8 * k));
    unsigned char *row = rows + i * ((size_t)cols + 1);
    row[0] = 2;
    for (int k = 0; k < cols; k++) row[1 + k] = (unsigned char)(cur[k] - last[k]);
    memcpy(last, cur, (size_t)cols);
  }
  nb_buf keys = {0};
  nb_buf_printf(&keys, " /Type /XRef /Size %zu /W [ 1 %d %d ]", size, w2, w3);
  HPDF_Stream ks = HPDF_CallbackWriter_New(s->pdf->mmgr, to_buf, &keys);
  HPDF_List l = s->pdf->trailer->list;
  for (HPDF_UINT i = 0; ks && i < l->count && s->ok; i++) {
    HPDF_DictElement e = HPDF_List_ItemAt(l, i);
    if (!strcmp(e->key, "Size") || !strcmp(e->key, "Prev")) continue;
    if (HPDF_Stream_WriteStr(ks, " ") != HPDF_OK ||
        HPDF_Stream_WriteEscapeName(ks, e->key) != HPDF_OK ||
        HPDF_Stream_WriteStr(ks, " ") != HPDF_OK || HPDF_Obj_Write(e->value, ks, NULL) != HPDF_OK)
      s->ok = 0;
  }
  if (!ks) s->ok = 0;
  nb_buf_printf(&keys, " /DecodeParms << /Columns %d /Predictor 12 >>", cols);
  uint64_t at = s->xe[id].f2;
  write_stream(s, id, keys.s, rows, size * ((size_t)cols + 1));
  putf(s, "startxref\012%llu\012%%%%EOF\012", (unsigned long long)at);
  if (ks) HPDF_Stream_Free(ks);
  nb_buf_free(&keys);
  free(rows);
}

int nb_pdf_save(HPDF_Doc pdf, FILE *f) {
  HPDF_Xref x = pdf->xref;
  if (!x || x->prev || x->start_offset) return 0; /* one section, as HPDF_New makes it */
  if (HPDF_Dict_Add(pdf->trailer, "Root", pdf->catalog) != HPDF_OK) return 0;
  if (pdf->info && HPDF_Dict_Add(pdf->trailer, "Info", pdf->info) != HPDF_OK) return 0;
  size_t n = x->entries->count, nstm = n / PER_OBJSTM + 1;
  saver s = {.pdf = pdf, .xref = x, .ok = 1};
  s.xe = nb_xcalloc(n + nstm + 1, sizeof *s.xe);
  s.ids = nb_xcalloc(n, sizeof *s.ids);
  s.starts = nb_xcalloc(n, sizeof *s.starts);
  s.out = HPDF_CallbackWriter_New(pdf->mmgr, to_file, f);
  s.packed_s = HPDF_CallbackWriter_New(pdf->mmgr, to_buf, &s.packed);
  if (!s.out || !s.packed_s) s.ok = 0;
  /* the binary comment line tells transfer programs the file is binary (PDF/A 6.1.2) */
  puts_(&s, "%PDF-1.7\012%\267\276\255\252\012");
  /* Dictionaries first: a page's before-write hook still closes its content stream, which
   * must happen before that stream is written. Numbers last: they are the streams'
   * /Length values, known once the streams are written. */
  for (int pass = 0; pass < 3; pass++)
    for (size_t i = 1; i < n && s.ok; i++) {
      void *obj = HPDF_Xref_GetEntry(x, (HPDF_UINT)i)->obj;
      int kind = is_stream(obj) ? 1 : class_of(obj) == HPDF_OCLASS_NUMBER ? 2 : 0;
      if (kind != pass) continue;
      if (kind == 1)
        write_direct(&s, i, obj);
      else
        pack(&s, i, obj);
    }
  /* a before-write hook that registered new objects would leave them unwritten */
  if (x->entries->count != n) s.ok = 0;
  nstm = (s.nids + PER_OBJSTM - 1) / PER_OBJSTM;
  write_objstms(&s, n);
  if (s.ok) write_xref(&s, n + nstm);
  if (s.out) HPDF_Stream_Free(s.out);
  if (s.packed_s) HPDF_Stream_Free(s.packed_s);
  nb_buf_free(&s.packed);
  free(s.xe);
  free(s.ids);
  free(s.starts);
  return s.ok && HPDF_GetError(pdf) == HPDF_OK;
}
