"""The zone reader: a document page divided into zones from several cues weighed together.

Zones: site chrome, the heading (date line, title, credit lines) or a labelled header (the
seeds, PDF exports), the old site's summary and quoted citation, trailers (``ARCHIVE LOCATION:``,
``FIRST PUBLISHED IN:``), the summary after the body, the Document Information block, endnotes
and the body. Each zone becomes fields of the one header model (``header.fill_fields``); the body
goes on to the language split. Weak evidence never refuses a page: the text stays in the body
and a warning names the zones that were guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tei.model import Metadata

from . import lang as langid
from .body import RawBlock
from .chrome import is_chrome, split_banner
from .endnotes import NOTES_HEADING, find_notes_heading, note_item, read_notes
from .header import clean_md, fill_fields, label_of, parse_header
from .heading import read_heading
from .labels import (
    docinfo_label,
    read_docinfo,
    split_inline_labels,
    trailer_label,
)

TOP_LABEL_KEYS = frozenset(
    {"citation", "summary", "original_language", "contents", "credits", "title", "date"}
)
STRONG_DOCINFO = frozenset({"docinfo", "authors", "uploaded", "record_id"})
WEAK_CHROME_LINES = 25  # one-word chrome ("Menu", "English HTML") only this near the top
_TERMINAL = re.compile(r"[.!?:;…\"”»)]$")
_DOC_NOUN = re.compile(
    r"\b(?:telegram|cable|letter|memorandum|record|report|note|notes|conversation|meeting|"
    r"minutes|decree|resolution|diary|journal|document|session|speech|statement|message|"
    r"instruction|directive|protocol|transcript)s?\b",
    re.I,
)
_SUMMARY_VERB = re.compile(
    r"\b(?:discuss|describe|report|inform|relay|contain|summariz|summaris|ask|agree|express|"
    r"request|stress|confirm|propose|outline|explain|detail|recount|review|analyz|analys|"
    r"criticiz|argue|warn|convey|transmit|note|mention|recommend|consider)\w*\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|me|my)\b")


@dataclass
class Zones:
    meta: Metadata
    body: list[RawBlock]
    endnotes: list[tuple[str, str]] = field(default_factory=list)
    notes_head: str | None = None
    guessed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    labelled: bool = False  # a labelled header (the seeds' layout, PDF exports)


def restyle(blocks: list[RawBlock]) -> list[RawBlock]:
    """One-line-per-paragraph pages (single newlines only): every line is a paragraph."""
    lines = [ln for b in blocks for ln in b.lines]
    if len(lines) < 8 or len(blocks) * 4 > len(lines):
        return blocks
    prose = sum(1 for ln in lines if len(ln) >= 60 or _TERMINAL.search(ln.rstrip()))
    long_lines = sum(1 for ln in lines if len(ln) >= 100)
    # a whole page in one or two "paragraphs": no blank line separates its paragraphs
    few_blocks = (len(blocks) == 1 and len(lines) >= 8) or (len(blocks) <= 2 and len(lines) >= 12)
    if prose * 3 < len(lines) and long_lines < 2 and not few_blocks:
        return blocks
    return [RawBlock([ln], b.line + k) for b in blocks for k, ln in enumerate(b.lines)]


def _zone_line(line: str) -> bool:
    """A line that opens a bottom zone: Document Information, a trailer, a notes heading."""
    lab = docinfo_label(line)
    return bool(
        (lab and lab[0] in STRONG_DOCINFO) or trailer_label(line) or NOTES_HEADING.match(line)
    )


def split_zone_blocks(blocks: list[RawBlock]) -> list[RawBlock]:
    """A paragraph that holds a zone's label inside it was copied one line per paragraph (NBSP
    lines between some paragraphs only): each of its lines is a paragraph."""
    out: list[RawBlock] = []
    for b in blocks:
        if len(b.lines) > 1 and any(_zone_line(ln) for ln in b.lines[1:]):
            out.extend(RawBlock([ln], b.line + k) for k, ln in enumerate(b.lines))
        else:
            out.append(b)
    return out


def strip_chrome(blocks: list[RawBlock], chrome: list[str]) -> list[RawBlock]:
    """Remove chrome lines (kept in ``chrome``); a PDF export's banner is cut off its line."""
    out: list[RawBlock] = []
    seen = 0
    for b in blocks:
        keep: list[str] = []
        first = b.line
        for k, line in enumerate(b.lines):
            seen += 1
            if is_chrome(line) and (seen <= WEAK_CHROME_LINES or len(line.split()) >= 2):
                chrome.append(line.strip())
                continue
            if seen <= WEAK_CHROME_LINES and (ban := split_banner(line)):
                chrome.append(ban[0])
                line = ban[1]
            if not keep:
                first = b.line + k
            keep.append(line)
        if keep:
            out.append(RawBlock(keep, first))
    return out


