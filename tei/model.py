"""The document model: what every reader produces and the one TEI writer consumes.

Like pandoc's AST, it is independent of both the raw-text layout and TEI syntax.
Inline content is a list of ``Inline`` nodes; block content a list of ``Block`` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

# ---------------------------------------------------------------- inlines


@dataclass
class Text:
    """Plain transcribed or translated text."""

    text: str


@dataclass
class LineBreak:
    """A line break of the source; ``joined`` when a word was hyphenated across it."""

    joined: bool = False
    hyphen: str = ""  # the hyphen that was removed when joining ("-" or "")


@dataclass
class PageBreak:
    """A page (folio) change inside running text; ``joined`` if a word spans it."""

    n: str | None = None
    facs: str | None = None  # xml:id of the facsimile surface
    joined: bool = False
    hyphen: str = ""
    folio_line: str | None = None  # the page's folio number as written, kept as fw
    page_number: str | None = None  # a typed page number ("- 38 -", "page 15"), kept as fw


@dataclass
class Sic:
    """A token the editor marked ``[SIC]``: reproduced as found."""

    text: str


@dataclass
class Space:
    """A blank left in the source: ``[left blank]`` or ``№ ____``."""

    description: str | None = None  # the editor's words, e.g. "left blank"
    extent: int | None = None  # underscores in a blank field
    marker: str = ""  # the literal source marker (underscores), kept for the record


@dataclass
class Gap:
    """Material the translator or editor omitted: ``[...]``."""

    reason: str = "omitted"


@dataclass
class Supplied:
    """Words the translator supplied: ``[their]``."""

    content: list[Inline]


@dataclass
class Gloss:
    """A term followed by its gloss: ``Ili [Yili]``."""

    term: str
    gloss: str


@dataclass
class Foreign:
    """An original-language term given by the translator: ``commodity [tovarnyye] rubles``."""

    rendering: str  # the English word(s) before the bracket
    term: str  # the transliterated original term
    lang: str = "ru-Latn"


@dataclass
class Abbreviation:
    """An abbreviation expanded in brackets: ``NKO [People's Commissariat of Defense]``."""

    abbr: str
    expansion: str


@dataclass
class Addition:
    """A handwritten (or otherwise added) passage with its place."""

    content: list[Inline]
    place: str | None = None  # TEI @place: top, bottom, margin, above, below, inline ...
    hand: str | None = None  # "handwritten", "typed" ...
    description: str | None = (
        None  # the editor's wording, e.g. "handwritten at the top of the page"
    )


@dataclass
class EditorialNote:
    """A bracketed editorial remark that is none of the above: kept as a note."""

    content: list[Inline]
    label: str | None = None  # e.g. "Note at the bottom of the page"
    place: str | None = None
    kind: str = "editorial"  # editorial | source (a note that is part of the document)


@dataclass
class Stamp:
    """A stamp (``stamp: [...]``) or seal (``[CC seal]``)."""

    content: list[Inline]
    kind: str = "stamp"  # stamp | seal
    description: str | None = None  # the editor's description if the text is not transcribed


@dataclass
class Signature:
    """``[signed] I. Stalin``: a signature mark followed by the signatory."""

    content: list[Inline]
    mark: str | None = "signed"


@dataclass
class NoteRef:
    """A numbered footnote marker ``[1]`` (or ``(1)``, kept as written in ``marker``)."""

    n: str
    marker: str = ""


@dataclass
class Highlight:
    """Rendition of the source: underline, bold, italic."""

    content: list[Inline]
    rend: str


@dataclass
class Unclear:
    """Text whose transcription is doubtful: OCR garbage, Latin look-alikes in Cyrillic."""

    text: str
    reason: str


Inline = Union[  # noqa: UP007 - explicit alias reads better here
    Text,
    LineBreak,
    PageBreak,
    Sic,
    Space,
    Gap,
    Supplied,
    Gloss,
    Foreign,
    Abbreviation,
    Addition,
    EditorialNote,
    Stamp,
    Signature,
    NoteRef,
    Highlight,
    Unclear,
]

# ---------------------------------------------------------------- blocks


@dataclass
class Paragraph:
    content: list[Inline]
    kind: Literal["p", "ab", "closer", "opener", "address"] = "p"
    type: str | None = None  # e.g. "header-line", "distribution"
    id: str = ""


@dataclass
class Heading:
    content: list[Inline]
    level: int = 1
    id: str = ""


@dataclass
class ListItem:
    label: str | None
    content: list[Inline]
    id: str = ""


@dataclass
class ListBlock:
    items: list[ListItem]
    type: str | None = None  # "ordered" when labels are numbers or letters
    id: str = ""


@dataclass
class Cell:
    content: list[Inline]


@dataclass
class Row:
    cells: list[Cell]
    id: str = ""


@dataclass
class Table:
    rows: list[Row]
    note: str | None = None  # e.g. "rebuilt from OCR-damaged text"
    id: str = ""


@dataclass
class PageBlock:
    """A page change between blocks: a folio number line, ``- 38 -``, or a page signal."""

    n: str | None = None
    facs: str | None = None
    page_number: str | None = None  # a typed page number such as "- 38 -", kept as fw
    folio_line: str | None = None  # the literal folio line ("63", "334-338")


@dataclass
class NoteBlock:
    """A note standing between blocks: page-bottom notes, handwritten additions, endnotes."""

    content: list[Inline]
    kind: str = "editorial"  # editorial | source | endnote | handwritten
    place: str | None = None
    label: str | None = None
    n: str | None = None
    id: str = ""


Block = Union[Paragraph, Heading, ListBlock, Table, PageBlock, NoteBlock]  # noqa: UP007

# ---------------------------------------------------------------- document


@dataclass
class Person:
    name: str
    role: str  # "obtained by", "translated by", ...


@dataclass
class ArchiveRef:
    """An archival citation parsed into repository and typed numbers."""

    text: str
    repository: str | None = None
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    folios: str | None = None  # as written: "62-63", "334-338", "170"
    folio_list: list[str] = field(default_factory=list)
    shelfmark: str | None = None  # a non-Soviet signature: "XIX-J-1-j", "DY 30, 2460"


@dataclass
class Metadata:
    title: str | None = None
    date_text: str | None = None
    date_iso: str | None = None
    citation: str | None = None
    archive: ArchiveRef | None = None
    people: list[Person] = field(default_factory=list)
    url: str | None = None
    summary: str | None = None
    credits: list[str] = field(default_factory=list)
    original_language: str | None = None  # as stated by the page ("Russian")
    contents: list[str] = field(default_factory=list)
    publisher: str | None = None
    doc_number: str | None = None  # from the URL: /document/121724
    extra: dict[str, str] = field(default_factory=dict)  # unknown labelled fields
    listed_in: list[str] = field(default_factory=list)  # "listing.xml#item3" pointers
    authors: list[str] = field(default_factory=list)  # "Author(s):" of Document Information
    published_in: list[str] = field(default_factory=list)  # "FIRST PUBLISHED IN:", "Published in"
    rights: str | None = None  # the page's rights statement
    doc_type: str | None = None  # "Type:" of Document Information (Telegram, Memorandum, ...)
    record_id: str | None = None
    uploaded: str | None = None  # "Original Uploaded Date"
    uploaded_iso: str | None = None  # its ISO form, when it is a date
    chrome: list[str] = field(default_factory=list)  # site text copied with the page
    header_notes: list[tuple[str, str]] = field(default_factory=list)  # (type, text) kept aside


@dataclass
class Division:
    role: Literal["original", "translation"]
    lang: str
    blocks: list[Block]
    lang_name: str | None = None
    notes: list[NoteBlock] = field(default_factory=list)  # endnotes of this division
    notes_head: str | None = None  # the notes' heading as the page gives it ("Translator's Notes")


@dataclass
class Surface:
    id: str
    n: str
    url: str
    canvas: str | None = None  # the IIIF canvas it is bound to (``--iiif-manifest``)
    width: int | None = None  # the image's size in pixels, when the manifest gives it
    height: int | None = None


@dataclass
class Document:
    """A converted archival document page."""

    source_name: str
    meta: Metadata
    divisions: list[Division]
    surfaces: list[Surface] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conversion_notes: list[str] = field(default_factory=list)
    links: list[tuple[list[str], list[str], float]] = field(default_factory=list)


@dataclass
class ListingEntry:
    date_text: str | None
    date_iso: str | None
    title: str
    summary: str | None
    id: str = ""
    target: str | None = None  # file name of the converted document, when known
    date_span: tuple[str, str] | None = None  # ISO bounds of a range such as "1956-1957"
    cut: str | None = None  # "title" or "summary" when the page ends inside this entry


@dataclass
class Listing:
    """A listing page: a collection or a page of search results, with dated titles.

    ``heading`` is the page's own heading (a collection title, "SEARCH RESULTS"),
    ``range_text`` the result statement as written ("Results: 11 - 20 of 89 Documents") or,
    on a page without one, the heading of the list ("Documents in this collection"),
    ``chrome`` the site's navigation lines, kept apart from the entries.
    """

    source_name: str
    range_text: str | None
    entries: list[ListingEntry]
    total: int | None = None
    warnings: list[str] = field(default_factory=list)
    title: str | None = None  # the collection's title: the TEI title
    heading: str | None = None  # a generic page heading such as "SEARCH RESULTS"
    description: list[str] = field(default_factory=list)  # the collection's description
    range_start: int | None = None
    range_end: int | None = None
    chrome: list[str] = field(default_factory=list)
    conversion_notes: list[str] = field(default_factory=list)
