"""Sandbagging

**What**: a sheet whose key results start the cycle with an average
confidence of `min_average` (default 0.9) or more: before the cycle starts or
within its first `early_share` (default 0.2) of days. Targets the team is that
sure of are likely set inside its comfort zone. Key results without a
confidence are left out of the average; a sheet with fewer than
`min_key_results` (default 2) confidences is not judged. Info only.

**Why**: the article's pitfall 缺乏挑戰性: 「如果目標過於容易達成,可能無法促使團隊成員
全力以赴」, and its best practice 「設定挑戰性目標:設定稍微超出團隊舒適區的目標」. An
aspirational key result is expected to land around 70%; a sheet that starts at
90% confidence has no stretch left in it.

**Bad**: every key result a sure thing before the quarter starts.

```yaml
cycle: 2026-Q4
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
        source: CRM
        baseline: 180
        target: 207
        confidence: 0.95
      - id: average-order-value
        title: 客戶平均訂單價值增加10%
        metric: 企業客戶平均訂單金額
        source: CRM
        baseline: 30000
        target: 33000
        confidence: 0.9
```

**Good**: confident, with stretch left.

```yaml
cycle: 2026-Q4
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
        source: CRM
        baseline: 180
        target: 207
        confidence: 0.7
      - id: average-order-value
        title: 客戶平均訂單價值增加10%
        metric: 企業客戶平均訂單金額
        source: CRM
        baseline: 30000
        target: 33000
        confidence: 0.6
```

**Options**:

- `min_average` (default `0.9`): the average starting confidence from which a
  sheet is noted.
- `early_share` (default `0.2`): how much of the cycle counts as its start.
- `min_key_results` (default `2`): fewer confidences than this are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR303"
NAME = "sandbagging"
SEVERITY = Severity.INFO
SCOPE = "sheet"
READS = ("sheet", "cycles", "today")  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"min_average": 0.9, "early_share": 0.2, "min_key_results": 2}
_EPSILON = 1e-9
MESSAGES = {
    "default": {
        "en": "average starting confidence {average} over {count} key results is at least "
              "{threshold}: are the targets too safe?",
        "zh-TW": "{count} 個關鍵結果的平均起始信心指數 {average} 達到 {threshold} 以上:目標是否"
                 "訂得太保守?",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""目標訂得太保守(sandbagging)

**說明**:一張 OKR 表的關鍵結果在週期開始時(週期開始前,或前 `early_share`,預設 0.2 的
天數內)平均信心指數達到 `min_average`(預設 0.9)以上。團隊這麼有把握的目標,多半落在
舒適區內。沒有信心指數的關鍵結果不計入平均;信心指數少於 `min_key_results`(預設 2)個
的表不判斷。僅為提示(info)。

**原因**:文章的常見誤區「缺乏挑戰性」:「如果目標過於容易達成,可能無法促使團隊成員全力
以赴」,以及最佳實踐「設定挑戰性目標:設定稍微超出團隊舒適區的目標」。挑戰型關鍵結果預期
達成七成左右;一開始就有九成把握的表,已經沒有伸展的空間。

**錯誤示範**:季度開始前,每個關鍵結果都十拿九穩。

{_BAD}

**正確示範**:有信心,也保留了挑戰。

{_GOOD}

**選項**:

- `min_average`(預設 `0.9`):平均起始信心指數達到此值即提示。
- `early_share`(預設 `0.2`):週期前多少比例算是「剛開始」。
- `min_key_results`(預設 `2`):信心指數少於此數量時不判斷。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    cycle = ctx.tree.cycle(sheet.cycle_id)
    if cycle is None or cycle.elapsed(ctx.today) > float(options["early_share"]):
        return
    confidences = [kr.confidence for o in sheet.objectives for kr in o.key_results
                   if kr.confidence is not None]
    if not confidences or len(confidences) < int(options["min_key_results"]):
        return
    average = sum(confidences) / len(confidences)
    threshold = float(options["min_average"])
    if average >= threshold - _EPSILON:
        yield Hit(sheet.src.pos("objectives", key=True),
                  {"average": f"{average:.2f}", "count": len(confidences),
                   "threshold": text.number(threshold)})
