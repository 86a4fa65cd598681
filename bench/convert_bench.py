"""Conversion throughput: raw pages -> TEI bytes, per stage, on 1 and 2 processes.

Run: ``python bench/convert_bench.py [--rounds N] [--corpus bundled|all]``. ``bundled``: the
examples (the seeds) plus the test variant pages; ``all`` (default) adds our layout pages
(tests/data/pages/layouts) and the real document pages of ../shared/pages when present. Times are
CPU seconds of this process (``time.process_time``: other load on the machine does not count);
the 2-process line is wall time. For scale it also times, in the same run, what a user would
otherwise pay per document for the reference step every pipeline has anyway: lxml parsing and
tei_all RelaxNG validation of the produced TEI (when ../shared/tei/tei_all.rng is present).
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
BUNDLED = sorted((ROOT / "examples").glob("*.txt")) + sorted(
    (ROOT / "tests/data/pages").glob("*.txt")
)
REAL = ROOT.parent / "shared" / "pages"
RNG = ROOT.parent / "shared" / "tei" / "tei_all.rng"


def real_document_pages() -> list[Path]:
    """The real pages whose gold says ``document`` (listings are another reader's)."""
    import json

    out = []
    for p in sorted(REAL.glob("wilson_*.txt")):
        gold = REAL / "expected" / f"{p.stem}.json"
        if (
            gold.is_file()
            and json.loads(gold.read_text(encoding="utf-8")).get("kind") == "document"
        ):
            out.append(p)
    return out


PAGES = BUNDLED


def convert(path: Path, align: bool) -> bytes:
    model = read_page(path.read_bytes(), str(path))
    return serialize(to_tree(model, ConvertOptions(align=align)))


def _work(args: tuple[list[str], bool]) -> int:
    paths, align = args
    return sum(len(convert(Path(p), align)) for p in paths)


def timed(fn, *args) -> float:
    """CPU seconds of this process spent in ``fn``."""
    t = time.process_time()
    fn(*args)
    return time.process_time() - t


def walled(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--corpus", choices=("bundled", "all"), default="all")
    a = ap.parse_args()
    global PAGES
    if a.corpus == "all":
        PAGES = BUNDLED + sorted((ROOT / "tests/data/pages/layouts").glob("*.txt"))
        PAGES += real_document_pages()
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
        t_par = walled(lambda: list(ex.map(_work, [(h, aligned) for h in half])))
    print(f"{n} pages ({len(PAGES)} distinct x {a.rounds}; corpus {a.corpus}); CPU seconds")
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
