"""Choosing the schema(s) for a document, offline.

Order: ``--schema`` options; else the document's ``<?xml-model?>`` processing instructions,
resolved through OASIS XML catalogs (``--catalog`` files first, then our ``schema/catalog.xml``)
or, for a relative href, as a local file next to the document; else our own
``schema/archive-edition.rng``.  Nothing is ever downloaded: an href that no catalog maps to an
existing local file means the document is not validated (exit 2), unless ``--fetch-schemas``
asked for it to be downloaded once into the user cache (:mod:`.fetch`).

In the shipped ``schema/catalog.xml`` relative ``uri``/``rewritePrefix`` values are resolved
against the *schema directory* (``--schema-dir``, else ``$TEI_SCHEMA_DIR``, else the package's
``schema/`` folder), so one catalog serves any place where the TEI release files are kept.
User catalogs resolve relative values against their own location (or ``xml:base``), as usual.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lxml import etree

from ..errors import TeiError
from ..ns import CATALOG_NS, RNG_NS, SCH15_NS, SCH_NS, XML_BASE, XS_NS
from ..resources import schema_dir as package_schema_dir
from ..xmlsafe import parse_file

if TYPE_CHECKING:
    from .fetch import SchemaFetcher  # --fetch-schemas only: urllib and ssl stay unloaded

NS_KIND = {
    RNG_NS: "rng",
    SCH_NS: "sch",
    SCH15_NS: "sch",
    XS_NS: "xsd",
}
EXT_KIND = {".rng": "rng", ".rnc": "rnc", ".sch": "sch", ".isosch": "sch", ".xsd": "xsd"}
DEFAULT_SCHEMA = "archive-edition.rng"


@dataclass(frozen=True)
class SchemaRef:
    """One schema to apply: ``kind`` is rng, rnc, sch, sch-in-rng or xsd."""

    kind: str
    path: Path
    origin: str = ""  # "--schema", the xml-model href, or "default"


def kind_for_path(path: str | Path) -> str:
    """Schema kind from a file name; raises a usage error for unknown extensions."""
    kind = EXT_KIND.get(Path(path).suffix.lower())
    if kind is None:
        raise TeiError(f"--schema {path}: unknown schema type (use .rng, .rnc, .sch or .xsd)")
    return kind


def schema_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding TEI release schemas: option, else $TEI_SCHEMA_DIR, else ours."""
    if option:
        return Path(option)
    env = os.environ.get("TEI_SCHEMA_DIR")
    return Path(env) if env else package_schema_dir()


