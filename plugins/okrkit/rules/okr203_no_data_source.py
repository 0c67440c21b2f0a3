"""No data source

**What**: a key result without `source:`, the tool, report or system its
numbers come from (Google Analytics, Meta Business Suite, the CRM, …), and
without a `measure:` block that reads it from there.
Milestones (done or not) are skipped. Info only.

**Why**: the article: 「使用數據分析工具來監控關鍵結果的達成情況」, 「透過數據分析工具
(如Google Analytics)評估行銷活動成效」 and 「善用工具與資源:利用專案管理工具、數據分析
工具等」. A number nobody knows where to read is not checked in on time, and two
people will read it from two places.

**Bad**: where does the visitor count come from?

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    strategy: [brand]
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        metric: 網站每月不重複訪客數
        baseline: 50000
        target: 60000
      - id: social-followers
        title: 將社群媒體粉絲數量增加15%
        metric: Facebook 與 Instagram 粉絲總數
        source: Meta Business Suite
        baseline: 24000
        target: 27600
```

**Good**: every number has its source.

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    strategy: [brand]
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

CODE = "OKR203"
NAME = "no-data-source"
SEVERITY = Severity.INFO
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "no data source: name where '{metric}' is read, e.g. source: Google Analytics",
        "zh-TW": "沒有資料來源:寫出「{metric}」從哪裡取得,例如 source: Google Analytics",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""沒有資料來源

**說明**:關鍵結果沒有 `source:`,也就是數字來自哪個工具、報表或系統(Google Analytics、
Meta Business Suite、CRM……),也沒有從那裡讀取數字的 `measure:`。里程碑(完成與否)
不檢查。僅為提示(info)。

**原因**:文章說:「使用數據分析工具來監控關鍵結果的達成情況」、「透過數據分析工具(如Google
Analytics)評估行銷活動成效」,以及「善用工具與資源:利用專案管理工具、數據分析工具等」。
不知道去哪裡讀的數字,就不會準時更新,兩個人也可能從兩個地方讀到不同的數字。

**錯誤示範**:訪客數從哪裡來?

{_BAD}

**正確示範**:每個數字都有來源。

{_GOOD}

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        for kr in objective.key_results:
            # a `measure:` names its source as well (okr measure reads it)
            if kr.direction == "milestone" or (kr.source or "").strip() or kr.measure:
                continue
            yield Hit(kr.src.pos(), {"metric": (kr.metric or "").strip() or kr.title})
