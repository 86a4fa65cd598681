"""CPU time of the aligner on hostile block pairs, one per signal, at growing sizes.

    python bench/align_hostile_bench.py [--sizes 50000,100000,200000] [--signals dates,...]

Each pair is made of one signal's material (repeated dates, numbers with multipliers,
invented names sharing an initial, labelled list items); ``align_blocks`` runs with the
feature caches cleared. Linear work shows as time roughly proportional to size. The reference
is the same run's smallest size (the slope), since no other tool aligns these.

Measured on 2026-12-03 (CPU s; before -> after the issue 12 item 5 fixes): ``_find_dates``
alone 50/100/200 kB 0.80/3.05/11.5 -> 0.04/0.08/0.15; names at 50 kB 63.7 -> 1.7 (500 kB:
2.5); labelled items, whole ``tei convert`` at 40 kB 116 -> 9 (profiled).
"""

from __future__ import annotations

import argparse
import random
import time

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50000,100000,200000")
    ap.add_argument("--signals", default="dates,numbers,names,labels")
    a = ap.parse_args()
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
