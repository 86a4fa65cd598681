"""Shared international vocabulary: ``протокол`` ~ ``protocol``, ``авиации`` ~ ``aviation``."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..model import AlignBlock
from .base import TEXT_CACHE, FeatureScorer
from .translit import phonetic, phonetic_words, transliterate, transliterate_words

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
        return Counter(cognate_keys(block.text, side))


@lru_cache(maxsize=TEXT_CACHE)
def cognate_keys(text: str, side: str, size: int = 5) -> tuple[str, ...]:
    """:func:`cognate_key` of every long word of ``text``, computed for all words at once."""
    words = (_RU_WORD if side == "orig" else _EN_WORD).findall(text.lower())
    if not words:
        return ()
    joined = " ".join(words)
    lat = (
        transliterate_words(joined) if side == "orig" else _EN_C.sub("s", joined).replace("c", "k")
    )
    t = phonetic_words(lat)
    return tuple(k[:size] for k in t.split(" ") if len(k) >= size)
