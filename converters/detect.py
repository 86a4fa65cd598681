"""Layout detection: which reader handles a raw page."""

from __future__ import annotations

from typing import Literal

from tei.errors import ConversionError

from .body import RawBlock, split_blocks
from .header import label_of
from .listing_page import looks_like_listing
from .source import SourceText

Layout = Literal["document", "listing"]


def detect(src: SourceText) -> tuple[Layout, list[RawBlock]]:
    """Return the page's layout and its blocks, or raise ConversionError for an unknown layout."""
    blocks = split_blocks(src.text.split("\n"))
    if not blocks:
        raise ConversionError("the page has no text", path=src.name)
    labels = sum(1 for b in blocks for ln in b.lines if label_of(ln, bare_ok=True))
    if looks_like_listing(src.text):
        return "listing", blocks
    if labels >= 1:
        return "document", blocks
    raise ConversionError(
        "unknown layout: no metadata fields (Citation:, Summary:, Original Language:, ...) "
        "and not a collection listing ('1 - 10 of N' with dated titles)",
        path=src.name,
    )
