"""A RELAX NG schema cut down to the element names a batch of documents uses.

A document can only match element patterns whose name class accepts one of its element
names.  An ``element`` pattern that names (``name="..."``, ``<name>``, a ``choice`` of names)
none of the local names found in a batch can match nothing in it, so it is replaced by
``notAllowed``; ``notAllowed`` then propagates (RELAX NG section 4.19: a group, interleave,
oneOrMore, element or attribute over it is ``notAllowed``, a choice drops it, ``zeroOrMore``
and ``optional`` of it are ``empty``), defines that become ``notAllowed`` are removed with
their references, and so are defines no longer reachable from ``start``.  For every document
whose element names are all in the set, the pruned schema accepts exactly what the schema as
written accepts; wildcards (``anyName``, ``nsName``) are kept as written.

libxml2 then compiles automata only for the content models the batch can use: tei_all,
~8-29 s to compile whole, compiles in a fraction of that for a batch's names.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

from lxml import etree

from ...ns import RNG_COMPAT_NS, RNG_NS

_R = f"{{{RNG_NS}}}"
# Where a pattern child that matches only the empty sequence can go without changing anything
_SEQUENCE = {f"{_R}{n}" for n in ("group", "interleave", "element", "define", "start")}
# Start tags in raw bytes: a superset of the element names (comments and CDATA count too).
_START_TAG = re.compile(rb"<([^\s/>!?=\"'<&]+)")


def names_in(data: bytes) -> set[str]:
    """The local names of every start tag in ``data`` (a superset: comments count too)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return {"*"}  # cannot tell: prune nothing
    out = set()
    for raw in set(_START_TAG.findall(data)):
        out.add(raw.rpartition(b":")[2].decode("utf-8", "replace"))
    return out


class _Pruner:
    def __init__(self, root: etree._Element, names: set[str]):
        self.root = root
        self.names = names
        self.defines: dict[str, etree._Element] = {}
        for d in root.iter(f"{_R}define"):
            self.defines[d.get("name", "")] = d
        self.dead: set[str] = set()  # defines known to be notAllowed

    def element_can_match(self, el: etree._Element) -> bool:
        """Can the name class of element pattern ``el`` accept a name of the batch?"""
        name = el.get("name")
        if name is not None:
            return name.rpartition(":")[2] in self.names
        kids = _rng_children(el)
        return not kids or self._class_can_match(kids[0])

    def _class_can_match(self, nc: etree._Element) -> bool:
        if nc.tag == f"{_R}name":
            return (nc.text or "").strip().rpartition(":")[2] in self.names
        if nc.tag == f"{_R}choice":
            return any(self._class_can_match(c) for c in nc if isinstance(c.tag, str))
        return True  # anyName, nsName (with or without except): a wildcard

    def dead_pattern(self, node: etree._Element) -> bool:
        """Is ``node`` notAllowed, given the defines found dead so far?"""
        tag = node.tag
        if not isinstance(tag, str) or not tag.startswith(_R):
            return False
        kids = _patterns(node)
        if tag == f"{_R}notAllowed":
            return True
        if tag == f"{_R}ref":
            return node.get("name", "") in self.dead
        if tag == f"{_R}element":
            if not self.element_can_match(node):
                return True
            return any(self.dead_pattern(c) for c in kids)
        if tag == f"{_R}attribute":
            return any(self.dead_pattern(c) for c in kids)
        if tag == f"{_R}choice":
            return bool(kids) and all(self.dead_pattern(c) for c in kids)
        if tag in (f"{_R}zeroOrMore", f"{_R}optional"):
            return False
        if tag in (
            f"{_R}group",
            f"{_R}interleave",
            f"{_R}oneOrMore",
            f"{_R}mixed",
            f"{_R}list",
            f"{_R}define",
            f"{_R}start",
        ):
            return any(self.dead_pattern(c) for c in kids)
        return False  # text, empty, data (its except cannot kill it), value, ...

    def find_dead(self) -> None:
        """Dead defines, to a fixpoint (a define dies when its content does)."""
        changed = True
        while changed:
            changed = False
            for name, d in self.defines.items():
                if name not in self.dead and self.dead_pattern(d):
                    self.dead.add(name)
                    changed = True

    def rewrite(self, node: etree._Element) -> None:
        """Replace dead patterns under ``node`` by notAllowed / empty, in place."""
        for c in _patterns(node):
            if c.tag == f"{_R}except":
                continue  # a data except: leave as written
            if c.tag in (f"{_R}zeroOrMore", f"{_R}optional") and any(
                self.dead_pattern(k) for k in _patterns(c)
            ):
                _replace(c, f"{_R}empty")  # matches only the empty sequence now
                continue
            if self.dead_pattern(c):
                if node.tag == f"{_R}choice" and len(_rng_children(node)) > 1:
                    _drop(c)
                else:
                    _replace(c, f"{_R}notAllowed")
                continue
            self.rewrite(c)

    def reachable(self) -> set[str]:
        seen: set[str] = set()
        todo = [s for s in self.root if s.tag == f"{_R}start"]
        while todo:
            n = todo.pop()
            for r in n.iter(f"{_R}ref"):
                name = r.get("name", "")
                if name not in seen and name in self.defines:
                    seen.add(name)
                    todo.append(self.defines[name])
        return seen


