"""`okr checkin` in a real git repository: the diff is the check-in, `--commit` commits just
that sheet, a conflicted sheet is refused, and a file saved meanwhile is not overwritten."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gitrepo import GitRepo
from okrkit import yamlload
from okrkit.cli import main

SMALL = Path(__file__).resolve().parent.parent / "resources" / "small"
Q1 = "okrs/2026-Q1/marketing.yaml"
Q2 = "okrs/2026-Q2/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"
KAI = "Kai Lin <kai@example.com>"
START = "2026-01-05T10:00:00+08:00"

# comments everywhere, every quoting style, a flow mapping, block scalars, a `# okr:`
# directive and Traditional Chinese: a check-in must still change one line only
RICH_SALES = """\
# yaml-language-server: $schema=../../schema/okr.schema.json
# 業務部 2026 Q1 —— 每週一更新 current 與 confidence
cycle: '2026-Q1'          # single-quoted
team: "sales"             # double-quoted
owner: wei

objectives:
  # 第一個目標:營收
  - id: increase-sales
    title: '提高銷售額: "季度" 目標 # 不是註解'
    strategy: [brand]   # flow sequence
    key_results:
      # okr: disable-next-line OKR301 -- 與財務確認過的保守目標
      - id: quarter-revenue
        title: "季度營收達到 NT$500萬 (含 'B2B')"
        metric: 季度營收
        baseline: 4000000
        target: 5000000
        current:    4200000    # ERP, 一月底
        confidence: 0.5 # 業務主管估計
        owner: wei
      - {id: new-customers, title: 新客戶數量增加15%, baseline: 40, target: 46, current: 41}  # 流式
      - id: churn
        title: >-
          客戶流失率
          降至 5% 以下
        direction: decrease
        baseline: 8.0
        target: 5.0
        current: 7.5
        notes: |
          一月: 7.9
          二月: 7.5   # 不是註解
