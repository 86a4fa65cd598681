"""Validate many files: schema choice, parsing, id check, engines, cache, worker processes."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lxml import etree

from ..errors import InputError, TeiError
from ..ns import RNG_NS, XI_NS
from ..report import FileReport, Finding, Report
from ..xmlsafe import XmlContentError, parse_bytes, read_input
from .cache import ResultCache, file_digest, result_key, user_cache_dir
from .catalog import SchemaChooser, SchemaRef, package_schema_dir
from .compiled import SchemaError
from .ids import duplicate_ids
from .positions import Positions

# What only some runs need is imported where it is used, so that ``tei validate one.xml``
# with the default engine loads neither libxml2's RELAX NG engine and its diagnosis model,
# nor jing's and trang's wrappers, XInclude, XSD, the schema fetcher (urllib, ssl) or
# multiprocessing (tests/test_validate_speed.py holds it to that).
if TYPE_CHECKING:
    from tei.schematron import SchematronValidator

    from .fetch import SchemaFetcher

# Rules whose presence makes the exit code 2 (input could not be read / nothing to check with).
USAGE_RULES = frozenset({"unreadable", "no-schema"})
AUTO_JOBS_MIN_FILES = 64
OWN_DUPLICATE_RULE = "ids-unique"  # schema/sch/ids.sch: the built-in duplicate-id check
# Below this many files per worker, the quick RELAX NG form (fast compile, slower validation)
# finishes first; measured on tei_all over the corpora: 8 s of compile saved, ~4 ms per file
# lost (break-even ~2,000 files per worker).
QUICK_MAX_FILES_PER_JOB = 2000
ENGINES = ("lxml", "derivative", "jing")


class Validator(Protocol):
    def validate(
        self, tree: etree._ElementTree, label: str, positions: Positions
    ) -> list[Finding]: ...

    def prepare(self) -> None: ...


@dataclass
class ValidateOptions:
    """Everything ``tei validate`` can be told; the defaults match the CLI's."""

    schemas: list[Path] = field(default_factory=list)
    engine: str = "derivative"  # "derivative" (our own), "lxml" (libxml2) or "jing"
    jobs: int | None = None  # None: auto (several workers for >= 64 files), 0: all CPUs
    cache_dir: Path | None = None  # None: no result cache
    xinclude: bool = False
    xinclude_roots: list[Path] = field(default_factory=list)
    catalogs: list[Path] = field(default_factory=list)
    schema_dir: str | None = None
    phase: str | None = None
    progress: bool | None = None  # None: only when stderr is a terminal
    default_schema: Path | None = None
    rng_compile: str = "auto"  # "auto", "quick", "full" or "pruned" (opt-in); see rng_form
    fetch_schemas: bool = False  # download remote xml-model schemas once into the user cache
    max_errors: int = 200  # findings shown per file (all engines together); 0: no limit

    def signature(self) -> str:
        return (
            f"{self.engine}|xi={self.xinclude}:{sorted(map(str, self.xinclude_roots))}|"
            f"phase={self.phase}"
        )


class _SchematronAdapter:
    """Adapts the colleague's SchematronValidator to our validator protocol."""

    def __init__(self, inner: SchematronValidator):
        self.inner = inner

    def prepare(self) -> None:
        pass

    def validate(self, tree: etree._ElementTree, label: str, positions: Positions) -> list[Finding]:
        found = self.inner.validate_tree(tree, label)
        named: _Named = {}  # shared by the findings: one scan per wide parent, not one each
        return [_with_column(f, tree, positions, named) for f in found]


_XSTEP = re.compile(
    r"/(?:(?P<attr>@)?(?:Q\{[^}]*\}|[\w.-]+:)?(?P<local>[\w.-]+)(?:\[(?P<n>\d+)\])?)"
)


_Named = dict[tuple[etree._Element, str], list[etree._Element]]


