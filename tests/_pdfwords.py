"""Word boxes of a PDF (``pdftotext -bbox``, poppler) and the layout checks made with them.

Poppler is the oracle: it reads the glyph positions WeasyPrint wrote, independent of our CSS.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PDFTOTEXT = shutil.which("pdftotext")
MM = 72 / 25.4
#: print.css: A4, margins 22 mm top, 18 mm left/right, 20 mm bottom
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = 18 * MM, PAGE_W - 18 * MM
TOP, BOTTOM = 22 * MM, PAGE_H - 20 * MM
MID = (LEFT + RIGHT) / 2
SLACK = 0.6  # points: rounding of glyph boxes

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def __str__(self) -> str:
        return f"p{self.page} {self.text!r} x {self.x0:.0f}-{self.x1:.0f} y {self.y0:.0f}"


def words(pdf: Path) -> list[list[Word]]:
    """The words of every page, in poppler's reading order."""
    out = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        [
            Word(n, float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD.findall(body)
        ]
        for n, body in enumerate(_PAGE.findall(out), 1)
    ]


def outside_text_area(pages: list[list[Word]]) -> list[Word]:
    """Words of the page body (not the running head or folio) past the left or right margin."""
    return [
        w
        for page in pages
        for w in page
        if w.y0 >= TOP - SLACK
        and w.y1 <= BOTTOM + SLACK
        and (w.x0 < LEFT - SLACK or w.x1 > RIGHT + SLACK)
    ]


def overlapping(pages: list[list[Word]]) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other (boxes intersecting by more than a sliver)."""
    found = []
    for page in pages:
        ordered = sorted(page, key=lambda w: w.x0)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.x0 >= a.x1 - 1:
                    break
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dy > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0):
                    found.append((a, b))
    return found


def parallel_region(pages: list[list[Word]], left_head: str, right_head: str) -> list[Word]:
    """The words of the parallel rows: after the column heads, before the notes or facsimile.

    Lines of smaller type at the foot of a page, below every body-size line, are the page's
    footnotes, which span the text width, and are left out.
    """
    region: list[Word] = []
    started = False
    for page in pages:
        body = [w for w in page if w.y0 >= TOP - SLACK and w.y1 <= BOTTOM + SLACK]
        if not started:
            heads = [w for w in body if w.text == left_head and w.x0 < MID]
            partner = [
                w
                for w in body
                for h in heads
                if w.text == right_head and w.x0 > MID and abs(w.y0 - h.y0) < 1
            ]
            if not partner:
                continue
            started = True
            body = [w for w in body if w.y0 > partner[0].y1]
        ends = [w.y0 for w in body if w.text in ("NOTES", "FACSIMILE") and w.x0 < LEFT + 2]
        if ends:
            body = [w for w in body if w.y0 < min(ends)]
        big = [w.y1 for w in body if w.y1 - w.y0 >= 10]
        floor = max(big, default=BOTTOM)
        region.extend(w for w in body if w.y0 < floor)
        if ends:
            break
    return region


def crossing_the_gutter(region: list[Word]) -> list[Word]:
    """Words of the parallel rows that reach from one column into the other."""
    return [w for w in region if w.x0 < MID - SLACK and w.x1 > MID + SLACK]


def _squash(name: str) -> str:
    """A font name as PDF and fontconfig both spell it: ``DejaVu-Serif-Bold`` (WeasyPrint's
    BaseFont, less the subset tag) and ``DejaVuSerif-Bold`` (PostScript name) alike."""
    return re.sub(r"[^a-z0-9]", "", name.split("+", 1)[-1].lower())


def unprinted_characters(pdf: Path) -> dict[str, int]:
    """Characters of the PDF's text that none of the fonts it embeds has a glyph for (they
    print as empty boxes), with their counts.

    The oracle is outside our code: poppler reads the text and the names of the embedded
    fonts; fontconfig names the installed file of each; fontTools reads that file's cmap.
    """
    from fontTools.ttLib import TTFont

    fonts = subprocess.run(
        [shutil.which("pdffonts") or "pdffonts", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()[2:]
    embedded = {_squash(line.split()[0]) for line in fonts if line.strip()}
    listing = subprocess.run(
        ["fc-list", "-f", "%{postscriptname}\t%{file}\t%{index}\n"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    covered: set[int] = set()
    found = set()
    for line in listing.splitlines():
        ps, file, index = (line.split("\t") + ["", "", "0"])[:3]
        if _squash(ps) in embedded and _squash(ps) not in found:
            found.add(_squash(ps))
            font = TTFont(file, fontNumber=int(index or 0), lazy=True)
            covered.update(font.getBestCmap() or {})
            font.close()
    missing = embedded - found
    assert not missing, f"{pdf.name}: embedded fonts fontconfig does not know: {missing}"
    text = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isspace() and ord(ch) not in covered:
            counts[ch] = counts.get(ch, 0) + 1
    return counts
