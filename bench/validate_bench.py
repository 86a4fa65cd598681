"""Benchmark ``tei validate`` against jing (one JVM) on real files, tei_all.rng, in one run.

    python bench/validate_bench.py [--sizes 1,500,2000] [--repeat 3] [--engine derivative]

Whole command lines as a user runs them (interpreter/JVM start-up and schema compile
included), wall time, alternating runs (ours, jing, ours, jing, ...), median of ``--repeat``:

- ``tei validate --schema tei_all.rng FILES`` with ``--jobs 1`` and ``--jobs 2`` against
  ``java -jar jing.jar tei_all.rng FILES`` (one JVM for all files), on 1, 500 and 2,000 real
  files (the shared corpora, padded by copies);
- big files: each corpus file of 1 MB or more, and a ``listBibl`` of 2,805 ``bibl`` built from
  a real one (issue 15), one command per file.

Ours is timed after one warm-up run (the compiled schema is then in the user cache, as on any
machine after its first run; the cold compile is reported apart), and once more per size
with an empty user cache each time (a new machine, as a CI runner without a kept cache).
Prints the ratios (jing time / ours: > 1 means faster than jing), CPU seconds, and whether
the verdicts of both are identical file by file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei.ns import TEI_NS, XML_ID  # noqa: E402
from tei.validate.jing import jing_jar  # noqa: E402

SHARED = ROOT.parent / "shared"
BIG = 1 << 20
LIST_BIBL = 2805


def corpus() -> list[Path]:
    """The shared corpus files that are well-formed XML: jing stops a whole batch at the
    first file it cannot parse (tei validate reports such a file and goes on)."""
    from tei.errors import TeiError
    from tei.xmlsafe import parse_file

    out = []
    for f in sorted((SHARED / "corpora").rglob("*.xml")):
        try:
            parse_file(f)
        except TeiError:
            continue
        out.append(f)
    return out


def padded(files: list[Path], n: int, tmp: Path) -> list[Path]:
    """``n`` files: the corpus files in order, then copies (so every path is distinct)."""
    out = list(files[:n])
    i = 0
    while len(out) < n:
        f = files[i % len(files)]
        target = tmp / f"copy{i // len(files)}" / f.relative_to(SHARED)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        out.append(target)
        i += 1
    return out


def long_list_bibl(tmp: Path) -> Path | None:
    """A real TEI file whose first ``listBibl`` is filled to 2,805 ``bibl`` copied from it."""
    src = SHARED / "corpora" / "xval" / "files" / "frus-history" / "monograph" / "frus-history.xml"
    if not src.is_file():
        return None
    tree = etree.parse(str(src))
    lists = tree.getroot().findall(f".//{{{TEI_NS}}}listBibl")
    target = next((lb for lb in lists if lb.findall(f"{{{TEI_NS}}}bibl")), None)
    if target is None:
        return None
    bibls = target.findall(f"{{{TEI_NS}}}bibl")
    last = bibls[-1]
    i = 0
    while len(target.findall(f"{{{TEI_NS}}}bibl")) < LIST_BIBL:
        copy = etree.fromstring(etree.tostring(bibls[i % len(bibls)]))
        for el in copy.iter():
            el.attrib.pop(XML_ID, None)
        last.addnext(copy)
        last = copy
        i += 1
    out = tmp / "listbibl-2805.xml"
    tree.write(str(out), encoding="utf-8", xml_declaration=True)
    return out


def ours_cmd(schema: Path, files: list[Path], jobs: int, engine: str, report: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tei.cli",
        "validate",
        "--no-progress",
        "--engine",
        engine,
        "--jobs",
        str(jobs),
        "--max-errors",
        "0",
        "--format",
        "json",
        "-o",
        str(report),
        "--schema",
        str(schema),
        *map(str, files),
    ]


def jing_cmd(schema: Path, files: list[Path]) -> list[str]:
    # -i: no ID checks (tei validate reports duplicate ids apart, as --engine jing does)
    return ["java", "-jar", jing_jar(), "-i", str(schema), *map(str, files)]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user+sys of the command) and its output."""
    before = os.times()
    t = time.perf_counter()
    # outside the checkout: `python -m tei.cli` must import the installed package (with its
    # schemas), not the source tree
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, cwd=tempfile.gettempdir(), env=env
    )
    wall = time.perf_counter() - t
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, proc.stdout + proc.stderr


def ours_verdicts(report: Path) -> dict[str, bool]:
    data = json.loads(report.read_text())
    return {
        str(Path(f["path"]).resolve()): f.get("status") == "valid" for f in data.get("files", [])
    }


_JING_LINE = re.compile(r"^(.*?):-?\d+:-?\d+: (?:error|fatal):", re.M)


def jing_verdicts(out: str, files: list[Path]) -> dict[str, bool]:
    bad = {str(Path(m.group(1).removeprefix("file:")).resolve()) for m in _JING_LINE.finditer(out)}
    return {str(f.resolve()): str(f.resolve()) not in bad for f in files}


def first_invalid(
    files: list[Path], args: argparse.Namespace, env: dict[str, str], tmp: Path
) -> Path | None:
    """The first of ``files`` that ``tei validate`` finds invalid (jing's verdict on it is
    compared in :func:`measure` like any other)."""
    report = tmp / "pick.json"
    timed(ours_cmd(args.schema, files, 1, args.engine, report), env)
    verdicts = ours_verdicts(report)
    return next((f for f in files if verdicts.get(str(f.resolve())) is False), None)


