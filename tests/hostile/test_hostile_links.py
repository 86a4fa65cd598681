"""Issue 12, item 6: one link policy for HTML and PDF.

A page points at files inside the edition only (no absolute path, no ``file:``, no ``..``),
at http(s)/mailto pages as hyperlinks, and shows remote images only from hosts given with
``--image-host``.  The PDF's link annotations are read with pypdf, which decompresses the object streams
WeasyPrint writes them into (a raw byte search would find nothing).
"""

from __future__ import annotations

import re

from _hostile import XML, Secret, need
from pypdf import PdfReader

LINKS = """<p xml:id="o3">Links: <ref target="../../secret.html">up</ref>
<ref target="/tmp/abs/secret.html">abs</ref> <ref target="file:///etc/passwd">file</ref>
<ref target="https://example.org/page">web</ref> <ref target="sub/../../x.html">dots</ref>
<graphic url="{outside}/outside.png"/> <graphic url="../outside/secret.png"/>
<graphic url="..\\outside\\secret.png"/>
<graphic url="https://iiif.example.org/iiif/a/full/max/0/default.jpg"/>
<graphic url="http://tracker.example.com/pixel.png"/>
<graphic url="http://iiif.example.org@tracker.example.com/pixel.png"/></p>"""
FACSIMILE = """<facsimile><surface xml:id="s1"><graphic url="http://tracker.example.com/f.jpg"/>
</surface><surface xml:id="s2"><graphic url="{outside}/abs.jpg"/></surface></facsimile>"""


def _doc(secret: Secret) -> str:
    src = (XML / "base.xml").read_text(encoding="utf-8")
    o = str(secret.outside)
    src = src.replace('<p xml:id="o2">', LINKS.format(outside=o) + '<p xml:id="o2">')
    src = src.replace("</teiHeader>", "</teiHeader>" + FACSIMILE.format(outside=o))
    doc = secret.inp / "doc.xml"
    doc.write_text(src, encoding="utf-8")
    return str(doc)


def _bad_local(url: str) -> bool:
    u = url.replace("\\", "/")
    return (
        u.startswith("/")
        or u.lower().startswith("file:")
        or "/../" in f"/{u.split('#')[0]}/"
        or "outside" in u
    )


def test_html_points_only_inside_the_edition(cli, secret: Secret) -> None:
    need("render html")
    r = cli("render", "html", _doc(secret), "-o", secret.out)
    assert r.code == 0, r.text
    html = (secret.out / "doc.html").read_text(encoding="utf-8")
    urls = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert "https://example.org/page" in urls  # the check sees the links at all
    assert [u for u in urls if _bad_local(u)] == []
    srcs = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert [s for s in srcs if re.match(r"(?i)https?:", s)] == [], "a remote image is loaded"


def test_html_shows_images_of_an_allowed_host_only(cli, secret: Secret) -> None:
    need("render html")
    r = cli("render", "html", _doc(secret), "-o", secret.out, "--image-host", "IIIF.example.org")
    assert r.code == 0, r.text
    html = (secret.out / "doc.html").read_text(encoding="utf-8")
    srcs = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert srcs and all(s.startswith("https://iiif.example.org/") for s in srcs), srcs


def test_bad_image_host_is_a_usage_error(cli, secret: Secret) -> None:
    need("render html")
    r = cli("render", "html", _doc(secret), "-o", secret.out, "--image-host", "http://x/")
    r.assert_clean()
    assert r.code == 2 and len(r.error_lines()) == 1, r.text
    assert not secret.out.exists() or not any(secret.out.iterdir())


def _pdf_uris(pdf: str) -> list[str]:
    """Every link target of the PDF, read through pypdf (which decompresses object streams)."""
    uris: list[str] = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def test_pdf_links_only_inside_the_pdf_or_to_the_web(cli, secret: Secret) -> None:
    need("render pdf")
    r = cli("render", "pdf", _doc(secret), "-o", secret.out)
    assert r.code == 0, r.text
    uris = _pdf_uris(str(secret.out / "doc.pdf"))
    assert "https://example.org/page" in uris  # decompressed: the check can see links
    assert [u for u in uris if not re.match(r"(?i)(https?|mailto):", u)] == [], uris
    assert not [u for u in uris if str(secret.root) in u]
