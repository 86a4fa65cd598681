"""Benchmark ``tei validate`` engines over the shared corpora (tei_all.rng).

    python bench/validate_bench.py [EXTRA_DIR ...] [--min-files 500] [--sample 20]

Measures files/s for: ours (lxml RELAX NG in its two compiled forms, 1 and 2 worker
processes, alone and with tei_all.isosch; schema compile times reported apart), jing with one
JVM for all files, and jing with one JVM per file (on a sample, extrapolated).  Then whole
command lines as a user runs them, start-up and schema compile included: ``tei validate``
(automatic form) against ``java -jar jing.jar``, on all files and on one file (the
pre-commit case).  The corpus (~340 files) is padded to ``--min-files`` with the files of any
EXTRA_DIR (e.g. an outputs folder) and then by repeating the corpus.  Prints tables, the
ratios, and whether the verdicts of the engines are identical.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei.validate import ValidateOptions, validate_paths  # noqa: E402
from tei.validate.jing import jing_jar  # noqa: E402
from tei.validate.relaxng import get_relaxng  # noqa: E402

SHARED = ROOT.parent / "shared"


def corpus(extra: list[Path], minimum: int) -> tuple[list[Path], int]:
    base = sorted((SHARED / "corpora").rglob("*.xml"))
    for d in extra:
        base += sorted(d.rglob("*.xml")) if d.is_dir() else [d]
    unique = len(base)
    files = list(base)
    while len(files) < minimum and base:
        files += base[: minimum - len(files)]
    return files, unique


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("extra", nargs="*", type=Path, help="more folders/files to include")
    ap.add_argument("--min-files", type=int, default=500)
    ap.add_argument("--sample", type=int, default=20, help="files for jing one-JVM-per-file")
    ap.add_argument("--schema", type=Path, default=SHARED / "tei" / "tei_all.rng")
    args = ap.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    files, unique = corpus(args.extra, args.min_files)
    with tempfile.TemporaryDirectory(prefix="tei-bench-") as tmp:
        return run(replicate(files, unique, Path(tmp)), unique, args)


def run(files: list[Path], unique: int, args: argparse.Namespace) -> int:
    n = len(files)
    print(f"{n} files ({unique} distinct), schema {args.schema.name}, {os.cpu_count()} CPUs")

    compile_s = {}
    for form in ("quick", "full"):
        t = time.perf_counter()
        v = get_relaxng(args.schema)
        v.use(form)
        v.prepare()
        compile_s[form] = time.perf_counter() - t

    rows: list[tuple[str, float, float]] = []  # name, seconds, files/s
    verdicts: dict[str, list[bool]] = {}

    for jobs in (1, 2):
        opts = ValidateOptions(schemas=[args.schema], jobs=jobs, progress=False, rng_compile="full")
        t = time.perf_counter()
        rep = _validate_all(files, opts)
        s = time.perf_counter() - t
        rows.append((f"ours lxml, {jobs} job{'s' if jobs > 1 else ''}", s, n / s))
        verdicts[f"lxml{jobs}"] = rep
    opts = ValidateOptions(schemas=[args.schema], jobs=1, progress=False, rng_compile="quick")
    t = time.perf_counter()
    verdicts["quick"] = _validate_all(files, opts)
    s = time.perf_counter() - t
    rows.append(("ours lxml, quick form, 1 job", s, n / s))

    sch = args.schema.with_suffix(".isosch")
    if sch.is_file():  # RelaxNG + TEI's own Schematron constraints, as a journal would run them
        for jobs in (1, 2):
            opts = ValidateOptions(
                schemas=[args.schema, sch], jobs=jobs, progress=False, rng_compile="full"
            )
            t = time.perf_counter()
            _validate_all(files, opts)
            s = time.perf_counter() - t
            label = f"ours lxml + {sch.name}, {jobs} job" + ("s" if jobs > 1 else "")
            rows.append((label, s, n / s))
    with tempfile.TemporaryDirectory(prefix="tei-bench-cache-") as cache:
        opts = ValidateOptions(schemas=[args.schema], jobs=1, progress=False, cache_dir=Path(cache))
        _validate_all(files, opts)  # fills the content-hash cache
        t = time.perf_counter()
        _validate_all(files, opts)
        s = time.perf_counter() - t
        rows.append(("ours, re-run over unchanged files (--cache)", s, n / s))

    t = time.perf_counter()
    rep = _validate_all(
        files, ValidateOptions(schemas=[args.schema], engine="jing", progress=False)
    )
    s = time.perf_counter() - t
    rows.append(("jing, one JVM for all files", s, n / s))
    verdicts["jing"] = rep

    sample = files[:: max(1, len(files) // args.sample)][: args.sample]
    t = time.perf_counter()
    for f in sample:
        subprocess.run(
            ["java", "-jar", jing_jar(), "-i", str(args.schema), str(f)],
            capture_output=True,
            check=False,
        )
    s = time.perf_counter() - t
    per_file = s / len(sample)
    rows.append(
        (f"jing, one JVM per file (x{len(sample)}, extrapolated)", per_file * n, 1 / per_file)
    )

    print(
        f"\nschema compile (lxml, once per process, not in the rates): "
        f"full form {compile_s['full']:.1f} s, quick form {compile_s['quick']:.1f} s\n"
    )
    w = max(len(r[0]) for r in rows)
    print(f"{'engine':<{w}}  {'seconds':>8}  {'files/s':>8}  {'vs jing-all':>11}")
    jing_rate = next(r for name, _, r in rows if name.startswith("jing, one JVM for all"))
    for name, s, rate in rows:
        print(f"{name:<{w}}  {s:8.2f}  {rate:8.1f}  {rate / jing_rate:10.2f}x")
    same = verdicts["lxml1"] == verdicts["jing"] == verdicts["lxml2"] == verdicts["quick"]
    n_valid = sum(verdicts["lxml1"])
    print(
        f"\nverdicts identical (lxml full 1 and 2 jobs, quick, jing): {'yes' if same else 'NO'} "
        f"({n_valid} valid, {n - n_valid} invalid)"
    )
    if not same:
        diff = [
            str(f)
            for f, a, b in zip(files, verdicts["lxml1"], verdicts["jing"], strict=True)
            if a != b
        ]
        print("disagreements:", *diff[:20], sep="\n  ")
    command_lines(files, args.schema)
    return 0


def command_lines(files: list[Path], schema: Path) -> None:
    """Whole runs as a user types them: interpreter/JVM start-up and schema compile included."""
    tei = [sys.executable, "-m", "tei.cli", "validate", "--no-progress", "--schema", str(schema)]
    jing = ["java", "-jar", jing_jar(), str(schema)]
    print("\ncommand lines (start-up and compile included)")
    print(f"{'run':<34}{'tei validate':>13}{'jing':>9}{'ratio':>8}")
    for label, batch in ((f"{len(files)} files", files), ("1 file (pre-commit)", files[:1])):
        ours = _wall(tei + [str(f) for f in batch])
        theirs = _wall(jing + [str(f) for f in batch])
        print(f"{label:<34}{ours:>12.2f}s{theirs:>8.2f}s{theirs / ours:>7.2f}x")


def _wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT)
    return time.perf_counter() - t


def _validate_all(files: list[Path], opts: ValidateOptions) -> list[bool]:
    return [fr.valid for fr in validate_paths(files, opts).files]


def replicate(files: list[Path], unique: int, tmp: Path) -> list[Path]:
    """Repeated files are copied (validate_paths de-duplicates identical paths)."""
    out = list(files[:unique])
    for i, f in enumerate(files[unique:]):
        rel = f.relative_to(SHARED) if f.is_relative_to(SHARED) else Path(f.name)
        target = tmp / f"copy{i // unique}" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.read_bytes())
        out.append(target)
    return out


if __name__ == "__main__":
    sys.exit(main())
