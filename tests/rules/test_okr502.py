"""OKR502 cycle-ended-unscored: grade and review at the cycle's end (seed: 每個週期結束時評估).

「在每個週期結束時,評估OKR的達成情況,並從中學習」: after the end of 2026-Q1, an
objective without a score (its own, or one on every key result) or without a
retrospective is flagged; before the end, or within `grace_days`, it is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q1
team: ecommerce
owner: jun
objectives:
  - id: conversion
    title: 提高網站轉換率
    owner: jun
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: 網站轉換率提升15%
        score: 0.7
      - id: bounce-rate
        title: 跳出率降低10%
  - id: after-sales
    title: 完善售後服務
    owner: an
    strategy: [customer-experience]
    score: 0.84
    retrospective: null
  - id: checkout
    title: 讓結帳流程更順暢
    owner: hao
    strategy: [customer-experience]
    retrospective: 新增 LINE Pay 後結帳完成率提升,下季處理行動版。
"""

ZH_GOOD = """\
cycle: 2026-Q1
team: ecommerce
owner: jun
objectives:
  - id: conversion
    title: 提高網站轉換率
    owner: jun
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: 網站轉換率提升15%
        score: 0.7
      - id: bounce-rate
        title: 跳出率降低10%
        score: 0.73
    retrospective: 結帳頁 A/B 測試贏的版本已全面套用;行動版跳出率仍偏高。
  - id: after-sales
    title: 完善售後服務
    owner: an
    strategy: [customer-experience]
    score: 0.84
    retrospective: 回覆範本讓首次回覆時間穩定在4小時內。
"""

EN_BAD = """\
cycle: 2026-Q1
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: Sell more to business customers
    owner: wei
    strategy: [online-growth]
"""

EN_GOOD = """\
cycle: 2026-Q1
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: Sell more to business customers
    owner: wei
    strategy: [online-growth]
    score: 0.76
    retrospective: Close to target; a large tender slipped into April.
"""

AFTER = dt.date(2026, 4, 10)
BEFORE_END = dt.date(2026, 3, 31)

CASES = {
    # neither: at the objective; no score: at the objective (no `score:` key);
    # no retrospective: at its null value
    ("zh-TW", "bad"): (ZH_BAD, [(5, 5, "OKR502"), (20, 20, "OKR502"), (21, 5, "OKR502")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(5, 5, "OKR502")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_an_ended_cycle_without_score_or_retrospective_is_flagged(check: Check, lang: str,
                                                                  case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, today=AFTER, code="OKR502") == expected


def test_nothing_is_due_before_the_cycle_ends_or_within_the_grace(check: Check) -> None:
    assert check(ZH_BAD, today=BEFORE_END, code="OKR502") == []
    grace_14, grace_9 = ({"rules": {"OKR502": {"grace_days": days}}} for days in (14, 9))
    assert check(ZH_BAD, grace_14, today=AFTER, code="OKR502") == []
    assert len(check(ZH_BAD, grace_9, today=AFTER, code="OKR502")) == 3


def test_messages_say_what_is_missing(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD, today=AFTER) if f.code == "OKR502"]
    assert [f.message("en") for f in findings] == [
        "cycle 2026-Q1 ended on 2026-03-31: objective 'conversion' has no score and no "
        "retrospective",
        "cycle 2026-Q1 ended on 2026-03-31: objective 'after-sales' has no retrospective",
        "cycle 2026-Q1 ended on 2026-03-31: objective 'checkout' has no score (set score on "
        "it or on every key result)",
    ]
    assert findings[0].message("zh-TW") == (
        "週期 2026-Q1 已於 2026-03-31 結束:目標「conversion」沒有評分,也沒有回顧")
