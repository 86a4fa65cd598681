"""One small schema + document per Schematron feature, each with a passing and a failing case."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tei.errors import InputError, TeiError
from tei.schematron import (
    QUERY_BINDINGS,
    SchematronIncludeError,
    SchematronQueryBindingError,
    SchematronSchemaError,
    SchematronValidator,
    compile_schematron,
    severity,
)

ISO = "http://purl.oclc.org/dsdl/schematron"
OLD = "http://www.ascc.net/xml/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
DATA = Path(__file__).resolve().parent / "data" / "schematron"


def schema(
    tmp_path: Path, body: str, *, ns: str = ISO, attrs: str = "", name: str = "s.sch"
) -> Path:
    p = tmp_path / name
    p.write_text(
        f'<?xml version="1.0"?>\n<schema xmlns="{ns}" {attrs}>\n{body}\n</schema>\n',
        encoding="utf-8",
    )
    return p


def doc(tmp_path: Path, text: str, name: str = "d.xml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def rules(v: SchematronValidator, path: Path) -> Counter[str]:
    return Counter(f.rule for f in v.validate_file(path))


# -- basics -----------------------------------------------------------------------------------


def test_assert_and_report_pass_and_fail(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern id="p"><rule context="item">
             <assert id="has-n" test="@n">item needs @n</assert>
             <report id="is-x" test="@n = 'x'">item is x</report>
           </rule></pattern>""",
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, '<list><item n="1"/></list>')) == []
    fs = v.validate_file(doc(tmp_path, '<list>\n<item/>\n<item n="x"/></list>', "bad.xml"))
    assert [(f.rule, f.severity, f.line, f.message) for f in fs] == [
        ("has-n", "error", 2, "item needs @n"),
        ("is-x", "warning", 3, "item is x"),
    ]
    assert all(f.engine == "schematron" and f.file.endswith("bad.xml") for f in fs)
    assert fs[0].xpath == "/list[1]/item[1]"


def test_compile_schematron_is_pure_text(tmp_path: Path) -> None:
    s = schema(tmp_path, '<pattern><rule context="a"><assert test="b">b</assert></rule></pattern>')
    x1, x2 = compile_schematron(s), compile_schematron(str(s))
    assert x1 == x2 and x1.startswith("<?xml")
    root = etree.fromstring(x1.encode())
    assert root.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    assert root.get("version") == "3.0"


