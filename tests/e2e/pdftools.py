"""Helpers for the end-to-end tests that run the CLI and look at the PDF it writes.

* Results            counts checks; finish() prints "N passed, N failed" and exits
* skip(why)          skips a whole test: "SKIP: why", "0 passed, 0 failed", exit 0
* need_modules(...)  re-runs the calling script under /usr/bin/python3 when the running
                     interpreter lacks a module (a pyenv or venv python3 first on PATH
                     does not see Debian's python3-fitz / python3-yaml)
* cli_arg()          the CLI named on the command line (usage and exit 2 without one)
* cli_env(...)       the environment to run the CLI in
* run(...)           subprocess.run with a timeout, text output, the CLI environment
* load_yaml(path)    a YAML file, parsed (needs PyYAML)
* shared_dir(), pdfcheck_path(), pdfcheck_cmd(...)
                     ../shared beside the repository, or $NIANBAO_SHARED
* pdfcheck_checks(...), pdfcheck_detail(...)
                     the checks of a pdfcheck --json report, a check's status for messages
* page_area_text(...), area_text(...)
                     the text of a page (of each page) inside the type area, glyph by glyph
* area_words(...)    MuPDF's words whose centre lies inside the type area
* pdffonts(...)      poppler's font table
* heading_number(...) the automatic number of a heading (一、 （一） 1. （1）)
* Pdf(path)           the object model from qpdf's JSON (and PyMuPDF for stream data)
* pdf_string(v)       a qpdf JSON string ("u:…" / "b:…") as text
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(REPO, "samples", "jiyang-2019.yaml")

MM = 72 / 25.4
A4 = (595.28, 841.89)  # points
# GB/T 9704 type area of layouts/gbt9704.yaml: left, top, right, bottom margins in mm
AREA_MM = (28, 37, 26, 35)


class Results:
    """Counts checks: check() prints "ok:   WHAT" for a pass and "FAIL: WHAT — DETAIL" for
    a failure, finish() prints "N passed, N failed" and exits 1 if anything failed.

    quiet        print nothing for a pass (only the failures)
    detail_limit cut a failure's detail to that many characters
    known_bugs   descriptions (prefixes) of checks that found an engine bug not fixed yet:
                 such a check still runs and a failure is printed, as "KNOWN BUG (not
                 counted): …", but not counted"""

    def __init__(self, quiet=False, detail_limit=None, known_bugs=()):
        self.passed = 0
        self.failed = 0
        self.quiet = quiet
        self.detail_limit = detail_limit
        self.known_bugs = tuple(known_bugs)

    def check(self, ok, what, detail=""):
        if not ok and what.startswith(self.known_bugs):
            print("KNOWN BUG (not counted): %s%s" % (what, (" — " + str(detail)) if detail else ""))
            return False
        if ok:
            self.passed += 1
            if not self.quiet:
                print("ok:   %s" % what)
        else:
            self.failed += 1
            print("FAIL: %s%s" % (what, (" — " + str(detail)[:self.detail_limit]) if detail else ""))
        sys.stdout.flush()
        return bool(ok)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def skip(why):
    """Skips the whole test (something it needs is missing): says why and exits 0."""
    print("SKIP: " + why)
    print("0 passed, 0 failed")
    sys.exit(0)


def need_modules(*names):
    """Makes sure `import NAME` works for every name, re-executing the script under
    /usr/bin/python3 (Debian's, which has python3-fitz and python3-yaml) if needed.
    Returns the list of modules that are still missing (empty when all are there)."""
    import importlib

    missing = []
    for n in names:
        try:
            importlib.import_module(n)
        except ImportError:
            missing.append(n)
    system = "/usr/bin/python3"
    if (missing and os.path.exists(system)
            and os.path.realpath(sys.executable) != os.path.realpath(system)
            and not os.environ.get("NIANBAO_REEXEC")):
        os.environ["NIANBAO_REEXEC"] = "1"
        sys.stdout.flush()
        os.execv(system, [system, os.path.abspath(sys.argv[0])] + sys.argv[1:])
    return missing


def cli_arg():
    """The CLI given as the first argument, as an absolute path. Without it, prints the
    usage and exits 2."""
    if len(sys.argv) < 2:
        print("usage: %s CLI" % os.path.basename(sys.argv[0]))
        sys.exit(2)
    return os.path.abspath(sys.argv[1])


def cli_env(extra=None, drop=()):
    """os.environ without the variables in `drop`, with `extra` added."""
    env = dict(os.environ)
    for k in drop:
        env.pop(k, None)
    if extra:
        env.update(extra)
    return env


