"""The log of a few sheets (the pre-commit hook's read), kept by HEAD in the git directory.

A real repository goes through the commits a hook sees between two of its runs; after
each, the read with the kept log must equal a read without it (OKRKIT_PARSE_CACHE=0,
the disk layer off) in every timeline, event and alias, and the test checks how the log
was read: kept as it is, kept and the commits since read, or read again whole.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gitrepo import GitRepo
from history_helpers import FANG, KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit import git
from okrkit.cache import logs_file
from okrkit.config import load_config
from okrkit.history import History, read_history

SHEET = "okrs/2026-Q1/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"


def marketing(current: int, *, target: int = 60000) -> str:
    return sheet_yaml([kr("unique-visitors", current=current, target=target)])


def sales(current: int) -> str:
    return sheet_yaml([kr("leads", current=current)], team="sales")


class Reads:
    """How each read got its log: whole (`git log` of the sheets), since (the commits
    above the kept HEAD), or neither (kept as it is)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.whole = self.since = 0
        log_raw, chain_above = git.log_raw, git._chain_above

        def counted_log(*args: object, **kwargs: object) -> list[git.RawCommit]:
            self.whole += 1
            return log_raw(*args, **kwargs)  # type: ignore[arg-type]

        def counted_chain(*args: object) -> list[git.RawCommit] | None:
            self.since += 1
            return chain_above(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(git, "log_raw", counted_log)
        monkeypatch.setattr(git, "_chain_above", counted_chain)

    def take(self) -> tuple[int, int]:
        found = (self.whole, self.since)
        self.whole = self.since = 0
        return found


def read(root: Path, since: dt.date | None = None) -> History:
    config, _ = load_config(root)
    return read_history(config, [root / SHEET], since=since)


@pytest.fixture
def repo(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing(50000))
    git_repo.write(SALES, sales(1))
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2026-01-01"))
    git_repo.write(SHEET, marketing(51000))
    git_repo.commit("checkin", author=KAI, date=at("2026-01-10"))
    monkeypatch.chdir(git_repo.path)
    return git_repo


def whole(history: History) -> tuple[object, ...]:
    """Everything a read found, the parts History's equality leaves out included."""
    return (dict(history._timelines), history._events, dict(history._aliases),
            dict(history._revisions))


def same_as_uncached(root: Path, monkeypatch: pytest.MonkeyPatch, reads: Reads,
                     since: dt.date | None = None) -> tuple[int, int]:
    kept = read(root, since)
    how = reads.take()
    with monkeypatch.context() as off:
        off.setenv("OKRKIT_PARSE_CACHE", "0")
        fresh = read(root, since)
    reads.take()
    assert kept == fresh and whole(kept) == whole(fresh)
    assert kept.timeline("2026-Q1/marketing/brand-awareness/unique-visitors")
    return how


def test_the_kept_log_goes_on_with_the_commits_since(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = Reads(monkeypatch)
    root = repo.path
    assert same_as_uncached(root, monkeypatch, reads) == (1, 0)
    assert logs_file(root / "okrs") is not None and logs_file(root / "okrs").is_file()
    assert same_as_uncached(root, monkeypatch, reads) == (0, 0)  # the same HEAD
    repo.write(SHEET, marketing(52000))
    repo.commit("checkin 2", author=KAI, date=at("2026-01-20"))
    assert same_as_uncached(root, monkeypatch, reads) == (0, 1)
    repo.write(SALES, sales(2))  # another sheet, then the sheet's goal post moved
    repo.commit("sales", author=FANG, date=at("2026-01-21"))
    repo.write(SHEET, marketing(52000, target=58000))
    repo.commit("target", author=KAI, date=at("2026-01-22"))
    assert same_as_uncached(root, monkeypatch, reads) == (0, 1)
    repo.git("commit", "--amend", "-q", "-m", "target, amended")  # HEAD not above the kept
    assert same_as_uncached(root, monkeypatch, reads) == (1, 1)
    base = repo.head()  # a branch merged: a merge among the commits since
    repo.git("checkout", "-q", "-b", "side", "HEAD~1")
    repo.write(SHEET, marketing(53000))
    repo.commit("checkin on a branch", author=KAI, date=at("2026-01-23"))
    repo.git("checkout", "-q", "-")
    assert repo.head() == base
    repo.git("merge", "-q", "--no-edit", "-X", "theirs", "side")
    assert same_as_uncached(root, monkeypatch, reads) == (1, 1)
    repo.remove(SHEET)  # deleted and written again: read again whole
    repo.commit("gone", author=MEI, date=at("2026-01-25"))
    repo.write(SHEET, marketing(54000))
    repo.commit("back", author=MEI, date=at("2026-01-26"))
    assert same_as_uncached(root, monkeypatch, reads) == (1, 1)
    logs_file(root / "okrs").write_bytes(b"damaged")  # type: ignore[union-attr]
    assert same_as_uncached(root, monkeypatch, reads) == (1, 0)


def test_a_bounded_read_keeps_its_own_log(repo: GitRepo,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    reads = Reads(monkeypatch)
    root = repo.path
    for n in range(8):  # commits well after the first, so there is a boundary commit
        repo.write(SALES, sales(10 + n))
        repo.commit(f"sales {n}", author=FANG, date=at(f"2026-02-{n + 1:02d}"))
    repo.write(SHEET, marketing(55000))
    repo.commit("checkin", author=KAI, date=at("2026-03-01"))
    since = dt.date(2026, 2, 20)
    assert same_as_uncached(root, monkeypatch, reads, since) == (1, 0)
    assert read(root, since).since == since
    reads.take()
    assert same_as_uncached(root, monkeypatch, reads) == (1, 0)  # the whole log: its own
    assert same_as_uncached(root, monkeypatch, reads, since) == (0, 0)
    repo.write(SHEET, marketing(56000))
    repo.commit("checkin", author=KAI, date=at("2026-03-05"))
    assert same_as_uncached(root, monkeypatch, reads, since) == (0, 1)
