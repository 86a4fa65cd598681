"""``tei convert --iiif-manifest``: surfaces bound to a manifest's canvases (file or https URL).

The remote cases run a server on 127.0.0.1: over TLS with a certificate made here (trusted
through ``SSL_CERT_FILE``), and over plain HTTP only for the documented loopback test switch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _local_server import LocalServer, self_signed, tls_server_context
from lxml import etree

from tei.cli import main
from tei.iiif_input import bind, canvases, folio_key
from tei.pipeline import ConvertOptions, PageReader
from tei.render import iiif

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = next(EXAMPLES.glob("000_*.txt"))  # l. 334-338: five folios, pb on 334 and 335
T = "{http://www.tei-c.org/ns/1.0}"


def manifest_v3(labels: list[str], base: str = "https://iiif.example.org/m") -> dict:
    items = []
    for i, label in enumerate(labels, 1):
        cid = f"{base}/canvas/{i}"
        image = f"https://images.example.org/iiif/3/d95-{i}"
        items.append(
            {
                "id": cid,
                "type": "Canvas",
                "label": {"en": [label]},
                "width": 1000 + i,
                "height": 1500,
                "items": [
                    {
                        "id": f"{cid}/page",
                        "type": "AnnotationPage",
                        "items": [
                            {
                                "id": f"{cid}/page/a",
                                "type": "Annotation",
                                "motivation": "painting",
                                "target": cid,
                                "body": {
                                    "id": f"{image}/full/max/0/default.jpg",
                                    "type": "Image",
                                    "format": "image/jpeg",
                                    "service": [{"id": image, "type": "ImageService3"}],
                                },
                            }
                        ],
                    }
                ],
            }
        )
    return {
        "@context": iiif.CONTEXT,
        "id": base,
        "type": "Manifest",
        "label": {"en": ["Beria and Vyshinsky to Stalin"]},
        "items": items,
    }


def manifest_v2(labels: list[str]) -> dict:
    """Presentation 2, images given by their Image API service only."""
    return {
        "@context": "http://iiif.io/api/presentation/2/context.json",
        "@id": "https://old.example.org/m",
        "@type": "sc:Manifest",
        "label": "old",
        "sequences": [
            {
                "@type": "sc:Sequence",
                "canvases": [
                    {
                        "@id": f"https://old.example.org/c/{i}",
                        "@type": "sc:Canvas",
                        "label": label,
                        "width": 800,
                        "height": 1200,
                        "images": [
                            {
                                "resource": {
                                    "@id": "",
                                    "service": {"@id": f"https://old.example.org/img/{i}/"},
                                }
                            }
                        ],
                    }
                    for i, label in enumerate(labels, 1)
                ],
            }
        ],
    }


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def surfaces(tei: Path) -> list[tuple[str | None, str | None, str | None, str | None, str | None]]:
    root = etree.parse(str(tei)).getroot()
    return [
        (s.get("n"), s.get("corresp"), g.get("url"), g.get("width"), g.get("height"))
        for s in root.iter(f"{T}surface")
        for g in s.findall(f"{T}graphic")
    ]


def test_a_local_manifest_binds_each_folio_to_its_canvas_by_label(tmp_path, capsys):
    labels = ["Cover", "f. 334", "f. 335", "fol. 336r", "337", "l. 338"]
    m = tmp_path / "manifest.json"
    m.write_text(json.dumps(manifest_v3(labels)), encoding="utf-8")
    out = tmp_path / "doc.xml"
    code, _, err = run(capsys, "convert", str(SEED), "-o", str(out), "--iiif-manifest", str(m))
    assert code == 0, err
    assert "warning" not in err
    got = surfaces(out)
    assert [g[0] for g in got] == ["334", "335", "336", "337", "338"]
    for (n, canvas, url, w, h), i in zip(got, range(2, 7), strict=True):
        assert canvas == f"https://iiif.example.org/m/canvas/{i}", n
        assert url == f"https://images.example.org/iiif/3/d95-{i}/full/max/0/default.jpg"
        assert (w, h) == (f"{1000 + i}px", "1500px")


def test_the_bound_tei_is_valid_and_its_own_manifest_has_the_canvases(tmp_path, capsys):
    """build with the manifest: the TEI validates, the pages show the images from the
    allowed host, and the edition's own manifest has a canvas per bound folio."""
    src = tmp_path / "src"
    src.mkdir()
    (src / SEED.name).write_bytes(SEED.read_bytes())
    m = tmp_path / "m.json"
    m.write_text(json.dumps(manifest_v3(["334", "335", "336", "337", "338"])), encoding="utf-8")
    out = tmp_path / "ed"
    code, _, err = run(
        capsys,
        "build", str(src), "-o", str(out), "--no-pdf", "--no-progress", "--iiif-manifest", str(m),
        "--image-host", "images.example.org", "--iiif-base", "https://ed.example.org/",
    )  # fmt: skip
    assert code == 0, err
    assert "all valid" in err
    page = (out / f"{SEED.stem}.html").read_text(encoding="utf-8")
    assert "https://images.example.org/iiif/3/d95-1/" in page
    own = json.loads((out / "iiif" / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    assert iiif.problems(own) == []
    bodies = [c["items"][0]["items"][0]["body"] for c in own["items"]]
    assert [(b["width"], b["height"]) for b in bodies] == [(1000 + i, 1500) for i in range(1, 6)]


def test_labels_that_name_no_folio_bind_in_order_when_the_counts_agree(tmp_path):
    model = PageReader(ConvertOptions()).read(SEED)
    warnings = bind(model, canvases(manifest_v3([f"Image {i}" for i in range(1, 6)])), "m")
    assert [s.canvas for s in model.surfaces] == [
        f"https://iiif.example.org/m/canvas/{i}" for i in range(1, 6)
    ]
    assert warnings and "in order" in warnings[0]
    model = PageReader(ConvertOptions()).read(SEED)
    warnings = bind(model, canvases(manifest_v3(["Image 1", "Image 2"])), "m")
    assert all(s.canvas is None for s in model.surfaces)
    assert "not bound" in warnings[0]


def test_a_missing_folio_is_named_and_the_others_are_bound():
    model = PageReader(ConvertOptions()).read(SEED)
    warnings = bind(model, canvases(manifest_v3(["334", "335", "337"])), "m")
    assert [s.canvas is not None for s in model.surfaces] == [True, True, False, True, False]
    assert warnings == ["m: no canvas for folio 336, 338"]


def test_presentation_2_with_image_services_and_a_document_without_folios():
    found = canvases(manifest_v2(["fol. 1r", "fol. 1v"]))
    assert [(c.label, c.image) for c in found] == [
        ("fol. 1r", "https://old.example.org/img/1/full/full/0/default.jpg"),
        ("fol. 1v", "https://old.example.org/img/2/full/full/0/default.jpg"),
    ]
    model = PageReader(ConvertOptions()).read(SEED)
    model.surfaces.clear()  # a citation without a folio range
    assert bind(model, found, "m") == []
    assert [(s.id, s.n, s.width) for s in model.surfaces] == [
        ("f1r", "1r", 800),
        ("f1v", "1v", 800),
    ]
    assert [folio_key(x) for x in ("f. 334", "l. 12 ob.", "Fol. 0012V", "Cover")] == [
        "334",
        "12ob",
        "12v",
        "",
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"[1, 2]", "not a IIIF manifest"),
        (b'{"type": "Collection"}', "not a IIIF manifest (type 'Collection')"),
        (b"\xff\xfe{", "not JSON"),
        (b'{"type": "Manifest", "items": [{"type": "Canvas", "id": "javascript:x"}]}', "no canvas"),
    ],
)
def test_a_bad_manifest_is_one_line_and_exit_2(tmp_path, capsys, content, message):
    m = tmp_path / "m.json"
    m.write_bytes(content)
    code, out, err = run(capsys, "convert", str(SEED), "--iiif-manifest", str(m))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_a_missing_manifest_file_is_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "convert", str(SEED), "--iiif-manifest", str(tmp_path / "no.json"))
    assert code == 2 and "no such manifest file" in err


