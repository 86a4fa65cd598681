"""The HTML edition in a real browser: headless Chromium, file:// URLs, no network.

Each page records script errors in html/@data-js-errors (see xslt/html.xsl); with ?selftest the
page script copies the visible text of every editorial element into data-visible-text, so a
DOM dump shows what a reader sees in the reading and in the diplomatic view.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pytest

from tei.pipeline import ConvertOptions, convert_files
from tei.render import render_edition
from tei.resources import examples_dir
from tei.xmlsafe import parse_file

CHROMIUM = Path("/usr/bin/chromium")
DATA = Path(__file__).resolve().parent / "data" / "render"
TEI = "{http://www.tei-c.org/ns/1.0}"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)"
)


def chromium(url: str, *extra: str) -> str:
    """Run headless Chromium on ``url`` with a fresh profile; return stdout (the DOM dump)."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--mute-audio",
            f"--user-data-dir={profile}",
            *extra,
            url,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def dom(path: Path, query: str = "") -> lxml.html.HtmlElement:
    out = chromium(path.resolve().as_uri() + query, "--dump-dom", "--virtual-time-budget=3000")
    assert "<html" in out, out[:500]
    return lxml.html.fromstring(out)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    tmp = tmp_path_factory.mktemp("browser")
    sources = sorted(examples_dir().glob("*.txt"))
    outs = [tmp / "tei" / f"{s.stem}.xml" for s in sources]
    results = convert_files(sources, outs, ConvertOptions(align=True))
    if any(r.error for r in results):  # aligner not available yet
        results = convert_files(sources, outs, ConvertOptions(align=False))
    files = [r.output for r in results if r.output]
    shutil.copyfile(DATA / "linked.xml", tmp / "tei" / "linked.xml")
    files.append(tmp / "tei" / "linked.xml")
    out = tmp / "html"
    render_edition(files, out)
    return files, out


def test_pages_load_without_errors_and_rows_match_links(edition):
    files, out = edition
    for tei in files:
        page = dom(out / f"{tei.stem}.html", "?selftest=1")
        assert page.get("data-js-errors") == "", f"{tei.name}: {page.get('data-js-errors')}"
        body = page.find("body")
        assert body.get("data-selftest") == "done", f"{tei.name}: page script did not run"
        assert body.get("data-view") == "reading"
        links = parse_file(tei).getroot().findall(f".//{TEI}linkGrp[@type='translation']/{TEI}link")
        assert len(page.xpath("//div[@data-link]")) == len(links), tei.name
    index = dom(out / "index.html", "?sort=date-desc")
    assert index.get("data-js-errors") == ""
    dates = [d for d in index.xpath("//tbody/tr/@data-date") if d]
    assert dates == sorted(dates, reverse=True)
    assert index.xpath("//th[@data-key='date']/@aria-sort") == ["descending"]


def test_diplomatic_reading_toggle_changes_visible_text(edition):
    files, out = edition
    page = out / "linked.html"
    reading = dom(page, "?selftest=1")
    diplomatic = dom(page, "?selftest=1&view=diplomatic")
    assert diplomatic.find("body").get("data-view") == "diplomatic"
    assert diplomatic.xpath("//button[@id='ui-view-toggle']/@aria-pressed") == ["true"]
    assert not reading.xpath("//button[@id='ui-view-toggle']/@hidden")  # shown once JS runs

    def seen(doc, ed):
        return [e.get("data-visible-text") for e in doc.xpath(f"//span[@data-ed='{ed}']")]

    assert seen(reading, "abbr") == ["People's Commissariat of Defense"]
    assert seen(diplomatic, "abbr") == ["NKO"]
    assert seen(reading, "sic") == ["ошибкой", "3-2 [sic]"]
    assert seen(diplomatic, "sic") == ["ашибкой [sic]", "3-2"]
    assert seen(reading, "supplied") == seen(diplomatic, "supplied") == ["[their]"]


def test_screenshot_of_the_parallel_view(edition):
    files, out = edition
    shot = out.parent / "parallel-view.png"
    chromium(
        (out / f"{files[0].stem}.html").resolve().as_uri(),
        f"--screenshot={shot}",
        "--window-size=1400,2000",
        "--hide-scrollbars",
        "--virtual-time-budget=3000",
    )
    assert shot.is_file() and shot.read_bytes().startswith(b"\x89PNG")
    print(f"screenshot: {shot}")
