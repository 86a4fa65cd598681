"""Cross-document links: a listing entry and the document it describes point at each other."""

from __future__ import annotations

import re

from .model import Document, Listing


def _key(title: str | None) -> str:
    return re.sub(r"\W+", " ", (title or "").lower()).strip()


def link_collection(items: list[tuple[str, Document | Listing]]) -> int:
    """Link listings to documents by title (and date when both have one); returns links made.

    ``items`` pairs each model with the file name its TEI is written to.
    """
    docs = [(name, m) for name, m in items if isinstance(m, Document)]
    made = 0
    for lname, listing in ((n, m) for n, m in items if isinstance(m, Listing)):
        for entry in listing.entries:
            for dname, doc in docs:
                if _key(entry.title) != _key(doc.meta.title):
                    continue
                if entry.date_iso and doc.meta.date_iso and entry.date_iso != doc.meta.date_iso:
                    continue
                entry.target = dname
                pointer = f"{lname}#{entry.id}"
                if pointer not in doc.meta.listed_in:
                    doc.meta.listed_in.append(pointer)
                made += 1
                break
    return made
