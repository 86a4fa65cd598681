"""The derivative engine's walk in C (tei/validate/rng/cwalk.c) against its walk in Python:
the same verdict, the same elements where a document goes wrong, the same first error (kind,
element, attribute name), on a small schema with every kind of transition, every shared corpus
file and mutated copies of them."""

from __future__ import annotations

import copy
import random
import shutil
import sysconfig
from pathlib import Path

import pytest
from _mutations import mutate
from _shared import SHARED, edition_corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import tei.validate.rng
from tei.errors import TeiError
from tei.validate.ids import duplicate_ids
from tei.validate.positions import Positions
from tei.validate.rng import derivative
from tei.validate.rng.derivative import Schema, c_walk_module, c_walk_problem
from tei.xmlsafe import parse_bytes, parse_file

TEI_ALL = SHARED / "tei" / "tei_all.rng"
needs_shared = pytest.mark.skipif(not TEI_ALL.is_file(), reason="shared corpora not present")


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc)


def _why_no_c() -> str | None:
    if c_walk_problem() == "TEI_RNG_WALK=python":
        return "TEI_RNG_WALK=python forces the Python walk"
    if c_walk_module() is None and _compiler() is None:
        return "no C compiler: the C walk could not be built"
    return None  # loaded, or it should have been: the tests say why not


needs_c = pytest.mark.skipif(_why_no_c() is not None, reason=str(_why_no_c()))


def outcome(result, tree: etree._ElementTree):
    """A walk's answer in comparable terms: paths of the focus elements, the first error."""
    assert result is not None
    focus, first = result
    paths = None if focus is None else [tree.getpath(e) for e in focus]
    err = None if first is None else (tree.getpath(first.element), first.kind, first.name)
    return paths, err


def both(schema: Schema, tree: etree._ElementTree):
    root = tree.getroot()
    py = outcome(schema.walk_python(root), tree)
    c = outcome(schema.walk_c(root), tree)
    return py, c


# ------------------------------------------------------------------ the extension itself


@needs_c
def test_extension_is_loaded_from_the_installed_package():
    assert c_walk_module() is not None, c_walk_problem()
    mod = c_walk_module()
    # the compiled module sits in the package itself (not a stray build directory)
    pkg = Path(tei.validate.rng.__file__).parent
    assert Path(mod.__file__).parent == pkg
    assert mod.LXML_VERSION.split(".")[0] == etree.__version__.split(".")[0]


def test_python_walk_is_forced_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TEI_RNG_WALK", "python")
    assert c_walk_module() is None
    assert c_walk_problem() == "TEI_RNG_WALK=python"
    (tmp_path / "s.rng").write_text(GRAMMAR)
    schema = Schema(tmp_path / "s.rng", lambda p: etree.parse(str(p)))
    assert schema.walk_c(etree.fromstring(VALID[0])) is None
    assert schema.valid(etree.fromstring(VALID[0]))
    assert not schema.valid(etree.fromstring(INVALID[0][0]))


# ------------------------------------------------------------------ every kind of transition

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="urn:t"
  xmlns:x="urn:x" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc">
    <attribute name="id"><data type="NCName"/></attribute>
    <optional><attribute name="n"><data type="integer"/></attribute></optional>
    <optional><attribute name="x:k"><choice><value>a</value><value>b</value></choice>
    </attribute></optional>
    <optional><attribute name="note"/></optional>
    <interleave><element name="a"><text/></element><element name="b"><empty/></element>
    </interleave>
    <zeroOrMore><choice><ref name="item"/><ref name="two"/><ref name="same"/></choice>
    </zeroOrMore>
    <optional><element name="l"><list><oneOrMore><data type="NCName"/></oneOrMore></list>
    </element></optional>
    <optional><element name="v"><choice><value>x</value><value type="integer">2</value>
      </choice></element></optional>
    <optional><element name="m"><mixed><zeroOrMore><element name="i">
      <optional><attribute name="rend"/></optional><text/></element></zeroOrMore></mixed>
    </element></optional>
    <optional><element><anyName><except><nsName/></except></anyName><text/></element>
    </optional>
  </element></define>
  <define name="item"><element name="item"><data type="token">
    <except><value>no</value></except></data></element></define>
  <!-- one attribute name, two value patterns: the attribute transition that reads values -->
  <define name="two"><element name="two"><choice>
    <group><attribute name="t"><value>word</value></attribute><element name="w"><empty/>
    </element></group>
    <group><attribute name="t"><data type="integer"/></attribute><element name="d"><empty/>
    </element></group>
  </choice></element></define>
  <!-- two element patterns of one name, different contents: competing contents -->
  <define name="same"><choice>
    <element name="same"><element name="p"><empty/></element></element>
    <element name="same"><element name="q"><empty/></element></element>
  </choice></define>
