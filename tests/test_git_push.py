"""git.push_with_retry against a real bare `origin`: someone pushing in between is fetched
and built on, a bounded number of times, never forced; a refusal by the remote is one
clear error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitrepo import GitRepo
from okrkit import git


def _clone(bare: Path, dest: Path) -> GitRepo:
    subprocess.run(["git", "clone", "-q", str(bare), str(dest)], check=True)
    repo = GitRepo.__new__(GitRepo)
    repo.path = dest
    return repo


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, GitRepo, GitRepo]:
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    seed = GitRepo(tmp_path / "seed")
    seed.write("a.txt", "a\n")
    seed.commit("start")
    seed.git("push", "-q", str(bare), "main")
    return bare, _clone(bare, tmp_path / "mine"), _clone(bare, tmp_path / "theirs")


def _tip(bare: Path) -> str:
    return subprocess.run(["git", "-C", str(bare), "rev-parse", "main"], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_others_keep_pushing_until_the_attempts_run_out(
        setup: tuple[Path, GitRepo, GitRepo]) -> None:
    bare, mine, theirs = setup
    count = iter(range(100))

    def someone_pushes() -> None:
        theirs.git("pull", "-q", "--ff-only")
        theirs.write(f"theirs-{next(count)}.txt", "x\n")
        theirs.commit("theirs")
        theirs.git("push", "-q", "origin", "main")

    def reapply() -> str:
        mine.write("mine.txt", "mine\n")
        sha = mine.commit("mine")
        someone_pushes()  # ... and again someone was faster
        return sha

    someone_pushes()
    mine.write("mine.txt", "mine\n")
    mine.commit("mine")

    with pytest.raises(git.PushFailed, match="git push failed 3 times: others keep pushing"):
        git.push_with_retry(mine.path, remote="origin", branch="main", reapply=reapply,
                            attempts=3)

    log = subprocess.run(["git", "-C", str(bare), "log", "--format=%s", "main"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert log == ["theirs"] * 3 + ["start"]  # theirs all kept, mine not forced in


def test_a_push_in_between_is_built_on(setup: tuple[Path, GitRepo, GitRepo]) -> None:
    bare, mine, theirs = setup
    theirs.write("b.txt", "b\n")
    theirs_sha = theirs.commit("theirs")
    theirs.git("push", "-q", "origin", "main")
    mine.write("mine.txt", "1\n")
    mine.commit("mine")
    calls = []

    def reapply() -> str:
        calls.append(mine.head())  # HEAD is their commit: mine was dropped, to be redone
        mine.write("mine.txt", "1\n")
        return mine.commit("mine")

    pushed = git.push_with_retry(mine.path, remote="origin", branch="main", reapply=reapply)

    assert calls == [theirs_sha]
    assert pushed.attempts == 2 and pushed.sha == _tip(bare)
    assert (mine.path / "b.txt").read_text() == "b\n"


def test_a_remote_refusal_is_not_retried(setup: tuple[Path, GitRepo, GitRepo]) -> None:
    bare, mine, _ = setup
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'main is protected' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = _tip(bare)
    mine.write("mine.txt", "1\n")
    mine.commit("mine")

    with pytest.raises(git.PushFailed, match=r"git push failed: \[remote rejected\] "
                       r"\(pre-receive hook declined\); main is protected"):
        git.push_with_retry(mine.path, remote="origin", branch="main",
                            reapply=lambda: pytest.fail("not a race: nothing to re-apply"))

    assert _tip(bare) == before
