<?xml version="1.0" encoding="UTF-8"?>
<!--
  unhandled.xsl: the generic fallback. An element no other template knows keeps its text:
  it becomes a <div> when something inside renders as a block, otherwise a <span>, with
  class "tei-NAME unhandled" so it can be styled later. Elements of other namespaces are
  transparent. Comments and processing instructions are dropped.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="*" priority="-10">
    <xsl:element name="{if (f:has-blocks(.)) then 'div' else 'span'}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="'unhandled'"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="*[namespace-uri() != 'http://www.tei-c.org/ns/1.0']" priority="-9">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()"/>

</xsl:stylesheet>
