/* Hyphenation of Latin-script words with libhyphen and TeX patterns (Debian's hyphen-en-us:
 * /usr/share/hyphen/hyph_en_US.dic, Liang's US English patterns). */
#ifndef NB_HYPHEN_H
#define NB_HYPHEN_H

#include <stddef.h>

/* Minimum characters before and after a hyphen (TeX's \lefthyphenmin, \righthyphenmin). */
enum { NB_HYPHEN_LEFTMIN = 2, NB_HYPHEN_RIGHTMIN = 3, NB_HYPHEN_MINWORD = 5 };

typedef struct nb_hyphenator nb_hyphenator;

/* Loads the patterns of a language: "en" (also "en-US", "en_US", "en-GB" …): the file
 * hyph_<ll>_<RR>.dic, then hyph_<ll>.dic, then for English hyph_en_US.dic ("en" alone is
 * en_US), looked up in $NIANBAO_HYPHEN_DIR (when set and not empty), then in
 * /usr/share/hyphen. NULL when lang is NULL or malformed, or no file is found or loads.
 * One hyphenator may be shared by threads (it is only read after loading). */
nb_hyphenator *nb_hyphen_new(const char *lang);
void nb_hyphen_free(nb_hyphenator *h);

/* The path of the loaded pattern file (owned by h). */
const char *nb_hyphen_path(const nb_hyphenator *h);

/* For a word (UTF-8, letters only), writes into `points` (size n = number of characters,
 * as nb_utf8_count counts them) 1 after each character where a hyphen may break the word
 * and 0 elsewhere, respecting a minimum of 2 characters before and 3 after the break;
 * returns the number of points. Words with capitals after the first letter ("GDP",
 * "iPhone", "McKinsey"), with digits or any other non-letter (apostrophes, hyphens,
 * invalid UTF-8), or with fewer than 5 letters get none (points all 0). A capital first
 * letter is fine ("Government" hyphenates like "government"). h may be NULL (no points).
 * Letters are ASCII, Latin-1 and Latin Extended-A/B; case is folded for ASCII and Latin-1. */
int nb_hyphen_points(nb_hyphenator *h, const char *word, size_t len, unsigned char *points);

#endif
