"""What ``tei validate`` does *not* do on its fast path (issue 11): checked by what it loads
and builds, never by timing (speed is measured in ``bench/validate_bench.py``).

- ``tei validate --schema x.rng one.xml`` imports none of the other commands' heavy
  libraries (saxonche, weasyprint, xmlschema, the converters, the aligner), nor libxml2's
  RELAX NG engine, jing's wrapper, the schema fetcher or multiprocessing;
- a valid document is never diagnosed: the diagnosis model (:mod:`tei.validate.rng.model`)
  is built on the first invalid document of a run, once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tei.validate import ValidateOptions, validate_paths
from tei.validate.rng import model as model_mod

SCHEMA = """\
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start>
    <element name="TEI">
      <oneOrMore><element name="p"><attribute name="n"/><text/></element></oneOrMore>
    </element>
  </start>
</grammar>
"""
VALID = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n="1">a</p><p n="2">b</p></TEI>\n'
INVALID = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>a</p><q/></TEI>\n'

# Modules the one-file run of the default engine must not load.
NOT_LOADED = (
    "saxonche",
    "weasyprint",
    "xmlschema",
    "converters",
    "tei.align",
    "tei.render",
    "tei.schematron",
    "tei.validate.relaxng",
    "tei.validate.jing",
    "tei.validate.fetch",
    "urllib.request",
    "multiprocessing",
)


def _files(tmp: Path) -> tuple[Path, Path, Path]:
    schema = tmp / "small.rng"
    schema.write_text(SCHEMA)
    valid = tmp / "valid.xml"
    valid.write_text(VALID)
    invalid = tmp / "invalid.xml"
    invalid.write_text(INVALID)
    return schema, valid, invalid


def _loaded_by_cli(args: list[str], tmp: Path) -> tuple[int, str, set[str]]:
    code = (
        "import json, sys\n"
        "from tei.cli import main\n"
        f"rc = main({args!r})\n"
        "sys.stdout.flush()\n"
        "print('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
        "sys.exit(rc)\n"
    )
    env = dict(os.environ, TEI_CACHE_DIR=str(tmp / "cache"))
    # cwd outside the checkout: ``python -c`` puts the cwd first on sys.path, and the
    # source tree's ``tei`` is not the installed package (its schemas are package data).
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp,
        timeout=300,
    )
    out, _, mods = proc.stdout.rpartition("\nMODULES ")
    return proc.returncode, out + proc.stderr, set(json.loads(mods))


def _heavy(mods: set[str]) -> list[str]:
    return sorted(m for m in mods if any(m == n or m.startswith(n + ".") for n in NOT_LOADED))


def test_one_valid_file_loads_no_heavy_module(tmp_path: Path) -> None:
    schema, valid, _ = _files(tmp_path)
    rc, out, mods = _loaded_by_cli(["validate", "--schema", str(schema), str(valid)], tmp_path)
    assert rc == 0, out
    assert "all valid" in out
    assert "tei.validate.rng.derivative" in mods  # the engine did run
    assert _heavy(mods) == []
    assert "tei.validate.rng.model" not in mods  # nothing to diagnose
    assert "tei.validate.rng.diagnose" not in mods


def test_one_invalid_file_is_diagnosed_without_heavy_modules(tmp_path: Path) -> None:
    schema, _, invalid = _files(tmp_path)
    rc, out, mods = _loaded_by_cli(["validate", "--schema", str(schema), str(invalid)], tmp_path)
    assert rc == 1, out
    assert 'element "p" missing required attribute "n"' in out
    assert 'element "q" not allowed anywhere' in out
    assert "tei.validate.rng.model" in mods  # the diagnosis worded the errors
    assert _heavy(mods) == []


def test_valid_files_build_no_diagnosis_model(tmp_path: Path) -> None:
    schema, valid, invalid = _files(tmp_path)
    opts = ValidateOptions(schemas=[schema], progress=False, jobs=1)
    other = tmp_path / "valid2.xml"
    other.write_text(VALID.replace('n="2"', 'n="3"'))
    before = model_mod.MODELS_BUILT[0]
    report = validate_paths([valid, other], opts)
    assert report.valid
    assert model_mod.MODELS_BUILT[0] == before
    second = tmp_path / "invalid2.xml"
    second.write_text(INVALID)
    report = validate_paths([invalid, second], opts)
    assert not report.valid
    assert all(fr.findings for fr in report.files)
    assert model_mod.MODELS_BUILT[0] == before + 1  # one model for both invalid files


def _messages(model: model_mod.RngModel, docs: list) -> list[list[str]]:
    from lxml import etree

    from tei.validate.rng.diagnose import Diagnoser

    roots = [etree.fromstring(d) if isinstance(d, str) else d for d in docs]
    return [[i.message for i in Diagnoser(model).run(r)] for r in roots]


def test_saved_model_words_findings_as_the_built_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEI_CACHE_DIR", str(tmp_path / "cache"))
    schema, _, _ = _files(tmp_path)
    built = model_mod.RngModel(schema)
    model_mod._cache_write(schema, built)
    state = model_mod._cache_read(schema)
    assert state is not None
    restored = model_mod.RngModel(schema, state)
    assert len(restored.element_defs) == len(built.element_defs)
    assert restored.by_name.keys() == built.by_name.keys()
    docs = [
        INVALID,
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n="1" m="2">a</p></TEI>',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n="1"><b/></p>text</TEI>',
    ]
    want = _messages(built, docs)
    assert all(want)
    assert _messages(restored, docs) == want
    # the saved form is only used while the schema file is unchanged
    schema.write_text(SCHEMA.replace('name="n"', 'name="id"'))
    assert model_mod._cache_read(schema) is None


def test_saved_tei_all_model_words_findings_as_the_built_one(
    tmp_path: Path, monkeypatch, shared_dir: Path
) -> None:
    import random

    from _mutations import mutate

    from tei.xmlsafe import parse_file

    monkeypatch.setenv("TEI_CACHE_DIR", str(tmp_path / "cache"))
    tei_all = shared_dir / "tei" / "tei_all.rng"
    built = model_mod.RngModel(tei_all)
    restored = model_mod.RngModel(tei_all, built.state())
    rnd = random.Random(11)
    docs = []
    for f in sorted((shared_dir / "corpora" / "ISicily").glob("*.xml"))[:20]:
        docs.append(mutate(parse_file(f), rnd).getroot())
    want = _messages(built, docs)
    assert sum(bool(m) for m in want) >= 10
    assert _messages(restored, docs) == want


def test_learnt_memos_are_saved_and_word_findings_as_a_fresh_model(
    tmp_path: Path, monkeypatch, shared_dir: Path
) -> None:
    """What the diagnosis learnt is saved with the model (every entry), and a model read back
    with it words new documents' findings exactly as a model that learnt nothing."""
    import marshal
    import random

    from _mutations import mutate

    from tei.xmlsafe import parse_file

    monkeypatch.setenv("TEI_CACHE_DIR", str(tmp_path / "cache"))
    tei_all = shared_dir / "tei" / "tei_all.rng"
    files = sorted((shared_dir / "corpora" / "ISicily").glob("*.xml"))[:40]
    rnd = random.Random(5)
    learn = [mutate(parse_file(f), rnd).getroot() for f in files[:20]]
    fresh = [mutate(parse_file(f), rnd).getroot() for f in files[20:]]
    learnt = model_mod.RngModel(tei_all)
    before = model_mod.RngModel(tei_all, marshal.loads(marshal.dumps(learnt.state())))
    assert before.memo_size() == learnt.memo_size()
    on_learnt = _messages(learnt, learn)
    assert learnt.memo_size() > before.memo_size()
    restored = model_mod.RngModel(tei_all, marshal.loads(marshal.dumps(learnt.state())))
    assert restored.memo_size() == learnt.memo_size()  # nothing left out
    assert _messages(restored, learn) == on_learnt
    assert restored.memo_size() == learnt.memo_size()  # nothing learnt again
    want = _messages(model_mod.RngModel(tei_all), fresh)
    assert sum(bool(m) for m in want) >= 10
    assert _messages(restored, fresh) == want


