"""TEI -> PDF: ``xslt/print.xsl`` makes print HTML, WeasyPrint typesets it with ``print.css``.

WeasyPrint gets a URL fetcher that refuses everything except our bundled CSS and image files
under the output folder: no network, no other local files.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import mimetypes
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import TeiError
from ..ns import TEI_NS
from ..resources import xslt_dir
from ..xmlsafe import parse_file
from .engine import RenderError, check_tei, transform, write_output
from .html import local_images

LAYOUTS = ("parallel", "sequential")
# WeasyPrint's CSS footnotes cost grows faster than the page count (2,000 footnotes: 55 s of
# CPU, the same text with the notes at the end: 9 s); above this many, notes go to the end.
FOOTNOTE_LIMIT = 500
# Typesetting bounds: print HTML larger than this is refused, a layout taking longer stopped.
MAX_PRINT_HTML = 16 * 1024 * 1024
TIME_LIMIT = 600.0  # seconds (wall clock); 0 for none
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg"}


def print_html(
    tree: etree._ElementTree | etree._Element,
    *,
    layout: str = "parallel",
    source_name: str = "",
    out_dir: Path | None = None,
    label: str | None = None,
    endnotes: bool = False,
) -> str:
    """The print HTML (input of WeasyPrint) for one parsed TEI document (footnotes as CSS
    footnotes, or with ``endnotes`` as numbered calls and a list at the end)."""
    if layout not in LAYOUTS:
        raise TeiError(f"unknown layout '{layout}' (choose {' or '.join(LAYOUTS)})")
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    label = label or source_name or "<tree>"
    check_tei(root, label)
    params = {
        "format": "print",
        "layout": layout,
        "images-list": "\n".join(local_images(root, out_dir)),
        "source-name": source_name,
        "index-href": "",
        "endnotes": "yes" if endnotes else "no",
    }
    return transform("print", root, params, label=label)


def bounded_print_html(tree: etree._ElementTree | etree._Element, **kw) -> str:
    """:func:`print_html`, with notes at the end when there are more than FOOTNOTE_LIMIT."""
    html = print_html(tree, **kw)
    if html.count('class="footnote"') > FOOTNOTE_LIMIT:
        html = print_html(tree, endnotes=True, **kw)
    return html


def _weasyprint():
    """Import WeasyPrint lazily (~0.35 s) and keep its warnings out of the user's terminal."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def local_fetcher(allowed_roots: Iterable[Path], css_files: Iterable[Path]):
    """A WeasyPrint URL fetcher that serves only ``css_files`` and images under the roots."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [Path(r).resolve() for r in allowed_roots]
    css = {Path(c).resolve() for c in css_files}

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):  # noqa: D102 - WeasyPrint's interface
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"refused to fetch {url!r}: only local edition files are used")
            path = Path(unquote(parts.path)).resolve()
            ok = path in css or (
                path.suffix.lower() in IMAGE_SUFFIXES and any(path.is_relative_to(r) for r in roots)
            )
            if not ok or not path.is_file():
                raise ValueError(f"refused to fetch {url!r}: not an edition file")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": mime}
            )

    return LocalOnlyFetcher()


class _TimeUp(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_TimeUp` in the main thread after ``seconds`` (no limit elsewhere)."""
    import signal
    import threading

    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def up(signum, frame):  # noqa: ARG001 - signal handler signature
        raise _TimeUp

    old = signal.signal(signal.SIGALRM, up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@functools.cache
def _font_config():  # -> weasyprint.text.fonts.FontConfiguration
    """One font configuration for every document a process typesets: WeasyPrint makes a new
    one (a Pango font map and its caches) for each document otherwise, and a build that
    typesets in one process grew by ~0.25 MiB a document, never given back."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def typeset(html: str, out_dir: Path, *, time_limit: float | None = None):  # -> Document
    """Lay out print HTML; relative image URLs resolve against ``out_dir``.

    Bounded: print HTML over MAX_PRINT_HTML is refused, a layout running longer than
    ``time_limit`` seconds (default TIME_LIMIT) is stopped; both are one-line errors.
    """
    limit = TIME_LIMIT if time_limit is None else time_limit
    if len(html) > MAX_PRINT_HTML:
        raise RenderError(
            f"too large to typeset: {len(html) // (1024 * 1024)} MB of print HTML "
            f"(the limit is {MAX_PRINT_HTML // (1024 * 1024)} MB); split the document"
        )
    weasyprint = _weasyprint()
    css_path = xslt_dir() / "print.css"
    fetcher = local_fetcher([out_dir], [css_path])
    base = Path(out_dir).resolve().as_uri() + "/"
    try:
        with _time_limit(limit):
            doc = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
            fonts = _font_config()
            stylesheet = weasyprint.CSS(
                filename=str(css_path), url_fetcher=fetcher, font_config=fonts
            )
            document = doc.render(stylesheets=[stylesheet], font_config=fonts)
    except _TimeUp:
        raise RenderError(
            f"PDF typesetting stopped after {limit:g} s (--time-limit); split the document "
            "or raise the limit"
        ) from None
    except Exception as exc:  # WeasyPrint failures become one-line errors
        raise RenderError(f"PDF typesetting failed: {' '.join(str(exc).split())[:300]}") from None
    for page in document.pages:
        page.links = [link for link in page.links if pdf_link_allowed(link[0], link[1])]
    return document


PDF_LINK_SCHEMES = ("http:", "https:", "mailto:")


def pdf_link_allowed(kind: str, target: object) -> bool:
    """The link policy of ``xslt/modules/common.xsl`` for what WeasyPrint made of it.

    WeasyPrint resolves every relative href against the output folder and writes the result
    as an absolute ``file://`` URL (the build machine's paths) or embeds the file
    (``attachment``): a PDF keeps only links inside itself and http(s)/mailto links.
    """
    if kind == "internal":
        return True
    return kind == "external" and str(target).lower().startswith(PDF_LINK_SCHEMES)


@contextlib.contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """Pin the ``head.modified`` date fontTools writes into every embedded font subset.

    fontTools stamps a subset with the current time unless ``SOURCE_DATE_EPOCH`` is set, so two
    renders of one document differed in a few bytes. The variable is set for the duration of the
    call only and restored afterwards.
    """
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def pdf_bytes(html: str, out_dir: Path, *, time_limit: float | None = None) -> bytes:
    """Typeset print HTML into PDF bytes (no dates in metadata or fonts: same input, same bytes)."""
    document = typeset(html, out_dir, time_limit=time_limit)
    try:
        with _fixed_font_timestamps():
            return document.write_pdf()
    except Exception as exc:
        raise RenderError(f"PDF writing failed: {' '.join(str(exc).split())[:300]}") from None


#: Languages whose script the fonts WeasyPrint falls back to (DejaVu) do not cover: a PDF of
#: such text needs a font of its own on the build machine, else it prints empty boxes.
NEEDS_OWN_FONT = ("zh", "ja", "ko")


@functools.cache
def has_font_for(lang: str) -> bool:
    """Whether fontconfig (which WeasyPrint uses) has a font for ``lang``; True when it
    cannot be asked (no ``fc-list``): only a certain lack is reported."""
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    try:
        out = subprocess.run(
            [fc_list, f":lang={lang}", "family"], capture_output=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(out.strip())


def unprintable_languages(tree: etree._ElementTree | etree._Element) -> list[str]:
    """The languages of the text that no installed font can print (``zh``, ``ja``, ``ko``)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    text = root.find(f"{{{TEI_NS}}}text")
    if text is None:
        return []
    langs = {v.split("-")[0].lower() for v in text.xpath(".//@xml:lang")}
    return [lang for lang in NEEDS_OWN_FONT if lang in langs and not has_font_for(lang)]


def render_one_pdf(
    tree: etree._ElementTree,
    src: Path,
    out_dir: Path,
    *,
    layout: str = "parallel",
    time_limit: float | None = None,
) -> Path:
    """Typeset one parsed TEI file as ``out_dir/<name>.pdf``; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = bounded_print_html(
        tree, layout=layout, source_name=src.name, out_dir=out_dir, label=str(src)
    )
    target = out_dir / f"{src.stem}.pdf"
    write_output(target, pdf_bytes(html, out_dir, time_limit=time_limit))
    return target


def render_pdf(
    tei_files: list[Path],
    out_dir: Path,
    *,
    layout: str = "parallel",
    on_error: Callable[[TeiError], None] | None = None,
    time_limit: float | None = None,
) -> list[Path]:
    """Write ``out_dir/<name>.pdf`` for each TEI file; returns the written paths."""
    if layout not in LAYOUTS:
        raise TeiError(f"unknown layout '{layout}' (choose {' or '.join(LAYOUTS)})")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for src in tei_files:
        src = Path(src)
        try:
            target = render_one_pdf(
                parse_file(src), src, out_dir, layout=layout, time_limit=time_limit
            )
        except TeiError as exc:
            if exc.path is None:
                exc.path = str(src)
            if on_error is None:
                raise
            on_error(exc)
            continue
        written.append(target)
    return written
