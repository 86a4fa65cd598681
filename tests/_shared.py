"""Where ../shared is, and which of its corpora are TEI editions (one home for both facts)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

#: The real TEI editions in ../shared/corpora (the other folders there hold third-party files for
#: validation cross-checks: non-TEI roots, not-well-formed files, DOCTYPEs, multi-MB volumes).
EDITION_CORPORA = ("ISicily", "iospe", "rusdracor")


def edition_corpus_files(shared: Path = SHARED) -> list[Path]:
    """Every TEI file of the edition corpora, sorted; empty when ../shared is absent."""
    corpora = shared / "corpora"
    return sorted(f for name in EDITION_CORPORA for f in (corpora / name).glob("*.xml"))
