"""One saxonche processor per process, shared by Schematron and XSLT rendering.

SaxonC keeps one Graal isolate per process; creating several ``PySaxonProcessor`` objects
works but wastes memory and start-up time, and releasing one can invalidate objects made by
another.  Every module that needs Saxon calls :func:`processor` instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from saxonche import PySaxonProcessor, PyXslt30Processor

# Saxon may read no URI at all while it runs: no doc(), document(), unparsed-text(),
# collection() or xsl:include reaching a file or the network. A Schematron schema named by a
# document's <?xml-model?> is code from a stranger; this keeps it from reading local files or
# the network into a report. Our own stylesheets use :func:`trusted_processor`.
ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"

T = TypeVar("T")

_lock = threading.RLock()
_made: dict[str, object] = {}


def _once(name: str, make: Callable[[], T]) -> T:
    """Create the object ``name`` on first use, once per process."""
    hit = _made.get(name)
    if hit is None:
        with _lock:
            hit = _made.get(name)
            if hit is None:
                hit = _made[name] = make()
    return hit  # type: ignore[return-value]


_LOCALE_VARS = ("LC_ALL", "LC_CTYPE", "LC_COLLATE", "LANG", "LANGUAGE")


def _new_processor() -> PySaxonProcessor:
    """A ``PySaxonProcessor`` whose Java locale is neutral whatever the user's locale is.

    Saxon's ``lower-case()``/``upper-case()`` follow the Java default locale, taken from the
    environment when the processor starts: under ``LC_ALL=tr_TR.UTF-8`` "I" lower-cased to a
    dotless "ı" and the index changed. The variables are set for the start only, then restored.
    """
    saved = {k: os.environ.get(k) for k in _LOCALE_VARS}
    os.environ.update({k: "C.UTF-8" for k in ("LC_ALL", "LC_CTYPE", "LC_COLLATE", "LANG")})
    os.environ.pop("LANGUAGE", None)
    try:
        return PySaxonProcessor(license=False)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _restricted() -> PySaxonProcessor:
    proc = _new_processor()
    proc.set_configuration_property(ALLOWED_PROTOCOLS, "")
    return proc


def processor() -> PySaxonProcessor:
    """The process-wide ``PySaxonProcessor`` (HE, unlicensed, no URI access)."""
    return _once("processor", _restricted)


def xslt30() -> PyXslt30Processor:
    """The process-wide ``PyXslt30Processor`` used to compile Schematron stylesheets."""
    return _once("xslt30", lambda: processor().new_xslt30_processor())


def trusted_processor() -> PySaxonProcessor:
    """A second processor with file access, for compiling and running our own stylesheets.

    Saxon's protocol restriction is per processor and cannot be relaxed once set, so the
    packaged rendering stylesheets (which include their modules from files and never read
    documents named by their input) get their own processor.
    """
    return _once("trusted", _new_processor)


def trusted_xslt30() -> PyXslt30Processor:
    """The XSLT 3.0 compiler of :func:`trusted_processor`."""
    return _once("trusted_xslt30", lambda: trusted_processor().new_xslt30_processor())


def version() -> str:
    """The Saxon product version string, e.g. ``SaxonC-HE 13.1 from Saxonica``."""
    return str(processor().version)
