"""`okr checkin KR VALUE`: a surgical, validated, atomic edit that keeps comments and layout."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from okrkit.cli import main

SMALL = Path(__file__).resolve().parent.parent / "resources" / "small"
Q1 = "okrs/2026-Q1/marketing.yaml"
Q2 = "okrs/2026-Q2/marketing.yaml"
SMALL_MARKETING_Q1 = (SMALL / Q1).read_text(encoding="utf-8")
SMALL_MARKETING_Q2 = (SMALL / Q2).read_text(encoding="utf-8")
HINT = "not committed: commit {path} to record the check-in (or use --commit)\n"


def checkin(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["checkin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def read(root: Path, relpath: str) -> str:
    return (root / relpath).read_text(encoding="utf-8")


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_full_reference(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert checkin(capsys, "2026-Q1/marketing/brand-awareness/unique-visitors", "55000") == (
        0, f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: current 53000 → 55000, "
           "progress 30% → 50%\n", HINT.format(path=Q1))
    # only the number changed: its comment, alignment and every other line stay
    assert read(small_tree, Q1) == replaced(SMALL_MARKETING_Q1, "current: 53000   # GA, 一月",
                                            "current: 55000   # GA, 一月")


def test_confidence_and_note(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = checkin(capsys, "unique-visitors", "56,500", "--confidence", "0.75",
                           "-m", "GA 二月: 含自然流量")
    assert (code, out) == (0, f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: "
                              "current 53000 → 56500, confidence 0.6 → 0.75, notes, "
                              "progress 30% → 65%\n")
    assert read(small_tree, Q1) == replaced(
        SMALL_MARKETING_Q1,
        "        current: 53000   # GA, 一月\n        confidence: 0.6\n        owner: kai\n",
        "        current: 56500   # GA, 一月\n        confidence: 0.75\n        owner: kai\n"
        '        notes: "GA 二月: 含自然流量"\n')


def test_missing_keys_are_inserted_where_a_reader_expects_them(
        small_tree: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-04-20")  # 2026-Q2 is current: the short form is its
    code, out, _ = checkin(capsys, "marketing/unique-visitors", "61000", "--confidence", "0.7")
    assert (code, out) == (0, f"{Q2}: 2026-Q2/marketing/brand-awareness/unique-visitors: "
                              "current – → 61000, confidence – → 0.7, progress – → 10%\n")
    assert read(small_tree, Q2) == replaced(
        SMALL_MARKETING_Q2, "        target: 70000\n",
        "        target: 70000\n        current: 61000\n        confidence: 0.7\n")
    # the next check-in replaces what the first inserted
    checkin(capsys, "marketing/unique-visitors", "62000", "--confidence", "0.8")
    assert read(small_tree, Q2).endswith("        target: 70000\n        current: 62000\n"
                                         "        confidence: 0.8\n")


def test_confidence_goes_after_current_when_absent(small_tree: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    checkin(capsys, "social-followers", "28500", "--confidence", "0.9")
    assert read(small_tree, Q1) == replaced(
        SMALL_MARKETING_Q1, "        current: 28000\n        owner: kai\n",
        "        current: 28500\n        confidence: 0.9\n        owner: kai\n")


@pytest.mark.parametrize(("value", "written"), [("true", "true"), ("TRUE", "true"),
                                                 ("false", "false")])
def test_milestone(small_tree: Path, capsys: pytest.CaptureFixture[str], value: str,
                   written: str) -> None:
    code, _, _ = checkin(capsys, "guidelines", value)
    assert code == 0
    expected = SMALL_MARKETING_Q1
    if written != "false":
        expected = replaced(expected, "        current: false\n", f"        current: {written}\n")
    assert read(small_tree, Q1) == expected


def test_unchanged_value_writes_nothing(small_tree: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = small_tree / Q1
    before = path.stat().st_mtime_ns
    assert checkin(capsys, "unique-visitors", "53000", "--confidence", "0.6") == (
        0, f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: nothing changed\n", "")
    assert path.stat().st_mtime_ns == before


NOT_A_NUMBER = "is not a number (55500, 55,500, 2.6, 12%, NT$7.2萬)"
NOT_A_CONFIDENCE = "is not a number from 0 to 1 (0.7) or a percent (70%)"


@pytest.mark.parametrize(("args", "message"), [
    (["unique-visitors", "lots"], f"'lots' {NOT_A_NUMBER}"),
    (["unique-visitors", "nan"], f"'nan' {NOT_A_NUMBER}"),
    (["unique-visitors", "true"], f"'true' {NOT_A_NUMBER}"),
    (["unique-visitors", "1e999"], f"'1e999' {NOT_A_NUMBER}"),
    (["unique-visitors", "55000", "--confidence", "0.7", "--confidence", "-0.1"],
     f"confidence '-0.1' {NOT_A_CONFIDENCE}"),
    (["guidelines", "maybe"], "'maybe' is not true or false (the milestone is done or not)"),
    (["guidelines", "1"], "'1' is not true or false (the milestone is done or not)"),
    (["unique-visitors", "1", "--confidence", "1.5"], f"confidence '1.5' {NOT_A_CONFIDENCE}"),
    (["unique-visitors", "1", "--confidence", "high"], f"confidence 'high' {NOT_A_CONFIDENCE}"),
    (["unique-visitors", "1", "--confidence", "NT$1"], f"confidence 'NT$1' {NOT_A_CONFIDENCE}"),
    (["unique-visitors", "12%"],
     "'12%' has the unit '%', but the key result has none: give the number alone"),
    (["unique-visitor", "1"],
     "no key result matches 'unique-visitor' (did you mean 'unique-visitors'?)"),
    (["2026-Q2/brand-awareness/media-coverage", "1"],
     "no key result matches '2026-Q2/brand-awareness/media-coverage' (did you mean "
     "'2026-Q1/marketing/brand-awareness/media-coverage'?)"),
])
def test_errors_change_nothing(small_tree: Path, capsys: pytest.CaptureFixture[str],
                               args: list[str], message: str) -> None:
    assert checkin(capsys, *args) == (2, "", f"okr: error: {message}\n")
    assert read(small_tree, Q1) == SMALL_MARKETING_Q1
    assert read(small_tree, Q2) == SMALL_MARKETING_Q2


@pytest.mark.parametrize(("ref", "old", "new", "finding"), [
    # a schema error in the current cycle's sheet: the short form must not fall through to
    # 2026-Q2's key result of the same id
    ("unique-visitors", "confidence: 0.6\n", "confidence: 6\n",
     f"{Q1}:17:21: objectives[0].key_results[0].confidence: 6 must be <= 1"),
    # a YAML syntax error: the key result is there, "no key result matches" would mislead
    ("2026-Q1/marketing/brand-awareness/unique-visitors", "owner: mei\n\n",
     "owner: mei\n\n\tx\n", f"{Q1}:6:1: "),
])
def test_a_sheet_that_does_not_load_is_not_skipped(small_tree: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   ref: str, old: str, new: str,
                                                   finding: str) -> None:
    broken = replaced(SMALL_MARKETING_Q1, old, new)
    (small_tree / Q1).write_text(broken, encoding="utf-8")
    code, out, err = checkin(capsys, ref, "57000")
    assert (code, out) == (2, "")
    assert err.startswith(f"okr: error: {Q1} may hold '{ref}' but does not load: {finding}")
    assert read(small_tree, Q1) == broken
    assert read(small_tree, Q2) == SMALL_MARKETING_Q2
    code, _, err = checkin(capsys, ref, "57000", "--lang", "zh-TW")
    assert code == 2
    where = finding[:finding.index(": ") + 2]  # the schema's words are translated too
    assert err.startswith(f"okr:錯誤:{Q1} 可能包含「{ref}」,但無法載入:{where}")


@pytest.mark.parametrize(("value", "written"), [("56,500", "56500"), ("1,234,567.5", "1234567.5"),
                                                ("５６０００", "56000")])
def test_thousands_separators(small_tree: Path, capsys: pytest.CaptureFixture[str], value: str,
                              written: str) -> None:
    assert checkin(capsys, "unique-visitors", value)[0] == 0
    assert read(small_tree, Q1) == replaced(SMALL_MARKETING_Q1, "current: 53000 ",
                                            f"current: {written} ")


@pytest.mark.parametrize("value", ["0,5", "55,5", "1,23,456", ",500", "5,000,00", "1_000"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused(
        small_tree: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    # "0,5" is a half in much of Europe: read as 5 it would be a wrong check-in
    assert checkin(capsys, "unique-visitors", value) == (
        2, "", f"okr: error: '{value}' {NOT_A_NUMBER}\n")
    assert checkin(capsys, "unique-visitors", "1", "--confidence", value)[0] == 2
    assert read(small_tree, Q1) == SMALL_MARKETING_Q1


def test_ambiguous_reference(small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # both cycles have it and neither is current: the candidates are named
    (small_tree / ".okrkit.yaml").write_text("current_cycle: 2026-Q3\n", encoding="utf-8")
    assert checkin(capsys, "unique-visitors", "1", "--lang", "zh-TW") == (
        2, "", "okr:錯誤:「unique-visitors」符合 2 個關鍵結果:"
               "2026-Q1/marketing/brand-awareness/unique-visitors, "
               "2026-Q2/marketing/brand-awareness/unique-visitors\n")


def test_messages_in_traditional_chinese(small_tree: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert checkin(capsys, "quarter-revenue", "4500000", "--lang", "zh-TW") == (
        0, "okrs/2026-Q1/sales.yaml:2026-Q1/sales/increase-sales/quarter-revenue:"
           "目前值 4200000 → 4500000, 進度 60% → 75%\n",
        "尚未提交:請 commit okrs/2026-Q1/sales.yaml 以記錄這次進度更新(或使用 --commit)\n")


def test_flow_style_and_crlf_and_bom_are_kept(small_tree: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = ("cycle: 2026-Q1\r\nteam: sales\r\nobjectives:\r\n  - id: increase-sales\r\n"
            "    title: 提高銷售額\r\n    strategy: [brand]\r\n    key_results:\r\n"
            "      - {id: new-customers, title: 新客戶數量增加15%, baseline: 40, target: 46}\r\n")
    path = small_tree / "okrs" / "2026-Q1" / "sales.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    code, _, _ = checkin(capsys, "new-customers", "43", "--confidence", "0.5")
    assert code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace(
        "target: 46}", "target: 46, current: 43, confidence: 0.5}").encode()


def test_a_checkin_is_not_a_commit(git_repo: Any, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SMALL / "okrs", git_repo.path / "okrs")
    first = git_repo.commit("okrs: start 2026-Q1")
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    assert checkin(capsys, "unique-visitors", "57000")[0] == 0
    assert git_repo.head() == first
    assert git_repo.git("status", "--porcelain") == f" M {Q1}\n"
    assert git_repo.git("diff", "-U0", "--no-color").splitlines()[4:] == [
        "@@ -16 +16 @@ objectives:",
        "-        current: 53000   # GA, 一月",
        "+        current: 57000   # GA, 一月",
    ]
    # committed, it becomes history with its author and date
    git_repo.commit("checkin: unique-visitors", author="Kai <kai@example.com>",
                    date="2026-02-14T18:00:00+08:00")
    assert git_repo.git("log", "-1", "--format=%an %aI %s") == (
        "Kai 2026-02-14T18:00:00+08:00 checkin: unique-visitors\n")


def test_help_says_when_it_commits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checkin", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "It does not commit unless --commit is given" in text
    assert "--commit also commit the sheet, and only it" in text


def test_a_broken_sheet_of_another_cycle_does_not_stop_the_current_one(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # today is in 2026-Q1: the short form's key result is the current cycle's, read from
    # that cycle's sheets alone; 2026-Q2's sheet of the same id is not in the way
    broken = SMALL_MARKETING_Q2 + "\tx\n"
    (small_tree / Q2).write_text(broken, encoding="utf-8")
    assert checkin(capsys, "unique-visitors", "57000") == (
        0, f"{Q1}: 2026-Q1/marketing/brand-awareness/unique-visitors: current 53000 → 57000, "
           "progress 30% → 70%\n", HINT.format(path=Q1))
    assert read(small_tree, Q2) == broken


@pytest.mark.parametrize("ref", ["2026-Q2/marketing/brand-awareness/unique-visitors",
                                 "2026-Q2/unique-visitors", "2026-Q2/marketing/unique-visitors"])
def test_another_cycles_key_result_by_its_cycle(small_tree: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                ref: str) -> None:
    code, out, _ = checkin(capsys, ref, "1")
    assert code == 0 and out.startswith(f"{Q2}: 2026-Q2/marketing/brand-awareness/")
    assert read(small_tree, Q1) == SMALL_MARKETING_Q1


def test_a_key_result_only_in_another_cycle_is_found_by_its_short_form(
        small_tree: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-05-10")  # 2026-Q2 is current; followers are Q1's
    code, out, _ = checkin(capsys, "social-followers", "26000")
    assert code == 0 and out.startswith(f"{Q1}: 2026-Q1/marketing/brand-awareness/")
    assert read(small_tree, Q2) == SMALL_MARKETING_Q2


def test_cycle_and_objective_short_form_stays_ambiguous(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `2026-Q1/sales/quarter-revenue` names sales' key result, and also marketing's under an
    # objective called `sales`: reading sales.yaml alone must not hide the second one
    text = replaced(replaced(SMALL_MARKETING_Q1, "- id: website-conversion", "- id: sales"),
                    "- id: acquisition-cost", "- id: quarter-revenue")
    (small_tree / Q1).write_text(text, encoding="utf-8")
    sales = (small_tree / "okrs/2026-Q1/sales.yaml").read_text(encoding="utf-8")
    code, out, err = checkin(capsys, "2026-Q1/sales/quarter-revenue", "1")
    assert (code, out) == (2, "")
    assert ("'2026-Q1/sales/quarter-revenue' matches 2 key results: "
            "2026-Q1/marketing/sales/quarter-revenue, "
            "2026-Q1/sales/increase-sales/quarter-revenue") in err
    assert read(small_tree, "okrs/2026-Q1/sales.yaml") == sales


@pytest.mark.parametrize("note", ["first line\r\nsecond line", "first line\rsecond line"])
def test_a_note_with_carriage_returns_is_written_with_newlines(
        small_tree: Path, capsys: pytest.CaptureFixture[str], note: str) -> None:
    # `-m "$(cat notes.txt)"` of a file saved with CRLF: the loader refuses a written "\r"
    code, _, _ = checkin(capsys, "unique-visitors", "55000", "-m", note)
    assert code == 0
    assert '        notes: "first line\\nsecond line"\n' in read(small_tree, Q1)


@pytest.mark.parametrize(("ref", "value", "written"), [
    ("unique-visitors", "5.6萬", "current: 56000 "),
    ("unique-visitors", "55,500", "current: 55500 "),
    ("2026-Q1/sales/increase-sales/quarter-revenue", "NT$450萬", "current: 4500000"),
    ("2026-Q1/sales/increase-sales/quarter-revenue", "$4,500,000", "current: 4500000"),
])
def test_a_value_as_people_say_it(small_tree: Path, capsys: pytest.CaptureFixture[str],
                                  ref: str, value: str, written: str) -> None:
    assert checkin(capsys, ref, value, "--confidence", "70%")[0] == 0
    relpath = "okrs/2026-Q1/sales.yaml" if "sales" in ref else Q1
    text = read(small_tree, relpath)
    assert written in text and "confidence: 0.7" in text


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "'12%' has the unit '%', but the key result's unit is 'NT$'"),
    ("zh-TW", "「12%」的單位是「%」,但關鍵結果的單位是「NT$」"),
])
def test_a_unit_that_is_not_the_key_results_is_refused(
        small_tree: Path, capsys: pytest.CaptureFixture[str], lang: str, message: str) -> None:
    before = read(small_tree, "okrs/2026-Q1/sales.yaml")
    code, _, err = checkin(capsys, "2026-Q1/sales/increase-sales/quarter-revenue", "12%",
                           "--lang", lang)
    assert code == 2 and message in err
    assert read(small_tree, "okrs/2026-Q1/sales.yaml") == before
