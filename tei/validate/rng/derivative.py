"""A RELAX NG validator on Brzozowski derivatives (James Clark's algorithm, as jing and rnv).

The schema is read once with lxml and simplified as RELAX NG section 4 says (include,
externalRef, combine, nested grammars, ``mixed``/``optional``/``zeroOrMore`` rewritten,
``notAllowed`` and ``empty`` folded by the constructors).  Patterns are hash-consed: each
distinct pattern is one integer id, so equal states are equal ids and every derivative can be
memoised in a dict keyed by ids:

- start-tag open: ``(state, element name) -> (content, rest)``: the child is walked from its
  own ``content`` (no continuation in the key, so a child's states are shared by every place
  it occurs) and the parent goes on with ``rest`` once the child ends;
- attribute: ``(state, name) -> the attribute value patterns that name can meet`` and then
  ``(state, name, which of them accept the value) -> state``;
- start-tag close, text (whitespace-only or not; a string is looked at only where a
  ``data``/``value``/``list`` pattern is reached), end tag.

After warm-up, a valid document is a few dict look-ups per element and attribute.
:class:`Schema` decides whether a document is valid and, if not, where it first went wrong;
:class:`DerivativeValidator` (``tei validate --engine derivative``) words the findings of an
invalid document with the libxml2 engine's jing-style diagnosis.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ...ns import RNG_NS as RNG
from ...ns import XML_NS
from ...ns import XSD_DATATYPES_NS as XSD
from ...report import Finding
from ..compiled import SchemaError, compiled
from ..positions import Positions
from .datatypes import Datatype, Unsupported, datatype

if TYPE_CHECKING:
    from .model import RngModel

ENGINE = "derivative"

# pattern kinds
EMPTY_K, NA_K, TEXT_K, CHOICE, GROUP, INTERLEAVE, ONEORMORE, ELEMENT = range(8)
ATTRIBUTE, DATA, VALUE, LIST, AFTER = range(8, 13)
EMPTY, NA, TEXT = 0, 1, 2  # fixed ids

_WS = " \t\n\r"
_DEP_MEMO_MAX = 200_000  # string-keyed memo entries kept before that memo is cleared

# Value patterns the C walk decides from an ASCII value's bytes (cwalk.c, fast_value): the
# token class of each datatype (no except; the pattern facets are the ones named) ...
_VK_CLASSES = {
    (XSD, "ID", ()): 1,
    (XSD, "IDREF", ()): 1,
    (XSD, "NCName", ()): 1,
    (XSD, "ENTITY", ()): 1,
    (XSD, "Name", ()): 2,
    (XSD, "anyURI", (("pattern", r"\S+"),)): 3,
    (XSD, "token", (("pattern", r"[^\p{C}\p{Z}]+"),)): 4,
    (XSD, "language", ()): 5,
    (XSD, "NMTOKEN", ()): 6,
}
# ... the date and time types (class 7, any of those in bits 8-15: 1 << (8 + index)) ...
_VK_DATE = 7
_VK_DATES = ("dateTime", "date", "time", "gYearMonth", "gYear", "gMonthDay", "gDay", "gMonth")
_VK_CLASSES.update({(XSD, t, ()): _VK_DATE | 1 << (8 + i) for i, t in enumerate(_VK_DATES)})
# ... and the flags: a list of such tokens, a value without tokens matches, a value of XML
# whitespace only matches
_VK_CLASS, _VK_LIST, _VK_NOTOKENS, _VK_XMLWS = 15, 16, 32, 64
_VK_VALUE_TYPES = {("", "string", ()), (XSD, "string", ()), ("", "token", ()), (XSD, "token", ())}
_VK_TOKEN_TYPES = {("", "token", ()), (XSD, "token", ())}


class Invalid(Exception):
    """Where a document first stopped matching the schema."""

    def __init__(self, element: etree._Element, kind: str, name: str | None = None):
        super().__init__(kind)
        self.element = element
        self.kind = kind  # element, attribute, attributes, text, incomplete
        self.name = name


def _clark(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}" if ns else local


def _ns_of(qn: str) -> str:
    return qn[1 : qn.index("}")] if qn.startswith("{") else ""


class _Ctx:
    """What a schema node inherits: ``ns``, ``datatypeLibrary``, its file and grammar."""

    __slots__ = ("ns", "dtlib", "file", "env")

    def __init__(self, ns: str, dtlib: str, file: Path, env: _Env):
        self.ns = ns
        self.dtlib = dtlib
        self.file = file
        self.env = env

    def at(self, node: etree._Element) -> _Ctx:
        ns = node.get("ns")
        lib = node.get("datatypeLibrary")
        if ns is None and lib is None:
            return self
        return _Ctx(
            self.ns if ns is None else ns,
            self.dtlib if lib is None else lib.strip(),
            self.file,
            self.env,
        )


class _Env:
    """One grammar: its start and defines (combined on first reference), and its parent."""

    def __init__(self, parent: _Env | None):
        self.parent = parent
        self.start: list[tuple[str | None, etree._Element, _Ctx]] = []
        self.defines: dict[str, list[tuple[str | None, etree._Element, _Ctx]]] = {}
        self.refs: dict[str, int] = {}


def _rng_children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith("{" + RNG + "}")]


def _local(node: etree._Element) -> str:
    return node.tag.rpartition("}")[2]


class Schema:
    """A compiled RELAX NG schema and its memoised derivatives."""

    def __init__(
        self,
        path: Path,
        load: Callable[[Path], etree._ElementTree],
        state: dict | None = None,
    ):
        self.path = path
        self._load = load
        # hash-consed patterns: kind, two operands, nullable
        self.K: list[int] = []
        self.A: list = []
        self.B: list = []
        self.N: list[bool] = []
        self._intern: dict[tuple, int] = {}
        for key in (("empty",), ("notAllowed",), ("text",)):
            self._make(key, (EMPTY_K, NA_K, TEXT_K)[len(self.K)], None, None, len(self.K) != 1)
        self.nc: list[tuple] = []  # name classes
        self._nc_intern: dict[tuple, int] = {}
        self._contains: dict[tuple[int, str], bool] = {}
        self.dts: list[Datatype] = []
        self.dt_keys: list[tuple] = []
        self._dt_intern: dict[tuple, int] = {}
        self.content: list[int] = []  # element slot -> content pattern
        self._pending: list[tuple[int, list[etree._Element], _Ctx]] = []
        # memo tables
        self.open: dict[tuple[int, str], tuple[int, int]] = {}
        self._sto: dict[tuple[int, str], int] = {}
        self._att_names: dict[tuple[int, str], tuple[int, ...]] = {}
        self.att: dict[tuple, int] = {}
        self.att1: dict[tuple[int, str], tuple[int, int, int]] = {}
        self.close: dict[int, int] = {}
        self.end: dict[int, int] = {}
        self._td: dict[int, int] = {}
        self.ws_tab: dict[int, int] = {}
        self.nonws_tab: dict[int, int] = {}
        self._tdv: dict[tuple[int, str], int] = {}
        self._dep: dict[int, bool] = {}
        self._vm: dict[tuple[int, str], bool] = {}
        self.vm = self._vm
        self._choice_index: dict[int, tuple[dict[str, list[int]], list[int]]] = {}
        self._files: dict[Path, etree._ElementTree] = {}
        self._cwalk: Any = None  # the C walker over these tables (see walk), or False
        if state is not None:
            self._restore(state)
            return
        root = self._tree(path).getroot()
        env = _Env(None)
        self.start = self._pattern_root(root, _Ctx("", "", path, env))
        while self._pending:  # element contents, breadth first (recursion goes through them)
            slot, nodes, ctx = self._pending.pop()
            self.content[slot] = self._group_of(nodes, ctx)

    # ------------------------------------------------------------------ saved state

    # Everything a compiled and warmed-up schema knows, in types marshal can write (no code
    # runs when it is read back); memo tables keyed by document strings are left out.
    _STATE = (
        "K A B N _intern nc _nc_intern content start dt_keys open _sto _att_names att att1 "
        "close end _td _dep ws_tab nonws_tab _choice_index _contains"
    ).split()

    def state(self) -> dict:
        return {k: getattr(self, k) for k in self._STATE}

    def size(self) -> int:
        """How much the memo tables hold (to tell whether a saved state is worth updating)."""
        return len(self.K) + len(self._sto) + len(self.att) + len(self.att1) + len(self.open)

    def _restore(self, state: dict) -> None:
        for k in self._STATE:
            setattr(self, k, state[k])
        self.dts = [datatype(*key) for key in self.dt_keys]
        self._dt_intern = {key: i for i, key in enumerate(self.dt_keys)}

    def files(self) -> list[Path]:
        """The schema files read to compile it."""
        return sorted(self._files)

    # ------------------------------------------------------------------ pattern constructors

    def _make(self, key: tuple, kind: int, a: object, b: object, nullable: bool) -> int:
        pid = self._intern.get(key)
        if pid is None:
            pid = len(self.K)
            self._intern[key] = pid
            self.K.append(kind)
            self.A.append(a)
            self.B.append(b)
            self.N.append(nullable)
        return pid

    def choice(self, a: int, b: int) -> int:
        if a in (NA, b):
            return b
        if b == NA:
            return a
        K = self.K
        ma = self.A[a] if K[a] == CHOICE else (a,)
        mb = self.A[b] if K[b] == CHOICE else (b,)
        if len(mb) == 1 and mb[0] in ma:
            return a
        if len(ma) == 1 and ma[0] in mb:
            return b
        return self._choice_of(tuple(sorted(set(ma).union(mb))))

    def choices(self, items: list[int]) -> int:
        K = self.K
        members: set[int] = set()
        for p in items:
            if p == NA:
                continue
            if K[p] == CHOICE:
                members.update(self.A[p])
            else:
                members.add(p)
        if not members:
            return NA
        if len(members) == 1:
            return next(iter(members))
        return self._choice_of(tuple(sorted(members)))

    def _choice_of(self, members: tuple[int, ...]) -> int:
        N = self.N
        return self._make(("c", members), CHOICE, members, None, any(N[m] for m in members))

    def group(self, a: int, b: int) -> int:
        if a == NA or b == NA:
            return NA
        if a == EMPTY:
            return b
        if b == EMPTY:
            return a
        return self._make(("g", a, b), GROUP, a, b, self.N[a] and self.N[b])

    def interleave(self, a: int, b: int) -> int:
        if a == NA or b == NA:
            return NA
        if a == EMPTY:
            return b
        if b == EMPTY:
            return a
        if a > b:
            a, b = b, a
        return self._make(("i", a, b), INTERLEAVE, a, b, self.N[a] and self.N[b])

    def one_or_more(self, a: int) -> int:
        if a in (NA, EMPTY):
            return a
        if self.K[a] == ONEORMORE:
            return a
        return self._make(("o", a), ONEORMORE, a, None, self.N[a])

    def after(self, a: int, b: int) -> int:
        if a == NA or b == NA:
            return NA
        return self._make(("a", a, b), AFTER, a, b, False)

    def _attribute(self, nc: int, p: int) -> int:
        if p == NA:
            return NA
        return self._make(("at", nc, p), ATTRIBUTE, nc, p, False)

    def _data(self, dt: int, exc: int) -> int:
        return self._make(("d", dt, exc), DATA, dt, exc, False)

    def _value(self, dt: int, key: object) -> int:
        return self._make(("v", dt, key), VALUE, dt, key, False)

    def _list(self, p: int) -> int:
        if p == NA:
            return NA
        return self._make(("l", p), LIST, p, None, False)

    def _element(self, nc: int, nodes: list[etree._Element], ctx: _Ctx) -> int:
        slot = len(self.content)
        self.content.append(NA)
        self._pending.append((slot, nodes, ctx))
        return self._make(("e", slot), ELEMENT, nc, slot, False)

    # ------------------------------------------------------------------ reading the schema

    def _tree(self, path: Path) -> etree._ElementTree:
        hit = self._files.get(path)
        if hit is None:
            hit = self._files[path] = self._load(path)
        return hit

    def _href(self, node: etree._Element, ctx: _Ctx) -> Path:
        from .load import local_href

        href = (node.get("href") or "").strip()
        try:
            return local_href(href, ctx.file)
        except Exception as exc:  # TeiError: remote reference
            raise SchemaError(str(exc)) from None

    def _pattern_root(self, root: etree._Element, ctx: _Ctx) -> int:
        if root.tag != f"{{{RNG}}}" + _local(root):
            raise SchemaError(f"{ctx.file} is not a RELAX NG schema")
        return self._pattern(root, ctx.at(root))

    def _grammar(self, node: etree._Element, ctx: _Ctx) -> int:
        env = _Env(ctx.env)
        self._components(node, _Ctx(ctx.ns, ctx.dtlib, ctx.file, env), env.start, env.defines)
        if not env.start:
            raise SchemaError(f"grammar in {ctx.file} has no start")
        return self._combine(env.start, "start")

    def _components(
        self,
        node: etree._Element,
        ctx: _Ctx,
        start: list[tuple[str | None, etree._Element, _Ctx]],
        defines: dict[str, list[tuple[str | None, etree._Element, _Ctx]]],
    ) -> None:
        for child in _rng_children(node):
            cctx = ctx.at(child)
            kind = _local(child)
            if kind == "start":
                start.append((child.get("combine"), child, cctx))
            elif kind == "define":
                name = (child.get("name") or "").strip()
                defines.setdefault(name, []).append((child.get("combine"), child, cctx))
            elif kind == "div":
                self._components(child, cctx, start, defines)
            elif kind == "include":
                target = self._href(child, cctx)
                inc = self._tree(target).getroot()
                if inc.tag != f"{{{RNG}}}grammar":
                    raise SchemaError(f"{target} (included) is not a grammar")
                ictx = _Ctx(cctx.ns, "", target, cctx.env).at(inc)
                if inc.get("ns") is None:
                    ictx = _Ctx(cctx.ns, ictx.dtlib, target, cctx.env)
                istart: list[tuple[str | None, etree._Element, _Ctx]] = []
                idefs: dict[str, list[tuple[str | None, etree._Element, _Ctx]]] = {}
                self._components(inc, ictx, istart, idefs)
                ostart: list[tuple[str | None, etree._Element, _Ctx]] = []
                odefs: dict[str, list[tuple[str | None, etree._Element, _Ctx]]] = {}
                self._components(child, cctx, ostart, odefs)
                if ostart:
                    istart = []
                for name in odefs:
                    idefs.pop(name, None)
                start.extend(istart + ostart)
                for name, items in list(idefs.items()) + list(odefs.items()):
                    defines.setdefault(name, []).extend(items)

    def _combine(self, items: list[tuple[str | None, etree._Element, _Ctx]], name: str) -> int:
        how = {(c or "").strip() for c, _, _ in items} - {""}
        if len(how) > 1 or (len(items) > 1 and sum(not c for c, _, _ in items) > 1):
            raise SchemaError(f"{name} is combined inconsistently")
        parts = [self._group_of(_rng_children(node), ctx) for _, node, ctx in items]
        out = parts[0]
        for p in parts[1:]:
            out = self.interleave(out, p) if "interleave" in how else self.choice(out, p)
        return out

    def _ref(self, env: _Env, name: str) -> int:
        hit = env.refs.get(name)
        if hit is not None:
            if hit < 0:
                raise SchemaError(f"define {name!r} refers to itself outside an element")
            return hit
        items = env.defines.get(name)
        if not items:
            raise SchemaError(f"reference to undefined pattern {name!r} in {self.path}")
        env.refs[name] = -1
        pid = self._combine(items, name)
        env.refs[name] = pid
        return pid

    def _group_of(self, nodes: list[etree._Element], ctx: _Ctx) -> int:
        out = EMPTY
        for node in nodes:
            out = self.group(out, self._pattern(node, ctx.at(node)))
        return out

    def _pattern(self, node: etree._Element, ctx: _Ctx) -> int:
        kind = _local(node)
        kids = _rng_children(node)
        if kind == "element":
            name = node.get("name")
            if name is not None:
                nc = self._name(name, ctx, node, attribute=False)
            else:
                if not kids:
                    raise SchemaError("element without a name")
                nc = self._name_class(kids[0], ctx.at(kids[0]))
                kids = kids[1:]
            return self._element(nc, kids, ctx)
        if kind == "attribute":
            name = node.get("name")
            if name is not None:
                nc = self._name(name, ctx, node, attribute=True)
            else:
                nc = self._name_class(kids[0], ctx.at(kids[0]))
                kids = kids[1:]
            body = self._group_of(kids, ctx) if kids else TEXT
            return self._attribute(nc, body)
        if kind in ("group", "choice", "interleave"):
            parts = [self._pattern(k, ctx.at(k)) for k in kids]
            if not parts:
                raise SchemaError(f"empty {kind}")
            if kind == "choice":
                return self.choices(parts)
            out = parts[0]
            for p in parts[1:]:
                out = self.group(out, p) if kind == "group" else self.interleave(out, p)
            return out
        if kind == "optional":
            return self.choice(self._group_of(kids, ctx), EMPTY)
        if kind == "zeroOrMore":
            return self.choice(self.one_or_more(self._group_of(kids, ctx)), EMPTY)
        if kind == "oneOrMore":
            return self.one_or_more(self._group_of(kids, ctx))
        if kind == "mixed":
            return self.interleave(self._group_of(kids, ctx), TEXT)
        if kind == "list":
            return self._list(self._group_of(kids, ctx))
        if kind == "ref":
            return self._ref(ctx.env, (node.get("name") or "").strip())
        if kind == "parentRef":
            if ctx.env.parent is None:
                raise SchemaError("parentRef outside a nested grammar")
            return self._ref(ctx.env.parent, (node.get("name") or "").strip())
        if kind == "empty":
            return EMPTY
        if kind == "text":
            return TEXT
        if kind == "notAllowed":
            return NA
        if kind == "data":
            params = tuple(
                ((p.get("name") or "").strip(), p.text or "") for p in kids if _local(p) == "param"
            )
            dt = self._datatype(ctx.dtlib, (node.get("type") or "").strip(), params)
            exc = -1
            for k in kids:
                if _local(k) == "except":
                    exc = self.choices(
                        [self._pattern(x, ctx.at(k).at(x)) for x in _rng_children(k)]
                    )
            return self._data(dt, exc)
        if kind == "value":
            t = node.get("type")
            lib = ctx.dtlib if t is not None else ""
            dt = self._datatype(lib, (t or "token").strip(), ())
            d = self.dts[dt]
            text = node.text or ""
            if not d.allows(text):
                raise SchemaError(f"value {text!r} is not a valid {t or 'token'}")
            return self._value(dt, d.key(text))
        if kind == "externalRef":
            target = self._href(node, ctx)
            root = self._tree(target).getroot()
            rctx = _Ctx(ctx.ns, "", target, ctx.env).at(root)
            if root.get("ns") is None:
                rctx = _Ctx(ctx.ns, rctx.dtlib, target, ctx.env)
            return self._pattern_root(root, rctx)
        if kind == "grammar":
            return self._grammar(node, ctx)
        raise SchemaError(f"unexpected RELAX NG element {kind!r} in {ctx.file}")

    def _datatype(self, lib: str, name: str, params: tuple[tuple[str, str], ...]) -> int:
        key = (lib, name, params)
        hit = self._dt_intern.get(key)
        if hit is None:
            d = datatype(lib, name, params)  # Unsupported goes up: libxml2 takes the schema
            hit = self._dt_intern[key] = len(self.dts)
            self.dts.append(d)
            self.dt_keys.append(key)
        return hit

    def _nc(self, key: tuple) -> int:
        hit = self._nc_intern.get(key)
        if hit is None:
            hit = self._nc_intern[key] = len(self.nc)
            self.nc.append(key)
        return hit

    def _name(self, qname: str, ctx: _Ctx, node: etree._Element, attribute: bool) -> int:
        qname = qname.strip()
        prefix, _, local = qname.rpartition(":")
        if prefix:
            ns = XML_NS if prefix == "xml" else node.nsmap.get(prefix)
            if ns is None:
                raise SchemaError(f"undeclared prefix in name {qname!r}")
        elif attribute:
            ns = node.get("ns") or ""
        else:
            ns = ctx.ns
        return self._nc(("n", _clark(ns, local)))

    def _name_class(self, node: etree._Element, ctx: _Ctx) -> int:
        kind = _local(node)
        kids = _rng_children(node)
        if kind == "name":
            return self._name(node.text or "", ctx, node, attribute=False)
        if kind in ("anyName", "nsName"):
            exc = -1
            for k in kids:
                if _local(k) == "except":
                    parts = [self._name_class(x, ctx.at(x)) for x in _rng_children(k)]
                    exc = parts[0]
                    for p in parts[1:]:
                        exc = self._nc(("c", exc, p))
            if kind == "anyName":
                return self._nc(("any", exc))
            return self._nc(("ns", ctx.ns, exc))
        if kind == "choice":
            parts = [self._name_class(x, ctx.at(x)) for x in kids]
            out = parts[0]
            for p in parts[1:]:
                out = self._nc(("c", out, p))
            return out
        raise SchemaError(f"unexpected name class {kind!r}")

    def contains(self, nc: int, qn: str) -> bool:
        key = (nc, qn)
        hit = self._contains.get(key)
        if hit is None:
            c = self.nc[nc]
            if c[0] == "n":
                hit = c[1] == qn
            elif c[0] == "any":
                hit = c[1] < 0 or not self.contains(c[1], qn)
            elif c[0] == "ns":
                hit = _ns_of(qn) == c[1] and (c[2] < 0 or not self.contains(c[2], qn))
            else:
                hit = self.contains(c[1], qn) or self.contains(c[2], qn)
            self._contains[key] = hit
        return hit

    # ------------------------------------------------------------------ derivatives

    def apply_after(self, f: Callable[[int], int], p: int) -> int:
        k = self.K[p]
        if k == AFTER:
            return self.after(self.A[p], f(self.B[p]))
        if k == CHOICE:
            return self.choices([self.apply_after(f, m) for m in self.A[p]])
        return NA

    def sto(self, p: int, qn: str) -> int:
        """startTagOpenDeriv: ``after(content, rest)`` patterns for a child named ``qn``."""
        key = (p, qn)
        hit = self._sto.get(key)
        if hit is not None:
            return hit
        K, A, B = self.K, self.A, self.B
        k = K[p]
        if k == CHOICE:
            named, others = self._index(p)
            r = self.choices(
                [self.sto(m, qn) for m in named.get(qn, ())] + [self.sto(m, qn) for m in others]
            )
        elif k == ELEMENT:
            r = self.after(self.content[B[p]], EMPTY) if self.contains(A[p], qn) else NA
        elif k == GROUP:
            a, b = A[p], B[p]
            r = self.apply_after(lambda x: self.group(x, b), self.sto(a, qn))
            if self.N[a]:
                r = self.choice(r, self.sto(b, qn))
        elif k == INTERLEAVE:
            a, b = A[p], B[p]
            r = self.choice(
                self.apply_after(lambda x: self.interleave(x, b), self.sto(a, qn)),
                self.apply_after(lambda x: self.interleave(a, x), self.sto(b, qn)),
            )
        elif k == ONEORMORE:
            again = self.choice(p, EMPTY)
            r = self.apply_after(lambda x: self.group(x, again), self.sto(A[p], qn))
        elif k == AFTER:
            b = B[p]
            r = self.apply_after(lambda x: self.after(x, b), self.sto(A[p], qn))
        else:
            r = NA
        self._sto[key] = r
        return r

    def _index(self, p: int) -> tuple[dict[str, list[int]], list[int]]:
        """A choice's members by the one name their element pattern has (others apart)."""
        hit = self._choice_index.get(p)
        if hit is None:
            named: dict[str, list[int]] = {}
            others: list[int] = []
            for m in self.A[p]:
                k = self.K[m]
                if k == ELEMENT and self.nc[self.A[m]][0] == "n":
                    named.setdefault(self.nc[self.A[m]][1], []).append(m)
                elif k in (EMPTY_K, TEXT_K, ATTRIBUTE, DATA, VALUE, LIST):
                    continue  # no start-tag derivative
                else:
                    others.append(m)
            hit = self._choice_index[p] = (named, others)
        return hit

    def open_tag(self, p: int, qn: str) -> tuple[int, int]:
        """``(content, rest)`` to walk a child ``qn`` with: ``rest`` is the parent's state once
        the child ends well; ``rest == -1`` when several contents compete (then ``content`` is
        the whole ``after`` pattern and the end tag is :meth:`end_tag`)."""
        r = self.sto(p, qn)
        if r == NA:
            out = (NA, NA)
        elif self.K[r] == AFTER:
            out = (self.A[r], self.B[r])
        else:
            pairs: dict[int, list[int]] = {}
            for m in self.A[r]:
                pairs.setdefault(self.A[m], []).append(self.B[m])
            if len(pairs) == 1:
                ((c, rests),) = pairs.items()
                out = (c, self.choices(rests))
            else:
                out = (r, -1)
        self.open[(p, qn)] = out
        return out

    def att_entry(self, p: int, qn: str) -> tuple[int, int, int]:
        """``(value pattern, state if the value fits, state if not)`` for an attribute ``qn``
        in state ``p`` when one value pattern decides; ``(-1, NA, NA)`` when several do."""
        names = self._att_names.get((p, qn))
        if names is None:
            found: set[int] = set()
            self._collect_atts(p, qn, found, set())
            names = self._att_names[(p, qn)] = tuple(sorted(found))
        if len(names) != 1:
            out = (-1, NA, NA) if names else (NA, NA, NA)
        else:
            x = names[0]
            out = (x, self._att(p, qn, {x}, {}), self._att(p, qn, set(), {}))
        self.att1[(p, qn)] = out
        return out

    def value_ok(self, x: int, s: str) -> bool:
        """valueMatch of an attribute value, memoised by (pattern, value)."""
        key = (x, s)
        hit = self._vm.get(key)
        if hit is None:
            if len(self._vm) > _DEP_MEMO_MAX:
                self._vm.clear()
            hit = self._vm[key] = (self.N[x] and not s.strip(_WS)) or self.N[self.text(x, s)]
        return hit

    def attribute(self, p: int, qn: str, value: str) -> int:
        """The state after attribute ``qn="value"`` (the walk's fast tables, then the rest)."""
        e = self.att1.get((p, qn))
        if e is None:
            e = self.att_entry(p, qn)
        x = e[0]
        if x >= 0:
            return e[1] if self.value_ok(x, value) else e[2]
        return self.att_deriv(p, qn, value) if x == -1 else NA

    def att_deriv(self, p: int, qn: str, value: str) -> int:
        names = self._att_names.get((p, qn))
        if names is None:
            found: set[int] = set()
            self._collect_atts(p, qn, found, set())
            names = self._att_names[(p, qn)] = tuple(sorted(found))
        if not names:
            return NA
        bits = tuple(self.value_match(x, value) for x in names)
        key = (p, qn, bits)
        hit = self.att.get(key)
        if hit is None:
            ok = {x for x, b in zip(names, bits, strict=True) if b}
            hit = self.att[key] = self._att(p, qn, ok, {})
        return hit

    def _collect_atts(self, p: int, qn: str, out: set[int], seen: set[int]) -> None:
        if p in seen:
            return
        seen.add(p)
        k = self.K[p]
        if k == CHOICE:
            for m in self.A[p]:
                self._collect_atts(m, qn, out, seen)
        elif k in (GROUP, INTERLEAVE):
            self._collect_atts(self.A[p], qn, out, seen)
            self._collect_atts(self.B[p], qn, out, seen)
        elif k in (ONEORMORE, AFTER):
            self._collect_atts(self.A[p], qn, out, seen)
        elif k == ATTRIBUTE and self.contains(self.A[p], qn):
            out.add(self.B[p])

    def _att(self, p: int, qn: str, ok: set[int], memo: dict[int, int]) -> int:
        hit = memo.get(p)
        if hit is not None:
            return hit
        K, A, B = self.K, self.A, self.B
        k = K[p]
        if k == AFTER:
            r = self.after(self._att(A[p], qn, ok, memo), B[p])
        elif k == CHOICE:
            r = self.choices([self._att(m, qn, ok, memo) for m in A[p]])
        elif k == GROUP:
            a, b = A[p], B[p]
            r = self.choice(
                self.group(self._att(a, qn, ok, memo), b), self.group(a, self._att(b, qn, ok, memo))
            )
        elif k == INTERLEAVE:
            a, b = A[p], B[p]
            r = self.choice(
                self.interleave(self._att(a, qn, ok, memo), b),
                self.interleave(a, self._att(b, qn, ok, memo)),
            )
        elif k == ONEORMORE:
            r = self.group(self._att(A[p], qn, ok, memo), self.choice(p, EMPTY))
        elif k == ATTRIBUTE:
            r = EMPTY if B[p] in ok and self.contains(A[p], qn) else NA
        else:
            r = NA
        memo[p] = r
        return r

    def value_match(self, p: int, s: str) -> bool:
        return self.value_ok(p, s)

    def close_tag(self, p: int) -> int:
        hit = self.close.get(p)
        if hit is not None:
            return hit
        K, A, B = self.K, self.A, self.B
        k = K[p]
        if k == AFTER:
            r = self.after(self.close_tag(A[p]), B[p])
        elif k == CHOICE:
            r = self.choices([self.close_tag(m) for m in A[p]])
        elif k == GROUP:
            r = self.group(self.close_tag(A[p]), self.close_tag(B[p]))
        elif k == INTERLEAVE:
            r = self.interleave(self.close_tag(A[p]), self.close_tag(B[p]))
        elif k == ONEORMORE:
            r = self.one_or_more(self.close_tag(A[p]))
        elif k == ATTRIBUTE:
            r = NA
        else:
            r = p
        self.close[p] = r
        return r

    def end_tag(self, p: int) -> int:
        hit = self.end.get(p)
        if hit is not None:
            return hit
        k = self.K[p]
        if k == AFTER:
            r = self.B[p] if self.N[self.A[p]] else NA
        elif k == CHOICE:
            r = self.choices([self.end_tag(m) for m in self.A[p]])
        else:
            r = NA
        self.end[p] = r
        return r

    def dep(self, p: int) -> bool:
        """Whether the text derivative of ``p`` looks at the string (data, value, list)."""
        hit = self._dep.get(p)
        if hit is None:
            self._dep[p] = False  # cycles cannot occur below elements; guard anyway
            K, A, B = self.K, self.A, self.B
            k = K[p]
            if k == CHOICE:
                hit = any(self.dep(m) for m in A[p])
            elif k == GROUP:
                hit = self.dep(A[p]) or (self.N[A[p]] and self.dep(B[p]))
            elif k == INTERLEAVE:
                hit = self.dep(A[p]) or self.dep(B[p])
            elif k in (ONEORMORE, AFTER):
                hit = self.dep(A[p])
            elif k == DATA:
                hit = B[p] >= 0 or not self.dts[A[p]].always
            else:
                hit = k in (VALUE, LIST)
            self._dep[p] = hit
        return hit

    def text(self, p: int, s: str) -> int:
        """textDeriv for a text node (memoised by state alone where the string is not read)."""
        if not self.dep(p):
            hit = self._td.get(p)
            if hit is None:
                hit = self._td[p] = self._text(p, s)
            return hit
        key = (p, s)
        hit = self._tdv.get(key)
        if hit is None:
            if len(self._tdv) > _DEP_MEMO_MAX:
                self._tdv.clear()
            hit = self._tdv[key] = self._text(p, s)
        return hit

    def _text(self, p: int, s: str) -> int:
        K, A, B = self.K, self.A, self.B
        k = K[p]
        if k == CHOICE:
            return self.choices([self.text(m, s) for m in A[p]])
        if k == GROUP:
            a, b = A[p], B[p]
            r = self.group(self.text(a, s), b)
            return self.choice(r, self.text(b, s)) if self.N[a] else r
        if k == INTERLEAVE:
            a, b = A[p], B[p]
            return self.choice(
                self.interleave(self.text(a, s), b), self.interleave(a, self.text(b, s))
            )
        if k == AFTER:
            return self.after(self.text(A[p], s), B[p])
        if k == ONEORMORE:
            return self.group(self.text(A[p], s), self.choice(p, EMPTY))
        if k == TEXT_K:
            return p
        if k == DATA:
            d = self.dts[A[p]]
            if not d.allows(s):
                return NA
            if B[p] >= 0 and self.value_match(B[p], s):
                return NA
            return EMPTY
        if k == VALUE:
            d = self.dts[A[p]]
            try:
                return EMPTY if d.allows(s) and d.key(s) == B[p] else NA
            except (ValueError, ArithmeticError):
                return NA
        if k == LIST:
            q = A[p]
            for tok in s.replace("\t", " ").replace("\n", " ").replace("\r", " ").split():
                q = self.text(q, tok)
                if q == NA:
                    return NA
            return EMPTY if self.N[q] else NA
        return NA

    def ws_only(self, p: int) -> int:
        """State after an element's only content, whitespace or nothing, when the state does
        not read strings; ``-2`` when it does (then :meth:`only_text` with the string)."""
        r = -2 if self.dep(p) else self.choice(p, self.text(p, ""))
        self.ws_tab[p] = r
        return r

    def nonws(self, p: int) -> int:
        """State after a non-whitespace text when the state does not read strings; ``-2``
        when it does (then :meth:`text` with the string)."""
        r = -2 if self.dep(p) else self.text(p, "x")
        self.nonws_tab[p] = r
        return r

    def only_text(self, p: int, s: str) -> int:
        """childrenDeriv of an element whose only content is the text ``s`` (maybe empty)."""
        if s.strip(_WS):
            return self.text(p, s)
        return self.choice(p, self.text(p, s))

    # ------------------------------------------------------------------ the walk

    def check(self, root: etree._Element) -> None:
        """Raise :class:`Invalid` where ``root`` first stops matching the schema."""
        _, first = self.walk(root)
        if first is not None:
            raise first

    def focus(self, root: etree._Element) -> list[etree._Element] | None:
        """Every element where ``root`` goes wrong (see :meth:`walk`)."""
        return self.walk(root)[0]

    def walk(self, root: etree._Element) -> tuple[list[etree._Element] | None, Invalid | None]:
        """One pass over ``root``: the elements where it goes wrong (empty: valid) and the
        first error (see :meth:`walk_python`).

        The walk runs in C (``cwalk.c``) when that extension is built and loads; it asks
        this class for every transition it has not seen, so both walks give the same
        answer.  ``TEI_RNG_WALK=python`` in the environment keeps the walk in Python.
        """
        found = self.walk_c(root)
        return self.walk_python(root) if found is None else found

    def walk_c(
        self, root: etree._Element
    ) -> tuple[list[etree._Element] | None, Invalid | None] | None:
        """:meth:`walk_python` in C; ``None`` when the C walk is not available or leaves this
        tree to Python (entity references, XInclude nodes)."""
        w = self._cwalk
        if w is None:
            mod = c_walk_module()
            w = self._cwalk = mod.Walker(self, Invalid) if mod is not None else False
        return w.walk(root) if w else None

    # the C walk's questions on a miss of its own tables (each answer is then kept in C)

    def _c_att(self, p: int, qn: str) -> tuple[int, int, int]:
        e = self.att1.get((p, qn))
        return e if e is not None else self.att_entry(p, qn)

    def _c_ws(self, p: int) -> int:
        q = self.ws_tab.get(p)
        return q if q is not None else self.ws_only(p)

    def _c_nonws(self, p: int) -> int:
        q = self.nonws_tab.get(p)
        return q if q is not None else self.nonws(p)

    def _c_value_kind(self, x: int) -> int:
        """The shape of value pattern ``x`` for the C walk, which then decides
        :meth:`value_ok` of an ASCII value itself (``fast_value`` in cwalk.c): a token class
        from ``_VK_CLASSES`` and ``_VK_*`` flags, or 0 (ask :meth:`value_ok`).

        ``data`` of a class; a ``choice`` of one such ``data`` (or of date and time types
        only) and ``empty`` (``_VK_XMLWS``)
        or ``value`` members of a string or token type that the data matches too (then they
        change nothing) or that are the token ``""`` (``_VK_NOTOKENS``); ``list`` of
        ``oneOrMore`` of such a ``data`` or ``choice`` (``_VK_LIST``), maybe optional
        (``_VK_NOTOKENS``: inside a list a token is never empty, so a ``""`` member is moot).
        """
        K, A, B = self.K, self.A, self.B
        k = K[x]
        if k == DATA:
            return self._vk_class(x)
        if k == LIST:
            body = A[x]
            flags = _VK_LIST
            if K[body] == CHOICE and len(A[body]) == 2 and A[body][0] == EMPTY:
                body = A[body][1]
                flags |= _VK_NOTOKENS
            if K[body] != ONEORMORE:
                return 0
            inner = self._c_value_kind(A[body])
            if not inner or inner & (_VK_LIST | _VK_XMLWS):
                return 0
            return (inner & ~(_VK_LIST | _VK_NOTOKENS | _VK_XMLWS)) | flags
        if k != CHOICE:
            return 0
        data = [m for m in A[x] if K[m] == DATA]
        classes = [self._vk_class(m) for m in data]
        if not data or not all(classes):
            return 0
        flags = classes[0]
        if len(data) > 1:  # several date types: any of them
            if any(c & _VK_CLASS != _VK_DATE for c in classes):
                return 0
            for c in classes:
                flags |= c
        dts = [self.dts[A[m]] for m in data]
        for m in A[x]:
            if m in data:
                continue
            if m == EMPTY:
                flags |= _VK_XMLWS
                continue
            if K[m] != VALUE or not isinstance(B[m], str):
                return 0
            vt = self._vk_key(A[m])
            if vt not in _VK_VALUE_TYPES:
                return 0
            if any(d.allows(B[m]) for d in dts):
                continue  # what the value matches, the data matches (collapsed alike)
            if B[m] == "" and vt in _VK_TOKEN_TYPES:
                flags |= _VK_NOTOKENS
                continue
            return 0
        return flags

    def _vk_key(self, dt: int) -> tuple:
        lib, name, params = self.dt_keys[dt]
        return (lib, name, tuple(tuple(p) for p in params))

    def _vk_class(self, p: int) -> int:
        return 0 if self.B[p] != -1 else _VK_CLASSES.get(self._vk_key(self.A[p]), 0)

    def walk_python(
        self, root: etree._Element
    ) -> tuple[list[etree._Element] | None, Invalid | None]:
        """One pass over ``root``: the elements where it goes wrong (empty: valid) and the
        first error.

        After an error at element ``F`` the walk recovers as the diagnosis needs (see
        ``Diagnoser.run``, which walks each focus element and its following siblings in
        full): the rest of ``F``'s parent is skipped and the walk goes on after that parent
        as if it had ended well.  The list is ``None`` when the walk cannot recover exactly
        (competing contents at that parent): then the whole tree is to be diagnosed.
        """
        opened = self.open
        open_tag = self.open_tag
        att1 = self.att1
        att_entry = self.att_entry
        att = self.att_deriv
        vm = self.vm
        value_ok = self.value_ok
        close = self.close
        close_tag = self.close_tag
        N = self.N
        ws_tab = self.ws_tab
        ws_only = self.ws_only
        nonws_tab = self.nonws_tab
        nonws = self.nonws
        text = self.text
        only_text = self.only_text
        end_tag = self.end_tag
        stack: list[list] = []
        push = stack.append
        pop = stack.pop
        state = self.start
        top: list | None = None
        focus: list[etree._Element] = []
        first: Invalid | None = None
        skip: etree._Element | None = None  # skipping until this element's end tag
        for event, el in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
            if skip is not None:
                if event != "end" or el is not skip:
                    continue
                skip = None
                rest = pop()[1]  # the parent of an error: go on as if it ended well
                if rest < 0:
                    return None, first
                if stack:
                    top = stack[-1]
                    top[0] = rest
                    top[3] = el.tail
                else:
                    top = None
                    state = rest
                continue
            bad: Invalid | None = None
            if event == "start":
                if top is not None:
                    buf = top[3]
                    if buf and buf.strip(_WS):
                        p = top[0]
                        q = nonws_tab.get(p)
                        if q is None:
                            q = nonws(p)
                        if q == -2:
                            q = text(p, buf)
                        if q == NA:
                            bad = Invalid(top[2], "text")  # the parent of el is the error
                            pop()
                        else:
                            top[0] = q
                    if bad is None:
                        top[3] = None
                        top[4] = True
                if bad is None:
                    p = top[0] if top is not None else state
                    tag = el.tag
                    o = opened.get((p, tag))
                    if o is None:
                        o = open_tag(p, tag)
                    c = o[0]
                    if c == NA:
                        bad = Invalid(el, "element")
                    else:
                        for name, value in el.items():
                            e = att1.get((c, name))
                            if e is None:
                                e = att_entry(c, name)
                            x = e[0]
                            if x >= 0:
                                ok = vm.get((x, value))
                                if ok is None:
                                    ok = value_ok(x, value)
                                q = e[1] if ok else e[2]
                            elif x == -1:
                                q = att(c, name, value)
                            else:
                                q = NA
                            if q == NA:
                                bad = Invalid(el, "attribute", name)
                                break
                            c = q
                        if bad is None:
                            q = close.get(c)
                            if q is None:
                                q = close_tag(c)
                            if q == NA:
                                bad = Invalid(el, "attributes")
                            else:
                                top = [q, o[1], el, el.text, False]
                                push(top)
                                continue
            elif event == "end":
                frame = pop()
                c = frame[0]
                buf = frame[3]
                if not frame[4]:
                    if not buf or not buf.strip(_WS):
                        q = ws_tab.get(c)
                        if q is None:
                            q = ws_only(c)
                        c = only_text(c, buf or "") if q == -2 else q
                    else:
                        q = nonws_tab.get(c)
                        if q is None:
                            q = nonws(c)
                        c = text(c, buf) if q == -2 else q
                elif buf and buf.strip(_WS):
                    q = nonws_tab.get(c)
                    if q is None:
                        q = nonws(c)
                    c = text(c, buf) if q == -2 else q
                if c == NA:
                    bad = Invalid(el, "text")
                else:
                    rest = frame[1]
                    if rest >= 0:
                        if not N[c]:
                            bad = Invalid(el, "incomplete")
                        c = rest
                    else:
                        c = end_tag(c)
                        if c == NA:
                            bad = Invalid(el, "incomplete")
                if bad is None:
                    if stack:
                        top = stack[-1]
                        top[0] = c
                        top[3] = el.tail
                    else:
                        top = None
                        state = c
                    continue
            else:  # comment or PI: its tail joins the text around it
                if top is not None:
                    tail = el.tail
                    if tail:
                        top[3] = (top[3] or "") + tail
                continue
            # an error at bad.element; the frame of its parent is now on top of the stack
            if first is None:
                first = bad
            focus.append(bad.element)
            if not stack:
                return focus, first
            top = stack[-1]
            skip = top[2]
        if not focus and not N[state]:
            first = Invalid(root, "incomplete")
            focus.append(root)
        return focus, first

    def opened(self, p: int, qn: str) -> tuple[int, int]:
        hit = self.open.get((p, qn))
        return hit if hit is not None else self.open_tag(p, qn)

    def valid(self, root: etree._Element) -> bool:
        try:
            self.check(root)
        except Invalid:
            return False
        return True


