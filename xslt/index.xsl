<?xml version="1.0" encoding="UTF-8"?>
<!--
  index.xsl: the page around the collection index's table.

  Input (built by tei.render.index, never read from disk by Saxon): the counts and the
  listings only, so that the index of a large edition does not pass through Saxon whole:
    <c:collection xmlns:c="urn:x-tei-archive-edition:collection" documents="40" editions="13">
      <c:listing href="001.html" heading="Collection listing (1 - 10 of 12)"/> …
    </c:collection>
  The table's rows are written by tei.render.index (from each document's record.xsl record:
  one row per listing entry, linked to the page it names, plus every page no listing names,
  sorted by date, undated last) in place of the "rows" comment; the page script
  re-sorts and filters them on request.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:c="urn:x-tei-archive-edition:collection"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="html.xsl"/>

  <xsl:template match="/">
    <xsl:apply-templates select="c:collection" mode="index"/>
  </xsl:template>

  <xsl:template match="/c:collection" mode="index">
    <xsl:variable name="listings" select="c:listing"/>
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
            <xsl:value-of select="@documents || ' documents, ' || @editions || ' with an edition page. Sorted by date; undated documents last.'"/>
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
            <tbody><xsl:comment>rows</xsl:comment></tbody>
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
