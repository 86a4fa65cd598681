"""Listing pages in every layout seen: result statements, collections, old search results.

The pages in tests/data/listings/ were written for the layouts of ../shared/pages/README.md;
the expectations below are read off each page by hand. The real pages of ../shared/pages are
checked against their hand-written gold (entries, total), when ../shared is there.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from _shared import SHARED
from lxml import etree

from tei.converters import read_page
from tei.converters.listing_page import looks_like_listing
from tei.converters.source import decode
from tei.model import Listing
from tei.pipeline import ConvertOptions, to_tree
from tei.schematron import SchematronValidator
from tei.writer import serialize

NS = {"t": "http://www.tei-c.org/ns/1.0"}
ROOT = Path(__file__).resolve().parents[1]
LISTINGS = Path(__file__).resolve().parent / "data" / "listings"
REAL = SHARED / "pages"
WORD = re.compile(r"[^\W_]+")

# page -> what a reader of the page sees: entries, (first, last) title, some dates as
# (text, when, from, to), the range (from, to, total), the collection title, chrome lines
# kept apart, and whether the page ends inside (or after the date of) an entry.
EXPECTED: dict[str, dict] = {
    "page-two-of-results.txt": {
        "entries": 10,
        "titles": ("Letter from Mao Zedong to Khrushchev", "Record of Conversation between Zhou"),
        "dates": [("July 30, 1956", "1956-07-30", None, None)],
        "range": ("11", "20", "89"),
        "statement": "Results: 11 - 20 of 89 Documents",
        "collection": None,
        "chrome": ["Skip to content", "‹ Previous", "1 2 3 4 5 6 7 8 9", "Next ›"],
        "cut": None,
    },
    "old-search-results-dashes.txt": {
        "entries": 7,
        "titles": ("Memorandum on the Situation in Xinjiang", "Report on the Geneva Conference"),
        "dates": [
            ("1950", "1950", None, None),
            ("March 1951", "1951-03", None, None),
            ("1952-1953", None, "1952", "1953"),
        ],
        "range": ("1", "20", "245"),
        "statement": "SEARCH RESULTS Displaying 1 - 20 of 245 results",
        "collection": None,
        "chrome": ["Search in", "Digital Archive International History Declassified"],
        "cut": None,
    },
    "old-search-results-bullets.txt": {
        "entries": 6,
        "titles": (
            "Concerning the 36th Division of the NRA",
            "Concerning Soviet Troops in Xinjiang",
        ),
        "dates": [
            ("June 14, 1937", "1937-06-14", None, None),
            ("July 9, 1945", "1945-07-09", None, None),  # the title above the date
            ("1945", "1945", None, None),
        ],
        "range": ("1", "10", "34"),
        "statement": "SEARCH RESULTS 1 - 10 of 34",
        "collection": None,
        "chrome": ["get citation"],
        "cut": None,
    },
    "year-only-dates.txt": {
        "entries": 9,
        "titles": ("Conversation between Mao Zedong and Ambassador", "Report on the Cultural"),
        "dates": [
            ("1956", "1956", None, None),
            ("1950-1951", None, "1950", "1951"),
            ("c. 1949", None, None, None),
            ("Undated", None, None, None),
            ("1960s", None, "1960", "1969"),
        ],
        "range": ("1", "9", "9"),
        "statement": "Results: 1 - 9 of 9 Documents",
        "collection": None,
        "chrome": ["Filter Results", "Mao Zedong (9)", "Sort by: Date"],
        "cut": None,
    },
    "cut-after-date.txt": {
        "entries": 3,
        "titles": (
            "Treaty of Friendship, Alliance and Mutual",
            "Report from the Soviet Ambassador",
        ),
        "dates": [("May 14, 1950", "1950-05-14", None, None)],
        "range": ("21", "30", "412"),
        "statement": "Results: 21 - 30 of 412 Documents",
        "collection": None,
        "chrome": ["Skip to content"],
        "cut": "Decem",
    },
    "cut-in-summary-one-line.txt": {
        "entries": 3,
        "titles": ("The Official Visit Paid by", "Conversation between Kim Il Sung and Mao Zedong"),
        "dates": [("December 21, 1974", "1974-12-21", None, None)],
        "range": ("31", "40", "57"),
        "statement": "Results: 31 - 40 of 57 Documents",
        "collection": None,
        "chrome": ["Skip to content"],
        "cut": "item3",
    },
    "collection-with-description.txt": {
        "entries": 5,
        "titles": ("Off the Record Meeting on Cuba", "Memorandum of Conversation between Mikoyan"),
        "dates": [("November 1, 1962", "1962-11-01", None, None)],
        "range": None,
        "statement": "Documents in this collection",
        "collection": "The Cuban Missile Crisis",
        "description": ["The collection contains documents", "It was assembled for"],
        "chrome": ["No image found.", "1 2 3 next › last »"],
        "cut": None,
    },
}
PAGES = sorted(LISTINGS.glob("*.txt"))


def convert(path: Path) -> tuple[Listing, etree._Element]:
    model = read_page(path.read_bytes(), str(path))
    assert isinstance(model, Listing), f"{path.name} was not read as a listing"
    return model, etree.fromstring(serialize(to_tree(model, ConvertOptions(align=False))))


def xp(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=NS)


def text(el: etree._Element | None) -> str:
    return "" if el is None else " ".join("".join(el.itertext()).split())


def words(s: str) -> Counter[str]:
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return Counter(w.lower() for w in WORD.findall(s))


@pytest.fixture(scope="module")
def edition_rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(ROOT / "schema" / "archive-edition.rng")))


@pytest.fixture(scope="module")
def rules() -> SchematronValidator:
    return SchematronValidator(ROOT / "schema" / "archive-edition.sch")


def test_every_listing_page_has_its_expectations() -> None:
    assert len(PAGES) >= 6
    assert sorted(p.name for p in PAGES) == sorted(EXPECTED)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_entries_titles_dates(path: Path) -> None:
    want = EXPECTED[path.name]
    _, root = convert(path)
    bibls = xp(root, "//t:text//t:listBibl/t:bibl")
    assert len(bibls) == want["entries"]
    titles = [text(b.find("t:title", NS)) for b in bibls]
    assert titles[0].startswith(want["titles"][0])
    assert titles[-1].startswith(want["titles"][1])
    for heading in ("Results", "Results:", "Documents", "SEARCH RESULTS"):
        assert heading not in titles
    dates = {
        text(d): (d.get("when"), d.get("from"), d.get("to"))
        for d in xp(root, "//t:listBibl/t:bibl/t:date")
    }
    for written, when, start, end in want["dates"]:
        assert dates.get(written) == (when, start, end), written
    # every entry has a title and, here, a summary (the cut last entry at least its start)
    assert all(titles)
    summaries = [text(b.find("t:note[@type='summary']", NS)) for b in bibls]
    assert all(summaries[:-1])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_range_total_title_and_chrome(path: Path) -> None:
    want = EXPECTED[path.name]
    _, root = convert(path)
    scope = xp(root, "//t:sourceDesc/t:bibl[@type='listing-page']/t:biblScope")
    total = xp(root, "//t:sourceDesc/t:bibl/t:note[@type='total']/@n")
    if want["range"]:
        start, end, n = want["range"]
        assert (scope[0].get("unit"), scope[0].get("from"), scope[0].get("to")) == (
            "entry",
            start,
            end,
        )
        assert total == [n]
    else:
        assert scope[0].get("from") is None and total == []
    assert text(xp(root, "//t:listBibl/t:head")[0]) == want["statement"]
    title = text(xp(root, "//t:titleStmt/t:title")[0])
    heads = [text(h) for h in xp(root, "//t:div[@type='listing']/t:head")]
    if want["collection"]:
        assert title == want["collection"] and heads == [want["collection"]]
        paras = [text(p) for p in xp(root, "//t:div[@type='listing']/t:p")]
        assert [p[: len(s)] for p, s in zip(paras, want["description"], strict=True)] == want[
            "description"
        ]
    else:
        start, end, n = want["range"]
        assert title.endswith(f"({start} - {end} of {n})")
    chrome = [text(p) for p in xp(root, "//t:notesStmt/t:note[@type='site-chrome']/t:p")]
    assert set(want["chrome"]) <= set(chrome)
    entries_text = " ".join(text(b) for b in xp(root, "//t:listBibl/t:bibl"))
    assert not any(c in entries_text for c in want["chrome"])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_cut_last_entry_is_recorded(path: Path) -> None:
    want = EXPECTED[path.name]
    _, root = convert(path)
    notes = " ".join(text(p) for p in xp(root, "//t:editorialDecl/t:p"))
    if want["cut"] is None:
        assert "page ends" not in notes
    else:
        assert want["cut"] in notes


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_word_of_the_page_is_in_the_tei(path: Path) -> None:
    """The whole page against the whole TEI: chrome and headings included."""
    _, root = convert(path)
    page = words(path.read_text(encoding="utf-8"))
    tei = words(" ".join(root.itertext()))
    lost = {w: n - tei[w] for w, n in page.items() if tei[w] < n}
    assert not lost


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_valid_against_the_project_schema(
    path: Path, edition_rng: etree.RelaxNG, rules: SchematronValidator
) -> None:
    _, root = convert(path)
    tree = etree.ElementTree(root)
    assert edition_rng.validate(tree), edition_rng.error_log
    errors = [f for f in rules.validate_tree(tree, path.name) if f.severity == "error"]
    assert not errors


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_valid_against_tei_all(path: Path, tei_all: etree.RelaxNG) -> None:
    _, root = convert(path)
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log


def _gold(kind: str) -> list[tuple[Path, dict]]:
    out = []
    for g in sorted((REAL / "expected").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        if gold["kind"] == kind and (REAL / f"{g.stem}.txt").is_file():
            out.append((REAL / f"{g.stem}.txt", gold))
    return out


@pytest.mark.parametrize("path,gold", _gold("listing"), ids=lambda v: getattr(v, "stem", ""))
def test_real_listing_pages_against_their_gold(path: Path, gold: dict) -> None:
    model, root = convert(path)
    assert len(xp(root, "//t:text//t:listBibl/t:bibl")) == gold["listing_entries"]
    assert model.total == gold["listing_total"]
    if gold["title"]:
        assert text(xp(root, "//t:titleStmt/t:title")[0]) == gold["title"]
    whole = text(root)
    for snippet in gold["entry_snippets"] + gold["other_snippets"]:
        assert snippet in whole
    tei = words(" ".join(root.itertext()))
    assert not [w for w, n in words(path.read_text(encoding="utf-8")).items() if tei[w] < n]


def _documents() -> list[Path]:
    mine = [
        p
        for p in sorted((ROOT / "examples").glob("*.txt"))
        + sorted((ROOT / "tests" / "data" / "pages").glob("*.txt"))
        + sorted((ROOT / "tests" / "data" / "align_gold" / "heldout").glob("*.txt"))
        if not p.name.startswith(("001_", "002_"))  # the two listing seeds
    ]
    return mine + [p for p, _ in _gold("document")]


def _listings() -> list[Path]:
    seeds = sorted((ROOT / "examples").glob("00[12]_*.txt"))
    return PAGES + seeds + [p for p, _ in _gold("listing")]


@pytest.mark.parametrize("path", _listings(), ids=lambda p: p.name)
def test_listings_are_detected(path: Path) -> None:
    assert looks_like_listing(decode(path.read_bytes(), path.name).text)


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_document_pages_are_not_taken_for_listings(path: Path) -> None:
    assert not looks_like_listing(decode(path.read_bytes(), path.name).text)


def test_a_document_with_dated_paragraphs_is_not_a_listing() -> None:
    """A date line and title above a long body, even with a later dated line, is a document."""
    body = " ".join(["The delegation discussed the terms of the agreement at length."] * 12)
    page = "\n\n".join(
        ["June 14, 1937", "Concerning the Appeals to the Soviet Government", body, body]
        + ["July 1, 1937", "I. Stalin", body]
    )
    assert not looks_like_listing(page)


def test_headings_alone_are_not_entries() -> None:
    page = "Results:\n\n1 - 2 of 2\n\nDocuments\n\n" + "\n\n".join(
        [
            "May 1, 1950",
            "Letter from A to B",
            "A writes to B about the treaty.",
            "1951",
            "Note from B to A",
            "B answers.",
        ]
    )
    assert looks_like_listing(page)
    model = read_page(page.encode(), "p.txt")
    assert isinstance(model, Listing)
    assert [e.title for e in model.entries] == ["Letter from A to B", "Note from B to A"]
    assert (model.range_start, model.range_end, model.total) == (1, 2, 2)
    assert model.range_text == "Results: 1 - 2 of 2 Documents"


def test_title_above_its_date_without_bullets() -> None:
    """Some search pages give each title above its date: the rhythm decides the order."""
    page = "\n\n".join(
        [
            "SEARCH RESULTS",
            "1 - 3 of 3",
            "Record of a Meeting Between T. V. Soong and Stalin",
            "July 9, 1945",
            "Dr. Soong reports Chiang Kai-Shek's response on the question of Outer Mongolia.",
            "Letter from Governor Sheng Shicai to Cde. V. M. Molotov",
            "November 10, 1937",
            "Sheng Shicai expresses gratitude to Molotov for Soviet assistance in Xinjiang.",
            "Concerning Soviet Troops in Xinjiang",
            "January 10, 1939",
            "The Politburo transfers Soviet military units deployed in Xinjiang to the NKO.",
        ]
    )
    model = read_page(page.encode(), "p.txt")
    assert isinstance(model, Listing) and model.title is None and model.description == []
    assert [(e.date_iso, e.title[:12]) for e in model.entries] == [
        ("1945-07-09", "Record of a "),
        ("1937-11-10", "Letter from "),
        ("1939-01-10", "Concerning S"),
    ]


def test_date_and_title_on_one_line_and_a_title_that_starts_with_a_date() -> None:
    page = "\n".join(
        [
            "1 - 2 of 2",
            "April 19, 1958 From the Diary of P. F. Yudin",
            "A conversation between Yudin and Mao about Yugoslavia and Tito.",
            "May 1957",
            "June 1957 Plenum of the CPSU CC",
            "The plenum removes the Anti-Party Group from the Presidium of the CC.",
        ]
    )
    model = read_page(page.encode(), "p.txt")
    assert isinstance(model, Listing)
    assert [(e.date_text, e.title) for e in model.entries] == [
        ("April 19, 1958", "From the Diary of P. F. Yudin"),
        ("May 1957", "June 1957 Plenum of the CPSU CC"),
    ]


def test_statement_headings_across_chrome_and_generic_headings_never_title() -> None:
    page = "\n\n".join(
        ["Skip to content", "Results:", "Filter", "11 - 20 of 89", "Documents"]
        + ["May 1, 1950", "Letter from A to B", "A writes to B about the treaty."]
        + ["1951", "Note from B to A", "B answers."]
    )
    model = read_page(page.encode(), "p.txt")
    assert isinstance(model, Listing)
    assert model.range_text == "Results: 11 - 20 of 89 Documents"
    assert model.heading is None and model.chrome == ["Skip to content", "Filter"]


def test_bulleted_entries_with_the_date_after_the_title() -> None:
    page = "\n\n".join(
        [
            "SEARCH RESULTS",
            "• Conversation between Lee Hu-rak and Kim Il Sung (November 03, 1972)",
            "Kim Il Sung stresses the importance of reunification.",
            "• Record of a Meeting between Kim Il Sung and L. Rinchin - December 21, 1974",
            "They discuss North Korean-Mongolian relations.",
        ]
    )
    model = read_page(page.encode(), "p.txt")
    assert isinstance(model, Listing) and model.heading == "SEARCH RESULTS"
    assert [(e.date_iso, e.title) for e in model.entries] == [
        ("1972-11-03", "Conversation between Lee Hu-rak and Kim Il Sung"),
        ("1974-12-21", "Record of a Meeting between Kim Il Sung and L. Rinchin"),
    ]
