"""Datatypes for the derivative engine: RELAX NG's built-in library and the XSD types.

:func:`datatype` turns ``(library, type, params)`` into a :class:`Datatype`, whose ``allows``
checks a string's lexical form exactly (XSD Part 2, 1.0, as jing's library reads it: whitespace
collapsed first, ``anyURI`` checked the way jing checks it, ``pattern`` facets as XSD regular
expressions) and whose ``key`` gives the value-space identity used by ``<value>``.
An unknown library or type raises :class:`Unsupported` (the caller falls back to libxml2).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from ...ns import XSD_DATATYPES_NS as XSD

_WS = " \t\r\n"


class Unsupported(Exception):
    """A datatype, facet or regular expression this engine does not implement."""


def collapse(s: str) -> str:
    return " ".join(_split(s))


def _split(s: str) -> list[str]:
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ").split()


def _replace(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# --------------------------------------------------------------------------- lexical checks

# XML 1.0 (fifth edition) name characters, as used by NCName/Name/NMTOKEN.
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAMECHAR = _START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"


class _Lazy:
    """A regular expression compiled on first use (the name classes take ~0.1 s)."""

    def __init__(self, src: str):
        self.src = src
        self._rx: re.Pattern[str] | None = None

    def fullmatch(self, s: str) -> re.Match[str] | None:
        if self._rx is None:
            self._rx = re.compile(self.src)
        return self._rx.fullmatch(s)


_NCNAME = _Lazy(f"[{_START}][{_NAMECHAR}]*")
_NAME = _Lazy(f"[:{_START}][:{_NAMECHAR}]*")
_NMTOKEN = _Lazy(f"[:{_NAMECHAR}]+")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|-?INF|NaN")
_BOOLEAN = frozenset({"true", "false", "1", "0"})
_TZ = r"(?P<tz>Z|[+-](?P<tzh>[0-9]{2}):(?P<tzm>[0-9]{2}))?"
_YEAR = r"(?P<y>-?(?:[1-9][0-9]{4,}|[0-9]{4}))"
_MONTH = r"(?P<m>[0-9]{2})"
_DAY = r"(?P<d>[0-9]{2})"
_TIME = r"(?P<hh>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<ss>[0-9]{2}(?:\.[0-9]+)?)"
_DATES = {
    "dateTime": re.compile(f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}"),
    "date": re.compile(f"{_YEAR}-{_MONTH}-{_DAY}{_TZ}"),
    "time": re.compile(f"{_TIME}{_TZ}"),
    "gYearMonth": re.compile(f"{_YEAR}-{_MONTH}{_TZ}"),
    "gYear": re.compile(f"{_YEAR}{_TZ}"),
    "gMonthDay": re.compile(f"--{_MONTH}-{_DAY}{_TZ}"),
    "gDay": re.compile(f"---{_DAY}{_TZ}"),
    "gMonth": re.compile(f"--{_MONTH}{_TZ}"),
}
_DURATION = re.compile(
    r"-?P(?:(?P<y>[0-9]+)Y)?(?:(?P<mo>[0-9]+)M)?(?:(?P<d>[0-9]+)D)?"
    r"(?:T(?:(?P<h>[0-9]+)H)?(?:(?P<mi>[0-9]+)M)?(?:(?P<s>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)S)?)?"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date_ok(kind: str, s: str) -> bool:
    m = _DATES[kind].fullmatch(s)
    if m is None:
        return False
    g = m.groupdict()
    if g.get("y") is not None and int(g["y"]) == 0:
        return False  # XSD 1.0 has no year 0000
    month = int(g["m"]) if g.get("m") is not None else None
    if month is not None and not 1 <= month <= 12:
        return False
    if g.get("d") is not None:
        day = int(g["d"])
        limit = _DAYS[month - 1] if month is not None else 31
        if month == 2 and g.get("y") is not None:
            y = abs(int(g["y"]))
            y = int(g["y"])
            leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
            limit = 29 if leap else 28
        if not 1 <= day <= limit:
            return False
    if g.get("hh") is not None:
        hh, mi, ss = int(g["hh"]), int(g["mi"]), float(g["ss"])
        if hh == 24:
            if mi or ss:
                return False
        elif hh > 23 or mi > 59 or ss >= 60:
            return False
    if g.get("tzh") is not None:
        th, tm = int(g["tzh"]), int(g["tzm"])
        if tm > 59 or th > 14 or (th == 14 and tm):
            return False
    return True


def _duration_ok(s: str) -> bool:
    m = _DURATION.fullmatch(s)
    if m is None or s.endswith("T"):
        return False
    return any(v is not None for v in m.groupdict().values())


def _uri_ok(s: str) -> bool:
    """jing's anyURI check: well-formed %XX escapes, at most one '#', a well-formed scheme
    when the reference is absolute (a ':' before any '/', '?' or '#')."""
    i = s.find("%")
    while i >= 0:
        if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
            return False
        i = s.find("%", i + 1)
    h = s.find("#")
    if h >= 0 and s.find("#", h + 1) >= 0:
        return False
    c = s.find(":")
    if c < 0 or any(ch in "#/?" for ch in s[:c]):
        return True  # relative
    if c == 0 or c + 1 == len(s) or not _alpha(s[0]):
        return False
    return all(_alpha(ch) or ch in "0123456789+-." for ch in s[1:c])


_HEX = frozenset("0123456789abcdefABCDEF")


def _alpha(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def _float_key(s: str) -> float:
    return float(s.replace("INF", "inf"))


def _decimal_key(s: str) -> str:
    """A decimal's value as a canonical string (``1.50`` and ``+1.5`` give ``1.5``)."""
    try:
        d = Decimal(s)
    except InvalidOperation:
        return "0"
    return "0" if d == 0 else format(d.normalize(), "f")


