#!/usr/bin/env python3
"""The command line on bad inputs and bad usage.

    python3 tests/e2e/test_cli.py CLI

Each bad input is a copy of samples/jiyang-2019.yaml (in a temporary folder, with its
images) with one change:

  (a) a misspelt key in a figure (caption → captoin),
  (b) a value of the wrong type (year: [2019]),
  (c) an image path that does not exist,
  (d) a PNG whose header is fine but whose image data is damaged (found only when the
      PDF is written).

For each: `build COPY -o OUT.pdf` exits non-zero, prints COPY:LINE:COL: error: on stderr
at the changed line (and column), creates no OUT.pdf and leaves no temporary file; an
OUT.pdf that already exists is left byte for byte as it was; `check COPY` fails the same
way (except (d), which only the PDF writer sees).

Also: `check` on the sample exits 0 and prints no error; unknown options, a missing -o,
an unknown command and no arguments are usage errors (exit 2, "usage:" on stderr); a
number of table 三 changed so that its row no longer adds up is a warning naming its
line, and with --strict an error that makes `check` fail.

The last line is "N passed, N failed"; the exit status is 1 when anything failed.
Checks listed in KNOWN_BUGS are reported but not counted (see there).
"""

import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import Results, run  # noqa: E402

SAMPLE_DIR = os.path.dirname(pdftools.SAMPLE)

# Engine bugs that this test has found and that are not fixed yet: the check still runs
# and prints its outcome, but a failure is not counted. Remove an entry once fixed.
KNOWN_BUGS = ()


