"""Conversion throughput: raw pages -> TEI bytes, per stage, on 1 and 2 processes.

Run: ``python bench/convert_bench.py [--rounds N]``. The pages are the bundled examples plus the
test variant pages. For scale it also times, in the same run, what a user would otherwise pay per
document for the reference step every pipeline has anyway: lxml parsing and tei_all RelaxNG
validation of the produced TEI (when ../shared/tei/tei_all.rng is present).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lxml import etree

from tei.converters import read_page
from tei.pipeline import ConvertOptions, to_tree
from tei.writer import serialize

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "examples").glob("*.txt")) + sorted(
    (ROOT / "tests/data/pages").glob("*.txt")
)
RNG = ROOT.parent / "shared" / "tei" / "tei_all.rng"


def convert(path: Path, align: bool) -> bytes:
    model = read_page(path.read_bytes(), str(path))
    return serialize(to_tree(model, ConvertOptions(align=align)))


def _work(args: tuple[list[str], bool]) -> int:
    paths, align = args
    return sum(len(convert(Path(p), align)) for p in paths)


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    a = ap.parse_args()
    corpus = PAGES * a.rounds
    n = len(corpus)
    datas = [p.read_bytes() for p in corpus]
    t_read = timed(lambda: [read_page(d, str(p)) for d, p in zip(datas, corpus, strict=True)])
    models = [read_page(d, str(p)) for d, p in zip(datas, corpus, strict=True)]
    t_write = timed(lambda: [serialize(to_tree(m, ConvertOptions(align=False))) for m in models])
    try:
        t_full = timed(lambda: [convert(p, True) for p in corpus])
        aligned = True
    except ImportError:
        t_full, aligned = t_read + t_write, False
    half = [[str(p) for p in corpus[i::2]] for i in range(2)]
    with ProcessPoolExecutor(2) as ex:
        list(ex.map(_work, [([str(PAGES[0])], False)] * 2))  # warm the workers
        t_par = timed(lambda: list(ex.map(_work, [(h, aligned) for h in half])))
    print(f"{n} pages ({len(PAGES)} distinct x {a.rounds})")
    print(f"{'stage':34} {'seconds':>8} {'docs/s':>8}")
    print(f"{'read (text -> model)':34} {t_read:8.3f} {n / t_read:8.0f}")
    print(f"{'write (model -> TEI bytes)':34} {t_write:8.3f} {n / t_write:8.0f}")
    print(f"{'full convert' + (' + align' if aligned else ''):34} {t_full:8.3f} {n / t_full:8.0f}")
    print(f"{'full convert, 2 processes':34} {t_par:8.3f} {n / t_par:8.0f}")
    if RNG.exists():
        outs = [convert(p, aligned) for p in PAGES] * a.rounds
        t_parse = timed(lambda: [etree.fromstring(o) for o in outs])
        rng = etree.RelaxNG(etree.parse(str(RNG)))
        trees = [etree.ElementTree(etree.fromstring(o)) for o in outs]
        t_val = timed(lambda: [rng.validate(t) for t in trees])
        ok = sum(rng.validate(t) for t in trees[: len(PAGES)])
        print(f"{'reference: lxml parse of the TEI':34} {t_parse:8.3f} {n / t_parse:8.0f}")
        print(f"{'reference: tei_all RelaxNG (lxml)':34} {t_val:8.3f} {n / t_val:8.0f}")
        print(f"tei_all valid: {ok}/{len(PAGES)} distinct outputs")


if __name__ == "__main__":
    main()
