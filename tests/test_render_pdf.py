"""PDF output (WeasyPrint): text, footnotes, layouts, page count, and the local-only fetcher."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import _pdfwords
import pytest
from _shared import REPO, SHARED

from tei.cli import main
from tei.pipeline import ConvertOptions, convert_files
from tei.render import pdf as pdf_module
from tei.render.pdf import local_fetcher, print_html, render_pdf, unprintable_languages
from tei.resources import examples_dir, xslt_dir
from tei.xmlsafe import parse_file

DATA = Path(__file__).resolve().parent / "data" / "render"
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    not PDFTOTEXT, reason="pdftotext (poppler-utils) is not installed"
)


def seed_000(tmp: Path) -> Path:
    src = examples_dir() / "000_33e3b91539c02580.txt"
    out = tmp / "000_33e3b91539c02580.xml"
    results = convert_files([src], [out], ConvertOptions(align=True))
    if results[0].error:  # the aligner is not available yet
        results = convert_files([src], [out], ConvertOptions(align=False))
    assert results[0].output == out
    return out


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(
        [shutil.which("pdfinfo") or "pdfinfo", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@needs_poppler
def test_seed_000_pdf_has_russian_english_and_sane_page_count(tmp_path):
    tei = seed_000(tmp_path)
    for layout in ("parallel", "sequential"):
        out = tmp_path / layout
        [pdf] = render_pdf([tei], out, layout=layout)
        text = pdf_text(pdf)
        assert "Товарищу" in text and "Илийский округ" in text  # Russian (DejaVu glyphs)
        assert "national liberation movement" in text  # English
        assert "GARF, Fond R-9401ss" in text  # running head / title block
        # no image is there: said once, and no file path is printed
        assert " ".join(text.split()).count("No facsimile images are published") == 1
        assert "facs/" not in text and ".jpg" not in text
        assert 2 <= pages(pdf) <= 40, pages(pdf)


@needs_poppler
def test_notes_are_footnotes_and_layouts_differ(tmp_path):
    [pdf] = render_pdf([DATA / "linked.xml"], tmp_path / "p")
    text = pdf_text(pdf)
    assert "Footnote: the district name is spelled two ways." in text
    assert "Endnote: the heading is typed in capital letters" in text
    assert "Доклад о снабжении" in text and "Report on supplies" in text
    html = print_html(parse_file(DATA / "linked.xml"))
    assert html.count('class="footnote"') == 2
    assert len(re.findall(r'<table class="pv" data-link="\d+"', html)) == 6
    seq = print_html(parse_file(DATA / "linked.xml"), layout="sequential")
    assert "data-link" not in seq and "<script" not in seq
    assert seq.index("Четвертый абзац") < seq.index('id="t1"')


def test_pdf_is_deterministic_and_cli_works(tmp_path):
    assert main(["render", "pdf", str(DATA / "linked.xml"), "-o", str(tmp_path / "a")]) == 0
    assert (
        main(
            [
                "render",
                "pdf",
                str(DATA / "linked.xml"),
                "-o",
                str(tmp_path / "b"),
                "--layout",
                "parallel",
            ]
        )
        == 0
    )
    a, b = (
        (tmp_path / "a" / "linked.pdf").read_bytes(),
        (tmp_path / "b" / "linked.pdf").read_bytes(),
    )
    assert a.startswith(b"%PDF") and a == b
    with pytest.raises(SystemExit):
        main(["render", "pdf", str(DATA / "linked.xml"), "-o", str(tmp_path), "--layout", "x"])


def test_fetcher_serves_only_bundled_css_and_local_images(tmp_path):
    (tmp_path / "facs").mkdir()
    (tmp_path / "facs" / "1.png").write_bytes(b"\x89PNG")
    (tmp_path / "notes.txt").write_text("secret")
    css = xslt_dir() / "print.css"
    fetch = local_fetcher([tmp_path], [css])
    assert fetch(css.as_uri()).read().startswith(b"/*")
    assert fetch((tmp_path / "facs" / "1.png").as_uri()).read() == b"\x89PNG"
    for url in (
        "https://example.org/x.png",
        "http://127.0.0.1/x.css",
        "ftp://x/y.png",
        (tmp_path / "notes.txt").as_uri(),
        "file:///etc/passwd",
        (tmp_path / "facs" / ".." / ".." / "x.png").as_uri(),
        "data:image/png;base64,iVBORw0KGgo=",
    ):
        with pytest.raises(ValueError):
            fetch(url)


def test_remote_images_are_not_fetched(tmp_path, monkeypatch):
    import urllib.request

    def boom(*args, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("network access")

    monkeypatch.setattr(urllib.request, "urlopen", boom)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", boom)
    tei = tmp_path / "remote.xml"
    tei.write_text(
        (DATA / "linked.xml")
        .read_text(encoding="utf-8")
        .replace(
            '<p xml:id="o3">',
            '<p xml:id="o3"><figure><graphic url="https://example.org/a.jpg"/></figure>',
        ),
        encoding="utf-8",
    )
    [pdf] = render_pdf([tei], tmp_path / "out")
    assert pdf.read_bytes().startswith(b"%PDF")


def _layout_faults(pdf: Path, *, parallel: bool) -> list[str]:
    pages = _pdfwords.words(pdf)
    faults = [f"past the margin: {w}" for w in _pdfwords.outside_text_area(pages)]
    boxes = _pdfwords.unprinted_characters(pdf)
    if boxes:
        shown = "".join(sorted(boxes)[:12])
        faults.append(f"{sum(boxes.values())} characters print as empty boxes ({shown}...)")
    faults += [f"printed over each other: {a} / {b}" for a, b in _pdfwords.overlapping(pages)]
    if parallel:
        region = _pdfwords.parallel_region(pages, "Original", "Translation")
        assert region, f"{pdf.name}: no parallel rows found"
        faults += [f"into the other column: {w}" for w in _pdfwords.crossing_the_gutter(region)]
    return faults


def _has_parallel_rows(tei: Path) -> bool:
    return "<link " in tei.read_text(encoding="utf-8")


@needs_poppler
def test_parallel_columns_hold_their_words_examples_and_wide_cells(tmp_path):
    """Seed 000's tables, long URLs, an eight-column table: every word stays in its column."""
    sources = sorted(examples_dir().glob("*.txt"))
    outs = [tmp_path / "tei" / f"{s.stem}.xml" for s in sources]
    files = [r.output for r in convert_files(sources, outs, ConvertOptions(align=True))]
    files = [f for f in files if f] + [DATA / "wide.xml"]
    assert len(files) == len(sources) + 1
    faults = []
    for layout in ("parallel", "sequential"):
        for pdf, tei in zip(
            render_pdf(files, tmp_path / layout, layout=layout), files, strict=True
        ):
            parallel = layout == "parallel" and _has_parallel_rows(tei)
            faults += [f"{layout} {pdf.name}: {f}" for f in _layout_faults(pdf, parallel=parallel)]
    assert not faults, "\n".join(faults[:20])
    artifacts = REPO / "build" / "pdf"
    artifacts.mkdir(parents=True, exist_ok=True)
    for name in ("000_33e3b91539c02580", "wide"):
        for page in (1, 2) if name != "wide" else (1,):
            subprocess.run(
                ["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                 str(tmp_path / "parallel" / f"{name}.pdf"), str(artifacts / f"{name}-p{page}")],
                check=True,
            )  # fmt: skip


@needs_poppler
def test_parallel_columns_hold_their_words_real_pages(tmp_path):
    pages_dir = SHARED / "pages"
    if not pages_dir.is_dir():
        pytest.skip(f"{pages_dir} is not there")
    sources = sorted(pages_dir.glob("*.txt"))
    outs = [tmp_path / "tei" / f"{s.stem}.xml" for s in sources]
    files = [r.output for r in convert_files(sources, outs, ConvertOptions(align=True))]
    files = [f for f in files if f]
    assert files
    faults, no_font = [], set()
    pdfs = render_pdf(files, tmp_path / "pdf", layout="parallel")
    for pdf, tei in zip(pdfs, files, strict=True):
        found = _layout_faults(pdf, parallel=_has_parallel_rows(tei))
        lacking = unprintable_languages(parse_file(tei))
        if lacking:  # no installed font has the script: `tei build` warns (test_render_build)
            no_font.update(lacking)
            found = [f for f in found if "empty boxes" not in f]
        faults += [f"{pdf.name}: {f}" for f in found]
    assert not faults, "\n".join(faults[:20])
    artifacts = REPO / "build" / "pdf"
    artifacts.mkdir(parents=True, exist_ok=True)
    for name in (
        "wilson_16_zhou-mao-letter-seoul-attack_1950-12-09",  # Chinese beside English
        "wilson_04_note-riabikov-rudnev-satellites_1957-09-24",  # Russian only
    ):
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", "1", "-l", "1",
             str(tmp_path / "pdf" / f"{name}.pdf"), str(artifacts / f"real-{name}-p1")],
            check=True,
        )  # fmt: skip
    if no_font:
        pytest.skip(
            f"no installed font covers {sorted(no_font)}: those PDFs print empty boxes "
            "(apt-get install fonts-droid-fallback or fonts-noto-cjk)"
        )


