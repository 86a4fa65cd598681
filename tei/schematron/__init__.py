"""Our own ISO Schematron implementation: Schematron → XSLT 3.0, run by saxonche.

>>> from tei.schematron import compile_schematron, SchematronValidator
>>> xslt_text = compile_schematron("rules.sch")                 # doctest: +SKIP
>>> v = SchematronValidator("rules.sch", phase=None)             # doctest: +SKIP
>>> findings = v.validate_file("doc.xml")                        # doctest: +SKIP
>>> svrl = v.svrl_for_file("doc.xml")                            # doctest: +SKIP

Supported: ISO Schematron (``http://purl.oclc.org/dsdl/schematron``) and Schematron 1.5
(``http://www.ascc.net/xml/schematron``, incl. its ``key``); ``ns``; ``phase`` (``#ALL``,
``#DEFAULT``, ``@defaultPhase``, ``active``, phase ``let``); ``pattern``, ISO 2020 ``group``
(all rules fire); abstract patterns (``is-a`` + ``param``, ``$name`` replaced in every query
attribute); abstract rules with ``extends/@rule`` (same pattern, any pattern, or schema-level
``rules``) and ``extends/@href``; ``include`` (local files only, ``#id`` fragments, nested,
cycle detection); ``let`` at schema/phase/pattern/rule level, with ``@value``, element content
or ``@as``; ``assert``/``report`` with ``@id``, ``@role``, ``@flag``, ``@see``, ``@icon``,
``@fpi``, ``@subject``, ``@diagnostics``, ``@properties``; ``value-of``, ``name[@path]``;
``emph``/``dir``/``span`` and foreign markup in messages (kept as text); top-level ``xsl:key``,
``xsl:function``, ``xsl:variable``, ``xsl:param`` (``xsl:include``/``xsl:import`` are
refused: Saxon runs Schematron with no URI access; ``doc()``, ``doc-available()`` and
``document()`` reach the files of the schema's folder only, see :mod:`tei.schematron.reads`);
``include`` only inside the schema's
folder;
query bindings ``xslt``/``xpath`` (XPath 1.0 compatibility mode), ``xslt2``, ``xpath2``,
``xslt3``, ``xpath3``, ``xpath31``.

A schema has no side effects and no secrets: ``xsl:result-document`` is refused, any other
result document (``fn:transform``) and every ``xsl:message`` stay in memory and are dropped,
and ``environment-variable()``/``available-environment-variables()`` see only a neutral
locale (Saxon starts with an empty environment, see :mod:`tei.schematron.saxon`).

Not supported (a clear :class:`SchematronSchemaError`): ``pattern/@documents``,
``rule/@visit-each``, other query bindings.  Ignored: ``title``/``p`` (except the schema
title, copied to SVRL), schema-level ``param``, ``xsl:*`` inside rules.

See :mod:`tei.schematron.compiler` for how the XSLT works, and :mod:`tei.schematron.svrl` for
how severities and line numbers are derived.
"""

from __future__ import annotations

from .compiler import QUERY_BINDINGS, CompiledSchema, compile_schema, compile_schematron
from .embedded import extract_from_rng
from .errors import (
    SchematronError,
    SchematronIncludeError,
    SchematronQueryBindingError,
    SchematronRuntimeError,
    SchematronSchemaError,
)
from .runner import SchematronValidator
from .svrl import severity

__all__ = [
    "QUERY_BINDINGS",
    "CompiledSchema",
    "SchematronError",
    "SchematronIncludeError",
    "SchematronQueryBindingError",
    "SchematronRuntimeError",
    "SchematronSchemaError",
    "SchematronValidator",
    "compile_schema",
    "compile_schematron",
    "extract_from_rng",
    "severity",
]
