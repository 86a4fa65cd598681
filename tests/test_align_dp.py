"""Group shapes found by the DP on small constructed page pairs; baselines and evaluation."""

from __future__ import annotations

from tei.align import AlignBlock, Aligner, Group, align_blocks
from tei.align.baselines import gale_church_baseline, position_baseline
from tei.align.dp import BeadPriors
from tei.align.evaluate import micro, pairs, score

RU = {
    "decl": "Обсудив положение национально-освободительного движения мусульман в Синьцзяне, "
    "докладываем:",
    "p1": "Илийский округ с населением около 400 тыс. человек расположен в северо-западной "
    "части Синьцзяна и непосредственно граничит с Казахской ССР.",
    "p2": "В результате боевых действий повстанцев китайцы потеряли убитыми 2.520 человек и "
    "пленными 2.632 человека. В числе пленных 50 офицеров.",
    "p3": "Дальнейшее увеличение вооруженных сил повстанцев затрудняется нежеланием крестьян "
    "оторваться от своих хозяйств.",
    "p4": "Для оказания помощи повстанцам в декабре 1944 года НКВД СССР на место был направлен "
    "генерал-майор ЕГНАРОВ с группой офицеров.",
    "req": "Просим Вашего решения.",
}
EN = {
    "decl": "Having discussed the condition of the national liberation movement of the Muslims "
    "in Xinjiang, we report:",
    "p1": "The Ili District with a population of about 400,000 people is located in the "
    "northwest part of Xinjiang and directly borders the Kazakh SSR.",
    "p2": "As a result of the combat operations of the rebels the Chinese have lost 2,520 "
    "killed and 2,632 captured. There are 50 officers among the prisoners.",
    "p3": "A further increase of the rebel armed forces is complicated by the peasants' "
    "reluctance to tear themselves away from their farms.",
    "p4": "In December 1944 the USSR NKVD sent General-Major YEGNAROV with a group of officers "
    "to the location to help the rebels.",
    "req": "Request your decision.",
}


def ru(*keys_or_texts: str) -> list[AlignBlock]:
    return [AlignBlock(f"o{i}", RU.get(k, k)) for i, k in enumerate(keys_or_texts, 1)]


def en(*keys_or_texts: str) -> list[AlignBlock]:
    return [AlignBlock(f"t{i}", EN.get(k, k)) for i, k in enumerate(keys_or_texts, 1)]