def _redirect(path: str, server: LocalServer) -> tuple[int, str] | None:
    """``/to-file`` leaves for file://, ``/to-http`` for plain http, ``/same`` stays."""
    targets = {
        "/to-file": "file:///etc/passwd",
        "/to-http": f"http://127.0.0.1:{server.port}/m.json",
        "/same": "/m.json",
    }
    return (302, targets[path]) if path in targets else None


@pytest.fixture
def served(tmp_path) -> Path:
    root = tmp_path / "www"
    root.mkdir()
    (root / "m.json").write_text(json.dumps(manifest_v3(["334", "335"])), encoding="utf-8")
    return root


@pytest.fixture
def https(tmp_path, served, monkeypatch) -> Iterator[LocalServer]:
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.delenv("TEI_FETCH_INSECURE_LOOPBACK", raising=False)
    server = LocalServer(served, tls_server_context(cert, key), _redirect)
    yield server
    server.close()


@pytest.fixture
def http_plain(served) -> Iterator[LocalServer]:
    server = LocalServer(served, None, _redirect)
    yield server
    server.close()


def test_an_https_manifest_is_fetched_once_for_all_pages(tmp_path, capsys, https):
    other = tmp_path / "copy.txt"
    other.write_bytes(SEED.read_bytes() + b"\n")
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "convert", str(SEED), str(other), "-o", str(out), "--no-align",
        "--iiif-manifest", https.url("same"),
    )  # fmt: skip
    assert code == 0, err
    assert "no canvas for folio 336, 337, 338" in err
    assert [s[1] for s in surfaces(out / f"{SEED.stem}.xml")][:2] == [
        "https://iiif.example.org/m/canvas/1",
        "https://iiif.example.org/m/canvas/2",
    ]
    assert https.requests == ["/same", "/m.json"]  # a same-scheme redirect, read once


