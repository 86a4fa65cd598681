"""Extract the Schematron embedded in a RELAX NG schema (as TEI ODD processors emit it).

TEI's ``tei_all.rng`` carries ``sch:ns`` and ``sch:pattern`` elements scattered through the
grammar (patterns written both with the ``sch:`` prefix and as default-namespace
``<pattern xmlns="http://purl.oclc.org/dsdl/schematron">``).  :func:`extract_from_rng`
gathers them, in document order, into one standalone ``sch:schema`` tree that
:func:`tei.schematron.compile_schematron` and :class:`~tei.schematron.SchematronValidator`
accept directly.  Source line numbers are kept, so errors point into the RNG file.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..ns import SCH15_NS, SCH_NS, XSL_NS
from ..xmlsafe import parse_file
from .errors import SchematronSchemaError

_TOP = ("ns", "let", "phase", "diagnostics", "properties", "title", "rules")


def _in_schematron(el: etree._Element) -> bool:
    """True if an ancestor of ``el`` is a Schematron element (so ``el`` is not top-level)."""
    p = el.getparent()
    while p is not None:
        if isinstance(p.tag, str) and p.tag.startswith((f"{{{SCH_NS}}}", f"{{{SCH15_NS}}}")):
            return True
        p = p.getparent()
    return False


def extract_from_rng(
    path: str | os.PathLike[str], query_binding: str = "xslt2"
) -> etree._ElementTree:
    """A standalone ISO Schematron schema built from the Schematron embedded in an RNG file.

    ``query_binding`` is written on the new ``schema`` (RELAX NG has nowhere to say it; TEI
    constraints are XPath 2.0).  Rules found outside any pattern get a pattern of their own.
    Schematron 1.5 elements are carried over as-is (the loader upgrades them).
    """
    label = str(path)
    try:
        rng = parse_file(path)
    except InputError as exc:
        raise SchematronSchemaError(
            f"cannot read RELAX NG schema: {exc.args[0]}", path=label
        ) from None
    src_root = rng.getroot()
    schema = etree.Element(f"{{{SCH_NS}}}schema", nsmap={"sch": SCH_NS, "xsl": XSL_NS})
    schema.set("queryBinding", query_binding)
    schema.text = "\n"

    seen_ns: set[tuple[str | None, str | None]] = set()
    ns_els: list[etree._Element] = []
    top: list[etree._Element] = []
    patterns: list[etree._Element] = []
    n_orphans = 0
    for el in src_root.iter(
        f"{{{SCH_NS}}}*", f"{{{SCH15_NS}}}*", f"{{{XSL_NS}}}key", f"{{{XSL_NS}}}function"
    ):
        if _in_schematron(el):
            continue
        local = etree.QName(el).localname
        if el.tag.startswith(f"{{{XSL_NS}}}"):
            top.append(copy.deepcopy(el))
        elif local == "ns":
            key = (el.get("prefix"), el.get("uri"))
            if key not in seen_ns:
                seen_ns.add(key)
                ns_els.append(copy.deepcopy(el))
        elif local == "pattern":
            patterns.append(copy.deepcopy(el))
        elif local == "rule":
            n_orphans += 1
            ns = etree.QName(el).namespace
            pat = etree.Element(f"{{{ns}}}pattern", id=f"rng-rule-{n_orphans}")
            pat.append(copy.deepcopy(el))
            patterns.append(pat)
        elif local in _TOP:
            top.append(copy.deepcopy(el))
        # stray assert/report/etc. outside a rule have no context: ignored
    for el in [*ns_els, *top, *patterns]:
        el.tail = "\n"
        schema.append(el)
    tree = etree.ElementTree(schema)
    tree.docinfo.URL = Path(label).resolve().as_uri()
    return tree
