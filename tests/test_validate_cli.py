"""``tei validate``: exit codes, output formats, --output, engines on small schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _shared import SHARED
from lxml import etree

from tei.cli import main

TEI_ALL = SHARED / "tei" / "tei_all.rng"
DATA = Path(__file__).parent / "data" / "validate"
NOTE = DATA / "schemas"
need_tei = pytest.mark.skipif(not TEI_ALL.is_file(), reason="shared TEI schemas not present")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["validate", "--no-progress", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# --------------------------------------------------------------------------- exit codes


def test_exit_0_valid(capsys):
    code, out, _ = run(capsys, "--schema", str(NOTE / "note.rnc"), str(NOTE / "note-valid.xml"))
    assert code == 0
    assert out.strip() == "1 file checked, all valid: 0 errors, 0 warnings"


def test_exit_1_invalid(capsys):
    code, out, _ = run(capsys, "--schema", str(NOTE / "note.rnc"), str(NOTE / "note-invalid.xml"))
    assert code == 1
    assert (
        'note-invalid.xml:4:1: error: element "note" incomplete; missing required element '
        '"body" [rng]' in out
    )
    assert 'note-invalid.xml:4:1: note: "note" starts at line 2, column 1' in out


def test_exit_1_not_well_formed(capsys):
    code, out, _ = run(
        capsys, "--schema", str(NOTE / "note.rnc"), str(DATA / "broken" / "not-well-formed.xml")
    )
    assert code == 1
    assert (
        "not-well-formed.xml:5:15: error: not well-formed XML: Opening and ending tag "
        "mismatch" in out
    )


def test_exit_2_missing_file(capsys, tmp_path):
    code, out, _ = run(
        capsys,
        "--schema",
        str(NOTE / "note.rnc"),
        str(tmp_path / "nope.xml"),
        str(NOTE / "note-valid.xml"),
    )
    assert code == 2
    assert "nope.xml: error: no such file [unreadable]" in out


def test_exit_2_empty_folder(capsys, tmp_path):
    code, _, err = run(capsys, "--schema", str(NOTE / "note.rnc"), str(tmp_path))
    assert code == 2 and "no XML files found" in err


def test_exit_2_bad_schema_option(capsys, tmp_path):
    code, _, err = run(capsys, "--schema", str(tmp_path / "missing.rng"), str(NOTE))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "--schema", str(NOTE / "note.xml"), str(NOTE))
    assert code == 2 and "unknown schema type" in err


def test_exit_2_no_schema_at_all(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("tei.validate.catalog.DEFAULT_SCHEMA", "does-not-exist.rng")
    code, out, _ = run(capsys, str(NOTE / "note-valid.xml"))
    assert code == 2 and "[no-schema]" in out


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    out = capsys.readouterr().out
    assert "exit status" in out and "not well-formed" in out and "XInclude" in out


# --------------------------------------------------------------------------- formats


ARGS = [
    "--schema",
    str(NOTE / "note.rnc"),
    str(NOTE / "note-valid.xml"),
    str(NOTE / "note-invalid.xml"),
]


def test_format_json(capsys):
    code, out, _ = run(capsys, "--format", "json", *ARGS)
    data = json.loads(out)
    assert code == 1 and data["valid"] is False
    assert data["summary"]["files"] == 2 and data["summary"]["invalid"] == 1
    f = data["files"][1]["findings"][0]
    assert {"file", "line", "column", "severity", "message", "rule", "engine"} <= f.keys()


def test_format_junit(capsys):
    _, out, _ = run(capsys, "--format", "junit", *ARGS)
    root = etree.fromstring(out.encode())
    cases = root.findall(".//testcase")
    assert len(cases) == 2
    assert cases[0].find("failure") is None and cases[1].find("failure") is not None


def test_format_sarif(capsys):
    _, out, _ = run(capsys, "--format", "sarif", *ARGS)
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == 2 and results[0]["level"] == "error"
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 2 and region["startColumn"] >= 1
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "rng"


def test_format_github(capsys):
    _, out, _ = run(capsys, "--format", "github", *ARGS)
    lines = out.splitlines()
    assert lines[0].startswith("::error file=")
    assert "note-invalid.xml,line=2,col=32," in lines[0]  # in the order a reader meets them
    assert "note-invalid.xml,line=4,col=1," in lines[1]
    assert '::element "note" incomplete' in lines[1]
    assert lines[-1].startswith("2 files checked")


def test_output_file(capsys, tmp_path):
    target = tmp_path / "report.sarif"
    code, out, err = run(capsys, "--format", "sarif", "--output", str(target), *ARGS)
    assert code == 1 and out == "" and "2 files checked" in err
    assert json.loads(target.read_text())["version"] == "2.1.0"


# --------------------------------------------------------------------------- engines


def test_jing_engine_small_schema(capsys):
    code, out, _ = run(capsys, "--engine", "jing", *ARGS)
    assert code == 1
    assert 'element "note" incomplete; missing required element "body"' in out


def test_xsd(capsys):
    code, out, _ = run(
        capsys,
        "--schema",
        str(NOTE / "note.xsd"),
        str(NOTE / "note-valid.xml"),
        str(NOTE / "note-invalid.xml"),
    )
    assert code == 1 and "note-invalid.xml:2:1: error:" in out and "[xsd]" in out


def test_schematron(capsys):
    pytest.importorskip("tei.schematron")
    code, out, _ = run(
        capsys,
        "--schema",
        str(NOTE / "note.sch"),
        str(NOTE / "note-valid.xml"),
        str(NOTE / "note-invalid.xml"),
    )
    assert code == 1 and "a note needs an addressee" in out


@need_tei
def test_security_files_are_refused(capsys):
    code, out, _ = run(capsys, "--schema", str(TEI_ALL), str(DATA / "security"))
    assert code == 1
    assert "xxe.xml:2:16: error: external entity 'xxe' is declared in the DTD: refusing" in out
    assert "entity expansion is refused" in out  # billion laughs
    assert "DTDs are never loaded" in out
    assert "root:" not in out  # /etc/passwd never read


@need_tei
def test_xml_model_resolved_offline(capsys):
    code, out, _ = run(
        capsys,
        "--catalog",
        str(NOTE / "catalog.xml"),
        "--schema-dir",
        str(TEI_ALL.parent),
        str(DATA / "pi"),
    )
    assert code == 2  # one file could not be validated: its schema is not available
    assert 'catalog-mapped.xml:5:1: error: element "note" incomplete' in out
    assert (
        "unresolvable.xml: error: xml-model https://unknown.example.org/schema.rng: "
        "remote schema, not in any catalog (not downloaded without --fetch-schemas)" in out
    )
    assert "tei-release.xml" not in out  # valid against tei_all through the shipped catalog
    assert "3 files checked, 1 invalid" in out
    assert "1 file not validated: schema not available" in out


def test_xml_model_schema_dir_missing(capsys, tmp_path):
    code, out, _ = run(capsys, "--schema-dir", str(tmp_path), str(DATA / "pi" / "tei-release.xml"))
    assert code == 2  # not validated is never valid
    assert "not validated" in out
    assert (
        "which does not exist (set --schema-dir or TEI_SCHEMA_DIR, or pass --fetch-schemas)" in out
    )


def test_precommit_hook_and_action_run_tei_validate():
    yaml = pytest.importorskip("yaml")
    root = Path(__file__).resolve().parents[1]
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["entry"].startswith("tei validate") and hooks[0]["require_serial"]
    action = yaml.safe_load((root / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    script = action["runs"]["steps"][-1]["run"]
    assert "tei validate" in script and "--format github" in script


@need_tei
@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
def test_every_format_carries_the_did_you_mean_hint(capsys, fmt):
    misspelt = str(DATA / "broken" / "misspelt-names.xml")
    code, out, _ = run(capsys, "--schema", str(TEI_ALL), "--format", fmt, misspelt)
    assert code == 1
    assert (
        'did you mean \\"persName\\"?' in out
        if fmt in ("json", "sarif")
        else 'did you mean "persName"?' in out
    )
    if fmt == "text":
        assert f'{misspelt}:11:12: note: did you mean "persName"?' in out.splitlines()


# ------------------------------------------------- a schema that cannot be had is not "valid"

UNREACHABLE_MODEL = (
    '<?xml version="1.0"?>\n'
    '<?xml-model href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"'
    ' type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><foo/><persname/></TEI>\n'
)


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
def test_declared_schema_not_available_is_exit_2_and_never_valid(
    tmp_path, capsys, monkeypatch, fmt
):
    """Issue 11: an unreachable xml-model schema once gave '1 file checked, all valid', exit 0."""
    monkeypatch.delenv("TEI_SCHEMA_DIR", raising=False)
    doc = tmp_path / "doc.xml"
    doc.write_text(UNREACHABLE_MODEL, encoding="utf-8")
    empty = tmp_path / "no-schemas"
    empty.mkdir()
    code, out, err = run(capsys, "--schema-dir", str(empty), "--format", fmt, str(doc))
    assert code == 2
    text = out + err
    assert "all valid" not in text
    if fmt == "text":
        assert "1 file not validated: schema not available" in out
    if fmt == "json":
        import json

        report = json.loads(out)
        assert report["valid"] is False and report["files"][0]["status"] == "not-validated"


# ------------------------------------------------- --report: more formats from the same run

SMALL_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc"><oneOrMore><element name="p"><text/></element></oneOrMore>
  </element></start>
</grammar>"""


