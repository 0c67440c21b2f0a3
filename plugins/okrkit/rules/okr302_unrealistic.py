"""Unrealistic target

**What**: a key result that is very likely out of reach:

- an `increase` target more than `ceiling` (default 3.0, that is +300%, four
  times the baseline) over its baseline, or a `decrease` target that cuts more
  than `decrease_ceiling` (default 0.75, to a quarter of the baseline);
- or a starting confidence under `min_confidence` (default 0.2): the team
  itself does not believe in the target. The starting confidence is the one
  recorded at the cycle's start in the git history (the last commit on or
  before the start, else the key result's first commit) when the sheet is in a
  git repository; without history, the current `confidence:`
  counts only before the cycle starts or within its first `early_share`
  (default 0.2) of days, since later a low confidence is a status (off track),
  not a planning error.

**Why**: the article's Achievable (可實現的): 「目標應該具有挑戰性,但同時也要在可實現的範圍內。
過於困難的目標可能會導致團隊士氣低落」, and 「設定挑戰性目標……但同時也要確保目標是可實現的,
避免造成團隊過大的壓力」.

**Bad**: five times the subscribers in one quarter.

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
      - id: newsletter-subscribers
        title: 電子報訂閱人數增加400%
        metric: 電子報有效訂閱人數
        source: Mailchimp
        baseline: 12000
        target: 60000
      - id: blog-reads
        title: 部落格文章閱讀次數增加30%
        metric: 部落格文章每月閱讀次數
        source: Google Analytics
        baseline: 40000
        target: 52000
```

**Good**: the article's 「電子報訂閱人數增加15%」.

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
      - id: newsletter-subscribers
        title: 電子報訂閱人數增加15%
        metric: 電子報有效訂閱人數
        source: Mailchimp
        baseline: 12000
        target: 13800
      - id: blog-reads
        title: 部落格文章閱讀次數增加30%
        metric: 部落格文章每月閱讀次數
        source: Google Analytics
        baseline: 40000
        target: 52000
```

**Options**:

- `ceiling` (default `3.0`): the largest relative increase, 3.0 = +300%.
- `decrease_ceiling` (default `0.75`): the largest relative decrease.
- `min_confidence` (default `0.2`): the lowest starting confidence.
- `early_share` (default `0.2`): how much of the cycle counts as its start
  when the current confidence stands in for the starting one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.cycles import Cycle
from okrkit.findings import Severity
from okrkit.model import KeyResult, Sheet, relative_change
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR302"
NAME = "unrealistic"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet", "cycles", "today", "history")  # what its hits depend on (rules/base.py)
OPTIONAL_HISTORY = True  # the starting confidence, when there is a history
OPTIONS: Mapping[str, Any] = {"ceiling": 3.0, "decrease_ceiling": 0.75,
                              "min_confidence": 0.2, "early_share": 0.2}
_EPSILON = 1e-9
MESSAGES = {
    "default": {
        "en": "target {target} is {change} over baseline {baseline}, above the ceiling of "
              "{ceiling}: split it or aim for what the team can reach",
        "zh-TW": "目標值 {target} 比基準值 {baseline} 高 {change},超過上限 {ceiling}:請拆分,"
                 "或訂在團隊做得到的範圍",
    },
    "decrease": {
        "en": "target {target} is {change} from baseline {baseline}, a cut beyond the "
              "ceiling of {ceiling}: split it or aim for what the team can reach",
        "zh-TW": "目標值 {target} 比基準值 {baseline} 低 {change},降幅超過上限 {ceiling}:"
                 "請拆分,或訂在團隊做得到的範圍",
    },
    "low-confidence": {
        "en": "starting confidence {confidence} is below {minimum}: the team does not "
              "believe in this target",
        "zh-TW": "起始信心指數 {confidence} 低於 {minimum}:團隊自己也不相信能達成這個目標",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""目標不切實際

**說明**:很可能做不到的關鍵結果:

- `increase` 的目標值比基準值高出超過 `ceiling`(預設 3.0,即 +300%,基準值的四倍),
  或 `decrease` 的目標值降幅超過 `decrease_ceiling`(預設 0.75,降到基準值的四分之一);
- 或起始信心指數低於 `min_confidence`(預設 0.2):團隊自己也不相信能達成。起始信心指數
  取自 git 歷史中週期開始時的紀錄(週期開始當天或之前的最後一次提交,否則為該關鍵結果的
  第一次提交),前提是工作表位於 git 儲存庫中;沒有歷史時,只在週期開始前或前 `early_share`
  (預設 0.2)的天數內採用目前的 `confidence:`,因為之後的低信心指數代表狀態(落後),
  不是規劃錯誤。

**原因**:文章的 Achievable(可實現的):「目標應該具有挑戰性,但同時也要在可實現的範圍內。
過於困難的目標可能會導致團隊士氣低落」,以及「設定挑戰性目標……但同時也要確保目標是可實現的,
避免造成團隊過大的壓力」。

**錯誤示範**:一季內訂閱人數變成五倍。

{_BAD}

**正確示範**:文章的「電子報訂閱人數增加15%」。

{_GOOD}

**選項**:

- `ceiling`(預設 `3.0`):相對提升的上限,3.0 即 +300%。
- `decrease_ceiling`(預設 `0.75`):相對降低的上限。
- `min_confidence`(預設 `0.2`):起始信心指數的下限。
- `early_share`(預設 `0.2`):以目前信心指數代替起始信心指數時,週期前多少比例算是「剛開始」。
"""


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    ceiling = float(options["ceiling"])
    decrease_ceiling = float(options["decrease_ceiling"])
    minimum = float(options["min_confidence"])
    cycle = ctx.tree.cycle(sheet.cycle_id)
    early = cycle is not None and cycle.elapsed(ctx.today) <= float(options["early_share"])
    for objective in sheet.objectives:
        for kr in objective.key_results:
            change = relative_change(kr.baseline, kr.target)
            if change is not None and kr.direction == "increase" and (
                    change > ceiling + _EPSILON):
                yield Hit(kr.src.pos("target"),
                          {**_params(kr, change), "ceiling": text.percent(ceiling, decimals=None)})
            elif change is not None and kr.direction == "decrease" and (
                    -change > decrease_ceiling + _EPSILON):
                yield Hit(kr.src.pos("target"),
                          {**_params(kr, change),
                           "ceiling": text.percent(-decrease_ceiling, decimals=None)},
                          "decrease")
            if cycle is None:
                continue
            start = _starting_confidence(sheet.ref(objective, kr), kr, ctx, cycle, early=early)
            if start is not None and start < minimum - _EPSILON:
                yield Hit(kr.src.pos("confidence"),
                          {"confidence": text.number(start), "minimum": text.number(minimum)},
                          "low-confidence")


def _params(kr: KeyResult, change: float) -> dict[str, str]:
    return {"target": text.number(kr.target), "baseline": text.number(kr.baseline),
            "change": text.percent(change)}


def _starting_confidence(ref: str, kr: KeyResult, ctx: Context, cycle: Cycle, *,
                         early: bool) -> float | None:
    history = ctx.history
    if history is not None:
        # the last confidence committed by the cycle's start, else the first one (one pass)
        first: float | None = None
        at_start: float | None = None
        for point in history.timeline(ref):
            confidence = point.state.confidence
            if confidence is None:
                continue
            if first is None:
                first = confidence
            if point.commit.date.date() <= cycle.start:
                at_start = confidence
        if first is not None:
            return at_start if at_start is not None else first
    return kr.confidence if early else None
