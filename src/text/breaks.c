/* Line-break opportunities: libunibreak's UAX #14 with the Chinese tailoring of
 * chinese-typography.md §3. Every rule is a look-up in one of the sorted tables below. */
#include "text/breaks.h"

#include "base/util.h"

#include <linebreak.h>
#include <stdlib.h>
#include <threads.h>

_Static_assert(sizeof(utf32_t) == sizeof(uint32_t), "libunibreak reads our text in place");

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- tables (each sorted, searched with bsearch) ---- */

/* Never at line start: GB/T 15834 basic set, ⁈⁉〜 (same use as ‼⁇～), the strict set
 * (——, ……, ⸺ never start a line) and ASCII closers/stops, which the seed uses inside
 * Chinese sentences ("联系(地址:济南市…,邮政编码:…)"). */
static const uint32_t no_start_tab[] = {
    0x0021, 0x0029, 0x002C, 0x002E, 0x003A, 0x003B, 0x003F, 0x005D, 0x007D, /* ! ) , . : ; ? ] } */
    0x00B7,                                                                 /* · */
    0x2013, 0x2014, 0x2019, 0x201D, 0x2026, 0x2027, /* – — ’ ” … ‧ */
    0x203C, 0x2047, 0x2048, 0x2049,                 /* ‼ ⁇ ⁈ ⁉ */
    0x22EF, 0x2E3A, 0x2E3B,                         /* ⋯ ⸺ ⸻ */
    0x3001, 0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, /* 、。〉》」』】〕〗 */
    0x301C, 0x30FB,                                                         /* 〜 ・ */
    0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, /* ！）．，：；？ */
    0xFF3D, 0xFF5D, 0xFF5E,                                 /* ］｝～ */
};

/* Never at line end: GB/T 15834 basic set, ／ (GB style) and ASCII openers. */
static const uint32_t no_end_tab[] = {
    0x0028, 0x005B, 0x007B, 0x2018, 0x201C,                 /* ( [ { ‘ “ */
    0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, /* 〈《「『【〔〖 */
    0xFF08, 0xFF0F, 0xFF3B, 0xFF5B,                         /* （／［｛ */
};

/* Full-width opening brackets: a break before them is always fine (ID ÷ OP); libunibreak's
 * LB30 would keep "1（" together. */
static const uint32_t wide_open_tab[] = {
    0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0xFF08, 0xFF3B, 0xFF5B,
};

/* Marks shared by Chinese and Latin text: CJK or Latin by their neighbours. */
static const uint32_t ambiguous_tab[] = {
    0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2027, 0x22EF, 0x2E3A, 0x2E3B,
};

/* Hyphens, dashes and wave dashes that join digits ("0531-84232793", "1–2", "2021—2023",
 * "9:00～12:00"): a number range stays on one line like a number. */
static const uint32_t digit_joiner_tab[] = {0x002D, 0x2010, 0x2011, 0x2012, 0x2013,
                                            0x2014, 0x301C, 0xFF0D, 0xFF5E};

/* CJK em-grid ranges, inclusive. */
static const uint32_t cjk_ranges[][2] = {
    {0x1100, 0x11FF},   /* Hangul Jamo */
    {0x2E80, 0x2FFF},   /* radicals, Kangxi, ideographic description */
    {0x3000, 0x4DBF},   /* CJK symbols, kana, bopomofo, enclosed, compatibility, Ext A */
    {0x4E00, 0x9FFF},   /* URO */
    {0xA960, 0xA97F},   /* Hangul Jamo Ext A */
    {0xAC00, 0xD7FF},   /* Hangul syllables, Jamo Ext B */
    {0xF900, 0xFAFF},   /* compatibility ideographs */
    {0xFE10, 0xFE1F},   /* vertical forms */
    {0xFE30, 0xFE4F},   /* CJK compatibility forms */
    {0xFF01, 0xFF60},   /* full-width forms */
    {0xFFE0, 0xFFE6},   /* full-width signs */
    {0x1B000, 0x1B16F}, /* kana supplement, small kana */
    {0x20000, 0x3FFFD}, /* planes 2 and 3: Ext B–H, compatibility supplement */
};

