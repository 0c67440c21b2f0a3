"""The semantic diff of two OKR trees, and its text, Markdown and JSON forms.

Pure: no git, no files, no clock (`today` is an argument). What a reviewer
gets instead of raw YAML hunks (DESIGN "Who uses it"): per team and
objective, what was added, removed or renamed, and each changed field
old → new with its relative change; check-ins (`current`, `confidence`)
apart from plan changes (target, baseline, due, owner, title, direction,
unit); a warning where goal posts moved after the cycle started with no
recorded reason (OKR604's logic, shared through `pairing.easier_moves` and
`pairing.find_revision`).

Matching across the two trees, as the history does across versions: sheets
by cycle and team (a sheet moved to another team is paired when it keeps at
least half of its KRs), objectives by id (else by the same title, else by
keeping at least half of their KR ids), KRs by id within paired objectives
(else moved to another objective with the same id, else the same title, else
the same metric).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from okrkit.gfm import md_code, md_text
from okrkit.i18n import one_line
from okrkit.model import Value, is_number
from okrkit.pairing import (
    CHECKIN_FIELDS,
    PLAN_FIELDS,
    Outline,
    change_text,
    easier_moves,
    find_revision,
    match,
    pair_by_overlap,
    relative_change,
    same_value,
    show,
)

if TYPE_CHECKING:
    import datetime as dt

    from okrkit.model import KeyResult, Sheet
    from okrkit.tree import Tree

OBJECTIVE_FIELDS = ("title", "owner", "kind", "parent", "strategy", "weight")


# -- the diff -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    @property
    def relative(self) -> float | None:
        return relative_change(self.old, self.new)

    @property
    def delta(self) -> float | None:
        if is_number(self.old) and is_number(self.new):
            return float(self.new) - float(self.old)
        return None


@dataclass(frozen=True, slots=True)
class GoalPost:
    """A goal post made easier after the cycle started: a warning unless `reason`."""

    field: str
    old: Value
    new: Value
    reason: str | None
    source: str | None  # revision | trailer

    @property
    def relative(self) -> float | None:
        return relative_change(self.old, self.new)


@dataclass(frozen=True, slots=True)
class KrDiff:
    ref: str  # the new ref (the old one when removed)
    status: str  # added | removed | renamed | changed
    title: str
    old_ref: str | None = None
    checkins: tuple[FieldChange, ...] = ()
    plan: tuple[FieldChange, ...] = ()
    goal_posts: tuple[GoalPost, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)  # added/removed: its numbers
    original_target: Value = None  # at the cycle's start, when history says it differs

    @property
    def id(self) -> str:
        return self.ref.rsplit("/", 1)[-1]

    @property
    def warnings(self) -> tuple[GoalPost, ...]:
        return tuple(g for g in self.goal_posts if g.reason is None)


@dataclass(frozen=True, slots=True)
class ObjectiveDiff:
    ref: str
    status: str  # added | removed | renamed | changed
    title: str
    old_ref: str | None = None
    changes: tuple[FieldChange, ...] = ()
    krs: tuple[KrDiff, ...] = ()

    @property
    def id(self) -> str:
        return self.ref.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class SheetDiff:
    cycle: str
    team: str
    team_name: str
    status: str  # added | removed | renamed | changed
    path: str
    old_prefix: str | None = None
    changes: tuple[FieldChange, ...] = ()
    objectives: tuple[ObjectiveDiff, ...] = ()

    @property
    def prefix(self) -> str:
        return f"{self.cycle}/{self.team}"


@dataclass(frozen=True, slots=True)
class TreeDiff:
    sheets: tuple[SheetDiff, ...]
    skipped: tuple[str, ...] = ()  # cycle/team not compared: a side did not parse

    @property
    def empty(self) -> bool:
        return not self.sheets

    def krs(self) -> Iterable[KrDiff]:
        for sheet in self.sheets:
            for objective in sheet.objectives:
                yield from objective.krs

    def counts(self) -> dict[str, int]:
        krs = list(self.krs())
        return {
            "sheets": len(self.sheets),
            "checkins": sum(1 for k in krs if k.checkins),
            "plan_changes": sum(1 for k in krs if k.plan),
            "added": sum(1 for k in krs if k.status == "added"),
            "removed": sum(1 for k in krs if k.status == "removed"),
            "goal_posts": sum(len(k.warnings) for k in krs),
        }


def diff_trees(old: Tree, new: Tree, *, today: dt.date,
               reasons: Mapping[str, str] | None = None,
               originals: Mapping[str, Value] | None = None,
               skip: Collection[str] = ()) -> TreeDiff:
    """What changed from `old` to `new`, per sheet, objective and KR.

    `reasons`: KR ref → a reason recorded outside the sheet (an OKR-Reason
    trailer of a commit in the range); `originals`: KR ref → its target when
    the cycle started (from the history); `skip`: `cycle/team` of sheets to
    leave out (one side did not parse).
    """
    old_sheets = {f"{s.cycle_id}/{s.team}": s for s in old.sheets}
    new_sheets = {f"{s.cycle_id}/{s.team}": s for s in new.sheets}
    for prefix in skip:
        old_sheets.pop(prefix, None)
        new_sheets.pop(prefix, None)
    lost = {k: s for k, s in old_sheets.items() if k not in new_sheets}
    gained = {k: s for k, s in new_sheets.items() if k not in old_sheets}
    moved = pair_by_overlap(
        {k: _kr_keys(s) for k, s in lost.items()},
        {k: _kr_keys(s) for k, s in gained.items()
         if any(s.cycle_id == o.cycle_id for o in lost.values())})
    moved = [(a, b) for a, b in moved if lost[a].cycle_id == gained[b].cycle_id]
    ctx = _Ctx(new, today, reasons or {}, originals or {})
    result: list[SheetDiff] = []
    for prefix in sorted(old_sheets.keys() & new_sheets.keys()):
        found = ctx.sheet(old_sheets[prefix], new_sheets[prefix], "changed")
        if found is not None:
            result.append(found)
    for a, b in moved:
        found = ctx.sheet(lost.pop(a), gained.pop(b), "renamed")
        assert found is not None
        result.append(found)
    for sheet in gained.values():
        result.append(ctx.whole(sheet, "added"))
    for sheet in lost.values():
        result.append(ctx.whole(sheet, "removed"))
    result.sort(key=lambda s: (s.cycle, s.team))
    return TreeDiff(tuple(result), tuple(sorted(skip)))


def _outline(sheet: Sheet) -> Outline:
    return [(o.id, o.title, [(k.id, k.title, k.metric) for k in o.key_results])
            for o in sheet.objectives]


def _kr_keys(sheet: Sheet) -> list[str]:
    return [f"{o.id}/{k.id}" for o in sheet.objectives for k in o.key_results]


def _field_changes(old: Any, new: Any, names: Sequence[str]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(n, getattr(old, n), getattr(new, n)) for n in names
                 if not same_value(getattr(old, n), getattr(new, n)))


def _kr_values(kr: KeyResult) -> dict[str, Any]:
    return {n: getattr(kr, n) for n in ("baseline", "target", "current", "confidence", "unit",
                                        "direction", "due", "owner")
            if getattr(kr, n) is not None}


class _Ctx:
    def __init__(self, new: Tree, today: dt.date, reasons: Mapping[str, str],
                 originals: Mapping[str, Value]) -> None:
        self.tree = new
        self.today = today
        self.reasons = reasons
        self.originals = originals

    def _team_name(self, team: str) -> str:
        org = self.tree.org
        found = org.team(team) if org is not None else None
        return found.name if found is not None else ""

    def whole(self, sheet: Sheet, status: str) -> SheetDiff:
        """A sheet added or removed: every objective and KR with it."""
        prefix = f"{sheet.cycle_id}/{sheet.team}"
        objectives = tuple(
            ObjectiveDiff(f"{prefix}/{o.id}", status, o.title,
                          krs=tuple(KrDiff(f"{prefix}/{o.id}/{k.id}", status, k.title,
                                           values=_kr_values(k)) for k in o.key_results))
            for o in sheet.objectives)
        return SheetDiff(sheet.cycle_id, sheet.team, self._team_name(sheet.team), status,
                         sheet.path, objectives=objectives)

    def sheet(self, old: Sheet, new: Sheet, status: str) -> SheetDiff | None:
        old_prefix = f"{old.cycle_id}/{old.team}"
        prefix = f"{new.cycle_id}/{new.team}"
        cycle = self.tree.cycle(new.cycle_id)
        started = cycle is not None and self.today >= cycle.start
        old_objs = {o.id: o for o in old.objectives}
        m = match(_outline(old), _outline(new))
        obj_of = dict(m.objectives)
        old_krs = {f"{o.id}/{k.id}": k for o in old.objectives for k in o.key_results}
        new_krs = {f"{o.id}/{k.id}": k for o in new.objectives for k in o.key_results}
        renamed_keys = set(m.renamed_krs)
        per_objective: dict[str, list[KrDiff]] = {}
        for a, b in [*m.krs, *m.renamed_krs]:
            found_kr = self._kr(f"{old_prefix}/{a}", f"{prefix}/{b}", old_krs[a], new_krs[b],
                                started=started, renamed=(a, b) in renamed_keys
                                or old_prefix != prefix)
            if found_kr is not None:
                per_objective.setdefault(b.split("/")[0], []).append(found_kr)
        for b in m.gained_krs:
            kr = new_krs[b]
            per_objective.setdefault(b.split("/")[0], []).append(
                KrDiff(f"{prefix}/{b}", "added", kr.title, values=_kr_values(kr)))
        removed_into: dict[str, list[KrDiff]] = {}
        for a in m.lost_krs:
            kr = old_krs[a]
            removed_into.setdefault(a.split("/")[0], []).append(
                KrDiff(f"{old_prefix}/{a}", "removed", kr.title, values=_kr_values(kr)))
        objectives: list[ObjectiveDiff] = []
        for o in new.objectives:
            old_id = next((a for a, b in obj_of.items() if b == o.id), None)
            krs = per_objective.get(o.id, [])
            if old_id is None:
                objectives.append(ObjectiveDiff(f"{prefix}/{o.id}", "added", o.title,
                                                krs=tuple(krs)))
                continue
            krs += removed_into.pop(old_id, [])
            changes = _field_changes(old_objs[old_id], o, OBJECTIVE_FIELDS)
            status = "renamed" if old_id != o.id or old_prefix != prefix else "changed"
            if krs or changes or status == "renamed":
                objectives.append(ObjectiveDiff(
                    f"{prefix}/{o.id}", status, o.title,
                    old_ref=f"{old_prefix}/{old_id}" if status == "renamed" else None,
                    changes=changes, krs=tuple(krs)))
        for old_id in m.lost:
            krs = removed_into.pop(old_id, [])
            objectives.append(ObjectiveDiff(f"{old_prefix}/{old_id}", "removed",
                                            old_objs[old_id].title, krs=tuple(krs)))
        changes = _field_changes(old, new, ("owner",))
        if not objectives and not changes and status != "renamed":
            return None
        return SheetDiff(new.cycle_id, new.team, self._team_name(new.team), status, new.path,
                         old_prefix=old_prefix if status == "renamed" else None,
                         changes=changes, objectives=tuple(objectives))

    def _kr(self, old_ref: str, new_ref: str, old: KeyResult, new: KeyResult, *,
            started: bool, renamed: bool) -> KrDiff | None:
        checkins = _field_changes(old, new, CHECKIN_FIELDS)
        plan = _field_changes(old, new, PLAN_FIELDS)
        goal_posts: list[GoalPost] = []
        if started:
            for name, before, after in easier_moves(old, new):
                reason = find_revision(new.revisions, name, after)
                source = "revision" if reason is not None else None
                if reason is None and new_ref in self.reasons:
                    reason, source = self.reasons[new_ref], "trailer"
                goal_posts.append(GoalPost(name, before, after, reason, source))
        if not (checkins or plan or renamed):
            return None
        original = self.originals.get(new_ref)
        if original is not None and (same_value(original, old.target) or not
                                     any(c.field == "target" for c in plan)):
            original = None
        return KrDiff(new_ref, "renamed" if renamed else "changed", new.title,
                      old_ref=old_ref if renamed else None, checkins=checkins, plan=plan,
                      goal_posts=tuple(goal_posts), original_target=original)


# -- rendering ------------------------------------------------------------------------------

_T: dict[str, dict[str, str]] = {
    "title": {"en": "OKR changes", "zh-TW": "OKR 變更"},
    "range": {"en": "{old} → {new}", "zh-TW": "{old} → {new}"},
    "empty": {"en": "No OKR changes between {old} and {new}.",
              "zh-TW": "{old} 與 {new} 之間沒有 OKR 變更。"},
    "summary": {"en": "{sheets} · {checkins} · {plan_changes} · {added} added · "
                      "{removed} removed",
                "zh-TW": "{sheets} 份表單有變更 · {checkins} 筆進度更新 · "
                         "{plan_changes} 筆計畫變更 · 新增 {added} 個關鍵結果 · 移除 {removed} 個"},
    "summary-goal-posts": {"en": "⚠️ {goal_posts} moved without a recorded reason",
                           "zh-TW": "⚠️ {goal_posts} 個目標在週期開始後被放寬且未記錄原因"},
    "checkins": {"en": "Check-ins", "zh-TW": "進度更新"},
    "plan": {"en": "Plan changes", "zh-TW": "計畫變更"},
    "objective": {"en": "Objective", "zh-TW": "目標"},
    "kr": {"en": "Key result", "zh-TW": "關鍵結果"},
    "field": {"en": "Field", "zh-TW": "欄位"},
    "old": {"en": "Old", "zh-TW": "原值"},
    "new": {"en": "New", "zh-TW": "新值"},
    "change": {"en": "Change", "zh-TW": "變化"},
    "added": {"en": "added", "zh-TW": "新增"},
    "removed": {"en": "removed", "zh-TW": "移除"},
    "renamed": {"en": "renamed from {old}", "zh-TW": "由 {old} 更名"},
    "sheet-added": {"en": "new sheet", "zh-TW": "新表單"},
    "sheet-removed": {"en": "sheet removed", "zh-TW": "表單已移除"},
    "sheet-renamed": {"en": "moved from {old}", "zh-TW": "由 {old} 移來"},
    "original": {"en": "original target at the cycle start: {value}",
                 "zh-TW": "週期開始時的原始目標值:{value}"},
    "goal-post": {"en": "goal post moved after the cycle started: {field} {old} → {new}{rel}, "
                        "no reason recorded",
                  "zh-TW": "週期開始後調整了目標:{field} {old} → {new}{rel},未記錄原因"},
    "goal-post-ok": {"en": "{field} {old} → {new}{rel} after the cycle started: {reason}",
                     "zh-TW": "週期開始後調整 {field} {old} → {new}{rel}:{reason}"},
    "goal-post-hint": {"en": "Record why under the key result's `revisions:` (date, field, from, "
                             "to, reason) or with an `OKR-Reason:` trailer in the commit message.",
                       "zh-TW": "請在關鍵結果的 `revisions:` 記錄原因(date、field、from、to、"
                                "reason),或在 commit 訊息加上 `OKR-Reason:` 尾註。"},
    "skipped": {"en": "not compared (does not parse on one side): {refs}",
                "zh-TW": "未比較(其中一邊無法解析):{refs}"},
    "objective-changes": {"en": "objective", "zh-TW": "目標本身"},
    "sheet-owner": {"en": "sheet owner", "zh-TW": "表單負責人"},
}


# English counts with their nouns; zh-TW templates put the bare number in place
_NOUNS = {"sheets": ("sheet changed", "sheets changed"), "checkins": ("check-in", "check-ins"),
          "plan_changes": ("plan change", "plan changes"), "added": ("KR", "KRs"),
          "removed": ("KR", "KRs"), "goal_posts": ("goal post", "goal posts")}


# the fields as the site labels them (site/strings.py); English shows the YAML keys
_FIELD_NAMES_ZH = {
    "baseline": "基準值", "current": "目前值", "target": "目標值", "confidence": "信心度",
    "due": "截止日", "owner": "負責人", "title": "標題", "direction": "方向", "unit": "單位",
    "kind": "類型", "parent": "對齊上層目標", "strategy": "策略主題", "weight": "權重",
}


def field_name(name: str, lang: str) -> str:
    """A sheet field as a reader of `lang` calls it."""
    return _FIELD_NAMES_ZH.get(name, name) if lang == "zh-TW" else name


def t(key: str, lang: str, **params: Any) -> str:
    texts = _T[key]
    return (texts.get(lang) or texts["en"]).format(**params)


def _counted(counts: Mapping[str, int], lang: str) -> dict[str, str]:
    if lang != "en":
        return {k: str(v) for k, v in counts.items()}
    return {k: f"{v} {_NOUNS[k][0] if v == 1 else _NOUNS[k][1]}" for k, v in counts.items()}


def values_text(values: Mapping[str, Any], lang: str) -> str:
    """An added or removed key result's values: `baseline 100, target 120, …`."""
    order = ("baseline", "target", "current", "confidence", "direction", "unit", "due",
             "owner")
    separator = "、" if lang == "zh-TW" else ", "
    return separator.join(f"{field_name(k, lang)} {show(values[k])}" for k in order
                          if k in values)


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text


