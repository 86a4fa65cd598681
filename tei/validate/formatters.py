"""Output formats for a validation :class:`~tei.report.Report`.

text    compiler style ``file:line:col: error: message [rule]`` (a hint follows on a ``note:``
        line, like gcc's) and a summary line
json    one object: ``summary`` and ``files`` (each with its findings)
junit   JUnit XML, one testcase per file (CI dashboards)
sarif   SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)
github  GitHub Actions workflow commands (``::error file=...,line=...,col=...::message``)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields

from lxml import etree

from .. import __version__
from ..report import FileReport, Finding, Report

FORMATS = ("text", "json", "junit", "sarif", "github")

_quote = json.encoder.encode_basestring  # in C; what ensure_ascii=False writes


def dumps(obj: object) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, the same text, ~2x faster: with an
    indent the standard library encodes in Python, a big report in ~0.3 s."""
    out: list[str] = []
    _dump(obj, "\n", out)
    return "".join(out)


def _dump(obj: object, nl: str, out: list[str]) -> None:
    if type(obj) is Finding:  # most of a report: one template, not a dict per finding
        out.append(_finding(obj, nl))
    elif isinstance(obj, str):
        out.append(_quote(obj))
    elif obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, dict):
        if not obj:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"JSON keys are strings here, not {type(k).__name__}")
            out.append(sep)
            out.append(_quote(k))
            out.append(": ")
            _dump(v, inner, out)
            sep = "," + inner
        out.append(nl + "}")
    elif isinstance(obj, list | tuple):
        if not obj:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in obj:
            out.append(sep)
            _dump(v, inner, out)
            sep = "," + inner
        out.append(nl + "]")
    else:  # floats and anything else: as the standard library writes them
        out.append(json.dumps(obj, ensure_ascii=False))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


NOT_VALIDATED_RULES = ("no-schema", "unreadable")


def _status(fr: FileReport) -> str:
    """``valid``, ``invalid`` or ``not-validated`` (no schema could be had, or unreadable)."""
    if _not_validated(fr):
        return "not-validated"
    return "valid" if fr.valid else "invalid"


def _not_validated(fr: FileReport) -> list[Finding]:
    """The findings that say why a file was not validated at all (empty if it was)."""
    return [f for f in fr.findings if f.rule in NOT_VALIDATED_RULES]


def summary_line(report: Report) -> str:
    """One line: files checked and their verdict, then files that were not validated at all.

    A file whose schema could not be had, or that could not be read, was not checked: it is
    counted apart and never among the valid ones.
    """
    c = report.counts()
    no_schema = sum(any(f.rule == "no-schema" for f in fr.findings) for fr in report.files)
    unreadable = sum(
        any(f.rule == "unreadable" for f in fr.findings)
        and not any(f.rule == "no-schema" for f in fr.findings)
        for fr in report.files
    )
    checked = c["files"] - no_schema - unreadable
    invalid = c["invalid"] - no_schema - unreadable
    verdict = "all valid" if invalid == 0 else f"{invalid} invalid"
    head = f"{_plural(checked, 'file')} checked, {verdict}" if checked else "no file validated"
    line = f"{head}: {_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}"
    if no_schema:
        line += f"; {_plural(no_schema, 'file')} not validated: schema not available"
    if unreadable:
        line += f"; {_plural(unreadable, 'file')} not validated: unreadable"
    return line


def _where(f: Finding) -> str:
    parts = [f.file]
    if f.line:
        parts.append(str(f.line))
        if f.column:
            parts.append(str(f.column))
    return ":".join(parts)


def _full(f: Finding) -> str:
    """The message with its hint, for formats that have one text per finding."""
    return f"{f.message} ({f.hint})" if f.hint else f.message


