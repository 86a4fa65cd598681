"""A light RELAX NG model that explains libxml2's verdicts in jing's words.

libxml2 decides validity (fast, in C); when it says *invalid*, this module re-checks the
document with Brzozowski derivatives over the schema's patterns, like jing does, to say which
element or attribute is wrong and what was expected instead.  Attribute values are checked by
libxml2 itself through tiny per-attribute schemas, so datatype verdicts are exact.  Character
content of data-typed elements is accepted leniently (the libxml2 message is kept for those).
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import hashlib
import marshal
import os
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ...errors import TeiError
from ...ns import RNG_NS, XML_NS
from ...xmlsafe import parse_bytes, parse_file
from .load import local_href

_R = f"{{{RNG_NS}}}"

# --------------------------------------------------------------------------- name classes


class NameClass:
    """Base of RELAX NG name classes."""

    def matches(self, ns: str, local: str) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def names(self) -> Iterator[tuple[str, str]]:
        """The simple names this class lists (wildcards list nothing)."""
        return iter(())

    @property
    def wildcard(self) -> bool:
        return False


@dataclass(frozen=True, eq=False)
class Name(NameClass):
    ns: str
    local: str

    def matches(self, ns: str, local: str) -> bool:
        return ns == self.ns and local == self.local

    def names(self) -> Iterator[tuple[str, str]]:
        yield (self.ns, self.local)


@dataclass(frozen=True, eq=False)
class AnyName(NameClass):
    ns: str | None = None  # nsName when set
    exc: NameClass | None = None

    def matches(self, ns: str, local: str) -> bool:
        if self.ns is not None and ns != self.ns:
            return False
        return not (self.exc and self.exc.matches(ns, local))

    @property
    def wildcard(self) -> bool:
        return True


@dataclass(frozen=True, eq=False)
class NcChoice(NameClass):
    a: NameClass
    b: NameClass

    def matches(self, ns: str, local: str) -> bool:
        return self.a.matches(ns, local) or self.b.matches(ns, local)

    def names(self) -> Iterator[tuple[str, str]]:
        yield from self.a.names()
        yield from self.b.names()

    @property
    def wildcard(self) -> bool:
        return self.a.wildcard or self.b.wildcard


# --------------------------------------------------------------------------- patterns

EMPTY, NOTALLOWED, TEXT, DATA, ELEM, ATTR, CHOICE, GROUP, INTERLEAVE, ONEORMORE = range(10)

MEMO_MAX = 200_000  # entries of a memo keyed by names from the documents (then cleared)

# The memo tables saved with a model (what the diagnosis learnt, so that the next process
# does not learn it again), at most SAVED_MEMO_MAX entries each (SAVED_MESSAGES_MAX for the
# messages), the first ones learnt: the saved file stays small whatever a corpus holds.
# The derivative tables behind them (_memo_d, _memo_a: ~70,000 entries after 2,000 files;
# _memo_first and _memo_fattr: ~1 MB of pattern sets) are left to be learnt again: reading
# them back would cost more than it saves on a small batch.
_SAVED_MEMOS = (
    "step_memo",
    "_memo_astep",
    "_memo_end",
    "_memo_ign",
    "_memo_req",
    "_memo_text",
    "_memo_spec",
    "_memo_cdefs",
    "_memo_content",
    "diag_memo",
)
SAVED_MEMO_MAX = 10_000
SAVED_MESSAGES_MAX = 2_000  # diag_memo: worded messages, up to ~1.5 KB each


def _saved_limit(name: str) -> int:
    return SAVED_MESSAGES_MAX if name == "diag_memo" else SAVED_MEMO_MAX


_MISSING = object()


def bounded_memo(memo: dict, key: Hashable, make: Callable[..., Any], *args: Any) -> Any:
    """``memo[key]``, made by ``make(*args)`` on a miss; a memo keyed by names taken from the
    documents is emptied when it reaches :data:`MEMO_MAX` entries (memory stays bounded)."""
    hit = memo.get(key, _MISSING)
    if hit is _MISSING:
        if len(memo) >= MEMO_MAX:
            memo.clear()
        hit = memo[key] = make(*args)
    return hit


def split_clark(name: str) -> tuple[str, str]:
    """``("ns", "local")`` of a Clark name, as ``etree.QName`` splits it (at the first "}")."""
    if name[:1] == "{":
        i = name.find("}")
        if i > 0:
            return name[1:i], name[i + 1 :]
    return "", name


class P:
    """An interned pattern node; identity is equality."""

    __slots__ = ("kind", "a", "b", "nullable")

    def __init__(self, kind: int, a: Any = None, b: Any = None, nullable: bool = False):
        self.kind = kind
        self.a = a
        self.b = b
        self.nullable = nullable


class ElementDef:
    """One ``<element>`` pattern of the schema; its content is built on first use."""

    __slots__ = ("nc", "node", "grammar", "model", "_content", "uid")

    def __init__(
        self,
        nc: NameClass,
        node: etree._Element | None,
        grammar: _Grammar | None,
        model: RngModel,
        uid: int | None = None,
    ):
        self.nc = nc
        self.node = node  # None for a model read back (its content is set then)
        self.grammar = grammar
        self.model = model
        self._content: P | None = None
        self.uid = len(model.element_defs) if uid is None else uid

    @property
    def content(self) -> P:
        if self._content is None:
            assert self.node is not None and self.grammar is not None
            self._content = self.model.NOTALLOWED  # guards against pathological recursion
            self._content = self.model._group_of(self.node, self.grammar, skip_nameclass=True)
        return self._content


class AttrSpec:
    """The value pattern of one ``<attribute>``: XML for libxml2, plus a description."""

    __slots__ = ("_xml", "_saved", "_schema", "_memo")

    def __init__(self, xml: etree._Element | None, saved: bytes | None = None):
        self._xml = xml  # inlined value pattern (refs expanded), or None for text
        self._saved = saved  # the same, serialised (a model read from the cache)
        self._schema: etree.RelaxNG | None = None
        self._memo: dict[str, bool] = {}

    @property
    def xml(self) -> etree._Element | None:
        if self._xml is None and self._saved is not None:
            self._xml = parse_bytes(self._saved, path="<attribute value pattern>").getroot()
        return self._xml

    def saved(self) -> bytes | None:
        """The value pattern serialised (``None``: any text)."""
        if self._saved is None and self._xml is not None:
            self._saved = etree.tostring(self._xml)
        return self._saved

    @property
    def any_value(self) -> bool:
        """Whether every value is accepted (``<text/>``): :meth:`accepts` says yes."""
        return self._xml is None and self._saved is None

    def accepts(self, value: str) -> bool:
        if self.xml is None:
            return True
        hit = self._memo.get(value)
        if hit is not None:
            return hit
        if self._schema is None:
            el = etree.Element(_R + "element", name="v", nsmap={None: RNG_NS})
            att = etree.SubElement(el, _R + "attribute", name="a")
            att.append(copy.deepcopy(self.xml))
            try:
                self._schema = etree.RelaxNG(el)
            except etree.RelaxNGParseError:
                self._memo[value] = True
                return True
        probe = etree.Element("v")
        try:
            probe.set("a", value)
            ok = bool(self._schema.validate(probe))
        except ValueError:  # characters that XML cannot hold
            ok = False
        self._memo[value] = ok
        return ok

    def describe(self, value: str | None = None) -> str:
        """What the value must be; for a list that refuses ``value``, which token and why."""
        if self.xml is None:
            return ""
        if value is not None and (told := _list_failure(self.xml, value)):
            return told
        return or_list(list(dict.fromkeys(_describe(self.xml))))


def _list_failure(node: etree._Element, value: str) -> str | None:
    """jing's words for a list value: "missing token; must be X" when it holds no token,
    'token "t" invalid; must be X' for the first token its item pattern refuses."""
    if etree.QName(node).localname != "list" or len(node) != 1:
        return None
    item = node[0]
    if etree.QName(item).localname != "oneOrMore" or len(item) != 1:
        return None
    item = item[0]
    tokens = value.split()
    if not tokens:
        return "missing token; " + or_list(list(dict.fromkeys(_describe(item))))
    spec = AttrSpec(item)
    bad = next((t for t in tokens if not spec.accepts(t)), None)
    if bad is None:
        return None
    why = list(dict.fromkeys(_describe(item)))
    if etree.QName(item).localname == "data" and any(
        etree.QName(c).localname == "param" for c in item
    ):
        bare = copy.deepcopy(item)
        for c in list(bare):
            bare.remove(c)
        if not AttrSpec(bare).accepts(bad):  # not even of the type: its facets do not matter
            why = _describe(bare)
    return f'token "{bad}" invalid; ' + or_list(why)


_LEXICAL = {
    "string": "a string",
    "normalizedString": "a string",
    "token": "a string",
    "anyURI": "a URI",
    "boolean": "a boolean",
    "decimal": "a decimal number",
    "float": "a floating-point number",
    "double": "a floating-point number",
    "duration": "a duration",
    "hexBinary": "a hexadecimal string",
    "base64Binary": "a base64 string",
    "integer": "an integer",
    "long": "an integer",
    "int": "an integer",
    "short": "an integer",
    "byte": "an integer",
    "nonPositiveInteger": "an integer less than or equal to 0",
    "negativeInteger": "an integer less than or equal to -1",
    "nonNegativeInteger": "an integer greater than or equal to 0",
    "positiveInteger": "an integer greater than or equal to 1",
    "unsignedLong": "an integer greater than or equal to 0",
    "unsignedInt": "an integer greater than or equal to 0",
    "Name": "an XML name",
    "NCName": "an XML name without colons",
    "ID": "an XML name without colons",
    "IDREF": "an XML name without colons",
    "ENTITY": "an XML name without colons",
    "NMTOKEN": "an XML NMTOKEN",
    "QName": "an XML QName",
    "IDREFS": "a list of XML names without colons",
    "ENTITIES": "a list of XML names without colons",
    "NMTOKENS": "a list of XML NMTOKENs",
    "dateTime": "an ISO date and time",
    "time": "an ISO time",
    "date": "an ISO date",
    "gYearMonth": "an ISO year and month",
    "gYear": "a year",
    "gMonthDay": "an ISO month and day (of the form --MM-DD)",
    "gMonth": "an ISO month (of the form --MM)",
    "gDay": "an ISO day of the month (of the form ---DD)",
    "language": "an RFC 3066 language identifier",
}


def _describe(node: etree._Element) -> list[str]:
    """jing-style "must be ..." phrases for an inlined value pattern."""
    tag = etree.QName(node).localname
    if tag == "choice":
        out: list[str] = []
        values: list[str] = []
        for child in node:
            if etree.QName(child).localname == "value":
                values.append(f'"{child.text or ""}"')
            else:
                out.extend(_describe(child))
        if values:  # jing lists the values sorted, not in schema order
            out.append("must be equal to " + or_list(sorted(values)))
        return out
    if tag == "value":
        return [f'must be equal to "{node.text or ""}"']
    if tag == "data":
        lex = _LEXICAL.get(node.get("type", ""), f'a valid "{node.get("type")}"')
        pats = [
            p.text or ""
            for p in node
            if etree.QName(p).localname == "param" and p.get("name") == "pattern"
        ]
        if pats:
            return [f'must be {lex} matching the regular expression "{pats[0]}"']
        return [f"must be {lex}"]
    if tag == "list":
        inner = [d.removeprefix("must be ") for c in node for d in _describe(c)]
        return ["must be a whitespace-separated list of " + or_list(inner)] if inner else []
    if tag in ("group", "oneOrMore", "zeroOrMore", "optional"):
        return [d for c in node for d in _describe(c)]
    return []


def or_list(items: list[str], word: str = "or") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# --------------------------------------------------------------------------- grammar loading


class _Grammar:
    __slots__ = ("defines", "start", "parent", "built", "building")

    def __init__(self, parent: _Grammar | None):
        self.defines: dict[str, list[tuple[etree._Element, str | None]]] = {}
        self.start: list[tuple[etree._Element, str | None]] = []
        self.parent = parent
        self.built: dict[str, P] = {}
        self.building: set[str] = set()


def _inherited(node: etree._Element, attr: str, default: str = "") -> str:
    el: etree._Element | None = node
    while el is not None:
        if not isinstance(el.tag, str):
            el = el.getparent()
            continue
        v = el.get(attr)
        if v is not None and el.tag.startswith(_R):
            return v
        el = el.getparent()
    return default


def _rng_children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]


def _local(node: etree._Element) -> str:
    return node.tag[len(_R) :]


class RngModel:
    """The patterns of one RELAX NG schema, with derivative-based diagnosis."""

    def __init__(self, path: str | Path, state: dict | None = None):
        self.path = Path(path)
        self._intern: dict[tuple, P] = {}
        self.EMPTY = P(EMPTY, nullable=True)
        self.NOTALLOWED = P(NOTALLOWED)
        self.TEXT = P(TEXT, nullable=True)
        self.DATA = P(DATA, nullable=True)
        self.element_defs: list[ElementDef] = []
        self.by_name: dict[tuple[str, str], list[ElementDef]] = {}
        self.wild_defs: list[ElementDef] = []
        self._memo_d: dict[tuple, P] = {}
        self._memo_a: dict[tuple, P] = {}
        self._memo_end: dict[P, P] = {}
        self._memo_ign: dict[P, P] = {}
        self._memo_first: dict[P, frozenset[P]] = {}
        self._memo_fattr: dict[P, frozenset[P]] = {}
        self._memo_text: dict[P, bool] = {}
        self._memo_spec: dict[tuple, list[P]] = {}
        self._memo_cdefs: dict[tuple, list[ElementDef]] = {}
        self._memo_req: dict[P, frozenset[tuple[str, str]]] = {}
        # step()'s answers, read directly by the diagnoser's inner loop before it calls step()
        self.step_memo: dict[tuple[P, str], tuple[P, tuple, list[ElementDef] | None]] = {}
        self._memo_astep: dict[
            tuple[P, str], tuple[str, str, list[P], P, tuple[AttrSpec, ...]]
        ] = {}
        self._memo_content: dict[tuple[ElementDef, ...], P] = {}
        self.diag_memo: dict[tuple, Any] = {}  # the diagnoser's messages (rng.diagnose)
        self._loaded: set[Path] = set()
        if state is not None:
            self._restore(state)
            return
        root_grammar = _Grammar(None)
        doc = self._load(self.path)
        top = doc.getroot()
        if top.tag == _R + "grammar":
            self._collect(top, root_grammar, self.path)
            self.start = self._start_of(root_grammar)
        else:
            self.start = self._pattern(top, root_grammar)
        self._force_all()

    # -- loading

    def _load(self, path: Path) -> etree._ElementTree:
        self._loaded.add(Path(path).resolve())
        try:
            return parse_file(path)
        except TeiError as exc:
            raise TeiError(f"cannot read schema: {exc}") from None

    def _collect(self, grammar_el: etree._Element, g: _Grammar, base: Path) -> None:
        for c in _rng_children(grammar_el):
            name = _local(c)
            if name == "define":
                g.defines.setdefault(c.get("name", ""), []).append((c, c.get("combine")))
            elif name == "start":
                g.start.append((c, c.get("combine")))
            elif name == "div":
                self._collect(c, g, base)
            elif name == "include":
                self._include(c, g, base)

    def _include(self, inc: etree._Element, g: _Grammar, base: Path) -> None:
        target = local_href(inc.get("href", ""), base)
        sub = _Grammar(g.parent)
        doc = self._load(target)
        self._collect(doc.getroot(), sub, target)
        overridden = {c.get("name") for c in inc.iter(_R + "define")}
        has_start = any(True for _ in inc.iter(_R + "start"))
        for name, defs in sub.defines.items():
            if name not in overridden:
                g.defines.setdefault(name, []).extend(defs)
        if not has_start:
            g.start.extend(sub.start)
        self._collect(inc, g, base)

    def _start_of(self, g: _Grammar) -> P:
        return self._combine(g.start, g)

    def _combine(self, parts: list[tuple[etree._Element, str | None]], g: _Grammar) -> P:
        if not parts:
            return self.NOTALLOWED
        pats = [self._group_of(el, g) for el, _ in parts]
        if any(comb == "interleave" for _, comb in parts):
            out = pats[0]
            for p in pats[1:]:
                out = self.interleave(out, p)
            return out
        return self.choice(pats)

    def _ref(self, name: str, g: _Grammar) -> P:
        hit = g.built.get(name)
        if hit is not None:
            return hit
        if name in g.building or name not in g.defines:
            return self.NOTALLOWED
        g.building.add(name)
        p = self._combine(g.defines[name], g)
        g.building.discard(name)
        g.built[name] = p
        return p

    def _group_of(self, node: etree._Element, g: _Grammar, skip_nameclass: bool = False) -> P:
        kids = _rng_children(node)
        if skip_nameclass and node.get("name") is None and kids:
            kids = kids[1:]
        out = self.EMPTY
        for k in kids:
            out = self.group(out, self._pattern(k, g))
        return out

    def _pattern(self, n: etree._Element, g: _Grammar) -> P:
        t = _local(n)
        if t == "element":
            edef = ElementDef(self._nameclass_of(n, attribute=False), n, g, self)
            self.element_defs.append(edef)
            names = list(edef.nc.names())
            for key in names:
                self.by_name.setdefault(key, []).append(edef)
            if edef.nc.wildcard:
                self.wild_defs.append(edef)
            return self._mk(ELEM, edef.nc, edef)
        if t == "attribute":
            kids = _rng_children(n)
            value = kids[0 if n.get("name") is not None else 1 :]
            spec = AttrSpec(
                self._inline(value[0], g) if value and _local(value[0]) != "text" else None
            )
            return self._mk(ATTR, self._nameclass_of(n, attribute=True), spec)
        if t in ("group", "define", "start"):
            return self._group_of(n, g)
        if t == "choice":
            return self.choice(self._pattern(k, g) for k in _rng_children(n))
        if t == "interleave":
            out = self.EMPTY
            for k in _rng_children(n):
                out = self.interleave(out, self._pattern(k, g))
            return out
        if t == "optional":
            return self.choice([self._group_of(n, g), self.EMPTY])
        if t == "zeroOrMore":
            return self.choice([self.one_or_more(self._group_of(n, g)), self.EMPTY])
        if t == "oneOrMore":
            return self.one_or_more(self._group_of(n, g))
        if t == "mixed":
            return self.interleave(self._group_of(n, g), self.TEXT)
        if t == "text":
            return self.TEXT
        if t in ("data", "value", "list"):
            return self.DATA
        if t == "empty":
            return self.EMPTY
        if t == "ref":
            return self._ref(n.get("name", ""), g)
        if t == "parentRef":
            return self._ref(n.get("name", ""), g.parent) if g.parent else self.NOTALLOWED
        if t == "grammar":
            sub = _Grammar(g)
            self._collect(n, sub, self.path)
            return self._start_of(sub)
        if t == "externalRef":
            target = local_href(n.get("href", ""), self.path)
            root = self._load(target).getroot()
            if root.tag == _R + "grammar":
                sub = _Grammar(None)
                self._collect(root, sub, target)
                return self._start_of(sub)
            return self._pattern(root, _Grammar(None))
        return self.NOTALLOWED

    def _nameclass_of(self, n: etree._Element, *, attribute: bool) -> NameClass:
        name = n.get("name")
        if name is not None:
            if ":" in name:
                prefix, local = name.split(":", 1)
                ns = XML_NS if prefix == "xml" else (n.nsmap.get(prefix) or "")
                return Name(ns, local)
            ns = (n.get("ns") or "") if attribute else _inherited(n, "ns")
            return Name(ns, name)
        kids = _rng_children(n)
        return self._nc(kids[0]) if kids else AnyName()

    def _nc(self, n: etree._Element) -> NameClass:
        t = _local(n)
        if t == "name":
            text = (n.text or "").strip()
            if ":" in text:
                prefix, local = text.split(":", 1)
                return Name(XML_NS if prefix == "xml" else (n.nsmap.get(prefix) or ""), local)
            return Name(_inherited(n, "ns"), text)
        kids = _rng_children(n)
        if t == "choice":
            out = self._nc(kids[0])
            for k in kids[1:]:
                out = NcChoice(out, self._nc(k))
            return out
        exc = None
        for k in kids:
            if _local(k) == "except":
                sub = _rng_children(k)
                exc = self._nc(sub[0])
                for s in sub[1:]:
                    exc = NcChoice(exc, self._nc(s))
        if t == "nsName":
            return AnyName(ns=_inherited(n, "ns"), exc=exc)
        return AnyName(exc=exc)

    def _inline(self, n: etree._Element, g: _Grammar, depth: int = 0) -> etree._Element:
        """A copy of a value pattern with refs expanded and datatypeLibrary made explicit."""
        t = _local(n)
        if t in ("ref", "parentRef") and depth < 50:
            gg = g if t == "ref" else (g.parent or g)
            defs = gg.defines.get(n.get("name", ""), [])
            parts = [self._inline_group(d, gg, depth + 1) for d, _ in defs]
            if len(parts) == 1:
                return parts[0]
            ch = etree.Element(_R + "choice", nsmap={None: RNG_NS})
            ch.extend(parts)
            return ch
        out = etree.Element(
            n.tag, {k: v for k, v in n.attrib.items() if "}" not in k}, nsmap={None: RNG_NS}
        )
        if t in ("data", "value"):
            out.set("datatypeLibrary", _inherited(n, "datatypeLibrary"))
        out.text = n.text if t in ("value", "param") else None
        for c in _rng_children(n):
            out.append(self._inline(c, g, depth + 1))
        return out

    def _inline_group(self, d: etree._Element, g: _Grammar, depth: int) -> etree._Element:
        kids = _rng_children(d)
        if len(kids) == 1:
            return self._inline(kids[0], g, depth)
        grp = etree.Element(_R + "group", nsmap={None: RNG_NS})
        grp.extend(self._inline(k, g, depth) for k in kids)
        return grp

    def _force_all(self) -> None:
        """Build every element's content now (so forked workers share it)."""
        i = 0
        while i < len(self.element_defs):
            _ = self.element_defs[i].content
            i += 1

    # -- saved form (tei.validate.cache's user folder; read back without running any code)

    def files(self) -> list[Path]:
        """The schema files read to build the model."""
        return sorted(self._loaded)

    def state(self) -> dict:
        """The built model in types marshal can write: every pattern, name class, value
        pattern and element declaration as rows of numbers and strings, in creation order
        (so :meth:`_restore` rebuilds the same graph, with the same interning)."""
        ncs: dict[int, int] = {}
        nc_rows: list[tuple] = []

        def nc_id(nc: NameClass) -> int:
            hit = ncs.get(id(nc))
            if hit is not None:
                return hit
            if isinstance(nc, Name):
                row: tuple = ("n", nc.ns, nc.local)
            elif isinstance(nc, AnyName):
                row = ("a", nc.ns, -1 if nc.exc is None else nc_id(nc.exc))
            else:
                assert isinstance(nc, NcChoice)
                row = ("c", nc_id(nc.a), nc_id(nc.b))
            ncs[id(nc)] = len(nc_rows)
            nc_rows.append(row)
            return ncs[id(nc)]

        specs: dict[int, int] = {}
        spec_rows: list[bytes | None] = []
        pats = [self.EMPTY, self.NOTALLOWED, self.TEXT, self.DATA, *self._intern.values()]
        pid = {id(x): i for i, x in enumerate(pats)}
        rows: list[tuple] = []
        for x in pats[4:]:
            k = x.kind
            a: object
            b: object
            if k == CHOICE:
                a, b = tuple(pid[id(y)] for y in x.a), None
            elif k in (GROUP, INTERLEAVE):
                a, b = pid[id(x.a)], pid[id(x.b)]
            elif k == ONEORMORE:
                a, b = pid[id(x.a)], None
            elif k == ELEM:
                a, b = nc_id(x.a), x.b.uid
            elif k == ATTR:
                sid = specs.get(id(x.b))
                if sid is None:
                    sid = specs[id(x.b)] = len(spec_rows)
                    spec_rows.append(x.b.saved())
                a, b = nc_id(x.a), sid
            else:  # pragma: no cover - every other kind is one of the four constants
                raise ValueError(f"pattern kind {k} is not interned")
            rows.append((k, a, b, x.nullable))
        defs = [(nc_id(d.nc), pid[id(d.content)]) for d in self.element_defs]
        return {
            "memos": self._saved_memos(pid, specs),
            "nc": nc_rows,
            "specs": spec_rows,
            "patterns": rows,
            "defs": defs,
            "by_name": [
                (ns, local, [d.uid for d in ds]) for (ns, local), ds in self.by_name.items()
            ],
            "wild": [d.uid for d in self.wild_defs],
            "start": pid[id(self.start)],
        }

    def memo_size(self) -> int:
        """Entries of the memo tables that a save writes (at most their limits: a run that
        learns only past them has nothing new to save)."""
        return sum(min(len(getattr(self, name)), _saved_limit(name)) for name in _SAVED_MEMOS)

    def _saved_memos(self, pid: dict[int, int], sid: dict[int, int]) -> list[tuple]:
        """The memo tables of :data:`_SAVED_MEMOS` in saved form (rows of pattern numbers).

        An entry holding an object that has no saved form is left out; a table is cut at
        :data:`SAVED_MEMO_MAX` entries (:data:`SAVED_MESSAGES_MAX` for the messages)."""

        def enc(x: object) -> object:
            t = type(x)
            if t is P:
                return ("p", pid[id(x)])
            if t is str or t is int or t is bool or x is None:
                return x
            if t is tuple:
                return ("t", [enc(y) for y in x])  # type: ignore[attr-defined]
            if t is list:
                return ("l", [enc(y) for y in x])  # type: ignore[attr-defined]
            if t is frozenset:
                return ("f", [enc(y) for y in x])  # type: ignore[attr-defined]
            if t is ElementDef:
                return ("d", x.uid)  # type: ignore[attr-defined]
            if t is AttrSpec:
                return ("s", sid[id(x)])
            raise KeyError(t)

        out = []
        for name in _SAVED_MEMOS:
            limit = _saved_limit(name)
            rows = []
            for key, value in getattr(self, name).items():
                try:
                    rows.append((enc(key), enc(value)))
                except KeyError:
                    continue
                if len(rows) >= limit:
                    break
            out.append((name, rows))
        return out

    def _restore_memos(self, saved: list[tuple], pats: list[P], defs: list, specs: list) -> None:
        def dec(x: Any) -> Any:
            if type(x) is not tuple:
                return x
            tag, v = x
            if tag == "p":
                return pats[v]
            if tag == "t":
                return tuple(dec(y) for y in v)
            if tag == "l":
                return [dec(y) for y in v]
            if tag == "f":
                return frozenset(dec(y) for y in v)
            if tag == "d":
                return defs[v]
            return specs[v]

        for name, rows in saved:
            if name in _SAVED_MEMOS:
                getattr(self, name).update((dec(k), dec(v)) for k, v in rows)

    def _restore(self, state: dict) -> None:
        ncs: list[NameClass] = []
        for row in state["nc"]:
            if row[0] == "n":
                ncs.append(Name(row[1], row[2]))
            elif row[0] == "a":
                ncs.append(AnyName(row[1], None if row[2] < 0 else ncs[row[2]]))
            else:
                ncs.append(NcChoice(ncs[row[1]], ncs[row[2]]))
        specs = [AttrSpec(None, saved) for saved in state["specs"]]
        defs = [
            ElementDef(ncs[nc_i], None, None, self, i) for i, (nc_i, _) in enumerate(state["defs"])
        ]
        pats = [self.EMPTY, self.NOTALLOWED, self.TEXT, self.DATA]
        intern = self._intern
        for k, a, b, nullable in state["patterns"]:
            if k == CHOICE:
                a, b = frozenset(pats[i] for i in a), None
            elif k in (GROUP, INTERLEAVE):
                a, b = pats[a], pats[b]
            elif k == ONEORMORE:
                a, b = pats[a], None
            elif k == ELEM:
                a, b = ncs[a], defs[b]
            else:
                a, b = ncs[a], specs[b]
            x = P(k, a, b, nullable)
            intern[(k, a, b)] = x
            pats.append(x)
        for d, (_, content) in zip(defs, state["defs"], strict=True):
            d._content = pats[content]
        self.element_defs = defs
        self.by_name = {
            (ns, local): [defs[i] for i in uids] for ns, local, uids in state["by_name"]
        }
        self.wild_defs = [defs[i] for i in state["wild"]]
        self.start = pats[state["start"]]
        self._restore_memos(state.get("memos", []), pats, defs, specs)

    # -- constructors (interned)

    def _mk(self, kind: int, a: Any = None, b: Any = None) -> P:
        key = (kind, a, b)
        hit = self._intern.get(key)
        if hit is None:
            if kind in (CHOICE,):
                nullable = any(x.nullable for x in a)
            elif kind in (GROUP, INTERLEAVE):
                nullable = a.nullable and b.nullable
            elif kind == ONEORMORE:
                nullable = a.nullable
            else:
                nullable = False
            hit = self._intern[key] = P(kind, a, b, nullable)
        return hit

    def choice(self, items: Iterable[P]) -> P:
        alts: set[P] = set()
        for p in items:
            if p.kind == CHOICE:
                alts.update(p.a)
            elif p.kind != NOTALLOWED:
                alts.add(p)
        if not alts:
            return self.NOTALLOWED
        if len(alts) == 1:
            return next(iter(alts))
        return self._mk(CHOICE, frozenset(alts))

    def group(self, a: P, b: P) -> P:
        if a.kind == NOTALLOWED or b.kind == NOTALLOWED:
            return self.NOTALLOWED
        if a.kind == EMPTY:
            return b
        if b.kind == EMPTY:
            return a
        return self._mk(GROUP, a, b)

    def interleave(self, a: P, b: P) -> P:
        if a.kind == NOTALLOWED or b.kind == NOTALLOWED:
            return self.NOTALLOWED
        if a.kind == EMPTY:
            return b
        if b.kind == EMPTY:
            return a
        return self._mk(INTERLEAVE, a, b)

    def one_or_more(self, p: P) -> P:
        if p.kind in (NOTALLOWED, EMPTY):
            return p
        return self._mk(ONEORMORE, p)

    # -- derivatives over child tokens: ("e", ns, local) or ("t",)

    def deriv(self, p: P, tok: tuple) -> P:
        key = (p, tok)
        hit = self._memo_d.get(key)
        if hit is not None:
            return hit
        k = p.kind
        if k == TEXT:
            r = p if tok[0] == "t" else self.NOTALLOWED
        elif k == DATA:
            r = self.EMPTY if tok[0] == "t" else self.NOTALLOWED
        elif k == ELEM:
            r = self.EMPTY if tok[0] == "e" and p.a.matches(tok[1], tok[2]) else self.NOTALLOWED
        elif k == CHOICE:
            r = self.choice(self.deriv(x, tok) for x in p.a)
        elif k == GROUP:
            r = self.group(self.deriv(p.a, tok), p.b)
            if p.a.nullable:
                r = self.choice([r, self.deriv(p.b, tok)])
        elif k == INTERLEAVE:
            r = self.choice(
                [
                    self.interleave(self.deriv(p.a, tok), p.b),
                    self.interleave(p.a, self.deriv(p.b, tok)),
                ]
            )
        elif k == ONEORMORE:
            r = self.group(self.deriv(p.a, tok), self.choice([p, self.EMPTY]))
        else:
            r = self.NOTALLOWED
        self._memo_d[key] = r
        return r

    def att_deriv(self, p: P, ns: str, local: str, value: str | None) -> P:
        """Derivative by one attribute; ``value=None`` accepts any value."""
        if value is not None:
            specs = self._attr_specs(p, ns, local)
            oks = [a.b.accepts(value) for a in specs]
            if not any(oks):
                return self.NOTALLOWED
            if not all(oks):  # rare: only some declarations accept this value
                return self._att_deriv(p, ns, local, value)
        return self._att_deriv(p, ns, local, None)

    def _attr_specs(self, p: P, ns: str, local: str) -> list[P]:
        key = (p, ns, local)
        hit = self._memo_spec.get(key)
        if hit is None:
            hit = self._memo_spec[key] = [a for a in self.first_attrs(p) if a.a.matches(ns, local)]
        return hit

    def _att_deriv(self, p: P, ns: str, local: str, value: str | None) -> P:
        key = (p, ns, local, value)
        hit = self._memo_a.get(key)
        if hit is not None:
            return hit
        k = p.kind
        if k == ATTR:
            ok = p.a.matches(ns, local) and (value is None or p.b.accepts(value))
            r = self.EMPTY if ok else self.NOTALLOWED
        elif k == CHOICE:
            r = self.choice(self._att_deriv(x, ns, local, value) for x in p.a)
        elif k in (GROUP, INTERLEAVE):
            f = self.group if k == GROUP else self.interleave
            r = self.choice(
                [
                    f(self._att_deriv(p.a, ns, local, value), p.b),
                    f(p.a, self._att_deriv(p.b, ns, local, value)),
                ]
            )
        elif k == ONEORMORE:
            r = self.group(
                self._att_deriv(p.a, ns, local, value),
                self.choice([p, self.EMPTY]),
            )
        else:
            r = self.NOTALLOWED
        self._memo_a[key] = r
        return r

    # -- the diagnoser's steps, by Clark name, each in one look-up

    def step(self, p: P, tag: str) -> tuple[P, tuple, list[ElementDef] | None]:
        """For a child element with Clark name ``tag`` in state ``p``: the derivative, the
        token, and (when allowed) :meth:`child_defs`."""
        hit = self.step_memo.get((p, tag))
        return (
            hit if hit is not None else bounded_memo(self.step_memo, (p, tag), self._step, p, tag)
        )

    def _step(self, p: P, tag: str) -> tuple[P, tuple, list[ElementDef] | None]:
        ns, local = split_clark(tag)
        tok = ("e", ns, local)
        d = self.deriv(p, tok)
        return d, tok, None if d.kind == NOTALLOWED else self.child_defs(p, ns, local)

    def att_step(self, p: P, clark: str) -> tuple[str, str, list[P], P, tuple[AttrSpec, ...]]:
        """For an attribute ``clark`` in state ``p``: its namespace and local name, the
        declarations it matches (:meth:`_attr_specs`), the derivative for any value, and the
        value checks of those declarations: the derivative is :meth:`att_deriv`'s when there
        are declarations and every check accepts the value."""
        hit = self._memo_astep.get((p, clark))
        if hit is None:
            hit = bounded_memo(self._memo_astep, (p, clark), self._att_step, p, clark)
        return hit

    def _att_step(self, p: P, clark: str) -> tuple[str, str, list[P], P, tuple[AttrSpec, ...]]:
        ns, local = split_clark(clark)
        specs = self._attr_specs(p, ns, local)
        checks = tuple(a.b for a in specs if not a.b.any_value)
        return ns, local, specs, self._att_deriv(p, ns, local, None), checks

    def content_of(self, defs: list[ElementDef]) -> P:
        """The content of an element that any of ``defs`` may declare."""
        if len(defs) == 1:
            return defs[0].content
        key = tuple(defs)
        hit = self._memo_content.get(key)
        if hit is None:
            hit = self._memo_content[key] = self.choice(d.content for d in defs)
        return hit

    def child_defs(self, p: P, ns: str, local: str) -> list[ElementDef]:
        """The element declarations a child named ``{ns}local`` matches in state ``p``."""
        key = (p, ns, local)
        hit = self._memo_cdefs.get(key)
        if hit is None:
            hit = self._memo_cdefs[key] = [
                e.b for e in self.first_elems(p) if e.a.matches(ns, local)
            ]
        return hit

    def _map(self, p: P, memo: dict[P, P], leaf: P) -> P:
        hit = memo.get(p)
        if hit is not None:
            return hit
        k = p.kind
        if k == ATTR:
            r = leaf
        elif k == CHOICE:
            r = self.choice(self._map(x, memo, leaf) for x in p.a)
        elif k == GROUP:
            r = self.group(self._map(p.a, memo, leaf), self._map(p.b, memo, leaf))
        elif k == INTERLEAVE:
            r = self.interleave(self._map(p.a, memo, leaf), self._map(p.b, memo, leaf))
        elif k == ONEORMORE:
            r = self.one_or_more(self._map(p.a, memo, leaf))
        else:
            r = p
        memo[p] = r
        return r

    def end_atts(self, p: P) -> P:
        """Close the start tag: attributes still required make the pattern notAllowed."""
        return self._map(p, self._memo_end, self.NOTALLOWED)

    def ignore_atts(self, p: P) -> P:
        """Close the start tag leniently (after a missing-attribute error was reported)."""
        return self._map(p, self._memo_ign, self.EMPTY)

    def first_elems(self, p: P) -> frozenset[P]:
        hit = self._memo_first.get(p)
        if hit is not None:
            return hit
        k = p.kind
        if k == ELEM:
            r = frozenset([p])
        elif k == CHOICE:
            r = frozenset().union(*(self.first_elems(x) for x in p.a))
        elif k == GROUP:
            r = self.first_elems(p.a)
            if p.a.nullable:
                r = r | self.first_elems(p.b)
        elif k == INTERLEAVE:
            r = self.first_elems(p.a) | self.first_elems(p.b)
        elif k == ONEORMORE:
            r = self.first_elems(p.a)
        else:
            r = frozenset()
        self._memo_first[p] = r
        return r

    def first_attrs(self, p: P) -> frozenset[P]:
        hit = self._memo_fattr.get(p)
        if hit is not None:
            return hit
        k = p.kind
        if k == ATTR:
            r = frozenset([p])
        elif k == CHOICE:
            r = frozenset().union(*(self.first_attrs(x) for x in p.a))
        elif k in (GROUP, INTERLEAVE):
            r = self.first_attrs(p.a) | self.first_attrs(p.b)
        elif k == ONEORMORE:
            r = self.first_attrs(p.a)
        else:
            r = frozenset()
        self._memo_fattr[p] = r
        return r

    def required_elems(self, p: P) -> frozenset[tuple[str, str]]:
        """Names of elements that every completion of ``p`` must contain."""
        hit = self._memo_req.get(p)
        if hit is not None:
            return hit
        k = p.kind
        if k == ELEM:
            names = list(p.a.names())
            r = frozenset(names) if len(names) == 1 and not p.a.wildcard else frozenset()
        elif k == CHOICE:
            alts = [self.required_elems(x) for x in p.a]
            r = frozenset.intersection(*alts) if alts else frozenset()
        elif k == GROUP:  # like jing: what is needed next, not everything needed
            r = self.required_elems(p.a)
            if p.a.nullable or not r:
                r = r | self.required_elems(p.b)
        elif k == INTERLEAVE:
            r = self.required_elems(p.a) | self.required_elems(p.b)
        elif k == ONEORMORE:
            r = self.required_elems(p.a)
        else:
            r = frozenset()
        self._memo_req[p] = r
        return r

    def accepts_text(self, p: P) -> bool:
        hit = self._memo_text.get(p)
        if hit is None:
            hit = self.deriv(p, ("t",)).kind != NOTALLOWED
            self._memo_text[p] = hit
        return hit

    def known_element(self, ns: str, local: str) -> bool:
        return (ns, local) in self.by_name or any(d.nc.matches(ns, local) for d in self.wild_defs)

    def defs_for(self, ns: str, local: str) -> list[ElementDef]:
        return self.by_name.get((ns, local)) or [
            d for d in self.wild_defs if d.nc.matches(ns, local)
        ]


