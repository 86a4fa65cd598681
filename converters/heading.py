"""The heading of an unlabelled page: date line, title, credit lines, the old site's summary and
quoted citation. Everything after it is text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .body import RawBlock
from .chrome import unbullet
from .dates import parse_date, split_date_prefix
from .header import clean_md
from .labels import bare_label

CREDIT = re.compile(
    r"^(?:this document was )?made possible (?:with|through) (?:the )?support", re.I
)
PEOPLE_LINE = re.compile(
    r"^(?:(?:selected|edited|annotated|translated|compiled|transcribed|obtained|introduced"
    r"|prepared|contributed)(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+))+(?:\w+\s+){0,3}?by\s+\S",
    re.I,
)
QUOTED_CITATION = re.compile(r'^["“]\s*\S.{3,}?["”]')
MAX_TITLE_WORDS = 45
DATE_WITHIN = 6  # the date line is among the first lines that are not chrome
CITATION_WITHIN = 6  # the old site's quoted citation follows the date within these lines


@dataclass
class Heading:
    fields: dict[str, list[str]] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # prose above the date line
    body: list[RawBlock] = field(default_factory=list)
    found: bool = False


def is_citation_line(line: str) -> bool:
    """``"Title," November 01, 1962, History and Public Policy Program Digital Archive, ...``"""
    s = unbullet(line)
    m = QUOTED_CITATION.match(s)
    if not m:
        return False
    if "Digital Archive" in s:
        return True
    # else the quoted title must be followed by the document's date, as citations are
    parts = s[m.end() :].lstrip(" ,").split(",")
    return bool(parse_date(parts[0]) or parse_date(",".join(parts[:2])))


def date_of(line: str) -> tuple[str, str] | None:
    """(date text, rest) when the line is a date or opens with one."""
    s = clean_md(line).strip()
    if parse_date(s):
        return s.rstrip("."), ""
    pref = split_date_prefix(s)
    return pref


def read_heading(blocks: list[RawBlock]) -> Heading:
    """Find the date line near the top and read the heading below it; blocks after it are body."""
    flat = [(bi, li, ln) for bi, b in enumerate(blocks) for li, ln in enumerate(b.lines)]
    h = Heading()
    date_at, dated = next(
        ((k, d) for k, (_, _, ln) in enumerate(flat[: DATE_WITHIN + 1]) if (d := date_of(ln))),
        (None, None),
    )
    if date_at is None or dated is None:
        # the old site without a date line: the quoted citation carries title and date
        cit = next((j for j in range(min(len(flat), 12)) if is_citation_line(flat[j][2])), None)
        if cit is None:
            h.body = blocks
            return h
        k = 0
    else:
        h.before = [ln for _, _, ln in flat[:date_at]]
        date_text, rest = dated
        h.fields["date"] = [date_text]
        k = date_at + 1
        if rest:
            h.fields["title"] = [rest]
    h.found = True
    # The old site: a quoted citation a few lines below the date; lines before it are the summary.
    cit_at = next(
        (j for j in range(k, min(len(flat), k + CITATION_WITHIN)) if is_citation_line(flat[j][2])),
        None,
    )
    if cit_at is not None:
        summary: list[str] = []
        for j in range(k, cit_at):
            line = flat[j][2]
            if bare_label(line) != "citation":  # the old site's bulleted "Citation" label
                summary.append(line.strip())
        if summary:
            h.fields["summary"] = [" ".join(summary)]
        h.fields["citation"] = [unbullet(flat[cit_at][2])]
        k = cit_at + 1
        # the summary may follow the citation inside the indented citation block
        if not summary and k < len(flat) and flat[k][1] > 0 and flat[k][2][:2].isspace():
            line = flat[k][2].strip()
            if len(line.split()) >= 6 and not is_citation_line(line):
                h.fields["summary"] = [line]
                k += 1
    else:
        while k < len(flat):
            line = clean_md(flat[k][2])
            if "title" not in h.fields:
                if len(line.split()) > MAX_TITLE_WORDS or bare_label(line):
                    break
                h.fields["title"] = [line]
            elif CREDIT.match(line):
                h.fields.setdefault("credits", []).append(line)
            elif PEOPLE_LINE.match(line) and len(line.split()) <= 40:
                h.fields.setdefault("people", []).append(line)
            else:
                break
            k += 1
    if k >= len(flat):
        h.body = []
        return h
    bi, li, _ = flat[k]
    first = blocks[bi]
    h.body = ([RawBlock(first.lines[li:], first.line + li)] if li else [first]) + blocks[bi + 1 :]
    return h
