"""OKR601 too-many-objectives: 3 to 5 per team and cycle (seed: 目標數量過多, 目標在精不在多).

Six objectives in one sheet: a warning at the sixth. Four or five: info at the
first one over three. Three: nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from okrkit.findings import Severity

Check = Callable[..., list[tuple[int, int, str]]]

ZH_SIX = """\
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
"""

ZH_THREE = ZH_SIX.split("  - id: social-engagement")[0]

EN_FOUR = """\
cycle: 2026-Q1
team: sales
owner: wei
objectives:
  - id: increase-sales
    title: Sell more to business customers
    owner: wei
    strategy: [online-growth]
  - id: pipeline
    title: Build a healthier sales pipeline
    owner: wei
    strategy: [online-growth]
  - id: key-accounts
    title: Deepen our key accounts
    owner: ting
    strategy: [online-growth]
  - id: overseas
    title: Open overseas sales channels
    owner: ting
    strategy: [market-expansion]
"""

EN_THREE = EN_FOUR.split("  - id: overseas")[0]

CASES = {
    ("zh-TW", "bad"): (ZH_SIX, [(25, 5, "OKR601")]),
    ("zh-TW", "good"): (ZH_THREE, []),
    ("en", "bad"): (EN_FOUR, [(17, 5, "OKR601")]),
    ("en", "good"): (EN_THREE, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_too_many_objectives_are_flagged_at_the_first_one_over(check: Check, lang: str,
                                                               case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR601") == expected


def test_six_is_a_warning_and_four_is_info(tmp_path, lint_snippet) -> None:
    [six] = [f for f in lint_snippet(tmp_path / "six", ZH_SIX) if f.code == "OKR601"]
    [four] = [f for f in lint_snippet(tmp_path / "four", EN_FOUR) if f.code == "OKR601"]
    assert (six.severity, four.severity) == (Severity.WARNING, Severity.INFO)
    assert six.message("en") == (
        "6 objectives in cycle 2026-Q1, more than 5: focus on the few that matter most")
    assert six.message("zh-TW") == "週期 2026-Q1 有 6 個目標,超過 5 個:請聚焦在最重要的幾個"
    assert four.message("en") == "4 objectives in cycle 2026-Q1, more than 3: are all of them key?"


def test_the_limits_are_options(check: Check) -> None:
    assert check(ZH_SIX, {"rules": {"OKR601": {"max": 6}}}, code="OKR601") == [(17, 5, "OKR601")]
    assert check(ZH_SIX, {"rules": {"OKR601": {"max": 6, "note_above": 6}}}, code="OKR601") == []
