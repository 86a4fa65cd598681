"""W3C XML Schema validation with xmlschema (local files only, no network)."""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from ..report import Finding
from .compiled import SchemaError, compiled
from .positions import Positions, element_path

ENGINE = "xsd"


def get_xsd(path: str | os.PathLike[str]) -> XsdValidator:
    """The compiled XSD for ``path``, built once per process (keyed by path+mtime)."""
    return compiled(path, XsdValidator)


class XsdValidator:
    """One compiled XML Schema; imports are read from local files only."""

    engine = ENGINE

    def __init__(self, path: Path):
        import xmlschema  # imported late: costs ~0.3 s and most runs never need it

        self.path = path
        try:
            # allow="local": never fetch a remote import; defuse="always": no entities in schemas
            self.schema = xmlschema.XMLSchema(str(path), allow="local", defuse="always")
        except (xmlschema.XMLSchemaException, OSError, etree.LxmlError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SchemaError(f"cannot compile XML Schema {path}: {first}") from None

    def prepare(self) -> None:
        """Nothing to build lazily; present for symmetry with RELAX NG."""

    def validate(self, tree: etree._ElementTree, label: str, positions: Positions) -> list[Finding]:
        out: list[Finding] = []
        for err in self.schema.iter_errors(tree):
            el = err.elem if isinstance(getattr(err, "elem", None), etree._Element) else None
            line, col = (
                positions.element(el)
                if el is not None
                else (getattr(err, "sourceline", None), None)
            )
            reason = (err.reason or str(err)).strip().splitlines()[0]
            out.append(
                Finding(
                    label,
                    line,
                    col,
                    "error",
                    reason,
                    "xsd",
                    ENGINE,
                    element_path(el) if el is not None else err.path,
                )
            )
        return out
