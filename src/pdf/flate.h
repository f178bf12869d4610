/* Stream compression at zlib's best level. libharu deflates its streams at zlib's default
 * level 6 and removes any /Filter of a stream it does not compress itself, so this module
 * compresses a stream's data itself just before libharu writes the stream, and writes the
 * /Filter key through the dictionary's write hook. */
#ifndef NB_PDF_FLATE_H
#define NB_PDF_FLATE_H

#include <stddef.h>

#include <hpdf.h>

/* Marks every Flate stream in pdf's xref (page contents, fonts, CMaps, PNG images, ICC
 * profiles, attachments) for recompression at level 9 when the document is saved. Call
 * once, right before nb_pdf_save, after the last object is added. Streams whose
 * compression fails are left to libharu, which then compresses them as usual. */
void nb_pdf_flate_best(HPDF_Doc pdf);

/* Declares stream dict d's data as already Flate-compressed (by nb_deflate, or taken from
 * the cache): libharu writes it as it is, with /Filter /FlateDecode, and
 * nb_pdf_flate_best leaves it alone. */
void nb_pdf_mark_flated(HPDF_Dict d);

/* Deflates `len` bytes at level 9 (zlib format). Returns a malloc'd buffer and its size in
 * *out_len, or NULL when zlib fails. */
unsigned char *nb_deflate(const void *data, size_t len, size_t *out_len);

#endif
