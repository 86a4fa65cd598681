"""``--iiif-manifest URL-or-file``: bind a document's facsimile surfaces to a manifest's canvases.

A IIIF Presentation manifest (version 3, or 2 as most older servers publish) lists canvases in
reading order, each with a label, a size and a painted image (or a IIIF Image service). Each
surface the converter made from the citation's folio range (``n="334"``) is bound to the canvas
whose label names the same folio ("334", "f. 334", "fol. 334r"): its ``graphic/@url`` becomes
the canvas's image, with its width and height, and ``surface/@corresp`` the canvas's id. When no
label names a folio and there are as many canvases as surfaces, they are bound in order. A
document with no folio range gets one surface per canvas.

The manifest is a local file or an ``https://`` URL, fetched with the project's fetch rules
(:mod:`tei.validate.fetch`: https only, no redirect to another scheme, a size cap; plain http
only to 127.0.0.1 under ``TEI_FETCH_INSECURE_LOOPBACK=1`` for tests). It is read as JSON (no
entities, nothing else is fetched). ``{doc}`` in the value is replaced by the document's number,
as in ``--facs-pattern``, for a manifest per document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TeiError, UnreadableError
from .model import Document, Surface

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_HTTP = re.compile(r"^https?://[^\s/]+\S*$", re.I)
_FOLIO = re.compile(r"(\d+)\s*(r|v|ob)?\.?\s*$", re.I)


@dataclass(frozen=True)
class Canvas:
    id: str
    label: str
    width: int | None
    height: int | None
    image: str  # the painted image's URL


class ManifestError(TeiError):
    """The manifest cannot be had or is not a IIIF Presentation manifest (exit 2)."""


def load(ref: str) -> list[Canvas]:
    """The canvases of the manifest at ``ref`` (a file or an https URL), in order."""
    data = _fetch(ref) if _URL.match(ref) else _read_file(ref)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"not JSON: {exc}", path=ref) from None
    return canvases(doc, ref)


def _read_file(ref: str) -> bytes:
    path = Path(ref)
    try:
        if not path.is_file():
            raise UnreadableError("no such manifest file" if not path.exists() else "not a file")
        with path.open("rb") as fh:
            data = fh.read(MAX_MANIFEST_BYTES + 1)
    except UnreadableError as exc:
        raise UnreadableError(str(exc), path=ref) from None
    except OSError as exc:
        raise UnreadableError(f"cannot read: {exc.strerror or exc}", path=ref) from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"larger than {MAX_MANIFEST_BYTES // 2**20} MB", path=ref)
    return data


def _fetch(url: str) -> bytes:
    from .validate import fetch

    try:
        return fetch.download(
            url, max_bytes=MAX_MANIFEST_BYTES, agent="tei-convert (IIIF manifest)", what="manifests"
        )
    except TeiError as exc:
        raise ManifestError(str(exc.args[0])) from None


def _text(value: Any) -> str:
    """A label as one string: v3 language maps, v2 strings or value objects."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        if "@value" in value:
            return _text(value["@value"])
        for key in ("en", "none", *sorted(value)):
            if key in value:
                found = _text(value[key])
                if found:
                    return found
        return ""
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), "")
    return ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _url(value: Any) -> str:
    return value.strip() if isinstance(value, str) and _HTTP.match(value.strip()) else ""


def _service_image(service: Any, v3: bool) -> str:
    for s in service if isinstance(service, list) else [service]:
        if isinstance(s, dict):
            base = _url(s.get("id") or s.get("@id"))
            if base:
                return base.rstrip("/") + (
                    "/full/max/0/default.jpg" if v3 else "/full/full/0/default.jpg"
                )
    return ""


def _image_v3(canvas: dict) -> str:
    for page in canvas.get("items") or []:
        for anno in (page.get("items") or []) if isinstance(page, dict) else []:
            if not isinstance(anno, dict) or anno.get("motivation", "painting") != "painting":
                continue
            bodies = anno.get("body")
            for body in bodies if isinstance(bodies, list) else [bodies]:
                if isinstance(body, dict):
                    url = _url(body.get("id")) if body.get("type", "Image") == "Image" else ""
                    if url and not url.lower().endswith("/info.json"):
                        return url
                    url = _service_image(body.get("service"), True)
                    if url:
                        return url
    return ""


def _image_v2(canvas: dict) -> str:
    for image in canvas.get("images") or []:
        res = image.get("resource") if isinstance(image, dict) else None
        if isinstance(res, dict):
            url = _url(res.get("@id"))
            if url:
                return url
            url = _service_image(res.get("service"), False)
            if url:
                return url
    return ""


