"""Reader for listing pages (a collection, a page of search results), read by zones.

A listing page is divided into zones from evidence: site chrome (navigation, search filters,
pagination), the page heading, a collection's title and description, the result statement
("Results: 11 - 20 of 89 Documents") and the entries (date, title, summary). Entries are
delimited by bullets, by separator lines (``-``) or, on pages with neither, by their date lines.
Every line of the page lands in one zone, so no word is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tei.errors import ConversionError
from tei.model import Listing, ListingEntry

from .dates import MONTHS, parse_date, split_date_prefix
from .source import SourceText

_COUNTED = r"(?:documents?|results?|items?|records?|entries|hits|matches)"
#: "1 - 7 of 7", "Results: 11 - 20 of 89 Documents", "Displaying 1-20 of 1,245 results"
RANGE = re.compile(
    r"^(?P<pre>(?:(?:search\s+)?results?|displaying|showing|viewing|documents?|items?|records?)"
    r"(?:\s+(?:results?|documents?|items?|records?))?\s*:?\s*)?"
    r"(?P<a>\d[\d,]*)\s*(?:-|–|—|to)\s*(?P<b>\d[\d,]*)\s+(?:of|out\s+of)\s+(?:about\s+)?"
    rf"(?P<t>\d[\d,]*)(?:\s*{_COUNTED}(?:\s+found)?)?\s*\.?$",
    re.I,
)
#: "89 documents", "Results: 89 documents found"
TOTAL = re.compile(
    rf"^(?:(?:search\s+)?results?\s*:?\s*)?(?P<t>\d[\d,]*)\s+{_COUNTED}(?:\s+found)?\s*\.?$", re.I
)
#: Headings of the result list: words of the page, never entries.
HEADINGS = frozenset(
    "results|search results|documents|items|records|entries|collection|collection documents|"
    "documents in this collection|documents in collection|items in this collection|"
    "related documents|browse|browse documents".split("|")
)
#: Headings that name the page itself: its heading when it has no collection title.
PAGE_HEADINGS = frozenset({"search results", "browse", "browse documents", "collection"})
#: Site chrome: navigation, banners, search filters, sorting and pagination (whole lines).
_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|(?:main )?menu|search|search in|search the archive|home|"
    r"(?:wilson center )?digital archive(?: international history declassified)?|"
    r"international history declassified|wilson center|no image found|get citation|"
    r"filters?|filter results|filter by|refine(?: results| your search| by)?|"
    r"clear(?: all| filters)?|"
    r"apply(?: filters)?|reset|sort(?: by)?(?:\s*:.*)?|relevance|(?:date )?(?:newest|oldest)"
    r"(?: first)?|advanced search|new search|modify search|show (?:more|less|all)|load more|"
    r"back to top|print|share|email|download|log ?in|sign in|about|contact(?: us)?|"
    r"topics|themes|people|places|collections|original repositories|repositories|languages|"
    r"document types?|date range|subjects|keywords|"
    r"(?:[«‹<]+\s*)?(?:first|previous|prev|next|last)(?: page)?(?:\s*[»›>]+)?|"
    r"page \d+(?: of \d+)?|(?:next|previous|prev|more|show|view)(?: \d+)?(?: more)?"
    r" (?:results?|documents?|items?)|view all|"
    r"\d+(?:\s+\d+)+(?:\s*(?:…|\.\.\.))?(?:\s+(?:next|last)\b.*)?|[«‹›»…]+)$",
    re.I,
)
#: A search-filter facet with its count, "Mao Zedong (7)": chrome when next to another one.
_FACET = re.compile(r"^[^()]{1,80}\s\(\d{1,6}\)$")
_BULLET = re.compile(r"^(?:[•·◦▪▫●○■‣⁃∙]|[-*–—+](?=\s))\s*")
_SEPARATOR = re.compile(r"^[-–—_*=~•·|](?:\s*[-–—_*=~•·|])*$")
_YEAR_SPAN = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{2}|\d{4})$")
_DECADE = re.compile(r"^(\d{3})0s$")
_CIRCA = re.compile(r"^(?:c\.|ca\.|circa|about)\s*\d{4}s?$|^undated$|^n\.\s?d\.?$", re.I)
_PAREN_DATE = re.compile(r"^(.*\S)\s*\(([^()]{4,40})\)$")
_SIDE_SEP = re.compile(r"\s+[-–—|]\s+|:\s+")
_FINAL = tuple(".!?…\"'”’»)]")
_WORD_MONTHS = sorted({m for m in MONTHS if m.isascii() and len(m) > 3}, key=len)


@dataclass
class _When:
    """A date as written with its ISO value (``@when``) or ISO bounds (``@from``/``@to``)."""

    text: str
    iso: str | None = None
    span: tuple[str, str] | None = None


@dataclass
class _Unit:
    """One paragraph of the page (a line, with wrapped continuation lines joined)."""

    text: str  # markdown removed, bullet removed
    line: int
    kind: str = "content"  # content | chrome | range | total | heading | sep
    bullet: bool = False
    when: _When | None = None  # the whole unit is a date
    prefix: tuple[_When, str] | None = None  # "date - title" on one line


@dataclass
class _Entry:
    delimited: bool  # opened by a bullet or a separator line
    line: int
    when: _When | None = None
    parts: list[str] = field(default_factory=list)  # title, then summary paragraphs


def _plain(line: str) -> str:
    """Strip heading hashes, bold/italic markers and autolink brackets."""
    s = re.sub(r"^\s*#{1,6}\s+", "", line)
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"<(https?://[^>]+)>", r"\1", s)
    return " ".join(s.split())


def _key(text: str) -> str:
    return " ".join(text.lower().strip(" :.").split())


def date_of(text: str) -> _When | None:
    """The unit as a date: a full date, a month, a year, a year span, circa, undated."""
    s = " ".join(text.split()).strip().rstrip(".,")
    if not s or len(s) > 40:
        return None
    if iso := parse_date(s):
        return _When(s, iso)
    if m := _YEAR_SPAN.match(s):
        start, end = m.group(1), m.group(2)
        if len(end) == 2:
            end = start[:2] + end
        return _When(s, span=(start, end)) if start < end else None
    if m := _DECADE.match(s):
        return _When(s, span=(f"{m.group(1)}0", f"{m.group(1)}9"))
    if _CIRCA.match(s):
        return _When(s)
    return None


def _split_prefix(text: str, *, suffix: bool) -> tuple[_When, str] | None:
    """``date - title`` or ``date title`` on one line; ``suffix``: also ``title - date``."""
    for m in _SIDE_SEP.finditer(text):
        left, right = text[: m.start()], text[m.end() :]
        if right.strip() and (w := date_of(left)):
            return w, right.strip()
    if hit := split_date_prefix(text):
        return _When(hit[0], parse_date(hit[0])), hit[1]
    paren = _PAREN_DATE.match(text) if suffix else None
    if paren and (w := date_of(paren.group(2))) and (w.iso or w.span):
        return w, paren.group(1)  # "Conversation between X and Y (November 03, 1972)"
    if suffix:
        for m in reversed(list(_SIDE_SEP.finditer(text))):
            left, right = text[: m.start()], text[m.end() :]
            if left.strip() and (w := date_of(right)) and (w.iso or w.span):
                return w, left.strip()
    return None


def _units(lines: Iterable[tuple[int, str]]) -> list[_Unit]:
    """Units from numbered non-blank lines; a wrapped line (lower-case start) joins its unit."""
    units: list[_Unit] = []
    prev_no = -2
    for no, raw in lines:
        text = _plain(raw)
        if not text:
            continue
        bullet = bool(_BULLET.match(text)) and not _SEPARATOR.match(text)
        body = _BULLET.sub("", text, count=1) if bullet else text
        last = units[-1] if units else None
        if (
            last is not None
            and no == prev_no + 1
            and not bullet
            and last.kind == "content"
            and (body[:1].islower() or last.text.endswith("-"))
            and not last.text.endswith(_FINAL)
            and date_of(last.text) is None
        ):
            last.text = f"{last.text} {body}"
            prev_no = no
            continue
        units.append(_Unit(body, no, bullet=bullet))
        prev_no = no
    return units


def _classify(units: list[_Unit]) -> None:
    for u in units:
        k = _key(u.text)
        if _SEPARATOR.match(u.text) or (u.bullet and not u.text):
            u.kind = "sep"
        elif RANGE.match(u.text):
            u.kind = "range"
        elif TOTAL.match(u.text):
            u.kind = "total"
        elif k in HEADINGS:
            u.kind = "heading"
        elif _CHROME.match(k) or _CHROME.match(u.text.strip()):
            u.kind = "chrome"
        elif w := date_of(u.text):
            u.when = w
        elif (hit := _split_prefix(u.text, suffix=u.bullet)) and (u.bullet or _title_like(hit[1])):
            u.prefix = hit
    facets = [u.kind == "content" and bool(_FACET.match(u.text)) for u in units]
    for i, u in enumerate(units):
        near = (i > 0 and facets[i - 1]) or (i + 1 < len(units) and facets[i + 1])
        if facets[i] and near:
            u.kind = "chrome"


def _summary_like(text: str) -> bool:
    return len(text) >= 60 and text.endswith(_FINAL)


def _title_like(text: str) -> bool:
    return len(text) <= 300 and not _summary_like(text) and date_of(text) is None


def _title_first(content: list[_Unit]) -> bool:
    """Do the page's entries give the title above the date (most give the date first)?"""
    first = before = 0
    for i, u in enumerate(content):
        if u.when is None or i + 1 >= len(content):
            continue
        nxt = content[i + 1].text
        if _title_like(nxt) and content[i + 1].when is None:
            first += 1
        elif _summary_like(nxt) and i > 0 and _title_like(content[i - 1].text):
            before += 1
    return before >= 2 and before > first