# --------------------------------------------------------------------------- one per schema

MODELS_BUILT = [0]  # models this process made, built or read back (a valid run makes none)


def _build(path: Path) -> list[RngModel | None]:
    MODELS_BUILT[0] += 1
    state = _cache_read(path)
    if state is not None:
        with contextlib.suppress(Exception):  # a damaged saved form: build it anew
            model = RngModel(path, state)
            _save_at_exit(path, model)
            return [model]
    try:
        model = RngModel(path)
    except (TeiError, RecursionError, etree.LxmlError):
        return [None]
    _save_at_exit(path, model, built=True)
    return [model]


def _save_at_exit(path: Path, model: RngModel, built: bool = False) -> None:
    """Save ``model`` at exit if it was ``built`` here or its memo tables learnt something:
    once, with what the run taught it, and by this process only (a forked worker leaves
    through ``os._exit`` and its pid differs anyway; one that built a model of its own
    leaves the saving to the parent's)."""
    size = -1 if built else model.memo_size()
    pid = os.getpid()

    def save() -> None:
        if os.getpid() == pid and model.memo_size() > size:
            _cache_write(path, model)

    atexit.register(save)


def diagnosis_model(path: str | Path) -> RngModel | None:
    """The diagnosis model of the schema at ``path``, built once per process on first need
    (``None`` when it cannot be built: the engines then keep their own words)."""
    from ..compiled import compiled

    return compiled(path, _build)[0]