</grammar>"""

D = '<doc xmlns="urn:t" xmlns:x="urn:x" id="d1"'
VALID = [
    f"{D}><a/><b/></doc>",
    f'{D} n=" 12 " x:k="b" note="anything"><b/><a>t</a></doc>',
    f"{D}>\n  <a>text <![CDATA[and cdata]]></a>\n  <!-- c --><?pi x?><b/>\n</doc>",
    f"{D}><a/><b/><item>yes</item><item> y e s </item></doc>",
    f'{D}><a/><b/><two t="word"><w/></two><two t=" 7 "><d/></two></doc>',
    f"{D}><a/><b/><same><p/></same><same><q/></same></doc>",
    f"{D}><a/><b/><l> x  y\tz </l><v> x </v></doc>",
    f"{D}><a/><b/><v>02</v></doc>",
    f'{D}><a/><b/><m>a<i rend="r">b</i>c<!-- x -->d<i/><?p?>e</m></doc>',
    f'{D}><a/><b/><y:z xmlns:y="urn:other">t<!-- c --></y:z></doc>',
]
INVALID = [
    (f"{D}><a/></doc>", "incomplete"),
    ('<doc xmlns="urn:t"><a/><b/></doc>', "attributes"),
    (f'{D} n="x"><a/><b/></doc>', "attribute"),
    (f'{D} x:k="c"><a/><b/></doc>', "attribute"),
    (f'{D} bogus="1"><a/><b/></doc>', "attribute"),
    ('<doc xmlns="urn:t" id="1a"><a/><b/></doc>', "attribute"),
    (f"{D}><a/><b/><item>yes</item><item>no</item><item>yes</item></doc>", "text"),
    (f'{D}><a/><b/><two t="word"><d/></two></doc>', "element"),
    (f'{D}><a/><b/><two t="x"><w/></two></doc>', "attribute"),
    (f"{D}><a/><b/><same><p/><q/></same><item>ok</item></doc>", "element"),
    (f"{D}><a/><b/><same/></doc>", "incomplete"),
    (f"{D}><a/><b/><l> x 1 </l></doc>", "text"),
    (f"{D}><a/><b/><l/></doc>", "incomplete"),
    (f"{D}><a/><b/><v>y</v></doc>", "text"),
    (f"{D}><a/><b/><m><i/><b/></m></doc>", "element"),
    (f"{D}><a/><b/><m><i>t<i/></i></m></doc>", "element"),
    (f"{D}><a/><b/><z>t</z></doc>", "element"),
    (f"{D}><a>t<b/></a><b/></doc>", "element"),
    (f"{D}>stray<a/><b/></doc>", "text"),
    (f"{D}><a/><b>t</b></doc>", "text"),
    (f"{D}><a/><b><!-- c -->t</b><item>no</item></doc>", "text"),
    ("<doc><a/><b/></doc>", "element"),
    (f'{D}><a/><b/><y:z xmlns:y="urn:other" y:q="1">t</y:z></doc>', "attribute"),
    (f"{D}><a/><b/><item>a</item><bad/><item>no</item><m><bad/></m></doc>", "element"),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Schema:
    d = tmp_path_factory.mktemp("rng")
    (d / "s.rng").write_text(GRAMMAR)
    return Schema(d / "s.rng", lambda p: etree.parse(str(p)))


@needs_c
@pytest.mark.parametrize("doc", VALID)
def test_valid_documents(small, doc):
    tree = etree.ElementTree(etree.fromstring(doc))
    py, c = both(small, tree)
    assert py == ([], None)
    assert c == py


@needs_c
@pytest.mark.parametrize(("doc", "kind"), INVALID)
def test_invalid_documents(small, doc, kind):
    tree = etree.ElementTree(etree.fromstring(doc))
    py, c = both(small, tree)
    assert py[1] is not None and py[1][1] == kind
    assert c == py


@needs_c
def test_errors_after_the_first_are_found_alike(small):
    """Recovery: after an error the walk goes on after the parent of the wrong element."""
    doc = f"{D}><a/><b/><m><i>x</i><bad/></m><v>y</v><item>no</item></doc>"
    tree = etree.ElementTree(etree.fromstring(doc))
    py, c = both(small, tree)
    assert py[0] is not None and len(py[0]) >= 2
    assert c == py


@needs_c
def test_competing_contents_leave_the_focus_to_the_diagnosis(small):
    # an error inside one of two competing contents: the walk cannot recover exactly
    doc = f"{D}><a/><b/><same><r/></same></doc>"
    tree = etree.ElementTree(etree.fromstring(doc))
    py, c = both(small, tree)
    assert py[0] is None and py[1] is not None
    assert c == py


@needs_c
def test_a_tree_built_in_memory(small):
    t = "{urn:t}"
    root = etree.Element(t + "doc", id="d2")
    etree.SubElement(root, t + "b")
    a = etree.SubElement(root, t + "a")
    a.text = "x"
    a.append(etree.Comment("c"))
    a[-1].tail = "y"
    item = etree.SubElement(root, t + "item")
    item.text = "n"
    item.append(etree.ProcessingInstruction("p"))
    item[-1].tail = "o"  # "no" in two text nodes: refused
    tree = etree.ElementTree(root)
    py, c = both(small, tree)
    assert py[1] is not None and py[1][1] == "text"
    assert c == py
    item.text = "yes"
    py, c = both(small, tree)
    assert py == ([], None) and c == py


@needs_c
def test_entity_references_are_left_to_python(small, tmp_path):
    f = tmp_path / "e.xml"
    f.write_text(f'<!DOCTYPE doc [<!ENTITY e "t">]>\n{D}><a>&e;</a><b/></doc>')
    tree = etree.parse(str(f), etree.XMLParser(resolve_entities=False))
    assert small.walk_c(tree.getroot()) is None

    def seen(result):  # an entity reference has no path
        focus, first = result
        return [(e.tag, e.sourceline) for e in focus], first.kind, first.element.sourceline

    assert seen(small.walk(tree.getroot())) == seen(small.walk_python(tree.getroot()))


# random trees over the small schema's names: both walks, every path of recovery

_NAMES = [f"{{urn:t}}{n}" for n in "doc a b item two w d same p q l v m i z".split()]
_NAMES += ["{urn:other}z", "plain"]
_ATTRS = st.dictionaries(
    st.sampled_from(["id", "n", "t", "{urn:x}k", "rend", "note", "bogus"]),
    st.sampled_from(["", " ", "a", "b", "x", "1", " 7 ", "word", "no", "d1", "1a", "x y", "2"]),
    max_size=2,
)
_TEXT = st.sampled_from([None, None, "", " ", "\n  ", "t", "no", " yes ", "x 1", "02", "a\u00a0b"])
_EXTRA = st.sampled_from([None, None, "comment", "pi", "cdata"])


def _node(tags, kids):
    return st.tuples(tags, _ATTRS | st.just({}), _TEXT, kids, _TEXT, _EXTRA, _TEXT)


_TREE = st.recursive(
    _node(st.sampled_from(_NAMES), st.just([])),
    lambda k: _node(st.sampled_from(_NAMES), st.lists(k, max_size=4)),
    max_leaves=20,
)
# the children of doc after <a/><b/>: names doc allows there, anything inside
_KID = _node(
    st.sampled_from([f"{{urn:t}}{n}" for n in "item two same l v m".split()]),
    st.lists(_TREE, max_size=3),
)


def _build(spec, parent=None) -> etree._Element:
    tag, attrs, text, kids, tail, extra, extra_tail = spec
    el = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for k, v in attrs.items():
        el.set(k, v)
    el.text = etree.CDATA(text) if extra == "cdata" and text else text
    for kid in kids:
        _build(kid, el)
    if extra in ("comment", "pi"):
        el.append(etree.Comment("c") if extra == "comment" else etree.ProcessingInstruction("p"))
        el[-1].tail = extra_tail
    if parent is not None:
        el.tail = tail
    return el


@needs_c
@settings(max_examples=400, deadline=None, derandomize=True)
@given(kids=st.lists(_KID, max_size=6), ws=st.sampled_from([None, " ", "\n"]))
def test_random_trees(small, kids, ws):
    ab = [("{urn:t}a", {}, "t", [], ws, None, None), ("{urn:t}b", {}, None, [], ws, None, None)]
    root = _build(("{urn:t}doc", {"id": "d1"}, ws, ab + kids, None, None, None))
    tree = etree.ElementTree(root)
    py, c = both(small, tree)
    assert c == py


@needs_c
def test_names_renamed_between_walks(small):
    """The C walk keeps element and attribute names by their strings' addresses for one walk
    only: names changed in place (their strings freed, new ones maybe at the same addresses)
    are read afresh by the next walk."""
    rnd = random.Random(29)
    tags = [f"{{urn:t}}{n}" for n in "item two same l v m z".split()] + ["{urn:o}item", "item"]
    for _ in range(60):
        root = etree.fromstring(f"{D}><a/><b/><item>x</item><item>y</item><v>x</v></doc>")
        tree = etree.ElementTree(root)
        for _ in range(4):
            for el in root[2:]:
                el.tag = rnd.choice(tags)
                if el.attrib:
                    del el.attrib[next(iter(el.attrib))]
                if rnd.random() < 0.5:
                    el.set(rnd.choice(["t", "rend", "{urn:x}k", "{urn:y}k"]), "word")
            py, c = both(small, tree)
            assert c == py


# ------------------------------------------------------------------ real files


@pytest.fixture(scope="module")
def tei_all() -> Schema:
    schema = derivative.get_derivative(TEI_ALL).schema
    assert schema is not None
    return schema


def _corpus() -> list[etree._ElementTree]:
    out = []
    for f in sorted((SHARED / "corpora").rglob("*.xml")):
        try:
            out.append(parse_file(f))
        except TeiError:
            continue
    return out


@needs_shared
@needs_c
def test_every_corpus_file(tei_all):
    trees = _corpus()
    assert len(trees) >= 800
    diff = []
    invalid = 0
    for tree in trees:
        py, c = both(tei_all, tree)
        invalid += py[1] is not None
        if py != c:
            diff.append((tree.docinfo.URL, py[1], c[1]))
    assert diff == []
    assert 0 < invalid < len(trees)
    # warm: the C tables now hold every transition; the answers stay the same
    assert all(both(tei_all, t)[1] == outcome(tei_all.walk_python(t.getroot()), t) for t in trees)


@needs_shared
@needs_c
def test_mutated_corpus_files(tei_all):
    seeds = edition_corpus_files(SHARED)
    rnd = random.Random(11)
    diff = []
    kinds = set()
    for _ in range(400):
        src = rnd.choice(seeds)
        tree = mutate(parse_file(src), rnd)
        py, c = both(tei_all, tree)
        if py[1] is not None:
            kinds.add(py[1][1])
        if py != c:
            diff.append((src.name, py[1], c[1]))
    assert diff == []
    assert {"element", "attribute", "text"} <= kinds


@needs_shared
@needs_c
def test_mutated_documents_not_reparsed(tei_all):
    """Trees edited in place (text nodes split, attributes set through lxml)."""
    seeds = edition_corpus_files(SHARED)[:40]
    rnd = random.Random(5)
    for src in seeds:
        tree = parse_file(src)
        for el in list(tree.getroot().iter(etree.Element))[1:][:: rnd.randint(5, 50)]:
            el.append(etree.Comment("m"))
            el[-1].tail = rnd.choice(["", " ", "x", "\n"])
            if rnd.random() < 0.3:
                el.set("n", rnd.choice(["1", "", "a b"]))
        py, c = both(tei_all, tree)
        assert py == c, src
        again = parse_bytes(etree.tostring(tree))
        assert outcome(tei_all.walk_c(again.getroot()), again)[1] == py[1]


@needs_c
def test_a_layout_or_version_mismatch_disables_the_extension(monkeypatch):
    mod, problem = derivative.load_c_walk()
    assert mod is not None and problem is None
    monkeypatch.setattr(mod, "probe", lambda el: ("a", None, 1, None))
    assert derivative.load_c_walk() == (None, "lxml element layout not as expected")
    monkeypatch.undo()
    monkeypatch.setattr(mod, "LXML_VERSION", "99.0.0")
    mod2, problem = derivative.load_c_walk()
    assert mod2 is None and problem is not None and "lxml/libxml2" in problem


# ------------------------------------------------------------------ values decided in C

# values for the shapes cwalk.c decides itself: XML and Python-only whitespace inside and
# around, empty, '%' escapes, '#', schemes and colon positions, language tags, non-ASCII
VALUES = [
    "",
    " ",
    "\t\n\r ",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1f",
    "a",
    " a ",
    "\ta\n",
    "a b",
    "a  b\t",
    "a\x0bb",
    "\x1ca",
    "a\x1f",
    "\x0ca\x0c",
    "1a",
    "_a",
    "-a",
    "a-",
    "a.b",
    ".a",
    "a:b",
    ":a",
    "a:",
    "A9_.-z",
    "#a",
    "#a#b",
    "a#",
    "##",
    "%",
    "%4",
    "%41",
    "%4g",
    "%g1",
    "a%41b",
    "a%",
    "%%41",
    "http://x.org/a?b#c",
    "ht+tp:x",
    "h-t.p:x",
    "h_t:x",
    "1h:x",
    "#x:y",
    "/a:b",
    "?a:b",
    "a/b:c",
    "mailto:",
    "mailto:x@y",
    "a:b:c",
    "urn:x#a #b",
    "en",
    "EN",
    "en-GB",
    "en-",
    "-en",
    "en--gb",
    "abcdefgh",
    "abcdefghi",
    "en-12345678",
    "en-123456789",
    "x-a1",
    "1en",
    "en-gb-oed",
    "a\x7f",
    "\x7f",
    "a\x01",
    "~!",
    "a(b)",
    "a,b",
    "a;b",
    "ISBN",
    "cm",
    "é",
    "aé",
    "é:x",
    "%é",
    "\u00a0a",
    "a\u00a0",
    "a\u2003b",
    "a\u3000",
    "\u0085",
    "Ω",
    "a\U0001f600",
    "x\u00b7y",
    "\u00c0b",
]
# dates and times: leap years, year 0, long years, 24:00, seconds near 60, time zones
DATE_VALUES = (
    "2020-12-17 | 2020-02-29 | 2019-02-29 | 1900-02-29 | 2000-02-29 | 0000-01-01 | -0000-01-01 | "
    "-0001-01-01 | -0004-02-29 | 12020-01-01 | 02020-01-01 | 102000-02-29 | 2020-13-01 | "
    "2020-00-10 | 2020-12-32 | 2020-04-31 | 2020-1-01 | 2020-12-17T24:00:00 | "
    "2020-12-17T24:00:00.000 | 2020-12-17T24:00:00.1 | 2020-12-17T24:01:00 | "
    "2020-12-17T23:59:60 | 2020-12-17T23:60:00 | 2020-12-17T12:00:00 | 2020-12-17t12:00:00 | "
    "23:59:59.9999999999999999 | 23:59:59.99999999999 | 23:59:59.999999999999 | "
    "23:59:59.9999999999999 | 23:59:59.99999999999999 | 24:00:00 | 12:00:00Z | "
    "12:00:00+14:00 | 12:00:00+14:01 | 12:00:00-15:00 | 12:00:00+05:60 | 12:00:00+5:00 | "
    "12:00:00. | 12:00:00.5Z | 12:00 | 2020 | -2020 | 2020Z | 2020-05:00 | 2020- | 2020-12 | "
    "2020-12Z | --12 | --13 | --12-05:00 | --02-29 | --02-30 | ---31 | ---32 | ---00 | ---1 | "
    "1873"
).split(" | ")
DATE_VALUES += [
    " 2020-12-17 ",
    "2020-12-17 12:00:00",
    "2020 2021",
    "24:00:00." + "0" * 301 + "1",
    "24:00:00." + "0" * 290 + "1",
]
VALUES += DATE_VALUES
_ALPHABET = "aZm_9-.:#%/?+~ \t\n\r\x0b\x0c\x1c\x1f\x7f\x01AF0é\u00a0\u2003\u00b7"


def _xml_ok(v: str) -> bool:  # what lxml lets an attribute hold
    return all(c >= " " or c in "\t\n\r" for c in v)


XML_VALUES = [v for v in VALUES if _xml_ok(v)]


def _random_values(rnd: random.Random, n: int) -> list[str]:
    out = ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 9))) for _ in range(n)]
    for _ in range(n // 3):  # dates and times with a character changed, added or dropped
        v = list(rnd.choice(DATE_VALUES)[:40])
        i = rnd.randrange(len(v) + 1)
        op = rnd.randrange(3)
        if op == 0 and i < len(v):
            v[i] = rnd.choice("0123456789-:T.Z+ 9")
        elif op == 1:
            v.insert(i, rnd.choice("0123456789-:9"))
        elif i < len(v):
            del v[i]
        out.append("".join(v))
    return out


@needs_shared
@needs_c
def test_values_decided_in_c_match_value_ok(tei_all):
    """Every value pattern of tei_all that the C walk decides itself: its verdict on each
    ASCII value is Python's value_ok, and a value with another character is left to Python
    (as are seconds whose float() may round to 60 or underflow to 0)."""
    mod = c_walk_module()
    kinds = {x: tei_all._c_value_kind(x) for x in range(len(tei_all.K))}
    kinds = {x: k for x, k in kinds.items() if k}
    # ids, pointers (one, a list), tokens, languages, optional values and lists
    assert {1, 3, 4, 1 | 64, 3 | 16, 3 | 64, 4 | 16, 5 | 32, 7 | 0xFF00} <= set(kinds.values())
    rnd = random.Random(7)
    wrong = []
    decided = 0
    unsure = set()
    for x, kind in sorted(kinds.items()):
        for s in VALUES + _random_values(rnd, 300):
            got = mod.fast_value(kind, s)
            if not s.isascii():
                assert got is None, (x, kind, s)
                continue
            if got is None:
                assert kind & 15 == 7, (x, kind, s)  # dates and times only
                unsure.add(s)
                continue
            decided += 1
            if got != tei_all.value_ok(x, s):
                wrong.append((x, kind, s, got))
    assert wrong == []
    assert decided > 10_000
    near = {"23:59:59.9999999999999", "23:59:59.99999999999999", "24:00:00." + "0" * 301 + "1"}
    assert near <= unsure and all("." in v for v in unsure)


@needs_c
def test_fast_value_refuses_what_it_does_not_know():
    mod = c_walk_module()
    assert mod.fast_value(0, "a") is None
    assert mod.fast_value(16 | 32, "a") is None  # flags without a token class
    assert mod.fast_value(15, "a") is None  # no such class
    assert mod.fast_value(1, "a") is True and mod.fast_value(1, "1") is False


VALUE_GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
  datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="r"><zeroOrMore><element name="v">
    <optional><attribute name="id"><data type="ID"/></attribute></optional>
    <optional><attribute name="nm"><data type="Name"/></attribute></optional>
    <optional><attribute name="tok"><data type="NMTOKEN"/></attribute></optional>
    <optional><attribute name="u"><data type="anyURI"><param name="pattern">\\S+</param>
    </data></attribute></optional>
    <optional><attribute name="refs"><list><oneOrMore><data type="anyURI">
      <param name="pattern">\\S+</param></data></oneOrMore></list></attribute></optional>
    <optional><attribute name="t"><choice><data type="token">
      <param name="pattern">[^\\p{C}\\p{Z}]+</param></data><value>cm</value><value>mm</value>
    </choice></attribute></optional>
    <optional><attribute name="lang"><choice><data type="language"/><value></value>
    </choice></attribute></optional>
    <optional><attribute name="o"><choice><empty/><data type="NCName"/></choice>
    </attribute></optional>
    <optional><attribute name="ns"><list><zeroOrMore><data type="NCName"/></zeroOrMore>
    </list></attribute></optional>
    <optional><attribute name="n"><data type="NCName">
      <except><value>no</value></except></data></attribute></optional>
    <optional><attribute name="s"><choice><data type="NCName"/><value type="string">a b</value>
    </choice></attribute></optional>
    <optional><attribute name="when"><choice><data type="date"/><data type="gYear"/>
      <data type="time"/><data type="dateTime"/><data type="gMonthDay"/></choice></attribute>
    </optional>
    <optional><attribute name="days"><list><oneOrMore><data type="gDay"/></oneOrMore></list>
    </attribute></optional>
  </element></zeroOrMore></element></start>
</grammar>"""
VALUE_ATTRS = ["id", "nm", "tok", "u", "refs", "t", "lang", "o", "ns", "n", "s", "when", "days"]