# name -> (whitespace: "preserve"|"replace"|"collapse", lexical check or None, value key or None)
_Lex = Callable[[str], bool] | None
_TYPES: dict[str, tuple[str, _Lex, Callable[[str], object] | None]] = {
    "string": ("preserve", None, None),
    "normalizedString": ("replace", None, None),
    "token": ("collapse", None, None),
    "NCName": ("collapse", lambda s: _NCNAME.fullmatch(s) is not None, None),
    "ID": ("collapse", lambda s: _NCNAME.fullmatch(s) is not None, None),
    "IDREF": ("collapse", lambda s: _NCNAME.fullmatch(s) is not None, None),
    "ENTITY": ("collapse", lambda s: _NCNAME.fullmatch(s) is not None, None),
    "IDREFS": (
        "collapse",
        lambda s: bool(s) and all(_NCNAME.fullmatch(t) for t in s.split()),
        None,
    ),
    "ENTITIES": (
        "collapse",
        lambda s: bool(s) and all(_NCNAME.fullmatch(t) for t in s.split()),
        None,
    ),
    "Name": ("collapse", lambda s: _NAME.fullmatch(s) is not None, None),
    "NMTOKEN": ("collapse", lambda s: _NMTOKEN.fullmatch(s) is not None, None),
    "NMTOKENS": (
        "collapse",
        lambda s: bool(s) and all(_NMTOKEN.fullmatch(t) for t in s.split()),
        None,
    ),
    "language": ("collapse", lambda s: _LANGUAGE.fullmatch(s) is not None, None),
    "anyURI": ("collapse", _uri_ok, None),
    "boolean": ("collapse", lambda s: s in _BOOLEAN, lambda s: s in ("true", "1")),
    "decimal": ("collapse", lambda s: _DECIMAL.fullmatch(s) is not None, _decimal_key),
    "double": ("collapse", lambda s: _DOUBLE.fullmatch(s) is not None, _float_key),
    "float": ("collapse", lambda s: _DOUBLE.fullmatch(s) is not None, _float_key),
    "duration": ("collapse", _duration_ok, None),
}


def _date_check(kind: str) -> Callable[[str], bool]:
    return lambda s: _date_ok(kind, s)


for _k in _DATES:
    _TYPES[_k] = ("collapse", _date_check(_k), None)

# integer types: (min, max) of the value space
_INTS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}


def _int_check(lo: int | None, hi: int | None) -> Callable[[str], bool]:
    def ok(s: str) -> bool:
        if _INTEGER.fullmatch(s) is None:
            return False
        v = int(s)
        return (lo is None or v >= lo) and (hi is None or v <= hi)

    return ok