# ---------------------------------------------------------------------- the C walk

_C_WALK: list[tuple[Any, str | None]] = []  # (the module or None, why not), once per process


def _python_walk_asked() -> bool:
    return os.environ.get("TEI_RNG_WALK", "").strip().lower() == "python"


def c_walk_module() -> Any:
    """The C walk extension (``cwalk.c``), or ``None``: not built, disabled with
    ``TEI_RNG_WALK=python``, built against another lxml or libxml2 major version, or its
    reading of lxml's element layout does not match what lxml says of a test element."""
    if _python_walk_asked():
        return None
    if not _C_WALK:
        _C_WALK.append(load_c_walk())
    return _C_WALK[0][0]


def c_walk_problem() -> str | None:
    """Why the C walk is not used (``None``: it is)."""
    if _python_walk_asked():
        return "TEI_RNG_WALK=python"
    c_walk_module()
    return _C_WALK[0][1]


def load_c_walk() -> tuple[Any, str | None]:
    """Import and vet the C walk: ``(module, None)``, or ``(None, the reason)``."""
    try:
        from . import cwalk
    except Exception as exc:  # ImportError; TypeError when lxml's C API signatures changed
        return None, f"extension not built or not loadable: {exc}"
    built = cwalk.LXML_VERSION.split(".")[0], cwalk.LIBXML_VERSION // 10000
    running = etree.__version__.split(".")[0], etree.LIBXML_VERSION[0]
    if built != running:
        return None, f"built for lxml/libxml2 majors {built}, running {running}"
    el = etree.fromstring(b'<p:a xmlns:p="urn:probe" n="1">\n<!-- c --><b/></p:a>')
    kid = el[1]
    if cwalk.probe(el) != ("a", "urn:probe", 1, kid) or (cwalk.probe(kid) or ())[:3] != (
        "b",
        None,
        2,
    ):
        return None, "lxml element layout not as expected"
    return cwalk, None


