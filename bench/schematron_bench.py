"""Schematron throughput: our XSLT 3.0 compiler on saxonche vs lxml.isoschematron (and jing).

Usage: python bench/schematron_bench.py [--corpus DIR] [--limit N] [--repeat R] [--jing]

Every engine parses each file with tei.xmlsafe and validates it; compile time is reported
separately.  The XPath 1.0 rule set (tests/data/schematron/xpath1-tei.sch) runs on every
engine; ircyr-checking.sch (XPath 2.0) and tei_all.isosch (xslt2) only on ours.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree, isoschematron

from tei.schematron import SchematronValidator
from tei.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
XPATH1 = REPO / "tests" / "data" / "schematron" / "xpath1-tei.sch"


def _files(corpus: Path, limit: int) -> list[Path]:
    files = [p for p in sorted(corpus.glob("*.xml")) if p.name != "encoding-desc.xml"]
    return files[:limit]


def _rate(label: str, files: list[Path], repeat: int, fn) -> float:
    best = float("inf")
    found = 0
    for _ in range(repeat):
        t = time.perf_counter()
        found = sum(fn(f) for f in files)
        best = min(best, time.perf_counter() - t)
    rate = len(files) / best
    print(f"  {label:<44} {rate:8.0f} files/s  ({found} findings)")
    return rate


def bench_ours(schema: Path | str, files: list[Path], repeat: int, label: str) -> float:
    t = time.perf_counter()
    v = SchematronValidator(schema)
    print(f"  {label:<44} compile {time.perf_counter() - t:6.3f} s")
    return _rate(label, files, repeat, lambda f: len(v.validate_file(f)))


def bench_lxml(schema: Path, files: list[Path], repeat: int) -> float:
    t = time.perf_counter()
    s = isoschematron.Schematron(etree.parse(str(schema)), store_report=True)
    print(f"  {'lxml.isoschematron':<44} compile {time.perf_counter() - t:6.3f} s")
    svrl = "{http://purl.oclc.org/dsdl/svrl}"

    def one(f: Path) -> int:
        s.validate(parse_file(f))
        rep = s.validation_report
        return sum(1 for _ in rep.iter(f"{svrl}failed-assert", f"{svrl}successful-report"))

    return _rate("lxml.isoschematron", files, repeat, one)


def bench_jing(schema: Path, files: list[Path]) -> float | None:
    jing = shutil.which("pyjing")
    if not jing:
        return None
    t = time.perf_counter()
    subprocess.run([jing, str(schema), *map(str, files)], capture_output=True, check=False)
    rate = len(files) / (time.perf_counter() - t)
    print(f"  {'jing (one JVM, incl. start-up)':<44} {rate:8.0f} files/s")
    return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "iospe")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jing", action="store_true", help="also time jing via pyjing")
    args = ap.parse_args(argv)
    files = _files(args.corpus, args.limit)
    if not files:
        print(f"no XML files in {args.corpus}", file=sys.stderr)
        return 2
    print(f"{len(files)} files from {args.corpus}, best of {args.repeat}")
    print(f"XPath 1.0 rule set {XPATH1.name}:")
    ours = bench_ours(XPATH1, files, args.repeat, "ours (XSLT 3.0 on saxonche)")
    lx = bench_lxml(XPATH1, files, args.repeat)
    print(f"  ours / lxml = {ours / lx:.2f}x")
    if args.jing:
        bench_jing(XPATH1, files)
    for sch in (
        SHARED / "corpora" / "schematron" / "ircyr-checking.sch",
        SHARED / "tei" / "tei_all.isosch",
    ):
        if sch.exists():
            print(f"{sch.name}:")
            bench_ours(sch, files, args.repeat, "ours (XSLT 3.0 on saxonche)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
