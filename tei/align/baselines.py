"""Baselines for the aligner: position only, and length only (Gale-Church)."""

from __future__ import annotations

from collections.abc import Sequence

from .dp import Aligner, BeadPriors
from .model import AlignBlock, Group
from .signals import LengthScorer


def position_baseline(orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> list[Group]:
    """The i-th original block with the i-th translation block; leftovers unaligned."""
    k = min(len(orig), len(trans))
    groups = [Group((orig[i].id,), (trans[i].id,), 1.0) for i in range(k)]
    groups += [Group((b.id,), (), 1.0) for b in orig[k:]]
    groups += [Group((), (b.id,), 1.0) for b in trans[k:]]
    return groups


# Gale & Church (1993) bead probabilities: 1:1 .89, 1:0/0:1 .0099, 2:1/1:2 .089, 2:2 .011.
_GC_PRIORS = BeadPriors(one_one=0.1165, null=5.3084, two_one=3.1123, max_run=2, two_two=4.5099)


def gale_church_baseline(orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> list[Group]:
    """Length-only Gale-Church alignment with the classic bead set and priors."""
    aligner = Aligner(
        scorers=[LengthScorer(floor=-50.0)], priors=_GC_PRIORS, band=10**6, merge_z=None
    )
    return aligner.align(orig, trans)
