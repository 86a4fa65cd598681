"""Duplicate ``xml:id`` check (the hardened parser does not collect ids, so we do)."""

from __future__ import annotations

from lxml import etree

from ..report import Finding
from .positions import Positions, element_path

_ID_VALUES = etree.XPath("descendant-or-self::*/@xml:id", smart_strings=False)
_ID_ATTRS = etree.XPath("descendant-or-self::*/@xml:id")  # with their elements


def duplicate_ids(tree: etree._ElementTree, label: str, positions: Positions) -> list[Finding]:
    """One error per repeated ``xml:id``, naming the line of the first occurrence too."""
    from .rng.derivative import c_walk_module  # the C walk's module, when it loads

    root = tree.getroot()
    mod = c_walk_module()
    if mod is not None and mod.ids_distinct(root):
        return []  # a scan of the tree in C: certainly no repeat (~2x cheaper than the XPath)
    values = _ID_VALUES(root)  # plain strings: no repeat costs no more than this
    if len({v.strip() for v in values}) == len(values):
        return []
    seen: dict[str, etree._Element] = {}
    out: list[Finding] = []
    for attr in _ID_ATTRS(root):  # C-level scan
        el = attr.getparent()
        value = str(attr).strip()
        first = seen.get(value)
        if first is None:
            seen[value] = el
            continue
        first_line, first_col = positions.attribute(first, "xml:id")
        line, col = positions.attribute(el, "xml:id")
        out.append(
            Finding(
                label,
                line,
                col,
                "error",
                f'duplicate xml:id "{value}"; first defined at line {first_line}'
                + (f", column {first_col}" if first_col else ""),
                "duplicate-id",
                "ids",
                element_path(el),
            )
        )
    return out
