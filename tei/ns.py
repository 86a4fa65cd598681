"""XML namespace names used across the suite (one home for each)."""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
