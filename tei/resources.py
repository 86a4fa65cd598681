"""Locations of the data shipped inside the package: schemas, stylesheets, examples."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _dir(package: str) -> Path:
    return Path(str(resources.files(package)))


def schema_dir() -> Path:
    """Folder holding our RelaxNG/Schematron files (``schema/`` in the repository)."""
    return _dir("tei.schema")


def xslt_dir() -> Path:
    """Folder holding the XSLT stylesheets and CSS (``xslt/`` in the repository)."""
    return _dir("tei.xslt")


def examples_dir() -> Path:
    """Folder holding the bundled example raw pages (``examples/`` in the repository)."""
    return _dir("tei.examples")
