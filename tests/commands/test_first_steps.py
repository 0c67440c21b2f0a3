"""The first steps of a new user (issue 14): `okr init` past mid-quarter proposes the
next quarter and says which package and hooks it wrote; `okr validate` in a terminal
says how many files are valid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okrkit import __version__
from okrkit.cli import main
from okrkit.commands.init import first_cycle
from terminal import run_in_terminal


@pytest.mark.parametrize(("today", "cycle", "expected"), [
    (dt.date(2026, 12, 7), None, "2027-Q1"),   # 74 % of 2026-Q4 gone
    (dt.date(2026, 11, 15), None, "2026-Q4"),  # exactly half: still this one
    (dt.date(2026, 11, 16), None, "2027-Q1"),
    (dt.date(2026, 10, 1), None, "2026-Q4"),
    (dt.date(2026, 12, 7), "2026-Q4", "2026-Q4"),
])
def test_first_cycle(today: dt.date, cycle: str | None, expected: str) -> None:
    assert first_cycle(today, cycle).id == expected


def test_init_past_midquarter_says_why_and_what_it_wrote(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-12-07")
    assert main(["init", str(tmp_path / "acme"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "  okrs/2027-Q1/marketing.yaml\n" in out
    assert ("2026-Q4 is 74% gone: the first sheet is for 2027-Q1 "
            "(--cycle 2026-Q4 for the current quarter)\n") in out
    assert (f"requirements.txt installs okrkit=={__version__}; the pre-commit hook comes "
            f"from https://github.com/okrkit/okrkit at v{__version__}") in out
    # the README's check-in example names the key result in full
    readme = (tmp_path / "acme/README.md").read_text(encoding="utf-8")
    assert "okr checkin 2027-Q1/marketing/brand-awareness/unique-visitors 53000" in readme


def test_init_cycle_flag_and_a_git_url_package(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-12-07")
    spec = "okrkit @ git+https://github.com/okrkit/okrkit@v0.1.0"
    assert main(["init", str(tmp_path / "acme"), "--lang", "zh-TW", "--cycle", "2026-Q4",
                 "--package", spec, "--hooks-repo", "https://git.example.com/okrkit.git",
                 "--hooks-rev", "v0.1.0"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "acme/okrs/2026-Q4/marketing.yaml").is_file()
    assert "已過" not in out
    assert (f"requirements.txt 安裝 {spec};pre-commit hook 來自 "
            "https://git.example.com/okrkit.git 的 v0.1.0") in out
    assert spec in (tmp_path / "acme/requirements.txt").read_text(encoding="utf-8")
    hooks = (tmp_path / "acme/.pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "https://git.example.com/okrkit.git" in hooks and "v0.1.0" in hooks


def test_init_refuses_an_unknown_cycle(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "acme"), "--lang", "en", "--cycle", "2026-Q5"]) == 2
    assert "--cycle: unknown cycle '2026-Q5'" in capsys.readouterr().err
    assert not (tmp_path / "acme").exists()


def test_validate_says_how_many_files_are_valid_in_a_terminal(small_tree: Path) -> None:
    shown = run_in_terminal(["validate", "--lang", "en"], [], cwd=small_tree)
    assert (shown.returncode, shown.output.strip()) == (0, "4 files valid")
    quiet = run_in_terminal(["validate", "--quiet"], [], cwd=small_tree)
    assert (quiet.returncode, quiet.output.strip()) == (0, "")
    one = run_in_terminal(["validate", "--lang", "zh-TW", "okrs/org.yaml"], [], cwd=small_tree)
    assert one.output.strip() == "1 個檔案格式正確"


def test_validate_piped_stays_silent(small_tree: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr() == ("", "")
