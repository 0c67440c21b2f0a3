"""OKR302 unrealistic: over the ceiling, or a very low starting confidence (seed: Achievable).

「過於困難的目標可能會導致團隊士氣低落」: +400% in a quarter is flagged at the target;
the article's +15% passes. A confidence under 0.2 counts only at the start of
the cycle: from the git history when there is one, else the current value
before the cycle starts or in its first fifth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest

from gitrepo import GitRepo
from history_helpers import MEI, ORG, at, kr, sheet_yaml
from okrkit.config import load_config
from okrkit.history import History, read_history

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: 提升內容觸及率
    owner: yuting
    strategy: [brand]
    key_results:
      - id: newsletter-subscribers
        title: 電子報訂閱人數增加400%
        metric: 電子報有效訂閱人數
        baseline: 12000
        target: 60000
      - id: bounce-rate
        title: 部落格跳出率從48%降低到10%
        metric: 部落格頁面跳出率
        direction: decrease
        baseline: 48
        target: 10
      - id: blog-reads
        title: 部落格文章閱讀次數增加30%
        metric: 部落格文章每月閱讀次數
        baseline: 40000
        target: 52000
        confidence: 0.1
"""

ZH_GOOD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: 提升內容觸及率
    owner: yuting
    strategy: [brand]
    key_results:
      - id: newsletter-subscribers
        title: 電子報訂閱人數增加15%
        metric: 電子報有效訂閱人數
        baseline: 12000
        target: 13800
        confidence: 0.6
      - id: blog-reads
        title: 部落格文章閱讀次數增加30%
        metric: 部落格文章每月閱讀次數
        baseline: 40000
        target: 52000
        confidence: 0.5
"""

EN_BAD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: Reach more readers
    owner: yuting
    strategy: [brand]
    key_results:
      - id: newsletter-subscribers
        title: Grow newsletter subscribers from 12000 to 60000
        metric: active newsletter subscribers
        baseline: 12000
        target: 60000
        confidence: 0.15
"""

EN_GOOD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: Reach more readers
    owner: yuting
    strategy: [brand]
    key_results:
      - id: newsletter-subscribers
        title: Grow newsletter subscribers from 12000 to 13800
        metric: active newsletter subscribers
        baseline: 12000
        target: 13800
        confidence: 0.6
"""

EARLY = dt.date(2026, 1, 10)  # day 10 of 90: the cycle has just started
LATE = dt.date(2026, 3, 20)

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(14, 17, "OKR302"), (20, 17, "OKR302"), (26, 21, "OKR302")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(14, 17, "OKR302"), (15, 21, "OKR302")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_an_unreachable_target_is_flagged(check: Check, lang: str, case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, today=EARLY, code="OKR302") == expected


def test_a_low_confidence_late_in_the_cycle_is_a_status_not_a_plan(check: Check) -> None:
    assert check(EN_BAD, today=LATE, code="OKR302") == [(14, 17, "OKR302")]
    assert check(EN_BAD, today=dt.date(2025, 12, 1), code="OKR302") == [(14, 17, "OKR302"),
                                                                (15, 21, "OKR302")]


def test_options_move_the_ceiling_and_the_confidence_floor(check: Check) -> None:
    conf = {"rules": {"OKR302": {"ceiling": 5.0, "min_confidence": 0.1}}}
    assert check(EN_BAD, conf, today=EARLY, code="OKR302") == []


def content_history(git_repo: GitRepo, confidences: Sequence[tuple[str, float]]) -> History:
    """The real history of a content sheet whose newsletter key result was committed with
    each (day, confidence) in turn."""
    git_repo.write("okrs/org.yaml", ORG)
    for day, confidence in confidences:
        newsletter = kr("newsletter-subscribers", baseline=12000, target=13800,
                        current=12000, confidence=confidence, unit="人")
        git_repo.write("okrs/2026-Q1/content.yaml",
                       sheet_yaml([newsletter], team="content", objective="content-reach"))
        git_repo.commit("check-in", author=MEI, date=at(day))
    config, findings = load_config(git_repo.path)
    assert findings == []
    history = read_history(config)
    assert history.available, history.warnings
    return history


def test_the_starting_confidence_comes_from_the_history_when_read(
        git_repo: GitRepo, tmp_path, lint_snippet) -> None:
    started_low = content_history(git_repo, [("2025-12-28", 0.1), ("2026-02-20", 0.6)])
    findings = lint_snippet(tmp_path, EN_GOOD, today=LATE, history=started_low)
    [finding] = [f for f in findings if f.code == "OKR302"]
    assert (finding.pos.line, finding.pos.col) == (15, 21)
    assert finding.message("en") == (
        "starting confidence 0.1 is below 0.2: the team does not believe in this target")
    assert finding.message("zh-TW") == "起始信心指數 0.1 低於 0.2:團隊自己也不相信能達成這個目標"


def test_a_key_result_added_after_the_start_starts_at_its_first_commit(
        git_repo: GitRepo, check: Check) -> None:
    added_late = content_history(git_repo, [("2026-01-05", 0.5)])
    sheet = EN_BAD.replace("60000", "13800")  # confidence 0.15 now, 0.5 when added
    assert check(sheet, today=EARLY, code="OKR302") == [(15, 21, "OKR302")]
    assert check(sheet, today=EARLY, history=added_late, code="OKR302") == []


def test_messages_give_the_change_and_the_ceiling(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD, today=EARLY) if f.code == "OKR302"]
    assert [f.message("en").split(":")[0] for f in findings] == [
        "target 60000 is +400.0% over baseline 12000, above the ceiling of +300%",
        "target 10 is -79.2% from baseline 48, a cut beyond the ceiling of -75%",
        "starting confidence 0.1 is below 0.2",
    ]


def test_alone_it_reads_the_git_history_for_the_starting_confidence(
        git_repo, make_repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # OKR302 read the history only when OKR503/OKR604 ran too: selected alone, the
    # low start (0.1 in December) went unseen once the confidence had risen to 0.6
    from history_helpers import at
    from okrkit.config import load_config
    from okrkit.rules.runner import lint

    ref_line = "        confidence: 0.6\n"
    assert EN_GOOD.count(ref_line) == 1
    linted = make_repo(git_repo.path, EN_GOOD.replace(ref_line, "        confidence: 0.1\n"))
    git_repo.commit("okrs: plan 2026-Q1", date=at("2025-12-28"))
    make_repo(git_repo.path, EN_GOOD)
    git_repo.commit("okrs: check-in", date=at("2026-02-20"))
    monkeypatch.chdir(git_repo.path)
    config, _ = load_config(git_repo.path)
    result = lint(config, [git_repo.path / p for p in linted], today=LATE, select=["OKR302"])
    assert [(f.pos.line, f.pos.col, f.code) for f in result.findings] == [(15, 21, "OKR302")]
    assert result.notes == ()
