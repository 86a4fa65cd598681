"""The collection index page (``xslt/index.xsl``) built from every rendered document."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ..ns import TEI_NS, XML_LANG
from .engine import transform, write_output

COLLECTION_NS = "urn:x-tei-archive-edition:collection"


def collection_tree(docs: Sequence[tuple[str, str, etree._Element]]) -> etree._Element:
    """Wrap ``(page href, TEI file name, TEI root)`` triples into one document for Saxon."""
    root = etree.Element(f"{{{COLLECTION_NS}}}collection", nsmap={"c": COLLECTION_NS})
    for href, src, tei in docs:
        doc = etree.SubElement(root, f"{{{COLLECTION_NS}}}doc", href=href, src=src)
        doc.append(_copy(tei))
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


def _copy(tei: etree._Element) -> etree._Element:
    """A copy of the TEI root (the caller's tree is left untouched)."""
    return copy.deepcopy(tei)  # no re-parse: duplicate xml:ids must not make this fail


def render_index_html(
    docs: Sequence[tuple[str, str, etree._Element]], *, title: str = "Collection index"
) -> str:
    """The index page as a string."""
    html = transform(
        "index",
        collection_tree(docs),
        {"index-title": title, "assets": "assets/"},
        label="index.html",
    )
    if html.startswith("<!DOCTYPE HTML>"):
        html = "<!DOCTYPE html>" + html[len("<!DOCTYPE HTML>") :]
    return html if html.endswith("\n") else html + "\n"


def render_index(
    docs: Sequence[tuple[str, str, etree._Element]],
    out_dir: Path,
    *,
    title: str = "Collection index",
) -> Path:
    """Write ``out_dir/index.html``; ``docs`` are ``(page href, TEI file name, TEI root)``."""
    target = Path(out_dir) / "index.html"
    write_output(target, render_index_html(docs, title=title).encode("utf-8"))
    return target