def summary_score(text: str) -> int:
    """How much a paragraph reads like the archive's summary of a document (third person,
    naming the document and what it does), not like the document's own text."""
    score = 0
    if _DOC_NOUN.search(text):
        score += 1
    if _SUMMARY_VERB.search(text):
        score += 1
    if _FIRST_PERSON.search(text):
        score -= 2
    if text.lstrip()[:1] in '"“«[(':
        score -= 1
    return score


def _is_summary(block: RawBlock, strong_position: bool) -> bool:
    text = block.flat
    words = len(text.split())
    if not 6 <= words <= 160 or langid.guess(text).lang != "en" or not _TERMINAL.search(text):
        return False  # a summary is an English sentence, never a cut-off paragraph
    return summary_score(text) >= (1 if strong_position else 2)


def _top_labelled(blocks: list[RawBlock]) -> bool:
    """A labelled header: a top-level field label among the first lines (seeds, PDF exports)."""
    lines = [ln for b in blocks[:8] for ln in b.lines][:10]
    for ln in lines:
        lab = label_of(ln, bare_ok=True)
        if lab and lab[0] in TOP_LABEL_KEYS:
            return True
    return False


def _docinfo_start(blocks: list[RawBlock]) -> int | None:
    """Where the Document Information block starts: its heading, or a run of its labels at the
    end of the page (values short, as the current site prints them)."""
    for i, b in enumerate(blocks):
        lab = docinfo_label(b.lines[0])
        if lab and lab[0] == "docinfo":
            return i
    half = len(blocks) // 2
    for i in range(half, len(blocks)):
        lab = docinfo_label(blocks[i].lines[0])
        if lab and lab[0] in STRONG_DOCINFO and all(len(b.flat.split()) <= 80 for b in blocks[i:]):
            return i
    return None


def _notes_end(blocks: list[RawBlock], start: int, stop: int) -> int:
    """The notes zone ends where a paragraph that opens no note item changes language (a
    Chinese original's notes, then the English translation)."""
    first = langid.guess(blocks[start].text).lang if start < stop else None
    for i in range(start + 1, stop):
        if note_item(blocks[i].lines[0]):
            continue
        lang = langid.guess(blocks[i].text).lang
        if lang and first and lang != first:
            return i
    return stop


def _take_trailers(
    blocks: list[RawBlock], fields: dict[str, list[str]]
) -> tuple[list[RawBlock], bool]:
    """``ARCHIVE LOCATION: ...`` and like trailers, wherever they stand after the first block.

    Also says whether the last block left stood after a trailer (where the current site prints
    the summary: the body has ended there)."""
    out: list[RawBlock] = []
    last_after_trailer = False
    seen_trailer = False
    i = 0
    while i < len(blocks):
        b = blocks[i]
        lab = trailer_label(b.lines[0]) if i > 0 else None
        if not lab:
            out.append(b)
            last_after_trailer = seen_trailer
            i += 1
            continue
        seen_trailer = True
        key, rest = lab
        value = "\n".join([rest, *b.lines[1:]]).strip()
        if not value and i + 1 < len(blocks):
            value = blocks[i + 1].text
            i += 1
        fields.setdefault(key, []).append(value)
        i += 1
    return out, last_after_trailer


