"""Helpers for the hostile-input suite: run the CLI, plant a secret, listen for the network,
and print a table of every case's outcome and time at the end of the session.

Each case runs in ``tmp_path`` laid out as::

    tmp_path/outside/secret.txt, secret.xml, secret.png, evil.xsl   <- must never be read
    tmp_path/in/<case files>                                         <- the input
    tmp_path/out/                                                    <- the outputs

and checks: exit status, one clear line naming the file and the reason, no traceback, no
partial output or temporary file, the secret marker in no output and no stream, no hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import _hostile` in the tests

from _hostile import (  # noqa: E402
    _OPENED,
    _WATCHED,
    TIME_LIMIT,
    Background,
    Canary,
    Recorder,
    Run,
    Secret,
    _png_with_text,
)

from tei.cli import main  # noqa: E402


@pytest.fixture
def recorder(request) -> Recorder:
    return Recorder(request.node)


@pytest.fixture
def cli(capsys, recorder):
    """Run ``tei ARGS`` in-process; returns a :class:`Run` (timed, recorded)."""

    def run(*argv: str | os.PathLike[str]) -> Run:
        args = [str(a) for a in argv]
        capsys.readouterr()
        t0 = time.perf_counter()
        try:
            code = main(args)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        secs = time.perf_counter() - t0
        cap = capsys.readouterr()
        r = Run(args, code, cap.out, cap.err, secs)
        recorder.add(r)
        return r

    return run


@pytest.fixture
def cli_proc(recorder, tmp_path):
    """Run ``tei ARGS`` in a child process (recursion limits, hangs): timed, with a timeout."""

    def run(*argv: str | os.PathLike[str], timeout: float = TIME_LIMIT) -> Run:
        args = [str(a) for a in argv]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("TEI_DEBUG", None)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "tei", *args],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=tmp_path,
                env=env,
            )
            code, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            code = -9
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            err = f"TIMEOUT after {timeout} s"
        secs = time.perf_counter() - t0
        r = Run(args, code, out, err, secs)
        recorder.add(r)
        return r

    return run


@pytest.fixture
def secret(tmp_path) -> Secret:
    marker = f"HOSTILE-SECRET-{uuid.uuid4().hex}"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{marker}\n", encoding="utf-8")
    (outside / "secret.xml").write_text(
        f'<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="leak">{marker}</p>\n', encoding="utf-8"
    )
    # a PNG whose text chunk carries the marker (if any renderer embedded it...)
    (outside / "secret.png").write_bytes(_png_with_text(marker))
    (outside / "evil.xsl").write_text(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><html><body>{marker}</body></html></xsl:template>'
        "</xsl:stylesheet>\n",
        encoding="utf-8",
    )
    inp = tmp_path / "in"
    inp.mkdir()
    out = tmp_path / "out"
    return Secret(tmp_path, marker, outside, inp, out)


@pytest.fixture
def opened(secret):
    """Python-level opens of anything under ``outside/`` while the test runs.

    (libxml2 and Saxon read files natively, unseen by audit hooks: for them the marker checks
    are the proof.  WeasyPrint and our own code open files through Python.)
    """
    _OPENED.clear()
    _WATCHED[:] = [str(secret.outside), str(secret.outside.resolve())]
    yield _OPENED
    _WATCHED.clear()


@pytest.fixture(scope="session")
def _canary_process(tmp_path_factory):
    c = Canary(tmp_path_factory.mktemp("canary") / "hits")
    yield c
    c.close()


class _CanaryView:
    """The session's listener, counting only this test's connections."""

    def __init__(self, c: Canary) -> None:
        self.port = c.port
        self._c = c
        self._base = c.hits

    @property
    def hits(self) -> int:
        return self._c.hits - self._base


@pytest.fixture
def canary(_canary_process):
    return _CanaryView(_canary_process)


# --------------------------------------------------------------------------- background cases

# A few cases convert a 1 MB page in a child process (the aligned pages of test_hostile_align,
# 10-15 s of CPU together; the pathological pages of test_hostile_raw): their module names them
# in ``BACKGROUND`` (case name -> a function that writes the input into a folder and starts the
# child, a :class:`Background`). Their children start with the first case of this folder and run beside
# the other cases; the cases themselves run after the folder's other cases and check each
# child's outcome.


HERE = Path(__file__).resolve().parent


def _starter(item):
    return getattr(getattr(item, "module", None), "BACKGROUND", {}).get(item.name)


def pytest_collection_modifyitems(session, config, items) -> None:
    late = [it for it in items if _starter(it) is not None]
    if not late:
        return
    rest = [it for it in items if _starter(it) is None]
    # after the last other case of this folder (in a run of the whole suite too)
    ours = [k for k, it in enumerate(rest) if Path(str(it.path)).resolve().is_relative_to(HERE)]
    at = ours[-1] + 1 if ours else len(rest)
    items[:] = rest[:at] + late + rest[at:]


@pytest.fixture(scope="session", autouse=True)
def background(request, tmp_path_factory):
    """Case node id -> its :class:`Background` child, for every selected background case."""
    jobs: dict[str, Background] = {}
    for item in request.session.items:
        start = _starter(item)
        if start is not None:
            jobs[item.nodeid] = start(tmp_path_factory.mktemp("background"))
    yield jobs
    for job in jobs.values():
        job.stop()


@pytest.fixture
def background_run(request, background, recorder) -> Run:
    """The outcome of this case's background child (waited for, recorded)."""
    r = background[request.node.nodeid].result()
    recorder.add(r)
    return r


# --------------------------------------------------------------------------- summary table


_ROWS: list[tuple[str, str, int, str, float]] = []


def pytest_runtest_logreport(report) -> None:
    if report.when != "call" or "hostile" not in report.nodeid:
        return
    case = report.nodeid.split("::", 1)[-1]
    for key, value in report.user_properties:
        if key == "hostile":
            entry, code, msg, secs = value
            _ROWS.append((case, entry, code, msg, secs))


def pytest_terminal_summary(terminalreporter) -> None:
    if not _ROWS:
        return
    tr = terminalreporter
    tr.section("hostile inputs: outcome and time of every CLI run")
    width = min(90, max(len(r[0]) for r in _ROWS))
    tr.write_line(f"{'case':<{width}}  {'entry':<13} {'exit':>4} {'secs':>6}  message")
    for case, entry, code, msg, secs in _ROWS:
        tr.write_line(f"{case[:width]:<{width}}  {entry:<13} {code:>4} {secs:>6.3f}  {msg}")
    longest = max(_ROWS, key=lambda r: r[4])
    tr.write_line(
        f"longest: {longest[4]:.2f} s  ({longest[0]}, {longest[1]}); "
        f"{len(_ROWS)} runs, total {sum(r[4] for r in _ROWS):.1f} s"
    )
