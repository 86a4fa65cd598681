"""Precision, recall and F1 over the (orig_id, trans_id) pairs implied by alignment groups.

A group with both sides implies every orig x trans pair; a 1:0 group gives ``(orig_id, None)``
pairs and a 0:1 group ``(None, trans_id)`` pairs, so leaving a block unaligned is scored too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Group

Pair = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class Scores:
    """Pair-level precision/recall/F1 and the counts behind them."""

    precision: float
    recall: float
    f1: float
    correct: int
    predicted: int
    gold: int

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"


def pairs(groups: Iterable[Group]) -> set[Pair]:
    """Every pair implied by ``groups``."""
    out: set[Pair] = set()
    for g in groups:
        out.update(g.pairs())
    return out


def score(predicted: Iterable[Group], gold: Iterable[Group]) -> Scores:
    """Compare predicted groups with gold groups over implied pairs."""
    p, g = pairs(predicted), pairs(gold)
    correct = len(p & g)
    prec = correct / len(p) if p else (1.0 if not g else 0.0)
    rec = correct / len(g) if g else (1.0 if not p else 0.0)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return Scores(prec, rec, f1, correct, len(p), len(g))


def micro(results: Iterable[Scores]) -> Scores:
    """Micro-average several pages' scores (pairs pooled)."""
    rs = list(results)
    c = sum(r.correct for r in rs)
    p = sum(r.predicted for r in rs)
    g = sum(r.gold for r in rs)
    prec = c / p if p else 0.0
    rec = c / g if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return Scores(prec, rec, f1, c, p, g)
