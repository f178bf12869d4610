#!/usr/bin/env python3
"""Chinese typography end to end: typesets samples/jiyang-2019.yaml and samples/stress.yaml
and measures the PDFs.

    python3 tests/e2e/test_typography.py CLI

* pdfcheck ($NIANBAO_SHARED/tools/pdfcheck or ../shared/tools/pdfcheck) with the GB/T 9704
  type area and bands, `--grid 28x22 --max-spread 0.5`: kinsoku, collisions, rules,
  margins, grid (28 × 22 on the body pages), justification (spread ≤ 0.5 pt) and spacing
  (no line adds more than 0.15 em between Hanzi) all PASS;
* with PyMuPDF, on the lines of body-size text in the type area: no line starts with a mark
  that must not start a line or ends with one that must not end it; no number is split
  across lines; a URL or e-mail address is split only after / . @ - ? & = #;
* the text in the type area, whitespace removed, holds every paragraph, heading (with its
  number and run-in text) and list item of the source, in order;
* the stress sample in a layout with `hanging_punctuation: true`: only single 、，。 after
  a character stand in the right margin, and the line-start rules still hold.

Needs PyMuPDF and PyYAML (Debian: python3-fitz, python3-yaml); the script re-runs itself
under /usr/bin/python3 when the python3 running it lacks them. The last line is
"N passed, N failed"; the exit status is 1 when anything failed.
"""

import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import Results, heading_number, run, no_space  # noqa: E402

REPO = pdftools.REPO
SAMPLES = [("jiyang-2019", os.path.join(REPO, "samples", "jiyang-2019.yaml")),
           ("stress", os.path.join(REPO, "samples", "stress.yaml"))]
PDFCHECK_OPTS = ["--paper", "a4", "--area", "28,37,26,35", "--bands", "36,34",
                 "--grid", "28x22", "--max-spread", "0.5"]
MUST_PASS = ["kinsoku", "collisions", "rules", "margins", "grid", "justification", "spacing"]
BODY_SIZE = 16.0

# GB/T 15834 basic and strict sets (chinese-typography.md §3), ASCII stops used in Chinese
NO_START = set("、。，．：；！？‼⁇”’）》〉】〕〗」』］｝～–·・‧—…⋯⸺⸻〜⁈⁉") | set("),.:;!?]}")
NO_END = set("“‘（《〈【〔〖「『［｛") | set("([{")
URL_BREAK_AFTER = set("/.@-?&=#")
URL_RE = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"
                    r"|(?:[A-Za-z0-9-]+\.){2,}[A-Za-z]{2,}")
TRAIL = ".,;:!?)]}>'\""


def urls_in(text):
    """Addresses in the source text as the engine detects them, minus trailing stops."""
    out = []
    for m in URL_RE.finditer(text):
        u = m.group(0)
        while u and u[-1] in TRAIL:
            u = u[:-1]
        if len(u) >= 4:
            out.append(u)
    return out


def strip_markup(s):
    """The printed text of inline markup: **bold**, [label](target), backslash escapes."""
    s = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", lambda m: m.group(1) or m.group(2), s)
    s = s.replace("**", "")
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)


def text_of(v):
    if v is None:
        return ""
    if isinstance(v, dict):
        v = v.get("zh", v.get("en", ""))
    return strip_markup(str(v))


