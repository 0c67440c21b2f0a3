"""okrkit.git on real repositories: the environment, probes, the raw log and the blob stream."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from history_helpers import FANG, KAI, at
from okrkit import git
from okrkit.errors import FatalError


def test_the_callers_git_variables_do_not_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    # what a pre-commit hook runs with: they would point git at another index or repo
    monkeypatch.setenv("GIT_INDEX_FILE", "/nowhere/index")
    monkeypatch.setenv("GIT_DIR", "/nowhere/.git")
    monkeypatch.setenv("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    env = git.git_env()
    assert "GIT_INDEX_FILE" not in env and "GIT_DIR" not in env
    assert env["GIT_SSH_COMMAND"] == "ssh -o BatchMode=yes"
    assert env["LC_ALL"] == "C" and env["GIT_PAGER"] == "cat"


def test_probe_finds_the_top_of_the_work_tree(git_repo) -> None:  # type: ignore[no-untyped-def]
    (git_repo.path / "okrs" / "2026-Q1").mkdir(parents=True)
    found = git.probe(git_repo.path / "okrs" / "2026-Q1")
    assert found.root is not None and found.root.resolve() == git_repo.path.resolve()
    assert git.repo_root(git_repo.path / "okrs" / "no-such-folder") == found.root


def test_probe_outside_a_repository_says_why(tmp_path: Path) -> None:
    found = git.probe(tmp_path)
    assert found.root is None
    assert "not a git repository" in found.reason and "\n" not in found.reason
    assert git.repo_root(tmp_path) is None


def test_probe_says_head_and_shallow_in_the_same_process(git_repo, tmp_path: Path
                                                         ) -> None:  # type: ignore[no-untyped-def]
    found = git.probe(git_repo.path)
    assert found.root is not None and found.head is None and not found.shallow  # no commit
    for n in range(2):
        git_repo.write("okrs/a.yaml", f"a: {n}\n")
        last = git_repo.commit(f"c{n}", date=at(f"2026-01-0{n + 5}"))
    found = git.probe(git_repo.path / "okrs")
    assert found.head == last and not found.shallow
    assert found.root is not None and found.root.resolve() == git_repo.path.resolve()
    clone = tmp_path / "clone"
    git_repo.clone(clone, depth=1)
    shallow = git.probe(clone)
    assert shallow.head == last and shallow.shallow
    inside = git.probe(git_repo.path / ".git")
    assert inside.root is None and inside.reason


def test_heads_branches_and_revisions(git_repo) -> None:  # type: ignore[no-untyped-def]
    assert git.head_sha(git_repo.path) is None  # no commits yet
    git_repo.write("okrs/a.yaml", "a: 1\n")
    first = git_repo.commit("first", date=at("2026-01-05"))
    git_repo.write("okrs/a.yaml", "a: 2\n")
    second = git_repo.commit("second", date=at("2026-01-06"))
    assert git.head_sha(git_repo.path) == second
    assert git.rev_parse(git_repo.path, "HEAD~1") == first
    assert git.rev_parse(git_repo.path, "no-such-branch") is None
    assert git.rev_parse(git_repo.path, "--version") is None  # not an option
    assert git.rev_list(git_repo.path, f"{first}..HEAD") == [second]
    git_repo.git("checkout", "-q", "--detach", first)
    assert git.merge_base(git_repo.path, "HEAD", "main") == first


def test_a_failing_command_is_one_fatal_line(git_repo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FatalError) as info:
        git.output(git_repo.path, "log", "no-such-revision")
    assert str(info.value).startswith("git log failed: ")
    assert "\n" not in str(info.value)


def test_shallow_clones_know_their_graft(git_repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        git_repo.write("okrs/a.yaml", f"a: {n}\n")
        last = git_repo.commit(f"c{n}", date=at(f"2026-01-0{n + 5}"))
    assert not git.is_shallow(git_repo.path)
    clone = tmp_path / "clone"
    git_repo.clone(clone, depth=1)
    assert git.is_shallow(clone)
    assert git.shallow_commits(clone) == frozenset({last})
    assert git.shallow_commits(git_repo.path) == frozenset()


def test_dirty_means_uncommitted_changes_under_the_path(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/a.yaml", "a: 1\n")
    git_repo.write("README.md", "hi\n")
    git_repo.commit("first", date=at("2026-01-05"))
    assert not git.is_dirty(git_repo.path, "okrs")
    assert not git.is_dirty_later(git_repo.path, "okrs")()
    git_repo.write("README.md", "changed\n")
    assert not git.is_dirty(git_repo.path, "okrs")
    git_repo.write("okrs/new.yaml", "b: 1\n")  # untracked counts
    assert git.is_dirty(git_repo.path, "okrs")
    # asked first, answered later (the history read asks before it reads the log)
    answer = git.is_dirty_later(git_repo.path, "okrs")
    assert answer()
    assert not git.is_dirty_later(git_repo.path / "nowhere", "okrs")()  # git fails: clean


def test_log_raw_lists_changes_renames_trailers_and_merges(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/q/s.yaml", "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n")
    git_repo.write("README.md", "not in the pathspec\n")
    first = git_repo.commit("first", author=KAI, date=at("2026-01-05"))
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.write("okrs/q/s.yaml", "a: 10\nb: 2\nc: 3\nd: 4\ne: 5\n")
    git_repo.commit("side change", author=FANG, date=at("2026-01-06"))
    git_repo.git("checkout", "-q", "main")
    git_repo.write("okrs/q/s.yaml", "a: 1\nb: 2\nc: 3\nd: 4\ne: 50\n")
    git_repo.commit("main change\n\nBody.\n\nOKR-Reason: because\nSigned-off-by: K <k@x>",
                    author=KAI, date=at("2026-01-07"))
    env = {"GIT_AUTHOR_DATE": at("2026-01-08"), "GIT_COMMITTER_DATE": at("2026-01-08")}
    git_repo.git("merge", "-q", "--no-edit", "side", env=env)
    git_repo.git("mv", "okrs/q/s.yaml", "okrs/q/t.yaml")
    git_repo.commit("rename", author=KAI, date=at("2026-01-09"))

    commits = git.log_raw(git_repo.path, ["okrs"])

    assert [c.subject for c in commits] == ["first", "side change", "main change",
                                            "Merge branch 'side'", "rename"]
    assert commits[0].sha == first and commits[0].parents == ()
    assert (commits[0].author, commits[0].email) == ("Kai Lin", "kai@example.com")
    assert commits[0].date == "2026-01-05T10:00:00+08:00"
    (added,) = commits[0].changes
    assert (added.status, added.old_shas, added.new_path) == ("A", (git.NULL_SHA,),
                                                              "okrs/q/s.yaml")
    assert commits[2].trailers.splitlines() == ["OKR-Reason: because", "Signed-off-by: K <k@x>"]
    merge = commits[3]
    assert len(merge.parents) == 2
    (combined,) = merge.changes  # the file differs from both parents
    assert combined.status == "MM" and len(combined.old_shas) == 2
    (renamed,) = commits[4].changes
    assert renamed.status.startswith("R")
    assert (renamed.old_path, renamed.new_path) == ("okrs/q/s.yaml", "okrs/q/t.yaml")
    assert renamed.old_shas == (combined.new_sha,) and renamed.new_sha == combined.new_sha


def test_cat_blobs_streams_many_and_large_blobs_in_order(git_repo) -> None:  # type: ignore[no-untyped-def]
    # larger than a pipe's buffer, both ways: the writer thread keeps them flowing
    texts = [f"n: {n}\n" + "x" * (n * 997 % 70000) + "\n" for n in range(300)]
    for n, text in enumerate(texts):
        git_repo.write(f"okrs/f{n}.yaml", text)
    git_repo.commit("many", date=at("2026-01-05"))
    entries = git.ls_tree(git_repo.path, "HEAD", "okrs")
    assert len(entries) == 300 and all(e.kind == "blob" for e in entries)
    by_path = {e.path: e.sha for e in entries}
    shas = [by_path[f"okrs/f{n}.yaml"] for n in range(300)]

    got = list(git.cat_blobs(git_repo.path, [*shas, "0" * 39 + "1"]))

    assert [sha for sha, _ in got] == [*shas, "0" * 39 + "1"]
    assert [data for _, data in got] == [t.encode() for t in texts] + [None]


def test_cat_blobs_of_nothing_starts_no_process(tmp_path: Path) -> None:
    assert list(git.cat_blobs(tmp_path, [])) == []


def test_parse_log_of_nothing() -> None:
    assert git.parse_log(b"") == []


# -- what `okr checkin --commit` asks before it writes, and the commit itself ------------------


def _conflicted_merge(git_repo) -> None:  # type: ignore[no-untyped-def]
    """main and `side` both change line 1 of okrs/a.yaml; `git merge side` stops."""
    git_repo.write("okrs/a.yaml", "a: 1\n")
    git_repo.commit("first", date=at("2026-01-05"))
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.write("okrs/a.yaml", "a: 2\n")
    git_repo.commit("side", date=at("2026-01-06"))
    git_repo.git("checkout", "-q", "main")
    git_repo.write("okrs/a.yaml", "a: 3\n")
    git_repo.commit("main", date=at("2026-01-07"))
    result = subprocess.run(["git", "merge", "-q", "side"], cwd=git_repo.path,
                            capture_output=True, check=False)
    assert result.returncode != 0


def test_path_status_of_one_file(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/a[1].yaml", "a: 1\n")  # a glob character: taken literally
    git_repo.write("okrs/a1.yaml", "a: 1\n")
    git_repo.write(".gitignore", "*.tmp.yaml\n")
    git_repo.commit("first", date=at("2026-01-05"))
    root = git_repo.path
    assert git.path_status(root, "okrs/a[1].yaml") == ""
    git_repo.write("okrs/a1.yaml", "a: 2\n")  # the file the glob would match
    assert git.path_status(root, "okrs/a[1].yaml") == ""
    assert git.path_status(root, "okrs/a1.yaml") == " M"
    git_repo.git("add", "okrs/a1.yaml")
    assert git.path_status(root, "okrs/a1.yaml") == "M "
    git_repo.write("okrs/new.yaml", "b: 1\n")
    assert git.path_status(root, "okrs/new.yaml") == "??"
    git_repo.write("okrs/x.tmp.yaml", "b: 1\n")
    assert git.path_status(root, "okrs/x.tmp.yaml") == "!!"


def test_a_conflicted_merge_is_unmerged_and_in_progress(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/a.yaml", "a: 0\n")
    git_repo.commit("zero", date=at("2026-01-04"))
    assert git.operation_in_progress(git_repo.path) is None
    _conflicted_merge(git_repo)
    assert git.path_status(git_repo.path, "okrs/a.yaml") in git.UNMERGED
    assert git.operation_in_progress(git_repo.path) == "merge"
    git_repo.git("merge", "--abort")
    assert git.operation_in_progress(git_repo.path) is None


def test_commit_paths_commits_that_file_only(git_repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/a.yaml", "a: 1\n")
    git_repo.write("okrs/b.yaml", "b: 1\n")
    git_repo.commit("first", date=at("2026-01-05"))
    git_repo.write("okrs/a.yaml", "a: 2\n")
    git_repo.write("okrs/b.yaml", "b: 2\n")
    git_repo.git("add", "okrs/b.yaml")  # staged, and must stay out of the commit
    # who and when come from the caller's environment, though git_env drops other GIT_*
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Kai Lin")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "kai@example.com")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-02-14T18:00:00+08:00")
    monkeypatch.setenv("GIT_INDEX_FILE", "/nowhere/index")  # still not passed on

    sha = git.commit_paths(git_repo.path, ["okrs/a.yaml"], message="subject\n\nbody 二月\n").sha
    monkeypatch.delenv("GIT_INDEX_FILE")  # for the test's own git calls

    assert sha == git_repo.head()
    assert git_repo.git("log", "-1", "--format=%an <%ae> %aI|%s|%b") == (
        "Kai Lin <kai@example.com> 2026-02-14T18:00:00+08:00|subject|body 二月\n\n")
    assert git_repo.git("show", "--name-only", "--format=", "HEAD") == "okrs/a.yaml\n"
    assert git_repo.git("status", "--porcelain") == "M  okrs/b.yaml\n"


def test_commit_paths_reports_a_refusing_hook(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/a.yaml", "a: 1\n")
    first = git_repo.commit("first", date=at("2026-01-05"))
    hook = git_repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'okrs/a.yaml:1:4: error OKR201 no metric'\nexit 1\n",
                    encoding="utf-8")
    hook.chmod(0o755)
    git_repo.write("okrs/a.yaml", "a: 2\n")
    with pytest.raises(git.CommitFailed) as info:
        git.commit_paths(git_repo.path, ["okrs/a.yaml"], message="subject")
    assert info.value.reason == "okrs/a.yaml:1:4: error OKR201 no metric"
    assert str(info.value) == "git commit failed: okrs/a.yaml:1:4: error OKR201 no metric"
    assert info.value.output == "okrs/a.yaml:1:4: error OKR201 no metric\n"
    assert git_repo.head() == first
    with pytest.raises(ValueError):
        git.commit_paths(git_repo.path, [], message="subject")


def test_first_parent_before_is_remembered_while_it_holds(
        git_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # the hook asks for the same boundary on every commit: the walk down the chain is
    # made again only when a commit could change the answer (one dated below it)
    for n in range(8):
        git_repo.write("okrs/a.yaml", f"a: {n}\n")
        git_repo.commit(f"old {n}", date=at(f"2025-12-{n + 10:02d}"))
    for n in range(3):
        git_repo.write("okrs/a.yaml", f"b: {n}\n")
        git_repo.commit(f"new {n}", date=at(f"2026-01-{n + 5:02d}"))
    root, memo = git_repo.path, tmp_path / "okrkit" / "boundaries.json"
    walks: list[str] = []
    plain = git.first_parent_before

    def counted(root: Path, rev: str, before: str, *, slop: int = 5) -> git.RawCommit | None:
        walks.append(rev)
        return plain(root, rev, before, slop=slop)

    monkeypatch.setattr(git, "first_parent_before", counted)

    def ask(before: str = "2025-12-25T00:00:00+00:00") -> git.RawCommit | None:
        found = git.first_parent_before_memo(root, git_repo.head(), before, memo)
        assert found == plain(root, git_repo.head(), before)  # always the walk's answer
        return found

    first = ask()
    assert first is not None and first.subject == "old 7" and len(walks) == 1
    assert ask() == first and len(walks) == 1  # the same HEAD
    git_repo.write("okrs/a.yaml", "b: 9\n")
    git_repo.commit("later", date=at("2026-01-20"))
    assert ask() == first and len(walks) == 1  # a commit after the date: still holds
    git_repo.write("okrs/a.yaml", "b: 10\n")
    git_repo.commit("backdated", date=at("2025-12-20"))
    assert ask() is None and len(walks) == 2  # walked again: dates out of order, no bound
    git_repo.git("checkout", "-q", "-b", "other", first.sha)  # HEAD off that chain
    git_repo.write("okrs/a.yaml", "c: 1\n")
    git_repo.commit("elsewhere", date=at("2026-02-01"))
    assert ask() == first and len(walks) == 3
    assert ask("2025-01-01T00:00:00+00:00") is None and len(walks) == 4  # no commit that old
    git_repo.write("okrs/a.yaml", "c: 2\n")
    git_repo.commit("again", date=at("2026-02-02"))
    assert ask("2025-01-01T00:00:00+00:00") is None and len(walks) == 4
    memo.write_bytes(b"{not json")  # a broken memo is a miss, rewritten
    assert ask() == first and len(walks) == 5
    assert ask() == first and len(walks) == 5
