"""Objective without an owner

**What**: an objective has no `owner:`. Every objective needs its own owner:
the sheet's `owner:` does not count for its objectives. A key result without
an owner belongs to its objective's owner, so it is never flagged on its own.

**Why**: the seed's practice 建立當責文化 (build a culture of accountability):
確保每個團隊成員都對自己的OKR負責,並積極主動地推動目標的實現. An objective that
"the team" owns is one that nobody checks in on.

**Bad**:

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    kind: aspirational
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
        owner: fang
```

**Good**:

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    kind: aspirational
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
```

The key result has no owner of its own: it belongs to `fang`, the
objective's owner.

**Options**: none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules.base import Context, Hit

CODE = "OKR603"
NAME = "no-owner"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "objective '{objective}' has no owner: name the one person accountable for it "
              "(the sheet's owner does not count)",
        "zh-TW": "目標「{objective}」沒有負責人:請指定一位當責的人(表單的 owner 不算)",
    },
}

DOC_ZH = """目標沒有負責人

**說明**:目標沒有 `owner:`。每個目標都需要自己的負責人:表單的 `owner:` 不算數。
沒有負責人的關鍵結果屬於其目標的負責人,因此不會單獨被標示。

**原因**:文章的最佳實踐「建立當責文化」:確保每個團隊成員都對自己的OKR負責,並積極主動地
推動目標的實現。由「整個團隊」負責的目標,往往沒有人去更新進度。

**錯誤示範**:

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    kind: aspirational
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
        owner: fang
```

**正確示範**:

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    kind: aspirational
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
```

這個關鍵結果沒有自己的負責人:它屬於目標的負責人 `fang`。

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        if not objective.owner:
            # at the objective's id: the line a reader looks at for "whose is this?"
            yield Hit(objective.src.pos("id"), {"objective": objective.id})
