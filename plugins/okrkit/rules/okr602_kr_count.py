"""Too few or too many key results

**What**: an objective with fewer than `min` (default 2) or more than `max`
(default 5) key results. Too few points at the objective's `key_results:`
(or at the objective when there is none); too many at the first key result
over the limit.

**Why**: the article gives two ranges: 「每個目標應該有2到4個關鍵結果」 in its steps and
「為每個目標設定3-5個可衡量的關鍵結果」 in its best practices. The defaults take the
union, 2 to 5: one key result is a single metric dressed up as an objective,
and more than five spreads the objective thin. A team that follows the stricter
reading sets `min: 3` or `max: 4`.

**Bad**: an objective with a single key result.

```yaml
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
        metric: 網站購買轉換率
        source: Shopify 後台
        baseline: 2.4
        target: 2.76
```

**Good**: the article's e-commerce case: three key results.

```yaml
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
        metric: 網站購買轉換率
        source: Shopify 後台
        baseline: 2.4
        target: 2.76
      - id: cart-value
        title: 平均購物車價值提高8%
        metric: 平均購物車價值
        source: Shopify 後台
        baseline: 1850
        target: 1998
      - id: bounce-rate
        title: 跳出率降低10%
        metric: 網站整體跳出率
        source: Google Analytics
        direction: decrease
        baseline: 48
        target: 43.2
```

**Options**:

- `min` (default `2`): the fewest key results per objective.
- `max` (default `5`): the most key results per objective.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR602"
NAME = "kr-count"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"min": 2, "max": 5}
MESSAGES = {
    "default": {
        "en": "objective '{objective}' needs at least {limit} key results (it has {count})",
        "zh-TW": "目標「{objective}」至少需要 {limit} 個關鍵結果(目前 {count} 個)",
    },
    "too-many": {
        "en": "objective '{objective}' has more than {limit} key results ({count}): keep the "
              "ones that show the objective is reached",
        "zh-TW": "目標「{objective}」的關鍵結果超過 {limit} 個({count} 個):只保留最能顯示目標"
                 "達成的幾個",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""關鍵結果太少或太多

**說明**:目標的關鍵結果少於 `min`(預設 2)個或多於 `max`(預設 5)個。太少時標示在目標的
`key_results:`(沒有這個欄位時標示在目標上);太多時標示在第一個超出上限的關鍵結果。

**原因**:文章給了兩個範圍:步驟中說「每個目標應該有2到4個關鍵結果」,最佳實踐中說「為每個
目標設定3-5個可衡量的關鍵結果」。預設取兩者的聯集 2 到 5:只有一個關鍵結果,等於把單一
指標包裝成目標;超過五個則讓目標失焦。採用較嚴格說法的團隊可設定 `min: 3` 或 `max: 4`。

**錯誤示範**:只有一個關鍵結果的目標。

{_BAD}

**正確示範**:文章的電商案例:三個關鍵結果。

{_GOOD}

**選項**:

- `min`(預設 `2`):每個目標最少的關鍵結果數。
- `max`(預設 `5`):每個目標最多的關鍵結果數。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    fewest, most = int(options["min"]), int(options["max"])
    for objective in sheet.objectives:
        count = len(objective.key_results)
        params = {"objective": objective.id, "count": count}
        if count < fewest:
            yield Hit(objective.src.pos("key_results", key=True), {**params, "limit": fewest})
        elif count > most:
            yield Hit(objective.key_results[most].src.pos(), {**params, "limit": most},
                      "too-many")
