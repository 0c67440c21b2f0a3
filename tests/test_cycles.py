"""Cycle ids → dates: years, halves, quarters, fiscal years and custom cycles."""

from __future__ import annotations

import datetime as dt

import pytest

from okrkit.cycles import CustomCycle, Cycle, CycleCalendar, parse_date

D = dt.date


@pytest.mark.parametrize(("cycle_id", "kind", "start", "end"), [
    ("2026", "year", D(2026, 1, 1), D(2026, 12, 31)),
    ("2026-H1", "half", D(2026, 1, 1), D(2026, 6, 30)),
    ("2026-H2", "half", D(2026, 7, 1), D(2026, 12, 31)),
    ("2026-Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31)),
    ("2026-Q2", "quarter", D(2026, 4, 1), D(2026, 6, 30)),
    ("2026-Q3", "quarter", D(2026, 7, 1), D(2026, 9, 30)),
    ("2026-Q4", "quarter", D(2026, 10, 1), D(2026, 12, 31)),
    ("2024-Q1", "quarter", D(2024, 1, 1), D(2024, 3, 31)),
])
def test_calendar_cycles(cycle_id: str, kind: str, start: dt.date, end: dt.date) -> None:
    assert CycleCalendar().get(cycle_id) == Cycle(cycle_id, kind, start, end)


@pytest.mark.parametrize(("cycle_id", "start", "end"), [
    ("2026", D(2026, 2, 1), D(2027, 1, 31)),
    ("2026-H1", D(2026, 2, 1), D(2026, 7, 31)),
    ("2026-H2", D(2026, 8, 1), D(2027, 1, 31)),
    ("2026-Q1", D(2026, 2, 1), D(2026, 4, 30)),
    ("2026-Q4", D(2026, 11, 1), D(2027, 1, 31)),
    ("2028-Q1", D(2028, 2, 1), D(2028, 4, 30)),
])
def test_fiscal_year_starting_in_february(cycle_id: str, start: dt.date, end: dt.date) -> None:
    cycle = CycleCalendar(fiscal_year_start=2).get(cycle_id)
    assert cycle is not None and (cycle.start, cycle.end) == (start, end)


@pytest.mark.parametrize(("cycle_id", "start", "end"), [
    ("2026", D(2026, 7, 1), D(2027, 6, 30)),
    ("2026-H2", D(2027, 1, 1), D(2027, 6, 30)),
    ("2026-Q1", D(2026, 7, 1), D(2026, 9, 30)),
    ("2026-Q2", D(2026, 10, 1), D(2026, 12, 31)),
    ("2026-Q3", D(2027, 1, 1), D(2027, 3, 31)),
    ("2026-Q4", D(2027, 4, 1), D(2027, 6, 30)),
])
def test_fiscal_year_starting_in_july(cycle_id: str, start: dt.date, end: dt.date) -> None:
    cycle = CycleCalendar(fiscal_year_start=7).get(cycle_id)
    assert cycle is not None and (cycle.start, cycle.end) == (start, end)


@pytest.mark.parametrize(("fiscal_year_start", "day", "kind", "expected"), [
    (1, D(2026, 5, 20), "quarter", "2026-Q2"),
    (1, D(2026, 12, 31), "half", "2026-H2"),
    (2, D(2026, 1, 31), "quarter", "2025-Q4"),
    (2, D(2026, 2, 1), "quarter", "2026-Q1"),
    (7, D(2026, 6, 30), "year", "2025"),
    (7, D(2027, 1, 1), "quarter", "2026-Q3"),
    (7, D(2026, 7, 1), "half", "2026-H1"),
])
def test_containing(fiscal_year_start: int, day: dt.date, kind: str, expected: str) -> None:
    cycle = CycleCalendar(fiscal_year_start=fiscal_year_start).containing(day, kind)
    assert cycle.id == expected
    assert cycle.contains_date(day)


def test_custom_cycles_come_first_and_keep_their_title() -> None:
    calendar = CycleCalendar(custom={
        "FY23-Q1": CustomCycle(D(2022, 2, 1), D(2022, 4, 30), "第一季"),
        "2026-Q1": CustomCycle(D(2026, 1, 5), D(2026, 4, 3)),  # a custom id may shadow
    })
    assert calendar.get("FY23-Q1") == Cycle("FY23-Q1", "custom", D(2022, 2, 1),
                                            D(2022, 4, 30), "第一季")
    assert calendar.get("2026-Q1") == Cycle("2026-Q1", "custom", D(2026, 1, 5), D(2026, 4, 3))
    assert calendar.get("2026-Q2") == Cycle("2026-Q2", "quarter", D(2026, 4, 1), D(2026, 6, 30))


@pytest.mark.parametrize("cycle_id", ["2026-Q5", "2026-H3", "26-Q1", "2026Q1", "FY23-Q1", "",
                                      "2026-q1", "2026-Q1\n"])
def test_unknown_ids(cycle_id: str) -> None:
    assert CycleCalendar().get(cycle_id) is None


def _cycle(cycle_id: str) -> Cycle:
    cycle = CycleCalendar().get(cycle_id)
    assert cycle is not None
    return cycle


@pytest.mark.parametrize(("outer", "inner", "expected"), [
    ("2026", "2026-Q1", True), ("2026", "2026-H2", True), ("2026-H1", "2026-Q2", True),
    ("2026-H1", "2026-Q3", False), ("2026", "2027-Q1", False), ("2026-Q1", "2026", False),
    ("2026-Q1", "2026-Q1", True),
])
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert _cycle(outer).contains(_cycle(inner)) is expected


def test_contains_across_calendars() -> None:
    fiscal = CycleCalendar(fiscal_year_start=7).get("2026")
    assert fiscal is not None
    assert fiscal.contains(_cycle("2027-Q1"))
    assert not fiscal.contains(_cycle("2026-Q2"))


@pytest.mark.parametrize(("day", "expected"), [
    (D(2025, 12, 31), 0.0), (D(2026, 1, 1), 1 / 90), (D(2026, 2, 14), 0.5),
    (D(2026, 3, 30), 89 / 90), (D(2026, 3, 31), 1.0), (D(2026, 7, 1), 1.0),
])
def test_elapsed(day: dt.date, expected: float) -> None:
    assert _cycle("2026-Q1").elapsed(day) == pytest.approx(expected)


def test_days_activity_and_order() -> None:
    q1 = _cycle("2026-Q1")
    assert q1.days == 90
    assert _cycle("2024-Q1").days == 91  # a leap year
    assert q1.expected_progress(D(2026, 3, 31)) == 1.0
    assert q1.expected_progress(D(2026, 1, 1)) == pytest.approx(1 / 90)
    assert q1.expected_progress(D(2026, 4, 1)) is None
    assert q1.expected_progress(D(2025, 12, 31)) is None
    assert q1.has_ended(D(2026, 4, 1)) and not q1.has_ended(D(2026, 3, 31))
    ids = ["2026-Q2", "2026-Q1", "2026-H1", "2026", "2025-Q4"]
    assert [c.id for c in sorted(map(_cycle, ids), key=Cycle.sort_key)] == [
        "2025-Q4", "2026", "2026-H1", "2026-Q1", "2026-Q2"]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-31", D(2026, 3, 31)), ("2024-02-29", D(2024, 2, 29)), ("2025-02-29", None),
    ("2025-13-45", None), ("2026-3-31", None), ("20260331", None), (20260331, None),
    (None, None), ("2026-03-31T00:00", None),
])
def test_parse_date(text: object, expected: dt.date | None) -> None:
    assert parse_date(text) == expected
