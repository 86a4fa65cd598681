"""XML namespace names used across the suite (one home for each).

Modules import these names; none spells a namespace URI itself (``tests/test_house.py`` checks).
Clark-notation names (``{ns}local``) for the ``xml:`` attributes are here too.
"""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
RNG_COMPAT_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"  # ISO Schematron
SCH15_NS = "http://www.ascc.net/xml/schematron"  # Schematron 1.5
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XSD_DATATYPES_NS = "http://www.w3.org/2001/XMLSchema-datatypes"  # RELAX NG's XSD library
XI_NS = "http://www.w3.org/2001/XInclude"
ERR_NS = "http://www.w3.org/2005/xqt-errors"
FN_NS = "http://www.w3.org/2005/xpath-functions"
CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"

XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
XML_BASE = f"{{{XML_NS}}}base"
