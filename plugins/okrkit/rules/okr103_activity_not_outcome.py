"""Activity, not outcome

**What**: a key result whose title names a task (上線, 舉辦, 撰寫, 發布, launch,
write, host, …) instead of a result. A title that also states a change to
reach with an amount ("透過舉辦研討會,將潛在客戶數增加20%") is an outcome and
passes. A milestone key result is checked too: "全體小編採用新規範" is a state
the team reaches; "發布新規範" is a task. Tasks belong under `initiatives:`.

**Why**: the article: 「關鍵結果必須是可衡量的,並且能夠明確地顯示你是否正在朝著目標前進」,
and 「確保達成關鍵結果能夠直接推動目標的實現」. Holding three webinars shows work
done, not that the objective moved; the article's key results are all changes
of a metric (「將部落格的每月流量增加30%」). Its sales case lists 「設定每週銷售電話
數目、產生新的企業銷售管線」 as the means (透過……等方式), not as key results.

**Bad**: activities as key results.

```yaml
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: 提升內容觸及率
    owner: yuting
    strategy: [brand]
    key_results:
      - id: webinars
        title: 舉辦3場線上研討會
        metric: 研討會場次
        source: 活動報名系統
        baseline: 0
        target: 3
      - id: blog-posts
        title: 撰寫24篇部落格文章
        metric: 發表的文章篇數
        source: WordPress 後台
        baseline: 0
        target: 24
```

**Good**: the outcomes, with the activities as initiatives.

```yaml
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: 提升內容觸及率
    owner: yuting
    strategy: [brand]
    key_results:
      - id: blog-reads
        title: 部落格文章閱讀次數增加30%
        metric: 部落格文章每月閱讀次數
        source: Google Analytics
        baseline: 40000
        target: 52000
        initiatives:
          - title: 撰寫24篇部落格文章
      - id: webinar-leads
        title: 透過舉辦線上研討會,將內容產生的潛在客戶數量增加20%
        metric: 由內容產生的潛在客戶數
        source: HubSpot CRM
        baseline: 300
        target: 360
```

**Options**:

- `extra_terms` (default `[]`): more task words for your team, matched like
  the lexicons' (Chinese as substrings; English as whole words, `word*` for
  any ending).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR103"
NAME = "activity-not-outcome"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"extra_terms": ()}
MESSAGES = {
    "default": {
        "en": "'{term}' describes an activity, not an outcome: list the task under "
              "initiatives and measure the result it should change",
        "zh-TW": "「{term}」描述的是工作項目,不是成果:把它列在 initiatives(行動方案),"
                 "並衡量它要改變的結果",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""關鍵結果是工作項目,不是成果

**說明**:關鍵結果的標題寫的是工作(上線、舉辦、撰寫、發布、launch、write、host……),
而不是結果。若標題同時寫出要達成的改變與數量(「透過舉辦研討會,將潛在客戶數增加20%」),
就是成果,不會被標示。里程碑型的關鍵結果也一樣檢查:「全體小編採用新規範」是團隊要達到
的狀態,「發布新規範」則是工作項目。工作項目應寫在 `initiatives:`(行動方案)底下。

**原因**:文章說:「關鍵結果必須是可衡量的,並且能夠明確地顯示你是否正在朝著目標前進」,
以及「確保達成關鍵結果能夠直接推動目標的實現」。舉辦三場研討會只證明做了事,不代表目標
有進展;文章中的關鍵結果都是指標的改變(「將部落格的每月流量增加30%」)。銷售團隊的案例
也把「設定每週銷售電話數目、產生新的企業銷售管線」當作手段(透過……等方式),而不是關鍵結果。

**錯誤示範**:把工作項目當成關鍵結果。

{_BAD}

**正確示範**:衡量成果,工作項目列為行動方案。

{_GOOD}

**選項**:

- `extra_terms`(預設 `[]`):團隊自訂的其他工作項目字眼,比對方式與詞庫相同(中文以子字串
  比對;英文比對整個字,`word*` 表示任意詞尾)。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    extra = tuple(options.get("extra_terms", ()))
    for objective in sheet.objectives:
        for kr in objective.key_results:
            tasks = text.activity_terms(kr.title) + text.find_terms(kr.title, extra)
            if not tasks:
                continue
            # "透過舉辦研討會,將潛在客戶數增加20%": the task is the means, the change the KR
            if text.outcome_terms(kr.title) and text.has_number(kr.title):
                continue
            yield Hit(kr.src.pos("title"), {"term": tasks[0]})
