"""A Schematron schema named by a document may not include files outside its own folder."""

from __future__ import annotations

from tei.cli import main


def test_schematron_include_outside_the_schema_folder_is_refused(tmp_path, capsys) -> None:
    outside, inside = tmp_path / "outside", tmp_path / "in"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.xml").write_text(
        '<x xmlns="http://purl.oclc.org/dsdl/schematron">TOP-SECRET-MARKER</x>'
    )
    (inside / "evil.sch").write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><pattern>'
        '<rule context="/*"><report test="true()">leak: '
        f'<include href="{outside / "secret.xml"}"/></report></rule></pattern></schema>'
    )
    doc = inside / "doc.xml"
    doc.write_text(
        '<?xml version="1.0"?><?xml-model href="evil.sch" '
        'schematypens="http://purl.oclc.org/dsdl/schematron"?><a/>'
    )
    code = main(["validate", str(doc), "--no-progress"])
    out = capsys.readouterr()
    assert "TOP-SECRET-MARKER" not in out.out + out.err
    assert code == 2 and "refusing to include" in out.err
    assert "Traceback" not in out.err
