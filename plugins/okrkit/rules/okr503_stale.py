"""Stale key result: no check-in for too long

**What**: in an active cycle (today falls within it), a key result whose
last check-in is more than `stale_days` days old. A check-in is a commit that
changed the key result's `current:` or `confidence:`; the dates are the
commits' author dates from the git history. A key result never checked in
counts from the commit that added it, and nothing counts from before the
cycle started. A key result already met (a milestone done, an increase or
decrease past its target) needs no more check-ins. An uncommitted change to
`current:` or `confidence:` is a check-in in progress: no finding.

**Why**: the seed's practice 定期追蹤與檢視:建立定期追蹤OKR進度的機制,例如每週或
每月的進度會議 (track progress regularly, weekly or monthly). A key result
nobody updates cannot be steered; on the site its chart goes flat and its
status is guesswork.

**Bad**: this needs the git history, so no single sheet shows it: a key
result of the current quarter whose `current:` and `confidence:` were last
committed 30 days ago.

**Good**:

```yaml
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
    kind: aspirational
    strategy: [brand]
    parent: 2026/company/grow-online
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        metric: 網站每月不重複訪客數
        source: Google Analytics
        unit: visitors
        baseline: 50000
        target: 60000
        current: 53000
        confidence: 0.7
        due: 2026-03-31
        owner: kai
      - id: social-followers
        title: 將社群媒體粉絲數量增加15%
        metric: Facebook 與 Instagram 粉絲總數
        source: Meta Business Suite
        unit: 人
        baseline: 24000
        target: 27600
        current: 25100
        confidence: 0.7
        due: 2026-03-31
        owner: fang
```

Its values were committed last week (`okr checkin unique-visitors 53000
--confidence 0.7`, then commit).

**Options**:

- `stale_days` (default `14`): the longest gap between check-ins, in days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import KeyResult, Sheet
from okrkit.pairing import same_value
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR503"
NAME = "stale"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet", "cycles", "today", "history")  # what its hits depend on (rules/base.py)
NEEDS_HISTORY = True
OPTIONS: Mapping[str, Any] = {"stale_days": 14}
MESSAGES = {
    "default": {
        "en": "no check-in for {days} days (last on {date} by {author}, {sha}): update "
              "current or confidence at least every {limit} days",
        "zh-TW": "已 {days} 天沒有更新進度(上次是 {date},{author},{sha}):請至少每 {limit} 天"
                 "更新 current 或 confidence",
    },
    "never": {
        "en": "no check-in for {days} days (never since it was added on {date} by {author}, "
              "{sha}): update current or confidence at least every {limit} days",
        "zh-TW": "已 {days} 天沒有更新進度(自 {date} 由 {author} 新增後從未更新,{sha}):請至少每 "
                 "{limit} 天更新 current 或 confidence",
    },
    "cycle-start": {
        "en": "no check-in for {days} days (none since the cycle started on {date}): update "
              "current or confidence at least every {limit} days",
        "zh-TW": "已 {days} 天沒有更新進度(週期自 {date} 開始後從未更新):請至少每 {limit} 天"
                 "更新 current 或 confidence",
    },
}

(_GOOD,) = text.yaml_blocks(__doc__)
DOC_ZH = f"""關鍵結果停滯:太久沒有更新進度

**說明**:在進行中的週期(今天在週期之內),某個關鍵結果最近一次更新進度已超過
`stale_days` 天。「更新進度」是指變更該關鍵結果 `current:` 或 `confidence:` 的 commit;
日期取自 git 歷史中 commit 的作者日期。從未更新過的關鍵結果,從新增它的 commit 起算;
週期開始之前的時間不計。已達成的關鍵結果(里程碑已完成、increase 或 decrease 已超越目標值)
不需要再更新。尚未提交的 `current:` 或 `confidence:` 變更視為正在更新:不會標示。

**原因**:文章的最佳實踐「定期追蹤與檢視:建立定期追蹤OKR進度的機制,例如每週或每月的進度
會議」。沒有人更新的關鍵結果無法及時調整;網站上它的圖表會變成一條水平線,狀態也只能用猜的。

**錯誤示範**:這需要 git 歷史,單一份表單無法呈現:本季的某個關鍵結果,`current:` 與
`confidence:` 最後一次提交是在 30 天前。

**正確示範**:

{_GOOD}

這些數值上週剛提交(`okr checkin unique-visitors 53000 --confidence 0.7`,然後 commit)。

**選項**:

- `stale_days`(預設 `14`):兩次更新進度之間最長的間隔天數。
"""


def _met(kr: KeyResult) -> bool:
    """Done: nothing more to track (at_least/at_most must keep holding, so never done)."""
    raw = kr.progress()
    return raw is not None and raw >= 1.0 and kr.direction in ("increase", "decrease",
                                                                "milestone")


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    history = ctx.history
    if history is None:
        return  # the runner says once that history rules were skipped
    cycle = ctx.tree.cycle(sheet.cycle_id)
    if cycle is None or not cycle.contains_date(ctx.today):
        return
    limit = int(options["stale_days"])
    for objective in sheet.objectives:
        for kr in objective.key_results:
            ref = sheet.ref(objective, kr)
            points = history.timeline(ref)
            if not points or _met(kr):
                continue  # not committed yet: added in the change being made
            last = points[-1].state
            if not (same_value(kr.current, last.current)
                    and same_value(kr.confidence, last.confidence)):
                continue  # a check-in being made now
            checkin = history.last_checkin(ref)
            commit = checkin if checkin is not None else points[0].commit
            since: dt.date = commit.date.date()
            variant = "default" if checkin is not None else "never"
            if since < cycle.start:
                since, variant = cycle.start, "cycle-start"
            days = (ctx.today - since).days
            if days > limit:
                params: dict[str, Any] = {"days": days, "limit": limit,
                                          "date": since.isoformat()}
                if variant != "cycle-start":  # that one names no commit (it was before)
                    params.update(author=commit.author, sha=commit.short)
                yield Hit(kr.src.pos("current"), params, variant)
