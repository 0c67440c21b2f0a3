"""Cycle ended without scores or retrospective

**What**: the sheet's cycle has ended (more than `grace_days`, default 0,
before today) and an objective has no score (neither its own `score:` nor a
`score:` on every key result) or no `retrospective:`.

**Why**: the article: 「在每個週期結束時,評估OKR的達成情況,並從中學習,為下一個週期做準備」,
and 「定期追蹤和評估」. A cycle that ends without a grade and a lesson teaches the
next one nothing, and the site cannot show how it went.

**Bad**: last quarter's objective, never graded.

```yaml
cycle: 2025-Q4
team: ecommerce
owner: jun
objectives:
  - id: after-sales
    title: 完善售後服務
    owner: an
    strategy: [customer-experience]
    key_results:
      - id: service-satisfaction
        title: 將售後服務滿意度從4.1分提升到4.6分
        metric: 客服結案後滿意度問卷平均分數
        source: Zendesk 客服系統
        baseline: 4.1
        target: 4.6
      - id: return-rate
        title: 將退貨率從6%降低到5%
        metric: 退貨訂單佔總訂單的比例
        source: Shopify 後台
        direction: decrease
        baseline: 6
        target: 5
```

**Good**: graded, with what was learnt.

```yaml
cycle: 2025-Q4
team: ecommerce
owner: jun
objectives:
  - id: after-sales
    title: 完善售後服務
    owner: an
    strategy: [customer-experience]
    key_results:
      - id: service-satisfaction
        title: 將售後服務滿意度從4.1分提升到4.6分
        metric: 客服結案後滿意度問卷平均分數
        source: Zendesk 客服系統
        baseline: 4.1
        target: 4.6
        score: 0.6
      - id: return-rate
        title: 將退貨率從6%降低到5%
        metric: 退貨訂單佔總訂單的比例
        source: Shopify 後台
        direction: decrease
        baseline: 6
        target: 5
        score: 0.8
    retrospective: 回覆範本有效;滿意度的落差來自退貨流程,下季簡化退貨申請。
```

**Options**:

- `grace_days` (default `0`): days after the cycle's end before a missing
  score or retrospective is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR502"
NAME = "cycle-ended-unscored"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet", "cycles", "today")  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"grace_days": 0}
MESSAGES = {
    "default": {
        "en": "cycle {cycle} ended on {end}: objective '{objective}' has no score and no "
              "retrospective",
        "zh-TW": "週期 {cycle} 已於 {end} 結束:目標「{objective}」沒有評分,也沒有回顧",
    },
    "no-score": {
        "en": "cycle {cycle} ended on {end}: objective '{objective}' has no score (set score "
              "on it or on every key result)",
        "zh-TW": "週期 {cycle} 已於 {end} 結束:目標「{objective}」沒有評分(請在目標或每個關鍵"
                 "結果設定 score)",
    },
    "no-retrospective": {
        "en": "cycle {cycle} ended on {end}: objective '{objective}' has no retrospective",
        "zh-TW": "週期 {cycle} 已於 {end} 結束:目標「{objective}」沒有回顧(retrospective)",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""週期結束卻沒有評分或回顧

**說明**:OKR 表的週期已經結束(結束日距今超過 `grace_days` 天,預設 0),而某個目標沒有評分
(目標本身沒有 `score:`,關鍵結果也不是每個都有 `score:`),或沒有 `retrospective:`(回顧)。

**原因**:文章說:「在每個週期結束時,評估OKR的達成情況,並從中學習,為下一個週期做準備」,
以及「定期追蹤和評估」。結束時沒有評分也沒有心得的週期,對下一個週期毫無幫助,網站也無法
呈現成果。

**錯誤示範**:上一季的目標,從未評分。

{_BAD}

**正確示範**:有評分,也寫下學到的事。

{_GOOD}

**選項**:

- `grace_days`(預設 `0`):週期結束後寬限幾天,才標示缺少的評分或回顧。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    cycle = ctx.tree.cycle(sheet.cycle_id)
    if cycle is None or ctx.today <= cycle.end + dt.timedelta(days=int(options["grace_days"])):
        return
    for objective in sheet.objectives:
        no_score = objective.final_score() is None
        no_retrospective = not (objective.retrospective or "").strip()
        params = {"cycle": cycle.id, "end": cycle.end.isoformat(), "objective": objective.id}
        if no_score and no_retrospective:
            yield Hit(objective.src.pos(), params)
        elif no_score:
            yield Hit(objective.src.pos("score"), params, "no-score")
        elif no_retrospective:
            yield Hit(objective.src.pos("retrospective"), params, "no-retrospective")
