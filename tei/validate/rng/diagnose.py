"""Walk a document with an :class:`RngModel` and describe each error the way jing does."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ...ns import XML_NS
from ...report import Finding
from ..positions import Positions
from .model import NOTALLOWED, ElementDef, P, RngModel, bounded_memo, or_list, split_clark


@dataclass
class Issue:
    """One schema error: where (element, optional attribute or text offset) and what."""

    element: etree._Element
    message: str
    attribute: str | None = None  # Clark name of the attribute the message is about
    text_line: int | None = None  # for "text not allowed", the line of the text itself
    hint: str | None = None  # 'did you mean "persName"?' for a misspelt name
    at_end: bool = False  # reported where the element ends ("incomplete"), as jing does
    text_after: tuple[etree._Element, bool] | None = None  # text of (el, False) / tail (el, True)


_HINTS: dict[tuple[str, frozenset[str]], str | None] = {}  # the same misspelling recurs


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the candidate closest to a misspelt ``name`` (case first, then spelling)."""
    key = (name, frozenset(candidates))
    if key in _HINTS:
        return _HINTS[key]
    if len(_HINTS) >= 4096:
        _HINTS.clear()
    hint = _HINTS[key] = _did_you_mean(name, key[1])
    return hint


def _did_you_mean(name: str, candidates: frozenset[str]) -> str | None:
    cands = sorted(candidates - {name})
    if not cands:
        return None
    by_case = {c.lower(): c for c in cands}
    best = by_case.get(name.lower())
    if best is None:
        # difflib's first test, on lengths alone, made here for all at once: the names it
        # would turn down never reach it (its choice among the others is the same)
        n = len(name)
        near = [c for c in cands if not n + len(c) or 2.0 * min(n, len(c)) / (n + len(c)) >= 0.8]
        close = difflib.get_close_matches(name, near, n=1, cutoff=0.8)
        best = close[0] if close else None
    return f'did you mean "{best}"?' if best else None


_NOT_ALLOWED = re.compile(
    r'^(?P<what>element|attribute) "(?P<name>[^"]+)" not allowed (?P<where>anywhere|here)'
    r"(?:; expected (?P<expected>.*?))?(?: \(with [^)]*\))?$"
)


def hint_from_message(message: str, schema_names: Callable[[], Iterable[str]]) -> str | None:
    """The did-you-mean hint for a jing-worded "not allowed" message (``--engine jing``).

    Candidates are the names the message expects; for an element unknown to the schema, also
    ``schema_names()`` (every element name the schema defines), called only when needed.
    """
    m = _NOT_ALLOWED.match(message)
    if m is None:
        return None
    written = m["name"]
    local = written.rpartition(":")[2]
    expected = m["expected"] or ""
    kind = f"{m['what']} "
    listed = expected[expected.find(kind) + len(kind) :] if kind in expected else ""
    here = [n.rpartition(":")[2] for n in re.findall(r'"([^"]+)"', listed)]
    hint = did_you_mean(local, here)
    if hint is None and m["what"] == "element" and m["where"] == "anywhere":
        hint = did_you_mean(local, schema_names())
    return _prefixed(hint, written, local)


def qname(el: etree._Element) -> str:
    """The element's name as written in the document (with its prefix)."""
    local = split_clark(el.tag)[1]
    prefix = el.prefix
    return f"{prefix}:{local}" if prefix else local


def attr_qname(el: etree._Element, clark: str) -> str:
    """An attribute's name as written: ``xml:lang`` rather than libxml2's ``lang``."""
    q = etree.QName(clark)
    if not q.namespace:
        return q.localname
    if q.namespace == XML_NS:
        return f"xml:{q.localname}"
    for prefix, uri in el.nsmap.items():
        if uri == q.namespace and prefix:
            return f"{prefix}:{q.localname}"
    return clark


