"""`okr new` in a real terminal (a pty): what is missing is asked for, in the chosen
language, and a cancelled session (Ctrl-D) writes nothing."""

from __future__ import annotations

from pathlib import Path

from okrkit import sheet_templates
from terminal import run_in_terminal


def rendered(name: str, lang: str, **values: str) -> str:
    text = (sheet_templates.TEMPLATES_DIR / lang / f"{name}.yaml").read_text(encoding="utf-8")
    values.setdefault("cycle_ref", values.get("cycle", "").strip('"'))  # the hint's full ref
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text.replace("strategy: [online-growth]", "strategy: [brand]")  # the small org


def sheets(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "okrs").rglob("*.yaml"))


SMALL_SHEETS = ["okrs/2026-Q1/marketing.yaml", "okrs/2026-Q1/sales.yaml",
                "okrs/2026-Q2/marketing.yaml", "okrs/org.yaml"]


def test_asks_for_everything_in_english(small_tree: Path) -> None:
    # Enter takes the current cycle; the team by number; a wrong template name is asked again
    run = run_in_terminal(["new"], ["", "2", "sale", "sales"], cwd=small_tree,
                          env={"OKR_TODAY": "2026-08-01"})
    assert run.returncode == 0, run.output
    assert run.output.startswith("Cycle [2026-Q3]: \n")
    assert "  1) marketing  行銷部\n  2) sales  業務部\nTeam: 2\n" in run.output
    assert ("  1) brand-awareness  Raise brand awareness: unique visitors +20%, social "
            "followers +15%, 3 industry media stories\n") in run.output
    assert "  6) sales  Sales team: grow sales to NT$5 million this quarter" in run.output
    assert ("Template [brand-awareness]: sale\na number from 1 to 6, or one of the names\n"
            "Template [brand-awareness]: sales\n") in run.output
    assert run.output.endswith(
        "created okrs/2026-Q3/sales.yaml\n"
        "edit the baselines and targets, then run `okr lint okrs/2026-Q3/sales.yaml`\n")
    text = (small_tree / "okrs" / "2026-Q3" / "sales.yaml").read_text(encoding="utf-8")
    assert text == rendered("sales", "en", cycle="2026-Q3", team="sales", owner="wei",
                            due="2026-09-30")


def test_asks_for_everything_in_traditional_chinese(small_tree: Path) -> None:
    # an unknown cycle is asked again; the team by id; the template by number
    run = run_in_terminal(["new", "--lang", "zh-TW"], ["2026-Q9", "2026-Q4", "marketing", "3"],
                          cwd=small_tree)
    assert run.returncode == 0, run.output
    assert run.output.startswith(
        "週期 [2026-Q1]: 2026-Q9\n"
        "未定義的週期「2026-Q9」(2026、2026-H1、2026-Q1 或 .okrkit.yaml 中的自訂週期)\n"
        "週期 [2026-Q1]: 2026-Q4\n")
    assert "團隊: marketing\n" in run.output
    assert ("  3) content-reach  提升內容觸及率:部落格閱讀次數 +30%、社群互動率 +10%、"
            "電子報訂閱人數 +15%\n") in run.output
    assert "範本 [brand-awareness]: 3\n已建立 okrs/2026-Q4/marketing.yaml\n" in run.output
    text = (small_tree / "okrs" / "2026-Q4" / "marketing.yaml").read_text(encoding="utf-8")
    assert text == rendered("content-reach", "zh-TW", cycle="2026-Q4", team="marketing",
                            owner="mei", due="2026-12-31")
    assert "    title: 提升內容觸及率\n" in text


def test_a_full_command_line_asks_nothing_in_a_terminal(small_tree: Path) -> None:
    run = run_in_terminal(["new", "2026-Q3", "marketing"], [], cwd=small_tree)
    assert run.returncode == 0, run.output
    assert "Template" not in run.output and "created okrs/2026-Q3/marketing.yaml\n" in run.output
    text = (small_tree / "okrs" / "2026-Q3" / "marketing.yaml").read_text(encoding="utf-8")
    assert text == rendered("brand-awareness", "en", cycle="2026-Q3", team="marketing",
                            owner="mei", due="2026-09-30")


def test_a_missing_team_is_asked_then_the_template(small_tree: Path) -> None:
    run = run_in_terminal(["new", "2026-Q3"], ["marketing", "sales"], cwd=small_tree)
    assert run.returncode == 0, run.output
    assert "Cycle" not in run.output and "Template [brand-awareness]: " in run.output
    text = (small_tree / "okrs" / "2026-Q3" / "marketing.yaml").read_text(encoding="utf-8")
    assert text == rendered("sales", "en", cycle="2026-Q3", team="marketing",
                            owner="mei", due="2026-09-30")


def test_a_cancelled_session_writes_nothing(small_tree: Path) -> None:
    # Ctrl-D at the team question: EOF on the terminal
    run = run_in_terminal(["new"], ["2026-Q3", "\x04"], cwd=small_tree)
    assert run.returncode == 2, run.output
    assert "Cycle [2026-Q1]: 2026-Q3\n" in run.output
    # after the team question only the newline(s) of Ctrl-D and the message
    assert run.output.split("Team: ")[1].strip() == "okr: error: cancelled: nothing was written"
    assert sheets(small_tree) == SMALL_SHEETS
    assert not (small_tree / "okrs" / "2026-Q3").exists()
