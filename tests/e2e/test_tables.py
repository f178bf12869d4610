#!/usr/bin/env python3
"""Tables end to end: the statutory tables of the samples, the stress sample, the checks.

    python3 tests/e2e/test_tables.py CLI

* samples/jiyang-2019.yaml, samples/example-2021.yaml and samples/tables-stress.yaml
  build; pdfcheck (../shared/tools/pdfcheck or $NIANBAO_SHARED/tools/pdfcheck) with the
  GB/T 9704 type area (--area 28,37,26,35 --bands 36,34): rules, collisions and margins
  PASS for each;
* every label and every number of the seed's tables (tests/e2e/seed_text.py) is in the
  Jiyang PDF;
* table 三 of the Jiyang sample continues on a second page, under the caption 续表 and its
  header rows repeated; the stress sample's 312-row table repeats its header on every page,
  its row taller than a page is cut between lines, its 15-column table is set smaller;
* checks: the Jiyang sample gives exactly the 4 warnings of its blank （七）总计 (errors
  with --strict); the 2021 sample checks clean with --strict; a copy of the sample with one
  table number changed fails `check --strict` naming the line of that number and the cell;
  a figure in prose that contradicts the data warns at its line and column;
* data references: a reference replaces a typed figure and prints the same; an unknown path
  is an error at its line and column.

Needs PyMuPDF (Debian: python3-fitz); re-runs itself under /usr/bin/python3 when the
python3 running it lacks it. The last line is "N passed, N failed"; exit 1 on failure.
"""

import os
import re
import shutil
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
import seed_text  # noqa: E402
from pdftools import REPO, SAMPLE, Results, no_space, run  # noqa: E402

S2021 = os.path.join(REPO, "samples", "example-2021.yaml")
STRESS = os.path.join(REPO, "samples", "tables-stress.yaml")
AREA = ["--area", "28,37,26,35", "--bands", "36,34"]


def build(cli, src, out, r, what):
    p = run([cli, "build", src, "-o", out])
    return r.check(p.returncode == 0 and os.path.isfile(out), "%s builds" % what,
                   "exit %d: %s" % (p.returncode, p.stderr[-2000:]))


def pdfcheck(pdf, tmp, r, what):
    tool = pdftools.pdfcheck_path()
    if not tool:
        r.check(os.environ.get("NIANBAO_NO_PDFCHECK") == "1", "pdfcheck is available",
                "not found (set NIANBAO_SHARED, or NIANBAO_NO_PDFCHECK=1 to skip it)")
        return
    js = os.path.join(tmp, os.path.basename(pdf) + ".json")
    cmd = pdftools.pdfcheck_cmd(tool)
    p = run(cmd + [pdf, "--paper", "a4"] + AREA + ["--skip", "reader", "--json", js],
            timeout=600)
    if not r.check(p.returncode in (0, 1) and os.path.isfile(js), "pdfcheck ran on %s" % what,
                   "exit %d: %s" % (p.returncode, p.stderr[-2000:])):
        return
    checks = pdftools.pdfcheck_checks(js)
    for name in ("rules", "collisions", "margins"):
        c = checks.get(name, {"status": "missing"})
        r.check(c["status"] == "PASS", "%s: pdfcheck %s PASS" % (what, name),
                pdftools.pdfcheck_detail(c))


def area_rect():
    import fitz
    return fitz.Rect(*pdftools.area_rect())


def page_text(page):
    """The characters of the page inside the type area (pdftools.page_area_text),
    whitespace removed."""
    return no_space(pdftools.page_area_text(page))


def lines_with(page, needle, whole=False):
    """Tops (y) of the text lines of `page` containing `needle` (spaces ignored), or, with
    `whole`, consisting of it."""
    ys = []
    for b in page.get_text("dict")["blocks"]:
        for ln in b.get("lines", []):
            t = re.sub(r"\s+", "", "".join(s["text"] for s in ln["spans"]))
            if (t == needle) if whole else (needle in t):
                ys.append(ln["bbox"][1])
    return ys


