"""``tei validate``: check TEI files against RELAX NG, Schematron or XSD schemas."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..atomic import write_bytes_atomic
from ..errors import TeiError
from ..report import Report
from ..validate.cache import schema_cache_dir, user_cache_dir
from ..validate.formatters import FORMATS, render, summary_line
from ..validate.runner import ValidateOptions, validate_paths

EPILOG = """\
schema choice:
  1. every --schema given (.rng, .rnc, .sch/.isosch, .xsd; repeatable), else
  2. the file's <?xml-model href=... schematypens=...?> instructions, resolved OFFLINE:
     --catalog files, then the shipped catalog (tei-c.org release and Vault/4.10.2 URLs ->
     files in --schema-dir / $TEI_SCHEMA_DIR), or a relative href next to the file (the file's
     folder or its parent). Nothing is downloaded unless --fetch-schemas: then a remote href
     not found locally is fetched over HTTPS (no redirect to another scheme) once into
     %(schemas)s/<url hash>/<content hash>/ and later runs read it from there.
     A file whose schema cannot be had is not validated (exit 2, see below).
  3. else our schema/archive-edition.rng and its Schematron rules, archive-edition.sch (the
     checks tei build runs; an error if they are not installed).

XInclude: not processed by default (files are validated as they are). --xinclude expands
  local includes inside the file's folder and any --xinclude-root DIR; never the network.
  Refused targets use their xi:fallback (warning) or are reported (error).

cache: off by default. --cache DIR (or --cache alone: %(cache)s) keeps results keyed by
  file content + schema contents + options + tool version; unchanged files are not re-checked.

exit status:
  0  every file is valid (warnings allowed)
  1  at least one file is invalid, not well-formed, or unsafe (DTD/entities are refused)
  2  usage error, or an input that cannot be read (missing file, a directory where a file
     was expected, no permission), or no schema could be had for a file (1 instead with
     --missing-schema=warn); such files are never "valid": they are counted apart
     ("1 file not validated: schema not available")
