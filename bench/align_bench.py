"""Benchmark of the block aligner on the converter's output, with both baselines, in one run.

    python bench/align_bench.py [--calibrate] [--iospe N] [--verbose]

Every page is converted exactly as ``tei convert --no-align`` does, its blocks are read as
``tei align`` reads them (tei.align.tei_io.read_pieces) and the hand-made gold is carried over
onto the converter's block ids (tests/test_align_support.py explains how). Printed:

* per-page precision/recall/F1 over the pairs implied by the groups (tei.align.evaluate) for the
  aligner, the position-only baseline and the length-only Gale-Church baseline: first the three
  seed pages (000, 003, 004; the constants were calibrated on these), then the held-out pages
  (tests/data/align_gold/heldout/; never used to set anything);
* the time to align a real ~100-block pair: the three seed pages' blocks concatenated per side
  (103 x 96 blocks), best of 5, with the per-text feature caches cleared before every run
  ("cold"; "warm" repeats the same texts, as when re-aligning one document);
* with ``--calibrate``: the length model and the evidence of the anchor signals estimated on the
  seed gold (how LENGTH_RATIO/LENGTH_VARIANCE and the hit/miss constants were set);
* the group shapes found in a few IOSPE inscriptions (needs ../shared/corpora/iospe).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
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
from tei.align.signals import (  # noqa: E402
    CognateScorer,
    DateScorer,
    NameScorer,
    NumberScorer,
    clear_caches,
    content_length,
)


def load_support():
    """The test-side splitter, converter runner and gold mapping (tests/test_align_support.py)."""
    path = ROOT / "tests" / "test_align_support.py"
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # for its `from _shared import SHARED`
    if "align_support" in sys.modules:
        return sys.modules["align_support"]
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
    """{page name: {system: Scores}} for every converted page with its mapped gold."""
    return {
        page.name: {name: score(page.align(f), page.gold) for name, f in SYSTEMS.items()}
        for page in pages
    }


def print_table(title: str, results: dict[str, dict[str, Scores]]) -> dict[str, Scores]:
    print(f"\n== {title}")
    print(f"{'page (P/R/F1)':24} " + "  ".join(f"{s:>20}" for s in SYSTEMS))
    for name, row in results.items():
        print(
            f"{name[:24]:24} "
            + "  ".join(f"{r.precision:.3f}/{r.recall:.3f}/{r.f1:.3f}" for r in row.values())
        )
    tot = {s: micro(row[s] for row in results.values()) for s in SYSTEMS}
    print(
        f"{'micro':24} "
        + "  ".join(f"{r.precision:.3f}/{r.recall:.3f}/{r.f1:.3f}" for r in tot.values())
    )
    return tot


def timing_pair(pages) -> tuple[list[AlignBlock], list[AlignBlock]]:
    """The seed pages' converter blocks concatenated per side: a real, alignable pair."""
    o = [
        AlignBlock(f"o{i}", b.text, b.kind, b.label)
        for i, b in enumerate(b for p in pages for b in p.orig)
    ]
    t = [
        AlignBlock(f"t{i}", b.text, b.kind, b.label)
        for i, b in enumerate(b for p in pages for b in p.trans)
    ]
    return o, t


