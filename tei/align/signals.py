"""Pluggable evidence signals for block alignment.

A :class:`Scorer` has a ``name`` and a ``weight``; ``prepare(orig, trans)`` returns a
:class:`PreparedScorer` whose ``bead(i0, i1, j0, j1)`` gives the evidence (in nats, positive
for, negative against) that ``orig[i0:i1]`` corresponds to ``trans[j0:j1]``. Either span may be
empty (1:0 / 0:1 beads). The DP turns the weighted sum of evidence into a bead cost.

Signals: Gale-Church length, numbers in either notation, dates (Russian month names in any
case, English months, Roman-numeral months), list labels, transliterated proper names and
acronyms, cognate stems, punctuation/bracket/paragraph structure and relative position.
A sentence-embedding signal can be added as one more ``Scorer`` (see :class:`EmbeddingScorer`);
nothing here needs a model.

Calibration (``python bench/align_bench.py --calibrate``, on the seed pages as the converter
segments them): the length model is fitted on the 1:1 gold groups; the ``hit``/``miss``
evidence of numbers, dates, names and cognates is the log-likelihood ratio, per key, of being
matched / left without partner in a gold 1:1 pair versus in a confusable neighbouring pair,
rounded (numbers 5.2/2.8, dates 5.8/2.7, names 3.9/0.45, cognates 3.8/0.1 estimated; unmatched
cognate stems, at 0.1, are ignored). Caps bound the evidence of correlated keys. The other
constants are set by hand, each for a stated reason.

Speed: per-text features (lengths, numbers, dates, name and cognate keys) are computed once
and cached by text (:func:`clear_caches` forgets them); every built-in prepared scorer also
scores a whole batch of beads in one call (``beads``), which the DP prefers to ``bead``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

from ..months import EN_MONTHS, RU_MONTH_STEMS
from .model import AlignBlock

# --------------------------------------------------------------------------- protocol


class PreparedScorer(Protocol):
    """A scorer bound to one pair of block lists.

    Only ``bead`` is required. The evidence of a one-sided bead must depend on its block alone
    (the DP scores it once per block). Optional, for speed and banding:

    * ``beads(spans)`` - the evidence of many ``(i0, i1, j0, j1)`` spans in one call;
    * ``anchors()`` - ``(i, j, weight)`` block pairs this signal is confident about (a key that
      is unique on both sides); the DP centres its band on the heaviest monotone chain of them.
    """

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Evidence that orig[i0:i1] corresponds to trans[j0:j1] (either may be empty)."""
        ...


class Scorer(Protocol):
    """A pluggable alignment signal."""

    name: str
    weight: float

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> PreparedScorer:
        """Pre-compute per-block features for one document pair."""
        ...


# --------------------------------------------------------------------------- text helpers

_BRACKETED = re.compile(r"\[[^\[\]]*\]")


def clear_caches() -> None:
    """Forget the per-text feature caches (for cold timings)."""
    for f in (
        _analyse,
        _find_dates,
        name_candidates,
        _cognate_keys,
        cognate_key,
        phonetic,
        name_distance,
    ):
        f.cache_clear()


def content_length(text: str) -> int:
    """Letters and digits of real content: editorial ``[...]`` insertions removed.

    Whitespace, punctuation and OCR debris (``□``) do not count; dates and numbers count as one
    character each (their notation differs between languages). A block that is *entirely*
    editorial keeps its bracketed text (it is then the content), minus a leading
    ``[handwritten at the top of the page:``-style preamble.
    """
    return _analyse(text)[0]


@lru_cache(maxsize=16384)
def _analyse(text: str) -> tuple[int, tuple[str, ...]]:
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


# --------------------------------------------------------------------------- length (Gale-Church)

# Russian -> English character-length model estimated from the 1:1 groups of the seed gold on
# the converter's blocks (pages 000, 003, 004; see bench/align_bench.py --calibrate): English is
# on average C times as long as the Russian (content characters, editorial brackets removed),
# with variance S2 per Russian character.
LENGTH_RATIO = 1.01
LENGTH_VARIANCE = 2.18


class LengthScorer:
    """Gale-Church length agreement: log of the two-sided tail probability of the length delta."""

    name = "length"

    def __init__(
        self,
        weight: float = 1.0,
        ratio: float = LENGTH_RATIO,
        variance: float = LENGTH_VARIANCE,
        floor: float = -5.0,
        editorial_factor: float = 10.0,
        null_slope: float = 0.0,
        null_pivot: float = 60.0,
        null_clip: float = 1.5,
    ) -> None:
        self.weight = weight
        self.null_slope = null_slope
        self.null_pivot = null_pivot
        self.null_clip = null_clip
        self.editorial_factor = editorial_factor
        self.ratio = ratio
        self.variance = variance
        self.floor = floor

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedLength:
        return _PreparedLength(self, orig, trans)


