<?xml version="1.0" encoding="UTF-8"?>
<!--
  facsimile.xsl: the facsimile panel (one figure per surface: a thumbnail when the image can
  be shown, otherwise a labelled placeholder with the folio number and the URL as a link) and
  page-break markers that link to their surface.
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

  <xsl:template name="facsimile-panel">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="surfaces" select="$tei/facsimile/surface | $tei/facsimile/surfaceGrp/surface"/>
    <xsl:if test="$surfaces">
      <aside class="facsimile" aria-labelledby="ui-facs-h">
        <h2 id="ui-facs-h">Facsimile</h2>
        <ol class="surfaces">
          <xsl:for-each select="$surfaces">
            <xsl:variable name="label" select="f:surface-label(.)"/>
            <xsl:variable name="img" select="f:surface-image(.)"/>
            <xsl:variable name="link" select="(graphic/@url ! f:safe-url(.))[1]"/>
            <li id="{f:surface-id(.)}">
              <figure>
                <xsl:choose>
                  <xsl:when test="$img">
                    <xsl:variable name="thumb" select="if (f:is-iiif($img)) then f:iiif-thumb($img) else $img"/>
                    <a href="{if (f:is-iiif($img) and matches($img, '/info\.json$')) then replace($img, '/info\.json$', '/full/max/0/default.jpg') else $img}">
                      <img src="{$thumb}" alt="{$label}" loading="lazy" width="200"/>
                    </a>
                  </xsl:when>
                  <xsl:otherwise>
                    <div class="placeholder" role="img" aria-label="{$label}: image not available here">
                      <span class="folio"><xsl:value-of select="$label"/></span>
                      <span class="no-image">image not available</span>
                    </div>
                  </xsl:otherwise>
                </xsl:choose>
                <figcaption>
                  <span class="surface-label"><xsl:value-of select="$label"/></span>
                  <xsl:for-each select="graphic[@url != '']">
                    <br/>
                    <xsl:variable name="u" select="f:safe-url(@url)"/>
                    <xsl:choose>
                      <xsl:when test="$u"><a class="image-url" href="{$u}"><xsl:value-of select="@url"/></a></xsl:when>
                      <xsl:otherwise><span class="image-url"><xsl:value-of select="@url"/></span></xsl:otherwise>
                    </xsl:choose>
                  </xsl:for-each>
                  <xsl:if test="not($link) and not(graphic[@url != ''])"><br/><span class="image-url">no image URL</span></xsl:if>
                  <xsl:for-each select="(desc, graphic/desc)[normalize-space()][1]">
                    <br/><span class="surface-desc"><xsl:value-of select="normalize-space(.)"/></span>
                  </xsl:for-each>
                </figcaption>
              </figure>
            </li>
          </xsl:for-each>
        </ol>
      </aside>
    </xsl:if>
  </xsl:template>

  <!-- Page break: "[334]", linked to its surface in the panel (or to the image URL). -->
  <xsl:template match="pb">
    <xsl:variable name="facs" select="tokenize(normalize-space(@facs))[1]"/>
    <xsl:variable name="surface" select="if (starts-with($facs, '#')) then key('id', substring($facs, 2))[self::surface] else ()"/>
    <xsl:variable name="href" select="if ($surface) then '#' || f:surface-id($surface[1])
                                      else if ($facs and not(starts-with($facs, '#'))) then f:safe-url($facs) else ()"/>
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

  <xsl:template match="graphic">
    <xsl:variable name="u" select="f:safe-url(@url)"/>
    <xsl:choose>
      <xsl:when test="f:image-ok($u) and f:displayable($u)">
        <img class="tei-graphic" src="{if (f:is-iiif($u)) then f:iiif-thumb($u) else $u}" alt="{normalize-space((desc, ../figDesc, 'image')[1])}" loading="lazy"/>
      </xsl:when>
      <xsl:when test="$u"><a class="tei-graphic" href="{$u}">[image: <xsl:value-of select="@url"/>]</a></xsl:when>
      <xsl:otherwise><span class="tei-graphic">[image]</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="figure">
    <figure>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates select="* except (head | figDesc)"/>
      <xsl:if test="head | figDesc">
        <figcaption><xsl:apply-templates select="(head | figDesc)/node()"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

</xsl:stylesheet>