def _rng_children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]


def _patterns(node: etree._Element) -> list[etree._Element]:
    """The pattern children of ``node``: an element's or attribute's name class left out."""
    kids = _rng_children(node)
    if node.tag in (f"{_R}element", f"{_R}attribute") and node.get("name") is None and kids:
        return kids[1:]
    return kids


_EMPTY = f"{_R}empty"


def _simplify(node: etree._Element) -> None:
    """Fold the ``empty`` patterns pruning left (libxml2 mis-validates ``optional(empty)``
    and loops compiling repeated ``empty``): RELAX NG 4.20's rules for ``empty``."""
    for c in _patterns(node):
        if c.tag not in (f"{_R}except",):
            _simplify(c)
    kids = _patterns(node)
    tag = node.tag
    if tag in _SEQUENCE or tag == f"{_R}list":
        empties = [k for k in kids if k.tag == _EMPTY]
        for k in empties[: len(empties) - (len(empties) == len(kids))]:
            _drop(k)
        kids = _patterns(node)
        if tag in (f"{_R}group", f"{_R}interleave") and len(kids) == 1:
            _unwrap(node, kids[0])  # libxml2 loops compiling some one-child groups
    elif tag in (f"{_R}zeroOrMore", f"{_R}oneOrMore", f"{_R}optional"):
        if all(k.tag == _EMPTY for k in kids):
            _replace(node, _EMPTY)
    elif tag == f"{_R}choice":
        empties = [k for k in kids if k.tag == _EMPTY]
        for k in empties[1:]:
            _drop(k)
        if len(empties) == len(kids):
            _replace(node, _EMPTY)
        elif len(kids) == 1:
            _unwrap(node, kids[0])


def _unwrap(node: etree._Element, only: etree._Element) -> None:
    """Put ``node``'s one pattern child in its place (annotations go with ``node``)."""
    parent = node.getparent()
    assert parent is not None
    only.tail = node.tail
    parent.replace(node, only)


def _replace(el: etree._Element, tag: str) -> None:
    repl = etree.Element(tag)
    repl.tail = el.tail
    parent = el.getparent()
    assert parent is not None
    parent.replace(el, repl)


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def prunable(tree: etree._ElementTree) -> bool:
    """One grammar with every define in view and no combine: what :func:`prune` handles."""
    top = tree.getroot()
    if top.tag != f"{_R}grammar":
        return False
    if any(True for _ in top.iter(f"{_R}include", f"{_R}externalRef", f"{_R}parentRef")):
        return False
    if any(g is not top for g in top.iter(f"{_R}grammar")):
        return False
    return not any(d.get("combine") for d in top.iter(f"{_R}define"))


def prune(tree: etree._ElementTree, names: Iterable[str]) -> etree._ElementTree | None:
    """A copy of ``tree`` keeping only what documents using ``names`` can match.

    ``names`` are local names (namespaces are not told apart: a superset is always safe);
    ``"*"`` among them means "unknown" and nothing is pruned.  ``None`` when the schema is
    not one self-contained grammar (includes, nested grammars, combined defines).
    """
    wanted = set(names)
    if "*" in wanted or not prunable(tree):
        return None
    out = copy.deepcopy(tree)
    root = out.getroot()
    p = _Pruner(root, wanted)
    p.find_dead()
    for d in p.defines.values():
        if d.get("name", "") not in p.dead:
            p.rewrite(d)
    for s in root.iter(f"{_R}start"):
        p.rewrite(s)
    for d in list(root):
        if d.tag in (f"{_R}define", f"{_R}start"):
            _simplify(d)
    keep = p.reachable()
    for name, d in p.defines.items():
        if name not in keep:
            _drop(d)
    for el in list(root):  # documentation-only comments etc. stay; nothing else to do
        if isinstance(el.tag, str) and el.tag.startswith(f"{{{RNG_COMPAT_NS}}}"):
            _drop(el)
    return out
