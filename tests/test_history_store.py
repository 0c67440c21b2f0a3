"""A whole history read kept by the commits it walked (okrkit.history_store).

One real repository goes through the events a history meets (check-ins, a
target moved with a reason, a sheet renamed, a version that does not parse,
a KR renamed, a branch merged, a conflict resolved, a branch whose commits
are older than the main line's, a sheet deleted). After each commit the
history is read twice in a fresh process state: kept walks on (the read goes
on from the walk kept at the commit before, or takes the one kept at this
very commit) and the disk cache off (a whole walk); both must be the same in
every timeline, event, alias, revision and warning.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gitrepo import GitRepo
from history_helpers import FANG, KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit import cache, git, history, history_store
from okrkit.config import load_config
from okrkit.findings import Finding

SHEET = "okrs/2026-Q1/marketing.yaml"
MOVED = "okrs/2026-Q1/brand.yaml"
SALES = "okrs/2026-Q1/sales.yaml"


def plain(read: history.History) -> Any:
    """Everything a history tells, as comparable values."""
    def detail(d: Any) -> Any:
        return {k: (v.sort_key(), v.messages, dict(v.params)) if isinstance(v, Finding) else v
                for k, v in d.items()}

    return (
        read.available, read.shallow, read.dirty, read.since, read.warnings,
        {ref: [(p.commit.sha, p.commit.author, p.commit.email, p.commit.date,
                p.commit.subject, dict(p.commit.trailers), p.state, p.changed)
               for p in points] for ref, points in read._timelines.items()},
        [(e.commit.sha, e.kind, e.ref, e.path, detail(e.detail)) for e in read._events],
        dict(read._aliases), dict(read._revisions))


def _fresh() -> None:
    """A new process's state: no cache in memory."""
    cache._CACHES.clear()
    cache._BY_PATH.clear()


