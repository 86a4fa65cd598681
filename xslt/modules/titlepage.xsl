<?xml version="1.0" encoding="UTF-8"?>
<!--
  titlepage.xsl: what the teiHeader contributes to a page: title, date, archival reference,
  responsibility, "how to cite" and the abstract. Only these fields are rendered; the rest of
  the header is metadata, not reading text.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- ============================================================ header fields -->

  <xsl:function name="f:titles" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="ts" select="$tei/teiHeader/fileDesc/titleStmt/title[normalize-space()]"/>
    <xsl:sequence select="($ts[@type = 'main'], $ts[not(@type = 'main')])"/>
  </xsl:function>

  <xsl:function name="f:title-text" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="(f:titles($tei)[1] ! normalize-space(.), $source-name[.], 'Untitled document')[1]"/>
  </xsl:function>

  <!-- The date of the document (creation, origin), as an element holding text and maybe @when. -->
  <xsl:function name="f:date" as="element()?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="h" select="$tei/teiHeader"/>
    <xsl:sequence select="($h/profileDesc/creation/date, $h//msDesc/history/origin/origDate,
                           $h//sourceDesc//bibl/date, $h/fileDesc/publicationStmt/date)[normalize-space() or @when or @notBefore][1]"/>
  </xsl:function>

  <!-- Sortable key (ISO) for a date element. -->
  <xsl:function name="f:date-key" as="xs:string">
    <xsl:param name="d" as="element()?"/>
    <xsl:sequence select="string(($d/@when, $d/@notBefore, $d/@from, $d/@notAfter, $d/@to,
                           $d/*/@when)[matches(., '^-?\d{4}')][1])"/>
  </xsl:function>

  <!-- Archival reference: an explicit one, else repository + shelfmarks. -->
  <xsl:function name="f:archival-ref" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="mi" select="($tei/teiHeader/fileDesc/sourceDesc//msIdentifier)[1]"/>
    <xsl:variable name="explicit" select="$mi//idno[@type = 'archival-reference'][normalize-space()][1]"/>
    <xsl:variable name="alt" select="($mi/altIdentifier[@xml:lang = 'en'], $mi/altIdentifier)[(repository, idno)[normalize-space()]][1]"/>
    <xsl:variable name="parts" select="($mi/(settlement, institution, repository, collection, idno[not(@type = 'source-file')]), $alt/(repository, idno))[normalize-space()] ! normalize-space(.)"/>
    <xsl:sequence select="if ($explicit) then normalize-space($explicit) else string-join(distinct-values($parts), ', ')"/>
  </xsl:function>

  <xsl:function name="f:summary" as="element()?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="($tei/teiHeader/profileDesc/abstract, $tei/teiHeader//msContents/summary)[normalize-space()][1]"/>
  </xsl:function>

  <!-- The publisher the header names, if it is one: the converter's placeholder for a page
       nobody published ("unpublished conversion") is not. -->
  <xsl:function name="f:publisher" as="element()?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="($tei/teiHeader/fileDesc/publicationStmt/(publisher, authority))
                          [normalize-space()][normalize-space() != 'unpublished conversion'][1]"/>
  </xsl:function>

  <!-- The recommended citation: the source's own, else a citation of the source document
       built from the header: "Title", date, archive, collection and folio, the publisher
       (if any), the URL with the date it was accessed when the header records one
       (publicationStmt/date[@type = 'accessed']: never the day of the build), else the
       source file.  -->
  <xsl:function name="f:citation" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="h" select="$tei/teiHeader"/>
    <xsl:variable name="own" select="$h/fileDesc/sourceDesc/bibl[@type = 'citation'][normalize-space()][1]"/>
    <xsl:variable name="pub" select="f:publisher($tei)"/>
    <xsl:variable name="uri" select="($h/fileDesc/publicationStmt/idno[@type = ('URI', 'URL', 'DOI')],
                                      $h/fileDesc/publicationStmt/idno[not(@type = ('document', 'record'))])[normalize-space()][1]"/>
    <xsl:variable name="accessed" select="$h/fileDesc/publicationStmt/date[@type = 'accessed'][1]"/>
    <xsl:variable name="ref" select="replace(f:archival-ref($tei), '\.$', '')"/>
    <xsl:variable name="file" select="($h/fileDesc/sourceDesc//idno[@type = 'source-file'])[normalize-space()][1]"/>
    <xsl:variable name="listing" select="$h/fileDesc/sourceDesc/bibl[@type = 'listing-page'][1]"/>
    <xsl:sequence select="
        if ($own) then normalize-space($own)
        else if ($listing) then f:listing-citation($tei, $listing, $pub, $uri)
        else string-join((
          '&quot;' || f:title-text($tei) || '&quot;',
          f:date($tei) ! normalize-space(.),
          $ref[.],
          $pub ! normalize-space(.),
          $uri ! (normalize-space(.) || ($accessed ! (' (accessed ' || (normalize-space(.)[.], @when)[1] || ')'))),
          if ($uri) then () else $file ! ('source file ' || normalize-space(.))
        )[.], ', ') || '.'"/>
  </xsl:function>

  <!-- A listing page cited as the page it is: "Collection listing page, entries 1–10 of 12,
       source file 001.txt." (the placeholder publisher of a conversion is not a publisher). -->
  <xsl:function name="f:listing-citation" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="page" as="element()"/>
    <xsl:param name="pub" as="element()?"/>
    <xsl:param name="uri" as="element()?"/>
    <xsl:variable name="kind" select="replace(normalize-space(($tei/teiHeader/fileDesc/titleStmt/title)[1]), '\s*\([^)]*\)$', '')"/>
    <xsl:variable name="named" select="normalize-space($page/title[normalize-space()][1])"/>
    <xsl:variable name="scope" select="$page/biblScope[1]"/>
    <xsl:variable name="total" select="$page/note[@type = 'total']/@n"/>
    <xsl:sequence select="string-join((
        if ($named) then '&quot;' || $named || '&quot; (collection listing page)'
        else (if ($kind) then $kind else 'Listing') || ' page',
        if ($scope/@from and $scope/@to) then 'entries ' || $scope/@from || '–' || $scope/@to || ($total ! (' of ' || .))
        else normalize-space($scope) || ($total ! (', ' || . || ' in all')),
        $pub ! normalize-space(.),
        $uri ! normalize-space(.),
        $page/idno[@type = 'file'][normalize-space()][1] ! ('source file ' || normalize-space(.))
      )[.], ', ') || '.'"/>
  </xsl:function>

  <!-- ============================================================ title page -->

  <xsl:template name="titlepage">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="titles" select="f:titles($tei)"/>
    <xsl:variable name="date" select="f:date($tei)"/>
    <xsl:variable name="ref" select="f:archival-ref($tei)"/>
    <xsl:variable name="h" select="$tei/teiHeader"/>
    <div class="titlepage">
      <h1 class="doc-title">
        <xsl:for-each select="$titles[1]">
          <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="f:lang(@xml:lang)"/></xsl:if>
        </xsl:for-each>
        <xsl:value-of select="f:title-text($tei)"/>
      </h1>
      <xsl:for-each select="$titles[position() gt 1]">
        <p class="subtitle">
          <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="f:lang(@xml:lang)"/></xsl:if>
          <xsl:value-of select="normalize-space(.)"/>
        </p>
      </xsl:for-each>
      <dl class="meta">
        <xsl:if test="$date">
          <dt>Date</dt>
          <dd class="doc-date">
            <xsl:variable name="key" select="f:date-key($date)"/>
            <xsl:choose>
              <xsl:when test="matches($key, '^\d{4}(-\d{2}(-\d{2})?)?$')">
                <time datetime="{$key}">
                  <xsl:call-template name="meta-text"><xsl:with-param name="e" select="$date"/></xsl:call-template>
                  <xsl:if test="not(normalize-space($date))"><xsl:value-of select="$key"/></xsl:if>
                </time>
              </xsl:when>
              <xsl:otherwise>
                <xsl:call-template name="meta-text"><xsl:with-param name="e" select="$date"/></xsl:call-template>
              </xsl:otherwise>
            </xsl:choose>
          </dd>
        </xsl:if>
        <xsl:if test="$ref">
          <dt>Archival reference</dt>
          <dd class="archival-ref"><xsl:value-of select="$ref"/></dd>
        </xsl:if>
        <xsl:for-each-group select="$h/fileDesc/titleStmt/(respStmt[not(name/@xml:id = 'tei-archive-edition')], editor, author)[normalize-space()]"
                            group-by="if (self::respStmt) then normalize-space(resp[1]) else (@role, local-name())[1]">
          <dt>
            <xsl:value-of select="upper-case(substring(current-grouping-key(), 1, 1)) || substring(current-grouping-key(), 2)"/>
          </dt>
          <dd>
            <xsl:value-of select="string-join(distinct-values(current-group() ! normalize-space(string-join(
                (if (self::respStmt) then (persName, name, orgName) else (persName[not(@xml:lang) or @xml:lang = 'en'], .)[1]) ! string-join(.//text(), ' '), ' '))), '; ')"/>
          </dd>
        </xsl:for-each-group>
        <xsl:variable name="src" select="$h/fileDesc/publicationStmt"/>
        <xsl:variable name="link" select="($src/idno[@type = ('URI', 'URL')][f:safe-url(.)])[1]"/>
        <xsl:if test="f:publisher($tei) or $link">
          <dt>Source</dt>
          <dd>
            <xsl:value-of select="normalize-space(f:publisher($tei))"/>
            <xsl:for-each select="$link">
              <xsl:if test="f:publisher($tei)"><xsl:text> — </xsl:text></xsl:if>
              <a href="{f:safe-url(.)}"><xsl:value-of select="normalize-space(.)"/></a>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:for-each select="$h/fileDesc/notesStmt/relatedItem[@type = 'listing'][f:doc-href(@target)][1]">
          <dt>Listed in</dt>
          <dd><a href="{f:doc-href(@target)}">collection listing</a></dd>
        </xsl:for-each>
      </dl>
      <section class="how-to-cite" aria-labelledby="ui-cite-h">
        <h2 id="ui-cite-h">How to cite</h2>
        <p class="citation"><xsl:value-of select="f:citation($tei)"/></p>
      </section>
    </div>
    <xsl:variable name="summary" select="f:summary($tei)"/>
    <xsl:if test="$summary">
      <section class="abstract" aria-labelledby="ui-abstract-h">
        <h2 id="ui-abstract-h">Abstract</h2>
        <xsl:choose>
          <xsl:when test="$summary/p">
            <xsl:for-each select="$summary/p[normalize-space()]">
              <p>
                <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="f:lang(@xml:lang)"/></xsl:if>
                <xsl:call-template name="meta-text"><xsl:with-param name="e" select="."/></xsl:call-template>
              </p>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise>
            <p><xsl:call-template name="meta-text"><xsl:with-param name="e" select="$summary"/></xsl:call-template></p>
          </xsl:otherwise>
        </xsl:choose>
      </section>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
