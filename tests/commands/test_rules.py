"""`okr rules` (the table) and `okr rule CODE` (one rule's page), in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrkit.cli import main
from okrkit.commands.rules import rule_doc, rules_table
from okrkit.findings import Severity
from okrkit.rules import Rule, all_rules
from paths import REPO_ROOT


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .okrkit.yaml here: the language comes from the flag


def test_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "title"]
    assert [line.split()[0] for line in lines[1:]] == [r.code for r in all_rules()]
    assert "OKR603  no-owner" in next(line for line in lines if line.startswith("OKR603"))
    row = next(line for line in lines if line.startswith("OKR603")).split(None, 3)
    assert row == ["OKR603", "no-owner", "warning", "Objective without an owner"]


def test_rules_in_chinese_aligns_wide_characters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--lang", "zh-TW"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["代碼", "名稱", "預設嚴重度", "說明"]
    row = next(line for line in lines if line.startswith("OKR603")).split(None, 3)
    assert row == ["OKR603", "no-owner", "警告", "目標沒有負責人"]


def test_rules_table_columns_line_up() -> None:
    rules = [Rule("OKR001", "a", Severity.ERROR, "structure", doc="Title one\n",
                  doc_zh="標題一\n"),
             Rule("OKR901", "longer-name", Severity.WARNING, "suppression", doc="Two\n",
                  doc_zh="二\n")]
    assert rules_table(rules, "zh-TW") == (
        "代碼    名稱         預設嚴重度  說明\n"
        "OKR001  a            錯誤        標題一\n"
        "OKR901  longer-name  警告        二\n")


def test_rule_shows_its_documentation_and_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "OKR603"]) == 0
    out = capsys.readouterr().out
    # rendered for the terminal: no Markdown markers (issue 14)
    assert out.startswith("OKR603 no-owner (warning)\n\nObjective without an owner\n\nWhat")
    assert "\nBad" in out and "建立當責文化" in out and "**" not in out and "```" not in out
    assert out.endswith("\n    rules:\n      OKR603:\n        severity: warning\n")


def test_rule_in_chinese_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "no-owner", "--lang", "zh-TW"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OKR603 no-owner (警告)\n\n目標沒有負責人\n\n說明")
    assert "在 .okrkit.yaml 中設定:" in out


def test_structural_and_suppression_codes_have_pages(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    assert main(["rule", "OKR003", "--lang", "zh-TW"]) == 0
    assert capsys.readouterr().out.startswith("OKR003 duplicate-key (錯誤)\n\n重複的鍵\n")
    assert main(["rule", "okr901"]) == 0
    assert "Suppression without a reason" in capsys.readouterr().out


def test_unknown_rule_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "OKR999"]) == 2
    assert capsys.readouterr().err == "okr: error: unknown rule 'OKR999' (see `okr rules`)\n"


def test_rule_doc_lists_options_with_their_defaults() -> None:
    rule = Rule("OKR777", "made-up", Severity.WARNING, "sheet",
                options={"committed_floor": 0.05, "terms": ("提升", "a, b", 'say "no"', "no"),
                         "on": True},
                doc="Made up\n", doc_zh="虛構\n")
    assert rule_doc(rule, "en").endswith(
        "Options and their defaults, as set in .okrkit.yaml:\n\n```yaml\nrules:\n  OKR777:\n"
        "    severity: warning\n    committed_floor: 0.05\n"
        '    terms: [提升, "a, b", say "no", "no"]\n    on: true\n```\n')


def test_readme_tables_list_every_code_with_its_name_and_severity() -> None:
    """The guide's rule tables ("Codes beside the SMART rules" and "The SMART and pitfall
    rules", docs/linting.md) stay true."""
    import re

    readme = (REPO_ROOT / "docs" / "linting.md").read_text(encoding="utf-8")
    rows = {m[0]: (m[1], m[2]) for m in re.findall(
        r"^\| (OKR\d{3}) \| ([a-z0-9-]+) \| (error|warning|info) \|", readme, re.MULTILINE)}
    assert rows == {r.code: (r.name, r.severity.label) for r in all_rules()}


def test_readme_config_example_is_valid(tmp_path: Path) -> None:
    import re

    from okrkit.config import load_config
    from okrkit.rules.options import check_config

    guide = (REPO_ROOT / "docs" / "linting.md").read_text(encoding="utf-8")
    example = re.search(r"\n## Configuration.*?```yaml\n(.*?)```", guide, re.DOTALL)
    assert example is not None
    (tmp_path / ".okrkit.yaml").write_text(example.group(1), encoding="utf-8")
    config, findings = load_config(tmp_path)
    assert findings == []
    settings = check_config(config, {r.code: r for r in all_rules()})
    assert settings.findings == ()
    assert settings.options["OKR602"]["min"] == 3


def test_rules_in_chinese_name_info_as_the_rule_docs_do(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    # 提示, as `okr review` and the site say, not 資訊
    assert main(["rules", "--lang", "zh-TW"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines()
               if line.startswith("OKR303")).split(None, 3)
    assert row[:3] == ["OKR303", "sandbagging", "提示"]


def test_rule_markdown_keeps_the_source_and_text_indents_code(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "OKR301", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "**What**" in markdown and "```yaml\n" in markdown
    assert main(["rule", "OKR301"]) == 0
    text = capsys.readouterr().out
    assert "**" not in text and "```" not in text and "`" not in text
    assert "\n    rules:\n      OKR301:\n" in text  # the config snippet, indented


def test_render_terminal_bolds_on_a_colour_terminal() -> None:
    from okrkit.commands.rules import render_terminal

    assert render_terminal("**What**: a `kr` [site](https://x.example)", color=True) == (
        "\x1b[1mWhat\x1b[0m: a kr site <https://x.example>")
    assert render_terminal("# Title\n```yaml\na: 1\n```", color=False) == "Title\n    a: 1"
