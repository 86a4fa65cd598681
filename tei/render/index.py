"""The collection index page (``xslt/index.xsl``), built from one small record per document.

Each document's record (``xslt/record.xsl``: its date, title, summary, archive, languages and,
for a listing, its catalogue entries) is taken when the document is rendered; the index is
made from the records alone, so a build never holds the documents for it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from ..ns import TEI_NS, XML_LANG
from .engine import RenderError, transform, write_output

COLLECTION_NS = "urn:x-tei-archive-edition:collection"


def index_record(tei: etree._Element, href: str, src: str) -> bytes:
    """The index's record of one TEI document (its page ``href``, its file name ``src``)."""
    text = transform("record", index_view(tei), label=src)
    record = etree.fromstring(text.encode("utf-8"))
    record.set("href", href)
    record.set("src", src)
    return etree.tostring(record)


def index_view(tei: etree._Element) -> etree._Element:
    """What xslt/index.xsl reads of a document: the header, the listing catalogue, and the
    languages of the text (the divisions, emptied); not the text itself."""
    if etree.QName(tei).localname != "TEI":
        return etree.Element(tei.tag, nsmap=tei.nsmap)
    keep = etree.Element(tei.tag, dict(tei.attrib), nsmap=tei.nsmap)
    header = tei.find(f"{{{TEI_NS}}}teiHeader")
    if header is not None:
        keep.append(copy.deepcopy(header))
    body = tei.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
    if body is not None:
        text = etree.SubElement(keep, f"{{{TEI_NS}}}text", dict(body.getparent().attrib))
        new_body = etree.SubElement(text, f"{{{TEI_NS}}}body")
        for div in body.iterfind(f"{{{TEI_NS}}}div"):
            if div.get("type") == "listing":
                new_body.append(copy.deepcopy(div))
            else:
                shell = etree.SubElement(new_body, div.tag, dict(div.attrib))
                langs = sorted({v for v in div.xpath(".//@xml:lang")})
                for lang in langs:
                    etree.SubElement(shell, f"{{{TEI_NS}}}seg").set(XML_LANG, lang)
    return keep


class _Row(NamedTuple):
    key: str
    date: str
    title: str
    summary: str
    href: str
    archive: str
    lang: str


_DATE_KEY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ROWS_MARK = "<!--rows-->"


def _file_of(corresp: str) -> str:
    """The TEI file name a listing entry's @corresp points to ('' for none)."""
    return " ".join(corresp.split()).split("#", 1)[0].rsplit("/", 1)[-1]


def index_rows(records: Sequence[bytes]) -> tuple[list[_Row], list[tuple[str, str]]]:
    """The index's rows, sorted (dated first, by date, title, href), and the listings.

    One row per listing entry (entries naming the same page, or with the same title and date,
    are one), linked through its @corresp to the page it names; then one per page no listing
    names. The records are read one at a time; only the rows' strings are kept.
    """
    pages: dict[str, tuple[str, str, str, str]] = {}  # src -> (href, kind, archive, lang)
    listings: list[tuple[str, str]] = []
    entries: list[tuple[str, _Row]] = []  # (file the entry names, row without href/archive)
    docs: list[tuple[str, _Row]] = []
    for data in records:
        r = etree.fromstring(data)
        a = r.attrib
        src, href, kind = a.get("src", ""), a.get("href", ""), a.get("kind", "")
        pages.setdefault(src, (href, kind, a.get("archive", ""), a.get("lang", "")))
        if kind == "listing":
            listings.append((href, a.get("heading", "")))
            for e in r:
                b = e.attrib
                row = _Row(
                    b.get("key", ""), b.get("date", ""), b.get("title", ""),
                    b.get("summary", ""), "", b.get("archive", ""), b.get("lang", ""),
                )  # fmt: skip
                entries.append((_file_of(b.get("corresp", "")), row))
        else:
            title = a.get("title", "") or src
            row = _Row(
                a.get("key", ""), a.get("date", ""), title, a.get("summary", ""), href,
                a.get("archive", ""), a.get("lang", ""),
            )  # fmt: skip
            docs.append((src, row))
    named = {f for f, _ in entries}
    rows: list[_Row] = []
    seen: set[str] = set()
    for file, row in entries:
        page = pages.get(file) if file else None
        group = page[0] if page else f"{row.title}|{row.key}"
        if group in seen:
            continue
        seen.add(group)
        if page:
            _href, kind, archive, lang = page
            if kind != "other":
                row = row._replace(archive=archive, lang=lang)
            row = row._replace(href=page[0])
        rows.append(row)
    rows.extend(row for src, row in docs if src not in named)
    rows.sort(key=lambda x: (x.key == "", x.key, x.title.lower(), x.href))
    return rows, listings