# ---------------------------------------------------------------------- the validator


def get_derivative(path: str | os.PathLike[str]) -> DerivativeValidator:
    """The derivative validator for ``path``, compiled once per process."""
    return compiled(path, DerivativeValidator)


class DerivativeValidator:
    """``tei validate --engine derivative``: verdicts from :class:`Schema`; an invalid
    document's findings in jing's words from the libxml2 engine's diagnosis.

    A schema this engine cannot compile (an unknown datatype library, say) is handed to the
    libxml2 engine whole.
    """

    engine = ENGINE

    def __init__(self, path: Path):
        from .load import load_schema, parse_schema

        self.path = path
        self.schema: Schema | None = None
        self.unsupported: str | None = None
        self._fallback = None
        self._model: RngModel | None = None  # the diagnosis model, on first need
        self._saved_size = -1
        cached = _cache_read(path)
        if cached is not None:
            state, self._deps = cached
            self.schema = Schema(path, parse_schema, state)
            self._saved_size = self.schema.size()
        else:
            tree = load_schema(path)  # vets every included file first
            try:
                self.schema = Schema(path, lambda p: tree if p == path else parse_schema(p))
            except Unsupported as exc:
                self.unsupported = str(exc)
            except RecursionError:
                self.unsupported = "schema nested too deeply"
            if self.schema is not None:
                self._deps = [(str(f), _digest(f)) for f in self.schema.files()]
        if self.schema is not None:
            atexit.register(self.save)

    def save(self) -> None:
        """Write the compiled, warmed-up schema to the user cache when it learnt something
        (read back by the next process: tei_all then costs ~10 ms instead of ~0.3 s)."""
        if self.schema is None or os.getpid() != _PID or self.schema.size() <= self._saved_size:
            return
        _cache_write(self.path, self.schema.state(), self._deps)
        self._saved_size = self.schema.size()

    @property
    def fallback(self):  # the libxml2 engine, for a schema this one cannot compile
        if self._fallback is None:
            from ..relaxng import RelaxNGValidator

            fb = RelaxNGValidator(self.path)
            fb.use("quick")
            self._fallback = fb
        return self._fallback

    def prepare(self) -> None:
        if self.schema is None:
            self.fallback.prepare()

    def validate(self, tree: etree._ElementTree, label: str, positions: Positions) -> list[Finding]:
        schema = self.schema
        if schema is None:
            return self.fallback.validate(tree, label, positions)
        root = tree.getroot()
        focus, bad = schema.walk(root)
        if bad is None:
            return []
        return self._diagnose(root, focus, bad, tree, label, positions)

    def _diagnose(
        self,
        root: etree._Element,
        focus: list[etree._Element] | None,
        bad: Invalid,
        tree: etree._ElementTree,
        label: str,
        positions: Positions,
    ) -> list[Finding]:
        """Findings in jing's words: the model's diagnosis, walked where this engine found
        errors (the whole tree if that says nothing); libxml2 as the last resort."""
        from .diagnose import Diagnoser, issue_finding, want_places
        from .model import diagnosis_model

        model = self._model
        if model is None:  # built on the first invalid document only
            model = self._model = diagnosis_model(self.path)
        issues = []
        if model is not None:
            if focus:
                issues = Diagnoser(model).run(root, focus)
            if not issues:
                issues = Diagnoser(model).run(root)
        if issues:
            want_places(issues, positions)
            return [issue_finding(i, label, positions) for i in issues]
        found = self.fallback.validate(tree, label, positions)
        return found or [_own_finding(bad, label, positions)]


