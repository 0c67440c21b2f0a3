"""Key result weakly related to its objective

**What**: a key result that shares no significant term with its objective,
and has no explicit link to it. Terms come from the key result's title and
metric on one side; on the other, from the objective's title and description
and, with `use_strategy` (default on), the titles and descriptions of the
strategy themes it names in `org.yaml` (a theme says what it is made of:
「品牌知名度:網站流量、社群追蹤與媒體曝光」). A term is an English word stem, a
two-character piece of a Chinese run (no tokenizer: 品牌知名度 gives 品牌, 牌知,
知名, 名度) or a concept of `lexicons/related.json` (參與 and 互動 are both
engagement; 知名度 and 訪客 both awareness), with filler words cut out first.
The explicit link: the objective's `description:` (or `notes:`) names the key
result's metric or its id. Info only: a heuristic, to prompt a second look.

**Why**: the article's pitfall 關鍵結果關聯性不強: 「關鍵結果必須與目標有直接的關聯性,確保
達成關鍵結果就能有效推動目標實現。如果關鍵結果與目標關聯性不強,可能會導致即使達成關鍵結果,
目標仍然無法實現」, and 「確保關鍵結果與目標緊密相關……避免設定與目標無關的關鍵結果」.

**Bad**: a support-speed key result under a brand objective.

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
      - id: first-response
        title: 將客服首次回覆時間從9小時縮短到4小時
        metric: 客服工單平均首次回覆時間
        source: Zendesk
        direction: decrease
        baseline: 9
        target: 4
```

**Good**: the article's three key results of 提升品牌知名度.

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
      - id: brand-search
        title: 在目標市場中,品牌關鍵字搜尋量提升40%
        metric: 品牌關鍵字每月搜尋量
        source: Google Search Console
        baseline: 8000
        target: 11200
```

**Options**:

- `use_strategy` (default `true`): count the objective's strategy themes'
  titles and descriptions as part of the objective.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import KeyResult, Objective, Org, Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR402"
NAME = "kr-weakly-related"
SEVERITY = Severity.INFO
SCOPE = "sheet"
READS = ("sheet", "org")  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {"use_strategy": True}
MESSAGES = {
    "default": {
        "en": "key result shares no term with objective '{objective}': say how it moves the "
              "objective, or mention its metric in the objective's description",
        "zh-TW": "關鍵結果與目標「{objective}」沒有共同的詞:說明它如何推動目標,或在目標的說明"
                 "(description)中提到它的指標",
    },
}

_SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""關鍵結果與目標的關聯性不強

**說明**:關鍵結果和它的目標沒有共同的重要詞彙,也沒有明確的連結。一邊取關鍵結果的標題與
指標;另一邊取目標的標題與說明,以及(`use_strategy`,預設開啟)目標所屬戰略主題在
`org.yaml` 中的標題與說明(主題說明了它由什麼組成:「品牌知名度:網站流量、社群追蹤與媒體
曝光」)。詞彙是英文字根、中文連續字串中每兩個字的片段(不使用斷詞工具:品牌知名度 →
品牌、牌知、知名、名度),或 `lexicons/related.json` 中的概念(參與與互動同屬「互動」;
知名度與訪客同屬「知名度」),比對前先去除虛詞。明確的連結:目標的 `description:`(或
`notes:`)寫出了關鍵結果的指標或 id。僅為提示(info):這是啟發式判斷,提醒再看一眼。

**原因**:文章的常見誤區「關鍵結果關聯性不強」:「關鍵結果必須與目標有直接的關聯性,確保
達成關鍵結果就能有效推動目標實現。如果關鍵結果與目標關聯性不強,可能會導致即使達成關鍵結果,
目標仍然無法實現」,以及「確保關鍵結果與目標緊密相關……避免設定與目標無關的關鍵結果」。

**錯誤示範**:品牌目標底下放了客服回覆速度的關鍵結果。

{_BAD}

**正確示範**:文章中「提升品牌知名度」的三個關鍵結果。

{_GOOD}

**選項**:

- `use_strategy`(預設 `true`):把目標所屬戰略主題的標題與說明算作目標的一部分。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    org = ctx.tree.org if options["use_strategy"] else None
    for objective in sheet.objectives:
        wanted = text.significant_terms(_objective_text(objective, org))
        for kr in objective.key_results:
            if _linked(objective, kr):
                continue
            if text.significant_terms(f"{kr.title}\n{kr.metric or ''}") & wanted:
                continue
            yield Hit(kr.src.pos("title"), {"objective": objective.title})


def _objective_text(objective: Objective, org: Org | None) -> str:
    parts = [objective.title, objective.description or ""]
    if org is not None:
        themes = [t for theme_id in objective.strategy if (t := org.theme(theme_id))]
        parts += [f"{t.title}\n{t.description}" for t in themes]
    return "\n".join(parts)


def _linked(objective: Objective, kr: KeyResult) -> bool:
    """The objective's description (or notes) names the key result's metric or id."""
    described = f"{objective.description or ''}\n{objective.notes or ''}"
    metric = (kr.metric or "").strip()
    if metric and metric in described:
        return True
    start = described.find(kr.id)
    while start >= 0:  # the id as a whole slug, not inside a longer one
        end = start + len(kr.id)
        if not (_slug_char(described, start - 1) or _slug_char(described, end)):
            return True
        start = described.find(kr.id, start + 1)
    return False


def _slug_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index] in _SLUG_CHARS
