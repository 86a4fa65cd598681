"""A RELAX NG schema rewritten so that libxml2 compiles it in a fraction of the time.

libxml2 turns every content model it can into a finite automaton, and the automata of
repeated choices among hundreds of elements (TEI's ``macro.paraContent``,
``macro.phraseSeq``, ``model.divPart``...) cost seconds: tei_all takes about 8 s to compile,
tei_lite 10 ms.  Two rewrites keep the language and leave those content models to libxml2's
automaton-free validation:

1. Mixed content becomes ``mixed`` (RELAX NG section 4.13: ``mixed p`` is
   ``interleave(p, text)``)::

       zeroOrMore(choice(text, X1, ..., Xn))  ==  mixed(zeroOrMore(choice(X1, ..., Xn)))

   Both sides accept any interleaving of text with a sequence of X items.

2. A repeated choice of more than :data:`MIN_UNCOMPILED` elements gets one more alternative
   that no document can match, an element of a private namespace whose content is
   ``notAllowed``.  libxml2 compiles no automaton for a content model naming a namespace
   wildcard.  (Smaller choices compile fast and validate faster as automata.)

Both apply only where every alternative can reach nothing but element patterns (and
``empty``, ``notAllowed`` and the combinators): text, an attribute, ``data``, ``value``,
``list`` or an external reference on the way leaves the pattern as written, and a schema that
includes other files or nests grammars is left as it is.  tei_all then compiles in about
0.09 s instead of 8 s; libxml2 validates about 4x slower (the whole per-file path about
2.6x), which pays for runs of up to a couple of thousand files per worker; see
:data:`tei.validate.runner.QUICK_MAX_FILES_PER_JOB`.
"""

from __future__ import annotations

import copy

from lxml import etree

from ...ns import RNG_NS

NEVER_NS = "urn:x-tei-archive-edition:never"  # + a number: distinct names for interleaves
# tei_all at 40: 0.09 s to compile; at 10, validation is ~7% slower; at 80, compile takes 0.5 s
MIN_UNCOMPILED = 40
_R = f"{{{RNG_NS}}}"
# (no "text" and no "mixed": RELAX NG 7.4 forbids text on both sides of an interleave)
_NEUTRAL = {
    f"{_R}{n}"
    for n in (
        "choice",
        "group",
        "interleave",
        "zeroOrMore",
        "oneOrMore",
        "optional",
        "empty",
        "notAllowed",
    )
}


def quick_form(tree: etree._ElementTree) -> tuple[etree._ElementTree, int]:
    """A copy of ``tree`` in the quick form (both rewrites of the module docstring).

    Returns the copy and the number of patterns rewritten (0, and ``tree`` itself, for a
    schema that includes other files or nests grammars: its defines are not all in view).
    """
    top = tree.getroot()
    if any(
        el is not top
        for el in top.iter(f"{_R}include", f"{_R}externalRef", f"{_R}parentRef", f"{_R}grammar")
    ):
        return tree, 0
    out = copy.deepcopy(tree)
    root = out.getroot()
    defines: dict[str, list[etree._Element]] = {}
    for d in root.iter(f"{_R}define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    memo: dict[str, bool] = {}
    sizes: dict[str, int] = {}
    n = 0
    for z in list(root.iter(f"{_R}zeroOrMore")):
        kids = [k for k in z if isinstance(k.tag, str)]
        if len(kids) != 1 or kids[0].tag != f"{_R}choice":
            continue
        choice = kids[0]
        texts = [c for c in choice if c.tag == f"{_R}text"]
        rest = [c for c in choice if isinstance(c.tag, str) and c.tag != f"{_R}text"]
        if not texts or not rest or not all(_elements_only(c, defines, memo) for c in rest):
            continue
        for t in texts:
            choice.remove(t)
        mixed = etree.Element(f"{_R}mixed")
        mixed.tail = z.tail
        z.addprevious(mixed)
        mixed.append(z)
        n += 1
    for rep in list(root.iter(f"{_R}zeroOrMore", f"{_R}oneOrMore")):
        kids = [k for k in rep if isinstance(k.tag, str)]
        if len(kids) != 1 or kids[0].tag != f"{_R}choice":
            continue
        choice = kids[0]
        alts = [c for c in choice if isinstance(c.tag, str)]
        if len(alts) < 2 or not all(_elements_only(c, defines, memo) for c in alts):
            continue
        if sum(_size(c, defines, sizes) for c in alts) <= MIN_UNCOMPILED:
            continue
        n += 1
        never = etree.SubElement(choice, f"{_R}element")
        etree.SubElement(never, f"{_R}nsName", ns=f"{NEVER_NS}:{n}")
        etree.SubElement(never, f"{_R}notAllowed")
    return out, n


def _elements_only(
    node: etree._Element, defines: dict[str, list[etree._Element]], memo: dict[str, bool]
) -> bool:
    """Does ``node`` reach only element patterns (their content does not matter)?"""
    tag = node.tag
    if not isinstance(tag, str) or not tag.startswith(_R):
        return True  # annotations
    if tag == f"{_R}element":
        return True
    if tag == f"{_R}ref":
        name = node.get("name", "")
        if name not in memo:
            memo[name] = False  # a cycle without an element in between: refuse
            memo[name] = bool(defines.get(name)) and all(
                _elements_only(c, defines, memo) for d in defines[name] for c in d
            )
        return memo[name]
    if tag in _NEUTRAL:
        return all(_elements_only(c, defines, memo) for c in node)
    return False  # attribute, data, value, list, externalRef, parentRef, grammar...


def _size(
    node: etree._Element, defines: dict[str, list[etree._Element]], sizes: dict[str, int]
) -> int:
    """How many element patterns a pattern offers, refs expanded (an automaton's width)."""
    tag = node.tag
    if tag == f"{_R}element":
        return 1
    if tag == f"{_R}ref":
        name = node.get("name", "")
        if name not in sizes:
            sizes[name] = 0  # cycles count nothing
            sizes[name] = sum(_size(c, defines, sizes) for d in defines.get(name, []) for c in d)
        return sizes[name]
    if isinstance(tag, str):
        return sum(_size(c, defines, sizes) for c in node)
    return 0