def make_copy(tmp, name, edit):
    """Copies the sample and its images into tmp/name/, applies edit(lines) -> (line, col)
    (1-based, where the error must be reported) and returns (path, line, col)."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    shutil.copytree(os.path.join(SAMPLE_DIR, "images"), os.path.join(d, "images"))
    with open(pdftools.SAMPLE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    line, col, also = edit(lines, d)
    path = os.path.join(d, "report.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return path, line, col, also


def replace_first(pattern, old, new):
    """An edit: in the first line matching `pattern`, replaces `old` by `new`; the error
    is expected where `new` starts."""
    def edit(lines, d):
        for i, s in enumerate(lines):
            if re.search(pattern, s) and old in s:
                lines[i] = s.replace(old, new, 1)
                return i + 1, lines[i].index(new) + 1, None
        raise AssertionError("sample has no line matching %r with %r" % (pattern, old))
    return edit


def damage_png(lines, d):
    """Damages the image data of the first PNG figure. The error may name the figure's
    line, or the image file itself (it is found only when the image is embedded)."""
    for i, s in enumerate(lines):
        m = re.search(r"-\s*figure:.*image:\s*(images/\S+\.png)", s)
        if m:
            path = os.path.join(d, m.group(1))
            with open(path, "rb") as f:
                data = bytearray(f.read())
            at = data.find(b"IDAT")
            for k in range(at + 8, len(data) - 16):
                data[k] ^= 0x5A
            with open(path, "wb") as f:
                f.write(bytes(data))
            return i + 1, None, path
    raise AssertionError("sample has no PNG figure")


CASES = [
    ("misspelt key", replace_first(r"-\s*figure:", "caption:", "captoin:"), True),
    ("wrong type", replace_first(r"^\s+year:\s*2019\s*$", "2019", "[2019]"), True),
    ("missing image", replace_first(r"-\s*figure:", "images/fig1.jpg", "images/no-such-fig.jpg"),
     True),
    ("damaged PNG", damage_png, False),
]


def leftovers(d, name):
    return [f for f in os.listdir(d) if f.startswith(name) and f != name]


def error_at(stderr, path, line, col):
    """Whether stderr has 'path:line:col: error:' (col None: any column)."""
    where = re.escape(path) + ":%d:" % line + (r"%d" % col if col else r"\d+") + r": error: "
    return re.search("^" + where, stderr, re.M) is not None


def bad_input_cases(cli, tmp, r):
    for name, edit, check_too in CASES:
        path, line, col, image = make_copy(tmp, name.replace(" ", "_"), edit)
        d = os.path.dirname(path)
        out = os.path.join(d, "OUT.pdf")
        where = "%s:%d:%s" % (os.path.basename(path), line, col or "*")

        p = run([cli, "build", path, "-o", out])
        r.check(p.returncode != 0, "%s: build exits with an error status" % name,
                "exit %d" % p.returncode)
        r.check(p.returncode not in (-6, 134) and "AddressSanitizer" not in p.stderr
                and "runtime error" not in p.stderr,
                "%s: build reports an error instead of crashing" % name,
                "exit %d, stderr: %s" % (p.returncode, p.stderr[-800:]))
        said = error_at(p.stderr, path, line, col) or (
            image is not None and re.search("^" + re.escape(image) + r":(\d+:\d+:)? ?error: ", p.stderr, re.M))
        r.check(said, "%s: build says %s: error:%s" % (name, where, " (or names the image)" if image else ""),
                p.stderr[-1500:])
        r.check(not os.path.exists(out), "%s: no output file is created" % name)
        r.check(not leftovers(d, "OUT.pdf"), "%s: no temporary file is left" % name,
                str(leftovers(d, "OUT.pdf")))

        old = b"%PDF-1.4\n% an older report that must survive a failed build\n" + os.urandom(64)
        with open(out, "wb") as f:
            f.write(old)
        before = os.stat(out)
        p = run([cli, "build", path, "-o", out])
        with open(out, "rb") as f:
            same = f.read() == old
        after = os.stat(out)
        r.check(p.returncode != 0 and same and before.st_mtime_ns == after.st_mtime_ns
                and before.st_ino == after.st_ino,
                "%s: an existing OUT.pdf is left untouched" % name,
                "exit %d, same bytes %s" % (p.returncode, same))
        r.check(not leftovers(d, "OUT.pdf"), "%s: no temporary file is left beside OUT.pdf" % name,
                str(leftovers(d, "OUT.pdf")))

        if check_too:
            p = run([cli, "check", path])
            r.check(p.returncode > 0 and error_at(p.stderr, path, line, col),
                    "%s: check fails with %s: error:" % (name, where),
                    "exit %d, stderr: %s" % (p.returncode, p.stderr[-1500:]))


def usage_cases(cli, tmp, r):
    out = os.path.join(tmp, "usage.pdf")
    cases = [
        ("unknown option", ["build", pdftools.SAMPLE, "--frobnicate", "-o", out], "unknown option"),
        ("missing -o", ["build", pdftools.SAMPLE], "-o"),
        ("-o without a file", ["build", pdftools.SAMPLE, "-o"], None),
        ("unknown command", ["typeset", pdftools.SAMPLE, "-o", out], "unknown command"),
        ("no arguments", [], None),
        ("two inputs", ["check", pdftools.SAMPLE, pdftools.SAMPLE], "unexpected argument"),
    ]
    for name, args, says in cases:
        p = run([cli] + args)
        r.check(p.returncode == 2 and "usage:" in p.stderr and (not says or says in p.stderr),
                "%s: usage error (exit 2, 'usage:'%s)" % (name, ", '%s'" % says if says else ""),
                "exit %d, stderr: %s" % (p.returncode, p.stderr[-600:]))
        r.check(not os.path.exists(out), "%s: nothing is written" % name)
    p = run([cli, "--version"])
    r.check(p.returncode == 0 and p.stdout.startswith("nianbao "), "--version",
            "exit %d: %s" % (p.returncode, p.stdout))
    p = run([cli, "--help"])
    r.check(p.returncode == 0 and "usage:" in p.stdout, "--help prints the usage on stdout")


def check_cases(cli, tmp, r):
    p = run([cli, "check", pdftools.SAMPLE])
    r.check(p.returncode == 0 and ": error:" not in p.stderr, "check on the sample exits 0",
            "exit %d, stderr: %s" % (p.returncode, p.stderr[-1500:]))

    # table 三, row (一)予以公开: 自然人 41 → 40 while 总计 stays 41
    path, line, _, _ = make_copy(tmp, "strict", replace_first(r"^\s+disclosed:\s*\{", "natural_person: 41",
                                                            "natural_person: 40"))
    p = run([cli, "check", "--strict", pdftools.SAMPLE])
    r.check(not re.search(r":%d:\d+: " % line, p.stderr),
            "check --strict on the sample says nothing about line %d" % line, p.stderr[-1500:])
    p = run([cli, "check", path])
    r.check(p.returncode == 0 and error_at(p.stderr.replace(": warning: ", ": error: "), path, line, None),
            "changed number: check warns at line %d and exits 0" % line,
            "exit %d, stderr: %s" % (p.returncode, p.stderr[-1500:]))
    p = run([cli, "check", "--strict", path])
    r.check(p.returncode > 0 and error_at(p.stderr, path, line, None),
            "changed number: check --strict fails with an error at line %d" % line,
            "exit %d, stderr: %s" % (p.returncode, p.stderr[-1500:]))
    out = os.path.join(os.path.dirname(path), "OUT.pdf")
    p = run([cli, "build", "--strict", path, "-o", out])
    r.check(p.returncode > 0 and error_at(p.stderr, path, line, None) and not os.path.exists(out),
            "changed number: build --strict fails at line %d and writes nothing" % line,
            "exit %d, stderr: %s" % (p.returncode, p.stderr[-1500:]))


def empty_text_cases(cli, tmp, r):
    """Texts that are there but empty ("" in one language) set nothing and crash nothing."""
    path = os.path.join(tmp, "empty.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write('meta: {issuer: 某区人民政府, year: 2019, format: 2019, published: 2020-01-15,\n'
                '       title: {zh: "", en: Report}}\n'
                'body:\n'
                '  - h1: {text: {zh: "", en: Heading}, number: none}\n'
                '  - h2: ""\n'
                '  - p: 正文。\n')
    for lang in ("zh", "en", "zh-en"):
        out = os.path.join(tmp, "empty-%s.pdf" % lang)
        p = run([cli, "build", path, "-o", out, "--lang", lang])
        r.check(p.returncode == 0 and os.path.exists(out) and "runtime error" not in p.stderr
                and "AddressSanitizer" not in p.stderr,
                "empty title and heading text (--lang %s): built without a crash" % lang,
                "exit %d, stderr: %s" % (p.returncode, p.stderr[-1500:]))


def main():
    cli = pdftools.cli_arg()
    r = Results(known_bugs=KNOWN_BUGS)
    tmp = tempfile.mkdtemp(prefix="nb-cli-")
    try:
        bad_input_cases(cli, tmp, r)
        usage_cases(cli, tmp, r)
        check_cases(cli, tmp, r)
        empty_text_cases(cli, tmp, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r.finish()


if __name__ == "__main__":
    main()
