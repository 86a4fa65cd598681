<?xml version="1.0" encoding="UTF-8"?>
<!--
  params.xsl: every stylesheet parameter, with its default. tei.render sets them (strings only);
  a format layer may override a default by redeclaring the parameter (print.xsl: format).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    exclude-result-prefixes="#all">

  <!-- 'html' (screen, both views) or 'print' (reading view only, for WeasyPrint) -->
  <xsl:param name="format" as="xs:string" select="'html'"/>
  <!-- print: 'parallel' (two-column table per link) or 'sequential' -->
  <xsl:param name="layout" as="xs:string" select="'parallel'"/>
  <!-- newline-separated names of the TEI files rendered together (for cross-links) -->
  <xsl:param name="converted-list" as="xs:string" select="''"/>
  <!-- newline-separated relative image URLs that exist next to the output -->
  <xsl:param name="images-list" as="xs:string" select="''"/>
  <!-- where the HTML pages find edition.css / edition.js -->
  <xsl:param name="assets" as="xs:string" select="'assets/'"/>
  <!-- link to the collection index; empty: no link -->
  <xsl:param name="index-href" as="xs:string" select="'index.html'"/>
  <!-- links from a document page to its TEI source and its PDF; empty: no link -->
  <xsl:param name="tei-href" as="xs:string" select="''"/>
  <xsl:param name="pdf-href" as="xs:string" select="''"/>
  <!-- alignment links with a numeric @cert below this are marked as low-confidence -->
  <xsl:param name="low-cert" as="xs:string" select="'0.6'"/>
  <!-- newline-separated host names whose images may be shown (img src); empty: none -->
  <xsl:param name="image-hosts" as="xs:string" select="''"/>
  <!-- the input's file name, for fallback titles -->
  <xsl:param name="source-name" as="xs:string" select="''"/>

  <!-- print: 'yes' makes footnotes numbered calls with the notes listed at the end
       (tei.render.pdf asks for it when a document has more footnotes than WeasyPrint lays out
       in reasonable time) -->
  <xsl:param name="endnotes" as="xs:string" select="'no'"/>

  <!-- index page: its title -->
  <xsl:param name="index-title" as="xs:string" select="'Collection index'"/>

</xsl:stylesheet>
