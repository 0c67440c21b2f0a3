"""`okr checkin KR VALUE [--confidence C] [-m NOTE]`: record a check-in in the sheet, in place.

Only the changed scalars are rewritten (okrkit.yamledit), so comments, order
and layout survive and the diff a reviewer sees is the check-in itself. The
edited text is loaded and validated again before it replaces the file. It does
not commit: the check-in becomes history when the user commits it.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

from okrkit import i18n
from okrkit.commands.lint import today_from_env
from okrkit.config import find_root, load_config
from okrkit.errors import FatalError
from okrkit.model import KeyResult, clamp, progress
from okrkit.tree import load_tree, resolve_kr_ref
from okrkit.yamledit import Edit, edit_file, format_scalar

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "done": "{path}: {ref}: {changes}",
        "change": "{field} {old} → {new}",
        "progress": "progress {old} → {new}",
        "unchanged": "{path}: {ref}: nothing changed",
        "hint": "not committed: commit {path} to record the check-in",
        "bad-number": "'{value}' is not a number",
        "bad-milestone": "'{value}' is not true, false or a number (milestone key result)",
        "bad-confidence": "confidence '{value}' is not a number from 0 to 1",
    },
    "zh-TW": {
        "done": "{path}:{ref}:{changes}",
        "change": "{field} {old} → {new}",
        "progress": "進度 {old} → {new}",
        "unchanged": "{path}:{ref}:沒有任何變更",
        "hint": "尚未提交:請 commit {path} 以記錄這次進度更新",
        "bad-number": "「{value}」不是數字",
        "bad-milestone": "「{value}」不是 true、false 或數字(里程碑型關鍵結果)",
        "bad-confidence": "信心指數「{value}」不是 0 到 1 之間的數字",
    },
}

FIELD_NAMES = {
    "en": {"current": "current", "confidence": "confidence", "notes": "notes"},
    "zh-TW": {"current": "目前值", "confidence": "信心指數", "notes": "備註"},
}


def parse_value(text: str, kr: KeyResult, lang: str) -> int | float | bool:
    """The VALUE argument as the KR's kind of value: a number, or true/false for a milestone."""
    lowered = text.strip().lower()
    if kr.direction == "milestone" and lowered in ("true", "false"):
        return lowered == "true"
    number = _number(text)
    if number is None:
        key = "bad-milestone" if kr.direction == "milestone" else "bad-number"
        raise FatalError(MESSAGES[lang][key].format(value=text))
    return number


def _number(text: str) -> int | float | None:
    """`53000`, `53,000`, `2.6`, `-1e3`; None for anything else (nan and inf too)."""
    cleaned = text.strip().replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_confidence(text: str, lang: str) -> float:
    value = _number(text)
    if value is None or not 0 <= value <= 1:
        raise FatalError(MESSAGES[lang]["bad-confidence"].format(value=text))
    return float(value)


def checkin(ref: str, value: str, *, confidence: str | None = None, note: str | None = None,
            lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    tree, _ = load_tree(config)
    sheet, objective, kr = resolve_kr_ref(tree, ref, today=today_from_env(), lang=chosen)
    new_current = parse_value(value, kr, chosen)
    new_confidence = parse_confidence(confidence, chosen) if confidence is not None else None

    jpath = kr.src.jpath
    # (edit, field, old value): unchanged values are left as written
    planned: list[tuple[Edit, str, Any]] = [
        (Edit(jpath, "current", new_current, after=("target", "baseline")), "current",
         kr.current)]
    if new_confidence is not None:
        planned.append((Edit(jpath, "confidence", new_confidence,
                             after=("current", "target", "baseline")), "confidence",
                        kr.confidence))
    if note is not None:
        planned.append((Edit(jpath, "notes", note), "notes", kr.notes))
    planned = [(e, f, old) for e, f, old in planned if not _same(old, e.value)]
    full_ref = sheet.ref(objective, kr)
    if not planned:
        print(text["unchanged"].format(path=sheet.path, ref=full_ref))
        return 0
    edit_file(Path(sheet.path), [e for e, _, _ in planned], shown=sheet.path, kind="okr",
              lang=chosen)
    shown = [(f, old, e.value) for e, f, old in planned]
    parts = [text["change"].format(field=FIELD_NAMES[chosen][f], old=_show(o), new=_show(n))
             for f, o, n in shown if f != "notes"]
    parts += [FIELD_NAMES[chosen]["notes"] for f, _, _ in shown if f == "notes"]
    before = progress(kr.direction, kr.baseline, kr.target, kr.current)
    after = progress(kr.direction, kr.baseline, kr.target, new_current)
    if after is not None and before != after:
        parts.append(text["progress"].format(old=_percent(before), new=_percent(after)))
    print(text["done"].format(path=sheet.path, ref=full_ref, changes=", ".join(parts)))
    print(text["hint"].format(path=sheet.path), file=sys.stderr)
    return 0


def _same(old: Any, new: Any) -> bool:
    return type(old) is type(new) and old == new if isinstance(new, bool) else (
        not isinstance(old, bool) and old == new)


def _show(value: Any) -> str:
    return "–" if value is None else format_scalar(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(clamp(value) * 100)}%"
