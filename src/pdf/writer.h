/* The PDF writer: pages (display lists) → a PDF file through libharu, with our own CID
 * fonts (fontembed.c), bookmarks, links, metadata. Written to a temporary file in the
 * target folder and renamed, so a failure never leaves a partial or clobbered file. */
#ifndef NB_PDF_WRITER_H
#define NB_PDF_WRITER_H

#include "content/model.h"
#include "pages/page.h"
#include "style/style.h"
#include "text/font.h"

/* Archival conformance (docs/pdf.md). Zero, the default, is PDF/A-2b. */
typedef enum { NB_PDFA_2B = 0, NB_PDFA_3B, NB_PDFA_NONE } nb_pdfa;

typedef struct nb_pdfinfo {
  const char *title, *author, *subject, *keywords;
  const char *lang;     /* BCP 47, e.g. "zh-CN" */
  long long epoch;      /* creation/modification date, seconds since 1970 (UTC) */
  unsigned char id[16]; /* document ID: a hash of the inputs */
  nb_pdfa pdfa;
  char pdfa_level;    /* 'A' (accessible: the tagged structure claimed) or 'B' (0: 'B') */
  const char *source; /* the content file: attached to a PDF/A-3b as its source */
} nb_pdfinfo;

int nb_pdf_write(const nb_pages *pages, nb_fontdb *db, const nb_pdfinfo *info, const char *path,
                 nb_diags *d);

#endif
