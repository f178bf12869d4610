/* The PDF/A pieces on their own: XMP packets (escaping, well-formedness by construction,
 * identification), dates, the level-9 recompression of libharu's streams, the output
 * intent's profile checks and the PDF/A-3 attachment, read back from a saved document. */
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
#include "pdf/flate.h"
#include "pdf/pdfa.h"
#include "pdf/xmp.h"

static char *find(const char *hay, size_t n, const char *needle) {
  size_t m = strlen(needle);
  for (size_t i = 0; i + m <= n; i++)
    if (!memcmp(hay + i, needle, m)) return (char *)hay + i;
  return NULL;
}

static void test_dates(void) {
  char x[21], p[18];
  nb_xmp_date(0, x);
  CHECK_STR(x, "1970-01-01T00:00:00Z");
  nb_xmp_date(1585612800, x); /* the sample's publication date */
  CHECK_STR(x, "2020-03-31T00:00:00Z");
  nb_xmp_date(-5, x);
  CHECK_STR(x, "1970-01-01T00:00:00Z");
  nb_pdf_date(1585612800 + 3661, p);
  CHECK_STR(p, "D:20200331010101Z");
}

static void test_packet(void) {
  /* "&<>\"", an invalid byte, a control character, a character beyond the BMP */
  nb_xmp x = {.title = "A&B <c> \"q\" \xff\x01 \xf0\xa0\x80\x80",
              .creator = "济南市济阳区人民政府",
              .lang = "zh-CN",
              .epoch = 1585612800,
              .creator_tool = "nianbao 0.1.0",
              .producer = "Haru Free PDF Library 2.3.0",
              .pdfa_part = 2,
              .pdfa_conformance = 'B'};
  size_t n = 0;
  char *s = nb_xmp_packet(&x, &n);
  CHECK(n == strlen(s));
  /* PDF/A (6.6.2.1): no bytes or encoding attribute in the header */
  const char *head = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  CHECK(!strncmp(s, head, strlen(head)));
  CHECK(!find(s, n, "bytes=") && !find(s, n, "encoding="));
  CHECK(n > 19 && !strcmp(s + n - 19, "<?xpacket end=\"w\"?>"));
  CHECK(find(s, n,
             "<rdf:li xml:lang=\"x-default\">A&amp;B &lt;c&gt; &quot;q&quot; \xEF\xBF\xBD "
             "\xf0\xa0\x80\x80</rdf:li>") != NULL);
  CHECK(!find(s, n, "\x01"));
  CHECK(find(s, n, "<dc:creator><rdf:Seq><rdf:li>济南市济阳区人民政府</rdf:li></rdf:Seq>") != NULL);
  CHECK(find(s, n, "<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>") != NULL);
  CHECK(find(s, n, "<xmp:CreateDate>2020-03-31T00:00:00Z</xmp:CreateDate>") != NULL);
  CHECK(find(s, n, "<xmp:ModifyDate>2020-03-31T00:00:00Z</xmp:ModifyDate>") != NULL);
  CHECK(find(s, n, "<pdf:Producer>Haru Free PDF Library 2.3.0</pdf:Producer>") != NULL);
  CHECK(find(s, n, "<pdfaid:part>2</pdfaid:part>") != NULL);
  CHECK(find(s, n, "<pdfaid:conformance>B</pdfaid:conformance>") != NULL);
  CHECK(!find(s, n, "dc:description")); /* NULL: left out */
  /* every '<' in the packet opens markup: count elements crudely by their brackets */
  size_t lt = 0, gt = 0;
  for (size_t i = 0; i < n; i++) lt += s[i] == '<', gt += s[i] == '>';
  CHECK_INT(lt, gt);
  free(s);

  nb_xmp y = {.title = "t", .epoch = 0, .pdfa_part = 0};
  s = nb_xmp_packet(&y, &n);
  CHECK(!find(s, n, "pdfaid"));
  free(s);
  y.pdfa_part = 3;
  s = nb_xmp_packet(&y, &n);
  CHECK(find(s, n, "<pdfaid:part>3</pdfaid:part>") != NULL);
  free(s);
}

static void test_deflate(void) {
  nb_buf b = {0};
  for (int i = 0; i < 2000; i++) nb_buf_printf(&b, "BT /F1 16 Tf %d 700 Td <0102> Tj ET\n", i);
  size_t zn = 0;
  unsigned char *z = nb_deflate(b.s, b.n, &zn);
  CHECK(z && zn < b.n / 4);
  uLongf out = b.n + 16;
  unsigned char *back = malloc(out);
  CHECK(z && uncompress(back, &out, z, zn) == Z_OK && out == b.n && !memcmp(back, b.s, b.n));
  free(back);
  free(z);
  nb_buf_free(&b);
}

static void on_err(HPDF_STATUS e, HPDF_STATUS detail, void *u) { ++*(int *)u; }

