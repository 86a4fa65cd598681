"""Properties of batch runs and of output files under hostile conditions.

- A batch keeps going past a bad file, reports it in one line and exits non-zero at the end
  (convert, build, validate, render).
- A file that disappears mid-run is one of those bad files.
- A write that fails half-way (disk full) leaves neither a partial target nor a temporary file,
  and an existing target (``tei align`` rewriting FILE in place) is left untouched.
- Outputs get ordinary permissions (not mkstemp's 0600) and keep those of a file they replace.
- Two builds of the examples give byte-identical trees.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest
from _hostile import EXAMPLES, ONE_PROCESS, RAW, XML, Secret, need, temp_leftovers

import tei.atomic
import tei.pipeline
import tei.validate.runner
import tei.xmlsafe
from tei.cli import main

GOOD_RAW = "short-page.txt"
GOOD_XML = "base.xml"


# --------------------------------------------------------------------------- keep going


def _three_raw(secret: Secret, bad: str) -> list[Path]:
    paths = []
    for i, name in enumerate((GOOD_RAW, bad, GOOD_RAW)):
        target = secret.inp / f"{i}-{name}"
        shutil.copyfile(RAW / name, target)
        paths.append(target)
    return paths


def _three_xml(secret: Secret, bad: str) -> list[Path]:
    paths = []
    for i, name in enumerate((GOOD_XML, bad, GOOD_XML)):
        target = secret.inp / f"{i}-{name}"
        shutil.copyfile(XML / name, target)
        paths.append(target)
    return paths


def _written_by(entry: str) -> list[str]:
    """The two good pages' TEI; ``convert -o DIR`` also writes DIR/schema (their xml-model)."""
    pages = [f"0-{GOOD_RAW[:-4]}.xml", f"2-{GOOD_RAW[:-4]}.xml"]
    return pages + ["schema"] if entry == "convert" else pages


@pytest.mark.parametrize("bad", ["binary.txt", "empty.txt", "whitespace-only.txt"])
@pytest.mark.parametrize("entry", ["convert", "build"])
def test_raw_batch_goes_on_past_a_bad_page(cli, secret: Secret, entry, bad) -> None:
    paths = _three_raw(secret, bad)
    if entry == "convert":
        r = cli("convert", *paths, "-o", secret.out, "--no-align")
        tei_dir = secret.out
    else:
        r = cli("build", secret.inp, "-o", secret.out, "--no-align", "--no-pdf", *ONE_PROCESS)
        tei_dir = secret.out / "tei"
    r.assert_clean()
    assert r.code == 1
    errors = r.error_lines()
    assert len(errors) == 1 and paths[1].name in errors[0], r.err
    assert sorted(p.name for p in tei_dir.iterdir()) == _written_by(entry)
    # the error comes last or is followed only by the summary: it is not lost in the noise
    if entry == "build":
        assert any(ln.startswith("built 2/3 pages") for ln in r.lines())


@pytest.mark.parametrize("bad", ["xxe-file.xml", "truncated.xml", "binary.xml"])
def test_validate_batch_goes_on_past_a_bad_file(cli, secret: Secret, bad) -> None:
    paths = _three_xml(secret, bad)
    r = cli("validate", *paths, "--no-progress")
    r.assert_clean()
    assert r.code == 1
    errors = [ln for ln in r.lines("out") if ": error:" in ln]
    assert len(errors) == 1 and paths[1].name in errors[0]
    assert "3 files checked, 1 invalid" in r.out
    secret.assert_not_leaked(r)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_render_batch_goes_on_past_a_bad_file(cli, secret: Secret, fmt) -> None:
    need(f"render {fmt}")
    paths = _three_xml(secret, "xxe-file.xml")
    r = cli("render", fmt, *paths, "-o", secret.out)
    r.assert_clean()
    assert r.code == 1
    errors = r.error_lines()
    assert len(errors) == 1 and paths[1].name in errors[0]
    assert (secret.out / f"0-base.{fmt}").is_file() and (secret.out / f"2-base.{fmt}").is_file()
    assert not (secret.out / f"1-xxe-file.{fmt}").exists()
    secret.assert_not_leaked(r)


# --------------------------------------------------------------------------- vanishing files


def _vanish_on_first_read(monkeypatch, victim: Path, *modules) -> None:
    """The first read of any input deletes ``victim`` (the second of three files)."""
    for mod in modules:
        real = mod.read_input

        def read_input(path, *args, _real=real, **kwargs):
            if victim.exists() and Path(path) != victim:
                victim.unlink()
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(mod, "read_input", read_input)


