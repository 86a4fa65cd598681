"""``tei convert``: raw archive pages -> TEI P5."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..converters import DEFAULT_FACS_PATTERN
from ..errors import TeiError, UnreadableError
from ..pipeline import Converted, ConvertOptions, convert_files, render_bytes


def add_convert_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--facs-pattern",
        default=DEFAULT_FACS_PATTERN,
        metavar="PATTERN",
        help="URL of each folio image; {doc} is the document number, {folio} the folio "
        f"(default: {DEFAULT_FACS_PATTERN}; IIIF example: "
        "https://iiif.example.org/{doc}-{folio}/full/max/0/default.jpg)",
    )
    p.add_argument(
        "--iiif-manifest",
        default="",
        metavar="URL-OR-FILE",
        help="a IIIF Presentation manifest (a file, or an https:// URL) whose canvases the "
        "folios are bound to by label (image, size, canvas id); {doc} is the document "
        "number, for a manifest per document. Remote images are shown by the HTML edition "
        "only from --image-host hosts",
    )
    p.add_argument("--no-align", action="store_true", help="do not align original and translation")


def convert_options(args: argparse.Namespace) -> ConvertOptions:
    """The conversion options of ``convert`` and ``build``."""
    return ConvertOptions(
        facs_pattern=args.facs_pattern,
        align=not args.no_align,
        iiif_manifest=args.iiif_manifest,
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert",
        help="convert raw archive pages (document or listing pages) to TEI",
        description="Convert raw archive pages to TEI P5. The layout (document page or "
        "collection listing) is detected for each input.",
        epilog="Exit status: 0 all converted, 1 some input could not be converted, 2 usage "
        "error or an input that cannot be read (missing, a folder, no permission).",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="raw page(s) (.txt)")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file (one input) or directory (<stem>.xml per input); "
        "default: stdout for one input",
    )
    add_convert_options(p)
    p.set_defaults(func=run)


def report(results: list[Converted]) -> int:
    """Print warnings and errors, one line each, and return the exit status."""
    status = 0
    for r in results:
        for w in r.warnings:
            print(f"{r.source}: warning: {w}", file=sys.stderr)
        if r.error is not None:
            print(f"tei: error: {r.error}", file=sys.stderr)
            status = max(status, _status(r.error))
    return status


def _status(exc: TeiError) -> int:
    """2 for an input that cannot be read (missing, a folder, no permission), else 1."""
    return 2 if isinstance(exc, UnreadableError) else 1


def run(args: argparse.Namespace) -> int:
    options = convert_options(args)
    inputs = [Path(i) for i in args.inputs]
    if args.output is None:
        if len(inputs) != 1:
            raise TeiError("several inputs need -o DIR")
        from ..pipeline import PageReader

        reader = PageReader(options)  # a bad manifest: one error, exit 2
        try:
            model = reader.read(inputs[0])
        except TeiError as exc:  # same status as with -o: the input could not be converted
            print(f"tei: error: {exc}", file=sys.stderr)
            return _status(exc)
        for w in model.warnings:
            print(f"{inputs[0]}: warning: {w}", file=sys.stderr)
        sys.stdout.buffer.write(render_bytes(model, options, "<stdout>"))
        return 0
    out = Path(args.output)
    if len(inputs) == 1 and (out.suffix.lower() == ".xml" or _is_stream(out)) and not out.is_dir():
        return report(convert_files(inputs, [out], options))
    if out.exists() and not out.is_dir():
        raise TeiError(f"{out} exists and is not a directory")
    outputs = [out / f"{i.stem}.xml" for i in inputs]
    if len({o.name for o in outputs}) != len(outputs):
        raise TeiError("two inputs have the same file name; convert them separately")
    results = convert_files(inputs, outputs, options)
    written = [r.output for r in results if r.output is not None]
    if written:
        # OUT/schema/ holds the schema and rules each file names in an <?xml-model?>, so an
        # XML editor (oXygen, VS Code) validates the file on opening, as `tei build` does
        from ..edition import add_schema_references

        try:
            add_schema_references(written, out)
        except OSError as exc:
            why = exc.strerror or str(exc)
            print(f"tei: warning: {out / 'schema'}: cannot write the schema ({why}); the "
                  "files are written without <?xml-model?>", file=sys.stderr)  # fmt: skip
    return report(results)


def _is_stream(path: Path) -> bool:
    """A character device or FIFO (``-o /dev/stdout``, ``-o >(cmd)``): written into as a file."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)
