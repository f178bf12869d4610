#!/usr/bin/env python3
"""Checks that samples/jiyang-2019.yaml holds the whole published report.

    python3 tests/e2e/test_sample_content.py [CLI]      (the CLI argument is ignored)

Against the seed (the text dump of the published report, read by seed_text.py):

* every prose paragraph of the seed is reproduced by the body, in order: a heading
  gives its automatic number (一、 （一） 1. （1）, counted by level as the engine does:
  a heading resets the deeper levels, `start` restarts its level) + text + runin, a
  paragraph its lead + text;
* every `[image: …]` marker is a figure placed before the paragraph it occurs in,
  with caption "图N" and width 60%, and its image is a small valid JPEG/PNG;
* sections 二 三 四 hold only their `statutory` block;
* every number of the seed's tables is in `data` at the key its row and column
  labels name; a blank cell is an absent key (never 0), and there is nothing else;
* meta (issuer, title, dates, contact from the contact sentence) and the signature.

Needs PyYAML (Debian/Ubuntu: python3-yaml). Without it, or without the seed, the test
is skipped: it says why and exits 0. The last line is always "N passed, N failed";
the exit status is 1 when anything failed.
"""

import difflib
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import seed_text  # noqa: E402
from pdftools import CN_DIGITS, SAMPLE, Results, heading_number, skip  # noqa: E402


# ---------------------------------------------------------------- the schema of docs/content.md

TOP_KEYS = {"meta", "body", "data"}
META_KEYS = {"issuer", "title", "year", "period", "published", "format", "lang", "contact"}
CONTACT_KEYS = {"office", "address", "postcode", "phone", "email", "website"}
BLOCK_FIELDS = {
    "h1": {"text", "number", "start", "runin"},
    "h2": {"text", "number", "start", "runin"},
    "h3": {"text", "number", "start", "runin"},
    "h4": {"text", "number", "start", "runin"},
    "p": {"lead", "text"},
    "list": {"ordered", "items"},
    "figure": {"image", "caption", "width"},
    "table": {"caption", "header", "columns", "rows"},
    "statutory": {"table", "caption"},
    "signature": {"issuer", "date"},
}


def text_of(v):
    """A text field: a string, or {zh, en} (this report is zh-CN)."""
    if v is None:
        return ""
    if isinstance(v, dict):
        return str(v.get("zh", v.get("en", "")))
    return str(v)


def block_type(b):
    if b == "pagebreak":
        return "pagebreak", {}
    if not isinstance(b, dict) or len(b) != 1:
        return None, None
    (k, v), = b.items()
    if k not in BLOCK_FIELDS:
        return None, None
    if isinstance(v, dict):
        return k, v
    main = {"statutory": "table", "figure": "image", "list": "items"}.get(k, "text")
    return k, {main: v}


def body_units(body, r):
    """The body as a stream of ('text', printed text) and ('figure', caption) units,
    plus the list of (index in body, kind, fields) for the other checks."""
    units, blocks = [], []
    counters = [0] * 5
    for i, b in enumerate(body):
        kind, f = block_type(b)
        if not r.check(kind is not None, "body[%d] is a block of a known type" % i, repr(b)[:80]):
            continue
        blocks.append((i, kind, f))
        extra = set(f) - BLOCK_FIELDS.get(kind, set())
        r.check(not extra, "body[%d] (%s) uses only documented fields" % (i, kind), str(extra))
        if kind in ("h1", "h2", "h3", "h4"):
            level = int(kind[1])
            number = f.get("number")
            if number is None:
                if "start" in f:
                    counters[level] = int(f["start"])
                else:
                    counters[level] += 1
                num = heading_number(level, counters[level])
            else:
                num = "" if number == "none" else text_of(number)
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            units.append(("text", num + text_of(f.get("text")) + text_of(f.get("runin"))))
        elif kind == "p":
            units.append(("text", text_of(f.get("lead")) + text_of(f.get("text"))))
        elif kind == "figure":
            units.append(("figure", text_of(f.get("caption"))))
        elif kind == "list":
            for it in f.get("items") or []:
                units.append(("text", text_of(it)))
    return units, blocks


def seed_units(items):
    units = []
    for it in items:
        for name in it["images"]:
            units.append(("figure", name))
        if it["text"]:
            units.append(("text", it["text"]))
    return units


def first_difference(a, b):
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "at char %d: seed …%s… vs yaml …%s…" % (k, a[max(0, k - 8):k + 12], b[max(0, k - 8):k + 12])
    return "lengths %d vs %d (seed ends …%s, yaml ends …%s)" % (len(a), len(b), a[-12:], b[-12:])