class Reads:
    """Reads the history as a new process would, and counts how the log was read."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.revs: list[str] = []
        self.since = ""
        self.monkeypatch = monkeypatch
        real = git.log_raw

        def log_raw(root: Path, pathspecs: Any, *, rev: str = "HEAD") -> Any:
            self.revs.append(rev)
            return real(root, pathspecs, rev=rev)

        monkeypatch.setattr(git, "log_raw", log_raw)

    def read(self, *, kept: bool) -> history.History:
        self.monkeypatch.setenv(cache.DISABLE_ENV, "1" if kept else "0")
        _fresh()
        config, findings = load_config(self.root)
        assert findings == []
        return history.read_history(config)

    def check(self) -> str:
        """Read with and without kept walks; the same? How the kept read read the log:
        "whole", "resumed" (only what is new; `self.since`: the commit it went on from)
        or "kept" (nothing)."""
        before = len(self.revs)
        with_kept = self.read(kept=True)
        how = ("kept" if len(self.revs) == before else
               "resumed" if ".." in self.revs[before] else "whole")
        self.since = self.revs[before].split("..")[0] if how == "resumed" else ""
        without = self.read(kept=False)
        assert plain(with_kept) == plain(without)
        again = self.read(kept=True)  # at this very commit: taken, the log unread
        assert plain(again) == plain(without)
        return how


@pytest.fixture
def reads(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> Iterator[Reads]:
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, sheet_yaml([kr("visitors"), kr("followers", baseline=100,
                                                         target=200, current=100)]))
    git_repo.commit("okrs: Q1 marketing", author=MEI, date=at("2026-01-05"))
    yield Reads(git_repo.path, monkeypatch)
    _fresh()


def test_each_commit_goes_on_from_the_walk_kept_before(git_repo: GitRepo, reads: Reads
                                                        ) -> None:
    repo = git_repo
    hows = [reads.check()]
    step: list[Callable[[], object]] = [
        lambda: repo.write(SHEET, sheet_yaml([kr("visitors", current=51000),
                                              kr("followers", baseline=100, target=200,
                                                 current=120)])),
        lambda: repo.write(SHEET, sheet_yaml([kr("visitors", current=52000, target=58000),
                                              kr("followers", baseline=100, target=200,
                                                 current=120)])),
        lambda: repo.write(SALES, sheet_yaml([kr("deals", baseline=10, target=20, current=10)],
                                             team="sales")),
        lambda: repo.git("mv", SHEET, MOVED),
        lambda: repo.write(MOVED, "cycle: 2026-Q1\nteam: [unclosed\n"),  # does not parse
        lambda: repo.write(MOVED, sheet_yaml([kr("visits", title="visitors 達到目標值",
                                                 current=53000, target=58000),
                                              kr("followers", baseline=100, target=200,
                                                 current=125)])),
    ]
    for n, change in enumerate(step):
        change()
        repo.commit(f"step {n}", author=(KAI, FANG, MEI)[n % 3], date=at(f"2026-01-{10 + n}"))
        hows.append(reads.check())
    assert hows == ["whole", *["resumed"] * len(step)]
    assert any(e.kind == "parse-error" for e in reads.read(kept=True).events())
    assert any(e.kind == "kr-renamed" for e in reads.read(kept=True).events())
    # whether the work tree is dirty is asked each time, never kept
    repo.write(MOVED, repo.path.joinpath(MOVED).read_text(encoding="utf-8") + "# edited\n")
    assert reads.read(kept=True).dirty and reads.read(kept=False).dirty
    repo.commit("a comment", date=at("2026-01-19"))
    assert reads.check() == "resumed"
    # an empty commit: the log lists nothing new, so no changes are read at all
    repo.commit("empty", date=at("2026-01-20"), allow_empty=True)
    assert reads.check() == "kept"


def test_merges_and_a_branch_older_than_the_main_line(git_repo: GitRepo, reads: Reads
                                                      ) -> None:
    repo = git_repo
    first = repo.head()
    reads.check()
    # a branch started long ago, its commits dated before the main line's newest
    repo.git("checkout", "-q", "-b", "old-branch")
    repo.write(SALES, sheet_yaml([kr("deals", baseline=10, target=20, current=12)],
                                 team="sales"))
    repo.commit("sales: from the branch", author=KAI, date=at("2026-01-07"))
    repo.git("checkout", "-q", "main")
    repo.write(SHEET, sheet_yaml([kr("visitors", current=51000), kr(
        "followers", baseline=100, target=200, current=100)]))
    repo.commit("main check-in", author=FANG, date=at("2026-01-12"))
    assert reads.check() == "resumed"
    env = {"GIT_AUTHOR_NAME": "Mei Chen", "GIT_AUTHOR_EMAIL": "mei@example.com",
           "GIT_COMMITTER_NAME": "Mei Chen", "GIT_COMMITTER_EMAIL": "mei@example.com",
           "GIT_AUTHOR_DATE": at("2026-01-14"), "GIT_COMMITTER_DATE": at("2026-01-14")}
    repo.git("merge", "-q", "--no-ff", "--no-edit", "old-branch", env=env)
    # the branch's commit sorts before the main line's check-in: the walk kept after that
    # check-in is not one to go on from, the one kept at the first commit is
    assert reads.check() == "resumed" and reads.since == first
    # a conflict resolved in a merge (both sides newer than what was walked)
    repo.git("checkout", "-q", "-b", "side")
    repo.write(SHEET, sheet_yaml([kr("visitors", current=52000), kr(
        "followers", baseline=100, target=200, current=100)]))
    repo.commit("side check-in", author=KAI, date=at("2026-01-15"))
    repo.git("checkout", "-q", "main")
    repo.write(SHEET, sheet_yaml([kr("visitors", current=52500), kr(
        "followers", baseline=100, target=200, current=100)]))
    repo.commit("main check-in 2", author=FANG, date=at("2026-01-16"))
    done = subprocess.run(["git", "merge", "-q", "side"], cwd=repo.path, capture_output=True,
                          check=False)
    assert done.returncode != 0
    repo.write(SHEET, sheet_yaml([kr("visitors", current=53000), kr(
        "followers", baseline=100, target=200, current=100)]))
    repo.commit("merge side", author=MEI, date=at("2026-01-17"))
    assert reads.check() == "resumed"
    merged = repo.head()
    # a rewritten history (an amend): the walk kept at the commit amended is not one to go
    # on from; one kept before it is
    repo.git("commit", "-q", "--amend", "-m", "merge side, reworded", env=env)
    assert reads.check() == "resumed" and reads.since not in ("", merged)
    repo.remove(SALES)
    repo.commit("sales: dropped", author=MEI, date=at("2026-01-18"))
    assert reads.check() == "resumed"


def test_kept_walks_are_bounded_damaged_ones_ignored_and_shallow_ones_not_kept(
        git_repo: GitRepo, reads: Reads, tmp_path: Path) -> None:
    repo = git_repo
    for n in range(cache.MAX_RESULTS + 2):
        repo.write(SHEET, sheet_yaml([kr("visitors", current=51000 + n), kr(
            "followers", baseline=100, target=200, current=100)]))
        repo.commit(f"check-in {n}", author=KAI, date=at(f"2026-01-{10 + n}"))
        reads.check()
    results = repo.path / ".git" / "okrkit" / "cache" / "results"
    assert len(list(results.iterdir())) == cache.MAX_RESULTS
    for path in results.iterdir():  # each damaged: a whole walk, the same history
        path.write_bytes(path.read_bytes()[:100])
    assert reads.check() == "whole"
    # a shallow clone is read whole each time and keeps nothing
    shallow = repo.clone(tmp_path / "shallow", depth=2)
    shallow_reads = Reads(shallow, reads.monkeypatch)
    assert shallow_reads.read(kept=True).shallow
    assert not (shallow / ".git" / "okrkit" / "cache" / "results").exists()


def test_a_walk_that_marshal_cannot_write_is_not_kept(git_repo: GitRepo, reads: Reads) -> None:
    reads.read(kept=True)
    config, _ = load_config(git_repo.path)
    repo = history.locate(config)
    parser = history._Parser(config.max_file_bytes)
    kept = history._walk_from(history_store.load(config, repo.prefix, git_repo.head()), parser)
    assert kept is not None
    walk, shown = kept
    walk.aliases["x"] = object()  # type: ignore[assignment]
    with pytest.raises(ValueError):
        history._walk_state(walk, shown)
    # and values that are not a walk's are no walk: the read walks it all
    assert history._walk_from(("not", "a", "walk"), parser) is None
    assert history._walk_from(None, parser) is None
