<?xml version="1.0" encoding="UTF-8"?>
<!--
  langtags.xsl: xml:lang values as BCP 47 tags an HTML checker accepts (for html/@lang).

  TEI allows any xml:lang; HTML wants a registered tag. Two corrections cover what editions
  write: a three-letter ISO 639-2 code that has a two-letter ISO 639-1 equivalent takes it
  ("heb" -> "he", "ger"/"deu" -> "de"; BCP 47 registers only the shortest code), and a
  three-letter second subtag, which BCP 47 reads as an extended-language subtag ("scx-grc"),
  is dropped ("scx"). The TEI keeps what the editor wrote.

  The table: every ISO 639-1 code with its ISO 639-2/T and 639-2/B equivalents (ISO 639-2
  Registration Authority list; 204 three-letter codes).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:x-tei-archive-edition:render"
    exclude-result-prefixes="#all">

  <xsl:variable name="f:iso639-1" as="map(xs:string, xs:string)" select="map{
        'aar': 'aa', 'abk': 'ab', 'afr': 'af', 'aka': 'ak', 'alb': 'sq', 'amh': 'am', 'ara': 'ar', 'arg': 'an',
        'arm': 'hy', 'asm': 'as', 'ava': 'av', 'ave': 'ae', 'aym': 'ay', 'aze': 'az', 'bak': 'ba', 'bam': 'bm',
        'baq': 'eu', 'bel': 'be', 'ben': 'bn', 'bis': 'bi', 'bod': 'bo', 'bos': 'bs', 'bre': 'br', 'bul': 'bg',
        'bur': 'my', 'cat': 'ca', 'ces': 'cs', 'cha': 'ch', 'che': 'ce', 'chi': 'zh', 'chu': 'cu', 'chv': 'cv',
        'cor': 'kw', 'cos': 'co', 'cre': 'cr', 'cym': 'cy', 'cze': 'cs', 'dan': 'da', 'deu': 'de', 'div': 'dv',
        'dut': 'nl', 'dzo': 'dz', 'ell': 'el', 'eng': 'en', 'epo': 'eo', 'est': 'et', 'eus': 'eu', 'ewe': 'ee',
        'fao': 'fo', 'fas': 'fa', 'fij': 'fj', 'fin': 'fi', 'fra': 'fr', 'fre': 'fr', 'fry': 'fy', 'ful': 'ff',
        'geo': 'ka', 'ger': 'de', 'gla': 'gd', 'gle': 'ga', 'glg': 'gl', 'glv': 'gv', 'gre': 'el', 'grn': 'gn',
        'guj': 'gu', 'hat': 'ht', 'hau': 'ha', 'hbs': 'sh', 'heb': 'he', 'her': 'hz', 'hin': 'hi', 'hmo': 'ho',
        'hrv': 'hr', 'hun': 'hu', 'hye': 'hy', 'ibo': 'ig', 'ice': 'is', 'ido': 'io', 'iii': 'ii', 'iku': 'iu',
        'ile': 'ie', 'ina': 'ia', 'ind': 'id', 'ipk': 'ik', 'isl': 'is', 'ita': 'it', 'jav': 'jv', 'jpn': 'ja',
        'kal': 'kl', 'kan': 'kn', 'kas': 'ks', 'kat': 'ka', 'kau': 'kr', 'kaz': 'kk', 'khm': 'km', 'kik': 'ki',
        'kin': 'rw', 'kir': 'ky', 'kom': 'kv', 'kon': 'kg', 'kor': 'ko', 'kua': 'kj', 'kur': 'ku', 'lao': 'lo',
        'lat': 'la', 'lav': 'lv', 'lim': 'li', 'lin': 'ln', 'lit': 'lt', 'ltz': 'lb', 'lub': 'lu', 'lug': 'lg',
        'mac': 'mk', 'mah': 'mh', 'mal': 'ml', 'mao': 'mi', 'mar': 'mr', 'may': 'ms', 'mkd': 'mk', 'mlg': 'mg',
        'mlt': 'mt', 'mon': 'mn', 'mri': 'mi', 'msa': 'ms', 'mya': 'my', 'nau': 'na', 'nav': 'nv', 'nbl': 'nr',
        'nde': 'nd', 'ndo': 'ng', 'nep': 'ne', 'nld': 'nl', 'nno': 'nn', 'nob': 'nb', 'nor': 'no', 'nya': 'ny',
        'oci': 'oc', 'oji': 'oj', 'ori': 'or', 'orm': 'om', 'oss': 'os', 'pan': 'pa', 'per': 'fa', 'pli': 'pi',
        'pol': 'pl', 'por': 'pt', 'pus': 'ps', 'que': 'qu', 'roh': 'rm', 'ron': 'ro', 'rum': 'ro', 'run': 'rn',
        'rus': 'ru', 'sag': 'sg', 'san': 'sa', 'sin': 'si', 'slk': 'sk', 'slo': 'sk', 'slv': 'sl', 'sme': 'se',
        'smo': 'sm', 'sna': 'sn', 'snd': 'sd', 'som': 'so', 'sot': 'st', 'spa': 'es', 'sqi': 'sq', 'srd': 'sc',
        'srp': 'sr', 'ssw': 'ss', 'sun': 'su', 'swa': 'sw', 'swe': 'sv', 'tah': 'ty', 'tam': 'ta', 'tat': 'tt',
        'tel': 'te', 'tgk': 'tg', 'tgl': 'tl', 'tha': 'th', 'tib': 'bo', 'tir': 'ti', 'ton': 'to', 'tsn': 'tn',
        'tso': 'ts', 'tuk': 'tk', 'tur': 'tr', 'twi': 'tw', 'uig': 'ug', 'ukr': 'uk', 'urd': 'ur', 'uzb': 'uz',
        'ven': 've', 'vie': 'vi', 'vol': 'vo', 'wel': 'cy', 'wln': 'wa', 'wol': 'wo', 'xho': 'xh', 'yid': 'yi',
        'yor': 'yo', 'zha': 'za', 'zho': 'zh', 'zul': 'zu'
      }"/>

  <!-- A well-formed tag (checked by f:lang-check) in the form an HTML checker accepts. -->
  <xsl:function name="f:lang-normal" as="xs:string">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:variable name="sub" select="tokenize($tag, '-')"/>
    <xsl:variable name="primary" select="lower-case($sub[1])"/>
    <xsl:choose>
      <xsl:when test="string-length($primary) lt 2">
        <xsl:sequence select="$tag"/><!-- x-private, i-grandfathered: as written -->
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="rest" select="$sub[position() gt 1]"/>
        <xsl:sequence select="string-join((($f:iso639-1($primary), $primary)[1],
            if (matches($rest[1], '^[A-Za-z]{3}$')) then $rest[position() gt 1] else $rest), '-')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

</xsl:stylesheet>
