"""Too many objectives

**What**: a team with more than `max` (default 5) objectives in one cycle: a
warning at the first objective over the limit. More than `note_above`
(default 3) but not more than `max` is noted as info. A sheet is one team's
OKRs for one cycle, so the count is per sheet.

**Why**: the article's pitfall 目標數量過多: 「OKR 建議每個週期設定3-5個目標,如果目標太多,
容易分散團隊的注意力與資源,反而降低效率」, its note 「目標在精不在多,如果目標超過3到5個,
就需要重新審視目標」, and 「聚焦關鍵目標:選擇對公司整體戰略影響最大的3-5個目標」. Above 5
is too many; above 3 is worth a second look.

**Bad**: six objectives in one quarter.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    strategy: [brand]
  - id: website-conversion
    title: 提高網站轉換率
    owner: kai
    strategy: [online-growth]
  - id: content-influence
    title: 擴大內容行銷的影響力
    owner: fang
    strategy: [brand]
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    strategy: [brand]
  - id: overseas-markets
    title: 快速拓展市場
    owner: mei
    strategy: [market-expansion]
  - id: sales
    title: 提高銷售額
    owner: kai
    strategy: [online-growth]
```

**Good**: three objectives that matter most.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    strategy: [brand]
  - id: website-conversion
    title: 提高網站轉換率
    owner: kai
    strategy: [online-growth]
  - id: content-influence
    title: 擴大內容行銷的影響力
    owner: fang
    strategy: [brand]
```

**Options**:

- `max` (default `5`): the most objectives per team and cycle.
- `note_above` (default `3`): more than this is noted (info).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR601"
NAME = "too-many-objectives"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"max": 5, "note_above": 3}
MESSAGES = {
    "default": {
        "en": "{count} objectives in cycle {cycle}, more than {limit}: focus on the few that "
              "matter most",
        "zh-TW": "週期 {cycle} 有 {count} 個目標,超過 {limit} 個:請聚焦在最重要的幾個",
    },
    "note": {
        "en": "{count} objectives in cycle {cycle}, more than {limit}: are all of them key?",
        "zh-TW": "週期 {cycle} 有 {count} 個目標,超過 {limit} 個:每一個都是關鍵嗎?",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""目標數量過多

**說明**:一個團隊在一個週期內有超過 `max`(預設 5)個目標:在第一個超出上限的目標上標示
警告。超過 `note_above`(預設 3)但不超過 `max` 時,以提示(info)標示。一張 OKR 表就是一個
團隊在一個週期的 OKR,所以按表計算。

**原因**:文章的常見誤區「目標數量過多」:「OKR 建議每個週期設定3-5個目標,如果目標太多,
容易分散團隊的注意力與資源,反而降低效率」;注意事項「目標在精不在多,如果目標超過3到5個,
就需要重新審視目標」;以及「聚焦關鍵目標:選擇對公司整體戰略影響最大的3-5個目標」。超過
5 個太多;超過 3 個值得再看一眼。

**錯誤示範**:一季六個目標。

{_BAD}

**正確示範**:最重要的三個目標。

{_GOOD}

**選項**:

- `max`(預設 `5`):每個團隊每個週期最多的目標數。
- `note_above`(預設 `3`):超過此數以提示(info)標示。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    count = len(sheet.objectives)
    most, note_above = int(options["max"]), int(options["note_above"])
    if count > most:
        yield Hit(sheet.objectives[most].src.pos(),
                  {"count": count, "cycle": sheet.cycle_id, "limit": most})
    elif count > note_above:
        yield Hit(sheet.objectives[note_above].src.pos(),
                  {"count": count, "cycle": sheet.cycle_id, "limit": note_above},
                  "note", Severity.INFO)
