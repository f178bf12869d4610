#include "text/font.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include FT_CID_H

#include "base/cache.h"
#include "base/util.h"

typedef struct cached {
  char *name;
  nb_font *font; /* NULL: known to be missing */
} cached;

struct nb_fontdb {
  FT_Library ft;
  VEC(nb_font *) fonts;
  VEC(cached) names;
  int fc_ready;
  /* fontconfig's answers from earlier runs: FcInit and its matching cost ~8 ms a run */
  nb_cache *cache;
  nb_memo *memo;
  int memo_loaded;
};

/* Folders searched by file name before fontconfig: the project's own fonts/ and the TeX
 * Live folder of the Fandol fonts, which fontconfig does not index. */
static const char *font_dirs[] = {"fonts", NB_SOURCE_DIR "/fonts",
                                  "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
                                  "/usr/share/texmf/fonts/opentype/public/fandol"};

nb_fontdb *nb_fontdb_new(void) {
  nb_fontdb *db = nb_xcalloc(1, sizeof *db);
  if (FT_Init_FreeType(&db->ft)) {
    free(db);
    return NULL;
  }
  return db;
}

static void font_free(nb_font *f) {
  if (f->ft) FT_Done_Face(f->ft);
  hb_font_destroy(f->hb);
  hb_face_destroy(f->face);
  hb_blob_destroy(f->blob);
  free(f->path);
  free(f->family);
  free(f->psname);
  free(f);
}

void nb_fontdb_free(nb_fontdb *db) {
  if (!db) return;
  for (size_t i = 0; i < db->fonts.n; i++) font_free(db->fonts.v[i]);
  for (size_t i = 0; i < db->names.n; i++) free(db->names.v[i].name);
  free(db->fonts.v);
  free(db->names.v);
  FT_Done_FreeType(db->ft);
  nb_memo_save(db->memo);
  nb_memo_free(db->memo);
  nb_cache_close(db->cache);
  if (db->fc_ready) FcFini(); /* fontconfig's caches are process-wide: release them */
  free(db);
}

size_t nb_fontdb_count(const nb_fontdb *db) { return db->fonts.n; }
nb_font *nb_fontdb_font(const nb_fontdb *db, size_t i) { return db->fonts.v[i]; }

