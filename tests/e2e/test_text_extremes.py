#!/usr/bin/env python3
"""Unusual but valid text, end to end: each case is a small report with one odd paragraph,
built with the CLI (its own cache folder), which must exit 0 in reasonable time and write
a PDF that qpdf --check accepts.

  (a) a Latin "word" of 60 000 letters: one overfull line of 60 000 glyphs (the PDF writer
      used to look for the line's common glyph gap in quadratic time: a minute and more)
  (b) the same word, 5 000 letters, as the label of a link: the overfull line's link
      annotation reached past x = 32767, which libharu refuses, and the build failed
  (c) 1 800 pages with 120 figures, many of which float to the next page: every figure is
      drawn once, on the page after or where it stands (the floats of each page used to be
      looked for among all boxes, for every page: quadratic in the length of the report)
  (d) a zero-width space before the first word space of a paragraph: HarfBuzz draws it
      with the space glyph, whose ToUnicode entry then said U+200B, so every space of the
      report copied out as a zero-width space (poppler: the words are found again)

    python3 tests/e2e/test_text_extremes.py CLI

The last line is "N passed, N failed"; the exit status is 1 when anything failed.
"""

import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import Results, run  # noqa: E402

HEAD = """meta:
  issuer: 示范市
  title: 测试报告
  year: 2023
  format: 2019
body:
"""


def report(tmp, name, body_items):
    """Writes tmp/name.yaml with the paragraphs (strings) of body_items."""
    path = os.path.join(tmp, name + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD)
        for item in body_items:
            if not item.startswith("  - "):
                item = "  - p: %s\n" % json.dumps(item, ensure_ascii=False)
            f.write(item)
    return path


def build(r, cli, tmp, name, body_items, limit, what):
    """Builds the report; checks exit 0 within `limit` seconds and qpdf --check. Returns
    the PDF's path (None on failure)."""
    src = report(tmp, name, body_items)
    out = os.path.join(tmp, name + ".pdf")
    env = pdftools.cli_env({"NIANBAO_CACHE": os.path.join(tmp, "cache")})
    t0 = time.monotonic()
    p = run([cli, "build", src, "-o", out], env=env, timeout=max(60, 4 * limit))
    dt = time.monotonic() - t0
    ok = r.check(p.returncode == 0 and os.path.exists(out), "%s: build exits 0" % what,
                 "exit %d: %s" % (p.returncode, p.stderr.strip()[-400:]))
    r.check(dt < limit, "%s: built in under %g s" % (what, limit), "%.1f s" % dt)
    if not ok:
        return None
    if shutil.which("qpdf"):
        q = run(["qpdf", "--check", out])
        r.check(q.returncode == 0, "%s: qpdf --check" % what, (q.stdout + q.stderr)[-400:])
    return out


def floats(r, cli, tmp):
    shutil.copy(os.path.join(pdftools.REPO, "samples", "images", "fig2.png"), tmp)
    items = []
    for k in range(120):
        for j in range(25 + k % 7):
            items.append("政府信息公开工作年度报告" * (15 + j % 25) + "。")
        items.append("  - figure: {image: fig2.png, caption: 图%d 示意图, width: 80%%}\n" % (k + 1))
    out = build(r, cli, tmp, "floats", items, 60, "1 800 pages with 120 figures")
    if not out:
        return
    import fitz
    doc = fitz.open(out)
    placed, captions, tops = [], [], 0
    top = pdftools.area_rect()[1]
    for i, page in enumerate(doc):
        info = page.get_image_info()
        placed += [i] * len(info)
        tops += sum(1 for im in info if abs(im["bbox"][1] - top) < 5)
        for b in page.get_text("blocks"):
            if b[4].startswith("图") and "示意图" in b[4]:
                captions.append((i, b[4].split()[0]))
    r.check(len(doc) > 1500, "1 800 pages with 120 figures: over 1 500 pages", len(doc))
    r.check(tops >= 10, "1 800 pages with 120 figures: some float to a page top", tops)
    r.check(len(placed) == 120, "1 800 pages with 120 figures: 120 images drawn", len(placed))
    r.check([c[1] for c in captions] == ["图%d" % (k + 1) for k in range(120)],
            "1 800 pages with 120 figures: captions in order", captions[:5])
    r.check(sorted(placed) == [c[0] for c in captions],
            "1 800 pages with 120 figures: each image on its caption's page")


def zwsp(r, cli, tmp):
    out = build(r, cli, tmp, "zwsp", ["Open\u200bData is good and fine data"], 20,
                "a zero-width space before spaces")
    if not out or not shutil.which("pdftotext"):
        return
    p = run(["pdftotext", out, "-"])
    r.check("Data is good and fine data" in p.stdout,
            "a zero-width space before spaces: the spaces copy out as spaces", repr(p.stdout))


def main():
    pdftools.need_modules("fitz")
    cli = pdftools.cli_arg()
    r = Results()
    tmp = tempfile.mkdtemp(prefix="nb-extremes-")
    try:
        build(r, cli, tmp, "longword", ["a" * 60000], 20, "a 60 000-letter word")
        build(r, cli, tmp, "longlink", ["见[%s](https://example.cn/a)。" % ("a" * 5000)], 20,
              "a link with a 5 000-letter label")
        floats(r, cli, tmp)
        zwsp(r, cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r.finish()


if __name__ == "__main__":
    main()
