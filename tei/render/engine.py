"""Compile the rendering stylesheets once per process and run them on safely parsed TEI.

Saxon only ever sees text we hand it (the serialized root element of a tree that
:mod:`tei.xmlsafe` parsed: no DOCTYPE, no processing instructions, no base URI), and our
stylesheets never call ``document()``, ``unparsed-text()`` or ``collection()``: a transform
reads nothing but its input.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from lxml import etree

from ..errors import TeiError
from ..ns import TEI_NS
from ..resources import xslt_dir

UNHANDLED = "unhandled element: "
STYLESHEETS = {
    "html": "html.xsl",
    "print": "print.xsl",
    "index": "index.xsl",
    "record": "record.xsl",
}

_lock = threading.RLock()
_compiled: dict[str, object] = {}
_own_processor: object | None = None


class RenderError(TeiError):
    """A document could not be rendered (not TEI, or the transformation failed)."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, path=path, exit_code=1)


def processor():  # -> saxonche.PySaxonProcessor
    """The process-wide Saxon processor (shared with Schematron when that module exists)."""
    global _own_processor
    try:
        from ..schematron import saxon
    except ImportError:  # pragma: no cover - the shared module is part of the package today
        saxon = None
    if saxon is not None:
        return saxon.trusted_processor()  # ours: the packaged stylesheets include modules
    with _lock:  # pragma: no cover
        if _own_processor is None:
            from saxonche import PySaxonProcessor

            _own_processor = PySaxonProcessor(license=False)
        return _own_processor


def _xslt30():
    try:
        from ..schematron import saxon

        return saxon.trusted_xslt30()
    except ImportError:  # pragma: no cover
        return processor().new_xslt30_processor()


def stylesheet_path(name: str) -> Path:
    """Path of an entry stylesheet (``html``, ``print`` or ``index``)."""
    return xslt_dir() / STYLESHEETS[name]


def executable(name: str):  # -> saxonche.PyXsltExecutable
    """The compiled stylesheet ``name``; compiled on first use, then reused."""
    with _lock:
        exe = _compiled.get(name)
        if exe is None:
            path = stylesheet_path(name)
            try:
                with _quiet():
                    exe = _xslt30().compile_stylesheet(stylesheet_file=str(path))
            except Exception as exc:  # saxonche raises PySaxonApiError
                raise RenderError(
                    f"cannot compile stylesheet: {' '.join(str(exc).split())}", path=str(path)
                ) from None
            if exe is None:  # pragma: no cover
                raise RenderError("cannot compile stylesheet", path=str(path))
            exe.set_save_xsl_message(True, None)  # kept for transform(), never printed
            _compiled[name] = exe
        return exe


def check_tei(root: etree._Element, label: str) -> None:
    """Refuse documents whose root element is not in the TEI namespace."""
    if not isinstance(root.tag, str) or etree.QName(root).namespace != TEI_NS:
        tag = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise RenderError(
            f"not a TEI document: root element '{tag}' is not in the TEI namespace", path=label
        )


def transform(
    name: str,
    doc: etree._ElementTree | etree._Element,
    params: Mapping[str, str] | None = None,
    *,
    label: str = "<tree>",
    unhandled: Counter[str] | None = None,
) -> str:
    """Run stylesheet ``name`` on a parsed document; string parameters only.

    Elements the stylesheets have no template for are counted by name into ``unhandled``
    (from the fallback's ``xsl:message``).
    """
    root = doc.getroot() if isinstance(doc, etree._ElementTree) else doc
    text = etree.tostring(root, encoding="unicode")
    proc = processor()
    exe = executable(name)
    with _lock:
        try:
            node = proc.parse_xml(xml_text=text)
        except Exception as exc:
            raise RenderError(
                f"Saxon cannot read the document: {_one_line(exc)}", path=label
            ) from None
        exe.clear_parameters()
        for key, value in (params or {}).items():
            exe.set_parameter(key, proc.make_string_value(value))
        try:
            with _quiet():
                out = exe.transform_to_string(xdm_node=node)
        except Exception as exc:
            exe.clear_xsl_messages()
            raise RenderError(f"rendering failed: {_one_line(exc)}", path=label) from None
        messages = exe.get_xsl_messages()
        if messages is not None:
            for m in messages:
                text = str(m)
                if text.startswith(UNHANDLED) and unhandled is not None:
                    unhandled[text[len(UNHANDLED) :].strip()] += 1
            exe.clear_xsl_messages()
    if out is None:  # pragma: no cover
        raise RenderError("rendering produced no output", path=label)
    return out


def _quiet():  # -> a context manager
    """Saxon's multi-line error listing kept off the terminal (the error is raised anyway)."""
    from ..schematron import saxon

    return saxon.quiet()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def write_output(target: Path, data: bytes | Iterable[bytes]) -> None:
    """Write one output atomically; a full disk or a read-only folder is a one-line error."""
    from ..atomic import write_bytes_atomic

    try:
        write_bytes_atomic(target, data)
    except OSError as exc:
        raise RenderError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
