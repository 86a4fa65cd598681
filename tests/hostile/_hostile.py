"""Shared helpers of the hostile-input suite (imported by conftest.py and the tests)."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tei.cli import build_parser

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
XML = CORPUS / "xml"
RAW = CORPUS / "raw"
REPO = HERE.parents[1]
EXAMPLES = REPO / "examples"
TIME_LIMIT = 300.0  # seconds per case: a hang guard, not a speed test (speed lives in bench/)
# `tei build` of several pages in one process (``--jobs 1``), for the cases that check what a
# build does, not how it spreads the work: the worker pool starts fresh interpreters that each
# import the renderers and compile the stylesheets (about 1 s of CPU apiece, more than the
# pages), where in the test process the stylesheets compiled once serve every case. The pool
# is still built with in test_build_twice_gives_byte_identical_trees (once with, once without).
ONE_PROCESS = ("--jobs", "1")
NS = {"t": "http://www.tei-c.org/ns/1.0"}


# --------------------------------------------------------------------------- what is available


def _commands() -> set[str]:
    parser = build_parser()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        return set(action.choices)
    return set()


COMMANDS = _commands()


def has_pdf() -> bool:
    try:
        import tei.render.pdf  # noqa: F401
    except ImportError:
        return False
    return True


def need(entry: str) -> None:
    """Skip when an entry point is not there yet (``tei render`` is being written)."""
    verb = entry.split()[0]
    if verb not in COMMANDS:
        pytest.skip(f"`tei {verb}` is not registered yet (see `tei --help`)")
    if entry == "render pdf" and not has_pdf():
        pytest.skip("`tei render pdf` needs tei.render.pdf, which is not there yet")


# --------------------------------------------------------------------------- runs


@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str
    secs: float

    @property
    def text(self) -> str:
        return self.out + self.err

    def lines(self, stream: str = "err") -> list[str]:
        return [ln for ln in getattr(self, stream).splitlines() if ln.strip()]

    def error_lines(self) -> list[str]:
        return [ln for ln in self.lines() if ln.startswith("tei: error:")]

    def assert_clean(self) -> None:
        assert "Traceback" not in self.text, self.text
        assert "internal error" not in self.text, self.text
        assert self.secs < TIME_LIMIT, f"{self.argv} took {self.secs:.1f} s"


@dataclass
class Recorder:
    """Collects (entry point, exit status, first message) for the summary table."""

    node: pytest.Item
    rows: list[tuple[str, int, str, float]] = field(default_factory=list)

    def add(self, run: Run) -> None:
        entry = " ".join(a for a in run.argv[:2] if not a.startswith("-") and "/" not in a)
        msg = next((ln for ln in run.lines("err") if "error" in ln or "warning" in ln), "")
        if not msg:
            msg = next((ln for ln in run.lines("out") if "error" in ln), "")
        if not msg:
            msg = (run.lines("err") or run.lines("out") or [""])[-1]
        self.rows.append((entry, run.code, _short(msg), run.secs))
        self.node.user_properties.append(("hostile", (entry, run.code, _short(msg), run.secs)))


_TMP = re.compile(r"\S*?/pytest-of-[^/]+/pytest-\d+/[^/\s]+/")


def _short(msg: str, n: int = 110) -> str:
    """One line, without the tmp_path prefix (``.../test_x0/in/a.xml`` -> ``in/a.xml``)."""
    msg = _TMP.sub("", " ".join(msg.split()))
    return msg if len(msg) <= n else msg[: n - 1] + "…"


class Background:
    """``tei ARGS`` in a child process started now and waited for later (:meth:`result`).

    Its output goes to files (a pipe nobody reads could fill up and stall it); a thread notes
    when it ends, so the time recorded is the run's own; the time limit counts from the start.
    """

    def __init__(self, argv: list[str], cwd: Path, timeout: float = TIME_LIMIT) -> None:
        self.argv = [str(a) for a in argv]
        self.timeout = timeout
        self._out, self._err = cwd / "stdout.txt", cwd / "stderr.txt"
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("TEI_DEBUG", None)
        self.t0 = self.t1 = time.perf_counter()
        with self._out.open("wb") as out, self._err.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tei", *self.argv], stdout=out, stderr=err, cwd=cwd, env=env
            )
        self._ended = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()
        self._run: Run | None = None

    def _watch(self) -> None:
        self.proc.wait()
        self.t1 = time.perf_counter()
        self._ended.set()

    def result(self) -> Run:
        if self._run is None:
            if self._ended.wait(max(0.0, self.timeout - (time.perf_counter() - self.t0))):
                code = self.proc.returncode
                err = self._err.read_text(encoding="utf-8", errors="replace")
                secs = self.t1 - self.t0
            else:
                self.stop()
                code, err, secs = -9, f"TIMEOUT after {self.timeout} s", self.timeout
            out = self._out.read_text(encoding="utf-8", errors="replace")
            self._run = Run(self.argv, code, out, err, secs)
        return self._run

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# --------------------------------------------------------------------------- the planted secret


@dataclass
class Secret:
    root: Path
    marker: str
    outside: Path
    inp: Path
    out: Path

    def put(self, *names: str, src: Path = XML) -> list[Path]:
        """Copy corpus files into the input folder; returns their new paths."""
        paths = []
        for name in names:
            target = self.inp / name
            shutil.copyfile(src / name, target)
            paths.append(target)
        return paths

    def files_with_marker(self) -> list[Path]:
        hits = []
        for p in self.root.rglob("*"):
            if p.is_file() and not p.is_relative_to(self.outside) and not p.is_symlink():
                data = p.read_bytes()
                if self.marker.encode() in data or self.marker.encode("utf-16-le") in data:
                    hits.append(p)
        return hits

    def assert_not_leaked(self, *runs: Run) -> None:
        assert self.files_with_marker() == [], "secret content copied into an output"
        for r in runs:
            assert self.marker not in r.text, f"secret content printed by {r.argv}"


def _png_with_text(text: str) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"tEXt", b"Comment\x00" + text.encode())
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- opened files


_WATCHED: list[str] = []
_OPENED: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _WATCHED and args and isinstance(args[0], (str, bytes, Path)):
        name = os.fsdecode(args[0])
        if any(name.startswith(w) for w in _WATCHED):
            _OPENED.append(name)


sys.addaudithook(_audit)


# --------------------------------------------------------------------------- network canary


_CANARY = r"""
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
hits = 0
while True:
    conn, _ = s.accept()
    hits += 1
    open(sys.argv[1], "w").write(str(hits))
    conn.close()  # answer nothing: a client that tried gets an error at once
"""


class Canary:
    """A TCP listener on 127.0.0.1 in a child process: any connection means someone tried the
    network.  (Not a thread: Saxon holds the GIL while it waits for an answer.)"""

    def __init__(self, count_file: Path) -> None:
        self.count_file = count_file
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CANARY, str(count_file)], stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.proc.stdout.readline())

    @property
    def hits(self) -> int:
        return int(self.count_file.read_text()) if self.count_file.exists() else 0

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(5)
        self.proc.stdout.close()


# --------------------------------------------------------------------------- shared checks


def temp_leftovers(*dirs: Path) -> list[Path]:
    """Temporary files of the atomic writer (``.<name>.*.tmp``) left anywhere under dirs."""
    out = []
    for d in dirs:
        if d.exists():
            out.extend(p for p in d.rglob(".*.tmp"))
    return out


def make_fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(path)
    return path
