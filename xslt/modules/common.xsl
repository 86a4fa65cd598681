<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl: keys, variables and small functions shared by every layer (the stylesheet
  parameters are in params.xsl).

  Security: these stylesheets read nothing but the document they are given. They never call
  document(), doc(), unparsed-text(), collection() or xsl:evaluate, and every URL copied from
  the input into an href/src goes through f:safe-url() (no javascript:, data:, vbscript: ...).

  Link policy (HTML and PDF alike; docs/encoding.md): a page points at files inside the
  edition only (relative references without "..", never an absolute path or a file: URL), at
  http(s)/mailto pages as plain hyperlinks (nothing is loaded when the page opens), and shows
  a remote image (img src, loaded by the reader's browser) only from a host the user allowed
  (image-hosts: the image-host option). tei.render.pdf drops any link WeasyPrint made absolute.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:f="urn:x-tei-archive-edition:render"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:variable name="ascii-letters" as="xs:string" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="converted" as="xs:string*" select="tokenize($converted-list, '\n')[.]"/>
  <!-- The same list for membership tests: contains($converted-lines, '&#xA;' || $name || '&#xA;')
       for a name without newlines (tokenizing the list is a regex pass, slow in SaxonC). -->
  <xsl:variable name="converted-lines" as="xs:string" select="'&#xA;' || $converted-list || '&#xA;'"/>
  <xsl:variable name="images" as="xs:string*" select="tokenize($images-list, '\n')[.]"/>
  <xsl:variable name="image-host-names" as="xs:string*" select="tokenize(lower-case($image-hosts), '\n')[.]"/>
  <xsl:variable name="html" as="xs:boolean" select="$format = 'html'"/>

  <xsl:key name="id" match="*[@xml:id]" use="@xml:id"/>
  <xsl:key name="note-anchors" match="ref[@type = 'noteAnchor']" use="substring-after(normalize-space(@target), '#')"/>

  <!-- Human labels (English UI); $f:lang-names comes from langnames.xsl (tei/languages.py). -->

  <xsl:function name="f:lang-name" as="xs:string">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:param name="context" as="node()?"/>
    <xsl:variable name="declared" select="root($context)/*/teiHeader/profileDesc/langUsage/language[@ident = $code][1]"/>
    <xsl:sequence select="
        if (not($code)) then ''
        else if (normalize-space($declared)) then normalize-space($declared)
        else ($f:lang-names($code), $f:lang-names(substring-before($code || '-', '-')), $code)[1]"/>
  </xsl:function>

  <!-- A URL that is safe to put into href/src, or the empty sequence.
       Allowed: relative references inside the edition (no "..", no absolute path, no "\")
       and http(s)/mailto URLs; nothing that a browser could run, no file of the machine. -->
  <xsl:function name="f:safe-url" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <!-- (Saxon's regex engine is slow on '^\s+|\s+$': only trim when there is a space to trim;
         after the control characters are removed, a space is the only \s left.) -->
    <xsl:variable name="c" select="replace(string($url), '[&#x9;&#xA;&#xD;\p{Cc}]', '')"/>
    <xsl:variable name="u" select="if (starts-with($c, ' ') or ends-with($c, ' ')) then replace($c, '^\s+|\s+$', '') else $c"/>
    <!-- the scheme tests without regexes: $scheme = '^[A-Za-z][A-Za-z0-9+.\-]*:' matches -->
    <xsl:variable name="s" select="substring-before($u, ':')"/>
    <xsl:variable name="scheme" select="$s != '' and translate(substring($s, 1, 1), $ascii-letters, '') = ''
        and translate($s, $ascii-letters || '0123456789+.-', '') = ''"/>
    <xsl:sequence select="
        if ($u = '') then ()
        else if (substring($u, 1, 1) = ('/', '\') and substring($u, 2, 1) = ('/', '\')) then ()
        else if ($scheme) then
          (if (lower-case($s) = ('http', 'https', 'mailto')) then $u else ())
        else if (contains(substring-before($u || '/', '/'), ':')) then ()
        else if (substring($u, 1, 1) = '/' or contains($u, '\')) then ()
        else if (contains('/' || substring-before(substring-before($u || '#', '#') || '?', '?') || '/', '/../')) then ()
        else $u"/>
  </xsl:function>

  <!-- May the page show this image? A local file found under the output folder, or an
       http(s) URL on a host the user allowed (image-hosts). -->
  <xsl:function name="f:image-ok" as="xs:boolean">
    <xsl:param name="u" as="xs:string?"/>
    <xsl:sequence select="exists($u) and ($u = $images or (matches($u, '^https?://', 'i') and f:host($u) = $image-host-names))"/>
  </xsl:function>

  <!-- The host of an http(s) URL, lower case, without user information or port. -->
  <xsl:function name="f:host" as="xs:string">
    <xsl:param name="u" as="xs:string"/>
    <xsl:variable name="authority" select="substring-after($u, '//') => replace('[/?#].*$', '')"/>
    <xsl:variable name="h" select="replace($authority, '^.*@', '')"/>
    <xsl:sequence select="lower-case(if (starts-with($h, '[')) then $h else replace($h, ':\d*$', ''))"/>
  </xsl:function>

  <!-- A language tag safe and plausible for @lang (BCP 47 shape), else the empty string. -->
  <xsl:function name="f:lang" as="xs:string">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:variable name="c" select="string($code)"/>
    <xsl:sequence select="($lang-checked($c), f:lang-check($c))[1]"/>
  </xsl:function>

  <xsl:function name="f:lang-check" as="xs:string">
    <xsl:param name="c" as="xs:string"/>
    <xsl:sequence select="if (matches($c, '^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$')) then f:lang-normal($c) else ''"/>
  </xsl:function>

  <!-- f:lang of every xml:lang in the document, checked once (the regex is slow in SaxonC). -->
  <xsl:variable name="lang-checked" as="map(xs:string, xs:string)"
      select="map:merge(distinct-values(//@xml:lang ! string(.)) ! map{.: f:lang-check(.)})"/>

  <!-- A class token from arbitrary text. -->
  <xsl:function name="f:token" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="t" select="lower-case(normalize-space($s))"/>
    <xsl:sequence select="if (translate($t, 'abcdefghijklmnopqrstuvwxyz0123456789_-', '') = '') then $t
                          else replace($t, '[^a-z0-9_\-]+', '-')"/>
  </xsl:function>

  <!-- IIIF Image API URL? (…/{region}/{size}/{rotation}/{quality}.{fmt} or …/info.json) -->
  <xsl:function name="f:is-iiif" as="xs:boolean">
    <xsl:param name="u" as="xs:string"/>
    <xsl:sequence select="matches($u, '^https?://.+/[^/]+/[^/]+/!?\d+(\.\d+)?/(default|color|gray|bitonal|native)\.(jpg|jpeg|png|webp|gif|tif)$', 'i')
                          or matches($u, '^https?://.+/info\.json$', 'i')"/>
  </xsl:function>

  <!-- A 200-pixel-wide thumbnail variant of a IIIF image URL. -->
  <xsl:function name="f:iiif-thumb" as="xs:string">
    <xsl:param name="u" as="xs:string"/>
    <xsl:sequence select="
        if (matches($u, '/info\.json$', 'i')) then replace($u, '/info\.json$', '/full/200,/0/default.jpg', 'i')
        else replace($u, '/([^/]+)/[^/]+/(!?\d+(\.\d+)?)/([^/]+)$', '/$1/200,/$2/$4')"/>
  </xsl:function>

  <!-- Can a browser show this image (by extension or IIIF)? -->
  <xsl:function name="f:displayable" as="xs:boolean">
    <xsl:param name="u" as="xs:string"/>
    <xsl:sequence select="f:is-iiif($u) or matches($u, '\.(jpe?g|png|gif|webp|svg)(\?.*)?$', 'i')"/>
  </xsl:function>

  <!-- Link to another rendered TEI file of this edition ('x.xml#id' -> 'x.html#id'), or (). -->
  <xsl:function name="f:doc-href" as="xs:string?">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:variable name="t" select="normalize-space($target)"/>
    <xsl:variable name="file" select="if (contains($t, '#')) then substring-before($t, '#') else $t"/>
    <xsl:variable name="frag" select="substring-after($t, '#')"/>
    <xsl:variable name="base" select="f:after-last-slash($file)"/>
    <xsl:sequence select="
        if ($base != '' and contains($converted-lines, '&#xA;' || $base || '&#xA;') and f:safe-url($base))
        then replace($base, '\.xml$', '') || '.html' || ('#' || $frag)[$frag != '']
        else ()"/>
  </xsl:function>

  <!-- = replace($s, '^.*/', '') for a string without newlines (regexes are slow in SaxonC). -->
  <xsl:function name="f:after-last-slash" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (contains($s, '/')) then f:after-last-slash(substring-after($s, '/')) else $s"/>
  </xsl:function>

  <!-- ============================================================ element classes -->

  <!-- Containers whose children are blocks (so a child is rendered as a block element). -->
  <xsl:function name="f:block-container" as="xs:boolean">
    <xsl:param name="e" as="element()?"/>
    <!-- (instance-of tests: cheaper in SaxonC than a filter with self:: steps) -->
    <xsl:sequence select="exists($e) and ($e instance of element(div) or $e instance of element(div1)
        or $e instance of element(div2) or $e instance of element(div3) or $e instance of element(body)
        or $e instance of element(front) or $e instance of element(back) or $e instance of element(text)
        or $e instance of element(group) or $e instance of element(sp) or $e instance of element(lg)
        or $e instance of element(listBibl) or $e instance of element(castList)
        or $e instance of element(castGroup) or $e instance of element(figure)
        or $e instance of element(titlePage) or $e instance of element(epigraph)
        or $e instance of element(argument) or $e instance of element(floatingText)
        or $e instance of element(spGrp) or namespace-uri($e) != 'http://www.tei-c.org/ns/1.0')"/>
  </xsl:function>

  <!-- Elements that always produce block-level HTML. -->
  <xsl:function name="f:is-blockish" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="$e instance of element(p) or $e instance of element(ab)
        or $e instance of element(div) or $e instance of element(lg) or $e instance of element(l)
        or $e instance of element(list) or $e instance of element(table) or $e instance of element(sp)
        or $e instance of element(listBibl) or $e instance of element(castList)
        or $e instance of element(figure) or exists($e[self::quote[p or l or lg or ab]])
        or exists($e[self::head[parent::div]]) or $e instance of element(closer)
        or $e instance of element(opener) or $e instance of element(floatingText)
        or $e instance of element(listApp)"/>
  </xsl:function>

  <!-- Does rendering this element produce block-level HTML somewhere inside? -->
  <!-- = some descendant is blockish and has no note between it and $e: walks the children,
       not into notes, and stops at the first block (no descendant search per element). -->
  <xsl:function name="f:has-blocks" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="some $c in $e/* satisfies (f:is-blockish($c) or (not($c/self::note) and f:has-blocks($c)))"/>
  </xsl:function>

  <!-- Milestones: carried into the parallel view next to the following block. -->
  <xsl:function name="f:is-milestone" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::pb or self::fw or self::lb or self::cb or self::milestone or self::anchor])"/>
  </xsl:function>

  <!-- Heading level for div/head: h3 for a top-level division, deeper below, never beyond h6. -->
  <xsl:function name="f:heading-level" as="xs:integer">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="min((6, 2 + count($e/ancestor::div)))"/>
  </xsl:function>

  <!-- ============================================================ notes -->

  <xsl:function name="f:is-endnote" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="exists($n[self::note][parent::div[@type = 'notes'] or @place = 'end'][ancestor::text])"/>
  </xsl:function>

  <!-- A note in running text (inside a paragraph, line, cell...): a numbered footnote. -->
  <xsl:function name="f:is-footnote" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="exists($n[self::note][ancestor::text][normalize-space(.) or *]
        [not(f:is-endnote(.))]
        [not(ancestor::bibl or ancestor::app or ancestor::listApp)]
        [not(f:block-container(parent::*) or parent::list or parent::table or parent::row
             or parent::listBibl or parent::note)])"/>
  </xsl:function>

  <!-- ============================================================ shared attributes -->

  <!-- id, lang and class for an HTML element made from the context TEI element. -->
  <xsl:template name="attrs">
    <xsl:param name="class" as="xs:string*" select="()"/>
    <!-- (xsl:choose rather than if-then-else: measurably cheaper per element in SaxonC) -->
    <xsl:choose>
      <xsl:when test="exists($class)">
        <xsl:attribute name="class" select="string-join(('tei-' || local-name(), $class), ' ')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="class" select="'tei-' || local-name()"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@xml:id">
      <xsl:attribute name="id" select="@xml:id"/>
    </xsl:if>
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang" select="f:lang(@xml:lang)"/>
    </xsl:if>
  </xsl:template>

  <!-- Diplomatic / reading alternatives. HTML keeps both (CSS shows one, a button toggles);
       print keeps the reading text only. -->
  <xsl:template name="dual">
    <xsl:param name="dipl" as="item()*"/>
    <xsl:param name="read" as="item()*"/>
    <xsl:choose>
      <xsl:when test="$html">
        <span class="dp">
          <xsl:sequence select="$dipl"/>
        </span>
        <span class="rd">
          <xsl:sequence select="$read"/>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$read"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Plain text of a header field; multilingual children (seg/@xml:lang) become spans. -->
  <xsl:template name="meta-text">
    <xsl:param name="e" as="element()?"/>
    <xsl:choose>
      <xsl:when test="not($e)"/>
      <xsl:when test="$e/*[@xml:lang] and count($e/*[@xml:lang][normalize-space()]) gt 1">
        <xsl:for-each select="$e/*[@xml:lang][normalize-space()]">
          <xsl:if test="position() gt 1"><xsl:text> / </xsl:text></xsl:if>
          <span lang="{f:lang(@xml:lang)}">
            <xsl:value-of select="normalize-space(.)"/>
          </span>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space($e)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
