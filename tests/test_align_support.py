"""Test-side helpers for the aligner: a simple splitter for raw seed pages and gold loading.

This is deliberately *not* product code. It segments a raw page (metadata header, Russian
transcription, English translation) into blocks the way a careful reader would, so that the
hand-written gold alignments under ``tests/data/align_gold/`` can be keyed by short verbatim
text prefixes instead of the converter's (not yet final) ``xml:id`` values.

Rules: the body starts after the block that follows the ``Contents:`` heading; blocks are
separated by blank lines; the original is every block up to the last one containing Cyrillic,
the translation everything after it (an all-capital word spelt only with Latin letters that look
Cyrillic, such as ``CEKPETAPH``, counts as Cyrillic: it is OCR of the original); tab-separated lines are table rows; lines starting with a
list label (``а)``, ``1.``, ``- a)``) start list items; markdown headings are ``head`` blocks;
letter-less blocks right after the last Cyrillic one (registration numbers) stay original.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from _shared import SHARED

from tei.align.model import AlignBlock, Group

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "data" / "align_gold"
SEEDS = SHARED / "seeds"
PREFIX_CHARS = 40

_CYR = re.compile(r"[А-Яа-яЁё]|\b[ABCEHKMOPTXY]{5,}\b")  # or Cyrillic capitals OCR'd as Latin
_LABEL = re.compile(r"^(?:[-–•]\s+)?(\d{1,3}\.(?!\d)|\d{1,3}\)|[а-яa-z]\))")
_HEADING = re.compile(r"^#{1,6}\s+")


def normalise(text: str) -> str:
    """Strip markdown markup and bullets, collapse whitespace (the key used for gold prefixes)."""
    t = _HEADING.sub("", text.strip())
    t = re.sub(r"</?u>|\*\*|\\(?=[_\[\]*#])", "", t)
    t = re.sub(r"^[-–•]\s+(?=\d{1,3}[.)](?!\d)|[а-яa-z]\))", "", t)
    return re.sub(r"\s+", " ", t).strip()


def key(text: str) -> str:
    return normalise(text)[:PREFIX_CHARS]


@dataclass
class Page:
    name: str
    orig: list[AlignBlock]
    trans: list[AlignBlock]


def _raw_blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", text) if b.strip()]


def _segment(raw: str) -> list[tuple[str, str, str | None]]:
    """One blank-line block -> [(kind, text, label)]."""
    lines = [ln.rstrip() for ln in raw.strip("\n").split("\n") if ln.strip()]
    if lines and all("\t" in ln for ln in lines):
        return [
            ("row", " ".join(c.strip() for c in ln.split("\t") if c.strip()), None) for ln in lines
        ]
    if _HEADING.match(lines[0]) and len(lines) == 1:
        t = normalise(lines[0])
        m = _LABEL.match(t)
        return [("head", t, m.group(1) if m else None)]
    segs: list[list[str]] = []
    labels: list[str | None] = []
    for ln in lines:
        m = _LABEL.match(ln.strip())
        if m or not segs:
            segs.append([ln.strip()])
            labels.append(m.group(1) if m else None)
        else:
            segs[-1].append(ln.strip())
    if not any(labels):
        return [("p", normalise(" ".join(lines)), None)]
    return [
        ("item" if lab else "p", normalise(" ".join(s)), lab)
        for s, lab in zip(segs, labels, strict=True)
    ]


def split_page(path: Path) -> Page:
    """Segment a raw seed-style page into original and translation blocks."""
    text = path.read_text(encoding="utf-8")
    blocks = _raw_blocks(text)
    start = next(i for i, b in enumerate(blocks) if re.search(r"Contents:", b)) + 2
    body = blocks[start:]
    last_cyr = max(i for i, b in enumerate(body) if _CYR.search(b))
    while last_cyr + 1 < len(body) and not re.search(r"[^\W\d_]", body[last_cyr + 1]):
        last_cyr += 1  # letter-less lines (registration numbers) still belong to the original
    out: dict[str, list[AlignBlock]] = {"o": [], "t": []}
    for i, raw in enumerate(body):
        side = "o" if i <= last_cyr else "t"
        for kind, t, label in _segment(raw):
            n = len(out[side]) + 1
            out[side].append(AlignBlock(f"{side}{n}", t, kind, label))
    return Page(path.stem, out["o"], out["t"])


def _match(prefixes: list[str], blocks: list[AlignBlock], used: set[str], where: str) -> list[str]:
    ids = []
    for p in prefixes:
        pn = normalise(p)
        hit = next(
            (
                b.id
                for b in blocks
                if b.id not in used
                and key(b.text).startswith(pn)
                or b.id not in used
                and normalise(b.text).startswith(pn)
            ),
            None,
        )
        if hit is None:
            raise AssertionError(f"{where}: gold prefix {p!r} matches no unused block")
        used.add(hit)
        ids.append(hit)
    return ids


def load_gold(gold_path: Path, page: Page) -> list[Group]:
    """Map a gold JSON (groups of text prefixes) onto the page's blocks; check full coverage."""
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    used_o: set[str] = set()
    used_t: set[str] = set()
    groups = []
    for g in data["groups"]:
        o = _match(g.get("orig", []), page.orig, used_o, gold_path.name)
        t = _match(g.get("trans", []), page.trans, used_t, gold_path.name)
        groups.append(Group(tuple(o), tuple(t), 1.0))
    missing = [b.id for b in page.orig if b.id not in used_o]
    missing += [b.id for b in page.trans if b.id not in used_t]
    if missing:
        raise AssertionError(f"{gold_path.name}: blocks not covered by gold: {missing}")
    return groups


