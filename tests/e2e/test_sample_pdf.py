#!/usr/bin/env python3
"""Typesets samples/jiyang-2019.yaml and inspects the PDF.

    python3 tests/e2e/test_sample_pdf.py CLI

* the build exits 0 and writes the file;
* pdfcheck (../shared/tools/pdfcheck, or $NIANBAO_SHARED/tools/pdfcheck) with the
  GB/T 9704 type area: the readers (MuPDF, qpdf, Ghostscript, pdftotext), page size,
  fonts, kinsoku, collisions, rules, margins, /Lang and bookmarks all PASS. Without
  pdfcheck the test fails, unless NIANBAO_NO_PDFCHECK=1;
* the text inside the type area (PyMuPDF), whitespace removed, holds every prose
  paragraph of the seed verbatim, every label of its tables (hard breaks removed) and
  every number of its tables as a word of its own, as often as the seed has it;
* every page is A4; every font is embedded (poppler's pdffonts);
* determinism: two builds a second apart are byte-identical; the dates are the
  publication date, and SOURCE_DATE_EPOCH=0 changes them to 1970.

Needs PyMuPDF (Debian: python3-fitz); the script re-runs itself under /usr/bin/python3
when the python3 running it lacks it. The last line is "N passed, N failed"; the exit
status is 1 when anything failed.
"""

import os
import shutil
import sys
import tempfile
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import Results, run, cli_env, no_space  # noqa: E402

PDFCHECK_MUST_PASS = ["reader.mupdf", "reader.qpdf", "reader.gs", "reader.pdftotext", "page",
                      "fonts", "fonts.pdffonts", "kinsoku", "collisions", "rules", "margins",
                      "meta.lang", "meta.outline"]


def build(cli, out, r, what, env=None):
    p = run([cli, "build", pdftools.SAMPLE, "-o", out], env=env)
    ok = r.check(p.returncode == 0 and os.path.isfile(out), "%s: exit 0 and the PDF is written" % what,
                 "exit %d, stderr:\n%s" % (p.returncode, p.stderr[-3000:]))
    return ok


def check_pdfcheck(pdf, tmp, r):
    tool = pdftools.pdfcheck_path()
    if not tool:
        if os.environ.get("NIANBAO_NO_PDFCHECK") == "1":
            print("note: pdfcheck not found, skipped (NIANBAO_NO_PDFCHECK=1)")
            return
        r.check(False, "pdfcheck is available",
                "not found at %s/tools/pdfcheck (set NIANBAO_SHARED, or NIANBAO_NO_PDFCHECK=1 "
                "to skip it)" % pdftools.shared_dir())
        return
    js = os.path.join(tmp, "pdfcheck.json")
    cmd = pdftools.pdfcheck_cmd(tool) + [pdf, "--paper", "a4", "--area", "28,37,26,35",
                                         "--bands", "36,34", "--require-outline",
                                         "--require-lang", "--json", js]
    p = run(cmd, env=dict(os.environ), timeout=600)
    print(p.stdout.rstrip())
    if not r.check(p.returncode in (0, 1) and os.path.isfile(js), "pdfcheck ran",
                   "exit %d: %s" % (p.returncode, p.stderr[-2000:])):
        return
    checks = pdftools.pdfcheck_checks(js)
    for name in PDFCHECK_MUST_PASS:
        c = checks.get(name)
        if c is None:
            r.check(False, "pdfcheck %s PASS" % name, "no such check in the report")
            continue
        r.check(c["status"] == "PASS", "pdfcheck %s PASS" % name, pdftools.pdfcheck_detail(c))


