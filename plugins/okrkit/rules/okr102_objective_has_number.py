"""Objective carries a number

**What**: an objective whose title states an amount (15%, 500萬元, 兩成,
double, …). Dates and cycle names do not count. Info only: a number in an
objective is a hint that a key result was written in its place.

**Why**: in the article the objective says where to go and the key results
say how far: 「Objective(目標): 確保目標是 Specific 且 Relevant 的」, 「目標應描述你希望
看到的改變或成果。例如,「成為內容行銷領域的領導者」」, while 「關鍵結果應該包含具體的指標和
目標值」. Its content-marketing case shows the slip: 「目標是將品牌知名度從15%提升至25%」
is a key result, under the objective 提升內容觸及率.

**Bad**: the case's number in the objective.

```yaml
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: brand-awareness
    title: 將品牌知名度從15%提升至25%
    owner: yuting
    strategy: [brand]
    key_results:
      - id: organic-traffic
        title: 將來自自然搜尋的網站流量提升40%
        metric: 自然搜尋帶來的每月工作階段數
        source: Google Search Console
        baseline: 30000
        target: 42000
      - id: followers
        title: 社群媒體追蹤人數成長25%
        metric: 各平台社群追蹤人數
        source: Meta Business Suite
        baseline: 24000
        target: 30000
```

**Good**: the number moves into a key result.

```yaml
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: brand-awareness
    title: 提高品牌在網路上的影響力
    owner: yuting
    strategy: [brand]
    key_results:
      - id: awareness
        title: 將品牌知名度從15%提升至25%
        metric: 目標客群中的品牌知名度
        source: 品牌知名度調查
        baseline: 15
        target: 25
      - id: organic-traffic
        title: 將來自自然搜尋的網站流量提升40%
        metric: 自然搜尋帶來的每月工作階段數
        source: Google Search Console
        baseline: 30000
        target: 42000
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

CODE = "OKR102"
NAME = "objective-has-number"
SEVERITY = Severity.INFO
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "objective title states an amount ({amount}): keep the objective qualitative "
              "and put the number in a key result",
        "zh-TW": "目標標題寫了數量({amount}):目標應保持質性描述,把數字寫進關鍵結果",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""目標含有數字

**說明**:目標的標題寫了數量(15%、500萬元、兩成、double……);日期與週期名稱不算。
僅為提示(info):目標裡出現數字,通常表示把關鍵結果寫到了目標的位置。

**原因**:文章中,目標說明要往哪裡去,關鍵結果說明要走多遠:「Objective(目標): 確保
目標是 Specific 且 Relevant 的」、「目標應描述你希望看到的改變或成果。例如,「成為內容行銷
領域的領導者」」,而「關鍵結果應該包含具體的指標和目標值」。內容行銷案例就有這個情形:
「目標是將品牌知名度從15%提升至25%」其實是關鍵結果,它的目標是「提升內容觸及率」。

**錯誤示範**:案例中的數字寫在目標裡。

{_BAD}

**正確示範**:數字移到關鍵結果。

{_GOOD}

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        found = text.amounts(objective.title)
        if found:
            yield Hit(objective.src.pos("title"), {"amount": found[0]})
