"""Property: on generated pages built from the seed conventions, every word reaches the TEI
and the TEI is valid against tei_all."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei.converters import read_page
from tei.model import Document
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize

from .test_convert_preservation import WORD, missing_words, page_words, source_words, tei_text

RU = (
    "Илийский округ Синьцзяна полностью очищен повстанцами от китайских войск администрации".split()
)
EN = "The district of Xinjiang has been completely cleared Chinese troops and administration rebels".split()
BRACKETS = ["[...]", "[SIC]", "[left blank]", "[their]", "[Yili]", "[tovarnyye]", "[signed]",
            "[CC seal]", "[handwritten at the top of the page: point 9 is stored]", "[unclosed", "]"]  # fmt: skip

ru_sentence = st.lists(st.sampled_from(RU), min_size=3, max_size=14).map(
    lambda w: " ".join(w).capitalize() + "."
)
en_words = st.lists(
    st.one_of(st.sampled_from(EN), st.sampled_from(BRACKETS)), min_size=3, max_size=16
)
en_sentence = en_words.map(lambda w: " ".join(w).capitalize() + ".")
number = st.integers(min_value=1, max_value=99999).map(lambda n: f"{n:,}")


@st.composite
def block(draw, lang: str) -> str:
    kind = draw(st.sampled_from(["p", "p", "p", "list", "table", "page", "hyphen", "head", "note"]))
    sentence = ru_sentence if lang == "ru" else en_sentence
    if kind == "list":
        labels = ["а)", "б)", "в)"] if lang == "ru" else ["a)", "b)", "1."]
        return "\n".join(f"{lab} {draw(sentence)}" for lab in labels[: draw(st.integers(1, 3))])
    if kind == "table":
        rows = draw(st.integers(1, 4))
        return "\n".join(
            f"{draw(st.sampled_from(RU if lang == 'ru' else EN))}\t-\t{draw(number)}"
            for _ in range(rows)
        )
    if kind == "page":
        return draw(st.sampled_from(["12", "- 3 -", "13"]))
    if kind == "head":
        return f"#### {draw(st.integers(1, 600))}. " + draw(sentence)
    if kind == "note" and lang == "en":
        return f"[Note at the bottom of the page: {draw(sentence)}]"
    if kind == "hyphen":
        return (
            draw(sentence).rstrip(".")
            + " "
            + ("окру-\n\nжение" if lang == "ru" else "adminis-\n\ntration")
        )
    return draw(sentence)


REF = "RGASPI f. 17, op. 1, d. 2, ll. 12-13"
CITATION = f'"A Generated Document," May 1, 1940, History and Public Policy Program Digital Archive, {REF}.'
SUMMARY = "The report describes the situation in the district and asks for a decision."
#: The five header models of the real site (../shared/pages/README.md).
HEADER_MODELS = ("labelled", "current", "current-oneline", "oldsite", "pdf")


def _header(model: str, draw) -> tuple[str, str]:
    """(text above the body, text below it) of one header model."""
    if model == "labelled":
        return (
            '**Citation:**\n\n"A Generated Document", May 1, 1940, Wilson Center Digital Archive, '
            f"{REF}. Translated by A. Tester.\n\n"
            "**Original Language:**\n\nRussian\n\n**Contents:**\n\nOriginal Scan\n"
            "Translation - English\n\n",
            "",
        )
    if model in ("current", "current-oneline"):
        sep = "\n" if model == "current-oneline" else "\n\n"
        top = draw(st.sampled_from(["Skip to content" + sep, ""])) + sep.join(
            ["May 1, 1940", "A Generated Document"]
            + draw(st.sampled_from([[], ["This document was made possible with support from X"]]))
        )
        tail = [f"ARCHIVE LOCATION: {REF}"] if draw(st.booleans()) else []
        tail += [SUMMARY] if draw(st.booleans()) else []
        tail += ["Document Information", "Source", REF, "Record ID", "123456"]
        if draw(st.booleans()):
            tail = tail[: -5 if len(tail) > 5 else len(tail)]  # no Document Information
        return top + sep, (sep + sep.join(tail)) if tail else ""
    if model == "oldsite":
        return (
            "Search in\n\nDigital Archive International History Declassified\n\nMay 01, 1940\n\n"
            f"  • Citation\n\n    get citation\n\n    {SUMMARY}\n    {CITATION}\n"
            "  • share document\n\n\nEnglish HTML\n\n",
            "",
        )
    return (
        "Digital Archive digitalarchive.wilsoncenter.org International History Declassified "
        f"May 01, 1940 A Generated Document Citation: {CITATION} Summary: {SUMMARY} "
        "Original Language: Russian Contents: English Translation ",
        "",
    )


@st.composite
def page(draw) -> tuple[str, str, str]:
    """(page, its body text, header model) in one of the five header models."""
    model = draw(st.sampled_from(HEADER_MODELS))
    oneline = model == "current-oneline"
    ru = ru_sentence if oneline else block("ru")
    en = en_sentence if oneline else block("en")
    orig = [draw(ru) for _ in range(draw(st.integers(0 if model != "labelled" else 1, 6)))]
    trans = [draw(en) for _ in range(draw(st.integers(1, 6)))]
    sep = draw(st.sampled_from(["\n", "\n\u00a0\n"])) if oneline else "\n\n"
    body = sep.join(
        orig + (["The translation of the document follows here."] if orig else []) + trans
    )
    top, bottom = _header(model, draw)
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return (top + body + bottom + "\n").replace("\n", eol), body, model


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(generated=page())
def test_generated_pages_keep_every_word_and_stay_valid(
    generated: tuple[str, str, str], tei_all: etree.RelaxNG
) -> None:
    text, body, header_model = generated
    model = read_page(text.encode("utf-8"), "generated.txt")
    assert isinstance(model, Document)
    root = etree.fromstring(serialize(to_tree(model, ConvertOptions(align=False))))
    # every body word is in <text> (no header zone swallowed it) ...
    src = source_words(body)
    tei = Counter(
        w.lower() for w in WORD.findall(tei_text(root.find("{http://www.tei-c.org/ns/1.0}text")))
    )
    assert not missing_words(src, tei, root), header_model
    # ... and every word of the page, header included, is somewhere in the TEI
    everything = Counter(w.lower() for w in WORD.findall(tei_text(root)))
    in_page = page_words(text)
    assert not missing_words(in_page, everything, root), header_model
    assert model.meta.date_iso == "1940-05-01", header_model
    assert model.meta.title == "A Generated Document", header_model
    # the summary is found wherever the model puts it (after the body: before Document
    # Information or after a trailer, the current site's cues; alone, it stays text)
    if SUMMARY in text and ("Document Information" in text or "ARCHIVE LOCATION" in text
                            or not header_model.startswith("current")):  # fmt: skip
        assert model.meta.summary == SUMMARY, header_model
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log.last_error
