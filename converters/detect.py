"""Layout detection: which reader handles a raw page."""

from __future__ import annotations

from typing import Literal

from tei.errors import ConversionError

from .body import RawBlock, split_blocks
from .listing_page import looks_like_listing
from .source import SourceText

Layout = Literal["document", "listing"]


def detect(src: SourceText) -> tuple[Layout, list[RawBlock]]:
    """Return the page's layout and its blocks, or raise ConversionError for an unknown layout."""
    blocks = split_blocks(src.text.split("\n"))
    if not blocks:
        raise ConversionError("the page has no text", path=src.name)
    if looks_like_listing(src.text):
        return "listing", blocks
    # Every other page with text is a document: the zone reader decides what is header and
    # what is text, and keeps everything in the body when the evidence is weak.
    return "document", blocks
