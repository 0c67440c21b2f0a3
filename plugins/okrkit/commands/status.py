"""`okr status [CYCLE] [--team T]`: one cycle's objectives and key results as a terminal table.

Per team (its id and name from org.yaml), each objective with its key results
indented under it: title, a progress bar with the percent, status, confidence,
owner, and the id that `okr checkin TEAM/ID` takes. Titles are cut with '…' to
fit the terminal's width, or a fixed width when piped so the output is the same
everywhere. Statuses are coloured only when stdout is a terminal and NO_COLOR
is unset. `--format json` gives the same data for scripts.

The cycle is the one given, else the current one (`okrkit.tree.current_cycle`).
Once it has ended, the table shows its results as the site's report card does
(`okrkit.grading`): each key result's final outcome (met / partly met / missed)
instead of its live status, and grades instead of confidence (a forecast, moot once
the cycle is over); computed grades are marked `*` until `okr score --write` records
them (OKR502). Under the table, each objective's verdict for its kind (the words of
`okr score` and the site's report card) and its retrospective, or that it has none
(OKR502); the summary gives the overall grade.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrkit import grading, i18n
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.cycles import Cycle
from okrkit.errors import FatalError
from okrkit.i18n import display_width, one_line, pad, truncate
from okrkit.model import (
    VERDICT_LABELS,
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
        "unknown-cycle-suggest": "unknown cycle '{cycle}' (did you mean '{suggestion}'?)",
        "unknown-team": "unknown team '{team}'",
        "unknown-team-suggest": "unknown team '{team}' (did you mean '{suggestion}'?)",
        "problems": "{count} problem(s) in the OKR files: run `okr validate`",
        "not-shown": "{path} does not load and is missing from this table and its totals: "
                     "{finding}",
        "empty-unloaded": "no sheet of {teams} in cycle {cycle} loads: fix the problems "
                          "above (`okr validate`)",
        "empty-unloaded-all": "no sheet of cycle {cycle} loads: fix the problems above "
                              "(`okr validate`)",
        "name": "OBJECTIVE / KEY RESULT", "progress": "PROGRESS", "status": "STATUS",
        "confidence": "CONFIDENCE", "owner": "OWNER", "id": "ID",
        "summary": "{count} key results: {counts}; overall progress {progress}",
        "summary-one": "1 key result: {counts}; overall progress {progress}",
        Status.ON_TRACK.value: "on track", Status.AT_RISK.value: "at risk",
        Status.OFF_TRACK.value: "off track", Status.UNKNOWN.value: "unknown",
        "count": "{count} {status}", "separator": ", ",
        # an ended cycle: its results, as the site's report card
        "title-ended": "{cycle} ({start} – {end}): ended on {end}",
        "provisional": "not graded yet (OKR502): grades marked * are computed from progress "
                       "and provisional; record them with `okr score {cycle} --write`",
        "outcome": "OUTCOME", "grade": "GRADE",
        "outcome-met": "met", "outcome-partly": "partly met", "outcome-missed": "missed",
        "outcome-unknown": "no grade",
        "summary-ended": "{count} key results: {counts}; overall grade {grade}",
        "summary-ended-one": "1 key result: {counts}; overall grade {grade}",
        "grade-provisional": "{grade} (provisional)",
        "retrospectives": "VERDICT / RETROSPECTIVE",
        "no-retrospective": "no retrospective yet (OKR502)",
    },
    "zh-TW": {
        "title": "{cycle}({start} – {end}):週期已過 {elapsed}",
        "empty": "週期 {cycle} 沒有任何 OKR 表",
        "empty-teams": "週期 {cycle} 沒有 {teams} 的 OKR 表",
        "no-sheets": "{path} 中找不到任何 OKR 表",
        "unknown-cycle": "未定義的週期「{cycle}」",
        "unknown-cycle-suggest": "未定義的週期「{cycle}」(是否指「{suggestion}」?)",
        "unknown-team": "未定義的團隊「{team}」",
        "unknown-team-suggest": "未定義的團隊「{team}」(是否指「{suggestion}」?)",
        "problems": "OKR 檔案有 {count} 個問題:請執行 `okr validate`",
        "not-shown": "{path} 無法載入,未列入本表與合計:{finding}",
        "empty-unloaded": "週期 {cycle} 中 {teams} 的 OKR 表無法載入:請先修正上列問題"
                          "(`okr validate`)",
        "empty-unloaded-all": "週期 {cycle} 的 OKR 表都無法載入:請先修正上列問題"
                              "(`okr validate`)",
        "name": "目標 / 關鍵結果", "progress": "進度", "status": "狀態",
        "confidence": "信心", "owner": "負責人", "id": "ID",
        "summary": "{count} 個關鍵結果:{counts};整體進度 {progress}",
        "summary-one": "1 個關鍵結果:{counts};整體進度 {progress}",
        Status.ON_TRACK.value: "進度正常", Status.AT_RISK.value: "有風險",
        Status.OFF_TRACK.value: "落後", Status.UNKNOWN.value: "未知",
        "count": "{status} {count}", "separator": "、",
        "title-ended": "{cycle}({start} – {end}):已於 {end} 結束",
        "provisional": "尚未評分(OKR502):標有 * 的評分由進度計算而來,僅供參考;"
                       "請以 `okr score {cycle} --write` 記錄評分",
        "outcome": "最終結果", "grade": "評分",
        "outcome-met": "達成", "outcome-partly": "部分達成", "outcome-missed": "未達成",
        "outcome-unknown": "無評分",
        "summary-ended": "{count} 個關鍵結果:{counts};整體評分 {grade}",
        "summary-ended-one": "1 個關鍵結果:{counts};整體評分 {grade}",
        "grade-provisional": "{grade}(暫定)",
        "retrospectives": "評語 / 回顧",
        "no-retrospective": "尚無回顧(OKR502)",
    },
}

PIPED_WIDTH = 120  # columns when stdout is not a terminal: golden files stay stable
MIN_TITLE_WIDTH = 20
BAR_CELLS = 10
_EIGHTHS = " ▏▎▍▌▋▊▉"
_COLOURS = {Status.ON_TRACK: "32", Status.AT_RISK: "33", Status.OFF_TRACK: "31",
            Status.UNKNOWN: "2"}
_STATUS_ORDER = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.UNKNOWN)
_OUTCOME_COLOURS = {"met": "32", "partly": "33", "missed": "31", "unknown": "2"}
_OUTCOME_ORDER = (*grading.OUTCOMES, "unknown")
PROVISIONAL_MARK = "*"


@dataclass(frozen=True, slots=True)
class Row:
    sheet: Sheet
    objective: Objective
    kr: KeyResult
    progress: float | None  # raw: over-achievement above 1.0
    status: Status
    owner: str | None


@dataclass(frozen=True, slots=True)
class Results:
    """An ended cycle's grades for the rows shown (`okrkit.grading`, the rule of `okr score`
    and the site's report cards), by sheet path and by objective and key result ref."""

    teams: dict[str, grading.TeamGrade]
    objectives: dict[str, grading.ObjectiveGrade]
    key_results: dict[str, grading.KrGrade]
    graded: bool  # every grade recorded; else the computed ones are provisional (OKR502)
    grade: float | None  # the mean of the teams' grades, each team counting once

    def kr_outcome(self, row: Row) -> str:
        return grading.kr_outcome(self.key_results[row.sheet.ref(row.objective, row.kr)].final
                                  ) or "unknown"

    def objective_outcome(self, rows: Sequence[Row], sheet: Sheet, objective: Objective
                          ) -> str:
        return grading.worst_outcome([self.kr_outcome(r) for r in rows
                                      if r.sheet is sheet and r.objective is objective])

    def show(self, grade: float | None, *, recorded: bool) -> str:
        """A grade to two decimals, marked when computed while the cycle is not graded (a
        recorded one then gets a space instead, so the decimals stay in line)."""
        shown = "–" if grade is None else f"{grade:.2f}"
        if self.graded:
            return shown
        return shown + (" " if recorded or grade is None else PROVISIONAL_MARK)


