/* Chinese word boundaries, from ICU's dictionary-based word break iterator (UAX #29 with
 * ICU's CJ dictionary). Chinese may break between any two Hanzi, but display text should
 * not: GB/T 9704 7.3.3 asks that a title wrap "词意完整", with its words whole. */
#ifndef NB_WORDS_H
#define NB_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* Sets starts[i] = 1 where a word begins at text[i], for i in 0..n (starts[0] and
 * starts[n] are always 1), 0 elsewhere. Returns 0, with starts all 1, when ICU fails. */
int nb_word_starts(const uint32_t *text, size_t n, unsigned char *starts);

#endif
