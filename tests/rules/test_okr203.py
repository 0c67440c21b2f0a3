"""OKR203 no-data-source (info): name where the number is read (seed: 善用數據分析工具).

The article: 「使用數據分析工具來監控關鍵結果的達成情況」 (Google Analytics). A key
result without `source:` is noted at the key result; milestones are skipped.
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
    strategy: [brand]
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        metric: 網站每月不重複訪客數
        baseline: 50000
        target: 60000
      - id: social-followers
        title: 將社群媒體粉絲數量增加15%
        metric: Facebook 與 Instagram 粉絲總數
        source: Meta Business Suite
        baseline: 24000
        target: 27600
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
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        metric: 網站每月不重複訪客數
        source: Google Analytics
        baseline: 50000
        target: 60000
      - id: guidelines
        title: 全體小編於3月15日前採用社群內容規範手冊
        direction: milestone
        target: true
"""

EN_BAD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: Grow brand awareness
    owner: mei
    strategy: [brand]
    key_results:
      - id: unique-visitors
        title: Grow monthly unique visitors by 20%
        metric: monthly unique visitors
        baseline: 50000
        target: 60000
"""

EN_GOOD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: Grow brand awareness
    owner: mei
    strategy: [brand]
    key_results:
      - id: unique-visitors
        title: Grow monthly unique visitors by 20%
        metric: monthly unique visitors
        source: Google Analytics
        baseline: 50000
        target: 60000
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(10, 9, "OKR203")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(10, 9, "OKR203")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_key_result_without_source_is_noted(check: Check, lang: str, case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR203") == expected


def test_it_is_info_and_names_the_metric(tmp_path, lint_snippet) -> None:
    [finding] = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR203"]
    assert finding.severity is Severity.INFO
    assert finding.message("zh-TW") == (
        "沒有資料來源:寫出「網站每月不重複訪客數」從哪裡取得,例如 source: Google Analytics")


def test_a_measure_block_names_the_source_too(check: Check) -> None:
    measured = EN_BAD.replace(
        "        target: 60000\n",
        "        target: 60000\n"
        "        measure: {from: csv, path: data/visitors.csv, column: visitors}\n")
    assert check(measured, code="OKR203") == []