def test_old_schematron_15_namespace(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<ns prefix="t" uri="urn:t"/>
           <pattern name="Old style"><rule context="t:gap">
             <report test="@extent and @quantity">conflict on <name/> (<value-of
               select="@extent"/>)</report>
           </rule></pattern>""",
        ns=OLD,
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, '<r xmlns="urn:t"><gap extent="1"/></r>')) == []
    (f,) = v.validate_file(doc(tmp_path, '<r xmlns="urn:t"><gap extent="2" quantity="1"/></r>'))
    assert f.message == "conflict on gap (2)" and f.severity == "warning"
    assert f.rule == "pattern-1/1.1" and f.xpath == "/t:r[1]/t:gap[1]"
    svrl = etree.fromstring(v.svrl_for_file(tmp_path / "d.xml").encode())
    assert svrl.find(f"{{{SVRL}}}active-pattern").get("name") == "Old style"


def test_ns_declarations_and_undeclared_prefix(tmp_path: Path) -> None:
    ok = schema(
        tmp_path,
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        '<pattern><rule context="tei:p"><assert test="tei:hi">p needs hi</assert></rule></pattern>',
    )
    v = SchematronValidator(ok)
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>{}</p></TEI>'
    assert v.validate_file(doc(tmp_path, tei.format("<hi/>"))) == []
    assert len(v.validate_file(doc(tmp_path, tei.format("x")))) == 1
    # no-namespace "p" does not match the TEI p
    bad = schema(
        tmp_path,
        '<pattern><rule context="foo:p"><assert test="1">x</assert></rule></pattern>',
        name="bad.sch",
    )
    with pytest.raises(SchematronSchemaError) as ei:
        SchematronValidator(bad)
    msg = str(ei.value)
    assert "bad.sch:3" in msg and "foo" in msg and "\n" not in msg


# -- phases -----------------------------------------------------------------------------------

PHASED = """
<phase id="quick"><active pattern="a"/></phase>
<phase id="full"><let name="limit" value="2"/><active pattern="a"/><active pattern="b"/></phase>
<let name="limit" value="1"/>
<pattern id="a"><rule context="x"><assert id="a1" test="@ok">x not ok</assert></rule></pattern>
<pattern id="b"><rule context="r"><assert id="b1" test="count(x) &lt;= $limit">too many x</assert>
  </rule></pattern>
"""


def test_phases(tmp_path: Path) -> None:
    # schema-level and phase-level let with the same name are both global: declare limit once
    s = schema(
        tmp_path, PHASED.replace('<let name="limit" value="1"/>', ""), attrs='defaultPhase="quick"'
    )
    d = doc(tmp_path, "<r><x/><x ok='1'/><x ok='1'/></r>")
    assert rules(SchematronValidator(s), d) == {"a1": 1}  # default phase = quick
    assert rules(SchematronValidator(s, phase="#DEFAULT"), d) == {"a1": 1}
    assert rules(SchematronValidator(s, phase="full"), d) == {"a1": 1, "b1": 1}  # 3 > limit 2
    d2 = doc(tmp_path, "<r><x ok='1'/><x ok='1'/></r>", "d2.xml")
    assert rules(SchematronValidator(s, phase="full"), d2) == {}
    # #ALL: pattern b runs without the phase let -> undefined variable -> compile error
    with pytest.raises(SchematronSchemaError, match="limit"):
        SchematronValidator(s, phase="#ALL")
    with pytest.raises(SchematronSchemaError, match="unknown phase 'nope'"):
        SchematronValidator(s, phase="nope")


def test_phase_all_without_default(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        PHASED.replace('<phase id="full"><let name="limit" value="2"/>', '<phase id="full">'),
    )
    d = doc(tmp_path, "<r><x/><x ok='1'/></r>")
    assert rules(SchematronValidator(s), d) == {"a1": 1, "b1": 1}  # #ALL, limit 1
    assert rules(SchematronValidator(s, phase="quick"), d) == {"a1": 1}
    svrl = etree.fromstring(SchematronValidator(s, phase="quick").svrl_for_file(d).encode())
    assert svrl.get("phase") == "quick"
    assert [a.get("id") for a in svrl.iter(f"{{{SVRL}}}active-pattern")] == ["a"]


def test_phase_active_unknown_pattern(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        '<phase id="p"><active pattern="zz"/></phase>'
        '<pattern id="a"><rule context="x"><assert test="1">x</assert></rule></pattern>',
    )
    with pytest.raises(SchematronSchemaError, match="unknown pattern 'zz'"):
        SchematronValidator(s, phase="p")


# -- abstract patterns and rules --------------------------------------------------------------


def test_abstract_pattern_is_a_with_params(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern abstract="true" id="required">
             <rule context="$parent">
               <assert test="$child">$parent needs <value-of select="'$child'"/></assert></rule>
           </pattern>
           <pattern is-a="required" id="book-title">
             <param name="parent" value="book"/><param name="child" value="title"/>
           </pattern>
           <pattern is-a="required" id="chapter-para">
             <param name="parent" value="chapter"/><param name="child" value="para"/>
           </pattern>""",
    )
    v = SchematronValidator(s)
    good = doc(tmp_path, "<book><title/><chapter><para/></chapter></book>")
    assert v.validate_file(good) == []
    bad = doc(tmp_path, "<book><chapter/></book>", "bad.xml")
    fs = v.validate_file(bad)
    assert sorted(f.rule for f in fs) == ["book-title/1.1", "chapter-para/1.1"]
    # message text is not substituted (only queries are), value-of is
    assert {f.message for f in fs} == {"$parent needs title", "$parent needs para"}


