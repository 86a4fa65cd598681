"""Archival references in every form the pages use, to a typed ``ArchiveRef``.

Soviet fond/opis/delo/list citations in Latin or Cyrillic (``f. 3, op. 47, d. 277, l. 105``,
``Fond 45, Opis 1, Delo 340, List 82``, ``АП РФ. Ф. 3. Оп. 47. Д. 273. Л. 8``) are parsed by
:func:`citation.parse_archive_ref`; other archives' signatures (``MNL OL XIX-J-1-j``,
``AAN, KC PZPR, XIA/1273``, ``SAPMO-BA, DY 30, 2460``) give the repository and a shelfmark.
"""

from __future__ import annotations

import re

from tei.model import ArchiveRef

from .citation import parse_archive_ref

# ``Ф.З.``: a Cyrillic Ze typed for the digit 3 after a fond/opis/delo/list abbreviation.
_ZE_DIGIT = re.compile(r"(?<![^\W\d_])((?:Ф|Оп|Д|Л|Лл)\.\s*)З(?=[\s.,;]|$)")
# An archive abbreviation: capitals (with dashes) of 2+ letters, one or two words.
_ABBR = r"[A-ZА-Я][A-ZА-Я-]{1,}(?:\s[A-ZА-Я]{2,})?"
_SIGNATURE = re.compile(
    rf"^(?P<repo>{_ABBR})(?:\s*,\s*|\s+)(?P<sig>(?=.*\d)[\w/().-]+(?:(?:\s*,\s*|\s+)[\w/().-]+)*)"
    r"\s*\.?$"
)
_NAMED = re.compile(r"^(?P<name>.+?\((?P<abbr>" + _ABBR + r")\))\s*,?\s*(?P<sig>.*\d.*)$")


def find_archive_ref(text: str) -> ArchiveRef | None:
    """The archival reference in ``text`` (a trailer value, a Source line), or None."""
    flat = " ".join(text.split())
    if not flat:
        return None
    fixed = _ZE_DIGIT.sub(r"\g<1>3", flat)
    ref = parse_archive_ref(fixed)
    if ref:
        ref.text = flat
        if ref.repository:
            ref.repository = ref.repository.strip(" ,.;:") or None
        return ref
    m = _NAMED.match(flat.rstrip("."))
    if m and len(m.group("name")) <= 200:
        return ArchiveRef(text=flat, repository=m.group("name").strip(" ,"))
    m = _SIGNATURE.match(flat)
    if m and len(flat) <= 120:
        return ArchiveRef(
            text=flat,
            repository=m.group("repo"),
            shelfmark=m.group("sig").strip(" ,."),
        )
    return None