@needs_poppler
def test_a_script_without_a_font_is_found_in_the_pdf_and_warned_of(tmp_path):
    """With fontconfig limited to DejaVu (no Han glyphs), the Chinese letter's PDF has empty
    boxes, and `tei build` says so in one line; with the machine's fonts, when one covers
    Chinese (CI installs fonts-droid-fallback), it has none and the build says nothing."""
    page = SHARED / "pages" / "wilson_16_zhou-mao-letter-seoul-attack_1950-12-09.txt"
    if not page.is_file():
        pytest.skip(f"{page} is not there")
    src = tmp_path / "src"
    src.mkdir()
    shutil.copyfile(page, src / page.name)
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{dejavu}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )

    def build(out: str, env: dict[str, str]) -> tuple[str, dict[str, int]]:
        cmd = [sys.executable, "-m", "tei", "build", str(src), "-o", str(tmp_path / out)]
        cmd += ["--jobs", "1", "--no-html", "--no-validate"]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        pdf = tmp_path / out / "pdf" / f"{page.stem}.pdf"
        return proc.stderr, _pdfwords.unprinted_characters(pdf)

    err, boxes = build("dejavu", {**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert boxes and all(ch >= "\u3000" for ch in boxes), boxes  # CJK ideographs, punctuation
    assert "no font on this system covers Chinese (zh): 1 PDF prints empty boxes" in err, err
    if not pdf_module.has_font_for("zh"):
        pytest.skip("no installed font covers Chinese (apt-get install fonts-droid-fallback)")
    err, boxes = build("system", dict(os.environ))
    assert boxes == {} and "no font" not in err, (boxes, err)
