<?xml version="1.0" encoding="UTF-8"?>
<!--
  langnames.xsl: English names of language codes, for labels (f:lang-name in common.xsl).
  GENERATED from tei/languages.py by `python -m tei.languages`; do not edit by hand.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    exclude-result-prefixes="#all">

  <xsl:variable name="f:lang-names" as="map(xs:string, xs:string)" select="map{
      'ru': 'Russian',
      'uk': 'Ukrainian',
      'be': 'Belarusian',
      'bg': 'Bulgarian',
      'en': 'English',
      'de': 'German',
      'fr': 'French',
      'es': 'Spanish',
      'it': 'Italian',
      'pl': 'Polish',
      'zh': 'Chinese',
      'ja': 'Japanese',
      'ko': 'Korean',
      'ar': 'Arabic',
      'he': 'Hebrew',
      'el': 'Greek',
      'grc': 'Ancient Greek',
      'hu': 'Hungarian',
      'cs': 'Czech',
      'sk': 'Slovak',
      'ro': 'Romanian',
      'sr': 'Serbian',
      'hr': 'Croatian',
      'vi': 'Vietnamese',
      'sq': 'Albanian',
      'mn': 'Mongolian',
      'kk': 'Kazakh',
      'uz': 'Uzbek',
      'tt': 'Tatar',
      'ka': 'Georgian',
      'hy': 'Armenian',
      'fa': 'Persian',
      'tr': 'Turkish',
      'la': 'Latin',
      'ru-Latn': 'Russian (Latin script)',
      'und': 'Undetermined'}"/>

</xsl:stylesheet>