static const struct {
  uint32_t cp;
  nb_punct cls;
} punct_tab[] = {
    {0x00B7, NB_PUNCT_MIDDLE}, {0x2014, NB_PUNCT_DASH},   {0x2018, NB_PUNCT_OPEN},
    {0x2019, NB_PUNCT_CLOSE},  {0x201C, NB_PUNCT_OPEN},   {0x201D, NB_PUNCT_CLOSE},
    {0x2026, NB_PUNCT_DASH},   {0x2027, NB_PUNCT_MIDDLE}, {0x203C, NB_PUNCT_EXCL},
    {0x2047, NB_PUNCT_EXCL},   {0x22EF, NB_PUNCT_DASH},   {0x2E3A, NB_PUNCT_DASH},
    {0x2E3B, NB_PUNCT_DASH},   {0x3001, NB_PUNCT_STOP},   {0x3002, NB_PUNCT_STOP},
    {0x3008, NB_PUNCT_OPEN},   {0x3009, NB_PUNCT_CLOSE},  {0x300A, NB_PUNCT_OPEN},
    {0x300B, NB_PUNCT_CLOSE},  {0x300C, NB_PUNCT_OPEN},   {0x300D, NB_PUNCT_CLOSE},
    {0x300E, NB_PUNCT_OPEN},   {0x300F, NB_PUNCT_CLOSE},  {0x3010, NB_PUNCT_OPEN},
    {0x3011, NB_PUNCT_CLOSE},  {0x3014, NB_PUNCT_OPEN},   {0x3015, NB_PUNCT_CLOSE},
    {0x3016, NB_PUNCT_OPEN},   {0x3017, NB_PUNCT_CLOSE},  {0x30FB, NB_PUNCT_MIDDLE},
    {0xFF01, NB_PUNCT_EXCL},   {0xFF08, NB_PUNCT_OPEN},   {0xFF09, NB_PUNCT_CLOSE},
    {0xFF0C, NB_PUNCT_STOP},   {0xFF0E, NB_PUNCT_STOP},   {0xFF1A, NB_PUNCT_STOP},
    {0xFF1B, NB_PUNCT_STOP},   {0xFF1F, NB_PUNCT_EXCL},   {0xFF3B, NB_PUNCT_OPEN},
    {0xFF3D, NB_PUNCT_CLOSE},  {0xFF5B, NB_PUNCT_OPEN},   {0xFF5D, NB_PUNCT_CLOSE},
};

/* Inside URL ranges a break may follow only these (not "_": at a line end it reads as an
 * underline). */
static const char url_break_after[] = "/.@-?&=#";

#define CTX_SPAN 64 /* how far nb_quote_is_cjk looks for a deciding neighbour */

/* ---- look-ups ---- */

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}
static int in_tab(const uint32_t *tab, size_t n, uint32_t cp) {
  return bsearch(&cp, tab, n, sizeof *tab, cmp_u32) != NULL;
}
#define IN(tab, cp) in_tab(tab, COUNT(tab), cp)

int nb_no_line_start(uint32_t cp) { return IN(no_start_tab, cp); }
int nb_no_line_end(uint32_t cp) { return IN(no_end_tab, cp); }

nb_punct nb_punct_class(uint32_t cp) {
  size_t lo = 0, hi = COUNT(punct_tab);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (punct_tab[mid].cp == cp) return punct_tab[mid].cls;
    if (punct_tab[mid].cp < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NB_PUNCT_NONE;
}

int nb_is_cjk(uint32_t cp) {
  size_t lo = 0, hi = COUNT(cjk_ranges);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < cjk_ranges[mid][0])
      hi = mid;
    else if (cp > cjk_ranges[mid][1])
      lo = mid + 1;
    else
      return 1;
  }
  return 0;
}

static int is_space(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == 0xA0; }
static int is_ambiguous(uint32_t cp) { return IN(ambiguous_tab, cp); }

int nb_quote_is_cjk(const uint32_t *text, size_t n, size_t i) {
  if (i >= n) return 0;
  if (!is_ambiguous(text[i])) return nb_is_cjk(text[i]);
  for (size_t j = i, k = 0; j > 0 && k < CTX_SPAN; j--, k++) {
    uint32_t c = text[j - 1];
    if (is_space(c) || is_ambiguous(c)) continue;
    if (nb_is_cjk(c)) return 1;
    break;
  }
  for (size_t j = i + 1, k = 0; j < n && k < CTX_SPAN; j++, k++) {
    uint32_t c = text[j];
    if (is_space(c) || is_ambiguous(c)) continue;
    return nb_is_cjk(c);
  }
  return 0;
}

