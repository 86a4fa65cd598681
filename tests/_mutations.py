"""Random damage to valid TEI documents, for tests that compare two ways of diagnosing them."""

from __future__ import annotations

import random

from lxml import etree

from tei.xmlsafe import parse_bytes

TEI = "{http://www.tei-c.org/ns/1.0}"
NAMES = ["p", "div", "hi", "foo", "note", "lb", "title", "head", "ab", "seg", "date", "q", "gap"]
ATTRS = ["type", "n", "when", "rend", "bogus", "{http://www.w3.org/XML/1998/namespace}id"]


def mutate(tree: etree._ElementTree, rnd: random.Random) -> etree._ElementTree:
    els = list(tree.getroot().iter(etree.Element))[1:]
    for _ in range(rnd.randint(1, 4)):
        el = rnd.choice(els)
        op = rnd.randrange(6)
        if op == 0:
            el.tag = TEI + rnd.choice(NAMES)
        elif op == 1 and el.getparent() is not None:
            el.getparent().remove(el)
        elif op == 2:
            el.insert(rnd.randint(0, len(el)), etree.Element(TEI + rnd.choice(NAMES)))
        elif op == 3:
            el.set(rnd.choice(ATTRS), rnd.choice(["x y", "1", "", "2020-13-45", "a"]))
        elif op == 4:
            el.text = (el.text or "") + "stray text"
        elif op == 5 and el.attrib:
            del el.attrib[rnd.choice(sorted(el.attrib))]
    return parse_bytes(etree.tostring(tree))
