"""Raw-text readers: one module per input layout, all producing the document model."""

from __future__ import annotations

from tei.model import Document, Listing

from .detect import detect
from .document_page import DEFAULT_FACS_PATTERN, read_document
from .listing_page import read_listing
from .source import SourceText, decode

__all__ = ["read_page", "decode", "SourceText", "DEFAULT_FACS_PATTERN"]


def read_page(
    data: bytes, name: str, *, facs_pattern: str = DEFAULT_FACS_PATTERN
) -> Document | Listing:
    """Decode a raw page, detect its layout and run the matching reader."""
    src = decode(data, name)
    layout, blocks = detect(src)
    if layout == "listing":
        return read_listing(src, blocks)
    return read_document(src, blocks, facs_pattern=facs_pattern)
