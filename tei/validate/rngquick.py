"""A RELAX NG schema rewritten so that libxml2 compiles it in a fraction of the time.

libxml2 turns every element's content model into a finite automaton when it can.  For
TEI's mixed-content macros (``macro.paraContent``, ``macro.phraseSeq``...: text or any of
some 300 elements, repeated) that costs seconds: tei_all takes about 8 s to compile, tei_lite
10 ms.  Writing such a pattern as ``mixed`` keeps its language and makes libxml2 validate it
without an automaton (RELAX NG spec, section 4.13: ``mixed p`` is ``interleave(p, text)``)::

    zeroOrMore(choice(text, X1, ..., Xn))   ==   mixed(zeroOrMore(choice(X1, ..., Xn)))

Both sides accept any interleaving of text with a sequence of X items.  The rewrite is
applied only where every ``Xi`` can reach nothing but element patterns (and ``empty``,
``notAllowed`` and the combinators); text, an attribute, ``data``, ``value``, ``list`` or
an external reference on the way leaves the pattern as written, and a schema that includes
other files or nests grammars is left as it is.  Validation of the quick form
is slower per document (about 3x on tei_all), so it pays for runs over a few thousand files
or fewer; see :data:`tei.validate.runner.QUICK_MAX_FILES_PER_JOB`.
"""

from __future__ import annotations

import copy

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"
# (no "text" and no "mixed": RELAX NG 7.4 forbids text on both sides of an interleave)
_NEUTRAL = {f"{_R}{n}" for n in ("choice", "group", "interleave", "zeroOrMore", "oneOrMore",
                                 "optional", "empty", "notAllowed")}


def quick_form(tree: etree._ElementTree) -> tuple[etree._ElementTree, int]:
    """A copy of ``tree`` with repeated text-or-element choices written as ``mixed``.

    Returns the copy and the number of patterns rewritten (0, and ``tree`` itself, for a
    schema that includes other files or nests grammars: its defines are not all in view).
    """
    if any(True for _ in tree.getroot().iter(f"{_R}include", f"{_R}externalRef",
                                             f"{_R}parentRef", f"{_R}grammar")
           if _ is not tree.getroot()):
        return tree, 0
    out = copy.deepcopy(tree)
    root = out.getroot()
    defines: dict[str, list[etree._Element]] = {}
    for d in root.iter(f"{_R}define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    memo: dict[str, bool] = {}
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
    return out, n


def _elements_only(node: etree._Element, defines: dict[str, list[etree._Element]],
                   memo: dict[str, bool]) -> bool:
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
