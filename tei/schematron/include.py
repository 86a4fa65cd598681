"""Loading a Schematron schema: safe parsing, old-namespace upgrade, ``include``/``extends``.

* Files are parsed with :mod:`tei.xmlsafe` (no DTDs, no external entities, no network).
* Schematron 1.5 (``http://www.ascc.net/xml/schematron``) elements are renamed into the ISO
  namespace; 1.5 ``key`` elements become ``xsl:key``.
* ``include/@href`` and ``extends/@href`` are resolved relative to the file that contains
  them; ``#id`` fragments select an element by ``@id``/``@xml:id``.  Only local files are
  read: ``http(s)``/``ftp`` and other URL schemes are refused with a clear error.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import InputError
from ..ns import SCH15_NS, SCH_NS, XML_ID, XSL_NS
from ..xmlsafe import parse_file
from .errors import SchematronIncludeError, SchematronSchemaError

MAX_INCLUDE_DEPTH = 50

# Where a resolved element came from (file, line); kept on the element as private attributes
# so that compile errors can point back into the right file after includes are spliced in.
SRC_FILE = "{urn:x-tei-schematron:src}file"
SRC_LINE = "{urn:x-tei-schematron:src}line"


def q(local: str) -> str:
    """Clark name of an ISO Schematron element."""
    return f"{{{SCH_NS}}}{local}"


@dataclass
class LoadedSchema:
    """A schema with includes resolved, all Schematron elements in the ISO namespace."""

    root: etree._Element
    path: str  # label used in messages: the file name, or "<tree>"
    legacy: bool  # True if the schema used the Schematron 1.5 namespace


def _label(path: str | os.PathLike[str] | None) -> str:
    return str(path) if path is not None else "<schematron>"


def _mark_sources(root: etree._Element, file: str) -> None:
    """Record file/line on each Schematron element (before anything is moved around)."""
    for el in root.iter(f"{{{SCH_NS}}}*", f"{{{SCH15_NS}}}*", f"{{{XSL_NS}}}*"):
        if el.get(SRC_FILE) is None:
            el.set(SRC_FILE, file)
            if el.sourceline:
                el.set(SRC_LINE, str(el.sourceline))


def where(el: etree._Element) -> tuple[str | None, int | None]:
    """(file, line) an element was read from, if known."""
    line = el.get(SRC_LINE)
    return el.get(SRC_FILE), int(line) if line else None


def _upgrade_namespace(root: etree._Element) -> bool:
    """Rename Schematron 1.5 elements into the ISO namespace; return True if any were found."""
    legacy = False
    for el in list(root.iter(f"{{{SCH15_NS}}}*")):
        legacy = True
        local = etree.QName(el).localname
        if local == "key":
            # Schematron 1.5 <key name match path/> is an xsl:key with use=path.
            el.tag = f"{{{XSL_NS}}}key"
            if el.get("path") is not None and el.get("use") is None:
                el.set("use", el.attrib.pop("path"))
        else:
            el.tag = q(local)
    return legacy


def resolve_href(href: str, base_file: str | None, schema: str, line: int | None) -> Path:
    """Turn an href into a local path, refusing anything that would touch the network."""
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", "ftp", "ftps"):
        raise SchematronIncludeError(
            f"refusing to fetch '{href}': network includes are not allowed; "
            "download the file and include it by a local path",
            path=schema,
            line=line,
        )
    if scheme == "file":
        return Path(unquote(parts.path))
    if scheme and len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        raise SchematronIncludeError(
            f"cannot resolve '{href}': only local files can be included", path=schema, line=line
        )
    rel = unquote(parts.path)
    if not rel:
        raise SchematronIncludeError(f"empty href '{href}'", path=schema, line=line)
    p = Path(rel)
    if not p.is_absolute():
        base = Path(base_file).parent if base_file and not base_file.startswith("<") else Path()
        p = base / p
    return p


def _find_fragment(root: etree._Element, frag: str) -> etree._Element | None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id") == frag or el.get(XML_ID) == frag:
            return el
    return None


class _Loader:
    def __init__(self, label: str, root_dir: Path | None = None) -> None:
        self.label = label
        self.legacy = False
        self.cache: dict[str, etree._Element] = {}
        # Includes stay inside the top-level schema's folder: a schema named by a document's
        # <?xml-model?> must not pull an arbitrary local file into its messages.
        self.root_dir = root_dir

    def load_file(self, path: Path, *, schema: str, line: int | None) -> etree._Element:
        resolved = path.resolve()
        if self.root_dir is not None and not resolved.is_relative_to(self.root_dir):
            raise SchematronIncludeError(
                f"refusing to include '{path}': included files must be inside the schema's "
                f"folder {self.root_dir}",
                path=schema,
                line=line,
            )
        key = str(resolved)
        if key in self.cache:
            return self.cache[key]
        try:
            tree = parse_file(path)
        except InputError as exc:
            raise SchematronIncludeError(
                f"cannot read included file '{path}': {exc.args[0]}", path=schema, line=line
            ) from None
        root = tree.getroot()
        _mark_sources(root, str(path))
        self.legacy |= _upgrade_namespace(root)
        self.cache[key] = root
        return root

    def target(
        self, href: str, owner: etree._Element, file: str | None, stack: tuple[str, ...]
    ) -> tuple[etree._Element, etree._Element]:
        """The element an href points at (a deep copy, its own includes resolved) and the
        (resolved) root of the document it comes from."""
        ofile, oline = where(owner)
        schema = ofile or self.label
        if href.startswith("#"):
            doc_root = owner.getroottree().getroot()
            target_file = file or self.label
        else:
            p = resolve_href(href.split("#", 1)[0], file, schema, oline)
            doc_root = self.load_file(p, schema=schema, line=oline)
            target_file = str(p)
        base_key = target_file if target_file.startswith("<") else Path(target_file).resolve()
        key = f"{base_key}#{href.partition('#')[2]}"
        if key in stack:
            raise SchematronIncludeError(f"include cycle through '{href}'", path=schema, line=oline)
        if len(stack) > MAX_INCLUDE_DEPTH:
            raise SchematronIncludeError("includes nested too deeply", path=schema, line=oline)
        frag = href.partition("#")[2]
        if frag:
            el = _find_fragment(doc_root, frag)
            if el is None:
                raise SchematronIncludeError(
                    f"'{href}': no element with id '{frag}'", path=schema, line=oline
                )
        else:
            el = doc_root
        el = copy.deepcopy(el)
        self.resolve(el, target_file, stack + (key,))
        return el, doc_root

    def resolve(self, root: etree._Element, file: str | None, stack: tuple[str, ...]) -> None:
        """Resolve every include and extends/@href under ``root`` (in place)."""
        for inc in list(root.iter(q("include"))):
            href = (inc.get("href") or "").strip()
            ofile, oline = where(inc)
            if not href:
                raise SchematronSchemaError(
                    "include without @href", path=ofile or self.label, line=oline
                )
            target, _ = self.target(href, inc, file, stack)
            parent = inc.getparent()
            if parent is None:
                raise SchematronSchemaError(
                    "include cannot be the root element", path=ofile or self.label, line=oline
                )
            # An included whole <schema> inside a schema contributes its children.
            if target.tag == q("schema") and parent.tag == q("schema"):
                repl = [c for c in target if isinstance(c.tag, str) and c.tag != q("title")]
            else:
                repl = [target]
            idx = parent.index(inc)
            tail = inc.tail
            parent.remove(inc)
            for off, el in enumerate(repl):
                el.tail = None
                parent.insert(idx + off, el)
            if repl:
                repl[-1].tail = tail
        for ext in list(root.iter(q("extends"))):
            href = (ext.get("href") or "").strip()
            if not href:
                continue  # extends/@rule is handled by the compiler
            ofile, oline = where(ext)
            target, doc_root = self.target(href, ext, file, stack)
            if target.tag != q("rule"):
                raise SchematronSchemaError(
                    f"extends href='{href}' must point at a rule, not "
                    f"<{etree.QName(target).localname}>",
                    path=ofile or self.label,
                    line=oline,
                )
            # Nested extends/@rule inside the external rule refer to its own document.
            _expand_local_extends(target, doc_root)
            parent = ext.getparent()
            idx = parent.index(ext)
            parent.remove(ext)
            for off, el in enumerate(c for c in target if isinstance(c.tag, str)):
                parent.insert(idx + off, el)


def _expand_local_extends(rule: etree._Element, doc_root: etree._Element) -> None:
    """Inline extends/@rule inside an externally referenced rule using its own document."""
    for ext in list(rule.iter(q("extends"))):
        rid = ext.get("rule")
        if not rid:
            continue
        found = [
            r
            for r in doc_root.iter(q("rule"))
            if r.get("id") == rid and r.get("abstract") == "true"
        ]
        if not found:
            continue  # leave it for the compiler to resolve against the main schema
        parent = ext.getparent()
        idx = parent.index(ext)
        parent.remove(ext)
        for off, el in enumerate(copy.deepcopy(c) for c in found[0] if isinstance(c.tag, str)):
            parent.insert(idx + off, el)


_SCHEMA_ROOTS = {q("schema")}


def load_schema(
    source: str | os.PathLike[str] | etree._ElementTree | etree._Element,
) -> LoadedSchema:
    """Parse (if needed) and resolve a schema; always works on a private copy."""
    if isinstance(source, etree._ElementTree | etree._Element):
        root = source.getroot() if isinstance(source, etree._ElementTree) else source
        url = root.getroottree().docinfo.URL
        label = url or "<schematron>"
        if url and url.startswith("file:"):
            label = unquote(urlsplit(url).path)
        root = copy.deepcopy(root)
        file = label if url else None
    else:
        label = _label(source)
        try:
            root = parse_file(source).getroot()
        except InputError as exc:
            raise SchematronSchemaError(f"cannot read schema: {exc.args[0]}", path=label) from None
        file = label
    loader = _Loader(label, Path(file).resolve().parent if file else None)
    _mark_sources(root, label)
    loader.legacy |= _upgrade_namespace(root)
    if root.tag not in _SCHEMA_ROOTS:
        raise SchematronSchemaError(
            f"not a Schematron schema: root element is <{etree.QName(root).text}>, expected "
            f"<schema> in {SCH_NS} or {SCH15_NS}",
            path=label,
        )
    key = str(Path(file).resolve()) + "#" if file else label
    loader.resolve(root, file, (key,))
    return LoadedSchema(root=root, path=label, legacy=loader.legacy)


_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_QNAME = re.compile(r"^(?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*$")


def is_ncname(s: str) -> bool:
    """A (slightly approximate) NCName check, good enough for prefixes and ids."""
    return bool(_NCNAME.match(s))


def is_qname(s: str) -> bool:
    """A (slightly approximate) QName check for variable names."""
    return bool(_QNAME.match(s))
