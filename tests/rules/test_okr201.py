"""OKR201 not-measurable (error): no numeric target or no metric (seed: 關鍵結果不可衡量).

The article's 「改善社群媒體參與度」 has neither and is flagged at the key result;
its rewrite 「在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前
達成」 with metric, baseline, target and due passes. A milestone is done or
not, so it is measurable by definition.
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
        target: null
      - id: followers
        title: 將社群媒體粉絲數量增加15%
        baseline: 24000
        target: 27600
      - id: live
        title: 每週直播問答
        metric: 直播場次
        target: true
"""

ZH_GOOD = """\
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
  - id: social-engagement
    title: Grow our social media presence
    owner: fang
    strategy: [brand]
    key_results:
      - id: engagement
        title: Improve social media engagement
      - id: reach
        title: Raise Instagram reach per post by 20%
        metric: average Instagram reach per post
"""

EN_GOOD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: Grow our social media presence
    owner: fang
    strategy: [brand]
    key_results:
      - id: engagement
        title: Raise the average Facebook post engagement rate by 15% by March 31
        metric: average engagement rate of Facebook page posts
        source: Meta Business Suite
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
      - id: press
        title: Get covered by at least 3 industry media
        metric: industry media articles
        direction: at_least
        target: 3
"""

CASES = {
    # no metric and no target: at the key result; a null target: at its value;
    # a target without a metric: at the key result; a boolean target: at its value
    ("zh-TW", "bad"): (ZH_BAD, [(10, 9, "OKR201"), (15, 17, "OKR201"), (16, 9, "OKR201"),
                                (23, 17, "OKR201")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(10, 9, "OKR201"), (12, 9, "OKR201")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_key_result_without_number_or_metric_is_flagged(check: Check, lang: str,
                                                          case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR201") == expected


def test_the_articles_vague_goal_is_vague_and_not_measurable(check: Check) -> None:
    found = check(ZH_BAD)
    assert (11, 16, "OKR101") in found and (10, 9, "OKR201") in found


def test_each_case_has_its_message_and_it_is_an_error(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR201"]
    assert {f.severity for f in findings} == {Severity.ERROR}
    assert [f.message("en").split(":")[0] for f in findings] == [
        "key result has no numeric target and no metric",
        "key result has no numeric target",
        "key result has no metric",
        "target true is not a number",
    ]
    assert findings[1].message("zh-TW") == (
        "關鍵結果沒有數值目標:為「Instagram 平均每篇貼文觸及人數」設定要達到的數字(target)")
