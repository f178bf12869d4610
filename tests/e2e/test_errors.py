#!/usr/bin/env python3
"""Runs `CLI check` on every tests/errors/*.yaml and checks the error it reports.

    python3 tests/e2e/test_errors.py CLI

Each file's first line says what to expect:

    # expect: LINE:COL: message

The check must exit non-zero and print "FILE:LINE:COL: error: message" on stderr
(FILE as given on the command line). The last line is always "N passed, N failed";
the exit status is 1 when anything failed.
"""

import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pdftools import REPO, Results, cli_arg  # noqa: E402

EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*)$")


def check_file(cli, path):
    """Returns None when the file behaves as expected, else what went wrong."""
    with open(path, encoding="utf-8") as f:
        m = EXPECT.match(f.readline().rstrip("\n"))
    if not m:
        return "first line is not '# expect: LINE:COL: message'"
    rel = os.path.relpath(path, REPO)
    want = "%s:%s:%s: error: %s" % (rel, m.group(1), m.group(2), m.group(3))
    try:
        p = subprocess.run([cli, "check", rel], cwd=REPO, capture_output=True, text=True,
                           timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "cannot run %s: %s" % (cli, e)
    if p.returncode == 0:
        return "exit status 0, expected an error"
    if p.returncode < 0:
        return "killed by signal %d" % -p.returncode
    if want not in p.stderr:
        return "stderr lacks %r; it was:\n%s" % (want, p.stderr)
    return None


def main():
    cli = cli_arg()
    files = sorted(glob.glob(os.path.join(REPO, "tests", "errors", "*.yaml")))
    r = Results(quiet=True)
    for path in files:
        problem = check_file(cli, path)
        r.check(not problem, "%s: %s" % (os.path.basename(path), problem))
    if not files:
        r.check(False, "no files in tests/errors")
    r.finish()


if __name__ == "__main__":
    main()
