"""List labels: а/б/в <-> a/b/c, 1./2. <-> 1./2., I./II."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import AlignBlock
from .base import prefix_sums
from .dates import ROMAN_NUMERALS

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
    roman = ROMAN_NUMERALS.get(core.upper())
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
        self.po = prefix_sums([x is not None for x in lo])
        self.pt = prefix_sums([x is not None for x in lt])

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        hit, miss, half, merge = self.s.hit, self.s.miss, self.s.half, self.s.merge
        lo, lt, po, pt = self.lo, self.lt, self.po, self.pt
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1 or j0 == j1:
                out.append(0.0)
                continue
            a, b = lo[i0], lt[j0]
            ev = 0.0
            if a is not None and b is not None:
                ev += hit if a == b else -miss
            elif (a is None) != (b is None):
                ev -= half
            extra_o = po[i1] - po[i0 + 1]
            extra_t = pt[j1] - pt[j0 + 1]
            out.append(ev - merge * abs(extra_o - extra_t) if extra_o != extra_t else ev)
        return out