class _PreparedLength:
    def __init__(
        self, s: LengthScorer, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]
    ) -> None:
        self.s = s
        self.po = _prefix([content_length(b.text) for b in orig])
        self.pt = _prefix([content_length(b.text) for b in trans])
        self.eo = _prefix([is_editorial(b.text) for b in orig])
        self.et = _prefix([is_editorial(b.text) for b in trans])

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        s = self.s
        po, pt, eo, et = self.po, self.pt, self.eo, self.et
        c, var0, floor = s.ratio, s.variance, s.floor
        evar = var0 * s.editorial_factor
        sqrt, erfc, log = math.sqrt, math.erfc, math.log
        rt2 = math.sqrt(2.0)
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1 or j0 == j1:
                # one-sided: short blocks (stamps, headers, notes) are often left untranslated,
                # long paragraphs rarely
                ln = (po[i1] - po[i0]) + (pt[j1] - pt[j0])
                x = s.null_slope * (log(s.null_pivot) - log(1 + ln))
                out.append(max(-s.null_clip, min(s.null_clip, x)))
                continue
            lo = po[i1] - po[i0]
            lt = pt[j1] - pt[j0]
            mean = (lo + lt / c) / 2.0
            if mean <= 0:
                out.append(0.0)
                continue
            # an editor's description, not a translation: lengths say little
            var = evar if (et[j1] - et[j0] == j1 - j0 or eo[i1] - eo[i0] == i1 - i0) else var0
            p = erfc(abs(lt - lo * c) / sqrt(var * mean) / rt2)
            out.append(max(floor, log(p)) if p > 0 else floor)
        return out


