"""`okr status [CYCLE] [--team T]`: the grouped table, its JSON, its languages and colours.

The demo's 2026-Q4 output is kept as golden files per language:
tests/resources/status/*.txt. Set OKRKIT_UPDATE_GOLDEN=1 to rewrite them after a
deliberate change, and read the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from golden import assert_golden
from okrkit.cli import main
from okrkit.commands.status import show_bar, show_progress
from okrkit.i18n import display_width, truncate
from paths import copy_demo
from terminal import run_in_terminal

GOLDEN = Path(__file__).resolve().parent.parent / "resources" / "status"
DEMO_TODAY = "2026-11-20"

Q1_TABLE = [
    "2026-Q1 (2026-01-01 – 2026-03-31): 50% of the cycle gone",
    "",
    "OBJECTIVE / KEY RESULT                         PROGRESS  STATUS     CONFIDENCE  OWNER  ID",
    # (0.43 × 1 + 0.10 × 2) / 3: website-conversion weighs 2
    "marketing  行銷部                      ██▏░░░░░░░   21%                         mei",
    # the worst status of its key results
    "  提升品牌知名度                       ████▍░░░░░   43%  off track              mei    "
    "brand-awareness",
    "    將網站每月不重複訪客數提升20%      ███░░░░░░░   30%  at risk           0.6  kai    "
    "unique-visitors",
    "    將社群媒體粉絲數量增加15%          ██████████ 100%+  on track            –  kai    "
    "social-followers",
    "    在行業相關的媒體上獲得至少3次報導  ░░░░░░░░░░    0%  off track           –  mei    "
    "media-coverage",
    "  提高網站轉換率                       █░░░░░░░░░   10%  off track              mei    "
    "website-conversion",
    "    將潛在客戶的獲取成本降低10%        ██░░░░░░░░   20%  off track         0.3  mei    "
    "acquisition-cost",
    "    社群內容規範手冊於3月15日前發布    ░░░░░░░░░░    0%  off track           –  mei    "
    "guidelines",
    "",
    "sales  業務部                          ██████░░░░   60%                         wei",
    "  提高銷售額                           ██████░░░░   60%  on track               wei    "
    "increase-sales",
    "    本季銷售額達到500萬元              ██████░░░░   60%  on track          0.8  wei    "
    "quarter-revenue",
    "",
    # the mean of the teams' progress: (0.21 + 0.60) / 2
    "6 key results: 2 on track, 1 at risk, 3 off track; overall progress 41%",
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
        "",
        "OBJECTIVE / KEY RESULT                     PROGRESS  STATUS   CONFIDENCE  OWNER  ID",
        "marketing  行銷部                                 –",
        "  提升品牌知名度                                  –  unknown              –      "
        "brand-awareness",
        "    將網站每月不重複訪客數提升到70000             –  unknown           –  –      "
        "unique-visitors",
        "",
        "1 key result: 0 on track, 0 at risk, 0 off track, 1 unknown; overall progress –",
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
        "",
        "目標 / 關鍵結果                                    進度  狀態      信心  負責人  ID",
        "marketing  行銷部                      ██▏░░░░░░░   21%                  mei",
        "  提升品牌知名度                       ████▍░░░░░   43%  落後            mei     "
        "brand-awareness",
        "    將網站每月不重複訪客數提升20%      ███░░░░░░░   30%  有風險     0.6  kai     "
        "unique-visitors",
        "    將社群媒體粉絲數量增加15%          ██████████ 100%+  進度正常     –  kai     "
        "social-followers",
        "    在行業相關的媒體上獲得至少3次報導  ░░░░░░░░░░    0%  落後         –  mei     "
        "media-coverage",
        "  提高網站轉換率                       █░░░░░░░░░   10%  落後            mei     "
        "website-conversion",
        "    將潛在客戶的獲取成本降低10%        ██░░░░░░░░   20%  落後       0.3  mei     "
        "acquisition-cost",
        "    社群內容規範手冊於3月15日前發布    ░░░░░░░░░░    0%  落後         –  mei     "
        "guidelines",
        "",
        "sales  業務部                          ██████░░░░   60%                  wei",
        "  提高銷售額                           ██████░░░░   60%  進度正常        wei     "
        "increase-sales",
        "    本季銷售額達到500萬元              ██████░░░░   60%  進度正常   0.8  wei     "
        "quarter-revenue",
        "",
        "6 個關鍵結果:進度正常 2、有風險 1、落後 3;整體進度 41%",
    ]
    # on screen, the ID column starts at the same place in every key result's row
    rows = [line for line in lines if line.startswith("    ")]
    assert len({display_width(line[:line.rindex(" ") + 1]) for line in rows}) == 1


def test_status_bands_from_config(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / ".okrkit.yaml").write_text("status:\n  on_track: 0.9\n  at_risk: 0.5\n",
                                             encoding="utf-8")
    _, lines, _ = status(capsys, "2026-Q1")
    assert "  at risk  " in lines[5]  # confidence 0.6
    assert "  at risk  " in lines[14]  # confidence 0.8 < 0.9
    assert "  at risk  " in lines[13]  # its objective: the worst of its key results


# -- the demo: golden files ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), [
    ("demo.en.txt", ["2026-Q4", "--lang", "en"]),
    ("demo.zh-TW.txt", ["2026-Q4", "--lang", "zh-TW"]),
    ("demo-team.en.txt", ["2026-Q4", "--team", "sales", "--team", "ecommerce"]),
    ("demo-team.zh-TW.txt", ["2026-Q4", "--team", "sales", "--lang", "zh-TW"]),
])
def test_the_demo_matches_its_golden_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch, name: str,
                                          args: list[str]) -> None:
    monkeypatch.chdir(copy_demo(tmp_path / "demo"))
    monkeypatch.setenv("OKR_TODAY", DEMO_TODAY)
    code = main(["status", *args])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    golden = GOLDEN / name
    assert_golden(golden, out)
    # piped: nothing wider than the fixed 120 columns, and no colour
    assert max(display_width(line) for line in out.splitlines()) <= 120
    assert "\x1b[" not in out


def test_the_demos_long_titles_are_cut_to_the_width(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # 2026-Q1 has the seed's rewritten SMART key result, 33 characters of title
    monkeypatch.chdir(copy_demo(tmp_path / "demo"))
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    code, lines, _ = status(capsys, "2026-Q1", "--team", "marketing")
    assert code == 0
    long = next(line for line in lines if line.endswith("facebook-engagement-rate"))
    # cut at 120 − 70 columns: a wide character that does not fit leaves a space
    assert long.startswith("    在第一季度,將Facebook粉絲專頁的平均貼文互…   ████████▍░")
    assert display_width(long) == 120
    assert all(display_width(line) <= 120 for line in lines)


# -- teams -----------------------------------------------------------------------------------


def test_unknown_team_suggests_a_known_one(small_tree: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q1", "--team", "markting") == (
        2, [], "okr: error: unknown team 'markting' (did you mean 'marketing'?)\n")
    code, out, err = status(capsys, "2026-Q1", "--team", "sales", "--team", "markting",
                            "--lang", "zh-TW")
    assert (code, out) == (2, [])
    assert err.endswith("未定義的團隊「markting」(是否指「marketing」?)\n")
    code, out, err = status(capsys, "2026-Q1", "--team", "finance")
    assert (code, out, err) == (2, [], "okr: error: unknown team 'finance'\n")
    # ids are lowercase: a capitalised one is the same team, whatever its length
    for typed in ("MARKETING", "Sales", "SALES"):
        assert status(capsys, "2026-Q1", "--team", typed) == (
            2, [], f"okr: error: unknown team '{typed}' (did you mean '{typed.lower()}'?)\n")


def test_a_known_team_without_a_sheet_in_the_cycle(small_tree: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q2", "--team", "sales") == (0, [
        "2026-Q2 (2026-04-01 – 2026-06-30): 0% of the cycle gone",
        "no sheets of sales in cycle 2026-Q2"], "")


@pytest.mark.parametrize("team", ["sales", "業務部", " 業務部 "])  # its id, or its name
def test_one_team(small_tree: Path, capsys: pytest.CaptureFixture[str], team: str) -> None:
    code, lines, _ = status(capsys, "2026-Q1", "--team", team)
    assert code == 0
    assert [line[:line.index("  ", 4)] for line in lines[3:6]] == [
        "sales", "  提高銷售額", "    本季銷售額達到500萬元"]
    assert lines[-1] == "1 key result: 1 on track, 0 at risk, 0 off track; overall progress 60%"


# -- JSON ------------------------------------------------------------------------------------


def test_json(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "2026-Q1", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (data["cycle"], data["start"], data["end"], data["today"], data["elapsed"]) == (
        "2026-Q1", "2026-01-01", "2026-03-31", "2026-02-14", 0.5)
    assert [o["ref"] for o in data["objectives"]] == [
        "2026-Q1/marketing/brand-awareness", "2026-Q1/marketing/website-conversion",
        "2026-Q1/sales/increase-sales"]
    assert data["objectives"][0] == {
        "ref": "2026-Q1/marketing/brand-awareness", "team": "marketing",
        "title": "提升品牌知名度", "progress": pytest.approx((0.3 + 1.0 + 0.0) / 3),
        "objective": "brand-awareness", "kind": "aspirational", "status": "off_track",
        "status_label": "off track", "owner": "mei"}
    followers = data["key_results"][1]
    assert followers == {
        "ref": "2026-Q1/marketing/brand-awareness/social-followers", "team": "marketing",
        "objective": "brand-awareness", "objective_title": "提升品牌知名度",
        "key_result": "social-followers", "title": "將社群媒體粉絲數量增加15%",
        "direction": "increase", "baseline": 24000, "target": 27600, "current": 28000,
        "unit": None, "progress": pytest.approx(4000 / 3600), "progress_shown": 1.0,
        "status": "on_track", "status_label": "on track", "confidence": None, "owner": "kai",
        "due": None}
    assert data["teams"] == [
        {"team": "marketing", "name": "行銷部", "progress": pytest.approx(0.63333 / 3, abs=1e-4),
         "owner": "mei"},
        {"team": "sales", "name": "業務部", "progress": pytest.approx(0.6), "owner": "wei"}]
    assert data["status_counts"] == {"on_track": 2, "at_risk": 1, "off_track": 3, "unknown": 0}
    assert data["progress"] == pytest.approx((0.63333 / 3 + 0.6) / 2, abs=1e-4)


def test_json_of_one_team(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "2026-Q1", "--team", "sales", "--format", "json",
                 "--lang", "zh-TW"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [kr["ref"] for kr in data["key_results"]] == [
        "2026-Q1/sales/increase-sales/quarter-revenue"]
    assert data["key_results"][0]["status_label"] == "進度正常"
    assert [t["team"] for t in data["teams"]] == ["sales"]


# -- edge cases ------------------------------------------------------------------------------


def test_a_cycle_without_sheets(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q3") == (0, [
        "2026-Q3 (2026-07-01 – 2026-09-30): 0% of the cycle gone",
        "no sheets in cycle 2026-Q3"], "")


def test_unknown_cycle(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-Q9") == (2, [], "okr: error: unknown cycle '2026-Q9'\n")
    code, out, err = status(capsys, "2026-Q9", "--lang", "zh-TW")
    assert (code, out) == (2, [])
    assert err.endswith("未定義的週期「2026-Q9」\n")


def test_a_cycle_typed_in_the_wrong_case_is_named(small_tree: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert status(capsys, "2026-q1") == (
        2, [], "okr: error: unknown cycle '2026-q1' (did you mean '2026-Q1'?)\n")
    code, out, err = status(capsys, "2026-q4", "--lang", "zh-TW")
    assert (code, out) == (2, [])
    assert err.endswith("未定義的週期「2026-q4」(是否指「2026-Q4」?)\n")
    (small_tree / ".okrkit.yaml").write_text(
        "cycles:\n  Launch:\n    start: 2026-01-01\n    end: 2026-02-28\n", encoding="utf-8")
    assert status(capsys, "launch")[2] == (
        "okr: error: unknown cycle 'launch' (did you mean 'Launch'?)\n")


def test_no_sheets_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "okrs").mkdir()
    monkeypatch.chdir(tmp_path)
    assert status(capsys) == (2, [], "okr: error: no sheets found in okrs\n")


def test_files_with_problems_are_left_out_with_a_note(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / "okrs" / "2026-Q1" / "sales.yaml").write_text("cycle: [\n", encoding="utf-8")
    code, lines, err = status(capsys, "2026-Q1")
    assert code == 1  # the totals are not the whole cycle's: a script must notice
    assert "sales  業務部" not in "\n".join(lines)
    assert lines[-1] == "5 key results: 1 on track, 1 at risk, 3 off track; overall progress 21%"
    assert err.startswith("okrs/2026-Q1/sales.yaml does not load and is missing from this "
                          "table and its totals: okrs/2026-Q1/sales.yaml:2:1: OKR001 ")
    assert err.count("\n") == 1


def test_a_team_whose_sheet_does_not_load_is_not_said_to_have_none(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_tree / "okrs" / "2026-Q1" / "sales.yaml").write_bytes(b"team: sales\ncycle: \xff\n")
    code, lines, err = status(capsys, "2026-Q1", "--team", "sales", "--lang", "zh-TW")
    assert code == 1
    assert lines[-1] == ("週期 2026-Q1 中 sales 的 OKR 表無法載入:請先修正上列問題"
                         "(`okr validate`)")
    assert err.startswith("okrs/2026-Q1/sales.yaml 無法載入,未列入本表與合計:"
                          "okrs/2026-Q1/sales.yaml:")
    # another team's table is whole: no note, exit 0
    assert status(capsys, "2026-Q1", "--team", "marketing")[0] == 0


def test_control_characters_in_titles_do_not_reach_the_terminal(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a title is anyone's text (a pull request): an escape sequence in it could recolour or
    # clear the reader's terminal, a bidi override reverse the columns after it. The
    # loader refuses the first (OKR001, also when written as a YAML escape); the second
    # is valid text and shows as U+FFFD
    path = small_tree / "okrs" / "2026-Q1" / "sales.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("title: 提高銷售額", r'title: "提高\e[2J銷售額"'),
                    encoding="utf-8")
    assert main(["validate"]) == 1
    assert "OKR001 control character U+001B is not allowed" in capsys.readouterr().out
    path.write_text(original.replace(
        "title: 提高銷售額", 'title: "提高\u202e銷售額\u2066"').replace(
        "title: 本季銷售額達到500萬元", 'title: "\u202e本季銷售額"'), encoding="utf-8")
    assert main(["validate"]) == 0
    capsys.readouterr()
    code, lines, _ = status(capsys, "2026-Q1", "--team", "sales")
    assert code == 0
    text = "\n".join(lines)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text)
    assert [line[:line.index("  ", 4)] for line in lines[4:6]] == [
        "  提高\ufffd銷售額\ufffd", "    \ufffd本季銷售額"]
    # the columns after the title stay in line with the header's
    assert display_width(lines[4][:lines[4].index("%")]) == display_width(
        lines[5][:lines[5].index("%")])
    code, out, _ = score_output(capsys)
    assert code == 0 and "\u202e" not in out and "\u2066" not in out
    assert "  increase-sales  提高\ufffd銷售額\ufffd" in out


def score_output(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["score", "2026-Q1"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("value", "shown"), [
    (None, "–"), (0.0, "0%"), (-0.4, "0%"), (0.304, "30%"), (0.995, "100%"), (1.0, "100%"),
    (1.2, "100%+")])
def test_show_progress(value: float | None, shown: str) -> None:
    assert show_progress(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (None, "          "), (0.0, "░░░░░░░░░░"), (-1.0, "░░░░░░░░░░"), (0.05, "▌░░░░░░░░░"),
    (0.5, "█████░░░░░"), (0.74, "███████▍░░"), (0.99, "█████████▉"), (1.0, "██████████"),
    (1.5, "██████████")])
def test_show_bar(value: float | None, shown: str) -> None:
    assert show_bar(value) == shown
    assert display_width(shown) == 10


@pytest.mark.parametrize(("text", "width", "shown"), [
    ("short", 10, "short"), ("exactly10!", 10, "exactly10!"), ("eleven char", 10, "eleven ch…"),
    ("提升品牌知名度", 14, "提升品牌知名度"), ("提升品牌知名度", 13, "提升品牌知名…"),
    ("提升品牌知名度", 12, "提升品牌知…"), ("ab提升", 4, "ab…"),
])
def test_truncate_counts_terminal_columns(text: str, width: int, shown: str) -> None:
    assert truncate(text, width) == shown
    assert display_width(truncate(text, width)) <= width


# -- a real terminal -------------------------------------------------------------------------


def _status_on_a_terminal(cwd: Path, env: dict[str, str]) -> str:
    """`okr status 2026-Q1` with a pseudo-terminal as its stdout; what it wrote."""
    run = run_in_terminal(["status", "2026-Q1"], [], cwd=cwd, env=env)
    assert run.returncode == 0, run.output
    return run.output


def test_statuses_are_coloured_only_on_a_terminal(small_tree: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    env = {**os.environ, "OKR_TODAY": "2026-02-14", "COLUMNS": "120"}
    shown = _status_on_a_terminal(small_tree, env)
    assert "\x1b[33mat risk\x1b[0m" in shown
    assert "\x1b[32mon track\x1b[0m" in shown
    assert "\x1b[31moff track\x1b[0m" in shown
    assert "\x1b[" not in shown.splitlines()[2]  # the header stays plain
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in shown.splitlines()]
    assert plain == Q1_TABLE  # the same table once the colours are taken out
    piped = subprocess.run([str(Path(sys.executable).with_name("okr")), "status", "2026-Q1"],
                           cwd=small_tree, env=env, capture_output=True, text=True, check=True)
    assert piped.stdout.splitlines() == Q1_TABLE
    no_color = _status_on_a_terminal(small_tree, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in no_color


def test_a_narrow_terminal_cuts_titles(small_tree: Path) -> None:
    env = {**os.environ, "OKR_TODAY": "2026-02-14", "NO_COLOR": "1", "COLUMNS": "90"}
    lines = _status_on_a_terminal(small_tree, env).splitlines()
    assert all(display_width(line) <= 90 for line in lines)
    # 90 − 70 columns for the titles, the smallest width they get
    assert "    在行業相關的媒體…   ░░░░░░░░░░    0%  off track           –  mei    " \
        "media-coverage" in lines
    # the piped width stays 120 whatever the terminal: golden files do not depend on it
    piped = subprocess.run([str(Path(sys.executable).with_name("okr")), "status", "2026-Q1"],
                           cwd=small_tree, env=env, capture_output=True, text=True, check=True)
    assert piped.stdout.splitlines() == Q1_TABLE


# -- an ended cycle: its results, as the site shows them ------------------------------------

ENDED_TODAY = "2026-04-10"  # 2026-Q1 ended on 2026-03-31; small's sheets record one score
Q1_ENDED = [
    "2026-Q1 (2026-01-01 – 2026-03-31): ended on 2026-03-31",
    "not graded yet (OKR502): grades marked * are computed from progress and provisional; "
    "record them with `okr score 2026-Q1 --write`",
    "",
    "OBJECTIVE / KEY RESULT                         PROGRESS  OUTCOME     GRADE  OWNER  ID",
    # (0.43 × 1 + 0.10 × 2) / 3: objective grades, weighted as progress is
    "marketing  行銷部                      ██▏░░░░░░░   21%              0.21*  mei",
    # the worst outcome of its key results (as the site's team page)
    "  提升品牌知名度                       ████▍░░░░░   43%  missed      0.43*  mei    "
    "brand-awareness",
    "    將網站每月不重複訪客數提升20%      ███░░░░░░░   30%  missed      0.30*  kai    "
    "unique-visitors",
    "    將社群媒體粉絲數量增加15%          ██████████ 100%+  met         1.00*  kai    "
    "social-followers",
    "    在行業相關的媒體上獲得至少3次報導  ░░░░░░░░░░    0%  missed      0.00*  mei    "
    "media-coverage",
    "  提高網站轉換率                       █░░░░░░░░░   10%  missed      0.10*  mei    "
    "website-conversion",
    # `score: 0.2` in the sheet: recorded, so not marked
    "    將潛在客戶的獲取成本降低10%        ██░░░░░░░░   20%  missed      0.20   mei    "
    "acquisition-cost",
    "    社群內容規範手冊於3月15日前發布    ░░░░░░░░░░    0%  missed      0.00*  mei    "
    "guidelines",
    "",
    "sales  業務部                          ██████░░░░   60%              0.60*  wei",
    # 0.6 is at least 0.4: partly met
    "  提高銷售額                           ██████░░░░   60%  partly met  0.60*  wei    "
    "increase-sales",
    "    本季銷售額達到500萬元              ██████░░░░   60%  partly met  0.60*  wei    "
    "quarter-revenue",
    "",
    # each objective's verdict for its kind (aspirational here), as `okr score` words it
    "VERDICT / RETROSPECTIVE",
    "marketing/brand-awareness     0.43*  below the sweet spot",
    "  no retrospective yet (OKR502)",
    "marketing/website-conversion  0.10*  below 0.4: what got in the way?",
    "  no retrospective yet (OKR502)",
    "sales/increase-sales          0.60*  the sweet spot (0.6–0.7)",
    "  no retrospective yet (OKR502)",
    "",
    # the mean of the teams' grades: (0.21 + 0.60) / 2 = 0.405, half up
    "6 key results: 1 met, 1 partly met, 4 missed; overall grade 0.41 (provisional)",
]


def test_an_ended_cycle_shows_outcomes_and_grades(small_tree: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", ENDED_TODAY)
    assert status(capsys, "2026-Q1") == (0, Q1_ENDED, "")
    # its last day is not ended yet: live statuses
    monkeypatch.setenv("OKR_TODAY", "2026-03-31")
    assert status(capsys, "2026-Q1")[1][0] == \
        "2026-Q1 (2026-01-01 – 2026-03-31): 100% of the cycle gone"


def test_an_ended_cycle_in_traditional_chinese(small_tree: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", ENDED_TODAY)
    code, lines, _ = status(capsys, "2026-Q1", "--lang", "zh-TW", "--team", "sales")
    assert (code, lines) == (0, [
        "2026-Q1(2026-01-01 – 2026-03-31):已於 2026-03-31 結束",
        "尚未評分(OKR502):標有 * 的評分由進度計算而來,僅供參考;請以 `okr score 2026-Q1 "
        "--write` 記錄評分",
        "",
        "目標 / 關鍵結果                      進度  最終結果   評分  負責人  ID",
        "sales  業務部              ██████░░░░ 60%            0.60*  wei",
        "  提高銷售額               ██████░░░░ 60%  部分達成  0.60*  wei     increase-sales",
        "    本季銷售額達到500萬元  ██████░░░░ 60%  部分達成  0.60*  wei     quarter-revenue",
        "",
        "評語 / 回顧",
        "sales/increase-sales  0.60*  最佳區間(0.6–0.7)",
        "  尚無回顧(OKR502)",
        "",
        "1 個關鍵結果:達成 0、部分達成 1、未達成 0;整體評分 0.60(暫定)",
    ])


def test_once_graded_the_grades_are_final(small_tree: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", ENDED_TODAY)
    # the real `okr score --write` records every grade (stdin is no terminal: no prompt)
    monkeypatch.setattr(sys, "stdin", open(os.devnull, encoding="utf-8"))  # noqa: SIM115
    assert main(["score", "2026-Q1", "--write"]) == 0
    capsys.readouterr()
    code, lines, _ = status(capsys, "2026-Q1")
    assert code == 0
    assert lines[1] == ""  # no notice
    assert "*" not in "\n".join(lines)
    assert lines[-1] == "6 key results: 1 met, 1 partly met, 4 missed; overall grade 0.41"
    assert "    本季銷售額達到500萬元              ██████░░░░   60%  partly met   0.60  wei    " \
        "quarter-revenue" in lines


def test_an_ended_cycle_as_json(small_tree: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", ENDED_TODAY)
    assert main(["status", "2026-Q1", "--format", "json", "--lang", "zh-TW"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ended"], data["graded"], data["grade"]) == (True, False, 0.41)
    assert data["outcome_counts"] == {"met": 1, "partly": 1, "missed": 4, "unknown": 0}
    cost = next(k for k in data["key_results"] if k["key_result"] == "acquisition-cost")
    assert {k: cost[k] for k in ("outcome", "outcome_label", "grade", "grade_recorded")} == {
        "outcome": "missed", "outcome_label": "未達成", "grade": 0.2, "grade_recorded": True}
    brand = data["objectives"][0]
    assert {k: brand[k] for k in ("outcome", "grade", "grade_recorded", "verdict",
                                  "verdict_label")} == {
        # 0.43: between 0.4 and the sweet spot, as `okr score` and the site say
        "outcome": "missed", "grade": 0.43, "grade_recorded": False, "verdict": "short",
        "verdict_label": "低於最佳區間"}
    assert [t["grade"] for t in data["teams"]] == [0.21, 0.6]
    # a running cycle says so, and has none of these
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    assert main(["status", "2026-Q1", "--format", "json"]) == 0
    live = json.loads(capsys.readouterr().out)
    assert live["ended"] is False and "grade" not in live and "outcome" not in \
        live["key_results"][0]


def test_the_terminal_agrees_with_the_sites_report_card(small_tree: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", ENDED_TODAY)
    assert main(["status", "2026-Q1", "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    terminal = {f"{k['objective']}--{k['key_result']}": (f"{k['grade']:.2f}", k["outcome"])
                for k in data["key_results"]}
    assert main(["site", "--out", str(tmp_path / "site"), "--lang", "en"]) == 0
    capsys.readouterr()
    site = {}
    for team in ("marketing", "sales"):
        page = (tmp_path / "site" / "okrs" / "2026-Q1" / f"{team}.md").read_text(encoding="utf-8")
        site.update({anchor: (grade, outcome) for anchor, grade, outcome in re.findall(
            r'<td class="okr-grade-kr"><a href="&#35;([^"]+)">[^<]*</a></td><td>([^<]*)</td>'
            r'<td><span class="okr-status okr-status-(\w+)">', page)})
    assert site == terminal and len(site) == 6


def test_outcomes_are_coloured_on_a_terminal(small_tree: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = _status_on_a_terminal(small_tree, {**os.environ, "OKR_TODAY": ENDED_TODAY,
                                               "COLUMNS": "120"})
    assert "\x1b[31mmissed\x1b[0m" in shown and "\x1b[32mmet\x1b[0m" in shown
    assert "\x1b[33mpartly met\x1b[0m" in shown
    assert [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in shown.splitlines()] == Q1_ENDED


def test_an_ended_key_result_without_progress_has_no_grade(
        small_tree: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-07-10")  # 2026-Q2 ended; its one key result has
    code, lines, _ = status(capsys, "2026-Q2")      # no current value
    assert code == 0
    assert lines[4:] == [
        "marketing  行銷部                                 –               –",
        "  提升品牌知名度                                  –  no grade     –   –      "
        "brand-awareness",
        "    將網站每月不重複訪客數提升到70000             –  no grade     –   –      "
        "unique-visitors",
        "",
        "VERDICT / RETROSPECTIVE",
        "marketing/brand-awareness  –   no grade",
        "  no retrospective yet (OKR502)",
        "",
        "1 key result: 0 met, 0 partly met, 0 missed, 1 no grade; overall grade –",
    ]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["VERDICT / RETROSPECTIVE",
            # committed: below 1.0 asks what blocked it
            "sales/increase-sales  0.60  below 1.0: what blocked it?",
            "  Two large deals slipped to April.",
            "  Next quarter: \ufffdqualify earlier."]),
    ("zh-TW", ["評語 / 回顧",
               "sales/increase-sales  0.60  未達 1.0:是什麼阻礙了它?",
               "  Two large deals slipped to April.",
               "  Next quarter: \ufffdqualify earlier."]),
])
def test_an_ended_cycle_shows_the_retrospectives_as_written(
        small_tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        lang: str, expected: list[str]) -> None:
    monkeypatch.setenv("OKR_TODAY", ENDED_TODAY)
    sheet = small_tree / "okrs" / "2026-Q1" / "sales.yaml"
    text = sheet.read_text(encoding="utf-8")
    # a committed objective with its grade and a retrospective of two paragraphs, one with
    # a bidi override that must not reach the terminal (it would reverse what follows)
    sheet.write_text(text.replace("    title: 提高銷售額\n", "    title: 提高銷售額\n"
                                  "    kind: committed\n    score: 0.6\n"
                                  "    retrospective: \"Two large deals slipped to April.\\n\\n"
                                  "Next quarter: \\u202equalify earlier.\"\n", 1),
                     encoding="utf-8")
    code, lines, _ = status(capsys, "2026-Q1", "--team", "sales", "--lang", lang)
    assert code == 0
    start = lines.index(expected[0])
    assert lines[start:start + len(expected) + 1] == [*expected, ""]
    # the JSON has the same verdict and text
    assert main(["status", "2026-Q1", "--team", "sales", "--format", "json",
                 "--lang", lang]) == 0
    objective = json.loads(capsys.readouterr().out)["objectives"][0]
    assert objective["verdict_label"] == expected[1].split("  ", 2)[2]
    assert objective["retrospective"].startswith("Two large deals slipped to April.\n\n")
