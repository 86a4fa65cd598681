"""A project rule set with a test case per assertion (issue 15, Schematron with real rules).

``tests/data/schematron/project/project.sch`` is written like FRUS's ``frus.sch``: XSLT 2
binding, an ``xsl:function`` over a table the schema reads from itself with
``document('')``, a global ``let`` that falls back from a web service (never reached) to a
snapshot beside the schema with ``doc()``, and a rule that opens the project's other volumes
by a computed relative URI.  Every assertion id has ``cases/<id>-pass.xml`` (no finding of
that id) and ``cases/<id>-fail.xml`` (exactly one, and nothing else).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tei.schematron import SchematronValidator

PROJECT = Path(__file__).parent / "data" / "schematron" / "project"
SCHEMA = PROJECT / "project.sch"
IDS = sorted(set(re.findall(r'<assert id="([^"]+)"', SCHEMA.read_text(encoding="utf-8"))))


def test_every_assertion_has_both_cases():
    assert len(IDS) >= 4
    for rid in IDS:
        assert (PROJECT / "cases" / f"{rid}-pass.xml").is_file(), rid
        assert (PROJECT / "cases" / f"{rid}-fail.xml").is_file(), rid


@pytest.fixture(scope="module")
def validator() -> SchematronValidator:
    return SchematronValidator(SCHEMA)


@pytest.mark.parametrize("rid", IDS)
def test_passing_case(validator, rid):
    assert validator.validate_file(PROJECT / "cases" / f"{rid}-pass.xml") == []


@pytest.mark.parametrize("rid", IDS)
def test_failing_case(validator, rid):
    found = validator.validate_file(PROJECT / "cases" / f"{rid}-fail.xml")
    assert [(f.rule, f.severity) for f in found] == [(rid, "error")], found


def test_messages_use_the_files_read(validator):
    (f,) = validator.validate_file(PROJECT / "cases" / "page-range-fail.xml")
    assert f.message == "page range xl-xiv runs backwards (40 to 14)"  # table from document('')
    (g,) = validator.validate_file(PROJECT / "cases" / "cross-volume-target-fail.xml")
    assert g.message == "no element d99 in volume vol-1862"  # doc() of volumes/vol-1862.xml


def test_cli_from_another_folder(tmp_path):
    """Relative doc() resolves against the schema's folder, whatever the current directory."""
    cases = sorted((PROJECT / "cases").glob("*.xml"))
    r = subprocess.run(
        [sys.executable, "-m", "tei", "validate", "--no-progress", "--schema", str(SCHEMA)]
        + [str(c) for c in cases],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        timeout=300,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    errors = [ln for ln in r.stdout.splitlines() if ": error:" in ln]
    assert len(errors) == len(IDS) and all("-fail.xml:" in ln for ln in errors), r.stdout
    assert "could not run" not in r.stdout and "0 warnings" in r.stdout, r.stdout


def test_rewrite_reads_leaves_strings_comments_and_other_functions():
    from tei.schematron.reads import TSCH, rewrite_reads

    base = "file:///p/s.sch"
    ours = f"Q{{{TSCH}}}"
    assert rewrite_reads("doc('a.xml')//x", base) == f"{ours}doc('{base}', 'a.xml')//x"
    assert rewrite_reads("fn:doc-available( $f )", base) == f"{ours}doc-available('{base}', $f )"
    assert rewrite_reads("document('')", base) == f"{ours}document('{base}', '')"
    same = ["'doc(1)'", '"it""s doc(x)"', "(: doc('a') :) 1", "my:doc('a')", "$doc", "x-doc(1)"]
    for xp in same:
        assert rewrite_reads(xp, base) == xp
    assert (
        rewrite_reads("doc('a')", "file:///it's/s.sch") == f"{ours}doc('file:///it''s/s.sch', 'a')"
    )


def _schema(folder: Path, body: str) -> Path:
    s = folder / "rules.sch"
    s.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        f"{body}</schema>",
        encoding="utf-8",
    )
    return s


def test_a_rule_that_could_not_read_is_one_warning_per_file(tmp_path):
    """A missing file beside the schema, or a URL (no network): the rule is a warning naming
    it, once per file with the count of the other elements it fired on."""
    s = _schema(
        tmp_path,
        '<pattern id="snap"><rule context="item"><assert test="@n = doc(\'ids.xml\')//id">'
        "unknown</assert></rule></pattern>"
        '<pattern id="web"><rule context="list"><assert test="doc(\'https://example.org/x\')">'
        "no web</assert></rule></pattern>"
        '<pattern id="own"><rule context="item"><report test="@n = 3">three</report></rule>'
        "</pattern>",
    )
    d = tmp_path / "d.xml"
    d.write_text("<list><item n='1'/><item n='2'/><item n='3'/></list>", encoding="utf-8")
    found = SchematronValidator(s).validate_file(d)
    snap = [f for f in found if f.rule == "snap/error"]
    web = [f for f in found if f.rule == "web/error"]
    assert [f.severity for f in snap + web] == ["warning", "warning"], found
    assert "could not run rule 'item' of pattern 'snap'" in snap[0].message
    assert "cannot read file:" in snap[0].message and "no such file" in snap[0].message
    assert snap[0].message.endswith("; 2 more times in this file")
    assert "https://example.org/x has been prohibited" in web[0].message
    assert [f.message for f in found if f.rule == "own/1.1"] == ["three"]
    (tmp_path / "ids.xml").write_text("<ids><id>1</id><id>2</id><id>3</id></ids>")
    found = SchematronValidator(s).validate_file(d)
    assert sorted(f.rule or "" for f in found) == ["own/1.1", "web/error"], found


def test_schematron_findings_take_the_one_cap(tmp_path, capsys):
    """Issue 15: no cap of Schematron's own (it was 300); --max-errors counts them with the
    RELAX NG ones and says how many were not shown."""
    from tei.cli import main

    s = _schema(
        tmp_path, '<pattern><rule context="item"><assert test="@n">no n</assert></rule></pattern>'
    )
    d = tmp_path / "d.xml"
    d.write_text("<list>" + "<item/>" * 350 + "</list>", encoding="utf-8")
    args = ["validate", "--no-progress", "--schema", str(s), str(d)]
    assert main([*args, "--max-errors", "0"]) == 1
    assert capsys.readouterr().out.count("error: no n") == 350
    assert main([*args, "--max-errors", "20"]) == 1
    out = capsys.readouterr().out
    assert out.count("error: no n") == 20 and "330 more findings not shown (330 errors)" in out
