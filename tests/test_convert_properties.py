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

from .test_convert_preservation import WORD, missing_words, source_words, tei_text

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


@st.composite
def page(draw) -> str:
    orig = [draw(block("ru")) for _ in range(draw(st.integers(1, 6)))]
    trans = [draw(block("en")) for _ in range(draw(st.integers(1, 6)))]
    header = (
        '**Citation:**\n\n"A Generated Document", May 1, 1940, Wilson Center Digital Archive, '
        "RGASPI f. 17, op. 1, d. 2, ll. 12-13. Translated by A. Tester.\n\n"
        "**Original Language:**\n\nRussian\n\n**Contents:**\n\nOriginal Scan\nTranslation - English\n\n"
    )
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return (
        header
        + "\n\n".join(orig)
        + "\n\nThe translation of the document follows here.\n\n"
        + "\n\n".join(trans)
        + "\n"
    ).replace("\n", eol)


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=page())
def test_generated_pages_keep_every_word_and_stay_valid(text: str, tei_all: etree.RelaxNG) -> None:
    model = read_page(text.encode("utf-8"), "generated.txt")
    assert isinstance(model, Document)
    root = etree.fromstring(serialize(to_tree(model, ConvertOptions(align=False))))
    src = source_words(text.split("Translation - English", 1)[1])
    tei = Counter(
        w.lower() for w in WORD.findall(tei_text(root.find("{http://www.tei-c.org/ns/1.0}text")))
    )
    assert not missing_words(src, tei, root)
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log.last_error
