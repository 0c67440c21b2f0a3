"""OKR102 objective-has-number (info): numbers belong in key results (seed: 目標 vs 關鍵結果).

The article's content-marketing case states 「目標是將品牌知名度從15%提升至25%」: as an
objective title it is noted at the title; 「提高品牌在網路上的影響力」 is not. A
cycle name or a date in the title is not an amount.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from okrkit.findings import Severity

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: brand-awareness
    title: 將品牌知名度從15%提升至25%
    owner: yuting
    strategy: [brand]
  - id: sales
    title: 本季銷售額達到五百萬元
    owner: yuting
    strategy: [online-growth]
"""

ZH_GOOD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: brand-awareness
    title: 提高品牌在網路上的影響力
    owner: yuting
    strategy: [brand]
  - id: first-quarter
    title: 在2026年第一季成為內容行銷領域的領導者
    owner: yuting
    strategy: [brand]
"""

EN_BAD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: brand-awareness
    title: Raise brand awareness from 15% to 25%
    owner: yuting
    strategy: [brand]
  - id: readers
    title: Double our readership
    owner: yuting
    strategy: [brand]
"""

EN_GOOD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: brand-awareness
    title: Become the go-to voice in content marketing
    owner: yuting
    strategy: [brand]
  - id: first-quarter
    title: Make Q1 2026 our strongest content quarter
    owner: yuting
    strategy: [brand]
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(6, 12, "OKR102"), (10, 12, "OKR102")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(6, 12, "OKR102"), (10, 12, "OKR102")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_an_amount_in_the_objective_title_is_noted(check: Check, lang: str, case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR102") == expected


def test_it_is_info_and_names_the_amount(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR102"]
    assert [f.severity for f in findings] == [Severity.INFO, Severity.INFO]
    assert findings[0].params["amount"] == "15%"
    assert findings[1].message("zh-TW").startswith("目標標題寫了數量(五百萬元)")
