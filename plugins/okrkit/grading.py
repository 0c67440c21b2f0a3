"""End-of-cycle grades: one rule for `okr score` and the site's report cards.

A key result's grade is its recorded `score:`, else its progress clamped to 0..1
and rounded half up to 0.01 (`model.suggest_score`); an objective's is its
recorded score, else the weighted mean of its key results' grades; a team's the
weighted mean of its objectives' (`model.mean_grade`). A grade is provisional
while any of those is computed rather than recorded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from okrkit.model import KeyResult, Objective, Sheet, grade_verdict, mean_grade, suggest_score


@dataclass(frozen=True, slots=True)
class KrGrade:
    kr: KeyResult
    suggested: float | None

    @property
    def final(self) -> float | None:
        return self.kr.score if self.kr.score is not None else self.suggested


@dataclass(frozen=True, slots=True)
class ObjectiveGrade:
    sheet: Sheet
    objective: Objective
    key_results: tuple[KrGrade, ...]

    @property
    def suggested(self) -> float | None:
        """Weighted mean of the key results' grades; None while one has none."""
        return _mean_of_all([(g.final, g.kr.weight) for g in self.key_results])

    @property
    def final(self) -> float | None:
        return self.objective.score if self.objective.score is not None else self.suggested

    @property
    def verdict(self) -> str | None:
        return None if self.final is None else grade_verdict(self.objective.kind, self.final)


@dataclass(frozen=True, slots=True)
class TeamGrade:
    sheet: Sheet
    objectives: tuple[ObjectiveGrade, ...]

    @property
    def grade(self) -> float | None:
        """Weighted mean (objective `weight`) of the objectives' grades; None while one has
        none. Not recorded: a sheet has no `score:` of its own."""
        return _mean_of_all([(g.final, g.objective.weight) for g in self.objectives])


def _mean_of_all(finals: Sequence[tuple[float | None, float]]) -> float | None:
    """`mean_grade` of (grade, weight) pairs; None when there are none or one has no grade."""
    if not finals or any(grade is None for grade, _ in finals):
        return None
    return mean_grade([(g, w) for g, w in finals if g is not None])


def grades(sheets: Sequence[Sheet]) -> Iterator[TeamGrade]:
    for sheet in sorted(sheets, key=lambda s: s.team):
        yield TeamGrade(sheet, tuple(
            ObjectiveGrade(sheet, objective, tuple(
                KrGrade(kr, suggest_score(kr.progress())) for kr in objective.key_results))
            for objective in sheet.objectives))


def cycle_grade(teams: Sequence[TeamGrade]) -> float | None:
    """A cycle's grade: the mean of its teams' grades, each team counting once (as the
    dashboard's overall progress); None while a team has none."""
    return mean_of_teams([t.grade for t in teams])


def mean_of_teams(grades: Sequence[float | None]) -> float | None:
    """`cycle_grade` of the teams' grades, given as they are (the site keeps them)."""
    return _mean_of_all([(g, 1.0) for g in grades])


def recorded(team: TeamGrade) -> bool:
    """Every objective's grade is recorded (its own score, or all its key results')."""
    return all(g.objective.score is not None
               or all(k.kr.score is not None for k in g.key_results) for g in team.objectives)


def kr_outcome(grade: float | None) -> str | None:
    """A key result's final outcome once its cycle has ended: met (1.0), partly (0.4 and
    over, where Google's "what got in the way?" stops) or missed."""
    if grade is None:
        return None
    if grade >= 1.0:
        return "met"
    return "partly" if grade >= 0.4 else "missed"


OUTCOMES = ("met", "partly", "missed")


def worst_outcome(outcomes: Sequence[str | None]) -> str:
    """An objective's or a team's outcome: the worst of its key results' ("unknown" when
    none has one), as its live status is the worst of theirs."""
    return next((o for o in reversed(OUTCOMES) if o in outcomes), "unknown")
