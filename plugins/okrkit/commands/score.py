"""`okr score CYCLE [--write]`: end-of-cycle grading (seed: 在每個週期結束時,評估OKR的達成情況).

Each key result's suggested score is its progress clamped to 0..1 and rounded
to 0.1, Google's grading scale; an objective's is the weighted mean of its key
results' scores (recorded ones first). `--write` fills in the scores that are
missing, with the same surgical edits as `okr checkin`; recorded scores stay.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from okrkit import i18n
from okrkit.commands.lint import today_from_env
from okrkit.config import find_root, load_config
from okrkit.errors import FatalError
from okrkit.model import KeyResult, Objective, Sheet, suggest_score
from okrkit.tree import load_tree
from okrkit.yamledit import Edit, edit_file

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "{cycle}: suggested scores (progress clamped to 0–1, rounded to 0.1)",
        "provisional": "{cycle} ends on {end}: these scores are provisional",
        "recorded": "(recorded {score})",
        "no-progress": "– (no progress: baseline, target or current missing)",
        "empty": "no sheets in cycle {cycle}",
        "unknown-cycle": "unknown cycle '{cycle}'",
        "wrote": "{path}: {count} score(s) written",
        "nothing": "no missing scores to write",
    },
    "zh-TW": {
        "title": "{cycle}:建議評分(進度限制在 0–1,四捨五入到 0.1)",
        "provisional": "{cycle} 於 {end} 結束:這些評分僅供參考",
        "recorded": "(已評分 {score})",
        "no-progress": "–(無法計算進度:缺少基準值、目標值或目前值)",
        "empty": "週期 {cycle} 沒有任何 OKR 表",
        "unknown-cycle": "未定義的週期「{cycle}」",
        "wrote": "{path}:寫入 {count} 個評分",
        "nothing": "沒有需要寫入的評分",
    },
}


@dataclass(frozen=True, slots=True)
class KrGrade:
    kr: KeyResult
    suggested: float | None

    @property
    def final(self) -> float | None:
        return self.kr.score if self.kr.score is not None else self.suggested


@dataclass(frozen=True, slots=True)
class ObjectiveGrade:
    sheet: Sheet
    objective: Objective
    key_results: tuple[KrGrade, ...]

    @property
    def suggested(self) -> float | None:
        """Weighted mean of the key results' scores; None while one has none."""
        pairs = [(g.final, g.kr.weight) for g in self.key_results]
        if not pairs or any(score is None for score, _ in pairs):
            return None
        total = sum(w for _, w in pairs)
        return round(sum(s * w for s, w in pairs if s is not None) / total, 2)


def grades(sheets: list[Sheet]) -> Iterator[ObjectiveGrade]:
    for sheet in sorted(sheets, key=lambda s: s.team):
        for objective in sheet.objectives:
            yield ObjectiveGrade(sheet, objective, tuple(
                KrGrade(kr, suggest_score(kr.progress())) for kr in objective.key_results))


def score(cycle_id: str, *, write: bool = False, lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    tree, _ = load_tree(config)
    cycle = tree.cycle(cycle_id)
    if cycle is None:
        raise FatalError(text["unknown-cycle"].format(cycle=cycle_id))
    sheets = [s for s in tree.sheets if s.cycle_id == cycle.id]
    if not sheets:
        print(text["empty"].format(cycle=cycle.id))
        return 0
    if not cycle.has_ended(today_from_env()):
        print(text["provisional"].format(cycle=cycle.id, end=cycle.end), file=sys.stderr)
    print(text["title"].format(cycle=cycle.id))
    graded = list(grades(sheets))
    rows: list[tuple[str, float | None, float | None]] = []
    for grade in graded:
        rows.append((grade.sheet.ref(grade.objective), grade.suggested, grade.objective.score))
        rows += [(f"  {g.kr.id}", g.suggested, g.kr.score) for g in grade.key_results]
    width = max(len(name) for name, _, _ in rows)
    for name, suggested, recorded in rows:
        shown = text["no-progress"] if suggested is None else show_score(suggested)
        extra = "" if recorded is None else "  " + text["recorded"].format(
            score=show_score(recorded))
        print(f"{name.ljust(width)}  {shown}{extra}".rstrip())
    if write:
        _write(graded, text, chosen)
    return 0


def show_score(value: float) -> str:
    """0.7 → "0.7", 1 → "1.0", 0.433 → "0.43": tenths always, hundredths when there are."""
    text = f"{value:.2f}"
    return text[:-1] if text.endswith("0") else text


def _write(graded: list[ObjectiveGrade], text: dict[str, str], lang: str) -> None:
    by_sheet: dict[str, list[Edit]] = {}
    for grade in graded:
        edits = by_sheet.setdefault(grade.sheet.path, [])
        for kr_grade in grade.key_results:
            if kr_grade.kr.score is None and kr_grade.suggested is not None:
                edits.append(Edit(kr_grade.kr.src.jpath, "score", kr_grade.suggested))
        if grade.objective.score is None and grade.suggested is not None:
            edits.append(Edit(grade.objective.src.jpath, "score", grade.suggested,
                              after=("key_results",)))
    written = False
    for shown_path, edits in by_sheet.items():
        if not edits:
            continue
        edit_file(Path(shown_path), edits, shown=shown_path, kind="okr", lang=lang)
        written = True
        print(text["wrote"].format(path=shown_path, count=len(edits)))
    if not written:
        print(text["nothing"])
