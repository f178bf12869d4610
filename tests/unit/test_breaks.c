/* Line-break opportunities and punctuation classes (src/text/breaks.c). */
#include "base/util.h"
#include "harness.h"
#include "text/breaks.h"

#include <stdlib.h>

#define SEED_PATH "/work/shared/seed/jiyang-2019-report.txt"

/* Returns s with "|" at every allowed break and "#" at every mandatory one (except the one at
 * the end of the text). Each string in urls (NULL-terminated, may be NULL) marks its first
 * occurrence in s as a URL range. */
static const char *brk_urls(const char *s, const char *const *urls) {
  static char res[4096];
  size_t n, nurl = 0, ranges[8][2];
  uint32_t *t = nb_utf8_to_u32(s, strlen(s), &n);
  for (; urls && urls[nurl] && nurl < 8; nurl++) {
    const char *p = strstr(s, urls[nurl]);
    if (!p) return "(url not in text)";
    ranges[nurl][0] = nb_utf8_count(s, (size_t)(p - s));
    ranges[nurl][1] = ranges[nurl][0] + nb_utf8_count(urls[nurl], strlen(urls[nurl]));
  }
  unsigned char *out = nb_xmalloc(n + 1);
  nb_breaks(t, n, nurl ? (const size_t(*)[2])ranges : NULL, nurl, out);
  size_t k = 0;
  for (size_t i = 0; i < n && k + 8 < sizeof res; i++) {
    k += (size_t)nb_utf8_encode(t[i], res + k);
    if (i + 1 < n && out[i] == NB_BRK_ALLOW) res[k++] = '|';
    if (i + 1 < n && out[i] == NB_BRK_MUST) res[k++] = '#';
  }
  res[k] = 0;
  if (n) CHECK_INT(out[n - 1], NB_BRK_MUST);
  free(out);
  free(t);
  return res;
}
static const char *brk(const char *s) { return brk_urls(s, NULL); }
static const char *brk_url(const char *s, const char *url) {
  const char *urls[2] = {url, NULL};
  return brk_urls(s, urls);
}

static void test_basic(void) {
  CHECK_STR(brk("政府信息，公开"), "政|府|信|息，|公|开");
  CHECK_STR(brk("公开。政府、信息；工作：情况！好？"),
            "公|开。|政|府、|信|息；|工|作：|情|况！|好？");
  CHECK_STR(brk("甲\n乙"), "甲\n#乙");
  CHECK_STR(brk("国务院令 711号"), "国|务|院|令 |711|号");
  CHECK_STR(brk(""), "");
  CHECK_STR(brk("字"), "字");
}

static void test_quotes(void) {
  CHECK_STR(brk("他说“你好”我们"), "他|说|“你|好”|我|们");
  CHECK_STR(brk("他说：“你好。”然后"), "他|说：|“你|好。”|然|后");
  CHECK_STR(brk("开展“APP”活动"), "开|展|“APP”|活|动");
  CHECK_STR(brk("说“‘好’”吗"), "说|“‘好’”|吗");
  CHECK_STR(brk("“甲”“乙”"), "“甲”|“乙”");
  CHECK_STR(brk("中 “文”"), "中 |“文”");
  /* Latin context: back to UAX #14 QU (libunibreak's "zh" would split "don’|t") */
  CHECK_STR(brk("don’t stop"), "don’t |stop");
  CHECK_STR(brk("“Hello,” she said"), "“Hello,” |she |said");
  CHECK_STR(brk("it’s ‘quoted’ here"), "it’s |‘quoted’ |here");
}

static void test_brackets(void) {
  CHECK_STR(brk("根据《条例》规定"), "根|据|《条|例》|规|定");
  CHECK_STR(brk("（一）主动公开"), "（一）|主|动|公|开");
  CHECK_STR(brk("第1（一）"), "第|1|（一）");
  CHECK_STR(brk("ABC（中文）"), "ABC|（中|文）");
  CHECK_STR(brk("》《"), "》|《");
  CHECK_STR(brk("好。”）然后"), "好。”）|然|后");
  CHECK_STR(brk("【注】〔2019〕〖甲〗「乙」『丙』［丁］｛戊｝〈己〉"),
            "【注】|〔2019〕|〖甲〗|「乙」|『丙』|［丁］|｛戊｝|〈己〉");
}

