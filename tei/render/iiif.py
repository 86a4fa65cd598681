"""A IIIF Presentation 3 manifest per document, from its ``facsimile`` (one canvas per surface).

Written by hand rather than with iiif-prezi3 (which brings pydantic for a dozen keys). A canvas
must have a height and a width: they come from ``graphic/@width``/``@height`` (pixels), else the
surface's ``@lrx``/``@lry`` (with ``@ulx``/``@uly`` at 0), else the header of a local image file
(PNG, JPEG, GIF). A surface whose image or size is unknown gets no canvas; a document with no
canvas gets no manifest. :func:`problems` checks a manifest against the rules of the
Presentation 3 specification that can be checked offline.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from lxml import etree

from ..ns import TEI_NS, XML_ID

TEI = f"{{{TEI_NS}}}"  # Clark prefix of TEI element names

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
_PIXELS = re.compile(r"^\s*(\d+)\s*(px)?\s*$")
_HTTP = re.compile(r"^https?://[^\s/]+", re.I)
FORMATS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif"}


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, GIF or JPEG file, or None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(26)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                w, h = struct.unpack(">II", head[16:24])
                return w, h
            if head[:6] in (b"GIF87a", b"GIF89a"):
                w, h = struct.unpack("<HH", head[6:10])
                return w, h
            if head[:2] == b"\xff\xd8":
                fh.seek(2)
                while True:
                    marker = fh.read(2)
                    if len(marker) < 2 or marker[0] != 0xFF:
                        return None
                    (length,) = struct.unpack(">H", fh.read(2))
                    if 0xC0 <= marker[1] <= 0xCF and marker[1] not in (0xC4, 0xC8, 0xCC):
                        h, w = struct.unpack(">xHH", fh.read(5))
                        return w, h
                    fh.seek(length - 2, 1)
    except (OSError, struct.error):
        return None
    return None


def _pixels(value: str | None) -> int | None:
    m = _PIXELS.match(value or "")
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def _size(surface: etree._Element, graphic: etree._Element, local: Path | None) -> tuple | None:
    w, h = _pixels(graphic.get("width")), _pixels(graphic.get("height"))
    if w and h:
        return w, h
    if surface.get("ulx", "0") == "0" and surface.get("uly", "0") == "0":
        w, h = _pixels(surface.get("lrx")), _pixels(surface.get("lry"))
        if w and h:
            return w, h
    return image_size(local) if local is not None else None


def manifest(tei: etree._Element, manifest_id: str, out_dir: Path) -> dict[str, Any] | None:
    """The manifest of one document (``manifest_id``: its HTTP(S) URL), or None without canvases.

    Image URLs that are relative are resolved against the folder of the manifest's URL (one
    level above, as the manifest is written to ``DIR/iiif/``) and must exist under ``out_dir``.
    """
    base = manifest_id.rsplit("/", 2)[0] + "/"
    title = tei.findtext(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}title") or ""
    canvases = []
    surfaces = tei.findall(f"{TEI}facsimile/{TEI}surface")
    surfaces += tei.findall(f"{TEI}facsimile/{TEI}surfaceGrp/{TEI}surface")
    for num, surface in enumerate(surfaces, 1):
        for graphic in surface.findall(f"{TEI}graphic"):
            url = (graphic.get("url") or "").strip()
            remote = bool(_HTTP.match(url))
            local = None if remote else (out_dir / url)
            if not url or (local is not None and (url.startswith("/") or not local.is_file())):
                continue
            if local is not None and not local.resolve().is_relative_to(out_dir.resolve()):
                continue
            size = _size(surface, graphic, local)
            fmt = FORMATS.get(Path(url.split("?")[0]).suffix.lower())
            if size is None or fmt is None:
                continue
            n = (surface.get("n") or "").strip()
            cid = f"{manifest_id}/canvas/{surface.get(XML_ID) or num}"
            label = f"Folio {n}" if n else f"Surface {num}"
            canvases.append(
                {
                    "id": cid,
                    "type": "Canvas",
                    "label": {"none": [label]},
                    "width": size[0],
                    "height": size[1],
                    "items": [
                        {
                            "id": f"{cid}/page",
                            "type": "AnnotationPage",
                            "items": [
                                {
                                    "id": f"{cid}/page/image",
                                    "type": "Annotation",
                                    "motivation": "painting",
                                    "body": {
                                        "id": url if remote else base + url,
                                        "type": "Image",
                                        "format": fmt,
                                        "width": size[0],
                                        "height": size[1],
                                    },
                                    "target": cid,
                                }
                            ],
                        }
                    ],
                }
            )
            break
    if not canvases:
        return None
    return {
        "@context": CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": {"en": [" ".join(title.split()) or "Untitled document"]},
        "items": canvases,
    }


def problems(m: Any) -> list[str]:
    """Violations of the Presentation 3 rules checkable offline (empty: none found)."""
    out: list[str] = []
    seen: set[str] = set()

    def uri(obj: dict, where: str) -> None:
        value = obj.get("id")
        if not isinstance(value, str) or not _HTTP.match(value):
            out.append(f"{where}: id must be an HTTP(S) URI, not {value!r}")

    def lang_map(value: Any, where: str) -> None:
        ok = (
            isinstance(value, dict)
            and value
            and all(
                isinstance(k, str)
                and isinstance(v, list)
                and v
                and all(isinstance(s, str) for s in v)
                for k, v in value.items()
            )
        )
        if not ok:
            out.append(f"{where}: label must be a language map of string lists")

    if not isinstance(m, dict):
        return ["the manifest is not a JSON object"]
    ctx = m.get("@context")
    if ctx != CONTEXT and not (isinstance(ctx, list) and ctx and ctx[-1] == CONTEXT):
        out.append(f"manifest: @context must be (or end with) {CONTEXT}")
    if m.get("type") != "Manifest":
        out.append("manifest: type must be 'Manifest'")
    uri(m, "manifest")
    lang_map(m.get("label"), "manifest")
    items = m.get("items")
    if not isinstance(items, list) or not items:
        return [*out, "manifest: items must be a non-empty list of canvases"]
    for i, c in enumerate(items, 1):
        where = f"canvas {i}"
        if not isinstance(c, dict) or c.get("type") != "Canvas":
            out.append(f"{where}: type must be 'Canvas'")
            continue
        uri(c, where)
        if str(c.get("id")) in seen:
            out.append(f"{where}: id {c.get('id')} is used twice")
        seen.add(str(c.get("id")))
        if "#" in str(c.get("id")):
            out.append(f"{where}: a canvas id must not have a fragment")
        lang_map(c.get("label"), where)
        for dim in ("width", "height"):
            if not isinstance(c.get(dim), int) or c[dim] <= 0:
                out.append(f"{where}: {dim} must be a positive integer")
        for page in c.get("items") or [None]:
            if not isinstance(page, dict) or page.get("type") != "AnnotationPage":
                out.append(f"{where}: items must be AnnotationPages")
                continue
            uri(page, f"{where} page")
            for anno in page.get("items") or [None]:
                if not isinstance(anno, dict) or anno.get("type") != "Annotation":
                    out.append(f"{where}: a page's items must be Annotations")
                    continue
                uri(anno, f"{where} annotation")
                if anno.get("motivation") != "painting":
                    out.append(f"{where}: the image annotation's motivation must be 'painting'")
                if anno.get("target") != c.get("id"):
                    out.append(f"{where}: the annotation must target its canvas")
                body = anno.get("body")
                if not isinstance(body, dict) or body.get("type") != "Image":
                    out.append(f"{where}: the body must be an Image")
                    continue
                uri(body, f"{where} image")
                if not str(body.get("format", "")).startswith("image/"):
                    out.append(f"{where}: the image needs a format (a media type)")
    return out
