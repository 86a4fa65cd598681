"""Read alignable blocks from a TEI tree and write the alignment back as stand-off links.

Input contract: ``text/body//div[@type='original'][@xml:lang]`` and
``div[@type='translation'][@xml:lang]``. Without an ``original`` division (third-party files
such as IOSPE), a ``translation`` division in Russian (else the first one) is the original side
and another ``translation`` division in a different language the translation side.

Blocks: p, head, ab, l, item, row, block-level note, closer, signed, opener, dateline, salute,
byline, trailer, label-less quote paragraphs...; list, table, lg, quote, div, floatingText are
containers whose blocks are aligned. A block with blocks inside it (a note with paragraphs, an
item with a nested list) contributes only its own text, except that a nested block *without*
``xml:id`` inside a block *with* one (the converter's ``closer/signed``) is part of its parent:
a document whose blocks carry ids has marked its alignable units. Empty blocks are skipped;
a block holding only a ``gap`` (the converter's ``ab[@type='omission']`` for a translator's
``[...]``) is not empty: it reads ``[...]`` and is aligned as an omission marker. The
converter's own ``note[@type='conversion']`` (a remark about the conversion, in neither text)
is not a block. Blocks without ``xml:id`` get deterministic ids ``al-{lang}-{kind}{n}`` (never
clobbering existing ids). If both divisions have the same sequence of ``div[@n]`` sub-sections
(IOSPE ``textpart``), each pair of sub-sections is aligned separately.

Block text: ``lb``/``pb``/``cell`` boundaries are spaces (``lb[@break='no']`` joins the word);
what an editor or translator added rather than transcribed (any inline element with ``@resp``
such as ``supplied``/``gloss``/``expan``/``foreign``/``space``, ``label[@type='editorial']``,
``stamp[@rend='described']``, ``gap``; a whole block with ``@resp`` such as the converter's
``note[@type='editorial']``) is put in square brackets, the raw pages' convention
that the length signal discounts (:func:`tei.align.signals.content_length`). A list item's
label is its own ``label`` child or the ``label`` sibling right before it (TEI glossed lists).

Output: ``TEI/standOff/linkGrp[@type='translation']`` (replacing a previous one; ``standOff`` is
a sibling of ``teiHeader``/``text``, placed after ``text``). Encoding, valid against tei_all
4.10.2 (RELAX NG and its Schematron):

* every group with both sides is ``<link type="aligned" subtype="2:1" cert="0.93"
  target="#o3 #o4 #t2"/>`` - original ids first, then translation ids;
* a one-sided group is ``<ptr type="unaligned" subtype="original" cert="0.81" target="#o5"/>``
  (``subtype="translation"`` for a 0:1 group): TEI's Schematron requires at least two targets on
  ``link``, and ``linkGrp`` content is ``(link | ptr)+``, so every block still sits in exactly
  one member of the group;
* confidence: ``@cert`` holds the group's posterior probability with three decimals. In TEI
  4.10 ``@cert`` is ``teidata.probCert``: a number in [0, 1] *or* high/medium/low/unknown, so
  the numeric score is valid there and no separate attribute is needed;
* ``linkGrp/@domains`` points at the two divisions when they have ``xml:id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ..errors import ConversionError
from ..ns import TEI_NS, XML_ID, XML_LANG
from .dp import Aligner
from .model import AlignBlock, AlignmentResult, Group
from .signals import extract_label

NS = {"t": TEI_NS}

BLOCKS = frozenset(
    {
        "p",
        "head",
        "ab",
        "l",
        "item",
        "row",
        "note",
        "closer",
        "signed",
        "opener",
        "dateline",
        "salute",
        "byline",
        "trailer",
        "postscript",
        "docAuthor",
        "argument",
        "epigraph",
        "castItem",
        "stage",
        "u",
    }
)
CONTAINERS = frozenset(
    {
        "div",
        "list",
        "table",
        "lg",
        "quote",
        "floatingText",
        "body",
        "group",
        "cit",
        "figure",
        "listBibl",
        "sp",
        "castList",
        "castGroup",
        "spGrp",
    }
)
# children of a block that are blocks in their own right (aligned separately, not part of its text)
NESTED = frozenset(
    {
        "list",
        "table",
        "lg",
        "floatingText",
        "p",
        "ab",
        "signed",
        "dateline",
        "salute",
        "closer",
        "opener",
        "byline",
        "postscript",
    }
)
SKIP = frozenset({"note", "figDesc", "fw"})  # inline content left out of a block's text
SPACED = frozenset({"lb", "pb", "cb", "cell"})
LINKGRP_TYPE = "translation"


_TEI_PREFIX = f"{{{TEI_NS}}}"
_LABEL_TAG = f"{{{TEI_NS}}}label"


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _is_tei(el: etree._Element) -> bool:
    tag = el.tag
    return isinstance(tag, str) and tag.startswith(_TEI_PREFIX)


def _editorial(el: etree._Element) -> bool:
    """An editor's or translator's addition rather than transcribed text."""
    name = _local(el)
    return (
        el.get("resp") is not None
        or (name == "label" and el.get("type") == "editorial")
        or (name == "stamp" and el.get("rend") == "described")
    )


def _folded(el: etree._Element, parent: etree._Element) -> bool:
    """A nested block without id inside a block with one is part of its parent's text."""
    return el.get(XML_ID) is None and parent.get(XML_ID) is not None