# ---- the Jiyang sample ----

def check_seed_tables(doc, r):
    seed = seed_text.seed_path()
    if not r.check(os.path.isfile(seed), "the seed report exists", seed):
        return
    flat = "".join(page_text(p) for p in doc)
    cells = seed_text.table_cells(seed)
    labels = [c for c in cells if not seed_text.is_number(c[3])]
    missing = [c for c in labels if seed_text.norm_label(c[3]) not in flat]
    r.check(len(labels) > 60 and not missing, "all %d labels of the seed's tables are in the PDF"
            % len(labels), str(missing[:10]))
    rect = area_rect()
    words = Counter(w[4] for p in doc for w in p.get_text("words")
                    if rect.contains(((w[0] + w[2]) / 2, (w[1] + w[3]) / 2)))
    numbers = Counter(c[3] for c in seed_text.table_numbers(seed))
    short = {n: (k, words[n]) for n, k in numbers.items() if words[n] < k}
    r.check(sum(numbers.values()) > 40 and not short,
            "all %d numbers of the seed's tables are words in the PDF" % sum(numbers.values()),
            "number: (seed count, pdf count) %s" % short)


def check_t3_continues(doc, r):
    pages = [i for i, p in enumerate(doc) if "申请人情况" in page_text(p)]
    if not r.check(len(pages) >= 2 and pages[1] == pages[0] + 1,
                   "table 三 runs over two pages or more", "pages with its header: %s" % pages):
        return
    first, nxt = doc[pages[0]], doc[pages[1]]
    cont = lines_with(nxt, "续表", whole=True)
    head = lines_with(nxt, "申请人情况")
    natural = lines_with(nxt, "法人或其他组织")
    r.check(cont and head and cont[0] < head[0], "续表 stands above the repeated header",
            "续表 at %s, header at %s" % (cont, head))
    r.check(natural and head[0] < natural[0], "the header's three rows are repeated",
            "申请人情况 at %s, 法人或其他组织 at %s" % (head, natural))
    body = [y for lab in ("结转下年度继续办理", "总计") for y in lines_with(nxt, lab)]
    r.check(body and max(body) > natural[0], "body rows follow the repeated header")
    r.check(not lines_with(first, "续表", whole=True), "no 续表 on the table's first page")
    r.check("一、本年新收政府信息公开申请数量" in page_text(first)
            and "四、结转下年度继续办理" in page_text(nxt), "rows 一 first, 四 last, once each")


def run_check(cli, path, strict=False):
    return run([cli, "check", path] + (["--strict"] if strict else []))


def sample_copy(tmp, name, text):
    """A copy of the sample in tmp (its images beside it), with the given text."""
    imgs = os.path.join(tmp, "images")
    if not os.path.exists(imgs):
        os.symlink(os.path.join(REPO, "samples", "images"), imgs)
    p = os.path.join(tmp, name)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    return p


def line_col(text, needle, skip=0):
    """1-based line and column (in characters) of needle[skip:] where needle occurs in text."""
    i = text.index(needle) + len(needle[:skip])
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, col


