"""Atomic file output: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of bytes written one by one) to ``path`` via a temporary
    file in the same folder and a rename.

    A character device or FIFO (``-o /dev/null``, ``-o >(cmd)``) is written into, never replaced;
    any other special file (a socket, a block device, a folder) is refused with ``OSError``. A
    symlink is replaced by the new file, its target left alone. The new file keeps the permission
    bits of the regular file it replaces (never set-id or sticky bits), else the usual
    ``0o666 & ~umask`` (``mkstemp`` alone would leave every output readable by its owner only).
    """
    target = Path(path)
    chunks: Iterable[bytes] = (data,) if isinstance(data, bytes | bytearray) else data
    try:
        st: os.stat_result | None = target.lstat()
    except FileNotFoundError:
        st = None
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        return
    if st is not None and not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        raise OSError(errno.EEXIST, "not a regular file; refusing to replace it", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    if st is not None and stat.S_ISREG(st.st_mode):
        mode = stat.S_IMODE(st.st_mode) & 0o777
    else:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def owned_dir(path: str | os.PathLike[str]) -> Path:
    """A real folder at ``path`` for outputs the caller owns (``assets/``, ``tei/``, ``pdf/``).

    A symbolic link there is removed (its target left alone) and replaced by a folder, so no
    output lands where the link pointed; any other non-folder is refused with ``OSError``.
    """
    p = Path(path)
    if p.is_symlink():
        p.unlink()
    elif p.exists() and not p.is_dir():
        raise OSError(errno.EEXIST, "not a folder; refusing to replace it", str(p))
    p.mkdir(parents=True, exist_ok=True)
    return p