@pytest.mark.parametrize("entry", ["convert", "build"])
def test_raw_page_disappears_mid_run(cli, secret: Secret, monkeypatch, entry) -> None:
    paths = _three_raw(secret, GOOD_RAW)
    _vanish_on_first_read(monkeypatch, paths[1], tei.pipeline)
    if entry == "convert":
        r = cli("convert", *paths, "-o", secret.out, "--no-align")
        tei_dir = secret.out
    else:  # the folder was listed before the page vanished
        r = cli("build", secret.inp, "-o", secret.out, "--no-align", "--no-pdf", *ONE_PROCESS)
        tei_dir = secret.out / "tei"
    r.assert_clean()
    assert r.code == 2  # an input that cannot be read: 2 in every command
    errors = r.error_lines()
    assert len(errors) == 1 and paths[1].name in errors[0] and "no such file" in errors[0]
    assert sorted(p.name for p in tei_dir.iterdir()) == _written_by(entry)


def test_xml_file_disappears_mid_validate(cli, secret: Secret, monkeypatch) -> None:
    paths = _three_xml(secret, GOOD_XML)
    _vanish_on_first_read(monkeypatch, paths[1], tei.validate.runner, tei.xmlsafe)
    r = cli("validate", *paths, "--no-progress", "--jobs", "1")
    r.assert_clean()
    assert r.code == 2  # unreadable input
    errors = [ln for ln in r.lines("out") if ": error:" in ln]
    assert len(errors) == 1 and paths[1].name in errors[0] and "no such file" in errors[0]
    assert "2 files checked" in r.out and "1 file not validated: unreadable" in r.out


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_xml_file_disappears_mid_render(cli, secret: Secret, monkeypatch, fmt) -> None:
    need(f"render {fmt}")
    paths = _three_xml(secret, GOOD_XML)
    _vanish_on_first_read(monkeypatch, paths[1], tei.xmlsafe)
    r = cli("render", fmt, *paths, "-o", secret.out)
    r.assert_clean()
    assert r.code == 2  # an input that cannot be read: 2 in every command
    errors = r.error_lines()
    assert len(errors) == 1 and paths[1].name in errors[0] and "no such file" in errors[0]
    assert (secret.out / f"0-base.{fmt}").is_file() and (secret.out / f"2-base.{fmt}").is_file()


# --------------------------------------------------------------------------- disk full


