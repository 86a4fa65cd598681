"""The one TEI writer: document model -> TEI P5 (lxml tree), deterministic."""

from __future__ import annotations

from lxml import etree

from . import __version__
from .languages import code_for_name
from .model import (
    Abbreviation,
    Addition,
    Block,
    Division,
    Document,
    EditorialNote,
    Foreign,
    Gap,
    Gloss,
    Heading,
    Highlight,
    Inline,
    LineBreak,
    ListBlock,
    Listing,
    NoteBlock,
    NoteRef,
    PageBlock,
    PageBreak,
    Paragraph,
    Sic,
    Signature,
    Space,
    Stamp,
    Supplied,
    Table,
    Text,
    Unclear,
)
from .ns import TEI_NS, XML_ID, XML_LANG

APP_IDENT = "tei-archive-edition"


def E(tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> etree._Element:
    return _fill(etree.Element(f"{{{TEI_NS}}}{tag}", nsmap={None: TEI_NS}), attrib, text)


def sub(
    parent: etree._Element,
    tag: str,
    attrib: dict[str, str | None] | None = None,
    text: str | None = None,
) -> etree._Element:
    return _fill(etree.SubElement(parent, f"{{{TEI_NS}}}{tag}"), attrib, text)


def _fill(
    el: etree._Element, attrib: dict[str, str] | dict[str, str | None] | None, text: str | None
) -> etree._Element:
    """Set the attributes that have a value (None means absent) and the text."""
    for k, v in (attrib or {}).items():
        if v is not None:
            el.set(k, v)
    if text is not None:
        el.text = text
    return el


def _append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    # parent[-1] is found from the end in constant time; len(parent) walks every child, which
    # made a paragraph of many inline elements (thousands of dates) quadratic to write.
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


class _Writer:
    """Holds id counters and note numbering while one document is written."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.term_counter = 0
        self.prefix = ""

    # -------------------------------------------------------------- inlines

    def inlines(self, parent: etree._Element, nodes: list[Inline]) -> None:
        for n in nodes:
            self.inline(parent, n)

    def inline(self, parent: etree._Element, n: Inline) -> None:  # noqa: C901 - a dispatch table
        if isinstance(n, Text):
            _append_text(parent, n.text)
        elif isinstance(n, LineBreak):
            sub(
                parent,
                "lb",
                {"break": "no" if n.joined else None, "rend": "hyphen" if n.hyphen else None},
            )
        elif isinstance(n, PageBreak):
            sub(
                parent,
                "pb",
                {
                    "n": n.n,
                    "facs": f"#{n.facs}" if n.facs else None,
                    "break": "no" if n.joined else None,
                },
            )
            if n.folio_line:
                sub(parent, "fw", {"type": "folio"}, n.folio_line)
            if n.page_number:
                sub(parent, "fw", {"type": "pageNum"}, n.page_number)
        elif isinstance(n, Sic):
            sub(parent, "sic", {}, n.text)
        elif isinstance(n, Space):
            sp = sub(
                parent,
                "space",
                {
                    "quantity": str(n.extent) if n.extent else None,
                    "unit": "chars" if n.extent else None,
                    "resp": "#translator" if n.description else None,
                },
            )
            if n.description:
                sub(sp, "desc", {}, n.description)
        elif isinstance(n, Gap):
            sub(
                parent,
                "gap",
                {"reason": n.reason, "resp": "#translator" if n.reason == "omitted" else None},
            )
        elif isinstance(n, Supplied):
            el = sub(parent, "supplied", {"reason": "clarity", "resp": "#translator"})
            self.inlines(el, n.content)
        elif isinstance(n, Gloss):
            self.term_counter += 1
            tid = f"{self.prefix}term{self.term_counter}"
            sub(parent, "term", {XML_ID: tid}, n.term)
            _append_text(parent, " ")
            sub(parent, "gloss", {"target": f"#{tid}", "resp": "#translator"}, n.gloss)
        elif isinstance(n, Foreign):
            sub(parent, "foreign", {XML_LANG: n.lang, "resp": "#translator"}, n.term)
        elif isinstance(n, Abbreviation):
            ch = sub(parent, "choice")
            sub(ch, "abbr", {}, n.abbr)
            sub(ch, "expan", {"resp": "#translator"}, n.expansion)
        elif isinstance(n, Addition):
            if n.description:
                sub(parent, "label", {"type": "editorial"}, n.description)
                _append_text(parent, ": ")
            el = sub(
                parent,
                "add",
                {"place": n.place or "unspecified", "hand": f"#{n.hand}" if n.hand else None},
            )
            self.inlines(el, n.content)
        elif isinstance(n, EditorialNote):
            self.note(parent, {}, n.kind, n.place, n.label, n.content)
        elif isinstance(n, Stamp):
            el = sub(parent, "stamp", {"type": n.kind})
            if n.description:
                _append_text(el, n.description)
                el.set("rend", "described")
            self.inlines(el, n.content)
        elif isinstance(n, Signature):
            # TEI allows <signed> only in closers (and similar); elsewhere a typed seg.
            in_closer = etree.QName(parent).localname in ("closer", "opener", "salute")
            el = sub(
                parent, "signed" if in_closer else "seg", {} if in_closer else {"type": "signed"}
            )
            if n.mark:
                sub(el, "label", {"type": "editorial"}, n.mark)
                _append_text(el, " " if n.content else "")
            self.inlines(el, n.content)
        elif isinstance(n, NoteRef):
            sub(
                parent,
                "ref",
                {"type": "noteAnchor", "n": n.n, "target": f"#{self.prefix}fn{n.n}"},
                n.marker or n.n,
            )
        elif isinstance(n, Highlight):
            el = sub(parent, "hi", {"rend": n.rend})
            self.inlines(el, n.content)
        elif isinstance(n, Unclear):
            sub(parent, "unclear", {"reason": n.reason}, n.text)
        else:  # pragma: no cover - the model is closed
            raise TypeError(f"unknown inline {type(n).__name__}")

    def note(
        self,
        parent: etree._Element,
        attrs: dict[str, str | None],
        kind: str,
        place: str | None,
        label: str | None,
        content: list[Inline],
    ) -> None:
        """A note, inline or between blocks: ``label: content``; editorial notes are the
        translator's."""
        resp = "#translator" if kind == "editorial" else None
        el = sub(parent, "note", {**attrs, "type": kind, "place": place, "resp": resp})
        if label:
            sub(el, "label", {}, label)
            _append_text(el, ": ")
        self.inlines(el, content)

    # -------------------------------------------------------------- blocks

    def block(self, parent: etree._Element, b: Block, bid: str) -> None:
        if isinstance(b, Paragraph):
            el = sub(parent, b.kind, {XML_ID: bid, "type": b.type})
            self.inlines(el, b.content)
        elif isinstance(b, Heading):
            el = sub(
                parent, "head", {XML_ID: bid, "type": f"level{b.level}" if b.level != 1 else None}
            )
            self.inlines(el, b.content)
        elif isinstance(b, ListBlock):
            lst = sub(
                parent,
                "list",
                {XML_ID: bid, "type": "ordered" if any(i.label for i in b.items) else None},
            )
            for k, item in enumerate(b.items, 1):
                if item.label:
                    sub(lst, "label", {}, item.label)
                it = sub(lst, "item", {XML_ID: f"{bid}.{k}"})
                self.inlines(it, item.content)
        elif isinstance(b, Table):
            tab = sub(parent, "table", {XML_ID: bid, "rows": str(len(b.rows))})
            for k, row in enumerate(b.rows, 1):
                r = sub(tab, "row", {XML_ID: f"{bid}.{k}"})
                for cell in row.cells:
                    c = sub(r, "cell")
                    self.inlines(c, cell.content)
            if b.note:
                sub(
                    parent,
                    "note",
                    {"type": "conversion", "target": f"#{bid}", "resp": f"#{APP_IDENT}"},
                    b.note,
                )
        elif isinstance(b, PageBlock):
            if b.facs or b.n:
                sub(parent, "pb", {"n": b.n, "facs": f"#{b.facs}" if b.facs else None})
            if b.folio_line:
                sub(parent, "fw", {"type": "folio"}, b.folio_line)
            if b.page_number:
                sub(parent, "fw", {"type": "pageNum"}, b.page_number)
        elif isinstance(b, NoteBlock):
            self.note(parent, {XML_ID: bid, "n": b.n}, b.kind, b.place, b.label, b.content)
        else:  # pragma: no cover
            raise TypeError(f"unknown block {type(b).__name__}")

    def division(self, body: etree._Element, div: Division) -> None:
        prefix = "o" if div.role == "original" else "t"
        self.prefix = f"{prefix}-"
        d = sub(body, "div", {"type": div.role, XML_LANG: div.lang, XML_ID: div.role})
        target = d  # a heading after content opens a section: TEI allows head only at a div's start
        k = 0
        sections = 0
        closers = _closer_positions(div.blocks)
        for i, b in enumerate(div.blocks):
            if isinstance(b, PageBlock):
                self.block(target, b, "")
                continue
            k += 1
            if isinstance(b, Heading) and _has_content(target):
                sections += 1
                target = sub(d, "div", {"type": "section", XML_ID: f"{prefix}s{sections}"})
            if (
                isinstance(b, Paragraph)
                and b.kind == "closer"
                and (
                    i not in closers
                    or (target is d and any(isinstance(x, Heading) for x in div.blocks[i + 1 :]))
                )
            ):
                b = Paragraph(content=b.content, kind="p", type=b.type)  # TEI: closer ends a div
            self.block(target, b, f"{prefix}{k}")

    def notes(self, back: etree._Element, div: Division) -> None:
        """Endnotes of a division go to ``back``, pointing at their division."""
        prefix = "o" if div.role == "original" else "t"
        self.prefix = f"{prefix}-"
        if div.notes:
            nd = sub(back, "div", {"type": "notes", "corresp": f"#{div.role}"})
            if div.notes_head:
                sub(nd, "head", {}, div.notes_head)
            for note in div.notes:
                el = sub(
                    nd,
                    "note",
                    {
                        XML_ID: f"{self.prefix}fn{note.n}",
                        "n": note.n,
                        "place": "end",
                        "type": "endnote",
                    },
                )
                sub(el, "label", {}, note.n)
                _append_text(el, " ")
                self.inlines(el, note.content)


def _has_labelled_addition(nodes: list[Inline]) -> bool:
    """A closer cannot hold the ``label`` an addition's description becomes."""
    return any(isinstance(n, Addition) and n.description for n in nodes)


def _closer_positions(blocks: list[Block]) -> set[int]:
    """Closers that may stay closers: TEI allows only closers, notes and milestones after one
    until the end of its division (or section)."""
    ok: set[int] = set()
    tail_ok = True
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if isinstance(b, Heading):
            tail_ok = True
        elif isinstance(b, (PageBlock, NoteBlock)):
            continue
        elif (
            isinstance(b, Paragraph)
            and b.kind == "closer"
            and not _has_labelled_addition(b.content)
        ):
            if tail_ok:
                ok.add(i)
        else:
            tail_ok = False
    # ... and a division needs some ordinary content before its closer.
    has_common = False
    for i, b in enumerate(blocks):
        if isinstance(b, Heading):
            has_common = False
        elif i in ok:
            if not has_common:
                ok.discard(i)  # written as a p, which is ordinary content
                has_common = True
        elif not isinstance(b, (PageBlock, NoteBlock)):
            has_common = True
    return ok


def _has_content(div: etree._Element) -> bool:
    """True once a div holds anything but milestones (pb, fw, lb) and notes."""
    skip = {f"{{{TEI_NS}}}{t}" for t in ("pb", "fw", "lb", "milestone")}
    return any(child.tag not in skip for child in div)


# ------------------------------------------------------------------ header


def _header(doc: Document) -> etree._Element:
    m = doc.meta
    header = E("teiHeader")
    fd = sub(header, "fileDesc")
    ts = sub(fd, "titleStmt")
    sub(ts, "title", {}, m.title or doc.source_name.rsplit("/", 1)[-1])
    for author in m.authors:
        sub(ts, "author", {}, author)
    for credit in m.credits:
        funder = credit
        for lead in (
            "This document was made possible with support from ",
            "Made possible with support from ",
        ):
            if credit.startswith(lead):
                funder = credit[len(lead) :]
        sub(ts, "funder", {}, funder.rstrip("."))
    roles_seen: dict[str, int] = {}
    for p in m.people:
        rs = sub(ts, "respStmt")
        sub(rs, "resp", {}, p.role)
        key = "translator" if p.role == "translated by" else p.role.split()[0]
        roles_seen[key] = roles_seen.get(key, 0) + 1
        pid = key if roles_seen[key] == 1 else f"{key}{roles_seen[key]}"
        sub(rs, "persName", {XML_ID: pid}, p.name)
    if not any(p.role == "translated by" for p in m.people) and any(
        d.role == "translation" for d in doc.divisions
    ):
        rs = sub(ts, "respStmt")
        sub(rs, "resp", {}, "translated by")
        sub(rs, "name", {XML_ID: "translator"}, "unnamed translator")
    rs = sub(ts, "respStmt")
    sub(rs, "resp", {}, "converted to TEI by")
    sub(rs, "name", {XML_ID: APP_IDENT}, f"{APP_IDENT} {__version__}")
    ps = sub(fd, "publicationStmt")
    sub(ps, "publisher", {}, m.publisher or "unpublished conversion")
    if m.url:
        sub(ps, "idno", {"type": "URI"}, m.url)
    if m.doc_number:
        sub(ps, "idno", {"type": "document"}, m.doc_number)
    if m.record_id:
        sub(ps, "idno", {"type": "record"}, m.record_id)
    if m.rights:
        av = sub(ps, "availability")
        sub(av, "licence", {}, m.rights)
    if m.uploaded:
        sub(ps, "date", {"type": "uploaded", "when": m.uploaded_iso}, m.uploaded)
    if m.contents or m.listed_in or m.credits or m.chrome or m.header_notes:
        ns = sub(fd, "notesStmt")
        for credit in m.credits:
            sub(ns, "note", {"type": "credits"}, credit)
        for kind, text in m.header_notes:
            sub(ns, "note", {"type": kind}, text)
        if m.chrome:
            sub(
                ns,
                "note",
                {"type": "site-chrome"},
                "Site text copied with the page, not part of the document: " + " | ".join(m.chrome),
            )
        if m.contents:
            sub(ns, "note", {"type": "contents"}, "Page contents: " + "; ".join(m.contents) + ".")
        for target in m.listed_in:
            sub(ns, "relatedItem", {"type": "listing", "target": target})
    sd = sub(fd, "sourceDesc")
    if m.citation:
        sub(sd, "bibl", {"type": "citation"}, m.citation)
    for key, value in sorted(m.extra.items()):
        sub(sd, "bibl", {"type": key}, value)
    for pub in m.published_in:
        sub(sd, "bibl", {"type": "first-published"}, pub)
    ms = sub(sd, "msDesc")
    mi = sub(ms, "msIdentifier")
    a = m.archive
    if a and a.repository:
        sub(mi, "repository", {}, a.repository)
    if a:
        for typ, val in (
            ("fond", a.fond),
            ("opis", a.opis),
            ("delo", a.delo),
            ("folio", a.folios),
            ("shelfmark", a.shelfmark),
        ):
            if val:
                sub(mi, "idno", {"type": typ}, val)
        sub(mi, "altIdentifier").append(E("idno", {"type": "archival-reference"}, a.text))
    if not len(mi):
        sub(mi, "idno", {"type": "source-file"}, doc.source_name.rsplit("/", 1)[-1])
    contents = sub(ms, "msContents")
    if m.summary:
        sub(contents, "summary", {}, m.summary)
    orig_div = next((d for d in doc.divisions if d.role == "original"), None)
    main_lang = orig_div.lang if orig_div else code_for_name(m.original_language)
    if orig_div or m.original_language:
        text_lang = m.original_language or (orig_div.lang_name if orig_div else None)
        sub(contents, "textLang", {"mainLang": main_lang or "und"}, text_lang)
    if not len(contents):
        contents.getparent().remove(contents)
    if m.date_iso or m.date_text:
        hist = sub(ms, "history")
        origin = sub(hist, "origin")
        sub(origin, "origDate", {"when": m.date_iso}, m.date_text)
    ed = sub(header, "encodingDesc")
    app_info = sub(ed, "appInfo")
    app = sub(app_info, "application", {"ident": APP_IDENT, "version": __version__})
    sub(app, "label", {}, "tei convert")
    edit = sub(ed, "editorialDecl")
    sub(
        edit,
        "p",
        {},
        "Converted from a raw-text archive page. Editorial brackets of the translation are "
        "encoded as markup (see the project's docs/encoding.md); no word of the source is dropped.",
    )
    for note in doc.conversion_notes:
        sub(edit, "p", {}, f"Conversion: {note}.")
    pd = sub(header, "profileDesc")
    if m.summary:
        ab = sub(pd, "abstract")
        sub(ab, "p", {}, m.summary)
    if m.date_iso or m.date_text:
        cr = sub(pd, "creation")
        sub(cr, "date", {"when": m.date_iso}, m.date_text)
    hands = sorted(
        {
            n.hand
            for div in doc.divisions
            for n in _all_inlines(div)
            if isinstance(n, Addition) and n.hand
        }
    )
    if hands:
        hn = sub(pd, "handNotes")
        for hand in hands:
            sub(hn, "handNote", {XML_ID: hand}, f"Additions the translator reports as {hand}.")
    lu = sub(pd, "langUsage")
    langs: dict[str, str] = {}
    for div in doc.divisions:
        langs.setdefault(div.lang, div.lang_name or div.lang)
    if any(isinstance(n, Foreign) for div in doc.divisions for n in _all_inlines(div)):
        langs.setdefault("ru-Latn", "Russian in Latin transliteration")
    if "en" not in langs:
        langs["en"] = "English"
    for ident, name in langs.items():
        sub(lu, "language", {"ident": ident}, name)
    stated = code_for_name(m.original_language)
    if stated and stated not in langs:
        sub(
            lu,
            "language",
            {"ident": stated, "usage": "0"},
            f"{m.original_language} "
            "(the language of the original document, which this page does not transcribe)",
        )
    if m.doc_type:
        tc = sub(pd, "textClass")
        kw = sub(tc, "keywords", {"scheme": "#document-type"})
        sub(kw, "term", {"type": "documentType"}, m.doc_type)
    return header


def _all_inlines(div: Division):
    def walk(nodes):
        for n in nodes:
            yield n
            inner = getattr(n, "content", None)
            if isinstance(inner, list):
                yield from walk(inner)

    for b in div.blocks:
        if isinstance(b, (Paragraph, Heading, NoteBlock)):
            yield from walk(b.content)
        elif isinstance(b, ListBlock):
            for it in b.items:
                yield from walk(it.content)
        elif isinstance(b, Table):
            for r in b.rows:
                for c in r.cells:
                    yield from walk(c.content)


def document_to_tei(doc: Document) -> etree._ElementTree:
    """Build the TEI tree for a converted document page."""
    root = E("TEI", {XML_LANG: "en"})
    root.append(_header(doc))
    if doc.surfaces:
        fac = sub(root, "facsimile")
        for s in doc.surfaces:
            surf = sub(fac, "surface", {XML_ID: s.id, "n": s.n, "corresp": s.canvas})
            size = s.width and s.height
            sub(
                surf,
                "graphic",
                {
                    "url": s.url,
                    "width": f"{s.width}px" if size else None,
                    "height": f"{s.height}px" if size else None,
                },
            )
    text = sub(root, "text")
    body = sub(text, "body")
    w = _Writer(doc)
    for div in doc.divisions:
        w.division(body, div)
    if any(div.notes for div in doc.divisions):
        back = sub(text, "back")
        for div in doc.divisions:
            w.notes(back, div)
    if doc.links:
        so = sub(root, "standOff")
        lg = sub(so, "linkGrp", {"type": "translation"})
        for orig, trans, _score in doc.links:
            sub(lg, "link", {"target": " ".join(f"#{x}" for x in orig + trans)})
    return etree.ElementTree(root)


def listing_title(listing: Listing) -> str:
    """The listing's title: the collection's, else the page heading with the range shown."""
    if listing.title:
        return listing.title
    statement = (listing.range_text or "").lower()
    generic = "Search results" if "result" in statement else "Collection listing"
    title = listing.heading or generic
    if listing.range_start is not None and listing.total is not None:
        title += f" ({listing.range_start} - {listing.range_end} of {listing.total})"
    elif listing.total is not None:
        title += f" ({listing.total} in all)"
    return title


def _listing_source(sd: etree._Element, listing: Listing) -> None:
    """sourceDesc: the page as a bibl, with the range shown and the total stated."""
    bibl = sub(sd, "bibl", {"type": "listing-page"})
    if listing.title:
        sub(bibl, "title", {}, listing.title)
    sub(bibl, "idno", {"type": "file"}, listing.source_name.rsplit("/", 1)[-1])
    n = len(listing.entries)
    if listing.range_start is not None:
        scope = f"entries {listing.range_start} - {listing.range_end}"
        attrs: dict[str, str | None] = {
            "unit": "entry",
            "from": str(listing.range_start),
            "to": str(listing.range_end),
        }
        sub(bibl, "biblScope", attrs, scope)
    else:
        sub(bibl, "biblScope", {"unit": "entry"}, f"{n} entr{'y' if n == 1 else 'ies'} shown")
    if listing.total is not None:
        sub(bibl, "note", {"type": "total", "n": str(listing.total)}, f"{listing.total} in all")


def listing_to_tei(listing: Listing) -> etree._ElementTree:
    """Build the TEI catalogue for a listing page (a collection or a page of search results)."""
    root = E("TEI", {XML_LANG: "en"})
    header = sub(root, "teiHeader")
    fd = sub(header, "fileDesc")
    ts = sub(fd, "titleStmt")
    sub(ts, "title", {}, listing_title(listing))
    ps = sub(fd, "publicationStmt")
    sub(ps, "publisher", {}, "unpublished conversion")
    if listing.chrome:
        ns = sub(fd, "notesStmt")
        chrome = sub(ns, "note", {"type": "site-chrome"})
        for line in listing.chrome:
            sub(chrome, "p", {}, line)
    _listing_source(sub(fd, "sourceDesc"), listing)
    ed = sub(header, "encodingDesc")
    if listing.conversion_notes:
        decl = sub(ed, "editorialDecl")
        for note in listing.conversion_notes:
            sub(decl, "p", {}, f"Conversion: {note}.")
    app_info = sub(ed, "appInfo")
    app = sub(app_info, "application", {"ident": APP_IDENT, "version": __version__})
    sub(app, "label", {}, "tei convert")
    pd = sub(header, "profileDesc")
    lu = sub(pd, "langUsage")
    sub(lu, "language", {"ident": "en"}, "English")
    body = sub(sub(root, "text"), "body")
    div = sub(body, "div", {"type": "listing"})
    if listing.title or listing.heading:
        sub(div, "head", {}, listing.title or listing.heading)
    for para in listing.description:
        sub(div, "p", {}, para)
    lb = sub(div, "listBibl")
    if listing.range_text:
        sub(lb, "head", {}, listing.range_text)
    for e in listing.entries:
        b = sub(lb, "bibl", {XML_ID: e.id, "corresp": e.target})
        if e.date_text:
            span = e.date_span or (None, None)
            sub(b, "date", {"when": e.date_iso, "from": span[0], "to": span[1]}, e.date_text)
        sub(b, "title", {}, e.title)
        if e.summary:
            sub(b, "note", {"type": "summary"}, e.summary)
    return etree.ElementTree(root)


# Elements whose content is element-only in TEI: safe to indent. Mixed content is never touched.
ELEMENT_ONLY = {
    f"{{{TEI_NS}}}{t}"
    for t in (
        "TEI teiHeader fileDesc titleStmt respStmt publicationStmt notesStmt sourceDesc "
        "msDesc msIdentifier altIdentifier msContents history origin encodingDesc appInfo "
        "application editorialDecl profileDesc abstract creation langUsage handNotes "
        "facsimile surface text body back front div list table row standOff linkGrp listBibl "
    ).split()
}


def indent(el: etree._Element, level: int = 0) -> None:
    """Indent element-only content by two spaces per level; mixed content is left byte-exact."""
    if el.tag not in ELEMENT_ONLY or not len(el):
        return
    if el.text and el.text.strip():
        return
    if any(child.tail and child.tail.strip() for child in el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        indent(child, level + 1)
    el[-1].tail = "\n" + "  " * level


def serialize(tree: etree._ElementTree) -> bytes:
    """Deterministic bytes: UTF-8, XML declaration, element-only content indented by two."""
    root = tree.getroot()
    indent(root)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"
