"""`okr status [CYCLE] [--team T]`: one cycle's objectives and key results as a terminal table.

Per team (its id and name from org.yaml), each objective with its key results
indented under it: title, a progress bar with the percent, status, confidence,
owner, and the id that `okr checkin TEAM/ID` takes. Titles are cut with '…' to
fit the terminal's width, or a fixed width when piped so the output is the same
everywhere. Statuses are coloured only when stdout is a terminal and NO_COLOR
is unset. `--format json` gives the same data for scripts.

The cycle is the one given, else the current one (`okrkit.tree.current_cycle`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrkit import i18n
from okrkit.config import find_root, load_config, today_from_env
from okrkit.cycles import Cycle
from okrkit.errors import FatalError
from okrkit.i18n import display_width, one_line, pad, truncate
from okrkit.model import (
    KeyResult,
    Objective,
    Sheet,
    Status,
    clamp,
    kr_status,
    mean_progress,
    worst_status,
)
from okrkit.tree import Tree, current_cycle_folder, load_tree

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "{cycle} ({start} – {end}): {elapsed} of the cycle gone",
        "empty": "no sheets in cycle {cycle}",
        "empty-teams": "no sheets of {teams} in cycle {cycle}",
        "no-sheets": "no sheets found in {path}",
        "unknown-cycle": "unknown cycle '{cycle}'",
        "unknown-team": "unknown team '{team}'",
        "unknown-team-suggest": "unknown team '{team}' (did you mean '{suggestion}'?)",
        "problems": "{count} problem(s) in the OKR files: run `okr validate`",
        "name": "OBJECTIVE / KEY RESULT", "progress": "PROGRESS", "status": "STATUS",
        "confidence": "CONFIDENCE", "owner": "OWNER", "id": "ID",
        "summary": "{count} key results: {counts}; overall progress {progress}",
        "summary-one": "1 key result: {counts}; overall progress {progress}",
        Status.ON_TRACK.value: "on track", Status.AT_RISK.value: "at risk",
        Status.OFF_TRACK.value: "off track", Status.UNKNOWN.value: "unknown",
        "count": "{count} {status}", "separator": ", ",
    },
    "zh-TW": {
        "title": "{cycle}({start} – {end}):週期已過 {elapsed}",
        "empty": "週期 {cycle} 沒有任何 OKR 表",
        "empty-teams": "週期 {cycle} 沒有 {teams} 的 OKR 表",
        "no-sheets": "{path} 中找不到任何 OKR 表",
        "unknown-cycle": "未定義的週期「{cycle}」",
        "unknown-team": "未定義的團隊「{team}」",
        "unknown-team-suggest": "未定義的團隊「{team}」(是否指「{suggestion}」?)",
        "problems": "OKR 檔案有 {count} 個問題:請執行 `okr validate`",
        "name": "目標 / 關鍵結果", "progress": "進度", "status": "狀態",
        "confidence": "信心", "owner": "負責人", "id": "ID",
        "summary": "{count} 個關鍵結果:{counts};整體進度 {progress}",
        "summary-one": "1 個關鍵結果:{counts};整體進度 {progress}",
        Status.ON_TRACK.value: "進度正常", Status.AT_RISK.value: "有風險",
        Status.OFF_TRACK.value: "落後", Status.UNKNOWN.value: "未知",
        "count": "{status} {count}", "separator": "、",
    },
}

PIPED_WIDTH = 120  # columns when stdout is not a terminal: golden files stay stable
MIN_TITLE_WIDTH = 20
BAR_CELLS = 10
_EIGHTHS = " ▏▎▍▌▋▊▉"
_COLOURS = {Status.ON_TRACK: "32", Status.AT_RISK: "33", Status.OFF_TRACK: "31",
            Status.UNKNOWN: "2"}
_STATUS_ORDER = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.UNKNOWN)


@dataclass(frozen=True, slots=True)
class Row:
    sheet: Sheet
    objective: Objective
    kr: KeyResult
    progress: float | None  # raw: over-achievement above 1.0
    status: Status
    owner: str | None


def rows_for(tree: Tree, cycle: Cycle, today: dt.date,
             teams: Sequence[str] = ()) -> list[Row]:
    """Every key result of the cycle's sheets (of `teams`, when given), teams in id order,
    as written within a sheet."""
    rows = []
    for sheet in sorted((s for s in tree.sheets if s.cycle_id == cycle.id
                         and (not teams or s.team in teams)), key=lambda s: s.team):
        for objective in sheet.objectives:
            for kr in objective.key_results:
                rows.append(Row(sheet, objective, kr, kr.progress(),
                                kr_status(kr, cycle, today, tree.config.bands),
                                kr.owner or objective.owner or sheet.owner))
    return rows


def check_teams(tree: Tree, cycle: Cycle, teams: Sequence[str], lang: str) -> None:
    """FatalError for a team neither in org.yaml nor among the cycle's sheets, naming the
    nearest known team."""
    known = {s.team for s in tree.sheets if s.cycle_id == cycle.id}
    if tree.org is not None:
        known |= {t.id for t in tree.org.teams}
    text = MESSAGES[lang]
    for team in teams:
        if team in known:
            continue
        # ids are lowercase slugs: 'SALES' is a near match of 'sales' whatever difflib says
        close = ([team.lower()] if team.lower() in known else
                 difflib.get_close_matches(team.lower(), sorted(known), n=1, cutoff=0.6))
        if close:
            raise FatalError(text["unknown-team-suggest"].format(team=team,
                                                                 suggestion=close[0]))
        raise FatalError(text["unknown-team"].format(team=team))


def status(cycle_id: str | None = None, *, teams: Sequence[str] = (),
           output_format: str = "text", lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, findings = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    today = today_from_env()
    if cycle_id is not None:
        cycle = config.calendar.get(cycle_id)
        if cycle is None:
            raise FatalError(text["unknown-cycle"].format(cycle=cycle_id))
    else:
        found = current_cycle_folder(config, today)
        if found is None:
            raise FatalError(text["no-sheets"].format(path=config.display_path(config.okrs_dir)))
        cycle = found
    # that cycle's sheets (and the org) only: the other cycles' are not shown
    tree, tree_findings = load_tree(config, [config.okrs_dir / cycle.id])
    findings += tree_findings
    teams = list(dict.fromkeys(teams))
    check_teams(tree, cycle, teams, chosen)
    rows = rows_for(tree, cycle, today, teams)
    if findings:
        print(text["problems"].format(count=len(findings)), file=sys.stderr)
    if output_format == "json":
        sys.stdout.write(as_json(tree, cycle, today, rows, chosen))
        return 0
    elapsed = f"{round(cycle.elapsed(today) * 100)}%"
    print(text["title"].format(cycle=cycle.id, start=cycle.start, end=cycle.end, elapsed=elapsed))
    if not rows:
        if teams:
            print(text["empty-teams"].format(cycle=cycle.id, teams=", ".join(teams)))
        else:
            print(text["empty"].format(cycle=cycle.id))
        return 0
    tty = sys.stdout.isatty()
    colour = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns if tty else PIPED_WIDTH
    print()
    sys.stdout.write(table(tree, rows, chosen, width=width, colour=colour))
    print()
    print(summary(rows, chosen))
    return 0


def show_progress(value: float | None) -> str:
    """Clamped to 0–100 % for display; a '+' marks over-achievement (DESIGN: "visible")."""
    if value is None:
        return "–"
    return f"{round(clamp(value) * 100)}%" + ("+" if value > 1 else "")


def show_bar(value: float | None, cells: int = BAR_CELLS) -> str:
    """A bar of `cells` columns in eighth blocks, clamped like the percent; blank when
    progress cannot be computed (an empty bar would claim 0 %)."""
    if value is None:
        return " " * cells
    eighths = round(clamp(value) * cells * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar + "░" * (cells - len(bar))


def show_confidence(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


@dataclass(frozen=True, slots=True)
class _Line:
    """One row of the table: a team, an objective or a key result."""

    name: str  # indented title
    progress: float | None
    status: Status | None
    confidence: str
    owner: str
    ident: str
    level: int  # 0 team, 1 objective, 2 key result


def _lines(tree: Tree, rows: Sequence[Row]) -> list[_Line]:
    lines: list[_Line] = []
    seen_sheets: set[str] = set()
    seen_objectives: set[str] = set()
    for row in rows:
        sheet, objective = row.sheet, row.objective
        if sheet.path not in seen_sheets:
            seen_sheets.add(sheet.path)
            team = tree.org.team(sheet.team) if tree.org is not None else None
            name = f"{sheet.team}  {one_line(team.name)}" if team is not None and team.name else (
                sheet.team)
            lines.append(_Line(name, sheet.progress(), None, "", sheet.owner or "", "", 0))
        ref = sheet.ref(objective)
        if ref not in seen_objectives:
            seen_objectives.add(ref)
            statuses = [r.status for r in rows if r.sheet is sheet and r.objective is objective]
            lines.append(_Line(one_line(objective.title), objective.progress(),
                               worst_status(statuses), "", objective.owner or sheet.owner or "–",
                               objective.id, 1))
        lines.append(_Line(one_line(row.kr.title), row.progress, row.status,
                           show_confidence(row.kr.confidence), row.owner or "–", row.kr.id, 2))
    return lines


def table(tree: Tree, rows: Sequence[Row], lang: str, *, width: int = PIPED_WIDTH,
          colour: bool = False) -> str:
    """The grouped table, at most `width` columns wide unless titles would get narrower
    than MIN_TITLE_WIDTH."""
    text = MESSAGES[lang]
    lines = _lines(tree, rows)
    percent_width = max(display_width(show_progress(line.progress)) for line in lines)
    progress_width = max(BAR_CELLS + 1 + percent_width, display_width(text["progress"]))
    status_width = max([display_width(text["status"])]
                       + [display_width(text[line.status.value]) for line in lines
                          if line.status is not None])
    confidence_width = max([display_width(text["confidence"])]
                           + [display_width(line.confidence) for line in lines])
    owner_width = max([display_width(text["owner"])] + [display_width(line.owner)
                                                        for line in lines])
    rest = progress_width + status_width + confidence_width + owner_width + 2 * 5 + max(
        [display_width(text["id"])] + [display_width(line.ident) for line in lines])
    wanted = max([display_width(text["name"])]
                 + [2 * line.level + display_width(line.name) for line in lines])
    name_width = max(MIN_TITLE_WIDTH, min(wanted, width - rest))

    def cells(name: str, progress: str, state: str, confidence: str, owner: str,
              ident: str, *, code: str | None = None) -> str:
        shown_state = state if code is None else f"\x1b[{code}m{state}\x1b[0m"
        return "  ".join([
            pad(name, name_width), " " * (progress_width - display_width(progress)) + progress,
            shown_state + " " * (status_width - display_width(state)),
            " " * (confidence_width - display_width(confidence)) + confidence,
            pad(owner, owner_width), ident]).rstrip()

    out = [cells(text["name"], text["progress"], text["status"], text["confidence"],
                 text["owner"], text["id"])]
    for line in lines:
        indent = "  " * line.level
        name = indent + truncate(line.name, name_width - len(indent))
        percent = show_progress(line.progress)
        progress = f"{show_bar(line.progress)} {' ' * (percent_width - len(percent))}{percent}"
        state = "" if line.status is None else text[line.status.value]
        code = _COLOURS[line.status] if colour and line.status is not None else None
        shown = cells(name, progress, state, line.confidence, line.owner, line.ident, code=code)
        if colour and line.level == 0:
            shown = f"\x1b[1m{shown}\x1b[0m"
        if line.level == 0 and len(out) > 1:
            out.append("")  # a blank line between teams
        out.append(shown)
    return "".join(line + "\n" for line in out)


def summary(rows: Sequence[Row], lang: str) -> str:
    """Counts of key results by status and the overall progress: the mean of the teams'
    progress, as on the site's dashboard."""
    text = MESSAGES[lang]
    counts = [text["count"].format(count=n, status=text[s.value]) for s in _STATUS_ORDER
              if (n := sum(r.status is s for r in rows)) or s is not Status.UNKNOWN]
    key = "summary-one" if len(rows) == 1 else "summary"
    return text[key].format(count=len(rows), counts=text["separator"].join(counts),
                                  progress=show_progress(overall_progress(rows)))


