"""Inline parsing: editorial brackets, markdown emphasis, line breaks, OCR flags.

The translation's brackets are classified by their wording (see docs/encoding.md):
``[...]`` gap, ``[SIC]`` sic, ``[left blank]`` space, ``[handwritten ...: ...]`` addition,
``[Note ...: ...]`` note, ``[signed]`` signature, ``[X seal]`` seal, ``[1]`` note reference,
``ABBR [expansion]``, ``term [gloss]``, ``word [transliteration]`` and ``[supplied words]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tei.model import (
    Abbreviation,
    Addition,
    EditorialNote,
    Foreign,
    Gap,
    Gloss,
    Highlight,
    Inline,
    LineBreak,
    NoteRef,
    Sic,
    Signature,
    Space,
    Stamp,
    Supplied,
    Text,
    Unclear,
)

from .lang import LOOKALIKE, script_of

# Function words and editorial vocabulary that are English even on a short page.
COMMON_EN = set(
    (
        "a an the of and or to in on at by for from with without into onto as is are was were "
        "be been being it its this that these those their there here his her him he she they "
        "them we us our you your i me my not no do does did done following above below same "
        "other such which who whom whose what when where why how all any some each one two "
        "three four five six seven eight nine ten first second third district districts "
        "county counties province region city town village ruble rubles copy copies page "
        "pages point points item items year years day days month months people government "
        "committee council department section part parts party army division regiment troops "
        "men officers name names number numbers sum amount text document documents decision "
        "decisions resolution question issue order orders letter note notes comrade comrades "
        "cde cdes mr mrs dr "
    ).split()
)

PLACES = {
    "top": "top",
    "bottom": "bottom",
    "margin": "margin",
    "left margin": "left",
    "right margin": "right",
    "above": "above",
    "below": "below",
    "before": "inline",
    "after": "inline",
    "over": "above",
    "under": "below",
    "end": "bottom",
}


@dataclass
class InlineContext:
    """Page-level knowledge the classifier uses: the translation's own vocabulary."""

    vocabulary: set[str] = field(default_factory=set)
    note_numbers: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    cyrillic_division: bool = False
    original: bool = False  # transcription of the original: only unambiguous markers are parsed

    def is_english(self, word: str) -> bool:
        w = word.lower().strip("'’.,;:()-")
        if not w:
            return True
        if w in COMMON_EN or w in self.vocabulary:
            return True
        for suffix in ("s", "es", "ed", "ing", "'s", "’s"):
            if w.endswith(suffix) and w[: -len(suffix)] in self.vocabulary:
                return True
        return False


