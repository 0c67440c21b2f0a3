"""`okr status [CYCLE]`: the terminal table, its JSON, its languages and its colours."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from okrkit.cli import main
from okrkit.commands.status import show_progress
from okrkit.i18n import display_width

Q1_TABLE = [
    "2026-Q1 (2026-01-01 – 2026-03-31): 50% of the cycle gone",
    "TEAM       OBJECTIVE           KEY RESULT        PROGRESS  STATUS     CONFIDENCE  OWNER",
    "marketing  brand-awareness     unique-visitors        30%  at risk           0.6  kai",
    "marketing  brand-awareness     social-followers     100%+  on track            –  kai",
    "marketing  brand-awareness     media-coverage          0%  off track           –  mei",
    "marketing  website-conversion  acquisition-cost       20%  off track         0.3  mei",
    "marketing  website-conversion  guidelines              0%  off track           –  mei",
    "sales      increase-sales      quarter-revenue        60%  on track          0.8  wei",
]


def status(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["status", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_status_of_a_cycle(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q1") == (0, Q1_TABLE, "")


def test_the_current_cycle_is_the_default(small_tree: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert status(capsys) == (0, Q1_TABLE, "")
    monkeypatch.setenv("OKR_TODAY", "2026-05-01")
    assert status(capsys) == (0, [
        "2026-Q2 (2026-04-01 – 2026-06-30): 34% of the cycle gone",
        "TEAM       OBJECTIVE        KEY RESULT       PROGRESS  STATUS   CONFIDENCE  OWNER",
        "marketing  brand-awareness  unique-visitors         –  unknown           –  –",
    ], "")


def test_current_cycle_from_config(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text("current_cycle: 2026-Q2\n", encoding="utf-8")
    code, lines, _ = status(capsys)
    assert code == 0 and lines[0].startswith("2026-Q2 ")


def test_status_in_traditional_chinese_aligns_wide_characters(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = status(capsys, "2026-Q1", "--lang", "zh-TW")
    assert code == 0
    assert lines == [
        "2026-Q1(2026-01-01 – 2026-03-31):週期已過 50%",
        "團隊       目標                關鍵結果           進度  狀態      信心  負責人",
        "marketing  brand-awareness     unique-visitors     30%  有風險     0.6  kai",
        "marketing  brand-awareness     social-followers  100%+  進度正常     –  kai",
        "marketing  brand-awareness     media-coverage       0%  落後         –  mei",
        "marketing  website-conversion  acquisition-cost    20%  落後       0.3  mei",
        "marketing  website-conversion  guidelines           0%  落後         –  mei",
        "sales      increase-sales      quarter-revenue     60%  進度正常   0.8  wei",
    ]
    # on screen, the owner column starts at the same place in every row
    assert len({display_width(line[:line.rindex(" ") + 1]) for line in lines[1:]}) == 1


def test_status_bands_from_config(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text("status:\n  on_track: 0.9\n  at_risk: 0.5\n",
                                             encoding="utf-8")
    _, lines, _ = status(capsys, "2026-Q1")
    assert lines[2].split()[4:6] == ["at", "risk"]          # confidence 0.6
    assert lines[7].split()[4:6] == ["at", "risk"]          # confidence 0.8 < 0.9


def test_json(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "2026-Q1", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (data["cycle"], data["start"], data["end"], data["today"], data["elapsed"]) == (
        "2026-Q1", "2026-01-01", "2026-03-31", "2026-02-14", 0.5)
    assert [o["ref"] for o in data["objectives"]] == [
        "2026-Q1/marketing/brand-awareness", "2026-Q1/marketing/website-conversion",
        "2026-Q1/sales/increase-sales"]
    assert data["objectives"][0]["progress"] == pytest.approx((0.3 + 1.0 + 0.0) / 3)
    followers = data["key_results"][1]
    assert followers == {
        "ref": "2026-Q1/marketing/brand-awareness/social-followers", "team": "marketing",
        "objective": "brand-awareness", "objective_title": "提升品牌知名度",
        "key_result": "social-followers", "title": "將社群媒體粉絲數量增加15%",
        "direction": "increase", "baseline": 24000, "target": 27600, "current": 28000,
        "unit": None, "progress": pytest.approx(4000 / 3600), "progress_shown": 1.0,
        "status": "on_track", "status_label": "on track", "confidence": None, "owner": "kai",
        "due": None}


def test_a_cycle_without_sheets(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q3") == (0, [
        "2026-Q3 (2026-07-01 – 2026-09-30): 0% of the cycle gone",
        "no sheets in cycle 2026-Q3"], "")


def test_unknown_cycle(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q9") == (2, [], "okr: error: unknown cycle '2026-Q9'\n")
    assert status(capsys, "2026-Q9", "--lang", "zh-TW") == (
        2, [], "okr: error: 未定義的週期「2026-Q9」\n")


def test_no_sheets_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "okrs").mkdir()
    monkeypatch.chdir(tmp_path)
    assert status(capsys) == (2, [], "okr: error: no sheets found in okrs\n")


def test_files_with_problems_are_left_out_with_a_note(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / "okrs" / "2026-Q1" / "sales.yaml").write_text("cycle: [\n", encoding="utf-8")
    code, lines, err = status(capsys, "2026-Q1")
    assert code == 0
    assert lines == Q1_TABLE[:7]
    assert err == "1 problem(s) in the OKR files: run `okr validate`\n"


@pytest.mark.parametrize(("value", "shown"), [
    (None, "–"), (0.0, "0%"), (-0.4, "0%"), (0.304, "30%"), (0.995, "100%"), (1.0, "100%"),
    (1.2, "100%+")])
def test_show_progress(value: float | None, shown: str) -> None:
    assert show_progress(value) == shown


def _run_in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run `okr` with a pseudo-terminal as its stdout; what it wrote."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("okr")), *args], cwd=cwd,
                            stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed: the child is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode()


def test_statuses_are_coloured_only_on_a_terminal(small_tree: Path) -> None:
    env = {**os.environ, "OKR_TODAY": "2026-02-14"}
    env.pop("NO_COLOR", None)
    shown = _run_in_terminal(["status", "2026-Q1"], small_tree, env)
    assert "\x1b[33mat risk\x1b[0m" in shown
    assert "\x1b[32mon track\x1b[0m" in shown
    assert "\x1b[31moff track\x1b[0m" in shown
    assert "\x1b[" not in shown.splitlines()[1]  # the header stays plain
    piped = subprocess.run([str(Path(sys.executable).with_name("okr")), "status", "2026-Q1"],
                           cwd=small_tree, env=env, capture_output=True, text=True, check=True)
    assert piped.stdout.splitlines() == Q1_TABLE
    no_color = _run_in_terminal(["status", "2026-Q1"], small_tree, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in no_color