def check_checks(cli, tmp, r):
    with open(SAMPLE, encoding="utf-8") as f:
        text = f.read()
    p = run_check(cli, SAMPLE)
    warns = [ln for ln in p.stderr.splitlines() if ": warning: " in ln]
    r.check(p.returncode == 0 and len(warns) == 4 and all("（七）总计" in w for w in warns),
            "the sample checks with the 4 warnings of its blank （七）总计",
            "exit %d:\n%s" % (p.returncode, p.stderr))
    p = run_check(cli, SAMPLE, strict=True)
    r.check(p.returncode != 0 and p.stderr.count(": error: ") == 4,
            "with --strict the 4 findings are errors", "exit %d:\n%s" % (p.returncode, p.stderr))

    p = run_check(cli, S2021, strict=True)
    r.check(p.returncode == 0 and not p.stderr.strip(), "the 2021 sample checks clean (--strict)",
            "exit %d:\n%s" % (p.returncode, p.stderr))
    p = run_check(cli, STRESS, strict=True)
    r.check(p.returncode == 0 and not p.stderr.strip(), "the stress sample checks clean",
            "exit %d:\n%s" % (p.returncode, p.stderr))

    # one table number changed: 予以公开 / 自然人 41 → 42
    old = "disclosed: {natural_person: 41, total: 41}"
    if r.check(old in text, "the sample has the 予以公开 row"):
        bad = sample_copy(tmp, "changed.yaml", text.replace(old, old.replace("41,", "42,")))
        line, _ = line_col(text, old)
        p = run_check(cli, bad, strict=True)
        hit = [ln for ln in p.stderr.splitlines()
               if ln.startswith("%s:%d:" % (bad, line)) and ": error: " in ln]
        r.check(p.returncode != 0 and hit and "表三 （一）予以公开 / 总计" in hit[0]
                and "expected 42" in hit[0] and "found 41" in hit[0],
                "a changed table number fails check --strict at its line, naming the cell",
                "exit %d:\n%s" % (p.returncode, p.stderr))
        p = run_check(cli, bad)
        r.check(p.returncode == 0, "without --strict it is a warning", p.stderr)

    # a prose figure that contradicts the data
    old = "其中予以公开41件，占比66%"
    if r.check(old in text, "the sample has its prose figures"):
        bad = sample_copy(tmp, "prose.yaml", text.replace(old, "其中予以公开40件，占比65%"))
        line, col = line_col(text, old, skip=len("其中予以公开"))
        pcol = col + len("40件，占比")
        p = run_check(cli, bad)
        msgs = p.stderr.splitlines()
        r.check(p.returncode == 0 and any(ln.startswith("%s:%d:%d: warning: 予以公开40件" %
                                                        (bad, line, col)) for ln in msgs),
                "a contradicting prose figure warns at its line and column",
                "want %d:%d\n%s" % (line, col, p.stderr))
        r.check(any(ln.startswith("%s:%d:%d: warning: 占比65%%" % (bad, line, pcol))
                    and "expected 66%" in ln for ln in msgs),
                "a contradicting share warns at its line and column, with the right share",
                "want %d:%d\n%s" % (line, pcol, p.stderr))
        p = run_check(cli, bad, strict=True)
        r.check(p.returncode != 0 and "error: 予以公开40件" in p.stderr,
                "with --strict a contradicting prose figure is an error", p.stderr)

    # data references
    old = "共收到信息公开申请62件"
    if r.check(old in text, "the sample has 共收到信息公开申请62件"):
        good = sample_copy(tmp, "ref.yaml", text.replace(
            old, "共收到信息公开申请{{t3.new_received.total}}件").replace(
            "其中予以公开41件，占比66%",
            "其中予以公开{{t3.disclosed.total}}件，占比{{pct t3.disclosed.total "
            "t3.new_received.total}}"))
        out = os.path.join(tmp, "ref.pdf")
        p = run([cli, "build", good, "-o", out])
        if r.check(p.returncode == 0, "a sample quoting the data builds", p.stderr[-2000:]):
            import fitz
            with fitz.open(out) as d:
                flat = "".join(page_text(pg) for pg in d)
            r.check("共收到信息公开申请62件" in flat and "其中予以公开41件，占比66%" in flat,
                    "references print the data: 62件, 41件, 66%")
        bad = sample_copy(tmp, "badref.yaml", text.replace(
            old, "共收到信息公开申请{{t3.new_recieved.total}}件"))
        line, col = line_col(text, old, skip=len("共收到信息公开申请"))
        p = run_check(cli, bad)
        r.check(p.returncode != 0 and "%s:%d:%d: error:" % (bad, line, col) in p.stderr
                and "did you mean 't3.new_received.total'" in p.stderr,
                "an unknown path is an error at its line and column, with a suggestion",
                "want %d:%d\n%s" % (line, col, p.stderr))


