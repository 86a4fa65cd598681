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
from _shared import REPO, SHARED

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


# Headless Chromium will not make a window narrower than 500 px: a phone width is measured in
# an iframe of that width (same-origin file:// access is allowed for this harness only).
HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{src}" style="width:{width}px;height:{height}px;border:0"></iframe>
<script>
var f = document.getElementById('f');
f.addEventListener('load', function () {{
  var d = f.contentDocument.documentElement;
  ['data-scroll-width', 'data-inner-width', 'data-too-wide', 'data-js-errors'].forEach(
    function (a) {{ document.body.setAttribute(a, d.getAttribute(a) || ''); }});
  var empty = [].filter.call(f.contentDocument.querySelectorAll('.pv-cell'), function (c) {{
    return !c.textContent.trim() && !c.querySelector('img') && c.getBoundingClientRect().height > 0;
  }});
  document.body.setAttribute('data-empty-cells', String(empty.length));
  // rows with both sides: how many show the original above its translation, how many beside
  var stacked = 0, beside = 0, rows = 0;
  [].forEach.call(f.contentDocument.querySelectorAll('.pv-row:not(.pv-head)'), function (r) {{
    var o = r.querySelector(':scope > .pv-orig'), t = r.querySelector(':scope > .pv-trans');
    if (!o || !t || !o.textContent.trim() || !t.textContent.trim()) {{ return; }}
    var a = o.getBoundingClientRect(), b = t.getBoundingClientRect();
    rows += 1;
    if (a.bottom <= b.top + 1) {{ stacked += 1; }}
    if (Math.abs(a.top - b.top) < 2 && a.right <= b.left) {{ beside += 1; }}
  }});
  document.body.setAttribute('data-layout', rows + ' ' + stacked + ' ' + beside);
}});
</script></body></html>
"""


def widths(out: Path, page: str, width: int, shot: Path | None = None) -> dict[str, str]:
    """scrollWidth, innerWidth and the too-wide elements of ``page`` at ``width`` CSS px."""
    harness = out / f"_harness_{width}.html"
    harness.write_text(HARNESS.format(src=f"{page}?selftest=1", width=width, height=1800))
    flags = ["--allow-file-access-from-files", f"--window-size={max(width, 500)},1800"]
    flags += ["--hide-scrollbars", "--virtual-time-budget=3000"]
    body = lxml.html.fromstring(chromium(harness.resolve().as_uri(), "--dump-dom", *flags))
    if shot is not None:
        chromium(harness.resolve().as_uri(), f"--screenshot={shot}", *flags)
    harness.unlink()
    return {k: body.find("body").get(f"data-{k}", "?") for k in ("scroll-width", "inner-width", "too-wide", "js-errors", "empty-cells", "layout")}  # fmt: skip


def _layout_faults(page: str, width: int, m: dict[str, str]) -> list[str]:
    """What is wrong with ``page`` at ``width`` px by the measures of :func:`widths`."""
    assert m["js-errors"] == "", f"{page}: {m['js-errors']}"
    assert m["inner-width"] == str(width), m
    faults = []
    if int(m["scroll-width"]) > width:
        faults.append(f"{page} at {width}px: {m['scroll-width']}px wide ({m['too-wide']})")
    if width < 500 and m["empty-cells"] != "0":  # stacked: no label over nothing
        faults.append(f"{page} at {width}px: {m['empty-cells']} empty cells shown")
    rows, stacked, beside = map(int, m["layout"].split())
    if (stacked if width < 500 else beside) != rows:  # phone: above; desktop: beside
        faults.append(f"{page} at {width}px: of {rows} rows {stacked} stacked, {beside} beside")
    return faults


def test_no_horizontal_scrolling_on_phones_and_desktops(edition):
    """Every page and the index fit 360 px (a phone) and 1400 px; screenshots in build/."""
    files, out = edition
    shots = REPO / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = [f"{f.stem}.html" for f in files] + ["index.html"]
    faults, parallel_rows = [], 0
    for page in pages:
        for width in (360, 1400):
            keep = page in ("000_33e3b91539c02580.html", "index.html", "linked.html")
            shot = shots / f"{Path(page).stem}-{width}.png" if keep else None
            m = widths(out, page, width, shot)
            faults += _layout_faults(page, width, m)
            parallel_rows += int(m["layout"].split()[0])
    assert not faults, "\n".join(faults)
    assert parallel_rows > 0  # the layout check saw rows with both sides


def test_real_pages_fit_a_phone_and_a_desktop(tmp_path):
    """Every real page of ../shared/pages and their index fit 360 and 1400 px; screenshots of
    two of them in build/screenshots."""
    pages_dir = SHARED / "pages"
    if not pages_dir.is_dir():
        pytest.skip(f"{pages_dir} is not there")
    sources = sorted(pages_dir.glob("*.txt"))
    outs = [tmp_path / "tei" / f"{s.stem}.xml" for s in sources]
    files = [r.output for r in convert_files(sources, outs, ConvertOptions(align=True)) if r.output]
    out = tmp_path / "html"
    render_edition(files, out)
    shots = REPO / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    keep = {  # a Chinese letter with its translation, and the old site's collection listing
        "wilson_16_zhou-mao-letter-seoul-attack_1950-12-09.html",
        "wilson_41_listing-oldlayout-collection-kim-il-sung.html",
    }
    faults, parallel_rows = [], 0
    for page in [f"{f.stem}.html" for f in files] + ["index.html"]:
        for width in (360, 1400):
            shot = shots / f"real-{Path(page).stem}-{width}.png" if page in keep else None
            m = widths(out, page, width, shot)
            faults += _layout_faults(page, width, m)
            parallel_rows += int(m["layout"].split()[0])
    assert not faults, "\n".join(faults)
    assert parallel_rows > 0  # the layout check saw rows with both sides


def test_viewer_counterparts_and_index_filter(tmp_path):
    """The facsimile viewer opens a folio from its page break; hovering a passage marks its
    counterpart and shows @cert; the index filter keeps the matching rows (all from file://)."""
    from urllib.parse import quote

    from test_render_build import _png

    tei = tmp_path / "linked.xml"
    shutil.copyfile(DATA / "linked.xml", tei)
    out = tmp_path / "html"
    _png(out / "facs" / "fixture" / "12.jpg", 60, 80)  # PNG bytes: Chromium sniffs the type
    render_edition([tei], out, image_hosts=["iiif.example.org"])  # the IIIF folio 13
    page = out / "linked.html"
    start = dom(page, "?selftest=1")
    assert start.get("data-js-errors") == "", start.get("data-js-errors")
    viewer = start.xpath("//div[@id='ui-viewer']")[0]
    assert viewer.get("hidden") is None and viewer.get("data-folio") == "ui-facs-f12"
    assert start.xpath("//li[@id='ui-facs-f12']/@aria-current") == ["true"]
    opened = dom(page, "?selftest=1&click=" + quote('a.pb[href="#ui-facs-f13"]'))
    viewer = opened.xpath("//div[@id='ui-viewer']")[0]
    assert (viewer.get("data-folio"), viewer.get("data-opened-by")) == ("ui-facs-f13", "pb")
    assert opened.xpath("//li[@id='ui-facs-f13']/@class") == ["current"]
    assert opened.xpath("//div[@id='ui-viewer']//img/@src") == [
        "https://iiif.example.org/iiif/2/fixture13/full/max/0/default.jpg"
    ]
    zoomed = dom(page, "?selftest=1&click=" + quote('#ui-viewer button[data-act="in"]'))
    assert zoomed.xpath("//div[@id='ui-viewer']/@data-zoom") == ["1.50"]  # zoom works
    stage = quote("#ui-viewer .facs-stage")
    panned = dom(page, f"?selftest=1&focus={stage}&press=ArrowLeft")  # the keyboard pans
    assert panned.xpath("//div[@id='ui-viewer']/@data-pan") == ["40,0"]
    # scrolling the text to folio 13's page break shows folio 13 (and marks it)
    scrolled = chromium(
        page.resolve().as_uri() + "?selftest=1&scroll=" + quote('#ui-text a.pb[href="#ui-facs-f13"]'),
        "--dump-dom", "--virtual-time-budget=3000", "--window-size=800,300",
    )  # fmt: skip
    scrolled = lxml.html.fromstring(scrolled)
    viewer = scrolled.xpath("//div[@id='ui-viewer']")[0]
    assert (viewer.get("data-folio"), viewer.get("data-opened-by")) == ("ui-facs-f13", "scroll")
    assert scrolled.xpath("//li[@aria-current='true']/@id") == ["ui-facs-f13"]
    for how in ("hover", "focus"):  # the mouse or the keyboard (rows are focusable)
        touched = dom(
            page, f"?selftest=1&{how}=" + quote("#o3" if how == "hover" else "#ui-link-3")
        )
        [row] = touched.xpath("//div[contains(@class, 'pv-active')]")
        assert "#o3" in row.get("data-targets").split(), how
        assert row.xpath("string(span[@class='pv-cert'])") == "aligned (confidence not stated)"
    index = dom(out / "index.html", "?selftest=1&q=" + quote("report 1944"))
    rows = index.xpath("//table[@id='ui-index']/tbody/tr")
    shown = [r for r in rows if r.get("hidden") is None]
    assert len(shown) == 1 and "partisan" in shown[0].text_content()
    assert "1 of" in index.xpath("string(//span[@id='ui-filter-count'])")
