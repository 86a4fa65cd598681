"""Line and column of elements and attributes, found in the source text.

libxml2 reports column 0 and, for a start tag spread over several lines, the line where the tag
*ends*.  Start tags are found here by a scan of the source in document order, which maps 1:1 onto
the parsed elements (the hardened parser expands no entities).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator

from lxml import etree

_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|</|<", re.S
)


# one match per start tag: what lies before it (text, end tags, comments, CDATA, PIs, the
# DOCTYPE: as _MARKUP skips them), then its "<" (or, after the last one, the end of the text);
# possessive, so an unterminated comment counts as a start tag, as with _MARKUP
_START = re.compile(
    r"(?:[^<]++|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|</)*+(?:<|\Z)",
    re.S,
)

# after the last comment, CDATA section, PI or DOCTYPE, a "<" not followed by "/" opens a tag
_OPEN = re.compile(r"<(?!/)")


def _start_tag_ends(text: str) -> Iterator[int]:
    """The end of each _START match in ``text`` (1 + the offset of a start tag), in order."""
    last = max(text.rfind("<!"), text.rfind("<?"))
    if last < 0:
        return map(re.Match.end, _OPEN.finditer(text))
    matches = map(re.Match.end, _START.finditer(text))
    head: list[int] = []
    for end in matches:  # most documents have comments, PIs, a DOCTYPE in the prolog only
        head.append(end)
        if end - 1 > last:  # every "<!" and "<?" is behind: only tags are left
            return itertools.chain(head, map(re.Match.end, _OPEN.finditer(text, end)))
        if len(head) == 16:
            return _start_tag_ends_after(text, last, head, matches)
    return iter(head)


def _start_tag_ends_after(
    text: str, last: int, head: list[int], matches: Iterator[int]
) -> Iterator[int]:
    """_start_tag_ends for a document with comments or PIs further on: on need."""
    yield from head
    for end in matches:
        yield end
        if end - 1 > last:
            yield from map(re.Match.end, _OPEN.finditer(text, end))
            return


def _scan(text: str) -> Iterator[int]:
    """_start_tag_ends, in C when the C walk's module loads (``cwalk.start_tag_ends``: the
    same sequence, ~4x cheaper); ``TEI_RNG_WALK=python`` keeps it in Python."""
    from .rng.derivative import c_walk_module

    mod = c_walk_module()
    if mod is None:
        return _start_tag_ends(text)
    ends: Iterator[int] = mod.start_tag_ends(text)
    return ends


_PLUS_ONE = (1).__add__

_TAG_END = re.compile(r"""(?:[^>"']+|"[^"]*"|'[^']*')*>""")  # the rest of a start tag


class Positions:
    """Maps elements of one parsed document to (line, column) of their start tag (1-based)."""

    def __init__(self, source: bytes | str, tree: etree._ElementTree, *, exact: bool = True):
        self._source = source
        self.tree = tree
        self.exact = exact  # False when the tree no longer mirrors the source (XInclude)
        self._at: dict[etree._Element, int] = {}  # element -> offset of its start tag, so far
        self._pairing: Iterator[tuple[etree._Element, int]] | None = None
        self._wanted: set[etree._Element] | None = None  # see want()
        self._picking: Iterator[tuple[etree._Element, int]] | None = None
        self._paths: dict[etree._Element, str] = {}
        self._text: str | None = None
        self._line_starts: list[int] | None = None  # see _lines (built for text_at only)
        self._seen_offsets = [0]  # offsets _linecol was asked for, sorted, and their lines
        self._seen_lines = [1]

    @property
    def text(self) -> str:
        """The source as text, decoded on first need (most valid files never need it)."""
        if self._text is None:
            src = self._source
            self._text = src.decode("utf-8", "replace") if isinstance(src, bytes) else src
        return self._text

    @property
    def _lines(self) -> list[int]:
        if self._line_starts is None:
            # 0, then the offset after each "\n" (in C: the lengths of the lines, summed)
            lines = self.text.split("\n")
            lines.pop()
            self._line_starts = list(
                itertools.accumulate(map(_PLUS_ONE, map(len, lines)), initial=0)
            )
        return self._line_starts

    def want(self, starts: Iterable[etree._Element], ends: Iterable[etree._Element] = ()) -> None:
        """Say which elements' start tags (and end tags) will be asked for: those are then
        paired with their tags without keeping every element before them (which costs the
        garbage collector dearly in a big document). Others are still found, at that cost."""
        wanted = set(starts)
        wanted.update(_last_inside(el)[0] for el in ends)
        self._wanted = wanted

    def _start_of(self, el: etree._Element) -> int | None:
        """Offset of ``el``'s start tag: the n-th element in document order pairs with the
        n-th start tag; source and tree are paired as far as needed, in chunks (in C)."""
        at = self._at  # element -> offset + 1 (the end of its _START match)
        end = at.get(el)
        wanted = self._wanted
        if end is None and wanted is not None and el in wanted:
            if self._picking is None:  # the wanted elements' pairs only (in C)
                els, keys = itertools.tee(self.tree.getroot().iter(etree.Element))
                pairs = zip(els, _scan(self.text), strict=False)
                self._picking = itertools.compress(pairs, map(wanted.__contains__, keys))
            for e, e_end in self._picking:
                at[e] = e_end
                if e is el:
                    end = e_end
                    break
        if end is None:
            if self._pairing is None:
                ends = _scan(self.text)
                self._pairing = zip(self.tree.getroot().iter(etree.Element), ends, strict=False)
            while end is None:
                chunk = list(itertools.islice(self._pairing, 64))
                at.update(chunk)
                end = at.get(el)
                if len(chunk) < 64:
                    break
        # a match that ends the text is the scan's end, not a "<" (a parsed document's text
        # ends with markup or blanks): the elements paired with it have no start tag found
        if end is None or end == len(self.text):
            return None
        return end - 1

    def _linecol(self, offset: int) -> tuple[int, int]:
        """Line and column of ``offset``: the line breaks counted from the nearest offset
        asked before (findings come mostly in document order, so the text before the last
        one is read about once, and no table of all the lines is built); past 1,024 offsets,
        a bisection in that table (no list of offsets grows without bound)."""
        if self._line_starts is None and len(self._seen_offsets) > 1024:
            _ = self._lines
        if self._line_starts is not None:
            line = bisect.bisect_right(self._line_starts, offset)
            return line, offset - self._line_starts[line - 1] + 1
        text = self.text
        offs, lines = self._seen_offsets, self._seen_lines
        i = bisect.bisect_right(offs, offset) - 1
        line = lines[i] + text.count("\n", offs[i], offset)
        if offs[i] != offset:
            offs.insert(i + 1, offset)
            lines.insert(i + 1, line)
        return line, offset - text.rfind("\n", 0, offset)

    def _offset(self, el: etree._Element) -> int | None:
        if not self.exact or el.getroottree().getroot() is not self.tree.getroot():
            return None
        off = self._start_of(el)
        if off is None:
            return None
        tag = el.tag
        local = tag[tag.find("}") + 1 :] if isinstance(tag, str) else etree.QName(el).localname
        return off if local in self.text[off + 1 : off + 1 + len(local) + 40] else None

    def path(self, el: etree._Element) -> str:
        """:func:`element_path` of ``el``, sharing the paths of ancestors met before."""
        return element_path(el, self._paths)

    def element(self, el: etree._Element) -> tuple[int | None, int | None]:
        """Line and column of the ``<`` that opens ``el``."""
        off = self._offset(el)
        if off is not None:
            return self._linecol(off)
        return self._on_line(el.sourceline, "<" + _written(el))

    def end(self, el: etree._Element) -> tuple[int | None, int | None]:
        """Line and column of the ``</`` that closes ``el`` (its start tag if ``<el/>``).

        Where jing reports an element that ends too early ("incomplete").
        """
        off = self._end_offset(el)
        return self._linecol(off) if off is not None else self.element(el)

    def text_after(self, el: etree._Element, tail: bool) -> tuple[int | None, int | None]:
        """Line and column of the first non-blank character after ``el``'s start tag (its
        text) or, with ``tail``, after its end tag (its tail); ``(None, None)`` if unknown."""
        if not isinstance(el.tag, str):  # the tail of a comment or PI
            return self._after_markup(el) if tail else (None, None)
        off = self._end_offset(el) if tail else self._offset(el)
        if off is None:
            return None, None
        if tail and self.text.startswith("</", off):
            close = self.text.find(">", off)
            pos = close + 1 if close >= 0 else None
        else:
            tag = _TAG_END.match(self.text, off + 1)
            pos = tag.end() if tag is not None else None
        if pos is None:
            return None, None
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return self._linecol(pos)

    def _after_markup(self, node: etree._Element) -> tuple[int | None, int | None]:
        """The first non-blank character after a comment or processing instruction."""
        prev = node.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        parent = node.getparent()
        if prev is not None:
            base = self._end_offset(prev)
        else:
            base = self._offset(parent) if parent is not None else None
        if base is None:
            return None, None
        mark = etree.tostring(node, with_tail=False, encoding="unicode")
        at = self.text.find(mark, base)
        if at < 0:
            return None, None
        pos = at + len(mark)
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return self._linecol(pos)

    def _end_offset(self, el: etree._Element) -> int | None:
        last, depth = _last_inside(el)
        off = self._offset(last)
        if off is None:
            return None
        tag = _TAG_END.match(self.text, off + 1)
        if tag is None:
            return None
        open_ = depth + (0 if tag.group().endswith("/>") else 1)
        if open_ == 0:  # <el/>
            return off
        for m in _MARKUP.finditer(self.text, tag.end()):
            if m.group() == "</":
                open_ -= 1
                if open_ == 0:
                    return m.start()
        return None

    def attribute(self, el: etree._Element, written_name: str) -> tuple[int | None, int | None]:
        """Line and column of an attribute's name inside ``el``'s start tag."""
        off = self._offset(el)
        if off is not None:
            end = self.text.find(">", off)
            m = re.compile(r"\s(" + re.escape(written_name) + r")\s*=").search(
                self.text, off, end if end > 0 else len(self.text)
            )
            return self._linecol(m.start(1) if m else off)
        return self._on_line(el.sourceline, written_name)

    def text_at(self, line: int | None) -> tuple[int | None, int | None]:
        """Line and column of the first non-blank character on ``line``."""
        if not line or line > len(self._lines):
            return line, None
        start = self._lines[line - 1]
        end = self._lines[line] - 1 if line < len(self._lines) else len(self.text)
        seg = self.text[start:end]
        return line, len(seg) - len(seg.lstrip()) + 1

    def _on_line(self, line: int | None, needle: str) -> tuple[int | None, int | None]:
        if not line or line > len(self._lines):
            return line, None
        start = self._lines[line - 1]
        end = self._lines[line] if line < len(self._lines) else len(self.text)
        col = self.text.find(needle, start, end)
        return line, (col - start + 1) if col >= 0 else None


def _last_inside(el: etree._Element) -> tuple[etree._Element, int]:
    """The last element in document order inside ``el`` (``el`` if none), and its depth
    below ``el``: down the last element children."""
    last, depth = el, 0
    while (child := next(last.iterchildren(etree.Element, reversed=True), None)) is not None:
        last, depth = child, depth + 1
    return last, depth


def _written(el: etree._Element) -> str:
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


def element_path(el: etree._Element, cache: dict[etree._Element, str] | None = None) -> str:
    """A readable XPath-like location: ``/TEI/teiHeader[1]/fileDesc[1]``.

    ``cache`` (kept by the caller for one document) holds the paths of the elements met, so
    that findings in the same part of a document share the walk up to their common ancestor.
    """
    if cache is None:
        cache = {}
    todo = []  # el and its ancestors up to the first whose path is known
    node: etree._Element | None = el
    path = ""
    while node is not None:
        known = cache.get(node)
        if known is not None:
            path = known
            break
        todo.append(node)
        node = node.getparent()
    for node in reversed(todo):
        if not path:
            path = "/" + _written(node)
        else:
            # position among same-named siblings, counted in C (itersiblings)
            n = 1 + sum(1 for _ in node.itersiblings(node.tag, preceding=True))
            path = f"{path}/{_written(node)}[{n}]"
        cache[node] = path
    return path
