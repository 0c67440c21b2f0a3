"""OKR402 kr-weakly-related (info): a key result that shares nothing with its objective.

Seed: 關鍵結果關聯性不強. A support-speed key result under 提升品牌知名度 is noted at
its title; the article's own three key results of that objective (visitors,
followers, brand searches) are related through the strategy theme, shared
words or the concepts of `lexicons/related.json`; a description that names the
metric is an explicit link.
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
      - id: first-response
        title: 將客服首次回覆時間從9小時縮短到4小時
        metric: 客服工單平均首次回覆時間
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
      - id: social-followers
        title: 將社群媒體粉絲數量增加15%
        metric: Facebook 與 Instagram 粉絲總數
      - id: brand-search
        title: 在目標市場中,品牌關鍵字搜尋量提升40%
        metric: 品牌關鍵字每月搜尋量
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    strategy: [brand]
    key_results:
      - id: engagement
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
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
      - id: first-response
        title: Cut the first response time of support tickets from 9 to 4 hours
        metric: average first response time of support tickets
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
      - id: followers
        title: Grow Instagram followers by 15%
        metric: Instagram followers
  - id: social-engagement
    title: Deepen social media engagement
    owner: fang
    strategy: [brand]
    key_results:
      - id: interaction-rate
        title: Lift the average interaction rate of Facebook posts by 15%
        metric: average interactions per Facebook post
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(14, 16, "OKR402")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(11, 16, "OKR402")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_key_result_unrelated_to_its_objective_is_noted(check: Check, lang: str,
                                                          case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR402") == expected


def test_a_description_naming_the_metric_is_an_explicit_link(check: Check) -> None:
    linked = ZH_BAD.replace("    owner: mei\n    strategy",
                            "    description: 客服工單平均首次回覆時間影響口碑與品牌印象。\n"
                            "    owner: mei\n    strategy")
    assert check(linked, code="OKR402") == []
    by_id = ZH_BAD.replace("    owner: mei\n    strategy",
                           "    notes: first-response 讓詢問品牌的訪客更快得到回覆。\n"
                           "    owner: mei\n    strategy")
    assert check(by_id, code="OKR402") == []
    longer_slug = by_id.replace("notes: first-response ", "notes: first-response-sla ")
    assert check(longer_slug, code="OKR402") == [(15, 16, "OKR402")]


def test_the_strategy_theme_counts_as_part_of_the_objective(check: Check) -> None:
    # 擴大內容行銷的影響力 shares nothing with 社群媒體粉絲; the theme brand
    # (「網站流量、社群追蹤與媒體曝光」) relates them
    sheet = ZH_BAD.replace("提升品牌知名度", "擴大內容行銷的影響力").replace(
        "將網站每月不重複訪客數提升20%", "將社群媒體粉絲數量增加15%").replace(
        "網站每月不重複訪客數", "Facebook 與 Instagram 粉絲總數")
    assert check(sheet, code="OKR402") == [(14, 16, "OKR402")]
    assert check(sheet, {"rules": {"OKR402": {"use_strategy": False}}}, code="OKR402") == [
        (11, 16, "OKR402"), (14, 16, "OKR402")]


def test_it_is_info_naming_the_objective(tmp_path, lint_snippet) -> None:
    [finding] = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR402"]
    assert finding.severity is Severity.INFO
    assert finding.message("zh-TW").startswith("關鍵結果與目標「提升品牌知名度」沒有共同的詞")
