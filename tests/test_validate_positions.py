"""Positions: start tags found by the scan of the source, and element paths."""

from __future__ import annotations

import pytest
from lxml import etree

from tei.validate.positions import Positions, element_path
from tei.xmlsafe import parse_bytes


def _doc(n: int) -> str:
    """A document whose elements are numbered (``k="..."``), with every kind of markup the
    scan must step over between them: comments, CDATA, PIs, end tags, a DOCTYPE subset."""
    parts = [
        '<?xml version="1.0"?>\n<!DOCTYPE r [ <!ELEMENT r ANY> <!-- <x> --> ]>\n',
        '<!-- <not> a tag -->\n<r k="0">',
    ]
    for k in range(1, n):
        extra = ["<!-- <c/> -->", "<![CDATA[ <d> ]]>", "<?pi <e> ?>", "text &amp; more", ""][k % 5]
        close = "</e>" * (k % 3 == 0)
        attr = ' a=">"' if k % 7 == 0 else ""
        parts.append(
            f'{extra}\n  <e{attr}\n k="{k}">' if k % 4 == 0 else f'{extra}<e k="{k}"{attr}>'
        )
        parts.append(close)
    parts.append("</e>" * (n - 1 - sum(1 for k in range(1, n) if k % 3 == 0)) + "</r>\n")
    return "".join(parts)


@pytest.mark.parametrize("n", [1, 5, 70, 300])
def test_every_start_tag_is_found_where_it_stands(n):
    src = _doc(n)
    tree = parse_bytes(src.encode(), path="t.xml")
    els = list(tree.getroot().iter(etree.Element))
    assert len(els) == n
    # in a scattered order, as findings come
    order = els[::-1] if n % 2 else els[n // 2 :] + els[: n // 2]
    pos = Positions(src.encode(), tree)
    for el in order:
        k = el.get("k")
        at = src.index(f'k="{k}"')
        off = src.rindex("<", 0, at)
        line = src.count("\n", 0, off) + 1
        col = off - src.rfind("\n", 0, off)
        assert pos.element(el) == (line, col), k


def test_paths_shared_between_findings_are_the_same_as_alone():
    src = "<r><a/><b><a/><a><c/><c/></a></b><b><a><c/></a></b></r>"
    tree = parse_bytes(src.encode(), path="t.xml")
    pos = Positions(src.encode(), tree)
    els = list(tree.getroot().iter(etree.Element))
    for el in reversed(els):
        assert pos.path(el) == element_path(el)
    assert element_path(els[-1]) == "/r/b[2]/a[1]/c[1]"
    assert pos.path(els[6]) == "/r/b[1]/a[2]/c[2]"


def test_every_end_tag_is_found_where_it_stands():
    # nested elements named apart (e0, e1, ...), some empty, some ending with a comment or PI
    out: list[str] = []
    counter = iter(range(10_000))

    def build(depth: int) -> None:
        k = next(counter)
        if depth > 3 or k % 5 == 4:
            out.append(f"<e{k}/>")
            return
        out.append(f"<e{k}>")
        for _ in range(1 + k % 3):
            build(depth + 1)
        out.append(["", "<!-- <x/> -->", "<?pi <y/> ?>", "\n"][k % 4] + f"</e{k}\n>")

    build(0)
    src = "\n".join(out)
    tree = parse_bytes(src.encode(), path="t.xml")
    pos = Positions(src.encode(), tree)
    for el in tree.getroot().iter(etree.Element):
        name = el.tag
        off = src.find(f"</{name}\n>")
        if off < 0:
            off = src.index(f"<{name}/>")
        assert pos.end(el) == (src.count("\n", 0, off) + 1, off - src.rfind("\n", 0, off)), name


@pytest.mark.parametrize(
    "text",
    [
        "<a/>",
        "<a><!-- x <b> --></a>",
        "<a><!-- unterminated <b></a>",
        "<?pi x<y?><a><![CDATA[<z>]]><b/></a>",
        "<!DOCTYPE a [<!ELEMENT a ANY>]><a><b/><?x <c>?><d/></a>",
        "<a><b/><c/><!-- <x/> --></a>\n<!-- <y/> -->\n",
        "<a><!----><b/></a>",
    ],
)
def test_start_tags_are_the_markup_scans(text):
    """The start-tag scan (a fast path after the last comment, CDATA, PI or DOCTYPE) finds
    the "<" that the markup scan (positions._MARKUP) takes for start tags."""
    from tei.validate.positions import _MARKUP, _start_tag_ends

    want = [m.start() for m in _MARKUP.finditer(text) if m.group() == "<"]
    assert [e - 1 for e in _start_tag_ends(text) if e != len(text)] == want


@pytest.mark.parametrize("n", [5, 300])
def test_wanted_tags_are_found_as_any_other(n):
    """want() changes how tags are paired, not where they are found: for the wanted and the
    other elements alike, asked for in a scattered order."""
    src = _doc(n)
    tree = parse_bytes(src.encode(), path="t.xml")
    els = list(tree.getroot().iter(etree.Element))
    plain = Positions(src.encode(), tree)
    picked = Positions(src.encode(), tree)
    picked.want(els[::7], ends=els[1::11])
    for el in els[::-3] + els[1::3] + els[2::3]:
        assert picked.element(el) == plain.element(el)
        assert picked.end(el) == plain.end(el)


@pytest.mark.parametrize("seed", range(5))
def test_lines_and_columns_in_any_order_and_after_a_line_lookup(seed):
    """Offsets asked in a random order, some twice, before and after ``text_at`` built its
    table of line starts (or past the number of offsets kept), give what counting the line
    breaks gives."""
    import random

    rnd = random.Random(seed)
    src = "".join(rnd.choice(["a", "é", "\n", "\n\n", "𝔗"]) for _ in range(3000))
    tree = parse_bytes(b"<r/>", path="t.xml")
    pos = Positions(src, tree)
    offsets = [rnd.randrange(len(src)) for _ in range(1500 if seed % 2 else 200)]
    offsets += offsets[:50] + [0, len(src) - 1]
    rnd.shuffle(offsets)
    for i, off in enumerate(offsets):
        if i == 150 and seed == 0:
            pos.text_at(3)
        want = (src.count("\n", 0, off) + 1, off - src.rfind("\n", 0, off))
        assert pos._linecol(off) == want, off