@pytest.fixture(scope="module")
def values_schema(tmp_path_factory) -> Schema:
    d = tmp_path_factory.mktemp("rngv")
    (d / "v.rng").write_text(VALUE_GRAMMAR)
    return Schema(d / "v.rng", lambda p: etree.parse(str(p)))


def _value_doc(pairs: list[tuple[str, str]]) -> etree._ElementTree:
    root = etree.Element("r")
    for name, value in pairs:
        etree.SubElement(root, "v").set(name, value)
    return etree.ElementTree(root)


@needs_c
def test_each_value_walked_alike(values_schema):
    """Each attribute's value patterns, with every test value: the C walk's verdict is the
    Python walk's (a pattern with an except, a string value with a space: left to Python)."""
    s = values_schema
    kinds = {s._c_value_kind(x) for x in range(len(s.K))}
    dates = 7 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 12 | 1 << 13
    assert {1, 2, 3, 4, 6, 1 | 64, 3 | 16, 5 | 32, 1 | 16 | 32, dates, 7 | 16 | 1 << 14} <= kinds
    for name in VALUE_ATTRS:
        for value in XML_VALUES:
            tree = _value_doc([(name, value)])
            py, c = both(s, tree)
            assert c == py, (name, value)


@needs_c
@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(VALUE_ATTRS),
            st.sampled_from(XML_VALUES) | st.text("".join(filter(_xml_ok, _ALPHABET)), max_size=8),
        ),
        max_size=6,
    )
)
def test_random_values_walked_alike(values_schema, pairs):
    tree = _value_doc(pairs)
    py, c = both(values_schema, tree)
    assert c == py


