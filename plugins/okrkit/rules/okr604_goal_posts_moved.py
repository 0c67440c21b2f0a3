"""Goal posts moved: a target or baseline made easier after the cycle started, with no reason

**What**: after the key result's cycle started, a commit made its goal
easier and nobody recorded why. Easier means a `target:` lowered (raised for
a `decrease` key result; for `at_least` lowered, for `at_most` raised), or a
`baseline:` moved toward the target so less change is asked for (raised for
`increase`, lowered for `decrease`). The facts come from the git history
(the commit's author date against the cycle's start); an uncommitted change
of the sheet being committed is compared with its last committed version.
Only a move that still stands is reported (a target lowered and then raised
back is not).

A reason counts when it is recorded either way:

- in the key result's `revisions:` list: an entry with the same `field` and
  `to:` equal to the new value (plus `date`, `from` and a `reason`). This is
  the way that works everywhere, the pre-commit hook included: the hook runs
  before the commit message exists;
- or as an `OKR-Reason: ...` trailer in the message of the commit that made
  the change (checked once the change is committed: `okr lint` in CI, the
  site, `okr diff`).

**Why**: the seed's practice 及時回饋與調整 says to adjust OKRs to reality,
and 公開透明的溝通 to do it in the open. Moving a goal post is allowed; moving
it quietly turns "we missed" into "we made it" without anyone deciding so.
The site and `okr diff` show the original target beside the revised one.

**Bad**: this needs the git history, so no single sheet shows it: the cycle
started on 2026-01-01, and a commit on 2026-02-10 changed `target: 60000` to
`target: 55000` with no `revisions:` entry and no `OKR-Reason:` trailer.

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
        title: 將網站每月不重複訪客數提升到55000
        metric: 網站每月不重複訪客數
        source: Google Analytics
        unit: visitors
        baseline: 50000
        target: 55000
        current: 53000
        confidence: 0.7
        due: 2026-03-31
        owner: kai
        revisions:
          - date: 2026-02-10
            field: target
            from: 60000
            to: 55000
            reason: GA4 改版後排除機器人流量,全站流量基準下修約 8%。
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

**Options**: none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.pairing import change_text, easier_moves, find_revision, show
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR604"
NAME = "goal-posts-moved"
SEVERITY = Severity.WARNING
SCOPE = "sheet"
READS = ("sheet", "cycles", "today", "history")  # what its hits depend on (rules/base.py)
NEEDS_HISTORY = True
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "{field} moved from {old} to {new} ({change}) on {date} by {author} ({sha}) "
              "after the cycle started, with no reason recorded: add a `revisions:` entry "
              "(date, field, from, to, reason) or an `OKR-Reason:` commit trailer",
        "zh-TW": "週期開始後,{author} 於 {date}({sha})將 {field} 從 {old} 改為 {new}"
                 "({change}),但沒有記錄原因:請在 `revisions:` 加入紀錄(date、field、from、"
                 "to、reason),或在 commit 訊息加上 `OKR-Reason:` 尾註",
    },
    "uncommitted": {
        "en": "{field} moved from {old} to {new} ({change}) after the cycle started, with no "
              "reason recorded: add a `revisions:` entry (date, field, from, to, reason)",
        "zh-TW": "週期開始後將 {field} 從 {old} 改為 {new}({change}),但沒有記錄原因:"
                 "請在 `revisions:` 加入紀錄(date、field、from、to、reason)",
    },
}

(_GOOD,) = text.yaml_blocks(__doc__)
DOC_ZH = f"""目標被悄悄調整:週期開始後放寬目標值或基準值,卻沒有記錄原因

**說明**:關鍵結果的週期開始之後,有 commit 讓目標變得更容易,卻沒有人記錄原因。
「更容易」是指 `target:` 被調低(`decrease` 的關鍵結果是調高;`at_least` 調低、`at_most`
調高),或 `baseline:` 往目標值移動、讓需要達成的變化變小(`increase` 調高、`decrease` 調低)。
這些事實來自 git 歷史(commit 的作者日期與週期開始日比較);正要提交的表單若有尚未提交的變更,
則與它最後一次提交的版本比較。只標示仍然有效的調整(目標調低後又調回去,不會標示)。

以下任一種方式記錄原因即可:

- 在關鍵結果的 `revisions:` 清單中:一筆 `field` 相同、`to:` 等於新值的紀錄(再加上 `date`、
  `from` 與 `reason`)。這種方式在任何地方都有效,包括 pre-commit hook:hook 執行時
  commit 訊息還不存在;
- 或在做出變更的 commit 訊息中加上 `OKR-Reason: ...` 尾註(提交之後才會檢查:CI 中的
  `okr lint`、網站、`okr diff`)。

**原因**:文章的最佳實踐「及時回饋與調整」要我們根據實際情況調整 OKR,「公開透明的溝通」
則要我們公開地調整。調整目標可以,悄悄調整則會讓「沒達成」變成「達成了」,卻沒有人做過這個決定。
網站與 `okr diff` 會並列原始目標值與調整後的目標值。

**錯誤示範**:這需要 git 歷史,單一份表單無法呈現:週期於 2026-01-01 開始,2026-02-10 的
某個 commit 把 `target: 60000` 改成 `target: 55000`,沒有 `revisions:` 紀錄,也沒有
`OKR-Reason:` 尾註。

**正確示範**:

{_GOOD}

**選項**:無。
"""


def _rel(old: Any, new: Any, field: str) -> str:
    return change_text(field, old, new) or "–"


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    history = ctx.history
    if history is None:
        return  # the runner says once that history rules were skipped
    cycle = ctx.tree.cycle(sheet.cycle_id)
    if cycle is None or ctx.today < cycle.start:
        return  # not started yet: the plan may still change
    for objective in sheet.objectives:
        for kr in objective.key_results:
            ref = sheet.ref(objective, kr)
            for move in history.goal_post_moves(ref):
                standing = getattr(kr, move.field) == move.new
                if move.reason is not None or not standing or \
                        find_revision(kr.revisions, move.field, move.new) is not None:
                    continue
                yield Hit(kr.src.pos(move.field),
                          {"field": move.field, "old": show(move.old), "new": show(move.new),
                           "change": _rel(move.old, move.new, move.field),
                           "date": move.commit.date.date().isoformat(),
                           "author": move.commit.author, "sha": move.commit.short})
            points = history.timeline(ref)
            if not points:
                continue
            for name, old, new in easier_moves(points[-1].state, kr):
                if find_revision(kr.revisions, name, new) is None:
                    yield Hit(kr.src.pos(name),
                              {"field": name, "old": show(old), "new": show(new),
                               "change": _rel(old, new, name)}, "uncommitted")
