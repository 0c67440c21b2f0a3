"""`okr score CYCLE [--write]`: grades per key result, objective and team, their verdicts,
filling in the missing ones in place, and asking for retrospectives in a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from okrkit.cli import main
from okrkit.commands.score import show_score
from okrkit.config import load_config
from okrkit.model import grade_verdict
from okrkit.tree import load_tree
from okrkit.yamlload import load_text
from paths import REPO_ROOT, copy_demo
from terminal import run_in_terminal

SMALL = Path(__file__).resolve().parent.parent / "resources" / "small"
MARKETING = "okrs/2026-Q1/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"
# the small tree's objectives have no `kind:`: aspirational, the schema's default
REPORT = [
    "2026-Q1: end-of-cycle grades on Google's 0.0–1.0 scale",
    "key result: progress clamped to 0–1, rounded half up to 0.01; objective and team: "
    "weighted mean of the grades below",
    "",
    "TEAM / OBJECTIVE / KEY RESULT         KIND          GRADE  RECORDED",
    # (0.43 × 1 + 0.10 × 2) / 3 = 0.21: website-conversion has weight 2
    "marketing  行銷部                                    0.21",
    # (0.30 + 1.00 + 0.00) / 3 = 0.4333…
    "  brand-awareness  提升品牌知名度     aspirational   0.43            below the sweet spot",
    "    unique-visitors                                  0.30",  # 3000 / 10000
    "    social-followers                                 1.00",  # 4000 / 3600, clamped
    "    media-coverage                                   0.00",  # at least 3: 1 is not
    # (0.20 recorded + 0.00) / 2
    "  website-conversion  提高網站轉換率  aspirational   0.10            "
    "below 0.4: what got in the way?",
    "    acquisition-cost                                 0.20      0.20",
    "    guidelines                                       0.00",  # milestone not done
    "",
    "sales  業務部                                        0.60",
    "  increase-sales  提高銷售額          aspirational   0.60            the sweet spot (0.6–0.7)",
    "    quarter-revenue                                  0.60",  # 1200000 / 2000000
    "",
    "aspirational: 0.6–0.7 is the sweet spot; 1.0 asks whether the objective was ambitious "
    "enough; below 0.4 asks what got in the way",
]
PROVISIONAL = "2026-Q1 ends on 2026-03-31: these scores are provisional\n"
REMINDER = [
    "3 objective(s) without a retrospective (OKR502 once the cycle has ended): write one "
    "under `retrospective:` in the sheet, or run `okr score 2026-Q1 --write` in a terminal",
    "  2026-Q1/marketing/brand-awareness",
    "  2026-Q1/marketing/website-conversion",
    "  2026-Q1/sales/increase-sales",
]


def score(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["score", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_report(small_tree: Path, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch) -> None:
    assert score(capsys, "2026-Q1") == (0, REPORT, PROVISIONAL)
    monkeypatch.setenv("OKR_TODAY", "2026-04-01")
    assert score(capsys, "2026-Q1") == (0, REPORT, "")  # the cycle is over: no note
    # nothing was written
    assert (small_tree / MARKETING).read_text(encoding="utf-8") == (
        SMALL / MARKETING).read_text(encoding="utf-8")


def test_report_in_traditional_chinese(small_tree: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = score(capsys, "2026-Q2", "--lang", "zh-TW")
    assert (code, err) == (0, "2026-Q2 於 2026-06-30 結束:這些評分僅供參考\n")
    assert lines == [
        "2026-Q2:週期結束評分,採 Google 的 0.0–1.0 尺度",
        "關鍵結果:進度限制在 0–1,四捨五入到 0.01;目標與團隊:下一層評分的加權平均",
        "",
        "團隊 / 目標 / 關鍵結果             類型    評分  已記錄",
        "marketing  行銷部                             –",
        "  brand-awareness  提升品牌知名度  挑戰型     –          "
        "無法計算進度:缺少基準值、目標值或目前值",
        "    unique-visitors                           –          "
        "無法計算進度:缺少基準值、目標值或目前值",
        "",
        "挑戰型:0.6–0.7 是最佳區間;1.0 要問目標是否夠有挑戰性;低於 0.4 要問是什麼阻礙了進展",
    ]


def test_write_fills_in_missing_scores_only(small_tree: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = score(capsys, "2026-Q1", "--write")
    assert code == 0
    assert lines == [*REPORT, f"{MARKETING}: 6 score(s) written", f"{SALES}: 2 score(s) written"]
    # not a terminal: no question, a reminder of the retrospectives still to write
    assert err.splitlines() == [PROVISIONAL.strip(), *REMINDER]
    before = (SMALL / MARKETING).read_text(encoding="utf-8")
    after = (small_tree / MARKETING).read_text(encoding="utf-8")
    # each key result gets its score as its last line, each objective after its key results;
    # the recorded 0.2 stays
    assert after == before.replace(
        "        owner: kai\n      - id: social-followers",
        "        owner: kai\n        score: 0.3\n      - id: social-followers").replace(
        "        current: 28000\n        owner: kai\n",
        "        current: 28000\n        owner: kai\n        score: 1.0\n").replace(
        "        current: 1\n\n",
        "        current: 1\n        score: 0.0\n    score: 0.43\n\n").replace(
        "        current: false\n",
        "        current: false\n        score: 0.0\n    score: 0.1\n")
    assert (small_tree / SALES).read_text(encoding="utf-8") == (
        SMALL / SALES).read_text(encoding="utf-8") + "        score: 0.6\n    score: 0.6\n"
    # a second run has nothing left to fill in, and shows what is recorded
    code, lines, _ = score(capsys, "2026-Q1", "--write")
    assert lines[-1] == "no missing scores to write"
    assert lines[5] == ("  brand-awareness  提升品牌知名度     aspirational   0.43      0.43  "
                        "below the sweet spot")
    assert main(["validate"]) == 0


def test_the_reminder_in_traditional_chinese(small_tree: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = score(capsys, "2026-Q1", "--write", "--lang", "zh-TW")
    assert code == 0
    assert lines[-2:] == [f"{MARKETING}:寫入 6 個評分", f"{SALES}:寫入 2 個評分"]
    assert err.splitlines()[1:] == [
        "有 3 個目標還沒有回顧(週期結束後會得到 OKR502):請在表單的 `retrospective:` 寫下回顧,"
        "或在終端機執行 `okr score 2026-Q1 --write`", *REMINDER[1:]]


def test_write_replaces_null_scores_in_place(small_tree: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = small_tree / SALES
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        confidence: 0.8\n", "        score: null  # at the review\n"
                                    "        confidence: 0.8\n") + "    score:\n",
        encoding="utf-8")
    assert score(capsys, "2026-Q1", "--write")[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "        score: 0.6  # at the review\n        confidence: 0.8\n" in text
    assert text.endswith("        confidence: 0.8\n    score: 0.6\n")


def test_a_key_result_without_progress_blocks_its_objective_score(
        small_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = score(capsys, "2026-Q2", "--write")
    assert code == 0
    assert lines[-1] == "no missing scores to write"
    assert err.splitlines()[-1] == "  2026-Q2/marketing/brand-awareness"
    assert (small_tree / "okrs/2026-Q2/marketing.yaml").read_text(encoding="utf-8") == (
        SMALL / "okrs/2026-Q2/marketing.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "warning"), [
    ("en", f"{SALES} does not load and is not graded: {SALES}:15:21: "),
    ("zh-TW", f"{SALES} 無法載入,未列入評分:{SALES}:15:21: "),
])
def test_a_sheet_that_does_not_load_is_named_not_left_out_silently(
        small_tree: Path, capsys: pytest.CaptureFixture[str], lang: str, warning: str) -> None:
    path = small_tree / SALES
    path.write_text(path.read_text(encoding="utf-8").replace("confidence: 0.8",
                                                             "confidence: 8"), encoding="utf-8")
    code, lines, err = score(capsys, "2026-Q1", "--lang", lang)
    assert code == 0
    assert not any(line.startswith("sales") for line in lines)  # the team has no grades
    assert next(line for line in err.splitlines() if SALES in line).startswith(warning)
    # another cycle's broken sheet is not this cycle's business
    code, _, err = score(capsys, "2026-Q2", "--lang", lang)
    assert SALES not in err


@pytest.mark.parametrize(("args", "code", "out", "err"), [
    (["2026-Q9"], 2, [], "okr: error: unknown cycle '2026-Q9'\n"),
    (["2026-Q3"], 0, ["no sheets in cycle 2026-Q3"], ""),
])
def test_cycles_without_grades(small_tree: Path, capsys: pytest.CaptureFixture[str],
                               args: list[str], code: int, out: list[str], err: str) -> None:
    assert score(capsys, *args) == (code, out, err)


@pytest.mark.parametrize(("value", "shown"), [(None, "–"), (0.0, "0.00"), (0.7, "0.70"),
                                               (1, "1.00"), (0.43, "0.43"), (0.85, "0.85")])
def test_show_score(value: float | None, shown: str) -> None:
    assert show_score(value) == shown


@pytest.mark.parametrize(("kind", "grade", "expected"), [
    # Google: 0.6–0.7 is the sweet spot of an aspirational objective
    ("aspirational", 1.0, "full"), ("aspirational", 0.99, "above"),
    ("aspirational", 0.71, "above"), ("aspirational", 0.7, "sweet"),
    ("aspirational", 0.6, "sweet"), ("aspirational", 0.59, "short"),
    ("aspirational", 0.4, "short"), ("aspirational", 0.39, "low"), ("aspirational", 0.0, "low"),
    # a committed objective is expected to be met
    ("committed", 1.0, "met"), ("committed", 0.99, "missed"), ("committed", 0.0, "missed"),
])
def test_verdict(kind: str, grade: float, expected: str) -> None:
    assert grade_verdict(kind, grade) == expected


# -- the demo's finished cycle, graded by hand -----------------------------------------------


def _grades(root: Path) -> dict[str, float | None]:
    """ref → recorded score, for every objective and key result of 2026-Q1."""
    config, _ = load_config(root)
    tree, findings = load_tree(config)
    assert findings == []
    found: dict[str, float | None] = {}
    for sheet in tree.sheets:
        if sheet.cycle_id == "2026-Q1":
            for objective in sheet.objectives:
                found[sheet.ref(objective)] = objective.score
                for kr in objective.key_results:
                    found[sheet.ref(objective, kr)] = kr.score
    return found


def _team_grade(lines: list[str], team: str) -> str:
    row = next(line for line in lines if line.startswith(f"{team}  "))
    return row.split()[-1]


def test_scoring_the_demo_from_scratch_gives_the_hand_computed_grades(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "demo")
    sheets = sorted((root / "okrs" / "2026-Q1").glob("*.yaml"))
    for path in sheets:  # the cycle as it stood before the review: no score: at all
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^ *score: .*\n", "", text), encoding="utf-8")
        assert "score:" not in path.read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("OKR_TODAY", "2026-04-10")  # after the quarter
    code, lines, err = score(capsys, "2026-Q1", "--write")
    assert (code, err) == (0, "")  # every objective of the demo has its retrospective
    q1 = "2026-Q1/marketing/"
    assert {ref: grade for ref, grade in _grades(root).items() if ref.startswith(q1)} == {
        q1 + "brand-awareness/unique-visitors": 0.74,  # (57400 − 50000) / (60000 − 50000)
        q1 + "brand-awareness/social-followers": 0.81,  # (26900 − 24000) / 3600 = 0.8055…
        q1 + "brand-awareness/media-coverage": 1.0,  # at least 3 reports: 4 held
        q1 + "brand-awareness": 0.85,  # (0.74 + 0.81 + 1.0) / 3 = 2.55 / 3
        q1 + "website-conversion/conversion-rate": 0.6,  # (2.6 − 2.0) / (3.0 − 2.0)
        q1 + "website-conversion/acquisition-cost": 0.71,  # (418 − 450) / (405 − 450) = 0.711…
        q1 + "website-conversion/email-ctr": 1.0,  # (3.41 − 3.2) / 0.16 = 1.3125, clamped
        q1 + "website-conversion": 0.77,  # (0.6 + 0.71 + 1.0) / 3 = 2.31 / 3
        q1 + "social-engagement/facebook-engagement-rate": 0.83,  # 0.5 / 0.6 = 0.833…
        q1 + "social-engagement/instagram-reach": 0.5,  # (3300 − 3000) / (3600 − 3000)
        q1 + "social-engagement/community-guidelines": 1.0,  # milestone done
        q1 + "social-engagement": 0.78,  # (0.83 + 0.5 + 1.0) / 3 = 0.7766…
    }
    grades = _grades(root)
    sales = "2026-Q1/sales/"
    assert grades[sales + "increase-sales/quarter-revenue"] == 0.84  # 670000 / 800000 = 0.8375
    assert grades[sales + "increase-sales/new-customers"] == 0.75  # (178 − 160) / (184 − 160)
    assert grades[sales + "increase-sales/average-order-value"] == 0.68  # 1900 / 2800 = 0.678…
    assert grades[sales + "increase-sales"] == 0.76  # (0.84 + 0.75 + 0.68) / 3 = 0.7566…
    assert grades[sales + "sales-pipeline/pipeline-value"] == 0.64  # 2900000 / 4500000
    assert grades[sales + "sales-pipeline/win-rate"] == 0.5  # (21 − 18) / (24 − 18)
    assert grades[sales + "sales-pipeline"] == 0.57  # (0.64 + 0.5) / 2
    expansion = "2026-Q1/expansion/overseas-channels"
    assert grades[expansion + "/overseas-partners"] == 0.67  # (4 − 2) / (5 − 2) = 0.666…
    assert grades[expansion + "/japan-revenue"] == 0.58  # 260000 / 450000 = 0.577…
    assert grades[expansion] == 0.63  # (0.67 + 0.58) / 2 = 0.625, half up
    # a team's grade: the mean of its objectives' (the demo's objectives all weigh 1)
    assert _team_grade(lines, "marketing") == "0.80"  # (0.85 + 0.77 + 0.78) / 3 = 2.40 / 3
    assert _team_grade(lines, "sales") == "0.67"  # (0.76 + 0.57) / 2 = 0.665, half up
    assert _team_grade(lines, "expansion") == "0.65"  # (0.67 + 0.63) / 2
    assert _team_grade(lines, "content") == "0.74"  # (0.75 + 0.73) / 2
    # and the sheets are the demo's again, byte for byte: the demo records what the tool says
    for path in sheets:
        demo = REPO_ROOT / "okrs" / "2026-Q1" / path.name
        assert path.read_text(encoding="utf-8") == demo.read_text(encoding="utf-8"), path.name


def test_the_demo_records_the_tools_grades(demo_tree: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo_tree)
    monkeypatch.setenv("OKR_TODAY", "2026-04-10")
    code, lines, _ = score(capsys, "2026-Q1")
    assert code == 0
    assert not any("differ" in line for line in lines)
    rows = [line for line in lines if line.startswith("  ")]
    assert len(rows) == 11 + 30  # the objectives and key results of 2026-Q1
    for row in rows:  # the GRADE and RECORDED columns agree on every row
        numbers = re.findall(r"\b\d\.\d\d\b", row)
        assert len(numbers) == 2 and numbers[0] == numbers[1], row


def test_a_recorded_grade_that_differs_is_counted(demo_tree: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = demo_tree / "okrs" / "2026-Q1" / "marketing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("score: 0.74", "score: 0.7"),
                    encoding="utf-8")
    monkeypatch.chdir(demo_tree)
    _, lines, _ = score(capsys, "2026-Q1")
    # the key result, and its objective: (0.70 + 0.81 + 1.0) / 3 = 0.8366… is not 0.85
    assert lines[-1] == "2 recorded grade(s) differ from the arithmetic"
    assert next(line for line in lines if line.startswith("    unique-visitors")).split()[1:] == [
        "0.74", "0.70"]
    assert next(line for line in lines if line.startswith("  brand-awareness")).split()[3:5] == [
        "0.84", "0.85"]


# -- the retrospective, asked for in a real terminal -----------------------------------------


ANSWERS_EN = ['Visitors grew: SEO from "February" on # keep it', "", "標題先定好:第二季 #1 'ok'"]


@pytest.mark.parametrize(("lang", "question"), [
    ("en", "retrospective of 2026-Q1/marketing/brand-awareness (提升品牌知名度), one line, "
           "empty to skip: "),
    ("zh-TW", "2026-Q1/marketing/brand-awareness(提升品牌知名度)的回顧,一行,留空略過: "),
])
def test_write_asks_for_each_missing_retrospective_in_a_terminal(
        small_tree: Path, lang: str, question: str) -> None:
    run = run_in_terminal(["score", "2026-Q1", "--write", "--lang", lang], ANSWERS_EN,
                          cwd=small_tree)
    assert run.returncode == 0, run.output
    assert question in run.output
    assert run.output.count("2026-Q1/") >= 3
    marketing = (small_tree / MARKETING).read_text(encoding="utf-8")
    sales = (small_tree / SALES).read_text(encoding="utf-8")
    # after each objective's score; quoted where a plain scalar would not read back the same
    assert "    score: 0.43\n    retrospective: " in marketing
    assert sales.endswith("    score: 0.6\n    retrospective: \"標題先定好:第二季 #1 'ok'\"\n")
    for path, text in ((MARKETING, marketing), (SALES, sales)):
        doc, findings = load_text(path, text)
        assert findings == [] and doc is not None
        retros = [o.get("retrospective") for o in doc.data["objectives"]]
        assert retros == ([ANSWERS_EN[0], None] if path == MARKETING else [ANSWERS_EN[2]])
    # the skipped one is named in the reminder
    reminder = run.output[run.output.rindex("OKR502"):]
    assert reminder.split("\n")[0].endswith(("`retrospective:` in the sheet",
                                              "`retrospective:` 寫下回顧"))
    assert "2026-Q1/marketing/website-conversion" in reminder
    assert "2026-Q1/marketing/brand-awareness" not in reminder
    written = {"en": f"{MARKETING}: 6 score(s) and 1 retrospective(s) written",
               "zh-TW": f"{MARKETING}:寫入 6 個評分與 1 則回顧"}[lang]
    assert written in run.output
    assert main(["validate"]) == 0


def test_json_holds_every_grade_and_the_team_grades(demo_tree: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo_tree)
    monkeypatch.setenv("OKR_TODAY", "2026-04-10")
    assert main(["score", "2026-Q1", "--format", "json", "--lang", "zh-TW"]) == 0
    payload = json.loads(capsys.readouterr().out)
    teams = {t["team"]: t for t in payload["teams"]}
    assert payload["cycle"] == "2026-Q1" and sorted(teams) == [
        "content", "ecommerce", "expansion", "marketing", "sales"]
    marketing = teams["marketing"]
    assert marketing["grade"] == 0.8  # (0.85 + 0.77 + 0.78) / 3
    brand = marketing["objectives"][0]
    assert (brand["ref"], brand["kind"], brand["grade"], brand["verdict"],
            brand["verdict_label"]) == ("2026-Q1/marketing/brand-awareness", "aspirational",
                                        0.85, "above", "高於最佳區間")
    visitors = brand["key_results"][0]
    assert (visitors["ref"], visitors["progress"], visitors["grade"], visitors["recorded"]) == (
        "2026-Q1/marketing/brand-awareness/unique-visitors", 0.74, 0.74, 0.74)
    for team in payload["teams"]:  # the demo records what the arithmetic gives
        for objective in team["objectives"]:
            assert objective["grade"] == objective["recorded"], objective["ref"]
            for kr in objective["key_results"]:
                assert kr["grade"] == kr["recorded"], kr["ref"]


def test_json_with_write_keeps_stdout_json(small_tree: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # `okr score Q --write --format json | jq`: what was written is news for the person, on stderr
    assert main(["score", "2026-Q1", "--write", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    payload = json.loads(out)
    assert [team["team"] for team in payload["teams"]] == ["marketing", "sales"]
    assert f"{MARKETING}: 6 score(s) written\n{SALES}: 2 score(s) written\n" in err
    assert main(["score", "2026-Q1", "--write", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["cycle"] == "2026-Q1"
    assert "no missing scores to write\n" in err


def test_a_sheet_saved_meanwhile_stops_every_write(small_tree: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # sales.yaml saved by an editor right after the grades were computed from it: neither
    # sheet is written, though marketing.yaml comes first and did not change
    import okrkit.commands.score as score_module

    real = score_module.grades
    saved = (small_tree / SALES).read_text(encoding="utf-8") + "# saved meanwhile\n"

    def then_save(*args: Any, **kwargs: Any) -> Any:
        result = list(real(*args, **kwargs))
        (small_tree / SALES).write_text(saved, encoding="utf-8")
        return iter(result)

    monkeypatch.setattr(score_module, "grades", then_save)
    marketing = (small_tree / MARKETING).read_text(encoding="utf-8")
    code, _, err = score(capsys, "2026-Q1", "--write")
    assert code == 2
    assert err.endswith(f"okr: error: {SALES} changed since it was read: run the command again\n")
    assert (small_tree / MARKETING).read_text(encoding="utf-8") == marketing
    assert (small_tree / SALES).read_text(encoding="utf-8") == saved
