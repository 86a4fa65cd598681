"""Issue 12, items 1, 2 and 12: a Schematron schema named by a document's ``<?xml-model?>``
writes nothing, sees no environment variable, and its failures are one line naming a file.

The schema sits beside the document (``in/evil.sch``) and is picked up by a plain
``tei validate doc.xml``, as the GitHub Action and the pre-commit hook run it.
"""

from __future__ import annotations

from _hostile import Secret

XSL = "http://www.w3.org/1999/XSL/Transform"
SCH_OPEN = (
    f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="{XSL}" queryBinding="xslt3">'
)
DOC = (
    '<?xml version="1.0"?>\n<?xml-model href="evil.sch" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>\n'
)


def _plant(secret: Secret, schema_body: str) -> str:
    (secret.inp / "evil.sch").write_text(SCH_OPEN + schema_body + "</schema>", encoding="utf-8")
    doc = secret.inp / "doc.xml"
    doc.write_text(DOC, encoding="utf-8")
    return str(doc)


def _one_line_error(r, *names: str) -> str:
    lines = r.lines("err")
    assert len(lines) == 1, r.err
    assert lines[0].startswith("tei: error:") and any(n in lines[0] for n in names), r.err
    return lines[0]


# --------------------------------------------------------------------------- item 1: writes


