"""W3C XML Schema validation with xmlschema (local files only, no network)."""

from __future__ import annotations

import os
import warnings
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
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always", xmlschema.XMLSchemaImportWarning)
                # allow="sandbox": includes and imports only from local files under the
                # schema's folder (never the network, never elsewhere); no entities either
                self.schema = xmlschema.XMLSchema(str(path), allow="sandbox", defuse="always")
        except (xmlschema.XMLSchemaException, OSError, etree.LxmlError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SchemaError(f"cannot compile XML Schema {path}: {first}") from None
        for w in seen:  # an import refused by the sandbox is an error, not a silent skip
            if issubclass(w.category, xmlschema.XMLSchemaImportWarning) and "sandbox" in str(
                w.message
            ):
                first = str(w.message).strip().splitlines()[0]
                raise SchemaError(f"cannot compile XML Schema {path}: {first}")

    def prepare(self) -> None:
        """Nothing to build lazily; present for symmetry with RELAX NG."""

    def validate(self, tree: etree._ElementTree, label: str, positions: Positions) -> list[Finding]:
        out: list[Finding] = []
        import xmlschema

        # the document is a tree in memory (the schema's sandbox needs a file to be relative to)
        doc = xmlschema.XMLResource(tree, allow="none", defuse="always")
        for err in self.schema.iter_errors(doc):
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
