"""House rules a reviewer would otherwise check by eye: one home per fact, layering, no private
helpers borrowed across modules.  Each test reads the source with :mod:`ast` and names the
offending file and line."""

from __future__ import annotations

import ast
from pathlib import Path

from _shared import REPO

PACKAGE_DIRS = ("tei", "converters")
# Namespace URIs the suite uses; tei/ns.py is their one home.
NAMESPACE_URIS = (
    "http://www.tei-c.org/ns/1.0",
    "http://www.w3.org/XML/1998/namespace",
    "http://relaxng.org/ns/",
    "http://purl.oclc.org/dsdl/",
    "http://www.ascc.net/xml/schematron",
    "http://www.w3.org/1999/XSL/Transform",
    "http://www.w3.org/2001/XMLSchema",
    "http://www.w3.org/2001/XInclude",
    "http://www.w3.org/2005/xqt-errors",
    "urn:oasis:names:tc:entity:xmlns:xml:catalog",
)


def _modules() -> list[Path]:
    return sorted(p for d in PACKAGE_DIRS for p in (REPO / d).rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings (prose may name a namespace)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_namespace_uris_have_one_home() -> None:
    home = REPO / "tei" / "ns.py"
    found = []
    for path in _modules():
        if path == home:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ) and any(uri in node.value for uri in NAMESPACE_URIS):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "namespace URIs outside tei/ns.py:\n" + "\n".join(found)


def test_the_namespace_home_is_seen_by_the_check() -> None:
    # the check above must be able to fail: tei/ns.py itself spells every URI it guards
    text = (REPO / "tei" / "ns.py").read_text(encoding="utf-8")
    assert all(uri in text for uri in NAMESPACE_URIS)


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) of each import in ``path``."""
    rel = path.relative_to(REPO).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    if package and package[0] == "converters":
        package = ["tei", *package]  # installed as tei.converters
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((node.lineno, module, [a.name for a in node.names]))
    return out


def test_model_and_writers_depend_on_no_reader() -> None:
    """The model, the TEI writer and every stage after reading import nothing from converters/."""
    layered = [REPO / "tei" / "model.py", REPO / "tei" / "writer.py"]
    for sub in ("align", "render", "validate", "schematron"):
        layered += sorted((REPO / "tei" / sub).rglob("*.py"))
    bad = [
        f"{p.relative_to(REPO)}:{line}: {module}"
        for p in layered
        for line, module, _ in _imports(p)
        if module.split(".")[:2] == ["tei", "converters"] or module.startswith("converters")
    ]
    assert not bad, "a reader imported below the readers:\n" + "\n".join(bad)


def test_no_private_name_is_imported_across_modules() -> None:
    bad = [
        f"{p.relative_to(REPO)}:{line}: from {module} import {name}"
        for p in _modules()
        for line, module, names in _imports(p)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not bad, "private helpers imported across modules (make them public):\n" + "\n".join(bad)


def test_import_resolution_sees_relative_imports() -> None:
    # guards the helper the layering test relies on: converters/zones.py imports .header
    modules = {m for _, m, _ in _imports(REPO / "converters" / "zones.py")}
    assert "tei.converters.header" in modules
    modules = {m for _, m, _ in _imports(REPO / "tei" / "validate" / "rng" / "model.py")}
    assert "tei.ns" in modules


def test_language_names_have_one_home() -> None:
    """The stylesheets' language names are generated from tei/languages.py, never edited."""
    from tei.languages import NAMES, XSL_MODULE, xsl_module
    from tei.resources import xslt_dir

    module = xslt_dir() / XSL_MODULE
    assert module.read_text(encoding="utf-8") == xsl_module(), (
        f"{module} is stale: run `python -m tei.languages`"
    )
    for path in sorted(xslt_dir().rglob("*.xsl")):
        if path != module:
            text = path.read_text(encoding="utf-8")
            assert "'Russian'" not in text, f"{path.name} spells a language-name table"
    assert "'ru-Latn': 'Russian (Latin script)'" in module.read_text(encoding="utf-8")
    assert NAMES["grc"] == "Ancient Greek"


def test_the_stylesheets_name_languages_from_the_one_table() -> None:
    from lxml import etree

    from tei.render import engine

    tei = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t'
        "</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>"
        "</sourceDesc></fileDesc></teiHeader><text><body>"
        '<div type="original" xml:lang="ka"><p>ა</p></div>'
        '<div type="translation" xml:lang="sk"><p>b</p></div></body></text></TEI>'
    )
    html = engine.transform("html", tei, {})
    # ka was only in the stylesheet's old table, sk only in Python's: both are named now
    assert "Georgian" in html and "Slovak" in html


def test_no_test_file_re_derives_the_shared_path() -> None:
    """tests/_shared.py is the one place that finds ../shared (and conftest skips with a reason)."""
    tests = REPO / "tests"
    bad = []
    for path in sorted(tests.rglob("*.py")):
        if path.name == "_shared.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # a path built as ``<something> / "shared"``
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Div)
                and isinstance(node.right, ast.Constant)
                and node.right.value == "shared"
            ):
                bad.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not bad, "import SHARED from _shared instead:\n" + "\n".join(bad)
