"""The collection index page (``xslt/index.xsl``), built from one small record per document.

Each document's record (``xslt/record.xsl``: its date, title, summary, archive, languages and,
for a listing, its catalogue entries) is taken when the document is rendered; the index is
made from the records alone, so a build never holds the documents for it.
"""

from __future__ import annotations

import copy
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from ..ns import TEI_NS, XML_LANG
from .engine import RenderError, transform, write_output

COLLECTION_NS = "urn:x-tei-archive-edition:collection"


def index_record(
    tei: etree._Element, href: str, src: str, *, tei_href: str = "", pdf_href: str = ""
) -> bytes:
    """The index's record of one TEI document: its page ``href``, its file name ``src`` and
    the links to its TEI file and its PDF (relative to the index, when there are such)."""
    text = transform("record", index_view(tei), label=src)
    record = etree.fromstring(text.encode("utf-8"))
    record.set("href", href)
    record.set("src", src)
    if tei_href:
        record.set("tei", tei_href)
    if pdf_href:
        record.set("pdf", pdf_href)
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
    tei: str = ""  # the page's TEI file
    pdf: str = ""  # the page's PDF


_DATE_KEY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ROWS_MARK = "<!--rows-->"


def _file_of(corresp: str) -> str:
    """The TEI file name a listing entry's @corresp points to ('' for none)."""
    return " ".join(corresp.split()).split("#", 1)[0].rsplit("/", 1)[-1]


class IndexStore:
    """The index's records on disk (SQLite), so that the index of a large edition is made
    without holding its records: rows are joined, deduplicated and sorted by SQLite, which
    keeps a few MiB of cache and spills the rest to its temporary files.

    ``path=None`` keeps the store in memory (a handful of pages). Strings compare as in
    Python (SQLite's BINARY collation on UTF-8 is code-point order), ties keep input order,
    so the rows come out exactly as a sort of the whole list in Python would give them.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.db = sqlite3.connect(":memory:" if path is None else str(path))
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;
            PRAGMA temp_store = FILE;
            CREATE TABLE pages (src TEXT PRIMARY KEY, href, kind, archive, lang, tei, pdf);
            CREATE TABLE listings (seq INTEGER PRIMARY KEY, href, heading);
            CREATE TABLE entries (seq INTEGER PRIMARY KEY, file, key, date, title, tlow,
                                  summary, archive, lang);
            CREATE TABLE docs (seq INTEGER PRIMARY KEY, src, key, date, title, tlow, summary,
                               href, archive, lang, tei, pdf);
            """
        )
        self.db.execute("BEGIN")

    def add(self, data: bytes) -> None:
        """One :func:`index_record` record."""
        r = etree.fromstring(data)
        a = r.attrib
        src, href, kind = a.get("src", ""), a.get("href", ""), a.get("kind", "")
        tei, pdf = a.get("tei", ""), a.get("pdf", "")
        db = self.db
        db.execute(
            "INSERT OR IGNORE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
            (src, href, kind, a.get("archive", ""), a.get("lang", ""), tei, pdf),
        )
        if kind == "listing":
            db.execute("INSERT INTO listings VALUES (NULL, ?, ?)", (href, a.get("heading", "")))
            for e in r:
                b = e.attrib
                title = b.get("title", "")
                db.execute(
                    "INSERT INTO entries VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        _file_of(b.get("corresp", "")), b.get("key", ""), b.get("date", ""),
                        title, title.lower(), b.get("summary", ""), b.get("archive", ""),
                        b.get("lang", ""),
                    ),
                )  # fmt: skip
        else:
            title = a.get("title", "") or src
            db.execute(
                "INSERT INTO docs VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    src, a.get("key", ""), a.get("date", ""), title, title.lower(),
                    a.get("summary", ""), href, a.get("archive", ""), a.get("lang", ""), tei, pdf,
                ),
            )  # fmt: skip

    # One row per listing entry (entries naming the same page, or with the same title and
    # date, are one: the first), linked through its @corresp to the page it names; then one
    # per page no listing names; dated first, by date, title, href, then input order.
    _ROWS = """
        WITH named AS (
          SELECT e.*, p.src AS psrc, p.href AS phref, p.kind AS pkind, p.archive AS parchive,
                 p.lang AS plang, p.tei AS ptei, p.pdf AS ppdf,
                 CASE WHEN p.src IS NULL THEN e.title || '|' || e.key ELSE p.href END AS grp
          FROM entries e LEFT JOIN pages p ON e.file <> '' AND p.src = e.file
        ),
        firsts AS (SELECT MIN(seq) AS seq FROM named GROUP BY grp),
        rows AS (
          SELECT 0 AS part, n.seq, n.key, n.date, n.title, n.tlow, n.summary,
                 COALESCE(n.phref, '') AS href,
                 CASE WHEN n.psrc IS NOT NULL AND n.pkind <> 'other' THEN n.parchive
                      ELSE n.archive END AS archive,
                 CASE WHEN n.psrc IS NOT NULL AND n.pkind <> 'other' THEN n.plang
                      ELSE n.lang END AS lang,
                 COALESCE(n.ptei, '') AS tei, COALESCE(n.ppdf, '') AS pdf
          FROM named n JOIN firsts f ON f.seq = n.seq
          UNION ALL
          SELECT 1, d.seq, d.key, d.date, d.title, d.tlow, d.summary, d.href, d.archive,
                 d.lang, d.tei, d.pdf
          FROM docs d WHERE d.src NOT IN (SELECT file FROM entries)
        )
    """

    def counts(self) -> tuple[int, int]:
        """(rows, rows that link to a page of the edition)."""
        n, linked = self.db.execute(
            self._ROWS + "SELECT COUNT(*), COALESCE(SUM(href <> ''), 0) FROM rows"
        ).fetchone()
        return int(n), int(linked)

    def rows(self) -> Iterator[_Row]:
        """The rows in index order, one at a time."""
        query = self._ROWS + (
            "SELECT key, date, title, summary, href, archive, lang, tei, pdf FROM rows "
            "ORDER BY key = '', key, tlow, href, part, seq"
        )
        for values in self.db.execute(query):
            yield _Row(*values)

    def listings(self) -> list[tuple[str, str]]:
        """(href, heading) of each listing page, in input order."""
        return self.db.execute("SELECT href, heading FROM listings ORDER BY seq").fetchall()

    def close(self) -> None:
        self.db.close()