def overall_progress(rows: Sequence[Row]) -> float | None:
    return mean_progress({row.sheet.path: row.sheet for row in rows}.values())


def as_json(tree: Tree, cycle: Cycle, today: dt.date, rows: Sequence[Row], lang: str) -> str:
    labels = MESSAGES[lang]
    key_results: list[dict[str, Any]] = []
    for row in rows:
        kr = row.kr
        key_results.append({
            "ref": row.sheet.ref(row.objective, kr), "team": row.sheet.team,
            "objective": row.objective.id, "objective_title": row.objective.title,
            "key_result": kr.id, "title": kr.title, "direction": kr.direction,
            "baseline": kr.baseline, "target": kr.target, "current": kr.current,
            "unit": kr.unit, "progress": row.progress,
            "progress_shown": None if row.progress is None else clamp(row.progress),
            "status": row.status.value, "status_label": labels[row.status.value],
            "confidence": kr.confidence, "owner": row.owner, "due": kr.due,
        })
    objectives: dict[str, dict[str, Any]] = {}
    teams: dict[str, dict[str, Any]] = {}
    for row in rows:
        sheet, objective = row.sheet, row.objective
        ref = sheet.ref(objective)
        if ref not in objectives:
            state = worst_status([r.status for r in rows
                                  if r.sheet is sheet and r.objective is objective])
            objectives[ref] = {
                "ref": ref, "team": sheet.team, "title": objective.title,
                "progress": objective.progress(), "objective": objective.id,
                "kind": objective.kind, "status": state.value,
                "status_label": labels[state.value],
                "owner": objective.owner or sheet.owner}
        if sheet.team not in teams:
            team = tree.org.team(sheet.team) if tree.org is not None else None
            teams[sheet.team] = {"team": sheet.team, "name": team.name if team else None,
                                 "progress": sheet.progress(), "owner": sheet.owner}
    counts = {s.value: sum(r.status is s for r in rows) for s in _STATUS_ORDER}
    payload = {"cycle": cycle.id, "start": cycle.start.isoformat(),
               "end": cycle.end.isoformat(), "today": today.isoformat(),
               "elapsed": cycle.elapsed(today), "objectives": list(objectives.values()),
               "key_results": key_results, "teams": list(teams.values()),
               "status_counts": counts, "progress": overall_progress(rows)}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