def render_text(diff: TreeDiff, lang: str, *, old_label: str, new_label: str,
                color: bool = False) -> str:
    """For a terminal: an indented outline, coloured when `color`."""
    if diff.empty:
        return t("empty", lang, old=old_label, new=new_label) + _skipped_text(diff, lang) + "\n"
    s = _Style(color)
    counts = _counted(diff.counts(), lang)
    out = [s(f"{t('title', lang)}: {t('range', lang, old=old_label, new=new_label)}", "1"),
           t("summary", lang, **counts)]
    if diff.counts()["goal_posts"]:
        out.append(s(t("summary-goal-posts", lang, **counts), "33"))
    for sheet in diff.sheets:
        out.append("")
        name = f" ({one_line(sheet.team_name)})" if sheet.team_name else ""
        head = f"{sheet.cycle} {sheet.team}{name}  {sheet.path}"
        out.append(s(head, "1;36") + _sheet_status(sheet, lang))
        for c in sheet.changes:
            out.append(f"  {t('sheet-owner', lang)}: {_shown(c.old)} → {_shown(c.new)}")
        for objective in sheet.objectives:
            colour = {"added": "32", "removed": "31"}.get(objective.status, "1")
            status = _status_text(objective.status, objective.old_ref, lang)
            out.append("  " + s(f"{t('objective', lang)} {objective.id}", colour)
                       + f"  {one_line(objective.title)}" + (f"  [{status}]" if status else ""))
            for c in objective.changes:
                out.append(f"    {field_name(c.field, lang)}: {_shown(c.old)} → "
                           f"{_shown(c.new)}")
            for kr in objective.krs:
                out += _kr_text(kr, lang, s)
    if diff.skipped:
        out.append("")
        out.append(s(t("skipped", lang, refs=", ".join(diff.skipped)), "33"))
    return "\n".join(out) + "\n"


