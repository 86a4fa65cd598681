"""Cross-check: our verdicts equal lxml.isoschematron's on XPath 1.0 rule sets.

For every document, the number of failed asserts / successful reports per assertion id must
be the same in both engines (lxml.isoschematron is XSLT 1.0, so only XPath 1.0 rule sets).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from _shared import SHARED
from lxml import etree, isoschematron

from tei.schematron import SchematronValidator
from tei.xmlsafe import parse_file

DATA = Path(__file__).resolve().parent / "data" / "schematron"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
RULE_SETS = ["xpath1-tei.sch", "xpath1-epidoc.sch"]


def _corpus_files() -> list[Path]:
    out: list[Path] = []
    for corpus, n in (("iospe", 25), ("ISicily", 15), ("rusdracor", 3)):
        d = SHARED / "corpora" / corpus
        if d.is_dir():
            out += [p for p in sorted(d.glob("*.xml")) if p.name != "encoding-desc.xml"][:n]
    return out


DOCS = [DATA / "probe-xpath1.xml", DATA / "tei-violations.xml", *_corpus_files()]


@pytest.fixture(scope="module", params=RULE_SETS)
def engines(request: pytest.FixtureRequest) -> tuple[isoschematron.Schematron, SchematronValidator]:
    sch = DATA / request.param
    return isoschematron.Schematron(etree.parse(str(sch)), store_report=True), SchematronValidator(
        sch
    )


def _lxml_counts(s: isoschematron.Schematron, tree: etree._ElementTree) -> Counter[str]:
    s.validate(tree)
    rep = s.validation_report
    return Counter(
        el.get("id") for el in rep.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report")
    )


def test_same_verdicts_as_lxml(
    engines: tuple[isoschematron.Schematron, SchematronValidator],
) -> None:
    lx, ours = engines
    total: Counter[str] = Counter()
    for path in DOCS:
        tree = parse_file(path)
        got = Counter(f.rule for f in ours.validate_tree(tree, str(path)))
        assert got == _lxml_counts(lx, tree), path.name
        total += got
    assert total  # the rule sets do fire


def test_probe_triggers_every_assertion(
    engines: tuple[isoschematron.Schematron, SchematronValidator],
) -> None:
    _, ours = engines
    fired = {f.rule for f in ours.validate_file(DATA / "probe-xpath1.xml")}
    assert fired == set(ours.compiled.assertions)


def test_same_locations_as_lxml(
    engines: tuple[isoschematron.Schematron, SchematronValidator],
) -> None:
    """Same nodes: lxml's SVRL location (XPath 1.0 steps) resolves to our line numbers."""
    lx, ours = engines
    path = DATA / "probe-xpath1.xml"
    tree = parse_file(path)
    lx.validate(tree)
    theirs: Counter[tuple[str | None, int | None]] = Counter()
    attr_rules: set[str | None] = set()
    for el in lx.validation_report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        loc = el.get("location")
        if loc and re.search(r"/@(\*\[[^\]]*\]|[\w:.-]+)$", loc):
            attr_rules.add(el.get("id"))  # lxml's skeleton writes just "/@name" here
            continue
        nodes = tree.xpath(loc, namespaces={"tei": "http://www.tei-c.org/ns/1.0"}) if loc else []
        node = nodes[0] if nodes else None
        if node is not None and not isinstance(node, etree._Element):
            node = node.getparent()
        theirs[(el.get("id"), node.sourceline if node is not None else None)] += 1
    ours_ = Counter(
        (f.rule, f.line) for f in ours.validate_tree(tree, "probe") if f.rule not in attr_rules
    )
    assert ours_ == theirs
