"""``--fetch-schemas``: download a declared schema once into the user cache, then stay offline.

Off by default.  When asked, an ``<?xml-model?>`` href that no catalog maps to a local file is
fetched over HTTPS (never plain HTTP, never a redirect to another scheme) and kept under
``<user cache>/schemas/<sha256 of the URL>/<sha256 of the content>/<file name>``; ``current``
beside it names the content hash.  Later runs read the cached copy and do not touch the
network; a cached file whose bytes no longer match its hash is fetched again.  RELAX NG
``include``/``externalRef`` hrefs of a fetched schema are fetched the same way when they are
relative and stay under the schema's own folder on the same server.

A fetched schema is untrusted like any schema a document names: it is parsed with the
hardened parser, and Schematron runs in the same sandbox as a local one.

For tests only, ``TEI_FETCH_INSECURE_LOOPBACK=1`` also allows ``http://`` to 127.0.0.1 / ::1
(a local test server); no other host is ever fetched over plain HTTP.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

from ..atomic import write_bytes_atomic
from ..errors import TeiError
from ..ns import RNG_NS
from ..xmlsafe import parse_bytes
from .cache import schema_cache_dir

MAX_SCHEMA_BYTES = 64 * 1024 * 1024
TIMEOUT = 60  # seconds per request
MAX_FILES = 64  # a schema and its includes
INSECURE_LOOPBACK_ENV = "TEI_FETCH_INSECURE_LOOPBACK"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class FetchError(TeiError):
    """A schema could not be fetched (the message says why); the file is not validated."""


def _allowed_scheme(url: str, what: str = "schemas") -> None:
    p = urlparse(url)
    if p.scheme == "https":
        return
    if (
        p.scheme == "http"
        and os.environ.get(INSECURE_LOOPBACK_ENV) == "1"
        and _loopback(p.hostname)
    ):
        return
    raise FetchError(f"{url}: only https:// {what} are fetched")


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _SameScheme(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same scheme (an https schema never comes over http)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = urljoin(req.full_url, newurl)
        if urlparse(new).scheme != urlparse(req.full_url).scheme:
            raise FetchError(f"{req.full_url}: redirect to another scheme refused ({new})")
        _allowed_scheme(new)
        return super().redirect_request(req, fp, code, msg, headers, new)


def _opener() -> urllib.request.OpenerDirector:
    # Only the handlers we name: no file://, ftp:// or data: handler is ever installed.
    return urllib.request.build_opener(_SameScheme())


def _download(url: str) -> bytes:
    return download(url)


def download(
    url: str,
    *,
    max_bytes: int = MAX_SCHEMA_BYTES,
    agent: str = "tei-validate (schema fetch)",
    what: str = "schemas",
) -> bytes:
    """The bytes at ``url``: https only, no redirect to another scheme, at most ``max_bytes``
    (also for IIIF manifests, :mod:`tei.iiif_input`)."""
    _allowed_scheme(url, what)
    req = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with _opener().open(req, timeout=TIMEOUT) as resp:
            final = resp.geturl()
            if urlparse(final).scheme != urlparse(url).scheme:
                raise FetchError(f"{url}: redirect to another scheme refused ({final})")
            data = resp.read(max_bytes + 1)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, FetchError):
            raise reason from None
        raise FetchError(f"{url}: cannot fetch: {reason}") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"{url}: cannot fetch: {exc}") from None
    if len(data) > max_bytes:
        raise FetchError(f"{url}: larger than {max_bytes // 2**20} MB")
    return data


def _file_name(url: str) -> str:
    name = PurePosixPath(unquote(urlparse(url).path)).name or "schema"
    return _SAFE_NAME.sub("_", name)


class SchemaFetcher:
    """Resolves remote schema URLs to files in the cache, fetching each at most once."""

    def __init__(self, root: Path | None = None):
        self.root = root or schema_cache_dir()
        self._done: dict[str, Path] = {}

    def get(self, url: str) -> Path:
        """The cached file for ``url``, fetched now if absent; raises :class:`FetchError`."""
        hit = self._done.get(url)
        if hit is None:
            _allowed_scheme(url)
            hit = self._cached(url) or self._fetch(url)
            self._done[url] = hit
        return hit

    def _slot(self, url: str) -> Path:
        return self.root / hashlib.sha256(url.encode("utf-8")).hexdigest()

    def _cached(self, url: str) -> Path | None:
        slot = self._slot(url)
        try:
            digest = (slot / "current").read_text(encoding="ascii").strip()
        except OSError:
            return None
        main = slot / digest / _file_name(url)
        try:
            if hashlib.sha256(main.read_bytes()).hexdigest() != digest:
                return None  # changed behind our back: fetch again
        except OSError:
            return None
        return main

    def _fetch(self, url: str) -> Path:
        files: dict[str, bytes] = {}  # relative path under the schema's folder -> bytes
        base = urljoin(url, ".")
        todo = [(url, _file_name(url))]
        while todo:
            u, rel = todo.pop()
            if rel in files:
                continue
            if len(files) >= MAX_FILES:
                raise FetchError(f"{url}: more than {MAX_FILES} included files")
            data = _download(u)
            files[rel] = data
            for href in _rng_includes(data, u):
                target = urljoin(u, href)
                if not target.startswith(base) or urlparse(target).query:
                    raise FetchError(
                        f"{url}: includes {href!r}, outside the schema's folder; not fetched"
                    )
                sub = unquote(target[len(base) :])
                if ".." in PurePosixPath(sub).parts:
                    raise FetchError(f"{url}: includes {href!r}; not fetched")
                todo.append((target, "/".join(_SAFE_NAME.sub("_", p) for p in sub.split("/"))))
        main_rel = _file_name(url)
        digest = hashlib.sha256(files[main_rel]).hexdigest()
        folder = self._slot(url) / digest
        try:
            for rel, data in files.items():
                write_bytes_atomic(folder / rel, data)
            write_bytes_atomic(self._slot(url) / "current", digest.encode("ascii"))
        except OSError as exc:
            raise FetchError(f"{url}: cannot write the cache {self.root}: {exc}") from None
        return folder / main_rel


def _rng_includes(data: bytes, url: str) -> list[str]:
    """The include/externalRef hrefs of a RELAX NG schema (none for other kinds)."""
    if not url.lower().endswith(".rng"):
        return []
    try:
        root = parse_bytes(data, path=url).getroot()
    except TeiError:
        return []  # reported when the schema is compiled
    return [
        el.get("href", "")
        for el in root.iter(f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef")
        if el.get("href")
    ]