def results_for(rows: Sequence[Row]) -> Results:
    teams = list(grading.grades(list({row.sheet.path: row.sheet for row in rows}.values())))
    objectives = {t.sheet.ref(o.objective): o for t in teams for o in t.objectives}
    key_results = {t.sheet.ref(o.objective, k.kr): k for t in teams for o in t.objectives
                   for k in o.key_results}
    return Results({t.sheet.path: t for t in teams}, objectives, key_results,
                   graded=all(grading.recorded(t) for t in teams),
                   grade=grading.cycle_grade(teams))


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


def _team_ids(tree: Tree, teams: Sequence[str]) -> list[str]:
    """--team takes a team's id or its name in org.yaml (行銷部): ids from here on."""
    if tree.org is None:
        return list(teams)
    return [named.id if (named := tree.org.team_named(t)) is not None else t for t in teams]


def check_teams(tree: Tree, cycle: Cycle, teams: Sequence[str], lang: str) -> None:
    """FatalError for a team neither in org.yaml nor among the cycle's sheets, naming the
    nearest known team."""
    known = {s.team for s in tree.sheets if s.cycle_id == cycle.id}
    known |= {Path(path).stem for path in tree.unloaded}  # its sheet is there, broken
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


def _unknown_cycle(config: Config, cycle_id: str, text: Mapping[str, str]) -> str:
    """The error for a cycle id, naming the cycle it differs from only in case
    (`2026-q4` for 2026-Q4, as typed from the seed's 第四季)."""
    folded = cycle_id.casefold()
    for candidate in (cycle_id.upper(), *config.calendar.custom):
        if candidate.casefold() == folded and config.calendar.get(candidate) is not None:
            return text["unknown-cycle-suggest"].format(cycle=cycle_id, suggestion=candidate)
    return text["unknown-cycle"].format(cycle=cycle_id)


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
            raise FatalError(_unknown_cycle(config, cycle_id, text))
    else:
        found = current_cycle_folder(config, today)
        if found is None:
            raise FatalError(text["no-sheets"].format(path=config.display_path(config.okrs_dir)))
        cycle = found
    # that cycle's sheets (and the org) only: the other cycles' are not shown
    tree, tree_findings = load_tree(config, [config.okrs_dir / cycle.id])
    findings += tree_findings
    teams = list(dict.fromkeys(_team_ids(tree, teams)))
    check_teams(tree, cycle, teams, chosen)
    rows = rows_for(tree, cycle, today, teams)
    # a sheet that does not load is missing from the table and every total: say which,
    # and why, and exit 1 (findings), rather than show smaller numbers as if complete
    unloaded = {path: finding for path, finding in tree.unloaded.items()
                if not teams or Path(path).stem in teams}
    for path, finding in unloaded.items():
        print(text["not-shown"].format(path=path, finding=f"{finding.pos}: {finding.code} "
                                       f"{finding.message(chosen)}"), file=sys.stderr)
    if findings and not unloaded:
        print(text["problems"].format(count=len(findings)), file=sys.stderr)
    code = 1 if unloaded else 0
    # ended: its results, as the site shows them (okrkit.site.grades.has_ended)
    results = results_for(rows) if cycle.has_ended(today) else None
    if output_format == "json":
        sys.stdout.write(as_json(tree, cycle, today, rows, chosen, results))
        return code
    if results is not None:
        print(text["title-ended"].format(cycle=cycle.id, start=cycle.start, end=cycle.end))
        if rows and not results.graded:
            print(text["provisional"].format(cycle=cycle.id))
    else:
        elapsed = f"{round(cycle.elapsed(today) * 100)}%"
        print(text["title"].format(cycle=cycle.id, start=cycle.start, end=cycle.end,
                                   elapsed=elapsed))
    if not rows:
        key = ("empty-unloaded" if teams else "empty-unloaded-all") if unloaded else \
            "empty-teams" if teams else "empty"
        print(text[key].format(cycle=cycle.id, teams=", ".join(teams)))
        return code
    tty = sys.stdout.isatty()
    colour = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns if tty else PIPED_WIDTH
    print()
    sys.stdout.write(table(tree, rows, chosen, width=width, colour=colour, results=results))
    print()
    if results is not None:
        sys.stdout.write(retrospectives(rows, chosen, results))
        print()
    print(summary(rows, chosen, results))
    return code


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
    state: str | None  # a MESSAGES key: the live status, or the outcome once ended
    colour: str | None  # its ANSI colour
    confidence: str  # or the grade, once the cycle has ended
    owner: str
    ident: str
    level: int  # 0 team, 1 objective, 2 key result


