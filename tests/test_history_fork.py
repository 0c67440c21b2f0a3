"""The history read's second process (history._parse_versions): what two processes read is
what one reads, and a failure on either side changes nothing but the time.

A real repository (conftest's `synth_org`, 4 teams x 2 quarters, 120 commits, then a
renamed sheet and a version that does not parse) read in this process with the fork forced
(OKRKIT_HISTORY_FORK=1, any size) and refused (=0), the parse cache's disk layer off so
both read everything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from okrkit import cache, history
from okrkit.config import load_config
from okrkit.errors import FatalError
from synthorg import TODAY, SynthOrg, copy_org, counting_forks, git, no_child_left, okr

BROKEN = "okrs/2026-Q1/team-002.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, synth_org: SynthOrg) -> Path:
    root = copy_org(synth_org(), tmp_path_factory.mktemp("fork") / "org")
    git(root, "mv", "okrs/2026-Q2/team-001.yaml", "okrs/2026-Q2/team-009.yaml")
    git(root, "commit", "-q", "-m", "rename a sheet", day="2026-03-20")
    good = (root / BROKEN).read_text(encoding="utf-8")
    (root / BROKEN).write_text(good.replace("objectives:", "objectives: [", 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "a version that does not parse", day="2026-03-21")
    (root / BROKEN).write_text(good, encoding="utf-8")
    git(root, "commit", "-q", "-am", "fixed", day="2026-03-22")
    return root


@pytest.fixture
def repo(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.DISABLE_ENV, "0")
    monkeypatch.setenv("OKR_TODAY", TODAY)
    return built


def _read(root: Path, fork: str, monkeypatch: pytest.MonkeyPatch) -> history.History:
    monkeypatch.setenv(history.FORK_ENV, fork)
    # as a new process would: nothing in memory (the walk kept by the last read included)
    cache._CACHES.clear()
    cache._BY_PATH.clear()
    config, _ = load_config(root)
    return history.read_history(config)


def _everything(h: history.History) -> Any:
    """What a reader of the history can see, comparable with ==."""
    return (h.available, h.warnings, h.dirty,
            {ref: h.timeline(ref) for ref in h.kr_refs()},
            [(e, sorted(e.detail.items())) for e in h.events()],
            h._aliases, h._revisions)


def test_two_processes_read_what_one_reads(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _read(repo, "0", monkeypatch)
    forks = counting_forks(monkeypatch)
    two = _read(repo, "1", monkeypatch)
    assert len(forks) == 1
    no_child_left(forks)
    assert _everything(two) == _everything(one)
    assert [e.kind for e in two.events() if e.kind in ("parse-error", "sheet-renamed")] == \
        ["parse-error", "sheet-renamed"]
    assert len(two.kr_refs()) > 50


def test_a_child_that_fails_leaves_its_half_to_this_process(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    one = _read(repo, "0", monkeypatch)
    forks = counting_forks(monkeypatch)

    def broken_dump(*args: object, **kwargs: object) -> None:
        raise OSError("the hand-over failed")

    monkeypatch.setattr(pickle, "dump", broken_dump)  # only the child writes one
    two = _read(repo, "1", monkeypatch)
    assert len(forks) == 1
    no_child_left(forks)
    assert _everything(two) == _everything(one)


def test_a_failure_here_stops_and_reaps_the_child(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    real = history._pull
    forks = counting_forks(monkeypatch)

    def pull(*args: Any) -> None:
        if os.getpid() == here:
            raise FatalError("git cat-file stopped early", zh="git cat-file 提前結束")
        real(*args)

    monkeypatch.setattr(history, "_pull", pull)
    got = _read(repo, "1", monkeypatch)
    assert len(forks) == 1
    no_child_left(forks)
    # as one process reports it
    assert not got.available
    assert got.warnings[0]["en"] == "cannot read the git history: git cat-file stopped early"


def test_the_lint_is_the_same_with_one_process_or_two(built: Path, tmp_path: Path) -> None:
    root = copy_org(built, tmp_path / "org")
    outs = []
    for fork in ("0", "1"):
        shutil.rmtree(root / ".git" / "okrkit", ignore_errors=True)
        done = okr(root, "lint", "--format", "json", env={history.FORK_ENV: fork})
        assert "Traceback" not in done.stderr, done.stderr
        outs.append((done.returncode, done.stdout, done.stderr))
    assert outs[0] == outs[1]
    assert '"OKR' in outs[0][1]
    # the command's forked writer may outlive it: reading the cache waits for it (its
    # lock), then the cache is whole, no temporary
    kept = cache.ParseCache(root / ".git" / "okrkit" / "cache").info()
    assert kept.documents > 8 and kept.snapshots > 100 and kept.foreign == 0
    assert not [p for p in (root / ".git" / "okrkit").rglob(".*") if p.is_file()]


def test_the_cache_written_by_a_forked_writer(built: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_org(built, tmp_path / "org")
    forks = counting_forks(monkeypatch)
    monkeypatch.setattr(cache, "_CACHES", {})
    monkeypatch.setattr(cache, "_BY_PATH", {})
    first = _read(root, "1", monkeypatch)
    assert len(forks) == 2  # the parse's second process, then the writer
    cache.wait_for_writers()
    no_child_left(forks)
    kept = cache.ParseCache(root / ".git" / "okrkit" / "cache")
    assert len(kept.snapshots()) > 100 and kept.info().foreign == 0
    # a fresh process's view: every version from the cache (but the one that did not
    # parse: findings are never kept), the same history
    monkeypatch.setattr(cache, "_CACHES", {})
    monkeypatch.setattr(cache, "_BY_PATH", {})
    again = _read(root, "0", monkeypatch)
    assert _everything(again) == _everything(first)


def test_the_writer_outlives_the_command_and_the_next_one_waits(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`okr lint` returns while its forked writer may still write (as git's automatic gc
    does); a command started meanwhile waits for the writer's lock, so it reads the cache
    whole; with OKRKIT_CACHE_WAIT=1 the command waits for its writer itself."""
    import fcntl

    root = copy_org(built, tmp_path / "org")
    folder = root / ".git" / "okrkit" / "cache"
    monkeypatch.setenv(history.FORK_ENV, "1")
    monkeypatch.delenv(cache.WAIT_ENV, raising=False)  # as a user runs it: no waiting

    def run(*args: str, **more: str) -> subprocess.CompletedProcess[str]:
        return okr(root, *args, env=more, timeout=120)

    cold = run("lint", "--format", "json")
    assert '"OKR' in cold.stdout and "Traceback" not in cold.stderr
    # right after: the same findings from the cache, which was whole when read (a walk
    # kept at this commit: the next lint reads no log at all)
    assert run("lint", "--format", "json").stdout == cold.stdout
    kept = cache.ParseCache(folder).info()
    assert kept.documents > 8 and kept.snapshots > 100 and kept.results >= 1
    assert kept.foreign == 0

    # a writer holding the lock: a command that reads the cache waits until it is let go
    held = os.open(folder / cache.LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen([sys.executable, "-m", "okrkit", "cache", "info"],
                                   cwd=root, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=1.5)
    finally:
        os.close(held)
    out, _ = waiting.communicate(timeout=60)
    assert waiting.returncode == 0 and "history snapshots" in out

    # told to wait: when the command returns, its writer is done (the lock is free)
    shutil.rmtree(root / ".git" / "okrkit")
    waited = run("lint", "--format", "json", **{cache.WAIT_ENV: "1"})
    assert waited.stdout == cold.stdout
    free = os.open(folder / cache.LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(free, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises when a writer holds it
    finally:
        os.close(free)
    assert cache.ParseCache(folder).info().snapshots > 100