def _with_column(
    f: Finding, tree: etree._ElementTree, positions: Positions, named: _Named | None = None
) -> Finding:
    """A Schematron finding placed like a RELAX NG one: line and column of the start tag (or
    of the attribute) its location path names; unchanged when the path cannot be followed."""
    if f.column is not None or not f.xpath or not f.xpath.startswith("/"):
        return f
    node: etree._Element | None = None
    attr: str | None = None
    pos = 0
    for m in _XSTEP.finditer(f.xpath):
        if m.start() != pos or attr is not None:
            return f
        pos = m.end()
        local, n = m.group("local"), int(m.group("n") or 1)
        if m.group("attr"):
            attr = local
            continue
        if node is None:
            same = [r for r in [tree.getroot()] if etree.QName(r).localname == local]
        else:
            key = (node, local)
            hit = named.get(key) if named is not None else None
            if hit is None:
                hit = [
                    c for c in node.iterchildren(etree.Element) if etree.QName(c).localname == local
                ]
                if named is not None:
                    named[key] = hit
            same = hit
        if n > len(same):
            return f
        node = same[n - 1]
    if node is None or pos != len(f.xpath):
        return f
    if attr is not None:
        clark = next((a for a in node.attrib if etree.QName(a).localname == attr), None)
        from .rng.diagnose import attr_qname

        line, col = positions.attribute(node, attr_qname(node, clark)) if clark else (None, None)
    else:
        line, col = positions.element(node)
    if not line or not col:
        return f
    return dataclasses.replace(f, line=line, column=col)


def schematron_available() -> bool:
    try:
        import tei.schematron  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- inputs


