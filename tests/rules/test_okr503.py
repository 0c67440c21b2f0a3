"""OKR503 stale: the real linter on real repositories with dated commits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from history_helpers import FANG, KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit.config import load_config
from okrkit.findings import Finding
from okrkit.rules.runner import LintResult, lint

SHEET = "okrs/2026-Q1/marketing.yaml"


def marketing(current: int = 50000, confidence: float = 0.5, followers: int = 24000) -> str:
    return sheet_yaml([kr("unique-visitors", current=current, confidence=confidence),
                       kr("followers", baseline=24000, target=27600, current=followers,
                          unit="人")])


def run_lint(root: Path, today: str, conf: dict[str, object] | None = None) -> LintResult:
    if conf is not None:
        (root / ".okrkit.yaml").write_text(yaml.safe_dump(conf), encoding="utf-8")
    config, findings = load_config(root)
    assert findings == []
    return lint(config, today=dt.date.fromisoformat(today), select=["OKR503"])


def stale(result: LintResult) -> list[Finding]:
    return [f for f in result.findings if f.code == "OKR503"]


def value_pos(text: str, needle: str) -> tuple[int, int]:
    """(line, column) of the value in the first line holding `needle` (`current: 50000`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + needle.index(":") + 3
    raise AssertionError(needle)


@pytest.fixture
def repo(git_repo, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-20"))
    git_repo.write(SHEET, marketing(current=51000, followers=24500))
    git_repo.commit("checkin", author=KAI, date=at("2026-01-16"))
    monkeypatch.chdir(git_repo.path)
    return git_repo


def test_a_kr_untouched_for_30_days_in_an_active_cycle(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(current=51000, followers=25000))
    repo.commit("checkin followers", author=FANG, date=at("2026-02-10"))

    findings = stale(run_lint(repo.path, "2026-02-15"))

    (finding,) = findings
    text = marketing(current=51000, followers=25000)
    assert (finding.pos.path, finding.pos.line, finding.pos.col) == (
        SHEET, *value_pos(text, "current: 51000"))
    assert finding.message() == ("no check-in for 30 days (last on 2026-01-16 by Kai Lin, "
                                 f"{repo.git('rev-parse', '--short=7', 'HEAD~1').strip()}): "
                                 "update current or confidence at least every 14 days")
    assert finding.message("zh-TW").startswith("已 30 天沒有更新進度(上次是 2026-01-16,Kai Lin,")


def test_a_recent_checkin_is_not_stale(repo) -> None:  # type: ignore[no-untyped-def]
    assert stale(run_lint(repo.path, "2026-01-30")) == []  # 14 days: not more than 14
    assert len(stale(run_lint(repo.path, "2026-01-31"))) == 2


def test_the_cadence_is_configurable(repo) -> None:  # type: ignore[no-untyped-def]
    result = run_lint(repo.path, "2026-01-26", {"rules": {"OKR503": {"stale_days": 7}}})
    assert [f.params["days"] for f in stale(result)] == [10, 10]


def test_only_in_an_active_cycle(repo) -> None:  # type: ignore[no-untyped-def]
    assert stale(run_lint(repo.path, "2026-04-20")) == []  # 2026-Q1 is over
    assert stale(run_lint(repo.path, "2025-12-28")) == []  # not started yet


def test_never_checked_in_counts_from_the_cycle_start_or_the_addition(git_repo,  # type: ignore[no-untyped-def]
                                                                       monkeypatch) -> None:
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(SHEET, marketing())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-20"))
    git_repo.write(SHEET, sheet_yaml([kr("unique-visitors"),
                                      kr("followers", baseline=24000, target=27600,
                                         current=24000, unit="人"),
                                      kr("signups", baseline=0, target=500, current=0)]))
    added = git_repo.commit("okrs: one more", author=KAI, date=at("2026-01-10"))
    monkeypatch.chdir(git_repo.path)

    findings = stale(run_lint(git_repo.path, "2026-01-30"))

    assert [f.message() for f in findings] == [
        "no check-in for 29 days (none since the cycle started on 2026-01-01): update current "
        "or confidence at least every 14 days"] * 2 + [
        f"no check-in for 20 days (never since it was added on 2026-01-10 by Kai Lin, "
        f"{added[:7]}): update current or confidence at least every 14 days"]


def test_a_confidence_update_is_a_checkin(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(current=51000, confidence=0.4, followers=24500))
    repo.commit("still at 51000, less sure", author=KAI, date=at("2026-02-10"))
    (finding,) = stale(run_lint(repo.path, "2026-02-15"))
    assert finding.params["days"] == 30 and "followers" not in finding.message()


def test_an_uncommitted_checkin_is_in_progress(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(current=52000, followers=24500))
    (finding,) = stale(run_lint(repo.path, "2026-02-15"))  # only the followers KR
    assert finding.pos.line == value_pos(marketing(current=52000, followers=24500),
                                         "current: 24500")[0]


def test_a_met_key_result_needs_no_checkin(repo) -> None:  # type: ignore[no-untyped-def]
    repo.write(SHEET, marketing(current=61000, followers=24500))
    repo.commit("target met", author=KAI, date=at("2026-01-17"))
    (finding,) = stale(run_lint(repo.path, "2026-02-15"))
    assert finding.pos.line == value_pos(marketing(current=61000, followers=24500),
                                         "current: 24500")[0]


def test_a_shallow_clone_judges_from_what_it_has(repo, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clone = tmp_path / "clone"
    repo.clone(clone, depth=1)
    monkeypatch.chdir(clone)
    result = run_lint(clone, "2026-02-15")
    # the graft (2026-01-16) is the oldest date it knows: at least 30 days
    assert [f.params["days"] for f in stale(result)] == [30, 30]
    assert any("shallow clone" in note["en"] for note in result.notes)


def test_without_git_history_nothing_is_reported(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "okrs" / "2026-Q1").mkdir(parents=True)
    (tmp_path / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / SHEET).write_text(marketing(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_lint(tmp_path, "2026-02-15")
    assert stale(result) == []
    (note,) = result.notes  # one line, from the history: why there is none
    assert note["en"] == ("okrs is not in a git repository: no history (check-ins, staleness, "
                          "goal posts)")
