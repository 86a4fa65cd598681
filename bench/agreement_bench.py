"""Differential run against jing over every real file of ``../shared`` and mutated copies.

    python bench/agreement_bench.py [EXTRA_DIR ...] [--mutated 2000] [--seed 11]

The bigger sibling of ``tests/test_validate_xval.py`` (issue 15): all ``*.xml`` of
``../shared/corpora`` (the edition corpora and the 478 third-party xval files), any EXTRA_DIR,
and ``--mutated`` mutated copies of the edition files (``tests/_mutations.py``), validated
against tei_all by our engine and by jing (one JVM).  Prints, per set: files, verdict
differences, and over the files both find invalid: first error same message, same line, our
messages within jing's less folded knock-on "incomplete", identical message sets.  Exit 1 if
any verdict differs.  Speed is not measured here (``bench/validate_bench.py``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from _shared import SHARED, edition_corpus_files  # noqa: E402

from tei.validate import ValidateOptions, validate_paths  # noqa: E402

_INCOMPLETE = re.compile(r'element "[^"]+" incomplete')


def _errors(fr) -> list:
    return [f for f in fr.findings if f.rule == "rng" and f.severity == "error"]


def compare(name: str, files: list[Path], schema: Path) -> bool:
    opts = {"schemas": [schema], "progress": False, "max_errors": 0}
    ours = validate_paths(files, ValidateOptions(**opts))  # type: ignore[arg-type]
    jing = validate_paths(files, ValidateOptions(engine="jing", **opts))  # type: ignore[arg-type]
    differ = invalid = msg = line = within = same = 0
    for a, b in zip(ours.files, jing.files, strict=True):
        if a.valid != b.valid:
            differ += 1
            print(f"  verdict differs: {a.path}")
            continue
        oe, je = _errors(a), _errors(b)
        if not (oe and je):
            continue
        invalid += 1
        msg += oe[0].message == je[0].message
        line += oe[0].line == je[0].line
        mine, theirs = {f.message for f in oe}, {f.message for f in je}
        same += mine == theirs
        within += mine <= theirs and all(_INCOMPLETE.match(m) for m in theirs - mine)
    n = max(invalid, 1)
    print(
        f"{name}: {len(files)} files, verdicts differ on {differ}; {invalid} invalid: first "
        f"error same message {msg} ({100 * msg / n:.1f} %), same line {line} "
        f"({100 * line / n:.1f} %); within jing's {within} ({100 * within / n:.1f} %); "
        f"identical sets {same} ({100 * same / n:.1f} %)"
    )
    return differ == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("extra", nargs="*", type=Path)
    ap.add_argument("--mutated", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--schema", type=Path, default=SHARED / "tei" / "tei_all.rng")
    args = ap.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    real = sorted(f for f in (SHARED / "corpora").rglob("*.xml"))
    for d in args.extra:
        real += sorted(d.rglob("*.xml")) if d.is_dir() else [d]
    ok = compare("real files", real, args.schema)
    if args.mutated:
        from _agreement import write_mutated

        with tempfile.TemporaryDirectory(prefix="tei-agree-") as tmp:
            mutated = write_mutated(edition_corpus_files(), Path(tmp), args.mutated, args.seed)
            ok = compare("mutated edition files", mutated, args.schema) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
