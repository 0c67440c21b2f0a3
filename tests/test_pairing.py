"""The comparing helpers shared by the diff, the history and OKR604."""

from __future__ import annotations

import datetime as dt

import pytest

from okrkit.pairing import change_text, same_value


@pytest.mark.parametrize(("a", "b", "same"), [
    (1, 1.0, True),  # YAML `1` and `1.0` are the same number
    (0.5, 0.5, True),
    (None, None, True),
    ("x", "x", True),
    (dt.date(2026, 3, 31), dt.date(2026, 3, 31), True),
    (True, 1, False),  # a boolean is not a number
    (False, 0, False),
    (True, True, True),
    ("1", 1, False),
    (None, 0, False),
    (1, 2, False),
])
def test_same_value_is_equal_as_yaml_values(a: object, b: object, same: bool) -> None:
    assert same_value(a, b) is same
    assert same_value(b, a) is same


@pytest.mark.parametrize(("field", "old", "new", "text"), [
    ("current", 48000, 52000, "+8.3%"),
    ("target", 60000, 55000, "−8.3%"),
    ("confidence", 0.5, 0.7, "+0.2"),  # points, not percent
    ("confidence", 0.7, 0.5, "−0.2"),
    ("current", 0, 5, ""),  # from zero: no relative change
    ("owner", "mei", "kai", ""),
])
def test_change_text(field: str, old: object, new: object, text: str) -> None:
    assert change_text(field, old, new) == text
