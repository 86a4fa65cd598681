"""Russian -> Latin transliteration and a coarse phonetic key (names and cognates share them)."""

from __future__ import annotations

import re
from functools import lru_cache

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


_YE_BULK = re.compile(r"(?:^|(?<=[ аеёиоуыэюяъь]))е")
_NON_AZ_SPACE = re.compile(r"[^a-z ]+")


def transliterate_words(words: str) -> str:
    """:func:`transliterate` of space-separated lower-case words, all in one call."""
    return _YE_BULK.sub("ye", words).translate(_TRANSLIT_TABLE)


def phonetic_words(latin: str) -> str:
    """:func:`phonetic` of every space-separated word of ``latin``, all in one pass."""
    t = _NON_AZ_SPACE.sub("", latin)
    for a, b in _PHON_RULES:  # no rule spans a space: word by word, as phonetic() does
        if a in t:
            t = t.replace(a, b)
    return _REPEAT.sub(r"\1", t)
