"""Peak memory of `tei build` against the number of pages: it must not grow with the build.

Usage: python bench/build_memory_bench.py [--pages 200,1000,3000] [--jobs 1] [--pdf]
                                         [--build-args=--no-validate]

Each size is a fresh `python -m tei build SRC -o OUT --no-progress` in a child process (HTML,
validation and the index; PDFs only with --pdf, they take ~1 s a page). SRC holds N pages made
by cycling through the bundled examples and ../shared/pages (when there), each copy with a small
edit (its copy number on the last line) so that no two sources are identical. With --jobs 1
every stage runs in the measured process; peak RSS is ``ru_maxrss`` of the child (the largest
process of the build: with --jobs > 1 that is the main process or a worker).

Growth per page is the slope between the smallest and largest build: (peak(N2) - peak(N1)) /
(N2 - N1). The index page itself is O(N) (one table row per document, ~1 KB), so a few KiB a
page is the floor; anything much larger is the build holding documents.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_PAGES = REPO.parent / "shared" / "pages"


def seed_pages() -> list[Path]:
    from tei.resources import examples_dir

    pages = sorted(examples_dir().glob("*.txt"))
    if SHARED_PAGES.is_dir():
        pages += sorted(SHARED_PAGES.glob("*.txt"))
    return pages


def make_pages(folder: Path, n: int) -> None:
    """N distinct raw pages: the seeds in turn, each with its copy number on the last line."""
    seeds = [(p.stem, p.read_bytes().rstrip()) for p in seed_pages()]
    folder.mkdir(parents=True)
    for k in range(n):
        stem, data = seeds[k % len(seeds)]
        copy = k // len(seeds)
        (folder / f"{stem}-{copy:04d}.txt").write_bytes(data + f" {copy}\n".encode())


def peak_of_build(
    src: Path, out: Path, jobs: int, pdf: bool, extra: list[str]
) -> tuple[float, float, int, str]:
    """(wall s, cpu s, peak RSS KiB, last stderr line) of one build in a fresh child."""
    cmd = [sys.executable, "-m", "tei", "build", str(src), "-o", str(out), "--no-progress"]
    cmd += ["--jobs", str(jobs)] + ([] if pdf else ["--no-pdf"]) + extra
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build of {src} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("built ")]
    return wall, cpu, after.ru_maxrss, lines[-1] if lines else ""


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pages", default="200,1000,3000", help="comma-separated page counts")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--pdf", action="store_true", help="also typeset the PDFs")
    ap.add_argument(
        "--build-args", default="", help="more tei build options, e.g. '--no-validate' (a stage)"
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.pages.split(",") if s.strip()]
    print(
        f"{len(seed_pages())} seed pages; jobs {args.jobs}; PDF {'on' if args.pdf else 'off'}"
        f"{'; ' + args.build_args if args.build_args else ''}"
    )
    print(f"{'pages':>7}{'wall s':>9}{'cpu s':>9}{'ms/page':>9}{'peak MiB':>10}  result")
    rows = []
    for n in sizes:
        # One build at a time: a child's ru_maxrss is reported to RUSAGE_CHILDREN only as the
        # maximum over all children so far, so each size runs in its own grandchild-free parent.
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--_one",
                str(n),
                str(args.jobs),
                str(int(args.pdf)),
                args.build_args,
            ],  # fmt: skip
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        wall, cpu, rss, line = proc.stdout.strip().split("\t")
        rows.append((n, float(wall), float(cpu), int(rss), line))
        print(
            f"{n:>7}{float(wall):>9.1f}{float(cpu):>9.1f}{1000 * float(wall) / n:>9.0f}"
            f"{int(rss) / 1024:>10.1f}  {line}",
            flush=True,
        )
    if len(rows) >= 2:
        (n1, *_, r1, _l1), (n2, *_, r2, _l2) = rows[0], rows[-1]
        slope = (r2 - r1) / (n2 - n1)
        print(f"growth: {slope:.1f} KiB/page between {n1} and {n2} pages")
        for (a, *_, ra, _), (b, *_, rb, _) in zip(rows, rows[1:], strict=False):
            print(f"  {a} -> {b}: {(rb - ra) / (b - a):.1f} KiB/page")


def one(n: int, jobs: int, pdf: bool, extra: str) -> None:
    with tempfile.TemporaryDirectory(prefix="tei-membench-") as tmp:
        src = Path(tmp) / "src"
        make_pages(src, n)
        wall, cpu, rss, line = peak_of_build(src, Path(tmp) / "out", jobs, pdf, extra.split())
        print(f"{wall}\t{cpu}\t{rss}\t{line}")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--_one":
        one(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5])
    else:
        main()