def test_the_model_is_saved_again_only_when_it_learnt(tmp_path: Path) -> None:
    schema, _, invalid = _files(tmp_path)
    other = tmp_path / "other.xml"
    other.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n="1"><b/></p></TEI>\n')
    env = dict(os.environ, TEI_CACHE_DIR=str(tmp_path / "cache"))

    def run(doc: Path) -> int:
        cmd = [sys.executable, "-m", "tei", "validate", "--no-progress", "--schema", str(schema)]
        proc = subprocess.run([*cmd, str(doc)], capture_output=True, cwd=tmp_path, env=env)
        assert proc.returncode == 1, proc.stderr
        (saved,) = (tmp_path / "cache" / "rng-model").glob("*.marshal")
        return saved.stat().st_mtime_ns

    first = run(invalid)
    assert run(invalid) == first  # the same document: nothing new to save
    assert run(other) != first  # a new kind of error: its words are saved


def test_saved_memos_are_cut_at_their_limits(tmp_path: Path, monkeypatch) -> None:
    """Whatever a corpus teaches the model, the saved tables stay within their limits, and
    a model at its limits has nothing new to save."""
    import marshal

    monkeypatch.setattr(model_mod, "SAVED_MEMO_MAX", 2)
    monkeypatch.setattr(model_mod, "SAVED_MESSAGES_MAX", 1)
    schema, _, _ = _files(tmp_path)
    docs = [
        INVALID,
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n="1" m="2">a</p></TEI>',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n="1"><b/></p>text</TEI>',
    ]
    learnt = model_mod.RngModel(schema)
    _messages(learnt, docs)
    assert len(learnt.diag_memo) > 1 and len(learnt.step_memo) > 2
    state = marshal.loads(marshal.dumps(learnt.state()))
    rows = dict(state["memos"])
    assert len(rows["diag_memo"]) == 1
    assert max(len(r) for r in rows.values()) == 2
    restored = model_mod.RngModel(schema, state)
    assert restored.memo_size() == learnt.memo_size()
    _messages(restored, docs)
    assert restored.memo_size() == learnt.memo_size()  # learnt again past the limits only
