<?xml version="1.0" encoding="UTF-8"?>
<!--
  parallel.xsl: original and translation side by side.

  With standOff/linkGrp[@type='translation']: one row per link (original blocks left,
  translation blocks right, data-link="k"). Blocks no link names are not lost: they go, in
  document order, into an "unaligned" row just before the row of the next linked block of the
  same side (or at the end). Milestones (pb, fw) travel with the block that follows them;
  block-level notes without an id stay with the block before them.

  Without links (e.g. EpiDoc edition + translations): one row holding whole divisions.
  The row markup is a named template so the print layer can make a table of it.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:function name="f:original-divs" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/text/body/div[@type = ('original', 'edition')]"/>
  </xsl:function>

  <xsl:function name="f:translation-divs" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/text/body/div[@type = 'translation']"/>
  </xsl:function>

  <xsl:function name="f:links" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/(standOff, text, teiHeader)//linkGrp[@type = 'translation']/link[normalize-space(@target)]"/>
  </xsl:function>

  <!-- Block-level content of divisions in document order, through nested sections. -->
  <!-- A table or list whose rows/items (not the whole) are link targets is split into them. -->
  <xsl:function name="f:flow" as="element()*">
    <xsl:param name="divs" as="element()*"/>
    <xsl:param name="link-of" as="map(*)"/>
    <xsl:for-each select="$divs/*">
      <xsl:choose>
        <xsl:when test="self::div[@type = 'notes']"/>
        <xsl:when test="self::div"><xsl:sequence select="f:flow(., $link-of)"/></xsl:when>
        <xsl:when test="(self::table | self::list)[not(@xml:id and map:contains($link-of, @xml:id))]
                        [(row | item)[@xml:id][map:contains($link-of, @xml:id)]]">
          <xsl:sequence select="row | item"/>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <!-- 'f': attaches forward (milestones); 'b': attaches backward (id-less notes); 'u': a unit. -->
  <xsl:function name="f:kind" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if (f:is-milestone($e)) then 'f' else if ($e/self::note[not(@xml:id)]) then 'b' else 'u'"/>
  </xsl:function>

  <!-- The groups of one side: maps {k: link index?, slot: row it precedes, nodes: elements}. -->
  <xsl:function name="f:side-groups" as="map(*)*">
    <xsl:param name="divs" as="element()*"/>
    <xsl:param name="link-of" as="map(*)"/>
    <xsl:param name="nlinks" as="xs:integer"/>
    <xsl:variable name="flow" select="f:flow($divs, $link-of)"/>
    <xsl:variable name="kinds" select="$flow ! f:kind(.)"/>
    <xsl:variable name="nunits" select="max((1, count($kinds[. = 'u'])))"/>
    <xsl:variable name="gidx" as="xs:integer*">
      <xsl:iterate select="$kinds">
        <xsl:param name="seen" as="xs:integer" select="0"/>
        <xsl:sequence select="min(($nunits, if (. = 'b') then max((1, $seen)) else $seen + 1))"/>
        <xsl:next-iteration>
          <xsl:with-param name="seen" select="if (. = 'u') then $seen + 1 else $seen"/>
        </xsl:next-iteration>
      </xsl:iterate>
    </xsl:variable>
    <xsl:variable name="groups" as="map(*)*">
      <xsl:for-each-group select="$flow" group-adjacent="let $p := position() return $gidx[$p]">
        <xsl:variable name="ids" select="current-group()[f:kind(.) = 'u']/descendant-or-self::*/@xml:id"/>
        <xsl:sequence select="map{'k': min($ids ! $link-of(string(.))), 'nodes': current-group()}"/>
      </xsl:for-each-group>
    </xsl:variable>
    <!-- slot of an unlinked group: the row of the next linked group on this side -->
    <xsl:iterate select="reverse($groups)">
      <xsl:param name="next" as="xs:integer" select="$nlinks + 1"/>
      <xsl:param name="out" as="map(*)*" select="()"/>
      <xsl:on-completion select="$out"/>
      <xsl:variable name="k" select=".?k" as="xs:integer?"/>
      <xsl:next-iteration>
        <xsl:with-param name="next" select="($k, $next)[1]"/>
        <xsl:with-param name="out" select="(map:put(., 'slot', ($k, $next)[1]), $out)"/>
      </xsl:next-iteration>
    </xsl:iterate>
  </xsl:function>

  <!-- The groups' nodes by one of their keys ('k' or 'slot'), in group order. -->
  <xsl:function name="f:nodes-by" as="map(*)">
    <xsl:param name="groups" as="map(*)*"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="map:merge($groups ! map{.($key): .?nodes}, map{'duplicates': 'combine'})"/>
  </xsl:function>

  <!-- A link's confidence (@cert: a number from 0 to 1, or low/medium/high), as written. -->
  <xsl:function name="f:cert" as="xs:string">
    <xsl:param name="link" as="element()?"/>
    <xsl:sequence select="normalize-space($link/@cert)"/>
  </xsl:function>

  <xsl:function name="f:low-cert" as="xs:boolean">
    <xsl:param name="cert" as="xs:string"/>
    <xsl:sequence select="$cert = ('low', 'unknown')
        or ($cert castable as xs:double and xs:double($cert) lt number($low-cert))"/>
  </xsl:function>

  <xsl:function name="f:side-lang" as="xs:string?">
    <xsl:param name="divs" as="element()*"/>
    <xsl:sequence select="($divs/ancestor-or-self::*/@xml:lang)[last()] ! f:lang(.)"/>
  </xsl:function>

  <xsl:function name="f:side-title" as="xs:string">
    <xsl:param name="divs" as="element()*"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="langs" select="distinct-values($divs/@xml:lang ! f:lang-name(., .))"/>
    <xsl:sequence select="$what || (' — ' || string-join($langs, ', '))[exists($langs)]"/>
  </xsl:function>

  <!-- ============================================================ the view -->

  <xsl:template name="parallel-view">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="orig" select="f:original-divs($tei)"/>
    <xsl:variable name="trans" select="f:translation-divs($tei)"/>
    <xsl:variable name="links" select="f:links($tei)"/>
    <xsl:variable name="n" select="count($links)"/>
    <xsl:variable name="link-of" as="map(*)" select="map:merge(
        for $i in 1 to $n return
          for $t in distinct-values(tokenize(normalize-space($links[$i]/@target))) return
            map{replace($t, '^#', ''): $i},
        map{'duplicates': 'use-first'})"/>
    <section class="parallel" id="ui-parallel" aria-label="Original and translation side by side">
      <xsl:call-template name="pv-head">
        <xsl:with-param name="left" select="f:side-title($orig, 'Original')"/>
        <xsl:with-param name="right" select="f:side-title($trans, 'Translation')"/>
        <xsl:with-param name="left-lang" select="f:side-lang($orig)"/>
        <xsl:with-param name="right-lang" select="f:side-lang($trans)"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$n gt 0">
          <xsl:variable name="lg" select="f:side-groups($orig, $link-of, $n)"/>
          <xsl:variable name="rg" select="f:side-groups($trans, $link-of, $n)"/>
          <!-- rows by link number and gaps by slot, looked up in maps (not a scan per row) -->
          <xsl:variable name="l-row" select="f:nodes-by($lg[exists(?k)], 'k')"/>
          <xsl:variable name="r-row" select="f:nodes-by($rg[exists(?k)], 'k')"/>
          <xsl:variable name="l-gap" select="f:nodes-by($lg[empty(?k)], 'slot')"/>
          <xsl:variable name="r-gap" select="f:nodes-by($rg[empty(?k)], 'slot')"/>
          <xsl:variable name="left-lang" select="f:side-lang($orig)"/>
          <xsl:variable name="right-lang" select="f:side-lang($trans)"/>
          <xsl:for-each select="1 to $n + 1">
            <xsl:variable name="k" select="."/>
            <xsl:variable name="gap-l" select="$l-gap($k)"/>
            <xsl:variable name="gap-r" select="$r-gap($k)"/>
            <xsl:if test="$gap-l or $gap-r">
              <xsl:call-template name="pv-row">
                <xsl:with-param name="left" select="$gap-l"/>
                <xsl:with-param name="right" select="$gap-r"/>
                <xsl:with-param name="left-lang" select="$left-lang"/>
                <xsl:with-param name="right-lang" select="$right-lang"/>
              </xsl:call-template>
            </xsl:if>
            <xsl:if test="$k le $n">
              <xsl:call-template name="pv-row">
                <xsl:with-param name="link" select="$links[$k]"/>
                <xsl:with-param name="k" select="$k"/>
                <xsl:with-param name="left" select="$l-row($k)"/>
                <xsl:with-param name="right" select="$r-row($k)"/>
                <xsl:with-param name="left-lang" select="$left-lang"/>
                <xsl:with-param name="right-lang" select="$right-lang"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="pv-row">
            <xsl:with-param name="left" select="$orig"/>
            <xsl:with-param name="right" select="$trans"/>
            <xsl:with-param name="whole" select="true()"/>
            <xsl:with-param name="left-lang" select="f:side-lang($orig)"/>
            <xsl:with-param name="right-lang" select="f:side-lang($trans)"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- A row or item shown on its own in the parallel view keeps its table/list markup. -->
  <xsl:template match="table/row" mode="part">
    <table class="tei-table part">
      <xsl:if test="not(preceding-sibling::row) and ../@xml:id"><xsl:attribute name="id" select="../@xml:id"/></xsl:if>
      <tbody>
        <xsl:apply-templates select="." mode="tei"/>
      </tbody>
    </table>
  </xsl:template>
  <xsl:template match="list/item" mode="part">
    <ul class="tei-list labelled part">
      <xsl:if test="not(preceding-sibling::item) and ../@xml:id"><xsl:attribute name="id" select="../@xml:id"/></xsl:if>
      <xsl:apply-templates select="." mode="list-item"/>
    </ul>
  </xsl:template>
  <xsl:template match="*" mode="part">
    <xsl:apply-templates select="." mode="tei"/>
  </xsl:template>

  <xsl:template name="pv-head">
    <xsl:param name="left" as="xs:string"/>
    <xsl:param name="right" as="xs:string"/>
    <xsl:param name="left-lang" as="xs:string?"/>
    <xsl:param name="right-lang" as="xs:string?"/>
    <div class="pv-row pv-head">
      <h2 class="pv-cell pv-orig">
        <xsl:value-of select="$left"/>
      </h2>
      <h2 class="pv-cell pv-trans">
        <xsl:value-of select="$right"/>
      </h2>
    </div>
  </xsl:template>

  <!-- One row: link rows carry data-link (1-based) and the link's targets. -->
  <xsl:template name="pv-row">
    <xsl:param name="link" as="element()?" select="()"/>
    <xsl:param name="k" as="xs:integer?" select="()"/>
    <xsl:param name="left" as="element()*"/>
    <xsl:param name="right" as="element()*"/>
    <xsl:param name="left-lang" as="xs:string?"/>
    <xsl:param name="right-lang" as="xs:string?"/>
    <xsl:param name="whole" as="xs:boolean" select="false()"/>
    <div class="pv-row{if ($whole) then ' pv-whole' else if (empty($k)) then ' pv-unaligned' else ''}">
      <xsl:if test="exists($k)">
        <xsl:variable name="cert" select="f:cert($link)"/>
        <xsl:attribute name="data-link" select="$k"/>
        <xsl:attribute name="id" select="'ui-link-' || $k"/>
        <xsl:attribute name="data-targets" select="normalize-space($link/@target)"/>
        <xsl:attribute name="tabindex" select="0"/>
        <xsl:if test="$cert != ''">
          <xsl:attribute name="data-cert" select="$cert"/>
          <xsl:if test="f:low-cert($cert)"><xsl:attribute name="data-low" select="'true'"/></xsl:if>
        </xsl:if>
        <span class="pv-cert{if (f:low-cert($cert)) then ' low' else ''}">
          <xsl:value-of select="if ($cert = '') then 'aligned (confidence not stated)'
              else if (f:low-cert($cert)) then 'low-confidence alignment: ' || $cert
              else 'alignment confidence: ' || $cert"/>
        </span>
      </xsl:if>
      <div class="pv-cell pv-orig" data-side="Original">
        <xsl:if test="$left-lang"><xsl:attribute name="lang" select="f:lang($left-lang)"/></xsl:if>
        <xsl:apply-templates select="$left" mode="part">
          <xsl:with-param name="pv" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </div>
      <div class="pv-cell pv-trans" data-side="Translation">
        <xsl:if test="$right-lang"><xsl:attribute name="lang" select="f:lang($right-lang)"/></xsl:if>
        <xsl:apply-templates select="$right" mode="part">
          <xsl:with-param name="pv" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </div>
    </div>
  </xsl:template>

</xsl:stylesheet>
