#!/usr/bin/env python3
"""The tagged PDF: structure tree and marked content (docs/pdf.md, "Tagged PDF").

    python3 tests/e2e/test_tagged.py CLI

On the sample (samples/jiyang-2019.yaml), read two ways:

* poppler's `pdfinfo -struct-text` (an independent reader of the structure tree):
  every prose paragraph of the seed is the text of one P or heading element, whole, in
  reading order; the headings are H1 (title) and H2 (一、…); 5 Figures with a Caption;
  3 Tables whose header text appears once although table 三's header rows are drawn
  again on the next page; no page number, running text or draft mark is content;
* the object model (qpdf's JSON) and the content streams: /MarkInfo /Marked true, a
  StructTreeRoot whose parent tree has an entry per page (/StructParents) mapping each
  MCID to the element whose /K holds it, and one per link annotation (/StructParent)
  leading to a Link element whose OBJR refers back to it; only standard structure types; every element's
  /P is the element (or root) that lists it; marked content balanced per page; every
  Figure has /Alt; TH cells have /Scope and spans as /RowSpan, /ColSpan.

And on the bilingual sample in zh-en: English elements carry /Lang (en).

Needs poppler-utils, qpdf and PyMuPDF. The last line is "N passed, N failed".
"""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
import seed_text  # noqa: E402
from pdftools import REPO, SAMPLE, Pdf, Results, cli_arg, cli_env, pdf_string, run  # noqa: E402

if pdftools.need_modules("fitz"):
    print("PyMuPDF is missing (Debian: python3-fitz)")
    print("0 passed, 1 failed")
    sys.exit(1)

RESULTS = Results(detail_limit=400)
check = RESULTS.check

STANDARD = {"Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
            "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6",
            "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot",
            "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby",
            "Warichu", "Figure", "Formula", "Form"}


def struct_text(path):
    """pdfinfo -struct-text as [(depth, type, text)] in document order: an element's text is
    all the text inside it (a paragraph's includes its links'), lines joined; a hyphen
    added at a line end is left as is."""
    out = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True,
                         timeout=60).stdout
    elems, stack = [], []  # stack: indexes of the elements enclosing the current line
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        m = re.match(r'^ *"(.*)"$', line)
        if m:
            for i in stack:
                if elems[i][0] * 2 < indent:
                    elems[i][2].append(m.group(1))
            continue
        m = re.match(r"^ *([A-Za-z0-9]+)", line)
        if m:
            depth = indent // 2
            stack = [i for i in stack if elems[i][0] < depth]
            elems.append((depth, m.group(1), []))
            stack.append(len(elems) - 1)
    return [(d, t, "".join(x)) for d, t, x in elems]


