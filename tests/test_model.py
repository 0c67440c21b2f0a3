"""Progress, status and scoring arithmetic (DESIGN "The file format": progress and status)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okrkit import build, schema
from okrkit.config import config_from_data
from okrkit.cycles import CycleCalendar
from okrkit.model import (
    KINDS,
    VERDICT_LABELS,
    KeyResult,
    Objective,
    Sheet,
    Status,
    StatusBands,
    clamp,
    grade_verdict,
    is_id,
    kr_status,
    mean_grade,
    mean_progress,
    progress,
    relative_change,
    suggest_score,
    worst_status,
)
from okrkit.yamlload import load_text

Q1 = CycleCalendar().get("2026-Q1")
assert Q1 is not None


def sheet_of(key_results: str, *, objective_extra: str = "") -> Sheet:
    """A schema-valid sheet with one objective holding `key_results` (YAML list items)."""
    text = ("cycle: 2026-Q1\nteam: marketing\nobjectives:\n  - id: o\n    title: 目標\n"
            f"{objective_extra}    key_results:\n{key_results}")
    doc, findings = load_text("okrs/2026-Q1/marketing.yaml", text)
    assert doc is not None and findings == []
    assert schema.validate(doc, "okr") == []
    return build.sheet_from(doc)


def objective_of(key_results: str, **kwargs: str) -> Objective:
    return sheet_of(key_results, **kwargs).objectives[0]


def kr_of(fields: str) -> KeyResult:
    lines = "".join(f"        {line.strip()}\n" for line in fields.split(";") if line.strip())
    return objective_of("      - id: k\n        title: t\n" + lines).key_results[0]


# -- progress ------------------------------------------------------------------------


@pytest.mark.parametrize(("direction", "baseline", "target", "current", "expected"), [
    ("increase", 50000, 60000, 53000, 0.3),
    ("increase", 50000, 60000, 60000, 1.0),
    ("increase", 50000, 60000, 66000, 1.6),       # over-achievement kept raw
    ("increase", 50000, 60000, 45000, -0.5),      # the wrong way: below zero, raw
    ("decrease", 450, 405, 418, 32 / 45),
    ("decrease", 450, 405, 405, 1.0),
    ("decrease", 450, 405, 360, 2.0),             # decrease past the target
    ("decrease", 450, 405, 500, -50 / 45),
    ("increase", -10, -2, -6, 0.5),               # negative values
    ("decrease", -2, -10, -4, 0.25),
    ("increase", -5, 5, 0, 0.5),
    ("increase", 2.0, 3.0, 2.6, 0.6),
])
def test_progress_increase_and_decrease(direction: str, baseline: float, target: float,
                                        current: float, expected: float) -> None:
    assert progress(direction, baseline, target, current) == pytest.approx(expected)


@pytest.mark.parametrize(("direction", "current", "expected"), [
    ("increase", 100, 1.0), ("increase", 101, 1.0), ("increase", 99, 0.0),
    ("decrease", 100, 1.0), ("decrease", 99, 1.0), ("decrease", 101, 0.0),
])
def test_progress_zero_span_is_met_or_not(direction: str, current: float,
                                          expected: float) -> None:
    assert progress(direction, 100, 100, current) == expected


@pytest.mark.parametrize(("direction", "target", "current", "expected"), [
    ("at_least", 3, 4, 1.0), ("at_least", 3, 3, 1.0), ("at_least", 3, 2, 0.0),
    ("at_least", -1, -1, 1.0),
    ("at_most", 5, 3, 1.0), ("at_most", 5, 5, 1.0), ("at_most", 5, 6, 0.0),
    ("at_most", 0.5, 0.51, 0.0),
])
def test_progress_hold_or_not(direction: str, target: float, current: float,
                              expected: float) -> None:
    assert progress(direction, None, target, current) == expected


@pytest.mark.parametrize(("target", "current", "expected"), [
    (True, True, 1.0), (True, False, 0.0), (None, True, 1.0), (None, False, 0.0),
    (4, 2, 0.5), (4, 6, 1.5), (3, 0, 0.0),
    (0, 2, None),          # a numeric milestone needs a target
    (True, None, None), (4, None, None),
])
def test_progress_milestone(target: object, current: object, expected: float | None) -> None:
    assert progress("milestone", None, target, current) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("direction", "baseline", "target", "current"), [
    ("increase", 1, 2, None), ("increase", None, 2, 1), ("increase", 1, None, 1),
    ("decrease", 2, 1, True), ("increase", 1, True, 1), ("at_least", None, None, 3),
    ("at_most", None, 3, None),
])
def test_progress_unknown(direction: str, baseline: object, target: object,
                          current: object) -> None:
    assert progress(direction, baseline, target, current) is None  # type: ignore[arg-type]


def test_key_result_progress_uses_its_fields_and_defaults_to_increase() -> None:
    kr = kr_of("baseline: 10; target: 20; current: 25")
    assert kr.direction == "increase"
    assert kr.progress() == 1.5


@pytest.mark.parametrize(("value", "expected"), [(-0.5, 0.0), (0.3, 0.3), (1.6, 1.0)])
def test_clamp_for_display(value: float, expected: float) -> None:
    assert clamp(value) == expected


@pytest.mark.parametrize(("baseline", "target", "expected"), [
    (100, 103, 0.03), (450, 405, -0.1), (-10, -5, 0.5), (0, 5, None), (None, 5, None),
    (True, 5, None),
])
def test_relative_change(baseline: object, target: object, expected: float | None) -> None:
    result = relative_change(baseline, target)  # type: ignore[arg-type]
    assert result == (pytest.approx(expected) if expected is not None else None)


# -- objectives: weights and scores ----------------------------------------------------


def test_objective_progress_is_the_weighted_mean_of_clamped_progress() -> None:
    objective = objective_of(
        "      - id: a\n        title: a\n        baseline: 0\n        target: 10\n"
        "        current: 15\n        weight: 3\n"
        "      - id: b\n        title: b\n        baseline: 0\n        target: 10\n"
        "        current: -5\n"
        "      - id: c\n        title: c\n")  # no progress: skipped
    assert [kr.progress() for kr in objective.key_results] == [1.5, -0.5, None]
    assert objective.progress() == pytest.approx(0.75)


def test_objective_without_any_progress() -> None:
    assert objective_of("      - id: a\n        title: a\n").progress() is None


def test_sheet_progress_weights_objectives() -> None:
    text = ("cycle: 2026-Q1\nteam: t\nobjectives:\n"
            "  - id: a\n    title: a\n    weight: 2\n    key_results:\n"
            "      - {id: k, title: k, baseline: 0, target: 10, current: 10}\n"
            "  - id: b\n    title: b\n    key_results:\n"
            "      - {id: k, title: k, baseline: 0, target: 10, current: 4}\n")
    doc, _ = load_text("s.yaml", text)
    assert doc is not None
    assert build.sheet_from(doc).progress() == pytest.approx((2 * 1.0 + 0.4) / 3)


def test_mean_progress_counts_each_sheet_once() -> None:
    done = sheet_of("      - {id: k, title: k, baseline: 0, target: 10, current: 10}\n")
    half = sheet_of("      - {id: k, title: k, baseline: 0, target: 10, current: 5}\n")
    unknown = sheet_of("      - {id: k, title: k}\n")
    assert mean_progress([done, half, unknown]) == pytest.approx(0.75)
    assert mean_progress([unknown]) is None and mean_progress([]) is None


def test_objective_final_score() -> None:
    scored = objective_of(
        "      - {id: a, title: a, score: 0.6, weight: 3}\n"
        "      - {id: b, title: b, score: 1.0}\n")
    assert scored.final_score() == pytest.approx(0.7)
    recorded = objective_of("      - {id: a, title: a, score: 0.6}\n",
                            objective_extra="    score: 0.9\n")
    assert recorded.final_score() == 0.9
    missing = objective_of("      - {id: a, title: a, score: 0.6}\n      - {id: b, title: b}\n")
    assert missing.final_score() is None


def test_objective_final_score_is_graded_as_okr_score_grades_it() -> None:
    # 0.595 half up is 0.60, the sweet spot; a float mean (0.59499…) said 0.59, below it
    objective = objective_of("      - {id: a, title: a, score: 0.59}\n"
                             "      - {id: b, title: b, score: 0.60}\n")
    assert objective.final_score() == 0.6
    assert grade_verdict("aspirational", 0.6) == "sweet"
    assert mean_grade([(0.59, 1.0), (0.60, 1.0)]) == objective.final_score()


def test_verdict_labels_in_both_languages() -> None:
    assert set(VERDICT_LABELS) == {"en", "zh-TW"}
    verdicts = {grade_verdict(kind, g) for kind in KINDS for g in (0.0, 0.5, 0.65, 0.8, 1.0)}
    assert set(VERDICT_LABELS["en"]) == set(VERDICT_LABELS["zh-TW"]) == verdicts


@pytest.mark.parametrize(("raw", "expected"), [
    (0.0, 0.0), (0.004, 0.0), (0.005, 0.01), (0.74, 0.74), (7400 / 10000, 0.74),
    (2900 / 3600, 0.81), (32 / 45, 0.71), (0.745, 0.75), (0.335, 0.34), (0.995, 1.0),
    (1.0, 1.0), (1.6, 1.0), (-0.5, 0.0), (None, None),
])
def test_suggested_score_is_clamped_and_rounded_half_up_to_hundredths(
        raw: float | None, expected: float | None) -> None:
    assert suggest_score(raw) == expected


@pytest.mark.parametrize(("pairs", "expected"), [
    ([(0.74, 1), (0.81, 1), (1.0, 1)], 0.85),  # 2.55 / 3
    ([(0.76, 1), (0.57, 1)], 0.67),  # 0.665: half up, though 0.665 as a float is below it
    ([(0.43, 1), (0.1, 2)], 0.21),  # (0.43 + 0.2) / 3 = 0.21
    ([(0.6, 3), (1.0, 1)], 0.7),
    ([(0.5, 0.5), (1.0, 1.5)], 0.88),  # (0.25 + 1.5) / 2 = 0.875
    ([], None), ([(0.5, 0)], None),
])
def test_mean_grade_is_weighted_and_rounded_half_up(pairs: list[tuple[float, float]],
                                                     expected: float | None) -> None:
    assert mean_grade(pairs) == expected


# -- status ---------------------------------------------------------------------------


@pytest.mark.parametrize(("confidence", "expected"), [
    (1.0, Status.ON_TRACK), (0.7, Status.ON_TRACK), (0.69, Status.AT_RISK),
    (0.4, Status.AT_RISK), (0.39, Status.OFF_TRACK), (0.0, Status.OFF_TRACK),
])
def test_status_from_confidence_with_default_bands(confidence: float, expected: Status) -> None:
    kr = kr_of(f"baseline: 0; target: 10; current: 0; confidence: {confidence}")
    # confidence wins over progress: nothing done by the end of the cycle
    assert kr_status(kr, Q1, dt.date(2026, 3, 31)) == expected


def test_status_from_confidence_with_configured_bands() -> None:
    kr = kr_of("baseline: 0; target: 10; current: 5; confidence: 0.75")
    assert kr_status(kr, Q1, dt.date(2026, 2, 1), StatusBands(on_track=0.8)) == Status.AT_RISK
    assert kr_status(kr, Q1, dt.date(2026, 2, 1),
                     StatusBands(on_track=0.9, at_risk=0.8)) == Status.OFF_TRACK


def test_target_met_is_on_track_whatever_the_confidence() -> None:
    kr = kr_of("baseline: 0; target: 10; current: 12; confidence: 0.1")
    assert kr_status(kr, Q1, dt.date(2026, 2, 1)) == Status.ON_TRACK
    done = kr_of("direction: milestone; target: true; current: true; confidence: 0.2")
    assert kr_status(done, Q1, dt.date(2026, 2, 1)) == Status.ON_TRACK


def test_expected_progress_is_the_share_of_the_cycle_elapsed() -> None:
    today = dt.date(2026, 2, 14)  # day 45 of 90
    assert Q1.elapsed(today) == 0.5
    statuses = {current: kr_status(kr_of(f"baseline: 0; target: 100; current: {current}"),
                                   Q1, today)
                for current in (50, 40, 39, 25, 24, 0)}
    assert statuses == {50: Status.ON_TRACK, 40: Status.ON_TRACK, 39: Status.AT_RISK,
                        25: Status.AT_RISK, 24: Status.OFF_TRACK, 0: Status.OFF_TRACK}


def test_progress_gaps_come_from_config() -> None:
    config = config_from_data(Path("."), {"status": {"progress_at_risk_gap": 0.05,
                                                     "progress_off_track_gap": 0.5}})
    kr = kr_of("baseline: 0; target: 100; current: 40")
    today = dt.date(2026, 2, 14)
    assert kr_status(kr, Q1, today) == Status.ON_TRACK
    assert kr_status(kr, Q1, today, config.bands) == Status.AT_RISK
    behind = kr_of("baseline: 0; target: 100; current: 5")
    assert kr_status(behind, Q1, today) == Status.OFF_TRACK
    assert kr_status(behind, Q1, today, config.bands) == Status.AT_RISK


def test_status_before_the_cycle_and_without_data() -> None:
    assert kr_status(kr_of("baseline: 0; target: 100; current: 0"), Q1,
                     dt.date(2025, 12, 1)) == Status.ON_TRACK
    assert kr_status(kr_of("target: 100"), Q1, dt.date(2026, 2, 1)) == Status.UNKNOWN


def test_at_least_not_yet_held_follows_the_calendar() -> None:
    kr = kr_of("direction: at_least; target: 3; current: 1")
    assert kr_status(kr, Q1, dt.date(2026, 1, 5)) == Status.ON_TRACK
    assert kr_status(kr, Q1, dt.date(2026, 3, 31)) == Status.OFF_TRACK


def test_worst_status() -> None:
    assert worst_status([Status.ON_TRACK, Status.AT_RISK]) == Status.AT_RISK
    assert worst_status([Status.UNKNOWN, Status.OFF_TRACK, Status.ON_TRACK]) == Status.OFF_TRACK
    assert worst_status([Status.UNKNOWN]) == Status.UNKNOWN
    assert worst_status([]) == Status.UNKNOWN


@pytest.mark.parametrize(("text", "ok"), [
    ("marketing", True), ("unique-visitors", True), ("q4-2026", True),
    ("Marketing", False), ("a--b", False), ("-a", False), ("a-", False), ("", False),
    ("a\n", False), ("行銷", False), ("a_b", False),
])
def test_ids_are_ascii_slugs(text: str, ok: bool) -> None:
    assert is_id(text) is ok


# -- a key result without a baseline: an implicit zero for counts only ------------------------


@pytest.mark.parametrize(("fields", "expected"), [
    # "Get 75 posts on the forum": 7 of 75
    ("title: Get 75 posts on the forum\n        unit: posts\n        target: 75\n"
     "        current: 7", 7 / 75),
    ("title: 論壇貼文達到75篇\n        metric: 論壇貼文數\n        target: 75\n        current: 75",
     1.0),
    # rates and relative targets have no meaningful zero
    ("title: Lift conversion to 3%\n        target: 3.0\n        current: 2.5", None),
    ("title: 提升轉換率\n        metric: 網站整體轉換率\n        target: 3.0\n        current: 2.5",
     None),
    ("title: Faster pages\n        unit: ms/request\n        target: 75\n        current: 7", None),
    ("title: Posts\n        unit: '%'\n        target: 75\n        current: 7", None),
    # never a decrease, nor a target of 0 or below
    ("title: Cut bugs to 5\n        direction: decrease\n        target: 5\n        current: 7",
     None),
    ("title: Posts\n        target: 0\n        current: 7", None),
])
def test_a_count_without_baseline_climbs_from_zero(fields: str, expected: float | None) -> None:
    kr = objective_of(f"      - id: k\n        {fields}\n").key_results[0]
    assert kr.implicit_zero is (expected is not None)
    assert kr.progress() == (pytest.approx(expected) if expected is not None else None)
