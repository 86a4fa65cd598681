"""Each alignment signal on small hand-made inputs."""

from __future__ import annotations

import pytest

from tei.align.model import AlignBlock
from tei.align.signals import (
    CognateScorer,
    DateScorer,
    EmbeddingScorer,
    LabelScorer,
    LengthScorer,
    NameScorer,
    NumberScorer,
    PositionScorer,
    StructureScorer,
    content_length,
    default_scorers,
    extract_dates,
    extract_label,
    extract_numbers,
    is_editorial,
    is_furniture,
    is_omission,
    label_key,
    name_distance,
    phonetic,
    roman_month,
    transliterate,
    unspace,
)


def blocks(prefix: str, *texts: str) -> list[AlignBlock]:
    return [AlignBlock(f"{prefix}{i}", t) for i, t in enumerate(texts, 1)]


def ev(scorer, orig: list[str], trans: list[str]) -> float:
    """Evidence of the bead aligning all of ``orig`` with all of ``trans``."""
    o, t = blocks("o", *orig), blocks("t", *trans)
    return scorer.prepare(o, t).bead(0, len(o), 0, len(t))


# --------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("ru", "en"),
    [
        ("потеряли убитыми 2.520 человек", "lost 2,520 killed"),
        ("винтовок - 1.807", "rifles 1,807"),
        ("около 400 тыс. человек", "about 400,000 people"),
        ("свыше 300 тысяч пудов хлеба", "over 300,000 poods of grain"),
        ("составляет 103,5% плана", "is 103.5% of the plan"),
        ("выработала 1.236.000 метров", "produced 1,236,000 meters"),
        ("четыре самолета", "four aircraft"),
        ("два миллиона рублей", "two million rubles"),
    ],
)
def test_numbers_match_across_notations(ru: str, en: str) -> None:
    assert set(extract_numbers(ru)) & set(extract_numbers(en))
    assert ev(NumberScorer(), [ru], [en]) > 0


def test_numbers_values() -> None:
    assert extract_numbers("2.520 и 2.632, 36-й, № 3") == ["2520", "2632", "36", "3"]
    assert extract_numbers("15,5 тыс.руб.") == ["15500"]
    # numbers inside dates are the date signal's business, OCR zeros are debris
    assert extract_numbers("29 апреля 1945 г.") == []
    assert extract_numbers("□□□ 000 00 24") == ["24"]


def test_numbers_mismatch_is_evidence_against() -> None:
    s = NumberScorer()
    assert ev(s, ["Пункт 540 на хранении."], ["Excerpts have been sent:"]) < 0
    assert ev(s, ["9.300 человек"], ["9,300 men"]) > ev(s, ["9.300 человек"], ["12,000 men"])
    assert s.prepare(blocks("o", "540"), []).bead(0, 1, 0, 0) == 0.0  # one-sided: neutral


# --------------------------------------------------------------------------- dates
def test_dates_russian_cases_and_english() -> None:
    assert extract_dates("29 апреля") == [(29, 4, None)]
    assert extract_dates("ЗАСЕДАНИЯ от 26 НОЯБРЯ 1935 ГОДА") == [(26, 11, 1935)]
    assert extract_dates("от 14-го июня 1937 года") == [(14, 6, 1937)]
    assert extract_dates("в декабре 1944 года") == [(None, 12, 1944)]
    assert extract_dates("29 April 1945") == [(29, 4, 1945)]
    assert extract_dates("April 29, 1945") == [(29, 4, 1945)]
    assert extract_dates("15 JUNE 1937") == [(15, 6, 1937)]


def test_dates_roman_months_ocr_tolerant() -> None:
    assert extract_dates("от 1.Х.35г.") == [(1, 10, 1935)]  # Cyrillic Х
    assert extract_dates("От 15.У1.37г.") == [(15, 6, 1937)]  # У1 = VI
    assert extract_dates("от 15. УП. 36г.") == [(15, 7, 1936)]  # УП = VII
    assert extract_dates("3.VI.31") == [(3, 6, 1931)]
    assert roman_month("XII") == 12 and roman_month("XIII") is None


def test_date_scorer() -> None:
    s = DateScorer()
    assert ev(s, ["от 1.Х.35г."], ["from 1 October 1935"]) > 1.5
    assert ev(s, ["29 апреля ✓ 5"], ["29 April 1945"]) > 1.5  # year missing on one side
    assert ev(s, ["29 апреля"], ["15 June 1937"]) < 0