static int is_digit(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }
/* Letters and digits that make up one unbreakable word or number. */
static int is_word(uint32_t c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || /* Latin-1, Extended-A/B */
         (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}
static int is_quote(uint32_t c) { return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D; }

/* ---- the tailoring ---- */

/* Rules 2–6 of breaks.h for the boundary between text[i] and text[i+1]. */
static unsigned char tailor(const uint32_t *t, size_t n, size_t i, unsigned char brk) {
  uint32_t a = t[i], b = t[i + 1];
  uint32_t prev = i > 0 ? t[i - 1] : 0, next2 = i + 2 < n ? t[i + 2] : 0;

  /* 2. Quotes. CJK: “‘ are OP, ”’ are CL. Latin: QU, glued to both neighbours. */
  if (is_quote(b) && !is_space(a)) {
    int cjk = nb_quote_is_cjk(t, n, i + 1);
    if (!cjk)
      brk = NB_BRK_NONE;
    else if ((b == 0x201C || b == 0x2018) && nb_quote_is_cjk(t, n, i))
      brk = NB_BRK_ALLOW;
  }
  if (is_quote(a)) {
    if (!nb_quote_is_cjk(t, n, i))
      brk = NB_BRK_NONE;
    else if ((a == 0x201D || a == 0x2019) && !is_space(b) &&
             (nb_quote_is_cjk(t, n, i + 1) || is_word(b) || is_quote(b) || IN(wide_open_tab, b)))
      brk = NB_BRK_ALLOW;
  }
  /* 3. Full-width openers can always start a line (no-line-end before them is rule 8). */
  if (IN(wide_open_tab, b)) brk = NB_BRK_ALLOW;
  /* 4. ASCII stops written for their full-width forms after CJK. */
  if ((a == ',' || a == ':' || a == ';' || a == '!' || a == '?') && nb_is_cjk(prev) && !is_space(b))
    brk = NB_BRK_ALLOW;
  /* 5. A solidus joins its neighbours in CJK text ("公里/小时") and between letters or
   *    digits ("GB/T", "km/h"); URLs get their own breaks below. */
  if (a == '/' && (nb_quote_is_cjk(t, n, i + 1) || (i > 0 && nb_quote_is_cjk(t, n, i - 1))))
    brk = NB_BRK_NONE;
  if (a == '/' && is_word(prev) && is_word(b)) brk = NB_BRK_NONE;
  /* 6. Words and numbers; the full-width ones are ID for UAX #14. */
  if (is_word(a) && is_word(b)) brk = NB_BRK_NONE;
  if (a == 0xFF0E && is_digit(prev) && is_digit(b)) brk = NB_BRK_NONE; /* ３．５ */
  if (is_digit(a) && IN(digit_joiner_tab, b) && is_digit(next2)) brk = NB_BRK_NONE;
  if (IN(digit_joiner_tab, a) && is_digit(prev) && is_digit(b)) brk = NB_BRK_NONE;
  return brk;
}

static int url_break_char(uint32_t c) {
  for (const char *p = url_break_after; *p; p++)
    if (c == (uint32_t)(unsigned char)*p) return 1;
  return 0;
}

static uint32_t lower_ascii(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* 7. Breaks inside [s, e): only after url_break_after characters. */
static void url_breaks(const uint32_t *t, size_t s, size_t e, unsigned char *out) {
  for (size_t i = s; i + 1 < e; i++) {
    if (out[i] == NB_BRK_MUST) continue;
    out[i] = NB_BRK_NONE;
    if (i == s || !url_break_char(t[i])) continue;
    if (t[i] == '/' && t[i + 1] == '/') continue; /* inside "//" */
    /* "www.|example" would leave a lonely "www." at the line end */
    if (t[i] == '.' && i >= s + 3 && lower_ascii(t[i - 3]) == 'w' && lower_ascii(t[i - 2]) == 'w' &&
        lower_ascii(t[i - 1]) == 'w' && (i == s + 3 || t[i - 4] == '/'))
      continue;
    out[i] = NB_BRK_ALLOW;
  }
}

static once_flag lb_once = ONCE_FLAG_INIT;

void nb_breaks(const uint32_t *text, size_t n, const size_t (*url_ranges)[2], size_t nurl,
               unsigned char *out) {
  if (!n) return;
  call_once(&lb_once, init_linebreak);
  /* 1. UAX #14. uint32_t and utf32_t are both unsigned int on our targets. */
  set_linebreaks_utf32((const utf32_t *)text, n, "zh", (char *)out);
  for (size_t i = 0; i < n; i++) {
    char c = (char)out[i];
    out[i] = c == LINEBREAK_MUSTBREAK    ? NB_BRK_MUST
             : c == LINEBREAK_ALLOWBREAK ? NB_BRK_ALLOW
                                         : NB_BRK_NONE;
  }
  for (size_t i = 0; i + 1 < n; i++)
    if (out[i] != NB_BRK_MUST) out[i] = tailor(text, n, i, out[i]);
  for (size_t r = 0; url_ranges && r < nurl; r++) {
    size_t s = url_ranges[r][0], e = NB_MIN(url_ranges[r][1], n);
    if (s < e) url_breaks(text, s, e, out);
  }
  /* 8. The prohibitions hold whatever the rules above said. */
  for (size_t i = 0; i + 1 < n; i++) {
    if (out[i] != NB_BRK_ALLOW) continue;
    if (nb_no_line_start(text[i + 1]) || is_space(text[i + 1])) {
      out[i] = NB_BRK_NONE;
      continue;
    }
    size_t j = i;
    while (j > 0 && is_space(text[j])) j--;
    if (nb_no_line_end(text[j])) out[i] = NB_BRK_NONE;
  }
  out[n - 1] = NB_BRK_MUST;
}
