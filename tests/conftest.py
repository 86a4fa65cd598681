"""Shared fixtures: the ../shared folder and the official tei_all schema, compiled once."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from lxml import etree

DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import _mutations`, `_shared`

from _shared import SHARED  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """The suite has a user cache folder of its own (compiled schemas, fetched schemas,
    results): it neither reads what earlier runs left in the user's folder nor fills it with
    entries for the schemas it writes in temporary folders. Set before any case runs, so
    subprocesses and background children see it too."""
    folder = tempfile.mkdtemp(prefix="tei-test-cache-")
    os.environ["TEI_CACHE_DIR"] = folder
    # removed at exit after the cases' own exit hooks (registered later, run earlier), which
    # save compiled schemas into it
    atexit.register(shutil.rmtree, folder, True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "tei" / "tei_all.rng").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def tei_all(shared_dir: Path) -> etree.RelaxNG:
    """The official TEI P5 4.10.2 tei_all.rng compiled by lxml, once per test session."""
    return etree.RelaxNG(etree.parse(str(shared_dir / "tei" / "tei_all.rng")))
