"""One validation report model shared by every engine and every output format.

Engines (RelaxNG, Schematron, XSD, jing, well-formedness and id checks) produce
``Finding`` objects; formatters (text, json, junit, sarif, github) consume a ``Report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Finding:
    """One message about one place in one file."""

    file: str
    line: int | None
    column: int | None
    severity: Severity
    message: str
    rule: str | None = None  # assertion @id, "rng", "wellformed", "duplicate-id", ...
    engine: str = ""  # "relaxng", "schematron", "jing", "xsd", "parser", "ids"
    xpath: str | None = None
    hint: str | None = None  # help for a human, e.g. 'did you mean "persName"?'


@dataclass
class FileReport:
    """All findings for one input file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


@dataclass
class Report:
    """The result of validating a set of files."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    def counts(self) -> dict[str, int]:
        out = {"files": len(self.files), "invalid": 0, "error": 0, "warning": 0, "info": 0}
        for fr in self.files:
            if not fr.valid:
                out["invalid"] += 1
            for f in fr.findings:
                out[f.severity] += 1
        return out
