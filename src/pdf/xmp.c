#define _POSIX_C_SOURCE 200809L
#include "pdf/xmp.h"

#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "base/util.h"

void nb_utc_date(long long epoch, const char *fmt, const char *at_zero, char *out, size_t n) {
  time_t t = (time_t)epoch;
  struct tm tm;
  /* outside 1970–9999 the formats have no room: the epoch itself */
  if (epoch < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) {
    snprintf(out, n, "%s", at_zero);
    return;
  }
  strftime(out, n, fmt, &tm);
}

void nb_xmp_date(long long epoch, char out[21]) {
  nb_utc_date(epoch, "%Y-%m-%dT%H:%M:%SZ", "1970-01-01T00:00:00Z", out, 21);
}

/* XML 1.0 Char production, less what XMP readers choke on */
static int xml_char(uint32_t c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  if (c >= 0xD800 && c <= 0xDFFF) return 0;
  return c != 0xFFFE && c != 0xFFFF && c <= 0x10FFFF;
}

/* Re-encodes the text from its code points, so the packet is valid UTF-8 whatever came in. */
static void esc(nb_buf *b, const char *s) {
  const char *end = s + strlen(s);
  while (s < end) {
    uint32_t c = nb_utf8_next(&s, end);
    if (!xml_char(c)) continue;
    if (c == '&')
      nb_buf_adds(b, "&amp;");
    else if (c == '<')
      nb_buf_adds(b, "&lt;");
    else if (c == '>')
      nb_buf_adds(b, "&gt;");
    else if (c == '"')
      nb_buf_adds(b, "&quot;");
    else {
      char u[4];
      nb_buf_add(b, u, (size_t)nb_utf8_encode(c, u));
    }
  }
}

static void simple(nb_buf *b, const char *prop, const char *v) {
  if (!v) return;
  nb_buf_printf(b, "   <%s>", prop);
  esc(b, v);
  nb_buf_printf(b, "</%s>\n", prop);
}

/* A language alternative with only the default: how dc:title and dc:description are typed */
static void alt(nb_buf *b, const char *prop, const char *v) {
  if (!v) return;
  nb_buf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", prop);
  esc(b, v);
  nb_buf_printf(b, "</rdf:li></rdf:Alt></%s>\n", prop);
}

static void list(nb_buf *b, const char *prop, const char *kind, const char *v) {
  if (!v) return;
  nb_buf_printf(b, "   <%s><rdf:%s><rdf:li>", prop, kind);
  esc(b, v);
  nb_buf_printf(b, "</rdf:li></rdf:%s></%s>\n", kind, prop);
}

char *nb_xmp_packet(const nb_xmp *x, size_t *len) {
  nb_buf b = {0};
  char date[21];
  nb_xmp_date(x->epoch, date);
  /* the id is the fixed value XMP prescribes; the BOM-only begin attribute marks UTF-8 */
  nb_buf_adds(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                  " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                  "  <rdf:Description rdf:about=\"\"\n"
                  "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                  "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                  "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
  if (x->pdfa_part) nb_buf_adds(&b, "\n    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
  nb_buf_adds(&b, ">\n");
  simple(&b, "dc:format", "application/pdf");
  alt(&b, "dc:title", x->title);
  list(&b, "dc:creator", "Seq", x->creator);
  alt(&b, "dc:description", x->description);
  list(&b, "dc:language", "Bag", x->lang);
  simple(&b, "xmp:CreateDate", date);
  simple(&b, "xmp:ModifyDate", date);
  simple(&b, "xmp:MetadataDate", date);
  simple(&b, "xmp:CreatorTool", x->creator_tool);
  simple(&b, "pdf:Producer", x->producer);
  simple(&b, "pdf:Keywords", x->keywords);
  if (x->pdfa_part) {
    nb_buf_printf(&b, "   <pdfaid:part>%d</pdfaid:part>\n", x->pdfa_part);
    nb_buf_printf(&b, "   <pdfaid:conformance>%c</pdfaid:conformance>\n",
                  x->pdfa_conformance ? x->pdfa_conformance : 'B');
  }
  nb_buf_adds(&b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
  *len = b.n;
  return b.s;
}
