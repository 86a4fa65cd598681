"""Hardened XML parsing: no network, no external entities, no DTD loading, bounded size.

Every XML input the product reads goes through :func:`parse_file` or :func:`parse_bytes`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from lxml import etree

from .errors import InputError, UnreadableError

MAX_XML_BYTES = 200 * 1024 * 1024


class XmlContentError(InputError):
    """The file was read but its bytes are not acceptable XML (not well-formed, or unsafe).

    Exit code 1, like any other invalid content; unreadable files stay ``InputError`` (2).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, path=path, exit_code=1)
        self.line = line
        self.column = column


# The prolog, token by token (XML 1.0 sections 2.8 and 2.10): a DOCTYPE can only come before
# the root element, so a "<!DOCTYPE" after the first start tag (in CDATA, a comment, text) is
# never one.  The bytes are read as Latin-1 (one character per byte, so ASCII markup matches
# and positions stay byte offsets) or, for UTF-16/32, decoded first.
_PATTERNS = {
    "skip": r"\s+|<\?.*?\?>|<!--.*?-->",
    "head": r"<!DOCTYPE\s+[^\s\[>]+"
    r"(?:\s+(?P<kind>SYSTEM|PUBLIC)(?P<ids>(?:\s*(?:\"[^\"]*\"|'[^']*'))+))?\s*",
    "subset_skip": r"\s+|<\?.*?\?>|<!--.*?-->|%[^\s;]+;",
    "decl": r"<!(?P<kw>ENTITY|ELEMENT|ATTLIST|NOTATION)\b"
    r"(?P<body>(?:[^\"'>]|\"[^\"]*\"|'[^']*')*)>",
    "entity": r"\s+(?:%\s+)?(?P<name>\S+)\s+(?P<ext>SYSTEM|PUBLIC)?",
    "quoted": r"\"([^\"]*)\"|'([^']*)'",
}
_RX = {k: re.compile(v, re.S) for k, v in _PATTERNS.items()}
_WIDE = (  # (first bytes, codec, bytes to drop)
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"<\x00?\x00", "utf-16-le", 0),  # no byte order mark, declared
    (b"\x00<\x00?", "utf-16-be", 0),
)


