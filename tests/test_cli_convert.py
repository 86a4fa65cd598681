"""`tei convert` and `tei build`: outputs, exit codes and one-line errors for bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tei.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = next(EXAMPLES.glob("003_*.txt"))
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_convert_one_file_to_file(tmp_path, capsys) -> None:
    out = tmp_path / "doc.xml"
    code, _, err = run(capsys, "convert", str(SEED), "-o", str(out), "--no-align")
    assert code == 0, err
    assert etree.parse(str(out)).getroot().tag == "{http://www.tei-c.org/ns/1.0}TEI"


def test_convert_to_stdout(capsys) -> None:
    code, out, _ = run(capsys, "convert", str(SEED), "--no-align")
    assert code == 0 and out.startswith("<?xml")


def test_convert_many_to_directory_links_listing_and_document(tmp_path, capsys) -> None:
    pages = sorted(EXAMPLES.glob("*.txt"))
    code, _, err = run(capsys, "convert", *map(str, pages), "-o", str(tmp_path), "--no-align")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.glob("*.xml")) == [p.stem + ".xml" for p in pages]
    listing = etree.parse(str(tmp_path / "001_e06c301d9dfa441e.xml"))
    target = listing.xpath(
        "//t:bibl[t:title='Report from L. Beria and A. Vyshinsky to Cde. I.V. Stalin']/@corresp",
        namespaces=NS,
    )
    assert target == ["000_33e3b91539c02580.xml"]
    doc = etree.parse(str(tmp_path / "000_33e3b91539c02580.xml"))
    assert doc.xpath("//t:notesStmt/t:relatedItem/@target", namespaces=NS) == [
        "001_e06c301d9dfa441e.xml#item10"
    ]


def test_converted_folder_names_its_schema_and_validates_with_it(tmp_path, capsys) -> None:
    """`tei convert -o DIR` copies the schema and rules to DIR/schema and names them in each
    file's <?xml-model?> (an editor validates on opening); `tei validate` takes them from it."""
    pages = sorted(EXAMPLES.glob("*.txt"))[:2]
    code, _, err = run(capsys, "convert", *map(str, pages), "-o", str(tmp_path / "out"))
    assert code == 0, err
    files = sorted((tmp_path / "out").glob("*.xml"))
    assert len(files) == 2
    for f in files:
        head = f.read_bytes()[:600].decode()
        assert head.startswith("<?xml ")
        assert '<?xml-model href="schema/archive-edition.rng"' in head
        assert '<?xml-model href="schema/archive-edition.sch"' in head
        assert etree.parse(str(f)).getroot().tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert (tmp_path / "out" / "schema" / "sch" / "facsimile.sch").is_file()
    code, out, err = run(capsys, "validate", "--format", "json", *map(str, files))
    assert code == 0, (out, err)
    import json

    reports = json.loads(out)
    used = {s for fr in reports["files"] for s in fr["schemas"]}
    assert any(s.endswith("out/schema/archive-edition.rng") for s in used), used


def test_build_bundled_examples(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "-o", "ed", "--no-align")
    assert code == 0, err
    assert len(list((tmp_path / "ed" / "tei").glob("*.xml"))) == 5
    assert "built 5/5 pages" in err


BAD = {
    "empty.txt": (b"", "file is empty"),
    "blank.txt": (b"  \n\n \r\n", "file is empty"),
    "binary.txt": (bytes(range(256)) * 20, "binary"),
    "utf16-noise.txt": (b"\xff\xfe\x00\xd8", "UTF-16"),
}


def test_text_without_any_header_is_converted_not_refused(tmp_path, capsys, tei_all) -> None:
    src = tmp_path / "plain.txt"
    src.write_bytes(b"Hello.\n\nJust text, no header and no listing.\n")
    code, _, err = run(capsys, "convert", str(src), "-o", str(tmp_path / "out.xml"))
    assert code == 0, err
    assert "warning" in err and "guessed" in err and "Traceback" not in err
    tree = etree.parse(str(tmp_path / "out.xml"))
    assert tei_all.validate(tree), tei_all.error_log.last_error
    body = "".join(tree.find(".//{http://www.tei-c.org/ns/1.0}body").itertext())
    assert "Just text, no header and no listing." in body and "Hello." in body


