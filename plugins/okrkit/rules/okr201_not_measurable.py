"""Key result not measurable

**What**: a key result without a numeric `target:` or without a `metric:` (what
is measured). A `milestone` key result is measurable by definition (done or
not) and is skipped. The finding points at a `target:` that is there but is not
a number, else at the key result.

**Why**: the article's Measurable (可衡量的): 「目標必須能夠被量化,以便追蹤進度。使用數據指標
來衡量目標達成率」; 「關鍵結果應該包含具體的指標和目標值」; and the pitfall
「關鍵結果不可衡量:……如果關鍵結果無法衡量,將難以判斷是否達成目標」.

**Bad**: the article's example of a goal that is not SMART.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    strategy: [brand]
    key_results:
      - id: engagement
        title: 改善社群媒體參與度
      - id: reach
        title: 將Instagram平均貼文觸及人數提升20%
        metric: Instagram 平均每篇貼文觸及人數
        source: Meta Business Suite
        baseline: 3000
        target: 3600
```

**Good**: the article's rewrite names the metric and the number.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    strategy: [brand]
    key_results:
      - id: engagement
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
      - id: reach
        title: 將Instagram平均貼文觸及人數提升20%
        metric: Instagram 平均每篇貼文觸及人數
        source: Meta Business Suite
        baseline: 3000
        target: 3600
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

CODE = "OKR201"
NAME = "not-measurable"
SEVERITY = Severity.ERROR
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "key result has no numeric target and no metric: name what is measured "
              "(metric) and the number to reach (target)",
        "zh-TW": "關鍵結果沒有數值目標,也沒有衡量指標:寫出衡量什麼(metric)與要達到的數字"
                 "(target)",
    },
    "no-target": {
        "en": "key result has no numeric target: set target to the number to reach for "
              "'{metric}'",
        "zh-TW": "關鍵結果沒有數值目標:為「{metric}」設定要達到的數字(target)",
    },
    "target-not-number": {
        "en": "target {target} is not a number: only a milestone key result is done or not",
        "zh-TW": "目標值 {target} 不是數字:只有里程碑型(milestone)的關鍵結果以完成與否衡量",
    },
    "no-metric": {
        "en": "key result has no metric: name what is measured, e.g. 'monthly unique "
              "visitors'",
        "zh-TW": "關鍵結果沒有衡量指標(metric):寫出衡量的是什麼,例如「網站每月不重複訪客數」",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""關鍵結果不可衡量

**說明**:關鍵結果沒有數值的 `target:`(目標值),或沒有 `metric:`(衡量指標)。里程碑型
(`milestone`)的關鍵結果本身就可衡量(完成或未完成),不檢查。若 `target:` 有寫但不是
數字,標示在該值上,否則標示在關鍵結果上。

**原因**:文章的 Measurable(可衡量的):「目標必須能夠被量化,以便追蹤進度。使用數據指標
來衡量目標達成率」;「關鍵結果應該包含具體的指標和目標值」;以及常見誤區「關鍵結果不可
衡量:……如果關鍵結果無法衡量,將難以判斷是否達成目標」。

**錯誤示範**:文章中不符合 SMART 原則的目標。

{_BAD}

**正確示範**:文章改寫後的版本寫出了指標與數字。

{_GOOD}

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        for kr in objective.key_results:
            if kr.direction == "milestone":
                continue
            has_metric = bool((kr.metric or "").strip())
            if is_number(kr.target):
                if not has_metric:
                    yield Hit(kr.src.pos(), {}, "no-metric")
            elif isinstance(kr.target, bool):  # the schema allows it for milestones only
                yield Hit(kr.src.pos("target"), {"target": str(kr.target).lower()},
                          "target-not-number")
            elif not has_metric:
                yield Hit(kr.src.pos(), {})
            else:
                yield Hit(kr.src.pos("target"), {"metric": kr.metric}, "no-target")
