"""`okr status [CYCLE]`: one cycle's key results as a terminal table (or JSON).

The cycle is the one given, else the current one (`okrkit.tree.current_cycle`).
Statuses are coloured only when stdout is a terminal (and NO_COLOR is unset),
so piped output and tests see plain text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrkit import i18n
from okrkit.commands.lint import today_from_env
from okrkit.config import find_root, load_config
from okrkit.cycles import Cycle
from okrkit.errors import FatalError
from okrkit.i18n import display_width
from okrkit.model import KeyResult, Objective, Sheet, Status, clamp, kr_status
from okrkit.tree import Tree, current_cycle, load_tree

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "{cycle} ({start} – {end}): {elapsed} of the cycle gone",
        "empty": "no sheets in cycle {cycle}",
        "no-sheets": "no sheets found in {path}",
        "unknown-cycle": "unknown cycle '{cycle}'",
        "problems": "{count} problem(s) in the OKR files: run `okr validate`",
        "team": "TEAM", "objective": "OBJECTIVE", "kr": "KEY RESULT", "progress": "PROGRESS",
        "status": "STATUS", "confidence": "CONFIDENCE", "owner": "OWNER",
        Status.ON_TRACK.value: "on track", Status.AT_RISK.value: "at risk",
        Status.OFF_TRACK.value: "off track", Status.UNKNOWN.value: "unknown",
    },
    "zh-TW": {
        "title": "{cycle}({start} – {end}):週期已過 {elapsed}",
        "empty": "週期 {cycle} 沒有任何 OKR 表",
        "no-sheets": "{path} 中找不到任何 OKR 表",
        "unknown-cycle": "未定義的週期「{cycle}」",
        "problems": "OKR 檔案有 {count} 個問題:請執行 `okr validate`",
        "team": "團隊", "objective": "目標", "kr": "關鍵結果", "progress": "進度",
        "status": "狀態", "confidence": "信心", "owner": "負責人",
        Status.ON_TRACK.value: "進度正常", Status.AT_RISK.value: "有風險",
        Status.OFF_TRACK.value: "落後", Status.UNKNOWN.value: "未知",
    },
}

COLUMNS = ("team", "objective", "kr", "progress", "status", "confidence", "owner")
_COLOURS = {Status.ON_TRACK: "32", Status.AT_RISK: "33", Status.OFF_TRACK: "31",
            Status.UNKNOWN: "2"}


@dataclass(frozen=True, slots=True)
class Row:
    sheet: Sheet
    objective: Objective
    kr: KeyResult
    progress: float | None  # raw: over-achievement above 1.0
    status: Status
    owner: str | None


def rows_for(tree: Tree, cycle: Cycle, today: dt.date) -> list[Row]:
    """Every key result of the cycle's sheets, teams in id order, as written within a sheet."""
    rows = []
    for sheet in sorted((s for s in tree.sheets if s.cycle_id == cycle.id), key=lambda s: s.team):
        for objective in sheet.objectives:
            for kr in objective.key_results:
                rows.append(Row(sheet, objective, kr, kr.progress(),
                                kr_status(kr, cycle, today, tree.config.bands),
                                kr.owner or objective.owner or sheet.owner))
    return rows


def status(cycle_id: str | None = None, *, output_format: str = "text",
           lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, findings = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    tree, tree_findings = load_tree(config)
    findings += tree_findings
    today = today_from_env()
    if cycle_id is not None:
        cycle = tree.cycle(cycle_id)
        if cycle is None:
            raise FatalError(text["unknown-cycle"].format(cycle=cycle_id))
    else:
        found = current_cycle(tree, today)
        if found is None:
            raise FatalError(text["no-sheets"].format(path=config.display_path(config.okrs_dir)))
        cycle = found
    rows = rows_for(tree, cycle, today)
    if findings:
        print(text["problems"].format(count=len(findings)), file=sys.stderr)
    if output_format == "json":
        sys.stdout.write(as_json(cycle, today, rows, chosen))
        return 0
    elapsed = f"{round(cycle.elapsed(today) * 100)}%"
    print(text["title"].format(cycle=cycle.id, start=cycle.start, end=cycle.end, elapsed=elapsed))
    if not rows:
        print(text["empty"].format(cycle=cycle.id))
        return 0
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(table(rows, chosen, colour=colour))
    return 0


def show_progress(value: float | None) -> str:
    """Clamped to 0–100 % for display; a '+' marks over-achievement (DESIGN: "visible")."""
    if value is None:
        return "–"
    return f"{round(clamp(value) * 100)}%" + ("+" if value > 1 else "")


def show_confidence(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def table(rows: Sequence[Row], lang: str, *, colour: bool = False) -> str:
    text = MESSAGES[lang]
    cells = [[text[c] for c in COLUMNS]]
    for row in rows:
        cells.append([row.sheet.team, row.objective.id, row.kr.id, show_progress(row.progress),
                      text[row.status.value], show_confidence(row.kr.confidence),
                      row.owner or "–"])
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(COLUMNS))]
    right = {COLUMNS.index("progress"), COLUMNS.index("confidence")}
    lines = []
    for n, cells_of_row in enumerate(cells):
        parts = []
        for i, cell in enumerate(cells_of_row):
            pad = " " * (widths[i] - display_width(cell))
            shown = cell
            if colour and n > 0 and i == COLUMNS.index("status"):
                shown = f"\x1b[{_COLOURS[rows[n - 1].status]}m{cell}\x1b[0m"
            parts.append(pad + shown if i in right else shown + pad)
        lines.append("  ".join(parts).rstrip())
    return "".join(line + "\n" for line in lines)


def as_json(cycle: Cycle, today: dt.date, rows: Sequence[Row], lang: str) -> str:
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
            "status": row.status.value, "status_label": MESSAGES[lang][row.status.value],
            "confidence": kr.confidence, "owner": row.owner, "due": kr.due,
        })
    objectives: dict[str, dict[str, Any]] = {}
    for row in rows:
        objectives.setdefault(row.sheet.ref(row.objective), {
            "ref": row.sheet.ref(row.objective), "team": row.sheet.team,
            "title": row.objective.title, "progress": row.objective.progress()})
    payload = {"cycle": cycle.id, "start": cycle.start.isoformat(),
               "end": cycle.end.isoformat(), "today": today.isoformat(),
               "elapsed": cycle.elapsed(today), "objectives": list(objectives.values()),
               "key_results": key_results}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