def test_abstract_pattern_param_name_prefixes(tmp_path: Path) -> None:
    # $a must not be replaced inside $ab
    s = schema(
        tmp_path,
        """<pattern abstract="true" id="ap"><rule context="$ab"><report test="$a">hit</report>
          </rule></pattern>
           <pattern is-a="ap" id="i"><param name="a" value="@x"/><param name="ab" value="e"/>
             </pattern>""",
    )
    v = SchematronValidator(s)
    assert len(v.validate_file(doc(tmp_path, "<r><e x='1'/><e/></r>"))) == 1


def test_is_a_unknown(tmp_path: Path) -> None:
    s = schema(tmp_path, '<pattern is-a="nothing" id="i"/>')
    with pytest.raises(SchematronSchemaError, match="is-a='nothing'"):
        compile_schematron(s)


def test_abstract_rule_extends_rule(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern id="p">
             <rule abstract="true" id="named">
               <assert id="has-name" test="@name">needs @name</assert></rule>
             <rule context="person"><extends rule="named"/>
               <assert id="has-born" test="@born">needs @born</assert></rule>
             <rule context="place"><extends rule="named"/></rule>
           </pattern>""",
    )
    v = SchematronValidator(s)
    assert (
        v.validate_file(doc(tmp_path, "<r><person name='a' born='1'/><place name='b'/></r>")) == []
    )
    fs = rules(v, doc(tmp_path, "<r><person/><place/></r>", "bad.xml"))
    assert fs == {"has-name": 2, "has-born": 1}


def test_extends_unknown_and_cycle(tmp_path: Path) -> None:
    s = schema(tmp_path, '<pattern><rule context="a"><extends rule="zz"/></rule></pattern>')
    with pytest.raises(SchematronSchemaError, match="extends rule='zz'"):
        compile_schematron(s)
    s2 = schema(
        tmp_path,
        """<pattern><rule abstract="true" id="x"><extends rule="y"/></rule>
           <rule abstract="true" id="y"><extends rule="x"/></rule>
           <rule context="a"><extends rule="x"/></rule></pattern>""",
        name="cyc.sch",
    )
    with pytest.raises(SchematronSchemaError, match="cycle"):
        compile_schematron(s2)


def test_extends_href(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "rules.sch").write_text(
        f"""<schema xmlns="{ISO}"><pattern>
              <rule abstract="true" id="dated">
                <assert id="has-when" test="@when">needs @when</assert></rule>
              <rule abstract="true" id="base"><extends rule="dated"/></rule>
            </pattern></schema>"""
    )
    s = schema(
        tmp_path,
        '<pattern><rule context="date"><extends href="lib/rules.sch#base"/></rule></pattern>',
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<r><date when='2000'/></r>")) == []
    assert rules(v, doc(tmp_path, "<r><date/></r>", "bad.xml")) == {"has-when": 1}


def test_first_matching_rule_per_pattern(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern id="p">
             <rule context="div[@type='edition']">
               <report id="edition" test="true()">edition</report></rule>
             <rule context="div"><report id="other" test="true()">other</report></rule>
           </pattern>
           <pattern id="q"><rule context="div"><report id="q-div" test="true()">q</report></rule>
             </pattern>""",
    )
    v = SchematronValidator(s)
    d = doc(tmp_path, "<r><div type='edition'/><div/><div type='x'/></r>")
    assert rules(v, d) == {"edition": 1, "other": 2, "q-div": 3}
    svrl = etree.fromstring(v.svrl_for_file(d).encode())
    fired = [r.get("context") for r in svrl.iter(f"{{{SVRL}}}fired-rule")]
    assert fired.count("div[@type='edition']") == 1 and fired.count("div") == 5


