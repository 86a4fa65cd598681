"""Files a Schematron schema may read: those inside its own folder, and nothing else.

Project rule sets read files that come with them: a snapshot of allowed identifiers beside the
schema (``doc('volume-ids-snapshot.xml')``), or the schema itself (``document('')``, XSLT
style).  Saxon runs every schema with no URI access at all (:mod:`tei.schematron.saxon`), so
the compiler rewrites the calls ``doc()``, ``doc-available()`` and ``document()`` into
functions of our own (:func:`rewrite_reads`, :func:`declarations`) that

* resolve a relative URI against the schema file the expression was written in (as an XSLT
  processor does with the stylesheet's base URI), not against the current directory;
* answer from a map of documents that Python hands to the stylesheet as a parameter.

A URI not in the map yet stops the rule with the error ``tsch:need``; the runner
(:class:`DocumentStore`) then decides: a file inside the schema's folder (symbolic links
resolved) is parsed by :mod:`tei.xmlsafe` (no DTD, no entities, no network) and added; any
other URI (another folder, ``http:``, ...) is marked denied, and reading it raises Saxon's own
``FODC0005`` "prohibited", which the report turns into a warning naming the rule.  The
stylesheet then runs again; every round adds at least one URI, and the store outlives the
document, so each file is read once per run.

Every other way of reading (``unparsed-text()``, ``collection()``, ``json-doc()``, a function
reference such as ``doc#1``) stays refused by Saxon, as before.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import InputError
from ..ns import ERR_NS, FN_NS, XS_NS, XSL_NS
from ..xmlsafe import parse_file

TSCH = "urn:x-tei-schematron"  # our own attributes and functions in the generated XSLT and SVRL
FN = FN_NS
XSL = XSL_NS
XS = XS_NS
ERR = ERR_NS

DOCS_PARAM = f"{{{TSCH}}}docs"
NEED = "tsch-need "  # the description of the error asking Python for a document
MAX_ROUNDS = 64  # stylesheet runs per document at most (each adds one URI or more)

DENIED = "denied"
_READS = {"doc": "doc", "doc-available": "doc-available", "document": "document"}
_CALL = re.compile(
    r"(?P<name>(?:fn:|Q\{" + re.escape(FN) + r"\})?(?:doc-available|document|doc))\s*\(\s*"
)
_NAME_CHAR = re.compile(r"[\w.\-:}$@#]")


def rewrite_reads(xpath: str, base: str) -> str:
    """``xpath`` with its calls of ``doc``/``doc-available``/``document`` made calls of our
    functions, given ``base`` (the URI of the schema file the expression comes from).

    String literals and comments are left alone; so are functions of other namespaces
    (``my:doc()``) and variables (``$doc``).
    """
    out: list[str] = []
    i, n = 0, len(xpath)
    lit = "'" + base.replace("'", "''") + "'"
    while i < n:
        ch = xpath[i]
        if ch in "'\"":
            j = i + 1
            while j < n:
                if xpath[j] == ch:
                    if j + 1 < n and xpath[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(xpath[i : j + 1])
            i = j + 1
            continue
        if xpath.startswith("(:", i):
            depth, j = 0, i
            while j < n:
                if xpath.startswith("(:", j):
                    depth += 1
                    j += 2
                elif xpath.startswith(":)", j):
                    depth -= 1
                    j += 2
                    if depth == 0:
                        break
                else:
                    j += 1
            out.append(xpath[i:j])
            i = j
            continue
        m = _CALL.match(xpath, i)
        if m and not (i and _NAME_CHAR.match(xpath[i - 1])):
            local = m["name"].rpartition("}")[2].rpartition(":")[2]
            empty = xpath[m.end() : m.end() + 1] == ")"
            out.append(f"Q{{{TSCH}}}{_READS[local]}({lit}" + ("" if empty else ", "))
            i = m.end()
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_DECLARATIONS = f"""<xsl:stylesheet xmlns:xsl="{XSL}" xmlns:xs="{XS}" xmlns:tsch="{TSCH}"
    xmlns:err="{ERR}" version="3.0">
  <xsl:param name="tsch:docs" as="map(*)" select="map{{}}"/>
  <xsl:function name="tsch:read" as="document-node()">
    <xsl:param name="uri" as="xs:string"/>
    <xsl:variable name="hit" select="$tsch:docs($uri)"/>
    <xsl:choose>
      <xsl:when test="$hit instance of document-node()"><xsl:sequence select="$hit"/></xsl:when>
      <xsl:when test="empty($hit)">
        <xsl:sequence select="error(QName('{TSCH}', 'tsch:need'), '{NEED}' || $uri)"/>
      </xsl:when>
      <xsl:when test="$hit = '{DENIED}'">
        <xsl:sequence select="error(QName('{ERR}', 'err:FODC0005'), 'Access to URI ' || $uri
            || ' has been prohibited')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(QName('{ERR}', 'err:FODC0002'), 'cannot read ' || $uri
            || ': ' || $hit)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>
  <xsl:function name="tsch:uri" as="xs:string">
    <xsl:param name="uri"/>
    <xsl:param name="base"/>
    <xsl:sequence select="string(resolve-uri(string($uri), string($base)))"/>
  </xsl:function>
  <xsl:function name="tsch:doc" as="document-node()?">
    <xsl:param name="base"/>
    <xsl:param name="uri"/>
    <xsl:sequence select="if (empty($uri)) then () else tsch:read(tsch:uri($uri[1], $base))"/>
  </xsl:function>
  <xsl:function name="tsch:doc-available" as="xs:boolean">
    <xsl:param name="base"/>
    <xsl:param name="uri"/>
    <xsl:choose>
      <xsl:when test="empty($uri)"><xsl:sequence select="false()"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="abs" as="xs:string?">
          <xsl:try select="tsch:uri($uri[1], $base)"><xsl:catch select="()"/></xsl:try>
        </xsl:variable>
        <xsl:variable name="hit" select="if (exists($abs)) then $tsch:docs($abs) else ''"/>
        <xsl:sequence select="if (exists($hit)) then $hit instance of document-node()
            else error(QName('{TSCH}', 'tsch:need'), '{NEED}' || $abs)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>
  <xsl:function name="tsch:document" as="document-node()*">
    <xsl:param name="base"/>
    <xsl:param name="uris"/>
    <xsl:sequence select="for $u in $uris return tsch:read(tsch:uri($u,
        if ($u instance of node() and exists(base-uri($u))) then base-uri($u) else $base))"/>
  </xsl:function>
  <xsl:function name="tsch:document" as="document-node()*">
    <xsl:param name="base"/>
    <xsl:param name="uris"/>
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="for $u in $uris
        return tsch:read(tsch:uri($u, (base-uri($node), $base)[1]))"/>
  </xsl:function>