/* Saves to memory; the bytes are malloc'd. */
static char *save(HPDF_Doc pdf, size_t *n) {
  *n = 0;
  if (HPDF_SaveToStream(pdf) != HPDF_OK) return NULL;
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
  char *s = malloc(size + 1);
  HPDF_UINT32 got = size;
  HPDF_ResetStream(pdf);
  if (HPDF_ReadFromStream(pdf, (HPDF_BYTE *)s, &got) != HPDF_OK && got != size) got = 0;
  s[got] = 0;
  *n = got;
  return s;
}

/* Whether some Flate stream of the file inflates to `want`. */
static int some_stream_inflates_to(const char *pdf, size_t n, const char *want) {
  size_t wn = strlen(want);
  unsigned char *buf = malloc(wn + 64);
  int ok = 0;
  for (const char *p = pdf; !ok && (p = find(p, n - (size_t)(p - pdf), "stream\r\n"));) {
    p += 8;
    uLongf out = wn + 64;
    ok = uncompress(buf, &out, (const Bytef *)p, (uLong)(n - (size_t)(p - pdf))) == Z_OK &&
         out == wn && !memcmp(buf, want, wn);
  }
  free(buf);
  return ok;
}

static void test_document(void) {
  int errs = 0;
  HPDF_Doc pdf = HPDF_New(on_err, &errs);
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  HPDF_Page page = HPDF_AddPage(pdf);
  const char *content = "BT /F1 12 Tf 72 720 Td (recompressed at level 9) Tj ET\n";
  HPDF_Page_SetFilter(page, HPDF_STREAM_FILTER_FLATE_DECODE);
  HPDF_Stream_WriteStr(((HPDF_PageAttr)page->attr)->stream, content);
  HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "T & <t>");

  /* a source to attach, and an ICC profile that is not an RGB display profile */
  char dir[] = "/tmp/nb_xmp_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char src[64], bad[64];
  snprintf(src, sizeof src, "%s/报告.yaml", dir);
  snprintf(bad, sizeof bad, "%s/cmyk.icc", dir);
  const char *yaml = "meta: {title: x}\n";
  nb_write_file(src, yaml, strlen(yaml));
  unsigned char icc[132] = {0};
  icc[3] = 132;
  memcpy(icc + 12, "prtr", 4);
  memcpy(icc + 16, "CMYK", 4);
  memcpy(icc + 36, "acsp", 4);
  nb_write_file(bad, icc, sizeof icc);

  nb_pdfinfo info = {
      .title = "T & <t>", .lang = "zh-CN", .epoch = 1585612800, .pdfa = NB_PDFA_3B, .source = src};
  nb_diags d = {0};
  setenv("NIANBAO_ICC_PROFILE", bad, 1);
  CHECK(!nb_pdfa_finish(pdf, &info, "nianbao test", &d));
  CHECK_INT(d.errors, 1);
  nb_diags_free(&d);
  d = (nb_diags){0};
  unsetenv("NIANBAO_ICC_PROFILE");
  int have_icc = 0;
  for (int i = 0; nb_icc_paths[i]; i++) have_icc |= access(nb_icc_paths[i], R_OK) == 0;
  if (!have_icc) {
    fprintf(stderr, "no sRGB profile installed (libgs-common): PDF/A document test skipped\n");
  } else {
    CHECK(nb_pdfa_finish(pdf, &info, "nianbao test", &d));
    CHECK_INT(d.errors, 0);
    nb_pdf_flate_best(pdf);
    size_t n = 0;
    char *s = save(pdf, &n);
    CHECK(s && n > 0);
    if (s) {
      CHECK(find(s, n, "/Type /Metadata") && find(s, n, "/Subtype /XML"));
      CHECK(find(s, n, "T &amp; &lt;t&gt;") != NULL); /* the XMP, not compressed */
      CHECK(find(s, n, "<pdfaid:part>3</pdfaid:part>") != NULL);
      CHECK(find(s, n, "/S /GTS_PDFA1") && find(s, n, "/OutputIntents"));
      CHECK(find(s, n, "/AFRelationship /Source") && find(s, n, "/AF ["));
      CHECK(find(s, n, "/Subtype /application#2Fx-yaml") != NULL);
      CHECK(find(s, n, "/Size 17") && find(s, n, "/ModDate (D:20200331000000Z)"));
      CHECK(find(s, n, "/F (______.yaml)") != NULL); /* non-ASCII bytes in /F; exact in /UF */
      CHECK(find(s, n, "/UF <FEFF62A5544A002E00790061006D006C>") != NULL);
      CHECK(find(s, n, "/EmbeddedFiles") != NULL);
      /* the content stream: our /Filter, level-9 data that inflates to what was written */
      CHECK(some_stream_inflates_to(s, n, content));
      CHECK(find(s, n, "(recompressed at level 9)") == NULL);
      CHECK(find(s, n, "/Filter /FlateDecode") != NULL);
      free(s);
    }
  }
  nb_diags_free(&d);
  remove(src);
  remove(bad);
  rmdir(dir);
  HPDF_Free(pdf);
}

int main(void) {
  test_dates();
  test_packet();
  test_deflate();
  test_document();
  TEST_MAIN_END();
}