def _own_text(el: etree._Element) -> str:
    """Text of a block without nested blocks and inline notes (see the module docstring)."""
    parts: list[str] = [el.text or ""]
    for c in el:
        name = _local(c)
        if isinstance(c.tag, str) and _is_tei(c) and name == "gap":
            parts.append(" [...] ")
        elif isinstance(c.tag, str) and not (
            _is_tei(c) and (name in SKIP or (name in NESTED and not _folded(c, el)))
        ):
            spaced = name in SPACED and c.get("break") != "no"
            inner = _own_text(c)
            if _is_tei(c) and _editorial(c) and inner.strip():
                inner = f" [{inner.strip()}] "
            elif name in NESTED:
                inner = f" {inner} "
            parts.append(f" {inner} " if spaced else inner)
        parts.append(c.tail or "")
    return "".join(parts)


_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _label_of(el: etree._Element, text: str) -> str | None:
    lab = next((c for c in el if c.tag == _LABEL_TAG), None)
    if lab is None and _local(el) == "item":
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):  # comments, PIs
            prev = prev.getprevious()
        if prev is not None and _is_tei(prev) and _local(prev) == "label":
            lab = prev  # a glossed list: <label>а)</label><item>...</item>
    if lab is not None and _norm("".join(lab.itertext())):
        return _norm("".join(lab.itertext()))
    if _local(el) == "item" and el.get("n"):
        return el.get("n")
    return extract_label(text)


def iter_block_elements(
    div: etree._Element | list[etree._Element],
) -> Iterator[etree._Element]:
    """Block elements of a division (or a list of elements) in document order.

    Containers are descended; a block is yielded before the blocks nested in it.
    """
    for c in div:
        if not _is_tei(c):
            continue
        name = _local(c)
        if name in BLOCKS:
            if name == "note" and c.get("type") == "conversion":
                continue  # the converter's remark about its own work: in neither text
            yield c
            nested = [
                sub for sub in c if _is_tei(sub) and _local(sub) in NESTED and not _folded(sub, c)
            ]
            # blocks nested in a block (a note's paragraphs, an item's sub-list) follow it
            yield from iter_block_elements(nested)
        elif name in CONTAINERS:
            yield from iter_block_elements(c)


