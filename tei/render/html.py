"""TEI -> HTML edition pages (``xslt/html.xsl``) and the whole edition folder."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from ..errors import TeiError
from ..ns import TEI_NS
from ..resources import xslt_dir
from ..xmlsafe import parse_file
from .engine import RenderError, check_tei, transform, write_output

ASSETS = ("edition.css", "edition.js")
ASSET_DIR = "assets"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def html_name(src: Path) -> str:
    """Output file name of the page for TEI file ``src``."""
    return f"{src.stem}.html"


def local_images(tree: etree._ElementTree | etree._Element, out_dir: Path | None) -> list[str]:
    """The relative ``graphic/@url`` values that exist as files under ``out_dir``."""
    if out_dir is None:
        return []
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    base = out_dir.resolve()
    found: list[str] = []
    for url in root.iterfind(f".//{{{TEI_NS}}}graphic"):
        u = (url.get("url") or "").strip()
        if not u or _SCHEME.match(u) or u.startswith(("/", "\\")) or u in found:
            continue
        path = (base / u).resolve()
        if path.is_relative_to(base) and path.is_file():
            found.append(u)
    return sorted(found)


def _doctype(html: str) -> str:
    """Saxon writes ``<!DOCTYPE HTML>``; we publish the canonical lower-case form."""
    if html.startswith("<!DOCTYPE HTML>"):
        html = "<!DOCTYPE html>" + html[len("<!DOCTYPE HTML>") :]
    return html if html.endswith("\n") else html + "\n"


def render_html(
    tree: etree._ElementTree | etree._Element,
    *,
    source_name: str = "",
    converted: Iterable[str] = (),
    out_dir: Path | None = None,
    assets: str = f"{ASSET_DIR}/",
    index_href: str = "index.html",
    tei_href: str = "",
    pdf_href: str = "",
    label: str | None = None,
    unhandled: Counter[str] | None = None,
    image_hosts: Iterable[str] = (),
) -> str:
    """One TEI document (already parsed with :mod:`tei.xmlsafe`) as an HTML5 page.

    Remote images are shown only from ``image_hosts`` (see the link policy in
    ``xslt/modules/common.xsl``); local ones when they exist under ``out_dir``.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    label = label or source_name or "<tree>"
    check_tei(root, label)
    params = {
        "format": "html",
        "converted-list": "\n".join(linked_names(root, converted)),
        "images-list": "\n".join(local_images(root, out_dir)),
        "assets": assets,
        "index-href": index_href,
        "source-name": source_name,
        "tei-href": tei_href,
        "pdf-href": pdf_href,
        "image-hosts": image_hosts_param(image_hosts),
    }
    return _doctype(transform("html", root, params, label=label, unhandled=unhandled))


def linked_names(root: etree._Element, converted: Iterable[str]) -> list[str]:
    """The names of ``converted`` that some attribute of the document can point to.

    The stylesheets look a name up only as f:doc-href derives it from an attribute (the file
    part of a whitespace-normalized value or of one of its tokens, after the last ``/``), so
    this subset gives the same pages as the whole list, which a large edition would otherwise
    hand to every page (quadratic in the number of pages).
    """
    names = converted if isinstance(converted, (set, frozenset)) else set(converted)
    if not names:
        return []
    found: set[str] = set()
    for el in root.iter(etree.Element):
        for value in el.attrib.values():
            norm = " ".join(value.split())
            for part in (norm, *norm.split(" ")):
                base = part.split("#", 1)[0].rsplit("/", 1)[-1]
                if base in names:
                    found.add(base)
    return sorted(found)


def image_hosts_param(hosts: Iterable[str]) -> str:
    """``--image-host`` values as the stylesheets' newline-separated, lower-case list."""
    out = []
    for h in hosts:
        name = h.strip().lower()
        if not name or any(c in name for c in "/@?# \t\n"):
            raise TeiError(f"--image-host {h!r}: give a host name such as iiif.example.org")
        out.append(name)
    return "\n".join(out)


