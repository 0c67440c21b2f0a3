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

import math
import re
import sys
from pathlib import Path
from typing import Any

from okrkit import git, i18n, prompt
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.findings import Finding
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
from okrkit.yamledit import Edit, edit_file, format_scalar

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
        "way-up": "go up",
        "way-down": "go down",
        "way-done": "be done",
        "bad-number": "'{value}' is not a number",
        "bad-milestone": "'{value}' is not true, false or a number (milestone key result)",
        "bad-done": "'{value}' is not true or false (the milestone is done or not)",
        "bad-confidence": "confidence '{value}' is not a number from 0 to 1",
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
        "way-up": "上升",
        "way-down": "下降",
        "way-done": "完成",
        "bad-number": "「{value}」不是數字",
        "bad-milestone": "「{value}」不是 true、false 或數字(里程碑型關鍵結果)",
        "bad-done": "「{value}」不是 true 或 false(里程碑只有完成或未完成)",
        "bad-confidence": "信心指數「{value}」不是 0 到 1 之間的數字",
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
    "zh-TW": {"current": "目前值", "confidence": "信心指數", "notes": "備註"},
}

SUBJECT_WIDTH = 72  # git's convention for a subject line


def parse_value(text: str, kr: KeyResult, lang: str) -> int | float | bool:
    """The VALUE argument as the KR's kind of value: a number, or true/false for a milestone."""
    lowered = text.strip().lower()
    if kr.direction == "milestone" and lowered in ("true", "false"):
        return lowered == "true"
    if kr.direction == "milestone" and isinstance(kr.target, bool):
        # a done-or-not milestone: a number would leave its progress unknown
        raise FatalError(MESSAGES[lang]["bad-done"].format(value=text))
    number = _number(text)
    if number is None:
        key = "bad-milestone" if kr.direction == "milestone" else "bad-number"
        raise FatalError(MESSAGES[lang][key].format(value=text))
    return number


def _number(text: str) -> int | float | None:
    """`53000`, `53,000`, `2.6`, `-1e3`; None for anything else (nan and inf too).

    A comma must group thousands: "0,5" is a half in much of Europe, and read as 5
    it would record a wrong check-in. Python's `1_000` is not a way people write numbers.
    """
    cleaned = text.strip()
    if "_" in cleaned or ("," in cleaned and not _GROUPED_RE.match(cleaned)):
        return None
    cleaned = cleaned.replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# digits grouped by three with commas (full-width digits too: `int` reads them)
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?\Z")


def parse_confidence(text: str, lang: str) -> float:
    value = _number(text)
    if value is None or not 0 <= value <= 1:
        raise FatalError(MESSAGES[lang]["bad-confidence"].format(value=text))
    return float(value)


