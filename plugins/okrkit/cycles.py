"""Cycles: years, halves, quarters (optionally of a fiscal year) and custom ones."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

_STANDARD_RE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<part>H[12]|Q[1-4]))?\Z")


@dataclass(frozen=True, slots=True)
class Cycle:
    """An OKR cycle: an id and the dates it covers (both ends inclusive)."""

    id: str
    kind: str  # year | half | quarter | custom
    start: dt.date
    end: dt.date
    title: str = ""

    def contains(self, other: Cycle) -> bool:
        return self.start <= other.start and other.end <= self.end

    def contains_date(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed(self, today: dt.date) -> float:
        """Share of the cycle gone by `today`: 0.0 before it starts, 1.0 after it ends."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days

    def expected_progress(self, today: dt.date) -> float | None:
        """Where progress should be by `today` while the cycle runs; None before or after it."""
        return self.elapsed(today) if self.contains_date(today) else None

    def has_ended(self, today: dt.date) -> bool:
        return today > self.end

    def sort_key(self) -> tuple[dt.date, int, str]:
        # longer cycles first among those that start together: 2026, 2026-H1, 2026-Q1
        return (self.start, -self.days, self.id)


@dataclass(frozen=True, slots=True)
class CustomCycle:
    start: dt.date
    end: dt.date
    title: str = ""


class CycleCalendar:
    """Turns cycle ids into dates, following the config's fiscal year and custom cycles."""

    def __init__(self, *, fiscal_year_start: int = 1,
                 custom: Mapping[str, CustomCycle] | None = None) -> None:
        self.fiscal_year_start = fiscal_year_start
        self.custom = dict(custom or {})
        # every rule asks for its sheet's cycle, the history for each key result's
        self._known: dict[str, Cycle | None] = {}

    def get(self, cycle_id: str) -> Cycle | None:
        """The cycle with this id, or None when the id is unknown."""
        try:
            return self._known[cycle_id]
        except KeyError:
            found = self._known[cycle_id] = self._make(cycle_id)
            return found

    def _make(self, cycle_id: str) -> Cycle | None:
        if cycle_id in self.custom:
            c = self.custom[cycle_id]
            return Cycle(cycle_id, "custom", c.start, c.end, c.title)
        match = _STANDARD_RE.match(cycle_id)
        if match is None:
            return None
        year = int(match["year"])
        part = match["part"]
        # fiscal year N starts in month `fiscal_year_start` of calendar year N
        if part is None:
            kind, first, months = "year", 0, 12
        elif part[0] == "H":
            kind, first, months = "half", (int(part[1]) - 1) * 6, 6
        else:
            kind, first, months = "quarter", (int(part[1]) - 1) * 3, 3
        start = _add_months(dt.date(year, self.fiscal_year_start, 1), first)
        end = _add_months(start, months) - dt.timedelta(days=1)
        return Cycle(cycle_id, kind, start, end)

    def containing(self, day: dt.date, kind: str = "quarter") -> Cycle:
        """The standard cycle of `kind` that contains `day`."""
        fy = day.year if day.month >= self.fiscal_year_start else day.year - 1
        months = (day.month - self.fiscal_year_start) % 12
        suffix = {"year": "", "half": f"-H{months // 6 + 1}",
                  "quarter": f"-Q{months // 3 + 1}"}[kind]
        cycle = self.get(f"{fy}{suffix}")
        assert cycle is not None
        return cycle


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def parse_date(text: object) -> dt.date | None:
    """A YYYY-MM-DD string as a date; None when it is not one."""
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
