"""First-error agreement with jing on mutated corpus files (used by a test and by bench/).

Both engines validate the same files on disk against tei_all; per invalid file we compare
the first error each reports: its message, and its line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from _mutations import mutate
from lxml import etree

from tei.report import Report
from tei.validate import ValidateOptions, validate_paths
from tei.xmlsafe import parse_file


def write_mutated(seeds: list[Path], out: Path, n: int, seed: int) -> list[Path]:
    """``n`` mutated copies of randomly chosen ``seeds`` under ``out`` (deterministic)."""
    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        src = rnd.choice(seeds)
        tree = mutate(parse_file(src), rnd)
        f = out / f"{i:05d}-{src.stem}.xml"
        f.write_bytes(etree.tostring(tree, encoding="utf-8", xml_declaration=True))
        files.append(f)
    return files


@dataclass
class Agreement:
    invalid: int = 0  # files both engines find invalid
    verdict_diff: list[str] = field(default_factory=list)
    same_message: int = 0  # first error: same message
    same_line: int = 0  # first error: same line
    same_both: int = 0
    same_sets: int = 0  # same set of messages
    examples: list[str] = field(default_factory=list)

    def summary(self) -> str:
        n = max(self.invalid, 1)
        return (
            f"{self.invalid} invalid files: first error same message {self.same_message} "
            f"({100 * self.same_message / n:.1f} %), same line {self.same_line} "
            f"({100 * self.same_line / n:.1f} %), both {self.same_both} "
            f"({100 * self.same_both / n:.1f} %); same message sets {self.same_sets} "
            f"({100 * self.same_sets / n:.1f} %); verdicts differ on {len(self.verdict_diff)}"
        )


def rng_errors(fr) -> list:
    return [f for f in fr.findings if f.rule == "rng" and f.severity == "error"]


def compare(ours: Report, jing: Report) -> Agreement:
    a = Agreement()
    for o, j in zip(ours.files, jing.files, strict=True):
        oe, je = rng_errors(o), rng_errors(j)
        if bool(oe) != bool(je):
            a.verdict_diff.append(o.path)
            continue
        if not oe:
            continue
        a.invalid += 1
        msg = oe[0].message == je[0].message
        line = oe[0].line == je[0].line
        a.same_message += msg
        a.same_line += line
        a.same_both += msg and line
        a.same_sets += {f.message for f in oe} == {f.message for f in je}
        if not msg and len(a.examples) < 40:
            a.examples.append(
                f"{Path(o.path).name}\n  ours {oe[0].line}: {oe[0].message[:160]}\n"
                f"  jing {je[0].line}: {je[0].message[:160]}"
            )
    return a


def measure(
    files: list[Path], schema: Path, jobs: int = 1, engine: str | None = None
) -> tuple[Agreement, Report, Report]:
    opts = ValidateOptions(schemas=[schema], jobs=jobs, progress=False)
    if engine is not None:
        opts.engine = engine
    ours = validate_paths(files, opts)
    jing = validate_paths(
        files, ValidateOptions(schemas=[schema], engine="jing", jobs=jobs, progress=False)
    )
    return compare(ours, jing), ours, jing
