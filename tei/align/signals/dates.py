"""Dates: Russian month names in any case, English months, Roman-numeral months."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ...months import EN_ABBREVIATIONS, EN_MONTHS, RU_MONTH_STEMS
from ..model import AlignBlock
from .base import TEXT_CACHE, prefix_sums

RU_MONTH_RX = "|".join(f"(?:{m})" for m in RU_MONTH_STEMS)
# full names first, then each month's abbreviations, longer first ("sept" before "sep")
_EN_MONTH_RX = "|".join(
    [
        *EN_MONTHS,
        *(
            a
            for n in range(1, 13)
            for a in sorted(EN_ABBREVIATIONS, key=len, reverse=True)
            if EN_ABBREVIATIONS[a] == n and a not in EN_MONTHS
        ),
    ]
)
_ROMAN_CHARS = "IVXХУП1lІ"
_DATE_PATTERNS = [
    # 29 апреля 1945 / 14-го июня 1937 года / 26 НОЯБРЯ 1935
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:-?го)?\s+(?P<mr>{RU_MONTH_RX})[а-я]*\.?"
        rf"(?:\s+(?P<y>\d{{4}}))?",
        re.I,
    ),
    # в декабре 1944 года
    re.compile(rf"(?<![\d\w])(?P<mr>{RU_MONTH_RX})[а-я]*\s+(?P<y>\d{{4}})", re.I),
    # 29 April 1945 / 15 JUNE 1937
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<me>{_EN_MONTH_RX})\b\.?"
        rf"(?:,?\s+(?P<y>\d{{4}}))?",
        re.I,
    ),
    # April 29, 1945
    re.compile(
        rf"\b(?P<me>{_EN_MONTH_RX})\.?\s+(?P<d>\d{{1,2}})(?!\d)(?:,\s*(?P<y>\d{{4}}))?", re.I
    ),
    # December 1944
    re.compile(rf"\b(?P<me>{_EN_MONTH_RX})\.?\s+(?P<y>\d{{4}})", re.I),
    # 15.VI.37 / 1.Х.35г. / 15. УП. 36г. (Roman month, OCR-tolerant)
    re.compile(
        rf"(?P<d>\d{{1,2}})\.\s?(?P<rm>[{_ROMAN_CHARS}]{{1,4}})\.\s?(?P<y>\d{{2}}|\d{{4}})"
        r"(?!\d)"
    ),
    # 2.VI / 2. У1-4 (Roman month without a year: the numeral has two or more characters, one
    # of them a letter, and ends the word, so "1.1", "3. I", "1. Поручить" are not dates)
    re.compile(
        rf"(?<![\d.])(?P<d>\d{{1,2}})\.\s?(?P<rm>(?=[{_ROMAN_CHARS}]*[^\W\d_])"
        rf"[{_ROMAN_CHARS}]{{2,4}})(?![^\W_])"
    ),
    # 22.09.1948 / 14.06.37г.
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<mn>\d{1,2})\.(?P<y>\d{4}|\d{2})(?![\d.,])"),
]
# the patterns above that ignore case, compiled for lower-cased text (much faster than re.I)
_CASELESS = [re.compile(rx.pattern) if rx.flags & re.I else None for rx in _DATE_PATTERNS]
_DIGITS = re.compile(r"\d+")
_DIGIT_DOT = re.compile(r"\d\.")
# what the month-name patterns need near a digit: each month's stem (Russian to its last
# fixed letter: "ма" of май/мая) and its English three-letter abbreviation
_MONTH_STEMS = tuple(re.sub(r"\[.*", "", stem) for stem in RU_MONTH_STEMS) + tuple(
    m[:3] for m in EN_MONTHS
)
# any of them, in one scan (a page of short numbered items asks this of every block)
_MONTH_STEM_RX = re.compile("|".join(re.escape(stem) for stem in _MONTH_STEMS))
ROMAN_NUMERALS = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
}


@lru_cache(maxsize=512)
def _ru_month(stem: str) -> int:
    """Month number of a matched Russian month stem (a page repeats the same few forms)."""
    low = stem.lower()
    return next(i for i, rx in enumerate(RU_MONTH_STEMS, 1) if re.fullmatch(rx, low))


@lru_cache(maxsize=512)
def _en_month(name: str) -> int:
    low = name.lower()[:3]
    return next(i for i, full in enumerate(EN_MONTHS, 1) if full.startswith(low))


def roman_month(token: str) -> int | None:
    """Month number of an (OCR-damaged) Roman numeral: ``VI``, ``У1``, ``УП`` (VII), ``Х``."""
    t = token.upper()
    for a, b in (("Х", "X"), ("У", "V"), ("П", "II"), ("1", "I"), ("L", "I"), ("І", "I")):
        t = t.replace(a, b)
    return ROMAN_NUMERALS.get(t)


def _month(m: re.Match[str], g: dict[str, Any] | None = None) -> int | None:
    g = m.groupdict() if g is None else g
    if g.get("mr"):
        return _ru_month(g["mr"] or "")
    if g.get("me"):
        return _en_month(g["me"] or "")
    if g.get("rm"):
        return roman_month(g["rm"])
    if g.get("mn"):
        n = int(g["mn"])
        return n if 1 <= n <= 12 else None
    return None


@lru_cache(maxsize=TEXT_CACHE)
def find_dates(text: str) -> tuple[tuple[int, int, int | None, int, int | None], ...]:
    """(start, end, day, month, year) of each date, in text order (cached per text)."""
    found: list[tuple[int, int, tuple[int | None, int, int | None]]] = []
    taken: list[tuple[int, int]] = []  # spans of earlier patterns' dates, sorted, disjoint
    runs = [m.span() for m in _DIGITS.finditer(text)]
    if not runs:
        return ()  # every pattern needs a digit
    low = text.lower()
    same = len(low) == len(text)  # lower() kept the offsets
    # a month name is never far from the digits of its date
    near = "|".join(low[max(0, a - 16) : b + 16] for a, b in runs)
    months = _MONTH_STEM_RX.search(near) is not None
    dotted = _DIGIT_DOT.search(text) is not None
    for rx, rx_low in zip(_DATE_PATTERNS, _CASELESS, strict=True):
        if not (months if rx_low is not None else dotted):
            continue  # pre-check: month-name patterns need a month, the others "<digit>."
        matches = rx_low.finditer(low) if rx_low is not None and same else rx.finditer(text)
        # One pattern's matches come in text order and never overlap each other, so one pointer
        # walking ``taken`` finds every overlap with an earlier pattern's date: linear, where
        # testing each match against every earlier date was quadratic in the number of dates.
        new: list[tuple[int, int]] = []
        p, n_taken = 0, len(taken)
        for m in matches:
            start, end = m.span()
            while p < n_taken and taken[p][1] <= start:
                p += 1
            if p < n_taken and taken[p][0] < end:
                continue
            g = m.groupdict()
            month = _month(m, g)
            if not month:
                continue
            d = int(g["d"]) if g.get("d") else None
            if d is not None and not 1 <= d <= 31:
                continue
            y = g.get("y")
            year = int(y) + 1900 if y and len(y) == 2 else (int(y) if y else None)
            new.append((start, end))
            found.append((start, end, (d, month, year)))
        if new:
            taken = sorted(taken + new)  # two sorted runs: timsort merges them in linear time
    found.sort()
    return tuple((s, e, *dm) for s, e, dm in found)


def extract_dates(text: str) -> list[tuple[int | None, int, int | None]]:
    """(day, month, year) triples; day or year may be None. Two-digit years are 19xx."""
    return [(d, m, y) for _s, _e, d, m, y in find_dates(text)]


def strip_dates(text: str, repl: str = " ") -> str:
    """``text`` with every recognised date replaced by ``repl``."""
    spans = find_dates(text)
    if not spans:
        return text
    out, pos = [], 0
    for s, e, *_ in spans:
        out.append(text[pos:s])
        out.append(repl)
        pos = e
    out.append(text[pos:])
    return "".join(out)


Date = tuple[int | None, int, int | None]


def dates_compatible(a: Date, b: Date) -> bool:
    """Same month, and day/year equal wherever both are known (at least one shared)."""
    if a[1] != b[1]:
        return False
    shared = 0
    for x, y in ((a[0], b[0]), (a[2], b[2])):
        if x is not None and y is not None:
            if x != y:
                return False
            shared += 1
    return shared > 0


class DateScorer:
    """Dates: Russian months in any case, English months, Roman-numeral months.

    Dates match when compatible (``29 апреля`` ~ ``29 April 1945``); ``hit`` per matched date,
    ``-miss`` per date left without partner in a two-sided bead.
    """

    name = "dates"

    def __init__(
        self, weight: float = 1.0, hit: float = 5.0, miss: float = 2.5, cap: float = 8.0
    ) -> None:
        self.weight = weight
        self.hit = hit
        self.miss = miss
        self.cap = cap

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedDates:
        return _PreparedDates(
            self, [extract_dates(b.text) for b in orig], [extract_dates(b.text) for b in trans]
        )


class _PreparedDates:
    def __init__(self, s: DateScorer, do: list[list[Date]], dt: list[list[Date]]) -> None:
        self.s, self.do, self.dt = s, do, dt
        self.no = prefix_sums([len(x) for x in do])
        self.nt = prefix_sums([len(x) for x in dt])

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        hit, miss, cap = self.s.hit, self.s.miss, self.s.cap
        no_, nt_ = self.no, self.nt
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1 or j0 == j1:
                out.append(0.0)
                continue
            na, nb = no_[i1] - no_[i0], nt_[j1] - nt_[j0]
            if not na or not nb:
                out.append(-min(cap, miss * (na + nb)) if na + nb else 0.0)
                continue
            left = [d for k in range(j0, j1) for d in self.dt[k]]
            matched = 0
            for k in range(i0, i1):
                for d in self.do[k]:
                    for q, e in enumerate(left):
                        if dates_compatible(d, e):
                            matched += 1
                            del left[q]
                            break
            unmatched = na + nb - 2 * matched
            out.append(min(cap, hit * matched) - min(cap, miss * unmatched))
        return out

    def anchors(self) -> list[tuple[int, int, float]]:
        """Blocks holding the same full date (day, month and year) once on each side."""
        where: list[dict[Date, list[int]]] = [{}, {}]
        for side, blocks in enumerate((self.do, self.dt)):
            for k, ds in enumerate(blocks):
                for d in ds:
                    if d[0] is not None and d[2] is not None:
                        where[side].setdefault(d, []).append(k)
        return [
            (bo[0], where[1][d][0], self.s.hit)
            for d, bo in where[0].items()
            if len(bo) == 1 and len(where[1].get(d, ())) == 1
        ]
