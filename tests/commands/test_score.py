"""`okr score CYCLE [--write]`: suggested grades, and filling in the missing ones in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrkit.cli import main
from okrkit.commands.score import show_score

SMALL = Path(__file__).resolve().parent.parent / "resources" / "small"
MARKETING = "okrs/2026-Q1/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"
REPORT = [
    "2026-Q1: suggested scores (progress clamped to 0–1, rounded to 0.1)",
    "2026-Q1/marketing/brand-awareness     0.43",
    "  unique-visitors                     0.3",
    "  social-followers                    1.0",
    "  media-coverage                      0.0",
    "2026-Q1/marketing/website-conversion  0.1",
    "  acquisition-cost                    0.2  (recorded 0.2)",
    "  guidelines                          0.0",
    "2026-Q1/sales/increase-sales          0.6",
    "  quarter-revenue                     0.6",
]
PROVISIONAL = "2026-Q1 ends on 2026-03-31: these scores are provisional\n"


def score(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["score", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_report(small_tree: Path, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch) -> None:
    assert score(capsys, "2026-Q1") == (0, REPORT, PROVISIONAL)
    monkeypatch.setenv("OKR_TODAY", "2026-04-01")
    assert score(capsys, "2026-Q1") == (0, REPORT, "")  # the cycle is over: no note
    # nothing was written
    assert (small_tree / MARKETING).read_text(encoding="utf-8") == (
        SMALL / MARKETING).read_text(encoding="utf-8")


def test_report_in_traditional_chinese(small_tree: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = score(capsys, "2026-Q2", "--lang", "zh-TW")
    assert (code, err) == (0, "2026-Q2 於 2026-06-30 結束:這些評分僅供參考\n")
    assert lines == [
        "2026-Q2:建議評分(進度限制在 0–1,四捨五入到 0.1)",
        "2026-Q2/marketing/brand-awareness  –(無法計算進度:缺少基準值、目標值或目前值)",
        "  unique-visitors                  –(無法計算進度:缺少基準值、目標值或目前值)",
    ]


def test_write_fills_in_missing_scores_only(small_tree: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = score(capsys, "2026-Q1", "--write")
    assert code == 0
    assert lines == [*REPORT, f"{MARKETING}: 6 score(s) written", f"{SALES}: 2 score(s) written"]
    before = (SMALL / MARKETING).read_text(encoding="utf-8")
    after = (small_tree / MARKETING).read_text(encoding="utf-8")
    # each key result gets its score as its last line, each objective after its key results;
    # the recorded 0.2 stays
    assert after == before.replace(
        "        owner: kai\n      - id: social-followers",
        "        owner: kai\n        score: 0.3\n      - id: social-followers").replace(
        "        current: 28000\n        owner: kai\n",
        "        current: 28000\n        owner: kai\n        score: 1.0\n").replace(
        "        current: 1\n\n",
        "        current: 1\n        score: 0.0\n    score: 0.43\n\n").replace(
        "        current: false\n",
        "        current: false\n        score: 0.0\n    score: 0.1\n")
    assert (small_tree / SALES).read_text(encoding="utf-8") == (
        SMALL / SALES).read_text(encoding="utf-8") + "        score: 0.6\n    score: 0.6\n"
    # a second run has nothing left to fill in, and says what is recorded
    code, lines, _ = score(capsys, "2026-Q1", "--write")
    assert lines[-1] == "no missing scores to write"
    assert lines[1] == "2026-Q1/marketing/brand-awareness     0.43  (recorded 0.43)"
    assert main(["validate"]) == 0


def test_write_replaces_null_scores_in_place(small_tree: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = small_tree / SALES
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        confidence: 0.8\n", "        score: null  # at the review\n"
                                    "        confidence: 0.8\n") + "    score:\n",
        encoding="utf-8")
    assert score(capsys, "2026-Q1", "--write")[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "        score: 0.6  # at the review\n        confidence: 0.8\n" in text
    assert text.endswith("        confidence: 0.8\n    score: 0.6\n")


def test_a_key_result_without_progress_blocks_its_objective_score(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = score(capsys, "2026-Q2", "--write")
    assert code == 0
    assert lines[-1] == "no missing scores to write"
    assert (small_tree / "okrs/2026-Q2/marketing.yaml").read_text(encoding="utf-8") == (
        SMALL / "okrs/2026-Q2/marketing.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "code", "out", "err"), [
    (["2026-Q9"], 2, [], "okr: error: unknown cycle '2026-Q9'\n"),
    (["2026-Q3"], 0, ["no sheets in cycle 2026-Q3"], ""),
])
def test_cycles_without_grades(small_tree: Path, capsys: pytest.CaptureFixture[str],
                               args: list[str], code: int, out: list[str], err: str) -> None:
    assert score(capsys, *args) == (code, out, err)


@pytest.mark.parametrize(("value", "shown"), [(0.0, "0.0"), (0.7, "0.7"), (1, "1.0"),
                                               (0.433, "0.43"), (0.85, "0.85")])
def test_show_score(value: float, shown: str) -> None:
    assert show_score(value) == shown
