"""Agreement lxml vs jing: verdicts and messages over every shared corpus file, first errors on
mutated ones; and parallel == serial."""

from __future__ import annotations

import pytest
from _shared import SHARED, edition_corpus_files

from tei.validate import ValidateOptions, validate_paths

TEI_ALL = SHARED / "tei" / "tei_all.rng"
CORPORA = SHARED / "corpora"

pytestmark = pytest.mark.skipif(
    not (TEI_ALL.is_file() and CORPORA.is_dir()), reason="shared corpora not present"
)


@pytest.fixture(scope="session")
def corpus_reports():
    files = edition_corpus_files(SHARED)
    serial = validate_paths(files, ValidateOptions(schemas=[TEI_ALL], jobs=1, progress=False))
    parallel = validate_paths(files, ValidateOptions(schemas=[TEI_ALL], jobs=2, progress=False))
    jing = validate_paths(files, ValidateOptions(schemas=[TEI_ALL], engine="jing", progress=False))
    return files, serial, parallel, jing


def test_verdicts_agree(corpus_reports):
    files, serial, _, jing = corpus_reports
    assert len(serial.files) == len(files) >= 300
    disagree = [a.path for a, b in zip(serial.files, jing.files, strict=True) if a.valid != b.valid]
    n_valid = sum(fr.valid for fr in serial.files)
    print(
        f"\nverdict agreement lxml vs jing: {len(files) - len(disagree)}/{len(files)} "
        f"({n_valid} valid, {len(files) - n_valid} invalid)"
    )
    assert disagree == []


def test_messages_agree(corpus_reports):
    """Our rewritten messages are the very ones jing prints, file by file: every file
    (341/341 corpus files on 2026-12-03; the tolerance was 5 %, it is now none)."""
    _, serial, _, jing = corpus_reports
    same = sum(
        {f.message for f in a.findings} == {f.message for f in b.findings}
        for a, b in zip(serial.files, jing.files, strict=True)
    )
    print(f"\nidentical message sets: {same}/{len(serial.files)}")
    assert same == len(serial.files)


def test_parallel_equals_serial(corpus_reports):
    _, serial, parallel, _ = corpus_reports
    assert [(fr.path, fr.findings) for fr in serial.files] == [
        (fr.path, fr.findings) for fr in parallel.files
    ]


def test_every_finding_has_line_and_column(corpus_reports):
    _, serial, _, _ = corpus_reports
    for fr in serial.files:
        for f in fr.findings:
            assert f.line and f.column, f


# ------------------------------------------- first error on mutated files (issue 15, messages)

MUTATED = 600  # ~25 s CPU for both engines
MUTATION_SEED = 11


@pytest.fixture(scope="session")
def mutated_agreement(tmp_path_factory):
    from _agreement import measure, write_mutated

    files = write_mutated(
        edition_corpus_files(SHARED), tmp_path_factory.mktemp("mutated"), MUTATED, MUTATION_SEED
    )
    agreement, _, _ = measure(files, TEI_ALL)
    print(f"\nfirst-error agreement with jing on mutated corpus files: {agreement.summary()}")
    return agreement


def test_first_error_agrees_with_jing_on_mutated_files(mutated_agreement):
    """Measured on 600 mutated files (seed 11): 547 invalid; first error: same message 98.0 %
    (94.7 % before causes were reported in jing's order), same line 100 % (92.3 % before)."""
    a = mutated_agreement
    assert a.verdict_diff == []
    assert a.invalid >= 500
    assert a.same_line == a.invalid, a.examples
    assert a.same_message >= 0.975 * a.invalid, "\n".join(a.examples)


def test_message_sets_on_mutated_files(mutated_agreement):
    """Sets differ from jing's where a knock-on "incomplete" is folded into its cause (92.0 %;
    96.0 % before folding)."""
    a = mutated_agreement
    assert a.same_sets >= 0.91 * a.invalid
