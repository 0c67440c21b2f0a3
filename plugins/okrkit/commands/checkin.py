"""`okr checkin KR VALUE [--confidence C] [-m NOTE] [--commit]`: record a check-in in the sheet.

Only the changed scalars are rewritten (okrkit.yamledit), so comments, order
and layout survive and the diff a reviewer sees is the check-in itself. The
edited text is loaded and validated again before it replaces the file, and
only if the file still holds the bytes the check-in was decided from (an
editor may save it meanwhile). Without `--commit` the check-in becomes
history when the user commits the file; with it, a commit of just that sheet
is made, its subject naming the key result and the move (DESIGN: every commit
that changes a `current:` value is a check-in).

A sheet in a merge conflict is refused: its markers make it unreadable (the
key result would silently come from another cycle, or not be found), and git
would keep it unmerged.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrkit import csvtext, git, i18n, model, numbers, prompt
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.findings import Finding, Severity
from okrkit.model import KeyResult, Objective, Sheet, clamp, is_number, progress
from okrkit.pairing import same_value
from okrkit.tree import (
    YAML_SUFFIXES,
    KrMatch,
    Tree,
    current_cycle_folder,
    load_tree,
    match_kr_refs,
    split_ref,
)
from okrkit.yamledit import Edit, edit_file, format_scalar, prepare_edit

if TYPE_CHECKING:
    from okrkit.forge.github import CheckinForm, IssueEvent

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "done": "{path}: {ref}: {changes}",
        "change": "{field} {old} → {new}",
        "progress": "progress {old} → {new}",
        "unchanged": "{path}: {ref}: nothing changed",
        "hint": "not committed: commit {path} to record the check-in (or use --commit)",
        "backwards": "warning: {ref}: current moves backwards ({old} → {new}) while the key "
                     "result should {way}: is this the key result you meant?",
        "backwards-commit": "{ref}: current would move backwards ({old} → {new}) while the "
                            "key result should {way}: check the reference, or add "
                            "--allow-backwards to commit it",
        "backwards-ask": "Commit it anyway?",
        "backwards-issue": "{ref}: the value would move backwards ({old} → {new}) while the "
                           "key result should {way}: check the key result and the value; if "
                           "the value is right, tick \"{confirm}\" in the form and save the "
                           "issue",
        "way-up": "go up",
        "way-down": "go down",
        "way-done": "be done",
        "bad-number": "'{value}' is not a number (55500, 55,500, 2.6, 12%, NT$7.2萬)",
        "bad-milestone": "'{value}' is not true, false or a number (milestone key result)",
        "bad-done": "'{value}' is not true or false (the milestone is done or not)",
        "bad-confidence": "confidence '{value}' is not a number from 0 to 1 (0.7) or a "
                          "percent (70%)",
        "unmerged": "{path}: unresolved merge conflict (git lists the file as unmerged): "
                    "resolve it and run `git add {path}` first",
        "no-repo": "cannot commit: {path} is not in a git repository ({reason})",
        "untracked": "cannot commit: {path} is not committed yet: commit it once first, or "
                     "check in without --commit",
        "dirty": "cannot commit: {path} has uncommitted changes that the check-in commit "
                 "would include: commit or discard them first, or check in without --commit",
        "in-progress": "cannot commit: a git {operation} is in progress: finish it first, or "
                       "check in without --commit",
        "committed": "committed {sha}: {subject}",
        "commit-failed": "{path} is edited but not committed: {reason}; fix that, then run "
                         "`git commit {path}`",
        "not-loaded": "{path} may hold '{ref}' but does not load: {finding}",
    },
    "zh-TW": {
        "done": "{path}:{ref}:{changes}",
        "change": "{field} {old} → {new}",
        "progress": "進度 {old} → {new}",
        "unchanged": "{path}:{ref}:沒有任何變更",
        "hint": "尚未提交:請 commit {path} 以記錄這次進度更新(或使用 --commit)",
        "backwards": "警告:{ref}:目前值往反方向移動({old} → {new}),這個關鍵結果應該{way}:"
                     "確定是要更新這個關鍵結果嗎?",
        "backwards-commit": "{ref}:目前值將往反方向移動({old} → {new}),這個關鍵結果應該{way}:"
                            "請確認參照是否正確,或加上 --allow-backwards 提交",
        "backwards-ask": "仍要提交嗎?",
        "backwards-issue": "{ref}:數值將往反方向移動({old} → {new}),這個關鍵結果應該{way}:"
                           "請確認關鍵結果與數值;若數值正確,請在表單中勾選「{confirm}」後"
                           "儲存 issue",
        "way-up": "上升",
        "way-down": "下降",
        "way-done": "完成",
        "bad-number": "「{value}」不是數字(55500、55,500、2.6、12%、NT$7.2萬)",
        "bad-milestone": "「{value}」不是 true、false 或數字(里程碑型關鍵結果)",
        "bad-done": "「{value}」不是 true 或 false(里程碑只有完成或未完成)",
        "bad-confidence": "信心度「{value}」不是 0 到 1 之間的數字(0.7)或百分比(70%)",
        "unmerged": "{path}:未解決的合併衝突(git 將此檔案列為未合併):請先解決衝突並執行 "
                    "`git add {path}`",
        "no-repo": "無法提交:{path} 不在 git 儲存庫中({reason})",
        "untracked": "無法提交:{path} 尚未 commit 過:請先 commit 一次,或不加 --commit 執行",
        "dirty": "無法提交:{path} 有尚未提交的變更,這次進度更新的 commit 會把它們一併納入:"
                 "請先 commit 或捨棄這些變更,或不加 --commit 執行",
        "in-progress": "無法提交:git 的 {operation} 尚未完成:請先完成它,或不加 --commit 執行",
        "committed": "已提交 {sha}:{subject}",
        "commit-failed": "{path} 已修改但尚未提交:{reason};排除問題後請執行 `git commit {path}`",
        "not-loaded": "{path} 可能包含「{ref}」,但無法載入:{finding}",
    },
}

FIELD_NAMES = {
    "en": {"current": "current", "confidence": "confidence", "notes": "notes"},
    "zh-TW": {"current": "目前值", "confidence": "信心度", "notes": "備註"},
}

SUBJECT_WIDTH = 72  # git's convention for a subject line


def parse_value(text: str, kr: KeyResult) -> int | float | bool:
    """The VALUE argument as the KR's kind of value: a number as okrkit.numbers reads it
    (`55,500`, `12%`, `NT$7.2萬`, in the key result's unit), or done or not for a
    milestone."""
    if kr.direction == "milestone" and (done := numbers.parse_done(text)) is not None:
        return done
    if kr.direction == "milestone" and isinstance(kr.target, bool):
        # a done-or-not milestone: a number would leave its progress unknown
        raise _bilingual("bad-done", value=text)
    number = numbers.parse(text)
    if number is None:
        key = "bad-milestone" if kr.direction == "milestone" else "bad-number"
        raise _bilingual(key, value=text)
    why = numbers.disagreement(text, number, kr.unit)
    if why is not None:
        raise FatalError(why["en"], zh=why["zh-TW"])
    return numbers.to_yaml(number.value)


def _bilingual(key: str, **values: object) -> FatalError:
    """MESSAGES[key] in both languages: the CLI shows the one it chose (as the command
    chose it), an issue's answer gives both."""
    return FatalError(MESSAGES["en"][key].format(**values),
                      zh=MESSAGES["zh-TW"][key].format(**values))


def parse_confidence(text: str) -> float:
    value = numbers.parse_confidence(text)
    if value is None:
        raise _bilingual("bad-confidence", value=text)
    return value


def checkin(ref: str, value: str, *, confidence: str | None = None, note: str | None = None,
            commit: bool = False, lang: str | None = None,
            allow_backwards: bool = False) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    tree, sheet, objective, kr = resolve(config, ref, chosen)
    path = Path(sheet.path)
    repo = git.probe(path.resolve())
    relpath = git.relative_path(path, repo.root)
    state = git.path_status(repo.root, relpath) if repo.root and relpath else ""
    if state in git.UNMERGED:  # conflict resolved in the file, not yet in git
        raise FatalError(text["unmerged"].format(path=sheet.path))
    planned = planned_edits(kr, value, confidence, note, chosen)
    full_ref = sheet.ref(objective, kr)
    if not planned:
        print(text["unchanged"].format(path=sheet.path, ref=full_ref))
        return 0
    moved = backwards_values(kr, planned, full_ref)
    if moved is not None:  # a short ref that found another cycle's key result, or a typo
        values = _in_language(moved, chosen)
        if commit and not allow_backwards and not (
                prompt.is_interactive() and _confirm(text["backwards-commit"].format(**values)
                                                     + " " + text["backwards-ask"], chosen)):
            raise FatalError(text["backwards-commit"].format(**values))
        print(text["backwards"].format(**values), file=sys.stderr)
    if commit:  # before anything is written: what would stop the commit
        git.check_committable(repo, relpath, state, sheet.path, text)
    edit_file(path, [e for e, _, _ in planned], shown=sheet.path, kind="okr", lang=chosen,
              base_digest=tree.digests.get(sheet.path))
    shown = [(f, old, e.value) for e, f, old in planned]
    print(text["done"].format(path=sheet.path, ref=full_ref,
                              changes=describe(kr, shown, chosen)))
    if not commit:
        print(text["hint"].format(path=sheet.path), file=sys.stderr)
        return 0
    assert repo.root is not None and relpath is not None
    message = commit_message(sheet, kr, shown)
    committed = _commit(repo.root, [relpath], message, sheet.path, text)
    print(text["committed"].format(sha=committed.sha[:7], subject=message.partition("\n")[0]))
    return 0


def resolve(config: Config, ref: str, chosen: str
            ) -> tuple[Tree, Sheet, Objective, KeyResult]:
    """The one key result `ref` names, and the tree it was found in; FatalError else."""
    text = MESSAGES[chosen]
    # the whole tree is read only when needed (800 sheets take a second): a reference that
    # names its cycle and team needs that sheet; a short one, the current cycle's sheets,
    # as its key result wins over the same id elsewhere. No match there: all of them.
    named = _sheet_named_by(config, ref)
    current = None if named else current_cycle_folder(config, today_from_env())
    narrow = [named] if named else [config.okrs_dir / current.id] if current else None
    if narrow is not None:
        tree, blocking, match = _read(config, ref, narrow)
        # one key result and no sheet in the way, else only a full read can tell (also when
        # the one found is in a parent sheet read along, outside the current cycle)
        if blocking is None and len(match.found) == 1 and (
                current is None or match.found[0][0].cycle_id == current.id):
            return (tree, *match.found[0])
    tree, blocking, match = _read(config, ref, None)
    if blocking is not None:
        where = f"{blocking.pos}: {blocking.message(chosen)}"
        if "marker" in blocking.params:  # the conflict says it all
            raise FatalError(where)
        raise FatalError(text["not-loaded"].format(path=blocking.pos.path, ref=ref,
                                                   finding=where))
    if len(match.found) != 1:
        raise match.error()
    return (tree, *match.found[0])


def planned_edits(kr: KeyResult, value: str, confidence: str | None, note: str | None,
                  chosen: str) -> list[tuple[Edit, str, Any]]:
    """(edit, field, old value) for each value that changes; unchanged ones are left as
    written. FatalError when VALUE or the confidence is not one."""
    new_current = parse_value(value, kr)
    new_confidence = parse_confidence(confidence) if confidence is not None else None
    jpath = kr.src.jpath
    planned: list[tuple[Edit, str, Any]] = [
        (Edit(jpath, "current", new_current, after=("target", "baseline")), "current",
         kr.current)]
    if new_confidence is not None:
        planned.append((Edit(jpath, "confidence", new_confidence,
                             after=("current", "target", "baseline")), "confidence",
                        kr.confidence))
    if note is not None:  # CRLF text (a file saved on Windows): the loader refuses a "\r"
        note = note.replace("\r\n", "\n").replace("\r", "\n")
        planned.append((Edit(jpath, "notes", note), "notes", kr.notes))
    return [(e, f, old) for e, f, old in planned if not same_value(old, e.value)]


def describe(kr: KeyResult, shown: list[tuple[str, Any, Any]], chosen: str) -> str:
    """"current 53000 → 55500, notes, progress 30% → 55%" in `chosen`."""
    text = MESSAGES[chosen]
    parts = [text["change"].format(field=FIELD_NAMES[chosen][f], old=_show(o), new=_show(n))
             for f, o, n in shown if f != "notes"]
    parts += [FIELD_NAMES[chosen]["notes"] for f, _, _ in shown if f == "notes"]
    new_current = next((n for f, _, n in shown if f == "current"), kr.current)
    before = progress(kr.direction, kr.baseline, kr.target, kr.current)
    after = progress(kr.direction, kr.baseline, kr.target, new_current)
    if after is not None and before != after:
        parts.append(text["progress"].format(old=_percent(before), new=_percent(after)))
    return ", ".join(parts)


def _commit(root: Path, relpaths: list[str], message: str, shown: str, text: dict[str, str],
            *, author: tuple[str, str] | None = None, quiet: bool = False) -> git.Committed:
    try:
        committed = git.commit_paths(root, relpaths, message=message, author=author)
    except git.CommitFailed as err:
        # the edit stays: the user's value is in the file, and what the hook said is shown
        if not quiet:
            sys.stderr.write(err.output if err.output.endswith("\n") or not err.output
                             else err.output + "\n")
        raise FatalError(text["commit-failed"].format(path=shown, reason=err.reason)
                         ) from err
    if committed.output and not quiet:  # the hooks' lines, as `git commit` would show them
        sys.stderr.write(committed.output if committed.output.endswith("\n")
                         else committed.output + "\n")
    return committed


def backwards_way(kr: KeyResult, new: Any) -> str | None:
    """The way the key result should move ("way-up", ...) when `new` moves it the other
    way, else None."""
    old = kr.current
    if kr.direction == "milestone":
        return "way-done" if old is True and new is False else None
    if not is_number(old) or not is_number(new) or old == new:
        return None
    up = kr.direction in ("increase", "at_least")
    if kr.direction in ("increase", "decrease") and is_number(kr.baseline) and \
            is_number(kr.target):
        up = kr.target >= kr.baseline  # type: ignore[operator]
    if up and new < old:
        return "way-up"
    if not up and new > old:
        return "way-down"
    return None


def backwards_values(kr: KeyResult, planned: list[tuple[Edit, str, Any]], ref: str
                     ) -> dict[str, str] | None:
    """The backwards messages' values (`way` as its MESSAGES key) when the planned
    check-in moves `current` against the key result's direction, else None."""
    new_current = next((e.value for e, f, _ in planned if f == "current"), kr.current)
    way = backwards_way(kr, new_current)
    if way is None:
        return None
    return {"ref": ref, "old": _show(kr.current), "new": _show(new_current), "way": way}


def _in_language(values: dict[str, str], lang: str) -> dict[str, str]:
    """backwards_values' values with the way the key result should go in `lang`."""
    return {**values, "way": MESSAGES[lang][values["way"]]}


def _backwards_error(key: str, values: dict[str, str], *,
                     confirm: Mapping[str, str] | None = None) -> FatalError:
    """MESSAGES[key] in both languages, the way the key result should go (and the issue
    form's confirm box) in each."""
    en, zh = ({**_in_language(values, lang), "confirm": (confirm or {}).get(lang, "")}
              for lang in ("en", "zh-TW"))
    return FatalError(MESSAGES["en"][key].format(**en), zh=MESSAGES["zh-TW"][key].format(**zh))


def _confirm(question: str, lang: str) -> bool:
    answer = prompt.choose(question, [("n", "no" if lang == "en" else "否"),
                                      ("y", "yes" if lang == "en" else "是")],
                           lang=lang, default="n")
    return answer == "y"


def commit_message(sheet: Sheet, kr: KeyResult, changes: list[tuple[str, Any, Any]]) -> str:
    """`checkin(team/kr): 53000 → 55500, confidence 0.6 → 0.7`, the note as the body.

    English whatever the user's language: the log is shared. The confidence goes
    to the body when the subject would pass 72 columns with it.
    """
    moved = {f: f"{_show(old)} → {_show(new)}" for f, old, new in changes if f != "notes"}
    head = f"checkin({sheet.team}/{kr.id}): "
    body: list[str] = []
    if "current" in moved and "confidence" in moved:
        subject = f"{head}{moved['current']}, confidence {moved['confidence']}"
        if i18n.display_width(subject) > SUBJECT_WIDTH:
            subject, body = head + moved["current"], [f"confidence {moved['confidence']}"]
    elif "current" in moved:
        subject = head + moved["current"]
    elif "confidence" in moved:
        subject = f"{head}confidence {moved['confidence']}"
    else:
        subject = head + "notes"
    note = next((new for f, _, new in changes if f == "notes"), None)
    if note:
        body += ["", note] if body else [note]
    return f"{subject}\n\n" + "\n".join(body) if body else subject


def _sheet_named_by(config: Config, ref: str) -> Path | None:
    """What `cycle/...` names: the sheet of `cycle/team/objective/kr`, the cycle's folder
    of `cycle/x/kr` (x is a team or an objective of any team: both must be seen)."""
    parts = split_ref(ref)
    if len(parts) < 3 or config.calendar.get(parts[0]) is None:
        return None
    if len(parts) == 3:
        folder = config.okrs_dir / parts[0]
        return folder if folder.is_dir() else None
    return next((path for suffix in YAML_SUFFIXES
                 if (path := config.okrs_dir / parts[0] / (parts[1] + suffix)).is_file()), None)


def _read(config: Config, ref: str, paths: list[Path] | None
          ) -> tuple[Tree, Finding | None, KrMatch]:
    """The tree (all of it, or `paths` and what they need), a sheet that did not load and
    may hold the key result, and what `ref` matches."""
    tree, _ = load_tree(config, paths)
    return (tree, _unloaded_sheet_in_the_way(tree, ref),
            match_kr_refs(tree, ref, today_from_env()))


def _unloaded_sheet_in_the_way(tree: Tree, ref: str) -> Finding | None:
    """The first error of a sheet that did not load (a merge conflict marker, a syntax or
    schema error) and may hold the key result `ref` names.

    Without it the reference would resolve to the same id in another cycle, and the
    check-in land in the wrong sheet, or to nothing. "May hold": the id, and each
    other part of the reference, appear in its text (or are its cycle and team).
    """
    parts = split_ref(ref)
    if not parts:
        return None
    for shown, finding in tree.unloaded.items():
        path = Path(shown)
        try:
            words = set(_WORD_RE.findall(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
        words |= {path.parent.name, path.stem}
        if all(part in words for part in parts):
            return finding
    return None


_WORD_RE = re.compile(r"[\w-]+")


def _show(value: Any) -> str:
    return "–" if value is None else format_scalar(value)


def _raw(value: Any) -> str:
    return "–" if value is None else str(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(clamp(value) * 100)}%"


# -- a check-in from a GitHub issue (`--from-issue EVENT.json`) ----------------------

ISSUE_MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "bad-config": "{config} is not valid: {finding}",
        "recorded": "issue #{number}: {ref}: {changes}",
        "pushed": "pushed {sha} to {remote}/{branch}",
        "branch": "pushed {sha} to branch {branch} for a pull request into {base}",
        "unchanged": "issue #{number}: {ref}: nothing changed",
        "dry-run": "dry run: nothing written, committed or pushed",
        "no-origin": "cannot push: the repository has no remote 'origin'",
    },
    "zh-TW": {
        "bad-config": "{config} 不正確:{finding}",
        "recorded": "issue #{number}:{ref}:{changes}",
        "pushed": "已推送 {sha} 到 {remote}/{branch}",
        "branch": "已推送 {sha} 到分支 {branch},將以 pull request 合併到 {base}",
        "unchanged": "issue #{number}:{ref}:沒有任何變更",
        "dry-run": "試跑:沒有寫入、提交或推送任何東西",
        "no-origin": "無法推送:這個儲存庫沒有名為 origin 的遠端",
    },
}
REMOTE = "origin"
PR_BRANCH = "okr-checkin/issue-{number}"
PUSH_ATTEMPTS = 5
# a refusal is about the issue (exit 1); a failure about the machinery (exit 2)
_ACTIONS = ("opened", "edited", "reopened", "labeled")


def from_issue(event_path: str, *, push: bool = False, dry_run: bool = False,
               output_format: str = "text", lang: str | None = None) -> int:
    """Check in what a GitHub issue form says, as its author; 0 committed (and pushed),
    1 refused (the form, the author, the value), 2 failed (usage, I/O, git)."""
    from okrkit.forge import github

    outcome: dict[str, Any] = {"outcome": "failed", "issue": None, "lang": "en"}
    try:
        root = find_root(Path.cwd())
        config, findings = load_config(root)
        chosen = i18n.choose(lang, config.language)
        outcome["lang"] = chosen
        errors = [f for f in findings if f.severity >= Severity.ERROR]
        if errors:
            first = errors[0]
            raise FatalError(
                ISSUE_MESSAGES["en"]["bad-config"].format(
                    config=first.pos, finding=first.message("en")),
                zh=ISSUE_MESSAGES["zh-TW"]["bad-config"].format(
                    config=first.pos, finding=first.message("zh-TW")))
        event = github.read_event(Path(event_path))
        outcome.update(issue=event.number, repo_url=event.repo_url)
        chosen = outcome["lang"] = lang or github.form_language(event.body) or chosen
        if event.action not in _ACTIONS:
            raise github.refused("action", action=event.action)
        form = github.parse_form(event.body)
        outcome["kr"] = form.kr
        org_tree, _ = load_tree(config, [])
        github.check_allowed(event, config.checkin_allow, org_tree.org)
        author = github.author_of(event, org_tree.org)
        _apply_issue(config, event, form, author, outcome, push=push, dry_run=dry_run)
    except FatalError as err:
        outcome["outcome"] = "refused" if isinstance(err, (github.Refused, _Refused)) \
            else "failed"
        outcome["message"] = {"en": err.message("en"), "zh-TW": err.message("zh-TW")}
    chosen = outcome["lang"]
    outcome["comment"] = github.comment(outcome, chosen)
    if output_format == "json":
        import json

        print(json.dumps(outcome, ensure_ascii=False, indent=2))
    elif outcome["outcome"] != "ok":
        prefix = "okr: error: " if chosen == "en" else "okr:錯誤:"
        print(prefix + outcome["message"][chosen], file=sys.stderr)
    else:
        print(outcome["message"][chosen])
    return {"ok": 0, "refused": 1}.get(outcome["outcome"], 2)


class _Refused(FatalError):
    """A check-in the sheet refuses (an unknown key result, a value it cannot hold)."""


def _apply_issue(config: Config, event: IssueEvent, form: CheckinForm,
                 author: tuple[str, str], outcome: dict[str, Any], *, push: bool,
                 dry_run: bool) -> None:
    """Resolve, check, write, commit and push the check-in of `form`; fills `outcome`."""
    from okrkit.forge import github

    chosen = outcome["lang"]
    issue_text = ISSUE_MESSAGES[chosen]

    def decide() -> tuple[Tree, Sheet, Objective, KeyResult, list[tuple[Edit, str, Any]],
                          Any]:
        try:
            tree, sheet, objective, kr = resolve(config, form.kr, chosen)
            planned = planned_edits(kr, form.value, form.confidence, form.note, chosen)
            moved = backwards_values(kr, planned, sheet.ref(objective, kr))
            if moved is not None and form.confirm is False:  # the CLI's --allow-backwards
                raise _backwards_error("backwards-issue", moved,
                                       confirm=github.CONFIRM_OPTION)
            prepared = prepare_edit(Path(sheet.path), [e for e, _, _ in planned],
                                    shown=sheet.path, kind="okr", lang=chosen,
                                    base_digest=tree.digests.get(sheet.path)) \
                if planned else None
        except FatalError as err:  # about the issue's text, not the machinery
            raise _Refused(err.message("en"), zh=err.message("zh-TW")) from err
        return tree, sheet, objective, kr, planned, prepared

    tree, sheet, objective, kr, planned, prepared = decide()
    full_ref = sheet.ref(objective, kr)
    shown = [(f, old, e.value) for e, f, old in planned]
    outcome.update(kr=full_ref, title=kr.title, via=config.checkin_via, commit=None,
                   changes=[{"field": f, "old": _raw(o) if f == "notes" else _show(o),
                             "new": _raw(n) if f == "notes" else _show(n)}
                            for f, o, n in shown])
    new_kr = dataclasses.replace(kr, **{f: n for f, _, n in shown})
    before, after = kr.progress(), new_kr.progress()
    outcome["progress"] = {"old": None if before is None else _percent(before),
                           "new": None if after is None else _percent(after)}
    cycle = tree.cycle(sheet.cycle_id)
    outcome["status"] = None if cycle is None else model.kr_status(
        new_kr, cycle, today_from_env(), config.bands).value
    outcome["message"] = {
        lang: (ISSUE_MESSAGES[lang]["recorded"].format(
            number=event.number, ref=full_ref, changes=describe(kr, shown, lang)) if shown else
            ISSUE_MESSAGES[lang]["unchanged"].format(number=event.number, ref=full_ref))
        for lang in ("en", "zh-TW")}
    if prepared is None or dry_run:
        outcome["outcome"] = "ok"
        if dry_run:
            print(issue_text["dry-run"], file=sys.stderr)
        return
    path = Path(sheet.path)
    repo = git.probe(path.resolve())
    relpath = git.relative_path(path, repo.root)
    state = git.path_status(repo.root, relpath) if repo.root and relpath else ""
    text = MESSAGES[chosen]
    git.check_committable(repo, relpath, state, sheet.path, text)
    assert repo.root is not None and relpath is not None
    root = repo.root
    base = event.default_branch or config.main_branch
    branch = base
    if config.checkin_via == "pull-request":
        branch = PR_BRANCH.format(number=event.number)
        git.switch_new_branch(root, branch)
    outcome["branch"] = branch
    trailer = f"\n\n{github.TRAILER}: #{event.number}"

    def write_and_commit(tree: Tree, sheet: Sheet, kr: KeyResult,
                         planned: list[tuple[Edit, str, Any]], prepared: Any) -> str:
        prepared.write()
        message = commit_message(sheet, kr, [(f, old, e.value) for e, f, old in planned])
        relpath = git.relative_path(Path(sheet.path), root)
        assert relpath is not None
        return _commit(root, [relpath], message + trailer, sheet.path, text, author=author,
                       quiet=True).sha

    sha = write_and_commit(tree, sheet, kr, planned, prepared)
    outcome["commit"] = sha
    if push:
        if not git.has_remote(root, REMOTE):
            raise FatalError(ISSUE_MESSAGES["en"]["no-origin"],
                             zh=ISSUE_MESSAGES["zh-TW"]["no-origin"])

        def reapply() -> str | None:
            tree, sheet, _, kr, planned, prepared = decide()
            if prepared is None:
                return None
            outcome["commit"] = write_and_commit(tree, sheet, kr, planned, prepared)
            return str(outcome["commit"])

        pushed = git.push_with_retry(root, remote=REMOTE, branch=branch, reapply=reapply,
                                     attempts=PUSH_ATTEMPTS)
        outcome.update(commit=pushed.sha, pushed=True, attempts=pushed.attempts)
        key = "branch" if config.checkin_via == "pull-request" else "pushed"
        print(issue_text[key].format(sha=pushed.sha[:7], remote=REMOTE, branch=branch,
                                     base=base), file=sys.stderr)
    outcome["commit_url"] = github.commit_url(event.repo_url, outcome["commit"])
    outcome["outcome"] = "ok"


def usage_error(args: Any) -> None:
    """FatalError (exit 2) for options that do not go together."""
    mode = "--from-issue" if args.from_issue is not None else \
        "--batch" if args.batch is not None else None
    extra = [name for name, given in (
        ("KR", args.kr is not None), ("VALUE", args.value is not None),
        ("--confidence", args.confidence is not None), ("-m", args.note is not None),
        ("--batch", mode == "--from-issue" and args.batch is not None),
        # the form's confirm box says it, per issue
        ("--allow-backwards", mode == "--from-issue" and args.allow_backwards),
    ) if given and mode is not None]
    only_issue = [name for name, given in (
        ("--push", args.push), ("--dry-run", args.dry_run),
        ("--format json", args.output_format == "json")) if given and mode != "--from-issue"]
    if extra:
        raise _usage("extra", mode=mode, extra=", ".join(extra))
    if args.commit and mode == "--from-issue":
        raise _usage("commit")
    if only_issue:
        raise _usage("only-issue", options=", ".join(only_issue))


def _usage(key: str, **values: object) -> FatalError:
    return FatalError(USAGE["en"][key].format(**values), zh=USAGE["zh-TW"][key].format(**values))


USAGE = {
    "en": {"extra": "okr checkin {mode} takes no {extra}",
           "only-issue": "{options}: only with --from-issue",
           "commit": "--from-issue always commits (and --push pushes): drop --commit"},
    "zh-TW": {"extra": "okr checkin {mode} 不接受 {extra}",
              "only-issue": "{options}:只能搭配 --from-issue",
              "commit": "--from-issue 一定會 commit(加上 --push 會推送):請拿掉 --commit"},
}


# -- a week's check-ins from a spreadsheet (`--batch FILE.csv`) ----------------------

BATCH_COLUMNS = {
    "kr": "kr", "value": "value", "confidence": "confidence", "note": "note",
    "關鍵結果": "kr", "數值": "value", "信心度": "confidence", "信心指數": "confidence",
    "備註": "note",
}
BATCH_MAX_BYTES = 4 << 20
BATCH_MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "cannot-read": "cannot read {path}: {error}",
        "not-utf8": "{path}: not UTF-8 and not Big5 (cp950) text: save the sheet as CSV "
                    "UTF-8",
        "too-big": "{path}: {size} bytes; a batch file holds at most {limit}",
        "bad-csv": "{path}: line {line}: {error}",
        "empty": "{path}: no header row (kr,value,confidence,note)",
        "unknown-column": "{path}: line {line}, column {column}: unknown column '{name}' "
                          "(kr, value, confidence, note; or 關鍵結果, 數值, 信心指數, 備註)",
        "twice": "{path}: line {line}, column {column}: column '{name}' appears twice",
        "no-column": "{path}: line {line}: no '{name}' column",
        "row": "{path}: line {line}, column {column}: {message}",
        "same-kr": "{path}: line {line}: {ref} is already checked in by line {first}",
        "many": "{path}: {count} problems, nothing was checked in:",
        "nothing": "{path}: no rows to check in",
        "done": "{path}: {count} key results checked in ({changed} changed)",
        "done-one": "{path}: 1 key result checked in ({changed} changed)",
        "subject": "checkin: {count} key results from {name}",
        "subject-one": "checkin: 1 key result from {name}",
        "rolled-back": "{error} (the files already written were restored)",
    },
    "zh-TW": {
        "cannot-read": "無法讀取 {path}:{error}",
        "not-utf8": "{path}:不是 UTF-8 也不是 Big5(cp950)文字:請將試算表存成 CSV UTF-8",
        "too-big": "{path}:{size} 位元組;批次檔最多 {limit}",
        "bad-csv": "{path}:第 {line} 行:{error}",
        "empty": "{path}:沒有標題列(關鍵結果,數值,信心指數,備註)",
        "unknown-column": "{path}:第 {line} 行第 {column} 欄:未知的欄位「{name}」"
                          "(關鍵結果、數值、信心指數、備註;或 kr、value、confidence、note)",
        "twice": "{path}:第 {line} 行第 {column} 欄:欄位「{name}」重複出現",
        "no-column": "{path}:第 {line} 行:缺少「{name}」欄位",
        "row": "{path}:第 {line} 行第 {column} 欄:{message}",
        "same-kr": "{path}:第 {line} 行:{ref} 已由第 {first} 行更新",
        "many": "{path}:有 {count} 個問題,沒有更新任何關鍵結果:",
        "nothing": "{path}:沒有要更新的列",
        "done": "{path}:已更新 {count} 個關鍵結果(其中 {changed} 個有變更)",
        "done-one": "{path}:已更新 1 個關鍵結果(其中 {changed} 個有變更)",
        "subject": "checkin: {count} key results from {name}",
        "subject-one": "checkin: 1 key result from {name}",
        "rolled-back": "{error}(已寫入的檔案已還原)",
    },
}


