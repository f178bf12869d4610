"""nianbao batch: several reports at once, as many processes as cores (or -j N). Each PDF
is the same, byte for byte, as a single build of it; a failing report fails the batch but
not the others; two inputs that would write the same file, or a missing output folder,
are usage errors that build nothing.

usage: test_batch.py CLI
"""

import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdftools  # noqa: E402
from pdftools import Results, run  # noqa: E402

SAMPLES = ["jiyang-2019.yaml", "stress.yaml", "example-2021.yaml"]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    r = Results()
    cli = pdftools.cli_arg()
    tmp = tempfile.mkdtemp(prefix="nb-batch-")
    inputs = [os.path.join(pdftools.REPO, "samples", s) for s in SAMPLES]
    single = os.path.join(tmp, "single")
    out = os.path.join(tmp, "out")
    os.makedirs(single)
    os.makedirs(out)
    for src in inputs:
        name = os.path.splitext(os.path.basename(src))[0] + ".pdf"
        p = run([cli, "build", src, "-o", os.path.join(single, name)])
        r.check(p.returncode == 0, "single build of %s" % name, p.stderr[-300:])

    p = run([cli, "batch", "-j", "2", "-o", out] + inputs)
    r.check(p.returncode == 0, "batch of %d reports exits 0" % len(inputs), p.stderr[-300:])
    r.check("%d built, 0 failed" % len(inputs) in p.stderr, "batch says how many were built")
    for src in inputs:
        name = os.path.splitext(os.path.basename(src))[0] + ".pdf"
        a, b = os.path.join(single, name), os.path.join(out, name)
        r.check(os.path.exists(b) and read(a) == read(b), "%s: batch and single build agree" % name)

    # one bad report: the batch fails, the others are still built
    bad = os.path.join(tmp, "bad.yaml")
    shutil.copy(inputs[1], bad)
    with open(bad, "a", encoding="utf-8") as f:
        f.write("\nnonsense: true\n")
    out2 = os.path.join(tmp, "out2")
    os.makedirs(out2)
    p = run([cli, "batch", "-o", out2, inputs[1], bad])
    r.check(p.returncode == 1, "a failing report fails the batch", p.returncode)
    r.check("bad.yaml:" in p.stderr and "error:" in p.stderr, "its error is reported with its file")
    r.check(os.path.exists(os.path.join(out2, "stress.pdf")), "the good report is still built")
    r.check(not os.path.exists(os.path.join(out2, "bad.pdf")), "the bad one writes nothing")

    # usage errors build nothing
    out3 = os.path.join(tmp, "out3")
    os.makedirs(out3)
    twin = os.path.join(tmp, "twin")
    os.makedirs(twin)
    shutil.copy(inputs[1], os.path.join(twin, "stress.yaml"))
    p = run([cli, "batch", "-o", out3, inputs[1], os.path.join(twin, "stress.yaml")])
    r.check(p.returncode == 2 and not os.listdir(out3), "two inputs with one output name: usage error")
    p = run([cli, "batch", "-o", os.path.join(tmp, "missing"), inputs[1]])
    r.check(p.returncode == 2, "a missing output folder: usage error")
    p = run([cli, "batch", "-o", out3])
    r.check(p.returncode == 2, "no input: usage error")
    shutil.rmtree(tmp, ignore_errors=True)
    r.finish()


if __name__ == "__main__":
    main()
