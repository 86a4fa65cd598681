"""SVRL → :class:`tei.report.Finding`, and XPath 3.0 ``path()`` locations → line numbers.

Severity (from ``@role``, case-insensitive):

* ``error``, ``fatal``, ``critical`` → ``error``
* ``warning``, ``warn``, ``nonfatal`` → ``warning``
* ``info``, ``information``, ``informational``, ``hint`` → ``info``
* anything else or no role: a failed ``assert`` is an ``error``, a successful ``report`` is a
  ``warning`` (``SchematronValidator(..., report_severity="error")`` changes the latter, e.g.
  for TEI ODD constraints, whose role-less reports are meant as errors).

Line numbers: the generated stylesheet writes ``location`` with XPath 3.0 ``path()``
(``/Q{ns}TEI[1]/Q{ns}text[1]/@n``).  Saxon sees exactly the tree lxml parsed, so walking the
same steps in the lxml tree finds the element, whose ``sourceline`` is the answer.  For an
attribute the owner element's line is used; for a text node, the line where its first
non-blank character is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping

from lxml import etree

from ..ns import SVRL_NS
from ..report import Finding, Severity
from .compiler import TSCH, AssertionInfo

_ROLE_SEVERITY: dict[str, Severity] = {
    "error": "error",
    "fatal": "error",
    "critical": "error",
    "warning": "warning",
    "warn": "warning",
    "nonfatal": "warning",
    "info": "info",
    "information": "info",
    "informational": "info",
    "hint": "info",
}


def severity(kind: str, role: str | None, report_default: Severity = "warning") -> Severity:
    """Severity of a failed assert (``kind="assert"``) or successful report."""
    if role:
        sev = _ROLE_SEVERITY.get(role.strip().lower())
        if sev:
            return sev
    return "error" if kind == "assert" else report_default


_STEP = re.compile(
    r"/(?:"
    r"Q\{(?P<euri>[^}]*)\}(?P<elocal>[^/\[]+)\[(?P<en>\d+)\]"
    r"|(?P<eplain>[^/\[@(:]+)\[(?P<pn>\d+)\]"
    r"|@(?:Q\{(?P<auri>[^}]*)\})?(?P<alocal>[^/]+)"
    r"|text\(\)\[(?P<tn>\d+)\]"
    r"|comment\(\)\[(?P<cn>\d+)\]"
    r"|processing-instruction\((?P<piname>[^)]*)\)\[(?P<pin>\d+)\]"
    r"|namespace::(?P<ns>[^/]*)"
    r")"
)


def _steps(path: str) -> Iterator[re.Match[str]] | None:
    pos = 0
    out = []
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m:
            return None
        out.append(m)
        pos = m.end()
    return iter(out)


def _text_line(parent: etree._Element, n: int) -> int | None:
    """Line of the n-th text node child of ``parent`` (lxml splits text into .text/.tail)."""
    pieces: list[tuple[str, etree._Element | None, etree._Element | None]] = []
    kids = list(parent)
    if parent.text:
        pieces.append((parent.text, None, kids[0] if kids else None))
    for i, c in enumerate(kids):
        if c.tail:
            pieces.append((c.tail, c, kids[i + 1] if i + 1 < len(kids) else None))
    if n > len(pieces):
        return parent.sourceline
    text, before, after = pieces[n - 1]
    lead = len(text) - len(text.lstrip())
    if after is not None and after.sourceline:
        return after.sourceline - text.count("\n") + text[:lead].count("\n")
    if before is None and parent.sourceline:
        return parent.sourceline + text[:lead].count("\n")
    return (before.sourceline if before is not None else None) or parent.sourceline


Children = dict[tuple[etree._Element, str], list[etree._Element]]


def locate(
    tree: etree._ElementTree, path: str | None, children: Children | None = None
) -> int | None:
    """The source line of the node an XPath 3.0 ``path()`` result designates, if found.

    ``children``: a cache of same-named child lists, shared by the calls for one document so
    that many findings under one wide parent cost one scan of its children, not one each.
    """
    if not path:
        return None
    root = tree.getroot()
    if path == "/":
        return root.sourceline
    steps = _steps(path)
    if steps is None:
        return None
    cur: etree._Element | None = None  # None = the document node
    for m in steps:
        if m.group("elocal") is not None or m.group("eplain") is not None:
            if m.group("elocal") is not None:
                uri, local, n = m.group("euri"), m.group("elocal"), int(m.group("en"))
            else:
                uri, local, n = "", m.group("eplain"), int(m.group("pn"))
            tag = f"{{{uri}}}{local}" if uri else local
            if cur is None:
                cands = [root] if root.tag == tag else []
            elif children is None:
                cands = [c for c in cur if c.tag == tag]
            else:
                hit = children.get((cur, tag))
                if hit is None:
                    hit = children[(cur, tag)] = [c for c in cur if c.tag == tag]
                cands = hit
            if n > len(cands):
                return cur.sourceline if cur is not None else None
            cur = cands[n - 1]
        elif m.group("alocal") is not None:
            return cur.sourceline if cur is not None else None
        elif m.group("tn") is not None:
            return _text_line(cur, int(m.group("tn"))) if cur is not None else None
        elif m.group("cn") is not None or m.group("pin") is not None:
            if m.group("cn") is not None:
                n = int(m.group("cn"))
                if cur is None:
                    sibs = _top_level(root)
                    kids = [c for c in sibs if isinstance(c, etree._Comment)]
                else:
                    kids = [c for c in cur if isinstance(c, etree._Comment)]
            else:
                n = int(m.group("pin"))
                name = m.group("piname")
                pool = _top_level(root) if cur is None else list(cur)
                kids = [
                    c
                    for c in pool
                    if isinstance(c, etree._ProcessingInstruction) and c.target == name
                ]
            if n <= len(kids):
                return kids[n - 1].sourceline
            return cur.sourceline if cur is not None else None
        else:  # namespace node
            return cur.sourceline if cur is not None else None
    return cur.sourceline if cur is not None else root.sourceline


def _top_level(root: etree._Element) -> list[etree._Element]:
    return [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]


def pretty_path(path: str | None, prefixes: Mapping[str, str]) -> str | None:
    """``Q{uri}local`` steps rewritten with the schema's prefixes (``uri -> prefix``)."""
    if not path:
        return path

    def sub(m: re.Match[str]) -> str:
        uri, local = m.group(1), m.group(2)
        if not uri:
            return local
        p = prefixes.get(uri)
        return f"{p}:{local}" if p else m.group(0)

    return re.sub(r"Q\{([^}]*)\}([^/\[]+)", sub, path)


