"""Every third-party corpus file in ../shared/corpora renders, in one process, one stylesheet."""

from __future__ import annotations

import time
from pathlib import Path

import lxml.html
import pytest
from _shared import SHARED

from tei.render import render_html
from tei.xmlsafe import parse_file

CORPORA = SHARED / "corpora"


def corpus_files() -> list[Path]:
    return sorted(CORPORA.glob("*/*.xml")) if CORPORA.is_dir() else []


@pytest.mark.skipif(not corpus_files(), reason="../shared/corpora is not beside the repository")
def test_all_corpus_files_render():
    files = corpus_files()
    start = time.perf_counter()
    failures = []
    for path in files:
        try:
            html = render_html(parse_file(path), source_name=path.name, label=str(path))
        except Exception as exc:  # collect every failure, not just the first
            failures.append(f"{path}: {exc}")
            continue
        doc = lxml.html.fromstring(html)
        if doc.tag != "html" or len(doc.findall(".//h1")) != 1:
            failures.append(f"{path}: page structure")
        ids = doc.xpath("//@id")
        if len(ids) != len(set(ids)):
            failures.append(f"{path}: duplicate ids")
    elapsed = time.perf_counter() - start
    print(f"rendered {len(files)} corpus files in {elapsed:.2f} s ({len(files) / elapsed:.0f}/s)")
    assert not failures, "\n".join(failures[:20])


@pytest.mark.skipif(not (CORPORA / "iospe").is_dir(), reason="IOSPE corpus not available")
def test_iospe_edition_and_two_translations_side_by_side():
    path = next(
        p
        for p in sorted((CORPORA / "iospe").glob("*.xml"))
        if b'xml:lang="ru"' in p.read_bytes() and b'type="translation"' in p.read_bytes()
    )
    doc = lxml.html.fromstring(render_html(parse_file(path), source_name=path.name))
    row = doc.xpath("//div[contains(@class,'pv-whole')]")[0]
    right = row.xpath("div[contains(@class,'pv-trans')]")[0]
    langs = right.xpath("section/@lang")
    assert "ru" in langs and "en" in langs
    assert row.xpath("div[contains(@class,'pv-orig')]//section[contains(@class,'type-edition')]")
    # its graphic/@url ("10.9") is no image file that is there: said once, not linked
    assert len(doc.xpath("//p[@class='facs-none']")) == 1
    assert not doc.xpath("//aside[@class='facsimile']") and not doc.xpath("//a[@href='10.9']")
