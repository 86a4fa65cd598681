"""Reader for archive document pages: metadata header, original transcription, translation."""

from __future__ import annotations

import re

from tei.model import (
    Addition,
    Block,
    Division,
    Document,
    EditorialNote,
    Gap,
    LineBreak,
    NoteBlock,
    PageBlock,
    PageBreak,
    Paragraph,
    Surface,
    Text,
)

from . import lang as langid
from .body import (
    RawBlock,
    build_blocks,
    extract_endnotes,
    split_divisions,
)
from .endnotes import trailing_bracket_notes
from .inline import InlineContext, parse_inline, vocabulary_of
from .source import SourceText
from .zones import read_zones

DEFAULT_FACS_PATTERN = "facs/{doc}/{folio}.jpg"


def surface_id(folio: str) -> str:
    return "f" + re.sub(r"[^\w.-]", "_", folio)


def read_document(
    src: SourceText, blocks: list[RawBlock], *, facs_pattern: str = DEFAULT_FACS_PATTERN
) -> Document:
    """Convert the blocks of a document page into the document model."""
    zones = read_zones(blocks)
    meta = zones.meta
    warnings = list(src.warnings) + zones.warnings
    if zones.guessed:
        warnings.append("zones guessed from weak evidence: " + "; ".join(zones.guessed))
    body_raw = zones.body
    if not body_raw:
        # Only header fields (a page cut before its text): converted, the text marked missing.
        code = langid.code_for_name(meta.original_language) or "und"
        warnings.append(
            "the page has a header but no document text below it: the TEI has an original "
            "division holding only a gap"
        )
        gap = Paragraph(content=[Gap(reason="missing")], kind="ab", type="omission")
        return Document(
            source_name=src.name,
            meta=meta,
            divisions=[Division("original", code, [gap], langid.language_name(code))],
            warnings=warnings,
        )
    # English words of the page: header fields and every block that reads confidently as English
    english = [b.text for b in body_raw if langid.guess(b.text).lang == "en"]
    page_vocab = vocabulary_of(
        " ".join(filter(None, [meta.title, meta.summary, meta.citation, *english]))
    )
    orig_raw, trans_raw, orig_lang, trans_lang = split_divisions(
        body_raw, meta.original_language, page_vocab
    )
    if not orig_raw and not trans_raw:
        # No block reads as any language (numbers, names, references): kept, language undetermined.
        orig_raw = body_raw
        warnings.append("no language identified: the text is kept in an original division (und)")
    if not orig_raw:
        warnings.append("no original-language text found: the TEI has a translation division only")
    if not trans_raw:
        warnings.append("no translation found: the TEI has an original division only")
    stated = langid.code_for_name(meta.original_language)
    if stated and orig_lang and stated != orig_lang:
        warnings.append(
            f"header says the original is {meta.original_language} but the text reads as "
            f"{langid.language_name(orig_lang)}; using the detected language"
        )
    folios = meta.archive.folio_list if meta.archive else []
    doc_key = meta.doc_number or re.sub(r"\W+", "-", src.name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    surfaces = [
        Surface(id=surface_id(f), n=f, url=facs_pattern.format(doc=doc_key, folio=f))
        for f in folios
    ]
    divisions: list[Division] = []
    # the page's endnote list goes with the division in its language, else the translation
    zone_numbers = {n for n, _ in zones.endnotes}
    notes_lang = langid.guess(" ".join(t for _, t in zones.endnotes)).lang if zone_numbers else None
    notes_to_orig = bool(orig_raw) and (
        not trans_raw or (notes_lang is not None and notes_lang == orig_lang)
    )
    notes: list[str] = []
    if orig_raw:
        orig_body, orig_notes = trailing_bracket_notes(orig_raw)  # e.g. Chinese endnotes
        ctx = InlineContext(
            cyrillic_division=orig_lang in ("ru", "uk", "be", "bg"),
            original=True,
            note_numbers={n for n, _ in orig_notes} | (zone_numbers if notes_to_orig else set()),
        )
        blocks_o, n = build_blocks(orig_body, ctx, folios)
        warnings.extend(ctx.warnings)
        notes.extend(n)
        div_o = Division(
            "original", orig_lang or "und", blocks_o, langid.language_name(orig_lang or "und")
        )
        div_o.notes = [
            NoteBlock(content=parse_inline(t, ctx), kind="endnote", n=num) for num, t in orig_notes
        ]
        divisions.append(div_o)
    if trans_raw:
        trans_body, endnotes = extract_endnotes(trans_raw)
        text = "\n".join(b.text for b in trans_raw)
        ctx = InlineContext(
            vocabulary=vocabulary_of(text),
            note_numbers={n for n, _ in endnotes} | (set() if notes_to_orig else zone_numbers),
        )
        blocks_t, n = build_blocks(trans_body, ctx, [])
        notes.extend(n)
        div = Division(
            "translation", trans_lang or "und", blocks_t, langid.language_name(trans_lang or "und")
        )
        div.notes = [
            NoteBlock(content=parse_inline(t, ctx), kind="endnote", n=num) for num, t in endnotes
        ]
        warnings.extend(ctx.warnings)
        divisions.append(div)
    if zones.endnotes:
        # the page's endnote list (Translator's Notes ...) belongs to the translation if any
        target = divisions[0] if notes_to_orig else divisions[-1]
        ctx = InlineContext(note_numbers={n for n, _ in zones.endnotes})
        target.notes.extend(
            NoteBlock(content=parse_inline(t, ctx), kind="endnote", n=num)
            for num, t in zones.endnotes
        )
        target.notes_head = zones.notes_head
    for div in divisions:
        div.blocks = join_across_pages(place_pages(div, surfaces, warnings))
    return Document(
        source_name=src.name,
        meta=meta,
        divisions=divisions,
        surfaces=surfaces,
        warnings=warnings,
        conversion_notes=notes,
    )


def _is_top_signal(b: Block) -> bool:
    if isinstance(b, NoteBlock) and b.kind == "handwritten" and b.place == "top":
        return True
    return isinstance(b, NoteBlock) and b.place == "top"


def _is_bottom_signal(b: Block) -> bool:
    return isinstance(b, NoteBlock) and b.place == "bottom"


def _has_inline_bottom_note(b: Block) -> bool:
    content = getattr(b, "content", None)
    return isinstance(content, list) and any(
        isinstance(n, EditorialNote | Addition) and n.place == "bottom" for n in content
    )


def place_pages(div: Division, surfaces: list[Surface], warnings: list[str]) -> list[Block]:
    """Insert or resolve page breaks so that each points at its facsimile surface.

    Signals: folio lines (``63``), typed page numbers (``- 38 -``), a note at the bottom of a
    page (the page changes after it), an addition at the top of a page (it changes before it).
    """
    by_n = {s.n: i for i, s in enumerate(surfaces)}
    blocks = list(div.blocks)
    out: list[Block] = []
    current = -1  # index of the surface we are on

    def new_page(index: int | None, n: str | None = None) -> PageBlock:
        nonlocal current
        if index is not None and index < len(surfaces):
            current = index
            return PageBlock(n=surfaces[index].n, facs=surfaces[index].id)
        if surfaces:
            warnings.append(f"{div.role}: more page changes than folios in the citation")
        return PageBlock(n=n)

    first_top = next((k for k, b in enumerate(blocks) if _is_top_signal(b)), None)
    first_folio = next((k for k, b in enumerate(blocks) if isinstance(b, PageBlock)), None)
    start_at = 0
    if (
        first_top is not None
        and (first_folio is None or first_top < first_folio)
        and first_top <= 4
    ):
        start_at = first_top
    if (
        first_folio is not None
        and first_folio <= 2
        and (first_top is None or first_folio <= first_top)
    ):
        start_at = -1  # the folio line itself opens the first page
    for k, b in enumerate(blocks):
        if k == start_at and surfaces:
            out.append(new_page(0))
        if isinstance(b, PageBlock):
            if b.n is not None and b.n in by_n:
                idx = by_n[b.n]
                if idx == current:
                    out.append(
                        PageBlock(folio_line=b.folio_line)
                    )  # same page: keep the number only
                else:
                    page = new_page(idx)
                    page.folio_line = b.folio_line
                    out.append(page)
            elif b.page_number is not None:
                prev = out[-1] if out else None
                if isinstance(prev, PageBlock) and (prev.facs or prev.n) and not prev.page_number:
                    prev.page_number = b.page_number  # "63" then "- 38 -": one page change
                else:
                    digits = re.search(r"\d+", b.page_number)
                    page = new_page(
                        current + 1 if surfaces else None, digits.group(0) if digits else None
                    )
                    page.page_number = b.page_number
                    out.append(page)
            else:
                page = new_page(None, b.n) if not surfaces else new_page(current + 1)
                page.folio_line = b.folio_line
                out.append(page)
            continue
        if (
            _is_top_signal(b)
            and k != start_at
            and k > 0
            and not isinstance(out[-1] if out else None, PageBlock)
            and surfaces
            and current + 1 < len(surfaces)
        ):
            out.append(new_page(current + 1))
        out.append(b)
        bottom = _is_bottom_signal(b) or _has_inline_bottom_note(b)
        if bottom and k < len(blocks) - 1 and surfaces and current + 1 < len(surfaces):
            out.append(new_page(current + 1))
    return out


_TERMINAL = re.compile(r"[.!?:;»\")\]]\s*$")


def _last_text(nodes: list) -> str:
    for n in reversed(nodes):
        if isinstance(n, Text):
            return n.text
        if not isinstance(n, LineBreak | PageBreak):
            return ""
    return ""


def _continues(a: Paragraph, b: Paragraph) -> bool:
    """``b`` goes on with ``a``'s sentence: ``a`` is long and unfinished, ``b`` is lower-case."""
    if a.kind != "p" or b.kind != "p" or a.type or b.type:
        return False
    tail = _last_text(a.content)
    first = b.content[0] if b.content else None
    if not tail or _TERMINAL.search(tail) or not isinstance(first, Text):
        return False
    words = sum(len(n.text.split()) for n in a.content if isinstance(n, Text))
    head = first.text.lstrip()[:1]
    return words >= 8 and bool(head) and (head.islower() or head.isdigit())


def join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page change (folio line, page number, ``[page 15]``) is one
    paragraph with a ``pb`` inside it, as the Guidelines encode page breaks within text."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        j = i + 1
        while j < len(blocks) and isinstance(blocks[j], PageBlock):
            j += 1
        nxt = blocks[j] if j < len(blocks) else None
        if (
            isinstance(b, Paragraph)
            and j > i + 1
            and isinstance(nxt, Paragraph)
            and _continues(b, nxt)
        ):
            breaks = [
                PageBreak(n=p.n, facs=p.facs, folio_line=p.folio_line, page_number=p.page_number)
                for p in blocks[i + 1 : j]
                if isinstance(p, PageBlock)
            ]
            nxt = blocks[j]
            assert isinstance(nxt, Paragraph)
            out.append(Paragraph(content=b.content + breaks + nxt.content, kind=b.kind, id=b.id))
            i = j + 1
            continue
        out.append(b)
        i += 1
    return out