def href_within(target: Path, out_dir: Path) -> str:
    """A relative link from a page in ``out_dir`` to ``target``, if it is a file under it."""
    base = out_dir.resolve()
    path = target.resolve()
    if not path.is_file() or not path.is_relative_to(base):
        return ""
    return quote(path.relative_to(base).as_posix())


def pdf_of(src: Path, out_dir: Path) -> str:
    """The link to the PDF of ``src`` when one was built (``DIR/pdf/<name>.pdf``)."""
    return href_within(out_dir / "pdf" / f"{src.stem}.pdf", out_dir)


def write_assets(out_dir: Path) -> list[Path]:
    """Copy the edition's CSS and JavaScript into ``out_dir/assets`` (a real folder: a link
    named ``assets`` is replaced, never written through)."""
    from ..atomic import owned_dir

    try:
        owned_dir(out_dir / ASSET_DIR)
    except OSError as exc:
        raise RenderError(
            f"cannot write: {exc.strerror or exc}", path=str(out_dir / ASSET_DIR)
        ) from None
    written = []
    for name in ASSETS:
        target = out_dir / ASSET_DIR / name
        data = (xslt_dir() / name).read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            write_output(target, data)
        written.append(target)
    return written


def render_page(
    tree: etree._ElementTree,
    src: Path,
    out_dir: Path,
    *,
    converted: Iterable[str] = (),
    pdf_href: str | None = None,
    unhandled: Counter[str] | None = None,
    image_hosts: Iterable[str] = (),
) -> Path:
    """Write the page of one parsed TEI file into ``out_dir``; returns its path."""
    html = render_html(
        tree,
        source_name=src.name,
        converted=converted,
        out_dir=out_dir,
        tei_href=href_within(src, out_dir),
        pdf_href=pdf_of(src, out_dir) if pdf_href is None else pdf_href,
        label=str(src),
        unhandled=unhandled,
        image_hosts=image_hosts,
    )
    target = out_dir / html_name(src)
    write_output(target, html.encode("utf-8"))
    return target


def check_names(tei_files: Sequence[Path]) -> None:
    """Refuse inputs whose pages would overwrite the index or each other."""
    seen: dict[str, Path] = {}
    for src in tei_files:
        name = html_name(src)
        if name == "index.html":
            raise RenderError(
                "a TEI file named 'index' would overwrite the index page", path=str(src)
            )
        if name in seen and seen[name] != src:
            raise RenderError(
                f"'{seen[name]}' and '{src}' would both be written to {name}", path=str(src)
            )
        seen[name] = src


def render_edition(
    tei_files: list[Path],
    out_dir: Path,
    *,
    on_error: Callable[[TeiError], None] | None = None,
    unhandled: Counter[str] | None = None,
    image_hosts: Sequence[str] = (),
) -> list[Path]:
    """Write one HTML page per TEI file, ``index.html`` and ``assets/`` into ``out_dir``.

    Returns the written paths (pages in input order, then the index, then the assets).
    A bad file raises :class:`TeiError`, or, when ``on_error`` is given, is reported to it
    and skipped (the others are still written).
    """
    from .index import index_record, render_index

    tei_files = [Path(p) for p in tei_files]
    image_hosts_param(image_hosts)  # a bad host is a usage error before anything is written
    check_names(tei_files)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    converted = frozenset(p.name for p in tei_files)
    written: list[Path] = []
    records: list[bytes] = []
    for src in tei_files:
        try:
            tree = parse_file(src)
            target = render_page(
                tree,
                src,
                out_dir,
                converted=converted,
                unhandled=unhandled,
                image_hosts=image_hosts,
            )
        except TeiError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        written.append(target)
        records.append(
            index_record(
                tree.getroot(),
                target.name,
                src.name,
                tei_href=href_within(src, out_dir),
                pdf_href=pdf_of(src, out_dir),
            )
        )
        del tree
    written.append(render_index(records, out_dir))
    written.extend(write_assets(out_dir))
    return written
