"""Runner features: cache, XInclude policy, rnc conversion, catalogs, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei.validate import ValidateOptions, validate_paths
from tei.validate import runner as runner_mod
from tei.validate.catalog import Catalog, xml_model_pis
from tei.validate.formatters import render

DATA = Path(__file__).parent / "data" / "validate"
NOTE = DATA / "schemas"
XI = DATA / "xinclude"


def _opts(**kw) -> ValidateOptions:
    kw.setdefault("schemas", [NOTE / "note.rnc"])
    kw.setdefault("progress", False)
    return ValidateOptions(**kw)


def test_cache_hit_skips_parsing(tmp_path, monkeypatch):
    files = [NOTE / "note-valid.xml", NOTE / "note-invalid.xml"]
    first = validate_paths(files, _opts(cache_dir=tmp_path))
    assert list((tmp_path / "validate").rglob("*.json"))

    def boom(*a, **k):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(runner_mod, "parse_bytes", boom)
    monkeypatch.setattr(runner_mod, "_compile", boom)  # a cached run compiles no schema
    second = validate_paths(files, _opts(cache_dir=tmp_path))
    assert [f.findings for f in first.files] == [f.findings for f in second.files]


def test_cache_invalidated_by_change(tmp_path):
    doc = tmp_path / "n.xml"
    doc.write_bytes((NOTE / "note-valid.xml").read_bytes())
    cache = tmp_path / "cache"
    assert validate_paths([doc], _opts(cache_dir=cache)).valid
    doc.write_bytes((NOTE / "note-invalid.xml").read_bytes())
    assert not validate_paths([doc], _opts(cache_dir=cache)).valid


def test_xinclude_off_by_default():
    r = validate_paths([XI / "inside.xml"], _opts())
    assert not r.valid and "xi:include" in r.files[0].findings[0].message


def test_xinclude_inside_folder():
    r = validate_paths([XI / "inside.xml"], _opts(xinclude=True))
    assert r.valid, render(r, "text")


def test_xinclude_outside_root_refused_then_allowed():
    r = validate_paths([XI / "docs"], _opts(xinclude=True))
    by = {Path(f.path).name: f for f in r.files}
    assert not by["outside.xml"].valid
    assert "outside the allowed folders" in by["outside.xml"].findings[0].message
    assert by["fallback.xml"].valid  # fallback used, with a warning
    assert by["fallback.xml"].findings[0].severity == "warning"
    assert "never fetched" in by["remote.xml"].findings[0].message
    r = validate_paths([XI / "docs"], _opts(xinclude=True, xinclude_roots=[XI]))
    by = {Path(f.path).name: f for f in r.files}
    assert by["outside.xml"].valid and by["fallback.xml"].valid and not by["remote.xml"].valid


def test_xinclude_with_jing():
    r = validate_paths([XI / "inside.xml"], _opts(xinclude=True, engine="jing"))
    assert r.valid, render(r, "text")


def test_rnc_converted_once(tmp_path):
    validate_paths([NOTE / "note-valid.xml"], _opts(cache_dir=tmp_path))
    converted = list((tmp_path / "rnc").rglob("*.rng"))
    assert len(converted) == 1
    mtime = converted[0].stat().st_mtime_ns
    validate_paths([NOTE / "note-invalid.xml"], _opts(cache_dir=tmp_path))
    assert converted[0].stat().st_mtime_ns == mtime


def test_parallel_equals_serial_small():
    files = sorted((DATA / "schemas").glob("note-*.xml")) * 1
    a = validate_paths(files, _opts(jobs=1))
    b = validate_paths(files, _opts(jobs=2))
    assert [f.findings for f in a.files] == [f.findings for f in b.files]


def test_xml_model_pis_only_in_prolog():
    data = (
        b'<?xml version="1.0"?>\n<?xml-model href="a.rng" schematypens="x"?>\n'
        b'<r><?xml-model href="ignored.rng"?></r>'
    )
    assert xml_model_pis(data) == [{"href": "a.rng", "schematypens": "x"}]


def test_shipped_catalog_maps_release_and_vault(tmp_path):
    from tei.resources import schema_dir

    cat = Catalog(schema_dir() / "catalog.xml", relative_to=tmp_path)
    for url in (
        "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng",
        "https://tei-c.org/Vault/P5/4.10.2/xml/tei/custom/schema/relaxng/tei_all.rng",
        "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng",
    ):
        assert cat.resolve(url) == tmp_path.resolve() / "tei_all.rng"
    assert (
        cat.resolve("https://tei-c.org/Vault/P5/3.0.0/xml/tei/custom/schema/relaxng/tei_all.rng")
        is None
    )


def test_unknown_engine_is_usage_error():
    from tei.errors import TeiError

    with pytest.raises(TeiError):
        validate_paths([NOTE], ValidateOptions(engine="xmllint"))


def test_jing_never_reads_an_entity_of_the_schema(tmp_path):
    """jing parses the schema itself: a DTD in it (or in a file it includes) is refused first."""
    from tei.validate.relaxng import SchemaError

    (tmp_path / "secret.txt").write_text("TOP-SECRET", encoding="utf-8")
    (tmp_path / "inc.rng").write_text(
        f'<!DOCTYPE grammar [<!ENTITY x SYSTEM "{(tmp_path / "secret.txt").as_uri()}">]>\n'
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
        '<define name="v"><value>&x;</value></define></grammar>',
        encoding="utf-8",
    )
    (tmp_path / "top.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="inc.rng"/>'
        '<start><element name="a"><ref name="v"/></element></start></grammar>',
        encoding="utf-8",
    )
    (tmp_path / "d.xml").write_text("<a>x</a>", encoding="utf-8")
    for schema in ("top.rng", "inc.rng"):
        with pytest.raises(SchemaError, match="external entity 'x'"):
            validate_paths([tmp_path / "d.xml"], _opts(schemas=[tmp_path / schema], engine="jing"))


def test_default_schema_is_our_grammar_and_rules_with_one_duplicate_message(tmp_path):
    """No --schema, no xml-model: archive-edition.rng and archive-edition.sch both apply."""
    from tei.pipeline import ConvertOptions, convert_files
    from tei.resources import examples_dir

    src = sorted(examples_dir().glob("*.txt"))[0]
    out = tmp_path / "doc.xml"
    convert_files([src], [out], ConvertOptions(align=True))
    rep = validate_paths([out], ValidateOptions(progress=False))
    assert [Path(s).name for s in rep.files[0].schemas] == [
        "archive-edition.rng",
        "archive-edition.sch",
    ]
    text = out.read_text(encoding="utf-8")
    first = text.index('xml:id="', text.index("<body"))
    value = text[first + 8 : text.index('"', first + 8)]
    dup = tmp_path / "dup.xml"
    # give the next block the same xml:id as the first one
    second = text.index('xml:id="', first + 8)
    end = text.index('"', second + 8)
    dup.write_text(text[: second + 8] + value + text[end:], encoding="utf-8")
    findings = validate_paths([dup], ValidateOptions(progress=False)).files[0].findings
    rules = [f.rule for f in findings]
    assert rules.count("duplicate-id") == 1 and "ids-unique" not in rules


def test_a_file_named_twice_or_through_a_link_is_checked_once(tmp_path):
    a = tmp_path / "a.xml"
    a.write_bytes((NOTE / "note-valid.xml").read_bytes())
    b = tmp_path / "b.xml"
    b.write_bytes(a.read_bytes())  # same content, another file: kept
    (tmp_path / "link.xml").symlink_to(a)
    sub = tmp_path / "sub"
    sub.mkdir()
    missing = tmp_path / "gone.xml"
    named = [a, tmp_path / "." / "a.xml", tmp_path / "link.xml", b, sub / ".." / "b.xml"]
    assert runner_mod.collect_inputs([*named, missing, missing]) == [a, b, missing]
    assert runner_mod.collect_inputs([tmp_path]) == [a, b]  # the link names a, found first


def test_a_run_leaves_the_garbage_collector_as_it_found_it():
    import gc

    files = [NOTE / "note-valid.xml", NOTE / "note-invalid.xml"]
    threshold = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    validate_paths(files, _opts())
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == threshold
    gc.freeze()  # a caller's own frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        validate_paths(files, _opts())
        assert gc.get_freeze_count() >= frozen and gc.get_threshold() == threshold
    finally:
        gc.unfreeze()
