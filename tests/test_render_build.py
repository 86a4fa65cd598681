"""`tei build` as one command: PDFs by default, links, schema references, parallel workers,
duplicates, progress, and the count of elements the stylesheets do not know."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from _shared import SHARED
from lxml import etree

from tei.cli import main
from tei.render import engine
from tei.resources import examples_dir
from tei.xmlsafe import parse_file

DATA = Path(__file__).resolve().parent / "data" / "render"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_build_makes_pdfs_links_them_and_warns_of_nothing(tmp_path, capsys):
    out = tmp_path / "ed"
    code, err = run(capsys, "build", "-o", str(out), "--jobs", "2")
    assert code == 0, err
    assert "warning:" not in err and "0 errors, 0 warnings" in err, err  # none to act on
    assert "unhandled elements" not in err, err  # the stylesheets know all the writer emits
    pdfs = sorted(p.name for p in (out / "pdf").glob("*.pdf"))
    assert len(pdfs) == 5, pdfs
    for pdf in pdfs:
        page = lxml.html.parse(str(out / pdf.replace(".pdf", ".html"))).getroot()
        assert page.xpath("//a[@class='pdf-link']/@href") == [f"pdf/{pdf}"]
        [tei] = page.xpath("//a[@class='source-link']/@href")
        assert (out / tei).is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="ui-filter"' in index
    # every row of an edition page links the page, its TEI source and its PDF
    rows = lxml.html.parse(str(out / "index.html")).getroot().xpath("//tr[@class='converted']")
    assert len(rows) == 3, len(rows)  # the three documents (the listings name them)
    for row in rows:
        [page] = row.xpath(".//td[@class='title']/a[not(@class)]/@href")
        [tei] = row.xpath(".//a[@class='source-link']/@href")
        [pdf] = row.xpath(".//a[@class='pdf-link']/@href")
        assert (tei, pdf) == (f"tei/{page[:-5]}.xml", f"pdf/{page[:-5]}.pdf")
        assert (out / tei).is_file() and (out / pdf).is_file()
    report = (out / "validation.txt").read_text(encoding="utf-8")
    assert "0 errors, 0 warnings" in report and "info:" in report  # folios 336-338: information


def test_built_tei_names_its_schema_and_validates_with_it(tmp_path, capsys):
    out = tmp_path / "ed"
    assert run(capsys, "build", "-o", str(out), "--no-pdf", "--no-html")[0] == 0
    tei = sorted((out / "tei").glob("*.xml"))
    head = tei[0].read_bytes()[:400].decode()
    assert '<?xml-model href="../schema/archive-edition.rng"' in head
    assert '<?xml-model href="../schema/archive-edition.sch"' in head
    assert (out / "schema" / "archive-edition.rng").is_file()
    assert (out / "schema" / "sch" / "facsimile.sch").is_file()
    # `tei validate` without --schema takes the schema from the PI (a relative local file)
    code, err = run(capsys, "validate", "--format", "json", *map(str, tei))
    assert code == 0, err


def test_no_pdf_duplicates_and_jobs_give_the_same_pages(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    for p in sorted(examples_dir().glob("*.txt"))[:3]:
        shutil.copy(p, src / p.name)
    first = sorted(src.iterdir())[1]
    shutil.copy(first, src / "zz-copy.txt")
    pages = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"ed{jobs}"
        code, err = run(capsys, "build", str(src), "-o", str(out), "--no-pdf", "-j", jobs)
        assert code == 0, err
        assert f"zz-copy.txt: warning: same content as {first}; the edition has it twice" in err
        assert not (out / "pdf").exists()
        assert "pdf-link" not in (out / f"{first.stem}.html").read_text(encoding="utf-8")
        pages[jobs] = {p.name: p.read_bytes() for p in out.glob("*.html")}
    assert pages["1"] == pages["2"] and len(pages["1"]) == 5


def test_progress_on_request_and_quiet_in_ci(tmp_path):
    env = {**os.environ, "CI": "true"}

    def build(out: str, *extra: str) -> str:
        cmd = [sys.executable, "-m", "tei", "build", "-o", str(tmp_path / out), "--no-pdf"]
        proc = subprocess.run([*cmd, *extra], capture_output=True, env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return proc.stderr.decode()  # bytes: text mode would turn "\r" into "\n"

    assert "\r" not in build("a")  # CI=true and no terminal: no progress lines
    shown = build("b", "--progress")
    for stage in ("convert", "validate", "render"):
        assert f"\r{stage} " in shown, shown


def test_unhandled_elements_are_messages_and_counted(tmp_path, capsys):
    counts: Counter[str] = Counter()
    html = engine.transform("html", parse_file(DATA / "unhandled.xml"), {}, unhandled=counts)
    assert counts == Counter({"frob": 2, "zork": 1, "frobBlock": 1})
    assert "first" in html and "one more" in html  # their text is kept
    code, err = run(capsys, "render", "html", str(DATA / "unhandled.xml"), "-o", str(tmp_path))
    assert code == 0, err
    assert "unhandled elements (rendered as plain text): frob x2, frobBlock x1, zork x1" in err
    counts.clear()
    engine.transform("html", parse_file(DATA / "linked.xml"), {}, unhandled=counts)
    assert not counts  # the fixture of everything we render: nothing falls through


def test_build_summary_counts_unhandled_elements_per_name(tmp_path, capsys, monkeypatch):
    """`tei build` sums the stylesheets' messages over every document into one line."""
    from tei.render import html as render_html

    real = render_html.render_page

    def with_strangers(tree, *args, **kwargs):  # what a newer writer might emit
        body = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")
        for name in ("frob", "frob", "zork"):
            etree.SubElement(body, f"{{http://www.tei-c.org/ns/1.0}}{name}").text = name
        return real(tree, *args, **kwargs)

    monkeypatch.setattr(render_html, "render_page", with_strangers)
    src = tmp_path / "src"
    src.mkdir()
    for p in sorted(examples_dir().glob("*.txt"))[:2]:
        shutil.copy(p, src / p.name)
    code, err = run(capsys, "build", str(src), "-o", str(tmp_path / "ed"), "--no-pdf", "-j", "1")
    assert code == 0, err
    assert "unhandled elements (rendered as plain text): frob x4, zork x2" in err, err


