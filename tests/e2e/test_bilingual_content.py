#!/usr/bin/env python3
"""Checks samples/jiyang-2019-bilingual.yaml against samples/jiyang-2019.yaml.

    python3 tests/e2e/test_bilingual_content.py [CLI]

The bilingual sample is the Chinese sample with every text field given as {zh, en}:

* every text field (meta issuer, title and contact; heading text and runin; paragraph
  text and lead; list items; figure, table and statutory captions; table cells;
  signature issuer) is a mapping with exactly the keys zh and en;
* with each text field replaced by its zh variant, the file equals the Chinese sample:
  the same meta, the same block list (types, fields, numbering, images, widths), the
  same data; so every zh variant is the Chinese text, character for character;
* every en variant is a non-empty string with no CJK character (ideographs, kana, CJK
  and full-width punctuation), only characters any Latin text face has (printable
  Latin-1 plus the typographic quotes, dashes and ellipsis of General Punctuation), no
  straight ASCII quotes (the sample uses typographic ones), no leading or trailing space,
  and no heading number (the engine numbers headings);
* numbers survive translation: every run of digits of a zh variant occurs as a run of
  digits in its en variant, as often. Exceptions (documented in the sample's header):
  a month number (digits followed by 月) becomes a month name ("2019年6月" → "June
  2019"); Chinese numerals (一、三方面、第二十条) are not digits and are not checked;
* the en variant is not much shorter than a translation of the zh text should be (at
  least 2 characters per CJK character of the zh text, for texts with 20 or more of
  them; the sample's English runs at 2.6 to 5.3), a rough guard against summarising;
* `CLI check` accepts the bilingual sample (exit status 0, no error). Without the CLI
  argument this last check is skipped.

Needs PyYAML (Debian/Ubuntu: python3-yaml). Without it the test is skipped: it says why
and exits 0. The last line is always "N passed, N failed"; the exit status is 1 when
anything failed.
"""

import collections
import copy
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pdftools import REPO, SAMPLE as ZH_SAMPLE, Results, load_yaml, skip  # noqa: E402

BI_SAMPLE = os.path.join(REPO, "samples", "jiyang-2019-bilingual.yaml")


# ---------------------------------------------------------------- text fields (docs/content.md)

HEADINGS = ("h1", "h2", "h3", "h4")
CONTACT_KEYS = ("office", "address", "postcode", "phone", "email", "website")


def block_type(block):
    """The type key of a block (a mapping with one type key, or a bare word)."""
    if isinstance(block, str):
        return block
    for k in block:
        if k in HEADINGS or k in ("p", "list", "figure", "table", "statutory", "signature",
                                  "pagebreak"):
            return k
    return None


def is_lang_map(v):
    return isinstance(v, dict) and v and set(v) <= {"zh", "en"}


def text_fields(doc):
    """Yields (path, container, key, is_heading) for every text field of a document, where
    container[key] is the field's value. Paths name the field for messages."""
    meta = doc.get("meta") or {}
    for k in ("issuer", "title"):
        if k in meta:
            yield "meta.%s" % k, meta, k, False
    contact = meta.get("contact") or {}
    for k in CONTACT_KEYS:
        if k in contact:
            yield "meta.contact.%s" % k, contact, k, False
    for i, block in enumerate(doc.get("body") or []):
        t = block_type(block)
        if t is None or isinstance(block, str):
            continue
        where = "body[%d].%s" % (i, t)
        v = block[t]
        if t in HEADINGS:
            if isinstance(v, dict) and not is_lang_map(v):
                for k in ("text", "runin"):
                    if k in v:
                        yield "%s.%s" % (where, k), v, k, k == "text"
                if "number" in v and v["number"] != "none":
                    yield "%s.number" % where, v, "number", False
            else:
                yield where, block, t, True
        elif t == "p":
            if isinstance(v, dict) and not is_lang_map(v):
                for k in ("lead", "text"):
                    if k in v:
                        yield "%s.%s" % (where, k), v, k, False
            else:
                yield where, block, t, False
        elif t == "list":
            items = v.get("items") if isinstance(v, dict) else v
            for j in range(len(items or [])):
                yield "%s.items[%d]" % (where, j), items, j, False
        elif t in ("figure", "statutory"):
            if isinstance(v, dict) and "caption" in v:
                yield "%s.caption" % where, v, "caption", False
        elif t == "table":
            if "caption" in v:
                yield "%s.caption" % where, v, "caption", False
            for r, row in enumerate(v.get("rows") or []):
                for c, cell in enumerate(row):
                    if cell is None or cell == "":
                        continue
                    if isinstance(cell, dict) and not is_lang_map(cell):
                        if "text" in cell:
                            yield "%s.rows[%d][%d].text" % (where, r, c), cell, "text", False
                    else:
                        yield "%s.rows[%d][%d]" % (where, r, c), row, c, False
        elif t == "signature":
            if isinstance(v, dict) and not is_lang_map(v):
                if "issuer" in v:
                    yield "%s.issuer" % where, v, "issuer", False
            elif v is not None:
                yield where, block, t, False


# ---------------------------------------------------------------- the en variants

CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff]")
# What a Latin text face surely has: printable ASCII and Latin-1, and ‘ ’ “ ” – — …
LATIN_OK = re.compile("^[\u0020-\u007e\u00a0-\u00ff\u2018\u2019\u201c\u201d\u2013\u2014\u2026]*$")
HEADING_NUMBER = re.compile(r"^\s*(\(?\d+[.)]|\(?[IVXLC]+[.)]|\([a-z]\))\s*")
DIGITS = re.compile(r"[0-9]+")
MONTH = re.compile(r"[0-9]+(?=月)")
MIN_RATIO = 2.0  # en characters per CJK character of zh, for zh texts with 20+ of them


