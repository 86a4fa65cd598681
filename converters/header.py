"""The metadata header of a document page: labelled fields in any order and any markup style."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tei.model import ArchiveRef, Metadata

from .archival import find_archive_ref
from .body import RawBlock
from .citation import find_url, parse_citation, parse_people
from .dates import parse_date, split_date_prefix

LABELS = {
    "citation": "citation",
    "summary": "summary",
    "abstract": "summary",
    "description": "summary",
    "credits": "credits",
    "credit": "credits",
    "original language": "original_language",
    "original languages": "original_language",
    "language": "original_language",
    "languages": "original_language",
    "contents": "contents",
    "archive location": "archive",
    "archival location": "archive",
    "archive": "archive",
    "archival reference": "archive",
    "source": "source",
    "date": "date",
    "title": "title",
    "document type": "document_type",
    "type": "document_type",
    "keywords": "keywords",
    "subjects": "keywords",
    "rights": "rights",
    "record id": "record_id",
    "url": "url",
    "translated by": "translated_by",
    "obtained by": "obtained_by",
    # trailers and the Document Information block of the current site
    "archival source": "archive",
    "original archive": "archive",
    "first published in": "published_in",
    "published in": "published_in",
    "author(s)": "authors",
    "authors": "authors",
    "author": "authors",
    "original uploaded date": "uploaded",
    "associated people & organizations": "keywords",
    "associated people": "keywords",
    "associated places": "keywords",
    "associated topics": "keywords",
    "subjects discussed": "keywords",
    "document information": "docinfo",
}

_LABEL_LINE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z'()& ]{1,40}?)\s*:\s*(?P<rest>.*)$"
    r"|^(?P<bare>[A-Za-z][A-Za-z'()& ]{1,40}?)\s*$"
)
CONTENT_ITEM = re.compile(
    r"^(?:(?:English|Russian|German|Chinese|Polish|Hungarian|Czech|Romanian|Bulgarian|"
    r"Mongolian|Korean|Japanese|Vietnamese|French|Spanish|Italian)\s+)?(?:original(?:\s+scan)?|translation|transcript(?:ion)?|original\s+text)"
    r"(?:\s*[-–:]\s*[A-Za-z ]+)?$",
    re.I,
)
_PEOPLE_AFTER = re.compile(
    r"\.\s+(?:obtained|translated|edited|compiled|provided|contributed)\b", re.I
)
_PUBLISHED_IN = re.compile(
    r"\b(?:first )?published in\s+(?P<pub>.+?)(?:\.\s*$|\.\s+(?=[A-Z])|$)", re.I
)
BOILERPLATE = re.compile(r"^(?:skip to (?:main )?content|menu|search|home)$", re.I)


_MD_HASHES = re.compile(r"^\s*#{1,6}\s*")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")


def clean_md(line: str) -> str:
    """Strip heading hashes, bold/italic markers and autolink brackets from a header line."""
    s = _MD_HASHES.sub("", line) if "#" in line else line
    s = s.replace("**", "").replace("__", "")
    if "<" in s:
        s = _AUTOLINK.sub(r"\1", s)
    return s.strip()


def label_of(line: str, *, bare_ok: bool) -> tuple[str, str] | None:
    """If ``line`` is a known field label, return (field, rest of line)."""
    s = clean_md(line)
    m = _LABEL_LINE.match(s)
    if not m:
        return None
    if m.group("label"):
        key = LABELS.get(m.group("label").strip().lower())
        return (key, m.group("rest").strip()) if key else None
    if bare_ok:
        key = LABELS.get(m.group("bare").strip().lower())
        # A bare word is a label only when it was marked up as one (bold or heading).
        if key and (line.strip().startswith(("#", "**", "__")) or line.strip().isupper()):
            return key, ""
    return None


@dataclass
class HeaderResult:
    meta: Metadata
    body: list[RawBlock]
    trailer_fields: list[str] = field(default_factory=list)
    found_labels: int = 0
    warnings: list[str] = field(default_factory=list)


def _take_value(
    blocks: list[RawBlock], i: int, j: int, key: str, rest: str
) -> tuple[list[str], int, int]:
    """Collect a field's value starting after line j of block i; returns (lines, next i, next j)."""
    lines = [rest] if rest else []
    block = blocks[i]
    j += 1
    if key == "contents":
        # Consecutive content items, possibly in the following block(s).
        while True:
            while j < len(block.lines) and CONTENT_ITEM.match(clean_md(block.lines[j])):
                lines.append(clean_md(block.lines[j]))
                j += 1
            if j < len(block.lines) or i + 1 >= len(blocks):
                break
            nxt = blocks[i + 1]
            if lines and not CONTENT_ITEM.match(clean_md(nxt.lines[0])):
                break
            if not lines and not CONTENT_ITEM.match(clean_md(nxt.lines[0])):
                break
            i, j, block = i + 1, 0, nxt
        return lines, i, j
    if j < len(block.lines):
        # value continues in the same block until another label line
        while j < len(block.lines) and not label_of(block.lines[j], bare_ok=True):
            lines.append(block.lines[j])
            j += 1
        return lines, i, j
    if not lines and i + 1 < len(blocks):
        nxt = blocks[i + 1]
        k = 0
        while k < len(nxt.lines) and not label_of(nxt.lines[k], bare_ok=True):
            lines.append(nxt.lines[k])
            k += 1
        return lines, i + 1, k
    return lines, i + 1, 0


