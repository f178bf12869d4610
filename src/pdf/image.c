#include "pdf/image.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <png.h>

HPDF_Image nb_pdf_load_png(HPDF_Doc pdf, const char *path, nb_diags *d) {
  png_image im;
  memset(&im, 0, sizeof im);
  im.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&im, path)) {
    nb_error(d, ((nb_pos){path, 0, 0}), "cannot read this PNG image: %s", im.message);
    return NULL;
  }
  /* 8-bit sRGB output: libpng scales 16-bit samples, expands palettes and turns tRNS into
   * alpha; a tRNS-less grey image stays grey */
  int color = (im.format & PNG_FORMAT_FLAG_COLOR) != 0;
  int alpha = (im.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  im.format = (color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0);
  size_t ch = (size_t)(color ? 3 : 1) + (size_t)alpha, w = im.width, h = im.height;
  if (!w || !h || w > 100000 || h > 100000) { /* a broken header; also keeps w*h*ch small */
    png_image_free(&im);
    nb_error(d, ((nb_pos){path, 0, 0}), "PNG image of unusable size %zux%zu", w, h);
    return NULL;
  }
  png_bytep px = malloc(w * h * ch);
  if (!px || !png_image_finish_read(&im, NULL, px, 0, NULL)) {
    nb_error(d, ((nb_pos){path, 0, 0}), "cannot decode this PNG image: %s",
             px ? im.message : "out of memory");
    png_image_free(&im);
    free(px);
    return NULL;
  }
  png_image_free(&im);
  HPDF_Image img = NULL, mask = NULL;
  unsigned char *colour = px, *a = NULL;
  int translucent = 0;
  if (alpha) {
    /* split the interleaved alpha off into the soft mask */
    size_t cc = ch - 1, n = w * h;
    colour = malloc(n * cc);
    a = malloc(n);
    if (!colour || !a) {
      nb_error(d, ((nb_pos){path, 0, 0}), "out of memory decoding the PNG image");
      goto done;
    }
    for (size_t i = 0; i < n; i++) {
      memcpy(colour + i * cc, px + i * ch, cc);
      a[i] = px[i * ch + cc];
      translucent |= a[i] != 255;
    }
  }
  img = HPDF_LoadRawImageFromMem(pdf, colour, (HPDF_UINT)w, (HPDF_UINT)h,
                                 color ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
  if (img && translucent) {
    mask = HPDF_LoadRawImageFromMem(pdf, a, (HPDF_UINT)w, (HPDF_UINT)h, HPDF_CS_DEVICE_GRAY, 8);
    if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK) img = NULL;
  }
  if (!img) {
    nb_error(d, ((nb_pos){path, 0, 0}), "PDF writer: libharu error 0x%04lX embedding the image",
             (unsigned long)HPDF_GetError(pdf));
    HPDF_ResetError(pdf);
  }
done:
  if (colour != px) free(colour);
  free(a);
  free(px);
  return img;
}
