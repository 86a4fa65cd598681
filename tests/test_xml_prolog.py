"""The DOCTYPE pre-scan reads markup, not bytes: a DOCTYPE shown as text is no declaration,
and every refusal names the line and column of what is refused (issue 15)."""

from __future__ import annotations

import pytest
from _shared import SHARED

from tei.validate import ValidateOptions, validate_paths
from tei.xmlsafe import XmlContentError, parse_bytes

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>x</p></TEI>'
SHOWN = '<!DOCTYPE TEI SYSTEM "tei.dtd" [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    "doc",
    [
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><eg><![CDATA[{SHOWN}]]></eg></TEI>',
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><!-- {SHOWN} --></TEI>',
        f"<?xml version='1.0'?>\n<!-- {SHOWN} -->\n{TEI}",
        f"<?pi {SHOWN} ?>{TEI}",
        f"{TEI}<!-- {SHOWN} -->",
        # an ATTLIST default holding "]>" and "<!ENTITY" as characters
        f"<!DOCTYPE TEI [<!ATTLIST p n CDATA \"]> &#60;!ENTITY e SYSTEM 'x'>\">]>{TEI}",
    ],
)
def test_doctype_as_text_is_not_a_declaration(doc: str) -> None:
    assert parse_bytes(doc.encode()).getroot().tag.endswith("TEI")


@pytest.mark.parametrize(
    ("doc", "line", "column", "words"),
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE TEI [\n  <!ENTITY a "b">]>' + TEI, 3, 3, "entity 'a'"),
        (f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "f">]>{TEI}', 1, 16, "external entity 'x'"),
        (f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "f"> %p;]>{TEI}', 1, 16, "external entity 'p'"),
        (f'\n\n<!DOCTYPE TEI SYSTEM "tei.dtd">{TEI}', 3, 1, "external DTD 'tei.dtd'"),
        # a comment holding "]>" and a literal holding '>' come before the entity
        (
            '<!DOCTYPE TEI [<!-- ]> --><!ATTLIST p n CDATA "a>b">\n <!ENTITY x SYSTEM "f">]>' + TEI,
            2,
            2,
            "external entity 'x'",
        ),
        # columns count characters, not bytes
        (f'<!-- жжж --><!DOCTYPE TEI [<!ENTITY x "y">]>{TEI}', 1, 28, "entity 'x'"),
    ],
)
def test_refusals_carry_line_and_column(doc: str, line: int, column: int, words: str) -> None:
    for data in (doc.encode(), "\ufeff".encode("utf-16-le") + doc.encode("utf-16-le")):
        with pytest.raises(XmlContentError) as err:
            parse_bytes(data, path="f.xml")
        assert (err.value.line, err.value.column) == (line, column)
        assert words in str(err.value)
        assert f"at line {line}, column {column}:" in str(err.value)


def test_late_doctype_after_a_long_comment_is_still_refused_with_its_line() -> None:
    doc = "<!--" + "x\n" * 600_000 + '-->\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "f">]>' + TEI
    with pytest.raises(XmlContentError) as err:
        parse_bytes(doc.encode(), path="f.xml")
    assert (err.value.line, err.value.column) == (600_002, 16)


XVAL = SHARED / "corpora" / "xval" / "files" / "teic" / "Documents" / "ODDintro"


@pytest.mark.skipif(not (XVAL / "2013-version.xml").is_file(), reason="../shared absent")
def test_tei_documentation_showing_a_doctype_validates() -> None:
    """TEI's own ODD introductions show a DOCTYPE with an ENTITY in CDATA; jing: valid."""
    files = [XVAL / "2013-version.xml", XVAL / "2020-version.xml"]
    rep = validate_paths(
        files,
        ValidateOptions(schemas=[SHARED / "tei" / "tei_all.rng"], jobs=1, progress=False),
    )
    assert [(fr.valid, fr.findings) for fr in rep.files] == [(True, []), (True, [])]
