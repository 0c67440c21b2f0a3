"""`okr lint`: output formats, languages, exit codes, as a user runs it (`main([...])`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from okrkit.cli import main
from paths import REPO_ROOT

NO_OWNER = """\
cycle: 2026-Q1
team: marketing
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    strategy: [brand]
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
        owner: fang
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo org and company sheet, one sheet without an objective owner; cwd inside."""
    root = tmp_path / "repo"
    (root / "okrs" / "2026").mkdir(parents=True)
    (root / "okrs" / "2026-Q1").mkdir()
    shutil.copy2(REPO_ROOT / "okrs" / "org.yaml", root / "okrs" / "org.yaml")
    shutil.copy2(REPO_ROOT / "okrs" / "2026" / "company.yaml",
                 root / "okrs" / "2026" / "company.yaml")
    (root / "okrs" / "2026-Q1" / "marketing.yaml").write_text(NO_OWNER, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    return root


SHEET = "okrs/2026-Q1/marketing.yaml"


def test_text_output_and_exit_0_for_warnings(repo: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    assert main(["lint", "--select", "OKR603", SHEET]) == 0
    out, err = capsys.readouterr()
    assert out == (f"{SHEET}:4:9: OKR603 [warning] objective 'social-engagement' has no owner: "
                   "name the one person accountable for it (the sheet's owner does not count)\n")
    assert err == ""


def test_strict_fails_on_warnings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--strict", "--select", "OKR603"]) == 1


def test_errors_fail(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / SHEET
    path.write_text(NO_OWNER.replace("[brand]", "[brnd]"), encoding="utf-8")
    assert main(["lint", "--select", "OKR603", SHEET]) == 1
    out, _ = capsys.readouterr()
    assert f"{SHEET}:6:16: OKR006 [error] unknown strategy theme 'brnd' (did you mean " \
           "'brand'?)" in out.splitlines()


def test_info_never_fails_even_strict(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".okrkit.yaml").write_text("rules:\n  OKR603:\n    severity: info\n",
                                       encoding="utf-8")
    assert main(["lint", "--strict", "--select", "OKR603"]) == 0
    assert "[info]" in capsys.readouterr().out


def test_language_from_flag_config_and_locale(repo: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    zh = "目標「social-engagement」沒有負責人:請指定一位當責的人(表單的 owner 不算)"
    main(["lint", "--select", "OKR603", "--lang", "zh-TW"])
    assert capsys.readouterr().out.endswith(f"{zh}\n")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    main(["lint", "--select", "OKR603"])
    assert capsys.readouterr().out.endswith(f"{zh}\n")
    (repo / ".okrkit.yaml").write_text("language: en\n", encoding="utf-8")
    main(["lint", "--select", "OKR603"])  # the config wins over the locale
    assert "has no owner" in capsys.readouterr().out
    main(["lint", "--select", "OKR603", "--lang", "zh-TW"])  # the flag wins over the config
    assert capsys.readouterr().out.endswith(f"{zh}\n")


def test_select_and_ignore_take_lists(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--select", "OKR1,OKR603", "--ignore", "OKR1", "--ignore", "OKR6"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("argv", "message"), [
    (["lint", "okrs/2026-Q1/nothing.yaml"], "okr: error: no such file or folder: "
                                            "okrs/2026-Q1/nothing.yaml\n"),
    (["lint", "--select", "OKR999"], "okr: error: --select: unknown rule code 'OKR999'\n"),
    (["lint", "--ignore", "E501"], "okr: error: --ignore: 'E501' is not a rule code or prefix "
                                   "(OKR301, OKR3)\n"),
    (["lint", "README.md"], "okr: error: README.md is outside the OKR tree (okrs)\n"),
])
def test_usage_errors_exit_2(repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                             message: str) -> None:
    (repo / "README.md").write_text("hi\n", encoding="utf-8")
    assert main(argv) == 2
    assert capsys.readouterr().err == message


def test_okr_today_must_be_a_date(repo: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "15/02/2026")
    assert main(["lint"]) == 2
    assert capsys.readouterr().err == (
        "okr: error: OKR_TODAY='15/02/2026' is not a date (YYYY-MM-DD)\n")


def test_the_config_file_as_a_path_lints_the_whole_tree(repo: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    (repo / ".okrkit.yaml").write_text("rules:\n  OKR603:\n    severity: error\n",
                                       encoding="utf-8")
    assert main(["lint", "--select", "OKR603", ".okrkit.yaml"]) == 1
    assert "OKR603 [error]" in capsys.readouterr().out


def test_config_findings_are_reported_and_fail(repo: Path, capsys: pytest.CaptureFixture[str]
                                               ) -> None:
    (repo / ".okrkit.yaml").write_text("rules:\n  OKR603:\n    floor: 3\n", encoding="utf-8")
    assert main(["lint", "--select", "OKR603"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        ".okrkit.yaml:3:5: OKR002 [error] rules.OKR603: unknown option 'floor' "
        "(OKR603 has no options)")


def test_json_github_and_sarif(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--select", "OKR603", "--format", "json"])
    [row] = json.loads(capsys.readouterr().out)
    assert (row["path"], row["line"], row["column"], row["code"]) == (SHEET, 4, 9, "OKR603")
    main(["lint", "--select", "OKR603", "--format", "github"])
    assert capsys.readouterr().out.startswith(
        f"::warning file={SHEET},line=4,col=9,title=OKR603 no-owner::objective")
    main(["lint", "--select", "OKR603", "--format", "sarif", "--lang", "zh-TW"])
    log = json.loads(capsys.readouterr().out)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "OKR603" and result["message"]["text"].startswith("目標")


def test_suppressed_findings_show_in_sarif_only(repo: Path, capsys: pytest.CaptureFixture[str]
                                                ) -> None:
    path = repo / SHEET
    path.write_text(NO_OWNER.replace("  - id: social-engagement",
                                     "  - id: social-engagement  # okr: disable-line OKR603 -- "
                                     "由行銷部共同負責"), encoding="utf-8")
    assert main(["lint", "--select", "OKR603,OKR9"]) == 0
    assert capsys.readouterr().out == ""
    main(["lint", "--select", "OKR603,OKR9", "--format", "sarif"])
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "由行銷部共同負責"}]


def test_the_demo_tree_has_no_error(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """DESIGN: the demo okrs/ lints without an error-level finding, all rules on."""
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    assert main(["lint", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r for r in rows if r["severity"] == "error"] == []
