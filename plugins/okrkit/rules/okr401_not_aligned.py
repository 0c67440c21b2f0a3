"""Objective not aligned

**What**: an objective with neither a `strategy:` theme (from `okrs/org.yaml`)
nor a `parent:` objective it contributes to. There is no exemption for the
top-level team (a team without a parent team in `org.yaml`, e.g. the company):
its objectives have no higher objective to point at, so they must name a
strategy theme, and the message says so. Whether the references resolve is
OKR006's job.

**Why**: the article's Relevant (相關的): 「目標必須與企業的整體戰略和願景相關聯。確保每個
網路行銷目標都能夠為企業的整體目標做出貢獻」, and the pitfall 與公司戰略脫節: 「OKR 必須與
公司的整體戰略目標一致……如果 OKR 與公司戰略脫節,可能會導致資源錯置,無法有效推動公司
發展」.

**Bad**: an objective that serves nothing named.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        metric: 網站每月不重複訪客數
        source: Google Analytics
        baseline: 50000
        target: 60000
      - id: social-followers
        title: 將社群媒體粉絲數量增加15%
        metric: Facebook 與 Instagram 粉絲總數
        source: Meta Business Suite
        baseline: 24000
        target: 27600
```

**Good**: linked to the strategy theme and to the company's annual objective.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    strategy: [brand]
    parent: 2026/company/grow-online
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        metric: 網站每月不重複訪客數
        source: Google Analytics
        baseline: 50000
        target: 60000
      - id: social-followers
        title: 將社群媒體粉絲數量增加15%
        metric: Facebook 與 Instagram 粉絲總數
        source: Meta Business Suite
        baseline: 24000
        target: 27600
```

**Options**: none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR401"
NAME = "not-aligned"
SEVERITY = Severity.ERROR
SCOPE = "sheet"
READS = ("sheet", "org")  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "objective '{objective}' has neither a strategy theme nor a parent objective: "
              "add strategy: [theme] or parent: cycle/team/objective",
        "zh-TW": "目標「{objective}」既沒有戰略主題也沒有上層目標:請加上 strategy: [主題] 或 "
                 "parent: 週期/團隊/目標",
    },
    "top-level": {
        "en": "objective '{objective}' of top-level team '{team}' names no strategy theme: "
              "add strategy: [theme] from org.yaml",
        "zh-TW": "最上層團隊「{team}」的目標「{objective}」沒有戰略主題:請從 org.yaml 加上 "
                 "strategy: [主題]",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""目標與公司戰略脫節

**說明**:目標既沒有 `strategy:` 戰略主題(來自 `okrs/org.yaml`),也沒有它所貢獻的 `parent:`
上層目標。最上層的團隊(在 `org.yaml` 中沒有上層團隊,例如全公司)不會被豁免:它的目標
沒有更上層的目標可以指向,所以必須寫出戰略主題,訊息也會這樣提示。參照是否存在由 OKR006
檢查。

**原因**:文章的 Relevant(相關的):「目標必須與企業的整體戰略和願景相關聯。確保每個網路
行銷目標都能夠為企業的整體目標做出貢獻」,以及常見誤區「與公司戰略脫節」:「OKR 必須與
公司的整體戰略目標一致……如果 OKR 與公司戰略脫節,可能會導致資源錯置,無法有效推動公司
發展」。

**錯誤示範**:目標沒有連到任何戰略。

{_BAD}

**正確示範**:連到戰略主題,也連到公司的年度目標。

{_GOOD}

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    org = ctx.tree.org
    team = org.team(sheet.team) if org is not None else None
    top_level = team is not None and team.parent is None
    for objective in sheet.objectives:
        if objective.strategy or objective.parent:
            continue
        params = {"objective": objective.id, "team": sheet.team}
        yield Hit(objective.src.pos(), params, "top-level" if top_level else "default")