# -- let, messages, diagnostics ---------------------------------------------------------------


def test_let_levels(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<let name="max" value="3"/>
           <let name="codes"><codes xmlns=""><code>a</code><code>b</code></codes></let>
           <pattern id="p">
             <let name="total" value="count(//item)"/>
             <rule context="item">
               <let name="mine" value="count(preceding-sibling::item) + 1"/>
               <assert id="within" test="$mine &lt;= $max">item <value-of select="$mine"/> of
                 <value-of select="$total"/> over max</assert>
               <assert id="code" test="@code = $codes/codes/code">unknown code</assert>
             </rule>
           </pattern>
           <pattern id="q">
             <let name="total" value="'clash'"/>
             <rule context="list">
               <report id="q-total" test="$total = 'clash'">pattern let <value-of select="$total"/>
                 </report></rule>
           </pattern>""",
        attrs='queryBinding="xslt2"',
    )
    v = SchematronValidator(s)
    good = doc(tmp_path, "<list><item code='a'/><item code='b'/></list>")
    assert rules(v, good) == {"q-total": 1}
    bad = doc(tmp_path, "<list>" + "<item code='a'/>" * 3 + "<item code='z'/></list>", "bad.xml")
    fs = v.validate_file(bad)
    assert Counter(f.rule for f in fs) == {"within": 1, "code": 1, "q-total": 1}
    assert "item 4 of 4 over max" in {f.message for f in fs}
    assert "pattern let clash" in {f.message for f in fs}


def test_let_needs_value_or_content(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        '<let name="x"/><pattern><rule context="a"><assert test="1">x</assert></rule></pattern>',
    )
    with pytest.raises(SchematronSchemaError, match="needs @value or content"):
        compile_schematron(s)


def test_message_markup_name_path_emph_dir_span(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern><rule context="a">
             <report test="b">In <name/>: child <name path="b"/> has
               <emph>emphasis</emph>, <dir value="rtl">direction</dir> and <span
                 class="c">span</span>
               <value-of select="b/@n"/>.</report>
           </rule></pattern>""",
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<a/>")) == []
    (f,) = v.validate_file(doc(tmp_path, "<a><b n='7'/></a>"))
    assert f.message == "In a: child b has emphasis, direction and span 7."


def test_diagnostics(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern><rule context="age">
             <assert id="adult" test=". &gt;= 18" diagnostics="d-age d-hint">too young</assert>
           </rule></pattern>
           <diagnostics>
             <diagnostic id="d-age">age is <value-of select="."/></diagnostic>
             <diagnostic id="d-hint">must be 18 or more</diagnostic>
           </diagnostics>""",
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<age>20</age>")) == []
    d = doc(tmp_path, "<age>12</age>", "bad.xml")
    (f,) = v.validate_file(d)
    assert f.message == "too young (age is 12; must be 18 or more)"
    svrl = etree.fromstring(v.svrl_for_file(d).encode())
    refs = [r.get("diagnostic") for r in svrl.iter(f"{{{SVRL}}}diagnostic-reference")]
    assert refs == ["d-age", "d-hint"]
    bad = schema(
        tmp_path,
        '<pattern><rule context="a"><assert test="1" diagnostics="nope">x</assert>'
        "</rule></pattern>",
        name="b.sch",
    )
    with pytest.raises(SchematronSchemaError, match="diagnostics='nope'"):
        compile_schematron(bad)


def test_roles_flags_see_and_severity(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern><rule context="a">
             <assert test="false()" role="warn" flag="f1" see="http://x/y">w</assert>
             <assert test="false()" role="information">i</assert>
             <assert test="false()" role="fatal">e</assert>
             <assert test="false()">plain assert</assert>
             <report test="true()">plain report</report>
             <report test="true()" role="error">error report</report>
           </rule></pattern>""",
    )
    v = SchematronValidator(s)
    d = doc(tmp_path, "<a/>")
    sev = {f.message: f.severity for f in v.validate_file(d)}
    assert sev == {
        "w": "warning",
        "i": "info",
        "e": "error",
        "plain assert": "error",
        "plain report": "warning",
        "error report": "error",
    }
    fa = next(etree.fromstring(v.svrl_for_file(d).encode()).iter(f"{{{SVRL}}}failed-assert"))
    assert (fa.get("role"), fa.get("flag"), fa.get("see")) == ("warn", "f1", "http://x/y")
    assert severity("report", "nonfatal") == "warning" and severity("assert", "odd") == "error"


# -- include ----------------------------------------------------------------------------------


def test_include_relative_and_nested(tmp_path: Path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "pat.sch").write_text(
        f'<pattern xmlns="{ISO}" id="inc-p">'
        '<rule context="a"><include href="asserts.sch"/></rule></pattern>'
    )
    (tmp_path / "inc" / "asserts.sch").write_text(
        f'<assert xmlns="{ISO}" id="from-include" test="@ok">a needs @ok</assert>'
    )
    s = schema(tmp_path, '<include href="inc/pat.sch"/>')
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<a ok='1'/>")) == []
    assert rules(v, doc(tmp_path, "<a/>", "bad.xml")) == {"from-include": 1}


def test_include_errors(tmp_path: Path) -> None:
    missing = schema(tmp_path, '<include href="nope.sch"/>', name="m.sch")
    with pytest.raises(SchematronIncludeError) as ei:
        compile_schematron(missing)
    assert "m.sch:3" in str(ei.value) and "nope.sch" in str(ei.value)
    for url in ("http://example.com/x.sch", "https://example.com/x.sch"):
        net = schema(tmp_path, f'<include href="{url}"/>', name="n.sch")
        with pytest.raises(SchematronIncludeError, match="network includes are not allowed"):
            compile_schematron(net)
    (tmp_path / "loop.sch").write_text(
        f'<pattern xmlns="{ISO}"><include href="loop.sch"/></pattern>'
    )
    cyc = schema(tmp_path, '<include href="loop.sch"/>', name="c.sch")
    with pytest.raises(SchematronIncludeError, match="cycle"):
        compile_schematron(cyc)


# -- xsl:function / xsl:key -------------------------------------------------------------------


def test_xsl_function_and_key(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<ns prefix="f" uri="urn:f"/>
           <xsl:key name="ids" match="*[@id]" use="@id"/>
           <xsl:function name="f:is-upper" as="xs:boolean">
             <xsl:param name="s"/>
             <xsl:sequence select="$s = upper-case($s)"/>
           </xsl:function>
           <pattern><rule context="ref">
             <assert id="target" test="key('ids', @to)">dangling ref <value-of select="@to"/>
               </assert>
             <assert id="upper" test="f:is-upper(@to)">lower-case ref</assert>
           </rule></pattern>""",
        attrs='queryBinding="xslt3" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema"',
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<r><t id='A'/><ref to='A'/></r>")) == []
    assert rules(v, doc(tmp_path, "<r><t id='a'/><ref to='a'/><ref to='B'/></r>", "bad.xml")) == {
        "target": 1,
        "upper": 1,
    }


# -- query bindings ---------------------------------------------------------------------------


@pytest.mark.parametrize("qb", sorted(QUERY_BINDINGS))
def test_query_bindings_accepted(tmp_path: Path, qb: str) -> None:
    s = schema(
        tmp_path,
        '<pattern><rule context="a"><assert test="b">need b</assert></rule></pattern>',
        attrs=f'queryBinding="{qb}"',
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<a><b/></a>")) == []
    assert len(v.validate_file(doc(tmp_path, "<a/>", "bad.xml"))) == 1


def test_unknown_query_binding(tmp_path: Path) -> None:
    s = schema(tmp_path, "<pattern/>", attrs='queryBinding="stx"')
    with pytest.raises(SchematronQueryBindingError, match="unsupported queryBinding 'stx'") as ei:
        compile_schematron(s)
    assert isinstance(ei.value, TeiError) and "s.sch" in str(ei.value)


def test_xpath1_compatibility_vs_xpath2(tmp_path: Path) -> None:
    body = (
        '<pattern><rule context="r"><report id="first" test="string(x) = \'1\'">first x is 1'
        '</report><report id="num" test="x/@n = 2.0">n is two</report></rule></pattern>'
    )
    d = doc(tmp_path, "<r><x n='2'>1</x><x>2</x></r>")
    # XSLT 1.0 binding: string() of a node-set takes the first node; '2' = 2.0 numerically
    assert rules(SchematronValidator(schema(tmp_path, body, name="x1.sch")), d) == {
        "first": 1,
        "num": 1,
    }
    # XPath 2.0: string() of two nodes is a dynamic error, reported as an error finding
    v2 = SchematronValidator(schema(tmp_path, body, attrs='queryBinding="xslt2"', name="x2.sch"))
    (f,) = v2.validate_file(d)
    assert f.severity == "error" and f.rule == "pattern-1/error"
    assert "XPTY0004" in f.message and f.line == 1


# -- errors, security, lines, SVRL ------------------------------------------------------------


def test_bad_xpath_names_schema_and_line(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        '<pattern>\n<rule context="a">\n<assert test="b[">x</assert>\n</rule></pattern>',
        name="broken.sch",
    )
    with pytest.raises(SchematronSchemaError) as ei:
        SchematronValidator(s)
    msg = str(ei.value)
    assert msg.startswith(f"{s}:5: invalid XPath in assert/@test 'b['") and "\n" not in msg
    bad_ctx = schema(
        tmp_path,
        '<pattern><rule context="a[["><assert test="1">x</assert></rule></pattern>',
        name="ctx.sch",
    )
    with pytest.raises(SchematronSchemaError, match=r"ctx.sch:3: invalid XPath in rule/@context"):
        SchematronValidator(bad_ctx)


def test_structural_schema_errors(tmp_path: Path) -> None:
    not_sch = doc(tmp_path, "<foo/>", "x.sch")
    with pytest.raises(SchematronSchemaError, match="not a Schematron schema"):
        compile_schematron(not_sch)
    no_ctx = schema(
        tmp_path, '<pattern><rule><assert test="1">x</assert></rule></pattern>', name="n.sch"
    )
    with pytest.raises(SchematronSchemaError, match="needs a non-empty @context"):
        compile_schematron(no_ctx)
    with pytest.raises(SchematronSchemaError, match="cannot read schema"):
        compile_schematron(tmp_path / "missing.sch")


def test_runtime_error_in_global_let(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        '<let name="x" value="error()"/><pattern><rule context="a">'
        '<assert test="$x">x</assert></rule></pattern>',
        attrs='queryBinding="xslt2"',
    )
    v = SchematronValidator(s)
    with pytest.raises(TeiError, match="error while validating"):
        v.validate_file(doc(tmp_path, "<a/>"))


def test_input_parsed_safely(tmp_path: Path) -> None:
    s = schema(tmp_path, '<pattern><rule context="a"><assert test="b">b</assert></rule></pattern>')
    v = SchematronValidator(s)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    xxe = doc(
        tmp_path, f'<!DOCTYPE a [<!ENTITY e SYSTEM "{secret.as_uri()}">]><a>&e;</a>', "xxe.xml"
    )
    with pytest.raises(InputError):
        v.validate_file(xxe)
    # a DOCTYPE with an external subset is never fetched: refused, or validated without it
    ext = doc(tmp_path, '<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a><b/></a>', "ext.xml")
    try:
        assert v.validate_file(ext) == []
    except InputError as exc:
        assert "DTD" in str(exc)


def test_line_numbers_for_attributes_text_and_comments(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<pattern><rule context="@bad"><report id="attr" test="true()">bad attr</report></rule>
          </pattern>
           <pattern><rule context="text()[contains(., 'TODO')]">
             <report id="todo" test="true()">todo</report></rule></pattern>
           <pattern><rule context="comment()"><report id="comment" test="true()">comment</report>
             </rule></pattern>
           <pattern><rule context="processing-instruction('pi')">
             <report id="pi" test="true()">pi</report></rule></pattern>""",
    )
    v = SchematronValidator(s)
    d = doc(
        tmp_path, "<?pi top?>\n<r>\n  <e\n    bad='1'/>\n  <e/>text\n\n  TODO here<!-- c -->\n</r>"
    )
    got = {f.rule: f.line for f in v.validate_file(d)}
    # an attribute gets its element's line as lxml reports it (libxml2: end of the start
    # tag); a text node the line of its first non-blank character
    assert got == {"pi": 1, "attr": 4, "todo": 5, "comment": 7}


def test_validate_tree_and_svrl(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        '<title>T</title><pattern id="p" name="P"><rule context="a" id="r1">'
        '<assert id="x" test="b">need b</assert></rule></pattern>',
    )
    v = SchematronValidator(s)
    tree = etree.ElementTree(etree.fromstring("<root>\n<a/>\n</root>"))
    (f,) = v.validate_tree(tree, "mem.xml")
    assert (f.file, f.line, f.rule) == ("mem.xml", 2, "x")
    assert v.validate_tree(tree.getroot(), "mem.xml") == [f]
    svrl = etree.fromstring(v.svrl_for_tree(tree).encode())
    assert svrl.tag == f"{{{SVRL}}}schematron-output" and svrl.get("title") == "T"
    assert svrl.find(f"{{{SVRL}}}active-pattern").get("id") == "p"
    fr = svrl.find(f"{{{SVRL}}}fired-rule")
    assert (fr.get("context"), fr.get("id")) == ("a", "r1")
    fa = svrl.find(f"{{{SVRL}}}failed-assert")
    assert fa.get("location") == "/Q{}root[1]/Q{}a[1]" and fa.get("test") == "b"
    assert fa.findtext(f"{{{SVRL}}}text") == "need b"
    assert v.validate_bytes(b"<a><b/></a>") == []


def test_braces_in_tests_are_not_avts(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        r"""<pattern><rule context="d"><assert test="matches(., '^\d{4}$')">year</assert>
               </rule></pattern>""",
        attrs='queryBinding="xslt2"',
    )
    v = SchematronValidator(s)
    assert v.validate_file(doc(tmp_path, "<d>2024</d>")) == []
    d = doc(tmp_path, "<d>24</d>", "bad.xml")
    assert len(v.validate_file(d)) == 1
    fa = next(etree.fromstring(v.svrl_for_file(d).encode()).iter(f"{{{SVRL}}}failed-assert"))
    assert fa.get("test") == r"matches(., '^\d{4}$')"


def test_data_rule_sets_compile() -> None:
    for sch in DATA.glob("*.sch"):
        SchematronValidator(sch)


def test_group_fires_every_rule_and_unsupported_features(tmp_path: Path) -> None:
    s = schema(
        tmp_path,
        """<group id="g">
             <rule context="a"><report id="g1" test="true()">one</report></rule>
             <rule context="a"><report id="g2" test="true()">two</report></rule>
           </group>
           <pattern id="p">
             <rule context="a"><report id="p1" test="true()">one</report></rule>
             <rule context="a"><report id="p2" test="true()">two</report></rule>
           </pattern>""",
    )
    assert rules(SchematronValidator(s), doc(tmp_path, "<a/>")) == {"g1": 1, "g2": 1, "p1": 1}
    docs = schema(tmp_path, "<pattern documents=\"doc('x')\"/>", name="docs.sch")
    with pytest.raises(SchematronSchemaError, match="@documents .* not supported"):
        compile_schematron(docs)


def test_one_saxon_processor_per_process(tmp_path: Path) -> None:
    from tei.schematron import saxon

    assert saxon.processor() is saxon.processor()
    assert saxon.xslt30() is saxon.xslt30()
    assert "Saxon" in saxon.version()


# -- attribute-guarded wildcard rules (an optimisation that must not change results) ----------


@pytest.mark.parametrize(
    ("context", "guard"),
    [
        ("*[@when]", "when"),
        ("tei:*[not(self::tei:schemaSpec)][@targetLang]", "targetLang"),
        ("tei:*[ @minOccurs and not( @maxOccurs ) ]", "minOccurs"),
        ("tei:*[ starts-with( @spanTo, '#') ]", "spanTo"),
        ("*[@xml:id]", "xml:id"),
        ("tei:p[@n]", None),  # named: already indexed by the XSLT engine
        ("*[not(@when)]", None),
        ("*[@a or @b]", None),
        ("*[@a and @b or @c]", None),  # (@a and @b) or @c
        ("*[@a and @b = 'or']", "a"),  # "or" inside a string literal is no operator
        ("*[@a][1]", "a"),
        ("*[starts-with(@a, '')]", None),  # true without the attribute
        ("tei:*[@a]/tei:b", None),
        ("*[@a] | b", None),
        ("*[.='[']", None),
    ],
)
def test_attribute_guard_is_derived_only_when_implied(context: str, guard: str | None) -> None:
    from tei.schematron.compiler import _attribute_guard

    assert _attribute_guard(context) == guard


def test_guarded_rules_fire_in_schema_order_like_unguarded_ones(tmp_path: Path) -> None:
    """Runs of wildcard rules get a guard mode; results and SVRL order must stay the same."""
    body = """
      <pattern id="w1"><rule context="*[@a]"><report test="true()">w1</report></rule></pattern>
      <pattern id="w2"><rule context="*[@b and @c]"><report test="true()">w2</report></rule>
      </pattern>
      <pattern id="named"><rule context="item"><report test="true()">named</report></rule>
      </pattern>
      <pattern id="w3"><rule context="*[starts-with(@d, '#')]">
        <assert test="@d = '#ok'">w3</assert></rule></pattern>
      <pattern id="w4"><rule context="*[@a]"><report test="@b">w4</report></rule></pattern>
      <pattern id="multi">
        <rule context="*[@a]"><report test="true()">multi-first</report></rule>
        <rule context="item"><report test="true()">multi-second</report></rule>
      </pattern>
      <pattern id="w5"><rule context="*[@e]"><report test="true()">w5</report></rule></pattern>
    """
    s = schema(tmp_path, body)
    xslt = compile_schematron(s)
    assert "tsch:g2" in xslt and "tsch:g3" not in xslt  # runs (w1, w2) and (w3, w4)
    d = doc(
        tmp_path,
        '<root><item a="1" b="2" c="3" d="#no"/><item/><x e="1" d="#ok"/><item a="1"/></root>',
    )
    v = SchematronValidator(s)
    got = [(f.line, f.message) for f in v.validate_file(d)]
    expected_item1 = ["w1", "w2", "named", "w3", "w4", "multi-first"]
    assert [m for _, m in got] == [
        *expected_item1,
        "named",
        "multi-second",  # second <item>: no attributes
        "w5",  # <x e d="#ok">
        "w1",
        "named",
        "multi-first",  # last <item a>
    ]
    svrl = etree.fromstring(v.svrl_for_file(d).encode())
    fired = [r.get("context") for r in svrl.iter(f"{{{SVRL}}}fired-rule")]
    assert fired[:6] == [
        "*[@a]",
        "*[@b and @c]",
        "item",
        "*[starts-with(@d, '#')]",
        "*[@a]",
        "*[@a]",
    ]
