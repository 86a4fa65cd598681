<?xml version="1.0" encoding="UTF-8"?>
<!--
  record.xsl: one TEI document -> the small record the collection index is built from.

  Run on each document as it is rendered (tei.render.index.index_record); the index page
  (index.xsl) reads only these records, never the documents, so a build holds a few hundred
  bytes per document for its index instead of trees.

    <c:doc kind="document|listing|other" key="1945-04-29" date="April 29, 1945" title="…"
           summary="…" archive="…" lang="Russian, English" heading="…">
      <c:entry corresp="000.xml" id="item10" key="…" date="…" title="…" summary="…"
               archive="…" lang="…"/>   (listings: one per catalogue entry with a title or date)
    </c:doc>

  The page's href and the TEI file's name (@href, @src) are added by the caller.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:c="urn:x-tei-archive-edition:collection"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="html.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <!-- The languages of a document's text, by name ("Russian, English"). -->
  <xsl:function name="f:doc-languages" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="codes" select="distinct-values(subsequence(($tei/text//@xml:lang, $tei/@xml:lang), 1, 200) ! string(.))"/>
    <xsl:sequence select="string-join(distinct-values($codes ! f:lang-name(., $tei)), ', ')"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="tei" select="*[1]"/>
    <xsl:choose>
      <xsl:when test="$tei/self::TEI">
        <xsl:variable name="d" select="f:date($tei)"/>
        <xsl:variable name="s" select="f:summary($tei)"/>
        <xsl:variable name="en" select="$s/*[@xml:lang = 'en'][normalize-space()][1]"/>
        <xsl:variable name="titles" select="f:titles($tei)"/>
        <xsl:variable name="listing" select="exists($tei/text/body/div[@type = 'listing'])"/>
        <c:doc kind="{if ($listing) then 'listing' else 'document'}"
               key="{f:date-key($d)}" date="{normalize-space(($d/*[@xml:lang = 'en'], $d)[1])}"
               title="{normalize-space(($titles[@xml:lang = 'en'], $titles)[1])}"
               summary="{normalize-space(($en, $s)[1])}"
               archive="{f:archival-ref($tei)}" lang="{f:doc-languages($tei)}"
               heading="{f:title-text($tei)}">
          <xsl:for-each select="$tei/text/body/div[@type = 'listing']//listBibl/bibl[title or date]">
            <c:entry corresp="{@corresp}" id="{@xml:id}" key="{f:date-key(date)}"
                     date="{normalize-space(date)}" title="{normalize-space(title)}"
                     summary="{normalize-space(note[@type = 'summary'][1])}"
                     archive="{normalize-space((idno, orgName, publisher)[normalize-space()][1])}"
                     lang="{string-join(distinct-values(.//@xml:lang ! f:lang-name(., current())), ', ')}"/>
          </xsl:for-each>
        </c:doc>
      </xsl:when>
      <xsl:otherwise>
        <c:doc kind="other" key="" date="" title="" summary="" archive="" lang="" heading=""/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