</xsl:stylesheet>"""


_NSMAP = {"xsl": XSL, "xs": XS, "tsch": TSCH, "err": ERR}


def declarations() -> list[etree._Element]:
    """The parameter and functions :func:`rewrite_reads` calls, for the generated XSLT.

    Each declares the prefixes its XPath uses itself: the generated stylesheet may bind
    them to other namespaces (they are the schema author's to choose).
    """
    out = []
    for c in etree.fromstring(_DECLARATIONS):
        if not isinstance(c.tag, str):
            continue
        el = etree.Element(c.tag, nsmap=_NSMAP)
        el.attrib.update(dict(c.attrib))
        el.text = c.text
        for g in c:
            el.append(copy.deepcopy(g))
        out.append(el)
    return out


_NEEDED = re.compile(re.escape(NEED) + r"([^\s<\"']+)")


def needed(text: str) -> list[str]:
    """The URIs a run asked for (in an SVRL text or a Saxon error message)."""
    return [html.unescape(u) for u in _NEEDED.findall(text)]


class DocumentStore:
    """The documents of one schema's folder read so far (and the URIs refused)."""

    def __init__(self, schema: str | None) -> None:
        p = Path(schema) if schema else None
        self.folder = p.resolve().parent if p is not None and p.is_file() else None
        self.entries: dict[str, Any] = {}  # URI -> PyXdmNode, DENIED or a reason
        self._map: Any = None

    def add(self, uris: list[str], proc: Any) -> bool:
        """Read or refuse every new URI; False if none was new."""
        new = [u for u in dict.fromkeys(uris) if u not in self.entries]
        for uri in new:
            self.entries[uri] = self._load(uri, proc)
        if new:
            self._map = None
        return bool(new)

    def _load(self, uri: str, proc: Any) -> Any:
        parts = urlsplit(uri)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or not self.folder:
            return DENIED
        path = Path(unquote(parts.path))
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            return DENIED
        if not real.is_relative_to(self.folder):
            return DENIED
        if not real.is_file():
            return "no such file"
        try:
            tree = parse_file(real)
        except (InputError, OSError) as exc:
            return " ".join(str(exc).split())
        from .runner import document_text

        return proc.parse_xml(xml_text=document_text(tree), encoding="UTF-8")

    def parameter(self, proc: Any) -> Any:
        """The map handed to the stylesheet as ``tsch:docs``."""
        if self._map is None:
            self._map = proc.make_map2(
                {
                    uri: v if not isinstance(v, str) else proc.make_string_value(v)
                    for uri, v in self.entries.items()
                }
            )
        return self._map
