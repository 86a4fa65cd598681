"""The conversion pipeline: raw page -> document model -> TEI -> checks -> bytes on disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .atomic import write_bytes_atomic
from .converters import DEFAULT_FACS_PATTERN, read_page
from .converters.source import MAX_TEXT_BYTES
from .errors import TeiError
from .linking import LinkRecord, apply_links, link_record, plan_links
from .model import Document, Listing
from .writer import document_to_tei, listing_to_tei, serialize
from .xmlsafe import parse_bytes, read_input

# Source bytes whose models the first pass keeps for the second (one page at the size limit):
# within it a page is read once; past it memory stays bounded and pages are read again.
KEEP_BYTES = MAX_TEXT_BYTES


@dataclass
class ConvertOptions:
    facs_pattern: str = DEFAULT_FACS_PATTERN
    align: bool = True
    iiif_manifest: str = ""  # a IIIF manifest (file or https URL) to bind the surfaces to


@dataclass
class Converted:
    """One input's outcome: where its TEI went (and, when kept, its bytes), or the error."""

    source: str
    output: Path | None = None
    kind: str = "document"  # or "listing"
    data: bytes | None = None  # the TEI bytes, with ``keep_data`` only
    warnings: list[str] = field(default_factory=list)
    error: TeiError | None = None


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


class PageReader:
    """Reads raw pages into models for one run (with ``--iiif-manifest``, each distinct
    manifest is read once and the document's surfaces are bound to its canvases).

    A manifest without ``{doc}`` is read here: a bad one is one error (exit 2) before any
    page is converted, not the same error on every page.
    """

    def __init__(self, options: ConvertOptions) -> None:
        from .iiif_input import ManifestSource

        self.options = options
        self.manifests = ManifestSource(options.iiif_manifest) if options.iiif_manifest else None
        if self.manifests is not None and "{doc}" not in options.iiif_manifest:
            try:
                self.manifests.canvases_for(options.iiif_manifest)
            except TeiError as exc:
                raise TeiError(f"--iiif-manifest: {exc}", exit_code=2) from None

    def read(self, src: Path) -> Document | Listing:
        data = read_input(src, max_bytes=MAX_TEXT_BYTES)
        model = read_page(data, str(src), facs_pattern=self.options.facs_pattern)
        if self.manifests is not None and isinstance(model, Document):
            try:
                model.warnings.extend(self.manifests.apply(model))
            except TeiError as exc:  # one document's manifest ({doc}): the others still bind
                model.warnings.append(
                    f"--iiif-manifest: {exc}; the folios keep the --facs-pattern images"
                )
        return model


def convert_files(
    sources: list[Path],
    outputs: list[Path],
    options: ConvertOptions,
    *,
    keep_data: bool = True,
    on_done: Callable[[int, Converted], None] | None = None,
) -> list[Converted]:
    """Read every source, link the collection, then write each TEI file atomically.

    Streamed: a first pass reads each page and keeps only what linking needs
    (:class:`~tei.linking.LinkRecord`), plus the models of the first pages up to
    ``KEEP_BYTES`` of source; the second takes a kept model or reads the page again, applies
    its links, writes its TEI and drops it, so memory does not grow with the pages' text and
    a run of a few pages reads each once. ``keep_data=False``
    does not keep the TEI bytes either (``tei build``). ``on_done(i, result)`` is called as
    each page is written. A bad file is reported in its ``Converted.error`` and does not stop
    the others.
    """
    results = [Converted(source=str(src)) for src in sources]
    records: list[LinkRecord] = []
    reader = PageReader(options)
    kept: dict[int, Document | Listing] = {}  # models of the first pages, up to KEEP_BYTES
    budget = KEEP_BYTES
    for i, (res, src, out) in enumerate(zip(results, sources, outputs, strict=True)):
        model = _guarded(res, src, reader)
        if model is not None:
            res.kind = "listing" if isinstance(model, Listing) else "document"
            records.append(link_record(out.name, model))
            budget -= _size(src)
            if budget >= 0:
                kept[i] = model
    plan = plan_links(records)
    del records
    for i, (res, src, out) in enumerate(zip(results, sources, outputs, strict=True)):
        if res.error is None:
            model = kept.pop(i) if i in kept else _guarded(res, src, reader)
            if model is not None:
                res.warnings = list(model.warnings)
                apply_links(out.name, model, plan)
                _write(res, model, out, options, keep_data)
        if on_done is not None:
            on_done(i, res)
    return results


def _size(src: Path) -> int:
    try:
        return src.stat().st_size
    except OSError:
        return KEEP_BYTES + 1  # not kept: the second pass reads (and reports) it again


def _guarded(res: Converted, src: Path, reader: PageReader) -> Document | Listing | None:
    """The page's model, or None with the error in ``res`` (a reader bug must not stop the
    batch)."""
    try:
        return reader.read(src)
    except TeiError as exc:
        res.error = exc
    except Exception as exc:
        res.error = TeiError(
            f"internal error while reading: {type(exc).__name__}: {exc}",
            path=str(src),
            exit_code=3,
        )
    return None


def _write(
    res: Converted, model: Document | Listing, out: Path, options: ConvertOptions, keep: bool
) -> None:
    try:
        data = render_bytes(model, options, str(out))
        write_bytes_atomic(out, data)
        res.output = out
        if keep:
            res.data = data
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


def src_label(res: Converted) -> str:
    return res.source
