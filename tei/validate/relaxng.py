"""RELAX NG validation with lxml (libxml2), with jing-quality messages.

The schema is compiled once per process and cached by path, size and mtime.  libxml2 gives the
verdict; for an invalid document :mod:`.rng.diagnose` walks it with a model of the same schema and
words each error like jing (what was found, what was expected, line *and* column).  If that walk
finds nothing to say, libxml2's own messages are kept, cleaned up: ``xml:`` prefixes restored,
a column found in the source, bad value told apart from unknown attribute where possible.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from ..ns import XML_ID
from ..report import Finding
from .compiled import SchemaError, compiled
from .positions import Positions, element_path
from .rng.diagnose import Diagnoser, Issue, attr_qname, issue_finding, qname
from .rng.load import load_schema
from .rng.model import RngModel, diagnosis_model
from .rng.prune import prunable, prune
from .rng.quick import quick_form

ENGINE = "relaxng"  # the engine named in findings (issue_finding: rng.diagnose)


def get_relaxng(path: str | os.PathLike[str]) -> RelaxNGValidator:
    """The compiled validator for ``path``, compiled once per process (keyed by path+mtime)."""
    return compiled(path, RelaxNGValidator)


class RelaxNGValidator:
    """One RELAX NG schema, compiled by libxml2 in one of two equivalent forms.

    ``full``: the schema as written; libxml2 builds an automaton per content model (tei_all:
    ~8 s to compile, fastest validation).  ``quick``: the same language with the big repeated
    choices left uncompiled (:mod:`.rng.quick`; tei_all: ~0.1 s to compile, ~2.5x slower
    validation).  :meth:`use` picks the form; each is compiled once, on first use.
    """

    engine = ENGINE
    FORMS = ("full", "quick", "pruned")

    def __init__(self, path: Path):
        self.path = path
        self._tree = load_schema(path)
        self._forms: dict[str, etree.RelaxNG] = {}
        self.form = "full"
        self._model: RngModel | None = None
        # form "pruned": schemas cut to the element names of the documents seen (rng.prune),
        # each kept with the name set it covers; a document reuses one that covers its names.
        self._pruned: list[tuple[frozenset[str], etree.RelaxNG]] = []
        self._prunable = prunable(self._tree)

    @property
    def schema(self) -> etree.RelaxNG:
        """The compiled schema in the current form (compiled on first need)."""
        return self._compiled(self.form)

    def _for(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """The compiled schema to validate ``tree`` with in the current form."""
        if self.form != "pruned" or not self._prunable:
            return self._compiled("quick" if self.form == "pruned" else self.form)
        names = frozenset(el.tag.rpartition("}")[2] for el in tree.getroot().iter(etree.Element))
        best = None
        for covered, rng in self._pruned:
            if names <= covered:
                return rng
            grown = len(covered | names)
            if grown <= PRUNED_MAX_NAMES and (best is None or grown < len(best[0] | names)):
                best = (covered, rng)
        wanted = names | best[0] if best is not None else names
        try:
            pruned = prune(self._tree, wanted)
            rng = etree.RelaxNG(pruned) if pruned is not None else None
        except etree.RelaxNGParseError:
            rng = None
        if rng is None:  # never worse than the quick form
            return self._compiled("quick")
        if best is not None:
            self._pruned.remove(best)
        self._pruned.append((wanted, rng))
        return rng

    def _compiled(self, form: str) -> etree.RelaxNG:
        hit = self._forms.get(form)
        if hit is not None:
            return hit
        tree, rewritten = quick_form(self._tree) if form == "quick" else (self._tree, 0)
        if form == "quick" and not rewritten:
            hit = self._forms.get("full")  # nothing to gain: share the full form
        if hit is None:
            try:
                hit = etree.RelaxNG(tree)
            except etree.RelaxNGParseError as exc:
                if form == "quick":  # never worse than the schema as written
                    hit = self._compiled("full")
                else:
                    first = next(iter(exc.error_log), None)
                    where = f" (line {first.line})" if first is not None and first.line else ""
                    raise SchemaError(
                        f"cannot compile RELAX NG schema {self.path}{where}: "
                        f"{first.message if first is not None else exc}"
                    ) from None
        self._forms[form] = hit
        return hit

    def use(self, form: str) -> None:
        """Validate with ``form`` (``full``, ``quick`` or ``pruned``) from now on.

        ``full`` and ``quick`` are compiled here; ``pruned`` compiles per name set as
        documents come (a schema that cannot be pruned falls back to ``quick``).
        """
        if form not in self.FORMS:
            raise ValueError(f"unknown RELAX NG form {form!r}")
        if form != "pruned" or not self._prunable:
            self._compiled("quick" if form == "pruned" else form)
        self.form = form

    @property
    def model(self) -> RngModel | None:
        """The diagnosis model, built on first need (or by :meth:`prepare`)."""
        if self._model is None:
            self._model = diagnosis_model(self.path)
        return self._model

    def prepare(self) -> None:
        """Build everything up front (call before forking workers so they share it).

        The diagnosis model is built on the first invalid document in the pruned form (a
        run over valid files never needs it).
        """
        if self.form != "pruned":
            _ = self.schema
            _ = self.model

    def validate(self, tree: etree._ElementTree, label: str, positions: Positions) -> list[Finding]:
        """Findings for one parsed document (empty when valid)."""
        schema = self._for(tree)
        if schema.validate(tree):
            return []
        log = list(schema.error_log)
        model = self.model
        issues: list[Issue] = []
        if model is not None:
            root = tree.getroot()
            focus = _error_elements(log, root)
            if focus is not None:  # walk only where libxml2 saw trouble
                issues = Diagnoser(model).run(root, focus)
            if not issues:
                issues = Diagnoser(model).run(root)
        if issues:
            return [issue_finding(i, label, positions) for i in issues]
        if model is not None and _has_duplicate_ids(tree):
            # libxml2 enforces xsd:ID uniqueness and then reports knock-on "extra content"
            # errors; the structure is fine by the jing-equivalent check, and ids.py reports
            # the duplicates themselves.
            return []
        if self.form == "quick":  # libxml2's own words, as the schema is written (rare path)
            full = self._compiled("full")
            full.validate(tree)
            log = list(full.error_log)
        return _libxml2_findings(_without_duplicate_ids(log, tree), tree, label, positions)


# A pruned schema grows to cover the names of more documents up to this many names; tei_all
# cut to 100 names compiles in ~0.1 s, to 165 in ~0.4-1 s, to 430 in more than 20 s.
PRUNED_MAX_NAMES = 200

_STEP = re.compile(r"(?:(?P<prefix>[^:\[*]+):)?(?P<name>\*|[^:\[]+)(?:\[(?P<n>\d+)\])?\Z")


_MAX_FOCUS = 200  # more libxml2 errors than this: the full walk is as cheap


def _error_elements(log: list, root: etree._Element) -> list[etree._Element] | None:
    """The elements libxml2's error entries point at (``None`` if any path cannot be read)."""
    if len(log) > _MAX_FOCUS:
        return None
    out = []
    kids: dict[etree._Element, list[etree._Element]] = {}
    for entry in log:
        el = _resolve_path(getattr(entry, "path", None) or "", root, kids)
        if el is None:
            return None
        out.append(el)
    return out


