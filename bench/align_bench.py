"""Benchmark of the block aligner against hand-made gold, with both baselines, in one run.

    python bench/align_bench.py [--calibrate] [--iospe N] [--verbose]

Prints per-page precision/recall/F1 (pairs implied by the groups; see tei.align.evaluate) for
the aligner, the position-only baseline and the length-only Gale-Church baseline, first on the
seed pages (the constants were tuned on these), then on the held-out constructed pages (never
used for tuning). Then the time to align a ~100-block pair, and the group shapes found in
a few IOSPE inscriptions. Needs ../shared (the seed pages and IOSPE corpus).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei.align import Aligner  # noqa: E402
from tei.align.baselines import gale_church_baseline, position_baseline  # noqa: E402
from tei.align.evaluate import Scores, micro, score  # noqa: E402
from tei.align.model import AlignBlock  # noqa: E402
from tei.align.signals import content_length  # noqa: E402


def load_support():
    """The test-side splitter and gold loader (tests/test_align_support.py)."""
    path = ROOT / "tests" / "test_align_support.py"
    spec = importlib.util.spec_from_file_location("align_support", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["align_support"] = mod
    spec.loader.exec_module(mod)
    return mod


SYSTEMS = {
    "aligner": lambda o, t: Aligner().align(o, t),
    "position": position_baseline,
    "gale-church": gale_church_baseline,
}


def evaluate(pages) -> dict[str, dict[str, Scores]]:
    """{page name: {system: Scores}} for every (page, gold) pair."""
    out: dict[str, dict[str, Scores]] = {}
    for page, gold in pages:
        out[page.name] = {name: score(f(page.orig, page.trans), gold)
                          for name, f in SYSTEMS.items()}
    return out


def print_table(title: str, results: dict[str, dict[str, Scores]]) -> None:
    print(f"\n== {title}")
    print(f"{'page':24} " + "  ".join(f"{s:>20}" for s in SYSTEMS))
    for name, row in results.items():
        print(f"{name[:24]:24} " + "  ".join(
            f"{r.precision:.3f}/{r.recall:.3f}/{r.f1:.3f}" for r in row.values()))
    tot = {s: micro(row[s] for row in results.values()) for s in SYSTEMS}
    print(f"{'micro (P/R/F1)':24} " + "  ".join(
        f"{r.precision:.3f}/{r.recall:.3f}/{r.f1:.3f}" for r in tot.values()))


def timing(pages, repeat: int = 5) -> tuple[int, int, float]:
    """Best-of-``repeat`` ms to align the seed pages' blocks concatenated into one pair.

    The three seed pages together are a real, alignable pair of about 100 blocks a side
    (112 original, 91 translation blocks).
    """
    o = [AlignBlock(f"o{i}", b.text, b.kind, b.label)
         for i, b in enumerate(b for p, _ in pages for b in p.orig)]
    t = [AlignBlock(f"t{i}", b.text, b.kind, b.label)
         for i, b in enumerate(b for p, _ in pages for b in p.trans)]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        Aligner().align(o, t)
        best = min(best, time.perf_counter() - start)
    return len(o), len(t), best * 1000


def calibrate(pages) -> None:
    """Length ratio and variance of the 1:1 gold groups (how LENGTH_RATIO/VARIANCE were set)."""
    pairs = []
    for page, gold in pages:
        length = {b.id: content_length(b.text) for b in (*page.orig, *page.trans)}
        pairs += [(length[g.orig[0]], length[g.trans[0]]) for g in gold
                  if len(g.orig) == len(g.trans) == 1 and length[g.orig[0]] >= 20]
    c = sum(b for _, b in pairs) / sum(a for a, _ in pairs)
    s2 = statistics.mean((b - c * a) ** 2 / a for a, b in pairs)
    print(f"\n== length calibration on {len(pairs)} 1:1 gold pairs: ratio {c:.3f}, "
          f"variance {s2:.3f}")


def iospe(limit: int) -> None:
    from tei.align.tei_io import align_tree
    from tei.errors import TeiError
    from tei.xmlsafe import parse_file

    corpus = ROOT.parent / "shared" / "corpora" / "iospe"
    files = sorted(corpus.glob("*.xml"))
    multi = []
    shapes: Counter[str] = Counter()
    done = 0
    for f in files:
        try:
            result = align_tree(parse_file(f), path=f.name)
        except TeiError:
            continue
        done += 1
        shapes.update(g.shape for g in result.groups)
        if len(result.groups) > 1 and len(multi) < limit:
            multi.append((f.name, result))
    print(f"\n== IOSPE: {done} files aligned; group shapes {dict(shapes.most_common())}")
    for name, result in multi:
        desc = " ".join(f"{g.shape}({g.score:.2f})" for g in result.groups)
        print(f"  {name:14} ru {len(result.orig):2} / en {len(result.trans):2} blocks: {desc}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibrate", action="store_true", help="print the length calibration")
    ap.add_argument("--iospe", type=int, default=8, metavar="N",
                    help="show N multi-block IOSPE files (default 8)")
    args = ap.parse_args(argv)
    support = load_support()
    all_pages = support.gold_pages()
    seeds = [(p, g) for p, g, s in all_pages if s == "seed"]
    held = [(p, g) for p, g, s in all_pages if s == "heldout"]
    if not seeds:
        print("shared seeds not found", file=sys.stderr)
        return 1
    print_table("seed pages (constants tuned here)", evaluate(seeds))
    print_table("held-out constructed pages (never tuned on)", evaluate(held))
    if args.calibrate:
        calibrate(seeds)
    n, m, ms = timing(seeds)
    print(f"\n== timing: {n} x {m} blocks (seed pages concatenated) aligned in {ms:.1f} ms "
          "(best of 5; target < 50 ms for a 100-block pair)")
    iospe(args.iospe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
