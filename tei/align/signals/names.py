"""Proper names and acronyms: transliteration table + normalised edit distance."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ...months import EN_MONTHS
from ..model import AlignBlock
from .base import TEXT_CACHE, FeatureScorer
from .dates import RU_MONTH_RX
from .translit import phonetic, transliterate

# Acronyms whose English form is a translation rather than a transliteration.
ACRONYMS = {"ссср": "ussr", "цк": "cc", "кп": "cp", "сср": "ssr", "вкп": "vkp", "рсфср": "rsfsr"}
_EN_STOP = set(
    "a an the of in on at to for from by with and or but as is are was were be been this that "
    "these those it its he she they we our their his her i you your cde cdes mr no nos dob "
    "also not there here which who when where what".split()
)


def levenshtein(a: str, b: str) -> int:
    """Plain edit distance."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def prefix_distances(text: str, pattern: str) -> list[int]:
    """``levenshtein(text[:t], pattern)`` for t = 1..len(text), in one left-to-right pass.

    Bit-parallel (Myers 1999 / Hyyrö 2001, global variant): the columns of the DP table are
    bit vectors over ``pattern``, so each character of ``text`` costs a few integer operations.
    """
    m = len(pattern)
    if m == 0:
        return list(range(1, len(text) + 1))
    peq: dict[str, int] = {}
    for k, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << k)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    out = []
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        out.append(score)
    return out


@lru_cache(maxsize=65536)
def name_distance(ru_key: str, en_key: str) -> float:
    """Normalised edit distance between phonetic keys, allowing a Russian inflection ending.

    The best of ``levenshtein(ru_key[:t], en_key) / max(t, len(en_key))`` over prefix lengths
    ``t`` from ``len(en_key) - 1`` to ``len(en_key) + 2`` (all from one bit-parallel pass).
    """
    ne = len(en_key)
    if len(ru_key) + 1 < ne * 0.6:
        return 1.0
    t_lo = max(1, ne - 1)
    t_hi = min(len(ru_key), ne + 2)
    if not ru_key:
        return 1.0
    if t_hi < t_lo:  # the Russian key is shorter than every prefix tried: compare it whole
        return prefix_distances(ru_key, en_key)[-1] / max(len(ru_key), ne)
    dist = prefix_distances(ru_key[:t_hi], en_key)
    best = 1.0
    for t in range(t_lo, t_hi + 1):
        d = dist[t - 1] / (t if t > ne else ne)
        if d < best:
            best = d
    return best


_RU_TOKEN = re.compile(r"[А-ЯЁ][А-Яа-яЁё]+")
_EN_TOKEN = re.compile(r"[A-Z][A-Za-z]+")


_SPACED = re.compile(r"(?<!\w)(?:[А-ЯЁA-Z] ){2,}[А-ЯЁA-Z](?!\w)")


def unspace(text: str) -> str:
    """Join letter-spaced emphasis: ``С Т А Л И Н У`` -> ``СТАЛИНУ``."""
    return _SPACED.sub(lambda m: m.group().replace(" ", ""), text)


_SENT_START = re.compile(r"(?:^|[.!?:;]\s+|\(\s*|\[\s*|[\"«]\s*)$")
_MONTH_WORDS = re.compile(rf"^(?:{RU_MONTH_RX}|{'|'.join(EN_MONTHS)})", re.I)


@lru_cache(maxsize=TEXT_CACHE)
def name_candidates(text: str, side: str) -> tuple[tuple[str, bool], ...]:
    """(key, is_acronym) of proper names and acronyms (all caps, <= 4 letters) on one side.

    Capitalised words at the start of a sentence are skipped unless written in capitals, and so
    are month names. Names get a :func:`phonetic` key (Russian transliterated first); acronyms
    keep their letters (Russian transliterated, or translated via :data:`ACRONYMS`).
    """
    out = []
    rx = _RU_TOKEN if side == "orig" else _EN_TOKEN
    text = unspace(text)
    for m in rx.finditer(text):
        tok = m.group()
        low = tok.lower()
        upper = tok.isupper()
        acr = upper and len(tok) <= 4
        if not upper and _SENT_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        if _MONTH_WORDS.match(low) or low in _EN_STOP:
            continue
        if side == "orig":
            key = (ACRONYMS.get(low) or transliterate(low)) if acr else phonetic(transliterate(low))
        else:
            key = low if acr else phonetic(low)
        out.append((key, acr))
    return tuple(out)


# Fuzzy name linking compares every Russian name with every English name of the same initial:
# quadratic in the number of distinct names. Real pages need a few hundred comparisons (seed
# page 000: 182, the most of the examples and ../shared pages); past this many per document
# pair (about 2 s) the remaining names match exactly only, so a page of 40,000 invented names
# cannot stall the aligner.
NAME_LINK_BUDGET = 100_000


class NameScorer(FeatureScorer):
    """Proper names and acronyms: transliteration table + normalised edit distance.

    ``ОСПАН`` <-> ``OSPAN`` and ``НКВД`` <-> ``NKVD`` match exactly, ``Кашгаре`` <-> ``Kashgar``
    by a short edit distance; ``Синьцзян`` <-> ``Xinjiang`` (a different romanisation) does not.
    """

    name = "names"
    distinct = True
    anchor = True
    symmetric_miss = True

    def __init__(
        self,
        weight: float = 1.0,
        hit: float = 4.0,
        miss: float = 0.5,
        cap: float = 6.0,
        threshold: float = 0.25,
        link_budget: int = NAME_LINK_BUDGET,
    ) -> None:
        super().__init__(weight, hit, miss, cap)
        self.threshold = threshold
        self.link_budget = link_budget

    def features(self, block: AlignBlock, side: str) -> Counter[str]:
        keys: Counter[str] = Counter()
        for key, acr in name_candidates(block.text, side):
            if len(key) >= (2 if acr else 3):
                keys[("A:" if acr else "N:") + key] += 1
        return keys

    def link(self, orig: list[Counter[str]], trans: list[Counter[str]]) -> None:
        """Rename each Russian name key to the closest English name key within ``threshold``."""
        en_keys = {k for c in trans for k in c}
        buckets: dict[str, list[str]] = {}
        for k in sorted(en_keys):
            if k.startswith("N:"):
                buckets.setdefault(k[:3], []).append(k)
        mapping: dict[str, str] = {}
        budget = self.link_budget
        for k in sorted({k for c in orig for k in c}):
            if k in en_keys or not k.startswith("N:"):
                continue
            best, best_d = None, self.threshold + 1e-9
            for cand in buckets.get(k[:3], ()):
                if abs(len(cand) - len(k)) > 4 and len(cand) > len(k):
                    continue  # an English name much longer than the Russian word
                if budget <= 0:
                    break  # out of comparisons: the remaining names only match exactly
                budget -= 1
                d = name_distance(k[2:], cand[2:])
                if d < best_d:
                    best, best_d = cand, d
            if best:
                mapping[k] = best
        for c in orig:
            for old in [k for k in c if k in mapping]:
                c[mapping[old]] += c.pop(old)