@pytest.mark.parametrize("path", ["to-file", "to-http"])
def test_a_redirect_to_another_scheme_is_refused(capsys, https, path):
    code, out, err = run(capsys, "convert", str(SEED), "--iiif-manifest", https.url(path))
    assert code == 2 and out == "", err
    # ours, or urllib's own refusal of a file:// redirect (it never reaches our handler)
    assert "redirect to another scheme refused" in err or "is not allowed" in err, err
    assert https.requests == [f"/{path}"]  # the redirect was not followed


def test_plain_http_only_to_loopback_under_the_test_switch(capsys, http_plain, monkeypatch):
    monkeypatch.delenv("TEI_FETCH_INSECURE_LOOPBACK", raising=False)
    code, _, err = run(capsys, "convert", str(SEED), "--iiif-manifest", http_plain.url("m.json"))
    assert code == 2 and "only https:// manifests are fetched" in err
    assert http_plain.requests == []
    monkeypatch.setenv("TEI_FETCH_INSECURE_LOOPBACK", "1")
    code, out, err = run(capsys, "convert", str(SEED), "--iiif-manifest", http_plain.url("m.json"))
    assert code == 0, err
    assert 'corresp="https://iiif.example.org/m/canvas/1"' in out


def test_doc_in_the_value_reads_one_manifest_per_document(tmp_path, capsys):
    """``{doc}`` is the document number (121724 for seed 000), as in --facs-pattern."""
    (tmp_path / "121724.json").write_text(json.dumps(manifest_v3(["334"])), encoding="utf-8")
    pattern = str(tmp_path / "{doc}.json")
    out = tmp_path / "out"
    other = next(EXAMPLES.glob("003_*.txt"))  # no manifest of its own
    code, _, err = run(
        capsys, "convert", str(SEED), str(other), "-o", str(out), "--no-align",
        "--iiif-manifest", pattern,
    )  # fmt: skip
    assert [s[1] for s in surfaces(out / f"{SEED.stem}.xml")][:1] == [
        "https://iiif.example.org/m/canvas/1"
    ]
    # the other page has no manifest: said, and converted with the --facs-pattern images
    assert code == 0 and f"{other}: warning: --iiif-manifest: " in err, err
    assert "no such manifest file; the folios keep the --facs-pattern images" in err
    assert all(s[1] is None for s in surfaces(out / f"{other.stem}.xml"))
