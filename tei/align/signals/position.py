"""Relative position: beads far from the diagonal of the two documents are less likely."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import AlignBlock


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
