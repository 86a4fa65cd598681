"""Issue 12, item 11: PDF typesetting is bounded, and many notes do not make it crawl.

10,000 notes never finished before (killed at 600 s); now a layout past ``--time-limit`` stops
with one line.  Above ``FOOTNOTE_LIMIT`` footnotes the notes go to the end of the PDF, where
WeasyPrint lays them out in linear time (2,000 notes: 55 s of CPU as footnotes, ~20 s now,
measured by hand; see the commit).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from _hostile import XML, Secret, need

import tei.render.pdf


def _notes_doc(secret: Secret, n: int) -> str:
    src = (XML / "base.xml").read_text(encoding="utf-8")
    ps = "".join(
        f"<p>Paragraph {i} with a remark<note>Note number {i} about it.</note> and more.</p>"
        for i in range(n)
    )
    doc = secret.inp / f"notes{n}.xml"
    doc.write_text(src.replace('<p xml:id="o2">', ps + '<p xml:id="o2">'), encoding="utf-8")
    return str(doc)


def test_typesetting_past_the_time_limit_stops_in_one_line(cli, secret: Secret) -> None:
    need("render pdf")
    r = cli("render", "pdf", _notes_doc(secret, 10_000), "-o", secret.out, "--time-limit", "2")
    r.assert_clean()
    assert r.code == 1, r.text
    (line,) = r.error_lines()
    assert "notes10000.xml" in line and "stopped after 2 s" in line
    assert not (secret.out / "notes10000.pdf").exists()
    assert r.secs < 120, f"the limit did not stop it ({r.secs:.0f} s)"


def test_many_footnotes_go_to_the_end_with_every_note_kept(cli, secret: Secret, monkeypatch):
    need("render pdf")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF")
    monkeypatch.setattr(tei.render.pdf, "FOOTNOTE_LIMIT", 5)
    seen: list[bool] = []
    real = tei.render.pdf.print_html

    def spy(*a, **kw):
        seen.append(bool(kw.get("endnotes")))
        return real(*a, **kw)

    monkeypatch.setattr(tei.render.pdf, "print_html", spy)
    r = cli("render", "pdf", _notes_doc(secret, 12), "-o", secret.out)
    assert r.code == 0, r.text
    assert seen == [False, True], "the notes were not moved to the end"
    text = subprocess.run(
        ["pdftotext", str(secret.out / "notes12.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "FOOTNOTES" in text.upper()
    for i in range(12):
        assert f"{i + 1}. Note number {i} about it." in text, i
