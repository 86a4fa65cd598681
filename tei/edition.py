"""``tei build``: raw pages -> TEI -> alignment -> validation -> HTML edition (and PDF).

Layout of the output folder::

    DIR/index.html, DIR/<page>.html, DIR/assets/   the static edition (works from file://)
    DIR/tei/<page>.xml                             the TEI files
    DIR/pdf/<page>.pdf                             with --pdf
    DIR/validation.txt                             the validation report (compiler style)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .atomic import write_bytes_atomic
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


@dataclass
class BuildResult:
    converted: list[Converted]
    report: Report | None = None
    pages: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    errors: list[TeiError] = field(default_factory=list)

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
    if options.pdf and files:  # before the pages, which link the PDFs that were made
        from .render.pdf import render_pdf

        result.pdfs = render_pdf(files, out / "pdf", layout=options.pdf_layout, on_error=failed)
    if options.html and files:
        from .render import render_edition

        result.pages = render_edition(files, out, on_error=failed)
    return result


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