class _Prolog:
    """The document's prolog as far as the DOCTYPE goes, read without the parser."""

    def __init__(self, data: bytes):
        self.narrow = True  # Latin-1 view of an ASCII-compatible encoding
        self.buf = data.decode("latin-1")
        self.rx = _RX
        for first, codec, drop in _WIDE:
            if data.startswith(first):
                self.buf = data[drop:].decode(codec, "replace")
                self.narrow = False
                break

    def text(self, s: str) -> str:
        """A piece of the buffer as the characters it stands for."""
        return s.encode("latin-1").decode("utf-8", "replace") if self.narrow else s

    def starts(self, at: int, what: str) -> bool:
        return self.buf.startswith(what, at)

    def doctype(self) -> int | None:
        """Where the DOCTYPE declaration starts (``None``: the document has none)."""
        pos = 3 if self.narrow and self.buf[:3] == "\xef\xbb\xbf" else 0
        skip = self.rx["skip"]
        while (m := skip.match(self.buf, pos)) is not None:
            pos = m.end()
        return pos if self.starts(pos, "<!DOCTYPE") else None

    def line_col(self, pos: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``pos``."""
        buf = self.buf
        start = buf.rfind("\n", 0, pos) + 1
        return buf.count("\n", 0, pos) + 1, len(self.text(buf[start:pos])) + 1

    def refusal(self, what: str, why: str, pos: int, where: str) -> XmlContentError:
        line, col = self.line_col(pos)
        return XmlContentError(
            f"{what} at line {line}, column {col}: {why}", path=where, line=line, column=col
        )


def _check_doctype(data: bytes, where: str) -> None:
    """Refuse DTD features before libxml2 sees them: entities (XXE, billion laughs) and
    external DTDs, one clear line each with the line and column of the declaration.

    Only the prolog is read: a ``<!DOCTYPE`` shown as text in a comment or CDATA section of
    the document (TEI's own documentation does this) is no declaration.
    """
    doc = _Prolog(data)
    start = doc.doctype()
    if start is None:
        return
    rx, buf = doc.rx, doc.buf
    m = rx["head"].match(buf, start)
    if not m:
        return  # malformed: the parser will say so
    pos = m.end()
    if doc.starts(pos, "["):
        pos += 1
        while not doc.starts(pos, "]"):
            skip = rx["subset_skip"].match(buf, pos)
            if skip is not None and skip.end() > pos:
                pos = skip.end()
                continue
            decl = rx["decl"].match(buf, pos)
            if decl is None:
                break  # malformed or unknown: the parser says so, the post-parse check stays
            if decl.group("kw") == "ENTITY":
                ent = rx["entity"].match(decl.group("body"))
                name = doc.text(ent.group("name")) if ent else "?"
                if ent and ent.group("ext"):
                    raise doc.refusal(
                        f"external entity '{name}' is declared in the DTD",
                        "refusing to read it",
                        pos,
                        where,
                    )
                raise doc.refusal(
                    f"the DTD declares entity '{name}'",
                    "entity expansion is refused (TEI files should use characters, not entities)",
                    pos,
                    where,
                )
            pos = decl.end()
    if m.group("kind"):
        ids = [doc.text(a or b) for a, b in rx["quoted"].findall(m.group("ids"))]
        raise doc.refusal(
            f"the document refers to an external DTD '{ids[-1] if ids else ''}'",
            "DTDs are never loaded (remove the DOCTYPE declaration)",
            start,
            where,
        )


def _parser(*, collect_ids: bool = False) -> etree.XMLParser:
    # collect_ids=False: a duplicate xml:id must be a validation finding, not a parse failure.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=collect_ids,
    )


class _NoResolver(etree.Resolver):
    """Refuses every external resource (DTDs, entities, XIncludes)."""

    def resolve(self, url, pubid, context):  # noqa: D102
        return self.resolve_string("", context)


def safe_parser() -> etree.XMLParser:
    """A parser that never reads anything but the bytes it is given."""
    p = _parser()
    p.resolvers.add(_NoResolver())
    return p


def _check_entities(tree: etree._ElementTree, data: bytes, where: str) -> None:
    """What the parser saw of a DTD, refused all the same if the prolog scan missed it.

    Never loaded, but refused: written back out (tei align), it would make the next, less
    careful tool read it.
    """
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    external = docinfo.system_url or docinfo.public_id
    if not external and (dtd is None or not any(True for _ in dtd.iterentities())):
        return
    doc = _Prolog(data)
    at = doc.doctype() or 0
    if external:
        raise doc.refusal(
            f"the document refers to an external DTD '{external}'",
            "DTDs are never loaded (remove the DOCTYPE declaration)",
            at,
            where,
        )
    assert dtd is not None
    for ent in dtd.iterentities():
        if ent.system_url or ent.content is None:
            raise doc.refusal(
                f"external entity '{ent.name}' is declared in the DTD",
                "refusing to read it",
                at,
                where,
            )
    raise doc.refusal(
        "the document declares entities in an internal DTD subset",
        "TEI files should use characters, not entities",
        at,
        where,
    )


_HUGE = re.compile(r",?\s*(?:try|use) XML_PARSE_HUGE(?: option)?")


def _not_xml(data: bytes) -> str | None:
    """A clearer reason than libxml2's for bytes that are not XML text at all."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None  # a UTF-16/32 byte order mark: libxml2's own message is better
    if head[:2] in (b"<\x00", b"\x00<") and head[:10] not in (
        b"<\x00?\x00x\x00m\x00l\x00",
        b"\x00<\x00?\x00x\x00m\x00l",
    ):
        return (
            "looks like UTF-16 without a byte order mark or an encoding declaration; "
            "save it as UTF-8, or as UTF-16 with a BOM"
        )
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > max(8, len(head) // 100):
        return "looks like a binary file, not XML"
    return None


def parse_bytes(
    data: bytes, *, path: str = "<bytes>", base_url: str | None = None
) -> etree._ElementTree:
    """Parse XML bytes with the hardened parser; raise InputError with a one-line reason.

    ``base_url`` only records where the document came from (for relative references that a
    caller resolves itself, e.g. RELAX NG includes); nothing is ever fetched from it.
    """
    if len(data) > MAX_XML_BYTES:
        raise XmlContentError(f"file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB", path=path)
    if not data.strip():
        raise XmlContentError("file is empty", path=path)
    _check_doctype(data, path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser(), base_url=base_url))
    except etree.XMLSyntaxError as exc:
        why = _not_xml(data)
        if why:
            raise XmlContentError(why, path=path) from None
        line = getattr(exc, "lineno", None) or (exc.position[0] if exc.position else 0)
        col = exc.position[1] if getattr(exc, "position", None) else 0
        msg = str(exc.msg if hasattr(exc, "msg") else exc).split(", line ")[0]
        # libxml2 messages may end in a newline and suggest an option users cannot set:
        # keep the report on one line and say what the limit is.
        msg = _HUGE.sub(
            " (a limit of the hardened parser: nesting depth 256, "
            "10 MB per text or attribute value)",
            " ".join(msg.split()),
        )
        raise XmlContentError(
            f"not well-formed XML at line {line}, column {col}: {msg}",
            path=path,
            line=line or None,
            column=col or None,
        ) from None
    except ValueError as exc:
        raise XmlContentError(f"cannot parse XML: {exc}", path=path) from None
    _check_entities(tree, data, path)
    return tree


def read_input(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """Read a file the user named, with clear errors for directories and missing files.

    Only regular files are read: a FIFO or a device (``/dev/zero``) would block or never end.
    With ``max_bytes``, a larger file is refused before it is read (exit status 1).
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise UnreadableError("is a directory, expected a file", path=str(p))
        # O_NONBLOCK: opening a FIFO must not wait for a writer; no effect on regular files.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise UnreadableError("is a directory, expected a file", path=str(p))
            if not stat.S_ISREG(st.st_mode):
                raise UnreadableError(
                    "is not a regular file (a pipe, socket or device)", path=str(p)
                )
            if max_bytes is not None and st.st_size > max_bytes:
                raise InputError(
                    f"file is {st.st_size / 2**20:.1f} MB, larger than the "
                    f"{max_bytes / 2**20:g} MB limit",
                    path=str(p),
                    exit_code=1,
                )
            return fh.read()
    except FileNotFoundError:
        raise UnreadableError("no such file", path=str(p)) from None
    except PermissionError:
        raise UnreadableError("permission denied", path=str(p)) from None
    except IsADirectoryError:
        raise UnreadableError("is a directory, expected a file", path=str(p)) from None
    except OSError as exc:
        raise UnreadableError(f"cannot read: {exc.strerror or exc}", path=str(p)) from None


def parse_file(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse one XML file with the hardened parser."""
    return parse_bytes(read_input(path), path=str(path), base_url=str(path))
