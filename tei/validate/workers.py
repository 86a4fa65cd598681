"""A batch split over forked worker processes, the parent working as one of them.

``map_forked(check, items, jobs, sizes, step)`` gives ``[check(x) for x in items]`` with
``jobs - 1`` forked children and the parent sharing the work.  Compared with a
``multiprocessing`` pool there is no extra process competing for the cores, no per-item task
message, and every process starts from the parent's compiled schemas (copy-on-write).

The split is static and deterministic: items are dealt largest first in snake order
(0, 1, 1, 0, 0, 1, ...) over the processes by ``sizes``; each child sends its results back in
one pickle through a pipe when it is done, and one byte per item through a shared pipe for the
progress line.  An exception in a child is raised again in the parent; an interrupted or failed
run leaves no child behind.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def shares(sizes: Sequence[int], jobs: int) -> list[list[int]]:
    """Indices of ``sizes`` dealt over ``jobs`` processes: largest first, snake order."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    out: list[list[int]] = [[] for _ in range(jobs)]
    for n, i in enumerate(order):
        lap, pos = divmod(n, jobs)
        out[pos if lap % 2 == 0 else jobs - 1 - pos].append(i)
    for share in out:
        share.sort()  # each process goes through its files in the order given
    return out


class WorkerFailed(Exception):
    """A worker process ended without sending its results."""


def map_forked(
    check: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    sizes: Sequence[int],
    step: Callable[[int], None],
) -> list[R]:
    """``[check(x) for x in items]`` over ``jobs`` processes (``step(n)``: n more done)."""
    parts = shares(sizes, jobs)
    progress_r, progress_w = os.pipe()
    children: list[tuple[int, int, list[int]]] = []  # (pid, result pipe, indices)
    results: list[R | None] = [None] * len(items)
    try:
        for share in parts[1:]:
            r, w = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(r)
                os.close(progress_r)
                _child(check, [items[i] for i in share], w, progress_w)
            os.close(w)
            children.append((pid, r, share))
        os.close(progress_w)
        progress_w = -1
        os.set_blocking(progress_r, False)
        for i in parts[0]:
            results[i] = check(items[i])
            step(1 + _drain(progress_r))
        while children:
            pid, r, share = children[0]
            children[0] = (pid, -1, share)  # the file object below closes r
            with os.fdopen(r, "rb") as fh:
                data = fh.read()
            _, status = os.waitpid(pid, 0)
            children.pop(0)
            got = _unpack(data, status)
            for i, res in zip(share, got, strict=True):
                results[i] = res
        os.set_blocking(progress_r, True)
        step(_drain(progress_r))
    finally:
        for pid, r, _ in children:  # interrupted or failed: no child is left running
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
            if r >= 0:
                with contextlib.suppress(OSError):
                    os.close(r)
        for fd in (progress_r, progress_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
    return results  # type: ignore[return-value]  # every slot was filled above


def _child(check: Callable[[T], R], mine: list[T], out: int, progress: int) -> None:
    code = 0
    try:
        got: list[R] = []
        for x in mine:
            got.append(check(x))
            os.write(progress, b".")
        payload = pickle.dumps(("ok", got), protocol=pickle.HIGHEST_PROTOCOL)
    except KeyboardInterrupt:
        os._exit(130)
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
        code = 1
        try:
            payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            payload = pickle.dumps(("error", WorkerFailed(f"{type(exc).__name__}: {exc}")))
    try:
        with os.fdopen(out, "wb") as fh:
            fh.write(payload)
    except BaseException:  # noqa: BLE001 - the parent reports the missing results
        code = 1
    os._exit(code)


def _unpack(data: bytes, status: int) -> list:
    try:
        kind, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - killed or crashed before sending
        if os.WIFSIGNALED(status):
            why = f"killed by signal {os.WTERMSIG(status)}"
        else:
            why = f"exit status {os.waitstatus_to_exitcode(status)}"
        raise WorkerFailed(f"a worker process ended without its results ({why})") from None
    if kind == "error":
        raise value
    return value


def _drain(fd: int) -> int:
    """Bytes waiting in the progress pipe (0 when none)."""
    n = 0
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return n
        if not chunk:
            return n
        n += len(chunk)
