"""`okr log REF` on real repositories: exact lines, short forms, objectives, renames, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from history_helpers import FANG, KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit.cli import main

MKT = "okrs/2026-Q1/marketing.yaml"


def marketing(visitors: int = 50000, confidence: float = 0.5, target: int = 60000,
              followers: int = 24000) -> str:
    return sheet_yaml([kr("unique-visitors", title="將網站每月不重複訪客數提升20%",
                          current=visitors, confidence=confidence, target=target),
                       kr("social-followers", title="將社群媒體粉絲數量增加15%", baseline=24000,
                          target=27600, current=followers, owner="fang", unit="人")])


@pytest.fixture
def repo(git_repo, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(MKT, marketing())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-20"))
    git_repo.write(MKT, marketing(visitors=51200, confidence=0.6))
    git_repo.commit("checkin: visitors", author=KAI, date=at("2026-01-12"))
    git_repo.write(MKT, marketing(visitors=51200, confidence=0.6, followers=25000))
    git_repo.commit("checkin: followers", author=FANG, date=at("2026-01-13"))
    git_repo.write(MKT, marketing(visitors=53000, confidence=0.6, target=58000,
                                  followers=25000))
    git_repo.commit("okrs: new target", author=MEI, date=at("2026-02-02"))
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    return git_repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["log", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_timeline_of_one_key_result(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "2026-Q1/marketing/brand-awareness/unique-visitors")
    assert (code, err) == (0, "")
    shas = repo.git("log", "--format=%h", "--abbrev=7").split()
    assert out.splitlines() == [
        "2026-Q1/marketing/brand-awareness/unique-visitors  將網站每月不重複訪客數提升20%",
        "  date        author    commit   subject",
        f"  2025-12-20  Mei Chen  {shas[3]}  okrs: plan 2026-Q1",
        "      added: baseline 50000, target 60000, current 50000, confidence 0.5, "
        "due 2026-03-31, owner kai",
        f"  2026-01-12  Kai Lin   {shas[2]}  checkin: visitors",
        "      current 50000 → 51200 (+2.4%)",
        "      confidence 0.5 → 0.6 (+0.1)",
        f"  2026-02-02  Mei Chen  {shas[0]}  okrs: new target",
        "      current 51200 → 53000 (+3.5%)",
        "      target 60000 → 58000 (−3.3%)",
    ]


@pytest.mark.parametrize("ref", ["unique-visitors", "marketing/unique-visitors",
                                 "2026-Q1/unique-visitors", "brand-awareness/unique-visitors",
                                 "/2026-Q1/marketing/brand-awareness/unique-visitors/"])
def test_short_forms(repo, capsys, ref: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, ref)
    assert code == 0
    assert out.startswith("2026-Q1/marketing/brand-awareness/unique-visitors  ")


def test_an_objective_shows_each_key_result(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "marketing/brand-awareness")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "objective 2026-Q1/marketing/brand-awareness: 2 key result(s)"
    heads = [line for line in lines if line.startswith("2026-Q1/")]
    assert heads == [
        "2026-Q1/marketing/brand-awareness/unique-visitors  將網站每月不重複訪客數提升20%",
        "2026-Q1/marketing/brand-awareness/social-followers  將社群媒體粉絲數量增加15%"]
    assert "      current 24000 → 25000 (+4.2%)" in lines


def test_in_traditional_chinese(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "social-followers", "--lang", "zh-TW")
    lines = out.splitlines()
    assert lines[1] == "  日期        作者      提交     說明"  # aligned in terminal columns
    assert lines[2].startswith("  2025-12-20  Mei Chen  ")
    # the fields as the site names them, not the YAML keys
    assert "      新增: 基準值 24000、目標值 27600、目前值 24000、信心度 0.5、" \
           "截止日 2026-03-31、負責人 fang" in out.splitlines()
    assert "      目前值 24000 → 25000 (+4.2%)" in out.splitlines()


def test_json(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "unique-visitors", "--format", "json")
    assert code == 0
    data = json.loads(out)
    (k,) = data["key_results"]
    assert k["ref"] == "2026-Q1/marketing/brand-awareness/unique-visitors"
    assert [p["author"] for p in k["timeline"]] == ["Mei Chen", "Kai Lin", "Mei Chen"]
    assert k["timeline"][2]["changes"]["target"] == {"old": 60000, "new": 58000,
                                                    "relative": pytest.approx(-1 / 30)}
    assert k["timeline"][0]["changed"] == ["added"]
    assert k["timeline"][1]["date"] == "2026-01-12T10:00:00+08:00"
    assert data["dirty"] is False and data["warnings"] == []


def test_a_removed_key_result_by_its_full_ref(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo.write(MKT, sheet_yaml([kr("unique-visitors", title="將網站每月不重複訪客數提升20%",
                                   current=53000, confidence=0.6, target=58000)]))
    repo.commit("okrs: drop followers", author=MEI, date=at("2026-02-05"))
    code, out, _ = run(capsys, "2026-Q1/marketing/brand-awareness/social-followers")
    assert code == 0 and "  2026-01-13  Fang Wu" in out


def test_a_renamed_key_result_by_its_old_ref(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    text = marketing(visitors=53000, confidence=0.6, target=58000, followers=25000)
    repo.write(MKT, text.replace("id: unique-visitors", "id: visitors"))
    repo.commit("okrs: shorter id", author=MEI, date=at("2026-02-05"))
    code, out, _ = run(capsys, "2026-Q1/marketing/brand-awareness/unique-visitors")
    assert code == 0
    assert out.startswith("2026-Q1/marketing/brand-awareness/visitors  ")
    assert "checkin: visitors" in out


def test_uncommitted_changes_are_noted(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo.write(MKT, marketing(visitors=54000, confidence=0.6, target=58000, followers=25000))
    _, out, _ = run(capsys, "unique-visitors")
    assert out.splitlines()[-1] == "uncommitted changes under the OKR folder are not in the log"
    assert "54000" not in out


def test_an_ambiguous_short_form(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo.write("okrs/2026-Q1/sales.yaml", sheet_yaml([kr("unique-visitors")], team="sales"))
    repo.commit("sales copies it", date=at("2026-02-06"))
    code, _, err = run(capsys, "unique-visitors")
    assert code == 2
    assert err == ("okr: error: 'unique-visitors' matches 2 key results: "
                   "2026-Q1/marketing/brand-awareness/unique-visitors, "
                   "2026-Q1/sales/brand-awareness/unique-visitors\n")


def test_nothing_matches(repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "no-such-thing")
    assert (code, err) == (2, "okr: error: nothing matches 'no-such-thing' (a key result or "
                              "objective: cycle/team/objective[/kr], or a short form)\n")
    code, _, err = run(capsys, "unique-visitor")
    assert (code, err) == (2, "okr: error: no key result matches 'unique-visitor' (did you "
                              "mean 'unique-visitors'?)\n")


def test_outside_a_repository(tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "okrs" / "2026-Q1").mkdir(parents=True)
    (tmp_path / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / MKT).write_text(marketing(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "unique-visitors")
    assert (code, out) == (2, "")
    assert err.startswith("okr: warning: okrs is not in a git repository: no history")
    assert err.count("\n") == 1


def test_commit_subjects_and_titles_cannot_drive_the_terminal(
        repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    # a commit subject is anyone's text: git keeps an escape sequence in it, and a title
    # may hold a bidi override; both show as U+FFFD
    text = marketing(visitors=54000, confidence=0.6, target=58000, followers=25000)
    repo.write(MKT, text.replace("title: 將網站每月不重複訪客數提升20%",
                                 'title: "將網站\\u202e每月不重複訪客數提升20%"'))
    repo.commit("checkin: \x1b[2Jvisitors", author=KAI, date=at("2026-02-09"))
    assert main(["log", "unique-visitors", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "將網站\ufffd每月不重複訪客數提升20%" in out and "checkin: \ufffd[2Jvisitors" in out
    assert main(["diff", "HEAD~1", "HEAD", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "將網站\ufffd每月不重複訪客數提升20%" in out