def _status(status: Status) -> tuple[str, str]:
    return status.value, _COLOURS[status]


def _outcome(outcome: str) -> tuple[str, str]:
    return f"outcome-{outcome}", _OUTCOME_COLOURS[outcome]


def _lines(tree: Tree, rows: Sequence[Row], results: Results | None = None) -> list[_Line]:
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
            grade = "" if results is None else results.show(
                results.teams[sheet.path].grade,
                recorded=grading.recorded(results.teams[sheet.path]))
            lines.append(_Line(name, sheet.progress(), None, None, grade, sheet.owner or "", "",
                               0))
        ref = sheet.ref(objective)
        if ref not in seen_objectives:
            seen_objectives.add(ref)
            if results is None:
                statuses = [r.status for r in rows
                            if r.sheet is sheet and r.objective is objective]
                state, colour = _status(worst_status(statuses))
                grade = ""
            else:
                state, colour = _outcome(results.objective_outcome(rows, sheet, objective))
                grade = results.show(results.objectives[ref].final,
                                     recorded=objective.score is not None)
            lines.append(_Line(one_line(objective.title), objective.progress(), state, colour,
                               grade, objective.owner or sheet.owner or "–", objective.id, 1))
        if results is None:
            state, colour = _status(row.status)
            extra = show_confidence(row.kr.confidence)
        else:
            state, colour = _outcome(results.kr_outcome(row))
            extra = results.show(results.key_results[sheet.ref(objective, row.kr)].final,
                                 recorded=row.kr.score is not None)
        lines.append(_Line(one_line(row.kr.title), row.progress, state, colour, extra,
                           row.owner or "–", row.kr.id, 2))
    return lines


