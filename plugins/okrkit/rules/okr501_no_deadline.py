"""No deadline, or due outside the cycle

**What**: a key result whose `due:` date falls after the end of the sheet's
cycle or before its start, or one with no `due:` in a sheet whose cycle is
unknown (so there is no end to inherit). A key result without `due:` in a
known cycle is fine: it is due at the cycle's end.

**Why**: the article's Time-bound (有時限的): 「為每個目標設定明確的完成期限。這有助於保持
專注,並確保目標不會被無限期地拖延」; its rewrite ends with 「並在3月31日前達成」. A Q1 key
result due in June is not a Q1 key result: it belongs to the cycle it ends in.

**Bad**: a first-quarter key result due in June.

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
        title: 將Facebook粉絲專頁的平均貼文互動率提升15%
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        baseline: 4.0
        target: 4.6
        due: 2026-06-30
      - id: reach
        title: 將Instagram平均貼文觸及人數提升20%
        metric: Instagram 平均每篇貼文觸及人數
        source: Meta Business Suite
        baseline: 3000
        target: 3600
```

**Good**: the article's 「在第一季度……並在3月31日前達成」.

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
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR501"
NAME = "no-deadline"
SEVERITY = Severity.ERROR
SCOPE = "sheet"
READS = ("sheet", "cycles")  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "due {due} is after the end of cycle {cycle} ({end}): move it into the cycle "
              "or the key result into a later cycle",
        "zh-TW": "期限 {due} 晚於週期 {cycle} 的結束日({end}):請把期限移回週期內,或把關鍵結果"
                 "移到之後的週期",
    },
    "before-start": {
        "en": "due {due} is before cycle {cycle} starts ({start})",
        "zh-TW": "期限 {due} 早於週期 {cycle} 的開始日({start})",
    },
    "no-deadline": {
        "en": "no deadline: cycle {cycle} has no known dates, so set due: YYYY-MM-DD",
        "zh-TW": "沒有期限:週期 {cycle} 沒有已知的日期,請設定 due: YYYY-MM-DD",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""沒有期限,或期限在週期之外

**說明**:關鍵結果的 `due:`(期限)晚於所屬 OKR 表週期的結束日,或早於週期的開始日;或者
週期無法辨識(沒有結束日可以沿用)而關鍵結果又沒有 `due:`。週期已知時沒有 `due:` 沒有
問題:期限就是週期的結束日。

**原因**:文章的 Time-bound(有時限的):「為每個目標設定明確的完成期限。這有助於保持專注,
並確保目標不會被無限期地拖延」;文章改寫的範例也以「並在3月31日前達成」結尾。六月才到期
的關鍵結果不是第一季的關鍵結果:它屬於它結束時所在的週期。

**錯誤示範**:第一季的關鍵結果,期限卻在六月。

{_BAD}

**正確示範**:文章的「在第一季度……並在3月31日前達成」。

{_GOOD}

**選項**:無。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    cycle = ctx.tree.cycle(sheet.cycle_id)
    for objective in sheet.objectives:
        for kr in objective.key_results:
            if kr.due is None:
                if cycle is None:
                    yield Hit(kr.src.pos(), {"cycle": sheet.cycle_id}, "no-deadline")
                continue
            due = kr.due_date
            if cycle is None or due is None:  # an invalid date is the schema's (OKR002)
                continue
            if cycle.start <= due <= cycle.end:
                continue  # most: no message to build
            params = {"due": kr.due, "cycle": cycle.id, "start": cycle.start.isoformat(),
                      "end": cycle.end.isoformat()}
            if due > cycle.end:
                yield Hit(kr.src.pos("due"), params)
            else:
                yield Hit(kr.src.pos("due"), params, "before-start")
