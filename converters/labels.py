"""Labelled metadata wherever it stands: inline labels of PDF exports, trailers after the body,
the current site's Document Information block, the old site's bulleted ``Citation``."""

from __future__ import annotations

import re

from .body import RawBlock
from .chrome import unbullet
from .header import CONTENT_ITEM, LABELS, clean_md, label_of

# Labels that open a new field when they stand inside a long line (PDF export copied as text).
_INLINE = re.compile(r"(?<!\w)(Citation|Summary|Original Languages?|Contents|Credits):\s*")
_CONTENT_RUN = re.compile(
    r"^(?:(?:[A-Z][a-z]+\s+)?(?:Original Scan|Original Transcription|Transcription|Translation"
    r"|Transcript)(?:\s*-\s*[A-Z][a-z]+)?\s*)+"
)
_LANGUAGE_NAME = re.compile(r"^[A-Z][a-z]+(?:\s*(?:,|and)\s*[A-Z][a-z]+)*")

#: Trailer labels that mark metadata wherever they stand (upper case on the current site).
TRAILER_KEYS = frozenset({"archive", "published_in"})
#: Labels of the Document Information block (with or without a colon, value on the next lines).
DOCINFO_KEYS = frozenset(
    {"source", "rights", "document_type", "original_language", "record_id", "authors", "uploaded",
     "keywords", "archive", "docinfo", "credits", "translated_by", "url"}
)  # fmt: skip
_RIGHTS = re.compile(r"\b(?:copyright|rights? (?:status|holders?)|reuse of digital archive)", re.I)


def split_inline_labels(blocks: list[RawBlock]) -> list[RawBlock]:
    """A line holding two or more of ``Citation:``, ``Summary:``, ``Original Language:``,
    ``Contents:`` is a labelled header flattened onto one line: one line per field."""
    out: list[RawBlock] = []
    for b in blocks:
        if not any(len(_INLINE.findall(ln)) >= 2 for ln in b.lines):
            out.append(b)
            continue
        for k, line in enumerate(b.lines):
            marks = list(_INLINE.finditer(line))
            if len(marks) < 2:
                out.append(RawBlock([line], b.line + k))
                continue
            head = line[: marks[0].start()].strip()
            if head:
                out.append(RawBlock([head], b.line + k))
            for i, m in enumerate(marks):
                end = marks[i + 1].start() if i + 1 < len(marks) else len(line)
                value = line[m.end() : end].strip()
                rest = ""
                if i + 1 == len(marks):  # the last field's value ends where the text begins
                    value, rest = _last_value(m.group(1), value)
                out.append(RawBlock([f"{m.group(1)}: {value}".rstrip()], b.line + k))
                if rest:
                    out.append(RawBlock([rest], b.line + k))
    return out


def _last_value(label: str, value: str) -> tuple[str, str]:
    """Split the last inline field's value from the document text that follows it."""
    if label == "Contents":
        m = _CONTENT_RUN.match(value)
    elif label.startswith("Original Language"):
        m = _LANGUAGE_NAME.match(value)
    else:
        return value, ""
    if not m:
        return value, ""
    return value[: m.end()].strip(), value[m.end() :].strip()


def content_items(value: str) -> list[str]:
    """``Original Scan Translation - English`` -> the two items."""
    parts = re.findall(
        r"(?:[A-Z][a-z]+\s+)?(?:Original Scan|Original Transcription|Transcription|Translation"
        r"|Transcript)(?:\s*-\s*[A-Z][a-z]+)?",
        value,
    )
    return [p.strip() for p in parts if CONTENT_ITEM.match(p.strip())] or [value]


def bare_label(line: str) -> str | None:
    """A known label standing alone on a line, with no colon and no markup (``Record ID``,
    ``• Citation`` on the old site): its field key."""
    s = unbullet(clean_md(line)).rstrip(":").strip()
    return LABELS.get(s.lower()) if s and len(s) <= 40 else None


def docinfo_label(line: str) -> tuple[str, str] | None:
    """A Document Information label, bare or with a colon: (key, rest of line)."""
    lab = label_of(line, bare_ok=False)
    if lab and lab[0] in DOCINFO_KEYS:
        return lab
    key = bare_label(line)
    if key in DOCINFO_KEYS:
        return key, ""
    return None


def trailer_label(line: str) -> tuple[str, str] | None:
    """``ARCHIVE LOCATION: ...``, ``Archival source: ...``, ``FIRST PUBLISHED IN: ...``."""
    lab = label_of(line, bare_ok=False)
    if lab and lab[0] in TRAILER_KEYS:
        return lab
    return None


def read_docinfo(blocks: list[RawBlock]) -> dict[str, list[str]]:
    """The Document Information block: labelled values, and unlabelled ones recognised by form
    (an archival reference is the Source, a copyright notice the Rights)."""
    from .archival import find_archive_ref  # local: archival imports citation helpers

    fields: dict[str, list[str]] = {}
    key: str | None = None
    for b in blocks:
        lines = list(b.lines)
        first = docinfo_label(lines[0])
        if first:
            key, rest = first
            if key == "docinfo":
                key = None
                lines = lines[1:]
            else:
                lines = ([rest] if rest else []) + lines[1:]
        text = " ".join(ln.strip() for ln in lines).strip()
        if not text:
            if key:
                fields.setdefault(key, [])
            continue
        if key is None or key in fields and fields[key]:
            # an unlabelled value: decide it from its form
            if find_archive_ref(text):
                k = "source"
            elif _RIGHTS.search(text):
                k = "rights"
            else:
                k = key or "information"
            fields.setdefault(k, []).append(text)
            continue
        fields.setdefault(key, []).append(text)
    return fields