for _k, (_lo, _hi) in _INTS.items():
    _TYPES[_k] = ("collapse", _int_check(_lo, _hi), int)


class Datatype:
    """One datatype with its facets: ``allows(s)`` and ``key(s)`` (value identity)."""

    __slots__ = ("allows", "key", "always")

    def __init__(
        self, allows: Callable[[str], bool], key: Callable[[str], object], always: bool
    ) -> None:
        self.allows = allows
        self.key = key
        self.always = always  # every string is allowed


def datatype(library: str, name: str, params: tuple[tuple[str, str], ...] = ()) -> Datatype:
    if library == "":
        if params:
            raise Unsupported("parameters on a built-in datatype")
        if name == "string":
            return Datatype(lambda s: True, lambda s: s, True)
        if name == "token":
            return Datatype(lambda s: True, collapse, True)
        raise Unsupported(f"unknown built-in datatype {name!r}")
    if library != XSD:
        raise Unsupported(f"datatype library {library!r}")
    spec = _TYPES.get(name)
    if spec is None:
        raise Unsupported(f"XSD datatype {name!r}")
    ws, lex, valkey = spec
    norm: Callable[[str], str]
    if ws == "collapse":
        norm = collapse
    elif ws == "replace":
        norm = _replace
    else:

        def norm(s: str) -> str:
            return s

    checks: list[Callable[[str], bool]] = []
    if lex is not None:
        checks.append(lex)
    for pname, pval in params:
        checks.append(_facet(pname, pval, name, valkey))
    vk = valkey

    def key(s: str) -> object:
        n = norm(s)
        return vk(n) if vk is not None else n

    if not checks:
        return Datatype(lambda s: True, key, True)
    if len(checks) == 1 and ws == "preserve":
        return Datatype(checks[0], key, False)
    first = checks[0] if len(checks) == 1 else None

    def allows(s: str) -> bool:
        n = norm(s)
        if first is not None:
            return first(n)
        return all(c(n) for c in checks)

    return Datatype(allows, key, False)


def _facet(
    pname: str, pval: str, tname: str, valkey: Callable[[str], object] | None
) -> Callable[[str], bool]:
    if pname == "pattern":
        return xsd_pattern(pval)
    if pname in ("length", "minLength", "maxLength"):
        n = int(pval)
        if tname in ("string", "normalizedString", "token", "NCName", "Name", "NMTOKEN"):
            if pname == "length":
                return lambda s: len(s) == n
            if pname == "minLength":
                return lambda s: len(s) >= n
            return lambda s: len(s) <= n
        raise Unsupported(f"facet {pname} on {tname}")
    if pname in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        if valkey is None or tname == "boolean":
            raise Unsupported(f"facet {pname} on {tname}")
        kf = Decimal if valkey is _decimal_key else valkey
        bound = kf(pval.strip())

        def cmp(s: str) -> bool:
            try:
                v = kf(s)
            except (ValueError, InvalidOperation):
                return False
            if isinstance(v, float) and math.isnan(v):
                return False
            if pname == "minInclusive":
                return v >= bound  # type: ignore[operator]
            if pname == "maxInclusive":
                return v <= bound  # type: ignore[operator]
            if pname == "minExclusive":
                return v > bound  # type: ignore[operator]
            return v < bound  # type: ignore[operator]

        return cmp
    if pname in ("totalDigits", "fractionDigits"):
        n = int(pval)

        def digits(s: str) -> bool:
            body = s.lstrip("+-")
            whole, _, frac = body.partition(".")
            frac = frac.rstrip("0")
            whole = whole.lstrip("0")
            if pname == "fractionDigits":
                return len(frac) <= n
            return len(whole) + len(frac) <= n

        return digits
    raise Unsupported(f"facet {pname}")


# --------------------------------------------------------------------------- XSD regexes

_PATTERNS: dict[str, Callable[[str], bool]] = {}


