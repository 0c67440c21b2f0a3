"""Tree + history → the export: one JSON-ready document per `schema/export.schema.json`.

Every number comes from where the rest of okrkit gets it: progress and status
from `okrkit.model`, grades and verdicts as `okr score` computes them, the
timelines, plan changes and goal posts moved from `okrkit.history`. The JSON,
CSV and XLSX writers, the site's `api/v1/` files, its feeds and its badges all
read this one document, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrkit import model
from okrkit.cycles import Cycle
from okrkit.grading import grades  # the one grade rule, shared with `okr score` and the site
from okrkit.model import KeyResult, Objective, Sheet, Status, Value

if TYPE_CHECKING:
    from okrkit.history import Commit, History, TimelinePoint
    from okrkit.tree import Tree

EXPORT_VERSION = 1
Export = dict[str, Any]


def build_export(tree: Tree, history: History, *, today: dt.date,
                 cycles: Sequence[str] = (),
                 memo: Callable[[Sheet, Callable[[], dict[str, Any]]], dict[str, Any]]
                 | None = None,
                 progress_of: Callable[[Sheet], float | None] | None = None) -> Export:
    """The export of `cycles` (every cycle with sheets when empty). `memo(sheet, make)`:
    a sheet's part as `make()` gives it, or as kept from an earlier build (the site under
    `mkdocs serve`: site/incremental.py); `progress_of(sheet)`: its `progress()`, as the
    site keeps it (a cycle's mean reads every sheet of it)."""
    wanted = set(cycles)
    chosen = [c for c in tree.cycles() if not wanted or c.id in wanted]
    org = tree.org
    people = org.person_names() if org is not None else {}
    out_cycles = []
    for cycle in chosen:
        sheets = sorted((s for s in tree.sheets if s.cycle_id == cycle.id), key=lambda s: s.team)
        team_grades: dict[str, Any] = {}  # worked out when a sheet's part is made
        out_sheets = []
        for sheet in sheets:
            make = functools.partial(_graded_sheet, tree, history, cycle, sheet, today,
                                     sheets, team_grades)
            out_sheets.append(make() if memo is None else memo(sheet, make))
        out_cycles.append({
            "id": cycle.id, "title": cycle.title or cycle.id, "kind": cycle.kind,
            "start": cycle.start.isoformat(), "end": cycle.end.isoformat(),
            "elapsed": round(cycle.elapsed(today), 4),
            "progress": _ratio(model.mean_progress(sheets, progress_of=progress_of)),
            "status_counts": _counts([kr["status"] for s in out_sheets
                                      for o in s["objectives"] for kr in o["key_results"]]),
            "sheets": out_sheets,
        })
    return {
        "okrkit_export": EXPORT_VERSION,
        "generated": today.isoformat(),
        "organisation": {
            "name": org.name if org is not None else "",
            "description": org.description if org is not None else "",
            "themes": [{"id": t.id, "title": t.title, "description": t.description}
                       for t in (org.themes if org is not None else ())],
            "teams": [{"id": t.id, "name": t.name, "parent": t.parent, "lead": t.lead}
                      for t in (org.teams if org is not None else ())],
            "people": [{"id": pid, "name": name} for pid, name in people.items()],
        },
        "history": {"available": history.available, "shallow": history.shallow,
                    "warnings": [w.get("en", "") for w in history.warnings]},
        "cycles": out_cycles,
    }


def _ratio(value: float | None) -> float | None:
    # four decimals: 0.1234 is 12.34 %, more is noise in a feed
    return None if value is None else round(value, 4)


def _counts(statuses: Sequence[str]) -> dict[str, int]:
    return {s.value: statuses.count(s.value) for s in Status}


def _sheet(tree: Tree, history: History, cycle: Cycle, sheet: Sheet, graded: Any,
           today: dt.date) -> dict[str, Any]:
    bands = tree.config.bands
    objectives = []
    for objective, ograde in zip(sheet.objectives, graded.objectives, strict=True):
        krs = []
        for kr, kgrade in zip(objective.key_results, ograde.key_results, strict=True):
            krs.append(_kr(history, sheet, objective, kr, model.kr_status(kr, cycle, today, bands),
                           kgrade.suggested))
        status = model.worst_status([Status(k["status"]) for k in krs])
        objectives.append({
            "id": objective.id, "ref": sheet.ref(objective), "title": objective.title,
            "description": objective.description, "owner": objective.owner,
            "kind": objective.kind, "strategy": list(objective.strategy),
            "parent": objective.parent, "weight": objective.weight,
            "progress": _ratio(objective.progress()), "status": status.value,
            "score": objective.score, "grade": ograde.final,
            "verdict": ograde.verdict, "retrospective": objective.retrospective,
            "key_results": krs,
        })
    team = tree.org.team(sheet.team) if tree.org is not None else None
    # the site adds "page", the team's page (site/data.py)
    return {
        "team": sheet.team, "team_name": team.name if team is not None else sheet.team,
        "owner": sheet.owner, "path": _posix(tree, sheet),
        "progress": _ratio(sheet.progress()),
        "status": model.worst_status([Status(o["status"]) for o in objectives]).value,
        "grade": graded.grade, "objectives": objectives,
    }


def _graded_sheet(tree: Tree, history: History, cycle: Cycle, sheet: Sheet, today: dt.date,
                  sheets: Sequence[Sheet], team_grades: dict[str, Any]) -> dict[str, Any]:
    if not team_grades:
        team_grades.update({g.sheet.team: g for g in grades(sheets)})
    return _sheet(tree, history, cycle, sheet, team_grades[sheet.team], today)


def _posix(tree: Tree, sheet: Sheet) -> str:
    path = Path(sheet.path).resolve()
    try:
        return path.relative_to(tree.config.root.resolve()).as_posix()
    except ValueError:
        return Path(sheet.path).as_posix()


def _kr(history: History, sheet: Sheet, objective: Objective, kr: KeyResult, status: Status,
        suggested: float | None) -> dict[str, Any]:
    ref = sheet.ref(objective, kr)
    raw = kr.progress()
    checkins = history.checkins(ref)
    return {
        "id": kr.id, "ref": ref, "title": kr.title, "metric": kr.metric, "source": kr.source,
        "unit": kr.unit, "direction": kr.direction, "baseline": kr.baseline,
        "target": kr.target, "current": kr.current, "confidence": kr.confidence,
        "due": kr.due, "owner": kr.owner, "contributors": list(kr.contributors),
        "weight": kr.weight,
        "progress": _ratio(raw), "progress_clamped": None if raw is None
        else _ratio(model.clamp(raw)),
        "status": status.value, "score": kr.score,
        "grade": kr.score if kr.score is not None else suggested,
        "original_target": history.original_target(ref) if history.available else kr.target,
        "initiatives": [{"title": i.title, "done": i.done} for i in kr.initiatives],
        "last_checkin": None if not checkins else _date(checkins[-1].commit),
        "checkins": [_checkin(p) for p in checkins],
        "plan_changes": [_plan_change(p) for p in history.plan_changes(ref)],
        "goal_posts_moved": [
            {**_commit(m.commit), "field": m.field, "from": _value(m.old), "to": _value(m.new),
             "reason": m.reason} for m in history.goal_post_moves(ref)],
    }


def _value(value: Value | str) -> Value:
    return value if value is None or isinstance(value, (bool, int, float)) else None


def _date(commit: Commit) -> str:
    return commit.date.isoformat()


def _commit(commit: Commit) -> dict[str, Any]:
    return {"date": _date(commit), "author": commit.author, "commit": commit.sha,
            "subject": commit.subject}


def _checkin(point: TimelinePoint) -> dict[str, Any]:
    return {**_commit(point.commit), "value": _value(point.state.current),
            "confidence": point.state.confidence}


def _plan_change(point: TimelinePoint) -> dict[str, Any]:
    from okrkit.pairing import PLAN_FIELDS

    state = point.state
    return {**_commit(point.commit),
            "fields": [f for f in point.changed if f in PLAN_FIELDS],
            "title": state.title, "target": _value(state.target),
            "baseline": _value(state.baseline), "due": state.due, "owner": state.owner,
            "direction": state.direction, "unit": state.unit}
