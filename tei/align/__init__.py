"""Alignment of original and translation blocks (n:m, scored) for TEI archive editions.

``align_blocks(orig, trans)`` aligns two block lists; ``align_tree(tree)`` reads the blocks of a
TEI document, aligns them and writes a ``standOff/linkGrp[@type='translation']`` back.
"""

from __future__ import annotations

from .dp import Aligner, align_blocks
from .model import AlignBlock, AlignmentResult, Group
from .tei_io import align_tree

__all__ = ["AlignBlock", "AlignmentResult", "Aligner", "Group", "align_blocks", "align_tree"]