def _find_divisions(root: etree._Element, path: str) -> tuple[etree._Element, etree._Element]:
    body = root.find("t:text/t:body", NS)
    if body is None:
        body = root.find(".//t:text//t:body", NS)
    if body is None:
        raise ConversionError("no text/body: nothing to align", path=path)

    def outermost(xpath: str) -> list[etree._Element]:
        found = body.xpath(xpath, namespaces=NS)
        return [d for d in found if not any(a in found for a in d.iterancestors())]

    origs = outermost(".//t:div[@type='original']")
    trans = outermost(".//t:div[@type='translation']")
    if origs and trans:
        o = origs[0]
        olang = o.get(XML_LANG)
        t = next((d for d in trans if d.get(XML_LANG) != olang), trans[0])
        return o, t
    if len(trans) >= 2:
        langs = [d.get(XML_LANG) for d in trans]
        oi = langs.index("ru") if "ru" in langs else 0
        o = trans[oi]
        t = next((d for d in trans if d is not o and d.get(XML_LANG) != o.get(XML_LANG)), None)
        if t is not None:
            return o, t
    raise ConversionError(
        "no original/translation divisions to align (expected div[@type='original'] and "
        "div[@type='translation'], or two div[@type='translation'] in different languages)",
        path=path,
    )


class _Ids:
    """Deterministic id generation that never reuses an id present in the document."""

    def __init__(self, root: etree._Element) -> None:
        self.taken = {v for v in root.xpath("//@xml:id")}
        self.counters: dict[str, int] = {}
        self.generated: list[str] = []

    def ensure(self, el: etree._Element, lang: str) -> str:
        got = el.get(XML_ID)
        if got:
            return got
        stem = f"al-{re.sub(r'[^A-Za-z0-9-]', '', lang) or 'x'}-{_local(el)}"
        while True:
            k = self.counters.get(stem, 0) + 1
            self.counters[stem] = k
            cand = f"{stem}{k}"
            if cand not in self.taken:
                break
        el.set(XML_ID, cand)
        self.taken.add(cand)
        self.generated.append(cand)
        return cand


def read_blocks(div: etree._Element, lang: str, ids: _Ids) -> list[AlignBlock]:
    """Alignable blocks of one division (empty blocks skipped, missing ids generated)."""
    out = []
    for el in iter_block_elements(div):
        text = _norm(_own_text(el))
        if not text:
            continue
        if _editorial(el) and not text.startswith("["):
            text = f"[{text}]"  # the whole block is the editor's/translator's addition
        out.append(AlignBlock(ids.ensure(el, lang), text, _local(el), _label_of(el, text)))
    return out


def _sections(div: etree._Element) -> list[tuple[str, etree._Element]]:
    return [(d.get("n") or "", d) for d in div if _is_tei(d) and _local(d) == "div"]


