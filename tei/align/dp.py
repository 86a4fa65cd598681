"""Dynamic programming over alignment beads, with posterior confidences.

Beads: 1:1, 1:0, 0:1, 2:1, 1:2 and, for runs of short blocks (header lines, table rows, short
list items), n:1 and 1:n up to ``max_run``. A bead's cost is its shape prior minus the
weighted sum of the evidence of every :class:`~tei.align.signals.Scorer`. The best path is found
by Viterbi inside a diagonal band; a forward-backward pass over the same band turns costs into
posterior probabilities, and each group's ``score`` is the posterior of its bead (in [0, 1]).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .model import AlignBlock, Group
from .signals import PreparedScorer, Scorer, content_length, default_scorers

INF = float("inf")
Bead = tuple[int, int, int, int]  # orig[i0:i1] <-> trans[j0:j1]


@dataclass(frozen=True, slots=True)
class BeadPriors:
    """Shape costs (negative log prior, in nats) and limits of the bead set."""

    one_one: float = 0.0
    null: float = 3.0  # 1:0 and 0:1
    two_one: float = 2.2  # 2:1 and 1:2
    many_extra: float = 0.6  # each block beyond two in an n:1 / 1:n bead
    max_run: int = 8
    short_len: int = 80  # only blocks up to this many content characters join n>2 runs
    two_two: float | None = None  # 2:2 beads are off unless given a cost

    def shapes(self) -> list[tuple[int, int, float]]:
        """(orig count, trans count, prior cost) for every allowed bead shape."""
        out = [(1, 1, self.one_one), (1, 0, self.null), (0, 1, self.null),
               (2, 1, self.two_one), (1, 2, self.two_one)]
        if self.two_two is not None:
            out.append((2, 2, self.two_two))
        for k in range(3, self.max_run + 1):
            c = self.two_one + (k - 2) * self.many_extra
            out += [(k, 1, c), (1, k, c)]
        return out


def _logsumexp_neg(values: list[float], temp: float) -> float:
    """-T * log(sum(exp(-v / T))), robust to infinities."""
    best = min(values)
    if best == INF:
        return INF
    s = sum(math.exp(-(v - best) / temp) for v in values if v != INF)
    return best - temp * math.log(s)


class Aligner:
    """Configurable n:m block aligner (signals, bead priors, band, temperature).

    ``band`` is the initial half-width of the diagonal band (doubled while the best path runs
    along its edge); a multi-block bead whose partial cost already exceeds the cell's best by
    ``prune`` nats is not scored further (the first scorer, length, is the cheap filter).
    """

    def __init__(self, scorers: Sequence[Scorer] | None = None,
                 priors: BeadPriors | None = None, band: int = 8,
                 temperature: float = 1.0, prune: float = 12.0) -> None:
        self.scorers = list(scorers) if scorers is not None else default_scorers()
        self.priors = priors or BeadPriors()
        self.band = band
        self.temperature = temperature
        self.prune = prune

    # ------------------------------------------------------------------ public
    def align(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> list[Group]:
        """Align two block lists; groups come in document order and cover every block once."""
        n, m = len(orig), len(trans)
        if n == 0 or m == 0:
            return ([Group((b.id,), (), 1.0) for b in orig]
                    + [Group((), (b.id,), 1.0) for b in trans])
        prepared = [(s.weight, s.prepare(orig, trans)) for s in self.scorers if s.weight]
        shapes = self._shapes(orig, trans)
        width = self.band
        while True:
            lo, hi = self._band(n, m, width)
            path, costs = self._viterbi(n, m, lo, hi, prepared, shapes)
            limit = max(n, m)
            if width >= limit or not self._touches_edge(path, lo, hi, n, m):
                break
            width *= 2  # the best path ran along the band's edge: widen and redo
        post = self._posteriors(n, m, lo, hi, shapes[0], shapes[1], costs, path)
        return [Group(tuple(orig[k].id for k in range(i0, i1)),
                      tuple(trans[k].id for k in range(j0, j1)), round(p, 4))
                for (i0, i1, j0, j1), p in zip(path, post, strict=True)]

    @staticmethod
    def _touches_edge(path: list[tuple[int, int, int, int]], lo: list[int], hi: list[int],
                      n: int, m: int) -> bool:
        for _i0, i1, _j0, j1 in path:
            if (j1 <= lo[i1] and lo[i1] > 0) or (j1 >= hi[i1] and hi[i1] < m):
                return True
        return False

    def _viterbi(self, n: int, m: int, lo: list[int], hi: list[int],
                 prepared: list[tuple[float, PreparedScorer]],
                 shapes: tuple[list[int], list[int]],
                 ) -> tuple[list[Bead], dict[tuple[int, int, int, int], float]]:
        """Best path inside the band, and the cost of every bead it looked at."""
        costs: dict[tuple[int, int, int, int], float] = {}
        beads = [(w, p.bead) for w, p in prepared]
        # one-sided beads depend on one block only: score them once per block
        null_o = [self.priors.null - sum(w * f(i, i + 1, 0, 0) for w, f in beads)
                  for i in range(n)]
        null_t = [self.priors.null - sum(w * f(0, 0, j, j + 1) for w, f in beads)
                  for j in range(m)]

        def bead_cost(i: int, j: int, a: int, b: int, prior: float, bound: float) -> float:
            key = (i, j, a, b)
            c = costs.get(key)
            if c is None:
                if b == 0 and a == 1:
                    c = null_o[i - 1]
                elif a == 0 and b == 1:
                    c = null_t[j - 1]
                else:
                    c = prior
                    for w, f in beads:
                        c -= w * f(i - a, i, j - b, j)
                        if c > bound:  # hopeless whatever the other signals say: prune
                            c = INF
                            break
                costs[key] = c
            return c

        # Viterbi
        best = [[INF] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        long_o, long_t = shapes
        for i in range(n + 1):
            for j in range(lo[i], hi[i] + 1):
                if i == 0 and j == 0:
                    continue
                bi, bb = INF, None
                for a, b, prior in self._allowed(i, j, long_o, long_t):
                    prev = best[i - a][j - b]
                    if prev == INF:
                        continue
                    bound = bi - prev + self.prune if (a > 1 or b > 1) else INF
                    c = prev + bead_cost(i, j, a, b, prior, bound)
                    if c < bi:
                        bi, bb = c, (a, b)
                best[i][j] = bi
                back[i][j] = bb
        path: list[tuple[int, int, int, int]] = []
        i, j = n, m
        while i or j:
            step = back[i][j]
            if step is None:  # pragma: no cover - the band always contains a path
                raise RuntimeError("alignment band too narrow")
            a, b = step
            path.append((i - a, i, j - b, j))
            i, j = i - a, j - b
        path.reverse()
        return path, costs

    # ------------------------------------------------------------------ internals
    def _shapes(self, orig: Sequence[AlignBlock],
                trans: Sequence[AlignBlock]) -> tuple[list[int], list[int]]:
        """Prefix counts of blocks too long to join n>2 runs, per side."""
        lim = self.priors.short_len

        def prefix(blocks: Sequence[AlignBlock]) -> list[int]:
            out = [0]
            for bl in blocks:
                out.append(out[-1] + (content_length(bl.text) > lim))
            return out

        return prefix(orig), prefix(trans)

    def _allowed(self, i: int, j: int, long_o: list[int],
                 long_t: list[int]) -> list[tuple[int, int, float]]:
        out = []
        for a, b, prior in self._shape_list:
            if a > i or b > j:
                continue
            if a > 2 and long_o[i] - long_o[i - a]:
                continue
            if b > 2 and long_t[j] - long_t[j - b]:
                continue
            out.append((a, b, prior))
        return out

    @property
    def _shape_list(self) -> list[tuple[int, int, float]]:
        cached = getattr(self, "_shapes_cache", None)
        if cached is None or cached[0] is not self.priors:
            cached = (self.priors, self.priors.shapes())
            self._shapes_cache = cached
        return cached[1]

    def _band(self, n: int, m: int, w: int) -> tuple[list[int], list[int]]:
        lo, hi = [], []
        for i in range(n + 1):
            c = i * m / n
            lo.append(max(0, int(math.floor(c - w))))
            hi.append(min(m, int(math.ceil(c + w))))
        # keep the band connected from (0, 0) to (n, m)
        for i in range(1, n + 1):
            lo[i] = min(lo[i], hi[i - 1])
        return lo, hi

    def _posteriors(self, n: int, m: int, lo: list[int], hi: list[int], long_o: list[int],
                    long_t: list[int], costs: dict[tuple[int, int, int, int], float],
                    path: list[tuple[int, int, int, int]]) -> list[float]:
        """Posterior probability of each bead of ``path`` (forward-backward in cost space)."""
        t = self.temperature
        fwd = [[INF] * (m + 1) for _ in range(n + 1)]
        fwd[0][0] = 0.0
        for i in range(n + 1):
            for j in range(lo[i], hi[i] + 1):
                if i == 0 and j == 0:
                    continue
                vals = []
                for a, b, _p in self._allowed(i, j, long_o, long_t):
                    c = costs.get((i, j, a, b))
                    if c is not None and fwd[i - a][j - b] != INF:
                        vals.append(fwd[i - a][j - b] + c)
                fwd[i][j] = _logsumexp_neg(vals, t) if vals else INF
        bwd = [[INF] * (m + 1) for _ in range(n + 1)]
        bwd[n][m] = 0.0
        # successors of (i, j): cells (i + a, j + b) whose bead (a, b) was costed
        for i in range(n, -1, -1):
            for j in range(hi[i], lo[i] - 1, -1):
                if i == n and j == m:
                    continue
                vals = []
                for a, b, _p in self._shape_list:
                    i2, j2 = i + a, j + b
                    if i2 > n or j2 > m:
                        continue
                    c = costs.get((i2, j2, a, b))
                    if c is not None and bwd[i2][j2] != INF:
                        vals.append(bwd[i2][j2] + c)
                bwd[i][j] = _logsumexp_neg(vals, t) if vals else INF
        total = fwd[n][m]
        out = []
        for i0, i1, j0, j1 in path:
            c = costs[(i1, j1, i1 - i0, j1 - j0)]
            out.append(min(1.0, math.exp(-(fwd[i0][j0] + c + bwd[i1][j1] - total) / t)))
        return out


def align_blocks(orig: Sequence[AlignBlock], trans: Sequence[AlignBlock],
                 aligner: Aligner | None = None) -> list[Group]:
    """Align two block lists with the default (model-free) signals."""
    return (aligner or Aligner()).align(orig, trans)