def xsd_pattern(src: str) -> Callable[[str], bool]:
    """A predicate for an XSD 1.0 regular expression (implicitly anchored at both ends)."""
    hit = _PATTERNS.get(src)
    if hit is None:
        if src == r"[^\p{C}\p{Z}]+":
            # Python's "printable" is exactly "not in Other or Separator", except ASCII space
            hit = _printable
        else:
            rx = re.compile(translate(src), re.DOTALL)

            def hit(s: str, _m: Callable = rx.fullmatch) -> bool:
                return _m(s) is not None

        _PATTERNS[src] = hit
    return hit


def _printable(s: str) -> bool:
    return bool(s) and s.isprintable() and " " not in s


_SPACE = [(0x9, 0xA), (0xD, 0xD), (0x20, 0x20)]
_MAX = 0x10FFFF


def _negate(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    nxt = 0
    for a, b in _merge(ranges):
        if a > nxt:
            out.append((nxt, a - 1))
        nxt = b + 1
    if nxt <= _MAX:
        out.append((nxt, _MAX))
    return out


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


_CATEGORY_RANGES: dict[str, list[tuple[int, int]]] = {}


def _category(name: str) -> list[tuple[int, int]]:
    """Code point ranges of a Unicode general category (``L``, ``Lu``, ...)."""
    hit = _CATEGORY_RANGES.get(name)
    if hit is None:
        out: list[tuple[int, int]] = []
        cat = unicodedata.category
        start = None
        for c in range(_MAX + 1):
            if cat(chr(c)).startswith(name):
                if start is None:
                    start = c
            elif start is not None:
                out.append((start, c - 1))
                start = None
        if start is not None:
            out.append((start, _MAX))
        hit = _CATEGORY_RANGES[name] = out
    return hit


_CATEGORIES = frozenset(
    "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp "
    "S Sm Sc Sk So C Cc Cf Co Cn".split()
)


def _escape_ranges(ch: str, prop: str | None) -> list[tuple[int, int]]:
    """The ranges of a multi-character escape (``\\s``, ``\\d``, ``\\p{..}``, ...)."""
    if ch in "pP":
        assert prop is not None
        if prop not in _CATEGORIES:
            raise Unsupported(f"regex property \\{ch}{{{prop}}}")
        r = _category(prop)
        return r if ch == "p" else _negate(r)
    if ch in "sS":
        return _SPACE if ch == "s" else _negate(_SPACE)
    if ch in "dD":
        r = _category("Nd")
        return r if ch == "d" else _negate(r)
    if ch in "wW":
        r = _negate(_merge(_category("P") + _category("Z") + _category("C")))
        return r if ch == "w" else _negate(r)
    if ch in "iI":
        r = _class_ranges(_START + ":")
        return r if ch == "i" else _negate(r)
    if ch in "cC":
        r = _class_ranges(_NAMECHAR + ":")
        return r if ch == "c" else _negate(r)
    raise Unsupported(f"regex escape \\{ch}")


def _class_ranges(body: str) -> list[tuple[int, int]]:
    """Ranges of a simple Python class body made of literal characters and ``a-b`` pairs."""
    out = []
    i = 0
    body = body.replace("\\-", "\x00-")  # only used with the name tables above
    chars = [c for c in body]
    while i < len(chars):
        c = chars[i]
        if c == "\x00":
            out.append((ord("-"), ord("-")))
            i += 2
            continue
        if i + 2 < len(chars) and chars[i + 1] == "-":
            out.append((ord(c), ord(chars[i + 2])))
            i += 3
        else:
            out.append((ord(c), ord(c)))
            i += 1
    return _merge(out)


_SINGLE = {"n": "\n", "r": "\r", "t": "\t"}
_META = set("\\|.-^?*+{}()[]")
_FAST = {"s": r"[\t\n\r ]", "S": r"[^\t\n\r ]", "d": r"\d", "D": r"\D"}


def translate(src: str) -> str:
    """An XSD regular expression as a Python one (to be used with ``fullmatch``)."""
    out: list[str] = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c == "[":
            ranges, i = _parse_class(src, i)
            out.append(_emit(ranges))
            continue
        if c == "\\":
            esc, prop, i = _parse_escape(src, i)
            if prop is None and esc in _FAST:
                out.append(_FAST[esc])
            elif prop is None and esc not in "iIcCwWpP":
                out.append(re.escape(_SINGLE.get(esc, esc)))
            else:
                out.append(_emit(_escape_ranges(esc, prop)))
            continue
        if c == ".":
            out.append(r"[^\n\r]")
        elif c in "^$":
            out.append("\\" + c)
        elif c == "(":
            out.append("(?:")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _parse_escape(src: str, i: int) -> tuple[str, str | None, int]:
    if i + 1 >= len(src):
        raise Unsupported("regex ends in a backslash")
    c = src[i + 1]
    if c in "pP":
        if i + 2 >= len(src) or src[i + 2] != "{":
            raise Unsupported("malformed \\p")
        end = src.find("}", i + 3)
        if end < 0:
            raise Unsupported("malformed \\p")
        return c, src[i + 3 : end], end + 1
    if c in _SINGLE or c in _META or c in "sSdDwWiIcC":
        return c, None, i + 2
    raise Unsupported(f"regex escape \\{c}")


def _parse_class(src: str, i: int, digits_ok: bool = True) -> tuple[list[tuple[int, int]], int]:
    """``[...]`` at ``src[i]``: its ranges and the index after it (subtraction included).

    With ``digits_ok``, a ``\\d`` in a class without subtraction is kept as the range
    ``(-1, -1)`` (emitted as Python's ``\\d``, which is XSD's ``\\p{Nd}``), sparing a
    scan of the Unicode table."""
    assert src[i] == "["
    i += 1
    neg = False
    if i < len(src) and src[i] == "^":
        neg = True
        i += 1
    ranges: list[tuple[int, int]] = []
    first = True
    while True:
        if i >= len(src):
            raise Unsupported("unterminated character class")
        c = src[i]
        if c == "]" and not first:
            i += 1
            break
        if c == "-" and i + 1 < len(src) and src[i + 1] == "[":
            if (-1, -1) in ranges:
                ranges = [r for r in ranges if r != (-1, -1)] + _category("Nd")
            sub, i = _parse_class(src, i + 1, digits_ok=False)
            if i >= len(src) or src[i] != "]":
                raise Unsupported("malformed class subtraction")
            i += 1
            base = _negate(ranges) if neg else _merge(ranges)
            return _subtract(base, sub), i
        first = False
        if c == "\\":
            esc, prop, j = _parse_escape(src, i)
            if esc == "d" and prop is None and digits_ok:
                ranges.append((-1, -1))
                i = j
                continue
            if prop is not None or esc in "sSdDwWiIcC":
                ranges.extend(_escape_ranges(esc, prop))
                i = j
                continue
            lo = ord(_SINGLE.get(esc, esc))
            i = j
        else:
            lo = ord(c)
            i += 1
        if i + 1 < len(src) and src[i] == "-" and src[i + 1] not in "[]":
            hc = src[i + 1]
            if hc == "\\":
                esc, prop, j = _parse_escape(src, i + 1)
                if prop is not None or esc in "sSdDwWiIcC":
                    raise Unsupported("range ends in a class escape")
                hi = ord(_SINGLE.get(esc, esc))
                i = j
            else:
                hi = ord(hc)
                i += 2
            ranges.append((lo, hi))
        else:
            ranges.append((lo, lo))
    if (-1, -1) in ranges:
        rest = _merge([r for r in ranges if r != (-1, -1)])
        return [(-2 if neg else -1, -1)] + rest, i
    return (_negate(ranges) if neg else _merge(ranges)), i


def _subtract(base: list[tuple[int, int]], sub: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return _negate(_merge(_negate(base) + sub))


def _emit(ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return "(?!)"
    parts = []
    if ranges[0][0] < 0:  # a class with \\d kept as Python's \\d (see _parse_class)
        neg = ranges[0][0] == -2
        parts.append("^" if neg else "")
        parts.append("\\d")
        ranges = ranges[1:]
        if not ranges:
            return "[" + "".join(parts) + "]"
    for a, b in _merge(ranges):
        parts.append(_char(a) if a == b else f"{_char(a)}-{_char(b)}")
    return "[" + "".join(parts) + "]"


def _char(c: int) -> str:
    if c < 0x10000:
        return f"\\u{c:04x}"
    return f"\\U{c:08x}"
