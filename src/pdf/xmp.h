/* XMP metadata packets (ISO 16684-1) for the catalog's /Metadata stream, as PDF/A wants
 * them (ISO 19005-2 6.6): predefined schemas only, the same values as the document
 * information dictionary, and pdfaid identification. */
#ifndef NB_PDF_XMP_H
#define NB_PDF_XMP_H

#include <stddef.h>

typedef struct nb_xmp {
  const char *title, *creator, *description, *keywords; /* UTF-8; NULL: left out */
  const char *lang;                                     /* dc:language; NULL: left out */
  long long epoch;                     /* xmp:CreateDate, ModifyDate, MetadataDate (UTC) */
  const char *creator_tool, *producer; /* equal to the Info dict's Creator and Producer */
  int pdfa_part;                       /* 2 or 3: pdfaid:part; 0: no PDF/A identification */
  char pdfa_conformance;               /* 'B' */
} nb_xmp;

/* The packet as UTF-8, with the xpacket wrapper (no `bytes`/`encoding` attributes, which
 * PDF/A forbids) and nothing but whitespace after it. Text is XML-escaped; invalid UTF-8
 * becomes U+FFFD and characters XML 1.0 does not allow are dropped. Returns a malloc'd
 * NUL-terminated buffer; its length (without the NUL) in *len. */
char *nb_xmp_packet(const nb_xmp *x, size_t *len);

/* The instant as "YYYY-MM-DDThh:mm:ssZ" (XMP) into out[21]. */
void nb_xmp_date(long long epoch, char out[21]);
/* `epoch` (seconds, UTC) through strftime's `fmt`; `at_zero` outside the years 1970–9999. */
void nb_utc_date(long long epoch, const char *fmt, const char *at_zero, char *out, size_t n);

#endif
