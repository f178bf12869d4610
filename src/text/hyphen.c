/* Hyphenation points with libhyphen (the LibreOffice/Hunspell hyphenator: Liang's algorithm
 * on TeX patterns, converted by substrings.pl). */
#include "text/hyphen.h"

#include "base/util.h"

#include <hyphen.h> /* libhyphen; <> so that this file's own "hyphen.h" is not found */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSTEM_HYPHEN_DIR "/usr/share/hyphen"

struct nb_hyphenator {
  HyphenDict *dict;
  char *path;
};

static int ascii_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* "en", "EN", "en-US", "en_us" → code "en", region "US" (empty when not given). */
static int parse_lang(const char *lang, char code[4], char region[4]) {
  size_t i = 0, k = 0;
  for (; ascii_alpha(lang[i]); i++) {
    if (i >= 3) return 0;
    code[i] = (char)(lang[i] | 0x20);
  }
  if (i < 2) return 0;
  code[i] = 0;
  region[0] = 0;
  if (!lang[i]) return 1;
  if (lang[i] != '-' && lang[i] != '_') return 0;
  for (i++; ascii_alpha(lang[i]); i++, k++) {
    if (k >= 2) return 0;
    region[k] = (char)(lang[i] & ~0x20);
  }
  if (k != 2 || lang[i]) return 0;
  region[k] = 0;
  return 1;
}

static HyphenDict *try_load(const char *dir, const char *name, char **path) {
  if (!dir || !*dir) return NULL;
  nb_buf b = {0};
  nb_buf_printf(&b, "%s/hyph_%s.dic", dir, name);
  FILE *f = fopen(b.s, "rb");
  HyphenDict *d = NULL;
  if (f) {
    /* hnj_hyphen_load would print to stderr itself when the file is missing. */
    d = hnj_hyphen_load_file(f);
    fclose(f);
  }
  if (d) *path = nb_xstrdup(b.s);
  nb_buf_free(&b);
  return d;
}

nb_hyphenator *nb_hyphen_new(const char *lang) {
  char code[4], region[4];
  if (!lang || !parse_lang(lang, code, region)) return NULL;
  /* Bare English means US English: Debian's hyphen-en-us ships hyph_en_US.dic (and
   * hyph_en.dic as a link to it). */
  if (!strcmp(code, "en") && !region[0]) strcpy(region, "US");
  char names[3][8];
  int nnames = 0;
  if (region[0]) snprintf(names[nnames++], sizeof names[0], "%s_%s", code, region);
  snprintf(names[nnames++], sizeof names[0], "%s", code);
  if (!strcmp(code, "en") && strcmp(region, "US"))
    snprintf(names[nnames++], sizeof names[0], "en_US");
  const char *dirs[2] = {getenv("NIANBAO_HYPHEN_DIR"), SYSTEM_HYPHEN_DIR};
  for (int d = 0; d < 2; d++) {
    for (int i = 0; i < nnames; i++) {
      char *path = NULL;
      HyphenDict *dict = try_load(dirs[d], names[i], &path);
      if (dict) {
        nb_hyphenator *h = nb_xcalloc(1, sizeof *h);
        h->dict = dict;
        h->path = path;
        return h;
      }
    }
  }
  return NULL;
}

void nb_hyphen_free(nb_hyphenator *h) {
  if (!h) return;
  hnj_hyphen_free(h->dict);
  free(h->path);
  free(h);
}

const char *nb_hyphen_path(const nb_hyphenator *h) { return h ? h->path : NULL; }

/* Letters: ASCII, Latin-1 (without × ÷), Latin Extended-A and -B. */
static int is_letter(uint32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  if (c >= 0xC0 && c <= 0xFF) return c != 0xD7 && c != 0xF7;
  return c >= 0x100 && c <= 0x24F;
}
static int is_upper(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}
static uint32_t to_lower(uint32_t c) { return is_upper(c) ? c + 0x20 : c; }

int nb_hyphen_points(nb_hyphenator *h, const char *word, size_t len, unsigned char *points) {
  if (!word || !points) return 0;
  const char *p = word, *end = word + len;
  size_t n = nb_utf8_count(word, len);
  memset(points, 0, n);
  if (!h || n < NB_HYPHEN_MINWORD || n > 1000) return 0;

  /* The word in the dictionary's encoding, lower case (the patterns are). */
  int utf8 = h->dict->utf8;
  char *buf = nb_xmalloc(len + 1);
  size_t blen = 0;
  for (size_t i = 0; p < end; i++) {
    uint32_t c = nb_utf8_next(&p, end);
    if (!is_letter(c) || (i > 0 && is_upper(c)) || (!utf8 && c > 0xFF)) {
      free(buf);
      return 0;
    }
    c = to_lower(c);
    if (utf8)
      blen += (size_t)nb_utf8_encode(c, buf + blen);
    else
      buf[blen++] = (char)c;
  }
  buf[blen] = 0;

  char *hyphens = nb_xcalloc(blen + 5, 1);
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  int count = 0;
  /* For UTF-8 dictionaries libhyphen returns `hyphens` indexed by character. */
  if (hnj_hyphen_hyphenate3(h->dict, buf, (int)blen, hyphens, NULL, &rep, &pos, &cut,
                            NB_HYPHEN_LEFTMIN, NB_HYPHEN_RIGHTMIN, 0, 0) == 0) {
    for (size_t i = NB_HYPHEN_LEFTMIN - 1; i + NB_HYPHEN_RIGHTMIN < n; i++) {
      /* An odd value is a break; a non-standard one (Schiff-fahrt) changes the spelling,
       * which a point cannot say: left out. */
      if ((hyphens[i] & 1) && !(rep && rep[i])) {
        points[i] = 1;
        count++;
      }
    }
  }
  if (rep) {
    for (size_t i = 0; i < blen; i++) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
  free(hyphens);
  free(buf);
  return count;
}
