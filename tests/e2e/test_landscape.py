#!/usr/bin/env python3
"""Landscape tables end to end: `table: {wide: landscape}` (tests/e2e/fixtures/landscape.yaml,
gbt9704 otherwise).

    python3 tests/e2e/test_landscape.py CLI

* samples/jiyang-2019.yaml (table 四, 15 columns) and samples/tables-stress.yaml (表4, 15
  columns of five-digit numbers) build with the landscape layout; pdfcheck
  (../shared/tools/pdfcheck) with the GB/T 9704 type area (--area 28,37,26,35 --bands
  36,34): readers, fonts, collisions, rules and margins PASS, and the whole text is that of
  the upright (default) edition (`text` with --expect, similarity ≥ 0.98: table 四 moves
  after the end of table 三 in reading order, page numbers and 续表 lines differ);
* the wide table stands on a page of its own, turned: MuPDF reads its lines with dir
  (0, -1) (running up the page, the table's head toward the left edge: the binding edge of
  an odd page, the outer edge of an even one); every one of its labels and numbers is
  extracted, the numbers in reading order; its glyphs lie inside the type area and inside
  the table's frame, and no rule crosses one;
* the page numbers of the turned pages stay upright, where those of the upright pages of
  the same parity are; the pages before the turned one are those of the default build,
  glyph for glyph, up to where the table stood; the text after it starts a new upright page;
* a 60-row wide table (generated) runs over several turned pages, odd and even, each with
  its header repeated and, after the first, 续表 above it;
* `wide: sideways` in a layout is an error at its line.

Needs PyMuPDF (Debian: python3-fitz); re-runs itself under /usr/bin/python3 when the
python3 running it lacks it. The last line is "N passed, N failed"; exit 1 on failure.
"""

import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import REPO, SAMPLE, Results, no_space, run  # noqa: E402

STRESS = os.path.join(REPO, "samples", "tables-stress.yaml")
LAYOUT = os.path.join(HERE, "fixtures", "landscape.yaml")
AREA = ["--area", "28,37,26,35", "--bands", "36,34"]
NUMBER = re.compile(r"^[0-9]+$")
PAGENUM = re.compile(r"^—\s*[0-9]+\s*—$")


def build(cli, src, out, r, what, layout=LAYOUT):
    cmd = [cli, "build", src, "-o", out] + (["--layout", layout] if layout else [])
    p = run(cmd)
    return r.check(p.returncode == 0 and os.path.isfile(out), "%s builds" % what,
                   "exit %d: %s" % (p.returncode, p.stderr[-2000:]))


def doc_text(path):
    import fitz
    with fitz.open(path) as d:
        return "".join(p.get_text() for p in d)


def pdfcheck(pdf, upright, tmp, r, what):
    """pdfcheck's readers, fonts, collisions, rules and margins PASS; the text is the upright
    edition's: page numbers and 续表 lines differ, and a turned table's text comes after
    what the upright page before it holds (table 四 after the end of table 三)."""
    tool = pdftools.pdfcheck_path()
    if not tool:
        r.check(os.environ.get("NIANBAO_NO_PDFCHECK") == "1", "pdfcheck is available",
                "not found (set NIANBAO_SHARED, or NIANBAO_NO_PDFCHECK=1 to skip it)")
        return
    expect = os.path.join(tmp, what + ".expect.txt")
    with open(expect, "w", encoding="utf-8") as f:
        f.write(doc_text(upright))
    js = os.path.join(tmp, what + ".json")
    p = run(pdftools.pdfcheck_cmd(tool) + [pdf, "--paper", "a4"] + AREA +
            ["--expect", expect, "--min-similarity", "0.98", "--json", js], timeout=600)
    if not r.check(p.returncode in (0, 1) and os.path.isfile(js), "pdfcheck ran on %s" % what,
                   "exit %d: %s" % (p.returncode, p.stderr[-2000:])):
        return
    checks = pdftools.pdfcheck_checks(js)
    programs = {"reader.qpdf": "qpdf", "reader.gs": "gs", "reader.pdftotext": "pdftotext",
                "fonts.pdffonts": "pdffonts"}
    for name in ("reader.mupdf", "reader.qpdf", "reader.gs", "reader.pdftotext", "fonts",
                 "fonts.pdffonts", "text", "collisions", "rules", "margins", "page"):
        c = checks.get(name, {"status": "missing"})
        absent = name in programs and not shutil.which(programs[name])
        r.check(c["status"] == "PASS" or (absent and c["status"] == "SKIP"),
                "%s: pdfcheck %s PASS" % (what, name), pdftools.pdfcheck_detail(c))


