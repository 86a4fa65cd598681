<?xml version="1.0" encoding="UTF-8"?>
<!--
  print.xsl: one TEI document -> print HTML for WeasyPrint (print layer; use with print.css).
  Reading text only; notes become CSS footnotes (float: footnote), endnotes become footnotes at
  their anchors; original and translation as a two-column table per link ($layout='parallel')
  or one after the other ($layout='sequential'). No scripts, no network resources.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="modules/main.xsl"/>

  <xsl:param name="format" as="xs:string" select="'print'"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:template match="/">
    <xsl:variable name="tei" select="f:doc(.)"/>
    <xsl:variable name="title" select="f:title-text($tei)"/>
    <html lang="{f:page-lang($tei)}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$title"/></title>
      </head>
      <body class="print layout-{if ($layout = 'sequential') then 'sequential' else 'parallel'}">
        <!-- sources of the running head (string-set in print.css) -->
        <div class="rh-values" aria-hidden="true">
          <span class="rh-title">
            <xsl:value-of select="if (string-length($title) gt 70) then substring($title, 1, 68) || '…' else $title"/>
          </span>
          <span class="rh-ref"><xsl:value-of select="f:archival-ref($tei)"/></span>
        </div>
        <xsl:call-template name="titlepage">
          <xsl:with-param name="tei" select="$tei"/>
        </xsl:call-template>
        <main>
          <xsl:call-template name="facsimile-note">
            <xsl:with-param name="tei" select="$tei"/>
          </xsl:call-template>
          <xsl:call-template name="document-text">
            <xsl:with-param name="tei" select="$tei"/>
          </xsl:call-template>
          <xsl:call-template name="notes-section">
            <xsl:with-param name="text" select="$tei//text"/>
          </xsl:call-template>
        </main>
        <xsl:call-template name="facsimile-panel">
          <xsl:with-param name="tei" select="$tei"/>
        </xsl:call-template>
      </body>
    </html>
  </xsl:template>

  <!-- ============================================================ footnotes -->

  <xsl:variable name="as-endnotes" as="xs:boolean" select="$endnotes = 'yes'"/>

  <xsl:template match="note[f:is-footnote(.)][$as-endnotes]" priority="5" mode="tei">
    <xsl:variable name="n" select="f:footnote-number(.)"/>
    <sup class="fnref" id="ui-fnref{$n}"><a href="#ui-fn{$n}"><xsl:value-of select="$n"/></a></sup>
  </xsl:template>

  <xsl:template match="ref[@type = 'noteAnchor'][$as-endnotes]" priority="5" mode="tei">
    <sup><xsl:apply-templates mode="tei"/></sup>
  </xsl:template>

  <xsl:template match="note[f:is-footnote(.)]" priority="4" mode="tei">
    <span class="footnote">
      <xsl:if test="ancestor-or-self::*[@xml:lang][1]">
        <xsl:attribute name="lang" select="f:lang(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"/>
      </xsl:if>
      <xsl:apply-templates mode="note-content" select="node()"/>
    </span>
  </xsl:template>

  <!-- An endnote anchor carries the endnote's text as a footnote. -->
  <xsl:template match="ref[@type = 'noteAnchor']" priority="4" mode="tei">
    <xsl:variable name="id" select="substring-after(normalize-space(@target), '#')"/>
    <xsl:variable name="note" select="key('id', $id)[self::note][1]"/>
    <xsl:choose>
      <xsl:when test="$note and key('note-anchors', $id)[1] is .">
        <span class="footnote">
          <xsl:apply-templates mode="note-content"
              select="$note/node() except ($note/label[1], $note/label[1]/following-sibling::node()[1][self::text()][not(normalize-space())])"/>
        </span>
      </xsl:when>
      <xsl:when test="$note"/>
      <xsl:otherwise><sup><xsl:apply-templates mode="tei"/></sup></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Only endnotes no anchor points to are left for the end. -->
  <xsl:template name="notes-section">
    <xsl:param name="text" as="element()*"/>
    <xsl:variable name="ends" select="$text//note[f:is-endnote(.)][normalize-space() or *][$as-endnotes or not(@xml:id and key('note-anchors', @xml:id))]"/>
    <xsl:if test="$as-endnotes and exists($footnotes)">
      <section class="notes footnotes-at-end">
        <h2>Footnotes</h2>
        <xsl:for-each select="$footnotes">
          <p class="endnote" id="ui-fn{position()}"><a href="#ui-fnref{position()}"><xsl:value-of select="position()"/></a>. <xsl:apply-templates mode="note-content" select="node()"/></p>
        </xsl:for-each>
      </section>
    </xsl:if>
    <xsl:if test="$ends">
      <section class="notes">
        <h2>Notes</h2>
        <xsl:for-each select="$ends">
          <p class="endnote"><xsl:apply-templates mode="note-content" select="node()"/></p>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ parallel as tables -->

  <xsl:template name="pv-head">
    <xsl:param name="left" as="xs:string"/>
    <xsl:param name="right" as="xs:string"/>
    <xsl:param name="left-lang" as="xs:string?"/>
    <xsl:param name="right-lang" as="xs:string?"/>
    <table class="pv pv-head">
      <tr>
        <th class="pv-orig"><xsl:value-of select="$left"/></th>
        <th class="pv-trans"><xsl:value-of select="$right"/></th>
      </tr>
    </table>
  </xsl:template>

  <xsl:template name="pv-row">
    <xsl:param name="link" as="element()?" select="()"/>
    <xsl:param name="k" as="xs:integer?" select="()"/>
    <xsl:param name="left" as="element()*"/>
    <xsl:param name="right" as="element()*"/>
    <xsl:param name="left-lang" as="xs:string?"/>
    <xsl:param name="right-lang" as="xs:string?"/>
    <xsl:param name="whole" as="xs:boolean" select="false()"/>
    <table class="pv{if (empty($k)) then ' pv-unaligned' else ''}">
      <xsl:if test="exists($k)"><xsl:attribute name="data-link" select="$k"/></xsl:if>
      <tr>
        <td class="pv-orig">
          <xsl:if test="$left-lang"><xsl:attribute name="lang" select="$left-lang"/></xsl:if>
          <xsl:apply-templates select="$left" mode="part">
            <xsl:with-param name="pv" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </td>
        <td class="pv-trans">
          <xsl:if test="$right-lang"><xsl:attribute name="lang" select="$right-lang"/></xsl:if>
          <xsl:apply-templates select="$right" mode="part">
            <xsl:with-param name="pv" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </td>
      </tr>
    </table>
  </xsl:template>

  <!-- ============================================================ facsimile list -->

  <!-- Print: the images that are there, one per surface, labelled; no file paths. -->
  <xsl:template name="facsimile-panel">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="shown" select="f:surfaces($tei)[f:surface-image(.)[not(matches(., '^https?:', 'i'))]]"/>
    <xsl:if test="$shown">
      <section class="facsimile">
        <h2>Facsimile</h2>
        <xsl:for-each select="$shown">
          <div class="surface">
            <img src="{f:surface-image(.)}" alt="{f:surface-label(.)}"/>
            <p><xsl:value-of select="f:surface-label(.)"/></p>
          </div>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
