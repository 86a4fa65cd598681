"""Hostile and broken XML against every XML entry point: align, validate, render html/pdf.

Nothing read but the input, nothing fetched, nothing half-written, one clear line per
problem, each run under 10 s.  The corpus is in ``corpus/xml`` (see its README.md); the big
cases (100 000-deep nesting, a 10 MB attribute) are generated into ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from _hostile import TIME_LIMIT, XML, Run, Secret, make_fifo, need, temp_leftovers
from lxml import etree

ENTRIES = ["align", "validate", "render html", "render pdf"]

# case -> words the one-line error must contain (besides the file name)
REFUSED = {
    "xxe-file.xml": "external entity 'x'",
    "xxe-parameter.xml": "external entity 'p'",
    "xxe-public.xml": "external entity 'x'",
    "xxe-hidden-by-comment.xml": "entit",
    "xxe-network.xml": "external entity 'x'",
    "xxe-network-parameter.xml": "external entity 'p'",
    "billion-laughs.xml": "entit",
    "external-dtd.xml": "external DTD 'secret.dtd'",
    "external-dtd-network.xml": "external DTD 'http://127.0.0.1:9/tei.dtd'",
    "invalid-utf8.xml": "not well-formed",
    "utf16le-no-bom-no-declaration.xml": "UTF-16 without a byte order mark",
    "truncated.xml": "not well-formed",
    "conflict-markers.xml": "not well-formed",
    "empty.xml": "file is empty",
    "whitespace-only.xml": "file is empty",
    "binary.xml": "binary file",
    "xxe-utf16.xml": "external entity 'x'",  # the DOCTYPE is not ASCII bytes: regex bypass
    # generated: the DOCTYPE after a 1 MB comment, past the pre-parse check
    "late-xxe.xml": "external entity 'x'",
    "late-external-dtd.xml": "external DTD 'secret.dtd'",
}
# valid documents in unusual encodings: every entry point must simply work
WORKS = ["base.xml", "utf16-bom.xml", "utf16le-no-bom.xml"]
NETWORK = {
    "xxe-network.xml",
    "xxe-network-parameter.xml",
    "external-dtd-network.xml",
    "xinclude-network.xml",
    "hostile-attributes.xml",
}


def run_entry(cli, entry: str, src: Path, out: Path, *extra: str) -> Run:
    need(entry)
    if entry == "align":
        return cli("align", src, "-o", out / src.name, *extra)
    if entry == "validate":
        return cli("validate", src, "--no-progress", *extra)
    fmt = entry.split()[1]
    return cli("render", fmt, src, "-o", out, *extra)


def outputs_for(entry: str, src: Path, out: Path) -> list[Path]:
    """The file(s) an entry point writes for ``src`` (none for validate)."""
    return {
        "align": [out / src.name],
        "validate": [],
        "render html": [out / f"{src.stem}.html"],
        "render pdf": [out / f"{src.stem}.pdf"],
    }[entry]


def assert_refused(r: Run, entry: str, src: Path, out: Path, reason: str) -> None:
    """Exit 1, one line naming the file and the reason, no output for that file."""
    r.assert_clean()
    assert r.code == 1, r.text
    if entry == "validate":
        findings = [ln for ln in r.lines("out") if ": error:" in ln]
        assert len(findings) == 1, r.out
        line = findings[0]
    else:
        errors = r.error_lines()
        assert len(errors) == 1, r.err
        line = errors[0]
    assert src.name in line and reason in line, line
    for p in outputs_for(entry, src, out):
        assert not p.exists(), f"{p.name} written for a refused input"
    assert temp_leftovers(out, src.parent) == []


# --------------------------------------------------------------------------- refused inputs


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused(cli, secret: Secret, canary, opened, entry, case) -> None:
    src = _late(secret, case) if case.startswith("late-") else secret.put(case)[0]
    if case.endswith("external-dtd.xml"):
        secret.put("secret.dtd")
    if case in NETWORK:  # point the URL at a listener that counts connection attempts
        src.write_bytes(
            src.read_bytes().replace(b"127.0.0.1:9/", f"127.0.0.1:{canary.port}/".encode())
        )
    before = src.read_bytes()
    r = run_entry(cli, entry, src, secret.out)
    reason = REFUSED[case].replace("127.0.0.1:9/", f"127.0.0.1:{canary.port}/")
    assert_refused(r, entry, src, secret.out, reason)
    assert src.read_bytes() == before
    secret.assert_not_leaked(r)
    assert opened == []
    assert canary.hits == 0, "a network connection was attempted"


def _late(secret: Secret, case: str) -> Path:
    """A corpus case with 1 MB of comment before its DOCTYPE."""
    data = (
        XML / {"late-xxe.xml": "xxe-file.xml", "late-external-dtd.xml": "external-dtd.xml"}[case]
    ).read_bytes()
    i = data.index(b"<!DOCTYPE")
    src = secret.inp / case
    src.write_bytes(data[:i] + b"<!--" + b"padding " * (1 << 17) + b"-->\n" + data[i:])
    return src


def test_validate_jing_engine_refuses_them_all(cli, secret: Secret, canary) -> None:
    """--engine jing hands files to Java: every hostile file must be refused before that."""
    import shutil as sh

    if sh.which("java") is None:
        pytest.skip("java is not installed")
    names = sorted(n for n in REFUSED if not n.startswith("late-"))
    srcs = secret.put(*names, "secret.dtd")[:-1]
    for src in srcs:
        src.write_bytes(
            src.read_bytes().replace(b"127.0.0.1:9/", f"127.0.0.1:{canary.port}/".encode())
        )
    (good,) = secret.put("base.xml")  # so that jing really runs
    r = cli("validate", "--engine", "jing", good, *srcs, "--no-progress")
    r.assert_clean()
    assert r.code == 1
    assert f"{len(srcs) + 1} files checked, {len(srcs)} invalid" in r.out
    for src in srcs:
        lines = [ln for ln in r.lines("out") if ln.startswith(f"{src}:") and ": error:" in ln]
        assert len(lines) == 1, (src.name, r.out)
    secret.assert_not_leaked(r)
    assert canary.hits == 0


def test_network_entity_fails_fast_without_a_listener(cli, secret: Secret) -> None:
    """The committed file as is (http://127.0.0.1:9/, nothing listens): refused, not tried."""
    (src,) = secret.put("xxe-network.xml")
    for entry in ("align", "validate"):
        r = run_entry(cli, entry, src, secret.out)
        assert_refused(r, entry, src, secret.out, "external entity 'x'")
        assert r.secs < 2.0


def test_validate_json_report_stays_one_document(cli, secret: Secret) -> None:
    """Machine-readable reports of refused files are still valid JSON (no stray lines)."""
    srcs = secret.put("xxe-file.xml", "binary.xml", "truncated.xml")
    r = cli("validate", *srcs, "--format", "json", "--no-progress")
    r.assert_clean()
    assert r.code == 1
    doc = json.loads(r.out)
    assert secret.marker not in r.out and doc


# --------------------------------------------------------------------------- generated giants


def _deep(secret: Secret) -> Path:
    base = (XML / "base.xml").read_bytes()
    n = 100_000
    src = secret.inp / "deep.xml"
    src.write_bytes(
        base.replace(b'<p xml:id="o1">', b'<p xml:id="o1">' + b"<hi>" * n + b"x" + b"</hi>" * n)
    )
    return src


def _big_attribute(secret: Secret) -> Path:
    base = (XML / "base.xml").read_bytes()
    src = secret.inp / "big-attribute.xml"
    src.write_bytes(
        base.replace(b'<p xml:id="o1">', b'<p xml:id="o1" n="' + b"A" * (10 * 1024 * 1024) + b'">')
    )
    return src


@pytest.mark.parametrize("entry", ENTRIES)
def test_100000_deep_nesting(cli_proc, secret: Secret, entry) -> None:
    """In a child process: a recursion overflow must not kill the CLI (or the test run)."""
    need(entry)
    src = _deep(secret)
    out = secret.out
    if entry == "align":
        r = cli_proc("align", src, "-o", out / src.name)
    elif entry == "validate":
        r = cli_proc("validate", src, "--no-progress")
    else:
        r = cli_proc("render", entry.split()[1], src, "-o", out)
    assert_refused(r, entry, src, out, "nesting depth 256")


@pytest.mark.parametrize("entry", ENTRIES)
def test_10_mb_attribute(cli, secret: Secret, entry) -> None:
    src = _big_attribute(secret)
    r = run_entry(cli, entry, src, secret.out)
    assert_refused(r, entry, src, secret.out, "10 MB per text or attribute value")


def test_50000_unknown_siblings_validate_in_time(cli, secret: Secret) -> None:
    """Every child is an error: the report is capped and the diagnosis stays linear."""
    base = (XML / "base.xml").read_bytes()
    src = secret.inp / "wide.xml"
    src.write_bytes(base.replace(b'<p xml:id="o1">', b'<p xml:id="o1">' + b"<bogus/>" * 50_000))
    r = cli("validate", src, "--no-progress")
    assert r.code == 1, r.text
    assert r.secs < TIME_LIMIT
    assert 'element "bogus" not allowed' in r.out and "Traceback" not in r.text


def test_5000_blocks_with_our_rules_validate_in_time(cli, secret: Secret) -> None:
    """Every rule stays linear: 5,000 blocks with ids and dangling pointers under one parent."""
    base = (XML / "base.xml").read_bytes()
    src = secret.inp / "many-blocks.xml"
    blocks = b"".join(b'<p xml:id="many%d" corresp="#nowhere">t</p>' % i for i in range(5000))
    src.write_bytes(base.replace(b'<p xml:id="o1">', blocks + b'<p xml:id="o1">', 1))
    r = cli("validate", src, "--no-progress", "--max-errors", "0")
    assert r.code == 1, r.text
    assert r.secs < TIME_LIMIT
    assert r.out.count("[ids-pointer-resolves]") == 5000 and "Traceback" not in r.text


def test_10000_aligned_pairs_render_and_validate_in_time(cli, secret: Secret) -> None:
    """The parallel view and the alignment rules stay linear in the number of links."""
    need("render html")
    n = 10_000
    base = (XML / "base.xml").read_bytes()
    orig = b"".join(b'<p xml:id="po%d">o %d</p>' % (i, i) for i in range(n))
    trans = b"".join(b'<p xml:id="pt%d">t %d</p>' % (i, i) for i in range(n))
    links = b"".join(b'<link target="#po%d #pt%d"/>' % (i, i) for i in range(n))
    data = base.replace(b'<p xml:id="o1">', orig + b'<p xml:id="o1">', 1)
    data = data.replace(b'<p xml:id="t1">', trans + b'<p xml:id="t1">', 1)
    data = data.replace(
        b"</text>",
        b'</text><standOff><linkGrp type="translation">'
        + links
        + b'<link target="#o1 #t1"/><link target="#o2 #t2"/>'
        + b"</linkGrp></standOff>",
        1,
    )
    src = secret.inp / "aligned.xml"
    src.write_bytes(data)
    r = cli("render", "html", src, "-o", secret.out)
    assert r.code == 0 and r.secs < TIME_LIMIT, r.text
    html = (secret.out / "aligned.html").read_text(encoding="utf-8")
    assert html.count('data-link="') == n + 2
    r = cli("validate", src, "--no-progress")
    assert r.code == 0 and r.secs < TIME_LIMIT, r.text


# --------------------------------------------------------------------------- documents that work


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("case", WORKS)
def test_valid_in_any_encoding_works(cli, secret: Secret, entry, case) -> None:
    (src,) = secret.put(case)
    r = run_entry(cli, entry, src, secret.out)
    r.assert_clean()
    assert r.code == 0, r.text
    for p in outputs_for(entry, src, secret.out):
        assert p.is_file() and p.stat().st_size > 0
    if entry == "align":
        tree = etree.parse(str(secret.out / src.name))
        assert tree.findall(".//{http://www.tei-c.org/ns/1.0}link")
        assert "Первый абзац" in etree.tostring(tree, encoding="unicode")
    if entry == "render html":
        assert "Первый абзац" in (secret.out / f"{src.stem}.html").read_text(encoding="utf-8")
    assert temp_leftovers(secret.out) == []


# --------------------------------------------------------------------------- duplicate ids


def test_duplicate_ids_are_a_validation_finding(cli, secret: Secret) -> None:
    (src,) = secret.put("duplicate-ids.xml")
    r = cli("validate", src, "--no-progress")
    r.assert_clean()
    assert r.code == 1
    dup = [ln for ln in r.lines("out") if ln.endswith("[duplicate-id]")]
    assert len(dup) == 1 and 'duplicate xml:id "o1"' in dup[0] and src.name in dup[0], r.out


def test_duplicate_ids_give_only_the_duplicate_finding(cli, secret: Secret) -> None:
    (src,) = secret.put("duplicate-ids.xml")
    r = cli("validate", src, "--no-progress")
    errors = [ln for ln in r.lines("out") if ": error:" in ln]
    assert len(errors) == 1 and "duplicate xml:id" in errors[0], r.out


def test_duplicate_ids_align_refuses_or_warns(cli, secret: Secret) -> None:
    (src,) = secret.put("duplicate-ids.xml")
    r = cli("align", src, "-o", secret.out / src.name)
    r.assert_clean()
    assert "duplicate xml:id" in r.err and src.name in r.err, r.text


def test_duplicate_ids_render_pdf(cli, secret: Secret) -> None:
    """Rendering a document with duplicate ids must not crash (a PDF, or one clear error)."""
    (src,) = secret.put("duplicate-ids.xml")
    r = run_entry(cli, "render pdf", src, secret.out)
    r.assert_clean()
    assert r.code in (0, 1), r.text
    if r.code == 1:
        assert len(r.error_lines()) == 1 and src.name in r.error_lines()[0]


def test_duplicate_ids_render_html(cli, secret: Secret) -> None:
    need("render html")
    (src,) = secret.put("duplicate-ids.xml")
    r = cli("render", "html", src, "-o", secret.out)
    r.assert_clean()
    assert r.code in (0, 1)
    assert (secret.out / "index.html").is_file()


# --------------------------------------------------------------------------- not TEI


@pytest.mark.parametrize("entry", ["align", "render html", "render pdf"])
def test_well_formed_but_not_tei(cli, secret: Secret, entry) -> None:
    (src,) = secret.put("not-tei.xml")
    r = run_entry(cli, entry, src, secret.out)
    r.assert_clean()
    assert r.code == 1
    assert len(r.error_lines()) == 1 and src.name in r.error_lines()[0], r.err
    for p in outputs_for(entry, src, secret.out):
        assert not p.exists()


# --------------------------------------------------------------------------- hostile attributes


def _links(html: str) -> list[str]:
    return re.findall(r'\b(?:href|src|action|formaction|data|poster)\s*=\s*"([^"]*)"', html, re.I)


@pytest.mark.parametrize("entry", ENTRIES)
def test_hostile_attributes_and_pis(cli, secret: Secret, canary, opened, entry) -> None:
    """file://, javascript:, data:, document()/unparsed-text() in @url/@facs/@target and
    <?xml-stylesheet?>/<?xml-model?> PIs: nothing read, nothing fetched, nothing executable."""
    (src,) = secret.put("hostile-attributes.xml")
    src.write_bytes(src.read_bytes().replace(b"127.0.0.1:9/", f"127.0.0.1:{canary.port}/".encode()))
    r = run_entry(cli, entry, src, secret.out)
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert opened == [], f"opened {opened}"
    assert canary.hits == 0
    if entry == "validate":
        assert r.code == 2  # a remote xml-model is never fetched, so the file is not validated
        assert "not downloaded without --fetch-schemas" in r.out and "not validated" in r.out
        return
    assert r.code == 0, r.text
    if entry == "align":
        assert b"standOff" in (secret.out / src.name).read_bytes()
        return
    if entry == "render html":
        html = (secret.out / f"{src.stem}.html").read_text(encoding="utf-8")
        low = html.lower()
        for url in _links(html):
            u = re.sub(r"[\s\x00-\x1f]", "", url).lower()
            assert not u.startswith(("javascript:", "vbscript:", "data:", "file:")), url
            assert "/etc/passwd" not in u  # only as file:///etc/passwd, which is dropped
            # document('...') / unparsed-text('...') survive only as inert relative links
        assert "<script>alert" not in low
        assert "evil.xsl" not in html and "evil.css" not in html
    if entry == "render pdf":
        pdf = (secret.out / f"{src.stem}.pdf").read_bytes()
        assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"/Launch" not in pdf
        for uri in re.findall(rb"/URI\s*\(([^)]*)\)", pdf):
            assert not uri.lower().startswith((b"javascript:", b"file:", b"data:")), uri


# --------------------------------------------------------------------------- schemas chosen by the file

EVIL_SCH = """<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern>
    <rule context="t:TEI">
      <assert test="false()">file: <value-of select="unparsed-text('{secret}')"/></assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="t:TEI">
      <assert test="false()">net: <value-of select="unparsed-text('{url}')"/></assert>
    </rule>
  </pattern>
</schema>
"""


def test_schematron_chosen_by_the_document_cannot_read_files(cli, secret: Secret, canary) -> None:
    (src,) = secret.put("base.xml")
    (secret.inp / "evil.sch").write_text(
        EVIL_SCH.format(
            secret=(secret.outside / "secret.txt").as_uri(), url=f"http://127.0.0.1:{canary.port}/x"
        )
    )
    src.write_text(
        src.read_text(encoding="utf-8").replace(
            "?>\n",
            '?>\n<?xml-model href="evil.sch" type="application/xml" '
            'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n',
            1,
        ),
        encoding="utf-8",
    )
    r = cli("validate", src, "--no-progress")
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert canary.hits == 0, "the schema made a network request"


# --------------------------------------------------------------------------- XInclude


def test_xinclude_not_expanded_by_default(cli, secret: Secret, opened) -> None:
    """Without --xinclude nothing is included: the file is validated as it is."""
    (src,) = secret.put("xinclude-outside.xml")
    r = cli("validate", src, "--no-progress")
    r.assert_clean()
    assert r.code == 1  # xi:include is not allowed by the schema: a finding, not an inclusion
    secret.assert_not_leaked(r)
    assert opened == []


@pytest.mark.parametrize("case", ["xinclude-outside.xml", "xinclude-outside-text.xml"])
def test_xinclude_outside_the_folder_is_refused(cli, secret: Secret, opened, case) -> None:
    (src,) = secret.put(case)
    r = cli("validate", src, "--xinclude", "--no-progress")
    r.assert_clean()
    assert r.code == 1
    xi = [ln for ln in r.lines("out") if "[xinclude]" in ln]
    assert len(xi) == 1 and "outside the allowed folders" in xi[0] and src.name in xi[0], r.out
    secret.assert_not_leaked(r)
    assert opened == []


def test_xinclude_absolute_file_url_is_refused(cli, secret: Secret, opened) -> None:
    (src,) = secret.put("xinclude-outside.xml")
    url = (secret.outside / "secret.xml").as_uri().encode()
    src.write_bytes(src.read_bytes().replace(b"../outside/secret.xml", url))
    r = cli("validate", src, "--xinclude", "--no-progress")
    r.assert_clean()
    assert r.code == 1 and "outside the allowed folders" in r.out
    secret.assert_not_leaked(r)
    assert opened == []


def test_xinclude_through_a_symlink_is_refused(cli, secret: Secret, opened) -> None:
    (src,) = secret.put("xinclude-inside.xml")
    os.symlink(secret.outside / "secret.xml", secret.inp / "part.xml")
    r = cli("validate", src, "--xinclude", "--no-progress")
    r.assert_clean()
    assert r.code == 1 and "outside the allowed folders" in r.out
    secret.assert_not_leaked(r)
    assert opened == []


def test_xinclude_network_is_never_fetched(cli, secret: Secret, canary) -> None:
    (src,) = secret.put("xinclude-network.xml")
    src.write_bytes(src.read_bytes().replace(b"127.0.0.1:9/", f"127.0.0.1:{canary.port}/".encode()))
    r = cli("validate", src, "--xinclude", "--no-progress")
    r.assert_clean()
    assert r.code == 1 and "never fetched" in r.out
    assert canary.hits == 0


def test_xinclude_inside_the_folder_is_expanded(cli, secret: Secret) -> None:
    src, _ = secret.put("xinclude-inside.xml", "part.xml")
    r = cli("validate", src, "--xinclude", "--no-progress")
    r.assert_clean()
    assert r.code == 0, r.out


def test_xinclude_into_a_fifo_does_not_hang(cli_proc, secret: Secret) -> None:
    (src,) = secret.put("xinclude-inside.xml")
    make_fifo(secret.inp / "part.xml")
    r = cli_proc("validate", src, "--xinclude", "--no-progress", timeout=8)
    r.assert_clean()
    assert r.code == 1 and "not a regular file" in r.out, r.text


@pytest.mark.parametrize("entry", ["align", "render html", "render pdf"])
def test_xinclude_is_not_processed_by_other_entries(cli, secret: Secret, opened, entry) -> None:
    (src,) = secret.put("xinclude-outside.xml")
    r = run_entry(cli, entry, src, secret.out)
    r.assert_clean()
    secret.assert_not_leaked(r)
    assert opened == []


# --------------------------------------------------------------------------- not a file


@pytest.mark.parametrize("entry", ENTRIES)
def test_directory_given_as_a_file(cli, secret: Secret, entry) -> None:
    d = secret.inp / "folder.xml"
    d.mkdir()
    r = run_entry(cli, entry, d, secret.out)
    r.assert_clean()
    if entry == "validate":  # a folder is searched for *.xml; this one has none
        assert r.code == 2 and "no XML files" in r.err
        return
    assert r.code in (1, 2), r.text
    assert len(r.error_lines()) == 1 and "folder.xml" in r.error_lines()[0]
    assert "is a directory" in r.error_lines()[0]


@pytest.mark.parametrize("entry", ENTRIES)
def test_missing_file(cli, secret: Secret, entry) -> None:
    src = secret.inp / "missing.xml"
    r = run_entry(cli, entry, src, secret.out)
    r.assert_clean()
    if entry == "validate":
        assert r.code == 2 and "missing.xml" in r.out and "no such file" in r.out
        return
    assert r.code in (1, 2) and len(r.error_lines()) == 1
    assert "missing.xml" in r.error_lines()[0] and "no such file" in r.error_lines()[0]


@pytest.mark.parametrize("entry", ["align", "render html", "render pdf"])
def test_fifo_given_as_a_file_does_not_hang(cli_proc, secret: Secret, entry) -> None:
    need(entry)
    src = make_fifo(secret.inp / "pipe.xml")
    if entry == "align":
        r = cli_proc("align", src, "-o", secret.out / "pipe.xml", timeout=8)
    else:
        r = cli_proc("render", entry.split()[1], src, "-o", secret.out, timeout=8)
    r.assert_clean()
    assert r.code in (1, 2) and "not a regular file" in r.err, r.text


def test_fifo_given_to_validate_does_not_hang(cli_proc, secret: Secret) -> None:
    src = make_fifo(secret.inp / "pipe.xml")
    r = cli_proc("validate", src, "--no-progress", timeout=5)
    r.assert_clean()
    assert r.code == 2 and "not a regular file" in r.out


@pytest.mark.parametrize("entry", ENTRIES)
def test_device_given_as_a_file(cli, secret: Secret, entry) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    r = run_entry(cli, entry, Path("/dev/zero"), secret.out)
    r.assert_clean()
    assert r.code in (1, 2)
    assert "/dev/zero" in r.text and "not a regular file" in r.text, r.text
