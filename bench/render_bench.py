"""Rendering throughput: HTML pages per second and PDF seconds per page, on one core.

Usage: python bench/render_bench.py [--repeat R] [--pdf-docs N] [--no-pin] [--build N]

Times are CPU seconds of this process (time.process_time: Saxon and WeasyPrint run in it), best
of R runs, so that other work on the machine does not count.

HTML: every corpus in ../shared/corpora and the converter's output for the bundled examples,
one compiled stylesheet (html.xsl), one process pinned to one CPU. "file->html" is the whole
path (safe parse with tei.xmlsafe, Saxon parse, transform, serialization); "transform" is the
XSLT step alone on pre-parsed documents. "floor" is the same whole path with an identity
stylesheet instead of html.xsl (lxml parse + serialize + Saxon parse + copy + serialization):
what any XSLT 3.0 rendering through saxonche costs at least. Goal: >= 300 docs/s.
PDF: the converted example documents (print.xsl + WeasyPrint layout + write_pdf), seconds per
page, both layouts. Goal: <= 0.3 s/page.
Build (--build N): `tei build` of the bundled examples copied N times (distinct bytes), with
--jobs 1 and --jobs 2, alternated: wall time, CPU time of the workers and peak memory, to show
the scaling and that memory does not grow with the number of pages.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from lxml import etree

from tei.pipeline import ConvertOptions, convert_files
from tei.render import engine
from tei.render.html import render_html
from tei.render.pdf import print_html, typeset
from tei.resources import examples_dir
from tei.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def our_outputs(tmp: Path) -> list[Path]:
    sources = sorted(examples_dir().glob("*.txt"))
    outs = [tmp / f"{s.stem}.xml" for s in sources]
    results = convert_files(sources, outs, ConvertOptions(align=True))
    if any(r.error for r in results):
        results = convert_files(sources, outs, ConvertOptions(align=False))
    return [r.output for r in results if r.output]


IDENTITY = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>
  <xsl:mode on-no-match="shallow-copy"/>
</xsl:stylesheet>"""


def html_row(label: str, files: list[Path], repeat: int, identity) -> tuple:
    proc = engine.processor()
    exe = engine.executable("html")

    def full() -> None:
        for f in files:
            render_html(parse_file(f), source_name=f.name)

    texts = [etree.tostring(parse_file(f).getroot(), encoding="unicode") for f in files]
    nodes = [proc.parse_xml(xml_text=t) for t in texts]

    def transform_only() -> None:
        for n in nodes:
            exe.transform_to_string(xdm_node=n)
            if hasattr(exe, "clear_xsl_messages"):
                exe.clear_xsl_messages()  # as tei.render.engine does after each transform

    def floor() -> None:
        for f in files:
            text = etree.tostring(parse_file(f).getroot(), encoding="unicode")
            identity.transform_to_string(xdm_node=proc.parse_xml(xml_text=text))

    size = sum(f.stat().st_size for f in files) // max(1, len(files))
    return (
        label,
        len(files),
        best_of(repeat, full),
        best_of(repeat, transform_only),
        best_of(repeat, floor),
        size,
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf-docs", type=int, default=5)
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    ap.add_argument("--build", type=int, default=0, metavar="N", help="also time tei build")
    ap.add_argument("--build-only", action="store_true", help="only the build timing")
    args = ap.parse_args()
    if args.build_only:
        build_scaling(max(1, args.build), args.repeat)
        return
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    start = time.perf_counter()
    engine.executable("html")
    print(f"compile html.xsl: {1000 * (time.perf_counter() - start):.0f} ms (once per process)")
    identity = engine._xslt30().compile_stylesheet(stylesheet_text=IDENTITY)
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"load average: {load} (other work on the machine skews the numbers)")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ours = our_outputs(tmp)
        groups = (
            [
                (d.name, sorted(d.glob("*.xml")))
                for d in sorted(CORPORA.iterdir())
                if d.is_dir() and any(d.glob("*.xml"))
            ]
            if CORPORA.is_dir()
            else []
        )
        groups.append(("our outputs", ours))
        rows = [html_row(label, files, args.repeat, identity) for label, files in groups]
        # overall = all documents over the summed per-corpus times (not a separate run)
        n_all = sum(r[1] for r in rows)
        total = [sum(r[i] for r in rows) for i in (2, 3, 4)]
        size_all = sum(r[5] * r[1] for r in rows) // max(1, n_all)
        rows.append(("ALL", n_all, *total, size_all))

        print()
        print(
            f"{'HTML':<14}{'files':>7}{'avg KB':>8}{'file->html/s':>14}{'transform/s':>13}"
            f"{'floor/s':>9}"
        )
        for label, n, full, xslt, flo, size in rows:
            print(
                f"{label:<14}{n:>7}{size / 1024:>8.0f}{n / full:>14.0f}{n / xslt:>13.0f}"
                f"{n / flo:>9.0f}"
            )
        print("goal: >= 300 docs/s (file->html); floor = identity stylesheet, same path")

        print()
        print(f"{'PDF':<28}{'layout':>11}{'pages':>7}{'seconds':>9}{'s/page':>8}")
        import weasyprint  # noqa: F401  (import cost ~0.35 s, not per document)

        docs = ours[: args.pdf_docs]
        if not docs:
            return
        for layout in ("parallel", "sequential"):
            total_pages, total = 0, 0.0
            for f in docs:
                t = time.process_time()
                html = print_html(parse_file(f), layout=layout, source_name=f.name)
                document = typeset(html, tmp)
                document.write_pdf()
                pages = len(document.pages)
                elapsed = time.process_time() - t
                total_pages += pages
                total += elapsed
                print(
                    f"{f.name[:27]:<28}{layout:>11}{pages:>7}{elapsed:>9.2f}{elapsed / pages:>8.2f}"
                )
            print(
                f"{'total':<28}{layout:>11}{total_pages:>7}{total:>9.2f}{total / total_pages:>8.2f}"
            )
        print("goal: <= 0.3 s/page")
    if args.build:
        build_scaling(args.build, args.repeat)


