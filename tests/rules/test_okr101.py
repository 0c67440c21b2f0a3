"""OKR101 vague-key-result: vague wording and no number (seed: Specific, 目標不夠清晰或過於模糊).

The article's vague goal "改善社群媒體參與度" is flagged at its title; its SMART
rewrite passes; 兩成, 一倍, 5個百分點 and full-width digits are numbers, a
deadline alone is not.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

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
      - id: dated
        title: 在3月31日前改善社群媒體參與度
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
      - id: reach
        title: 將Instagram平均貼文觸及人數提升兩成
      - id: likes
        title: 將粉絲專頁按讚數增加一倍
      - id: rate-points
        title: 將貼文互動率提高5個百分點
      - id: comments
        title: 將每月留言數提升１５％
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
      - id: dated
        title: Enhance brand awareness by March 31
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
      - id: signups
        title: Double the weekly newsletter signups
      - id: conversion
        title: Improve checkout conversion from 2% to 3%
"""

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, [(11, 16, "OKR101"), (13, 16, "OKR101")]),
    ("zh-TW", "good"): (ZH_GOOD, []),
    ("en", "bad"): (EN_BAD, [(11, 16, "OKR101"), (13, 16, "OKR101")]),
    ("en", "good"): (EN_GOOD, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_vague_wording_without_a_number_is_flagged_at_the_title(check: Check, lang: str,
                                                                  case: str) -> None:
    sheet, expected = CASES[lang, case]
    assert check(sheet, code="OKR101") == expected


def test_extra_terms_from_the_config_are_vague_too(check: Check) -> None:
    sheet = ZH_GOOD.replace("將每月留言數提升１５％", "讓粉絲更有感")
    assert check(sheet, code="OKR101") == []
    assert check(sheet, {"rules": {"OKR101": {"extra_terms": ["有感"]}}}, code="OKR101") == [
        (24, 16, "OKR101")]


def test_message_names_the_vague_word_in_both_languages(tmp_path, lint_snippet) -> None:
    findings = [f for f in lint_snippet(tmp_path, ZH_BAD) if f.code == "OKR101"]
    assert findings[0].message("en") == (
        "vague wording '改善' and no number: say which metric moves, by how much and by when")
    assert findings[0].message("zh-TW") == (
        "用詞模糊(「改善」)且沒有數字:寫出哪個指標、改變多少、何時達成")
