"""``tei build``: raw pages -> TEI -> alignment -> validation -> PDF and HTML edition.

Layout of the output folder::

    DIR/index.html, DIR/<page>.html, DIR/assets/   the static edition (works from file://)
    DIR/tei/<page>.xml                             the TEI files (with <?xml-model?>)
    DIR/schema/                                    the schema and rules they name
    DIR/pdf/<page>.pdf                             unless --no-pdf
    DIR/validation.txt                             the validation report (compiler style)
    DIR/iiif/<page>.json                           with --iiif-base
    DIR/.tei-build                                 what the last build wrote (the manifest)

A rebuild removes what the previous build wrote (as its manifest lists) and this one did not,
and nothing else: files put into DIR by hand are never touched.  ``tei/``, ``pdf/`` and
``assets/`` are real folders: a symbolic link in their place is replaced, not written through.

The documents are streamed through the render stages: each worker process parses one TEI
file, typesets its PDF, writes its page and hands back only what the index needs (the header
and the listing catalogue), so memory does not grow with the length of the documents.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from .atomic import owned_dir, write_bytes_atomic
from .errors import TeiError
from .ns import RNG_NS, SCH_NS
from .pipeline import Converted, ConvertOptions, convert_files
from .report import FileReport, Report
from .resources import schema_dir

SCHEMA_FILES = ("archive-edition.rng", "archive-edition.sch")
#: Findings a user cannot act on in a build: a folio the citation's range names (so the
#: converter wrote its surface) where the transcription marks no page change.
INFO_IN_BUILD = {
    "facs-surface-referenced": "the citation's folio range names this folio; the text marks "
    "no page change on it (add a pb there if it has one)"
}


@dataclass
class BuildOptions:
    convert: ConvertOptions = field(default_factory=ConvertOptions)
    validate: bool = True
    html: bool = True
    pdf: bool = True
    pdf_layout: str = "parallel"
    jobs: int = 0  # 0: one worker per CPU
    progress: bool | None = None  # None: on a terminal, not in CI
    iiif_base: str = ""  # the edition's public URL: IIIF manifests in DIR/iiif/ when set
    image_hosts: list[str] = field(default_factory=list)  # remote images the pages may show


@dataclass
class BuildResult:
    converted: list[Converted]
    validation: Validation | None = None
    pages: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    errors: list[TeiError] = field(default_factory=list)
    duplicates: list[tuple[Path, Path]] = field(default_factory=list)  # (copy, first)
    unhandled: Counter[str] = field(default_factory=Counter)
    removed: list[Path] = field(default_factory=list)  # stale outputs of the previous build
    warnings: list[str] = field(default_factory=list)
    extra: list[Path] = field(default_factory=list)  # schema copies and IIIF manifests

    @property
    def tei_files(self) -> list[Path]:
        return [c.output for c in self.converted if c.output]


@dataclass
class Validation:
    """What a build's validation found; the findings themselves are in ``report_path``
    (DIR/validation.txt), never all in memory."""

    report_path: Path
    summary: str  # the report's last line
    valid: bool


#: Files validated at a time: each batch's findings go to the report file before the next.
VALIDATE_BATCH = 256


class _SpooledFiles(list[FileReport]):
    """The file reports of a whole build, read back batch by batch from the spool they were
    pickled to: a :class:`Report` over it gives the summary line without holding them."""

    def __init__(self, spool: Path, batches: int, n: int) -> None:
        super().__init__()
        self.spool, self.batches, self.n = spool, batches, n

    def __iter__(self) -> Iterator[FileReport]:
        with self.spool.open("rb") as fh:
            for _ in range(self.batches):
                yield from pickle.load(fh)

    def __len__(self) -> int:
        return self.n


def _validate(files: list[Path], out: Path, options: BuildOptions, work: Path) -> Validation:
    """Validate in batches: each batch's findings are written to the report (as
    ``tei validate --format text`` would write them for the whole set, byte for byte) and
    pickled to a spool for the summary line, so memory does not grow with the build."""
    from .validate import ValidateOptions, validate_paths
    from .validate.formatters import format_text, summary_line

    schemas = edition_schemas()
    if not schemas:
        raise TeiError("the package's schema/archive-edition.rng is missing; reinstall")
    spool, lines = work / "validation.pickle", work / "validation.txt"
    batches = 0
    with spool.open("wb") as pick, lines.open("wb") as text:
        for start in range(0, len(files), VALIDATE_BATCH):
            batch = files[start : start + VALIDATE_BATCH]
            report = _for_build(
                validate_paths(
                    batch,
                    ValidateOptions(
                        schemas=schemas, progress=False, jobs=jobs_for(options.jobs, len(batch))
                    ),
                ),
                out,
            )
            findings = format_text(report)
            text.write(findings[: findings.rstrip("\n").rfind("\n") + 1].encode("utf-8"))
            pickle.dump(report.files, pick, protocol=pickle.HIGHEST_PROTOCOL)
            batches += 1
    whole = Report(files=_SpooledFiles(spool, batches, len(files)))
    summary = summary_line(whole)

    def report_bytes() -> Iterator[bytes]:
        with lines.open("rb") as fh:
            while chunk := fh.read(1 << 16):
                yield chunk
        yield (summary + "\n").encode("utf-8")

    target = out / "validation.txt"
    write_bytes_atomic(target, report_bytes())
    return Validation(target, summary, whole.valid)


def edition_schemas() -> list[Path]:
    """Our customization (RelaxNG) and rules (Schematron), as shipped in the package."""
    return [schema_dir() / name for name in SCHEMA_FILES if (schema_dir() / name).exists()]


def progress_wanted(flag: bool | None = None) -> bool:
    """Progress lines: when asked, else on a terminal outside CI (``CI`` set and not false)."""
    if flag is not None:
        return flag
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return sys.stderr.isatty() and not ci


class Progress:
    """One status line per stage on stderr, rewritten in place; silent when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def show(self, stage: str, done: int, total: int, name: str = "") -> None:
        if self.enabled:
            line = f"{stage} {done}/{total} {name}"[:78]
            sys.stderr.write(f"\r{line:<78}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 78 + "\r")
            sys.stderr.flush()


def find_duplicates(sources: list[Path]) -> list[tuple[Path, Path]]:
    """(copy, first) for each source whose bytes equal an earlier one's."""
    first: dict[bytes, Path] = {}
    dups: list[tuple[Path, Path]] = []
    for src in sources:
        try:
            digest = hashlib.sha256(src.read_bytes()).digest()
        except OSError:
            continue  # the converter reports the unreadable file
        if digest in first:
            dups.append((src, first[digest]))
        else:
            first[digest] = src
    return dups


def jobs_for(requested: int, n: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    want = requested if requested > 0 else (cpus or 1)
    return max(1, min(want, n))


def build_edition(
    sources: list[Path],
    out: Path,
    options: BuildOptions,
    *,
    on_error: Callable[[TeiError], None] | None = None,
) -> BuildResult:
    """Run every stage; a bad page is reported (``on_error``) and the others still go through."""
    progress = Progress(progress_wanted(options.progress))
    tei_dir = out / "tei"
    previous = read_manifest(out)
    try:
        owned_dir(tei_dir)
    except OSError:
        if tei_dir.is_symlink():  # never write through it
            raise
        # otherwise (a file in the way, a read-only folder) each page reports the failure
    progress.show("convert", 0, len(sources))
    result = BuildResult(
        convert_files(
            sources,
            [tei_dir / f"{s.stem}.xml" for s in sources],
            options.convert,
            keep_data=False,  # streamed: each page's model and bytes are dropped once written
            on_done=lambda i, c: progress.show("convert", i + 1, len(sources), Path(c.source).name),
        ),
        duplicates=find_duplicates(sources),
    )
    files = result.tei_files
    if files:
        result.extra.extend(add_schema_references(files, out))

    def failed(exc: TeiError) -> None:
        result.errors.append(exc)
        if on_error:
            on_error(exc)

    work_area: list[tempfile.TemporaryDirectory[str]] = []

    def work() -> Path:
        """A private folder inside DIR for what the build spools (removed at the end)."""
        if not work_area:
            work_area.append(tempfile.TemporaryDirectory(prefix=".tei-work-", dir=out))
        return Path(work_area[0].name)

    try:
        if options.validate and files:
            progress.show("validate", 0, len(files))
            result.validation = _validate(files, out, options, work())
        if (options.html or options.pdf) and files:
            if options.pdf:
                owned_dir(out / "pdf")
            _render(files, out, options, result, failed, progress, work)
    finally:
        progress.close()
        for w in work_area:
            w.cleanup()
    written = [*files, *result.pages, *result.pdfs, *result.extra]
    if result.validation is not None:
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


@dataclass
class _Job:
    src: Path
    out: Path
    html: bool
    pdf: bool
    layout: str
    iiif_base: str = ""
    image_hosts: tuple[str, ...] = ()


@dataclass
class _Done:
    src: Path
    page: Path | None = None
    pdf: Path | None = None
    index_entry: bytes | None = None  # the document's index record (a few hundred bytes)
    errors: list[tuple[str, str | None]] = field(default_factory=list)
    unhandled: Counter[str] = field(default_factory=Counter)
    extra: list[Path] = field(default_factory=list)  # IIIF manifest
    no_font: list[str] = field(default_factory=list)  # languages its PDF cannot print


def _render(
    files: list[Path],
    out: Path,
    options: BuildOptions,
    result: BuildResult,
    failed: Callable[[TeiError], None],
    progress: Progress,
    work: Callable[[], Path],
) -> None:
    from .render.html import check_names, write_assets
    from .render.index import IndexStore, render_index

    check_names(files)
    names = frozenset(f.name for f in files)
    jobs = [
        _Job(
            f,
            out,
            options.html,
            options.pdf,
            options.pdf_layout,
            options.iiif_base,
            tuple(options.image_hosts),
        )
        for f in files
    ]
    # the index's records go to disk as they come (SQLite joins and sorts them at the end)
    records = IndexStore(work() / "index.sqlite" if options.html else None)
    stage = "render" if not options.pdf else "render + pdf"
    no_font: Counter[str] = Counter()
    for i, done in enumerate(_run_jobs(jobs, jobs_for(options.jobs, len(jobs)), names), 1):
        progress.show(stage, i, len(jobs), done.src.name)
        no_font.update(done.no_font)
        for message, path in done.errors:
            failed(TeiError(message, path=path, exit_code=1))
        result.unhandled.update(done.unhandled)
        result.extra.extend(done.extra)
        if done.pdf:
            result.pdfs.append(done.pdf)
        if done.page and done.index_entry is not None:
            result.pages.append(done.page)
            records.add(done.index_entry)
    for lang, n in sorted(no_font.items()):
        from .languages import language_name

        result.warnings.append(
            f"PDF: no font on this system covers {language_name(lang)} ({lang}): {n} PDF"
            f"{'s print' if n != 1 else ' prints'} empty boxes for it; install one (e.g. the "
            "fonts-noto-cjk package) and rebuild"
        )
    try:
        if options.html:
            progress.show("index", 0, 1)
            result.pages.append(render_index(records, out))
            result.pages.extend(write_assets(out))
    finally:
        records.close()


#: The names of the edition's TEI files (a page links only to those), set once per process.
_NAMES: frozenset[str] = frozenset()


def _set_names(names: frozenset[str]) -> None:
    global _NAMES
    _NAMES = names


def _run_jobs(jobs: list[_Job], n: int, names: frozenset[str]) -> Iterator[_Done]:
    if n > 1:
        # spawn, not fork: a child forked from a process that has run Saxon (validation) can
        # hang in it; a fresh worker compiles the stylesheets once (~1 s) and is safe. The
        # names go to each worker once, not with every document.
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(n, _set_names, (names,), maxtasksperchild=200) as pool:
            yield from pool.imap(_render_one, jobs)
    else:
        _set_names(names)
        for job in jobs:
            yield _render_one(job)


def _render_one(job: _Job) -> _Done:
    """One document through PDF and HTML (in a worker process); errors are returned, not raised."""
    from .render.html import href_within, pdf_of, render_page
    from .render.index import index_record
    from .render.pdf import render_one_pdf, unprintable_languages
    from .xmlsafe import parse_file

    done = _Done(job.src)
    try:
        tree = parse_file(job.src)
    except TeiError as exc:
        done.errors.append((str(exc.args[0]), exc.path or str(job.src)))
        return done
    if job.pdf:
        try:
            done.pdf = render_one_pdf(tree, job.src, job.out / "pdf", layout=job.layout)
            done.no_font = unprintable_languages(tree)
        except TeiError as exc:
            done.errors.append((str(exc.args[0]), exc.path or str(job.src)))
    if job.html:
        try:
            done.page = render_page(
                tree,
                job.src,
                job.out,
                converted=_NAMES,
                pdf_href=pdf_of(job.src, job.out) if done.pdf else "",
                unhandled=done.unhandled,
                image_hosts=job.image_hosts,
            )
            done.index_entry = index_record(
                tree.getroot(),
                done.page.name,
                job.src.name,
                tei_href=href_within(job.src, job.out),
                pdf_href=pdf_of(job.src, job.out) if done.pdf else "",
            )
        except TeiError as exc:
            done.errors.append((str(exc.args[0]), exc.path or str(job.src)))
    if job.iiif_base:
        _write_manifest(tree.getroot(), job, done)
    return done


def _write_manifest(tei: etree._Element, job: _Job, done: _Done) -> None:
    """DIR/iiif/<name>.json when some surface has an image of known size; checked first."""
    import json

    from .render import iiif

    url = f"{job.iiif_base.rstrip('/')}/iiif/{job.src.stem}.json"
    m = iiif.manifest(tei, url, job.out)
    if m is None:
        return
    wrong = iiif.problems(m)
    if wrong:  # pragma: no cover - a bug in iiif.manifest
        done.errors.append((f"IIIF manifest not written: {wrong[0]}", str(job.src)))
        return
    data = json.dumps(m, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    target = job.out / "iiif" / f"{job.src.stem}.json"
    write_bytes_atomic(target, data + b"\n")
    done.extra.append(target)


def add_schema_references(files: list[Path], out: Path) -> list[Path]:
    """Copy the schema and rules into ``DIR/schema`` and name them in each TEI file's prolog,
    so that an XML editor (oXygen, VS Code) validates the file when it is opened."""
    target = out / "schema"
    source = schema_dir()
    copied = []
    for rel in [*SCHEMA_FILES, *(f"sch/{p.name}" for p in sorted((source / "sch").glob("*.sch")))]:
        if (source / rel).is_file():
            data = (source / rel).read_bytes()
            if not (target / rel).is_file() or (target / rel).read_bytes() != data:
                write_bytes_atomic(target / rel, data)
            copied.append(target / rel)
    for f in files:
        rel = Path(os.path.relpath(target, f.parent)).as_posix()
        write_bytes_atomic(f, with_xml_model(f.read_bytes(), rel))
    return copied


def with_xml_model(data: bytes, schema_href: str) -> bytes:
    """TEI bytes with ``<?xml-model?>`` PIs for our RelaxNG schema and Schematron rules."""
    pis = (
        f'<?xml-model href="{schema_href}/archive-edition.rng" type="application/xml" '
        f'schematypens="{RNG_NS}"?>\n'
        f'<?xml-model href="{schema_href}/archive-edition.sch" type="application/xml" '
        f'schematypens="{SCH_NS}"?>\n'
    ).encode()
    if b"<?xml-model" in data[:2000]:
        return data
    if data.startswith(b"<?xml "):
        end = data.index(b"?>") + 2
        return data[:end] + b"\n" + pis + data[end:].lstrip(b"\r\n")
    return pis + data


def _for_build(report: Report, base: Path) -> Report:
    """File names relative to the edition folder (the report reads the same wherever it is
    built), and findings nobody can act on in a build turned into information."""

    def rel(name: str) -> str:
        try:
            return str(Path(name).relative_to(base))
        except ValueError:
            return name

    for fr in report.files:
        fr.path = rel(fr.path)
        fr.findings = [
            replace(f, file=rel(f.file), severity="info", hint=INFO_IN_BUILD[f.rule])
            if f.rule in INFO_IN_BUILD
            else replace(f, file=rel(f.file))
            for f in fr.findings
        ]
    return report