def collect_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and ``*.xml`` under folders named (sorted, hidden folders skipped)."""
    out: list[Path] = []
    seen: set[object] = set()  # (device, inode): a file named twice, or through a link, once
    for raw in paths:
        p = Path(raw)
        try:
            st = os.stat(p)
        except OSError:
            st = None
        if st is None or not stat.S_ISDIR(st.st_mode):
            _add(p, st, seen, out)
            continue
        for f in sorted(
            f
            for f in p.rglob("*.xml")
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
        ):
            try:
                _add(f, f.stat(), seen, out)
            except OSError:
                _add(f, None, seen, out)
    return out


def _add(f: Path, st: os.stat_result | None, seen: set[object], out: list[Path]) -> None:
    key: object = f if st is None else (st.st_dev, st.st_ino)
    if key not in seen:
        seen.add(key)
        out.append(f)


# --------------------------------------------------------------------------- per-process state


@dataclass
class _State:
    opts: ValidateOptions
    chooser: SchemaChooser
    validators: dict[SchemaRef, Validator | None]
    skipped: dict[SchemaRef, str]
    tmp: Path | None = None
    rng_form: str = "full"
    refrozen: bool = False  # gc.freeze() again after the first diagnosis (see _check)


_STATE: _State | None = None


def _work_dir(opts: ValidateOptions) -> Path:
    return opts.cache_dir or user_cache_dir()


def _compile(ref: SchemaRef, st: _State) -> None:
    if ref in st.validators:
        return
    opts = st.opts
    v: Validator | None = None
    try:
        if ref.kind == "rng":
            v = _rng_validator(ref.path, opts.engine)
            if opts.engine == "jing":
                if not ref.path.is_file():
                    raise SchemaError(f"schema not found: {ref.path}")
                from .rng.load import check_schema_files

                check_schema_files(ref.path)  # jing parses the schema itself: vet it first
        elif ref.kind == "rnc":
            from .rnc import rnc_to_rng

            rng = rnc_to_rng(ref.path, _work_dir(opts))
            v = _rng_validator(rng, opts.engine)
        elif ref.kind == "xsd":
            from .xsd import get_xsd

            v = get_xsd(ref.path)
        elif ref.kind in ("sch", "sch-in-rng"):
            if not schematron_available():
                st.skipped[ref] = "the Schematron engine (tei.schematron) is not installed"
            else:
                v = _schematron(ref, opts.phase)
    except SchemaError:
        raise
    if v is not None:
        if opts.engine == "lxml":
            from .relaxng import RelaxNGValidator

            if isinstance(v, RelaxNGValidator):
                v.use(st.rng_form)
        v.prepare()
    st.validators[ref] = v


def _rng_validator(path: Path, engine: str) -> Validator | None:
    """The in-process RELAX NG validator of ``engine`` (None for jing, run apart)."""
    if engine == "derivative":
        from .rng.derivative import get_derivative

        return get_derivative(path)
    if engine == "lxml":
        from .relaxng import get_relaxng

        return get_relaxng(path)
    return None


def _digest(ref: SchemaRef) -> str:
    digest = f"{ref.kind}:{file_digest(ref.path)}"
    if ref.kind in ("sch", "sch-in-rng"):
        digest += _read_files_digest(ref.path)
    return digest


_FOLDER_DIGESTS: dict[str, str] = {}


def _read_files_digest(schema: Path) -> str:
    """Schematron may read the files of its folder (``tei.schematron.reads``): a schema that
    calls doc()/document() keys its results on their names, sizes and times too."""
    text = schema.read_bytes()
    if b"doc(" not in text and b"document(" not in text and b"doc-available(" not in text:
        return ""
    folder = schema.resolve().parent
    hit = _FOLDER_DIGESTS.get(str(folder))
    if hit is None:
        h = hashlib.sha256()
        for f in sorted(folder.rglob("*")):
            with contextlib.suppress(OSError):
                st = f.stat()
                h.update(f"{f.relative_to(folder)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        hit = _FOLDER_DIGESTS[str(folder)] = ":" + h.hexdigest()
    return hit


def _key(data: bytes, refs: list[SchemaRef], opts: ValidateOptions) -> str:
    return result_key(data, [_digest(r) for r in refs], opts.signature())


def _schematron(ref: SchemaRef, phase: str | None) -> Validator:
    from tei.schematron import SchematronValidator

    source: object = ref.path
    try:
        if ref.kind == "sch-in-rng":
            from tei.schematron.embedded import extract_from_rng

            source = extract_from_rng(ref.path)  # a tree, compiled without a temporary file
        return _SchematronAdapter(SchematronValidator(source, phase=phase))
    except TeiError:
        raise
    except Exception as exc:  # keep the CLI traceback-free whatever the compiler raises
        raise SchemaError(f"cannot compile Schematron {ref.path}: {exc}") from None


# --------------------------------------------------------------------------- one file


@dataclass
class _Result:
    report: FileReport
    key: str | None = None
    jing: list[tuple[SchemaRef, str]] = field(default_factory=list)  # (schema, file to give jing)
    cached: bool = False


def _check(path: Path) -> _Result:
    st = _STATE
    assert st is not None
    label = str(path)
    fr = FileReport(label)
    try:
        data = read_input(path)
    except InputError as exc:
        fr.findings.append(
            Finding(
                label,
                None,
                None,
                "error",
                str(exc).removeprefix(f"{label}: "),
                "unreadable",
                "parser",
            )
        )
        return _Result(fr)
    refs, notes = st.chooser.choose(path, data)
    for sev, msg in notes:
        if sev == "no-schema":
            fr.findings.append(Finding(label, None, None, "error", msg, "no-schema", "catalog"))
        else:
            fr.findings.append(
                Finding(label, None, None, "warning", msg, "schema-unresolved", "catalog")
            )
    for ref in refs:
        _compile(ref, st)  # normally done by the parent already
        if ref in st.skipped:
            fr.findings.append(
                Finding(
                    label,
                    None,
                    None,
                    "info",
                    f"{ref.path.name} not checked: {st.skipped[ref]}",
                    "schema-skipped",
                    "catalog",
                )
            )
    fr.schemas = [str(r.path) for r in refs]
    key = _key(data, refs, st.opts) if st.opts.cache_dir is not None else None
    try:
        tree = parse_bytes(data, path=label)
    except XmlContentError as exc:
        msg = str(exc).removeprefix(f"{label}: ")
        if exc.line:
            msg = re.sub(r" at line \d+, column \d+:", ":", msg, count=1)
        fr.findings.append(
            Finding(label, exc.line, exc.column, "error", msg, "wellformed", "parser")
        )
        return _Result(fr, key)
    positions = Positions(data, tree)
    fr.findings.extend(duplicate_ids(tree, label, positions))
    duplicates = any(f.rule == "duplicate-id" for f in fr.findings)
    if st.opts.xinclude and tree.getroot().find(f".//{{{XI_NS}}}include") is not None:
        from .xinclude import process_xincludes

        fr.findings.extend(process_xincludes(tree, path, st.opts.xinclude_roots, label))
        positions = Positions(data, tree, exact=False)
    result = _Result(fr, key)
    for ref in refs:
        if ref in st.skipped:
            continue
        if st.opts.engine == "jing" and ref.kind in ("rng", "rnc"):
            target = str(path)
            if not positions.exact:  # jing must see the expanded document
                assert st.tmp is not None
                fd, target = tempfile.mkstemp(suffix=".xml", dir=st.tmp)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(etree.tostring(tree, encoding="utf-8", xml_declaration=True))
            result.jing.append((ref, target))
            continue
        v = st.validators[ref]
        if v is not None:
            found = v.validate(tree, label, positions)
            if duplicates and ref.kind == "sch" and _ours(ref):
                # our ids-unique rule says what the built-in check said: one message is enough
                found = [f for f in found if f.rule != OWN_DUPLICATE_RULE]
            fr.findings.extend(found)
    if fr.findings and not st.refrozen and gc.get_freeze_count():
        # the first invalid file loaded the diagnosis model: out of the collector's way too
        gc.freeze()
        st.refrozen = True
    return result


def _ours(ref: SchemaRef) -> bool:
    return ref.path.is_relative_to(package_schema_dir().resolve())


# --------------------------------------------------------------------------- many files


def _sort(fr: FileReport) -> None:
    fr.findings.sort(key=lambda f: (f.line or 0, f.column or 0))  # stable: keeps engine order


class _Progress:
    def __init__(self, total: int, enabled: bool | None):
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.done = 0

    def step(self, n: int = 1) -> None:
        if n <= 0:
            return
        self.done += n
        tens = self.done // 10 != (self.done - n) // 10
        if self.enabled and (self.done == self.total or tens):
            width = 30
            filled = width * self.done // max(self.total, 1)
            sys.stderr.write(
                f"\rvalidating [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
            )
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def rng_form(choice: str, n_files: int, jobs: int) -> str:
    """The RELAX NG form to compile: as asked, or by the amount of work for ``auto``."""
    if choice in ("quick", "full", "pruned"):
        return choice
    if choice != "auto":
        raise TeiError(f"unknown --rng-compile {choice!r} (use auto, pruned, quick or full)")
    # "pruned" is faster on one-project batches but was measured far slower on a mixed
    # third-party corpus (481 xval files: > 9 min CPU against 14.8 s quick): opt-in only.
    return "quick" if n_files < QUICK_MAX_FILES_PER_JOB * max(1, jobs) else "full"


def _jobs(opts: ValidateOptions, n: int) -> int:
    cpus = os.cpu_count() or 1
    if opts.jobs is None:
        return min(cpus, 8) if n >= AUTO_JOBS_MIN_FILES else 1
    if opts.jobs <= 0:
        return cpus
    return opts.jobs


def validate_paths(
    paths: Sequence[str | os.PathLike[str]], opts: ValidateOptions | None = None
) -> Report:
    """Validate files and folders; the returned Report has one FileReport per input file."""
    global _STATE
    opts = opts or ValidateOptions()
    if opts.engine not in ENGINES:
        raise TeiError(f"unknown engine {opts.engine!r} (use {', '.join(ENGINES)})")
    files = collect_inputs(paths)
    _FOLDER_DIGESTS.clear()  # the files a schema may read are looked at once per run
    chooser = SchemaChooser(
        explicit=list(opts.schemas),
        catalogs=list(opts.catalogs),
        schema_dir_opt=opts.schema_dir,
        default_schema=opts.default_schema,
        fetcher=_fetcher() if opts.fetch_schemas else None,
    )
    st = _State(opts, chooser, {}, {})
    _STATE = st
    done: dict[int, _Result] = {}
    todo: list[tuple[int, Path]] = []
    needed: list[SchemaRef] = []
    cache = ResultCache(opts.cache_dir) if opts.cache_dir is not None else None
    explicit_only = cache is None and bool(chooser.explicit)
    if explicit_only and files:  # every file gets the named schemas: nothing to read here
        todo = list(enumerate(files))
        needed = list(dict.fromkeys(chooser.explicit))
    for i, f in enumerate([] if explicit_only else files):
        try:
            if not f.is_file():  # pipes, devices, folders: _check reports them without reading
                raise IsADirectoryError(str(f))
            if cache is not None:
                data = f.read_bytes()
            else:
                with f.open("rb") as fh:
                    data = fh.read(1 << 16)
        except OSError:
            todo.append((i, f))  # _check reports it
            continue
        refs, _ = chooser.choose(f, data)
        if cache is not None:
            key = _key(data, refs, opts)
            hit = cache.get(key, str(f))
            if hit is not None:
                done[i] = _Result(FileReport(str(f), hit[0], hit[1]), key, cached=True)
                continue
        todo.append((i, f))
        needed.extend(r for r in refs if r not in needed)
    # Compile the schemas still needed here, before forking, so that workers share them
    # (a fully cached run compiles nothing).
    st.rng_form = rng_form(opts.rng_compile, len(todo), _jobs(opts, len(todo)))
    for ref in needed:
        _compile(ref, st)
    with (
        tempfile.TemporaryDirectory(prefix="tei-validate-")
        if opts.engine == "jing"  # for the XInclude-expanded copies jing is given
        else contextlib.nullcontext(None)
    ) as tmp:
        st.tmp = Path(tmp) if tmp is not None else None
        fresh = _run([f for _, f in todo], opts)
        _finish_jing(fresh, opts)
    for (i, _), r in zip(todo, fresh, strict=True):
        done[i] = r
    results = [done[i] for i in range(len(files))]
    if cache is not None:
        for r in results:
            if r.key and not r.cached and not any(f.rule in USAGE_RULES for f in r.report.findings):
                cache.put(r.key, r.report.findings, r.report.schemas)
    report = Report()
    for r in results:
        _sort(r.report)
        _cap(r.report, opts.max_errors)
        report.files.append(r.report)
    return report


def _cap(fr: FileReport, limit: int) -> None:
    """Keep the first ``limit`` findings of a file and say how many more there were."""
    if limit <= 0 or len(fr.findings) <= limit:
        return
    hidden = fr.findings[limit:]
    errors = sum(f.severity == "error" for f in hidden)
    fr.findings = fr.findings[:limit]
    fr.findings.append(
        Finding(
            fr.path,
            None,
            None,
            "error" if errors else "info",
            f"{len(hidden)} more findings not shown ({errors} errors); "
            f"--max-errors {limit} (0: no limit)",
            "max-errors",
            "tei",
        )
    )


def _run(files: list[Path], opts: ValidateOptions) -> list[_Result]:
    jobs = _jobs(opts, len(files))
    progress = _Progress(len(files), opts.progress)
    results: list[_Result] = []
    # The compiled schemas are long-lived: kept out of the collector's way (and, after a fork,
    # shared without the collector's writes copying their pages into each worker).
    threshold = gc.get_threshold()
    outer = gc.get_freeze_count()  # objects a caller froze stay frozen after the run
    gc.freeze()
    gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    try:
        if jobs > 1 and len(files) > 1 and _can_fork():
            from .workers import map_forked

            results = map_forked(_check, files, min(jobs, len(files)), _sizes(files), progress.step)
        else:
            for f in files:
                results.append(_check(f))
                progress.step()
    finally:
        gc.set_threshold(*threshold)
        if not outer:
            gc.unfreeze()
        progress.close()
    return results


def run_jing(schema: Path, files: list[Path], labels: dict[str, str]) -> dict[str, list[Finding]]:
    """``--engine jing``'s one JVM for ``files`` (:func:`tei.validate.jing.run_jing`)."""
    from .jing import run_jing as run

    return run(schema, files, labels)