@needs_c
def test_values_decided_in_c_are_not_memoised(values_schema):
    s = values_schema
    s.walk(_value_doc([("id", "warm"), ("refs", "#w")]).getroot())  # the C tables warm
    before = s._cwalk.stats()["values"], len(s._vm)
    pairs = [("id", f"i{k}") for k in range(50)] + [("refs", f"#a{k} b{k}") for k in range(50)]
    assert s.walk_c(_value_doc(pairs).getroot()) == ([], None)
    assert (s._cwalk.stats()["values"], len(s._vm)) == before
    # a value outside ASCII is asked of Python and memoised as before
    assert s.walk_c(_value_doc([("id", "é1")]).getroot()) == ([], None)
    assert s._cwalk.stats()["values"] == before[0] + 1


@needs_shared
@needs_c
def test_corpus_files_with_values_changed(tei_all):
    """Pointers, ids, languages and tokens of real files set to the test values: both walks
    agree on the first error (or on none)."""
    seeds = edition_corpus_files(SHARED)[:: max(1, len(edition_corpus_files(SHARED)) // 30)]
    trees = [parse_file(f) for f in seeds]
    names = [
        "{http://www.w3.org/XML/1998/namespace}id",
        "target",
        "ref",
        "corresp",
        "{http://www.w3.org/XML/1998/namespace}lang",
        "type",
        "rend",
        "n",
    ]
    rnd = random.Random(3)
    diff = []
    for _ in range(300):
        tree = etree.ElementTree(copy.deepcopy(rnd.choice(trees).getroot()))
        els = [e for e in tree.getroot().iter(etree.Element) if any(n in e.attrib for n in names)]
        for el in rnd.sample(els, min(len(els), rnd.randint(1, 3))):
            name = rnd.choice([n for n in names if n in el.attrib])
            el.set(name, rnd.choice(XML_VALUES))
        py, c = both(tei_all, tree)
        if py != c:
            diff.append((tree.getroot().get("n"), py[1], c[1]))
    assert diff == []


# ------------------------------------------------------------------ xml:id values in C

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _id_doc(ids: list[str]) -> tuple[bytes, etree._ElementTree]:
    root = etree.Element("r")
    for i, v in enumerate(ids):
        el = root if i == 0 else etree.SubElement(root[-1] if len(root) and i % 3 else root, "e")
        el.set(XML_ID, v)
        el.tail = "\n"
        if i % 4 == 1:
            el.append(etree.Comment("c"))
    data = etree.tostring(root)
    return data, parse_bytes(data)


def _dups(data: bytes, tree: etree._ElementTree) -> list:
    return [f.__dict__ for f in duplicate_ids(tree, "t.xml", Positions(data, tree))]


@needs_c
def test_python_whitespace_around_ids_is_left_to_python(monkeypatch):
    mod = c_walk_module()
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() and _xml_ok(chr(c))]
    for sp in spaces:
        for other in (f"a{sp}", f"{sp}a", f"{sp}a{sp}{sp}"):
            data, tree = _id_doc(["a", "b", other])
            assert mod.ids_distinct(tree.getroot()) is False, repr(sp)
            found = _dups(data, tree)
            assert len(found) == 1
            monkeypatch.setenv("TEI_RNG_WALK", "python")
            assert _dups(data, tree) == found
            monkeypatch.delenv("TEI_RNG_WALK")
    data, tree = _id_doc(["a", "b", "a b", "a\u00e9", "\u00e9", "\u00e9a", ""])
    assert mod.ids_distinct(tree.getroot()) is True
    assert _dups(data, tree) == []


@needs_c
def test_ids_distinct_against_python(monkeypatch):
    mod = c_walk_module()
    rnd = random.Random(17)
    alphabet = ["a", "b", "1", " ", "\t", "\n", "é", "\u00a0", "\u2003", "\u00b7"]
    outcomes = set()
    for _ in range(1500):
        ids = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 3)))
            for _ in range(rnd.randint(0, 8))
        ]
        data, tree = _id_doc(ids)
        values = [v.strip() for v in ids]
        distinct = len(set(values)) == len(values)
        got = mod.ids_distinct(tree.getroot())
        if got:
            assert distinct, ids
        if all(v == v.strip() for v in ids):
            assert got == distinct, ids
        outcomes.add((got, distinct))
        found = _dups(data, tree)
        assert bool(found) == (not distinct)
        monkeypatch.setenv("TEI_RNG_WALK", "python")
        assert _dups(data, tree) == found
        monkeypatch.delenv("TEI_RNG_WALK")
    assert outcomes == {(True, True), (False, True), (False, False)}