@dataclass(frozen=True, slots=True)
class _Row:
    line: int  # the file's line the row starts on (a quoted note may span lines)
    cells: dict[str, tuple[int, str]]  # field → (column number, text)


@dataclass(frozen=True, slots=True)
class _Resolved:
    """A row's key result (and its full reference), its planned edits, and the
    backwards message's values when the value moves against the key result's way."""
    row: _Row
    sheet: Sheet
    kr: KeyResult
    ref: str
    planned: list[tuple[Edit, str, Any]]
    moved: dict[str, str] | None


def _read_batch(path: Path, chosen: str) -> list[_Row]:
    import csv
    import io

    text = BATCH_MESSAGES[chosen]
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FatalError(text["cannot-read"].format(path=shown, error=err.strerror or err)
                         ) from err
    if len(raw) > BATCH_MAX_BYTES:
        raise FatalError(text["too-big"].format(path=shown, size=len(raw),
                                                limit=BATCH_MAX_BYTES))
    data = csvtext.decode(raw)  # as `okr import` reads it: UTF-8, or Excel's Big5
    if data is None:
        raise FatalError(text["not-utf8"].format(path=shown))
    reader = csv.reader(io.StringIO(data, newline=""))
    rows: list[_Row] = []
    columns: dict[int, str] = {}
    end = 0  # the line the previous record ended on
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            if columns:
                rows.append(_Row(line, {field: (i, cells[i - 1].strip() if i <= len(cells)
                                                else "") for i, field in columns.items()}))
            elif any(c.strip() for c in cells):  # blank lines above the header are skipped
                columns = _header(cells, line, shown, chosen)
    except csv.Error as err:
        raise FatalError(text["bad-csv"].format(path=shown, line=reader.line_num,
                                                error=err)) from err
    if not columns:
        raise FatalError(text["empty"].format(path=shown))
    return [r for r in rows if any(v for _, v in r.cells.values())]


