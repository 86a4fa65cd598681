"""Content-hash result cache: unchanged file + unchanged schemas + same tool = same findings.

Off by default (a CI run should validate what is there).  ``--cache DIR`` keeps results in DIR;
``--cache`` alone uses the user cache folder (``$TEI_CACHE_DIR``, else
``$XDG_CACHE_HOME/tei-archive-edition``, else ``~/.cache/tei-archive-edition``).
One small JSON file per result, written atomically, so parallel runs can share a folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..atomic import write_bytes_atomic
from ..report import Finding

FORMAT = 2  # bump when findings for the same input would change (2: hints)


def user_cache_dir() -> Path:
    """The per-user cache folder."""
    env = os.environ.get("TEI_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "tei-archive-edition"


def schema_cache_dir() -> Path:
    """Where ``--fetch-schemas`` keeps downloaded schemas (:mod:`.fetch`)."""
    return user_cache_dir() / "schemas"


# --------------------------------------------------------------------------- compiled schemas

UNUSED_DAYS = 90  # a compiled-schema entry no run has read or written for this long is removed


def read_entry(target: Path) -> bytes:
    """A compiled-schema entry's bytes (``OSError`` if there is none); marks it as used."""
    data = target.read_bytes()
    with contextlib.suppress(OSError):  # its access time: kept until UNUSED_DAYS after this
        st = target.stat()
        os.utime(target, ns=(time.time_ns(), st.st_mtime_ns))
    return data


def write_entry(target: Path, data: bytes) -> None:
    """Write a compiled-schema entry (``rng-derivative/``, ``rng-model/``) atomically and
    readable by the user only, then remove the entries of its folder unused for
    :data:`UNUSED_DAYS` days (old versions of the code, schemas in folders long gone).
    A cache that cannot be written is no error: the next run compiles again."""
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        prune(target.parent)


def prune(folder: Path, days: int = UNUSED_DAYS) -> list[str]:
    """Remove the regular files in ``folder`` (not below it) last read or written more than
    ``days`` days ago; the names removed."""
    cutoff = time.time_ns() - days * 86_400 * 10**9
    gone = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for e in entries:
            with contextlib.suppress(OSError):
                st = e.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and max(st.st_atime_ns, st.st_mtime_ns) < cutoff:
                    os.unlink(e.path)
                    gone.append(e.name)
    return sorted(gone)


# --------------------------------------------------------------------------- results

_FILE_HASHES: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """sha256 of a schema file, memoised by path+mtime+size for the life of the process."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    hit = _FILE_HASHES.get(key)
    if hit is None:
        hit = _FILE_HASHES[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hit


def result_key(data: bytes, schema_digests: list[str], options: str) -> str:
    """The cache key: file bytes, schema contents, options and tool version."""
    h = hashlib.sha256()
    h.update(hashlib.sha256(data).digest())
    for d in schema_digests:
        h.update(d.encode())
    h.update(f"|{options}|{__version__}|{FORMAT}".encode())
    return h.hexdigest()


class ResultCache:
    """Findings stored by key under ``root/validate/<2 hex>/<key>.json``."""

    def __init__(self, root: Path):
        self.root = root / "validate"

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, label: str) -> tuple[list[Finding], list[str]] | None:
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            findings = [Finding(file=label, **f) for f in raw["findings"]]
            return findings, list(raw["schemas"])
        except (KeyError, TypeError):
            return None

    def put(self, key: str, findings: list[Finding], schemas: list[str]) -> None:
        rows = []
        for f in findings:
            row = asdict(f)
            del row["file"]
            rows.append(row)
        data = json.dumps({"findings": rows, "schemas": schemas}, ensure_ascii=False)
        with contextlib.suppress(OSError):  # a cache that cannot be written is no error
            write_bytes_atomic(self._path(key), data.encode("utf-8"))
