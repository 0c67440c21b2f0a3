"""Vague key result

**What**: a key result whose title uses vague wording (提升, 改善, 優化, 加強,
improve, enhance, better, …) and states no amount. Amounts are digits
(full-width too), Chinese numerals with a measure word (兩成, 一倍, 三場),
百分點, 成, 倍, %, and English number words (double, twice, …); a date or a
cycle name is not an amount ("在3月31日前改善參與度" is still vague). The title
is what people read: a number kept only in `target:` does not make it specific.
The word lists are data, per language, in `okrkit/rules/lexicons/`.

**Why**: the article's Specific (具體的): 「目標要明確具體,避免使用含糊不清的詞語。例如,
不要說「提升品牌知名度」,而要說「將網站每月不重複訪客數提升20%」」; its example of a
goal that is not SMART is 「改善社群媒體參與度」, and its first pitfall is
「目標不夠清晰或過於模糊」.

**Bad**: the article's vague goal as a key result.

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

**Good**: the article's SMART rewrite.

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

**Options**:

- `extra_terms` (default `[]`): more vague words for your team, matched like
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

CODE = "OKR101"
NAME = "vague-key-result"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"extra_terms": ()}
MESSAGES = {
    "default": {
        "en": "vague wording '{term}' and no number: say which metric moves, by how much "
              "and by when",
        "zh-TW": "用詞模糊(「{term}」)且沒有數字:寫出哪個指標、改變多少、何時達成",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""關鍵結果用詞模糊

**說明**:關鍵結果的標題用了模糊的字眼(提升、改善、優化、加強、improve、enhance、
better……),卻沒有寫出任何數量。數量包括數字(含全形數字)、中文數字加量詞(兩成、一倍、
三場)、百分點、成、倍、%,以及英文的數量詞(double、twice……);日期與週期名稱不算數量
(「在3月31日前改善參與度」仍然模糊)。大家讀的是標題:數字只寫在 `target:` 裡,標題
仍不具體。詞庫是資料檔,每種語言一個,位於 `okrkit/rules/lexicons/`。

**原因**:文章的 Specific(具體的):「目標要明確具體,避免使用含糊不清的詞語。例如,
不要說「提升品牌知名度」,而要說「將網站每月不重複訪客數提升20%」」;文章舉的不符合
SMART 原則的例子正是「改善社群媒體參與度」,常見誤區的第一條則是「目標不夠清晰或過於模糊」。

**錯誤示範**:把文章中模糊的目標當成關鍵結果。

{_BAD}

**正確示範**:文章改寫後的 SMART 版本。

{_GOOD}

**選項**:

- `extra_terms`(預設 `[]`):團隊自訂的其他模糊字眼,比對方式與詞庫相同(中文以子字串
  比對;英文比對整個字,`word*` 表示任意詞尾)。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    extra = tuple(options.get("extra_terms", ()))
    for objective in sheet.objectives:
        for kr in objective.key_results:
            vague = text.vague_terms(kr.title) + text.find_terms(kr.title, extra)
            if vague and not text.has_number(kr.title):
                yield Hit(kr.src.pos("title"), {"term": vague[0]})
