"""Reading raw pages: decoding, binary detection, line-end and markdown-escape normalisation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tei.errors import InputError

# Real archive pages are 5-30 kB.  Some reading steps are still quadratic in the number of
# paragraphs and of unclosed brackets, so a bigger page could run for minutes: refuse it
# up front with a clear error instead (raise this once those steps are linear).
MAX_TEXT_BYTES = 1024 * 1024


@dataclass
class SourceText:
    """A decoded raw page with the warnings decoding produced."""

    name: str
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:65536] and not (data.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def _cyrillic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0400" <= c <= "\u04ff") / len(letters)


_WORD = re.compile(r"[^\W\d_]{2,}")


def _cp1251_words(text: str) -> bool:
    """More all-Cyrillic words than words mixing Cyrillic and Latin letters?

    Read as CP1251, Russian gives whole Cyrillic words; Latin-1 accents give Latin words with
    a stray Cyrillic letter in them ("caf\u0449").  The share of Cyrillic letters alone fails
    on a Russian text below a long English page header.
    """
    pure = mixed = 0
    for word in _WORD.findall(text):
        cyr = sum(1 for c in word if "\u0400" <= c <= "\u04ff")
        if cyr == len(word):
            pure += 1
        elif cyr:
            mixed += 1
    return pure > mixed


def decode(data: bytes, name: str) -> SourceText:
    """Decode raw bytes: UTF-8 (BOM optional), UTF-16 with BOM, else CP1251/Latin-1 (warning)."""
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            f"raw page is {len(data) / 2**20:.1f} MB, larger than the "
            f"{MAX_TEXT_BYTES / 2**20:g} MB limit for one page",
            path=name,
            exit_code=1,
        )
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data, enc = data[3:], "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _finish(name, data.decode("utf-16"), "utf-16", warnings)
        except UnicodeDecodeError:
            raise InputError(
                "UTF-16 byte order mark but the bytes are not UTF-16", path=name
            ) from None
    else:
        enc = "utf-8"
    if _looks_binary(data):
        raise InputError("looks like a binary file, not a text page", path=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cp = data.decode("cp1251", errors="replace")
        if _cyrillic_share(cp) > 0.3 or _cp1251_words(cp):
            text, enc = cp, "cp1251"
        else:
            text, enc = data.decode("latin-1"), "latin-1"
        check = "the Cyrillic" if enc == "cp1251" else "accented letters"
        warnings.append(
            f"not valid UTF-8 (byte {exc.start}); decoded as {enc.upper()} — check {check}"
        )
    return _finish(name, text, enc, warnings)


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def normalise(text: str) -> str:
    """Unify line ends, Unicode (NFC), non-breaking spaces and markdown backslash escapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    text = _MD_ESCAPE.sub(r"\1", text)
    return text


# Separators XML cannot carry: a vertical tab (Word's manual line break) and the information
# separators U+001C-001F stand between words, so they become spaces, never deletions.
_SEPARATORS = re.compile("[\x0b\x1c-\x1f]")
# Other characters XML 1.0 cannot carry (C0 controls but TAB/LF/CR, U+FFFE/U+FFFF, surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1b\ufffe\uffff\ud800-\udfff]")


def _finish(name: str, text: str, enc: str, warnings: list[str]) -> SourceText:
    text = text.replace("\f", "\n\n")  # a form feed (page break) ends a paragraph
    text = _SEPARATORS.sub(" ", text)
    text, n = _NOT_XML.subn("", text)
    if n:
        warnings.append(
            f"removed {n} control character{'s' if n > 1 else ''} that XML cannot contain"
        )
    text = normalise(text)
    if not text.strip():
        raise InputError("file is empty (no text)", path=name)
    return SourceText(name=name, text=text, encoding=enc, warnings=warnings)