def format_text(report: Report) -> str:
    lines = []
    for fr in report.files:
        for f in fr.findings:
            rule = f" [{f.rule}]" if f.rule else ""
            lines.append(f"{_where(f)}: {f.severity}: {f.message}{rule}")
            if f.hint:
                lines.append(f"{_where(f)}: note: {f.hint}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


# a finding's fields in order, each key already quoted
_FINDING_KEYS = tuple((f.name, _quote(f.name) + ": ") for f in fields(Finding))


def _finding(f: Finding, nl: str) -> str:
    """A finding as :func:`dumps` writes ``dataclasses.asdict(f)`` (its fields are scalars)."""
    inner = nl + "  "
    parts = []
    for name, key in _FINDING_KEYS:
        v = getattr(f, name)
        if type(v) is str:
            parts.append(key + _quote(v))
        elif v is None:
            parts.append(key + "null")
        elif type(v) is int:
            parts.append(key + int.__repr__(v))
        else:
            sub: list[str] = []
            _dump(v, inner, sub)
            parts.append(key + "".join(sub))
    return "{" + inner + ("," + inner).join(parts) + nl + "}"


def format_json(report: Report) -> str:
    c = report.counts()
    data = {
        "tool": {"name": "tei validate", "version": __version__},
        "valid": report.valid,
        "summary": {**c, "not-validated": sum(bool(_not_validated(fr)) for fr in report.files)},
        "files": [
            {
                "path": fr.path,
                "valid": fr.valid,
                "status": _status(fr),
                "schemas": fr.schemas,
                "findings": fr.findings,  # written as dataclasses.asdict(f) by dumps
            }
            for fr in report.files
        ],
    }
    return dumps(data) + "\n"


def format_junit(report: Report) -> str:
    """One testcase per file: ``failure`` if invalid, ``error`` if it was not validated."""
    c = report.counts()
    skipped_files = sum(bool(_not_validated(fr)) for fr in report.files)
    failures = str(c["invalid"] - skipped_files)
    errors_n = str(skipped_files)
    suites = etree.Element(
        "testsuites",
        name="tei validate",
        tests=str(c["files"]),
        failures=failures,
        errors=errors_n,
    )
    suite = etree.SubElement(
        suites,
        "testsuite",
        name="tei validate",
        tests=str(c["files"]),
        failures=failures,
        errors=errors_n,
        skipped="0",
    )
    for fr in report.files:
        case = etree.SubElement(
            suite, "testcase", classname="tei.validate", name=fr.path, file=fr.path
        )
        errors = [f for f in fr.findings if f.severity == "error"]
        why = _not_validated(fr)
        if why:
            err = etree.SubElement(
                case,
                "error",
                type="schema-not-available" if why[0].rule == "no-schema" else "unreadable",
                message=f"not validated: {_full(why[0])}",
            )
            err.text = "\n".join(f"{_where(f)}: {_full(f)}" for f in errors)
        elif errors:
            fail = etree.SubElement(
                case,
                "failure",
                type="invalid",
                message=f"{len(errors)} error(s); first: {_full(errors[0])}",
            )
            fail.text = "\n".join(f"{_where(f)}: {_full(f)}" for f in errors)
        others = [f for f in fr.findings if f.severity != "error"]
        if others:
            out = etree.SubElement(case, "system-out")
            out.text = "\n".join(f"{_where(f)}: {f.severity}: {_full(f)}" for f in others)
    return etree.tostring(suites, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode(
        "utf-8"
    )


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def format_sarif(report: Report) -> str:
    rules: dict[str, dict] = {}
    results = []
    for fr in report.files:
        for f in fr.findings:
            rid = f.rule or f.engine or "tei"
            if rid not in rules:
                rules[rid] = {
                    "id": rid,
                    "name": rid,
                    "shortDescription": {"text": f"{f.engine or 'tei'} {rid}"},
                }
            region: dict[str, int] = {}
            if f.line:
                region["startLine"] = f.line
                if f.column:
                    region["startColumn"] = f.column
            location: dict = {"physicalLocation": {"artifactLocation": {"uri": _uri(f.file)}}}
            if region:
                location["physicalLocation"]["region"] = region
            if f.xpath:
                location["logicalLocations"] = [{"fullyQualifiedName": f.xpath, "kind": "element"}]
            results.append(
                {
                    "ruleId": rid,
                    "level": _SARIF_LEVEL[f.severity],
                    "message": {"text": _full(f)},
                    "locations": [location],
                }
            )
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{f.file}: not validated: {_full(f)}"},
            "descriptor": {"id": f.rule},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.file)}}}],
        }
        for fr in report.files
        for f in _not_validated(fr)
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tei validate",
                        "version": __version__,
                        "informationUri": "https://tei-c.org/",
                        "rules": list(rules.values()),
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
    return dumps(sarif) + "\n"


def _uri(path: str) -> str:
    return path.replace("\\", "/").removeprefix("./")


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report) -> str:
    lines = []
    for fr in report.files:
        for f in fr.findings:
            cmd = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
            props = [f"file={_gh_escape(_uri(f.file), prop=True)}"]
            if f.line:
                props.append(f"line={f.line}")
                if f.column:
                    props.append(f"col={f.column}")
            if f.rule:
                props.append(f"title={_gh_escape(f'tei validate [{f.rule}]', prop=True)}")
            lines.append(f"::{cmd} {','.join(props)}::{_gh_escape(_full(f))}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": format_text,
    "json": format_json,
    "junit": format_junit,
    "sarif": format_sarif,
    "github": format_github,
}


def render(report: Report, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    return FORMATTERS[fmt](report)
