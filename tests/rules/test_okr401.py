"""OKR401 not-aligned (error): an objective with neither strategy nor parent (seed: 與公司戰略脫節).

Flagged at the objective. A strategy theme or a parent objective is enough;
the top-level team (company) is not exempt: it has no parent to point at, so
its message asks for a strategy theme.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from okrkit.findings import Severity

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    owner: mei
  - id: website-conversion
    title: 提高網站轉換率
    owner: kai
    strategy: []
"""

ZH_GOOD = """\
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
    parent: 2026/company/grow-online
"""

EN_BAD = """\
cycle: 2026-Q1
team: company
owner: chen
objectives:
  - id: customer-experience
    title: Delight our customers
    owner: jun
"""

EN_GOOD = """\
cycle: 2026-Q1
team: company
owner: chen
objectives:
  - id: customer-experience
    title: Delight our customers
    owner: jun
    strategy: [customer-experience]
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(5, 5, "OKR401"), (8, 5, "OKR401")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(5, 5, "OKR401")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_an_objective_without_strategy_or_parent_is_flagged(check: Check, lang: str,
                                                            case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR401") == expected


def test_the_message_asks_a_team_for_either_and_the_top_team_for_a_theme(
        tmp_path, lint_snippet) -> None:
    team = next(f for f in lint_snippet(tmp_path / "team", ZH_BAD) if f.code == "OKR401")
    [top] = [f for f in lint_snippet(tmp_path / "top", EN_BAD) if f.code == "OKR401"]
    assert team.severity is top.severity is Severity.ERROR
    assert team.message("zh-TW") == (
        "目標「brand-awareness」既沒有戰略主題也沒有上層目標:請加上 strategy: [主題] 或 "
        "parent: 週期/團隊/目標")
    assert top.message("en") == (
        "objective 'customer-experience' of top-level team 'company' names no strategy theme: "
        "add strategy: [theme] from org.yaml")
