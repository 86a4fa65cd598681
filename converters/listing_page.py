"""Reader for collection listing pages: ``1 - 10 of 12`` and dated titles with summaries."""

from __future__ import annotations

import re

from tei.errors import ConversionError
from tei.model import Listing, ListingEntry

from .body import RawBlock
from .dates import parse_date
from .header import BOILERPLATE, clean_md
from .source import SourceText

RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s+of\s+(\d+)\s*$", re.I)


def looks_like_listing(blocks: list[RawBlock]) -> bool:
    """A range line, or at least two date lines each followed by a title."""
    lines = [clean_md(ln) for b in blocks[:6] for ln in b.lines]
    if any(RANGE.match(ln) for ln in lines):
        return True
    dated = sum(1 for b in blocks if len(b.lines) == 1 and parse_date(clean_md(b.lines[0])))
    return dated >= 2 and dated * 3 >= len(blocks) * 0.8


def read_listing(src: SourceText, blocks: list[RawBlock]) -> Listing:
    """Group blocks into (date, title, summary) entries; a missing date is a warning, not a loss."""
    range_text = None
    total = None
    items: list[RawBlock] = []
    for b in blocks:
        flat = " ".join(clean_md(ln) for ln in b.lines).strip()
        if not flat or (len(b.lines) == 1 and BOILERPLATE.match(flat)):
            continue
        if m := RANGE.match(flat):
            range_text, total = flat, int(m.group(3))
            continue
        items.append(b)
    entries: list[ListingEntry] = []
    warnings: list[str] = list(src.warnings)
    cur: dict[str, str | None] | None = None

    def flush() -> None:
        if cur and (cur.get("title") or cur.get("date")):
            if not cur.get("title"):
                warnings.append(f"entry dated {cur['date']} has no title")
            entries.append(
                ListingEntry(
                    date_text=cur.get("date"),
                    date_iso=parse_date(cur["date"]) if cur.get("date") else None,
                    title=cur.get("title") or "",
                    summary=cur.get("summary"),
                )
            )

    for b in items:
        text = " ".join(clean_md(ln) for ln in b.lines).strip()
        if len(b.lines) == 1 and parse_date(text):
            flush()
            cur = {"date": text, "title": None, "summary": None}
        elif cur is None or cur.get("summary") is not None and cur.get("title"):
            flush()
            warnings.append(f"line {b.line}: listing entry without a date: {text[:50]!r}")
            cur = {"date": None, "title": text, "summary": None}
        elif cur.get("title") is None:
            cur["title"] = text
        else:
            cur["summary"] = text if cur["summary"] is None else cur["summary"] + " " + text
    flush()
    if not entries:
        raise ConversionError("listing page with no entries", path=src.name)
    for i, e in enumerate(entries, 1):
        e.id = f"item{i}"
    return Listing(
        source_name=src.name, range_text=range_text, entries=entries, total=total, warnings=warnings
    )