class Row:
    def __init__(self, label: str):
        self.label = label
        self.ours: list[tuple[float, float]] = []
        self.jing: list[tuple[float, float]] = []
        self.same = True
        self.n_invalid = 0

    def line(self) -> str:
        ow = statistics.median(w for w, _ in self.ours)
        jw = statistics.median(w for w, _ in self.jing)
        oc = statistics.median(c for _, c in self.ours)
        jc = statistics.median(c for _, c in self.jing)
        return (
            f"{self.label:<34}{ow:>9.2f}s{jw:>9.2f}s{jw / ow:>8.2f}x"
            f"{oc:>9.2f}s{jc:>9.2f}s{jc / oc:>8.2f}x  {'yes' if self.same else 'NO'}"
        )


def measure(
    label: str,
    files: list[Path],
    schema: Path,
    jobs: int,
    args: argparse.Namespace,
    env: dict[str, str],
    tmp: Path,
    empty_cache: bool = False,
) -> Row:
    """One row; with ``empty_cache`` each of our runs starts from an empty user cache (a
    new machine: tei_all compiled, the diagnosis model built and learnt in that run)."""
    row = Row(label)
    report = tmp / "report.json"
    for i in range(args.repeat):  # alternating: ours, jing, ours, jing, ...
        report.unlink(missing_ok=True)
        ours_env = dict(env, TEI_CACHE_DIR=str(tmp / f"empty{i}")) if empty_cache else env
        wall, cpu, out = timed(ours_cmd(schema, files, jobs, args.engine, report), ours_env)
        row.ours.append((wall, cpu))
        if not report.is_file():
            raise SystemExit(f"tei validate wrote no report: {out[-500:]}")
        mine = ours_verdicts(report)
        wall, cpu, out = timed(jing_cmd(schema, files), env)
        row.jing.append((wall, cpu))
        theirs = jing_verdicts(out, files)
        keys = [str(f.resolve()) for f in files]
        if [mine.get(k) for k in keys] != [theirs.get(k) for k in keys]:
            row.same = False
            diff = [k for k in keys if mine.get(k) != theirs.get(k)]
            print(f"  {label}: verdicts differ on {len(diff)}: {diff[:5]}", file=sys.stderr)
        row.n_invalid = sum(not theirs[k] for k in keys)
    print(row.line(), flush=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,500,2000", help="numbers of files (comma-separated)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating runs per measurement")
    ap.add_argument("--engine", default="derivative", help="our RELAX NG engine")
    ap.add_argument("--schema", type=Path, default=SHARED / "tei" / "tei_all.rng")
    ap.add_argument("--no-big", action="store_true", help="skip the big-file rows")
    args = ap.parse_args()
    if not args.schema.is_file():
        print(f"schema not found: {args.schema}", file=sys.stderr)
        return 2
    base = corpus()
    with tempfile.TemporaryDirectory(prefix="tei-bench-") as t:
        tmp = Path(t)
        env = dict(os.environ, TEI_CACHE_DIR=str(tmp / "cache"))
        cold, _, _ = timed(
            ours_cmd(args.schema, base[:1], 1, args.engine, tmp / "r.json"), env
        )  # compiles tei_all and saves it in the (fresh) user cache
        warm, _, _ = timed(ours_cmd(args.schema, base[:1], 1, args.engine, tmp / "r.json"), env)
        print(
            f"{len(base)} distinct well-formed corpus files, schema {args.schema.name}, "
            f"engine {args.engine}, {os.cpu_count()} CPUs, "
            f"median of {args.repeat} alternating runs; "
            f"first run ever (cold compile) {cold:.2f} s, then {warm:.2f} s"
        )
        head = f"{'run':<34}{'ours':>10}{'jing':>10}{'ratio':>9}"
        print(f"\n{head}{'ours CPU':>10}{'jing CPU':>10}{'ratio':>9}  same verdicts")
        print(f"{'':<34}{'(wall)':>10}{'(wall)':>10}{'':>9}{'(u+s)':>10}{'(u+s)':>10}")
        rows = []
        for n in (int(x) for x in args.sizes.split(",")):
            files = padded(base, n, tmp / "pad")
            for jobs in (1, 2) if n > 1 else (1,):
                label = f"{n} file{'s' if n > 1 else ''}, --jobs {jobs}"
                rows.append(measure(label, files, args.schema, jobs, args, env, tmp))
            if n > 1:
                label = f"{n} files, --jobs 2, empty cache"
                rows.append(measure(label, files, args.schema, 2, args, env, tmp, True))
            if n == 1:  # and one that is diagnosed (the first file above may be valid)
                bad = first_invalid(base[:50], args, env, tmp)
                if bad is not None:
                    label = f"1 invalid file ({bad.stat().st_size // 1024} KB)"
                    rows.append(measure(label, [bad], args.schema, 1, args, env, tmp))
        if not args.no_big:
            big = [f for f in base if f.stat().st_size >= BIG]
            extra = long_list_bibl(tmp)
            for f in big + ([extra] if extra else []):
                mb = f.stat().st_size / BIG
                label = f"{f.name[:24]} ({mb:.1f} MB)"
                rows.append(measure(label, [f], args.schema, 1, args, env, tmp))
        same = all(r.same for r in rows)
        print(f"\nverdicts identical to jing's in every run: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
