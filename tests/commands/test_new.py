"""`okr new [CYCLE] [TEAM] [--template NAME]`: a sheet from the seed's templates that
validates, never overwriting; without a terminal, what is missing is an error.

The templates themselves (every one, both languages, through the real `okr lint`) are in
test_new_templates.py; the questions asked in a real terminal in test_new_terminal.py.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from okrkit import sheet_templates
from okrkit.cli import main


def new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def validate(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate"])
    return code, capsys.readouterr().out


def expected(lang: str, name: str = sheet_templates.DEFAULT, **values: str) -> str:
    text = (sheet_templates.TEMPLATES_DIR / lang / f"{name}.yaml").read_text(encoding="utf-8")
    values.setdefault("cycle_ref", values.get("cycle", "").strip('"'))  # the hint's full ref
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "okrs").rglob("*"))


SMALL_LISTING = ["okrs/2026-Q1", "okrs/2026-Q1/marketing.yaml", "okrs/2026-Q1/sales.yaml",
                 "okrs/2026-Q2", "okrs/2026-Q2/marketing.yaml", "okrs/org.yaml"]


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


def test_a_team_by_its_name_in_org_yaml(small_tree: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "2026-Q2", "業務部")[:2] == (0, "created okrs/2026-Q2/sales.yaml\n")


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


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("name", sheet_templates.NAMES)
def test_every_template_is_written_and_validates(
        small_tree: Path, capsys: pytest.CaptureFixture[str], name: str, lang: str) -> None:
    code, _, _ = new(capsys, "2026-Q3", "sales", "--template", name, "--lang", lang)
    assert code == 0
    text = (small_tree / "okrs" / "2026-Q3" / "sales.yaml").read_text(encoding="utf-8")
    # the small org has only the `brand` theme: every template falls back to it
    assert "    strategy: [brand]\n" in text
    assert text == expected(lang, name, cycle="2026-Q3", team="sales", owner="wei",
                            due="2026-09-30").replace(
        _strategy_line(expected(lang, name)), "    strategy: [brand]\n")
    assert validate(capsys) == (0, "")


def _strategy_line(text: str) -> str:
    return next(line + "\n" for line in text.splitlines() if line.startswith("    strategy:"))


def test_language_from_the_config(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text("language: zh-TW\n", encoding="utf-8")
    assert new(capsys, "2026-Q3", "sales", "--template", "sales")[1] == (
        "已建立 okrs/2026-Q3/sales.yaml\n")
    text = (small_tree / "okrs" / "2026-Q3" / "sales.yaml").read_text(encoding="utf-8")
    assert "        title: 本季銷售額達到500萬元\n" in text


def test_a_year_cycle_is_quoted(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "2026", "marketing")[0] == 0
    text = (small_tree / "okrs" / "2026" / "marketing.yaml").read_text(encoding="utf-8")
    assert 'cycle: "2026"\n' in text and "        due: 2026-12-31\n" in text
    assert validate(capsys) == (0, "")


def test_a_custom_cycle(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text(
        'cycles:\n  FY23-Q1: {start: "2022-02-01", end: "2022-04-30"}\n', encoding="utf-8")
    assert new(capsys, "FY23-Q1", "sales", "--template", "ecommerce")[0] == 0
    text = (small_tree / "okrs" / "FY23-Q1" / "sales.yaml").read_text(encoding="utf-8")
    assert "cycle: FY23-Q1\n" in text and text.count("        due: 2022-04-30\n") == 3
    assert validate(capsys) == (0, "")


def test_never_overwrites(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_tree / "okrs" / "2026-Q1" / "sales.yaml"
    before = path.read_bytes()
    assert new(capsys, "2026-Q1", "sales", "--template", "sales") == (
        2, "", "okr: error: okrs/2026-Q1/sales.yaml already exists: not overwritten\n")
    assert path.read_bytes() == before
    (small_tree / "okrs" / "2026-Q3").mkdir()
    (small_tree / "okrs" / "2026-Q3" / "sales.yml").write_text("x: 1\n", encoding="utf-8")
    # the message names the file that is there, not the one that would have been written
    assert new(capsys, "2026-Q3", "sales", "--lang", "zh-TW") == (
        2, "", "okr:錯誤:okrs/2026-Q3/sales.yml 已存在:不覆寫\n")
    assert not (small_tree / "okrs" / "2026-Q3" / "sales.yaml").exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_a_new_sheet_is_an_ordinary_file(small_tree: Path, capsys: pytest.CaptureFixture[str],
                                         umask: int, mode: int) -> None:
    # as `okr init` writes them: the umask decides, not the temp file's 0600
    before = os.umask(umask)
    try:
        assert new(capsys, "2026-Q3", "sales")[0] == 0
    finally:
        os.umask(before)
    path = small_tree / "okrs" / "2026-Q3" / "sales.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert sorted(p.name for p in path.parent.iterdir()) == ["sales.yaml"]  # no temp file


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "okr: error: cannot write okrs/2026-Q3/sales.yaml: "),
    ("zh-TW", "okr:錯誤:無法寫入 okrs/2026-Q3/sales.yaml:"),
])
def test_a_sheet_that_cannot_be_written_is_an_error_not_a_crash(
        small_tree: Path, capsys: pytest.CaptureFixture[str], lang: str, message: str) -> None:
    (small_tree / "okrs" / "2026-Q3").write_text("", encoding="utf-8")  # a file, not a folder
    code, out, err = new(capsys, "2026-Q3", "sales", "--lang", lang)
    assert (code, out) == (2, "")
    assert err.startswith(message) and "internal error" not in err
    assert len(err.splitlines()) == 1


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
    assert listing(small_tree) == SMALL_LISTING


ALL_NAMES = "brand-awareness, website-conversion, content-reach, ecommerce, new-market, sales"


@pytest.mark.parametrize(("args", "message"), [
    (["--template", "sale"],
     f"okr: error: unknown template 'sale' (did you mean 'sales'?); the templates are: "
     f"{ALL_NAMES}"),
    (["--template", "brand_awareness", "--lang", "zh-TW"],
     f"okr:錯誤:沒有名為「brand_awareness」的範本(您是不是要找「brand-awareness」?);"
     f"可用的範本:{ALL_NAMES}"),
    (["--template", "okr"],
     f"okr: error: unknown template 'okr'; the templates are: {ALL_NAMES}"),
])
def test_an_unknown_template_suggests_the_near_name(
        small_tree: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        message: str) -> None:
    assert new(capsys, "2026-Q3", "sales", *args) == (2, "", message + "\n")
    assert listing(small_tree) == SMALL_LISTING


@pytest.mark.parametrize(("args", "message"), [
    ([], "okr: error: missing CYCLE and TEAM: give them as in "
         "`okr new CYCLE TEAM [--template NAME]`, or run `okr new` in a terminal to be asked"),
    (["2026-Q3"], "okr: error: missing TEAM: give them as in "
                  "`okr new CYCLE TEAM [--template NAME]`, or run `okr new` in a terminal to "
                  "be asked"),
    (["--template", "sales", "--lang", "zh-TW"],
     "okr:錯誤:缺少 CYCLE(週期)與 TEAM(團隊):請依 `okr new CYCLE TEAM [--template NAME]` "
     "指定,或在終端機中執行 `okr new` 逐項回答"),
    (["2026-Q3", "--lang", "zh-TW"],
     "okr:錯誤:缺少 TEAM(團隊):請依 `okr new CYCLE TEAM [--template NAME]` 指定,"
     "或在終端機中執行 `okr new` 逐項回答"),
])
def test_without_a_terminal_what_is_missing_is_an_error(
        small_tree: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        message: str) -> None:
    # pytest's stdin is not a terminal: nothing is asked, nothing written
    assert new(capsys, *args) == (2, "", message + "\n")
    assert listing(small_tree) == SMALL_LISTING


def test_list_of_templates(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "--list") == (0, (
        "brand-awareness     Raise brand awareness: unique visitors +20%, social followers "
        "+15%, 3 industry media stories\n"
        "website-conversion  Improve the website conversion rate: conversion 2% → 3%, lead "
        "cost −10%, email click-through +5%\n"
        "content-reach       Extend the reach of our content: blog reads +30%, social "
        "interaction rate +10%, newsletter subscribers +15%\n"
        "ecommerce           E-commerce: raise the store's conversion rate +15%, average cart "
        "value +8%, bounce rate −10%\n"
        "new-market          Start-up: expand into a new market: new-market users +20%, "
        "market share +10%, MRR +15%\n"
        "sales               Sales team: grow sales to NT$5 million this quarter, new "
        "customers +15%, average order value +10%\n"), "")
    assert new(capsys, "--list", "--lang", "zh-TW") == (0, (
        "brand-awareness     提升品牌知名度:不重複訪客數 +20%、社群粉絲 +15%、"
        "至少 3 次行業媒體報導\n"
        "website-conversion  提高網站轉換率:整體轉換率 2% → 3%、潛在客戶獲取成本 −10%、"
        "電子郵件點擊率 +5%\n"
        "content-reach       提升內容觸及率:部落格閱讀次數 +30%、社群互動率 +10%、"
        "電子報訂閱人數 +15%\n"
        "ecommerce           電商平台:網站轉換率 +15%、平均購物車價值 +8%、跳出率 −10%\n"
        "new-market          新創公司快速拓展市場:新市場用戶數 +20%、市場佔有率 +10%、MRR +15%\n"
        "sales               銷售團隊提高銷售額:本季銷售額 500 萬元、新客戶數 +15%、"
        "平均訂單價值 +10%\n"), "")
    assert listing(small_tree) == SMALL_LISTING


def test_a_team_missing_from_the_org_is_refused(small_tree: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # the sheet would fail OKR006: the team goes into org.yaml first
    assert new(capsys, "2026-Q2", "support") == (
        2, "", "okr: error: team 'support' is not in okrs/org.yaml: add it under `teams:` first "
               "(a sheet of an unknown team fails OKR006)\n")
    assert new(capsys, "2026-Q2", "sale", "--lang", "zh-TW") == (
        2, "", "okr:錯誤:團隊「sale」不在 okrs/org.yaml 中(是否指「sales」?):請先加到 "
               "`teams:` 底下\n")
    assert not (small_tree / "okrs" / "2026-Q2" / "support.yaml").exists()
    assert not (small_tree / "okrs" / "2026-Q2" / "sale.yaml").exists()


def test_an_org_without_teams_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "org.yaml").write_text(
        "name: X\nstrategy:\n  - {id: growth, title: 成長}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert new(capsys, "2026-Q3", "sales") == (
        2, "", "okr: error: okrs/org.yaml lists no teams yet: add yours under `teams:` first\n")
    assert listing(tmp_path) == ["okrs/org.yaml"]


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
    assert new(capsys, "2026-Q2", "ops", "--template", "new-market")[0] == 0
    text = (tmp_path / "okrs" / "2026-Q2" / "ops.yaml").read_text(encoding="utf-8")
    assert "strategy:" not in text and "owner:" not in text
    assert validate(capsys) == (0, "")


@pytest.mark.parametrize(("name", "themes", "strategy"), [
    # the demo org has every theme a template names: each keeps its own
    ("ecommerce", "demo", "[online-growth, customer-experience]"),
    ("new-market", "demo", "[market-expansion, online-growth]"),
    ("content-reach", "demo", "[brand]"),
    # okr init's org has brand and online-growth: the themes it lacks are dropped
    ("ecommerce", "init", "[online-growth]"),
    ("new-market", "init", "[online-growth]"),
    ("sales", "init", "[online-growth]"),
])
def test_the_template_keeps_the_themes_the_org_has(
        tmp_path: Path, demo_tree: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, name: str, themes: str, strategy: str) -> None:
    root = demo_tree
    if themes == "init":
        assert main(["init", str(tmp_path / "fresh")]) == 0
        root = tmp_path / "fresh"
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert new(capsys, "2030-Q1", "marketing", "--template", name)[0] == 0
    text = (root / "okrs" / "2030-Q1" / "marketing.yaml").read_text(encoding="utf-8")
    assert f"    strategy: {strategy}\n" in text


def test_without_an_org_it_points_at_okr_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert new(capsys, "2026-Q3", "sales") == (
        2, "", "okr: error: no okrs/org.yaml yet: a sheet's team and owner are checked against "
               "it; run `okr init .` to start an OKR repository\n")
    assert not (tmp_path / "okrs").exists()


def test_a_broken_org_is_fixed_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "org.yaml").write_text("name: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert new(capsys, "2026-Q3", "sales", "--lang", "zh-TW") == (
        2, "", "okr:錯誤:okrs/org.yaml 有問題:請先執行 `okr validate okrs/org.yaml` 並修正\n")
    assert listing(tmp_path) == ["okrs/org.yaml"]
