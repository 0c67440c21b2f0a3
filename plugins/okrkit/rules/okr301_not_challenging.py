"""Not challenging

**What**: an `increase` or `decrease` key result whose target asks for less
than a floor: the relative change (target − baseline) / |baseline| under
`committed_floor` (default +5%) in a committed objective, or under
`aspirational_floor` (default +10%) in an aspirational one (the default kind).
A `decrease` key result is measured the other way: 450 → 405 is a 10% cut.
A target on the wrong side of its baseline is flagged too. Skipped: `at_least`
/ `at_most` (holding a level), milestones, and key results without a numeric
baseline (OKR202) or with a baseline of 0 (no relative change).

**Why**: the article's pitfall 缺乏挑戰性: 「OKR 的目標應該具有一定的挑戰性,能夠激發團隊的
潛能。如果目標過於容易達成,可能無法促使團隊成員全力以赴」, and its best practice
「設定稍微超出團隊舒適區的目標」. Google's distinction sets the floors apart: a
committed objective is expected to be met in full, so a modest target can be
right; an aspirational one is a stretch by definition.

**Bad**: a committed key result from 100 to 103 (+3%).

```yaml
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
        source: Shopify 後台
        baseline: 100
        target: 103
      - id: bounce-rate
        title: 跳出率降低10%
        metric: 網站整體跳出率
        source: Google Analytics
        direction: decrease
        baseline: 48
        target: 43.2
```

**Good**: the article's 「網站轉換率提升15%」.

```yaml
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
      - id: conversion-rate
        title: 網站轉換率提升15%
        metric: 網站購買轉換率
        source: Shopify 後台
        baseline: 2.4
        target: 2.76
      - id: bounce-rate
        title: 跳出率降低10%
        metric: 網站整體跳出率
        source: Google Analytics
        direction: decrease
        baseline: 48
        target: 43.2
```

**Options**:

- `committed_floor` (default `0.05`): the smallest relative change a key
  result of a committed objective may ask for.
- `aspirational_floor` (default `0.1`): the same for aspirational objectives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet, relative_change
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR301"
NAME = "not-challenging"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"committed_floor": 0.05, "aspirational_floor": 0.1}
# 0.3 − 0.27 is not exactly 0.03: a target exactly at the floor passes
_EPSILON = 1e-9
MESSAGES = {
    "default": {
        "en": "target {target} is only {change} over baseline {baseline} (floor for "
              "committed objectives: {floor})",
        "zh-TW": "目標值 {target} 只比基準值 {baseline} 高 {change}(承諾型目標的下限:{floor})",
    },
    "aspirational": {
        "en": "target {target} is only {change} over baseline {baseline} (floor for "
              "aspirational objectives: {floor})",
        "zh-TW": "目標值 {target} 只比基準值 {baseline} 高 {change}(挑戰型目標的下限:{floor})",
    },
    "decrease": {
        "en": "target {target} is only {change} from baseline {baseline} (floor for "
              "committed objectives: {floor})",
        "zh-TW": "目標值 {target} 只比基準值 {baseline} 低 {change}(承諾型目標的下限:{floor})",
    },
    "decrease-aspirational": {
        "en": "target {target} is only {change} from baseline {baseline} (floor for "
              "aspirational objectives: {floor})",
        "zh-TW": "目標值 {target} 只比基準值 {baseline} 低 {change}(挑戰型目標的下限:{floor})",
    },
    "wrong-way": {
        "en": "target {target} is below baseline {baseline} ({change}), yet the key result "
              "should increase",
        "zh-TW": "目標值 {target} 低於基準值 {baseline}({change}),但這個關鍵結果的方向是提升",
    },
    "wrong-way-decrease": {
        "en": "target {target} is above baseline {baseline} ({change}), yet the key result "
              "should decrease",
        "zh-TW": "目標值 {target} 高於基準值 {baseline}({change}),但這個關鍵結果的方向是降低",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""缺乏挑戰性

**說明**:方向為 `increase` 或 `decrease` 的關鍵結果,目標值要求的改變低於下限:相對改變
(target − baseline) / |baseline| 在承諾型目標中低於 `committed_floor`(預設 +5%),在挑戰型
目標(預設類型)中低於 `aspirational_floor`(預設 +10%)。`decrease` 的關鍵結果反向計算:
450 → 405 是降低 10%。目標值落在基準值錯誤的一側也會被標示。不檢查:`at_least` /
`at_most`(守住水準)、里程碑,以及沒有數值基準值(OKR202)或基準值為 0(無法計算相對改變)
的關鍵結果。

**原因**:文章的常見誤區「缺乏挑戰性」:「OKR 的目標應該具有一定的挑戰性,能夠激發團隊的
潛能。如果目標過於容易達成,可能無法促使團隊成員全力以赴」,以及最佳實踐「設定稍微超出
團隊舒適區的目標」。Google 區分兩種目標,所以下限不同:承諾型目標預期百分之百達成,
保守的目標值可能是對的;挑戰型目標本來就該伸展。

**錯誤示範**:承諾型目標下,從 100 提升到 103(+3%)的關鍵結果。

{_BAD}

**正確示範**:文章的「網站轉換率提升15%」。

{_GOOD}

**選項**:

- `committed_floor`(預設 `0.05`):承諾型目標的關鍵結果至少要求的相對改變。
- `aspirational_floor`(預設 `0.1`):挑戰型目標的關鍵結果至少要求的相對改變。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        committed = objective.kind == "committed"
        floor = float(options["committed_floor" if committed else "aspirational_floor"])
        for kr in objective.key_results:
            if kr.direction not in ("increase", "decrease"):
                continue
            change = relative_change(kr.baseline, kr.target)
            if change is None:  # no numeric baseline (OKR202), or a baseline of 0
                continue
            decrease = kr.direction == "decrease"
            asked = -change if decrease else change
            if asked >= floor - _EPSILON:
                continue
            params = {"target": text.number(kr.target), "baseline": text.number(kr.baseline),
                      "change": text.percent(change),
                      "floor": text.percent(-floor if decrease else floor, decimals=None)}
            if asked < 0:
                variant = "wrong-way-decrease" if decrease else "wrong-way"
            else:
                variant = ("decrease" if decrease else "default") if committed else (
                    "decrease-aspirational" if decrease else "aspirational")
            yield Hit(kr.src.pos("target"), params, variant)
