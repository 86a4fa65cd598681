"""One saxonche processor per process, shared by Schematron and XSLT rendering.

SaxonC keeps one Graal isolate per process; creating several ``PySaxonProcessor`` objects
works but wastes memory and start-up time, and releasing one can invalidate objects made by
another.  Every module that needs Saxon calls :func:`processor` instead.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar, cast

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
    return cast(T, hit)  # one table for every kind: the name says which maker made it


_LOCALE_VARS = ("LC_ALL", "LC_CTYPE", "LC_COLLATE", "LANG", "LANGUAGE")
# The only variables the Java side ever sees (see _new_processor).
_JAVA_ENV = {"LC_ALL": "C.UTF-8", "LC_CTYPE": "C.UTF-8", "LC_COLLATE": "C.UTF-8", "LANG": "C.UTF-8"}


def _new_processor() -> PySaxonProcessor:
    """A ``PySaxonProcessor`` that starts with a neutral locale and no environment.

    The Java side of SaxonC copies the process environment once, when the first processor of
    the process starts; ``environment-variable()`` and ``available-environment-variables()``
    answer from that copy.  A Schematron schema named by a document must see no secrets, so
    the processor starts with only :data:`_JAVA_ENV` (a neutral locale, also because
    ``lower-case()`` follows the Java locale: under ``LC_ALL=tr_TR.UTF-8`` "I" lower-cased to
    a dotless "ı").  Our own environment is restored at once.
    """
    saved = dict(os.environ)
    hidden = _c_only_environment(saved)  # e.g. LINES/COLUMNS exported by readline
    os.environ.clear()
    for name in hidden:
        os.unsetenv(name)
    os.environ.update(_JAVA_ENV)
    try:
        return PySaxonProcessor(license=False)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        for name, value in hidden.items():
            os.putenv(name, value)


def _c_only_environment(known: dict[str, str]) -> dict[str, str]:
    """Variables in the C library's environment that ``os.environ`` does not list."""
    try:
        import ctypes

        envp = ctypes.POINTER(ctypes.c_char_p).in_dll(ctypes.CDLL(None), "environ")
    except (OSError, ValueError, AttributeError):  # not glibc-like: nothing more to hide
        return {}
    extra: dict[str, str] = {}
    i = 0
    while envp[i] is not None:
        name, _, value = os.fsdecode(envp[i]).partition("=")
        if name not in known:
            extra[name] = value
        i += 1
    return extra


def _check_environment(proc: PySaxonProcessor) -> None:
    """Refuse to go on if Saxon can see more than :data:`_JAVA_ENV` (started elsewhere)."""
    seen = proc.new_xpath_processor().evaluate_single(
        "string-join(available-environment-variables(), ' ')"
    )
    names = set(seen.string_value.split()) if seen is not None else set()
    if names - set(_JAVA_ENV):
        from ..errors import TeiError

        raise TeiError(
            "Saxon was started before tei could hide the environment from schemas",
            exit_code=3,
        )


def _restricted() -> PySaxonProcessor:
    proc = _new_processor()
    _check_environment(proc)
    proc.set_configuration_property(ALLOWED_PROTOCOLS, "")
    return proc


@contextmanager
def quiet() -> Iterator[None]:
    """Keep Saxon's own error listing (many lines, on file descriptor 2) off the terminal.

    Saxon prints every compile and dynamic error to the process's standard error before it
    raises; the exception carries the message we report on one line, so the listing goes to
    the null device while Saxon runs.
    """
    with _lock:
        sys.stderr.flush()
        saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(null)


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
