"""The body of a document page: raw blocks, the original/translation split, block building."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tei.model import (
    Block,
    Cell,
    EditorialNote,
    Gap,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    ListItem,
    NoteBlock,
    PageBlock,
    Paragraph,
    Row,
    Signature,
    Stamp,
    Table,
    Text,
)

from . import lang as langid
from .inline import COMMON_EN, InlineContext, find_brackets, parse_inline


@dataclass
class RawBlock:
    """Consecutive non-blank lines of the source, with the line number of the first."""

    lines: list[str]
    line: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def flat(self) -> str:
        return " ".join(s.strip() for s in self.lines).strip()


def split_blocks(lines: list[str], first_line: int = 1) -> list[RawBlock]:
    """Split lines into blank-line separated blocks; trailing markdown hard-break spaces dropped."""
    blocks: list[RawBlock] = []
    cur: list[str] = []
    start = first_line
    for i, line in enumerate(lines):
        if line.strip():
            if not cur:
                start = first_line + i
            cur.append(line.rstrip())
        elif cur:
            blocks.append(RawBlock(cur, start))
            cur = []
    if cur:
        blocks.append(RawBlock(cur, start))
    return blocks


# ------------------------------------------------------------------ original / translation split


WEAK_LATIN = "latin?"
_LATIN_SCRIPT = {"en", "de", "fr", "es", "it", "pl", "la"}


def block_language(block: RawBlock, vocabulary: set[str] | None = None) -> str | None:
    """The block's language; ``latin?`` for short Latin text made of the page's English words."""
    text = re.sub(r"\[[^\[\]]*\]", " ", block.text) if "[" in block.text else block.text
    g = langid.guess(text)
    if g.confidence >= 0.3 or g.script not in (None, "Latn"):
        return g.lang
    if g.script == "Latn" and vocabulary is not None:
        words = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)]
        known = sum(1 for w in words if w in vocabulary or w in COMMON_EN)
        counts = langid.script_counts(text)
        other = sum(v for k, v in counts.items() if k != "Latn")  # e.g. Cyrillic around junk
        if (
            words
            and other * 10 < sum(counts.values())
            and (known * 2 >= len(words) or not _cyrillic_ocr(text))
        ):
            return WEAK_LATIN
    return None


def _cyrillic_ocr(text: str) -> bool:
    """Latin letters that are mostly Cyrillic look-alikes, with a word made only of them
    (``CEKPETAPH``): Cyrillic text read by an OCR as Latin, not English."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if not letters or sum(c in langid.LOOKALIKE for c in letters) < 0.7 * len(letters):
        return False
    return any(len(w) >= 3 and set(w) <= langid.LOOKALIKE for w in re.findall(r"[A-Za-z]+", text))


def _is_fragment(block: RawBlock) -> bool:
    """A few words without an ending: what is left when a page is cut mid-sentence."""
    text = block.flat
    letters = sum(1 for c in text if c.isalpha())
    return letters < 20 and len(text.split()) <= 3 and not _TERMINAL.search(text)


def split_divisions(
    blocks: list[RawBlock], stated_original: str | None, vocabulary: set[str] | None = None
) -> tuple[list[RawBlock], list[RawBlock], str | None, str | None]:
    """Find the change point between the original (first) and the translation (second).

    Returns (original blocks, translation blocks, original language, translation language).
    Blocks of no clear language (numbers, references, OCR debris) cost nothing either side;
    short Latin-script lines made of the page's English words count for a Latin-script side.
    """
    all_labels = [block_language(b, vocabulary) for b in blocks]
    if len(blocks) > 1 and _is_fragment(blocks[-1]):
        all_labels[-1] = None  # a page cut mid-word: a short fragment never decides a language
    labels = [lb if lb != WEAK_LATIN else None for lb in all_labels]
    present = sorted({lb for lb in labels if lb})
    if not present:
        return [], [], None, None
    # Prefix counts per language make the scan linear in the number of blocks.
    n = len(blocks)
    prefix = {lang: [0] * (n + 1) for lang in present}
    weak = [0] * (n + 1)
    for i, lb in enumerate(all_labels):
        for lang in present:
            prefix[lang][i + 1] = prefix[lang][i] + (lb == lang)
        weak[i + 1] = weak[i] + (lb == WEAK_LATIN)
    best: tuple[float, int, str | None, str | None] | None = None
    for k in range(n + 1):
        left = {lang: prefix[lang][k] for lang in present if prefix[lang][k]}
        right = {lang: prefix[lang][n] - prefix[lang][k] for lang in present}
        right = {lang: c for lang, c in right.items() if c}
        a = max(left, key=lambda x: (left[x], x)) if left else None
        b = max(right, key=lambda x: (right[x], x)) if right else None
        if a is not None and a == b:
            continue
        score = float(left.get(a, 0) if a else 0) + (right.get(b, 0) if b else 0)
        weak_l, weak_r = weak[k], weak[n] - weak[k]
        score += 0.5 * (
            (weak_l if a in _LATIN_SCRIPT else 0) + (weak_r if b in _LATIN_SCRIPT else 0)
        )
        cand = (score, k, a, b)
        # prefer the latest split at equal score: neutral blocks stay with the original
        if best is None or score >= best[0]:
            best = cand
    assert best is not None
    _, k, a, b = best
    total = sum(1 for lb in labels if lb)
    single = max(present, key=lambda x: (labels.count(x), x))
    if best[0] < total * 0.8 or len(present) == 1:
        # One language only: an original without translation or the reverse.
        stated = langid.code_for_name(stated_original)
        if single == stated or (stated and single != "en") or (not stated and single != "en"):
            return blocks, [], single, None
        return [], blocks, None, single
    # trailing neutral blocks at the split belong to the original (k is the latest best split)
    return blocks[:k], blocks[k:], a, b


