"""``tei build``: raw pages -> TEI -> alignment -> validation -> HTML edition (and PDF).

Layout of the output folder::

    DIR/index.html, DIR/<page>.html, DIR/assets/   the static edition (works from file://)
    DIR/tei/<page>.xml                             the TEI files
    DIR/pdf/<page>.pdf                             with --pdf
    DIR/validation.txt                             the validation report (compiler style)
    DIR/.tei-build                                 what the last build wrote (the manifest)

A rebuild removes what the previous build wrote (as its manifest lists) and this one did not,
and nothing else: files put into DIR by hand are never touched.  ``tei/``, ``pdf/`` and
``assets/`` are real folders: a symbolic link in their place is replaced, not written through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .atomic import owned_dir, write_bytes_atomic
from .errors import TeiError
from .pipeline import Converted, ConvertOptions, convert_files
from .report import Report
from .resources import schema_dir


@dataclass
class BuildOptions:
    convert: ConvertOptions = field(default_factory=ConvertOptions)
    validate: bool = True
    html: bool = True
    pdf: bool = False
    pdf_layout: str = "parallel"
    image_hosts: list[str] = field(default_factory=list)  # remote images the pages may show


@dataclass
class BuildResult:
    converted: list[Converted]
    report: Report | None = None
    pages: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    errors: list[TeiError] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # stale outputs of the previous build
    warnings: list[str] = field(default_factory=list)

    @property
    def tei_files(self) -> list[Path]:
        return [c.output for c in self.converted if c.output]


def edition_schemas() -> list[Path]:
    """Our customization (RelaxNG) and rules (Schematron), as shipped in the package."""
    return [
        p
        for p in (schema_dir() / "archive-edition.rng", schema_dir() / "archive-edition.sch")
        if p.exists()
    ]


def build_edition(
    sources: list[Path],
    out: Path,
    options: BuildOptions,
    *,
    on_error: Callable[[TeiError], None] | None = None,
) -> BuildResult:
    """Run every stage; a bad page is reported (``on_error``) and the others still go through."""
    tei_dir = out / "tei"
    previous = read_manifest(out)
    try:
        owned_dir(tei_dir)
    except OSError:
        if tei_dir.is_symlink():  # never write through it
            raise
        # otherwise (a file in the way, a read-only folder) each page reports the failure
    result = BuildResult(
        convert_files(sources, [tei_dir / f"{s.stem}.xml" for s in sources], options.convert)
    )
    files = result.tei_files

    def failed(exc: TeiError) -> None:
        result.errors.append(exc)
        if on_error:
            on_error(exc)

    if options.validate and files:
        from .validate import ValidateOptions, validate_paths
        from .validate.formatters import render as format_report

        schemas = edition_schemas()
        if not schemas:
            raise TeiError("the package's schema/archive-edition.rng is missing; reinstall")
        report = validate_paths(files, ValidateOptions(schemas=schemas, progress=False, jobs=1))
        result.report = _relative(report, out)
        write_bytes_atomic(
            out / "validation.txt", format_report(result.report, "text").encode("utf-8")
        )
    if options.html and files:
        from .render import render_edition

        result.pages = render_edition(files, out, on_error=failed, image_hosts=options.image_hosts)
    if options.pdf and files:
        from .render.pdf import render_pdf

        pdf_dir = owned_dir(out / "pdf")
        result.pdfs = render_pdf(files, pdf_dir, layout=options.pdf_layout, on_error=failed)
    written = [*files, *result.pages, *result.pdfs]
    if result.report is not None:
        written.append(out / "validation.txt")
    result.removed = remove_stale(out, previous, written)
    if written or previous:
        try:
            write_manifest(out, written)
        except OSError as exc:  # the outputs are fine; only the next clean-up cannot be done
            result.warnings.append(
                f"{out / MANIFEST}: cannot write the list of outputs ({exc.strerror or exc}); "
                "a rebuild will not remove stale pages"
            )
    return result


MANIFEST = ".tei-build"


def _owned_name(out: Path, name: str) -> str | None:
    """``name`` if it is a plain relative path inside ``out`` (no ``..``, no link on the way)."""
    rel = Path(name)
    if not name or rel.is_absolute() or ".." in rel.parts or name.startswith("."):
        return None
    parent = out
    for part in rel.parts[:-1]:
        parent = parent / part
        if parent.is_symlink() or not parent.is_dir():
            return None
    return rel.as_posix()


def read_manifest(out: Path) -> list[str]:
    """Relative names the last build into ``out`` wrote (none if it left no manifest)."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [ln for ln in text.splitlines() if ln and not ln.startswith("#")]


def write_manifest(out: Path, written: list[Path]) -> None:
    names = sorted({Path(p).relative_to(out).as_posix() for p in written})
    text = "# files written by tei build (a rebuild removes those it no longer writes)\n"
    write_bytes_atomic(out / MANIFEST, (text + "".join(f"{n}\n" for n in names)).encode())


def remove_stale(out: Path, previous: list[str], written: list[Path]) -> list[Path]:
    """Remove what the previous build wrote and this one did not; returns what was removed."""
    now = {Path(p).relative_to(out).as_posix() for p in written}
    removed = []
    for name in previous:
        rel = _owned_name(out, name)
        if rel is None or rel in now:
            continue
        target = out / rel
        if target.is_symlink() or target.is_file():
            target.unlink()
            removed.append(target)
    return removed


def _relative(report: Report, base: Path) -> Report:
    """File names relative to the edition folder: the report reads the same wherever it is built."""

    def rel(name: str) -> str:
        try:
            return str(Path(name).relative_to(base))
        except ValueError:
            return name

    for fr in report.files:
        fr.path = rel(fr.path)
        fr.findings = [replace(f, file=rel(f.file)) for f in fr.findings]
    return report