def _shown(value: Any) -> str:
    """A value for the terminal: titles and notes are anyone's text (see i18n.one_line)."""
    return one_line(show(value))


def _skipped_text(diff: TreeDiff, lang: str) -> str:
    return ("\n" + t("skipped", lang, refs=", ".join(diff.skipped))) if diff.skipped else ""


def _sheet_status(sheet: SheetDiff, lang: str) -> str:
    if sheet.status == "added":
        return f"  [{t('sheet-added', lang)}]"
    if sheet.status == "removed":
        return f"  [{t('sheet-removed', lang)}]"
    if sheet.status == "renamed":
        return f"  [{t('sheet-renamed', lang, old=sheet.old_prefix)}]"
    return ""


def _status_text(status: str, old_ref: str | None, lang: str) -> str:
    if status == "renamed":
        return t("renamed", lang, old=old_ref or "")
    if status in ("added", "removed"):
        return t(status, lang)
    return ""


def _kr_text(kr: KrDiff, lang: str, s: _Style) -> list[str]:
    colour = {"added": "32", "removed": "31"}.get(kr.status, "0")
    status = _status_text(kr.status, kr.old_ref, lang)
    lines = ["    " + s(kr.id, colour) + f"  {one_line(kr.title)}"
             + (f"  [{status}]" if status else "")]
    if kr.values and kr.status in ("added", "removed"):
        lines.append(f"      {values_text(kr.values, lang)}")
    for label, changes in (("checkins", kr.checkins), ("plan", kr.plan)):
        for c in changes:
            rel = change_text(c.field, c.old, c.new)
            rel = f"  ({rel})" if rel else ""
            lines.append(f"      {t(label, lang).lower() if lang == 'en' else t(label, lang)}: "
                         f"{field_name(c.field, lang)} {_shown(c.old)} → {_shown(c.new)}{rel}")
    if kr.original_target is not None:
        lines.append("      " + t("original", lang, value=show(kr.original_target)))
    for g in kr.goal_posts:
        rel = change_text(g.field, g.old, g.new)
        rel = f" ({rel})" if rel else ""
        if g.reason is None:
            lines.append("      " + s("⚠ " + t("goal-post", lang, field=field_name(g.field, lang),
                                                old=show(g.old),
                                                new=show(g.new), rel=rel), "33"))
        else:
            lines.append("      " + t("goal-post-ok", lang, field=field_name(g.field, lang),
                                      old=show(g.old),
                                      new=show(g.new), rel=rel, reason=one_line(g.reason)))
    return lines