class _Namer:
    """Formats expected names relative to the namespaces in scope, like jing.

    ``el`` is the element whose start (or end) tag the message is about: its own
    declarations count (a ``<math xmlns="...MathML">`` in a TEI ``<p>`` sees MathML as the
    default namespace, so TEI names need a prefix).  A namespace with no prefix in scope is
    declared in the suffix: as the default namespace if the document has none in scope, else
    as ``ns`` when it is the only one, ``ns1``, ``ns2``, ... (in namespace order) when several.
    """

    def __init__(self, el: etree._Element | None):
        self.nsmap = dict(el.nsmap) if el is not None else {}
        self.extra: dict[str, str] = {}  # ns -> declaration ("xmlns" or "xmlns:ns")

    def _bound(self, ns: str, attribute: bool) -> str | None:
        """The prefix ("" for the default namespace) that ``ns`` has in scope, if any."""
        if not attribute and self.nsmap.get(None, "") == ns:
            return ""
        if attribute and (not ns or ns == XML_NS):
            return "" if not ns else "xml"
        for prefix, uri in self.nsmap.items():
            if prefix and uri == ns:
                return prefix
        return None

    def names(self, pairs: Iterable[tuple[str, str]], *, attribute: bool = False) -> list[str]:
        """``(namespace, local)`` pairs as jing writes them, declaring unbound namespaces."""
        pairs = list(pairs)
        unbound = sorted(
            {ns for ns, _ in pairs if ns not in self.extra and self._bound(ns, attribute) is None}
        )
        if unbound:
            if not attribute and None not in self.nsmap and "xmlns" not in self.extra.values():
                self.extra[unbound.pop(0)] = "xmlns"
            n = sum(1 for d in self.extra.values() if d.startswith("xmlns:"))
            many = n + len(unbound) > 1
            for i, ns in enumerate(unbound, n + 1):
                self.extra[ns] = f"xmlns:ns{i}" if many else "xmlns:ns"
        out = []
        for ns, local in pairs:
            prefix = self._bound(ns, attribute)
            if prefix is None:
                decl = self.extra[ns]
                prefix = "" if decl == "xmlns" else decl[6:]
            out.append(f"{prefix}:{local}" if prefix else local)
        return out

    def element(self, ns: str, local: str) -> str:
        return self.names([(ns, local)])[0]

    def attribute(self, ns: str, local: str) -> str:
        return self.names([(ns, local)], attribute=True)[0]

    def suffix(self) -> str:
        if not self.extra:
            return ""
        decls = sorted(self.extra.items(), key=lambda kv: (kv[1] != "xmlns", kv[1]))
        return " (with " + " ".join(f'{d}="{ns}"' for ns, d in decls) + ")"


def _quoted(names: list[str]) -> str:
    return or_list([f'"{n}"' for n in sorted(set(names))])


