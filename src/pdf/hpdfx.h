/* Small helpers over libharu's object API, shared by the writer's modules that build
 * dictionaries (pdfa.c, tags.c): a function that builds a few objects checks each step with
 * TRY/NEW and jumps to its `fail:` label on the first error. */
#ifndef NB_PDF_HPDFX_H
#define NB_PDF_HPDFX_H

#include <hpdf.h>
#include <hpdf_doc.h>

#define TRY(x)                                                                                     \
  do {                                                                                             \
    if ((x) != HPDF_OK) goto fail;                                                                 \
  } while (0)
#define NEW(v, x)                                                                                  \
  do {                                                                                             \
    if (!((v) = (x))) goto fail;                                                                   \
  } while (0)

/* A new dictionary registered as an indirect object, or NULL. */
static inline HPDF_Dict nb_pdf_indirect(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK) return NULL; /* Xref_Add freed it */
  return d;
}

#endif
