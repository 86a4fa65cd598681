<?xml version="1.0" encoding="UTF-8"?>
<!--
  main.xsl: the format-neutral core. Includes every module (parameters in params.xsl) and
  lays out one document:
  title page, abstract, the text (parallel view or in order), notes, facsimile.
  Entry stylesheets (html.xsl, print.xsl, index.xsl) import this and add the page shell.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:include href="params.xsl"/>
  <xsl:include href="common.xsl"/>
  <xsl:include href="langtags.xsl"/>
  <xsl:include href="langnames.xsl"/>
  <xsl:include href="titlepage.xsl"/>
  <xsl:include href="blocks.xsl"/>
  <xsl:include href="inlines.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="facsimile.xsl"/>
  <xsl:include href="parallel.xsl"/>
  <xsl:include href="unhandled.xsl"/>

  <!-- Every TEI element is processed in the mode "tei" (the entry stylesheets' "/" templates
       are in the default mode and call the named templates below). A format layer imports
       main.xsl and overrides templates of this mode or the named ones. Elements no template
       knows fall to unhandled.xsl, which reports them with xsl:message. -->
  <xsl:mode name="tei" on-no-match="text-only-copy" warning-on-no-match="false"/>

  <!-- The element that plays the TEI document (TEI, teiCorpus, or a TEI fragment). -->
  <xsl:function name="f:doc" as="element()">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="(root($n)/TEI, root($n)/teiCorpus, root($n)/*)[1]"/>
  </xsl:function>

  <!-- Page language: the document's, else English (the interface language). -->
  <xsl:function name="f:page-lang" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="(f:lang($tei/@xml:lang)[. != ''], 'en')[1]"/>
  </xsl:function>

  <xsl:function name="f:use-parallel" as="xs:boolean">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="exists(f:original-divs($tei)) and exists(f:translation-divs($tei))
                          and ($html or ($layout = 'parallel' and exists(f:links($tei))))"/>
  </xsl:function>

  <!-- The reading text of a document (everything after the title page). -->
  <xsl:template name="document-text">
    <xsl:param name="tei" as="element()"/>
    <xsl:choose>
      <xsl:when test="$tei/self::TEI and $tei/text">
        <xsl:variable name="text" select="$tei/text"/>
        <xsl:choose>
          <xsl:when test="f:use-parallel($tei)">
            <xsl:variable name="sides" select="f:original-divs($tei) | f:translation-divs($tei)"/>
            <xsl:apply-templates select="$text/front" mode="tei"/>
            <xsl:call-template name="parallel-view">
              <xsl:with-param name="tei" select="$tei"/>
            </xsl:call-template>
            <xsl:if test="$text/body/(* except $sides)">
              <div class="tei-body rest">
                <xsl:apply-templates select="$text/body/(* except $sides)" mode="tei"/>
              </div>
            </xsl:if>
            <xsl:apply-templates select="$text/back" mode="tei"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="$text" mode="tei"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$tei/self::teiCorpus">
        <xsl:for-each select="$tei/TEI">
          <article class="tei-TEI">
            <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="f:lang(@xml:lang)"/></xsl:if>
            <h2><xsl:value-of select="f:title-text(.)"/></h2>
            <xsl:call-template name="document-text">
              <xsl:with-param name="tei" select="."/>
            </xsl:call-template>
          </article>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <!-- a TEI fragment (e.g. an XInclude target): show what it holds -->
        <div class="fragment">
          <xsl:apply-templates select="$tei/(* except teiHeader)" mode="tei"/>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
