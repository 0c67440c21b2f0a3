"""`okr review [BASE] [HEAD]` and `okr review --stale`: the Markdown that CI posts.

- The pull-request comment: a hidden marker (the review workflow finds its
  previous comment by it and updates that one instead of adding another), the
  semantic diff of `okr diff --format markdown` (plan changes apart from
  check-ins, goal posts moved flagged) and the lint findings of the changed
  files (the same findings `okr lint --format github` puts on the lines).
- The weekly check-in report: who owes a check-in (OKR503, from the git log),
  grouped by owner, with a count the stale workflow reads to open, update or
  close its one issue.

Both are printed, not posted: posting is the workflow's job (actions/github-script),
so what a team reads is made here, in tested code, not in shell inside YAML.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from okrkit import __version__, git, i18n
from okrkit.config import CONFIG_NAME, Config, find_root, load_config, today_from_env
from okrkit.diff import render_markdown
from okrkit.errors import FatalError
from okrkit.findings import SEVERITY_NAMES, Finding, Severity
from okrkit.gfm import md_code, md_text
from okrkit.model import KeyResult
from okrkit.tree import Tree

DIFF_MARKER = "<!-- okrkit-diff -->"
STALE_MARKER = "<!-- okrkit-stale -->"
STALE_COUNT = "<!-- okrkit-stale-count: {count} -->"
STALE_CODE = "OKR503"
MAX_ROWS = 50  # a comment over GitHub's 65,536 characters is refused

_ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
# severity label → (one, many), per language
_COUNTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {"error": ("{n} error", "{n} errors"), "warning": ("{n} warning", "{n} warnings"),
           "info": ("{n} info", "{n} info")},
    "zh-TW": {"error": ("{n} 個錯誤", "{n} 個錯誤"), "warning": ("{n} 個警告", "{n} 個警告"),
              "info": ("{n} 個提示", "{n} 個提示")},
}

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "lint": "Lint",
        "lint-clean": "✅ No lint findings in the changed files.",
        "lint-summary": "**{counts}** in the changed files, also annotated on the lines.",
        "list-sep": ", ",
        "lint-fails": "Errors fail the check: fix them before merging.",
        "where": "Where",
        "rule": "Rule",
        "message": "Message",
        **SEVERITY_NAMES["en"],
        "more": "… and {more} more: run `okr lint` to see them all.",
        "footer": "<sub>okrkit {version} · `okr review` · this comment is updated on each "
                  "push.</sub>",
        "no-repo": "okr review compares git revisions, and {path} is not in a git repository "
                   "({reason})",
        "bad-rev": "unknown revision '{rev}'",
        "stale-with-revs": "--stale reports on the checked-out files: it takes no BASE or HEAD",
        "stale-title": "OKR check-ins due: {krs} key result(s), {people} owner(s)",
        "stale-intro": "As of {today}, these key results of an active cycle have no recent "
                       "check-in ({code}, from the git log). Update `current:` and "
                       "`confidence:` and commit, or run `okr checkin KR VALUE --confidence C`.",
        "stale-none-title": "OKR check-ins: everybody is up to date",
        "stale-none": "As of {today}, every key result of an active cycle has a recent "
                      "check-in ({code}).",
        "unowned": "No owner",
        "stale-footer": "<sub>okrkit {version} · `okr review --stale` · updated every "
                        "week.</sub>",
    },
    "zh-TW": {
        "lint": "檢查結果",
        "lint-clean": "✅ 變更的檔案沒有任何檢查問題。",
        "lint-summary": "變更的檔案中有 **{counts}**,也已標註在對應的行上。",
        "list-sep": "、",
        "lint-fails": "有錯誤時檢查不會通過:請在合併前修正。",
        "where": "位置",
        "rule": "規則",
        "message": "說明",
        **SEVERITY_NAMES["zh-TW"],
        "more": "… 還有 {more} 個:執行 `okr lint` 查看全部。",
        "footer": "<sub>okrkit {version} · `okr review` · 每次推送都會更新這則留言。</sub>",
        "no-repo": "okr review 比較的是 git 版本,而 {path} 不在 git 儲存庫中({reason})",
        "bad-rev": "找不到版本「{rev}」",
        "stale-with-revs": "--stale 針對目前的檔案產生報告:不接受 BASE 或 HEAD",
        "stale-title": "OKR 進度待更新:{krs} 個關鍵結果、{people} 位負責人",
        "stale-intro": "截至 {today},以下進行中週期的關鍵結果最近沒有進度更新({code},"
                       "依 git 紀錄)。請修改 `current:` 與 `confidence:` 後提交,或執行 "
                       "`okr checkin 關鍵結果 數值 --confidence 信心值`。",
        "stale-none-title": "OKR 進度更新:大家都已更新",
        "stale-none": "截至 {today},進行中週期的每個關鍵結果最近都有進度更新({code})。",
        "unowned": "未指定負責人",
        "stale-footer": "<sub>okrkit {version} · `okr review --stale` · 每週更新。</sub>",
    },
}


def review(base: str | None, head: str | None, *, stale: bool = False,
           lang: str | None = None) -> int:
    config, _ = load_config(find_root(Path.cwd()))
    chosen = i18n.choose(lang, config.language)
    if stale:
        if base is not None or head is not None:
            raise FatalError(MESSAGES[chosen]["stale-with-revs"])
        sys.stdout.write(stale_report(config, lang=chosen, today=today_from_env()))
    else:
        sys.stdout.write(pr_comment(config, base, head, lang=chosen))
    return 0


# -- the pull-request comment ------------------------------------------------------


def pr_comment(config: Config, base: str | None, head: str | None, *, lang: str) -> str:
    """The whole comment: marker, semantic diff, lint findings of the changed files."""
    from okrkit import history
    from okrkit.commands.diff import compare

    msg = MESSAGES[lang]
    try:
        repo = history.locate(config)
    except history.NotARepository as err:
        raise FatalError(msg["no-repo"].format(path=config.display_path(config.root),
                                               reason=err.reason)) from err
    # short commit ids label the diff: `HEAD^1` means nothing to a reader of the comment
    old = _short(repo.root, base, lang) if base is not None else None
    new = _short(repo.root, head, lang) if head is not None else None
    found = compare(config, repo, old, new, lang)
    for warning in found.warnings:  # as `okr diff` says them
        print(f"okr: warning: {warning}", file=sys.stderr)
    diff_md = render_markdown(found.diff, lang, old_label=found.old_label,
                              new_label=found.new_label)
    changed = _changed_files(config, repo.root, found.old_rev, new)
    parts = [DIFF_MARKER, diff_md.rstrip("\n")]
    if changed:
        parts.append(_lint_section(config, changed, lang))
    parts.append(msg["footer"].format(version=__version__))
    return "\n\n".join(parts) + "\n"


def _short(root: Path, rev: str, lang: str) -> str:
    sha = git.rev_parse(root, rev, short=True)
    if sha is None:
        raise FatalError(MESSAGES[lang]["bad-rev"].format(rev=rev))
    return sha


def _changed_files(config: Config, root: Path, old: str, new: str | None) -> list[Path]:
    """The OKR files (and config) changed from `old` to `new` (or the work tree) that exist."""
    okrs = config.okrs_dir.resolve()
    specs = [_relative(okrs, root), _relative(config.root.resolve() / CONFIG_NAME, root)]
    out = git.output(root, "diff", "--name-only", "-z", "--no-renames", old,
                     *([new] if new else []), "--", *specs)
    paths = [root / name for name in out.split("\0") if name]
    return [p for p in paths if p.is_file()]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _lint_section(config: Config, changed: Sequence[Path], lang: str) -> str:
    from okrkit.rules import all_rules
    from okrkit.rules.runner import count, lint

    msg = MESSAGES[lang]
    # a changed config can change any file's findings: lint the whole tree then
    whole = any(p.name == CONFIG_NAME for p in changed)
    okrs = config.okrs_dir.resolve()
    paths = None if whole else [p for p in changed if p.resolve().is_relative_to(okrs)]
    result = lint(config, paths, today=today_from_env())
    findings = list(result.findings)
    lines = [f"## {msg['lint']}", ""]
    if not findings:
        lines.append(msg["lint-clean"])
        return "\n".join(lines)
    counts = count(findings)
    shown = [_COUNTS[lang][label][n != 1].format(n=n) for label, n in counts.items() if n]
    lines.append(msg["lint-summary"].format(counts=msg["list-sep"].join(shown)))
    if counts["error"]:
        lines += ["", msg["lint-fails"]]
    names = {r.code: r.name for r in all_rules()}
    lines += ["", f"| | {msg['where']} | {msg['rule']} | {msg['message']} |", "|---|---|---|---|"]
    for f in findings[:MAX_ROWS]:
        rule = f"{f.code} `{names[f.code]}`" if f.code in names else f.code
        lines.append(f"| {_ICONS[f.severity]} {msg[f.severity.label]} | {md_code(f.pos)} | "
                     f"{rule} | {md_text(f.message(lang))} |")
    if len(findings) > MAX_ROWS:
        lines += ["", msg["more"].format(more=len(findings) - MAX_ROWS)]
    return "\n".join(lines)


# -- the weekly check-in report ------------------------------------------------


def stale_report(config: Config, *, lang: str, today: dt.date) -> str:
    """Who owes a check-in, grouped by owner, with the count the workflow reads."""
    from okrkit.rules.runner import lint

    msg = MESSAGES[lang]
    result = lint(config, None, today=today, select=(STALE_CODE,))
    stale = [f for f in result.findings if f.code == STALE_CODE]
    # OKR503 reports at the key result's `current:` value
    kr_at = {kr.src.pos("current"): (sheet, objective, kr)
             for sheet, objective, kr in result.tree.key_results()}
    by_owner: dict[str, list[tuple[str, KeyResult, Finding]]] = {}
    for f in stale:
        sheet, objective, kr = kr_at[f.pos]
        owner = kr.owner or objective.owner or sheet.owner or ""
        by_owner.setdefault(owner, []).append((sheet.ref(objective, kr), kr, f))
    parts = [STALE_MARKER, STALE_COUNT.format(count=len(stale))]
    notes = [f"> {note.get(lang) or note['en']}" for note in result.notes]
    if not stale:
        parts += [f"## {msg['stale-none-title']}", *notes,
                  msg["stale-none"].format(today=today.isoformat(), code=STALE_CODE)]
    else:
        parts += [f"## {msg['stale-title'].format(krs=len(stale), people=len(by_owner))}",
                  *notes,
                  msg["stale-intro"].format(today=today.isoformat(), code=STALE_CODE)]
        for owner in sorted(by_owner, key=lambda o: (o == "", o)):
            lines = [f"### {_person(result.tree, owner, lang)}", ""]
            for ref, kr, f in sorted(by_owner[owner], key=lambda item: item[0]):
                lines.append(f"- [ ] {md_code(ref)} {md_text(kr.title)}: "
                             f"{md_text(f.message(lang))}")
            parts.append("\n".join(lines))
    parts.append(msg["stale-footer"].format(version=__version__))
    return "\n\n".join(parts) + "\n"


def _person(tree: Tree, owner: str, lang: str) -> str:
    if not owner:
        return MESSAGES[lang]["unowned"]
    person = next((p for p in tree.org.people if p.id == owner), None) if tree.org else None
    return f"{md_text(person.name)} ({md_code(owner)})" if person and person.name \
        else md_code(owner)