def _fetcher() -> SchemaFetcher:
    from .fetch import SchemaFetcher

    return SchemaFetcher()


def _can_fork() -> bool:
    return hasattr(os, "fork")


def _sizes(files: list[Path]) -> list[int]:
    """Bytes of each file, to share the work out evenly (0 for one that cannot be read)."""
    out = []
    for f in files:
        try:
            out.append(f.stat().st_size)
        except OSError:
            out.append(0)
    return out


def _finish_jing(results: list[_Result], opts: ValidateOptions) -> None:
    if opts.engine != "jing":
        return
    from .rnc import rnc_to_rng

    by_schema: dict[Path, list[tuple[_Result, str]]] = {}
    converted: dict[SchemaRef, Path] = {}  # one trang lookup per schema, not per file
    for r in results:
        for ref, target in r.jing:
            if ref not in converted:
                converted[ref] = (
                    rnc_to_rng(ref.path, _work_dir(opts)) if ref.kind == "rnc" else ref.path
                )
            by_schema.setdefault(converted[ref], []).append((r, target))
    from .rng.diagnose import hint_from_message

    for schema, items in by_schema.items():
        labels = {target: r.report.path for r, target in items}
        found = run_jing(schema, [Path(t) for _, t in items], labels)
        names = _SchemaNames(schema)
        for r, _target in items:
            for f in found.get(r.report.path, []):
                hint = f.hint or hint_from_message(f.message, names)
                r.report.findings.append(dataclasses.replace(f, hint=hint))


class _SchemaNames:
    """Every element name a RELAX NG schema (and what it includes) defines, read on first call."""

    def __init__(self, schema: Path):
        self.schema = schema
        self._names: list[str] | None = None

    def __call__(self) -> list[str]:
        if self._names is None:
            self._names = sorted(_element_names(self.schema, set()))
        return self._names


def _element_names(path: Path, seen: set[Path]) -> set[str]:
    from .rng.load import local_href

    path = path.resolve()
    if path in seen:
        return set()
    seen.add(path)
    try:
        root = parse_bytes(read_input(path), path=str(path)).getroot()
    except TeiError:
        return set()
    out: set[str] = set()
    for el in root.iter(f"{{{RNG_NS}}}element"):
        name = el.get("name")
        if name is None:
            first = el.find(f"{{{RNG_NS}}}name")
            name = first.text if first is not None else None
        if name:
            out.add(name.strip().rpartition(":")[2])
    for inc in root.iter(f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef"):
        with contextlib.suppress(TeiError):
            out |= _element_names(local_href(inc.get("href", ""), path), seen)
    return out