def _entries(units: list[_Unit]) -> tuple[list[_Unit], list[_Entry], list[str]]:
    """Split content units into the zone above the entries and the entries themselves."""
    content = [u for u in units if u.kind in ("content", "sep")]
    delimited_page = sum(u.bullet for u in content) >= 2 or any(u.kind == "sep" for u in content)
    title_first = not delimited_page and _title_first([u for u in content if u.kind != "sep"])
    above: list[_Unit] = []
    entries: list[_Entry] = []
    warnings: list[str] = []
    cur: _Entry | None = None
    pending = False  # a separator line was just seen: the next unit opens an entry
    for i, u in enumerate(content):
        if u.kind == "sep":
            pending, cur = True, None
            continue
        when = u.when or (u.prefix[0] if u.prefix else None)
        rest = u.prefix[1] if u.prefix and not u.when else None
        opens = u.bullet or pending
        if u.when is None and not opens and cur is not None and cur.when and not cur.parts:
            cur.parts.append(u.text)  # "June 1957 Plenum of the CC": a title after its date
            continue
        if opens:
            cur = _Entry(delimited=True, line=u.line)
            entries.append(cur)
            pending = False
        elif when is not None:
            joins = cur is not None and cur.delimited and cur.when is None and len(cur.parts) <= 1
            if not joins:
                title = None
                if title_first:
                    if cur is not None and len(cur.parts) > 1:
                        title = cur.parts.pop()
                    elif cur is None and above and _title_like(above[-1].text):
                        title = above.pop().text
                cur = _Entry(delimited=False, line=u.line)
                entries.append(cur)
                if title is not None:
                    cur.parts.append(title)
        elif cur is None:
            above.append(u)
            continue
        elif (
            not delimited_page
            and not title_first
            and len(cur.parts) >= 2
            and _title_like(u.text)
            and i + 1 < len(content)
            and content[i + 1].when is None
            and _summary_like(content[i + 1].text)
        ):
            warnings.append(f"line {u.line}: listing entry without a date: {u.text[:50]!r}")
            cur = _Entry(delimited=False, line=u.line)
            entries.append(cur)
        assert cur is not None  # every branch above that does not continue opens or keeps one
        if when is not None and cur.when is None:
            cur.when = when
            if rest:
                cur.parts.append(rest)
        else:
            cur.parts.append(u.text)
    return above, [e for e in entries if e.when or e.parts], warnings


