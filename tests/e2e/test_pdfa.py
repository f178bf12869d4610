#!/usr/bin/env python3
"""PDF/A-2b (the default), PDF/A-3b and --pdfa none on samples/jiyang-2019.yaml.

    python3 tests/e2e/test_pdfa.py CLI

* pdfcheck (../shared/tools/pdfcheck, or $NIANBAO_SHARED/tools/pdfcheck) with --pdfjs
  --pdfa --require-outline --require-lang: meta.pdfa, every reader and the fonts PASS
  (reader.pdfjs may SKIP when npm cannot install pdf.js, never FAIL); qpdf --check clean;
* the outline has an entry for every h1 and h2 of the sample, in order, each pointing at
  the page that shows the heading; the website and the email are URI link annotations;
* the XMP metadata is well-formed UTF-8 XML and agrees with the Info dictionary;
* the PDF/A rules that can be checked without veraPDF (docs/pdf.md lists them): header,
  trailer, streams, output intent and its ICC profile, annotations, actions, colour,
  images, fonts, implementation limits;
* PDF/A-3b: the attachment's bytes are the source file, with the associated-file keys;
* --pdfa none: no output intent or PDF/A identification; an unknown level and a missing
  ICC profile fail without leaving a file;
* determinism: two builds are byte-identical, with and without SOURCE_DATE_EPOCH;
* PNGs of every kind (16-bit, palette, grey, alpha, tRNS) open cleanly in every reader.

Needs PyMuPDF (Debian: python3-fitz) and qpdf; re-runs itself under /usr/bin/python3 when
the running python3 lacks fitz. The last line is "N passed, N failed"; the exit status is
1 when anything failed.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import SAMPLE, Pdf, Results, cli_env, pdf_string, run  # noqa: E402

if pdftools.need_modules("fitz"):
    print("PyMuPDF is missing (Debian: python3-fitz)")
    print("0 passed, 1 failed")
    sys.exit(1)
import fitz  # noqa: E402

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RESULTS = Results(detail_limit=600)
check = RESULTS.check


def build(cli, out, *args, env=None):
    return run([cli, "build", args[0] if args and args[0].endswith(".yaml") else SAMPLE,
                "-o", out] + [a for a in args if not a.endswith(".yaml")],
               env=cli_env(env, drop=("SOURCE_DATE_EPOCH",)), timeout=120)


def info_date_to_xmp(d):
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z", d or "")
    return "%s-%s-%sT%s:%s:%sZ" % m.groups() if m else None


# ---- the checks ------------------------------------------------------------------------

def check_pdfcheck(pc, path, tmp, label):
    j = os.path.join(tmp, label + ".json")
    r = subprocess.run(pdftools.pdfcheck_cmd(pc) + [path, "--pdfjs", "--pdfa", "--require-outline",
                                                   "--require-lang", "--json", j],
                       capture_output=True, text=True, timeout=300)
    if not check(os.path.exists(j), label + ": pdfcheck ran", r.stderr[-400:] + r.stdout[-400:]):
        return
    checks = pdftools.pdfcheck_checks(j)
    for name in ("meta.pdfa", "meta.lang", "meta.outline", "fonts", "fonts.pdffonts"):
        c = checks.get(name, {})
        check(c.get("status") == "PASS", "%s: pdfcheck %s PASS" % (label, name),
              "%s %s %s" % (c.get("status"), c.get("figure"), c.get("details")))
    for name, c in sorted(checks.items()):
        if not name.startswith("reader."):
            continue
        ok = c["status"] == "PASS" or (name == "reader.pdfjs" and c["status"] == "SKIP")
        check(ok, "%s: pdfcheck %s %s" % (label, name, c["status"]),
              "%s %s" % (c.get("figure"), c.get("details")))
    return checks


def check_qpdf(path, label):
    r = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and "WARNING" not in (r.stdout + r.stderr).upper(),
          label + ": qpdf --check clean", r.stdout[-300:] + r.stderr[-300:])


def sample_headings():
    doc = pdftools.load_yaml(SAMPLE)
    out = []

    def walk(blocks):
        for b in blocks or []:
            if not isinstance(b, dict):
                continue
            for lv in ("h1", "h2"):
                if lv in b:
                    v = b[lv]
                    out.append((int(lv[1]), v["text"] if isinstance(v, dict) else v))
            for v in b.values():
                if isinstance(v, list):
                    walk(v)
    walk(doc.get("body"))
    return out


def norm(s):
    return re.sub(r"[\s。]", "", s or "")


def check_outline_links(p, label):
    toc = p.doc.get_toc(simple=False)
    heads = sample_headings()
    check(len(heads) >= 10, "%s: the sample has h1/h2 headings (%d)" % (label, len(heads)))
    i = 0
    missing = []
    for lv, text in heads:
        while i < len(toc) and not (toc[i][0] == lv and norm(toc[i][1]).endswith(norm(text))):
            i += 1
        if i == len(toc):
            missing.append((lv, text))
            i = 0
            continue
        entry = toc[i]
        page = p.doc[entry[2] - 1]
        if norm(text) not in norm(page.get_text()):
            missing.append((lv, text, "not on page %d" % entry[2]))
        i += 1
    check(not missing, "%s: an outline entry at the right level for each of the %d h1/h2 "
          "headings, in order, pointing at its page" % (label, len(heads)), missing)
    uris = [l.get("uri") for pg in p.doc for l in pg.get_links() if l.get("uri")]
    check("http://www.jiyang.gov.cn" in uris, label + ": website link annotation", uris)
    check("mailto:jyqzfbgsxxk@jn.shandong.cn" in uris, label + ": email link annotation", uris)


def check_xmp(p, label, part, conformance="B"):
    cat = p.catalog()
    md_ref = cat.get("/Metadata")
    if not check(p.is_stream(md_ref), label + ": catalog /Metadata is a stream"):
        return
    md = p.get(md_ref)
    check(md.get("/Type") == "/Metadata" and md.get("/Subtype") == "/XML" and "/Filter" not in md,
          label + ": metadata stream /Type/Metadata /Subtype/XML, not compressed", md)
    raw = p.stream_data(md_ref)
    try:
        text = raw.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as e:
        text, utf8 = "", e
    check(utf8 is True, label + ": XMP is valid UTF-8", utf8)
    head = re.match(r"<\?xpacket ([^?]*)\?>", text)
    check(head and "bytes=" not in head.group(1) and "encoding=" not in head.group(1),
          label + ": xpacket header without bytes/encoding (6.6.2.1)", head and head.group(0))
    try:
        root = ET.fromstring(re.sub(r"<\?xpacket[^?]*\?>", "", text).strip())
    except ET.ParseError as e:
        check(False, label + ": XMP parses as XML", e)
        return
    check(True, label + ": XMP parses as XML")
    d = root.find("rdf:RDF/rdf:Description", NS)
    if not check(d is not None, label + ": XMP has an rdf:Description"):
        return

    def one(path):
        e = d.find(path, NS)
        return e.text if e is not None else None
    info = p.info()
    title = pdf_string(info.get("/Title"))
    li = d.find("dc:title/rdf:Alt/rdf:li", NS)
    check(li is not None and li.text == title and li.get(XML_LANG) == "x-default",
          label + ": dc:title equals the Info /Title", (li is not None and li.text, title))
    check(one("dc:creator/rdf:Seq/rdf:li") == pdf_string(info.get("/Author")),
          label + ": dc:creator equals the Info /Author")
    check(one("dc:description/rdf:Alt/rdf:li") == pdf_string(info.get("/Subject")),
          label + ": dc:description equals the Info /Subject")
    check(one("dc:language/rdf:Bag/rdf:li") == pdf_string(cat.get("/Lang")),
          label + ": dc:language equals the catalog /Lang")
    created = info_date_to_xmp(pdf_string(info.get("/CreationDate")))
    check(created and one("xmp:CreateDate") == created and
          one("xmp:ModifyDate") == info_date_to_xmp(pdf_string(info.get("/ModDate"))),
          label + ": xmp:CreateDate/ModifyDate are the Info dates",
          (one("xmp:CreateDate"), pdf_string(info.get("/CreationDate"))))
    check(one("xmp:CreatorTool") == pdf_string(info.get("/Creator")),
          label + ": xmp:CreatorTool equals the Info /Creator")
    check(one("pdf:Producer") == pdf_string(info.get("/Producer")) and
          one("pdf:Producer") == "Haru Free PDF Library 2.3.0",
          label + ": pdf:Producer equals the Info /Producer", one("pdf:Producer"))
    if part:
        check(one("pdfaid:part") == str(part) and one("pdfaid:conformance") == conformance,
              "%s: pdfaid:part %s, conformance %s" % (label, part, conformance),
              (one("pdfaid:part"), one("pdfaid:conformance")))
    else:
        check(one("pdfaid:part") is None, label + ": no pdfaid identification")
    return one("xmp:CreateDate")


def check_pdfa_rules(p, label):
    """The ISO 19005-2 rules that can be checked from the file's structure."""
    raw = p.raw
    m = re.match(rb"%PDF-1\.([0-7])\r?\n%([^\r\n]*)\r?\n", raw)
    check(m and sum(b > 127 for b in m.group(2)) >= 4,
          label + ": 6.1.2 header %PDF-1.n and a comment with 4 bytes above 127", raw[:20])
    check(re.search(rb"%%EOF\r?\n?$", raw[-8:]) is not None,
          label + ": 6.1.3 nothing after %%EOF but one EOL", raw[-8:])
    tid = p.trailer.get("/ID")
    check(isinstance(tid, list) and len(tid) == 2 and all(
        isinstance(x, str) and x.startswith("b:") and len(x) == 34 for x in tid),
        label + ": 6.1.3 trailer /ID of two 16-byte strings", tid)
    check("/Encrypt" not in p.trailer, label + ": 6.1.3 no /Encrypt")
    bad = [(ref, k) for ref, d in p.streams() for k in ("/F", "/FFilter", "/FDecodeParms")
           if k in d]
    check(not bad, label + ": 6.1.7 no stream with /F, /FFilter or /FDecodeParms", bad)
    filters = {f for _, d in p.streams() for f in
               (d.get("/Filter") if isinstance(d.get("/Filter"), list) else [d.get("/Filter")])}
    check(not (filters & {"/LZWDecode", "/LZW"}), label + ": 6.1.7 no LZW", filters)
    # 6.1.13 implementation limits, on every parsed object
    names, ints, strings = [], [], []

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                names.append(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, bool):
            pass
        elif isinstance(v, int):
            ints.append(v)
        elif isinstance(v, str):
            if v.startswith("/"):
                names.append(v)
            elif v.startswith("u:"):
                strings.append(len(v[2:].encode("utf-16-be")))
            elif v.startswith("b:"):
                strings.append(len(v) // 2 - 1)
    for k, v in p.objs.items():
        if k.startswith("obj:"):
            walk(v["stream"]["dict"] if "stream" in v else v.get("value"))
    walk(p.trailer)
    long_names = [n for n in names if len(re.sub(r"#[0-9A-Fa-f]{2}", "_", n)) - 1 > 127]
    check(not long_names, label + ": 6.1.13 names at most 127 bytes (%d)" % len(names),
          long_names[:3])
    check(all(-2**31 <= i < 2**31 for i in ints), label + ": 6.1.13 integers within 32 bits")
    check(max(strings or [0]) <= 32767, label + ": 6.1.13 strings at most 32767 bytes")
    boxes = []
    for pg in p.doc:
        r = pg.mediabox
        boxes.append((r.width, r.height))
    check(all(3 <= w <= 14400 and 3 <= h <= 14400 for w, h in boxes),
          label + ": 6.1.13 page boxes 3–14400 units", boxes[:2])

    # 6.2.3 output intent: one GTS_PDFA1 with an RGB display/printer ICC profile below v5
    ois = p.catalog().get("/OutputIntents") or []
    ois = [p.get(o) for o in ois]
    pdfa_ois = [o for o in ois if o.get("/S") == "/GTS_PDFA1"]
    if check(len(pdfa_ois) == 1, label + ": 6.2.3 one /GTS_PDFA1 output intent", ois):
        oi = pdfa_ois[0]
        ref = oi.get("/DestOutputProfile")
        prof = p.stream_data(ref) if p.is_stream(ref) else b""
        n = p.get(ref).get("/N") if p.is_stream(ref) else None
        ok = (len(prof) >= 132 and prof[36:40] == b"acsp" and
              struct.unpack(">I", prof[:4])[0] == len(prof) and
              prof[12:16] in (b"mntr", b"prtr") and prof[16:20] == b"RGB " and prof[8] < 5)
        check(ok and n == 3, label + ": 6.2.3 DestOutputProfile is an RGB ICC profile "
              "(mntr/prtr, version < 5, /N 3)", (prof[8:20], n))
        check("/FlateDecode" in str(p.get(ref).get("/Filter")),
              label + ": the ICC profile is Flate-compressed")
        check(bool(pdf_string(oi.get("/OutputConditionIdentifier"))),
              label + ": output intent has an /OutputConditionIdentifier")

    # 6.2.4.3 colour: no CMYK (the intent is RGB), no Separation/DeviceN by name
    cmyk_ops = []
    for pg in p.doc:
        for x in pg.get_contents():
            s = p.doc.xref_stream(x)
            s = re.sub(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", b" ", s)
            toks = s.split()
            for i, t in enumerate(toks):
                if t in (b"k", b"K") or (t in (b"cs", b"CS") and i and
                                         toks[i - 1] in (b"/DeviceCMYK", b"/DeviceN")):
                    cmyk_ops.append((pg.number + 1, t))
    check(not cmyk_ops, label + ": 6.2.4.3 no DeviceCMYK colour in content (RGB intent)",
          cmyk_ops[:5])
    images = [(ref, d) for ref, d in p.streams() if d.get("/Subtype") == "/Image"]
    bad_img = [(ref, d.get("/ColorSpace")) for ref, d in images
               if "DeviceCMYK" in json.dumps(d.get("/ColorSpace"))]
    check(not bad_img, label + ": 6.2.4.3 no DeviceCMYK images", bad_img)
    # 6.2.8 images
    bad_img = [ref for ref, d in images if d.get("/Interpolate") is True or "/Alternates" in d
               or "/OPI" in d]
    check(not bad_img, label + ": 6.2.8 no /Interpolate true, /Alternates or /OPI", bad_img)
    masks = [p.get(d["/SMask"]) for _, d in images if "/SMask" in d]
    check(all(m.get("/ColorSpace") == "/DeviceGray" for m in masks),
          label + ": 6.2.8 soft masks are DeviceGray images (%d)" % len(masks))
    # 6.2.9 no PostScript XObjects, 6.2.10 no transparency group without an intent
    check(not any(d.get("/Subtype") == "/PS" for _, d in p.streams()),
          label + ": 6.2.9 no PostScript XObjects")
    # 6.2.11 fonts: embedded, CIDToGIDMap on CIDFontType2, no CIDSet
    fonts = [d for d in p.dicts() if d.get("/Type") == "/Font"]
    problems = []
    for f in fonts:
        st = f.get("/Subtype")
        if st in ("/CIDFontType0", "/CIDFontType2", "/TrueType", "/Type1"):
            fd = p.get(f.get("/FontDescriptor")) or {}
            if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append((f.get("/BaseFont"), "not embedded"))
            if "/CIDSet" in fd:
                problems.append((f.get("/BaseFont"), "CIDSet"))
        if st == "/CIDFontType2" and f.get("/CIDToGIDMap") is None:
            problems.append((f.get("/BaseFont"), "no CIDToGIDMap"))
    check(fonts and not problems, label + ": 6.2.11 %d fonts embedded, CIDToGIDMap on "
          "TrueType CIDFonts, no CIDSet" % len(fonts), problems)
    # 6.3.2 annotations printable, not hidden; 6.5 actions: no JavaScript, Launch …
    annots = [d for d in p.dicts() if d.get("/Type") == "/Annot" or
              d.get("/Subtype") in ("/Link", "/Widget")]
    bad = [a for a in annots if not isinstance(a.get("/F"), int) or not a["/F"] & 4 or
           a["/F"] & (1 | 2 | 32)]
    check(annots and not bad, label + ": 6.3.2 %d annotations with /F Print set, "
          "Hidden/Invisible/NoView clear" % len(annots), bad[:2])
    check(all(a.get("/Border") in (None, [0, 0, 0]) for a in annots),
          label + ": link annotations draw no border (/Border [0 0 0])")
    acts = [d.get("/S") for d in p.dicts() if d.get("/S") in (
        "/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide",
        "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView")]
    check(not acts, label + ": 6.5 no forbidden actions", acts)
    check(not any("/AA" in d for d in p.dicts()), label + ": 6.5.2 no additional actions (/AA)")
    check("/JavaScript" not in json.dumps(p.catalog().get("/Names", {})),
          label + ": 6.5 no document JavaScript")


# ---- 6.2.11.5: widths in the PDF against the embedded font programs ---------------------

def cff_index(d, p):
    count = struct.unpack(">H", d[p:p + 2])[0]
    if count == 0:
        return [], p + 2
    osz, q, offs = d[p + 2], p + 3, []
    for _ in range(count + 1):
        offs.append(int.from_bytes(d[q:q + osz], "big"))
        q += osz
    base = q - 1
    return [d[base + offs[i]:base + offs[i + 1]] for i in range(count)], base + offs[-1]


def cff_dict(b):
    ops, stack, i = {}, [], 0
    while i < len(b):
        v = b[i]
        if v <= 21:
            op = (12, b[i + 1]) if v == 12 else v
            i += 2 if v == 12 else 1
            ops[op], stack = stack, []
        elif v == 28:
            stack.append(struct.unpack(">h", b[i + 1:i + 3])[0])
            i += 3
        elif v == 29:
            stack.append(struct.unpack(">i", b[i + 1:i + 5])[0])
            i += 5
        elif v == 30:  # real: nibbles
            i += 1
            txt = ""
            while True:
                x = b[i]
                i += 1
                hi, lo = x >> 4, x & 15
                end = False
                for nib in (hi, lo):
                    if nib == 15:
                        end = True
                        break
                    txt += "0123456789.E"[nib] if nib < 12 else {12: "E-", 14: "-"}.get(nib, "")
                if end:
                    break
            stack.append(float(txt) if txt else 0.0)
        elif 32 <= v <= 246:
            stack.append(v - 139)
            i += 1
        elif 247 <= v <= 250:
            stack.append((v - 247) * 256 + b[i + 1] + 108)
            i += 2
        elif 251 <= v <= 254:
            stack.append(-(v - 251) * 256 - b[i + 1] - 108)
            i += 2
        else:
            i += 1
    return ops


def charstring_width(c, dflt, nominal):
    """The advance a Type 2 charstring declares (its optional first operand)."""
    stack, i = 0, 0
    first = None
    while i < len(c):
        v = c[i]
        if v == 28 or v == 255 or 32 <= v <= 254:
            val = (struct.unpack(">h", c[i + 1:i + 3])[0] if v == 28 else
                   struct.unpack(">i", c[i + 1:i + 5])[0] / 65536 if v == 255 else
                   v - 139 if v <= 246 else
                   (v - 247) * 256 + c[i + 1] + 108 if v <= 250 else
                   -(v - 251) * 256 - c[i + 1] - 108)
            first = val if stack == 0 else first
            stack += 1
            i += 3 if v == 28 else 5 if v == 255 else 1 if v <= 246 else 2
            continue
        if v in (1, 3, 18, 23, 19, 20):  # stem hints and masks take pairs
            odd = stack % 2
        elif v == 21:  # rmoveto
            odd = stack > 2
        elif v in (22, 4):  # hmoveto, vmoveto
            odd = stack > 1
        elif v == 14:  # endchar
            odd = stack in (1, 5)
        elif v in (10, 29):  # a subroutine call first: cannot tell here
            return None
        else:
            odd = False
        return nominal + first if odd else dflt
    return dflt


def cff_program_widths(d):
    """{CID (or GID for a name-keyed CFF): advance in 1/1000 em}"""
    _, p = cff_index(d, d[2])
    tops, p = cff_index(d, p)
    top = cff_dict(tops[0])
    cs, _ = cff_index(d, top[17][0])
    fm = top.get((12, 7), [0.001])[0] or 0.001
    n = len(cs)
    if (12, 36) in top:  # CID-keyed: a Private dict per FD
        fdarr, _ = cff_index(d, top[(12, 36)][0])
        fds = []
        for fd in fdarr:
            sz, off = cff_dict(fd)[18]
            pr = cff_dict(d[off:off + sz])
            fds.append((pr.get(20, [0])[0], pr.get(21, [0])[0]))
        q = top[(12, 37)][0]
        if d[q] == 0:
            sel = list(d[q + 1:q + 1 + n])
        else:
            nr = struct.unpack(">H", d[q + 1:q + 3])[0]
            rng = [struct.unpack(">HB", d[q + 3 + 3 * k:q + 6 + 3 * k]) for k in range(nr)]
            sent = struct.unpack(">H", d[q + 3 + 3 * nr:q + 5 + 3 * nr])[0]
            sel = []
            for k, (first, fd) in enumerate(rng):
                sel += [fd] * ((rng[k + 1][0] if k + 1 < nr else sent) - first)
    else:
        sz, off = top[18]
        pr = cff_dict(d[off:off + sz])
        fds, sel = [(pr.get(20, [0])[0], pr.get(21, [0])[0])], [0] * n
    cids = list(range(n))
    off = top.get(15, [0])[0]
    if (12, 30) in top and off > 2:  # the charset maps GIDs to CIDs
        fmt, q, cids = d[off], off + 1, [0]
        while len(cids) < n:
            if fmt == 0:
                cids.append(struct.unpack(">H", d[q:q + 2])[0])
                q += 2
            else:
                first = struct.unpack(">H", d[q:q + 2])[0]
                left = d[q + 2] if fmt == 1 else struct.unpack(">H", d[q + 2:q + 4])[0]
                q += 3 if fmt == 1 else 4
                cids += range(first, first + left + 1)
    out = {}
    for g in range(1, n):
        w = charstring_width(cs[g], *fds[sel[g]])
        out[cids[g]] = None if w is None else w * fm * 1000
    return out


def truetype_widths(d):
    n = struct.unpack(">H", d[4:6])[0]
    tabs = {d[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", d[20 + 16 * i:28 + 16 * i])
            for i in range(n)}
    upem = struct.unpack(">H", d[tabs[b"head"][0] + 18:tabs[b"head"][0] + 20])[0]
    nh = struct.unpack(">H", d[tabs[b"hhea"][0] + 34:tabs[b"hhea"][0] + 36])[0]
    ng = struct.unpack(">H", d[tabs[b"maxp"][0] + 4:tabs[b"maxp"][0] + 6])[0]
    o = tabs[b"hmtx"][0]
    return {g: struct.unpack(">H", d[o + 4 * min(g, nh - 1):o + 4 * min(g, nh - 1) + 2])[0]
            * 1000 / upem for g in range(1, ng)}


def pdf_widths(p, cidfont):
    dw = cidfont.get("/DW", 1000)
    w, out, i = cidfont.get("/W") or [], {}, 0
    while i < len(w):
        if isinstance(w[i + 1], list):
            for k, v in enumerate(w[i + 1]):
                out[w[i] + k] = v
            i += 2
        else:
            for k in range(w[i], w[i + 1] + 1):
                out[k] = w[i + 2]
            i += 3
    return dw, out


def check_widths(p, label):
    """Every glyph of every embedded program has the width the PDF gives it (±1/1000 em)."""
    bad, checked, valid = [], 0, {}
    for d in p.dicts():
        st = d.get("/Subtype")
        if d.get("/Type") != "/Font" or st not in ("/CIDFontType0", "/CIDFontType2"):
            continue
        fd = p.get(d.get("/FontDescriptor")) or {}
        ref = fd.get("/FontFile3" if st == "/CIDFontType0" else "/FontFile2")
        if not p.is_stream(ref):
            continue
        data = p.stream_data(ref)
        prog = cff_program_widths(data) if st == "/CIDFontType0" else truetype_widths(data)
        dw, w = pdf_widths(p, d)
        name = re.sub(r"^/([A-Z]{6}\+)?", "", d.get("/BaseFont", ""))
        valid.setdefault(name, set()).update(prog)
        for code, fw in prog.items():
            checked += 1
            pw = w.get(code, dw)
            if fw is None or abs(pw - fw) > 1:
                bad.append((d.get("/BaseFont"), code, pw, fw))
    check(checked and not bad, "%s: 6.2.11.5 W/DW equal the font programs' advances "
          "(%d glyphs)" % (label, checked), bad[:5])
    # 6.2.11.4.1 / 6.2.11.8: every glyph shown is in its program and is not .notdef. MuPDF
    # gives the glyph as FreeType indexes it: the GID of a TrueType program, the CID of a
    # bare CID-keyed CFF; `valid` holds exactly those (without 0) per font name.
    shown, missing = 0, []
    for pg in p.doc:
        for span in pg.get_texttrace():
            for ch in span["chars"]:
                shown += 1
                if ch[1] <= 0 or ch[1] not in valid.get(span["font"], ()):
                    missing.append((pg.number + 1, span["font"], chr(ch[0]), ch[1]))
    check(shown and not missing, "%s: 6.2.11.4.1/6.2.11.8 each of the %d glyphs shown is in "
          "its font program and none is .notdef" % (label, shown), missing[:5])


def check_compact(p, label):
    """Object streams and a cross-reference stream: every object that is not a stream sits
    in a compressed object stream, and there is no classic xref table or trailer."""
    r = subprocess.run(["qpdf", "--show-xref", p.path], capture_output=True, text=True,
                       timeout=60)
    where = dict(re.findall(r"^(\d+)/0: (compressed|uncompressed)", r.stdout, re.M))
    top = [n for n, w in where.items() if w == "uncompressed"]
    loose = [n for n in top if not p.is_stream(n + " 0 R")]
    check(where and not loose and len(where) - len(top) > len(top),
          label + ": every non-stream object is in an object stream (%d of %d objects)"
          % (len(where) - len(top), len(where)), loose)
    kinds = {p.get(n + " 0 R").get("/Type") for n in top}
    check({"/ObjStm", "/XRef"} <= kinds, label + ": object streams and an /XRef stream", kinds)
    check(not re.search(rb"(?m)^(xref|trailer)\r?$", p.raw),
          label + ": no classic cross-reference table or trailer keyword")
    m = re.search(rb"startxref\r?\n(\d+)\r?\n%%EOF\r?\n?$", p.raw)
    check(m and re.match(rb"\d+ 0 obj\s*<<[^>]*/Type /XRef", p.raw[int(m.group(1)):]),
          label + ": startxref points at the cross-reference stream")


def check_catalog_web(p, label):
    cat = p.catalog()
    check(pdf_string(cat.get("/Lang")) == "zh-CN", label + ": /Lang (zh-CN)")
    check((cat.get("/ViewerPreferences") or {}).get("/DisplayDocTitle") is True,
          label + ": /ViewerPreferences /DisplayDocTitle true")
    check(cat.get("/PageMode") == "/UseOutlines", label + ": /PageMode /UseOutlines")
    labels = p.get(cat.get("/PageLabels")) or {}
    check(labels.get("/Nums", [None])[0] == 0, label + ": /PageLabels from page 1",
          labels)
    check(p.doc.get_page_labels() and p.doc[0].get_label() == "1" and
          p.doc[len(p.doc) - 1].get_label() == str(len(p.doc)),
          label + ": page labels 1…%d" % len(p.doc))


def check_attachment(p, label):
    cat = p.catalog()
    af = cat.get("/AF") or []
    fs = p.get(af[0]) if af else {}
    check(fs.get("/Type") == "/Filespec" and fs.get("/AFRelationship") == "/Source",
          label + ": catalog /AF holds a file specification with /AFRelationship /Source", fs)
    check(pdf_string(fs.get("/F")) == "jiyang-2019.yaml" and
          pdf_string(fs.get("/UF")) == "jiyang-2019.yaml",
          label + ": the file specification has /F and /UF", (fs.get("/F"), fs.get("/UF")))
    ef = (fs.get("/EF") or {}).get("/F")
    efd = p.get(ef) if p.is_stream(ef) else {}
    src = open(SAMPLE, "rb").read()
    params = efd.get("/Params") or {}
    check(efd.get("/Type") == "/EmbeddedFile" and efd.get("/Subtype") in (
        "/application#2fx-yaml", "/application/x-yaml", "/text/yaml"),
        label + ": EmbeddedFile with a YAML /Subtype", efd.get("/Subtype"))
    check(params.get("/Size") == len(src) and
          re.match(r"D:\d{14}Z", pdf_string(params.get("/ModDate")) or ""),
          label + ": /Params with /Size and /ModDate", params)
    check(p.stream_data(ef) == src if ef else False,
          label + ": the embedded file's bytes equal the source YAML")
    names = ((cat.get("/Names") or {}).get("/EmbeddedFiles") or {}).get("/Names") or []
    check(len(names) == 2 and names[1] == af[0],
          label + ": listed in /Names /EmbeddedFiles", names)
    check(p.doc.embfile_count() == 1 and p.doc.embfile_get(0) == src,
          label + ": MuPDF reads the attachment back")


def png(path, w, h, ctype, depth, rows, plte=None, trns=None):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if plte:
        out += chunk(b"PLTE", plte)
    if trns:
        out += chunk(b"tRNS", trns)
    out += chunk(b"IDAT", zlib.compress(b"".join(b"\0" + r for r in rows))) + chunk(b"IEND", b"")
    open(path, "wb").write(out)


def make_pngs(tmp):
    W, H = 96, 64
    pal = bytes([200, 30, 30, 30, 160, 30, 30, 30, 200, 0, 0, 0])
    png(os.path.join(tmp, "rgb16.png"), W, H, 2, 16,
        [b"".join(struct.pack(">HHH", x * 600, y * 900, 30000) for x in range(W))
         for y in range(H)])
    png(os.path.join(tmp, "rgba.png"), W, H, 6, 8,
        [bytes(sum(([x * 2, y * 3, 128, 255 if x < W // 2 else 90] for x in range(W)), []))
         for y in range(H)])
    png(os.path.join(tmp, "pal.png"), W, H, 3, 8,
        [bytes([(x // 8) % 4 for x in range(W)]) for _ in range(H)], plte=pal, trns=bytes([0, 255]))
    png(os.path.join(tmp, "graya.png"), W, H, 4, 8,
        [bytes(sum(([x * 2, y * 3] for x in range(W)), [])) for y in range(H)])
    png(os.path.join(tmp, "gray1.png"), W, H, 0, 1,
        [bytes([0b10110010] * (W // 8)) for _ in range(H)])
    names = ["rgb16", "rgba", "pal", "graya", "gray1"]
    text = open(SAMPLE, encoding="utf-8").read()
    k = iter(range(100))
    text = re.sub(r"image: images/fig\d\.(?:jpg|png)",
                  lambda m: "image: %s" % os.path.join(tmp, names[next(k) % len(names)] + ".png"),
                  text)
    path = os.path.join(tmp, "pngs.yaml")
    open(path, "w", encoding="utf-8").write(text)
    return path


def main():
    cli = pdftools.cli_arg()
    pc = pdftools.pdfcheck_path()
    check(pc is not None, "pdfcheck found ($NIANBAO_SHARED/tools or ../shared/tools)")
    check(shutil.which("qpdf") is not None, "qpdf is installed")
    tmp = tempfile.mkdtemp(prefix="nb_pdfa_")
    try:
        # PDF/A-2b, the default
        a = os.path.join(tmp, "a.pdf")
        r = build(cli, a)
        if check(r.returncode == 0 and os.path.exists(a), "build (PDF/A-2b by default)", r.stderr):
            print("size: %d bytes" % os.path.getsize(a))
            if pc:
                check_pdfcheck(pc, a, tmp, "2b")
            check_qpdf(a, "2b")
            p = Pdf(a)
            check_catalog_web(p, "2b")
            check_outline_links(p, "2b")
            date = check_xmp(p, "2b", 2)
            check(date == "2020-03-31T00:00:00Z", "2b: the dates are the publication date", date)
            check_pdfa_rules(p, "2b")
            check_compact(p, "2b")
            check_widths(p, "2b")
            check(not p.catalog().get("/AF") and p.doc.embfile_count() == 0,
                  "2b: no embedded files (PDF/A-2 allows only PDF/A ones)")
            # determinism
            a2 = os.path.join(tmp, "a2.pdf")
            build(cli, a2)
            check(os.path.exists(a2) and open(a, "rb").read() == open(a2, "rb").read(),
                  "two builds are byte-identical")
            e1, e2 = os.path.join(tmp, "e1.pdf"), os.path.join(tmp, "e2.pdf")
            env = {"SOURCE_DATE_EPOCH": "1600000000"}
            build(cli, e1, env=env)
            build(cli, e2, env=env)
            check(os.path.exists(e1) and open(e1, "rb").read() == open(e2, "rb").read(),
                  "two builds with SOURCE_DATE_EPOCH are byte-identical")
            if os.path.exists(e1):
                pe = Pdf(e1)
                check(pdf_string(pe.info().get("/CreationDate")) == "D:20200913122640Z" and
                      b"<xmp:CreateDate>2020-09-13T12:26:40Z</xmp:CreateDate>" in pe.raw,
                      "SOURCE_DATE_EPOCH sets the Info and XMP dates")

        # PDF/A-3b with the source attached
        b = os.path.join(tmp, "b.pdf")
        r = build(cli, b, "--pdfa", "3b")
        if check(r.returncode == 0 and os.path.exists(b), "build --pdfa 3b", r.stderr):
            if pc:
                check_pdfcheck(pc, b, tmp, "3b")
            check_qpdf(b, "3b")
            p = Pdf(b)
            check_xmp(p, "3b", 3)
            check_pdfa_rules(p, "3b")
            check_compact(p, "3b")
            check_attachment(p, "3b")
            b2 = os.path.join(tmp, "b2.pdf")
            build(cli, b2, "--pdfa", "3b")
            check(open(b, "rb").read() == open(b2, "rb").read(), "3b: two builds byte-identical")
            if os.path.exists(a):
                check(Pdf(a).trailer["/ID"] != p.trailer["/ID"], "2b and 3b files differ in /ID")

        # level A (accessible): the same files, tagged as every file is, claiming A
        for lv in ("2a", "3a"):
            la = os.path.join(tmp, lv + ".pdf")
            r = build(cli, la, "--pdfa", lv)
            if check(r.returncode == 0 and os.path.exists(la), "build --pdfa " + lv, r.stderr):
                if pc:
                    check_pdfcheck(pc, la, tmp, lv)
                check_qpdf(la, lv)
                p = Pdf(la)
                check_xmp(p, lv, int(lv[0]), "A")
                check_pdfa_rules(p, lv)
                cat = p.catalog()
                check((cat.get("/MarkInfo") or {}).get("/Marked") is True and
                      cat.get("/StructTreeRoot"), lv + ": 6.8 tagged: /MarkInfo /Marked true, "
                      "a structure tree (tests/e2e/test_tagged.py checks the tree)")
                if lv == "3a":
                    check_attachment(p, lv)

        # no PDF/A
        c = os.path.join(tmp, "c.pdf")
        r = build(cli, c, "--pdfa", "none")
        if check(r.returncode == 0 and os.path.exists(c), "build --pdfa none", r.stderr):
            check_qpdf(c, "none")
            p = Pdf(c)
            check("/OutputIntents" not in p.catalog(), "none: no output intent")
            check_xmp(p, "none", None)

        # failures leave no file and keep an existing one
        bad = os.path.join(tmp, "bad.pdf")
        r = build(cli, bad, "--pdfa", "1b")
        check(r.returncode != 0 and not os.path.exists(bad) and "PDF/A" in r.stderr,
              "--pdfa 1b is refused, no file written", r.stderr)
        keep = os.path.join(tmp, "keep.pdf")
        open(keep, "wb").write(b"previous")
        r = build(cli, keep, env={"NIANBAO_ICC_PROFILE": os.path.join(tmp, "missing.icc")})
        check(r.returncode != 0 and open(keep, "rb").read() == b"previous" and
              not [f for f in os.listdir(tmp) if ".tmp" in f],
              "a missing ICC profile fails, the previous file is untouched, no partial file",
              r.stderr)

        # PNGs of every kind
        y = make_pngs(tmp)
        d = os.path.join(tmp, "pngs.pdf")
        r = build(cli, d, y)
        if check(r.returncode == 0 and os.path.exists(d), "build with 16-bit, palette+tRNS, "
                 "grey+alpha, RGBA and 1-bit PNGs", r.stderr):
            check_qpdf(d, "pngs")
            p = Pdf(d)
            check_pdfa_rules(p, "pngs")
            check_widths(p, "pngs")
            if pc:
                rr = subprocess.run(pdftools.pdfcheck_cmd(pc) + [
                    d, "--pdfa", "--skip", "text,kinsoku,collisions,rules,"
                    "margins,grid,justification,spacing", "--json", "-"],
                    capture_output=True, text=True, timeout=300)
                try:
                    checks = {x["name"]: x for x in json.loads(rr.stdout)["checks"]}
                except ValueError:
                    checks = {}
                for name in ("reader.mupdf", "reader.gs", "reader.pdftotext", "reader.qpdf",
                             "meta.pdfa"):
                    x = checks.get(name, {})
                    check(x.get("status") == "PASS", "pngs: pdfcheck %s PASS" % name,
                          "%s %s %s" % (x.get("status"), x.get("figure"), x.get("details")))
        # a CMYK JPEG under the sRGB output intent: ICCBased with a CMYK profile, not DeviceCMYK
        text = open(SAMPLE, encoding="utf-8").read()
        samples = os.path.dirname(SAMPLE)
        text = re.sub(r"image: images/(fig\d\.(?:jpg|png))",
                      lambda m: "image: %s" % (os.path.join(HERE, "fixtures", "cmyk.jpg")
                                               if m.group(1) == "fig1.jpg"
                                               else os.path.join(samples, "images", m.group(1))),
                      text)
        y = os.path.join(tmp, "cmyk.yaml")
        open(y, "w", encoding="utf-8").write(text)
        d = os.path.join(tmp, "cmyk.pdf")
        r = build(cli, d, y)
        if check(r.returncode == 0 and os.path.exists(d), "build with a CMYK JPEG (PDF/A)",
                 r.stderr):
            check_qpdf(d, "cmyk")
            check_pdfa_rules(Pdf(d), "cmyk")
            q = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", d, "-"],
                               capture_output=True, timeout=60).stdout
            check(b"/DeviceCMYK" not in q and b"/ICCBased" in q and b"/N 4" in q,
                  "cmyk: the CMYK image is ICCBased with a 4-component profile, no DeviceCMYK")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.finish()


if __name__ == "__main__":
    main()
