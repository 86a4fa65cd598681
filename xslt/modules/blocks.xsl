<?xml version="1.0" encoding="UTF-8"?>
<!--
  blocks.xsl: divisions, headings, paragraphs, lists, tables, verse, drama, closers,
  bibliographic lists. Elements that can be blocks or inlines (stage, speaker, signed...)
  become a block only when their parent holds blocks.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="text | front | back | body | group" mode="tei">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </div>
  </xsl:template>

  <xsl:template match="div | div1 | div2 | div3 | div4 | floatingText" mode="tei">
    <xsl:param name="pv" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="side" select="@type = ('original', 'translation', 'edition')"/>
    <section>
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="@type ! ('type-' || f:token(.))"/>
      </xsl:call-template>
      <xsl:if test="not(head) and @type and not(@type = ('section', 'textpart'))
                    and (not($side and $pv) or count(../div[@type = current()/@type]) gt 1)">
        <xsl:element name="h{f:heading-level(.)}">
          <xsl:attribute name="class" select="'div-label'"/>
          <xsl:value-of select="f:div-label(.)"/>
        </xsl:element>
      </xsl:if>
      <xsl:apply-templates mode="tei"/>
    </section>
  </xsl:template>

  <!-- Endnote divisions are listed with the notes (see notes.xsl). -->
  <xsl:template match="div[@type = 'notes']" priority="2" mode="tei"/>

  <!-- Label for a division without a head: its type, language, subtype. -->
  <xsl:function name="f:div-label" as="xs:string">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="t" select="string($d/@type)"/>
    <xsl:variable name="type" select="if (translate($t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') = $t) then $t
                                      else replace($t, '([a-z])([A-Z])', '$1 $2')"/>
    <xsl:sequence select="string-join((
        upper-case(substring($type, 1, 1)) || substring($type, 2),
        $d/@subtype ! ('(' || replace(., '-', ' ') || ')'),
        $d/@n ! string(.),
        $d/@xml:lang ! ('— ' || f:lang-name(., $d))), ' ')"/>
  </xsl:function>

  <xsl:template match="head" mode="tei">
    <xsl:choose>
      <xsl:when test="parent::div or parent::div1 or parent::div2 or parent::div3 or parent::body or parent::front or parent::back">
        <xsl:element name="h{f:heading-level(.)}">
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </xsl:element>
      </xsl:when>
      <xsl:when test="parent::table"/>
      <xsl:when test="f:block-container(parent::*) or parent::list or parent::listBibl">
        <p>
          <xsl:call-template name="attrs"><xsl:with-param name="class" select="'head'"/></xsl:call-template>
          <xsl:apply-templates mode="tei"/>
        </p>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Paragraph-like: <p> unless something inside renders as a block. -->
  <xsl:template match="p | ab" mode="tei">
    <xsl:variable name="el" select="if (f:has-blocks(.)) then 'div'
        else if (not(f:block-container(parent::*) or parent::item or parent::note or parent::cell or parent::quote or parent::closer or parent::opener)) then 'span'
        else 'p'"/>
    <xsl:element name="{$el}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="(@type ! ('type-' || f:token(.)), 'para'[$el != 'p'])"/>
      </xsl:call-template>
      <xsl:apply-templates mode="tei"/>
    </xsl:element>
  </xsl:template>

  <!-- ============================================================ lists -->

  <xsl:template match="list" mode="tei">
    <xsl:apply-templates select="head" mode="tei"/>
    <xsl:variable name="ordered" select="@type = ('ordered', 'numbered') or @rend = ('numbered', 'ordered')"/>
    <xsl:element name="{if (label) then 'ul' else if ($ordered) then 'ol' else 'ul'}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="('labelled'[current()/label], @type ! ('type-' || f:token(.)))"/>
      </xsl:call-template>
      <xsl:apply-templates select="item" mode="list-item"/>
      <xsl:for-each select="* except (head | item | label[following-sibling::*[1][self::item]])">
        <li class="list-extra"><xsl:apply-templates select="." mode="tei"/></li>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <!-- A list item with the label that precedes it. -->
  <xsl:template match="item" mode="list-item">
    <li>
      <xsl:call-template name="attrs"/>
      <xsl:variable name="label" select="preceding-sibling::*[1][self::label]"/>
      <xsl:if test="$label">
        <span class="item-label"><xsl:apply-templates select="$label/node()" mode="tei"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates mode="tei"/>
    </li>
  </xsl:template>

  <xsl:template match="item" mode="tei">
    <li>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </li>
  </xsl:template>

  <xsl:template match="listBibl" mode="tei">
    <xsl:apply-templates select="head" mode="tei"/>
    <ul>
      <xsl:call-template name="attrs"/>
      <xsl:for-each select="(* except head)[normalize-space() or .//@target or .//@url]">
        <li>
          <xsl:apply-templates select="." mode="tei"/>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <!-- A catalogue entry: date, title (linked when the document was rendered too), summary. -->
  <xsl:template match="bibl[parent::listBibl]" mode="tei">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </div>
  </xsl:template>

  <xsl:template match="bibl[parent::listBibl]/title" mode="tei">
    <xsl:variable name="href" select="f:doc-href(../@corresp)"/>
    <xsl:text> </xsl:text>
    <cite class="tei-title">
      <xsl:choose>
        <xsl:when test="$href"><a href="{$href}"><xsl:apply-templates mode="tei"/></a></xsl:when>
        <xsl:otherwise><xsl:apply-templates mode="tei"/></xsl:otherwise>
      </xsl:choose>
    </cite>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- An entry's summary: a line of its own under the title (priority above notes.xsl's
       inline note, below a footnote's marker). -->
  <xsl:template match="bibl[parent::listBibl]/note" priority="2" mode="tei">
    <span>
      <xsl:call-template name="attrs">
        <xsl:with-param name="class" select="'note-summary'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="tei"/>
    </span>
  </xsl:template>

  <!-- ============================================================ tables -->

  <xsl:template match="table" mode="tei">
    <table>
      <xsl:call-template name="attrs"/>
      <xsl:if test="head">
        <caption><xsl:apply-templates select="head/node()" mode="tei"/></caption>
      </xsl:if>
      <tbody>
        <xsl:apply-templates select="row" mode="tei"/>
      </tbody>
    </table>
    <xsl:apply-templates select="* except (head | row)" mode="tei"/>
  </xsl:template>

  <xsl:template match="row" mode="tei">
    <tr>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates select="cell" mode="tei"/>
    </tr>
  </xsl:template>

  <xsl:template match="cell" mode="tei">
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="@cols[. castable as xs:integer][xs:integer(.) gt 1]">
        <xsl:attribute name="colspan" select="min((xs:integer(@cols), 50))"/>
      </xsl:if>
      <xsl:if test="@rows[. castable as xs:integer][xs:integer(.) gt 1]">
        <xsl:attribute name="rowspan" select="min((xs:integer(@rows), 500))"/>
      </xsl:if>
      <xsl:apply-templates mode="tei"/>
    </xsl:element>
  </xsl:template>

  <!-- ============================================================ verse and drama -->

  <xsl:template match="lg" mode="tei">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </div>
  </xsl:template>

  <xsl:template match="l" mode="tei">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:if test="@n[. castable as xs:integer][xs:integer(.) mod 5 = 0]">
        <span class="lineno" aria-hidden="true"><xsl:value-of select="@n"/></span>
      </xsl:if>
      <xsl:apply-templates mode="tei"/>
    </div>
  </xsl:template>

  <xsl:template match="sp | spGrp | castList | castGroup | titlePage | epigraph | argument" mode="tei">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </div>
  </xsl:template>

  <xsl:template match="castItem" mode="tei">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
    </div>
  </xsl:template>

  <!-- Block in a block container, inline otherwise. -->
  <xsl:template match="speaker | stage | trailer | dateline | salute | byline | docTitle | titlePart
                       | docAuthor | docImprint | docDate | closer | opener | postscript | signed | set | roleDesc" mode="tei">
    <xsl:choose>
      <xsl:when test="self::closer or self::opener or self::postscript">
        <div>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </div>
      </xsl:when>
      <xsl:when test="f:block-container(parent::*)">
        <xsl:element name="{if (f:has-blocks(.)) then 'div' else 'p'}">
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="quote | cit" mode="tei">
    <xsl:choose>
      <xsl:when test="f:has-blocks(.)">
        <blockquote>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </blockquote>
      </xsl:when>
      <xsl:when test="self::quote">
        <q>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </q>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates mode="tei"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ apparatus -->

  <xsl:template match="listApp" mode="tei">
    <ul>
      <xsl:call-template name="attrs"/>
      <xsl:for-each select="*[normalize-space()]">
        <li><xsl:apply-templates select="." mode="tei"/></li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template match="app" mode="tei">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:for-each select="*">
        <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
        <xsl:apply-templates select="." mode="tei"/>
      </xsl:for-each>
    </span>
  </xsl:template>

  <xsl:template match="lem | rdg | rdgGrp" mode="tei">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates mode="tei"/>
      <xsl:if test="@wit | @source">
        <xsl:text> </xsl:text>
        <span class="wit"><xsl:value-of select="normalize-space(string-join((@wit, @source), ' '))"/></span>
      </xsl:if>
      <xsl:if test="self::lem"><xsl:text>]</xsl:text></xsl:if>
      <xsl:if test="self::rdg and following-sibling::rdg"><xsl:text>;</xsl:text></xsl:if>
    </span>
  </xsl:template>

</xsl:stylesheet>