def parse_header(
    blocks: list[RawBlock], fields: dict[str, list[str]] | None = None
) -> HeaderResult:
    """Read title, date and labelled fields at the top (and labelled trailers at the bottom);
    ``fields`` holds fields already read elsewhere on the page (trailers, Document Information)."""
    meta = Metadata()
    fields = fields if fields is not None else {}
    top: list[str] = []
    warnings: list[str] = []
    i, j = 0, 0
    found = 0
    body_start = None
    while i < len(blocks):
        block = blocks[i]
        if j >= len(block.lines):
            i, j = i + 1, 0
            continue
        line = block.lines[j]
        if BOILERPLATE.match(clean_md(line)):
            j += 1
            continue
        lab = label_of(line, bare_ok=True)
        if lab:
            found += 1
            key, rest = lab
            value, i, j = _take_value(blocks, i, j, key, rest)
            fields.setdefault(key, []).append("\n".join(value).strip())
            continue
        if found == 0:
            top.append(line)
            j += 1
            continue
        # A title or date line between labelled fields: the header goes on if a label follows.
        if j == 0 and i + 1 < len(blocks) and label_of(blocks[i + 1].lines[0], bare_ok=True):
            top.extend(block.lines)
            i, j = i + 1, 0
            continue
        body_start = (i, j)
        break
    if body_start is None:
        body: list[RawBlock] = []
    else:
        bi, bj = body_start
        first = blocks[bi]
        body = ([RawBlock(first.lines[bj:], first.line + bj)] if bj else [first]) + blocks[bi + 1 :]
    body, trailers = _split_trailers(body, fields)
    fill_fields(meta, top, fields, warnings)
    return HeaderResult(
        meta=meta, body=body, trailer_fields=trailers, found_labels=found, warnings=warnings
    )


def _split_trailers(
    body: list[RawBlock], fields: dict[str, list[str]]
) -> tuple[list[RawBlock], list[str]]:
    """Labelled fields after the body (``ARCHIVE LOCATION: ...``) are header, not text."""
    trailers: list[str] = []
    end = len(body)
    while end > 0:
        block = body[end - 1]
        lab = label_of(block.lines[0], bare_ok=False) or (
            label_of(block.lines[0], bare_ok=True) if block.lines[0].strip().isupper() else None
        )
        if lab and lab[0] in (
            "archive",
            "citation",
            "source",
            "credits",
            "rights",
            "keywords",
            "record_id",
            "url",
        ):
            key, rest = lab
            value = "\n".join([rest] + block.lines[1:]).strip()
            fields.setdefault(key, []).append(value)
            trailers.append(key)
            end -= 1
            continue
        if (
            end >= 2
            and (labelled := label_of(body[end - 2].lines[-1], bare_ok=True))
            and len(body[end - 2].lines) == 1
        ):
            key, rest = labelled
            if (
                key in ("archive", "citation", "source", "credits", "rights", "record_id")
                and not rest
            ):
                fields.setdefault(key, []).append(block.text.strip())
                trailers.append(key)
                end -= 2
                continue
        break
    return body[:end], trailers


