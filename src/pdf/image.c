#include "pdf/image.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <png.h>
#include <zlib.h>

#include "base/util.h"
#include "pdf/flate.h"

/* What the PDF needs of a PNG: its size, colour, and the deflated colour samples and soft
 * mask (NULL when every pixel is opaque). This is what the cache stores. */
typedef struct {
  uint32_t w, h;
  int color;
  unsigned char *z, *mz;
  size_t zlen, mzlen;
} png_streams;

/* Decoding, splitting the alpha off and level-9 deflating cost ~10 ms per megapixel; the
 * cache keeps the result, keyed by the file's version and the libraries' versions. */
#define PNG_FORMAT "nianbao png 1: 8-bit gray/rgb, alpha as smask, zlib 9/9"

static int decode(const char *path, png_streams *o, nb_diags *d) {
  png_image im;
  memset(&im, 0, sizeof im);
  im.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&im, path)) {
    nb_error(d, ((nb_pos){path, 0, 0}), "cannot read this PNG image: %s", im.message);
    return 0;
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
    return 0;
  }
  png_bytep px = malloc(w * h * ch);
  if (!px || !png_image_finish_read(&im, NULL, px, 0, NULL)) {
    nb_error(d, ((nb_pos){path, 0, 0}), "cannot decode this PNG image: %s",
             px ? im.message : "out of memory");
    png_image_free(&im);
    free(px);
    return 0;
  }
  png_image_free(&im);
  int ok = 0;
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
  o->w = (uint32_t)w;
  o->h = (uint32_t)h;
  o->color = color;
  o->z = nb_deflate(colour, w * h * (size_t)(color ? 3 : 1), &o->zlen);
  if (translucent) o->mz = nb_deflate(a, w * h, &o->mzlen);
  ok = o->z && (!translucent || o->mz);
  if (!ok) nb_error(d, ((nb_pos){path, 0, 0}), "cannot compress the PNG image");
done:
  if (colour != px) free(colour);
  free(a);
  free(px);
  return ok;
}

static int png_key(const char *path, nb_buf *k) {
  nb_rec_str(k, PNG_FORMAT);
  nb_rec_str(k, zlibVersion());
  nb_rec_u32(k, png_access_version_number());
  nb_rec_str(k, path);
  return nb_rec_file_stamp(k, path);
}

static void png_value(const png_streams *s, nb_buf *v) {
  nb_rec_u32(v, s->w);
  nb_rec_u32(v, s->h);
  nb_rec_u32(v, (uint32_t)s->color);
  nb_rec_bytes(v, s->z, s->zlen);
  nb_rec_bytes(v, s->mz, s->mz ? s->mzlen : 0);
}

static unsigned char *dup_bytes(const void *p, size_t n) {
  unsigned char *q = nb_xmalloc(n);
  memcpy(q, p, n);
  return q;
}

static int png_from_value(png_streams *s, const void *val, size_t vlen) {
  nb_rec r = {val, (const unsigned char *)val + vlen, 0};
  s->w = nb_rec_get_u32(&r);
  s->h = nb_rec_get_u32(&r);
  s->color = (int)nb_rec_get_u32(&r);
  size_t zl, ml;
  const void *z = nb_rec_get_bytes(&r, &zl), *m = nb_rec_get_bytes(&r, &ml);
  if (r.bad || r.p != r.end || !zl || !s->w || !s->h || s->w > 100000 || s->h > 100000) return 0;
  s->z = dup_bytes(z, zl);
  s->zlen = zl;
  if (ml) {
    s->mz = dup_bytes(m, ml);
    s->mzlen = ml;
  }
  return 1;
}

int nb_pdf_png_cached(const char *path) {
  nb_cache *c = nb_cache_open();
  nb_buf key = {0};
  void *v = NULL;
  size_t vlen;
  png_streams s = {0};
  int ok = c && png_key(path, &key) && nb_cache_get(c, "png", key.s, key.n, &v, &vlen) &&
           png_from_value(&s, v, vlen);
  free(v);
  free(s.z);
  free(s.mz);
  nb_buf_free(&key);
  nb_cache_close(c);
  return ok;
}

/* An image XObject with already deflated samples: the keys in the order libharu's
 * HPDF_LoadRawImageFromMem writes them, /Filter last (nb_pdf_mark_flated). */
static HPDF_Image xobject(HPDF_Doc pdf, uint32_t w, uint32_t h, int color, const void *z,
                          size_t zlen) {
  HPDF_Dict im = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!im) return NULL;
  im->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
  HPDF_STATUS st = HPDF_Dict_AddName(im, "Type", "XObject");
  st |= HPDF_Dict_AddName(im, "Subtype", "Image");
  st |= HPDF_Dict_AddName(im, "ColorSpace", color ? "DeviceRGB" : "DeviceGray");
  st |= HPDF_Dict_AddNumber(im, "Width", (HPDF_INT32)w);
  st |= HPDF_Dict_AddNumber(im, "Height", (HPDF_INT32)h);
  st |= HPDF_Dict_AddNumber(im, "BitsPerComponent", 8);
  st |= HPDF_Stream_Write(im->stream, (const HPDF_BYTE *)z, (HPDF_UINT)zlen);
  if (st != HPDF_OK) return NULL;
  nb_pdf_mark_flated(im);
  return im;
}

HPDF_Image nb_pdf_load_png(HPDF_Doc pdf, const char *path, nb_cache *cache, nb_diags *d) {
  png_streams s = {0};
  nb_buf key = {0}, val = {0};
  int have = 0;
  if (cache && png_key(path, &key)) {
    void *v;
    size_t vlen;
    if (nb_cache_get(cache, "png", key.s, key.n, &v, &vlen)) {
      have = png_from_value(&s, v, vlen);
      free(v);
      if (!have) {
        free(s.z);
        free(s.mz);
        s = (png_streams){0};
      }
    }
  } else
    key.n = 0;
  if (!have && (have = decode(path, &s, d)) && key.n) {
    png_value(&s, &val);
    nb_cache_put(cache, "png", key.s, key.n, val.s, val.n);
  }
  HPDF_Image img = NULL;
  if (have) {
    img = xobject(pdf, s.w, s.h, s.color, s.z, s.zlen);
    if (img && s.mz) {
      HPDF_Image mask = xobject(pdf, s.w, s.h, 0, s.mz, s.mzlen);
      if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK) img = NULL;
    }
    if (!img) {
      nb_error(d, ((nb_pos){path, 0, 0}), "PDF writer: libharu error 0x%04lX embedding the image",
               (unsigned long)HPDF_GetError(pdf));
      HPDF_ResetError(pdf);
    }
  }
  free(s.z);
  free(s.mz);
  nb_buf_free(&key);
  nb_buf_free(&val);
  return img;
}
