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


#: Third-party TEI with jing's recorded verdicts (``corpora/xval/MANIFEST.tsv``).
XVAL = SHARED / "corpora" / "xval"


def xval_files(shared: Path = SHARED) -> list[tuple[Path, str]]:
    """``(file, jing's recorded verdict)`` for every file of the xval corpus, in MANIFEST
    order; empty when ../shared (or the corpus) is absent."""
    manifest = shared / "corpora" / "xval" / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    lines = manifest.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    col_file, col_jing = head.index("file"), head.index("jing")
    out: dict[Path, str] = {}
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > col_jing:
            out.setdefault(manifest.parent / "files" / cells[col_file], cells[col_jing])
    return list(out.items())
