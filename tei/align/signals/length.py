"""Gale-Church length agreement (content characters, editorial brackets removed)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..model import AlignBlock
from .base import prefix_sums
from .text import content_length, is_editorial

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
        self.po = prefix_sums([content_length(b.text) for b in orig])
        self.pt = prefix_sums([content_length(b.text) for b in trans])
        self.eo = prefix_sums([is_editorial(b.text) for b in orig])
        self.et = prefix_sums([is_editorial(b.text) for b in trans])

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