def source_pieces(path):
    """The printed text of each paragraph, heading and list item, in order."""
    doc = pdftools.load_yaml(path)
    pieces, counters = [], [0] * 5
    for block in doc.get("body", []):
        if not isinstance(block, dict):
            continue
        for lv in range(1, 5):
            h = block.get("h%d" % lv)
            if h is None:
                continue
            long_form = isinstance(h, dict) and "text" in h
            num = h.get("number") if long_form else None
            if long_form and h.get("start"):
                counters[lv] = int(h["start"]) - 1
            if num is None:
                counters[lv] += 1
            for k in range(lv + 1, 5):
                counters[k] = 0
            prefix = heading_number(lv, counters[lv]) if num is None else (
                "" if num == "none" else str(num))
            body = (text_of(h["text"]) + text_of(h.get("runin"))) if long_form else text_of(h)
            pieces.append(prefix + body)
        if "p" in block:
            p = block["p"]
            if isinstance(p, dict) and "text" in p:
                pieces.append(text_of(p.get("lead")) + text_of(p["text"]))
            else:
                pieces.append(text_of(p))
        if "list" in block:
            lst = block["list"]
            items = lst.get("items", []) if isinstance(lst, dict) else lst
            for it in items:
                pieces.append(text_of(it))
    return [no_space(p) for p in pieces if p]


def body_rows(doc):
    """[(page, [(x, char)])]: the rows of body-size glyphs inside the type area, in order."""
    x_left, y_top, x_right, y_bottom = pdftools.area_rect()
    out = []
    for pno, page in enumerate(doc):
        rows = {}
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if abs(span["size"] - BODY_SIZE) > 0.1:
                        continue
                    for ch in span["chars"]:
                        x, y = ch["origin"]
                        if not (y_top <= y <= y_bottom + 1) or ch["c"].isspace():
                            continue
                        rows.setdefault(round(y, 1), []).append((x, ch["c"]))
        out += [(pno + 1, sorted(rows[y])) for y in sorted(rows)]
    return out


def body_lines(doc):
    """[(page, x0, text)]: the lines of body-size text inside the type area, in order."""
    return [(p, chars[0][0], "".join(c for _, c in chars)) for p, chars in body_rows(doc)]


def check_lines(name, lines, source, r):
    bad_start = [(p, t) for p, _, t in lines if t[0] in NO_START]
    bad_end = [(p, t) for p, _, t in lines if t[-1] in NO_END]
    r.check(not bad_start, "%s: no body line starts with a no-line-start mark (%d lines)"
            % (name, len(lines)), bad_start[:5])
    r.check(not bad_end, "%s: no body line ends with an opening mark" % name, bad_end[:5])
    # a continuation line starts within half an em of the left edge of the type area
    left = pdftools.area_rect()[0]
    split_numbers = []
    for (p1, _, t1), (p2, x2, t2) in zip(lines, lines[1:]):
        if x2 > left + BODY_SIZE / 2:
            continue  # a new paragraph
        end = t1[-1]
        number_end = end.isdigit() or (end in ",." and len(t1) > 1 and t1[-2].isdigit())
        if t2[0].isdigit() and number_end:
            split_numbers.append((p1, t1[-12:], t2[:12]))
    r.check(not split_numbers, "%s: no number is split across lines" % name, split_numbers[:5])
    # URLs: joined lines with a marker at each break
    joined = "\n".join(t for _, _, t in lines)
    bad_url, breaks, missing = [], 0, []
    for u in sorted(set(urls_in(source))):
        pat = "\n?".join(re.escape(c) for c in u)
        found = False
        for m in re.finditer(pat, joined):
            found = True
            s = m.group(0)
            if "\n" in s:
                breaks += 1
                if s[s.index("\n") - 1] not in URL_BREAK_AFTER:
                    bad_url.append(s.replace("\n", "|"))
        if not found:
            missing.append(u)
    r.check(not bad_url, "%s: URLs and addresses break only after / . @ - ? & = # (%d breaks)"
            % (name, breaks), bad_url[:5])
    r.check(not missing, "%s: every URL and address of the source is in the body text" % name,
            missing[:5])


def check_text(name, doc, pieces, r):
    text = no_space("".join(pdftools.area_text(doc)))
    pos, lost = 0, []
    for piece in pieces:
        i = text.find(piece, pos)
        if i < 0:
            lost.append(piece[:40])
            continue
        pos = i + len(piece)
    r.check(not lost, "%s: the %d paragraphs, headings and items of the source extract exactly, "
            "in order" % (name, len(pieces)), lost[:3])


