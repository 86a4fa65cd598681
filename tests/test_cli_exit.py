"""The console script's quick exit (:func:`tei.cli.run`): exit hooks run, output is whole,
the exit status is kept, and a reader that goes away gets no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import types

from tei.cli import _nothing_left

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc"><oneOrMore><element name="p"><text/></element></oneOrMore>
  </element></start>
</grammar>"""


def _batch(tmp_path, n: int) -> tuple[list[str], dict[str, str]]:
    (tmp_path / "s.rng").write_text(GRAMMAR)
    files = []
    for i in range(n):
        f = tmp_path / f"d{i:03}.xml"
        body = "<p>text</p>" * 50 if i % 3 else "<q>not allowed</q>"
        f.write_text(f"<doc>{body}</doc>")
        files.append(str(f))
    env = dict(os.environ, TEI_CACHE_DIR=str(tmp_path / "cache"))
    return ["validate", "--no-progress", "--schema", str(tmp_path / "s.rng"), *files], env


def test_output_is_whole_and_the_schema_cache_is_saved(tmp_path):
    args, env = _batch(tmp_path, 120)
    proc = subprocess.run(
        [sys.executable, "-m", "tei", *args, "--format", "json"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert len(report["files"]) == 120
    assert sum(not f["valid"] for f in report["files"]) == 40
    # the derivative engine saves its compiled schema from an exit hook
    saved = list((tmp_path / "cache" / "rng-derivative").glob("*.marshal"))
    assert len(saved) == 1
    assert proc.stderr == b""


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path):
    args, env = _batch(tmp_path, 300)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tei", *args, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1
    assert "Traceback" not in err and "Exception ignored" not in err, err


def test_the_normal_exit_is_kept_while_anything_still_runs():
    idle = {"threading": types.SimpleNamespace(active_count=lambda: 1)}
    assert _nothing_left(idle)
    assert not _nothing_left({"threading": types.SimpleNamespace(active_count=lambda: 2)})
    busy_mp = types.SimpleNamespace(active_children=lambda: [object()])
    assert not _nothing_left({**idle, "multiprocessing": busy_mp})
    assert not _nothing_left({**idle, "saxonche": object()})
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not _nothing_left(sys.modules)
    finally:
        stop.set()
        t.join()