# --------------------------------------------------------------------------- labels
def test_labels() -> None:
    assert extract_label("а) Демобилизовать") == "а)"
    assert extract_label("- a) Demobilizing") == "a)"
    assert extract_label("1.Поручить") == "1."
    assert extract_label("539.- О Синьцзяне.") == "539."
    assert extract_label("IV. Текущие дела.") == "IV."
    assert extract_label("2.520 человек") is None
    assert extract_label("В. Смирнов сообщил") is None  # an initial
    assert label_key("б)") == label_key("b)") == ("a", 2)
    assert label_key("в)") == label_key("c)") == ("a", 3)
    assert label_key("3.") == label_key("3)") == ("n", 3)


def test_label_scorer() -> None:
    s = LabelScorer()
    assert ev(s, ["б) Выделить"], ["b) allocate"]) > 0
    assert ev(s, ["б) Выделить"], ["c) Issue"]) < 0
    assert ev(s, ["1. Поручить", "2. Выделить"], ["1. Charge"]) < ev(
        s, ["1. Поручить"], ["1. Charge"]
    )


# --------------------------------------------------------------------------- names
def test_transliteration_and_names() -> None:
    assert transliterate("Ежову") == "yezhovu"
    assert phonetic(transliterate("Кашгар")) == phonetic("Kashgar")
    assert name_distance(phonetic(transliterate("кашгарского")), phonetic("kashgar")) <= 0.25
    assert name_distance(phonetic(transliterate("урумчи")), phonetic("urumqi")) <= 0.25
    assert unspace("Товарищу С Т А Л И Н У") == "Товарищу СТАЛИНУ"


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        ("Отряд ОСПАНА находится", "OSPAN's detachment is"),
        ("По данным НКВД СССР", "According to USSR NKVD"),
        ("генконсула в Кашгаре т. Смирнову", "Consul General in Kashgar Cde. Smirnov"),
        ("т.т.Литвинову, Ежову, Ворошилову", "to Cdes. Litvinov, Yezhov, Voroshilov"),
        ("Товарищу С Т А Л И Н У", "to Cde. I. V. STALIN"),
    ],
)
def test_name_scorer_matches(ru: str, en: str) -> None:
    assert ev(NameScorer(), [ru], [en]) > 0


def test_name_scorer_hard_case_and_non_match() -> None:
    # a different romanisation is out of reach of transliteration + edit distance
    assert ev(NameScorer(), ["в Синьцзяне"], ["in Xinjiang"]) <= 0
    assert ev(NameScorer(), ["тов. Литвинову"], ["I. Stalin"]) <= 0


def test_cognates() -> None:
    assert (
        ev(CognateScorer(), ["администрации и организации"], ["administration and organization"])
        > 0
    )


# --------------------------------------------------------------------------- length
def test_length_gale_church() -> None:
    s = LengthScorer()
    ru = (
        "Дальнейшее увеличение вооруженных сил повстанцев затрудняется нежеланием крестьян "
        "оторваться от своих хозяйств."
    )
    en = (
        "A further increase of the rebel armed forces is complicated by the peasants' "
        "reluctance to tear themselves away from their farms."
    )
    assert ev(s, [ru], [en]) > -1.0
    assert ev(s, [ru], ["Request your decision."]) <= -4.5
    # a page break splitting the translation: 1:2 fits better than 1:1 with one half
    half1, half2 = en[:40], en[40:]
    assert ev(s, [ru], [half1, half2]) > ev(s, [ru], [half1])


def test_content_length_ignores_editorial_insertions_and_debris() -> None:
    assert content_length("The Ili [Yili] District") == content_length("The Ili District")
    assert content_length("rifles □□□ □□□ 1,807") == content_length("rifles 1,807")
    assert content_length("[Note at the bottom: one copy made.]") > 10  # wholly editorial
    assert content_length("[...]") == 0


# --------------------------------------------------------------------------- structure
def test_structure_predicates() -> None:
    assert is_omission("[...]") and is_omission("[…]") and not is_omission("b) [...]")
    assert is_editorial("[handwritten at the top of the page: point 9]")
    assert not is_editorial("The Ili [Yili] District")
    assert is_furniture("- 38 -") and is_furniture("1507/5") and not is_furniture("Лист 14")


