"""The quick RELAX NG form (big repeated choices left uncompiled) accepts what the schema does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from _mutations import mutate
from _shared import edition_corpus_files
from lxml import etree

from tei.cli import main
from tei.validate import ValidateOptions, validate_paths
from tei.validate.relaxng import get_relaxng
from tei.validate.rng.quick import quick_form
from tei.validate.runner import QUICK_MAX_FILES_PER_JOB, rng_form
from tei.xmlsafe import parse_file

DATA = Path(__file__).parent / "data" / "validate"
MANY = "".join(f"<element name='e{i}'><empty/></element>" for i in range(40))
R = "http://relaxng.org/ns/structure/1.0"


def test_tei_all_mixed_content_is_rewritten(shared_dir: Path) -> None:
    tree = etree.parse(str(shared_dir / "tei" / "tei_all.rng"))
    quick, n = quick_form(tree)
    assert n >= 50  # macro.paraContent, macro.phraseSeq, macro.specialPara and the like
    assert quick.getroot().find(f".//{{{R}}}mixed") is not None
    assert tree.getroot().find(f".//{{{R}}}mixed") is None  # the original is not touched
    etree.RelaxNG(quick)  # and libxml2 accepts the rewritten grammar


def _schema(body: str) -> etree._ElementTree:
    return etree.ElementTree(
        etree.fromstring(
            f'<grammar xmlns="{R}"><start><element name="doc">{body}</element></start>'
            '<define name="el"><element name="b"><empty/></element></define>'
            '<define name="att"><attribute name="a"/></define>'
            '<define name="txt"><text/></define></grammar>'
        )
    )


@pytest.mark.parametrize(
    ("body", "rewritten"),
    [
        ("<zeroOrMore><choice><text/><ref name='el'/></choice></zeroOrMore>", 1),
        ("<zeroOrMore><choice><text/><element name='i'><text/></element></choice></zeroOrMore>", 1),
        ("<zeroOrMore><choice><text/><ref name='att'/></choice></zeroOrMore>", 0),  # attribute
        ("<zeroOrMore><choice><text/><ref name='txt'/></choice></zeroOrMore>", 0),  # text twice
        ("<zeroOrMore><choice><text/><data type='string'/></choice></zeroOrMore>", 0),
        ("<zeroOrMore><choice><ref name='el'/></choice></zeroOrMore>", 0),  # no text
        ("<zeroOrMore><ref name='el'/></zeroOrMore>", 0),
        # a repeated choice of many elements gets the never-matching wildcard alternative
        ("<oneOrMore><choice><ref name='el'/>" + MANY + "</choice></oneOrMore>", 1),
        (
            "<oneOrMore><choice><ref name='el'/><element name='i'><empty/></element></choice>"
            "</oneOrMore>",
            0,
        ),  # small: compiled as written
        ("<oneOrMore><choice><ref name='el'/><ref name='att'/></choice></oneOrMore>", 0),
    ],
)
def test_only_element_choices_are_rewritten(body: str, rewritten: int) -> None:
    original = _schema(body)
    quick, n = quick_form(original)
    assert n == rewritten
    try:
        etree.RelaxNG(original)
    except etree.RelaxNGParseError:
        return  # (text and data together are not RELAX NG to begin with)
    etree.RelaxNG(quick)  # whatever libxml2 accepts as written, it accepts rewritten


def test_a_schema_with_includes_is_left_alone(tmp_path: Path) -> None:
    tree = etree.ElementTree(
        etree.fromstring(
            f'<grammar xmlns="{R}"><include href="other.rng"/><start><element name="d">'
            "<zeroOrMore><choice><text/><ref name='x'/></choice></zeroOrMore></element></start>"
            "</grammar>"
        )
    )
    same, n = quick_form(tree)
    assert n == 0 and same is tree


def test_same_verdicts_and_reports_on_corpora_and_broken_files(shared_dir: Path) -> None:
    files = edition_corpus_files(shared_dir) + sorted(DATA.rglob("*.xml"))
    schema = shared_dir / "tei" / "tei_all.rng"
    reports = {
        form: validate_paths(
            files, ValidateOptions(schemas=[schema], jobs=1, progress=False, rng_compile=form)
        )
        for form in ("quick", "full")
    }
    assert [(fr.path, fr.findings) for fr in reports["quick"].files] == [
        (fr.path, fr.findings) for fr in reports["full"].files
    ]
    assert sum(not fr.valid for fr in reports["full"].files) >= 200


def test_same_verdicts_on_mutated_documents(shared_dir: Path) -> None:
    v = get_relaxng(shared_dir / "tei" / "tei_all.rng")
    v.use("quick")
    quick = v.schema
    v.use("full")
    full = v.schema
    seeds = [f for f in edition_corpus_files(shared_dir)[::4] if full.validate(parse_file(f))]
    rnd = random.Random(3)
    differ = []
    for _ in range(300):
        f = rnd.choice(seeds)
        tree = mutate(parse_file(f), rnd)
        if quick.validate(tree) != full.validate(tree):
            differ.append(f.name)
    assert differ == []


def test_auto_picks_quick_below_the_threshold_per_job() -> None:
    assert rng_form("auto", 10, 1) == "quick"
    assert rng_form("auto", QUICK_MAX_FILES_PER_JOB, 1) == "full"
    assert rng_form("auto", QUICK_MAX_FILES_PER_JOB, 2) == "quick"
    assert rng_form("pruned", 10, 1) == "pruned"
    assert rng_form("full", 1, 1) == "full" and rng_form("quick", 10**6, 8) == "quick"


def test_cli_option(capsys, shared_dir: Path) -> None:
    bad = str(DATA / "broken" / "misspelt-names.xml")
    schema = str(shared_dir / "tei" / "tei_all.rng")
    outs = []
    for form in ("quick", "full", "pruned"):
        code = main(["validate", "--rng-compile", form, "--schema", schema, bad])
        outs.append((code, capsys.readouterr().out))
    assert outs[0] == outs[1] == outs[2] and outs[0][0] == 1