""".replace("%(cache)s", str(user_cache_dir())).replace("%(schemas)s", str(schema_cache_dir()))


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "validate",
        help="validate TEI files (RELAX NG, Schematron, XSD)",
        description="Validate TEI XML files and folders (folders are searched for *.xml).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to validate")
    p.add_argument(
        "--schema",
        action="append",
        default=[],
        metavar="PATH",
        help="schema to use (repeatable); type from the extension",
    )
    p.add_argument(
        "--engine",
        choices=("derivative", "lxml", "jing"),
        default="derivative",
        help="RELAX NG engine: derivative (default, in-process, on Brzozowski derivatives "
        "as jing's), lxml (in-process, libxml2; see --rng-compile) or jing (one JVM for all "
        "files; needs java)",
    )
    p.add_argument(
        "--rng-compile",
        choices=("auto", "pruned", "quick", "full"),
        default="auto",
        help="how libxml2 compiles RELAX NG: 'auto' (the default: 'quick' below 2,000 "
        "files per job, else 'full'), 'quick' (tei_all in ~0.1 s, ~3x slower per file), "
        "'full' (8-30 s, as written), 'pruned' (experimental: cut to the element names of "
        "the documents and compiled per name set; fast on one project's files, slow on "
        "mixed corpora)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    p.add_argument(
        "--report",
        action="append",
        default=[],
        type=_report_arg,
        metavar="FORMAT:FILE",
        help="also write the report in FORMAT to FILE, from the same run (repeatable; "
        "e.g. --format github --report sarif:tei.sarif --report junit:tei.xml)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: auto, several for >= 64 files; 0 = all CPUs)",
    )
    p.add_argument(
        "--cache",
        nargs="?",
        const="",
        default=None,
        metavar="DIR",
        help="reuse results of unchanged files (DIR, or the user cache folder)",
    )
    p.add_argument(
        "--catalog",
        action="append",
        default=[],
        metavar="FILE",
        help="OASIS XML catalog for xml-model hrefs (repeatable, searched first)",
    )
    p.add_argument(
        "--schema-dir",
        metavar="DIR",
        help="folder with the TEI release schemas the shipped catalog maps to "
        "(default: $TEI_SCHEMA_DIR, else the package's schema folder)",
    )
    p.add_argument("--xinclude", action="store_true", help="expand local XIncludes first")
    p.add_argument(
        "--xinclude-root",
        action="append",
        default=[],
        metavar="DIR",
        help="also allow XInclude targets under DIR (implies --xinclude)",
    )
    p.add_argument(
        "--missing-schema",
        choices=("error", "warn"),
        default="error",
        help="a file whose schema cannot be had is not validated either way; 'error' "
        "(default) exits 2, 'warn' exits 1 (as for an invalid file)",
    )
    p.add_argument(
        "--fetch-schemas",
        action="store_true",
        help="download an xml-model schema that no catalog maps to a local file, over "
        "HTTPS only, once, into the user cache (then validate offline from it)",
    )
    p.add_argument(
        "--max-errors",
        type=int,
        default=200,
        metavar="N",
        help="show at most N findings per file, RELAX NG and Schematron together, and how "
        "many more there were (default 200; 0: no limit)",
    )
    p.add_argument("--phase", help="Schematron phase")
    p.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="text format: print only the summary line for valid runs",
    )
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(func=run)


def _report_arg(value: str) -> tuple[str, str]:
    fmt, sep, path = value.partition(":")
    if not sep or not path or fmt not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"{value!r}: expected FORMAT:FILE, FORMAT one of {', '.join(FORMATS)}"
        )
    return fmt, path


def _write(path: str, text: str) -> None:
    try:
        write_bytes_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise TeiError(f"cannot write {path}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    if args.max_errors < 0:
        raise TeiError("--max-errors must be 0 (no limit) or a positive number")
    if args.jobs is not None and args.jobs < 0:
        raise TeiError("--jobs must be 0 (all CPUs) or a positive number")
    cache = None
    if args.cache is not None:
        cache = Path(args.cache) if args.cache else user_cache_dir()
    opts = ValidateOptions(
        schemas=[Path(s) for s in args.schema],
        engine=args.engine,
        jobs=args.jobs,
        cache_dir=cache,
        xinclude=args.xinclude or bool(args.xinclude_root),
        xinclude_roots=[Path(r) for r in args.xinclude_root],
        catalogs=[Path(c) for c in args.catalog],
        schema_dir=args.schema_dir,
        phase=args.phase,
        progress=False if args.no_progress else None,
        rng_compile=args.rng_compile,
        fetch_schemas=args.fetch_schemas,
        max_errors=args.max_errors,
    )
    for root in opts.xinclude_roots:
        if not root.is_dir():
            raise TeiError(f"--xinclude-root {root}: not a folder")
    report = validate_paths(args.paths, opts)
    if not report.files:
        raise TeiError("no XML files found in the given folders")
    if args.quiet and args.format == "text" and report.valid:
        text = summary_line(report) + "\n"
    else:
        text = render(report, args.format)
    # the extra reports first: a reader of stdout that goes away must not cost them
    for fmt, path in args.report:
        _write(path, render(report, fmt))
    if args.output:
        _write(args.output, text)
        if args.format != "text":
            print(summary_line(report), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return exit_status(report, args.missing_schema)


def exit_status(report: Report, missing_schema: str = "error") -> int:
    """0 all valid, 1 some invalid, 2 some input unreadable or without a schema.

    ``missing_schema="warn"`` turns "no schema" from 2 into 1; the file is still not valid.
    """
    rules = {f.rule for fr in report.files for f in fr.findings}
    if "unreadable" in rules or ("no-schema" in rules and missing_schema != "warn"):
        return 2
    return 0 if report.valid else 1
