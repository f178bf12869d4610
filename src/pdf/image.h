/* PNG images decoded with libpng rather than libharu: libharu 2.3.0 writes 16-bit PNGs with
 * too little data (MuPDF and Ghostscript report a truncated image). */
#ifndef NB_PDF_IMAGE_H
#define NB_PDF_IMAGE_H

#include <hpdf.h>

#include "base/cache.h"
#include "base/diag.h"

/* Any PNG (palette, grey, RGB, 1 to 16 bits, interlaced, with or without transparency) as
 * an 8-bit DeviceGray or DeviceRGB image, Flate-compressed, with an /SMask (DeviceGray,
 * which PDF/A-2 allows) when some pixel is not opaque. NULL with an error diag when the
 * file cannot be read. The deflated streams come from `cache` when it has them (keyed by
 * the file's path, size, mtime and inode), else are made and stored there; the same bytes
 * either way. `cache` may be NULL. */
HPDF_Image nb_pdf_load_png(HPDF_Doc pdf, const char *path, nb_cache *cache, nb_diags *d);

/* Whether the cache holds the streams of the PNG at `path` as the file is now (same path,
 * size, mtime, inode): then it was decoded completely before, and a check that decodes it
 * only to find damage (nb_image_check) can skip that. 0 without a cache. */
int nb_pdf_png_cached(const char *path);

#endif