def run(cmd, env=None, cwd=REPO, timeout=300):
    """subprocess.run(cmd) with captured text output. Never raises: a program that cannot
    be started or times out gives returncode -1000 and the reason in stderr."""
    try:
        return subprocess.run(cmd, cwd=cwd, env=env if env is not None else cli_env(),
                              capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(cmd, -1000, "", "cannot run %s: %s" % (cmd[0], e))


def load_yaml(path):
    """The YAML file at path, parsed with PyYAML's safe_load."""
    import yaml

    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def shared_dir():
    env = os.environ.get("NIANBAO_SHARED")
    if env:
        return env
    return os.path.normpath(os.path.join(REPO, "..", "shared"))


def pdfcheck_path():
    p = os.path.join(shared_dir(), "tools", "pdfcheck")
    return p if os.path.isfile(p) else None


def pdfcheck_cmd(path):
    """pdfcheck is a Python script for /usr/bin/python3 (it needs Debian's PyMuPDF)."""
    if os.access(path, os.X_OK):
        return [path]
    return ["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable, path]


def pdfcheck_checks(path):
    """{name: check} from the report pdfcheck --json wrote to path (its "checks" are a
    list of {name, status, figure, details, data}; a mapping by name is taken as is)."""
    with open(path, encoding="utf-8") as f:
        checks = json.load(f).get("checks", [])
    if isinstance(checks, dict):
        return checks
    return {c["name"]: c for c in checks}


def pdfcheck_detail(c):
    """A pdfcheck check's status, figure and first ten details, for a failure message."""
    return "%s: %s%s" % (c["status"], c.get("figure", ""),
                         "".join("\n    " + d for d in c.get("details", [])[:10]))


def area_rect(area_mm=AREA_MM, page=A4):
    left, top, right, bottom = area_mm
    return (left * MM, top * MM, page[0] - right * MM, page[1] - bottom * MM)


def _inside(bbox, rect, tol):
    """A glyph is in the type area when its vertical centre is, and at least 45% of its
    width is: full-width punctuation set at half width at a line end (or start) has only
    its ink half inside, as professional Chinese typesetting does."""
    x0, y0, x1, y1 = rect
    w = bbox[2] - bbox[0]
    overlap = min(bbox[2], x1 + tol) - max(bbox[0], x0 - tol)
    cy = (bbox[1] + bbox[3]) / 2
    return overlap >= 0.45 * w and y0 - tol <= cy <= y1 + tol


def page_area_text(page, rect=None, tol=0.5):
    """The characters of a page inside the type area, in the order MuPDF reads them (the
    content stream's), lines separated by newlines."""
    rect = rect or area_rect()
    out = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    if _inside(ch["bbox"], rect, tol):
                        out.append(ch["c"])
            out.append("\n")
    return "".join(out)


def area_text(doc, rect=None, tol=0.5):
    """[text of page 1, text of page 2, …]: page_area_text of each page."""
    return [page_area_text(page, rect, tol) for page in doc]


def area_words(doc, rect=None):
    rect = rect or area_rect()
    words = []
    for page in doc:
        for w in page.get_text("words"):
            cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
            if rect[0] <= cx <= rect[2] and rect[1] <= cy <= rect[3]:
                words.append(w[4])
    return words


def no_space(s):
    return re.sub(r"\s+", "", s)


def pdffonts(path):
    """[{'name', 'type', 'emb', 'sub', 'uni'}] from poppler's pdffonts, or None if it
    cannot be run."""
    p = run(["pdffonts", path], env=dict(os.environ), timeout=60)
    if p.returncode != 0:
        return None
    rows = []
    for line in p.stdout.splitlines()[2:]:
        t = line.split()
        if len(t) < 7:
            continue
        rows.append({"name": t[0], "type": " ".join(t[1:-6]), "emb": t[-5], "sub": t[-4],
                     "uni": t[-3]})
    return rows


# Automatic heading numbers, as the engine gives them: 一、 （一） 1. （1） by level.
CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (n < 100)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(level, n):
    """The automatic number of the n-th heading of a level (1 to 4)."""
    if level == 1:
        return cn_numeral(n) + "、"
    if level == 2:
        return "（" + cn_numeral(n) + "）"
    if level == 3:
        return "%d." % n
    return "（%d）" % n


# ---- the object model, from qpdf's JSON ------------------------------------------------

class Pdf:
    def __init__(self, path):
        self.path = path
        r = subprocess.run(["qpdf", "--json=2", "--json-stream-data=none", path],
                           capture_output=True, text=True, timeout=60)
        j = json.loads(r.stdout)["qpdf"][1]
        self.objs = j
        self.trailer = j["trailer"]["value"]
        self.raw = open(path, "rb").read()
        import fitz  # Debian: python3-fitz (need_modules re-runs under /usr/bin/python3)
        self.doc = fitz.open(path)

    def get(self, ref):
        """An object's value: a dict for a stream (its dictionary), resolved once."""
        if isinstance(ref, str) and ref.endswith(" R"):
            o = self.objs.get("obj:" + ref)
            if o is None:
                return None
            return o["stream"]["dict"] if "stream" in o else o["value"]
        return ref

    def is_stream(self, ref):
        return isinstance(ref, str) and "stream" in self.objs.get("obj:" + ref, {})

    def catalog(self):
        return self.get(self.trailer["/Root"])

    def info(self):
        return self.get(self.trailer["/Info"])

    def streams(self):
        for k, v in self.objs.items():
            if k.startswith("obj:") and "stream" in v:
                yield k[4:], v["stream"]["dict"]

    def dicts(self):
        """Every dictionary, also nested ones."""
        def walk(v):
            if isinstance(v, dict):
                yield v
                for x in v.values():
                    yield from walk(x)
            elif isinstance(v, list):
                for x in v:
                    yield from walk(x)
        for k, v in self.objs.items():
            if k.startswith("obj:"):
                yield from walk(v["stream"]["dict"] if "stream" in v else v.get("value"))

    def stream_data(self, ref):
        return self.doc.xref_stream(int(ref.split()[0]))


def pdf_string(v):
    """qpdf's JSON strings: "u:text" or "b:hex"."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        return bytes.fromhex(v[2:]).decode("latin-1")
    return v
