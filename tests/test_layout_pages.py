"""Pages of our own for each layout of the real site (tests/data/pages/layouts): heading, zones,
archive references, languages and endnotes as a reader of the page would name them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tei.converters import read_page
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize

from .test_convert_preservation import WORD, missing_words, page_words, tei_text

LAYOUTS = Path(__file__).resolve().parent / "data" / "pages" / "layouts"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# page -> what a reader of it sees (written from the pages, not from converter output)
EXPECT: dict[str, dict] = {
    "current_ru_en_decree.txt": {
        "date": "1953-03-03",
        "title": "Decree of the USSR Council of Ministers on the Funeral Commission",
        "divs": [("original", "ru"), ("translation", "en")],
        "repository": "АП РФ",
        "idnos": {"fond": "3", "opis": "47", "delo": "273", "folio": "8"},
        "people": {"John Miller", "Anna Petrova"},
        "summary": "The Council of Ministers forms a funeral commission",
        "licence": "welcomes reuse",
        "type": "Decree",
        "notes": ["The date of the farewell is left blank"],
        "original": "Образовать комиссию",
        "translation": "Form a commission for organising the funeral",
    },
    "current_oneline_zh_en.txt": {
        "date": "1958-04-02",
        "title": "Letter, Zhou Enlai to the Soviet Embassy on Railway Equipment",
        "divs": [("original", "zh"), ("translation", "en")],
        "repository": "PRC FMA",
        "idnos": {"shelfmark": "109-00812-03, 1-2"},
        "people": {"Li Wei"},
        "summary": "Zhou Enlai thanks the Soviet Embassy",
        "notes": ["原文如此"],
        "original": "我们已经收到全部钢材",
        "translation": "Thank you for transmitting the railway equipment.",
    },
    "current_en_from_hungarian.txt": {
        "date": "1956-10-23",
        "title": "Report of the Hungarian Ministry of Internal Affairs on the Events in Budapest",
        "divs": [("translation", "en")],
        "repository": "MNL OL",
        "idnos": {"shelfmark": "XIX-J-1-j"},
        "stated": "hu",
        # the cut last paragraph is text, not a summary
        "translation": "ordered the units to hold their positions until the morn",
    },
    "oldsite_en_from_polish.txt": {
        "date": "1981-06-20",
        "title": "Minutes of the Politburo Meeting of the Polish United Workers' Party",
        "divs": [("translation", "en")],
        "repository": "AAN",
        "idnos": {"shelfmark": "KC PZPR, XIA/1273"},
        "people": {"Jan Nowak"},
        "summary": "The Polish leadership discusses the economic crisis",
        "notes": ["Stanisław Kania", "The Eleventh Plenum met on 9 June 1981."],
        "anchors": ["(1)", "(2)"],
        "translation": "Comrade Kania opened the meeting",
    },
    "pdf_export_german.txt": {
        "date": "1965-03-10",
        "title": "Memorandum on the Visit of the Delegation of the SED to Moscow",
        "divs": [("translation", "en")],
        "repository": "SAPMO-BA",
        "idnos": {"shelfmark": "DY 30, 2460"},
        "people": {"Bernd Schaefer"},
        "summary": "The SED delegation reports on its talks",
        "stated": "de",
        "translation": "The delegation was received at the airport",
    },
    "current_zh_notes_heading.txt": {
        "date": "1958-11-02",
        "title": "Telegram, Zhou Enlai to the Chinese Embassy in Moscow",
        "divs": [("original", "zh"), ("translation", "en")],
        # the Chinese notes under 注释 belong to the original; the English after them is text
        "notes": ["本电报据手稿刊印"],
        "notes_of": "#original",
        "original": "请即向苏方转达我们对设备交付的谢意",
        "translation": "Please convey at once to the Soviet side our gratitude",
        "editorial": ["the equipment for the Wuhan bridge", "the second of three"],
    },
    "current_en_cut_fragment.txt": {
        "date": "1965-07-18",
        "title": "Record of Conversation between the Soviet Ambassador and Le Duan",
        # the cut word "Die" (of "Die Welt") must not make a German division
        "divs": [("translation", "en")],
        "translation": "Die",
    },
    "oldsite_summary_after_citation.txt": {
        "date": "1950-02-14",
        "title": "Treaty of Friendship, Alliance and Mutual Assistance between the USSR and the PRC",
        "divs": [("translation", "en")],
        "repository": "AVP RF",
        "idnos": {"fond": "07", "opis": "23a", "delo": "235", "folio": "12"},
        "people": {"Sergey Radchenko"},
        "summary": "The treaty commits the two states to mutual assistance",
        "translation": "Article 1. Both High Contracting Parties undertake",
    },
    "oldsite_no_date_line.txt": {
        # no date line: title, date and summary come from the citation block
        "date": "1981-06-20",
        "title": "Minutes of the Politburo Meeting of the Polish United Workers' Party",
        "divs": [("translation", "en")],
        "repository": "AAN",
        "summary": "The Polish leadership discusses the economic crisis",
        "translation": "Comrade Kania opened the meeting",
    },
    "current_en_quote_first.txt": {
        # a quoted first paragraph with a date is text, not an old-site citation
        "date": "1950-05-14",
        "title": "Ciphered Telegram, Roshchin to Filippov",
        "divs": [("translation", "en")],
        "translation": "Comrade Filippov! On 13 May 1950",
    },
    "russian_only_unlabelled.txt": {
        "divs": [("original", "ru")],
        "warning": "guessed",
        "original": "Докладываем, что работы по строительству завода",
    },
}


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _convert(name: str):
    model = read_page((LAYOUTS / name).read_bytes(), name)
    return model, etree.fromstring(serialize(to_tree(model, ConvertOptions(align=False))))


def test_every_layout_page_has_expectations() -> None:
    assert sorted(p.name for p in LAYOUTS.glob("*.txt")) == sorted(EXPECT)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_layout_page_zones(name: str, tei_all: etree.RelaxNG) -> None:
    want = EXPECT[name]
    model, root = _convert(name)
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log.last_error
    hdr = root.find("t:teiHeader", NS)
    if "date" in want:
        assert hdr.xpath("string(.//t:origDate/@when)", namespaces=NS) == want["date"]
    if "title" in want:
        assert _text(hdr.find("t:fileDesc/t:titleStmt/t:title", NS)) == want["title"]
    divs = [(d.get("type"), d.get(XML_LANG)) for d in root.findall("t:text/t:body/t:div", NS)]
    assert divs == want["divs"]
    if "repository" in want:
        assert _text(hdr.find(".//t:msIdentifier/t:repository", NS)) == want["repository"]
    for typ, val in want.get("idnos", {}).items():
        got = [
            _text(i) for i in hdr.xpath(f".//t:msIdentifier/t:idno[@type='{typ}']", namespaces=NS)
        ]
        assert got == [val], (typ, got)
    if "people" in want:
        got = {_text(p) for p in hdr.findall(".//t:titleStmt/t:respStmt/t:persName", NS)}
        assert want["people"] <= got
    abstract = hdr.find(".//t:profileDesc/t:abstract", NS)
    if "summary" in want:
        assert abstract is not None and want["summary"] in _text(abstract)
        body = _text(root.find("t:text/t:body", NS))
        assert want["summary"] not in body
    else:
        assert abstract is None
    if "licence" in want:
        assert want["licence"] in _text(hdr.find(".//t:availability/t:licence", NS))
    if "type" in want:
        assert _text(hdr.find(".//t:textClass//t:term", NS)) == want["type"]
    if "stated" in want:
        assert want["stated"] in hdr.xpath(".//t:langUsage/t:language/@ident", namespaces=NS)
    back = root.find("t:text/t:back", NS)
    for note in want.get("notes", []):
        assert back is not None and note in _text(back)
    if "anchors" in want:
        refs = root.findall(".//t:body//t:ref[@type='noteAnchor']", NS)
        assert [r.text for r in refs] == want["anchors"]
        ids = set(root.xpath("//t:back//t:note/@xml:id", namespaces=NS))
        assert all(r.get("target")[1:] in ids for r in refs)
    if "notes_of" in want:
        assert back.find("t:div[@type='notes']", NS).get("corresp") == want["notes_of"]
    for text in want.get("editorial", []):
        notes = root.findall(".//t:body//t:note[@type='editorial']", NS)
        assert any(text in _text(n) for n in notes), text
    for role in ("original", "translation"):
        if role in want:
            div = root.find(f"t:text/t:body/t:div[@type='{role}']", NS)
            assert want[role] in _text(div)
    if "warning" in want:
        assert any(want["warning"] in w for w in model.warnings)
    src = page_words((LAYOUTS / name).read_text("utf-8"))
    tei = Counter(w.lower() for w in WORD.findall(tei_text(root)))
    assert not missing_words(src, tei, root)


@pytest.mark.parametrize(
    ("text", "label", "body"),
    [
        ("[Trans. note-- the word is unclear]", "Trans. note", "the word is unclear"),
        ("[Translator’s note: a pun in Russian]", "Translator’s note", "a pun in Russian"),
        ("[the date is missing --ed.]", "ed.", "the date is missing"),
        ("[Editor's note -- see below]", "Editor's note", "see below"),
    ],
)
def test_inline_editorial_notes(text: str, label: str, body: str) -> None:
    from tei.converters.inline import InlineContext, parse_inline
    from tei.model import EditorialNote, Text

    nodes = parse_inline(f"He said {text} and left.", InlineContext())
    notes = [n for n in nodes if isinstance(n, EditorialNote)]
    assert len(notes) == 1 and notes[0].label == label
    assert notes[0].content == [Text(body)]
