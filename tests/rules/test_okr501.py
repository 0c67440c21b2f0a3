"""OKR501 no-deadline (error): due outside the cycle, or no deadline at all (seed: Time-bound).

The article's rewrite ends 「並在3月31日前達成」: due 2026-03-31 in 2026-Q1 passes, a
key result without `due:` inherits the cycle's end; June, or December of the
year before, is flagged at the `due:` value; a sheet in a cycle with no known
dates needs an explicit `due:` on each key result.
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
        title: 將Facebook粉絲專頁的平均貼文互動率提升15%
        due: 2026-06-30
      - id: reach
        title: 將Instagram平均貼文觸及人數提升20%
        due: 2025-12-15
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
        due: 2026-03-31
      - id: reach
        title: 將Instagram平均貼文觸及人數提升20%
"""

EN_BAD = """\
cycle: FY26-S1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: Grow our social media presence
    owner: fang
    strategy: [brand]
    key_results:
      - id: engagement
        title: Raise the average Facebook post engagement rate by 15%
      - id: reach
        title: Raise Instagram reach per post by 20%
        due: 2026-03-31
"""

# the custom cycle is defined in the config: the key result inherits its end
EN_GOOD_CONF = {"cycles": {"FY26-S1": {"start": "2026-01-01", "end": "2026-03-31"}}}

CASES = {
    ("zh-TW", "bad"): (ZH_BAD, None, [(12, 14, "OKR501"), (15, 14, "OKR501")]),
    ("zh-TW", "good"): (ZH_GOOD, None, []),
    ("en", "bad"): (EN_BAD, None, [(10, 9, "OKR501")]),
    ("en", "good"): (EN_BAD, EN_GOOD_CONF, []),
}


@pytest.mark.parametrize("case", ["bad", "good"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_deadline_outside_the_cycle_or_missing_is_flagged(check: Check, lang: str,
                                                            case: str) -> None:
    sheet, conf, expected = CASES[lang, case]
    assert check(sheet, conf, code="OKR501") == expected


def test_each_case_has_its_message(tmp_path, lint_snippet) -> None:
    after, before = [f for f in lint_snippet(tmp_path / "zh", ZH_BAD) if f.code == "OKR501"]
    [unknown] = [f for f in lint_snippet(tmp_path / "en", EN_BAD) if f.code == "OKR501"]
    assert {after.severity, before.severity, unknown.severity} == {Severity.ERROR}
    assert after.message("en") == (
        "due 2026-06-30 is after the end of cycle 2026-Q1 (2026-03-31): move it into the "
        "cycle or the key result into a later cycle")
    assert before.message("zh-TW") == "期限 2025-12-15 早於週期 2026-Q1 的開始日(2026-01-01)"
    assert unknown.message("en") == (
        "no deadline: cycle FY26-S1 has no known dates, so set due: YYYY-MM-DD")
