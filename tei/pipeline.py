"""The conversion pipeline: raw page -> document model -> TEI -> checks -> bytes on disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .atomic import write_bytes_atomic
from .converters import DEFAULT_FACS_PATTERN, read_page
from .converters.source import MAX_TEXT_BYTES
from .errors import TeiError
from .linking import link_collection
from .model import Document, Listing
from .writer import document_to_tei, listing_to_tei, serialize
from .xmlsafe import parse_bytes, read_input


@dataclass
class ConvertOptions:
    facs_pattern: str = DEFAULT_FACS_PATTERN
    align: bool = True


@dataclass
class Converted:
    """One input's outcome: its model and TEI bytes, or the error that stopped it."""

    source: str
    output: Path | None = None
    model: Document | Listing | None = None
    data: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    error: TeiError | None = None

    @property
    def kind(self) -> str:
        return "listing" if isinstance(self.model, Listing) else "document"


def to_tree(model: Document | Listing, options: ConvertOptions) -> etree._ElementTree:
    """Write the TEI for one model, aligned when it is a document with two divisions."""
    if isinstance(model, Listing):
        return listing_to_tei(model)
    tree = document_to_tei(model)
    if options.align and len(model.divisions) == 2:
        from .align import align_tree

        align_tree(tree)
    return tree


def render_bytes(model: Document | Listing, options: ConvertOptions, label: str) -> bytes:
    data = serialize(to_tree(model, options))
    parse_bytes(data, path=label)  # the output must be well-formed: re-read it with the safe parser
    return data


def convert_files(
    sources: list[Path], outputs: list[Path], options: ConvertOptions
) -> list[Converted]:
    """Read every source, link the collection, then write each TEI file atomically.

    A bad file is reported in its ``Converted.error`` and does not stop the others.
    """
    results: list[Converted] = []
    for src in sources:
        res = Converted(source=str(src))
        try:
            data = read_input(src, max_bytes=MAX_TEXT_BYTES)
            res.model = read_page(data, str(src), facs_pattern=options.facs_pattern)
            res.warnings = list(res.model.warnings)
        except TeiError as exc:
            res.error = exc
        except Exception as exc:  # a reader bug on one file must not stop the batch
            res.error = TeiError(
                f"internal error while reading: {type(exc).__name__}: {exc}",
                path=str(src),
                exit_code=3,
            )
        results.append(res)
    link_collection(
        [(out.name, r.model) for r, out in zip(results, outputs, strict=True) if r.model]
    )
    for res, out in zip(results, outputs, strict=True):
        if res.model is None:
            continue
        try:
            res.data = render_bytes(res.model, options, str(out))
            write_bytes_atomic(out, res.data)
            res.output = out
        except TeiError as exc:
            res.error = exc
        except OSError as exc:  # disk full, no permission, a file where a folder should be
            why = exc.strerror or str(exc)
            if isinstance(exc, (FileExistsError, NotADirectoryError)):
                why = f"a file is in the way of the folder {out.parent}"
            res.error = TeiError(f"cannot write: {why}", path=str(out), exit_code=1)
        except Exception as exc:
            res.error = TeiError(
                f"internal error while writing: {type(exc).__name__}: {exc}",
                path=str(src_label(res)),
                exit_code=3,
            )
    return results


def src_label(res: Converted) -> str:
    return res.source
