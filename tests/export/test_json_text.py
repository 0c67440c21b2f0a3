"""`writers.dumps`: the text of `json.dumps(indent=2, ensure_ascii=False)`, written faster
(the site's data documents, `okr export --format json`)."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from okrkit.export.writers import dumps

EDGES: list[Any] = [
    None, True, False, 0, -5, 10**20, 1.5, -0.0, 3.0, 1e300, 1e-7,
    float("nan"), float("inf"), float("-inf"),
    "", 'a"b\\c', "line\nbreak\ttab\x00\x1f", "\u2028\u2029", "中文 🎯",
    [], {}, (), [[]], {"": {}}, {"k": []},
    {1: "int key", 2.5: "float key", False: "bool key", None: "null key"},
    {"nested": {"list": [1, {"a": [None, "x"]}, ()], "t": (1, 2)}},
]


@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def _random(rnd: random.Random, depth: int) -> Any:
    roll = rnd.random()
    if depth > 4 or roll < 0.4:
        return rnd.choice(EDGES[:19])
    if roll < 0.7:
        return [_random(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return {rnd.choice(["k", "中", "", 'q"', 1, -3, 2.5, False]): _random(rnd, depth + 1)
            for _ in range(rnd.randint(0, 4))}


def test_the_same_text_for_random_documents() -> None:
    rnd = random.Random(16)
    for _ in range(3000):
        value = _random(rnd, 0)
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2), value


@pytest.mark.parametrize("value", [{"d": object()}, [b"bytes"], {("tuple",): 1}])
def test_what_json_cannot_write_is_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps(value)
