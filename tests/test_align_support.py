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

from tei.align.model import AlignBlock, Group

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "data" / "align_gold"
SHARED = Path(__file__).resolve().parents[2] / "shared"
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
        return [("row", " ".join(c.strip() for c in ln.split("\t") if c.strip()), None)
                for ln in lines]
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
    return [("item" if lab else "p", normalise(" ".join(s)), lab) for s, lab in zip(segs, labels, strict=True)]


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
        hit = next((b.id for b in blocks if b.id not in used and key(b.text).startswith(pn)
                    or b.id not in used and normalise(b.text).startswith(pn)), None)
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
        src = (gp.parent / data["source"]) if data.get("heldout") else SEEDS / data["source"]
        if not src.exists():
            continue
        page = split_page(src)
        out.append((page, load_gold(gp, page), "heldout" if data.get("heldout") else "seed"))
    return out


# --------------------------------------------------------------------------- tests of the helper
def test_gold_covers_every_block() -> None:
    import pytest

    if not SEEDS.exists():
        pytest.skip("shared seeds not available")
    pages = gold_pages()
    assert {p.name[:3] for p, _, s in pages if s == "seed"} >= {"000", "003", "004"}
    for page, groups, _ in pages:
        ids = [i for g in groups for i in g.orig] + [i for g in groups for i in g.trans]
        assert len(ids) == len(set(ids)) == len(page.orig) + len(page.trans)
