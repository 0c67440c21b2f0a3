"""OKR604 goal posts moved: the real linter on real repositories with dated commits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from history_helpers import KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit.config import load_config
from okrkit.findings import Finding
from okrkit.rules.runner import lint

SHEET = "okrs/2026-Q1/marketing.yaml"
TODAY = "2026-02-15"
REASON = {"date": "2026-02-10", "field": "target", "from": 60000, "to": 55000,
          "reason": "GA4 排除機器人流量後重新估算"}


def marketing(target: int = 60000, baseline: int = 50000, *, revisions: tuple = (),  # type: ignore[type-arg]
              direction: str | None = None, current: int = 52000) -> str:
    return sheet_yaml([kr("unique-visitors", target=target, baseline=baseline, current=current,
                          direction=direction, revisions=revisions),
                       kr("followers", baseline=24000, target=27600, current=25000, unit="人")])


def moved(root: Path, today: str = TODAY) -> list[Finding]:
    config, findings = load_config(root)
    assert findings == []
    result = lint(config, today=dt.date.fromisoformat(today), select=["OKR604"])
    return [f for f in result.findings if f.code == "OKR604"]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def repo(git_repo, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-20"))
    monkeypatch.chdir(git_repo.path)
    return git_repo


def test_a_target_lowered_mid_cycle_without_a_reason(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000))
    sha = repo.commit("okrs: a more realistic target", author=KAI, date=at("2026-02-10"))

    (finding,) = moved(repo.path)

    assert (finding.pos.path, finding.pos.line, finding.pos.col) == (
        SHEET, line_of(marketing(target=55000), "target: 55000"), 17)
    assert finding.message() == (
        f"target moved from 60000 to 55000 (−8.3%) on 2026-02-10 by Kai Lin ({sha[:7]}) after "
        "the cycle started, with no reason recorded: add a `revisions:` entry (date, field, "
        "from, to, reason) or an `OKR-Reason:` commit trailer")
    assert finding.message("zh-TW").startswith(
        f"週期開始後,Kai Lin 於 2026-02-10({sha[:7]})將 target 從 60000 改為 55000(−8.3%)")


def test_a_revisions_entry_records_the_reason(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000, revisions=(REASON,)))
    repo.commit("okrs: a more realistic target", author=KAI, date=at("2026-02-10"))
    assert moved(repo.path) == []


def test_a_revision_added_later_counts_too(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000))
    repo.commit("okrs: a more realistic target", author=KAI, date=at("2026-02-10"))
    repo.write(SHEET, marketing(target=55000, revisions=(REASON,)))
    assert moved(repo.path) == []  # not even committed yet: the file on disk says why


def test_a_commit_trailer_records_the_reason(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000))
    repo.commit("okrs: a more realistic target\n\nOKR-Reason: 預算刪減三成", author=KAI,
                date=at("2026-02-10"))
    assert moved(repo.path) == []


def test_before_the_cycle_starts_the_plan_may_change(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000))
    repo.commit("okrs: planning", author=KAI, date=at("2025-12-28"))
    assert moved(repo.path) == []


def test_raising_the_target_is_not_moving_goal_posts(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=65000))
    repo.commit("okrs: aim higher", author=KAI, date=at("2026-02-10"))
    assert moved(repo.path) == []


def test_a_baseline_raised_for_an_increase_kr(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(baseline=52000))
    repo.commit("okrs: new baseline", author=KAI, date=at("2026-02-10"))
    (finding,) = moved(repo.path)
    assert finding.pos.line == line_of(marketing(baseline=52000), "baseline: 52000")
    assert finding.params["field"] == "baseline" and finding.params["change"] == "+4.0%"


def test_a_decrease_kr_whose_target_went_up(git_repo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing(target=400, baseline=450, current=440,
                                    direction="decrease"))
    git_repo.commit("okrs: plan", date=at("2025-12-20"))
    git_repo.write(SHEET, marketing(target=420, baseline=450, current=440,
                                    direction="decrease"))
    git_repo.commit("okrs: cost per lead", author=KAI, date=at("2026-01-20"))
    monkeypatch.chdir(git_repo.path)
    (finding,) = moved(git_repo.path)
    assert (finding.params["old"], finding.params["new"]) == ("400", "420")


def test_a_target_lowered_and_restored_is_fine(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000))
    repo.commit("okrs: lower", author=KAI, date=at("2026-02-10"))
    repo.write(SHEET, marketing(target=60000))
    repo.commit("okrs: back", author=MEI, date=at("2026-02-11"))
    assert moved(repo.path) == []


def test_an_uncommitted_lowering_is_caught_before_the_commit(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(target=55000))  # what the pre-commit hook sees

    (finding,) = moved(repo.path)

    assert finding.message() == (
        "target moved from 60000 to 55000 (−8.3%) after the cycle started, with no reason "
        "recorded: add a `revisions:` entry (date, field, from, to, reason)")
    assert moved(repo.path, today="2025-12-30") == []
    repo.write(SHEET, marketing(target=55000, revisions=(REASON,)))
    assert moved(repo.path) == []