def digit_runs(s):
    return collections.Counter(DIGITS.findall(s))


def zh_digit_runs(s):
    """Digit runs of a Chinese text that must reappear in its translation: all but month
    numbers ("6月" → "June")."""
    return collections.Counter(DIGITS.findall(MONTH.sub("", s)))


def check_en(res, path, zh, en, heading):
    if not res.check(isinstance(en, str) and en.strip() != "", "%s: en variant" % path,
                     "missing or empty: %r" % (en,)):
        return
    cjk = CJK.findall(en)
    res.check(not cjk, "%s: en without CJK characters" % path, "found %s" % "".join(cjk))
    odd = sorted(set(ch for ch in en if not LATIN_OK.match(ch)))
    res.check(not odd, "%s: en in plain Latin characters" % path,
              "found %s" % " ".join("U+%04X" % ord(ch) for ch in odd))
    res.check("'" not in en and '"' not in en, "%s: en uses typographic quotes" % path,
              "straight quote in %r" % en[:60])
    res.check(en == en.strip(), "%s: en without leading or trailing space" % path)
    if heading:
        res.check(not HEADING_NUMBER.match(en), "%s: en heading without a number" % path,
                  repr(en))
    zs = str(zh)
    missing = zh_digit_runs(zs) - digit_runs(en)
    res.check(not missing, "%s: the numbers of zh are in en" % path,
              "missing %s in %r" % (sorted(missing.elements()), en[:80]))
    ncjk = len(CJK.findall(zs))
    if ncjk >= 20:
        res.check(len(en) >= MIN_RATIO * ncjk, "%s: en is a whole translation" % path,
                  "%d characters for %d Chinese characters" % (len(en), ncjk))


# ---------------------------------------------------------------- main

def first_difference(a, b, path=""):
    """A path where a and b differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return "%s: keys %s != %s" % (path or "(top)", list(a), list(b))
        for k in a:
            d = first_difference(a[k], b[k], "%s.%s" % (path, k) if path else str(k))
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "%s: %d items != %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if type(a) is not type(b) or a != b:
        return "%s: %r != %r" % (path, a, b)
    return None


def main():
    res = Results(quiet=True)
    try:
        import yaml  # noqa: F401
    except ImportError:
        skip("PyYAML is not installed (python3-yaml)")
    for f in (ZH_SAMPLE, BI_SAMPLE):
        if not os.path.exists(f):
            res.check(False, "%s exists" % os.path.relpath(f, REPO))
            res.finish()
    zh_doc = load_yaml(ZH_SAMPLE)
    bi_doc = load_yaml(BI_SAMPLE)

    res.check((bi_doc.get("meta") or {}).get("lang") == "zh-CN", "meta.lang is zh-CN")

    # Every text field of the bilingual file is {zh, en}; replace it by its zh variant.
    zh_of_bi = copy.deepcopy(bi_doc)
    fields = list(text_fields(zh_of_bi))
    zh_fields = {path for path, _, _, _ in text_fields(zh_doc)}
    res.check(len(fields) >= 50, "the bilingual sample has its text fields",
              "found %d" % len(fields))
    paths = set()
    for path, box, key, heading in fields:
        paths.add(path)
        v = box[key]
        if not res.check(isinstance(v, dict) and set(v) == {"zh", "en"},
                         "%s is {zh, en}" % path, "found %r" % (v,)):
            continue
        res.check(v["zh"] is not None and str(v["zh"]).strip() != "",
                  "%s: zh variant" % path, "missing or empty")
        check_en(res, path, v["zh"], v["en"], heading)
        box[key] = v["zh"]
    res.check(paths == zh_fields, "the same text fields as the Chinese sample",
              "only bilingual: %s; only Chinese: %s" % (sorted(paths - zh_fields)[:5],
                                                        sorted(zh_fields - paths)[:5]))

    # With the zh variants, the file is the Chinese sample: meta, blocks, data.
    for part in ("meta", "body", "data"):
        d = first_difference(zh_of_bi.get(part), zh_doc.get(part), part)
        res.check(d is None, "zh variants and %s equal the Chinese sample's" % part, d or "")
    res.check(list(zh_of_bi) == list(zh_doc), "the same top-level keys",
              "%s != %s" % (list(zh_of_bi), list(zh_doc)))
    nblocks = len(zh_doc.get("body") or [])
    res.check(len(bi_doc.get("body") or []) == nblocks,
              "the same number of blocks (%d)" % nblocks)

    # The headings' en text (the engine numbers them): all headings have one.
    nhead = sum(1 for b in bi_doc.get("body") or [] if block_type(b) in HEADINGS)
    nhead_en = sum(1 for p, _, _, h in text_fields(bi_doc) if h)
    res.check(nhead == nhead_en, "every heading has a text field", "%d != %d" % (nhead, nhead_en))

    # The loader accepts the file.
    if len(sys.argv) > 1:
        cli = sys.argv[1]
        try:
            r = subprocess.run([cli, "check", BI_SAMPLE], capture_output=True, text=True,
                               timeout=120)
            res.check(r.returncode == 0, "`nianbao check` accepts the bilingual sample",
                      "exit %d: %s" % (r.returncode, r.stderr.strip()[:500]))
            res.check("error:" not in r.stderr, "`nianbao check` reports no error",
                      r.stderr.strip()[:500])
        except OSError as e:
            res.check(False, "run %s" % cli, str(e))
    else:
        print("note: no CLI given, `check` not run")
    res.finish()


if __name__ == "__main__":
    main()
