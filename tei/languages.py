"""Language codes and their English names: one table for the readers, the TEI writer and the
stylesheets.

``xslt/modules/langnames.xsl`` is generated from :data:`NAMES` (``python -m tei.languages``
writes it); ``tests/test_house.py`` fails when the two differ.
"""

from __future__ import annotations

import sys

from .ns import XS_NS, XSL_NS

NAMES = {
    "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian", "bg": "Bulgarian", "en": "English",
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pl": "Polish",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "he": "Hebrew",
    "el": "Greek", "grc": "Ancient Greek", "hu": "Hungarian", "cs": "Czech", "sk": "Slovak",
    "ro": "Romanian", "sr": "Serbian", "hr": "Croatian", "vi": "Vietnamese", "sq": "Albanian",
    "mn": "Mongolian", "kk": "Kazakh", "uz": "Uzbek", "tt": "Tatar", "ka": "Georgian",
    "hy": "Armenian", "fa": "Persian", "tr": "Turkish", "la": "Latin",
    "ru-Latn": "Russian (Latin script)", "und": "Undetermined",
}  # fmt: skip
CODES = {v.lower(): k for k, v in NAMES.items()}
XSL_MODULE = "modules/langnames.xsl"  # under tei.resources.xslt_dir()


def language_name(code: str) -> str:
    """English name of a language code (the code itself when unknown)."""
    return NAMES.get(code, code)


def code_for_name(name: str | None) -> str | None:
    """Language code of an English language name such as ``Russian``, or None."""
    if not name:
        return None
    return CODES.get(name.strip().lower())


def xsl_module() -> str:
    """The text of ``xslt/modules/langnames.xsl``: :data:`NAMES` as an XPath map."""
    entries = ",\n".join(f"      '{code}': '{name}'" for code, name in NAMES.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
  langnames.xsl: English names of language codes, for labels (f:lang-name in common.xsl).
  GENERATED from tei/languages.py by `python -m tei.languages`; do not edit by hand.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="{XSL_NS}"
    xmlns:xs="{XS_NS}"
    xmlns:f="urn:x-tei-archive-edition:render"
    exclude-result-prefixes="#all">

  <xsl:variable name="f:lang-names" as="map(xs:string, xs:string)" select="map{{
{entries}}}"/>

</xsl:stylesheet>
"""


if __name__ == "__main__":
    from .resources import xslt_dir

    target = xslt_dir() / XSL_MODULE
    target.write_text(xsl_module(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