# ---- the stress sample ----

def check_stress(doc, r):
    heads = [i for i, p in enumerate(doc) if "序号" in page_text(p) and "办结率" in page_text(p)]
    conts = [i for i in heads if lines_with(doc[i], "续表", whole=True)]
    r.check(len(heads) >= 10 and len(conts) == len(heads) - 1,
            "the 312-row table repeats its header with 续表 on every page it continues on",
            "header on %s, 续表 on %s" % (heads, conts))
    flat = "".join(page_text(p) for p in doc)
    r.check(all(str(n) in flat for n in (1, 150, 312)), "rows 1, 150 and 312 are there")
    # the row taller than a page: its numbered clauses (1) … (16) all printed, over pages
    tall = [i for i, p in enumerate(doc) if "依申请公开办理程序" in page_text(p)]
    r.check(len(tall) >= 2 and "（16）根据" in flat and "（1）根据" in flat,
            "the row taller than a page runs over %d pages, its text whole" % len(tall), tall)
    # the 15-column table: set smaller than 小四
    sizes = set()
    for p in doc:
        for b in p.get_text("dict")["blocks"]:
            for ln in b.get("lines", []):
                for s in ln["spans"]:
                    if s["text"].strip() in ("许可", "合同"):
                        sizes.add(round(s["size"], 1))
    r.check(sizes and max(sizes) < 12, "the 15-column table is set below 小四 (12 pt)", sizes)


def check_tall_header(cli, tmp, r):
    """A header row taller than a page is not repeated (it would leave no room for rows):
    it is cut like a tall row, and every row stays inside the type area, on a sensible
    number of pages."""
    import fitz
    head = "表头" * 700
    rows = "\n".join('        - ["数据%d", "值%d"]' % (i, i) for i in range(60))
    src = os.path.join(tmp, "tall-header.yaml")
    with open(src, "w", encoding="utf-8") as f:
        f.write("meta: {issuer: 示范市, title: 测试报告, year: 2023, format: 2019}\nbody:\n"
                "  - table:\n      caption: 表1 测试\n      header: 1\n      rows:\n"
                '        - ["%s", "%s"]\n%s\n' % (head, head, rows))
    out = os.path.join(tmp, "tall-header.pdf")
    if not build(cli, src, out, r, "a table whose header is taller than a page"):
        return
    pdfcheck(out, tmp, r, "tall header")
    with fitz.open(out) as doc:
        text = pdftools.no_space("".join(page_text(p) for p in doc))
        r.check(all("数据%d值%d" % (i, i) in text for i in range(60)),
                "tall header: every row is in the type area")
        r.check(doc.page_count < 12, "tall header: %d pages for 60 rows" % doc.page_count)


def main():
    cli = pdftools.cli_arg()
    r = Results()
    if not r.check(not pdftools.need_modules("fitz"),
                   "PyMuPDF is available (apt-get install python3-fitz)"):
        r.finish()
    import fitz
    tmp = tempfile.mkdtemp(prefix="nb-tables-")
    try:
        pdfs = {}
        for what, src in (("jiyang-2019", SAMPLE), ("example-2021", S2021),
                          ("tables-stress", STRESS)):
            out = os.path.join(tmp, what + ".pdf")
            if build(cli, src, out, r, what):
                pdfs[what] = out
                pdfcheck(out, tmp, r, what)
        if "jiyang-2019" in pdfs:
            with fitz.open(pdfs["jiyang-2019"]) as doc:
                check_seed_tables(doc, r)
                check_t3_continues(doc, r)
        if "tables-stress" in pdfs:
            with fitz.open(pdfs["tables-stress"]) as doc:
                check_stress(doc, r)
        check_checks(cli, tmp, r)
        check_tall_header(cli, tmp, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r.finish()


if __name__ == "__main__":
    main()