def _statement(units: list[_Unit], first_entry: int) -> tuple[list[_Unit], list[_Unit]]:
    """The result statement (range line with its adjacent headings) and the other headings."""
    ranges = [i for i, u in enumerate(units) if u.kind in ("range", "total")]
    headings = [u for u in units if u.kind == "heading"]
    if not ranges:
        # no result statement: a heading right above the entries heads the list
        above = [u for u in headings if u.line < first_entry and _key(u.text) not in PAGE_HEADINGS]
        if above and not any(
            u.kind == "content" and above[-1].line < u.line < first_entry for u in units
        ):
            return [above[-1]], [u for u in headings if u is not above[-1]]
        return [], headings
    first = next((i for i in ranges if units[i].kind == "range"), ranges[0])
    lo = hi = first
    # headings next to the range line belong to it, across chrome ("Results:", a filter, "1 - 7")
    while lo > 0 and units[lo - 1].kind in ("heading", "chrome"):
        lo -= 1
    while hi + 1 < len(units) and units[hi + 1].kind in ("heading", "chrome"):
        hi += 1
    statement = [u for u in units[lo : hi + 1] if u.kind != "chrome"]
    others = [u for u in headings if u not in statement]
    return statement, others


def _date_start(text: str) -> bool:
    """Is ``text`` the cut start of a date line ("Decem", "December 2", "December 21, 19")?"""
    m = re.fullmatch(r"([A-Za-z]{3,})\.?(?:\s+\d{1,2}(?:,\s*\d{0,4})?)?", text.strip())
    if m is None:
        return False
    return any(name.startswith(m.group(1).lower()) for name in _WORD_MONTHS)


