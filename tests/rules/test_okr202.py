"""OKR202 no-baseline: progress cannot be computed without a starting value.

The article names its starting points (「將網站的整體轉換率從2%提升到3%」); "+10%"
of nothing is flagged at the key result (or at `baseline: null`). at_least,
at_most and milestones need no baseline.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: website-conversion
    title: 提高網站轉換率
    owner: kai
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: 將網站的整體轉換率提升到3%
        metric: 網站整體轉換率
        target: 3.0
      - id: acquisition-cost
        title: 將潛在客戶的獲取成本降低10%
        metric: 每位潛在客戶的平均獲取成本
        direction: decrease
        baseline: null
        target: 405
"""

ZH_GOOD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: website-conversion
    title: 提高網站轉換率
    owner: kai
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: 將網站的整體轉換率從2%提升到3%
        metric: 網站整體轉換率
        baseline: 2.0
        target: 3.0
      - id: media-coverage
        title: 在行業相關的媒體上獲得至少3次報導
        metric: 行業媒體報導則數
        direction: at_least
        target: 3
      - id: response-time
        title: 客服首次回覆時間維持在4小時以內
        metric: 客服工單平均首次回覆時間
        direction: at_most
        target: 4
"""

EN_BAD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: website-conversion
    title: Convert more visitors
    owner: kai
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: Lift site-wide conversion to 3%
        metric: site-wide conversion rate
        target: 3.0
"""

EN_GOOD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: website-conversion
    title: Convert more visitors
    owner: kai
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: Lift site-wide conversion from 2% to 3%
        metric: site-wide conversion rate
        baseline: 2.0
        target: 3.0
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(10, 9, "OKR202"), (18, 19, "OKR202")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(10, 9, "OKR202")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_relative_target_without_baseline_is_flagged(check: Check, lang: str,
                                                       case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR202") == expected


def test_a_key_result_without_numeric_target_is_left_to_okr201(check: Check) -> None:
    sheet = ZH_BAD.replace("        target: 3.0\n", "")  # one line less above the second
    assert check(sheet, code="OKR202") == [(17, 19, "OKR202")]


def test_message_names_the_target(tmp_path, lint_snippet) -> None:
    [first, _] = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR202"]
    assert first.message("en").startswith("no baseline: progress toward target 3.0 cannot")
    assert first.message("zh-TW").startswith("沒有基準值(baseline):無法計算朝目標值 3.0 的進度")


COUNT = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: community
    title: Grow the forum
    owner: kai
    strategy: [online-growth]
    key_results:
      - id: forum-posts
        title: Get 75 posts on the forum
        metric: forum posts
        unit: posts
        target: 75
        current: 7
"""


def test_a_count_is_still_flagged_and_says_it_counts_from_zero(tmp_path, lint_snippet) -> None:
    [found] = [f for f in lint_snippet(tmp_path, COUNT) if f.code == "OKR202"]
    assert (found.pos.line, found.pos.col) == (10, 9)
    assert found.message("en") == (
        "no baseline: progress toward target 75 is counted from an implicit 0; record the "
        "value at the start of the cycle")
    assert found.message("zh-TW").startswith("沒有基準值(baseline):朝目標值 75 的進度暫以 0 為起點")
