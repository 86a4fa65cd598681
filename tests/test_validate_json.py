"""The JSON writer of the json and sarif reports gives exactly ``json.dumps(indent=2)``."""

from __future__ import annotations

import json
import random
from dataclasses import asdict

import pytest

from tei.report import Finding
from tei.validate.formatters import dumps

_STRINGS = ["", "a", 'quote " and \\ back', "tab\there\nnewline", "\x00\x1f\x7f", "ünï €", "𝔗𝔈𝔍"]


def _value(rng: random.Random, depth: int) -> object:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(_STRINGS) + str(rng.random())
    if kind == 1:
        return rng.randrange(-(10**20), 10**20)
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return rng.choice([0.5, -1e300, 1.0, 3.14159])
    if kind == 4:
        return rng.choice(_STRINGS)
    if kind == 5:
        return rng.choice([[], {}, ()])
    if kind in (6, 7):
        return {
            rng.choice(_STRINGS) + str(i): _value(rng, depth + 1) for i in range(rng.randrange(5))
        }
    return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]


@pytest.mark.parametrize("seed", range(200))
def test_same_text_as_the_standard_library(seed: int) -> None:
    obj = _value(random.Random(seed), 0)
    assert dumps(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


def test_a_non_string_key_is_refused() -> None:
    with pytest.raises(TypeError):
        dumps({1: "x"})


@pytest.mark.parametrize("seed", range(50))
def test_findings_are_written_as_their_fields(seed: int) -> None:
    """A Finding in the data (as format_json passes them) reads as the dict of its fields."""
    rng = random.Random(seed)

    def text() -> str | None:
        return rng.choice([None, *_STRINGS]) if rng.random() < 0.3 else rng.choice(_STRINGS) + "x"

    def number() -> int | None:
        return rng.choice([None, 0, 1, 10**12, rng.randrange(10**6)])

    findings = [
        Finding(
            rng.choice(_STRINGS),
            number(),
            number(),
            rng.choice(["error", "warning", "info"]),
            rng.choice(_STRINGS),
            text(),
            rng.choice(_STRINGS),
            text(),
            text(),
        )
        for _ in range(rng.randrange(1, 6))
    ]
    obj = {"files": [{"path": "p", "findings": findings}], "more": findings[:1]}
    plain = {
        "files": [{"path": "p", "findings": [asdict(f) for f in findings]}],
        "more": [asdict(f) for f in findings[:1]],
    }
    assert dumps(obj) == json.dumps(plain, ensure_ascii=False, indent=2)
