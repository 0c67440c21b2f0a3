"""`okr --help` and every subcommand's help, in English and zh-TW: the language comes from
`--lang` anywhere in argv, else (help only) the repository's `language:`, else the
locale, before parsing."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrkit.cli import _build_parser, main

HAN = re.compile(r"[\u3400-\u9fff]")
ORDER = ["validate", "lint", "rules", "rule", "status", "checkin", "measure", "new", "score", "log",
         "diff", "review", "site", "build", "serve", "export", "import", "init", "cache"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return " ".join(out.split())


def test_top_help_follows_the_locale(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    out = run(capsys, "--help")
    assert "以程式碼管理 OKR" in out
    assert "結束代碼" in out
    assert "用法:okr" in out  # argparse's own words too


@pytest.mark.parametrize("argv", [["--help"], ["lint", "-h"], ["checkin", "--help"], []])
def test_help_follows_the_repositorys_language(argv: list[str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """As every other message: a Taiwanese team's repository says `language: zh-TW`, and
    its people's locale is often English."""
    (tmp_path / ".okrkit.yaml").write_text("language: zh-TW\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    main(argv)
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("用法:okr") and HAN.search(out[len("用法:okr"):])
    if argv:  # --lang (a command's option) still wins
        main([*argv, "--lang", "en"])
        assert capsys.readouterr().out.startswith("usage: okr")


def test_a_command_that_runs_does_not_read_the_config_for_its_help_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook's start-up: the config is read once, by the command itself."""
    import okrkit.cli as cli

    (tmp_path / ".okrkit.yaml").write_text("language: zh-TW\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli._help_lang(["lint", "okrs/x.yaml"]) == "en"
    assert cli._help_lang(["lint", "--help"]) == "zh-TW"


def test_lc_all_wins_over_lang(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert "OKRs as code" in run(capsys, "--help")


@pytest.mark.parametrize("argv", [["lint", "--help", "--lang", "zh-TW"],
                                  ["lint", "--lang=zh-TW", "--help"],
                                  ["lint", "--lang", "zh-TW", "-h"]])
def test_subcommand_help_with_lang(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, *argv)
    assert "檢查 OKR 表單" in out
    assert "警告也視為失敗" in out
    assert "Lint OKR sheets" not in out


def test_lang_en_wins_over_the_locale(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    out = run(capsys, "checkin", "--help", "--lang", "en")
    assert "It does not commit" in out
    assert not HAN.search(out)


def test_english_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--help")
    assert "OKRs as code" in out
    assert not HAN.search(out)
    out = run(capsys, "lint", "--help")
    assert "Lint OKR sheets" in out
    assert not HAN.search(out)


def test_no_command_prints_the_help_in_the_locale(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert main([]) == 2
    assert "以程式碼管理 OKR" in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_commands_in_workflow_order(lang: str) -> None:
    sub = _subparsers(_build_parser(lang))
    assert list(sub.choices) == ORDER
    assert [a.dest for a in sub._choices_actions] == ORDER


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(found) == 1
    return found[0]


def _texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """(where, text) of every description, epilog and help okrkit wrote (not argparse's)."""
    for where, text in (("description", parser.description), ("epilog", parser.epilog)):
        if text is not None:
            yield f"{parser.prog} {where}", text
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue  # argparse's own "show this help message and exit"
        if action.help is not None and action.help != argparse.SUPPRESS:
            yield f"{parser.prog} {'/'.join(action.option_strings) or action.dest}", action.help
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help is not None
                yield f"{parser.prog} {choice.dest} (in the command list)", choice.help
            for subparser in dict.fromkeys(action.choices.values()):
                yield from _texts(subparser)


def test_every_help_text_is_translated() -> None:
    zh = dict(_texts(_build_parser("zh-TW")))
    en = dict(_texts(_build_parser("en")))
    assert zh.keys() == en.keys()
    assert len(zh) > 60
    untranslated = [where for where, text in zh.items() if not HAN.search(text)]
    assert untranslated == []
    chinese_in_english = [where for where, text in en.items() if HAN.search(text)]
    assert chinese_in_english == []


def _undocumented(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in dict.fromkeys(action.choices.values()):
                yield from _undocumented(subparser)
        elif action.help is None:
            yield f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"


def test_every_option_has_help() -> None:
    # `okr measure --format` showed no text in `okr measure --help`
    assert list(_undocumented(_build_parser("zh-TW"))) == []


@pytest.mark.parametrize("command", ORDER)
def test_chinese_help_fits_the_terminal(command: str, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A CJK character takes two columns: the zh-TW help wraps by display width."""
    import unicodedata

    monkeypatch.setenv("COLUMNS", "80")
    assert main([command, "--help", "--lang", "zh-TW"]) == 0
    out = capsys.readouterr().out
    assert HAN.search(out)
    for line in out.splitlines():
        if line.lstrip().startswith(("usage:", "用法:", "[")):
            continue  # argparse's own usage lines
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        assert width <= 80, line
        assert not line.lstrip().startswith(("，", "。", "、", "：", "）")), line


def test_argparses_own_words_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checkin", "--help", "--lang", "zh-TW"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法:okr checkin ")
    assert "\n位置引數:\n" in out and "\n選項:\n" in out and "顯示這份說明後結束" in out
    assert not re.search("usage|positional arguments|options:|show this help", out)
    assert main(["lint", "--format", "x", "--lang", "zh-TW"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == ("okr lint:錯誤:引數 --format:無效的選擇:'x'(可選:'text', "
                                    "'json', 'github', 'sarif')")
    assert main(["checkin", "--lang", "zh-TW"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == "okr checkin:錯誤:缺少必要的引數:KR, VALUE"
    # and English again for the next call: the words are argparse's only while okr runs
    assert main(["checkin", "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "okr checkin: error: the following arguments are required: KR, VALUE")
