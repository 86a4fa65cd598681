"""Reading RELAX NG schema files: each part vetted before any engine sees it.

Shared by every engine (derivative, libxml2, jing) and the diagnosis model; kept apart from
:mod:`tei.validate.relaxng` so that the default engine reads a schema without importing
libxml2's RELAX NG wrapper and its diagnosis.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ...errors import TeiError
from ...ns import RNG_NS
from ...xmlsafe import parse_file
from ..compiled import SchemaError
from ..confine import check_part


def local_href(href: str, base: Path) -> Path:
    """Resolve an include/externalRef href to a local file; refuse anything remote."""
    if "://" in href and not href.startswith("file:"):
        raise TeiError(
            f"schema {base} refers to a remote resource {href!r}; only local schema files are read"
        )
    href = href.removeprefix("file://").removeprefix("file:")
    return (base.parent / href).resolve()


def parse_schema(path: Path) -> etree._ElementTree:
    try:
        return parse_file(path)
    except TeiError as exc:
        raise SchemaError(f"cannot read schema: {exc}") from None


def load_schema(path: Path) -> etree._ElementTree:
    """The schema's tree, after every file it includes was vetted (:func:`_vet_parts`)."""
    tree = parse_schema(path)
    _vet_parts(tree, path, path.resolve(), {path.resolve()})
    return tree


def _vet_parts(tree: etree._ElementTree, file: Path, top: Path, seen: set[Path]) -> None:
    """Every include/externalRef under ``tree``, recursively: a local file (never a URL), in
    the top schema's folder or a catalog's (:mod:`..confine`), readable by the hardened parser.

    libxml2 and jing read includes themselves; this runs first so they never see another file.
    """
    for el in tree.iter(f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef"):
        href = el.get("href", "")
        try:
            target = local_href(href, file)
        except TeiError as exc:
            raise SchemaError(str(exc)) from None
        target = check_part(target, top, href, file)
        if not target.is_file():
            raise SchemaError(f"schema {file} includes {href!r}, which does not exist")
        if target not in seen:
            seen.add(target)
            _vet_parts(parse_schema(target), target, top, seen)


def check_schema_files(path: Path) -> None:
    """Vet a RELAX NG schema and every file it includes, for engines that read them (jing):
    a DTD, an entity, a remote or outside include is refused before their parser sees it."""
    load_schema(path.resolve())
