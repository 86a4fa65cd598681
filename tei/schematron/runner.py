"""Run compiled Schematron with saxonche: compile once per process, validate many documents.

Input documents are parsed by :mod:`tei.xmlsafe` (no DTD, no external entities, no network)
and handed to Saxon as text re-serialised by lxml, without any DOCTYPE, so Saxon never has a
reason to open a file or URL.  Line numbers come from that same lxml tree (see
:mod:`tei.schematron.svrl`).

A :class:`SchematronValidator` is not thread-safe; use one per thread (compilation results
are cached per process, so extra validators for the same schema are cheap).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from lxml import etree

from ..ns import SVRL_NS
from ..report import Finding, Severity
from ..xmlsafe import parse_bytes, parse_file
from . import reads, saxon
from .compiler import TSCH, CompiledSchema, compile_schema
from .errors import SchematronRuntimeError, SchematronSchemaError
from .svrl import findings_from_svrl

SchemaSource: TypeAlias = str | os.PathLike[str] | etree._ElementTree | etree._Element


@dataclass
class _Entry:
    compiled: CompiledSchema
    executable: object  # PyXsltExecutable


_cache: dict[tuple[str, float, str | None], _Entry] = {}
_cache_lock = threading.Lock()


def _first_error(message: str) -> tuple[str | None, str | None, int | None, str, str]:
    """(expression, attribute, generated line, code, text) from a Saxon compile error."""
    expr = attr = line = None
    m = re.search(r"Error in \{(.*?)\} (?:at char \d+ )?in [^\n]*?on line (\d+)", message, re.S)
    if m:
        expr, line = m.group(1), int(m.group(2))
    else:
        m2 = re.search(r"in [\w:-]+/@([\w:-]+) on line (\d+)", message) or re.search(
            r"()on line (\d+)", message
        )
        if m2:
            attr, line = m2.group(1) or None, int(m2.group(2))
    m3 = re.search(r"\n\s*([A-Z]{4}\d{4})\s+(.*?)(?:\n(?!\s\s)|\Z)", message, re.S)
    if m3:
        code, text = m3.group(1), " ".join(m3.group(2).split())
    else:
        code, text = "", " ".join(message.split())
    return expr, attr, line, code, text


def _generated_element(xslt: str, line: int | None) -> etree._Element | None:
    """The last element of the generated stylesheet that starts on or before ``line``."""
    if line is None:
        return None
    root = etree.fromstring(xslt.encode("utf-8"))
    best = None
    for el in root.iter():
        if isinstance(el.tag, str) and el.sourceline is not None and el.sourceline <= line:
            best = el
    return best


def _origin(el: etree._Element | None) -> str | None:
    """The ``tsch:src`` (schema file:line) of a generated element or its nearest ancestor."""
    while el is not None:
        src = el.get(f"{{{TSCH}}}src")
        if src:
            return src
        el = el.getparent()
    return None


def _compile_executable(c: CompiledSchema) -> object:
    try:
        with saxon.quiet():
            return saxon.xslt30().compile_stylesheet(stylesheet_text=c.xslt)
    except Exception as exc:  # saxonche raises PySaxonApiError
        expr, attr, gline, code, text = _first_error(str(exc))
        gen = _generated_element(c.xslt, gline)
        if expr is None and attr and gen is not None:
            expr = gen.get(attr)
        where = c.expressions.get(expr) if expr else None
        file, sline, desc = where if where else (None, None, None)
        if file is None:
            origin = _origin(gen)
            if origin:
                file, _, ln = origin.rpartition(":")
                sline = int(ln) if ln.isdigit() else None
        if desc:
            what = f"invalid XPath in {desc} '{expr}'"
        elif expr:
            what = f"invalid expression '{expr}'"
        else:
            what = "cannot compile the schema"
        raise SchematronSchemaError(
            f"{what}: {code + ' ' if code else ''}{text}", path=file or c.schema, line=sline
        ) from None


def _cache_key(source: SchemaSource, phase: str | None) -> tuple[str, float, str | None] | None:
    if isinstance(source, etree._ElementTree | etree._Element):
        return None
    p = Path(source)
    try:
        return (str(p.resolve()), p.stat().st_mtime, phase)
    except OSError:
        return None


def load(source: SchemaSource, phase: str | None = None) -> tuple[CompiledSchema, Any]:
    """Compile (or fetch from the per-process cache) a schema and its Saxon executable."""
    key = _cache_key(source, phase)
    if key is not None:
        with _cache_lock:
            hit = _cache.get(key)
        if hit is not None:
            return hit.compiled, hit.executable
    compiled = compile_schema(source, phase)
    exe = _compile_executable(compiled)
    if key is not None:
        with _cache_lock:
            _cache[key] = _Entry(compiled, exe)
    return compiled, exe


def document_text(tree: etree._ElementTree) -> str:
    """The tree as XML text without XML declaration or DOCTYPE (top-level comments/PIs kept)."""
    root = tree.getroot()
    parts = [
        etree.tostring(s, encoding="unicode", with_tail=False)
        for s in reversed(list(root.itersiblings(preceding=True)))
    ]
    parts.append(etree.tostring(root, encoding="unicode", with_tail=False))
    parts.extend(
        etree.tostring(s, encoding="unicode", with_tail=False) for s in root.itersiblings()
    )
    return "\n".join(parts)


class SchematronValidator:
    """A compiled schema, reusable for any number of documents.

    >>> v = SchematronValidator("rules.sch")          # doctest: +SKIP
    >>> v.validate_file("doc.xml")                      # doctest: +SKIP
    [Finding(file='doc.xml', line=12, ..., engine='schematron', ...)]
    """

    def __init__(
        self,
        schema: SchemaSource,
        phase: str | None = None,
        *,
        report_severity: Severity = "warning",
    ) -> None:
        self.compiled, exe = load(schema, phase)
        self.report_severity: Severity = report_severity
        self.schema = self.compiled.schema
        proc = saxon.processor()
        # two executables: without fired-rule elements (findings), with them (full SVRL)
        self._exe_svrl = exe
        self._exe_findings = exe.clone()
        self._exe_findings.set_parameter(f"{{{TSCH}}}fired", proc.make_boolean_value(False))
        self._exe_svrl.set_parameter(f"{{{TSCH}}}fired", proc.make_boolean_value(True))
        for e in (self._exe_svrl, self._exe_findings):
            # no side effects: result documents (even from fn:transform) and messages are
            # kept in memory and dropped, never written to a file or the terminal
            e.set_capture_result_documents(True)
            e.set_save_xsl_message(True)
        self._store = reads.DocumentStore(self.compiled.schema)  # files of the schema's folder
        self._prefixes: dict[str, str] = {}
        for prefix, uri in reversed(self._declared()):
            self._prefixes[uri] = prefix

    def _declared(self) -> list[tuple[str, str]]:
        root = etree.fromstring(self.compiled.xslt.encode("utf-8"))
        return [
            (e.get("prefix"), e.get("uri"))
            for e in root.iter(f"{{{SVRL_NS}}}ns-prefix-in-attribute-values")
        ]

    # -- running --------------------------------------------------------------------------
    def _run(self, exe: Any, tree: etree._ElementTree, label: str) -> str:
        proc = saxon.processor()
        try:
            node = proc.parse_xml(xml_text=document_text(tree), encoding="UTF-8")
        except Exception as exc:
            raise SchematronRuntimeError(
                f"Saxon cannot read document '{label}': {' '.join(str(exc).split())}",
                path=self.schema,
            ) from None
        for _ in range(reads.MAX_ROUNDS):
            if self.compiled.reads:
                exe.set_parameter(reads.DOCS_PARAM, self._store.parameter(proc))
            failure = None
            try:
                with saxon.quiet():
                    out = exe.transform_to_string(xdm_node=node)
            except Exception as exc:
                failure, out = " ".join(str(exc).split()), None
            finally:
                exe.clear_xsl_messages()
            # a rule (or a let) asked for a document not read yet: read or refuse it, run again
            asked = reads.needed(failure or out or "") if self.compiled.reads else []
            if not (asked and self._store.add(asked, proc)):
                break
        if failure is not None:
            raise SchematronRuntimeError(
                f"error while validating '{label}': {failure}", path=self.schema
            ) from None
        if out is None:
            raise SchematronRuntimeError(f"no SVRL produced for '{label}'", path=self.schema)
        return out

    def svrl_for_tree(self, tree: etree._ElementTree, path_label: str = "<tree>") -> str:
        """Full SVRL (with active-pattern and fired-rule elements) for a parsed document."""
        return self._run(self._exe_svrl, _as_tree(tree), path_label)

    def svrl_for_file(self, path: str | os.PathLike[str]) -> str:
        """Full SVRL for a file (parsed safely; raises :class:`tei.errors.InputError`)."""
        return self.svrl_for_tree(parse_file(path), str(path))

    def validate_tree(
        self, tree: etree._ElementTree | etree._Element, path_label: str = "<tree>"
    ) -> list[Finding]:
        """Findings for an already parsed document (line numbers from its ``sourceline``)."""
        tree = _as_tree(tree)
        text = self._run(self._exe_findings, tree, path_label)
        svrl = etree.fromstring(text.encode("utf-8"))
        return findings_from_svrl(
            svrl,
            file=path_label,
            tree=tree,
            assertions=self.compiled.assertions,
            prefixes=self._prefixes,
            report_default=self.report_severity,
        )

    def validate_file(self, path: str | os.PathLike[str]) -> list[Finding]:
        """Findings for one file (parsed safely; raises :class:`tei.errors.InputError`)."""
        return self.validate_tree(parse_file(path), str(path))

    def validate_bytes(self, data: bytes, path_label: str = "<bytes>") -> list[Finding]:
        """Findings for a document given as bytes."""
        return self.validate_tree(parse_bytes(data, path=path_label), path_label)


def _as_tree(tree: etree._ElementTree | etree._Element) -> etree._ElementTree:
    return tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
