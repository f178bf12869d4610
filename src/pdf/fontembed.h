/* Font embedding: one subset of one face, written through libharu's object API as a
 * Type0 font with Identity-H encoding (2-byte codes), a CIDFontType0 (bare CFF) or
 * CIDFontType2 (TrueType) descendant, widths and a ToUnicode CMap.
 *
 * Usage: nb_embfont_new, nb_embfont_use for every glyph drawn, nb_embfont_write once
 * all pages are laid out, then nb_embfont_code to get the codes to put in content
 * streams. */
#ifndef NB_PDF_FONTEMBED_H
#define NB_PDF_FONTEMBED_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>
#include <hb.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "base/cache.h"
#include "base/diag.h"

typedef struct nb_embfont nb_embfont;

/* `face` (HarfBuzz face of the font file, for a .ttc the right face index) and `ft`
 * (FreeType face of the same face) are borrowed: owned by the caller and must outlive
 * the embfont. */
nb_embfont *nb_embfont_new(hb_face_t *face, FT_Face ft);

/* Records that glyph `gid` (a glyph ID of the full font) is drawn and stands for the `n`
 * Unicode code points `text` (n may be 0 for a glyph that stands for nothing; several
 * glyphs may share one cluster: then give the text to the first and n=0 to the
 * others). The first mapping recorded for a gid wins; n=0 records no mapping, so a later
 * call with text still fills it in. gid 0 (.notdef) and gids outside the font are
 * ignored: .notdef must never be shown. */
void nb_embfont_use(nb_embfont *e, uint32_t gid, const uint32_t *text, size_t n);

/* Whether the ToUnicode map gives glyph `gid` the text `text` (n code points): 1 when it
 * does, when n is 0, or for a gid not recorded; 0 when the gid was recorded first with
 * other text (one glyph for U+0020 and U+00A0, or for a hidden zero-width space), so that
 * the caller must give this use its own text (ActualText). */
int nb_embfont_maps_to(const nb_embfont *e, uint32_t gid, const uint32_t *text, size_t n);

/* Lets nb_embfont_write take the finished font program (subset, deflated, with its codes)
 * from cache `c` and store it there: `path` and `index` are the font file and face the
 * face was made from, which with the file's size, mtime and inode and the glyph set make
 * the key. The output is the same bytes with or without the cache. `c` is borrowed; NULL
 * (or a NULL path) turns caching off again. */
void nb_embfont_cache(nb_embfont *e, nb_cache *c, const char *path, int index);

/* Subsets the font with hb-subset to the used glyphs and adds to `pdf`: Type0 font
 * (Identity-H, with ToUnicode), CIDFontType0 (bare CFF table as FontFile3
 * /Subtype/CIDFontType0C, codes = CIDs of the subset's charset, which hb-subset keeps
 * equal to the full font's) or CIDFontType2 (TrueType glyf subset as FontFile2,
 * CIDToGIDMap /Identity, codes = new GIDs of the subset), FontDescriptor, W array and a
 * deterministic subset tag (BaseFont "TAG+PSName"). All streams are Flate-compressed.
 * Returns the Type0 font dict (an indirect object in pdf's xref), usable with
 * HPDF_Page_GetLocalFontName(page, dict); NULL with an error diag on failure (libharu's
 * error state is then reset). */
HPDF_Dict nb_embfont_write(nb_embfont *e, HPDF_Doc pdf, nb_diags *d);

/* After nb_embfont_write: the 2-byte code to write in content streams for a used gid
 * (0 for a gid that was not recorded before the write). */
uint16_t nb_embfont_code(const nb_embfont *e, uint32_t gid);

/* Number of distinct glyphs recorded by nb_embfont_use (without .notdef, and without the
 * space glyph that nb_embfont_write adds to every subset). */
size_t nb_embfont_glyph_count(const nb_embfont *e);

void nb_embfont_free(nb_embfont *e);

#endif
