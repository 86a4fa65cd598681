"""Rendering throughput: HTML pages per second and PDF seconds per page, on one core.

Usage: python bench/render_bench.py [--repeat R] [--pdf-docs N] [--no-pin]

HTML: every corpus in ../shared/corpora and the converter's output for the bundled examples,
one compiled stylesheet (html.xsl), one process pinned to one CPU. "file->html" is the whole
path (safe parse with tei.xmlsafe, Saxon parse, transform, serialization); "transform" is the
XSLT step alone on pre-parsed documents. Goal: >= 300 docs/s.
PDF: the converted example documents (print.xsl + WeasyPrint layout + write_pdf), seconds per
page, both layouts. Goal: <= 0.3 s/page.
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
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def our_outputs(tmp: Path) -> list[Path]:
    sources = sorted(examples_dir().glob("*.txt"))
    outs = [tmp / f"{s.stem}.xml" for s in sources]
    results = convert_files(sources, outs, ConvertOptions(align=True))
    if any(r.error for r in results):
        results = convert_files(sources, outs, ConvertOptions(align=False))
    return [r.output for r in results if r.output]


def html_row(label: str, files: list[Path], repeat: int) -> tuple[str, int, float, float, int]:
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

    size = sum(f.stat().st_size for f in files) // max(1, len(files))
    return label, len(files), best_of(repeat, full), best_of(repeat, transform_only), size


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf-docs", type=int, default=5)
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = ap.parse_args()
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    start = time.perf_counter()
    engine.executable("html")
    print(f"compile html.xsl: {1000 * (time.perf_counter() - start):.0f} ms (once per process)")

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
        rows = [html_row(label, files, args.repeat) for label, files in groups]
        all_files = [f for _, files in groups for f in files]
        rows.append(html_row("ALL", all_files, args.repeat))

        print()
        print(f"{'HTML':<14}{'files':>7}{'avg KB':>8}{'file->html/s':>14}{'transform/s':>13}")
        for label, n, full, xslt, size in rows:
            print(f"{label:<14}{n:>7}{size / 1024:>8.0f}{n / full:>14.0f}{n / xslt:>13.0f}")
        print("goal: >= 300 docs/s (file->html)")

        print()
        print(f"{'PDF':<28}{'layout':>11}{'pages':>7}{'seconds':>9}{'s/page':>8}")
        import weasyprint  # noqa: F401  (import cost ~0.35 s, not per document)

        docs = ours[: args.pdf_docs]
        for layout in ("parallel", "sequential"):
            total_pages, total = 0, 0.0
            for f in docs:
                t = time.perf_counter()
                html = print_html(parse_file(f), layout=layout, source_name=f.name)
                document = typeset(html, tmp)
                document.write_pdf()
                pages = len(document.pages)
                elapsed = time.perf_counter() - t
                total_pages += pages
                total += elapsed
                print(
                    f"{f.name[:27]:<28}{layout:>11}{pages:>7}{elapsed:>9.2f}{elapsed / pages:>8.2f}"
                )
            print(
                f"{'total':<28}{layout:>11}{total_pages:>7}{total:>9.2f}{total / total_pages:>8.2f}"
            )
        print("goal: <= 0.3 s/page")


if __name__ == "__main__":
    main()
