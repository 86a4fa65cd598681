"""Punctuation/bracket structure and block kinds; furniture and editorial blocks."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import AlignBlock
from .base import prefix_sums, prefix_sums_f
from .text import is_editorial, is_furniture, is_omission


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
        self.single_o = prefix_sums_f([self._single(x) for x in self.o])
        self.single_t = prefix_sums_f([self._single(x) for x in self.t])
        self.omit_o = prefix_sums([x[2] for x in self.o])
        self.omit_t = prefix_sums([x[2] for x in self.t])
        self.furn_o = prefix_sums([x[0] for x in self.o])
        self.furn_t = prefix_sums([x[0] for x in self.t])

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
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        s = self.s
        omission, punct, half_punct, kind, mismatch = (
            s.omission,
            s.punct,
            s.punct / 2,
            s.kind,
            s.mismatch,
        )
        o, t = self.o, self.t
        single_o, single_t = self.single_o, self.single_t
        omit_o, omit_t, furn_o_, furn_t_ = self.omit_o, self.omit_t, self.furn_o, self.furn_t
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1:
                out.append(single_t[j1] - single_t[j0])
                continue
            if j0 == j1:
                out.append(single_o[i1] - single_o[i0])
                continue
            ev = 0.0
            lo, lt = o[i1 - 1], t[j1 - 1]
            fo, ft = o[i0], t[j0]
            if omit_t[j1] - omit_t[j0] or omit_o[i1] - omit_o[i0]:
                ev -= omission
            if lo[3] == ":" and lt[3] == ":":
                ev += punct
            elif (lo[3] == ":") != (lt[3] == ":"):
                ev -= half_punct
            if fo[4] and ft[4]:
                ev += punct
            if fo[5] == ft[5] and fo[5] in _KINDS:
                ev += kind
            furn_o = furn_o_[i1] - furn_o_[i0] == i1 - i0
            furn_t = furn_t_[j1] - furn_t_[j0] == j1 - j0
            if furn_o and furn_t:
                ev += punct
            elif furn_o or furn_t:
                ev -= mismatch  # a page number does not translate into words
            out.append(ev)
        return out


_KINDS = frozenset({"row", "item", "head", "closer", "signed", "l"})
