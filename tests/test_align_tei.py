"""TEI input/output of the aligner, the ``tei align`` command, validity and idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
from _shared import SHARED
from lxml import etree

from tei.align import align_tree
from tei.align.tei_io import NS, _Ids, iter_block_elements, read_blocks
from tei.cli import main
from tei.errors import ConversionError
from tei.ns import XML_ID
from tei.xmlsafe import parse_bytes, parse_file

TEI_ALL_RNG = SHARED / "tei" / "tei_all.rng"
IOSPE = SHARED / "corpora" / "iospe"

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Protocol No. 34</title></titleStmt>
      <publicationStmt><p>Test edition.</p></publicationStmt>
      <sourceDesc><p>Constructed for the aligner's tests.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="original" xml:lang="ru" xml:id="orig">
        <head xml:id="o1">ПРОТОКОЛ № 34</head>
        <p xml:id="o2">Заседания Политбюро ЦК ВКП(б) от 26 ноября 1935 года.</p>
        <p xml:id="o3">170</p>
        <list>
          <item xml:id="o4">1. Поручить НКВД выделить 500 человек для охраны границы.</item>
          <item xml:id="o5">2. Отпустить из резервного фонда 20.000 рублей.</item>
        </list>
        <table>
          <row xml:id="o6"><cell>винтовок</cell><cell>-</cell><cell>1.807</cell></row>
          <row xml:id="o7"><cell>пулеметов</cell><cell>-</cell><cell>151</cell></row>
        </table>
        <p xml:id="o8">Дальнейшее увеличение вооруженных сил повстанцев затрудняется
          нежеланием крестьян оторваться от своих хозяйств, вследствие чего</p>
        <p xml:id="o9">набор проводится медленно.<note place="bottom">Приписка от руки.</note></p>
        <closer xml:id="o10"><signed xml:id="o11">(Л.БЕРИЯ)</signed></closer>
      </div>
      <div type="translation" xml:lang="en" xml:id="trans">
        <head xml:id="t1">Protocol No. 34</head>
        <p xml:id="t2">Meeting of the Politburo of the VKP(b) CC of 26 November 1935.</p>
        <p xml:id="t3">[...]</p>
        <list>
          <item xml:id="t4">1. Charge the NKVD with allocating 500 men to guard the border.</item>
          <item xml:id="t5">2. Release 20,000 rubles from the reserve fund.</item>
        </list>
        <table>
          <row xml:id="t6"><cell>rifles</cell><cell>-</cell><cell>1,807</cell></row>
          <row xml:id="t7"><cell>machine guns</cell><cell>-</cell><cell>151</cell></row>
        </table>
        <p xml:id="t8">A further increase of the rebel armed forces is complicated by the
          peasants' reluctance to tear themselves away from their farms, as a consequence of
          which recruitment is slow.</p>
        <closer xml:id="t9"><signed xml:id="t10">(L. BERIA)</signed></closer>
      </div>
    </body>
  </text>
</TEI>
"""


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The tei_all RELAX NG schema, compiled once per session (~5 s)."""
    if not TEI_ALL_RNG.exists():
        pytest.skip("shared TEI schema not available")
    return etree.RelaxNG(etree.parse(str(TEI_ALL_RNG)))


@pytest.fixture
def small(tmp_path: Path) -> Path:
    p = tmp_path / "small.xml"
    p.write_text(SMALL, encoding="utf-8")
    return p


def members(tree: etree._ElementTree) -> list[etree._Element]:
    return tree.xpath("/t:TEI/t:standOff/t:linkGrp[@type='translation']/*", namespaces=NS)


def test_read_blocks_contract() -> None:
    root = parse_bytes(SMALL.encode()).getroot()
    div = root.find(".//t:div[@type='original']", NS)
    got = read_blocks(div, "ru", _Ids(root))
    assert [b.id for b in got] == ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9", "o11"]
    assert [b.kind for b in got][:7] == ["head", "p", "p", "item", "item", "row", "row"]
    assert got[3].label == "1." and got[5].text == "винтовок - 1.807"
    assert "Приписка" not in got[8].text  # inline notes are not part of the block's text
    assert [e.get(XML_ID) for e in iter_block_elements(div)][-2:] == ["o10", "o11"]


def test_align_tree_groups_and_encoding(tei_all: etree.RelaxNG) -> None:
    tree = parse_bytes(SMALL.encode())
    result = align_tree(tree)
    got = [(g.orig, g.trans) for g in result.groups]
    expected = [
        (("o1",), ("t1",)),
        (("o2",), ("t2",)),
        (("o3",), ()),
        ((), ("t3",)),
        (("o4",), ("t4",)),
        (("o5",), ("t5",)),
        (("o6",), ("t6",)),
        (("o7",), ("t7",)),
        (("o8", "o9"), ("t8",)),
        (("o11",), ("t10",)),
    ]
    assert set(got) == set(expected)  # the order of adjacent one-sided groups is arbitrary
    assert [x for x in got if x[0] and x[1]] == [x for x in expected if x[0] and x[1]]
    m = members(tree)
    assert [e.tag.split("}")[1] for e in m].count("ptr") == 2
    link = m[-2]
    assert link.get("target") == "#o8 #o9 #t8" and link.get("subtype") == "2:1"
    ptrs = [e for e in m if e.tag.endswith("ptr")]
    assert {(e.get("type"), e.get("subtype"), e.get("target")) for e in ptrs} == {
        ("unaligned", "original", "#o3"),
        ("unaligned", "translation", "#t3"),
    }
    assert all(0 <= float(e.get("cert")) <= 1 for e in m)
    assert tree.find("t:standOff/t:linkGrp", NS).get("domains") == "#orig #trans"
    assert tei_all.validate(tree), tei_all.error_log.last_error
    # every block is in exactly one member
    targets = [t for e in m for t in e.get("target").split()]
    assert len(targets) == len(set(targets)) == len(result.orig) + len(result.trans)


def test_idempotent_bytes() -> None:
    tree = parse_bytes(SMALL.encode())
    align_tree(tree)
    once = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    tree2 = parse_bytes(once)
    align_tree(tree2)
    assert etree.tostring(tree2, xml_declaration=True, encoding="UTF-8") == once
    assert len(tree2.xpath("//t:linkGrp[@type='translation']", namespaces=NS)) == 1


def test_existing_standoff_is_kept() -> None:
    src = SMALL.replace(
        "</text>",
        "</text>\n  <standOff><listPlace><place><placeName>Kashgar"
        "</placeName></place></listPlace></standOff>",
    )
    tree = parse_bytes(src.encode())
    align_tree(tree)
    once = etree.tostring(tree)
    align_tree(tree)
    assert etree.tostring(tree) == once
    so = tree.findall("t:standOff", NS)
    assert len(so) == 1 and so[0].find("t:listPlace", NS) is not None


def test_ids_generated_only_when_missing() -> None:
    src = SMALL.replace(' xml:id="o2"', "").replace(' xml:id="t2"', "")
    src = src.replace('<p xml:id="o3">', '<p xml:id="al-ru-p1">')  # a clash to avoid
    tree = parse_bytes(src.encode())
    result = align_tree(tree)
    assert result.generated_ids == ["al-ru-p2", "al-en-p1"]
    assert ("al-ru-p2",) in [g.orig for g in result.groups]
    again = align_tree(tree)
    assert again.generated_ids == []


def test_no_divisions_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = SMALL.replace('type="original"', 'type="edition"')
    with pytest.raises(ConversionError):
        align_tree(parse_bytes(bad.encode()))
    p = tmp_path / "bad.xml"
    p.write_text(bad, encoding="utf-8")
    assert main(["align", str(p)]) == 1
    err = capsys.readouterr().err
    assert "no original/translation divisions" in err and len(err.strip().splitlines()) == 1


def test_cli_rewrites_in_place_and_reports(
    small: Path, capsys: pytest.CaptureFixture[str], tei_all: etree.RelaxNG
) -> None:
    assert main(["align", str(small), "--report", "--threshold", "1.0"]) == 0
    out = capsys.readouterr().out
    assert "groups" in out and "o3" in out and "ru: 170" in out
    tree = parse_file(small)
    assert members(tree) and tei_all.validate(tree)
    before = small.read_bytes()
    assert main(["align", str(small)]) == 0
    assert small.read_bytes() == before


def test_cli_output_option(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "aligned.xml"
    original = small.read_bytes()
    assert main(["align", str(small), "-o", str(out)]) == 0
    assert small.read_bytes() == original
    assert members(parse_file(out))


def test_cli_missing_file(tmp_path: Path) -> None:
    assert main(["align", str(tmp_path / "none.xml")]) == 2


@pytest.mark.skipif(not IOSPE.exists(), reason="shared IOSPE corpus not available")
@pytest.mark.parametrize("name", ["5.90.xml", "3.34.xml", "1.10.xml"])
def test_cli_on_iospe(name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    assert main(["align", str(IOSPE / name), "-o", str(out)]) == 0
    tree = parse_file(out)
    m = members(tree)
    assert m
    for e in m:
        for ref in e.get("target").split():
            assert tree.xpath("//*[@xml:id=$i]", i=ref[1:]), ref
    ru = tree.xpath("//t:div[@type='translation'][@xml:lang='ru']//t:p[@xml:id]", namespaces=NS)
    assert all(p.get(XML_ID).startswith("al-ru-p") for p in ru)
    if name == "5.90.xml":  # seven textparts, aligned part by part
        assert [e.get("subtype") for e in m] == ["1:1"] * 7
    data = out.read_bytes()
    assert main(["align", str(out)]) == 0 and out.read_bytes() == data


@pytest.mark.skipif(not IOSPE.exists(), reason="shared IOSPE corpus not available")
def test_iospe_standoff_fragment_valid(tei_all: etree.RelaxNG) -> None:
    tree = parse_file(IOSPE / "3.34.xml")
    align_tree(tree)
    skeleton = parse_bytes(SMALL.encode())
    skeleton.getroot().append(tree.find("t:standOff", NS))
    assert tei_all.validate(skeleton), tei_all.error_log.last_error


CONVERTER_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
    <publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>
    <div type="original" xml:lang="ru" xml:id="original">
      <p xml:id="o1">Советское правительство готово командо<lb break="no"/>вания<lb/>дивизии.</p>
      <list xml:id="o2" type="ordered">
        <label>а)</label>
        <item xml:id="o2.1">Демобилизовать 500 чел.</item>
        <label>б)</label>
        <item xml:id="o2.2">Выделить оружие.</item>
      </list>
      <p xml:id="o3">Обязать <choice><abbr>НКО</abbr><expan resp="#translator">Наркомат обороны</expan></choice>.</p>
    </div>
    <div type="translation" xml:lang="en" xml:id="translation">
      <ab xml:id="t1" type="omission"><gap reason="omitted" resp="#translator"/></ab>
      <note type="conversion" target="#t2" resp="#tei-archive-edition">Table rebuilt.</note>
      <note xml:id="t2" type="editorial" resp="#translator">page 15</note>
      <note xml:id="t3" type="handwritten"><label type="editorial">handwritten at the top</label>: <add>point 9</add></note>
      <p xml:id="t4">The Ili <gloss resp="#translator">Yili</gloss> District.</p>
      <closer xml:id="t5"><stamp type="seal" rend="described">CC seal</stamp> CC SECRETARY <signed><label type="editorial">signed</label> I. Stalin</signed></closer>
    </div>
  </body></text>
</TEI>
"""


