"""One saxonche processor per process, shared by Schematron and XSLT rendering.

SaxonC keeps one Graal isolate per process; creating several ``PySaxonProcessor`` objects
works but wastes memory and start-up time, and releasing one can invalidate objects made by
another.  Every module that needs Saxon calls :func:`processor` instead.
"""

from __future__ import annotations

import threading

from saxonche import PySaxonProcessor, PyXslt30Processor

# Saxon may read no URI at all while it runs: no doc(), document(), unparsed-text(),
# collection() or xsl:include reaching a file or the network. A Schematron schema named by a
# document's <?xml-model?> is code from a stranger; this keeps it from reading local files or
# the network into a report. Our own stylesheets use :func:`trusted_processor`.
ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"

_lock = threading.RLock()
_processor: PySaxonProcessor | None = None
_xslt: PyXslt30Processor | None = None
_trusted: PySaxonProcessor | None = None
_trusted_xslt: PyXslt30Processor | None = None


def processor() -> PySaxonProcessor:
    """The process-wide ``PySaxonProcessor`` (HE, unlicensed), created on first use."""
    global _processor
    if _processor is None:
        with _lock:
            if _processor is None:
                proc = PySaxonProcessor(license=False)
                proc.set_configuration_property(ALLOWED_PROTOCOLS, "")
                _processor = proc
    return _processor


def trusted_processor() -> PySaxonProcessor:
    """A second processor with file access, for compiling and running our own stylesheets.

    Saxon's protocol restriction is per processor and cannot be relaxed once set, so the
    packaged rendering stylesheets (which include their modules from files and never read
    documents named by their input) get their own processor.
    """
    global _trusted
    if _trusted is None:
        with _lock:
            if _trusted is None:
                _trusted = PySaxonProcessor(license=False)
    return _trusted


def trusted_xslt30() -> PyXslt30Processor:
    """The XSLT 3.0 compiler of :func:`trusted_processor`."""
    global _trusted_xslt
    if _trusted_xslt is None:
        proc = trusted_processor()
        with _lock:
            if _trusted_xslt is None:
                _trusted_xslt = proc.new_xslt30_processor()
    return _trusted_xslt


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