def _text(s: str) -> str:
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\u00a0", "&nbsp;")
    )


def _attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("\u00a0", "&nbsp;")


def row_html(row: _Row, pos: int) -> str:
    """One table row, as xslt/index.xsl wrote it (the edition script sorts and filters them)."""
    search = " ".join((row.date, row.key, row.title, row.archive, row.lang)).lower()
    out = [
        f'<tr data-date="{_attr(row.key)}" data-title="{_attr(row.title.lower())}" '
        f'data-pos="{pos}" data-search="{_attr(search)}"',
        ' class="converted">' if row.href else ">",
        '<td class="date">',
    ]
    if _DATE_KEY.match(row.key):
        out.append(f'<time datetime="{_attr(row.key)}">{_text(row.date or row.key)}</time>')
    else:
        out.append(_text(row.date or "undated"))
    out.append('</td><td class="title">')
    if row.href:
        out.append(f'<a href="{_attr(row.href)}">{_text(row.title or row.href)}</a> ')
        out.append('<span class="converted-mark">edition</span>')
    else:
        out.append(_text(row.title or "Untitled"))
    if row.archive or row.lang:
        out.append('<span class="entry-meta">')
        if row.archive:
            out.append(f'<span class="archive">{_text(row.archive)}</span>')
        if row.archive and row.lang:
            out.append(" · ")
        if row.lang:
            out.append(f'<span class="languages">{_text(row.lang)}</span>')
        out.append("</span>")
    out.append(f'</td><td class="summary">{_text(row.summary)}</td></tr>')
    return "".join(out)


def index_chunks(records: Sequence[bytes], *, title: str = "Collection index") -> Iterator[str]:
    """The index page in pieces, from :func:`index_record` records.

    The page around the table (head, summary, filter box, the listings) comes from
    xslt/index.xsl, given only the counts and the listings; the rows are written here, a few
    hundred at a time, so that the index of a large edition is never held whole.
    """
    rows, listings = index_rows(records)
    shell = etree.Element(
        f"{{{COLLECTION_NS}}}collection",
        {"documents": str(len(rows)), "editions": str(sum(1 for r in rows if r.href))},
        nsmap={"c": COLLECTION_NS},
    )
    for href, heading in listings:
        etree.SubElement(shell, f"{{{COLLECTION_NS}}}listing", href=href, heading=heading)
    params = {"index-title": title, "assets": "assets/"}
    html = transform("index", shell, params, label="index.html")
    if html.startswith("<!DOCTYPE HTML>"):
        html = "<!DOCTYPE html>" + html[len("<!DOCTYPE HTML>") :]
    head, mark, tail = html.partition(ROWS_MARK)
    if not mark:  # pragma: no cover - index.xsl always writes the mark
        raise RenderError("index.xsl wrote no place for the rows", path="index.html")
    yield head
    for start in range(0, len(rows), 500):
        yield "".join(row_html(r, i) for i, r in enumerate(rows[start : start + 500], start + 1))
    yield tail if tail.endswith("\n") else tail + "\n"


def render_index_html(records: Sequence[bytes], *, title: str = "Collection index") -> str:
    """The index page as a string."""
    return "".join(index_chunks(records, title=title))


def render_index(
    records: Sequence[bytes], out_dir: Path, *, title: str = "Collection index"
) -> Path:
    """Write ``out_dir/index.html`` from :func:`index_record` records, piece by piece."""
    target = Path(out_dir) / "index.html"
    write_output(target, (c.encode("utf-8") for c in index_chunks(records, title=title)))
    return target
