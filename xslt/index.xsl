<?xml version="1.0" encoding="UTF-8"?>
<!--
  index.xsl: the collection index page.

  Input (built by tei.render.index, never read from disk by Saxon): one small record per
  rendered document, as record.xsl makes them (the documents themselves are not held):
    <c:collection xmlns:c="urn:x-tei-archive-edition:collection">
      <c:doc href="000.html" src="000.xml" kind="document" key="…" title="…" …/>
      <c:doc href="001.html" src="001.xml" kind="listing" …><c:entry corresp="000.xml" …/></c:doc> …
    </c:collection>
  Entries: every entry of the listing catalogues, linked through @corresp to its rendered
  page, plus every rendered document no listing names.
  Sorted by date (undated last) without JavaScript; the inline script re-sorts on request.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:c="urn:x-tei-archive-edition:collection"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="html.xsl"/>

  <xsl:variable name="root" select="/"/>
  <xsl:variable name="docs" select="/c:collection/c:doc"/>
  <xsl:key name="by-src" match="c:doc" use="@src"/>
  <xsl:key name="by-href" match="c:doc" use="@href"/>

  <!-- The TEI file name a listing entry's @corresp points to ('' for none). -->
  <xsl:function name="f:corresp-file" as="xs:string">
    <xsl:param name="corresp" as="xs:string?"/>
    <xsl:sequence select="replace(substring-before(normalize-space($corresp) || '#', '#'), '^.*/', '')"/>
  </xsl:function>

  <!-- The rendered page a listing entry points to, or (). -->
  <xsl:function name="f:entry-href" as="xs:string?">
    <xsl:param name="corresp" as="xs:string?"/>
    <xsl:variable name="file" select="f:corresp-file($corresp)"/>
    <xsl:sequence select="if ($file = '') then () else (key('by-src', $file, $root)/@href ! string(.))[1]"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:apply-templates select="c:collection"/>
  </xsl:template>

  <xsl:template match="/c:collection">
    <xsl:variable name="listings" select="$docs[@kind = 'listing']"/>
    <xsl:variable name="items" select="$listings/c:entry"/>
    <xsl:variable name="named" select="distinct-values($items/@corresp ! f:corresp-file(.))"/>
    <!-- one row per entry: maps with date key, date text, title, summary, href, kind -->
    <xsl:variable name="rows" as="map(*)*">
      <xsl:for-each-group select="$items" group-by="(f:entry-href(@corresp), @title || '|' || @key)[1]">
        <xsl:variable name="b" select="current-group()[1]"/>
        <xsl:variable name="href" select="f:entry-href($b/@corresp)"/>
        <xsl:variable name="page" select="if (exists($href)) then key('by-href', $href, $root)[1][@kind != 'other'] else ()"/>
        <xsl:sequence select="map{
            'key': string($b/@key), 'date': string($b/@date),
            'title': string($b/@title), 'summary': string($b/@summary),
            'href': $href, 'id': string($b/@id),
            'archive': string(($page/@archive, $b/@archive)[1]),
            'lang': string(($page/@lang, $b/@lang)[1])}"/>
      </xsl:for-each-group>
      <xsl:for-each select="$docs[@kind != 'listing'][not(@src = $named)]">
        <xsl:sequence select="map{
            'key': string(@key), 'date': string(@date),
            'title': string((@title[. != ''], @src)[1]),
            'summary': string(@summary), 'href': string(@href), 'id': '',
            'archive': string(@archive), 'lang': string(@lang)}"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="sorted" as="map(*)*">
      <xsl:perform-sort select="$rows">
        <xsl:sort select="?key = ''"/>
        <xsl:sort select="?key"/>
        <xsl:sort select="lower-case(?title)"/>
        <xsl:sort select="?href"/>
      </xsl:perform-sort>
    </xsl:variable>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="tei-archive-edition"/>
        <title><xsl:value-of select="$index-title"/></title>
        <xsl:call-template name="error-capture"/>
        <link rel="stylesheet" href="{$assets}edition.css"/>
        <script src="{$assets}edition.js" defer="defer"></script>
      </head>
      <body class="index-page">
        <a class="skip-link" href="#ui-index">Skip to the list</a>
        <main id="ui-main">
          <h1><xsl:value-of select="$index-title"/></h1>
          <p class="index-summary">
            <xsl:value-of select="count($sorted) || ' documents, ' || count($sorted[?href != '']) || ' with an edition page. Sorted by date; undated documents last.'"/>
          </p>
          <div class="index-filter" id="ui-filter-box" hidden="hidden">
            <label for="ui-filter">Filter</label>
            <input type="search" id="ui-filter" autocomplete="off"
                   placeholder="title, date, archive, language"
                   aria-describedby="ui-filter-count"/>
            <span id="ui-filter-count" class="filter-count" aria-live="polite"></span>
          </div>
          <table class="index-table" id="ui-index">
            <thead>
              <tr>
                <th scope="col" aria-sort="ascending" data-key="date"><button type="button" data-sort="date">Date</button></th>
                <th scope="col" aria-sort="none" data-key="title"><button type="button" data-sort="title">Title</button></th>
                <th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$sorted">
                <tr data-date="{?key}" data-title="{lower-case(?title)}" data-pos="{position()}"
                    data-search="{lower-case(string-join((?date, ?key, ?title, ?archive, ?lang), ' '))}">
                  <xsl:if test="?href != ''"><xsl:attribute name="class" select="'converted'"/></xsl:if>
                  <td class="date">
                    <xsl:choose>
                      <xsl:when test="matches(?key, '^\d{4}(-\d{2}(-\d{2})?)?$')">
                        <time datetime="{?key}"><xsl:value-of select="(?date[. != ''], ?key)[1]"/></time>
                      </xsl:when>
                      <xsl:otherwise><xsl:value-of select="(?date[. != ''], 'undated')[1]"/></xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="title">
                    <xsl:choose>
                      <xsl:when test="?href != ''">
                        <a href="{?href}"><xsl:value-of select="(?title[. != ''], ?href)[1]"/></a>
                        <xsl:text> </xsl:text>
                        <span class="converted-mark">edition</span>
                      </xsl:when>
                      <xsl:otherwise><xsl:value-of select="(?title[. != ''], 'Untitled')[1]"/></xsl:otherwise>
                    </xsl:choose>
                    <xsl:if test="?archive != '' or ?lang != ''">
                      <span class="entry-meta">
                        <xsl:if test="?archive != ''"><span class="archive"><xsl:value-of select="?archive"/></span></xsl:if>
                        <xsl:if test="?archive != '' and ?lang != ''"> · </xsl:if>
                        <xsl:if test="?lang != ''"><span class="languages"><xsl:value-of select="?lang"/></span></xsl:if>
                      </span>
                    </xsl:if>
                  </td>
                  <td class="summary"><xsl:value-of select="?summary"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <xsl:if test="$listings">
            <section class="listings" aria-labelledby="ui-listings-h">
              <h2 id="ui-listings-h">Source listings</h2>
              <ul>
                <xsl:for-each select="$listings">
                  <li><a href="{@href}"><xsl:value-of select="@heading"/></a></li>
                </xsl:for-each>
              </ul>
            </section>
          </xsl:if>
        </main>
        <footer class="site-footer"><p>Rendered from TEI P5 by tei-archive-edition.</p></footer>
      </body>
    </html>
  </xsl:template>

</xsl:stylesheet>