@needs_c
def test_ids_in_entity_references_are_left_to_python():
    mod = c_walk_module()
    parser = etree.XMLParser(resolve_entities=False)
    dtd = b'<!DOCTYPE r [<!ENTITY e "x">]>\n'
    for body in (b'<r xml:id="a"><s xml:id="&e;"/></r>', b'<r xml:id="a"><s xml:id="b"/>&e;</r>'):
        assert mod.ids_distinct(etree.fromstring(dtd + body, parser)) is False
    assert mod.ids_distinct(parse_bytes(b'<r xml:id="a"><s xml:id="b"/></r>').getroot()) is True
    same = parse_bytes(b'<r xml:id="a"><s><t xml:id="a"/></s></r>').getroot()
    assert mod.ids_distinct(same) is False
    # only the element and what is below it
    r = parse_bytes(b'<r xml:id="a"><s xml:id="b"/><t xml:id="b"/></r>').getroot()
    assert mod.ids_distinct(r[0]) is True and mod.ids_distinct(r) is False


@needs_shared
@needs_c
def test_duplicate_ids_of_corpus_files_as_in_python(monkeypatch):
    rnd = random.Random(23)
    seen = 0
    for f in edition_corpus_files(SHARED)[::7]:
        data = f.read_bytes()
        tree = parse_bytes(data)
        els = [e for e in tree.getroot().iter(etree.Element) if e.get(XML_ID) is not None]
        if len(els) >= 2 and rnd.random() < 0.7:  # a repeat, maybe with spaces around
            a, b = rnd.sample(els, 2)
            b.set(XML_ID, rnd.choice(["", " ", "\u00a0"]) + a.get(XML_ID).strip())
            data = etree.tostring(tree)
            tree = parse_bytes(data)
        found = _dups(data, tree)
        seen += bool(found)
        monkeypatch.setenv("TEI_RNG_WALK", "python")
        assert _dups(data, tree) == found, f
        monkeypatch.delenv("TEI_RNG_WALK")
    assert seen > 0
