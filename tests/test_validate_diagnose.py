"""The guided diagnosis (walk only where libxml2 saw errors) says exactly what the full walk says.

libxml2 gives the verdict; :mod:`tei.validate.rng.diagnose` re-walks an invalid document to word
each error like jing.  Walking only the subtrees around libxml2's error nodes is much cheaper;
these tests mutate valid documents at random and require identical messages from both walks.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from _mutations import mutate
from _shared import edition_corpus_files
from lxml import etree

from tei.resources import schema_dir
from tei.validate.relaxng import _error_elements, _resolve_path, get_relaxng
from tei.validate.rng.diagnose import Diagnoser
from tei.xmlsafe import parse_file


def compare(
    schema: Path, seeds: list[Path], trials: int, seed: int, form: str
) -> tuple[int, list[str]]:
    v = get_relaxng(schema)
    v.use(form)  # the error nodes the guided walk starts from depend on the compiled form
    assert v.model is not None
    valid = [f for f in seeds if v.schema.validate(parse_file(f))]
    assert valid, "no valid seed documents"
    rnd = random.Random(seed)
    checked, diffs = 0, []
    for _ in range(trials):
        f = rnd.choice(valid)
        tree = mutate(parse_file(f), rnd)
        if v.schema.validate(tree):
            continue
        root = tree.getroot()
        focus = _error_elements(list(v.schema.error_log), root)
        if focus is None:  # an error without a node path: the validator walks everything
            continue
        full = [(i.element.sourceline, i.message) for i in Diagnoser(v.model).run(root)]
        guided = [(i.element.sourceline, i.message) for i in Diagnoser(v.model).run(root, focus)]
        checked += 1
        if guided != full:
            diffs.append(f"{f.name}: full {full} guided {guided}")
    return checked, diffs


@pytest.mark.parametrize("form", ["full", "quick"])
def test_guided_equals_full_on_mutated_corpus_files(shared_dir: Path, form: str) -> None:
    seeds = edition_corpus_files(shared_dir)[::3]
    checked, diffs = compare(shared_dir / "tei" / "tei_all.rng", seeds, 150, seed=7, form=form)
    assert checked >= 80
    assert not diffs, diffs[:3]


@pytest.mark.parametrize("form", ["full", "quick"])
def test_guided_equals_full_on_mutated_outputs_with_our_schema(tmp_path: Path, form: str) -> None:
    from tei.pipeline import ConvertOptions, convert_files
    from tei.resources import examples_dir

    sources = sorted(examples_dir().glob("*.txt"))
    outs = [tmp_path / f"{s.stem}.xml" for s in sources]
    convert_files(sources, outs, ConvertOptions(align=True))
    checked, diffs = compare(schema_dir() / "archive-edition.rng", outs, 200, seed=11, form=form)
    assert checked >= 60
    assert not diffs, diffs[:3]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/*", "TEI"),
        ("/*/*[2]", "text"),
        ("/*/*[2]/*/*[1]", "p"),
        ("/*/*[1]/xi:include", "include"),
        ("/*/*[1]/xi:include[2]", "include"),
        ("/*/*[3]", None),
        ("/*/*[1]/xi:include[3]", None),
        ("relative/path", None),
        ("/*/text()[1]", None),
    ],
)
def test_libxml2_node_paths_resolve(path: str, expected: str | None) -> None:
    root = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<teiHeader><xi:include href="a"/><xi:include href="b"/></teiHeader>'
        "<text><body><p/></body></text></TEI>"
    )
    el = _resolve_path(path, root)
    assert (etree.QName(el).localname if el is not None else None) == expected


def test_did_you_mean_picks_what_difflib_picks_among_all_names() -> None:
    """The hint's length pre-filter changes nothing: the same pick as difflib over every
    name the schema defines, for misspellings made by dropping, doubling and swapping."""
    import difflib

    from tei.validate.rng.diagnose import _did_you_mean
    from tei.validate.rng.model import diagnosis_model

    model = diagnosis_model(schema_dir() / "archive-edition.rng")
    assert model is not None
    names = frozenset(n for _, n in model.by_name)
    rng = random.Random(11)
    for word in rng.sample(sorted(names), 60):
        i = rng.randrange(len(word))
        for typo in (word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:], word[::-1], "x"):
            if not typo:
                continue
            cands = sorted(names - {typo})
            by_case = {c.lower(): c for c in cands}
            best = by_case.get(typo.lower())
            if best is None:
                close = difflib.get_close_matches(typo, cands, n=1, cutoff=0.8)
                best = close[0] if close else None
            want = f'did you mean "{best}"?' if best else None
            assert _did_you_mean(typo, names) == want, typo
