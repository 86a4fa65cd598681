"""CPU time of the aligner on hostile block pairs, one per signal, at growing sizes.

    python bench/align_hostile_bench.py [--sizes 50000,100000,200000] [--signals dates,...]

Each pair is made of one signal's material (repeated dates, numbers with multipliers,
invented names sharing an initial, labelled list items); ``align_blocks`` runs with the
feature caches cleared. Linear work shows as time roughly proportional to size. The reference
is the same run's smallest size (the slope), since no other tool aligns these.

Measured on 2026-12-03 (CPU s; before -> after the issue 12 item 5 fixes): ``_find_dates``
alone 50/100/200 kB 0.80/3.05/11.5 -> 0.04/0.08/0.15; names at 50 kB 63.7 -> 1.7 (500 kB:
2.5); labelled items, whole ``tei convert`` at 40 kB 116 -> 9 (profiled).

``--pages`` times ``tei convert`` (alignment on) of the four pages at the 1 MB limit that
tests/hostile/test_hostile_align.py builds, each in a child process: CPU (user + system of the
child) and wall seconds, and the child's peak memory.

Measured on 2026-12-04 (shared 2-core machine, load 7-9: wall is 2-3x CPU), before -> after
the issue 12 speed work (branch ``sec``); CPU = user + system of the child:

=========  ==============================  ==============================
page       before: CPU / wall / peak       after: CPU / wall / peak
=========  ==============================  ==============================
labels     55.8 s / 102.2 s / 832 MB       31.4 s / 82.9 s / 442 MB
names      5.3 s / 8.8 s / 96 MB           4.8 s / 12.6 s / 97 MB
dates      4.7 s / 7.2 s / 80 MB           4.0 s / 10.4 s / 78 MB
numbers    2.9 s / 4.7 s / 58 MB           2.9 s / 7.0 s / 57 MB
=========  ==============================  ==============================

(Before: ``/usr/bin/time tei convert`` at d318941; after: ``--pages``.) Labels page, stages
(CPU): reading 10.5 -> 7.4 s, alignment 44.7 -> ~19 s (block reading 4.1 -> 2.3, bead costs
17.5 -> 8.3, forward sweeps 6.4 -> 2.4). Whole hostile suite (``pytest -q tests/hostile``):
191 s CPU / 700 s wall -> 122 s CPU / 355 s wall on this loaded machine.
Alignment output of all four pages is byte-identical before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tei.align import AlignBlock, align_blocks, signals


def _names(rng: random.Random, n: int, ru: bool) -> list[str]:
    if ru:
        return [
            "Ка" + "".join(rng.choice("бвгдклмнпрст") + rng.choice("аоуеи") for _ in range(4))
            for _ in range(n)
        ]
    return [
        "Ka" + "".join(rng.choice("bvgdklmnprst") + rng.choice("aoue") for _ in range(4))
        for _ in range(n)
    ]


def pair(kind: str, size: int) -> tuple[list[AlignBlock], list[AlignBlock]]:
    """One signal's hostile block pair of about ``size`` characters a side."""
    if kind == "dates":
        o, t = "с 1 октября 1935 г. ", "from 1 October 1935 "
        return [AlignBlock("o1", o * (size // len(o)))], [AlignBlock("t1", t * (size // len(t)))]
    if kind == "numbers":
        o, t = "10.286 тысяч рублей, ", "10,286 thousand roubles, "
        return [AlignBlock("o1", o * (size // len(o)))], [AlignBlock("t1", t * (size // len(t)))]
    if kind == "names":
        rng = random.Random(1)
        k = size // 12
        return (
            [AlignBlock("o1", "и " + " и ".join(_names(rng, k, True)))],
            [AlignBlock("t1", "and " + " and ".join(_names(rng, k, False)))],
        )
    if kind == "labels":
        k = size // 20
        return (
            [AlignBlock(f"o{i}", f"{'абвгд'[i % 5]}) слово {i}.") for i in range(k)],
            [AlignBlock(f"t{i}", f"{'abcde'[i % 5]}) word {i}.") for i in range(k)],
        )
    raise ValueError(kind)


def convert_pages(kinds: list[str]) -> None:
    """``tei convert`` of each hostile page at the 1 MB limit, in a child process."""
    hostile = Path(__file__).resolve().parents[1] / "tests" / "hostile"
    sys.path.insert(0, str(hostile))
    from test_hostile_align import hostile_page  # the suite's own page builder

    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            src = Path(tmp) / f"{kind}.txt"
            src.write_text(hostile_page(kind), encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tei",
                    "convert",
                    str(src),
                    "-o",
                    str(src.with_suffix(".xml")),
                ],
                check=True,
                capture_output=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            size = src.stat().st_size
            print(
                f"{kind:8} {size:>8} bytes  tei convert {cpu:6.2f} s CPU {wall:6.2f} s wall  "
                f"peak {after.ru_maxrss // 1024} MB (largest child so far)",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50000,100000,200000")
    ap.add_argument("--signals", default="dates,numbers,names,labels")
    ap.add_argument(
        "--pages", action="store_true", help="time tei convert of the hostile pages at the limit"
    )
    a = ap.parse_args()
    if a.pages:
        convert_pages(a.signals.split(","))
        return
    sizes = [int(x) for x in a.sizes.split(",")]
    for kind in a.signals.split(","):
        base = None
        for size in sizes:
            orig, trans = pair(kind, size)
            signals.clear_caches()
            t0 = time.process_time()
            align_blocks(orig, trans)
            cpu = time.process_time() - t0
            base = base or (cpu / size if cpu else None)
            ratio = f"{cpu / (base * size):.2f}x linear" if base else ""
            print(f"{kind:8} {size:>8} chars/side  {cpu:7.2f} s CPU  {ratio}", flush=True)


if __name__ == "__main__":
    main()