static void test_dashes(void) {
  CHECK_STR(brk("他——我们"), "他——|我|们");
  CHECK_STR(brk("他⸺我"), "他⸺|我");
  CHECK_STR(brk("等等……然后"), "等|等……|然|后");
  CHECK_STR(brk("等等⋯⋯然后"), "等|等⋯⋯|然|后");
  CHECK_STR(brk("甲——“乙”"), "甲——|“乙”");
  CHECK_STR(brk("1～2天"), "1～2|天");
  CHECK_STR(brk("连续3年（2021—2023年）"), "连|续|3|年|（2021—2023|年）");
  CHECK_STR(brk("9:00—12:00，下午"), "9:00—12:00，|下|午");
  CHECK_STR(brk("甲——乙"), "甲——|乙"); /* —— never starts a line, never splits */
  CHECK_STR(brk("甲……乙"), "甲……|乙");
  CHECK_STR(brk("上午～下午"), "上|午～|下|午");
  CHECK_STR(brk("诺曼·白求恩"), "诺|曼·|白|求|恩");
  CHECK_STR(brk("日・月‧年"), "日・|月‧|年");
  CHECK_STR(brk("第3–5条"), "第|3–5|条");
}

static void test_numbers_words(void) {
  CHECK_STR(brk("2019年1月1日至2019年12月31日"), "2019|年|1|月|1|日|至|2019|年|12|月|31|日");
  CHECK_STR(brk("共12345件"), "共|12345|件");
  CHECK_STR(brk("２０１９年"), "２０１９|年");
  CHECK_STR(brk("ＡＢＣ１２"), "ＡＢＣ１２");
  CHECK_STR(brk("增长３．５％"), "增|长|３．５％");
  CHECK_STR(brk("增长3.5%的"), "增|长|3.5%|的");
  CHECK_STR(brk("1,234,567元"), "1,234,567|元");
  CHECK_STR(brk("使用APP软件"), "使|用|APP|软|件");
  CHECK_STR(brk("Hello world"), "Hello |world");
  CHECK_STR(brk("电话：0531-84232793。"), "电|话：|0531-84232793。");
  CHECK_STR(brk("0531－84232793"), "0531－84232793");
  CHECK_STR(brk("2019-2020年"), "2019-2020|年");
}

static void test_slash(void) {
  CHECK_STR(brk("公里/小时"), "公|里/小|时");
  CHECK_STR(brk("公里／小时"), "公|里|／小|时");
  CHECK_STR(brk("件/次"), "件/次");
  CHECK_STR(brk("参照GB/T 37668—2019《"), "参|照|GB/T |37668—2019|《");
  CHECK_STR(brk("A/B测试"), "A/B|测|试");
}

static void test_ascii_in_chinese(void) {
  CHECK_STR(brk("联系(地址:济南市,邮政编码:251400,电话:0531-84232793)。"),
            "联|系|(地|址:|济|南|市,|邮|政|编|码:|251400,|电|话:|0531-84232793)。");
  CHECK_STR(brk("时间:10:30"), "时|间:|10:30");
}

static void test_urls(void) {
  CHECK_STR(brk("网站（www.jiyang.gov.cn）对"), "网|站|（www.jiyang.gov.cn）|对");
  CHECK_STR(brk_url("网站（www.jiyang.gov.cn）对", "www.jiyang.gov.cn"),
            "网|站|（www.jiyang.|gov.|cn）|对");
  CHECK_STR(brk_url("邮箱:jyqzfbgsxxk@jn.shandong.cn)。", "jyqzfbgsxxk@jn.shandong.cn"),
            "邮|箱:|jyqzfbgsxxk@|jn.|shandong.|cn)。");
  CHECK_STR(brk_url("见https://www.gov.cn/zheng_ce/a-b.htm?id=1&x=2#top。",
                    "https://www.gov.cn/zheng_ce/a-b.htm?id=1&x=2#top"),
            "见|https://|www.gov.|cn/|zheng_ce/|a-|b.|htm?|id=|1&|x=|2#|top。");
  CHECK_STR(brk_url("见WWW.GOV.CN。", "WWW.GOV.CN"), "见|WWW.GOV.|CN。");
  CHECK_STR(brk_url("x/a/b", "/a/b"), "x/a/|b"); /* never after the first character */
  CHECK_STR(brk_url("a/?b", "a/?b"), "a/?|b");   /* ? cannot start a line */
  const char *two[] = {"a.cn", "b.cn", NULL};
  CHECK_STR(brk_urls("甲a.cn乙b.cn", two), "甲|a.|cn|乙|b.|cn");
  /* a range past the end of the text is clamped */
  uint32_t t[] = {'a', '.', 'b', '.', 'c'};
  size_t r[1][2] = {{0, 99}};
  unsigned char out[5];
  nb_breaks(t, 5, (const size_t(*)[2])r, 1, out);
  CHECK_INT(out[1], NB_BRK_ALLOW);
  CHECK_INT(out[3], NB_BRK_ALLOW);
  CHECK_INT(out[4], NB_BRK_MUST);
}