def check_reading_order(path):
    elems = struct_text(path)
    check(elems and elems[0][1] == "Document", "the tree's root element is Document",
          elems[:1])
    kinds = [t for _, t, _ in elems]
    blocks = [(t, x) for _, t, x in elems if t in ("P", "H1", "H2", "H3", "H4", "H5", "LBody")]
    # an element's text, or a run-in heading's joined with the P that follows it on its lines
    texts = [[x] + ([x + blocks[i + 1][1]] if t.startswith("H") and i + 1 < len(blocks) and
                    blocks[i + 1][0] == "P" else []) for i, (t, x) in enumerate(blocks)]
    title = next((x for _, t, x in elems if t == "H1"), "")
    # the seed's first two lines are the title's (checked below)
    seed = [p for p in seed_text.paragraphs() if p and p not in title]
    # each seed paragraph is the whole text of one element, and they come in order
    at, missing, order_ok = 0, [], True
    for p in seed:
        hits = [i for i, xs in enumerate(texts)
                if any(x.endswith(p) and len(x) - len(p) <= 12 for x in xs)]
        if not hits:
            missing.append(p[:30])
            continue
        nxt = [i for i in hits if i >= at]
        if not nxt:
            order_ok = False
        at = (nxt or hits)[0]
    check(not missing, "each of the seed's %d prose paragraphs is one element's text (a "
          "run-in heading's: the H and its P)" % len(seed), missing[:5])
    runin = [x for (t, x), nxt in zip(blocks, blocks[1:] + [("", "")])
             if t == "H4" and nxt[0] == "P"]
    check("1.聚焦重点工作，提高公开透明力度。" in runin and len(runin) >= 10,
          "run-in headings are H4 elements of their own, their paragraph a P", runin[:3])
    check(order_ok, "…in the seed's order")
    check(kinds.count("H1") == 1 and "济南市济阳区人民政府2019年度" in blocks[0][1],
          "the title is the one H1", blocks[:1])
    h2 = [x for d, t, x in elems if t == "H2"]
    check(len(h2) == 6 and h2[0] == "一、总体情况", "the six 一、… headings are H2", h2)
    figs = [i for i, (d, t, x) in enumerate(elems) if t == "Figure"]
    check(len(figs) == 5 and all(elems[i + 1][1] == "Caption" and elems[i + 1][0] ==
                                 elems[i][0] + 1 for i in figs),
          "5 Figures, each with its Caption inside", [elems[i + 1] for i in figs])
    check(kinds.count("Table") == 3, "3 Tables", kinds.count("Table"))
    allt = elems[0][2]  # the Document's: everything once
    check(allt.count("申请人情况") == 1,
          "table 三's header is content once, its repeat on the next page an artifact",
          allt.count("申请人情况"))
    check(not re.search(r"— \d+ —", allt), "page numbers are artifacts, not content")
    links = [x for d, t, x in elems if t == "Link"]
    check(links == ["www.jiyang.gov.cn", "jyqzfbgsxxk@jn.shandong.cn"],
          "the website and the e-mail address are Link elements holding their own text",
          links)
    cells = [x for d, t, x in elems if t in ("TD", "TH")]
    for n in ("13348", "5227", "585313万元", "第二十条第（一）项"):
        check(n in cells, "table cell %s is a TD/TH element's text" % n)


def kids(k):
    return k if isinstance(k, list) else ([] if k is None else [k])


def check_tree(path, label):
    p = Pdf(path)
    cat = p.catalog()
    check((cat.get("/MarkInfo") or {}).get("/Marked") is True, label + ": /MarkInfo /Marked true")
    root_ref = cat.get("/StructTreeRoot")
    root = p.get(root_ref) or {}
    check(root.get("/Type") == "/StructTreeRoot", label + ": a StructTreeRoot", root_ref)
    pages = [pg.xref for pg in p.doc]
    page_refs = ["%d 0 R" % x for x in pages]
    sp = [p.get(r).get("/StructParents") for r in page_refs]
    check(sp == list(range(len(pages))), label + ": each page has /StructParents 0…n-1", sp[:5])
    nums = (p.get(root.get("/ParentTree")) or {}).get("/Nums") or []
    tree = dict(zip(nums[0::2], [p.get(a) for a in nums[1::2]]))
    # links: each annotation's /StructParent leads to a Link element that refers back to it
    annots = [(r, a) for r in page_refs for a in (p.get(r).get("/Annots") or [])]
    links_ok = []
    for r, a in annots:
        ad = p.get(a) or {}
        key = ad.get("/StructParent")
        le = p.get(nums[nums.index(key) + 1]) if key in nums[0::2] else {}
        objr = [p.get(k) if isinstance(k, str) else k for k in kids(le.get("/K"))]
        links_ok.append(le.get("/S") == "/Link" and any(
            isinstance(o, dict) and o.get("/Obj") == a and o.get("/Pg") == r for o in objr)
            and pdf_string(ad.get("/Contents")))
    check(annots and all(links_ok), label + ": each of the %d link annotations has a Link "
          "element (OBJR) and /Contents" % len(annots), links_ok)
    check(root.get("/ParentTreeNextKey") == len(pages) + len(annots),
          label + ": /ParentTreeNextKey after the pages' and the links' keys",
          root.get("/ParentTreeNextKey"))
    # every element: a standard type, its /P lists it
    elems, bad_type, bad_parent, alts, ths = {}, [], [], [], []
    stack = [(root_ref, k) for k in kids(root.get("/K"))]
    while stack:
        parent, ref = stack.pop()
        e = p.get(ref)
        if not isinstance(e, dict) or e.get("/Type") == "/MCR" or ref in elems:
            continue
        elems[ref] = e
        s = (e.get("/S") or "/?")[1:]
        if s not in STANDARD:
            bad_type.append(s)
        if e.get("/P") != parent:
            bad_parent.append(ref)
        if s == "Figure":
            alts.append(pdf_string(e.get("/Alt")))
        if s == "TH":
            ths.append(e.get("/A") or {})
        stack.extend((ref, k) for k in kids(e.get("/K")) if isinstance(k, str))
    check(len(elems) > 100 and not bad_type, label + ": %d elements, all of standard types"
          % len(elems), sorted(set(bad_type)))
    check(not bad_parent, label + ": every element's /P is the element that lists it",
          bad_parent[:3])
    check(alts and all(alts), label + ": every Figure has /Alt", alts)
    check(ths and all(a.get("/O") == "/Table" and a.get("/Scope") == "/Column" for a in ths),
          label + ": TH cells say /Scope /Column")
    check(any(a.get("/RowSpan") for a in ths) and any(a.get("/ColSpan") for a in ths),
          label + ": merged header cells say /RowSpan and /ColSpan")
    # the parent tree against the content streams
    problems, unbalanced = [], []
    for i, xref in enumerate(pages):
        cs = b"".join(p.doc.xref_stream(c) for c in p.doc[i].get_contents())
        mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", cs)]
        opens = len(re.findall(rb"\bBDC\b", cs)) + len(re.findall(rb"\bBMC\b", cs))
        if opens != len(re.findall(rb"\bEMC\b", cs)):
            unbalanced.append(i + 1)
        arr = tree.get(i) or []
        if mcids != list(range(len(arr))):
            problems.append("page %d: MCIDs %s… for %d parent-tree entries" %
                            (i + 1, mcids[:5], len(arr)))
            continue
        for mcid, ref in enumerate(arr):
            e = p.get(ref) or {}
            pg = e.get("/Pg")
            own = [k for k in kids(e.get("/K")) if isinstance(k, int)]
            mcr = [p.get(k) for k in kids(e.get("/K")) if isinstance(k, dict)] + \
                  [p.get(k) for k in kids(e.get("/K")) if isinstance(k, str) and
                   (p.get(k) or {}).get("/Type") == "/MCR"]
            here = (pg == page_refs[i] and mcid in own) or any(
                m.get("/Pg") == page_refs[i] and m.get("/MCID") == mcid for m in mcr)
            if not here:
                problems.append("page %d MCID %d: not in its element's /K" % (i + 1, mcid))
    check(not problems, label + ": the parent tree maps every MCID to the element holding it",
          problems[:3])
    check(not unbalanced, label + ": marked content balanced on every page", unbalanced)
    return p, elems