# ---- what MuPDF sees ----

def lines(page):
    """[(dir, bbox, text)] of the page's text lines."""
    out = []
    for b in page.get_text("dict")["blocks"]:
        for ln in b.get("lines", []):
            t = "".join(s["text"] for s in ln["spans"])
            if t.strip():
                out.append(((round(ln["dir"][0], 3), round(ln["dir"][1], 3)), ln["bbox"], t))
    return out


def glyphs(page):
    """[(char, em box)] of the page's glyphs, in drawing order. The em box spans the advance
    along the line and, across it, 0.88 em up from the baseline and 0.12 em down (MuPDF's
    bbox takes the font's ascender and descender, far larger in the Fandol fonts)."""
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        for ln in b.get("lines", []):
            dx, dy = ln["dir"]
            for s in ln["spans"]:
                em = s["size"]
                for ch in s["chars"]:
                    if ch["c"].isspace():
                        continue
                    (ox, oy), bb = ch["origin"], ch["bbox"]
                    if abs(dy) < 0.01:   # upright: up is -y
                        box = (bb[0], oy - 0.88 * em, bb[2], oy + 0.12 * em)
                    elif dy < 0:         # running up the page: the glyph's up is -x
                        box = (ox - 0.88 * em, bb[1], ox + 0.12 * em, bb[3])
                    else:                # running down: up is +x
                        box = (ox - 0.12 * em, bb[1], ox + 0.88 * em, bb[3])
                    out.append((ch["c"], box))
    return out


def turned_pages(doc):
    return [i for i, p in enumerate(doc) if any(d != (1, 0) for d, _, _ in lines(p))]


def inside(rect, box, tol=0.5):
    return (box[0] >= rect[0] - tol and box[1] >= rect[1] - tol and box[2] <= rect[2] + tol
            and box[3] <= rect[3] + tol)


def rules(page):
    """Horizontal and vertical line segments drawn on the page, as (x0, y0, x1, y1)."""
    segs = []
    for d in page.get_drawings():
        for it in d["items"]:
            if it[0] == "l":
                a, b = it[1], it[2]
                segs.append((min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y)))
    return segs


