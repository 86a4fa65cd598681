<?xml version="1.0" encoding="UTF-8"?>
<!--
  facsimile.xsl: the facsimile panel (a viewer over one thumbnail per surface whose image can
  be shown; surfaces without one are listed, not linked), the one-line note when no image can be
  shown, and page-break markers that link to their surface when it has an image.
  Local images are shown only when the caller says they exist ($images); IIIF images get the
  200-pixel thumbnail variant (…/full/200,/0/default.jpg).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- The HTML id of a surface's figure. -->
  <xsl:function name="f:surface-id" as="xs:string">
    <xsl:param name="s" as="element()"/>
    <xsl:variable name="num" select="string(count($s/preceding-sibling::surface) + 1)"/>
    <xsl:sequence select="'ui-facs-' || ($s/@xml:id, $num)[1]"/>
  </xsl:function>

  <xsl:function name="f:surface-label" as="xs:string">
    <xsl:param name="s" as="element()"/>
    <xsl:variable name="num" select="string(count($s/preceding-sibling::surface) + 1)"/>
    <xsl:sequence select="
        if ($s/@n[normalize-space()]) then 'Folio ' || normalize-space($s/@n)
        else if ($s/@type) then 'Surface ' || $num || ' (' || $s/@type || ')'
        else 'Surface ' || $num"/>
  </xsl:function>

  <!-- The image to show for a surface: a displayable graphic (prefer n="print"/"screen" jpgs). -->
  <xsl:function name="f:surface-image" as="xs:string?">
    <xsl:param name="s" as="element()"/>
    <xsl:variable name="urls" select="$s/graphic/@url ! f:safe-url(.)"/>
    <xsl:variable name="remote" select="$urls[matches(., '^https?:', 'i')][f:image-ok(.)][f:displayable(.)]"/>
    <xsl:variable name="local" select="$urls[not(matches(., '^https?:', 'i'))][. = $images][f:displayable(.)]"/>
    <xsl:sequence select="($local, $remote)[1]"/>
  </xsl:function>

  <!-- The surfaces of a document, and those whose image can be shown. -->
  <xsl:function name="f:surfaces" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/facsimile/surface | $tei/facsimile/surfaceGrp/surface"/>
  </xsl:function>

  <!-- The full-size image of a surface for the viewer (IIIF: the whole image, at most 2000 px). -->
  <xsl:function name="f:full-image" as="xs:string">
    <xsl:param name="img" as="xs:string"/>
    <xsl:sequence select="
        if (matches($img, '/info\.json$', 'i')) then replace($img, '/info\.json$', '/full/!2000,2000/0/default.jpg', 'i')
        else $img"/>
  </xsl:function>

  <!-- "folios 334-338" / "folio 12" / "3 surfaces": what the facsimile would show. -->
  <xsl:function name="f:surfaces-phrase" as="xs:string">
    <xsl:param name="surfaces" as="element()*"/>
    <xsl:variable name="n" select="$surfaces/@n[normalize-space()] ! normalize-space(.)"/>
    <xsl:sequence select="
        if (count($n) ne count($surfaces)) then count($surfaces) || (if (count($surfaces) eq 1) then ' surface' else ' surfaces')
        else if (count($n) eq 1) then 'folio ' || $n
        else 'folios ' || $n[1] || '–' || $n[last()]"/>
  </xsl:function>

  <!-- Said once when no surface has an image to show; the text then gets the whole width. -->
  <xsl:template name="facsimile-note">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="surfaces" select="f:surfaces($tei)"/>
    <xsl:if test="$surfaces and empty($surfaces[f:surface-image(.)])">
      <p class="facs-none">
        <xsl:text>No facsimile images are published with this edition (</xsl:text>
        <xsl:value-of select="f:surfaces-phrase($surfaces)"/>
        <xsl:text>); the bracketed numbers in the text mark the pages of the original.</xsl:text>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- The facsimile panel: a zoom/pan viewer (edition.js) over the list of surfaces; only when
       some surface has an image. A surface without one is listed, never linked. -->
  <xsl:template name="facsimile-panel">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="surfaces" select="f:surfaces($tei)"/>
    <xsl:if test="$surfaces[f:surface-image(.)]">
      <aside class="facsimile" aria-labelledby="ui-facs-h">
        <h2 id="ui-facs-h">Facsimile</h2>
        <div class="facs-viewer" id="ui-viewer" hidden="hidden">
          <div class="facs-tools" role="toolbar" aria-label="Facsimile viewer">
            <button type="button" data-act="prev" title="Previous folio" aria-label="Previous folio">‹</button>
            <span class="facs-label" aria-live="polite"></span>
            <button type="button" data-act="next" title="Next folio" aria-label="Next folio">›</button>
            <button type="button" data-act="out" title="Zoom out" aria-label="Zoom out">−</button>
            <button type="button" data-act="in" title="Zoom in" aria-label="Zoom in">+</button>
            <button type="button" data-act="fit" title="Whole page">Fit</button>
          </div>
          <div class="facs-stage" tabindex="0" aria-label="Facsimile image: drag to pan, mouse wheel or + and − to zoom">
            <img alt="" draggable="false"/>
          </div>
        </div>
        <ol class="surfaces">
          <xsl:for-each select="$surfaces">
            <xsl:variable name="label" select="f:surface-label(.)"/>
            <xsl:variable name="img" select="f:surface-image(.)"/>
            <li id="{f:surface-id(.)}">
              <xsl:choose>
                <xsl:when test="$img">
                  <xsl:attribute name="data-full" select="f:full-image($img)"/>
                  <xsl:attribute name="data-label" select="$label"/>
                  <a class="thumb" href="#{f:surface-id(.)}" title="{$label}: open in the viewer">
                    <img src="{if (f:is-iiif($img)) then f:iiif-thumb($img) else $img}" alt="{$label}" loading="lazy" width="200"/>
                    <span class="surface-label"><xsl:value-of select="$label"/></span>
                  </a>
                  <a class="image-url" href="{f:full-image($img)}">full image</a>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:attribute name="class" select="'no-image'"/>
                  <span class="surface-label"><xsl:value-of select="$label"/></span>
                  <span class="no-image-note"> (no image)</span>
                </xsl:otherwise>
              </xsl:choose>
              <xsl:for-each select="(desc, graphic/desc)[normalize-space()][1]">
                <span class="surface-desc"><xsl:value-of select="normalize-space(.)"/></span>
              </xsl:for-each>
            </li>
          </xsl:for-each>
        </ol>
      </aside>
    </xsl:if>
  </xsl:template>

  <!-- Page break: "[334]", linked to its surface in the panel (or to the image URL). -->
  <xsl:template match="pb" mode="tei">
    <xsl:variable name="facs" select="tokenize(normalize-space(@facs))[1]"/>
    <xsl:variable name="surface" select="if (starts-with($facs, '#')) then key('id', substring($facs, 2))[self::surface] else ()"/>
    <!-- linked only to what is there: a surface with an image, a remote URL or a local image -->
    <xsl:variable name="href" select="
        if ($surface) then (if (f:surface-image($surface[1])) then '#' || f:surface-id($surface[1]) else ())
        else if ($facs and not(starts-with($facs, '#'))) then
          f:safe-url($facs)[matches(., '^https?:', 'i') or . = $images]
        else ()"/>
    <xsl:variable name="label" select="'[' || (normalize-space(@n)[.], 'page')[1] || ']'"/>
    <xsl:variable name="block" select="f:block-container(parent::*)"/>
    <xsl:variable name="marker">
      <xsl:choose>
        <xsl:when test="$href and $html">
          <a class="pb" href="{$href}" title="Page {(@n, '')[1]}: facsimile">
            <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
            <xsl:value-of select="$label"/>
          </a>
        </xsl:when>
        <xsl:otherwise>
          <span class="pb" title="page break">
            <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
            <xsl:value-of select="$label"/>
          </span>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$block"><div class="pb-block"><xsl:sequence select="$marker"/></div></xsl:when>
      <xsl:otherwise><xsl:text> </xsl:text><xsl:sequence select="$marker"/><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="graphic" mode="tei">
    <xsl:variable name="u" select="f:safe-url(@url)"/>
    <xsl:choose>
      <xsl:when test="f:image-ok($u) and f:displayable($u)">
        <img class="tei-graphic" src="{if (f:is-iiif($u)) then f:iiif-thumb($u) else $u}" alt="{normalize-space((desc, ../figDesc, 'image')[1])}" loading="lazy"/>
      </xsl:when>
      <xsl:when test="$u and ($u = $images or matches($u, '^https?:', 'i'))"><a class="tei-graphic" href="{$u}">[image: <xsl:value-of select="@url"/>]</a></xsl:when>
      <xsl:when test="$u"><span class="tei-graphic">[image: <xsl:value-of select="@url"/>]</span></xsl:when>
      <xsl:otherwise><span class="tei-graphic">[image]</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="figure" mode="tei">
    <figure>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates select="* except (head | figDesc)" mode="tei"/>
      <xsl:if test="head | figDesc">
        <figcaption><xsl:apply-templates select="(head | figDesc)/node()" mode="tei"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

</xsl:stylesheet>