def vocabulary_of(text: str) -> set[str]:
    """Lower-cased words used outside brackets: the page's own English vocabulary."""
    outside = re.sub(r"\[[^\[\]]*\]", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", outside)}


# ------------------------------------------------------------------ bracket scanning


def find_brackets(text: str) -> list[tuple[int, int]]:
    """Spans of top-level balanced ``[...]`` groups; unbalanced brackets are left as text."""
    spans: list[tuple[int, int]] = []
    if "[" not in text:
        return spans  # most blocks have no bracket: no need to walk them character by character
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch == "[":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "]" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


_ACRONYM = re.compile(r"^[A-ZА-Я][A-ZА-Я0-9()\-]*[A-ZА-Я0-9)]$")
_SIC = re.compile(r"^\s*sic!?\s*$", re.I)
_GAP = re.compile(r"^\s*(?:\.\s*){2,}\.?\s*$|^\s*…\s*$")
_BLANK = re.compile(
    r"^\s*(?:left\s+)?blank(?:\s+space)?\s*$|^\s*blank\s+in\s+(?:the\s+)?original\s*$", re.I
)
_SIGNED = re.compile(r"^\s*(?:signed|signature|sign\.)\s*$", re.I)
_SEAL = re.compile(r"^\s*(?:.*\bseal\b.*|.*\bstamp\b\s*)$", re.I)
_NOTEREF = re.compile(r"^\s*(\d{1,3}|[*†‡])\s*$")
_LABELLED = re.compile(r"^\s*(?P<label>[^:\[\]]{3,80}?):\s*(?P<body>.+)$", re.S)
# An editor's or translator's note inside the text: "[Trans. note-- ...]", "[Translator's note:
# ...]", "[... --ed.]", "[... -- trans.]". The label (or the signing abbreviation) is kept.
_EDITOR_NOTE = re.compile(
    r"^(?P<label>(?:trans(?:lator)?|tr|ed(?:itor)?)['’]?s?\.?\s*note)\s*(?:--|—|–|:|-)\s*"
    r"(?P<body>\S.*)$"
    r"|^(?P<body2>\S.*?)\s*(?:--|—)\s*(?P<sign>(?:ed|eds|trans|tr|transl)\.?)$",
    re.I | re.S,
)
_EDITORIAL = re.compile(
    r"\b(?:illegible|unreadable|crossed out|struck out|strikethrough|underlined|torn|damaged|"
    r"text missing|missing text|unclear|indecipherable|signature|in the margin)\b",
    re.I,
)
_HANDWRITTEN = re.compile(
    r"\b(hand[- ]?written|handwriting|in\s+(?:pencil|ink)|typed|added)\b", re.I
)


def _place_of(label: str) -> str | None:
    low = label.lower()
    for key in ("left margin", "right margin", "top", "bottom", "margin", "above", "below",
                "before", "after", "over", "under", "end"):  # fmt: skip
        if re.search(rf"\b{key}\b", low):
            return PLACES[key]
    return None


def _split_trailing_word(nodes: list[Inline]) -> tuple[str, str] | None:
    """The word (or ALL-CAPS run) just before the current position, for sic/gloss/abbr."""
    if not nodes or not isinstance(nodes[-1], Text):
        return None
    text = nodes[-1].text
    m = re.search(r"(\S+)(\s*)$", text)
    if not m:
        return None
    return text[: m.start(1)], m.group(1)


def _take_name_run(text: str, nwords: int) -> tuple[str, str] | None:
    """Split off the last ``nwords`` capitalised words of ``text`` (a name to gloss)."""
    pattern = rf"((?:[A-ZА-Я][\w'’.-]*\s+){{0,{nwords - 1}}}[A-ZА-Я][\w'’.-]*)(\s*)$"
    m = re.search(pattern, text)
    if not m:
        return None
    return text[: m.start(1)], m.group(1)


def classify_bracket(inner: str, before: list[Inline], ctx: InlineContext) -> list[Inline]:
    """Turn one bracketed span into inline nodes; may consume the word before it from ``before``."""
    stripped = inner.strip()
    if _NOTEREF.match(stripped) and stripped in ctx.note_numbers:
        return [NoteRef(stripped)]
    if ctx.original:
        return _classify_original(stripped, inner)
    if _GAP.match(stripped) or stripped == "":
        return [Gap(reason="omitted")] if stripped else [Text("[]")]
    if _SIC.match(stripped):
        prev = _split_trailing_word(before)
        if prev and prev[1]:
            if prev[0]:
                before[-1] = Text(prev[0])
            else:
                before.pop()
            return [Sic(prev[1])]
        return [Sic("")]
    if _BLANK.match(stripped):
        return [Space(description=stripped)]
    if _SIGNED.match(stripped):
        return [Signature(content=[], mark=stripped)]
    if _NOTEREF.match(stripped) and stripped in ctx.note_numbers:
        return [NoteRef(stripped)]
    if note := _EDITOR_NOTE.match(stripped):  # [Trans. note-- ...], [... --ed.]
        label = (note.group("label") or note.group("sign") or "").strip()
        body = note.group("body") if note.group("body") is not None else note.group("body2")
        return [
            EditorialNote(
                content=parse_inline(body.strip(), ctx),
                label=label or None,
                kind="editorial",
            )
        ]
    if _EDITORIAL.search(stripped) and not _LABELLED.match(stripped):
        return [EditorialNote(content=parse_inline(stripped, ctx))]
    labelled = _LABELLED.match(stripped)
    if labelled and _HANDWRITTEN.search(labelled.group("label")):
        return _additions(stripped, ctx)
    if labelled and re.match(
        r"\s*(?:note|footnote|comment|translator'?s note)", labelled.group("label"), re.I
    ):
        return [
            EditorialNote(
                content=parse_inline(labelled.group("body"), ctx),
                label=labelled.group("label").strip(),
                place=_place_of(labelled.group("label")),
                kind="source" if _place_of(labelled.group("label")) else "editorial",
            )
        ]
    if (
        before
        and isinstance(before[-1], Text)
        and re.search(r"\bstamp:?\s*$", before[-1].text, re.I)
    ):
        return [Stamp(content=parse_inline(stripped, ctx), kind="stamp")]
    if _SEAL.match(stripped) and len(stripped.split()) <= 6:
        kind = "seal" if re.search(r"\bseal\b", stripped, re.I) else "stamp"
        return [Stamp(content=[], kind=kind, description=stripped)]
    words = stripped.split()
    prev = _split_trailing_word(before)
    prev_word = prev[1] if prev else ""
    trailing_space = bool(
        before and isinstance(before[-1], Text) and before[-1].text[-1:].isspace()
    )
    english = [ctx.is_english(w) for w in words]
    # NKO [People's Commissariat of Defense]; SB [high-speed bombers]
    if prev_word and _ACRONYM.match(prev_word.strip(",.;:")) and trailing_space:
        word = prev_word
        if (
            len(words) >= 2
            and any(w[:1].islower() or w in ("People's",) for w in words)
            or (
                len(words) >= 2
                and sum(english) >= len(words) - 1
                and not all(w[:1].isupper() for w in words)
            )
            or (len(words) >= 3)
        ):
            if prev:  # always, since prev_word is set
                before[-1] = Text(prev[0])
            return [Abbreviation(abbr=word, expansion=stripped)]
    # Ili [Yili]; OSPAN BATYR [Osman Batur]: a name followed by another form of the name.
    if (
        trailing_space
        and all(w[:1].isupper() for w in words)
        and not all(english)
        and len(words) <= 4
    ):
        text = before[-1].text if before and isinstance(before[-1], Text) else ""
        run = _take_name_run(text.rstrip(), len(words))
        if run and run[1]:
            if run[0]:
                before[-1] = Text(run[0])
            else:
                before.pop()
            return [Gloss(term=run[1], gloss=stripped)]
    # commodity [tovarnyye] rubles: lower-case words that are not English -> original term.
    if trailing_space and prev_word and not any(english) and all(w[:1].islower() for w in words):
        return [Foreign(rendering=prev_word, term=stripped)]
    if all(english) or len(words) >= 4:
        return [Supplied(content=parse_inline(stripped, ctx))]
    # A capitalised word not glossing anything: supplied; else a note we do not classify.
    if all(w[:1].isupper() for w in words):
        return [Supplied(content=parse_inline(stripped, ctx))]
    ctx.warnings.append(f"unclassified bracket [{stripped}] kept as an editorial note")
    return [EditorialNote(content=parse_inline(stripped, ctx))]


_RU_SIGNED = re.compile(r"^\s*(?:подпись|подписи|signed)\s*$", re.I)
_RU_SEAL = re.compile(r"^\s*(?:печать|штамп|seal|stamp)\b.*$", re.I)


def _classify_original(stripped: str, inner: str) -> list[Inline]:
    """Brackets inside a transcription: only unambiguous editorial markers become markup."""
    if _GAP.match(stripped):
        return [Gap(reason="illegible")]
    if _SIC.match(stripped):
        return [Sic("")]
    if _RU_SIGNED.match(stripped):
        return [Signature(content=[], mark=stripped)]
    if _RU_SEAL.match(stripped) and len(stripped.split()) <= 6:
        return [
            Stamp(
                content=[],
                kind="seal" if re.search(r"печать|seal", stripped, re.I) else "stamp",
                description=stripped,
            )
        ]
    return [Text(f"[{inner}]")]


def _additions(stripped: str, ctx: InlineContext) -> list[Inline]:
    """``handwritten at the top of the page: X; handwritten before ...: Y`` -> additions."""
    parts = re.split(
        r";\s*(?=[^;:]*\b(?:hand[- ]?written|handwriting|typed|added)\b[^;:]*:)", stripped
    )
    out: list[Inline] = []
    for i, part in enumerate(parts):
        if i:
            out.append(Text("; "))
        m = _LABELLED.match(part)
        if not m:
            out.append(Text(part))
            continue
        label = m.group("label").strip()
        how = _HANDWRITTEN.search(label)
        hand = "handwritten" if re.search(r"hand", label, re.I) or not how else how.group(1).lower()
        out.append(
            Addition(
                content=parse_inline(m.group("body"), ctx),
                place=_place_of(label),
                hand=hand,
                description=label,
            )
        )
    return out


# ------------------------------------------------------------------ markdown and lines

_EMPH = re.compile(
    r"<u>(?P<u>.*?)</u>|\*\*(?P<b>[^*]+?)\*\*|(?<![\w*])\*(?P<i>[^*\s][^*]*?)\*(?![\w*])", re.S
)


def _parse_markup(text: str, ctx: InlineContext, brackets: bool) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for m in _EMPH.finditer(text):
        out.extend(_parse_plain(text[pos : m.start()], ctx, brackets, out))
        rend = (
            "underline"
            if m.group("u") is not None
            else "bold"
            if m.group("b") is not None
            else "italic"
        )
        inner = m.group("u") if m.group("u") is not None else m.group("b") or m.group("i")
        out.append(Highlight(content=_parse_markup(inner, ctx, brackets), rend=rend))
        pos = m.end()
    out.extend(_parse_plain(text[pos:], ctx, brackets, out))
    return _merge_text(out)


def _parse_plain(
    text: str, ctx: InlineContext, brackets: bool, prior: list[Inline]
) -> list[Inline]:
    if not brackets:
        return _text_with_breaks(text)
    out: list[Inline] = []
    pos = 0
    for start, end in find_brackets(text):
        out.extend(_text_with_breaks(text[pos:start]))
        before = prior + out
        n_prior = len(prior)
        new = classify_bracket(text[start + 1 : end - 1], before, ctx)
        # classify_bracket may have edited the nodes before the bracket
        prior[:] = before[:n_prior] if len(before) >= n_prior else before
        out = before[n_prior:] if len(before) >= n_prior else []
        out.extend(new)
        pos = end
    tail = text[pos:]
    if "[" in tail or "]" in tail:
        ctx.warnings.append(f"unbalanced bracket kept as text: {tail.strip()[:40]!r}")
    out.extend(_text_with_breaks(tail))
    return out


_BLANK_FIELD = re.compile(r"_{3,}")


def _text_with_breaks(text: str) -> list[Inline]:
    """Lines become line breaks (a word hyphenated at a line end is joined); ``____`` is a blank."""
    if "___" in text:
        out: list[Inline] = []
        pos = 0
        for m in _BLANK_FIELD.finditer(text):
            out.extend(_lines(text[pos : m.start()]))
            out.append(Space(extent=len(m.group(0)), marker=m.group(0)))
            pos = m.end()
        out.extend(_lines(text[pos:]))
        return out
    return _lines(text)


def _lines(text: str) -> list[Inline]:
    if "\n" not in text:
        return [Text(text)] if text else []
    out: list[Inline] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i < len(lines) - 1:
            nxt = lines[i + 1].lstrip()
            stripped = line.rstrip() if i == 0 else line.strip()
            if re.search(r"\w-$", stripped) and nxt[:1].islower():
                out.append(Text(stripped[:-1]))
                out.append(LineBreak(joined=True, hyphen="-"))
                continue
            if stripped:
                out.append(Text(stripped))
            out.append(LineBreak())
        else:
            out.append(Text(line.lstrip() if i else line))
    return [n for n in out if not (isinstance(n, Text) and n.text == "")]


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for n in nodes:
        if isinstance(n, Text):
            if not n.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + n.text)
                continue
        out.append(n)
    return out


