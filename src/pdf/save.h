/* Saving a libharu document as a compact PDF 1.7 file.
 *
 * libharu writes every object at the top level with a classic cross-reference table: in a
 * report, the page, font, outline and annotation dictionaries and the table of 20-byte
 * lines are about a twentieth of the file, uncompressed. This writer keeps libharu's object
 * graph and its serialisation of each object, but packs the objects that are not streams
 * into compressed object streams and ends with a compressed cross-reference stream (PDF
 * 1.5, ISO 32000-1 7.5.7 and 7.5.8), both allowed by PDF/A-2 and PDF/A-3. */
#ifndef NB_PDF_SAVE_H
#define NB_PDF_SAVE_H

#include <stdio.h>

#include <hpdf.h>

/* Writes the whole document to f. Call once, after the last object is added (it adds /Root
 * and /Info to the trailer, as libharu's own save does). Returns 1, or 0 when libharu or the
 * file reports an error. */
int nb_pdf_save(HPDF_Doc pdf, FILE *f);

#endif
