"""`okr new CYCLE TEAM`: a sheet from the seed's template that validates, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrkit.cli import main
from okrkit.commands.init import SCAFFOLD_DIR

TEMPLATE = "okrs/@@cycle@@/@@team@@.yaml"


def new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def validate(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate"])
    return code, capsys.readouterr().out


def expected(lang: str, **values: str) -> str:
    text = (SCAFFOLD_DIR / lang / TEMPLATE).read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def test_new_sheet_in_english(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "2026-Q2", "sales") == (
        0, "created okrs/2026-Q2/sales.yaml\n",
        "edit the baselines and targets, then run `okr lint okrs/2026-Q2/sales.yaml`\n")
    text = (small_tree / "okrs" / "2026-Q2" / "sales.yaml").read_text(encoding="utf-8")
    assert text == expected("en", cycle="2026-Q2", team="sales", owner="wei", due="2026-06-30")
    assert text.startswith("# yaml-language-server: $schema=../../schema/okr.schema.json\n")
    assert "    title: Raise brand awareness\n" in text
    assert text.count("        due: 2026-06-30\n") == 3
    assert validate(capsys) == (0, "")


def test_new_sheet_in_traditional_chinese(small_tree: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "2026-Q3", "marketing", "--lang", "zh-TW")[:2] == (
        0, "已建立 okrs/2026-Q3/marketing.yaml\n")
    text = (small_tree / "okrs" / "2026-Q3" / "marketing.yaml").read_text(encoding="utf-8")
    assert text == expected("zh-TW", cycle="2026-Q3", team="marketing", owner="mei",
                            due="2026-09-30")
    # the seed's example, word for word
    for line in ("    title: 提升品牌知名度", "        title: 將網站每月不重複訪客數提升20%",
                 "        title: 將社群媒體粉絲數量增加15%",
                 "        title: 在行業相關的媒體上獲得至少3次報導"):
        assert line + "\n" in text
    assert validate(capsys) == (0, "")


def test_language_from_the_config(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text("language: zh-TW\n", encoding="utf-8")
    assert new(capsys, "2026-Q3", "sales")[1] == "已建立 okrs/2026-Q3/sales.yaml\n"


def test_a_year_cycle_is_quoted(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "2026", "marketing")[0] == 0
    text = (small_tree / "okrs" / "2026" / "marketing.yaml").read_text(encoding="utf-8")
    assert 'cycle: "2026"\n' in text and "        due: 2026-12-31\n" in text
    assert validate(capsys) == (0, "")


def test_a_custom_cycle(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text(
        'cycles:\n  FY23-Q1: {start: "2022-02-01", end: "2022-04-30"}\n', encoding="utf-8")
    assert new(capsys, "FY23-Q1", "sales")[0] == 0
    text = (small_tree / "okrs" / "FY23-Q1" / "sales.yaml").read_text(encoding="utf-8")
    assert "cycle: FY23-Q1\n" in text and "        due: 2022-04-30\n" in text
    assert validate(capsys) == (0, "")


def test_never_overwrites(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_tree / "okrs" / "2026-Q1" / "sales.yaml"
    before = path.read_bytes()
    assert new(capsys, "2026-Q1", "sales") == (
        2, "", "okr: error: okrs/2026-Q1/sales.yaml already exists: not overwritten\n")
    assert path.read_bytes() == before
    (small_tree / "okrs" / "2026-Q3").mkdir()
    (small_tree / "okrs" / "2026-Q3" / "sales.yml").write_text("x: 1\n", encoding="utf-8")
    assert new(capsys, "2026-Q3", "sales", "--lang", "zh-TW") == (
        2, "", "okr: error: okrs/2026-Q3/sales.yaml 已存在:不覆寫\n")
    assert not (small_tree / "okrs" / "2026-Q3" / "sales.yaml").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["2026-Q5", "sales"], "unknown cycle '2026-Q5' (2026, 2026-H1, 2026-Q1 or a custom cycle "
                           "from .okrkit.yaml)"),
    (["2026-Q2", "Sales Team"], "'Sales Team' is not a team id (lowercase letters, digits and "
                                "hyphens)"),
    (["2026-Q2", "../x"], "'../x' is not a team id (lowercase letters, digits and hyphens)"),
])
def test_usage_errors(small_tree: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                      message: str) -> None:
    assert new(capsys, *args) == (2, "", f"okr: error: {message}\n")
    assert sorted(p.name for p in (small_tree / "okrs").iterdir()) == [
        "2026-Q1", "2026-Q2", "org.yaml"]


def test_a_team_missing_from_the_org_is_created_with_a_warning(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "2026-Q2", "support") == (
        0, "created okrs/2026-Q2/support.yaml\n",
        "team 'support' is not in org.yaml yet: add it there\n"
        "edit the baselines and targets, then run `okr lint okrs/2026-Q2/support.yaml`\n")
    text = (small_tree / "okrs" / "2026-Q2" / "support.yaml").read_text(encoding="utf-8")
    assert "owner:" not in text  # nobody to name: OKR603 will ask for one
    line = text.splitlines().index("team: support") + 1
    assert validate(capsys) == (1, f"okrs/2026-Q2/support.yaml:{line}:7: OKR006 unknown team "
                                   "'support'\n")


def test_strategy_follows_the_org(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "okrs").mkdir()
    org = tmp_path / "okrs" / "org.yaml"
    org.write_text("name: X\nstrategy:\n  - {id: growth, title: 成長}\nteams:\n"
                   "  - {id: ops, name: 營運, members: [ann, bo]}\n", encoding="utf-8")
    assert new(capsys, "2026-Q1", "ops")[0] == 0
    text = (tmp_path / "okrs" / "2026-Q1" / "ops.yaml").read_text(encoding="utf-8")
    assert "    strategy: [growth]\n" in text and "owner: ann\n" in text
    assert validate(capsys) == (0, "")
    (tmp_path / "okrs" / "2026-Q1" / "ops.yaml").unlink()
    org.write_text("name: X\nteams:\n  - {id: ops, name: 營運}\n", encoding="utf-8")
    assert new(capsys, "2026-Q2", "ops")[0] == 0
    text = (tmp_path / "okrs" / "2026-Q2" / "ops.yaml").read_text(encoding="utf-8")
    assert "strategy:" not in text and "owner:" not in text
    assert validate(capsys) == (0, "")