def check_pdfcheck(name, pdf, tmp, r):
    tool = pdftools.pdfcheck_path()
    if not r.check(tool is not None, "pdfcheck found", pdftools.shared_dir()):
        return
    out = os.path.join(tmp, name + ".json")
    p = run(pdftools.pdfcheck_cmd(tool) + [pdf] + PDFCHECK_OPTS + ["--json", out])
    if not r.check(os.path.isfile(out), "%s: pdfcheck ran" % name, p.stderr[-2000:]):
        return
    checks = pdftools.pdfcheck_checks(out)
    for c in MUST_PASS:
        got = checks.get(c, {})
        r.check(got.get("status") == "PASS", "%s: pdfcheck %s PASS" % (name, c),
                "%s %s %s" % (got.get("status"), got.get("figure"), got.get("details", [])[:3]))
    spread = checks.get("justification", {}).get("data", {}).get("max_spread_pt")
    r.check(spread is not None and spread <= 0.5, "%s: justification spread %s pt ≤ 0.5 pt"
            % (name, spread))
    sp = checks.get("spacing", {}).get("data", {}).get("max_tracking_em")
    r.check(sp is not None and sp <= 0.15, "%s: the loosest line adds %s em ≤ 0.15 em"
            % (name, sp))


HANG_LAYOUT = "name: hang-test\nextends: gbt9704\nhanging_punctuation: true\n"
MARKS = set("、。，．：；！？“”‘’（）《》〈〉【】〔〕〖〗「」『』［］｛｝—…·")


def check_hanging(cli, tmp, r):
    """The stress sample with hanging_punctuation: true: only 、，。 stand in the right
    margin, one at a time, never after another mark; the line rules still hold."""
    import fitz

    layout = os.path.join(tmp, "hang.yaml")
    with open(layout, "w", encoding="utf-8") as f:
        f.write(HANG_LAYOUT)
    pdf = os.path.join(tmp, "stress-hang.pdf")
    p = run([cli, "build", SAMPLES[1][1], "--layout", layout, "-o", pdf])
    if not r.check(p.returncode == 0 and os.path.isfile(pdf), "hanging: builds", p.stderr[-2000:]):
        return
    right = pdftools.area_rect()[2]
    hung, bad = 0, []
    with fitz.open(pdf) as doc:
        for pno, chars in body_rows(doc):
            for k, (x, c) in enumerate(chars):
                if x < right - 0.5:
                    continue
                hung += 1
                if c not in "、，。" or k == 0 or chars[k - 1][1] in MARKS or k + 1 < len(chars):
                    bad.append((pno, "".join(ch for _, ch in chars[-6:])))
        lines = body_lines(doc)
    r.check(hung > 0 and not bad, "hanging: %d marks hang, all single 、，。 after a character"
            % hung, bad[:5])
    r.check(not [t for _, _, t in lines if t[0] in NO_START],
            "hanging: no body line starts with a no-line-start mark")


def main():
    missing = pdftools.need_modules("fitz", "yaml")
    r = Results()
    cli = pdftools.cli_arg()
    if missing:
        r.check(False, "PyMuPDF and PyYAML available", "missing: " + ", ".join(missing))
        r.finish()
    import fitz

    with tempfile.TemporaryDirectory() as tmp:
        for name, src in SAMPLES:
            pdf = os.path.join(tmp, name + ".pdf")
            p = run([cli, "build", src, "-o", pdf])
            if not r.check(p.returncode == 0 and os.path.isfile(pdf), "%s: builds" % name,
                           p.stderr[-2000:]):
                continue
            check_pdfcheck(name, pdf, tmp, r)
            pieces = source_pieces(src)
            with fitz.open(pdf) as doc:
                check_lines(name, body_lines(doc), "\n".join(pieces), r)
                check_text(name, doc, pieces, r)
        check_hanging(cli, tmp, r)
    r.finish()


if __name__ == "__main__":
    main()