def test_header_only_page_is_converted_with_a_gap(tmp_path, capsys, tei_all) -> None:
    src = tmp_path / "header-only.txt"
    src.write_bytes(b'Citation:\n\n"X", May 1, 1940, Wilson Center Digital Archive.\n')
    code, _, err = run(capsys, "convert", str(src), "-o", str(tmp_path / "out.xml"))
    assert code == 0 and "no document text" in err and "warning" in err, err
    tree = etree.parse(str(tmp_path / "out.xml"))
    assert tei_all.validate(tree), tei_all.error_log.last_error
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert tree.xpath("string(//t:titleStmt/t:title)", namespaces=ns) == "X"
    assert tree.xpath("//t:body/t:div[@type='original']//t:gap", namespaces=ns)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_gives_one_line_error_and_exit_1(tmp_path, capsys, name) -> None:
    data, reason = BAD[name]
    src = tmp_path / name
    src.write_bytes(data)
    code, _, err = run(capsys, "convert", str(src), "-o", str(tmp_path / "out.xml"))
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and name in lines[0] and reason in lines[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "out.xml").exists()


def test_missing_file_and_directory(tmp_path, capsys) -> None:
    code, _, err = run(capsys, "convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o.xml"))
    assert code == 2 and "no such file" in err  # unreadable input: 2, as in every command
    code, _, err = run(capsys, "convert", str(tmp_path), "-o", str(tmp_path / "o.xml"))
    assert code == 2 and "is a directory" in err


def test_batch_goes_on_past_a_bad_file(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, _, err = run(
        capsys, "convert", str(bad), str(SEED), "-o", str(tmp_path / "out"), "--no-align"
    )
    assert code == 1 and "bad.txt" in err
    assert (tmp_path / "out" / f"{SEED.stem}.xml").exists()


def test_cp1251_page_is_converted_with_a_warning(tmp_path, capsys) -> None:
    src = tmp_path / "cp.txt"
    src.write_bytes(
        next(EXAMPLES.glob("004_*.txt")).read_text(encoding="utf-8").encode("cp1251", "replace")
    )
    code, _, err = run(capsys, "convert", str(src), "-o", str(tmp_path / "cp.xml"), "--no-align")
    assert code == 0 and "CP1251" in err
    assert "Синьцзяне" in (tmp_path / "cp.xml").read_text(encoding="utf-8")


def test_crlf_and_cr_line_ends_give_the_same_tei(tmp_path, capsys) -> None:
    text = SEED.read_bytes()
    outs = []
    for name, data in (
        ("lf", text),
        ("crlf", text.replace(b"\n", b"\r\n")),
        ("cr", text.replace(b"\n", b"\r")),
    ):
        src = tmp_path / f"{SEED.stem}.txt"
        src.write_bytes(data)
        assert (
            run(capsys, "convert", str(src), "-o", str(tmp_path / f"{name}.xml"), "--no-align")[0]
            == 0
        )
        outs.append((tmp_path / f"{name}.xml").read_bytes())
    assert outs[0] == outs[1] == outs[2]


def test_usage_error_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["convert"])
    assert exc.value.code == 2


def test_console_script_runs_outside_the_repository(tmp_path) -> None:
    exe = shutil.which("tei")
    if exe is None:
        pytest.skip("tei console script not on PATH")
    src = tmp_path / "page.txt"
    src.write_bytes(SEED.read_bytes())
    proc = subprocess.run(
        [exe, "convert", str(src), "-o", "out.xml", "--no-align"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.xml").stat().st_size > 1000
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tei.resources as r; print(sorted(p.name for p in r.examples_dir().glob('*.txt')))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "000_33e3b91539c02580.txt" in proc.stdout