def _prefix(values: Sequence[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


# --------------------------------------------------------------------------- feature scorers


class FeatureScorer:
    """Base for anchor signals: each block yields a multiset of keys; matched keys are evidence.

    ``bead`` returns ``hit * matched - miss * unmatched`` for beads with both sides and 0 for
    one-sided beads (a missing counterpart is the prior's business). ``unmatched`` counts the
    keys left over on both sides (``symmetric_miss``) or only ``min`` of the two sides.
    """

    name = "features"
    distinct = False  # count each key once per block
    symmetric_miss = False
    anchor = False  # offer keys unique on both sides as band anchors

    def anchor_key(self, key: str) -> bool:
        """Whether a key unique on both sides is distinctive enough to anchor the band."""
        return True

    def __init__(
        self, weight: float = 1.0, hit: float = 1.0, miss: float = 0.5, cap: float = 8.0
    ) -> None:
        self.weight = weight
        self.hit = hit
        self.miss = miss
        self.cap = cap

    def features(self, block: AlignBlock, side: str) -> Counter[str]:
        """Keys of one block; ``side`` is ``"orig"`` or ``"trans"``."""
        raise NotImplementedError

    def link(self, orig: list[Counter[str]], trans: list[Counter[str]]) -> None:
        """Hook to unify keys across sides (e.g. fuzzy name matching); default: exact keys."""

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedFeat:
        fo = [self._feats(b, "orig") for b in orig]
        ft = [self._feats(b, "trans") for b in trans]
        self.link(fo, ft)
        return _PreparedFeat(self, fo, ft)

    def _feats(self, b: AlignBlock, side: str) -> Counter[str]:
        c = self.features(b, side)
        return Counter(dict.fromkeys(c, 1)) if self.distinct else c


class _PreparedFeat:
    """Feature matching restricted to *linkable* keys (present on both sides of the document):
    other keys only count through per-block totals, kept as prefix sums, so most beads are
    scored from a few additions."""

    def __init__(self, s: FeatureScorer, fo: list[Counter[str]], ft: list[Counter[str]]) -> None:
        self.s = s
        self.fo = fo
        self.ft = ft
        self.no = _prefix([sum(c.values()) for c in fo])
        self.nt = _prefix([sum(c.values()) for c in ft])
        shared = {k for c in fo for k in c} & {k for c in ft for k in c}
        self.lo = [{k: v for k, v in c.items() if k in shared} for c in fo]
        self.lt = [{k: v for k, v in c.items() if k in shared} for c in ft]
        self.kno = _prefix([len(c) for c in self.lo])
        self.knt = _prefix([len(c) for c in self.lt])

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        s = self.s
        hit, miss, cap, sym = s.hit, s.miss, s.cap, s.symmetric_miss
        no_, nt_, kno, knt, lo, lt = self.no, self.nt, self.kno, self.knt, self.lo, self.lt
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1 or j0 == j1:
                out.append(0.0)
                continue
            no = no_[i1] - no_[i0]
            nt = nt_[j1] - nt_[j0]
            if not no or not nt:
                out.append(-min(cap, miss * (no + nt)) if sym else 0.0)
                continue
            matched = 0
            if kno[i1] - kno[i0] and knt[j1] - knt[j0]:
                if i1 - i0 == 1:
                    ca = lo[i0]
                else:
                    ca = {}
                    for k in range(i0, i1):
                        for key, v in lo[k].items():
                            ca[key] = ca.get(key, 0) + v
                if j1 - j0 == 1:
                    cb = lt[j0]
                else:
                    cb = {}
                    for k in range(j0, j1):
                        for key, v in lt[k].items():
                            cb[key] = cb.get(key, 0) + v
                if len(ca) > len(cb):
                    ca, cb = cb, ca
                for key, v in ca.items():
                    w = cb.get(key)
                    if w:
                        matched += v if v < w else w
            uo = no - matched
            ut = nt - matched
            unmatched = uo + ut if sym else min(uo, ut)
            out.append(min(cap, hit * matched) - min(cap, miss * unmatched))
        return out

    def anchors(self) -> list[tuple[int, int, float]]:
        """Block pairs sharing a key found in exactly one block of each side, once."""
        if not self.s.anchor:
            return []
        where_o: dict[str, list[int]] = {}
        where_t: dict[str, list[int]] = {}
        for where, blocks in ((where_o, self.lo), (where_t, self.lt)):
            for k, c in enumerate(blocks):
                for key, v in c.items():
                    where.setdefault(key, []).append(k if v == 1 else -1)
        out = []
        for key, bo in where_o.items():
            bt = where_t.get(key)
            if (
                len(bo) == 1
                and bt is not None
                and len(bt) == 1
                and bo[0] >= 0
                and bt[0] >= 0
                and self.s.anchor_key(key)
            ):
                out.append((bo[0], bt[0], self.s.hit))
        return out


# ---- numbers

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
_WORD = re.compile(r"[^\W\d_]+")


def _canon(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def extract_numbers(text: str) -> list[str]:
    """Numeric values in ``text`` as canonical strings (see :func:`_numbers`)."""
    return list(_numbers(text))


def _numbers(text: str) -> tuple[str, ...]:
    """Numeric values in ``text`` as canonical strings (dates are removed first).

    ``2.520``, ``2,520`` -> ``2520``; ``15,5`` -> ``15.5``; ``300 тысяч`` / ``300,000`` ->
    ``300000``; number words (``четыре``, ``four``) -> digits.
    """
    return _analyse(text)[1]


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


class NumberScorer(FeatureScorer):
    """Numbers in either notation (thousand separators, decimal commas, multipliers, words)."""

    name = "numbers"
    symmetric_miss = True  # numbers survive translation: a number without partner is evidence
    anchor = True

    def anchor_key(self, key: str) -> bool:
        """Not small integers: list numbers, counts and days recur in unrelated places."""
        return len(key.replace(".", "")) >= 3

    def __init__(
        self, weight: float = 1.0, hit: float = 5.0, miss: float = 2.5, cap: float = 8.0
    ) -> None:
        super().__init__(weight, hit, miss, cap)

    def features(self, block: AlignBlock, side: str) -> Counter[str]:
        return Counter(_numbers(block.text))


# ---- dates

_RU_MONTHS = RU_MONTH_STEMS
_EN_MONTHS = EN_MONTHS
_RU_MONTH_RX = "|".join(f"(?:{m})" for m in _RU_MONTHS)
_EN_MONTH_RX = "|".join(_EN_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
_ROMAN_CHARS = "IVXХУП1lІ"
_DATE_PATTERNS = [
    # 29 апреля 1945 / 14-го июня 1937 года / 26 НОЯБРЯ 1935
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:-?го)?\s+(?P<mr>{_RU_MONTH_RX})[а-я]*\.?"
        rf"(?:\s+(?P<y>\d{{4}}))?",
        re.I,
    ),
    # в декабре 1944 года
    re.compile(rf"(?<![\d\w])(?P<mr>{_RU_MONTH_RX})[а-я]*\s+(?P<y>\d{{4}})", re.I),
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
_MONTH_STEMS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_ROMAN = {
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


def roman_month(token: str) -> int | None:
    """Month number of an (OCR-damaged) Roman numeral: ``VI``, ``У1``, ``УП`` (VII), ``Х``."""
    t = token.upper()
    for a, b in (("Х", "X"), ("У", "V"), ("П", "II"), ("1", "I"), ("L", "I"), ("І", "I")):
        t = t.replace(a, b)
    return _ROMAN.get(t)


def _month(m: re.Match[str]) -> int | None:
    g = m.groupdict()
    if g.get("mr"):
        low = g["mr"].lower()
        return next(i for i, rx in enumerate(_RU_MONTHS, 1) if re.fullmatch(rx, low[: len(low)]))
    if g.get("me"):
        low = g["me"].lower()[:3]
        return next(i for i, name in enumerate(_EN_MONTHS, 1) if name.startswith(low))
    if g.get("rm"):
        return roman_month(g["rm"])
    if g.get("mn"):
        n = int(g["mn"])
        return n if 1 <= n <= 12 else None
    return None


@lru_cache(maxsize=4096)
def _find_dates(text: str) -> tuple[tuple[int, int, int | None, int, int | None], ...]:
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
    months = any(stem in near for stem in _MONTH_STEMS)
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
            month = _month(m)
            if not month:
                continue
            d = int(m.group("d")) if m.groupdict().get("d") else None
            if d is not None and not 1 <= d <= 31:
                continue
            y = m.groupdict().get("y")
            year = int(y) + 1900 if y and len(y) == 2 else (int(y) if y else None)
            new.append((start, end))
            found.append((start, end, (d, month, year)))
        if new:
            taken = sorted(taken + new)  # two sorted runs: timsort merges them in linear time
    found.sort()
    return tuple((s, e, *dm) for s, e, dm in found)


def extract_dates(text: str) -> list[tuple[int | None, int, int | None]]:
    """(day, month, year) triples; day or year may be None. Two-digit years are 19xx."""
    return [(d, m, y) for _s, _e, d, m, y in _find_dates(text)]


def strip_dates(text: str, repl: str = " ") -> str:
    """``text`` with every recognised date replaced by ``repl``."""
    spans = _find_dates(text)
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
        self.no = _prefix([len(x) for x in do])
        self.nt = _prefix([len(x) for x in dt])

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


# ---- list labels

_CYR_ALPHA = "абвгдежзиклмнопрстуфхцчшщэюя"
_LAT_ALPHA = "abcdefghijklmnopqrstuvwxyz"
_LABEL_RX = re.compile(
    r"^\s*(?:[-–•]\s*)?\(?(?P<lab>\d{1,3}|[IVX]{1,5}|[а-яa-z])(?P<p>[.)])(?![\d.])", re.I
)


def extract_label(text: str) -> str | None:
    """A leading list/section label such as ``а)``, ``1.``, ``IV.``, or None."""
    m = _LABEL_RX.match(text)
    if not m:
        return None
    lab = m.group("lab")
    if m.group("p") == "." and len(lab) == 1 and lab.isalpha() and lab.lower() not in "ivx":
        return None  # "В. Смирнов" is an initial, not a label
    return lab + m.group("p")


def label_key(label: str | None) -> tuple[str, int] | None:
    """Comparable label: (``"n"``, 3) for ``3.``/``3)``; (``"a"``, 2) for ``б)``/``b)``."""
    if not label:
        return None
    core = label.strip().strip("().- ").lower()
    if core.isdigit():
        return ("n", int(core))
    if len(core) == 1 and core in _CYR_ALPHA:
        return ("a", _CYR_ALPHA.index(core) + 1)
    if len(core) == 1 and core in _LAT_ALPHA and core not in "ivx":
        return ("a", _LAT_ALPHA.index(core) + 1)
    roman = _ROMAN.get(core.upper())
    if roman:
        return ("r", roman)
    if len(core) == 1 and core in _LAT_ALPHA:
        return ("a", _LAT_ALPHA.index(core) + 1)
    return None


class LabelScorer:
    """List labels: а/б/в <-> a/b/c, 1./2. <-> 1./2.; the first block of each side is compared.

    Evidence ``+hit`` for equal labels, ``-miss`` for different ones, ``-half`` when only one
    side is labelled, ``-merge`` for every
    extra labelled block on one side of a bead (two list items rarely become one).
    """

    name = "labels"

    def __init__(
        self,
        weight: float = 1.0,
        hit: float = 2.0,
        miss: float = 3.0,
        merge: float = 1.0,
        half: float = 1.0,
    ) -> None:
        self.weight = weight
        self.half = half
        self.hit = hit
        self.miss = miss
        self.merge = merge

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedLabel:
        return _PreparedLabel(
            self, [_block_label(b) for b in orig], [_block_label(b) for b in trans]
        )


def _block_label(b: AlignBlock) -> tuple[str, int] | None:
    return label_key(b.label) or label_key(extract_label(b.text))


class _PreparedLabel:
    def __init__(
        self, s: LabelScorer, lo: list[tuple[str, int] | None], lt: list[tuple[str, int] | None]
    ) -> None:
        self.s, self.lo, self.lt = s, lo, lt
        self.po = _prefix([x is not None for x in lo])
        self.pt = _prefix([x is not None for x in lt])

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        if i0 == i1 or j0 == j1:
            return 0.0
        a, b = self.lo[i0], self.lt[j0]
        ev = 0.0
        if a is not None and b is not None:
            ev += self.s.hit if a == b else -self.s.miss
        elif (a is None) != (b is None):
            ev -= self.s.half
        extra_o = self.po[i1] - self.po[i0 + 1]
        extra_t = self.pt[j1] - self.pt[j0 + 1]
        return ev - self.s.merge * abs(extra_o - extra_t) if extra_o != extra_t else ev


# ---- transliterated names and acronyms

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
# Acronyms whose English form is a translation rather than a transliteration.
ACRONYMS = {"ссср": "ussr", "цк": "cc", "кп": "cp", "сср": "ssr", "вкп": "vkp", "рсфср": "rsfsr"}
_EN_STOP = set(
    "a an the of in on at to for from by with and or but as is are was were be been this that "
    "these those it its he she they we our their his her i you your cde cdes mr no nos dob "
    "also not there here which who when where what".split()
)


_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
_YE = re.compile(r"(?:^|(?<=[аеёиоуыэюяъь]))е")


def transliterate(word: str) -> str:
    """Russian -> Latin (BGN/PCGN-like: е is ``ye`` word-initially and after vowels)."""
    return _YE.sub("ye", word.lower()).translate(_TRANSLIT_TABLE)


_PHON_RULES = [
    ("shch", "sc"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("q", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
    ("ck", "k"),
]


_NON_AZ = re.compile(r"[^a-z]+")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def phonetic(latin: str) -> str:
    """A coarse phonetic key shared by transliterations and English spellings."""
    t = _NON_AZ.sub("", latin.lower())
    for a, b in _PHON_RULES:
        if a in t:
            t = t.replace(a, b)
    return _REPEAT.sub(r"\1", t)


def levenshtein(a: str, b: str) -> int:
    """Plain edit distance."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def prefix_distances(text: str, pattern: str) -> list[int]:
    """``levenshtein(text[:t], pattern)`` for t = 1..len(text), in one left-to-right pass.

    Bit-parallel (Myers 1999 / Hyyrö 2001, global variant): the columns of the DP table are
    bit vectors over ``pattern``, so each character of ``text`` costs a few integer operations.
    """
    m = len(pattern)
    if m == 0:
        return list(range(1, len(text) + 1))
    peq: dict[str, int] = {}
    for k, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << k)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    out = []
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        out.append(score)
    return out


@lru_cache(maxsize=65536)
def name_distance(ru_key: str, en_key: str) -> float:
    """Normalised edit distance between phonetic keys, allowing a Russian inflection ending.

    The best of ``levenshtein(ru_key[:t], en_key) / max(t, len(en_key))`` over prefix lengths
    ``t`` from ``len(en_key) - 1`` to ``len(en_key) + 2`` (all from one bit-parallel pass).
    """
    ne = len(en_key)
    if len(ru_key) + 1 < ne * 0.6:
        return 1.0
    t_lo = max(1, ne - 1)
    t_hi = min(len(ru_key), ne + 2)
    if not ru_key:
        return 1.0
    if t_hi < t_lo:  # the Russian key is shorter than every prefix tried: compare it whole
        return prefix_distances(ru_key, en_key)[-1] / max(len(ru_key), ne)
    dist = prefix_distances(ru_key[:t_hi], en_key)
    best = 1.0
    for t in range(t_lo, t_hi + 1):
        d = dist[t - 1] / (t if t > ne else ne)
        if d < best:
            best = d
    return best


_RU_TOKEN = re.compile(r"[А-ЯЁ][А-Яа-яЁё]+")
_EN_TOKEN = re.compile(r"[A-Z][A-Za-z]+")


_SPACED = re.compile(r"(?<!\w)(?:[А-ЯЁA-Z] ){2,}[А-ЯЁA-Z](?!\w)")


def unspace(text: str) -> str:
    """Join letter-spaced emphasis: ``С Т А Л И Н У`` -> ``СТАЛИНУ``."""
    return _SPACED.sub(lambda m: m.group().replace(" ", ""), text)


_SENT_START = re.compile(r"(?:^|[.!?:;]\s+|\(\s*|\[\s*|[\"«]\s*)$")
_MONTH_WORDS = re.compile(rf"^(?:{_RU_MONTH_RX}|{'|'.join(_EN_MONTHS)})", re.I)


@lru_cache(maxsize=16384)
def name_candidates(text: str, side: str) -> tuple[tuple[str, bool], ...]:
    """(key, is_acronym) of proper names and acronyms (all caps, <= 4 letters) on one side.

    Capitalised words at the start of a sentence are skipped unless written in capitals, and so
    are month names. Names get a :func:`phonetic` key (Russian transliterated first); acronyms
    keep their letters (Russian transliterated, or translated via :data:`ACRONYMS`).
    """
    out = []
    rx = _RU_TOKEN if side == "orig" else _EN_TOKEN
    text = unspace(text)
    for m in rx.finditer(text):
        tok = m.group()
        low = tok.lower()
        upper = tok.isupper()
        acr = upper and len(tok) <= 4
        if not upper and _SENT_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        if _MONTH_WORDS.match(low) or low in _EN_STOP:
            continue
        if side == "orig":
            key = (ACRONYMS.get(low) or transliterate(low)) if acr else phonetic(transliterate(low))
        else:
            key = low if acr else phonetic(low)
        out.append((key, acr))
    return tuple(out)


# Fuzzy name linking compares every Russian name with every English name of the same initial:
# quadratic in the number of distinct names. Real pages need a few hundred comparisons (seed
# page 000: 182, the most of the examples and ../shared pages); past this many per document
# pair (about 2 s) the remaining names match exactly only, so a page of 40,000 invented names
# cannot stall the aligner.
NAME_LINK_BUDGET = 100_000


class NameScorer(FeatureScorer):
    """Proper names and acronyms: transliteration table + normalised edit distance.

    ``ОСПАН`` <-> ``OSPAN`` and ``НКВД`` <-> ``NKVD`` match exactly, ``Кашгаре`` <-> ``Kashgar``
    by a short edit distance; ``Синьцзян`` <-> ``Xinjiang`` (a different romanisation) does not.
    """

    name = "names"
    distinct = True
    anchor = True
    symmetric_miss = True

    def __init__(
        self,
        weight: float = 1.0,
        hit: float = 4.0,
        miss: float = 0.5,
        cap: float = 6.0,
        threshold: float = 0.25,
        link_budget: int = NAME_LINK_BUDGET,
    ) -> None:
        super().__init__(weight, hit, miss, cap)
        self.threshold = threshold
        self.link_budget = link_budget

    def features(self, block: AlignBlock, side: str) -> Counter[str]:
        keys: Counter[str] = Counter()
        for key, acr in name_candidates(block.text, side):
            if len(key) >= (2 if acr else 3):
                keys[("A:" if acr else "N:") + key] += 1
        return keys

    def link(self, orig: list[Counter[str]], trans: list[Counter[str]]) -> None:
        """Rename each Russian name key to the closest English name key within ``threshold``."""
        en_keys = {k for c in trans for k in c}
        buckets: dict[str, list[str]] = {}
        for k in sorted(en_keys):
            if k.startswith("N:"):
                buckets.setdefault(k[:3], []).append(k)
        mapping: dict[str, str] = {}
        budget = self.link_budget
        for k in sorted({k for c in orig for k in c}):
            if k in en_keys or not k.startswith("N:"):
                continue
            best, best_d = None, self.threshold + 1e-9
            for cand in buckets.get(k[:3], ()):
                if abs(len(cand) - len(k)) > 4 and len(cand) > len(k):
                    continue  # an English name much longer than the Russian word
                if budget <= 0:
                    break  # out of comparisons: the remaining names only match exactly
                budget -= 1
                d = name_distance(k[2:], cand[2:])
                if d < best_d:
                    best, best_d = cand, d
            if best:
                mapping[k] = best
        for c in orig:
            for old in [k for k in c if k in mapping]:
                c[mapping[old]] += c.pop(old)


# ---- cognates (international vocabulary)

_RU_WORD = re.compile(r"[а-яё]{6,}")
_EN_WORD = re.compile(r"[a-z]{5,}")
_EN_C = re.compile(r"c(?=[eiy])")


@lru_cache(maxsize=65536)
def cognate_key(word: str, side: str, size: int = 5) -> str | None:
    """A prefix key shared by many Russian/English cognates (``организации`` ~ ``organization``).

    Russian is transliterated, English ``c`` is read as ``s`` before e/i/y and ``k`` elsewhere;
    both then go through :func:`phonetic` and are cut to ``size`` letters.
    """
    low = word.lower()
    lat = transliterate(low) if side == "orig" else _EN_C.sub("s", low).replace("c", "k")
    key = phonetic(lat)
    return key[:size] if len(key) >= size else None


class CognateScorer(FeatureScorer):
    """Shared international vocabulary: ``протокол`` ~ ``protocol``, ``авиации`` ~ ``aviation``."""

    name = "cognates"
    distinct = True

    def __init__(
        self, weight: float = 1.0, hit: float = 4.0, miss: float = 0.0, cap: float = 3.0
    ) -> None:
        super().__init__(weight, hit, miss, cap)

    def features(self, block: AlignBlock, side: str) -> Counter[str]:
        return Counter(_cognate_keys(block.text, side))


@lru_cache(maxsize=16384)
def _cognate_keys(text: str, side: str, size: int = 5) -> tuple[str, ...]:
    """:func:`cognate_key` of every long word of ``text``, computed for all words at once."""
    words = (_RU_WORD if side == "orig" else _EN_WORD).findall(text.lower())
    if not words:
        return ()
    joined = " ".join(words)
    if side == "orig":
        lat = _YE_BULK.sub("ye", joined).translate(_TRANSLIT_TABLE)
    else:
        lat = _EN_C.sub("s", joined).replace("c", "k")
    t = _NON_AZ_SPACE.sub("", lat)
    for a, b in _PHON_RULES:  # no rule spans a space: word by word, as phonetic() does
        if a in t:
            t = t.replace(a, b)
    t = _REPEAT.sub(r"\1", t)
    return tuple(k[:size] for k in t.split(" ") if len(k) >= size)


_YE_BULK = re.compile(r"(?:^|(?<=[ аеёиоуыэюяъь]))е")
_NON_AZ_SPACE = re.compile(r"[^a-z ]+")


# --------------------------------------------------------------------------- structure


class StructureScorer:
    """Punctuation/bracket structure and block kinds.

    One-sided beads: a block with no letters (page/folio/registration numbers) or a wholly
    bracketed editorial block (``[...]``, ``[handwritten: ...]``) costs little to leave
    unaligned. Two-sided beads: the same final punctuation (``:``), both parenthesised, the
    same block kind (row/item/head) count for; an omission marker ``[...]`` aligned to text
    and a letter-less block aligned to words count against.

    """

    name = "structure"

    def __init__(
        self,
        weight: float = 1.0,
        furniture: float = 2.5,
        editorial: float = 1.5,
        omission: float = 3.0,
        punct: float = 0.5,
        kind: float = 0.4,
        mismatch: float = 2.0,
    ) -> None:
        self.weight = weight
        self.furniture = furniture
        self.editorial = editorial
        self.omission = omission
        self.punct = punct
        self.kind = kind
        self.mismatch = mismatch

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedStruct:
        return _PreparedStruct(self, orig, trans)


def _final(text: str) -> str:
    t = text.rstrip()
    return t[-1] if t else ""


class _PreparedStruct:
    def __init__(
        self, s: StructureScorer, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]
    ) -> None:
        self.s = s
        self.o = [self._info(b) for b in orig]
        self.t = [self._info(b) for b in trans]
        self.single_o = _prefix_f([self._single(x) for x in self.o])
        self.single_t = _prefix_f([self._single(x) for x in self.t])
        self.omit_o = _prefix([x[2] for x in self.o])
        self.omit_t = _prefix([x[2] for x in self.t])
        self.furn_o = _prefix([x[0] for x in self.o])
        self.furn_t = _prefix([x[0] for x in self.t])

    @staticmethod
    def _info(b: AlignBlock) -> tuple[bool, bool, bool, str, bool, str]:
        t = b.text.strip()
        paren = t.startswith("(") and t.endswith(")")
        return (is_furniture(t), is_editorial(t), is_omission(t), _final(t), paren, b.kind)

    def _single(self, info: tuple[bool, bool, bool, str, bool, str]) -> float:
        furn, edit, omit, *_ = info
        if omit or furn:
            return self.s.furniture
        return self.s.editorial if edit else 0.0

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        s = self.s
        if i0 == i1:
            return self.single_t[j1] - self.single_t[j0]
        if j0 == j1:
            return self.single_o[i1] - self.single_o[i0]
        ev = 0.0
        lo, lt = self.o[i1 - 1], self.t[j1 - 1]
        fo, ft = self.o[i0], self.t[j0]
        if self.omit_t[j1] - self.omit_t[j0] or self.omit_o[i1] - self.omit_o[i0]:
            ev -= s.omission
        if lo[3] == ":" and lt[3] == ":":
            ev += s.punct
        elif (lo[3] == ":") != (lt[3] == ":"):
            ev -= s.punct / 2
        if fo[4] and ft[4]:
            ev += s.punct
        if fo[5] == ft[5] and fo[5] in _KINDS:
            ev += s.kind
        furn_o = self.furn_o[i1] - self.furn_o[i0] == i1 - i0
        furn_t = self.furn_t[j1] - self.furn_t[j0] == j1 - j0
        if furn_o and furn_t:
            ev += s.punct
        elif furn_o or furn_t:
            ev -= s.mismatch  # a page number does not translate into words
        return ev


_KINDS = frozenset({"row", "item", "head", "closer", "signed", "l"})


def _prefix_f(values: Sequence[float]) -> list[float]:
    out = [0.0]
    for v in values:
        out.append(out[-1] + v)
    return out


# --------------------------------------------------------------------------- position


class PositionScorer:
    """Relative position: beads far from the diagonal of the two documents are less likely."""

    name = "position"

    def __init__(self, weight: float = 1.0, slope: float = 2.0, tolerance: float = 0.1) -> None:
        self.weight = weight
        self.slope = slope
        self.tolerance = tolerance

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedPos:
        return _PreparedPos(self, max(1, len(orig)), max(1, len(trans)))


class _PreparedPos:
    def __init__(self, s: PositionScorer, n: int, m: int) -> None:
        self.s, self.n, self.m = s, n, m

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        a, b = 1.0 / (2 * self.n), 1.0 / (2 * self.m)
        slope, tol = self.s.slope, self.s.tolerance
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1 or j0 == j1:
                out.append(0.0)
                continue
            d = abs((i0 + i1) * a - (j0 + j1) * b) - tol
            out.append(-slope * d if d > 0 else 0.0)
        return out


# --------------------------------------------------------------------------- embeddings (optional)


class EmbeddingScorer:
    """Cosine similarity of block embeddings from any ``encode(list[str]) -> list[vector]``.

    Not used by default (no model is shipped). To add a multilingual sentence-embedding model
    once a package with its weights is installed, pass its encoder::

        Aligner(scorers=[*default_scorers(), EmbeddingScorer(model.encode, weight=2.0)])

    Multi-block beads use the sum of the block vectors.
    """

    name = "embedding"

    def __init__(
        self,
        encode: Callable[[list[str]], Sequence[Sequence[float]]],
        weight: float = 2.0,
        centre: float = 0.5,
        scale: float = 6.0,
    ) -> None:
        self.encode = encode
        self.weight = weight
        self.centre = centre
        self.scale = scale

    def prepare(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> _PreparedEmb:
        vo = [list(map(float, v)) for v in self.encode([b.text for b in orig])] if orig else []
        vt = [list(map(float, v)) for v in self.encode([b.text for b in trans])] if trans else []
        return _PreparedEmb(self, vo, vt)


class _PreparedEmb:
    def __init__(self, s: EmbeddingScorer, vo: list[list[float]], vt: list[list[float]]) -> None:
        self.s, self.vo, self.vt = s, vo, vt

    @staticmethod
    def _sum(vs: list[list[float]], a: int, b: int) -> list[float]:
        return [sum(col) for col in zip(*vs[a:b], strict=False)]

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        if i0 == i1 or j0 == j1:
            return 0.0
        a, b = self._sum(self.vo, i0, i1), self._sum(self.vt, j0, j1)
        na = math.sqrt(sum(x * x for x in a))
        nb = math.sqrt(sum(x * x for x in b))
        if not na or not nb:
            return 0.0
        cos = sum(x * y for x, y in zip(a, b, strict=False)) / (na * nb)
        return self.s.scale * (cos - self.s.centre)


# --------------------------------------------------------------------------- defaults


def default_scorers() -> list[Scorer]:
    """The model-free signal set used by :func:`tei.align.align_blocks`."""
    return [
        LengthScorer(),
        NumberScorer(),
        DateScorer(),
        LabelScorer(),
        NameScorer(),
        CognateScorer(),
        StructureScorer(),
        PositionScorer(),
    ]