static int ctx(const char *s, size_t i) {
  size_t n;
  uint32_t *t = nb_utf8_to_u32(s, strlen(s), &n);
  int r = nb_quote_is_cjk(t, n, i);
  free(t);
  return r;
}

static void test_classes(void) {
  CHECK_INT(nb_punct_class(0xFF08), NB_PUNCT_OPEN);  /* （ */
  CHECK_INT(nb_punct_class(0x201C), NB_PUNCT_OPEN);  /* “ */
  CHECK_INT(nb_punct_class(0x300B), NB_PUNCT_CLOSE); /* 》 */
  CHECK_INT(nb_punct_class(0x2019), NB_PUNCT_CLOSE); /* ’ */
  CHECK_INT(nb_punct_class(0x3002), NB_PUNCT_STOP);  /* 。 */
  CHECK_INT(nb_punct_class(0xFF1B), NB_PUNCT_STOP);  /* ； */
  CHECK_INT(nb_punct_class(0xFF1A), NB_PUNCT_STOP);  /* ： */
  CHECK_INT(nb_punct_class(0x3001), NB_PUNCT_STOP);  /* 、 */
  CHECK_INT(nb_punct_class(0xFF01), NB_PUNCT_EXCL);  /* ！ */
  CHECK_INT(nb_punct_class(0xFF1F), NB_PUNCT_EXCL);  /* ？ */
  CHECK_INT(nb_punct_class(0x00B7), NB_PUNCT_MIDDLE);
  CHECK_INT(nb_punct_class(0x30FB), NB_PUNCT_MIDDLE);
  CHECK_INT(nb_punct_class(0x2014), NB_PUNCT_DASH);
  CHECK_INT(nb_punct_class(0x2026), NB_PUNCT_DASH);
  CHECK_INT(nb_punct_class(0x22EF), NB_PUNCT_DASH);
  CHECK_INT(nb_punct_class(0x2E3A), NB_PUNCT_DASH);
  CHECK_INT(nb_punct_class(0x4E00), NB_PUNCT_NONE);
  CHECK_INT(nb_punct_class('('), NB_PUNCT_NONE);
  CHECK_INT(nb_punct_class(0xFF5E), NB_PUNCT_NONE);

  CHECK(nb_is_cjk(0x4E2D));  /* 中 */
  CHECK(nb_is_cjk(0x3400));  /* Ext A */
  CHECK(nb_is_cjk(0x20000)); /* Ext B */
  CHECK(nb_is_cjk(0x2B740)); /* Ext D */
  CHECK(nb_is_cjk(0x30000)); /* Ext G */
  CHECK(nb_is_cjk(0xF900));  /* compatibility */
  CHECK(nb_is_cjk(0x2F800)); /* compatibility supplement */
  CHECK(nb_is_cjk(0x3042));  /* あ */
  CHECK(nb_is_cjk(0xAC00));  /* 가 */
  CHECK(nb_is_cjk(0x3000));
  CHECK(nb_is_cjk(0x3002));
  CHECK(nb_is_cjk(0xFF0C));
  CHECK(nb_is_cjk(0xFF10)); /* ０ */
  CHECK(nb_is_cjk(0xFFE5)); /* ￥ */
  CHECK(!nb_is_cjk('A'));
  CHECK(!nb_is_cjk(0x201C));
  CHECK(!nb_is_cjk(0x2014));
  CHECK(!nb_is_cjk(0x00B7));
  CHECK(!nb_is_cjk(0xFF61)); /* half-width forms are not on the grid */
  CHECK(!nb_is_cjk(0x4DC0)); /* Yijing hexagrams */

  CHECK_INT(ctx("中“文”", 1), 1); /* “ after 中 */
  CHECK_INT(ctx("中“文”", 3), 1); /* ” after 文 */
  CHECK_INT(ctx("中“文”", 0), 1); /* 中 itself */
  CHECK_INT(ctx("a“b”c", 1), 0);  /* Latin on both sides */
  CHECK_INT(ctx("a“b”c", 3), 0);
  CHECK_INT(ctx("a——说", 1), 1); /* right neighbour through the other dash */
  CHECK_INT(ctx("说 ·x", 2), 1); /* left neighbour through a space */
  CHECK_INT(ctx("a ” b", 2), 0);
  CHECK_INT(ctx("“”", 0), 0); /* nothing decides: Latin */
  CHECK_INT(ctx("a", 0), 0);
  CHECK_INT(ctx("a", 7), 0); /* out of range */

  CHECK(nb_no_line_start(0x3002) && nb_no_line_start(0xFF0C) && nb_no_line_start(0x201D));
  CHECK(nb_no_line_start(0xFF5E) && nb_no_line_start(0x2013) && nb_no_line_start(0x00B7));
  CHECK(nb_no_line_start(0x2014) && nb_no_line_start(0x2026) && nb_no_line_start(':'));
  CHECK(!nb_no_line_start(0x4E2D) && !nb_no_line_start(0x201C) && !nb_no_line_start('A'));
  CHECK(nb_no_line_end(0x201C) && nb_no_line_end(0xFF08) && nb_no_line_end(0x300A));
  CHECK(nb_no_line_end('(') && nb_no_line_end(0xFF0F));
  CHECK(!nb_no_line_end(0x201D) && !nb_no_line_end(0x3002) && !nb_no_line_end('/'));
}