def canvases(doc: Any, ref: str = "manifest") -> list[Canvas]:
    """The canvases of a parsed manifest (Presentation 3 ``items``, or 2 ``sequences``)."""
    if not isinstance(doc, dict):
        raise ManifestError("not a IIIF manifest (the JSON is not an object)", path=ref)
    kind = doc.get("type") or doc.get("@type")
    if kind not in ("Manifest", "sc:Manifest"):
        raise ManifestError(f"not a IIIF manifest (type {kind!r})", path=ref)
    v3 = kind == "Manifest"
    if v3:
        items = doc.get("items")
    else:
        seqs = doc.get("sequences")
        first = seqs[0] if isinstance(seqs, list) and seqs and isinstance(seqs[0], dict) else {}
        items = first.get("canvases")
    if not isinstance(items, list):
        raise ManifestError("the manifest has no list of canvases", path=ref)
    out = []
    for i, c in enumerate(items, 1):
        if not isinstance(c, dict) or (c.get("type") or c.get("@type")) not in (
            "Canvas",
            "sc:Canvas",
        ):
            continue
        cid = _url(c.get("id") if v3 else c.get("@id"))
        image = _image_v3(c) if v3 else _image_v2(c)
        if not cid or not image:
            continue
        label = _text(c.get("label")) or str(i)
        out.append(
            Canvas(cid, " ".join(label.split()), _int(c.get("width")), _int(c.get("height")), image)
        )
    if not out:
        raise ManifestError("the manifest has no canvas with an image", path=ref)
    return out


def folio_key(label: str) -> str:
    """The folio a label names ("f. 334" -> "334", "fol. 12v" -> "12v"), or ""."""
    m = _FOLIO.search(label)
    return f"{int(m.group(1))}{(m.group(2) or '').lower()}" if m else ""


def _bind(surface: Surface, canvas: Canvas) -> None:
    surface.url = canvas.image
    surface.canvas = canvas.id
    surface.width = canvas.width
    surface.height = canvas.height


def bind(doc: Document, found: list[Canvas], ref: str) -> list[str]:
    """Bind ``doc``'s surfaces to the canvases; returns warnings (one line each)."""
    from .converters.document_page import surface_id

    if not doc.surfaces:
        used: set[str] = set()
        for i, c in enumerate(found, 1):
            n = folio_key(c.label) or str(i)
            sid = surface_id(n)
            if sid in used:
                sid = surface_id(f"{n}-{i}")
            used.add(sid)
            s = Surface(id=sid, n=n, url=c.image)
            _bind(s, c)
            doc.surfaces.append(s)
        return []
    by_folio: dict[str, Canvas] = {}
    for c in found:
        key = folio_key(c.label)
        by_folio.setdefault(key, c)
        if key.endswith("r"):  # "334r" is folio 334 when the citation names no side
            by_folio.setdefault(key[:-1], c)
    by_folio.pop("", None)
    matched = [(s, by_folio.get(folio_key(s.n))) for s in doc.surfaces]
    if not any(c for _, c in matched if c is not None):
        if len(found) == len(doc.surfaces):
            for s, c in zip(doc.surfaces, found, strict=True):
                _bind(s, c)
            return [
                f"{ref}: no canvas label names a folio of the citation; the {len(found)} "
                "canvases are bound to the folios in order"
            ]
        return [
            f"{ref}: no canvas label names a folio of the citation "
            f"({', '.join(s.n for s in doc.surfaces)}); the images are not bound"
        ]
    missing = [s.n for s, c in matched if c is None]
    for s, hit in matched:
        if hit is not None:
            _bind(s, hit)
    if missing:
        return [f"{ref}: no canvas for folio {', '.join(missing)}"]
    return []


class ManifestSource:
    """``--iiif-manifest`` for one run: each distinct manifest is read once."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._cache: dict[str, list[Canvas]] = {}

    def ref_for(self, doc: Document) -> str:
        if "{doc}" not in self.pattern:
            return self.pattern
        key = doc.meta.doc_number or re.sub(r"\W+", "-", Path(doc.source_name).stem)
        return self.pattern.replace("{doc}", key)

    def canvases_for(self, ref: str) -> list[Canvas]:
        if ref not in self._cache:
            if len(self._cache) >= 64:  # a manifest per document: keep memory bounded
                self._cache.pop(next(iter(self._cache)))
            self._cache[ref] = load(ref)
        return self._cache[ref]

    def apply(self, doc: Document) -> list[str]:
        ref = self.ref_for(doc)
        return bind(doc, self.canvases_for(ref), ref)
