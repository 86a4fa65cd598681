"""One saxonche processor per process, shared by Schematron and XSLT rendering.

SaxonC keeps one Graal isolate per process; creating several ``PySaxonProcessor`` objects
works but wastes memory and start-up time, and releasing one can invalidate objects made by
another.  Every module that needs Saxon calls :func:`processor` instead.
"""

from __future__ import annotations

import threading

from saxonche import PySaxonProcessor, PyXslt30Processor

_lock = threading.Lock()
_processor: PySaxonProcessor | None = None
_xslt: PyXslt30Processor | None = None


def processor() -> PySaxonProcessor:
    """The process-wide ``PySaxonProcessor`` (HE, unlicensed), created on first use."""
    global _processor
    if _processor is None:
        with _lock:
            if _processor is None:
                _processor = PySaxonProcessor(license=False)
    return _processor


def xslt30() -> PyXslt30Processor:
    """The process-wide ``PyXslt30Processor`` used to compile stylesheets."""
    global _xslt
    if _xslt is None:
        proc = processor()
        with _lock:
            if _xslt is None:
                _xslt = proc.new_xslt30_processor()
    return _xslt


def version() -> str:
    """The Saxon product version string, e.g. ``SaxonC-HE 13.1 from Saxonica``."""
    return str(processor().version)