def test_result_document_in_the_schema_writes_nothing(cli_proc, secret: Secret) -> None:
    target = secret.outside / "pwned.txt"
    doc = _plant(
        secret,
        f'<xsl:template match="/" priority="1000"><xsl:result-document href="{target.as_uri()}"'
        ' method="text">owned</xsl:result-document><xsl:next-match/></xsl:template>'
        '<pattern><rule context="/*"><assert test="true()">x</assert></rule></pattern>',
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    assert not target.exists(), "the schema wrote a file"
    assert r.code == 2, r.text  # a schema that would write is refused, never "all valid"
    assert "result-document" in _one_line_error(r, "evil.sch")


def test_relative_result_document_writes_nothing(cli_proc, secret: Secret) -> None:
    doc = _plant(
        secret,
        '<pattern><rule context="/*"><assert test="true()">x'
        '<xsl:result-document href="rel.txt">owned</xsl:result-document></assert></rule>'
        "</pattern>",
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    assert list(secret.root.rglob("rel.txt")) == []
    assert r.code == 2
    _one_line_error(r, "evil.sch")


def test_result_document_of_a_nested_transform_writes_nothing(cli_proc, secret: Secret) -> None:
    """fn:transform() runs a stylesheet given as text: no literal xsl:result-document in the
    schema to refuse, so its outputs must stay in memory."""
    target = secret.outside / "nested.txt"
    inner = (
        f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}"><xsl:template name="xsl:initial-'
        f'template"><xsl:result-document href="{target.as_uri()}" method="text">owned'
        "</xsl:result-document><r/></xsl:template></xsl:stylesheet>"
    )
    esc = inner.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    doc = _plant(
        secret,
        '<pattern><rule context="/*"><report test="true()">n=<value-of select="count(map:keys('
        f"transform(map{{'stylesheet-text': '{esc}', 'initial-template': "
        f"QName('{XSL}', 'initial-template')}})))\" "
        'xmlns:map="http://www.w3.org/2005/xpath-functions/map"/></report></rule></pattern>',
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    assert not target.exists(), "a transformation run by the schema wrote a file"


def test_messages_of_the_schema_do_not_reach_the_terminal(cli_proc, secret: Secret) -> None:
    doc = _plant(
        secret,
        '<xsl:template match="/" priority="1000"><xsl:message>MESSAGE-FROM-SCHEMA'
        "</xsl:message><xsl:next-match/></xsl:template>"
        '<pattern><rule context="/*"><assert test="true()">x</assert></rule></pattern>',
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    assert r.code == 0, r.text
    assert "MESSAGE-FROM-SCHEMA" not in r.text


# --------------------------------------------------------------------------- item 2: environment


def test_schema_sees_no_environment_variable(cli_proc, secret: Secret, monkeypatch) -> None:
    monkeypatch.setenv("TEI_HOSTILE_TOKEN", secret.marker)
    doc = _plant(
        secret,
        '<pattern><rule context="/*"><report test="true()">'
        "one=<value-of select=\"environment-variable('TEI_HOSTILE_TOKEN')\"/> "
        'all=<value-of select="string-join(available-environment-variables() ! '
        "(. || '=' || environment-variable(.)), ';')\"/> "
        "home=<value-of select=\"environment-variable('HOME')\"/> "
        "lookup=<value-of select=\"function-lookup(QName('http://www.w3.org/2005/xpath-"
        "functions', 'environment-variable'), 1)('TEI_HOSTILE_TOKEN')\"/>"
        "</report></rule></pattern>",
    )
    r = cli_proc("validate", doc, "--no-progress", "--format", "json")
    r.assert_clean()
    assert r.code == 0, r.text
    assert "one=" in r.out and "lookup=" in r.out, r.out  # the rule ran
    secret.assert_not_leaked(r)
    assert "/root" not in r.out and "PATH=" not in r.out and "HOME=" not in r.out, r.out


# --------------------------------------------------------------------------- item 12: one line


def test_forbidden_document_in_a_let_is_one_line(cli_proc, secret: Secret) -> None:
    """A let reading a file outside the schema's folder: refused, and since issue 15 the
    rule using it is one warning naming it (the document is not at fault), not a failed run."""
    doc = _plant(
        secret,
        f'<let name="x" value="document(\'{(secret.outside / "secret.xml").as_uri()}\')"/>'
        '<pattern id="uses-x"><rule context="/*"><report test="true()">n=<value-of '
        'select="count($x)"/></report></rule></pattern>',
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    secret.assert_not_leaked(r)
    (warn,) = [ln for ln in r.lines("out") if "warning:" in ln]
    assert "could not run rule" in warn and "'uses-x'" in warn and "let $x" in warn, r.text
    assert "prohibited" in warn and "n=" not in r.text
    assert r.code == 0, r.text


def test_xsl_message_terminate_is_one_line(cli_proc, secret: Secret) -> None:
    doc = _plant(
        secret,
        '<xsl:template match="/" priority="1000"><xsl:message terminate="yes">stop&#10;two'
        "&#10;three</xsl:message></xsl:template>"
        '<pattern><rule context="/*"><assert test="true()">x</assert></rule></pattern>',
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    assert r.code != 0
    _one_line_error(r, "evil.sch")


def test_syntax_error_in_a_foreign_function_is_one_line(cli_proc, secret: Secret) -> None:
    doc = _plant(
        secret,
        '<xsl:function name="f:x" xmlns:f="urn:f"><xsl:sequence select="1 +"/></xsl:function>'
        '<pattern><rule context="/*"><assert test="true()">x</assert></rule></pattern>',
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    assert r.code == 2
    _one_line_error(r, "evil.sch")


# --------------------------------------------------------------------------- issue 15


def test_a_rule_kept_from_a_file_is_a_warning_naming_it(cli_proc, secret: Secret) -> None:
    """Issue 15: a rule that could not run (the sandbox refused its doc() of a file outside
    the schema's folder) says so as a warning naming the rule; it is not an error of the
    document, and other rules still run."""
    side = secret.outside / "side.xml"
    side.write_text(f"<side>{secret.marker}</side>")
    for href in (side.as_uri(), "../" + side.relative_to(secret.root).as_posix()):
        doc = _plant(
            secret,
            f'<pattern id="reads"><rule context="/*"><let name="d" value="doc(\'{href}\')"/>'
            '<assert test="$d/*">no side file <value-of select="$d"/></assert></rule></pattern>'
            '<pattern id="own"><rule context="/*"><assert id="has-text" test="false()">'
            "the document's own finding</assert></rule></pattern>",
        )
        assert (secret.inp / href).resolve() == side.resolve() or href.startswith("file:")
        r = cli_proc("validate", doc, "--no-progress")
        r.assert_clean()
        secret.assert_not_leaked(r)
        lines = r.lines("out") + r.lines("err")
        warn = [ln for ln in lines if "warning:" in ln and "could not run rule" in ln]
        assert warn and "'reads'" in warn[0] and "prohibited" in warn[0], r.text
        errors = [ln for ln in lines if ": error:" in ln]
        assert len(errors) == 1 and "has-text" in errors[0], r.text
        assert r.code == 1


def test_a_file_beside_the_schema_is_read(cli_proc, secret: Secret) -> None:
    """Issue 15: doc('x.xml') is the file beside the schema (not in the current directory),
    and files in the schema's folder may be read, as project rule sets do; the schema itself
    is document('')."""
    (secret.inp / "ids.xml").write_text("<ids><id>a</id></ids>")
    doc = _plant(
        secret,
        '<let name="ids" value="doc(\'ids.xml\')//id"/>'
        '<pattern id="reads"><rule context="/*">'
        '<report id="seen" test="true()">ids=<value-of select="$ids"/> '
        "own=<value-of select=\"local-name(document('')/*)\"/></report></rule></pattern>",
    )
    r = cli_proc("validate", doc, "--no-progress")  # run from another folder
    r.assert_clean()
    assert "ids=a own=schema" in r.out, r.text
    assert "could not run" not in r.text and r.code == 0, r.text


def test_a_link_out_of_the_schemas_folder_is_not_followed(cli_proc, secret: Secret) -> None:
    """A symbolic link beside the schema that points outside its folder is refused."""
    target = secret.outside / "linked.xml"
    target.write_text(f"<s>{secret.marker}</s>")
    (secret.inp / "link.xml").symlink_to(target)
    doc = _plant(
        secret,
        '<pattern id="reads"><rule context="/*"><report test="true()">got=<value-of '
        "select=\"doc('link.xml')\"/></report></rule></pattern>",
    )
    r = cli_proc("validate", doc, "--no-progress")
    r.assert_clean()
    secret.assert_not_leaked(r)
    (warn,) = [ln for ln in r.lines("out") if "could not run rule" in ln]
    assert "'reads'" in warn and "prohibited" in warn, r.text
