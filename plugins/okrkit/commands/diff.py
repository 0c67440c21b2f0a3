"""`okr diff [A] [B]`: the semantic diff between two revisions, or a revision and the work tree.

Default A: the merge base of HEAD with the main branch (config `main_branch`,
default `main`; else `origin/<main>`; else HEAD itself), which is what a pull
request changes. Default B: the working tree. A goal post made easier after
the cycle started is a warning unless the KR's `revisions:` records it, or a
commit between A and B (or HEAD) that changed it carries an `OKR-Reason:`
trailer. The exit code is 0 whatever the diff says: it informs, `okr lint`
judges.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from okrkit import diff as diff_module
from okrkit import git, history, i18n
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.history import Repository, tree_at
from okrkit.model import Value
from okrkit.tree import Tree, load_tree

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "work-tree": "working tree",
        "no-repo": "okr diff compares git revisions, and {path} is not in a git repository "
                   "({reason})",
        "no-commits": "the repository has no commits yet: nothing to compare with",
        "no-main": "no branch {branch} or origin/{branch}: comparing with HEAD",
        "no-merge-base": "HEAD and {branch} have no common commit here (a shallow clone? "
                         "fetch with `fetch-depth: 0`): comparing with HEAD",
        "base": "{branch} (merge base {sha})",
    },
    "zh-TW": {
        "work-tree": "工作目錄",
        "no-repo": "okr diff 比較的是 git 版本,而 {path} 不在 git 儲存庫中({reason})",
        "no-commits": "儲存庫還沒有任何 commit:沒有可比較的版本",
        "no-main": "找不到分支 {branch} 或 origin/{branch}:改與 HEAD 比較",
        "no-merge-base": "HEAD 與 {branch} 在此沒有共同的 commit(淺層複製?請以 `fetch-depth: 0` "
                         "取得完整歷史):改與 HEAD 比較",
        "base": "{branch}(合併基準 {sha})",
    },
}


def default_base(config: Config, root: Path, lang: str) -> tuple[str, str, list[str]]:
    """(revision, label, warnings): the merge base with the main branch, else HEAD."""
    msg = MESSAGES[lang]
    if git.head_sha(root) is None:
        raise FatalError(msg["no-commits"])
    branch = config.main_branch
    found = None
    for candidate in (branch, f"origin/{branch}"):
        if git.rev_parse(root, candidate) is None:
            continue
        found = found or candidate
        base = git.merge_base(root, "HEAD", candidate)
        if base is not None:
            return base, msg["base"].format(branch=candidate, sha=base[:7]), []
    if found is not None:  # a shallow clone cuts the branches apart
        return "HEAD", "HEAD", [msg["no-merge-base"].format(branch=found)]
    return "HEAD", "HEAD", [msg["no-main"].format(branch=branch)]


def _color(setting: str) -> bool:
    if setting == "always":
        return True
    if setting == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@dataclass(frozen=True, slots=True)
class Compared:
    """What `okr diff` shows, before it is rendered."""

    diff: diff_module.TreeDiff
    old_rev: str  # what A resolved to (the merge base by default)
    old_label: str
    new_label: str
    warnings: tuple[str, ...]  # one line each, in `lang`


def locate(config: Config, lang: str) -> Repository:
    """The repository, or the command's one-line reason why there is none."""
    try:
        return history.locate(config)
    except history.NotARepository as err:
        raise FatalError(MESSAGES[lang]["no-repo"].format(
            path=config.display_path(config.root), reason=err.reason)) from err


def compare(config: Config, repo: Repository, a: str | None, b: str | None, lang: str
            ) -> Compared:
    """The semantic diff from `a` (default: the merge base) to `b` (default: the work tree),
    with the reasons and original targets the history of the range records."""
    warnings: list[str] = []
    if a is None:
        old_rev, old_label, warnings = default_base(config, repo.root, lang)
    else:
        old_rev, old_label = a, a
    old_tree = tree_at(config, repo, old_rev)
    if b is None:
        new_tree, _ = load_tree(config)
        new_label = MESSAGES[lang]["work-tree"]
    else:
        new_tree = tree_at(config, repo, b)
        new_label = b
    today = today_from_env()
    # `cycle/team` of the sheets that did not load on either side: not compared
    skip = sorted({f"{Path(p).parent.name}/{Path(p).stem}"
                   for p in [*old_tree.unloaded, *new_tree.unloaded]})
    result = diff_module.diff_trees(old_tree, new_tree, today=today, skip=skip)
    reasons, originals = _from_history(config, repo, result, old_rev, b, new_tree)
    if reasons or originals:
        result = diff_module.diff_trees(old_tree, new_tree, today=today, skip=skip,
                                        reasons=reasons, originals=originals)
    return Compared(result, old_rev, old_label, new_label, tuple(warnings))


def diff(a: str | None, b: str | None, *, lang: str | None, output_format: str,
         color: str = "auto") -> int:
    config, _ = load_config(find_root(Path.cwd()))
    chosen = i18n.choose(lang, config.language)
    found = compare(config, locate(config, chosen), a, b, chosen)
    for warning in found.warnings:
        print(f"okr: warning: {warning}", file=sys.stderr)
    old_label, new_label = found.old_label, found.new_label
    if output_format == "json":
        sys.stdout.write(diff_module.as_json(found.diff, old_label=old_label,
                                             new_label=new_label))
    elif output_format == "markdown":
        sys.stdout.write(diff_module.render_markdown(found.diff, chosen, old_label=old_label,
                                                     new_label=new_label))
    else:
        sys.stdout.write(diff_module.render_text(found.diff, chosen, old_label=old_label,
                                                 new_label=new_label, color=_color(color)))
    return 0


def _from_history(config: Config, repo: Repository, result: diff_module.TreeDiff,
                  old_rev: str, new_rev: str | None, new_tree: Tree
                  ) -> tuple[dict[str, str], dict[str, Value]]:
    """OKR-Reason trailers in the range and targets at the cycle start, for the KRs whose
    goal posts moved: the history of their sheets only, and only when there are any."""
    moved = [kr for kr in result.krs() if kr.goal_posts or any(
        c.field == "target" for c in kr.plan)]
    if not moved:
        return {}, {}
    prefixes = {kr.ref.rsplit("/", 2)[0] for kr in moved}
    # a revision's sheet paths are relative to the repository, the work tree's to the
    # current folder; either way the sheets' own (a .yml sheet too)
    top = repo.root if new_rev is not None else Path()
    paths = [top / s.path for s in new_tree.sheets if f"{s.cycle_id}/{s.team}" in prefixes]
    found = history.read_history(config, paths, rev=new_rev or "HEAD", repo=repo)
    if not found.available:
        return {}, {}
    end = new_rev or "HEAD"
    in_range = set(git.rev_list(repo.root, f"{old_rev}..{end}"))
    reasons: dict[str, str] = {}
    originals: dict[str, Value] = {}
    for kr in moved:
        original = found.original_target(kr.ref)
        if original is not None:
            originals[kr.ref] = original
        for point in found.plan_changes(kr.ref):
            trailer = point.commit.trailers.get(history.REASON_TRAILER)
            moved_post = "target" in point.changed or "baseline" in point.changed
            if point.commit.sha in in_range and trailer and moved_post:
                reasons[kr.ref] = trailer
    return reasons, originals
