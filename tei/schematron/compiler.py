"""Compile ISO Schematron (and Schematron 1.5) to one XSLT 3.0 stylesheet producing SVRL.

Design of the generated stylesheet (one pass over the document, whatever the number of
patterns):

* Every concrete rule of every active pattern becomes one template rule in the mode
  ``tsch:v``.  Priorities decrease in schema order, so for any node the template of the
  earliest matching rule runs first; it ends with ``xsl:next-match`` so that later rules
  (of other patterns) get their turn on the same node.
* First-match-per-pattern: in patterns with several rules, a rule that fires adds its pattern
  number to a tunnel parameter ``tsch:m``; later rules of the same pattern see it and only
  pass on.  The fallback templates (lowest priority) reset the parameter and recurse into
  the children and, if any rule can match them, attributes and text/comments/PIs.
* A run of two or more consecutive wildcard rules that each require an attribute
  (``tei:*[@when]``, ``*[starts-with(@spanTo, '#')]``) moves to a mode of its own, entered by
  one guard template (``*[@when | @spanTo]``) at the run's priority: elements without any of
  the attributes skip the whole run.  Order of firing, and so of the SVRL, is unchanged.
* Schema-, phase- and pattern-level ``let`` become global variables (evaluated on the
  document root); a pattern-level ``let`` whose name clashes with another global is instead
  evaluated inside each of its pattern's rules (from the root, ``/ ! (expr)``).  Rule-level
  ``let`` are local variables.
* ``queryBinding`` ``xslt`` (the default) and ``xpath`` run in XSLT 1.0 backwards-compatible
  mode (``version="1.0"`` on the generated templates): XPath 1.0 comparison and first-item
  rules apply, as in an XSLT 1.0 engine.  ``xslt2``/``xpath2``/``xslt3``/``xpath3``/
  ``xpath31`` run as XSLT 3.0.
* A dynamic error inside a rule is caught (``xsl:try``) and reported as a failed assertion
  carrying ``tsch:error``; it does not stop the validation.
* Each ``svrl:failed-assert``/``svrl:successful-report`` carries ``location`` (an XPath 3.0
  ``path()``, mapped back to a line number on the Python side) and ``tsch:ref``, a stable
  reference to the assertion (its ``@id``, or ``<pattern id>/<n>``).
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..ns import ERR_NS, SCH_NS, SVRL_NS, XS_NS, XSL_NS
from .errors import SchematronError, SchematronQueryBindingError, SchematronSchemaError
from .include import (
    SRC_FILE,
    SRC_LINE,
    LoadedSchema,
    is_ncname,
    is_qname,
    load_schema,
    q,
    where,
)
from .reads import TSCH, declarations, rewrite_reads

#: queryBinding value -> XPath major version used to run it
QUERY_BINDINGS: dict[str, int] = {
    "xslt": 1,
    "xpath": 1,
    "xslt2": 2,
    "xpath2": 2,
    "xslt3": 3,
    "xpath3": 3,
    "xpath31": 3,
}

#: attributes of xsl:* elements that hold an XPath expression (not a pattern, not a name)
_XSL_XPATH_ATTRS = frozenset({"select", "test", "use", "group-by", "group-adjacent", "value"})
_VAR_REF = re.compile(r"\$((?:[\w.\-]+:)?[\w.\-]+)")


def _attribute_text(*els: etree._Element) -> list[str]:
    """Every attribute value (and text) in the subtrees of ``els``: where ``$name`` can be."""
    out: list[str] = []
    for el in els:
        for e in el.iter():
            if isinstance(e.tag, str):
                out.extend(e.attrib.values())
                out.append(e.text or "")
    return out


_QUERY_ATTRS = ("context", "test", "select", "path", "value", "subject")
_MESSAGE_ATTRS = ("id", "role", "flag", "see", "icon", "fpi")


@dataclass(frozen=True)
class AssertionInfo:
    """What the compiler knows about one assert/report (looked up by its ``ref``)."""

    ref: str
    kind: str  # "assert" or "report"
    pattern: str
    context: str
    test: str
    id: str | None = None
    role: str | None = None
    flag: str | None = None
    file: str | None = None
    line: int | None = None


@dataclass
class CompiledSchema:
    """The XSLT text plus the metadata needed to turn SVRL into findings and errors."""

    xslt: str
    schema: str
    title: str | None
    phase: str
    query_binding: str
    patterns: list[str]
    assertions: dict[str, AssertionInfo] = field(default_factory=dict)
    expressions: dict[str, tuple[str | None, int | None, str]] = field(default_factory=dict)
    reads: bool = False  # it reads documents: run with a tei.schematron.reads.DocumentStore


@dataclass
class _Pattern:
    id: str
    name: str | None
    el: etree._Element
    lets: list[etree._Element]
    rules: list[etree._Element]
    explicit_id: bool = True


def _avt(s: str) -> str:
    """Escape a literal for use in an attribute value template."""
    return s.replace("{", "{{").replace("}", "}}")


def _free_prefix(base: str, uri: str, used: dict[str, str]) -> str:
    if used.get(base) in (None, uri):
        return base
    n = 1
    while f"{base}{n}" in used and used[f"{base}{n}"] != uri:
        n += 1
    return f"{base}{n}"


_STRIP_PRED = re.compile(r"\[[^\[\]]*\]")
_STRIP_STR = re.compile(r"\"[^\"]*\"|'[^']*'")
_ATTRIBUTE = re.compile(r"@|attribute\s*(::|\()|node\s*\(|\$|\.|[\w\-]\s*\(")
_OTHER_NODE = re.compile(
    r"text\s*\(|node\s*\(|comment\s*\(|processing-instruction|namespace|\$|\.|[\w\-]\s*\("
)


def _kind_tests_removed(context: str) -> str:
    s = _STRIP_STR.sub("''", context)
    prev = None
    while prev != s:  # strip (nested) predicates
        prev, s = s, _STRIP_PRED.sub("", s)
    return re.sub(r"(element|document-node|schema-element)\s*\(", "", s)


def _may_match_attributes(context: str) -> bool:
    """Conservative test: can this match pattern select attribute nodes?"""
    return bool(_ATTRIBUTE.search(_kind_tests_removed(context)))


def _may_match_other(context: str) -> bool:
    """Conservative test: can this match pattern select text, comments, PIs or namespaces?"""
    s = re.sub(r"(schema-attribute|attribute)\s*\(", "", _kind_tests_removed(context))
    return bool(_OTHER_NODE.search(s))


_NAME = r"(?:Q\{[^}]*\})?[\w.\-]+(?::[\w.\-]+)?"
_GUARD_PRED = re.compile(
    rf"\s*@(?P<a>{_NAME})\s*(?:\Z|and\s)"
    rf"|\s*starts-with\s*\(\s*@(?P<b>{_NAME})\s*,\s*(?:'[^']+'|\"[^\"]+\")\s*\)\s*\Z"
)


def _predicates(s: str) -> list[str] | None:
    """The top-level ``[...]`` predicates making up ``s``, or None if ``s`` is not just those."""
    out: list[str] = []
    depth, start, quote = 0, 0, ""
    for i, ch in enumerate(s):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            if depth == 0:
                if s[start:i].strip():
                    return None
                start = i + 1
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                out.append(s[start:i])
                start = i + 1
    if depth or quote or s[start:].strip():
        return None
    return out


def _attribute_guard(context: str) -> str | None:
    """An attribute every node matched by ``context`` must carry, for wildcard rules.

    Only for a single step ``*[...]`` / ``prefix:*[...]`` one of whose predicates is ``@a``,
    ``@a and ...`` or ``starts-with(@a, 'non-empty')``: such rules are tried on every element,
    and a guard on the attribute lets the stylesheet skip them on elements without it.
    """
    m = re.match(r"\s*(?:[\w.\-]+:)?\*(?=\s*\[)", context)
    if not m:
        return None
    preds = _predicates(context[m.end() :])
    for pred in preds or []:
        g = _GUARD_PRED.match(pred)
        # "@a and @b or @c" is "(@a and @b) or @c": any "or" and the conjunct proves nothing
        if g and not re.search(r"\bor\b", _STRIP_STR.sub("''", pred)):
            return g.group("a") or g.group("b")
    return None


class _Compiler:
    def __init__(self, loaded: LoadedSchema, phase: str | None) -> None:
        self.loaded = loaded
        self.root = loaded.root
        self.label = loaded.path
        self.req_phase = phase
        self.expressions: dict[str, tuple[str | None, int | None, str]] = {}
        self.assertions: dict[str, AssertionInfo] = {}
        self.reads = False  # some expression reads a document (see tei.schematron.reads)
        self.global_lets: dict[str, tuple[str, set[str]]] = {}  # name -> (holder, lets used)
        self.used_lets: set[str] = set()  # global lets some rule uses

    # -- errors ---------------------------------------------------------------------------
    def fail(self, msg: str, el: etree._Element | None = None) -> SchematronSchemaError:
        file, line = where(el) if el is not None else (None, None)
        return SchematronSchemaError(msg, path=file or self.label, line=line)

    def _src(self, el: etree._Element) -> str:
        file, line = where(el)
        return f"{file or self.label}:{line or 0}"

    def req(self, el: etree._Element, attr: str) -> str:
        """A required query attribute (:meth:`expr` raises when it is missing)."""
        val = self.expr(el, attr)
        assert val is not None
        return val

    def expr(self, el: etree._Element, attr: str, *, required: bool = True) -> str | None:
        """A query attribute, recorded so compile errors can be traced back to the schema."""
        val = el.get(attr)
        local = etree.QName(el).localname
        if val is None or not val.strip():
            if required:
                raise self.fail(f"<{local}> needs a non-empty @{attr}", el)
            return None
        file, line = where(el)
        self.expressions.setdefault(val, (file, line, f"{local}/@{attr}"))
        if attr != "context":  # a match pattern may start with doc(), never with ours
            val = self._reads(val, file)
            self.expressions.setdefault(val, (file, line, f"{local}/@{attr}"))
        return val

    def _reads(self, xpath: str, file: str | None) -> str:
        """``xpath`` reading files through :mod:`tei.schematron.reads` (relative to ``file``)."""
        if not file or not ("doc" in xpath or "document" in xpath):
            return xpath
        path = Path(file)
        if not path.is_file():
            return xpath
        out = rewrite_reads(xpath, path.resolve().as_uri())
        self.reads = self.reads or out != xpath
        return out

    # -- main -----------------------------------------------------------------------------
    def run(self) -> CompiledSchema:
        root = self.root
        qb = (root.get("queryBinding") or "xslt").strip()
        if qb.lower() not in QUERY_BINDINGS:
            raise SchematronQueryBindingError(
                f"unsupported queryBinding '{qb}' (supported: {', '.join(QUERY_BINDINGS)})",
                path=self.label,
            )
        self.qb = qb.lower()
        self.compat = QUERY_BINDINGS[self.qb] == 1
        for el in root.iter(f"{{{XSL_NS}}}result-document"):
            # validation writes no file: a schema named by a document must not either
            raise self.fail("xsl:result-document is not allowed in a schema (it writes files)", el)

        self._namespaces()
        self.diagnostics = self._by_id(root.findall(q("diagnostics") + "/" + q("diagnostic")))
        self.properties = self._by_id(root.findall(q("properties") + "/" + q("property")))
        all_patterns = self._patterns()
        phase_id, active, phase_el = self._phase(all_patterns)
        patterns = [p for p in all_patterns if p.id in active]

        x = self.x
        px = self.px
        nsmap = {**self.user_ns, **{px[k]: v for k, v in self.internal_ns.items()}}
        sheet = etree.Element(x("stylesheet"), nsmap=nsmap)
        sheet.set("version", "3.0")
        sheet.set("exclude-result-prefixes", "#all")
        self.sheet = sheet
        sheet.append(etree.Comment(f" generated by tei.schematron from {self.label} "))

        # xsl:import must come first
        xsl_top = [c for c in root if isinstance(c.tag, str) and c.tag.startswith(f"{{{XSL_NS}}}")]
        for c in sorted(xsl_top, key=lambda e: etree.QName(e).localname != "import"):
            sheet.append(self._copy_xsl(c))

        out = etree.SubElement(sheet, x("output"), method="xml", indent="no", encoding="UTF-8")
        del out
        etree.SubElement(
            sheet,
            x("param"),
            name=f"{px['tsch']}:fired",
            select="true()",
            **{"as": f"{px['xs']}:boolean"},
        )

        # global lets: schema, phase, then pattern level when names do not clash
        global_names: dict[str, str] = {}
        for let in root.findall(q("let")) + (
            phase_el.findall(q("let")) if phase_el is not None else []
        ):
            name = self._let_name(let)
            if name in global_names:
                raise self.fail(f"variable '{name}' is declared twice at schema/phase level", let)
            global_names[name] = "schema"
            self._global(let)
        local_pattern_lets: dict[str, list[etree._Element]] = {}
        counts: dict[str, int] = {}
        for p in patterns:
            for let in p.lets:
                n = self._let_name(let)
                counts[n] = counts.get(n, 0) + 1
        for p in patterns:
            for let in p.lets:
                n = self._let_name(let)
                if n in global_names or counts[n] > 1:
                    local_pattern_lets.setdefault(p.id, []).append(let)
                else:
                    self._global(let)

        # entry point: the SVRL envelope
        self._envelope(patterns, phase_id)

        # rule templates
        # first-match bookkeeping only where it matters; ISO 2020 <group> fires every rule
        multi = {p.id for p in patterns if len(p.rules) > 1 and p.el.tag != q("group")}
        self.tunnel = bool(multi)
        items = [
            (p, pnum, rnum, rule, self.req(rule, "context"))
            for pnum, p in enumerate(patterns, 1)
            for rnum, rule in enumerate(p.rules, 1)
        ]
        guards = [None if p.id in multi else _attribute_guard(ctx) for p, _, _, _, ctx in items]
        attributes = any(_may_match_attributes(it[4]) for it in items)
        others = any(_may_match_other(it[4]) for it in items)
        total = len(items)
        idx = 0
        n_guards = 0
        while idx < total:
            run = 1
            while guards[idx] and idx + run < total and guards[idx + run]:
                run += 1
            mode = None
            if guards[idx] and run >= 2:  # a guarded run of wildcard rules gets its own mode
                n_guards += 1
                mode = self._guard(n_guards, [g for g in guards[idx : idx + run] if g], total - idx)
            else:
                run = 1
            for k in range(idx, idx + run):
                p, pnum, rnum, rule, ctx = items[k]
                self._rule_template(
                    p,
                    pnum,
                    rnum,
                    rule,
                    ctx,
                    total - k,
                    p.id in multi,
                    local_pattern_lets.get(p.id, []),
                    mode,
                )
            idx += run
        self._fallback(attributes, others)
        if self.global_lets:
            f = etree.SubElement(sheet, x("function"), name=f"{px['tsch']}:check")
            f.set("as", "empty-sequence()")
            etree.SubElement(f, x("param"), name="holders")
            etree.SubElement(
                f,
                x("sequence"),
                select="for $h in $holders[. instance of map(*)][1] "
                "return error($h?code, $h?description)",
            )
        if self.used_lets:
            # a let that failed for another reason than a file it could not read is a fault of
            # the schema: the validation stops, with that error, as it always did
            holders = ", ".join(f"${self.global_lets[n][0]}" for n in sorted(self.used_lets))
            etree.SubElement(
                self.entry,
                x("sequence"),
                select=f"{px['tsch']}:check(({holders})[. instance of map(*)]"
                "[not(local-name-from-QName(?code) = ('FODC0002', 'FODC0005', 'need'))])",
            ).addprevious(etree.Comment(" lets that could not be computed "))
            self.entry.insert(0, self.entry[-1])
            self.entry.insert(0, self.entry[-1])
        if self.reads:  # the functions doc()/document() were rewritten into
            for decl in declarations():
                sheet.append(decl)

        text = etree.tostring(sheet, pretty_print=True, encoding="unicode")
        title_el = root.find(q("title"))
        return CompiledSchema(
            xslt='<?xml version="1.0" encoding="UTF-8"?>\n' + text,
            schema=self.label,
            title=" ".join("".join(title_el.itertext()).split()) if title_el is not None else None,
            phase=phase_id,
            query_binding=self.qb,
            patterns=[p.id for p in patterns],
            assertions=self.assertions,
            expressions=self.expressions,
            reads=self.reads,
        )

    # -- namespaces -----------------------------------------------------------------------
    def _namespaces(self) -> None:
        user: dict[str, str] = {}
        for ns in self.root.findall(q("ns")):
            prefix, uri = (ns.get("prefix") or "").strip(), ns.get("uri")
            if not is_ncname(prefix) or uri is None:
                raise self.fail("<ns> needs a valid @prefix and a @uri", ns)
            if prefix in ("xml", "xmlns"):
                continue
            if user.get(prefix, uri) != uri:
                raise self.fail(
                    f"prefix '{prefix}' is declared twice with different URIs "
                    f"('{user[prefix]}' and '{uri}')",
                    ns,
                )
            user[prefix] = uri
        # Lenient: prefixes declared on the schema element itself (common in 1.5 schemas).
        for prefix, uri in self.root.nsmap.items():
            if (
                prefix
                and prefix not in user
                and uri not in (SCH_NS, TSCH)
                and not uri.startswith("urn:x-tei-schematron")
            ):
                user[prefix] = uri
        self.declared_ns = [(ns.get("prefix"), ns.get("uri")) for ns in self.root.findall(q("ns"))]
        self.internal_ns = {
            "xsl": XSL_NS,
            "xs": XS_NS,
            "svrl": SVRL_NS,
            "tsch": TSCH,
            "err": ERR_NS,
        }
        used = dict(user)
        px: dict[str, str] = {}
        for base, uri in self.internal_ns.items():
            p = _free_prefix(base, uri, used)
            used[p] = uri
            px[base] = p
        # drop user prefixes that would shadow ours with a different URI (they were renamed)
        self.user_ns = {k: v for k, v in user.items() if k not in px.values() or used[k] == v}
        self.px = px

    def x(self, local: str) -> str:
        return f"{{{XSL_NS}}}{local}"

    def svrl(self, local: str) -> str:
        return f"{{{SVRL_NS}}}{local}"

    # -- lookups --------------------------------------------------------------------------
    def _by_id(self, els: list[etree._Element]) -> dict[str, etree._Element]:
        out: dict[str, etree._Element] = {}
        for el in els:
            i = el.get("id")
            if not i:
                raise self.fail(f"<{etree.QName(el).localname}> needs an @id", el)
            out.setdefault(i, el)
        return out

    def _patterns(self) -> list[_Pattern]:
        raw = [c for c in self.root if c.tag in (q("pattern"), q("group"))]
        for p in raw:
            if p.get("documents"):
                raise self.fail("pattern/@documents (subordinate documents) is not supported", p)
        abstract: dict[str, etree._Element] = {}
        for p in raw:
            if p.get("abstract") == "true":
                if not p.get("id"):
                    raise self.fail("abstract pattern needs an @id", p)
                abstract[p.get("id")] = p
        # abstract rules: schema-level <rules>, then any pattern (the same pattern wins)
        self.global_abstract_rules: dict[str, etree._Element] = {}
        for r in self.root.findall(q("rules") + "/" + q("rule")) + [
            r for p in raw for r in p.findall(q("rule"))
        ]:
            if r.get("abstract") == "true" and r.get("id"):
                self.global_abstract_rules.setdefault(r.get("id"), r)

        out: list[_Pattern] = []
        seen: set[str] = set()
        for n, p in enumerate(raw, 1):
            if p.get("abstract") == "true":
                continue
            pid = p.get("id") or f"pattern-{n}"
            if pid in seen:
                raise self.fail(f"duplicate pattern id '{pid}'", p)
            seen.add(pid)
            body = p
            if p.get("is-a"):
                base = abstract.get(p.get("is-a"))
                if base is None:
                    raise self.fail(f"is-a='{p.get('is-a')}' names no abstract pattern", p)
                if base.get("is-a"):
                    raise self.fail("an abstract pattern cannot itself use is-a", base)
                params: dict[str, str] = {}
                for prm in p.findall(q("param")):
                    name, value = prm.get("name"), prm.get("value")
                    if not name or value is None:
                        raise self.fail("<param> needs @name and @value", prm)
                    params[name] = value
                body = self._instantiate(base, params)
            title = p.find(q("title"))
            name = p.get("name") or (
                " ".join("".join(title.itertext()).split()) if title is not None else None
            )
            local_abstract = {
                r.get("id"): r
                for r in body.findall(q("rule"))
                if r.get("abstract") == "true" and r.get("id")
            }
            rules = []
            for r in body.findall(q("rule")):
                if r.get("abstract") == "true":
                    if r.get("context"):
                        raise self.fail("an abstract rule must not have @context", r)
                    continue
                if r.get("visit-each"):
                    raise self.fail("rule/@visit-each is not supported", r)
                rules.append(self._expand_rule(r, local_abstract))
            lets = body.findall(q("let")) + (p.findall(q("let")) if body is not p else [])
            out.append(_Pattern(pid, name, p, lets, rules, bool(p.get("id"))))
        return out

    def _instantiate(self, base: etree._Element, params: dict[str, str]) -> etree._Element:
        """Copy an abstract pattern, replacing ``$param`` in every query attribute."""
        inst = copy.deepcopy(base)
        if params:
            names = sorted(params, key=len, reverse=True)
            rx = re.compile(
                r"\$(" + "|".join(re.escape(n) for n in names) + r")(?![\w.\-]|:[A-Za-z_])"
            )
            for el in inst.iter(f"{{{SCH_NS}}}*"):
                for attr in _QUERY_ATTRS:
                    v = el.get(attr)
                    if v is not None and "$" in v:
                        el.set(attr, rx.sub(lambda m: params[m.group(1)], v))
        return inst

    def _expand_rule(
        self, rule: etree._Element, local_abstract: dict[str, etree._Element]
    ) -> etree._Element:
        """A copy of a rule with every ``extends/@rule`` replaced by the abstract rule's body."""
        rule = copy.deepcopy(rule)

        def expand(parent: etree._Element, stack: tuple[str, ...]) -> None:
            for ext in list(parent.findall(q("extends"))):
                rid = ext.get("rule")
                if not rid:
                    raise self.fail("<extends> needs @rule or @href", ext)
                if rid in stack:
                    raise self.fail(f"extends cycle through abstract rule '{rid}'", ext)
                target = local_abstract.get(rid)
                if target is None:
                    target = self.global_abstract_rules.get(rid)
                if target is None:
                    raise self.fail(f"extends rule='{rid}' names no abstract rule", ext)
                body = copy.deepcopy(target)
                expand(body, stack + (rid,))
                idx = parent.index(ext)
                parent.remove(ext)
                for off, c in enumerate(c for c in body if isinstance(c.tag, str)):
                    parent.insert(idx + off, c)

        expand(rule, ())
        return rule

    def _phase(self, patterns: list[_Pattern]) -> tuple[str, set[str], etree._Element | None]:
        phases = self._by_id(self.root.findall(q("phase")))
        req = self.req_phase
        if req is None or req == "#DEFAULT":
            req = self.root.get("defaultPhase") or "#ALL"
        if req == "#ALL":
            return "#ALL", {p.id for p in patterns}, None
        ph = phases.get(req)
        if ph is None:
            known = ", ".join(sorted(phases)) or "none"
            raise SchematronSchemaError(f"unknown phase '{req}' (phases: {known})", path=self.label)
        ids = {p.id for p in patterns}
        active: set[str] = set()
        for a in ph.findall(q("active")):
            pid = a.get("pattern")
            if pid not in ids:
                raise self.fail(f"phase '{req}' activates unknown pattern '{pid}'", a)
            active.add(pid)
        return req, active, ph

    # -- generation helpers ---------------------------------------------------------------
    def _copy_xsl(self, src: etree._Element) -> etree._Element:
        """Copy a top-level xsl:* element keeping every namespace in scope at its origin."""
        if etree.QName(src).localname in ("import", "include"):
            from .include import resolve_href

            href = src.get("href") or ""
            file, line = where(src)
            path = resolve_href(href, file or self.label, file or self.label, line)
            el = etree.Element(src.tag, nsmap=src.nsmap)
            el.set("href", path.resolve().as_uri())
            return el
        el = self._copy_content(src)
        el.tail = None
        el.set(f"{{{TSCH}}}src", self._src(src))
        return el

    def _global(self, let: etree._Element) -> None:
        """A global ``let`` whose failure stops only the rules that use it.

        Saxon cannot catch a dynamic error of a global variable: one ``let`` reading a file it
        may not (or dividing by zero) would stop the whole validation.  So the value is
        computed inside ``xsl:try`` into a holder (an array with the value, or a map with the
        error), the variable itself reads the holder, and every rule that uses the variable
        (directly or through other lets) first raises the recorded error again inside its own
        ``xsl:try`` (``tsch:check``): that rule is reported as one that could not run.
        """
        x, px = self.x, self.px
        tsch, err = px["tsch"], px["err"]
        name = self._let_name(let)
        holder = f"{tsch}:let{len(self.global_lets) + 1}"
        inner = self._variable(let)
        inner.set("name", f"{tsch}:value")
        h = etree.SubElement(self.sheet, x("variable"), name=holder)
        h.set("as", "item()")  # the array or the map itself, not a tree holding it
        tr = etree.SubElement(h, x("try"))
        tr.append(inner)
        etree.SubElement(tr, x("sequence"), select=f"[${tsch}:value]")
        etree.SubElement(
            tr,
            x("catch"),
            select=f"map{{'code': ${err}:code, 'description': 'let ${name}: ' || "
            f"${err}:description}}",
        )
        etree.SubElement(
            self.sheet,
            x("variable"),
            name=name,
            select=f"if (${holder} instance of array(*)) then ${holder}?* else ()",
        )
        uses = set(_VAR_REF.findall(" ".join(_attribute_text(let))))
        self.global_lets[name] = (holder, uses)

    def _check_lets(self, rule: etree._Element, pattern_lets: list[etree._Element]) -> str | None:
        """``tsch:check(...)`` of the holders of every global let the rule uses, if any."""
        todo = set(_VAR_REF.findall(" ".join(_attribute_text(rule, *pattern_lets))))
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen or name not in self.global_lets:
                continue
            seen.add(name)
            todo |= self.global_lets[name][1]
        if not seen:
            return None
        self.used_lets |= seen
        holders = ", ".join(f"${self.global_lets[n][0]}" for n in sorted(seen))
        return f"{self.px['tsch']}:check(({holders}))"

    def _let_name(self, let: etree._Element) -> str:
        name = (let.get("name") or "").strip()
        if not is_qname(name):
            raise self.fail(f"<let> needs a valid @name (got '{name}')", let)
        return name

    def _variable(self, let: etree._Element, *, from_root: bool = False) -> etree._Element:
        name = self._let_name(let)
        v = etree.Element(self.x("variable"), name=name)
        if self.compat:
            v.set("version", "1.0")
        v.set(f"{{{TSCH}}}src", self._src(let))
        if let.get("as"):
            v.set("as", let.get("as"))
        if let.get("value") is not None:
            expr = self.expr(let, "value")
            v.set("select", f"(/) ! ({expr})" if from_root else expr)
        else:
            content = [c for c in let if isinstance(c.tag, str)]
            if not content and not (let.text or "").strip():
                raise self.fail(f"<let name='{name}'> needs @value or content", let)
            if from_root:
                fe = etree.SubElement(v, self.x("for-each"), select="/")
                holder = fe
            else:
                holder = v
            holder.text = let.text
            for c in content:
                holder.append(self._copy_content(c))
        return v

    def _copy_content(self, src: etree._Element) -> etree._Element:
        el = etree.Element(src.tag, nsmap=src.nsmap)
        xsl = src.tag.startswith(f"{{{XSL_NS}}}")
        for k, val in src.attrib.items():
            if k not in (SRC_FILE, SRC_LINE):
                if xsl and k in _XSL_XPATH_ATTRS:
                    val = self._reads(val, where(src)[0])
                el.set(k, val)
        el.text = src.text
        for c in src:
            el.append(self._copy_content(c) if isinstance(c.tag, str) else copy.copy(c))
        el.tail = src.tail
        return el

    def _envelope(self, patterns: list[_Pattern], phase_id: str) -> None:
        x, s, px = self.x, self.svrl, self.px
        t = etree.SubElement(self.sheet, x("template"), match="/")
        self.entry = t
        out = etree.SubElement(t, s("schematron-output"))
        title = self.root.find(q("title"))
        if title is not None:
            out.set("title", _avt(" ".join("".join(title.itertext()).split())))
        if self.root.get("schemaVersion"):
            out.set("schemaVersion", _avt(self.root.get("schemaVersion")))
        out.set("phase", _avt(phase_id))
        for prefix, uri in self.declared_ns:
            etree.SubElement(
                out, s("ns-prefix-in-attribute-values"), prefix=_avt(prefix), uri=_avt(uri)
            )
        for p in patterns:
            ap = etree.SubElement(out, s("active-pattern"))
            if p.explicit_id:  # generated ids ("pattern-N") are for findings only
                ap.set("id", _avt(p.id))
            if p.name:
                ap.set("name", _avt(p.name))
        etree.SubElement(out, x("apply-templates"), select=".", mode=f"{px['tsch']}:v")

    def _guard(self, n: int, attributes: list[str], priority: int) -> str:
        """A mode for a run of attribute-guarded wildcard rules, entered only when it can match.

        Wildcard rules such as ``tei:*[@when]`` are tried on every element; one guard template
        at the run's priority enters the run's own mode only for elements carrying one of the
        attributes, then passes on (``xsl:next-match``) as the rules themselves would.  Rule
        order, and so the order of the SVRL, is unchanged.
        """
        x, px = self.x, self.px
        mode = f"{px['tsch']}:g{n}"
        etree.SubElement(self.sheet, x("mode"), name=mode, **{"on-no-match": "deep-skip"})
        t = etree.SubElement(
            self.sheet,
            x("template"),
            match="*[" + " | ".join(f"@{a}" for a in dict.fromkeys(attributes)) + "]",
            mode=f"{px['tsch']}:v",
            priority=str(priority),
        )
        etree.SubElement(t, x("apply-templates"), select=".", mode=mode)
        etree.SubElement(t, x("next-match"))
        return mode

    def _fallback(self, attributes: bool, others: bool) -> None:
        x, px = self.x, self.px
        mode = f"{px['tsch']}:v"
        t = etree.SubElement(
            self.sheet,
            x("template"),
            match="document-node() | element()",
            mode=mode,
            priority="-1",
        )
        sel = " | ".join((["@*"] if attributes else []) + (["node()"] if others else ["*"]))
        at = etree.SubElement(t, x("apply-templates"), select=sel, mode=mode)
        if self.tunnel:
            etree.SubElement(at, x("with-param"), name=f"{px['tsch']}:m", tunnel="yes", select="()")
        if attributes or others:
            etree.SubElement(
                self.sheet,
                x("template"),
                match="attribute() | text() | comment() | processing-instruction()",
                mode=mode,
                priority="-1",
            )

    def _rule_template(
        self,
        p: _Pattern,
        pnum: int,
        rnum: int,
        rule: etree._Element,
        ctx: str,
        priority: int,
        multi: bool,
        pattern_lets: list[etree._Element],
        mode: str | None = None,
    ) -> None:
        x, s, px = self.x, self.svrl, self.px
        tsch = px["tsch"]
        t = etree.SubElement(
            self.sheet,
            x("template"),
            match=ctx,
            mode=mode or f"{tsch}:v",
            priority=str(priority),
        )
        t.set(f"{{{TSCH}}}src", self._src(rule))
        if self.compat:
            t.set("version", "1.0")
        next_match = etree.Element(x("next-match"))
        if multi:
            etree.SubElement(
                t,
                x("param"),
                name=f"{tsch}:m",
                tunnel="yes",
                select="()",
                **{"as": f"{px['xs']}:integer*"},
            )
            ch = etree.SubElement(t, x("choose"))
            w = etree.SubElement(ch, x("when"), test=f"${tsch}:m = {pnum}")
            etree.SubElement(w, x("next-match"))
            body = etree.SubElement(ch, x("otherwise"))
            etree.SubElement(
                next_match,
                x("with-param"),
                name=f"{tsch}:m",
                tunnel="yes",
                select=f"(${tsch}:m, {pnum})",
            )
        else:
            body = t
        tr = etree.SubElement(body, x("try"))
        check = self._check_lets(rule, pattern_lets)
        if check:  # a let this rule uses could not be computed: the rule cannot run
            etree.SubElement(tr, x("sequence"), select=check, version="3.0")
        fired = etree.SubElement(tr, x("if"), test=f"${tsch}:fired")
        fr = etree.SubElement(fired, s("fired-rule"), context=_avt(ctx))
        for a in ("id", "role", "flag"):
            if rule.get(a):
                fr.set(a, _avt(rule.get(a)))
        for let in pattern_lets:
            tr.append(self._variable(let, from_root=True))
        n_assert = 0
        for item in rule:
            if not isinstance(item.tag, str):
                continue
            local = etree.QName(item).localname if item.tag.startswith(f"{{{SCH_NS}}}") else None
            if local == "let":
                tr.append(self._variable(item))
            elif local in ("assert", "report"):
                n_assert += 1
                self._assertion(tr, p, rnum, n_assert, rule, ctx, item, local)
            elif local in ("title", "p") or local is None:
                continue
            else:
                raise self.fail(f"unexpected <{local}> in a rule", item)
        catch = etree.SubElement(tr, x("catch"))
        fa = etree.SubElement(
            catch,
            s("failed-assert"),
            test="",
            role="error",
        )
        fa.set(f"{{{TSCH}}}ref", _avt(f"{p.id}/error"))
        fa.set(f"{{{TSCH}}}error", "{$" + px["err"] + ":code}")
        etree.SubElement(fa, x("attribute"), name="location", select="path(.)")
        txt = etree.SubElement(fa, s("text"))
        lead = etree.SubElement(txt, x("text"))
        lead.text = f"dynamic error in rule '{ctx}' of pattern '{p.id}': "
        etree.SubElement(
            txt,
            x("value-of"),
            select=f"concat(string(${px['err']}:code), ' ', ${px['err']}:description)",
        )
        body.append(next_match)

    def _assertion(
        self,
        parent: etree._Element,
        p: _Pattern,
        rnum: int,
        n: int,
        rule: etree._Element,
        ctx: str,
        el: etree._Element,
        kind: str,
    ) -> None:
        x, s = self.x, self.svrl
        test = self.req(el, "test")
        ref = el.get("id") or f"{p.id}/{rnum}.{n}"
        file, line = where(el)
        self.assertions[ref] = AssertionInfo(
            ref=ref,
            kind=kind,
            pattern=p.id,
            context=ctx,
            test=test,
            id=el.get("id"),
            role=el.get("role"),
            flag=el.get("flag"),
            file=file,
            line=line,
        )
        if kind == "assert":
            ch = etree.SubElement(parent, x("choose"))
            etree.SubElement(ch, x("when"), test=test)
            holder = etree.SubElement(ch, x("otherwise"))
            out = etree.SubElement(holder, s("failed-assert"), test=_avt(test))
        else:
            holder = etree.SubElement(parent, x("if"), test=test)
            out = etree.SubElement(holder, s("successful-report"), test=_avt(test))
        (ch if kind == "assert" else holder).set(f"{{{TSCH}}}src", self._src(el))
        for a in _MESSAGE_ATTRS:
            if el.get(a) is not None:
                out.set(a, _avt(el.get(a)))
        out.set(f"{{{TSCH}}}ref", _avt(ref))
        subject = self.expr(el, "subject", required=False) or self.expr(
            rule, "subject", required=False
        )
        etree.SubElement(
            out,
            x("attribute"),
            name="location",
            select=f"path(({subject})[1])" if subject else "path(.)",
        )
        for did in (el.get("diagnostics") or "").split():
            d = self.diagnostics.get(did)
            if d is None:
                raise self.fail(f"diagnostics='{did}' names no <diagnostic>", el)
            dr = etree.SubElement(out, s("diagnostic-reference"), diagnostic=_avt(did))
            self._message(etree.SubElement(dr, s("text")), d)
        for pid in (el.get("properties") or "").split():
            pr = self.properties.get(pid)
            if pr is None:
                raise self.fail(f"properties='{pid}' names no <property>", el)
            ref_el = etree.SubElement(out, s("property-reference"), property=_avt(pid))
            for a in ("role", "scheme"):
                if pr.get(a):
                    ref_el.set(a, _avt(pr.get(a)))
            self._message(etree.SubElement(ref_el, s("text")), pr)
        self._message(etree.SubElement(out, s("text")), el)

    def _text(self, parent: etree._Element, text: str | None) -> None:
        if text:
            t = etree.SubElement(parent, self.x("text"))
            t.text = text

    def _message(self, parent: etree._Element, el: etree._Element) -> None:
        """Message content: text, value-of, name; emph/dir/span and foreign markup as text."""
        x = self.x
        self._text(parent, el.text)
        for c in el:
            if isinstance(c.tag, str):
                local = etree.QName(c).localname if c.tag.startswith(f"{{{SCH_NS}}}") else None
                if local == "value-of":
                    sel = self.expr(c, "select")
                    etree.SubElement(parent, x("value-of"), select=sel)
                elif local == "name":
                    path = self.expr(c, "path", required=False)
                    etree.SubElement(
                        parent,
                        x("value-of"),
                        select=f"name(({path})[1])" if path else "name(.)",
                    )
                else:
                    self._message(parent, c)
            self._text(parent, c.tail)


def compile_schema(
    source: str | os.PathLike[str] | etree._ElementTree | etree._Element,
    phase: str | None = None,
) -> CompiledSchema:
    """Load, resolve and compile a schema; return the XSLT and its metadata."""
    loaded = load_schema(source)
    try:
        return _Compiler(loaded, phase).run()
    except SchematronError:
        raise
    except (ValueError, TypeError) as exc:  # e.g. lxml refusing an invalid name
        raise SchematronSchemaError(f"cannot compile: {exc}", path=loaded.path) from None


def compile_schematron(
    path: str | os.PathLike[str] | etree._ElementTree | etree._Element,
    phase: str | None = None,
) -> str:
    """Compile a Schematron schema (file path or lxml tree) to XSLT 3.0 text producing SVRL.

    ``phase``: ``None`` or ``"#DEFAULT"`` uses ``@defaultPhase`` (else ``#ALL``).
    """
    return compile_schema(path, phase).xslt
