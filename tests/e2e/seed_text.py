"""Reads the text dump of the real Jiyang 2019 report (the "seed").

The dump is one paragraph per line. Its artefacts:

* ``[image: …]`` marks a figure, at the start of a paragraph, inside it, or alone
  on a line; ``[bookmark: …]`` is a Word bookmark. Both are dropped from the text.
* The statutory tables are dumped one cell per line: a cell line starts with a TAB;
  a hard line break inside a cell continues it on the next line(s) *without* a TAB
  (e.g. "\\t本年新" + "公开数量"); rows are separated by blank lines; rowspans show
  as empty cells; colspans are dropped.

Rule used to tell table lines from prose: a line is a table line if it starts with
a TAB, or if it is non-blank, the line just before it is a table line, and it is not
a section heading ("二、…" at the start of a line). Everything else that is not
blank (after removing the markers' artefacts) is prose. No prose paragraph of a
report starts with a TAB, and the cell continuations always follow their cell
directly, so the rule does not depend on the section a line is in.

Functions:
  seed_path()            where the seed is (env NIANBAO_SEED, else ../shared/seed/)
  prose_items(path)      [{'line', 'text', 'images', 'raw'}], markers removed; a
                         marker-only line gives text ''
  paragraphs(path)       the prose paragraphs (non-empty texts) in order
  tables(path)           {'t2'|'t3'|'t4': [row, …]}, row = [cell, …]; a cell keeps
                         its hard breaks as "\\n"; empty cells are ''
  table_cells(path)      [(table, row, col, text)] for every non-empty cell
  table_numbers(path)    the subset of table_cells that are numbers (or amounts)
"""

import os
import re

from pdftools import REPO

SEED_NAME = "jiyang-2019-report.txt"

IMAGE_RE = re.compile(r"\[image:\s*([^\]]*)\]")
BOOKMARK_RE = re.compile(r"\[bookmark:\s*[^\]]*\]")
SECTION_RE = re.compile(r"^[一二三四五六七八九十]+、")
NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?(?:万元|元)?$")

_TABLE_OF_SECTION = {"二": "t2", "三": "t3", "四": "t4"}


def seed_path():
    """The seed file: $NIANBAO_SEED, else <repo>/../shared/seed/<name>. May not exist."""
    env = os.environ.get("NIANBAO_SEED")
    if env:
        return env
    return os.path.normpath(os.path.join(REPO, "..", "shared", "seed", SEED_NAME))


def read_lines(path=None):
    with open(path or seed_path(), encoding="utf-8") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_blank(line):
    return line.strip() == ""


def classify(lines):
    """For each line: 'blank', 'table' or 'prose'."""
    kinds = []
    for i, line in enumerate(lines):
        if line.startswith("\t"):
            kinds.append("table")  # a cell, possibly empty ("\t" alone)
        elif _is_blank(line):
            kinds.append("blank")
        elif i > 0 and kinds[i - 1] == "table" and not SECTION_RE.match(line):
            kinds.append("table")  # hard break inside a cell
        else:
            kinds.append("prose")
    return kinds


def image_name(marker_path):
    """'C:\\…\\新建文件夹\\图2.jpg' -> '图2'; '图5' -> '图5'."""
    base = re.split(r"[\\/]", marker_path.strip())[-1]
    return os.path.splitext(base)[0]


def prose_items(path=None):
    lines = read_lines(path)
    kinds = classify(lines)
    items = []
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind != "prose":
            continue
        images = [image_name(m) for m in IMAGE_RE.findall(line)]
        text = BOOKMARK_RE.sub("", IMAGE_RE.sub("", line)).strip()
        if not text and not images:
            continue
        items.append({"line": i + 1, "text": text, "images": images, "raw": line})
    return items


def paragraphs(path=None):
    """The prose paragraphs of the seed, markers removed, in order (titles included)."""
    return [it["text"] for it in prose_items(path) if it["text"]]


def tables(path=None):
    """The dumped tables, keyed by the section heading (二、三、四、) they follow."""
    lines = read_lines(path)
    kinds = classify(lines)
    result = {}
    current = None  # rows of the table being read
    row = None
    for line, kind in zip(lines, kinds):
        if kind == "prose":
            m = SECTION_RE.match(line)
            key = _TABLE_OF_SECTION.get(line[: m.end() - 1]) if m else None
            current = result.setdefault(key, []) if key else None
            row = None
            continue
        if current is None:
            continue
        if kind == "blank":
            row = None
        elif line.startswith("\t"):
            if row is None:
                row = []
                current.append(row)
            row.append(line[1:].strip())
        else:  # continuation of the last cell
            row[-1] = (row[-1] + "\n" + line.strip()) if row[-1] else line.strip()
    return result


def table_cells(path=None):
    out = []
    for t, rows in sorted(tables(path).items()):
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell:
                    out.append((t, r, c, cell))
    return out


def is_number(cell):
    return bool(NUMBER_RE.match(cell))


def table_numbers(path=None):
    return [x for x in table_cells(path) if is_number(x[3])]


def norm_label(cell):
    """A label cell without its hard breaks and spaces."""
    return re.sub(r"\s+", "", cell)


if __name__ == "__main__":
    for p in paragraphs():
        print(p[:60])
    for t, rows in sorted(tables().items()):
        print(t, len(rows), "rows")
        for r in rows:
            print("   ", r)