class _HalfWriter:
    """Writes half of the data, then fails like a full disk."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()
        return False


class _DiskFullOs:
    """``os`` as seen by tei.atomic, with files opened for writing that fill the disk."""

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, mode="r", *args, **kwargs):
        fh = os.fdopen(fd, mode, *args, **kwargs)
        return _HalfWriter(fh) if "w" in mode else fh


@pytest.fixture
def disk_full(monkeypatch):
    monkeypatch.setattr(tei.atomic, "os", _DiskFullOs())


def _assert_write_failed(
    r, secret: Secret, target: Path, before: bytes | None, *, outputs: int = 1
) -> None:
    r.assert_clean()
    assert r.code in (1, 2), r.text
    errors = r.error_lines()
    # one line per output that could not be written (an HTML edition also writes its index)
    assert 1 <= len(errors) <= outputs, r.err
    assert all("No space left on device" in e for e in errors), r.err
    assert target.name in errors[0]
    if before is None:
        assert not target.exists(), "a half-written output was left behind"
    else:
        assert target.read_bytes() == before, "the previous output was damaged"
    assert temp_leftovers(secret.root) == []


@pytest.mark.parametrize("existing", [False, True])
def test_convert_disk_full(cli, secret: Secret, disk_full, existing) -> None:
    (src,) = secret.put(GOOD_RAW, src=RAW)
    target = secret.out / "page.xml"
    before = None
    if existing:
        secret.out.mkdir()
        target.write_bytes(b"<previous/>\n")
        before = target.read_bytes()
    r = cli("convert", src, "-o", target, "--no-align")
    _assert_write_failed(r, secret, target, before)


def test_build_disk_full(cli, secret: Secret, disk_full) -> None:
    secret.put(GOOD_RAW, src=RAW)
    r = cli("build", secret.inp, "-o", secret.out, "--no-align", "--no-pdf")
    _assert_write_failed(r, secret, secret.out / "tei" / "short-page.xml", None)


def test_align_in_place_disk_full_keeps_the_input(cli, secret: Secret, disk_full) -> None:
    (src,) = secret.put(GOOD_XML)
    before = src.read_bytes()
    r = cli("align", src)
    _assert_write_failed(r, secret, src, before)


def test_validate_report_disk_full(cli, secret: Secret, disk_full) -> None:
    (src,) = secret.put(GOOD_XML)
    report = secret.out / "report.json"
    r = cli("validate", src, "--format", "json", "-o", report, "--no-progress")
    _assert_write_failed(r, secret, report, None)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_render_disk_full(cli, secret: Secret, disk_full, fmt) -> None:
    need(f"render {fmt}")
    (src,) = secret.put(GOOD_XML)
    r = cli("render", fmt, src, "-o", secret.out)
    _assert_write_failed(r, secret, secret.out / f"base.{fmt}", None, outputs=2)


def test_interrupted_write_leaves_nothing(cli, secret: Secret, monkeypatch) -> None:
    """Ctrl-C in the middle of writing: exit 130, no partial file, no temporary file."""

    class _Interrupted(_HalfWriter):
        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            raise KeyboardInterrupt

    class _Os(_DiskFullOs):
        def fdopen(self, fd, mode="r", *args, **kwargs):
            fh = os.fdopen(fd, mode, *args, **kwargs)
            return _Interrupted(fh) if "w" in mode else fh

    monkeypatch.setattr(tei.atomic, "os", _Os())
    (src,) = secret.put(GOOD_RAW, src=RAW)
    r = cli("convert", src, "-o", secret.out / "page.xml", "--no-align")
    r.assert_clean()
    assert r.code == 130 and r.lines() == ["tei: interrupted"]
    assert not (secret.out / "page.xml").exists()
    assert temp_leftovers(secret.root) == []


def test_unwritable_output_folder(cli, secret: Secret) -> None:
    """-o names a file where a folder is needed: one line, no traceback."""
    (src,) = secret.put(GOOD_RAW, src=RAW)
    blocker = secret.root / "blocker"
    blocker.write_text("not a folder\n")
    r = cli("convert", src, "-o", blocker / "page.xml", "--no-align")
    r.assert_clean()
    assert r.code == 1 and len(r.error_lines()) == 1 and "cannot write" in r.err
    assert "a file is in the way" in r.err
    r = cli("build", secret.inp, "-o", blocker, "--no-align", "--no-pdf")
    r.assert_clean()
    assert r.code == 1 and "cannot write" in r.err
    assert blocker.read_text() == "not a folder\n"


# --------------------------------------------------------------------------- permissions


def test_outputs_get_ordinary_permissions(cli, secret: Secret) -> None:
    (src,) = secret.put(GOOD_RAW, src=RAW)
    old = os.umask(0o022)
    try:
        r = cli("convert", src, "-o", secret.out / "page.xml", "--no-align")
    finally:
        os.umask(old)
    assert r.code == 0
    assert stat.S_IMODE((secret.out / "page.xml").stat().st_mode) == 0o644


def test_align_in_place_keeps_the_file_mode(cli, secret: Secret) -> None:
    (src,) = secret.put(GOOD_XML)
    src.chmod(0o640)
    r = cli("align", src)
    assert r.code == 0, r.err
    assert stat.S_IMODE(src.stat().st_mode) == 0o640
    assert b"standOff" in src.read_bytes()


# --------------------------------------------------------------------------- determinism


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def examples_edition(tmp_path_factory) -> Path:
    """The examples built once (with the worker pool, as by default), for the cases that only
    read it."""
    out = tmp_path_factory.mktemp("examples") / "edition"
    assert main(["build", str(EXAMPLES), "-o", str(out), "--no-pdf"]) == 0
    return out


def test_build_twice_gives_byte_identical_trees(cli, tmp_path, examples_edition) -> None:
    """A second build, in one process this time, gives the same bytes as the pool's."""
    a, b = examples_edition, tmp_path / "b"
    assert cli("build", EXAMPLES, "-o", b, "--no-pdf", *ONE_PROCESS).code == 0
    ta, tb = _tree(a), _tree(b)
    assert len([k for k in ta if k.endswith(".xml")]) == len(list(EXAMPLES.glob("*.txt")))
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []


def test_render_html_twice_gives_byte_identical_trees(cli, tmp_path, examples_edition) -> None:
    need("render html")
    files = sorted((examples_edition / "tei").glob("*.xml"))
    assert len(files) == len(list(EXAMPLES.glob("*.txt")))
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("render", "html", *files, "-o", a).code == 0
    assert cli("render", "html", *files, "-o", b).code == 0
    ta, tb = _tree(a), _tree(b)
    assert ta.keys() == tb.keys() and [k for k in ta if ta[k] != tb[k]] == []