def check_text(doc, r):
    import seed_text

    seed = seed_text.seed_path()
    if not r.check(os.path.isfile(seed), "the seed report exists", seed):
        return
    pages = pdftools.area_text(doc)
    flat = no_space("".join(pages))
    r.check(len(flat) > 5000, "text in the type area", "%d characters" % len(flat))

    paras = seed_text.paragraphs(seed)
    r.check(len(paras) > 40, "the seed has its paragraphs", str(len(paras)))
    for para in paras:
        want = no_space(para)
        if want in flat:
            r.check(True, "paragraph %s…" % want[:16])
            continue
        k = 1  # the longest prefix found, to show where the text differs
        while k < len(want) and want[:k + 1] in flat:
            k += 1
        at = flat.find(want[:k])
        r.check(False, "paragraph %s… is in the type area verbatim" % want[:16],
                "seed …%s|%s… / pdf …%s|%s…" % (want[max(0, k - 12):k], want[k:k + 12],
                                               flat[max(0, at + k - 12):at + k] if at >= 0 else "",
                                               flat[at + k:at + k + 12] if at >= 0 else ""))

    cells = seed_text.table_cells(seed)
    r.check(len(cells) > 100, "the seed has its table cells", str(len(cells)))
    labels = [c for c in cells if not seed_text.is_number(c[3])]
    missing = [c for c in labels if seed_text.norm_label(c[3]) not in flat]
    r.check(not missing, "all %d table labels are in the type area" % len(labels), str(missing[:10]))

    words = Counter(pdftools.area_words(doc))
    numbers = Counter(c[3] for c in seed_text.table_numbers(seed))
    short = {n: (k, words[n]) for n, k in numbers.items() if words[n] < k}
    r.check(not short, "all %d table numbers are words in the type area"
            % sum(numbers.values()), "number: (seed count, pdf count) %s" % short)


def creation_date(path):
    import fitz

    with fitz.open(path) as d:
        return d.metadata.get("creationDate", ""), d.metadata.get("modDate", "")


def main():
    cli = pdftools.cli_arg()
    missing = pdftools.need_modules("fitz")
    r = Results()
    if not r.check(not missing, "PyMuPDF is available (apt-get install python3-fitz)",
                   "missing: %s" % missing):
        r.finish()
    import fitz

    tmp = tempfile.mkdtemp(prefix="nb-sample-pdf-")
    try:
        clock_free = cli_env(drop=("SOURCE_DATE_EPOCH",))
        a = os.path.join(tmp, "a.pdf")
        t0 = time.time()
        if not build(cli, a, r, "build", env=clock_free):
            r.finish()
        print("build took %.2f s" % (time.time() - t0))

        check_pdfcheck(a, tmp, r)

        with fitz.open(a) as doc:
            r.check(doc.page_count >= 10, "a report of several pages", "%d pages" % doc.page_count)
            bad = [(i + 1, round(p.rect.width, 2), round(p.rect.height, 2)) for i, p in enumerate(doc)
                   if abs(p.rect.width - pdftools.A4[0]) > 0.5 or abs(p.rect.height - pdftools.A4[1]) > 0.5]
            r.check(not bad, "every page is A4 (595.28 × 841.89 pt)", str(bad))
            check_text(doc, r)

        fonts = pdftools.pdffonts(a)
        if r.check(fonts, "pdffonts lists the fonts", repr(fonts)):
            r.check(all(f["emb"] == "yes" for f in fonts), "all %d fonts are embedded" % len(fonts),
                    str([f["name"] for f in fonts if f["emb"] != "yes"]))
            r.check(all(f["uni"] == "yes" for f in fonts), "all fonts have a ToUnicode map",
                    str([f["name"] for f in fonts if f["uni"] != "yes"]))

        # determinism: the same input at another time gives the same bytes
        time.sleep(1.1)
        b = os.path.join(tmp, "b.pdf")
        if build(cli, b, r, "second build", env=clock_free):
            with open(a, "rb") as fa, open(b, "rb") as fb:
                r.check(fa.read() == fb.read(), "two builds a second apart are byte-identical")
        created, modified = creation_date(a)
        r.check(created.startswith("D:20200331"), "CreationDate is the publication date 2020-03-31",
                created)
        r.check(modified.startswith("D:20200331"), "ModDate is the publication date 2020-03-31",
                modified)
        c = os.path.join(tmp, "c.pdf")
        if build(cli, c, r, "build with SOURCE_DATE_EPOCH=0",
                 env=cli_env({"SOURCE_DATE_EPOCH": "0"})):
            created0, _ = creation_date(c)
            r.check(created0.startswith("D:19700101000000") and created0 != created,
                    "SOURCE_DATE_EPOCH=0 sets the dates to 1970-01-01", created0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r.finish()


if __name__ == "__main__":
    main()
