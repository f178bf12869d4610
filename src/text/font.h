/* Fonts: finding a face by family name or file, loading it once (mapped, not copied) and
 * choosing, per character, the first face of a fallback list that really has the glyph. */
#ifndef NB_FONT_H
#define NB_FONT_H

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <stdint.h>

#include "style/style.h"

typedef struct nb_font {
  int id; /* index in the font database, stable for a run */
  char *path;
  int index; /* face index in a collection */
  char *family, *psname;
  int bold; /* the face itself is bold */
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *hb; /* scale = upem, so advances come in font units */
  FT_Face ft;
  int upem;
  double ascender, descender; /* in em, descender negative */
  int is_cff;
} nb_font;

typedef struct nb_fontdb nb_fontdb;

nb_fontdb *nb_fontdb_new(void);
void nb_fontdb_free(nb_fontdb *db);
/* Resolves "Family", "Family:Bold", "/path/file.ttc#2" or a file in the project's fonts/
 * folder. NULL when nothing of that name exists (fontconfig's substitutes do not count). */
nb_font *nb_fontdb_get(nb_fontdb *db, const char *name);
size_t nb_fontdb_count(const nb_fontdb *db);
nb_font *nb_fontdb_font(const nb_fontdb *db, size_t i);

typedef struct nb_fontpick {
  nb_font *font;
  int synth_bold; /* bold asked for but the face is regular */
  int fallback;   /* found only in the fallback list */
} nb_fontpick;

/* The first face of `list` (then of `fallback`) that has a glyph for `cp`; `bold` prefers
 * each family's bold face. font == NULL when no face has it. */
nb_fontpick nb_fontdb_pick(nb_fontdb *db, const nb_fontlist *list, const nb_fontlist *fallback,
                           int bold, uint32_t cp);
int nb_font_has(const nb_font *f, uint32_t cp);

#endif