def checkin(ref: str, value: str, *, confidence: str | None = None, note: str | None = None,
            commit: bool = False, lang: str | None = None,
            allow_backwards: bool = False) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    # the whole tree is read only when needed (800 sheets take a second): a reference that
    # names its cycle and team needs that sheet; a short one, the current cycle's sheets,
    # as its key result wins over the same id elsewhere. No match there: all of them.
    named = _sheet_named_by(config, ref)
    current = None if named else current_cycle_folder(config, today_from_env())
    narrow = [named] if named else [config.okrs_dir / current.id] if current else None
    found: tuple[Tree, Sheet, Objective, KeyResult] | None = None
    if narrow is not None:
        tree, blocking, match = _read(config, ref, narrow)
        # one key result and no sheet in the way, else only a full read can tell (also when
        # the one found is in a parent sheet read along, outside the current cycle)
        if blocking is None and len(match.found) == 1 and (
                current is None or match.found[0][0].cycle_id == current.id):
            found = (tree, *match.found[0])
    if found is None:
        tree, blocking, match = _read(config, ref, None)
        if blocking is not None:
            where = f"{blocking.pos}: {blocking.message(chosen)}"
            if "marker" in blocking.params:  # the conflict says it all
                raise FatalError(where)
            raise FatalError(text["not-loaded"].format(path=blocking.pos.path, ref=ref,
                                                       finding=where))
        if len(match.found) != 1:
            raise match.error()
        found = (tree, *match.found[0])
    tree, sheet, objective, kr = found
    path = Path(sheet.path)
    repo = git.probe(path.resolve())
    relpath = _relative(path, repo.root)
    state = git.path_status(repo.root, relpath) if repo.root and relpath else ""
    if state in git.UNMERGED:  # conflict resolved in the file, not yet in git
        raise FatalError(text["unmerged"].format(path=sheet.path))
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
    if note is not None:  # CRLF text (a file saved on Windows): the loader refuses a "\r"
        note = note.replace("\r\n", "\n").replace("\r", "\n")
        planned.append((Edit(jpath, "notes", note), "notes", kr.notes))
    planned = [(e, f, old) for e, f, old in planned if not same_value(old, e.value)]
    full_ref = sheet.ref(objective, kr)
    if not planned:
        print(text["unchanged"].format(path=sheet.path, ref=full_ref))
        return 0
    way = backwards_way(kr, new_current)
    if way is not None:  # a short ref that found another cycle's key result, or a typo
        values = {"ref": full_ref, "old": _show(kr.current), "new": _show(new_current),
                  "way": text[way]}
        if commit and not allow_backwards and not (
                prompt.is_interactive() and _confirm(text["backwards-commit"].format(**values)
                                                     + " " + text["backwards-ask"], chosen)):
            raise FatalError(text["backwards-commit"].format(**values))
        print(text["backwards"].format(**values), file=sys.stderr)
    if commit:  # before anything is written: what would stop the commit
        if repo.root is None or relpath is None:
            raise FatalError(text["no-repo"].format(path=sheet.path,
                                                    reason=repo.reason or "outside its work tree"))
        if state in ("??", "!!"):
            raise FatalError(text["untracked"].format(path=sheet.path))
        if state:
            raise FatalError(text["dirty"].format(path=sheet.path))
        operation = git.operation_in_progress(repo.root)
        if operation is not None:
            raise FatalError(text["in-progress"].format(operation=operation))
    edit_file(path, [e for e, _, _ in planned], shown=sheet.path, kind="okr", lang=chosen,
              base_digest=tree.digests.get(sheet.path))
    shown = [(f, old, e.value) for e, f, old in planned]
    parts = [text["change"].format(field=FIELD_NAMES[chosen][f], old=_show(o), new=_show(n))
             for f, o, n in shown if f != "notes"]
    parts += [FIELD_NAMES[chosen]["notes"] for f, _, _ in shown if f == "notes"]
    before = progress(kr.direction, kr.baseline, kr.target, kr.current)
    after = progress(kr.direction, kr.baseline, kr.target, new_current)
    if after is not None and before != after:
        parts.append(text["progress"].format(old=_percent(before), new=_percent(after)))
    print(text["done"].format(path=sheet.path, ref=full_ref, changes=", ".join(parts)))
    if not commit:
        print(text["hint"].format(path=sheet.path), file=sys.stderr)
        return 0
    assert repo.root is not None and relpath is not None
    message = commit_message(sheet, kr, shown)
    try:
        committed = git.commit_paths(repo.root, [relpath], message=message)
    except git.CommitFailed as err:
        # the edit stays: the user's value is in the file, and what the hook said is shown
        sys.stderr.write(err.output if err.output.endswith("\n") or not err.output
                         else err.output + "\n")
        raise FatalError(text["commit-failed"].format(path=sheet.path, reason=err.reason)
                         ) from err
    if committed.output:  # the hooks' lines, as `git commit` would show them
        sys.stderr.write(committed.output if committed.output.endswith("\n")
                         else committed.output + "\n")
    print(text["committed"].format(sha=committed.sha[:7], subject=message.partition("\n")[0]))
    return 0


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


def _relative(path: Path, root: Path | None) -> str | None:
    """`path` relative to the repository root, in git's spelling; None outside it."""
    if root is None:
        return None
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _show(value: Any) -> str:
    return "–" if value is None else format_scalar(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(clamp(value) * 100)}%"
