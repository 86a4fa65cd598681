"""TEI's own Schematron (tei_all.isosch, and embedded in tei_all.rng) and ircyr-checking.sch."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from _shared import SHARED
from lxml import etree

from tei.schematron import SchematronValidator, extract_from_rng

DATA = Path(__file__).resolve().parent / "data" / "schematron"
ISOSCH = SHARED / "tei" / "tei_all.isosch"
RNG = SHARED / "tei" / "tei_all.rng"
REF_SVRL = SHARED / "tei" / "tei_all.svrl"
IRCYR = SHARED / "corpora" / "schematron" / "ircyr-checking.sch"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"

pytestmark = pytest.mark.skipif(not ISOSCH.exists(), reason="../shared/tei not available")


def _corpus(name: str, n: int | None = None) -> list[Path]:
    d = SHARED / "corpora" / name
    files = [p for p in sorted(d.glob("*.xml")) if p.name != "encoding-desc.xml"]
    return files[:n] if n else files


@pytest.fixture(scope="session")
def tei_all() -> SchematronValidator:
    return SchematronValidator(ISOSCH)


@pytest.fixture(scope="session")
def tei_rng() -> SchematronValidator:
    return SchematronValidator(extract_from_rng(RNG))


def test_tei_all_compiles_every_pattern(tei_all: SchematronValidator) -> None:
    n = len(etree.parse(str(ISOSCH)).getroot().findall(f"{SCH}pattern"))
    assert n == 117 and len(tei_all.compiled.patterns) == n
    assert tei_all.compiled.query_binding == "xslt2"


def test_tei_all_patterns_match_release_report(tei_all: SchematronValidator) -> None:
    """The release's own SVRL lists the same active patterns, in the same order."""
    if not REF_SVRL.exists():
        pytest.skip("tei_all.svrl not available")
    ref = etree.parse(str(REF_SVRL)).getroot()
    ref_ids = [a.get("id") for a in ref.iter(f"{SVRL}active-pattern")]
    ours = etree.fromstring(tei_all.svrl_for_file(DATA / "tei-violations.xml").encode())
    assert [a.get("id") for a in ours.iter(f"{SVRL}active-pattern")] == ref_ids
    assert len(tei_all.compiled.patterns) == len(ref_ids)
    # its report has no failures; every context it fired is one of our rules
    assert not list(ref.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"))
    contexts = {a.context for a in tei_all.compiled.assertions.values()}
    assert {r.get("context") for r in ref.iter(f"{SVRL}fired-rule")} <= contexts


EXPECTED = {
    # (line, severity, start of message)
    (13, "warning", "The @when attribute cannot be used with any other att.datable.w3c"),
    (14, "warning", "Only one of the attributes @target and @cRef may be supplied on ptr."),
    (15, "warning", "Abstract model violation: Lines may not contain lines or lg elements."),
    (16, "error", "The seg element should not be categorized in detail with @subtype"),
    (17, "error", "@calendar indicates one or more systems or calendars"),
    (18, "info", "The @unit attribute may be unnecessary when @unitRef is present."),
    (19, "warning", "Only one of the attributes @active and @mutual may be supplied"),
}


def _summary(findings: list) -> set[tuple[int | None, str, str]]:
    out = set()
    for f in findings:
        for _line, _sev, start in EXPECTED:
            if f.message.startswith(start):
                out.add((f.line, f.severity, start))
                break
        else:
            out.add((f.line, f.severity, f.message))
    return out


def test_tei_all_on_constructed_violations(tei_all: SchematronValidator) -> None:
    findings = tei_all.validate_file(DATA / "tei-violations.xml")
    assert _summary(findings) == EXPECTED
    assert all(
        f.engine == "schematron" and f.rule.startswith("schematron-constraint-") for f in findings
    )
    strict = SchematronValidator(ISOSCH, report_severity="error")
    sev = {f.line: f.severity for f in strict.validate_file(DATA / "tei-violations.xml")}
    assert sev[14] == "error" and sev[13] == "warning"  # role="nonfatal" stays a warning


def test_embedded_rng_schematron(
    tei_rng: SchematronValidator, tei_all: SchematronValidator
) -> None:
    tree = extract_from_rng(RNG)
    root = tree.getroot()
    assert root.tag == f"{SCH}schema" and root.get("queryBinding") == "xslt2"
    assert len(root.findall(f"{SCH}pattern")) == 91
    assert [n.get("prefix") for n in root.findall(f"{SCH}ns")] == [
        "teix",
        "tei",
        "xs",
        "rng",
        "rna",
        "sch",
        "sch1x",
    ]
    doc = DATA / "tei-violations.xml"
    ours = Counter((f.line, f.severity, f.message) for f in tei_rng.validate_file(doc))
    ref = Counter((f.line, f.severity, f.message) for f in tei_all.validate_file(doc))
    assert ours == ref


def test_tei_all_on_corpora_no_engine_errors(tei_all: SchematronValidator) -> None:
    files = _corpus("iospe", 30) + _corpus("ISicily", 15) + _corpus("rusdracor", 2)
    if not files:
        pytest.skip("corpora not available")
    findings = [f for p in files for f in tei_all.validate_file(p)]
    assert not [f for f in findings if f.rule.endswith("/error")]
    assert findings == []  # these editions satisfy TEI's constraints


def test_ircyr_old_namespace_on_iospe() -> None:
    files = _corpus("iospe")
    if not IRCYR.exists() or not files:
        pytest.skip("ircyr-checking.sch or iospe corpus not available")
    v = SchematronValidator(IRCYR)
    assert v.compiled.query_binding == "xslt" and len(v.compiled.patterns) == 6
    findings = [f for p in files for f in v.validate_file(p)]
    assert len(files) == 200
    assert [(Path(f.file).name, f.line, f.severity, f.message) for f in findings] == [
        ("3.2.xml", 257, "warning", "Underdots in apparatus"),
        ("3.71.xml", 149, "warning", "Underdots in apparatus"),
        ("3.83.xml", 144, "warning", "Underdots in apparatus"),
    ]


def test_ircyr_constructed(tmp_path: Path) -> None:
    if not IRCYR.exists():
        pytest.skip("ircyr-checking.sch not available")
    v = SchematronValidator(IRCYR)
    d = tmp_path / "d.xml"
    d.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '<div type="edition"><ab><supplied reason="lost"><gap reason="lost" extent="1" '
        'quantity="2"/></supplied><ex>a</ex></ab></div>\n'
        "</body></text></TEI>"
    )
    msgs = sorted(f.message for f in v.validate_file(d))
    assert msgs == [
        "Supplied may not contain gap",
        "conflict: @quantity and @extent both present on gap",
        "ex should only appear inside expan",
        "gap lost or omitted needs @unit",
    ]