def _own_finding(bad: Invalid, label: str, positions: Positions) -> Finding:
    """A finding in jing's words from the derivative walk alone (when libxml2 sees nothing)."""
    from ..positions import element_path
    from .diagnose import attr_qname, qname

    el = bad.element
    name = qname(el)
    line, col = positions.element(el)
    if bad.kind == "element":
        msg = f'element "{name}" not allowed here'
    elif bad.kind == "attribute" and bad.name is not None:
        written = attr_qname(el, bad.name)
        msg = f'attribute "{written}" not allowed here or its value is invalid'
        line, col = positions.attribute(el, written)
    elif bad.kind == "attributes":
        msg = f'element "{name}" missing required attribute'
    elif bad.kind == "text":
        msg = f'text not allowed here in element "{name}" or its value is invalid'
    else:
        msg = f'element "{name}" incomplete; missing required content'
        line, col = positions.end(el)
    return Finding(label, line or el.sourceline, col, "error", msg, "rng", ENGINE, element_path(el))


# ---------------------------------------------------------------------- the compiled-schema cache

_PID = os.getpid()  # only the process that compiled a schema saves it (never a worker)
_CODE: list[str] = []


def _code_version() -> str:
    """A digest of this engine's own source: a saved state is only read by the same code."""
    if not _CODE:
        h = hashlib.sha256()
        for f in (Path(__file__), Path(__file__).with_name("datatypes.py")):
            h.update(f.read_bytes())
        _CODE.append(h.hexdigest()[:16])
    return _CODE[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cache_file(path: Path) -> Path:
    from ..cache import user_cache_dir

    key = hashlib.sha256(f"{_code_version()}|{path.resolve()}".encode()).hexdigest()[:32]
    return user_cache_dir() / "rng-derivative" / f"{key}.marshal"


def _cache_read(path: Path) -> tuple[dict, list[tuple[str, str]]] | None:
    """The saved state of ``path``'s schema if every file it was compiled from is unchanged."""
    from ..cache import read_entry

    try:
        data = marshal.loads(read_entry(_cache_file(path)))
        deps = data["deps"]
        for f, digest in deps:
            if _digest(Path(f)) != digest:
                return None
        if data["version"] != _code_version() or not any(f == str(path) for f, _ in deps):
            return None
        return data["state"], deps
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


def _cache_write(path: Path, state: dict, deps: list[tuple[str, str]]) -> None:
    from ..cache import write_entry

    with contextlib.suppress(ValueError):  # marshal: an object it cannot write
        data = marshal.dumps({"version": _code_version(), "deps": deps, "state": state})
        write_entry(_cache_file(path), data)