def _header(cells: list[str], line: int, shown: str, chosen: str) -> dict[int, str]:
    """{column number: field} of the header row; FatalError naming all its problems."""
    text = BATCH_MESSAGES[chosen]
    columns: dict[int, str] = {}
    problems = []
    for i, name in enumerate(cells, 1):
        field = BATCH_COLUMNS.get(name.strip().lower()) or BATCH_COLUMNS.get(name.strip())
        if field is None and name.strip():
            problems.append(text["unknown-column"].format(path=shown, line=line, column=i,
                                                          name=name))
        elif field is not None and field in columns.values():
            problems.append(text["twice"].format(path=shown, line=line, column=i, name=name))
        elif field is not None:
            columns[i] = field
    problems += [text["no-column"].format(path=shown, line=line, name=needed)
                 for needed in ("kr", "value") if needed not in columns.values()]
    if problems:
        raise _all_of([FatalError(p) for p in problems], shown, chosen)
    return columns


def _all_of(problems: list[FatalError], shown: str, chosen: str) -> FatalError:
    """One problem as it is; several under a line counting them, one a line, so a whole
    sheet is fixed in one go."""
    if len(problems) == 1:
        return problems[0]
    en, zh = ("\n  ".join([BATCH_MESSAGES[lang]["many"].format(path=shown, count=len(problems)),
                           *(p.message(lang) for p in problems)]) for lang in ("en", "zh-TW"))
    return FatalError(en if chosen == "en" else zh, zh=zh)


