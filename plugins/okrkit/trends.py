"""Trends from the git log: a key result's confidence over time, and the overall progress
of a team (or a cycle) at each check-in.

Pure: the history is already read (`okrkit.history`), the sheets are the model. The
progress at a commit is the model's own arithmetic (`Sheet.progress`: the weighted
mean of the objectives' weighted means of clamped key-result progress) over the
values each key result had after that commit, so the chart's last point is the
progress the page shows. A key result not yet in the history at a commit is left out
of the mean there, as a key result without progress is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from okrkit.model import KeyResult, Objective, Sheet, weighted_mean

if TYPE_CHECKING:
    from okrkit.history import Commit, History, KrState, TimelinePoint


@dataclass(frozen=True, slots=True)
class TrendPoint:
    day: dt.date
    value: float
    sha: str


def confidence_series(points: Sequence[TimelinePoint]) -> list[TrendPoint]:
    """One point per commit that set the key result's confidence (its first version too)."""
    return [TrendPoint(p.commit.date.date(), float(p.state.confidence), p.commit.sha)
            for p in points if p.state.confidence is not None
            and ("added" in p.changed or "confidence" in p.changed)]


def sheet_steps(sheet: Sheet, history: History) -> list[tuple[Commit, float | None]]:
    """The sheet's `progress()` after each commit that changed one of its key results,
    by author date (a stable sort: ties keep the log's order)."""
    by_commit: dict[str, tuple[Commit, list[tuple[str, KrState]]]] = {}
    model_krs: dict[str, KeyResult] = {}
    owners: dict[str, set[int]] = {}  # ref → the objectives (their index) listing it
    refs: list[list[str]] = []  # each objective's key results, in the sheet's order
    for index, objective in enumerate(sheet.objectives):
        refs.append([])
        for kr in objective.key_results:
            ref = sheet.ref(objective, kr)
            model_krs[ref] = kr
            owners.setdefault(ref, set()).add(index)
            refs[index].append(ref)
            for p in history.timeline(ref):
                by_commit.setdefault(p.commit.sha, (p.commit, []))[1].append((ref, p.state))
    now: dict[str, KeyResult] = {}  # each key result with its values as of the commit
    base: dict[str, dict[str, Any]] = {}  # each key result's fields, read once
    objective_values: dict[int, dict[str, Any]] = {}  # each objective's, read once
    # the sheet's progress with each key result's values as of the commit, worked out
    # again for the objectives the commit touched only: the others' is what it was (the
    # model's arithmetic in the same order, so the same bits; a commit changes one
    # objective of a few, and copying the whole sheet per commit cost most of the steps' time)
    progress: list[float | None] = [None] * len(sheet.objectives)
    weights = [objective.weight for objective in sheet.objectives]
    steps = []
    for commit, changes in sorted(by_commit.values(), key=lambda item: item[0].date):
        touched: set[int] = set()
        for ref, state in changes:  # copied when its own values change, not per commit
            if ref not in base:
                base[ref] = _init_values(model_krs[ref])
            now[ref] = _with_state(base[ref], state)
            touched |= owners[ref]
        for index in touched:
            if index not in objective_values:
                objective_values[index] = _init_values(sheet.objectives[index])
            krs = tuple(now[ref] for ref in refs[index] if ref in now)
            progress[index] = Objective(**{**objective_values[index],
                                           "key_results": krs}).progress()
        steps.append((commit, weighted_mean([(p, w) for p, w in zip(progress, weights,
                                                                     strict=True)
                                             if p is not None])))
    return steps


def progress_series(sheets: Sequence[Sheet], history: History, *,
                    steps: Callable[[Sheet], Sequence[tuple[Commit, float | None]]]
                    | None = None) -> list[TrendPoint]:
    """Overall progress after each commit that changed a key result of `sheets`: one
    sheet's `progress()`, or for several the plain mean of theirs (as `mean_progress`:
    each team counting once, the dashboard's overall progress). `steps`: each sheet's
    `sheet_steps`, already worked out (the site reuses a team's for its cycle)."""
    by_commit: dict[str, tuple[Commit, list[tuple[int, float | None]]]] = {}
    for index, sheet in enumerate(sheets):
        found = steps(sheet) if steps is not None else sheet_steps(sheet, history)
        for commit, value in found:
            by_commit.setdefault(commit.sha, (commit, []))[1].append((index, value))
    ordered = sorted(by_commit.values(), key=lambda item: item[0].date)
    try:
        return _running_means(ordered, len(sheets))
    except (OverflowError, ValueError):  # a value that is not finite: mean them all
        pass
    progress: list[float | None] = [None] * len(sheets)  # each sheet's, as of the commit
    series: list[TrendPoint] = []
    for commit, changes in ordered:
        for index, value in changes:
            progress[index] = value
        values = [v for v in progress if v is not None]
        if values:  # mean_progress's arithmetic, in the sheets' order
            series.append(TrendPoint(commit.date.date(), statistics.fmean(values),
                                     commit.sha))
    return series


# every finite float is a whole multiple of 2 ** -1074: sums of them kept as exact ints
_EXACT = 1074


def _running_means(ordered: Sequence[tuple[Commit, list[tuple[int, float | None]]]],
                   count: int) -> list[TrendPoint]:
    """`statistics.fmean` of the sheets' progress after each commit, to the last bit, with
    a running exact sum (a commit changes a sheet or two of hundreds): fmean divides
    `math.fsum` (the exact sum, correctly rounded) by the count, and an int divided by an
    int is correctly rounded too."""
    progress: list[int | None] = [None] * count
    total = known = 0
    one = 1 << _EXACT
    series: list[TrendPoint] = []
    for commit, changes in ordered:
        for index, value in changes:
            old = progress[index]
            if old is not None:
                total -= old
                known -= 1
            if value is not None:
                num, den = float(value).as_integer_ratio()  # den: a power of two
                progress[index] = exact = num << (_EXACT + 1 - den.bit_length())
                total += exact
                known += 1
            else:
                progress[index] = None
        if known:
            series.append(TrendPoint(commit.date.date(), (total / one) / known, commit.sha))
    return series


def _init_values(value: KeyResult | Objective) -> dict[str, Any]:
    """The fields as `dataclasses.replace` reads them, once per key result or objective
    rather than once per version (40,000 versions on a large site)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.init}


def _with_state(values: dict[str, Any], state: KrState) -> KeyResult:
    """`dataclasses.replace` of the key result (`_init_values`) with a version's values."""
    return KeyResult(**{**values, "title": state.title, "current": state.current,
                        "confidence": state.confidence, "target": state.target,
                        "baseline": state.baseline, "direction": state.direction,
                        "unit": state.unit})