def timing(o: list[AlignBlock], t: list[AlignBlock], repeat: int = 5, cold: bool = True) -> float:
    """Best-of-``repeat`` milliseconds to align ``o`` with ``t``."""
    best = float("inf")
    for _ in range(repeat):
        if cold:
            clear_caches()
        start = time.perf_counter()
        Aligner().align(o, t)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _neighbour_pairs(page) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Gold 1:1 pairs and the confusable non-gold pairs next to them (1-3 blocks off)."""
    io = {b.id: k for k, b in enumerate(page.orig)}
    it = {b.id: k for k, b in enumerate(page.trans)}
    gold = [(io[g.orig[0]], it[g.trans[0]]) for g in page.gold if len(g.orig) == len(g.trans) == 1]
    linked = {(io[a], it[b]) for g in page.gold for a in g.orig for b in g.trans}
    near = {(i + d, j) for i, j in gold for d in (-3, -2, -1, 1, 2, 3)}
    near |= {(i, j + d) for i, j in gold for d in (-3, -2, -1, 1, 2, 3)}
    near = {
        (i, j)
        for i, j in near
        if 0 <= i < len(page.orig) and 0 <= j < len(page.trans) and (i, j) not in linked
    }
    return gold, sorted(near)


def calibrate(pages) -> None:
    """Estimate the length model and the anchor signals' evidence on the seed gold.

    Length: ratio and per-character variance of the 1:1 gold groups (Gale-Church). Anchor
    signals: per key (a number, date, name, cognate stem) the log-likelihood ratio of being
    matched / left unmatched in a gold 1:1 pair versus a confusable neighbouring pair; ``hit``
    is per matched pair of keys (two keys), ``miss`` per unmatched key (add-one smoothing).
    """
    pairs = []
    for page in pages:
        length = {b.id: content_length(b.text) for b in (*page.orig, *page.trans)}
        pairs += [
            (length[g.orig[0]], length[g.trans[0]])
            for g in page.gold
            if len(g.orig) == len(g.trans) == 1 and length[g.orig[0]] >= 20
        ]
    c = sum(b for _, b in pairs) / sum(a for a, _ in pairs)
    s2 = statistics.mean((b - c * a) ** 2 / a for a, b in pairs)
    print(
        f"\n== calibration on the seed gold\nlength: {len(pairs)} 1:1 pairs, ratio {c:.3f}, "
        f"variance {s2:.3f}"
    )
    for scorer in (NumberScorer(), DateScorer(), NameScorer(), CognateScorer()):
        counts = {"gold": [0, 0], "near": [0, 0]}  # [matched keys, unmatched keys]
        for page in pages:
            p = scorer.prepare(page.orig, page.trans)
            gold, near = _neighbour_pairs(page)
            for label, items in (("gold", gold), ("near", near)):
                for i, j in items:
                    matched, total = _key_counts(p, i, j)
                    counts[label][0] += 2 * matched
                    counts[label][1] += total - 2 * matched
        (gm, gu), (nm, nu) = counts["gold"], counts["near"]
        pg_m, pn_m = (gm + 1) / (gm + gu + 2), (nm + 1) / (nm + nu + 2)
        hit = 2 * math.log(pg_m / pn_m)
        miss = -math.log((1 - pg_m) / (1 - pn_m))
        print(
            f"{scorer.name:9} keys matched/unmatched: gold {gm}/{gu}, neighbours {nm}/{nu} "
            f"-> hit {hit:.2f} per match, miss {miss:.2f} per unmatched key"
        )


def _key_counts(p, i: int, j: int) -> tuple[int, int]:
    """(matched pairs of keys, all keys) of the 1:1 bead (i, j) for a prepared scorer."""
    if hasattr(p, "lo") and hasattr(p, "no"):  # FeatureScorer
        ca, cb = p.lo[i], p.lt[j]
        matched = sum(min(v, cb.get(k, 0)) for k, v in ca.items())
        return matched, (p.no[i + 1] - p.no[i]) + (p.nt[j + 1] - p.nt[j])
    a, b = list(p.do[i]), list(p.dt[j])  # DateScorer
    total, matched = len(a) + len(b), 0
    from tei.align.signals import dates_compatible

    for d in a:
        for q, e in enumerate(b):
            if dates_compatible(d, e):
                matched += 1
                del b[q]
                break
    return matched, total


def iospe(limit: int) -> None:
    from tei.align.tei_io import align_tree
    from tei.errors import TeiError
    from tei.xmlsafe import parse_file

    corpus = ROOT.parent / "shared" / "corpora" / "iospe"
    files = sorted(corpus.glob("*.xml"))
    if not files:
        return
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
    ap.add_argument(
        "--calibrate",
        action="store_true",
        help="print the calibration of the length model and anchor signals",
    )
    ap.add_argument(
        "--iospe",
        type=int,
        default=8,
        metavar="N",
        help="show N multi-block IOSPE files (default 8; 0: skip)",
    )
    ap.add_argument(
        "--verbose", action="store_true", help="list the aligner's groups that are not in the gold"
    )
    args = ap.parse_args(argv)
    support = load_support()
    pages = support.converted_pages()
    seeds = [p for p, s in pages if s == "seed"]
    held = [p for p, s in pages if s == "heldout"]
    if not seeds:
        print("seed pages not found", file=sys.stderr)
        return 1
    print("Converter output (tei convert --no-align), gold mapped onto its block ids.")
    for p in seeds + held:
        if p.dropped:
            print(
                f"  {p.name}: letter-less splitter blocks the converter did not make blocks: "
                f"{p.dropped}"
            )
    print_table("seed pages 000/003/004 (constants calibrated here)", evaluate(seeds))
    print_table(
        f"held-out pages {', '.join(p.name for p in held)} (never tuned on)", evaluate(held)
    )
    if args.verbose:
        for page in seeds + held:
            gold = {(g.orig, g.trans) for g in page.gold}
            text = {b.id: b.text for b in (*page.orig, *page.trans)}
            for g in page.align(SYSTEMS["aligner"]):
                if (g.orig, g.trans) not in gold:
                    o = " / ".join(text[i][:30] for i in g.orig) or "-"
                    t = " / ".join(text[i][:30] for i in g.trans) or "-"
                    print(f"  {page.name[:12]} {g.shape:>4} {g.score:.2f}  {o}  ||  {t}")
    if args.calibrate:
        calibrate(seeds)
    o, t = timing_pair(seeds)
    cold, warm = timing(o, t), timing(o, t, cold=False)
    print(
        f"\n== timing: {len(o)} x {len(t)} blocks (seed pages concatenated) aligned in "
        f"{cold:.1f} ms cold, {warm:.1f} ms warm (best of 5; target < 50 ms)"
    )
    if args.iospe:
        iospe(args.iospe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