def _small_batch(tmp_path: Path) -> list[str]:
    (tmp_path / "s.rng").write_text(SMALL_RNG)
    (tmp_path / "good.xml").write_text("<doc><p>a</p></doc>")
    (tmp_path / "bad.xml").write_text("<doc><q/></doc>")
    return [
        "--schema",
        str(tmp_path / "s.rng"),
        str(tmp_path / "good.xml"),
        str(tmp_path / "bad.xml"),
    ]


def test_report_writes_other_formats_as_their_own_runs_would(capsys, tmp_path):
    batch = _small_batch(tmp_path)
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.junit.xml"
    code, out, _ = run(capsys, "--report", f"sarif:{sarif}", "--report", f"junit:{junit}", *batch)
    assert code == 1
    assert run(capsys, *batch) == (1, out, "")  # the main output is unchanged
    for fmt, path in (("sarif", sarif), ("junit", junit)):
        alone = tmp_path / f"alone.{fmt}"
        assert run(capsys, "--format", fmt, "-o", str(alone), *batch)[0] == 1
        assert path.read_bytes() == alone.read_bytes()
    assert json.loads(sarif.read_text())["runs"][0]["results"]


@pytest.mark.parametrize("spec", ["sarif", "yaml:x.yml", "sarif:", ":x"])
def test_report_needs_a_known_format_and_a_file(capsys, tmp_path, spec):
    with pytest.raises(SystemExit) as exc:
        run(capsys, "--report", spec, *_small_batch(tmp_path))
    assert exc.value.code == 2
    assert "expected FORMAT:FILE" in capsys.readouterr().err


