"""``--fetch-schemas``: a declared schema is fetched over HTTPS once, then used offline.

A server on 127.0.0.1 serves ../shared/tei/ over TLS with a certificate made here (trusted
through ``SSL_CERT_FILE``), and over plain HTTP for the documented loopback test switch.
"""

from __future__ import annotations

import datetime
import hashlib
import http.server
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
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


class _Server:
    def __init__(self, tls_context: ssl.SSLContext | None):
        self.requests: list[str] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(TEI_DIR), **kw)

            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                if self.path.startswith("/to-http/"):
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.1:{server.port}/tei_all.rng")
                    self.end_headers()
                    return
                if self.path.startswith("/same/"):
                    self.send_response(301)
                    self.send_header("Location", "/" + self.path.removeprefix("/same/"))
                    self.end_headers()
                    return
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls_context is not None:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls_context is not None else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem, key_pem = tmp / "cert.pem", tmp / "key.pem"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_pem, key_pem


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    monkeypatch.delenv("TEI_CACHE_DIR", raising=False)
    monkeypatch.delenv("TEI_FETCH_INSECURE_LOOPBACK", raising=False)
    monkeypatch.delenv("TEI_SCHEMA_DIR", raising=False)
    return root / "tei-archive-edition" / "schemas"


@pytest.fixture
def https(tmp_path, monkeypatch) -> Iterator[_Server]:
    cert, key = _self_signed(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts our test certificate
    server = _Server(ctx)
    yield server
    server.close()


@pytest.fixture
def http_plain() -> Iterator[_Server]:
    server = _Server(None)
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
