"""The bounded read (`read_history(since=...)`) the linter makes for a few sheets.

`okr lint FILE` (the pre-commit hook) reads the history of its sheets only
from a week before the earliest start of their cycles on, seeded with each
sheet as it was at that boundary. Every test here builds a real repository,
lints the same sheets twice, once as the runner does (bounded) and once with
the whole history of those sheets given to it, and expects the very same
OKR503/OKR604 findings; most also check that the read was bounded indeed
(`History.since`), or that it fell back to the whole history where it must.

Cycle 2026-Q1 starts on 2026-01-01, so its boundary is the newest commit
committed before 2025-12-25 (and the five below it must be older too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

from gitrepo import GitRepo
from history_helpers import FANG, KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit.config import load_config
from okrkit.history import History, read_history
from okrkit.rules.runner import lint

SHEET = "okrs/2026-Q1/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"
Q1 = dt.date(2026, 1, 1)
REF = "2026-Q1/marketing/brand-awareness/unique-visitors"
FOLLOWERS_REF = "2026-Q1/marketing/brand-awareness/followers"
HISTORY_RULES = ["OKR503", "OKR604"]

Row = tuple[str, int, int, str, str]


def marketing(current: int = 50000, *, target: int = 60000, followers: int = 24000,
              team: str = "marketing", confidence: float = 0.5) -> str:
    return sheet_yaml([kr("unique-visitors", current=current, target=target,
                          confidence=confidence),
                       kr("followers", baseline=24000, target=27600, current=followers,
                          unit="人")], team=team)


def rows(root: Path, sheets: Sequence[str], today: str, history: History | None = None
         ) -> list[Row]:
    config, found = load_config(root)
    assert found == []
    result = lint(config, [root / s for s in sheets], today=dt.date.fromisoformat(today),
                  select=HISTORY_RULES, history=history)
    return [(f.pos.path, f.pos.line, f.pos.col, f.code, f.message())
            for f in result.findings if f.code in HISTORY_RULES]


def full_history(root: Path, sheets: Sequence[str]) -> History:
    config, _ = load_config(root)
    return read_history(config, [root / s for s in sheets])


def bounded_history(root: Path, sheets: Sequence[str], since: dt.date = Q1) -> History:
    config, _ = load_config(root)
    return read_history(config, [root / s for s in sheets], since=since)


def same_findings(root: Path, sheets: Sequence[str], today: str) -> list[Row]:
    """The runner's findings (a bounded read), checked against those from the whole read."""
    bounded = rows(root, sheets, today)
    assert bounded == rows(root, sheets, today, history=full_history(root, sheets))
    return bounded


def filler(repo: GitRepo, days: Sequence[str], *, path: str = SALES) -> None:
    """Commits to another sheet (the other teams' work), one a day."""
    for n, day in enumerate(days):
        repo.write(path, sheet_yaml([kr("leads", current=n)], team="sales"))
        repo.commit(f"sales {n}", author=FANG, date=at(day))


NOVEMBER = [f"2025-11-{d:02d}" for d in range(10, 17)]  # 7 commits, well before the boundary