def _burn(n: int) -> float:
    start = time.process_time()
    x = 0
    for i in range(n):
        x += i * i
    return time.process_time() - start


def free_cores() -> float:
    """Wall time of two busy loops in parallel processes over that of one: 1.0 when two cores
    are free, 2.0 when the machine gives this bench one core's worth (then the wall times of
    --jobs 2 cannot show any speed-up, whatever the build does)."""
    import multiprocessing

    n = 5_000_000
    start = time.perf_counter()
    _burn(n)
    one = time.perf_counter() - start
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [1000, 1000])  # the workers are up before the clock starts
        start = time.perf_counter()
        pool.map(_burn, [n, n])
        two = time.perf_counter() - start
    return two / one


def build_scaling(copies: int, repeat: int) -> None:
    """`tei build` (a child process each run) with 1 and 2 jobs, alternated."""
    import resource
    import subprocess
    import sys

    with tempfile.TemporaryDirectory() as tmp_name:
        src = Path(tmp_name) / "src"
        src.mkdir()
        for k in range(copies):
            for page in sorted(examples_dir().glob("*.txt")):
                data = page.read_bytes() + b"\n" * (k + 1)  # same text, distinct bytes
                (src / f"{page.stem}-{k:03d}.txt").write_bytes(data)
        n = len(list(src.iterdir()))
        best: dict[str, tuple[float, float, int]] = {}
        for _ in range(repeat):
            for jobs in ("1", "2"):
                out = Path(tmp_name) / f"out{jobs}"
                cmd = [sys.executable, "-m", "tei", "build", str(src), "-o", str(out)]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                proc = subprocess.run(
                    [*cmd, "--jobs", jobs, "--no-progress"], capture_output=True, cwd=tmp_name
                )
                wall = time.perf_counter() - t
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if proc.returncode not in (0, 1):
                    raise SystemExit(proc.stderr.decode()[-2000:])
                cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                rss = after.ru_maxrss  # KiB, the largest child so far (main process or worker)
                if jobs not in best or wall < best[jobs][0]:
                    best[jobs] = (wall, cpu, rss)
        print()
        print(f"build: {n} pages (examples x{copies}), HTML + PDF, best of {repeat}")
        print(f"{'jobs':<6}{'wall s':>9}{'cpu s':>9}{'pages/s':>9}{'peak MB':>9}")
        for jobs, (wall, cpu, rss) in best.items():
            print(f"{jobs:<6}{wall:>9.1f}{cpu:>9.1f}{n / wall:>9.2f}{rss / 1024:>9.0f}")
        speedup = best["1"][0] / best["2"][0]
        print(f"speed-up with 2 jobs: {speedup:.2f}x (2 cores shared with other work)")
        extra = best["2"][1] - best["1"][1]
        ideal = (best["1"][1] + extra) / 2
        print(
            f"CPU the second worker adds (start-up): {extra:.1f} s; with two free cores "
            f"the ideal wall time of --jobs 2 is ~{ideal:.1f} s"
        )
        ratio = free_cores()
        print(
            f"free-core check: two busy loops in parallel take {ratio:.2f}x the wall time "
            "of one (1.0: two free cores; 2.0: one core's worth, no speed-up possible)"
        )


if __name__ == "__main__":
    main()
