"""OKR602 kr-count: 2 to 5 key results per objective (seed: 2到4個 / 3-5個).

One key result: flagged at the objective's `key_results:` (at the objective
when it has none); six: at the sixth; the article's e-commerce case (three)
passes. The stricter readings of the article are options.
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
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: 網站轉換率提升15%
  - id: after-sales
    title: 完善售後服務
    owner: an
    strategy: [customer-experience]
  - id: checkout
    title: 讓結帳流程更順暢
    owner: hao
    strategy: [customer-experience]
    key_results:
      - id: completion
        title: 將結帳完成率從62%提升到70%
      - id: time
        title: 將平均結帳時間從180秒縮短到120秒
      - id: payment-methods
        title: 支援的付款方式從3種增加到5種
      - id: errors
        title: 付款失敗率從4%降低到2%
      - id: mobile
        title: 行動版結帳完成率從55%提升到65%
      - id: coupons
        title: 使用優惠券的訂單比例從10%提升到15%
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
      - id: cart-value
        title: 平均購物車價值提高8%
      - id: bounce-rate
        title: 跳出率降低10%
"""

EN_BAD = """\
cycle: 2026-Q1
team: ecommerce
owner: jun
objectives:
  - id: conversion
    title: Turn more visitors into buyers
    owner: jun
    strategy: [online-growth]
    key_results: []
"""

EN_GOOD = """\
cycle: 2026-Q1
team: ecommerce
owner: jun
objectives:
  - id: conversion
    title: Turn more visitors into buyers
    owner: jun
    strategy: [online-growth]
    key_results:
      - id: conversion-rate
        title: Lift the purchase conversion rate by 15%
      - id: bounce-rate
        title: Cut the bounce rate by 10%
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(9, 5, "OKR602"), (12, 5, "OKR602"), (31, 9, "OKR602")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(9, 5, "OKR602")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_too_few_or_too_many_key_results_are_flagged(check: Check, lang: str,
                                                     case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR602") == expected


def test_the_articles_stricter_readings_are_options(check: Check) -> None:
    assert check(EN_GOOD, {"rules": {"OKR602": {"min": 3}}}, code="OKR602") == [(9, 5, "OKR602")]
    assert check(ZH_GOOD, {"rules": {"OKR602": {"min": 3, "max": 4}}}, code="OKR602") == []


def test_messages_give_the_count_and_the_limit(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR602"]
    assert [f.message("en").split(":")[0] for f in findings] == [
        "objective 'conversion' needs at least 2 key results (it has 1)",
        "objective 'after-sales' needs at least 2 key results (it has 0)",
        "objective 'checkout' has more than 5 key results (6)",
    ]
    assert findings[0].message("zh-TW") == "目標「conversion」至少需要 2 個關鍵結果(目前 1 個)"
    assert findings[2].message("zh-TW").startswith("目標「checkout」的關鍵結果超過 5 個(6 個)")