# 結尾的註解
"""


@pytest.fixture
def repo(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """tests/resources/small committed (sales.yaml: RICH_SALES), the current directory;
    today is 2026-02-14, and the caller's identity is Kai's."""
    shutil.copytree(SMALL / "okrs", git_repo.path / "okrs")
    git_repo.write(SALES, RICH_SALES)
    git_repo.commit("okrs: start 2026-Q1", date=START)
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Kai Lin")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "kai@example.com")
        monkeypatch.setenv(f"GIT_{who}_DATE", "2026-02-14T18:00:00+08:00")
    return git_repo


def checkin(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["checkin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def hunks(repo: GitRepo, *args: str) -> list[str]:
    """`git diff -U0`'s hunk headers (without git's function context) and changed lines."""
    lines = repo.git("diff", "-U0", "--no-color", *args).splitlines()
    return [re.sub(r"^(@@ [^@]* @@).*", r"\1", line) for line in lines
            if line.startswith(("@@", "-", "+")) and not line.startswith(("---", "+++"))]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "okrs").rglob("*"))
            if p.is_file()}


# -- the diff is the check-in ------------------------------------------------------------------


@pytest.mark.parametrize(("args", "numstat", "changed"), [
    (["quarter-revenue", "4350000"], "1\t1", [
        "@@ -19 +19 @@",
        "-        current:    4200000    # ERP, 一月底",
        "+        current:    4350000    # ERP, 一月底"]),
    (["sales/new-customers", "43"], "1\t1", [
        "@@ -22 +22 @@",
        "-      - {id: new-customers, title: 新客戶數量增加15%, baseline: 40, target: 46, "
        "current: 41}  # 流式",
        "+      - {id: new-customers, title: 新客戶數量增加15%, baseline: 40, target: 46, "
        "current: 43}  # 流式"]),
    (["churn", "7.1"], "1\t1", [
        "@@ -30 +30 @@",
        "-        current: 7.5",
        "+        current: 7.1"]),
    (["quarter-revenue", "4200000", "--confidence", "0.65"], "1\t1", [
        "@@ -20 +20 @@",
        "-        confidence: 0.5 # 業務主管估計",
        "+        confidence: 0.65 # 業務主管估計"]),
    (["churn", "7.5", "--confidence", "0.8"], "1\t0", [  # a missing key: one line added
        "@@ -30,0 +31 @@",
        "+        confidence: 0.8"]),
])
def test_a_checkin_changes_exactly_one_line(repo: GitRepo, capsys: pytest.CaptureFixture[str],
                                            args: list[str], numstat: str,
                                            changed: list[str]) -> None:
    assert checkin(capsys, *args)[0] == 0
    assert repo.git("diff", "--numstat") == f"{numstat}\t{SALES}\n"
    assert hunks(repo) == changed
    # and the sheet still loads to the same data but for that value
    doc, findings = yamlload.load_text(SALES, (repo.path / SALES).read_text(encoding="utf-8"))
    assert findings == [] and doc is not None


def test_value_and_confidence_are_two_adjacent_lines(repo: GitRepo,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert checkin(capsys, "quarter-revenue", "4350000", "--confidence", "0.6")[0] == 0
    assert repo.git("diff", "--numstat") == f"2\t2\t{SALES}\n"
    assert hunks(repo) == [
        "@@ -19,2 +19,2 @@",
        "-        current:    4200000    # ERP, 一月底",
        "-        confidence: 0.5 # 業務主管估計",
        "+        current:    4350000    # ERP, 一月底",
        "+        confidence: 0.6 # 業務主管估計"]


# -- --commit ---------------------------------------------------------------------------------


def test_commit_makes_a_commit_named_after_the_move(repo: GitRepo,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    start = repo.head()
    code, out, err = checkin(capsys, "marketing/unique-visitors", "55500", "--confidence",
                             "0.7", "-m", "GA 二月: 含自然流量", "--commit")
    subject = "checkin(marketing/unique-visitors): 53000 → 55500, confidence 0.6 → 0.7"
    head = repo.head()
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: current 53000 → 55500, "
        "confidence 0.6 → 0.7, notes, progress 30% → 55%",
        f"committed {head[:7]}: {subject}"]
    assert repo.git("rev-parse", "HEAD~1").strip() == start
    assert repo.git("log", "-1", "--format=%s%n%b") == f"{subject}\nGA 二月: 含自然流量\n\n"
    assert repo.git("log", "-1", "--format=%an <%ae> %aI | %cn %cI") == (
        "Kai Lin <kai@example.com> 2026-02-14T18:00:00+08:00 | Kai Lin "
        "2026-02-14T18:00:00+08:00\n")
    assert repo.git("show", "--name-only", "--format=", "HEAD") == f"{Q1}\n"
    assert repo.git("status", "--porcelain") == ""


def test_a_symlinked_sheet_stays_a_link_and_its_target_is_committed(
        repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    # teams that share one sheet file through a link: the check-in edits the file, not the link
    repo.write("shared/sales.yaml", RICH_SALES)
    (repo.path / SALES).unlink()
    (repo.path / SALES).symlink_to(Path("..") / ".." / "shared" / "sales.yaml")
    repo.commit("okrs: share the sales sheet")
    code, out, _ = checkin(capsys, "churn", "7.2", "--commit")
    assert code == 0, out
    assert (repo.path / SALES).is_symlink()
    assert repo.git("show", "--name-only", "--format=%s", "HEAD") == (
        "checkin(sales/churn): 7.5 → 7.2\n\nshared/sales.yaml\n")
    assert repo.git("status", "--porcelain") == ""


def test_commit_leaves_other_staged_files_staged(repo: GitRepo,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(SALES, RICH_SALES.replace("owner: wei\n\n", "owner: mei\n\n"))
    repo.git("add", SALES)
    repo.write("notes.txt", "mine\n")
    assert checkin(capsys, "unique-visitors", "57000", "--commit")[0] == 0
    assert repo.git("log", "-1", "--format=%s") == (
        "checkin(marketing/unique-visitors): 53000 → 57000\n")
    assert repo.git("show", "--name-only", "--format=", "HEAD") == f"{Q1}\n"
    assert repo.git("status", "--porcelain") == f"M  {SALES}\n?? notes.txt\n"


@pytest.mark.parametrize(("confidence", "subject", "body"), [
    # 72 columns: the confidence fits in the subject
    ("0.75", "checkin(marketing/unique-visitors): 53000 → 55500, confidence 0.6 → 0.75", ""),
    # 73: it goes to the body, before the note
    ("0.725", "checkin(marketing/unique-visitors): 53000 → 55500",
     "confidence 0.6 → 0.725\n\nGA\n"),
])
def test_a_long_subject_moves_the_confidence_to_the_body(
        repo: GitRepo, capsys: pytest.CaptureFixture[str], confidence: str, subject: str,
        body: str) -> None:
    args = ["unique-visitors", "55500", "--confidence", confidence, "--commit"]
    assert checkin(capsys, *args, *([] if not body else ["-m", "GA"]))[0] == 0
    assert repo.git("log", "-1", "--format=%s") == subject + "\n"
    assert repo.git("log", "-1", "--format=%b") == body + "\n"
    assert len(subject) <= 72


@pytest.mark.parametrize(("args", "subject", "body"), [
    (["guidelines", "true"], "checkin(marketing/guidelines): false → true", ""),
    (["unique-visitors", "53000", "--confidence", "0.5"],
     "checkin(marketing/unique-visitors): confidence 0.6 → 0.5", ""),
    (["unique-visitors", "53000", "-m", "一月\n二月"], "checkin(marketing/unique-visitors): notes",
     "一月\n二月\n"),
    # 2026-Q2's key result has no current value yet
    (["2026-Q2/unique-visitors", "61000"], "checkin(marketing/unique-visitors): – → 61000", ""),
])
def test_subjects(repo: GitRepo, capsys: pytest.CaptureFixture[str], args: list[str],
                  subject: str, body: str) -> None:
    assert checkin(capsys, *args, "--commit")[0] == 0
    assert repo.git("log", "-1", "--format=%s%n%b") == f"{subject}\n{body}\n"


def test_nothing_changed_commits_nothing(repo: GitRepo,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    start = repo.head()
    assert checkin(capsys, "unique-visitors", "53000", "--commit") == (
        0, f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: nothing changed\n", "")
    assert repo.head() == start


def test_uncommitted_changes_are_refused_before_anything_is_written(
        repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    start = repo.head()
    message = (f"okr: error: cannot commit: {Q1} has uncommitted changes that the check-in "
               "commit would include: commit or discard them first, or check in without "
               "--commit\n")
    edited = (repo.path / Q1).read_text(encoding="utf-8").replace("owner: mei\n\n",
                                                                   "owner: kai\n\n")
    repo.write(Q1, edited)  # unstaged
    before = snapshot(repo.path)
    assert checkin(capsys, "unique-visitors", "57000", "--commit") == (2, "", message)
    repo.git("add", Q1)  # staged
    assert checkin(capsys, "unique-visitors", "57000", "--commit") == (2, "", message)
    assert snapshot(repo.path) == before and repo.head() == start
    # without --commit the check-in joins the user's own edits, as before
    assert checkin(capsys, "unique-visitors", "57000")[0] == 0


def test_an_untracked_sheet_is_refused(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("okrs/2026-Q3/marketing.yaml",
               (SMALL / Q2).read_text(encoding="utf-8").replace("2026-Q2", "2026-Q3"))
    before = snapshot(repo.path)
    assert checkin(capsys, "2026-Q3/unique-visitors", "1", "--commit", "--lang", "zh-TW") == (
        2, "", "okr:錯誤:無法提交:okrs/2026-Q3/marketing.yaml 尚未 commit 過:請先 commit "
               "一次,或不加 --commit 執行\n")
    assert snapshot(repo.path) == before


def test_outside_a_repository_commit_is_refused(small_tree: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(small_tree)
    code, out, err = checkin(capsys, "unique-visitors", "57000", "--commit")
    assert (code, out) == (2, "")
    assert err.startswith(f"okr: error: cannot commit: {Q1} is not in a git repository (not a "
                          "git repository")
    assert err.endswith(")\n") and err.count("\n") == 1
    assert snapshot(small_tree) == before


def test_a_merge_in_progress_is_refused(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _conflict_in(repo, SALES, "current: 7.5", "current: 7.4", "current: 7.3")
    before = snapshot(repo.path)
    assert checkin(capsys, "unique-visitors", "57000", "--commit") == (
        2, "", "okr: error: cannot commit: a git merge is in progress: finish it first, or "
               "check in without --commit\n")
    assert snapshot(repo.path) == before


def test_a_refusing_hook_leaves_the_sheet_edited(repo: GitRepo,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    start = repo.head()
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'okrs: no check-ins on Fridays' >&2\nexit 1\n",
                    encoding="utf-8")
    hook.chmod(0o755)
    code, out, err = checkin(capsys, "unique-visitors", "57000", "--commit")
    assert (code, err) == (2, "okrs: no check-ins on Fridays\n"
                              f"okr: error: {Q1} is edited but not committed: okrs: no "
                              f"check-ins on Fridays; fix that, then run `git commit {Q1}`\n")
    assert out.startswith(f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: current "
                          "53000 → 57000")
    assert repo.head() == start
    assert repo.git("status", "--porcelain") == f" M {Q1}\n"
    assert hunks(repo) == ["@@ -16 +16 @@", "-        current: 53000   # GA, 一月",
                           "+        current: 57000   # GA, 一月"]


def test_no_identity_leaves_the_sheet_edited(repo: GitRepo, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        for what in ("NAME", "EMAIL"):
            monkeypatch.delenv(f"GIT_{who}_{what}")
    repo.git("config", "user.useConfigOnly", "true")
    code, _, err = checkin(capsys, "unique-visitors", "57000", "--commit")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"okr: error: {Q1} is edited but not committed: no email was given and "
        f"auto-detection is disabled; fix that, then run `git commit {Q1}`")
    assert repo.git("status", "--porcelain") == f" M {Q1}\n"


# -- merge conflicts ----------------------------------------------------------------------------


def _conflict_in(repo: GitRepo, relpath: str, old: str, ours: str, theirs: str) -> None:
    """Change `old` to `theirs` on a branch and to `ours` on main, then merge: it fails."""
    text = (repo.path / relpath).read_text(encoding="utf-8")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(relpath, text.replace(old, theirs))
    repo.commit("side: check-in", author=KAI, date="2026-02-10T09:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.write(relpath, text.replace(old, ours))
    repo.commit("main: check-in", date="2026-02-11T09:00:00+08:00")
    result = subprocess.run(["git", "merge", "-q", "side"], cwd=repo.path, capture_output=True,
                            check=False)
    assert result.returncode != 0 and "<<<<<<< HEAD" in (repo.path / relpath).read_text(
        encoding="utf-8")


CONFLICT = (f"okr: error: {Q1}:16:1: unresolved merge conflict marker '<<<<<<<': resolve the "
            "conflict first\n")


@pytest.mark.parametrize("ref", [
    "2026-Q1/marketing/brand-awareness/unique-visitors",  # not found: the sheet did not load
    # the short form would resolve to 2026-Q2's key result while 2026-Q1's does not load
    "unique-visitors",
    "social-followers",  # the same sheet, a line the conflict does not touch
])
def test_a_conflicted_sheet_is_refused(repo: GitRepo, capsys: pytest.CaptureFixture[str],
                                       ref: str) -> None:
    _conflict_in(repo, Q1, "current: 53000", "current: 56000", "current: 55000")
    before = snapshot(repo.path)
    assert checkin(capsys, ref, "57000") == (2, "", CONFLICT)
    assert checkin(capsys, ref, "57000", "--commit") == (2, "", CONFLICT)
    assert snapshot(repo.path) == before


def test_a_typo_is_not_blamed_on_a_conflict(repo: GitRepo,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # no sheet in conflict mentions 'unique-visitor' (a part of a word is no match)
    _conflict_in(repo, Q1, "current: 53000", "current: 56000", "current: 55000")
    assert checkin(capsys, "unique-visitor", "57000") == (
        2, "", "okr: error: no key result matches 'unique-visitor' (did you mean "
               "'unique-visitors'?)\n")


def test_a_conflict_elsewhere_does_not_stop_a_checkin(repo: GitRepo,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _conflict_in(repo, SALES, "current: 7.5", "current: 7.4", "current: 7.3")
    assert checkin(capsys, "unique-visitors", "57000")[0] == 0
    assert checkin(capsys, "churn", "7.2") == (
        2, "", f"okr: error: {SALES}:30:1: unresolved merge conflict marker '<<<<<<<': "
               "resolve the conflict first\n")


def test_lint_names_the_conflict_marker(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _conflict_in(repo, Q1, "current: 53000", "current: 56000", "current: 55000")
    code = main(["lint", Q1])
    out = capsys.readouterr().out
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith(Q1)] == [
        f"{Q1}:16:1: OKR001 [error] unresolved merge conflict marker '<<<<<<<': resolve the "
        "conflict first"]


def test_a_sheet_still_unmerged_in_git_is_refused(repo: GitRepo,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _conflict_in(repo, Q1, "current: 53000", "current: 56000", "current: 55000")
    resolved = (SMALL / Q1).read_text(encoding="utf-8").replace("current: 53000",
                                                                 "current: 56000")
    repo.write(Q1, resolved)  # the markers are gone, but git does not know yet
    before = snapshot(repo.path)
    assert checkin(capsys, "unique-visitors", "57000") == (
        2, "", f"okr: error: {Q1}: unresolved merge conflict (git lists the file as unmerged): "
               f"resolve it and run `git add {Q1}` first\n")
    assert snapshot(repo.path) == before
    repo.git("add", Q1)
    assert checkin(capsys, "unique-visitors", "57000")[0] == 0


# -- a file saved while the check-in was being decided -------------------------------------------


OTHER = (SMALL / Q1).read_text(encoding="utf-8").replace("current: 53000", "current: 54321")
CHANGED = f"okr: error: {Q1} changed since it was read: run the command again\n"


def test_the_tree_keeps_a_digest_of_each_file_it_read(repo: GitRepo) -> None:
    from okrkit.config import load_config
    from okrkit.tree import load_tree

    config, _ = load_config(repo.path)
    tree, _ = load_tree(config)
    # the sheets and org.yaml (what a kept page or hit under `mkdocs serve` was made of)
    assert {p: d for p, d in tree.digests.items() if p.endswith(".yaml")} == {
        relpath: yamlload.digest((repo.path / relpath).read_bytes())
        for relpath in (Q1, Q2, SALES, "okrs/org.yaml")}


@pytest.mark.parametrize(("where", "commit"), [
    ("okrkit.commands.checkin.match_kr_refs", []),  # right after the tree was read
    # with --commit, after git said the sheet is clean: the last look before the edit
    ("okrkit.git.path_status", ["--commit"]),
])
def test_a_save_after_the_tree_was_read_is_kept(repo: GitRepo,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch, where: str,
                                               commit: list[str]) -> None:
    module, _, name = where.rpartition(".")
    real = getattr(importlib.import_module(module), name)

    def then_save(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        repo.write(Q1, OTHER)  # an editor saving at that moment
        return result

    monkeypatch.setattr(where, then_save)
    start = repo.head()
    assert checkin(capsys, "unique-visitors", "57000", *commit) == (2, "", CHANGED)
    assert (repo.path / Q1).read_text(encoding="utf-8") == OTHER
    assert repo.head() == start


def test_a_save_while_the_edit_is_computed_is_kept(repo: GitRepo,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import okrkit.yamledit

    real = okrkit.yamledit._apply

    def save_meanwhile(*args: Any, **kwargs: Any) -> Any:
        repo.write(Q1, OTHER)  # after edit_file read the file, before it replaces it
        return real(*args, **kwargs)

    monkeypatch.setattr(okrkit.yamledit, "_apply", save_meanwhile)
    assert checkin(capsys, "unique-visitors", "57000", "--lang", "zh-TW") == (
        2, "", f"okr:錯誤:{Q1} 在讀取後被修改過:請重新執行指令\n")
    assert (repo.path / Q1).read_text(encoding="utf-8") == OTHER
    assert sorted(p.name for p in (repo.path / Q1).parent.iterdir()) == ["marketing.yaml",
                                                                         "sales.yaml"]
