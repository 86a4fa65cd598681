"""Compile each schema once per process: one cache for every engine, keyed by path and mtime."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from ..errors import TeiError

T = TypeVar("T")

_CACHE: dict[tuple[object, str, int, int], object] = {}
_LOCK = threading.Lock()


class SchemaError(TeiError):
    """A schema cannot be read or compiled."""


def compiled(path: str | os.PathLike[str], build: Callable[[Path], T]) -> T:
    """``build(path)`` the first time, the same object afterwards (until the file changes)."""
    p = Path(path).resolve()
    try:
        st = p.stat()
    except OSError:
        raise SchemaError(f"schema not found: {path}") from None
    key = (build, str(p), st.st_mtime_ns, st.st_size)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            hit = _CACHE[key] = build(p)
    return cast(T, hit)  # one cache for every builder: the key's builder made this object
