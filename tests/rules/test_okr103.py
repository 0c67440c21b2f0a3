"""OKR103 activity-not-outcome: a task is not a key result (seed: 關鍵結果必須是可衡量的).

Holding webinars or writing posts is work done; the article's key results are
changes of a metric (部落格文章閱讀次數增加30%). A task named as the means of a
measured change passes; a milestone is checked too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Check = Callable[..., list[tuple[int, int, str]]]

ZH_BAD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: 提升內容觸及率
    owner: yuting
    strategy: [brand]
    key_results:
      - id: webinars
        title: 舉辦3場線上研討會
        metric: 研討會場次
        baseline: 0
        target: 3
      - id: blog-posts
        title: 撰寫24篇部落格文章
      - id: new-site
        title: 新版官網於3月31日前上線
        direction: milestone
        target: true
"""

ZH_GOOD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: 提升內容觸及率
    owner: yuting
    strategy: [brand]
    key_results:
      - id: blog-reads
        title: 部落格文章閱讀次數增加30%
        initiatives:
          - title: 撰寫24篇部落格文章
      - id: webinar-leads
        title: 透過舉辦線上研討會,將內容產生的潛在客戶數量增加20%
      - id: completion
        title: 將結帳完成率從62%提升到70%
      - id: editors
        title: 全體小編於3月15日前採用社群內容規範手冊
        direction: milestone
        target: true
"""

EN_BAD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: Reach more readers
    owner: yuting
    strategy: [brand]
    key_results:
      - id: webinars
        title: Host 3 webinars
      - id: blog-posts
        title: Write 24 blog posts
      - id: new-site
        title: Launch the new website by March 31
        direction: milestone
        target: true
"""

EN_GOOD = """\
cycle: 2026-Q1
team: content
owner: yuting
objectives:
  - id: content-reach
    title: Reach more readers
    owner: yuting
    strategy: [brand]
    key_results:
      - id: blog-reads
        title: Grow monthly blog reads by 30%
        initiatives:
          - title: Write 24 blog posts
      - id: webinar-leads
        title: Host webinars that raise content leads from 300 to 360
      - id: completion
        title: Lift the checkout completion rate to 70%
      - id: churn
        title: Hold monthly churn under 2%
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(11, 16, "OKR103"), (16, 16, "OKR103"), (18, 16, "OKR103")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(11, 16, "OKR103"), (13, 16, "OKR103"), (15, 16, "OKR103")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_task_as_key_result_is_flagged_at_the_title(check: Check, lang: str,
                                                      case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR103") == expected


def test_extra_terms_from_the_config_are_tasks_too(check: Check) -> None:
    sheet = ZH_GOOD.replace("將結帳完成率從62%提升到70%", "盤點所有舊文章")
    assert check(sheet, code="OKR103") == []
    assert check(sheet, {"rules": {"OKR103": {"extra_terms": ["盤點"]}}}, code="OKR103") == [
        (17, 16, "OKR103")]


def test_message_names_the_task_word(tmp_path, lint_snippet) -> None:
    [first, *_] = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR103"]
    assert first.message("zh-TW").startswith("「舉辦」描述的是工作項目,不是成果")
    assert first.message("en").startswith("'舉辦' describes an activity, not an outcome")
