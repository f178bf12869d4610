#define _POSIX_C_SOURCE 200809L
#include "pdf/pdfa.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf_doc.h>
#include <hpdf_encrypt.h>

#include "base/util.h"
#include "pdf/hpdfx.h"
#include "pdf/xmp.h"

const char *const nb_icc_paths[] = {
    "/usr/share/color/icc/ghostscript/srgb.icc",                        /* libgs-common */
    "/usr/share/texlive/texmf-dist/tex/generic/colorprofiles/sRGB.icc", /* texlive-base */
    "/usr/share/color/icc/colord/sRGB.icc",                             /* colord-data */
    NULL,
};

void nb_pdf_date(long long epoch, char out[18]) {
  nb_utc_date(epoch, "D:%Y%m%d%H%M%SZ", "D:19700101000000Z", out, 18);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What ISO 19005-2 6.2.3 asks of an output intent's profile, checked on the header: a
 * whole ICC file, display or output class, RGB (the colour model of our content),
 * version below 5. */
static const char *icc_problem(const unsigned char *p, size_t n) {
  if (n < 132 || memcmp(p + 36, "acsp", 4)) return "not an ICC profile";
  if (be32(p) != n) return "its size does not match its header";
  if (memcmp(p + 12, "mntr", 4) && memcmp(p + 12, "prtr", 4)) return "not a display profile";
  if (memcmp(p + 16, "RGB ", 4)) return "not an RGB profile";
  if (p[8] >= 5) return "ICC version 5 or later";
  return NULL;
}

static char *load_icc(size_t *n, const char **used, nb_diags *d) {
  const char *env = getenv("NIANBAO_ICC_PROFILE");
  for (int i = -1; i < 0 || nb_icc_paths[i]; i++) {
    const char *path = i < 0 ? env : nb_icc_paths[i];
    if (!path || !*path) continue;
    char *p = nb_read_file(path, n);
    if (!p) {
      if (i < 0) nb_error(d, ((nb_pos){path, 0, 0}), "cannot read the ICC profile");
      if (i < 0) return NULL;
      continue;
    }
    const char *why = icc_problem((const unsigned char *)p, *n);
    if (!why) {
      *used = path;
      return p;
    }
    free(p);
    /* a profile asked for by name must be right; a wrong one found by search is skipped */
    if (i < 0) {
      nb_error(d, ((nb_pos){path, 0, 0}), "unusable PDF/A output profile: %s", why);
      return NULL;
    }
  }
  nb_error(d, ((nb_pos){0}),
           "PDF/A needs an sRGB ICC profile and none was found (install the Debian package "
           "libgs-common, set NIANBAO_ICC_PROFILE, or build with --pdfa none)");
  return NULL;
}

/* /OutputIntents [<< /S /GTS_PDFA1 /DestOutputProfile … >>] (ISO 19005-2 6.2.3): the
 * colour space that DeviceRGB and DeviceGray content means. */
static int output_intent(HPDF_Doc pdf, nb_diags *d) {
  size_t n = 0;
  const char *used = NULL;
  char *icc = load_icc(&n, &used, d);
  if (!icc) return 0;
  int ok = 0;
  HPDF_Dict prof, oi;
  HPDF_Array arr;
  NEW(prof, HPDF_DictStream_New(pdf->mmgr, pdf->xref));
  prof->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  TRY(HPDF_Stream_Write(prof->stream, (const HPDF_BYTE *)icc, (HPDF_UINT)n));
  TRY(HPDF_Dict_AddNumber(prof, "N", 3));
  NEW(oi, HPDF_Dict_New(pdf->mmgr));
  NEW(arr, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(pdf->catalog, "OutputIntents", arr));
  TRY(HPDF_Array_Add(arr, oi));
  TRY(HPDF_Dict_AddName(oi, "Type", "OutputIntent"));
  TRY(HPDF_Dict_AddName(oi, "S", "GTS_PDFA1"));
  /* the characterization's name in the ICC registry: the file may be any sRGB profile */
  TRY(HPDF_Dict_Add(oi, "OutputConditionIdentifier",
                    HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL)));
  TRY(HPDF_Dict_Add(oi, "RegistryName", HPDF_String_New(pdf->mmgr, "http://www.color.org", NULL)));
  TRY(HPDF_Dict_Add(oi, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL)));
  TRY(HPDF_Dict_Add(oi, "DestOutputProfile", prof));
  ok = 1;
  goto done;
fail:
  nb_error(d, ((nb_pos){used, 0, 0}), "PDF writer: libharu error 0x%04lX adding the output intent",
           (unsigned long)HPDF_GetError(pdf));
  HPDF_ResetError(pdf);
done:
  free(icc);
  return ok;
}

/* The file name without folders; PDFDocEncoding-safe for /F (non-ASCII bytes become '_',
 * the exact name is in /UF). */
static void file_names(const char *path, char **uf, char **f) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!*base) base = "source.yaml";
  *uf = nb_xstrdup(base);
  *f = nb_xstrdup(base);
  for (char *p = *f; *p; p++)
    if ((unsigned char)*p < 32 || (unsigned char)*p > 126) *p = '_';
}

/* PDF/A-3 (ISO 19005-3 6.8): the source as an embedded file with /Params, in a file
 * specification with /F, /UF and /AFRelationship, listed in the catalog's /AF and in the
 * EmbeddedFiles name tree so that readers show it as an attachment. */