def parse_inline(text: str, ctx: InlineContext, *, brackets: bool = True) -> list[Inline]:
    """Parse one block's text into inline nodes."""
    nodes = _parse_markup(text, ctx, brackets)
    if ctx.cyrillic_division:
        nodes = flag_latin(nodes)
    if ctx.note_numbers and "(" in text:
        nodes = _paren_refs(_merge_text(nodes), ctx.note_numbers)
    return _merge_text(nodes)


# "(1)" after a word or its punctuation: "Warsaw.(1)", "1956(1)", "comrades. (6)" -- never a
# list enumerator "(2) the second point" or an aside "point (2)".
_PAREN_REF = re.compile(r"(?:(?<=[^\s(])|(?<=[.,;:!?)\]]\s))\((\d{1,3})\)(?=[\s.,;:)]|$)")


def _paren_refs(nodes: list[Inline], numbers: set[str]) -> list[Inline]:
    """``(n)`` markers of a page whose endnotes are numbered ``1.``/``(1)``: note anchors."""
    out: list[Inline] = []
    for n in nodes:
        if not isinstance(n, Text):
            out.append(n)
            continue
        pos = 0
        for m in _PAREN_REF.finditer(n.text):
            if m.group(1) not in numbers:
                continue
            out.append(Text(n.text[pos : m.start()]))
            out.append(NoteRef(m.group(1), marker=m.group(0)))
            pos = m.end()
        out.append(Text(n.text[pos:]))
    return out


# ------------------------------------------------------------------ OCR flags

_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.,;:'’√()-]*(?:\s+[A-Za-z√][A-Za-z0-9.,;:'’√()-]*)*")


def flag_latin(nodes: list[Inline]) -> list[Inline]:
    """In a Cyrillic division, runs of Latin-letter words are OCR suspects: wrap them in Unclear."""
    out: list[Inline] = []
    for n in nodes:
        if not isinstance(n, Text):
            out.append(n)
            continue
        pos = 0
        text = n.text
        for m in _LATIN_RUN.finditer(text):
            run = m.group(0).rstrip(".,;:")
            letters = [c for c in run if c.isalpha()]
            if not letters or not any(script_of(c) == "Latn" for c in letters):
                continue
            end = m.start() + len(run)
            out.append(Text(text[pos : m.start()]))
            reason = "ocr-latin-lookalike" if all(c in LOOKALIKE for c in letters) else "ocr-latin"
            out.append(Unclear(text=run, reason=reason))
            pos = end
        out.append(Text(text[pos:]))
    return _merge_text(out)
