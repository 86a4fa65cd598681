"""The derivative RELAX NG engine (tei/validate/rng/derivative.py) against jing: datatypes,
schema constructs, every shared corpus file and a mutated set (verdicts and messages)."""

from __future__ import annotations

import csv
import shutil

import pytest
from _shared import SHARED, edition_corpus_files
from lxml import etree

from tei.validate import ValidateOptions, validate_paths
from tei.validate.rng.datatypes import XSD, datatype, translate, xsd_pattern
from tei.validate.rng.derivative import Invalid, Schema

TEI_ALL = SHARED / "tei" / "tei_all.rng"
XVAL = SHARED / "corpora" / "xval"
needs_shared = pytest.mark.skipif(not TEI_ALL.is_file(), reason="shared corpora not present")
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="java not installed")


# ------------------------------------------------------------------ datatypes


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("NCName", ["a", " a-b.c ", "\u00e9t\u00e9"], ["", "a:b", "1a", "a b"]),
        ("Name", ["a:b", "_x"], ["", "-a", "a b"]),
        ("language", ["en", "grc-Latn", "x-foo-12345678"], ["", "en_GB", "toolongtag"]),
        ("anyURI", ["", "a b", "http://x.org/#f", "%41", "x.xml#a"], ["#a#b", "%4", "1x:y"]),
        ("boolean", ["true", " 0 "], ["TRUE", "yes"]),
        ("decimal", ["1", "-1.5", ".5", "5."], ["", "1e3", "."]),
        ("integer", ["-0", "+12"], ["1.0", ""]),
        ("nonNegativeInteger", ["0", "-0", "17"], ["-1", "1.5"]),
        ("double", ["1e3", "-INF", "NaN", ".5E-2"], ["inf", "+INF", "1e", ""]),
        ("date", ["2020-02-29", "-0044-03-15", "2020-01-01Z", "2020-01-01+14:00"], []),
        ("date", [], ["2019-02-29", "0000-01-01", "2020-13-01", "2020-01-01+15:00", "20-01-01"]),
        ("gYear", ["1999", "12345", "-0500"], ["99", "0000", "1999-01"]),
        ("gYearMonth", ["1999-12"], ["1999-13", "1999"]),
        ("gMonthDay", ["--02-29"], ["--02-30", "02-01"]),
        ("dateTime", ["2020-01-01T24:00:00", "2020-01-01T10:00:00.5Z"], ["2020-01-01T24:00:01"]),
        ("time", ["23:59:59"], ["24:30:00", "1:00:00"]),
        ("duration", ["P1Y", "PT1.5S", "-P1DT2H"], ["P", "PT", "P1S", "1Y"]),
    ],
)
def test_xsd_lexical_spaces(name, good, bad):
    d = datatype(XSD, name)
    assert [v for v in good if not d.allows(v)] == []
    assert [v for v in bad if d.allows(v)] == []


def test_xsd_patterns_are_anchored_and_use_xsd_classes():
    word = xsd_pattern(r"[^\p{C}\p{Z}]+")
    assert word("abc") and not word("a b") and not word("") and not word("a\u00a0b")
    nonspace = xsd_pattern(r"\S+")
    assert nonspace("a\u00a0b")  # XSD's \s is only space, tab, CR, LF
    assert not nonspace("a b")
    assert not xsd_pattern(r".+")("a\rb")  # XSD's . excludes CR and LF
    assert xsd_pattern(r"(\-?[\d]+/\-?[\d]+)")("-1/2")
    assert not xsd_pattern(r"[a-z]+")("ab1")  # implicitly anchored
    assert xsd_pattern(r"[a-z-[aeiou]]+")("xyz") and not xsd_pattern(r"[a-z-[aeiou]]+")("ax")
    assert translate("a$^") == "a\\$\\^"


def test_facets():
    d = datatype(XSD, "double", (("minInclusive", "0"), ("maxInclusive", "1")))
    assert d.allows("0.5") and d.allows("1e0")
    assert not d.allows("2") and not d.allows("NaN")
    t = datatype(XSD, "token", (("pattern", r"[A-Z]{2}"),))
    assert t.allows(" AB ") and not t.allows("ABC")


# ------------------------------------------------------------------ schema constructs

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="urn:t"
  datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc">
    <optional><attribute name="n"><data type="integer"/></attribute></optional>
    <interleave><element name="a"><text/></element><element name="b"><empty/></element>
    </interleave>
    <zeroOrMore><ref name="item"/></zeroOrMore>
    <optional><element name="l"><list><oneOrMore><data type="NCName"/></oneOrMore></list>
    </element></optional>
    <optional><element name="v"><choice><value>x</value><value type="integer">2</value>
      </choice></element></optional>
    <optional><element name="m"><mixed><zeroOrMore><element name="i"><text/></element>
      </zeroOrMore></mixed></element></optional>
    <optional><element><anyName><except><nsName/></except></anyName><text/></element>
    </optional>
  </element></define>
  <define name="item"><element name="item"><data type="token">
    <except><value>no</value></except></data></element></define>
  <define name="item" combine="choice"><element name="other"><empty/></element></define>
