/* Line-break opportunities for Chinese text: UAX #14 (libunibreak, language "zh") plus the
 * tailoring of chinese-typography.md §3 (GB/T 15834 prohibitions, strict set for ——/……),
 * and the character classes the justifier needs (§4, §6, §7). */
#ifndef NB_BREAKS_H
#define NB_BREAKS_H

#include <stddef.h>
#include <stdint.h>

enum { NB_BRK_NONE = 0, NB_BRK_ALLOW = 1, NB_BRK_MUST = 2 };

/* out[i] = break opportunity between text[i] and text[i+1]; out[n-1] (end of text) is
 * NB_BRK_MUST. Hard line breaks (LF, CR, U+2028...) give NB_BRK_MUST after them.
 * url_ranges (may be NULL) lists nurl [start,end) index ranges that are URLs or e-mail
 * addresses: inside them a break is allowed only after / . @ - ? & = #, never after the
 * first character, never inside "//", and not after the dot of a leading "www.". Those
 * breaks are plain NB_BRK_ALLOW; the caller penalises them.
 * Rules, in order (later ones win):
 *  1. libunibreak with "zh" (it already treats “‘ as OP and ”’ as CL).
 *  2. Quotes by context (nb_quote_is_cjk): in CJK text “‘ break like OP (break allowed
 *     before them after CJK) and ”’ like CL (break allowed after them); in Latin text they
 *     are UAX #14 QU again (no break on either side except after a space), so "don’t" holds.
 *  3. A full-width opening bracket may always be preceded by a break ("第1（", "APP（").
 *  4. ASCII , : ; ! ? directly after CJK act as their full-width forms: break allowed after
 *     them even before digits ("邮政编码:|251400").
 *  5. No break after / when a neighbour is CJK ("公里/小时") or when letters or digits are
 *     on both sides ("GB/T").
 *  6. Words and numbers never split, full-width letters and digits included ("２０１９");
 *     digits joined by a hyphen, dash or wave dash (phone numbers, ranges) never split
 *     ("0531-84232793", "2021—2023", "9:00～12:00").
 *  7. URL ranges as above.
 *  8. Always, whatever came before: no break before a nb_no_line_start() character or
 *     before a space, no break after a nb_no_line_end() character (trailing spaces are
 *     looked through). */
void nb_breaks(const uint32_t *text, size_t n, const size_t (*url_ranges)[2], size_t nurl,
               unsigned char *out);

/* Punctuation classes for width adjustment (chinese-typography.md §4, clreq/jlreq):
 *  NB_PUNCT_OPEN   （《〈【〔〖「『［｛“‘  ink in the right half; left half adjustable
 *  NB_PUNCT_CLOSE  ）》〉】〕〗」』］｝”’  ink in the left half; right half adjustable
 *  NB_PUNCT_STOP   。．，、；：          ink lower-left; right half adjustable
 *  NB_PUNCT_EXCL   ！？‼⁇               like STOP, but kept full width in some styles
 *  NB_PUNCT_MIDDLE ·・‧                  ink centred; both quarters adjustable
 *  NB_PUNCT_DASH   —…⋯⸺⸻               never compressed
 *  NB_PUNCT_NONE   anything else
 * The class says nothing about context: “” in Latin text are still OPEN/CLOSE; ask
 * nb_quote_is_cjk() first. */
typedef enum {
  NB_PUNCT_NONE,
  NB_PUNCT_OPEN,
  NB_PUNCT_CLOSE,
  NB_PUNCT_STOP,
  NB_PUNCT_EXCL,
  NB_PUNCT_MIDDLE,
  NB_PUNCT_DASH
} nb_punct;
nb_punct nb_punct_class(uint32_t cp);

/* 1 for characters set on the CJK em grid by themselves: ideographs (URO, Ext A–H,
 * compatibility), radicals, kana, bopomofo, hangul, CJK symbols U+3000–303F, enclosed and
 * compatibility blocks, vertical/compatibility forms, full-width forms U+FF01–FF60 and
 * U+FFE0–FFE6. 0 for the ambiguous marks “”‘’—…⋯⸺⸻·‧ (see nb_quote_is_cjk) and the rest. */
int nb_is_cjk(uint32_t cp);
/* Whether text[i] is set as CJK. For the ambiguous marks above: CJK when the nearest
 * neighbour on either side that is neither a space nor another ambiguous mark is CJK
 * (looking at most 64 characters each way); Latin otherwise. For any other character this
 * is nb_is_cjk(text[i]). */
int nb_quote_is_cjk(const uint32_t *text, size_t n, size_t i);

/* Characters that must never start / end a line (for tests and for the pagination of
 * tables). Start: the GB/T 15834 basic set 、。，．：；！？‼⁇”’）》〉】〕〗」』］｝～–·・‧ plus
 * ⁈⁉〜, the strict set — … ⋯ ⸺ ⸻, and ASCII ) ] } , . : ; ! ? (used in Chinese sentences).
 * End: “‘（《〈【〔〖「『［｛, ／ (GB style) and ASCII ( [ {. */
int nb_no_line_start(uint32_t cp);
int nb_no_line_end(uint32_t cp);

#endif
