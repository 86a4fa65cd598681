"""The JSON writer of the json and sarif reports gives exactly ``json.dumps(indent=2)``."""

from __future__ import annotations

import json
import random

import pytest

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
