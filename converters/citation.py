"""The citation line: title, date, publisher, archival reference, people, URL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tei.model import ArchiveRef, Person

from .dates import parse_date

MAX_FOLIOS = 1000

_NUM = r"([A-Za-zА-Яа-я]{0,2}-?\d[\w/.-]*?)"
_FOND = re.compile(rf"(?:\bfond|\bf|\bф)\.?\s*{_NUM}(?=[\s,.;]|$)", re.I)
_OPIS = re.compile(rf"(?:\bopis['’]?|\bop|\bоп(?:ись)?)\.?\s*{_NUM}(?=[\s,.;]|$)", re.I)
_DELO = re.compile(rf"(?:\bdelo|\bd|\bд(?:ело)?)\.?\s*{_NUM}(?=[\s,.;]|$)", re.I)
_FOLIO = re.compile(
    r"(?:\bll|\bl|\blist[y]?|\bлл|\bл)\.?\s*(\d[\d\s,.–—-]*(?:\s*(?:ob|об)\.?)?)(?=[\s;]|$|\.\s|\.$)",
    re.I,
)
_REPO_STOP = re.compile(r"\s*(?:,|\b(?:fond|f|ф)\.?\s*[A-Za-zА-Яа-я]{0,2}-?\d)", re.I)


def _expand_folios(spec: str) -> list[str]:
    """``334-338`` -> 334..338; ``62, 64-65`` -> 62, 64, 65; other tokens kept as written."""
    out: list[str] = []
    for part in re.split(r"\s*,\s*", spec.strip().rstrip(".")):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*[–—-]\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if b < a and len(m.group(2)) < len(m.group(1)):  # 334-8 shorthand
                b = int(m.group(1)[: len(m.group(1)) - len(m.group(2))] + m.group(2))
            if a <= b and b - a < MAX_FOLIOS:
                out.extend(str(i) for i in range(a, b + 1))
                continue
        out.append(part)
    return out


def parse_archive_ref(text: str) -> ArchiveRef | None:
    """Parse ``GARF, Fond R-9401ss, Opis' 2, Delo 95, ll. 334-338`` and its many variants."""
    fond = _FOND.search(text)
    if not fond:
        return None
    ref = ArchiveRef(text=text.strip().rstrip("."))
    head = text[: fond.start()]
    repo = _REPO_STOP.split(head.strip())[0].strip(" ,.;:")
    # The repository is the last capitalised run before the fond: "Wilson Center ..., GARF".
    parts = [p.strip() for p in re.split(r",", head) if p.strip()]
    if parts:
        repo = parts[-1]
    ref.repository = repo or None
    ref.fond = fond.group(1).rstrip(".")
    rest = text[fond.end() :]
    if m := _OPIS.search(rest):
        ref.opis = m.group(1).rstrip(".")
        rest = rest[m.end() :]
    if m := _DELO.search(rest):
        ref.delo = m.group(1).rstrip(".")
        rest = rest[m.end() :]
    if m := _FOLIO.search(rest):
        ref.folios = re.sub(r"\s+", " ", m.group(1)).strip(" .,")
        ref.folio_list = _expand_folios(ref.folios)
    return ref


_PEOPLE = re.compile(
    r"\b(?P<roles>(?:(?:obtained|translated|contributed|edited|transcribed|donated|provided|selected|annotated|compiled)"
    r"(?:\s*(?:,|and)\s*)?)+)\s+by\s+(?P<names>.+?)(?=(?:\.\s|\.$|$|\s+and\s+"
    r"(?:obtained|translated|contributed|edited|transcribed|donated|provided|selected|annotated|compiled)\b))",
    re.I,
)
_URL = re.compile(r"<?(https?://[^\s<>]+[^\s<>.,;)])>?")


def parse_people(text: str) -> list[Person]:
    """``Obtained by X and translated by Y.`` -> [X: obtained by, Y: translated by]."""
    people: list[Person] = []
    for m in _PEOPLE.finditer(_URL.sub("", text)):
        roles = re.findall(
            r"obtained|translated|contributed|edited|transcribed|donated|provided|selected|annotated|compiled",
            m.group("roles"),
            re.I,
        )
        names = re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("names").strip().rstrip("."))
        for role in roles:
            for name in names:
                name = name.strip()
                if name:
                    people.append(Person(name=name, role=f"{role.lower()} by"))
    return people


def find_url(text: str) -> str | None:
    m = _URL.search(text)
    return m.group(1) if m else None


_QUOTED = re.compile(r'^\s*["“](?P<title>.+?)["”]\s*,?\s*(?P<rest>.*)$', re.S)


@dataclass
class Citation:
    """The parts of a citation line; a part the line does not name is None (people: empty)."""

    citation: str
    title: str | None = None
    date_text: str | None = None
    publisher: str | None = None
    url: str | None = None
    people: list[Person] = field(default_factory=list)
    archive: ArchiveRef | None = None


def parse_citation(text: str) -> Citation:
    """Split a citation into title, date, publisher, archival reference, people and URL."""
    flat = " ".join(text.split())
    out = Citation(flat)
    rest = flat
    if m := _QUOTED.match(flat):
        out.title = m.group("title").strip().rstrip(",")
        rest = m.group("rest")
    segments = [s.strip() for s in re.split(r",\s*", rest)]
    if segments and parse_date(segments[0]):
        out.date_text = segments[0]
    elif len(segments) > 1 and parse_date(", ".join(segments[:2])):
        out.date_text = ", ".join(segments[:2])
    if pub := re.search(r"(Wilson Center Digital Archive|[A-Z][\w ]*Digital Archive)", flat):
        out.publisher = pub.group(1)
    out.url = find_url(flat) or None
    out.people = parse_people(flat)
    # The archival reference: the sentence holding fond/opis/delo.
    for sentence in re.split(r"(?<=\.)\s+(?=(?:Obtained|Translated|Contributed|https?:|<))", flat):
        ref = parse_archive_ref(sentence.split(" Obtained")[0])
        if ref:
            ref.text = _strip_ref_prefix(ref.text, out.publisher)
            out.archive = ref
            break
    else:
        publisher = out.publisher
        if publisher and publisher in flat:
            tail = flat.split(publisher, 1)[1]
            tail = re.split(r"\.\s+(?=(?:Obtained|Translated|Contributed|Edited|https?:|<))", tail)[
                0
            ]
            tail = _URL.sub("", tail).strip(" ,.")
            if tail:
                out.archive = ArchiveRef(text=tail, repository=re.split(r"[,;]", tail)[0].strip())
    return out


def _strip_ref_prefix(ref_text: str, pub: str | None) -> str:
    """Keep only the archival part of the sentence (after the publisher)."""
    if pub and pub in ref_text:
        ref_text = ref_text.split(pub, 1)[1]
    return ref_text.strip(" ,.")
