/* What makes the document an archive file (ISO 19005-2/-3, PDF/A-2b and PDF/A-3b): XMP
 * metadata matching the Info dictionary, an sRGB output intent with an ICC profile from a
 * Debian package, and for PDF/A-3b the source YAML as an associated file. What the rest
 * of the writer already does for PDF/A (embedded fonts, /ID, printable link annotations,
 * the binary header comment) is listed in docs/pdf.md. */
#ifndef NB_PDF_PDFA_H
#define NB_PDF_PDFA_H

#include <hpdf.h>

#include "base/diag.h"
#include "pdf/writer.h"

/* The sRGB profiles looked for, in order; $NIANBAO_ICC_PROFILE, when set, comes first. */
extern const char *const nb_icc_paths[];

/* Adds the /Metadata stream (also without PDF/A, then without pdfaid), and for PDF/A the
 * OutputIntents and the attachment. Call once every Info entry is set: the XMP copies
 * them. Returns 1, or 0 with an error diag (libharu's error state then reset). */
int nb_pdfa_finish(HPDF_Doc pdf, const nb_pdfinfo *info, const char *creator_tool, nb_diags *d);

/* "D:YYYYMMDDHHmmSSZ" (ISO 32000-1 7.9.4), UTC, into out[18]. */
void nb_pdf_date(long long epoch, char out[18]);

#endif