def _png(path: Path, width: int, height: int) -> None:
    """A valid PNG of one grey colour (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_iiif_manifest_for_the_images_that_are_there(tmp_path, capsys):
    import json

    from tei.render import iiif

    src = tmp_path / "src"
    src.mkdir()
    seed = next(examples_dir().glob("000_*.txt"))
    shutil.copy(seed, src / seed.name)
    out = tmp_path / "ed"
    for folio, size in (("334", (120, 160)), ("335", (100, 150))):
        _png(out / "facs" / "121724" / f"{folio}.png", *size)
    code, err = run(
        capsys, "build", str(src), "-o", str(out), "--no-pdf", "--facs-pattern",
        "facs/{doc}/{folio}.png", "--iiif-base", "https://edition.example.org/ed",
    )  # fmt: skip
    assert code == 0, err
    m = json.loads((out / "iiif" / f"{seed.stem}.json").read_text(encoding="utf-8"))
    assert iiif.problems(m) == []
    assert m["id"] == f"https://edition.example.org/ed/iiif/{seed.stem}.json"
    canvases = m["items"]
    assert [c["label"] for c in canvases] == [{"none": ["Folio 334"]}, {"none": ["Folio 335"]}]
    assert [(c["width"], c["height"]) for c in canvases] == [(120, 160), (100, 150)]
    body = canvases[0]["items"][0]["items"][0]["body"]
    assert body["id"] == "https://edition.example.org/ed/facs/121724/334.png"
    # the viewer gets the two images; folios 336-338 have none and are listed, not linked
    page = lxml.html.parse(str(out / f"{seed.stem}.html")).getroot()
    assert page.xpath("//li[@data-full]/@id") == ["ui-facs-f334", "ui-facs-f335"]
    assert not page.xpath("//@href[contains(., '336.png')]")
    # the checker is not a rubber stamp
    broken = json.loads(json.dumps(m))
    del broken["items"][0]["width"]
    broken["items"][1]["id"] = broken["items"][0]["id"]
    broken["@context"] = "http://iiif.io/api/presentation/2/context.json"
    found = iiif.problems(broken)
    assert any("width" in p for p in found) and any("twice" in p for p in found)
    assert any("@context" in p for p in found)


def test_a_script_no_installed_font_prints_is_one_warning(tmp_path, capsys, monkeypatch):
    """A Chinese letter on a machine without a CJK font: the PDFs would print empty boxes, so
    the build says so once, with what to install (fontconfig is asked; here it is made to
    answer 'none' for Chinese, whatever this machine has)."""
    from tei.render import pdf

    page = SHARED / "pages" / "wilson_16_zhou-mao-letter-seoul-attack_1950-12-09.txt"
    if not page.is_file():
        pytest.skip(f"{page} is not there")
    assert pdf.has_font_for("en")  # DejaVu, which WeasyPrint needs anyway
    monkeypatch.setattr(pdf, "has_font_for", lambda lang: lang != "zh")
    src = tmp_path / "src"
    src.mkdir()
    (src / page.name).write_bytes(page.read_bytes())
    shutil.copyfile(next(examples_dir().glob("003_*.txt")), src / "003.txt")  # Russian: printable
    code, err = run(capsys, "build", str(src), "-o", str(tmp_path / "ed"), "--jobs", "1")
    assert code == 0, err
    [line] = [ln for ln in err.splitlines() if "no font" in ln]
    assert line == (
        "tei: warning: PDF: no font on this system covers Chinese (zh): 1 PDF prints empty "
        "boxes for it; install one (e.g. the fonts-noto-cjk package) and rebuild"
    )


def test_report_written_in_batches_is_the_whole_report(tmp_path, capsys, monkeypatch):
    """The build validates a few files at a time (memory flat): the report file, the summary
    and the exit status are those of one validation of all files, invalid ones included."""
    from tei import edition
    from tei.validate import ValidateOptions, validate_paths
    from tei.validate.formatters import format_text

    strict = tmp_path / "strict.rng"  # a schema every TEI file fails
    strict.write_text(
        '<element name="nothing-but-this" xmlns="http://relaxng.org/ns/structure/1.0">'
        "<empty/></element>",
        encoding="utf-8",
    )
    monkeypatch.setattr(edition, "edition_schemas", lambda: [strict])
    monkeypatch.setattr(edition, "VALIDATE_BATCH", 2)  # 5 pages: batches of 2, 2, 1
    out = tmp_path / "ed"
    code, err = run(capsys, "build", "-o", str(out), "--no-pdf", "--no-html", "-j", "1")
    assert code == 1, err
    files = sorted((out / "tei").glob("*.xml"))
    whole = edition._for_build(
        validate_paths(files, ValidateOptions(schemas=[strict], progress=False, jobs=1)), out
    )
    expected = format_text(whole)
    assert (out / "validation.txt").read_text(encoding="utf-8") == expected
    assert "5 files checked, 5 invalid" in expected
    assert expected in err  # the invalid report on stderr, as before
    assert not list(out.glob(".tei-work-*"))  # the spool is gone


def test_a_readme_in_the_folder_of_pages_is_not_a_page(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    page = sorted(examples_dir().glob("*.txt"))[0]
    shutil.copy(page, src / page.name)
    (src / "README.md").write_text("# My pages\n\nCopied from the archive [1].\n", "utf-8")
    out = tmp_path / "ed"
    code, err = run(capsys, "build", str(src), "-o", str(out), "--no-pdf")
    assert code == 0, err
    assert "README" not in err and "built 1/1 pages" in err, err
    assert sorted(p.name for p in (out / "tei").iterdir()) == [f"{page.stem}.xml"]
