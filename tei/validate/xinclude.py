"""A safe XInclude processor for ``--xinclude``: local files inside allowed roots only.

Allowed roots are the folder of the input file and every ``--xinclude-root DIR``.  URLs with a
scheme (http, ftp, ...) are never fetched; included files go through the hardened parser.
``parse="text"`` is supported; ``xpointer`` is not (the include is reported).  When a target is
refused or missing, ``xi:fallback`` content is used if present (with a warning), otherwise the
include is reported as an error and left in place.
"""

from __future__ import annotations

import copy
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from ..errors import TeiError
from ..ns import XI_NS
from ..report import Finding
from ..xmlsafe import parse_file, read_input

MAX_DEPTH = 10


def process_xincludes(
    tree: etree._ElementTree, doc: Path, roots: list[Path], label: str
) -> list[Finding]:
    """Replace ``xi:include`` elements in place; return findings about refused includes."""
    allowed = [doc.parent.resolve()] + [r.resolve() for r in roots]
    out: list[Finding] = []
    _expand(tree.getroot(), doc.resolve(), allowed, label, out, (doc.resolve(),))
    return out


def _expand(
    root: etree._Element,
    base: Path,
    allowed: list[Path],
    label: str,
    out: list[Finding],
    stack: tuple[Path, ...],
) -> None:
    for inc in list(root.iter(f"{{{XI_NS}}}include")):
        line = inc.sourceline
        problem, replacement = _load(inc, base, allowed, stack, label, out)
        if problem:
            fallback = inc.find(f"{{{XI_NS}}}fallback")
            if fallback is not None:
                out.append(
                    Finding(
                        label,
                        line,
                        None,
                        "warning",
                        f"xi:include {problem}; used its xi:fallback",
                        "xinclude",
                        "xinclude",
                    )
                )
                replacement = [copy.deepcopy(c) for c in fallback]
                text = fallback.text
            else:
                out.append(
                    Finding(
                        label, line, None, "error", f"xi:include {problem}", "xinclude", "xinclude"
                    )
                )
                continue
        else:
            text = None
        _replace(inc, replacement, text)


def _load(
    inc: etree._Element,
    base: Path,
    allowed: list[Path],
    stack: tuple[Path, ...],
    label: str,
    out: list[Finding],
) -> tuple[str | None, list]:
    href = inc.get("href", "")
    if inc.get("xpointer"):
        return f"href={href!r}: xpointer is not supported", []
    if not href:
        return "without href is not supported", []
    parsed = urlparse(href)
    if parsed.scheme and len(parsed.scheme) > 1 and parsed.scheme != "file":
        return f"href={href!r}: remote resources are never fetched", []
    target = (base.parent / unquote(parsed.path)).resolve()
    if not any(target.is_relative_to(r) for r in allowed):
        return (f"href={href!r}: {target} is outside the allowed folders (add --xinclude-root)"), []
    if target in stack or len(stack) > MAX_DEPTH:
        return f"href={href!r}: inclusion loop or too deep", []
    try:
        if inc.get("parse", "xml") == "text":
            return None, [read_input(target).decode(inc.get("encoding") or "utf-8", "replace")]
        sub = parse_file(target)
    except TeiError as exc:
        return f"href={href!r}: {exc}", []
    except (LookupError, UnicodeError) as exc:
        return f"href={href!r}: {exc}", []
    root = sub.getroot()
    _expand(root, target, allowed, label, out, stack + (target,))
    return None, [root]


def _replace(inc: etree._Element, items: list, lead_text: str | None) -> None:
    parent = inc.getparent()
    tail = inc.tail
    if parent is None:
        return  # an include as the document element: leave it (reported by the schema)
    idx = parent.index(inc)
    texts = ([lead_text] if lead_text else []) + [i for i in items if isinstance(i, str)]
    nodes = [i for i in items if not isinstance(i, str)]
    if texts:
        joined = "".join(texts)
        if idx == 0:
            parent.text = (parent.text or "") + joined
        else:
            prev = parent[idx - 1]
            prev.tail = (prev.tail or "") + joined
    parent.remove(inc)
    for n, node in enumerate(nodes):
        parent.insert(idx + n, node)
    if nodes:
        nodes[-1].tail = (nodes[-1].tail or "") + (tail or "")
    elif tail:
        if idx == 0:
            parent.text = (parent.text or "") + tail
        else:
            prev = parent[idx - 1]
            prev.tail = (prev.tail or "") + tail
