"""A Schematron schema named by a document may not include files outside its own folder."""

from __future__ import annotations

import pytest

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


# --------------------------------------------------------------------------- issue 12, item 4

RNG = "http://relaxng.org/ns/structure/1.0"
XS = "http://www.w3.org/2001/XMLSchema"
MODEL_NS = {"rng": RNG, "rnc": RNG, "xsd": XS}


def _doc_naming(secret, schema: str) -> str:
    doc = secret.inp / "doc.xml"
    ns = MODEL_NS[schema.rsplit(".", 1)[1]]
    doc.write_text(
        f'<?xml version="1.0"?>\n<?xml-model href="{schema}" schematypens="{ns}"?>\n<a/>\n'
    )
    return str(doc)


def _outside_parts(secret) -> None:
    m = secret.marker
    (secret.outside / "part.rng").write_text(
        f'<grammar xmlns="{RNG}"><define name="p"><element name="{m}"><empty/></element>'
        "</define></grammar>"
    )
    (secret.outside / "part.rnc").write_text(f"start = element {m} {{ empty }}\n")
    (secret.outside / "part.xsd").write_text(
        f'<xs:schema xmlns:xs="{XS}"><xs:element name="{m}"/></xs:schema>'
    )
    (secret.outside / "ns.xsd").write_text(
        f'<xs:schema xmlns:xs="{XS}" targetNamespace="urn:x"><xs:element name="{m}"/></xs:schema>'
    )


def _evil_schemas(secret) -> dict[str, str]:
    o = secret.outside
    return {
        "include.rng": f'<grammar xmlns="{RNG}"><include href="{o / "part.rng"}"/>'
        '<start><ref name="p"/></start></grammar>',
        "include-url.rng": f'<grammar xmlns="{RNG}"><include href="{(o / "part.rng").as_uri()}"/>'
        '<start><ref name="p"/></start></grammar>',
        "include-dotdot.rng": f'<grammar xmlns="{RNG}"><include href="../outside/part.rng"/>'
        '<start><ref name="p"/></start></grammar>',
        "externalref.rng": f'<element name="a" xmlns="{RNG}"><externalRef href="{o / "part.rng"}"/>'
        "</element>",
        "externalref-passwd.rng": f'<element name="a" xmlns="{RNG}">'
        '<externalRef href="/etc/passwd"/></element>',
        "include.rnc": f'include "{o / "part.rnc"}"\n',
        "external.rnc": f'start = element a {{ external "{o / "part.rnc"}" }}\n',
        "include.xsd": f'<xs:schema xmlns:xs="{XS}"><xs:include schemaLocation="{o / "part.xsd"}"/>'
        "</xs:schema>",
        "import.xsd": f'<xs:schema xmlns:xs="{XS}"><xs:import namespace="urn:x" '
        f'schemaLocation="{o / "ns.xsd"}"/><xs:element name="a"/></xs:schema>',
    }


EVIL = [
    "include.rng",
    "include-url.rng",
    "include-dotdot.rng",
    "externalref.rng",
    "externalref-passwd.rng",
    "include.rnc",
    "external.rnc",
    "include.xsd",
    "import.xsd",
]


@pytest.mark.parametrize("name", EVIL)
def test_schema_part_outside_the_schema_folder_is_refused(cli, secret, opened, name) -> None:
    _outside_parts(secret)
    (secret.inp / name).write_text(_evil_schemas(secret)[name])
    r = cli("validate", _doc_naming(secret, name), "--no-progress")
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert "root:" not in r.text  # /etc/passwd
    assert r.code == 2, r.text
    (line,) = r.error_lines()
    assert name in line and ("refusing to read" in line or "sandbox" in line), line


@pytest.mark.parametrize("name", ["include.rng", "externalref.rng"])
def test_jing_engine_never_reads_a_part_outside(cli, secret, name) -> None:
    _outside_parts(secret)
    (secret.inp / name).write_text(_evil_schemas(secret)[name])
    r = cli("validate", _doc_naming(secret, name), "--no-progress", "--engine", "jing")
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert r.code == 2 and "refusing to read" in r.text, r.text


def test_schema_part_through_a_symlink_to_outside_is_refused(cli, secret) -> None:
    _outside_parts(secret)
    (secret.inp / "part.rng").symlink_to(secret.outside / "part.rng")
    (secret.inp / "s.rng").write_text(
        f'<grammar xmlns="{RNG}"><include href="part.rng"/><start><ref name="p"/></start></grammar>'
    )
    r = cli("validate", _doc_naming(secret, "s.rng"), "--no-progress")
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert r.code == 2 and "refusing to read" in r.text, r.text


def test_schema_parts_inside_the_schema_folder_still_work(cli, secret) -> None:
    sub = secret.inp / "parts"
    sub.mkdir()
    (sub / "a.rng").write_text(
        f'<grammar xmlns="{RNG}"><define name="p"><element name="a"><empty/></element></define>'
        "</grammar>"
    )
    (secret.inp / "s.rng").write_text(
        f'<grammar xmlns="{RNG}"><include href="parts/a.rng"/><start><ref name="p"/></start>'
        "</grammar>"
    )
    (sub / "a.xsd").write_text(f'<xs:schema xmlns:xs="{XS}"><xs:element name="a"/></xs:schema>')
    (secret.inp / "s.xsd").write_text(
        f'<xs:schema xmlns:xs="{XS}"><xs:include schemaLocation="parts/a.xsd"/></xs:schema>'
    )
    for name in ("s.rng", "s.xsd"):
        r = cli("validate", _doc_naming(secret, name), "--no-progress")
        assert r.code == 0, r.text
