"""``tei build``: the whole pipeline over a folder of raw pages (default: the bundled examples)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..edition import BuildOptions, build_edition
from ..errors import TeiError
from ..resources import examples_dir
from .convert import add_convert_options, convert_options, report
from .render import add_image_host_option

RAW_SUFFIXES = (".txt", ".md")
#: Files of a folder of pages that describe the folder (README.md) and are not pages.
NOT_PAGES = ("readme",)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build an edition from a folder of raw pages (default: the bundled examples)",
        description="Convert every raw page (*.txt, *.md) of SRC to TEI (DIR/tei), align "
        "original and translation, validate the TEI against the shipped archive-edition "
        "schema and rules (DIR/validation.txt), and render the static HTML edition "
        "(DIR/index.html) and PDFs (DIR/pdf). Documents are rendered in parallel worker "
        "processes (--jobs). Progress is shown on a terminal, not in CI (CI=true) or when "
        "stderr is not a terminal. A README (README.md, README.txt) in SRC describes the folder "
        "and is not built. Without SRC, the bundled example pages are built.",
        epilog="Exit status: 0 built and valid, 1 some page failed or some TEI is invalid "
        "(everything else is still built), 2 usage error or a page that cannot be read "
        "(missing, a folder, no permission).",
    )
    p.add_argument("src", nargs="?", metavar="SRC", help="folder of raw pages")
    p.add_argument(
        "-o", "--output", default="edition", metavar="DIR", help="output folder (default: edition)"
    )
    add_convert_options(p)
    p.add_argument("--no-validate", action="store_true", help="skip validation")
    p.add_argument("--no-html", action="store_true", help="skip the HTML edition")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDFs (WeasyPrint)")
    p.add_argument("--pdf", action="store_true", help=argparse.SUPPRESS)  # the old opt-in
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes for validation and rendering (default 0: one per CPU)",
    )
    p.add_argument(
        "--iiif-base",
        default="",
        metavar="URL",
        help="the URL the edition will be published at: writes a IIIF Presentation 3 "
        "manifest per document with images of known size (DIR/iiif/<page>.json)",
    )
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="show progress"
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show progress"
    )
    p.add_argument(
        "--layout",
        choices=("parallel", "sequential"),
        default="parallel",
        help="PDF layout: original and translation side by side or one after the other",
    )
    add_image_host_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    src = Path(args.src) if args.src else examples_dir()
    if not src.is_dir():
        raise TeiError(f"{src}: not a folder of raw pages")
    pages = sorted(
        p
        for p in src.iterdir()
        if p.suffix.lower() in RAW_SUFFIXES and p.stem.lower() not in NOT_PAGES
    )
    # a link to a file outside SRC is not read: the edition publishes only SRC's own pages
    inside = src.resolve()
    outside = [p for p in pages if p.is_symlink() and not p.resolve().is_relative_to(inside)]
    sources = [p for p in pages if p not in outside and p.is_file()]
    for p in outside:
        print(
            f"tei: error: {p}: a symbolic link to a file outside {src}; not read",
            file=sys.stderr,
        )
    if not sources:
        raise TeiError(f"{src}: no raw pages (*.txt, *.md) found")
    out = Path(args.output)
    if args.iiif_base and not re.match(r"^https?://[^\s/]+", args.iiif_base):
        raise TeiError(f"--iiif-base {args.iiif_base!r}: an http(s) URL is needed")
    if args.jobs < 0:
        raise TeiError("--jobs must be 0 (one per CPU) or a positive number")
    options = BuildOptions(
        convert=convert_options(args),
        validate=not args.no_validate,
        html=not args.no_html,
        pdf=not args.no_pdf,
        pdf_layout=args.layout,
        image_hosts=args.image_host,
        jobs=args.jobs,
        progress=args.progress,
        iiif_base=args.iiif_base,
    )

    def failed(exc: TeiError) -> None:
        print(f"tei: error: {exc}", file=sys.stderr)

    try:
        result = build_edition(sources, out, options, on_error=failed)
    except OSError as exc:  # validation.txt or the HTML edition cannot be written under DIR
        raise TeiError(f"cannot write: {exc.strerror or exc}", path=str(out)) from None
    for copy, first in result.duplicates:
        print(
            f"{copy}: warning: same content as {first}; the edition has it twice "
            "(remove one of them)",
            file=sys.stderr,
        )
    status = report(result.converted)
    ok = result.tei_files
    docs = sum(1 for r in result.converted if r.output and r.kind == "document")
    print(
        f"built {len(ok)}/{len(result.converted)} pages into {out / 'tei'} "
        f"({docs} documents, {len(ok) - docs} listings)",
        file=sys.stderr,
    )
    if result.validation is not None:
        v = result.validation
        if not v.valid:  # the whole report, as written to DIR/validation.txt
            with v.report_path.open(encoding="utf-8") as fh:
                while chunk := fh.read(1 << 16):
                    sys.stderr.write(chunk)
            status = max(status, 1)
        print(f"validation: {v.summary} (report: {v.report_path})", file=sys.stderr)
    if result.pages:
        print(f"edition: {out / 'index.html'}", file=sys.stderr)
    if result.pdfs:
        print(f"pdf: {len(result.pdfs)} files in {out / 'pdf'}", file=sys.stderr)
    for w in result.warnings:
        print(f"tei: warning: {w}", file=sys.stderr)
    if result.removed:
        print(f"removed {len(result.removed)} stale files of the previous build", file=sys.stderr)
    if result.unhandled:
        from .render import unhandled_line

        print(unhandled_line(result.unhandled), file=sys.stderr)
    if result.errors or outside:
        status = max(status, 1)
    return status