def test_the_action_script_validates_once_and_writes_annotations_and_sarif(tmp_path):
    """The composite action's shell step, run as GitHub runs it (inputs in the environment)."""
    import os
    import subprocess
    import sys

    yaml = pytest.importorskip("yaml")
    root = Path(__file__).resolve().parents[1]
    action = yaml.safe_load((root / "action.yml").read_text())
    step = action["runs"]["steps"][-1]
    assert step["run"].count("tei validate") == 1
    batch = _small_batch(tmp_path)
    outputs = tmp_path / "github_output"
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        TEI_PATHS=f"{batch[2]} {batch[3]}",
        TEI_SCHEMA=batch[1],
        TEI_SCHEMA_DIR_INPUT="",
        TEI_ENGINE=action["inputs"]["engine"]["default"],
        TEI_ARGS="--max-errors 5",
        TEI_SARIF=str(tmp_path / "tei.sarif"),
        GITHUB_OUTPUT=str(outputs),
    )
    proc = subprocess.run(
        ["bash", "-c", step["run"]], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert proc.returncode == 1, proc.stderr
    assert f"::error file={batch[3]},line=1" in proc.stdout
    assert outputs.read_text() == "exit-code=1\n"
    results = json.loads((tmp_path / "tei.sarif").read_text())["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
