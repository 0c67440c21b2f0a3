"""The rules a whole-tree lint runs in a forked process while it walks the history
(rules/runner.py `_Early`): the findings and the hits kept are those of one process, and
a child that fails changes nothing but the time.

A real repository (bench/synth.py, 17 teams x 4 quarters: more sheets than the memo's
floor, 120 commits), linted in this process with the rules' fork forced
(OKRKIT_RULES_FORK=1) and refused (=0), the history's own fork refused, from an empty
cache each time (a kept walk would leave nothing to overlap).
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from okrkit import cache, history, tree
from okrkit.config import load_config
from okrkit.rules import memo as hit_memo
from okrkit.rules import runner
from synthorg import SynthOrg, copy_org, counting_forks, no_child_left

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, synth_org: SynthOrg) -> Path:
    # a copy: these tests remove and rewrite its cache folder
    return copy_org(synth_org(teams=17, cycles=("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"),
                              commits=120), tmp_path_factory.mktemp("rules-fork") / "org")


def _lint(root: Path, fork: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The findings of a cold whole-tree lint, and the hits it kept on disk."""
    monkeypatch.setenv(runner.FORK_ENV, fork)
    monkeypatch.setenv(history.FORK_ENV, "0")
    # as a new process on a fresh clone: nothing kept, in memory or on disk
    shutil.rmtree(root / ".git" / "okrkit", ignore_errors=True)
    monkeypatch.setattr(cache, "_CACHES", {})
    monkeypatch.setattr(cache, "_BY_PATH", {})
    monkeypatch.setattr(tree, "_KEPT", {})
    config, _ = load_config(root)
    result = runner.lint(config, None, today=TODAY)
    found = list((root / ".git" / "okrkit" / "cache" / "results").glob(f"{hit_memo.NAME}-*"))
    assert len(found) == 1
    return result.findings, marshal.loads(found[0].read_bytes()[cache._HEADER:])


def _same_as_one_process(built: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """A lint with the rules' fork forced: one process forked and reaped, and the findings
    and kept hits of the same lint in one process; returns them."""
    one = _lint(built, "0", monkeypatch)
    forks = counting_forks(monkeypatch)
    two = _lint(built, "1", monkeypatch)
    assert len(forks) == 1
    no_child_left(forks)
    assert two == one
    return two


def test_forked_rules_find_what_one_process_finds(built: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    two, kept_two = _same_as_one_process(built, monkeypatch)
    # the forked rules found something, and a history rule ran here
    assert {"OKR502", "OKR503"} <= {f.code for f in two}
    assert len(kept_two) > 68 * 10


def test_a_child_that_fails_leaves_its_rules_to_this_process(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    real = marshal.dumps

    def dumps(value: Any, *args: Any) -> bytes:
        if os.getpid() != here:
            raise OSError("the hand-over failed")
        return real(value, *args)

    monkeypatch.setattr(runner.marshal, "dumps", dumps)
    _same_as_one_process(built, monkeypatch)  # only the child's hand-over fails


def test_a_failure_here_stops_and_reaps_the_child(built: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real = history._Walk.commit

    def commit(self: Any, *args: Any) -> None:
        raise KeyError("a walk that fails")

    monkeypatch.setattr(history._Walk, "commit", commit)
    forks = counting_forks(monkeypatch)
    with pytest.raises(KeyError):
        _lint(built, "1", monkeypatch)
    assert len(forks) == 1
    no_child_left(forks)
    monkeypatch.setattr(history._Walk, "commit", real)
