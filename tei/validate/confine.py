"""Where the parts of a schema may come from: the schema's own folder and the catalogs' folders.

A schema named by a document's ``<?xml-model?>`` is a stranger's file.  Its RELAX NG
``include``/``externalRef``, compact-syntax ``include``/``external`` and XSD
``include``/``import``/``redefine``/``override`` may only reach files under the folder of the
schema being compiled, or under the folders the catalogs in use serve schemas from (ours, the
TEI release folder, the folder of each ``--catalog`` file), as Schematron's ``include`` is
confined by :mod:`tei.schematron.include`.  Symbolic links are resolved first.
"""

from __future__ import annotations

from pathlib import Path

from ..resources import schema_dir as package_schema_dir
from .compiled import SchemaError

_CATALOG_FOLDERS: list[Path] = []


def allow_catalog_folders(folders: list[Path]) -> None:
    """Add the folders the catalogs of this run serve schemas from."""
    for f in folders:
        r = f.resolve()
        if r not in _CATALOG_FOLDERS:
            _CATALOG_FOLDERS.append(r)


def allowed_folders(schema: Path) -> list[Path]:
    """Folders the parts of ``schema`` may be read from."""
    from .catalog import schema_dir

    out = [schema.resolve().parent, package_schema_dir().resolve(), schema_dir().resolve()]
    return out + [f for f in _CATALOG_FOLDERS if f not in out]


def check_part(target: Path, schema: Path, href: str, owner: Path | None = None) -> Path:
    """``target`` resolved, if it lies in an allowed folder of ``schema``; else a SchemaError."""
    resolved = target.resolve()
    folders = allowed_folders(schema)
    if not any(resolved.is_relative_to(f) for f in folders):
        raise SchemaError(
            f"schema {owner or schema} refers to {href!r}, outside the schema's folder "
            f"{folders[0]} and the catalogs' folders; refusing to read it"
        )
    return resolved