def check_prose(seed_items, body, r):
    units, blocks = body_units(body, r)
    want = seed_units(seed_items)
    sm = difflib.SequenceMatcher(None, want, units, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for k in range(i1, i2):
                r.check(True, "seed %s %r… is reproduced" % want[k])
            continue
        got = units[j1:j2]
        for n, k in enumerate(range(i1, i2)):
            kind, s = want[k]
            near = got[n] if n < len(got) else None
            if kind == "text" and near and near[0] == "text":
                detail = first_difference(s, near[1])
            else:
                detail = "nearest yaml unit: %r" % (near[1][:40] if near else None,)
            r.check(False, "seed %s %r… is reproduced" % (kind, s[:30]), detail)
        for extra in got[i2 - i1:]:
            r.check(False, "yaml %s %r… is in the seed" % (extra[0], extra[1][:30]))
    return blocks


# ---------------------------------------------------------------- images

def image_info(path):
    """('jpeg'|'png', width, height, components) or None if not a valid file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and data[-8:-4] == b"IEND":
        w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
        return "png", w, h, {2: 3, 6: 4, 0: 1, 4: 2, 3: 1}.get(ctype, 0)
    if data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            seglen = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return "jpeg", w, h, data[i + 9]
            i += 2 + seglen
    return None


def check_figures(blocks, r):
    figs = [f for _, kind, f in blocks if kind == "figure"]
    r.check(len(figs) == 5, "5 figures", "found %d" % len(figs))
    kinds, total = set(), 0
    for n, f in enumerate(figs, 1):
        r.check(text_of(f.get("caption")) == "图%d" % n, "figure %d caption is exactly 图%d" % (n, n),
                repr(f.get("caption")))
        r.check(str(f.get("width")) == "60%", "figure %d width 60%%" % n, repr(f.get("width")))
        path = os.path.join(os.path.dirname(SAMPLE), str(f.get("image")))
        if not r.check(os.path.isfile(path), "figure %d image %s exists" % (n, f.get("image"))):
            continue
        size = os.path.getsize(path)
        total += size
        info = image_info(path)
        ext = os.path.splitext(path)[1].lower()
        ok = info is not None and info[0] == {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}.get(ext)
        r.check(ok, "figure %d image is a valid %s" % (n, ext), repr(info))
        if info:
            kinds.add(info[0])
            r.check(info[3] == 3 and 600 <= info[1] <= 1000 and 300 <= info[2] <= 600,
                    "figure %d image is RGB, about 800x450" % n, repr(info))
        r.check(2000 <= size <= 40000, "figure %d image is small (2–40 KB)" % n, "%d bytes" % size)
    r.check(kinds == {"jpeg", "png"}, "figures include a JPEG and a PNG", str(kinds))
    r.check(total < 150000, "images total < 150 KB", "%d bytes" % total)


# ---------------------------------------------------------------- data

T2_GROUP = {"一": "art20_1", "五": "art20_5", "六": "art20_6", "八": "art20_8", "九": "art20_9"}
T2_COLUMN = {
    "本年新制作数量": "made", "本年新公开数量": "published", "对外公开总数量": "published_total",
    "上一年项目数量": "items_prev", "本年增/减": "change", "处理决定数量": "decisions",
    "采购项目数量": "projects", "采购总金额": "amount",
}
T2_ROW = {
    "规章": "rules", "规范性文件": "norm_docs", "行政许可": "licensing",
    "其他对外管理服务事项": "other_services", "行政处罚": "penalty", "行政强制": "coercion",
    "行政事业性收费": "fees", "政府集中采购": "procurement",
}
T3_COLUMNS = [("自然人", "natural_person"), ("商业企业", "commercial"), ("科研机构", "research"),
              ("社会公益组织", "public_welfare"), ("法律服务机构", "legal_service"),
              ("其他", "other_org"), ("总计", "total")]
T3_ROW = {
    "一、本年新收政府信息公开申请数量": "new_received",
    "二、上年结转政府信息公开申请数量": "carried_over",
    "（一）予以公开": "disclosed",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "partly",
    "1.属于国家秘密": "refused_secret",
    "2.其他法律行政法规禁止公开": "refused_law",
    "3.危及“三安全一稳定”": "refused_security",
    "4.保护第三方合法权益": "refused_3rd_party",
    "5.属于三类内部事务信息": "refused_internal",
    "6.属于四类过程性信息": "refused_process",
    "7.属于行政执法案卷": "refused_case_file",
    "8.属于行政查询事项": "refused_inquiry",
    "1.本机关不掌握相关政府信息": "unable_not_held",
    "2.没有现成信息需要另行制作": "unable_create",
    "3.补正后申请内容仍不明确": "unable_unclear",
    "1.信访举报投诉类申请": "unhandled_petition",
    "2.重复申请": "unhandled_repeat",
    "3.要求提供公开出版物": "unhandled_pubs",
    "4.无正当理由大量反复申请": "unhandled_mass",
    "5.要求行政机关确认或重新出具已获取信息": "unhandled_confirm",
    "（六）其他处理": "other",
    "（七）总计": "results_total",
    "四、结转下年度继续办理": "carried_forward",
}
T4_GROUPS = ["reconsideration", "direct_suit", "suit_after"]
T4_COLUMNS = ["upheld", "corrected", "other_result", "pending", "total"]

norm = seed_text.norm_label


def expected_data(tables, r):
    """{path: cell} for every cell of the seed's tables ('' = blank)."""
    exp = {}
    group, cols = None, None
    for row in tables.get("t2", []):
        m = re.match(r"^第二十条第（(.)）项$", norm(row[0])) if row else None
        if m and len(row) == 1:
            group, cols = T2_GROUP.get(m.group(1)), None
            r.check(group is not None, "t2 group %s is known" % row[0])
        elif norm(row[0]) == "信息内容":
            cols = [T2_COLUMN.get(norm(c)) for c in row[1:]]
            r.check(None not in cols, "t2 column labels known", str(row))
        else:
            key = T2_ROW.get(norm(row[0]))
            if r.check(key and group and cols, "t2 row %s is known" % row[0]):
                for col, cell in zip(cols, row[1:]):
                    exp["t2.%s.%s.%s" % (group, key, col)] = cell

    rows = tables.get("t3", [])
    headers = [norm(c) for row in rows[:3] for c in row if c]
    for label, _ in T3_COLUMNS:
        r.check(label in headers, "t3 header has column %s" % label, str(headers))
    nrows = 0
    for row in rows[3:]:
        labels = [norm(c) for c in row[:-7] if c]
        key = T3_ROW.get(labels[-1]) if labels else None
        if not r.check(key is not None and len(row) >= 8, "t3 row %s is known" % labels):
            continue
        nrows += 1
        for (_, col), cell in zip(T3_COLUMNS, row[-7:]):
            exp["t3.%s.%s" % (key, col)] = cell
    r.check(nrows == 23, "t3 has the 23 data rows of the 2019 format", str(nrows))

    rows = tables.get("t4", [])
    heads = [norm(c) for row in rows[:2] for c in row if c]
    r.check([h for h in heads if h in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")]
            == ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"], "t4 group headers", str(heads))
    values = rows[-1] if rows else []
    if r.check(len(values) == 15, "t4 has 15 values", str(values)):
        for n, cell in enumerate(values):
            exp["t4.%s.%s" % (T4_GROUPS[n // 5], T4_COLUMNS[n % 5])] = cell
    return exp


def flatten(node, prefix, out):
    if isinstance(node, dict):
        for k, v in node.items():
            flatten(v, prefix + [str(k)], out)
    else:
        out[".".join(prefix)] = node
    return out


def check_data(data, tables, raw_text, r):
    exp = expected_data(tables, r)
    r.check(isinstance(data, dict) and set(data) <= {"t2", "t3", "t4"}, "data has only t2 t3 t4")
    got = flatten(data or {}, [], {})
    for path, cell in exp.items():
        if cell == "":
            r.check(path not in got, "blank seed cell %s is absent in data" % path,
                    "found %r" % (got.get(path),))
            continue
        if not r.check(path in got, "seed cell %s = %s is in data" % (path, cell)):
            continue
        v = got[path]
        if re.match(r"^-?\d+$", cell):
            ok = isinstance(v, int) and not isinstance(v, bool) and v == int(cell)
        else:
            ok = str(v) == cell
        r.check(ok, "data %s = %s" % (path, cell), "found %r" % (v,))
    for path in got:
        r.check(path in exp and exp[path] != "", "data %s is a filled cell of the seed" % path)
    r.check(not any(p == "t3.results_total" or p.startswith("t3.results_total.") for p in got),
            "t3.results_total is left out (blank in the report)")
    r.check(re.search(r"^\s*#.*results_total", raw_text, re.M) is not None,
            "a YAML comment explains the missing results_total")


# ---------------------------------------------------------------- meta, structure, signature

def as_str(v):
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def check_meta(meta, items, r):
    meta = meta or {}
    r.check(set(meta) <= META_KEYS, "meta uses only documented keys", str(set(meta) - META_KEYS))
    r.check(text_of(meta.get("issuer")) == items[0]["text"], "meta.issuer is the seed's first line")
    r.check(text_of(meta.get("title")).replace("\n", "") == items[0]["text"] + items[1]["text"],
            "meta.title is the seed's first two lines")
    r.check(meta.get("year") == 2019, "meta.year 2019")
    r.check(meta.get("format") == 2019, "meta.format 2019")
    r.check(meta.get("lang") == "zh-CN", "meta.lang zh-CN")
    period = meta.get("period") or {}
    r.check(as_str(period.get("from")) == "2019-01-01" and as_str(period.get("to")) == "2019-12-31",
            "meta.period 2019-01-01..2019-12-31")
    r.check(as_str(meta.get("published")) == "2020-03-31", "meta.published 2020-03-31")

    sentence = next((it["text"] for it in items if "邮政编码" in it["text"]), "")
    m = re.search(r"请与(.+?)联系\(地址:(.+?),邮政编码:(\d+),电话:([\d-]+),电子邮箱:([^)]+)\)", sentence)
    w = re.search(r"（(www\.[^）]+)）", sentence)
    if not r.check(m and w, "seed has the contact sentence"):
        return
    contact = meta.get("contact") or {}
    r.check(set(contact) <= CONTACT_KEYS, "contact uses only documented keys")
    want = dict(zip(["office", "address", "postcode", "phone", "email"], m.groups()))
    want["website"] = w.group(1)
    for k, v in want.items():
        got = contact.get(k)
        r.check(isinstance(got, str) and got == v, "meta.contact.%s = %s (a string)" % (k, v), repr(got))


def check_structure(body, blocks, r):
    kinds = [kind for _, kind, _ in blocks]
    for t, sec in (("t2", "二、"), ("t3", "三、"), ("t4", "四、")):
        at = [n for n, (_, kind, f) in enumerate(blocks) if kind == "statutory" and f.get("table") == t]
        if not r.check(len(at) == 1, "one statutory %s block" % t, str(at)):
            continue
        n = at[0]
        h1s = [k for k in range(n) if kinds[k] == "h1"]
        r.check(len(h1s) == sec_index(sec) and h1s[-1] == n - 1, "statutory %s comes right after h1 %s" % (t, sec))
        r.check(n + 1 < len(kinds) and kinds[n + 1] == "h1", "section %s holds only statutory %s" % (sec, t))
    r.check(kinds.count("statutory") == 3, "exactly 3 statutory blocks")
    if r.check(kinds and kinds[-1] == "signature", "the body ends with a signature"):
        f = blocks[-1][2]
        r.check(text_of(f.get("issuer")) == "济南市济阳区人民政府" and as_str(f.get("date")) == "2020-03-31",
                "signature: 济南市济阳区人民政府, 2020-03-31", repr(f))
    r.check(kinds.count("signature") == 1, "one signature")


def sec_index(sec):
    return CN_DIGITS.index(sec[0])


def check_markup_free(blocks, r):
    """Text that the engine would read as inline markup would not print as published."""
    bad = []
    for i, kind, f in blocks:
        for k in ("text", "runin", "lead", "caption"):
            s = text_of(f.get(k))
            if "**" in s or "[" in s or "\\" in s or s != s.strip():
                bad.append((i, k, s[:30]))
    r.check(not bad, "no inline markup or stray spaces in the texts", str(bad))


def main():
    try:
        import yaml
    except ImportError:
        skip("PyYAML is not installed (apt install python3-yaml, or pip install pyyaml)")
    seed = seed_text.seed_path()
    if not os.path.isfile(seed):
        skip("seed not found at %s (set NIANBAO_SEED)" % seed)

    r = Results(quiet=True)
    if not r.check(os.path.isfile(SAMPLE), "sample exists", SAMPLE):
        r.finish()
    with open(SAMPLE, encoding="utf-8") as f:
        raw = f.read()
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        r.check(False, "sample is valid YAML", str(e))
        r.finish()
    r.check(isinstance(doc, dict) and set(doc) <= TOP_KEYS and {"meta", "body"} <= set(doc),
            "top level is meta, body, data")
    doc = doc if isinstance(doc, dict) else {}

    items = seed_text.prose_items(seed)
    check_meta(doc.get("meta"), items, r)
    blocks = check_prose(items[2:], doc.get("body") or [], r)   # items 0, 1: issuer, title
    check_structure(doc.get("body") or [], blocks, r)
    check_figures(blocks, r)
    check_markup_free(blocks, r)
    check_data(doc.get("data"), seed_text.tables(seed), raw, r)
    r.finish()


if __name__ == "__main__":
    main()