def _norm(text: str) -> str:
    return " ".join(text.split())


_FA = f"{{{SVRL_NS}}}failed-assert"
_SR = f"{{{SVRL_NS}}}successful-report"
_TEXT = f"{{{SVRL_NS}}}text"
_DIAG = f"{{{SVRL_NS}}}diagnostic-reference"
_REF = f"{{{TSCH}}}ref"
_ERR = f"{{{TSCH}}}error"


def _forbidden_read(code: str, msg: str) -> bool:
    """Did a rule fail because Saxon's sandbox refused a file or URI (FODC0005 & co.), or a
    file of the schema's folder could not be read (:mod:`tei.schematron.reads`)?"""
    return (code.endswith(("FODC0005", "FOUT1170")) and "prohibited" in msg) or (
        code.endswith("FODC0002") and "cannot read file:" in msg
    )


def findings_from_svrl(
    svrl: etree._Element,
    *,
    file: str,
    tree: etree._ElementTree | None,
    assertions: Mapping[str, AssertionInfo],
    prefixes: Mapping[str, str],
    report_default: Severity = "warning",
) -> list[Finding]:
    """One Finding per failed assert / successful report in an SVRL document.

    The message is the normalised ``svrl:text``; diagnostics, if any, follow in parentheses.
    """
    out: list[Finding] = []
    children: Children = {}
    unread: dict[tuple[str | None, str], list[int]] = {}  # rule kept from a file: [index, more]
    for el in svrl.iter(_FA, _SR):
        kind = "assert" if el.tag == _FA else "report"
        ref = el.get(_REF) or el.get("id")
        info = assertions.get(ref) if ref else None
        text_el = el.find(_TEXT)
        msg = _norm("".join(text_el.itertext())) if text_el is not None else ""
        diags = [_norm("".join(d.itertext())) for d in el.iter(_DIAG)]
        diags = [d for d in diags if d]
        if diags:
            msg = f"{msg} ({'; '.join(diags)})" if msg else "; ".join(diags)
        if el.get(_ERR) is not None:
            sev: Severity = "error"
            if _forbidden_read(el.get(_ERR) or "", msg):
                # the rule, not the document, is at fault: the sandbox kept it from a file
                sev = "warning"
                msg = msg.replace("dynamic error in rule", "could not run rule", 1)
                msg += " (Schematron rules may read only files in the schema's folder)"
                seen = unread.get((ref, msg))
                if seen is not None:  # once per rule and file, with the count of the others
                    seen[1] += 1
                    continue
                unread[(ref, msg)] = [len(out), 0]
        else:
            role = el.get("role") if el.get("role") is not None else (info.role if info else None)
            sev = severity(kind, role, report_default)
        loc = el.get("location")
        out.append(
            Finding(
                file=file,
                line=locate(tree, loc, children) if tree is not None else None,
                column=None,
                severity=sev,
                message=msg
                or f"{kind} {'failed' if kind == 'assert' else 'succeeded'}: {el.get('test')}",
                rule=ref,
                engine="schematron",
                xpath=pretty_path(loc, prefixes),
            )
        )
    for i, more in unread.values():
        if more:
            f = out[i]
            out[i] = dataclasses.replace(f, message=f"{f.message}; {more} more times in this file")
    return out
