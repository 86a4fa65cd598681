"""Per-text features several signals share: content length and numbers (one pass over the
debris-free, date-free text, cached by text), OCR debris, editorial brackets, furniture."""

from __future__ import annotations

import re
from functools import lru_cache

from .base import TEXT_CACHE
from .dates import strip_dates

_BRACKETED = re.compile(r"\[[^\[\]]*\]")


def content_length(text: str) -> int:
    """Letters and digits of real content: editorial ``[...]`` insertions removed.

    Whitespace, punctuation and OCR debris (``□``) do not count; dates and numbers count as one
    character each (their notation differs between languages). A block that is *entirely*
    editorial keeps its bracketed text (it is then the content), minus a leading
    ``[handwritten at the top of the page:``-style preamble.
    """
    return analyse(text)[0]


@lru_cache(maxsize=TEXT_CACHE)
def analyse(text: str) -> tuple[int, tuple[str, ...]]:
    """(content length, numbers) of one text: the per-block features several signals share,
    computed in one pass over the debris-free, date-free text."""
    plain = strip_dates(clean_debris(text), "#")
    matches = list(_NUM.finditer(plain))
    numbers = _number_values(plain, matches)
    if "[" in text:  # editorial insertions do not count towards the length
        stripped = _BRACKETED.sub("", text)
        if not _ALNUM.search(stripped):
            stripped = _PREAMBLE.sub("", text)
        body = strip_dates(clean_debris(stripped), "#")
        matches = list(_NUM.finditer(body))
    else:
        body = plain
    alnum = len(_NON_ALNUM.sub("", body))  # digits of a number count once, as one '#'
    digits = sum(m.end() - m.start() for m in matches) - sum(
        body.count(sep, m.start(), m.end()) for m in matches for sep in ".,"
    )
    return alnum - digits + len(matches) + body.count("#"), numbers


def clean_debris(text: str) -> str:
    """Remove OCR debris: box characters and all-zero digit groups (``□□□`` read as ``000``)."""
    if "00" not in text and not _BOXES.search(text):
        return text
    return _DEBRIS.sub(" ", text)


_BOXES = re.compile(r"[□■▯�]")
_NON_ALNUM = re.compile(r"[\W_]+")
_DEBRIS = re.compile(r"[□■▯�]+|(?<![\d.,])0{2,}(?![\d.,])")
_ALNUM = re.compile(r"[^\W_]")
_PREAMBLE = re.compile(r"^\s*\[[^\]:]{0,60}:")


def is_editorial(text: str) -> bool:
    """True for a translator's/editor's block: ``[...]`` or wholly inside square brackets."""
    t = text.strip()
    return bool(t) and t.startswith("[") and t.endswith("]") and not _BRACKETED.sub("", t).strip()


def is_omission(text: str) -> bool:
    """True for an omission marker such as ``[...]`` or ``[…]``."""
    return re.fullmatch(r"\[\s*(\.\s*){2,}\]|\[…\]|…|\.\.\.", text.strip()) is not None


def is_furniture(text: str) -> bool:
    """True for page numbers, folio and registration numbers: no letters at all."""
    t = text.strip()
    return bool(t) and not re.search(r"[^\W\d_]", t) and len(t) <= 24


_RU_NUMWORDS = {
    **dict.fromkeys(["один", "одна", "одно", "одну", "одного", "одной", "одним"], 1),
    **dict.fromkeys(["два", "две", "двух", "двум", "двумя"], 2),
    **dict.fromkeys(["три", "трех", "трёх", "трем", "тремя"], 3),
    **dict.fromkeys(["четыре", "четырех", "четырёх", "четырем"], 4),
    **dict.fromkeys(["пять", "пяти"], 5),
    **dict.fromkeys(["шесть", "шести"], 6),
    **dict.fromkeys(["семь", "семи"], 7),
    **dict.fromkeys(["восемь", "восьми"], 8),
    **dict.fromkeys(["девять", "девяти"], 9),
    **dict.fromkeys(["десять", "десяти"], 10),
}
_EN_NUMWORDS = {
    w: i
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
_MULT_RX = re.compile(
    r"\s*(?:(тыс\b\.?|тысяч\w*|thousand\b)|(?:млн\b\.?|миллион\w*|million\b))", re.I
)
# (the preceding character is checked by hand: a leading look-behind would slow the scan down)
_NUMWORD = re.compile(
    r"(?:"
    + "|".join(sorted({*_RU_NUMWORDS, *_EN_NUMWORDS}, key=lambda w: (-len(w), w)))
    + r")(?![^\W\d_])"
)
# No "(?<!\d)" guard is needed: every alternative ends where no digit follows and the last one
# takes any digit run whole, so a scan never starts a match inside a run (and a pattern that
# starts with a digit class lets the regex engine skip to digits quickly).
_NUM = re.compile(
    r"(?P<grp>\d{1,3}(?:[.,]\d{3})+)(?![.,]?\d)"  # 2.520 / 2,520 / 1.236.000
    r"|(?P<dec>\d+[.,]\d{1,2})(?!\d)"  # 103,5 / 103.5
    r"|(?P<int>\d+)"
)


def _canon(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _number_values(text: str, matches: list[re.Match[str]]) -> tuple[str, ...]:
    out: list[str] = []
    for m in matches:
        if m.group("grp"):
            v: float = int(re.sub(r"[.,]", "", m.group("grp")))
        elif m.group("dec"):
            v = float(m.group("dec").replace(",", "."))
        else:
            v = int(m.group("int"))
        out.append(_canon(v * _multiplier(text, m.end())))
    low = text.lower()
    for m in _NUMWORD.finditer(low):
        if m.start() and low[m.start() - 1].isalpha():
            continue  # inside a word
        n = _RU_NUMWORDS.get(m.group()) or _EN_NUMWORDS[m.group()]
        out.append(str(n * _multiplier(low, m.end())))
    return tuple(out)


def _multiplier(text: str, pos: int) -> int:
    """1000 or 1 000 000 when ``тысяч``/``млн``/``thousand``/``million`` follows ``pos``."""
    m = _MULT_RX.match(text, pos)
    if not m:
        return 1
    return 1000 if m.group(1) else 1_000_000
