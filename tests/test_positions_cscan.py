"""The start-tag scan in C (``cwalk.start_tag_ends``) against positions._start_tag_ends, its
reference in Python: the same whole sequence (trailing ``len(text)`` included) on every shared
corpus file, on test_validate_positions' documents, on each construct alone, and on random
strings of markup pieces (str of every kind: ASCII, Latin-1, BMP, astral)."""

from __future__ import annotations

import itertools
import random

import pytest
from _shared import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from test_validate_cwalk import needs_c
from test_validate_positions import _doc

from tei.validate import positions
from tei.validate.positions import Positions, _start_tag_ends
from tei.validate.rng.derivative import c_walk_module
from tei.xmlsafe import parse_bytes

CORPORA = SHARED / "corpora"

PIECES = [
    "<", "</", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "<!DOCTYPE x [", "<!DOCTYPE",
    "<!", "[", "]", ">", "-", "?", '"', "'", "a", "text ", " ", "\n", "<e>", "</e>", "<e/>",
    "é", "\xff", "€", "\u05d0", "😀", "\U0010ffff",
]  # fmt: skip


def c_ends(text: str) -> list[int]:
    return list(c_walk_module().start_tag_ends(text))


def py_ends(text: str) -> list[int]:
    return list(_start_tag_ends(text))


@needs_c
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("plain text", []),
        ("<a>", [1]),
        ("<a><b/></a>", [1, 4]),
        ("</a>", []),
        ("<a/><", [1, 5]),
        ("<!-- <x> --><a>", [13]),
        ("<!-- x", [1, 6]),  # unterminated: its "<" counts, then the end of the text
        ("<!-- <x> ", [1, 6]),  # a tag after the last "<!": no end of the text
        ("<!--><a>-->", [11]),  # "-->" is looked for after "<!--"
        ("<![CDATA[ <x> ]]><a>", [18]),
        ("<![CDATA[ <x> ", [1, 11]),
        ("<?pi <x> ?><a>", [12]),
        ("<?>?><a>", [6]),
        ("<? <x>", [1, 4]),
        ("<!DOCTYPE r [ <!ELEMENT r ANY> ]><r>", [34]),
        ("<!DOCTYPE r [ ]] ><r>", [19]),
        ("<!DOCTYPE r [ <x>", [1, 15]),
        ("<!doctype r><r>", [1, 13]),  # DOCTYPE is case-sensitive
        ("<a><!-- c -->", [1, 13]),  # a comment after the last tag: the end too
        ("<!-- c --><a>", [11]),
        ("<a>😀<b>€<c>é<!---->", [1, 5, 9, 19]),
    ],
)
def test_each_construct(text, expected):
    assert py_ends(text) == expected
    assert c_ends(text) == expected


@needs_c
@pytest.mark.parametrize("n", [1, 5, 70, 300, 2000])
def test_documents_of_the_positions_tests(n):
    for text in (_doc(n), _doc(n).replace("text", "tëxt €"), _doc(n) + "<!-- end"):
        assert c_ends(text) == py_ends(text)


@needs_c
def test_random_strings_of_markup_pieces():
    rng = random.Random(20261204)
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 16)))
        assert c_ends(text) == py_ends(text), repr(text)
    for _ in range(300):  # longer: past the Python scan's first 16 matches
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(50, 400)))
        assert c_ends(text) == py_ends(text), repr(text)


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30))
def test_any_strings(pieces):
    text = "".join(pieces)
    assert c_ends(text) == py_ends(text)


@needs_c
@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")
def test_every_corpus_file():
    files = sorted(CORPORA.rglob("*.xml"))
    assert files
    for f in files:
        text = f.read_bytes().decode("utf-8", "replace")
        assert c_ends(text) == py_ends(text), f


@needs_c
def test_lazy_and_typed():
    text = "<a>" + "<b/>" * 500_000
    it = c_walk_module().start_tag_ends(text)
    assert iter(it) is it
    assert list(itertools.islice(it, 3)) == [1, 4, 8]
    with pytest.raises(TypeError):
        c_walk_module().start_tag_ends(b"<a>")
    done = c_walk_module().start_tag_ends("<a>")
    assert list(done) == [1]
    assert list(done) == []  # exhausted stays exhausted


@needs_c
def test_positions_use_the_c_scan_unless_python_is_asked(monkeypatch):
    text = _doc(70)
    assert type(positions._scan(text)) is type(c_walk_module().start_tag_ends(text))
    monkeypatch.setenv("TEI_RNG_WALK", "python")
    assert type(positions._scan(text)) is type(_start_tag_ends(text))
    assert list(positions._scan(text)) == py_ends(text)


@needs_c
@pytest.mark.parametrize("n", [5, 300])
def test_positions_agree_with_either_scan(monkeypatch, n):
    src = _doc(n).encode()
    tree = parse_bytes(src, path="t.xml")
    els = list(tree.getroot().iter(etree.Element))
    c_pos = Positions(src, tree)
    c_found = [(c_pos.element(e), c_pos.end(e)) for e in els[::-1]]
    monkeypatch.setenv("TEI_RNG_WALK", "python")
    py_pos = Positions(src, tree)
    assert [(py_pos.element(e), py_pos.end(e)) for e in els[::-1]] == c_found