def _cut_date(units: list[_Unit], entries: list[_Entry]) -> str | None:
    """Take off a last "entry" that is only (the start of) a date line; return its text.

    The page was cut just after a date ("December 21, 1974") or inside it ("Decem"): there is
    no title, so it is not an entry, but its words are kept (as a conversion note).
    """
    if not entries or not units or units[-1].kind != "content":
        return None
    last, final = entries[-1], units[-1].text
    if last.when is not None and not last.parts and last.when.text in final:
        entries.pop()
        return final
    if last.when is None and last.parts == [final] and _date_start(final) and len(entries) > 1:
        entries.pop()
        return final
    if len(last.parts) >= 2 and last.parts[-1] == final and _date_start(final):
        return last.parts.pop()
    return None


def _lines(src: SourceText, blocks: list | None) -> list[tuple[int, str]]:
    if blocks is not None:
        return [(b.line + k, ln) for b in blocks for k, ln in enumerate(b.lines)]
    return [(i, ln) for i, ln in enumerate(src.text.split("\n"), 1) if ln.strip()]


def _read(lines: list[tuple[int, str]]) -> tuple[list[_Unit], list[_Unit], list[_Entry], list[str]]:
    units = _units(lines)
    _classify(units)
    above, entries, warnings = _entries(units)
    above, undated = _undated(units, above, warnings)
    return units, above, undated + entries, warnings


def _undated(
    units: list[_Unit], above: list[_Unit], warnings: list[str]
) -> tuple[list[_Unit], list[_Entry]]:
    """Entries without a date above the first dated one; the rest is title and description.

    Below the result statement every title starts an entry. With no statement, the first
    title and its paragraphs describe the collection, and entries are only a strict run of
    title, summary, title, summary ... reaching down to the first dated entry.
    """
    stated = [u.line for u in units if u.kind in ("range", "total")]
    if stated:
        k = next((i for i, u in enumerate(above) if u.line > stated[0]), len(above))
    else:
        # the longest run of (title, summary) pairs that ends at the first dated entry
        k = i = len(above)
        while i - 2 >= 2 and _title_like(above[i - 2].text) and not _title_like(above[i - 1].text):
            i -= 2
            k = i
    if k >= len(above) or not _title_like(above[k].text):
        return above, []
    entries: list[_Entry] = []
    for u in above[k:]:
        if _title_like(u.text) or not entries:
            warnings.append(f"line {u.line}: listing entry without a date: {u.text[:50]!r}")
            entries.append(_Entry(delimited=False, line=u.line))
        entries[-1].parts.append(u.text)
    return above[:k], entries


