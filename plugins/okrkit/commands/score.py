"""`okr score CYCLE [--write]`: end-of-cycle grading (seed: 在每個週期結束時,評估OKR的達成情況).

Grades use Google's 0.0–1.0 scale, to two decimals so the arithmetic stays
visible: a key result's is its progress clamped to 0..1 and rounded half up to
0.01 (`model.suggest_score`); an objective's is the weighted mean of its key
results' grades, a team's the weighted mean of its objectives' (recorded grades
first, `model.mean_grade`). Each objective gets a short verdict by its kind:
0.6–0.7 is the sweet spot of an aspirational objective, 1.0 is what a committed
one expects. The arithmetic is `okrkit.grading`, shared with the site's report cards.

`--write` fills in the scores that are missing, with the same surgical edits as
`okr checkin`, and asks for the retrospectives that are missing when a person
is at the terminal; otherwise it names the objectives still without one (they
get OKR502 from the linter). There is no flag for retrospective text: each
objective needs its own, and prose of several lines is better written in the
sheet than on a command line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from okrkit import i18n, prompt
from okrkit.config import find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.grading import TeamGrade, grades
from okrkit.i18n import display_width, one_line, pad, truncate
from okrkit.model import VERDICT_LABELS, Objective, Org
from okrkit.tree import load_tree
from okrkit.yamledit import Edit, prepare_edit

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "{cycle}: end-of-cycle grades on Google's 0.0–1.0 scale",
        "method": "key result: progress clamped to 0–1, rounded half up to 0.01; objective "
                  "and team: weighted mean of the grades below",
        "provisional": "{cycle} ends on {end}: these scores are provisional",
        "name": "TEAM / OBJECTIVE / KEY RESULT", "kind": "KIND", "grade": "GRADE",
        "recorded": "RECORDED",
        "aspirational": "aspirational", "committed": "committed",
        "no-progress": "no progress: baseline, target or current missing",
        "legend-aspirational": "aspirational: 0.6–0.7 is the sweet spot; 1.0 asks whether "
                               "the objective was ambitious enough; below 0.4 asks what got "
                               "in the way",
        "legend-committed": "committed: 1.0 is expected; below it, look at what blocked it",
        "differ": "{count} recorded grade(s) differ from the arithmetic",
        "empty": "no sheets in cycle {cycle}",
        "unknown-cycle": "unknown cycle '{cycle}'",
        "wrote": "{path}: {count} score(s) written",
        "wrote-both": "{path}: {count} score(s) and {retros} retrospective(s) written",
        "nothing": "no missing scores to write",
        "ask": "retrospective of {ref} ({title}), one line, empty to skip",
        "remind": "{count} objective(s) without a retrospective (OKR502 once the cycle has "
                  "ended): write one under `retrospective:` in the sheet, or run `okr score "
                  "{cycle} --write` in a terminal",
        "remind-skipped": "{count} objective(s) still without a retrospective (OKR502 once "
                          "the cycle has ended): write one under `retrospective:` in the sheet",
        "not-graded": "{path} does not load and is not graded: {finding}",
    },
    "zh-TW": {
        "title": "{cycle}:週期結束評分,採 Google 的 0.0–1.0 尺度",
        "method": "關鍵結果:進度限制在 0–1,四捨五入到 0.01;目標與團隊:下一層評分的加權平均",
        "provisional": "{cycle} 於 {end} 結束:這些評分僅供參考",
        "name": "團隊 / 目標 / 關鍵結果", "kind": "類型", "grade": "評分", "recorded": "已記錄",
        "aspirational": "挑戰型", "committed": "承諾型",
        "no-progress": "無法計算進度:缺少基準值、目標值或目前值",
        "legend-aspirational": "挑戰型:0.6–0.7 是最佳區間;1.0 要問目標是否夠有挑戰性;"
                               "低於 0.4 要問是什麼阻礙了進展",
        "legend-committed": "承諾型:預期達到 1.0;未達時,檢討是什麼阻礙了它",
        "differ": "有 {count} 個已記錄的評分與計算結果不同",
        "empty": "週期 {cycle} 沒有任何 OKR 表",
        "unknown-cycle": "未定義的週期「{cycle}」",
        "wrote": "{path}:寫入 {count} 個評分",
        "wrote-both": "{path}:寫入 {count} 個評分與 {retros} 則回顧",
        "nothing": "沒有需要寫入的評分",
        "ask": "{ref}({title})的回顧,一行,留空略過",
        "remind": "有 {count} 個目標還沒有回顧(週期結束後會得到 OKR502):請在表單的 "
                  "`retrospective:` 寫下回顧,或在終端機執行 `okr score {cycle} --write`",
        "remind-skipped": "還有 {count} 個目標沒有回顧(週期結束後會得到 OKR502):"
                          "請在表單的 `retrospective:` 寫下回顧",
        "not-graded": "{path} 無法載入,未列入評分:{finding}",
    },
}

TITLE_WIDTH = 36  # objective titles in the name column, in terminal columns


def score(cycle_id: str, *, write: bool = False, lang: str | None = None,
          output_format: str = "text") -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    cycle = config.calendar.get(cycle_id)
    if cycle is None:
        raise FatalError(text["unknown-cycle"].format(cycle=cycle_id))
    tree, _ = load_tree(config, [config.okrs_dir / cycle.id])  # that cycle's sheets
    for finding in tree.unloaded.values():  # else a team is just missing
        print(text["not-graded"].format(path=finding.pos.path, finding=(
            f"{finding.pos}: {finding.message(chosen)}")), file=sys.stderr)
    sheets = [s for s in tree.sheets if s.cycle_id == cycle.id]
    if not sheets:
        print(text["empty"].format(cycle=cycle.id))
        return 0
    if not cycle.has_ended(today_from_env()):
        print(text["provisional"].format(cycle=cycle.id, end=cycle.end), file=sys.stderr)
    graded = list(grades(sheets))
    if output_format == "json":
        sys.stdout.write(as_json(graded, cycle.id, chosen))
    else:
        sys.stdout.write(report(graded, tree.org, cycle.id, chosen))
    if write:
        # with JSON on stdout, what was written is a note for the person, on stderr
        _write(graded, cycle.id, text, chosen, digests=tree.digests,
               news=sys.stderr if output_format == "json" else sys.stdout)
    return 0


def as_json(graded: Sequence[TeamGrade], cycle_id: str, lang: str) -> str:
    """Every grade, computed and recorded, for a dashboard or a spreadsheet."""
    labels = VERDICT_LABELS[lang]
    teams = []
    for team in graded:
        objectives = []
        for grade in team.objectives:
            objectives.append({
                "ref": grade.sheet.ref(grade.objective), "title": grade.objective.title,
                "kind": grade.objective.kind, "weight": grade.objective.weight,
                "grade": grade.suggested, "recorded": grade.objective.score,
                "verdict": grade.verdict,
                "verdict_label": None if grade.verdict is None else labels[grade.verdict],
                "retrospective": grade.objective.retrospective,
                "key_results": [{"ref": grade.sheet.ref(grade.objective, g.kr),
                                 "title": g.kr.title, "weight": g.kr.weight,
                                 "progress": g.kr.progress(), "grade": g.suggested,
                                 "recorded": g.kr.score} for g in grade.key_results],
            })
        teams.append({"team": team.sheet.team, "path": team.sheet.path, "grade": team.grade,
                      "objectives": objectives})
    payload = {"cycle": cycle_id, "teams": teams}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def show_score(value: float | None) -> str:
    """Two decimals always, so a column of grades lines up: 0.7 → "0.70", 1 → "1.00"."""
    return "–" if value is None else f"{value:.2f}"


def report(graded: Sequence[TeamGrade], org: Org | None, cycle_id: str, lang: str) -> str:
    text = MESSAGES[lang]
    rows: list[tuple[str, str, str, str, str]] = [
        (text["name"], text["kind"], text["grade"], text["recorded"], "")]
    differ = 0
    kinds: set[str] = set()
    for team in graded:
        found = org.team(team.sheet.team) if org is not None else None
        name = (f"{team.sheet.team}  {one_line(found.name)}"
                if found is not None and found.name else team.sheet.team)
        rows.append((name, "", show_score(team.grade), "", ""))
        for grade in team.objectives:
            objective = grade.objective
            kinds.add(objective.kind)
            verdict = grade.verdict
            note = VERDICT_LABELS[lang][verdict] if verdict is not None else text["no-progress"]
            recorded = objective.score
            differ += recorded is not None and grade.suggested is not None and (
                recorded != grade.suggested)
            title = truncate(one_line(objective.title), TITLE_WIDTH)
            rows.append((f"  {objective.id}  {title}",
                         text[objective.kind], show_score(grade.suggested),
                         "" if recorded is None else show_score(recorded), note))
            for kr_grade in grade.key_results:
                recorded = kr_grade.kr.score
                differ += recorded is not None and kr_grade.suggested is not None and (
                    recorded != kr_grade.suggested)
                rows.append((f"    {kr_grade.kr.id}", "", show_score(kr_grade.suggested),
                             "" if recorded is None else show_score(recorded),
                             "" if kr_grade.suggested is not None else text["no-progress"]))
    widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
    lines = [text["title"].format(cycle=cycle_id), text["method"], ""]
    for n, (name, kind, computed, kept, note) in enumerate(rows):
        if n > 1 and not name.startswith(" "):
            lines.append("")  # a blank line between teams
        cells = [pad(name, widths[0]), pad(kind, widths[1]),
                 " " * (widths[2] - display_width(computed)) + computed,
                 " " * (widths[3] - display_width(kept)) + kept, note]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines += [text[f"legend-{kind}"] for kind in ("aspirational", "committed") if kind in kinds]
    if differ:
        lines.append(text["differ"].format(count=differ))
    return "".join(line + "\n" for line in lines)


def _missing_retrospective(objective: Objective) -> bool:
    return objective.retrospective is None or not objective.retrospective.strip()


def _write(graded: Sequence[TeamGrade], cycle_id: str, text: dict[str, str],
           lang: str, *, digests: Mapping[str, bytes], news: TextIO) -> None:
    by_sheet: dict[str, list[Edit]] = {}
    for team in graded:
        edits = by_sheet.setdefault(team.sheet.path, [])
        for grade in team.objectives:
            for kr_grade in grade.key_results:
                if kr_grade.kr.score is None and kr_grade.suggested is not None:
                    edits.append(Edit(kr_grade.kr.src.jpath, "score", kr_grade.suggested))
            if grade.objective.score is None and grade.suggested is not None:
                edits.append(Edit(grade.objective.src.jpath, "score", grade.suggested,
                                  after=("key_results",)))
    # every answer first, then the files: Ctrl-D at a question leaves every sheet as it was
    missing = [g for team in graded for g in team.objectives
               if _missing_retrospective(g.objective)]
    retros: dict[str, int] = {}
    asked = bool(missing) and prompt.is_interactive()
    if asked:
        answered: set[str] = set()
        for grade in missing:
            answer = prompt.ask(text["ask"].format(ref=grade.sheet.ref(grade.objective),
                                                   title=one_line(grade.objective.title)),
                                lang=lang, required=False)
            if answer:
                by_sheet[grade.sheet.path].append(Edit(
                    grade.objective.src.jpath, "retrospective", answer,
                    after=("score", "key_results")))
                retros[grade.sheet.path] = retros.get(grade.sheet.path, 0) + 1
                answered.add(grade.sheet.ref(grade.objective))
        missing = [g for g in missing if g.sheet.ref(g.objective) not in answered]
    # every sheet's edit made and checked before any is written: a sheet that changed
    # since the grades were computed from it (or that an edit cannot hold) stops them all
    prepared = [(prepare_edit(Path(shown_path), edits, shown=shown_path, kind="okr",
                              lang=lang, base_digest=digests.get(shown_path)), edits)
                for shown_path, edits in by_sheet.items() if edits]
    written = False
    for edit, edits in prepared:
        edit.write()
        shown_path = edit.shown
        written = True
        count = sum(e.key == "score" for e in edits)
        if shown_path in retros:
            print(text["wrote-both"].format(path=shown_path, count=count,
                                            retros=retros[shown_path]), file=news)
        else:
            print(text["wrote"].format(path=shown_path, count=count), file=news)
    if not written:
        print(text["nothing"], file=news)
    if missing:
        reminder = text["remind-skipped" if asked else "remind"]
        print(reminder.format(count=len(missing), cycle=cycle_id), file=sys.stderr)
        for grade in missing:
            print(f"  {grade.sheet.ref(grade.objective)}", file=sys.stderr)
