"""Dates as written on archive pages -> ISO 8601 (``April 29, 1945`` -> ``1945-04-29``)."""

from __future__ import annotations

import re

from tei.months import DE_MONTH_FORMS, EN_ABBREVIATIONS, EN_MONTHS, RU_MONTH_FORMS

MONTHS = {
    **{m: i for i, m in enumerate(EN_MONTHS, 1)},
    **EN_ABBREVIATIONS,
    **RU_MONTH_FORMS,
    **DE_MONTH_FORMS,
}

_M = r"([A-Za-zА-Яа-яЁёä]+)\.?"
_PATTERNS = [
    (re.compile(rf"^{_M}\s+(\d{{1,2}}),?\s+(\d{{4}})$"), ("m", "d", "y")),  # April 29, 1945
    (re.compile(rf"^(\d{{1,2}})\.?\s+{_M}\s+(\d{{4}})(?:\s*(?:г\.?|года))?$"), ("d", "m", "y")),
    (re.compile(rf"^{_M}\s+(\d{{4}})$"), ("m", "y")),  # July 1945
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "mn", "d")),
    (re.compile(r"^(\d{4})-(\d{2})$"), ("y", "mn")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]
_YEAR = re.compile(r"\d{4}")


def parse_date(text: str) -> str | None:
    """Return the ISO form of a whole-string date, or None if ``text`` is not a date."""
    s = " ".join(text.strip().strip("*#_ ").split()).rstrip(".,")
    if not _YEAR.search(s):
        return None  # every pattern has a four-digit year: one scan instead of six matches
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