def test_read_converter_encodings() -> None:
    """How the converter's markup is read (tei_io module docstring)."""
    root = parse_bytes(CONVERTER_STYLE.encode()).getroot()
    o = read_blocks(root.find(".//t:div[@type='original']", NS), "ru", _Ids(root))
    t = read_blocks(root.find(".//t:div[@type='translation']", NS), "en", _Ids(root))
    assert o[0].text == "Советское правительство готово командования дивизии."
    assert [(b.id, b.label) for b in o[1:3]] == [("o2.1", "а)"), ("o2.2", "б)")]  # sibling labels
    assert o[3].text == "Обязать НКО [Наркомат обороны] ."
    assert [b.id for b in t] == ["t1", "t2", "t3", "t4", "t5"]  # no conversion note, no signed
    assert t[0].text == "[...]" and t[1].text == "[page 15]"
    assert t[2].text == "[handwritten at the top] : point 9"
    assert t[3].text == "The Ili [Yili] District."
    assert t[4].text == "[CC seal] CC SECRETARY [signed] I. Stalin"  # signed without id folded


def test_converter_output_aligned(tmp_path: Path) -> None:
    """A converted seed page: every block (omission markers included) is in one link/ptr."""
    from tei.converters import read_page
    from tei.pipeline import ConvertOptions, to_tree

    src = Path(__file__).resolve().parents[1] / "examples" / "004_2d861d0b404fca11.txt"
    if not src.exists():
        pytest.skip("example page not available")
    tree = to_tree(read_page(src.read_bytes(), str(src)), ConvertOptions(align=True))
    m = members(tree)
    targets = [x[1:] for e in m for x in e.get("target").split()]
    assert len(targets) == len(set(targets))
    assert "t8" in targets  # the translator's [...] (ab type="omission") is aligned as 0:1
    shapes = {tuple(e.get("target").split()): e.get("subtype") for e in m}
    assert shapes[("#o16.1", "#t10.1")] == "1:1"