def gold_pages() -> list[tuple[Page, list[Group], str]]:
    """(page, gold groups, set name) for every gold file whose raw page is available."""
    out = []
    for gp in sorted(GOLD_DIR.glob("*.json")) + sorted((GOLD_DIR / "heldout").glob("*.json")):
        data = json.loads(gp.read_text(encoding="utf-8"))
        src = (gp.parent / data["source"]) if data.get("heldout") else seed_source(data["source"])
        if not src.exists():
            continue
        page = split_page(src)
        out.append((page, load_gold(gp, page), "heldout" if data.get("heldout") else "seed"))
    return out


# --------------------------------------------------------------------------- converter output
#
# The gold above is keyed to the test splitter's blocks. What users get is the converter's
# segmentation, so the gold is carried over onto the converter's blocks (``xml:id``) as follows:
#
# 1. Both segmentations cover the same text in the same order. Per side, the word tokens of the
#    splitter blocks and of the converter blocks (as the aligner reads them,
#    :func:`tei.align.tei_io.read_pieces`) are aligned with ``difflib`` (an omission marker
#    ``[...]`` is one token). A splitter block *lies in* a converter block when at least half
#    of its tokens land there, or when at least half of the converter block's tokens come
#    from it (the converter split a splitter block).
# 2. Each gold group becomes the converter blocks its splitter blocks lie in. Gold groups that
#    end up sharing a converter block are merged (the converter joined blocks the gold kept in
#    different groups: e.g. a paragraph that absorbs the next list item across a page break
#    turns 1:1 + 1:1 into 1:2; see test_merged_gold_groups).
# 3. A splitter block found in no converter block of its side but verbatim in a converter block
#    of the *other* side (the converter put it in the other division, e.g. h2's "Secret") stays
#    in its group on that side: it can then only be left unaligned, which is what the pair
#    scoring expects of it.
# 4. Splitter blocks without letters that the converter did not make blocks (folio and page
#    numbers it turned into ``fw``/``pb``: 000 "334-338", 003 "63", "- 38 -", 004 "170"), and
#    page markers such as "Page 14" or "[page 15]", leave the gold; any other lost block is an
#    error.
# 5. ``converter_overrides`` in a gold file replaces the auto-mapped groups wherever the
#    converter *rebuilt* content rather than re-segmenting it (000: the OCR-noise translation
#    table, two noise blocks in the raw text, is rebuilt into eight rows). The override groups
#    are keyed by prefixes of the converter's block texts and must cover every block of the
#    groups they replace.
#
# Every converter block must end up in exactly one gold group.