static int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static nb_font *open_font(nb_fontdb *db, const char *path, int index) {
  for (size_t i = 0; i < db->fonts.n; i++)
    if (db->fonts.v[i]->index == index && !strcmp(db->fonts.v[i]->path, path))
      return db->fonts.v[i];
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
  if (!blob) return NULL;
  nb_font *f = nb_xcalloc(1, sizeof *f);
  f->blob = blob;
  f->path = nb_xstrdup(path);
  f->index = index;
  unsigned len;
  const char *data = hb_blob_get_data(blob, &len);
  /* FreeType reads the same mapped bytes: the font is never copied. */
  if (FT_New_Memory_Face(db->ft, (const FT_Byte *)data, len, index, &f->ft)) {
    font_free(f);
    return NULL;
  }
  f->face = hb_face_create(blob, (unsigned)index);
  f->upem = (int)hb_face_get_upem(f->face);
  f->hb = hb_font_create(f->face);
  hb_font_set_scale(f->hb, f->upem, f->upem);
  f->family = nb_xstrdup(f->ft->family_name ? f->ft->family_name : "");
  const char *ps = FT_Get_Postscript_Name(f->ft);
  f->psname = nb_xstrdup(ps ? ps : "Font");
  f->bold = (f->ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
  hb_blob_t *cff = hb_face_reference_table(f->face, HB_TAG('C', 'F', 'F', ' '));
  f->is_cff = hb_blob_get_length(cff) > 0;
  hb_blob_destroy(cff);
  hb_font_extents_t ext;
  if (hb_font_get_h_extents(f->hb, &ext)) {
    f->ascender = (double)ext.ascender / f->upem;
    f->descender = (double)ext.descender / f->upem;
  } else {
    f->ascender = 0.88;
    f->descender = -0.12;
  }
  f->id = (int)db->fonts.n;
  VEC_PUSH(db->fonts, f);
  return f;
}

static nb_font *by_file_name(nb_fontdb *db, const char *family, int bold) {
  static const char *const reg[] = {"-Regular.otf", "-Regular.ttf", ".otf", ".ttf", ".ttc"};
  static const char *const bld[] = {"-Bold.otf", "-Bold.ttf"};
  const char *const *sfx = bold ? bld : reg;
  size_t nsfx = bold ? 2 : 5;
  if (strchr(family, ' ')) return NULL;
  nb_buf b = {0};
  nb_font *f = NULL;
  for (size_t d = 0; d < sizeof font_dirs / sizeof *font_dirs && !f; d++)
    for (size_t s = 0; s < nsfx && !f; s++) {
      b.n = 0;
      nb_buf_printf(&b, "%s/%s%s", font_dirs[d], family, sfx[s]);
      if (is_file(b.s)) f = open_font(db, b.s, 0);
    }
  nb_buf_free(&b);
  return f;
}

/* The memo of fontconfig's answers is keyed by what changes fontconfig's configuration
 * besides its files (the environment) and holds as witnesses every configuration file and
 * folder and every font folder: installing a font changes a folder's mtime, so the
 * proprietary fonts still win as soon as they are installed. */
static nb_memo *fc_memo(nb_fontdb *db) {
  if (db->memo_loaded) return db->memo;
  db->memo_loaded = 1;
  db->cache = nb_cache_open();
  if (!db->cache) return NULL;
  static const char *const env[] = {"FONTCONFIG_FILE",
                                    "FONTCONFIG_PATH",
                                    "FONTCONFIG_SYSROOT",
                                    "FC_LANG",
                                    "LC_ALL",
                                    "LC_CTYPE",
                                    "LANG",
                                    "HOME",
                                    "XDG_CONFIG_HOME",
                                    "XDG_DATA_HOME",
                                    "XDG_CACHE_HOME"};
  nb_buf k = {0};
  nb_rec_str(&k, "nianbao fontconfig 1");
  nb_rec_u32(&k, (uint32_t)FcGetVersion());
  for (size_t i = 0; i < sizeof env / sizeof *env; i++) nb_rec_str(&k, getenv(env[i]));
  db->memo = nb_memo_load(db->cache, "fc", k.s, k.n);
  nb_buf_free(&k);
  return db->memo;
}

static void fc_witnesses(nb_memo *m) {
  if (!m) return;
  FcConfig *cfg = FcConfigGetCurrent();
  FcStrList *lists[3] = {FcConfigGetConfigFiles(cfg), FcConfigGetConfigDirs(cfg),
                         FcConfigGetFontDirs(cfg)};
  nb_buf b = {0};
  for (int i = 0; i < 3; i++) {
    FcChar8 *s;
    while (lists[i] && (s = FcStrListNext(lists[i]))) {
      nb_memo_witness(m, (const char *)s);
      const char *slash = strrchr((const char *)s, '/');
      if (i == 0 && slash && slash != (const char *)s) { /* a file added beside it */
        b.n = 0;
        nb_buf_add(&b, s, (size_t)(slash - (const char *)s));
        nb_memo_witness(m, b.s);
      }
    }
    if (lists[i]) FcStrListDone(lists[i]);
  }
  /* user configuration that fontconfig reads when it exists */
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  static const char *const user[] = {"/fontconfig", "/fontconfig/conf.d", "/fontconfig/fonts.conf"};
  for (size_t i = 0; i < 3; i++) {
    b.n = 0;
    if (xdg && *xdg)
      nb_buf_printf(&b, "%s%s", xdg, user[i]);
    else if (home && *home)
      nb_buf_printf(&b, "%s/.config%s", home, user[i]);
    if (b.n) nb_memo_witness(m, b.s);
  }
  static const char *const legacy[] = {"/.fonts.conf", "/.fonts.conf.d"};
  for (size_t i = 0; i < 2 && home && *home; i++) {
    b.n = 0;
    nb_buf_printf(&b, "%s%s", home, legacy[i]);
    nb_memo_witness(m, b.s);
  }
  nb_buf_free(&b);
}

static nb_font *by_fontconfig(nb_fontdb *db, const char *family, int bold) {
  nb_buf q = {0};
  nb_buf_printf(&q, "%s%s", family, bold ? ":Bold" : "");
  const char *ans;
  nb_memo *memo = fc_memo(db);
  if (nb_memo_get(memo, q.s, &ans)) { /* "INDEX PATH", or NULL: fontconfig has no such face */
    char *end;
    long index = ans ? strtol(ans, &end, 10) : 0;
    nb_font *f = ans && *end == ' ' ? open_font(db, end + 1, (int)index) : NULL;
    if (f || !ans) {
      nb_buf_free(&q);
      return f;
    }
  } /* unknown, or the file is gone: ask fontconfig */
  if (!db->fc_ready) {
    if (!FcInit()) {
      nb_buf_free(&q);
      return NULL;
    }
    db->fc_ready = 1;
    /* no rescans of the font folders every 30 s: a long run (a fuzzer, a server using the
     * library) keeps the fonts it started with, as a build keeps the faces it chose */
    FcConfigSetRescanInterval(NULL, 0);
    fc_witnesses(memo);
  }
  FcPattern *p = FcPatternCreate();
  FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(p, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcConfigSubstitute(NULL, p, FcMatchPattern);
  FcDefaultSubstitute(p);
  FcResult r;
  FcPattern *m = FcFontMatch(NULL, p, &r);
  nb_font *f = NULL;
  nb_buf a = {0};
  if (m) {
    /* fontconfig answers every query with something: accept only a face whose own
     * family list names what was asked for, and, for bold, a face that is bold. */
    int match = 0, weight = 0;
    FcChar8 *fam;
    for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch; i++)
      if (!strcasecmp((const char *)fam, family)) match = 1;
    FcPatternGetInteger(m, FC_WEIGHT, 0, &weight);
    if (bold && weight < FC_WEIGHT_DEMIBOLD) match = 0;
    FcChar8 *file;
    int index = 0;
    if (match && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
      FcPatternGetInteger(m, FC_INDEX, 0, &index);
      f = open_font(db, (const char *)file, index);
      nb_buf_printf(&a, "%d %s", index, (const char *)file);
    }
    FcPatternDestroy(m);
  }
  FcPatternDestroy(p);
  nb_memo_put(memo, q.s, a.s);
  nb_buf_free(&a);
  nb_buf_free(&q);
  return f;
}

static nb_font *resolve(nb_fontdb *db, const char *name) {
  const char *hash = strrchr(name, '#');
  if (strchr(name, '/')) {
    if (hash) {
      char *path = nb_xstrndup(name, (size_t)(hash - name));
      nb_font *f = is_file(path) ? open_font(db, path, atoi(hash + 1)) : NULL;
      free(path);
      return f;
    }
    return is_file(name) ? open_font(db, name, 0) : NULL;
  }
  const char *colon = strchr(name, ':');
  int bold = colon && !strcasecmp(colon + 1, "Bold");
  char *family = nb_xstrndup(name, colon ? (size_t)(colon - name) : strlen(name));
  nb_font *f = by_file_name(db, family, bold);
  if (!f) f = by_fontconfig(db, family, bold);
  free(family);
  return f;
}

nb_font *nb_fontdb_get(nb_fontdb *db, const char *name) {
  for (size_t i = 0; i < db->names.n; i++)
    if (!strcmp(db->names.v[i].name, name)) return db->names.v[i].font;
  nb_font *f = resolve(db, name);
  VEC_PUSH(db->names, ((cached){nb_xstrdup(name), f}));
  return f;
}

int nb_font_has(const nb_font *f, uint32_t cp) {
  hb_codepoint_t g;
  return hb_font_get_nominal_glyph(f->hb, cp, &g) && g != 0;
}

static nb_fontpick pick_in(nb_fontdb *db, const nb_fontlist *l, int bold, uint32_t cp) {
  nb_buf b = {0};
  nb_fontpick r = {0};
  for (int i = 0; l && i < l->n && !r.font; i++) {
    if (bold && !strchr(l->names[i], ':') && !strchr(l->names[i], '/')) {
      b.n = 0;
      nb_buf_printf(&b, "%s:Bold", l->names[i]);
      nb_font *f = nb_fontdb_get(db, b.s);
      if (f && nb_font_has(f, cp)) {
        r.font = f;
        break;
      }
    }
    nb_font *f = nb_fontdb_get(db, l->names[i]);
    if (f && nb_font_has(f, cp)) {
      r.font = f;
      r.synth_bold = bold && !f->bold;
    }
  }
  nb_buf_free(&b);
  return r;
}

nb_fontpick nb_fontdb_pick(nb_fontdb *db, const nb_fontlist *list, const nb_fontlist *fallback,
                           int bold, uint32_t cp) {
  nb_fontpick r = pick_in(db, list, bold, cp);
  if (!r.font) {
    r = pick_in(db, fallback, bold, cp);
    r.fallback = r.font != NULL;
  }
  return r;
}
