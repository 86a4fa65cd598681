"""Data model of the aligner: blocks to align, groups (beads) found, and the overall result."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class AlignBlock:
    """One alignable block of text.

    ``kind`` is the TEI element name it came from (p, head, item, row, note, ab, closer, l...),
    ``label`` a list/section label such as ``"а)"`` or ``"1."`` when the block carries one.
    """

    id: str
    text: str
    kind: str = "p"
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """An n:m correspondence between original and translation blocks (ids), with a score.

    ``score`` is a confidence in [0, 1]. Either side may be empty (1:0 or 0:1 groups).
    """

    orig: tuple[str, ...]
    trans: tuple[str, ...]
    score: float = 1.0

    @property
    def shape(self) -> str:
        """The bead shape, e.g. ``"2:1"``."""
        return f"{len(self.orig)}:{len(self.trans)}"

    def pairs(self) -> list[tuple[str | None, str | None]]:
        """Every (orig_id, trans_id) pair the group implies; one-sided groups give None."""
        if not self.orig:
            return [(None, t) for t in self.trans]
        if not self.trans:
            return [(o, None) for o in self.orig]
        return [(o, t) for o in self.orig for t in self.trans]


@dataclass(slots=True)
class AlignmentResult:
    """The alignment of one document: groups in document order plus what was aligned."""

    groups: list[Group]
    orig: list[AlignBlock] = field(default_factory=list)
    trans: list[AlignBlock] = field(default_factory=list)
    orig_lang: str | None = None
    trans_lang: str | None = None
    generated_ids: list[str] = field(default_factory=list)

    def low_confidence(self, threshold: float = 0.5) -> list[Group]:
        """Groups whose confidence is below ``threshold`` (for an editor's review)."""
        return [g for g in self.groups if g.score < threshold]
