"""Issue 11, trust: "valid" means validated; a file without its schema is never "checked"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tei.cli import main

DATA = Path(__file__).parent / "data" / "validate"
NOTE = DATA / "schemas"

REMOTE_MODEL = (
    '<?xml version="1.0"?>\n'
    '<?xml-model href="https://example.org/schemas/{name}.rng"'
    ' type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><foo/><persname/></TEI>\n'
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["validate", "--no-progress", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def three_unschemed(tmp_path, monkeypatch) -> list[Path]:
    """Three files whose declared schema is remote, and one valid file with a local schema."""
    monkeypatch.delenv("TEI_SCHEMA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TEI_CACHE_DIR", raising=False)  # the suite's own: XDG_CACHE_HOME wins
    files = []
    for i in range(3):
        f = tmp_path / f"remote{i}.xml"
        f.write_text(REMOTE_MODEL.format(name=f"s{i}"), encoding="utf-8")
        files.append(f)
    return files


def _locally_schemed(tmp_path: Path) -> Path:
    """A valid file whose xml-model names a schema beside it."""
    (tmp_path / "note.rnc").write_bytes((NOTE / "note.rnc").read_bytes())
    body = (NOTE / "note-valid.xml").read_text(encoding="utf-8").split("\n", 1)[1]
    f = tmp_path / "local.xml"
    f.write_text(
        '<?xml version="1.0"?>\n<?xml-model href="note.rnc" type="application/relax-ng-compact-syntax"?>\n'
        + body,
        encoding="utf-8",
    )
    return f


def test_summary_counts_files_without_schema_apart(capsys, three_unschemed, tmp_path):
    valid = _locally_schemed(tmp_path)
    code, out, _ = run(capsys, *map(str, three_unschemed), str(valid))
    assert code == 2
    last = out.splitlines()[-1]
    assert "3 files not validated: schema not available" in last
    assert last.startswith("1 file checked, all valid")  # only the file that was validated
    assert out.count("[no-schema]") == 3


def test_missing_schema_warn_is_exit_1_and_still_not_valid(capsys, three_unschemed):
    code, out, _ = run(
        capsys, "--missing-schema=warn", "--format", "json", *map(str, three_unschemed)
    )
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert [f["status"] for f in report["files"]] == ["not-validated"] * 3
    assert report["summary"]["not-validated"] == 3
    code, _, _ = run(capsys, "--missing-schema=error", *map(str, three_unschemed))
    assert code == 2


def test_junit_reports_an_error_not_a_failure(capsys, three_unschemed):
    invalid = NOTE / "note-invalid.xml"
    code, out, _ = run(capsys, "--format", "junit", str(three_unschemed[0]), str(invalid))
    assert code == 2
    root = etree.fromstring(out.encode())
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("2", "1", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    remote = cases[str(three_unschemed[0])]
    error = remote.find("error")
    assert error is not None and remote.find("failure") is None
    assert error.get("type") == "schema-not-available"
    assert error.get("message", "").startswith("not validated: ")
    assert cases[str(invalid)].find("failure") is not None


def test_sarif_has_a_tool_execution_notification(capsys, three_unschemed):
    code, out, _ = run(capsys, "--format", "sarif", str(three_unschemed[0]))
    assert code == 2
    run_ = json.loads(out)["runs"][0]
    inv = run_["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"]["id"] == "no-schema"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "remote0.xml"
    )
    ok_code, ok_out, _ = run(
        capsys,
        "--format",
        "sarif",
        "--schema",
        str(NOTE / "note.rnc"),
        str(NOTE / "note-valid.xml"),
    )
    assert ok_code == 0
    assert json.loads(ok_out)["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_github_prints_an_error_command(capsys, three_unschemed):
    code, out, _ = run(capsys, "--format", "github", str(three_unschemed[0]))
    assert code == 2
    errors = [ln for ln in out.splitlines() if ln.startswith("::error ")]
    assert len(errors) == 1 and "no-schema" in errors[0] and "not validated" in errors[0]
    assert out.splitlines()[-1].startswith("no file validated")


# ------------------------------------------------------------ a missing input: 2 everywhere


def test_missing_input_is_exit_2_in_every_command(capsys, tmp_path):
    nope_xml, nope_txt = str(tmp_path / "nope.xml"), str(tmp_path / "nope.txt")
    assert main(["convert", nope_txt]) == 2
    assert main(["convert", nope_txt, "-o", str(tmp_path / "out")]) == 2
    assert main(["render", "html", nope_xml, "-o", str(tmp_path / "html")]) == 2
    assert main(["validate", "--no-progress", nope_xml]) == 2
    assert main(["build", str(tmp_path / "nope"), "-o", str(tmp_path / "ed")]) == 2
    err = capsys.readouterr()
    assert "Traceback" not in err.err and err.out.count("no such file") == 1
    # validate: counted apart, never "1 file checked, 1 invalid"
    code, out, _ = run(
        capsys, nope_xml, str(NOTE / "note-valid.xml"), "--schema", str(NOTE / "note.rnc")
    )
    assert code == 2
    assert out.splitlines()[-1].startswith("1 file checked, all valid")
    assert "1 file not validated: unreadable" in out


def test_an_unreadable_input_is_exit_2_even_with_missing_schema_warn(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("TEI_SCHEMA_DIR", raising=False)
    remote = tmp_path / "remote.xml"
    remote.write_text(REMOTE_MODEL.format(name="x"), encoding="utf-8")
    code, _, _ = run(capsys, "--missing-schema=warn", str(remote), str(tmp_path / "nope.xml"))
    assert code == 2
