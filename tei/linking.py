"""Cross-document links: a listing entry and the document it describes point at each other.

The links are planned from small records (a document's title key and date, a listing's entry
keys and dates), so that a build can drop each page's model as soon as its record is taken and
re-read it when its TEI is written: memory does not grow with the documents' text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Document, Listing


def _key(title: str | None) -> str:
    return re.sub(r"\W+", " ", (title or "").lower()).strip()


@dataclass
class LinkRecord:
    """What linking reads of one page: a document's title and date, or a listing's entries."""

    name: str  # the file name its TEI is written to
    listing: bool
    key: str = ""  # a document's title key
    date: str | None = None  # a document's ISO date
    entries: list[tuple[str, str, str | None]] = field(default_factory=list)  # (id, key, date)


def link_record(name: str, model: Document | Listing) -> LinkRecord:
    if isinstance(model, Listing):
        return LinkRecord(
            name, True, entries=[(e.id, _key(e.title), e.date_iso) for e in model.entries]
        )
    return LinkRecord(name, False, key=_key(model.meta.title), date=model.meta.date_iso)


@dataclass
class LinkPlan:
    """``targets[listing name][entry id]`` = document name; ``listed_in[document name]`` =
    the ``listing.xml#item3`` pointers, in listing order."""

    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    listed_in: dict[str, list[str]] = field(default_factory=dict)
    made: int = 0


def plan_links(records: list[LinkRecord]) -> LinkPlan:
    """Each listing entry links to the first document of the same title (and date, when both
    have one); linear in the number of pages (a table by title key)."""
    by_key: dict[str, list[LinkRecord]] = {}
    for r in records:
        if not r.listing:
            by_key.setdefault(r.key, []).append(r)
    plan = LinkPlan()
    for lst in (r for r in records if r.listing):
        for entry_id, key, date in lst.entries:
            for doc in by_key.get(key, ()):
                if date and doc.date and date != doc.date:
                    continue
                plan.targets.setdefault(lst.name, {})[entry_id] = doc.name
                pointers = plan.listed_in.setdefault(doc.name, [])
                pointer = f"{lst.name}#{entry_id}"
                if pointer not in pointers:
                    pointers.append(pointer)
                plan.made += 1
                break
    return plan


def apply_links(name: str, model: Document | Listing, plan: LinkPlan) -> None:
    """Write the planned links of page ``name`` into its model."""
    if isinstance(model, Listing):
        targets = plan.targets.get(name, {})
        for entry in model.entries:
            if entry.id in targets:
                entry.target = targets[entry.id]
    else:
        for pointer in plan.listed_in.get(name, ()):
            if pointer not in model.meta.listed_in:
                model.meta.listed_in.append(pointer)


def link_collection(items: list[tuple[str, Document | Listing]]) -> int:
    """Link listings to documents by title (and date when both have one); returns links made.

    ``items`` pairs each model with the file name its TEI is written to.
    """
    plan = plan_links([link_record(name, m) for name, m in items])
    for name, m in items:
        apply_links(name, m, plan)
    return plan.made
