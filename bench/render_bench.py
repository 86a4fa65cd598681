"""Rendering throughput: HTML pages per second and PDF seconds per page, on one core.

Usage: python bench/render_bench.py [--repeat R] [--pdf-docs N] [--no-pin]

HTML: every corpus in ../shared/corpora and the converter's output for the bundled examples,
one compiled stylesheet (html.xsl), one process pinned to one CPU. "file->html" is the whole
path (safe parse with tei.xmlsafe, Saxon parse, transform, serialization); "transform" is the
XSLT step alone on pre-parsed documents. "floor" is the same whole path with an identity
stylesheet instead of html.xsl (lxml parse + serialize + Saxon parse + copy + serialization):
what any XSLT 3.0 rendering through saxonche costs at least. Goal: >= 300 docs/s.
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
    args = ap.parse_args()
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
