"""Pluggable evidence signals for block alignment.

A :class:`Scorer` has a ``name`` and a ``weight``; ``prepare(orig, trans)`` returns a
:class:`PreparedScorer` whose ``bead(i0, i1, j0, j1)`` gives the evidence (in nats, positive
for, negative against) that ``orig[i0:i1]`` corresponds to ``trans[j0:j1]``. Either span may be
empty (1:0 / 0:1 beads). The DP turns the weighted sum of evidence into a bead cost.

Signals: Gale-Church length, numbers in either notation, dates (Russian month names in any
case, English months, Roman-numeral months), list labels, transliterated proper names and
acronyms, cognate stems, punctuation/bracket/paragraph structure and relative position.
A sentence-embedding signal can be added as one more ``Scorer`` (see :class:`EmbeddingScorer`);
nothing here needs a model.

Calibration (``python bench/align_bench.py --calibrate``, on the seed pages as the converter
segments them): the length model is fitted on the 1:1 gold groups; the ``hit``/``miss``
evidence of numbers, dates, names and cognates is the log-likelihood ratio, per key, of being
matched / left without partner in a gold 1:1 pair versus in a confusable neighbouring pair,
rounded (numbers 5.2/2.8, dates 5.8/2.7, names 3.9/0.45, cognates 3.8/0.1 estimated; unmatched
cognate stems, at 0.1, are ignored). Caps bound the evidence of correlated keys. The other
constants are set by hand, each for a stated reason.

One module per signal: :mod:`.length`, :mod:`.numbers`, :mod:`.dates`, :mod:`.labels`,
:mod:`.names`, :mod:`.cognates`, :mod:`.structure`, :mod:`.position` and the optional
:mod:`.embedding`; :mod:`.base` holds the protocol and :class:`FeatureScorer`, :mod:`.text`
the per-text features several signals share, :mod:`.translit` the transliteration and
phonetic keys of names and cognates.  This module is the public face: import from
``tei.align.signals``.

Speed: per-text features (lengths, numbers, dates, name and cognate keys) are computed once
and cached by text (:func:`clear_caches` forgets them); every built-in prepared scorer also
scores a whole batch of beads in one call (``beads``), which the DP prefers to ``bead``.
"""

from __future__ import annotations

from .base import FeatureScorer, PreparedScorer, Scorer, prefix_sums
from .cognates import CognateScorer, cognate_key, cognate_keys
from .dates import DateScorer, dates_compatible, extract_dates, find_dates, roman_month, strip_dates
from .embedding import EmbeddingScorer
from .labels import LabelScorer, extract_label, label_key
from .length import LENGTH_RATIO, LENGTH_VARIANCE, LengthScorer
from .names import (
    ACRONYMS,
    NAME_LINK_BUDGET,
    NameScorer,
    levenshtein,
    name_candidates,
    name_distance,
    prefix_distances,
    unspace,
)
from .numbers import NumberScorer, extract_numbers
from .position import PositionScorer
from .structure import StructureScorer
from .text import analyse, clean_debris, content_length, is_editorial, is_furniture, is_omission
from .translit import phonetic, transliterate

__all__ = [
    "ACRONYMS",
    "LENGTH_RATIO",
    "LENGTH_VARIANCE",
    "NAME_LINK_BUDGET",
    "CognateScorer",
    "DateScorer",
    "EmbeddingScorer",
    "FeatureScorer",
    "LabelScorer",
    "LengthScorer",
    "NameScorer",
    "NumberScorer",
    "PositionScorer",
    "PreparedScorer",
    "Scorer",
    "StructureScorer",
    "clean_debris",
    "clear_caches",
    "cognate_key",
    "content_length",
    "dates_compatible",
    "default_scorers",
    "extract_dates",
    "extract_label",
    "extract_numbers",
    "is_editorial",
    "is_furniture",
    "is_omission",
    "label_key",
    "levenshtein",
    "name_candidates",
    "name_distance",
    "phonetic",
    "prefix_distances",
    "prefix_sums",
    "roman_month",
    "strip_dates",
    "transliterate",
    "unspace",
]


def clear_caches() -> None:
    """Forget the per-text feature caches (for cold timings)."""
    for f in (
        analyse,
        find_dates,
        name_candidates,
        cognate_keys,
        cognate_key,
        phonetic,
        name_distance,
    ):
        f.cache_clear()


def default_scorers() -> list[Scorer]:
    """The model-free signal set used by :func:`tei.align.align_blocks`."""
    return [
        LengthScorer(),
        NumberScorer(),
        DateScorer(),
        LabelScorer(),
        NameScorer(),
        CognateScorer(),
        StructureScorer(),
        PositionScorer(),
    ]
