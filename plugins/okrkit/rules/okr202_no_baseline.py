"""No baseline

**What**: an `increase` or `decrease` key result with a numeric target but no
numeric `baseline:`, so its progress, (current − baseline) / (target −
baseline), cannot be computed and the challenge rules (OKR301, OKR302) cannot
judge it (a count, an `increase` whose unit, metric and title name no rate or
percentage, is measured from an implicit 0 meanwhile: "7 of 75 posts"). Not
checked: `at_least` / `at_most` key results (they hold or not:
the target alone decides) and milestones (done or not); a key result without a
numeric target is OKR201's.

**Why**: the article's 「量化成果: 透過可衡量的關鍵結果,追蹤目標達成進度」 needs a
starting point; its own key results name it: 「將網站的整體轉換率從2%提升到3%」,
「將品牌知名度從15%提升至25%」. "+20%" means nothing until it is 20% of a
known number.

**Bad**: a relative target with nothing to be relative to.

```yaml
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
        source: Google Analytics
        target: 3.0
      - id: acquisition-cost
        title: 將潛在客戶的獲取成本降低10%
        metric: 每位潛在客戶的平均獲取成本
        source: Google Ads
        direction: decrease
        baseline: 450
        target: 405
```

**Good**: the article's "from 2% to 3%".

```yaml
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
        source: Google Analytics
        baseline: 2.0
        target: 3.0
      - id: acquisition-cost
        title: 將潛在客戶的獲取成本降低10%
        metric: 每位潛在客戶的平均獲取成本
        source: Google Ads
        direction: decrease
        baseline: 450
        target: 405
```

**Options**: none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet, is_number
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR202"
NAME = "no-baseline"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "no baseline: progress toward target {target} cannot be computed; record "
              "the value at the start of the cycle",
        "zh-TW": "沒有基準值(baseline):無法計算朝目標值 {target} 的進度;請記錄週期開始時"
                 "的數值",
    },
    # a count: the site and `okr score` measure it from 0 (KeyResult.implicit_zero)
    "implicit-zero": {
        "en": "no baseline: progress toward target {target} is counted from an implicit 0; "
              "record the value at the start of the cycle",
        "zh-TW": "沒有基準值(baseline):朝目標值 {target} 的進度暫以 0 為起點計算;請記錄"
                 "週期開始時的數值",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""沒有基準值

**說明**:方向為 `increase`(提升)或 `decrease`(降低)的關鍵結果有數值目標,卻沒有數值的
`baseline:`(基準值),因此無法計算進度 (current − baseline) / (target − baseline),
挑戰性規則(OKR301、OKR302)也無從判斷(計數型的關鍵結果,即單位、指標與標題都沒有比率或
百分比者,在補上基準值前暫以 0 為起點計算,例如「75 篇貼文中的 7 篇」)。不檢查:
`at_least` / `at_most`(只看是否守住目標值)
與里程碑(完成與否);沒有數值目標的關鍵結果由 OKR201 處理。

**原因**:文章的「量化成果: 透過可衡量的關鍵結果,追蹤目標達成進度」需要一個起點;文章
自己的關鍵結果就寫出了起點:「將網站的整體轉換率從2%提升到3%」、「將品牌知名度從15%
提升至25%」。「提升20%」要先知道是哪個數字的20%才有意義。

**錯誤示範**:相對的目標卻沒有比較的基準。

{_BAD}

**正確示範**:文章的「從2%提升到3%」。

{_GOOD}

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        for kr in objective.key_results:
            if kr.direction not in ("increase", "decrease") or not is_number(kr.target):
                continue
            if not is_number(kr.baseline):
                yield Hit(kr.src.pos("baseline"), {"target": text.number(kr.target)},
                          "implicit-zero" if kr.implicit_zero else "default")