class Catalog:
    """A minimal OASIS XML catalog resolver (uri, system, rewrite*, *Suffix, nextCatalog)."""

    def __init__(self, path: Path, *, relative_to: Path | None = None, _depth: int = 0):
        self.path = path
        self.exact: dict[str, Path] = {}
        self.rewrites: list[tuple[str, str]] = []
        self.suffixes: list[tuple[str, Path]] = []
        self.next: list[Catalog] = []
        try:
            root = parse_file(path).getroot()
        except TeiError as exc:
            raise TeiError(f"cannot read catalog: {exc}") from None
        if root.tag != f"{{{CATALOG_NS}}}catalog":
            raise TeiError(
                f"{path}: not an OASIS XML catalog (root must be catalog in namespace {CATALOG_NS})"
            )
        base = (relative_to or path.parent).resolve()
        self._walk(root, base, _depth)

    def _walk(self, node: etree._Element, base: Path, depth: int) -> None:
        if node.get(XML_BASE):
            base = _join(base, node.get(XML_BASE, ""))
        for el in node:
            if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{CATALOG_NS}}}"):
                continue
            tag = etree.QName(el).localname
            b = _join(base, el.get(XML_BASE)) if el.get(XML_BASE) else base
            if tag in ("uri", "system"):
                key = el.get("name") if tag == "uri" else el.get("systemId")
                if key and el.get("uri"):
                    self.exact.setdefault(_norm(key), _join(b, el.get("uri", "")))
            elif tag in ("rewriteURI", "rewriteSystem"):
                start = el.get("uriStartString") or el.get("systemIdStartString")
                if start and el.get("rewritePrefix") is not None:
                    prefix = str(_join(b, el.get("rewritePrefix", ""))) + "/"
                    self.rewrites.append((_norm(start), prefix))
            elif tag in ("uriSuffix", "systemSuffix"):
                suffix = el.get("uriSuffix") or el.get("systemIdSuffix")
                if suffix and el.get("uri"):
                    self.suffixes.append((suffix, _join(b, el.get("uri", ""))))
            elif tag == "group":
                self._walk(el, b, depth)
            elif tag == "nextCatalog" and el.get("catalog") and depth < 8:
                self.next.append(Catalog(_join(b, el.get("catalog", "")), _depth=depth + 1))

    def resolve(self, href: str) -> Path | None:
        key = _norm(href)
        if key in self.exact:
            return self.exact[key]
        best = max(
            (r for r in self.rewrites if key.startswith(r[0])),
            key=lambda r: len(r[0]),
            default=None,
        )
        if best is not None:
            return Path(best[1] + key[len(best[0]) :].lstrip("/"))
        for suffix, target in self.suffixes:
            if key.endswith(suffix):
                return target
        for nxt in self.next:
            hit = nxt.resolve(href)
            if hit is not None:
                return hit
        return None


def _join(base: Path, ref: str | None) -> Path:
    ref = ref or ""
    if ref.startswith("file:"):
        return Path(unquote(urlparse(ref).path))
    return (base / unquote(ref)).resolve() if ref else base


def _norm(uri: str) -> str:
    """Compare URLs regardless of scheme (http/https) and a leading ``www.``."""
    uri = uri.strip()
    uri = re.sub(r"^https?://(www\.)?", "web://", uri)
    return uri