# --------------------------------------------------------------------------- the saved models
# tei_all's model takes ~0.15 s to build and ~10 ms to read back: it is kept in the user cache
# beside the derivative engine's compiled schemas, keyed by this module's source and the
# schema's path, and used only while every file it was built from is unchanged.

_CODE: list[str] = []


def _code_version() -> str:
    """This module's and the diagnoser's source (the saved memos hold its messages)."""
    if not _CODE:
        h = hashlib.sha256(Path(__file__).read_bytes())
        h.update(Path(__file__).with_name("diagnose.py").read_bytes())
        _CODE.append(h.hexdigest()[:16])
    return _CODE[0]


def _cache_file(path: Path) -> Path:
    from ..cache import user_cache_dir

    key = hashlib.sha256(f"{_code_version()}|{path.resolve()}".encode()).hexdigest()[:32]
    return user_cache_dir() / "rng-model" / f"{key}.marshal"


def _cache_read(path: Path) -> dict | None:
    from ..cache import file_digest, read_entry

    try:
        data = marshal.loads(read_entry(_cache_file(path)))
        if data["version"] != _code_version() or data["path"] != str(path.resolve()):
            return None
        for f, digest in data["deps"]:
            if file_digest(Path(f)) != digest:
                return None
        return data["state"]
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


def _cache_write(path: Path, model: RngModel) -> None:
    from ..cache import file_digest, write_entry

    with contextlib.suppress(OSError, ValueError):
        deps = [(str(f), file_digest(f)) for f in model.files()]
        data = marshal.dumps(
            {
                "version": _code_version(),
                "path": str(path.resolve()),
                "deps": deps,
                "state": model.state(),
            }
        )
        write_entry(_cache_file(path), data)