EXAMPLES = HERE.parent / "examples"
_GAP_RX = re.compile(r"\[\s*(?:\.\s*){3}\]|\[…\]")
_TOK = re.compile(r"[^\W_]+")


@dataclass
class ConvertedPage:
    """A page as the converter produces it: blocks per aligned piece, and the mapped gold."""

    name: str
    pieces: list[tuple[list[AlignBlock], list[AlignBlock]]]
    gold: list[Group]
    dropped: list[str]

    @property
    def orig(self) -> list[AlignBlock]:
        return [b for o, _ in self.pieces for b in o]

    @property
    def trans(self) -> list[AlignBlock]:
        return [b for _, t in self.pieces for b in t]

    def align(self, system) -> list[Group]:
        """Run ``system(orig, trans) -> groups`` on each piece, as ``align_tree`` does."""
        return [g for o, t in self.pieces for g in system(o, t)]


def seed_source(name: str) -> Path:
    """A seed page: the repository's ``examples/`` copy, else the shared one."""
    return EXAMPLES / name if (EXAMPLES / name).exists() else SEEDS / name


def convert_page(path: Path):
    """The TEI the converter writes for ``path`` (``tei convert --no-align``), as a root."""
    from tei.converters import read_page
    from tei.pipeline import ConvertOptions, to_tree
    from tei.xmlsafe import read_input

    model = read_page(read_input(path), str(path))
    return to_tree(model, ConvertOptions(align=False)).getroot()


def _tokens(text: str) -> list[str]:
    return _TOK.findall(_GAP_RX.sub(" gapmark ", text).lower())


def _lie_in(split: list[AlignBlock], conv: list[AlignBlock]) -> dict[str, list[str]]:
    """Splitter block id -> ids of the converter blocks it lies in (rule 1)."""
    import difflib

    fs = [(t, b.id) for b in split for t in _tokens(b.text)]
    fc = [(t, b.id) for b in conv for t in _tokens(b.text)]
    sm = difflib.SequenceMatcher(None, [t for t, _ in fs], [t for t, _ in fc], autojunk=False)
    overlap: dict[tuple[str, str], int] = {}
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            key = (fs[a + k][1], fc[b + k][1])
            overlap[key] = overlap.get(key, 0) + 1
    ns = {b.id: len(_tokens(b.text)) for b in split}
    nc = {b.id: len(_tokens(b.text)) for b in conv}
    out: dict[str, list[str]] = {b.id: [] for b in split}
    for b in conv:
        for s in split:
            n = overlap.get((s.id, b.id), 0)
            if n and (2 * n >= ns[s.id] or 2 * n >= nc[b.id]):
                out[s.id].append(b.id)
    return out


def _prefix_ids(prefixes: list[str], blocks: list[AlignBlock], where: str) -> list[str]:
    ids = []
    for p in prefixes:
        hit = next(
            (
                b.id
                for b in blocks
                if b.id not in ids and normalise(b.text).startswith(normalise(p))
            ),
            None,
        )
        if hit is None:
            raise AssertionError(f"{where}: override prefix {p!r} matches no converter block")
        ids.append(hit)
    return ids


