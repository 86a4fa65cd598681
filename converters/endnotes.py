"""Endnotes of a page: ``[1]``, ``(1)`` and ``1.`` lists, under a notes heading or not."""

from __future__ import annotations

import re

from .body import RawBlock

NOTES_HEADING = re.compile(
    r"^\W*(?:(?:translator|editor)['’]?s['’]?\s+|end|foot)?notes?\s*:?\W*$"
    r"|^\W*(?:注释|注|примечания|примечание)\s*[:：]?\W*$",
    re.I,
)
_ITEM = re.compile(
    r"^\s*(?:\[(?P<a>\d{1,3})\]|\((?P<b>\d{1,3})\)|(?P<c>\d{1,3})\.(?!\d))\s*(?P<t>\S.*)$", re.S
)
_BRACKET_ITEM = re.compile(r"^\s*\[(\d{1,3})\]\s*(\S.*)$", re.S)


def note_item(text: str) -> tuple[str, str] | None:
    m = _ITEM.match(text)
    if not m:
        return None
    return m.group("a") or m.group("b") or m.group("c"), m.group("t")


def find_notes_heading(blocks: list[RawBlock], start: int = 0) -> int | None:
    """Index of the last ``Translator's Notes`` / ``Notes`` heading followed by a note item."""
    found = None
    for i in range(start, len(blocks)):
        b = blocks[i]
        if len(b.lines) >= 1 and NOTES_HEADING.match(b.lines[0].strip()):
            nxt = (
                b.lines[1]
                if len(b.lines) > 1
                else (blocks[i + 1].lines[0] if i + 1 < len(blocks) else "")
            )
            if note_item(nxt):
                found = i
    return found


def read_notes(blocks: list[RawBlock]) -> list[tuple[str, str]]:
    """Note items of a notes zone; lines that open no item continue the one before."""
    notes: list[tuple[str, str]] = []
    lead: list[str] = []
    for b in blocks:
        for line in b.lines:
            item = note_item(line)
            if item:
                notes.append(item)
            elif notes:
                n, t = notes[-1]
                notes[-1] = (n, t + "\n" + line)
            else:
                lead.append(line)
    if lead and notes:  # text before the first item goes with it, never lost
        n, t = notes[0]
        notes[0] = (n, "\n".join(lead) + "\n" + t)
    return notes


def trailing_bracket_notes(
    raw: list[RawBlock],
) -> tuple[list[RawBlock], list[tuple[str, str]]]:
    """Trailing ``[n] text`` blocks whose markers occur in the text before them."""
    notes: list[tuple[str, str]] = []
    end = len(raw)
    while end > 0 and (m := _BRACKET_ITEM.match(raw[end - 1].text.strip())):
        notes.insert(0, (m.group(1), m.group(2)))
        end -= 1
    body_text = "\n".join(b.text for b in raw[:end])
    if not any(f"[{n}]" in body_text for n, _ in notes):
        return raw, []
    return raw[:end], notes
