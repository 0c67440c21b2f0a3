"""`okr log REF`: the timeline of one key result, or of every key result of an objective.

REF is `cycle/team/objective/kr` or `cycle/team/objective`, or a short form
of either that keeps the last id and names any of the ids before it in order
(`marketing/unique-visitors`, `unique-visitors`, `marketing/brand-awareness`).
Key results are resolved by `okrkit.tree.match_kr_refs` (the current cycle
wins a tie); objectives the same way here. A ref a sheet no longer has (a KR
removed, or renamed: the old name is followed) is looked up in the history.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from okrkit import i18n
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.diff import FieldChange, field_name, values_text
from okrkit.errors import FatalError
from okrkit.history import STATE_FIELDS, History, TimelinePoint, read_history
from okrkit.i18n import display_width, one_line, pad
from okrkit.pairing import change_text, show
from okrkit.tree import Tree, current_cycle, is_subsequence, load_tree, match_kr_refs, split_ref

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "date": "date", "author": "author", "commit": "commit", "subject": "subject",
        "added": "added", "no-history": "no committed history for {ref}",
        "objective": "objective {ref}: {count} key result(s)",
        "unknown": "nothing matches '{ref}' (a key result or objective: "
                   "cycle/team/objective[/kr], or a short form)",
        "ambiguous": "'{ref}' matches {count}: {candidates} (use a longer form)",
        "dirty": "uncommitted changes under the OKR folder are not in the log",
        "renamed": "now {ref}",
        "measured": "measured ({source})",
    },
    "zh-TW": {
        "date": "日期", "author": "作者", "commit": "提交", "subject": "說明",
        "added": "新增", "no-history": "{ref} 沒有已提交的歷史紀錄",
        "objective": "目標 {ref}:{count} 個關鍵結果",
        "unknown": "找不到符合「{ref}」的關鍵結果或目標(格式:週期/團隊/目標[/關鍵結果],"
                   "或其簡短形式)",
        "ambiguous": "「{ref}」符合 {count} 項:{candidates}(請寫得更完整)",
        "dirty": "OKR 資料夾中尚未提交的變更不會出現在紀錄中",
        "renamed": "現為 {ref}",
        "measured": "自動量測({source})",
    },
}


def match_objectives(refs: Sequence[str], text: str) -> list[str]:
    """Objective refs (`cycle/team/objective`) named by `text` or a short form of it."""
    parts = split_ref(text)
    if not parts:
        return []
    return [r for r in refs
            if r.split("/")[-1] == parts[-1] and is_subsequence(parts[:-1], r.split("/")[:-1])]


def resolve(tree: Tree, history: History, text: str, *, lang: str) -> tuple[str, list[str]]:
    """("kr", [ref]) or ("objective", [its KR refs]); the ref shown first."""
    msg = MESSAGES[lang]
    text = text.strip().strip("/")
    resolved = history.resolve(text)
    if history.timeline(resolved):  # a full ref the history knows, renamed or removed
        return resolved, [resolved]
    kr_match = match_kr_refs(tree, text, today_from_env())
    if len(kr_match.found) == 1:
        sheet, objective, kr = kr_match.found[0]
        return sheet.ref(objective, kr), [sheet.ref(objective, kr)]
    objectives = sorted({s.ref(o) for s in tree.sheets for o in s.objectives}
                        | {r.rsplit("/", 1)[0] for r in history.kr_refs()})
    found = match_objectives(objectives, history.resolve(text))
    if len(found) > 1:
        cycle = current_cycle(tree, today_from_env())
        current = [r for r in found if cycle is not None and r.startswith(f"{cycle.id}/")]
        found = current or found
    if len(found) == 1:
        ref = found[0]
        krs = [s.ref(o, k) for s in tree.sheets for o in s.objectives if s.ref(o) == ref
               for k in o.key_results]
        krs += [r for r in history.kr_refs() if r.rsplit("/", 1)[0] == ref and r not in krs]
        return ref, krs
    if len(found) > 1:
        raise FatalError(msg["ambiguous"].format(ref=text, count=len(found),
                                                 candidates=", ".join(found)))
    # the KR's own error when it says more than "nothing": empty, ambiguous, or a suggestion
    if not split_ref(text) or kr_match.found or kr_match.suggestion is not None:
        raise kr_match.error()
    raise FatalError(msg["unknown"].format(ref=text))


def _changes(previous: TimelinePoint | None, point: TimelinePoint) -> list[FieldChange]:
    if previous is None or "added" in point.changed:
        return []
    return [FieldChange(f, getattr(previous.state, f), getattr(point.state, f))
            for f in point.changed if f in STATE_FIELDS]


def _added_text(point: TimelinePoint, lang: str) -> str:
    s = point.state
    return values_text({name: getattr(s, name)
                        for name in ("baseline", "target", "current", "confidence", "due", "owner")
                        if getattr(s, name) is not None}, lang)


def log(ref: str, *, lang: str | None, output_format: str) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    history = read_history(config)
    for warning in history.warnings:
        print(f"okr: warning: {warning.get(chosen) or warning['en']}", file=sys.stderr)
    if not history.available:
        return 2
    tree, _ = load_tree(config)
    shown, krs = resolve(tree, history, ref, lang=chosen)
    if output_format == "json":
        sys.stdout.write(_json(shown, krs, history))
        return 0
    sys.stdout.write(_text(config, shown, krs, history, chosen))
    return 0


def _text(config: Config, shown: str, krs: Sequence[str], history: History, lang: str) -> str:
    msg = MESSAGES[lang]
    out: list[str] = []
    if len(krs) != 1 or krs[0] != shown:
        out += [msg["objective"].format(ref=shown, count=len(krs)), ""]
    for kr_ref in krs:
        points = history.timeline(kr_ref)
        current = history.resolve(kr_ref)
        title = one_line(points[-1].state.title or "") if points else ""
        head = f"{current}  {title}".rstrip()
        if current != kr_ref and kr_ref != shown:
            head += f"  ({msg['renamed'].format(ref=current)})"
        out.append(head)
        if not points:
            out += ["  " + msg["no-history"].format(ref=kr_ref), ""]
            continue
        width = max(display_width(one_line(p.commit.author)) for p in points)
        width = max(width, display_width(msg["author"]))
        out.append(f"  {pad(msg['date'], 10)}  {pad(msg['author'], width)}  "
                   f"{pad(msg['commit'], 7)}  {msg['subject']}")
        previous: TimelinePoint | None = None
        for point in points:
            c = point.commit
            # author and subject are anyone's text, as titles are (i18n.one_line)
            measured = c.measured().get(current) or c.measured().get(kr_ref)
            suffix = (f"  [{msg['measured'].format(source=one_line(measured))}]" if measured
                      else "")
            out.append(f"  {c.date.date().isoformat():<10}  {pad(one_line(c.author), width)}  "
                       f"{c.short}  {one_line(c.subject)}{suffix}")
            if "added" in point.changed or previous is None:
                out.append(f"      {msg['added']}: {_added_text(point, lang)}")
            for change in _changes(previous, point):
                rel = change_text(change.field, change.old, change.new)
                rel = f" ({rel})" if rel else ""
                out.append(f"      {field_name(change.field, lang)} {one_line(show(change.old))} → "
                           f"{one_line(show(change.new))}{rel}")
            previous = point
        out.append("")
    if history.dirty:
        out.append(msg["dirty"])
    return "\n".join(out).rstrip("\n") + "\n"


def _json(shown: str, krs: Sequence[str], history: History) -> str:
    def point_data(previous: TimelinePoint | None, point: TimelinePoint) -> dict[str, Any]:
        c = point.commit
        return {
            "sha": c.sha, "short": c.short, "author": c.author, "email": c.email,
            "date": c.date.isoformat(), "subject": c.subject, "trailers": dict(c.trailers),
            "changed": list(point.changed),
            "changes": {ch.field: {"old": ch.old, "new": ch.new, "relative": ch.relative}
                        for ch in _changes(previous, point)},
            "state": {f: getattr(point.state, f) for f in STATE_FIELDS},
        }

    key_results = []
    for kr_ref in krs:
        points = history.timeline(kr_ref)
        rows = [point_data(points[n - 1] if n else None, p) for n, p in enumerate(points)]
        key_results.append({"ref": history.resolve(kr_ref), "timeline": rows})
    data = {"ref": shown, "key_results": key_results, "shallow": history.shallow,
            "dirty": history.dirty, "warnings": list(history.warnings)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