def align_tree(
    tree: etree._ElementTree | etree._Element, aligner: Aligner | None = None, path: str = "<tree>"
) -> AlignmentResult:
    """Align the original and translation divisions of a TEI tree and write the links back.

    The tree is modified in place (ids generated where missing, the ``linkGrp`` replaced).
    Raises :class:`~tei.errors.ConversionError` when there is nothing to align.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    _refuse_duplicate_ids(root, path)
    odiv, tdiv, pieces, ids = read_pieces(root, path)
    aligner = aligner or Aligner()
    groups: list[Group] = []
    orig: list[AlignBlock] = []
    trans: list[AlignBlock] = []
    for po, pt in pieces:
        groups.extend(aligner.align(po, pt))
        orig.extend(po)
        trans.extend(pt)
    write_links(root, groups, odiv, tdiv)
    return AlignmentResult(
        groups,
        orig,
        trans,
        odiv.get(XML_LANG) or "orig",
        tdiv.get(XML_LANG) or "trans",
        ids.generated,
    )


def _refuse_duplicate_ids(root: etree._Element, path: str) -> None:
    """Links to an id that names two blocks would be ambiguous: refuse such a document."""
    seen: set[str] = set()
    for el in root.iter(etree.Element):
        value = el.get(XML_ID)
        if value is None:
            continue
        if value in seen:
            raise ConversionError(
                f'duplicate xml:id "{value}" (line {el.sourceline}); fix the ids before aligning',
                path=path,
            )
        seen.add(value)


Pieces = list[tuple[list[AlignBlock], list[AlignBlock]]]


def read_pieces(
    root: etree._Element,
    path: str = "<tree>",
) -> tuple[etree._Element, etree._Element, Pieces, _Ids]:
    """The two divisions and the (original blocks, translation blocks) pairs to align.

    One pair per matching ``div[@n]`` sub-section (plus one for anything outside them), else a
    single pair. Missing block ids are generated on the tree (``ids.generated``).
    """
    if _local(root) != "TEI" or not _is_tei(root):
        raise ConversionError(f"root element is not TEI ({TEI_NS})", path=path)
    odiv, tdiv = _find_divisions(root, path)
    olang = odiv.get(XML_LANG) or "orig"
    tlang = tdiv.get(XML_LANG) or "trans"
    ids = _Ids(root)
    so, st = _sections(odiv), _sections(tdiv)
    pieces: Pieces = []
    if so and st and [n for n, _ in so] == [n for n, _ in st] and all(n for n, _ in so):
        for (_, a), (_, b) in zip(so, st, strict=True):
            pieces.append((read_blocks(a, olang, ids), read_blocks(b, tlang, ids)))
        # anything outside the sub-sections is aligned on its own
        rest_o = [b for b in read_blocks(odiv, olang, ids) if not any(b in p[0] for p in pieces)]
        rest_t = [b for b in read_blocks(tdiv, tlang, ids) if not any(b in p[1] for p in pieces)]
        if rest_o or rest_t:
            pieces.insert(0, (rest_o, rest_t))
    else:
        pieces.append((read_blocks(odiv, olang, ids), read_blocks(tdiv, tlang, ids)))
    return odiv, tdiv, pieces, ids


def _indent_of(el: etree._Element) -> str:
    prev = el.getprevious()
    tail = (
        (prev.tail if prev is not None else el.getparent().text)
        if el.getparent() is not None
        else None
    )
    if tail and "\n" in tail:
        return tail[tail.rfind("\n") + 1 :]
    return ""


def write_links(
    root: etree._Element,
    groups: list[Group],
    odiv: etree._Element | None = None,
    tdiv: etree._Element | None = None,
) -> etree._Element | None:
    """Replace ``standOff/linkGrp[@type='translation']`` with one member per group."""
    for old in root.xpath("t:standOff/t:linkGrp[@type=$t]", namespaces=NS, t=LINKGRP_TYPE):
        so = old.getparent()
        _remove(old)
        if not len(so) and so.get(XML_ID) is None:
            _remove(so)
    if not groups:
        return None
    standoff = root.find("t:standOff", NS)
    if standoff is None:
        standoff = etree.SubElement(root, f"{{{TEI_NS}}}standOff")
        prev = standoff.getprevious()
        step = _indent_of(root.find("t:text", NS)) if root.find("t:text", NS) is not None else ""
        if prev is not None:
            standoff.tail = prev.tail if prev.tail is not None else "\n"
            prev.tail = "\n" + step
        standoff.text = "\n" + step * 2
    else:
        step = _indent_of(standoff)
    inner = "\n" + step * 3
    grp = etree.SubElement(standoff, f"{{{TEI_NS}}}linkGrp")
    grp.set("type", LINKGRP_TYPE)
    if odiv is not None and tdiv is not None and odiv.get(XML_ID) and tdiv.get(XML_ID):
        grp.set("domains", f"#{odiv.get(XML_ID)} #{tdiv.get(XML_ID)}")
    grp.text = inner
    last = None
    for g in groups:
        if g.orig and g.trans:
            el = etree.SubElement(grp, f"{{{TEI_NS}}}link")
            el.set("type", "aligned")
            el.set("subtype", g.shape)
        else:
            el = etree.SubElement(grp, f"{{{TEI_NS}}}ptr")
            el.set("type", "unaligned")
            el.set("subtype", "original" if g.orig else "translation")
        el.set("cert", f"{max(0.0, min(1.0, g.score)):.3f}")
        el.set("target", " ".join(f"#{i}" for i in (*g.orig, *g.trans)))
        el.tail = inner
        last = el
    if last is not None:
        last.tail = "\n" + step * 2
    prev = grp.getprevious()
    if prev is not None:
        prev.tail = "\n" + step * 2
    grp.tail = "\n" + step
    return grp


def _remove(el: etree._Element) -> None:
    """Remove ``el`` keeping the whitespace layout of its siblings stable."""
    parent = el.getparent()
    prev = el.getprevious()
    if prev is not None:
        prev.tail = el.tail
    else:
        parent.text = el.tail
    parent.remove(el)