def batch(csv_path: str, *, commit: bool = False, lang: str | None = None,
          allow_backwards: bool = False) -> int:
    """Check in every row of a CSV file; every row is resolved and checked, and every sheet
    edited in memory and validated, before the first file is written.

    A row moving its key result backwards is refused with `commit` (as one check-in
    is) unless `allow_backwards`; without `commit` it is written with a warning."""
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = BATCH_MESSAGES[chosen]
    path = Path(csv_path)
    rows = _read_batch(path, chosen)
    refuse_backwards = commit and not allow_backwards
    if not rows:
        raise FatalError(text["nothing"].format(path=csv_path))
    # a sheet of full references reads just the sheets they name (as one check-in does);
    # anything else, or a row those sheets cannot settle, reads the whole tree
    named = {_sheet_named_by(config, r.cells["kr"][1]) for r in rows
             if len(split_ref(r.cells["kr"][1])) == 4}
    found = None
    if None not in named and len(named) and all(
            len(split_ref(r.cells["kr"][1])) == 4 for r in rows):
        tree, _ = load_tree(config, sorted(p for p in named if p is not None))
        try:
            found = tree, _resolve_rows(tree, rows, csv_path, chosen, refuse_backwards)
        except FatalError:
            found = None
    if found is None:
        tree, _ = load_tree(config, None)
        found = tree, _resolve_rows(tree, rows, csv_path, chosen, refuse_backwards)
    tree, per_sheet = found
    prepared = []
    problems: list[FatalError] = []
    for shown, items in per_sheet.items():
        edits = [e for item in items for e, _, _ in item.planned]
        if not edits:
            continue
        try:
            prepared.append(prepare_edit(Path(shown), edits, shown=shown, lang=chosen,
                                         base_digest=tree.digests.get(shown)))
        except FatalError as whole:  # which rows: each on its own
            rows_failing = []
            for item in items:
                try:
                    prepare_edit(Path(shown), [e for e, _, _ in item.planned], shown=shown,
                                 lang=chosen, base_digest=tree.digests.get(shown))
                except FatalError as err:
                    rows_failing.append(_row_error(csv_path, chosen, item.row, "value", err))
            problems += rows_failing or [whole]
    if problems:
        raise _all_of(problems, csv_path, chosen)
    repo = git.probe(config.root)
    relpaths = [git.relative_path(Path(p.path), repo.root) for p in prepared]
    if commit:
        for p, relpath in zip(prepared, relpaths, strict=True):
            state = git.path_status(repo.root, relpath) if repo.root and relpath else ""
            git.check_committable(repo, relpath, state, p.shown, MESSAGES[chosen])
    _write_all(prepared, chosen)
    lines = []
    for shown, items in per_sheet.items():
        for item in items:
            kr = item.kr
            changes = [(f, old, e.value) for e, f, old in item.planned]
            if item.moved is not None:  # allowed (--allow-backwards, or not committed)
                print(MESSAGES[chosen]["backwards"].format(**_in_language(item.moved, chosen)),
                      file=sys.stderr)
            if changes:
                print(MESSAGES[chosen]["done"].format(path=shown, ref=item.ref,
                                                      changes=describe(kr, changes, chosen)))
                lines.append(commit_message(item.sheet, kr, [c for c in changes
                                                        if c[0] != "notes"] or changes
                                            ).partition("\n")[0])
    print(text["done-one" if len(rows) == 1 else "done"].format(path=csv_path, count=len(rows),
                                                               changed=len(lines)))
    if not commit or not prepared:
        if prepared:
            print(MESSAGES[chosen]["hint"].format(path=" ".join(p.shown for p in prepared)),
                  file=sys.stderr)
        return 0
    assert repo.root is not None
    subject = "subject-one" if len(lines) == 1 else "subject"
    message = BATCH_MESSAGES["en"][subject].format(count=len(lines), name=path.name) + \
        "\n\n" + "\n".join(lines)
    committed = _commit(repo.root, [r for r in relpaths if r is not None], message,
                        " ".join(p.shown for p in prepared), MESSAGES[chosen])
    print(MESSAGES[chosen]["committed"].format(sha=committed.sha[:7],
                                               subject=message.partition("\n")[0]))
    return 0