def index_rows(records: Iterable[bytes]) -> tuple[list[_Row], list[tuple[str, str]]]:
    """The index's rows, sorted (dated first, by date, title, href), and the listings (see
    :class:`IndexStore`)."""
    store = _store_of(records)
    try:
        return list(store.rows()), store.listings()
    finally:
        store.close()


def _store_of(records: Iterable[bytes]) -> IndexStore:
    store = IndexStore()
    for data in records:
        store.add(data)
    return store


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
        files = [
            f'<a class="{cls}" href="{_attr(link)}" type="{mime}">{name}</a>'
            for cls, link, mime, name in (
                ("source-link", row.tei, "application/tei+xml", "TEI"),
                ("pdf-link", row.pdf, "application/pdf", "PDF"),
            )
            if link
        ]
        if files:
            out.append(f'<span class="doc-files"> {" · ".join(files)}</span>')
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


def index_chunks(
    records: Iterable[bytes] | IndexStore, *, title: str = "Collection index"
) -> Iterator[str]:
    """The index page in pieces, from :func:`index_record` records (or a store of them).

    The page around the table (head, summary, filter box, the listings) comes from
    xslt/index.xsl, given only the counts and the listings; the rows are written here, a few
    hundred at a time, so that the index of a large edition is never held whole.
    """
    store = records if isinstance(records, IndexStore) else _store_of(records)
    try:
        n, linked = store.counts()
        shell = etree.Element(
            f"{{{COLLECTION_NS}}}collection",
            {"documents": str(n), "editions": str(linked)},
            nsmap={"c": COLLECTION_NS},
        )
        for href, heading in store.listings():
            etree.SubElement(shell, f"{{{COLLECTION_NS}}}listing", href=href, heading=heading)
        params = {"index-title": title, "assets": "assets/"}
        html = transform("index", shell, params, label="index.html")
        if html.startswith("<!DOCTYPE HTML>"):
            html = "<!DOCTYPE html>" + html[len("<!DOCTYPE HTML>") :]
        head, mark, tail = html.partition(ROWS_MARK)
        if not mark:  # pragma: no cover - index.xsl always writes the mark
            raise RenderError("index.xsl wrote no place for the rows", path="index.html")
        yield head
        batch: list[str] = []
        for pos, row in enumerate(store.rows(), 1):
            batch.append(row_html(row, pos))
            if len(batch) == 500:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)
        yield tail if tail.endswith("\n") else tail + "\n"
    finally:
        if store is not records:
            store.close()


def render_index_html(
    records: Iterable[bytes] | IndexStore, *, title: str = "Collection index"
) -> str:
    """The index page as a string."""
    return "".join(index_chunks(records, title=title))


def render_index(
    records: Iterable[bytes] | IndexStore, out_dir: Path, *, title: str = "Collection index"
) -> Path:
    """Write ``out_dir/index.html`` from :func:`index_record` records, piece by piece."""
    target = Path(out_dir) / "index.html"
    write_output(target, (c.encode("utf-8") for c in index_chunks(records, title=title)))
    return target