def _resolve_path(
    path: str,
    root: etree._Element,
    kids: dict[etree._Element, list[etree._Element]] | None = None,
) -> etree._Element | None:
    """Follow a libxml2 node path (``/*/*[2]/xi:include[1]``, ``/TEI/text``) from the root.

    ``*[n]`` is the n-th element child; ``name[n]`` / ``prefix:name[n]`` the n-th child with
    that name and prefix (libxml2's ``xmlGetNodePath`` conventions).
    """
    steps = path.split("/")
    if len(steps) < 2 or steps[0]:
        return None
    cur: etree._Element | None = None
    for step in steps[1:]:
        m = _STEP.match(step)
        if m is None:
            return None
        n = int(m.group("n") or 1)
        if cur is None:
            if n != 1 or not _named(root, m.group("prefix"), m.group("name")):
                return None
            cur = root
            continue
        children = kids.get(cur) if kids is not None else None
        if children is None:
            children = [c for c in cur if isinstance(c.tag, str)]
            if kids is not None:
                kids[cur] = children
        named = [c for c in children if _named(c, m.group("prefix"), m.group("name"))]
        if n > len(named):
            return None
        cur = named[n - 1]
    return cur


def _named(el: etree._Element, prefix: str | None, name: str) -> bool:
    if name == "*":
        return True
    return etree.QName(el).localname == name and el.prefix == prefix


