<?xml version="1.0" encoding="UTF-8"?>
<!--
  unhandled.xsl: the generic fallback. An element no other template knows keeps its text:
  it becomes a <div> when something inside renders as a block, otherwise a <span>, with
  class "tei-NAME unhandled" so it can be styled later, and is reported with xsl:message
  ("unhandled element: NAME"). Elements of other namespaces are
  transparent. Comments and processing instructions are dropped.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="*" priority="-10" mode="tei">
    <!-- one message per element: tei.render.engine counts them by name for the build summary -->
    <xsl:message select="'unhandled element: ' || local-name()"/>
    <xsl:element name="{if (f:has-blocks(.)) then 'div' else 'span'}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="'unhandled'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="tei"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="*[namespace-uri() != 'http://www.tei-c.org/ns/1.0']" priority="-9" mode="tei">
    <xsl:apply-templates mode="tei"/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="tei"/>

</xsl:stylesheet>