def fill_fields(
    meta: Metadata, top: list[str], fields: dict[str, list[str]], warnings: list[str]
) -> None:
    # Title and date from the lines above the first label.
    title_parts: list[str] = []
    for raw in top:
        line = clean_md(raw)
        if not line:
            continue
        if parse_date(line) and not meta.date_text:
            meta.date_text = line.rstrip(".")
            continue
        pref = split_date_prefix(line)
        if pref and not meta.date_text:
            meta.date_text, rest = pref
            title_parts.append(rest)
            continue
        title_parts.append(line)
    if title_parts:
        meta.title = " ".join(" ".join(title_parts).split())
    for key in ("title",):
        if fields.get(key):
            meta.title = " ".join(fields[key][0].split())
    if fields.get("date"):
        meta.date_text = clean_md(fields["date"][0])
    if fields.get("citation"):
        cit = " ".join(clean_md(x) for x in "\n".join(fields["citation"]).split("\n"))
        parts = parse_citation(cit)
        meta.citation = parts.citation
        heading = meta.title
        meta.title = _prefer_citation_title(heading, parts.title)
        if heading and meta.title != heading:
            # the heading as printed (a PDF export's running head, a cut title): kept aside
            meta.header_notes.append(("heading", heading))
        meta.date_text = meta.date_text or parts.date_text
        meta.publisher = parts.publisher
        meta.url = parts.url
        meta.people = list(parts.people)
        meta.archive = parts.archive
        if meta.archive and not meta.archive.fond and (sig := find_archive_ref(meta.archive.text)):
            # another archive's signature: "AAN, KC PZPR, XIA/1273"
            meta.archive.repository = sig.repository or meta.archive.repository
            meta.archive.shelfmark = sig.shelfmark
    for key in ("archive", "source"):
        for value in fields.get(key, []):
            flat = " ".join(clean_md(value).split())
            # "PRC FMA 109-00812-03. Translated by Li Wei.": the reference, then people
            people = _PEOPLE_AFTER.search(flat)
            ref_part, more = (
                (flat[: people.start()], flat[people.start() + 1 :].strip())
                if people
                else (flat, "")
            )
            if more:
                meta.people.extend(parse_people(more))
            ref = find_archive_ref(ref_part)
            if not ref and key == "archive" and flat and len(flat) <= 300:
                ref = ArchiveRef(text=flat, repository=re.split(r"[,;]", flat)[0])
            if ref and not meta.archive:
                meta.archive = ref
                if more and key not in meta.extra:
                    # the reference holds only part of the line: keep the line as printed
                    meta.extra[key] = flat
            elif value and key not in meta.extra:
                meta.extra[key] = " ".join(clean_md(value).split())
    if fields.get("url") and not meta.url:
        meta.url = find_url(fields["url"][0]) or fields["url"][0].strip()
    for key in ("translated_by", "obtained_by"):
        for value in fields.get(key, []):
            meta.people.extend(parse_people(f"{key.replace('_', ' ')} {clean_md(value)}"))
    if fields.get("summary"):
        meta.summary = " ".join(clean_md(fields["summary"][0]).split()) or None
    for value in fields.get("credits", []):
        text = " ".join(clean_md(value).split())
        if text:
            meta.credits.append(text)
    if fields.get("original_language"):
        meta.original_language = " ".join(clean_md(fields["original_language"][0]).split()) or None
    if fields.get("contents"):
        meta.contents = [c for c in fields["contents"][0].split("\n") if c.strip()]
    if fields.get("keywords"):
        meta.extra["keywords"] = "; ".join(
            " ".join(clean_md(v).split()) for v in fields["keywords"]
        )
    one = {k: " ".join(clean_md(" ".join(v)).split()) or None for k, v in fields.items() if v}
    meta.rights = one.get("rights")
    meta.doc_type = one.get("document_type")
    meta.record_id = one.get("record_id")
    meta.uploaded = one.get("uploaded")
    meta.uploaded_iso = parse_date(meta.uploaded) if meta.uploaded else None
    for key in ("authors", "published_in"):
        for value in fields.get(key, []):
            text = " ".join(clean_md(value).split())
            if text:
                getattr(meta, key).append(text)
    for value in fields.get("people", []):  # credit lines: "Selected, edited ... by X"
        meta.people.extend(parse_people(clean_md(value)))
        meta.header_notes.append(("credit", " ".join(clean_md(value).split())))  # as written
    for value in fields.get("information", []):
        meta.header_notes.append(("information", " ".join(clean_md(value).split())))
    if meta.citation and not meta.published_in and (m := _PUBLISHED_IN.search(meta.citation)):
        meta.published_in.append(m.group("pub").strip(" ,."))
    if meta.date_text:
        meta.date_iso = parse_date(meta.date_text)
        if not meta.date_iso:
            warnings.append(f"date {meta.date_text!r} is not in a form the converter can read")
    if meta.url and (m := re.search(r"/document/(\d+)", meta.url)):
        meta.doc_number = m.group(1)


def _squash(s: str) -> str:
    return re.sub(r"\W+", "", s).casefold()


def _prefer_citation_title(heading: str | None, quoted: str | None) -> str | None:
    """The heading's title, unless it is missing, cut, or the quoted title repeated with more
    around it (a PDF export's running head): then the citation's quoted title."""
    if not quoted:
        return heading
    if not heading:
        return quoted
    h, q = _squash(heading), _squash(quoted)
    if h == q:
        return heading
    if q in h or (len(h) >= 20 and q.startswith(h[:20]) and len(q) > len(h)):
        return quoted
    return heading