def render_markdown(diff: TreeDiff, lang: str, *, old_label: str, new_label: str) -> str:
    """A pull-request comment: a heading per team, tables of check-ins and plan changes.

    Every string that is not ours (titles, ids, owners, values, reasons, paths, the
    revision labels) goes through `gfm.md_text`/`gfm.md_code`: it shows as typed."""
    if diff.empty:
        return f"## {t('title', lang)}\n\n" + t("empty", lang, old=md_code(old_label),
                                                   new=md_code(new_label)) \
            + (("\n\n" + t("skipped", lang, refs=", ".join(md_code(r) for r in diff.skipped)))
               if diff.skipped else "") + "\n"
    counts = _counted(diff.counts(), lang)
    out = [f"## {t('title', lang)}", "", f"{md_code(old_label)} → {md_code(new_label)}", "",
           t("summary", lang, **counts)]
    if diff.counts()["goal_posts"]:
        out += ["", f"> **{t('summary-goal-posts', lang, **counts)}**. "
                    f"{t('goal-post-hint', lang)}"]
    for sheet in diff.sheets:
        name = f" {md_text(sheet.team_name)}" if sheet.team_name else ""
        status = md_text(_sheet_status(sheet, lang)) if sheet.status == "renamed" \
            else _sheet_status(sheet, lang)
        out += ["", f"### {md_text(sheet.cycle)} · {md_text(sheet.team)}{name}{status}", ""]
        out.append(md_code(sheet.path))
        for c in sheet.changes:
            out += ["", f"{t('sheet-owner', lang)}: {md_code(c.old)} → {md_code(c.new)}"]
        for objective in sheet.objectives:
            out += _objective_md(objective, lang)
    if diff.skipped:
        out += ["", t("skipped", lang, refs=", ".join(md_code(r) for r in diff.skipped))]
    return "\n".join(out) + "\n"


