"""The rules that read no history, run by the history's second parse process on its half of
the sheets (rules/runner.py `_beside`, history.py `_parse_versions`): the findings and the
hits kept are those of one process, and a child that fails changes nothing but the time.

A real repository (bench/synth.py, 17 teams x 4 quarters: more sheets than the memo's
floor, 120 commits), linted in this process with both forks forced (OKRKIT_HISTORY_FORK=1:
the second parse process, whatever the size; OKRKIT_RULES_FORK=1: the rules in it) and
both refused (=0), from an empty cache each time (a kept walk would parse nothing).
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
from collections.abc import Mapping
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
    monkeypatch.setenv(history.FORK_ENV, fork)
    # as a new process on a fresh clone: nothing kept, in memory or on disk
    shutil.rmtree(root / ".git" / "okrkit", ignore_errors=True)
    monkeypatch.setattr(cache, "_CACHES", {})
    monkeypatch.setattr(cache, "_BY_PATH", {})
    monkeypatch.setattr(tree, "_KEPT", {})
    config, _ = load_config(root)
    try:
        result = runner.lint(config, None, today=TODAY)
    finally:
        cache.wait_for_writers()  # the history's writer, forked when two processes parsed
    found = list((root / ".git" / "okrkit" / "cache" / "results").glob(f"{hit_memo.NAME}-*"))
    assert len(found) == 1
    return result.findings, marshal.loads(found[0].read_bytes()[cache._HEADER:])


def _same_as_one_process(built: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """A lint with both forks forced: two processes forked (the history's second one and
    the cache's writer: none for the rules) and reaped, and the findings and kept hits of
    the same lint in one process; returns them."""
    one = _lint(built, "0", monkeypatch)
    forks = counting_forks(monkeypatch)
    two = _lint(built, "1", monkeypatch)
    assert len(forks) == 2
    no_child_left(forks)
    assert two == one
    return two


def _hits_handed(monkeypatch: pytest.MonkeyPatch) -> list[Mapping[Any, Any]]:
    """What the second process hands over (`HitMemo.add`), from now on in this test."""
    handed: list[Mapping[Any, Any]] = []
    real = hit_memo.HitMemo.add

    def add(self: hit_memo.HitMemo, found: Mapping[Any, Any]) -> None:
        handed.append(found)
        real(self, found)

    monkeypatch.setattr(hit_memo.HitMemo, "add", add)
    return handed


def test_the_second_process_finds_what_one_process_finds(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handed = _hits_handed(monkeypatch)
    two, kept_two = _same_as_one_process(built, monkeypatch)
    # the forked rules found something, and a history rule ran here
    assert {"OKR502", "OKR503"} <= {f.code for f in two}
    assert len(kept_two) > 68 * 10
    # about half of the sheets' hits came from the second process, the rest from here
    assert len(handed) == 1
    assert len(kept_two) / 4 < len(handed[0]) < len(kept_two) * 3 / 4
    assert set(handed[0]) < set(kept_two)


def test_a_child_that_fails_leaves_its_rules_to_this_process(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    real = hit_memo.HitMemo.keep

    def keep(self: hit_memo.HitMemo, *args: Any) -> None:
        if os.getpid() != here:  # its parse is handed over, then its rules fail
            raise OSError("the rules failed")
        real(self, *args)

    monkeypatch.setattr(hit_memo.HitMemo, "keep", keep)
    handed = _hits_handed(monkeypatch)
    _same_as_one_process(built, monkeypatch)
    assert handed == []


def test_a_failure_here_stops_and_reaps_the_child(built: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def commit(self: Any, *args: Any) -> None:
        raise KeyError("a walk that fails")

    monkeypatch.setattr(history._Walk, "commit", commit)
    forks = counting_forks(monkeypatch)
    with pytest.raises(KeyError):
        _lint(built, "1", monkeypatch)
    assert len(forks) == 1  # the history's second process, stopped in its rules
    no_child_left(forks)
