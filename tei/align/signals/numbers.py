"""Numbers in either notation: thousand separators, decimal commas, multipliers, words."""

from __future__ import annotations

from collections import Counter

from ..model import AlignBlock
from .base import FeatureScorer
from .text import analyse


def extract_numbers(text: str) -> list[str]:
    """Numeric values in ``text`` as canonical strings (see :func:`_numbers`)."""
    return list(_numbers(text))


def _numbers(text: str) -> tuple[str, ...]:
    """Numeric values in ``text`` as canonical strings (dates are removed first).

    ``2.520``, ``2,520`` -> ``2520``; ``15,5`` -> ``15.5``; ``300 тысяч`` / ``300,000`` ->
    ``300000``; number words (``четыре``, ``four``) -> digits.
    """
    return analyse(text)[1]


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