# ------------------------------------------------------------------ block classification

_FOLIO_LINE = re.compile(r"^\s*(\d{1,4}(?:\s*(?:об|ob)\.?)?)\s*$")
_FOLIO_RANGE = re.compile(r"^\s*(\d{1,4})\s*[-–]\s*(\d{1,4})\s*$")
_PAGE_NUM = re.compile(
    r"^\s*(?:[-–]\s*\d{1,4}\s*[-–]|(?:page|p\.|pg\.|стр\.|с\.)\s*\d{1,4}"
    r"|\[\s*(?:page|p\.|pg\.)\s*\d{1,4}\s*\])\s*$",
    re.I,
)
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_LABEL = re.compile(
    # "а)", "a)", "1)", "1.", and "a. Text" (Latin a-h before a capital: "г. Ташкент" is a town)
    r"^(?:[-*•]\s+)?(?P<label>[a-zа-яё]\)|\d{1,2}\)|\d{1,2}\.(?!\d)|[a-h]\.(?=\s+[A-Z]))"
    r"\s*(?P<rest>\S.*)$"
)
_BULLET = re.compile(r"^[-*•]\s+(?P<rest>\S.*)$")
_DECISION_HEAD = re.compile(r"^\d{1,4}\.\s*-")
_NOISE_TOKEN = re.compile(r"^(?:□+|0{2,3})$")
_ENDNOTE = re.compile(r"^\[(\d{1,3})\]\s*(\S.*)$", re.S)
_TERMINAL = re.compile(r"[.!?:;»\")\]]\s*$")


def is_noise_block(block: RawBlock) -> bool:
    """OCR noise: boxes (□) or runs of 000 standing where a table was."""
    if "□" in block.text:
        return True
    tokens = block.text.split()
    noise = sum(1 for t in tokens if _NOISE_TOKEN.match(t))
    return len(tokens) >= 4 and noise >= len(tokens) * 0.5


def _words(text: str) -> int:
    return len(text.split())


