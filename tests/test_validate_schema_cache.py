"""The compiled-schema entries of the user cache: private, marked when used, and removed once
unused for ``UNUSED_DAYS`` days (the cache does not grow with every schema path ever seen)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from tei.validate.cache import UNUSED_DAYS, prune, read_entry, write_entry

DAY = 86_400 * 10**9

GRAMMAR = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc"><element name="p"><text/></element></element></start>
</grammar>"""


def _age(path: Path, atime_days: float, mtime_days: float) -> None:
    now = time.time_ns()
    os.utime(path, ns=(now - int(atime_days * DAY), now - int(mtime_days * DAY)))


def test_prune_removes_only_old_regular_files_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "rng-model"
    folder.mkdir()
    for name, a, m in [
        ("old.marshal", UNUSED_DAYS + 5, UNUSED_DAYS + 5),
        (".tmp-crashed", UNUSED_DAYS + 1, UNUSED_DAYS + 1),
        ("read-lately.marshal", 2, UNUSED_DAYS + 40),
        ("written-lately.marshal", UNUSED_DAYS + 40, 1),
        ("new.marshal", 0, 0),
    ]:
        (folder / name).write_bytes(b"x")
        _age(folder / name, a, m)
    below = folder / "sub"
    below.mkdir()
    (below / "deep.marshal").write_bytes(b"x")
    _age(below / "deep.marshal", 400, 400)
    outside = tmp_path / "outside.marshal"
    outside.write_bytes(b"x")
    _age(outside, 400, 400)
    (folder / "link.marshal").symlink_to(outside)
    assert prune(folder) == [".tmp-crashed", "old.marshal"]
    left = sorted(p.name for p in folder.iterdir())
    assert left == [
        "link.marshal",
        "new.marshal",
        "read-lately.marshal",
        "sub",
        "written-lately.marshal",
    ]
    assert outside.exists() and (below / "deep.marshal").exists()


def test_an_entry_read_is_kept_and_entries_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "rng-derivative"
    used = folder / "used.marshal"
    write_entry(used, b"state")
    assert stat.S_IMODE(used.stat().st_mode) == 0o600
    _age(used, UNUSED_DAYS + 10, UNUSED_DAYS + 10)
    mtime = used.stat().st_mtime_ns
    assert read_entry(used) == b"state"
    assert used.stat().st_mtime_ns == mtime  # reading marks the access only
    write_entry(folder / "other.marshal", b"other")  # a write prunes the folder
    assert used.exists()
    _age(used, UNUSED_DAYS + 1, UNUSED_DAYS + 1)
    write_entry(folder / "other.marshal", b"other again")
    assert not used.exists()


def test_a_run_that_compiles_a_schema_removes_stale_entries(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stale = cache / "rng-derivative" / "0123abcd.marshal"  # e.g. an older version's entry
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    _age(stale, UNUSED_DAYS + 30, UNUSED_DAYS + 30)
    (tmp_path / "s.rng").write_text(GRAMMAR)
    (tmp_path / "d.xml").write_text("<doc><p>x</p></doc>")
    env = dict(os.environ, TEI_CACHE_DIR=str(cache))
    cmd = [sys.executable, "-m", "tei", "validate", "--no-progress", "--schema", "s.rng", "d.xml"]
    proc = subprocess.run(cmd, capture_output=True, cwd=tmp_path, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists()
    assert len(list((cache / "rng-derivative").glob("*.marshal"))) == 1