@pytest.fixture
def planned(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """Marketing planned on 2025-11-01, checked in on 2025-11-20; a week of other commits."""
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-11-01"))
    filler(git_repo, NOVEMBER)
    git_repo.write(SHEET, marketing(current=51000, followers=24500))
    git_repo.commit("checkin before the cycle", author=KAI, date=at("2025-11-20"))
    filler(git_repo, [f"2025-12-{d:02d}" for d in range(1, 7)])
    monkeypatch.chdir(git_repo.path)
    return git_repo


def test_a_kr_last_checked_in_before_the_cycle_has_no_point_in_the_window(
        planned: GitRepo) -> None:
    planned.write(SHEET, marketing(current=51000, followers=25000))
    planned.commit("checkin followers", author=FANG, date=at("2026-01-20"))
    filler(planned, ["2026-01-21", "2026-02-01"])

    bounded = bounded_history(planned.path, [SHEET])

    assert bounded.since == Q1
    boundary = planned.git("rev-list", "-1", "--before=2025-12-25T00:00:00+00:00",
                           "HEAD").strip()
    (seed,) = bounded.timeline(REF)  # nothing since the boundary: its state there
    assert (seed.commit.sha, seed.state.current) == (boundary, 51000)
    assert [p.commit.subject for p in full_history(planned.path, [SHEET]).timeline(REF)] == [
        "okrs: plan 2026-Q1", "checkin before the cycle"]
    assert same_findings(planned.path, [SHEET], "2026-02-01") == [
        (SHEET, 20, 18, "OKR503", "no check-in for 31 days (none since the cycle started on "
                                  "2026-01-01): update current or confidence at least every "
                                  "14 days")]  # followers, checked in on 2026-01-20, is fresh
    assert [line for _, line, *_ in same_findings(planned.path, [SHEET], "2026-02-15")] == [
        20, 31]


def test_a_target_lowered_before_the_cycle_and_in_it(planned: GitRepo) -> None:
    planned.write(SHEET, marketing(current=51000, followers=24500, target=58000))
    planned.commit("plan: a lower target", author=MEI, date=at("2025-12-10"))
    filler(planned, [f"2025-12-{d:02d}" for d in range(11, 17)])
    planned.write(SHEET, marketing(current=51000, followers=24500, target=57000))
    planned.commit("plan: lower still, in the margin", author=MEI, date=at("2025-12-28"))
    planned.write(SHEET, marketing(current=52000, followers=24500, target=55000))
    sha = planned.commit("okrs: a more realistic target", author=KAI, date=at("2026-02-10"))

    bounded = bounded_history(planned.path, [SHEET])
    assert bounded.since == Q1
    assert [p.state.target for p in bounded.timeline(REF)] == [58000, 57000, 55000]
    assert bounded.original_target(REF) == 57000  # the last one before the start
    (move,) = bounded.goal_post_moves(REF)
    assert (move.commit.sha, move.old, move.new) == (sha, 57000, 55000)
    assert same_findings(planned.path, [SHEET], "2026-02-15")[0] == (
        SHEET, 19, 17, "OKR604",
        f"target moved from 57000 to 55000 (−3.5%) on 2026-02-10 by Kai Lin ({sha[:7]}) after "
        "the cycle started, with no reason recorded: add a `revisions:` entry (date, field, "
        "from, to, reason) or an `OKR-Reason:` commit trailer")

    planned.write(SHEET, marketing(current=52000, followers=24500, target=53000))  # uncommitted
    found = same_findings(planned.path, [SHEET], "2026-02-15")
    assert [(line, code) for _, line, _, code, _ in found] == [(19, "OKR604"), (31, "OKR503")]
    assert found[0][4].startswith("target moved from 55000 to 53000 (−3.6%) after the cycle")


def test_a_sheet_renamed_in_the_window(planned: GitRepo) -> None:
    new = "okrs/2026-Q1/growth.yaml"
    planned.git("mv", SHEET, new)
    planned.write(new, marketing(current=51000, followers=24500, team="growth"))
    planned.commit("okrs: marketing is growth now", author=MEI, date=at("2026-01-10"))
    planned.write(new, marketing(current=52000, followers=24500, team="growth", target=55000))
    planned.commit("growth: checkin and a lower target", author=KAI, date=at("2026-01-20"))

    bounded = bounded_history(planned.path, [new])

    assert bounded.since == Q1
    growth = REF.replace("marketing", "growth")
    assert [p.state.current for p in bounded.timeline(growth)] == [51000, 52000]
    assert bounded.resolve(REF) == growth
    found = same_findings(planned.path, [new], "2026-02-15")
    assert sorted(code for *_, code, _ in found) == ["OKR503", "OKR503", "OKR604"]


def test_a_sheet_renamed_back_with_new_kr_ids(planned: GitRepo) -> None:
    # the old name is found (it was added in the window: by a rename), and only git's
    # rename detection pairs the two: the KR ids changed, the titles did not
    old = "okrs/2026-Q1/mkt.yaml"
    planned.git("mv", SHEET, old)
    planned.commit("okrs: a shorter name", author=MEI, date=at("2026-01-05"))
    planned.git("mv", old, SHEET)
    planned.write(SHEET, sheet_yaml([
        kr("visitors", title="unique-visitors 達到目標值", metric="unique-visitors metric",
           current=51000, target=55000),
        kr("fans", title="followers 達到目標值", metric="followers metric", baseline=24000,
           target=27600, current=24500, unit="人")]))
    planned.commit("okrs: the name back, shorter ids", author=MEI, date=at("2026-01-07"))

    bounded = bounded_history(planned.path, [SHEET])

    assert bounded.since == Q1
    assert [e.kind for e in bounded.events()] == [
        "sheet-renamed", "kr-renamed", "kr-renamed", "sheet-renamed"]
    visitors = [p.state.target for p in bounded.timeline(REF.replace("unique-", ""))]
    assert visitors == [60000, 55000]
    found = same_findings(planned.path, [SHEET], "2026-02-15")
    assert [(code, line) for _, line, _, code, _ in found] == [
        ("OKR604", 19), ("OKR503", 20), ("OKR503", 31)]


def test_a_branch_forked_before_the_boundary_and_merged_in_the_cycle(planned: GitRepo) -> None:
    planned.git("checkout", "-q", "-b", "plan", "HEAD~3")
    planned.write(SHEET, marketing(current=51000, followers=24500, target=58000))
    planned.commit("plan: a lower target", author=MEI, date=at("2025-12-02"))
    planned.git("checkout", "-q", "main")
    filler(planned, [f"2025-12-{d:02d}" for d in range(10, 17)])
    env = {"GIT_AUTHOR_DATE": at("2026-01-10"), "GIT_COMMITTER_DATE": at("2026-01-10")}
    planned.git("merge", "-q", "--no-ff", "--no-edit", "plan", env=env)
    planned.write(SHEET, marketing(current=52000, followers=24500, target=54000))
    planned.commit("okrs: lower again", author=KAI, date=at("2026-02-01"))

    bounded = bounded_history(planned.path, [SHEET])

    assert bounded.since == Q1
    assert [m.old for m in bounded.goal_post_moves(REF)] == [58000]
    assert [(code, line) for _, line, _, code, _ in
            same_findings(planned.path, [SHEET], "2026-02-20")] == [
        ("OKR604", 19), ("OKR503", 20), ("OKR503", 31)]


def test_commit_dates_out_of_order_in_the_window_change_nothing(planned: GitRepo) -> None:
    planned.write(SHEET, marketing(current=52000, followers=24500, target=55000))
    planned.commit("checkin", author=KAI, date=at("2026-02-10"))
    planned.write(SHEET, marketing(current=52000, followers=25000, target=55000))
    planned.commit("written earlier, committed later", author=FANG, date=at("2026-01-03"))

    assert bounded_history(planned.path, [SHEET]).since == Q1
    assert len(same_findings(planned.path, [SHEET], "2026-02-20")) == 2


def test_commit_dates_out_of_order_at_the_boundary_read_it_all(planned: GitRepo) -> None:
    # a commit committed "before" the boundary sits on top of one from the cycle: the dates
    # cannot tell where the cycle's commits end, so the whole history is read
    planned.write(SHEET, marketing(current=52000, followers=24500, target=55000))
    planned.commit("checkin", author=KAI, date=at("2026-01-15"))
    planned.write(SHEET, marketing(current=53000, followers=24500, target=55000))
    planned.commit("a clock a month slow", author=FANG, date=at("2025-12-15"))
    filler(planned, ["2026-02-01"])

    assert bounded_history(planned.path, [SHEET]).since is None
    found = same_findings(planned.path, [SHEET], "2026-02-20")
    assert [(code, line) for _, line, _, code, _ in found] == [
        ("OKR604", 19), ("OKR503", 20), ("OKR503", 31)]


def test_a_young_repository_reads_it_all(git_repo: GitRepo,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-28"))
    git_repo.write(SHEET, marketing(target=55000))
    git_repo.commit("okrs: lower", author=KAI, date=at("2026-01-10"))
    monkeypatch.chdir(git_repo.path)

    assert bounded_history(git_repo.path, [SHEET]).since is None
    assert len(same_findings(git_repo.path, [SHEET], "2026-02-15")) == 3


def test_nothing_committed_since_the_boundary(planned: GitRepo) -> None:
    bounded = bounded_history(planned.path, [SHEET])
    assert bounded.since == Q1
    assert [p.state.current for p in bounded.timeline(REF)] == [51000]
    assert len(same_findings(planned.path, [SHEET], "2026-01-20")) == 2
    planned.write(SHEET, marketing(current=51000, followers=24500, target=55000))
    assert [code for *_, code, _ in same_findings(planned.path, [SHEET], "2026-01-20")] == [
        "OKR604", "OKR503", "OKR503"]


def test_a_boundary_version_that_does_not_parse_reads_it_all(planned: GitRepo) -> None:
    planned.write(SHEET, marketing(current=51500).replace("cycle: 2026-Q1", "cycle: [2026"))
    planned.commit("okrs: oops", author=KAI, date=at("2025-12-08"))
    filler(planned, [f"2025-12-{d:02d}" for d in range(9, 15)])
    planned.write(SHEET, marketing(current=52000, target=55000))
    planned.commit("okrs: fixed, and a lower target", author=KAI, date=at("2026-01-12"))

    assert bounded_history(planned.path, [SHEET]).since is None
    found = same_findings(planned.path, [SHEET], "2026-02-15")
    assert [code for *_, code, _ in found] == ["OKR604", "OKR503", "OKR503"]


def test_a_folder_of_sheets(planned: GitRepo) -> None:
    planned.write(SHEET, marketing(current=51000, followers=25000, target=55000))
    planned.commit("checkin followers, lower target", author=FANG, date=at("2026-01-20"))

    assert bounded_history(planned.path, ["okrs/2026-Q1"]).since == Q1
    found = same_findings(planned.path, ["okrs/2026-Q1"], "2026-02-15")
    assert [(path, code) for path, _, _, code, _ in found] == [
        (SHEET, "OKR604"), (SHEET, "OKR503"), (SHEET, "OKR503"), (SALES, "OKR503")]


def test_a_shallow_clone_reads_what_it_has(planned: GitRepo, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    planned.write(SHEET, marketing(current=51000, followers=25000, target=55000))
    planned.commit("checkin followers, lower target", author=FANG, date=at("2026-01-20"))
    for depth in ("1", "3", "12"):
        clone = tmp_path / f"clone-{depth}"
        planned.clone(clone, depth=int(depth))
        monkeypatch.chdir(clone)

        history = bounded_history(clone, [SHEET])

        assert history.shallow and history.since is None
        assert [w["en"].split(";")[0] for w in history.warnings] == [
            w["en"].split(";")[0] for w in full_history(clone, [SHEET]).warnings]
        # from depth 2 on, the clone knows the target before it was lowered
        assert len(same_findings(clone, [SHEET], "2026-02-15")) == (2 if depth == "1" else 3)


def test_the_runner_reads_no_history_for_a_cycle_not_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # outside git: a read would say so in a note
    (tmp_path / "okrs" / "2026-Q2").mkdir(parents=True)
    (tmp_path / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
    q2 = "okrs/2026-Q2/marketing.yaml"
    (tmp_path / q2).write_text(sheet_yaml([kr("unique-visitors", due="2026-06-30")],
                                          cycle="2026-Q2"), encoding="utf-8")
    (tmp_path / SHEET).parent.mkdir()
    (tmp_path / SHEET).write_text(marketing(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config, _ = load_config(tmp_path)

    later = lint(config, [tmp_path / q2], today=dt.date(2026, 2, 15), select=HISTORY_RULES)
    now = lint(config, [tmp_path / q2, tmp_path / SHEET], today=dt.date(2026, 2, 15),
               select=HISTORY_RULES)

    assert later.notes == () and {r.code for r in later.rules} == set(HISTORY_RULES)
    assert [n["en"] for n in now.notes] == [
        "okrs is not in a git repository: no history (check-ins, staleness, goal posts)"]


@pytest.fixture(scope="module")
def synthetic_year(synth: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bench/synth.py: 4 teams x 4 quarters of 2026, 400 commits spread over the year."""
    root = tmp_path_factory.mktemp("year")
    synth.write_tree(root, teams=4, cycles=["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
    synth.make_history(root, commits=400)
    return root


@pytest.mark.parametrize("today", ["2026-02-15", "2026-05-20", "2026-08-10", "2026-11-20",
                                   "2026-12-31"])
def test_a_synthetic_year_gives_the_same_findings(synthetic_year: Path, today: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(synthetic_year)
    quarter = (int(today[5:7]) + 2) // 3
    start = dt.date(2026, quarter * 3 - 2, 1)
    if quarter > 1:  # the history starts on 2026-01-01: Q1 reads all of it
        active = f"okrs/2026-Q{quarter}/team-001.yaml"
        assert bounded_history(synthetic_year, [active], start).since == start
    found = []
    for group in (["okrs/2026-Q1/team-000.yaml"], ["okrs/2026-Q2/team-000.yaml"],
                  ["okrs/2026-Q3/team-003.yaml"], ["okrs/2026-Q4/team-001.yaml"],
                  ["okrs/2026-Q3/team-002.yaml", "okrs/2026-Q4/team-003.yaml"]):
        found += same_findings(synthetic_year, group, today)
    # moved targets (and, at the year's end, stale key results): known from the data
    assert bool(found) == (today != "2026-02-15")