def _starts_continuation(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and (first.islower() or first.isdigit())


def _mergeable(prev: RawBlock, nxt: RawBlock) -> str | None:
    """'hyphen' if a word is split across the blank line, 'line' if a sentence runs on."""
    a, b = prev.text.rstrip(), nxt.text.lstrip()
    if not a or not b or a.startswith(("#", "[")) or b.startswith(("#", "[", "-", "*")):
        return None
    if _LIST_LABEL.match(b) or _FOLIO_LINE.match(b) or _PAGE_NUM.match(b) or "\t" in b:
        return None
    if "\t" in a or is_noise_block(prev):
        return None
    if re.search(r"[^\W\d_]-$", a) and b[:1].islower():
        return "hyphen"
    if _TERMINAL.search(a) or _words(prev.flat) < 8:
        return None
    if b[:1].isdigit() and not re.search(r"[^\W\d_]$", a):
        return None
    if _starts_continuation(b) or (_words(nxt.flat) <= 3 and b.rstrip().endswith(".")):
        return "line"
    return None


def _table_from_lines(lines: list[str], ctx: InlineContext) -> Table:
    rows = []
    for line in lines:
        cells = [Cell(parse_inline(c.strip(), ctx)) for c in line.split("\t")]
        rows.append(Row(cells=cells))
    return Table(rows=rows)


def rebuild_noise_table(blocks: list[RawBlock], ctx: InlineContext) -> tuple[Table, int]:
    """Rebuild a table the OCR turned into boxes: labels start rows; numbers, dashes are cells."""
    tokens: list[str] = []
    removed = 0
    for b in blocks:
        for line in b.lines:
            keep: list[str] = []
            for t in line.split():
                if _NOISE_TOKEN.match(t):
                    removed += 1
                else:
                    keep.append(t)
            if keep:
                tokens.append(" ".join(keep))
    rows: list[list[str]] = []
    for t in tokens:
        if re.search(r"[^\W\d_]", t):
            rows.append([t])
        elif rows:
            rows[-1].append(t)
        else:
            rows.append([t])
    table = Table(
        rows=[Row(cells=[Cell(parse_inline(c, ctx)) for c in r]) for r in rows],
        note=(
            "Table rebuilt by the converter from OCR-damaged text: "
            f"{removed} noise glyph groups (□/000) were removed; labels and numbers are as found."
        ),
    )
    return table, removed


def _list_item(line: str, ctx: InlineContext) -> ListItem | None:
    m = _LIST_LABEL.match(line)
    if m:
        return ListItem(label=m.group("label"), content=parse_inline(m.group("rest"), ctx))
    return None


def _is_heading(block: RawBlock) -> tuple[int, str] | None:
    first = block.lines[0].strip()
    m = _HEADING_MD.match(first)
    if m and len(block.lines) == 1:
        return len(m.group(1)), m.group(2)
    flat = block.flat
    if len(block.lines) == 1 and _words(flat) <= 8:
        if _DECISION_HEAD.match(flat) or re.fullmatch(r"\W*<u>.*</u>\W*", flat):
            return 2, flat
        if re.match(r"^\d{2,4}\.\s+\S", flat) and flat.endswith(".") and _words(flat) <= 6:
            return 2, flat
    return None


def _whole_bracket(text: str) -> bool:
    t = text.strip()
    spans = find_brackets(t)
    return len(spans) == 1 and spans[0] == (0, len(t))


def classify(block: RawBlock, ctx: InlineContext, folios: list[str]) -> list[Block]:
    """One raw block -> model block(s)."""
    text = block.text.strip()
    flat = block.flat
    m = _FOLIO_RANGE.match(flat) or _FOLIO_LINE.match(flat)
    if m and (not folios or m.group(1) in folios):
        return [PageBlock(n=m.group(1), folio_line=flat)]
    if _PAGE_NUM.match(flat):  # "- 38 -", "Page 14", the translator's "[page 15]"
        return [PageBlock(page_number=flat.strip("[] "))]
    if _whole_bracket(text) and not ctx.original:
        nodes = parse_inline(text, ctx)
        if len(nodes) == 1 and isinstance(nodes[0], Gap):
            return [Paragraph(content=nodes, kind="ab", type="omission")]
        if nodes and all(not isinstance(n, Text) or not n.text.strip(" ;,.") for n in nodes):
            from tei.model import Addition  # local: keeps the import list short

            if all(isinstance(n, Addition) for n in nodes if not isinstance(n, Text)):
                first = next(n for n in nodes if isinstance(n, Addition))
                return [NoteBlock(content=nodes, kind="handwritten", place=first.place)]
            if len(nodes) == 1 and isinstance(nodes[0], EditorialNote):
                note = nodes[0]
                return [
                    NoteBlock(
                        content=note.content, kind=note.kind, place=note.place, label=note.label
                    )
                ]
    if head := _is_heading(block):
        return [Heading(content=parse_inline(head[1], ctx), level=head[0])]
    lines = [ln.strip() for ln in block.lines]
    if len(lines) >= 1 and sum("\t" in ln for ln in block.lines) >= max(1, len(lines) // 2 + 1):
        return [_table_from_lines([ln for ln in block.lines if ln.strip()], ctx)]
    split = next((k for k in range(1, len(lines)) if _LIST_LABEL.match(lines[k])), None)
    if split is not None and not _LIST_LABEL.match(lines[0]):
        # "… on the following conditions:\nа) …": a paragraph, then the list it introduces
        head_part = RawBlock(block.lines[:split], block.line)
        rest = RawBlock(block.lines[split:], block.line + split)
        return classify(head_part, ctx, folios) + classify(rest, ctx, folios)
    if len(lines) > 1 and all(_LIST_LABEL.match(ln) for ln in lines):
        # (the inline content is parsed only once the block is known to be a list)
        return [ListBlock(items=[i for i in (_list_item(ln, ctx) for ln in lines) if i])]
    bullets = [_BULLET.match(ln) for ln in lines]
    if len(lines) > 1 and all(bullets):
        return [
            ListBlock(
                items=[ListItem(None, parse_inline(b.group("rest"), ctx)) for b in bullets if b]
            )
        ]
    if item := _list_item(text.replace("\n", " ") if len(lines) == 1 else text, ctx):
        return [ListBlock(items=[item])]
    content = _absorb_signatory(parse_inline(text, ctx))
    kind: Literal["p", "closer"] = (
        "closer"
        if any(isinstance(n, Signature) for n in content)
        or (content and isinstance(content[0], Stamp) and content[0].kind == "seal")
        else "p"
    )
    return [Paragraph(content=content, kind=kind)]


def _absorb_signatory(nodes: list[Inline]) -> list[Inline]:
    """``[signed] I. Stalin``: the words after the mark, to the block's end, are the signatory."""
    for k, n in enumerate(nodes):
        if isinstance(n, Signature) and not n.content and k + 1 < len(nodes):
            rest = list(nodes[k + 1 :])
            if isinstance(rest[0], Text):
                rest[0] = Text(rest[0].text.lstrip())
            n.content = [r for r in rest if not (isinstance(r, Text) and not r.text)]
            return nodes[: k + 1]
    return nodes


def _merge_lists(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, ListBlock) and out and isinstance(out[-1], ListBlock):
            out[-1].items.extend(b.items)
        else:
            out.append(b)
    return out


# Invisible sentinels marking where two source blocks were joined (not letters: OCR-safe).
JOIN_HYPHEN = "\u2063\u2062"
JOIN_LINE = "\u2063\u2064"


def _join_runs(raw: list[RawBlock]) -> list[tuple[RawBlock, list[str]]]:
    """Join blocks that continue across a blank line; record the join kinds."""
    out: list[tuple[RawBlock, list[str]]] = []
    for b in raw:
        if out:
            prev, joins = out[-1]
            how = _mergeable(prev, b)
            if how:
                sep = JOIN_HYPHEN if how == "hyphen" else JOIN_LINE
                merged = RawBlock(
                    prev.lines[:-1] + [prev.lines[-1] + sep + b.lines[0]] + b.lines[1:], prev.line
                )
                out[-1] = (merged, joins + [how])
                continue
        out.append((b, []))
    return out


def _restore_joins(nodes: list[Inline]) -> list[Inline]:
    """Replace the join sentinels with line breaks (``break="no"`` for hyphenated words)."""
    out: list[Inline] = []
    for n in nodes:
        if isinstance(n, Text) and "\u2063" in n.text:
            parts = re.split(f"({JOIN_HYPHEN}|{JOIN_LINE})", n.text)
            for i, part in enumerate(parts):
                if i % 2 == 0:
                    if part:
                        out.append(Text(part))
                elif part == JOIN_HYPHEN:
                    if out and isinstance(out[-1], Text) and out[-1].text.endswith("-"):
                        out[-1] = Text(out[-1].text[:-1])
                    out.append(LineBreak(joined=True, hyphen="-"))
                else:
                    out.append(LineBreak())
        else:
            for attr in ("content",):
                inner = getattr(n, attr, None)
                if isinstance(inner, list):
                    setattr(n, attr, _restore_joins(inner))
            out.append(n)
    return out


def _fix_joins(block: Block) -> None:
    if isinstance(block, (Paragraph, Heading, NoteBlock)):
        block.content = _restore_joins(block.content)
    elif isinstance(block, ListBlock):
        for it in block.items:
            it.content = _restore_joins(it.content)
    elif isinstance(block, Table):
        for row in block.rows:
            for cell in row.cells:
                cell.content = _restore_joins(cell.content)


def build_blocks(
    raw: list[RawBlock], ctx: InlineContext, folios: list[str]
) -> tuple[list[Block], list[str]]:
    """Raw blocks of one division -> model blocks; returns (blocks, conversion notes)."""
    notes: list[str] = []
    out: list[Block] = []
    i = 0
    joined = _join_runs(raw)
    while i < len(joined):
        block, joins = joined[i]
        if is_noise_block(block):
            run = [block]
            while i + 1 < len(joined) and is_noise_block(joined[i + 1][0]):
                i += 1
                run.append(joined[i][0])
            table, removed = rebuild_noise_table(run, ctx)
            out.append(table)
            notes.append(
                f"line {run[0].line}: table rebuilt from OCR noise ({removed} noise groups removed)"
            )
            i += 1
            continue
        for b in classify(block, ctx, folios):
            if joins:
                _fix_joins(b)
            out.append(b)
        if joins:
            notes.append(
                f"line {block.line}: {len(joins)} paragraph break(s) inside a sentence "
                "or word joined"
            )
        i += 1
    return _merge_lists(out), notes


def extract_endnotes(raw: list[RawBlock]) -> tuple[list[RawBlock], list[tuple[str, str]]]:
    """Trailing ``[n] text`` blocks are endnotes; returns (remaining blocks, [(n, text)])."""
    notes: list[tuple[str, str]] = []
    end = len(raw)
    while end > 0 and (m := _ENDNOTE.match(raw[end - 1].text.strip())):
        notes.insert(0, (m.group(1), m.group(2)))
        end -= 1
    body_text = "\n".join(b.text for b in raw[:end])
    referenced = {n for n, _ in notes if f"[{n}]" in body_text}
    if not referenced:
        return raw, []
    return raw[:end], notes
