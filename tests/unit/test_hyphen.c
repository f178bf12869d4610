/* English hyphenation with libhyphen (src/text/hyphen.c). The expected breaks are what
 * Debian's hyphen-en-us patterns (hyph_en_US.dic, Liang's US patterns) give with
 * \lefthyphenmin=2 and \righthyphenmin=3. */
#define _POSIX_C_SOURCE 200809L
#include "base/util.h"
#include "harness.h"
#include "text/hyphen.h"

#include <stdlib.h>
#include <unistd.h>

#define SYSTEM_DIC "/usr/share/hyphen/hyph_en_US.dic"

/* The word with "-" at every point, or "(count mismatch)" when the return value is not the
 * number of points, or "(stray)" when a point is set outside 0 … n-1 (the buffer has
 * guard bytes). */
static const char *hy(nb_hyphenator *h, const char *w) {
  static char res[512];
  unsigned char pts[256 + 8];
  size_t len = strlen(w), n = nb_utf8_count(w, len);
  memset(pts, 0xAA, sizeof pts);
  int c = nb_hyphen_points(h, w, len, pts);
  for (size_t i = n; i < n + 8; i++)
    if (pts[i] != 0xAA) return "(stray)";
  const char *p = w, *e = w + len;
  size_t k = 0;
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    const char *q = p;
    nb_utf8_next(&p, e);
    memcpy(res + k, q, (size_t)(p - q));
    k += (size_t)(p - q);
    if (pts[i] > 1) return "(not cleared)";
    if (pts[i]) res[k++] = '-', count++;
  }
  res[k] = 0;
  return c == count ? res : "(count mismatch)";
}

static void write_file(const char *path, const char *text) {
  CHECK(nb_write_file(path, text, strlen(text)));
}

static void test_english(void) {
  nb_hyphenator *h = nb_hyphen_new("en");
  CHECK(h != NULL);
  if (!h) return;
  CHECK_STR(nb_hyphen_path(h), SYSTEM_DIC);

  /* Known words: what the US patterns give. */
  CHECK_STR(hy(h, "information"), "in-for-ma-tion");
  CHECK_STR(hy(h, "government"), "gov-ern-ment");
  CHECK_STR(hy(h, "disclosure"), "dis-clo-sure");
  CHECK_STR(hy(h, "administrative"), "ad-min-is-tra-tive");
  CHECK_STR(hy(h, "reconsideration"), "re-con-sid-er-a-tion");
  CHECK_STR(hy(h, "regulations"), "reg-u-la-tions");
  CHECK_STR(hy(h, "procurement"), "pro-cure-ment");
  CHECK_STR(hy(h, "implementation"), "im-ple-men-ta-tion");
  CHECK_STR(hy(h, "standardization"), "stan-dard-iza-tion");
  CHECK_STR(hy(h, "supervision"), "su-per-vi-sion");
  CHECK_STR(hy(h, "hyphenation"), "hy-phen-ation"); /* Liang's famous miss */
  CHECK_STR(hy(h, "transparency"), "trans-parency");
  CHECK_STR(hy(h, "district"), "dis-trict");
  CHECK_STR(hy(h, "table"), "ta-ble"); /* five letters: the shortest that can break */

  /* \lefthyphenmin=2: the patterns allow a-ban-don; \righthyphenmin=3: need-ed. */
  CHECK_STR(hy(h, "abandon"), "aban-don");
  CHECK_STR(hy(h, "needed"), "needed");
  CHECK_STR(hy(h, "eager"), "ea-ger");

  /* Short words: none, even where a pattern would match. */
  CHECK_STR(hy(h, "data"), "data");
  CHECK_STR(hy(h, "rule"), "rule");
  CHECK_STR(hy(h, "the"), "the");
  CHECK_STR(hy(h, "a"), "a");
  CHECK_STR(hy(h, ""), "");

  /* Case: a capital first letter hyphenates like the lower-case word; capitals inside
   * (acronyms, all caps, camel case) get none. */
  CHECK_STR(hy(h, "Government"), "Gov-ern-ment");
  CHECK_STR(hy(h, "Information"), "In-for-ma-tion");
  CHECK_STR(hy(h, "Disclosure"), "Dis-clo-sure");
  CHECK_STR(hy(h, "Jinan"), "Ji-nan");
  CHECK_STR(hy(h, "INFORMATION"), "INFORMATION");
  CHECK_STR(hy(h, "GovernMent"), "GovernMent");
  CHECK_STR(hy(h, "iPhone"), "iPhone");
  CHECK_STR(hy(h, "McKinsey"), "McKinsey");

  /* Digits and other non-letters: none (and the points are still cleared). */
  CHECK_STR(hy(h, "2019s"), "2019s");
  CHECK_STR(hy(h, "information2"), "information2");
  CHECK_STR(hy(h, "People's"), "People's");
  CHECK_STR(hy(h, "e-mail"), "e-mail"); /* its own hyphen, not a point */
  CHECK_STR(hy(h, "information,"), "information,");
  CHECK_STR(hy(h, "government\xe2\x80\x99s"), "government\xe2\x80\x99s"); /* government’s */
  CHECK_STR(hy(h, "infor\xffmation"), "infor\xffmation");                 /* invalid UTF-8 */

  /* Non-ASCII letters: points are per character, not per byte (coöperation). */
  CHECK_STR(hy(h, "co\xc3\xb6peration"), "co\xc3\xb6per-a-tion");
  CHECK_STR(hy(h, "cooperation"), "co-op-er-a-tion");

  /* len is honoured: only "government" of "governments" */
  unsigned char pts[16];
  memset(pts, 0xAA, sizeof pts);
  CHECK_INT(nb_hyphen_points(h, "governments", 10, pts), 2);
  CHECK_INT(pts[2], 1);
  CHECK_INT(pts[9], 0);
  CHECK_INT(pts[10], 0xAA);

  /* Every word of a sentence keeps two characters before and three after each point. */
  const char *words[] = {"people",      "governments",      "openness",
                         "transparent", "evaluation",       "accountability",
                         "engagement",  "reconsiderations", "assessment"};
  for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
    size_t n = strlen(words[w]);
    memset(pts, 0, sizeof pts);
    nb_hyphen_points(h, words[w], n, pts);
    CHECK_INT(pts[0], 0);
    CHECK_INT(pts[n - 1] + pts[n - 2] + pts[n - 3], 0);
  }
  nb_hyphen_free(h);

  /* Other spellings of English find the same patterns; en-GB falls back to en_US. */
  const char *langs[] = {"en-US", "en_US", "EN", "en-us", "en-GB"};
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
    h = nb_hyphen_new(langs[i]);
    CHECK(h != NULL);
    if (h) CHECK_STR(hy(h, "government"), "gov-ern-ment");
    nb_hyphen_free(h);
  }
}

