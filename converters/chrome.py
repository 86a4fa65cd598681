"""Site chrome: navigation and widget text a reader copies along with an archive page.

Chrome is not part of the document; it is kept (never dropped) as a header note.
"""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*(?:[•·▪◦*-]\s*)+")
CHROME_LINE = re.compile(
    r"^(?:skip to (?:main )?content|menu|search|home|search in|get citation|share document"
    r"|share|print|download|no image found\.?|digital archive|international history declassified"
    r"|digital archive\s+international history declassified"
    r"|(?:[A-Z][a-z]+\s+)?(?:html|pdf)(?:\s*\(\d[\d.,]*\s*[kmg]b\))?"
    r"|total page:?\s*\d+|file type:?\s*\w+(?:,\s*size:?\s*[\d.,]+\s*[kmg]b)?)$",
    re.I,
)
# PDF exports start their first line with the site's banner before the date and title.
_BANNER = re.compile(
    r"^(?P<banner>(?:digital archive\s+)?(?:digitalarchive\.wilsoncenter\.org\s+)?"
    r"international history declassified)\s+(?=\S)",
    re.I,
)


def unbullet(line: str) -> str:
    """The line without a leading bullet (``• Citation`` -> ``Citation``)."""
    return _BULLET.sub("", line).strip()


def is_chrome(line: str) -> bool:
    s = unbullet(line).replace("**", "").strip()
    return bool(s) and bool(CHROME_LINE.match(s))


def split_banner(line: str) -> tuple[str, str] | None:
    """``Digital Archive ... International History Declassified November 01, 1989 ...``:
    (banner, the rest) when a line opens with the site banner."""
    m = _BANNER.match(line.strip())
    if not m:
        return None
    return m.group("banner"), line.strip()[m.end() :]
