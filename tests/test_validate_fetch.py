"""``--fetch-schemas``: a declared schema is fetched over HTTPS once, then used offline.

A server on 127.0.0.1 serves ../shared/tei/ over TLS with a certificate made here (trusted
through ``SSL_CERT_FILE``), and over plain HTTP for the documented loopback test switch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from _local_server import LocalServer, self_signed, tls_server_context
from _shared import SHARED

from tei.cli import main

TEI_DIR = SHARED / "tei"
pytestmark = pytest.mark.skipif(
    not (TEI_DIR / "tei_all.rng").is_file(), reason="shared TEI schemas not present"
)

DOC = """<?xml version="1.0"?>
<?xml-model href="{url}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
    <publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><p>a <persname>X</persname></p></body></text>
</TEI>
"""


def _redirect(path: str, server: LocalServer) -> tuple[int, str] | None:
    """``/to-http/...`` leaves for plain http (refused); ``/same/...`` stays on https."""
    if path.startswith("/to-http/"):
        return 302, f"http://127.0.0.1:{server.port}/tei_all.rng"
    if path.startswith("/same/"):
        return 301, "/" + path.removeprefix("/same/")
    return None


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    monkeypatch.delenv("TEI_CACHE_DIR", raising=False)
    monkeypatch.delenv("TEI_FETCH_INSECURE_LOOPBACK", raising=False)
    monkeypatch.delenv("TEI_SCHEMA_DIR", raising=False)
    return root / "tei-archive-edition" / "schemas"


@pytest.fixture
def https(tmp_path, monkeypatch) -> Iterator[LocalServer]:
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts our test certificate
    server = LocalServer(TEI_DIR, tls_server_context(cert, key), _redirect)
    yield server
    server.close()


@pytest.fixture
def http_plain() -> Iterator[LocalServer]:
    server = LocalServer(TEI_DIR, None, lambda path, server: None)
    yield server
    server.close()


def _doc(tmp_path: Path, url: str, name: str = "doc.xml") -> Path:
    f = tmp_path / name
    f.write_text(DOC.format(url=url), encoding="utf-8")
    return f


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["validate", "--no-progress", *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_fetched_once_then_validated_offline_from_the_cache(tmp_path, capsys, cache, https):
    url = https.url("tei_all.rng")
    doc = _doc(tmp_path, url)
    code, out = run(capsys, "--fetch-schemas", str(doc))
    assert code == 1, out  # validated: the misspelt persName is found
    assert 'element "persname" not allowed anywhere' in out
    assert https.requests == ["/tei_all.rng"]
    # keyed by URL and content hash
    data = (TEI_DIR / "tei_all.rng").read_bytes()
    slot = cache / hashlib.sha256(url.encode()).hexdigest()
    digest = hashlib.sha256(data).hexdigest()
    assert (slot / "current").read_text() == digest
    assert (slot / digest / "tei_all.rng").read_bytes() == data
    # a second run reads the cache: no request, same findings
    https.close()
    code2, out2 = run(capsys, "--fetch-schemas", str(doc))
    assert (code2, out2) == (code, out)
    assert https.requests == ["/tei_all.rng"]


def test_a_changed_cached_copy_is_fetched_again(tmp_path, capsys, cache, https):
    url = https.url("tei_all.rng")
    doc = _doc(tmp_path, url)
    assert run(capsys, "--fetch-schemas", str(doc))[0] == 1
    slot = cache / hashlib.sha256(url.encode()).hexdigest()
    cached = slot / (slot / "current").read_text() / "tei_all.rng"
    cached.write_bytes(b"<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><notAllowed/>")
    assert run(capsys, "--fetch-schemas", str(doc))[0] == 1
    assert https.requests == ["/tei_all.rng", "/tei_all.rng"]
    assert cached.read_bytes() == (TEI_DIR / "tei_all.rng").read_bytes()


def test_offline_by_default(tmp_path, capsys, cache, https):
    doc = _doc(tmp_path, https.url("tei_all.rng"))
    code, out = run(capsys, str(doc))
    assert code == 2 and "not downloaded without --fetch-schemas" in out
    assert "1 file not validated: schema not available" in out
    assert https.requests == [] and not cache.exists()


def test_redirect_to_another_scheme_is_refused(tmp_path, capsys, cache, https, monkeypatch):
    monkeypatch.setenv("TEI_FETCH_INSECURE_LOOPBACK", "1")  # even when http would be allowed
    doc = _doc(tmp_path, https.url("to-http/tei_all.rng"))
    code, out = run(capsys, "--fetch-schemas", str(doc))
    assert code == 2 and "redirect to another scheme refused" in out, out
    assert "schema not available" in out


def test_same_scheme_redirect_is_followed(tmp_path, capsys, cache, https):
    doc = _doc(tmp_path, https.url("same/tei_all.rng"))
    code, out = run(capsys, "--fetch-schemas", str(doc))
    assert code == 1 and "persname" in out, out
    assert https.requests == ["/same/tei_all.rng", "/tei_all.rng"]


def test_http_only_with_the_loopback_test_switch(tmp_path, capsys, cache, http_plain, monkeypatch):
    doc = _doc(tmp_path, http_plain.url("tei_all.rng"))
    code, out = run(capsys, "--fetch-schemas", str(doc))
    assert code == 2 and "only https:// schemas are fetched" in out
    assert http_plain.requests == []
    monkeypatch.setenv("TEI_FETCH_INSECURE_LOOPBACK", "1")
    code, out = run(capsys, "--fetch-schemas", str(doc))
    assert code == 1 and "persname" in out, out
    # the switch is for loopback only: another host is never fetched over http
    other = _doc(tmp_path, "http://example.org/tei_all.rng", "other.xml")
    code, out = run(capsys, "--fetch-schemas", str(other))
    assert code == 2 and "only https:// schemas are fetched" in out


def test_a_missing_remote_schema_is_not_validated(tmp_path, capsys, cache, https):
    doc = _doc(tmp_path, https.url("nope.rng"))
    code, out = run(capsys, "--fetch-schemas", "--format", "json", str(doc))
    assert code == 2 and "HTTP 404" in out and '"status": "not-validated"' in out
