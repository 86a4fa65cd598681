"""Nothing lost: every word of the source page is in the TEI, on seeds and on variant pages.

The check is independent of the converter's internals: the source's words (letters and digits,
markdown syntax removed) must all occur, with at least the same multiplicity, in the TEI text.
Body words are checked against ``<text>``, header words against ``<teiHeader>``. The only words
allowed to vanish are editorial markers that became elements, each backed by one element:
``SIC`` (-> ``<sic>``). OCR noise (□ and 000 runs) is not a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tei.converters import read_page
from tei.converters.body import split_blocks
from tei.converters.header import parse_header
from tei.model import Document
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize

TEI = "{http://www.tei-c.org/ns/1.0}"
DATA = Path(__file__).resolve().parent / "data" / "pages"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

WORD = re.compile(r"[^\W_]+")
LABEL_WORDS = re.compile(
    r"^\s*(?:#{1,6}\s*)?\**\s*(?:Citation|Summary|Credits|Original Language|Contents|Date|Title|"
    r"Archive Location|Skip to content)\s*:?\s*\**\s*:?",
    re.I | re.M,
)
MARKERS = {"sic": "sic"}  # marker word -> element that must stand for it
BLOCKS = {"p", "head", "item", "label", "cell", "row", "note", "ab", "closer", "fw", "bibl",
          "title", "date", "desc", "list", "table", "div", "signed", "idno", "resp", "persName",
          "name", "funder", "summary", "textLang", "origDate", "language", "publisher",
          "repository", "abbr", "expan", "term", "gloss", "stamp", "add", "supplied", "ref"}  # fmt: skip


def pages() -> list[Path]:
    found = sorted(DATA.glob("*.txt")) + sorted(
        (DATA.parent / "align_gold" / "heldout").glob("*.txt")
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


def body_and_header(text: str) -> tuple[str, str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = parse_header(split_blocks(lines))
    body = "\n".join("\n".join(b.lines) for b in head.body)
    body_words = source_words(body)
    header_words = source_words(LABEL_WORDS.sub(" ", text)) - body_words
    return body, "\n".join(f"{w} " * n for w, n in header_words.items())


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
    root, model = convert(path)
    raw = path.read_text(encoding="utf-8")
    if isinstance(model, Document):
        body, header = body_and_header(raw)
        body_src = source_words(body)
        body_tei = Counter(w.lower() for w in WORD.findall(tei_text(root.find(f"{TEI}text"))))
        lost = missing_words(body_src, body_tei, root)
        assert not lost, f"body words lost: {dict(lost)}"
        head_src = source_words(header)
        head_tei = Counter(w.lower() for w in WORD.findall(tei_text(root.find(f"{TEI}teiHeader"))))
        lost_h = missing_words(head_src, head_tei, root)
        assert not lost_h, f"header words lost: {dict(lost_h)}"
    else:
        src = source_words(LABEL_WORDS.sub(" ", raw))
        tei = Counter(w.lower() for w in WORD.findall(tei_text(root)))
        lost = missing_words(src, tei, root)
        assert not lost, f"listing words lost: {dict(lost)}"


def test_preservation_figure_over_all_pages() -> None:
    """The figure quoted in the notes: source word tokens found in the TEI, over every page."""
    total = found = 0
    for path in pages():
        root, _ = convert(path)
        src = source_words(LABEL_WORDS.sub(" ", path.read_text(encoding="utf-8")))
        tei = Counter(w.lower() for w in WORD.findall(tei_text(root)))
        total += sum(src.values())
        found += sum(min(n, tei.get(w, 0)) for w, n in src.items())
        found += sum(min(n - tei.get(w, 0), len(root.findall(f".//{TEI}sic")))
                     for w, n in src.items() if w == "sic" and n > tei.get(w, 0))  # fmt: skip
    assert total > 5000
    assert found == total, f"{found}/{total} words preserved"