def test_structure_scorer() -> None:
    s = StructureScorer()
    o = blocks("o", "63", "Повстанцами захвачены следующие трофеи:")
    t = blocks("t", "[...]", "The rebels have seized the following equipment:", "Page text")
    p = s.prepare(o, t)
    assert p.bead(0, 1, 0, 0) > 0  # a page number left unaligned is cheap
    assert p.bead(0, 0, 0, 1) > 0  # so is the translator's omission marker
    assert p.bead(1, 2, 1, 2) > 0  # both end with a colon
    assert p.bead(1, 2, 0, 1) < 0  # text against an omission marker
    assert p.bead(0, 1, 2, 3) < 0  # a page number against words


def test_position() -> None:
    p = PositionScorer().prepare(blocks("o", *"abcdefghij"), blocks("t", *"abcdefghij"))
    assert p.bead(0, 1, 0, 1) == 0.0
    assert p.bead(0, 1, 9, 10) < p.bead(0, 1, 1, 2)


def test_embedding_scorer_is_pluggable() -> None:
    vec = {"кот": [1.0, 0.0], "cat": [0.9, 0.1], "дом": [0.0, 1.0], "house": [0.1, 0.9]}
    s = EmbeddingScorer(lambda texts: [vec[x] for x in texts])
    p = s.prepare(blocks("o", "кот", "дом"), blocks("t", "cat", "house"))
    assert p.bead(0, 1, 0, 1) > 0 > p.bead(0, 1, 1, 2)


# --------------------------------------------------------------------------- additions
def test_number_words_are_whole_words() -> None:
    assert extract_numbers("одна копия") == ["1"] and extract_numbers("one copy") == ["1"]
    assert extract_numbers("four aircraft") == ["4"] and extract_numbers("четыре") == ["4"]
    assert extract_numbers("someone with two") == ["2"] and extract_numbers("Tennessee") == []


def test_dates_roman_month_without_year() -> None:
    assert extract_dates("2. У1-4") == [(2, 6, None)]  # OCR of "2.VI-45"
    assert extract_dates("2.VI") == [(2, 6, None)]
    assert extract_dates("1.1 раздел") == [] and extract_dates("1. Поручить") == []
    assert extract_dates("3. I Lenin") == []


def test_prefix_distances_and_name_distance() -> None:
    import random

    from tei.align.signals import levenshtein, prefix_distances

    rnd = random.Random(7)
    for _ in range(300):
        a = "".join(rnd.choice("abcd") for _ in range(rnd.randint(1, 11)))
        b = "".join(rnd.choice("abcd") for _ in range(rnd.randint(1, 11)))
        assert prefix_distances(a, b) == [levenshtein(a[:k], b) for k in range(1, len(a) + 1)]
        ref = min(
            levenshtein(a[:k], b) / max(len(a[:k]), len(b))
            for k in range(max(1, len(b) - 1), len(b) + 3)
        )
        expected = 1.0 if len(a) + 1 < len(b) * 0.6 else ref
        assert name_distance(a, b) == pytest.approx(expected)


def test_batch_scoring_equals_single_beads() -> None:
    o = blocks(
        "o",
        "1. Поручить НКВД выделить 500 человек.",
        "Пункт 9",
        "(Л.БЕРИЯ)",
        "ОСПАН в Кашгаре 29 апреля 1945 г.",
        "[...]",
    )
    t = blocks(
        "t",
        "1. Charge the NKVD with allocating 500 men.",
        "[...]",
        "(L. BERIA)",
        "OSPAN in Kashgar on 29 April 1945",
        "170",
    )
    spans = [
        (i0, i1, j0, j1)
        for i0 in range(5)
        for i1 in range(i0, min(5, i0 + 3))
        for j0 in range(5)
        for j1 in range(j0, min(5, j0 + 3))
        if i1 > i0 or j1 > j0
    ]
    for scorer in default_scorers():
        p = scorer.prepare(o, t)
        batch = getattr(p, "beads", None)
        if batch is not None:
            assert batch(spans) == [p.bead(*s) for s in spans], scorer.name


def test_anchors_are_unique_keys() -> None:
    o = blocks("o", "потеряли 2.520 человек", "ОСПАН", "пленными 50", "и еще 50")
    t = blocks("t", "lost 2,520 killed", "OSPAN's detachment", "50 captured", "and 50 more")
    assert NumberScorer().prepare(o, t).anchors() == [(0, 0, 5.0)]  # 50 is neither unique nor long
    assert NameScorer().prepare(o, t).anchors() == [(1, 1, 4.0)]
    assert CognateScorer().prepare(o, t).anchors() == []  # cognates are not anchors
