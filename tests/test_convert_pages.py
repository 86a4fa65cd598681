"""Converter contract: header, facsimile, divisions, editorial phenomena, validity, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei.converters import read_page
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples"
PAGES = Path(__file__).resolve().parent / "data" / "pages"
HELDOUT = Path(__file__).resolve().parent / "data" / "align_gold" / "heldout"
ALL = sorted(SEEDS.glob("*.txt")) + sorted(PAGES.glob("*.txt")) + sorted(HELDOUT.glob("*.txt"))


def tei_bytes(path: Path, **kw) -> bytes:
    model = read_page(path.read_bytes(), str(path), **kw)
    return serialize(to_tree(model, ConvertOptions(align=False)))


def tei(path: Path) -> etree._Element:
    return etree.fromstring(tei_bytes(path))


def seed(prefix: str) -> etree._Element:
    return tei(next(SEEDS.glob(f"{prefix}_*.txt")))


def xp(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=NS)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_valid_against_official_tei_all(path: Path, tei_all: etree.RelaxNG) -> None:
    doc = etree.ElementTree(tei(path))
    assert tei_all.validate(doc), "\n".join(f"{e.line}: {e.message}" for e in tei_all.error_log)


_CHILD = """
import sys
from pathlib import Path
from tei.converters import read_page
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize
for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
    model = read_page(Path(src).read_bytes(), src)
    Path(dst).write_bytes(serialize(to_tree(model, ConvertOptions())))
