<?xml version="1.0" encoding="UTF-8"?>
<!--
  notes.xsl: notes in running text become numbered footnotes (marker in the text, note in the
  "Notes" list, a link back); endnotes (div[@type='notes'], @place='end') are listed with a
  link back to each ref[@type='noteAnchor']; block-level notes (a note between paragraphs,
  e.g. "handwritten at the top of the page") stay where they are, as a labelled aside.
  The print layer overrides the footnote templates with CSS footnotes (float: footnote).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- All footnotes of the document, numbered once (document order). -->
  <xsl:variable name="footnotes" as="element()*" select="/descendant::text//note[f:is-footnote(.)]"/>
  <xsl:variable name="footnote-numbers" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($footnotes) return map{generate-id($footnotes[$i]): $i})"/>

  <xsl:function name="f:footnote-number" as="xs:integer">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="($footnote-numbers(generate-id($n)), 0)[1]"/>
  </xsl:function>

  <!-- Footnote marker in the text. -->
  <xsl:template match="note[f:is-footnote(.)]" priority="3" mode="tei">
    <xsl:variable name="n" select="f:footnote-number(.)"/>
    <sup class="fnref">
      <a href="#ui-fn{$n}" id="ui-fnref{$n}" role="doc-noteref" aria-label="Note {$n}">
        <xsl:value-of select="$n"/>
      </a>
    </sup>
  </xsl:template>

  <!-- A note between blocks: an aside, labelled. -->
  <xsl:template match="note" priority="1" mode="tei">
    <xsl:choose>
      <xsl:when test="not(normalize-space(.) or *)"/>
      <xsl:when test="f:block-container(parent::*) or parent::list or parent::table or parent::listBibl">
        <aside role="note">
          <xsl:call-template name="attrs">
            <xsl:with-param name="class" select="('note-block', @type ! ('type-' || f:token(.)), @place ! ('place-' || f:token(.)))"/>
          </xsl:call-template>
          <xsl:if test="not(label) and (@type or @place)">
            <span class="ed-label">
              <xsl:value-of select="string-join((@type[. != 'source'] ! replace(., '([a-z])([A-Z])', '$1 $2'), @place[not(. = ('unspecified', 'inline'))] ! ('(' || . || ')')), ' ') ! (upper-case(substring(., 1, 1)) || substring(., 2))"/>
            </span>
            <xsl:text>: </xsl:text>
          </xsl:if>
          <xsl:apply-templates mode="note-content" select="node()"/>
        </aside>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Endnote anchor. -->
  <xsl:template match="ref[@type = 'noteAnchor']" priority="3" mode="tei">
    <xsl:variable name="id" select="substring-after(normalize-space(@target), '#')"/>
    <xsl:variable name="note" select="key('id', $id)[self::note][1]"/>
    <xsl:variable name="first" select="key('note-anchors', $id)[1] is ."/>
    <sup class="fnref noteanchor">
      <xsl:choose>
        <xsl:when test="$note">
          <a href="#{$id}" role="doc-noteref">
            <xsl:if test="$first"><xsl:attribute name="id" select="'ui-ref-' || $id"/></xsl:if>
            <xsl:apply-templates mode="tei"/>
            <xsl:if test="not(normalize-space(.))"><xsl:value-of select="(@n, '*')[1]"/></xsl:if>
          </a>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates mode="tei"/></xsl:otherwise>
      </xsl:choose>
    </sup>
  </xsl:template>

  <!-- Note content without block wrappers (paragraphs joined by a space). -->
  <xsl:template match="p | ab" mode="note-content">
    <xsl:if test="preceding-sibling::*[self::p or self::ab]"><xsl:text> </xsl:text></xsl:if>
    <span class="para"><xsl:apply-templates mode="tei"/></span>
  </xsl:template>
  <xsl:template match="node()" mode="note-content">
    <xsl:apply-templates select="." mode="tei"/>
  </xsl:template>

  <!-- ============================================================ the lists at the end -->

  <xsl:template name="notes-section">
    <xsl:param name="text" as="element()*"/>
    <xsl:variable name="fns" select="$footnotes"/>
    <xsl:variable name="ends" select="$text//note[f:is-endnote(.)][normalize-space() or *]"/>
    <xsl:if test="$fns or $ends">
      <section class="notes" aria-labelledby="ui-notes-h" role="doc-endnotes">
        <h2 id="ui-notes-h">Notes</h2>
        <xsl:if test="$fns">
          <ol class="footnotes">
            <xsl:for-each select="$fns">
              <xsl:variable name="n" select="position()"/>
              <li id="ui-fn{$n}" value="{$n}">
                <xsl:if test="ancestor::*[@xml:lang][1]">
                  <xsl:attribute name="lang" select="f:lang(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"/>
                </xsl:if>
                <xsl:apply-templates mode="note-content" select="node()"/>
                <xsl:text> </xsl:text>
                <a href="#ui-fnref{$n}" class="backref" role="doc-backlink" aria-label="Back to note reference {$n}">↑</a>
              </li>
            </xsl:for-each>
          </ol>
        </xsl:if>
        <xsl:for-each-group select="$ends" group-by="(ancestor::div[@type = ('original', 'translation', 'edition')][1]/@type, '')[1]">
          <xsl:if test="current-grouping-key() != '' and count($ends/ancestor::div[@type = ('original', 'translation', 'edition')]) gt 1">
            <h3><xsl:value-of select="upper-case(substring(current-grouping-key(), 1, 1)) || substring(current-grouping-key(), 2)"/></h3>
          </xsl:if>
          <ul class="endnotes">
            <xsl:for-each select="current-group()">
              <xsl:variable name="id" select="@xml:id"/>
              <li>
                <xsl:if test="$id"><xsl:attribute name="id" select="$id"/></xsl:if>
                <xsl:if test="ancestor-or-self::*[@xml:lang][1]">
                  <xsl:attribute name="lang" select="f:lang(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"/>
                </xsl:if>
                <xsl:apply-templates mode="note-content" select="node()"/>
                <xsl:if test="$id and key('note-anchors', $id)">
                  <xsl:text> </xsl:text>
                  <a href="#ui-ref-{$id}" class="backref" role="doc-backlink" aria-label="Back to the text">↑</a>
                </xsl:if>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:for-each-group>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="note/label[1][not(@type = 'editorial')]" mode="note-content">
    <span class="note-label"><xsl:apply-templates mode="tei"/></span>
  </xsl:template>

</xsl:stylesheet>