/* Invariants that must hold for any text. */
static int check_invariants(const uint32_t *t, size_t n, const unsigned char *out) {
  int bad = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    if (out[i] != NB_BRK_ALLOW) continue;
    size_t j = i;
    while (j > 0 && t[j] == ' ') j--;
    int digits = t[i] >= '0' && t[i] <= '9' && t[i + 1] >= '0' && t[i + 1] <= '9';
    if (nb_no_line_start(t[i + 1]) || nb_no_line_end(t[j]) || digits) {
      if (bad++ < 5) fprintf(stderr, "bad break at %zu: U+%04X | U+%04X\n", i, t[i], t[i + 1]);
    }
  }
  return bad;
}

static void test_seed(void) {
  size_t len, n;
  char *s = nb_read_file(SEED_PATH, &len);
  if (!s) {
    printf("seed %s not found, skipping the property test\n", SEED_PATH);
    return;
  }
  uint32_t *t = nb_utf8_to_u32(s, len, &n);
  unsigned char *out = nb_xmalloc(n);
  nb_breaks(t, n, NULL, 0, out);
  CHECK_INT(check_invariants(t, n, out), 0);
  size_t hanzi_pairs = 0, hanzi_breaks = 0, musts = 0, newlines = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    if (t[i] >= 0x4E00 && t[i] <= 0x9FFF && t[i + 1] >= 0x4E00 && t[i + 1] <= 0x9FFF) {
      hanzi_pairs++;
      hanzi_breaks += out[i] == NB_BRK_ALLOW;
    }
    musts += out[i] == NB_BRK_MUST;
    newlines += t[i] == '\n';
  }
  CHECK(hanzi_pairs > 1000);
  CHECK_INT(hanzi_breaks, hanzi_pairs); /* a break between two Hanzi is always allowed */
  CHECK_INT(musts, newlines);
  free(out);
  free(t);
  free(s);
}

/* Random strings over the interesting characters: invariants hold, sanitizers stay quiet. */
static void test_random(void) {
  static const uint32_t alphabet[] = {
      0x4E2D, 0x6587, 0x3002, 0xFF0C, 0x3001, 0x201C, 0x201D, 0x2018,  0x2019, 0xFF08, 0xFF09,
      0x300A, 0x300B, 0x2014, 0x2026, 0x2E3A, 0x00B7, 0xFF5E, 0xFF0F,  0xFF10, 0xFF11, 0xFF0E,
      '1',    '2',    'a',    'b',    ' ',    '-',    '/',    '.',     ':',    ',',    '(',
      ')',    '@',    '\n',   0x2013, 0x30FB, 0xFF01, 0x3000, 0x20000,
  };
  unsigned seed = 12345;
  int bad = 0;
  for (int round = 0; round < 2000; round++) {
    uint32_t t[40];
    unsigned char out[40];
    seed = seed * 1103515245u + 12345u;
    size_t n = 1 + (seed >> 16) % 40;
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      t[i] = alphabet[(seed >> 16) % (sizeof alphabet / sizeof alphabet[0])];
    }
    size_t r[2][2] = {{n / 4, n / 2}, {n / 2, n + 3}};
    nb_breaks(t, n, (const size_t(*)[2])r, round % 3, out);
    bad += check_invariants(t, n, out) != 0;
    bad += out[n - 1] != NB_BRK_MUST;
  }
  CHECK_INT(bad, 0);
}

int main(void) {
  test_basic();
  test_quotes();
  test_brackets();
  test_dashes();
  test_numbers_words();
  test_slash();
  test_ascii_in_chinese();
  test_urls();
  test_classes();
  test_seed();
  test_random();
  TEST_MAIN_END();
}