def looks_like_listing(text: str) -> bool:
    """Is the page a listing? Weighs a result statement, entry rhythm and document cues.

    A listing is made of short entries (date, title, one summary paragraph), delimited by
    dates, bullets or separators, with at most a collection title and description above them.
    A document page has one date and title above a long body (and usually labelled trailers).
    """
    lines = [(i, ln) for i, ln in enumerate(text.split("\n"), 1) if ln.strip()]
    if not lines:
        return False
    units, above, entries, _ = _read(lines)
    dated = [e for e in entries if e.when is not None and e.parts]
    if not dated:
        return False
    if any(_DOCUMENT_CUE.match(u.text) for u in units if u.kind == "content"):
        return False
    compact = [
        e
        for e in entries
        if len(e.parts) <= 3
        and (not e.parts or len(e.parts[0]) <= 300)
        and sum(len(p) for p in e.parts[1:]) <= 1200
    ]
    in_entries = sum(len(p) for e in entries for p in e.parts)
    in_compact = sum(len(p) for e in compact for p in e.parts)
    coverage = in_compact / in_entries if in_entries else 0.0
    stated = any(u.kind in ("range", "total") for u in units)
    above_chars = sum(len(u.text) for u in above)
    delimited = any(e.delimited for e in dated)
    if above_chars > 4000 or (not (stated or delimited) and above_chars > 2 * in_entries):
        return False
    need = 1 if stated or delimited else 2
    return len([e for e in dated if e in compact]) >= need and coverage >= 0.6


#: Lines that only a document page has: labelled fields and trailers.
_DOCUMENT_CUE = re.compile(
    r"^\s*(?:citation|summary|original language|contents|archive location|archival source|"
    r"first published in|document information|record id|original uploaded date|credits|"
    r"rights|translator'?s notes?)\s*:|^\s*(?:document information|translator'?s notes?)\s*$"
    r"|^\s*(?:archive location|archival source|first published in)\b",
    re.I,
)


def read_listing(src: SourceText, blocks: list | None = None) -> Listing:
    """Read a listing page into its zones; every line lands in one of them.

    ``blocks`` (the page's blank-line blocks, ``converters.body.RawBlock``) may be given when
    the caller has them; otherwise the page's lines are read from ``src``.
    """
    units, above, entries, warnings = _read(_lines(src, blocks))
    warnings = list(src.warnings) + warnings
    notes: list[str] = []
    if fragment := _cut_date(units, entries):
        notes.append(
            "the page ends with the date of a further entry, which shows no title and is not "
            f"listed: {fragment!r}"
        )
    if not entries:
        raise ConversionError("listing page with no entries", path=src.name)
    statement, headings = _statement(units, entries[0].line)
    # the zone above the entries: a collection title (short, no final stop), then its description
    title: str | None = None
    description = [u.text for u in above]
    if description and _title_like(description[0]) and len(description[0]) <= 160:
        title = description.pop(0)
    heading: str | None = None
    pages = [u for u in headings if _key(u.text) in PAGE_HEADINGS]
    if pages and title is None:
        heading = pages[0].text
        headings.remove(pages[0])
    chrome = [u.text for u in units if u.kind == "chrome"]
    chrome += [u.text for u in headings]
    for u in units:
        if u.kind in ("range", "total") and u not in statement:
            chrome.append(u.text)  # a repeated result statement (top and bottom of the page)
    range_text = " ".join(u.text for u in statement) or None
    total = start = end = None
    for u in statement:
        if m := RANGE.match(u.text):
            start, end = (int(m.group(g).replace(",", "")) for g in ("a", "b"))
            total = int(m.group("t").replace(",", ""))
        elif m := TOTAL.match(u.text):
            total = int(m.group("t").replace(",", ""))
    out: list[ListingEntry] = []
    for e in entries:
        when = e.when
        if not e.parts:
            warnings.append(f"line {e.line}: entry dated {when.text if when else '?'} has no title")
        out.append(
            ListingEntry(
                date_text=when.text if when else None,
                date_iso=when.iso if when else None,
                date_span=when.span if when else None,
                title=e.parts[0] if e.parts else "",
                summary=" ".join(e.parts[1:]) or None,
            )
        )
    for i, entry in enumerate(out, 1):
        entry.id = f"item{i}"
    last_text = units[-1].text if units else ""
    last = out[-1]
    if units and units[-1].kind == "content" and not notes and not last_text.endswith(_FINAL):
        last.cut = "summary" if last.summary else "title"
        notes.append(
            f"the page ends in the {last.cut} of entry {last.id}, without final punctuation: "
            "the rest of the entry may be cut off"
        )
    return Listing(
        source_name=src.name,
        range_text=range_text,
        entries=out,
        total=total,
        warnings=warnings,
        title=title,
        heading=heading,
        description=description,
        range_start=start,
        range_end=end,
        chrome=chrome,
        conversion_notes=notes,
    )