def shapes(groups: list[Group]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [(g.orig, g.trans) for g in groups]


def test_one_to_one() -> None:
    g = align_blocks(ru("decl", "p1", "p2", "p3", "req"), en("decl", "p1", "p2", "p3", "req"))
    assert shapes(g) == [((f"o{i}",), (f"t{i}",)) for i in range(1, 6)]
    assert all(0.0 <= x.score <= 1.0 for x in g)
    assert min(x.score for x in g) > 0.5


def test_one_to_two_page_break_in_translation() -> None:
    p4 = EN["p4"]
    cut = p4.index(" with a group")
    g = align_blocks(ru("p1", "p4", "p3"), en("p1", p4[:cut], p4[cut + 1 :], "p3"))
    assert shapes(g) == [(("o1",), ("t1",)), (("o2",), ("t2", "t3")), (("o3",), ("t4",))]


def test_two_to_one_page_break_in_original() -> None:
    p2 = RU["p2"]
    cut = p2.index("пленными")
    g = align_blocks(ru("p1", p2[:cut], p2[cut:], "p3"), en("p1", "p2", "p3"))
    assert shapes(g) == [(("o1",), ("t1",)), (("o2", "o3"), ("t2",)), (("o4",), ("t3",))]


def test_n_to_one_header_lines() -> None:
    o = ru(
        "Копия Сов.секретно",
        "экз. № 3",
        "ОСОБАЯ ПАПКА № 1-4 стр. № 282",
        "29 апреля ✓ 5 ✓ 507/8",
        "Товарищу С Т А Л И Н У И. В.",
        "decl",
        "p1",
    )
    t = en(
        "Copy. Top Secret Copy N° 3 stamp: [SPECIAL FOLDER N° 1-1 p. 282] to Cde. I. V. "
        "STALIN 29 April 1945 N 507/b",
        "decl",
        "p1",
    )
    g = align_blocks(o, t)
    assert shapes(g) == [
        (("o1", "o2", "o3", "o4", "o5"), ("t1",)),
        (("o6",), ("t2",)),
        (("o7",), ("t3",)),
    ]


def test_zero_to_one_translator_omission() -> None:
    o = ru(
        "p1",
        "7.- О Монголии.",
        "Рекомендовать монгольскому руководству не ослаблять борьбы с ламством.",
        "p2",
    )
    t = en("p1", "[...]", "p2")
    g = align_blocks(o, t)
    assert ((), ("t2",)) in shapes(g)
    assert (("o2",), ()) in shapes(g) and (("o3",), ()) in shapes(g)
    assert (("o4",), ("t3",)) in shapes(g)


def test_one_to_zero_page_number() -> None:
    g = align_blocks(ru("p1", "63", "p2"), en("p1", "p2"))
    assert shapes(g) == [(("o1",), ("t1",)), (("o2",), ()), (("o3",), ("t2",))]


def test_editorial_note_without_counterpart() -> None:
    g = align_blocks(
        ru("p1", "p2"), en("p1", "[Note at the bottom of the page: illegible signature.]", "p2")
    )
    assert ((), ("t2",)) in shapes(g)


def test_list_items() -> None:
    o = ru(
        "3. Обязать НКО (тов. БУЛГАНИНА):",
        "а) Демобилизовать из Красной Армии 500 чел. офицерского и 2.000 чел. рядового состава;",
        "б) Выделить трофейное стрелковое вооружение на 15.000 человек.",
        "в) Организовать снабжение отрядов продовольствием.",
    )
    t = en(
        "3. Hold the NKO (Cde. BULGANIN) responsible for:",
        "a) Demobilizing 500 officers and 2,000 enlisted men from the Red Army;",
        "b) allocating captured rifles for 15,000 men;",
        "c) organizing the supply of food to the detachments.",
    )
    g = align_blocks(o, t)
    assert shapes(g) == [((f"o{i}",), (f"t{i}",)) for i in range(1, 5)]


def test_table_rows_many_to_one_and_one_to_one() -> None:
    rows_ru = ["винтовок - 1.807", "пулеметов - 151", "минометов - 17", "орудий - 4"]
    rows_en = ["rifles - 1,807", "machine guns - 151", "mortars - 17", "field guns - 4"]
    o = [AlignBlock(f"o{i}", x, "row") for i, x in enumerate(rows_ru, 1)]
    t = [AlignBlock(f"t{i}", x, "row") for i, x in enumerate(rows_en, 1)]
    assert shapes(align_blocks(o, t)) == [((f"o{i}",), (f"t{i}",)) for i in range(1, 5)]
    # the same rows flattened into one OCR'd paragraph of the translation
    flat = [AlignBlock("t1", "rifles □□□ 1,807 machine guns □□ 151 mortars □□ 17 field guns 4")]
    assert shapes(align_blocks(o, flat)) == [(("o1", "o2", "o3", "o4"), ("t1",))]


def test_empty_sides_and_determinism() -> None:
    assert shapes(align_blocks([], en("p1"))) == [((), ("t1",))]
    assert shapes(align_blocks(ru("p1"), [])) == [(("o1",), ())]
    o, t = ru("decl", "p1", "63", "p2", "p3"), en("decl", "p1", "[...]", "p2", "p3")
    assert align_blocks(o, t) == align_blocks(o, t)


def test_every_block_in_exactly_one_group() -> None:
    o = ru("p1", "63", "p2", "p3", "p4", "req")
    t = en("decl", "p1", "p2", "[...]", "p4", "req")
    g = align_blocks(o, t)
    assert sorted(i for x in g for i in x.orig) == sorted(b.id for b in o)
    assert sorted(i for x in g for i in x.trans) == sorted(b.id for b in t)


def test_band_widens_for_long_insertions() -> None:
    filler = [f"[Editorial note {k}: illegible stamp number {k}.]" for k in range(20)]
    o = ru("p1", "p2", "p3")
    t = en("p1", *filler, "p2", "p3")
    g = Aligner(band=2).align(o, t)
    assert (("o2",), ("t22",)) in shapes(g) and (("o3",), ("t23",)) in shapes(g)


def test_baselines_and_evaluation() -> None:
    o, t = ru("p1", "63", "p2"), en("p1", "p2")
    gold = [Group(("o1",), ("t1",)), Group(("o2",), ()), Group(("o3",), ("t2",))]
    assert pairs(gold) == {("o1", "t1"), ("o2", None), ("o3", "t2")}
    pos = position_baseline(o, t)
    assert shapes(pos) == [(("o1",), ("t1",)), (("o2",), ("t2",)), (("o3",), ())]
    assert score(pos, gold).correct == 1
    assert score(align_blocks(o, t), gold).f1 == 1.0
    gc = gale_church_baseline(o, t)
    assert sorted(i for x in gc for i in x.orig) == ["o1", "o2", "o3"]
    s = score([Group(("o1",), ("t1", "t2"))], [Group(("o1",), ("t1",))])
    assert (s.precision, s.recall) == (0.5, 1.0)
    assert micro([s, s]).f1 == s.f1


def test_priors_configurable() -> None:
    assert (3, 1, BeadPriors().two_one + BeadPriors().many_extra) in BeadPriors().shapes()
    assert all(max(a, b) <= 2 for a, b, _ in BeadPriors(max_run=2).shapes())


def test_one_to_many_list_lines_in_translation() -> None:
    """1:n (n > 2): one original paragraph of joined lines, its lines kept apart in English."""
    o = ru("p1", "Отп. 4 экз. 1-2 - адресатам 3-2 - Секр-т НКГБ 4-2 - в дело", "req")
    t = en(
        "p1",
        "Four copies printed",
        "1-2 - to the addressees",
        "3-2 - to the NKGB Secretariat",
        "4-2 - to the file",
        "req",
    )
    assert shapes(align_blocks(o, t)) == [
        (("o1",), ("t1",)),
        (("o2",), ("t2", "t3", "t4", "t5")),
        (("o3",), ("t6",)),
    ]


def test_merge_beads_need_compatible_lengths() -> None:
    """A 2:1 bead whose two sides cannot have the same content is never a candidate."""
    from tei.align.dp import _Context

    o, t = ru("p1", "p2", "req"), en("req", "p1", "p2")
    al = Aligner()
    ctx = _Context(al, o, t, [(s.weight, s.prepare(o, t)) for s in al.scorers])
    ends = ctx._ending_at(2, 1)  # orig[0:2] (two long paragraphs) against "Request your decision."
    assert (0, 2, 0, 1) not in ends and (1, 2, 0, 1) in ends
    assert (0, 2, 0, 1) in _Context(Aligner(merge_z=None), o, t, [])._ending_at(2, 1)


def test_confidence_is_a_posterior() -> None:
    g = align_blocks(
        ru("decl", "p1", "p2", "p3", "p4", "req"), en("decl", "p1", "p2", "p3", "p4", "req")
    )
    assert all(0.9 < x.score <= 1.0 for x in g)
    # an ambiguous choice gets a lower confidence than the clear ones around it
    g = align_blocks(ru("p1", "Пункт 9.", "p2"), en("p1", "Item 7.", "p2"))
    assert g[0].score > 0.9 and g[-1].score > 0.9
    assert min(x.score for x in g[1:-1]) < 0.9


def test_band_follows_anchors_and_widens_locally() -> None:
    """Anchors (numbers unique on both sides) centre the band: a long insertion early in the
    translation is followed with a narrow band, and the band still widens where needed."""
    from tei.align.dp import _guide

    centre = _guide(10, 30, [(2, 22, 1.0), (5, 25, 1.0), (6, 3, 1.0)])  # (6, 3) contradicts
    assert centre[0] == 0 and centre[10] == 30
    assert abs(centre[3] - 23.0) < 1e-9 and abs(centre[5] - 25.0) < 1e-9  # knots at +0.5
    filler = [f"[Editorial note {k}: illegible stamp.]" for k in range(12)]
    o = ru("p1", "p2", "p3", "p4")
    t = en("p1", *filler, "p2", "p3", "p4")
    g = Aligner(band=1).align(o, t)
    assert (("o2",), ("t14",)) in shapes(g) and (("o4",), ("t16",)) in shapes(g)


class _Constant:
    """A plug-in scorer with only ``bead`` (no batch, no anchors): the DP must still use it."""

    name = "constant"
    weight = 1.0

    def __init__(self) -> None:
        self.calls = 0

    def prepare(self, orig, trans):
        outer = self

        class _P:
            def bead(self, i0, i1, j0, j1):
                outer.calls += 1
                return 0.0

        return _P()


def test_plugin_scorer_with_bead_only() -> None:
    from tei.align.signals import default_scorers

    extra = _Constant()
    o, t = ru("decl", "p1", "p2"), en("decl", "p1", "p2")
    g = Aligner(scorers=[*default_scorers(), extra]).align(o, t)
    assert shapes(g) == [((f"o{i}",), (f"t{i}",)) for i in range(1, 4)] and extra.calls > 0


def test_embedding_signal_plugs_into_the_aligner() -> None:
    """An embedding scorer (any encode(texts) -> vectors) joins the default signals."""
    from tei.align.signals import EmbeddingScorer, default_scorers

    topics = [
        ("декабр", "December"),
        ("Илийский", "Ili"),
        ("Дальнейшее", "further"),
        ("Просим", "Request"),
    ]

    def encode(texts: list[str]) -> list[list[float]]:  # a toy bilingual "model"
        return [[float(any(w in x for w in pair)) for pair in topics] for x in texts]

    scorer = EmbeddingScorer(encode, weight=1.0)
    o, t = ru("p4", "p1", "p3", "req"), en("p4", "p1", "p3", "req")
    g = Aligner(scorers=[*default_scorers(), scorer]).align(o, t)
    assert shapes(g) == [((f"o{i}",), (f"t{i}",)) for i in range(1, 5)]


def test_one_misplaced_anchor_does_not_bend_the_band() -> None:
    from tei.align.dp import _guide

    assert _guide(20, 20, [(15, 2, 5.0)]) == [float(i) for i in range(21)]  # lone anchor: diagonal
    # two consistent anchors outvote a heavier misplaced one
    centre = _guide(20, 20, [(5, 5, 1.0), (10, 10, 1.0), (15, 2, 9.0)])
    assert abs(centre[15] - 15.0) < 1e-9


def _chains_by_definition(pts, weight):
    """The O(A^2) definition: for each anchor, the longest (then heaviest) chain ending there."""
    best = [(1, weight[p]) for p in pts]
    prev = [-1] * len(pts)
    for k, (i, j) in enumerate(pts):
        for q in range(k):
            if pts[q][0] < i and pts[q][1] < j:
                cand = (best[q][0] + 1, best[q][1] + weight[(i, j)])
                if cand > best[k]:
                    best[k], prev[k] = cand, q
    return best, prev


def test_anchor_chains_equal_the_quadratic_definition() -> None:
    import random

    from tei.align.dp import _chains

    rnd = random.Random(5)
    for _ in range(2000):
        weight = {
            (rnd.randint(0, 12), rnd.randint(0, 12)): rnd.choice([0.5, 1.0, 2.0])
            for _ in range(rnd.randint(0, 30))
        }  # small grid: many ties and shared rows
        pts = sorted(weight)
        assert _chains(pts, weight) == _chains_by_definition(pts, weight)