def _resolve_rows(tree: Tree, rows: list[_Row], csv_path: str, chosen: str,
                  refuse_backwards: bool) -> dict[str, list[_Resolved]]:
    """Each row's key result and planned edits, by sheet; FatalError naming every bad row
    (and its column)."""
    text = BATCH_MESSAGES[chosen]
    today = today_from_env()
    exact: dict[str, list[tuple[Sheet, Objective, KeyResult]]] = {}
    for sheet, objective, kr in tree.key_results():  # full references: no scan per row
        exact.setdefault(sheet.ref(objective, kr), []).append((sheet, objective, kr))
    seen: dict[int, int] = {}  # id(kr) → the first row naming it
    per_sheet: dict[str, list[_Resolved]] = {}

    def row_error(row: _Row, field: str, err: FatalError) -> FatalError:
        return _row_error(csv_path, chosen, row, field, err)

    def resolve_row(row: _Row) -> None:
        ref = row.cells["kr"][1]
        blocking = _unloaded_sheet_in_the_way(tree, ref)
        if blocking is not None:
            raise row_error(row, "kr", FatalError(f"{blocking.pos}: {blocking.message('en')}",
                                                  zh=f"{blocking.pos}: "
                                                     f"{blocking.message('zh-TW')}"))
        candidates = exact.get("/".join(split_ref(ref)), [])
        if len(candidates) != 1:
            match = match_kr_refs(tree, ref, today)
            if len(match.found) != 1:
                raise row_error(row, "kr", match.error())
            candidates = list(match.found)
        sheet, objective, kr = candidates[0]
        if id(kr) in seen:
            values = {"path": csv_path, "line": row.line, "ref": sheet.ref(objective, kr),
                      "first": seen[id(kr)]}
            raise FatalError(text["same-kr"].format(**values),
                             zh=BATCH_MESSAGES["zh-TW"]["same-kr"].format(**values))
        seen[id(kr)] = row.line
        try:
            planned = planned_edits(kr, row.cells["value"][1],
                                    row.cells.get("confidence", (0, ""))[1] or None,
                                    row.cells.get("note", (0, ""))[1] or None, chosen)
        except FatalError as err:
            field = "confidence" if "confidence" in str(err) or "信心" in str(err) else "value"
            raise row_error(row, field, err) from err
        full_ref = sheet.ref(objective, kr)
        moved = backwards_values(kr, planned, full_ref)
        if moved is not None and refuse_backwards:
            raise row_error(row, "value", _backwards_error("backwards-commit", moved))
        per_sheet.setdefault(sheet.path, []).append(
            _Resolved(row, sheet, kr, full_ref, planned, moved))

    problems = []
    for row in rows:
        try:
            resolve_row(row)
        except FatalError as err:
            problems.append(err)
    if problems:
        raise _all_of(problems, csv_path, chosen)
    return per_sheet


def _row_error(csv_path: str, chosen: str, row: _Row, field: str, err: FatalError
               ) -> FatalError:
    """`err` at the row and column of the batch file."""
    column = row.cells.get(field, (1, ""))[0]
    en = BATCH_MESSAGES["en"]["row"].format(path=csv_path, line=row.line, column=column,
                                            message=err.message("en"))
    zh = BATCH_MESSAGES["zh-TW"]["row"].format(path=csv_path, line=row.line, column=column,
                                               message=err.message("zh-TW"))
    return FatalError(en if chosen == "en" else zh, zh=zh)


def _write_all(prepared: list[Any], chosen: str) -> None:
    """Write every prepared sheet; when one cannot be written, put back those already
    written, so the batch lands whole or not at all."""
    from okrkit.yamledit import write_atomic

    done: list[tuple[Path, bytes]] = []
    try:
        for p in prepared:
            original = p.path.read_bytes()
            p.write()
            done.append((p.path, original))
    except (FatalError, OSError) as err:
        for written, original in reversed(done):
            write_atomic(written, original)
        message = err.message(chosen) if isinstance(err, FatalError) else str(err)
        raise FatalError(BATCH_MESSAGES[chosen]["rolled-back"].format(error=message)) from err
