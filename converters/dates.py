"""Dates as written on archive pages -> ISO 8601 (``April 29, 1945`` -> ``1945-04-29``)."""

from __future__ import annotations

import re

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Russian, nominative and genitive
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7,
    "июля": 7, "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10,
    "октября": 10, "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
    # German
    "januar": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
}  # fmt: skip

_M = r"([A-Za-zА-Яа-яЁёä]+)\.?"
_PATTERNS = [
    (re.compile(rf"^{_M}\s+(\d{{1,2}}),?\s+(\d{{4}})$"), ("m", "d", "y")),  # April 29, 1945
    (re.compile(rf"^(\d{{1,2}})\.?\s+{_M}\s+(\d{{4}})(?:\s*(?:г\.?|года))?$"), ("d", "m", "y")),
    (re.compile(rf"^{_M}\s+(\d{{4}})$"), ("m", "y")),  # July 1945
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "mn", "d")),
    (re.compile(r"^(\d{4})-(\d{2})$"), ("y", "mn")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]


def parse_date(text: str) -> str | None:
    """Return the ISO form of a whole-string date, or None if ``text`` is not a date."""
    s = " ".join(text.strip().strip("*#_ ").split()).rstrip(".,")
    for rx, parts in _PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        vals: dict[str, int] = {}
        for key, raw in zip(parts, m.groups(), strict=True):
            if key == "m":
                month = MONTHS.get(raw.lower())
                if month is None:
                    break
                vals["m"] = month
            elif key == "mn":
                vals["m"] = int(raw)
            else:
                vals[key] = int(raw)
        else:
            y, mo, d = vals.get("y"), vals.get("m"), vals.get("d")
            if y is None or not 1 <= (mo or 1) <= 12 or not 1 <= (d or 1) <= 31:
                return None
            if d is not None and mo is not None:
                return f"{y:04d}-{mo:02d}-{d:02d}"
            if mo is not None:
                return f"{y:04d}-{mo:02d}"
            return f"{y:04d}"
    return None


_PREFIX = re.compile(
    r"^(?P<date>(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})|(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
    r"|(?:[A-Z][a-z]+\s+\d{4}))\s+(?P<rest>\S.*)$"
)


def split_date_prefix(line: str) -> tuple[str, str] | None:
    """``June 14, 1937 Concerning X`` -> (``June 14, 1937``, ``Concerning X``) when it parses."""
    m = _PREFIX.match(line.strip())
    if m and parse_date(m.group("date")):
        return m.group("date"), m.group("rest")
    return None
