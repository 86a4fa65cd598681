"""``tei build``: the whole pipeline over a folder of raw pages (default: the bundled examples)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import TeiError
from ..pipeline import ConvertOptions, convert_files
from ..resources import examples_dir
from .convert import add_convert_options, report

RAW_SUFFIXES = (".txt", ".md")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build an edition from a folder of raw pages (default: the bundled examples)",
        description="Convert every raw page (*.txt, *.md) of SRC to TEI in DIR/tei, "
        "then check the results. Without SRC, the bundled example pages are built.",
        epilog="Exit status: 0 built, 1 some page failed (the others are still built), "
        "2 usage error.",
    )
    p.add_argument("src", nargs="?", metavar="SRC", help="folder of raw pages")
    p.add_argument(
        "-o", "--output", default="edition", metavar="DIR", help="output folder (default: edition)"
    )
    add_convert_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    src = Path(args.src) if args.src else examples_dir()
    if not src.is_dir():
        raise TeiError(f"{src}: not a folder of raw pages")
    sources = sorted(p for p in src.iterdir() if p.suffix.lower() in RAW_SUFFIXES and p.is_file())
    if not sources:
        raise TeiError(f"{src}: no raw pages (*.txt, *.md) found")
    out = Path(args.output)
    tei_dir = out / "tei"
    options = ConvertOptions(facs_pattern=args.facs_pattern, align=not args.no_align)
    results = convert_files(sources, [tei_dir / f"{s.stem}.xml" for s in sources], options)
    status = report(results)
    ok = [r for r in results if r.output]
    docs = sum(1 for r in ok if r.kind == "document")
    print(
        f"built {len(ok)}/{len(results)} pages into {tei_dir} "
        f"({docs} documents, {len(ok) - docs} listings)",
        file=sys.stderr,
    )
    return status
