<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl: one TEI document -> one HTML5 page of the edition (screen layer).
  Self-contained: the page needs only assets/edition.css and assets/edition.js next to it.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="modules/main.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:template match="/">
    <xsl:variable name="tei" select="f:doc(.)"/>
    <html lang="{f:page-lang($tei)}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="tei-archive-edition"/>
        <title><xsl:value-of select="f:title-text($tei)"/></title>
        <xsl:call-template name="error-capture"/>
        <link rel="stylesheet" href="{$assets}edition.css"/>
        <script src="{$assets}edition.js" defer="defer"></script>
      </head>
      <body class="reading doc-page">
        <a class="skip-link" href="#ui-text">Skip to the text</a>
        <header class="site-header">
          <nav aria-label="Edition">
            <xsl:if test="$index-href">
              <a href="{$index-href}">Collection index</a>
            </xsl:if>
            <xsl:if test="$tei-href">
              <a class="source-link" href="{$tei-href}" type="application/tei+xml">TEI source</a>
            </xsl:if>
            <xsl:if test="$pdf-href">
              <a class="pdf-link" href="{$pdf-href}" type="application/pdf">PDF</a>
            </xsl:if>
          </nav>
          <div class="view-switch">
            <button type="button" id="ui-view-toggle" aria-pressed="false" hidden="hidden"
                    title="Switch between the reading text and the diplomatic text (as in the source)">Diplomatic text</button>
            <noscript><span class="noscript">Reading text shown (the diplomatic view needs JavaScript).</span></noscript>
          </div>
        </header>
        <main id="ui-main">
          <xsl:call-template name="titlepage">
            <xsl:with-param name="tei" select="$tei"/>
          </xsl:call-template>
          <div class="edition-body">
            <div class="text-column" id="ui-text">
              <xsl:call-template name="facsimile-note">
                <xsl:with-param name="tei" select="$tei"/>
              </xsl:call-template>
              <xsl:call-template name="document-text">
                <xsl:with-param name="tei" select="$tei"/>
              </xsl:call-template>
              <xsl:call-template name="notes-section">
                <xsl:with-param name="text" select="$tei//text"/>
              </xsl:call-template>
            </div>
            <xsl:call-template name="facsimile-panel">
              <xsl:with-param name="tei" select="$tei"/>
            </xsl:call-template>
          </div>
        </main>
        <footer class="site-footer">
          <p>Rendered from TEI P5 by tei-archive-edition.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- Records script errors, failed resources and console.error calls in
       html/@data-js-errors, so a headless browser's DOM dump shows them. -->
  <xsl:template name="error-capture">
    <script>(function(){var d=document.documentElement,e=[];function r(m){e.push(String(m).slice(0,300));d.setAttribute('data-js-errors',e.join(' | '));}d.setAttribute('data-js-errors','');d.className+=' js';window.addEventListener('error',function(v){var t=v.target;var u=(t&amp;&amp;(t.src||t.href))||'';if(v.message||!/^https?:/.test(u)){r(v.message||('failed to load '+(u||'resource')));}},true);window.addEventListener('unhandledrejection',function(v){r('unhandled rejection: '+v.reason);});var c=console.error;console.error=function(){r(Array.prototype.join.call(arguments,' '));return c.apply(console,arguments);};})();</script>
  </xsl:template>

</xsl:stylesheet>