class Diagnoser:
    """Re-validates a tree against the model and returns jing-style :class:`Issue` s."""

    def __init__(self, model: RngModel, max_issues: int = 2_000):
        self.m = model
        self.max_issues = max_issues

    def run(
        self, root: etree._Element, focus: Iterable[etree._Element] | None = None
    ) -> list[Issue]:
        """Issues for the tree under ``root``.

        ``focus``: elements at which the verdict engine (libxml2) reported errors.  When given,
        they and their following siblings are walked in full (libxml2 stops checking a
        sequence at its first error, jing goes on); their ancestors' content is checked child
        by child, so a wrong sequence is still found, without descending into the other
        children, whose subtrees libxml2 checked and found clean.  ``None`` walks the whole
        tree.  ``tests/test_validate_diagnose.py`` holds both walks to the same messages.
        """
        self.issues: list[Issue] = []
        self._full: set[etree._Element] = set()
        self._on_path: set[etree._Element] = set()
        guided = focus is not None
        if focus is not None:
            for el in focus:
                self._full.add(el)
                self._full.update(el.itersiblings())
                self._on_path.update(el.iterancestors())
        m = self.m
        q = etree.QName(root)
        ns, local = q.namespace or "", q.localname
        start = m.start
        if m.deriv(start, ("e", ns, local)).kind == NOTALLOWED:
            self._add(
                root,
                f'element "{qname(root)}" not allowed here'
                + self._expected(start, root, closing=False),
            )
            defs = m.defs_for(ns, local)
            if not defs:
                self._inside_unknown(root)
        else:
            defs = m.child_defs(start, ns, local)
        if defs:
            self._element(root, defs, not guided or root in self._full)
        return self.issues

    def _add(
        self,
        el: etree._Element,
        msg: str,
        *,
        attribute: str | None = None,
        text_line: int | None = None,
        hint: str | None = None,
        at_end: bool = False,
        text_after: tuple[etree._Element, bool] | None = None,
    ) -> None:
        if len(self.issues) < self.max_issues:
            self.issues.append(Issue(el, msg, attribute, text_line, hint, at_end, text_after))

    # The wording of an error depends on the states and names involved and on the namespaces
    # in scope (_Namer) only: each is worked out once per model, keyed on those.

    def _memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        return bounded_memo(self.m.diag_memo, key, make)

    def _schema_names(self, ns: str) -> frozenset[str]:
        """The local names of the elements the schema names in namespace ``ns``."""
        return self._memo(
            ("names", ns), lambda: frozenset(n for ens, n in self.m.by_name if ens == ns)
        )

    def _expected(self, p: P, el: etree._Element, *, closing: bool = True) -> str:
        key = ("expected", p, closing, tuple(el.nsmap.items()))
        return self._memo(key, lambda: self._expected_words(p, el, closing))

    def _expected_words(self, p: P, el: etree._Element, closing: bool) -> str:
        m = self.m
        namer = _Namer(el)
        items: list[str] = []
        if closing and p.nullable:
            items.append("the element end-tag")
        if m.accepts_text(p):
            items.append("text")
        # wildcards are not listed (jing does not either)
        names = namer.names(ns_local for e in m.first_elems(p) for ns_local in e.a.names())
        if names:
            items.append("element " + _quoted(names))
        if not items:
            return ""
        return "; expected " + or_list(items) + namer.suffix()

    def _element(self, el: etree._Element, defs: list[ElementDef], full: bool = True) -> None:
        if len(self.issues) >= self.max_issues:
            return
        m = self.m
        p = defs[0].content if len(defs) == 1 else m.content_of(defs)
        # attributes
        for clark, value in el.items():
            ns, local, specs, d, checks = m.att_step(p, clark)
            if not specs or (checks and not all([c.accepts(value) for c in checks])):
                d = m.att_deriv(p, ns, local, value)
            if d.kind == NOTALLOWED:
                d = self._bad_attribute(el, p, clark, ns, local, value)
            p = d
        q = m.end_atts(p)
        if q.kind == NOTALLOWED:
            name = qname(el)
            missing = self._missing_attrs(p, el)
            if len(missing) == 1:
                self._add(el, f'element "{name}" missing required attribute "{missing[0]}"')
            else:
                self._add(
                    el,
                    f'element "{name}" missing one or more required attributes'
                    + (f"; expected attribute {_quoted(missing)}" if missing else ""),
                )
            q = m.ignore_atts(p)
        # content: child elements, and non-blank text runs (text and tails, a comment or PI
        # between them joining them) found only when needed: [text, previous line, next
        # element, (anchor, is_tail)]
        rejected = False  # a child or text was refused: an "incomplete" would be its knock-on
        steps = m.step_memo
        children = list(el)
        text = el.text
        pending: list | None = None
        if text and not text.isspace():
            pending = [text, el.sourceline, children[0] if children else None, (el, False)]
        for i, child in enumerate(children):
            tag = child.tag
            if isinstance(tag, str):
                if pending is not None:
                    if len(self.issues) >= self.max_issues:
                        return
                    q, refused = self._text(el, q, pending)
                    rejected = rejected or refused
                    pending = None
                if len(self.issues) >= self.max_issues:
                    return
                hit = steps.get((q, tag))  # m.step(q, tag), looked up here first
                d, tok, cdefs = hit if hit is not None else m.step(q, tag)
                child_full = full or child in self._full
                if cdefs is not None:
                    if child_full or child in self._on_path:
                        self._element(child, cdefs, child_full)
                    q = d
                else:
                    msg, recovered, hint = self._unexpected(q, child, tok)
                    self._add(child, msg, hint=hint)
                    if recovered is not None:
                        before, q = recovered
                        cdefs = m.child_defs(before, tok[1], tok[2])
                    else:
                        rejected = True
                        cdefs = m.defs_for(tok[1], tok[2])[:1]
                    if cdefs and (child_full or child in self._on_path):
                        self._element(child, cdefs, child_full)
                    elif not cdefs:
                        self._inside_unknown(child)
            tail = child.tail
            if tail and not tail.isspace():
                if pending is None:
                    nxt = children[i + 1] if i + 1 < len(children) else None
                    pending = [tail, child.sourceline, nxt, (child, True)]
                else:
                    pending[0] += tail
        if pending is not None:
            if len(self.issues) >= self.max_issues:
                return
            q, refused = self._text(el, q, pending)
            rejected = rejected or refused
        if not q.nullable and not rejected:
            self._add(el, self._incomplete(q, el, qname(el)), at_end=True)

    def _text(self, el: etree._Element, q: P, item: list) -> tuple[P, bool]:
        """The state after a text run in state ``q``, and whether it was refused."""
        d = self.m.deriv(q, _TEXT)
        if d.kind != NOTALLOWED:
            return d, False
        self._add(
            el,
            "text not allowed here" + self._expected(q, el),
            text_line=_text_line(*item[:3]),
            text_after=item[3],
        )
        return q, True

    def _bad_attribute(
        self, el: etree._Element, p: P, clark: str, ns: str, local: str, value: str
    ) -> P:
        """Report an attribute refused in state ``p``; the state to go on with."""
        m = self.m
        allowed = m.first_attrs(p)
        matching = [a for a in allowed if a.a.matches(ns, local)]
        an = attr_qname(el, clark)
        if matching:
            desc = or_list([x for a in matching if (x := a.b.describe(value))])
            self._add(
                el,
                f'value of attribute "{an}" is invalid' + (f"; {desc}" if desc else ""),
                attribute=clark,
            )
            return m.att_deriv(p, ns, local, None)
        if not allowed:
            self._add(
                el,
                f'found attribute "{an}", but no attributes allowed here',
                attribute=clark,
            )
            return p
        key = ("attribute", p, clark, tuple(el.nsmap.items()))
        msg, hint = self._memo(key, lambda: self._unexpected_attribute(el, allowed, ns, local, an))
        self._add(el, msg, attribute=clark, hint=hint)
        return p

    def _inside_unknown(self, el: etree._Element) -> None:
        """Check what an element unknown to the schema holds, as jing does: each known child
        against its own definition; an unknown one is reported and looked into in turn."""
        m = self.m
        for child in el.iterchildren(etree.Element):
            if len(self.issues) >= self.max_issues:
                return
            ns, local = split_clark(child.tag)
            defs = m.defs_for(ns, local)
            if defs:
                self._element(child, defs, True)
                continue
            cname = qname(child)
            hint = did_you_mean(local, self._schema_names(ns))
            self._add(
                child, f'element "{cname}" not allowed anywhere', hint=_prefixed(hint, cname, local)
            )
            self._inside_unknown(child)

    def _unexpected_attribute(
        self, el: etree._Element, allowed: frozenset[P], ns: str, local: str, an: str
    ) -> tuple[str, str | None]:
        namer = _Namer(el)
        names = namer.names((pair for a in allowed for pair in a.a.names()), attribute=True)
        same_ns = [al for a in allowed for ans, al in a.a.names() if ans == ns]
        msg = (
            f'attribute "{an}" not allowed here; expected attribute '
            + _quoted(names)
            + namer.suffix()
        )
        return msg, _prefixed(did_you_mean(local, same_ns), an, local)

    def _missing_attrs(self, p: P, el: etree._Element) -> list[str]:
        key = ("missing", p, tuple(el.nsmap.items()))
        return self._memo(key, lambda: self._missing_attrs_names(p, el))

    def _missing_attrs_names(self, p: P, el: etree._Element) -> list[str]:
        m = self.m
        namer = _Namer(el)
        pairs = []
        for a in m.first_attrs(p):
            for ns, local in a.a.names():
                if m.end_atts(m.att_deriv(p, ns, local, None)).kind != NOTALLOWED:
                    pairs.append((ns, local))
        return sorted(set(namer.names(pairs, attribute=True)))

    def _unexpected(
        self, q: P, child: etree._Element, tok: tuple
    ) -> tuple[str, tuple[P, P] | None, str | None]:
        key = ("unexpected", q, tok, qname(child), tuple(child.nsmap.items()))
        return self._memo(key, lambda: self._unexpected_words(q, child, tok))

    def _unexpected_words(
        self, q: P, child: etree._Element, tok: tuple
    ) -> tuple[str, tuple[P, P] | None, str | None]:
        """The message for a child not allowed in state ``q``, a recovery state, and a hint.

        Like jing, an element that would be allowed after some missing required element is
        reported as "not allowed yet", and validation continues as if that one were present.
        """
        m = self.m
        cname = qname(child)
        if not m.known_element(tok[1], tok[2]):
            ns, local = tok[1], tok[2]
            here = [n for e in m.first_elems(q) for ens, n in e.a.names() if ens == ns]
            hint = did_you_mean(local, here) or did_you_mean(local, self._schema_names(ns))
            return (
                f'element "{cname}" not allowed anywhere' + self._expected(q, child),
                None,
                _prefixed(hint, cname, local),
            )
        if not q.nullable:
            firsts = m.first_elems(q)
            enabling: list[tuple[str, str]] = []
            recovered = None
            for e in firsts:
                for ns, local in e.a.names():
                    before = m.deriv(q, ("e", ns, local))
                    after = m.deriv(before, tok)
                    if after.kind != NOTALLOWED:
                        enabling.append((ns, local))
                        recovered = recovered or (before, after)
            if enabling:
                # as for "incomplete": the one required element, else everything expected
                return (
                    f'element "{cname}" not allowed yet' + self._needed(q, child),
                    recovered,
                    None,
                )
        return f'element "{cname}" not allowed here' + self._expected(q, child), None, None

    def _incomplete(self, q: P, el: etree._Element, name: str) -> str:
        return f'element "{name}" incomplete' + self._needed(q, el)

    def _needed(self, q: P, el: etree._Element) -> str:
        """What state ``q`` still needs: its required elements, else everything it accepts."""
        key = ("needed", q, tuple(el.nsmap.items()))
        return self._memo(key, lambda: self._needed_words(q, el))

    def _needed_words(self, q: P, el: etree._Element) -> str:
        namer = _Namer(el)
        required = sorted(set(namer.names(sorted(self.m.required_elems(q)))))
        if len(required) == 1:
            return f'; missing required element "{required[0]}"' + namer.suffix()
        if required:
            return (
                "; missing required elements "
                + or_list([f'"{r}"' for r in required], "and")
                + namer.suffix()
            )
        return self._expected(q, el, closing=False)