def crossed(box, segs):
    """Segments through the core of a glyph box (its middle 70% each way)."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * 0.15, (y1 - y0) * 0.15
    cx0, cy0, cx1, cy1 = x0 + dx, y0 + dy, x1 - dx, y1 - dy
    hits = []
    for s in segs:
        if s[1] == s[3] and cy0 < s[1] < cy1 and s[0] < cx1 and s[2] > cx0:
            hits.append(s)
        elif s[0] == s[2] and cx0 < s[0] < cx1 and s[1] < cy1 and s[3] > cy0:
            hits.append(s)
    return hits


def page_number(page):
    """(text, bbox, dir) of the page number "— n —" below the type area, or None."""
    bottom = pdftools.area_rect()[3]
    for d, bbox, t in lines(page):
        if (bbox[1] + bbox[3]) / 2 > bottom and PAGENUM.match(t.strip()):
            return t.strip(), bbox, d
    return None


def check_turned(doc, pno, r, what, labels, numbers, caption=None):
    """Page pno holds the table, turned: its lines run up the page, all of them; the labels
    are there, the numbers in reading order; glyphs inside the type area and the frame, no
    rule through one."""
    page = doc[pno]
    rect = pdftools.area_rect()
    body = [(d, b, t) for d, b, t in lines(page) if inside(rect, b)]
    r.check(body and all(d == (0, -1) for d, _, _ in body),
            "%s: every line in the type area of page %d runs up the page (dir (0, -1))"
            % (what, pno + 1), {d for d, _, _ in body})
    text = no_space(pdftools.page_area_text(page))
    missing = [lab for lab in labels if no_space(lab) not in text]
    r.check(not missing, "%s: the turned table's %d labels are extracted" % (what, len(labels)),
            missing)
    words = [w[4] for w in page.get_text("words")
             if NUMBER.match(w[4]) and inside(rect, w[:4])]
    r.check(words == numbers, "%s: its %d numbers are extracted, in reading order"
            % (what, len(numbers)), "got %s" % words)
    segs = [s for s in rules(page) if inside(rect, s, 1)]
    frame = (min(s[0] for s in segs), min(s[1] for s in segs),
             max(s[2] for s in segs), max(s[3] for s in segs)) if segs else rect
    gl = [(c, b) for c, b in glyphs(page) if inside(rect, b)]
    cap = [(c, b) for c, b in gl if caption and c in caption and not inside(frame, b)]
    out = [c for c, b in gl if not inside(frame, b) and (c, b) not in cap]
    r.check(segs and gl and not out, "%s: the table's glyphs lie inside its frame" % what,
            "outside: %s" % "".join(out[:40]))
    hit = [c for c, b in gl if crossed(b, segs)]
    r.check(not hit, "%s: no rule crosses a glyph of the turned table" % what, "".join(hit[:40]))
    if caption:
        # the head faces the left edge: the caption (above the table) lies left of the frame
        r.check(cap and all(b[2] <= frame[0] + 0.5 for _, b in cap),
                "%s: the caption stands left of the table (its head toward the left edge)" % what,
                "caption glyphs %s, frame %s" % ([b for _, b in cap][:3], frame))
    # the table starts at the head end: its first header line is leftmost among the body
    first = min(b[0] for _, b, _ in body) if body else None
    r.check(first is not None and abs(first - rect[0]) < 40,
            "%s: the table's head lies at the left edge of the type area" % what,
            "leftmost line at x = %s, type area from %.1f" % (first, rect[0]))


def check_page_numbers(doc, turned, r, what):
    """Upright page numbers on the turned pages, on the baseline and edge of the others."""
    nums = {i: page_number(p) for i, p in enumerate(doc)}
    ok = all(nums[i] for i in turned)
    r.check(ok, "%s: the turned pages have page numbers" % what,
            [i + 1 for i in turned if not nums[i]])
    if not ok:
        return
    r.check(all(nums[i][2] == (1, 0) for i in turned),
            "%s: page numbers of the turned pages are upright" % what,
            [(i + 1, nums[i][2]) for i in turned])
    for i in turned:
        same = [nums[k] for k in nums if k not in turned and nums[k] and k % 2 == i % 2]
        if not same:
            continue
        t, b, _ = nums[i]
        # odd pages (index even) right-aligned: same right edge; even pages: same left edge
        edge = 2 if i % 2 == 0 else 0
        r.check(all(abs(o[1][1] - b[1]) < 0.01 and abs(o[1][edge] - b[edge]) < 0.01
                    for o in same),
                "%s: page %d's number %s stands where the other %s pages' do" %
                (what, i + 1, t, "odd" if i % 2 == 0 else "even"),
                "%s vs %s" % (b, same[0][1]))


def check_portrait_before(doc, upright, first_turned, r, what):
    """The pages before the turned one are those of the default build; the last of them up to
    where the table stood (its glyphs are some of the default page's, the table's missing)."""
    from collections import Counter
    for i in range(first_turned):
        ga = [(c, tuple(round(v, 2) for v in bb)) for c, bb in glyphs(doc[i])]
        gb = [(c, tuple(round(v, 2) for v in bb)) for c, bb in glyphs(upright[i])]
        if i + 1 < first_turned:
            same = ga == gb
        else:
            same = not Counter(ga) - Counter(gb) and len(ga) < len(gb)
        if not same:
            r.check(False, "%s: page %d as in the default build" % (what, i + 1),
                    "glyphs not in the default build: %s" % (Counter(ga) - Counter(gb)).most_common(5))
            return
    r.check(True, "%s: pages 1–%d are those of the default build (page %d up to the table)"
            % (what, first_turned, first_turned))


def check_after(doc, last_turned, head, r, what):
    """The text after the table starts the next page, upright, at the top of the type area."""
    if not r.check(last_turned + 1 < len(doc), "%s: a page follows the table" % what):
        return
    page = doc[last_turned + 1]
    text = no_space(pdftools.page_area_text(page))
    r.check(text.startswith(head) and not turned_pages([page]),
            "%s: the text after the table starts the next page, upright (%s)" % (what, head),
            text[:40])


# ---- the samples ----

def t4_data(sample):
    data = pdftools.load_yaml(sample)["data"]["t4"]
    order = ("reconsideration", "direct_suit", "suit_after")
    cols = ("upheld", "corrected", "other_result", "pending", "total")
    return [str(data[g][c]) for g in order for c in cols]


def check_jiyang(cli, tmp, r):
    import fitz
    out, up = os.path.join(tmp, "jiyang.pdf"), os.path.join(tmp, "jiyang-upright.pdf")
    if not (build(cli, SAMPLE, out, r, "jiyang-2019 (landscape)")
            and build(cli, SAMPLE, up, r, "jiyang-2019 (default)", layout=None)):
        return
    pdfcheck(out, up, tmp, r, "jiyang-2019")
    with fitz.open(out) as doc, fitz.open(up) as upright:
        r.check(not turned_pages(upright), "jiyang-2019: nothing is turned in the default build")
        turned = turned_pages(doc)
        if not r.check(len(turned) == 1, "jiyang-2019: table 四 is turned, on one page",
                       [i + 1 for i in turned]):
            return
        t = turned[0]
        labels = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正",
                  "其他结果", "尚未审结", "总计"]
        heading = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
        # the heading kept with the table turns with it, above it (left of its frame)
        check_turned(doc, t, r, "jiyang-2019 table 四", labels, t4_data(SAMPLE), caption=heading)
        r.check(no_space(heading) in no_space(doc[t].get_text())
                and no_space(heading) not in no_space(doc[t - 1].get_text()),
                "jiyang-2019: heading 四 turns with its table, not alone on the page before")
        check_page_numbers(doc, turned, r, "jiyang-2019")
        check_portrait_before(doc, upright, t, r, "jiyang-2019")
        check_after(doc, t, "五、", r, "jiyang-2019")


def check_stress(cli, tmp, r):
    import fitz
    out, up = os.path.join(tmp, "stress.pdf"), os.path.join(tmp, "stress-upright.pdf")
    if not (build(cli, STRESS, out, r, "tables-stress (landscape)")
            and build(cli, STRESS, up, r, "tables-stress (default)", layout=None)):
        return
    pdfcheck(out, up, tmp, r, "tables-stress")
    table = [b["table"] for b in pdftools.load_yaml(STRESS)["body"]
             if isinstance(b, dict) and "table" in b and "十五列" in str(b["table"].get("caption"))]
    if not r.check(len(table) == 1, "the stress sample has its 15-column table"):
        return
    rows = table[0]["rows"]
    labels = ["年度", "各类事项办理数量（件）"] + [str(c) for c in rows[1]]
    numbers = [str(c) for row in rows[2:] for c in row]
    with fitz.open(out) as doc, fitz.open(up) as upright:
        turned = turned_pages(doc)
        four = [i for i in turned if "十五列" in doc[i].get_text()]
        if not r.check(len(four) == 1, "tables-stress: 表4 is turned, on one page",
                       [i + 1 for i in turned]):
            return
        check_turned(doc, four[0], r, "tables-stress 表4", labels, numbers, caption="表4十五列")
        sizes = {round(s["size"], 1) for b in doc[four[0]].get_text("dict")["blocks"]
                 for ln in b.get("lines", []) for s in ln["spans"] if s["text"].strip() == "许可"}
        r.check(sizes == {12.0}, "tables-stress: turned, 表4 keeps 小四 (12 pt)", sizes)
        check_page_numbers(doc, turned, r, "tables-stress")
        check_portrait_before(doc, upright, turned[0], r, "tables-stress")
        check_after(doc, four[0], "五、", r, "tables-stress")


def check_long(cli, tmp, r):
    """A 60-row wide table over several turned pages, odd and even."""
    import fitz
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    rows = ["        - [%s]" % ", ".join(heads)]
    for k in range(60):
        rows.append("        - [%s]" % ", ".join(str((k * 15 + c) * 7 % 1000) for c in range(15)))
    src = os.path.join(tmp, "long.yaml")
    with open(src, "w", encoding="utf-8") as f:
        f.write("meta: {issuer: 示例, title: 长宽表, year: 2021, format: 2021}\nbody:\n"
                "  - p: 前文。\n  - table:\n      caption: 表1 长宽表\n      header: 1\n"
                "      rows:\n%s\n  - p: 后文。\n" % "\n".join(rows))
    out = os.path.join(tmp, "long.pdf")
    if not build(cli, src, out, r, "a 60-row wide table"):
        return
    with fitz.open(out) as doc:
        turned = turned_pages(doc)
        r.check(len(turned) >= 3 and turned == list(range(1, len(doc) - 1)),
                "the long table turns every page but the first and last",
                "%d pages, turned %s" % (len(doc), [i + 1 for i in turned]))
        r.check(any(i % 2 == 1 for i in turned) and any(i % 2 == 0 for i in turned),
                "turned pages are both even and odd")
        for i in turned:
            ls = lines(doc[i])
            body = [(d, b, t) for d, b, t in ls if inside(pdftools.area_rect(), b)]
            cont = [b for d, b, t in body if no_space(t) == "续表"]
            head = [b for d, b, t in body if no_space(t).startswith("结果")]
            text = no_space(pdftools.page_area_text(doc[i]))
            ok = all(d == (0, -1) for d, _, _ in body) and text.count("".join(heads)) == 1
            if i != turned[0]:
                # 续表 above (left of) the repeated header
                ok = ok and len(cont) == 1 and head and (
                    (cont[0][0] + cont[0][2]) / 2 < min(b[0] for b in head))
            else:
                ok = ok and not cont
            r.check(ok, "page %d (%s): turned the same way, header%s" %
                    (i + 1, "odd" if i % 2 == 0 else "even",
                     " under 续表" if i != turned[0] else ""),
                    "dirs %s, 续表 %s, text %s" % ({d for d, _, _ in body}, cont, text[:60]))
        words = [w[4] for i in turned for w in doc[i].get_text("words")
                 if NUMBER.match(w[4]) and inside(pdftools.area_rect(), w[:4])]
        want = [str((k * 15 + c) * 7 % 1000) for k in range(60) for c in range(15)]
        r.check(words == want, "all 900 numbers are extracted, in reading order",
                "%d words" % len(words))
        check_page_numbers(doc, turned, r, "the long table")
    pdfcheck(out, out, tmp, r, "the long table")


def check_bad_key(cli, tmp, r):
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("extends: gbt9704\ntable:\n  wide: sideways\n")
    p = run([cli, "check", SAMPLE, "--layout", bad])
    r.check(p.returncode != 0 and "%s:3:" % bad in p.stderr
            and "expected one of: shrink, landscape" in p.stderr,
            "wide: sideways is an error at its line", "exit %d: %s" % (p.returncode, p.stderr))


def check_per_table(cli, tmp, r):
    """A table's own `landscape:` overrides the layout: true turns table 四 in the default
    layout, false keeps it upright in the landscape layout."""
    import fitz
    text = open(SAMPLE, encoding="utf-8").read()
    for value, layout, want in (("true", None, 1), ("false", LAYOUT, 0)):
        d = os.path.join(tmp, "per-table-" + value)
        shutil.copytree(os.path.dirname(SAMPLE), d)
        src = os.path.join(d, os.path.basename(SAMPLE))
        with open(src, "w", encoding="utf-8") as f:
            f.write(text.replace("  - statutory: t4",
                                 "  - statutory: {table: t4, landscape: %s}" % value))
        out = os.path.join(d, "out.pdf")
        if build(cli, src, out, r, "statutory t4 with landscape: %s" % value, layout=layout):
            with fitz.open(out) as doc:
                n = len(turned_pages(doc))
                r.check(n == want, "landscape: %s gives %d turned page(s)" % (value, want), n)


def main():
    cli = pdftools.cli_arg()
    r = Results()
    if not r.check(not pdftools.need_modules("fitz", "yaml"),
                   "PyMuPDF and PyYAML are available (python3-fitz, python3-yaml)"):
        r.finish()
    tmp = tempfile.mkdtemp(prefix="nb-landscape-")
    try:
        check_jiyang(cli, tmp, r)
        check_stress(cli, tmp, r)
        check_long(cli, tmp, r)
        check_bad_key(cli, tmp, r)
        check_per_table(cli, tmp, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r.finish()


if __name__ == "__main__":
    main()