static void test_missing(const char *dir) {
  /* Nothing to load: no language, a malformed one, one without patterns. */
  CHECK(nb_hyphen_new(NULL) == NULL);
  CHECK(nb_hyphen_new("") == NULL);
  CHECK(nb_hyphen_new("e") == NULL);
  CHECK(nb_hyphen_new("english") == NULL);
  CHECK(nb_hyphen_new("en-") == NULL);
  CHECK(nb_hyphen_new("en-USA") == NULL);
  CHECK(nb_hyphen_new("../en") == NULL);
  CHECK(nb_hyphen_new("en/../../x") == NULL);
  setenv("NIANBAO_HYPHEN_DIR", dir, 1); /* empty so far */
  CHECK(nb_hyphen_new("xx") == NULL);
  CHECK(nb_hyphen_new("xx-YY") == NULL);
  setenv("NIANBAO_HYPHEN_DIR", "/nonexistent/nianbao-hyphen", 1);
  CHECK(nb_hyphen_new("xx") == NULL);
  unsetenv("NIANBAO_HYPHEN_DIR");

  /* No hyphenator (a missing dictionary): no points, but the points are cleared. */
  CHECK_STR(hy(NULL, "government"), "government");
  unsigned char pts[4] = {9, 9, 9, 9};
  CHECK_INT(nb_hyphen_points(NULL, "abc", 3, pts), 0);
  CHECK_INT(pts[0] + pts[1] + pts[2], 0);
  CHECK_INT(nb_hyphen_points(NULL, NULL, 0, pts), 0);
  nb_hyphen_free(NULL);
}

static void test_env_dir(const char *dir) {
  /* $NIANBAO_HYPHEN_DIR comes before /usr/share/hyphen. A pattern file that allows a break
   * after every "a", with hyphenmins of 1: ours still keep 2 before and 3 after. */
  char path[512];
  snprintf(path, sizeof path, "%s/hyph_xx.dic", dir);
  write_file(path, "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\na1\n");
  setenv("NIANBAO_HYPHEN_DIR", dir, 1);
  nb_hyphenator *h = nb_hyphen_new("xx");
  CHECK(h != NULL);
  if (h) {
    CHECK_STR(nb_hyphen_path(h), path);
    CHECK_STR(hy(h, "aaaaaaa"), "aa-a-a-aaa");
    CHECK_STR(hy(h, "babababab"), "ba-ba-ba-bab");
    CHECK_STR(hy(h, "Baaaaa"), "Ba-a-aaa");
    CHECK_STR(hy(h, "aaaa"), "aaaa");
  }
  nb_hyphen_free(h);
  /* xx-YY: no hyph_xx_YY.dic, so hyph_xx.dic. */
  h = nb_hyphen_new("xx-YY");
  CHECK(h != NULL);
  if (h) CHECK_STR(nb_hyphen_path(h), path);
  nb_hyphen_free(h);

  /* An English file there wins over the system's. */
  char en[512];
  snprintf(en, sizeof en, "%s/hyph_en_US.dic", dir);
  write_file(en, "UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\nn1\n");
  h = nb_hyphen_new("en");
  CHECK(h != NULL);
  if (h) {
    CHECK_STR(nb_hyphen_path(h), en);
    CHECK_STR(hy(h, "information"), "in-formation");
  }
  nb_hyphen_free(h);
  remove(en);
  remove(path);

  /* An empty variable is no directory. */
  setenv("NIANBAO_HYPHEN_DIR", "", 1);
  h = nb_hyphen_new("en");
  CHECK(h != NULL);
  if (h) CHECK_STR(nb_hyphen_path(h), SYSTEM_DIC);
  nb_hyphen_free(h);
  unsetenv("NIANBAO_HYPHEN_DIR");
}

int main(void) {
  unsetenv("NIANBAO_HYPHEN_DIR");
  char dir[] = "/tmp/nb_hyphen_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  if (access(SYSTEM_DIC, R_OK) == 0)
    test_english();
  else
    fprintf(stderr, "note: %s missing (install hyphen-en-us): English checks skipped\n",
            SYSTEM_DIC);
  test_missing(dir);
  test_env_dir(dir);
  rmdir(dir);
  TEST_MAIN_END();
}