def main():
    cli = cli_arg()
    tmp = tempfile.mkdtemp(prefix="nb_tagged_")
    a = os.path.join(tmp, "a.pdf")
    r = run([cli, "build", SAMPLE, "-o", a], env=cli_env(), timeout=120)
    if check(r.returncode == 0 and os.path.exists(a), "build the sample", r.stderr):
        check_reading_order(a)
        check_tree(a, "sample")
    b = os.path.join(tmp, "b.pdf")
    bil = os.path.join(REPO, "samples", "jiyang-2019-bilingual.yaml")
    r = run([cli, "build", bil, "--lang", "zh-en", "-o", b], env=cli_env(), timeout=120)
    if check(r.returncode == 0 and os.path.exists(b), "build the bilingual sample, zh-en",
             r.stderr):
        p, elems = check_tree(b, "zh-en")
        en = [e for e in elems.values() if pdf_string(e.get("/Lang")) == "en"]
        check(len(en) > 20, "zh-en: English paragraphs and tables carry /Lang (en)", len(en))
        blocks = [(t, x) for _, t, x in struct_text(b) if t in ("P", "H4")]
        pair = [(x, y) for (t, x), (u, y) in zip(blocks, blocks[1:])
                if t == "H4" and x.startswith("1. Focusing on key work")]
        check(pair and pair[0][0].replace("-", "").rstrip().endswith("transparent.") and
              pair[0][1].startswith("Closely following"),
              "zh-en: an English run-in heading is its H4, the paragraph it opens its P, "
              "split inside their shared line", pair[:1])
        zh = [e for e in elems.values() if e.get("/Lang") is None]
        check(len(zh) > len(en), "zh-en: the Chinese ones inherit the document's zh-CN")
    RESULTS.finish()


if __name__ == "__main__":
    main()
