""""Cannot go on" errors: one line, in the language the user chose (--lang, config, locale)."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrkit.cli import main
from okrkit.errors import FatalError


def test_a_message_in_both_languages() -> None:
    err = FatalError("no such file", zh="找不到檔案")
    assert (str(err), err.message("en"), err.message("zh-TW")) == (
        "no such file", "no such file", "找不到檔案")
    assert FatalError("only English").message("zh-TW") == "only English"


@pytest.mark.parametrize(("args", "expected"), [
    (["lint", "missing.yaml"], "okr: error: no such file or folder: missing.yaml"),
    (["lint", "missing.yaml", "--lang", "zh-TW"], "okr:錯誤:找不到檔案或資料夾:missing.yaml"),
    (["validate", "missing.yaml", "--lang", "zh-TW"],
     "okr:錯誤:找不到檔案或資料夾:missing.yaml"),
    (["lint", "--select", "OKR999", "--lang", "zh-TW"],
     "okr:錯誤:--select:未知的規則代碼「OKR999」"),
])
def test_fatal_errors_in_the_chosen_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             args: list[str], expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert capsys.readouterr().err == expected + "\n"


def test_the_configured_language_when_no_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".okrkit.yaml").write_text("language: zh-TW\n", encoding="utf-8")
    (tmp_path / "okrs").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OKR_TODAY", "2026-13-01")
    assert main(["lint"]) == 2
    assert capsys.readouterr().err == "okr:錯誤:OKR_TODAY='2026-13-01' 不是日期(YYYY-MM-DD)\n"


def test_outside_a_repository_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "okrs").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD~1", "HEAD", "--lang", "zh-TW"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("okr:錯誤:") and "不在 git 儲存庫中" in err and err.count("\n") == 1


def test_a_value_left_out_by_a_double_dash_is_missing(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["checkin", "followers", "--", "--"])
    err = capsys.readouterr().err
    # argparse either refuses it or (Python 3.11) leaves [] for VALUE: never a crash
    assert code == 2 and "internal error" not in err and err.count("\n") >= 1