def table(tree: Tree, rows: Sequence[Row], lang: str, *, width: int = PIPED_WIDTH,
          colour: bool = False, results: Results | None = None) -> str:
    """The grouped table, at most `width` columns wide unless titles would get narrower
    than MIN_TITLE_WIDTH; an ended cycle's (`results`) with outcomes and grades."""
    text = MESSAGES[lang]
    lines = _lines(tree, rows, results)
    status_key, confidence_key = ("status", "confidence") if results is None else (
        "outcome", "grade")
    percent_width = max(display_width(show_progress(line.progress)) for line in lines)
    progress_width = max(BAR_CELLS + 1 + percent_width, display_width(text["progress"]))
    status_width = max([display_width(text[status_key])]
                       + [display_width(text[line.state]) for line in lines
                          if line.state is not None])
    confidence_width = max([display_width(text[confidence_key])]
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

    out = [cells(text["name"], text["progress"], text[status_key], text[confidence_key],
                 text["owner"], text["id"])]
    for line in lines:
        indent = "  " * line.level
        name = indent + truncate(line.name, name_width - len(indent))
        percent = show_progress(line.progress)
        progress = f"{show_bar(line.progress)} {' ' * (percent_width - len(percent))}{percent}"
        state = "" if line.state is None else text[line.state]
        code = line.colour if colour else None
        shown = cells(name, progress, state, line.confidence, line.owner, line.ident, code=code)
        if colour and line.level == 0:
            shown = f"\x1b[1m{shown}\x1b[0m"
        if line.level == 0 and len(out) > 1:
            out.append("")  # a blank line between teams
        out.append(shown)
    return "".join(line + "\n" for line in out)


def retrospectives(rows: Sequence[Row], lang: str, results: Results) -> str:
    """An ended cycle's objectives, each with its grade and verdict (`okr score`'s words)
    and under it its retrospective, line by line as written, or that it has none."""
    text = MESSAGES[lang]
    objectives = list({row.sheet.ref(row.objective): row for row in rows}.items())
    # TEAM/ID, as `okr checkin` takes it: the cycle is the title's
    shown = [f"{row.sheet.team}/{row.objective.id}" for _, row in objectives]
    ref_width = max(display_width(name) for name in shown)
    grades = [results.show(results.objectives[ref].final, recorded=row.objective.score
                           is not None) for ref, row in objectives]
    grade_width = max(display_width(g) for g in grades)
    out = [text["retrospectives"]]
    for (ref, row), name, grade in zip(objectives, shown, grades, strict=True):
        verdict = results.objectives[ref].verdict
        label = text["outcome-unknown"] if verdict is None else VERDICT_LABELS[lang][verdict]
        out.append(f"{pad(name, ref_width)}  {' ' * (grade_width - display_width(grade))}"
                   f"{grade}  {label}")
        written = [one_line(line) for line in (row.objective.retrospective or "").splitlines()
                   if line.strip()]
        out += [f"  {line}" for line in written or [text["no-retrospective"]]]
    return "".join(line + "\n" for line in out)


def summary(rows: Sequence[Row], lang: str, results: Results | None = None) -> str:
    """Counts of key results by status and the overall progress: the mean of the teams'
    progress, as on the site's dashboard; once ended, by outcome, with the overall grade."""
    text = MESSAGES[lang]
    if results is not None:
        outcomes = [results.kr_outcome(r) for r in rows]
        counts = [text["count"].format(count=n, status=text[f"outcome-{o}"])
                  for o in _OUTCOME_ORDER if (n := outcomes.count(o)) or o != "unknown"]
        grade = "–" if results.grade is None else f"{results.grade:.2f}"
        if not results.graded and results.grade is not None:
            grade = text["grade-provisional"].format(grade=grade)
        key = "summary-ended-one" if len(rows) == 1 else "summary-ended"
        return text[key].format(count=len(rows), counts=text["separator"].join(counts),
                                grade=grade)
    counts = [text["count"].format(count=n, status=text[s.value]) for s in _STATUS_ORDER
              if (n := sum(r.status is s for r in rows)) or s is not Status.UNKNOWN]
    key = "summary-one" if len(rows) == 1 else "summary"
    return text[key].format(count=len(rows), counts=text["separator"].join(counts),
                                  progress=show_progress(overall_progress(rows)))


def overall_progress(rows: Sequence[Row]) -> float | None:
    return mean_progress({row.sheet.path: row.sheet for row in rows}.values())


def as_json(tree: Tree, cycle: Cycle, today: dt.date, rows: Sequence[Row], lang: str,
            results: Results | None = None) -> str:
    """The table's data; once the cycle has ended (`results`), with outcomes and grades
    beside the statuses (`status` stays the one its confidence and progress give)."""
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
        if results is not None:
            graded = results.key_results[row.sheet.ref(row.objective, kr)]
            outcome = results.kr_outcome(row)
            key_results[-1].update({"outcome": outcome,
                                    "outcome_label": labels[f"outcome-{outcome}"],
                                    "grade": graded.final, "grade_recorded": kr.score is not None})
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
            if results is not None:
                graded_objective = results.objectives[ref]
                outcome = results.objective_outcome(rows, sheet, objective)
                verdict = graded_objective.verdict
                objectives[ref].update({
                    "outcome": outcome, "outcome_label": labels[f"outcome-{outcome}"],
                    "grade": graded_objective.final,
                    "grade_recorded": objective.score is not None, "verdict": verdict,
                    "verdict_label": None if verdict is None else VERDICT_LABELS[lang][verdict],
                    "retrospective": objective.retrospective})
        if sheet.team not in teams:
            team = tree.org.team(sheet.team) if tree.org is not None else None
            teams[sheet.team] = {"team": sheet.team, "name": team.name if team else None,
                                 "progress": sheet.progress(), "owner": sheet.owner}
            if results is not None:
                teams[sheet.team]["grade"] = results.teams[sheet.path].grade
    counts = {s.value: sum(r.status is s for r in rows) for s in _STATUS_ORDER}
    payload = {"cycle": cycle.id, "start": cycle.start.isoformat(),
               "end": cycle.end.isoformat(), "today": today.isoformat(),
               "elapsed": cycle.elapsed(today), "objectives": list(objectives.values()),
               "key_results": key_results, "teams": list(teams.values()),
               "status_counts": counts, "progress": overall_progress(rows),
               "ended": results is not None}
    if results is not None:
        outcomes = [results.kr_outcome(r) for r in rows]
        payload.update({"outcome_counts": {o: outcomes.count(o) for o in _OUTCOME_ORDER},
                        "grade": results.grade, "graded": results.graded})
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
