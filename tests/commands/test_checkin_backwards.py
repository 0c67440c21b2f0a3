"""`okr checkin` of a value that moves against the key result's direction (issue 14: a
short ref found another cycle's key result and moved its `current` back): a warning,
and with `--commit` outside a terminal a refusal unless `--allow-backwards`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitrepo import GitRepo
from okrkit.cli import main

SMALL = Path(__file__).resolve().parent.parent / "resources" / "small"
Q1 = "okrs/2026-Q1/marketing.yaml"
REF = "2026-Q1/marketing/brand-awareness/unique-visitors"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repo = GitRepo(tmp_path / "okrs-repo")
    shutil.copytree(SMALL, repo.path, dirs_exist_ok=True)
    repo.commit("okrs: plan 2026-Q1", date="2026-01-02T09:00:00+08:00")
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    return repo


def test_a_backwards_checkin_is_written_with_a_warning(
        repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checkin", REF, "52000"]) == 0
    err = capsys.readouterr().err
    assert (f"warning: {REF}: current moves backwards (53000 → 52000) while the key result "
            "should go up: is this the key result you meant?") in err
    assert "current: 52000" in (repo.path / Q1).read_text(encoding="utf-8")


def test_forward_checkins_say_nothing_more(repo: GitRepo,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checkin", REF, "54000"]) == 0
    assert "backwards" not in capsys.readouterr().err


def test_commit_refuses_a_backwards_move_without_the_flag(
        repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo.path / Q1).read_text(encoding="utf-8")
    head = repo.head()
    assert main(["checkin", REF, "52000", "--commit"]) == 2
    err = capsys.readouterr().err
    assert "--allow-backwards" in err and "53000 → 52000" in err
    assert (repo.path / Q1).read_text(encoding="utf-8") == before  # nothing written
    assert repo.head() == head
    assert main(["checkin", REF, "52000", "--commit", "--allow-backwards"]) == 0
    assert repo.head() != head
    assert "checkin(marketing/unique-visitors): 53000 → 52000" in repo.git("log", "-1",
                                                                          "--format=%s")


def test_the_refusal_in_zh_tw(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checkin", REF, "52000", "--commit", "--lang", "zh-TW"]) == 2
    assert "目前值將往反方向移動(53000 → 52000),這個關鍵結果應該上升" in capsys.readouterr().err


@pytest.mark.parametrize(("template", "hint"), [
    ("sales", "okr checkin 2026-Q2/marketing/increase-sales/quarter-revenue 4400000"),
    ("brand-awareness", "okr checkin 2026-Q2/marketing/brand-awareness/unique-visitors 53000"),
])
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_new_sheets_hint_with_the_full_ref(repo: GitRepo, template: str, hint: str,
                                           lang: str) -> None:
    (repo.path / "okrs/2026-Q2/marketing.yaml").unlink()
    assert main(["new", "2026-Q2", "marketing", "--template", template, "--lang", lang]) == 0
    assert hint in (repo.path / "okrs/2026-Q2/marketing.yaml").read_text(encoding="utf-8")
