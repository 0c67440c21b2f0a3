"""The comparing helpers shared by the diff, the history and OKR604."""

from __future__ import annotations

import datetime as dt

import pytest

from okrkit.pairing import change_text, match, same_value


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


def _kr(kr_id: str, title: str = "", metric: str | None = None) -> tuple[str, str, object]:
    return (kr_id, title or f"{kr_id} title", metric)


def test_match_follows_renamed_objectives_and_moved_krs() -> None:
    """The one matching of `okr diff` and the history's events."""
    old = [("o1", "Grow revenue", [_kr("kr1"), _kr("kr2")]),
           ("o2", "Happier customers", [_kr("kr1", "NPS", "nps"), _kr("kr2")]),
           ("o3", "Ship the app", [_kr("a"), _kr("b"), _kr("c")]),
           ("o4", "Dropped", [_kr("x")])]
    new = [("o1", "Grow revenue", [_kr("kr1")]),
           ("grow-love", "Happier customers", [_kr("promoters", "NPS", "nps"),
                                               _kr("kr2")]),
           ("app", "Ship the mobile app", [_kr("a"), _kr("b"), _kr("kr2", "o1 kr2")]),
           ("o5", "New", [_kr("y")])]
    m = match(old, new)
    assert m.objectives == [("o1", "o1"), ("o2", "grow-love"), ("o3", "app")]
    assert m.renamed == [("o2", "grow-love"), ("o3", "app")]  # by title, then by KRs kept
    assert (m.lost, m.gained) == (["o4"], ["o5"])
    assert m.krs == [("o1/kr1", "o1/kr1"), ("o2/kr2", "grow-love/kr2"),
                     ("o3/a", "app/a"), ("o3/b", "app/b")]
    # o1/kr2 moved into another objective (same id); o2/kr1 renamed (same title)
    assert m.renamed_krs == [("o1/kr2", "app/kr2"), ("o2/kr1", "grow-love/promoters")]
    assert (m.lost_krs, m.gained_krs) == (["o3/c", "o4/x"], ["o5/y"])


def test_match_needs_half_the_krs_and_a_title_to_pair() -> None:
    old = [("o1", "", [_kr("a"), _kr("b"), _kr("c")])]
    new = [("o2", "", [_kr("a"), _kr("z")])]  # one of three kept: not the same objective
    m = match(old, new)
    assert (m.objectives, m.lost, m.gained) == ([], ["o1"], ["o2"])
    assert m.renamed_krs == [("o1/a", "o2/a")]  # the KR itself is followed by its id
