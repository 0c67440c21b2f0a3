"""The history engine on real git repositories with real commits, authors and dates."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from history_helpers import FANG, KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit import build, schema, yamlload
from okrkit.config import load_config
from okrkit.history import (
    STATE_FIELDS,
    History,
    KrState,
    empty_history,
    locate,
    read_history,
    tree_at,
)

SHEET = "okrs/2026-Q1/marketing.yaml"
REF = "2026-Q1/marketing/brand-awareness/unique-visitors"


def history_of(root: Path, paths: list[Path] | None = None, rev: str = "HEAD") -> History:
    config, findings = load_config(root)
    assert findings == []
    return read_history(config, paths, rev=rev)


@pytest.fixture
def repo(git_repo):  # type: ignore[no-untyped-def]
    """The org and a marketing sheet with one KR, added on 2026-01-05 by Mei."""
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, sheet_yaml([kr("unique-visitors")]))
    git_repo.commit("okrs: Q1 marketing", author=MEI, date=at("2026-01-05"))
    return git_repo


def test_five_checkins_give_five_points_with_their_authors_and_dates(repo) -> None:  # type: ignore[no-untyped-def]
    moves = [(51200, KAI, "2026-01-12"), (52000, FANG, "2026-01-19"), (53100, KAI, "2026-01-26"),
             (53900, MEI, "2026-02-02"), (55000, KAI, "2026-02-09")]
    for current, author, day in moves:
        repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=current)]))
        repo.commit(f"checkin: unique-visitors {current}", author=author, date=at(day))

    history = history_of(repo.path)

    assert history.available and not history.shallow and history.warnings == ()
    checkins = history.checkins(REF)
    assert [p.state.current for p in checkins] == [m[0] for m in moves]
    assert [p.commit.author for p in checkins] == ["Kai Lin", "Fang Wu", "Kai Lin", "Mei Chen",
                                                   "Kai Lin"]
    assert [p.commit.email for p in checkins][:2] == ["kai@example.com", "fang@example.com"]
    assert [p.commit.date.date().isoformat() for p in checkins] == [m[2] for m in moves]
    assert checkins[0].commit.date.utcoffset() == dt.timedelta(hours=8)
    assert [p.changed for p in checkins] == [("current",)] * 5
    assert [p.commit.subject for p in checkins][-1] == "checkin: unique-visitors 55000"
    timeline = history.timeline(REF)
    assert len(timeline) == 6 and timeline[0].changed == ("added",)
    assert timeline[0].commit.author == "Mei Chen"
    assert history.last_checkin(REF) == checkins[-1].commit
    assert history.plan_changes(REF) == ()


def test_checkins_and_plan_changes_are_told_apart(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52000, confidence=0.6)]))
    repo.commit("checkin", author=KAI, date=at("2026-01-12"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52000, confidence=0.6,
                                     target=58000, owner="fang")]))
    repo.commit("plan", author=MEI, date=at("2026-01-20"))

    history = history_of(repo.path)

    assert [p.changed for p in history.checkins(REF)] == [("current", "confidence")]
    (plan,) = history.plan_changes(REF)
    assert set(plan.changed) == {"target", "owner"}
    assert plan.state == KrState(title="unique-visitors 達到目標值", current=52000,
                                 confidence=0.6, target=58000, baseline=50000,
                                 due="2026-03-31", owner="fang", direction="increase",
                                 unit="visitors")


def test_a_rename_between_teams_keeps_the_timeline(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/org.yaml", ORG)
    old = "okrs/2026-Q1/sales.yaml"
    git_repo.write(old, sheet_yaml([kr("leads", current=10, baseline=10, target=40)],
                                   team="sales", objective="pipeline"))
    git_repo.commit("okrs: sales", author=MEI, date=at("2026-01-05"))
    git_repo.write(old, sheet_yaml([kr("leads", current=15, baseline=10, target=40)],
                                   team="sales", objective="pipeline"))
    git_repo.commit("checkin: leads", author=KAI, date=at("2026-01-12"))
    git_repo.git("mv", old, "okrs/2026-Q1/growth.yaml")
    git_repo.write("okrs/2026-Q1/growth.yaml",
                   sheet_yaml([kr("leads", current=15, baseline=10, target=40)],
                              team="growth", objective="pipeline"))
    git_repo.commit("okrs: sales is now growth", author=MEI, date=at("2026-01-15"))
    git_repo.write("okrs/2026-Q1/growth.yaml",
                   sheet_yaml([kr("leads", current=22, baseline=10, target=40)],
                              team="growth", objective="pipeline"))
    git_repo.commit("checkin: leads", author=FANG, date=at("2026-01-19"))

    history = history_of(git_repo.path)

    new_ref, old_ref = "2026-Q1/growth/pipeline/leads", "2026-Q1/sales/pipeline/leads"
    assert [p.state.current for p in history.timeline(new_ref)] == [10, 15, 22]
    assert [p.commit.author for p in history.checkins(new_ref)] == ["Kai Lin", "Fang Wu"]
    assert history.timeline(old_ref) == history.timeline(new_ref)  # the old name still works
    assert history.resolve(old_ref) == new_ref
    assert old_ref not in history.kr_refs()
    renamed = [e for e in history.events() if e.kind == "sheet-renamed"]
    assert [(e.ref, e.detail["old"], e.path) for e in renamed] == [
        ("2026-Q1/growth", "2026-Q1/sales", "okrs/2026-Q1/growth.yaml")]


def test_a_move_git_does_not_see_as_a_rename_keeps_the_timeline(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/org.yaml", ORG)
    old_text = sheet_yaml([kr("leads", current=10, baseline=10, target=40)], team="sales",
                          objective="pipeline")
    git_repo.write("okrs/2026-Q1/sales.yaml", old_text)
    git_repo.commit("okrs: sales", date=at("2026-01-05"))
    git_repo.remove("okrs/2026-Q1/sales.yaml")
    # rewritten so much that git's rename detection (50% similar) misses it
    git_repo.write("okrs/2026-Q1/growth.yaml", sheet_yaml(
        [kr("leads", current=12, baseline=10, target=40, title="多一點潛在客戶", metric="SQL 數",
            owner="fang", due="2026-03-30"),
         *(kr(f"new-{n}", title=f"第 {n} 個新的關鍵結果,說明很長很長很長很長很長", owner="fang",
              metric=f"新的指標 {n}", unit="人") for n in range(4))],
        team="growth", objective="pipeline", objective_title="讓業務管道更滿"))
    git_repo.commit("okrs: growth takes over", date=at("2026-01-12"))
    status = git_repo.git("show", "--name-status", "--format=", "-M", "HEAD")
    assert status.startswith("D") or status.startswith("A"), status

    history = history_of(git_repo.path)

    points = history.timeline("2026-Q1/growth/pipeline/leads")
    assert [p.state.current for p in points] == [10, 12]


def test_objective_and_kr_renames_keep_timelines(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51000),
                                  kr("followers", current=100, baseline=100, target=200)]))
    repo.commit("add followers", author=KAI, date=at("2026-01-10"))
    # the objective's id changes (its KRs stay), then a KR id changes (its title stays)
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52000),
                                  kr("followers", current=120, baseline=100, target=200)],
                                 objective="brand"))
    repo.commit("rename objective", author=MEI, date=at("2026-01-15"))
    repo.write(SHEET, sheet_yaml([kr("visitors", current=53000,
                                     title="unique-visitors 達到目標值"),
                                  kr("followers", current=130, baseline=100, target=200)],
                                 objective="brand"))
    repo.commit("rename kr", author=MEI, date=at("2026-01-20"))

    history = history_of(repo.path)

    ref = "2026-Q1/marketing/brand/visitors"
    assert [p.state.current for p in history.timeline(ref)] == [50000, 51000, 52000, 53000]
    assert history.resolve(REF) == ref
    assert history.resolve("2026-Q1/marketing/brand-awareness") == "2026-Q1/marketing/brand"
    kinds = [(e.kind, e.ref, e.detail.get("old")) for e in history.events()]
    assert ("kr-renamed", ref, "2026-Q1/marketing/brand/unique-visitors") in kinds
    assert ("objective-renamed", "2026-Q1/marketing/brand",
            "2026-Q1/marketing/brand-awareness") in kinds
    assert [p.state.current for p in history.timeline("2026-Q1/marketing/brand/followers")] \
        == [100, 120, 130]


def test_events_for_added_removed_and_reparented(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, sheet_yaml([kr("unique-visitors"), kr("signups", baseline=0, target=9)],
                                 more=[("conversion", "提高轉換率", [kr("rate", baseline=2,
                                                                         target=3)])]))
    repo.commit("more", date=at("2026-01-08"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors")], parent="2026/company/grow"))
    repo.commit("less", date=at("2026-01-09"))

    history = history_of(repo.path)

    kinds = [(e.kind, e.ref) for e in history.events()]  # newest first
    assert kinds == [
        ("objective-removed", "2026-Q1/marketing/conversion"),
        ("objective-reparented", "2026-Q1/marketing/brand-awareness"),
        ("kr-removed", "2026-Q1/marketing/brand-awareness/signups"),
        ("objective-added", "2026-Q1/marketing/conversion"),
        ("kr-added", "2026-Q1/marketing/brand-awareness/signups"),
        ("sheet-added", "2026-Q1/marketing"),
    ]
    assert history.events("2026-Q1") == history.events()
    assert history.events("2026-Q2") == ()
    assert history.events()[1].detail == {"old": None, "new": "2026/company/grow"}


def test_a_version_that_does_not_parse_is_an_event_not_a_crash(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51000)]))
    repo.commit("checkin", author=KAI, date=at("2026-01-12"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52000)]).replace(
        "objectives:", "objectives: [", 1))
    broken = repo.commit("oops", author=KAI, date=at("2026-01-13"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52500, confidence=1.7)]))
    invalid = repo.commit("oops again", author=KAI, date=at("2026-01-14"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=53000)]))
    repo.commit("fixed", author=FANG, date=at("2026-01-15"))

    history = history_of(repo.path)

    assert [p.state.current for p in history.timeline(REF)] == [50000, 51000, 53000]
    assert [p.commit.subject for p in history.checkins(REF)] == ["checkin", "fixed"]
    errors = [e for e in history.events() if e.kind == "parse-error"]
    assert [e.commit.sha for e in errors] == [invalid, broken]
    assert [e.detail["finding"].code for e in errors] == ["OKR002", "OKR001"]
    assert errors[0].detail["finding"].pos.path == SHEET
    assert errors[0].detail["finding"].pos.line > 1
    assert len(history.warnings) == 1
    assert history.warnings[0]["en"].startswith(f"{SHEET} did not parse at {broken[:7]}")


def test_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "okrs" / "2026-Q1").mkdir(parents=True)
    (tmp_path / "okrs" / "2026-Q1" / "marketing.yaml").write_text(
        sheet_yaml([kr("unique-visitors")]), encoding="utf-8")

    history = history_of(tmp_path)

    assert not history.available
    assert history.timeline(REF) == () and history.events() == ()
    (warning,) = history.warnings
    assert "is not in a git repository" in warning["en"] and "\n" not in warning["en"]
    assert "git 儲存庫" in warning["zh-TW"]


def test_a_repository_without_commits(git_repo) -> None:  # type: ignore[no-untyped-def]
    git_repo.write(SHEET, sheet_yaml([kr("unique-visitors")]))

    history = history_of(git_repo.path)

    assert not history.available
    assert history.warnings[0]["en"] == "the repository has no commits yet: no history"


def test_empty_history_says_why() -> None:
    history = empty_history("no git here", "這裡沒有 git")
    assert not history.available and history.warnings == ({"en": "no git here",
                                                           "zh-TW": "這裡沒有 git"},)
    assert history.last_checkin(REF) is None and history.original_target(REF) is None


def test_a_shallow_clone_warns_and_starts_at_the_graft(repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for n, day in enumerate(("2026-01-12", "2026-01-19", "2026-01-26")):
        repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51000 + n * 1000)]))
        last = repo.commit(f"checkin {n}", author=KAI, date=at(day))
    clone = tmp_path / "clone"
    repo.clone(clone, depth=1)

    history = history_of(clone)

    assert history.available and history.shallow
    (warning,) = history.warnings
    assert warning["en"].startswith(f"shallow clone: the history starts at 2026-01-26 "
                                    f"({last[:7]})")
    assert "fetch-depth: 0" in warning["en"] and "fetch-depth: 0" in warning["zh-TW"]
    (point,) = history.timeline(REF)
    assert point.commit.sha == last and point.state.current == 53000


def test_a_detached_head_reads_the_history_up_to_it(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51000)]))
    first = repo.commit("checkin 1", author=KAI, date=at("2026-01-12"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52000)]))
    repo.commit("checkin 2", author=KAI, date=at("2026-01-19"))
    repo.git("checkout", "-q", "--detach", first)

    history = history_of(repo.path)

    assert history.available and history.warnings == ()
    assert [p.state.current for p in history.timeline(REF)] == [50000, 51000]


def test_merges_keep_branch_authors_and_count_a_checkin_once(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, sheet_yaml([kr("unique-visitors"), kr("followers", baseline=100,
                                                            target=200, current=100)]))
    repo.commit("add followers", author=MEI, date=at("2026-01-06"))
    repo.git("checkout", "-q", "-b", "kai-checkin")
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51000),
                                  kr("followers", baseline=100, target=200, current=100)]))
    repo.commit("checkin visitors", author=KAI, date=at("2026-01-12"))
    repo.git("checkout", "-q", "main")
    repo.write(SHEET, sheet_yaml([kr("unique-visitors"),
                                  kr("followers", baseline=100, target=200, current=130)]))
    repo.commit("checkin followers", author=FANG, date=at("2026-01-13"))
    env = {"GIT_AUTHOR_NAME": "Mei Chen", "GIT_AUTHOR_EMAIL": "mei@example.com",
           "GIT_COMMITTER_NAME": "Mei Chen", "GIT_COMMITTER_EMAIL": "mei@example.com",
           "GIT_AUTHOR_DATE": at("2026-01-14"), "GIT_COMMITTER_DATE": at("2026-01-14")}
    repo.git("merge", "-q", "--no-ff", "--no-edit", "kai-checkin", env=env)
    assert len(repo.git("log", "-1", "--format=%P").split()) == 2

    history = history_of(repo.path)

    visitors = history.checkins(REF)
    assert [(p.commit.author, p.state.current) for p in visitors] == [("Kai Lin", 51000)]
    followers = history.checkins("2026-Q1/marketing/brand-awareness/followers")
    assert [(p.commit.author, p.state.current) for p in followers] == [("Fang Wu", 130)]


def test_a_merge_that_resolves_a_conflict_is_a_point(repo) -> None:  # type: ignore[no-untyped-def]
    repo.git("checkout", "-q", "-b", "side")
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51000)]))
    repo.commit("side checkin", author=KAI, date=at("2026-01-12"))
    repo.git("checkout", "-q", "main")
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=51500)]))
    repo.commit("main checkin", author=FANG, date=at("2026-01-13"))
    result = subprocess.run(["git", "merge", "-q", "side"], cwd=repo.path, capture_output=True,
                            check=False)
    assert result.returncode != 0  # a conflict on current:
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=52000)]))
    merge = repo.commit("merge side: both checked in, the newer figure wins", author=MEI,
                        date=at("2026-01-14"))

    history = history_of(repo.path)

    points = history.checkins(REF)
    assert [(p.commit.subject.split()[0], p.state.current) for p in points] == [
        ("side", 51000), ("main", 51500), ("merge", 52000)]
    assert points[-1].commit.sha == merge


def test_uncommitted_changes_are_not_points(repo) -> None:  # type: ignore[no-untyped-def]
    assert not history_of(repo.path).dirty
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=59000)]))

    history = history_of(repo.path)

    assert history.dirty
    assert [p.state.current for p in history.timeline(REF)] == [50000]


def test_the_linter_runs_no_git_status(repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from okrkit import git
    from okrkit.rules import runner

    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=59000)]))  # uncommitted
    asked: list[object] = []
    real = git.is_dirty_later

    def is_dirty_later(*args: Path | str) -> object:
        asked.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(git, "is_dirty_later", is_dirty_later)
    config, _ = load_config(repo.path)
    # the whole tree's lint reads the whole history, and never reads `dirty`
    assert runner.lint(config, None, today=dt.date(2026, 3, 1)).findings
    assert not read_history(config, ask_dirty=False).dirty
    assert asked == []
    assert read_history(config).dirty and len(asked) == 1


def test_goal_post_moves_and_the_original_target(git_repo) -> None:  # type: ignore[no-untyped-def]
    repo = git_repo
    repo.write(SHEET, sheet_yaml([kr("unique-visitors")]))
    repo.commit("plan Q1", date=at("2025-12-15"))
    # planned before the cycle: target 60000 → 62000 is not a move (not started yet)
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", target=62000)]))
    repo.commit("raise the bar", date=at("2025-12-20"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", target=58000)]))
    repo.commit("lower the target", author=KAI, date=at("2026-02-10"))
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", target=55000, baseline=51000)]))
    repo.git("add", "-A")
    env = {"GIT_AUTHOR_DATE": at("2026-02-20"), "GIT_COMMITTER_DATE": at("2026-02-20")}
    repo.git("commit", "-q", "-m", "lower again\n\nThe GA4 migration dropped bot traffic.\n\n"
             "OKR-Reason: GA4 排除機器人流量\nSigned-off-by: Mei <mei@example.com>", env=env)
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", target=57000, baseline=51000)]))
    repo.commit("raise it a bit", date=at("2026-02-25"))

    history = history_of(repo.path)

    moves = history.goal_post_moves(REF)
    assert [(m.field, m.old, m.new, m.reason, m.source) for m in moves] == [
        ("target", 62000, 58000, None, None),
        ("target", 58000, 55000, "GA4 排除機器人流量", "trailer"),
        ("baseline", 50000, 51000, "GA4 排除機器人流量", "trailer"),
    ]
    assert moves[0].commit.author == "Kai Lin"
    assert history.original_target(REF) == 62000
    assert history.original(REF, "baseline") == 50000
    assert history.timeline(REF)[3].commit.trailers == {
        "OKR-Reason": "GA4 排除機器人流量", "Signed-off-by": "Mei <mei@example.com>"}


def test_a_revision_entry_records_the_reason(repo) -> None:  # type: ignore[no-untyped-def]
    revision = {"date": "2026-02-10", "field": "target", "from": 60000, "to": 55000,
                "reason": "市場萎縮"}
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", target=55000)]))
    repo.commit("lower the target", date=at("2026-02-10"))
    # the revision is written down a day later: it still counts
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", target=55000, revisions=[revision])]))
    repo.commit("say why", date=at("2026-02-11"))

    (move,) = history_of(repo.path).goal_post_moves(REF)

    assert (move.reason, move.source) == ("市場萎縮", "revision")


def test_paths_limit_the_history_to_those_sheets_and_follow_renames(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write("okrs/2026-Q1/sales.yaml", sheet_yaml([kr("leads")], team="sales"))
    repo.commit("sales", date=at("2026-01-06"))
    repo.git("mv", SHEET, "okrs/2026-Q1/mkt.yaml")
    repo.commit("move", date=at("2026-01-07"))

    history = history_of(repo.path, [repo.path / "okrs/2026-Q1/mkt.yaml"])

    assert history.kr_refs() == (REF,)
    assert [p.commit.subject for p in history.timeline(REF)] == ["okrs: Q1 marketing"]


def test_paths_may_name_folders(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write("okrs/2026-Q2/sales.yaml", sheet_yaml([kr("leads")], cycle="2026-Q2",
                                                     team="sales"))
    repo.commit("Q2 sales", date=at("2026-03-20"))

    assert history_of(repo.path, [repo.path / "okrs" / "2026-Q1"]).kr_refs() == (REF,)
    assert len(history_of(repo.path, [repo.path / "okrs"]).kr_refs()) == 2
    assert history_of(repo.path, [repo.path.parent]).kr_refs() == ()  # outside: nothing


def test_every_point_matches_a_full_parse_of_its_commit(git_repo) -> None:  # type: ignore[no-untyped-def]
    """The patch fast path against the loader: edits of every kind, each checked."""
    git_repo.write("okrs/org.yaml", ORG)
    base = sheet_yaml([kr("unique-visitors"), kr("rate", baseline=2.0, target=3.0, current=2.0,
                                                 unit="%")])
    edits = [
        lambda t: t.replace("current: 50000", "current: 51000"),
        lambda t: t.replace("current: 51000", "current: 5.2e4"),
        lambda t: t.replace("current: 5.2e4", "current: 52000  # a comment"),
        lambda t: t.replace("current: 52000  # a comment", "current: '53000'"),
        lambda t: t.replace("current: '53000'", "current: 53000\n          # note"),
        lambda t: t.replace("current: 53000\n          # note", "current: 54000"),
        lambda t: t.replace("confidence: 0.5\n", "confidence: null\n", 1),
        lambda t: t.replace("confidence: null\n", "confidence: 0.6\n", 1),
        lambda t: t.replace("current: 54000", "current:\n          55000"),
        lambda t: t.replace("current:\n          55000", "current: 56000"),
        lambda t: t.replace("owner: kai", "owner: fang", 1),
        lambda t: t.replace("due: 2026-03-31", "due: 2026-03-30", 1),
        lambda t: t.replace("current: 2.0", "current: 2.5"),
        lambda t: t.replace("current: 2.5", "current: true"),
        lambda t: t.replace("current: true", "current: 2.6"),
        lambda t: t.replace("current: 56000", "current: 57000").replace("current: 2.6",
                                                                         "current: 2.7"),
        lambda t: t.replace("target: 60000", "target: -1"),
        lambda t: t.replace("target: -1", "target: 60000"),
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\r\n", "\n").replace("current: 57000", "current: 58000"),
        lambda t: "\ufeff" + t.replace("current: 58000", "current: 58500"),
        lambda t: t.lstrip("\ufeff").replace("current: 58500", "current: 59000"),
        lambda t: t.replace("confidence: 0.6\n", "confidence: 1.7\n", 1),  # over 1: invalid
        lambda t: t.replace("confidence: 1.7\n", "confidence: 0.7\n", 1),
        lambda t: t.replace("due: 2026-03-30", "due: 2026-02-30", 1),  # no such day: invalid
        lambda t: t.replace("due: 2026-02-30", "due: 2026-03-29", 1),
        lambda t: t.replace("unit: visitors", "unit: 0.5", 1),  # a number, not a string
    ]
    text = base
    git_repo.write(SHEET, text)
    shas = [git_repo.commit("add", date=at("2026-01-05"))]
    for n, edit in enumerate(edits):
        text = edit(text)
        git_repo.write(SHEET, text)
        day = dt.date(2026, 1, 6) + dt.timedelta(days=n)
        shas.append(git_repo.commit(f"edit {n}", date=at(day.isoformat())))

    history = history_of(git_repo.path)

    expected: dict[str, list[tuple[str, KrState]]] = {}
    for sha in shas:
        raw = subprocess.run(["git", "show", f"{sha}:{SHEET}"], cwd=git_repo.path,
                             capture_output=True, check=True).stdout
        doc, _ = yamlload.load_bytes(SHEET, raw)
        if doc is None or schema.validate(doc, "okr"):
            continue
        for o in build.sheet_from(doc).objectives:
            for k in o.key_results:
                state = KrState(*(getattr(k, f) for f in ("title", "current", "confidence",
                                                           "target", "baseline", "due",
                                                           "owner", "direction", "unit")))
                points = expected.setdefault(f"2026-Q1/marketing/{o.id}/{k.id}", [])
                # a change is a new value: 5.2e4 and 52000 are one number, true is not 1
                if not points or any(_key(getattr(points[-1][1], f)) != _key(getattr(state, f))
                                     for f in STATE_FIELDS):
                    points.append((sha, state))
    for ref, points in expected.items():
        got = [(p.commit.sha, p.state) for p in history.timeline(ref)]
        assert got == points, ref
    errors = [e for e in history.events() if e.kind == "parse-error"]
    # current: '53000' is a string; the others are caught by the patched values' schemas
    assert [e.commit.subject for e in errors] == ["edit 26", "edit 24", "edit 22", "edit 3"]


def _key(value: object) -> tuple[bool, object]:
    return isinstance(value, bool), value


def test_tree_at_a_revision(repo) -> None:  # type: ignore[no-untyped-def]
    first = repo.head()
    repo.write(SHEET, sheet_yaml([kr("unique-visitors", current=58000)]))
    repo.write("okrs/2026-Q1/sales.yaml", "cycle: [")
    repo.commit("more", date=at("2026-01-20"))
    config, _ = load_config(repo.path)

    old = tree_at(config, locate(config), first)
    assert old.unloaded == {}
    assert old.org is not None and old.org.team("sales") is not None
    assert [kr.current for _, _, kr in old.key_results()] == [50000]

    new = tree_at(config, locate(config), "HEAD")
    assert [(p, f.code) for p, f in new.unloaded.items()] == [
        ("okrs/2026-Q1/sales.yaml", "OKR001")]
    assert [kr.current for _, _, kr in new.key_results()] == [58000]


def test_state_fields_name_kr_state_fields_in_order() -> None:
    import dataclasses

    # the patch path builds a KrState positionally from STATE_FIELDS
    assert tuple(f.name for f in dataclasses.fields(KrState)) == STATE_FIELDS


def test_a_sheet_moved_out_of_the_tree_is_removed_and_back_in_added(repo) -> None:  # type: ignore[no-untyped-def]
    (repo.path / "okrs" / "archive" / "2026-Q1").mkdir(parents=True)
    repo.git("mv", SHEET, "okrs/archive/2026-Q1/marketing.yaml")
    repo.commit("archive", date=at("2026-04-02"))
    repo.git("mv", "okrs/archive/2026-Q1/marketing.yaml", SHEET)
    repo.commit("restore", date=at("2026-04-03"))

    history = history_of(repo.path)

    kinds = [(e.kind, e.commit.subject) for e in history.events()]
    assert kinds == [("sheet-added", "restore"), ("sheet-removed", "archive"),
                     ("sheet-added", "okrs: Q1 marketing")]
    assert [p.changed for p in history.timeline(REF)] == [("added",), ("added",)]