static int attach_source(HPDF_Doc pdf, const nb_pdfinfo *info, nb_diags *d) {
  size_t n = 0;
  char *data = info->source ? nb_read_file(info->source, &n) : NULL;
  if (!data) {
    nb_error(d, ((nb_pos){info->source, 0, 0}), "cannot read the source to attach to the PDF/A-3");
    return 0;
  }
  char *uf = NULL, *f = NULL, date[18];
  file_names(info->source, &uf, &f);
  nb_pdf_date(info->epoch, date);
  HPDF_BYTE md5[16];
  HPDF_MD5_CTX ctx;
  HPDF_MD5Init(&ctx);
  HPDF_MD5Update(&ctx, (const HPDF_BYTE *)data, (HPDF_UINT32)n);
  HPDF_MD5Final(md5, &ctx);
  int ok = 0;
  HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
  HPDF_Dict ef, params, fs, efd, names, embedded;
  HPDF_Array af, tree;
  NEW(ef, HPDF_DictStream_New(pdf->mmgr, pdf->xref));
  ef->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  TRY(HPDF_Stream_Write(ef->stream, (const HPDF_BYTE *)data, (HPDF_UINT)n));
  TRY(HPDF_Dict_AddName(ef, "Type", "EmbeddedFile"));
  TRY(HPDF_Dict_AddName(ef, "Subtype", "application/x-yaml")); /* written /application#2Fx-yaml */
  NEW(params, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(ef, "Params", params));
  TRY(HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)n));
  TRY(HPDF_Dict_Add(params, "ModDate", HPDF_String_New(pdf->mmgr, date, NULL)));
  TRY(HPDF_Dict_Add(params, "CheckSum", HPDF_Binary_New(pdf->mmgr, md5, 16)));

  NEW(fs, nb_pdf_indirect(pdf));
  TRY(HPDF_Dict_AddName(fs, "Type", "Filespec"));
  TRY(HPDF_Dict_Add(fs, "F", HPDF_String_New(pdf->mmgr, f, NULL)));
  TRY(HPDF_Dict_Add(fs, "UF", HPDF_String_New(pdf->mmgr, uf, utf8)));
  TRY(HPDF_Dict_Add(fs, "Desc", HPDF_String_New(pdf->mmgr, "Source content (YAML)", NULL)));
  TRY(HPDF_Dict_AddName(fs, "AFRelationship", "Source"));
  NEW(efd, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(fs, "EF", efd));
  TRY(HPDF_Dict_Add(efd, "F", ef));
  TRY(HPDF_Dict_Add(efd, "UF", ef));

  NEW(af, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(pdf->catalog, "AF", af));
  TRY(HPDF_Array_Add(af, fs));
  NEW(names, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(pdf->catalog, "Names", names));
  NEW(embedded, HPDF_Dict_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(names, "EmbeddedFiles", embedded));
  NEW(tree, HPDF_Array_New(pdf->mmgr));
  TRY(HPDF_Dict_Add(embedded, "Names", tree));
  TRY(HPDF_Array_Add(tree, HPDF_String_New(pdf->mmgr, f, NULL)));
  TRY(HPDF_Array_Add(tree, fs));
  ok = 1;
  goto done;
fail:
  nb_error(d, ((nb_pos){info->source, 0, 0}),
           "PDF writer: libharu error 0x%04lX attaching the source",
           (unsigned long)HPDF_GetError(pdf));
  HPDF_ResetError(pdf);
done:
  free(uf);
  free(f);
  free(data);
  return ok;
}

/* Printable ASCII only: libharu's own strings (Producer) are bytes, not UTF-8 */
static const char *ascii_or(const char *s, const char *dflt) {
  if (!s) return dflt;
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p < 32 || (unsigned char)*p > 126) return dflt;
  return s;
}

int nb_pdfa_finish(HPDF_Doc pdf, const nb_pdfinfo *info, const char *creator_tool, nb_diags *d) {
  nb_xmp x = {
      .title = info->title,
      .creator = info->author,
      .description = info->subject,
      .keywords = info->keywords,
      .lang = info->lang,
      .epoch = info->epoch,
      .creator_tool = creator_tool,
      .producer = ascii_or(HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER),
                           "Haru Free PDF Library " HPDF_VERSION_TEXT),
      .pdfa_part = info->pdfa == NB_PDFA_2B   ? 2
                   : info->pdfa == NB_PDFA_3B ? 3
                                              : 0,
      .pdfa_conformance = info->pdfa_level == 'A' ? 'A' : 'B',
  };
  if (info->pdfa != NB_PDFA_NONE && !output_intent(pdf, d)) return 0;
  if (info->pdfa == NB_PDFA_3B && !attach_source(pdf, info, d)) return 0;
  size_t n = 0;
  char *xmp = nb_xmp_packet(&x, &n);
  int ok = 0;
  HPDF_Dict md;
  /* uncompressed, so that tools that do not parse PDF still find the packet */
  NEW(md, HPDF_DictStream_New(pdf->mmgr, pdf->xref));
  TRY(HPDF_Dict_AddName(md, "Type", "Metadata"));
  TRY(HPDF_Dict_AddName(md, "Subtype", "XML"));
  TRY(HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)n));
  TRY(HPDF_Dict_Add(pdf->catalog, "Metadata", md));
  ok = 1;
  goto done;
fail:
  nb_error(d, ((nb_pos){0}), "PDF writer: libharu error 0x%04lX adding the XMP metadata",
           (unsigned long)HPDF_GetError(pdf));
  HPDF_ResetError(pdf);
done:
  free(xmp);
  return ok;
}
