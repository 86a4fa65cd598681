<?xml version="1.0" encoding="UTF-8"?>
<!--
  inlines.xsl: editorial phenomena the way print editions show them.

  Where the diplomatic and the reading text differ (choice, sic/corr, abbr/expan/ex, orig/reg,
  del, am, hyphenated line ends), both are written: <span class="dp"> and <span class="rd">;
  the CSS shows the reading text unless <body> has class "diplomatic" (the toggle button).
  Wrappers carry class "ed" so tests and scripts can find every editorial phenomenon.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- ============================================================ alternatives -->

  <xsl:template match="choice" mode="tei">
    <xsl:variable name="d" select="(sic, abbr, orig, *)[1]"/>
    <xsl:variable name="r" select="(corr, expan, reg, *[not(. is $d)], $d)[1]"/>
    <span class="ed tei-choice" data-ed="{($d ! local-name(), 'choice')[1]}"
          title="{normalize-space(string-join((local-name($d) || ': ' || normalize-space($d), local-name($r) || ': ' || normalize-space($r)), ' · '))}">
      <xsl:call-template name="dual">
        <xsl:with-param name="dipl" as="item()*">
          <xsl:apply-templates select="$d/node()" mode="tei"/>
          <xsl:if test="$d/self::sic">
            <xsl:text> </xsl:text>
            <span class="sic-mark">[sic]</span>
          </xsl:if>
        </xsl:with-param>
        <xsl:with-param name="read" as="item()*">
          <span class="{local-name($r)}"><xsl:apply-templates select="$r/node()" mode="tei"/></span>
        </xsl:with-param>
      </xsl:call-template>
    </span>
  </xsl:template>

  <xsl:template match="sic" mode="tei">
    <span class="ed tei-sic" data-ed="sic" title="sic: as in the source">
      <xsl:apply-templates mode="tei"/>
      <xsl:call-template name="dual">
        <xsl:with-param name="dipl" select="()"/>
        <xsl:with-param name="read" as="item()*">
          <xsl:text> </xsl:text>
          <span class="sic-mark">[sic]</span>
        </xsl:with-param>
      </xsl:call-template>
    </span>
  </xsl:template>

  <xsl:template match="corr" mode="tei">
    <span class="ed tei-corr" data-ed="corr" title="correction">
      <xsl:call-template name="dual">
        <xsl:with-param name="dipl" select="()"/>
        <xsl:with-param name="read" as="item()*">
          <xsl:text>⌜</xsl:text><xsl:apply-templates mode="tei"/><xsl:text>⌝</xsl:text>
        </xsl:with-param>
      </xsl:call-template>
    </span>
  </xsl:template>

  <xsl:template match="abbr" mode="tei">
    <abbr class="tei-abbr">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="f:lang(@xml:lang)"/></xsl:if>
      <xsl:apply-templates mode="tei"/>
    </abbr>
  </xsl:template>

  <xsl:template match="expan" mode="tei">
    <span class="tei-expan"><xsl:apply-templates mode="tei"/></span>
  </xsl:template>

  <!-- Editorial expansion of an abbreviation: "(us)" in the reading text only. -->
  <xsl:template match="ex" mode="tei">
    <span class="ed tei-ex" data-ed="ex">
      <xsl:call-template name="dual">
        <xsl:with-param name="dipl" select="()"/>
        <xsl:with-param name="read" as="item()*">
          <xsl:text>(</xsl:text><xsl:apply-templates mode="tei"/><xsl:text>)</xsl:text>
        </xsl:with-param>
      </xsl:call-template>
    </span>
  </xsl:template>

  <!-- Abbreviation marker: visible in the diplomatic text only. -->
  <xsl:template match="am" mode="tei">
    <span class="ed tei-am" data-ed="am">
      <xsl:call-template name="dual">
        <xsl:with-param name="dipl" as="item()*"><xsl:apply-templates mode="tei"/></xsl:with-param>
        <xsl:with-param name="read" select="()"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <xsl:template match="orig | reg" mode="tei">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <!-- ============================================================ editors' interventions -->

  <xsl:template match="supplied" mode="tei">
    <xsl:variable name="brackets" select="if (@reason = 'omitted') then ('⟨', '⟩') else ('[', ']')"/>
    <span class="ed tei-supplied" data-ed="supplied"
          title="{normalize-space(string-join(('supplied', @reason ! ('(' || . || ')'), @resp ! ('by ' || replace(., '^#', ''))), ' '))}">
      <xsl:value-of select="$brackets[1]"/>
      <xsl:apply-templates mode="tei"/>
      <xsl:if test="@cert = 'low'">?</xsl:if>
      <xsl:value-of select="$brackets[2]"/>
    </span>
  </xsl:template>

  <xsl:template match="gap" mode="tei">
    <xsl:variable name="extent" select="normalize-space(string-join((@quantity, @extent, @unit), ' '))"/>
    <span class="ed tei-gap" data-ed="gap"
          title="{normalize-space(string-join(('gap', @reason ! ('(' || . || ')'), $extent[.]), ' '))}">
      <xsl:text>[...]</xsl:text>
    </span>
  </xsl:template>

  <!-- A blank left in the source: a visible empty field. -->
  <xsl:template match="space" mode="tei">
    <xsl:variable name="n" select="if (@quantity castable as xs:integer) then max((2, min((xs:integer(@quantity), 12)))) else 4"/>
    <xsl:variable name="desc" select="normalize-space(string-join(('blank space', @quantity ! (. || ' ' || (../@unit, 'characters')[1]), desc ! ('— ' || .)), ' '))"/>
    <span class="ed tei-space" data-ed="space" title="{$desc}">
      <span class="space-box" aria-hidden="true">
        <xsl:value-of select="string-join((1 to $n) ! '&#xA0;', '')"/>
      </span>
      <span class="vh"><xsl:value-of select="'[' || $desc || ']'"/></span>
    </span>
  </xsl:template>

  <!-- Unclear reading. OCR suspects get a "(?)"; others the Leiden underdot. -->
  <xsl:template match="unclear" mode="tei">
    <span class="ed tei-unclear" data-ed="unclear"
          title="{normalize-space(string-join(('unclear', @reason ! ('(' || . || ')')), ' '))}">
      <xsl:choose>
        <xsl:when test="starts-with(@reason, 'ocr') or *">
          <xsl:apply-templates mode="tei"/>
          <sup class="unclear-mark">(?)</sup>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="replace(string(.), '(\S)', '$1&#x323;')"/>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="del" mode="tei">
    <span class="ed tei-del" data-ed="del" title="deleted in the source">
      <xsl:call-template name="dual">
        <xsl:with-param name="dipl" as="item()*"><del><xsl:apply-templates mode="tei"/></del></xsl:with-param>
        <xsl:with-param name="read" select="()"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <!-- Addition (e.g. handwritten), styled and labelled with hand and place. -->
  <xsl:template match="add" mode="tei">
    <span class="ed tei-add" data-ed="add"
          title="{normalize-space(string-join(('addition', @hand ! ('(' || replace(., '^#', '') || ')'), @place[. != 'unspecified'] ! ('— ' || .)), ' '))}">
      <xsl:if test="@place"><xsl:attribute name="data-place" select="f:token(@place)"/></xsl:if>
      <xsl:if test="not(preceding-sibling::node()[normalize-space()][1][self::label[@type = 'editorial']] or
                        preceding-sibling::node()[1][self::text()][matches(., ':\s*$')])">
        <span class="badge">added</span>
      </xsl:if>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <xsl:template match="surplus" mode="tei">
    <span class="ed tei-surplus" data-ed="surplus" title="surplus">{<xsl:apply-templates mode="tei"/>}</span>
  </xsl:template>

  <!-- Stamps and seals: a box with a small label, unless the text already says "stamp:". -->
  <xsl:template match="stamp" mode="tei">
    <xsl:variable name="kind" select="(@type[normalize-space()], 'stamp')[1]"/>
    <span class="ed tei-stamp" data-ed="stamp" data-type="{f:token($kind)}" title="{$kind}">
      <xsl:if test="not(preceding-sibling::node()[1][self::text()][matches(., $kind || ':\s*$', 'i')])">
        <span class="badge"><xsl:value-of select="$kind"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <xsl:template match="label[@type = 'editorial']" mode="tei">
    <span class="ed-label"><xsl:apply-templates mode="tei"/></span>
  </xsl:template>

  <xsl:template match="label" mode="tei">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <!-- Term and the translator's gloss, shown in brackets. -->
  <xsl:template match="term" mode="tei">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <xsl:template match="gloss" mode="tei">
    <span class="ed tei-gloss" data-ed="gloss" title="gloss">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="f:lang(@xml:lang)"/></xsl:if>
      <xsl:text>[</xsl:text><xsl:apply-templates mode="tei"/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="foreign" mode="tei">
    <i>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </i>
  </xsl:template>

  <!-- ============================================================ typography -->

  <xsl:template match="hi" mode="tei">
    <xsl:variable name="r" select="string-join((@rend, @rendition, @style), ' ')"/>
    <xsl:variable name="el" select="
        if (contains($r, 'sup')) then 'sup' else if (contains($r, 'sub')) then 'sub'
        else if (contains($r, 'bold')) then 'b' else if (contains($r, 'italic')) then 'i'
        else if (contains($r, 'strike')) then 's' else 'span'"/>
    <xsl:element name="{$el}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="tokenize($r) ! ('rend-' || f:token(.))"/>
      </xsl:call-template>
      <xsl:apply-templates mode="tei"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="emph" mode="tei">
    <em><xsl:call-template name="attrs"/><xsl:apply-templates mode="tei"/></em>
  </xsl:template>

  <xsl:template match="title" mode="tei">
    <cite><xsl:call-template name="attrs"/><xsl:apply-templates mode="tei"/></cite>
  </xsl:template>

  <xsl:template match="q | said | soCalled | mentioned" mode="tei">
    <q><xsl:call-template name="attrs"/><xsl:apply-templates mode="tei"/></q>
  </xsl:template>

  <xsl:template match="persName | placeName | orgName | geogName | name | rs | roleName | forename | surname
                       | date | time | num | measure | seg | w | c | pc | origPlace | origDate | idno | citedRange
                       | bibl | author | editor | biblScope | pubPlace | publisher | material | objectType | dimensions
                       | height | width | depth | dim | locus | settlement | region | country | repository" mode="tei">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <!-- Words and characters: no wrapper needed (keeps the pages small). -->
  <xsl:template match="w[not(@xml:id or @xml:lang)] | c[not(@xml:id)] | pc[not(@xml:id)]" priority="2" mode="tei">
    <xsl:apply-templates mode="tei"/>
  </xsl:template>

  <xsl:template match="g" mode="tei">
    <span class="tei-g" title="{normalize-space(string-join((@ref, @type), ' '))}">
      <xsl:choose>
        <xsl:when test="normalize-space(.)"><xsl:apply-templates mode="tei"/></xsl:when>
        <xsl:otherwise>◊</xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="certainty | respons | precision | interp | interpGrp | span | link | linkGrp | join | alt | altGrp | index | fs | f" mode="tei"/>

  <!-- ============================================================ links -->

  <xsl:template match="ref | ptr" mode="tei">
    <xsl:variable name="target" select="tokenize(normalize-space(@target))[1]"/>
    <xsl:variable name="root" select="root(.)"/>
    <xsl:variable name="href" select="(f:doc-href($target), f:safe-url($target)[starts-with(., 'http') or starts-with(., '#') and key('id', substring(., 2), $root)])[1]"/>
    <xsl:choose>
      <xsl:when test="$href">
        <a href="{$href}">
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
          <xsl:if test="self::ptr or not(normalize-space(.))"><xsl:value-of select="$target"/></xsl:if>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
          <xsl:if test="self::ptr"><xsl:value-of select="$target"/></xsl:if>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ line, column, milestones -->

  <!-- Line break: a <br> where the source breaks the line, except before any text of its block.
       A hyphenated break (break="no") shows the hyphen diplomatically and joins the word. -->
  <xsl:template match="lb" mode="tei">
    <xsl:variable name="block" select="ancestor::*[self::p or self::ab or self::l or self::head or self::item or self::cell or self::div][1]"/>
    <!-- = some text node of $block before this one is not blank: the nearest non-blank text
         before the lb is inside $block (everything between $block's start and the lb is). -->
    <xsl:variable name="has-text-before" select="exists(preceding::text()[normalize-space()][1][. >> $block])"/>
    <xsl:variable name="joined" select="@break = 'no'"/>
    <xsl:if test="$has-text-before">
      <xsl:choose>
        <xsl:when test="$joined">
          <xsl:call-template name="dual">
            <xsl:with-param name="dipl" as="item()*">
              <xsl:if test="@rend = 'hyphen'">-</xsl:if>
              <br/>
            </xsl:with-param>
            <xsl:with-param name="read" select="()"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise><br/></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
    <xsl:if test="@n[. castable as xs:integer][xs:integer(.) gt 0 and xs:integer(.) mod 5 = 0]">
      <span class="lineno" aria-hidden="true"><xsl:value-of select="@n"/></span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="cb" mode="tei">
    <span class="tei-cb" title="column break">‖</span>
  </xsl:template>

  <xsl:template match="milestone | anchor" mode="tei">
    <xsl:if test="@unit or @n">
      <span class="tei-milestone" title="{normalize-space(string-join((@unit, @n), ' '))}">|</span>
    </xsl:if>
  </xsl:template>

  <!-- Forme work (folio numbers, running heads of the source). -->
  <xsl:template match="fw" mode="tei">
    <xsl:element name="{if (f:block-container(parent::*)) then 'div' else 'span'}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="@type ! ('type-' || f:token(.))"/>
      </xsl:call-template>
      <xsl:apply-templates mode="tei"/>
    </xsl:element>
  </xsl:template>

  <!-- XInclude is never processed: a fallback is what is there. -->
  <xsl:template match="*:include[namespace-uri() = 'http://www.w3.org/2001/XInclude']" mode="tei">
    <xsl:apply-templates select="*:fallback/node()" mode="tei"/>
  </xsl:template>

</xsl:stylesheet>
