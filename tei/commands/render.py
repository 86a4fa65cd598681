"""``tei render``: TEI -> HTML edition (pages, index, assets) or PDF."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..errors import TeiError, UnreadableError

EPILOG = (
    "Exit status: 0 all rendered, 1 some file could not be rendered, 2 usage error or a "
    "file that cannot be read (missing, a folder, no permission)."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render",
        help="render TEI as an HTML edition or as PDF",
        description="Render TEI files: an HTML edition (one page per file, index.html, assets) "
        "or one PDF per file.",
        epilog=EPILOG,
    )
    formats = p.add_subparsers(dest="render_format", metavar="FORMAT")
    h = formats.add_parser(
        "html",
        help="HTML edition: pages with parallel view, facsimile panel and index.html",
        description="Write DIR/<name>.html for each TEI file, DIR/index.html and DIR/assets/. "
        "Local facsimile images are shown when they exist under DIR.",
        epilog=EPILOG,
    )
    h.add_argument("files", nargs="+", metavar="FILE", help="TEI file(s)")
    h.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    add_image_host_option(h)
    h.set_defaults(func=run_html)
    d = formats.add_parser(
        "pdf",
        help="PDF per TEI file (WeasyPrint), original and translation in parallel or in sequence",
        description="Write DIR/<name>.pdf for each TEI file.",
        epilog=EPILOG,
    )
    d.add_argument("files", nargs="+", metavar="FILE", help="TEI file(s)")
    d.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    d.add_argument(
        "--layout",
        choices=("parallel", "sequential"),
        default="parallel",
        help="original and translation side by side (one two-column table per aligned group; "
        "default) or one after the other",
    )
    add_time_limit_option(d)
    d.set_defaults(func=run_pdf)
    p.set_defaults(func=lambda args: _usage(p))


def add_image_host_option(p: argparse.ArgumentParser) -> None:
    """``--image-host``: the link policy's allow-list of remote image hosts."""
    p.add_argument(
        "--image-host",
        action="append",
        default=[],
        metavar="HOST",
        help="show remote images (graphic/@url, IIIF) from HOST in the pages (repeatable); "
        "without it no page loads anything from another site",
    )


def add_time_limit_option(p: argparse.ArgumentParser) -> None:
    """``--time-limit``: the bound on typesetting one PDF."""
    from ..render.pdf import TIME_LIMIT

    p.add_argument(
        "--time-limit",
        type=float,
        default=TIME_LIMIT,
        metavar="SECONDS",
        help=f"stop typesetting a PDF after SECONDS (default {TIME_LIMIT:g}; 0: no limit)",
    )


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2


def _status(errors: list[TeiError]) -> int:
    """0, 1 if some input could not be rendered, 2 if some input could not even be read."""
    return max((2 if isinstance(e, UnreadableError) else 1 for e in errors), default=0)


def _collector(errors: list[TeiError]):
    def report(exc: TeiError) -> None:
        print(f"tei: error: {exc}", file=sys.stderr)
        errors.append(exc)

    return report


def run_html(args: argparse.Namespace) -> int:
    from ..render.html import render_edition

    errors: list[TeiError] = []
    out = Path(args.output)
    unhandled: Counter[str] = Counter()
    try:
        written = render_edition(
            [Path(f) for f in args.files],
            out,
            on_error=_collector(errors),
            image_hosts=args.image_host,
            unhandled=unhandled,
        )
    except OSError as exc:  # an output folder that cannot be made or written
        raise TeiError(f"cannot write: {exc.strerror or exc}", path=str(out)) from None
    pages = len(args.files) - len(errors)
    print(
        f"rendered {pages}/{len(args.files)} pages, index.html and assets into {out} "
        f"({len(written)} files)",
        file=sys.stderr,
    )
    if unhandled:
        print(unhandled_line(unhandled), file=sys.stderr)
    return _status(errors)


def unhandled_line(counts: Counter[str]) -> str:
    """The summary of elements no template knows: name x count, by name."""
    listed = ", ".join(f"{name} x{n}" for name, n in sorted(counts.items()))
    return f"unhandled elements (rendered as plain text): {listed}"


def run_pdf(args: argparse.Namespace) -> int:
    from ..render.pdf import render_pdf

    errors: list[TeiError] = []
    out = Path(args.output)
    try:
        written = render_pdf(
            [Path(f) for f in args.files],
            out,
            layout=args.layout,
            on_error=_collector(errors),
            time_limit=args.time_limit,
        )
    except OSError as exc:  # an output folder that cannot be made or written
        raise TeiError(f"cannot write: {exc.strerror or exc}", path=str(out)) from None
    print(f"rendered {len(written)}/{len(args.files)} PDF files into {out}", file=sys.stderr)
    return _status(errors)