_LIBXML2 = [
    (re.compile(r"Expecting an element (\S*) ?, got nothing"), "incomplete"),
    (re.compile(r"Did not expect element (\S+) there"), "unexpected"),
    (re.compile(r"Invalid attribute (\S+) for element (\S+)"), "attribute"),
    (re.compile(r"Element (\S+) failed to validate attributes"), "attributes"),
    (re.compile(r"Did not expect text in element (\S+) content"), "text"),
    (re.compile(r"Expecting element (\S+), got (\S+)"), "wrong"),
    (re.compile(r"Element (\S+) has extra content: text"), "skip"),
    (re.compile(r"Element (\S+) failed to validate content"), "skip"),
    (re.compile(r"Expecting element (\S+) to be empty"), "empty"),
]


def _libxml2_findings(
    log: list, tree: etree._ElementTree, label: str, positions: Positions
) -> list[Finding]:
    """libxml2's messages, cleaned up: element named, xml: prefix restored, column found."""
    out: list[Finding] = []
    for entry in log:
        msg = entry.message
        kind = None
        m = None
        for rx, k in _LIBXML2:
            m = rx.search(msg)
            if m:
                kind = k
                break
        if kind == "skip" and out:
            continue
        el = _element_at(
            tree,
            entry.line,
            m.group(2)
            if m and kind in ("attribute", "wrong")
            else (m.group(1) if m and m.groups() and m.group(1) else None),
        )
        line, col = positions.element(el) if el is not None else (entry.line or None, None)
        name = qname(el) if el is not None else (m.group(1) if m else "")
        if kind == "incomplete":
            text = f'element "{name}" incomplete; missing required content'
        elif kind == "unexpected":
            text = f'element "{name}" not allowed here'
        elif kind == "attribute" and el is not None and m is not None:
            clark = next(
                (a for a in el.attrib if etree.QName(a).localname == m.group(1)), m.group(1)
            )
            written = attr_qname(el, clark)
            text = f'attribute "{written}" not allowed here or its value is invalid'
            line, col = positions.attribute(el, written)
        elif kind == "attributes":
            text = f'element "{name}" has an invalid, unknown or missing attribute'
        elif kind == "text":
            text = f'text not allowed here in element "{name}"'
        elif kind == "wrong" and m is not None:
            text = f'element "{m.group(2)}" not allowed here; expected element "{m.group(1)}"'
        elif kind == "empty":
            text = f'element "{name}" must be empty'
        else:
            text = msg
        out.append(
            Finding(
                label,
                line,
                col,
                "error",
                text,
                "rng",
                ENGINE,
                element_path(el) if el is not None else None,
            )
        )
    return out


def _has_duplicate_ids(tree: etree._ElementTree) -> bool:
    seen: set[str] = set()
    for el in tree.getroot().iter(etree.Element):
        v = el.get(XML_ID)
        if v is not None:
            if v.strip() in seen:
                return True
            seen.add(v.strip())
    return False


def _without_duplicate_ids(log: list, tree: etree._ElementTree) -> list:
    """Drop libxml2's complaints about repeated xml:id values: ids.py reports those."""
    counts: dict[str, int] = {}
    for el in tree.getroot().iter(etree.Element):
        v = el.get(XML_ID)
        if v is not None:
            counts[v.strip()] = counts.get(v.strip(), 0) + 1
    out = []
    for entry in log:
        m = re.search(r"Invalid attribute id for element (\S+)", entry.message)
        if m:
            el = _element_at(tree, entry.line, m.group(1))
            if el is not None and counts.get((el.get(XML_ID) or "").strip(), 0) > 1:
                continue
        out.append(entry)
    return out


def _element_at(tree: etree._ElementTree, line: int, local: str | None) -> etree._Element | None:
    best = None
    for el in tree.getroot().iter(etree.Element):
        if el.sourceline == line and (local is None or etree.QName(el).localname == local):
            best = el
            if local is not None:
                return el
        elif el.sourceline and el.sourceline > line:
            break
    return best
