"""Issue 12, items 3 and 7: ``-o`` never replaces a device, a FIFO or a symlink's target."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tei.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = DATA / "validate" / "valid" / "minimal.xml"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


@ROOT_ONLY
def test_output_to_a_character_device_writes_into_it(tmp_path: Path) -> None:
    dev = tmp_path / "null"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
    main(["validate", str(VALID), "--format", "json", "-o", str(dev)])
    assert stat.S_ISCHR(dev.lstat().st_mode), "the device node was replaced by a regular file"
    assert [p.name for p in tmp_path.iterdir()] == ["null"], "a temporary file was left behind"


def test_output_to_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["validate", str(VALID), "--format", "json", "-o", str(fifo)]) in (0, 1)
    reader.join(timeout=120)
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"
    assert received and b'"valid"' in received[0].replace(b" ", b"")


def test_output_over_a_socket_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    import socket

    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock_path))
        code = main(["validate", str(VALID), "--format", "json", "-o", str(sock_path)])
    err = capsys.readouterr().err
    assert code != 0 and stat.S_ISSOCK(sock_path.lstat().st_mode)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_output_over_a_symlink_does_not_take_the_target_s_set_id_mode(tmp_path: Path) -> None:
    target = tmp_path / "setuid-target"
    target.write_bytes(b"keep me")
    target.chmod(0o4755)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    assert main(["validate", str(VALID), "--format", "json", "-o", str(link)]) in (0, 1)
    assert target.read_bytes() == b"keep me", "the symlink's target was written"
    st = link.lstat()
    assert stat.S_ISREG(st.st_mode) and not st.st_mode & (stat.S_ISUID | stat.S_ISGID)


def _has_locale(name: str) -> bool:
    import subprocess

    out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    return name.lower().replace("-", "") in out.lower().replace("-", "")


@pytest.mark.skipif(not _has_locale("tr_TR.utf8"), reason="locale tr_TR.UTF-8 is not installed")
def test_edition_bytes_do_not_depend_on_the_locale(tmp_path: Path) -> None:
    """Issue 12 item 9: under tr_TR, Saxon lower-cased 'I' to a dotless 'ı' in index.html."""
    import subprocess
    import sys

    outs, procs = [], []
    try:
        # the two builds run side by side: each is a process of its own, with its own locale,
        # zone and hash seed, writing its own folder (the caches they share are written
        # atomically)
        for i, loc in enumerate(["C.UTF-8", "tr_TR.UTF-8"]):
            out = tmp_path / f"ed{i}"
            env = {**os.environ, "LC_ALL": loc, "LANG": loc, "TZ": ["UTC", "Asia/Tokyo"][i]}
            env["PYTHONHASHSEED"] = str(i + 1)
            procs.append(
                subprocess.Popen(
                    # one process (--jobs 1): the locale is what differs, and the pool's
                    # workers only inherit it (a spawned interpreter each, compiling the
                    # stylesheets again)
                    [sys.executable, "-m", "tei", "build", "-o", str(out), "--jobs", "1"],
                    env=env,
                    cwd=tmp_path,  # the installed package, not a checkout's tei/ on sys.path
                )
            )
            outs.append(out)
        for proc in procs:
            assert proc.wait(timeout=600) == 0, proc.args
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    differ = [str(f) for f in files if (outs[0] / f).read_bytes() != (outs[1] / f).read_bytes()]
    assert differ == []


def _read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []
    t = threading.Thread(target=lambda: received.append(path.read_bytes()), daemon=True)
    t.start()
    return t, received


RAW_PAGE = Path(__file__).resolve().parents[2] / "examples" / "000_33e3b91539c02580.txt"


@pytest.mark.parametrize("verb", ["align", "convert"])
def test_align_and_convert_write_into_a_fifo(tmp_path: Path, verb: str) -> None:
    """Issue 12 item 3 for the other commands with -o (``tei align x.xml -o ./dev``)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, received = _read_fifo(fifo)
    src = Path(__file__).parent / "corpus" / "xml" / "base.xml" if verb == "align" else RAW_PAGE
    code = main([verb, str(src), "-o", str(fifo)] + (["--no-align"] if verb == "convert" else []))
    if reader.is_alive():  # the command refused before opening: unblock the reader
        # (non-blocking: a reader that has just read everything and is about to return is no
        # partner any more, and a blocking open would then wait for ever)
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: no reader left
            pass
        else:
            os.close(fd)
    reader.join(timeout=120)
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"
    assert code == 0 and received and b"<TEI" in received[0]


@pytest.mark.parametrize("verb", [["build"], ["render", "html"], ["render", "pdf"]])
def test_an_output_folder_that_is_a_fifo_is_refused(tmp_path: Path, capsys, verb) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    src = [str(RAW_PAGE.parent)] if verb == ["build"] else [str(VALID)]
    code = main([*verb, *src, "-o", str(fifo)])
    err = capsys.readouterr().err
    assert code in (1, 2) and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert "Traceback" not in err and all(
        ln.startswith("tei: ") or "built" in ln for ln in err.strip().splitlines()
    ), err