def map_gold(gold_path: Path, page: Page, conv: ConvertedPage) -> ConvertedPage:
    """Carry the gold of ``gold_path`` (keyed to the splitter's ``page``) onto ``conv``."""
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    gold = load_gold(gold_path, page)
    co, ct = conv.orig, conv.trans
    where_o, where_t = _lie_in(page.orig, co), _lie_in(page.trans, ct)
    side_of = {b.id: "o" for b in co} | {b.id: "t" for b in ct}
    used = {i for v in (*where_o.values(), *where_t.values()) for i in v}
    # rule 3: blocks the converter put in the other division
    spare = [b for b in co + ct if b.id not in used]
    for where, blocks in ((where_o, page.orig), (where_t, page.trans)):
        for b in blocks:
            if not where[b.id]:
                hit = next((c for c in spare if _tokens(c.text) == _tokens(b.text)), None)
                if hit is not None:
                    where[b.id] = [hit.id]
                    spare.remove(hit)
    dropped = []
    for where, blocks in ((where_o, page.orig), (where_t, page.trans)):
        for b in blocks:
            if not where[b.id]:
                # rule 4 covers letter-less furniture and page markers ("Page 14", "[page 15]")
                page_marker = re.fullmatch(r"\[?\s*(?:page|p\.)\s*\d+\s*\]?", b.text.strip(), re.I)
                if re.search(r"[^\W\d_]", b.text) and not page_marker:
                    raise AssertionError(
                        f"{gold_path.name}: {b.text[:40]!r} is in no converter block"
                    )
                dropped.append(b.text)
    # rule 2, with union-find over groups sharing a converter block
    sets = []
    for g in gold:
        ids = {c for s in g.orig for c in where_o[s]} | {c for s in g.trans for c in where_t[s]}
        sets.append(ids)
    parent = list(range(len(sets)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[str, int] = {}
    for k, ids in enumerate(sets):
        for c in ids:
            if c in owner:
                parent[find(k)] = find(owner[c])
            else:
                owner[c] = k
    merged: dict[int, set[str]] = {}
    for k, ids in enumerate(sets):
        merged.setdefault(find(k), set()).update(ids)
    groups = [ids for _, ids in sorted(merged.items()) if ids]
    # rule 5: rebuilt content
    ov = data.get("converter_overrides")
    if ov:
        new = [
            (
                set(_prefix_ids(g.get("orig", []), co, gold_path.name))
                | set(_prefix_ids(g.get("trans", []), ct, gold_path.name))
            )
            for g in ov["groups"]
        ]
        covered = set().union(*new)
        replaced = [g for g in groups if g & covered]
        if not set().union(*replaced) <= covered:
            raise AssertionError(
                f"{gold_path.name}: overrides leave blocks of the groups they "
                f"replace: {sorted(set().union(*replaced) - covered)}"
            )
        groups = [g for g in groups if not g & covered] + new
    order = {b.id: k for k, b in enumerate(co + ct)}
    out = []
    for ids in sorted(groups, key=lambda g: min(order[i] for i in g)):
        o = tuple(sorted((i for i in ids if side_of[i] == "o"), key=order.get))
        t = tuple(sorted((i for i in ids if side_of[i] == "t"), key=order.get))
        out.append(Group(o, t, 1.0))
    seen = [i for g in out for i in (*g.orig, *g.trans)]
    missing = sorted(set(order) - set(seen))
    if missing or len(seen) != len(set(seen)):
        raise AssertionError(
            f"{gold_path.name}: converter blocks not covered exactly once: {missing}"
        )
    conv.gold = out
    conv.dropped = dropped
    return conv


def converted_pages() -> list[tuple[ConvertedPage, str]]:
    """(converter page with mapped gold, set name) for every gold file with its raw page."""
    from tei.align.tei_io import read_pieces

    out = []
    for gp in sorted(GOLD_DIR.glob("*.json")) + sorted((GOLD_DIR / "heldout").glob("*.json")):
        data = json.loads(gp.read_text(encoding="utf-8"))
        held = bool(data.get("heldout"))
        src = (gp.parent / data["source"]) if held else seed_source(data["source"])
        if not src.exists():
            continue
        _, _, pieces, _ = read_pieces(convert_page(src), str(src))
        conv = ConvertedPage(src.stem, pieces, [], [])
        out.append((map_gold(gp, split_page(src), conv), "heldout" if held else "seed"))
    return out


# --------------------------------------------------------------------------- tests of the helper
def test_gold_covers_every_block() -> None:
    import pytest

    pages = gold_pages()
    if not any(s == "seed" for _, _, s in pages):
        pytest.skip("seed pages not available")
    assert {p.name[:3] for p, _, s in pages if s == "seed"} >= {"000", "003", "004"}
    for page, groups, _ in pages:
        ids = [i for g in groups for i in g.orig] + [i for g in groups for i in g.trans]
        assert len(ids) == len(set(ids)) == len(page.orig) + len(page.trans)