_TEXT = ("t",)


def _prefixed(hint: str | None, written: str, local: str) -> str | None:
    """Keep the prefix the document wrote (``tei:perName`` -> did you mean "tei:persName"?)."""
    if hint is None or written == local:
        return hint
    prefix = written[: -len(local)]
    return hint.replace('mean "', f'mean "{prefix}', 1)


def _text_line(text: str, prev_line: int | None, nxt: etree._Element | None) -> int | None:
    """Best estimate of the line where a text run's first non-blank character stands."""
    lead = text[: len(text) - len(text.lstrip())].count("\n")
    if nxt is not None and nxt.sourceline:
        # count back from the next element's start line
        return nxt.sourceline - text.count("\n") + lead
    return (prev_line or 0) + lead if prev_line else None


def want_places(issues: list[Issue], positions: Positions) -> None:
    """Tell ``positions`` which tags :func:`issue_finding` will look for (it finds others
    too, only more slowly)."""
    starts = [i.element for i in issues]
    ends = [i.element for i in issues if i.at_end]
    for i in issues:
        if i.text_after is not None and isinstance(i.text_after[0].tag, str):
            (ends if i.text_after[1] else starts).append(i.text_after[0])
    positions.want(starts, ends)


def issue_finding(issue: Issue, label: str, positions: Positions) -> Finding:
    el = issue.element
    hint = issue.hint
    if issue.at_end:  # where the element ends (jing's place and order); say where it began
        line, col = positions.end(el)
        sline, scol = positions.element(el)
        if (sline, scol) != (line, col) and sline:
            hint = f'"{qname(el)}" starts at line {sline}' + (f", column {scol}" if scol else "")
    elif issue.attribute:
        line, col = positions.attribute(el, attr_qname(el, issue.attribute))
    elif issue.text_after is not None or issue.text_line:
        line, col = positions.text_after(*issue.text_after) if issue.text_after else (None, None)
        if line is None:
            line, col = positions.text_at(issue.text_line)
    else:
        line, col = positions.element(el)
    return Finding(
        label,
        line or el.sourceline,
        col,
        "error",
        issue.message,
        "rng",
        "relaxng",  # the engine whose findings these are (tei.validate.relaxng)
        positions.path(el),
        hint,
    )