"""


def _other_locale() -> str:
    """A locale unlike the usual C/en_US one (Turkish casing) when installed, else C.UTF-8."""
    import locale

    for name in ("tr_TR.UTF-8", "tr_TR.utf8"):
        try:
            locale.setlocale(locale.LC_ALL, name)
        except locale.Error:
            continue
        finally:
            locale.setlocale(locale.LC_ALL, "")
        return name
    return "C.UTF-8"


def test_deterministic_bytes_across_processes(tmp_path: Path) -> None:
    """Same bytes (aligned TEI) in a second process with another hash seed, locale, time zone."""
    import os
    import subprocess
    import sys

    args = []
    for k, path in enumerate(ALL):
        args += [str(path), str(tmp_path / f"{k}.xml")]
    env = {
        **os.environ,
        "PYTHONHASHSEED": "4242",
        "LC_ALL": _other_locale(),
        "TZ": "Pacific/Chatham",
    }
    subprocess.run([sys.executable, "-c", _CHILD, *args], check=True, cwd=tmp_path, env=env)
    for k, path in enumerate(ALL):
        model = read_page(path.read_bytes(), str(path))
        here = serialize(to_tree(model, ConvertOptions()))
        assert (tmp_path / f"{k}.xml").read_bytes() == here, path.name


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_block_has_an_id_and_pointers_resolve(path: Path) -> None:
    root = tei(path)
    names = ("p", "head", "item", "row", "ab", "closer", "table", "list")
    cond = " or ".join(f"self::t:{n}" for n in names)
    blocks = xp(root, f"//t:div[@type='original' or @type='translation']//*[{cond}]")
    if xp(root, "//t:div[@type='translation']"):
        assert blocks
    assert all(b.get(XML_ID) for b in blocks)
    ids = [e.get(XML_ID) for e in root.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids))
    for attr in ("facs", "target", "hand", "resp"):
        for el in xp(root, f"//*[@{attr}]"):
            for ref in el.get(attr).split():
                assert ref.startswith("#") and ref[1:] in ids, f"dangling {attr}={ref}"


def test_header_of_a_markdown_page() -> None:
    root = seed("000")
    assert (
        xp(root, "string(//t:titleStmt/t:title)")
        == "Report from L. Beria and A. Vyshinsky to Cde. I.V. Stalin"
    )
    assert xp(root, "string(//t:creation/t:date/@when)") == "1945-04-29"
    assert xp(root, "//t:msIdentifier/t:repository/text()") == ["GARF"]
    ids = {e.get("type"): e.text for e in xp(root, "//t:msIdentifier/t:idno")}
    assert ids == {"fond": "R-9401ss", "opis": "2", "delo": "95", "folio": "334-338"}
    resp = [
        (r.findtext("t:resp", namespaces=NS), r.findtext("t:persName", namespaces=NS))
        for r in xp(root, "//t:respStmt")
    ]
    assert ("obtained by", "Jamil Hasanli") in resp and ("translated by", "Gary Goldberg") in resp
    assert (
        xp(root, "string(//t:publicationStmt/t:idno[@type='URI'])")
        == "https://digitalarchive.umd.edu/document/121724"
    )
    assert xp(root, "string(//t:funder)") == "MacArthur Foundation"
    assert "Beria and Vyshinsky summarize" in xp(root, "string(//t:abstract)")
    assert xp(root, "//t:langUsage/t:language/@ident") == ["ru", "en", "ru-Latn"]


@pytest.mark.parametrize(
    ("prefix", "repo", "fond", "opis", "delo", "folio"),
    [("003", "RGASPI", "17", "162", "20", "62-63"), ("004", "RGASPI", "17", "162", "18", "170")],
)
def test_citation_variants(prefix, repo, fond, opis, delo, folio) -> None:
    root = seed(prefix)
    got = {e.get("type"): e.text for e in xp(root, "//t:msIdentifier/t:idno")}
    assert xp(root, "string(//t:repository)") == repo
    assert got == {"fond": fond, "opis": opis, "delo": delo, "folio": folio}


def test_citation_capitalised_dot_variant() -> None:
    root = tei(PAGES / "footnotes_tables.txt")
    got = {e.get("type"): e.text for e in xp(root, "//t:msIdentifier/t:idno")}
    assert got == {"fond": "3", "opis": "47", "delo": "273", "folio": "8-9"}
    assert xp(root, "//t:respStmt[t:resp='translated by']/t:persName/text()") == ["Anna Petrova"]


def test_month_only_date_in_listing() -> None:
    root = seed("001")
    dates = {
        b.findtext("t:date", namespaces=NS): b.find("t:date", NS).get("when")
        for b in xp(root, "//t:listBibl/t:bibl")
    }
    assert dates["July 1945"] == "1945-07"
    assert dates["April 29, 1945"] == "1945-04-29"
    assert len(xp(root, "//t:listBibl/t:bibl")) == 10
    assert all(
        b.find("t:note[@type='summary']", NS) is not None for b in xp(root, "//t:listBibl/t:bibl")
    )


def test_facsimile_surfaces_and_page_breaks() -> None:
    root = seed("000")
    surfaces = xp(root, "//t:facsimile/t:surface")
    assert [s.get("n") for s in surfaces] == ["334", "335", "336", "337", "338"]
    assert all(
        s.find("t:graphic", NS).get("url") == f"facs/121724/{s.get('n')}.jpg" for s in surfaces
    )
    for role in ("original", "translation"):
        assert xp(root, f"//t:div[@type='{role}']//t:pb[@facs]"), role
    # the page-bottom note is followed by the next page in the translation
    note = xp(root, "//t:div[@type='translation']//t:note[@place='bottom']")[0]
    assert etree.QName(note.getnext()).localname == "pb" and note.getnext().get("n") == "335"


def test_folio_number_and_typed_page_number_make_one_page_change() -> None:
    root = seed("003")
    pb = xp(root, "//t:div[@type='original']//t:pb[@n='63']")[0]
    assert pb.get("facs") == "#f63"
    assert [f.text for f in xp(root, "//t:div[@type='original']//t:fw")] == ["63", "- 38 -"]
    assert xp(root, "//t:div[@type='translation']//t:pb/@n") == ["62", "63"]


def test_facsimile_pattern_is_configurable() -> None:
    path = next(SEEDS.glob("003_*.txt"))
    root = etree.fromstring(
        tei_bytes(
            path, facs_pattern="https://iiif.example.org/{doc}-{folio}/full/max/0/default.jpg"
        )
    )
    assert (
        xp(root, "string(//t:surface[1]/t:graphic/@url)")
        == "https://iiif.example.org/121870-62/full/max/0/default.jpg"
    )


def test_languages_are_detected_not_assumed() -> None:
    assert xp(tei(PAGES / "chinese_original.txt"), "//t:body/t:div/@xml:lang") == ["zh", "en"]
    assert xp(tei(PAGES / "german_original.txt"), "//t:body/t:div/@xml:lang") == ["de", "en"]
    only = tei(PAGES / "translation_only.txt")
    assert xp(only, "//t:body/t:div/@type") == ["translation"]


def test_fields_in_another_order_and_archive_trailer() -> None:
    root = tei(PAGES / "reordered_trailer.txt")
    assert (
        xp(root, "string(//t:titleStmt/t:title)")
        == "Resolution of the Presidium on Grain Deliveries"
    )
    assert xp(root, "string(//t:creation/t:date/@when)") == "1952-08-12"
    assert xp(root, "string(//t:repository)") == "RGANI"
    assert "ARCHIVE" not in xp(root, "string(//t:text)")


SEED_PHENOMENA = [
    ("000", "//t:sic[.='3-2']", "[SIC] after 3-2"),
    ("000", "//t:space[t:desc='left blank']", "[left blank]"),
    (
        "004",
        "//t:div[@type='original']//t:space[@unit='chars'][@quantity='5']",
        "№ ____ blank field",
    ),
    ("003", "//t:div[@type='translation']//t:gap[@reason='omitted']", "[...]"),
    (
        "003",
        "//t:note[@type='handwritten']/t:add[@place='top'][@hand='#handwritten'][.='point 539 is in classified storage']",
        "handwritten addition",
    ),
    (
        "000",
        "//t:note[@place='bottom'][contains(., 'One copy made for the special folder.')]",
        "note at the bottom",
    ),
    ("000", "//t:stamp[@type='stamp'][contains(., 'SPECIAL FOLDER')]", "stamp: [...]"),
    ("003", "//t:closer/t:stamp[@type='seal'][.='CC seal']", "[CC seal]"),
    ("003", "//t:closer/t:signed[t:label='signed'][contains(., 'I. Stalin')]", "[signed]"),
    ("000", "//t:term[.='Ili']/following-sibling::t:gloss[1][.='Yili']", "gloss Ili [Yili]"),
    ("000", "//t:supplied[.='their']", "supplied [their]"),
    ("000", "//t:foreign[@xml:lang='ru-Latn'][.='tovarnyye']", "original term"),
    (
        "000",
        "//t:choice[t:abbr='NKO'][t:expan=\"People's Commissariat of Defense\"]",
        "abbreviation expansion",
    ),
    ("003", "//t:div[@type='original']//t:head/t:hi[@rend='underline']", "underlined heading"),
    ("000", "//t:div[@type='original']//t:list/t:label[.='а)']", "Cyrillic list label"),
    ("003", "//t:div[@type='translation']//t:list/t:label[.='a)']", "Latin list label"),
    ("004", "//t:div[@type='translation']//t:list/t:label[.='1.']", "numbered list"),
    (
        "000",
        "//t:div[@type='original']//t:table/t:row[t:cell='винтовок'][t:cell='1.807']",
        "tab table",
    ),
    (
        "000",
        "//t:div[@type='translation']//t:table/t:row[t:cell='rifles'][t:cell='1,807']",
        "table rebuilt from noise",
    ),
    (
        "000",
        "//t:div[@type='translation']//t:note[@type='conversion'][contains(., 'OCR')]",
        "note on the rebuilt table",
    ),
    ("003", "//t:div[@type='original']//t:lb[@break='no']", "word joined across a break"),
    (
        "003",
        "//t:div[@type='original']//t:unclear[starts-with(@reason, 'ocr-latin')][contains(., 'CEKPETAPH')]",
        "Latin look-alikes",
    ),
]


@pytest.mark.parametrize(
    ("prefix", "xpath", "what"), SEED_PHENOMENA, ids=[w for _, _, w in SEED_PHENOMENA]
)
def test_seed_phenomenon_is_encoded(prefix: str, xpath: str, what: str) -> None:
    assert xp(seed(prefix), xpath), what


def test_rebuilt_table_has_all_rows() -> None:
    rows = xp(seed("000"), "//t:div[@type='translation']//t:table/t:row")
    labels = [r.findtext("t:cell", namespaces=NS) for r in rows]
    assert labels == [
        "rifles",
        "machine guns",
        "mortars",
        "field guns",
        "armored cars",
        "aircraft",
        "aircraft engines",
        "radios",
    ]
    assert [r.xpath("string(t:cell[last()])", namespaces=NS) for r in rows] == [
        "1,807",
        "151",
        "17",
        "4",
        "2",
        "36",
        "24",
        "4",
    ]


def test_footnote_markers_point_at_endnotes() -> None:
    root = tei(PAGES / "footnotes_tables.txt")
    refs = xp(root, "//t:ref[@type='noteAnchor']")
    assert [r.get("target") for r in refs] == ["#t-fn1", "#t-fn2"]
    assert xp(root, "string(id('t-fn2'))").startswith("2 The original hyphenates")


def test_hyphenated_word_across_blocks_is_joined() -> None:
    root = seed("003")
    lb = xp(root, "//t:div[@type='original']//t:lb[@break='no']")[0]
    prev = lb.getprevious()
    before = prev.tail if prev is not None else lb.getparent().text
    assert (before or "").endswith("командо")
    assert lb.tail.startswith("вания")
