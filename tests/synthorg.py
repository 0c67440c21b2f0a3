"""Synthetic organisations (bench/synth.py) as real git repositories, for the tests of the
history read and the parse cache: one built per session for each shape (conftest's
`synth_org`), copied by a test before it changes anything; and `okr` as a fresh process,
so the disk layers are what is read (in one process the memory layers answer first).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

import pytest

# the shape the parse cache and the forked history read are tested on: 4 teams x 2
# quarters (8 sheets, 2 cycles), 120 commits
TEAMS = 4
CYCLES = ("2026-Q1", "2026-Q2")
COMMITS = 120
TODAY = "2026-05-20"  # after both cycles' check-ins

SynthOrg = Callable[..., Path]


def synth_org_factory(tmp_path_factory: pytest.TempPathFactory, synth: ModuleType
                      ) -> SynthOrg:
    """`make(teams=, cycles=, commits=)`: the repository of that shape, built on the
    first call and the same folder after (read it, or `copy_org` it to change it)."""
    built: dict[tuple[int, tuple[str, ...], int], Path] = {}

    def make(*, teams: int = TEAMS, cycles: Sequence[str] = CYCLES,
             commits: int = COMMITS) -> Path:
        key = (teams, tuple(cycles), commits)
        if key not in built:
            root = tmp_path_factory.mktemp("synth-org") / "org"
            root.mkdir()
            synth.write_tree(root, teams=teams, cycles=cycles)
            synth.make_history(root, commits=commits)
            built[key] = root
        return built[key]

    return make


def copy_org(built: Path, dest: Path) -> Path:
    """A copy of a built repository (git directory included) at `dest`; returns `dest`."""
    shutil.copytree(built, dest, symlinks=True)
    return dest


def git(root: Path, *args: str, day: str | None = None) -> None:
    """git in `root`, failing the test on an error; `day` (YYYY-MM-DD) dates a commit."""
    env = dict(os.environ)
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T10:00:00+08:00"
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def okr(root: Path, *args: str, env: Mapping[str, str] | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """`okr ARGS` as a new process in `root`, today TODAY unless `env` says otherwise."""
    return subprocess.run([sys.executable, "-m", "okrkit", *args], cwd=root,
                          env={**os.environ, "OKR_TODAY": TODAY, **(env or {})},
                          capture_output=True, text=True, check=False, timeout=timeout)


def counting_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the processes okrkit forks from now on in this test (`os.fork` wrapped)."""
    forks: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forks


def no_child_left(forks: list[int]) -> None:
    """Every process okrkit forked was reaped (only those: the suite's own servers are
    children of this process too)."""
    assert forks
    for pid in forks:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
