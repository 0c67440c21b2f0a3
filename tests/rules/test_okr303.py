"""OKR303 sandbagging (info): a sheet that starts the cycle ≥ 90% sure (seed: 缺乏挑戰性).

「設定稍微超出團隊舒適區的目標」: an average starting confidence of 0.9 or more is
noted at the sheet's `objectives:`, only at the start of the cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from okrkit.findings import Severity

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q2
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: 提高銷售額
    owner: wei
    strategy: [online-growth]
    key_results:
      - id: new-customers
        title: 新客戶數量增加15%
        metric: 本季新成交的企業客戶數
        baseline: 180
        target: 207
        confidence: 0.95
      - id: average-order-value
        title: 客戶平均訂單價值增加10%
        metric: 企業客戶平均訂單金額
        baseline: 30000
        target: 33000
        confidence: 0.85
"""

ZH_GOOD = ZH_BAD.replace("confidence: 0.95", "confidence: 0.7")

EN_BAD = """\
cycle: 2026-Q2
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: Sell more to business customers
    owner: wei
    strategy: [online-growth]
    key_results:
      - id: new-customers
        title: Grow new business customers by 15%
        metric: new business customers per quarter
        baseline: 180
        target: 207
        confidence: 0.9
      - id: average-order-value
        title: Raise the average order value by 10%
        metric: average order value of business customers
        baseline: 30000
        target: 33000
        confidence: 0.9
      - id: renewal-rate
        title: Raise the key-account renewal rate from 80% to 90%
        metric: share of key-account contracts renewed
        baseline: 80
        target: 90
"""

EN_GOOD = EN_BAD.replace("confidence: 0.9\n      - id: average", "confidence: 0.7\n      - id: "
                                                                    "average")

BEFORE_START = dt.date(2026, 3, 25)
EARLY = dt.date(2026, 4, 10)  # day 10 of 91
LATE = dt.date(2026, 5, 20)

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(4, 1, "OKR303")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(4, 1, "OKR303")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("today", [BEFORE_START, EARLY])
@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_sheet_too_sure_of_itself_at_the_start_is_noted(check: Check, lang: str, case: str,
                                                          today: dt.date) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, today=today, code="OKR303") == expected


def test_high_confidence_late_in_the_cycle_is_fine(check: Check) -> None:
    assert check(ZH_BAD, today=LATE, code="OKR303") == []


def test_one_confident_key_result_is_not_judged(check: Check) -> None:
    one = EN_BAD.replace("        confidence: 0.9\n      - id: average", "      - id: average")
    assert check(one, today=EARLY, code="OKR303") == []
    conf = {"rules": {"OKR303": {"min_key_results": 1}}}
    assert check(one, conf, today=EARLY, code="OKR303") == [(4, 1, "OKR303")]


def test_it_is_info_with_the_average(tmp_path, lint_snippet) -> None:
    [finding] = [f for f in lint_snippet(tmp_path, ZH_BAD, today=EARLY) if f.code == "OKR303"]
    assert finding.severity is Severity.INFO
    assert finding.message("en") == (
        "average starting confidence 0.90 over 2 key results is at least 0.9: are the targets "
        "too safe?")
    assert finding.message("zh-TW") == (
        "2 個關鍵結果的平均起始信心指數 0.90 達到 0.9 以上:目標是否訂得太保守?")
