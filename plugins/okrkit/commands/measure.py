"""`okr measure [REFS...] [--dry-run] [--commit] [--format text|json] [--jobs N]`.

Every key result with `measure:` in the active cycles (or those REFS name) is
measured from its source (`okrkit.sources`), a few at a time in threads (the
work is waiting on databases and HTTP). The changed values are written as
`current:` with the same surgical edit as `okr checkin` (confidence is people's
judgement and stays), every sheet prepared before any is written; with
`--commit`, one commit of just those sheets, `measure: N key results`, with an
`OKR-Measured:` trailer per key result: the history reader and the site see a
check-in like any other, and know it was measured.

A source that fails is reported at its key result's `measure:` (file:line, both
languages) and the others are still measured and written: exit 1. An ended
cycle's values are final: its key results are measured only when named, and
then refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrkit import git, i18n, numbers
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.findings import Pos
from okrkit.i18n import one_line
from okrkit.model import KeyResult, Objective, Sheet
from okrkit.pairing import same_value
from okrkit.tree import Tree, is_subsequence, load_tree, split_ref
from okrkit.yamledit import Edit, PreparedEdit, format_scalar, prepare_edit

TRAILER = "OKR-Measured"
DEFAULT_JOBS = 8

REMOTE = "origin"
PUSH_ATTEMPTS = 5  # as the issue-form check-ins
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "changed": "{pos}: {ref}: {old} → {new} ({source})",
        "unchanged": "{pos}: {ref}: {new} ({source}, unchanged)",
        "failed": "{pos}: error: {ref}: {source}: {message} [{code}]",
        "ended": "cycle {cycle} ended on {end}: its values are final",
        "bool-target": "a done-or-not milestone (target true/false) cannot take a measured "
                       "number",
        "none": "no key result with measure: in the active cycles",
        "no-match": "no key result with measure: matches '{ref}'",
        "unloaded": "{pos}: error: {message} (its key results are not measured)",
        "summary": "measured {ok} of {total} key results in {seconds:.1f} s: {changed} changed, "
                   "{unchanged} unchanged, {failed} failed",
        "dry-run": "dry run: nothing written",
        "committed": "committed {sha}: {subject}",
        "written": "written, not committed: {paths}",
        "nothing": "nothing changed: nothing written",
        "no-repo": "cannot commit: {path} is not in a git repository ({reason})",
        "untracked": "cannot commit: {path} is not committed yet: commit it once first",
        "dirty": "cannot commit: {path} has uncommitted changes that the measure commit would "
                 "include: commit or discard them first, or run without --commit",
        "in-progress": "cannot commit: a git {operation} is in progress: finish it first",
        "commit-failed": "the sheets are written but not committed: {reason}",
        "bad-jobs": "--jobs must be at least 1",
        "push-needs-commit": "--push needs --commit (and no --dry-run)",
        "pushed": "pushed {sha} to {remote}/{branch}",
        "no-origin": "--push: this repository has no remote 'origin'",
    },
    "zh-TW": {
        "changed": "{pos}:{ref}:{old} → {new}({source})",
        "unchanged": "{pos}:{ref}:{new}({source},未變)",
        "failed": "{pos}:錯誤:{ref}:{source}:{message} [{code}]",
        "ended": "週期 {cycle} 已於 {end} 結束:數值已定案",
        "bool-target": "只有完成與否的里程碑(target 為 true/false)不能填入量測到的數字",
        "none": "進行中的週期裡沒有任何關鍵結果設定了 measure:",
        "no-match": "沒有設定 measure: 的關鍵結果符合「{ref}」",
        "unloaded": "{pos}:錯誤:{message}(其中的關鍵結果未量測)",
        "summary": "在 {seconds:.1f} 秒內量測了 {total} 個關鍵結果中的 {ok} 個:{changed} 個變更、"
                   "{unchanged} 個未變、{failed} 個失敗",
        "dry-run": "試跑:沒有寫入任何檔案",
        "committed": "已提交 {sha}:{subject}",
        "written": "已寫入但尚未提交:{paths}",
        "nothing": "沒有任何變更:沒有寫入任何檔案",
        "no-repo": "無法提交:{path} 不在 git 儲存庫中({reason})",
        "untracked": "無法提交:{path} 尚未 commit 過:請先 commit 一次",
        "dirty": "無法提交:{path} 有尚未提交的變更,量測的 commit 會把它們一併納入:請先 commit "
                 "或捨棄這些變更,或不加 --commit 執行",
        "in-progress": "無法提交:git 的 {operation} 尚未完成:請先完成它",
        "commit-failed": "表單已寫入但尚未提交:{reason}",
        "bad-jobs": "--jobs 至少要是 1",
        "push-needs-commit": "--push 需要搭配 --commit(且不可加 --dry-run)",
        "pushed": "已將 {sha} 推送到 {remote}/{branch}",
        "no-origin": "--push:這個儲存庫沒有名為 origin 的遠端",
    },
}


@dataclass(frozen=True, slots=True)
class Target:
    """One key result to measure, and where its `measure:` is."""

    sheet: Sheet
    objective: Objective
    kr: KeyResult
    ref: str
    pos: Pos
    cycle_start: dt.date
    cycle_end: dt.date
    refused: str | None = None  # message key: why it is not measured


@dataclass(frozen=True, slots=True)
class Outcome:
    target: Target
    value: int | float | None  # the new current, as written to YAML
    error: dict[str, str] | None  # {en, zh-TW}
    code: str | None

    @property
    def changed(self) -> bool:
        return self.value is not None and not same_value(self.target.kr.current, self.value)


def measure(refs: Sequence[str], *, dry_run: bool = False, commit: bool = False,
            push: bool = False, output_format: str = "text", jobs: int = DEFAULT_JOBS,
            lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    if jobs < 1:
        raise FatalError(text["bad-jobs"])
    if push and (not commit or dry_run):
        raise FatalError(text["push-needs-commit"])
    today = today_from_env()
    tree, _ = load_tree(config)
    targets = _targets(tree, refs, today, text)
    started = time.monotonic()
    outcomes = _measure_all(targets, root, today, jobs)
    elapsed = time.monotonic() - started
    changed = [o for o in outcomes if o.changed]
    prepared = [] if dry_run else _prepare(changed, tree, chosen)
    repo_root: Path | None = None
    relpaths: list[str] = []
    if commit and prepared:
        repo_root, relpaths = _commit_checks([p.path for p in prepared], text)
    for edit in prepared:  # all prepared (and checked) before any is written
        edit.write()
    committed: git.Committed | None = None
    commit_error: str | None = None
    if commit and prepared:
        assert repo_root is not None
        try:
            committed = git.commit_paths(repo_root, relpaths, message=commit_message(changed))
        except git.CommitFailed as err:
            sys.stderr.write(err.output if err.output.endswith("\n") or not err.output
                             else err.output + "\n")
            commit_error = err.reason
    if push and committed is not None:
        assert repo_root is not None
        pushed = _push(repo_root, config, changed, today, chosen)
        committed = dataclasses.replace(committed, sha=pushed.sha)
        print(text["pushed"].format(sha=pushed.sha[:7], remote=REMOTE,
                                    branch=git.current_branch(repo_root) or config.main_branch),
              file=sys.stderr)
    failed = [o for o in outcomes if o.error is not None]
    unloaded = _unloaded_with_measure(tree)
    if output_format == "json":
        _print_json(outcomes, prepared, committed, unloaded, chosen, dry_run=dry_run)
    else:
        _print_text(outcomes, prepared, committed, unloaded, text, chosen, elapsed,
                    dry_run=dry_run, commit=commit)
    if commit_error is not None:
        raise FatalError(text["commit-failed"].format(reason=commit_error))
    return 1 if failed or unloaded else 0


def _targets(tree: Tree, refs: Sequence[str], today: dt.date, text: dict[str, str]
             ) -> list[Target]:
    """The measured key results of the active cycles, or of those `refs` name."""
    every: dict[str, Target] = {}
    for sheet, objective, kr in tree.key_results():
        if kr.measure is None:
            continue
        cycle = tree.cycle(sheet.cycle_id)
        if cycle is None:  # OKR006: `okr lint` reports it
            continue
        refused = None
        if cycle.end < today:
            refused = "ended"
        elif isinstance(kr.target, bool):
            refused = "bool-target"
        ref = sheet.ref(objective, kr)
        every[ref] = Target(sheet, objective, kr, ref, kr.src.pos("measure", key=True),
                            cycle.start, cycle.end, refused)
    if not refs:
        active = [t for t in every.values()
                  if t.refused != "ended" and t.cycle_start <= today]
        if not every or not active:
            print(text["none"], file=sys.stderr)
        return active
    chosen: dict[str, Target] = {}
    for ref in refs:
        # ids in order, any of cycle/team/objective/kr: `2026-Q1/growth`, `growth`,
        # `growth/organic-sessions`, `organic-sessions`
        parts = split_ref(ref)
        found = [t for r, t in every.items() if parts and is_subsequence(parts, r.split("/"))]
        if not found:
            raise FatalError(text["no-match"].format(ref=ref))
        chosen.update((t.ref, t) for t in found)
    return list(chosen.values())


def _measure_all(targets: Sequence[Target], root: Path, today: dt.date, jobs: int
                 ) -> list[Outcome]:
    from okrkit import sources
    from okrkit.sources.base import Context, MeasureError

    env = dict(os.environ)
    sources.preload(t.kr.measure.source for t in targets
                    if t.kr.measure is not None and t.refused is None)

    def one(target: Target) -> Outcome:
        if target.refused is not None:
            messages = {lang: MESSAGES[lang][target.refused].format(
                cycle=target.sheet.cycle_id, end=target.cycle_end.isoformat())
                for lang in MESSAGES}
            return Outcome(target, None, messages, target.refused)
        assert target.kr.measure is not None
        ctx = Context(root, target.cycle_start, target.cycle_end, today, env,
                      unit=target.kr.unit)
        try:
            number = sources.measure(target.kr.measure.spec, ctx)
        except MeasureError as err:
            return Outcome(target, None, dict(err.messages), err.code)
        return Outcome(target, numbers.to_yaml(number), None, None)

    if len(targets) <= 1 or jobs == 1:
        return [one(t) for t in targets]
    with ThreadPoolExecutor(max_workers=min(jobs, len(targets))) as pool:
        return list(pool.map(one, targets))


def _push(root: Path, config: Config, changed: Sequence[Outcome], today: dt.date,
          lang: str) -> git.Pushed:
    """Push the measure commit with the check-ins' bounded retry (git.push_with_retry):
    when someone pushed in between, the same measured values are written again on their
    commits, where they still differ, and committed again. Never a force push."""
    text = MESSAGES[lang]
    if not git.has_remote(root, REMOTE):
        raise FatalError(MESSAGES["en"]["no-origin"], zh=MESSAGES["zh-TW"]["no-origin"])
    branch = git.current_branch(root) or config.main_branch
    values = {o.target.ref: o.value for o in changed}

    def reapply() -> str | None:
        tree, _ = load_tree(config)
        again = [Outcome(t, values[t.ref], None, None)
                 for t in _targets(tree, list(values), today, text)
                 if t.ref in values and t.refused is None]
        again = [o for o in again if o.changed]
        if not again:  # their commits hold these values already
            return None
        prepared = _prepare(again, tree, lang)
        _, relpaths = _commit_checks([p.path for p in prepared], text)
        for edit in prepared:
            edit.write()
        return git.commit_paths(root, relpaths, message=commit_message(again)).sha

    return git.push_with_retry(root, remote=REMOTE, branch=branch, reapply=reapply,
                               attempts=PUSH_ATTEMPTS)


def _prepare(changed: Sequence[Outcome], tree: Tree, lang: str) -> list[PreparedEdit]:
    by_sheet: dict[str, list[Outcome]] = {}
    for outcome in changed:
        by_sheet.setdefault(outcome.target.sheet.path, []).append(outcome)
    prepared = []
    for shown, outcomes in by_sheet.items():
        edits = [Edit(o.target.kr.src.jpath, "current", o.value, after=("target", "baseline"))
                 for o in outcomes]
        prepared.append(prepare_edit(Path(shown), edits, shown=shown, kind="okr", lang=lang,
                                     base_digest=tree.digests.get(shown)))
    return prepared


def _commit_checks(paths: Sequence[Path], text: dict[str, str]) -> tuple[Path, list[str]]:
    """What would stop the commit, found before anything is written."""
    repo = git.probe(paths[0].resolve())
    relpaths = []
    for path in paths:
        relpath = git.relative_path(path, repo.root)
        state = git.path_status(repo.root, relpath) if repo.root and relpath else ""
        git.check_committable(repo, relpath, state, str(path), text)
        assert relpath is not None
        relpaths.append(relpath)
    assert repo.root is not None
    return repo.root, relpaths


def commit_message(changed: Sequence[Outcome]) -> str:
    """`measure: 7 key results`, then one `OKR-Measured: ref = value (source)` each.

    English whatever the user's language: the log is shared.
    """
    subject = committed_subject(len(changed))
    trailers = [f"{TRAILER}: {o.target.ref} = {format_scalar(o.value)} ({_source(o.target)})"
                for o in sorted(changed, key=lambda o: o.target.ref)]
    return subject + "\n\n" + "\n".join(trailers) + "\n"


def _source(target: Target) -> str:
    return target.kr.measure.source if target.kr.measure is not None else "?"


def _unloaded_with_measure(tree: Tree) -> list[tuple[str, Any]]:
    """The sheets that did not load and have a `measure:` (they cannot be measured)."""
    found = []
    for shown, finding in tree.unloaded.items():
        try:
            raw = Path(shown).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "measure:" in raw:
            found.append((shown, finding))
    return found


def _show(value: Any) -> str:
    return "–" if value is None else format_scalar(value)


def _print_text(outcomes: Sequence[Outcome], prepared: Sequence[PreparedEdit],
                committed: git.Committed | None, unloaded: Sequence[tuple[str, Any]],
                text: dict[str, str], lang: str, elapsed: float, *, dry_run: bool,
                commit: bool) -> None:
    for outcome in outcomes:
        t = outcome.target
        common = {"pos": t.pos, "ref": t.ref, "source": _source(t)}
        if outcome.error is not None:
            message = one_line(outcome.error.get(lang) or outcome.error["en"])
            print(text["failed"].format(message=message, code=outcome.code, **common))
        elif outcome.changed:
            print(text["changed"].format(old=_show(t.kr.current), new=_show(outcome.value),
                                         **common))
        else:
            print(text["unchanged"].format(new=_show(outcome.value), **common))
    for _shown, finding in unloaded:
        print(text["unloaded"].format(pos=finding.pos, message=finding.message(lang)))
    failed = sum(o.error is not None for o in outcomes)
    changed = sum(o.changed for o in outcomes)
    print(text["summary"].format(ok=len(outcomes) - failed, total=len(outcomes),
                                 changed=changed, unchanged=len(outcomes) - failed - changed,
                                 failed=failed, seconds=elapsed))
    if dry_run:
        print(text["dry-run"])
    elif committed is not None:
        subject = committed_subject(changed)
        print(text["committed"].format(sha=committed.sha[:7], subject=subject))
    elif prepared and not commit:
        print(text["written"].format(paths=", ".join(p.shown for p in prepared)))
    elif not prepared:
        print(text["nothing"])


def committed_subject(count: int) -> str:
    return f"measure: {count} key result{'s' if count != 1 else ''}"


def _print_json(outcomes: Sequence[Outcome], prepared: Sequence[PreparedEdit],
                committed: git.Committed | None, unloaded: Sequence[tuple[str, Any]],
                lang: str, *, dry_run: bool) -> None:
    rows = []
    for outcome in outcomes:
        t = outcome.target
        row: dict[str, Any] = {
            "ref": t.ref, "path": t.pos.path, "line": t.pos.line, "column": t.pos.col,
            "source": _source(t), "old": t.kr.current,
        }
        if outcome.error is not None:
            row.update(status="failed", code=outcome.code,
                       message=outcome.error.get(lang) or outcome.error["en"],
                       messages=outcome.error)
        else:
            row.update(status="changed" if outcome.changed else "unchanged",
                       new=outcome.value)
        rows.append(row)
    document = {
        "key_results": rows,
        "unloaded": [{"path": f.pos.path, "line": f.pos.line, "column": f.pos.col,
                      "code": f.code, "message": f.message(lang)} for _, f in unloaded],
        "dry_run": dry_run,
        "written": [p.shown for p in prepared],
        "commit": committed.sha if committed is not None else None,
    }
    print(json.dumps(document, ensure_ascii=False, indent=2))
