"""OKR301 not-challenging: a target under the floor (seed: 缺乏挑戰性).

A committed key result from 100 to 103 gives one OKR301 at its `target:` value;
100 → 110 gives none; with `committed_floor: 0.02` the first is clean. An
aspirational objective has the higher floor (+10%); a decrease is measured the
other way; a target exactly at the floor passes (the article's 「提高5%」).
"""

from __future__ import annotations

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
    kind: committed
    strategy: [online-growth]
    key_results:
      - id: orders
        title: 將每週訂單數從100筆提升到103筆
        metric: 每週完成的訂單數
        baseline: 100
        target: 103
      - id: bounce-rate
        title: 跳出率從48%降低到46%
        metric: 網站整體跳出率
        direction: decrease
        baseline: 48
        target: 46
  - id: overseas
    title: 拓展海外市場
    owner: lin
    kind: aspirational
    strategy: [market-expansion]
    key_results:
      - id: overseas-users
        title: 新市場用戶數量增加8%
        metric: 新市場註冊用戶數
        baseline: 8000
        target: 8640
      - id: overseas-share
        title: 市場佔有率從5%提升到4.5%
        metric: 目標品類的市場佔有率
        baseline: 5.0
        target: 4.5
"""

ZH_GOOD = """\
cycle: 2026-Q1
team: ecommerce
owner: jun
objectives:
  - id: conversion
    title: 提高網站轉換率
    owner: jun
    kind: committed
    strategy: [online-growth]
    key_results:
      - id: orders
        title: 將每週訂單數從100筆提升到110筆
        metric: 每週完成的訂單數
        baseline: 100
        target: 110
      - id: email-ctr
        title: 將電子郵件行銷的點擊率提高5%
        metric: 電子報平均點擊率
        baseline: 3.2
        target: 3.36
      - id: bounce-rate
        title: 跳出率降低10%
        metric: 網站整體跳出率
        direction: decrease
        baseline: 48
        target: 43.2
  - id: overseas
    title: 拓展海外市場
    owner: lin
    strategy: [market-expansion]
    key_results:
      - id: overseas-users
        title: 新市場用戶數量增加20%
        metric: 新市場註冊用戶數
        baseline: 8000
        target: 9600
      - id: overseas-partners
        title: 簽約的海外經銷夥伴至少達到5家
        metric: 已簽約的海外經銷夥伴數
        direction: at_least
        baseline: 4
        target: 5
"""

EN_BAD = """\
cycle: 2026-Q1
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: Sell more to business customers
    owner: wei
    kind: committed
    strategy: [online-growth]
    key_results:
      - id: new-customers
        title: Grow new business customers from 100 to 103
        metric: new business customers per quarter
        baseline: 100
        target: 103
"""

EN_GOOD = """\
cycle: 2026-Q1
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: Sell more to business customers
    owner: wei
    kind: committed
    strategy: [online-growth]
    key_results:
      - id: new-customers
        title: Grow new business customers from 100 to 110
        metric: new business customers per quarter
        baseline: 100
        target: 110
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(15, 17, "OKR301"), (21, 17, "OKR301"), (32, 17, "OKR301"),
                                (37, 17, "OKR301")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(15, 17, "OKR301")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_target_under_the_floor_is_flagged_at_the_target(check: Check, lang: str,
                                                           case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR301") == expected


def test_a_lower_committed_floor_lets_103_pass(check: Check) -> None:
    assert check(EN_BAD, {"rules": {"OKR301": {"committed_floor": 0.02}}}, code="OKR301") == []


def test_the_same_target_passes_committed_and_fails_aspirational(check: Check) -> None:
    aspirational = EN_GOOD.replace("kind: committed", "kind: aspirational").replace(
        "target: 110", "target: 108")
    committed = aspirational.replace("kind: aspirational", "kind: committed")
    assert check(aspirational, code="OKR301") == [(15, 17, "OKR301")]
    assert check(committed, code="OKR301") == []


def test_messages_give_the_change_and_the_floor(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR301"]
    assert [f.message("en") for f in findings] == [
        "target 103 is only +3.0% over baseline 100 (floor for committed objectives: +5%)",
        "target 46 is only -4.2% from baseline 48 (floor for committed objectives: -5%)",
        "target 8640 is only +8.0% over baseline 8000 (floor for aspirational objectives: "
        "+10%)",
        "target 4.5 is below baseline 5.0 (-10.0%), yet the key result should increase",
    ]
    assert findings[0].message("zh-TW") == (
        "目標值 103 只比基準值 100 高 +3.0%(承諾型目標的下限:+5%)")
