"""The collection index page (``xslt/index.xsl``), built from one small record per document.

Each document's record (``xslt/record.xsl``: its date, title, summary, archive, languages and,
for a listing, its catalogue entries) is taken when the document is rendered; the index is
made from the records alone, so a build never holds the documents for it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ..ns import TEI_NS, XML_LANG
from .engine import transform, write_output

COLLECTION_NS = "urn:x-tei-archive-edition:collection"


def index_record(tei: etree._Element, href: str, src: str) -> bytes:
    """The index's record of one TEI document (its page ``href``, its file name ``src``)."""
    text = transform("record", index_view(tei), label=src)
    record = etree.fromstring(text.encode("utf-8"))
    record.set("href", href)
    record.set("src", src)
    return etree.tostring(record)


def collection_tree(records: Sequence[bytes]) -> etree._Element:
    """The records, in order, wrapped into one document for Saxon."""
    root = etree.Element(f"{{{COLLECTION_NS}}}collection", nsmap={"c": COLLECTION_NS})
    for data in records:
        root.append(etree.fromstring(data))
    return root


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


def render_index_html(records: Sequence[bytes], *, title: str = "Collection index") -> str:
    """The index page as a string, from :func:`index_record` records."""
    html = transform(
        "index",
        collection_tree(records),
        {"index-title": title, "assets": "assets/"},
        label="index.html",
    )
    if html.startswith("<!DOCTYPE HTML>"):
        html = "<!DOCTYPE html>" + html[len("<!DOCTYPE HTML>") :]
    return html if html.endswith("\n") else html + "\n"


def render_index(
    records: Sequence[bytes], out_dir: Path, *, title: str = "Collection index"
) -> Path:
    """Write ``out_dir/index.html`` from :func:`index_record` records."""
    target = Path(out_dir) / "index.html"
    write_output(target, render_index_html(records, title=title).encode("utf-8"))
    return target