def _objective_md(objective: ObjectiveDiff, lang: str) -> list[str]:
    status = md_text(_status_text(objective.status, objective.old_ref, lang))
    marker = {"added": "➕ ", "removed": "➖ "}.get(objective.status, "")
    out = ["", f"#### {marker}{md_text(objective.title)} ({md_code(objective.id)})"
               + (f" — {status}" if status else "")]
    if objective.changes:
        out.append("")
        out += [f"- {t('objective-changes', lang)} {field_name(c.field, lang)}: "
                f"{md_code(c.old)} → "
                f"{md_code(c.new)}" for c in objective.changes]
    warnings = [(kr, g) for kr in objective.krs for g in kr.goal_posts]
    if warnings:
        out.append("")
        for n, (kr, g) in enumerate(warnings):
            if n:
                out.append(">")  # one paragraph per goal post
            rel = change_text(g.field, g.old, g.new)
            rel = f" ({rel})" if rel else ""
            if g.reason is None:
                out.append(f"> ⚠️ {md_code(kr.id)}: " + t("goal-post", lang,
                                                          field=field_name(g.field, lang),
                                                          old=md_text(g.old), new=md_text(g.new),
                                                          rel=rel))
            else:
                out.append(f"> ℹ️ {md_code(kr.id)}: " + t(
                    "goal-post-ok", lang, field=field_name(g.field, lang), old=md_text(g.old),
                    new=md_text(g.new),
                    rel=rel, reason=md_text(g.reason)))
    for label, attr in (("checkins", "checkins"), ("plan", "plan")):
        rows = []
        for kr in objective.krs:
            changes: tuple[FieldChange, ...] = getattr(kr, attr)
            for n, c in enumerate(changes):
                cell = f"{md_code(kr.id)} {md_text(kr.title)}" if n == 0 else ""
                flag = " ⚠️" if any(g.field == c.field and g.reason is None
                                    for g in kr.goal_posts) else ""
                rows.append(f"| {cell} | {field_name(c.field, lang)} | {md_text(c.old)} | "
                            f"{md_text(c.new)} | "
                            f"{change_text(c.field, c.old, c.new)}{flag} |")
                if c.field == "target" and kr.original_target is not None:
                    rows.append(f"|  | {t('original', lang, value=md_text(kr.original_target))} "
                                "|  |  |  |")
        if rows:
            out += ["", f"**{t(label, lang)}**", "",
                    f"| {t('kr', lang)} | {t('field', lang)} | {t('old', lang)} | "
                    f"{t('new', lang)} | {t('change', lang)} |",
                    "|---|---|--:|--:|--:|", *rows]
    others = [kr for kr in objective.krs if kr.status in ("added", "removed")
              or (kr.status == "renamed" and not kr.checkins and not kr.plan)]
    if others:
        out.append("")
        for kr in others:
            status = md_text(_status_text(kr.status, kr.old_ref, lang))
            marker = {"added": "➕", "removed": "➖"}.get(kr.status, "↪️")
            values = f": {md_text(values_text(kr.values, lang))}" if kr.values else ""
            out.append(f"- {marker} {status} {md_code(kr.id)} {md_text(kr.title)}{values}")
    return out


