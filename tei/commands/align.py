"""``tei align FILE.xml [-o OUT] [--report]``: (re)write the translation alignment of a TEI file."""

from __future__ import annotations

import argparse
import sys

from lxml import etree

from ..atomic import write_bytes_atomic
from ..errors import TeiError
from ..xmlsafe import parse_file


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "align",
        help="align original and translation blocks (writes standOff/linkGrp)",
        description="Align the blocks of div[@type='original'] with div[@type='translation'] "
        "(n:m, scored) and write standOff/linkGrp[@type='translation'], replacing any "
        "previous one. Rewrites FILE in place unless -o is given.",
    )
    p.add_argument("file", metavar="FILE.xml", help="TEI file to align")
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of rewriting FILE")
    p.add_argument(
        "--report",
        action="store_true",
        help="list low-confidence groups for an editor (on standard output)",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        metavar="P",
        help="confidence below which --report lists a group (default 0.5)",
    )
    p.set_defaults(func=run)


def _words(text: str, n: int = 6) -> str:
    w = text.split()
    return " ".join(w[:n]) + (" …" if len(w) > n else "")


def run(args: argparse.Namespace) -> int:
    from ..align.tei_io import align_tree  # imported lazily: keeps `tei --help` fast

    if not 0.0 <= args.threshold <= 1.0:
        raise TeiError("--threshold must be between 0 and 1")
    tree = parse_file(args.file)
    result = align_tree(tree, path=args.file)
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    if not data.endswith(b"\n"):
        data += b"\n"
    out = args.output or args.file
    try:
        write_bytes_atomic(out, data)
    except OSError as exc:
        raise TeiError(f"cannot write: {exc.strerror or exc}", path=out) from None
    if not result.groups:
        print(
            f"tei align: {args.file}: the divisions have no text; no links written", file=sys.stderr
        )
    if args.report:
        text = {b.id: b.text for b in (*result.orig, *result.trans)}
        low = result.low_confidence(args.threshold)
        print(f"{args.file}: {len(result.groups)} groups, {len(low)} below {args.threshold:g}")
        for g in low:
            ids = " ".join((*g.orig, *g.trans))
            o = " / ".join(_words(text[i]) for i in g.orig) or "—"
            t = " / ".join(_words(text[i]) for i in g.trans) or "—"
            print(
                f"  {g.shape:>4}  {g.score:.2f}  {ids}\n        {result.orig_lang}: {o}\n"
                f"        {result.trans_lang}: {t}"
            )
    return 0
