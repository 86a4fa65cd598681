"""Optional: cosine similarity of block embeddings from any sentence encoder."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ..model import AlignBlock


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