_PI = re.compile(rb"<\?xml-model\s(.*?)\?>", re.S)
_PSEUDO = re.compile(r"""([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def xml_model_pis(data: bytes) -> list[dict[str, str]]:
    """The pseudo-attributes of each ``<?xml-model?>`` PI in the prolog (before the root)."""
    prolog_end = _root_start(data)
    out = []
    for m in _PI.finditer(data, 0, prolog_end):
        text = m.group(1).decode("utf-8", "replace")
        out.append({k: (a if a is not None else b) for k, a, b in _PSEUDO.findall(text)})
    return out


def _root_start(data: bytes) -> int:
    i = 0
    n = min(len(data), 1 << 20)
    while True:
        i = data.find(b"<", i, n)
        if i < 0 or i + 1 >= n:
            return n
        nxt = data[i + 1 : i + 2]
        if nxt == b"?":
            j = data.find(b"?>", i)
        elif data.startswith(b"<!--", i):
            j = data.find(b"-->", i)
        elif nxt == b"!":
            j = data.find(b">", i)  # DOCTYPE (internal subsets are refused elsewhere)
        else:
            return i
        if j < 0:
            return n
        i = j + 2


class SchemaChooser:
    """Decides, per document, which schemas apply (see the module docstring)."""

    def __init__(
        self,
        *,
        explicit: list[Path],
        catalogs: list[Path],
        schema_dir_opt: str | None,
        default_schema: Path | None = None,
        fetcher: SchemaFetcher | None = None,
    ):
        self.explicit = [
            SchemaRef(kind_for_path(p), Path(p).resolve(), "--schema") for p in explicit
        ]
        for ref in self.explicit:
            if not ref.path.is_file():
                raise TeiError(f"--schema {ref.path}: no such file")
        self.schema_dir = schema_dir(schema_dir_opt)
        self.catalogs = [Catalog(Path(c)) for c in catalogs]
        shipped = package_schema_dir() / "catalog.xml"
        if shipped.is_file():
            self.catalogs.append(Catalog(shipped, relative_to=self.schema_dir))
        self.default = default_schema or (package_schema_dir() / DEFAULT_SCHEMA)
        from .confine import allow_catalog_folders

        allow_catalog_folders([self.schema_dir, *(Path(c).parent for c in catalogs)])
        self.fetcher = fetcher  # None: offline (the default); else --fetch-schemas

    def choose(self, doc: Path, data: bytes) -> tuple[list[SchemaRef], list[tuple[str, str]]]:
        """Schemas for one document, and (severity, message) notes about the choice."""
        if self.explicit:
            return list(self.explicit), []
        refs: list[SchemaRef] = []
        notes: list[tuple[str, str]] = []
        unresolved: set[str] = set()
        for pi in xml_model_pis(data):
            href = pi.get("href")
            if not href or href in unresolved:
                continue
            ns = pi.get("schematypens", "")
            kind = NS_KIND.get(ns) or EXT_KIND.get(Path(urlparse(href).path).suffix.lower())
            if kind is None:
                notes.append(
                    (
                        "warning",
                        f"xml-model {href}: unknown schema type "
                        f"{ns or pi.get('type', '')!r}; ignored",
                    )
                )
                continue
            path, why = self.resolve(href, doc)
            if path is None:
                unresolved.add(href)
                notes.append(
                    (
                        "no-schema",
                        f"xml-model {href}: {why}; the file was not validated "
                        "(map it with --catalog, --schema-dir or pass --schema)",
                    )
                )
                continue
            if kind == "rng" and path.suffix.lower() == ".rnc":
                kind = "rnc"
            if kind == "sch" and path.suffix.lower() in (".rng", ".rnc"):
                kind = "sch-in-rng"
            ref = SchemaRef(kind, path, href)
            if ref not in refs:
                refs.append(ref)
        if refs or notes:
            return refs, notes
        if self.default.is_file():
            default = [SchemaRef("rng", self.default.resolve(), "default")]
            rules = self.default.with_suffix(".sch")  # its Schematron rules, as tei build runs
            if rules.is_file():
                default.append(SchemaRef("sch", rules.resolve(), "default"))
            return default, []
        return [], [
            (
                "no-schema",
                f"no schema: the file has no <?xml-model?> and our default "
                f"schema {self.default} does not exist; pass --schema",
            )
        ]

    def _fetch(self, href: str) -> tuple[Path | None, str]:
        from .fetch import FetchError

        assert self.fetcher is not None
        try:
            return self.fetcher.get(href), ""
        except FetchError as exc:
            return None, str(exc).removeprefix(f"{href}: ")

    def resolve(self, href: str, doc: Path) -> tuple[Path | None, str]:
        """A local file for ``href``, or None and the reason."""
        parsed = urlparse(href)
        remote = bool(parsed.scheme) and parsed.scheme != "file" and len(parsed.scheme) > 1
        for cat in self.catalogs:
            hit = cat.resolve(href)
            if hit is not None:
                if hit.is_file():
                    return hit, ""
                if remote and self.fetcher is not None:
                    return self._fetch(href)
                return None, (
                    f"the catalog maps it to {hit}, which does not exist "
                    "(set --schema-dir or TEI_SCHEMA_DIR, or pass --fetch-schemas)"
                )
        if remote:
            if self.fetcher is not None:
                return self._fetch(href)
            return None, (
                "remote schema, not in any catalog (not downloaded without --fetch-schemas)"
            )
        local = Path(unquote(parsed.path)) if parsed.scheme == "file" else Path(unquote(href))
        target = (doc.parent / local).resolve()
        allowed = [doc.parent.resolve(), doc.parent.resolve().parent]
        if not any(target.is_relative_to(root) for root in allowed):
            return None, f"local schema {target} is outside the document's folder and its parent"
        if not target.is_file():
            return None, f"local schema {target} does not exist"
        return target, ""