def as_json(diff: TreeDiff, *, old_label: str, new_label: str) -> str:
    def change(c: FieldChange) -> dict[str, Any]:
        return {"field": c.field, "old": c.old, "new": c.new, "relative": c.relative}

    def kr(k: KrDiff) -> dict[str, Any]:
        return {"ref": k.ref, "status": k.status, "title": k.title, "old_ref": k.old_ref,
                "checkins": [change(c) for c in k.checkins],
                "plan": [change(c) for c in k.plan],
                "goal_posts": [{"field": g.field, "old": g.old, "new": g.new,
                                "relative": g.relative, "reason": g.reason,
                                "source": g.source} for g in k.goal_posts],
                "values": dict(k.values), "original_target": k.original_target}

    data = {
        "old": old_label, "new": new_label, "empty": diff.empty, "counts": diff.counts(),
        "skipped": list(diff.skipped),
        "sheets": [{"cycle": s.cycle, "team": s.team, "team_name": s.team_name,
                    "status": s.status, "path": s.path, "old_prefix": s.old_prefix,
                    "changes": [change(c) for c in s.changes],
                    "objectives": [{"ref": o.ref, "status": o.status, "title": o.title,
                                    "old_ref": o.old_ref,
                                    "changes": [change(c) for c in o.changes],
                                    "key_results": [kr(k) for k in o.krs]}
                                   for o in s.objectives]}
                   for s in diff.sheets],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return str(value)
