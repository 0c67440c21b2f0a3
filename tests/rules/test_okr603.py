"""OKR603 no-owner: every objective needs its own owner (seed: 建立當責文化).

A sheet's owner does not count for its objectives; a key result without an
owner belongs to its objective's owner, so it is never flagged on its own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Check = Callable[..., list[tuple[int, int, str]]]

NO_OBJECTIVE_OWNER = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    kind: aspirational
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
        owner: fang
"""

KR_WITHOUT_OWNER = """\
cycle: 2026-Q1
team: marketing
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    kind: aspirational
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
"""

ENGLISH = """\
cycle: 2026-Q1
team: sales
objectives:
  - id: grow-revenue
    title: Grow new-customer revenue
    strategy: [online-growth]
    key_results:
      - id: new-customers
        title: Grow the number of new customers by 15%
        metric: new customers per quarter
        source: CRM
        baseline: 200
        target: 230
        due: 2026-03-31
        owner: ting
  - id: key-accounts
    title: Deepen our key accounts
    owner: wei
    strategy: [online-growth]
    key_results:
      - id: order-value
        title: Raise the average order value of key accounts by 10%
        metric: average order value
        source: CRM
        baseline: 50000
        target: 55000
        due: 2026-03-31
"""


def test_objective_without_owner_is_flagged_at_its_id_even_with_a_sheet_owner(check: Check
                                                                               ) -> None:
    assert check(NO_OBJECTIVE_OWNER, code="OKR603") == [(5, 9, "OKR603")]


def test_a_key_result_without_owner_belongs_to_its_objectives_owner(check: Check) -> None:
    assert check(KR_WITHOUT_OWNER, code="OKR603") == []


def test_english_sheet_flags_only_the_objective_without_owner(check: Check) -> None:
    assert check(ENGLISH, code="OKR603") == [(4, 9, "OKR603")]


def test_message_names_the_objective_in_both_languages(tmp_path, lint_snippet) -> None:
    [finding] = [f for f in lint_snippet(tmp_path, NO_OBJECTIVE_OWNER) if f.code == "OKR603"]
    assert "social-engagement" in finding.message("en")
    assert finding.message("zh-TW") == (
        "目標「social-engagement」沒有負責人:請指定一位當責的人(表單的 owner 不算)")


@pytest.mark.parametrize("severity", ["error", "info"])
def test_severity_follows_the_config(tmp_path, lint_snippet, severity: str) -> None:
    findings = lint_snippet(tmp_path, NO_OBJECTIVE_OWNER,
                            conf={"rules": {"OKR603": {"severity": severity}}})
    assert [f.severity.label for f in findings if f.code == "OKR603"] == [severity]


def test_severity_off_turns_it_off(check: Check) -> None:
    off = {"rules": {"OKR603": {"severity": "off"}}}
    assert check(NO_OBJECTIVE_OWNER, off, code="OKR603") == []
