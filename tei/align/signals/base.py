"""What every signal shares: the :class:`Scorer` protocol, prefix sums, and
:class:`FeatureScorer`, the base of the anchor signals (numbers, names, cognates)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from ..model import AlignBlock


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


# Size of the per-text feature caches (content length and numbers, dates, name and cognate
# keys): enough for every block of a page at the 1 MB limit, both sides (a page of short
# labelled items has about 56,000), so the DP's context and every scorer find each block
# already analysed. With 16,384 such a page missed the cache on every look-up: each block was
# analysed three to four times over. The caches keep references to the texts, not copies.
TEXT_CACHE = 1 << 17


def prefix_sums(values: Sequence[int]) -> list[int]:
    """Running sums ``[0, v0, v0 + v1, ...]``: the sum of ``values[a:b]`` is ``out[b] - out[a]``."""
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def prefix_sums_f(values: Sequence[float]) -> list[float]:
    """:func:`prefix_sums` of floats."""
    out = [0.0]
    for v in values:
        out.append(out[-1] + v)
    return out


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
        return Counter(dict.fromkeys(c, 1)) if self.distinct and c else c


class _PreparedFeat:
    """Feature matching restricted to *linkable* keys (present on both sides of the document):
    other keys only count through per-block totals, kept as prefix sums, so most beads are
    scored from a few additions."""

    def __init__(self, s: FeatureScorer, fo: list[Counter[str]], ft: list[Counter[str]]) -> None:
        self.s = s
        self.fo = fo
        self.ft = ft
        self.no = prefix_sums([sum(c.values()) for c in fo])
        self.nt = prefix_sums([sum(c.values()) for c in ft])
        shared = {k for c in fo for k in c} & {k for c in ft for k in c}
        self.lo = [{k: v for k, v in c.items() if k in shared} for c in fo]
        self.lt = [{k: v for k, v in c.items() if k in shared} for c in ft]
        self.kno = prefix_sums([len(c) for c in self.lo])
        self.knt = prefix_sums([len(c) for c in self.lt])

    def bead(self, i0: int, i1: int, j0: int, j1: int) -> float:
        return self.beads([(i0, i1, j0, j1)])[0]

    def beads(self, spans: Sequence[tuple[int, int, int, int]]) -> list[float]:
        s = self.s
        hit, miss, cap, sym = s.hit, s.miss, s.cap, s.symmetric_miss
        no_, nt_, kno, knt, lo, lt = self.no, self.nt, self.kno, self.knt, self.lo, self.lt
        none = -min(cap, miss * 0) if sym else 0.0  # the evidence of a bead without keys
        out = []
        for i0, i1, j0, j1 in spans:
            if i0 == i1 or j0 == j1:
                out.append(0.0)
                continue
            no = no_[i1] - no_[i0]
            nt = nt_[j1] - nt_[j0]
            if not no or not nt:
                if sym and (no or nt):
                    out.append(-min(cap, miss * (no + nt)))
                else:
                    out.append(none)
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
