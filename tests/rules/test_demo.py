"""The demo `okrs/` passes its own linter (issue 3: "What it must show").

No error-level finding on any day of the demo's year; a warning may stay only
where the seed article's own example is written that way, and then a YAML
comment in zh-TW on its line or the line above names the code and says so
(e.g. `# 文章範例原文即為「提升5%」,保留以忠於範例(OKR301)`). The demo is a copy in
a tmp dir (no git history: the history rules are the history issue's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from okrkit.config import load_config
from okrkit.findings import Finding, Severity
from okrkit.rules.runner import LintResult, lint
from paths import chdir

# the demo's year: Q1 is graded, Q4 is under way (its sheets have no scores yet)
DEMO_DAYS = [dt.date(2026, 1, 5), dt.date(2026, 2, 15), dt.date(2026, 4, 1),
             dt.date(2026, 7, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 28),
             dt.date(2026, 12, 31)]
_COMMENT_RE = re.compile(r"(?:^|\s)#(?P<text>.*)$")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def lint_demo(root: Path, today: dt.date) -> LintResult:
    with chdir(root):
        config, config_findings = load_config(root)
        assert config_findings == []
        return lint(config, None, today=today)


def _comment(line: str) -> str:
    match = _COMMENT_RE.search(line)
    return match["text"] if match else ""


def undocumented_warnings(root: Path, findings: Sequence[Finding]) -> list[str]:
    """Warnings without a zh-TW comment naming their code on their line or the line above."""
    missing = []
    for f in findings:
        if f.severity is not Severity.WARNING:
            continue
        lines = (root / f.pos.path).read_text(encoding="utf-8").splitlines()
        near = [lines[f.pos.line - 1]] + ([lines[f.pos.line - 2]] if f.pos.line > 1 else [])
        comments = [_comment(line) for line in near]
        if not any(f.code in c and _HAN_RE.search(c) for c in comments):
            missing.append(f"{f.pos}: {f.code} {f.message()}")
    return missing


@pytest.mark.parametrize("today", DEMO_DAYS, ids=str)
def test_the_demo_has_no_error_and_every_warning_says_why(demo_tree: Path,
                                                          today: dt.date) -> None:
    result = lint_demo(demo_tree, today)
    assert len(result.tree.sheets) >= 8  # the whole demo was read
    errors = [f"{f.pos}: {f.code} {f.message()}" for f in result.findings
              if f.severity is Severity.ERROR]
    assert errors == []
    assert undocumented_warnings(demo_tree, result.findings) == []


def test_a_warning_without_its_comment_is_caught_and_the_comment_clears_it(
        demo_tree: Path) -> None:
    # the article's 「將電子郵件行銷的點擊率提高5%」 in a committed objective, as
    # +3% instead: OKR301 fires at the target, and only the comment makes it fine
    sheet = demo_tree / "okrs" / "2026-Q1" / "marketing.yaml"
    text = sheet.read_text(encoding="utf-8")
    assert "        target: 3.36\n" in text
    sheet.write_text(text.replace("        target: 3.36\n", "        target: 3.3\n"),
                     encoding="utf-8")
    found = lint_demo(demo_tree, dt.date(2026, 2, 15)).findings
    [warning] = [f for f in found if f.code == "OKR301"]
    assert undocumented_warnings(demo_tree, found) == [
        f"{warning.pos}: OKR301 {warning.message()}"]

    sheet.write_text(text.replace(
        "        target: 3.36\n",
        "        # 文章範例原文即為「提高5%」,此處改為3%僅供測試(OKR301)\n"
        "        target: 3.3\n"), encoding="utf-8")
    found = lint_demo(demo_tree, dt.date(2026, 2, 15)).findings
    assert [f.code for f in found if f.code == "OKR301"] == ["OKR301"]
    assert undocumented_warnings(demo_tree, found) == []


def test_the_demo_keeps_the_articles_examples(demo_tree: Path) -> None:
    # the rewrite of 「改善社群媒體參與度」 is in the demo and passes the rules it is the
    # example of: not vague (OKR101), measurable (OKR201), time-bound (OKR501)
    marketing = (demo_tree / "okrs" / "2026-Q1" / "marketing.yaml").read_text(encoding="utf-8")
    assert "在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成" in marketing
    found = lint_demo(demo_tree, dt.date(2026, 2, 15)).findings
    assert [f for f in found if f.code in {"OKR101", "OKR201", "OKR501"}] == []