</grammar>"""

CASES = [
    ('<doc xmlns="urn:t"><a/><b/></doc>', True),
    ('<doc xmlns="urn:t"><b/><a>t</a></doc>', True),  # interleave
    ('<doc xmlns="urn:t" n="x"><a/><b/></doc>', False),
    ('<doc xmlns="urn:t" n=" 12 "><a/><b/></doc>', True),
    ('<doc xmlns="urn:t"><a/></doc>', False),
    ('<doc xmlns="urn:t"><a/><b/><item>yes</item><other/><item>no</item></doc>', False),
    ('<doc xmlns="urn:t"><a/><b/><item>yes</item><other/></doc>', True),
    ('<doc xmlns="urn:t"><a/><b/><l> x  y </l></doc>', True),
    ('<doc xmlns="urn:t"><a/><b/><l> x 1 </l></doc>', False),
    ('<doc xmlns="urn:t"><a/><b/><l/></doc>', False),
    ('<doc xmlns="urn:t"><a/><b/><v> x </v></doc>', True),
    ('<doc xmlns="urn:t"><a/><b/><v>02</v></doc>', True),  # integer value space
    ('<doc xmlns="urn:t"><a/><b/><v>y</v></doc>', False),
    ('<doc xmlns="urn:t"><a/><b/><m>a<i>b</i>c<!-- x -->d</m></doc>', True),
    ('<doc xmlns="urn:t"><a/><b/><m><i/><b/></m></doc>', False),
    ('<doc xmlns="urn:t"><a/><b/><x:z xmlns:x="urn:other">t</x:z></doc>', True),
    ('<doc xmlns="urn:t"><a/><b/><z>t</z></doc>', False),
    ('<doc xmlns="urn:t"><a>t<b/></a><b/></doc>', False),
    ("<doc><a/><b/></doc>", False),
]


@pytest.fixture(scope="module")
def small_schema(tmp_path_factory):
    d = tmp_path_factory.mktemp("rng")
    (d / "s.rng").write_text(GRAMMAR)
    # the same language through include (start and a define overridden) and externalRef
    (d / "inc.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
        '<include href="s.rng"><start><ref name="doc"/></start></include></grammar>'
    )
    return d


def _verdict(schema_path, doc: str) -> bool:
    schema = Schema(schema_path, lambda p: etree.parse(str(p)))
    try:
        schema.check(etree.fromstring(doc))
    except Invalid:
        return False
    return True


@pytest.mark.parametrize(("doc", "valid"), CASES)
def test_constructs(small_schema, doc, valid):
    assert _verdict(small_schema / "s.rng", doc) is valid
    assert _verdict(small_schema / "inc.rng", doc) is valid


@needs_java
def test_constructs_agree_with_jing(small_schema, tmp_path):
    files = []
    for i, (doc, _) in enumerate(CASES):
        f = tmp_path / f"{i:02d}.xml"
        f.write_text(doc)
        files.append(f)
    schema = small_schema / "s.rng"
    ours = validate_paths(files, ValidateOptions([schema], engine="derivative", progress=False))
    jing = validate_paths(files, ValidateOptions([schema], engine="jing", progress=False))
    assert [fr.valid for fr in ours.files] == [fr.valid for fr in jing.files]
    assert [fr.valid for fr in ours.files] == [v for _, v in CASES]


# ------------------------------------------------------------------ real files against jing


def _xval_verdicts() -> dict:
    out = {}
    with open(XVAL / "MANIFEST.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[XVAL / "files" / row["file"]] = row["jing"] == "valid"
    return out


@needs_shared
def test_third_party_verdicts_equal_jings():
    """xval: third-party files with the verdict jing gave them (MANIFEST.tsv)."""
    expected = _xval_verdicts()
    files = sorted(expected)
    rep = validate_paths(
        files, ValidateOptions([TEI_ALL], engine="derivative", jobs=1, progress=False)
    )
    got = {fr.path: fr.valid for fr in rep.files}
    wrong = [str(f) for f in files if got[str(f)] != expected[f]]
    assert len(files) >= 400
    assert wrong == []


@needs_shared
@needs_java
def test_corpus_findings_equal_jings():
    files = edition_corpus_files(SHARED)
    ours = validate_paths(files, ValidateOptions([TEI_ALL], engine="derivative", progress=False))
    jing = validate_paths(files, ValidateOptions([TEI_ALL], engine="jing", progress=False))
    assert [fr.valid for fr in ours.files] == [fr.valid for fr in jing.files]
    same = [
        {f.message for f in a.findings} == {f.message for f in b.findings}
        for a, b in zip(ours.files, jing.files, strict=True)
    ]
    assert all(same), [a.path for a, ok in zip(ours.files, same, strict=True) if not ok][:5]


@needs_shared
@needs_java
def test_mutated_verdicts_and_first_errors_equal_jings(tmp_path):
    from _agreement import measure, write_mutated

    files = write_mutated(edition_corpus_files(SHARED), tmp_path, 600, 11)
    a, _, _ = measure(files, TEI_ALL, engine="derivative")
    print(f"\nderivative vs jing on mutated corpus files: {a.summary()}")
    assert a.verdict_diff == []
    assert a.invalid >= 500
    assert a.same_line == a.invalid, a.examples
    assert a.same_message >= 0.975 * a.invalid


def test_compiled_schema_is_saved_and_read_back(small_schema, tmp_path, monkeypatch):
    from tei.validate.rng import derivative

    monkeypatch.setenv("TEI_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "s.rng"
    schema.write_text(GRAMMAR)
    first = derivative.DerivativeValidator(schema)
    assert first.schema is not None
    doc = etree.fromstring(CASES[0][0])
    first.schema.check(doc)
    first.save()
    saved = list((tmp_path / "cache" / "rng-derivative").iterdir())
    assert len(saved) == 1
    again = derivative.DerivativeValidator(schema)
    assert again.schema is not None and again.schema.size() == first.schema.size()
    for text, valid in CASES:
        assert again.schema.valid(etree.fromstring(text)) is valid, text
    # a changed schema file is compiled afresh, not read from the saved state
    schema.write_text(GRAMMAR.replace('<element name="b"><empty/></element>', "<empty/>"))
    changed = derivative.DerivativeValidator(schema)
    assert changed.schema is not None
    assert changed.schema.valid(etree.fromstring('<doc xmlns="urn:t"><a/></doc>'))