def read_zones(blocks: list[RawBlock]) -> Zones:
    """Divide a document page into zones and read each into the header model or the body."""
    chrome: list[str] = []
    guessed: list[str] = []
    fields: dict[str, list[str]] = {}
    blocks = split_zone_blocks(strip_chrome(split_inline_labels(restyle(blocks)), chrome))
    # ---- bottom zones: endnotes, Document Information, trailers, the summary after the body
    endnotes: list[tuple[str, str]] = []
    notes_head = None
    nh = find_notes_heading(blocks, start=len(blocks) // 3)
    di = _docinfo_start(blocks)
    if nh is not None:
        stop = di if di is not None and di > nh else len(blocks)
        head_block = blocks[nh]
        notes_head = clean_md(head_block.lines[0])
        rest = (
            [RawBlock(head_block.lines[1:], head_block.line + 1)]
            if len(head_block.lines) > 1
            else []
        )
        stop = _notes_end(blocks, nh + 1, stop)
        endnotes = read_notes(rest + blocks[nh + 1 : stop])
        blocks = blocks[:nh] + blocks[stop:]
        di = _docinfo_start(blocks)
    docinfo = di is not None
    if di is not None:
        # "[1] ..." endnotes printed after Document Information
        end = len(blocks)
        while end > di + 1 and re.match(r"^\s*\[\d{1,3}\]\s*\S", blocks[end - 1].text):
            end -= 1
        tail = [note_item(b.text) for b in blocks[end:]]
        if tail and not endnotes:
            endnotes = [t for t in tail if t]
            blocks = blocks[:end]
        for key, values in read_docinfo(blocks[di:]).items():
            fields.setdefault(key, []).extend(values)
        blocks = blocks[:di]
    before = sum(len(v) for v in fields.values())
    blocks, last_after_trailer = _take_trailers(blocks, fields)
    trailers = sum(len(v) for v in fields.values()) > before
    labelled = _top_labelled(blocks)
    # ---- top zones
    if labelled:
        head = parse_header(blocks, fields)
        meta, body, warnings = head.meta, head.body, head.warnings
    else:
        heading = read_heading(blocks)
        for key, values in heading.fields.items():
            fields.setdefault(key, []).extend(values)
        body = heading.body
        if heading.before:
            text = " ".join(" ".join(heading.before).split())
            fields.setdefault("before", []).append(text)
        if not heading.found:
            guessed.append("body (no date line, title or labelled header found)")
        meta = Metadata()
        warnings = []
    # the summary after the body (current site): the paragraph before Document Information
    after: str | None = None
    current_site = docinfo or trailers
    if (
        not fields.get("summary")
        and not meta.summary
        and body
        and current_site
        and _is_summary(body[-1], strong_position=docinfo or last_after_trailer)
    ):
        after = body[-1].flat
        body = body[:-1]
        guessed.append("summary (the paragraph after the body)")
    before_text = fields.pop("before", [])
    if labelled:
        if after:
            meta.summary = " ".join(after.split())
    else:
        if after:
            fields["summary"] = [after]
        elif (
            before_text
            and not fields.get("summary")
            and _is_summary(RawBlock([before_text[0]], 1), strong_position=True)
        ):
            fields["summary"] = before_text
            guessed.append("summary (the paragraph above the date line)")
            before_text = []
        fill_fields(meta, [], fields, warnings)
    for text in before_text:
        meta.header_notes.append(("preceding-text", text))
        guessed.append("text above the date line (kept as a header note)")
    meta.chrome = chrome
    return Zones(
        meta=meta,
        body=body,
        endnotes=endnotes,
        notes_head=notes_head,
        guessed=guessed,
        warnings=warnings,
        labelled=labelled,
    )
