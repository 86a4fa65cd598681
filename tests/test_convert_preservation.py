"""Nothing lost: every word of the source page is in the TEI, on seeds and on variant pages.

The check is independent of the converter's internals: the words of the whole page (letters
and digits, markdown syntax removed) must all occur, with at least the same multiplicity, in
the whole TEI (header and text), so a word that lands in the wrong zone is still found and a
lost word is not. Allowed to vanish: field labels (structure, written as elements) and
editorial markers that became elements, each backed by one element: ``SIC`` (-> ``<sic>``).
OCR noise (□ and 000 runs) is not a word. Where each zone lands is scored separately, against
hand-written gold (``tests/test_real_pages.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from _shared import SHARED
from lxml import etree

from tei.converters import read_page
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize

TEI = "{http://www.tei-c.org/ns/1.0}"
DATA = Path(__file__).resolve().parent / "data" / "pages"
SEEDS = SHARED / "seeds"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

WORD = re.compile(r"[^\W_]+")
LABEL_WORDS = re.compile(
    r"^[\s•*#-]*(?:Citation|Summary|Credits|Original Languages?|Contents|Date|Title|"
    r"Archive Location|Skip to content|Document Information|Source|Rights|Type|Languages?|"
    r"Record ID|Author\(s\)|Authors?|Original Uploaded Date|ARCHIVAL SOURCE|"
    r"FIRST PUBLISHED IN|Associated (?:People & Organizations|Places|Topics)|"
    r"Subjects Discussed)\s*\**\s*(?::|$)",
    re.I | re.M,
)
# PDF exports print the labels inside long lines: "... Citation: ... Summary: ..."
INLINE_LABEL = re.compile(r"\b(?:Citation|Summary|Original Language|Contents):")


def page_words(raw: str) -> Counter[str]:
    """The words of a whole page that must reach the TEI (labels removed)."""
    return source_words(INLINE_LABEL.sub(" ", LABEL_WORDS.sub(" ", raw)))


MARKERS = {"sic": "sic"}  # marker word -> element that must stand for it
BLOCKS = {"p", "head", "item", "label", "cell", "row", "note", "ab", "closer", "fw", "bibl",
          "title", "date", "desc", "list", "table", "div", "signed", "idno", "resp", "persName",
          "name", "funder", "summary", "textLang", "origDate", "language", "publisher",
          "repository", "abbr", "expan", "term", "gloss", "stamp", "add", "supplied", "ref"}  # fmt: skip


def pages() -> list[Path]:
    found = (
        sorted(DATA.glob("*.txt"))
        + sorted((DATA / "layouts").glob("*.txt"))
        + sorted((DATA / "heldout").glob("*.txt"))
        + sorted((DATA.parent / "listings").glob("*.txt"))
        + sorted((DATA.parent / "align_gold" / "heldout").glob("*.txt"))
    )
    src = SEEDS if SEEDS.exists() else EXAMPLES
    return sorted(src.glob("*.txt")) + found


def source_words(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"</?u>", " ", text)
    text = text.replace("**", " ").replace("\\", "")
    tokens = [t for t in WORD.findall(text) if not re.fullmatch(r"0{2,3}", t)]
    return Counter(t.lower() for t in tokens)


def tei_text(el: etree._Element) -> str:
    """Text of an element as a reader sees it: blocks and line breaks separate words."""
    parts: list[str] = []

    def walk(e: etree._Element) -> None:
        local = etree.QName(e).localname if isinstance(e.tag, str) else ""
        if local == "lb":
            parts.append("- " if e.get("break") == "no" and e.get("rend") == "hyphen" else " ")
        elif local == "pb":
            parts.append(" " if e.get("break") != "no" else "")
        block = local in BLOCKS
        if block:
            parts.append(" ")
        if e.text and isinstance(e.tag, str):
            parts.append(e.text)
        for child in e:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(el)
    return "".join(parts)


def missing_words(src: Counter[str], tei: Counter[str], root: etree._Element) -> Counter[str]:
    missing = Counter({w: n - tei.get(w, 0) for w, n in src.items() if n > tei.get(w, 0)})
    for word, element in MARKERS.items():
        if word in missing:
            backed = len(root.findall(f".//{TEI}{element}"))
            missing[word] = max(0, missing[word] - backed)
    return +missing


def convert(path: Path) -> etree._Element:
    model = read_page(path.read_bytes(), str(path))
    return etree.fromstring(serialize(to_tree(model, ConvertOptions(align=False)))), model


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.name)
def test_every_source_word_reaches_the_tei(path: Path) -> None:
    root, _ = convert(path)
    src = page_words(path.read_text(encoding="utf-8"))
    tei = Counter(w.lower() for w in WORD.findall(tei_text(root)))
    lost = missing_words(src, tei, root)
    assert not lost, f"words lost: {dict(lost)}"


def test_preservation_figure_over_all_pages() -> None:
    """The figure quoted in the notes: source word tokens found in the TEI, over every page."""
    total = found = 0
    for path in pages():
        root, _ = convert(path)
        src = page_words(path.read_text(encoding="utf-8"))
        tei = Counter(w.lower() for w in WORD.findall(tei_text(root)))
        total += sum(src.values())
        found += sum(min(n, tei.get(w, 0)) for w, n in src.items())
        found += sum(min(n - tei.get(w, 0), len(root.findall(f".//{TEI}sic")))
                     for w, n in src.items() if w == "sic" and n > tei.get(w, 0))  # fmt: skip
    assert total > 5000
    assert found == total, f"{found}/{total} words preserved"
